/* cpu.h (internal) — the processor a machine has (arch/x86/kernel/cpu).
 *
 * mmsim's machines have the CPU QEMU gives the oracle's guests — qemu32
 * ("QEMU Virtual CPU", Intel) for i386 and qemu64 (AMD family 15) for
 * x86_64 — so that what programs and /proc see of the CPU is what the
 * real kernel shows on the same virtual hardware. */
#ifndef MMSIM_ARCH_X86_KERNEL_CPU_H
#define MMSIM_ARCH_X86_KERNEL_CPU_H

#include "machine.h"

/* ELF_HWCAP: CPUID leaf 1's EDX, what AT_HWCAP passes to programs. */
uint64_t cpu_elf_hwcap(const struct machine *m);
/* ELF_PLATFORM: AT_PLATFORM's string ("i686", "x86_64"). */
const char *cpu_elf_platform(const struct machine *m);
/* get_sigframe_size() for this CPU's FPU state: AT_MINSIGSTKSZ. */
unsigned int cpu_min_sigstksz(const struct machine *m);
/*
 * The speculation states /proc/PID/status reports for a task
 * (arch/x86/kernel/cpu/bugs.c): Speculative Store Bypass and indirect
 * branch speculation.
 */
const char *cpu_ssb_state(const struct machine *m);
const char *cpu_indirect_branch_state(const struct machine *m);

#endif /* MMSIM_ARCH_X86_KERNEL_CPU_H */
