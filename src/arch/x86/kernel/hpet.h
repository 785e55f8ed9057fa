/* hpet.h (internal) — the HPET's registers (arch/x86/kernel/hpet.c). */
#ifndef MMSIM_ARCH_X86_KERNEL_HPET_H
#define MMSIM_ARCH_X86_KERNEL_HPET_H
#include "machine.h"

/* hpet_enable(): the HPET's registers mapped for the clock source, if they can be. */
void hpet_enable(struct machine *m);
#endif /* MMSIM_ARCH_X86_KERNEL_HPET_H */
