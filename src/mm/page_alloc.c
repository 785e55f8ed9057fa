/* page_alloc.c — the buddy allocator: free areas, per-CPU lists, watermarks.
 *
 * Each zone keeps free memory as power-of-two blocks on free_area[order],
 * one list per migratetype. Allocation takes the smallest block that fits
 * and splits it (expand); freeing merges a block with its "buddy" — the
 * block whose pfn differs in exactly bit `order` — for as long as the buddy
 * is free, so fragmentation heals itself. Orders up to PAGE_ALLOC_COSTLY_ORDER
 * go through per-CPU lists (pcp) first, filled and drained in batches, so
 * the common case never touches the zone's free lists at all.
 *
 * Whether a zone may be used is decided by its watermarks: an allocation
 * must leave at least the zone's low (first pass) or min (slow path) mark
 * free, plus lowmem_reserve[] for the highest zone the caller could have
 * used — which keeps HighMem-capable callers from eating DMA and Normal.
 *
 * When the free lists cannot serve a request that may wait, the slow path
 * calls the OOM killer (__alloc_pages_may_oom, mm/oom_kill.c) and retries.
 * Not here yet (later capabilities): reclaim, compaction and kswapd, which
 * go before it; a request the OOM killer cannot help fails with the
 * kernel's "page allocation failure" warning. Watermark boosting waits for
 * kswapd, which is what would clear it.
 *
 * Locking: the simulation is single-threaded; where the kernel takes
 * zone->lock the comment says so, to keep the structure recognisable. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/trace.h"
#include "lib/int_sqrt.h"
#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/oom.h"
#include "mm/slab.h"
#include "mm/swap.h"

#define FPI_NONE	0
#define FPI_TO_TAIL	(1 << 1)

/* Fallback order when a migratetype's own lists are empty. */
static const int fallbacks[MIGRATE_TYPES][3] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE,   MIGRATE_TYPES },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE, MIGRATE_TYPES },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE,   MIGRATE_MOVABLE,   MIGRATE_TYPES },
};

static inline bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

/* ---- free list primitives (caller holds zone->lock) ---------------------- */

static inline void set_buddy_order(struct page *page, unsigned int order)
{
	page->private = order;
	__SetPageBuddy(page);
}

static inline unsigned int buddy_order(const struct page *page)
{
	return (unsigned int)page->private;
}

/* ---- the free list's runs of lazily written blocks ---------------------------------------- */

/*
 * With a lazy memmap, the MAX_ORDER blocks boot frees whole are not
 * written into the free list one by one: the ones freed one after the
 * other are described by a run, whose anchor stands in
 * free_area[MAX_ORDER - 1].free_list[MIGRATE_MOVABLE] where they would
 * have stood, in the order boot freed them (ascending pfns). The run's
 * members are its blocks still in MEMMAP_LAZY_FREE or MEMMAP_HELD.
 * Taking the run's entry from the list (get_page_from_free_area) writes
 * its lowest member and puts it in the list just before the anchor: the
 * allocator sees exactly the list the eager path built. A member written
 * because something looked at it (MEMMAP_HELD) keeps its place in the run;
 * if the allocator takes it out of the list some other way (isolation,
 * compaction, a migratetype change), it leaves its run.
 *
 * The anchor is laid out as a struct page whose flags no page can have
 * (zone 7 and every flag), so a walker of the list can tell it apart.
 */
#define MEMMAP_RUN_FLAGS	(~0UL)

struct memmap_free_run {
	struct page anchor;		/* anchor.buddy_list: the run's place in the list */
	struct machine *m;
	struct zone *zone;
	unsigned long first, end;	/* block numbers: the members lie in [first, end) */
	unsigned long nr;		/* members left */
};

bool free_list_entry_is_run(const struct page *page)
{
	return page->flags == MEMMAP_RUN_FLAGS;
}

unsigned long free_run_blocks(const struct page *anchor)
{
	return container_of(anchor, struct memmap_free_run, anchor)->nr;
}

static bool free_run_member(const struct memmap_free_run *run, unsigned long b)
{
	unsigned char st = run->m->memmap_state[b];
	return b >= run->first && b < run->end && (st == MEMMAP_LAZY_FREE || st == MEMMAP_HELD);
}

unsigned long free_run_next(const struct page *anchor, unsigned long pfn)
{
	const struct memmap_free_run *run = container_of(anchor, struct memmap_free_run, anchor);
	unsigned long b = pfn >> MEMMAP_BLOCK_SHIFT;

	for (b = b > run->first ? b : run->first; b < run->end; b++)
		if (free_run_member(run, b))
			return b << MEMMAP_BLOCK_SHIFT;
	return ~0UL;
}

/* The run that holds block @b, or NULL: the zone's runs are sorted and disjoint. */
static struct memmap_free_run *free_run_of(const struct zone *zone, unsigned long b)
{
	unsigned int lo = 0, hi = zone->nr_free_runs;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		if (zone->free_runs[mid]->end <= b)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < zone->nr_free_runs && free_run_member(zone->free_runs[lo], b))
		return zone->free_runs[lo];
	return NULL;
}

/* A member leaves its run: the run leaves the list when it has no members left. */
static void free_run_drop(struct memmap_free_run *run, unsigned long b)
{
	struct zone *zone = run->zone;

	run->m->memmap_state[b] = MEMMAP_READY;
	if (--run->nr)
		return;
	list_del(&run->anchor.buddy_list);
	for (unsigned int i = 0; i < zone->nr_free_runs; i++)
		if (zone->free_runs[i] == run) {
			memmove(&zone->free_runs[i], &zone->free_runs[i + 1],
				(zone->nr_free_runs - i - 1) * sizeof(zone->free_runs[0]));
			zone->nr_free_runs--;
			break;
		}
	free(run);
}

/*
 * The run at the head of a list: its lowest member, written, takes its
 * place in the list just before the run.
 */
static struct page *free_run_take(struct page *anchor)
{
	struct memmap_free_run *run = container_of(anchor, struct memmap_free_run, anchor);
	unsigned long pfn = free_run_next(anchor, run->first << MEMMAP_BLOCK_SHIFT);

	VM_BUG_ON(run->m, pfn == ~0UL);	/* a run with no member has left the list */
	run->first = (pfn >> MEMMAP_BLOCK_SHIFT) + 1;
	struct page *page = pfn_to_page(run->m, pfn);	/* MEMMAP_LAZY_FREE -> MEMMAP_HELD */
	list_add_tail(&page->buddy_list, &anchor->buddy_list);
	free_run_drop(run, pfn >> MEMMAP_BLOCK_SHIFT);
	return page;
}

/* A held block taken out of the free list by other means than its run's turn. */
static void free_run_forget(struct zone *zone, struct page *page)
{
	if (!zone->nr_free_runs)
		return;		/* not held after all: verify names the broken block */
	struct machine *m = zone->free_runs[0]->m;
	unsigned long b = (unsigned long)(page - m->mem_map) >> MEMMAP_BLOCK_SHIFT;
	struct memmap_free_run *run = free_run_of(zone, b);
	VM_BUG_ON_PAGE(m, !run, page);
	if (run)
		free_run_drop(run, b);
}

bool memmap_hold_free_block(struct machine *m, struct zone *zone, unsigned long pfn)
{
	unsigned long b = pfn >> MEMMAP_BLOCK_SHIFT;
	struct list_head *list = &zone->free_area[MAX_ORDER - 1].free_list[MIGRATE_MOVABLE];

	if (m->memmap_eager || m->memmap_state[b] != MEMMAP_LAZY ||
	    get_pageblock_migratetype(m, pfn) != MIGRATE_MOVABLE)
		return false;
	/* Boot frees in ascending order; a block below the last run goes the eager way. */
	if (zone->nr_free_runs && zone->free_runs[zone->nr_free_runs - 1]->end > b)
		return false;
	struct memmap_free_run *run = NULL;
	if (list->prev != list &&
	    free_list_entry_is_run(list_entry(list->prev, struct page, buddy_list)))
		run = container_of(list_entry(list->prev, struct page, buddy_list),
				   struct memmap_free_run, anchor);
	if (!run) {
		if (zone->nr_free_runs == zone->free_runs_cap) {
			unsigned int cap = zone->free_runs_cap ? zone->free_runs_cap * 2 : 4;
			void *p = realloc(zone->free_runs, cap * sizeof(zone->free_runs[0]));
			if (!p)
				return false;
			zone->free_runs = p;
			zone->free_runs_cap = cap;
		}
		run = calloc(1, sizeof(*run));
		if (!run)
			return false;
		run->anchor.flags = MEMMAP_RUN_FLAGS;
		run->m = m;
		run->zone = zone;
		run->first = b;
		list_add_tail(&run->anchor.buddy_list, list);
		zone->free_runs[zone->nr_free_runs++] = run;
	}
	run->end = b + 1;
	run->nr++;
	m->memmap_state[b] = MEMMAP_LAZY_FREE;
	/* What __free_pages_core() and __free_one_page(FPI_TO_TAIL) count. */
	zone->managed_pages += MAX_ORDER_NR_PAGES;
	__mod_zone_freepage_state(zone, (long)MAX_ORDER_NR_PAGES, MIGRATE_MOVABLE);
	zone->free_area[MAX_ORDER - 1].nr_free++;
	return true;
}

void memmap_free_runs_destroy(struct zone *zone)
{
	for (unsigned int i = 0; i < zone->nr_free_runs; i++)
		free(zone->free_runs[i]);
	free(zone->free_runs);
	zone->free_runs = NULL;
	zone->nr_free_runs = zone->free_runs_cap = 0;
}

static inline void add_to_free_list(struct page *page, struct zone *zone,
				    unsigned int order, int mt)
{
	struct free_area *area = &zone->free_area[order];

	list_add(&page->buddy_list, &area->free_list[mt]);
	area->nr_free++;
}

static inline void add_to_free_list_tail(struct page *page, struct zone *zone,
					 unsigned int order, int mt)
{
	struct free_area *area = &zone->free_area[order];

	list_add_tail(&page->buddy_list, &area->free_list[mt]);
	area->nr_free++;
}

static inline void move_to_free_list(struct page *page, struct zone *zone,
				     unsigned int order, int mt)
{
	struct list_head *list = &zone->free_area[order].free_list[mt];

	if (unlikely(!page->buddy_list.next)) {	/* a held block leaves its run */
		free_run_forget(zone, page);
		list_add_tail(&page->buddy_list, list);
		return;
	}
	list_move_tail(&page->buddy_list, list);
}

static inline void del_page_from_free_list(struct page *page, struct zone *zone,
					   unsigned int order)
{
	if (unlikely(!page->buddy_list.next))	/* a held block: its run lets it go */
		free_run_forget(zone, page);
	else
		list_del(&page->buddy_list);
	__ClearPageBuddy(page);
	page->private = 0;
	zone->free_area[order].nr_free--;
}

static inline struct page *get_page_from_free_area(struct free_area *area, int mt)
{
	if (list_empty(&area->free_list[mt]))
		return NULL;
	struct page *page = list_first_entry(&area->free_list[mt], struct page, buddy_list);
	if (unlikely(free_list_entry_is_run(page)))
		page = free_run_take(page);
	return page;
}

static inline bool free_area_empty(const struct free_area *area, int mt)
{
	return list_empty(&area->free_list[mt]);
}

/*
 * A page is the buddy of another free block if it heads a free block of the
 * same order in the same zone. Pages in holes and reserved pages are never
 * PageBuddy, so they stop merging at the edges of memory.
 */
static inline bool page_is_buddy(struct page *buddy, unsigned int order, unsigned int zone_idx)
{
	return PageBuddy(buddy) && buddy_order(buddy) == order && page_zonenum(buddy) == zone_idx;
}

static inline struct page *find_buddy_page(struct machine *m, unsigned long pfn,
					   unsigned int order, unsigned int zone_idx,
					   unsigned long *buddy_pfn)
{
	unsigned long b = pfn ^ (1UL << order);

	*buddy_pfn = b;
	if (b >= m->mem_map_pfns)
		return NULL;
	/* Below MAX_ORDER - 1 the buddy lies in the same MAX_ORDER block. */
	struct page *buddy = order < MAX_ORDER - 1 ? pfn_to_page_in_block(m, b) : pfn_to_page(m, b);
	return page_is_buddy(buddy, order, zone_idx) ? buddy : NULL;
}

/*
 * If the block we just freed could merge once more after its buddy is
 * freed, put it at the tail so that it stays free longer — the next
 * allocation takes from the head.
 */
static bool buddy_merge_likely(struct machine *m, unsigned long pfn, unsigned long buddy_pfn,
			       unsigned int order, unsigned int zone_idx)
{
	unsigned long higher_pfn, ignored;

	if (order >= MAX_ORDER - 2)
		return false;
	higher_pfn = buddy_pfn & pfn;
	return find_buddy_page(m, higher_pfn, order + 1, zone_idx, &ignored) != NULL;
}

/*
 * bad_range(): the page lies outside the zone's span, or its flags name
 * another zone — what the VM_BUG_ON_PAGE()s below guard against
 * (page_outside_zone_boundaries() || !page_is_consistent()).
 */
static inline bool bad_range(struct machine *m, const struct zone *zone, const struct page *page)
{
	return !zone_spans_pfn(zone, page_to_pfn(m, page)) || page_zonenum(page) != zone->idx;
}

/*
 * Freeing function for a buddy system allocator.
 *
 * The block [pfn, pfn + 2^order) is free. While its buddy at
 * pfn ^ (1 << order) heads a free block of the same order, remove the buddy
 * from its list and continue with the combined block, whose pfn is
 * pfn & buddy_pfn. When no merge is possible, put the block on the list of
 * its final order. Blocks of pageblock size or more do not merge across
 * pageblocks whose migratetypes must stay apart (isolate, CMA, highatomic).
 *
 * Call with zone->lock held.
 */
