/* dma-iommu.c — the DMA API for a device behind the IOMMU (drivers/iommu/
 * dma-iommu.c): every mapping is an IOVA range of the device's domain,
 * mapped in its page tables to wherever the memory really is.
 *
 * IOVA allocation (iommu_dma_alloc_iova): a range of fewer than 32 pages
 * is rounded up to a power of two (so freed ranges fit the per-CPU
 * caches), then, for a PCI device that can address more than 32 bits, a
 * range below 4 GiB is tried first (a single-address-cycle address),
 * then anything below the mask; always size-aligned, top-down.
 *
 * map_page/map_single: the range covers the buffer's pages; the bus
 * address keeps the buffer's offset in its page. Permissions follow the
 * direction: DMA_TO_DEVICE lets the device read only, DMA_FROM_DEVICE
 * write only.
 *
 * map_sg: the segments are laid out one after another in ONE IOVA range
 * (each padded to the IOVA granule, and to the device's segment boundary
 * where it would cross one), mapped in one go, and then __finalise_sg
 * merges them into as few DMA segments as the device's maximum segment
 * size allows: scattered pages become one contiguous bus range.
 *
 * alloc (iommu_dma_alloc_remap): the buffer's pages come one by one from
 * anywhere, HighMem too (the kernel first tries larger blocks of the
 * domain's page sizes; mmsim's allocator has no split_page yet, so pages
 * here are single), mapped contiguously in IOVA space and, for the CPU,
 * contiguously in vmalloc space (dma_common_pages_remap, VM_DMA_COHERENT). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/vmalloc.h>

#include "arch/x86/pgtable.h"
#include "drivers/iommu/iommu.h"
#include "mm.h"

#define IOVA_RANGE_CACHE_MAX_SIZE	6

static unsigned long roundup_pow_of_two(unsigned long n)
{
	unsigned long p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* iommu_dma_alloc_iova(): the bus address of a new range of @size bytes (page multiple), 0 if none. */
static dma_addr_t iommu_dma_alloc_iova(struct iommu_domain *domain, size_t size, uint64_t dma_limit,
				       struct device *dev)
{
	unsigned long iova_len = size >> PAGE_SHIFT;
	struct iova *iova = NULL;

	if (iova_len < (1UL << (IOVA_RANGE_CACHE_MAX_SIZE - 1)))
		iova_len = roundup_pow_of_two(iova_len);
	dma_limit = dma_reach(dma_limit, dev->bus_dma_limit);
	if (dma_limit > (1ULL << VTD_AGAW_BITS) - 1)
		dma_limit = (1ULL << VTD_AGAW_BITS) - 1;	/* the aperture the tables cover */
	/* Try to get PCI devices a SAC address. */
	if (dma_limit > DMA_BIT_MASK(32))
		iova = alloc_iova(&domain->iovad, iova_len, DMA_BIT_MASK(32) >> PAGE_SHIFT, true);
	if (!iova)
		iova = alloc_iova(&domain->iovad, iova_len, dma_limit >> PAGE_SHIFT, true);
	return iova ? (dma_addr_t)iova->pfn_lo << PAGE_SHIFT : 0;
}

static void iommu_dma_free_iova(struct iommu_domain *domain, dma_addr_t iova)
{
	struct iova *node = find_iova(&domain->iovad, iova >> PAGE_SHIFT);

	if (node && !node->reserved)
		__free_iova(&domain->iovad, node);
}

/* dma_info_to_prot(): what the device may do with the mapping. */
static unsigned int dma_info_to_prot(enum dma_data_direction dir)
{
	switch (dir) {
	case DMA_TO_DEVICE:
		return IOMMU_READ;
	case DMA_FROM_DEVICE:
		return IOMMU_WRITE;
	default:
		return IOMMU_READ | IOMMU_WRITE;
	}
}

