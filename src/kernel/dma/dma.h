/* dma.h (internal) — what kernel/dma/, mm/dmapool.c, drivers/base/dma_device.c
 * and drivers/iommu/ share: struct device's DMA half, the machine's DMA
 * state (the device registry, swiotlb's io_tlb_mem, the WARN_ONCE flags),
 * and the record of every live mapping (what CONFIG_DMA_API_DEBUG keeps as
 * dma_debug_entry), which the validators and `dma show` read.
 *
 * Ownership: direct.c is dma-direct (kernel/dma/direct.c and direct.h),
 * mapping.c the dispatch between dma-direct and dma-iommu (kernel/dma/
 * mapping.c), swiotlb.c the bounce buffers, coherent.c the per-device
 * pools, mm/dmapool.c dma_pool, drivers/iommu/ the IOMMU. */
#ifndef MMSIM_KERNEL_DMA_DMA_H
#define MMSIM_KERNEL_DMA_DMA_H

#include <stdio.h>

#include <mmsim/dma.h>

#include "machine.h"

#define zone_dma_bits		24	/* ZONE_DMA's 16 MiB on x86 */

/* kernel/dma/swiotlb.c: 2 KiB slabs, searched in segments of 128. */
#define IO_TLB_SHIFT		11
#define IO_TLB_SIZE		(1UL << IO_TLB_SHIFT)
#define IO_TLB_SEGSIZE		128
#define INVALID_PHYS_ADDR	(~(phys_addr_t)0)

/* How a live mapping reaches the device. */
enum dma_via {
	DMA_VIA_DIRECT,		/* bus address = physical address */
	DMA_VIA_SWIOTLB,	/* bounced through a swiotlb slot */
	DMA_VIA_IOMMU,		/* an IOVA in the device's domain */
	DMA_VIA_DEV_COHERENT,	/* the device's own coherent pool (coherent.c) */
};

enum dma_entry_type { DMA_ENTRY_SINGLE, DMA_ENTRY_PAGE, DMA_ENTRY_SG, DMA_ENTRY_COHERENT };

/*
 * One live mapping or coherent allocation (dma-debug's dma_debug_entry).
 * paddr is the CPU-side memory (for a bounced one, the original buffer;
 * for an IOMMU coherent buffer, 0: its pages are scattered, see pages).
 */
struct dma_map_entry {
	enum dma_entry_type type;
	enum dma_via via;
	enum dma_data_direction dir;
	dma_addr_t dev_addr;
	size_t size;
	phys_addr_t paddr;
	phys_addr_t tlb_addr;		/* DMA_VIA_SWIOTLB: the bounce buffer */
	kaddr_t cpu_addr;		/* DMA_ENTRY_COHERENT */
	struct page **pages;		/* DMA_VIA_IOMMU coherent: its pages, host array */
	unsigned int nr_pages;
};

/* The most live mappings one machine records (each is a few words of host memory). */
#define DMA_MAX_ENTRIES		(1u << 20)

struct iommu_domain;
struct dma_coherent_mem;

/*
 * struct device, the part of it the DMA API reads (include/linux/device.h).
 * dma_mask is the streaming mask (the kernel keeps a pointer to it, so a
 * device without one cannot set it: every device here has one).
 */
struct device {
	char name[32];			/* the driver's name for it: the dev_err prefix's first word */
	char bus_id[32];		/* dev_name(): the PCI address, "0000:01:00.0" */
	unsigned int source_id;		/* bus << 8 | devfn: the DMAR fault's "Request device" */
	uint64_t dma_mask;
	uint64_t coherent_dma_mask;
	uint64_t bus_dma_limit;		/* 0: no limit beyond the masks */
	unsigned int max_segment_size;	/* dma_parms: 64 KiB as pci_device_add() sets it */
	uint64_t segment_boundary_mask;	/* dma_parms: 0xffffffff for PCI */
	struct iommu_domain *domain;	/* NULL: dma-direct */
	struct dma_coherent_mem *dma_mem;	/* NULL: no per-device pool */
	unsigned int nr_pools;		/* dma_pools created on it */
	struct dma_map_entry *entries;	/* live mappings, unordered */
	unsigned int nr_entries, cap_entries;
	/* What it cost: counted since registration. */
	unsigned long nr_maps, nr_map_errors;
	unsigned long bytes_bounced;	/* through swiotlb, both directions */
	unsigned long coherent_pages;	/* live coherent allocations, in pages */
};

