/* bench_slab.c — how fast is SLUB's kmalloc/kfree (mm/slub.c) beside the
 * best user-space allocators, each called the way its users call it?
 *
 * Boots an x86_64 machine (4 GiB, 2 CPUs, linux-6.1) and runs kmalloc +
 * kfree beside glibc, jemalloc, mimalloc and tcmalloc, each through its
 * ordinary malloc/free (the three are dlopen()ed from Debian's packages:
 * `tools/install-deps --bench`; a missing one is an error unless -s NAME
 * skips it), and beside SLUB as 6.1 runs it (a second machine with the
 * per-CPU object arrays off, mmsim_slab_tune(m, NULL, 0, 0)). Every
 * allocator runs exactly the same precomputed operation sequence, in the
 * same process, through the same kind of out-of-line wrapper.
 *
 * Cases (bench/README-slab.md says why each baseline is fair):
 *   neighbour 64   p = alloc(64); free(p), with one other 64-byte object
 *                  live throughout: the ordinary fast path.
 *   alone 64       the same with nothing else live: the worst case for an
 *                  allocator that retires an empty page (mimalloc).
 *   live 100k      100,000 live objects of 8..4096 bytes (50% <= 64 B);
 *                  each op frees a random slot's object (reading its first
 *                  8 bytes first) and allocates a new one there (writing
 *                  8 bytes): one op = one free + one alloc.
 *   kernel mix     the same with the sizes the real 6.1 kernel's kmalloc
 *                  caches hold after boot (tests/fixtures/oracle/
 *                  linux-6.1-x86_64-8192M.txt: active objects per cache).
 *   cross-CPU      alloc on one CPU, free on the other, in batches of 64:
 *                  mmsim switches its simulated CPU; the others run two
 *                  real threads and pass pointers through a ring. One op =
 *                  one alloc + one free; CPU time is both threads'.
 *   latency        the live 100k sequence, each op timed with rdtsc:
 *                  p50/p99/p99.9/max in ns (the rdtsc pair's own cost is
 *                  printed as the floor).
 *
 * Measures: CPU time of the run (min/median/max over -r runs; CPU time,
 * not wall time, because these machines are shared), and with -c the
 * instructions per op, counted by re-running each case under
 * valgrind --tool=callgrind with only the timed loop instrumented.
 *
 * This is a benchmark, never a test: it is not part of CTest.
 * Usage: bench_slab [-r REPS] [-n OPS] [-a NAME] [-s NAME]... [-c]
 *   defaults 5 runs of 2M ops. -a runs only allocators whose name holds
 *   NAME; -s skips one (instead of failing when it is not installed);
 *   -c adds the instruction counts (needs valgrind). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <gnu/libc-version.h>
#include <link.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include "bench_count.h"
#include "bench_rand.h"

/* What only bench_slab itself uses, not bench_slab_61 (built from this file too). */
#ifdef BENCH_SLAB_61
#define MAIN_PROGRAM_ONLY __attribute__((unused))
#else
#define MAIN_PROGRAM_ONLY
#endif

#include <mmsim/gfp.h>
#include <mmsim/machine.h>
#include <mmsim/slab.h>

#include "machine.h"	/* cur_cpu: which simulated CPU the calls run on */

#define SLOTS 100000
#define BATCH 64

struct allocator {
	const char *name;
	const char *soname;	/* NULL: linked in */
	const char *package;
	void *(*alloc)(size_t size);
	void (*free)(void *p);
	bool present, skipped;
	char version[64], path[256];
	struct machine *m;	/* mmsim's: the machine it allocates from */
};

static struct machine *M;
static struct machine *cur_m;
static uintptr_t host_bias;	/* host address of a direct-map address: add this */

/* mmsim is linked in; call it through pointers like the dlsym()ed ones. */
static unsigned long (*volatile kmalloc_p)(struct machine *, size_t, gfp_t) = kmalloc;
static void (*volatile kfree_p)(struct machine *, unsigned long) = kfree;
static void *(*lib_malloc[5])(size_t);
static void (*lib_free[5])(void *);

