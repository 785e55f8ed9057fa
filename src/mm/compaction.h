/* compaction.h — memory compaction (include/linux/compaction.h and the
 * compact_control of mm/internal.h): what the page allocator, kswapd, the
 * sysctls and alloc_contig_range ask of mm/compaction.c. */
#ifndef MMSIM_MM_COMPACTION_H
#define MMSIM_MM_COMPACTION_H

#include "mm/migrate.h"

/* How hard compaction may try: lower is harder (enum compact_priority). */
enum compact_priority {
	COMPACT_PRIO_SYNC_FULL,
	MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL,
	COMPACT_PRIO_SYNC_LIGHT,
	MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	COMPACT_PRIO_ASYNC,
	INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC
};

/* What a compaction run came to (enum compact_result, in the kernel's order). */
enum compact_result {
	COMPACT_NOT_SUITABLE_ZONE,	/* the zone is not fragmented enough to compact */
	COMPACT_SKIPPED,		/* too few free pages to migrate into */
	COMPACT_DEFERRED,		/* failed recently: not tried this time */
	COMPACT_NO_SUITABLE_PAGE,	/* internal: no page yet, go on */
	COMPACT_CONTINUE,
	COMPACT_COMPLETE,		/* the whole zone was scanned */
	COMPACT_PARTIAL_SKIPPED,	/* the scanners met, part of the zone skipped */
	COMPACT_CONTENDED,
	COMPACT_SUCCESS,		/* a page of the order asked for is free */
};

#define COMPACT_MAX_DEFER_SHIFT	6
#define COMPACT_CLUSTER_MAX	32UL	/* SWAP_CLUSTER_MAX: pages migrated per batch */

/*
 * One compaction run over one zone (struct compact_control): the two
 * scanners move towards each other, the migrate scanner from the zone's
 * start taking in-use movable pages, the free scanner from its end taking
 * free pages to move them into.
 */
struct compact_control {
	struct list_head freepages;	/* isolated free pages, order 0 */
	struct list_head migratepages;	/* isolated pages to migrate */
	unsigned int nr_freepages;
	unsigned int nr_migratepages;
	unsigned long free_pfn;		/* the free scanner's position: it goes down */
	unsigned long migrate_pfn;	/* the migrate scanner's: it goes up */
	unsigned long total_migrate_scanned;
	unsigned long total_free_scanned;
	struct zone *zone;
	gfp_t gfp_mask;
	int order;			/* -1: compact everything (compact_memory, proactive) */
	int migratetype;
	unsigned int alloc_flags;
	int highest_zoneidx;
	enum migrate_mode mode;
	bool ignore_skip_hint;		/* scan pageblocks marked as not worth it too */
	bool no_set_skip_hint;
	bool ignore_block_suitable;	/* any pageblock may receive pages */
	bool direct_compaction;		/* an allocating task is waiting */
	bool proactive_compaction;
	bool whole_zone;
	bool contended;
	bool rescan;			/* scan the pageblock last migrated from again */
	bool alloc_contig;		/* alloc_contig_range: huge and unevictable pages too */
};

/* try_to_compact_pages(): direct compaction for an allocation of @order. */
enum compact_result try_to_compact_pages(struct machine *m, gfp_t gfp_mask, unsigned int order,
					 unsigned int alloc_flags, int highest_zoneidx,
					 enum compact_priority prio);
enum compact_result compaction_suitable(struct machine *m, struct zone *zone, int order,
					unsigned int alloc_flags, int highest_zoneidx);
/* compaction_zonelist_suitable(): would reclaim let some zone's compaction succeed? */
bool compaction_zonelist_suitable(struct machine *m, unsigned int order, unsigned int alloc_flags,
				  int highest_zoneidx);
bool compaction_deferred(struct zone *zone, int order);
void defer_compaction(struct zone *zone, int order);
void compaction_defer_reset(struct zone *zone, int order, bool alloc_success);
/* The whole zone was scanned and still no page: compaction at this priority failed. */
static inline bool compaction_failed(enum compact_result result)
{
	return result == COMPACT_COMPLETE;
}
/* Deferred, backed off, or the scanners met over part of the zone: not a real failure. */
static inline bool compaction_withdrawn(enum compact_result result)
{
	return result == COMPACT_DEFERRED || result == COMPACT_CONTENDED ||
	       result == COMPACT_PARTIAL_SKIPPED;
}
/* Too few free pages to compact with: only reclaim can help. */
static inline bool compaction_needs_reclaim(enum compact_result result)
{
	return result == COMPACT_SKIPPED;
}
static inline bool compaction_made_progress(enum compact_result result)
{
	return result == COMPACT_SUCCESS;
}

/* /proc/sys/vm/compact_memory: every zone of the node, as hard as possible. */
void compact_nodes(struct machine *m);
/*
 * isolate_migratepages_range(): alloc_contig_range's migrate scanner over
 * [start, end), up to COMPACT_CLUSTER_MAX pages onto cc->migratepages;
 * cc->migrate_pfn says where it stopped. 0 (6.1 also returns -EINTR for a
 * fatal signal, which a simulated allocation never has).
 */
int isolate_migratepages_range(struct machine *m, struct compact_control *cc,
			       unsigned long start_pfn, unsigned long end_pfn);
/*
 * isolate_freepages_range(): alloc_contig_range's free scanner, strict:
 * every free block of [start, end) taken and split into order-0 pages,
 * each with a reference; the last block may reach past @end. Returns the
 * pfn where the taken blocks end, or 0 (nothing kept) if a page in the
 * range is not free.
 */
unsigned long isolate_freepages_range(struct machine *m, struct compact_control *cc,
				      unsigned long start_pfn, unsigned long end_pfn);
/* kcompactd: woken by kswapd going to sleep after a high-order wakeup. */
void wakeup_kcompactd(struct machine *m, int order, int highest_zoneidx);
/* kswapd is going to sleep: forget direct compaction's skip hints where it asked to. */
void compaction_kswapd_sleeps(struct machine *m);
/* vm.compaction_proactiveness written non-zero: the proactive check runs at kcompactd's next turn. */
void kcompactd_trigger_proactive(struct machine *m);
/* kcompactd's work, and its proactive check every 500 ms of machine time. */
void kcompactd_run_pending(struct machine *m);
/* The node's fragmentation score (0-100) proactive compaction steers by. */
unsigned int fragmentation_score_node(struct machine *m);
/* The skip hints and scanner positions, with the zones. 0 or -1 (out of host memory). */
int compaction_state_init(struct machine *m);
/* kcompactd_init() (subsys_initcall): kcompactd0 starts, asleep. */
void kcompactd_init(struct machine *m);
void compaction_release(struct machine *m);

/* vmstat.c: the fragmentation index of @order in @zone (-1000..1000; -1000: a block is free). */
int fragmentation_index(const struct zone *zone, unsigned int order);

#endif
