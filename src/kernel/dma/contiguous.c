/* contiguous.c — the DMA API's contiguous memory allocator
 * (kernel/dma/contiguous.c of 6.1, CONFIG_DMA_CMA).
 *
 * One default CMA area, named "reserved", serves every device that has no
 * area of its own: its size comes from cma= (the build's
 * CONFIG_CMA_SIZE_MBYTES is 0 on x86, so without cma= there is none), and
 * setup_arch() reserves it once memblock knows all of RAM. dma_direct_alloc()
 * asks here first for anything bigger than a page that may sleep; single
 * pages come from the buddy allocator, where CMA pageblocks serve only
 * movable requests. Not here: per-NUMA areas (CONFIG_DMA_PERNUMA_CMA) and
 * device-tree "shared-dma-pool" regions, which x86 does not have. */
#include <inttypes.h>

#include <mmsim/errno.h>

#include "kernel/dma/contiguous.h"
#include "kernel/params.h"
#include "mm/cma.h"
#include "mm/internal.h"
#include "mm/slab.h"

int early_cma(struct machine *m, const char *value, bool has_value)
{
	struct cma_state *cs = m->cma;
	const char *p = value;

	if (!has_value) {
		pr_err(m, "cma: Config string not provided\n");
		return -MMSIM_EINVAL;
	}
	/* The values are phys_addr_t: 32 bits on non-PAE i386, where 100G reads as 0. */
	const uint64_t phys_mask = m->is_32bit ? 0xffffffffULL : ~0ULL;
	cs->size_cmdline = memparse(p, &p) & phys_mask;
	if (*p != '@')
		return 0;
	cs->base_cmdline = memparse(p + 1, &p) & phys_mask;
	if (*p != '-') {
		/* SIZE@BASE: exactly there. */
		cs->limit_cmdline = (cs->base_cmdline + cs->size_cmdline) & phys_mask;
		return 0;
	}
	cs->limit_cmdline = memparse(p + 1, &p) & phys_mask;
	return 0;
}

struct cma *dma_contiguous_default_area(const struct machine *m)
{
	return m->cma ? m->cma->dma_contiguous_default_area : NULL;
}

/* dma_contiguous_reserve_area(): one area, of the page allocator's pageblock granularity. */
static int dma_contiguous_reserve_area(struct machine *m, phys_addr_t size, phys_addr_t base,
				       phys_addr_t limit, struct cma **res_cma, bool fixed)
{
	return cma_declare_contiguous_nid(m, base, size, limit, 0, 0, fixed, "reserved", res_cma);
}

void dma_contiguous_reserve(struct machine *m, phys_addr_t limit)
{
	struct cma_state *cs = m->cma;
	phys_addr_t selected_size = 0, selected_base = 0, selected_limit = limit;
	bool fixed = false;

	if (!m->config.dma_cma || !cs)
		return;
	if (cs->size_cmdline != (uint64_t)-1) {
		selected_size = cs->size_cmdline;
		selected_base = cs->base_cmdline;
		/* min_not_zero(limit_cmdline, limit) */
		selected_limit = cs->limit_cmdline && cs->limit_cmdline < limit ? cs->limit_cmdline
										 : limit;
		/* In phys_addr_t arithmetic, which wraps at 4 GiB on non-PAE i386. */
		uint64_t end = cs->base_cmdline + cs->size_cmdline;
		if ((m->is_32bit ? end & 0xffffffffULL : end) == cs->limit_cmdline)
			fixed = true;
	}
	/* else CONFIG_CMA_SIZE_SEL_MBYTES with CONFIG_CMA_SIZE_MBYTES = 0 (x86's default). */
	if (selected_size && !cs->dma_contiguous_default_area)
		dma_contiguous_reserve_area(m, selected_size, selected_base, selected_limit,
					    &cs->dma_contiguous_default_area, fixed);
}

/*
 * dev->cma_area: the device's own area. Devices get one from a device
 * tree or a driver's dma_declare_contiguous(), neither of which an x86 PC
 * has, so every device is served by the default area.
 */
static struct cma *dev_own_cma_area(struct device *dev)
{
	(void)dev;
	return NULL;
}

/* cma_alloc_aligned(): aligned to the allocation's order, up to CONFIG_CMA_ALIGNMENT. */
static struct page *cma_alloc_aligned(struct machine *m, struct cma *cma, size_t size, gfp_t gfp)
{
	unsigned int align = get_order(size);

	if (align > CMA_ALIGNMENT)
		align = CMA_ALIGNMENT;
	return cma_alloc(m, cma, size >> PAGE_SHIFT, align, gfp & __GFP_NOWARN);
}

struct page *dma_alloc_contiguous(struct machine *m, struct device *dev, size_t size, gfp_t gfp)
{
	/* CMA can be used only in a context that may sleep: migration waits. */
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		return NULL;
	struct cma *own = dev_own_cma_area(dev);
	if (own)
		return cma_alloc_aligned(m, own, size, gfp);
	if (size <= PAGE_SIZE)
		return NULL;
	struct cma *area = dma_contiguous_default_area(m);
	if (!area)
		return NULL;
	return cma_alloc_aligned(m, area, size, gfp);
}

void dma_free_contiguous(struct machine *m, struct device *dev, struct page *page, size_t size)
{
	unsigned long count = (unsigned long)(ALIGN_UP(size, (size_t)PAGE_SIZE) >> PAGE_SHIFT);
	struct cma *own = dev_own_cma_area(dev);

	if (own) {
		if (cma_release(m, own, page, count))
			return;
	} else if (cma_release(m, dma_contiguous_default_area(m), page, count)) {
		return;
	}
	/* Not in any area: it came from the buddy allocator. */
	__free_pages(m, page, get_order(size));
}
