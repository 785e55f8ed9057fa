/* host_baseline.h — the host kernel's side of the benchmarks (host_baseline.c). */
#ifndef MMSIM_BENCH_HOST_BASELINE_H
#define MMSIM_BENCH_HOST_BASELINE_H

#include <stdbool.h>

/* ns per mmap + munmap pair (no pages touched). */
double host_mmap_pair(unsigned long size, long iters);
/* ns per first-touch write fault, one byte per page of @pages pages (best of @rounds). */
double host_first_touch(unsigned long pages, int rounds);
/* ns per fork + child exit + wait of a process with @touched_bytes written (best of @rounds). */
double host_fork_exit(unsigned long touched_bytes, int rounds);

/* CPU ns per mmap(MAP_POPULATE) + munmap pair of @size bytes (system time included). */
double host_mmap_populate_pair(unsigned long size, long iters);
/*
 * CPU ns per hop of a pointer chase over @bytes of host memory: one hop per
 * 4 KiB page, in a random cyclic order, each to a random cache line of its
 * page. @huge asks for transparent huge pages (MADV_HUGEPAGE) instead of
 * 4 KiB pages (MADV_NOHUGEPAGE); *@huge_fraction is how much of it THP
 * backed. Chase with 4 KiB pages minus chase with huge pages: what the
 * host's own TLB misses cost over that footprint. -1 without memory.
 */
double host_chase(unsigned long bytes, bool huge, long hops, double *huge_fraction);

#endif /* MMSIM_BENCH_HOST_BASELINE_H */
