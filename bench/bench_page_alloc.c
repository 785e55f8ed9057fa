/* bench_page_alloc.c — how fast is the buddy allocator? (mm/page_alloc.c)
 *
 * Boots default machines (i386 2048M and x86_64 8192M, 2 CPUs, linux-6.1)
 * and times the page allocator's fast paths beside baselines run in the
 * same process on exactly the same sequence of operations:
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
 * Baselines (bench/README.md says why each is fair):
 *   floor   per-order LIFO lists of page descriptors the size of a struct
 *           page, kept in a descriptor array as mem_map is: an allocation
 *           pops one and sets its refcount, a free clears it and pushes it.
 *           It touches what mmsim touches (descriptors, never the frames)
 *           and does nothing else: no zones, no watermarks, no splitting or
 *           merging. The lowest cost of "hand out a block and take it back".
 *   glibc   aligned_alloc(4096, 4096 << order) / free: a general-purpose
 *           heap on its slowest path, for orientation only (it is not a
 *           page allocator). Told (mallopt) never to mmap or trim below
 *           64 MiB, so that it, like mmsim, makes no system calls while
 *           timed.
 * All three are out-of-line calls, as alloc_pages() is.
 *
 * Measures: CPU time of the process per op, min / median / max of -r runs
 * (these machines are shared: CPU time, not wall time); with --count, the
 * instructions per op, counted under callgrind with only the timed loops
 * instrumented (bench_count.h).
 *
 * Before and after, the machine is checked with mmsim_verify(), and after
 * drain_all_pages() NR_FREE_PAGES and /proc/buddyinfo must be what they
 * were before: every block allocated was freed and merged back.
 *
 * This is a benchmark, never a test: it is not part of CTest.
 * Usage: bench_page_alloc [-r REPS] [-t SECONDS] [-a ARCH] [-c CASE] [--count]
 *   -r  runs per case (default 5): min / median / max are printed
 *   -t  minimum CPU seconds per timed run (default 0.2)
 *   -a  only this machine (i386 or x86_64)
 *   -c  only the cases whose name contains this text (for profiling)
 *   --count  add instructions per op (needs valgrind: tools/install-deps --bench) */
#define _GNU_SOURCE
#include <inttypes.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/gfp.h>
#include <mmsim/machine.h>

#include "bench_count.h"
#include "bench_proc.h"
#include "bench_rand.h"
#include "bench_time.h"
#include "mm.h"

/* Something the compiler must assume is read, so no work is dropped. */
static volatile uintptr_t sink;

#define barrier() __asm__ __volatile__("" ::: "memory")

static double min_seconds = 0.2;	/* each timed case runs at least this long */
static int reps = 5;			/* runs per case */
static const char *only_case;		/* -c: run the cases whose name contains this */
static const char *only_arch;		/* -a: i386 or x86_64 */

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
 * The floor: per-order LIFO lists of block descriptors. A descriptor has a
 * struct page's size and sits in one array, as struct pages sit in mem_map,
 * so the floor moves the same cache lines per operation that a pcp-list hit
 * does; it writes a refcount as the allocator does, and never touches a
 * frame. noinline, like a library call.
 */
#define FLOOR_ORDERS	11

struct floor_desc {
	union {
		struct {
			struct floor_desc *next;
			int refcount;
			unsigned int order;
		};
		char size_of_a_struct_page[sizeof(struct page)];
	};
};

struct floor_ctx {
	struct floor_desc *head[FLOOR_ORDERS];
	struct floor_desc *descs;
};

static __attribute__((noinline)) void *floor_pop(struct floor_ctx *c, unsigned int order)
{
	struct floor_desc *d = c->head[order];

	if (!d)
		die("the floor's descriptor list is empty");
	c->head[order] = d->next;
	d->refcount = 1;
	return d;
}

static __attribute__((noinline)) void floor_push(struct floor_ctx *c, void *p, unsigned int order)
{
	struct floor_desc *d = p;

	d->refcount = 0;
	d->next = c->head[order];
	c->head[order] = d;
}

static inline void *floor_alloc(struct floor_ctx *c, gfp_t gfp, unsigned int order)
{
	(void)gfp;
	return floor_pop(c, order);
}

static inline void floor_free(struct floor_ctx *c, void *p, unsigned int order)
{
	floor_push(c, p, order);
}

/*
 * @per_order[k] descriptors for order k, in one array: a block of order k
 * owns 1 << k descriptors (only its head's is used, as with struct pages),
 * so blocks are spread over the array as they are over mem_map.
 */
