/* dmapool.c — pools of small coherent DMA blocks (mm/dmapool.c, as 6.1 has
 * it before 6.3's rewrite): a driver that needs many 32-byte descriptors
 * does not spend a page of dma_alloc_coherent() on each.
 *
 * A pool hands out blocks of one size from "pages" of `allocation` bytes
 * (at least a page) it gets from dma_alloc_coherent() for its device. The
 * free blocks of a page form a list threaded through the blocks
 * themselves: the first int of a free block is the offset of the next one
 * (pool_initialise_page), page->offset the first free one, and a block
 * never crosses a `boundary` (the list skips the tail before each
 * boundary). An allocation takes the first page with a free block, or a
 * new page; freeing pushes the block back on its page's list. Pages go
 * back only when the pool is destroyed, with the kernel's complaint for
 * each page that still has blocks in use (that memory leaks, as it does
 * in the kernel).
 *
 * The rules of dma_pool_create(): align 0 means 1 and must be a power of
 * two; size 0 fails, below 4 becomes 4, and is rounded up to align; the
 * boundary, if given, is a power of two no smaller than the size.
 * dma_pool_free() checks what CONFIG_SLUB_DEBUG_ON's DMAPOOL_DEBUG checks
 * (a block of no page, a double free), always: a corrupt free list would
 * otherwise hand one block to two users. The pool and page descriptors are
 * host memory (the kernel kmallocs them). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/dma/dma.h"
#include "mm/highmem.h"
#include "mm.h"

struct dma_page {
	struct dma_page *next;
	kaddr_t vaddr;
	dma_addr_t dma;
	unsigned int in_use;		/* blocks handed out */
	unsigned int offset;		/* the first free block; >= allocation: none */
};

struct dma_pool {
	struct dma_pool *next;		/* all pools of the machine */
	struct dma_page *pages;		/* newest first (list_add) */
	size_t size;			/* of a block, after the rules */
	struct device *dev;
	size_t allocation;		/* bytes of one page */
	size_t boundary;
	char name[32];
};

/* The machine's pools, for verify and release: kept beside its DMA state. */
static struct dma_pool **pool_list(struct machine *m)
{
	struct dma_state *ds = dma_state(m);

	return ds ? &ds->pools : NULL;
}

/* The int at @addr in a block (the free list's link), byte by byte: it may straddle pages. */
static unsigned int block_word(struct machine *m, kaddr_t addr)
{
	unsigned int v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned char *p = kmap_host(m, addr + i);
		v |= (unsigned int)(p ? *p : 0) << (8 * i);
	}
	return v;
}

static void set_block_word(struct machine *m, kaddr_t addr, unsigned int v)
{
	for (int i = 0; i < 4; i++) {
		unsigned char *p = kmap_host(m, addr + i);
		if (p)
			*p = (unsigned char)(v >> (8 * i));
	}
}

static void fill(struct machine *m, kaddr_t addr, int byte, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char *p = kmap_host(m, addr + i);
		size_t chunk = PAGE_SIZE - ((addr + i) & (PAGE_SIZE - 1));
		if (chunk > len - i)
			chunk = len - i;
		if (p)
			memset(p, byte, chunk);
		i += chunk;
	}
}

static bool is_power_of_2(size_t n)
{
	return n && !(n & (n - 1));
}

struct dma_pool *dma_pool_create(struct machine *m, const char *name, struct device *dev,
				 size_t size, size_t align, size_t boundary)
{
	struct dma_pool **list = pool_list(m);

	if (!list || !dev)
		return NULL;
	if (align == 0)
		align = 1;
	else if (!is_power_of_2(align))
		return NULL;
	if (size == 0)
		return NULL;
	else if (size < 4)
		size = 4;
	if (size > (1u << 30))
		return NULL;	/* the kernel would fail its dma_alloc_coherent() later */
	size = (size + align - 1) & ~(align - 1);
	size_t allocation = size > PAGE_SIZE ? size : PAGE_SIZE;
	if (!boundary)
		boundary = allocation;
	else if (boundary < size || !is_power_of_2(boundary))
		return NULL;
	struct dma_pool *pool = calloc(1, sizeof(*pool));
	if (!pool)
		return NULL;
	snprintf(pool->name, sizeof(pool->name), "%s", name ? name : "");
	pool->dev = dev;
	pool->size = size;
	pool->allocation = allocation;
	pool->boundary = boundary;
	pool->next = *list;
	*list = pool;
	dev->nr_pools++;
	return pool;
}