static void __free_one_page(struct machine *m, struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order, int migratetype,
			    int fpi_flags)
{
	unsigned long buddy_pfn = 0;
	unsigned int zone_idx = zone->idx;
	struct page *buddy;
	bool to_tail;

	VM_BUG_ON(m, migratetype == -1);
	/* Free pages of isolated pageblocks are not free to anyone: not counted. */
	if (likely(migratetype != MIGRATE_ISOLATE))
		__mod_zone_freepage_state(zone, 1L << order, migratetype);
	VM_BUG_ON_PAGE(m, pfn & ((1UL << order) - 1), page);
	VM_BUG_ON_PAGE(m, bad_range(m, zone, page), page);
	while (order < MAX_ORDER - 1) {
		buddy = find_buddy_page(m, pfn, order, zone_idx, &buddy_pfn);
		if (!buddy)
			break;
		if (unlikely(order >= m->pageblock_order)) {
			int buddy_mt = get_pageblock_migratetype(m, buddy_pfn);
			if (migratetype != buddy_mt &&
			    (!migratetype_is_mergeable(migratetype) ||
			     !migratetype_is_mergeable(buddy_mt)))
				break;
		}
		del_page_from_free_list(buddy, zone, order);
		unsigned long combined_pfn = buddy_pfn & pfn;
		page += (long)combined_pfn - (long)pfn;
		pfn = combined_pfn;
		order++;
	}
	set_buddy_order(page, order);
	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = buddy_merge_likely(m, pfn, buddy_pfn, order, zone_idx);
	if (to_tail)
		add_to_free_list_tail(page, zone, order, migratetype);
	else
		add_to_free_list(page, zone, order, migratetype);
}

/*
 * The order of subdivision here is critical: we keep the low half and put
 * the high halves on the free lists, largest first, so that the block
 * handed out is the lowest-addressed piece of what was split.
 *
 * Call with zone->lock held.
 */
static inline void expand(struct zone *zone, struct page *page, unsigned int low,
			  unsigned int high, int migratetype)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		/* 6.1's bad_range(); without the machine here, its zone half. */
		VM_BUG_ON_PAGE(NULL, page_zonenum(&page[size]) != zone->idx, &page[size]);
		add_to_free_list(&page[size], zone, high, migratetype);
		set_buddy_order(&page[size], high);
	}
}

/* Take the smallest free block of this migratetype that fits. */
static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype)
{
	for (unsigned int current_order = order; current_order < MAX_ORDER; current_order++) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page = get_page_from_free_area(area, migratetype);
		if (!page)
			continue;
		del_page_from_free_list(page, zone, current_order);
		expand(zone, page, order, current_order, migratetype);
		page->private = (unsigned long)migratetype;	/* set_pcppage_migratetype */
		return page;
	}
	return NULL;
}

/*
 * Stealing a whole pageblock pays off when the request is large or will
 * pin the block anyway (unmovable/reclaimable allocations).
 */
static bool can_steal_fallback(const struct machine *m, unsigned int order, int start_mt)
{
	if (order >= m->pageblock_order)
		return true;
	return order >= m->pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE;
}

static int find_suitable_fallback(const struct machine *m, struct free_area *area,
				  unsigned int order, int migratetype, bool *can_steal)
{
	if (!area->nr_free)
		return -1;
	*can_steal = false;
	for (int i = 0;; i++) {
		int fallback_mt = fallbacks[migratetype][i];
		if (fallback_mt == MIGRATE_TYPES)
			break;
		if (free_area_empty(area, fallback_mt))
			continue;
		if (can_steal_fallback(m, order, migratetype))
			*can_steal = true;
		return fallback_mt;
	}
	return -1;
}

/*
 * Move the free pages of the pageblock containing pfn onto the new
 * migratetype's lists; returns how many pages were free in it, and in
 * *num_movable (if given) how many in use could be migrated (LRU pages).
 * A pageblock the zone starts inside of is moved from @pfn on; one that
 * runs past the zone's end is not moved at all (6.1's rules).
 * Call with zone->lock held.
 */
int move_freepages_block(struct machine *m, struct zone *zone, unsigned long pfn,
			 int migratetype, int *num_movable)
{
	unsigned long start = ALIGN_DOWN(pfn, m->pageblock_nr_pages);
	unsigned long end = start + m->pageblock_nr_pages;
	int pages_moved = 0;

	if (num_movable)
		*num_movable = 0;
	/* Do not cross zone boundaries. */
	if (!zone_spans_pfn(zone, start))
		start = pfn;
	if (!zone_spans_pfn(zone, end - 1))
		return 0;
	for (unsigned long p = start; p < end;) {
		struct page *page = pfn_to_page(m, p);
		if (!PageBuddy(page)) {
			if (num_movable && PageLRU(page))
				(*num_movable)++;
			p++;
			continue;
		}
		/* Make sure we are not inadvertently changing zones. */
		VM_BUG_ON_PAGE(m, page_zone(m, page) != zone, page);
		unsigned int order = buddy_order(page);
		move_to_free_list(page, zone, order, migratetype);
		p += 1UL << order;
		pages_moved += 1 << order;
	}
	return pages_moved;
}

static void change_pageblock_range(struct machine *m, unsigned long pfn, unsigned int order,
				   int migratetype)
{
	unsigned long nr = 1UL << order;

	for (unsigned long p = pfn; p < pfn + nr; p += m->pageblock_nr_pages)
		set_pageblock_migratetype(m, p, migratetype);
}

/*
 * Take over the block (or its whole pageblock) for start_type. If at least
 * half of the pageblock is free, claim the pageblock for start_type so
 * that later allocations of this type land here instead of fragmenting
 * another block. (move_freepages_block() counts movable in-use pages in the
 * kernel; with no LRU pages yet, only free pages are counted.)
 */
/*
 * boost_watermark(): a fallback fragments the zone, so raise its
 * watermarks by a pageblock (up to watermark_boost_factor of the high
 * watermark): kswapd then reclaims that much more, freeing whole
 * pageblocks before the next fallback. Not in zones too small for it.
 */
static bool boost_watermark(struct machine *m, struct zone *zone)
{
	if (!m->watermark_boost_factor || m->pageblock_nr_pages * 4 > zone->managed_pages)
		return false;
	unsigned long max_boost = (unsigned long)((uint64_t)zone->_watermark[WMARK_HIGH] *
						  (uint64_t)m->watermark_boost_factor / 10000);
	/* Early in boot the high watermark may not be set yet: no boost then. */
	if (!max_boost)
		return false;
	if (max_boost < m->pageblock_nr_pages)
		max_boost = m->pageblock_nr_pages;
	zone->watermark_boost = zone->watermark_boost + m->pageblock_nr_pages < max_boost ?
				zone->watermark_boost + m->pageblock_nr_pages : max_boost;
	zone_update_fast_marks(m);
	return true;
}

static void steal_suitable_fallback(struct machine *m, struct zone *zone, struct page *page,
				    unsigned int alloc_flags, int start_type, bool whole_block)
{
	unsigned long pfn = page_to_pfn(m, page);
	unsigned int current_order = buddy_order(page);
	int old_block_type = get_pageblock_migratetype(m, pfn);

	if (old_block_type == MIGRATE_HIGHATOMIC)
		goto single_page;
	if (current_order >= m->pageblock_order) {
		change_pageblock_range(m, pfn, current_order, start_type);
		goto single_page;
	}
	/* The node may be balanced overall: kswapd would not wake for the boost by itself. */
	if (boost_watermark(m, zone) && (alloc_flags & ALLOC_KSWAPD))
		zone->boosted_watermark = true;
	if (!whole_block)
		goto single_page;
	int free_pages = move_freepages_block(m, zone, pfn, start_type, NULL);
	if (!free_pages)
		goto single_page;
	int alike_pages = 0;
	if (start_type != MIGRATE_MOVABLE && old_block_type == MIGRATE_MOVABLE)
		alike_pages = (int)m->pageblock_nr_pages - free_pages;
	if (free_pages + alike_pages >= (1 << (m->pageblock_order - 1)))
		set_pageblock_migratetype(m, pfn, start_type);
	return;
single_page:
	move_to_free_list(page, zone, current_order, start_type);
}

/*
 * Steal from another migratetype's lists, trying the largest blocks first
 * (a rough proxy for "the pageblock with the most free pages"), except that
 * a movable request that may not claim the block takes the smallest block
 * so it does not break up a large one for nothing.
 */
static bool __rmqueue_fallback(struct machine *m, struct zone *zone, unsigned int order,
			       int start_migratetype, unsigned int alloc_flags)
{
	unsigned int min_order = order;
	struct free_area *area;
	int current_order, fallback_mt;
	bool can_steal;

	if (alloc_flags & ALLOC_NOFRAGMENT)
		min_order = m->pageblock_order;
	for (current_order = MAX_ORDER - 1; current_order >= (int)min_order; --current_order) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(m, area, current_order, start_migratetype,
						     &can_steal);
		if (fallback_mt == -1)
			continue;
		if (!can_steal && start_migratetype == MIGRATE_MOVABLE &&
		    current_order > (int)order)
			goto find_smallest;
		goto do_steal;
	}
	return false;

find_smallest:
	for (current_order = order; current_order < MAX_ORDER; current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(m, area, current_order, start_migratetype,
						     &can_steal);
		if (fallback_mt != -1)
			break;
	}
	if (current_order == MAX_ORDER)
		return false;
do_steal:;
	struct page *page = get_page_from_free_area(area, fallback_mt);
	steal_suitable_fallback(m, zone, page, alloc_flags, start_migratetype, can_steal);
	return true;
}

/* __rmqueue_cma_fallback(): a block from the MIGRATE_CMA lists, which no fallback steals. */
static struct page *__rmqueue_cma_fallback(struct zone *zone, unsigned int order)
{
	return __rmqueue_smallest(zone, order, MIGRATE_CMA);
}

/*
 * Remove a block from the buddy allocator. A request that may use CMA
 * (ALLOC_CMA: a movable one, in a CONFIG_CMA kernel) takes from the CMA
 * lists first while more than half of the zone's free pages are CMA —
 * which keeps movable allocations from draining the ordinary pageblocks
 * that unmovable ones need — and after its own lists otherwise, before
 * it steals from another migratetype. Call with zone->lock held.
 */
static struct page *__rmqueue(struct machine *m, struct zone *zone, unsigned int order,
			      int migratetype, unsigned int alloc_flags)
{
	struct page *page;

	if ((alloc_flags & ALLOC_CMA) &&
	    zone_page_state(zone, NR_FREE_CMA_PAGES) > zone_page_state(zone, NR_FREE_PAGES) / 2) {
		page = __rmqueue_cma_fallback(zone, order);
		if (page)
			return page;
	}
	for (;;) {
		page = __rmqueue_smallest(zone, order, migratetype);
		if (likely(page))
			return page;
		if (alloc_flags & ALLOC_CMA) {
			page = __rmqueue_cma_fallback(zone, order);
			if (page)
				return page;
		}
		if (!__rmqueue_fallback(m, zone, order, migratetype, alloc_flags))
			return NULL;
	}
}

/* ---- per-CPU page lists ------------------------------------------------- */

static inline unsigned int order_to_pindex(int migratetype, unsigned int order)
{
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return NR_LOWORDER_PCP_LISTS;	/* the THP list */
	return MIGRATE_PCPTYPES * order + (unsigned int)migratetype;
}

static inline unsigned int pindex_to_order(const struct machine *m, unsigned int pindex)
{
	if (pindex == NR_LOWORDER_PCP_LISTS)
		return m->pageblock_order;
	return pindex / MIGRATE_PCPTYPES;
}

void pcp_for_each_block(struct machine *m, void (*fn)(unsigned long pfn, unsigned int order, void *arg),
			void *arg)
{
	for (unsigned int z = 0; z < __MAX_NR_ZONES; z++) {
		struct zone *zone = &m->node.node_zones[z];
		/* An empty zone's pagesets are never set up: their lists are not lists. */
		if (!zone->per_cpu_pageset || !zone->present_pages)
			continue;
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
			struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
			for (unsigned int i = 0; i < NR_PCP_LISTS; i++) {
				struct list_head *pos;
				list_for_each(pos, &pcp->lists[i]) {
					struct page *page = list_entry(pos, struct page, pcp_list);
					fn(page_to_pfn(m, page), pindex_to_order(m, i), arg);
				}
			}
		}
	}
}

static inline bool pcp_allowed_order(const struct machine *m, unsigned int order)
{
	if (!m->profile->pcp_high_orders)
		return order == 0;
	if (order <= PAGE_ALLOC_COSTLY_ORDER)
		return true;
	return m->profile->thp && order == m->pageblock_order;
}

/*
 * Take up to count blocks of this order for a pcp list; returns how many.
 * Call with zone->lock held.
 */
static int rmqueue_bulk(struct machine *m, struct zone *zone, unsigned int order,
			int count, struct list_head *list, int migratetype,
			unsigned int alloc_flags)
{
	int i;

	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(m, zone, order, migratetype, alloc_flags);
		if (unlikely(!page))
			break;
		list_add_tail(&page->pcp_list, list);
		/* A CMA block keeps its migratetype in private: it is counted back as CMA. */
		if (page->private == MIGRATE_CMA)
			zone->vm_stat[NR_FREE_CMA_PAGES] -= 1L << order;
	}
	zone->vm_stat[NR_FREE_PAGES] -= (long)i << order;
	return i;
}

/*
 * Return count pages from the pcp lists to the buddy allocator, visiting
 * the lists round-robin starting with pindex (the list that overflowed),
 * taking from each list's cold tail.
 */
static void free_pcppages_bulk(struct machine *m, struct zone *zone, int count,
			       struct per_cpu_pages *pcp, int pindex)
{
	int min_pindex = 0, max_pindex = NR_PCP_LISTS - 1;
	/* A pageblock may have been isolated while its pages sat here. */
	bool isolated_pageblocks = has_isolate_pageblock(zone);

	if (count > pcp->count)
		count = pcp->count;
	pindex = pindex - 1;
	/* zone->lock */
	while (count > 0) {
		struct list_head *list;
		do {
			if (++pindex > max_pindex)
				pindex = min_pindex;
			list = &pcp->lists[pindex];
			if (!list_empty(list))
				break;
			if (pindex == max_pindex)
				max_pindex--;
			if (pindex == min_pindex)
				min_pindex++;
		} while (1);
		unsigned int order = pindex_to_order(m, (unsigned int)pindex);
		int nr_pages = 1 << order;
		do {
			struct page *page = list_last_entry(list, struct page, pcp_list);
			int mt = (int)page->private;
			if (unlikely(isolated_pageblocks))
				mt = get_pageblock_migratetype(m, page_to_pfn(m, page));
			list_del(&page->pcp_list);
			count -= nr_pages;
			pcp->count -= nr_pages;
			__free_one_page(m, page, page_to_pfn(m, page), zone, order, mt, FPI_NONE);
		} while (count > 0 && !list_empty(list));
	}
}

