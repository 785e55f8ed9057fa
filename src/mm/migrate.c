/* migrate.c — page migration (mm/migrate.c): moving an in-use page to
 * another frame while everything that refers to it keeps working.
 *
 * For each isolated page, migrate_pages() does what 6.1's unmap_and_move()
 * does:
 *   1. get a new page from the caller's callback (compaction's free
 *      scanner, or the allocator for alloc_contig_range);
 *   2. unmap the old page through reverse mapping: every PTE that maps it,
 *      in every process, becomes a migration entry naming the old frame
 *      (try_to_migrate, rmap.c);
 *   3. move its place in the page cache or swap cache to the new page —
 *      but only if nothing but the cache and the isolation holds a
 *      reference (a pinned or kmapped page cannot move: -EAGAIN) — and
 *      copy its contents and flags (folio_migrate_mapping, _copy, _flags);
 *   4. turn every migration entry into a PTE of the new page, with the old
 *      PTE's permissions, Accessed, Dirty and soft-dirty bits, and
 *      exclusivity (remove_migration_ptes); if step 3 failed, of the old
 *      page again;
 *   5. free the old page, put the new one on the LRU.
 * Pages someone holds are tried again, up to ten passes in the kernel's
 * way; what still fails stays on the caller's list.
 *
 * Transparent huge pages are split first and their pages moved one by
 * one: what 6.1 does on i386, which cannot migrate a THP whole, and on
 * x86_64 when no huge page can be had for it (x86_64 would otherwise move
 * it whole; mmsim does not yet). */
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/migrate.h"
#include "mm/swap.h"

#define NR_MAX_MIGRATE_PAGES_RETRY	10

#define MIGRATEPAGE_SUCCESS		0

static inline void mod_isolated(struct machine *m, struct page *page, long nr)
{
	m->node.vm_stat[NR_ISOLATED_ANON + !PageSwapBacked(page)] += nr;
}

static unsigned long list_count(const struct list_head *l)
{
	unsigned long n = 0;
	const struct list_head *pos;

	list_for_each(pos, l)
		n++;
	return n;
}

void putback_movable_pages(struct machine *m, struct list_head *l)
{
	while (!list_empty(l)) {
		struct page *page = list_entry(l->next, struct page, lru);
		list_del(&page->lru);
		mod_isolated(m, page, -(long)page_nr_pages(m, page));
		putback_lru_page(m, page);
	}
}

struct page *alloc_migration_target(struct machine *m, struct page *page, unsigned long private)
{
	const struct migration_target_control *mtc = (const void *)private;
	gfp_t gfp = mtc ? mtc->gfp_mask : GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL;
	enum zone_type zidx = page_zone(m, page)->idx;

	/* A page that may live in HighMem (or Movable) may move to any zone. */
	if (page_zone(m, page)->is_highmem || zidx == ZONE_MOVABLE)
		gfp |= __GFP_HIGHMEM;
	return alloc_pages(m, gfp, 0);
}

/* ---- step 4: the migration entries become PTEs again ------------------------------ */

struct remove_migration_arg {
	struct page *src;	/* the page the entries name */
	struct page *dst;	/* the page the PTEs are to map */
};

/*
 * remove_migration_pte(): if @vma's entry at @addr is a migration entry of
 * the old page, map the new one there as the entry says: writable if it
 * was (and the VMA still allows it), young and dirty as the PTE was, and
 * exclusive to this process unless the entry was a plain read entry.
 */
static bool remove_migration_pte(struct machine *m, struct page *page, struct vm_area_struct *vma,
				 uint64_t addr, void *arg)
{
	struct remove_migration_arg *ra = arg;
	phys_addr_t table = user_walk(m, vma->vm_mm, addr, PT_PTE, false, NULL);

	(void)page;
	if (!table)
		return true;
	unsigned int idx = pt_index(m, addr, PT_PTE);
	uint64_t old = pt_read(m, table, idx);
	if (!is_swap_pte(old))
		return true;
	swp_entry_t entry = pte_to_swp_entry(m, old);
	if (!is_migration_entry(m, entry) ||
	    migration_entry_pfn(m, entry) != page_to_pfn(m, ra->src))
		return true;
	struct page *dst = ra->dst;
	uint64_t pte = pfn_pte(m, page_to_pfn(m, dst), vma->vm_page_prot);
	if (!m->is_32bit && (old & _PAGE_SWP_SOFT_DIRTY))
		pte |= _PAGE_SOFT_DIRTY;
	/* The protection x86 maps pages with is young already: pte_mkold() if the PTE was not. */
	if (!is_migration_entry_young(m, entry))
		pte &= ~(uint64_t)_PAGE_ACCESSED;
	if (PageDirty(dst) && is_migration_entry_dirty(m, entry))
		pte |= _PAGE_DIRTY;
	if (is_writable_migration_entry(m, entry) && (vma->vm_flags & VM_WRITE))
		pte |= _PAGE_RW;
	else
		pte &= ~(uint64_t)_PAGE_RW;
	get_page(dst);
	if (PageAnon(dst))
		page_add_anon_rmap(m, dst, vma, addr, !is_readable_migration_entry(m, entry));
	else
		page_add_file_rmap(m, dst);
	pt_write(m, table, idx, pte);
	m->migrate.ptes_remapped++;
	return true;
}

