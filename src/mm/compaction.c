/* compaction.c — memory compaction (mm/compaction.c): making free memory
 * contiguous again by moving movable pages out of the way.
 *
 * Fragmentation is the buddy allocator's weak point: after a while plenty
 * of memory is free, but in blocks too small for a high-order request.
 * Compaction runs two scanners over a zone. The migrate scanner walks up
 * from the zone's start, pageblock by pageblock, isolating in-use movable
 * pages (those on the LRU); the free scanner walks down from the zone's
 * end isolating free pages. The isolated pages are migrated into the free
 * ones (migrate.c), so that the low part of the zone empties while the
 * high part fills; when the scanners meet, the zone has been compacted.
 *
 * Who runs it, as in 6.1:
 *   - an allocation of order > 0 that fails its watermark compacts
 *     directly (__alloc_pages_direct_compact: first asynchronously, then
 *     after reclaim at rising priority), with the deferral that keeps a
 *     zone that failed from being tried on every allocation;
 *   - kcompactd, woken when kswapd has balanced a node for a high-order
 *     request and goes to sleep, compacts each zone until that order could
 *     be allocated (MIGRATE_SYNC_LIGHT);
 *   - writing /proc/sys/vm/compact_memory compacts every zone whole
 *     (MIGRATE_SYNC, order -1, ignoring the skip hints);
 *   - proactive compaction: every 500 ms of machine time kcompactd
 *     compares the node's fragmentation score with
 *     vm.compaction_proactiveness and compacts until it is low again.
 * Pageblocks a scan found nothing useful in are marked to be skipped until
 * a full run restarts, and each scanner's position is remembered per zone.
 *
 * Not modelled: fast_isolate_freepages() and fast_find_migrateblock(),
 * the searches of the free lists that 6.1 uses before the linear scans
 * for direct compaction of orders above PAGE_ALLOC_COSTLY_ORDER (they
 * only pick where the scanners start; order -1 runs never use them), and
 * page capture (compaction_capture: a page freed during direct compaction
 * goes straight to the waiting task instead of the free lists). */
#include <stdlib.h>

#include "kernel/sched.h"
#include "kernel/trace.h"
#include "mm/compaction.h"
#include "mm/internal.h"

#define HPAGE_FRAG_CHECK_INTERVAL_NS	(500ULL * 1000 * 1000)

struct compact_state {
	unsigned char *skip;		/* PB_migrate_skip, one byte per pageblock */
	bool kcompactd_woken;		/* on kcompactd_wait's wake list */
	int kcompactd_max_order;
	int kcompactd_highest_zoneidx;
	uint64_t next_proactive_ns;	/* when kcompactd's timeout next expires */
	bool in_kcompactd;
	bool kcompactd_started;		/* kcompactd_init() has run: there is a thread to wake */
};

/* pgdat->nr_zones - 1: the highest populated zone's index. */
static int top_zone_idx(struct machine *m)
{
	int top = 0;

	for_each_zone_idx(m, zone)
		if (populated_zone(zone))
			top = (int)zone->idx;
	return top;
}

/*
 * The skip hints live in the pageblock flags and the cached scanner
 * positions in struct zone: they exist as soon as the zones do, so a boot
 * allocation of a costly order can compact (a DMA zone fragmented by
 * memblock's reservations) long before kcompactd is started.
 */
int compaction_state_init(struct machine *m)
{
	struct compact_state *cs = calloc(1, sizeof(*cs));

	if (!cs)
		return -1;
	cs->skip = calloc((m->mem_map_pfns >> m->pageblock_order) + 1, 1);
	if (!cs->skip) {
		free(cs);
		return -1;
	}
	m->compact = cs;
	for_each_zone_idx(m, zone) {
		/* reset_cached_positions() before any run, and a clean deferral. */
		zone->compact_cached_migrate_pfn[0] = zone->compact_cached_migrate_pfn[1] =
			zone->compact_init_migrate_pfn = zone->zone_start_pfn;
		zone->compact_cached_free_pfn = zone->compact_init_free_pfn =
			ALIGN_DOWN(zone_end_pfn(zone) - 1, m->pageblock_nr_pages);
		zone->compact_order_failed = MAX_ORDER;
	}
	return 0;
}

void kcompactd_init(struct machine *m)
{
	struct compact_state *cs = m->compact;

	cs->kcompactd_highest_zoneidx = top_zone_idx(m);
	cs->next_proactive_ns = m->clock_ns + HPAGE_FRAG_CHECK_INTERVAL_NS;
	cs->kcompactd_started = true;
}

void compaction_release(struct machine *m)
{
	if (!m->compact)
		return;
	free(m->compact->skip);
	free(m->compact);
	m->compact = NULL;
}

/* ---- pageblock skip hints and cached scanner positions ----------------------------- */

static inline unsigned long pageblock_start_pfn(const struct machine *m, unsigned long pfn)
{
	return ALIGN_DOWN(pfn, m->pageblock_nr_pages);
}

static inline unsigned long pageblock_end_pfn(const struct machine *m, unsigned long pfn)
{
	return ALIGN_DOWN(pfn, m->pageblock_nr_pages) + m->pageblock_nr_pages;
}

static inline bool get_pageblock_skip(const struct machine *m, unsigned long pfn)
{
	return m->compact->skip[pfn >> m->pageblock_order];
}

static inline void set_pageblock_skip(struct machine *m, unsigned long pfn, bool skip)
{
	m->compact->skip[pfn >> m->pageblock_order] = skip;
}

static bool isolation_suitable(struct machine *m, const struct compact_control *cc,
			       unsigned long pfn)
{
	return cc->ignore_skip_hint || !get_pageblock_skip(m, pfn);
}