/* How many pages to return when pcp->count reaches high. */
static int nr_pcp_free(struct per_cpu_pages *pcp, int high, int batch, bool free_high)
{
	if (unlikely(free_high))
		return pcp->count;
	if (unlikely(high < batch))
		return 1;
	int min_nr_free = batch, max_nr_free = high - batch;
	/* Free twice as many each time frees keep coming without allocations. */
	batch <<= pcp->free_factor;
	if (batch < max_nr_free)
		pcp->free_factor++;
	return clamp_t(int, batch, min_nr_free, max_nr_free);
}

static void free_unref_page_commit(struct machine *m, struct zone *zone,
				   struct per_cpu_pages *pcp, struct page *page,
				   int migratetype, unsigned int order)
{
	unsigned int pindex = order_to_pindex(migratetype, order);

	list_add(&page->pcp_list, &pcp->lists[pindex]);
	pcp->count += 1 << order;
	if (!m->profile->pcp_high_from_low_wmark) {
		/* 2.6: drain one batch when the list reaches high. */
		if (pcp->count >= pcp->high)
			free_pcppages_bulk(m, zone, pcp->batch, pcp, (int)pindex);
		return;
	}
	/*
	 * High-order pages on pcp lists fragment memory, so when frees keep
	 * coming without allocations, drain everything.
	 */
	bool free_high = pcp->free_factor && order && order <= PAGE_ALLOC_COSTLY_ORDER;
	int high = free_high ? 0 : pcp->high;
	if (pcp->count >= high)
		free_pcppages_bulk(m, zone, nr_pcp_free(pcp, high, pcp->batch, free_high),
				   pcp, (int)pindex);
}

/*
 * The rest of free_unref_page_commit() for an order-0 page already on the
 * list: the drain that a full list (or 2.6's rule) asks for.
 */
static __attribute__((noinline)) void free_unref_page_commit_drain(struct machine *m,
								 struct zone *zone,
								 struct per_cpu_pages *pcp, int pindex)
{
	if (!m->profile->pcp_high_from_low_wmark) {
		if (pcp->count >= pcp->high)
			free_pcppages_bulk(m, zone, pcp->batch, pcp, pindex);
		return;
	}
	free_pcppages_bulk(m, zone, nr_pcp_free(pcp, pcp->high, pcp->batch, false), pcp, pindex);
}

static struct page *rmqueue_pcplist(struct machine *m, struct zone *zone, unsigned int order,
				    int migratetype, unsigned int alloc_flags)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[m->cur_cpu];
	struct list_head *list = &pcp->lists[order_to_pindex(migratetype, order)];

	pcp->free_factor >>= 1;
	if (list_empty(list)) {
		int batch = pcp->batch;
		/* Fewer high-order pages per refill; batch 1 means "don't cache". */
		if (batch > 1 && order)
			batch = max_t(int, batch >> order, 2);
		int alloced = rmqueue_bulk(m, zone, order, batch, list, migratetype, alloc_flags);
		pcp->count += alloced << order;
		if (unlikely(list_empty(list)))
			return NULL;
	}
	struct page *page = list_first_entry(list, struct page, pcp_list);
	list_del(&page->pcp_list);
	pcp->count -= 1 << order;
	return page;
}

static struct page *rmqueue(struct machine *m, struct zone *zone, unsigned int order,
			    int migratetype, unsigned int alloc_flags)
{
	struct page *page = NULL;

	if (likely(pcp_allowed_order(m, order))) {
		/*
		 * The movable pcp lists may hold pages of CMA pageblocks: a
		 * movable request that may not use CMA goes past them.
		 */
		if (!m->config.cma || (alloc_flags & ALLOC_CMA) || migratetype != MIGRATE_MOVABLE) {
			page = rmqueue_pcplist(m, zone, order, migratetype, alloc_flags);
			if (likely(page))
				goto out;
		}
	}
	/* zone->lock */
	if (order > 0 && (alloc_flags & ALLOC_HARDER))
		page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	if (!page) {
		page = __rmqueue(m, zone, order, migratetype, alloc_flags);
		if (!page)
			return NULL;
	}
	__mod_zone_freepage_state(zone, -(1L << order), (int)page->private);
out:
	if (unlikely(zone->boosted_watermark)) {
		zone->boosted_watermark = false;
		wakeup_kswapd(m, zone, 0, 0, zone->idx);
	}
	m->events.pgalloc[zone->idx] += 1UL << order;
	m->events.numa_hit++;	/* zone_statistics(): one node, always the preferred one */
	zone->numa_hit++;
	VM_BUG_ON_PAGE(m, bad_range(m, zone, page), page);
	return page;
}

/* ---- watermarks ---------------------------------------------------------- */

unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item item)
{
	long x = zone->vm_stat[item];

	return x < 0 ? 0 : (unsigned long)x;
}

unsigned long global_zone_page_state(struct machine *m, enum zone_stat_item item)
{
	unsigned long sum = 0;

	for_each_zone_idx(m, zone)
		sum += zone_page_state(zone, item);
	return sum;
}

/* Free pages that this request may not use. */
static long zone_watermark_unusable_free(const struct zone *z, unsigned int order,
					 unsigned int alloc_flags)
{
	long unusable = (1L << order) - 1;

	if (likely(!(alloc_flags & (ALLOC_HARDER | ALLOC_OOM))))
		unusable += (long)z->nr_reserved_highatomic;
	/* A request that may not use CMA pageblocks may not count their free pages. */
	if (!(alloc_flags & ALLOC_CMA))
		unusable += (long)zone_page_state(z, NR_FREE_CMA_PAGES);
	return unusable;
}

/*
 * Return true if free base pages are above 'mark'. For high-order checks it
 * will return true if the order-0 watermark is reached and there is at least
 * one free block of a suitable size — a high-order request is satisfied by
 * splitting, so free pages in smaller blocks do not count for it.
 */
static bool __zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
				int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;
	const bool alloc_harder = alloc_flags & (ALLOC_HARDER | ALLOC_OOM);

	free_pages -= zone_watermark_unusable_free(z, order, alloc_flags);
	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (unlikely(alloc_harder)) {
		/* OOM victims dig deeper than atomic allocations. */
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
		else
			min -= min / 4;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o < MAX_ORDER; o++) {
		const struct free_area *area = &z->free_area[o];
		if (!area->nr_free)
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!free_area_empty(area, mt))
				return true;
		if ((alloc_flags & ALLOC_CMA) && !free_area_empty(area, MIGRATE_CMA))
			return true;
		if (alloc_harder && !free_area_empty(area, MIGRATE_HIGHATOMIC))
			return true;
	}
	return false;
}

static inline bool zone_watermark_fast(const struct zone *z, unsigned int order,
				       unsigned long mark, int highest_zoneidx,
				       unsigned int alloc_flags)
{
	long free_pages = z->vm_stat[NR_FREE_PAGES];

	/* Fast check for order-0 only; reserves are computed only if it fails. */
	if (!order) {
		long reserved = zone_watermark_unusable_free(z, 0, alloc_flags);
		long usable_free = free_pages - (reserved < free_pages ? reserved : free_pages);
		if (usable_free > (long)mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages);
}

/* ---- allocation ---------------------------------------------------------- */

static void prep_new_page(struct machine *m, struct page *page, unsigned int order, gfp_t gfp)
{
	page->private = 0;
	set_page_count(page, 1);
	page->alloc_order = (signed char)order;
	/* Every page of the block: a huge page split later keeps what it was asked as. */
	for (unsigned long i = 0; i < (1UL << order); i++)
		page[i].alloc_migratetype = (unsigned char)gfp_migratetype(gfp);
	if (order && (gfp & __GFP_COMP)) {
		/* prep_compound_page(): the tails point back at the head. */
		page->flags |= 1UL << PG_head;
		for (unsigned int i = 1; i < (1U << order); i++)
			page[i].compound_head_off = i;
	}
	if (gfp & __GFP_ZERO)
		memset(page_host_address(m, page), 0, PAGE_SIZE << order);
	page_zone(m, page)->vm_stat[NR_ZONE_ALLOC_PAGES] += 1L << order;
}

/*
 * Walk the zonelist from the first zone the request may use, and take the
 * first zone whose watermark allows it.
 */
static struct page *get_page_from_freelist(struct machine *m, gfp_t gfp, unsigned int order,
					   unsigned int alloc_flags, int highest_zoneidx,
					   int migratetype)
{
	const struct zoneref *first = m->node.node_zonelist._zonerefs;

	while (first->zone && first->zone_idx > highest_zoneidx)
		first++;
retry:;
	bool no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
	for (const struct zoneref *z = first; z->zone; z++) {
		struct zone *zone = z->zone;
		unsigned long mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
		if (!(alloc_flags & ALLOC_NO_WATERMARKS) &&
		    !zone_watermark_fast(zone, order, mark, highest_zoneidx, alloc_flags))
			continue;
		struct page *page = rmqueue(m, zone, order, migratetype, alloc_flags);
		if (page) {
			prep_new_page(m, page, order, gfp);
			return page;
		}
	}
	/* On one node, every zone may be fragmented: try again, allowing it. */
	if (no_fallback) {
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

/*
 * gfp_to_alloc_flags_cma(): in a CONFIG_CMA kernel, movable requests may
 * take pages of CMA pageblocks (ALLOC_CMA) — they can be migrated away
 * when cma_alloc() wants the range.
 */
static inline unsigned int gfp_to_alloc_flags_cma(const struct machine *m, gfp_t gfp,
						  unsigned int alloc_flags)
{
	if (m->config.cma && gfp_migratetype(gfp) == MIGRATE_MOVABLE)
		alloc_flags |= ALLOC_CMA;
	return alloc_flags;
}

static unsigned int gfp_to_alloc_flags(const struct machine *m, gfp_t gfp)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	/* __GFP_HIGH == ALLOC_HIGH and __GFP_KSWAPD_RECLAIM == ALLOC_KSWAPD. */
	alloc_flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	if (gfp & __GFP_ATOMIC) {
		if (!(gfp & __GFP_NOMEMALLOC))
			alloc_flags |= ALLOC_HARDER;
		alloc_flags &= ~ALLOC_CPUSET;
	}
	return gfp_to_alloc_flags_cma(m, gfp, alloc_flags);
}

/*
 * warn_alloc(): "comm: <what>, mode:0x...(GFP_...), nodemask=(null),..."
 * and the state of memory (show_mem, for the zones the request could
 * use), shared by the page allocator and vmalloc under one rate limit
 * (nopage_rs). The kernel prints a stack dump between the two, which has
 * no meaning here.
 */
void warn_alloc(struct machine *m, gfp_t gfp, const char *fmt, ...)
{
	char msg[256], mode[256];
	va_list ap;

	if ((gfp & __GFP_NOWARN) || !__ratelimit(m, &m->nopage_rs, "warn_alloc"))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(m, KERN_WARNING "%s: %s, mode:0x%x(%s), nodemask=(null),cpuset=/,mems_allowed=0\n", m->comm,
	       msg, gfp, gfp_string(gfp, mode, sizeof(mode)));
	/* warn_alloc_show_mem() */
	__show_mem(m, SHOW_MEM_FILTER_NODES, gfp_zone(m, gfp));
}

/*
 * __alloc_pages_may_oom(): reclaim has given up; decide whether killing a
 * process could help, and if so let the OOM killer choose one. One more
 * try at the high watermark first, which only succeeds if another
 * victim's memory has come back meanwhile. No OOM kill for a costly
 * order (killing does not make high-order blocks), for a caller with a
 * fallback (__GFP_RETRY_MAYFAIL) or tied to one node (__GFP_THISNODE),
 * or for lowmem-only requests (below ZONE_NORMAL: DMA, DMA32), where a
 * kill would rarely free the right pages. *did_some_progress says the
 * caller should retry; a __GFP_NOFAIL request that got nothing else may
 * then dip into every reserve.
 */
static struct page *__alloc_pages_may_oom(struct machine *m, gfp_t gfp, unsigned int order,
					  int highest_zoneidx, int migratetype,
					  unsigned long *did_some_progress)
{
	struct oom_control oc = { .gfp_mask = gfp, .order = (int)order };
	struct page *page;

	*did_some_progress = 0;
	page = get_page_from_freelist(m, (gfp | __GFP_HARDWALL) & ~__GFP_DIRECT_RECLAIM, order,
				      ALLOC_WMARK_HIGH | ALLOC_CPUSET, highest_zoneidx, migratetype);
	if (page)
		return page;
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return NULL;
	if (gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE))
		return NULL;
	if (highest_zoneidx < ZONE_NORMAL)
		return NULL;
	/* Exhausted what can be done, so it is blame time. */
	if (out_of_memory(m, &oc) || (gfp & __GFP_NOFAIL)) {
		*did_some_progress = 1;
		if (gfp & __GFP_NOFAIL)
			page = get_page_from_freelist(m, gfp, order, ALLOC_NO_WATERMARKS,
						      highest_zoneidx, migratetype);
	}
	return page;
}

bool zone_watermark_ok_safe(const struct zone *z, unsigned int order, unsigned long mark,
			    int highest_zoneidx)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, 0, z->vm_stat[NR_FREE_PAGES]);
}

/* ---- compaction's side of the allocator ---------------------------------------- */

bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   z->vm_stat[NR_FREE_PAGES]);
}

bool zone_watermark_ok_free(const struct zone *z, unsigned int order, unsigned long mark,
			    int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages);
}

int compaction_find_fallback(const struct machine *m, struct free_area *area, unsigned int order,
			     int migratetype, bool *can_steal)
{
	return find_suitable_fallback(m, area, order, migratetype, can_steal);
}

unsigned long __isolate_free_page(struct machine *m, struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(m, page);
	unsigned long pfn = page_to_pfn(m, page);
	int mt = get_pageblock_migratetype(m, pfn);

	if (mt != MIGRATE_ISOLATE) {
		/* Compaction must not take the last pages the min watermark keeps. */
		unsigned long watermark = zone->_watermark[WMARK_MIN] + (1UL << order);
		if (!zone_watermark_ok(zone, 0, watermark, 0, ALLOC_CMA))
			return 0;
		__mod_zone_freepage_state(zone, -(1L << order), mt);
	}
	del_page_from_free_list(page, zone, order);
	/* A block at least half a pageblock big makes its pageblocks movable ones. */
	if (order >= m->pageblock_order - 1) {
		for (unsigned long p = pfn; p < pfn + (1UL << order); p += m->pageblock_nr_pages) {
			int bmt = get_pageblock_migratetype(m, p);
			if (migratetype_is_mergeable(bmt))
				set_pageblock_migratetype(m, p, MIGRATE_MOVABLE);
		}
	}
	return 1UL << order;
}

