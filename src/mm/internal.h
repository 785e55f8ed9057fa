/* internal.h (mm) — what mm files share inside the library (the kernel's mm/internal.h).
 *
 * pfn <-> struct page <-> physical <-> virtual conversions, the GFP-to-zone
 * and GFP-to-migratetype mappings, pageblock migratetypes, and the entry
 * points boot uses to set up zones. */
#ifndef MMSIM_MM_INTERNAL_H
#define MMSIM_MM_INTERNAL_H

#include <stdio.h>

#include "machine.h"

/* alloc_flags for get_page_from_freelist() (mm/internal.h in 6.1). */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08
#define ALLOC_HARDER		0x10
#define ALLOC_HIGH		0x20
#define ALLOC_CPUSET		0x40
#define ALLOC_CMA		0x80
#define ALLOC_NOFRAGMENT	0x100
#define ALLOC_KSWAPD		0x800

#define SWAP_CLUSTER_MAX	32UL
#define MAX_DMA_PFN		(SZ_16M >> PAGE_SHIFT)
#define MAX_DMA32_PFN		(1UL << (32 - PAGE_SHIFT))

static inline struct page *pfn_to_page(struct machine *m, unsigned long pfn)
{
	return m->mem_map + pfn;
}

static inline unsigned long page_to_pfn(const struct machine *m, const struct page *page)
{
	return (unsigned long)(page - m->mem_map);
}

static inline struct zone *page_zone(struct machine *m, const struct page *page)
{
	return &m->node.node_zones[page_zonenum(page)];
}

/* A pfn with a struct page that describes memory (sections present). */
bool pfn_valid(const struct machine *m, unsigned long pfn);

static inline bool is_highmem_idx(const struct machine *m, enum zone_type idx)
{
	return m->node.node_zones[idx].is_highmem;
}

static inline bool PageHighMem(struct machine *m, const struct page *page)
{
	return page_zone(m, page)->is_highmem;
}

/* The direct map: __pa / __va for lowmem. */
static inline uint64_t __va(const struct machine *m, phys_addr_t phys)
{
	return m->page_offset + phys;
}

static inline phys_addr_t __pa(const struct machine *m, uint64_t vaddr)
{
	return vaddr - m->page_offset;
}

/* Virtual address of a lowmem page in the direct map. */
static inline uint64_t lowmem_page_address(const struct machine *m, const struct page *page)
{
	return __va(m, PFN_PHYS(page_to_pfn(m, page)));
}

/*
 * page_address(): the kernel virtual address of a page, or 0 for a highmem
 * page that has no mapping (kmap arrives with the kernel VM capability).
 */
uint64_t page_address(struct machine *m, const struct page *page);

/* Host pointer to the simulated frame's bytes. */
static inline void *page_host_address(struct machine *m, const struct page *page)
{
	return m->ram + PFN_PHYS(page_to_pfn(m, page));
}

/* gfp_zone(): highest zone index the request may use, -1 for a bad combination. */
static inline int gfp_zone(const struct machine *m, gfp_t gfp)
{
	return m->gfp_zone_table[gfp & GFP_ZONEMASK];
}

static inline int gfp_migratetype(gfp_t gfp)
{
	return (int)((gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
}

static inline int get_pageblock_migratetype(const struct machine *m, unsigned long pfn)
{
	return m->pageblock_mt[pfn >> m->pageblock_order];
}

static inline void set_pageblock_migratetype(struct machine *m, unsigned long pfn, int mt)
{
	m->pageblock_mt[pfn >> m->pageblock_order] = (unsigned char)mt;
}

/* ---- mm/mm_init.c: zone sizing and memmap --------------------------------- */
void free_area_init(struct machine *m, const unsigned long *max_zone_pfn);
/* Pages in [start_pfn, end_pfn) that are memory (memblock.memory). */
unsigned long memblock_present_pages(const struct machine *m, unsigned long start_pfn,
				     unsigned long end_pfn);

/* ---- mm/page_alloc.c ------------------------------------------------------ */
void build_all_zonelists(struct machine *m);
void build_gfp_zone_table(struct machine *m);
/* Free pages at boot: clears PG_reserved and counts them as managed. */
void __free_pages_core(struct machine *m, struct page *page, unsigned int order);
/* Free [start_pfn, end_pfn) at boot in maximal aligned blocks. */
void free_pfn_range_to_buddy(struct machine *m, unsigned long start_pfn, unsigned long end_pfn);
/* free_reserved_area(): return reserved pages to the buddy at runtime. */
unsigned long free_reserved_area(struct machine *m, phys_addr_t start, phys_addr_t end);
void setup_zone_pagesets(struct machine *m);
void zone_pcp_update_all(struct machine *m);
unsigned long nr_free_buffer_pages(struct machine *m);
void calculate_min_free_kbytes(struct machine *m);
void setup_per_zone_wmarks(struct machine *m);
void setup_per_zone_lowmem_reserve(struct machine *m);
void init_per_zone_wmark_min(struct machine *m);
void set_recommended_min_free_kbytes(struct machine *m);
unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item item);
unsigned long global_zone_page_state(struct machine *m, enum zone_stat_item item);
void bad_page(struct machine *m, struct page *page, const char *reason);
/* The allocation-failure warning (rate limited, silent with __GFP_NOWARN). */
void warn_alloc(struct machine *m, gfp_t gfp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void dump_page(struct machine *m, struct page *page, const char *reason);
unsigned long page_alloc_verify(struct machine *m, FILE *out);

#endif /* MMSIM_MM_INTERNAL_H */
