/* test_mixed_property.c — every allocator at once, with fixed seeds.
 *
 * A random mix of alloc_pages/__free_pages, kmalloc/kfree, vmalloc/vfree,
 * kmap/kunmap and kmap_atomic pairs. Every object is written through the
 * MMU at a kernel virtual address (direct map, vmalloc area or kmap) with a
 * cookie and read back before it is freed; each page block is also checked
 * through its frame. The validators of every subsystem run as it goes.
 * What one allocator does must never disturb another's memory.
 *
 * By default: 20 seeds, each a short run on one of four machines (i386
 * with HighMem on 1 and 2 GiB, x86_64 on 4.5 GiB, a 48 MiB i386). The long
 * mode takes one machine and a seed list from the environment:
 *   MMSIM_PROPERTY_OPS=N        operations per seed (enables the long mode)
 *   MMSIM_PROPERTY_SEEDS=LIST   "1,2,7-9" (default 1)
 *   MMSIM_PROPERTY_ARCH=i386|x86_64, MMSIM_PROPERTY_MEM=MiB (default 2048),
 *   MMSIM_PROPERTY_PROFILE=linux-6.1|classic, MMSIM_PROPERTY_CPUS=N
 *   MMSIM_PROPERTY_VERIFY_EVERY=N  validators every N steps (default 997;
 *                               the sanitizer build's CTest sets 1)
 *   MMSIM_PROPERTY_SHORT_STEPS=N   steps of each default run (the sanitizer
 *                               build's CTest shortens them to pay for that)
 * tools/property-sweep runs the default mode over many seeds. */
#include <mmsim/highmem.h>
#include <mmsim/slab.h>
#include <mmsim/vmalloc.h>

#include <errno.h>

#include "arch/x86/mmu.h"
#include "helpers.h"
#include "test.h"

enum kind { K_PAGES, K_KMALLOC, K_VMALLOC };

struct obj {
	enum kind kind;
	struct page *page;	/* K_PAGES */
	unsigned int order;
	uint64_t addr;		/* K_KMALLOC, K_VMALLOC */
	size_t size;
	uint64_t cookie;
	bool kmapped;		/* K_PAGES on HighMem: holds a kmap */
};

/*
 * Write the cookie at the start of the object and, where it does not
 * overlap the first, at its end, through the MMU.
 */
static bool put(struct machine *m, uint64_t va, size_t size, uint64_t cookie)
{
	return !mmu_write(m, m->cur_cpu, va, &cookie, 8, MMU_WRITE) &&
	       (size < 16 || !mmu_write(m, m->cur_cpu, va + size - 8, &cookie, 8, MMU_WRITE));
}

static bool check(struct machine *m, uint64_t va, size_t size, uint64_t cookie)
{
	uint64_t a = 0, b = cookie;
	return !mmu_read(m, m->cur_cpu, va, &a, 8, MMU_READ) &&
	       (size < 16 || !mmu_read(m, m->cur_cpu, va + size - 8, &b, 8, MMU_READ)) &&
	       a == cookie && b == cookie;
}

/* A page block's kernel address: lowmem directly, HighMem through kmap. */
static uint64_t block_va(struct machine *m, struct obj *o)
{
	bool sleep;
	if (!PageHighMem(m, o->page))
		return page_address(m, o->page);
	if (!o->kmapped) {
		uint64_t va = kmap(m, o->page, &sleep);
		if (!va)
			return 0;	/* every slot held: use kmap_atomic instead */
		o->kmapped = true;
		return va;
	}
	return page_address(m, o->page);
}

/* Free pages the zones up to ZONE_NORMAL hold: what GFP_KERNEL may take. */
static unsigned long lowmem_free_pages(struct machine *m)
{
	unsigned long free = 0;

	for (int i = 0; i < __MAX_NR_ZONES; i++)
		if (!m->node.node_zones[i].is_highmem && i != ZONE_MOVABLE)
			free += zone_page_state(&m->node.node_zones[i], NR_FREE_PAGES);
	return free;
}

