/* test_page_alloc.c — the buddy allocator: splitting, merging, zones,
 * watermarks, lowmem_reserve, per-CPU lists, bad frees and page contents. */
#include "helpers.h"
#include "mm/internal.h"
#include "test.h"

static struct zone *Z(struct machine *m, enum zone_type t)
{
	return &m->node.node_zones[t];
}

static unsigned long nr_free(struct machine *m, enum zone_type t)
{
	return zone_page_state(Z(m, t), NR_FREE_PAGES);
}

/*
 * Splitting an order-10 block for an order-3 request leaves one free block
 * at each of orders 3..9; freeing it merges them all back.
 *   order 10: AAAAAAAAAAAAAAAA  ->  order 3 taken, 3,4,...,9 free halves
 */
static bool test_split_and_coalesce(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	struct zone *z = Z(m, ZONE_NORMAL);
	unsigned long before[MAX_ORDER];

	for (int o = 0; o < MAX_ORDER; o++)
		before[o] = z->free_area[o].nr_free;
	/*
	 * Order 4 is above PAGE_ALLOC_COSTLY_ORDER, so it skips the pcp lists;
	 * a movable request is served from the movable lists boot filled
	 * (an unmovable one would first steal a pageblock).
	 */
	struct page *p = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 4);
	ASSERT_TRUE(p);
	unsigned long pfn = page_to_pfn(m, p);
	ASSERT_EQ(pfn & 15, 0);			/* naturally aligned */
	ASSERT_EQ(page_zonenum(p), ZONE_NORMAL);
	ASSERT_EQ(page_ref_count(p), 1);
	/* The smallest block that fit was split: each order below it gained one. */
	int split_from = 4;
	while (split_from < MAX_ORDER && z->free_area[split_from].nr_free == before[split_from])
		split_from++;
	ASSERT_TRUE(split_from < MAX_ORDER);
	ASSERT_EQ(z->free_area[split_from].nr_free, before[split_from] - 1);
	for (int o = 4; o < split_from; o++)
		ASSERT_EQ(z->free_area[o].nr_free, before[o] + 1);
	ASSERT_EQ(verify(m), 0);
	__free_pages(m, p, 4);
	for (int o = 0; o < MAX_ORDER; o++)
		ASSERT_EQ(z->free_area[o].nr_free, before[o]);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* Every order can be allocated and freed; the free count comes back exactly. */
static bool test_all_orders_round_trip(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 1024, 2);
	ASSERT_TRUE(m);
	struct page *pages[MAX_ORDER];

	drain_all_pages(m);
	unsigned long free_before = global_zone_page_state(m, NR_FREE_PAGES);
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		pages[o] = alloc_pages(m, GFP_KERNEL, o);
		ASSERT_TRUE(pages[o]);
		ASSERT_EQ(page_to_pfn(m, pages[o]) & ((1UL << o) - 1), 0);
	}
	ASSERT_EQ(verify(m), 0);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		__free_pages(m, pages[o], o);
	drain_all_pages(m);
	ASSERT_EQ(global_zone_page_state(m, NR_FREE_PAGES), free_before);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* gfp_zone(): the four zone bits select the highest usable zone. */
