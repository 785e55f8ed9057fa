/* mlock.c — locking pages in memory (mm/mlock.c): mlock, mlock2, munlock,
 * mlockall, munlockall.
 *
 * A locked VMA (VM_LOCKED) keeps its pages resident: they are faulted in
 * at once (unless MLOCK_ONFAULT: VM_LOCKONFAULT, as they are touched),
 * marked PG_mlocked (NR_MLOCK, Mlocked in /proc/meminfo) and moved to the
 * unevictable LRU, where reclaim never looks. locked_vm (VmLck) counts
 * the locked VMAs' pages against RLIMIT_MEMLOCK — unless CAP_IPC_LOCK,
 * which root has. mlockall(MCL_FUTURE) puts VM_LOCKED into def_flags, so
 * every later mapping and brk is locked too. */
#include "arch/x86/mmu.h"
#include "kernel/sched.h"
#include "mm/internal.h"

/* Is @page mapped by a VM_LOCKED VMA other than through its last mapping going now? */
static bool locked_visit(struct machine *m, struct page *page, struct vm_area_struct *vma,
			 uint64_t addr, void *arg)
{
	uint64_t pte;

	(void)page;
	if ((vma->vm_flags & VM_LOCKED) && follow_pte(m, vma->vm_mm, addr, &pte) &&
	    (pte & _PAGE_PRESENT)) {
		*(bool *)arg = true;
		return false;
	}
	return true;
}

bool page_mlocked_elsewhere(struct machine *m, struct page *page)
{
	bool found = false;

	if (PageAnon(page))
		rmap_walk_anon(m, page, locked_visit, &found);
	return found;
}

static void mlock_or_munlock(struct machine *m, struct page *page, unsigned long newflags)
{
	if (newflags & VM_LOCKED)
		mlock_page(m, page);
	else if (!page_mlocked_elsewhere(m, page))
		munlock_page(m, page);
}

/* mlock_pte_range()'s two cases: a huge page mapped whole (not the huge zero page), one PTE. */
static void mlock_walk_pmd(struct mm_walk *walk, uint64_t addr, uint64_t pmd)
{
	struct machine *m = walk->m;

	(void)addr;
	if (!is_huge_zero_pmd(m, pmd))
		mlock_or_munlock(m, pmd_page(m, pmd), walk->vma->vm_flags);
}

static void mlock_walk_pte(struct mm_walk *walk, uint64_t addr, uint64_t pte)
{
	if (!(pte & _PAGE_PRESENT))
		return;
	struct page *page = vm_normal_page(walk->m, walk->vma, addr, pte);
	/* A huge page mapped by PTEs is left alone, as 6.1 leaves it. */
	if (page && !PageCompound(page))
		mlock_or_munlock(walk->m, page, walk->vma->vm_flags);
}

static const struct mm_walk_ops mlock_walk_ops = {
	.pmd_entry = mlock_walk_pmd,
	.pte_entry = mlock_walk_pte,
};

/*
 * mlock_vma_pages_range(): mark the pages already there; populate brings
 * the rest. The page walk skips a missing table whole, as the kernel's
 * walk_page_range() does: a huge sparse VMA costs what its tables cost.
 */
static void mlock_vma_pages_range(struct machine *m, struct vm_area_struct *vma, uint64_t start,
				  uint64_t end, unsigned long newflags)
{
	vma->vm_flags = newflags;
	walk_page_range_vma(m, vma, start, end, &mlock_walk_ops, NULL);
}

