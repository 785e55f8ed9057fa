/* mremap.c — resizing and moving a mapping (mm/mremap.c).
 *
 * Shrinking unmaps the tail. Growing extends the VMA in place if the room
 * after it is free (the extension may then merge with what follows);
 * otherwise, with MREMAP_MAYMOVE, the mapping moves: a new VMA (copy_vma)
 * takes the page-table entries themselves — the same frames, no copying —
 * and the old range is unmapped (unless MREMAP_DONTUNMAP, which leaves it
 * mapped but empty). MREMAP_FIXED names the destination, replacing what
 * is there. */
#include "arch/x86/mmu.h"
#include "kernel/sched.h"
#include "mm/internal.h"

/* vma_to_resize(): the VMA at @addr, if [addr, addr+old_len) may become new_len long. */
static struct vm_area_struct *vma_to_resize(struct machine *m, uint64_t addr, uint64_t old_len,
					    uint64_t new_len, unsigned long flags, int *err)
{
	struct task_struct *t = get_current(m);
	struct mm_struct *mm = t->mm;
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || vma->vm_start > addr) {
		*err = -MMSIM_EFAULT;
		return NULL;
	}
	/* Duplicating a private mapping (old_len 0) makes no sense: refused. */
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE))) {
		if (!m->warned_mremap_dup) {
			m->warned_mremap_dup = true;
			pr_warn(m, "%s (%d): attempted to duplicate a private mapping with mremap.  This is "
				"not supported.\n", t->comm, t->pid);
		}
		*err = -MMSIM_EINVAL;
		return NULL;
	}
	if ((flags & MREMAP_DONTUNMAP) && (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))) {
		*err = -MMSIM_EINVAL;
		return NULL;
	}
	if (old_len > vma->vm_end - addr) {
		*err = -MMSIM_EFAULT;	/* across VMA boundaries */
		return NULL;
	}
	if (new_len == old_len)
		return vma;
	unsigned long pgoff = (unsigned long)((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff) {
		*err = -MMSIM_EINVAL;
		return NULL;
	}
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)) {
		*err = -MMSIM_EFAULT;
		return NULL;
	}
	if (mlock_future_check(m, mm, vma->vm_flags, new_len - old_len)) {
		*err = -MMSIM_EAGAIN;
		return NULL;
	}
	if (!may_expand_vm(m, mm, vma->vm_flags, (unsigned long)((new_len - old_len) >> PAGE_SHIFT))) {
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	return vma;
}

/*
 * move_page_tables(): the PTEs of [old_addr, old_addr+len) move to
 * new_addr — the same frames, map counts and RSS (the mm is the same),
 * marked soft-dirty on x86_64. Huge PMDs move whole when both ends are
 * aligned; otherwise they are split first. Returns the bytes moved.
 */
