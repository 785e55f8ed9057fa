/* pool.c — the DMA atomic pools (kernel/dma/pool.c, CONFIG_DMA_COHERENT_POOL).
 *
 * dma_alloc_coherent() may be asked for memory where it cannot sleep, but
 * making memory decrypted or remapping it may sleep; so a kernel that can
 * need either (Debian's amd64, for AMD SEV) keeps pools of coherent memory
 * filled at boot, one per zone a device may need: GFP_KERNEL, GFP_DMA and
 * GFP_DMA32. Each is 128 KiB per GiB of RAM, at least 128 KiB and at most
 * one MAX_ORDER block, allocated as one block and handed to a gen_pool.
 * On a machine without SEV, dma_direct_alloc() never draws from them: they
 * are memory the boot sets aside (MemFree, buddyinfo), its lines in dmesg,
 * and each a gen_pool chunk in /proc/vmallocinfo. */
#include "kernel/dma/contiguous.h"
#include "kernel/dma/dma.h"
#include "lib/genalloc.h"
#include "mm/cma.h"
#include "mm.h"

#define SZ_128K		0x20000UL

/* cma_in_zone(): the default CMA area lies where @gfp's zone does (an area never crosses zones). */
static struct cma *cma_in_zone(struct machine *m, gfp_t gfp)
{
	struct cma *cma = dma_contiguous_default_area(m);

	if (!cma || !cma->count)
		return NULL;
	uint64_t end = PFN_PHYS(cma->base_pfn + cma->count) - 1;
	if (gfp & GFP_DMA)
		return end <= 0xffffffULL ? cma : NULL;		/* zone_dma_bits: 24 */
	if (gfp & GFP_DMA32)
		return end <= 0xffffffffULL ? cma : NULL;
	return cma;
}

/*
 * __dma_atomic_pool_init() -> atomic_pool_expand(): one block, from the
 * default CMA area when it is in the zone, else the buddy allocator,
 * smaller orders if it must.
 */
static int dma_atomic_pool_init_one(struct machine *m, uint64_t pool_size, gfp_t gfp)
{
	unsigned int order = 0;
	char name[96];

	while (order < MAX_ORDER - 1 && (PAGE_SIZE << order) < pool_size)
		order++;
	struct page *page = NULL;
	for (;;) {
		struct cma *cma = cma_in_zone(m, gfp);
		if (cma)
			page = cma_alloc(m, cma, 1UL << order, order, false);
		if (!page)
			page = alloc_pages(m, gfp, order);
		if (page || !order)
			break;
		order--;
	}
	if (!page)
		return -MMSIM_ENOMEM;
	/* PAGE_SHIFT pieces: a bit per page. */
	if (!gen_pool_add_owner(m, PAGE_SHIFT, (uint64_t)PAGE_SIZE << order))
		return -MMSIM_ENOMEM;	/* the kernel's pool init fails the same way: boot stops */
	/* gen_pool_size(): the block, pool_size rounded up to its order. */
	printk(m, KERN_INFO "DMA: preallocated %lu KiB %s pool for atomic allocations\n",
	       (PAGE_SIZE << order) >> 10, gfp_string(gfp, name, sizeof(name)));
	return 0;
}

int dma_atomic_pool_init(struct machine *m)
{
	if (!m->profile->dma_coherent_pool)
		return 0;
	uint64_t pages = m->totalram_pages / (SZ_1G / SZ_128K);
	if (pages > MAX_ORDER_NR_PAGES)
		pages = MAX_ORDER_NR_PAGES;
	uint64_t size = pages << PAGE_SHIFT > SZ_128K ? pages << PAGE_SHIFT : SZ_128K;
	int rc = dma_atomic_pool_init_one(m, size, GFP_KERNEL);
	/* has_managed_dma(): a DMA zone with pages in it. */
	if (!rc && m->node.node_zones[ZONE_DMA].managed_pages)
		rc = dma_atomic_pool_init_one(m, size, GFP_KERNEL | GFP_DMA);
	if (!rc)
		rc = dma_atomic_pool_init_one(m, size, GFP_KERNEL | GFP_DMA32);
	return rc;
}