/*
 * The kernel's address of an object is a pointer the kernel uses as it is;
 * mmsim's lies in the simulated direct map, whose bytes are the host's
 * m->ram. The wrappers hand out and take back host pointers (one add, one
 * subtract), so the cases that touch objects touch mmsim's real bytes.
 * They test for nothing, as the peers' (a jump to the library) do not: the
 * live sets always fit, so kmalloc never fails here (a NULL would be
 * touched at a wild address and crash the benchmark, not skew it).
 */
static __attribute__((noinline)) void *mm_alloc(size_t size)
{
	return (void *)(kmalloc_p(cur_m, size, GFP_KERNEL) + host_bias);
}

static __attribute__((noinline)) void mm_free(void *p)
{
	kfree_p(cur_m, (uintptr_t)p - host_bias);
}

#define LIB_WRAPPERS(i)                                                                     \
	static __attribute__((noinline)) void *alloc##i(size_t size) { return lib_malloc[i](size); } \
	static __attribute__((noinline)) void free##i(void *p) { lib_free[i](p); }
LIB_WRAPPERS(1)
LIB_WRAPPERS(2)
LIB_WRAPPERS(3)
LIB_WRAPPERS(4)

enum { A_MMSIM, A_GLIBC, A_JEMALLOC, A_MIMALLOC, A_TCMALLOC, A_PURE, NR_ALLOCATORS };

static struct allocator allocators[NR_ALLOCATORS] = {
	[A_MMSIM] = { "mmsim kmalloc", NULL, NULL, mm_alloc, mm_free, true },
	[A_GLIBC] = { "glibc malloc", NULL, NULL, alloc1, free1, true },
	[A_JEMALLOC] = { "jemalloc", "libjemalloc.so.2", "libjemalloc2", alloc2, free2 },
	[A_MIMALLOC] = { "mimalloc", "libmimalloc.so.2", "libmimalloc2.0", alloc3, free3 },
	[A_TCMALLOC] = { "tcmalloc", "libtcmalloc_minimal.so.4", "libtcmalloc-minimal4", alloc4,
			 free4 },
	/*
	 * SLUB as 6.1 runs it: this tree's slub.c built without the per-CPU
	 * arrays, in a program of its own (bench_slab_61, this file built with
	 * BENCH_SLAB_61), which this one runs for that row.
	 */
	[A_PURE] = { "mmsim, 6.1 SLUB", NULL, NULL, mm_alloc, mm_free, false },
};

static void *sym(void *h, const char *name)
{
	return h ? dlsym(h, name) : NULL;
}

/* Each library's own version, asked through its own API. */
static void library_version(int a, void *h)
{
	struct allocator *al = &allocators[a];
	struct link_map *lm;

	if (dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0)
		snprintf(al->path, sizeof(al->path), "%s", lm->l_name);
	if (a == A_JEMALLOC) {
		int (*mallctl)(const char *, void *, size_t *, void *, size_t) = sym(h, "mallctl");
		const char *v = NULL;
		size_t len = sizeof(v);
		if (mallctl && !mallctl("version", &v, &len, NULL, 0) && v)
			snprintf(al->version, sizeof(al->version), "%.40s", v);
	} else if (a == A_MIMALLOC) {
		int (*mi_version)(void) = sym(h, "mi_version");
		if (mi_version) {
			int v = mi_version();
			snprintf(al->version, sizeof(al->version), "%d.%d.%d", v / 100, v / 10 % 10,
				 v % 10);
		}
	} else if (a == A_TCMALLOC) {
		const char *(*tc_version)(int *, int *, const char **) = sym(h, "tc_version");
		int major, minor;
		const char *patch;
		if (tc_version)
			snprintf(al->version, sizeof(al->version), "%s", tc_version(&major, &minor, &patch));
	}
}