/* kernel/dma/swiotlb.c: one slot (io_tlb_slot) and one area (io_tlb_area). */
struct io_tlb_slot {
	phys_addr_t orig_addr;		/* INVALID_PHYS_ADDR when free */
	size_t alloc_size;		/* bytes of the mapping from this slot on */
	unsigned int list;		/* free slots from here to the segment's end; 0: in use */
};

struct io_tlb_area {
	unsigned long used;		/* slots in use */
	unsigned int index;		/* where the next search starts */
};

/* io_tlb_mem: the default bounce-buffer pool (io_tlb_default_mem). */
struct io_tlb_mem {
	phys_addr_t start, end;
	unsigned long nslabs;
	unsigned int nareas;
	unsigned long area_nslabs;	/* nslabs / nareas */
	struct io_tlb_area *areas;
	struct io_tlb_slot *slots;
	/* mmsim's cost counters (6.1's debugfs has only nslabs and used). */
	unsigned long used_hiwater;
	unsigned long bytes_to_device, bytes_from_device;
	unsigned long nr_mapped;	/* swiotlb_tbl_map_single calls that found slots */
	unsigned long nr_full;		/* ... that found none */
};

/* The WARN_ONCE / dev_warn_once sites, a bit each (the kernel's are statics). */
enum dma_warn_once {
	WARN_DIRECT_OVERFLOW, WARN_SWIOTLB_OVERFLOW, WARN_VMALLOC_MAP, WARN_NO_COHERENT_MASK,
	WARN_BOUNCE_OVERFLOW, WARN_IOMMU_MAP, WARN_MEMREMAP_RAM,
};

struct iommu_state;

/* Everything DMA on one machine: m->dma, made on first use. */
struct dma_state {
	struct device *devices[MMSIM_MAX_DMA_DEVICES];	/* registration order; NULL holes */
	unsigned int next_slot;		/* PCI slot for the next device */
	unsigned long nr_entries;	/* live mapping records, all devices */
	struct io_tlb_mem *io_tlb;	/* NULL: no swiotlb (i386, or RAM below 4 GiB) */
	unsigned int warned;		/* enum dma_warn_once bits */
	struct ratelimit_state swiotlb_rs;	/* dev_warn_ratelimited() of a full swiotlb */
	struct iommu_state *iommu;	/* NULL until a device is attached */
	struct dma_pool *pools;		/* mm/dmapool.c: every pool, newest first */
};

/* The machine's DMA state, made on first use; NULL if out of host memory. */
struct dma_state *dma_state(struct machine *m);
void dma_release(struct machine *m);

/* min_not_zero(mask, bus_dma_limit): the highest bus address the device drives. */
static inline uint64_t dma_reach(uint64_t mask, uint64_t bus_limit)
{
	if (!mask)
		return bus_limit;
	if (!bus_limit)
		return mask;
	return mask < bus_limit ? mask : bus_limit;
}

/* The first WARN_ONCE at @site: true once per machine. */
bool dma_warn_once(struct machine *m, enum dma_warn_once site);
/*
 * dev_WARN_ONCE(dev, 1, fmt...): the WARN, its message prefixed with the
 * device as dev_printk does ("NAME 0000:01:00.0: "), once per site.
 */