static bool test_gfp_zone_tables(void)
{
	struct machine *m32 = boot(MMSIM_ARCH_I386, 2048, 1);
	struct machine *m64 = boot(MMSIM_ARCH_X86_64, 8192, 1);
	ASSERT_TRUE(m32 && m64);

	ASSERT_EQ(gfp_zone(m32, GFP_KERNEL), ZONE_NORMAL);
	ASSERT_EQ(gfp_zone(m32, GFP_DMA), ZONE_DMA);
	ASSERT_EQ(gfp_zone(m32, GFP_HIGHUSER), ZONE_HIGHMEM);
	ASSERT_EQ(gfp_zone(m32, GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	ASSERT_EQ(gfp_zone(m32, GFP_DMA32), ZONE_NORMAL);	/* no DMA32 on i386 */
	ASSERT_EQ(gfp_zone(m64, GFP_DMA32), ZONE_DMA32);
	ASSERT_EQ(gfp_zone(m64, GFP_HIGHUSER), ZONE_NORMAL);	/* no HighMem on x86_64 */
	ASSERT_EQ(gfp_zone(m64, __GFP_MOVABLE | __GFP_DMA), ZONE_DMA);
	ASSERT_EQ(gfp_zone(m64, __GFP_DMA | __GFP_HIGHMEM), -1);	/* GFP_ZONE_BAD */
	ASSERT_EQ(gfp_zone(m64, __GFP_DMA | __GFP_DMA32), -1);
	ASSERT_TRUE(!alloc_pages(m64, __GFP_DMA | __GFP_DMA32, 0));
	mmsim_destroy(m32);
	mmsim_destroy(m64);
	return true;
}

static bool test_gfp_names_round_trip(void)
{
	const char *bad;
	size_t len;
	gfp_t g;
	char *text = NULL;

	ASSERT_EQ(mmsim_gfp_parse("GFP_KERNEL|__GFP_ZERO", &g, &bad, &len), 0);
	ASSERT_EQ(g, 0xdc0);
	CAPTURE(text, mmsim_gfp_format(_f, g));
	ASSERT_STR_CONTAINS(text, "GFP_KERNEL|__GFP_ZERO");
	free(text);
	ASSERT_EQ(mmsim_gfp_parse("GFP_HIGHUSER_MOVABLE", &g, &bad, &len), 0);
	ASSERT_EQ(g, 0x100cca);
	ASSERT_EQ(mmsim_gfp_parse("GFP_ATOMIC", &g, &bad, &len), 0);
	ASSERT_EQ(g, 0xa20);
	ASSERT_EQ(mmsim_gfp_parse("0x2", &g, &bad, &len), 0);
	ASSERT_EQ(g, __GFP_HIGHMEM);
	ASSERT_TRUE(mmsim_gfp_parse("GFP_KERNEL|GFP_BOGUS", &g, &bad, &len) < 0);
	ASSERT_EQ(len, 9);
	ASSERT_TRUE(!strncmp(bad, "GFP_BOGUS", len));
	return true;
}

/* Zones are chosen by the request's flags, highest usable zone first. */
static bool test_zone_selection(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	struct page *dma = alloc_pages(m, GFP_DMA, 0);
	struct page *high = alloc_pages(m, GFP_HIGHUSER, 0);
	struct page *kern = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(dma && high && kern);
	ASSERT_EQ(page_zonenum(dma), ZONE_DMA);
	ASSERT_EQ(page_zonenum(high), ZONE_HIGHMEM);
	ASSERT_EQ(page_zonenum(kern), ZONE_NORMAL);
	/* A highmem page has no permanent kernel address; lowmem pages do. */
	ASSERT_EQ(page_address(m, high), 0);
	ASSERT_EQ(page_address(m, kern), 0xc0000000ULL + PFN_PHYS(page_to_pfn(m, kern)));
	ASSERT_EQ(__get_free_pages(m, GFP_HIGHUSER, 0) >= 0xc0000000UL, 1);
	__free_pages(m, dma, 0);
	__free_pages(m, high, 0);
	__free_pages(m, kern, 0);
	mmsim_destroy(m);
	return true;
}

/*
 * Exhaust HighMem with GFP_HIGHUSER: allocations fall back to Normal, then
 * stop before Normal and DMA go below min + lowmem_reserve[HighMem].
 */
static bool test_fallback_and_lowmem_reserve(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 1024, 1);
	ASSERT_TRUE(m);
	size_t cap = 300000, n = 0;
	struct page **held = malloc(cap * sizeof(*held));
	ASSERT_TRUE(held);
	bool saw_normal = false;

	for (;;) {
		struct page *p = alloc_pages(m, GFP_HIGHUSER | __GFP_NOWARN, 0);
		if (!p)
			break;
		ASSERT_TRUE(n < cap);
		held[n++] = p;
		if (page_zonenum(p) == ZONE_NORMAL)
			saw_normal = true;
		ASSERT_TRUE(page_zonenum(p) != ZONE_DMA || nr_free(m, ZONE_DMA) + 1 >
			    min_wmark_pages(Z(m, ZONE_DMA)) + Z(m, ZONE_DMA)->lowmem_reserve[ZONE_HIGHMEM]);
	}
	ASSERT_TRUE(saw_normal);
	/* Normal and DMA kept their reserve against highmem-capable callers. */
	ASSERT_TRUE(nr_free(m, ZONE_NORMAL) >= min_wmark_pages(Z(m, ZONE_NORMAL)) / 2);
	ASSERT_TRUE(nr_free(m, ZONE_DMA) >=
		    (unsigned long)Z(m, ZONE_DMA)->lowmem_reserve[ZONE_HIGHMEM]);
	/* ...which a GFP_KERNEL request can still use. */
	struct page *k = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(k);
	__free_pages(m, k, 0);
	ASSERT_EQ(verify(m), 0);
	for (size_t i = 0; i < n; i++)
		__free_pages(m, held[i], 0);
	free(held);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * fallbacks[]: when its own lists are empty, an unmovable request steals
 * from a reclaimable pageblock before a movable one (and a reclaimable
 * request from an unmovable one before a movable one). Make one whole free
 * reclaimable pageblock, empty the unmovable lists, and see where the
 * first unmovable page that is not from an unmovable pageblock comes from.
 */
static bool test_fallback_migratetype_order(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	struct zone *z = Z(m, ZONE_NORMAL);
	unsigned long nr_blocks = (zone_end_pfn(z) - z->zone_start_pfn) >> m->pageblock_order;
	unsigned char *was = calloc(nr_blocks, 1);
	ASSERT_TRUE(was);

	/* A reclaimable page steals a whole pageblock (its lists are empty after boot)... */
	struct page *r = alloc_pages(m, GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	ASSERT_TRUE(r);
	unsigned long rblock = page_to_pfn(m, r) >> m->pageblock_order;
	ASSERT_EQ(get_pageblock_migratetype(m, page_to_pfn(m, r)), MIGRATE_RECLAIMABLE);
	/* ...which stays reclaimable, and whole, once the page and its pcp batch come back. */
	__free_pages(m, r, 0);
	drain_all_pages(m);
	ASSERT_TRUE(!list_empty(&z->free_area[MAX_ORDER - 1].free_list[MIGRATE_RECLAIMABLE]));
	ASSERT_TRUE(!list_empty(&z->free_area[MAX_ORDER - 1].free_list[MIGRATE_MOVABLE]));
	for (unsigned long b = 0; b < nr_blocks; b++)
		was[b] = (unsigned char)get_pageblock_migratetype(m, z->zone_start_pfn +
								 (b << m->pageblock_order));
	ASSERT_EQ(was[rblock - (z->zone_start_pfn >> m->pageblock_order)], MIGRATE_RECLAIMABLE);

	/* Unmovable pages until one comes from a block that was not unmovable. */
	size_t cap = 20000, n = 0;
	struct page **held = malloc(cap * sizeof(*held));
	ASSERT_TRUE(held);
	unsigned long stolen = ~0UL;
	while (stolen == ~0UL) {
		struct page *p = alloc_pages(m, GFP_KERNEL, 0);
		ASSERT_TRUE(p && n < cap);
		held[n++] = p;
		if (page_zonenum(p) != ZONE_NORMAL)
			continue;
		unsigned long b = (page_to_pfn(m, p) - z->zone_start_pfn) >> m->pageblock_order;
		if (was[b] != MIGRATE_UNMOVABLE)
			stolen = b;
	}
	ASSERT_EQ(was[stolen], MIGRATE_RECLAIMABLE);
	ASSERT_EQ(stolen, rblock - (z->zone_start_pfn >> m->pageblock_order));
	/* An unmovable request steals the whole block (can_steal_fallback). */
	ASSERT_EQ(get_pageblock_migratetype(m, page_to_pfn(m, held[n - 1])),
		  MIGRATE_UNMOVABLE);
	for (size_t i = 0; i < n; i++)
		__free_pages(m, held[i], 0);
	free(held);
	free(was);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* The failure warning names the order and mode as the kernel does; __GFP_NOWARN silences it. */
static bool test_allocation_failure_warning(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	/* DMA's 3840 pages hold three order-10 blocks: the fourth request fails. */
	struct page *blocks[4];
	int got = 0;
	while (got < 4 && (blocks[got] = alloc_pages(m, GFP_DMA, 10)))
		got++;
	ASSERT_EQ(got, 3);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "mmsim: page allocation failure: order:10, mode:0x1(GFP_DMA), "
			    "nodemask=(null),cpuset=/,mems_allowed=0\n");
	free(log);
	ASSERT_TRUE(!alloc_pages(m, GFP_KERNEL, MAX_ORDER));
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c __alloc_pages");
	free(log);
	while (got--)
		__free_pages(m, blocks[got], 10);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* Atomic requests may dig below the min watermark (ALLOC_HARDER | ALLOC_HIGH). */
static bool test_atomic_digs_deeper(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 512, 1);
	ASSERT_TRUE(m);
	size_t cap = 200000, n = 0;
	struct page **held = malloc(cap * sizeof(*held));
	ASSERT_TRUE(held);
	struct page *p;

	while ((p = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 0)) && n < cap)
		held[n++] = p;
	struct zone *z = Z(m, ZONE_DMA32);
	unsigned long at_kernel_limit = nr_free(m, ZONE_DMA32);
	ASSERT_TRUE(at_kernel_limit <= min_wmark_pages(z) + 1);
	while ((p = alloc_pages(m, GFP_ATOMIC | __GFP_NOWARN, 0)) && n < cap)
		held[n++] = p;
	ASSERT_TRUE(nr_free(m, ZONE_DMA32) < at_kernel_limit);
	/*
	 * ALLOC_HIGH halves min, ALLOC_HARDER takes a further quarter: 3/8 of
	 * min remain — less up to one pcp batch, which a refill takes at once.
	 */
	long limit = (long)(min_wmark_pages(z) - min_wmark_pages(z) / 2);
	limit -= limit / 4;
	ASSERT_TRUE((long)nr_free(m, ZONE_DMA32) <= limit + 1);
	ASSERT_TRUE((long)nr_free(m, ZONE_DMA32) >= limit - z->per_cpu_pageset[0].batch);
	ASSERT_EQ(verify(m), 0);
	for (size_t i = 0; i < n; i++)
		__free_pages(m, held[i], 0);
	free(held);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* Order-0 frees go to the per-CPU list; reaching pcp->high drains a batch. */
static bool test_pcp_lists(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 2);
	ASSERT_TRUE(m);
	struct zone *z = Z(m, ZONE_NORMAL);
	struct per_cpu_pages *pcp = &z->per_cpu_pageset[0];

	drain_all_pages(m);			/* boot's last page-table split used the pcp */
	ASSERT_EQ(pcp->batch, 63);		/* as the real kernel shows */
	ASSERT_EQ(pcp->high, (int)(low_wmark_pages(z) / 2));	/* split over 2 CPUs */
	struct page *p = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(p);
	/* The first allocation filled the list with a batch and took one. */
	ASSERT_EQ(pcp->count, 62);
	__free_pages(m, p, 0);
	ASSERT_EQ(pcp->count, 63);
	/* CPU 1's list is separate. */
	ASSERT_EQ(z->per_cpu_pageset[1].count, 0);
	size_t n = (size_t)pcp->high + 200;
	struct page **held = malloc(n * sizeof(*held));
	ASSERT_TRUE(held);
	for (size_t i = 0; i < n; i++)
		ASSERT_TRUE((held[i] = alloc_pages(m, GFP_KERNEL, 0)));
	for (size_t i = 0; i < n; i++) {
		__free_pages(m, held[i], 0);
		ASSERT_TRUE(pcp->count < pcp->high);
	}
	free(held);
	ASSERT_EQ(verify(m), 0);
	drain_all_pages(m);
	ASSERT_EQ(pcp->count, 0);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * A high-order pcp refill takes batch >> order blocks, but at least two
 * (rmqueue_pcplist): with i386 128M's Normal batch of 3, an order-1 request
 * (3 >> 1 = 1) brings two order-1 blocks and leaves one on the list, an
 * order-2 one (3 >> 2 = 0) two order-2 blocks.
 */
static bool test_pcp_high_order_refill(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 128, 1);
	ASSERT_TRUE(m);
	struct zone *z = Z(m, ZONE_NORMAL);
	struct per_cpu_pages *pcp = &z->per_cpu_pageset[0];

	drain_all_pages(m);
	ASSERT_EQ(pcp->batch, 3);
	ASSERT_EQ(pcp->count, 0);
	struct page *p1 = alloc_pages(m, GFP_KERNEL, 1);
	ASSERT_TRUE(p1);
	ASSERT_EQ(pcp->count, 2);
	struct page *p2 = alloc_pages(m, GFP_KERNEL, 2);
	ASSERT_TRUE(p2);
	ASSERT_EQ(pcp->count, 2 + 4);
	__free_pages(m, p1, 1);
	__free_pages(m, p2, 2);
	drain_all_pages(m);
	ASSERT_EQ(pcp->count, 0);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * zone_highsize(): low watermark / CPUs, but never below four batches —
 * with many CPUs the floor decides (x86_64 1 GiB on 128 CPUs: DMA32's low
 * watermark over 128 is a few pages).
 */
static bool test_pcp_high_floor_many_cpus(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 1024, 128);
	ASSERT_TRUE(m);
	struct zone *z = Z(m, ZONE_DMA32);
	struct per_cpu_pages *pcp = &z->per_cpu_pageset[127];

	ASSERT_EQ(pcp->batch, 63);
	ASSERT_TRUE(low_wmark_pages(z) / 128 < 4 * 63);
	ASSERT_EQ(pcp->high, 4 * 63);
	ASSERT_EQ(z->per_cpu_pageset[0].high, 4 * 63);
	mmsim_destroy(m);
	return true;
}

/*
 * Blocks never merge across a zone boundary, even when the boundary is not
 * aligned. i386 1 GiB puts HighMem's start (max_low_pfn) at an odd
 * multiple of two pages; the initrd's relocated copy sits just below it
 * and is freed at the end of boot, so the last block of Normal and the
 * first of HighMem are free buddies by address, of the same order, and
 * must stay two blocks in two zones.
 */
static bool test_no_merge_across_zones(void)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.arch = MMSIM_ARCH_I386;
	d.mem_bytes = 1024 * MiB;
	d.nr_cpus = 1;
	d.initrd_bytes = 4 * MiB;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	ASSERT_TRUE(m);
	unsigned long boundary = Z(m, ZONE_HIGHMEM)->zone_start_pfn;
	ASSERT_EQ(zone_end_pfn(Z(m, ZONE_NORMAL)), boundary);
	unsigned int order = (unsigned int)__builtin_ctzl(boundary);
	ASSERT_TRUE(order < MAX_ORDER - 1);
	struct page *below = pfn_to_page(m, boundary - (1UL << order));
	struct page *above = pfn_to_page(m, boundary);
	ASSERT_TRUE(PageBuddy(below) && below->private == order);
	ASSERT_TRUE(PageBuddy(above) && above->private == order);
	ASSERT_EQ(page_zonenum(below), ZONE_NORMAL);
	ASSERT_EQ(page_zonenum(above), ZONE_HIGHMEM);
	ASSERT_EQ(verify(m), 0);
	/*
	 * The pageblock holding the boundary belongs to both zones: isolating
	 * it would leave HighMem's free pages counted on lists whose block
	 * reads isolated, so alloc_contig_range() refuses it, and
	 * alloc_contig_pages() looks past it.
	 */
	ASSERT_EQ(alloc_contig_range(m, boundary, boundary + (1UL << order), MIGRATE_MOVABLE,
				     GFP_KERNEL), -MMSIM_EINVAL);
	struct page *contig = alloc_contig_pages(m, 1UL << order, GFP_HIGHUSER_MOVABLE);
	ASSERT_TRUE(contig);
	ASSERT_EQ(page_zonenum(contig), ZONE_HIGHMEM);
	ASSERT_TRUE(page_to_pfn(m, contig) >= ALIGN_UP(boundary, m->pageblock_nr_pages));
	ASSERT_EQ(verify(m), 0);
	free_contig_range(m, page_to_pfn(m, contig), 1UL << order);
	drain_all_pages(m);
	ASSERT_TRUE(PageBuddy(above) && above->private == order);
	ASSERT_TRUE(PageBuddy(below) && below->private == order);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * A freed block that cannot merge now but could after its buddy is freed
 * (its pair's buddy one order up is already free) goes to the tail of its
 * free list (buddy_merge_likely), so the next allocation, which takes the
 * head, leaves it free to merge. Order 4 skips the pcp lists.
 *   P P+16 P+32 P+48:  held held free(order 5) -> free P: tail
 */
static bool test_free_to_tail_when_merge_likely(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	struct zone *z = Z(m, ZONE_NORMAL);
	enum { N = 128 };
	struct page *held[N];
	unsigned long pfns[N];

	for (int i = 0; i < N; i++) {
		ASSERT_TRUE((held[i] = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 4)));
		pfns[i] = page_to_pfn(m, held[i]);
	}
	/* Two order-6 groups whose four order-4 blocks are all held. */
	int group[2][4], found = 0;
	for (int i = 0; i < N && found < 2; i++) {
		if (pfns[i] & 63)
			continue;
		int g[4] = { i, -1, -1, -1 };
		for (int j = 0; j < N; j++)
			for (int k = 1; k < 4; k++)
				if (pfns[j] == pfns[i] + 16UL * (unsigned long)k)
					g[k] = j;
		if (g[1] >= 0 && g[2] >= 0 && g[3] >= 0 &&
		    page_zonenum(held[i]) == ZONE_NORMAL)
			memcpy(group[found++], g, sizeof(g));
	}
	ASSERT_EQ(found, 2);
	int *p = group[0], *r = group[1];
	__free_pages(m, held[p[2]], 4);
	__free_pages(m, held[p[3]], 4);		/* merge: order 5 at P+32 */
	__free_pages(m, held[r[0]], 4);		/* R: nothing to merge with soon: head */
	__free_pages(m, held[p[0]], 4);		/* P: its pair's buddy is free: tail */
	held[p[2]] = held[p[3]] = held[r[0]] = held[p[0]] = NULL;
	struct list_head *list = &z->free_area[4].free_list[MIGRATE_MOVABLE];
	ASSERT_TRUE(list_last_entry(list, struct page, buddy_list) == pfn_to_page(m, pfns[p[0]]));
	ASSERT_TRUE(list_first_entry(list, struct page, buddy_list) == pfn_to_page(m, pfns[r[0]]));
	struct page *next = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 4);
	ASSERT_TRUE(next);
	ASSERT_EQ(page_to_pfn(m, next), pfns[r[0]]);
	__free_pages(m, next, 4);
	/* P's buddy freed: the whole group merges. */
	__free_pages(m, held[p[1]], 4);
	held[p[1]] = NULL;
	struct page *head = pfn_to_page(m, pfns[p[0]]);
	ASSERT_TRUE(PageBuddy(head) && head->private >= 6);
	for (int i = 0; i < N; i++)
		if (held[i])
			__free_pages(m, held[i], 4);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* Freeing a free page is reported like the kernel does and changes nothing. */
static bool test_double_free_is_reported_not_corrupting(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	struct page *p = alloc_pages(m, GFP_KERNEL, 5);
	ASSERT_TRUE(p);
	__free_pages(m, p, 5);
	unsigned long free_before = global_zone_page_state(m, NR_FREE_PAGES);
	__free_pages(m, p, 5);
	ASSERT_EQ(global_zone_page_state(m, NR_FREE_PAGES), free_before);
	char *log = dmesg(m);
	char want[64];
	snprintf(want, sizeof(want), "BUG: Bad page state in process mmsim  pfn:%05lx\n",
		 page_to_pfn(m, p));
	ASSERT_STR_CONTAINS(log, want);
	ASSERT_STR_CONTAINS(log, "page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
	ASSERT_STR_CONTAINS(log, "Disabling lock debugging due to kernel taint");
	free(log);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

static bool test_wrong_order_and_reserved_frees(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	struct page *p = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(p);
	__free_pages(m, p, 2);		/* wrong order: refused, still allocated */
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "freed as order 2, allocated as order 0 (page_owner)");
	free(log);
	ASSERT_EQ(page_ref_count(p), 1);
	ASSERT_EQ(verify(m), 0);
	__free_pages(m, p, 0);		/* the right free still works */
	ASSERT_EQ(verify(m), 0);
	/* Page 0x10 is below 1 MiB: reserved by memblock, never the allocator's. */
	struct page *r = pfn_to_page(m, 0x10);
	ASSERT_TRUE(PageReserved(r));
	__free_pages(m, r, 0);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	ASSERT_STR_CONTAINS(log, "flags: 0x1000(reserved|zone=0)");
	free(log);
	ASSERT_TRUE(PageReserved(r));
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* Pages hold data; __GFP_ZERO clears what a previous owner wrote. */
static bool test_page_contents(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	struct page *p = alloc_pages(m, GFP_KERNEL, 1);
	ASSERT_TRUE(p);
	unsigned char *bytes = page_host_address(m, p);
	memset(bytes, 0xa5, 2 * PAGE_SIZE);
	ASSERT_EQ(bytes[2 * PAGE_SIZE - 1], 0xa5);
	unsigned long pfn = page_to_pfn(m, p);
	__free_pages(m, p, 1);
	drain_all_pages(m);
	/* The same frame comes back first (LIFO), zeroed on request. */
	struct page *q = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 1);
	ASSERT_TRUE(q);
	ASSERT_EQ(page_to_pfn(m, q), pfn);
	bytes = page_host_address(m, q);
	for (size_t i = 0; i < 2 * PAGE_SIZE; i++)
		ASSERT_EQ(bytes[i], 0);
	__free_pages(m, q, 1);
	unsigned long va = get_zeroed_page(m, GFP_KERNEL);
	ASSERT_TRUE(va >= 0xc0000000UL);
	free_page(m, va);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* sysctl writes recompute what the kernel's handlers recompute. */
static bool test_sysctls(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	unsigned long low = low_wmark_pages(Z(m, ZONE_NORMAL));
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/watermark_scale_factor", "200"), 0);
	/* Normal's low-min distance becomes 2% of managed pages. */
	ASSERT_NEAR(low_wmark_pages(Z(m, ZONE_NORMAL)) - min_wmark_pages(Z(m, ZONE_NORMAL)),
		    Z(m, ZONE_NORMAL)->managed_pages / 50, 1);
	ASSERT_TRUE(low_wmark_pages(Z(m, ZONE_NORMAL)) > low);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/watermark_scale_factor", "0"), -MMSIM_EINVAL);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/min_free_kbytes", "65536"), 0);
	ASSERT_NEAR(min_wmark_pages(Z(m, ZONE_DMA)) + min_wmark_pages(Z(m, ZONE_NORMAL)), 16384, 2);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/min_free_kbytes", "-1"), -MMSIM_EINVAL);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/lowmem_reserve_ratio", "128 16 0 0"), 0);
	ASSERT_EQ(Z(m, ZONE_NORMAL)->lowmem_reserve[ZONE_HIGHMEM],
		  (long)(Z(m, ZONE_HIGHMEM)->managed_pages / 16));
	char *text = proc(m, "/proc/sys/vm/lowmem_reserve_ratio");
	ASSERT_STR_CONTAINS(text, "128\t16\t0\t0\n");
	free(text);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/lowmem_reserve_ratio", "1 x"), -MMSIM_EINVAL);
	/* Reclaim's knobs: swappiness 0..200 (default 60), page-cluster any int >= 0 (default 3). */
	text = proc(m, "/proc/sys/vm/swappiness");
	ASSERT_TRUE(!strcmp(text, "60\n"));
	free(text);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/swappiness", "1"), 0);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/swappiness", "201"), -MMSIM_EINVAL);
	text = proc(m, "/proc/sys/vm/swappiness");
	ASSERT_TRUE(!strcmp(text, "1\n"));
	free(text);
	text = proc(m, "/proc/sys/vm/page-cluster");
	ASSERT_TRUE(!strcmp(text, "3\n"));
	free(text);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/page-cluster", "-1"), -MMSIM_EINVAL);
	mmsim_destroy(m);
	return true;
}

