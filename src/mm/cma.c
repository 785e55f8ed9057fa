/* cma.c — the contiguous memory allocator (mm/cma.c, mm/cma_debug.c of 6.1).
 *
 * Boot reserves each area in memblock (cma_declare_contiguous_nid), so the
 * buddy allocator never sees it at mem_init; a core_initcall then turns
 * every pageblock of it into MIGRATE_CMA and frees it, and from then on the
 * buddy allocator lends those pages to movable allocations only
 * (page_alloc.c: ALLOC_CMA). cma_alloc() takes a range back: it marks the
 * range in the area's bitmap, asks alloc_contig_range() to empty it
 * (isolate the pageblocks, migrate what is in use, take the free pages),
 * and when that finds the range busy tries the next aligned start. The
 * kernel's cma_mutex and cma->lock have nothing to guard in a
 * single-threaded machine; where they are taken the comments say so.
 *
 * Not here: CONFIG_CMA_DEBUG (cma_debug_show_areas and the pr_debug
 * lines) and CONFIG_CMA_SYSFS are off in the build modelled; the debugfs
 * files are read-only (no alloc/free files). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/slab.h>

#include "mm/cma.h"
#include "mm/internal.h"
#include "mm/memblock.h"

/* CMA_MIN_ALIGNMENT_PAGES (6.1's include/linux/cma.h): one pageblock. */
static unsigned long cma_min_alignment_pages(const struct machine *m)
{
	return m->pageblock_nr_pages;
}

int cma_state_init(struct machine *m)
{
	if (!m->config.cma)
		return 0;
	m->cma = calloc(1, sizeof(*m->cma));
	if (!m->cma)
		return -MMSIM_ENOMEM;
	m->cma->max_areas = m->is_32bit ? MAX_CMA_AREAS_32 : MAX_CMA_AREAS_64;
	m->cma->size_cmdline = (uint64_t)-1;
	return 0;
}

void cma_state_release(struct machine *m)
{
	free(m->cma);
	m->cma = NULL;
}

struct cma *cma_find(struct machine *m, const char *name)
{
	if (!m->cma)
		return NULL;
	for (unsigned int i = 0; i < m->cma->area_count; i++)
		if (!strcmp(m->cma->areas[i].name, name))
			return &m->cma->areas[i];
	return NULL;
}

/* ---- the bitmap (lib/bitmap.c's helpers, on the area's bytes) ----------------------- */

static bool bit_test(const unsigned char *map, unsigned long bit)
{
	return map[bit >> 3] & (1u << (bit & 7));
}

static void bits_assign(unsigned char *map, unsigned long start, unsigned long nr, bool set)
{
	for (unsigned long b = start; b < start + nr; b++) {
		if (set)
			map[b >> 3] |= (unsigned char)(1u << (b & 7));
		else
			map[b >> 3] &= (unsigned char)~(1u << (b & 7));
	}
}

/*
 * bitmap_find_next_zero_area_off(): the first index >= @start such that
 * index + @align_offset is a multiple of @align_mask + 1 and the @nr bits
 * from it are clear; a value > @size - @nr when there is none.
 */
static unsigned long bitmap_find_next_zero_area_off(const unsigned char *map, unsigned long size,
						    unsigned long start, unsigned long nr,
						    unsigned long align_mask,
						    unsigned long align_offset)
{
	unsigned long index, end, i;
again:
	for (index = start; index < size && bit_test(map, index); index++)
		;
	/* Align allocation: __ALIGN_MASK(index + offset, mask) - offset. */
	index = ((index + align_offset + align_mask) & ~align_mask) - align_offset;
	end = index + nr;
	if (end > size)
		return end;
	for (i = index; i < end; i++)
		if (bit_test(map, i)) {
			start = i + 1;
			goto again;
		}
	return index;
}

/* cma_bitmap_aligned_mask(): the bitmap alignment of 2^@align_order pages, minus one. */
static unsigned long cma_bitmap_aligned_mask(const struct cma *cma, unsigned int align_order)
{
	if (align_order <= cma->order_per_bit)
		return 0;
	return (1UL << (align_order - cma->order_per_bit)) - 1;
}

/* cma_bitmap_aligned_offset(): how far base_pfn is from that alignment, in bits. */
static unsigned long cma_bitmap_aligned_offset(const struct cma *cma, unsigned int align_order)
{
	return (cma->base_pfn & ((1UL << align_order) - 1)) >> cma->order_per_bit;
}

