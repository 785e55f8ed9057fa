/* mmap.c — the VMAs of an address space: their list and tree, lookups,
 * merging and splitting, finding room, and mmap/munmap/brk themselves
 * (mm/mmap.c). Page tables are memory.c's; mprotect, mremap, madvise and
 * mlock are in their own files.
 *
 * The structure (mm_types.h): VMAs in address order on mm->mmap and in
 * mm->mm_rb, each tree node caching the largest gap below any VMA of its
 * subtree. The gap below a VMA is measured from the end of the previous
 * one to the VMA's start, minus stack_guard_gap when the VMA is a stack
 * (vm_start_gap): the room get_unmapped_area() may hand out. Every change
 * to a VMA's bounds or neighbours recomputes the gaps on the path to the
 * root (vma_gap_update), so the search can skip whole subtrees that have
 * no gap big enough — O(log n) for the top-down allocator's usual case.
 *
 * When VMAs merge (vma_merge, and 6.1's own expansion in mmap_region):
 * two neighbours merge when they would be one mapping anyway — the same
 * flags (VM_SOFTDIRTY aside), the same file at consecutive offsets (for
 * anonymous memory: consecutive virtual pages), compatible anon_vmas,
 * and no close() operation. A VMA that forked (more than one anon_vma
 * chain) does not take in a neighbour with no anon_vma, as 6.1 refuses.
 *
 * Limits, in the kernel's words and numbers: vm.max_map_count VMAs
 * (65530), RLIMIT_AS over total_vm, RLIMIT_DATA over data_vm ("VmData ...
 * exceed data ulimit"), RLIMIT_MEMLOCK over locked_vm, and the overcommit
 * policy over every private writable mapping (mm/util.c). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/mmu.h"
#include "fs/fs.h"
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/slab.h"

/* ---- VMA objects ------------------------------------------------------------- */

struct vm_area_struct *vm_area_alloc(struct machine *m, struct mm_struct *mm)
{
	struct vm_area_struct *vma = calloc(1, sizeof(*vma));

	if (!vma)
		return NULL;
	vma->kobj = kmem_cache_alloc(m, m->cachep.vm_area_struct, GFP_KERNEL);
	if (!vma->kobj) {
		free(vma);
		return NULL;
	}
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	INIT_LIST_HEAD(&vma->shared);
	return vma;
}

/* vm_area_dup(): the same mapping, not yet linked anywhere, with no chains of its own. */
struct vm_area_struct *vm_area_dup(struct machine *m, struct vm_area_struct *orig)
{
	struct vm_area_struct *vma = vm_area_alloc(m, orig->vm_mm);

	if (!vma)
		return NULL;
	kaddr_t kobj = vma->kobj;
	*vma = *orig;
	vma->kobj = kobj;
	vma->vm_next = vma->vm_prev = NULL;
	memset(&vma->vm_rb, 0, sizeof(vma->vm_rb));
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	INIT_LIST_HEAD(&vma->shared);
	return vma;
}

void vm_area_free(struct machine *m, struct vm_area_struct *vma)
{
	kmem_cache_free(m, m->cachep.vm_area_struct, vma->kobj);
	free(vma);
}

/* remove_vma(): the VMA is out of every list; its file reference goes with it. */
static void remove_vma(struct machine *m, struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	if (vma->vm_file)
		fput(m, vma->vm_file);
	vm_area_free(m, vma);
}

/* ---- the list, the tree and the gaps -------------------------------------------- */

static inline uint64_t vm_start_gap(const struct vm_area_struct *vma)
{
	uint64_t start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN) {
		start -= vma->vm_mm->stack_guard_gap;
		if (start > vma->vm_start)
			start = 0;
	}
	return start;
}

static inline uint64_t vm_end_gap(const struct vm_area_struct *vma)
{
	return vma->vm_end;	/* no VM_GROWSUP on x86 */
}

uint64_t vma_start_gap(const struct vm_area_struct *vma)
{
	return vm_start_gap(vma);
}

/* The free room below @vma, down to the end of the previous VMA (or 0). */
static uint64_t vma_compute_gap(const struct vm_area_struct *vma)
{
	uint64_t gap = vm_start_gap(vma);

	if (vma->vm_prev) {
		uint64_t prev_end = vm_end_gap(vma->vm_prev);
		gap = gap > prev_end ? gap - prev_end : 0;
	}
	return gap;
}

static bool vma_gap_augment(struct rb_node *node)
{
	struct vm_area_struct *vma = rb_entry(node, struct vm_area_struct, vm_rb);
	uint64_t max = vma_compute_gap(vma);

	if (node->left) {
		uint64_t g = rb_entry(node->left, struct vm_area_struct, vm_rb)->rb_subtree_gap;
		if (g > max)
			max = g;
	}
	if (node->right) {
		uint64_t g = rb_entry(node->right, struct vm_area_struct, vm_rb)->rb_subtree_gap;
		if (g > max)
			max = g;
	}
	if (vma->rb_subtree_gap == max)
		return false;
	vma->rb_subtree_gap = max;
	return true;
}

/* @vma's own gap changed (its start moved, or its predecessor's end did). */
static void vma_gap_update(struct vm_area_struct *vma)
{
	rb_augment_path(&vma->vm_rb, vma_gap_augment);
}

/* The VMA after @vma grew or shrank at its end: its successor's gap changed. */
static void vma_end_changed(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (vma->vm_next)
		vma_gap_update(vma->vm_next);
	else
		mm->highest_vm_end = vm_end_gap(vma);
}

/* Put @vma on the list and in the tree (vma_link without the file side). */
static void __vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;
	struct vm_area_struct *prev = NULL;

	while (*link) {
		parent = *link;
		struct vm_area_struct *t = rb_entry(parent, struct vm_area_struct, vm_rb);
		if (vma->vm_start < t->vm_start) {
			link = &parent->left;
		} else {
			prev = t;
			link = &parent->right;
		}
	}
	vma->vm_prev = prev;
	vma->vm_next = prev ? prev->vm_next : mm->mmap;
	if (prev)
		prev->vm_next = vma;
	else
		mm->mmap = vma;
	if (vma->vm_next)
		vma->vm_next->vm_prev = vma;
	rb_link_node(&vma->vm_rb, parent, link);
	vma->rb_subtree_gap = 0;
	rb_insert_augmented(&vma->vm_rb, &mm->mm_rb, vma_gap_augment);
	vma_end_changed(mm, vma);
	mm->map_count++;
}

/* Take @vma off the list and out of the tree; it keeps its bounds. */
static void __vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	if (prev)
		prev->vm_next = next;
	else
		mm->mmap = next;
	if (next)
		next->vm_prev = prev;
	rb_erase_augmented(&vma->vm_rb, &mm->mm_rb, vma_gap_augment);
	if (next)
		vma_gap_update(next);
	else
		mm->highest_vm_end = prev ? vm_end_gap(prev) : 0;
	vma->vm_next = vma->vm_prev = NULL;
	mm->map_count--;
}

/* A file VMA is on its mapping's i_mmap list; a shared writable one makes the mapping writable. */
static void vma_link_file(struct vm_area_struct *vma)
{
	struct file *file = vma->vm_file;

	if (!file)
		return;
	struct address_space *mapping = file->f_mapping;
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE))
		mapping->i_mmap_writable++;
	list_add_tail(&vma->shared, &mapping->i_mmap);
}

void unlink_file_vma(struct machine *m, struct vm_area_struct *vma)
{
	(void)m;
	if (!vma->vm_file || list_empty(&vma->shared))
		return;
	struct address_space *mapping = vma->vm_file->f_mapping;
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE))
		mapping->i_mmap_writable--;
	list_del(&vma->shared);
	INIT_LIST_HEAD(&vma->shared);
}

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	__vma_link(mm, vma);
	vma_link_file(vma);
}

/* Change @vma's bounds in place (the order of VMAs stays), keeping the gaps right. */
static void vma_set_bounds(struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			   uint64_t end, unsigned long pgoff)
{
	bool start_moved = vma->vm_start != start, end_moved = vma->vm_end != end;

	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	if (start_moved)
		vma_gap_update(vma);
	if (end_moved)
		vma_end_changed(mm, vma);
}

