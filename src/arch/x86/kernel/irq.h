/* irq.h (internal) — what interrupt setup leaves in memory: the IRQ stacks. */
#ifndef MMSIM_ARCH_X86_KERNEL_IRQ_H
#define MMSIM_ARCH_X86_KERNEL_IRQ_H
#include "machine.h"

/* x86_64: @cpu's IRQ stack mapped with a guard page (a no-op on i386). 0 or -ENOMEM. */
int irq_init_percpu_irqstack(struct machine *m, unsigned int cpu);
#endif /* MMSIM_ARCH_X86_KERNEL_IRQ_H */