static MAIN_PROGRAM_ONLY void load_libraries(char **argv)
{
	lib_malloc[1] = malloc;
	lib_free[1] = free;
	snprintf(allocators[A_GLIBC].version, sizeof(allocators[A_GLIBC].version), "glibc %s",
		 gnu_get_libc_version());
	snprintf(allocators[A_GLIBC].path, sizeof(allocators[A_GLIBC].path), "(the process's own)");
	for (int a = A_JEMALLOC; a <= A_TCMALLOC; a++) {
		struct allocator *al = &allocators[a];
		if (al->skipped)
			continue;
		void *h = dlopen(al->soname, RTLD_NOW | RTLD_LOCAL);
		if (!h && a == A_JEMALLOC && strstr(dlerror(), "static TLS") &&
		    !getenv("BENCH_SLAB_REEXEC")) {
			/*
			 * jemalloc uses initial-exec TLS, which a dlopen()ed library may
			 * only have if the loader reserved room at start-up: start
			 * again with that room reserved.
			 */
			setenv("BENCH_SLAB_REEXEC", "1", 1);
			setenv("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=65536", 1);
			execv("/proc/self/exe", argv);
		}
		/* The library's own malloc and free: dlsym() searches it before libc. */
		lib_malloc[a - A_JEMALLOC + 2] = (void *(*)(size_t))sym(h, "malloc");
		lib_free[a - A_JEMALLOC + 2] = (void (*)(void *))sym(h, "free");
		al->present = lib_malloc[a - A_JEMALLOC + 2] && lib_free[a - A_JEMALLOC + 2];
		if (al->present)
			library_version(a, h);
	}
}

/* ---- the operation sequences --------------------------------------------- */

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t next_rand(void)
{
	return xorshift64(&rng);
}

static unsigned int pick_size(void)
{
	uint64_t r = next_rand();
	unsigned int b = r % 100, x = (unsigned int)(r >> 32);

	if (b < 50)
		return 8 + x % 57;
	if (b < 75)
		return 65 + x % 192;
	if (b < 90)
		return 257 + x % 768;
	if (b < 98)
		return 1025 + x % 1024;
	return 2049 + x % 2048;
}

/* The kmalloc caches' active objects after the real kernel's boot. */
static unsigned int mix_size[16], mix_from[16];
static unsigned long mix_weight[16], mix_total;
static int mix_n;

static int load_kernel_mix(void)
{
	FILE *f = fopen(MMSIM_SOURCE_DIR "/tests/fixtures/oracle/linux-6.1-x86_64-8192M.txt", "r");
	char line[512];
	bool in = false;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "===", 3)) {
			if (in)
				break;
			in = !strncmp(line, "===SLABINFO_FULL", 16);
			continue;
		}
		char name[64];
		unsigned long active, total;
		unsigned int size;
		if (!in || sscanf(line, "kmalloc-%63s %lu %lu %u", name, &active, &total, &size) != 4)
			continue;
		/* The plain kmalloc-N caches (not kmalloc-rcl-, kmalloc-cg-). */
		if (strspn(name, "0123456789") == 0 || strspn(name, "0123456789k") != strlen(name))
			continue;
		if (mix_n < 16 && active && size <= 8192) {
			mix_size[mix_n] = size;
			mix_weight[mix_n++] = active;
			mix_total += active;
		}
	}
	fclose(f);
	/* By size, smallest first (slabinfo lists them largest first). */
	for (int i = 1; i < mix_n; i++)
		for (int j = i; j > 0 && mix_size[j - 1] > mix_size[j]; j--) {
			unsigned int ts = mix_size[j];
			unsigned long tw = mix_weight[j];
			mix_size[j] = mix_size[j - 1], mix_weight[j] = mix_weight[j - 1];
			mix_size[j - 1] = ts, mix_weight[j - 1] = tw;
		}
	/* Sizes inside a cache: from the next smaller cache's size + 1. */
	for (int i = 0; i < mix_n; i++)
		mix_from[i] = i ? mix_size[i - 1] + 1 : 1;
	return mix_n ? 0 : -1;
}

static unsigned int pick_kernel_size(void)
{
	unsigned long r = next_rand() % mix_total;
	int i = 0;

	while (r >= mix_weight[i])
		r -= mix_weight[i++];
	return mix_from[i] + (unsigned int)(next_rand() % (mix_size[i] - mix_from[i] + 1));
}