static int mlock_fixup(struct machine *m, struct vm_area_struct *vma,
		       struct vm_area_struct **prev, uint64_t start, uint64_t end,
		       unsigned long newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long oldflags = vma->vm_flags;
	int ret = 0;

	/* Special mappings are never locked, nor counted. */
	if (newflags == oldflags || (oldflags & VM_SPECIAL))
		goto out;
	unsigned long pgoff = vma->vm_pgoff + (unsigned long)((start - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *merged = vma_merge(m, mm, *prev, start, end, newflags, vma->anon_vma,
						  vma->vm_file, pgoff);
	if (merged) {
		vma = merged;
	} else {
		if (start != vma->vm_start && (ret = split_vma(m, mm, vma, start, true)))
			goto out;
		if (end != vma->vm_end && (ret = split_vma(m, mm, vma, end, false)))
			goto out;
	}
	long nr_pages = (long)((end - start) >> PAGE_SHIFT);
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	mm->locked_vm += (unsigned long)nr_pages;
	if ((newflags & VM_LOCKED) && (oldflags & VM_LOCKED))
		vma->vm_flags = newflags;	/* locking twice would count twice */
	else
		mlock_vma_pages_range(m, vma, start, end, newflags);
out:
	*prev = vma;
	return ret;
}

static int apply_vma_lock_flags(struct machine *m, uint64_t start, uint64_t len,
				unsigned long flags)
{
	struct mm_struct *mm = get_current(m)->mm;
	uint64_t end = user_ulong(m, start + len);

	if (end < start)
		return -MMSIM_EINVAL;
	if (end == start)
		return 0;
	struct vm_area_struct *vma = find_vma(mm, start);
	if (!vma || vma->vm_start > start)
		return -MMSIM_ENOMEM;
	struct vm_area_struct *prev = start > vma->vm_start ? vma : vma->vm_prev;
	int err = 0;
	for (uint64_t nstart = start;;) {
		unsigned long newflags = (vma->vm_flags & VM_LOCKED_CLEAR_MASK) | flags;
		uint64_t tmp = vma->vm_end < end ? vma->vm_end : end;
		err = mlock_fixup(m, vma, &prev, nstart, tmp, newflags);
		if (err)
			break;
		nstart = tmp;
		if (nstart < prev->vm_end)
			nstart = prev->vm_end;
		if (nstart >= end)
			break;
		vma = find_vma(mm, prev->vm_end);
		if (!vma || vma->vm_start != nstart) {
			err = -MMSIM_ENOMEM;
			break;
		}
	}
	return err;
}

/* count_mm_mlocked_page_nr(): pages of [start, start+len) already locked. */
static unsigned long count_mm_mlocked_page_nr(struct mm_struct *mm, uint64_t start, uint64_t len)
{
	uint64_t end = start + len;
	unsigned long count = 0;

	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = vma->vm_next) {
		if (!(vma->vm_flags & VM_LOCKED))
			continue;
		uint64_t s = vma->vm_start > start ? vma->vm_start : start;
		uint64_t e = vma->vm_end < end ? vma->vm_end : end;
		count += (unsigned long)((e - s) >> PAGE_SHIFT);
	}
	return count;
}

/* __mlock_posix_error_return(): POSIX says ENOMEM for a hole, EAGAIN for no memory. */
static int mlock_posix_error(int err)
{
	if (err == -MMSIM_EFAULT)
		return -MMSIM_ENOMEM;
	if (err == -MMSIM_ENOMEM)
		return -MMSIM_EAGAIN;
	return err;
}

int do_mlock(struct machine *m, uint64_t start, uint64_t len, unsigned long flags)
{
	struct task_struct *t = get_current(m);
	struct mm_struct *mm = t->mm;

	if (!can_do_mlock(t))
		return -MMSIM_EPERM;
	len = user_ulong(m, ALIGN_UP(len + (start & (PAGE_SIZE - 1)), PAGE_SIZE));
	start &= PAGE_MASK;
	uint64_t lock_limit = rlimit(t, RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	uint64_t locked = (len >> PAGE_SHIFT) + mm->locked_vm;
	if (locked > lock_limit && !capable(t, CAP_IPC_LOCK))
		locked -= count_mm_mlocked_page_nr(mm, start, len);
	if (locked > lock_limit && !capable(t, CAP_IPC_LOCK))
		return -MMSIM_ENOMEM;
	int err = apply_vma_lock_flags(m, start, len, flags);
	if (err)
		return err;
	err = __mm_populate(m, start, len, false);
	return err ? mlock_posix_error(err) : 0;
}

int do_munlock(struct machine *m, uint64_t start, uint64_t len)
{
	len = user_ulong(m, ALIGN_UP(len + (start & (PAGE_SIZE - 1)), PAGE_SIZE));
	start &= PAGE_MASK;
	return apply_vma_lock_flags(m, start, len, 0);
}

/* apply_mlockall_flags(): every VMA, and (MCL_FUTURE) def_flags for the ones to come. */
static void apply_mlockall_flags(struct machine *m, int flags)
{
	struct mm_struct *mm = get_current(m)->mm;
	unsigned long to_add = 0;

	mm->def_flags &= VM_LOCKED_CLEAR_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	for (struct vm_area_struct *vma = mm->mmap, *prev = NULL, *next; vma; vma = next) {
		next = vma->vm_next;
		unsigned long newflags = (vma->vm_flags & VM_LOCKED_CLEAR_MASK) | to_add;
		mlock_fixup(m, vma, &prev, vma->vm_start, vma->vm_end, newflags);
		next = prev->vm_next;
	}
}

int do_mlockall(struct machine *m, int flags)
{
	struct task_struct *t = get_current(m);

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -MMSIM_EINVAL;
	if (!can_do_mlock(t))
		return -MMSIM_EPERM;
	uint64_t lock_limit = rlimit(t, RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	if (!(flags & MCL_CURRENT) || t->mm->total_vm <= lock_limit || capable(t, CAP_IPC_LOCK)) {
		apply_mlockall_flags(m, flags);
		if (flags & MCL_CURRENT)
			__mm_populate(m, 0, t->mm->task_size, true);
		return 0;
	}
	return -MMSIM_ENOMEM;
}

int do_munlockall(struct machine *m)
{
	apply_mlockall_flags(m, 0);
	return 0;
}
