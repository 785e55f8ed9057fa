/* host_baseline.c — the host kernel doing the work the benchmarks measure
 * mmsim doing: its own mmap/munmap, first-touch faults and fork, through
 * the ordinary system calls. Kept in a file of its own because the host's
 * <sys/mman.h> and mmsim's kernel headers use the same constant names. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_time.h"
#include "host_baseline.h"

static volatile uint64_t host_sink;

double host_mmap_pair(unsigned long size, long iters)
{
	uint64_t acc = 0;
	double t0 = now().wall_ns;

	for (long i = 0; i < iters; i++) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		acc += (uint64_t)(uintptr_t)p;
		munmap(p, size);
	}
	host_sink = acc;
	return (now().wall_ns - t0) / (double)iters;
}

double host_first_touch(unsigned long pages, int rounds)
{
	double best = 0;

	for (int r = 0; r < rounds; r++) {
		/* No transparent huge pages: one fault per 4 KiB page, as mmsim's i386 has. */
		char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED)
			return -1;
		madvise(p, pages * 4096, MADV_NOHUGEPAGE);
		double t0 = now().wall_ns;
		for (unsigned long i = 0; i < pages; i++)
			p[i * 4096] = 1;
		double ns = (now().wall_ns - t0) / (double)pages;
		munmap(p, pages * 4096);
		if (!r || ns < best)
			best = ns;
	}
	return best;
}

double host_fork_exit(unsigned long touched_bytes, int rounds)
{
	char *p = mmap(NULL, touched_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double best = 0;

	if (p == MAP_FAILED)
		return -1;
	madvise(p, touched_bytes, MADV_NOHUGEPAGE);
	for (unsigned long i = 0; i < touched_bytes; i += 4096)
		p[i] = 1;
	for (int r = 0; r < rounds; r++) {
		double t0 = now().wall_ns;
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return -1;
		int status;
		waitpid(pid, &status, 0);
		double ns = now().wall_ns - t0;
		if (!r || ns < best)
			best = ns;
	}
	munmap(p, touched_bytes);
	return best;
}

double host_mmap_populate_pair(unsigned long size, long iters)
{
	uint64_t acc = 0;
	double t0 = now().cpu_ns;

	for (long i = 0; i < iters; i++) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		acc += (uint64_t)(uintptr_t)p;
		munmap(p, size);
	}
	host_sink = acc;
	return (now().cpu_ns - t0) / (double)iters;
}

/* AnonHugePages of this process, in kB (0 when it cannot be read). */
static unsigned long anon_huge_kb(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	unsigned long kb = 0;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "AnonHugePages:", 14))
			kb = strtoul(line + 14, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

double host_chase(unsigned long bytes, bool huge, long hops, double *huge_fraction)
{
	const unsigned long huge_size = 2ul << 20, pages = bytes / 4096;
	char *raw = mmap(NULL, bytes + huge_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *perm = malloc(pages * sizeof(*perm));

	*huge_fraction = 0;
	if (raw == MAP_FAILED || !perm || pages < 2) {
		free(perm);
		if (raw != MAP_FAILED)
			munmap(raw, bytes + huge_size);
		return -1;
	}
	/* 2 MiB aligned, so that huge pages can back all of it. */
	char *base = (char *)(((uintptr_t)raw + huge_size - 1) & ~(uintptr_t)(huge_size - 1));
	unsigned long huge_before = anon_huge_kb();
	madvise(base, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	for (unsigned long i = 0; i < bytes; i += 4096)
		base[i] = 1;
	*huge_fraction = (double)(anon_huge_kb() - huge_before) * 1024 / (double)bytes;
	/* A random cyclic order of the pages (Fisher-Yates, fixed seed). */
	uint64_t s = 0x2545f4914f6cdd1dULL;
	for (unsigned long i = 0; i < pages; i++)
		perm[i] = (uint32_t)i;
	for (unsigned long i = pages - 1; i > 0; i--) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		unsigned long j = s % (i + 1);
		uint32_t t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	/* Each hop lands on a random cache line of its page. */
	void **first = NULL, **prev = NULL;
	for (unsigned long i = 0; i < pages; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		void **node = (void **)(base + (size_t)perm[i] * 4096 + (s % 64) * 64);
		if (prev)
			*prev = node;
		else
			first = node;
		prev = node;
	}
	*prev = first;
	void **p = first;
	for (unsigned long i = 0; i < pages; i++)	/* one lap to warm what can be warm */
		p = *p;
	double t0 = now().cpu_ns;
	for (long i = 0; i < hops; i++)
		p = *p;
	double ns = (now().cpu_ns - t0) / (double)hops;
	host_sink = (uint64_t)(uintptr_t)p;
	munmap(raw, bytes + huge_size);
	free(perm);
	return ns;
}
