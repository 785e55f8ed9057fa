/* bench_page_alloc.c — how fast is the buddy allocator? (mm/page_alloc.c)
 *
 * Boots default machines (i386 2048M and x86_64 8192M, 2 CPUs, linux-6.1)
 * and times, in nanoseconds per operation, the page allocator's fast paths
 * beside baselines run in the same process on exactly the same sequence of
 * operations:
 *
 *   order-0 pair       alloc_pages(order 0) + __free_pages, repeated: the
 *                      per-CPU (pcp) list hit. One op = one alloc+free pair.
 *   order-0 set W      allocate W pages, then free them, repeated: W = 32
 *                      stays inside the pcp list; W = 8192 is larger than
 *                      pcp->high (about 2000..6600 pages on these machines:
 *                      the low watermark / nr_cpus), so every round refills
 *                      (rmqueue_bulk) and drains (free_pcppages_bulk) in
 *                      batches through the zone's free lists. One op = one
 *                      alloc+free pair.
 *   mixed orders       a fixed-seed xorshift PRNG picks a slot among 4096;
 *                      an empty slot is filled by an allocation (order 0 60%,
 *                      then geometric over 1..10), a full one is freed. About
 *                      2048 blocks stay live. One op = one alloc or one free.
 *
 * Baselines: glibc aligned_alloc(4096, 4096 << order) / free, and for order
 * 0 a LIFO free list of 4 KiB frames threaded through the frames (xv6's
 * kalloc: the floor for "hand out a page"). Both baselines are out-of-line
 * calls, as alloc_pages() is. glibc is told (mallopt) never to mmap or trim
 * below 64 MiB, so it, like mmsim, makes no system calls while timed —
 * otherwise its numbers depend on which case ran first (its dynamic mmap
 * threshold moves when a large mmapped block is freed).
 *
 * Before and after, the machine is checked with mmsim_verify(), and after
 * drain_all_pages() NR_FREE_PAGES and /proc/buddyinfo must be what they
 * were before: every block allocated was freed and merged back.
 *
 * This is a benchmark, never a test: it is not part of CTest.
 * Usage: bench_page_alloc [-r REPS] [-t SECONDS] [-a ARCH] [-c CASE]
 *   -r  repetitions per case, the median is printed (default 3)
 *   -t  minimum seconds per timed run (default 0.2)
 *   -a  only this machine (i386 or x86_64)
 *   -c  only the cases whose name contains this text (for profiling) */
#define _GNU_SOURCE
#include <inttypes.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mmsim/gfp.h>
#include <mmsim/machine.h>

#include "mm.h"

/* Something the compiler must assume is read, so no work is dropped. */
static volatile uintptr_t sink;

#define barrier() __asm__ __volatile__("" ::: "memory")

static double min_seconds = 0.2;	/* each timed case runs at least this long */
static int reps = 3;			/* repetitions; the median is reported */
static const char *only_case;		/* -c: run the cases whose name contains this */
static const char *only_arch;		/* -a: i386 or x86_64 */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_page_alloc: %s\n", what);
	exit(1);
}

/* ---- the three allocators, as out-of-line calls ------------------------- */

/*
 * Every allocator takes a context and an order and returns an opaque handle,
 * so one driver runs all three on the same operation sequence. The drivers
 * are instantiated per allocator by macro, so each call is a direct call.
 */

/* mmsim: the page allocator under test. */
struct mmsim_ctx {
	struct machine *m;
};

static inline void *mmsim_alloc(struct mmsim_ctx *c, gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(c->m, gfp, order);

	if (!page)
		die("alloc_pages failed (the benchmark's live set should always fit)");
	return page;
}

static inline void mmsim_free(struct mmsim_ctx *c, void *p, unsigned int order)
{
	__free_pages(c->m, p, order);
}

/* glibc: aligned_alloc(4096, 4096 << order). */
struct libc_ctx {
	int unused;
};

static inline void *libc_alloc(struct libc_ctx *c, gfp_t gfp, unsigned int order)
{
	(void)c;
	(void)gfp;
	void *p = aligned_alloc(4096, (size_t)4096 << order);
	if (!p)
		die("aligned_alloc failed");
	return p;
}

static inline void libc_free(struct libc_ctx *c, void *p, unsigned int order)
{
	(void)c;
	(void)order;
	free(p);
}

