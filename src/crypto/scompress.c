/* scompress.c — synchronous compression's scratch buffers (crypto/scompress.c).
 *
 * A synchronous compressor (lzo, lz4, deflate ...) used through the acomp
 * interface works through two scratch buffers per possible CPU, source and
 * destination, of SCOMP_SCRATCH_SIZE each. The first such transform made
 * allocates them for every possible CPU at once; they stay until the last
 * one goes. zswap's pool holds one from boot on, so every booted Debian
 * kernel shows them in /proc/vmallocinfo and VmallocUsed. */
#include "crypto/crypto.h"
#include "mm/vmalloc.h"

#define SCOMP_SCRATCH_SIZE	131072

int crypto_scomp_init_tfm(struct machine *m)
{
	const struct boot_vmalloc_callers *c = &m->profile->boot_vmalloc;

	if (m->scomp_scratch_users++)
		return 0;
	/* crypto_scomp_alloc_scratches(): vmalloc_node() on each CPU's node, source first. */
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		if (!mmsim_vmalloc_caller(m, SCOMP_SCRATCH_SIZE, GFP_KERNEL, c->scomp_src) ||
		    !mmsim_vmalloc_caller(m, SCOMP_SCRATCH_SIZE, GFP_KERNEL, c->scomp_dst)) {
			m->scomp_scratch_users--;	/* the kernel frees what it made; boot fails anyway */
			return -MMSIM_ENOMEM;
		}
	}
	return 0;
}
