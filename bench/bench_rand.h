/* bench_rand.h — the benchmarks' one pseudo-random generator: xorshift64
 * (Marsaglia), so that from a fixed seed every run does the same operations. */
#ifndef MMSIM_BENCH_RAND_H
#define MMSIM_BENCH_RAND_H

#include <stdint.h>

/* The next value of the sequence whose state is *@s (never 0). */
static inline uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#endif /* MMSIM_BENCH_RAND_H */
