/* mapping.c — the DMA API's entry points (kernel/dma/mapping.c): each call
 * goes to dma-direct (direct.c, with swiotlb behind it) or, for a device
 * behind the IOMMU, to dma-iommu (drivers/iommu/dma-iommu.c), as
 * dma_alloc_direct()/get_dma_ops() choose in the kernel. The per-device
 * pool (coherent.c) is asked first for coherent memory.
 *
 * Every live mapping is recorded (as CONFIG_DMA_API_DEBUG's dma_debug_entry)
 * so that an unmap finds what it undoes, `verify` can check each one, and
 * `dma show` lists them. The kernel trusts the driver here; mmsim checks
 * (an unmap of something never mapped is refused with dma-debug's text)
 * rather than corrupt the machine. The machine's DMA state is made on
 * first use, so a machine that never does DMA pays nothing. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/vmalloc.h>

#include "kernel/dma/dma.h"
#include "mm.h"

struct dma_state *dma_state(struct machine *m)
{
	if (m->dma)
		return m->dma;
	struct dma_state *ds = calloc(1, sizeof(*ds));
	if (!ds)
		return NULL;
	swiotlb_init_state(m, ds);
	m->dma = ds;
	return ds;
}

void dma_release(struct machine *m)
{
	struct dma_state *ds = m->dma;

	if (!ds)
		return;
	dma_pools_release(m);
	iommu_release(m);
	for (unsigned int i = 0; i < MMSIM_MAX_DMA_DEVICES; i++) {
		struct device *dev = ds->devices[i];
		if (!dev)
			continue;
		for (unsigned int e = 0; e < dev->nr_entries; e++)
			free(dev->entries[e].pages);
		free(dev->entries);
		dma_coherent_release(m, dev->dma_mem);
		free(dev);
	}
	if (ds->io_tlb) {
		free(ds->io_tlb->areas);
		free(ds->io_tlb->slots);
		free(ds->io_tlb);
	}
	free(ds);
	m->dma = NULL;
}

bool dma_warn_once(struct machine *m, enum dma_warn_once site)
{
	struct dma_state *ds = dma_state(m);

	if (!ds || (ds->warned & (1u << site)))
		return false;
	ds->warned |= 1u << site;
	return true;
}

/* dev_driver_string() and dev_name(): "NAME 0000:01:00.0: ". */
void dev_printk(struct machine *m, const char *level, const struct device *dev, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(m, "%s%s %s: %s", level, dev->name, dev->bus_id, msg);
}

void dev_warn_once_at(struct machine *m, struct device *dev, enum dma_warn_once site,
		      const char *file, const char *func, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!dma_warn_once(m, site))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	__warn(m, file, func, "%s %s: %s", dev->name, dev->bus_id, msg);
}

/*
 * CONFIG_DMA_API_DEBUG's err_printk(): "DMA-API: NAME BUS: what went
 * wrong". Debian's kernels are built without it (the bug goes unnoticed
 * there); mmsim always checks, as a kernel with it would.
 */
