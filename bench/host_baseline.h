/* host_baseline.h — the host kernel's side of the benchmarks (host_baseline.c). */
#ifndef MMSIM_BENCH_HOST_BASELINE_H
#define MMSIM_BENCH_HOST_BASELINE_H

/* ns per mmap(MAP_POPULATE) + munmap pair of @size bytes. */
double host_mmap_populate_pair(unsigned long size, long iters);
/* ns per mmap + munmap pair (no pages touched). */
double host_mmap_pair(unsigned long size, long iters);
/* ns per first-touch write fault, one byte per page of @pages pages (best of @rounds). */
double host_first_touch(unsigned long pages, int rounds);
/* ns per fork + child exit + wait of a process with @touched_bytes written (best of @rounds). */
double host_fork_exit(unsigned long touched_bytes, int rounds);

#endif /* MMSIM_BENCH_HOST_BASELINE_H */