static unsigned long cma_bitmap_pages_to_bits(const struct cma *cma, unsigned long pages)
{
	return ALIGN_UP(pages, 1UL << cma->order_per_bit) >> cma->order_per_bit;
}

static void cma_clear_bitmap(struct cma *cma, unsigned long pfn, unsigned long count)
{
	/* cma->lock */
	bits_assign(cma->bitmap, (pfn - cma->base_pfn) >> cma->order_per_bit,
		    cma_bitmap_pages_to_bits(cma, count), false);
}

/* ---- boot: reservation ------------------------------------------------------------ */

/* memblock_is_region_reserved(): does [base, base + size) overlap a reservation? */
static bool memblock_is_region_reserved(const struct machine *m, phys_addr_t base, phys_addr_t size)
{
	const struct memblock_type *res = &m->memblock.reserved;

	for (unsigned int i = 0; i < res->cnt; i++)
		if (base < res->regions[i].base + res->regions[i].size &&
		    res->regions[i].base < base + size)
			return true;
	return false;
}

/*
 * memblock_alloc_range_nid() under memblock_set_bottom_up(true): the lowest
 * aligned fit in [start, end) among memory minus reservations, reserved.
 * 0 if there is none.
 */
static phys_addr_t memblock_alloc_bottom_up(struct machine *m, phys_addr_t size, phys_addr_t align,
					    phys_addr_t start, phys_addr_t end)
{
	unsigned long idx = 0, s, e;

	while (memblock_next_free_pfn_range(m, &idx, &s, &e)) {
		phys_addr_t lo = PFN_PHYS(s) > start ? PFN_PHYS(s) : start;
		phys_addr_t hi = PFN_PHYS(e) < end ? PFN_PHYS(e) : end;
		phys_addr_t cand = ALIGN_UP(lo, align);
		if (cand < hi && hi - cand >= size)
			return memblock_reserve(m, cand, size) ? 0 : cand;
	}
	return 0;
}

/* %pa: a phys_addr_t in hex, as wide as the type (32 bits on non-PAE i386). */
static const char *pa(const struct machine *m, phys_addr_t a, char *buf, size_t len)
{
	snprintf(buf, len, "0x%0*" PRIx64, m->is_32bit ? 8 : 16, (uint64_t)a);
	return buf;
}

/*
 * cma_init_reserved_mem(): make an area of memory already reserved. The
 * area's pages are counted in totalcma_pages from now on, though the buddy
 * allocator gets them only at cma_init_reserved_areas().
 */
static int cma_init_reserved_mem(struct machine *m, phys_addr_t base, phys_addr_t size,
				 unsigned int order_per_bit, const char *name, struct cma **res_cma)
{
	struct cma_state *cs = m->cma;
	phys_addr_t min_align = (phys_addr_t)cma_min_alignment_pages(m) << PAGE_SHIFT;

	if (cs->area_count == cs->max_areas) {
		pr_err(m, "cma: Not enough slots for CMA reserved regions!\n");
		return -MMSIM_ENOSPC;
	}
	if (!size || !memblock_is_region_reserved(m, base, size))
		return -MMSIM_EINVAL;
	if (cma_min_alignment_pages(m) & ((1UL << order_per_bit) - 1))
		return -MMSIM_EINVAL;
	if ((base | size) & (min_align - 1))
		return -MMSIM_EINVAL;
	struct cma *cma = &cs->areas[cs->area_count];
	if (name)
		snprintf(cma->name, sizeof(cma->name), "%s", name);
	else
		snprintf(cma->name, sizeof(cma->name), "cma%u\n", cs->area_count);
	cma->base_pfn = (unsigned long)PFN_DOWN(base);
	cma->count = (unsigned long)(size >> PAGE_SHIFT);
	cma->order_per_bit = order_per_bit;
	*res_cma = cma;
	cs->area_count++;
	cs->totalcma_pages += cma->count;
	return 0;
}

