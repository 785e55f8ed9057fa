/* contiguous.h (kernel/dma) — the DMA API's contiguous memory: the default
 * CMA area that cma= sizes, and the allocation calls dma_direct_alloc()
 * makes into it (include/linux/dma-map-ops.h's dma_alloc_contiguous
 * family, kernel/dma/contiguous.c). CONFIG_DMA_CMA only; without it every
 * call here finds no area and returns NULL, as the kernel's stubs do. */
#ifndef MMSIM_KERNEL_DMA_CONTIGUOUS_H
#define MMSIM_KERNEL_DMA_CONTIGUOUS_H

#include <stddef.h>

#include "machine.h"

struct cma;
struct device;

/* CONFIG_CMA_ALIGNMENT: the largest alignment (an order) an allocation asks for. */
#define CMA_ALIGNMENT	8

/*
 * early_param("cma", early_cma): "SIZE[@BASE[-LIMIT]]". Returns 0, or
 * -EINVAL (the caller prints "Malformed early option").
 */
int early_cma(struct machine *m, const char *value, bool has_value);

/*
 * dma_contiguous_reserve(): reserve the default area, of cma='s size
 * (CONFIG_CMA_SIZE_MBYTES is 0 on x86: none without cma=), below @limit.
 * setup_arch() calls it after initmem_init(), with max_pfn_mapped's end.
 */
void dma_contiguous_reserve(struct machine *m, phys_addr_t limit);

/* dma_contiguous_default_area: the area cma= made, or NULL. */
struct cma *dma_contiguous_default_area(const struct machine *m);

/*
 * dma_alloc_contiguous(): @size bytes of contiguous memory for @dev, from
 * the device's own CMA area or the default one — NULL when the request
 * may not sleep, when it is one page or less and the device has no area
 * of its own (single pages come from the buddy allocator), or when the
 * area cannot serve it. The pages come back order-0, each referenced.
 * @dev may be NULL (a device with no area of its own).
 */
struct page *dma_alloc_contiguous(struct machine *m, struct device *dev, size_t size, gfp_t gfp);

/*
 * dma_free_contiguous(): give back what dma_alloc_contiguous() (or, for
 * pages not in any area, alloc_pages of get_order(@size)) returned.
 */
void dma_free_contiguous(struct machine *m, struct device *dev, struct page *page, size_t size);

#endif /* MMSIM_KERNEL_DMA_CONTIGUOUS_H */
