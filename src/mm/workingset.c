/* workingset.c — refault detection (mm/workingset.c).
 *
 * When reclaim evicts a page from the page cache or the swap cache, it
 * leaves a shadow entry in the page's slot: the node's nonresident_age — a
 * clock that ticks once for every eviction and every activation — and
 * whether the page was in the working set (PG_workingset, set when it was
 * deactivated). When the page faults back in (a refault), the clock has
 * moved on by the refault distance: the pages evicted or activated since.
 * Had the inactive list been that much larger, the page would have stayed;
 * so if the distance fits in what else could be given to the working set
 * (the active file pages, and with swap the anonymous ones, and for an
 * anonymous page the inactive file pages too) the page comes back active.
 * workingset_refault_*, workingset_activate_* and workingset_restore_* in
 * /proc/vmstat count what it found.
 *
 * Not modelled: workingset_nodes and the shadow-node shrinker (shadows here
 * are one word per slot, not radix-tree nodes), memcg, and the eviction
 * buckets of huge machines (bucket_order is 0 below 2^EVICTION_BITS pages). */
#include <stdlib.h>

#include "fs/fs.h"
#include "mm/internal.h"

void workingset_age_nonresident(struct machine *m, unsigned long nr_pages)
{
	m->node.lruvec.nonresident_age += nr_pages;
}

unsigned long workingset_eviction(struct machine *m, struct page *page)
{
	workingset_age_nonresident(m, page_nr_pages(m, page));
	/* + 1 so that a shadow is never 0, which means "no shadow". */
	return ((m->node.lruvec.nonresident_age + 1) << 1) | (PageWorkingset(page) ? 1 : 0);
}

void workingset_refault(struct machine *m, struct page *page, unsigned long shadow)
{
	bool file = !PageSwapBacked(page);
	unsigned long nr = page_nr_pages(m, page);
	unsigned long eviction = (shadow >> 1) - 1;
	bool workingset = shadow & 1;
	struct pglist_data *pgdat = &m->node;

	pgdat->vm_stat[WORKINGSET_REFAULT_ANON + file] += (long)nr;
	unsigned long refault_distance = pgdat->lruvec.nonresident_age - eviction;
	unsigned long workingset_size = (unsigned long)pgdat->vm_stat[NR_ACTIVE_FILE];
	if (!file)
		workingset_size += (unsigned long)pgdat->vm_stat[NR_INACTIVE_FILE];
	if (get_nr_swap_pages(m) > 0) {
		workingset_size += (unsigned long)pgdat->vm_stat[NR_ACTIVE_ANON];
		if (file)
			workingset_size += (unsigned long)pgdat->vm_stat[NR_INACTIVE_ANON];
	}
	if (refault_distance > workingset_size)
		return;
	__SetPageActive(page);
	workingset_age_nonresident(m, nr);
	pgdat->vm_stat[WORKINGSET_ACTIVATE_ANON + file] += (long)nr;
	/* It was in the working set when it went: it comes back as such. */
	if (workingset) {
		__SetPageWorkingset(page);
		lru_note_cost_refault(m, file, nr);
		pgdat->vm_stat[WORKINGSET_RESTORE_ANON + file] += (long)nr;
	}
}

void workingset_activation(struct machine *m, struct page *page)
{
	workingset_age_nonresident(m, page_nr_pages(m, page));
}

/* The shadow left in @slot of @mapping, taken out (0 if none). */
unsigned long mapping_take_shadow(struct address_space *mapping, unsigned long slot)
{
	if (!mapping->shadows || slot >= mapping->nr_slots)
		return 0;
	unsigned long shadow = mapping->shadows[slot];
	mapping->shadows[slot] = 0;
	return shadow;
}

void mapping_set_shadow(struct address_space *mapping, unsigned long slot, unsigned long shadow)
{
	if (slot >= mapping->nr_slots)
		return;
	if (!mapping->shadows) {
		mapping->shadows = calloc(mapping->nr_slots, sizeof(*mapping->shadows));
		if (!mapping->shadows)
			return;		/* no room: the refault will just not be recognised */
	}
	mapping->shadows[slot] = shadow;
}
