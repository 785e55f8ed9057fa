/* show_mem.c — the "Mem-Info:" report the kernel prints when memory runs
 * out (lib/show_mem.c in 6.1; mm/show_mem.c from 6.4): the free areas of
 * the zones a request could use (__show_free_areas, in mm/page_alloc.c),
 * then how many pages there are in all, in high memory, and reserved.
 * The OOM killer's dump_header() and warn_alloc() call it. */
#include "mm.h"

/*
 * __show_mem(): "N pages RAM" counts the pages present in the populated
 * zones; "reserved" what of them the page allocator never got (present -
 * managed: mem_map, the kernel image, memblock's reservations);
 * HighMem/MovableOnly the highmem zones' present pages. Debian's 6.1 has
 * CONFIG_MEMORY_FAILURE (the hwpoisoned line) but no CMA, so no "cma
 * reserved" line.
 */
void __show_mem(struct machine *m, unsigned int filter, int max_zone_idx)
{
	unsigned long total = 0, reserved = 0, highmem = 0;

	printk(m, "Mem-Info:\n");
	__show_free_areas(m, filter, max_zone_idx);
	for_each_populated_zone(m, zone) {
		total += zone->present_pages;
		reserved += zone->present_pages - zone->managed_pages;
		if (is_highmem_idx(m, zone->idx))
			highmem += zone->present_pages;
	}
	printk(m, "%lu pages RAM\n", total);
	printk(m, "%lu pages HighMem/MovableOnly\n", highmem);
	printk(m, "%lu pages reserved\n", reserved);
	printk(m, "%lu pages hwpoisoned\n", 0UL);
}