void vma_adjust_bounds(struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
		       uint64_t end, unsigned long pgoff)
{
	vma_set_bounds(mm, vma, start, end, pgoff);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, uint64_t addr)
{
	struct rb_node *node = mm->mm_rb.rb_node;
	struct vm_area_struct *vma = NULL;

	while (node) {
		struct vm_area_struct *t = rb_entry(node, struct vm_area_struct, vm_rb);
		if (t->vm_end > addr) {
			vma = t;
			if (t->vm_start <= addr)
				break;
			node = node->left;
		} else {
			node = node->right;
		}
	}
	return vma;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, uint64_t addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma) {
		*pprev = vma->vm_prev;
	} else {
		struct rb_node *last = rb_last(&mm->mm_rb);
		*pprev = last ? rb_entry(last, struct vm_area_struct, vm_rb) : NULL;
	}
	return vma;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	if (vma && end <= vma->vm_start)
		vma = NULL;
	return vma;
}

/* ---- accounting ------------------------------------------------------------------ */

static inline bool is_exec_mapping(unsigned long flags)
{
	return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
}

static inline bool is_stack_mapping(unsigned long flags)
{
	return (flags & VM_STACK) == VM_STACK;
}

bool is_data_mapping(unsigned long flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}

void vm_stat_account(struct mm_struct *mm, unsigned long flags, long npages)
{
	mm->total_vm += (unsigned long)npages;
	if (is_exec_mapping(flags))
		mm->exec_vm += (unsigned long)npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += (unsigned long)npages;
	else if (is_data_mapping(flags))
		mm->data_vm += (unsigned long)npages;
}

bool may_expand_vm(struct machine *m, struct mm_struct *mm, unsigned long flags,
		   unsigned long npages)
{
	struct task_struct *t = get_current(m);

	if (mm->total_vm + npages > rlimit(t, RLIMIT_AS) >> PAGE_SHIFT)
		return false;
	if (is_data_mapping(flags) && mm->data_vm + npages > rlimit(t, RLIMIT_DATA) >> PAGE_SHIFT) {
		/* The workaround for Valgrind: a zero soft limit under a bigger hard one. */
		if (rlimit(t, RLIMIT_DATA) == 0 &&
		    mm->data_vm + npages <= rlimit_max(t, RLIMIT_DATA) >> PAGE_SHIFT)
			return true;
		if (!m->warned_rlimit_data) {
			m->warned_rlimit_data = true;	/* pr_warn_once */
			pr_warn(m, "%s (%d): VmData %" PRIu64 " exceed data ulimit %" PRIu64 ". Update limits "
				"or use boot option ignore_rlimit_data.\n", t->comm, t->pid,
				(uint64_t)(mm->data_vm + npages) << PAGE_SHIFT, rlimit(t, RLIMIT_DATA));
		}
		return false;
	}
	return true;
}

int mlock_future_check(struct machine *m, struct mm_struct *mm, unsigned long flags,
		       uint64_t len)
{
	struct task_struct *t = get_current(m);

	if (flags & VM_LOCKED) {
		uint64_t locked = (len >> PAGE_SHIFT) + mm->locked_vm;
		uint64_t lock_limit = rlimit(t, RLIMIT_MEMLOCK) >> PAGE_SHIFT;
		if (locked > lock_limit && !capable(t, CAP_IPC_LOCK))
			return -MMSIM_EAGAIN;
	}
	return 0;
}

/* ---- merging and splitting ----------------------------------------------------------- */

static bool is_mergeable_vma(const struct vm_area_struct *vma, const struct file *file,
			     unsigned long vm_flags)
{
	if ((vma->vm_flags ^ vm_flags) & ~VM_SOFTDIRTY)
		return false;
	if (vma->vm_file != file)
		return false;
	if (vma->vm_ops && vma->vm_ops->close)
		return false;
	return true;
}

static inline bool list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && head->next == head->prev;
}

/*
 * Two anon_vmas are compatible if they are the same, or one is NULL and
 * the VMA (if given) has not forked: one chain only.
 */
static bool is_mergeable_anon_vma(const struct anon_vma *a1, const struct anon_vma *a2,
				  const struct vm_area_struct *vma)
{
	if ((!a1 || !a2) && (!vma || list_is_singular(&vma->anon_vma_chain)))
		return true;
	return a1 == a2;
}

/* May [.., vma->vm_start) with these properties join @vma in front of it? */
static bool can_vma_merge_before(const struct vm_area_struct *vma, unsigned long vm_flags,
				 const struct anon_vma *anon_vma, const struct file *file,
				 unsigned long vm_pgoff)
{
	return is_mergeable_vma(vma, file, vm_flags) &&
	       is_mergeable_anon_vma(anon_vma, vma->anon_vma, vma) && vma->vm_pgoff == vm_pgoff;
}

/* May [vma->vm_end, ..) starting at file page @vm_pgoff join @vma behind it? */
static bool can_vma_merge_after(const struct vm_area_struct *vma, unsigned long vm_flags,
				const struct anon_vma *anon_vma, const struct file *file,
				unsigned long vm_pgoff)
{
	return is_mergeable_vma(vma, file, vm_flags) &&
	       is_mergeable_anon_vma(anon_vma, vma->anon_vma, vma) &&
	       vma->vm_pgoff + vma_pages(vma) == vm_pgoff;
}

/*
 * @keep takes over pages of @from (all of it, or part): it must then have
 * @from's anon_vma, which it adopts if it has none (the kernel's importer
 * and exporter in __vma_adjust). 0 or -ENOMEM.
 */
static int vma_import_anon(struct machine *m, struct vm_area_struct *keep,
			   struct vm_area_struct *from)
{
	if (from->anon_vma && !keep->anon_vma) {
		keep->anon_vma = from->anon_vma;
		if (anon_vma_clone(m, keep, from)) {
			keep->anon_vma = NULL;
			return -MMSIM_ENOMEM;
		}
	}
	return 0;
}

/* A VMA merged away: out of the mm, its chains and file link gone, freed. */
static void vma_merged_away(struct machine *m, struct mm_struct *mm, struct vm_area_struct *gone)
{
	__vma_unlink(mm, gone);
	unlink_file_vma(m, gone);
	unlink_anon_vmas(m, gone);
	if (gone->vm_file)
		fput(m, gone->vm_file);
	vm_area_free(m, gone);
}

/*
 * vma_merge(): [addr, end) is about to be mapped with these properties —
 * either a hole being filled (mmap, brk, mremap) or a part of one VMA
 * whose flags change (mprotect, mlock, madvise). If it can merge with the
 * VMA before (@prev, ending at @addr) and/or the one after, do it and
 * return the VMA that now covers the range; else NULL (the caller makes
 * or splits VMAs itself). The eight cases of the kernel's comment:
 *
 *     AAAA             AAAA                   AAAA
 *     PPPPPPNNNNNN     PPPPPPPPPPNNNN         PPPPPPPPPPPP
 *     (1) fill a hole  (2) grow P into it     (3) grow N down into it
 *     AAAA             AAAA
 *     PPPPNNNNNNNN     PPPPPPPPPPNN           ... and, when the range is
 *     (4) P's tail     (5) N's head moves     a whole VMA M between P and
 *     joins N          to P                   N: (6) P+M+N, (7) P+M, (8) M+N
 */
struct vm_area_struct *vma_merge(struct machine *m, struct mm_struct *mm,
				 struct vm_area_struct *prev, uint64_t addr, uint64_t end,
				 unsigned long vm_flags, struct anon_vma *anon_vma,
				 struct file *file, unsigned long pgoff)
{
	unsigned long pglen = (unsigned long)((end - addr) >> PAGE_SHIFT);
	struct vm_area_struct *mid, *next;
	bool merge_prev = false, merge_next = false;

