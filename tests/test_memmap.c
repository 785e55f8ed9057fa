/* test_memmap.c — the lazily written memmap against the eager one.
 *
 * A machine booted with a lazy memmap (the default) writes a MAX_ORDER
 * block of struct pages when something first asks for one of them; the
 * same machine booted eagerly writes them all at boot. These tests hold
 * the two to the same state: after boot almost nothing is written; once
 * every block has been asked for, every struct page has the same contents
 * and every free list the same blocks in the same order; allocating all
 * of memory hands out the same pfns in the same sequence; and the
 * validator notices a run of free blocks that lies about itself. */
#include "helpers.h"
#include "test.h"

#include "mm/internal.h"

static struct machine *boot_memmap(enum mmsim_arch arch, uint64_t mem_mib, const char *cmdline,
				   bool eager)
{
	struct machine_desc d = test_desc(arch, mem_mib, cmdline);

	d.memmap_eager = eager;
	return boot_desc(&d);
}

/* The pfns of a free list in order, a run standing for its members (lowest first). */
static size_t free_list_pfns(struct machine *m, struct list_head *head, unsigned long *out,
			     size_t max)
{
	size_t n = 0;
	struct list_head *pos;

	list_for_each(pos, head) {
		struct page *page = list_entry(pos, struct page, buddy_list);
		if (!free_list_entry_is_run(page)) {
			if (n < max)
				out[n] = page_to_pfn(m, page);
			n++;
			continue;
		}
		/* A run's members, ascending: what taking its entry hands out, in turn. */
		for (unsigned long pfn = free_run_next(page, 0); pfn != ~0UL;
		     pfn = free_run_next(page, pfn + MAX_ORDER_NR_PAGES)) {
			if (n < max)
				out[n] = pfn;
			n++;
		}
	}
	return n;
}

/*
 * Is every field of two struct pages the same? The list links and what
 * mapping points to are host pointers, each machine's own: of those only
 * whether they are set is compared.
 */
static bool same_page(const struct page *a, const struct page *b, bool held)
{
	/* A block its run holds is on no list: its links are NULL by design. */
	bool links = held || (!a->lru.next == !b->lru.next && !a->lru.prev == !b->lru.prev);
	return a->flags == b->flags && !a->mapping == !b->mapping && a->index == b->index && links &&
	       a->private == b->private && a->_mapcount == b->_mapcount &&
	       a->_refcount == b->_refcount && a->alloc_order == b->alloc_order &&
	       a->alloc_migratetype == b->alloc_migratetype && a->kmap_slot == b->kmap_slot &&
	       a->compound_head_off == b->compound_head_off;
}

