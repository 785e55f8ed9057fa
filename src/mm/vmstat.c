/* vmstat.c — /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo, /proc/vmstat.
 *
 * Formats are Linux 6.1's (mm/vmstat.c) to the space. Counters the
 * simulator does not model yet are left out rather than printed as zero. */
#include <stdio.h>

#include <mmsim/page.h>

#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

/* migratetype_names[]: the "CMA" column exists only in a CONFIG_CMA kernel (Debian's has none). */
static const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
};

const char *mmsim_migratetype_name(int migratetype)
{
	return migratetype >= 0 && migratetype < MIGRATE_TYPES ? migratetype_names[migratetype] : "?";
}

static bool migratetype_shown(const struct machine *m, int mt)
{
	return mt != MIGRATE_CMA || m->config.cma;
}

void proc_buddyinfo_show(struct machine *m, FILE *out)
{
	for_each_populated_zone(m, zone) {
		fprintf(out, "Node %d, zone %8s ", m->node.node_id, zone->name);
		for (int order = 0; order < MAX_ORDER; order++)
			fprintf(out, "%6lu ", zone->free_area[order].nr_free);
		fputc('\n', out);
	}
}

void proc_pagetypeinfo_show(struct machine *m, FILE *out)
{
	fprintf(out, "Page block order: %u\n", m->pageblock_order);
	fprintf(out, "Pages per block:  %lu\n", m->pageblock_nr_pages);
	fputc('\n', out);
	fprintf(out, "%-43s ", "Free pages count per migrate type at order");
	for (int order = 0; order < MAX_ORDER; order++)
		fprintf(out, "%6d ", order);
	fputc('\n', out);
	for_each_populated_zone(m, zone) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			if (!migratetype_shown(m, mt))
				continue;
			fprintf(out, "Node %4d, zone %8s, type %12s ", m->node.node_id, zone->name,
				migratetype_names[mt]);
			for (int order = 0; order < MAX_ORDER; order++) {
				unsigned long n = 0;
				struct list_head *pos;
				bool overflow = false;
				list_for_each(pos, &zone->free_area[order].free_list[mt]) {
					struct page *page = list_entry(pos, struct page, buddy_list);
					/* A run of lazily written blocks stands for each of them. */
					n += free_list_entry_is_run(page) ? free_run_blocks(page) - 1 : 0;
					/* The kernel stops counting here; so do we. */
					if (++n >= 100000) {
						n = 100000;
						overflow = true;
						break;
					}
				}
				fprintf(out, "%s%6lu ", overflow ? ">" : "", n);
			}
			fputc('\n', out);
		}
	}
	fprintf(out, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		if (migratetype_shown(m, mt))
			fprintf(out, "%12s ", migratetype_names[mt]);
	fputc('\n', out);
	for_each_populated_zone(m, zone) {
		unsigned long count[MIGRATE_TYPES] = { 0 };
		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone);
		     pfn += m->pageblock_nr_pages) {
			if (!pfn_to_online_page_valid(m, pfn) ||
			    memmap_page_zonenum(m, pfn) != zone->idx)
				continue;
			count[get_pageblock_migratetype(m, pfn)]++;
		}
		fprintf(out, "Node %d, zone %8s ", m->node.node_id, zone->name);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			if (migratetype_shown(m, mt))
				fprintf(out, "%12lu ", count[mt]);
		fputc('\n', out);
	}
}

static int fls_ul(unsigned long x)
{
	return x ? (int)(sizeof(long) * 8) - __builtin_clzl(x) : 0;
}

/*
 * calculate_normal_threshold(): how far a per-CPU counter may drift before
 * it is folded into the zone's — grows with CPUs and zone size, capped at 125.
 */
static int vm_stat_threshold(const struct machine *m, const struct zone *zone)
{
	unsigned long mem = zone->managed_pages >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls_ul(m->nr_cpus) * (1 + fls_ul(mem));

	return threshold < 125 ? threshold : 125;
}


/* ---- /proc/vmstat ---------------------------------------------------------------------- */

