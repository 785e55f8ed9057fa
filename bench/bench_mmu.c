/* bench_mmu.c — speed of the software MMU and of highmem mappings.
 *
 * Cases (ns per operation, median of runs):
 *   translate, TLB hit          — the same page again and again
 *   translate, miss: i386 walk  — 2-level walk after an invlpg
 *   translate, miss: x86_64 walk — 4-level walk after an invlpg
 *   kmap + kunmap of a HighMem page (pkmap slot reuse)
 *   kmap_atomic + kunmap_atomic of a HighMem page (fixmap slot + invlpg)
 *   vmalloc + vfree of 1 page and of 1 MiB (pages, page tables, lazy purge)
 * Each beside a baseline measured in the same run: for lookups, a flat host
 * array indexed by page number (a translation with no page tables at all);
 * for vmalloc, the host kernel's own mmap(MAP_POPULATE) + munmap of the
 * same size. Not a test: nothing here gates CI.
 * Targets (issue 5): hit <= 3 ns, 2-level walk <= 25 ns, kmap_atomic pair <= 20 ns. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <mmsim/highmem.h>
#include <mmsim/machine.h>
#include <mmsim/vmalloc.h>

#include "arch/x86/mmu.h"
#include "host_baseline.h"
#include "mm.h"

static volatile uint64_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static struct machine *boot(enum mmsim_arch arch, uint64_t mib)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.arch = arch;
	d.mem_bytes = mib << 20;
	d.nr_cpus = 1;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	if (!m || mmsim_verify(m, stderr)) {
		fprintf(stderr, "bench_mmu: boot failed: %s\n", m ? "inconsistent" : err);
		exit(1);
	}
	return m;
}

#define RUNS 5

static double median(double *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* Baseline: a flat host table from page number to frame. */
static double flat_lookup(const uint64_t *table, uint64_t mask, uint64_t va, long iters)
{
	double t0 = now_ns();
	uint64_t acc = 0;

	for (long i = 0; i < iters; i++)
		acc += table[((va >> 12) + (uint64_t)(i & 1)) & mask];
	sink = acc;
	return (now_ns() - t0) / (double)iters;
}

static double tlb_hit(struct machine *m, uint64_t va, long iters)
{
	phys_addr_t pa, acc = 0;
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		mmu_translate(m, 0, va + (uint64_t)(i & 7) * 8, MMU_READ, &pa);
		acc += pa;
	}
	sink = acc;
	return (now_ns() - t0) / (double)iters;
}

static double tlb_miss(struct machine *m, uint64_t va, long iters)
{
	phys_addr_t pa, acc = 0;
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		flush_tlb_one_kernel(m, 0, va);
		mmu_translate(m, 0, va, MMU_READ, &pa);
		acc += pa;
	}
	sink = acc;
	return (now_ns() - t0) / (double)iters;
}

static double flush_only(struct machine *m, uint64_t va, long iters)
{
	double t0 = now_ns();

	for (long i = 0; i < iters; i++)
		flush_tlb_one_kernel(m, 0, va);
	return (now_ns() - t0) / (double)iters;
}

static double kmap_pair(struct machine *m, struct page *p, long iters)
{
	bool sleep;
	uint64_t acc = 0;
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		acc += kmap(m, p, &sleep);
		kunmap(m, p);
	}
	sink = acc;
	return (now_ns() - t0) / (double)iters;
}

static double kmap_atomic_pair(struct machine *m, struct page *p, long iters)
{
	uint64_t acc = 0;
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		uint64_t va = kmap_atomic(m, p, 0);
		acc += va;
		kunmap_atomic(m, va, 0);
	}
	sink = acc;
	return (now_ns() - t0) / (double)iters;
}

static double vmalloc_pair(struct machine *m, unsigned long size, long iters)
{
	uint64_t acc = 0;
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		uint64_t va = vmalloc(m, size);
		acc += va;
		vfree(m, va);
	}
	sink = acc;
	return (now_ns() - t0) / (double)iters;
}