static void reset_cached_positions(struct machine *m, struct zone *zone)
{
	zone->compact_cached_migrate_pfn[0] = zone->compact_cached_migrate_pfn[1] =
		zone->zone_start_pfn;
	zone->compact_cached_free_pfn = pageblock_start_pfn(m, zone_end_pfn(zone) - 1);
}

/* __reset_isolation_suitable(): forget every skip hint of the zone. */
static void reset_isolation_suitable(struct machine *m, struct zone *zone)
{
	for (unsigned long pfn = pageblock_start_pfn(m, zone->zone_start_pfn); pfn < zone_end_pfn(zone);
	     pfn += m->pageblock_nr_pages)
		set_pageblock_skip(m, pfn, false);
	zone->compact_init_migrate_pfn = zone->zone_start_pfn;
	zone->compact_init_free_pfn = pageblock_start_pfn(m, zone_end_pfn(zone) - 1);
	zone->compact_blockskip_flush = false;
}

/* A pageblock a scanner found nothing in: skip it next time, and move the cached start past it. */
static void update_pageblock_skip(struct machine *m, struct compact_control *cc, unsigned long pfn)
{
	if (cc->no_set_skip_hint)
		return;
	set_pageblock_skip(m, pfn, true);
	if (pfn < cc->zone->compact_cached_free_pfn)
		cc->zone->compact_cached_free_pfn = pfn;
}

static void update_cached_migrate(struct machine *m, struct compact_control *cc, unsigned long pfn)
{
	struct zone *zone = cc->zone;

	(void)m;
	if (cc->no_set_skip_hint)
		return;
	if (pfn > zone->compact_cached_migrate_pfn[0])
		zone->compact_cached_migrate_pfn[0] = pfn;
	if (cc->mode != MIGRATE_ASYNC && pfn > zone->compact_cached_migrate_pfn[1])
		zone->compact_cached_migrate_pfn[1] = pfn;
}

/*
 * pageblock_pfn_to_page(): the first page of [start, end) if all of it is
 * memory of @zone (a block that straddles a hole or a zone boundary is
 * not scanned), else NULL.
 */
static struct page *pageblock_pfn_to_page(struct machine *m, unsigned long start,
					  unsigned long end, struct zone *zone)
{
	end--;
	if (!pfn_valid(m, start) || !pfn_valid(m, end))
		return NULL;
	struct page *first = pfn_to_page(m, start);
	if (page_zone(m, first) != zone || page_zone(m, pfn_to_page(m, end)) != zone)
		return NULL;
	return first;
}

/* ---- deferral: a zone that failed is not tried on every allocation --------------------- */

void defer_compaction(struct zone *zone, int order)
{
	zone->compact_considered = 0;
	zone->compact_defer_shift++;
	if (order < zone->compact_order_failed)
		zone->compact_order_failed = order;
	if (zone->compact_defer_shift > COMPACT_MAX_DEFER_SHIFT)
		zone->compact_defer_shift = COMPACT_MAX_DEFER_SHIFT;
}

bool compaction_deferred(struct zone *zone, int order)
{
	unsigned long defer_limit = 1UL << zone->compact_defer_shift;

	if (order < zone->compact_order_failed)
		return false;
	/* Avoid possible overflow */
	if (++zone->compact_considered >= defer_limit) {
		zone->compact_considered = (unsigned int)defer_limit;
		return false;
	}
	return true;
}

void compaction_defer_reset(struct zone *zone, int order, bool alloc_success)
{
	if (alloc_success) {
		zone->compact_considered = 0;
		zone->compact_defer_shift = 0;
	}
	if (order >= zone->compact_order_failed)
		zone->compact_order_failed = order + 1;
}

/* compaction_restarting(): a zone that failed as hard as it can is rescanned from scratch. */
static bool compaction_restarting(struct zone *zone, int order)
{
	if (order < zone->compact_order_failed)
		return false;
	return zone->compact_defer_shift == COMPACT_MAX_DEFER_SHIFT &&
	       zone->compact_considered >= 1U << zone->compact_defer_shift;
}

/* ---- the free scanner ---------------------------------------------------------------- */

static inline unsigned int buddy_order_unsafe(const struct page *page)
{
	return (unsigned int)page->private;
}

/*
 * isolate_freepages_block(): the free blocks of [*start_pfn, end_pfn),
 * looked at every @stride pages, onto @freelist (each head with its order
 * in ->private); stops once there are as many free pages as pages to
 * migrate, unless @strict (alloc_contig_range: every page must be free).
 */
static unsigned long isolate_freepages_block(struct machine *m, struct compact_control *cc,
					     unsigned long *start_pfn, unsigned long end_pfn,
					     struct list_head *freelist, unsigned int stride,
					     bool strict)
{
	unsigned long nr_scanned = 0, total_isolated = 0;
	unsigned long pfn = *start_pfn;

	if (strict)
		stride = 1;
	for (; pfn < end_pfn; pfn += stride) {
		struct page *page = pfn_to_page(m, pfn);
		nr_scanned++;
		if (PageCompound(page) && !PageBuddy(page)) {
			struct page *head = compound_head(page);
			unsigned int order = head->alloc_order > 0 ? (unsigned int)head->alloc_order : 0;
			unsigned long next = page_to_pfn(m, head) + (1UL << order);
			if (next <= end_pfn)
				pfn = next - stride;
			if (strict)
				break;
			continue;
		}
		if (!PageBuddy(page)) {
			if (strict)
				break;
			continue;
		}
		unsigned int order = buddy_order_unsafe(page);
		unsigned long isolated = __isolate_free_page(m, page, order);
		if (!isolated)
			break;
		page->private = order;
		nr_scanned += isolated - 1;
		total_isolated += isolated;
		cc->nr_freepages += (unsigned int)isolated;
		list_add_tail(&page->lru, freelist);
		if (!strict && cc->nr_migratepages <= cc->nr_freepages) {
			pfn += isolated;
			break;
		}
		pfn += isolated - stride;
	}
	if (pfn > end_pfn)
		pfn = end_pfn;
	*start_pfn = pfn;
	if (strict && pfn < end_pfn)
		total_isolated = 0;
	cc->total_free_scanned += nr_scanned;
	if (total_isolated)
		count_vm_events(m, COMPACTISOLATED, total_isolated);
	return total_isolated;
}

