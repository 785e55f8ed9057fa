/* coherent.c — per-device coherent memory (kernel/dma/coherent.c): a range
 * of memory the buddy allocator never saw, given to one device, from which
 * dma_alloc_coherent() serves that device before anything else.
 *
 * The range is memory kept out of the kernel at boot — here by the
 * memmap=nn$ss parameter, which marks it reserved in the e820 map, so it
 * is neither in MemTotal nor in any zone's free lists: the first remedy
 * for a device that needs contiguous memory, paid for by memory nobody
 * else may use. dma_declare_coherent_memory() maps it (memremap, write-
 * combining in the kernel; mmsim's ioremap is uncached, the same to
 * everything mmsim shows) and keeps a bitmap of its pages; an allocation
 * takes a naturally aligned run of 2^order pages (bitmap_find_free_region).
 * A device with a pool never falls back to the page allocator: when the
 * pool is full, dma_alloc_coherent() fails. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/vmalloc.h>

#include "kernel/dma/dma.h"
#include "mm.h"

struct dma_coherent_mem {
	kaddr_t virt_base;		/* the pool's kernel mapping */
	dma_addr_t device_base;		/* what the device calls its first byte */
	unsigned long pfn_base;
	unsigned int size;		/* pages */
	unsigned char *bitmap;		/* a byte per page here: 1 in use */
	unsigned int used;		/* pages in use */
};

static unsigned int size_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* memremap()'s refusal: a WC mapping of System RAM (e820 RAM the kernel owns). */
static bool range_is_ram(struct machine *m, phys_addr_t phys, size_t size)
{
	for (unsigned int i = 0; i < m->e820.nr_entries; i++) {
		const struct e820_entry *e = &m->e820.entries[i];
		if (e->type == E820_TYPE_RAM && e->addr < phys + size && phys < e->addr + e->size)
			return true;
	}
	return false;
}

int dma_declare_coherent_memory(struct machine *m, struct device *dev, phys_addr_t phys,
				dma_addr_t device_addr, size_t size)
{
	unsigned int pages = (unsigned int)(size >> PAGE_SHIFT);

	if (!dma_state(m))
		return -MMSIM_ENOMEM;
	if (!pages || (phys & (PAGE_SIZE - 1)) || size > (1ULL << 31) ||
	    phys + size > m->ram_bytes || phys + size < phys)
		return -MMSIM_EINVAL;
	if (range_is_ram(m, phys, size)) {
		if (dma_warn_once(m, WARN_MEMREMAP_RAM))
			__warn(m, "kernel/iomem.c", "memremap", "memremap attempted on ram 0x%0*" PRIx64
			       " size: %#zx\n", kptr_width(m), phys, size);	/* %pa */
		return -MMSIM_EINVAL;
	}
	if (dev->dma_mem)
		return -MMSIM_EBUSY;	/* dma_assign_coherent_memory() */
	struct dma_coherent_mem *mem = calloc(1, sizeof(*mem));
	unsigned char *bitmap = calloc(pages, 1);
	kaddr_t virt = mem && bitmap ? mmsim_ioremap_caller(m, phys, size, "dma_init_coherent_memory") : 0;
	if (!virt) {
		free(mem);
		free(bitmap);
		return -MMSIM_EINVAL;
	}
	mem->virt_base = virt;
	mem->device_base = device_addr;
	mem->pfn_base = PFN_DOWN(phys);
	mem->size = pages;
	mem->bitmap = bitmap;
	dev->dma_mem = mem;
	return 0;
}

/* __dma_alloc_from_coherent(): a free, 2^order-aligned run of pages in the bitmap, zeroed. */
static kaddr_t alloc_from_coherent(struct machine *m, struct dma_coherent_mem *mem, size_t size,
				   dma_addr_t *handle)
{
	unsigned int order = size_order(size), run = 1u << order;

	if (size > ((size_t)mem->size << PAGE_SHIFT))
		return 0;
	for (unsigned int pageno = 0; pageno + run <= mem->size; pageno += run) {
		unsigned int i = 0;
		while (i < run && !mem->bitmap[pageno + i])
			i++;
		if (i < run)
			continue;
		memset(mem->bitmap + pageno, 1, run);
		mem->used += run;
		*handle = mem->device_base + ((dma_addr_t)pageno << PAGE_SHIFT);
		memset(m->ram + PFN_PHYS(mem->pfn_base + pageno), 0, size);
		return mem->virt_base + ((kaddr_t)pageno << PAGE_SHIFT);
	}
	return 0;
}