static void row(const char *name, double ns, double base, const char *target, double limit)
{
	printf("  %-34s %8.2f %10.2f %7.1fx   %s%s\n", name, ns, base, ns / base, target,
	       limit > 0 ? (ns <= limit ? "  ok" : "  MISSED") : "");
}

int main(void)
{
	const long iters = 4000000;
	uint64_t *flat = calloc(1 << 20, sizeof(uint64_t));
	double v[RUNS], b[RUNS];

	if (!flat)
		return 1;
	for (int i = 0; i < (1 << 20); i++)
		flat[i] = (uint64_t)i * 4096;
	struct machine *m32 = boot(MMSIM_ARCH_I386, 2048);
	struct machine *m64 = boot(MMSIM_ARCH_X86_64, 8192);
	/* A 4K-mapped kernel address: the head of lowmem, and a vmalloc-area page. */
	uint64_t va32 = 0xc0100000, va64 = 0xffff888000100000ULL;
	struct page *hp = alloc_pages(m32, GFP_HIGHUSER, 0);

	printf("bench_mmu: ns per operation, median of %d runs of %ld\n", RUNS, iters);
	printf("  %-34s %8s %10s %8s   %s\n", "case", "mmsim", "baseline", "ratio", "target");
#define MEASURE(expr, base) do { for (int r = 0; r < RUNS; r++) { v[r] = (expr); b[r] = (base); } } while (0)
	MEASURE(tlb_hit(m32, va32, iters), flat_lookup(flat, 0xfffff, va32, iters));
	row("translate, TLB hit (i386)", median(v, RUNS), median(b, RUNS), "<= 3", 3);
	MEASURE(tlb_hit(m64, va64, iters), flat_lookup(flat, 0xfffff, va64, iters));
	row("translate, TLB hit (x86_64)", median(v, RUNS), median(b, RUNS), "<= 3", 3);
	MEASURE(tlb_miss(m32, va32, iters), flush_only(m32, va32, iters));
	row("invlpg + 2-level walk (i386)", median(v, RUNS), median(b, RUNS), "<= 25", 25);
	MEASURE(tlb_miss(m64, va64, iters), flush_only(m64, va64, iters));
	row("invlpg + 4-level walk (x86_64)", median(v, RUNS), median(b, RUNS), "-", 0);
	MEASURE(kmap_pair(m32, hp, iters), flat_lookup(flat, 0xfffff, va32, iters));
	row("kmap + kunmap (HighMem page)", median(v, RUNS), median(b, RUNS), "-", 0);
	MEASURE(kmap_atomic_pair(m32, hp, iters), flat_lookup(flat, 0xfffff, va32, iters));
	row("kmap_atomic + kunmap_atomic", median(v, RUNS), median(b, RUNS), "<= 20", 20);
	MEASURE(vmalloc_pair(m32, 4096, iters / 20), host_mmap_populate_pair(4096, iters / 20));
	row("vmalloc + vfree, 1 page (i386)", median(v, RUNS), median(b, RUNS), "-", 0);
	MEASURE(vmalloc_pair(m32, 1 << 20, iters / 2000), host_mmap_populate_pair(1 << 20, iters / 2000));
	row("vmalloc + vfree, 1 MiB (i386)", median(v, RUNS), median(b, RUNS), "-", 0);
	MEASURE(vmalloc_pair(m64, 1 << 20, iters / 2000), host_mmap_populate_pair(1 << 20, iters / 2000));
	row("vmalloc + vfree, 1 MiB (x86_64)", median(v, RUNS), median(b, RUNS), "-", 0);
	printf("  (baseline: a flat page-number array lookup; for walks: the invlpg alone;\n"
	       "   for vmalloc: the host's mmap(MAP_POPULATE) + munmap of the same size)\n");
	__free_pages(m32, hp, 0);
	int bad = (int)(mmsim_verify(m32, stderr) + mmsim_verify(m64, stderr));
	mmsim_destroy(m32);
	mmsim_destroy(m64);
	free(flat);
	return bad ? 1 : 0;
}