/* A pageblock the free scanner may take pages from (suitable_migration_target). */
static bool suitable_migration_target(struct machine *m, const struct compact_control *cc,
				      struct page *page)
{
	/* A free block this big is what compaction is trying to make: leave it. */
	if (PageBuddy(page) && buddy_order_unsafe(page) >= m->pageblock_order)
		return false;
	if (cc->ignore_block_suitable)
		return true;
	int mt = get_pageblock_migratetype(m, page_to_pfn(m, page));
	return mt == MIGRATE_MOVABLE || mt == MIGRATE_CMA;
}

/*
 * split_map_pages(): the isolated free blocks become allocated order-0
 * pages, each ready to be a migration target.
 */
static void split_map_pages(struct machine *m, struct list_head *list)
{
	struct list_head tmp;

	INIT_LIST_HEAD(&tmp);
	while (!list_empty(list)) {
		struct page *page = list_entry(list->next, struct page, lru);
		list_del(&page->lru);
		unsigned int order = (unsigned int)page->private;
		post_alloc_hook(m, page, order, __GFP_MOVABLE);
		if (order)
			split_page(m, page, order);
		for (unsigned int i = 0; i < (1U << order); i++)
			list_add_tail(&page[i].lru, &tmp);
	}
	list_splice(&tmp, list);
}

static void isolate_freepages(struct machine *m, struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	unsigned long isolate_start_pfn = cc->free_pfn;
	unsigned long block_start_pfn = pageblock_start_pfn(m, cc->free_pfn);
	unsigned long block_end_pfn = block_start_pfn + m->pageblock_nr_pages;
	unsigned long low_pfn = pageblock_end_pfn(m, cc->migrate_pfn);
	unsigned int stride = cc->mode == MIGRATE_ASYNC ? COMPACT_CLUSTER_MAX : 1;
	struct list_head freelist;

	INIT_LIST_HEAD(&freelist);
	if (block_end_pfn > zone_end_pfn(zone))
		block_end_pfn = zone_end_pfn(zone);
	for (; block_start_pfn >= low_pfn && block_start_pfn >= zone->zone_start_pfn;
	     block_end_pfn = block_start_pfn, block_start_pfn -= m->pageblock_nr_pages,
	     isolate_start_pfn = block_start_pfn) {
		struct page *page = pageblock_pfn_to_page(m, block_start_pfn, block_end_pfn, zone);
		if (!page)
			goto next;
		if (!suitable_migration_target(m, cc, page))
			goto next;
		if (!isolation_suitable(m, cc, block_start_pfn))
			goto next;
		unsigned long nr_isolated = isolate_freepages_block(m, cc, &isolate_start_pfn,
								    block_end_pfn, &freelist,
								    stride, false);
		if (isolate_start_pfn == block_end_pfn)
			update_pageblock_skip(m, cc, block_start_pfn);
		if (cc->nr_freepages >= cc->nr_migratepages) {
			/* Enough: next time, start from this block (or the one below, if it is done). */
			if (isolate_start_pfn >= block_end_pfn)
				isolate_start_pfn = block_start_pfn - m->pageblock_nr_pages;
			break;
		} else if (isolate_start_pfn < block_end_pfn) {
			break;	/* the watermark stopped it */
		}
		/* Blocks with free pages are looked at closely; empty ones ever more sparsely. */
		stride = nr_isolated ? 1 : (stride << 1 > COMPACT_CLUSTER_MAX ?
					    (unsigned int)COMPACT_CLUSTER_MAX : stride << 1);
		continue;
next:
		if (block_start_pfn < m->pageblock_nr_pages)
			break;
	}
	split_map_pages(m, &freelist);
	list_splice(&freelist, &cc->freepages);
	cc->free_pfn = isolate_start_pfn;
}

/* release_freepages(): the unused free pages go back; the highest pfn among them. */
static unsigned long release_freepages(struct machine *m, struct list_head *freelist)
{
	unsigned long high_pfn = 0;

	while (!list_empty(freelist)) {
		struct page *page = list_entry(freelist->next, struct page, lru);
		list_del(&page->lru);
		unsigned long pfn = page_to_pfn(m, page);
		if (pfn > high_pfn)
			high_pfn = pfn;
		__free_pages(m, page, 0);
	}
	return high_pfn;
}

unsigned long isolate_freepages_range(struct machine *m, struct compact_control *cc,
				      unsigned long start_pfn, unsigned long end_pfn)
{
	struct list_head freelist;
	unsigned long pfn = start_pfn, isolated = 0;

	INIT_LIST_HEAD(&freelist);
	for (; pfn < end_pfn; pfn += isolated) {
		/* A free block bigger than a pageblock moves the scan past the block it began in. */
		unsigned long block_start = pageblock_start_pfn(m, pfn);
		unsigned long block_end = pageblock_end_pfn(m, pfn), isolate_start = pfn;
		if (block_start < cc->zone->zone_start_pfn)
			block_start = cc->zone->zone_start_pfn;
		if (block_end > end_pfn)
			block_end = end_pfn;
		if (!pageblock_pfn_to_page(m, block_start, block_end, cc->zone))
			break;
		isolated = isolate_freepages_block(m, cc, &isolate_start, block_end, &freelist, 1, true);
		/* Strict: 0 when any page of the block is not free. */
		if (!isolated)
			break;
	}
	split_map_pages(m, &freelist);
	if (pfn < end_pfn) {
		release_freepages(m, &freelist);
		return 0;
	}
	return pfn;
}

