/* set_memory.c — changing the protection of kernel mappings: set_memory_ro(),
 * set_memory_rw(), set_memory_nx() and set_memory_x() (arch/x86/mm/pat/
 * set_memory.c, "CPA").
 *
 * A change that covers only part of a large page splits it first, so each
 * 4K page can carry its own protection; a change that leaves a large page's
 * protection as it was keeps it whole. A change of RW on an address outside
 * the direct map (the x86_64 kernel-image mapping, vmalloc, modules) is made
 * to the same frames' other mappings too — their direct-map alias and, on
 * x86_64, their kernel-image alias — since a frame writable through one
 * mapping is writable whatever the other says. NX-only changes skip that
 * (the kernel's CPA_NO_CHECK_ALIAS for _PAGE_NX).
 *
 * Splits of the x86_64 kernel-image mapping are counted as the kernel counts
 * them: split_page_count() moves them from DirectMap2M to DirectMap4k,
 * because virt_addr_valid() holds for __START_KERNEL_map addresses too. */
#include "arch/x86/mmu.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/set_memory.h"
#include "mm.h"

kaddr_t kernel_image_va(const struct machine *m, phys_addr_t phys)
{
	if (m->is_32bit)
		return __va(m, phys);
	/* phys_base: where the image sits against LOAD_PHYSICAL_ADDR. */
	phys_addr_t phys_base = m->boot.kernel_start - m->profile->kernel_load_addr;
	return START_KERNEL_MAP + phys - phys_base;
}

bool in_kernel_image_map(const struct machine *m, kaddr_t va)
{
	return !m->is_32bit && m->boot.highmap_end &&
	       va >= kernel_image_va(m, m->boot.kernel_start) &&
	       va < kernel_image_va(m, m->boot.highmap_end);
}

static bool in_direct_map(const struct machine *m, kaddr_t va)
{
	return va >= m->page_offset && va < m->high_memory;
}

/* The frame behind a kernel address, through swapper_pg_dir; false if unmapped. */
static bool kernel_va_to_phys(struct machine *m, kaddr_t va, phys_addr_t *phys)
{
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;

	if (!pt_lookup(m, m->swapper_pg_dir, va, &level, &table, &idx))
		return false;
	uint64_t size = pt_level_size(m, level);
	*phys = (pt_read(m, table, idx) & pt_format(m)->addr_mask & ~(size - 1)) + (va & (size - 1));
	return true;
}

/*
 * __change_page_attr() over [va, end) of one mapping. A large page the
 * range covers in full changes in place; one it covers in part is split
 * (__should_split_large_page()) unless the change leaves it as it was.
 * Unmapped pages are skipped, as the alias walk skips holes.
 */
static int change_mapping(struct machine *m, kaddr_t va, kaddr_t end, uint64_t set, uint64_t clr)
{
	while (va < end) {
		enum pt_level level;
		phys_addr_t table;
		unsigned int idx;
		if (!pt_lookup(m, m->swapper_pg_dir, va, &level, &table, &idx)) {
			va = (va & PAGE_MASK) + PAGE_SIZE;
			continue;
		}
		uint64_t size = pt_level_size(m, level);
		kaddr_t lstart = va & ~(size - 1), lend = lstart + size;
		uint64_t old = pt_read(m, table, idx), new = (old | set) & ~clr;
		if (level != PT_PTE && new != old && (va != lstart || end < lend)) {
			int rc = pt_split_large(m, m->swapper_pg_dir, va);
			if (rc)
				return rc;
			continue;	/* again, now at 4K */
		}
		if (new != old)
			pt_write(m, table, idx, new);
		va = lend < end ? lend : end;
	}
	return 0;
}

