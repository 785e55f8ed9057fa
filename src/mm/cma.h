/* cma.h (mm) — the contiguous memory allocator's areas (mm/cma.h and
 * include/linux/cma.h of the kernel), and the state kernel/dma/contiguous.c
 * keeps beside them.
 *
 * A CMA area is a range of RAM reserved at boot, whole pageblocks of it,
 * that the buddy allocator lends to movable allocations (its pageblocks are
 * MIGRATE_CMA) until a driver claims a piece with cma_alloc(): then the
 * pieces in use are migrated out, and the range is taken whole. The area's
 * bitmap says which parts cma_alloc() has handed out, one bit per
 * 2^order_per_bit pages.
 *
 * All of it exists only when the machine's kernel is built with CONFIG_CMA
 * (m->config.cma; m->cma is NULL otherwise), as Debian's 6.1 kernels are
 * not. */
#ifndef MMSIM_MM_CMA_H
#define MMSIM_MM_CMA_H

#include <stdio.h>

#include "machine.h"

/* MAX_CMA_AREAS = 1 + CONFIG_CMA_AREAS (Kconfig: 19 with NUMA, as on x86_64; 7 otherwise). */
#define MAX_CMA_AREAS_32	(1 + 7)
#define MAX_CMA_AREAS_64	(1 + 19)
#define CMA_MAX_NAME		64

struct cma {
	unsigned long base_pfn;
	unsigned long count;		/* pages; 0 once the area failed to activate */
	unsigned int order_per_bit;	/* one bitmap bit = 2^order_per_bit pages */
	/*
	 * The bitmap lives in simulated RAM, in the kmalloc object
	 * cma_activate_area() allocated (bitmap_kobj): bit i is bit i % 8 of
	 * byte i / 8, which is how a little-endian kernel's unsigned long
	 * bitmap lies in memory on both architectures.
	 */
	unsigned char *bitmap;
	kaddr_t bitmap_kobj;
	bool reserve_pages_on_error;
	char name[CMA_MAX_NAME];
};

struct cma_state {
	struct cma areas[MAX_CMA_AREAS_64];
	unsigned int area_count;
	unsigned int max_areas;		/* MAX_CMA_AREAS of this build */
	unsigned long totalcma_pages;	/* sum of the areas' count */
	struct ratelimit_state alloc_fail_rs;	/* cma_alloc()'s pr_err_ratelimited */

	/* kernel/dma/contiguous.c: the cma= parameter and the area it made. */
	uint64_t size_cmdline;		/* (uint64_t)-1: no cma= given */
	uint64_t base_cmdline, limit_cmdline;
	struct cma *dma_contiguous_default_area;
};

/* Boot: the state of a CONFIG_CMA kernel (nothing otherwise). 0 or -ENOMEM. */
int cma_state_init(struct machine *m);
void cma_state_release(struct machine *m);

static inline unsigned long totalcma_pages(const struct machine *m)
{
	return m->cma ? m->cma->totalcma_pages : 0;
}

static inline unsigned long cma_bitmap_maxno(const struct cma *cma)
{
	return cma->count >> cma->order_per_bit;
}

/*
 * cma_declare_contiguous_nid(): reserve @size bytes in memblock for a new
 * area — at @base exactly when @fixed, else anywhere in [@base, @limit)
 * (0: up to the end of RAM), aligned to @alignment and at least to
 * CMA_MIN_ALIGNMENT_BYTES. Prints "cma: Reserved N MiB at ..." or the
 * kernel's failure lines. 0 or -errno.
 */
int cma_declare_contiguous_nid(struct machine *m, phys_addr_t base, phys_addr_t size,
			       phys_addr_t limit, phys_addr_t alignment, unsigned int order_per_bit,
			       bool fixed, const char *name, struct cma **res_cma);

/* core_initcall cma_init_reserved_areas(): every area's pageblocks become MIGRATE_CMA and free. */
void cma_init_reserved_areas(struct machine *m);

/*
 * cma_alloc(): @count pages, contiguous, from @cma, the first aligned to
 * 2^@align pages. NULL when the area has no such range it can empty
 * (then "cma: cma_alloc: NAME: alloc failed, ..." unless @no_warn).
 * The pages come back as @count order-0 pages, each with a reference.
 */
struct page *cma_alloc(struct machine *m, struct cma *cma, unsigned long count,
		       unsigned int align, bool no_warn);
/* Pages cma_alloc() handed out back to @cma; false if they are not the area's. */
bool cma_pages_valid(struct machine *m, struct cma *cma, const struct page *pages,
		     unsigned long count);
bool cma_release(struct machine *m, struct cma *cma, const struct page *pages, unsigned long count);

/* The area named @name, or NULL. */
struct cma *cma_find(struct machine *m, const char *name);

/* mm/cma_debug.c: /sys/kernel/debug/cma/<name>/<file>. 0, or -ENOENT. */
int cma_debugfs_show(struct machine *m, const char *area, const char *file, FILE *out);

/*
 * Validator: CMA accounting against the pageblocks (zone->cma_pages,
 * totalcma_pages, NR_FREE_CMA_PAGES), free lists, the migratetype of
 * allocated pages in CMA pageblocks, and each area's bitmap against what
 * is allocated. One line per problem; returns how many.
 */
unsigned long cma_verify(struct machine *m, FILE *out);

#endif /* MMSIM_MM_CMA_H */
