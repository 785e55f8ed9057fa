/* swap.c — the LRU lists and page references (mm/swap.c): get_page/put_page,
 * release_pages, and the per-CPU batches that put pages on the LRU.
 *
 * Every page a process uses goes onto one of the node's LRU lists (the
 * order of enum lru_list): anonymous and file, each inactive and active,
 * and unevictable for mlock()ed pages. Reclaim (later) takes from their
 * tails. New pages do not go straight onto a list: each CPU gathers up to
 * PAGEVEC_SIZE (15) of them in a batch, holding a reference on each, and
 * moves the whole batch under one lock when it is full or drained
 * (lru_add_drain: before an unmap frees pages, and when a write fault
 * needs to know whether a page is shared). So a page just faulted in has
 * a reference count one higher than its mappings, and is not yet on a
 * list — which /proc/meminfo's Active/Inactive show, as on Linux.
 * Activation (mark_page_accessed of a referenced page) is batched the
 * same way. */
#include <stdlib.h>

#include "mm/internal.h"

int lru_batches_init(struct machine *m)
{
	m->cpu_fbatches = calloc(m->nr_cpus, sizeof(*m->cpu_fbatches));
	if (!m->cpu_fbatches)
		return -MMSIM_ENOMEM;
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		INIT_LIST_HEAD(&m->node.lruvec.lists[lru]);
	return 0;
}

void lru_batches_release(struct machine *m)
{
	free(m->cpu_fbatches);
	m->cpu_fbatches = NULL;
}

/* The list a page belongs on: folio_lru_list(). */
static enum lru_list page_lru(const struct page *page)
{
	if (PageUnevictable(page))
		return LRU_UNEVICTABLE;
	enum lru_list lru = PageSwapBacked(page) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;
	if (PageActive(page))
		lru += 1;
	return lru;
}

static void update_lru_size(struct machine *m, struct page *page, enum lru_list lru, long nr)
{
	m->node.vm_stat[NR_LRU_BASE + lru] += nr;
	page_zone(m, page)->vm_stat[NR_ZONE_LRU_BASE + lru] += nr;
}

void lruvec_add_page(struct machine *m, struct page *page)
{
	enum lru_list lru = page_lru(page);

	update_lru_size(m, page, lru, (long)page_nr_pages(m, page));
	list_add(&page->lru, &m->node.lruvec.lists[lru]);
}

void lruvec_del_page(struct machine *m, struct page *page)
{
	enum lru_list lru = page_lru(page);

	list_del(&page->lru);
	update_lru_size(m, page, lru, -(long)page_nr_pages(m, page));
}

/*
 * folio_rotate_reclaimable(): a page written for reclaim is done: to the
 * tail of its inactive list, the end reclaim takes from next. (The kernel
 * gathers these in a per-CPU batch; here the move is made at once.)
 */
void rotate_reclaimable_page(struct machine *m, struct page *page)
{
	if (PageLocked(page) || PageDirty(page) || PageUnevictable(page) || !PageLRU(page))
		return;
	lruvec_del_page(m, page);
	__ClearPageActive(page);
	enum lru_list lru = page_lru(page);
	update_lru_size(m, page, lru, (long)page_nr_pages(m, page));
	list_add_tail(&page->lru, &m->node.lruvec.lists[lru]);
	count_vm_events(m, PGROTATED, page_nr_pages(m, page));
}

/* ---- references ------------------------------------------------------------------ */

/*
 * The last reference is gone: off the LRU, then back to the page allocator
 * (a huge page as one block, after leaving the deferred-split queue).
 */
static void __put_page(struct machine *m, struct page *page)
{
	if (PageLRU(page)) {
		lruvec_del_page(m, page);
		__ClearPageLRU(page);
	}
	if (PageMlocked(page)) {
		/* Freed while still mlocked (its last mapping went without munlock). */
		__ClearPageMlocked(page);
		page_zone(m, page)->vm_stat[NR_MLOCK] -= (long)page_nr_pages(m, page);
		count_vm_events(m, UNEVICTABLE_PGCLEARED, page_nr_pages(m, page));
	}
	__ClearPageActive(page);
	__ClearPageUnevictable(page);
	if (PageHead(page)) {
		free_transhuge_page(m, page);
		return;
	}
	page->_refcount = 1;	/* __free_pages drops the final reference */
	__free_pages(m, page, 0);
}

