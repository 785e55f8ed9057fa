/* zswap.c — zswap's start at boot (mm/zswap.c: init_zswap, a late_initcall).
 *
 * Debian builds zswap in but leaves it disabled (ZSWAP_DEFAULT_ON is not
 * set); its init runs all the same and makes the default pool, lzo over
 * zbud, so that writing "Y" to /sys/module/zswap/parameters/enabled has a
 * pool to use. That costs memory from boot on: each CPU's destination
 * buffer (two pages from kmalloc) and each CPU's lzo transform, whose
 * synchronous-compression scratch buffers are vmalloc areas. Compressing
 * pages (the Zswap: and Zswapped: lines of meminfo) is not modelled: with
 * zswap disabled, the kernel compresses none either. */
#include "crypto/crypto.h"
#include "mm.h"
#include "mm/slab.h"
#include "mm/swap.h"

int init_zswap(struct machine *m)
{
	if (!m->profile->boot_vmalloc.scomp_src)
		return 0;
	/* CPUHP_MM_ZSWP_MEM_PREPARE: zswap_dstmem_prepare() on each CPU. */
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		if (!kmalloc(m, 2 * PAGE_SIZE, GFP_KERNEL))
			return -MMSIM_ENOMEM;
	/* __zswap_pool_create_fallback(): zswap_cpu_comp_prepare() makes each CPU's lzo transform. */
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		if (crypto_scomp_init_tfm(m))
			return -MMSIM_ENOMEM;
	printk(m, KERN_INFO "zswap: loaded using pool lzo/zbud\n");
	return 0;
}
