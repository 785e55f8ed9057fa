/* page.h — frames and their contents, for library users.
 *
 * Inside the library these are the kernel's pfn_to_page() / page_to_pfn() /
 * page_address(); here they are exported functions so that struct machine
 * can stay private. Contents are the simulated RAM itself: what is written
 * through one route is read through any other. */
#ifndef MMSIM_PAGE_H
#define MMSIM_PAGE_H

#include <mmsim/mm_types.h>

MMSIM_BEGIN_DECLS

struct machine;

/* NULL if pfn has no struct page on this machine. */
MMSIM_API struct page *mmsim_pfn_to_page(struct machine *m, unsigned long pfn);
MMSIM_API unsigned long mmsim_page_to_pfn(const struct machine *m, const struct page *page);
/* The kernel virtual address (direct map), or 0 for a HighMem page. */
MMSIM_API kaddr_t mmsim_page_address(struct machine *m, const struct page *page);
/* The frame's bytes: PAGE_SIZE << order of them for a block. */
MMSIM_API void *mmsim_page_data(struct machine *m, const struct page *page);
/* The zone a page belongs to, by name ("DMA", "Normal", "HighMem" ...). */
MMSIM_API const char *mmsim_page_zone_name(struct machine *m, const struct page *page);

MMSIM_END_DECLS

#endif /* MMSIM_PAGE_H */