/*
 * The floor: a LIFO list of free 4 KiB frames, the link stored in the frame
 * itself (xv6 kalloc). Order 0 only. noinline, like a library call.
 */
struct frame {
	struct frame *next;
};

struct lifo_ctx {
	struct frame *free;
	void *arena;
};

static __attribute__((noinline)) void *lifo_pop(struct lifo_ctx *c)
{
	struct frame *f = c->free;

	if (!f)
		die("LIFO frame list is empty");
	c->free = f->next;
	return f;
}

static __attribute__((noinline)) void lifo_push(struct lifo_ctx *c, void *p)
{
	struct frame *f = p;

	f->next = c->free;
	c->free = f;
}

static inline void *lifo_alloc(struct lifo_ctx *c, gfp_t gfp, unsigned int order)
{
	(void)gfp;
	(void)order;
	return lifo_pop(c);
}

static inline void lifo_free(struct lifo_ctx *c, void *p, unsigned int order)
{
	(void)order;
	lifo_push(c, p);
}

static void lifo_init(struct lifo_ctx *c, size_t nframes)
{
	c->arena = aligned_alloc(4096, nframes * 4096);
	if (!c->arena)
		die("no host memory for the LIFO arena");
	c->free = NULL;
	for (size_t i = nframes; i-- > 0;)
		lifo_push(c, (char *)c->arena + i * 4096);
}

/* ---- the operation sequences -------------------------------------------- */

/* xorshift64 (Marsaglia), fixed seed: the same sequence every run. */
static inline uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#define BENCH_SEED	0x9e3779b97f4a7c15ULL
#define MIXED_SLOTS	4096
#define WSET_MAX	8192

/*
 * Order for a mixed-order allocation: 0 with probability 60%, otherwise
 * 1..10 geometrically (each order half as likely as the one below), which
 * is roughly what a kernel's page allocations look like.
 */
static inline unsigned int pick_order(uint64_t r)
{
	unsigned int pct = (unsigned int)(r % 100);

	if (pct < 60)
		return 0;
	/* Bits 32.. are independent of the percentage above. */
	uint32_t bits = (uint32_t)(r >> 32) | (1u << 9);	/* cap at order 10 */
	return 1 + (unsigned int)__builtin_ctz(bits);
}

/* How an op picks its gfp in the mixed case. */
enum gfp_mix { MIX_KERNEL, MIX_MOVABLE, MIX_HALF };

static inline gfp_t pick_gfp(enum gfp_mix mix, uint64_t r)
{
	switch (mix) {
	case MIX_KERNEL:
		return GFP_KERNEL;
	case MIX_MOVABLE:
		return GFP_HIGHUSER_MOVABLE;
	default:
		return (r >> 20) & 1 ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL;
	}
}

struct slot {
	void *p;
	unsigned int order;
};

/*
 * DEFINE_ORDER0_RUNNERS(pfx, ctx_type) instantiates, for one allocator:
 *   pfx_pair(ctx, gfp, n)          n alloc+free pairs of order 0
 *   pfx_wset(ctx, gfp, w, n)       n/w rounds of "allocate w, free w"
 * and DEFINE_MIXED_RUNNER(pfx, ctx_type):
 *   pfx_mixed(ctx, mix, n, slots)  n mixed-order ops on the slot table
 * Each returns elapsed nanoseconds. The mixed runner frees what is still
 * live after the clock stops, so every run starts from the same state.
 */
#define DEFINE_ORDER0_RUNNERS(pfx, ctx_type)					\
static double pfx##_pair(ctx_type *c, gfp_t gfp, uint64_t n)			\
{										\
	uintptr_t acc = 0;							\
	double t0 = now_ns();							\
	for (uint64_t i = 0; i < n; i++) {					\
		void *p = pfx##_alloc(c, gfp, 0);				\
		acc += (uintptr_t)p;						\
		pfx##_free(c, p, 0);						\
		barrier();							\
	}									\
	double t1 = now_ns();							\
	sink = acc;								\
	return t1 - t0;								\
}										\
										\
static double pfx##_wset(ctx_type *c, gfp_t gfp, unsigned int w, uint64_t n)	\
{										\
	static void *set[WSET_MAX];						\
	uintptr_t acc = 0;							\
	double t0 = now_ns();							\
	for (uint64_t done = 0; done < n; done += w) {				\
		for (unsigned int i = 0; i < w; i++) {				\
			set[i] = pfx##_alloc(c, gfp, 0);			\
			acc += (uintptr_t)set[i];				\
		}								\
		barrier();							\
		for (unsigned int i = 0; i < w; i++)				\
			pfx##_free(c, set[i], 0);				\
		barrier();							\
	}									\
	double t1 = now_ns();							\
	sink = acc;								\
	return t1 - t0;								\
}

