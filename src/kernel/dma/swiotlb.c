/* swiotlb.c — the software IO TLB (kernel/dma/swiotlb.c): bounce buffers
 * below 4 GiB for devices that cannot reach the memory they are given.
 *
 * The boot reserves the buffer (setup.c, "software IO TLB: mapped [mem
 * ...]") when RAM goes above 4 GiB on x86_64; it is cut into 2 KiB slabs
 * (IO_TLB_SIZE), grouped in segments of IO_TLB_SEGSIZE (128) that no
 * mapping crosses, and split into one area per CPU (a power of two), each
 * with its own search index and use count.
 *
 * The slot allocator, as 6.1 has it: slots[i].list is the number of free
 * slots from i to the end of its segment (0: in use), so one look at a
 * slot says whether nslots fit there. A search starts at the area's index,
 * steps by a stride (page-aligned starts for mappings of a page or more),
 * and wraps once around the area; the CPU's own area is searched first,
 * then the others. On allocation the free counts of the slots before the
 * new mapping in its segment are recounted; on release they grow back
 * across the freed slots and any free ones after them.
 *
 * Bouncing: a mapping copies the original buffer into its slots at once
 * (always, whatever the direction, so stale bounce-buffer bytes never
 * reach a device that reads less than it maps — 6.1's fix for the info
 * leak), again on sync_for_device for TO_DEVICE/BIDIRECTIONAL, and back
 * into the original on sync_for_cpu and unmap for FROM_DEVICE/BIDIRECTIONAL.
 * The copies go through host memory, page by page, so a HighMem buffer
 * needs no kmap here (the kernel's swiotlb_bounce kmaps each page). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/dma/dma.h"
#include "mm.h"

static inline unsigned long nr_slots(uint64_t val)
{
	return (val + IO_TLB_SIZE - 1) >> IO_TLB_SHIFT;
}

static inline unsigned int io_tlb_offset(unsigned long i)
{
	return i & (IO_TLB_SEGSIZE - 1);
}

static inline phys_addr_t slot_addr(phys_addr_t start, unsigned long idx)
{
	return start + ((phys_addr_t)idx << IO_TLB_SHIFT);
}

/* swiotlb_init_remap() / swiotlb_init_io_tlb_mem(): the pool the boot reserved, every slot free. */
void swiotlb_init_state(struct machine *m, struct dma_state *ds)
{
	if (!m->boot.swiotlb_start)
		return;
	struct io_tlb_mem *mem = calloc(1, sizeof(*mem));
	if (!mem)
		return;
	mem->nslabs = m->profile->swiotlb_bytes >> IO_TLB_SHIFT;
	mem->nareas = swiotlb_nareas(m->nr_cpus);
	mem->area_nslabs = mem->nslabs / mem->nareas;
	mem->start = m->boot.swiotlb_start;
	mem->end = mem->start + ((phys_addr_t)mem->nslabs << IO_TLB_SHIFT);
	mem->areas = calloc(mem->nareas, sizeof(*mem->areas));
	mem->slots = calloc(mem->nslabs, sizeof(*mem->slots));
	if (!mem->areas || !mem->slots) {
		free(mem->areas);
		free(mem->slots);
		free(mem);
		return;
	}
	for (unsigned long i = 0; i < mem->nslabs; i++) {
		mem->slots[i].list = IO_TLB_SEGSIZE - io_tlb_offset(i);
		mem->slots[i].orig_addr = INVALID_PHYS_ADDR;
	}
	ds->io_tlb = mem;
}

bool is_swiotlb_active(struct machine *m)
{
	struct dma_state *ds = dma_state(m);

	return ds && ds->io_tlb && ds->io_tlb->nslabs;
}

unsigned long swiotlb_mem_used(const struct io_tlb_mem *mem)
{
	unsigned long used = 0;

	for (unsigned int i = 0; i < mem->nareas; i++)
		used += mem->areas[i].used;
	return used;
}

/* iommu_is_span_boundary(): would nr slots from index cross a segment-boundary of the device? */
static bool is_span_boundary(unsigned long index, unsigned long nr, unsigned long shift,
			     unsigned long boundary_size)
{
	shift = (shift + index) & (boundary_size - 1);
	return shift + nr > boundary_size;
}