/* pool_initialise_page(): thread the free list, jumping each boundary a block would cross. */
static void pool_initialise_page(struct machine *m, struct dma_pool *pool, struct dma_page *page)
{
	size_t offset = 0, next_boundary = pool->boundary;

	do {
		size_t next = offset + pool->size;
		if (next + pool->size >= next_boundary) {
			next = next_boundary;
			next_boundary += pool->boundary;
		}
		set_block_word(m, page->vaddr + offset, (unsigned int)next);
		offset = next;
	} while (offset < pool->allocation);
}

kaddr_t dma_pool_alloc(struct machine *m, struct dma_pool *pool, gfp_t gfp, dma_addr_t *handle)
{
	struct dma_page *page;

	for (page = pool->pages; page; page = page->next)
		if (page->offset < pool->allocation)
			goto ready;
	page = calloc(1, sizeof(*page));
	if (!page)
		return 0;
	page->vaddr = dma_alloc_coherent(m, pool->dev, pool->allocation, &page->dma, gfp & ~__GFP_ZERO);
	if (!page->vaddr) {
		free(page);
		return 0;
	}
	pool_initialise_page(m, pool, page);
	page->next = pool->pages;
	pool->pages = page;
ready:
	page->in_use++;
	size_t offset = page->offset;
	page->offset = block_word(m, page->vaddr + offset);
	*handle = page->dma + offset;
	if (gfp & __GFP_ZERO)
		fill(m, page->vaddr + offset, 0, pool->size);
	return page->vaddr + offset;
}

static struct dma_page *pool_find_page(struct dma_pool *pool, dma_addr_t dma)
{
	for (struct dma_page *page = pool->pages; page; page = page->next)
		if (dma >= page->dma && dma < page->dma + pool->allocation)
			return page;
	return NULL;
}