static unsigned long nops = 2000000;
static uint32_t *seq_slot;
static uint16_t *seq_size[2], fill_size[2][SLOTS];
static void *slot[SLOTS];
static volatile uint64_t sink;

static void use_machine(const struct allocator *a)
{
	cur_m = a->m;
	if (cur_m)
		host_bias = (uintptr_t)cur_m->ram - (uintptr_t)cur_m->page_offset;
}

/* ---- the cases ------------------------------------------------------------- */

struct sample {
	double cpu_ns;		/* per op */
	double wall_ns;		/* per op (the cross-CPU case prints it) */
	uint64_t lat[4];	/* latency case: p50, p99, p99.9, max in ns */
};

/* CPU time of the whole process: the cross-CPU case's two threads both count. */
static double process_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void run_fast(const struct allocator *a, bool neighbour, struct sample *out)
{
	void *keep = neighbour ? a->alloc(64) : NULL;
	double t0 = process_cpu_ns();

	COUNT_BEGIN();
	for (unsigned long i = 0; i < nops; i++)
		a->free(a->alloc(64));
	COUNT_END("fast");
	out->cpu_ns = (process_cpu_ns() - t0) / (double)nops;
	if (keep)
		a->free(keep);
}

static void fill_slots(const struct allocator *a, int which)
{
	for (int i = 0; i < SLOTS; i++) {
		slot[i] = a->alloc(fill_size[which][i]);
		*(volatile uint64_t *)slot[i] = (uint64_t)i;
	}
}

static void empty_slots(const struct allocator *a)
{
	for (int i = 0; i < SLOTS; i++)
		a->free(slot[i]);
}

static void run_live(const struct allocator *a, int which, struct sample *out)
{
	const uint16_t *sizes = seq_size[which];
	uint64_t sum = 0;

	fill_slots(a, which);
	double t0 = process_cpu_ns();
	COUNT_BEGIN();
	for (unsigned long i = 0; i < nops; i++) {
		uint32_t s = seq_slot[i];
		sum += *(volatile uint64_t *)slot[s];
		a->free(slot[s]);
		slot[s] = a->alloc(sizes[i]);
		*(volatile uint64_t *)slot[s] = i;
	}
	COUNT_END("live");
	out->cpu_ns = (process_cpu_ns() - t0) / (double)nops;
	sink += sum;
	empty_slots(a);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

static double tsc_per_ns;

static void calibrate_tsc(void)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	uint64_t t0 = __rdtsc();
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < 50000000L);
	uint64_t t1 = __rdtsc();
	tsc_per_ns = (double)(t1 - t0) /
		     (double)((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec));
}

static uint64_t *lat;

static void percentiles(uint64_t *v, unsigned long n, uint64_t out[4])
{
	qsort(v, n, sizeof(*v), cmp_u64);
	out[0] = (uint64_t)((double)v[n / 2] / tsc_per_ns);
	out[1] = (uint64_t)((double)v[n * 99 / 100] / tsc_per_ns);
	out[2] = (uint64_t)((double)v[n * 999 / 1000] / tsc_per_ns);
	out[3] = (uint64_t)((double)v[n - 1] / tsc_per_ns);
}

static void run_latency(const struct allocator *a, struct sample *out)
{
	uint64_t sum = 0;

	fill_slots(a, 0);
	double t0 = process_cpu_ns();
	for (unsigned long i = 0; i < nops; i++) {
		uint32_t s = seq_slot[i];
		_mm_lfence();
		uint64_t t = __rdtsc();
		_mm_lfence();
		sum += *(volatile uint64_t *)slot[s];
		a->free(slot[s]);
		slot[s] = a->alloc(seq_size[0][i]);
		*(volatile uint64_t *)slot[s] = i;
		_mm_lfence();
		lat[i] = __rdtsc() - t;
	}
	out->cpu_ns = (process_cpu_ns() - t0) / (double)nops;
	sink += sum;
	empty_slots(a);
	percentiles(lat, nops, out->lat);
}