static unsigned int wrap_area_index(const struct io_tlb_mem *mem, unsigned int index)
{
	return index >= mem->area_nslabs ? 0 : index;
}

/* swiotlb_do_find_slots(): nslots free slots in one area, or -1. */
static long find_slots_in_area(struct io_tlb_mem *mem, struct device *dev, unsigned int area_index,
			       size_t alloc_size)
{
	struct io_tlb_area *area = &mem->areas[area_index];
	uint64_t boundary_mask = dev->segment_boundary_mask;
	uint64_t tbl_dma_addr = mem->start & boundary_mask;
	/* get_max_slots(): a boundary mask of all ones bounds nothing. */
	unsigned long max_slots = boundary_mask == ~0ULL ? 1UL << (64 - IO_TLB_SHIFT)
							  : nr_slots(boundary_mask + 1);
	unsigned long nslots = nr_slots(alloc_size);
	unsigned int stride = 1, index, wrap;
	unsigned long slot_base, slot_index, count = 0;

	/* Mappings of a page or more start on a page. */
	if (alloc_size >= PAGE_SIZE)
		stride <<= PAGE_SHIFT - IO_TLB_SHIFT;
	if (nslots > mem->area_nslabs - area->used)
		return -1;
	slot_base = (unsigned long)area_index * mem->area_nslabs;
	index = wrap = wrap_area_index(mem, (area->index + stride - 1) & ~(stride - 1));
	do {
		slot_index = slot_base + index;
		if (!is_span_boundary(slot_index, nslots, nr_slots(tbl_dma_addr), max_slots) &&
		    mem->slots[slot_index].list >= nslots)
			goto found;
		index = wrap_area_index(mem, index + stride);
	} while (index != wrap);
	return -1;

found:
	for (unsigned long i = slot_index; i < slot_index + nslots; i++) {
		mem->slots[i].list = 0;
		mem->slots[i].alloc_size = alloc_size - ((i - slot_index) << IO_TLB_SHIFT);
	}
	/* The free slots before it in its segment now end where it starts. */
	for (long i = (long)slot_index - 1;
	     i >= 0 && io_tlb_offset((unsigned long)i) != IO_TLB_SEGSIZE - 1 && mem->slots[i].list; i--)
		mem->slots[i].list = (unsigned int)++count;
	area->index = index + nslots < mem->area_nslabs ? index + (unsigned int)nslots : 0;
	area->used += nslots;
	return (long)slot_index;
}

/* swiotlb_find_slots(): the current CPU's area first, then the others in turn. */
static long swiotlb_find_slots(struct machine *m, struct io_tlb_mem *mem, struct device *dev,
			       size_t alloc_size)
{
	unsigned int start = m->cur_cpu & (mem->nareas - 1), i = start;

	do {
		long index = find_slots_in_area(mem, dev, i, alloc_size);
		if (index >= 0)
			return index;
		if (++i >= mem->nareas)
			i = 0;
	} while (i != start);
	return -1;
}

/* Copy between the original memory and the bounce buffer, through host memory. */
static void copy_phys(struct machine *m, phys_addr_t to, phys_addr_t from, size_t size)
{
	memmove(m->ram + to, m->ram + from, size);
}

/*
 * swiotlb_bounce(): copy @size bytes at @tlb_addr from (DMA_TO_DEVICE) or
 * to the original buffer, after checking the access stays inside the
 * mapping, with the kernel's warnings when it does not.
 */
static void swiotlb_bounce(struct machine *m, struct device *dev, phys_addr_t tlb_addr, size_t size,
			   enum dma_data_direction dir)
{
	struct io_tlb_mem *mem = m->dma->io_tlb;
	unsigned long index = (tlb_addr - mem->start) >> IO_TLB_SHIFT;
	phys_addr_t orig_addr = mem->slots[index].orig_addr;
	size_t alloc_size = mem->slots[index].alloc_size;
	size_t tlb_offset = tlb_addr & (IO_TLB_SIZE - 1);

