/* bench_reclaim.c — speed of reclaim and swap (mm/vmscan.c, swapfile.c, page_io.c).
 *
 * Cases, each beside a baseline measured in the same run:
 *   touch under pressure — a process writes N pages (one byte each) on a
 *       machine whose RAM holds about half of them, with swap: every page
 *       past RAM makes kswapd reclaim one (age, unmap through rmap, write
 *       to swap, free). ns per page touched. Baseline: the same N pages
 *       touched on a machine big enough that nothing is reclaimed.
 *   swap-in — the same pages read back: one major fault per page not in
 *       the swap cache, with readahead windows, each read making room by
 *       reclaiming another. ns per page. Baseline: reading them on the big
 *       machine (present pages: a TLB miss and a walk each).
 *   direct reclaim — try_to_free_pages() called in a loop on a machine
 *       full of anonymous memory, as an allocation in the slow path calls
 *       it: pages reclaimed per second. Baseline: the page allocator
 *       handing out and taking back the same number of pages (alloc_pages +
 *       __free_pages), the work reclaim exists to make possible.
 *   thrashing — random single-page writes over a working set of 1.5x RAM:
 *       ns per access. Baseline: the same accesses on the big machine.
 * Every case reports CPU time per operation (CLOCK_PROCESS_CPUTIME_ID), the
 * median of RUNS runs, with the fastest and slowest, and the wall time of
 * the median run; the machines are shared and noisy, so compare the CPU
 * columns. Instruction counts: run under `valgrind --tool=callgrind
 * --toggle-collect=...` (bench/README.md). Not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mmsim/machine.h>
#include <mmsim/process.h>
#include <mmsim/swap.h>

#include "bench_time.h"
#include "kernel/sched.h"
#include "mm.h"
#include "mm/swap.h"

#define RUNS 5
#define MIB (1ULL << 20)
#define PG 4096ULL

static void report(const char *name, const char *unit, struct times *s, struct times *base)
{
	struct times m = median(s, RUNS), b = median(base, RUNS);
	printf("%-16s %9.0f %s cpu (min %.0f max %.0f, wall %.0f)   baseline %9.0f (min %.0f max %.0f)   x%.1f\n",
	       name, m.cpu_ns, unit, s[0].cpu_ns, s[RUNS - 1].cpu_ns, m.wall_ns, b.cpu_ns, base[0].cpu_ns,
	       base[RUNS - 1].cpu_ns, m.cpu_ns / b.cpu_ns);
}

static struct machine *boot_machine(enum mmsim_arch arch, uint64_t mib)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.arch = arch;
	d.mem_bytes = mib * MIB;
	d.nr_cpus = 1;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "boot: %s\n", err);
		exit(1);
	}
	return m;
}

static void touch(struct machine *m, int pid, uint64_t a, uint64_t pages, bool write)
{
	for (uint64_t i = 0; i < pages; i++) {
		unsigned char b = (unsigned char)i;
		int r = write ? mmsim_user_write(m, pid, a + i * PG, &b, 1, NULL)
			      : mmsim_user_read(m, pid, a + i * PG, &b, 1, NULL);
		if (r) {
			fprintf(stderr, "access failed at page %llu\n", (unsigned long long)i);
			exit(1);
		}
	}
}

/* @n random single-page writes over the first @pages pages at @a (a fixed seed: both sides alike). */
static void thrash_writes(struct machine *m, int pid, uint64_t a, uint64_t pages, uint64_t n)
{
	uint64_t s = 88172645463325252ULL;

	for (uint64_t i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		unsigned char b = 1;
		mmsim_user_write(m, pid, a + (s % pages) * PG, &b, 1, NULL);
	}
}

static unsigned long long vmstat(struct machine *m, enum vm_event_item e)
{
	return m->events.event[e];
}

/* One process with @len of anonymous memory on a machine of @ram_mib (swap: twice @len). */
static struct machine *setup(uint64_t ram_mib, uint64_t len, int *pid, uint64_t *a)
{
	struct machine *m = boot_machine(MMSIM_ARCH_I386, ram_mib);