	if (vm_flags & VM_SPECIAL)
		return NULL;
	next = prev ? prev->vm_next : mm->mmap;
	mid = next;
	if (next && next->vm_end == end)	/* cases 6, 7, 8 */
		next = next->vm_next;
	if (prev && prev->vm_end == addr && can_vma_merge_after(prev, vm_flags, anon_vma, file, pgoff))
		merge_prev = true;
	if (next && end == next->vm_start &&
	    can_vma_merge_before(next, vm_flags, anon_vma, file, pgoff + pglen))
		merge_next = true;

	if (merge_prev && merge_next && is_mergeable_anon_vma(prev->anon_vma, next->anon_vma, NULL)) {
		/* Cases 1 and 6: prev grows over the range (and mid) and next. */
		bool remove_mid = mid != next && mid && mid->vm_start == addr;
		if ((remove_mid && vma_import_anon(m, prev, mid)) || vma_import_anon(m, prev, next))
			return NULL;
		uint64_t new_end = next->vm_end;
		if (remove_mid)
			vma_merged_away(m, mm, mid);
		vma_merged_away(m, mm, next);
		vma_adjust_trans_huge(m, prev, prev->vm_start, new_end);
		vma_set_bounds(mm, prev, prev->vm_start, new_end, prev->vm_pgoff);
		return prev;
	}
	if (merge_prev) {
		/* Cases 2, 5 and 7: prev grows to end; mid shrinks or goes. */
		if (mid && mid->vm_start == addr) {
			if (vma_import_anon(m, prev, mid))
				return NULL;
			vma_adjust_trans_huge(m, prev, prev->vm_start, end);
			if (mid->vm_end == end) {
				vma_merged_away(m, mm, mid);		/* case 7 */
			} else {
				vma_adjust_trans_huge(m, mid, end, mid->vm_end);
				vma_set_bounds(mm, mid, end, mid->vm_end,
					       mid->vm_pgoff + pglen);	/* case 5 */
			}
		} else {
			vma_adjust_trans_huge(m, prev, prev->vm_start, end);
		}
		vma_set_bounds(mm, prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	if (merge_next) {
		if (prev && addr < prev->vm_end) {
			/* Case 4: prev's tail [addr, end) moves over to next. */
			if (vma_import_anon(m, next, prev))
				return NULL;
			vma_adjust_trans_huge(m, prev, prev->vm_start, addr);
			vma_set_bounds(mm, prev, prev->vm_start, addr, prev->vm_pgoff);
		} else if (mid != next && mid && mid->vm_start == addr) {
			/* Case 8: mid joins next, next survives. */
			if (vma_import_anon(m, next, mid))
				return NULL;
			vma_merged_away(m, mm, mid);
		}
		vma_adjust_trans_huge(m, next, addr, next->vm_end);
		vma_set_bounds(mm, next, addr, next->vm_end, next->vm_pgoff - pglen);	/* cases 3, 4, 8 */
		return next;
	}
	return NULL;
}

/*
 * __split_vma(): cut @vma at @addr into two VMAs. With @new_below the new
 * one is the lower part [vm_start, addr), else the upper [addr, vm_end).
 * Both keep the anon_vma (the new one gets its own chains to it).
 */
int __split_vma(struct machine *m, struct mm_struct *mm, struct vm_area_struct *vma,
		uint64_t addr, bool new_below)
{
	if (vma->vm_ops && vma->vm_ops->may_split) {
		int err = vma->vm_ops->may_split(vma, addr);
		if (err)
			return err;
	}
	struct vm_area_struct *new = vm_area_dup(m, vma);
	if (!new)
		return -MMSIM_ENOMEM;
	if (new_below) {
		new->vm_end = addr;
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (unsigned long)((addr - vma->vm_start) >> PAGE_SHIFT);
	}
	if (anon_vma_clone(m, new, vma)) {
		vm_area_free(m, new);
		return -MMSIM_ENOMEM;
	}
	if (new->vm_file)
		get_file(new->vm_file);
	if (new->vm_ops && new->vm_ops->open)
		new->vm_ops->open(new);
	/* A huge page straddling the cut is broken into 4K pages first. */
	vma_adjust_trans_huge(m, vma, new_below ? addr : vma->vm_start, new_below ? vma->vm_end : addr);
	if (new_below)
		vma_set_bounds(mm, vma, addr, vma->vm_end,
			       vma->vm_pgoff + (unsigned long)((addr - new->vm_start) >> PAGE_SHIFT));
	else
		vma_set_bounds(mm, vma, vma->vm_start, addr, vma->vm_pgoff);
	vma_link(mm, new);
	return 0;
}

int split_vma(struct machine *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr,
	      bool new_below)
{
	if (mm->map_count >= m->vm.max_map_count)
		return -MMSIM_ENOMEM;
	return __split_vma(m, mm, vma, addr, new_below);
}

/* ---- finding room: get_unmapped_area() ------------------------------------------------- */

struct vm_unmapped_area_info {
	bool topdown;
	uint64_t length;
	uint64_t low_limit;
	uint64_t high_limit;
};

/*
 * The lowest gap of info->length between low_limit and high_limit:
 * descend to the leftmost subtree with a big enough gap, checking each
 * candidate's own gap against the limits.
 */
static int64_t unmapped_area(struct mm_struct *mm, const struct vm_unmapped_area_info *info)
{
	uint64_t length = info->length;
	struct vm_area_struct *vma;
	uint64_t gap_start, gap_end;

	if (info->high_limit < length)
		return -MMSIM_ENOMEM;
	uint64_t high_limit = info->high_limit - length;	/* the highest start allowed */
	if (info->low_limit > high_limit)
		return -MMSIM_ENOMEM;
	uint64_t low_limit = info->low_limit + length;		/* the lowest end allowed */

	if (RB_EMPTY_ROOT(&mm->mm_rb))
		goto check_highest;
	vma = rb_entry(mm->mm_rb.rb_node, struct vm_area_struct, vm_rb);
	if (vma->rb_subtree_gap < length)
		goto check_highest;
	for (;;) {
		/* Visit the left subtree first if it has room: lower addresses win. */
		gap_end = vm_start_gap(vma);
		if (gap_end >= low_limit && vma->vm_rb.left) {
			struct vm_area_struct *left = rb_entry(vma->vm_rb.left, struct vm_area_struct, vm_rb);
			if (left->rb_subtree_gap >= length) {
				vma = left;
				continue;
			}
		}
		gap_start = vma->vm_prev ? vm_end_gap(vma->vm_prev) : 0;
check_current:
		if (gap_start > high_limit)
			return -MMSIM_ENOMEM;
		if (gap_end >= low_limit && gap_end > gap_start && gap_end - gap_start >= length)
			goto found;
		if (vma->vm_rb.right) {
			struct vm_area_struct *right = rb_entry(vma->vm_rb.right, struct vm_area_struct, vm_rb);
			if (right->rb_subtree_gap >= length) {
				vma = right;
				continue;
			}
		}
		/* Up until we come from a left child: that node's gap is next. */
		for (;;) {
			struct rb_node *prev = &vma->vm_rb;
			if (!prev->parent)
				goto check_highest;
			vma = rb_entry(prev->parent, struct vm_area_struct, vm_rb);
			if (prev == vma->vm_rb.left) {
				gap_start = vm_end_gap(vma->vm_prev);
				gap_end = vm_start_gap(vma);
				goto check_current;
			}
		}
	}
check_highest:
	/* The room above the last VMA. */
	gap_start = mm->highest_vm_end;
	gap_end = UINT64_MAX;
	if (gap_start > high_limit)
		return -MMSIM_ENOMEM;
found:
	if (gap_start < info->low_limit)
		gap_start = info->low_limit;
	return (int64_t)gap_start;
}

/*
 * The highest gap of info->length below high_limit and above low_limit:
 * first the room above the last VMA, then down the tree, right subtrees
 * first.
 */
static int64_t unmapped_area_topdown(struct mm_struct *mm, const struct vm_unmapped_area_info *info)
{
	uint64_t length = info->length;
	struct vm_area_struct *vma;
	uint64_t gap_start, gap_end;

	if (info->high_limit < length)
		return -MMSIM_ENOMEM;
	uint64_t high_limit = info->high_limit - length;
	if (info->low_limit > high_limit)
		return -MMSIM_ENOMEM;
	uint64_t low_limit = info->low_limit + length;

	gap_start = mm->highest_vm_end;
	if (gap_start <= high_limit) {
		gap_end = info->high_limit;
		goto found_highest;
	}
	if (RB_EMPTY_ROOT(&mm->mm_rb))
		return -MMSIM_ENOMEM;
	vma = rb_entry(mm->mm_rb.rb_node, struct vm_area_struct, vm_rb);
	if (vma->rb_subtree_gap < length)
		return -MMSIM_ENOMEM;
	for (;;) {
		gap_start = vma->vm_prev ? vm_end_gap(vma->vm_prev) : 0;
		if (gap_start <= high_limit && vma->vm_rb.right) {
			struct vm_area_struct *right = rb_entry(vma->vm_rb.right, struct vm_area_struct, vm_rb);
			if (right->rb_subtree_gap >= length) {
				vma = right;
				continue;
			}
		}
check_current:
		gap_end = vm_start_gap(vma);
		if (gap_end < low_limit)
			return -MMSIM_ENOMEM;
		if (gap_start <= high_limit && gap_end > gap_start && gap_end - gap_start >= length)
			goto found;
		if (vma->vm_rb.left) {
			struct vm_area_struct *left = rb_entry(vma->vm_rb.left, struct vm_area_struct, vm_rb);
			if (left->rb_subtree_gap >= length) {
				vma = left;
				continue;
			}
		}
		for (;;) {
			struct rb_node *prev = &vma->vm_rb;
			if (!prev->parent)
				return -MMSIM_ENOMEM;
			vma = rb_entry(prev->parent, struct vm_area_struct, vm_rb);
			if (prev == vma->vm_rb.right) {
				gap_start = vma->vm_prev ? vm_end_gap(vma->vm_prev) : 0;
				goto check_current;
			}
		}
	}
found:
	if (gap_end > info->high_limit)
		gap_end = info->high_limit;
found_highest:
	return (int64_t)(gap_end - length);
}

static int64_t vm_unmapped_area(struct mm_struct *mm, const struct vm_unmapped_area_info *info)
{
	return info->topdown ? unmapped_area_topdown(mm, info) : unmapped_area(mm, info);
}

/*
 * Bottom-up, from mmap_legacy_base (TASK_UNMAPPED_BASE): the 2.6 layout,
 * and the fallback when top-down finds no room. i386 uses the generic
 * mm/mmap.c version, x86_64 arch/x86/kernel/sys_x86_64.c's.
 */
static int64_t arch_get_unmapped_area(struct machine *m, struct mm_struct *mm, uint64_t addr,
				      uint64_t len, unsigned long flags)
{
	uint64_t mmap_end = mm->task_size;
	uint64_t min_addr = m->is_32bit ? m->vm.mmap_min_addr : 0;

	if (len > mmap_end - min_addr)
		return -MMSIM_ENOMEM;
	if (flags & MAP_FIXED)
		return (int64_t)addr;
	if (addr) {
		addr = ALIGN_UP(addr, PAGE_SIZE);
		struct vm_area_struct *prev, *vma = find_vma_prev(mm, addr, &prev);
		if (mmap_end - len >= addr && addr >= min_addr &&
		    (!vma || addr + len <= vm_start_gap(vma)) && (!prev || addr >= vm_end_gap(prev)))
			return (int64_t)addr;
	}
	struct vm_unmapped_area_info info = {
		.topdown = false,
		.length = len,
		.low_limit = mm->mmap_legacy_base,
		.high_limit = mmap_end,
	};
	return vm_unmapped_area(mm, &info);
}

static int64_t arch_get_unmapped_area_topdown(struct machine *m, struct mm_struct *mm,
					      uint64_t addr, uint64_t len, unsigned long flags)
{
	uint64_t mmap_end = mm->task_size;
	uint64_t orig = addr;

	if (len > mmap_end - (m->is_32bit ? m->vm.mmap_min_addr : 0))
		return -MMSIM_ENOMEM;
	if (flags & MAP_FIXED)
		return (int64_t)addr;
	if (addr) {
		addr &= PAGE_MASK;
		struct vm_area_struct *prev, *vma = find_vma_prev(mm, addr, &prev);
		if (m->is_32bit) {
			/* generic_get_unmapped_area_topdown(): both neighbours, and mmap_min_addr */
			if (mmap_end - len >= addr && addr >= m->vm.mmap_min_addr &&
			    (!vma || addr + len <= vm_start_gap(vma)) &&
			    (!prev || addr >= vm_end_gap(prev)))
				return (int64_t)addr;
		} else {
			/* x86_64: mmap_address_hint_valid(), then only the VMA above */
			if (addr <= mmap_end && mmap_end - addr >= len &&
			    (!vma || addr + len <= vm_start_gap(vma)))
				return (int64_t)addr;
		}
	}
	struct vm_unmapped_area_info info = {
		.topdown = true,
		.length = len,
		.low_limit = m->is_32bit ? max_t(uint64_t, PAGE_SIZE, m->vm.mmap_min_addr) : PAGE_SIZE,
		.high_limit = mm->mmap_base,
	};
	int64_t ret = vm_unmapped_area(mm, &info);
	if (ret >= 0)
		return ret;
	/* No room below the stack: try bottom-up from TASK_UNMAPPED_BASE. */
	return arch_get_unmapped_area(m, mm, orig, len, flags);
}

int64_t get_unmapped_area(struct machine *m, struct file *file, uint64_t addr, uint64_t len,
			  unsigned long pgoff, unsigned long flags)
{
	struct mm_struct *mm = get_current(m)->mm;
	int64_t ret;

	(void)file;
	(void)pgoff;
	if (len > mm->task_size)
		return -MMSIM_ENOMEM;
	if (mm->mmap_topdown)
		ret = arch_get_unmapped_area_topdown(m, mm, addr, len, flags);
	else
		ret = arch_get_unmapped_area(m, mm, addr, len, flags);
	if (ret < 0)
		return ret;
	if ((uint64_t)ret > mm->task_size - len)
		return -MMSIM_ENOMEM;
	if (ret & (int64_t)(PAGE_SIZE - 1))
		return -MMSIM_EINVAL;
	/* security_mmap_addr(): below mmap_min_addr needs CAP_SYS_RAWIO. */
	if ((uint64_t)ret < m->vm.mmap_min_addr && !capable(get_current(m), CAP_SYS_RAWIO))
		return -MMSIM_EPERM;
	return ret;
}

/* ---- unmapping ----------------------------------------------------------------------------- */

/*
 * unmap_region(): the VMAs on the detached list @vma (vm_next order) have
 * left the mm; zap their pages in [start, end), free the page tables
 * nobody else needs (between @prev and @next, the neighbours that stay).
 */
static void unmap_region(struct machine *m, struct mm_struct *mm, struct vm_area_struct *vma,
			 struct vm_area_struct *prev, struct vm_area_struct *next, uint64_t start,
			 uint64_t end)
{
	struct mmu_gather tlb;

	lru_add_drain(m);
	tlb_gather_mmu(&tlb, m, mm, false);
	update_hiwater_rss(mm);
	unmap_vmas(&tlb, vma, start, end);
	free_pgtables(&tlb, vma, prev ? prev->vm_end : 0, next ? next->vm_start : 0);
	tlb_finish_mmu(&tlb);
}

/*
 * remove_mt(): the detached VMAs are gone: their pages are no longer
 * counted, nor charged. VmPeak is raised first, before total_vm drops —
 * the only place it is raised.
 */
static void remove_detached(struct machine *m, struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long nr_accounted = 0;

	update_hiwater_vm(mm);
	while (vma) {
		struct vm_area_struct *next = vma->vm_next;
		long nrpages = (long)vma_pages(vma);
		if (vma->vm_flags & VM_ACCOUNT)
			nr_accounted += (unsigned long)nrpages;
		vm_stat_account(mm, vma->vm_flags, -nrpages);
		remove_vma(m, vma);
		vma = next;
	}
	vm_unacct_memory(m, nr_accounted);
}

/*
 * do_mas_align_munmap(): [start, end) page aligned, @vma the first VMA it
 * touches. Split the VMAs that stick out at either end, take the ones
 * inside out of the mm into a list of their own, then unmap them.
 */
static int do_align_munmap(struct machine *m, struct mm_struct *mm, struct vm_area_struct *vma,
			   uint64_t start, uint64_t end)
{
	int err;

	if (start > vma->vm_start) {
		if (end < vma->vm_end && mm->map_count >= m->vm.max_map_count)
			return -MMSIM_ENOMEM;
		err = __split_vma(m, mm, vma, start, false);
		if (err)
			return err;
		vma = vma->vm_next;	/* the upper part, from start */
	}
	struct vm_area_struct *last = vma;
	while (last->vm_next && last->vm_next->vm_start < end)
		last = last->vm_next;
	if (last->vm_end > end) {
		/* The new lower part [.., end) is what goes. */
		err = __split_vma(m, mm, last, end, true);
		if (err)
			return err;
		struct vm_area_struct *lower = last->vm_prev;
		if (vma == last)
			vma = lower;
		last = lower;
	}
	struct vm_area_struct *prev = vma->vm_prev, *next = last->vm_next;
	/* Detach [vma, last] into their own list, still linked by vm_next. */
	unsigned long locked = 0;
	struct vm_area_struct *head = NULL, *tail = NULL;
	for (struct vm_area_struct *v = vma, *n; v != next; v = n) {
		n = v->vm_next;
		if (v->vm_flags & VM_LOCKED)
			locked += vma_pages(v);
		__vma_unlink(mm, v);
		if (tail)
			tail->vm_next = v;
		else
			head = v;
		v->vm_prev = tail;
		tail = v;
	}
	mm->locked_vm -= locked;
	unmap_region(m, mm, head, prev, next, start, end);
	remove_detached(m, mm, head);
	return 0;
}

int vm_munmap(struct machine *m, uint64_t start, uint64_t len)
{
	return do_munmap(m, get_current(m)->mm, start, len);
}

int do_munmap(struct machine *m, struct mm_struct *mm, uint64_t start, uint64_t len)
{
	if ((start & (PAGE_SIZE - 1)) || start > mm->task_size || len > mm->task_size - start)
		return -MMSIM_EINVAL;
	uint64_t end = start + ALIGN_UP(len, PAGE_SIZE);
	if (end == start)
		return -MMSIM_EINVAL;
	struct vm_area_struct *vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	return do_align_munmap(m, mm, vma, start, end);
}

/* ---- mapping --------------------------------------------------------------------------------- */

static inline bool accountable_mapping(unsigned long vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

static unsigned long count_vma_pages_range(struct mm_struct *mm, uint64_t addr, uint64_t end)
{
	unsigned long nr = 0;

	for (struct vm_area_struct *vma = find_vma_intersection(mm, addr, end);
	     vma && vma->vm_start < end; vma = vma->vm_next) {
		uint64_t s = vma->vm_start > addr ? vma->vm_start : addr;
		uint64_t e = vma->vm_end < end ? vma->vm_end : end;
		nr += (unsigned long)((e - s) >> PAGE_SHIFT);
	}
	return nr;
}

/*
 * vma_wants_writenotify(): should a shared writable mapping start with
 * read-only PTEs, so that the first write to each page faults and the file
 * learns the page is dirty? Yes for files that write back (page_mkwrite);
 * no for tmpfs and shared anonymous memory, which have nothing to track.
 */
bool vma_wants_writenotify(const struct machine *m, const struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) != (VM_WRITE | VM_SHARED))
		return false;
	if (vma->vm_ops && vma->vm_ops->page_mkwrite)
		return true;
	/* Soft-dirty tracking (x86_64, a VMA whose VM_SOFTDIRTY was cleared) wants the faults too. */
	if (m->vm_softdirty && !(vma->vm_flags & VM_SOFTDIRTY))
		return true;
	return false;
}

/* vma_set_page_prot(): the PTE protection of the VMA's flags (read-only for write-notify). */
void vma_set_page_prot(struct machine *m, struct vm_area_struct *vma)
{
	unsigned long vm_flags = vma->vm_flags;

	if (vma_wants_writenotify(m, vma))
		vm_flags &= ~VM_SHARED;
	vma->vm_page_prot = vm_get_page_prot(m, vm_flags);
}

/*
 * mmap_region() (6.1's __mmap_region): [addr, addr+len) is chosen; unmap
 * what is there, charge the overcommit policy, then grow a neighbour over
 * it if one matches, or make a new VMA.
 */
int64_t mmap_region(struct machine *m, struct file *file, uint64_t addr, uint64_t len,
		    unsigned long vm_flags, unsigned long pgoff)
{
	struct mm_struct *mm = get_current(m)->mm;
	unsigned long pglen = (unsigned long)(len >> PAGE_SHIFT);
	unsigned long charged = 0;
	uint64_t end = addr + len;
	struct vm_area_struct *vma = NULL;
	int err;

	if (!may_expand_vm(m, mm, vm_flags, pglen)) {
		/* MAP_FIXED replaces what is there: count only the growth. */
		unsigned long nr = count_vma_pages_range(mm, addr, end);
		if (!may_expand_vm(m, mm, vm_flags, pglen - nr))
			return -MMSIM_ENOMEM;
	}
	if (do_munmap(m, mm, addr, len))
		return -MMSIM_ENOMEM;
	if (accountable_mapping(vm_flags)) {
		charged = pglen;
		if (security_vm_enough_memory_mm(m, mm, charged))
			return -MMSIM_ENOMEM;
		vm_flags |= VM_ACCOUNT;
	}
	struct vm_area_struct *prev, *next = find_vma_prev(mm, addr, &prev);
	uint64_t merge_start = addr, merge_end = end;
	unsigned long vm_pgoff = 0;
	if (!(vm_flags & VM_SPECIAL)) {
		if (next && next->vm_start == end &&
		    can_vma_merge_before(next, vm_flags, NULL, file, pgoff + pglen)) {
			merge_end = next->vm_end;
			vma = next;
			vm_pgoff = next->vm_pgoff - pglen;
		}
		if (prev && prev->vm_end == addr &&
		    can_vma_merge_after(prev, vm_flags, vma ? vma->anon_vma : NULL, file, pgoff)) {
			merge_start = prev->vm_start;
			vma = prev;
			vm_pgoff = prev->vm_pgoff;
		}
	}
	if (vma) {
		/* vma_expand(): one VMA now covers [merge_start, merge_end). */
		bool remove_next = next && vma != next && merge_end == next->vm_end;
		if (remove_next && vma_import_anon(m, vma, next)) {
			vma = NULL;
		} else {
			if (remove_next)
				vma_merged_away(m, mm, next);
			vma_set_bounds(mm, vma, merge_start, merge_end, vm_pgoff);
			goto expanded;
		}
	}
	vma = vm_area_alloc(m, mm);
	if (!vma) {
		err = -MMSIM_ENOMEM;
		goto unacct;
	}
	vma->vm_start = addr;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_page_prot = vm_get_page_prot(m, vm_flags);
	vma->vm_pgoff = pgoff;
	if (file) {
		vma->vm_file = get_file(file);
		err = file->f_op->mmap(m, file, vma);
		if (err) {
			fput(m, vma->vm_file);
			vm_area_free(m, vma);
			goto unacct;
		}
		vm_flags = vma->vm_flags;
	} else if (vm_flags & VM_SHARED) {
		err = shmem_zero_setup(m, vma);
		if (err) {
			vm_area_free(m, vma);
			goto unacct;
		}
	}
	vma_link(mm, vma);
expanded:
	vm_stat_account(mm, vm_flags, (long)pglen);
	if (vm_flags & VM_LOCKED) {
		if (vm_flags & VM_SPECIAL)
			vma->vm_flags &= VM_LOCKED_CLEAR_MASK;
		else
			mm->locked_vm += pglen;
	}
	/* New or grown VMAs are soft-dirty (x86_64's CONFIG_MEM_SOFT_DIRTY). */
	vma->vm_flags |= m->vm_softdirty;
	vma_set_page_prot(m, vma);
	return (int64_t)addr;
unacct:
	if (charged)
		vm_unacct_memory(m, charged);
	return err;
}

/* calc_vm_prot_bits() / calc_vm_flag_bits() */
static unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

static unsigned long calc_vm_flag_bits(unsigned long flags)
{
	return (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0) | (flags & MAP_LOCKED ? VM_LOCKED : 0) |
	       (flags & MAP_SYNC ? VM_SYNC : 0);
}

int64_t do_mmap(struct machine *m, struct file *file, uint64_t addr, uint64_t len,
		unsigned long prot, unsigned long flags, unsigned long pgoff, uint64_t *populate)
{
	struct task_struct *t = get_current(m);
	struct mm_struct *mm = t->mm;

	*populate = 0;
	if (!len)
		return -MMSIM_EINVAL;
	/* READ_IMPLIES_EXEC: a readable mapping is executable too (old i386 binaries). */
	if ((prot & PROT_READ) && (t->personality & READ_IMPLIES_EXEC))
		prot |= PROT_EXEC;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED)) {
		/* round_hint_to_min() */
		addr &= PAGE_MASK;
		if (addr && addr < m->vm.mmap_min_addr)
			addr = ALIGN_UP(m->vm.mmap_min_addr, PAGE_SIZE);
	}
	uint64_t alen = ALIGN_UP(len, PAGE_SIZE);
	if (!alen || alen < len || (m->is_32bit && alen > 0xffffffffULL))
		return -MMSIM_ENOMEM;
	len = alen;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -MMSIM_EOVERFLOW;
	if (mm->map_count > m->vm.max_map_count)
		return -MMSIM_ENOMEM;
	int64_t r = get_unmapped_area(m, file, addr, len, pgoff, flags);
	if (r < 0)
		return r;
	addr = (uint64_t)r;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -MMSIM_EEXIST;
	unsigned long vm_flags = calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) | mm->def_flags |
				 VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if ((flags & MAP_LOCKED) && !can_do_mlock(t))
		return -MMSIM_EPERM;
	if (mlock_future_check(m, mm, vm_flags, len))
		return -MMSIM_EAGAIN;
	if (file) {
		struct inode *inode = file->f_inode;
		if (pgoff > (UINT64_MAX - len) >> PAGE_SHIFT)
			return -MMSIM_EOVERFLOW;
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			flags &= LEGACY_MAP_MASK;
			/* fallthrough */
		case MAP_SHARED_VALIDATE:
			if (flags & ~LEGACY_MAP_MASK)
				return -MMSIM_EOPNOTSUPP;
			if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
				return -MMSIM_EACCES;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			if (!(file->f_mode & FMODE_WRITE))
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
			/* fallthrough */
		case MAP_PRIVATE:
			if (!(file->f_mode & FMODE_READ))
				return -MMSIM_EACCES;
			if (!file->f_op->mmap)
				return -MMSIM_ENODEV;
			if (vm_flags & VM_GROWSDOWN)
				return -MMSIM_EINVAL;
			break;
		default:
			return -MMSIM_EINVAL;
		}
		(void)inode;
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			if (vm_flags & VM_GROWSDOWN)
				return -MMSIM_EINVAL;
			pgoff = 0;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_PRIVATE:
			pgoff = (unsigned long)(addr >> PAGE_SHIFT);
			break;
		default:
			return -MMSIM_EINVAL;
		}
	}
	if ((flags & MAP_NORESERVE) && m->vm.overcommit_memory != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;
	r = mmap_region(m, file, addr, len, vm_flags, pgoff);
	if (r >= 0 && ((vm_flags & VM_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		*populate = len;
	return r;
}

/*
 * __mm_populate(): fault in [start, start+len) VMA by VMA (MAP_POPULATE,
 * mlock). Errors are ignored as the kernel ignores them here: the mapping
 * stands, untouched pages fault later.
 */
int __mm_populate(struct machine *m, uint64_t start, uint64_t len, bool ignore_errors)
{
	struct mm_struct *mm = get_current(m)->mm;
	uint64_t end = start + len;

	for (uint64_t nstart = start; nstart < end;) {
		struct vm_area_struct *vma = find_vma(mm, nstart);
		if (!vma || vma->vm_start >= end)
			break;
		if (nstart < vma->vm_start)
			nstart = vma->vm_start;
		uint64_t nend = vma->vm_end < end ? vma->vm_end : end;
		if (!(vma->vm_flags & (VM_IO | VM_PFNMAP))) {
			long r = populate_vma_page_range(m, vma, nstart, nend);
			if (r < 0 && !ignore_errors)
				return (int)r;
		}
		nstart = nend;
	}
	return 0;
}

/* ---- brk ----------------------------------------------------------------------------------- */

static int check_brk_limits(struct machine *m, struct mm_struct *mm, uint64_t addr, uint64_t len)
{
	int64_t mapped = get_unmapped_area(m, NULL, addr, len, 0, MAP_FIXED);

	if (mapped < 0)
		return (int)mapped;
	return mlock_future_check(m, mm, mm->def_flags, len);
}

/*
 * do_brk_flags(): grow the brk VMA @vma (if it ends at @addr and matches)
 * or make a new anonymous VMA [addr, addr+len).
 */
static int do_brk_flags(struct machine *m, struct vm_area_struct *vma, uint64_t addr,
			uint64_t len, unsigned long flags)
{
	struct mm_struct *mm = get_current(m)->mm;
	unsigned long npages = (unsigned long)(len >> PAGE_SHIFT);

	flags |= vm_data_default_flags(get_current(m)) | VM_ACCOUNT | mm->def_flags;
	if (!may_expand_vm(m, mm, flags, npages))
		return -MMSIM_ENOMEM;
	if (mm->map_count > m->vm.max_map_count)
		return -MMSIM_ENOMEM;
	if (security_vm_enough_memory_mm(m, mm, npages))
		return -MMSIM_ENOMEM;
	if (vma && vma->vm_end == addr &&
	    can_vma_merge_after(vma, flags, NULL, NULL, (unsigned long)(addr >> PAGE_SHIFT))) {
		vma_adjust_trans_huge(m, vma, vma->vm_start, addr + len);
		vma_set_bounds(mm, vma, vma->vm_start, addr + len, vma->vm_pgoff);
	} else {
		vma = vm_area_alloc(m, mm);
		if (!vma) {
			vm_unacct_memory(m, npages);
			return -MMSIM_ENOMEM;
		}
		vma->vm_start = addr;
		vma->vm_end = addr + len;
		vma->vm_pgoff = (unsigned long)(addr >> PAGE_SHIFT);
		vma->vm_flags = flags;
		vma->vm_page_prot = vm_get_page_prot(m, flags);
		__vma_link(mm, vma);
	}
	mm->total_vm += npages;
	mm->data_vm += npages;
	if (flags & VM_LOCKED)
		mm->locked_vm += npages;
	vma->vm_flags |= m->vm_softdirty;
	return 0;
}

int vm_brk_flags(struct machine *m, uint64_t addr, uint64_t request, unsigned long flags)
{
	struct mm_struct *mm = get_current(m)->mm;
	uint64_t len = ALIGN_UP(request, PAGE_SIZE);
	int ret;

	if (len < request)
		return -MMSIM_ENOMEM;
	if (!len)
		return 0;
	if (flags & ~VM_EXEC)
		return -MMSIM_EINVAL;
	if ((ret = check_brk_limits(m, mm, addr, len)))
		return ret;
	if ((ret = do_munmap(m, mm, addr, len)))
		return ret;
	struct vm_area_struct *prev;
	find_vma_prev(mm, addr, &prev);
	ret = do_brk_flags(m, prev, addr, len, flags);
	if (!ret && (mm->def_flags & VM_LOCKED))
		__mm_populate(m, addr, len, true);
	return ret;
}

static inline int check_data_rlimit(uint64_t rlim, uint64_t new, uint64_t start,
				    uint64_t end_data, uint64_t start_data)
{
	if (rlim < RLIM_INFINITY && (new - start) + (end_data - start_data) > rlim)
		return -MMSIM_ENOSPC;
	return 0;
}

uint64_t sys_brk(struct machine *m, uint64_t brk)
{
	struct task_struct *t = get_current(m);
	struct mm_struct *mm = t->mm;
	uint64_t origbrk = mm->brk;
	uint64_t min_brk = mm->start_brk;

	if (brk < min_brk)
		return origbrk;
	if (check_data_rlimit(rlimit(t, RLIMIT_DATA), brk, mm->start_brk, mm->end_data,
			      mm->start_data))
		return origbrk;
	uint64_t newbrk = ALIGN_UP(brk, PAGE_SIZE), oldbrk = ALIGN_UP(mm->brk, PAGE_SIZE);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return brk;
	}
	if (brk <= mm->brk) {
		/* Shrinking is always allowed, if what is there is the heap. */
		struct vm_area_struct *brkvma = find_vma(mm, newbrk);
		if (!brkvma || brkvma->vm_start >= oldbrk)
			return origbrk;
		mm->brk = brk;
		if (do_align_munmap(m, mm, brkvma, newbrk, oldbrk)) {
			mm->brk = origbrk;
			return origbrk;
		}
		return brk;
	}
	if (check_brk_limits(m, mm, oldbrk, newbrk - oldbrk))
		return origbrk;
	/* The next VMA must stay a guard gap away (it may be a stack). */
	struct vm_area_struct *next = find_vma(mm, oldbrk);
	if (next && next->vm_start < newbrk - 1 + PAGE_SIZE + mm->stack_guard_gap &&
	    newbrk + PAGE_SIZE > vm_start_gap(next))
		return origbrk;
	/*
	 * The VMA to grow is the one just below oldbrk, but only if it lies
	 * at or above start_brk (6.1's vma_prev_limit): the bss exec made
	 * ends at start_brk and so stays a VMA of its own.
	 */
	struct vm_area_struct *brkvma = next ? next->vm_prev : NULL;
	if (!next) {
		struct rb_node *last = rb_last(&mm->mm_rb);
		brkvma = last ? rb_entry(last, struct vm_area_struct, vm_rb) : NULL;
	}
	if (brkvma && brkvma->vm_end <= mm->start_brk)
		brkvma = NULL;
	if (do_brk_flags(m, brkvma, oldbrk, newbrk - oldbrk, 0) < 0)
		return origbrk;
	mm->brk = brk;
	if (mm->def_flags & VM_LOCKED)
		__mm_populate(m, oldbrk, newbrk - oldbrk, true);
	return brk;
}

/* ---- the stack ---------------------------------------------------------------------------- */

static int acct_stack_growth(struct machine *m, struct vm_area_struct *vma, uint64_t size,
			     unsigned long grow)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!may_expand_vm(m, mm, vma->vm_flags, grow))
		return -MMSIM_ENOMEM;
	if (size > rlimit(get_current(m), RLIMIT_STACK))
		return -MMSIM_ENOMEM;
	if (mlock_future_check(m, mm, vma->vm_flags, (uint64_t)grow << PAGE_SHIFT))
		return -MMSIM_ENOMEM;
	if (security_vm_enough_memory_mm(m, mm, grow))
		return -MMSIM_ENOMEM;
	return 0;
}