#define DEFINE_MIXED_RUNNER(pfx, ctx_type)					\
static double pfx##_mixed(ctx_type *c, enum gfp_mix mix, uint64_t n,		\
			  struct slot *slots)					\
{										\
	uint64_t s = BENCH_SEED;						\
	uintptr_t acc = 0;							\
	memset(slots, 0, sizeof(*slots) * MIXED_SLOTS);				\
	double t0 = now_ns();							\
	for (uint64_t i = 0; i < n; i++) {					\
		uint64_t r = xorshift64(&s);					\
		struct slot *sl = &slots[r % MIXED_SLOTS];			\
		if (sl->p) {							\
			pfx##_free(c, sl->p, sl->order);			\
			sl->p = NULL;						\
		} else {							\
			uint64_t r2 = xorshift64(&s);				\
			sl->order = pick_order(r2);				\
			sl->p = pfx##_alloc(c, pick_gfp(mix, r2), sl->order);	\
			acc += (uintptr_t)sl->p;				\
		}								\
	}									\
	double t1 = now_ns();							\
	sink = acc;								\
	for (unsigned int i = 0; i < MIXED_SLOTS; i++)				\
		if (slots[i].p)							\
			pfx##_free(c, slots[i].p, slots[i].order);		\
	return t1 - t0;								\
}

DEFINE_ORDER0_RUNNERS(mmsim, struct mmsim_ctx)
DEFINE_ORDER0_RUNNERS(libc, struct libc_ctx)
DEFINE_ORDER0_RUNNERS(lifo, struct lifo_ctx)
DEFINE_MIXED_RUNNER(mmsim, struct mmsim_ctx)
DEFINE_MIXED_RUNNER(libc, struct libc_ctx)

/* ---- measuring ------------------------------------------------------------ */

enum impl { IMPL_MMSIM, IMPL_LIBC, IMPL_LIFO, NR_IMPLS };

enum case_kind { CASE_PAIR, CASE_WSET, CASE_MIXED };

struct bench_case {
	const char *name;
	enum case_kind kind;
	gfp_t gfp;		/* PAIR, WSET */
	unsigned int wset;	/* WSET */
	enum gfp_mix mix;	/* MIXED */
	double target_ns;	/* the target for mmsim, 0: none */
};

struct bench_env {
	struct mmsim_ctx mm;
	struct libc_ctx libc;
	struct lifo_ctx lifo;
	struct slot *slots;
};

static bool impl_applies(const struct bench_case *bc, enum impl impl)
{
	return impl != IMPL_LIFO || bc->kind != CASE_MIXED;
}