static void dma_debug_err(struct machine *m, const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void dma_debug_err(struct machine *m, const struct device *dev, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err(m, "DMA-API: %s %s: %s", dev->name, dev->bus_id, msg);
}

/* ---- the live-mapping records ----------------------------------------------------- */

struct dma_map_entry *dma_entry_add(struct machine *m, struct device *dev)
{
	struct dma_state *ds = dma_state(m);

	if (!ds || ds->nr_entries >= DMA_MAX_ENTRIES)
		return NULL;
	if (dev->nr_entries == dev->cap_entries) {
		unsigned int cap = dev->cap_entries ? dev->cap_entries * 2 : 16;
		struct dma_map_entry *n = realloc(dev->entries, cap * sizeof(*n));
		if (!n)
			return NULL;
		dev->entries = n;
		dev->cap_entries = cap;
	}
	struct dma_map_entry *e = &dev->entries[dev->nr_entries++];
	memset(e, 0, sizeof(*e));
	ds->nr_entries++;
	return e;
}

struct dma_map_entry *dma_entry_find(struct device *dev, enum dma_entry_type type, dma_addr_t addr)
{
	for (unsigned int i = 0; i < dev->nr_entries; i++)
		if (dev->entries[i].type == type && dev->entries[i].dev_addr == addr)
			return &dev->entries[i];
	return NULL;
}

void dma_entry_remove(struct machine *m, struct device *dev, struct dma_map_entry *e)
{
	free(e->pages);
	*e = dev->entries[--dev->nr_entries];
	m->dma->nr_entries--;
}

/*
 * dma-debug's check_unmap(): the driver frees what it never mapped. The
 * kernel (with CONFIG_DMA_API_DEBUG) says so and leaves everything alone;
 * so does mmsim, always, since going on would corrupt the machine.
 */
static void err_not_mapped(struct machine *m, struct device *dev, dma_addr_t addr, size_t size)
{
	dma_debug_err(m, dev, "device driver tries to free DMA memory it has not "
		   "allocated [device address=0x%016" PRIx64 "] [size=%zu bytes]\n", addr, size);
}

static const char *const dir2name[] = { "DMA_BIDIRECTIONAL", "DMA_TO_DEVICE", "DMA_FROM_DEVICE",
					"DMA_NONE" };

static bool valid_dma_direction(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

/* ---- masks ------------------------------------------------------------------------ */

int dma_supported(struct machine *m, struct device *dev, uint64_t mask)
{
	/* dma-iommu's ops have no dma_supported: any mask will do behind an IOMMU. */
	if (dev->domain)
		return 1;
	return dma_direct_supported(m, dev, mask);
}

/* The mask as a dma_addr_t holds it: 32 bits on the 686 kernel (no 64-bit DMA addresses). */
static uint64_t dma_addr_mask(struct machine *m, uint64_t mask)
{
	return m->is_32bit ? mask & 0xffffffffULL : mask;
}

int dma_set_mask(struct machine *m, struct device *dev, uint64_t mask)
{
	mask = dma_addr_mask(m, mask);
	if (!dma_supported(m, dev, mask))
		return -MMSIM_EIO;
	dev->dma_mask = mask;
	return 0;
}

int dma_set_coherent_mask(struct machine *m, struct device *dev, uint64_t mask)
{
	mask = dma_addr_mask(m, mask);
	if (!dma_supported(m, dev, mask))
		return -MMSIM_EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}

int dma_set_mask_and_coherent(struct machine *m, struct device *dev, uint64_t mask)
{
	int rc = dma_set_mask(m, dev, mask);

	if (!rc)
		dma_set_coherent_mask(m, dev, mask);
	return rc;
}

void mmsim_device_set_bus_limit(struct device *dev, uint64_t limit)
{
	dev->bus_dma_limit = limit;
}

/* ---- coherent memory -------------------------------------------------------------- */

/*
 * dma_alloc_attrs(): the device's own pool first (it answers for the
 * device even when it has no room), then the implementation, which
 * chooses the zone itself: the caller's zone bits are dropped.
 */
kaddr_t dma_alloc_coherent(struct machine *m, struct device *dev, size_t size, dma_addr_t *handle,
			   gfp_t gfp)
{
	kaddr_t cpu_addr = 0;

	if (!dma_state(m))
		return 0;
	if (!dev->coherent_dma_mask && dma_warn_once(m, WARN_NO_COHERENT_MASK))
		__warn(m, "kernel/dma/mapping.c", "dma_alloc_attrs", NULL);
	struct dma_map_entry *e = dma_entry_add(m, dev);
	if (!e)
		return 0;
	e->type = DMA_ENTRY_COHERENT;
	e->dir = DMA_BIDIRECTIONAL;
	e->size = size;
	if (dma_alloc_from_dev_coherent(m, dev, size, handle, &cpu_addr)) {
		e->via = DMA_VIA_DEV_COHERENT;
	} else {
		gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
		if (dev->domain) {
			e->via = DMA_VIA_IOMMU;
			cpu_addr = iommu_dma_alloc(m, dev, size, handle, gfp, e);
		} else {
			e->via = DMA_VIA_DIRECT;
			cpu_addr = dma_direct_alloc(m, dev, size, handle, gfp);
		}
	}
	if (!cpu_addr) {
		dma_entry_remove(m, dev, e);
		return 0;
	}
	e->dev_addr = *handle;
	e->cpu_addr = cpu_addr;
	if (e->via != DMA_VIA_IOMMU)
		e->paddr = *handle;	/* bus address = physical address without an IOMMU */
	dev->coherent_pages += (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	return cpu_addr;
}

void dma_free_coherent(struct machine *m, struct device *dev, size_t size, kaddr_t cpu_addr,
		       dma_addr_t handle)
{
	if (!dma_state(m))
		return;
	struct dma_map_entry *e = dma_entry_find(dev, DMA_ENTRY_COHERENT, handle);
	if (!e || e->cpu_addr != cpu_addr) {
		err_not_mapped(m, dev, handle, size);
		return;
	}
	if (e->size != size)
		dma_debug_err(m, dev, "device driver frees DMA memory with different "
			   "size [device address=0x%016" PRIx64 "] [map size=%zu bytes] [unmap size=%zu "
			   "bytes]\n", handle, e->size, size);
	dev->coherent_pages -= (e->size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned int order = 0;
	while ((PAGE_SIZE << order) < e->size)
		order++;
	if (e->via == DMA_VIA_DEV_COHERENT)
		dma_release_from_dev_coherent(m, dev, order, cpu_addr);
	else if (e->via == DMA_VIA_IOMMU)
		iommu_dma_free(m, dev, e);
	else
		dma_direct_free(m, dev, e->size, cpu_addr, handle);
	dma_entry_remove(m, dev, e);
}

/* ---- streaming mappings ----------------------------------------------------------- */

static dma_addr_t map_phys(struct machine *m, struct device *dev, phys_addr_t phys, size_t size,
			   enum dma_data_direction dir, enum dma_entry_type type)
{
	if (!dma_state(m) || !valid_dma_direction(dir) || !size)
		return DMA_MAPPING_ERROR;	/* the kernel BUG()s on a bad direction */
	struct dma_map_entry *e = dma_entry_add(m, dev);
	if (!e)
		return DMA_MAPPING_ERROR;
	e->type = type;
	e->dir = dir;
	e->size = size;
	e->paddr = phys;
	dma_addr_t addr;
	if (dev->domain) {
		e->via = DMA_VIA_IOMMU;
		addr = iommu_dma_map_phys(m, dev, phys, size, dir, e);
	} else {
		e->via = DMA_VIA_DIRECT;
		addr = dma_direct_map_phys(m, dev, phys, size, dir, e);
	}
	if (addr == DMA_MAPPING_ERROR) {
		dev->nr_map_errors++;
		dma_entry_remove(m, dev, e);
		return addr;
	}
	e->dev_addr = addr;
	dev->nr_maps++;
	return addr;
}

static void unmap(struct machine *m, struct device *dev, dma_addr_t addr, size_t size,
		  enum dma_data_direction dir, enum dma_entry_type type)
{
	if (!dma_state(m))
		return;
	struct dma_map_entry *e = dma_entry_find(dev, type, addr);
	if (!e) {
		err_not_mapped(m, dev, addr, size);
		return;
	}
	if (e->size != size)
		dma_debug_err(m, dev, "device driver frees DMA memory with different "
			   "size [device address=0x%016" PRIx64 "] [map size=%zu bytes] [unmap size=%zu "
			   "bytes]\n", addr, e->size, size);
	if (e->dir != dir)
		dma_debug_err(m, dev, "device driver frees DMA memory with different "
			   "direction [device address=0x%016" PRIx64 "] [size=%zu bytes] [mapped with %s] "
			   "[unmapped with %s]\n", addr, e->size, dir2name[e->dir],
			   valid_dma_direction(dir) ? dir2name[dir] : "DMA_NONE");
	if (e->via == DMA_VIA_IOMMU)
		iommu_dma_unmap(m, dev, e->dev_addr, e->size);
	else
		dma_direct_unmap(m, dev, e, true);
	dma_entry_remove(m, dev, e);
}

dma_addr_t dma_map_page(struct machine *m, struct device *dev, struct page *page, size_t offset,
			size_t size, enum dma_data_direction dir)
{
	return map_phys(m, dev, PFN_PHYS(page_to_pfn(m, page)) + offset, size, dir, DMA_ENTRY_PAGE);
}

void dma_unmap_page(struct machine *m, struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir)
{
	unmap(m, dev, addr, size, dir, DMA_ENTRY_PAGE);
}

/*
 * dma_map_single_attrs(): a direct-map address only. vmalloc memory is
 * refused with the kernel's warning; any other address outside lowmem is
 * not memory the kernel could hand to virt_to_page().
 */
dma_addr_t dma_map_single(struct machine *m, struct device *dev, kaddr_t ptr, size_t size,
			  enum dma_data_direction dir)
{
	if (!dma_state(m))
		return DMA_MAPPING_ERROR;
	if (is_vmalloc_addr(m, ptr)) {
		dev_warn_once_at(m, dev, WARN_VMALLOC_MAP, "kernel/dma/mapping.c",
				 "dma_map_single_attrs", "rejecting DMA map of vmalloc memory\n");
		return DMA_MAPPING_ERROR;
	}
	if (ptr < m->page_offset || ptr + size > m->high_memory || ptr + size < ptr)
		return DMA_MAPPING_ERROR;
	return map_phys(m, dev, __pa(m, ptr), size, dir, DMA_ENTRY_SINGLE);
}

void dma_unmap_single(struct machine *m, struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir)
{
	unmap(m, dev, addr, size, dir, DMA_ENTRY_SINGLE);
}

/*
 * dma_map_sg_attrs(): dma-direct maps each element on its own (a bounce
 * for each one above the mask); dma-iommu maps them all to one IOVA range.
 * Returns the DMA segments, or 0 when any of it failed (nothing stays mapped).
 */
int dma_map_sg(struct machine *m, struct device *dev, struct scatterlist *sg, int nents,
	       enum dma_data_direction dir)
{
	if (!dma_state(m) || nents <= 0 || !valid_dma_direction(dir))
		return 0;
	if (dev->domain) {
		int n = iommu_dma_map_sg(m, dev, sg, nents, dir);
		if (n <= 0) {
			dev->nr_map_errors++;
			return 0;
		}
		dev->nr_maps++;
		return n;
	}
	for (int i = 0; i < nents; i++) {
		phys_addr_t phys = PFN_PHYS(page_to_pfn(m, sg[i].page)) + sg[i].offset;
		sg[i].dma_address = map_phys(m, dev, phys, sg[i].length, dir, DMA_ENTRY_SG);
		sg[i].dma_length = sg[i].length;
		if (sg[i].dma_address == DMA_MAPPING_ERROR) {
			/* dma_direct_map_sg(): undo what was mapped, skipping the CPU syncs. */
			for (int j = 0; j < i; j++) {
				struct dma_map_entry *e = dma_entry_find(dev, DMA_ENTRY_SG, sg[j].dma_address);
				if (e) {
					dma_direct_unmap(m, dev, e, false);
					dma_entry_remove(m, dev, e);
				}
			}
			return 0;
		}
	}
	return nents;
}

void dma_unmap_sg(struct machine *m, struct device *dev, struct scatterlist *sg, int nents,
		  enum dma_data_direction dir)
{
	if (!dma_state(m) || nents <= 0)
		return;
	if (dev->domain) {
		iommu_dma_unmap_sg(m, dev, sg, nents);
		return;
	}
	for (int i = 0; i < nents; i++)
		unmap(m, dev, sg[i].dma_address, sg[i].length, dir, DMA_ENTRY_SG);
}

/* The live streaming mapping that holds [addr, addr+size), if any. */
static struct dma_map_entry *find_streaming(struct device *dev, dma_addr_t addr, size_t size)
{
	for (unsigned int i = 0; i < dev->nr_entries; i++) {
		struct dma_map_entry *e = &dev->entries[i];
		if (e->type != DMA_ENTRY_COHERENT && addr >= e->dev_addr &&
		    addr + size <= e->dev_addr + e->size)
			return e;
	}
	return NULL;
}

static void sync(struct machine *m, struct device *dev, dma_addr_t addr, size_t size,
		 enum dma_data_direction dir, bool for_cpu)
{
	if (!dma_state(m))
		return;
	struct dma_map_entry *e = find_streaming(dev, addr, size);
	if (!e) {
		dma_debug_err(m, dev, "device driver tries to sync DMA memory it has "
			   "not allocated [device address=0x%016" PRIx64 "] [size=%zu bytes]\n", addr, size);
		return;
	}
	(void)dir;	/* the mapping's own direction decides what is copied, as swiotlb's BUG_ONs demand */
	if (e->via == DMA_VIA_SWIOTLB)
		dma_direct_sync(m, dev, e, addr - e->dev_addr, size, for_cpu);
}

void dma_sync_single_for_cpu(struct machine *m, struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	sync(m, dev, addr, size, dir, true);
}

void dma_sync_single_for_device(struct machine *m, struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir)
{
	sync(m, dev, addr, size, dir, false);
}

/* ---- inspection ----------------------------------------------------------------- */

static const char *const via_name[] = { "direct", "swiotlb", "iommu", "dev-coherent" };
static const char *const type_name[] = { "single", "page", "sg", "coherent" };

void dma_devices_show(struct machine *m, FILE *out)
{
	struct dma_state *ds = dma_state(m);

	if (!ds)
		return;
	for (unsigned int i = 0; i < MMSIM_MAX_DMA_DEVICES; i++) {
		struct device *dev = ds->devices[i];
		if (!dev)
			continue;
		fprintf(out, "%s %s: dma_mask %#" PRIx64 " coherent_dma_mask %#" PRIx64, dev->name,
			dev->bus_id, dev->dma_mask, dev->coherent_dma_mask);
		if (dev->bus_dma_limit)
			fprintf(out, " bus_dma_limit %#" PRIx64, dev->bus_dma_limit);
		fprintf(out, " %s\n", dev->domain ? "iommu" : dev->dma_mem ? "dev-coherent" : "direct");
		fprintf(out, "  maps %lu, map errors %lu, bounced %lu bytes, coherent %lu pages\n",
			dev->nr_maps, dev->nr_map_errors, dev->bytes_bounced, dev->coherent_pages);
		for (unsigned int j = 0; j < dev->nr_entries; j++) {
			const struct dma_map_entry *e = &dev->entries[j];
			fprintf(out, "  %-8s %-12s dma %#018" PRIx64 " size %-8zu %s", type_name[e->type],
				via_name[e->via], e->dev_addr, e->size, dir2name[e->dir]);
			if (e->type == DMA_ENTRY_COHERENT)
				fprintf(out, " cpu %#" PRIx64, e->cpu_addr);
			if (e->nr_pages)
				fprintf(out, " (%u scattered pages)", e->nr_pages);
			else
				fprintf(out, " phys %#" PRIx64, e->paddr);
			if (e->via == DMA_VIA_SWIOTLB)
				fprintf(out, " bounce %#" PRIx64, e->tlb_addr);
			fputc('\n', out);
		}
		dma_coherent_show(m, dev, out);
		dma_pools_show(m, dev, out);
		if (dev->domain)
			iommu_domain_show(m, dev, out);
	}
	struct io_tlb_mem *mem = ds->io_tlb;
	if (mem)
		fprintf(out, "swiotlb: %lu slabs (%lu MiB) in %u areas, used %lu, high-water %lu; "
			"%lu mappings, %lu refused (full); bounced %lu bytes to devices, %lu from\n",
			mem->nslabs, (mem->nslabs << IO_TLB_SHIFT) >> 20, mem->nareas, swiotlb_mem_used(mem),
			mem->used_hiwater, mem->nr_mapped, mem->nr_full, mem->bytes_to_device,
			mem->bytes_from_device);
	else
		fprintf(out, "swiotlb: none\n");
}

/* A frame inside a free block of the buddy allocator (the head of one, or a page under it)? */
bool dma_pfn_free(struct machine *m, unsigned long pfn)
{
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		unsigned long head = pfn & ~((1UL << order) - 1);
		if (!pfn_valid(m, head))
			return false;
		const struct page *page = pfn_to_page(m, head);
		if (PageBuddy(page) && page->private >= order)
			return true;
	}
	return false;
}

/* ---- the validator ------------------------------------------------------------------ */

/*
 * Every live mapping: its CPU-side pages are allocated (not free in the
 * buddy allocator) unless they are reserved memory (a boot pool), and its
 * bus address is within what the device reaches; a bounced one holds its
 * slots. Then swiotlb's, the pools' and the IOMMU's own checks.
 */
unsigned long dma_verify(struct machine *m, FILE *out)
{
	struct dma_state *ds = m->dma;
	unsigned long bad = 0, entries = 0;

	if (!ds)
		return 0;
	for (unsigned int i = 0; i < MMSIM_MAX_DMA_DEVICES; i++) {
		struct device *dev = ds->devices[i];
		if (!dev)
			continue;
		entries += dev->nr_entries;
		for (unsigned int j = 0; j < dev->nr_entries; j++) {
			const struct dma_map_entry *e = &dev->entries[j];
			if (e->via != DMA_VIA_IOMMU && e->via != DMA_VIA_DEV_COHERENT &&
			    !dma_capable(dev, e->dev_addr, e->size)) {
				fprintf(out, "dma: %s: mapping %#" PRIx64 "+%zu is beyond the device's reach "
					"%#" PRIx64 "\n", dev->name, e->dev_addr, e->size,
					dma_reach(e->type == DMA_ENTRY_COHERENT ? dev->coherent_dma_mask
						  : dev->dma_mask, dev->bus_dma_limit));
				bad++;
			}
			if (e->via == DMA_VIA_DEV_COHERENT || e->nr_pages)
				continue;
			for (phys_addr_t p = e->paddr & ~(phys_addr_t)(PAGE_SIZE - 1);
			     p < e->paddr + e->size; p += PAGE_SIZE) {
				unsigned long pfn = PFN_DOWN(p);
				if (!pfn_valid(m, pfn) || dma_pfn_free(m, pfn)) {
					fprintf(out, "dma: %s: mapping %#" PRIx64 "+%zu covers pfn %#lx, which is "
						"%s\n", dev->name, e->dev_addr, e->size, pfn,
						pfn_valid(m, pfn) ? "free in the buddy allocator" : "not memory");
					bad++;
					break;
				}
			}
		}
		bad += dma_coherent_verify(m, dev, out);
	}
	if (entries != ds->nr_entries) {
		fprintf(out, "dma: %lu mapping records, the devices hold %lu\n", ds->nr_entries, entries);
		bad++;
	}
	return bad + swiotlb_verify(m, out) + dma_pool_verify(m, out) + iommu_verify(m, out);
}