static void floor_init(struct floor_ctx *c, const unsigned int per_order[FLOOR_ORDERS])
{
	size_t total = 0;

	for (unsigned int k = 0; k < FLOOR_ORDERS; k++)
		total += (size_t)per_order[k] << k;
	c->descs = calloc(total, sizeof(*c->descs));
	if (!c->descs)
		die("no host memory for the floor's descriptors");
	size_t at = 0;
	for (unsigned int k = 0; k < FLOOR_ORDERS; k++) {
		c->head[k] = NULL;
		at += (size_t)per_order[k] << k;
		/* Pushed from the top, so the first pop is the lowest block. */
		for (unsigned int i = per_order[k]; i-- > 0;) {
			struct floor_desc *d = &c->descs[at - ((size_t)(per_order[k] - i) << k)];
			d->order = k;
			floor_push(c, d, k);
		}
	}
}

/* ---- the operation sequences -------------------------------------------- */

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
 * DEFINE_RUNNERS(pfx, ctx_type) instantiates, for one allocator:
 *   pfx_pair(ctx, gfp, n, label)          n alloc+free pairs of order 0
 *   pfx_wset(ctx, gfp, w, n, label)       n/w rounds of "allocate w, free w"
 *   pfx_mixed(ctx, mix, n, slots, label)  n mixed-order ops on the slot table
 * Each returns the CPU and wall time of its loop. With a label the loop is
 * counted under callgrind (COUNT_BEGIN/COUNT_END). The mixed runner frees
 * what is still live after the clock stops, so every run starts from the
 * same state.
 */
#define DEFINE_RUNNERS(pfx, ctx_type)						\
static struct times pfx##_pair(ctx_type *c, gfp_t gfp, uint64_t n, const char *label) \
{										\
	uintptr_t acc = 0;							\
	struct times t0 = now();						\
	if (label)								\
		COUNT_BEGIN();							\
	for (uint64_t i = 0; i < n; i++) {					\
		void *p = pfx##_alloc(c, gfp, 0);				\
		acc += (uintptr_t)p;						\
		pfx##_free(c, p, 0);						\
		barrier();							\
	}									\
	if (label)								\
		COUNT_END(label);						\
	struct times t = since(t0, 1);						\
	sink = acc;								\
	return t;								\
}										\
										\
static struct times pfx##_wset(ctx_type *c, gfp_t gfp, unsigned int w, uint64_t n, \
			       const char *label)				\
{										\
	static void *set[WSET_MAX];						\
	uintptr_t acc = 0;							\
	struct times t0 = now();						\
	if (label)								\
		COUNT_BEGIN();							\
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
	if (label)								\
		COUNT_END(label);						\
	struct times t = since(t0, 1);						\
	sink = acc;								\
	return t;								\
}										\
										\
static struct times pfx##_mixed(ctx_type *c, enum gfp_mix mix, uint64_t n,	\
				struct slot *slots, const char *label)		\
{										\
	uint64_t s = BENCH_SEED;						\
	uintptr_t acc = 0;							\
	memset(slots, 0, sizeof(*slots) * MIXED_SLOTS);				\
	struct times t0 = now();						\
	if (label)								\
		COUNT_BEGIN();							\
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
	if (label)								\
		COUNT_END(label);						\
	struct times t = since(t0, 1);						\
	sink = acc;								\
	for (unsigned int i = 0; i < MIXED_SLOTS; i++)				\
		if (slots[i].p)							\
			pfx##_free(c, slots[i].p, slots[i].order);		\
	return t;								\
}

DEFINE_RUNNERS(mmsim, struct mmsim_ctx)
DEFINE_RUNNERS(floor, struct floor_ctx)
DEFINE_RUNNERS(libc, struct libc_ctx)

/*
 * The most blocks of each order the mixed sequence holds at once in its
 * first @n ops: what the floor's lists must hold (it never splits).
 */
static void mixed_peak_live(uint64_t n, unsigned int peak[FLOOR_ORDERS])
{
	static signed char held[MIXED_SLOTS];
	unsigned int live[FLOOR_ORDERS] = { 0 };
	uint64_t s = BENCH_SEED;

	memset(held, -1, sizeof(held));
	for (uint64_t i = 0; i < n; i++) {
		uint64_t r = xorshift64(&s);
		signed char *h = &held[r % MIXED_SLOTS];
		if (*h >= 0) {
			live[*h]--;
			*h = -1;
		} else {
			unsigned int order = pick_order(xorshift64(&s));
			*h = (signed char)order;
			if (++live[order] > peak[order])
				peak[order] = live[order];
		}
	}
}

