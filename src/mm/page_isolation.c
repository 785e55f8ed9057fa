/* page_isolation.c — taking pageblocks out of the allocator's reach
 * (mm/page_isolation.c of 6.1).
 *
 * A pageblock marked MIGRATE_ISOLATE keeps its free pages on the isolate
 * lists, uncounted in NR_FREE_PAGES, and a page freed there goes straight
 * to them, never to a pcp list: nothing in it can be handed out while
 * alloc_contig_range() empties it. Isolation refuses a pageblock that
 * holds pages which could not be moved out (has_unmovable_pages); a CMA
 * pageblock isolated for CMA is never refused — what is allocated in it is
 * movable by construction. The two pageblocks at the ends of a range get
 * extra care: a free block or a compound page reaching across the range's
 * edge would otherwise be half in, half out (isolate_single_pageblock).
 *
 * Locking: zone->lock in the kernel, around each pageblock's change. */
#include "mm/internal.h"

/* __first_valid_page(): the first page of [pfn, pfn + nr_pages) that exists, or NULL. */
static struct page *__first_valid_page(struct machine *m, unsigned long pfn, unsigned long nr_pages)
{
	for (unsigned long i = 0; i < nr_pages; i++)
		if (pfn_valid(m, pfn + i))
			return pfn_to_page(m, pfn + i);
	return NULL;
}

/*
 * has_unmovable_pages(): a page of [start_pfn, end_pfn) — one pageblock —
 * that could not be migrated away, or NULL. Reserved pages (boot
 * allocations, holes) never move; compound pages move when their head is
 * on the LRU; free pages are no obstacle; any other page in use moves only
 * if it is an LRU page (slab, page tables, kernel allocations do not).
 * Everything in ZONE_MOVABLE but reserved pages counts as movable.
 */
static struct page *has_unmovable_pages(struct machine *m, unsigned long start_pfn,
					unsigned long end_pfn, int migratetype, int flags)
{
	struct page *page = pfn_to_page(m, start_pfn);
	struct zone *zone = page_zone(m, page);

	(void)flags;
	if (get_pageblock_migratetype(m, start_pfn) == MIGRATE_CMA) {
		/*
		 * alloc_contig_range() for CMA must isolate CMA pageblocks even
		 * where they hold unmovable pages: count them movable then.
		 */
		return migratetype == MIGRATE_CMA ? NULL : page;
	}
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn++) {
		page = pfn_to_page(m, pfn);
		if (PageReserved(page))
			return page;
		if (zone->idx == ZONE_MOVABLE)
			continue;
		if (PageTransCompound(page)) {
			struct page *head = compound_head(page);
			if (!PageLRU(head))
				return page;
			pfn += page_nr_pages(m, head) - (unsigned long)(page - head) - 1;
			continue;
		}
		if (!page_ref_count(page)) {
			if (PageBuddy(page))
				pfn += (1UL << page->private) - 1;
			continue;
		}
		if (PageLRU(page))
			continue;
		return page;
	}
	return NULL;
}

/*
 * set_migratetype_isolate(): isolate @page's pageblock unless it holds an
 * unmovable page within [start_pfn, end_pfn); its free pages move to the
 * isolate lists and leave NR_FREE_PAGES. -EBUSY if it is already isolated
 * or cannot be; with REPORT_FAILURE the culprit is dumped.
 */
static int set_migratetype_isolate(struct machine *m, struct page *page, int migratetype,
				   int isol_flags, unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn = page_to_pfn(m, page);
	unsigned long block_end = ALIGN_DOWN(pfn, m->pageblock_nr_pages) + m->pageblock_nr_pages;
	struct zone *zone = page_zone(m, page);

	/* zone->lock */
	if (get_pageblock_migratetype(m, pfn) == MIGRATE_ISOLATE)
		return -MMSIM_EBUSY;
	/* Check only where the range and this pageblock meet. */
	unsigned long check_start = pfn > start_pfn ? pfn : start_pfn;
	unsigned long check_end = block_end < end_pfn ? block_end : end_pfn;
	struct page *unmovable = has_unmovable_pages(m, check_start, check_end, migratetype,
						     isol_flags);
	if (!unmovable) {
		int mt = get_pageblock_migratetype(m, pfn);
		set_pageblock_migratetype(m, pfn, MIGRATE_ISOLATE);
		zone->nr_isolate_pageblock++;
		int nr_pages = move_freepages_block(m, zone, pfn, MIGRATE_ISOLATE, NULL);
		__mod_zone_freepage_state(zone, -nr_pages, mt);
		return 0;
	}
	/* Out of zone->lock: printk under it would be a lockdep splat. */
	if (isol_flags & REPORT_FAILURE)
		dump_page(m, unmovable, "unmovable page");
	return -MMSIM_EBUSY;
}