/*
 * expand_downwards(): a fault below a VM_GROWSDOWN VMA grows it down to
 * the faulting page — within RLIMIT_STACK and RLIMIT_AS, and never to
 * within stack_guard_gap of the mapping below it.
 */
int expand_downwards(struct machine *m, struct vm_area_struct *vma, uint64_t address)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -MMSIM_EFAULT;
	address &= PAGE_MASK;
	if (address < m->vm.mmap_min_addr)
		return -MMSIM_EPERM;
	struct vm_area_struct *prev = vma->vm_prev;
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    address - prev->vm_end < mm->stack_guard_gap)
		return -MMSIM_ENOMEM;
	if (anon_vma_prepare(m, vma))
		return -MMSIM_ENOMEM;
	if (address >= vma->vm_start)
		return 0;
	uint64_t size = vma->vm_end - address;
	unsigned long grow = (unsigned long)((vma->vm_start - address) >> PAGE_SHIFT);
	if (grow > vma->vm_pgoff)
		return -MMSIM_ENOMEM;
	int err = acct_stack_growth(m, vma, size, grow);
	if (err)
		return err;
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	if (!(vma->vm_flags & VM_ACCOUNT))
		m->vm_committed_stack_leak += grow;	/* charged, and never uncharged */
	vm_stat_account(mm, vma->vm_flags, (long)grow);
	vma_set_bounds(mm, vma, address, vma->vm_end, vma->vm_pgoff - grow);
	return 0;
}

