/* bench_process.c — speed of processes' memory: faults, fork, VMA lookup, mmap.
 *
 * Cases, each beside a baseline measured in the same run:
 *   first-touch write fault  — one byte written to each page of a fresh
 *       anonymous mapping through mmsim_user_write (the user access, the
 *       MMU miss, do_user_addr_fault, handle_mm_fault, a zeroed page from
 *       the page allocator, the PTE): ns per page. Baseline: the host
 *       kernel doing the same to its own memory (host_first_touch). Both
 *       without transparent huge pages (MADV_NOHUGEPAGE), one fault a page.
 *   fork + exit + wait       — a process with 100 MiB written forks; the
 *       child exits and is reaped (dup_mmap + copy_page_range write-protecting
 *       25600 PTEs, then exit_mmap freeing the child's tables). Baseline: the
 *       host's fork of a process with the same 100 MiB written.
 *   find_vma, 10,000 VMAs    — a lookup of a random address in an address
 *       space of 10,000 VMAs (the red-black tree walk). Baseline: libc's
 *       bsearch over the same intervals in a sorted array, the simplest
 *       structure that answers the same question.
 *   mmap + munmap pair       — one page and 64 KiB of anonymous memory
 *       mapped and unmapped, untouched. Baseline: the host's mmap + munmap.
 * Every case reports CPU time (CLOCK_PROCESS_CPUTIME_ID) per operation, the
 * median of RUNS runs, and the wall time of the median run; the machine is
 * shared and noisy, so compare the CPU columns. Instruction counts: run
 * under `valgrind --tool=callgrind` (README.md says how). Not a test.
 * Target (issue 10): the simulated fault at least 4x faster than the host's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mmsim/machine.h>
#include <mmsim/process.h>

#include "bench_time.h"
#include "host_baseline.h"
#include "kernel/sched.h"
#include "mm.h"

#define RUNS 5
#define MIB (1ULL << 20)

static volatile uint64_t sink;

static struct machine *boot(enum mmsim_arch arch, uint64_t mib)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.arch = arch;
	d.mem_bytes = mib * MIB;
	d.nr_cpus = 1;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "bench_process: boot failed: %s\n", err);
		exit(1);
	}
	return m;
}

static void check(struct machine *m, const char *what)
{
	if (mmsim_verify(m, stderr)) {
		fprintf(stderr, "bench_process: %s left the machine inconsistent\n", what);
		exit(1);
	}
}

/* A process with an empty address space, its faults one page at a time. */
static int process(struct machine *m)
{
	int pid = mmsim_spawn(m, "bench");

	if (pid < 0) {
		fprintf(stderr, "bench_process: spawn: %d\n", pid);
		exit(1);
	}
	return pid;
}

static int64_t map_anon(struct machine *m, int pid, uint64_t len)
{
	int64_t p = mmsim_mmap(m, pid, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	if (p < 0) {
		fprintf(stderr, "bench_process: mmap %llu: %lld\n", (unsigned long long)len, (long long)p);
		exit(1);
	}
	mmsim_madvise(m, pid, (uint64_t)p, len, MMSIM_MADV_NOHUGEPAGE);
	return p;
}

static void write_pages(struct machine *m, int pid, uint64_t p, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++) {
		unsigned char b = (unsigned char)i;
		if (mmsim_user_write(m, pid, p + i * 4096, &b, 1, NULL)) {
			fprintf(stderr, "bench_process: write fault failed at page %llu\n",
				(unsigned long long)i);
			exit(1);
		}
	}
}

/* ns per first-touch write fault: one run maps, touches every page, unmaps. */
static struct times first_touch(struct machine *m, uint64_t pages)
{
	struct times r[RUNS];
	int pid = process(m);

	for (int run = 0; run < RUNS; run++) {
		int64_t p = map_anon(m, pid, pages * 4096);
		struct times t0 = now();
		write_pages(m, pid, (uint64_t)p, pages);
		r[run] = since(t0, (double)pages);
		mmsim_munmap(m, pid, (uint64_t)p, pages * 4096);
	}
	mmsim_exit(m, pid, 0);
	mmsim_wait4(m, 1, pid, NULL, NULL);
	check(m, "first touch");
	return median(r, RUNS);
}

