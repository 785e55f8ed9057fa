/* test_slab_stress.c — SLUB under a seeded random workload.
 *
 * Millions of kmalloc / kmem_cache_alloc / free operations over the kmalloc
 * caches and a set of dedicated caches (aligned, with a constructor-free
 * RCU-style layout, reclaimable, one with slub_debug), on two CPUs that
 * take turns, with occasional shrinks and resizes of the per-CPU object
 * arrays. Every object is filled with a cookie
 * derived from its address and checked when freed; the validators run
 * throughout; at the end every cache is emptied and destroyed and the
 * buddy allocator must hold exactly the pages it held before.
 * The same seed always gives the same run. */
#include "test.h"
#include "helpers.h"
#include "mm/slab.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static inline uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct live {
	unsigned long addr;
	unsigned int size;
	int cache;		/* -1: kmalloc */
};

#define NR_CACHES 6
#define SLOTS 40000

static uint64_t cookie(unsigned long addr)
{
	return addr * 0x9e3779b97f4a7c15ULL ^ 0x5a5a5a5a5a5a5a5aULL;
}

/* Cookie the first and last 16 bytes (or all of a small object). */
static void fill(struct machine *m, const struct live *l)
{
	unsigned char *p = mmsim_kaddr(m, l->addr);
	uint64_t c = cookie(l->addr);
	unsigned int n = l->size / 2 < 16 ? l->size / 2 : 16;

	for (unsigned int i = 0; i < n; i++) {
		p[i] = (unsigned char)(c >> (8 * (i & 7)));
		p[l->size - 1 - i] = (unsigned char)(c >> (8 * (i & 7))) ^ 0xff;
	}
}

static bool intact(struct machine *m, const struct live *l)
{
	const unsigned char *p = mmsim_kaddr(m, l->addr);
	uint64_t c = cookie(l->addr);
	unsigned int n = l->size / 2 < 16 ? l->size / 2 : 16;

	for (unsigned int i = 0; i < n; i++)
		if (p[i] != (unsigned char)(c >> (8 * (i & 7))) ||
		    p[l->size - 1 - i] != ((unsigned char)(c >> (8 * (i & 7))) ^ 0xff))
			return false;
	return true;
}

static unsigned int pick_size(void)
{
	uint64_t r = next_rand();
	unsigned int bucket = r % 100;

	if (bucket < 50)
		return 8 + (unsigned int)(r >> 8) % 120;
	if (bucket < 80)
		return 128 + (unsigned int)(r >> 8) % 384;
	if (bucket < 95)
		return 512 + (unsigned int)(r >> 8) % 1536;
	if (bucket < 99)
		return 2048 + (unsigned int)(r >> 8) % 6144;
	return 8193 + (unsigned int)(r >> 8) % 30000;	/* large kmalloc */
}