/* __iommu_dma_unmap(): clear the range (the IOTLB goes with it), then free its IOVA. */
static void __iommu_dma_unmap(struct machine *m, struct device *dev, dma_addr_t dma_addr, size_t size)
{
	size_t iova_off = dma_addr & (PAGE_SIZE - 1);

	dma_addr -= iova_off;
	size = (size + iova_off + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
	iommu_unmap(m, dev->domain, dma_addr, size);
	iommu_dma_free_iova(dev->domain, dma_addr);
}

/* Record the pages an entry's IOVA range maps to, for the validator and `dma show`. */
static bool entry_pages(struct dma_map_entry *e, phys_addr_t phys, size_t size, struct machine *m)
{
	unsigned int n = (unsigned int)(size >> PAGE_SHIFT);

	e->pages = malloc(n * sizeof(*e->pages));
	if (!e->pages)
		return false;
	for (unsigned int i = 0; i < n; i++)
		e->pages[i] = pfn_to_page(m, PFN_DOWN(phys) + i);
	e->nr_pages = n;
	return true;
}

dma_addr_t iommu_dma_map_phys(struct machine *m, struct device *dev, phys_addr_t phys, size_t size,
			      enum dma_data_direction dir, struct dma_map_entry *e)
{
	struct iommu_domain *domain = dev->domain;
	size_t iova_off = phys & (PAGE_SIZE - 1);

	size = (size + iova_off + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
	if (size >> 32)
		return DMA_MAPPING_ERROR;
	dma_addr_t iova = iommu_dma_alloc_iova(domain, size, dev->dma_mask, dev);
	if (!iova)
		return DMA_MAPPING_ERROR;
	if (!entry_pages(e, phys - iova_off, size, m) ||
	    iommu_map(m, domain, iova, phys - iova_off, size, dma_info_to_prot(dir))) {
		iommu_dma_free_iova(domain, iova);
		return DMA_MAPPING_ERROR;
	}
	return iova + iova_off;
}

void iommu_dma_unmap(struct machine *m, struct device *dev, dma_addr_t addr, size_t size)
{
	__iommu_dma_unmap(m, dev, addr, size);
}

/*
 * __finalise_sg(): put back each segment's own offset and length, and
 * give the DMA side its merged segments. Returns how many there are.
 */
static int finalise_sg(struct device *dev, struct scatterlist *sg, int nents, dma_addr_t dma_addr)
{
	uint64_t seg_mask = dev->segment_boundary_mask;
	unsigned int cur_len = 0, max_len = dev->max_segment_size;
	int cur = 0, count = 0;

	for (int i = 0; i < nents; i++) {
		struct scatterlist *s = &sg[i];
		unsigned int s_iova_off = (unsigned int)s->dma_address;
		unsigned int s_length = s->dma_length;
		unsigned int s_iova_len = s->length;

		s->offset += s_iova_off;
		s->length = s_length;
		s->dma_address = DMA_MAPPING_ERROR;
		s->dma_length = 0;
		/*
		 * Append to the current DMA segment when it starts on an IOVA
		 * page, is not at a segment boundary, and the result stays
		 * within the maximum segment size.
		 */
		if (cur_len && !s_iova_off && (dma_addr & seg_mask) && max_len - cur_len >= s_length) {
			cur_len += s_length;
		} else {
			if (i > 0)
				cur++;
			cur_len = s_length;
			count++;
			sg[cur].dma_address = dma_addr + s_iova_off;
		}
		sg[cur].dma_length = cur_len;
		dma_addr += s_iova_len;
		if (s_length + s_iova_off < s_iova_len)
			cur_len = 0;
	}
	return count;
}

int iommu_dma_map_sg(struct machine *m, struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir)
{
	struct iommu_domain *domain = dev->domain;
	uint64_t mask = dev->segment_boundary_mask;
	size_t iova_len = 0;
	struct scatterlist *prev = NULL;

	for (int i = 0; i < nents; i++)
		if (!sg[i].length || sg[i].offset + (uint64_t)sg[i].length > (1ULL << 31))
			return -MMSIM_EINVAL;
	/* Lay the segments out granule-aligned, each wholly within a boundary. */
	for (int i = 0; i < nents; i++) {
		struct scatterlist *s = &sg[i];
		size_t s_iova_off = s->offset & (PAGE_SIZE - 1);
		size_t s_length = s->length;
		size_t pad_len = (mask - iova_len + 1) & mask;

		s->dma_address = s_iova_off;
		s->dma_length = (unsigned int)s_length;
		s->offset -= (unsigned int)s_iova_off;
		s_length = (s_length + s_iova_off + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
		s->length = (unsigned int)s_length;
		if (pad_len && pad_len < s_length - 1) {
			prev->length += (unsigned int)pad_len;
			iova_len += pad_len;
		}
		iova_len += s_length;
		prev = s;
	}
	struct dma_map_entry *e = iova_len >> 32 ? NULL : dma_entry_add(m, dev);
	dma_addr_t iova = e ? iommu_dma_alloc_iova(domain, iova_len, dev->dma_mask, dev) : 0;
	if (!iova)
		goto out_restore;
	e->type = DMA_ENTRY_SG;
	e->via = DMA_VIA_IOMMU;
	e->dir = dir;
	e->dev_addr = iova;
	e->size = iova_len;
	e->pages = calloc(iova_len >> PAGE_SHIFT, sizeof(*e->pages));
	if (!e->pages)
		goto out_free_iova;
	e->nr_pages = (unsigned int)(iova_len >> PAGE_SHIFT);
	/* iommu_map_sg(): each segment's pages at its place in the range; padding stays unmapped. */
	size_t off = 0;
	for (int i = 0; i < nents; i++) {
		struct scatterlist *s = &sg[i];
		size_t mapped = (s->dma_length + (size_t)s->dma_address + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
		phys_addr_t phys = PFN_PHYS(page_to_pfn(m, s->page)) + s->offset;
		if (iommu_map(m, domain, iova + off, phys, mapped, dma_info_to_prot(dir))) {
			iommu_unmap(m, domain, iova, off);
			goto out_free_iova;
		}
		for (size_t p = 0; p < mapped >> PAGE_SHIFT; p++)
			e->pages[(off >> PAGE_SHIFT) + p] = pfn_to_page(m, PFN_DOWN(phys) + p);
		off += s->length;
	}
	e->paddr = 0;
	return finalise_sg(dev, sg, nents, iova);

out_free_iova:
	iommu_dma_free_iova(domain, iova);
out_restore:
	if (e)
		dma_entry_remove(m, dev, e);
	/* __invalidate_sg(): the segments as they were, no DMA side. */
	for (int i = 0; i < nents; i++) {
		struct scatterlist *s = &sg[i];
		if (s->dma_address != DMA_MAPPING_ERROR && s->length) {
			s->offset += (unsigned int)s->dma_address;
			s->length = s->dma_length;
		}
		s->dma_address = DMA_MAPPING_ERROR;
		s->dma_length = 0;
	}
	return -MMSIM_ENOMEM;
}

/* The segments were mapped as one range: from the first DMA segment's start to the last one's end. */
void iommu_dma_unmap_sg(struct machine *m, struct device *dev, struct scatterlist *sg, int nents)
{
	dma_addr_t start = sg[0].dma_address, end;
	int last = 0;

	for (int i = 1; i < nents && sg[i].dma_length; i++)
		last = i;
	end = sg[last].dma_address + sg[last].dma_length;
	struct dma_map_entry *e = dma_entry_find(dev, DMA_ENTRY_SG, start & ~(dma_addr_t)(PAGE_SIZE - 1));
	if (!e) {
		pr_err(m, "DMA-API: %s %s: device driver tries to free DMA memory it has not allocated "
		       "[device address=0x%016" PRIx64 "] [size=%" PRIu64 " bytes]\n", dev->name,
		       dev->bus_id, start, end - start);
		return;
	}
	/* The whole range, padding included: what the entry recorded. */
	__iommu_dma_unmap(m, dev, e->dev_addr, e->size);
	dma_entry_remove(m, dev, e);
}

kaddr_t iommu_dma_alloc(struct machine *m, struct device *dev, size_t size, dma_addr_t *handle,
			gfp_t gfp, struct dma_map_entry *e)
{
	struct iommu_domain *domain = dev->domain;
	size_t count = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	if (!count || count > (1UL << 20))
		return 0;
	struct page **pages = calloc(count, sizeof(*pages));
	if (!pages)
		return 0;
	/* __iommu_dma_alloc_pages(): any page will do, the IOMMU maps it wherever it is. */
	gfp |= __GFP_NOWARN | __GFP_HIGHMEM;
	gfp &= ~__GFP_COMP;
	size_t i;
	for (i = 0; i < count; i++) {
		pages[i] = alloc_pages(m, gfp & ~__GFP_ZERO, 0);
		if (!pages[i])
			goto out_free_pages;
	}
	size_t len = count << PAGE_SHIFT;
	dma_addr_t iova = iommu_dma_alloc_iova(domain, len, dev->coherent_dma_mask, dev);
	if (!iova)
		goto out_free_pages;
	for (size_t p = 0; p < count; p++) {
		memset(page_host_address(m, pages[p]), 0, PAGE_SIZE);
		if (iommu_map(m, domain, iova + (p << PAGE_SHIFT), PFN_PHYS(page_to_pfn(m, pages[p])),
			      PAGE_SIZE, IOMMU_READ | IOMMU_WRITE)) {
			iommu_unmap(m, domain, iova, p << PAGE_SHIFT);
			goto out_free_iova;
		}
	}
	kaddr_t vaddr = mmsim_vmap_caller(m, pages, (unsigned int)count, VM_DMA_COHERENT, __PAGE_KERNEL,
					  "iommu_dma_alloc");
	if (!vaddr) {
		iommu_unmap(m, domain, iova, len);
		goto out_free_iova;
	}
	e->pages = pages;
	e->nr_pages = (unsigned int)count;
	*handle = iova;
	return vaddr;

out_free_iova:
	iommu_dma_free_iova(domain, iova);
out_free_pages:
	while (i--)
		__free_pages(m, pages[i], 0);
	free(pages);
	return 0;
}

void iommu_dma_free(struct machine *m, struct device *dev, struct dma_map_entry *e)
{
	__iommu_dma_unmap(m, dev, e->dev_addr, e->size);
	vunmap(m, e->cpu_addr);
	for (unsigned int i = 0; i < e->nr_pages; i++)
		__free_pages(m, e->pages[i], 0);
}
