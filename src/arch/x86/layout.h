/* layout.h (internal) — the kernel's virtual address layout. */
#ifndef MMSIM_ARCH_X86_LAYOUT_H
#define MMSIM_ARCH_X86_LAYOUT_H

#include <stdio.h>

#include "machine.h"

/* 6.1 x86_64 with 4-level paging and no KASLR. */
#define X86_64_VMALLOC_START	0xffffc90000000000ULL
#define X86_64_VMALLOC_SIZE_TB	32ULL

/*
 * VMALLOC_START / VMALLOC_END: i386 starts VMALLOC_OFFSET past the direct
 * map (the 2.6 kernels rounded to 8 MiB); the end is inclusive on x86_64.
 */
uint64_t arch_vmalloc_start(const struct machine *m);
uint64_t arch_vmalloc_end(const struct machine *m);

/* The "virtual kernel memory layout" table: into dmesg (log) or to out. */
void show_virtual_layout(struct machine *m, FILE *out, bool log);

#endif /* MMSIM_ARCH_X86_LAYOUT_H */