/*
 * An allocation that must not fail: order 0 (a page, or a kmalloc whose
 * cache's minimum slab order is 0: up to PAGE_SIZE / 2) with GFP_KERNEL
 * while a zone it may use holds twice its high watermark free, beyond its
 * lowmem_reserve. The watermarks include the boost a fallback steal adds
 * (boost_watermark: a whole pageblock on small zones): kswapd would drop
 * it, but nothing runs kswapd here, so on the 48 MiB machine the boost
 * alone can put min above what is free and fail the request, as the
 * kernel's watermark check would. Higher orders may fail for
 * fragmentation alone: the test's pages are unmovable, so neither reclaim
 * nor compaction helps.
 */
static bool failure_is_wrong(struct machine *m, unsigned int order)
{
	if (order)
		return false;
	for (int i = 0; i < __MAX_NR_ZONES; i++) {
		struct zone *z = &m->node.node_zones[i];
		if (z->is_highmem || i == ZONE_MOVABLE || !z->managed_pages)
			continue;
		if (zone_well_above_high(z))
			return true;
	}
	return false;
}

struct run_desc {
	enum mmsim_arch arch;
	const char *profile;
	uint64_t mib;
	unsigned int cpus;
	long steps;
	long verify_every;
};

static bool run_desc(const struct run_desc *d, uint64_t seed)
{
	struct machine *m = boot_profile(d->profile, d->arch, d->mib, d->cpus);
	ASSERT_TRUE(m);
	long steps = d->steps;
	size_t cap = 3000, n = 0;
	struct obj *objs = calloc(cap, sizeof(*objs));
	ASSERT_TRUE(objs);
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 7;

	drain_all_pages(m);
	unsigned long free_start = global_zone_page_state(m, NR_FREE_PAGES);
	for (long step = 0; step < steps; step++) {
		uint64_t r = xorshift64(&s);
		m->cur_cpu = (unsigned int)(r >> 61) % m->nr_cpus;
		if (n == 0 || (n < cap && r % 100 < 55)) {
			struct obj o = { .kind = (enum kind)((r >> 8) % 3), .cookie = xorshift64(&s) };
			if (o.kind == K_PAGES) {
				o.order = (unsigned int)((r >> 16) % 4);
				gfp_t gfp = (r >> 20) & 1 ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL;
				o.page = alloc_pages(m, gfp | __GFP_NOWARN, o.order);
				if (!o.page) {
					if (gfp == GFP_KERNEL && failure_is_wrong(m, o.order)) {
						fprintf(stderr, "seed %" PRIu64 ": order-%u GFP_KERNEL failed at step %ld with %lu lowmem pages free\n",
							seed, o.order, step, lowmem_free_pages(m));
						return false;
					}
					continue;	/* HighMem-capable or high order: may fail */
				}
				o.size = PAGE_SIZE;	/* the first page carries the cookie */
				uint64_t va = block_va(m, &o);
				if (va) {
					if (!put(m, va, o.size, o.cookie)) {
						fprintf(stderr, "seed %" PRIu64 ": writing the new page at 0x%" PRIx64 " (pfn %#lx) faulted\n",
							seed, va, page_to_pfn(m, o.page));
						return false;
					}
				} else {
					uint64_t a = kmap_atomic(m, o.page, 0);
					ASSERT_TRUE(put(m, a, o.size, o.cookie));
					kunmap_atomic(m, a, 0);
				}
			} else if (o.kind == K_KMALLOC) {
				o.size = 8 + (r >> 24) % 5000;
				o.addr = kmalloc(m, o.size, GFP_KERNEL | __GFP_NOWARN);
				if (!o.addr) {
					/* Larger objects need slabs of order >= 1 at least. */
					if (o.size <= PAGE_SIZE / 2 && failure_is_wrong(m, 0)) {
						fprintf(stderr, "seed %" PRIu64 ": kmalloc(%zu) failed at step %ld with %lu lowmem pages free\n",
							seed, o.size, step, lowmem_free_pages(m));
						return false;
					}
					continue;
				}
				ASSERT_TRUE(ksize(m, o.addr) >= o.size);
				ASSERT_TRUE(put(m, o.addr, o.size, o.cookie));
			} else {
				o.size = 8 + (r >> 24) % (64 * 1024);
				o.addr = vmalloc(m, o.size);
				if (!o.addr)
					continue;	/* the vmalloc area (128 MiB on i386) may be full */
				ASSERT_TRUE(put(m, o.addr, o.size, o.cookie));
			}
			objs[n++] = o;
		} else {
			size_t i = (size_t)(r >> 32) % n;
			struct obj *o = &objs[i];
			switch (o->kind) {
			case K_PAGES: {
				/* Lowmem, or HighMem while kmapped; else a kmap_atomic. */
				uint64_t va = page_address(m, o->page);
				if (va) {
					ASSERT_TRUE(check(m, va, o->size, o->cookie));
				} else {
					uint64_t a = kmap_atomic(m, o->page, 0);
					ASSERT_TRUE(check(m, a, o->size, o->cookie));
					kunmap_atomic(m, a, 0);
				}
				/* The frame itself holds the same bytes. */
				uint64_t frame;
				memcpy(&frame, page_host_address(m, o->page), 8);
				ASSERT_EQ(frame, o->cookie);
				if (o->kmapped)
					kunmap(m, o->page);
				__free_pages(m, o->page, o->order);
				break;
			}
			case K_KMALLOC:
				ASSERT_TRUE(check(m, o->addr, o->size, o->cookie));
				kfree(m, o->addr);
				break;
			case K_VMALLOC:
				ASSERT_TRUE(check(m, o->addr, o->size, o->cookie));
				vfree(m, o->addr);
				break;
			}
			objs[i] = objs[--n];
		}
		if (step % d->verify_every == 0 && verify(m)) {
			fprintf(stderr, "seed %" PRIu64 ": inconsistent at step %ld\n", seed, step);
			return false;
		}
	}
	while (n) {
		struct obj *o = &objs[--n];
		if (o->kind == K_PAGES) {
			if (o->kmapped)
				kunmap(m, o->page);
			__free_pages(m, o->page, o->order);
		} else if (o->kind == K_KMALLOC) {
			kfree(m, o->addr);
		} else {
			vfree(m, o->addr);
		}
	}
	ASSERT_EQ(verify(m), 0);
	ASSERT_EQ(m->nr_bad_pages, 0);
	/*
	 * What may stay allocated once everything is freed: slab pages of
	 * caches that keep empty slabs (SLUB's min_partial, at most 10 per
	 * cache and node, the kmalloc caches up to 8 KiB: 13 caches x 10
	 * slabs x 8 pages on x86_64's order-3 slabs = 1040 pages; fewer on
	 * i386), the vmalloc area's page tables (128 MiB of vmalloc space is
	 * 64 page tables on i386, at most a few hundred on x86_64 for the
	 * addresses used), and each CPU's per-cpu partial slabs. 2048 pages
	 * covers that with margin; a leak of the pages the run allocated
	 * (up to 3000 objects, thousands of pages) is far beyond it.
	 */
	drain_all_pages(m);
	unsigned long free_end = global_zone_page_state(m, NR_FREE_PAGES);
	if (free_end + 2048 < free_start) {
		fprintf(stderr, "seed %" PRIu64 ": %lu pages free before, %lu after: leaked\n",
			seed, free_start, free_end);
		return false;
	}
	free(objs);
	mmsim_destroy(m);
	return true;
}