static unsigned long node_state(const struct machine *m, enum node_stat_item item)
{
	long v = m->node.vm_stat[item];

	return v < 0 ? 0 : (unsigned long)v;
}

/*
 * global_dirty_limits(): the dirty page-cache thresholds — 20% and 10%
 * (vm.dirty_ratio, vm.dirty_background_ratio, in 1/4096 steps) of the
 * dirtyable memory: free pages less the reserves, plus the file LRU, less
 * what of that is highmem (vm_highmem_is_dirtyable is 0).
 */
static void global_dirty_limits(struct machine *m, unsigned long *background, unsigned long *dirty)
{
	unsigned long x = global_zone_page_state(m, NR_FREE_PAGES), high = 0;

	x -= min_t(unsigned long, x, m->totalreserve_pages);
	x += node_state(m, NR_INACTIVE_FILE) + node_state(m, NR_ACTIVE_FILE);
	for_each_populated_zone(m, zone) {
		if (!zone->is_highmem)
			continue;
		unsigned long n = zone_page_state(zone, NR_FREE_PAGES);
		n -= min_t(unsigned long, n, high_wmark_pages(zone));
		n += zone_page_state(zone, NR_ZONE_INACTIVE_FILE) +
		     zone_page_state(zone, NR_ZONE_ACTIVE_FILE);
		high += n;
	}
	x -= min_t(unsigned long, high, x);
	unsigned long avail = x + 1;
	unsigned long ratio = 20 * PAGE_SIZE / 100, bg_ratio = 10 * PAGE_SIZE / 100;
	unsigned long thresh = ratio * avail / PAGE_SIZE, bg_thresh = bg_ratio * avail / PAGE_SIZE;
	if (thresh > 0xffffffffUL)
		thresh = 0xffffffffUL;
	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	*background = bg_thresh;
	*dirty = thresh;
}

/* The zone-suffixed counters exist for the zone types the config has, present or not. */
static const enum zone_type i386_zones[] = { ZONE_DMA, ZONE_NORMAL, ZONE_HIGHMEM, ZONE_MOVABLE };
static const enum zone_type x86_64_zones[] = { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE,
					       ZONE_DEVICE };
static const char *const zone_suffix[__MAX_NR_ZONES] = {
	[ZONE_DMA] = "dma", [ZONE_DMA32] = "dma32", [ZONE_NORMAL] = "normal",
	[ZONE_HIGHMEM] = "high", [ZONE_MOVABLE] = "movable", [ZONE_DEVICE] = "device",
};

static void put_per_zone(struct machine *m, FILE *out, const char *prefix, const unsigned long *v)
{
	const enum zone_type *z = m->is_32bit ? i386_zones : x86_64_zones;
	size_t n = m->is_32bit ? ARRAY_SIZE(i386_zones) : ARRAY_SIZE(x86_64_zones);

	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s_%s %lu\n", prefix, zone_suffix[z[i]], v[z[i]]);
}

