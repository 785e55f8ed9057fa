/* dma.h — devices that do DMA, and the kernel's DMA API (include/linux/
 * dma-mapping.h, dmapool.h), with the machine as first argument.
 *
 * A device has a name, a streaming DMA mask and a coherent one, an
 * optional bus limit, an optional IOMMU domain and an optional per-device
 * coherent pool. Without an IOMMU a DMA address is the physical address
 * (dma-direct, x86's identity phys_to_dma); memory beyond the device's
 * mask is bounced through swiotlb where the boot set one up. Behind the
 * IOMMU every address the device uses is an IOVA in its own domain.
 *
 * dma_device_read/write are the device's side: what the hardware reads or
 * writes at a bus address, through the IOMMU when it has one. Failures are
 * the kernel's: NULL, DMA_MAPPING_ERROR, a negative errno (<mmsim/errno.h>),
 * with its dmesg lines. */
#ifndef MMSIM_DMA_H
#define MMSIM_DMA_H

#include <mmsim/gfp.h>
#include <mmsim/types.h>

MMSIM_BEGIN_DECLS

struct machine;
struct page;
struct device;
struct dma_pool;

typedef uint64_t dma_addr_t;

#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)
#define DMA_BIT_MASK(n)		((n) >= 64 ? ~0ULL : ((1ULL << (n)) - 1))

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

/* One element of a scatter-gather list: CPU side (page, offset, length), device side after mapping. */
struct scatterlist {
	struct page *page;
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;		/* set by dma_map_sg */
	unsigned int dma_length;
};

/* The most devices a machine registers at once. */
#define MMSIM_MAX_DMA_DEVICES	64

/*
 * Register a device called @name (1-31 printable characters, unique) with
 * the kernel's default masks (32 bits, as a PCI device starts). NULL if the
 * name is bad or taken, or the registry is full.
 */
MMSIM_API struct device *mmsim_device_register(struct machine *m, const char *name);
/* Unregister: -EBUSY while it has live mappings or allocations, pools, or an IOMMU domain. */
MMSIM_API int mmsim_device_unregister(struct machine *m, struct device *dev);
MMSIM_API struct device *mmsim_device_find(struct machine *m, const char *name);
MMSIM_API const char *dev_name(const struct device *dev);

/* dma_set_mask / dma_set_coherent_mask: 0, or -EIO when dma_supported() says no. */
MMSIM_API int dma_set_mask(struct machine *m, struct device *dev, uint64_t mask);
MMSIM_API int dma_set_coherent_mask(struct machine *m, struct device *dev, uint64_t mask);
MMSIM_API int dma_set_mask_and_coherent(struct machine *m, struct device *dev, uint64_t mask);
MMSIM_API int dma_supported(struct machine *m, struct device *dev, uint64_t mask);
/* The bus's own limit (bus_dma_limit; 0: none). */
MMSIM_API void mmsim_device_set_bus_limit(struct device *dev, uint64_t limit);

/* Put the device behind the IOMMU (a DMA domain of its own): 0 or -ENOMEM / -EBUSY. */
MMSIM_API int iommu_attach_device(struct machine *m, struct device *dev);

MMSIM_API kaddr_t dma_alloc_coherent(struct machine *m, struct device *dev, size_t size,
				     dma_addr_t *handle, gfp_t gfp);
MMSIM_API void dma_free_coherent(struct machine *m, struct device *dev, size_t size, kaddr_t cpu_addr,
				 dma_addr_t handle);

MMSIM_API dma_addr_t dma_map_page(struct machine *m, struct device *dev, struct page *page,
				  size_t offset, size_t size, enum dma_data_direction dir);
MMSIM_API void dma_unmap_page(struct machine *m, struct device *dev, dma_addr_t addr, size_t size,
			      enum dma_data_direction dir);
/* A direct-map (lowmem) address: kmalloc memory. */
MMSIM_API dma_addr_t dma_map_single(struct machine *m, struct device *dev, kaddr_t ptr, size_t size,
				    enum dma_data_direction dir);
MMSIM_API void dma_unmap_single(struct machine *m, struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir);
/* The number of DMA segments (<= nents), or 0 on failure. */
MMSIM_API int dma_map_sg(struct machine *m, struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir);
MMSIM_API void dma_unmap_sg(struct machine *m, struct device *dev, struct scatterlist *sg, int nents,
			    enum dma_data_direction dir);
MMSIM_API void dma_sync_single_for_cpu(struct machine *m, struct device *dev, dma_addr_t addr,
				       size_t size, enum dma_data_direction dir);
MMSIM_API void dma_sync_single_for_device(struct machine *m, struct device *dev, dma_addr_t addr,
					  size_t size, enum dma_data_direction dir);
static inline int dma_mapping_error(dma_addr_t addr)
{
	return addr == DMA_MAPPING_ERROR ? -5 /* -EIO */ : 0;
}

/* mm/dmapool.c: small coherent blocks. NULL for a bad size, align or boundary. */
MMSIM_API struct dma_pool *dma_pool_create(struct machine *m, const char *name, struct device *dev,
					   size_t size, size_t align, size_t boundary);
MMSIM_API kaddr_t dma_pool_alloc(struct machine *m, struct dma_pool *pool, gfp_t gfp,
				 dma_addr_t *handle);
MMSIM_API void dma_pool_free(struct machine *m, struct dma_pool *pool, kaddr_t vaddr, dma_addr_t dma);
MMSIM_API void dma_pool_destroy(struct machine *m, struct dma_pool *pool);

/*
 * kernel/dma/coherent.c: give @dev the memory [phys, phys+size) (reserved,
 * e.g. with memmap=nn$ss) as its coherent pool, at bus address @device_addr.
 * 0, -EINVAL (not reserved memory, no size) or -EBUSY (it has one).
 */
MMSIM_API int dma_declare_coherent_memory(struct machine *m, struct device *dev, phys_addr_t phys,
					  dma_addr_t device_addr, size_t size);

/*
 * The device's side: read or write @len bytes at bus address @addr. 0, or
 * -EFAULT: beyond what the device's address lines reach (its mask), not
 * RAM, or an IOMMU fault (logged as the DMAR fault it is).
 */
MMSIM_API int dma_device_read(struct machine *m, struct device *dev, dma_addr_t addr, void *buf,
			      size_t len);
MMSIM_API int dma_device_write(struct machine *m, struct device *dev, dma_addr_t addr,
			       const void *buf, size_t len);

MMSIM_END_DECLS

#endif /* MMSIM_DMA_H */