/* The four machines of the default run; seed s runs machine s % 4. */
static const struct run_desc default_runs[] = {
	{ MMSIM_ARCH_I386, "linux-6.1", 1024, 2, 30000, 997 },
	{ MMSIM_ARCH_I386, "linux-6.1", 2048, 1, 30000, 997 },
	{ MMSIM_ARCH_X86_64, "linux-6.1", 4608, 2, 30000, 997 },
	{ MMSIM_ARCH_I386, "linux-6.1", 48, 1, 20000, 997 },
};

static long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return dflt;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 0);
	if (errno || *end || n <= 0) {
		fprintf(stderr, "%s=%s: not a positive number\n", name, v);
		exit(2);
	}
	return n;
}

/* Calls fn for each seed of LIST ("1,2,7-9"); false on the first failure. */
static bool for_each_seed(const char *list, bool (*fn)(uint64_t seed, void *arg), void *arg)
{
	const char *p = list;
	while (*p) {
		char *end;
		errno = 0;
		uint64_t lo = strtoull(p, &end, 0), hi = lo;
		if (errno || end == p)
			goto bad;
		if (*end == '-') {
			p = end + 1;
			hi = strtoull(p, &end, 0);
			if (errno || end == p || hi < lo)
				goto bad;
		}
		for (uint64_t seed = lo; seed <= hi; seed++)
			if (!fn(seed, arg)) {
				fprintf(stderr, "failing seed %" PRIu64 "\n", seed);
				return false;
			}
		if (*end == ',')
			end++;
		else if (*end)
			goto bad;
		p = end;
	}
	return true;
bad:
	fprintf(stderr, "MMSIM_PROPERTY_SEEDS=%s: expected seeds like 1,2,7-9\n", list);
	exit(2);
}