/* ns per fork + child exit + wait of a process with @bytes written. */
static struct times fork_exit(struct machine *m, uint64_t bytes)
{
	struct times r[RUNS];
	int pid = process(m);
	int64_t p = map_anon(m, pid, bytes);

	write_pages(m, pid, (uint64_t)p, bytes / 4096);
	for (int run = 0; run < RUNS; run++) {
		struct times t0 = now();
		int child = mmsim_fork(m, pid);
		if (child < 0) {
			fprintf(stderr, "bench_process: fork: %d\n", child);
			exit(1);
		}
		mmsim_exit(m, child, 0);
		mmsim_wait4(m, pid, child, NULL, NULL);
		r[run] = since(t0, 1);
	}
	check(m, "fork");
	mmsim_exit(m, pid, 0);
	mmsim_wait4(m, 1, pid, NULL, NULL);
	return median(r, RUNS);
}

struct interval {
	uint64_t start, end;
};

static int interval_cmp(const void *key, const void *elem)
{
	uint64_t a = *(const uint64_t *)key;
	const struct interval *iv = elem;

	return a < iv->start ? -1 : a >= iv->end ? 1 : 0;
}

/* ns per find_vma() among @n VMAs, and per bsearch over the same intervals. */
static void find_vma_case(struct machine *m, int n, struct times *vma, struct times *flat)
{
	int pid = process(m);
	struct interval *iv = calloc((size_t)n, sizeof(*iv));
	uint64_t *keys = malloc(4096 * sizeof(*keys)), rng = 0x9e3779b97f4a7c15ULL;
	struct times rv[RUNS], rf[RUNS];
	long iters = 2000000;

	/* Alternate protections so that neighbours never merge: n VMAs, in address order. */
	int64_t base = mmsim_mmap(m, pid, 0, (uint64_t)n * 4096, MMSIM_PROT_READ,
				  MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < n; i++) {
		uint64_t a = (uint64_t)base + (uint64_t)i * 4096;
		if (i & 1)
			mmsim_mprotect(m, pid, a, 4096, MMSIM_PROT_READ | MMSIM_PROT_WRITE);
		iv[i] = (struct interval){ a, a + 4096 };
	}
	struct mm_struct *mm = find_task_by_pid(m, pid)->mm;
	if (mm->map_count < n) {
		fprintf(stderr, "bench_process: %d VMAs wanted, %d made\n", n, mm->map_count);
		exit(1);
	}
	for (int i = 0; i < 4096; i++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		keys[i] = (uint64_t)base + (rng % ((uint64_t)n * 4096));
	}
	for (int run = 0; run < RUNS; run++) {
		uint64_t acc = 0;
		struct times t0 = now();
		for (long i = 0; i < iters; i++)
			acc += find_vma(mm, keys[i & 4095])->vm_start;
		rv[run] = since(t0, (double)iters);
		t0 = now();
		for (long i = 0; i < iters; i++)
			acc += ((struct interval *)bsearch(&keys[i & 4095], iv, (size_t)n, sizeof(*iv),
							   interval_cmp))->start;
		rf[run] = since(t0, (double)iters);
		sink = acc;
	}
	*vma = median(rv, RUNS);
	*flat = median(rf, RUNS);
	check(m, "find_vma");
	mmsim_exit(m, pid, 0);
	mmsim_wait4(m, 1, pid, NULL, NULL);
	free(iv);
	free(keys);
}

/* ns per mmap + munmap of @len bytes, untouched. */
static struct times mmap_pair(struct machine *m, uint64_t len)
{
	struct times r[RUNS];
	int pid = process(m);
	long iters = 200000;

