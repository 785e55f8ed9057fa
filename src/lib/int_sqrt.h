/* int_sqrt.h — the integer square root (lib/math/int_sqrt.c): floor(sqrt(x)),
 * a bit pair at a time. The watermarks (min_free_kbytes), reclaim's inactive
 * ratio and the 2.6 OOM badness all use it. */
#ifndef MMSIM_LIB_INT_SQRT_H
#define MMSIM_LIB_INT_SQRT_H

static inline unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

#endif /* MMSIM_LIB_INT_SQRT_H */
