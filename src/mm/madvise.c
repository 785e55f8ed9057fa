/* madvise.c — advice about the use of a range (mm/madvise.c).
 *
 * Two kinds of advice: some change the VMA (MADV_RANDOM / SEQUENTIAL /
 * NORMAL for readahead, DONTFORK / DOFORK, WIPEONFORK / KEEPONFORK,
 * DONTDUMP / DODUMP, HUGEPAGE / NOHUGEPAGE, MERGEABLE / UNMERGEABLE),
 * splitting and merging exactly as mprotect does; others act on the pages:
 *   MADV_DONTNEED: unmap them now — the next touch gets zeroes (anonymous)
 *     or the file's contents again (private file mappings lose their COW
 *     copies);
 *   MADV_FREE: anonymous pages only this process maps become "lazily
 *     free": clean and on the inactive file list, so reclaim may drop
 *     them without swapping — unless they are written to again first;
 *   MADV_WILLNEED: read a file range into the page cache now;
 *   MADV_COLD: move the pages to the inactive lists (deactivate);
 *   MADV_PAGEOUT: reclaim them now, as reclaim would (swapped out, or
 *     dropped from the page cache), if only this process maps them;
 *   MADV_POPULATE_READ / WRITE: fault them in, as MAP_POPULATE does;
 *   MADV_REMOVE: free the range of a tmpfs file (a hole).
 * A hole in the range gives -ENOMEM after the mapped parts were handled;
 * a VMA change that runs out of memory gives -EAGAIN. */
#include "arch/x86/mmu.h"
#include "fs/fs.h"
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/migrate.h"
#include "mm/swap.h"

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_DOFORK: case MADV_DONTFORK: case MADV_NORMAL: case MADV_SEQUENTIAL:
	case MADV_RANDOM: case MADV_REMOVE: case MADV_WILLNEED: case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED: case MADV_FREE: case MADV_COLD: case MADV_PAGEOUT:
	case MADV_POPULATE_READ: case MADV_POPULATE_WRITE: case MADV_MERGEABLE:
	case MADV_UNMERGEABLE: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTDUMP:
	case MADV_DODUMP: case MADV_WIPEONFORK: case MADV_KEEPONFORK:
		return true;
	default:
		return false;
	}
}