void put_page(struct machine *m, struct page *page)
{
	page = compound_head(page);
	if (--page->_refcount == 0)
		__put_page(m, page);
}

/* release_pages(): drop one reference on each, in order. */
void release_pages(struct machine *m, struct page **pages, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		put_page(m, pages[i]);
}

/* ---- the per-CPU batches ----------------------------------------------------------- */

static void lru_add_fn(struct machine *m, struct page *page)
{
	bool was_unevictable = PageUnevictable(page);

	__ClearPageUnevictable(page);
	if (page_evictable(page)) {
		if (was_unevictable)
			count_vm_events(m, UNEVICTABLE_PGRESCUED, page_nr_pages(m, page));
	} else {
		__ClearPageActive(page);
		__SetPageUnevictable(page);
		if (!was_unevictable)
			count_vm_events(m, UNEVICTABLE_PGCULLED, page_nr_pages(m, page));
	}
	__SetPageLRU(page);
	lruvec_add_page(m, page);
}

static void deactivate_fn(struct machine *m, struct page *page)
{
	if (PageLRU(page) && PageActive(page) && !PageUnevictable(page)) {
		lruvec_del_page(m, page);
		__ClearPageActive(page);
		__ClearPageReferenced(page);
		lruvec_add_page(m, page);
		count_vm_events(m, PGDEACTIVATE, page_nr_pages(m, page));
	}
}

/* lru_lazyfree_fn(): a clean anonymous page becomes file-like: reclaim may just drop it. */
static void lazyfree_fn(struct machine *m, struct page *page)
{
	if (PageLRU(page) && PageAnon(page) && PageSwapBacked(page) && !PageSwapCache(page) &&
	    !PageUnevictable(page)) {
		lruvec_del_page(m, page);
		__ClearPageActive(page);
		__ClearPageReferenced(page);
		__ClearPageSwapBacked(page);
		lruvec_add_page(m, page);
		count_vm_events(m, PGLAZYFREE, page_nr_pages(m, page));
	}
}

static void activate_fn(struct machine *m, struct page *page)
{
	if (PageLRU(page) && !PageActive(page) && !PageUnevictable(page)) {
		lruvec_del_page(m, page);
		__SetPageActive(page);
		lruvec_add_page(m, page);
		count_vm_events(m, PGACTIVATE, page_nr_pages(m, page));
	}
}

/* munlock: an unevictable page that is no longer mlocked goes back to an evictable list. */
static void munlock_fn(struct machine *m, struct page *page)
{
	if (PageLRU(page) && PageUnevictable(page) && page_evictable(page)) {
		lruvec_del_page(m, page);
		__ClearPageUnevictable(page);
		lruvec_add_page(m, page);
		count_vm_events(m, UNEVICTABLE_PGRESCUED, page_nr_pages(m, page));
	}
}

/*
 * __mlock_folio(): a page already in use was mlocked. A page off the LRU
 * (still in a CPU's lru_add batch, or isolated) is left alone: whoever
 * puts it on a list sees PG_mlocked and chooses the unevictable one.
 * Adding it here would put it on two lists once its lru_add batch drains.
 */
static void mlock_fn(struct machine *m, struct page *page)
{
	if (!PageLRU(page))
		return;
	if (page_evictable(page)) {
		munlock_fn(m, page);	/* PG_mlocked went again before the batch drained */
		return;
	}
	if (PageUnevictable(page))
		return;
	lruvec_del_page(m, page);
	__ClearPageActive(page);
	__SetPageUnevictable(page);
	lruvec_add_page(m, page);
	count_vm_events(m, UNEVICTABLE_PGCULLED, page_nr_pages(m, page));
}

