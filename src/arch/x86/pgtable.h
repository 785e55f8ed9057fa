/* pgtable.h (internal) — x86 page tables in simulated physical memory.
 *
 * i386 (non-PAE): two levels, 4-byte entries: the page directory (pgd, bits
 * 31..22 of the address) points to page tables (pte, bits 21..12) or maps a
 * 4 MiB page itself (PSE). x86_64: four levels, 8-byte entries: pgd
 * (47..39), pud (38..30), pmd (29..21), pte (20..12); a pmd can map 2 MiB and
 * a pud 1 GiB; bit 63 is NX. Entries are stored in the simulated RAM in the
 * hardware's own format, so what the MMU walks is exactly what x86 would.
 * (p4d is folded on 4-level x86_64; pud and pmd are folded on 2-level i386.) */
#ifndef MMSIM_ARCH_X86_PGTABLE_H
#define MMSIM_ARCH_X86_PGTABLE_H

#include <stdio.h>

#include "machine.h"

#define _PAGE_PRESENT	0x001ULL
#define _PAGE_RW	0x002ULL
#define _PAGE_USER	0x004ULL
#define _PAGE_PWT	0x008ULL
#define _PAGE_PCD	0x010ULL
#define _PAGE_ACCESSED	0x020ULL
#define _PAGE_DIRTY	0x040ULL
#define _PAGE_PSE	0x080ULL	/* large page in a pgd (i386) / pud / pmd */
#define _PAGE_GLOBAL	0x100ULL	/* survives a CR3 reload */
#define _PAGE_NX	(1ULL << 63)	/* x86_64 only */

/* Protections as the kernel names them (arch/x86/include/asm/pgtable_types.h). */
#define _KERNPG_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _PAGE_TABLE	(_KERNPG_TABLE | _PAGE_USER)
#define __PAGE_KERNEL	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)

/* Paging levels, leaf first; a walk goes from the top level down to PT_PTE. */
enum pt_level {
	PT_PTE,
	PT_PMD,
	PT_PUD,
	PT_PGD,
	PT_LEVELS
};

/* The shape of an architecture's page tables. */
struct pt_format {
	unsigned int levels;		/* 2 (i386) or 4 (x86_64) */
	unsigned int entry_size;	/* 4 or 8 bytes */
	unsigned int index_bits;	/* 10 or 9 per level */
	unsigned int shift[PT_LEVELS];	/* address bit where each level's index starts */
	bool present[PT_LEVELS];	/* which levels exist (others are folded) */
	bool large_ok[PT_LEVELS];	/* levels that can map a page themselves */
	uint64_t addr_mask;		/* physical-address bits of an entry */
	uint64_t va_bits_mask;		/* canonical virtual address bits */
};

const struct pt_format *pt_format(const struct machine *m);
const char *pt_level_name(const struct machine *m, enum pt_level level);

/* Read and write one entry of the table at physical address table. */
uint64_t pt_read(const struct machine *m, phys_addr_t table, unsigned int index);
void pt_write(struct machine *m, phys_addr_t table, unsigned int index, uint64_t entry);
unsigned int pt_index(const struct machine *m, uint64_t vaddr, enum pt_level level);
/* Bytes one entry at this level covers: 4K, 4M (i386 pgd), 2M, 1G, 512G. */
uint64_t pt_level_size(const struct machine *m, enum pt_level level);

/*
 * Where page-table pages come from: memblock while booting (as the
 * kernel's alloc_low_pages), the buddy allocator afterwards. Returns the
 * physical address of a zeroed page, or 0.
 */
phys_addr_t pt_alloc_table(struct machine *m);

/*
 * Map [vaddr, vaddr+size) to [phys, ...) in the tables rooted at pgd with
 * the given leaf protection, using pages of page_size (4K, or a large size
 * the arch supports at that level). Intermediate tables are allocated as
 * needed. Returns 0 or -ENOMEM.
 */
int pt_map_range(struct machine *m, phys_addr_t pgd, uint64_t vaddr, phys_addr_t phys,
		 uint64_t size, uint64_t prot, uint64_t page_size);

/*
 * Find the leaf entry for vaddr: returns its level and stores the table and
 * index holding it; false if a level on the way is not present.
 */
bool pt_lookup(struct machine *m, phys_addr_t pgd, uint64_t vaddr, enum pt_level *level,
	       phys_addr_t *table, unsigned int *index);

/* Replace the 4K mapping of vaddr (creating tables); returns the old pte. */
int pt_set_pte(struct machine *m, phys_addr_t pgd, uint64_t vaddr, uint64_t pte, uint64_t *old);

/*
 * Break the large page covering vaddr into a table of small pages with the
 * same protection (split_large_page()). Returns 0, or -ENOMEM.
 */
int pt_split_large(struct machine *m, phys_addr_t pgd, uint64_t vaddr);

/* The boot-time kernel page tables: the direct map at PAGE_OFFSET, and x86_64's image mapping. */
int init_kernel_page_tables(struct machine *m);

/* _PAGE_SPECIAL (software bit 9): a PTE with no struct page the mm may count (the zero page). */
#define _PAGE_SPECIAL	0x200ULL
/* _PAGE_SOFT_DIRTY (software bit 11, x86_64): written since soft-dirty was last cleared. */
#define _PAGE_SOFT_DIRTY 0x800ULL

/* A user address space's page directory: the kernel half shared, 0 without memory. */
phys_addr_t pgd_alloc(struct machine *m, struct list_head *pgd_list_entry);
void pgd_free(struct machine *m, phys_addr_t pgd, struct list_head *pgd_list_entry);
/* swapper_pg_dir's entry @idx changed: copy it into every user PGD. */
void sync_kernel_pgd_entry(struct machine *m, unsigned int idx);

/* Validator: every present entry points at an allocated frame. */
unsigned long pgtable_verify(struct machine *m, FILE *out);

#endif /* MMSIM_ARCH_X86_PGTABLE_H */
