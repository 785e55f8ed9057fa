/* mm_init.c — zone sizing and the memory map at boot (free_area_init()).
 *
 * From the architecture's zone limits (max_zone_pfn) and memblock's memory
 * ranges this computes each zone's start, spanned and present pages, the
 * kernel's early estimate of managed pages (present minus the memmap the
 * zone will need), initialises the struct pages, and marks pageblocks
 * MIGRATE_MOVABLE. The kernel moved this out of page_alloc.c in 6.4; the
 * logic is 6.1's.
 *
 * The host's struct pages are written lazily, as the kernel's deferred
 * struct page init (CONFIG_DEFERRED_STRUCT_PAGE_INIT) leaves most of them
 * for later, but later here means first use: a MAX_ORDER block is written
 * when something asks for one of its pages (memmap_init_block()), and the
 * free blocks boot hands over whole are described by the free list's runs
 * (mm/page_alloc.c) until then. What a block holds when written is exactly
 * what the eager path (--memmap eager) writes at boot, so a 1 TiB machine
 * boots with host memory for the pages it uses. */
#include <inttypes.h>
#include <string.h>

#include "mm/memblock.h"
#include "mm/internal.h"

/*
 * FLATMEM (i386): every pfn below max_pfn has a struct page.
 * SPARSEMEM (x86_64): a pfn has one if its 128 MiB section holds memory,
 * even past the end of RAM in the last section.
 */
bool pfn_valid(const struct machine *m, unsigned long pfn)
{
	if (!m->profile->sparsemem_vmemmap)
		return pfn < m->max_pfn;
	if (pfn >= m->mem_map_pfns)
		return false;
	return m->section_present[pfn >> (m->profile->section_size_bits - PAGE_SHIFT)];
}

/*
 * pfn_to_online_page()'s test. With SPARSEMEM_VMEMMAP the kernel records
 * which 2 MiB subsections of a section hold memory (subsection_map_init()
 * over memblock's ranges), and walkers that ask for an online page skip the
 * others: /proc/pagetypeinfo does not count a pageblock in a hole of
 * memmap=. pfn_valid() answers for a boot section as a whole.
 */
bool pfn_to_online_page_valid(const struct machine *m, unsigned long pfn)
{
	if (!pfn_valid(m, pfn))
		return false;
	if (!m->profile->sparsemem_vmemmap)
		return true;
	unsigned long start = pfn & ~(PAGES_PER_SUBSECTION - 1);
	return memblock_present_pages(m, start, start + PAGES_PER_SUBSECTION) != 0;
}

unsigned long memblock_present_pages(const struct machine *m, unsigned long start_pfn,
				     unsigned long end_pfn)
{
	const struct memblock_type *mem = &m->memblock.memory;
	unsigned long n = 0;

	for (unsigned int i = 0; i < mem->cnt; i++) {
		unsigned long s = (unsigned long)PFN_UP(mem->regions[i].base);
		unsigned long e = (unsigned long)PFN_DOWN(mem->regions[i].base + mem->regions[i].size);
		if (s < start_pfn)
			s = start_pfn;
		if (e > end_pfn)
			e = end_pfn;
		if (s < e)
			n += e - s;
	}
	return n;
}

/* Pages of struct page a zone needs (calc_memmap_size). */
static unsigned long calc_memmap_size(const struct machine *m, unsigned long spanned,
				      unsigned long present)
{
	unsigned long pages = spanned;

	if (m->profile->sparsemem_vmemmap && spanned > present + (present >> 4))
		pages = present;
	return (unsigned long)(PFN_UP((uint64_t)pages * m->profile->struct_page_size));
}

/*
 * Count struct pages in a hole as the kernel does (init_unavailable_range),
 * skipping pageblocks whose section has no memmap.
 */
static void init_unavailable_range(struct machine *m, unsigned long spfn, unsigned long epfn,
				   int zone)
{
	unsigned long pgcnt = 0;

	for (unsigned long pfn = spfn; pfn < epfn; pfn++) {
		if (!pfn_valid(m, ALIGN_DOWN(pfn, m->pageblock_nr_pages))) {
			pfn = ALIGN_DOWN(pfn, m->pageblock_nr_pages) + m->pageblock_nr_pages - 1;
			continue;
		}
		pgcnt++;
	}
	if (pgcnt)
		printk(m, KERN_INFO "On node 0, zone %s: %lu pages in unavailable ranges\n",
		       m->node.node_zones[zone].name, pgcnt);
}

/*
 * The zone memmap_init() gives a pfn's struct page: the highest zone that
 * starts at or below it (holes and the tail of the last section included).
 */
static int memmap_zone_of(const struct machine *m, unsigned long pfn)
{
	for (int z = __MAX_NR_ZONES - 1; z >= 0; z--) {
		const struct zone *zone = &m->node.node_zones[z];
		if (zone->configured && zone->spanned_pages && pfn >= zone->zone_start_pfn)
			return z;
	}
	return ZONE_DMA;
}

