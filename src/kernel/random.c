/* random.c — the machine's random numbers (the kernel's drivers/char/random.c
 * in the role it plays for memory: get_random_bytes() for AT_RANDOM and
 * get_random_long() for the randomized layout).
 *
 * A real kernel draws from hardware entropy; mmsim draws from a generator
 * seeded by the machine's seed (--seed), so the same seed gives the same
 * "random" bytes and layouts — a scenario's output stays deterministic. */
#include <string.h>

#include "machine.h"

/* splitmix64: a simple, well-mixed 64-bit sequence from one word of state. */
uint64_t get_random_u64(struct machine *m)
{
	uint64_t z = (m->random_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void get_random_bytes(struct machine *m, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		uint64_t v = get_random_u64(m);
		size_t n = len < sizeof(v) ? len : sizeof(v);
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}
