/* bench_contig.c — speed of getting contiguous memory back: CMA
 * (mm/cma.c over alloc_contig_range) and compaction (mm/compaction.c),
 * both through page migration (mm/migrate.c).
 *
 * Cases, each beside a baseline measured in the same run:
 *   cma_alloc 16 MiB, fragmented — an i386 2 GiB machine with cma=64M,
 *       filled by a program until the area holds its pages (movable pages
 *       go to CMA once more than half of a zone's free memory is CMA),
 *       which then frees every other page of its last 400 MiB; the
 *       area's first 48 MiB are taken (not timed), and the timed
 *       cma_alloc of the last 16 MiB migrates the program's pages out of
 *       it. ms per allocation and pages migrated per second. Baseline: the
 *       same cma_alloc on a machine where nothing uses the area.
 *   compaction of a 1 GiB zone — an x86_64 1280 MiB machine (DMA32 about
 *       1.2 GiB): two programs' pages interleaved at random, then one frees
 *       63 of every 64 of its pages; /proc/sys/vm/compact_memory compacts
 *       it. ms per compaction and pages migrated per second. Baseline: the
 *       same compaction of the zone holding only the first program's
 *       pages, unfragmented: both scanners' work with nothing to move.
 * (IOMMU map/unmap per page is bench_dma's.) Each case reports CPU time
 * (CLOCK_PROCESS_CPUTIME_ID), the median of RUNS fresh machines with the
 * fastest and slowest, and the median run's wall time; the machines are
 * shared and noisy, so compare the CPU columns. BENCH_CASE=cma,
 * cma-base, compact or compact-base runs that one timed call once: under
 * `valgrind --tool=callgrind --toggle-collect=timed_cma_alloc --toggle-collect=timed_compact` it gives
 * the instructions of that call alone (bench/README.md).
 * Not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/machine.h>
#include <mmsim/process.h>

#include "bench_time.h"
#include "kernel/dma/contiguous.h"
#include "mm.h"
#include "mm/cma.h"

#define MAX_RUNS 9
#define MIB (1ULL << 20)
#define PG 4096ULL

static int runs = 5;

static struct machine *boot_machine(enum mmsim_arch arch, uint64_t mib, const char *cmdline,
				    bool cma)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.arch = arch;
	d.mem_bytes = mib * MIB;
	d.nr_cpus = 1;
	d.cmdline = cmdline;
	if (cma && mmsim_desc_config(&d, "CMA=y", err, sizeof(err))) {
		fprintf(stderr, "config: %s\n", err);
		exit(1);
	}
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "boot: %s\n", err);
		exit(1);
	}
	return m;
}

static uint64_t map_base_pages(struct machine *m, int pid, uint64_t len)
{
	int64_t a = mmsim_mmap(m, pid, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	if (a < 0 || mmsim_madvise(m, pid, (uint64_t)a, len, MMSIM_MADV_NOHUGEPAGE)) {
		fprintf(stderr, "mmap of %llu MiB failed\n", (unsigned long long)(len / MIB));
		exit(1);
	}
	return (uint64_t)a;
}

static void touch(struct machine *m, int pid, uint64_t addr)
{
	unsigned char b = (unsigned char)(addr >> 12);

	if (mmsim_user_write(m, pid, addr, &b, 1, NULL)) {
		fprintf(stderr, "write %#llx failed\n", (unsigned long long)addr);
		exit(1);
	}
}

static unsigned long migrated(struct machine *m)
{
	return m->events.event[PGMIGRATE_SUCCESS];
}

static void report(const char *name, struct times *s, struct times *base, double pages)
{
	struct times md = median(s, runs), b = median(base, runs);

	printf("%-22s %8.2f ms cpu (min %.2f max %.2f, wall %.2f), %7.0f k pages migrated/s   "
	       "baseline %8.2f ms (min %.2f max %.2f)   x%.1f\n", name, md.cpu_ns / 1e6,
	       s[0].cpu_ns / 1e6, s[runs - 1].cpu_ns / 1e6, md.wall_ns / 1e6,
	       pages / (md.cpu_ns / 1e9) / 1e3, b.cpu_ns / 1e6, base[0].cpu_ns / 1e6,
	       base[runs - 1].cpu_ns / 1e6, md.cpu_ns / b.cpu_ns);
}

/* The timed calls, by name, for callgrind's --toggle-collect. */
__attribute__((noinline)) static struct page *timed_cma_alloc(struct machine *m, struct cma *cma,
							      unsigned long count)
{
	return cma_alloc(m, cma, count, 0, false);
}

__attribute__((noinline)) static int timed_compact(struct machine *m)
{
	return mmsim_proc_write(m, "/proc/sys/vm/compact_memory", "1");
}

/* ---- cma_alloc of 16 MiB ------------------------------------------------------------------ */