void remove_migration_ptes(struct machine *m, struct page *src, struct page *dst)
{
	struct remove_migration_arg ra = { src, dst };

	rmap_walk(m, dst, remove_migration_pte, &ra);
}

/* ---- step 3: the cache's slot, the contents, the flags ---------------------------- */

/*
 * The references a page being migrated may have and still move: the
 * isolation's, and the page cache's or swap cache's (expected_page_refs).
 * A kmap of a HighMem page is one more user the kernel would hold a
 * reference for: it pins the page the same way.
 */
static int expected_page_refs(const struct page *page)
{
	return 1 + ((PageSwapCache(page) || page_mapping(page)) ? 1 : 0);
}

/*
 * folio_migrate_mapping(): @newpage takes @page's place in its cache
 * (and the cache's reference), if nothing else holds @page; -EAGAIN if
 * something does.
 */
static int migrate_page_mapping(struct machine *m, struct page *newpage, struct page *page)
{
	if (page_ref_count(page) != expected_page_refs(page) || page->kmap_slot)
		return -MMSIM_EAGAIN;
	if (PageSwapBacked(page))
		__SetPageSwapBacked(newpage);
	bool in_cache = PageSwapCache(page) || page_mapping(page);
	if (!in_cache)
		return MIGRATEPAGE_SUCCESS;
	get_page(newpage);	/* the cache's reference moves to the new page */
	if (PageSwapCache(page)) {
		swp_entry_t entry = page_swap_entry(page);
		struct swap_info_struct *si = swp_swap_info(m, entry);
		newpage->flags |= 1UL << PG_swapcache;
		newpage->private = page->private;
		si->cache.pages[entry.offset] = newpage;
	} else {
		struct address_space *mapping = page_mapping(page);
		mapping->pages[page->index] = newpage;
	}
	page->_refcount--;
	/* Dirty moves with the slot; the zone's writeback-pending count goes with it. */
	if (PageDirty(page)) {
		__ClearPageDirty(page);
		__SetPageDirty(newpage);
		struct zone *oldzone = page_zone(m, page), *newzone = page_zone(m, newpage);
		if (!PageSwapBacked(page) && oldzone != newzone) {
			oldzone->vm_stat[NR_ZONE_WRITE_PENDING]--;
			newzone->vm_stat[NR_ZONE_WRITE_PENDING]++;
		}
	}
	return MIGRATEPAGE_SUCCESS;
}

#define MIGRATE_FLAGS	((1UL << PG_error) | (1UL << PG_referenced) | (1UL << PG_uptodate) | \
			 (1UL << PG_active) | (1UL << PG_unevictable) | (1UL << PG_workingset) | \
			 (1UL << PG_mappedtodisk) | (1UL << PG_dirty) | (1UL << PG_reclaim) /* readahead */)

/*
 * folio_migrate_flags(): the page's state goes with its contents; the old
 * page leaves the swap cache's bookkeeping and keeps nothing it could be
 * found by. PG_mlocked moves here too, with NR_MLOCK from zone to zone
 * (6.1 munlocks the old page as its mappings go and mlocks the new one as
 * they come back; the page is locked throughout either way).
 */
static void migrate_page_states(struct machine *m, struct page *newpage, struct page *page)
{
	newpage->flags |= page->flags & MIGRATE_FLAGS;
	if (PageMlocked(page)) {
		__ClearPageMlocked(page);
		page_zone(m, page)->vm_stat[NR_MLOCK]--;
		__SetPageMlocked(newpage);
		page_zone(m, newpage)->vm_stat[NR_MLOCK]++;
	}
	page->flags &= ~((1UL << PG_swapcache) | (1UL << PG_active) | (1UL << PG_unevictable));
	page->private = 0;
}

/* move_to_new_folio(): mapping, contents, flags — or nothing, and -EAGAIN. */
static int move_to_new_page(struct machine *m, struct page *newpage, struct page *page)
{
	newpage->index = page->index;
	newpage->mapping = page->mapping;
	int rc = migrate_page_mapping(m, newpage, page);
	if (rc != MIGRATEPAGE_SUCCESS) {
		newpage->mapping = NULL;
		return rc;
	}
	copy_user_highpage(m, newpage, page);
	m->migrate.copied_bytes += PAGE_SIZE;
	migrate_page_states(m, newpage, page);
	/* An anonymous page keeps its anon_vma until freed; a cache page leaves its file. */
	if (!PageAnon(page))
		page->mapping = NULL;
	return MIGRATEPAGE_SUCCESS;
}