/* What timing an op with the rdtsc pair costs with no op between. */
static MAIN_PROGRAM_ONLY void latency_floor(uint64_t out[4])
{
	for (unsigned long i = 0; i < nops; i++) {
		_mm_lfence();
		uint64_t t = __rdtsc();
		_mm_lfence();
		_mm_lfence();
		lat[i] = __rdtsc() - t;
	}
	percentiles(lat, nops, out);
}

/* Cross-CPU: mmsim moves its simulated CPU; the others get two threads and a ring. */
#define RING 1024
static void *ring[RING];
static _Atomic unsigned long ring_head, ring_tail;

struct cross_arg {
	const struct allocator *a;
};

static void *cross_consumer(void *arg)
{
	const struct allocator *a = ((struct cross_arg *)arg)->a;

	for (unsigned long done = 0; done < nops;) {
		unsigned long head = atomic_load_explicit(&ring_head, memory_order_acquire);
		unsigned long tail = atomic_load_explicit(&ring_tail, memory_order_relaxed);
		if (head == tail) {
			sched_yield();	/* two threads may share one core on a busy machine */
			continue;
		}
		for (; tail != head; tail++, done++)
			a->free(ring[tail % RING]);
		atomic_store_explicit(&ring_tail, tail, memory_order_release);
	}
	return NULL;
}

static void run_cross(const struct allocator *a, struct sample *out)
{
	double t0 = process_cpu_ns(), w0 = wall_ns();

	if (a->m) {
		void *batch[BATCH];
		for (unsigned long i = 0; i < nops; i += BATCH) {
			a->m->cur_cpu = 0;
			for (int j = 0; j < BATCH; j++)
				batch[j] = a->alloc(64);
			a->m->cur_cpu = 1;
			for (int j = 0; j < BATCH; j++)
				a->free(batch[j]);
		}
		a->m->cur_cpu = 0;
	} else {
		pthread_t th;
		struct cross_arg arg = { a };
		atomic_store(&ring_head, 0);
		atomic_store(&ring_tail, 0);
		pthread_create(&th, NULL, cross_consumer, &arg);
		unsigned long head = 0;
		while (head < nops) {
			unsigned long tail = atomic_load_explicit(&ring_tail, memory_order_acquire);
			if (head - tail > RING - BATCH) {
				sched_yield();
				continue;
			}
			for (int j = 0; j < BATCH && head < nops; j++, head++)
				ring[head % RING] = a->alloc(64);
			atomic_store_explicit(&ring_head, head, memory_order_release);
		}
		pthread_join(th, NULL);
	}
	out->cpu_ns = (process_cpu_ns() - t0) / (double)nops;
	out->wall_ns = (wall_ns() - w0) / (double)nops;
}

enum { C_NEIGHBOUR, C_ALONE, C_LIVE, C_MIX, C_CROSS, C_LATENCY, NR_CASES };
static MAIN_PROGRAM_ONLY const char *const case_names[NR_CASES] = {
	"neighbour 64", "alone 64", "live 100k", "kernel mix", "cross-CPU", "latency",
};

static void run_case(int c, const struct allocator *a, struct sample *s)
{
	use_machine(a);
	switch (c) {
	case C_NEIGHBOUR: run_fast(a, true, s); break;
	case C_ALONE: run_fast(a, false, s); break;
	case C_LIVE: run_live(a, 0, s); break;
	case C_MIX: run_live(a, 1, s); break;
	case C_CROSS: run_cross(a, s); break;
	default: run_latency(a, s); break;
	}
}

/* ---- instruction counts under callgrind -------------------------------------- */

static void take_ir(const char *label, double ir, void *arg)
{
	(void)label;
	*(double *)arg = ir;
}

/*
 * Runs `THIS --one C A -n N` under callgrind (bench_count.h): the child
 * counts only its timed loop, so the dump's Ir divided by N is
 * instructions per op.
 */
static MAIN_PROGRAM_ONLY double count_instructions(const char *self, int c, int a,
						 unsigned long n)
{
	char cs[16], as[16], ns[32];
	double ir = -1;

	snprintf(cs, sizeof(cs), "%d", c);
	snprintf(as, sizeof(as), "%d", a);
	snprintf(ns, sizeof(ns), "%lu", n);
	char *argv[] = { (char *)self, "--one", cs, as, "-n", ns, NULL };
	if (count_run(argv, take_ir, &ir) != 1 || ir < 0)
		return -1;
	return ir / (double)n;
}