static bool lazy_matches_eager(enum mmsim_arch arch, uint64_t mem_mib, const char *cmdline)
{
	struct machine *eager = boot_memmap(arch, mem_mib, cmdline, true);
	struct machine *lazy = boot_memmap(arch, mem_mib, cmdline, false);
	ASSERT_TRUE(eager && lazy);
	unsigned long blocks = lazy->mem_map_pfns >> MEMMAP_BLOCK_SHIFT;
	ASSERT_EQ(eager->memmap_blocks_ready, blocks);
	/* Boot wrote a few blocks (the ends of free ranges, what it allocated), not the machine. */
	ASSERT_TRUE(lazy->memmap_blocks_ready * 8 < blocks);
	ASSERT_TRUE(verify_passes(lazy));

	/* The free lists hold the same blocks in the same order, before anything is written. */
	static unsigned long a[1 << 20], b[1 << 20];
	for (int z = 0; z < __MAX_NR_ZONES; z++)
		for (unsigned int order = 0; order < MAX_ORDER; order++)
			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				size_t na = free_list_pfns(eager,
							   &eager->node.node_zones[z].free_area[order].free_list[mt],
							   a, 1 << 20);
				size_t nb = free_list_pfns(lazy,
							   &lazy->node.node_zones[z].free_area[order].free_list[mt],
							   b, 1 << 20);
				ASSERT_EQ(na, nb);
				ASSERT_TRUE(na <= (1u << 20));
				for (size_t i = 0; i < na; i++)
					if (a[i] != b[i]) {
						fprintf(stderr, "zone %d order %u mt %d entry %zu: eager pfn %#lx, "
							"lazy %#lx\n", z, order, mt, i, a[i], b[i]);
						return false;
					}
			}

	/* Every struct page, once asked for, is what the eager boot wrote. */
	for (unsigned long pfn = 0; pfn < lazy->mem_map_pfns; pfn++) {
		const struct page *pe = pfn_to_page(eager, pfn), *pl = pfn_to_page(lazy, pfn);
		if (!same_page(pe, pl, memmap_block_state(lazy, pfn) == MEMMAP_HELD)) {
			fprintf(stderr, "pfn %#lx: eager flags %#lx ref %d map %d private %lu, lazy flags "
				"%#lx ref %d map %d private %lu\n", pfn, pe->flags, pe->_refcount,
				pe->_mapcount, pe->private, pl->flags, pl->_refcount, pl->_mapcount,
				pl->private);
			return false;
		}
	}
	ASSERT_EQ(lazy->memmap_blocks_ready, blocks);
	ASSERT_TRUE(verify_passes(lazy));

	/* All of memory, a page at a time from every zone in turn: the same pfns in the same order. */
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_DMA, GFP_KERNEL | __GFP_RECLAIMABLE };
	unsigned long n = 0;
	for (;; n++) {
		gfp_t gfp = gfps[n % 4] | __GFP_NOWARN | __GFP_NORETRY;
		unsigned int order = n % 5 == 0 ? 3 : 0;
		struct page *x = alloc_pages(eager, gfp, order), *y = alloc_pages(lazy, gfp, order);
		ASSERT_EQ(!x, !y);
		if (!x && n % 4 == 0)
			break;
		if (x)
			ASSERT_EQ(page_to_pfn(eager, x), page_to_pfn(lazy, y));
		ASSERT_TRUE(n < (1UL << 22));
	}
	ASSERT_TRUE(n > (unsigned long)(mem_mib << 6));	/* most of memory went */
	ASSERT_TRUE(verify_passes(eager));
	ASSERT_TRUE(verify_passes(lazy));
	mmsim_destroy(eager);
	mmsim_destroy(lazy);
	return true;
}

static bool test_i386_highmem(void)
{
	return lazy_matches_eager(MMSIM_ARCH_I386, 2048, NULL);
}

/* vmalloc= moves the lowmem/HighMem boundary off a MAX_ORDER boundary: a block of two zones. */
static bool test_i386_zone_boundary_inside_a_block(void)
{
	return lazy_matches_eager(MMSIM_ARCH_I386, 1536, "vmalloc=203M");
}

static bool test_x86_64_above_4g(void)
{
	return lazy_matches_eager(MMSIM_ARCH_X86_64, 5120, NULL);
}

/* A hole in the middle of RAM and a CMA area: runs on both sides, CMA pageblocks eager. */
static bool test_x86_64_hole_and_cma(void)
{
	return lazy_matches_eager(MMSIM_ARCH_X86_64, 3072, "cma=64M memmap=256M$0x40000000");
}

/*
 * A free block read before the allocator reaches it (written, held by its
 * run) is handed out in its turn, not earlier; one taken out of the list
 * another way (alloc_contig_range isolates it) leaves its run, and the
 * rest still come in order.
 */
