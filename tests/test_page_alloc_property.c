/* test_page_alloc_property.c — randomized alloc/free sequences with fixed seeds.
 *
 * Every step runs the validators (nr_free equals the free lists; every free
 * block aligned to its order and inside its zone; no page both free and
 * allocated; coalescing complete). Every block carries a cookie in each of
 * its pages, checked when it is freed: nothing the allocator does may touch
 * memory it handed out. The same check runs under each profile and arch. */
#include "helpers.h"
#include "test.h"

struct block {
	struct page *page;
	unsigned int order;
	uint64_t cookie;
};

static void stamp(struct machine *m, struct block *b)
{
	unsigned char *p = page_host_address(m, b->page);

	for (unsigned long i = 0; i < (1UL << b->order); i++) {
		uint64_t c = b->cookie + i;
		memcpy(p + i * PAGE_SIZE, &c, sizeof(c));
		memcpy(p + i * PAGE_SIZE + PAGE_SIZE - sizeof(c), &c, sizeof(c));
	}
}

static bool stamp_intact(struct machine *m, const struct block *b)
{
	const unsigned char *p = page_host_address(m, b->page);

	for (unsigned long i = 0; i < (1UL << b->order); i++) {
		uint64_t head, tail, c = b->cookie + i;
		memcpy(&head, p + i * PAGE_SIZE, sizeof(head));
		memcpy(&tail, p + i * PAGE_SIZE + PAGE_SIZE - sizeof(tail), sizeof(tail));
		if (head != c || tail != c)
			return false;
	}
	return true;
}

/* Orders skewed small: half order 0, then geometrically fewer up to 10. */
static unsigned int random_order(uint64_t *s)
{
	unsigned int order = 0;

	while (order < MAX_ORDER - 1 && (xorshift64(s) & 1))
		order++;
	return order;
}

static const gfp_t gfps[] = {
	GFP_KERNEL, GFP_KERNEL | __GFP_ZERO, GFP_HIGHUSER_MOVABLE, GFP_USER, GFP_ATOMIC,
	GFP_NOWAIT, GFP_DMA, GFP_DMA32, GFP_KERNEL | __GFP_RECLAIMABLE, GFP_HIGHUSER,
	GFP_KERNEL | __GFP_NORETRY,
};

/*
 * A failure the allocator must not have: a zone the GFP mask may use holds
 * twice its high watermark (with any boost) free beyond its lowmem_reserve
 * — above every watermark whatever the flags — and a free block of the
 * order asked for on a list the request may take from. The fast path then
 * takes it (falling back, or stealing, from another migratetype if need
 * be). Higher orders fail legitimately only on fragmented or nearly full
 * machines, where no zone has both.
 */
static bool failure_is_wrong(struct machine *m, gfp_t gfp, unsigned int order)
{
	for (int i = 0; i <= gfp_zone(m, gfp); i++) {
		struct zone *z = &m->node.node_zones[i];
		if (!z->managed_pages)
			continue;
		if (zone_well_above_high(z) && zone_has_free_block(z, order))
			return true;
	}
	return false;
}