/*
 * unset_migratetype_isolate(): the pageblock returns to @migratetype with
 * its free pages counted again. A free block of pageblock order or more
 * could not merge with its buddy while isolated: it is taken off and freed
 * anew, so that it merges now.
 */
static void unset_migratetype_isolate(struct machine *m, struct page *page, int migratetype)
{
	unsigned long pfn = page_to_pfn(m, page);
	struct zone *zone = page_zone(m, page);
	bool isolated_page = false;
	unsigned int order = 0;

	/* zone->lock */
	if (get_pageblock_migratetype(m, pfn) != MIGRATE_ISOLATE)
		return;
	if (PageBuddy(page)) {
		order = (unsigned int)page->private;
		if (order >= m->pageblock_order && order < MAX_ORDER - 1) {
			unsigned long buddy_pfn;
			struct page *buddy = find_buddy_page_pfn(m, pfn, order, &buddy_pfn);
			if (buddy && get_pageblock_migratetype(m, buddy_pfn) != MIGRATE_ISOLATE)
				isolated_page = __isolate_free_page(m, page, order) != 0;
		}
	}
	/*
	 * Otherwise move the free pages back by hand; they go to the tails of
	 * the lists (move_to_free_list), not used first.
	 */
	if (!isolated_page) {
		int nr_pages = move_freepages_block(m, zone, pfn, migratetype, NULL);
		__mod_zone_freepage_state(zone, nr_pages, migratetype);
	}
	set_pageblock_migratetype(m, pfn, migratetype);
	if (isolated_page)
		__putback_isolated_page(m, page, order, migratetype);
	zone->nr_isolate_pageblock--;
}

/*
 * isolate_single_pageblock(): isolate the pageblock just after
 * @boundary_pfn (or just before, @isolate_before), and make sure no free
 * block or compound page reaches across the boundary from below: a free
 * block is split there; a compound page across it fails the isolation
 * (6.1 migrates it first; mm/migrate.c does not move huge pages yet, and
 * with pageblocks of THP size none crosses one anyway).
 */
static int isolate_single_pageblock(struct machine *m, unsigned long boundary_pfn, int flags,
				    bool isolate_before, bool skip_isolation)
{
	unsigned long isolate_pageblock = isolate_before ? boundary_pfn - m->pageblock_nr_pages
							 : boundary_pfn;
	struct zone *zone = page_zone(m, pfn_to_page(m, isolate_pageblock));
	unsigned long start_pfn = ALIGN_DOWN(isolate_pageblock, MAX_ORDER_NR_PAGES);
	int saved_mt = get_pageblock_migratetype(m, isolate_pageblock);

	/* Scan from the MAX_ORDER-aligned start, so any block over the boundary begins in range. */
	if (start_pfn < zone->zone_start_pfn)
		start_pfn = zone->zone_start_pfn;
	if (!skip_isolation) {
		int ret = set_migratetype_isolate(m, pfn_to_page(m, isolate_pageblock), saved_mt, flags,
						  isolate_pageblock,
						  isolate_pageblock + m->pageblock_nr_pages);
		if (ret)
			return ret;
	}
	/* Nothing reaches across a boundary that has no memory on its far side. */
	if (isolate_before ? !pfn_valid(m, boundary_pfn) || boundary_pfn >= m->mem_map_pfns
			   : !boundary_pfn || !pfn_valid(m, boundary_pfn - 1))
		return 0;
	for (unsigned long pfn = start_pfn; pfn < boundary_pfn;) {
		struct page *page = __first_valid_page(m, pfn, boundary_pfn - pfn);
		if (!page)
			break;
		pfn = page_to_pfn(m, page);
		if (PageBuddy(page)) {
			unsigned int order = (unsigned int)page->private;
			/* A free block over the boundary: split it there, and look again. */
			if (pfn + (1UL << order) > boundary_pfn &&
			    !split_free_page(m, page, order, boundary_pfn - pfn))
				continue;
			pfn += 1UL << order;
			continue;
		}
		if (PageCompound(page)) {
			struct page *head = compound_head(page);
			unsigned long head_pfn = page_to_pfn(m, head);
			unsigned long nr_pages = page_nr_pages(m, head);
			if (head_pfn + nr_pages <= boundary_pfn) {
				pfn = head_pfn + nr_pages;
				continue;
			}
			/* Across the boundary: only migrating it could clear it. */
			goto failed;
		}
		pfn++;
	}
	return 0;
failed:
	if (!skip_isolation)
		unset_migratetype_isolate(m, pfn_to_page(m, isolate_pageblock), saved_mt);
	return -MMSIM_EBUSY;
}