/* Run one case once with one allocator for n ops; nanoseconds elapsed. */
static double run_once(struct bench_env *env, const struct bench_case *bc, enum impl impl,
		       uint64_t n)
{
	switch (impl) {
	case IMPL_MMSIM:
		switch (bc->kind) {
		case CASE_PAIR: return mmsim_pair(&env->mm, bc->gfp, n);
		case CASE_WSET: return mmsim_wset(&env->mm, bc->gfp, bc->wset, n);
		case CASE_MIXED: return mmsim_mixed(&env->mm, bc->mix, n, env->slots);
		}
		break;
	case IMPL_LIBC:
		switch (bc->kind) {
		case CASE_PAIR: return libc_pair(&env->libc, bc->gfp, n);
		case CASE_WSET: return libc_wset(&env->libc, bc->gfp, bc->wset, n);
		case CASE_MIXED: return libc_mixed(&env->libc, bc->mix, n, env->slots);
		}
		break;
	case IMPL_LIFO:
		switch (bc->kind) {
		case CASE_PAIR: return lifo_pair(&env->lifo, bc->gfp, n);
		case CASE_WSET: return lifo_wset(&env->lifo, bc->gfp, bc->wset, n);
		case CASE_MIXED: break;	/* order 0 only */
		}
		break;
	default:
		break;
	}
	die("unknown case");
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Pick one op count n that makes every allocator's run last at least
 * min_seconds, so all of them execute exactly the same sequence; then run
 * each `reps` times and keep the median ns/op.
 */
static void measure(struct bench_env *env, const struct bench_case *bc, double ns_per_op[NR_IMPLS])
{
	uint64_t n = 1u << 16;

	if (bc->kind == CASE_WSET)
		n = (n / bc->wset + 1) * bc->wset;
	for (;;) {
		double slowest = 0;
		for (int impl = 0; impl < NR_IMPLS; impl++) {
			if (!impl_applies(bc, impl))
				continue;
			double t = run_once(env, bc, impl, n);
			if (t > slowest)
				slowest = t;
		}
		if (slowest >= min_seconds * 1e9)
			break;
		/* Aim 20% past the minimum, and at least double. */
		double scale = slowest > 0 ? 1.2 * min_seconds * 1e9 / slowest : 16;
		if (scale < 2)
			scale = 2;
		n = (uint64_t)((double)n * scale);
		if (bc->kind == CASE_WSET)
			n = (n / bc->wset + 1) * bc->wset;
	}
	for (int impl = 0; impl < NR_IMPLS; impl++) {
		double samples[64];
		ns_per_op[impl] = 0;
		if (!impl_applies(bc, impl))
			continue;
		for (int r = 0; r < reps; r++)
			samples[r] = run_once(env, bc, impl, n) / (double)n;
		qsort(samples, (size_t)reps, sizeof(samples[0]), cmp_double);
		ns_per_op[impl] = samples[reps / 2];
	}
}

/* ---- the machine's state before and after -------------------------------- */

static char *read_proc(struct machine *m, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f || mmsim_proc_read(m, path, f) != 0)
		die("cannot read /proc/buddyinfo from the machine");
	fclose(f);
	return text;
}

struct snapshot {
	unsigned long free_pages;
	unsigned long alloc_pages;	/* NR_ZONE_ALLOC_PAGES summed */
	char *buddyinfo;
};

static void take_snapshot(struct machine *m, struct snapshot *s)
{
	drain_all_pages(m);
	s->free_pages = global_zone_page_state(m, NR_FREE_PAGES);
	s->alloc_pages = global_zone_page_state(m, NR_ZONE_ALLOC_PAGES);
	s->buddyinfo = read_proc(m, "/proc/buddyinfo");
}

static void verify_or_die(struct machine *m, const char *when)
{
	unsigned long problems = mmsim_verify(m, stderr);

	if (problems) {
		fprintf(stderr, "bench_page_alloc: mmsim_verify found %lu problem(s) %s\n",
			problems, when);
		exit(1);
	}
}

/* ---- driver ---------------------------------------------------------------- */

static const struct bench_case cases[] = {
	{ "order-0 pair   GFP_KERNEL", CASE_PAIR, GFP_KERNEL, 0, MIX_KERNEL, 10 },
	{ "order-0 pair   HIGHUSER_MOVABLE", CASE_PAIR, GFP_HIGHUSER_MOVABLE, 0, MIX_KERNEL, 10 },
	{ "order-0 set 32   GFP_KERNEL", CASE_WSET, GFP_KERNEL, 32, MIX_KERNEL, 0 },
	{ "order-0 set 8192 GFP_KERNEL", CASE_WSET, GFP_KERNEL, 8192, MIX_KERNEL, 0 },
	{ "mixed 0..10  GFP_KERNEL", CASE_MIXED, 0, 0, MIX_KERNEL, 60 },
	{ "mixed 0..10  HIGHUSER_MOVABLE", CASE_MIXED, 0, 0, MIX_MOVABLE, 60 },
	{ "mixed 0..10  50/50 both", CASE_MIXED, 0, 0, MIX_HALF, 60 },
};

static void print_pcp(struct machine *m)
{
	for_each_populated_zone(m, zone) {
		const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[m->cur_cpu];
		printf("  zone %-8s managed %8lu pages  pcp batch %3d high %5d\n", zone->name,
		       zone->managed_pages, pcp->batch, pcp->high);
	}
}