/*
 * __mlock_new_folio(): a page faulted into a VM_LOCKED VMA was never on a
 * list; it goes onto the unevictable one (or an evictable one, should it
 * have been munlocked before its batch drained).
 */
static void mlock_new_fn(struct machine *m, struct page *page)
{
	VM_BUG_ON_PAGE(m, PageLRU(page), page);
	if (!page_evictable(page)) {
		__SetPageUnevictable(page);
		count_vm_events(m, UNEVICTABLE_PGCULLED, page_nr_pages(m, page));
	}
	__SetPageLRU(page);
	lruvec_add_page(m, page);
}

static void batch_move(struct machine *m, struct lru_batch *b)
{
	for (unsigned int i = 0; i < b->nr; i++) {
		struct page *page = b->pages[i];
		b->move[i](m, page);
		put_page(m, page);	/* the batch's reference */
	}
	b->nr = 0;
}

/* folio_batch_add_and_move(): queue with a reference; a full batch (or a huge page) moves. */
static void batch_add(struct machine *m, struct lru_batch *b, struct page *page,
		      void (*move)(struct machine *, struct page *))
{
	get_page(page);
	b->pages[b->nr] = page;
	b->move[b->nr] = move;
	b->nr++;
	if (b->nr == PAGEVEC_SIZE || PageHead(page))
		batch_move(m, b);
}

void lru_cache_add(struct machine *m, struct page *page)
{
	/* 6.1's folio_add_lru(): a page is added once, never active and unevictable both. */
	VM_BUG_ON_PAGE(m, PageActive(page) && PageUnevictable(page), page);
	VM_BUG_ON_PAGE(m, PageLRU(page), page);
	batch_add(m, &m->cpu_fbatches[m->cur_cpu].lru_add, page, lru_add_fn);
}

void lru_cache_add_inactive_or_unevictable(struct machine *m, struct page *page,
					   struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED) {
		/* mlock_new_page() */
		if (!PageMlocked(page)) {
			__SetPageMlocked(page);
			page_zone(m, page)->vm_stat[NR_MLOCK] += (long)page_nr_pages(m, page);
			count_vm_events(m, UNEVICTABLE_PGMLOCKED, page_nr_pages(m, page));
		}
		batch_add(m, &m->cpu_fbatches[m->cur_cpu].mlock, page, mlock_new_fn);
		return;
	}
	lru_cache_add(m, page);
}

void mlock_page(struct machine *m, struct page *page)
{
	page = compound_head(page);
	if (!PageMlocked(page)) {
		__SetPageMlocked(page);
		page_zone(m, page)->vm_stat[NR_MLOCK] += (long)page_nr_pages(m, page);
		count_vm_events(m, UNEVICTABLE_PGMLOCKED, page_nr_pages(m, page));
	}
	batch_add(m, &m->cpu_fbatches[m->cur_cpu].mlock, page, mlock_fn);
}

void munlock_page(struct machine *m, struct page *page)
{
	page = compound_head(page);
	if (PageMlocked(page)) {
		__ClearPageMlocked(page);
		page_zone(m, page)->vm_stat[NR_MLOCK] -= (long)page_nr_pages(m, page);
		count_vm_events(m, UNEVICTABLE_PGMUNLOCKED, page_nr_pages(m, page));
	}
	batch_add(m, &m->cpu_fbatches[m->cur_cpu].mlock, page, munlock_fn);
}

/*
 * munlock_vma_page(): the last mapping from a VM_LOCKED VMA went; the page
 * stays mlocked while another locked VMA maps it (mlock_count, which
 * mmsim approximates by the rmap walk below).
 */
void munlock_vma_page(struct machine *m, struct page *page, struct vm_area_struct *vma,
		      bool compound)
{
	(void)vma;
	(void)compound;
	page = compound_head(page);
	if (!PageMlocked(page))
		return;
	if (page_mlocked_elsewhere(m, page))
		return;
	munlock_page(m, page);
}

