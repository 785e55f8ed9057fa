/* vmscan.c — page reclaim: kswapd and direct reclaim (mm/vmscan.c).
 *
 * This is 6.1's classic two-list LRU reclaim, which is what Debian 12's
 * kernel runs: it is built with multi-gen LRU, but
 * /sys/kernel/mm/lru_gen/enabled reads 0x0000 on it.
 *
 * Reclaim works on the node's LRU lists from their tails (the oldest end):
 *   - get_scan_count() decides how many pages of each list to look at this
 *     round: the list's size >> priority (12 down to 0), split between
 *     anonymous and file pages by vm.swappiness and by what reclaiming each
 *     cost lately (anon_cost, file_cost); no swap, no anonymous scanning;
 *   - shrink_active_list() moves pages from an active list to its inactive
 *     one when the inactive list is too small for its size (inactive_ratio
 *     = sqrt(10 × GB)), keeping only referenced executable file pages;
 *   - shrink_folio_list() looks at each inactive page: referenced twice (its
 *     PTEs' Accessed bits through rmap, and PG_referenced) it is activated,
 *     referenced once it is kept for one more trip; otherwise an anonymous
 *     page gets a swap slot and the swap cache, every PTE that maps it is
 *     replaced by its swap entry (try_to_unmap), it is written out, and
 *     freed; a clean file page is unmapped and dropped from the page cache.
 * kswapd is woken when an allocation finds a zone below its low watermark
 * and reclaims until every zone up to the one the allocation wanted is
 * above high (balance_pgdat); an allocation that finds no zone above min
 * reclaims directly (try_to_free_pages) before it may go on to the OOM
 * killer.
 *
 * kswapd0 is a kernel thread of its own. It runs when it is woken and the
 * CPU gets to it: at the end of a fault, between system calls and between
 * scenario commands — the points where a woken kernel thread preempts a
 * task on the real kernel. While it runs it is current (PF_KSWAPD), so its
 * scanning counts as pgscan_kswapd and its page frees as its own.
 *
 * A transparent huge page is split before it goes to swap (no swap area
 * of mmsim's can take one whole), and the deferred split queue's shrinker
 * runs where shrink_slab() would (both in huge_memory.c).
 *
 * Evicted pages leave shadow entries, so refaults are recognised
 * (workingset.c); shmem pages are written to swap by shmem_writepage().
 * shrink_slab() runs the shrinkers mmsim has: the inode cache's and the
 * deferred split queue's. Not modelled (yet): dentries (there is no dcache),
 * compaction before reclaim, and writeback throttling. */
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"
#include "kernel/sched.h"
#include "kernel/trace.h"
#include "lib/int_sqrt.h"
#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/migrate.h"
#include "mm/swap.h"

#define DEF_PRIORITY		12

enum { DEACTIVATE_ANON = 1, DEACTIVATE_FILE = 2 };

struct scan_control {
	unsigned long nr_to_reclaim;
	gfp_t gfp_mask;
	int order;
	int priority;
	int reclaim_idx;		/* the highest zone reclaim takes pages from */
	bool may_writepage, may_unmap, may_swap;
	unsigned int may_deactivate;	/* DEACTIVATE_ANON | DEACTIVATE_FILE */
	bool force_deactivate, skipped_deactivate;
	bool cache_trim_mode, file_is_tiny;
	unsigned long anon_cost, file_cost;
	unsigned long nr_scanned, nr_reclaimed;
	struct {
		unsigned long dirty, unqueued_dirty, congested, writeback, immediate, file_taken, taken;
	} nr;
};

/* What one shrink_folio_list() saw (struct reclaim_stat). */
struct reclaim_stat {
	unsigned long nr_dirty, nr_unqueued_dirty, nr_congested, nr_writeback, nr_immediate;
	unsigned long nr_pageout, nr_activate[2], nr_ref_keep, nr_unmap_fail;
};

enum page_references { PAGEREF_RECLAIM, PAGEREF_RECLAIM_CLEAN, PAGEREF_KEEP, PAGEREF_ACTIVATE };

static inline bool current_is_kswapd(struct machine *m)
{
	return get_current(m)->flags & PF_KSWAPD;
}

static inline bool is_file_lru(enum lru_list lru)
{
	return lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE;
}

static inline bool is_active_lru(enum lru_list lru)
{
	return lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE;
}

/* folio_is_file_lru(): on the file lists (anything not swap-backed). */
static inline bool page_is_file_lru(const struct page *page)
{
	return !PageSwapBacked(page);
}

/* lruvec_lru_size(): the list's pages in the zones up to @zone_idx. */
static unsigned long lruvec_lru_size(struct machine *m, enum lru_list lru, int zone_idx)
{
	unsigned long size = 0;

	for (int z = 0; z <= zone_idx && z < __MAX_NR_ZONES; z++) {
		struct zone *zone = &m->node.node_zones[z];
		if (managed_zone(zone))
			size += (unsigned long)zone->vm_stat[NR_ZONE_LRU_BASE + lru];
	}
	return size;
}

static inline unsigned long node_lru(struct machine *m, enum lru_list lru)
{
	return (unsigned long)m->node.vm_stat[NR_LRU_BASE + lru];
}

static bool can_reclaim_anon_pages(struct machine *m)
{
	return get_nr_swap_pages(m) > 0;
}

/* can_age_anon_pages(): aging the anonymous lists is worth it when there is swap at all. */
static bool can_age_anon_pages(struct machine *m)
{
	return total_swap_pages(m) > 0;
}

/*
 * inactive_is_low(): the inactive list should hold 1/(1 + ratio) of its
 * type, ratio = sqrt(10 × the type's size in GB) (1 below a gigabyte).
 */
static bool inactive_is_low(struct machine *m, enum lru_list inactive_lru)
{
	unsigned long inactive = node_lru(m, inactive_lru);
	unsigned long active = node_lru(m, inactive_lru + 1);
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT);
	unsigned long ratio = gb ? int_sqrt(10 * gb) : 1;

	return inactive * ratio < active;
}

