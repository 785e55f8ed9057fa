/* direct.c — dma-direct (kernel/dma/direct.c and direct.h): DMA without an
 * IOMMU, where a bus address is the physical address (x86's phys_to_dma is
 * the identity).
 *
 * Coherent memory comes from the buddy allocator in the zone the device's
 * coherent mask can reach: dma_direct_optimal_gfp_mask() picks GFP_DMA for
 * a mask within zone_dma_bits (24), GFP_DMA32 within 32 bits, any zone
 * otherwise; a page that still lies beyond the mask (GFP_DMA32 on i386,
 * which has no ZONE_DMA32 and gives ZONE_NORMAL) is given back and a lower
 * zone tried (__dma_direct_alloc_pages). Before the buddy allocator, 6.1
 * asks CMA (dma_alloc_contiguous, which finds no area without
 * CONFIG_DMA_CMA or cma=) and gives pages back through
 * dma_free_contiguous (kernel/dma/contiguous.c).
 *
 * A streaming mapping of memory the device cannot reach is bounced through
 * swiotlb when the machine has one (swiotlb.c); without one it fails with
 * the kernel's "DMA addr ... overflow" warning and DMA_MAPPING_ERROR.
 * %pad prints a dma_addr_t: 32 bits on Debian's 686 kernel (no PAE, no
 * 64-bit DMA addresses), 64 on amd64 — kptr_width() digits either way.
 * x86 is cache coherent: no syncs besides swiotlb's copies. */
#include <inttypes.h>
#include <string.h>

#include <mmsim/dma.h>

#include "kernel/dma/contiguous.h"
#include "kernel/dma/dma.h"
#include "mm.h"
#include "mm/slab.h"

/* dma_capable(): [addr, addr+size) lies within the device's streaming mask and bus limit. */
bool dma_capable(struct device *dev, dma_addr_t addr, size_t size)
{
	if (addr == DMA_MAPPING_ERROR || !size)
		return false;
	dma_addr_t end = addr + size - 1;
	if (end < addr)
		return false;
	return end <= dma_reach(dev->dma_mask, dev->bus_dma_limit);
}

/* dma_coherent_ok(): the same for the coherent mask. */
static bool dma_coherent_ok(struct device *dev, phys_addr_t phys, size_t size)
{
	return phys + size - 1 <= dma_reach(dev->coherent_dma_mask, dev->bus_dma_limit);
}

/*
 * dma_direct_supported(): a mask of 32 bits or more always works (the
 * kernel expects every architecture to serve 32-bit masks, by ZONE_DMA32
 * or by having no memory above); a smaller one must at least reach
 * ZONE_DMA, or all of memory if that is smaller.
 */
int dma_direct_supported(struct machine *m, struct device *dev, uint64_t mask)
{
	(void)dev;
	uint64_t min_mask = ((uint64_t)m->max_pfn - 1) << PAGE_SHIFT;

	if (mask >= DMA_BIT_MASK(32))
		return 1;
	if (min_mask > DMA_BIT_MASK(zone_dma_bits))
		min_mask = DMA_BIT_MASK(zone_dma_bits);
	return mask >= min_mask;
}

/*
 * dma_direct_optimal_gfp_mask(): the zone for the device's coherent reach.
 * Sets *phys_limit to that reach.
 */
static gfp_t dma_direct_optimal_gfp_mask(struct device *dev, uint64_t *phys_limit)
{
	uint64_t dma_limit = dma_reach(dev->coherent_dma_mask, dev->bus_dma_limit);

	*phys_limit = dma_limit;
	if (*phys_limit <= DMA_BIT_MASK(zone_dma_bits))
		return GFP_DMA;
	if (*phys_limit <= DMA_BIT_MASK(32))
		return GFP_DMA32;
	return 0;
}

/* __dma_direct_alloc_pages(): pages the coherent mask reaches, lowering the zone until they are. */
static struct page *__dma_direct_alloc_pages(struct machine *m, struct device *dev, size_t size,
					     gfp_t gfp)
{
	uint64_t phys_limit;
	unsigned int order = get_order(size);

	gfp |= dma_direct_optimal_gfp_mask(dev, &phys_limit);
	struct page *page = dma_alloc_contiguous(m, dev, size, gfp);
	if (page && !dma_coherent_ok(dev, PFN_PHYS(page_to_pfn(m, page)), size)) {
		dma_free_contiguous(m, dev, page, size);
		page = NULL;
	}
	for (;;) {
		/* Beyond MAX_ORDER the buddy allocator WARNs and fails, as in the kernel. */
		if (!page)
			page = alloc_pages(m, gfp, order);
		if (!page || dma_coherent_ok(dev, PFN_PHYS(page_to_pfn(m, page)), size))
			return page;
		dma_free_contiguous(m, dev, page, size);
		page = NULL;
		/* A zone lower down: ZONE_DMA32 where the kernel has one (x86_64), then ZONE_DMA. */
		if (!m->is_32bit && phys_limit < DMA_BIT_MASK(64) && !(gfp & (__GFP_DMA32 | __GFP_DMA))) {
			gfp |= __GFP_DMA32;
			continue;
		}
		if (!(gfp & __GFP_DMA)) {
			gfp = (gfp & ~__GFP_DMA32) | __GFP_DMA;
			continue;
		}
		return NULL;
	}
}

