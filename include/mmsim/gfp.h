/* gfp.h — GFP ("get free pages") flags and the page allocator's entry points.
 *
 * Bit values are Linux 6.1's (include/linux/gfp_types.h) so that the mode
 * printed in an allocation-failure warning, e.g. "mode:0xcc0(GFP_KERNEL)",
 * is the number the real kernel prints. The zone a request may use is decided
 * by gfp_zone() from the four zone-modifier bits (see mm/internal.h). */
#ifndef MMSIM_GFP_H
#define MMSIM_GFP_H

#include <stdio.h>
#include <mmsim/types.h>

MMSIM_BEGIN_DECLS

#define ___GFP_DMA		0x01u
#define ___GFP_HIGHMEM		0x02u
#define ___GFP_DMA32		0x04u
#define ___GFP_MOVABLE		0x08u
#define ___GFP_RECLAIMABLE	0x10u
#define ___GFP_HIGH		0x20u
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_ZERO		0x100u
#define ___GFP_ATOMIC		0x200u
#define ___GFP_DIRECT_RECLAIM	0x400u
#define ___GFP_KSWAPD_RECLAIM	0x800u
#define ___GFP_WRITE		0x1000u
#define ___GFP_NOWARN		0x2000u
#define ___GFP_RETRY_MAYFAIL	0x4000u
#define ___GFP_NOFAIL		0x8000u
#define ___GFP_NORETRY		0x10000u
#define ___GFP_MEMALLOC		0x20000u
#define ___GFP_COMP		0x40000u
#define ___GFP_NOMEMALLOC	0x80000u
#define ___GFP_HARDWALL		0x100000u
#define ___GFP_THISNODE		0x200000u
#define ___GFP_ACCOUNT		0x400000u
#define ___GFP_ZEROTAGS		0x800000u

/* Zone modifiers: which physical zone a request may be served from. */
#define __GFP_DMA		((gfp_t)___GFP_DMA)
#define __GFP_HIGHMEM		((gfp_t)___GFP_HIGHMEM)
#define __GFP_DMA32		((gfp_t)___GFP_DMA32)
#define __GFP_MOVABLE		((gfp_t)___GFP_MOVABLE)
#define GFP_ZONEMASK	(__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)

/* Page mobility and placement. */
#define __GFP_RECLAIMABLE	((gfp_t)___GFP_RECLAIMABLE)
#define __GFP_WRITE		((gfp_t)___GFP_WRITE)
#define __GFP_HARDWALL		((gfp_t)___GFP_HARDWALL)
#define __GFP_THISNODE		((gfp_t)___GFP_THISNODE)
#define __GFP_ACCOUNT		((gfp_t)___GFP_ACCOUNT)
#define GFP_MOVABLE_MASK	(__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT	3

/* Watermark modifiers: access to the emergency reserves. */
#define __GFP_HIGH		((gfp_t)___GFP_HIGH)
#define __GFP_ATOMIC		((gfp_t)___GFP_ATOMIC)
#define __GFP_MEMALLOC		((gfp_t)___GFP_MEMALLOC)
#define __GFP_NOMEMALLOC	((gfp_t)___GFP_NOMEMALLOC)

/* Reclaim modifiers. */
#define __GFP_IO		((gfp_t)___GFP_IO)
#define __GFP_FS		((gfp_t)___GFP_FS)
#define __GFP_DIRECT_RECLAIM	((gfp_t)___GFP_DIRECT_RECLAIM)
#define __GFP_KSWAPD_RECLAIM	((gfp_t)___GFP_KSWAPD_RECLAIM)
#define __GFP_RECLAIM		((gfp_t)(___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM))
#define __GFP_RETRY_MAYFAIL	((gfp_t)___GFP_RETRY_MAYFAIL)
#define __GFP_NOFAIL		((gfp_t)___GFP_NOFAIL)
#define __GFP_NORETRY		((gfp_t)___GFP_NORETRY)

/* Action modifiers. */
#define __GFP_NOWARN		((gfp_t)___GFP_NOWARN)
#define __GFP_COMP		((gfp_t)___GFP_COMP)
#define __GFP_ZERO		((gfp_t)___GFP_ZERO)
#define __GFP_ZEROTAGS		((gfp_t)___GFP_ZEROTAGS)

#define __GFP_BITS_SHIFT	24
#define __GFP_BITS_MASK		((gfp_t)((1u << __GFP_BITS_SHIFT) - 1))

/* The combinations callers actually use. */
#define GFP_ATOMIC	(__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO	(__GFP_RECLAIM)
#define GFP_NOFS	(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER	(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA		__GFP_DMA
#define GFP_DMA32	__GFP_DMA32
#define GFP_HIGHUSER	(GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE	(GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_TRANSHUGE_LIGHT	((GFP_HIGHUSER_MOVABLE | __GFP_COMP | \
				  __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM)
#define GFP_TRANSHUGE	(GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

struct machine;
struct page;

/*
 * The buddy allocator's interface (mm/page_alloc.c). All take the machine
 * whose memory they manage. Failures return NULL / 0 and, unless
 * __GFP_NOWARN, log the kernel's "page allocation failure" warning.
 */
MMSIM_API struct page *alloc_pages(struct machine *m, gfp_t gfp, unsigned int order);
MMSIM_API kaddr_t __get_free_pages(struct machine *m, gfp_t gfp, unsigned int order);
MMSIM_API kaddr_t get_zeroed_page(struct machine *m, gfp_t gfp);
MMSIM_API void __free_pages(struct machine *m, struct page *page, unsigned int order);
MMSIM_API void free_pages(struct machine *m, kaddr_t addr, unsigned int order);
#define alloc_page(m, gfp) alloc_pages(m, gfp, 0)
#define __free_page(m, page) __free_pages(m, page, 0)
#define free_page(m, addr) free_pages(m, addr, 0)

/* Return every page held on per-CPU lists to the buddy free lists. */
MMSIM_API void drain_all_pages(struct machine *m);

/*
 * Print @gfp the way the kernel's %pGg does ("GFP_KERNEL|__GFP_ZERO").
 * Parse the same syntax back: names joined by '|', or a number.
 * mmsim_gfp_parse() returns 0 or -EINVAL and points *bad at the offending name.
 */
MMSIM_API void mmsim_gfp_format(FILE *out, gfp_t gfp);
/* The i-th name mmsim_gfp_format() knows ("GFP_KERNEL" ...), NULL past the last. */
MMSIM_API const char *mmsim_gfp_name(size_t i);
MMSIM_API int mmsim_gfp_parse(const char *text, gfp_t *gfp, const char **bad, size_t *bad_len);

MMSIM_END_DECLS

#endif /* MMSIM_GFP_H */
