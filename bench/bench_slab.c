/* bench_slab.c — how fast is SLUB's kmalloc/kfree? (mm/slub.c)
 *
 * Boots an x86_64 machine (1 CPU, 4 GiB, linux-6.1) and times, in
 * nanoseconds per operation, kmalloc + kfree beside the malloc/free of
 * glibc, jemalloc, mimalloc and tcmalloc, each run in the same process on
 * exactly the same precomputed operation sequence; and beside SLUB exactly
 * as 6.1 runs it, without the per-CPU object arrays (a second machine with
 * mmsim_slab_tune(m, NULL, 0, 0)):
 *
 *   fast path N    p = alloc(N); free(p), repeated (N = 64 and 256): the
 *                  per-CPU freelist hit. One op = one alloc + free pair.
 *   live 100k      a fixed-seed xorshift sequence over 100,000 slots, all
 *                  filled first (not timed); each op frees the object of
 *                  a random slot and allocates a new one there, so the
 *                  live set stays at 100,000 objects. Sizes 8 .. 4096:
 *                  50% 8-64, 25% 65-256, 15% 257-1024, 8% 1025-2048,
 *                  2% 2049-4096 bytes. One op = one free + one alloc.
 *
 * No allocator touches the objects' bytes in the timed loops: this
 * measures the allocators, not the caches' handling of user data.
 * Every allocator is called through the same kind of out-of-line wrapper,
 * which makes one indirect call (mmsim's too, though it is linked in).
 *
 * jemalloc (mallocx/dallocx), mimalloc (mi_malloc/mi_free) and tcmalloc
 * (tc_malloc/tc_free) are loaded at run time with dlopen(RTLD_LOCAL), so
 * this builds everywhere and never replaces glibc's malloc for the process;
 * a missing one is reported as not installed. jemalloc needs static TLS
 * room reserved at start-up: the benchmark re-executes itself once with
 * GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536 to get it.
 *
 * This is a benchmark, never a test: it is not part of CTest.
 * Usage: bench_slab [-r REPS] [-n OPS] [-a NAME]
 *   defaults 5 repetitions, 4M ops; median shown. -a runs only the
 *   allocators whose name contains NAME (for profiling one with perf). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mmsim/gfp.h>
#include <mmsim/machine.h>
#include <mmsim/slab.h>

#define SLOTS 100000

struct allocator {
	const char *name;
	const char *package;
	void *(*alloc)(size_t size);
	void (*free)(void *p);
	bool present;
};

static struct machine *M;
static struct machine *M_pure;	/* the same machine with no per-CPU arrays: 6.1's SLUB */

/*
 * mmsim is linked in, the others are called through pointers (dlsym, or
 * glibc's PLT): call kmalloc/kfree through pointers too, so every wrapper
 * makes the same kind of indirect call.
 */
static unsigned long (*volatile kmalloc_p)(struct machine *, size_t, gfp_t) = kmalloc;
static void (*volatile kfree_p)(struct machine *, unsigned long) = kfree;

static __attribute__((noinline)) void *mm_alloc(size_t size)
{
	return (void *)kmalloc_p(M, size, GFP_KERNEL);
}

static __attribute__((noinline)) void mm_free(void *p)
{
	kfree_p(M, (unsigned long)p);
}

static __attribute__((noinline)) void *pure_alloc(size_t size)
{
	return (void *)kmalloc_p(M_pure, size, GFP_KERNEL);
}

static __attribute__((noinline)) void pure_free(void *p)
{
	kfree_p(M_pure, (unsigned long)p);
}

static __attribute__((noinline)) void *glibc_alloc(size_t size)
{
	return malloc(size);
}

static __attribute__((noinline)) void glibc_free(void *p)
{
	free(p);
}

static void *(*je_mallocx)(size_t, int);
static void (*je_dallocx)(void *, int);
static void *(*mi_malloc_p)(size_t);
static void (*mi_free_p)(void *);
static void *(*tc_malloc_p)(size_t);
static void (*tc_free_p)(void *);

static __attribute__((noinline)) void *je_alloc(size_t size) { return je_mallocx(size, 0); }
static __attribute__((noinline)) void je_free(void *p) { je_dallocx(p, 0); }
static __attribute__((noinline)) void *mi_alloc(size_t size) { return mi_malloc_p(size); }
static __attribute__((noinline)) void mi_free_w(void *p) { mi_free_p(p); }
static __attribute__((noinline)) void *tc_alloc(size_t size) { return tc_malloc_p(size); }
static __attribute__((noinline)) void tc_free_w(void *p) { tc_free_p(p); }

static struct allocator allocators[] = {
	{ "mmsim kmalloc", NULL, mm_alloc, mm_free, true },
	{ "glibc malloc", NULL, glibc_alloc, glibc_free, true },
	{ "jemalloc", "libjemalloc2", je_alloc, je_free, false },
	{ "mimalloc", "libmimalloc2.0", mi_alloc, mi_free_w, false },
	{ "tcmalloc", "libtcmalloc-minimal4", tc_alloc, tc_free_w, false },
	{ "mmsim, 6.1 SLUB", NULL, pure_alloc, pure_free, true },
};

static void *sym(void *h, const char *name)
{
	return h ? dlsym(h, name) : NULL;
}