/* The kernel's dev_err() when the pool has a device, pr_err() otherwise. */
#define pool_err(m, pool, fmt, ...)							\
	do {										\
		if ((pool)->dev)							\
			dev_printk(m, KERN_ERR, (pool)->dev, fmt, ##__VA_ARGS__);	\
		else									\
			pr_err(m, fmt, ##__VA_ARGS__);					\
	} while (0)

void dma_pool_free(struct machine *m, struct dma_pool *pool, kaddr_t vaddr, dma_addr_t dma)
{
	struct dma_page *page = pool_find_page(pool, dma);
	int w = kptr_width(m);

	if (!page) {
		pool_err(m, pool, "dma_pool_free %s, %0*" PRIx64 "/0x%0*" PRIx64 " (bad dma)\n",
			 pool->name, w, vaddr, w, dma);
		return;
	}
	size_t offset = vaddr - page->vaddr;
	if (vaddr < page->vaddr || offset >= pool->allocation || page->dma + offset != dma) {
		pool_err(m, pool, "dma_pool_free %s, %0*" PRIx64 " (bad vaddr)/0x%0*" PRIx64 "\n",
			 pool->name, w, vaddr, w, dma);
		return;
	}
	/* DMAPOOL_DEBUG's walk of the page's free list: is the block on it already? */
	for (size_t chain = page->offset, steps = 0; chain < pool->allocation && steps <= pool->allocation;
	     chain = block_word(m, page->vaddr + chain), steps++) {
		if (chain == offset) {
			pool_err(m, pool, "dma_pool_free %s, dma 0x%0*" PRIx64 " already free\n",
				 pool->name, w, dma);
			return;
		}
	}
	page->in_use--;
	set_block_word(m, vaddr, (unsigned int)page->offset);
	page->offset = (unsigned int)offset;
}

void dma_pool_destroy(struct machine *m, struct dma_pool *pool)
{
	struct dma_pool **list = pool_list(m);

	if (!pool || !list)
		return;
	for (struct dma_pool **pp = list; *pp; pp = &(*pp)->next)
		if (*pp == pool) {
			*pp = pool->next;
			break;
		}
	pool->dev->nr_pools--;
	while (pool->pages) {
		struct dma_page *page = pool->pages;
		pool->pages = page->next;
		if (page->in_use) {
			pool_err(m, pool, "dma_pool_destroy %s, %0*" PRIx64 " busy\n", pool->name,
				 kptr_width(m), page->vaddr);
			/* Leak the still-in-use coherent memory: the device may be using it. */
		} else {
			dma_free_coherent(m, pool->dev, pool->allocation, page->vaddr, page->dma);
		}
		free(page);
	}
	free(pool);
}

/* The device's pools file (/sys/devices/.../pools, pools_show). */
void dma_pools_show(struct machine *m, struct device *dev, FILE *out)
{
	struct dma_pool **list = pool_list(m);
	bool header = false;

	for (struct dma_pool *pool = list ? *list : NULL; pool; pool = pool->next) {
		if (pool->dev != dev)
			continue;
		if (!header)
			fprintf(out, "  poolinfo - 0.1\n");
		header = true;
		unsigned int pages = 0, blocks = 0;
		for (struct dma_page *page = pool->pages; page; page = page->next) {
			pages++;
			blocks += page->in_use;
		}
		fprintf(out, "  %-16s %4u %4zu %4zu %2u\n", pool->name, blocks,
			pages * (pool->allocation / pool->size), pool->size, pages);
	}
}

/*
 * The validator: each page's free list stays inside the page, never
 * crosses a boundary, has no loop, and with in_use counts every block of
 * the page; each page is a live coherent allocation of the pool's device.
 */
unsigned long dma_pool_verify(struct machine *m, FILE *out)
{
	struct dma_pool **list = m->dma ? &m->dma->pools : NULL;
	unsigned long bad = 0;

	for (struct dma_pool *pool = list ? *list : NULL; pool; pool = pool->next) {
		/* Blocks a page holds: those the free list can reach from offset 0. */
		size_t blocks = 0, offset = 0, next_boundary = pool->boundary;
		do {
			size_t next = offset + pool->size;
			blocks++;
			if (next + pool->size >= next_boundary) {
				next = next_boundary;
				next_boundary += pool->boundary;
			}
			offset = next;
		} while (offset < pool->allocation);
		for (struct dma_page *page = pool->pages; page; page = page->next) {
			size_t nfree = 0;
			for (size_t chain = page->offset; chain < pool->allocation;
			     chain = block_word(m, page->vaddr + chain)) {
				if (++nfree > blocks) {
					nfree = blocks + 1;
					break;
				}
				if (chain / pool->boundary != (chain + pool->size - 1) / pool->boundary) {
					nfree = blocks + 1;
					break;
				}
			}
			if (nfree + page->in_use != blocks) {
				fprintf(out, "dma_pool %s: page %#" PRIx64 " has %u blocks in use and a free "
					"list of %zu, not the %zu it holds\n", pool->name, page->dma,
					page->in_use, nfree, blocks);
				bad++;
			}
			if (!dma_entry_find(pool->dev, DMA_ENTRY_COHERENT, page->dma)) {
				fprintf(out, "dma_pool %s: page %#" PRIx64 " is no coherent allocation of %s\n",
					pool->name, page->dma, pool->dev->name);
				bad++;
			}
		}
	}
	return bad;
}

void dma_pools_release(struct machine *m)
{
	struct dma_pool **list = pool_list(m);

	while (list && *list) {
		struct dma_pool *pool = *list;
		*list = pool->next;
		while (pool->pages) {
			struct dma_page *page = pool->pages;
			pool->pages = page->next;
			free(page);
		}
		free(pool);
	}
}