void post_alloc_hook(struct machine *m, struct page *page, unsigned int order, gfp_t gfp)
{
	prep_new_page(m, page, order, gfp);
}

void split_page(struct machine *m, struct page *page, unsigned int order)
{
	(void)m;
	for (unsigned int i = 1; i < (1U << order); i++) {
		set_page_count(page + i, 1);
		page[i].alloc_order = 0;	/* split_page_owner() */
	}
	page->alloc_order = 0;
}


/* wake_all_kswapds(): one node, one kswapd, woken for the first zone the request may use. */
static void wake_all_kswapds(struct machine *m, gfp_t gfp, unsigned int order, int highest_zoneidx)
{
	for (const struct zoneref *z = m->node.node_zonelist._zonerefs; z->zone; z++) {
		if (z->zone_idx > highest_zoneidx || !managed_zone(z->zone))
			continue;
		wakeup_kswapd(m, z->zone, gfp, (int)order, highest_zoneidx);
		return;
	}
}

/*
 * __alloc_pages_direct_reclaim(): reclaim, then try again — once more
 * after draining the per-CPU lists if that is not enough. *@progress is
 * what reclaim freed.
 */
static struct page *alloc_pages_direct_reclaim(struct machine *m, gfp_t gfp, unsigned int order,
						unsigned int alloc_flags, int highest_zoneidx,
						int migratetype, unsigned long *progress)
{
	*progress = try_to_free_pages(m, order, gfp);
	if (!*progress)
		return NULL;
	struct page *page = get_page_from_freelist(m, gfp, order, alloc_flags, highest_zoneidx,
						   migratetype);
	if (!page) {
		drain_all_pages(m);
		page = get_page_from_freelist(m, gfp, order, alloc_flags, highest_zoneidx, migratetype);
	}
	return page;
}

/*
 * should_reclaim_retry(): go on reclaiming while some zone could pass its
 * min watermark if everything reclaimable in it were freed — at most
 * MAX_RECLAIM_RETRIES times in a row without progress (costly orders
 * never count as progress).
 */
/*
 * __alloc_pages_direct_compact(): compact, then try the free lists again.
 * The compacting task runs as reclaim does (PF_MEMALLOC), so that nothing
 * it allocates on the way recurses into reclaim or compaction.
 */
static struct page *alloc_pages_direct_compact(struct machine *m, gfp_t gfp, unsigned int order,
					       unsigned int alloc_flags, int highest_zoneidx,
					       int migratetype, enum compact_priority prio,
					       enum compact_result *compact_result)
{
	struct task_struct *t = get_current(m);

	if (!order)
		return NULL;
	unsigned long saved = t->flags & PF_MEMALLOC;
	t->flags |= PF_MEMALLOC;
	*compact_result = try_to_compact_pages(m, gfp, order, alloc_flags, highest_zoneidx, prio);
	t->flags = (t->flags & ~(unsigned long)PF_MEMALLOC) | saved;
	if (*compact_result == COMPACT_SKIPPED)
		return NULL;
	count_vm_event(m, COMPACTSTALL);
	struct page *page = get_page_from_freelist(m, gfp, order, alloc_flags, highest_zoneidx,
						   migratetype);
	if (page) {
		struct zone *zone = page_zone(m, page);
		zone->compact_blockskip_flush = false;
		compaction_defer_reset(zone, (int)order, true);
		count_vm_event(m, COMPACTSUCCESS);
		return page;
	}
	count_vm_event(m, COMPACTFAIL);
	return NULL;
}

/*
 * should_compact_retry(): another round of reclaim and compaction for a
 * high-order request? Yes while compaction makes progress (up to
 * MAX_COMPACT_RETRIES successes that the allocation still lost, a quarter
 * of that for costly orders), when reclaim could make a zone suitable,
 * and once more at each harder priority before giving up.
 */
#define MAX_COMPACT_RETRIES	16
static bool should_compact_retry(struct machine *m, unsigned int order, unsigned int alloc_flags,
				 int highest_zoneidx, enum compact_result compact_result,
				 enum compact_priority *compact_priority, int *compaction_retries)
{
	int max_retries = MAX_COMPACT_RETRIES;

	if (!order)
		return false;
	if (compaction_made_progress(compact_result))
		(*compaction_retries)++;
	if (compaction_failed(compact_result) || compaction_withdrawn(compact_result))
		goto check_priority;
	if (compaction_needs_reclaim(compact_result))
		return compaction_zonelist_suitable(m, order, alloc_flags, highest_zoneidx);
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		max_retries /= 4;
	if (*compaction_retries <= max_retries)
		return true;
check_priority:;
	enum compact_priority min_priority = order > PAGE_ALLOC_COSTLY_ORDER ?
		MIN_COMPACT_COSTLY_PRIORITY : MIN_COMPACT_PRIORITY;
	if (*compact_priority > min_priority) {
		(*compact_priority)--;
		*compaction_retries = 0;
		return true;
	}
	return false;
}

static bool should_reclaim_retry(struct machine *m, unsigned int order, unsigned int alloc_flags,
				 int highest_zoneidx, bool did_some_progress, int *no_progress_loops)
{
	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		return false;
	for (const struct zoneref *z = m->node.node_zonelist._zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		if (z->zone_idx > highest_zoneidx)
			continue;
		long available = (long)zone_reclaimable_pages(m, zone) + zone->vm_stat[NR_FREE_PAGES];
		if (__zone_watermark_ok(zone, order, min_wmark_pages(zone), highest_zoneidx, alloc_flags,
					available))
			return true;
	}
	return false;
}

/*
 * The slow path: the first pass (low watermark) failed. Wake kswapd, retry
 * at the min watermark with the caller's rights to dig into reserves
 * (__GFP_HIGH, atomic; reclaim's PF_MEMALLOC, an OOM victim's ALLOC_OOM),
 * then — if the caller may sleep — reclaim directly and retry while reclaim
 * makes progress; when it can make none, the OOM killer, and again as long
 * as that makes progress. Compaction (later) would go beside reclaim.
 *
 * The kernel retries as long as the OOM killer says it made progress,
 * counting on other tasks (kswapd, exiting processes) meanwhile; here
 * nothing else runs during an allocation, so a round that killed nothing
 * and freed nothing would repeat itself for ever: that ends the retries.
 */
static struct page *__alloc_pages_slowpath(struct machine *m, gfp_t gfp, unsigned int order,
					   int highest_zoneidx, int migratetype)
{
	const bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	unsigned int alloc_flags = gfp_to_alloc_flags(m, gfp);
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	struct task_struct *t = get_current(m);
	int no_progress_loops = 0, compaction_retries = 0;
	enum compact_priority compact_priority = DEF_COMPACT_PRIORITY;
	enum compact_result compact_result = COMPACT_SKIPPED;
	unsigned long progress = 0, did_some_progress;
	struct page *page;

	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(m, gfp, order, highest_zoneidx);
	page = get_page_from_freelist(m, gfp, order, alloc_flags, highest_zoneidx, migratetype);
	if (page)
		return page;
	/*
	 * A costly request, or a high-order one that is not movable, compacts
	 * first: there are likely enough free pages, only not together; and
	 * compaction from blocks of its own type keeps fragmentation down.
	 */
	if (can_direct_reclaim && !(t->flags & PF_MEMALLOC) &&
	    (costly_order || (order > 0 && migratetype != MIGRATE_MOVABLE))) {
		page = alloc_pages_direct_compact(m, gfp, order, alloc_flags, highest_zoneidx,
						  migratetype, INIT_COMPACT_PRIORITY, &compact_result);
		if (page)
			return page;
		if (costly_order && (gfp & __GFP_NORETRY)) {
			/* Whole pageblocks, and compaction could not even start: reclaim would not help. */
			if (compact_result == COMPACT_SKIPPED || compact_result == COMPACT_DEFERRED)
				goto nopage;
			compact_priority = INIT_COMPACT_PRIORITY;	/* keep to async compaction */
		}
	}
retry:
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(m, gfp, order, highest_zoneidx);
	/*
	 * __gfp_pfmemalloc_flags(): reclaim itself (PF_MEMALLOC) may take the
	 * last pages; an OOM victim part of the reserves, so that it can exit.
	 */
	if (!(gfp & __GFP_NOMEMALLOC)) {
		unsigned int reserve_flags = 0;
		if (t->flags & PF_MEMALLOC)
			reserve_flags = ALLOC_NO_WATERMARKS;
		else if (oom_reserves_allowed(t))
			reserve_flags = ALLOC_OOM;
		/* The reserves replace the watermark, not the right to CMA or to wake kswapd. */
		if (reserve_flags)
			alloc_flags = gfp_to_alloc_flags_cma(m, gfp, reserve_flags) |
				      (alloc_flags & ALLOC_KSWAPD);
	}
	page = get_page_from_freelist(m, gfp, order, alloc_flags, highest_zoneidx, migratetype);
	if (page)
		return page;
	/* A caller that may not sleep cannot wait for anything to be freed; nor may reclaim recurse. */
	if (!can_direct_reclaim || (t->flags & PF_MEMALLOC))
		goto nopage;
	page = alloc_pages_direct_reclaim(m, gfp, order, alloc_flags, highest_zoneidx, migratetype,
					  &progress);
	if (page)
		return page;
	page = alloc_pages_direct_compact(m, gfp, order, alloc_flags, highest_zoneidx, migratetype,
					  compact_priority, &compact_result);
	if (page)
		return page;
	if (gfp & __GFP_NORETRY)
		goto nopage;
	if (costly_order && !(gfp & __GFP_RETRY_MAYFAIL))
		goto nopage;
	if (should_reclaim_retry(m, order, alloc_flags, highest_zoneidx, progress > 0,
				 &no_progress_loops))
		goto retry;
	/* Compaction needs free pages to work with: retrying it is pointless if reclaim freed none. */
	if (progress > 0 && should_compact_retry(m, order, alloc_flags, highest_zoneidx,
						 compact_result, &compact_priority,
						 &compaction_retries))
		goto retry;
	/* Reclaim has failed us, start killing things. */
	unsigned long kills = m->events.event[OOM_KILL], free = global_zone_page_state(m, NR_FREE_PAGES);
	page = __alloc_pages_may_oom(m, gfp, order, highest_zoneidx, migratetype, &did_some_progress);
	if (page)
		return page;
	/* An OOM victim that has had the reserves and still failed must not loop. */
	if (tsk_is_oom_victim(t) && ((alloc_flags & ALLOC_OOM) || (gfp & __GFP_NOMEMALLOC)))
		goto nopage;
	if (did_some_progress && !m->panicked &&
	    (m->events.event[OOM_KILL] != kills || global_zone_page_state(m, NR_FREE_PAGES) > free ||
	     (oom_reserves_allowed(t) && alloc_flags != ALLOC_OOM))) {
		no_progress_loops = 0;
		goto retry;
	}
nopage:
	if ((gfp & __GFP_NOFAIL) && can_direct_reclaim) {
		/* The kernel would loop forever; give __GFP_NOFAIL the harder reserves once. */
		page = get_page_from_freelist(m, gfp, order, alloc_flags | ALLOC_HARDER,
					      highest_zoneidx, migratetype);
		if (page)
			return page;
	}
	m->events.alloc_fail++;
	warn_alloc(m, gfp, "page allocation failure: order:%u", order);
	return NULL;
}

/* The full allocator: every case the fast path below does not take. */
static __attribute__((noinline)) struct page *__alloc_pages(struct machine *m, gfp_t gfp,
							    unsigned int order)
{
	if (unlikely(order >= MAX_ORDER)) {
		if (!(gfp & __GFP_NOWARN) && !m->warned_max_order) {
			m->warned_max_order = true;
			__warn(m, "mm/page_alloc.c", "__alloc_pages", NULL);
		}
		return NULL;
	}
	int highest_zoneidx = gfp_zone(m, gfp);
	if (unlikely(highest_zoneidx < 0)) {
		__warn(m, "include/linux/gfp.h", "gfp_zone", NULL);
		return NULL;
	}
	int migratetype = gfp_migratetype(gfp);
	unsigned int alloc_flags = ALLOC_WMARK_LOW;

	/*
	 * With DMA32 configured, a Normal-first request first avoids falling
	 * back into other migratetypes' pageblocks (alloc_flags_nofragment).
	 */
	alloc_flags |= gfp & __GFP_KSWAPD_RECLAIM;
	if (m->node.node_zones[ZONE_DMA32].configured && highest_zoneidx >= ZONE_NORMAL)
		alloc_flags |= ALLOC_NOFRAGMENT;
	alloc_flags = gfp_to_alloc_flags_cma(m, gfp, alloc_flags);
	struct page *page = get_page_from_freelist(m, gfp, order, alloc_flags,
						   highest_zoneidx, migratetype);
	if (unlikely(!page))
		page = __alloc_pages_slowpath(m, gfp, order, highest_zoneidx, migratetype);
	return page;
}

/*
 * The fast path: an order-0 request whose first zone passes the low
 * watermark is served from the head of this CPU's pcp list — the same
 * page get_page_from_freelist() -> rmqueue_pcplist() would return. Empty
 * lists, higher orders, other zones and failures take the full path.
 */
static inline __attribute__((always_inline)) struct page *alloc_pages_body(struct machine *m,
									   gfp_t gfp,
									   unsigned int order)
{
	int hz = m->gfp_zone_table[gfp & GFP_ZONEMASK];

	if (likely(order == 0 && hz >= 0)) {
		struct zone *zone = m->zonelist_first[hz];
		/* Free CMA pages count only for a request that may use them (movable). */
		long usable = zone ? zone->vm_stat[NR_FREE_PAGES] : 0;
		if (zone && gfp_migratetype(gfp) != MIGRATE_MOVABLE)
			usable -= zone->vm_stat[NR_FREE_CMA_PAGES];
		if (likely(zone && usable > zone->fast_mark[hz])) {
			struct per_cpu_pages *pcp = &zone->per_cpu_pageset[m->cur_cpu];
			struct list_head *list = &pcp->lists[gfp_migratetype(gfp)];
			if (likely(!list_empty(list))) {
				struct page *page = list_first_entry(list, struct page, pcp_list);
				list_del(&page->pcp_list);
				pcp->count--;
				pcp->free_factor >>= 1;
				m->events.pgalloc[zone->idx]++;
				m->events.numa_hit++;
				zone->numa_hit++;
				page->private = 0;
				page->_refcount = 1;
				page->alloc_order = 0;
				page->alloc_migratetype = (unsigned char)gfp_migratetype(gfp);
				zone->vm_stat[NR_ZONE_ALLOC_PAGES]++;
				if (gfp & __GFP_ZERO)
					memset(page_host_address(m, page), 0, PAGE_SIZE);
				return page;
			}
		}
	}
	return __alloc_pages(m, gfp, order);
}