/* vmstat_text[]'s event names, in enum vm_event_item's order. */
static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	"pgpgin", "pgpgout", "pswpin", "pswpout",
	"pgfree", "pgactivate", "pgdeactivate", "pglazyfree",
	"pgfault", "pgmajfault", "pglazyfreed", "pgrefill", "pgreuse",
	"pgsteal_kswapd", "pgsteal_direct", "pgdemote_kswapd", "pgdemote_direct",
	"pgscan_kswapd", "pgscan_direct", "pgscan_direct_throttle", "pgscan_anon", "pgscan_file",
	"pgsteal_anon", "pgsteal_file", "zone_reclaim_failed",
	"pginodesteal", "slabs_scanned", "kswapd_inodesteal", "kswapd_low_wmark_hit_quickly",
	"kswapd_high_wmark_hit_quickly", "pageoutrun", "pgrotated", "drop_pagecache", "drop_slab",
	"oom_kill",
	"numa_pte_updates", "numa_huge_pte_updates", "numa_hint_faults", "numa_hint_faults_local",
	"numa_pages_migrated",
	"pgmigrate_success", "pgmigrate_fail", "thp_migration_success", "thp_migration_fail",
	"thp_migration_split",
	"compact_migrate_scanned", "compact_free_scanned", "compact_isolated", "compact_stall",
	"compact_fail", "compact_success", "compact_daemon_wake", "compact_daemon_migrate_scanned",
	"compact_daemon_free_scanned",
	"htlb_buddy_alloc_success", "htlb_buddy_alloc_fail",
	"cma_alloc_success", "cma_alloc_fail",
	"unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued",
	"unevictable_pgs_mlocked", "unevictable_pgs_munlocked", "unevictable_pgs_cleared",
	"unevictable_pgs_stranded",
	"thp_fault_alloc", "thp_fault_fallback", "thp_fault_fallback_charge", "thp_collapse_alloc",
	"thp_collapse_alloc_failed", "thp_file_alloc", "thp_file_fallback",
	"thp_file_fallback_charge", "thp_file_mapped", "thp_split_page", "thp_split_page_failed",
	"thp_deferred_split_page", "thp_split_pmd", "thp_scan_exceed_none_pte",
	"thp_scan_exceed_swap_pte", "thp_scan_exceed_share_pte", "thp_split_pud",
	"thp_zero_page_alloc", "thp_zero_page_alloc_failed", "thp_swpout", "thp_swpout_fallback",
	"balloon_inflate", "balloon_deflate", "balloon_migrate",
	"swap_ra", "swap_ra_hit", "ksm_swpin_copy", "cow_ksm", "zswpin", "zswpout",
	"direct_map_level2_splits", "direct_map_level3_splits",
};

/*
 * Events a config option adds: CMA (cma_alloc_*), NUMA (zone_reclaim_failed),
 * NUMA_BALANCING, 1 GiB THP splits.
 */
static bool event_configured(const struct machine *m, enum vm_event_item item)
{
	if (item == CMA_ALLOC_SUCCESS || item == CMA_ALLOC_FAIL)
		return m->config.cma;
	if (!m->is_32bit)
		return true;
	return item != PGSCAN_ZONE_RECLAIM_FAILED && item != THP_SPLIT_PUD &&
	       (item < NUMA_PTE_UPDATES || item > NUMA_PAGE_MIGRATE);
}

/*
 * vmstat_start() + vmstat_show(): zone counters, NUMA events (x86_64),
 * node counters (THP counts in huge pages, slab in pages, kernel stacks
 * in kB), the dirty thresholds, then the event counters; the deprecated
 * nr_unstable closes the list. The values are exact: the kernel's per-CPU
 * deltas, folded once a second, are not modelled.
 */
/* vmstat_text[]'s zone and node counter names, in their enums' order. */
static const char *const zone_items[NR_VM_ZONE_STAT_ITEMS] = {
	"nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon",
	"nr_zone_inactive_file", "nr_zone_active_file", "nr_zone_unevictable",
	"nr_zone_write_pending", "nr_mlock", "nr_bounce", "nr_zspages", "nr_free_cma",
};
static const char *const node_items[NR_VM_NODE_STAT_ITEMS] = {
	"nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
	"nr_unevictable", "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon",
	"nr_isolated_file", "workingset_nodes", "workingset_refault_anon",
	"workingset_refault_file", "workingset_activate_anon", "workingset_activate_file",
	"workingset_restore_anon", "workingset_restore_file", "workingset_nodereclaim",
	"nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback",
	"nr_writeback_temp", "nr_shmem", "nr_shmem_hugepages", "nr_shmem_pmdmapped",
	"nr_file_hugepages", "nr_file_pmdmapped", "nr_anon_transparent_hugepages",
	"nr_vmscan_write", "nr_vmscan_immediate_reclaim", "nr_dirtied", "nr_written",
	"nr_throttled_written", "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired",
	"nr_foll_pin_released", "nr_kernel_stack", "nr_page_table_pages",
	"nr_sec_page_table_pages", "nr_swapcached",
};

/*
 * A node counter as /proc/vmstat and zoneinfo print it: slab in pages
 * (from the caches' own counts), the THP counters in huge pages, the rest
 * as kept (nr_kernel_stack is in kB).
 */