static long verify_every(void)
{
	return env_long("MMSIM_PROPERTY_VERIFY_EVERY", 997);
}

static bool run_default_seed(uint64_t seed, void *arg)
{
	(void)arg;
	struct run_desc d = default_runs[seed % 4];
	d.verify_every = verify_every();
	d.steps = env_long("MMSIM_PROPERTY_SHORT_STEPS", d.steps);
	return run_desc(&d, seed);
}

/* Today's short runs, 20 seeds (or MMSIM_PROPERTY_SEEDS' list). */
static bool test_mixed_seeds(void)
{
	if (getenv("MMSIM_PROPERTY_OPS"))
		return true;	/* the long mode runs instead */
	const char *seeds = getenv("MMSIM_PROPERTY_SEEDS");
	return for_each_seed(seeds && *seeds ? seeds : "1-20", run_default_seed, NULL);
}

static bool run_long_seed(uint64_t seed, void *arg)
{
	return run_desc(arg, seed);
}

/* The long mode: one machine from the environment, its seeds one by one. */
static bool test_mixed_long(void)
{
	if (!getenv("MMSIM_PROPERTY_OPS"))
		return true;
	const char *arch = getenv("MMSIM_PROPERTY_ARCH");
	const char *profile = getenv("MMSIM_PROPERTY_PROFILE");
	const char *seeds = getenv("MMSIM_PROPERTY_SEEDS");
	struct run_desc d = {
		.arch = arch && !strcmp(arch, "x86_64") ? MMSIM_ARCH_X86_64 : MMSIM_ARCH_I386,
		.profile = profile && *profile ? profile : "linux-6.1",
		.mib = (uint64_t)env_long("MMSIM_PROPERTY_MEM", 2048),
		.cpus = (unsigned int)env_long("MMSIM_PROPERTY_CPUS", 2),
		.steps = env_long("MMSIM_PROPERTY_OPS", 1),
		.verify_every = verify_every(),
	};
	if (arch && strcmp(arch, "x86_64") && strcmp(arch, "i386")) {
		fprintf(stderr, "MMSIM_PROPERTY_ARCH=%s: expected i386 or x86_64\n", arch);
		exit(2);
	}
	return for_each_seed(seeds && *seeds ? seeds : "1", run_long_seed, &d);
}

TEST_MAIN(
	TEST(test_mixed_seeds),
	TEST(test_mixed_long),
)