/*
 * With a tracer, kmem:mm_page_alloc follows the allocation (a failure is
 * traced too, with pfn -1, as the kernel's out: label does). The test is
 * the untraced path's only cost: the traced one is a tail call.
 */
static __attribute__((noinline, cold)) struct page *alloc_pages_traced(struct machine *m, gfp_t gfp,
									unsigned int order)
{
	struct page *page = alloc_pages_body(m, gfp, order);

	__trace_mm_page_alloc(m, page ? page_to_pfn(m, page) : ~0UL, order, gfp, gfp_migratetype(gfp));
	return page;
}

struct page *alloc_pages(struct machine *m, gfp_t gfp, unsigned int order)
{
	if (unlikely(m->tracer))
		return alloc_pages_traced(m, gfp, order);
	return alloc_pages_body(m, gfp, order);
}

kaddr_t __get_free_pages(struct machine *m, gfp_t gfp, unsigned int order)
{
	/* Only lowmem has a permanent kernel address. */
	struct page *page = alloc_pages(m, gfp & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)lowmem_page_address(m, page) : 0;
}

kaddr_t get_zeroed_page(struct machine *m, gfp_t gfp)
{
	return __get_free_pages(m, gfp | __GFP_ZERO, 0);
}

/* ---- freeing ------------------------------------------------------------- */

static const char *page_bad_reason(const struct page *page, unsigned long flags)
{
	const char *bad_reason = NULL;

	if (unlikely(page->_mapcount != -1))
		bad_reason = "nonzero mapcount";
	if (unlikely(page->mapping != NULL))
		bad_reason = "non-NULL mapping";
	if (unlikely(page_ref_count(page) != 0))
		bad_reason = "nonzero _refcount";
	if (unlikely(page->flags & flags))
		bad_reason = "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	return bad_reason;
}

/*
 * Report a page in a state it must not be in, as the kernel does. The
 * reports are limited to 60 a minute of simulated time.
 */
static void report_bad_page(struct machine *m, struct page *page, const char *reason)
{
	m->nr_bad_pages++;
	if (m->bad_page_rs.shown == 60) {
		if (m->clock_ns < m->bad_page_rs.resume) {
			m->bad_page_rs.unshown++;
			return;
		}
		if (m->bad_page_rs.unshown) {
			printk(m, KERN_ALERT "BUG: Bad page state: %lu messages suppressed\n",
			       m->bad_page_rs.unshown);
			m->bad_page_rs.unshown = 0;
		}
		m->bad_page_rs.shown = 0;
	}
	if (m->bad_page_rs.shown++ == 0)
		m->bad_page_rs.resume = m->clock_ns + 60ULL * 1000000000ULL;
	printk(m, KERN_ALERT "BUG: Bad page state in process %s  pfn:%05lx\n", m->comm, page_to_pfn(m, page));
	dump_page(m, page, reason);
	if (!m->tainted_bad_page) {
		m->tainted_bad_page = true;
		printk(m, KERN_WARNING "Disabling lock debugging due to kernel taint\n");
	}
}

/*
 * Report, and leak the page: a page whose state is not understood is never
 * reused (the kernel's bad_page()).
 */
void bad_page(struct machine *m, struct page *page, const char *reason)
{
	report_bad_page(m, page, reason);
	page->alloc_order = -2;
}

/*
 * Checks made when a block is freed; false means the free must not proceed.
 *
 * The kernel cannot tell a block freed with the wrong order; mmsim keeps the
 * order of every allocation (as CONFIG_PAGE_OWNER does) and refuses a free
 * that does not match one, reporting it like any other bad page and leaving
 * the block as it was — freeing it would put pages that are still in use,
 * or already free, onto the free lists.
 */
static bool free_pages_prepare(struct machine *m, struct page *page, unsigned int order)
{
	trace_mm_page_free(m, page_to_pfn(m, page), order);
	/* An anonymous page's mapping is its anon_vma: it goes with the page. */
	if ((uintptr_t)page->mapping & PAGE_MAPPING_ANON)
		page->mapping = NULL;
	if (unlikely(page->alloc_order != (signed char)order)) {
		char why[112];
		const char *reason = page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE);
		if (page->alloc_order >= 0 || !reason) {
			if (page->alloc_order >= 0)
				snprintf(why, sizeof(why), "freed as order %u, allocated as order %d "
					 "(page_owner)", order, page->alloc_order);
			else
				snprintf(why, sizeof(why), "freed as order %u, but no allocation "
					 "starts here (page_owner)", order);
			reason = why;
		}
		set_page_count(page, page_ref_count(page) + 1);	/* undo the put */
		report_bad_page(m, page, reason);
		return false;
	}
	struct zone *zone = page_zone(m, page);
	int bad = 0;
	if (PageHead(page))
		for (unsigned int i = 1; i < (1U << order); i++)
			page[i].compound_head_off = 0;
	for (unsigned int i = 0; i < (1U << order); i++) {
		const char *reason = page_bad_reason(page + i, PAGE_FLAGS_CHECK_AT_FREE);
		if (unlikely(reason)) {
			report_bad_page(m, page + i, reason);
			bad++;
		}
	}
	zone->vm_stat[NR_ZONE_ALLOC_PAGES] -= 1L << order;
	if (unlikely(bad)) {
		/* The whole block is leaked. */
		for (unsigned int i = 0; i < (1U << order); i++)
			page[i].alloc_order = -2;
		return false;
	}
	/* Every page flag goes (PAGE_FLAGS_CHECK_AT_PREP); the zone bits stay. */
	for (unsigned int i = 0; i < (1U << order); i++)
		page[i].flags &= ~PAGEFLAGS_MASK;
	page->alloc_order = -1;
	count_vm_events(m, PGFREE, 1UL << order);
	return true;
}

static void free_one_page(struct machine *m, struct zone *zone, struct page *page,
			  unsigned long pfn, unsigned int order, int migratetype, int fpi_flags)
{
	/* zone->lock; the pageblock may have been isolated since @migratetype was read. */
	if (unlikely(has_isolate_pageblock(zone) || migratetype == MIGRATE_ISOLATE))
		migratetype = get_pageblock_migratetype(m, pfn);
	__free_one_page(m, page, pfn, zone, order, migratetype, fpi_flags);
}

static void free_the_page(struct machine *m, struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(m, page);

	if (!free_pages_prepare(m, page, order))
		return;
	int migratetype = get_pageblock_migratetype(m, pfn);
	struct zone *zone = page_zone(m, page);
	if (pcp_allowed_order(m, order) && migratetype != MIGRATE_ISOLATE) {
		/*
		 * HIGHATOMIC and CMA pages are cached on the movable lists, but
		 * keep their pageblock's migratetype (set_pcppage_migratetype),
		 * so that a drain gives them back to their own free lists.
		 * Pages of isolated pageblocks go straight to the buddy lists.
		 */
		page->private = (unsigned long)migratetype;
		free_unref_page_commit(m, zone, &zone->per_cpu_pageset[m->cur_cpu], page,
				       migratetype >= MIGRATE_PCPTYPES ? MIGRATE_MOVABLE : migratetype,
				       order);
		return;
	}
	free_one_page(m, zone, page, pfn, order, migratetype, FPI_NONE);
}

/*
 * Drop a reference; the last one frees the block. A page freed with no
 * reference left (refcount already 0: freed twice, or never allocated) is
 * reported the way a CONFIG_DEBUG_VM kernel reports it and left alone.
 */
static void __free_pages_slow(struct machine *m, struct page *page, unsigned int order);

/*
 * The fast path: the last reference to an order-0 page in a clean state
 * (one combined test for what free_pages_prepare() checks) goes to the head
 * of this CPU's pcp list. Everything else takes the full path.
 */
void __free_pages(struct machine *m, struct page *page, unsigned int order)
{
	/*
	 * Traced, every free takes the full path, whose free_pages_prepare()
	 * emits kmem:mm_page_free for each block that is freed; the order-0
	 * fast path below does the same work without the event.
	 */
	if (unlikely(m->tracer)) {
		__free_pages_slow(m, page, order);
		return;
	}
	if (likely(order == 0 && page->_refcount == 1 && page->alloc_order == 0 &&
		   page->_mapcount == -1 &&
		   (!page->mapping || ((uintptr_t)page->mapping & PAGE_MAPPING_ANON)) &&
		   !(page->flags & (PAGE_FLAGS_CHECK_AT_FREE | (1UL << PG_head))))) {
		unsigned long pfn = page_to_pfn(m, page);
		int mt = get_pageblock_migratetype(m, pfn);
		if (likely(mt < MIGRATE_PCPTYPES)) {
			struct zone *zone = page_zone(m, page);
			page->mapping = NULL;
			page->flags &= ~PAGEFLAGS_MASK;
			page->_refcount = 0;
			page->alloc_order = -1;
			zone->vm_stat[NR_ZONE_ALLOC_PAGES]--;
			count_vm_event(m, PGFREE);
			page->private = (unsigned long)mt;
			/* free_unref_page_commit() for order 0 (free_high is only for order > 0). */
			struct per_cpu_pages *pcp = &zone->per_cpu_pageset[m->cur_cpu];
			unsigned int pindex = order_to_pindex(mt, 0);
			list_add(&page->pcp_list, &pcp->lists[pindex]);
			if (unlikely(++pcp->count >= pcp->high) || !m->profile->pcp_high_from_low_wmark)
				free_unref_page_commit_drain(m, zone, pcp, (int)pindex);
			return;
		}
	}
	__free_pages_slow(m, page, order);
}

static __attribute__((noinline)) void __free_pages_slow(struct machine *m, struct page *page,
							unsigned int order)
{
	if (unlikely(page_ref_count(page) <= 0)) {
		/* Already free (or leaked): report it and touch nothing. */
		report_bad_page(m, page, "VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
		return;
	}
	bool head = page->flags & (1UL << PG_head);
	if (--page->_refcount == 0) {
		free_the_page(m, page, order);
	} else if (!head) {
		/* Someone else holds the first page: free the rest of the block. */
		while (order-- > 0)
			free_the_page(m, page + (1UL << order), order);
	}
}

void free_pages(struct machine *m, kaddr_t addr, unsigned int order)
{
	if (addr)
		__free_pages(m, pfn_to_page(m, (unsigned long)PFN_DOWN(__pa(m, addr))), order);
}

void drain_all_pages(struct machine *m)
{
	for_each_populated_zone(m, zone)
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
			struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
			if (pcp->count)
				free_pcppages_bulk(m, zone, pcp->count, pcp, 0);
		}
}

/* ---- boot-time freeing -------------------------------------------------- */

void __free_pages_core(struct machine *m, struct page *page, unsigned int order)
{
	unsigned long nr_pages = 1UL << order;
	unsigned long pfn = page_to_pfn(m, page);
	struct zone *zone = page_zone(m, page);

	for (unsigned long i = 0; i < nr_pages; i++) {
		__ClearPageReserved(page + i);
		set_page_count(page + i, 0);
	}
	zone->managed_pages += nr_pages;
	/* Boot frees go to the tail: memory is handed out from the list heads. */
	__free_one_page(m, page, pfn, zone, order, get_pageblock_migratetype(m, pfn), FPI_TO_TAIL);
}

/*
 * Free a pfn range in the largest naturally aligned blocks that fit, never
 * crossing a zone boundary (__free_pages_memory()).
 */
void free_pfn_range_to_buddy(struct machine *m, unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned int order = start ? (unsigned int)__builtin_ctzl(start) : MAX_ORDER - 1;
		if (order > MAX_ORDER - 1)
			order = MAX_ORDER - 1;
		while (start + (1UL << order) > end)
			order--;
		/* A block must lie inside one zone. */
		struct zone *zone = &m->node.node_zones[memmap_page_zonenum(m, start)];
		while (start + (1UL << order) > zone_end_pfn(zone))
			order--;
		if (order < MAX_ORDER - 1 || !memmap_hold_free_block(m, zone, start))
			__free_pages_core(m, pfn_to_page(m, start), order);
		start += 1UL << order;
	}
}

/*
 * Return boot-reserved memory to the allocator at runtime, page by page,
 * as free_reserved_area() does for init sections and the initrd. Returns
 * how many pages were freed.
 */
unsigned long free_reserved_area(struct machine *m, phys_addr_t start, phys_addr_t end)
{
	unsigned long s = (unsigned long)PFN_UP(start), e = (unsigned long)PFN_DOWN(end);
	unsigned long freed = 0;

	for (unsigned long pfn = s; pfn < e; pfn++) {
		struct page *page = pfn_to_page(m, pfn);
		if (!PageReserved(page))
			continue;
		__ClearPageReserved(page);
		set_page_count(page, 0);
		page_zone(m, page)->managed_pages++;
		free_one_page(m, page_zone(m, page), page, pfn, 0,
			      get_pageblock_migratetype(m, pfn), FPI_NONE);
		freed++;
	}
	m->totalram_pages += freed;
	return freed;
}

/* ---- zonelists and gfp_zone ---------------------------------------------- */

/* Recompute fast_mark[] after watermarks, boosts, reserves or highatomic change. */
void zone_update_fast_marks(struct machine *m)
{
	for_each_zone_idx(m, zone)
		for (int j = 0; j < __MAX_NR_ZONES; j++)
			zone->fast_mark[j] = (long)low_wmark_pages(zone) + zone->lowmem_reserve[j] +
					     (long)zone->nr_reserved_highatomic;
}