/* lru_note_cost(): pages written out make their type dearer to reclaim; old costs decay. */
static void lru_note_cost(struct machine *m, bool file, unsigned long nr_pages)
{
	struct lruvec *lruvec = &m->node.lruvec;

	if (file)
		lruvec->file_cost += nr_pages;
	else
		lruvec->anon_cost += nr_pages;
	unsigned long lrusize = node_lru(m, LRU_INACTIVE_ANON) + node_lru(m, LRU_ACTIVE_ANON) +
				node_lru(m, LRU_INACTIVE_FILE) + node_lru(m, LRU_ACTIVE_FILE);
	if (lruvec->file_cost + lruvec->anon_cost > lrusize / 4) {
		lruvec->file_cost /= 2;
		lruvec->anon_cost /= 2;
	}
}

void lru_note_cost_refault(struct machine *m, bool file, unsigned long nr_pages)
{
	lru_note_cost(m, file, nr_pages);
}

/* ---- taking pages off the LRU and putting them back ------------------------------------ */

/*
 * isolate_lru_folios(): up to @nr_to_scan pages from the tail of @lru onto
 * @dst, each with a reference and PG_lru cleared. Pages of zones above
 * reclaim_idx are skipped (and put at the list's head, counted as pgskip).
 */
static unsigned long isolate_lru_pages(struct machine *m, unsigned long nr_to_scan,
				       enum lru_list lru, struct list_head *dst,
				       unsigned long *nr_scanned, struct scan_control *sc)
{
	struct list_head *src = &m->node.lruvec.lists[lru];
	unsigned long nr_taken = 0, scan = 0, total_scan = 0;
	unsigned long nr_skipped[__MAX_NR_ZONES] = { 0 };
	struct list_head skipped;

	INIT_LIST_HEAD(&skipped);
	while (scan < nr_to_scan && !list_empty(src)) {
		struct page *page = list_entry(src->prev, struct page, lru);
		unsigned long nr = page_nr_pages(m, page);
		int zid = page_zone(m, page)->idx;
		total_scan += nr;
		if (zid > sc->reclaim_idx) {
			nr_skipped[zid] += nr;
			list_move(&page->lru, &skipped);
			continue;
		}
		scan += nr;
		if (!sc->may_unmap && page->_mapcount >= 0) {
			list_move(&page->lru, src);
			continue;
		}
		lruvec_del_page(m, page);
		__ClearPageLRU(page);
		get_page(page);
		list_add(&page->lru, dst);
		nr_taken += nr;
	}
	if (!list_empty(&skipped)) {
		list_splice(&skipped, src);
		for (int z = 0; z < __MAX_NR_ZONES; z++)
			m->events.pgskip[z] += nr_skipped[z];
	}
	*nr_scanned = total_scan;
	return nr_taken;
}

/*
 * folio_isolate_lru(): @page off its LRU list, with a reference for the
 * isolator and PG_lru clear, so that reclaim and other isolators leave it
 * alone. false if it is on no list (in a per-CPU batch, or isolated by
 * someone else already).
 */
bool isolate_lru_page(struct machine *m, struct page *page)
{
	page = compound_head(page);
	if (!PageLRU(page))
		return false;
	get_page(page);
	__ClearPageLRU(page);
	lruvec_del_page(m, page);
	return true;
}

void putback_lru_page(struct machine *m, struct page *page)
{
	lru_cache_add(m, page);
	put_page(m, page);
}

/*
 * move_folios_to_lru(): back onto the lists their flags name; a page whose
 * isolation reference was its last is freed instead. Returns the pages moved.
 */
static unsigned long move_pages_to_lru(struct machine *m, struct list_head *list)
{
	unsigned long nr_moved = 0;

	while (!list_empty(list)) {
		struct page *page = list_entry(list->next, struct page, lru);
		list_del(&page->lru);
		if (!page_evictable(page)) {
			/* folio_putback_lru(): through the LRU batch, onto the unevictable list. */
			lru_cache_add(m, page);
			put_page(m, page);
			continue;
		}
		if (page_ref_count(page) == 1) {
			put_page(m, page);	/* reclaimed, or freed by someone else meanwhile */
			continue;
		}
		page->_refcount--;
		__SetPageLRU(page);
		lruvec_add_page(m, page);
		nr_moved += page_nr_pages(m, page);
		if (PageActive(page))
			workingset_age_nonresident(m, page_nr_pages(m, page));
	}
	return nr_moved;
}

/* ---- the inactive list ------------------------------------------------------------------ */

static enum page_references page_check_references(struct machine *m, struct page *page)
{
	unsigned long vm_flags;
	int referenced_ptes = page_referenced(m, page, &vm_flags);
	bool referenced_page = PageReferenced(page);

	__ClearPageReferenced(page);
	/* Found in a VM_LOCKED VMA: it goes to the unevictable list. */
	if (vm_flags & VM_LOCKED)
		return PAGEREF_ACTIVATE;
	if (referenced_ptes) {
		/*
		 * Every mapped page starts referenced by the fault that mapped
		 * it: look twice. Referenced again next time, it is activated.
		 */
		__SetPageReferenced(page);
		if (referenced_page || referenced_ptes > 1)
			return PAGEREF_ACTIVATE;
		/* Executable file pages are activated after their first use. */
		if ((vm_flags & VM_EXEC) && page_is_file_lru(page))
			return PAGEREF_ACTIVATE;
		return PAGEREF_KEEP;
	}
	/* Reclaim if clean, defer dirty pages to writeback. */
	if (referenced_page && page_is_file_lru(page))
		return PAGEREF_RECLAIM_CLEAN;
	return PAGEREF_RECLAIM;
}

enum pageout_result { PAGE_KEEP, PAGE_ACTIVATE, PAGE_SUCCESS, PAGE_CLEAN };

/*
 * pageout(): write a dirty page to its backing store. It may be written
 * only if nothing but the cache and the isolation hold it.
 */