	if (orig_addr == INVALID_PHYS_ADDR)
		return;
	if (tlb_offset > alloc_size) {
		dev_warn_once_at(m, dev, WARN_BOUNCE_OVERFLOW, "kernel/dma/swiotlb.c", "swiotlb_bounce",
				 "Buffer overflow detected. Allocation size: %zu. Mapping size: %zu+%zu.\n",
				 alloc_size, size, tlb_offset);
		return;
	}
	orig_addr += tlb_offset;
	alloc_size -= tlb_offset;
	if (size > alloc_size) {
		dev_warn_once_at(m, dev, WARN_BOUNCE_OVERFLOW, "kernel/dma/swiotlb.c", "swiotlb_bounce",
				 "Buffer overflow detected. Allocation size: %zu. Mapping size: %zu.\n",
				 alloc_size, size);
		size = alloc_size;
	}
	if (dir == DMA_TO_DEVICE) {
		copy_phys(m, tlb_addr, orig_addr, size);
		mem->bytes_to_device += size;
	} else {
		copy_phys(m, orig_addr, tlb_addr, size);
		mem->bytes_from_device += size;
	}
}

phys_addr_t swiotlb_tbl_map_single(struct machine *m, struct device *dev, phys_addr_t orig_addr,
				   size_t mapping_size, size_t alloc_size, enum dma_data_direction dir)
{
	struct io_tlb_mem *mem = m->dma->io_tlb;

	(void)dir;
	if (!mem || !mem->nslabs) {
		dev_printk(m, KERN_WARNING, dev, "Can not allocate SWIOTLB buffer earlier and can't now "
			   "provide you with the DMA bounce buffer");
		return (phys_addr_t)DMA_MAPPING_ERROR;
	}
	long index = swiotlb_find_slots(m, mem, dev, alloc_size);
	if (index < 0) {
		mem->nr_full++;
		/* dev_warn_ratelimited() */
		if (__ratelimit(m, &m->dma->swiotlb_rs, "swiotlb_tbl_map_single"))
			dev_printk(m, KERN_WARNING, dev, "swiotlb buffer is full (sz: %zd bytes), total %lu "
				   "(slots), used %lu (slots)\n", alloc_size, mem->nslabs,
				   swiotlb_mem_used(mem));
		return (phys_addr_t)DMA_MAPPING_ERROR;
	}
	/* Remember where each slot's bytes come from, for the syncs. */
	for (unsigned long i = 0; i < nr_slots(alloc_size); i++)
		mem->slots[index + i].orig_addr = orig_addr + ((phys_addr_t)i << IO_TLB_SHIFT);
	phys_addr_t tlb_addr = slot_addr(mem->start, (unsigned long)index);
	mem->nr_mapped++;
	unsigned long used = swiotlb_mem_used(mem);
	if (used > mem->used_hiwater)
		mem->used_hiwater = used;
	/* Unconditionally: the device must never see what the slots held before. */
	swiotlb_bounce(m, dev, tlb_addr, mapping_size, DMA_TO_DEVICE);
	return tlb_addr;
}

/* swiotlb_release_slots(): the slots free again, the free counts before and across them rebuilt. */
static void swiotlb_release_slots(struct io_tlb_mem *mem, phys_addr_t tlb_addr)
{
	unsigned long index = (tlb_addr - mem->start) >> IO_TLB_SHIFT;
	unsigned long nslots = nr_slots(mem->slots[index].alloc_size);
	unsigned long aindex = index / mem->area_nslabs;
	struct io_tlb_area *area = &mem->areas[aindex];
	unsigned long count;

	/* Free slots after it in the same segment join the freed ones. */
	if (index + nslots < ((index + 1 + IO_TLB_SEGSIZE - 1) & ~(unsigned long)(IO_TLB_SEGSIZE - 1)))
		count = mem->slots[index + nslots].list;
	else
		count = 0;
	for (long i = (long)(index + nslots) - 1; i >= (long)index; i--) {
		mem->slots[i].list = (unsigned int)++count;
		mem->slots[i].orig_addr = INVALID_PHYS_ADDR;
		mem->slots[i].alloc_size = 0;
	}
	for (long i = (long)index - 1;
	     i >= 0 && io_tlb_offset((unsigned long)i) != IO_TLB_SEGSIZE - 1 && mem->slots[i].list; i--)
		mem->slots[i].list = (unsigned int)++count;
	area->used -= nslots;
}