int start_isolate_page_range(struct machine *m, unsigned long start_pfn, unsigned long end_pfn,
			     int migratetype, int flags, gfp_t gfp)
{
	unsigned long isolate_start = ALIGN_DOWN(start_pfn, m->pageblock_nr_pages);
	unsigned long isolate_end = ALIGN_UP(end_pfn, m->pageblock_nr_pages);
	bool skip_isolation = false;
	int ret;

	(void)gfp;	/* for migrating compound pages over the edges, which is not done */
	ret = isolate_single_pageblock(m, isolate_start, flags, false, skip_isolation);
	if (ret)
		return ret;
	/* A range of one pageblock: it is isolated already. */
	if (isolate_start == isolate_end - m->pageblock_nr_pages)
		skip_isolation = true;
	ret = isolate_single_pageblock(m, isolate_end, flags, true, skip_isolation);
	if (ret) {
		unset_migratetype_isolate(m, pfn_to_page(m, isolate_start), migratetype);
		return ret;
	}
	/* The pageblocks in between. */
	for (unsigned long pfn = isolate_start + m->pageblock_nr_pages;
	     pfn < isolate_end - m->pageblock_nr_pages; pfn += m->pageblock_nr_pages) {
		struct page *page = __first_valid_page(m, pfn, m->pageblock_nr_pages);
		if (page && set_migratetype_isolate(m, page, migratetype, flags, start_pfn, end_pfn)) {
			undo_isolate_page_range(m, isolate_start, pfn, migratetype);
			unset_migratetype_isolate(m, pfn_to_page(m, isolate_end - m->pageblock_nr_pages),
						  migratetype);
			return -MMSIM_EBUSY;
		}
	}
	return 0;
}

void undo_isolate_page_range(struct machine *m, unsigned long start_pfn, unsigned long end_pfn,
			     int migratetype)
{
	unsigned long isolate_start = ALIGN_DOWN(start_pfn, m->pageblock_nr_pages);
	unsigned long isolate_end = ALIGN_UP(end_pfn, m->pageblock_nr_pages);

	for (unsigned long pfn = isolate_start; pfn < isolate_end; pfn += m->pageblock_nr_pages) {
		struct page *page = __first_valid_page(m, pfn, m->pageblock_nr_pages);
		if (!page || get_pageblock_migratetype(m, page_to_pfn(m, page)) != MIGRATE_ISOLATE)
			continue;
		unset_migratetype_isolate(m, page, migratetype);
	}
}

/*
 * __test_page_isolated_in_pageblock(): how far from @pfn every page is
 * free (on an isolate list, since the pageblocks are isolated).
 */
static unsigned long __test_page_isolated_in_pageblock(struct machine *m, unsigned long pfn,
						       unsigned long end_pfn)
{
	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(m, pfn);
		if (!PageBuddy(page))
			break;
		pfn += 1UL << page->private;
	}
	return pfn;
}

int test_pages_isolated(struct machine *m, unsigned long start_pfn, unsigned long end_pfn,
			int isol_flags)
{
	unsigned long pfn;
	struct page *page;

	(void)isol_flags;	/* MEMORY_OFFLINE's hwpoisoned and offline pages: none here */
	/* Every pageblock isolated first: free blocks need not align with pageblocks. */
	for (pfn = start_pfn; pfn < end_pfn; pfn += m->pageblock_nr_pages) {
		page = __first_valid_page(m, pfn, m->pageblock_nr_pages);
		if (page && get_pageblock_migratetype(m, page_to_pfn(m, page)) != MIGRATE_ISOLATE)
			break;
	}
	page = __first_valid_page(m, start_pfn, end_pfn - start_pfn);
	if (pfn < end_pfn || !page)
		return -MMSIM_EBUSY;
	/* zone->lock */
	pfn = __test_page_isolated_in_pageblock(m, start_pfn, end_pfn);
	return pfn < end_pfn ? -MMSIM_EBUSY : 0;
}