/* ---- main ------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: bench_slab [-r REPS] [-n OPS] [-a NAME] [-s NAME]... [-c|--count]\n");
	exit(2);
}

static struct machine *boot_machine(void)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.arch = MMSIM_ARCH_X86_64;
	d.mem_bytes = 4096ULL << 20;
	d.nr_cpus = 2;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	if (!m || !mmsim_kmem_cache_find(m, "kmalloc-64")) {
		fprintf(stderr, "bench_slab: boot failed: %s\n", m ? "no slab allocator" : err);
		exit(1);
	}
	return m;
}

static void make_sequences(void)
{
	seq_slot = malloc(nops * sizeof(*seq_slot));
	seq_size[0] = malloc(nops * sizeof(*seq_size[0]));
	seq_size[1] = malloc(nops * sizeof(*seq_size[1]));
	lat = malloc(nops * sizeof(*lat));
	if (!seq_slot || !seq_size[0] || !seq_size[1] || !lat) {
		fprintf(stderr, "bench_slab: out of memory for %lu ops\n", nops);
		exit(1);
	}
	if (load_kernel_mix()) {
		fprintf(stderr, "bench_slab: cannot read the kernel's kmalloc sizes from %s\n",
			MMSIM_SOURCE_DIR "/tests/fixtures/oracle/linux-6.1-x86_64-8192M.txt");
		exit(1);
	}
	for (int i = 0; i < SLOTS; i++) {
		fill_size[0][i] = (uint16_t)pick_size();
		fill_size[1][i] = (uint16_t)pick_kernel_size();
	}
	for (unsigned long i = 0; i < nops; i++) {
		seq_slot[i] = (uint32_t)(next_rand() % SLOTS);
		seq_size[0][i] = (uint16_t)pick_size();
		seq_size[1][i] = (uint16_t)pick_kernel_size();
	}
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* One allocator's runs of one case: CPU ns per op min / median / max, and the median run. */
struct measured {
	double min, med, max;
	struct sample mid;
};

static void measure(int c, const struct allocator *al, int reps, struct measured *out)
{
	struct sample s[99], warm;
	double v[99];

	run_case(c, al, &warm);		/* first-touch faults are not the allocator's */
	for (int r = 0; r < reps; r++) {
		run_case(c, al, &s[r]);
		v[r] = s[r].cpu_ns;
	}
	qsort(v, (size_t)reps, sizeof(double), cmp_double);
	/* The median run's latencies: the run whose CPU time is the median. */
	int mid = 0;
	for (int r = 0; r < reps; r++)
		if (s[r].cpu_ns == v[reps / 2])
			mid = r;
	*out = (struct measured){ v[0], v[reps / 2], v[reps - 1], s[mid] };
}

#define ROW_FORMAT "ROW %lf %lf %lf %lf %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64

#ifdef BENCH_SLAB_61

/*
 * bench_slab_61: the "mmsim, 6.1 SLUB" row of bench_slab, in a program of
 * its own because its slub.c is built without the per-CPU arrays (the
 * library's other objects are the same). bench_slab runs it as
 *   bench_slab_61 --row CASE -r REPS -n OPS   one case: a ROW line
 *   bench_slab_61 --one CASE ALLOC -n OPS     one run, for callgrind
 * on the same sequences (the same seed and op count).
 */
