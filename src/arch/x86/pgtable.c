/* pgtable.c — x86 page tables: formats, walking, mapping, splitting, and the
 * kernel's direct map built at boot (arch/x86/mm/init.c, init_32.c, init_64.c,
 * pat/set_memory.c in the kernel).
 *
 * The direct map follows the kernel's split_mem_range(): RAM below 1 MiB and
 * the rest of the first large page (i386: the first 4 MiB, which MTRRs make
 * unsuitable for a large page) use 4K pages, then large pages (4 MiB on
 * non-PAE i386, 2 MiB on x86_64) up to the last whole one, and 4K pages for
 * the partial tail. The counts of each size are what /proc/meminfo reports
 * as DirectMap4k / DirectMap4M / DirectMap2M. */
#include <inttypes.h>
#include <string.h>

#include "arch/x86/mmu.h"
#include "arch/x86/cpu_backend.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/set_memory.h"
#include "mm/memblock.h"
#include "mm/vmalloc.h"
#include "mm.h"

static const struct pt_format format_i386 = {
	.levels = 2,
	.entry_size = 4,
	.index_bits = 10,
	.shift = { [PT_PTE] = 12, [PT_PMD] = 22, [PT_PUD] = 22, [PT_PGD] = 22 },
	.present = { [PT_PTE] = true, [PT_PGD] = true },
	.large_ok = { [PT_PGD] = true },
	.addr_mask = 0xfffff000ULL,
	.va_bits_mask = 0xffffffffULL,
};

static const struct pt_format format_x86_64 = {
	.levels = 4,
	.entry_size = 8,
	.index_bits = 9,
	.shift = { [PT_PTE] = 12, [PT_PMD] = 21, [PT_PUD] = 30, [PT_PGD] = 39 },
	.present = { true, true, true, true },
	.large_ok = { [PT_PMD] = true, [PT_PUD] = true },
	.addr_mask = 0x000ffffffffff000ULL,
	.va_bits_mask = 0x0000ffffffffffffULL,
};

const struct pt_format *pt_format(const struct machine *m)
{
	return m->is_32bit ? &format_i386 : &format_x86_64;
}

const char *pt_level_name(const struct machine *m, enum pt_level level)
{
	static const char *const names[PT_LEVELS] = { "pte", "pmd", "pud", "pgd" };

	(void)m;
	return names[level];
}

/*
 * A table entry outside RAM (a corrupted entry, or the CPU backend's entry
 * area, whose pages this MMU does not reach): nothing answers there. On
 * QEMU's pc machine such a read returns 0 and a write is dropped
 * (unassigned memory), so the walk sees an entry that is not present.
 */
static bool pt_entry_in_ram(const struct machine *m, phys_addr_t table, unsigned int index)
{
	uint64_t end = (uint64_t)table + ((uint64_t)index + 1) * (m->is_32bit ? 4 : 8);

	return end > table && end <= m->ram_bytes;
}

uint64_t pt_read(const struct machine *m, phys_addr_t table, unsigned int index)
{
	const unsigned char *p = m->ram + table;

	if (unlikely(!pt_entry_in_ram(m, table, index)))
		return 0;
	if (m->is_32bit) {
		uint32_t v;
		memcpy(&v, p + (size_t)index * 4, 4);
		return v;
	}
	uint64_t v;
	memcpy(&v, p + (size_t)index * 8, 8);
	return v;
}

void pt_write(struct machine *m, phys_addr_t table, unsigned int index, uint64_t entry)
{
	unsigned char *p = m->ram + table;

	if (unlikely(!pt_entry_in_ram(m, table, index)))
		return;
	if (m->is_32bit) {
		uint32_t v = (uint32_t)entry;
		memcpy(p + (size_t)index * 4, &v, 4);
	} else {
		memcpy(p + (size_t)index * 8, &entry, 8);
	}
}