static int madvise_update_vma(struct machine *m, struct vm_area_struct *vma,
			      struct vm_area_struct **prev, uint64_t start, uint64_t end,
			      unsigned long new_flags)
{
	struct mm_struct *mm = vma->vm_mm;
	int err;

	if (new_flags == vma->vm_flags) {
		*prev = vma;
		return 0;
	}
	unsigned long pgoff = vma->vm_pgoff + (unsigned long)((start - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *merged = vma_merge(m, mm, *prev, start, end, new_flags, vma->anon_vma,
						  vma->vm_file, pgoff);
	if (merged) {
		*prev = vma = merged;
	} else {
		*prev = vma;
		if (start != vma->vm_start) {
			if (mm->map_count >= m->vm.max_map_count)
				return -MMSIM_ENOMEM;
			if ((err = __split_vma(m, mm, vma, start, true)))
				return err;
		}
		if (end != vma->vm_end) {
			if (mm->map_count >= m->vm.max_map_count)
				return -MMSIM_ENOMEM;
			if ((err = __split_vma(m, mm, vma, end, false)))
				return err;
		}
	}
	vma->vm_flags = new_flags;
	return 0;
}

/* madvise_free_pte_range(): clean, old, lazily free — for pages only we map. */
static void madvise_free_range(struct machine *m, struct vm_area_struct *vma, uint64_t start,
			       uint64_t end)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t pmd_size = pt_level_size(m, PT_PMD);
	bool flush = false;

	for (uint64_t addr = start; addr < end;) {
		uint64_t next = (addr + pmd_size) & ~(pmd_size - 1);
		if (next > end || next == 0)
			next = end;
		phys_addr_t pmd_table = user_walk(m, mm, addr, PT_PMD, false, NULL);
		uint64_t pmd = pmd_table ? pt_read(m, pmd_table, pt_index(m, addr, PT_PMD)) : 0;
		if (!(pmd & _PAGE_PRESENT)) {
			addr = pt_hole_end(m, mm, addr, end);
			continue;
		}
		if (pmd & _PAGE_PSE) {
			/* Only part of a huge page: split it; all of it: it is handled whole below. */
			__split_huge_pmd(m, vma, pmd_table, pt_index(m, addr, PT_PMD), addr & ~(pmd_size - 1));
			pmd = pt_read(m, pmd_table, pt_index(m, addr, PT_PMD));
		}
		phys_addr_t table = pmd & pt_format(m)->addr_mask;
		for (; addr < next; addr += PAGE_SIZE) {
			unsigned int idx = pt_index(m, addr, PT_PTE);
			uint64_t pte = pt_read(m, table, idx);
			if (is_swap_pte(pte)) {
				/* Swapped out: the data is not wanted, so neither is the slot. */
				pt_write(m, table, idx, 0);
				mm->rss_stat[MM_SWAPENTS]--;
				free_swap_and_cache(m, pte_to_swp_entry(m, pte));
				continue;
			}
			if (!(pte & _PAGE_PRESENT))
				continue;
			struct page *page = vm_normal_page(m, vma, addr, pte);
			if (!page || !PageAnon(page))
				continue;
			if (PageCompound(page) || page->_mapcount != 0)
				continue;	/* shared (or part of a huge page): left as it is */
			/* A copy in swap would come back instead: the slot must go first. */
			if (PageSwapCache(page) && !try_to_free_swap(m, page))
				continue;
			if (pte & (_PAGE_ACCESSED | _PAGE_DIRTY)) {
				pt_write(m, table, idx, pte & ~(uint64_t)(_PAGE_ACCESSED | _PAGE_DIRTY));
				flush = true;
			}
			__ClearPageDirty(page);
			mark_page_lazyfree(m, page);
		}
	}
	if (flush)
		flush_tlb_mm_range(m, mm, start, end);
}

static int madvise_dontneed_free(struct machine *m, struct vm_area_struct *vma,
				 struct vm_area_struct **prev, uint64_t start, uint64_t end,
				 int behavior)
{
	unsigned long forbidden = VM_PFNMAP | (behavior != MADV_DONTNEED_LOCKED ? VM_LOCKED : 0);

	*prev = vma;
	if (vma->vm_flags & forbidden)
		return -MMSIM_EINVAL;
	if (behavior == MADV_FREE) {
		if (!vma_is_anonymous(vma))
			return -MMSIM_EINVAL;
		madvise_free_range(m, vma, start, end);
		return 0;
	}
	zap_page_range_single(m, vma, start, end - start);
	return 0;
}

static int madvise_willneed(struct machine *m, struct vm_area_struct *vma,
			    struct vm_area_struct **prev, uint64_t start, uint64_t end)
{
	struct file *file = vma->vm_file;

	*prev = vma;
	if (!file || shmem_file(file))
		return 0;	/* anonymous and tmpfs: would read from swap (none) */
	/* vfs_fadvise(POSIX_FADV_WILLNEED): force_page_cache_ra, at most ra_pages. */
	unsigned long index = vma->vm_pgoff + (unsigned long)((start - vma->vm_start) >> PAGE_SHIFT);
	unsigned long nr = (unsigned long)((end - start) >> PAGE_SHIFT);
	if (nr > file->f_ra.ra_pages)
		nr = file->f_ra.ra_pages;
	page_cache_ra_unbounded(m, file, index, nr, 0);
	return 0;
}

/*
 * MADV_COLD and MADV_PAGEOUT walk the range as madvise_cold_or_pageout_pte_range()
 * does: pages only this mapping maps are deactivated (cold) or isolated
 * for reclaim (pageout), their Accessed bits cleared so that reclaim does
 * not find them young. A huge page mapped by a PMD is handled whole when
 * the range covers all of it; for a part of it, it is split and its small
 * pages in the range handled one by one. A huge page already mapped by
 * PTEs is split the same way, at its first page in the range.
 */
struct cold_walk {
	bool pageout;
	struct list_head pages;		/* pageout: isolated for reclaim_pages() */
	bool made_old;			/* an entry lost its A bit: flush before reclaiming */
	uint64_t start, end;		/* the range, to know how much of a huge page it covers */
	uint64_t skip_to;		/* a shared huge page: the rest of its PMD is left alone */
};

/* The entry that maps @addr, made old; @made_old set if it was young. */
static void make_old(struct machine *m, struct vm_area_struct *vma, uint64_t addr,
		     struct cold_walk *cw)
{
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;

	if (!pt_lookup(m, vma->vm_mm->pgd, addr, &level, &table, &idx))
		return;
	uint64_t e = pt_read(m, table, idx);
	if (e & _PAGE_ACCESSED) {
		pt_write(m, table, idx, e & ~_PAGE_ACCESSED);
		cw->made_old = true;
	}
}

/* split_huge_page() with the reference its caller holds (get_page, lock_page, as 6.1 does). */
static int split_mapped_huge_page(struct machine *m, struct page *page)
{
	get_page(page);
	int err = split_huge_page(m, page);
	put_page(m, page);
	return err;
}

/* What both do to one page (a small one, or a whole huge page). */
static void cold_or_pageout_page(struct machine *m, struct cold_walk *cw, struct page *page)
{
	__ClearPageReferenced(page);
	if (!cw->pageout) {
		deactivate_page(m, page);
		return;
	}
	if (isolate_lru_page(m, page)) {
		if (PageUnevictable(page))
			putback_lru_page(m, page);
		else
			list_add(&page->lru, &cw->pages);
	}
}

static void cold_walk_pte(struct mm_walk *walk, uint64_t addr, uint64_t pte)
{
	struct machine *m = walk->m;
	struct cold_walk *cw = walk->private;

	if (!(pte & _PAGE_PRESENT) || addr < cw->skip_to)
		return;
	struct page *page = vm_normal_page(m, walk->vma, addr, pte);
	if (!page)
		return;
	if (PageCompound(page)) {
		/* Part of a huge page others map too: the rest of this PMD is left as it is. */
		if (page_mapcount(page) != 1) {
			uint64_t pmd_size = pt_level_size(m, PT_PMD);
			cw->skip_to = (addr & ~(pmd_size - 1)) + pmd_size;
			return;
		}
		if (split_mapped_huge_page(m, page))
			return;
		/* Now a small page like the others, at the same frame. */
	}
	if (page_mapcount(page) != 1)
		return;
	if (pte & _PAGE_ACCESSED)
		make_old(m, walk->vma, addr, cw);
	cold_or_pageout_page(m, cw, page);
}

static void cold_walk_pmd(struct mm_walk *walk, uint64_t addr, uint64_t pmd)
{
	struct machine *m = walk->m;
	struct cold_walk *cw = walk->private;
	uint64_t size = pt_level_size(m, PT_PMD);
	uint64_t lo = addr > cw->start ? addr : cw->start;
	uint64_t hi = addr + size < cw->end ? addr + size : cw->end;

	if (is_huge_zero_pmd(m, pmd))
		return;
	struct page *page = pmd_page(m, pmd);
	/* Do not interfere with other mappings of this page. */
	if (page_mapcount(page) != 1)
		return;
	if (hi - lo != size) {
		/* A part: split, then the small pages of the part, as the PTE walk would. */
		if (split_mapped_huge_page(m, page))
			return;
		for (uint64_t a = lo; a < hi; a += PAGE_SIZE) {
			uint64_t pte;
			if (follow_pte(m, walk->vma->vm_mm, a, &pte))
				cold_walk_pte(walk, a, pte);
		}
		return;
	}
	if (pmd & _PAGE_ACCESSED)
		make_old(m, walk->vma, addr, cw);
	cold_or_pageout_page(m, cw, page);
}

static const struct mm_walk_ops cold_walk_ops = {
	.pmd_entry = cold_walk_pmd,
	.pte_entry = cold_walk_pte,
};

/* madvise_cold(): the pages only we map deactivated (walked table by table, holes skipped whole). */
static int madvise_cold(struct machine *m, struct vm_area_struct *vma,
			struct vm_area_struct **prev, uint64_t start, uint64_t end)
{
	struct cold_walk cw = { .pageout = false, .start = start, .end = end };

	*prev = vma;
	if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
		return -MMSIM_EINVAL;
	lru_add_drain(m);
	INIT_LIST_HEAD(&cw.pages);
	walk_page_range_vma(m, vma, start, end, &cold_walk_ops, &cw);
	if (cw.made_old)
		flush_tlb_mm_range(m, vma->vm_mm, start, end);
	return 0;
}



/* Capabilities can_do_pageout() asks for (include/uapi/linux/capability.h). */
#define CAP_DAC_OVERRIDE	1
#define CAP_FOWNER		3

/*
 * can_do_pageout(): anonymous memory always; a file's pages only if the
 * caller owns the file or could open it for writing — else a shared page
 * of someone else's file would be a side channel. mmsim's files are
 * root's, as files the harness installs are.
 */
static bool can_do_pageout(struct machine *m, const struct vm_area_struct *vma)
{
	const struct task_struct *t = get_current(m);

	if (!vma->vm_file)
		return true;
	if (!t->cred || t->cred->euid == 0 || capable(t, CAP_FOWNER))
		return true;	/* inode_owner_or_capable() */
	/* file_permission(MAY_WRITE): the others' write bit, or DAC override. */
	return (vma->vm_file->f_inode->i_mode & 0002) || capable(t, CAP_DAC_OVERRIDE);
}

/* madvise_pageout(): reclaim the pages only we map, now (walked table by table). */
static int madvise_pageout(struct machine *m, struct vm_area_struct *vma,
			   struct vm_area_struct **prev, uint64_t start, uint64_t end)
{
	struct cold_walk cw = { .pageout = true, .start = start, .end = end };

	*prev = vma;
	if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
		return -MMSIM_EINVAL;
	if (!can_do_pageout(m, vma))
		return 0;
	lru_add_drain(m);
	INIT_LIST_HEAD(&cw.pages);
	walk_page_range_vma(m, vma, start, end, &cold_walk_ops, &cw);
	/* tlb_finish_mmu(): the PTEs made old are flushed before reclaim looks at them. */
	if (cw.made_old)
		flush_tlb_mm_range(m, vma->vm_mm, start, end);
	reclaim_pages(m, &cw.pages);
	return 0;
}

static int madvise_populate(struct machine *m, struct vm_area_struct *vma,
			    struct vm_area_struct **prev, uint64_t start, uint64_t end,
			    int behavior)
{
	bool write = behavior == MADV_POPULATE_WRITE;

	*prev = vma;
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return -MMSIM_EINVAL;
	if (write ? !(vma->vm_flags & VM_WRITE) : !(vma->vm_flags & VM_READ))
		return -MMSIM_EFAULT;
	for (uint64_t addr = start; addr < end; addr += PAGE_SIZE) {
		uint64_t pte;
		if (follow_pte(m, vma->vm_mm, addr, &pte) && (pte & _PAGE_PRESENT) &&
		    (!write || (pte & _PAGE_RW)))
			continue;
		unsigned int flags = (write ? FAULT_FLAG_WRITE : 0) | FAULT_FLAG_ALLOW_RETRY;
		vm_fault_t ret = handle_mm_fault(m, vma, addr, flags, false);
		if (ret & VM_FAULT_RETRY)
			ret = handle_mm_fault(m, vma, addr, flags | FAULT_FLAG_TRIED, false);
		if (ret & VM_FAULT_OOM)
			return -MMSIM_ENOMEM;
		if (ret & VM_FAULT_ERROR)
			return -MMSIM_EFAULT;
	}
	return 0;
}

/* MADV_REMOVE: punch a hole in a tmpfs file (shared, writable mappings only). */
static int madvise_remove(struct machine *m, struct vm_area_struct *vma,
			  struct vm_area_struct **prev, uint64_t start, uint64_t end)
{
	*prev = NULL;
	if (vma->vm_flags & VM_LOCKED)
		return -MMSIM_EINVAL;
	if (!vma->vm_file || !(vma->vm_flags & VM_SHARED))
		return -MMSIM_EACCES;
	if (!(vma->vm_flags & VM_WRITE))
		return -MMSIM_EACCES;
	if (!shmem_file(vma->vm_file))
		return -MMSIM_EOPNOTSUPP;
	unsigned long first = vma->vm_pgoff + (unsigned long)((start - vma->vm_start) >> PAGE_SHIFT);
	shmem_punch_hole(m, vma->vm_file->f_inode, first, (unsigned long)((end - start) >> PAGE_SHIFT));
	return 0;
}

static int madvise_vma_behavior(struct machine *m, struct vm_area_struct *vma,
				struct vm_area_struct **prev, uint64_t start, uint64_t end,
				int behavior)
{
	unsigned long new_flags = vma->vm_flags;
	int err = 0;

	switch (behavior) {
	case MADV_REMOVE:
		return madvise_remove(m, vma, prev, start, end);
	case MADV_WILLNEED:
		return madvise_willneed(m, vma, prev, start, end);
	case MADV_COLD:
		return madvise_cold(m, vma, prev, start, end);
	case MADV_PAGEOUT:
		return madvise_pageout(m, vma, prev, start, end);
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		return madvise_dontneed_free(m, vma, prev, start, end, behavior);
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return madvise_populate(m, vma, prev, start, end, behavior);
	case MADV_NORMAL:
		new_flags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (vma->vm_flags & VM_IO)
			return -MMSIM_EINVAL;
		new_flags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		if (vma->vm_file || (vma->vm_flags & VM_SHARED))
			return -MMSIM_EINVAL;
		new_flags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		new_flags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		new_flags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if (new_flags & VM_SPECIAL)
			return -MMSIM_EINVAL;
		new_flags &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
		/* ksm_madvise(): only plain private memory may be merged. */
		if (!(new_flags & (VM_MERGEABLE | VM_SHARED | VM_MAYSHARE | VM_PFNMAP | VM_IO |
				   VM_DONTEXPAND | VM_HUGETLB | VM_MIXEDMAP)))
			new_flags |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE:
		new_flags &= ~VM_MERGEABLE;
		break;
	case MADV_HUGEPAGE:
		new_flags = (new_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		new_flags = (new_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	}
	err = madvise_update_vma(m, vma, prev, start, end, new_flags);
	return err == -MMSIM_ENOMEM ? -MMSIM_EAGAIN : err;
}

int do_madvise(struct machine *m, uint64_t start, uint64_t len_in, int behavior)
{
	struct mm_struct *mm = get_current(m)->mm;

	if (!madvise_behavior_valid(behavior))
		return -MMSIM_EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -MMSIM_EINVAL;
	uint64_t len = user_ulong(m, ALIGN_UP(len_in, PAGE_SIZE));
	if (len_in && !len)
		return -MMSIM_EINVAL;
	uint64_t end = user_ulong(m, start + len);
	if (end < start)
		return -MMSIM_EINVAL;
	if (end == start)
		return 0;
	/* madvise_walk_vmas() */
	struct vm_area_struct *prev, *vma = find_vma_prev(mm, start, &prev);
	int unmapped_error = 0;
	if (vma && start > vma->vm_start)
		prev = vma;
	for (;;) {
		if (!vma)
			return -MMSIM_ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -MMSIM_ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		uint64_t tmp = vma->vm_end < end ? vma->vm_end : end;
		int err = madvise_vma_behavior(m, vma, &prev, start, tmp, behavior);
		if (err)
			return err;
		start = tmp;
		if (prev && start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end)
			break;
		vma = find_vma(mm, prev ? prev->vm_end : start);
	}
	return unmapped_error;
}
