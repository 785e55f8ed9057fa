/* genpool.c — the machine-check event pool (arch/x86/kernel/cpu/mce/genpool.c).
 *
 * Machine checks are logged from NMI-like context, where nothing may be
 * allocated: mce_gen_pool_init(), run when the boot CPU's MCE support is
 * set up (QEMU's CPUs report MCE and MCA), gives a gen_pool a static
 * two-page buffer of struct mce_evt_llist records. The buffer is in the
 * kernel image; the pool's chunk is a vmalloc area. */
#include "arch/x86/kernel/cpu/mce/mce.h"
#include "lib/genalloc.h"

#define MCE_POOLSZ		(2 * PAGE_SIZE)
#define MCE_EVT_LLIST_ORDER	7	/* ilog2(sizeof(struct mce_evt_llist)): 136 bytes */

int mce_gen_pool_init(struct machine *m)
{
	if (!m->profile->boot_vmalloc.gen_pool)
		return 0;
	return gen_pool_add_owner(m, MCE_EVT_LLIST_ORDER, MCE_POOLSZ) ? 0 : -MMSIM_ENOMEM;
}
