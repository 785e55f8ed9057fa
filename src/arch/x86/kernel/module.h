/* module.h (internal) — where module code goes: module_alloc() (arch/x86/kernel/module.c). */
#ifndef MMSIM_ARCH_X86_KERNEL_MODULE_H
#define MMSIM_ARCH_X86_KERNEL_MODULE_H
#include "machine.h"

/* A vmalloc area of @size in the module space, for @caller; 0 without memory. */
kaddr_t module_alloc(struct machine *m, unsigned long size, const char *caller);
#endif /* MMSIM_ARCH_X86_KERNEL_MODULE_H */