/* ---- measuring ------------------------------------------------------------ */

enum impl { IMPL_MMSIM, IMPL_FLOOR, IMPL_LIBC, NR_IMPLS };

static const char *const impl_names[NR_IMPLS] = { "mmsim", "floor", "glibc" };

enum case_kind { CASE_PAIR, CASE_WSET, CASE_MIXED };

struct bench_case {
	const char *name;
	enum case_kind kind;
	gfp_t gfp;		/* PAIR, WSET */
	unsigned int wset;	/* WSET */
	enum gfp_mix mix;	/* MIXED */
	double target_ns;	/* a goal for mmsim's median, 0: none */
	double target_instr;	/* a goal for mmsim's instructions per op, 0: none */
};

/* Order-0 pair <= 60 instructions and mixed <= 60 ns are issue 17's and issue 2's goals. */
static const struct bench_case cases[] = {
	{ "order-0 pair   GFP_KERNEL", CASE_PAIR, GFP_KERNEL, 0, MIX_KERNEL, 10, 60 },
	{ "order-0 pair   HIGHUSER_MOVABLE", CASE_PAIR, GFP_HIGHUSER_MOVABLE, 0, MIX_KERNEL, 10, 60 },
	{ "order-0 set 32   GFP_KERNEL", CASE_WSET, GFP_KERNEL, 32, MIX_KERNEL, 0, 0 },
	{ "order-0 set 8192 GFP_KERNEL", CASE_WSET, GFP_KERNEL, 8192, MIX_KERNEL, 0, 0 },
	{ "mixed 0..10  GFP_KERNEL", CASE_MIXED, 0, 0, MIX_KERNEL, 60, 0 },
	{ "mixed 0..10  HIGHUSER_MOVABLE", CASE_MIXED, 0, 0, MIX_MOVABLE, 60, 0 },
	{ "mixed 0..10  50/50 both", CASE_MIXED, 0, 0, MIX_HALF, 60, 0 },
};

#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

/* Ops per counted run: enough that the loop, not its set-up, is what is counted. */
#define COUNT_OPS	(25 * WSET_MAX)

struct bench_env {
	struct mmsim_ctx mm;
	struct floor_ctx floor;
	uint64_t floor_mixed_ops;	/* the longest mixed sequence the floor can hold */
	struct libc_ctx libc;
	struct slot *slots;
};

static void floor_size_for(struct bench_env *env, uint64_t mixed_ops);

/* Run one case once with one allocator for n ops. */
static struct times run_once(struct bench_env *env, const struct bench_case *bc, enum impl impl,
			     uint64_t n, const char *label)
{
#define RUN_CASE(pfx, ctx)								\
	switch (bc->kind) {								\
	case CASE_PAIR: return pfx##_pair(ctx, bc->gfp, n, label);			\
	case CASE_WSET: return pfx##_wset(ctx, bc->gfp, bc->wset, n, label);		\
	case CASE_MIXED: return pfx##_mixed(ctx, bc->mix, n, env->slots, label);	\
	}										\
	break
	if (impl == IMPL_FLOOR && bc->kind == CASE_MIXED && n > env->floor_mixed_ops)
		floor_size_for(env, n);
	switch (impl) {
	case IMPL_MMSIM: RUN_CASE(mmsim, &env->mm);
	case IMPL_FLOOR: RUN_CASE(floor, &env->floor);
	case IMPL_LIBC: RUN_CASE(libc, &env->libc);
	default: break;
	}
#undef RUN_CASE
	die("unknown case");
	return (struct times){ 0, 0 };
}

static uint64_t round_ops(const struct bench_case *bc, uint64_t n)
{
	return bc->kind == CASE_WSET ? (n / bc->wset + 1) * bc->wset : n;
}

/* One allocator's runs of one case, per op. */
struct result {
	double min, median, max;	/* CPU ns */
	double instr;			/* per op, 0 when not counted */
};

/*
 * Pick one op count n that makes every allocator's run last at least
 * min_seconds of CPU time, so all of them execute exactly the same
 * sequence; then run each `reps` times.
 */