void dev_warn_once_at(struct machine *m, struct device *dev, enum dma_warn_once site,
		      const char *file, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* dev_err / dev_warn / dev_info: printk with the device's prefix (level is KERN_*). */
void dev_printk(struct machine *m, const char *level, const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The live-mapping records (mapping.c). NULL if the table is full or out of host memory. */
struct dma_map_entry *dma_entry_add(struct machine *m, struct device *dev);
struct dma_map_entry *dma_entry_find(struct device *dev, enum dma_entry_type type, dma_addr_t addr);
void dma_entry_remove(struct machine *m, struct device *dev, struct dma_map_entry *e);

/* kernel/dma/direct.c */
bool dma_capable(struct device *dev, dma_addr_t addr, size_t size);
int dma_direct_supported(struct machine *m, struct device *dev, uint64_t mask);
kaddr_t dma_direct_alloc(struct machine *m, struct device *dev, size_t size, dma_addr_t *handle,
			 gfp_t gfp);
void dma_direct_free(struct machine *m, struct device *dev, size_t size, kaddr_t cpu_addr,
		     dma_addr_t handle);
/* Map [phys, phys+size): the bus address, a bounce buffer's, or DMA_MAPPING_ERROR. */
dma_addr_t dma_direct_map_phys(struct machine *m, struct device *dev, phys_addr_t phys, size_t size,
			       enum dma_data_direction dir, struct dma_map_entry *e);
void dma_direct_unmap(struct machine *m, struct device *dev, struct dma_map_entry *e, bool sync);
void dma_direct_sync(struct machine *m, struct device *dev, struct dma_map_entry *e, size_t off,
		     size_t size, bool for_cpu);

/* kernel/dma/swiotlb.c */
/* swiotlb_adjust_nareas(): the CPUs, rounded up to a power of two. */
static inline unsigned int swiotlb_nareas(unsigned int nr_cpus)
{
	unsigned int n = 1;

	while (n < nr_cpus)
		n <<= 1;
	return n;
}
void swiotlb_init_state(struct machine *m, struct dma_state *ds);
bool is_swiotlb_active(struct machine *m);
phys_addr_t swiotlb_tbl_map_single(struct machine *m, struct device *dev, phys_addr_t orig_addr,
				   size_t mapping_size, size_t alloc_size, enum dma_data_direction dir);
void swiotlb_tbl_unmap_single(struct machine *m, struct device *dev, phys_addr_t tlb_addr,
			      size_t mapping_size, enum dma_data_direction dir, bool skip_sync);
void swiotlb_sync_single_for_device(struct machine *m, struct device *dev, phys_addr_t tlb_addr,
				    size_t size, enum dma_data_direction dir);
void swiotlb_sync_single_for_cpu(struct machine *m, struct device *dev, phys_addr_t tlb_addr,
				 size_t size, enum dma_data_direction dir);
unsigned long swiotlb_mem_used(const struct io_tlb_mem *mem);
unsigned long swiotlb_verify(struct machine *m, FILE *out);

/* kernel/dma/coherent.c */
bool dma_alloc_from_dev_coherent(struct machine *m, struct device *dev, size_t size,
				 dma_addr_t *handle, kaddr_t *ret);
bool dma_release_from_dev_coherent(struct machine *m, struct device *dev, unsigned int order,
				   kaddr_t vaddr);
void dma_coherent_show(struct machine *m, struct device *dev, FILE *out);
unsigned long dma_coherent_verify(struct machine *m, struct device *dev, FILE *out);
void dma_coherent_release(struct machine *m, struct dma_coherent_mem *mem);

/* mm/dmapool.c */
unsigned long dma_pool_verify(struct machine *m, FILE *out);
void dma_pools_show(struct machine *m, struct device *dev, FILE *out);
void dma_pools_release(struct machine *m);

/* drivers/iommu/dma-iommu.c: the dma_map_ops of a device behind the IOMMU. */
kaddr_t iommu_dma_alloc(struct machine *m, struct device *dev, size_t size, dma_addr_t *handle,
			gfp_t gfp, struct dma_map_entry *e);
void iommu_dma_free(struct machine *m, struct device *dev, struct dma_map_entry *e);
dma_addr_t iommu_dma_map_phys(struct machine *m, struct device *dev, phys_addr_t phys, size_t size,
			      enum dma_data_direction dir, struct dma_map_entry *e);
void iommu_dma_unmap(struct machine *m, struct device *dev, dma_addr_t addr, size_t size);
int iommu_dma_map_sg(struct machine *m, struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir);
void iommu_dma_unmap_sg(struct machine *m, struct device *dev, struct scatterlist *sg, int nents);
/* The device's access at @iova through its domain: the physical address, or a DMAR fault (false). */
bool iommu_translate(struct machine *m, struct device *dev, dma_addr_t iova, bool write,
		     phys_addr_t *phys);
void iommu_domain_show(struct machine *m, struct device *dev, FILE *out);
unsigned long iommu_verify(struct machine *m, FILE *out);
void iommu_release(struct machine *m);

/* The validators' test: is the frame free in the buddy allocator? */
bool dma_pfn_free(struct machine *m, unsigned long pfn);
/* The validators of everything above, for verify (kernel/verify.c). */
unsigned long dma_verify(struct machine *m, FILE *out);
/* `dma show`: the devices, their mappings and what they cost. */
void dma_devices_show(struct machine *m, FILE *out);
/* /sys/kernel/debug/swiotlb/ */
bool swiotlb_debugfs_present(const struct machine *m);
void swiotlb_nslabs_show(struct machine *m, FILE *out);
void swiotlb_used_show(struct machine *m, FILE *out);

/* dma_atomic_pool_init() (postcore_initcall, kernel/dma/pool.c): the atomic pools. 0 or -ENOMEM. */
int dma_atomic_pool_init(struct machine *m);

#endif /* MMSIM_KERNEL_DMA_DMA_H */