unsigned int pt_index(const struct machine *m, uint64_t vaddr, enum pt_level level)
{
	const struct pt_format *f = pt_format(m);

	return (unsigned int)((vaddr >> f->shift[level]) & ((1U << f->index_bits) - 1));
}

uint64_t pt_level_size(const struct machine *m, enum pt_level level)
{
	return 1ULL << pt_format(m)->shift[level];
}

/* The next level below this one that exists in the format. */
static enum pt_level next_level(const struct pt_format *f, enum pt_level level)
{
	do {
		level--;
	} while (!f->present[level]);
	return level;
}

phys_addr_t pt_alloc_table(struct machine *m)
{
	phys_addr_t pa;

	if (!m->boot_done) {
		pa = memblock_alloc(m, PAGE_SIZE, PAGE_SIZE);
	} else {
		struct page *page = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);
		pa = page ? PFN_PHYS(page_to_pfn(m, page)) : 0;
	}
	if (pa) {
		memset(m->ram + pa, 0, PAGE_SIZE);
		m->kernel_pgtable_pages++;
	}
	return pa;
}

/*
 * Descend from the pgd to the table that holds vaddr's entry at `target`,
 * allocating missing intermediate tables. Returns that table, or 0.
 */
static phys_addr_t walk_alloc(struct machine *m, phys_addr_t pgd, uint64_t vaddr,
			      enum pt_level target)
{
	const struct pt_format *f = pt_format(m);
	phys_addr_t table = pgd;

	for (enum pt_level level = PT_PGD; level > target; level = next_level(f, level)) {
		unsigned int idx = pt_index(m, vaddr, level);
		uint64_t e = pt_read(m, table, idx);
		if (!(e & _PAGE_PRESENT)) {
			phys_addr_t t = pt_alloc_table(m);
			if (!t)
				return 0;
			/* Kernel tables: no user bit (user tables are mm/memory.c's). */
			e = t | _KERNPG_TABLE;
			pt_write(m, table, idx, e);
			if (level == PT_PGD && pgd == m->swapper_pg_dir)
				sync_kernel_pgd_entry(m, idx);
		} else if (e & _PAGE_PSE) {
			return 0;	/* a large page is in the way: split it first */
		}
		table = e & f->addr_mask;
	}
	return table;
}

int pt_map_range(struct machine *m, phys_addr_t pgd, uint64_t vaddr, phys_addr_t phys,
		 uint64_t size, uint64_t prot, uint64_t page_size)
{
	const struct pt_format *f = pt_format(m);
	enum pt_level level = PT_PTE;

	while (pt_level_size(m, level) != page_size || !f->present[level]) {
		if (level == PT_PGD)
			return -MMSIM_EINVAL;
		level++;
	}
	if (level != PT_PTE && !f->large_ok[level])
		return -MMSIM_EINVAL;
	uint64_t leaf = prot | (level != PT_PTE ? _PAGE_PSE : 0);
	if (m->is_32bit)
		leaf &= ~_PAGE_NX;
	for (uint64_t off = 0; off < size; off += page_size) {
		phys_addr_t table = walk_alloc(m, pgd, vaddr + off, level);
		if (!table)
			return -MMSIM_ENOMEM;
		pt_write(m, table, pt_index(m, vaddr + off, level), ((phys + off) & f->addr_mask) | leaf);
	}
	return 0;
}

bool pt_lookup(struct machine *m, phys_addr_t pgd, uint64_t vaddr, enum pt_level *level_out,
	       phys_addr_t *table_out, unsigned int *index_out)
{
	const struct pt_format *f = pt_format(m);
	phys_addr_t table = pgd;

	for (enum pt_level level = PT_PGD;; level = next_level(f, level)) {
		unsigned int idx = pt_index(m, vaddr, level);
		uint64_t e = pt_read(m, table, idx);
		if (!(e & _PAGE_PRESENT))
			return false;
		if (level == PT_PTE || (e & _PAGE_PSE)) {
			*level_out = level;
			*table_out = table;
			*index_out = idx;
			return true;
		}
		table = e & f->addr_mask;
	}
}

