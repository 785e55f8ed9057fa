/* mm_types.h — struct page, one per physical page frame (the kernel's mem_map[]).
 *
 * Field meanings follow include/linux/mm_types.h. The simulator's own struct
 * is 64 bytes on the host; the *simulated* kernel's sizeof(struct page)
 * (40 bytes on Debian's 686, 64 on amd64) is a profile constant, because it
 * decides how much RAM mem_map costs the simulated machine at boot. */
#ifndef MMSIM_MM_TYPES_H
#define MMSIM_MM_TYPES_H

#include <mmsim/list.h>
#include <mmsim/types.h>

MMSIM_BEGIN_DECLS

/* Page flags: bit numbers are Linux 6.1's, so dump_page() prints its words. */
enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_workingset,
	PG_waiters,
	PG_error,
	PG_slab,
	PG_owner_priv_1,
	PG_arch_1,
	PG_reserved,		/* never handed to the buddy allocator */
	PG_private,
	PG_private_2,
	PG_writeback,
	PG_head,		/* first page of a compound (__GFP_COMP) page */
	PG_mappedtodisk,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	__NR_PAGEFLAGS,
};

/* The zone index lives in the top bits of page->flags, as in the kernel. */
#define ZONES_WIDTH	3
#define ZONES_PGSHIFT	(sizeof(unsigned long) * 8 - ZONES_WIDTH)
#define ZONES_MASK	((1UL << ZONES_WIDTH) - 1)

/* Flags that must be clear when a page is freed (PAGE_FLAGS_CHECK_AT_FREE). */
#define PAGE_FLAGS_CHECK_AT_FREE \
	((1UL << PG_lru) | (1UL << PG_locked) | (1UL << PG_private) | \
	 (1UL << PG_writeback) | (1UL << PG_reserved) | (1UL << PG_slab) | \
	 (1UL << PG_active) | (1UL << PG_unevictable) | (1UL << PG_mlocked))

/*
 * page_type aliases _mapcount: a page that is not mapped into user space
 * has _mapcount == -1 (all ones); a typed page clears one bit below
 * PAGE_TYPE_BASE. So a free buddy page reads as "nonzero mapcount", which is
 * exactly how the kernel notices a page freed twice.
 */
#define PAGE_TYPE_BASE	0xf0000000u
#define PG_buddy	0x00000080u
#define PG_table	0x00000200u	/* a user page table (PageTables in /proc/meminfo) */

/*
 * A slab page (PG_slab) overlays struct slab on these fields, as the kernel
 * does (src/mm/slab.h): lru -> slab_list / CPU partial chain (a tail page:
 * lru.next = head page + 1), mapping -> kmem_cache, index -> freelist,
 * private -> counters. SLUB clears them before freeing the pages.
 */
struct page {
	unsigned long flags;		/* PG_* bits | zone << ZONES_PGSHIFT */
	union {
		struct list_head lru;		/* LRU list (later capabilities) */
		struct list_head buddy_list;	/* free_area[order].free_list[mt] */
		struct list_head pcp_list;	/* per_cpu_pages.lists[pindex] */
	};
	void *mapping;			/* anon_vma / address_space (later) */
	unsigned long index;		/* offset within mapping (later) */
	/*
	 * PageBuddy: the order of the free block this page heads.
	 * On a pcp list: the migratetype it was freed as.
	 */
#ifdef __cplusplus
	unsigned long private_;		/* the kernel's name, private, is a C++ keyword */
#else
	unsigned long private;
#endif
	union {
		int _mapcount;		/* -1 unmapped */
		unsigned int page_type;
	};
	int _refcount;			/* 0 = free */
	/*
	 * page_owner: order of the allocation this page heads, or -1. Like
	 * CONFIG_PAGE_OWNER it lets a bad free (wrong order) be named.
	 */
	signed char alloc_order;
	/*
	 * The migratetype the allocation that handed this page out asked
	 * for (gfp_migratetype), so that verify can tell an unmovable page
	 * sitting in a MIGRATE_CMA pageblock; meaningless while free.
	 */
	unsigned char alloc_migratetype;
	/*
	 * A HighMem page's permanent kmap: pkmap slot + 1, 0 when unmapped.
	 * (x86 finds page_address() of a highmem page through a hash; this
	 * is WANT_PAGE_VIRTUAL's way of holding the same fact.)
	 */
	unsigned short kmap_slot;
	/*
	 * A tail page of a compound page (a huge page): its distance from
	 * the head page, which holds the compound page's state; 0 otherwise.
	 */
	unsigned int compound_head_off;
};

static inline int page_ref_count(const struct page *page)
{
	return page->_refcount;
}

static inline void set_page_count(struct page *page, int v)
{
	page->_refcount = v;
}

static inline bool PageBuddy(const struct page *page)
{
	return (page->page_type & (PAGE_TYPE_BASE | PG_buddy)) == PAGE_TYPE_BASE;
}

static inline void __SetPageBuddy(struct page *page)
{
	page->page_type &= ~PG_buddy;
}

static inline void __ClearPageBuddy(struct page *page)
{
	page->page_type |= PG_buddy;
}

static inline void page_mapcount_reset(struct page *page)
{
	page->_mapcount = -1;
}

static inline bool PageReserved(const struct page *page)
{
	return page->flags & (1UL << PG_reserved);
}

static inline void __SetPageReserved(struct page *page)
{
	page->flags |= 1UL << PG_reserved;
}

static inline void __ClearPageReserved(struct page *page)
{
	page->flags &= ~(1UL << PG_reserved);
}

static inline unsigned int page_zonenum(const struct page *page)
{
	return (page->flags >> ZONES_PGSHIFT) & ZONES_MASK;
}

MMSIM_END_DECLS

#endif /* MMSIM_MM_TYPES_H */