static void load_libraries(char **argv)
{
	void *h = dlopen("libjemalloc.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!h && strstr(dlerror(), "static TLS") && !getenv("BENCH_SLAB_REEXEC")) {
		/*
		 * jemalloc uses initial-exec TLS, which a dlopen()ed library may
		 * only have if the loader reserved room at start-up: start again
		 * with that room reserved.
		 */
		setenv("BENCH_SLAB_REEXEC", "1", 1);
		setenv("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=65536", 1);
		execv("/proc/self/exe", argv);
	}
	*(void **)&je_mallocx = sym(h, "mallocx");
	*(void **)&je_dallocx = sym(h, "dallocx");
	allocators[2].present = je_mallocx && je_dallocx;
	h = dlopen("libmimalloc.so.2", RTLD_NOW | RTLD_LOCAL);
	*(void **)&mi_malloc_p = sym(h, "mi_malloc");
	*(void **)&mi_free_p = sym(h, "mi_free");
	allocators[3].present = mi_malloc_p && mi_free_p;
	h = dlopen("libtcmalloc_minimal.so.4", RTLD_NOW | RTLD_LOCAL);
	*(void **)&tc_malloc_p = sym(h, "tc_malloc");
	*(void **)&tc_free_p = sym(h, "tc_free");
	allocators[4].present = tc_malloc_p && tc_free_p;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
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

static unsigned long nops = 4000000;
static uint32_t *seq_slot;
static uint16_t *seq_size;
static uint16_t fill_size[SLOTS];
static void *slot[SLOTS];

static double run_fast(const struct allocator *a, size_t size)
{
	double t0 = now();
	for (unsigned long i = 0; i < nops; i++)
		a->free(a->alloc(size));
	return (now() - t0) * 1e9 / nops;
}

static double run_live(const struct allocator *a)
{
	for (int i = 0; i < SLOTS; i++)
		slot[i] = a->alloc(fill_size[i]);
	double t0 = now();
	for (unsigned long i = 0; i < nops; i++) {
		uint32_t s = seq_slot[i];
		a->free(slot[s]);
		slot[s] = a->alloc(seq_size[i]);
	}
	double t = (now() - t0) * 1e9 / nops;
	for (int i = 0; i < SLOTS; i++)
		a->free(slot[i]);
	return t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int reps = 5;
	const char *only = NULL;
	struct machine_desc d;
	char err[256];

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-r"))
			reps = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "-n"))
			nops = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "-a"))
			only = argv[i + 1];
		else
			reps = 0;
	}
	if (reps < 1 || reps > 99 || nops < 1000) {
		fprintf(stderr, "usage: bench_slab [-r REPS] [-n OPS] [-a NAME]\n");
		return 2;
	}
	mmsim_desc_init(&d);
	d.arch = MMSIM_ARCH_X86_64;
	d.mem_bytes = 4096ULL << 20;
	d.nr_cpus = 1;
	M = mmsim_boot(&d, err, sizeof(err));
	if (!M) {
		fprintf(stderr, "bench_slab: boot failed: %s\n", err);
		return 1;
	}
	M_pure = mmsim_boot(&d, err, sizeof(err));
	if (!M_pure || !mmsim_kmem_cache_find(M, "kmalloc-64") ||
	    mmsim_slab_tune(M_pure, NULL, 0, 0)) {
		fprintf(stderr, "bench_slab: boot failed: %s\n", M_pure ? "no slab allocator" : err);
		return 1;
	}
	/* glibc makes no system calls while timed (as bench_page_alloc). */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	load_libraries(argv);
	for (size_t a = 0; only && a < ARRAY_SIZE(allocators); a++)
		if (!strstr(allocators[a].name, only))
			allocators[a].present = false;

	seq_slot = malloc(nops * sizeof(*seq_slot));
	seq_size = malloc(nops * sizeof(*seq_size));
	if (!seq_slot || !seq_size)
		return 1;
	for (int i = 0; i < SLOTS; i++)
		fill_size[i] = (uint16_t)pick_size();
	for (unsigned long i = 0; i < nops; i++) {
		seq_slot[i] = (uint32_t)(next_rand() % SLOTS);
		seq_size[i] = (uint16_t)pick_size();
	}

	static const char *const cases[] = { "fast path 64", "fast path 256", "live 100k" };
	enum { NR_ALLOCATORS = ARRAY_SIZE(allocators) };
	double result[3][NR_ALLOCATORS];
	printf("bench_slab: %lu ops per run, median of %d; ns per op (ratio = other / mmsim)\n",
	       nops, reps);
	for (int c = 0; c < 3; c++) {
		for (size_t a = 0; a < NR_ALLOCATORS; a++) {
			if (!allocators[a].present)
				continue;
			double t[99];
			/* Warm-up run: first-touch page faults are not the allocator's speed. */
			c < 2 ? run_fast(&allocators[a], c ? 256 : 64) : run_live(&allocators[a]);
			for (int r = 0; r < reps; r++)
				t[r] = c < 2 ? run_fast(&allocators[a], c ? 256 : 64)
					     : run_live(&allocators[a]);
			qsort(t, (size_t)reps, sizeof(double), cmp_double);
			result[c][a] = t[reps / 2];
		}
		printf("\n%s\n", cases[c]);
		for (size_t a = 0; a < NR_ALLOCATORS; a++) {
			if (!allocators[a].present) {
				if (only)
					continue;
				printf("  %-16s not installed (apt-get install %s)\n", allocators[a].name,
				       allocators[a].package);
				continue;
			}
			printf("  %-16s %7.2f ns/op", allocators[a].name, result[c][a]);
			if (a && allocators[0].present)
				printf("   %.2fx", result[c][a] / result[c][0]);
			printf("\n");
		}
	}
	if (mmsim_verify(M, stderr) || mmsim_verify(M_pure, stderr)) {
		fprintf(stderr, "bench_slab: a machine is inconsistent after the runs\n");
		return 1;
	}
	mmsim_destroy(M);
	mmsim_destroy(M_pure);
	free(seq_slot);
	free(seq_size);
	return 0;
}