/* The aliases of the frames [phys, phys + len), whose primary mapping is at va. */
static int change_alias_run(struct machine *m, kaddr_t va, phys_addr_t phys, uint64_t len,
			    uint64_t set, uint64_t clr)
{
	phys_addr_t direct_end = PFN_PHYS(m->is_32bit ? m->max_low_pfn : m->max_pfn);
	int rc = 0;

	if (!in_direct_map(m, va) && phys < direct_end) {
		uint64_t n = direct_end - phys < len ? direct_end - phys : len;
		rc = change_mapping(m, __va(m, phys), __va(m, phys) + n, set, clr);
	}
	if (!rc && !m->is_32bit && m->boot.highmap_end && !in_kernel_image_map(m, va) &&
	    phys < m->boot.highmap_end && phys + len > m->boot.kernel_start) {
		phys_addr_t s = phys > m->boot.kernel_start ? phys : m->boot.kernel_start;
		phys_addr_t e = phys + len < m->boot.highmap_end ? phys + len : m->boot.highmap_end;
		rc = change_mapping(m, kernel_image_va(m, s), kernel_image_va(m, e), set, clr);
	}
	return rc;
}

/*
 * cpa_process_alias(): the other mappings of the frames behind [va, end):
 * the direct map when va is not in it, and the kernel-image mapping when
 * va is not in it and the frame is one that mapping covers. The frames are
 * taken in runs of consecutive ones, as the kernel takes each chunk it
 * changed, so that a run covering a whole large page of the alias changes
 * it in place.
 */
static int change_aliases(struct machine *m, kaddr_t va, kaddr_t end, uint64_t set, uint64_t clr)
{
	kaddr_t run_va = 0;
	phys_addr_t run_phys = 0;
	uint64_t run_len = 0;

	for (; va < end; va += PAGE_SIZE) {
		phys_addr_t phys;
		bool mapped = kernel_va_to_phys(m, va, &phys);
		if (run_len && mapped && phys == run_phys + run_len) {
			run_len += PAGE_SIZE;
			continue;
		}
		if (run_len) {
			int rc = change_alias_run(m, run_va, run_phys, run_len, set, clr);
			if (rc)
				return rc;
		}
		run_len = mapped ? PAGE_SIZE : 0;
		run_va = va;
		run_phys = phys;
	}
	return run_len ? change_alias_run(m, run_va, run_phys, run_len, set, clr) : 0;
}

/* change_page_attr_set_clr(): the mapping, its aliases unless NX is all that changes, a flush. */
static int change_page_attr(struct machine *m, kaddr_t addr, unsigned long numpages, uint64_t set,
			    uint64_t clr)
{
	kaddr_t start = addr & PAGE_MASK, end = start + ((uint64_t)numpages << PAGE_SHIFT);
	int rc;

	if (!numpages)
		return 0;
	if (end < start)
		return -MMSIM_EINVAL;
	rc = change_mapping(m, start, end, set, clr);
	if (!rc && ((set | clr) & ~_PAGE_NX))
		rc = change_aliases(m, start, end, set, clr);
	/* cpa_flush(): every CPU, the large pages' global entries included. */
	if (m->cpu_mmu)
		flush_tlb_all(m);
	return rc;
}

int set_memory_ro(struct machine *m, kaddr_t addr, unsigned long numpages)
{
	return change_page_attr(m, addr, numpages, 0, _PAGE_RW);
}

int set_memory_rw(struct machine *m, kaddr_t addr, unsigned long numpages)
{
	return change_page_attr(m, addr, numpages, _PAGE_RW, 0);
}

/* Without PAE a 32-bit x86 has no NX bit: __supported_pte_mask lacks it and both return at once. */
int set_memory_nx(struct machine *m, kaddr_t addr, unsigned long numpages)
{
	return m->is_32bit ? 0 : change_page_attr(m, addr, numpages, _PAGE_NX, 0);
}

int set_memory_x(struct machine *m, kaddr_t addr, unsigned long numpages)
{
	return m->is_32bit ? 0 : change_page_attr(m, addr, numpages, 0, _PAGE_NX);
}