int cma_declare_contiguous_nid(struct machine *m, phys_addr_t base, phys_addr_t size,
			       phys_addr_t limit, phys_addr_t alignment, unsigned int order_per_bit,
			       bool fixed, const char *name, struct cma **res_cma)
{
	struct cma_state *cs = m->cma;
	phys_addr_t memblock_end = memblock_end_of_DRAM(m);
	/* __pa(high_memory - 1) + 1: the end of the direct map. */
	phys_addr_t highmem_start = __pa(m, m->high_memory - 1) + 1;
	char b1[24], b2[24];
	int ret;

	if (cs->area_count == cs->max_areas) {
		pr_err(m, "cma: Not enough slots for CMA reserved regions!\n");
		return -MMSIM_ENOSPC;
	}
	if (!size)
		return -MMSIM_EINVAL;
	if (alignment & (alignment - 1))
		return -MMSIM_EINVAL;
	/* Sanitise input arguments. */
	phys_addr_t min_align = (phys_addr_t)cma_min_alignment_pages(m) << PAGE_SHIFT;
	if (alignment < min_align)
		alignment = min_align;
	if (fixed && (base & (alignment - 1))) {
		pr_err(m, "cma: Region at %s must be aligned to %s bytes\n", pa(m, base, b1, sizeof(b1)),
		       pa(m, alignment, b2, sizeof(b2)));
		ret = -MMSIM_EINVAL;
		goto err;
	}
	base = ALIGN_UP(base, alignment);
	size = ALIGN_UP(size, alignment);
	limit &= ~(alignment - 1);
	if (!base)
		fixed = false;
	if ((size >> PAGE_SHIFT) & ((1UL << order_per_bit) - 1))
		return -MMSIM_EINVAL;
	/* A fixed region must not cross the low/high memory boundary. */
	if (fixed && base < highmem_start && base + size > highmem_start) {
		pr_err(m, "cma: Region at %s defined on low/high memory boundary (%s)\n",
		       pa(m, base, b1, sizeof(b1)), pa(m, highmem_start, b2, sizeof(b2)));
		ret = -MMSIM_EINVAL;
		goto err;
	}
	/* An unspecified limit, or one past the end of memory, is the end of memory. */
	if (limit == 0 || limit > memblock_end)
		limit = memblock_end;
	if (base + size > limit) {
		char b3[24];
		pr_err(m, "cma: Size (%s) of region at %s exceeds limit (%s)\n",
		       pa(m, size, b1, sizeof(b1)), pa(m, base, b2, sizeof(b2)),
		       pa(m, limit, b3, sizeof(b3)));
		ret = -MMSIM_EINVAL;
		goto err;
	}
	if (fixed) {
		if (memblock_is_region_reserved(m, base, size) || memblock_reserve(m, base, size) < 0) {
			ret = -MMSIM_EBUSY;
			goto err;
		}
	} else {
		phys_addr_t addr = 0;
		/*
		 * All pages of an area must be in one zone: a range that
		 * crosses the low/high boundary is tried in high memory
		 * first, then in low memory.
		 */
		if (base < highmem_start && limit > highmem_start) {
			addr = memblock_phys_alloc_range(m, size, alignment, highmem_start, limit);
			limit = highmem_start;
		}
		/*
		 * CONFIG_PHYS_ADDR_T_64BIT (x86_64; not non-PAE i386): with
		 * enough memory above 4 GiB, place the area bottom-up from
		 * there, near the start of the node, so that compaction moves
		 * pages out of it and not into it, and DMA/DMA32 stay alone.
		 */
		if (!addr && !m->is_32bit && memblock_end >= ((phys_addr_t)4 << 30) + size)
			addr = memblock_alloc_bottom_up(m, size, alignment, ((phys_addr_t)4 << 30), limit);
		if (!addr) {
			addr = memblock_phys_alloc_range(m, size, alignment, base, limit);
			if (!addr) {
				ret = -MMSIM_ENOMEM;
				goto err;
			}
		}
		base = addr;
	}
	ret = cma_init_reserved_mem(m, base, size, order_per_bit, name, res_cma);
	if (ret)
		goto free_mem;
	pr_info(m, "cma: Reserved %lu MiB at %s\n", (unsigned long)(size / SZ_1M),
		pa(m, base, b1, sizeof(b1)));
	return 0;
free_mem:
	memblock_phys_free(m, base, size);
err:
	pr_err(m, "cma: Failed to reserve %lu MiB\n", (unsigned long)(size / SZ_1M));
	return ret;
}

/* ---- core_initcall: activation ----------------------------------------------------- */

/*
 * cma_activate_area(): the bitmap (kmalloc'd, as bitmap_zalloc does), then
 * every pageblock given to the buddy allocator as MIGRATE_CMA. An area
 * that spans two zones cannot serve alloc_contig_range(), which works in
 * one zone: its pages go to the buddy allocator as ordinary memory.
 */
