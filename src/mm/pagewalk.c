/* pagewalk.c — visiting the page-table entries of a range of a VMA
 * (the kernel's mm/pagewalk.c, walk_page_range / walk_page_vma).
 *
 * /proc/PID/smaps and anything else that reports on what is mapped walks
 * the tables top-down and skips a missing table at whatever level it is
 * missing, so an enormous sparse VMA costs what its tables cost, not what
 * its size would. The walk changes nothing; callbacks see the entries as
 * they are. */
#include "mm.h"

/* The level below @level that this format has (i386 folds the PUD and PMD). */
static enum pt_level level_below(const struct pt_format *f, enum pt_level level)
{
	do {
		level--;
	} while (!f->present[level]);
	return level;
}

static void walk_table(struct mm_walk *walk, phys_addr_t table, enum pt_level level,
		       uint64_t start, uint64_t end)
{
	struct machine *m = walk->m;
	const struct pt_format *f = pt_format(m);
	uint64_t size = pt_level_size(m, level);

	for (uint64_t addr = start; addr < end;) {
		uint64_t next = (addr & ~(size - 1)) + size;
		if (next > end || next == 0)
			next = end;
		uint64_t e = pt_read(m, table, pt_index(m, addr, level));
		if (level == PT_PTE) {
			if (e && walk->ops->pte_entry)
				walk->ops->pte_entry(walk, addr, e);
		} else if (!(e & _PAGE_PRESENT)) {
			/* Nothing below: the whole entry's range is a hole. */
		} else if (e & _PAGE_PSE) {
			/* A huge page (only PMDs map one in user space). */
			if (walk->ops->pmd_entry)
				walk->ops->pmd_entry(walk, addr & ~(size - 1), e);
		} else {
			walk_table(walk, e & f->addr_mask, level_below(f, level), addr, next);
		}
		addr = next;
	}
}

void walk_page_range_vma(struct machine *m, struct vm_area_struct *vma, uint64_t start,
			 uint64_t end, const struct mm_walk_ops *ops, void *private)
{
	struct mm_walk walk = { .m = m, .vma = vma, .ops = ops, .private = private };

	if (start < vma->vm_start)
		start = vma->vm_start;
	if (end > vma->vm_end)
		end = vma->vm_end;
	if (start < end)
		walk_table(&walk, vma->vm_mm->pgd, PT_PGD, start, end);
}
