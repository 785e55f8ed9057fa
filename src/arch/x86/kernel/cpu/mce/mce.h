/* mce.h (internal) — machine-check support's memory at boot. */
#ifndef MMSIM_ARCH_X86_KERNEL_CPU_MCE_H
#define MMSIM_ARCH_X86_KERNEL_CPU_MCE_H
#include "machine.h"

/* mcheck_cpu_init() on the boot CPU: the event pool. 0 or -ENOMEM. */
int mce_gen_pool_init(struct machine *m);
#endif /* MMSIM_ARCH_X86_KERNEL_CPU_MCE_H */
