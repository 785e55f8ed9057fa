/* hpet.c — the HPET's registers (arch/x86/kernel/hpet.c).
 *
 * QEMU's pc machine has an HPET at 0xfed00000, which the ACPI HPET table
 * names. hpet_enable(), from x86_late_time_init() right after
 * acpi_early_init(), maps its 1 KiB of registers uncached for good: the
 * timer interrupts and the hpet clock source read through that mapping. */
#include "arch/x86/kernel/hpet.h"
#include "mm/vmalloc.h"

#define HPET_ADDRESS	0xfed00000ULL	/* QEMU's, as the ACPI HPET table gives it */
#define HPET_MMAP_SIZE	1024

void hpet_enable(struct machine *m)
{
	const char *caller = m->profile->boot_vmalloc.hpet;

	/* Without the mapping (RAM there, in a BIOS map of the user's) the kernel runs without the HPET. */
	if (caller)
		mmsim_ioremap_caller(m, HPET_ADDRESS, HPET_MMAP_SIZE, caller);
}