static bool test_proc_formats(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	char *t = proc(m, "/proc/buddyinfo");
	ASSERT_STR_CONTAINS(t, "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n");
	free(t);
	t = proc(m, "/proc/pagetypeinfo");
	ASSERT_STR_CONTAINS(t, "Page block order: 10\nPages per block:  1024\n\n");
	ASSERT_STR_CONTAINS(t, "Free pages count per migrate type at order       0      1");
	ASSERT_STR_CONTAINS(t, "Node    0, zone      DMA, type    Unmovable      0");
	/* pfn 0's pageblock is never marked movable at boot, as in the kernel. */
	ASSERT_STR_CONTAINS(t, "Node 0, zone      DMA            1            3            0            0            0 \n");
	ASSERT_STR_LACKS(t, "CMA");
	free(t);
	t = proc(m, "/proc/meminfo");
	ASSERT_STR_CONTAINS(t, "HighTotal:       1200008 kB\n");
	free(t);
	t = proc(m, "/proc/zoneinfo");
	ASSERT_STR_CONTAINS(t, "Node 0, zone  Movable\n  pages free     0\n        boost    0\n        min      32\n");
	ASSERT_STR_CONTAINS(t, "        protection: (0, 0, 9375, 9375)\n");
	free(t);
	ASSERT_EQ(mmsim_proc_read(m, "/proc/nonexistent", stdout), -MMSIM_ENOENT);
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_split_and_coalesce),
	TEST(test_all_orders_round_trip),
	TEST(test_gfp_zone_tables),
	TEST(test_gfp_names_round_trip),
	TEST(test_zone_selection),
	TEST(test_fallback_and_lowmem_reserve),
	TEST(test_fallback_migratetype_order),
	TEST(test_allocation_failure_warning),
	TEST(test_atomic_digs_deeper),
	TEST(test_pcp_lists),
	TEST(test_pcp_high_floor_many_cpus),
	TEST(test_pcp_high_order_refill),
	TEST(test_no_merge_across_zones),
	TEST(test_free_to_tail_when_merge_likely),
	TEST(test_double_free_is_reported_not_corrupting),
	TEST(test_wrong_order_and_reserved_frees),
	TEST(test_page_contents),
	TEST(test_sysctls),
	TEST(test_proc_formats),
)