static enum pageout_result pageout(struct machine *m, struct page *page)
{
	if (page_ref_count(page) != 2)
		return PAGE_KEEP;
	if (!PageDirty(page))
		return PAGE_CLEAN;
	__ClearPageDirty(page);
	__SetPageReclaim(page);
	int err;
	struct address_space *mapping = page_mapping(page);
	if (PageSwapCache(page)) {
		err = swap_writepage(m, page);
	} else if (mapping && mapping->swap_backed) {
		/* shmem: to swap, or kept (no swap: AOP_WRITEPAGE_ACTIVATE). */
		err = shmem_writepage(m, page);
		if (err > 0) {
			__ClearPageReclaim(page);
			return PAGE_ACTIVATE;
		}
	} else {
		/* The page was dirty in the cache's count until now. */
		m->node.vm_stat[NR_FILE_DIRTY]--;
		page_zone(m, page)->vm_stat[NR_ZONE_WRITE_PENDING]--;
		err = mapping ? writeback_page(m, mapping, page) : -MMSIM_EIO;
	}
	if (err)
		return PAGE_ACTIVATE;
	if (!PageWriteback(page))
		__ClearPageReclaim(page);	/* written synchronously: nothing to rotate later */
	m->node.vm_stat[NR_VMSCAN_WRITE]++;
	return PAGE_SUCCESS;
}

/*
 * __remove_mapping(): take a clean, unmapped page out of its cache, if the
 * cache and the isolation are all that hold it.
 */
static bool remove_mapping(struct machine *m, struct page *page)
{
	if (page_ref_count(page) != 2 || PageDirty(page))
		return false;
	/* The page leaves a shadow in its slot, for refault detection (workingset.c). */
	if (PageSwapCache(page)) {
		swp_entry_t entry = page_swap_entry(page);
		unsigned long shadow = workingset_eviction(m, page);
		__delete_from_swap_cache(m, page);
		mapping_set_shadow(&swp_swap_info(m, entry)->cache, entry.offset, shadow);
		put_swap_page(m, entry);
	} else {
		struct address_space *mapping = page_mapping(page);
		if (!mapping)
			return false;
		unsigned long shadow = workingset_eviction(m, page);
		remove_from_page_cache(m, mapping, page);
		mapping_set_shadow(mapping, page->index, shadow);
	}
	page->_refcount--;	/* the cache's reference; the isolation's is the last */
	return true;
}

static unsigned long shrink_page_list(struct machine *m, struct list_head *page_list,
				      struct scan_control *sc, struct reclaim_stat *stat)
{
	struct list_head ret_pages, free_pages;
	unsigned long nr_reclaimed = 0;

	INIT_LIST_HEAD(&ret_pages);
	INIT_LIST_HEAD(&free_pages);
	memset(stat, 0, sizeof(*stat));
	while (!list_empty(page_list)) {
		struct page *page = list_entry(page_list->prev, struct page, lru);
		unsigned long nr_pages = page_nr_pages(m, page);
		enum page_references references;

		list_del(&page->lru);
		sc->nr_scanned += nr_pages;
		if (!page_evictable(page))
			goto activate_locked;
		if (!sc->may_unmap && page->_mapcount >= 0)
			goto keep;
		if (PageDirty(page) || PageWriteback(page))
			stat->nr_dirty += nr_pages;
		if (PageDirty(page) && !PageWriteback(page))
			stat->nr_unqueued_dirty += nr_pages;
		if (PageWriteback(page) && PageReclaim(page))
			stat->nr_congested += nr_pages;
		if (PageWriteback(page)) {
			/*
			 * Met again before its write completed. kswapd, with the node
			 * flagged for it, leaves it for the completion to rotate; any
			 * other reclaim marks it for immediate reclaim and moves on.
			 */
			if (current_is_kswapd(m) && PageReclaim(page) && m->reclaim->pgdat_writeback) {
				stat->nr_immediate += nr_pages;
				goto keep;
			}
			__SetPageReclaim(page);
			stat->nr_writeback += nr_pages;
			goto activate_locked;
		}
		references = page_check_references(m, page);
		switch (references) {
		case PAGEREF_ACTIVATE:
			goto activate_locked;
		case PAGEREF_KEEP:
			stat->nr_ref_keep += nr_pages;
			goto keep;
		case PAGEREF_RECLAIM:
		case PAGEREF_RECLAIM_CLEAN:
			break;
		}
		/* Anonymous memory needs a place in swap before it can go. */
		if (PageAnon(page) && PageSwapBacked(page) && !PageSwapCache(page)) {
			if (!(sc->gfp_mask & __GFP_IO))
				goto keep;
			if (PageHead(page)) {
				if (!can_split_folio(m, page, NULL))
					goto activate_locked;
				/* No PMD maps it: split now, its unmapped pages may go without I/O. */
				if (compound_mapcount(page) < 0 && split_huge_page_to_list(m, page, page_list))
					goto activate_locked;
			}
			if (!add_to_swap(m, page)) {
				if (!PageHead(page))
					goto activate_locked_split;
				/* No room for it whole: swap its pages one by one. */
				if (split_huge_page_to_list(m, page, page_list))
					goto activate_locked;
				count_vm_event(m, THP_SWPOUT_FALLBACK);
				if (!add_to_swap(m, page))
					goto activate_locked_split;
			}
		}
		/* Split above: the tails make their own pass through this loop, and count then. */
		if (nr_pages > 1 && !PageHead(page)) {
			sc->nr_scanned -= nr_pages - 1;
			nr_pages = 1;
		}
		if (page->_mapcount >= 0) {
			bool was_swapbacked = PageSwapBacked(page);
			try_to_unmap(m, page);
			if (page->_mapcount >= 0) {
				stat->nr_unmap_fail += nr_pages;
				(void)was_swapbacked;
				goto activate_locked;
			}
		}
		if (PageDirty(page)) {
			/*
			 * Dirty file pages are the flushers' to write, not reclaim's —
			 * but kswapd writes them once the node is known to be full of
			 * them (PGDAT_DIRTY), and this one came round again (PG_reclaim).
			 */
			if (page_is_file_lru(page) &&
			    (!current_is_kswapd(m) || !PageReclaim(page) || !m->reclaim->pgdat_dirty)) {
				m->node.vm_stat[NR_VMSCAN_IMMEDIATE] += (long)nr_pages;
				__SetPageReclaim(page);
				goto activate_locked;
			}
			if (references == PAGEREF_RECLAIM_CLEAN)
				goto keep;
			if (!sc->may_writepage)
				goto keep;
			switch (pageout(m, page)) {
			case PAGE_KEEP:
				goto keep;
			case PAGE_ACTIVATE:
				goto activate_locked;
			case PAGE_SUCCESS:
				stat->nr_pageout += nr_pages;
				if (PageWriteback(page) || PageDirty(page))
					goto keep;
				break;	/* a synchronous write: free it now */
			case PAGE_CLEAN:
				break;
			}
		}
		if (PageAnon(page) && !PageSwapBacked(page)) {
			/* MADV_FREE: the isolation's reference is the last; it is freed below. */
			if (page_ref_count(page) != 1)
				goto keep;
			count_vm_events(m, PGLAZYFREED, nr_pages);
		} else if (!remove_mapping(m, page)) {
			goto keep;
		}
		nr_reclaimed += nr_pages;
		list_add(&page->lru, &free_pages);
		continue;
activate_locked_split:
		/* A page split above that found no slot: count it as the one page it now is. */
		if (nr_pages > 1) {
			sc->nr_scanned -= nr_pages - 1;
			nr_pages = 1;
		}
activate_locked:
		/* Not a candidate for swapping: give its slot back if swap is short. */
		if (PageSwapCache(page) && (vm_swap_full(m) || PageMlocked(page)))
			try_to_free_swap(m, page);
		if (!PageMlocked(page)) {
			__SetPageActive(page);
			stat->nr_activate[page_is_file_lru(page)] += nr_pages;
		}
keep:
		list_add(&page->lru, &ret_pages);
	}
	while (!list_empty(&free_pages)) {
		struct page *page = list_entry(free_pages.next, struct page, lru);
		list_del(&page->lru);
		__ClearPageActive(page);
		put_page(m, page);	/* the isolation's reference: the page goes back to the buddy */
	}
	count_vm_events(m, PGACTIVATE, stat->nr_activate[0] + stat->nr_activate[1]);
	list_splice(&ret_pages, page_list);
	return nr_reclaimed;
}