static bool run_sequence(const struct machine_desc *d, uint64_t seed, unsigned long steps,
			 unsigned long verify_every)
{
	char err[256];
	struct machine *m = mmsim_boot(d, err, sizeof(err));
	ASSERT_TRUE(m);
	size_t cap = 4096, live = 0;
	struct block *blocks = calloc(cap, sizeof(*blocks));
	ASSERT_TRUE(blocks);
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 1;
	unsigned long failures = 0;

	drain_all_pages(m);
	unsigned long free_at_start = global_zone_page_state(m, NR_FREE_PAGES);
	for (unsigned long step = 0; step < steps; step++) {
		uint64_t r = xorshift64(&s);
		m->cur_cpu = (unsigned int)(r >> 60) % m->nr_cpus;
		bool do_alloc = live == 0 || (live < cap && (r % 100) < 55);
		if (do_alloc) {
			gfp_t gfp = gfps[(r >> 8) % ARRAY_SIZE(gfps)] | __GFP_NOWARN;
			unsigned int order = random_order(&s);
			struct page *p = alloc_pages(m, gfp, order);
			if (!p) {
				if (failure_is_wrong(m, gfp, order)) {
					fprintf(stderr, "seed %" PRIu64 ": order-%u allocation (gfp %#x) failed at step %lu with a free block and free memory\n",
						seed, order, (unsigned int)gfp, step);
					return false;
				}
				failures++;
			} else {
				ASSERT_EQ(page_to_pfn(m, p) & ((1UL << order) - 1), 0);
				ASSERT_TRUE((int)page_zonenum(p) <= gfp_zone(m, gfp));
				if (gfp & __GFP_ZERO) {
					const unsigned char *bytes = page_host_address(m, p);
					for (size_t i = 0; i < PAGE_SIZE << order; i += 512)
						ASSERT_EQ(bytes[i], 0);
				}
				blocks[live] = (struct block){ p, order, xorshift64(&s) };
				stamp(m, &blocks[live]);
				live++;
			}
		} else {
			size_t i = (size_t)(r >> 16) % live;
			ASSERT_TRUE(stamp_intact(m, &blocks[i]));
			__free_pages(m, blocks[i].page, blocks[i].order);
			blocks[i] = blocks[--live];
		}
		if ((r >> 32) % 500 == 0)
			drain_all_pages(m);
		if (step % verify_every == 0 && verify(m)) {
			fprintf(stderr, "seed %" PRIu64 ": validators failed at step %lu\n", seed, step);
			return false;
		}
	}
	for (size_t i = 0; i < live; i++) {
		ASSERT_TRUE(stamp_intact(m, &blocks[i]));
		__free_pages(m, blocks[i].page, blocks[i].order);
	}
	drain_all_pages(m);
	/* Everything came back, and merged back into the blocks boot made. */
	ASSERT_EQ(global_zone_page_state(m, NR_FREE_PAGES), free_at_start);
	ASSERT_EQ(verify(m), 0);
	ASSERT_EQ(m->nr_bad_pages, 0);
	/* Some high-order requests fail on every machine; none on the big ones would
	 * mean the allocator refused everything (the tiny machine fails the most). */
	ASSERT_TRUE(failures < steps / 2);
	free(blocks);
	mmsim_destroy(m);
	return true;
}

static bool test_i386_small_every_step(void)
{
	struct machine_desc d;

	mmsim_desc_init(&d);
	d.mem_bytes = 48 * MiB;
	d.nr_cpus = 2;
	for (uint64_t seed = 1; seed <= 4; seed++)
		if (!run_sequence(&d, seed, 4000, 1))
			return false;
	return true;
}

static bool test_i386_highmem(void)
{
	struct machine_desc d;

	mmsim_desc_init(&d);
	d.mem_bytes = 1024 * MiB;
	d.nr_cpus = 4;
	return run_sequence(&d, 7, 30000, 250);
}

static bool test_x86_64_three_zones(void)
{
	struct machine_desc d;

	mmsim_desc_init(&d);
	d.arch = MMSIM_ARCH_X86_64;
	d.mem_bytes = 4608 * MiB;
	d.nr_cpus = 2;
	return run_sequence(&d, 11, 30000, 1000);
}

static bool test_classic_profile(void)
{
	struct machine_desc d;

	mmsim_desc_init(&d);
	d.profile = "classic";
	d.mem_bytes = 64 * MiB;
	d.nr_cpus = 1;
	for (uint64_t seed = 21; seed <= 22; seed++)
		if (!run_sequence(&d, seed, 3000, 1))
			return false;
	return true;
}

/* Near exhaustion: most allocations fail, fallbacks and stealing happen. */
static bool test_tiny_machine_under_pressure(void)
{
	struct machine_desc d;

	mmsim_desc_init(&d);
	d.mem_bytes = 40 * MiB;
	d.nr_cpus = 1;
	return run_sequence(&d, 99, 20000, 10);
}

TEST_MAIN(
	TEST(test_i386_small_every_step),
	TEST(test_i386_highmem),
	TEST(test_x86_64_three_zones),
	TEST(test_classic_profile),
	TEST(test_tiny_machine_under_pressure),
)
