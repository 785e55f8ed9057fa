/* fault.h (internal) — the page-fault handler's entry for the kernel's own accesses. */
#ifndef MMSIM_ARCH_X86_FAULT_H
#define MMSIM_ARCH_X86_FAULT_H

#include <stddef.h>

#include "machine.h"

/*
 * A plain kernel-mode access of @len bytes at @addr through the MMU of the
 * current CPU (MMU_READ or MMU_WRITE). A page fault on the way oopses as
 * the kernel would (the lines in dmesg); then it returns -EFAULT, with the
 * bytes before the faulting page already copied.
 */
int kernel_access(struct machine *m, kaddr_t addr, void *buf, size_t len, unsigned int access);

#endif /* MMSIM_ARCH_X86_FAULT_H */