/* __unmap_and_move(): steps 2 to 4 for one page. */
static int __unmap_and_move(struct machine *m, struct page *page, struct page *newpage,
			    enum migrate_mode mode)
{
	bool was_mapped = false;
	int rc = -MMSIM_EAGAIN;

	if (PageWriteback(page))
		return mode == MIGRATE_ASYNC ? -MMSIM_EBUSY : -MMSIM_EAGAIN;
	/*
	 * A page with no mapping at all — a page-cache page truncated while
	 * isolated — cannot be found by anyone: it will be freed when put.
	 */
	if (page->mapping && page->_mapcount >= 0) {
		try_to_migrate(m, page);
		was_mapped = true;
	}
	if (page->_mapcount < 0)
		rc = move_to_new_page(m, newpage, page);
	if (was_mapped)
		remove_migration_ptes(m, page, rc == MIGRATEPAGE_SUCCESS ? newpage : page);
	if (rc == MIGRATEPAGE_SUCCESS) {
		lru_cache_add(m, newpage);
		put_page(m, newpage);	/* the allocation's reference: the mappings and cache hold it */
	}
	return rc;
}

/*
 * unmap_and_move(): one page, with a new page from @get_new_page. A page
 * only the isolation still holds was freed meanwhile: it simply goes.
 * On success the page leaves @from and is freed; on a final failure it
 * moves to @ret; on -EAGAIN it stays on @from for the next pass.
 */
static int unmap_and_move(struct machine *m, new_page_t *get_new_page, free_page_t *put_new_page,
			  unsigned long private, struct page *page, enum migrate_mode mode,
			  struct list_head *ret)
{
	struct page *newpage = NULL;
	int rc = MIGRATEPAGE_SUCCESS;

	if (page_ref_count(page) == 1) {
		__ClearPageActive(page);
		__ClearPageUnevictable(page);
		goto out;
	}
	newpage = get_new_page(m, page, private);
	if (!newpage)
		return -MMSIM_ENOMEM;
	rc = __unmap_and_move(m, page, newpage, mode);
out:
	if (rc != -MMSIM_EAGAIN)
		list_del(&page->lru);
	if (rc == MIGRATEPAGE_SUCCESS) {
		mod_isolated(m, page, -1);
		put_page(m, page);	/* the isolation's reference, the last */
	} else {
		if (rc != -MMSIM_EAGAIN)
			list_add_tail(&page->lru, ret);
		if (put_new_page)
			put_new_page(m, newpage, private);
		else
			put_page(m, newpage);
	}
	return rc;
}

int migrate_pages(struct machine *m, struct list_head *from, new_page_t *get_new_page,
		  free_page_t *put_new_page, unsigned long private, enum migrate_mode mode,
		  enum migrate_reason reason, unsigned int *nr_succeeded)
{
	unsigned int succeeded = 0, failed = 0, split = 0;
	int retry = 1, rc = 0;
	struct list_head ret_pages;

	(void)reason;
	INIT_LIST_HEAD(&ret_pages);
	/* Huge pages go as their pages: split each on the list, its tails joining it there. */
	struct list_head *pos, *next;
	list_for_each_safe(pos, next, from) {
		struct page *page = list_entry(pos, struct page, lru);
		if (!PageHead(page))
			continue;
		unsigned long before = list_count(from), nr = page_nr_pages(m, page);
		if (split_huge_page_to_list(m, page, from)) {
			list_move_tail(&page->lru, &ret_pages);
			failed += (unsigned int)nr;
			count_vm_event(m, THP_MIGRATION_FAIL);
			continue;
		}
		/*
		 * The huge page was isolated as nr pages; now the head and the
		 * tails that joined the list are isolated, each one page (the
		 * tails nothing mapped were freed by the split).
		 */
		mod_isolated(m, page, (long)(list_count(from) - before + 1) - (long)nr);
		split++;
	}
	if (split)
		count_vm_events(m, THP_MIGRATION_SPLIT, split);

	for (int pass = 0; pass < NR_MAX_MIGRATE_PAGES_RETRY && retry; pass++) {
		retry = 0;
		list_for_each_safe(pos, next, from) {
			struct page *page = list_entry(pos, struct page, lru);
			int r = unmap_and_move(m, get_new_page, put_new_page, private, page, mode,
					       &ret_pages);
			if (r == MIGRATEPAGE_SUCCESS) {
				succeeded++;
			} else if (r == -MMSIM_EAGAIN) {
				retry++;
				m->migrate.retries++;
			} else if (r == -MMSIM_ENOMEM) {
				/* No new page: the rest cannot move either. */
				failed += 1;
				rc = -MMSIM_ENOMEM;
				goto out;
			} else {
				failed++;
			}
		}
	}
	failed += (unsigned int)retry;
	rc = (int)failed;
out:
	list_splice(&ret_pages, from);
	count_vm_events(m, PGMIGRATE_SUCCESS, succeeded);
	count_vm_events(m, PGMIGRATE_FAIL, failed);
	if (nr_succeeded)
		*nr_succeeded = succeeded;
	return rc;
}
