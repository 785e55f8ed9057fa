/* page.c — what each frame of the machine is used for, in runs
 * (fs/proc/page.c is where the kernel answers this, as /proc/kpageflags
 * and /proc/kpagecount; mmsim_scan_frames() says what those bits mean
 * together with what the kernel knows beside them).
 *
 * The scan reads and never writes: a MAX_ORDER block whose struct pages
 * were never written (the lazy memmap) is one run, free or reserved as its
 * state says, so looking at a 1 TiB machine costs what its used memory
 * costs. Free blocks come from PageBuddy and their order; blocks on the
 * per-CPU lists and vmalloc's pages are collected first, since nothing in
 * their struct pages says where they are. */
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/page.h>

#include "arch/x86/pgtable.h"
#include "kernel/sched.h"
#include "mm.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

static const char *const owner_names[MMSIM_NR_FRAME_OWNERS] = {
	[MMSIM_FRAME_HOLE] = "hole",
	[MMSIM_FRAME_RESERVED] = "reserved",
	[MMSIM_FRAME_KERNEL_IMAGE] = "kernel image",
	[MMSIM_FRAME_ZERO] = "zero page",
	[MMSIM_FRAME_FREE] = "free",
	[MMSIM_FRAME_PCP] = "free (per-CPU list)",
	[MMSIM_FRAME_ISOLATED] = "free (isolated)",
	[MMSIM_FRAME_SLAB] = "slab",
	[MMSIM_FRAME_PAGE_TABLE] = "page table",
	[MMSIM_FRAME_VMALLOC] = "vmalloc",
	[MMSIM_FRAME_ANON] = "anonymous",
	[MMSIM_FRAME_FILE] = "page cache",
	[MMSIM_FRAME_KERNEL] = "kernel (alloc_pages)",
};

const char *mmsim_frame_owner_name(enum mmsim_frame_owner owner)
{
	return (unsigned int)owner < MMSIM_NR_FRAME_OWNERS ? owner_names[owner] : "?";
}

unsigned long mmsim_max_pfn(const struct machine *m)
{
	return m->max_pfn;
}

/* Frames found by a first pass: sorted, so that the scan meets them in order. */
struct marked {
	unsigned long *pfn;
	unsigned char *order;
	size_t nr, cap;
	bool failed;
};

static void mark(struct marked *mk, unsigned long pfn, unsigned int order)
{
	if (mk->nr == mk->cap) {
		size_t cap = mk->cap ? 2 * mk->cap : 256;
		unsigned long *p = realloc(mk->pfn, cap * sizeof(*p));
		if (p)
			mk->pfn = p;
		unsigned char *o = p ? realloc(mk->order, cap) : NULL;
		if (!o) {
			mk->failed = true;
			return;
		}
		mk->order = o;
		mk->cap = cap;
	}
	mk->pfn[mk->nr] = pfn;
	mk->order[mk->nr++] = (unsigned char)order;
}

static void mark_pcp(unsigned long pfn, unsigned int order, void *arg)
{
	mark(arg, pfn, order);
}

struct vmalloc_marks {
	struct machine *m;
	struct marked mk;
};

static void mark_vmalloc(struct page *page, const struct vm_struct *vm, void *arg)
{
	struct vmalloc_marks *vm_marks = arg;

	(void)vm;
	mark(&vm_marks->mk, page_to_pfn(vm_marks->m, page), 0);
}