/* Every struct page in [start, end) as memmap_init() leaves it: its zone, reserved, one reference. */
static void memmap_init_pages(struct machine *m, unsigned long start, unsigned long end)
{
	int idx = memmap_zone_of(m, start);
	unsigned long next_zone = end;

	/* Where the zone changes inside the range (a zone start), if it does. */
	for (int z = 0; z < __MAX_NR_ZONES; z++) {
		const struct zone *zone = &m->node.node_zones[z];
		if (zone->configured && zone->spanned_pages && zone->zone_start_pfn > start &&
		    zone->zone_start_pfn < next_zone)
			next_zone = zone->zone_start_pfn;
	}
	for (unsigned long pfn = start; pfn < end; pfn++) {
		if (pfn == next_zone)
			return memmap_init_pages(m, pfn, end);
		struct page *page = m->mem_map + pfn;
		*page = (struct page){ 0 };
		page->flags = ((unsigned long)idx << ZONES_PGSHIFT) | (1UL << PG_reserved);
		page->_refcount = 1;
		page->_mapcount = -1;
		page->alloc_order = -1;
	}
}

/*
 * Write the struct pages of @pfn's MAX_ORDER block, nothing having asked
 * for them before: as memmap_init() would have (MEMMAP_LAZY), or as they
 * were when boot freed the block whole to the buddy allocator
 * (MEMMAP_LAZY_FREE: __free_pages_core() cleared PG_reserved and the
 * counts, __free_one_page() made the first page a buddy of MAX_ORDER - 1).
 * A free block stays where it is in its free list, held by its run
 * (MEMMAP_HELD, its list links NULL) until the allocator takes it.
 */
void memmap_init_block(struct machine *m, unsigned long pfn)
{
	unsigned long b = pfn >> MEMMAP_BLOCK_SHIFT, start = b << MEMMAP_BLOCK_SHIFT;
	enum memmap_state st = (enum memmap_state)m->memmap_state[b];
	struct page *page = m->mem_map + start;

	memmap_init_pages(m, start, start + MAX_ORDER_NR_PAGES);
	m->memmap_blocks_ready++;
	if (st != MEMMAP_LAZY_FREE) {
		m->memmap_state[b] = MEMMAP_READY;
		return;
	}
	for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i++) {
		__ClearPageReserved(page + i);
		set_page_count(page + i, 0);
	}
	page->private = MAX_ORDER - 1;
	__SetPageBuddy(page);
	page->buddy_list.next = page->buddy_list.prev = NULL;
	m->memmap_state[b] = MEMMAP_HELD;
}

/*
 * The zone of @pfn's struct page, without writing a lazy block's struct
 * pages to find out (the pageblock walk of /proc/pagetypeinfo).
 */
unsigned int memmap_page_zonenum(struct machine *m, unsigned long pfn)
{
	if (memmap_block_lazy(m, pfn))
		return (unsigned int)memmap_zone_of(m, pfn);
	return page_zonenum(pfn_to_page_in_block(m, pfn));
}

/*
 * Give every struct page its zone, a reference (it is reserved until
 * memblock frees it) and an empty mapcount; mark each pageblock that
 * starts inside memory as movable. With a lazy memmap the struct pages
 * are left for memmap_init_block() to write when first used.
 */
static void memmap_init(struct machine *m)
{
	const struct memblock_type *mem = &m->memblock.memory;
	unsigned long hole_pfn = 0, end_pfn = 0;
	int zone_id = ZONE_DMA;
	unsigned long blocks = m->mem_map_pfns >> MEMMAP_BLOCK_SHIFT;

	if (m->memmap_eager) {
		memmap_init_pages(m, 0, m->mem_map_pfns);
		m->memmap_blocks_ready = blocks;
	} else {
		memset(m->memmap_state, MEMMAP_LAZY, blocks);
		m->memmap_blocks_ready = 0;
	}
	for (unsigned int i = 0; i < mem->cnt; i++) {
		unsigned long start_pfn = (unsigned long)PFN_UP(mem->regions[i].base);
		end_pfn = (unsigned long)PFN_DOWN(mem->regions[i].base + mem->regions[i].size);
		for (int j = 0; j < __MAX_NR_ZONES; j++) {
			struct zone *zone = &m->node.node_zones[j];
			if (!zone->configured || !populated_zone(zone))
				continue;
			unsigned long s = clamp_t(unsigned long, start_pfn, zone->zone_start_pfn,
						  zone_end_pfn(zone));
			unsigned long e = clamp_t(unsigned long, end_pfn, zone->zone_start_pfn,
						  zone_end_pfn(zone));
			if (s >= e)
				continue;
			for (unsigned long pfn = ALIGN_UP(s, m->pageblock_nr_pages); pfn < e;
			     pfn += m->pageblock_nr_pages)
				set_pageblock_migratetype(m, pfn, MIGRATE_MOVABLE);
			if (hole_pfn < s)
				init_unavailable_range(m, hole_pfn, s, j);
			hole_pfn = e;
			zone_id = j;
		}
	}
	if (m->profile->sparsemem_vmemmap) {
		/* The tail of the last section belongs to the highest zone. */
		end_pfn = ALIGN_UP(end_pfn, 1UL << (m->profile->section_size_bits - PAGE_SHIFT));
		if (hole_pfn < end_pfn)
			init_unavailable_range(m, hole_pfn, end_pfn, zone_id);
	}
}