uint64_t move_page_range(struct machine *m, struct vm_area_struct *vma, uint64_t old_addr,
			 uint64_t new_addr, uint64_t len)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t pmd_size = pt_level_size(m, PT_PMD);
	uint64_t done = 0;

	for (; done < len;) {
		uint64_t oa = old_addr + done, na = new_addr + done;
		phys_addr_t opmd_table = user_walk(m, mm, oa, PT_PMD, false, NULL);
		uint64_t opmd = opmd_table ? pt_read(m, opmd_table, pt_index(m, oa, PT_PMD)) : 0;
		if ((opmd & _PAGE_PRESENT) && (opmd & _PAGE_PSE)) {
			bool whole = !(oa & (pmd_size - 1)) && !(na & (pmd_size - 1)) && len - done >= pmd_size;
			bool oom = false;
			phys_addr_t npmd_table = whole ? user_walk(m, mm, na, PT_PMD, true, &oom) : 0;
			if (whole && npmd_table && !pt_read(m, npmd_table, pt_index(m, na, PT_PMD))) {
				pt_write(m, opmd_table, pt_index(m, oa, PT_PMD), 0);
				flush_tlb_mm_range(m, mm, oa, oa + pmd_size);
				pt_write(m, npmd_table, pt_index(m, na, PT_PMD), opmd);
				done += pmd_size;
				continue;
			}
			if (whole && oom)
				break;
			__split_huge_pmd(m, vma, opmd_table, pt_index(m, oa, PT_PMD), oa & ~(pmd_size - 1));
		}
		uint64_t pte;
		if (follow_pte(m, mm, oa, &pte) && pte) {
			phys_addr_t otable = user_walk(m, mm, oa, PT_PTE, false, NULL);
			bool oom = false;
			phys_addr_t ntable = user_walk(m, mm, na, PT_PTE, true, &oom);
			if (!ntable)
				break;
			unsigned int oi = pt_index(m, oa, PT_PTE), ni = pt_index(m, na, PT_PTE);
			uint64_t e = pt_read(m, otable, oi);
			pt_write(m, otable, oi, 0);
			flush_tlb_mm_range(m, mm, oa, oa + PAGE_SIZE);
			if (e & _PAGE_PRESENT)
				e |= m->vm_softdirty ? _PAGE_SOFT_DIRTY : 0;
			else if (e && m->vm_softdirty)
				e |= _PAGE_SWP_SOFT_DIRTY;	/* a swap entry keeps its soft-dirty bit apart */
			pt_write(m, ntable, ni, e);
		}
		done += PAGE_SIZE;
	}
	return done;
}