/*
 * lock_mm_and_find_vma() (6.1.y): the VMA a fault at @addr belongs to,
 * growing a stack down to it if the VMA above is one; NULL if the address
 * is not mapped and cannot be.
 */
struct vm_area_struct *find_extend_vma(struct machine *m, struct mm_struct *mm, uint64_t addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && vma->vm_start <= addr)
		return vma;
	if (!vma || !(vma->vm_flags & VM_GROWSDOWN))
		return NULL;
	if (expand_downwards(m, vma, addr))
		return NULL;
	return vma;
}

/* ---- special mappings ([vdso], [vvar]) ------------------------------------------------------- */

static const char *special_mapping_name(struct vm_area_struct *vma)
{
	return ((const struct vm_special_mapping *)vma->vm_private_data)->name;
}

static void special_mapping_close(struct vm_area_struct *vma)
{
	(void)vma;
}

static int special_mapping_split(struct vm_area_struct *vma, uint64_t addr)
{
	(void)vma;
	(void)addr;
	return -MMSIM_EINVAL;	/* one image, one VMA */
}

static int special_mapping_mremap(struct vm_area_struct *new_vma)
{
	const struct vm_special_mapping *sm = new_vma->vm_private_data;

	return sm->mremap ? sm->mremap(sm, new_vma) : 0;
}