/*
 * dma_alloc_from_dev_coherent(): true when the device has a pool — the
 * pool answers, *ret 0 if it had no room — false when it has none.
 */
bool dma_alloc_from_dev_coherent(struct machine *m, struct device *dev, size_t size,
				 dma_addr_t *handle, kaddr_t *ret)
{
	if (!dev->dma_mem)
		return false;
	*ret = alloc_from_coherent(m, dev->dma_mem, size, handle);
	return true;
}

bool dma_release_from_dev_coherent(struct machine *m, struct device *dev, unsigned int order,
				   kaddr_t vaddr)
{
	struct dma_coherent_mem *mem = dev->dma_mem;

	(void)m;
	if (!mem || vaddr < mem->virt_base || vaddr >= mem->virt_base + ((kaddr_t)mem->size << PAGE_SHIFT))
		return false;
	unsigned int pageno = (unsigned int)((vaddr - mem->virt_base) >> PAGE_SHIFT);
	unsigned int run = 1u << order;
	for (unsigned int i = 0; i < run && pageno + i < mem->size; i++)
		if (mem->bitmap[pageno + i]) {
			mem->bitmap[pageno + i] = 0;
			mem->used--;
		}
	return true;
}

/* _dma_release_coherent_memory(): unmap the pool (memunmap) and forget it. */
void dma_coherent_release(struct machine *m, struct dma_coherent_mem *mem)
{
	if (!mem)
		return;
	iounmap(m, mem->virt_base);
	free(mem->bitmap);
	free(mem);
}

void dma_coherent_show(struct machine *m, struct device *dev, FILE *out)
{
	struct dma_coherent_mem *mem = dev->dma_mem;

	(void)m;
	if (!mem)
		return;
	fprintf(out, "  coherent pool: [mem %#010" PRIx64 "-%#010" PRIx64 "] at %#" PRIx64
		", %u pages, %u in use, %u free (reserved at boot: in no zone)\n",
		(uint64_t)PFN_PHYS(mem->pfn_base), (uint64_t)PFN_PHYS(mem->pfn_base + mem->size) - 1,
		mem->virt_base, mem->size, mem->used, mem->size - mem->used);
}

/*
 * The validator: the bitmap's pages in use equal the count, and are the
 * pages of the device's live pool allocations, each inside the pool.
 */
unsigned long dma_coherent_verify(struct machine *m, struct device *dev, FILE *out)
{
	struct dma_coherent_mem *mem = dev->dma_mem;
	unsigned long bad = 0, set = 0, held = 0;

	(void)m;
	if (!mem)
		return 0;
	for (unsigned int i = 0; i < mem->size; i++)
		set += mem->bitmap[i];
	for (unsigned int j = 0; j < dev->nr_entries; j++) {
		const struct dma_map_entry *e = &dev->entries[j];
		if (e->via != DMA_VIA_DEV_COHERENT)
			continue;
		held += 1UL << size_order(e->size);
		if (e->dev_addr < mem->device_base ||
		    e->dev_addr + e->size > mem->device_base + ((dma_addr_t)mem->size << PAGE_SHIFT)) {
			fprintf(out, "dma: %s: pool allocation %#" PRIx64 "+%zu lies outside its pool\n",
				dev->name, e->dev_addr, e->size);
			bad++;
		}
	}
	if (set != mem->used || set != held) {
		fprintf(out, "dma: %s: coherent pool bitmap has %lu pages set, counts %u, allocations "
			"hold %lu\n", dev->name, set, mem->used, held);
		bad++;
	}
	return bad;
}
