/* vmstat.c — /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo, /proc/vmstat.
 *
 * Formats are Linux 6.1's (mm/vmstat.c) to the space. Counters the
 * simulator does not model yet are left out rather than printed as zero. */
#include <stdio.h>

#include "mm/internal.h"
#include "mm/vmstat.h"

/* Debian's 6.1 kernels are built without CONFIG_CMA: no "CMA" column. */
static const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
};

static bool migratetype_shown(int mt)
{
	return mt != MIGRATE_CMA;
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
			if (!migratetype_shown(mt))
				continue;
			fprintf(out, "Node %4d, zone %8s, type %12s ", m->node.node_id, zone->name,
				migratetype_names[mt]);
			for (int order = 0; order < MAX_ORDER; order++) {
				unsigned long n = 0;
				struct list_head *pos;
				bool overflow = false;
				list_for_each(pos, &zone->free_area[order].free_list[mt]) {
					/* The kernel stops counting here; so do we. */
					if (++n >= 100000) {
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
		if (migratetype_shown(mt))
			fprintf(out, "%12s ", migratetype_names[mt]);
	fputc('\n', out);
	for_each_populated_zone(m, zone) {
		unsigned long count[MIGRATE_TYPES] = { 0 };
		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone);
		     pfn += m->pageblock_nr_pages) {
			if (!pfn_valid(m, pfn) || page_zonenum(pfn_to_page(m, pfn)) != zone->idx)
				continue;
			count[get_pageblock_migratetype(m, pfn)]++;
		}
		fprintf(out, "Node %d, zone %8s ", m->node.node_id, zone->name);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			if (migratetype_shown(mt))
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

void proc_zoneinfo_show(struct machine *m, FILE *out)
{
	for_each_zone_idx(m, zone) {
		fprintf(out, "Node %d, zone %8s", m->node.node_id, zone->name);
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
			zone->spanned_pages, zone->present_pages, zone->managed_pages, 0UL);
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
		fprintf(out, "\n      %-12s %lu", "nr_free_pages", zone_page_state(zone, NR_FREE_PAGES));
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
	static const char *const suffix[__MAX_NR_ZONES] = {
		[ZONE_DMA] = "dma", [ZONE_DMA32] = "dma32", [ZONE_NORMAL] = "normal",
		[ZONE_HIGHMEM] = "high", [ZONE_MOVABLE] = "movable", [ZONE_DEVICE] = "device",
	};

	fprintf(out, "nr_free_pages %lu\n", global_zone_page_state(m, NR_FREE_PAGES));
	for_each_zone_idx(m, zone)
		fprintf(out, "pgalloc_%s %lu\n", suffix[zone->idx], m->events.pgalloc[zone->idx]);
	fprintf(out, "pgfree %lu\n", m->events.pgfree);
}