static vm_fault_t special_mapping_fault(struct vm_fault *vmf)
{
	const struct vm_special_mapping *sm = vmf->vma->vm_private_data;

	if (sm->fault)
		return sm->fault(sm, vmf);
	if (vmf->pgoff < sm->nr_pages && sm->pages[vmf->pgoff]) {
		vmf->page = sm->pages[vmf->pgoff];
		get_page(vmf->page);
		return 0;
	}
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct special_mapping_vmops = {
	.close = special_mapping_close,
	.may_split = special_mapping_split,
	.name = special_mapping_name,
	.fault = special_mapping_fault,
	.mremap = special_mapping_mremap,
};

bool vma_is_special_mapping(const struct vm_area_struct *vma, const struct vm_special_mapping *sm)
{
	return vma->vm_private_data == sm && vma->vm_ops == &special_mapping_vmops;
}

static int insert_vm_struct(struct machine *m, struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long charged = vma_pages(vma);

	if (find_vma_intersection(mm, vma->vm_start, vma->vm_end))
		return -MMSIM_ENOMEM;
	if ((vma->vm_flags & VM_ACCOUNT) && security_vm_enough_memory_mm(m, mm, charged))
		return -MMSIM_ENOMEM;
	if (vma_is_anonymous(vma))
		vma->vm_pgoff = (unsigned long)(vma->vm_start >> PAGE_SHIFT);
	vma_link(mm, vma);
	return 0;
}

int insert_stack_vma(struct machine *m, struct mm_struct *mm, struct vm_area_struct *vma)
{
	return insert_vm_struct(m, mm, vma);
}

struct vm_area_struct *_install_special_mapping(struct machine *m, struct mm_struct *mm,
						uint64_t addr, uint64_t len, unsigned long vm_flags,
						const struct vm_special_mapping *spec, int *err)
{
	struct vm_area_struct *vma = vm_area_alloc(m, mm);

	if (!vma) {
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = (vm_flags | mm->def_flags | VM_DONTEXPAND | m->vm_softdirty) &
			VM_LOCKED_CLEAR_MASK;
	vma->vm_page_prot = vm_get_page_prot(m, vma->vm_flags);
	vma->vm_ops = &special_mapping_vmops;
	vma->vm_private_data = (void *)spec;
	int ret = insert_vm_struct(m, mm, vma);
	if (ret) {
		vm_area_free(m, vma);
		*err = ret;
		return NULL;
	}
	vm_stat_account(mm, vma->vm_flags, (long)(len >> PAGE_SHIFT));
	*err = 0;
	return vma;
}

/* ---- copy_vma (mremap) ------------------------------------------------------------------------- */

/*
 * copy_vma(): a VMA like *@vmap for [addr, addr+len) at file page @pgoff
 * — merged into a neighbour when possible — for mremap to move pages to.
 * NULL without memory.
 */
struct vm_area_struct *copy_vma(struct machine *m, struct vm_area_struct **vmap, uint64_t addr,
				uint64_t len, unsigned long pgoff)
{
	struct vm_area_struct *vma = *vmap;
	uint64_t vma_start = vma->vm_start;
	struct mm_struct *mm = vma->vm_mm;
	bool can_self_merge = false;

	/* A moved anonymous VMA with no pages yet gets the offsets of its new place. */
	if (vma_is_anonymous(vma) && !vma->anon_vma) {
		pgoff = (unsigned long)(addr >> PAGE_SHIFT);
		can_self_merge = true;
	}
	struct vm_area_struct *prev, *new_vma = find_vma_prev(mm, addr, &prev);
	if (new_vma && new_vma->vm_start < addr + len)
		return NULL;
	if (can_self_merge && (addr == vma->vm_end || vma->vm_start == addr + len))
		new_vma = NULL;
	else
		new_vma = vma_merge(m, mm, prev, addr, addr + len, vma->vm_flags, vma->anon_vma,
				    vma->vm_file, pgoff);
	if (new_vma) {
		if (vma_start >= new_vma->vm_start && vma_start < new_vma->vm_end)
			*vmap = new_vma;
		return new_vma;
	}
	new_vma = vm_area_dup(m, vma);
	if (!new_vma)
		return NULL;
	new_vma->vm_start = addr;
	new_vma->vm_end = addr + len;
	new_vma->vm_pgoff = pgoff;
	if (anon_vma_clone(m, new_vma, vma)) {
		vm_area_free(m, new_vma);
		return NULL;
	}
	if (new_vma->vm_file)
		get_file(new_vma->vm_file);
	if (new_vma->vm_ops && new_vma->vm_ops->open)
		new_vma->vm_ops->open(new_vma);
	vma_link(mm, new_vma);
	return new_vma;
}

/* ---- exit ----------------------------------------------------------------------------------------- */

void exit_mmap(struct machine *m, struct mm_struct *mm)
{
	struct vm_area_struct *vma = mm->mmap;
	unsigned long nr_accounted = 0;
	struct mmu_gather tlb;

	if (!vma)
		return;
	lru_add_drain(m);
	tlb_gather_mmu(&tlb, m, mm, true);
	unmap_vmas(&tlb, vma, 0, UINT64_MAX);
	/* Nothing is left for the OOM reaper, nor worth choosing this mm again for. */
	mm->flags |= 1UL << MMF_OOM_SKIP;
	free_pgtables(&tlb, vma, 0, 0);
	tlb_finish_mmu(&tlb);
	while ((vma = mm->mmap)) {
		if (vma->vm_flags & VM_ACCOUNT)
			nr_accounted += vma_pages(vma);
		__vma_unlink(mm, vma);
		remove_vma(m, vma);
	}
	vm_unacct_memory(m, nr_accounted);
}

/* ---- the validator ---------------------------------------------------------------------------------- */

/*
 * validate_mm(): the list is sorted and non-overlapping and agrees with
 * the tree (same VMAs, same order), map_count counts them, every cached
 * gap is what it should be, highest_vm_end is the last end, the page
 * counts add up, and each VMA's anon_vma chains are sound.
 */
unsigned long mmap_verify(struct machine *m, struct mm_struct *mm, int pid, FILE *out)
{
	unsigned long bad = 0, total = 0, data = 0, exec = 0, stack = 0;
	int count = 0;
	struct rb_node *node = rb_first(&mm->mm_rb);
	struct vm_area_struct *prev = NULL;

	for (struct vm_area_struct *vma = mm->mmap; vma; prev = vma, vma = vma->vm_next) {
		if (count++ > m->vm.max_map_count + 1) {
			fprintf(out, "pid %d: the VMA list does not end (a cycle?)\n", pid);
			return bad + 1;
		}
		if (vma->vm_prev != prev) {
			fprintf(out, "pid %d: vma %#" PRIx64 "-%#" PRIx64 ": vm_prev is wrong\n", pid,
				vma->vm_start, vma->vm_end);
			bad++;
		}
		if (vma->vm_start >= vma->vm_end || (vma->vm_start | vma->vm_end) & (PAGE_SIZE - 1) ||
		    vma->vm_end > mm->task_size) {
			fprintf(out, "pid %d: vma %#" PRIx64 "-%#" PRIx64 " is not a page-aligned range "
				"of user space\n", pid, vma->vm_start, vma->vm_end);
			bad++;
		}
		if (prev && vma->vm_start < prev->vm_end) {
			fprintf(out, "pid %d: vma %#" PRIx64 "-%#" PRIx64 " overlaps or precedes the one "
				"before it\n", pid, vma->vm_start, vma->vm_end);
			bad++;
		}
		if (node != &vma->vm_rb) {
			fprintf(out, "pid %d: the tree and the list disagree at vma %#" PRIx64 "\n", pid,
				vma->vm_start);
			bad++;
		}
		node = node ? rb_next(node) : NULL;
		uint64_t expect = vma_compute_gap(vma);
		uint64_t sub = expect;
		if (vma->vm_rb.left) {
			uint64_t g = rb_entry(vma->vm_rb.left, struct vm_area_struct, vm_rb)->rb_subtree_gap;
			sub = g > sub ? g : sub;
		}
		if (vma->vm_rb.right) {
			uint64_t g = rb_entry(vma->vm_rb.right, struct vm_area_struct, vm_rb)->rb_subtree_gap;
			sub = g > sub ? g : sub;
		}
		if (vma->rb_subtree_gap != sub) {
			fprintf(out, "pid %d: vma %#" PRIx64 ": cached subtree gap %#" PRIx64 ", should be "
				"%#" PRIx64 "\n", pid, vma->vm_start, vma->rb_subtree_gap, sub);
			bad++;
		}
		if (vma->vm_mm != mm) {
			fprintf(out, "pid %d: vma %#" PRIx64 " belongs to another mm\n", pid, vma->vm_start);
			bad++;
		}
		unsigned long pages = vma_pages(vma);
		total += pages;
		if (is_exec_mapping(vma->vm_flags))
			exec += pages;
		else if (is_stack_mapping(vma->vm_flags))
			stack += pages;
		else if (is_data_mapping(vma->vm_flags))
			data += pages;
		if (vma->anon_vma || !list_empty(&vma->anon_vma_chain))
			bad += anon_vma_verify(m, vma, out);
	}
	if (node) {
		fprintf(out, "pid %d: the tree holds VMAs the list does not\n", pid);
		bad++;
	}
	const char *why = rb_verify(&mm->mm_rb, (size_t)count);
	if (why) {
		fprintf(out, "pid %d: VMA tree: %s\n", pid, why);
		bad++;
	}
	if (count != mm->map_count) {
		fprintf(out, "pid %d: map_count %d, but %d VMAs\n", pid, mm->map_count, count);
		bad++;
	}
	if (mm->highest_vm_end != (prev ? prev->vm_end : 0)) {
		fprintf(out, "pid %d: highest_vm_end %#" PRIx64 ", last VMA ends at %#" PRIx64 "\n", pid,
			mm->highest_vm_end, prev ? prev->vm_end : 0);
		bad++;
	}
	if (total != mm->total_vm || data != mm->data_vm || exec != mm->exec_vm ||
	    stack != mm->stack_vm) {
		fprintf(out, "pid %d: total/data/exec/stack_vm %lu/%lu/%lu/%lu, the VMAs add up to "
			"%lu/%lu/%lu/%lu\n", pid, mm->total_vm, mm->data_vm, mm->exec_vm, mm->stack_vm,
			total, data, exec, stack);
		bad++;
	}
	return bad;
}
