/* internal.h (mm) — what only the files of mm/ share (the kernel's mm/internal.h).
 *
 * The page allocator's alloc_flags, pageblock migratetypes, and the
 * boot-time and debugging helpers page_alloc.c, mm_init.c, memblock.c and
 * debug.c call in each other. What the rest of the library uses is in
 * mm.h. */
#ifndef MMSIM_MM_INTERNAL_H
#define MMSIM_MM_INTERNAL_H

#include "mm.h"

/* alloc_flags for get_page_from_freelist() (mm/internal.h in 6.1). */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08
#define ALLOC_HARDER		0x10
#define ALLOC_HIGH		0x20
#define ALLOC_CPUSET		0x40
#define ALLOC_CMA		0x80
#define ALLOC_NOFRAGMENT	0x100
#define ALLOC_KSWAPD		0x800

#define SWAP_CLUSTER_MAX	32UL

static inline int gfp_migratetype(gfp_t gfp)
{
	return (int)((gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
}

static inline int get_pageblock_migratetype(const struct machine *m, unsigned long pfn)
{
	return m->pageblock_mt[pfn >> m->pageblock_order];
}

static inline void set_pageblock_migratetype(struct machine *m, unsigned long pfn, int mt)
{
	m->pageblock_mt[pfn >> m->pageblock_order] = (unsigned char)mt;
}

/*
 * __mod_zone_freepage_state(): free pages come and go; those of MIGRATE_CMA
 * pageblocks are counted again in NR_FREE_CMA_PAGES. (Pages on the
 * MIGRATE_ISOLATE lists are counted in neither: the callers leave them out.)
 */
static inline void __mod_zone_freepage_state(struct zone *zone, long nr_pages, int migratetype)
{
	zone->vm_stat[NR_FREE_PAGES] += nr_pages;
	if (migratetype == MIGRATE_CMA)
		zone->vm_stat[NR_FREE_CMA_PAGES] += nr_pages;
}

/* has_isolate_pageblock(): some pageblock of the zone is MIGRATE_ISOLATE. */
static inline bool has_isolate_pageblock(const struct zone *zone)
{
	return zone->nr_isolate_pageblock != 0;
}

/*
 * Move the free blocks that start in @pfn's pageblock onto @migratetype's
 * lists; returns how many pages they hold. *@num_movable (may be NULL)
 * gets the pages in use there that could move (LRU pages). zone->lock.
 */
int move_freepages_block(struct machine *m, struct zone *zone, unsigned long pfn,
			 int migratetype, int *num_movable);
/* The free buddy of the order-@order block at @pfn, or NULL (*@buddy_pfn: where it would be). */
struct page *find_buddy_page_pfn(struct machine *m, unsigned long pfn, unsigned int order,
				 unsigned long *buddy_pfn);
/* __putback_isolated_page(): give such a block back, merging it as a free does. */
void __putback_isolated_page(struct machine *m, struct page *page, unsigned int order, int mt);

int split_free_page(struct machine *m, struct page *free_page, unsigned int order,
		    unsigned long split_pfn_offset);
/* init_cma_reserved_pageblock(): a reserved pageblock becomes MIGRATE_CMA and free (mm/cma.c). */
void init_cma_reserved_pageblock(struct machine *m, struct page *page);

/*
 * alloc_contig_range(): take [@start, @end) out of the page allocator —
 * isolate its pageblocks, migrate the pages in use, take the free ones —
 * as @end - @start order-0 pages, each with a reference. @migratetype is
 * the pageblocks' (MIGRATE_CMA or MIGRATE_MOVABLE). 0, -EBUSY when some
 * page cannot be moved, -EINVAL for a range outside one zone.
 */
int alloc_contig_range(struct machine *m, unsigned long start, unsigned long end,
		       int migratetype, gfp_t gfp);
/*
 * alloc_contig_pages() (CONFIG_CONTIG_ALLOC, which Debian's kernels have:
 * gigantic huge pages use it): @nr_pages contiguous pages from the zones
 * @gfp allows, highest first — each searched from its start in
 * @nr_pages-aligned steps for a range of its own unreserved memory that
 * alloc_contig_range() can empty. NULL if none can be.
 */
struct page *alloc_contig_pages(struct machine *m, unsigned long nr_pages, gfp_t gfp);
/* free_contig_range(): drop the reference of each of @nr_pages pages from @pfn. */
void free_contig_range(struct machine *m, unsigned long pfn, unsigned long nr_pages);

/* mm/page_isolation.c (isol_flags: REPORT_FAILURE, MEMORY_OFFLINE) */
#define MEMORY_OFFLINE	0x1
#define REPORT_FAILURE	0x2
int start_isolate_page_range(struct machine *m, unsigned long start_pfn, unsigned long end_pfn,
			     int migratetype, int flags, gfp_t gfp);
void undo_isolate_page_range(struct machine *m, unsigned long start_pfn, unsigned long end_pfn,
			     int migratetype);
int test_pages_isolated(struct machine *m, unsigned long start_pfn, unsigned long end_pfn,
			int isol_flags);

/* Free pages at boot: clears PG_reserved and counts them as managed. */
void __free_pages_core(struct machine *m, struct page *page, unsigned int order);

/*
 * The lazy memmap's runs (mm/page_alloc.c). Boot frees the untouched
 * MAX_ORDER block at @pfn into @zone's run at the tail of its list, with
 * the counts __free_pages_core() keeps; false when the block must be
 * freed the eager way (written already, not movable, eager memmap).
 */
bool memmap_hold_free_block(struct machine *m, struct zone *zone, unsigned long pfn);
/* A free list entry that is a run's anchor, not a page; how many blocks it stands for. */
bool free_list_entry_is_run(const struct page *page);
unsigned long free_run_blocks(const struct page *anchor);
/* The pfn of the run's first member at or after @pfn (~0UL: none), in the order it hands them out. */
unsigned long free_run_next(const struct page *anchor, unsigned long pfn);
/* The zone of @pfn's struct page, leaving a lazy block unwritten. */
unsigned int memmap_page_zonenum(struct machine *m, unsigned long pfn);
/* Every free block on every CPU's per-CPU lists: its first frame and order. */
void pcp_for_each_block(struct machine *m, void (*fn)(unsigned long pfn, unsigned int order, void *arg),
			void *arg);
void zone_pcp_update_all(struct machine *m);
unsigned long nr_free_buffer_pages(struct machine *m);
void calculate_min_free_kbytes(struct machine *m);
void bad_page(struct machine *m, struct page *page, const char *reason);
/* The fast path's precomputed marks, after a watermark or its boost changed. */
void zone_update_fast_marks(struct machine *m);
/* zone_watermark_ok_safe(): the zone's free pages are above @mark for @order. */
bool zone_watermark_ok_safe(const struct zone *z, unsigned int order, unsigned long mark,
			    int highest_zoneidx);

/* page_alloc.c: what compaction takes from the allocator's free lists, and how. */
bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags);
/* zone_watermark_ok() as if the zone had @free_pages free (__zone_watermark_ok). */
bool zone_watermark_ok_free(const struct zone *z, unsigned int order, unsigned long mark,
			    int highest_zoneidx, unsigned int alloc_flags, long free_pages);
/* find_suitable_fallback(): the migratetype @migratetype would steal from at @order, or -1. */
int compaction_find_fallback(const struct machine *m, struct free_area *area, unsigned int order,
			     int migratetype, bool *can_steal);
/* Take the free block @page heads off its list (not below the min watermark): its pages, or 0. */
unsigned long __isolate_free_page(struct machine *m, struct page *page, unsigned int order);
/* prep_new_page(): an isolated free block becomes an allocated one. */
void post_alloc_hook(struct machine *m, struct page *page, unsigned int order, gfp_t gfp);
/* split_page(): an order-N allocation becomes 2^N order-0 ones, each with its reference. */
void split_page(struct machine *m, struct page *page, unsigned int order);

/* filemap.c: reclaim's side of the page cache */
struct address_space;
/* Write @page back (to the host file's written copy); it must be clean-marked already. */
int writeback_page(struct machine *m, struct address_space *mapping, struct page *page);
void remove_from_page_cache(struct machine *m, struct address_space *mapping, struct page *page);
/* workingset.c: shadow entries and refaults */
void workingset_age_nonresident(struct machine *m, unsigned long nr_pages);
unsigned long workingset_eviction(struct machine *m, struct page *page);
void workingset_refault(struct machine *m, struct page *page, unsigned long shadow);
void workingset_activation(struct machine *m, struct page *page);
unsigned long mapping_take_shadow(struct address_space *mapping, unsigned long slot);
void mapping_set_shadow(struct address_space *mapping, unsigned long slot, unsigned long shadow);
/* vmscan.c: a refault of a page that was in the working set makes its type dearer to reclaim. */
void lru_note_cost_refault(struct machine *m, bool file, unsigned long nr_pages);
/* wakeup_flusher_threads(): write back every dirty page-cache page now. */
void wakeup_flusher_threads(struct machine *m);

#endif /* MMSIM_MM_INTERNAL_H */