int pt_set_pte(struct machine *m, phys_addr_t pgd, uint64_t vaddr, uint64_t pte, uint64_t *old)
{
	phys_addr_t table = walk_alloc(m, pgd, vaddr, PT_PTE);

	if (!table)
		return -MMSIM_ENOMEM;
	unsigned int idx = pt_index(m, vaddr, PT_PTE);
	if (old)
		*old = pt_read(m, table, idx);
	if (m->is_32bit)
		pte &= ~_PAGE_NX;
	pt_write(m, table, idx, pte);
	return 0;
}

/*
 * split_large_page(): replace one large mapping by a table of 4K entries
 * (or 2M entries for a 1G page) with the same protection and targets.
 */
int pt_split_large(struct machine *m, phys_addr_t pgd, uint64_t vaddr)
{
	const struct pt_format *f = pt_format(m);
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;

	if (!pt_lookup(m, pgd, vaddr, &level, &table, &idx) || level == PT_PTE)
		return -MMSIM_EINVAL;
	uint64_t e = pt_read(m, table, idx);
	enum pt_level lower = next_level(f, level);
	phys_addr_t new_table = pt_alloc_table(m);
	if (!new_table)
		return -MMSIM_ENOMEM;
	uint64_t prot = e & ~f->addr_mask & ~_PAGE_PSE;
	if (lower != PT_PTE)
		prot |= _PAGE_PSE;
	phys_addr_t base = e & f->addr_mask;
	uint64_t step = pt_level_size(m, lower);
	for (unsigned int i = 0; i < (1U << f->index_bits); i++)
		pt_write(m, new_table, i, (base + i * step) | prot);
	/* The table entry is a plain kernel table pointer. */
	pt_write(m, table, idx, new_table | _KERNPG_TABLE);
	if (level == PT_PGD && table == m->swapper_pg_dir)
		sync_kernel_pgd_entry(m, idx);
	/* split_page_count(): the direct map, and the x86_64 image mapping, virt_addr_valid() too. */
	if ((vaddr >= m->page_offset && vaddr < m->high_memory) || in_kernel_image_map(m, vaddr)) {
		m->direct_pages_count[level]--;
		m->direct_pages_count[lower] += 1U << f->index_bits;
		/* split_page_count(): counted once the system runs (a 4M i386 page is "level 2" too). */
		if (m->system_running)
			count_vm_event(m, lower == PT_PTE ? DIRECT_MAP_LEVEL2_SPLIT
							  : DIRECT_MAP_LEVEL3_SPLIT);
	}
	return 0;
}

/* ---- the direct map -------------------------------------------------------- */

static enum pt_level large_level(const struct machine *m)
{
	return m->is_32bit ? PT_PGD : PT_PMD;
}

/* Map [start, end) of physical memory at PAGE_OFFSET with one page size. */
static int map_direct(struct machine *m, phys_addr_t start, phys_addr_t end, enum pt_level level)
{
	uint64_t size = pt_level_size(m, level);
	uint64_t prot = __PAGE_KERNEL | _PAGE_NX;

	if (start >= end)
		return 0;
	int rc = pt_map_range(m, m->swapper_pg_dir, __va(m, start), start, end - start, prot, size);
	if (!rc)
		m->direct_pages_count[level] += (unsigned long)((end - start) / size);
	return rc;
}

/*
 * init_memory_mapping() of one memory range: 4K head up to the first large
 * boundary (on i386 the whole first 4 MiB), large pages, 4K tail.
 */