static void cma_activate_area(struct machine *m, struct cma *cma)
{
	unsigned long base_pfn = cma->base_pfn;
	/* bitmap_zalloc(): BITS_TO_LONGS(maxno) of the simulated kernel's longs. */
	size_t long_bytes = m->is_32bit ? 4 : 8;
	size_t bytes = (cma_bitmap_maxno(cma) + 8 * long_bytes - 1) / (8 * long_bytes) * long_bytes;

	cma->bitmap_kobj = kmalloc(m, bytes ? bytes : 1, GFP_KERNEL | __GFP_ZERO);
	if (!cma->bitmap_kobj)
		goto out_error;
	cma->bitmap = m->ram + __pa(m, cma->bitmap_kobj);
	struct zone *zone = page_zone(m, pfn_to_page(m, base_pfn));
	for (unsigned long pfn = base_pfn + 1; pfn < base_pfn + cma->count; pfn++)
		if (!pfn_valid(m, pfn) || page_zone(m, pfn_to_page(m, pfn)) != zone)
			goto not_in_zone;
	for (unsigned long pfn = base_pfn; pfn < base_pfn + cma->count; pfn += m->pageblock_nr_pages)
		init_cma_reserved_pageblock(m, pfn_to_page(m, pfn));
	return;

not_in_zone:
	kfree(m, cma->bitmap_kobj);
	cma->bitmap_kobj = 0;
	cma->bitmap = NULL;
out_error:
	/* Expose all pages to the buddy, they are useless for CMA. */
	if (!cma->reserve_pages_on_error)
		free_reserved_area(m, PFN_PHYS(base_pfn), PFN_PHYS(base_pfn + cma->count));
	m->cma->totalcma_pages -= cma->count;
	cma->count = 0;
	pr_err(m, "cma: CMA area %s could not be activated\n", cma->name);
}

void cma_init_reserved_areas(struct machine *m)
{
	if (!m->cma)
		return;
	for (unsigned int i = 0; i < m->cma->area_count; i++)
		cma_activate_area(m, &m->cma->areas[i]);
}

/* ---- cma_alloc / cma_release ------------------------------------------------------- */

struct page *cma_alloc(struct machine *m, struct cma *cma, unsigned long count,
		       unsigned int align, bool no_warn)
{
	unsigned long start = 0, bitmap_no, pfn;
	struct page *page = NULL;
	int ret = -MMSIM_ENOMEM;

	if (!cma || !cma->count || !cma->bitmap)
		goto out;
	if (!count)
		goto out;
	unsigned long mask = cma_bitmap_aligned_mask(cma, align);
	unsigned long offset = cma_bitmap_aligned_offset(cma, align);
	unsigned long bitmap_maxno = cma_bitmap_maxno(cma);
	unsigned long bitmap_count = cma_bitmap_pages_to_bits(cma, count);
	if (bitmap_count > bitmap_maxno)
		goto out;
	for (;;) {
		/* cma->lock */
		bitmap_no = bitmap_find_next_zero_area_off(cma->bitmap, bitmap_maxno, start,
							   bitmap_count, mask, offset);
		if (bitmap_no >= bitmap_maxno || bitmap_no + bitmap_count > bitmap_maxno)
			break;
		/* Ours alone from here; a failure below clears it again. */
		bits_assign(cma->bitmap, bitmap_no, bitmap_count, true);
		pfn = cma->base_pfn + (bitmap_no << cma->order_per_bit);
		/* cma_mutex */
		ret = alloc_contig_range(m, pfn, pfn + count, MIGRATE_CMA,
					 GFP_KERNEL | (no_warn ? __GFP_NOWARN : 0));
		if (ret == 0) {
			page = pfn_to_page(m, pfn);
			break;
		}
		cma_clear_bitmap(cma, pfn, count);
		if (ret != -MMSIM_EBUSY)
			break;
		/* Busy: try again with the next aligned start past this one. */
		start = bitmap_no + mask + 1;
	}
	if (ret && !no_warn && __ratelimit(m, &m->cma->alloc_fail_rs, "cma_alloc"))
		pr_err(m, "cma: %s: %s: alloc failed, req-size: %lu pages, ret: %d\n", "cma_alloc",
		       cma->name, count, ret);
out:
	/* cma_alloc_success / cma_alloc_fail count calls, whatever their size. */
	count_vm_event(m, page ? CMA_ALLOC_SUCCESS : CMA_ALLOC_FAIL);
	return page;
}

