/* verify.c — run every structure's validator over a machine (`verify`).
 *
 * Each mechanism owns its validator (memblock_verify, page_alloc_verify ...);
 * this file only calls them all and checks the invariants that span them. */
#include <stdio.h>

#include "arch/x86/mmu.h"
#include "arch/x86/pgtable.h"
#include "kernel/dma/dma.h"
#include "mm/cma.h"
#include "mm/memblock.h"
#include "mm/percpu.h"
#include "mm/highmem.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm.h"

static unsigned long verify_zone_accounting(struct machine *m, FILE *out)
{
	unsigned long bad = 0, managed = 0;

	for_each_zone_idx(m, zone) {
		managed += zone->managed_pages;
		if (zone->managed_pages > zone->present_pages ||
		    zone->present_pages > zone->spanned_pages) {
			fprintf(out, "zone %s: managed %lu <= present %lu <= spanned %lu does not hold\n",
				zone->name, zone->managed_pages, zone->present_pages, zone->spanned_pages);
			bad++;
		}
		if (min_wmark_pages(zone) > low_wmark_pages(zone) ||
		    low_wmark_pages(zone) > high_wmark_pages(zone)) {
			fprintf(out, "zone %s: watermarks out of order (min %lu low %lu high %lu)\n",
				zone->name, min_wmark_pages(zone), low_wmark_pages(zone),
				high_wmark_pages(zone));
			bad++;
		}
	}
	if (managed != m->totalram_pages) {
		fprintf(out, "totalram_pages %lu != sum of managed pages %lu\n", m->totalram_pages, managed);
		bad++;
	}
	return bad;
}

unsigned long mmsim_verify(struct machine *m, FILE *out)
{
	return memblock_verify(m, out) + verify_zone_accounting(m, out) + page_alloc_verify(m, out) +
	       pgtable_verify(m, out) + mmu_verify(m, out) + kmap_verify(m, out) + slab_verify(m, out) +
	       vmalloc_verify(m, out) + pcpu_verify(m, out) + mm_verify(m, out) + dma_verify(m, out) + cma_verify(m, out);
}