	for (int run = 0; run < RUNS; run++) {
		struct times t0 = now();
		for (long i = 0; i < iters; i++) {
			int64_t p = mmsim_mmap(m, pid, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
					       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
			mmsim_munmap(m, pid, (uint64_t)p, len);
		}
		r[run] = since(t0, (double)iters);
	}
	check(m, "mmap pair");
	mmsim_exit(m, pid, 0);
	mmsim_wait4(m, 1, pid, NULL, NULL);
	return median(r, RUNS);
}

/* The host's baselines report wall time only: they are measured around its own system calls. */
static struct times host(double wall_ns)
{
	return (struct times){ wall_ns, wall_ns };
}

static void row(const char *what, struct times sim, struct times base, const char *unit,
		double target)
{
	double ratio = sim.cpu_ns / base.cpu_ns;

	printf("  %-34s %12.1f %12.1f %12.1f  %6.2fx %s", what, sim.cpu_ns, sim.wall_ns, base.cpu_ns,
	       1 / ratio, unit);
	if (target > 0)
		printf("  (target >= %.0fx: %s)", target, 1 / ratio >= target ? "met" : "MISSED");
	putchar('\n');
}

/*
 * bench_process [-q] | -c CASE -a ARCH: every case (-q: smaller first-touch
 * runs), or one case on one arch, once — what callgrind is run on
 * (README.md): first-touch (16384 pages), fork, find_vma, mmap.
 */
static int one_case(const char *name, const char *arch_name)
{
	enum mmsim_arch arch = !strcmp(arch_name, "i386") ? MMSIM_ARCH_I386 : MMSIM_ARCH_X86_64;
	struct machine *m = boot(arch, arch == MMSIM_ARCH_I386 ? 2048 : 4096);
	int pid = process(m);

	if (!strcmp(name, "first-touch")) {
		int64_t p = map_anon(m, pid, 16384 * 4096ULL);
		write_pages(m, pid, (uint64_t)p, 16384);
	} else if (!strcmp(name, "fork")) {
		int64_t p = map_anon(m, pid, 100 * MIB);
		write_pages(m, pid, (uint64_t)p, 100 * MIB / 4096);
		int child = mmsim_fork(m, pid);
		mmsim_exit(m, child, 0);
		mmsim_wait4(m, pid, child, NULL, NULL);
	} else if (!strcmp(name, "find_vma")) {
		struct times v, f;
		find_vma_case(m, 10000, &v, &f);
	} else if (!strcmp(name, "mmap")) {
		for (int i = 0; i < 100000; i++) {
			int64_t p = mmsim_mmap(m, pid, 0, 4096, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
					       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
			mmsim_munmap(m, pid, (uint64_t)p, 4096);
		}
	} else {
		fprintf(stderr, "bench_process: no case '%s' (first-touch, fork, find_vma, mmap)\n", name);
		return 2;
	}
	mmsim_destroy(m);
	return 0;
}

int main(int argc, char **argv)
{
	bool quick = argc > 1 && !strcmp(argv[1], "-q");
	uint64_t touch_pages = quick ? 4096 : 16384, fork_bytes = 100 * MIB;

	if (argc == 5 && !strcmp(argv[1], "-c") && !strcmp(argv[3], "-a"))
		return one_case(argv[2], argv[4]);
	if (argc > 1 && !quick) {
		fprintf(stderr, "usage: bench_process [-q] | -c CASE -a i386|x86_64\n");
		return 2;
	}
	printf("bench_process: CPU ns per op, median of %d runs (wall of that run); "
	       "host baselines are wall ns, best of %d\n", RUNS, RUNS);
	printf("  %-34s %12s %12s %12s  %7s\n", "case", "mmsim cpu", "mmsim wall", "baseline",
	       "speedup");
	for (int a = 0; a < 2; a++) {
		enum mmsim_arch arch = a ? MMSIM_ARCH_X86_64 : MMSIM_ARCH_I386;
		struct machine *m = boot(arch, a ? 4096 : 2048);
		printf("%s, %s RAM, 1 CPU\n", a ? "x86_64" : "i386", a ? "4096M" : "2048M");
		struct times ft = first_touch(m, touch_pages);
		row("first-touch write fault", ft, host(host_first_touch(touch_pages, RUNS)),
		    "host per page", 4);
		struct times fe = fork_exit(m, fork_bytes);
		row("fork + exit + wait, 100 MiB touched", fe, host(host_fork_exit(fork_bytes, RUNS)),
		    "host fork", 0);
		struct times fv, fb;
		find_vma_case(m, 10000, &fv, &fb);
		row("find_vma among 10,000 VMAs", fv, fb, "libc bsearch", 0);
		row("mmap + munmap, 4 KiB", mmap_pair(m, 4096), host(host_mmap_pair(4096, 200000)),
		    "host mmap", 0);
		row("mmap + munmap, 64 KiB", mmap_pair(m, 65536), host(host_mmap_pair(65536, 200000)),
		    "host mmap", 0);
		mmsim_destroy(m);
	}
	return 0;
}
