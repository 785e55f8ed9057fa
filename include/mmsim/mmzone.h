/* mmzone.h — nodes, zones, free areas, watermarks and per-CPU page lists.
 *
 * One node (pglist_data) holds the zones of a machine. The set of zones
 * depends on the architecture, as it does in the kernel's configuration:
 *   i386:   DMA, Normal, HighMem, Movable
 *   x86_64: DMA, DMA32, Normal, Movable, Device
 * mmsim uses one enum with every zone and marks which ones the machine's
 * architecture configures; zone order is the same in both. */
#ifndef MMSIM_MMZONE_H
#define MMSIM_MMZONE_H

#include <mmsim/list.h>
#include <mmsim/mm_types.h>
#include <mmsim/types.h>

MMSIM_BEGIN_DECLS

enum zone_type {
	ZONE_DMA,	/* ISA DMA: below 16 MiB */
	ZONE_DMA32,	/* x86_64: below 4 GiB */
	ZONE_NORMAL,	/* directly mapped */
	ZONE_HIGHMEM,	/* i386: above max_low_pfn, not permanently mapped */
	ZONE_MOVABLE,	/* movablecore= (empty unless asked for) */
	ZONE_DEVICE,	/* x86_64: device memory (always empty here) */
	__MAX_NR_ZONES
};

#define MAX_ORDER		11	/* orders 0..10: blocks up to 4 MiB */
#define MAX_ORDER_NR_PAGES	(1UL << (MAX_ORDER - 1))
#define PAGE_ALLOC_COSTLY_ORDER	3

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,	/* the number of types on the pcp lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_CMA,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

/* pcp lists: one per (migratetype, order <= COSTLY) plus one for THP order. */
#define NR_LOWORDER_PCP_LISTS	(MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))
#define NR_PCP_LISTS		(NR_LOWORDER_PCP_LISTS + 1)

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	NR_WMARK
};

/* Per-zone counters, in 6.1's order (include/linux/mmzone.h). */
enum zone_stat_item {
	NR_FREE_PAGES,		/* pages in the buddy free lists (not pcp) */
	NR_ZONE_LRU_BASE,	/* the LRU lists' pages that lie in this zone */
	NR_ZONE_INACTIVE_ANON = NR_ZONE_LRU_BASE,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,	/* dirty and under writeback */
	NR_MLOCK,		/* mlock()ed pages */
	NR_BOUNCE,
	NR_ZSPAGES,
	NR_FREE_CMA_PAGES,
	NR_ZONE_ALLOC_PAGES,	/* pages handed out and not yet freed (mmsim's own) */
	NR_VM_ZONE_STAT_ITEMS
};

/* The LRU lists (include/linux/mmzone.h): inactive before active, anon before file. */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

/* Per-node counters, in 6.1's order. */
enum node_stat_item {
	NR_LRU_BASE,
	NR_INACTIVE_ANON = NR_LRU_BASE,	/* the order of enum lru_list */
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE_B,
	NR_SLAB_UNRECLAIMABLE_B,
	NR_ISOLATED_ANON,
	NR_ISOLATED_FILE,
	WORKINGSET_NODES,
	WORKINGSET_REFAULT_ANON,
	WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_ANON,
	WORKINGSET_ACTIVATE_FILE,
	WORKINGSET_RESTORE_ANON,
	WORKINGSET_RESTORE_FILE,
	WORKINGSET_NODERECLAIM,
	NR_ANON_MAPPED,		/* anonymous pages mapped by some process: AnonPages */
	NR_FILE_MAPPED,		/* page-cache pages mapped: Mapped */
	NR_FILE_PAGES,		/* the page cache (shmem included) */
	NR_FILE_DIRTY,
	NR_WRITEBACK,
	NR_WRITEBACK_TEMP,
	NR_SHMEM,
	NR_SHMEM_THPS,
	NR_SHMEM_PMDMAPPED,
	NR_FILE_THPS,
	NR_FILE_PMDMAPPED,
	NR_ANON_THPS,		/* pages of PMD-mapped anonymous huge pages: AnonHugePages */
	NR_VMSCAN_WRITE,
	NR_VMSCAN_IMMEDIATE,
	NR_DIRTIED,
	NR_WRITTEN,
	NR_THROTTLED_WRITTEN,
	NR_KERNEL_MISC_RECLAIMABLE,
	NR_FOLL_PIN_ACQUIRED,
	NR_FOLL_PIN_RELEASED,
	NR_KERNEL_STACK_KB,	/* in KiB */
	NR_PAGETABLE,		/* user page-table pages: PageTables */
	NR_SECONDARY_PAGETABLE,
	NR_SWAPCACHE,
	NR_VM_NODE_STAT_ITEMS
};

/* The LRU lists of a node (struct lruvec). */
struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	/* What reclaiming each type cost lately (pages written out), decaying. */
	unsigned long anon_cost, file_cost;
	/* WORKINGSET_ACTIVATE_ANON/FILE when reclaim last finished (snapshot_refaults). */
	unsigned long refaults[2];
	/*
	 * Evictions and activations so far (mm/workingset.c): a page's
	 * eviction leaves this clock in its slot, and when it faults back the
	 * distance tells whether it would have stayed with a bigger workingset.
	 */
	unsigned long nonresident_age;
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;	/* blocks of this order on all the lists */
};

