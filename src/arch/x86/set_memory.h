/* set_memory.h (internal) — changing the protection of kernel mappings
 * (arch/x86/include/asm/set_memory.h), and the x86_64 kernel-image mapping
 * those changes reach through aliases. */
#ifndef MMSIM_ARCH_X86_SET_MEMORY_H
#define MMSIM_ARCH_X86_SET_MEMORY_H
#include <stdbool.h>
#include "machine.h"

/* __START_KERNEL_map: x86_64 maps its image here, 2 MiB pages from _text to roundup(_brk_end, 2M). */
#define START_KERNEL_MAP	0xffffffff80000000ULL

/* The address the running kernel uses for a frame of its image: __START_KERNEL_map + phys - phys_base (x86_64), the direct map (i386). */
kaddr_t kernel_image_va(const struct machine *m, phys_addr_t phys);
/* Is va in the x86_64 kernel-image mapping (never on i386)? */
bool in_kernel_image_map(const struct machine *m, kaddr_t va);

/*
 * Change @numpages pages from @addr (any kernel mapping): splitting large
 * pages a change covers in part, and — for RW — the frames' other kernel
 * mappings too. 0, or -ENOMEM when a split finds no page for its table.
 * NX changes are no-ops on i386, which has no NX bit without PAE.
 */
int set_memory_ro(struct machine *m, kaddr_t addr, unsigned long numpages);
int set_memory_rw(struct machine *m, kaddr_t addr, unsigned long numpages);
int set_memory_nx(struct machine *m, kaddr_t addr, unsigned long numpages);
int set_memory_x(struct machine *m, kaddr_t addr, unsigned long numpages);
#endif /* MMSIM_ARCH_X86_SET_MEMORY_H */