void build_all_zonelists(struct machine *m)
{
	struct zoneref *zr = m->node.node_zonelist._zonerefs;
	int nr = 0;

	for (int idx = __MAX_NR_ZONES - 1; idx >= 0; idx--) {
		struct zone *zone = &m->node.node_zones[idx];
		if (zone->configured && populated_zone(zone)) {
			zr[nr].zone = zone;
			zr[nr].zone_idx = idx;
			nr++;
		}
	}
	zr[nr].zone = NULL;
	zr[nr].zone_idx = 0;
	for (int idx = 0; idx < __MAX_NR_ZONES; idx++) {
		const struct zoneref *z = zr;
		while (z->zone && z->zone_idx > idx)
			z++;
		m->zonelist_first[idx] = z->zone;
	}
}

/*
 * GFP_ZONE_TABLE: the four zone bits select the highest zone a request may
 * use. On i386 __GFP_DMA32 means Normal (no DMA32 zone); on x86_64
 * __GFP_HIGHMEM means Normal (no HighMem). Contradictory combinations
 * (DMA with HighMem, DMA with DMA32...) are GFP_ZONE_BAD: -1.
 */
void build_gfp_zone_table(struct machine *m)
{
	const int opt_dma32 = m->node.node_zones[ZONE_DMA32].configured ? ZONE_DMA32 : ZONE_NORMAL;
	const int opt_highmem = m->node.node_zones[ZONE_HIGHMEM].configured ? ZONE_HIGHMEM : ZONE_NORMAL;

	for (int i = 0; i < 16; i++)
		m->gfp_zone_table[i] = -1;
	m->gfp_zone_table[0] = ZONE_NORMAL;
	m->gfp_zone_table[___GFP_DMA] = ZONE_DMA;
	m->gfp_zone_table[___GFP_HIGHMEM] = (signed char)opt_highmem;
	m->gfp_zone_table[___GFP_DMA32] = (signed char)opt_dma32;
	m->gfp_zone_table[___GFP_MOVABLE] = ZONE_NORMAL;
	m->gfp_zone_table[___GFP_MOVABLE | ___GFP_DMA] = ZONE_DMA;
	m->gfp_zone_table[___GFP_MOVABLE | ___GFP_HIGHMEM] = ZONE_MOVABLE;
	m->gfp_zone_table[___GFP_MOVABLE | ___GFP_DMA32] = (signed char)opt_dma32;
}

/* ---- watermarks, reserves and pcp sizing --------------------------------- */

/* Pages above the high watermark in zones a GFP_USER request may use. */
unsigned long nr_free_buffer_pages(struct machine *m)
{
	int highest = gfp_zone(m, GFP_USER);
	unsigned long sum = 0;

	for (const struct zoneref *z = m->node.node_zonelist._zonerefs; z->zone; z++) {
		if (z->zone_idx > highest)
			continue;
		unsigned long size = z->zone->managed_pages;
		unsigned long high = high_wmark_pages(z->zone);
		if (size > high)
			sum += size - high;
	}
	return sum;
}

/*
 * min_free_kbytes = 4 * sqrt(lowmem_kbytes), i.e. sqrt(lowmem_kbytes * 16):
 * it grows more slowly than memory, because the reserve is for bursts of
 * atomic allocations, which do not scale with RAM.
 */
void calculate_min_free_kbytes(struct machine *m)
{
	unsigned long lowmem_kbytes = nr_free_buffer_pages(m) * (PAGE_SIZE >> 10);
	int new_min = (int)int_sqrt(lowmem_kbytes * 16);

	if (new_min > m->user_min_free_kbytes)
		m->min_free_kbytes = clamp_t(int, new_min, 128, m->profile->min_free_kbytes_max);
	else
		printk(m, KERN_WARNING "min_free_kbytes is not updated to %d because user defined value %d "
		       "is preferred\n", new_min, m->user_min_free_kbytes);
}

static void calculate_totalreserve_pages(struct machine *m)
{
	unsigned long reserve_pages = 0;

	for_each_zone_idx(m, zone) {
		long max = 0;
		unsigned long managed = zone->managed_pages;
		for (int j = zone->idx; j < __MAX_NR_ZONES; j++)
			if (zone->lowmem_reserve[j] > max)
				max = zone->lowmem_reserve[j];
		unsigned long r = (unsigned long)max + high_wmark_pages(zone);
		if (r > managed)
			r = managed;
		reserve_pages += r;
	}
	m->totalreserve_pages = reserve_pages;
	m->node.totalreserve_pages = reserve_pages;
}

/*
 * Each lowmem zone's min watermark is its share of min_free_kbytes in
 * proportion to its size. HighMem's min is small (managed/1024, clamped to
 * 32..128): __GFP_HIGH and atomic callers rarely want highmem, so a large
 * reserve there would be wasted. The low and high marks sit a further
 * max(min/4, managed * watermark_scale_factor / 10000) above.
 */
static void __setup_per_zone_wmarks(struct machine *m)
{
	unsigned long pages_min = (unsigned long)m->min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	const bool classic = m->profile->wmark_algo == WMARK_ALGO_CLASSIC;

	for_each_zone_idx(m, zone)
		if (!zone->is_highmem)
			lowmem_pages += classic ? zone->present_pages : zone->managed_pages;
	for_each_zone_idx(m, zone) {
		unsigned long size = classic ? zone->present_pages : zone->managed_pages;
		uint64_t tmp = lowmem_pages ? (uint64_t)pages_min * size / lowmem_pages : 0;
		if (zone->is_highmem) {
			unsigned long min_pages = size / 1024;
			zone->_watermark[WMARK_MIN] = clamp_t(unsigned long, min_pages,
							      SWAP_CLUSTER_MAX, 128UL);
		} else {
			zone->_watermark[WMARK_MIN] = (unsigned long)tmp;
		}
		zone->watermark_boost = 0;
		if (classic) {
			zone->_watermark[WMARK_LOW] = zone->_watermark[WMARK_MIN] + (unsigned long)(tmp >> 2);
			zone->_watermark[WMARK_HIGH] = zone->_watermark[WMARK_MIN] + (unsigned long)(tmp >> 1);
			continue;
		}
		uint64_t scaled = (uint64_t)size * (uint64_t)m->watermark_scale_factor / 10000;
		tmp = (tmp >> 2) > scaled ? (tmp >> 2) : scaled;
		zone->_watermark[WMARK_LOW] = zone->_watermark[WMARK_MIN] + (unsigned long)tmp;
		zone->_watermark[WMARK_HIGH] = zone->_watermark[WMARK_LOW] + (unsigned long)tmp;
	}
	calculate_totalreserve_pages(m);
	zone_update_fast_marks(m);
}

static int zone_batchsize(const struct machine *m, const struct zone *zone)
{
	unsigned long pages = m->profile->pcp_high_from_low_wmark ? zone->managed_pages
								  : zone->present_pages;
	unsigned long batch = pages >> 10;
	unsigned long cap = m->profile->pcp_high_from_low_wmark ? SZ_1M / PAGE_SIZE
								: (512 * 1024) / PAGE_SIZE;

	if (batch > cap)
		batch = cap;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	/* Clamp to 2^n - 1: powers of two alias badly in the cache. */
	unsigned long v = batch + batch / 2, p = 1;
	while (p * 2 <= v)
		p *= 2;
	return (int)(p - 1);
}

static void zone_set_high_and_batch(struct machine *m, struct zone *zone)
{
	int batch = zone_batchsize(m, zone);
	int high;

	if (batch < 1)
		batch = 1;
	if (m->profile->pcp_high_from_low_wmark) {
		/* Full pcp lists must not start background reclaim early. */
		high = (int)(low_wmark_pages(zone) / m->nr_cpus);
		if (high < batch * 4)
			high = batch * 4;
	} else {
		high = 6 * batch;
	}
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		zone->per_cpu_pageset[cpu].high = high;
		zone->per_cpu_pageset[cpu].batch = batch;
	}
}

void setup_zone_pagesets(struct machine *m)
{
	for_each_zone_idx(m, zone)
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
			struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
			memset(pcp, 0, sizeof(*pcp));
			for (int i = 0; i < NR_PCP_LISTS; i++)
				INIT_LIST_HEAD(&pcp->lists[i]);
			/* The boot pageset: batch 1, high 0 — nothing is cached. */
			pcp->batch = 1;
		}
}

void zone_pcp_update_all(struct machine *m)
{
	for_each_zone_idx(m, zone)
		zone_set_high_and_batch(m, zone);
}

void setup_per_zone_wmarks(struct machine *m)
{
	__setup_per_zone_wmarks(m);
	/* The watermarks moved, so pcp->high (derived from them) moves too. */
	zone_pcp_update_all(m);
}

/*
 * lowmem_reserve[j] of zone i = pages of zones above i usable by a request
 * whose highest zone is j, divided by lowmem_reserve_ratio[i]: the bigger
 * the memory above, the more of a low zone it must not be allowed to take.
 */
void setup_per_zone_lowmem_reserve(struct machine *m)
{
	for (int i = 0; i < __MAX_NR_ZONES - 1; i++) {
		struct zone *zone = &m->node.node_zones[i];
		if (!zone->configured)
			continue;
		int ratio = m->lowmem_reserve_ratio[i];
		bool clear = !ratio || !managed_zone(zone);
		unsigned long managed = 0;
		for (int j = i + 1; j < __MAX_NR_ZONES; j++) {
			struct zone *upper = &m->node.node_zones[j];
			if (!upper->configured)
				continue;
			managed += upper->managed_pages;
			zone->lowmem_reserve[j] = clear ? 0 : (long)(managed / (unsigned long)ratio);
		}
	}
	calculate_totalreserve_pages(m);
	zone_update_fast_marks(m);
}

void init_per_zone_wmark_min(struct machine *m)
{
	calculate_min_free_kbytes(m);
	setup_per_zone_wmarks(m);
	setup_per_zone_lowmem_reserve(m);
}

/*
 * khugepaged: keep enough free pageblocks that huge pages can be formed —
 * two per zone for fallbacks plus MIGRATE_PCPTYPES^2 per zone so each type
 * can fall back without mixing — but never more than 5% of lowmem.
 */
void set_recommended_min_free_kbytes(struct machine *m)
{
	int highest = gfp_zone(m, GFP_USER);
	unsigned long nr_zones = 0;

	for_each_populated_zone(m, zone)
		if ((int)zone->idx <= highest)
			nr_zones++;
	unsigned long recommended = m->pageblock_nr_pages * nr_zones * 2;
	recommended += m->pageblock_nr_pages * nr_zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
	unsigned long cap = nr_free_buffer_pages(m) / 20;
	if (recommended > cap)
		recommended = cap;
	recommended <<= (PAGE_SHIFT - 10);
	if ((long)recommended > m->min_free_kbytes) {
		if (m->user_min_free_kbytes >= 0)
			printk(m, KERN_INFO "raising min_free_kbytes from %d to %lu to help transparent "
			       "hugepage allocations\n", m->min_free_kbytes, recommended);
		m->min_free_kbytes = (int)recommended;
	}
	setup_per_zone_wmarks(m);
}

/* ---- contiguous ranges: CMA and page isolation's half of the allocator ---------------- */

struct page *find_buddy_page_pfn(struct machine *m, unsigned long pfn, unsigned int order,
				 unsigned long *buddy_pfn)
{
	unsigned long ignored;

	return find_buddy_page(m, pfn, order, page_zonenum(pfn_to_page(m, pfn)),
			       buddy_pfn ? buddy_pfn : &ignored);
}

/*
 * split_free_page(): cut the free block at @page into blocks that end at
 * @split_pfn_offset pages in and start there, each freed to its own
 * pageblock's list (for a block that straddles a pageblock being
 * isolated). -ENOENT if the block changed meanwhile.
 */
int split_free_page(struct machine *m, struct page *free_page, unsigned int order,
		    unsigned long split_pfn_offset)
{
	struct zone *zone = page_zone(m, free_page);
	unsigned long free_page_pfn = page_to_pfn(m, free_page);

	if (!split_pfn_offset)
		return 0;
	/* zone->lock */
	if (!PageBuddy(free_page) || buddy_order(free_page) != order)
		return -MMSIM_ENOENT;
	int mt = get_pageblock_migratetype(m, free_page_pfn);
	if (likely(mt != MIGRATE_ISOLATE))
		__mod_zone_freepage_state(zone, -(1L << order), mt);
	del_page_from_free_list(free_page, zone, order);
	for (unsigned long pfn = free_page_pfn; pfn < free_page_pfn + (1UL << order);) {
		unsigned int by_align = pfn ? (unsigned int)__builtin_ctzl(pfn) : order;
		unsigned int by_split = (unsigned int)(63 - __builtin_clzll(split_pfn_offset));
		unsigned int piece = by_align < by_split ? by_align : by_split;
		__free_one_page(m, pfn_to_page(m, pfn), pfn, zone, piece,
				get_pageblock_migratetype(m, pfn), FPI_NONE);
		pfn += 1UL << piece;
		split_pfn_offset -= 1UL << piece;
		/* The first part is done: now the second. */
		if (!split_pfn_offset)
			split_pfn_offset = (1UL << order) - (pfn - free_page_pfn);
	}
	return 0;
}

void __putback_isolated_page(struct machine *m, struct page *page, unsigned int order, int mt)
{
	/* zone->lock */
	__free_one_page(m, page, page_to_pfn(m, page), page_zone(m, page), order, mt, FPI_NONE);
}

void init_cma_reserved_pageblock(struct machine *m, struct page *page)
{
	unsigned long nr = m->pageblock_nr_pages, pfn = page_to_pfn(m, page);
	struct zone *zone = page_zone(m, page);

	for (unsigned long i = 0; i < nr; i++) {
		__ClearPageReserved(page + i);
		set_page_count(page + i, 0);
	}
	set_pageblock_migratetype(m, pfn, MIGRATE_CMA);
	/* set_page_refcounted() then __free_pages(): freed as the block it is. */
	set_page_count(page, 1);
	page->alloc_order = (signed char)m->pageblock_order;
	page->alloc_migratetype = MIGRATE_MOVABLE;
	zone->vm_stat[NR_ZONE_ALLOC_PAGES] += (long)nr;
	zone->managed_pages += nr;		/* adjust_managed_page_count() */
	m->totalram_pages += nr;
	if (zone->is_highmem)
		m->totalhigh_pages += nr;
	zone->cma_pages += nr;
	__free_pages(m, page, m->pageblock_order);
}