static int init_memory_mapping(struct machine *m, phys_addr_t start, phys_addr_t end)
{
	uint64_t big = pt_level_size(m, large_level(m));
	phys_addr_t head_end = start == 0 && m->is_32bit ? big : ALIGN_UP(start, big);
	phys_addr_t big_end = ALIGN_DOWN(end, big);

	if (head_end > end)
		head_end = end;
	if (head_end >= big_end)
		return map_direct(m, start, end, PT_PTE);
	return map_direct(m, start, head_end, PT_PTE) ?:
	       map_direct(m, head_end, big_end, large_level(m)) ?:
	       map_direct(m, big_end, end, PT_PTE);
}

/*
 * x86_64's own mapping of its image at __START_KERNEL_map, as head_64.S
 * builds it and cleanup_highmap() trims it: 2 MiB pages, writable and
 * executable, from _text to roundup(_brk_end, 2M). Its two tables are in
 * the image's .data (level3_kernel_pgt, level2_kernel_pgt), not allocated:
 * here its last two pages (the vDSO has the first ones). Its pages are not
 * counted in DirectMap until one is split.
 */
static int map_kernel_image(struct machine *m)
{
	const uint64_t large_exec = __PAGE_KERNEL | _PAGE_PSE;
	phys_addr_t level2 = m->boot.data_end - PAGE_SIZE, level3 = level2 - PAGE_SIZE;
	kaddr_t va = kernel_image_va(m, m->boot.kernel_start);

	if (m->boot.highmap_end - m->boot.kernel_start > SZ_1G - (va - START_KERNEL_MAP))
		return -MMSIM_EINVAL;	/* KERNEL_IMAGE_SIZE: one level2 table */
	memset(m->ram + level3, 0, 2 * PAGE_SIZE);
	pt_write(m, m->swapper_pg_dir, pt_index(m, START_KERNEL_MAP, PT_PGD), level3 | _KERNPG_TABLE);
	pt_write(m, level3, pt_index(m, START_KERNEL_MAP, PT_PUD), level2 | _KERNPG_TABLE);
	for (phys_addr_t p = m->boot.kernel_start; p < m->boot.highmap_end; p += SZ_2M, va += SZ_2M)
		pt_write(m, level2, pt_index(m, va, PT_PMD), p | large_exec);
	return 0;
}

int init_kernel_page_tables(struct machine *m)
{
	const struct memblock_type *mem = &m->memblock.memory;
	/* i386 maps lowmem; x86_64 maps all of RAM. */
	phys_addr_t end = PFN_PHYS(m->is_32bit ? m->max_low_pfn : m->max_pfn);
	int rc;

	/* swapper_pg_dir (init_top_pgt on x86_64) lives in the image's .bss. */
	if (m->boot.kernel_end - m->boot.bss_start >= PAGE_SIZE)
		m->swapper_pg_dir = m->boot.bss_start;
	else
		m->swapper_pg_dir = pt_alloc_table(m);
	if (!m->swapper_pg_dir)
		return -MMSIM_ENOMEM;
	memset(m->ram + m->swapper_pg_dir, 0, PAGE_SIZE);
	/* The ISA range first, whole, then each RAM range above 1 MiB. */
	if ((rc = init_memory_mapping(m, 0, SZ_1M)))
		return rc;
	for (unsigned int i = 0; i < mem->cnt; i++) {
		phys_addr_t s = mem->regions[i].base, e = s + mem->regions[i].size;
		if (s < SZ_1M)
			s = SZ_1M;
		if (e > end)
			e = end;
		if (s < e && (rc = init_memory_mapping(m, s, e)))
			return rc;
	}
	return m->is_32bit ? 0 : map_kernel_image(m);
}

/* ---- validator ------------------------------------------------------------ */

/* The kernel tables' leaf mappings per level: in the direct map, and in x86_64's image mapping. */
struct leaf_counts {
	unsigned long direct[PT_LEVELS], image[PT_LEVELS];
};