/* compaction_alloc(): migrate_pages()'s new page — one the free scanner isolated. */
static struct page *compaction_alloc(struct machine *m, struct page *page, unsigned long data)
{
	struct compact_control *cc = (struct compact_control *)data;

	(void)page;
	if (list_empty(&cc->freepages)) {
		isolate_freepages(m, cc);
		if (list_empty(&cc->freepages))
			return NULL;
	}
	struct page *freepage = list_entry(cc->freepages.next, struct page, lru);
	list_del(&freepage->lru);
	cc->nr_freepages--;
	return freepage;
}

static void compaction_free(struct machine *m, struct page *page, unsigned long data)
{
	struct compact_control *cc = (struct compact_control *)data;

	(void)m;
	list_add(&page->lru, &cc->freepages);
	cc->nr_freepages++;
}

/* ---- the migrate scanner ------------------------------------------------------------ */

/*
 * isolate_migratepages_block(): the movable pages of [low_pfn, end_pfn)
 * onto cc->migratepages, until COMPACT_CLUSTER_MAX of them; returns the
 * pfn where the scan stopped. Free blocks are stepped over; compound
 * pages too, unless this is alloc_contig_range, which must empty its
 * range; a page held by more than its mappings (an anonymous page
 * pinned) would fail to migrate, so it is not taken.
 */
static unsigned long isolate_migratepages_block(struct machine *m, struct compact_control *cc,
						unsigned long low_pfn, unsigned long end_pfn)
{
	unsigned long nr_scanned = 0, nr_isolated = 0, start_pfn = low_pfn;

	for (; low_pfn < end_pfn; low_pfn++) {
		nr_scanned++;
		if (!pfn_valid(m, low_pfn))
			continue;
		struct page *page = pfn_to_page(m, low_pfn);
		if (PageBuddy(page)) {
			unsigned int order = buddy_order_unsafe(page);
			if (order > 0 && order < MAX_ORDER)
				low_pfn += (1UL << order) - 1;
			continue;
		}
		if (PageCompound(page) && !cc->alloc_contig) {
			struct page *head = compound_head(page);
			unsigned int order = head->alloc_order > 0 ? (unsigned int)head->alloc_order : 0;
			low_pfn = page_to_pfn(m, head) + (1UL << order) - 1;
			goto isolate_fail;
		}
		if (PageTail(page))
			goto isolate_fail;	/* alloc_contig: its head was taken, or cannot be */
		if (!PageLRU(page))
			goto isolate_fail;
		/*
		 * Migration would fail for an anonymous page held beyond its
		 * mappings (a huge page's count: all its PMD and PTE mappings).
		 */
		if (!page_mapping(page) && !PageSwapCache(page) &&
		    page_ref_count(page) > total_mapcount(m, page))
			goto isolate_fail;
		/*
		 * GFP_NOFS: only anonymous pages, which depend on no filesystem
		 * lock (not file or shmem pages, nor those in the swap cache:
		 * page_mapping() is the swap space's there).
		 */
		if (!(cc->gfp_mask & __GFP_FS) && (page_mapping(page) || PageSwapCache(page)))
			goto isolate_fail;
		if (PageUnevictable(page) && !cc->alloc_contig && !m->vm.compact_unevictable_allowed)
			goto isolate_fail;
		if (cc->mode == MIGRATE_ASYNC && PageWriteback(page))
			goto isolate_fail;
		if (!isolate_lru_page(m, page))
			goto isolate_fail;
		unsigned long nr = page_nr_pages(m, page);
		m->node.vm_stat[NR_ISOLATED_ANON + !PageSwapBacked(page)] += (long)nr;
		list_add(&page->lru, &cc->migratepages);
		cc->nr_migratepages += (unsigned int)nr;
		nr_isolated += nr;
		if (nr > 1)
			low_pfn += nr - 1;
		if (cc->nr_migratepages >= COMPACT_CLUSTER_MAX && !cc->rescan) {
			low_pfn++;
			break;
		}
		continue;
isolate_fail:;
	}
	/* A whole pageblock scanned and nothing taken: not worth scanning again soon. */
	if (low_pfn == end_pfn && !nr_isolated && !cc->alloc_contig &&
	    end_pfn - start_pfn == m->pageblock_nr_pages) {
		update_pageblock_skip(m, cc, start_pfn);
		update_cached_migrate(m, cc, end_pfn);
	}
	cc->total_migrate_scanned += nr_scanned;
	if (nr_isolated)
		count_vm_events(m, COMPACTISOLATED, nr_isolated);
	return low_pfn;
}

int isolate_migratepages_range(struct machine *m, struct compact_control *cc,
			       unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn = start_pfn;

	cc->migrate_pfn = start_pfn;
	while (pfn < end_pfn) {
		unsigned long block_start = pageblock_start_pfn(m, pfn);
		unsigned long block_end = pageblock_end_pfn(m, pfn);
		if (block_start < cc->zone->zone_start_pfn)
			block_start = cc->zone->zone_start_pfn;
		if (block_end > end_pfn)
			block_end = end_pfn;
		if (!pageblock_pfn_to_page(m, block_start, block_end, cc->zone)) {
			pfn = block_end;
			cc->migrate_pfn = pfn;
			continue;
		}
		pfn = isolate_migratepages_block(m, cc, pfn, block_end);
		cc->migrate_pfn = pfn;
		if (cc->nr_migratepages >= COMPACT_CLUSTER_MAX)
			break;
	}
	return 0;
}