void swiotlb_tbl_unmap_single(struct machine *m, struct device *dev, phys_addr_t tlb_addr,
			      size_t mapping_size, enum dma_data_direction dir, bool skip_sync)
{
	if (!skip_sync && (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		swiotlb_bounce(m, dev, tlb_addr, mapping_size, DMA_FROM_DEVICE);
	swiotlb_release_slots(m->dma->io_tlb, tlb_addr);
}

void swiotlb_sync_single_for_device(struct machine *m, struct device *dev, phys_addr_t tlb_addr,
				    size_t size, enum dma_data_direction dir)
{
	if (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL)
		swiotlb_bounce(m, dev, tlb_addr, size, DMA_TO_DEVICE);
}

void swiotlb_sync_single_for_cpu(struct machine *m, struct device *dev, phys_addr_t tlb_addr,
				 size_t size, enum dma_data_direction dir)
{
	if (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL)
		swiotlb_bounce(m, dev, tlb_addr, size, DMA_FROM_DEVICE);
}

/* ---- /sys/kernel/debug/swiotlb (swiotlb_create_debugfs_files: only with slabs) ---- */

bool swiotlb_debugfs_present(const struct machine *m)
{
	return m->boot.swiotlb_start != 0;
}

void swiotlb_nslabs_show(struct machine *m, FILE *out)
{
	struct dma_state *ds = dma_state(m);

	fprintf(out, "%lu\n", ds && ds->io_tlb ? ds->io_tlb->nslabs : 0UL);
}

void swiotlb_used_show(struct machine *m, FILE *out)
{
	struct dma_state *ds = dma_state(m);

	fprintf(out, "%lu\n", ds && ds->io_tlb ? swiotlb_mem_used(ds->io_tlb) : 0UL);
}

/*
 * The validator: every slot's free count is what its segment says (the
 * free run to the segment's end, 0 in use); the slots in use in each area
 * are that area's count; and they are exactly the slots of the live
 * bounced mappings.
 */
unsigned long swiotlb_verify(struct machine *m, FILE *out)
{
	struct io_tlb_mem *mem = m->dma ? m->dma->io_tlb : NULL;
	unsigned long bad = 0, mapped_slots = 0;

	if (!mem)
		return 0;
	for (unsigned int a = 0; a < mem->nareas; a++) {
		unsigned long used = 0;
		for (unsigned long i = a * mem->area_nslabs; i < (a + 1) * mem->area_nslabs; i++) {
			unsigned long next_free = 0;
			if (io_tlb_offset(i) != IO_TLB_SEGSIZE - 1 && i + 1 < mem->nslabs)
				next_free = mem->slots[i + 1].list;
			unsigned long want = mem->slots[i].list ? next_free + 1 : 0;
			if (!mem->slots[i].list)
				used++;
			if (mem->slots[i].list != want) {
				fprintf(out, "swiotlb: slot %lu counts %u free slots to its segment's end, "
					"%lu are\n", i, mem->slots[i].list, want);
				bad++;
				break;
			}
		}
		if (used != mem->areas[a].used) {
			fprintf(out, "swiotlb: area %u counts %lu slots used, %lu are\n", a,
				mem->areas[a].used, used);
			bad++;
		}
	}
	for (unsigned int d = 0; d < MMSIM_MAX_DMA_DEVICES; d++) {
		struct device *dev = m->dma->devices[d];
		for (unsigned int j = 0; dev && j < dev->nr_entries; j++) {
			const struct dma_map_entry *e = &dev->entries[j];
			if (e->via != DMA_VIA_SWIOTLB)
				continue;
			unsigned long index = (e->tlb_addr - mem->start) >> IO_TLB_SHIFT;
			mapped_slots += nr_slots(e->size);
			if (e->tlb_addr < mem->start || e->tlb_addr >= mem->end ||
			    mem->slots[index].orig_addr != e->paddr || mem->slots[index].list) {
				fprintf(out, "swiotlb: %s's bounce buffer %#" PRIx64 " for %#" PRIx64
					" is not a slot mapping it\n", dev->name, e->tlb_addr, e->paddr);
				bad++;
			}
		}
	}
	if (mapped_slots != swiotlb_mem_used(mem)) {
		fprintf(out, "swiotlb: %lu slots in use, the live bounced mappings hold %lu\n",
			swiotlb_mem_used(mem), mapped_slots);
		bad++;
	}
	return bad;
}
