/* iommu.h (internal) — the simulated IOMMU: IOVA domains (iova.c), the
 * VT-d-style I/O page tables and IOTLB with their faults (intel/iommu.c),
 * and the DMA ops on top (dma-iommu.c).
 *
 * One domain per attached device (a DMA domain, IOMMU_DOMAIN_DMA, as the
 * kernel gives each device in its own group). A domain's page tables live
 * in simulated RAM, in pages from the buddy allocator: 4 levels of 512
 * 8-byte entries (VT-d second-level, 48-bit address width), entry bit 0
 * read, bit 1 write, bits 12-51 the next table or the page. Unmapping is
 * strict (iommu.strict=1): the IOTLB is invalidated before the IOVA is
 * freed, so a device can never reach a page through a stale translation.
 */
#ifndef MMSIM_DRIVERS_IOMMU_IOMMU_H
#define MMSIM_DRIVERS_IOMMU_IOMMU_H

#include <stdio.h>

#include "kernel/dma/dma.h"
#include "lib/rbtree.h"

#define IOMMU_READ		(1 << 0)
#define IOMMU_WRITE		(1 << 1)

#define DMA_PTE_READ		(1ULL << 0)
#define DMA_PTE_WRITE		(1ULL << 1)
#define VTD_PAGE_MASK		0x000ffffffffff000ULL
#define VTD_LEVELS		4
#define VTD_AGAW_BITS		48	/* what 4 levels translate: the domain's aperture */

/* The per-domain IOTLB: this many translations, least recently used one evicted. */
#define IOTLB_ENTRIES		64

/* drivers/iommu/iova.c */
struct iova {
	struct rb_node node;
	unsigned long pfn_hi, pfn_lo;	/* inclusive */
	bool reserved;			/* reserve_iova(): never mapped, never freed */
};

#define IOVA_ANCHOR		(~0UL)

struct iova_domain {
	struct rb_root rbroot;
	struct rb_node *cached_node;	/* where the last allocation went (any limit) */
	struct rb_node *cached32_node;	/* ... below dma_32bit_pfn */
	unsigned long start_pfn;	/* lowest pfn handed out */
	unsigned long dma_32bit_pfn;
	unsigned long max32_alloc_size;	/* the smallest size known not to fit below 4 GiB */
	struct iova anchor;		/* pfn IOVA_ANCHOR: every walk ends here */
	unsigned long nr_iovas;		/* live nodes besides the anchor */
};

void init_iova_domain(struct iova_domain *iovad, unsigned long start_pfn);
void put_iova_domain(struct iova_domain *iovad);
/* alloc_iova(): @size pfns at or below @limit_pfn, the highest that fit; NULL when none does. */
struct iova *alloc_iova(struct iova_domain *iovad, unsigned long size, unsigned long limit_pfn,
			bool size_aligned);
struct iova *find_iova(struct iova_domain *iovad, unsigned long pfn);
void __free_iova(struct iova_domain *iovad, struct iova *iova);
struct iova *reserve_iova(struct iova_domain *iovad, unsigned long pfn_lo, unsigned long pfn_hi);
/* The validator's half: tree shape, order, no overlaps; the count of nodes. */
unsigned long iova_verify(struct iova_domain *iovad, const char *who, FILE *out);

struct iotlb_entry {
	unsigned long iova_pfn;
	unsigned long pfn;
	unsigned int perm;		/* IOMMU_READ | IOMMU_WRITE */
	uint64_t last_use;		/* 0: empty */
};

struct iommu_domain {
	struct device *dev;
	struct iova_domain iovad;
	phys_addr_t pgd;		/* the top-level table's physical address */
	unsigned long pgtable_pages;	/* table pages, the top one included */
	struct iotlb_entry iotlb[IOTLB_ENTRIES];
	uint64_t iotlb_clock;
	/* Costs, counted since attach. */
	unsigned long iotlb_hits, iotlb_misses, iotlb_invalidations;
	unsigned long pages_mapped, pages_unmapped;
	unsigned long faults;
};

/* The IOMMU unit: the fault log's rate limit, how many domains exist. */
struct iommu_state {
	unsigned int nr_domains;
	struct ratelimit_state fault_rs;
	unsigned long faults;
};

/* drivers/iommu/intel/iommu.c */
struct iommu_domain *iommu_domain_alloc(struct machine *m, struct device *dev);
void iommu_domain_free(struct machine *m, struct iommu_domain *domain);
/* Map [iova, iova+size) to [phys, ...) page by page: 0 or -ENOMEM (nothing stays mapped). */
int iommu_map(struct machine *m, struct iommu_domain *domain, uint64_t iova, phys_addr_t phys,
	      size_t size, unsigned int prot);
/* Clear the range and invalidate its IOTLB entries (strict mode); tables it covers are freed. */
void iommu_unmap(struct machine *m, struct iommu_domain *domain, uint64_t iova, size_t size);
/* A walk of the tables: the leaf entry for @iova, 0 if there is none (no IOTLB involved). */
uint64_t iommu_walk(struct machine *m, struct iommu_domain *domain, uint64_t iova);

#endif /* MMSIM_DRIVERS_IOMMU_IOMMU_H */