int main(int argc, char **argv)
{
	int reps = 5, row = -1, one_case = -1;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (val && !strcmp(arg, "--row"))
			row = atoi(val), i++;
		else if (!strcmp(arg, "--one") && i + 2 < argc)
			one_case = atoi(argv[i + 1]), i += 2;
		else if (val && !strcmp(arg, "-r"))
			reps = atoi(val), i++;
		else if (val && !strcmp(arg, "-n"))
			nops = strtoul(val, NULL, 0), i++;
		else
			usage();
	}
	int c = row >= 0 ? row : one_case;
	if (c < 0 || c >= NR_CASES || reps < 1 || reps > 99 || nops < 1000 || nops > 100000000)
		usage();
	M = boot_machine();
	struct allocator *al = &allocators[A_PURE];
	al->m = M;
	al->present = true;
	make_sequences();
	calibrate_tsc();
	if (one_case >= 0) {
		struct sample s;
		run_case(c, al, &s);
	} else {
		struct measured r;
		measure(c, al, reps, &r);
		printf(ROW_FORMAT "\n", r.min, r.med, r.max, r.mid.wall_ns, r.mid.lat[0], r.mid.lat[1],
		       r.mid.lat[2], r.mid.lat[3]);
	}
	if (mmsim_verify(M, stderr)) {
		fprintf(stderr, "bench_slab_61: the machine is inconsistent after the runs\n");
		return 1;
	}
	mmsim_destroy(M);
	return 0;
}

#else /* bench_slab itself */

/* bench_slab_61, beside this program; NULL when it is not there. */
static const char *helper_path(const char *self)
{
	static char path[4096 + 16];
	const char *slash = strrchr(self, '/');

	snprintf(path, sizeof(path), "%.*s/bench_slab_61", slash ? (int)(slash - self) : 1,
		 slash ? self : ".");
	return access(path, X_OK) == 0 ? path : NULL;
}

/* The 6.1 SLUB row of case @c, measured by bench_slab_61; false if it failed. */
static bool helper_row(const char *helper, int c, int reps, struct measured *out)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "'%s' --row %d -r %d -n %lu", helper, c, reps, nops);
	FILE *p = popen(cmd, "r");
	if (!p)
		return false;
	struct measured r = { 0 };
	int n = fscanf(p, ROW_FORMAT, &r.min, &r.med, &r.max, &r.mid.wall_ns, &r.mid.lat[0],
		       &r.mid.lat[1], &r.mid.lat[2], &r.mid.lat[3]);
	r.mid.cpu_ns = r.med;
	if (pclose(p) != 0 || n != 8)
		return false;
	*out = r;
	return true;
}