static unsigned long shrink_inactive_list(struct machine *m, unsigned long nr_to_scan,
					  enum lru_list lru, struct scan_control *sc)
{
	struct list_head page_list;
	unsigned long nr_scanned;
	bool file = is_file_lru(lru);
	struct reclaim_stat stat;

	INIT_LIST_HEAD(&page_list);
	lru_add_drain(m);
	unsigned long nr_taken = isolate_lru_pages(m, nr_to_scan, lru, &page_list, &nr_scanned, sc);
	m->node.vm_stat[NR_ISOLATED_ANON + file] += (long)nr_taken;
	count_vm_events(m, current_is_kswapd(m) ? PGSCAN_KSWAPD : PGSCAN_DIRECT, nr_scanned);
	count_vm_events(m, PGSCAN_ANON + file, nr_scanned);
	if (!nr_taken)
		return 0;
	unsigned long nr_reclaimed = shrink_page_list(m, &page_list, sc, &stat);
	move_pages_to_lru(m, &page_list);
	m->node.vm_stat[NR_ISOLATED_ANON + file] -= (long)nr_taken;
	count_vm_events(m, current_is_kswapd(m) ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, nr_reclaimed);
	count_vm_events(m, PGSTEAL_ANON + file, nr_reclaimed);
	lru_note_cost(m, file, stat.nr_pageout);
	/* Dirty pages the flushers have not started on: wake them. */
	if (stat.nr_unqueued_dirty && stat.nr_unqueued_dirty == nr_taken)
		wakeup_flusher_threads(m);
	sc->nr.dirty += stat.nr_dirty;
	sc->nr.congested += stat.nr_congested;
	sc->nr.unqueued_dirty += stat.nr_unqueued_dirty;
	sc->nr.writeback += stat.nr_writeback;
	sc->nr.immediate += stat.nr_immediate;
	sc->nr.taken += nr_taken;
	if (file)
		sc->nr.file_taken += nr_taken;
	return nr_reclaimed;
}

/* ---- the active list --------------------------------------------------------------------- */

static void shrink_active_list(struct machine *m, unsigned long nr_to_scan, enum lru_list lru,
			       struct scan_control *sc)
{
	struct list_head l_hold, l_active, l_inactive;
	unsigned long nr_scanned;
	bool file = is_file_lru(lru);

	INIT_LIST_HEAD(&l_hold);
	INIT_LIST_HEAD(&l_active);
	INIT_LIST_HEAD(&l_inactive);
	lru_add_drain(m);
	unsigned long nr_taken = isolate_lru_pages(m, nr_to_scan, lru, &l_hold, &nr_scanned, sc);
	m->node.vm_stat[NR_ISOLATED_ANON + file] += (long)nr_taken;
	count_vm_events(m, PGREFILL, nr_scanned);
	while (!list_empty(&l_hold)) {
		struct page *page = list_entry(l_hold.prev, struct page, lru);
		unsigned long vm_flags;
		list_del(&page->lru);
		if (!page_evictable(page)) {
			lru_cache_add(m, page);
			put_page(m, page);
			continue;
		}
		/*
		 * Referenced executable file pages get another trip round the
		 * active list, so that code survives moderate pressure; anon
		 * VM_EXEC pages (JIT heaps) are not special.
		 */
		if (page_referenced(m, page, &vm_flags) && (vm_flags & VM_EXEC) &&
		    page_is_file_lru(page)) {
			list_add(&page->lru, &l_active);
			continue;
		}
		__ClearPageActive(page);
		__SetPageWorkingset(page);	/* it was in use: a refault brings it back active */
		list_add(&page->lru, &l_inactive);
	}
	move_pages_to_lru(m, &l_active);
	unsigned long nr_deactivate = move_pages_to_lru(m, &l_inactive);
	count_vm_events(m, PGDEACTIVATE, nr_deactivate);
	m->node.vm_stat[NR_ISOLATED_ANON + file] -= (long)nr_taken;
}

static unsigned long shrink_list(struct machine *m, enum lru_list lru, unsigned long nr_to_scan,
				 struct scan_control *sc)
{
	if (is_active_lru(lru)) {
		if (sc->may_deactivate & (1U << is_file_lru(lru)))
			shrink_active_list(m, nr_to_scan, lru, sc);
		else
			sc->skipped_deactivate = true;
		return 0;
	}
	return shrink_inactive_list(m, nr_to_scan, lru, sc);
}

/* ---- how much of each list: get_scan_count ----------------------------------------------- */

enum scan_balance { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE };

static void get_scan_count(struct machine *m, struct scan_control *sc, unsigned long *nr)
{
	int swappiness = m->swap->swappiness;
	uint64_t fraction[2] = { 0, 0 }, denominator = 0;
	enum scan_balance scan_balance;

	if (!sc->may_swap || !can_reclaim_anon_pages(m))
		scan_balance = SCAN_FILE;
	else if (!sc->priority && swappiness)
		scan_balance = SCAN_EQUAL;	/* close to OOM: both alike */
	else if (sc->file_is_tiny)
		scan_balance = SCAN_ANON;
	else if (sc->cache_trim_mode)
		scan_balance = SCAN_FILE;	/* plenty of inactive cache: that first */
	else {
		/*
		 * Pressure inversely proportional to what reclaiming each type
		 * cost lately, weighted by swappiness (100: the same I/O cost);
		 * each type gets at least a third of it before swappiness.
		 */
		uint64_t total_cost = sc->anon_cost + sc->file_cost;
		uint64_t anon_cost = total_cost + sc->anon_cost;
		uint64_t file_cost = total_cost + sc->file_cost;
		total_cost = anon_cost + file_cost;
		uint64_t ap = (uint64_t)swappiness * (total_cost + 1) / (anon_cost + 1);
		uint64_t fp = (uint64_t)(200 - swappiness) * (total_cost + 1) / (file_cost + 1);
		fraction[0] = ap;
		fraction[1] = fp;
		denominator = ap + fp;
		scan_balance = SCAN_FRACT;
	}
	for (enum lru_list lru = LRU_INACTIVE_ANON; lru <= LRU_ACTIVE_FILE; lru++) {
		bool file = is_file_lru(lru);
		unsigned long scan = lruvec_lru_size(m, lru, sc->reclaim_idx) >> sc->priority;
		switch (scan_balance) {
		case SCAN_EQUAL:
			break;
		case SCAN_FRACT:
			scan = (unsigned long)((uint64_t)scan * fraction[file] / denominator);
			break;
		case SCAN_FILE:
		case SCAN_ANON:
			if ((scan_balance == SCAN_FILE) != file)
				scan = 0;
			break;
		}
		nr[lru] = scan;
	}
}

static void shrink_lruvec(struct machine *m, struct scan_control *sc)
{
	unsigned long nr[NR_LRU_LISTS] = { 0 }, targets[NR_LRU_LISTS];
	unsigned long nr_reclaimed = 0, nr_to_reclaim = sc->nr_to_reclaim;

	get_scan_count(m, sc, nr);
	memcpy(targets, nr, sizeof(nr));
	/* Direct reclaim at the first priority scans all it was told to: a normal pass. */
	bool proportional_reclaim = !current_is_kswapd(m) && sc->priority == DEF_PRIORITY;
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
		for (enum lru_list lru = LRU_INACTIVE_ANON; lru <= LRU_ACTIVE_FILE; lru++) {
			if (nr[lru]) {
				unsigned long nr_to_scan = nr[lru] < SWAP_CLUSTER_MAX ? nr[lru] : SWAP_CLUSTER_MAX;
				nr[lru] -= nr_to_scan;
				nr_reclaimed += shrink_list(m, lru, nr_to_scan, sc);
			}
		}
		if (nr_reclaimed < nr_to_reclaim || proportional_reclaim)
			continue;
		/*
		 * Enough reclaimed: stop the type that is further along and cut
		 * the other down to the same share of its original target.
		 */
		unsigned long nr_file = nr[LRU_INACTIVE_FILE] + nr[LRU_ACTIVE_FILE];
		unsigned long nr_anon = nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON];
		if (!nr_file || !nr_anon)
			break;
		enum lru_list lru;
		unsigned long percentage;
		if (nr_file > nr_anon) {
			lru = LRU_INACTIVE_ANON;
			percentage = nr_anon * 100 / (targets[LRU_INACTIVE_ANON] + targets[LRU_ACTIVE_ANON] + 1);
		} else {
			lru = LRU_INACTIVE_FILE;
			percentage = nr_file * 100 / (targets[LRU_INACTIVE_FILE] + targets[LRU_ACTIVE_FILE] + 1);
		}
		nr[lru] = 0;
		nr[lru + 1] = 0;
		lru = lru == LRU_INACTIVE_FILE ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;
		for (int i = 0; i < 2; i++, lru++) {
			unsigned long scanned = targets[lru] - nr[lru];
			nr[lru] = targets[lru] * (100 - percentage) / 100;
			nr[lru] -= nr[lru] < scanned ? nr[lru] : scanned;
		}
	}
	/* blk_finish_plug(): the writes this pass issued go out, and complete. */
	swap_io_complete(m);
	sc->nr_reclaimed += nr_reclaimed;
	/* Keep the anonymous lists' balance even when none were evicted. */
	if (can_age_anon_pages(m) && inactive_is_low(m, LRU_INACTIVE_ANON))
		shrink_active_list(m, SWAP_CLUSTER_MAX, LRU_ACTIVE_ANON, sc);
}

/* prepare_scan_count(): the costs, which lists may be deactivated, the cache-trim and tiny-file cases. */
static void prepare_scan_count(struct machine *m, struct scan_control *sc)
{
	struct lruvec *lruvec = &m->node.lruvec;

	sc->anon_cost = lruvec->anon_cost;
	sc->file_cost = lruvec->file_cost;
	if (!sc->force_deactivate) {
		/* Refaults say a new working set is forming: deactivate quickly. */
		sc->may_deactivate = 0;
		if ((unsigned long)m->node.vm_stat[WORKINGSET_ACTIVATE_ANON] != lruvec->refaults[0] ||
		    inactive_is_low(m, LRU_INACTIVE_ANON))
			sc->may_deactivate |= DEACTIVATE_ANON;
		if ((unsigned long)m->node.vm_stat[WORKINGSET_ACTIVATE_FILE] != lruvec->refaults[1] ||
		    inactive_is_low(m, LRU_INACTIVE_FILE))
			sc->may_deactivate |= DEACTIVATE_FILE;
	} else {
		sc->may_deactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
	}
	unsigned long file = node_lru(m, LRU_INACTIVE_FILE);
	sc->cache_trim_mode = (file >> sc->priority) && !(sc->may_deactivate & DEACTIVATE_FILE);
	/* The cache trap: a tiny file LRU that is all refaults must not draw all the pressure. */
	unsigned long total_high_wmark = 0, free = 0;
	for (int z = 0; z < __MAX_NR_ZONES; z++) {
		struct zone *zone = &m->node.node_zones[z];
		if (!managed_zone(zone))
			continue;
		total_high_wmark += high_wmark_pages(zone);
		free += (unsigned long)zone->vm_stat[NR_FREE_PAGES];
	}
	file = node_lru(m, LRU_ACTIVE_FILE) + node_lru(m, LRU_INACTIVE_FILE);
	unsigned long anon = node_lru(m, LRU_INACTIVE_ANON);
	sc->file_is_tiny = file + free <= total_high_wmark &&
			   !(sc->may_deactivate & DEACTIVATE_ANON) && (anon >> sc->priority);
}

