/* migrate.h — page migration (include/linux/migrate.h, swapops.h): the
 * migration entries a page's PTEs hold while its contents move to another
 * frame, and migrate_pages(), which moves a list of isolated pages with
 * the new pages a caller's callback hands it. Compaction, alloc_contig_range
 * (CMA) and the `migrate` scenario command are its users. */
#ifndef MMSIM_MM_MIGRATE_H
#define MMSIM_MM_MIGRATE_H

#include "mm/swap.h"

/*
 * Migration entries are swap PTEs of three types above the swap areas'
 * (and the hwpoison type, max_swapfiles() itself): read-only, read-only
 * but exclusive to this process (anonymous pages only), and writable.
 * Their offset is the old page's frame number, and above it, when the
 * swap offset has room (it does on both x86 formats), the PTE's Accessed
 * and Dirty bits, so that migration does not make a page look old or clean.
 */
static inline unsigned int swp_migration_read(const struct machine *m)
{
	return max_swapfiles(m) + 1;		/* after SWP_HWPOISON */
}
#define SWP_MIGRATION_READ_EXCLUSIVE_OFF	1
#define SWP_MIGRATION_WRITE_OFF			2

/* SWP_PFN_BITS: MAX_PHYSMEM_BITS - PAGE_SHIFT (i386 without PAE: 32; x86_64 4-level: 46). */
static inline unsigned int swp_pfn_bits(const struct machine *m)
{
	return m->is_32bit ? 32 - PAGE_SHIFT : 46 - PAGE_SHIFT;
}

static inline bool is_migration_entry(const struct machine *m, swp_entry_t e)
{
	return e.type >= swp_migration_read(m) &&
	       e.type <= swp_migration_read(m) + SWP_MIGRATION_WRITE_OFF;
}

static inline bool is_writable_migration_entry(const struct machine *m, swp_entry_t e)
{
	return e.type == swp_migration_read(m) + SWP_MIGRATION_WRITE_OFF;
}

static inline bool is_readable_migration_entry(const struct machine *m, swp_entry_t e)
{
	return e.type == swp_migration_read(m);
}

static inline unsigned long migration_entry_pfn(const struct machine *m, swp_entry_t e)
{
	return e.offset & ((1UL << swp_pfn_bits(m)) - 1);
}

static inline bool is_migration_entry_young(const struct machine *m, swp_entry_t e)
{
	return e.offset & (1UL << swp_pfn_bits(m));
}

static inline bool is_migration_entry_dirty(const struct machine *m, swp_entry_t e)
{
	return e.offset & (1UL << (swp_pfn_bits(m) + 1));
}

static inline swp_entry_t make_migration_entry(const struct machine *m, unsigned int type,
					       unsigned long pfn, bool young, bool dirty)
{
	return swp_entry(type, pfn | (unsigned long)young << swp_pfn_bits(m) |
			       (unsigned long)dirty << (swp_pfn_bits(m) + 1));
}

/* Why pages are migrated (enum migrate_reason): the tracepoints' and counters' reason. */
enum migrate_reason {
	MR_COMPACTION,
	MR_MEMORY_FAILURE,
	MR_MEMORY_HOTPLUG,
	MR_SYSCALL,		/* migrate_pages(2), move_pages(2), the `migrate` command */
	MR_MEMPOLICY_MBIND,
	MR_NUMA_MISPLACED,
	MR_CONTIG_RANGE,	/* alloc_contig_range(): CMA */
	MR_LONGTERM_PIN,
	MR_DEMOTION,
	MR_TYPES
};

/*
 * How hard migration may try (enum migrate_mode): ASYNC never waits and
 * gives up on a page someone holds; SYNC_LIGHT and SYNC retry such pages
 * (the kernel would also wait for locks and writeback, which a
 * single-threaded machine never has to).
 */
enum migrate_mode {
	MIGRATE_ASYNC,
	MIGRATE_SYNC_LIGHT,
	MIGRATE_SYNC,
};

/* The new page for @page (NULL: none, the page stays), and giving an unused one back. */
typedef struct page *new_page_t(struct machine *m, struct page *page, unsigned long private);
typedef void free_page_t(struct machine *m, struct page *page, unsigned long private);

/*
 * migrate_pages(): move each page of @from (isolated from the LRU, each
 * holding the isolation's reference) to a page @get_new_page gives. A
 * moved page is freed; the ones that could not be moved stay on @from
 * for the caller to put back (putback_movable_pages). Returns the number
 * of pages not moved, or -ENOMEM when no new page could be had; counts
 * pgmigrate_success/fail. *@nr_succeeded, if not NULL, gets the pages moved.
 */
int migrate_pages(struct machine *m, struct list_head *from, new_page_t *get_new_page,
		  free_page_t *put_new_page, unsigned long private, enum migrate_mode mode,
		  enum migrate_reason reason, unsigned int *nr_succeeded);
/* putback_movable_pages(): every page of @l back onto the LRU, its isolation reference dropped. */
void putback_movable_pages(struct machine *m, struct list_head *l);

/*
 * alloc_migration_target(): a new page for @page in the zones
 * @private's migration_target_control allows (NULL: the same zone type
 * and gfp as a movable user page): how alloc_contig_range and the
 * `migrate` command get theirs.
 */
struct migration_target_control {
	gfp_t gfp_mask;
};
struct page *alloc_migration_target(struct machine *m, struct page *page, unsigned long private);

/* rmap.c: replace every PTE of @page with a migration entry; false if one could not be. */
bool try_to_migrate(struct machine *m, struct page *page);
/* Every migration entry of @src becomes a PTE of @dst (@dst == @src: migration failed). */
void remove_migration_ptes(struct machine *m, struct page *src, struct page *dst);

/* vmscan.c: take @page off its LRU list with a reference (folio_isolate_lru); false if not on one. */
bool isolate_lru_page(struct machine *m, struct page *page);
/* folio_putback_lru(): back onto the LRU through the batch, the isolation reference dropped. */
void putback_lru_page(struct machine *m, struct page *page);

#endif
