/* meminfo.c — /proc/meminfo (fs/proc/meminfo.c).
 *
 * Each line is "Label:" padded to 16 columns and a value in kB padded to 8,
 * as show_val_kb() prints it. Lines whose value the simulator does not yet
 * model (page cache, slab, swap, vmalloc ...) are omitted; each capability
 * adds its own lines when it lands. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86/pgtable.h"
#include "mm.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"

static void show_val_kb(FILE *out, const char *label, unsigned long pages)
{
	fprintf(out, "%-16s%8lu kB\n", label, pages << (PAGE_SHIFT - 10));
}

/*
 * si_mem_available(): free pages minus the reserves the allocator will not
 * hand out (totalreserve_pages); page cache and reclaimable slab would add
 * to it once they exist.
 */
static unsigned long si_mem_available(struct machine *m)
{
	long available = (long)global_zone_page_state(m, NR_FREE_PAGES) -
			 (long)m->totalreserve_pages;
	unsigned long wmark_low = 0, slab, reclaimable, unreclaimable;

	for_each_zone_idx(m, zone)
		wmark_low += low_wmark_pages(zone);
	/* Part of reclaimable slab is in use and cannot be freed: cap at the low mark. */
	meminfo_slab_values(m, &slab, &reclaimable, &unreclaimable);
	available += (long)reclaimable - (long)min_t(unsigned long, reclaimable / 2, wmark_low);
	return available < 0 ? 0 : (unsigned long)available;
}

void proc_meminfo_show(struct machine *m, FILE *out)
{
	unsigned long free = global_zone_page_state(m, NR_FREE_PAGES);

	show_val_kb(out, "MemTotal:", m->totalram_pages);
	show_val_kb(out, "MemFree:", free);
	show_val_kb(out, "MemAvailable:", si_mem_available(m));
	if (m->is_32bit) {
		unsigned long high_free = 0;
		for_each_zone_idx(m, zone)
			if (zone->is_highmem)
				high_free += zone_page_state(zone, NR_FREE_PAGES);
		show_val_kb(out, "HighTotal:", m->totalhigh_pages);
		show_val_kb(out, "HighFree:", high_free);
		show_val_kb(out, "LowTotal:", m->totalram_pages - m->totalhigh_pages);
		show_val_kb(out, "LowFree:", free - high_free);
	}
	unsigned long slab, reclaimable, unreclaimable;
	meminfo_slab_values(m, &slab, &reclaimable, &unreclaimable);
	show_val_kb(out, "KReclaimable:", reclaimable);
	show_val_kb(out, "Slab:", slab);
	show_val_kb(out, "SReclaimable:", reclaimable);
	show_val_kb(out, "SUnreclaim:", unreclaimable);
	/* vm_commit_limit(): overcommit_ratio 50% of RAM, no swap, no hugetlb. */
	show_val_kb(out, "CommitLimit:", m->totalram_pages * 50 / 100);
	uint64_t vtotal, vused;
	meminfo_vmalloc_values(m, &vtotal, &vused);
	fprintf(out, "%-16s%8" PRIu64 " kB\n", "VmallocTotal:", vtotal);
	fprintf(out, "%-16s%8" PRIu64 " kB\n", "VmallocUsed:", vused);
	fprintf(out, "%-16s%8d kB\n", "VmallocChunk:", 0);
	/* arch_report_meminfo(): the direct map by page size. */
	fprintf(out, "%-16s%8lu kB\n", "DirectMap4k:", m->direct_pages_count[PT_PTE] << 2);
	if (m->is_32bit)
		fprintf(out, "%-16s%8lu kB\n", "DirectMap4M:", m->direct_pages_count[PT_PGD] << 12);
	else
		fprintf(out, "%-16s%8lu kB\n", "DirectMap2M:", m->direct_pages_count[PT_PMD] << 11);
}