static bool test_held_block_keeps_its_place(void)
{
	struct machine *eager = boot_memmap(MMSIM_ARCH_X86_64, 2048, NULL, true);
	struct machine *lazy = boot_memmap(MMSIM_ARCH_X86_64, 2048, NULL, false);
	ASSERT_TRUE(eager && lazy);
	unsigned long held = 0x40000, taken = 0x50000;	/* 1 GiB, 1.25 GiB: free at boot */
	ASSERT_EQ(memmap_block_state(lazy, held), MEMMAP_LAZY_FREE);
	ASSERT_TRUE(PageBuddy(pfn_to_page(lazy, held)));
	ASSERT_EQ(memmap_block_state(lazy, held), MEMMAP_HELD);
	ASSERT_TRUE(!pfn_to_page(lazy, held)->buddy_list.next);
	ASSERT_EQ(memmap_block_state(lazy, taken), MEMMAP_LAZY_FREE);
	ASSERT_EQ(alloc_contig_range(eager, taken, taken + 1024, MIGRATE_MOVABLE, GFP_KERNEL), 0);
	ASSERT_EQ(alloc_contig_range(lazy, taken, taken + 1024, MIGRATE_MOVABLE, GFP_KERNEL), 0);
	ASSERT_EQ(memmap_block_state(lazy, taken), MEMMAP_READY);
	ASSERT_TRUE(verify_passes(lazy));
	for (int i = 0; i < 400; i++) {
		struct page *x = alloc_pages(eager, GFP_KERNEL, 10), *y = alloc_pages(lazy, GFP_KERNEL, 10);
		ASSERT_TRUE(x && y);
		ASSERT_EQ(page_to_pfn(eager, x), page_to_pfn(lazy, y));
		ASSERT_TRUE(page_to_pfn(lazy, y) != taken);
	}
	ASSERT_EQ(memmap_block_state(lazy, held), MEMMAP_READY);	/* its turn came */
	ASSERT_TRUE(verify_passes(lazy));
	mmsim_destroy(eager);
	mmsim_destroy(lazy);
	return true;
}

/* verify names a run whose count is wrong, and a held block no run holds. */
static bool test_verify_catches_broken_runs(void)
{
	struct machine *m = boot_memmap(MMSIM_ARCH_X86_64, 2048, NULL, false);
	ASSERT_TRUE(m);
	struct zone *zone = &m->node.node_zones[ZONE_DMA32];
	ASSERT_TRUE(zone->nr_free_runs > 0);
	char *buf = NULL;
	unsigned long bad;

	unsigned long b = 0x40000 >> MEMMAP_BLOCK_SHIFT;
	ASSERT_EQ(m->memmap_state[b], MEMMAP_LAZY_FREE);
	m->memmap_state[b] = MEMMAP_LAZY;	/* a member lost: the run's count is now wrong */
	CAPTURE(buf, bad = mmsim_verify(m, _f));
	ASSERT_TRUE(bad > 0);
	ASSERT_STR_CONTAINS(buf, "counts");
	free(buf);
	m->memmap_state[b] = MEMMAP_LAZY_FREE;
	ASSERT_TRUE(verify_passes(m));

	/* A free block outside every run's range. */
	unsigned long last = m->mem_map_pfns >> MEMMAP_BLOCK_SHIFT;
	unsigned long orphan = 0;
	for (unsigned long i = 1; i < last && !orphan; i++)
		if (m->memmap_state[i] == MEMMAP_LAZY && (i << MEMMAP_BLOCK_SHIFT) >= zone->zone_start_pfn &&
		    ((i + 1) << MEMMAP_BLOCK_SHIFT) <= zone_end_pfn(zone))
			orphan = i;
	ASSERT_TRUE(orphan);
	m->memmap_state[orphan] = MEMMAP_LAZY_FREE;
	CAPTURE(buf, bad = mmsim_verify(m, _f));
	ASSERT_TRUE(bad > 0);
	free(buf);
	m->memmap_state[orphan] = MEMMAP_LAZY;
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* The machines issue 15 asks for: little host memory and time, and a clean verify. */
static bool test_1t_boots_lazily(void)
{
	struct machine *m = boot_memmap(MMSIM_ARCH_X86_64, 1024 * 1024, NULL, false);
	ASSERT_TRUE(m);
	/* RAM above 4 GiB starts at 1 TiB, past QEMU's HyperTransport hole. */
	ASSERT_EQ(m->max_pfn, (unsigned long)((2ULL << 40) - (3ULL << 30)) >> PAGE_SHIFT);
	ASSERT_TRUE(m->memmap_blocks_ready < 2000);
	ASSERT_TRUE(verify_passes(m));
	struct page *p = alloc_pages(m, GFP_KERNEL, 10);
	ASSERT_TRUE(p && page_to_pfn(m, p) >= (1UL << (40 - PAGE_SHIFT)));
	__free_pages(m, p, 10);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_i386_highmem),
	TEST(test_i386_zone_boundary_inside_a_block),
	TEST(test_x86_64_above_4g),
	TEST(test_x86_64_hole_and_cma),
	TEST(test_held_block_keeps_its_place),
	TEST(test_verify_catches_broken_runs),
	TEST(test_1t_boots_lazily),
)