static unsigned long node_stat_value(struct machine *m, int i, unsigned long reclaimable,
				     unsigned long unreclaimable)
{
	unsigned long v = node_state(m, (enum node_stat_item)i);

	if (i == NR_SLAB_RECLAIMABLE_B)
		v = reclaimable;
	else if (i == NR_SLAB_UNRECLAIMABLE_B)
		v = unreclaimable;
	else if (i == NR_ANON_THPS || i == NR_SHMEM_THPS || i == NR_SHMEM_PMDMAPPED ||
		 i == NR_FILE_THPS || i == NR_FILE_PMDMAPPED)
		v /= thp_nr_pages(m);
	return v;
}

void proc_zoneinfo_show(struct machine *m, FILE *out)
{
	unsigned long slab, reclaimable, unreclaimable;
	bool node_done = false;

	meminfo_slab_values(m, &slab, &reclaimable, &unreclaimable);
	for_each_zone_idx(m, zone) {
		fprintf(out, "Node %d, zone %8s", m->node.node_id, zone->name);
		/* The node's counters come once, with its first populated zone. */
		if (!node_done && populated_zone(zone)) {
			node_done = true;
			fprintf(out, "\n  per-node stats");
			for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
				fprintf(out, "\n      %-12s %lu", node_items[i],
					node_stat_value(m, i, reclaimable, unreclaimable));
			/* NUMA balancing's promotion counters (x86_64). */
			if (!m->is_32bit)
				fprintf(out, "\n      %-12s %lu\n      %-12s %lu", "pgpromote_success", 0UL,
					"pgpromote_candidate", 0UL);
		}
		fprintf(out, "\n  pages free     %lu"
			     "\n        boost    %lu"
			     "\n        min      %lu"
			     "\n        low      %lu"
			     "\n        high     %lu"
			     "\n        spanned  %lu"
			     "\n        present  %lu"
			     "\n        managed  %lu"
			     "\n        cma      %lu",
			zone_page_state(zone, NR_FREE_PAGES), zone->watermark_boost,
			min_wmark_pages(zone), low_wmark_pages(zone), high_wmark_pages(zone),
			zone->spanned_pages, zone->present_pages, zone->managed_pages,
			zone->cma_pages);
		bool first = true;
		for (int j = 0; j < __MAX_NR_ZONES; j++) {
			if (!m->node.node_zones[j].configured)
				continue;
			fprintf(out, first ? "\n        protection: (%ld" : ", %ld", zone->lowmem_reserve[j]);
			first = false;
		}
		fputc(')', out);
		if (!populated_zone(zone)) {
			fputc('\n', out);
			continue;
		}
		for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
			if (i == NR_ZONE_ALLOC_PAGES)
				continue;	/* mmsim's own bookkeeping */
			fprintf(out, "\n      %-12s %lu", zone_items[i],
				zone_page_state(zone, (enum zone_stat_item)i));
		}
		/* The zone's NUMA events (x86_64): one node, every allocation local. */
		if (!m->is_32bit)
			fprintf(out, "\n      %-12s %lu\n      %-12s %lu\n      %-12s %lu"
				     "\n      %-12s %lu\n      %-12s %lu\n      %-12s %lu",
				"numa_hit", zone->numa_hit, "numa_miss", 0UL, "numa_foreign", 0UL,
				"numa_interleave", 0UL, "numa_local", zone->numa_hit, "numa_other", 0UL);
		fprintf(out, "\n  pagesets");
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
			const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
			fprintf(out, "\n    cpu: %u"
				     "\n              count: %d"
				     "\n              high:  %d"
				     "\n              batch: %d",
				cpu, pcp->count, pcp->high, pcp->batch);
			fprintf(out, "\n  vm stats threshold: %d", vm_stat_threshold(m, zone));
		}
		fprintf(out, "\n  node_unreclaimable:  %u"
			     "\n  start_pfn:           %lu", 0u, zone->zone_start_pfn);
		fputc('\n', out);
	}
}