static uint64_t calibrate(struct bench_env *env, const struct bench_case *bc)
{
	uint64_t n = round_ops(bc, 1u << 16);

	for (;;) {
		double slowest = 0;
		for (int impl = 0; impl < NR_IMPLS; impl++) {
			double t = run_once(env, bc, impl, n, NULL).cpu_ns;
			if (t > slowest)
				slowest = t;
		}
		if (slowest >= min_seconds * 1e9)
			return n;
		/* Aim 20% past the minimum, and at least double. */
		double scale = slowest > 0 ? 1.2 * min_seconds * 1e9 / slowest : 16;
		if (scale < 2)
			scale = 2;
		n = round_ops(bc, (uint64_t)((double)n * scale));
	}
}

static void measure(struct bench_env *env, const struct bench_case *bc, uint64_t n,
		    struct result res[NR_IMPLS])
{
	for (int impl = 0; impl < NR_IMPLS; impl++) {
		struct times samples[64];
		for (int r = 0; r < reps; r++) {
			samples[r] = run_once(env, bc, impl, n, NULL);
			samples[r].cpu_ns /= (double)n;
		}
		res[impl].median = median(samples, reps).cpu_ns;	/* sorts them */
		res[impl].min = samples[0].cpu_ns;
		res[impl].max = samples[reps - 1].cpu_ns;
	}
}

/* ---- the machine's state before and after -------------------------------- */

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
	s->buddyinfo = bench_read_proc(m, "/proc/buddyinfo");
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

static void print_pcp(struct machine *m)
{
	for_each_populated_zone(m, zone) {
		const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[m->cur_cpu];
		printf("  zone %-8s managed %8lu pages  pcp batch %3d high %5d\n", zone->name,
		       zone->managed_pages, pcp->batch, pcp->high);
	}
}

static bool case_selected(const struct bench_case *bc)
{
	return !only_case || strstr(bc->name, only_case);
}

static struct machine *boot_machine(enum mmsim_arch arch, uint64_t mem_mib)
{
	struct machine_desc desc;
	char err[256];

	mmsim_desc_init(&desc);
	desc.arch = arch;
	desc.mem_bytes = mem_mib << 20;
	struct machine *m = mmsim_boot(&desc, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "bench_page_alloc: boot failed: %s\n", err);
		exit(1);
	}
	return m;
}

/* The floor never splits: it must hold the mixed sequence's peak of each order. */
static void floor_size_for(struct bench_env *env, uint64_t mixed_ops)
{
	unsigned int per_order[FLOOR_ORDERS] = { 0 };

	mixed_peak_live(mixed_ops, per_order);
	if (per_order[0] < WSET_MAX)
		per_order[0] = WSET_MAX;
	free(env->floor.descs);
	floor_init(&env->floor, per_order);
	env->floor_mixed_ops = mixed_ops;
}

static void env_init(struct bench_env *env, struct machine *m)
{
	memset(env, 0, sizeof(*env));
	env->mm.m = m;
	floor_size_for(env, 1u << 16);
	env->slots = calloc(MIXED_SLOTS, sizeof(*env->slots));
	if (!env->slots)
		die("no host memory for the slot table");
}

static void env_fini(struct bench_env *env)
{
	free(env->slots);
	free(env->floor.descs);
}

static const uint64_t arch_mem_mib[2] = { 2048, 8192 };

/*
 * The child under callgrind: every selected case, every allocator, one
 * warm-up run and one counted run of COUNT_OPS ops, labelled "case impl".
 */
static int count_child(enum mmsim_arch arch)
{
	struct bench_env env;
	struct machine *m = boot_machine(arch, arch_mem_mib[arch == MMSIM_ARCH_X86_64]);

	env_init(&env, m);
	for (unsigned int c = 0; c < NR_CASES; c++) {
		if (!case_selected(&cases[c]))
			continue;
		for (int impl = 0; impl < NR_IMPLS; impl++) {
			char label[32];
			snprintf(label, sizeof(label), "%u %d", c, impl);
			run_once(&env, &cases[c], impl, COUNT_OPS, NULL);
			run_once(&env, &cases[c], impl, COUNT_OPS, label);
		}
	}
	verify_or_die(m, "after the counted runs");
	env_fini(&env);
	mmsim_destroy(m);
	return 0;
}

static double counted[NR_CASES][NR_IMPLS];

static void take_count(const char *label, double ir, void *arg)
{
	unsigned int c;
	int impl;

	(void)arg;
	if (sscanf(label, "%u %d", &c, &impl) == 2 && c < NR_CASES && impl >= 0 && impl < NR_IMPLS)
		counted[c][impl] = ir / COUNT_OPS;
}