/* A pageblock the migrate scanner takes pages from (suitable_migration_source). */
static bool suitable_migration_source(struct machine *m, const struct compact_control *cc,
				      unsigned long pfn)
{
	if (cc->mode != MIGRATE_ASYNC || !cc->direct_compaction)
		return true;
	int mt = get_pageblock_migratetype(m, pfn);
	if (cc->migratetype == MIGRATE_MOVABLE)
		return mt == MIGRATE_MOVABLE || mt == MIGRATE_CMA;
	return mt == cc->migratetype;
}

enum isolate_migrate_t { ISOLATE_ABORT, ISOLATE_NONE, ISOLATE_SUCCESS };

/* isolate_migratepages(): the next pageblock with pages to migrate, from cc->migrate_pfn up. */
static enum isolate_migrate_t isolate_migratepages(struct machine *m, struct compact_control *cc)
{
	unsigned long low_pfn = cc->migrate_pfn;
	unsigned long block_start_pfn = pageblock_start_pfn(m, low_pfn);
	unsigned long block_end_pfn;

	if (block_start_pfn < cc->zone->zone_start_pfn)
		block_start_pfn = cc->zone->zone_start_pfn;
	block_end_pfn = pageblock_end_pfn(m, low_pfn);
	for (; block_end_pfn <= cc->free_pfn;
	     low_pfn = block_end_pfn, block_start_pfn = block_end_pfn,
	     block_end_pfn += m->pageblock_nr_pages) {
		struct page *page = pageblock_pfn_to_page(m, block_start_pfn, block_end_pfn, cc->zone);
		if (!page)
			continue;
		if (!isolation_suitable(m, cc, block_start_pfn))
			continue;
		if (!suitable_migration_source(m, cc, block_start_pfn)) {
			update_cached_migrate(m, cc, block_end_pfn);
			continue;
		}
		low_pfn = isolate_migratepages_block(m, cc, low_pfn, block_end_pfn);
		break;
	}
	cc->migrate_pfn = low_pfn;
	return cc->nr_migratepages ? ISOLATE_SUCCESS : ISOLATE_NONE;
}

/* ---- when a run is done -------------------------------------------------------------- */

static inline bool is_via_compact_memory(int order)
{
	return order == -1;
}

static inline bool compact_scanners_met(const struct machine *m, const struct compact_control *cc)
{
	return (cc->free_pfn >> m->pageblock_order) <= (cc->migrate_pfn >> m->pageblock_order);
}

/*
 * fragmentation_score_zone_weighted(): how fragmented a zone is — the
 * share of its free memory in blocks smaller than a huge page
 * (extfrag_for_order at COMPACTION_HPAGE_ORDER) — weighted by the zone's
 * share of the node.
 */
static unsigned int fragmentation_score_zone_weighted(struct machine *m, struct zone *zone)
{
	unsigned long free = 0, suitable = 0;
	unsigned int order = m->pageblock_order;	/* COMPACTION_HPAGE_ORDER */

	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		free += zone->free_area[o].nr_free << o;
		if (o >= order)
			suitable += zone->free_area[o].nr_free << (o - order);
	}
	unsigned long score = free ? (free - (suitable << order)) * 100 / free : 0;
	return (unsigned int)(score * zone->present_pages / (m->node.node_present_pages + 1));
}

unsigned int fragmentation_score_node(struct machine *m)
{
	unsigned int score = 0;

	for_each_zone_idx(m, zone)
		if (populated_zone(zone))
			score += fragmentation_score_zone_weighted(m, zone);
	return score;
}

/* fragmentation_score_wmark(): proactive compaction starts above high, stops below low. */
static unsigned int fragmentation_score_wmark(struct machine *m, bool low)
{
	unsigned int wmark_low = 100 - (unsigned int)m->vm.compaction_proactiveness;

	if (wmark_low < 5)
		wmark_low = 5;
	return low ? wmark_low : (wmark_low + 10 < 100 ? wmark_low + 10 : 100);
}

static enum compact_result __compact_finished(struct machine *m, struct compact_control *cc)
{
	if (cc->contended)
		return COMPACT_CONTENDED;
	if (compact_scanners_met(m, cc)) {
		reset_cached_positions(m, cc->zone);
		/* Direct compaction's skip hints are cleared when kswapd next sleeps. */
		if (cc->direct_compaction)
			cc->zone->compact_blockskip_flush = true;
		return cc->whole_zone ? COMPACT_COMPLETE : COMPACT_PARTIAL_SKIPPED;
	}
	if (cc->proactive_compaction) {
		if (m->reclaim && !m->reclaim->kswapd_sleeping)
			return COMPACT_PARTIAL_SKIPPED;
		return fragmentation_score_zone_weighted(m, cc->zone) > fragmentation_score_wmark(m, true)
			? COMPACT_CONTINUE : COMPACT_SUCCESS;
	}
	if (is_via_compact_memory(cc->order))
		return COMPACT_CONTINUE;
	/* Always finish a pageblock: fewer fallbacks later. */
	if (cc->migrate_pfn & (m->pageblock_nr_pages - 1))
		return COMPACT_CONTINUE;
	for (int order = cc->order; order < MAX_ORDER; order++) {
		struct free_area *area = &cc->zone->free_area[order];
		bool can_steal;
		if (!list_empty(&area->free_list[cc->migratetype]))
			return COMPACT_SUCCESS;
		/* (Without CONFIG_CMA there are no CMA pageblocks, and this list stays empty.) */
		if (cc->migratetype == MIGRATE_MOVABLE && !list_empty(&area->free_list[MIGRATE_CMA]))
			return COMPACT_SUCCESS;
		if (compaction_find_fallback(m, area, (unsigned int)order, cc->migratetype,
					     &can_steal) != -1 && can_steal) {
			if (cc->migratetype == MIGRATE_MOVABLE)
				return COMPACT_SUCCESS;
			/* An unmovable request is better served by finishing this block. */
			if (cc->mode == MIGRATE_ASYNC ||
			    pageblock_start_pfn(m, cc->migrate_pfn) == cc->zone->zone_start_pfn)
				return COMPACT_SUCCESS;
			return COMPACT_CONTINUE;
		}
	}
	return COMPACT_NO_SUITABLE_PAGE;
}