/* lru_add_drain_cpu() then mlock_page_drain(): the kernel's order. */
void lru_add_drain_cpu(struct machine *m, unsigned int cpu)
{
	struct cpu_fbatches *fb = &m->cpu_fbatches[cpu];

	if (!fb->lru_add.nr && !fb->lru_deactivate.nr && !fb->lru_lazyfree.nr && !fb->activate.nr &&
	    !fb->mlock.nr)
		return;
	unsigned int saved = m->cur_cpu;
	m->cur_cpu = cpu;
	batch_move(m, &fb->lru_add);
	batch_move(m, &fb->lru_deactivate);
	batch_move(m, &fb->lru_lazyfree);
	batch_move(m, &fb->activate);
	batch_move(m, &fb->mlock);
	m->cur_cpu = saved;
}

void lru_add_drain(struct machine *m)
{
	lru_add_drain_cpu(m, m->cur_cpu);
}

void lru_add_drain_all(struct machine *m)
{
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		lru_add_drain_cpu(m, cpu);
}

/*
 * mark_page_accessed(): a page seen in use once is referenced; seen twice
 * while on the inactive list, it is activated (through this CPU's batch).
 */
void mark_page_accessed(struct machine *m, struct page *page)
{
	page = compound_head(page);
	if (!PageReferenced(page)) {
		__SetPageReferenced(page);
	} else if (PageUnevictable(page)) {
		/* unevictable pages stay where they are */
	} else if (!PageActive(page)) {
		if (PageLRU(page))
			batch_add(m, &m->cpu_fbatches[m->cur_cpu].activate, page, activate_fn);
		else
			__SetPageActive(page);	/* still in an lru_add batch: it lands active */
		__ClearPageReferenced(page);
		workingset_activation(m, page);
	}
}

/* folio_deactivate() (MADV_COLD) */
void deactivate_page(struct machine *m, struct page *page)
{
	page = compound_head(page);
	if (PageLRU(page) && PageActive(page) && !PageUnevictable(page))
		batch_add(m, &m->cpu_fbatches[m->cur_cpu].lru_deactivate, page, deactivate_fn);
}

/* folio_mark_lazyfree() (MADV_FREE) */
void mark_page_lazyfree(struct machine *m, struct page *page)
{
	page = compound_head(page);
	if (PageLRU(page) && PageAnon(page) && PageSwapBacked(page) && !PageSwapCache(page) &&
	    !PageUnevictable(page))
		batch_add(m, &m->cpu_fbatches[m->cur_cpu].lru_lazyfree, page, lazyfree_fn);
}

/* ---- validator ------------------------------------------------------------------------ */

/*
 * The LRU lists hold only pages marked PG_lru, each on the list its flags
 * name, and the counters count them.
 */
unsigned long lru_verify(struct machine *m, FILE *out)
{
	unsigned long bad = 0;

	for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
		long count = 0;
		unsigned long guard = m->mem_map_pfns + 1;
		struct list_head *pos;
		list_for_each(pos, &m->node.lruvec.lists[lru]) {
			struct page *page = list_entry(pos, struct page, lru);
			if (!guard--) {
				fprintf(out, "lru list %d does not end (a cycle?)\n", lru);
				return bad + 1;
			}
			if (!PageLRU(page) || page_lru(page) != (enum lru_list)lru ||
			    page_ref_count(page) <= 0) {
				fprintf(out, "pfn %#lx is on lru list %d but its flags or count say "
					"otherwise\n", page_to_pfn(m, page), lru);
				bad++;
			}
			count += (long)page_nr_pages(m, page);
		}
		if (count != m->node.vm_stat[NR_LRU_BASE + lru]) {
			fprintf(out, "lru list %d holds %ld pages, its counter says %ld\n", lru, count,
				m->node.vm_stat[NR_LRU_BASE + lru]);
			bad++;
		}
	}
	return bad;
}