int main(int argc, char **argv)
{
	int reps = 5;
	bool count = false;
	const char *only = NULL;
	int one_case = -1, one_alloc = -1;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(arg, "-c") || !strcmp(arg, "--count")) {
			count = true;
		} else if (!strcmp(arg, "--one") && i + 2 < argc) {
			one_case = atoi(argv[i + 1]);
			one_alloc = atoi(argv[i + 2]);
			i += 2;
		} else if (val && !strcmp(arg, "-r")) {
			reps = atoi(val), i++;
		} else if (val && !strcmp(arg, "-n")) {
			nops = strtoul(val, NULL, 0), i++;
		} else if (val && !strcmp(arg, "-a")) {
			only = val, i++;
		} else if (val && !strcmp(arg, "-s")) {
			bool found = false;
			for (int a = 0; a < NR_ALLOCATORS; a++)
				if (strstr(allocators[a].name, val))
					allocators[a].skipped = found = true;
			if (!found)
				usage();
			i++;
		} else {
			usage();
		}
	}
	if (reps < 1 || reps > 99 || nops < 1000 || nops > 100000000)
		usage();
	if (count && !count_available()) {
		fprintf(stderr, "bench_slab: built without valgrind/callgrind.h: run tools/install-deps "
			"--bench, then rebuild\n");
		return 2;
	}
	M = boot_machine();
	allocators[A_MMSIM].m = M;
	snprintf(allocators[A_MMSIM].version, sizeof(allocators[A_MMSIM].version), "this tree");
	/* glibc makes no system calls while timed (as bench_page_alloc). */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	load_libraries(argv);
	make_sequences();

	if (one_case >= 0) {
		/* A child under callgrind: one case, one allocator, one run. */
		if (one_case >= NR_CASES || one_alloc < 0 || one_alloc >= NR_ALLOCATORS ||
		    !allocators[one_alloc].present)
			return 2;
		struct sample s;
		run_case(one_case, &allocators[one_alloc], &s);
		return 0;
	}
	const char *self = count_self_path();
	if (!self) {
		fprintf(stderr, "bench_slab: cannot read /proc/self/exe: %s\n", strerror(errno));
		return 1;
	}
	const char *helper = helper_path(self);
	struct allocator *pure = &allocators[A_PURE];
	if (helper && !pure->skipped) {
		pure->present = true;
		snprintf(pure->version, sizeof(pure->version), "this tree's slub.c, no arrays");
		snprintf(pure->path, sizeof(pure->path), "%.200s", helper);
	} else if (!pure->skipped) {
		fprintf(stderr, "bench_slab: bench_slab_61 (SLUB as 6.1 runs it) is not beside this "
			"program: build it (cmake --build build --target bench_slab_61), or skip it "
			"with -s 6.1\n");
		return 1;
	}
	bool missing = false;
	for (int a = 0; a < NR_ALLOCATORS; a++) {
		struct allocator *al = &allocators[a];
		if (only && !strstr(al->name, only))
			al->present = false, al->skipped = true;
		if (!al->present && !al->skipped) {
			fprintf(stderr, "bench_slab: %s (%s) is not installed: run tools/install-deps "
				"--bench, or skip it with -s %s\n", al->name, al->package, al->name);
			missing = true;
		}
	}
	if (missing)
		return 1;
	calibrate_tsc();
	printf("bench_slab: %lu ops per run, %d runs; CPU ns per op min / median / max "
	       "(ratio: other median / mmsim median)%s\n", nops, reps,
	       count ? "; instructions per op from callgrind" : "");
	for (int a = 0; a < NR_ALLOCATORS; a++)
		if (allocators[a].present)
			printf("  %-16s %-30s %s\n", allocators[a].name, allocators[a].version,
			       allocators[a].path);
	for (int c = 0; c < NR_CASES; c++) {
		struct measured med[NR_ALLOCATORS];
		printf("\n%s\n", case_names[c]);
		if (c == C_LATENCY) {
			uint64_t floor[4];
			latency_floor(floor);
			printf("  %-16s p50 %4" PRIu64 "  p99 %4" PRIu64 "  p99.9 %5" PRIu64
			       "  max %7" PRIu64 " ns (rdtsc alone)\n", "floor", floor[0], floor[1],
			       floor[2], floor[3]);
		}
		for (int a = 0; a < NR_ALLOCATORS; a++) {
			const struct allocator *al = &allocators[a];
			if (!al->present)
				continue;
			if (a == A_PURE) {
				if (!helper_row(helper, c, reps, &med[a])) {
					fprintf(stderr, "bench_slab: %s failed\n", helper);
					return 1;
				}
			} else {
				measure(c, al, reps, &med[a]);
			}
			const struct measured *r = &med[a];
			printf("  %-16s %6.2f / %6.2f / %6.2f", al->name, r->min, r->med, r->max);
			if (a != A_MMSIM && allocators[A_MMSIM].present)
				printf("  %5.2fx", r->med / med[A_MMSIM].med);
			else
				printf("       ");
			if (count && c != C_CROSS && c != C_LATENCY) {
				unsigned long n = nops < 200000 ? nops : 200000;
				double ir = a == A_PURE ? count_instructions(helper, c, a, n)
							: count_instructions(self, c, a, n);
				if (ir < 0)
					printf("   instr: failed (is valgrind installed?)");
				else
					printf("   %7.1f instr/op", ir);
			}
			if (c == C_CROSS)
				printf("   wall %6.2f ns/op", r->mid.wall_ns);
			if (c == C_LATENCY)
				printf("   p50 %4" PRIu64 "  p99 %4" PRIu64 "  p99.9 %5" PRIu64
				       "  max %7" PRIu64 " ns", r->mid.lat[0], r->mid.lat[1], r->mid.lat[2],
				       r->mid.lat[3]);
			printf("\n");
			fflush(stdout);
		}
	}
	if (mmsim_verify(M, stderr)) {
		fprintf(stderr, "bench_slab: the machine is inconsistent after the runs\n");
		return 1;
	}
	mmsim_destroy(M);
	return 0;
}

#endif /* BENCH_SLAB_61 */
