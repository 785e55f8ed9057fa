/* bench_time.h — what the benchmarks measure with: CPU time of the process
 * (CLOCK_PROCESS_CPUTIME_ID) beside wall time, per operation, and the
 * median of several runs ordered by CPU time. */
#ifndef MMSIM_BENCH_TIME_H
#define MMSIM_BENCH_TIME_H

#include <stdlib.h>
#include <time.h>

struct times {
	double cpu_ns, wall_ns;
};

static inline struct times now(void)
{
	struct timespec c, w;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
	clock_gettime(CLOCK_MONOTONIC, &w);
	return (struct times){ (double)c.tv_sec * 1e9 + (double)c.tv_nsec,
			       (double)w.tv_sec * 1e9 + (double)w.tv_nsec };
}

/* The time since @t0, divided by @per (the operations done). */
static inline struct times since(struct times t0, double per)
{
	struct times t1 = now();

	return (struct times){ (t1.cpu_ns - t0.cpu_ns) / per, (t1.wall_ns - t0.wall_ns) / per };
}

static inline int by_cpu(const void *a, const void *b)
{
	double x = ((const struct times *)a)->cpu_ns, y = ((const struct times *)b)->cpu_ns;

	return (x > y) - (x < y);
}

/* Sorts @v by CPU time; its middle one. */
static inline struct times median(struct times *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), by_cpu);
	return v[n / 2];
}

#endif /* MMSIM_BENCH_TIME_H */