static unsigned long verify_table(struct machine *m, phys_addr_t table, enum pt_level level,
				  uint64_t va_base, FILE *out, unsigned int depth, struct leaf_counts *leaves)
{
	const struct pt_format *f = pt_format(m);
	unsigned long bad = 0;

	if (depth > 4)
		return 1;
	unsigned long tpfn = (unsigned long)PFN_DOWN(table);
	if (!pfn_valid(m, tpfn)) {
		fprintf(out, "page table at %#" PRIx64 " is not in RAM\n", (uint64_t)table);
		return 1;
	}
	struct page *tp = pfn_to_page(m, tpfn);
	if (!PageReserved(tp) && page_ref_count(tp) <= 0) {
		fprintf(out, "page table at pfn %#lx is a free page\n", tpfn);
		bad++;
	}
	for (unsigned int i = 0; i < (1U << f->index_bits); i++) {
		uint64_t e = pt_read(m, table, i);
		if (!(e & _PAGE_PRESENT))
			continue;
		uint64_t va = va_base + ((uint64_t)i << f->shift[level]);
		if (!m->is_32bit && (va & (1ULL << 47)))
			va |= 0xffff000000000000ULL;	/* canonical: bit 47 extended */
		phys_addr_t target = e & f->addr_mask;
		/* The CPU backend's entry area: its own pages, outside RAM. */
		if (level == PT_PGD && m->cpu_entry_pgd_entry && i == m->cpu_entry_pgd_index) {
			if (e != m->cpu_entry_pgd_entry) {
				fprintf(out, "the entry area's PGD entry is %#" PRIx64 ", the CPU backend made %#" PRIx64 "\n",
					e, m->cpu_entry_pgd_entry);
				bad++;
			}
			continue;
		}
		if (level == PT_PTE || (e & _PAGE_PSE)) {
			if (va >= m->page_offset && va < m->high_memory)
				leaves->direct[level]++;
			else if (in_kernel_image_map(m, va))
				leaves->image[level]++;
			/*
			 * A leaf: the frame must exist, unless an ioremap maps device or
			 * firmware memory there (uncached, or a memremap's write-back area,
			 * whose pages vmalloc_verify() checks against the area).
			 */
			if (target >= PFN_PHYS(m->max_pfn) && !(e & (_PAGE_PCD | _PAGE_PWT)) &&
			    !is_vmalloc_addr(m, va)) {
				fprintf(out, "%s entry for %#" PRIx64 " maps %#" PRIx64 " beyond RAM\n",
					pt_level_name(m, level), va, (uint64_t)target);
				bad++;
			}
			continue;
		}
		bad += verify_table(m, target, next_level(f, level), va, out, depth + 1, leaves);
	}
	return bad;
}

unsigned long pgtable_verify(struct machine *m, FILE *out)
{
	if (!m->swapper_pg_dir)
		return 0;
	struct leaf_counts leaves = { { 0 }, { 0 } };
	unsigned long bad = verify_table(m, m->swapper_pg_dir, PT_PGD, 0, out, 0, &leaves);
	/*
	 * The direct map's counts add up to what init_kernel_page_tables()
	 * mapped: all of the first 1 MiB, then RAM up to the end of lowmem.
	 */
	uint64_t mapped = 0, expected = SZ_1M;
	phys_addr_t end = PFN_PHYS(m->is_32bit ? m->max_low_pfn : m->max_pfn);
	for (int l = 0; l < PT_LEVELS; l++)
		mapped += (uint64_t)m->direct_pages_count[l] * pt_level_size(m, (enum pt_level)l);
	for (unsigned int i = 0; i < m->memblock.memory.cnt; i++) {
		phys_addr_t s = m->memblock.memory.regions[i].base;
		phys_addr_t e = s + m->memblock.memory.regions[i].size;
		s = s < SZ_1M ? SZ_1M : s;
		e = e > end ? end : e;
		if (s < e)
			expected += e - s;
	}
	if (mapped != expected) {
		fprintf(out, "direct map counts cover %#" PRIx64 " bytes, RAM to map is %#" PRIx64 "\n",
			mapped, expected);
		bad++;
	}
	/*
	 * The counters against the tables: the direct map's leaves of each
	 * size, plus the image mapping's 4K leaves, which split_page_count()
	 * moved from the 2M count to the 4K one.
	 */
	enum pt_level large = large_level(m);
	unsigned long want_4k = leaves.direct[PT_PTE] + leaves.image[PT_PTE];
	unsigned long want_large = leaves.direct[large] - (leaves.image[PT_PTE] >> pt_format(m)->index_bits);
	if (m->direct_pages_count[PT_PTE] != want_4k || m->direct_pages_count[large] != want_large) {
		fprintf(out, "DirectMap counts 4K %lu, large %lu; the tables have 4K %lu, large %lu "
			"(the image mapping's 4K %lu)\n", m->direct_pages_count[PT_PTE],
			m->direct_pages_count[large], want_4k, want_large, leaves.image[PT_PTE]);
		bad++;
	}
	return bad;
}