void proc_vmstat_show(struct machine *m, FILE *out)
{
	unsigned long slab, reclaimable, unreclaimable;

	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
		/* NR_ZONE_ALLOC_PAGES is mmsim's own bookkeeping, not a kernel counter. */
		if (i == NR_ZONE_ALLOC_PAGES)
			continue;
		fprintf(out, "%s %lu\n", zone_items[i], global_zone_page_state(m, (enum zone_stat_item)i));
	}
	if (!m->is_32bit)
		fprintf(out, "numa_hit %lu\nnuma_miss 0\nnuma_foreign 0\nnuma_interleave 0\n"
			     "numa_local %lu\nnuma_other 0\n",
			m->events.numa_hit, m->events.numa_hit);
	meminfo_slab_values(m, &slab, &reclaimable, &unreclaimable);
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		fprintf(out, "%s %lu\n", node_items[i], node_stat_value(m, i, reclaimable, unreclaimable));
	/* NUMA balancing's promotion counters (x86_64): nothing is ever promoted. */
	if (!m->is_32bit)
		fputs("pgpromote_success 0\npgpromote_candidate 0\n", out);
	unsigned long bg, dirty;
	global_dirty_limits(m, &bg, &dirty);
	fprintf(out, "nr_dirty_threshold %lu\nnr_dirty_background_threshold %lu\n", dirty, bg);
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		if (!event_configured(m, (enum vm_event_item)i))
			continue;
		fprintf(out, "%s %lu\n", vm_event_names[i], m->events.event[i]);
		/* The per-zone events follow pswpout; the kernel's enum has them there. */
		if (i == PSWPOUT) {
			put_per_zone(m, out, "pgalloc", m->events.pgalloc);
			put_per_zone(m, out, "allocstall", m->events.allocstall);
			put_per_zone(m, out, "pgskip", m->events.pgskip);
		}
	}
	fputs("nr_unstable 0\n", out);
}

/* ---- fragmentation: /sys/kernel/debug/extfrag/ (CONFIG_DEBUG_FS, CONFIG_COMPACTION) ---- */

/* How a zone's free memory lies in blocks, for a request of order @suitable_order. */
struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void fill_contig_page_info(const struct zone *zone, unsigned int suitable_order,
				  struct contig_page_info *info)
{
	*info = (struct contig_page_info){ 0 };
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		unsigned long blocks = zone->free_area[order].nr_free;
		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks << (order - suitable_order);
	}
}

/*
 * __fragmentation_index(): why a request of @order would fail. Towards 0,
 * for lack of memory (reclaim would help); towards 1000, because what is
 * free is in blocks too small (compaction would). -1000: it would not fail.
 */
static int __fragmentation_index(unsigned int order, const struct contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info->free_pages * 1000 / requested) / info->free_blocks_total);
}

int fragmentation_index(const struct zone *zone, unsigned int order)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, order, &info);
	return __fragmentation_index(order, &info);
}

/* unusable_free_index(): the share (in thousandths) of free memory too fragmented for @order. */
static int unusable_free_index(unsigned int order, const struct contig_page_info *info)
{
	if (!info->free_pages)
		return 1000;
	return (int)((info->free_pages - (info->free_blocks_suitable << order)) * 1000 /
		     info->free_pages);
}

static void frag_index_show(struct machine *m, FILE *out, bool unusable)
{
	for_each_populated_zone(m, zone) {
		fprintf(out, "Node %d, zone %8s ", m->node.node_id, zone->name);
		for (unsigned int order = 0; order < MAX_ORDER; order++) {
			struct contig_page_info info;
			fill_contig_page_info(zone, order, &info);
			int index = unusable ? unusable_free_index(order, &info)
					     : __fragmentation_index(order, &info);
			/* -1000 (the request would not fail) prints as -1.000. */
			fprintf(out, "%d.%03d ", index / 1000, index % 1000);
		}
		fputc('\n', out);
	}
}

void extfrag_index_show(struct machine *m, FILE *out)
{
	frag_index_show(m, out, false);
}

void unusable_index_show(struct machine *m, FILE *out)
{
	frag_index_show(m, out, true);
}