static bool count_machine(enum mmsim_arch arch)
{
	const char *self = count_self_path();
	char *argv[8];
	int argc = 0;

	if (!self)
		return false;
	memset(counted, 0, sizeof(counted));
	argv[argc++] = (char *)self;
	argv[argc++] = "--count-child";
	argv[argc++] = arch == MMSIM_ARCH_I386 ? "i386" : "x86_64";
	if (only_case) {
		argv[argc++] = "-c";
		argv[argc++] = (char *)only_case;
	}
	argv[argc] = NULL;
	return count_run(argv, take_count, NULL) > 0;
}

static int bench_machine(enum mmsim_arch arch, bool count)
{
	uint64_t mem_mib = arch_mem_mib[arch == MMSIM_ARCH_X86_64];
	struct machine *m = boot_machine(arch, mem_mib);
	struct bench_env env;
	struct snapshot before, after;
	int missed = 0;

	printf("\nmachine: %s %" PRIu64 "M, %u CPUs, profile %s\n",
	       arch == MMSIM_ARCH_I386 ? "i386" : "x86_64", mem_mib, m->nr_cpus, m->profile->name);
	print_pcp(m);
	if (count) {
		printf("  counting instructions under callgrind ...\n");
		fflush(stdout);
		if (!count_machine(arch))
			die("the callgrind run failed (is valgrind installed? tools/install-deps --bench)");
	}

	verify_or_die(m, "after boot");
	take_snapshot(m, &before);

	env_init(&env, m);
	for (unsigned int c = 0; c < NR_CASES; c++) {
		const struct bench_case *bc = &cases[c];
		struct result res[NR_IMPLS];
		if (!case_selected(bc))
			continue;
		uint64_t n = calibrate(&env, bc);
		measure(&env, bc, n, res);

		printf("  %s  (%" PRIu64 " ops per run)\n", bc->name, n);
		for (int impl = 0; impl < NR_IMPLS; impl++) {
			printf("    %-6s %8.2f / %8.2f / %8.2f ns", impl_names[impl], res[impl].min,
			       res[impl].median, res[impl].max);
			if (impl != IMPL_MMSIM)
				printf("  mmsim %5.2fx", res[IMPL_MMSIM].median / res[impl].median);
			else
				printf("              ");
			if (count)
				printf("  %8.1f instr", counted[c][impl]);
			if (impl == IMPL_MMSIM && bc->target_ns > 0) {
				bool ok = res[impl].median <= bc->target_ns;
				printf("  target <= %.0f ns %s", bc->target_ns, ok ? "ok" : "MISSED");
				missed += !ok;
			}
			if (impl == IMPL_MMSIM && count && bc->target_instr > 0) {
				bool ok = counted[c][impl] <= bc->target_instr;
				printf(", <= %.0f instr %s", bc->target_instr, ok ? "ok" : "MISSED");
				missed += !ok;
			}
			putchar('\n');
		}
		fflush(stdout);
	}

	env_fini(&env);
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
	mmsim_destroy(m);
	return missed;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_page_alloc [-r REPS (1..63)] [-t MIN_CPU_SECONDS_PER_RUN]\n"
		"                        [-a i386|x86_64] [-c CASE_NAME_SUBSTRING] [--count]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool count = false;
	const char *child_arch = NULL;

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
		} else if (!strcmp(argv[i], "--count")) {
			count = true;
		} else if (!strcmp(argv[i], "--count-child") && i + 1 < argc) {
			child_arch = argv[++i];
		} else {
			usage();
		}
	}
	/* Keep glibc's heap in user space; see the comment at the top. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	if (child_arch)
		return count_child(strcmp(child_arch, "i386") ? MMSIM_ARCH_X86_64 : MMSIM_ARCH_I386);
	if (count && !count_available()) {
		fprintf(stderr, "bench_page_alloc: built without valgrind/callgrind.h: run "
			"tools/install-deps --bench, then rebuild\n");
		return 2;
	}
	printf("bench_page_alloc: CPU ns per op, min / median / max of %d runs, each >= %.2f CPU s;\n"
	       "  pair = one alloc + one free; mixed = one alloc or one free; "
	       "ratio = mmsim median / other median%s\n",
	       reps, min_seconds, count ? "; instructions per op from callgrind" : "");
	int missed = 0;
	if (!only_arch || !strcmp(only_arch, "i386"))
		missed += bench_machine(MMSIM_ARCH_I386, count);
	if (!only_arch || !strcmp(only_arch, "x86_64"))
		missed += bench_machine(MMSIM_ARCH_X86_64, count);
	printf("\n%d target(s) missed\n", missed);
	return 0;
}