void free_area_init(struct machine *m, const unsigned long *max_zone_pfn)
{
	unsigned long lowest[__MAX_NR_ZONES] = { 0 }, highest[__MAX_NR_ZONES] = { 0 };
	unsigned long start_pfn = (unsigned long)PFN_DOWN(memblock_start_of_DRAM(m));
	const struct memblock_type *mem = &m->memblock.memory;

	for (int i = 0; i < __MAX_NR_ZONES; i++) {
		if (!m->node.node_zones[i].configured || i == ZONE_MOVABLE)
			continue;
		unsigned long end_pfn = max_zone_pfn[i] > start_pfn ? max_zone_pfn[i] : start_pfn;
		lowest[i] = start_pfn;
		highest[i] = end_pfn;
		start_pfn = end_pfn;
	}
	printk(m, KERN_INFO "Zone ranges:\n");
	for (int i = 0; i < __MAX_NR_ZONES; i++) {
		if (!m->node.node_zones[i].configured || i == ZONE_MOVABLE)
			continue;
		if (lowest[i] == highest[i])
			printk(m, KERN_INFO "  %-8s empty\n", m->node.node_zones[i].name);
		else
			printk(m, KERN_INFO "  %-8s [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]\n",
			       m->node.node_zones[i].name,
			       (uint64_t)PFN_PHYS(lowest[i]), (uint64_t)PFN_PHYS(highest[i]) - 1);
	}
	printk(m, KERN_INFO "Movable zone start for each node\n");
	printk(m, KERN_INFO "Early memory node ranges\n");
	for (unsigned int i = 0; i < mem->cnt; i++)
		printk(m, KERN_INFO "  node %3d: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]\n", 0,
		       (uint64_t)mem->regions[i].base,
		       (uint64_t)(mem->regions[i].base + mem->regions[i].size) - 1);

	/* ZONE_MOVABLE takes its pages from the highest zone with memory. */
	int movable_zone = ZONE_NORMAL;
	for (int i = __MAX_NR_ZONES - 1; i >= 0; i--) {
		if (i == ZONE_MOVABLE || !m->node.node_zones[i].configured)
			continue;
		if (highest[i] > lowest[i]) {
			movable_zone = i;
			break;
		}
	}

	unsigned long node_start = (unsigned long)PFN_UP(memblock_start_of_DRAM(m));
	unsigned long node_end = (unsigned long)PFN_DOWN(memblock_end_of_DRAM(m));
	m->node.node_start_pfn = node_start;
	m->node.node_spanned_pages = node_end - node_start;
	printk(m, KERN_INFO "Initmem setup node 0 [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]\n",
	       (uint64_t)PFN_PHYS(node_start), node_end ? (uint64_t)PFN_PHYS(node_end) - 1 : 0);

	m->nr_kernel_pages = 0;
	m->nr_all_pages = 0;
	m->node.node_present_pages = 0;
	for (int i = 0; i < __MAX_NR_ZONES; i++) {
		struct zone *zone = &m->node.node_zones[i];
		if (!zone->configured)
			continue;
		zone->is_highmem = i == ZONE_HIGHMEM ||
				   (i == ZONE_MOVABLE && movable_zone == ZONE_HIGHMEM);
		unsigned long zs = lowest[i] > node_start ? lowest[i] : node_start;
		unsigned long ze = highest[i] < node_end ? highest[i] : node_end;
		if (i == ZONE_MOVABLE || ze <= zs) {
			zone->zone_start_pfn = 0;
			zone->spanned_pages = 0;
			zone->present_pages = 0;
		} else {
			zone->zone_start_pfn = zs;
			zone->spanned_pages = ze - zs;
			zone->present_pages = memblock_present_pages(m, zs, ze);
		}
		m->node.node_present_pages += zone->present_pages;

		/* The kernel's estimate until memblock frees memory for real. */
		unsigned long size = zone->present_pages, freesize = size;
		unsigned long memmap_pages = calc_memmap_size(m, zone->spanned_pages, size);
		if (i == ZONE_DMA && freesize > m->dma_reserve)
			freesize -= m->dma_reserve;
		if (!zone->is_highmem) {
			if (freesize >= memmap_pages)
				freesize -= memmap_pages;
			else
				printk(m, KERN_WARNING "  %s zone: %lu memmap pages exceeds freesize %lu\n",
				       zone->name, memmap_pages, freesize);
		}
		if (!zone->is_highmem)
			m->nr_kernel_pages += freesize;
		else if (m->nr_kernel_pages > memmap_pages * 2)
			m->nr_kernel_pages -= memmap_pages;	/* highmem's memmap is lowmem */
		m->nr_all_pages += freesize;
		zone->managed_pages = freesize;
	}
	memmap_init(m);
}