	if (mmsim_swapon(m, NULL, 2 * len, -1)) {
		fprintf(stderr, "swapon failed\n");
		exit(1);
	}
	*pid = mmsim_spawn(m, "bench");
	*a = (uint64_t)mmsim_mmap(m, *pid, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				  MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	return m;
}

int main(void)
{
	const uint64_t small = 128, big = 1024, len = 192 * MIB, pages = len / PG;
	struct times touch_p[RUNS], touch_b[RUNS], in_p[RUNS], in_b[RUNS];
	struct times direct[RUNS], direct_b[RUNS], thrash[RUNS], thrash_b[RUNS];
	unsigned long long out = 0, in = 0, steal = 0, ks = 0;

	printf("# i386, 1 CPU: %llu MiB touched on %llu MiB of RAM (a %llu MiB memory swap device) "
	       "and on %llu MiB; %d runs\n", (unsigned long long)(len >> 20),
	       (unsigned long long)small, (unsigned long long)(2 * len >> 20),
	       (unsigned long long)big, RUNS);
	for (int r = 0; r < RUNS; r++) {
		int pid;
		uint64_t a;
		/* Pressure: half of it fits. */
		struct machine *m = setup(small, len, &pid, &a);
		struct times t0 = now();
		touch(m, pid, a, pages, true);
		touch_p[r] = since(t0, (double)pages);
		out = vmstat(m, PSWPOUT);
		ks = vmstat(m, PGSTEAL_KSWAPD);
		t0 = now();
		touch(m, pid, a, pages, false);
		in_p[r] = since(t0, (double)pages);
		in = vmstat(m, PSWPIN);
		/* Thrashing: random writes over 1.5x RAM (the area is 1.5x the 128 MiB). */
		uint64_t ws = (small * MIB * 3 / 2) / PG;
		t0 = now();
		thrash_writes(m, pid, a, ws, 100000);
		thrash[r] = since(t0, 100000);
		mmsim_destroy(m);

		/* No pressure: the same work on a machine that holds it all. */
		m = setup(big, len, &pid, &a);
		t0 = now();
		touch(m, pid, a, pages, true);
		touch_b[r] = since(t0, (double)pages);
		t0 = now();
		touch(m, pid, a, pages, false);
		in_b[r] = since(t0, (double)pages);
		t0 = now();
		thrash_writes(m, pid, a, ws, 100000);
		thrash_b[r] = since(t0, 100000);
		mmsim_destroy(m);

		/* Direct reclaim: the machine full of anonymous memory, then try_to_free_pages in a loop. */
		m = setup(small, 96 * MIB, &pid, &a);
		touch(m, pid, a, 96 * MIB / PG, true);
		unsigned long long before = vmstat(m, PGSTEAL_DIRECT);
		t0 = now();
		for (int i = 0; i < 200; i++)
			try_to_free_pages(m, 0, GFP_HIGHUSER_MOVABLE);
		unsigned long long reclaimed = vmstat(m, PGSTEAL_DIRECT) - before;
		direct[r] = since(t0, (double)(reclaimed ? reclaimed : 1));
		steal = reclaimed;
		/* Baseline: the allocator handing out and taking back as many pages. */
		static struct page *held[8192];
		t0 = now();
		for (unsigned long long done = 0; done < reclaimed;) {
			unsigned int n = 0;
			while (n < 8192 && done + n < reclaimed && (held[n] = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0)))
				n++;
			if (!n)
				break;
			for (unsigned int i = 0; i < n; i++)
				__free_pages(m, held[i], 0);
			done += n;
		}
		direct_b[r] = since(t0, (double)(reclaimed ? reclaimed : 1));
		mmsim_destroy(m);
	}
	printf("(per op: ns of CPU; 'xN' is mmsim under pressure / the baseline)\n");
	report("touch, kswapd", "ns/page", touch_p, touch_b);
	report("swap-in", "ns/page", in_p, in_b);
	report("direct reclaim", "ns/page", direct, direct_b);
	report("thrashing", "ns/access", thrash, thrash_b);
	printf("last run: pswpout %llu, pswpin %llu; kswapd reclaimed %llu pages while %llu were touched: "
	       "%.0f pages/s of the touch's CPU time; direct reclaim %.0f pages/s (%llu pages in 200 calls)\n",
	       out, in, ks, (unsigned long long)pages,
	       (double)ks / (touch_p[RUNS / 2].cpu_ns * (double)pages / 1e9), 1e9 / direct[RUNS / 2].cpu_ns,
	       steal);
	return 0;
}