static bool stress(enum mmsim_arch arch, uint64_t mib, unsigned long ops)
{
	struct machine *m = boot(arch, mib, 2);
	ASSERT_TRUE(m);
	if (!m->slab)
		ASSERT_EQ(kmem_cache_init(m), 0);
	drain_all_pages(m);
	unsigned long before = global_zone_page_state(m, NR_FREE_PAGES);

	static const struct { const char *name; unsigned int size, align; slab_flags_t flags; } desc[NR_CACHES] = {
		{ "s_tiny", 12, 0, 0 },
		{ "s_line", 100, 0, SLAB_HWCACHE_ALIGN },
		{ "s_rcu", 200, 0, SLAB_TYPESAFE_BY_RCU },
		{ "s_rcl", 700, 64, SLAB_RECLAIM_ACCOUNT },
		{ "s_big", 5000, 0, 0 },
		{ "s_debug", 48, 0, SLAB_RED_ZONE | SLAB_POISON | SLAB_CONSISTENCY_CHECKS | SLAB_STORE_USER },
	};
	struct kmem_cache *caches[NR_CACHES];
	for (int i = 0; i < NR_CACHES; i++)
		ASSERT_TRUE(caches[i] = kmem_cache_create(m, desc[i].name, desc[i].size, desc[i].align,
							   desc[i].flags, NULL));
	static struct live slot[SLOTS];
	memset(slot, 0, sizeof(slot));
	unsigned long live = 0, allocs = 0, fails = 0;
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_KERNEL, GFP_KERNEL, GFP_ATOMIC,
				       GFP_KERNEL_ACCOUNT, GFP_KERNEL | __GFP_RECLAIMABLE,
				       GFP_KERNEL | GFP_DMA, GFP_KERNEL | __GFP_ZERO };

	for (unsigned long op = 0; op < ops; op++) {
		uint64_t r = next_rand();
		struct live *l = &slot[(r >> 16) % SLOTS];
		if (l->addr) {
			if (!intact(m, l)) {
				fprintf(stderr, "op %lu: object %#lx (size %u) lost its cookie\n", op, l->addr,
					l->size);
				return false;
			}
			if (l->cache < 0)
				kfree(m, l->addr);
			else
				kmem_cache_free(m, caches[l->cache], l->addr);
			l->addr = 0;
			live--;
		} else {
			if ((r & 7) < 5) {
				l->cache = -1;
				l->size = pick_size();
				gfp_t gfp = gfps[(r >> 40) % ARRAY_SIZE(gfps)];
				if ((gfp & GFP_DMA) && l->size > 1024)
					gfp &= ~GFP_DMA;	/* ZONE_DMA is 16 MiB */
				l->addr = kmalloc(m, l->size, gfp | __GFP_NOWARN);
				if (l->addr && (gfp & __GFP_ZERO))
					for (unsigned int i = 0; i < l->size; i += 61)
						ASSERT_EQ(((unsigned char *)mmsim_kaddr(m, l->addr))[i], 0);
				if (l->addr)
					ASSERT_TRUE(ksize(m, l->addr) >= l->size);
			} else {
				l->cache = (int)((r >> 24) % NR_CACHES);
				l->size = desc[l->cache].size;
				l->addr = kmem_cache_alloc(m, caches[l->cache], GFP_KERNEL | __GFP_NOWARN);
			}
			if (!l->addr) {
				fails++;
				continue;
			}
			fill(m, l);
			live++;
			allocs++;
		}
		if ((r >> 56) == 0)
			m->cur_cpu = (m->cur_cpu + 1) % m->nr_cpus;
		if ((op & 0x3ffff) == 0x20000)
			kmem_cache_shrink(m, caches[(op >> 18) % NR_CACHES]);
		if ((op & 0x3ffff) == 0x30000) {
			/* Resize a kmalloc cache's per-CPU arrays (0: none), draining them. */
			static const unsigned int limits[] = { 0, 1, 7, 120 };
			unsigned int lim = limits[(op >> 18) % ARRAY_SIZE(limits)];
			struct kmem_cache *k = kmalloc_slab(m, 64U << ((op >> 20) % 6), GFP_KERNEL);
			ASSERT_EQ(mmsim_slab_tune(m, k, lim, (lim + 1) / 2), 0);
		}
		if ((op & 0x3ffff) == 0x3ffff) {
			unsigned long bad = slab_verify(m, stderr);
			if (bad) {
				fprintf(stderr, "op %lu: %lu slab problems\n", op, bad);
				return false;
			}
			ASSERT_EQ(mmsim_verify(m, stderr), 0);
		}
	}
	ASSERT_TRUE(allocs > ops / 3);
	ASSERT_EQ(fails, 0);
	/* The debug cache saw no bad operation: nothing reported. */
	ASSERT_EQ(m->slab->nr_reports, 0);

	for (size_t i = 0; i < SLOTS; i++) {
		struct live *l = &slot[i];
		if (!l->addr)
			continue;
		ASSERT_TRUE(intact(m, l));
		if (l->cache < 0)
			kfree(m, l->addr);
		else
			kmem_cache_free(m, caches[l->cache], l->addr);
		l->addr = 0;
	}
	ASSERT_EQ(slab_verify(m, stderr), 0);
	for (int i = 0; i < NR_CACHES; i++) {
		kmem_cache_destroy(m, caches[i]);
		ASSERT_TRUE(!mmsim_kmem_cache_find(m, desc[i].name));
	}
	for (struct list_head *h = m->slab->slab_caches.next; h != &m->slab->slab_caches; h = h->next) {
		struct kmem_cache *s = list_entry(h, struct kmem_cache, list);
		if (s != m->slab->kmem_cache && s != m->slab->kmem_cache_node)
			kmem_cache_shrink(m, s);
	}
	drain_all_pages(m);
	/* Every page the workload took is back (the boot caches keep their own). */
	ASSERT_EQ(global_zone_page_state(m, NR_FREE_PAGES), before);
	ASSERT_EQ(slab_verify(m, stderr) + mmsim_verify(m, stderr), 0);
	kmem_cache_release(m);
	mmsim_destroy(m);
	return true;
}

static bool test_stress_i386(void)
{
	return stress(MMSIM_ARCH_I386, 1024, 2000000);
}

static bool test_stress_x86_64(void)
{
	return stress(MMSIM_ARCH_X86_64, 2048, 2000000);
}

TEST_MAIN(TEST(test_stress_i386), TEST(test_stress_x86_64))