static void shrink_node(struct machine *m, struct scan_control *sc)
{
	unsigned long nr_reclaimed = sc->nr_reclaimed;

	memset(&sc->nr, 0, sizeof(sc->nr));
	prepare_scan_count(m, sc);
	shrink_lruvec(m, sc);
	shrink_slab(m, sc->priority);
	if (current_is_kswapd(m)) {
		/* Everything isolated was under writeback: pages cycle faster than they are written. */
		if (sc->nr.writeback && sc->nr.writeback == sc->nr.taken)
			m->reclaim->pgdat_writeback = true;
		if (sc->nr.unqueued_dirty == sc->nr.file_taken)
			m->reclaim->pgdat_dirty = true;	/* kswapd may write file pages from now on */
	}
	/* A pass that freed something revives a kswapd that had given up. */
	if (sc->nr_reclaimed - nr_reclaimed)
		m->node.kswapd_failures = 0;
}

/* ---- shrinkers: shrink_slab ----------------------------------------------------------------- */

#define SHRINK_BATCH	128
#define DEFAULT_SEEKS	2

/*
 * do_shrink_slab(): the cache's share at this priority (its objects >>
 * priority, times 4 / seeks: a cheap-to-rebuild object goes more readily),
 * plus the work left over from before, scanned in batches of
 * SHRINK_BATCH; at most twice the cache. Counted in slabs_scanned.
 */
static unsigned long do_shrink_slab(struct machine *m, struct shrinker *s, int priority)
{
	long freeable = (long)s->count(m);
	unsigned long freed = 0;

	if (!freeable)
		return 0;
	long nr = s->nr_deferred;
	s->nr_deferred = 0;
	long delta = (freeable >> priority) * 4 / s->seeks;
	long total_scan = (nr >> priority) + delta, scanned = 0;
	if (total_scan > 2 * freeable)
		total_scan = 2 * freeable;
	/* A cache smaller than a batch is still scanned whole when the pressure asks for all of it. */
	while (total_scan >= SHRINK_BATCH || total_scan >= freeable) {
		long nr_to_scan = total_scan < SHRINK_BATCH ? total_scan : SHRINK_BATCH;
		unsigned long ret = s->scan(m, (unsigned long)nr_to_scan);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		count_vm_events(m, SLABS_SCANNED, (unsigned long)nr_to_scan);
		total_scan -= nr_to_scan;
		scanned += nr_to_scan;
	}
	long next_deferred = nr + delta - scanned;
	if (next_deferred < 0)
		next_deferred = 0;
	if (next_deferred > 2 * freeable)
		next_deferred = 2 * freeable;
	s->nr_deferred += next_deferred;
	return freed;
}

unsigned long shrink_slab(struct machine *m, int priority)
{
	unsigned long freed = 0;

	for (int i = 0; m->reclaim && i < NR_SHRINKERS; i++)
		freed += do_shrink_slab(m, &m->reclaim->shrinkers[i], priority);
	return freed;
}

/* snapshot_refaults(): the refault counts the next prepare_scan_count() compares with. */
static void snapshot_refaults(struct machine *m)
{
	m->node.lruvec.refaults[0] = (unsigned long)m->node.vm_stat[WORKINGSET_ACTIVATE_ANON];
	m->node.lruvec.refaults[1] = (unsigned long)m->node.vm_stat[WORKINGSET_ACTIVATE_FILE];
}

/* ---- direct reclaim ----------------------------------------------------------------------- */

static unsigned long do_try_to_free_pages(struct machine *m, struct scan_control *sc)
{
	int initial_priority = sc->priority;

retry:
	m->events.allocstall[sc->reclaim_idx]++;
	do {
		sc->nr_scanned = 0;
		shrink_node(m, sc);	/* one node: shrink_zones() visits it once */
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
		if (sc->priority < DEF_PRIORITY - 2)
			sc->may_writepage = true;
	} while (--sc->priority >= 0);
	snapshot_refaults(m);
	if (sc->nr_reclaimed)
		return sc->nr_reclaimed;
	/* Active lists that were never deactivated may still hold something: once more, forced. */
	if (sc->skipped_deactivate) {
		sc->priority = initial_priority;
		sc->force_deactivate = true;
		sc->skipped_deactivate = false;
		goto retry;
	}
	return 0;
}

unsigned long try_to_free_pages(struct machine *m, unsigned int order, gfp_t gfp_mask)
{
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp_mask,
		.reclaim_idx = gfp_zone(m, gfp_mask),
		.order = (int)order,
		.priority = DEF_PRIORITY,
		.may_writepage = true,
		.may_unmap = true,
		.may_swap = true,
	};
	struct task_struct *t = get_current(m);
	unsigned int noreclaim = t->flags & PF_MEMALLOC;

	/* Reclaim's own allocations may dip into the reserves, and never reclaim again. */
	t->flags |= PF_MEMALLOC;
	trace_mm_vmscan_direct_reclaim_begin(m, (int)order, gfp_mask);
	unsigned long nr = do_try_to_free_pages(m, &sc);
	trace_mm_vmscan_direct_reclaim_end(m, nr);
	t->flags = (t->flags & ~PF_MEMALLOC) | noreclaim;
	return nr;
}

/*
 * reclaim_pages() (MADV_PAGEOUT): reclaim exactly the isolated pages on
 * @page_list, as shrink_page_list() reclaims a page at the inactive list's
 * tail — swapped out, written back or dropped, or kept and activated for
 * the reasons reclaim keeps one — and put what stays back on the LRU.
 */