static struct times cma_case(bool fragmented, unsigned long *pages_moved)
{
	struct machine *m = boot_machine(MMSIM_ARCH_I386, 2048, "cma=64M", true);
	struct cma *cma = dma_contiguous_default_area(m);
	unsigned long chunk = (16 * MIB) / PG;

	if (fragmented) {
		int pid = mmsim_spawn(m, "filler");
		uint64_t len = 1890 * MIB, a = map_base_pages(m, pid, len);
		for (uint64_t off = 0; off < len; off += PG)
			touch(m, pid, a + off);
		/*
		 * Then it frees every other page of its last 400 MiB — lowmem,
		 * faulted in after HighMem ran out: the migrated pages need
		 * lowmem to move to (their gfp has no __GFP_HIGHMEM).
		 */
		for (uint64_t off = len - 400 * MIB; off < len; off += 2 * PG)
			mmsim_madvise(m, pid, a + off, PG, MMSIM_MADV_DONTNEED);
	}
	struct page *first = cma_alloc(m, cma, 3 * chunk, 0, false);
	if (!first) {
		fprintf(stderr, "cma_alloc of the first 48 MiB failed\n");
		exit(1);
	}
	unsigned long before = migrated(m);
	struct times t0 = now();
	struct page *p = timed_cma_alloc(m, cma, chunk);
	struct times t = since(t0, 1);
	if (!p) {
		fprintf(stderr, "the timed cma_alloc failed\n");
		exit(1);
	}
	*pages_moved = migrated(m) - before;
	cma_release(m, cma, p, chunk);
	cma_release(m, cma, first, 3 * chunk);
	mmsim_destroy(m);
	return t;
}

/* ---- compaction of a fragmented 1 GiB zone ---------------------------------------------------- */

static struct times compact_case(bool fragmented, unsigned long *pages_moved)
{
	struct machine *m = boot_machine(MMSIM_ARCH_X86_64, 1280, NULL, false);
	uint64_t len = 512 * MIB, seed = 0x9e3779b97f4a7c15ULL;
	int a = mmsim_spawn(m, "a"), c = mmsim_spawn(m, "c");
	uint64_t pa = map_base_pages(m, a, len), pc = map_base_pages(m, c, len);

	for (uint64_t ao = 0, co = 0; ao < len || co < len;) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		bool to_a = !fragmented || co >= len || (ao < len && (seed & 1));
		if (to_a) {
			if (ao < len)
				touch(m, a, pa + ao);
			ao += PG;
		} else {
			touch(m, c, pc + co);
			co += PG;
		}
		if (!fragmented && ao >= len)
			break;
	}
	if (fragmented)
		for (uint64_t off = 0; off < len; off += PG)
			if ((off / PG) % 64)
				mmsim_madvise(m, c, pc + off, PG, MMSIM_MADV_DONTNEED);
	unsigned long before = migrated(m);
	struct times t0 = now();
	if (timed_compact(m)) {
		fprintf(stderr, "compact_memory failed\n");
		exit(1);
	}
	struct times t = since(t0, 1);
	*pages_moved = migrated(m) - before;
	mmsim_destroy(m);
	return t;
}

int main(void)
{
	const char *r = getenv("BENCH_RUNS"), *only = getenv("BENCH_CASE");
	struct times frag[MAX_RUNS], base[MAX_RUNS];
	unsigned long moved = 0, base_moved = 0, total = 0;

	/* BENCH_CASE=cma|cma-base|compact|compact-base: that one call, once (for callgrind). */
	if (only) {
		bool frag_case = !strstr(only, "-base");
		struct times t = !strncmp(only, "cma", 3) ? cma_case(frag_case, &moved)
							 : compact_case(frag_case, &moved);
		printf("%s: %.2f ms cpu, %lu pages migrated\n", only, t.cpu_ns / 1e6, moved);
		return 0;
	}
	if (r)
		runs = atoi(r) < 1 ? 1 : atoi(r) > MAX_RUNS ? MAX_RUNS : atoi(r);
	for (int i = 0; i < runs; i++) {
		frag[i] = cma_case(true, &moved);
		base[i] = cma_case(false, &base_moved);
		total += moved;
	}
	printf("cma_alloc 16 MiB: %lu pages migrated per allocation (baseline %lu)\n", moved, base_moved);
	report("cma_alloc 16 MiB", frag, base, (double)total / runs);
	total = 0;
	for (int i = 0; i < runs; i++) {
		frag[i] = compact_case(true, &moved);
		base[i] = compact_case(false, &base_moved);
		total += moved;
	}
	printf("compact 1 GiB zone: %lu pages migrated per compaction (baseline %lu)\n", moved, base_moved);
	report("compact 1 GiB zone", frag, base, (double)total / runs);
	return 0;
}
