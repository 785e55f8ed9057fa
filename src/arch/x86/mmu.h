/* mmu.h (internal) — the software MMU: per-CPU TLB, translation, page faults. */
#ifndef MMSIM_ARCH_X86_MMU_H
#define MMSIM_ARCH_X86_MMU_H

#include <stdio.h>

#include "arch/x86/pgtable.h"

/* Access types, combined: a user-mode write is MMU_WRITE | MMU_USER. */
#define MMU_READ	0x0
#define MMU_WRITE	0x1
#define MMU_USER	0x2
#define MMU_EXEC	0x4

/* x86 page-fault error code bits (the CPU pushes these; CR2 holds the address). */
#define X86_PF_PROT	0x01	/* 0: not present, 1: protection violation */
#define X86_PF_WRITE	0x02
#define X86_PF_USER	0x04
#define X86_PF_RSVD	0x08
#define X86_PF_INSTR	0x10

#define TLB_SETS	64
#define TLB_WAYS	4

struct tlb_entry {
	/*
	 * vpn << 1 | 1 while the entry is valid (vpn: the virtual page number,
	 * 4K granule), 0 when it is not: a hit is one compare per way.
	 */
	uint64_t key;
	uint64_t pfn;		/* its frame */
	uint64_t cr3;		/* address space it belongs to (ignored if global) */
	uint8_t writable, user, nx, global, dirty;
	/*
	 * Accesses a hit may serve without the walker: MMU_USER if user,
	 * MMU_EXEC unless NX, MMU_WRITE if writable and already dirty.
	 */
	uint8_t allow;
};

/*
 * The hit cache: a direct-mapped copy of TLB entries (QEMU softmmu's
 * shape), so that a hit costs one compare instead of a set search. It
 * holds nothing the TLB does not: every entry here is a valid TLB entry's
 * key, frame and permissions, dropped whenever that entry is invalidated or
 * replaced (mmu_verify checks it). The modelled TLB stays the 64x4 one:
 * what hits, misses and is flushed is decided there.
 */
#define TLB_HIT_ENTRIES	(TLB_SETS * TLB_WAYS)

#define TLB_HIT_GLOBAL	0x100	/* in tlb_hit.frame: the entry is global */

struct tlb_hit {
	uint64_t key;		/* the TLB entry's key, 0: empty */
	/*
	 * Its frame's physical address | the accesses it does not allow
	 * (MMU_WRITE, MMU_USER, MMU_EXEC: ~allow) | TLB_HIT_GLOBAL.
	 */
	uint64_t frame;
};

struct tlb_stats {
	unsigned long hits, misses, walks, flushes, faults;
};

struct cpu_mmu {
	phys_addr_t cr3;	/* current page directory */
	uint64_t cr2;		/* address of the last page fault */
	unsigned int error_code;	/* its x86 error code */
	unsigned int next_victim;
	struct tlb_hit hit[TLB_HIT_ENTRIES];
	struct tlb_entry tlb[TLB_SETS][TLB_WAYS];
	struct tlb_stats stats;
};

int mmu_init(struct machine *m);
/* Every CPU's TLB: no page twice in a set, the hit cache a copy of valid entries. */
unsigned long mmu_verify(struct machine *m, FILE *out);
void mmu_release(struct machine *m);

/*
 * Translate vaddr on cpu for an access, as the hardware does: TLB first,
 * then a page walk that sets Accessed (and Dirty for writes). Returns 0 and
 * the physical address, or -1 after recording a page fault (CR2, error code).
 */
int mmu_translate(struct machine *m, unsigned int cpu, uint64_t vaddr, unsigned int access,
		  phys_addr_t *pa);

/* Read or write len bytes at a virtual address, page by page through the MMU. */
int mmu_read(struct machine *m, unsigned int cpu, uint64_t vaddr, void *buf, size_t len,
	     unsigned int access);
int mmu_write(struct machine *m, unsigned int cpu, uint64_t vaddr, const void *buf, size_t len,
	      unsigned int access);

/* The kernel's flush primitives. */
void write_cr3(struct machine *m, unsigned int cpu, phys_addr_t pgd);	/* keeps global entries */
void flush_tlb_one_kernel(struct machine *m, unsigned int cpu, uint64_t vaddr);	/* invlpg */
void flush_tlb_all(struct machine *m);					/* every CPU, globals too */
void flush_tlb_kernel_range(struct machine *m, uint64_t start, uint64_t end);
struct mm_struct;
/* A user address space's mappings in [start, end) changed: flush them wherever it is loaded. */
void flush_tlb_mm_range(struct machine *m, struct mm_struct *mm, uint64_t start, uint64_t end);

/*
 * Print the walk for vaddr in the tables of cpu's CR3 the way follow_page
 * descends: each level's entry and flags, then the pfn and its struct page.
 */
void mmu_walk_show(struct machine *m, unsigned int cpu, uint64_t vaddr, FILE *out);
void mmu_stats_show(struct machine *m, FILE *out);

#endif /* MMSIM_ARCH_X86_MMU_H */