/*
 * Per-CPU cache of free pages in front of zone->lock.
 * count = sum over lists of (entries << order); high and batch come from
 * zone_highsize() and zone_batchsize().
 */
struct per_cpu_pages {
	int count;
	int high;
	int batch;
	short free_factor;	/* doubles the drain size on repeated frees */
	struct list_head lists[NR_PCP_LISTS];
};

struct pglist_data;
struct machine;

struct zone {
	/* Read mostly: the fast path touches only this first part. */
	unsigned long _watermark[NR_WMARK];
	/*
	 * lowmem_reserve[j]: pages this zone keeps back from an allocation
	 * whose highest usable zone is j ("protection" in /proc/zoneinfo).
	 * lowmem_reserve[j] = sum(managed of zones idx+1..j) / ratio[idx].
	 */
	long lowmem_reserve[__MAX_NR_ZONES];
	/*
	 * The order-0 first-pass test, precomputed (zone_update_fast_marks):
	 * fast_mark[j] = low watermark + lowmem_reserve[j] + highatomic reserve;
	 * a request may take a pcp page when NR_FREE_PAGES > fast_mark[j].
	 */
	long fast_mark[__MAX_NR_ZONES];
	struct per_cpu_pages *per_cpu_pageset;	/* [nr_cpus] */
	struct pglist_data *zone_pgdat;
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];

	unsigned long zone_start_pfn;
	/*
	 * spanned_pages = zone_end_pfn - zone_start_pfn
	 * present_pages = spanned_pages - holes
	 * managed_pages = present_pages - pages reserved by memblock
	 */
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long managed_pages;
	/* CONFIG_CMA: pages of MIGRATE_CMA pageblocks in the zone (part of managed_pages) */
	unsigned long cma_pages;
	/* pageblocks now MIGRATE_ISOLATE (mm/page_isolation.c) */
	unsigned long nr_isolate_pageblock;
	unsigned long nr_reserved_highatomic;
	unsigned long watermark_boost;
	bool boosted_watermark;	/* ZONE_BOOSTED_WATERMARK: kswapd is to be woken for the boost */
	unsigned long numa_hit;	/* allocations served from this zone (NUMA_HIT: all local) */

	const char *name;
	enum zone_type idx;
	bool configured;	/* this zone exists in the arch's configuration */
	bool is_highmem;	/* HighMem, or Movable on a HIGHMEM kernel */

	struct free_area free_area[MAX_ORDER];
	/*
	 * The runs of free MAX_ORDER blocks whose struct pages were never
	 * written (mm/page_alloc.c, lazy memmap): each stands in
	 * free_area[MAX_ORDER - 1].free_list[MIGRATE_MOVABLE] where boot put
	 * its blocks, in ascending order of their pfns.
	 */
	struct memmap_free_run **free_runs;
	unsigned int nr_free_runs, free_runs_cap;

	/*
	 * Compaction (mm/compaction.c): where each scanner stopped (the
	 * migrate scanner's for async [0] and sync [1] runs), where a whole
	 * zone run starts, the deferral after failures (a run is considered
	 * once in 1 << compact_defer_shift tries, for orders from
	 * compact_order_failed up), and whether the pageblock skip hints
	 * are to be cleared before the next run.
	 */
	unsigned long compact_cached_free_pfn;
	unsigned long compact_cached_migrate_pfn[2];
	unsigned long compact_init_migrate_pfn;
	unsigned long compact_init_free_pfn;
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;
	bool compact_blockskip_flush;
};

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return pfn >= zone->zone_start_pfn && pfn < zone_end_pfn(zone);
}

static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

static inline bool managed_zone(const struct zone *zone)
{
	return zone->managed_pages != 0;
}

static inline unsigned long min_wmark_pages(const struct zone *z)
{
	return z->_watermark[WMARK_MIN] + z->watermark_boost;
}

static inline unsigned long low_wmark_pages(const struct zone *z)
{
	return z->_watermark[WMARK_LOW] + z->watermark_boost;
}

static inline unsigned long high_wmark_pages(const struct zone *z)
{
	return z->_watermark[WMARK_HIGH] + z->watermark_boost;
}

static inline unsigned long wmark_pages(const struct zone *z, int i)
{
	return z->_watermark[i] + z->watermark_boost;
}

/*
 * A zonelist is the fallback order for allocations: highest zone first,
 * e.g. HighMem -> Normal -> DMA. An allocation whose highest usable zone
 * is Z walks the list from the first entry whose zone index <= Z.
 */
struct zoneref {
	struct zone *zone;
	int zone_idx;
};

struct zonelist {
	struct zoneref _zonerefs[__MAX_NR_ZONES + 1];	/* NULL-terminated */
};

struct pglist_data {
	struct zone node_zones[__MAX_NR_ZONES];
	struct zonelist node_zonelist;
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	unsigned long totalreserve_pages;
	struct lruvec lruvec;
	long vm_stat[NR_VM_NODE_STAT_ITEMS];
	/*
	 * kswapd's runs in a row that reclaimed nothing; from
	 * MAX_RECLAIM_RETRIES (16) on the node counts as hopeless
	 * ("all_unreclaimable? yes" in the OOM report).
	 */
	int kswapd_failures;
};

#define MAX_RECLAIM_RETRIES	16

MMSIM_END_DECLS

#endif /* MMSIM_MMZONE_H */
