/* cpu.c — the processor a machine has: QEMU's default CPUs, as the
 * oracle's guests have them (see cpu.h). */
#include "arch/x86/kernel/cpu.h"

uint64_t cpu_elf_hwcap(const struct machine *m)
{
	/* CPUID 1 EDX: qemu32 lacks the 64-bit parts qemu64 has (PAT, PSE36, CLFLUSH ...). */
	return m->is_32bit ? 0x0780abfdULL : 0x078bfbfdULL;
}

const char *cpu_elf_platform(const struct machine *m)
{
	return m->is_32bit ? "i686" : "x86_64";
}

unsigned int cpu_min_sigstksz(const struct machine *m)
{
	(void)m;
	return 1440;	/* the legacy FXSAVE frame: neither CPU has XSAVE */
}

/*
 * ssb_prctl_get() with ssb_mode NONE: qemu32 is an Intel CPU without the
 * SSB_NO bit, so it is affected and "vulnerable"; qemu64 is AMD family
 * 15, which the kernel's whitelist marks NO_SSB.
 */
const char *cpu_ssb_state(const struct machine *m)
{
	return m->is_32bit ? "vulnerable" : "not vulnerable";
}

/* ib_prctl_get(): neither CPU has IBPB or STIBP, so nothing restricts indirect branches. */
const char *cpu_indirect_branch_state(const struct machine *m)
{
	(void)m;
	return "always enabled";
}
