/* swap_state.c — the swap cache and swap readahead (mm/swap_state.c).
 *
 * The swap cache is the page cache of swap: each area's address_space,
 * indexed by slot. A page is in it from the moment reclaim gives it a slot
 * (add_to_swap) until reclaim frees it, and again from the moment a fault
 * reads it back until no swap PTE names its slot any more. It is how two
 * processes that share a swapped-out page (after fork) get the same page
 * back, and how a page read ahead is found by the next fault. Each cached
 * page holds one reference for the cache, has PG_swapcache set and its
 * slot in ->private, and counts in NR_FILE_PAGES and NR_SWAPCACHE (meminfo's
 * SwapCached, taken out of Cached).
 *
 * Readahead (vm.page-cluster, up to 2^3 slots by default) reads the slots
 * around the faulting one: on a rotating disk neighbouring slots are cheap
 * to read together, and reclaim wrote neighbouring pages of a process to
 * neighbouring slots. The window grows with the hits the previous one got,
 * as __swapin_nr_pages() decides. */
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/swap.h"

static inline unsigned long swap_private(swp_entry_t entry)
{
	return (unsigned long)entry.type << 56 | entry.offset;
}

unsigned long total_swapcache_pages(struct machine *m)
{
	unsigned long n = 0;

	for (unsigned int t = 0; m->swap && t < m->swap->nr_swapfiles; t++)
		if (m->swap->info[t]->flags & SWP_USED)
			n += m->swap->info[t]->cache.nrpages;
	return n;
}

int add_to_swap_cache(struct machine *m, struct page *page, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);

	if (!si)
		return -MMSIM_EINVAL;
	if (si->cache.pages[entry.offset])
		return -MMSIM_EEXIST;
	get_page(page);		/* the cache's reference */
	__SetPageSwapBacked(page);
	page->flags |= 1UL << PG_swapcache;
	page->private = swap_private(entry);
	si->cache.pages[entry.offset] = page;
	si->cache.nrpages++;
	m->node.vm_stat[NR_FILE_PAGES]++;
	m->node.vm_stat[NR_SWAPCACHE]++;
	return 0;
}

void __delete_from_swap_cache(struct machine *m, struct page *page)
{
	swp_entry_t entry = page_swap_entry(page);
	struct swap_info_struct *si = swp_swap_info(m, entry);

	si->cache.pages[entry.offset] = NULL;
	si->cache.nrpages--;
	page->flags &= ~(1UL << PG_swapcache);
	page->private = 0;
	m->node.vm_stat[NR_FILE_PAGES]--;
	m->node.vm_stat[NR_SWAPCACHE]--;
}

/* delete_from_swap_cache(): out of the cache, the slot's SWAP_HAS_CACHE and the cache's reference gone. */
void delete_from_swap_cache(struct machine *m, struct page *page)
{
	swp_entry_t entry = page_swap_entry(page);

	__delete_from_swap_cache(m, page);
	put_swap_page(m, entry);
	put_page(m, page);
}

/*
 * add_to_swap(): give an anonymous page a slot and put it in the swap
 * cache, dirty, so that reclaim writes it out. false if swap is full.
 */
bool add_to_swap(struct machine *m, struct page *page)
{
	/*
	 * folio_alloc_swap() of a huge page (THP_SWAP, x86_64) asks for one
	 * whole free cluster of slots, which only SSD areas keep lists of
	 * (swap_alloc_cluster: si->free_clusters, made with cluster_info);
	 * mmsim's areas are rotating disks, and i386 has no THP_SWAP: none.
	 * Reclaim then splits the page and swaps its pages one by one.
	 */
	if (PageHead(page))
		return false;
	swp_entry_t entry = folio_alloc_swap(m);

	if (!entry.offset)
		return false;
	if (add_to_swap_cache(m, page, entry)) {
		put_swap_page(m, entry);
		return false;
	}
	/*
	 * Dirty even if no PTE says so: a MADV_FREE page that was written
	 * again may have lost its PTE's dirty bit, and must still be written.
	 */
	__SetPageDirty(page);
	return true;
}

struct page *lookup_swap_cache(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);
	struct page *page = si ? find_get_page(&si->cache, entry.offset) : NULL;

	if (page && PageReadahead(page)) {
		__ClearPageReadahead(page);
		count_vm_event(m, SWAP_RA_HIT);
		m->swap->readahead_hits++;	/* swapin_readahead_hits: the next window grows */
	}
	return page;
}

