/* host_baseline.c — the host kernel doing the work the benchmarks measure
 * mmsim doing: its own mmap/munmap, first-touch faults and fork, through
 * the ordinary system calls. Kept in a file of its own because the host's
 * <sys/mman.h> and mmsim's kernel headers use the same constant names. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host_baseline.h"

static volatile uint64_t host_sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

double host_mmap_populate_pair(unsigned long size, long iters)
{
	uint64_t acc = 0;
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		acc += (uint64_t)(uintptr_t)p;
		munmap(p, size);
	}
	host_sink = acc;
	return (now_ns() - t0) / (double)iters;
}

double host_mmap_pair(unsigned long size, long iters)
{
	uint64_t acc = 0;
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		acc += (uint64_t)(uintptr_t)p;
		munmap(p, size);
	}
	host_sink = acc;
	return (now_ns() - t0) / (double)iters;
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
		double t0 = now_ns();
		for (unsigned long i = 0; i < pages; i++)
			p[i * 4096] = 1;
		double ns = (now_ns() - t0) / (double)pages;
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
		double t0 = now_ns();
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return -1;
		int status;
		waitpid(pid, &status, 0);
		double ns = now_ns() - t0;
		if (!r || ns < best)
			best = ns;
	}
	munmap(p, touched_bytes);
	return best;
}