unsigned long reclaim_pages(struct machine *m, struct list_head *page_list)
{
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.reclaim_idx = __MAX_NR_ZONES - 1,
		.priority = DEF_PRIORITY,
		.may_writepage = true,
		.may_unmap = true,
		.may_swap = true,
	};
	struct reclaim_stat stat;
	struct task_struct *t = get_current(m);
	unsigned int noreclaim = t->flags & PF_MEMALLOC;

	if (list_empty(page_list))
		return 0;
	t->flags |= PF_MEMALLOC;
	unsigned long nr = shrink_page_list(m, page_list, &sc, &stat);
	while (!list_empty(page_list)) {
		struct page *page = list_entry(page_list->next, struct page, lru);
		list_del(&page->lru);
		putback_lru_page(m, page);
	}
	/* The writes go out and complete: a page written goes to its inactive list's tail. */
	swap_io_complete(m);
	t->flags = (t->flags & ~PF_MEMALLOC) | noreclaim;
	return nr;
}

/* zone_reclaimable_pages(): what reclaim could still free in @zone. */
unsigned long zone_reclaimable_pages(struct machine *m, const struct zone *zone)
{
	unsigned long nr = (unsigned long)(zone->vm_stat[NR_ZONE_INACTIVE_FILE] +
					   zone->vm_stat[NR_ZONE_ACTIVE_FILE]);

	if (can_reclaim_anon_pages(m))
		nr += (unsigned long)(zone->vm_stat[NR_ZONE_INACTIVE_ANON] +
				      zone->vm_stat[NR_ZONE_ACTIVE_ANON]);
	return nr;
}

/* ---- kswapd -------------------------------------------------------------------------------- */

/* pgdat_balanced(): some eligible zone is above its high watermark (boost included) at @order. */
static bool pgdat_balanced(struct machine *m, int order, int highest_zoneidx)
{
	bool any = false;

	for (int z = 0; z <= highest_zoneidx; z++) {
		struct zone *zone = &m->node.node_zones[z];
		if (!managed_zone(zone))
			continue;
		any = true;
		if (zone_watermark_ok_safe(zone, (unsigned int)order, high_wmark_pages(zone), highest_zoneidx))
			return true;
	}
	return !any;
}

static bool pgdat_watermark_boosted(struct machine *m, int highest_zoneidx)
{
	for (int z = highest_zoneidx; z >= 0; z--)
		if (m->node.node_zones[z].watermark_boost)
			return true;
	return false;
}

static void kswapd_age_node(struct machine *m, struct scan_control *sc)
{
	if (can_age_anon_pages(m) && inactive_is_low(m, LRU_INACTIVE_ANON))
		shrink_active_list(m, SWAP_CLUSTER_MAX, LRU_ACTIVE_ANON, sc);
}

/* kswapd_shrink_node(): reclaim the sum of the eligible zones' high watermarks; true if that much was scanned. */
static bool kswapd_shrink_node(struct machine *m, struct scan_control *sc)
{
	sc->nr_to_reclaim = 0;
	for (int z = 0; z <= sc->reclaim_idx; z++) {
		struct zone *zone = &m->node.node_zones[z];
		if (!managed_zone(zone))
			continue;
		unsigned long high = high_wmark_pages(zone);
		sc->nr_to_reclaim += high > SWAP_CLUSTER_MAX ? high : SWAP_CLUSTER_MAX;
	}
	shrink_node(m, sc);
	/* Fragmentation may keep a high order out of reach: recheck at order 0 after twice its size. */
	if (sc->order && sc->nr_reclaimed >= 2UL << sc->order)
		sc->order = 0;
	return sc->nr_scanned >= sc->nr_to_reclaim;
}

static int balance_pgdat(struct machine *m, int order, int highest_zoneidx)
{
	struct scan_control sc = { .gfp_mask = GFP_KERNEL, .order = order, .may_unmap = true };
	unsigned long zone_boosts[__MAX_NR_ZONES] = { 0 }, nr_boost_reclaim = 0;

	count_vm_event(m, PAGEOUTRUN);
	/* The boost stays in the watermarks until this pass is done: allocations near it keep stalling. */
	for (int z = 0; z <= highest_zoneidx; z++) {
		struct zone *zone = &m->node.node_zones[z];
		if (!managed_zone(zone))
			continue;
		nr_boost_reclaim += zone->watermark_boost;
		zone_boosts[z] = zone->watermark_boost;
	}
	bool boosted = nr_boost_reclaim != 0;
restart:
	sc.priority = DEF_PRIORITY;
	do {
		unsigned long nr_reclaimed = sc.nr_reclaimed;
		bool raise_priority = true;
		sc.reclaim_idx = highest_zoneidx;
		bool balanced = pgdat_balanced(m, sc.order, highest_zoneidx);
		if (!balanced && nr_boost_reclaim) {
			/* Really short of memory: forget the boost, reclaim for real. */
			nr_boost_reclaim = 0;
			goto restart;
		}
		if (!nr_boost_reclaim && balanced)
			goto out;
		if (nr_boost_reclaim && sc.priority == DEF_PRIORITY - 2)
			raise_priority = false;
		/* Boosted reclaim relieves fragmentation; it does no I/O. */
		sc.may_writepage = !nr_boost_reclaim;
		sc.may_swap = !nr_boost_reclaim;
		kswapd_age_node(m, &sc);
		if (sc.priority < DEF_PRIORITY - 2)
			sc.may_writepage = true;
		sc.nr_scanned = 0;
		if (kswapd_shrink_node(m, &sc))
			raise_priority = false;
		nr_reclaimed = sc.nr_reclaimed - nr_reclaimed;
		nr_boost_reclaim -= nr_boost_reclaim < nr_reclaimed ? nr_boost_reclaim : nr_reclaimed;
		if (nr_boost_reclaim && !nr_reclaimed)
			break;
		if (raise_priority || !nr_reclaimed)
			sc.priority--;
	} while (sc.priority >= 1);
	if (!sc.nr_reclaimed)
		m->node.kswapd_failures++;
out:
	if (boosted) {
		for (int z = 0; z <= highest_zoneidx; z++) {
			struct zone *zone = &m->node.node_zones[z];
			zone->watermark_boost -= zone->watermark_boost < zone_boosts[z] ?
						 zone->watermark_boost : zone_boosts[z];
		}
		zone_update_fast_marks(m);
	}
	snapshot_refaults(m);
	return sc.order;
}

