/* swap_slots.c — the per-CPU cache of swap slots (mm/swap_slots.c).
 *
 * Taking a slot from an area means scanning its swap_map under the area's
 * lock, so each CPU takes SWAP_SLOTS_CACHE_SIZE (64) at once and hands
 * them out one by one; freed slots likewise wait in a per-CPU return
 * cache and go back 64 at a time. Until then they are neither free nor
 * used by anyone: SwapFree drops by a whole batch when the first page of
 * it is swapped out, which is what the real kernel shows too. The cache
 * only runs while there is plenty of swap (more free slots than 5 × 64
 * per CPU); below 2 × 64 per CPU it is drained and slots go one at a time. */
#include "mm/internal.h"
#include "mm/swap.h"

#define THRESHOLD_ACTIVATE	(5 * SWAP_SLOTS_CACHE_SIZE)
#define THRESHOLD_DEACTIVATE	(2 * SWAP_SLOTS_CACHE_SIZE)

static void drain_cpu(struct machine *m, struct swap_slots_cache *c)
{
	swapcache_free_entries(m, c->slots + c->cur, c->nr);
	c->cur = c->nr = 0;
	if (c->n_ret) {
		swapcache_free_entries(m, c->slots_ret, c->n_ret);
		c->n_ret = 0;
	}
}

void swap_slots_drain(struct machine *m)
{
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		drain_cpu(m, &m->swap->slots[cpu]);
}

/* check_cache_active() (and __reenable_swap_slots_cache() after swapon/swapoff). */
static bool check_cache_active(struct machine *m)
{
	struct swap_state *s = m->swap;
	long pages = get_nr_swap_pages(m);

	if (!s->slots_cache_enabled)
		return false;
	if (!s->slots_cache_active) {
		if (pages > (long)m->nr_cpus * THRESHOLD_ACTIVATE)
			s->slots_cache_active = true;
	} else if (pages < (long)m->nr_cpus * THRESHOLD_DEACTIVATE) {
		s->slots_cache_active = false;
		swap_slots_drain(m);
	}
	return s->slots_cache_active;
}

void swap_slots_check_active(struct machine *m)
{
	bool usable = false;

	for (unsigned int t = 0; t < m->swap->nr_swapfiles; t++)
		usable |= (m->swap->info[t]->flags & SWP_WRITEOK) != 0;
	m->swap->slots_cache_enabled = usable;
	if (!usable) {
		swap_slots_drain(m);
		m->swap->slots_cache_active = false;
	}
}

swp_entry_t folio_alloc_swap(struct machine *m)
{
	struct swap_slots_cache *c = &m->swap->slots[m->cur_cpu];
	swp_entry_t entry = { 0, 0 };

	if (check_cache_active(m)) {
		if (!c->nr) {
			c->cur = 0;
			c->nr = (unsigned int)get_swap_pages(m, SWAP_SLOTS_CACHE_SIZE, c->slots);
		}
		if (c->nr) {
			entry = c->slots[c->cur++];
			c->nr--;
			return entry;
		}
	}
	get_swap_pages(m, 1, &entry);
	return entry;
}

void free_swap_slot(struct machine *m, swp_entry_t entry)
{
	struct swap_slots_cache *c = &m->swap->slots[m->cur_cpu];

	if (m->swap->slots_cache_active && m->swap->slots_cache_enabled) {
		if (c->n_ret >= SWAP_SLOTS_CACHE_SIZE) {
			swapcache_free_entries(m, c->slots_ret, c->n_ret);
			c->n_ret = 0;
		}
		c->slots_ret[c->n_ret++] = entry;
	} else {
		swapcache_free_entries(m, &entry, 1);
	}
}

bool swap_slot_cached(struct machine *m, swp_entry_t entry)
{
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct swap_slots_cache *c = &m->swap->slots[cpu];
		for (unsigned int i = 0; i < c->nr; i++)
			if (c->slots[c->cur + i].type == entry.type && c->slots[c->cur + i].offset == entry.offset)
				return true;
		for (unsigned int i = 0; i < c->n_ret; i++)
			if (c->slots_ret[i].type == entry.type && c->slots_ret[i].offset == entry.offset)
				return true;
	}
	return false;
}