static enum compact_result compact_finished(struct machine *m, struct compact_control *cc)
{
	enum compact_result ret = __compact_finished(m, cc);

	return ret == COMPACT_NO_SUITABLE_PAGE ? COMPACT_CONTINUE : ret;
}

/*
 * __compaction_suitable(): COMPACT_SUCCESS if the allocation would succeed
 * already, COMPACT_SKIPPED if there are too few free pages for the
 * migrated pages to land in (compact_gap: twice the request), else go on.
 */
static enum compact_result __compaction_suitable(const struct zone *zone, int order,
						 unsigned int alloc_flags, int highest_zoneidx,
						 long wmark_target)
{
	if (is_via_compact_memory(order))
		return COMPACT_CONTINUE;
	unsigned long watermark = zone->_watermark[alloc_flags & ALLOC_WMARK_MASK] +
				  zone->watermark_boost;
	if (zone_watermark_ok(zone, (unsigned int)order, watermark, highest_zoneidx, alloc_flags))
		return COMPACT_SUCCESS;
	watermark = order > PAGE_ALLOC_COSTLY_ORDER ? low_wmark_pages(zone) : min_wmark_pages(zone);
	watermark += 2UL << order;
	if (!zone_watermark_ok_free(zone, 0, watermark, highest_zoneidx, ALLOC_CMA, wmark_target))
		return COMPACT_SKIPPED;
	return COMPACT_CONTINUE;
}

enum compact_result compaction_suitable(struct machine *m, struct zone *zone, int order,
					unsigned int alloc_flags, int highest_zoneidx)
{
	enum compact_result ret = __compaction_suitable(zone, order, alloc_flags, highest_zoneidx,
							zone->vm_stat[NR_FREE_PAGES]);
	/*
	 * A costly request failing with little fragmentation (index at or
	 * below vm.extfrag_threshold) fails for lack of memory: reclaim, do
	 * not compact.
	 */
	if (ret == COMPACT_CONTINUE && order > PAGE_ALLOC_COSTLY_ORDER) {
		int fragindex = fragmentation_index(zone, (unsigned int)order);
		if (fragindex >= 0 && fragindex <= m->vm.extfrag_threshold)
			ret = COMPACT_NOT_SUITABLE_ZONE;
	}
	return ret;
}