bool cma_pages_valid(struct machine *m, struct cma *cma, const struct page *pages,
		     unsigned long count)
{
	(void)count;
	if (!cma || !pages)
		return false;
	unsigned long pfn = page_to_pfn(m, pages);
	return pfn >= cma->base_pfn && pfn < cma->base_pfn + cma->count;
}

bool cma_release(struct machine *m, struct cma *cma, const struct page *pages, unsigned long count)
{
	if (!cma_pages_valid(m, cma, pages, count))
		return false;
	unsigned long pfn = page_to_pfn(m, pages);
	/* VM_BUG_ON(pfn + count > cma->base_pfn + cma->count): refuse rather than corrupt. */
	if (pfn + count > cma->base_pfn + cma->count)
		return false;
	free_contig_range(m, pfn, count);
	cma_clear_bitmap(cma, pfn, count);
	return true;
}

/* ---- mm/cma_debug.c: debugfs -------------------------------------------------------- */

int cma_debugfs_show(struct machine *m, const char *area, const char *file, FILE *out)
{
	struct cma *cma = cma_find(m, area);

	if (!cma)
		return -MMSIM_ENOENT;
	if (!strcmp(file, "base_pfn")) {
		fprintf(out, "%lu\n", cma->base_pfn);
	} else if (!strcmp(file, "count")) {
		fprintf(out, "%lu\n", cma->count);
	} else if (!strcmp(file, "order_per_bit")) {
		fprintf(out, "%u\n", cma->order_per_bit);
	} else if (!strcmp(file, "used")) {
		/* cma_used_get(): set bits, in pages. */
		unsigned long used = 0;
		for (unsigned long b = 0; cma->bitmap && b < cma_bitmap_maxno(cma); b++)
			used += bit_test(cma->bitmap, b);
		fprintf(out, "%lu\n", used << cma->order_per_bit);
	} else if (!strcmp(file, "maxchunk")) {
		/* cma_maxchunk_get(): the longest run of clear bits, in pages. */
		unsigned long maxchunk = 0, run = 0;
		for (unsigned long b = 0; cma->bitmap && b < cma_bitmap_maxno(cma); b++) {
			run = bit_test(cma->bitmap, b) ? 0 : run + 1;
			if (run > maxchunk)
				maxchunk = run;
		}
		fprintf(out, "%lu\n", maxchunk << cma->order_per_bit);
	} else if (!strcmp(file, "bitmap")) {
		/*
		 * debugfs_create_u32_array(): the bitmap as
		 * DIV_ROUND_UP(maxno, 32) u32 words, in decimal, one space
		 * apart, then a newline.
		 */
		unsigned long words = (cma_bitmap_maxno(cma) + 31) / 32;
		for (unsigned long w = 0; cma->bitmap && w < words; w++) {
			const unsigned char *b = cma->bitmap + 4 * w;
			uint32_t v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
				     (uint32_t)b[3] << 24;
			fprintf(out, w ? " %u" : "%u", v);
		}
		fputc('\n', out);
	} else {
		return -MMSIM_ENOENT;
	}
	return 0;
}

/* ---- validator ---------------------------------------------------------------------- */