static int64_t move_vma(struct machine *m, struct vm_area_struct *vma, uint64_t old_addr,
			uint64_t old_len, uint64_t new_len, uint64_t new_addr, bool *locked,
			unsigned long flags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long vm_flags = vma->vm_flags;
	uint64_t account_start = 0, account_end = 0;
	int err = 0;

	if (mm->map_count >= m->vm.max_map_count - 3)
		return -MMSIM_ENOMEM;
	if (vma->vm_ops && vma->vm_ops->may_split) {
		if (vma->vm_start != old_addr)
			err = vma->vm_ops->may_split(vma, old_addr);
		if (!err && vma->vm_end != old_addr + old_len)
			err = vma->vm_ops->may_split(vma, old_addr + old_len);
		if (err)
			return err;
	}
	/*
	 * Only what the move adds is charged (6.1.y's to_account): the old
	 * range's reservation passes to the new VMA — VM_ACCOUNT is
	 * concealed below so that unmapping the old range does not undo it.
	 * Charging all of new_len counted the old range twice, for as long
	 * as the new VMA lived. With MREMAP_DONTUNMAP the old range stays
	 * mapped and charged, so the new one is charged in full.
	 */
	unsigned long to_account = (unsigned long)(((flags & MREMAP_DONTUNMAP) ? new_len
									: new_len - old_len) >> PAGE_SHIFT);
	if ((vm_flags & VM_ACCOUNT) && security_vm_enough_memory_mm(m, mm, to_account))
		return -MMSIM_ENOMEM;
	unsigned long new_pgoff = vma->vm_pgoff + (unsigned long)((old_addr - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *new_vma = copy_vma(m, &vma, new_addr, new_len, new_pgoff);
	if (!new_vma) {
		if (vm_flags & VM_ACCOUNT)
			vm_unacct_memory(m, to_account);
		return -MMSIM_ENOMEM;
	}
	uint64_t moved = move_page_range(m, vma, old_addr, new_addr, old_len);
	if (moved < old_len) {
		err = -MMSIM_ENOMEM;
	} else if (vma->vm_ops && vma->vm_ops->mremap) {
		err = vma->vm_ops->mremap(new_vma);
	}
	if (err) {
		/* Move back what moved, and unmap the new area instead. */
		move_page_range(m, new_vma, new_addr, old_addr, moved);
		vma = new_vma;
		old_len = new_len;
		old_addr = new_addr;
		new_addr = (uint64_t)(int64_t)err;
	}
	/* Conceal VM_ACCOUNT so that unmapping the old range does not undo the charge. */
	if ((vm_flags & VM_ACCOUNT) && !(flags & MREMAP_DONTUNMAP)) {
		vma->vm_flags &= ~VM_ACCOUNT;
		if (vma->vm_start < old_addr)
			account_start = vma->vm_start;
		if (vma->vm_end > old_addr + old_len)
			account_end = vma->vm_end;
	}
	unsigned long hiwater_vm = mm->hiwater_vm;
	vm_stat_account(mm, vma->vm_flags, (long)(new_len >> PAGE_SHIFT));
	if (!err && (flags & MREMAP_DONTUNMAP)) {
		vma->vm_flags &= VM_LOCKED_CLEAR_MASK;
		if (new_vma != vma && vma->vm_start == old_addr && vma->vm_end == old_addr + old_len)
			unlink_anon_vmas(m, vma);
		return (int64_t)new_addr;
	}
	if (do_munmap(m, mm, old_addr, old_len) < 0) {
		if ((vm_flags & VM_ACCOUNT) && !(flags & MREMAP_DONTUNMAP))
			vm_unacct_memory(m, 0);
		account_start = account_end = 0;
	}
	if (vm_flags & VM_LOCKED) {
		mm->locked_vm += (unsigned long)(new_len >> PAGE_SHIFT);
		*locked = true;
	}
	mm->hiwater_vm = hiwater_vm;
	/* The pieces left on either side keep their charge. */
	if (account_start) {
		struct vm_area_struct *v = find_vma(mm, account_start);
		if (v)
			v->vm_flags |= VM_ACCOUNT;
	}
	if (account_end) {
		struct vm_area_struct *v = find_vma(mm, old_addr + old_len);
		if (v)
			v->vm_flags |= VM_ACCOUNT;
	}
	return err ? err : (int64_t)new_addr;
}

static int64_t mremap_to(struct machine *m, uint64_t addr, uint64_t old_len, uint64_t new_addr,
			 uint64_t new_len, bool *locked, unsigned long flags)
{
	struct mm_struct *mm = get_current(m)->mm;
	int err;

	if (new_addr & (PAGE_SIZE - 1))
		return -MMSIM_EINVAL;
	if (new_len > mm->task_size || new_addr > mm->task_size - new_len)
		return -MMSIM_EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -MMSIM_EINVAL;	/* the two ranges overlap */
	if (mm->map_count + 2 >= m->vm.max_map_count - 3)
		return -MMSIM_ENOMEM;
	if ((flags & MREMAP_FIXED) && (err = do_munmap(m, mm, new_addr, new_len)))
		return err;
	if (old_len > new_len) {
		if ((err = do_munmap(m, mm, addr + new_len, old_len - new_len)))
			return err;
		old_len = new_len;
	}
	struct vm_area_struct *vma = vma_to_resize(m, addr, old_len, new_len, flags, &err);
	if (!vma)
		return err;
	if ((flags & MREMAP_DONTUNMAP) &&
	    !may_expand_vm(m, mm, vma->vm_flags, (unsigned long)(old_len >> PAGE_SHIFT)))
		return -MMSIM_ENOMEM;
	unsigned long map_flags = (flags & MREMAP_FIXED ? MAP_FIXED : 0) |
				  (vma->vm_flags & VM_MAYSHARE ? MAP_SHARED : 0);
	int64_t r = get_unmapped_area(m, vma->vm_file, new_addr, new_len,
				      vma->vm_pgoff + (unsigned long)((addr - vma->vm_start) >> PAGE_SHIFT),
				      map_flags);
	if (r < 0)
		return r;
	if (!(flags & MREMAP_FIXED))
		new_addr = (uint64_t)r;
	return move_vma(m, vma, addr, old_len, new_len, new_addr, locked, flags);
}

/* vma_expandable(): is the room after @vma free for @delta more bytes? */
static bool vma_expandable(struct machine *m, struct vm_area_struct *vma, uint64_t delta)
{
	uint64_t end = vma->vm_end + delta;

	if (end < vma->vm_end)
		return false;
	if (find_vma_intersection(vma->vm_mm, vma->vm_end, end))
		return false;
	if (get_unmapped_area(m, NULL, vma->vm_start, end - vma->vm_start, 0, MAP_FIXED) < 0)
		return false;
	return true;
}

int64_t sys_mremap(struct machine *m, uint64_t addr, uint64_t old_len, uint64_t new_len,
		   unsigned long flags, uint64_t new_addr)
{
	struct mm_struct *mm = get_current(m)->mm;
	bool locked = false;
	int64_t ret = -MMSIM_EINVAL;
	int err;

	if (flags & ~(unsigned long)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return ret;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return ret;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return ret;
	if (addr & (PAGE_SIZE - 1))
		return ret;
	old_len = user_ulong(m, ALIGN_UP(old_len, PAGE_SIZE));
	new_len = user_ulong(m, ALIGN_UP(new_len, PAGE_SIZE));
	if (!new_len)
		return ret;
	struct vm_area_struct *vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		return -MMSIM_EFAULT;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		ret = mremap_to(m, addr, old_len, new_addr, new_len, &locked, flags);
		goto out;
	}
	/* Shrinking is always allowed: it only unmaps. */
	if (old_len >= new_len) {
		int r = do_munmap(m, mm, addr + new_len, old_len - new_len);
		if (r < 0 && old_len != new_len)
			return r;
		return (int64_t)addr;
	}
	vma = vma_to_resize(m, addr, old_len, new_len, flags, &err);
	if (!vma)
		return err;
	if (old_len == vma->vm_end - addr && vma_expandable(m, vma, new_len - old_len)) {
		/* Grow in place: the extension merges with the VMA (and maybe what follows). */
		unsigned long pages = (unsigned long)((new_len - old_len) >> PAGE_SHIFT);
		uint64_t ext_start = addr + old_len, ext_end = addr + new_len;
		unsigned long ext_pgoff = vma->vm_pgoff + (unsigned long)((ext_start - vma->vm_start) >> PAGE_SHIFT);
		if ((vma->vm_flags & VM_ACCOUNT) && security_vm_enough_memory_mm(m, mm, pages))
			return -MMSIM_ENOMEM;
		struct vm_area_struct *grown = vma_merge(m, mm, vma, ext_start, ext_end, vma->vm_flags,
							 vma->anon_vma, vma->vm_file, ext_pgoff);
		if (!grown) {
			vm_unacct_memory(m, pages);
			return -MMSIM_ENOMEM;
		}
		vm_stat_account(mm, grown->vm_flags, (long)pages);
		if (grown->vm_flags & VM_LOCKED) {
			mm->locked_vm += pages;
			locked = true;
			new_addr = addr;
		}
		ret = (int64_t)addr;
		goto out;
	}
	ret = -MMSIM_ENOMEM;
	if (flags & MREMAP_MAYMOVE) {
		unsigned long map_flags = vma->vm_flags & VM_MAYSHARE ? MAP_SHARED : 0;
		int64_t r = get_unmapped_area(m, vma->vm_file, 0, new_len,
					      vma->vm_pgoff + (unsigned long)((addr - vma->vm_start) >> PAGE_SHIFT),
					      map_flags);
		if (r < 0)
			return r;
		new_addr = (uint64_t)r;
		ret = move_vma(m, vma, addr, old_len, new_len, new_addr, &locked, flags);
	}
out:
	if (ret >= 0 && locked && new_len > old_len)
		__mm_populate(m, new_addr + old_len, new_len - old_len, true);
	return ret;
}