bool compaction_zonelist_suitable(struct machine *m, unsigned int order, unsigned int alloc_flags,
				  int highest_zoneidx)
{
	for (const struct zoneref *z = m->node.node_zonelist._zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		if (z->zone_idx > highest_zoneidx)
			continue;
		/* Would what reclaim can free make the zone suitable? */
		long available = (long)zone_reclaimable_pages(m, zone) + zone->vm_stat[NR_FREE_PAGES];
		if (__compaction_suitable(zone, (int)order, alloc_flags, highest_zoneidx, available) ==
		    COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/* ---- one run over one zone ------------------------------------------------------------ */

/* include/trace/events/compaction.h's names of the results, for mm_compaction_end. */
static const char *const compaction_status_string[] = {
	[COMPACT_NOT_SUITABLE_ZONE] = "not_suitable_zone", [COMPACT_SKIPPED] = "skipped",
	[COMPACT_DEFERRED] = "deferred", [COMPACT_NO_SUITABLE_PAGE] = "no_suitable_page",
	[COMPACT_CONTINUE] = "continue", [COMPACT_COMPLETE] = "complete",
	[COMPACT_PARTIAL_SKIPPED] = "partial_skipped", [COMPACT_CONTENDED] = "contended",
	[COMPACT_SUCCESS] = "success",
};

static enum compact_result compact_zone(struct machine *m, struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	unsigned long start_pfn = zone->zone_start_pfn, end_pfn = zone_end_pfn(zone);
	enum compact_result ret;
	unsigned long last_migrated_pfn = 0;

	INIT_LIST_HEAD(&cc->freepages);
	INIT_LIST_HEAD(&cc->migratepages);
	cc->total_migrate_scanned = cc->total_free_scanned = 0;
	cc->nr_migratepages = cc->nr_freepages = 0;
	cc->migratetype = gfp_migratetype(cc->gfp_mask);
	if (!is_via_compact_memory(cc->order)) {
		ret = compaction_suitable(m, zone, cc->order, cc->alloc_flags, cc->highest_zoneidx);
		if (ret == COMPACT_SUCCESS || ret == COMPACT_SKIPPED)
			return ret;
	}
	if (compaction_restarting(zone, cc->order))
		reset_isolation_suitable(m, zone);
	bool sync = cc->mode != MIGRATE_ASYNC;
	if (cc->whole_zone) {
		cc->migrate_pfn = start_pfn;
		cc->free_pfn = pageblock_start_pfn(m, end_pfn - 1);
	} else {
		cc->migrate_pfn = zone->compact_cached_migrate_pfn[sync];
		cc->free_pfn = zone->compact_cached_free_pfn;
		if (cc->free_pfn < start_pfn || cc->free_pfn >= end_pfn) {
			cc->free_pfn = pageblock_start_pfn(m, end_pfn - 1);
			zone->compact_cached_free_pfn = cc->free_pfn;
		}
		if (cc->migrate_pfn < start_pfn || cc->migrate_pfn >= end_pfn) {
			cc->migrate_pfn = start_pfn;
			zone->compact_cached_migrate_pfn[0] = zone->compact_cached_migrate_pfn[1] =
				cc->migrate_pfn;
		}
		if (cc->migrate_pfn <= zone->compact_init_migrate_pfn)
			cc->whole_zone = true;
	}
	trace_mm_compaction_begin(m, start_pfn, cc->migrate_pfn, cc->free_pfn, end_pfn, sync);
	/* Pages in the per-CPU LRU batches are on no list: put them there first. */
	lru_add_drain(m);
	while ((ret = compact_finished(m, cc)) == COMPACT_CONTINUE) {
		unsigned long iteration_start_pfn = cc->migrate_pfn;
		unsigned int nr_succeeded = 0;
		cc->rescan = last_migrated_pfn &&
			     pageblock_start_pfn(m, last_migrated_pfn) ==
				     pageblock_start_pfn(m, iteration_start_pfn);
		switch (isolate_migratepages(m, cc)) {
		case ISOLATE_ABORT:
			ret = COMPACT_CONTENDED;
			putback_movable_pages(m, &cc->migratepages);
			cc->nr_migratepages = 0;
			goto out;
		case ISOLATE_NONE:
			continue;
		case ISOLATE_SUCCESS:
			last_migrated_pfn = iteration_start_pfn;
			break;
		}
		int err = migrate_pages(m, &cc->migratepages, compaction_alloc, compaction_free,
					(unsigned long)cc, cc->mode, MR_COMPACTION, &nr_succeeded);
		cc->nr_migratepages = 0;
		if (err) {
			putback_movable_pages(m, &cc->migratepages);
			/* No free page to migrate into although the scanners have not met: give up. */
			if (err == -MMSIM_ENOMEM && !compact_scanners_met(m, cc)) {
				ret = COMPACT_CONTENDED;
				goto out;
			}
			/* Async direct compaction moves on past a block it could not empty. */
			if (cc->direct_compaction && cc->mode == MIGRATE_ASYNC) {
				unsigned long block = cc->order > 0 ? 1UL << cc->order : 1;
				cc->migrate_pfn = ALIGN_DOWN(cc->migrate_pfn - 1, block) + block;
				last_migrated_pfn = 0;
			}
		}
		/* Free pages left on the per-CPU lists keep the block from merging: drain them. */
		if (cc->order > 0 && last_migrated_pfn) {
			unsigned long block = 1UL << cc->order;
			if (last_migrated_pfn < ALIGN_DOWN(cc->migrate_pfn, block)) {
				drain_all_pages(m);
				last_migrated_pfn = 0;
			}
		}
	}
out:
	if (cc->nr_freepages > 0) {
		unsigned long free_pfn = pageblock_start_pfn(m, release_freepages(m, &cc->freepages));
		cc->nr_freepages = 0;
		/* The free scanner's blocks above it may still hold free pages: start there next. */
		if (free_pfn > zone->compact_cached_free_pfn)
			zone->compact_cached_free_pfn = free_pfn;
	}
	count_vm_events(m, COMPACTMIGRATE_SCANNED, cc->total_migrate_scanned);
	count_vm_events(m, COMPACTFREE_SCANNED, cc->total_free_scanned);
	trace_mm_compaction_end(m, start_pfn, cc->migrate_pfn, cc->free_pfn, end_pfn, sync,
				compaction_status_string[ret]);
	return ret;
}

static enum compact_result compact_zone_order(struct machine *m, struct zone *zone, int order,
					      gfp_t gfp_mask, enum compact_priority prio,
					      unsigned int alloc_flags, int highest_zoneidx)
{
	struct compact_control cc = {
		.order = order,
		.gfp_mask = gfp_mask,
		.zone = zone,
		.mode = prio == COMPACT_PRIO_ASYNC ? MIGRATE_ASYNC : MIGRATE_SYNC_LIGHT,
		.alloc_flags = alloc_flags,
		.highest_zoneidx = highest_zoneidx,
		.direct_compaction = true,
		.whole_zone = prio == MIN_COMPACT_PRIORITY,
		.ignore_skip_hint = prio == MIN_COMPACT_PRIORITY,
		.ignore_block_suitable = prio == MIN_COMPACT_PRIORITY,
	};

	return compact_zone(m, &cc);
}

enum compact_result try_to_compact_pages(struct machine *m, gfp_t gfp_mask, unsigned int order,
					 unsigned int alloc_flags, int highest_zoneidx,
					 enum compact_priority prio)
{
	enum compact_result rc = COMPACT_SKIPPED;

	/*
	 * GFP_NOIO may not compact: migration may need I/O. GFP_NOFS may, but
	 * migrates only pages no filesystem lock guards (isolate_migratepages).
	 */
	if (!(gfp_mask & __GFP_IO))
		return rc;
	for (const struct zoneref *z = m->node.node_zonelist._zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		if (z->zone_idx > highest_zoneidx)
			continue;
		if (prio > MIN_COMPACT_PRIORITY && compaction_deferred(zone, (int)order)) {
			if (rc < COMPACT_DEFERRED)
				rc = COMPACT_DEFERRED;
			continue;
		}
		enum compact_result status = compact_zone_order(m, zone, (int)order, gfp_mask, prio,
								alloc_flags, highest_zoneidx);
		if (status > rc)
			rc = status;
		if (status == COMPACT_SUCCESS) {
			/* The caller will allocate; a success resets the deferral then. */
			compaction_defer_reset(zone, (int)order, false);
			break;
		}
		if (prio != COMPACT_PRIO_ASYNC && (status == COMPACT_COMPLETE ||
						   status == COMPACT_PARTIAL_SKIPPED))
			defer_compaction(zone, (int)order);
	}
	return rc;
}

/* ---- compact_memory, kcompactd and proactive compaction ------------------------------- */

static void compact_node_zones(struct machine *m, bool proactive)
{
	for_each_zone_idx(m, zone) {
		if (!populated_zone(zone))
			continue;
		struct compact_control cc = {
			.order = -1,
			.zone = zone,
			.mode = proactive ? MIGRATE_SYNC_LIGHT : MIGRATE_SYNC,
			.ignore_skip_hint = true,
			.whole_zone = true,
			.gfp_mask = GFP_KERNEL,
			.proactive_compaction = proactive,
		};
		compact_zone(m, &cc);
		if (proactive) {
			count_vm_events(m, KCOMPACTD_MIGRATE_SCANNED, cc.total_migrate_scanned);
			count_vm_events(m, KCOMPACTD_FREE_SCANNED, cc.total_free_scanned);
		}
	}
}

void compact_nodes(struct machine *m)
{
	lru_add_drain_all(m);
	compact_node_zones(m, false);
}

void wakeup_kcompactd(struct machine *m, int order, int highest_zoneidx)
{
	struct compact_state *cs = m->compact;

	if (!order || !cs->kcompactd_started)
		return;		/* no kcompactd yet: no sleeper on kcompactd_wait */
	if (cs->kcompactd_max_order < order)
		cs->kcompactd_max_order = order;
	if (cs->kcompactd_highest_zoneidx > highest_zoneidx)
		cs->kcompactd_highest_zoneidx = highest_zoneidx;
	/* kcompactd_node_suitable(): only if some zone could be compacted for it. */
	for_each_zone_idx(m, zone) {
		if (!populated_zone(zone) || (int)zone->idx > cs->kcompactd_highest_zoneidx)
			continue;
		if (compaction_suitable(m, zone, cs->kcompactd_max_order, ALLOC_WMARK_MIN,
					cs->kcompactd_highest_zoneidx) == COMPACT_CONTINUE) {
			cs->kcompactd_woken = true;
			return;
		}
	}
}

/* reset_isolation_suitable(): kswapd going to sleep clears direct compaction's skip hints. */
void compaction_kswapd_sleeps(struct machine *m)
{
	for_each_zone_idx(m, zone)
		if (populated_zone(zone) && zone->compact_blockskip_flush)
			reset_isolation_suitable(m, zone);
}

/* kcompactd_do_work(): each zone until the order kswapd balanced for could be allocated. */
static void kcompactd_do_work(struct machine *m)
{
	struct compact_state *cs = m->compact;
	int order = cs->kcompactd_max_order, highest = cs->kcompactd_highest_zoneidx;

	count_vm_event(m, KCOMPACTD_WAKE);
	for_each_zone_idx(m, zone) {
		if ((int)zone->idx > highest || !populated_zone(zone))
			continue;
		if (compaction_deferred(zone, order))
			continue;
		if (compaction_suitable(m, zone, order, ALLOC_WMARK_MIN, (int)zone->idx) !=
		    COMPACT_CONTINUE)
			continue;
		struct compact_control cc = {
			.order = order,
			.zone = zone,
			.mode = MIGRATE_SYNC_LIGHT,
			.ignore_skip_hint = false,
			.gfp_mask = GFP_KERNEL,
			.highest_zoneidx = highest,
		};
		enum compact_result status = compact_zone(m, &cc);
		if (status == COMPACT_SUCCESS)
			compaction_defer_reset(zone, order, false);
		else if (status == COMPACT_PARTIAL_SKIPPED || status == COMPACT_COMPLETE) {
			drain_all_pages(m);
			defer_compaction(zone, order);
		}
		count_vm_events(m, KCOMPACTD_MIGRATE_SCANNED, cc.total_migrate_scanned);
		count_vm_events(m, KCOMPACTD_FREE_SCANNED, cc.total_free_scanned);
	}
	/* Orders at or below what was done are satisfied; what a later wakeup asked for stays. */
	if (cs->kcompactd_max_order <= order)
		cs->kcompactd_max_order = 0;
	if (cs->kcompactd_highest_zoneidx >= highest)
		cs->kcompactd_highest_zoneidx = top_zone_idx(m);
}

void kcompactd_trigger_proactive(struct machine *m)
{
	m->compact->next_proactive_ns = m->clock_ns;
}

/*
 * kcompactd(): run at the points kswapd runs (the end of a fault, a
 * return to user mode, the end of each command). Woken work first; else,
 * when its 500 ms timeout of machine time has passed, the proactive
 * check: while kswapd sleeps and the fragmentation score is above the
 * high mark vm.compaction_proactiveness sets, compact every zone; if
 * that did not lower the score, wait 64 times as long before the next.
 */
void kcompactd_run_pending(struct machine *m)
{
	struct compact_state *cs = m->compact;

	if (!cs->kcompactd_started || cs->in_kcompactd)
		return;
	struct task_struct *t = get_current(m);
	if ((t->flags & PF_MEMALLOC) || t->preempt_count > 0)
		return;
	cs->in_kcompactd = true;
	if (cs->kcompactd_woken) {
		cs->kcompactd_woken = false;
		kcompactd_do_work(m);
		cs->next_proactive_ns = m->clock_ns + HPAGE_FRAG_CHECK_INTERVAL_NS;
	} else if (m->vm.compaction_proactiveness && m->clock_ns >= cs->next_proactive_ns) {
		cs->next_proactive_ns = m->clock_ns + HPAGE_FRAG_CHECK_INTERVAL_NS;
		bool kswapd_running = m->reclaim && !m->reclaim->kswapd_sleeping;
		unsigned int prev = fragmentation_score_node(m);
		if (!kswapd_running && prev > fragmentation_score_wmark(m, false)) {
			compact_node_zones(m, true);
			if (fragmentation_score_node(m) >= prev)
				cs->next_proactive_ns = m->clock_ns +
					(HPAGE_FRAG_CHECK_INTERVAL_NS << COMPACT_MAX_DEFER_SHIFT);
		}
	}
	cs->in_kcompactd = false;
}