/*
 * __read_swap_cache_async(): the page of @entry from the swap cache, or a
 * new page put there for it (*@allocated: the caller must read it). NULL
 * if the slot is no longer used or no page can be had.
 */
static struct page *get_swap_cache_page(struct machine *m, swp_entry_t entry, bool *allocated)
{
	*allocated = false;
	for (;;) {
		struct page *page = lookup_swap_cache(m, entry);
		if (page)
			return page;
		if (!__swap_count(m, entry))
			return NULL;	/* freed meanwhile: nothing to read */
		page = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
		if (!page)
			return NULL;
		int err = swapcache_prepare(m, entry);
		if (!err) {
			__SetPageSwapBacked(page);
			unsigned long shadow = mapping_take_shadow(&swp_swap_info(m, entry)->cache,
								   entry.offset);
			if (add_to_swap_cache(m, page, entry)) {
				put_swap_page(m, entry);
				put_page(m, page);
				return NULL;
			}
			if (shadow)
				workingset_refault(m, page, shadow);
			lru_cache_add(m, page);
			*allocated = true;
			return page;
		}
		put_page(m, page);
		if (err != -MMSIM_EEXIST)
			return NULL;
	}
}

struct page *read_swap_cache_async(struct machine *m, swp_entry_t entry)
{
	bool allocated;
	struct page *page = get_swap_cache_page(m, entry, &allocated);

	if (page && allocated)
		swap_readpage(m, page);
	return page;
}

/* __swapin_nr_pages(): the next window, from the last one and the hits it had. */
static unsigned int swapin_nr_pages_from(unsigned long prev_pfn, unsigned long pfn, unsigned int hits,
					 unsigned int max_pages, unsigned int prev_win)
{
	unsigned int pages = hits + 2;

	if (pages == 2) {
		/* No hits: only a fault right next to the last one earns a window. */
		if (pfn != prev_pfn + 1 && pfn != prev_pfn - 1)
			pages = 1;
	} else {
		unsigned int roundup = 4;
		while (roundup < pages)
			roundup <<= 1;
		pages = roundup;
	}
	if (pages > max_pages)
		pages = max_pages;
	/* Do not shrink the window faster than by half. */
	if (pages < prev_win / 2)
		pages = prev_win / 2;
	return pages;
}

/*
 * swapin_nr_pages(): the window for a fault at slot @offset, from the
 * previous fault's slot and the hits its window had.
 */
static unsigned int swapin_nr_pages(struct machine *m, unsigned long offset)
{
	struct swap_state *s = m->swap;
	unsigned int max_pages = 1U << s->page_cluster;

	if (max_pages <= 1)
		return 1;
	unsigned int hits = s->readahead_hits;
	s->readahead_hits = 0;
	unsigned int pages = swapin_nr_pages_from(s->prev_offset, offset, hits, max_pages,
						  s->last_readahead_pages);
	if (!hits)
		s->prev_offset = offset;
	s->last_readahead_pages = pages;
	return pages;
}

/*
 * swap_cluster_readahead(): read the aligned cluster of the window's size
 * around the slot (not the header), the neighbours marked PG_readahead.
 * 6.1 uses this, not the VMA-based readahead, while any rotating disk is
 * swapped to (swap_use_vma_readahead() checks nr_rotate_swap) — and
 * mmsim's swap areas are all rotating disks.
 */
struct page *swapin_readahead(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);
	unsigned long mask = swapin_nr_pages(m, entry.offset) - 1;

	if (mask) {
		unsigned long start = entry.offset & ~mask, end = entry.offset | mask;
		if (!start)
			start++;	/* slot 0 is the swap header */
		if (end >= si->max)
			end = si->max - 1;
		for (unsigned long off = start; off <= end; off++) {
			bool allocated;
			struct page *page = get_swap_cache_page(m, swp_entry(entry.type, off), &allocated);
			if (!page)
				continue;
			if (allocated) {
				swap_readpage(m, page);
				if (off != entry.offset) {
					__SetPageReadahead(page);
					count_vm_event(m, SWAP_RA);
				}
			}
			put_page(m, page);
		}
		lru_add_drain(m);	/* the new pages onto the LRU now */
	}
	return read_swap_cache_async(m, entry);
}
