/* mm.h (internal, library-wide) — what every part of the library uses to talk
 * about memory: the role of the kernel's linux/mm.h, linux/mmzone.h and the
 * internal half of linux/gfp.h.
 *
 * pfn <-> struct page <-> physical <-> virtual conversions, the GFP-to-zone
 * mapping, and the mm entry points that boot (arch/x86/kernel/setup.c),
 * /proc and verify call. What only mm/ files share lives in mm/internal.h. */
#ifndef MMSIM_MM_H
#define MMSIM_MM_H

#include <stdio.h>

#include "machine.h"

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
static inline kaddr_t __va(const struct machine *m, phys_addr_t phys)
{
	return m->page_offset + phys;
}

static inline phys_addr_t __pa(const struct machine *m, kaddr_t vaddr)
{
	return vaddr - m->page_offset;
}

/* Virtual address of a lowmem page in the direct map. */
static inline kaddr_t lowmem_page_address(const struct machine *m, const struct page *page)
{
	return __va(m, PFN_PHYS(page_to_pfn(m, page)));
}

/*
 * page_address(): the kernel virtual address of a page: the direct map for
 * lowmem, its pkmap slot while a HighMem page is kmapped, 0 otherwise.
 */
kaddr_t page_address(struct machine *m, const struct page *page);

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

/* ---- mm/mm_init.c: zone sizing and memmap --------------------------------- */
void free_area_init(struct machine *m, const unsigned long *max_zone_pfn);
/* Pages in [start_pfn, end_pfn) that are memory (memblock.memory). */
unsigned long memblock_present_pages(const struct machine *m, unsigned long start_pfn,
				     unsigned long end_pfn);

/* ---- mm/page_alloc.c: what boot and the sysctl handlers run ---------------- */
void build_all_zonelists(struct machine *m);
void build_gfp_zone_table(struct machine *m);
/* Free [start_pfn, end_pfn) at boot in maximal aligned blocks. */
void free_pfn_range_to_buddy(struct machine *m, unsigned long start_pfn, unsigned long end_pfn);
/* free_reserved_area(): return reserved pages to the buddy at runtime. */
unsigned long free_reserved_area(struct machine *m, phys_addr_t start, phys_addr_t end);
void setup_zone_pagesets(struct machine *m);
void setup_per_zone_wmarks(struct machine *m);
void setup_per_zone_lowmem_reserve(struct machine *m);
void init_per_zone_wmark_min(struct machine *m);
void set_recommended_min_free_kbytes(struct machine *m);
unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item item);
unsigned long global_zone_page_state(struct machine *m, enum zone_stat_item item);
/* The allocation-failure warning (rate limited, silent with __GFP_NOWARN). */
void warn_alloc(struct machine *m, gfp_t gfp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void dump_page(struct machine *m, struct page *page, const char *reason);
/* The kernel's %pGg: @gfp as "GFP_KERNEL|__GFP_ZERO" in @buf, which it returns. */
const char *gfp_string(gfp_t gfp, char *buf, size_t len);
/* Validator of the free lists, pcp lists and page states. */
unsigned long page_alloc_verify(struct machine *m, FILE *out);

#endif /* MMSIM_MM_H */