kaddr_t dma_direct_alloc(struct machine *m, struct device *dev, size_t size, dma_addr_t *handle,
			 gfp_t gfp)
{
	size = (size + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
	if (!size)
		return 0;
	/* We always zero the memory ourselves once we are done. */
	struct page *page = __dma_direct_alloc_pages(m, dev, size, gfp & ~__GFP_ZERO);
	if (!page)
		return 0;
	/*
	 * The buddy allocator gives no HighMem page here: the caller's
	 * __GFP_HIGHMEM was dropped and the zone chosen is at most
	 * ZONE_NORMAL; the default CMA area lies in lowmem too. Only a
	 * cma=SIZE@BASE area placed in HighMem gives one, which 6.1 maps
	 * with dma_common_contiguous_remap(); mmsim does not, and fails.
	 */
	kaddr_t ret = page_address(m, page);
	if (!ret) {
		dma_free_contiguous(m, dev, page, size);
		return 0;
	}
	memset(page_host_address(m, page), 0, size);
	*handle = PFN_PHYS(page_to_pfn(m, page));
	return ret;
}

void dma_direct_free(struct machine *m, struct device *dev, size_t size, kaddr_t cpu_addr,
		     dma_addr_t handle)
{
	(void)cpu_addr;
	size = (size + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
	dma_free_contiguous(m, dev, pfn_to_page(m, PFN_DOWN(handle)), size);
}

/*
 * dma_direct_map_page(): the physical address itself when the device
 * reaches it, a bounce buffer when it does not and swiotlb is there, and
 * otherwise the overflow warning and DMA_MAPPING_ERROR.
 */
dma_addr_t dma_direct_map_phys(struct machine *m, struct device *dev, phys_addr_t phys, size_t size,
			       enum dma_data_direction dir, struct dma_map_entry *e)
{
	dma_addr_t dma_addr = phys;

	if (dma_capable(dev, dma_addr, size))
		return dma_addr;
	if (is_swiotlb_active(m)) {
		/* swiotlb_map() */
		phys_addr_t tlb = swiotlb_tbl_map_single(m, dev, phys, size, size, dir);
		if (tlb == (phys_addr_t)DMA_MAPPING_ERROR)
			return DMA_MAPPING_ERROR;
		dma_addr = tlb;
		if (!dma_capable(dev, dma_addr, size)) {
			swiotlb_tbl_unmap_single(m, dev, tlb, size, dir, true);
			dev_warn_once_at(m, dev, WARN_SWIOTLB_OVERFLOW, "kernel/dma/swiotlb.c", "swiotlb_map",
					 "swiotlb addr 0x%0*" PRIx64 "+%zu overflow (mask %" PRIx64
					 ", bus limit %" PRIx64 ").\n", kptr_width(m), dma_addr, size, dev->dma_mask,
					 dev->bus_dma_limit);
			return DMA_MAPPING_ERROR;
		}
		e->via = DMA_VIA_SWIOTLB;
		e->tlb_addr = tlb;
		dev->bytes_bounced += size;
		return dma_addr;
	}
	dev_warn_once_at(m, dev, WARN_DIRECT_OVERFLOW, "kernel/dma/direct.h", "dma_direct_map_page",
			 "DMA addr 0x%0*" PRIx64 "+%zu overflow (mask %" PRIx64 ", bus limit %" PRIx64
			 ").\n", kptr_width(m), dma_addr, size, dev->dma_mask, dev->bus_dma_limit);
	return DMA_MAPPING_ERROR;
}

/* dma_direct_unmap_page(): only a bounced mapping has anything to undo (and copy back). */
void dma_direct_unmap(struct machine *m, struct device *dev, struct dma_map_entry *e, bool sync)
{
	if (e->via != DMA_VIA_SWIOTLB)
		return;
	if (sync && (e->dir == DMA_FROM_DEVICE || e->dir == DMA_BIDIRECTIONAL))
		dev->bytes_bounced += e->size;
	swiotlb_tbl_unmap_single(m, dev, e->tlb_addr, e->size, e->dir, !sync);
}

/* dma_direct_sync_single_for_{cpu,device}(): swiotlb's copies for a bounced mapping. */
void dma_direct_sync(struct machine *m, struct device *dev, struct dma_map_entry *e, size_t off,
		     size_t size, bool for_cpu)
{
	if (e->via != DMA_VIA_SWIOTLB)
		return;
	if (for_cpu) {
		if (e->dir == DMA_FROM_DEVICE || e->dir == DMA_BIDIRECTIONAL)
			dev->bytes_bounced += size;
		swiotlb_sync_single_for_cpu(m, dev, e->tlb_addr + off, size, e->dir);
	} else {
		if (e->dir == DMA_TO_DEVICE || e->dir == DMA_BIDIRECTIONAL)
			dev->bytes_bounced += size;
		swiotlb_sync_single_for_device(m, dev, e->tlb_addr + off, size, e->dir);
	}
}