unsigned long cma_verify(struct machine *m, FILE *out)
{
	unsigned long bad = 0, total_cma_blocks = 0;

	/* Without CONFIG_CMA there must be no trace of it. */
	for_each_zone_idx(m, zone) {
		unsigned long cma_pages = 0, free_cma = 0;
		for (unsigned long pfn = ALIGN_DOWN(zone->zone_start_pfn, m->pageblock_nr_pages);
		     pfn < zone_end_pfn(zone); pfn += m->pageblock_nr_pages) {
			if (pfn < zone->zone_start_pfn || !pfn_valid(m, pfn) ||
			    memmap_page_zonenum(m, pfn) != zone->idx)
				continue;
			int mt = get_pageblock_migratetype(m, pfn);
			/* An isolated CMA pageblock is still CMA: alloc_contig_range is running. */
			if (mt != MIGRATE_CMA)
				continue;
			cma_pages += m->pageblock_nr_pages;
			for (unsigned long p = pfn; p < pfn + m->pageblock_nr_pages; p++) {
				struct page *page = pfn_to_page(m, p);
				if (page->alloc_order >= 0 &&
				    page->alloc_migratetype != MIGRATE_MOVABLE) {
					fprintf(out, "cma: pfn 0x%lx in a MIGRATE_CMA pageblock was allocated "
						"as migratetype %u (not movable)\n", p,
						page->alloc_migratetype);
					bad++;
				}
			}
		}
		total_cma_blocks += cma_pages;
		if (cma_pages != zone->cma_pages) {
			fprintf(out, "zone %s: cma_pages is %lu but its MIGRATE_CMA pageblocks hold %lu\n",
				zone->name, zone->cma_pages, cma_pages);
			bad++;
		}
		for (unsigned int order = 0; order < MAX_ORDER; order++) {
			struct list_head *pos;
			list_for_each(pos, &zone->free_area[order].free_list[MIGRATE_CMA]) {
				struct page *page = list_entry(pos, struct page, buddy_list);
				unsigned long pfn = page_to_pfn(m, page);
				free_cma += 1UL << order;
				for (unsigned long p = pfn; p < pfn + (1UL << order);
				     p += m->pageblock_nr_pages)
					if (get_pageblock_migratetype(m, p) != MIGRATE_CMA) {
						fprintf(out, "zone %s: free block pfn 0x%lx order %u on the CMA "
							"list is not in a MIGRATE_CMA pageblock\n", zone->name,
							pfn, order);
						bad++;
						break;
					}
			}
			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				if (mt == MIGRATE_CMA || mt == MIGRATE_ISOLATE)
					continue;
				list_for_each(pos, &zone->free_area[order].free_list[mt]) {
					struct page *page = list_entry(pos, struct page, buddy_list);
					/* A run's blocks: page_alloc_verify() checks their pageblocks. */
					if (free_list_entry_is_run(page))
						continue;
					if (get_pageblock_migratetype(m, page_to_pfn(m, page)) == MIGRATE_CMA) {
						fprintf(out, "zone %s: free block pfn 0x%lx of a MIGRATE_CMA "
							"pageblock is on free list %d\n", zone->name,
							page_to_pfn(m, page), mt);
						bad++;
					}
				}
			}
		}
		if (free_cma != (unsigned long)zone->vm_stat[NR_FREE_CMA_PAGES]) {
			fprintf(out, "zone %s: NR_FREE_CMA_PAGES is %ld but the CMA free lists hold %lu "
				"pages\n", zone->name, zone->vm_stat[NR_FREE_CMA_PAGES], free_cma);
			bad++;
		}
	}
	if (!m->cma) {
		if (total_cma_blocks) {
			fprintf(out, "cma: %lu pages of MIGRATE_CMA pageblocks in a kernel without "
				"CONFIG_CMA\n", total_cma_blocks);
			bad++;
		}
		return bad;
	}
	unsigned long counts = 0;
	for (unsigned int i = 0; i < m->cma->area_count; i++) {
		struct cma *cma = &m->cma->areas[i];
		counts += cma->count;
		if (!cma->bitmap)
			continue;
		for (unsigned long b = 0; b < cma_bitmap_maxno(cma); b++) {
			unsigned long first = cma->base_pfn + (b << cma->order_per_bit);
			bool set = bit_test(cma->bitmap, b);
			for (unsigned long p = first; p < first + (1UL << cma->order_per_bit); p++) {
				struct page *page = pfn_to_page(m, p);
				bool in_use = page_ref_count(page) > 0;
				if (set && !in_use) {
					fprintf(out, "cma %s: bitmap bit %lu is set but pfn 0x%lx is free\n",
						cma->name, b, p);
					bad++;
				} else if (set && page->alloc_order != 0) {
					fprintf(out, "cma %s: pfn 0x%lx, handed out by cma_alloc, is not an "
						"order-0 page\n", cma->name, p);
					bad++;
				}
			}
		}
		if (cma->count && get_pageblock_migratetype(m, cma->base_pfn) != MIGRATE_CMA &&
		    get_pageblock_migratetype(m, cma->base_pfn) != MIGRATE_ISOLATE) {
			fprintf(out, "cma %s: pfn 0x%lx starts the area but its pageblock is not "
				"MIGRATE_CMA\n", cma->name, cma->base_pfn);
			bad++;
		}
	}
	if (counts != m->cma->totalcma_pages) {
		fprintf(out, "cma: totalcma_pages is %lu but the areas count %lu\n",
			m->cma->totalcma_pages, counts);
		bad++;
	}
	if (m->system_running && total_cma_blocks != counts) {
		fprintf(out, "cma: the areas count %lu pages but MIGRATE_CMA pageblocks hold %lu\n",
			counts, total_cma_blocks);
		bad++;
	}
	return bad;
}