/* prepare_kswapd_sleep(): balanced, or hopeless (left to direct reclaim). */
static bool prepare_kswapd_sleep(struct machine *m, int order, int highest_zoneidx)
{
	if (m->node.kswapd_failures >= MAX_RECLAIM_RETRIES)
		return true;
	if (pgdat_balanced(m, order, highest_zoneidx)) {
		m->reclaim->pgdat_dirty = false;	/* clear_pgdat_congested() */
		m->reclaim->pgdat_writeback = false;
		return true;
	}
	return false;
}

void wakeup_kswapd(struct machine *m, struct zone *zone, gfp_t gfp_flags, int order,
		   int highest_zoneidx)
{
	struct reclaim_state *r = m->reclaim;

	if (!r || !r->kswapd || !managed_zone(zone))
		return;
	if (r->kswapd_highest_zoneidx == __MAX_NR_ZONES || r->kswapd_highest_zoneidx < highest_zoneidx)
		r->kswapd_highest_zoneidx = highest_zoneidx;
	if (r->kswapd_order < order)
		r->kswapd_order = order;
	if (!r->kswapd_sleeping)
		return;		/* awake already: it will see the new order and zone */
	/* A hopeless node, or nothing to do: leave it to direct reclaim. */
	if (m->node.kswapd_failures >= MAX_RECLAIM_RETRIES ||
	    (pgdat_balanced(m, order, highest_zoneidx) && !pgdat_watermark_boosted(m, highest_zoneidx)))
		return;
	(void)gfp_flags;
	/* Woken within its 100 ms nap: the low watermark was hit again quickly. */
	if (m->clock_ns - r->kswapd_slept_at_ns < 100000000ULL)
		r->woken_from_nap = true;
	trace_mm_vmscan_kswapd_wake(m, highest_zoneidx, order);
	r->kswapd_sleeping = false;
	r->kswapd->state = TASK_RUNNING;
}

/*
 * kswapd's loop, once: balance the node for the order and zone it was
 * woken for, then go back to sleep if the node is balanced; otherwise it
 * stays runnable for another pass.
 */
static void kswapd_run_once(struct machine *m)
{
	struct reclaim_state *r = m->reclaim;
	int alloc_order = r->kswapd_order;
	int highest_zoneidx = r->kswapd_highest_zoneidx == __MAX_NR_ZONES ?
			      r->last_highest_zoneidx : r->kswapd_highest_zoneidx;

	r->kswapd_order = 0;
	r->kswapd_highest_zoneidx = __MAX_NR_ZONES;
	r->last_highest_zoneidx = highest_zoneidx;
	if (r->woken_from_nap) {
		count_vm_event(m, KSWAPD_LOW_WMARK_HIT_QUICKLY);
		r->woken_from_nap = false;
	}
	int reclaim_order = balance_pgdat(m, alloc_order, highest_zoneidx);
	if (prepare_kswapd_sleep(m, reclaim_order, highest_zoneidx)) {
		/*
		 * kswapd_try_to_sleep(): pageblocks compaction found nothing in
		 * may hold something now; and a node balanced for a high-order
		 * request is compacted so that the request can be met.
		 */
		compaction_kswapd_sleeps(m);
		wakeup_kcompactd(m, alloc_order, highest_zoneidx);
		r->kswapd_sleeping = true;
		r->kswapd_slept_at_ns = m->clock_ns;
		r->kswapd->state = TASK_INTERRUPTIBLE;
	} else {
		count_vm_event(m, KSWAPD_HIGH_WMARK_HIT_QUICKLY);
	}
}

static void kswapd_run_now(struct machine *m)
{
	struct reclaim_state *r = m->reclaim;

	if (!r || !r->kswapd || r->kswapd_sleeping || r->in_kswapd)
		return;
	struct task_struct *prev = get_current(m);
	if (prev->flags & PF_MEMALLOC)
		return;		/* inside reclaim already: kswapd waits for the next chance */
	if (prev->preempt_count > 0)
		return;		/* atomic (a kmap_atomic held): no switch until it ends */
	r->in_kswapd = true;
	switch_to(m, r->kswapd);
	/* Bounded: a node kswapd cannot balance makes it give up after MAX_RECLAIM_RETRIES passes. */
	for (int pass = 0; pass <= MAX_RECLAIM_RETRIES && !r->kswapd_sleeping; pass++)
		kswapd_run_once(m);
	if (!r->kswapd_sleeping) {
		r->kswapd_sleeping = true;
		r->kswapd_slept_at_ns = m->clock_ns;
		r->kswapd->state = TASK_INTERRUPTIBLE;
	}
	switch_to(m, prev);
	r->in_kswapd = false;
}

/* kswapd0 if it is awake, then kcompactd0 (woken by it, or its proactive timeout). */
void kswapd_run_pending(struct machine *m)
{
	kswapd_run_now(m);
	kcompactd_run_pending(m);
}

/*
 * kswapd_run(): the node's kswapd0, asleep on its wait queue until an
 * allocation wakes it. Its task and stack are the boot's (already in the
 * memory the boot leaves), so it is not forked here.
 */
int kswapd_init(struct machine *m)
{
	struct reclaim_state *r = calloc(1, sizeof(*r));

	if (!r)
		return -MMSIM_ENOMEM;
	m->reclaim = r;
	r->kswapd_highest_zoneidx = __MAX_NR_ZONES;
	r->kswapd_sleeping = true;
	r->kswapd = &r->kswapd_task;
	kthread_init_boot(m, r->kswapd, "kswapd0");
	/* register_shrinker(): the superblocks' (inode cache) first, as they register at mount. */
	r->shrinkers[0] = (struct shrinker){ "super_cache", inode_cache_count, inode_cache_scan,
					     DEFAULT_SEEKS, 0 };
	r->shrinkers[1] = (struct shrinker){ "thp-deferred_split", deferred_split_count,
					     deferred_split_scan, DEFAULT_SEEKS, 0 };
	r->kswapd->flags |= PF_KSWAPD | PF_MEMALLOC;
	return 0;
}

void kswapd_release(struct machine *m)
{
	free(m->reclaim);
	m->reclaim = NULL;
}