/*
 * __alloc_contig_migrate_range(): empty [start, end) of the pages in use by
 * migrating them elsewhere, as compact_zone() does: rounds of
 * isolate_migratepages_range() onto cc->migratepages (the per-CPU LRU
 * batches drained first, lru_cache_disable()), each migrated to new pages
 * (GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL, MIGRATE_SYNC,
 * MR_CONTIG_RANGE). Pages that will not move (pinned by an extra
 * reference, not on the LRU) are retried for five rounds, then -EBUSY
 * and they go back to the LRU; -ENOMEM when no target page can be had.
 * A page in use that is not on the LRU (slab, page tables, kernel
 * allocations) is never isolated: the range stays busy, which
 * test_pages_isolated() then finds. 6.1 first drops clean page-cache
 * pages rather than move them (reclaim_clean_pages_from_list); here they
 * are migrated like the rest, which leaves the same range free.
 */
static int __alloc_contig_migrate_range(struct machine *m, struct compact_control *cc,
					unsigned long start, unsigned long end)
{
	struct migration_target_control mtc = {
		.gfp_mask = GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL,
	};
	unsigned long pfn = start;
	unsigned int tries = 0;
	int ret = 0;

	lru_add_drain_all(m);
	while (pfn < end || !list_empty(&cc->migratepages)) {
		if (list_empty(&cc->migratepages)) {
			cc->nr_migratepages = 0;
			ret = isolate_migratepages_range(m, cc, pfn, end);
			if (ret && ret != -MMSIM_EAGAIN)
				break;
			/* Nothing more to take and nothing taken: the scan is done. */
			if (cc->migrate_pfn <= pfn && list_empty(&cc->migratepages)) {
				pfn = end;
				continue;
			}
			pfn = cc->migrate_pfn;
			tries = 0;
		} else if (++tries == 5) {
			ret = -MMSIM_EBUSY;
			break;
		}
		ret = migrate_pages(m, &cc->migratepages, alloc_migration_target, NULL,
				    (unsigned long)&mtc, cc->mode, MR_CONTIG_RANGE, NULL);
		/* migrate_pages() gives up at once on -ENOMEM: so does this. */
		if (ret == -MMSIM_ENOMEM)
			break;
	}
	if (ret < 0) {
		putback_movable_pages(m, &cc->migratepages);
		return ret;
	}
	return 0;
}

/*
 * Do the pageblocks that hold [start, end) reach into another zone? i386's
 * max_low_pfn is not pageblock-aligned, so one pageblock can hold the end
 * of Normal and the start of HighMem. Isolation takes the zone from the
 * pageblock's first page and moves only that zone's free pages, so the
 * other zone's stay counted on lists whose block reads isolated — and
 * NR_FREE_PAGES drifts when they are taken. The kernel's callers never ask
 * for such a range (gigantic pages and CMA take whole pageblocks of one
 * zone); mmsim, whose alloc_contig takes any size, refuses it.
 */
static bool pageblocks_straddle_zones(struct machine *m, unsigned long start, unsigned long end)
{
	unsigned long first = start & ~(m->pageblock_nr_pages - 1);
	unsigned long last = ALIGN_UP(end, m->pageblock_nr_pages) - 1;
	unsigned int zone_idx = page_zonenum(pfn_to_page(m, start));

	if (last >= m->mem_map_pfns)
		last = m->mem_map_pfns - 1;
	return (pfn_valid(m, first) && page_zonenum(pfn_to_page(m, first)) != zone_idx) ||
	       (pfn_valid(m, last) && page_zonenum(pfn_to_page(m, last)) != zone_idx);
}

/*
 * alloc_contig_range() — the pageblocks of the range become
 * MIGRATE_ISOLATE, so nothing freed there is handed out again; the pcp
 * lists are drained into them; the pages in use are migrated away; and
 * once every page is free (test_pages_isolated) the free blocks are taken.
 * Free blocks reach past the range at either end when they are larger
 * than the range is aligned: the whole blocks are taken and the parts
 * outside [start, end) freed again, to the isolated lists, before the
 * isolation is undone and they return to the allocator.
 */
int alloc_contig_range(struct machine *m, unsigned long start, unsigned long end,
		       int migratetype, gfp_t gfp)
{
	struct compact_control cc = {
		.order = -1,
		.mode = MIGRATE_SYNC,
		.ignore_skip_hint = true,
		.no_set_skip_hint = true,
		.gfp_mask = gfp,
		.alloc_contig = true,
	};
	unsigned long outer_start, outer_end;
	int ret;

	if (start >= end || end > m->mem_map_pfns || !pfn_valid(m, start) ||
	    !zone_spans_pfn(page_zone(m, pfn_to_page(m, start)), end - 1) ||
	    pageblocks_straddle_zones(m, start, end))
		return -MMSIM_EINVAL;
	cc.zone = page_zone(m, pfn_to_page(m, start));
	INIT_LIST_HEAD(&cc.migratepages);
	INIT_LIST_HEAD(&cc.freepages);
	ret = start_isolate_page_range(m, start, end, migratetype, 0, gfp);
	if (ret)
		return ret;
	drain_all_pages(m);
	/*
	 * -EBUSY falls through: test_pages_isolated() below tells which page
	 * is busy (the kernel's tracepoint), and pages freed meanwhile may
	 * still let the range through.
	 */
	ret = __alloc_contig_migrate_range(m, &cc, start, end);
	if (ret && ret != -MMSIM_EBUSY)
		goto done;
	ret = 0;
	/* The free block that holds @start may begin before it. */
	unsigned int order = 0;
	outer_start = start;
	while (!PageBuddy(pfn_to_page(m, outer_start))) {
		if (++order >= MAX_ORDER) {
			outer_start = start;
			break;
		}
		outer_start &= ~0UL << order;
	}
	if (outer_start != start) {
		order = buddy_order(pfn_to_page(m, outer_start));
		/* A small block below @start that does not reach it: not ours. */
		if (outer_start + (1UL << order) <= start)
			outer_start = start;
	}
	if (test_pages_isolated(m, outer_start, end, 0)) {
		ret = -MMSIM_EBUSY;
		goto done;
	}
	outer_end = isolate_freepages_range(m, &cc, outer_start, end);
	if (!outer_end) {
		ret = -MMSIM_EBUSY;
		goto done;
	}
	/* Give back what lies outside [start, end). */
	if (start != outer_start)
		free_contig_range(m, outer_start, start - outer_start);
	if (end != outer_end)
		free_contig_range(m, end, outer_end - end);
done:
	undo_isolate_page_range(m, start, end, migratetype);
	return ret;
}

/* pfn_range_valid_contig(): all of [start, start + nr) is memory of @zone, none of it reserved. */
static bool pfn_range_valid_contig(struct machine *m, const struct zone *zone, unsigned long start,
				   unsigned long nr_pages)
{
	for (unsigned long pfn = start; pfn < start + nr_pages; pfn++) {
		if (!pfn_valid(m, pfn))
			return false;
		struct page *page = pfn_to_page(m, pfn);
		if (page_zone(m, page) != zone || PageReserved(page))
			return false;
	}
	return true;
}

struct page *alloc_contig_pages(struct machine *m, unsigned long nr_pages, gfp_t gfp)
{
	int highest = gfp_zone(m, gfp);

	if (!nr_pages || highest < 0)
		return NULL;
	for (const struct zoneref *z = m->node.node_zonelist._zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		if (z->zone_idx > highest)
			continue;
		for (unsigned long pfn = ALIGN_UP(zone->zone_start_pfn, nr_pages);
		     pfn + nr_pages <= zone_end_pfn(zone); pfn += nr_pages) {
			if (!pfn_range_valid_contig(m, zone, pfn, nr_pages) ||
			    pageblocks_straddle_zones(m, pfn, pfn + nr_pages))
				continue;
			if (!alloc_contig_range(m, pfn, pfn + nr_pages, MIGRATE_MOVABLE, gfp))
				return pfn_to_page(m, pfn);
		}
	}
	return NULL;
}

void free_contig_range(struct machine *m, unsigned long pfn, unsigned long nr_pages)
{
	unsigned long count = 0;

	for (; nr_pages--; pfn++) {
		struct page *page = pfn_to_page(m, pfn);
		count += page_ref_count(page) != 1;
		__free_pages(m, page, 0);
	}
	if (count)
		__warn(m, "mm/page_alloc.c", "free_contig_range", "%lu pages are still in use!\n", count);
}

/* ---- validator ------------------------------------------------------------ */

/*
 * A run in a free list: where it may stand, its count, and each member
 * (a written one as a free block of MAX_ORDER - 1). Returns the problems
 * found; *@members counts the blocks the run holds.
 */
static unsigned long verify_free_run(struct machine *m, struct zone *zone, struct page *anchor,
				     unsigned int order, int mt, FILE *out, unsigned long *members)
{
	struct memmap_free_run *run = container_of(anchor, struct memmap_free_run, anchor);
	unsigned long bad = 0;
	bool listed = false;

	*members = 0;
	for (unsigned int i = 0; i < zone->nr_free_runs; i++)
		listed |= zone->free_runs[i] == run;
	if (!listed || run->zone != zone || run->m != m || order != MAX_ORDER - 1 ||
	    mt != MIGRATE_MOVABLE) {
		fprintf(out, "zone %s: a run of free blocks stands in free_area[%u] list %d, "
			"not its own\n", zone->name, order, mt);
		return 1;
	}
	if (run->first > run->end || run->end > m->mem_map_pfns >> MEMMAP_BLOCK_SHIFT ||
	    (run->first << MEMMAP_BLOCK_SHIFT) < zone->zone_start_pfn ||
	    (run->end << MEMMAP_BLOCK_SHIFT) > zone_end_pfn(zone)) {
		fprintf(out, "zone %s: a run of free blocks covers blocks %lu-%lu, outside the "
			"zone\n", zone->name, run->first, run->end);
		return 1;
	}
	for (unsigned long b = run->first; b < run->end; b++) {
		if (!free_run_member(run, b))
			continue;
		(*members)++;
		unsigned long pfn = b << MEMMAP_BLOCK_SHIFT;
		if (get_pageblock_migratetype(m, pfn) == MIGRATE_ISOLATE ||
		    get_pageblock_migratetype(m, pfn) == MIGRATE_CMA) {
			fprintf(out, "zone %s: free block pfn 0x%lx of a run is in a pageblock of "
				"migratetype %d\n", zone->name, pfn, get_pageblock_migratetype(m, pfn));
			bad++;
		}
		if (m->memmap_state[b] != MEMMAP_HELD)
			continue;
		struct page *page = pfn_to_page_in_block(m, pfn);
		if (!PageBuddy(page) || buddy_order(page) != MAX_ORDER - 1 || page->buddy_list.next) {
			fprintf(out, "zone %s: held free block pfn 0x%lx is not a free block of order "
				"%u outside the lists\n", zone->name, pfn, MAX_ORDER - 1);
			bad++;
		}
		for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i++)
			if (page_ref_count(page + i) || page_zonenum(page + i) != zone->idx ||
			    PageReserved(page + i)) {
				fprintf(out, "zone %s: free pfn 0x%lx of a held block has refcount %d, "
					"zone %u, flags %#lx\n", zone->name, pfn + i,
					page_ref_count(page + i), page_zonenum(page + i), page[i].flags);
				bad++;
				break;
			}
	}
	if (*members != run->nr || !*members) {
		fprintf(out, "zone %s: a run of free blocks counts %lu members but holds %lu\n",
			zone->name, run->nr, *members);
		bad++;
	}
	return bad;
}