/* ---- user page directories (arch/x86/mm/pgtable.c) -------------------------------- */

/* The first PGD entry of the kernel half: pgd_index(PAGE_OFFSET) (KERNEL_PGD_BOUNDARY). */
static unsigned int kernel_pgd_boundary(const struct machine *m)
{
	return pt_index(m, m->page_offset, PT_PGD);
}

/*
 * pgd_alloc(): a new page directory whose user half is empty and whose
 * kernel half is the kernel's own (clone_pgd_range from swapper_pg_dir),
 * so that every process sees the same kernel. x86_64 allocates two pages
 * (PGD_ALLOCATION_ORDER 1: the second is page-table isolation's user
 * copy, built even where PTI is off). 0 without memory.
 */
phys_addr_t pgd_alloc(struct machine *m, struct list_head *pgd_list_entry)
{
	unsigned int order = m->is_32bit ? 0 : 1;
	struct page *page = alloc_pages(m, GFP_PGTABLE_USER, order);

	if (!page)
		return 0;
	phys_addr_t pgd = PFN_PHYS(page_to_pfn(m, page));
	const struct pt_format *f = pt_format(m);
	unsigned int entries = 1U << f->index_bits;
	for (unsigned int i = kernel_pgd_boundary(m); i < entries; i++)
		pt_write(m, pgd, i, pt_read(m, m->swapper_pg_dir, i));
	/* pgd_list: the kernel half is copied again when swapper_pg_dir gains an entry. */
	list_add(pgd_list_entry, &m->pgd_list);
	return pgd;
}

void pgd_free(struct machine *m, phys_addr_t pgd, struct list_head *pgd_list_entry)
{
	list_del(pgd_list_entry);
	/* A real CPU whose CR3 it was must not keep its translations for the next owner. */
	if (m->cpu_backend)
		m->cpu_backend->flush(m, pgd, 0, 0);
	/* A CPU still holding it (lazily, for a kernel thread) goes back to the kernel's. */
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		if (m->cpu_mmu[cpu].cr3 == pgd)
			write_cr3(m, cpu, m->swapper_pg_dir);
	__free_pages(m, pfn_to_page(m, (unsigned long)PFN_DOWN(pgd)), m->is_32bit ? 0 : 1);
}

/*
 * arch_sync_kernel_mappings() / the 2-level i386 vmalloc_sync: a new entry
 * in the kernel half of swapper_pg_dir must appear in every process's PGD,
 * which copied that half when it was made.
 */
void sync_kernel_pgd_entry(struct machine *m, unsigned int idx)
{
	uint64_t e = pt_read(m, m->swapper_pg_dir, idx);
	struct list_head *pos;

	list_for_each(pos, &m->pgd_list) {
		pt_write(m, container_of(pos, struct mm_struct, pgd_list)->pgd, idx, e);
	}
}