static int cmp_pfn_order(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

/* Sort by pfn (orders follow their pfns). */
static void sort_marked(struct marked *mk)
{
	struct { unsigned long pfn; unsigned char order; } *pairs;

	if (mk->nr < 2)
		return;
	pairs = malloc(mk->nr * sizeof(*pairs));
	if (!pairs) {
		mk->failed = true;
		return;
	}
	for (size_t i = 0; i < mk->nr; i++) {
		pairs[i].pfn = mk->pfn[i];
		pairs[i].order = mk->order[i];
	}
	qsort(pairs, mk->nr, sizeof(*pairs), cmp_pfn_order);
	for (size_t i = 0; i < mk->nr; i++) {
		mk->pfn[i] = pairs[i].pfn;
		mk->order[i] = pairs[i].order;
	}
	free(pairs);
}

/* The marked block at @pfn, moving the cursor past those below it; -1 if none. */
static int marked_at(const struct marked *mk, size_t *cursor, unsigned long pfn)
{
	while (*cursor < mk->nr && mk->pfn[*cursor] < pfn)
		(*cursor)++;
	return *cursor < mk->nr && mk->pfn[*cursor] == pfn ? mk->order[*cursor] : -1;
}

/* A process that maps @page at @addr of @vma, as the page tables say (not only rmap). */
struct mapper {
	struct machine *m;
	unsigned long pfn;
	int pid;
	uint64_t addr;
};

static bool find_mapper(struct machine *m, struct page *page, struct vm_area_struct *vma,
			uint64_t addr, void *arg)
{
	struct mapper *mp = arg;
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;

	(void)page;
	if (!pt_lookup(m, vma->vm_mm->pgd, addr, &level, &table, &idx))
		return true;
	uint64_t entry = pt_read(m, table, idx);
	uint64_t size = pt_level_size(m, level);
	phys_addr_t phys = (entry & pt_format(m)->addr_mask & ~(size - 1)) + (addr & (size - 1));
	if (!(entry & _PAGE_PRESENT) || phys >> PAGE_SHIFT != mp->pfn)
		return true;
	for (struct task_struct *t = NULL; (t = next_task(m, t));)
		if (t->mm == vma->vm_mm) {
			mp->pid = t->pid;
			mp->addr = addr;
			return false;
		}
	return true;
}

/*
 * 0 if @pfn is RAM the e820 map gives the kernel; otherwise how many frames
 * the hole has from @pfn on (to the next RAM, or ~0UL), so that a scan
 * crosses a terabyte of it at once.
 */
static unsigned long hole_frames(const struct machine *m, unsigned long pfn)
{
	uint64_t addr = (uint64_t)pfn << PAGE_SHIFT, next = ~0ULL;

	for (unsigned int i = 0; i < m->e820.nr_entries; i++) {
		const struct e820_entry *e = &m->e820.entries[i];
		if (e->type != E820_TYPE_RAM)
			continue;
		if (addr >= e->addr && addr - e->addr < e->size)
			return 0;
		if (e->addr > addr && e->addr < next)
			next = e->addr;
	}
	return next == ~0ULL ? ~0UL : (unsigned long)((next + PAGE_SIZE - 1) >> PAGE_SHIFT) - pfn;
}

/* One block's facts: @run gets everything but pfn; returns the block's frames. */
static unsigned long describe(struct machine *m, unsigned long pfn, const struct marked *pcp,
			      size_t *pcp_at, const struct marked *vmalloc, size_t *vmalloc_at,
			      struct mmsim_frame_run *run)
{
	unsigned long block_end = (pfn | ((1UL << MEMMAP_BLOCK_SHIFT) - 1)) + 1;
	int order;

	unsigned long hole = hole_frames(m, pfn);

	memset(run, 0, sizeof(*run));
	if (hole || !pfn_valid(m, pfn)) {
		run->owner = MMSIM_FRAME_HOLE;
		run->migratetype = -1;
		return hole ? hole : 1;
	}
	run->migratetype = get_pageblock_migratetype(m, pfn);
	run->zone = m->node.node_zones[memmap_page_zonenum(m, pfn)].name;
	switch (memmap_block_state(m, pfn)) {
	case MEMMAP_LAZY: {
		/* Reserved, as memmap_init() left it: the kernel image's part is named so. */
		unsigned long image = m->boot.kernel_start >> PAGE_SHIFT;
		unsigned long image_end = m->boot.kernel_end >> PAGE_SHIFT;
		unsigned long end = block_end;
		run->flags = 1UL << PG_reserved;
		run->refcount = 1;
		if (pfn >= image && pfn < image_end) {
			run->owner = MMSIM_FRAME_KERNEL_IMAGE;
			end = image_end < end ? image_end : end;
		} else {
			run->owner = MMSIM_FRAME_RESERVED;
			end = pfn < image && image < end ? image : end;
		}
		return end - pfn;
	}
	case MEMMAP_LAZY_FREE:
	case MEMMAP_HELD:
		run->owner = MMSIM_FRAME_FREE;
		run->order = MAX_ORDER - 1;
		return block_end - pfn;
	case MEMMAP_READY:
		break;
	}
	struct page *page = pfn_to_page_in_block(m, pfn), *head = compound_head(page);
	unsigned long nr = 1;
	if (PageBuddy(page)) {
		run->owner = MMSIM_FRAME_FREE;
		run->order = (unsigned int)page->private;
		return 1UL << run->order;
	}
	if ((order = marked_at(pcp, pcp_at, pfn)) >= 0) {
		run->owner = MMSIM_FRAME_PCP;
		run->order = (unsigned int)order;
		return 1UL << order;
	}
	if (PageCompound(page)) {
		/* The compound page from here to its end: the head holds its state. */
		run->order = head->alloc_order >= 0 ? (unsigned int)head->alloc_order : 0;
		nr = page_to_pfn(m, head) + (1UL << run->order) - pfn;
	} else if (page->alloc_order > 0 && page_ref_count(page) > 0) {
		/* A block without __GFP_COMP: its first page holds the reference for all of it. */
		run->order = (unsigned int)page->alloc_order;
		nr = 1UL << run->order;
	}
	run->flags = head->flags & ((1UL << __NR_PAGEFLAGS) - 1);
	run->refcount = page_ref_count(head);
	run->mapcount = (head->flags & PG_slab_mask) || PageTable(head) ? 0 : head->_mapcount + 1;
	run->kmap_slot = page->kmap_slot;
	if (is_zero_pfn(m, pfn))
		run->owner = MMSIM_FRAME_ZERO;
	else if (PageReserved(page))
		run->owner = pfn >= m->boot.kernel_start >> PAGE_SHIFT &&
			     pfn < m->boot.kernel_end >> PAGE_SHIFT ? MMSIM_FRAME_KERNEL_IMAGE
								    : MMSIM_FRAME_RESERVED;
	else if ((head->flags & PG_slab_mask)) {
		run->owner = MMSIM_FRAME_SLAB;
		run->slab_cache = page_slab(head)->slab_cache->name;
	} else if (PageTable(head))
		run->owner = MMSIM_FRAME_PAGE_TABLE;
	else if (marked_at(vmalloc, vmalloc_at, pfn) >= 0)
		run->owner = MMSIM_FRAME_VMALLOC;
	else if (PageAnon(head) || PageSwapCache(head))
		/* A swap-cache page not mapped yet (readahead's) is anonymous memory too. */
		run->owner = MMSIM_FRAME_ANON;
	else if (head->mapping)
		run->owner = MMSIM_FRAME_FILE;
	else if (page_ref_count(head) > 0)
		run->owner = MMSIM_FRAME_KERNEL;
	else
		run->owner = MMSIM_FRAME_ISOLATED;
	if (run->owner == MMSIM_FRAME_ANON || run->owner == MMSIM_FRAME_FILE) {
		run->swapcache = PageSwapCache(head);
		if (run->mapcount > 0) {
			struct mapper mp = { .m = m, .pfn = pfn };
			rmap_walk(m, head, find_mapper, &mp);
			run->mapper_pid = mp.pid;
			run->mapper_addr = mp.addr;
		}
	}
	return nr;
}

/* Does @next continue @run: the same in every field, its frames (and addresses) following on? */
static bool continues(const struct mmsim_frame_run *run, const struct mmsim_frame_run *next)
{
	return run->owner == next->owner && run->zone == next->zone &&
	       run->migratetype == next->migratetype && run->flags == next->flags &&
	       run->refcount == next->refcount && run->mapcount == next->mapcount &&
	       run->order == next->order && run->slab_cache == next->slab_cache &&
	       !run->kmap_slot && !next->kmap_slot && run->swapcache == next->swapcache &&
	       run->mapper_pid == next->mapper_pid &&
	       (!run->mapper_pid || run->mapper_addr + ((uint64_t)run->nr << PAGE_SHIFT) ==
				    next->mapper_addr) &&
	       run->pfn + run->nr == next->pfn;
}

long mmsim_scan_frames(struct machine *m, unsigned long start_pfn, unsigned long end_pfn,
		       void (*fn)(const struct mmsim_frame_run *run, void *arg), void *arg)
{
	struct marked pcp = { 0 };
	struct vmalloc_marks vmalloc = { .m = m };
	struct mmsim_frame_run run = { 0 }, next;
	size_t pcp_at = 0, vmalloc_at = 0;
	long runs = 0;

	if (end_pfn > m->max_pfn)
		end_pfn = m->max_pfn;
	pcp_for_each_block(m, mark_pcp, &pcp);
	vmalloc_for_each_page(m, mark_vmalloc, &vmalloc);
	sort_marked(&pcp);
	sort_marked(&vmalloc.mk);
	if (pcp.failed || vmalloc.mk.failed) {
		runs = -MMSIM_ENOMEM;
		goto out;
	}
	for (unsigned long pfn = start_pfn; pfn < end_pfn;) {
		unsigned long nr = describe(m, pfn, &pcp, &pcp_at, &vmalloc.mk, &vmalloc_at, &next);
		next.pfn = pfn;
		next.nr = nr < end_pfn - pfn ? nr : end_pfn - pfn;
		if (run.nr && continues(&run, &next)) {
			run.nr += next.nr;
		} else {
			if (run.nr) {
				fn(&run, arg);
				runs++;
			}
			run = next;
		}
		pfn += next.nr;
	}
	if (run.nr) {
		fn(&run, arg);
		runs++;
	}
out:
	free(pcp.pfn);
	free(pcp.order);
	free(vmalloc.mk.pfn);
	free(vmalloc.mk.order);
	return runs;
}