static int bench_machine(enum mmsim_arch arch, uint64_t mem_mib)
{
	struct machine_desc desc;
	char err[256];
	struct bench_env env;
	struct snapshot before, after;
	int missed = 0;

	mmsim_desc_init(&desc);
	desc.arch = arch;
	desc.mem_bytes = mem_mib << 20;
	struct machine *m = mmsim_boot(&desc, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "bench_page_alloc: boot failed: %s\n", err);
		exit(1);
	}
	printf("\nmachine: %s %" PRIu64 "M, %u CPUs, profile %s\n",
	       arch == MMSIM_ARCH_I386 ? "i386" : "x86_64", mem_mib, desc.nr_cpus, desc.profile);
	print_pcp(m);

	verify_or_die(m, "after boot");
	take_snapshot(m, &before);

	memset(&env, 0, sizeof(env));
	env.mm.m = m;
	lifo_init(&env.lifo, WSET_MAX + 1);
	env.slots = calloc(MIXED_SLOTS, sizeof(*env.slots));
	if (!env.slots)
		die("no host memory for the slot table");

	printf("  %-32s %10s %10s %7s %10s %7s %8s\n", "case (ns per op)", "mmsim", "malloc",
	       "ratio", "LIFO", "ratio", "target");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bench_case *bc = &cases[i];
		double ns[NR_IMPLS];
		if (only_case && !strstr(bc->name, only_case))
			continue;
		measure(&env, bc, ns);
		printf("  %-32s %10.2f %10.2f %6.2fx", bc->name, ns[IMPL_MMSIM], ns[IMPL_LIBC],
		       ns[IMPL_MMSIM] / ns[IMPL_LIBC]);
		if (impl_applies(bc, IMPL_LIFO))
			printf(" %10.2f %6.1fx", ns[IMPL_LIFO], ns[IMPL_MMSIM] / ns[IMPL_LIFO]);
		else
			printf(" %10s %7s", "-", "-");
		if (bc->target_ns > 0) {
			bool ok = ns[IMPL_MMSIM] <= bc->target_ns;
			printf("  <=%-3.0f %s", bc->target_ns, ok ? "ok" : "MISSED");
			missed += !ok;
		}
		putchar('\n');
		fflush(stdout);
	}

	take_snapshot(m, &after);
	verify_or_die(m, "after the benchmark");
	if (after.free_pages != before.free_pages || after.alloc_pages != before.alloc_pages) {
		fprintf(stderr, "bench_page_alloc: NR_FREE_PAGES %lu -> %lu, allocated %lu -> %lu: "
			"blocks were lost\n", before.free_pages, after.free_pages,
			before.alloc_pages, after.alloc_pages);
		exit(1);
	}
	if (strcmp(before.buddyinfo, after.buddyinfo) != 0) {
		fprintf(stderr, "bench_page_alloc: /proc/buddyinfo changed:\nbefore:\n%safter:\n%s",
			before.buddyinfo, after.buddyinfo);
		exit(1);
	}
	printf("  verify: consistent before and after; NR_FREE_PAGES %lu and /proc/buddyinfo "
	       "unchanged after drain_all_pages\n", after.free_pages);

	free(before.buddyinfo);
	free(after.buddyinfo);
	free(env.slots);
	free(env.lifo.arena);
	mmsim_destroy(m);
	return missed;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_page_alloc [-r REPS (1..63)] [-t MIN_SECONDS_PER_CASE]\n"
		"                        [-a i386|x86_64] [-c CASE_NAME_SUBSTRING]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *end;
		if (!strcmp(argv[i], "-r") && i + 1 < argc) {
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 1 || v > 63)
				usage();
			reps = (int)v;
		} else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			double v = strtod(argv[++i], &end);
			if (*end || !(v > 0) || v > 60)
				usage();
			min_seconds = v;
		} else if (!strcmp(argv[i], "-a") && i + 1 < argc) {
			only_arch = argv[++i];
			if (strcmp(only_arch, "i386") && strcmp(only_arch, "x86_64"))
				usage();
		} else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			only_case = argv[++i];
		} else {
			usage();
		}
	}
	/* Keep glibc's heap in user space; see the comment at the top. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	printf("bench_page_alloc: median of %d runs, each >= %.2f s; ns per op "
	       "(pair = one alloc + one free; mixed = one alloc or one free)\n",
	       reps, min_seconds);
	int missed = 0;
	if (!only_arch || !strcmp(only_arch, "i386"))
		missed += bench_machine(MMSIM_ARCH_I386, 2048);
	if (!only_arch || !strcmp(only_arch, "x86_64"))
		missed += bench_machine(MMSIM_ARCH_X86_64, 8192);
	printf("\n%d target(s) missed\n", missed);
	return 0;
}