static unsigned long verify_zone(struct machine *m, struct zone *zone, FILE *out,
				 unsigned char *state)
{
	enum { ST_NONE, ST_BUDDY, ST_PCP };
	unsigned long bad = 0, start = zone->zone_start_pfn, end = zone_end_pfn(zone);
	unsigned long free_pages = 0, isolated_free = 0;

#define REPORT(...) do { fprintf(out, "zone %s: ", zone->name); fprintf(out, __VA_ARGS__); \
			 fputc('\n', out); bad++; } while (0)
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		unsigned long blocks = 0;
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *head = &zone->free_area[order].free_list[mt], *pos;
			list_for_each(pos, head) {
				struct page *page = list_entry(pos, struct page, buddy_list);
				if (free_list_entry_is_run(page)) {
					unsigned long n;
					bad += verify_free_run(m, zone, page, order, mt, out, &n);
					blocks += n;
					free_pages += n << (MAX_ORDER - 1);
					continue;
				}
				unsigned long pfn = page_to_pfn(m, page);
				blocks++;
				if (blocks > zone->spanned_pages + 1) {
					REPORT("free_area[%u] list %d is cyclic", order, mt);
					return bad;
				}
				if (pfn < m->mem_map_pfns && memmap_block_state(m, pfn) != MEMMAP_READY) {
					REPORT("pfn 0x%lx on free_area[%u] lies in a block whose struct pages "
					       "are not live (state %d)", pfn, order, memmap_block_state(m, pfn));
					continue;
				}
				if (!PageBuddy(page) || buddy_order(page) != order)
					REPORT("pfn 0x%lx on free_area[%u] is not a buddy page of that order",
					       pfn, order);
				if (pfn & ((1UL << order) - 1))
					REPORT("free block pfn 0x%lx is not aligned to order %u", pfn, order);
				if (pfn < start || pfn + (1UL << order) > end) {
					REPORT("free block pfn 0x%lx order %u lies outside the zone", pfn, order);
					continue;
				}
				for (unsigned long p = pfn; p < pfn + (1UL << order); p++) {
					if (state[p - start] != ST_NONE)
						REPORT("pfn 0x%lx is in two free blocks", p);
					state[p - start] = ST_BUDDY;
					if (page_ref_count(pfn_to_page(m, p)) != 0)
						REPORT("free pfn 0x%lx has refcount %d", p,
						       page_ref_count(pfn_to_page(m, p)));
				}
				/* Free pages of isolated pageblocks are not in NR_FREE_PAGES. */
				if (mt == MIGRATE_ISOLATE)
					isolated_free += 1UL << order;
				else
					free_pages += 1UL << order;
			}
		}
		if (blocks != zone->free_area[order].nr_free)
			REPORT("free_area[%u].nr_free is %lu but the lists hold %lu blocks",
			       order, zone->free_area[order].nr_free, blocks);
	}
	if (free_pages != (unsigned long)zone->vm_stat[NR_FREE_PAGES])
		REPORT("NR_FREE_PAGES is %ld but the free lists hold %lu pages",
		       zone->vm_stat[NR_FREE_PAGES], free_pages);

	/* Coalescing is complete: no free block has a free buddy of its order. */
	for (unsigned int order = 0; order < MAX_ORDER - 1; order++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *pos;
			list_for_each(pos, &zone->free_area[order].free_list[mt]) {
				struct page *page = list_entry(pos, struct page, buddy_list);
				unsigned long pfn = page_to_pfn(m, page), bpfn;
				struct page *buddy = find_buddy_page(m, pfn, order, zone->idx, &bpfn);
				if (!buddy || bpfn < pfn)
					continue;
				if (order >= m->pageblock_order) {
					int a = get_pageblock_migratetype(m, pfn);
					int b = get_pageblock_migratetype(m, bpfn);
					if (a != b && (!migratetype_is_mergeable(a) ||
						       !migratetype_is_mergeable(b)))
						continue;
				}
				REPORT("free buddies pfn 0x%lx and 0x%lx (order %u) were not merged",
				       pfn, bpfn, order);
			}
		}

	unsigned long pcp_pages = 0;
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		unsigned long count = 0;
		for (unsigned int i = 0; i < NR_PCP_LISTS; i++) {
			unsigned int order = pindex_to_order(m, i);
			struct list_head *pos;
			unsigned long n = 0;
			list_for_each(pos, &pcp->lists[i]) {
				struct page *page = list_entry(pos, struct page, pcp_list);
				unsigned long pfn = page_to_pfn(m, page);
				if (++n > zone->spanned_pages + 1) {
					REPORT("cpu %u pcp list %u is cyclic", cpu, i);
					return bad;
				}
				if (pfn < start || pfn + (1UL << order) > end) {
					REPORT("cpu %u pcp page pfn 0x%lx is outside the zone", cpu, pfn);
					continue;
				}
				if (PageBuddy(page) || page_ref_count(page) != 0)
					REPORT("cpu %u pcp page pfn 0x%lx is PageBuddy or referenced", cpu, pfn);
				for (unsigned long p = pfn; p < pfn + (1UL << order); p++) {
					if (state[p - start] != ST_NONE)
						REPORT("pfn 0x%lx is both on a pcp list and free elsewhere", p);
					state[p - start] = ST_PCP;
				}
				count += 1UL << order;
			}
		}
		if (count != (unsigned long)pcp->count)
			REPORT("cpu %u pcp->count is %d but its lists hold %lu pages", cpu,
			       pcp->count, count);
		pcp_pages += count;
	}

	/* Every other page is allocated (heads a block), reserved, or leaked. */
	unsigned long allocated = 0, leaked = 0;
	for (unsigned long pfn = start; pfn < end; pfn++) {
		enum memmap_state st = memmap_block_state(m, pfn);
		if (st != MEMMAP_READY) {
			/* Reserved pages, or a free block its run counted: skip the block. */
			unsigned long b = pfn >> MEMMAP_BLOCK_SHIFT;
			if (st != MEMMAP_LAZY && !free_run_of(zone, b))
				REPORT("the free block at pfn 0x%lx belongs to no run of the free list",
				       b << MEMMAP_BLOCK_SHIFT);
			pfn = ((b + 1) << MEMMAP_BLOCK_SHIFT) - 1;
			continue;
		}
		struct page *page = pfn_to_page_in_block(m, pfn);
		if (state[pfn - start] != ST_NONE)
			continue;
		if (page->alloc_order >= 0) {
			unsigned long n = 1UL << page->alloc_order;
			if (page_ref_count(page) <= 0)
				REPORT("allocated pfn 0x%lx has refcount %d", pfn, page_ref_count(page));
			for (unsigned long p = pfn; p < pfn + n && p < end; p++)
				if (state[p - start] != ST_NONE)
					REPORT("pfn 0x%lx is both allocated and free", p);
			allocated += n;
			pfn += n - 1;
			continue;
		}
		if (PageReserved(page))
			continue;
		if (page->alloc_order == -2) {
			leaked++;
			continue;
		}
		REPORT("pfn 0x%lx is neither free, allocated nor reserved", pfn);
	}
	if (allocated != (unsigned long)zone->vm_stat[NR_ZONE_ALLOC_PAGES])
		REPORT("%lu pages are allocated but the zone counts %ld", allocated,
		       zone->vm_stat[NR_ZONE_ALLOC_PAGES]);
	if (free_pages + isolated_free + pcp_pages + allocated + leaked != zone->managed_pages)
		REPORT("managed %lu != free %lu + isolated free %lu + pcp %lu + allocated %lu + "
		       "leaked %lu", zone->managed_pages, free_pages, isolated_free, pcp_pages,
		       allocated, leaked);
#undef REPORT
	return bad;
}

unsigned long page_alloc_verify(struct machine *m, FILE *out)
{
	unsigned long bad = 0;

	for_each_zone_idx(m, zone) {
		if (!zone->spanned_pages)
			continue;
		unsigned char *state = calloc(zone->spanned_pages, 1);
		if (!state) {
			fprintf(out, "zone %s: no host memory to verify\n", zone->name);
			return bad + 1;
		}
		bad += verify_zone(m, zone, out, state);
		free(state);
	}
	return bad;
}

/* ---- the state of memory, for show_mem (OOM, allocation failures) -------------------------- */

#define K(x) ((unsigned long)(x) << (PAGE_SHIFT - 10))

/* show_node(): "Node 0 " before a zone's lines where the kernel has NUMA (x86_64). */
static void show_node(struct machine *m)
{
	if (!m->is_32bit)
		printk(m, "Node %d ", m->node.node_id);
}

/* Pages on the zone's per-CPU lists: all CPUs' (free_pcp), or this CPU's (local_pcp). */
static unsigned long zone_pcp_pages(struct machine *m, const struct zone *zone, bool all_cpus)
{
	unsigned long n = 0;

	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		if (all_cpus || cpu == m->cur_cpu)
			n += (unsigned long)zone->per_cpu_pageset[cpu].count;
	return n;
}

/* show_migration_types(): the letters of the migratetypes that have free blocks of an order. */
static void show_migration_types(struct machine *m, unsigned int types)
{
	static const char letters[MIGRATE_TYPES] = {
		[MIGRATE_UNMOVABLE] = 'U', [MIGRATE_MOVABLE] = 'M', [MIGRATE_RECLAIMABLE] = 'E',
		[MIGRATE_HIGHATOMIC] = 'H', [MIGRATE_CMA] = 'C', [MIGRATE_ISOLATE] = 'I',
	};
	char tmp[MIGRATE_TYPES + 1], *p = tmp;

	for (int i = 0; i < MIGRATE_TYPES; i++)
		if (types & (1u << i))
			*p++ = letters[i];
	*p = '\0';
	printk(m, KERN_CONT "(%s) ", tmp);
}

/*
 * __show_free_areas(): the node's counters in pages, then in kB, then one
 * line per zone (free pages, watermarks, LRU pages, what the pcp lists
 * hold) with its lowmem_reserve[], then each zone's free blocks by order
 * with the migratetypes that have them, the huge page pools, the page
 * cache and swap. Zones above @max_zone_idx — which the request could not
 * have used — are left out. One node, so @filter hides nothing.
 */
void __show_free_areas(struct machine *m, unsigned int filter, int max_zone_idx)
{
	const long *ns = m->node.vm_stat;
	unsigned long free_pcp = 0, slab, reclaimable, unreclaimable;
	bool managed = false;

	(void)filter;
	for_each_populated_zone(m, zone) {
		if ((int)zone->idx > max_zone_idx)
			continue;
		free_pcp += zone_pcp_pages(m, zone, true);
		managed |= managed_zone(zone);
	}
	meminfo_slab_values(m, &slab, &reclaimable, &unreclaimable);
	/* One record in the kernel: each of its lines carries the same prefix. */
	printk(m, "active_anon:%ld inactive_anon:%ld isolated_anon:%ld\n", ns[NR_ACTIVE_ANON],
	       ns[NR_INACTIVE_ANON], ns[NR_ISOLATED_ANON]);
	printk(m, " active_file:%ld inactive_file:%ld isolated_file:%ld\n", ns[NR_ACTIVE_FILE],
	       ns[NR_INACTIVE_FILE], ns[NR_ISOLATED_FILE]);
	printk(m, " unevictable:%ld dirty:%ld writeback:%ld\n", ns[NR_UNEVICTABLE],
	       ns[NR_FILE_DIRTY], ns[NR_WRITEBACK]);
	printk(m, " slab_reclaimable:%lu slab_unreclaimable:%lu\n", reclaimable, unreclaimable);
	printk(m, " mapped:%ld shmem:%ld pagetables:%ld\n", ns[NR_FILE_MAPPED], ns[NR_SHMEM],
	       ns[NR_PAGETABLE]);
	printk(m, " sec_pagetables:%ld bounce:%lu\n", ns[NR_SECONDARY_PAGETABLE],
	       global_zone_page_state(m, NR_BOUNCE));
	printk(m, " kernel_misc_reclaimable:%ld\n", ns[NR_KERNEL_MISC_RECLAIMABLE]);
	printk(m, " free:%lu free_pcp:%lu free_cma:%lu\n", global_zone_page_state(m, NR_FREE_PAGES),
	       free_pcp, global_zone_page_state(m, NR_FREE_CMA_PAGES));

	if (managed)
		printk(m, "Node %d active_anon:%lukB inactive_anon:%lukB active_file:%lukB "
		       "inactive_file:%lukB unevictable:%lukB isolated(anon):%lukB "
		       "isolated(file):%lukB mapped:%lukB dirty:%lukB writeback:%lukB shmem:%lukB "
		       "shmem_thp: %lukB shmem_pmdmapped: %lukB anon_thp: %lukB writeback_tmp:%lukB "
		       "kernel_stack:%ldkB pagetables:%lukB sec_pagetables:%lukB "
		       "all_unreclaimable? %s\n", m->node.node_id,
		       K(ns[NR_ACTIVE_ANON]), K(ns[NR_INACTIVE_ANON]), K(ns[NR_ACTIVE_FILE]),
		       K(ns[NR_INACTIVE_FILE]), K(ns[NR_UNEVICTABLE]), K(ns[NR_ISOLATED_ANON]),
		       K(ns[NR_ISOLATED_FILE]), K(ns[NR_FILE_MAPPED]), K(ns[NR_FILE_DIRTY]),
		       K(ns[NR_WRITEBACK]), K(ns[NR_SHMEM]), K(ns[NR_SHMEM_THPS]),
		       K(ns[NR_SHMEM_PMDMAPPED]), K(ns[NR_ANON_THPS]), K(ns[NR_WRITEBACK_TEMP]),
		       ns[NR_KERNEL_STACK_KB], K(ns[NR_PAGETABLE]), K(ns[NR_SECONDARY_PAGETABLE]),
		       m->node.kswapd_failures >= MAX_RECLAIM_RETRIES ? "yes" : "no");

	for_each_populated_zone(m, zone) {
		if ((int)zone->idx > max_zone_idx)
			continue;
		show_node(m);
		printk(m, KERN_CONT "%s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB "
		       "reserved_highatomic:%luKB active_anon:%lukB inactive_anon:%lukB "
		       "active_file:%lukB inactive_file:%lukB unevictable:%lukB writepending:%lukB "
		       "present:%lukB managed:%lukB mlocked:%lukB bounce:%lukB free_pcp:%lukB "
		       "local_pcp:%lukB free_cma:%lukB\n", zone->name,
		       K(zone_page_state(zone, NR_FREE_PAGES)), K(zone->watermark_boost),
		       K(min_wmark_pages(zone)), K(low_wmark_pages(zone)), K(high_wmark_pages(zone)),
		       K(zone->nr_reserved_highatomic), K(zone_page_state(zone, NR_ZONE_ACTIVE_ANON)),
		       K(zone_page_state(zone, NR_ZONE_INACTIVE_ANON)),
		       K(zone_page_state(zone, NR_ZONE_ACTIVE_FILE)),
		       K(zone_page_state(zone, NR_ZONE_INACTIVE_FILE)),
		       K(zone_page_state(zone, NR_ZONE_UNEVICTABLE)),
		       K(zone_page_state(zone, NR_ZONE_WRITE_PENDING)), K(zone->present_pages),
		       K(zone->managed_pages), K(zone_page_state(zone, NR_MLOCK)),
		       K(zone_page_state(zone, NR_BOUNCE)), K(zone_pcp_pages(m, zone, true)),
		       K(zone_pcp_pages(m, zone, false)), K(zone_page_state(zone, NR_FREE_CMA_PAGES)));
		printk(m, "lowmem_reserve[]:");
		for (int i = 0; i < __MAX_NR_ZONES; i++)
			if (m->node.node_zones[i].configured)
				printk(m, KERN_CONT " %ld", zone->lowmem_reserve[i]);
		printk(m, KERN_CONT "\n");
	}

	for_each_populated_zone(m, zone) {
		unsigned long nr[MAX_ORDER], total = 0;
		unsigned int types[MAX_ORDER];

		if ((int)zone->idx > max_zone_idx)
			continue;
		show_node(m);
		printk(m, KERN_CONT "%s: ", zone->name);
		/* Under zone->lock: a snapshot of the counts, then the printing. */
		for (unsigned int order = 0; order < MAX_ORDER; order++) {
			const struct free_area *area = &zone->free_area[order];
			nr[order] = area->nr_free;
			total += nr[order] << order;
			types[order] = 0;
			for (int type = 0; type < MIGRATE_TYPES; type++)
				if (!free_area_empty(area, type))
					types[order] |= 1u << type;
		}
		for (unsigned int order = 0; order < MAX_ORDER; order++) {
			printk(m, KERN_CONT "%lu*%lukB ", nr[order], K(1UL) << order);
			if (nr[order])
				show_migration_types(m, types[order]);
		}
		printk(m, KERN_CONT "= %lukB\n", K(total));
	}

	/* hugetlb_show_meminfo_node(): one pool, of PMD-sized pages, and it is empty. */
	printk(m, "Node %d hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=%lukB\n",
	       m->node.node_id, K(thp_nr_pages(m)));
	printk(m, "%ld total pagecache pages\n", ns[NR_FILE_PAGES]);
	/* show_swap_cache_info() */
	printk(m, "%ld pages in swap cache\n", ns[NR_SWAPCACHE]);
	printk(m, "Free swap  = %ldkB\n", get_nr_swap_pages(m) << (PAGE_SHIFT - 10));
	printk(m, "Total swap = %lukB\n", total_swap_pages(m) << (PAGE_SHIFT - 10));
}
#undef K
