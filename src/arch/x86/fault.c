/* fault.c — the x86 page-fault handler (arch/x86/mm/fault.c), for faults
 * the kernel itself takes.
 *
 * A kernel-mode access to an address with no mapping, or one that breaks
 * a mapping's protection, has no fixup (only the uaccess routines have
 * them), so the kernel oopses: show_fault_oops() names the address, the
 * kind of access and the error code. The real kernel then dies; the
 * simulation records the oops and the access fails with -EFAULT, so a
 * scenario can go on looking at the machine. User-mode faults (demand
 * paging, copy-on-write, stack growth) arrive with processes. */
#include <inttypes.h>

#include "arch/x86/fault.h"
#include "arch/x86/mmu.h"

/* show_fault_oops(): what the CPU reported in CR2 and the error code. */
static void show_fault_oops(struct machine *m, const struct cpu_mmu *c)
{
	unsigned int ec = c->error_code;

	pr_alert(m, "BUG: unable to handle page fault for address: %0*" PRIx64 "\n",
		 kptr_width(m), c->cr2);
	pr_alert(m, "#PF: %s %s in %s mode\n", (ec & X86_PF_USER) ? "user" : "supervisor",
		 (ec & X86_PF_INSTR) ? "instruction fetch" : (ec & X86_PF_WRITE) ? "write access"
									   : "read access",
		 (ec & X86_PF_USER) ? "user" : "kernel");
	pr_alert(m, "#PF: error_code(0x%04x) - %s\n", ec,
		 (ec & X86_PF_PROT) ? "permissions violation" : "not-present page");
}

/* exc_page_fault() for a fault in kernel mode: no fixup, an oops. */
static void exc_page_fault(struct machine *m, unsigned int cpu)
{
	show_fault_oops(m, &m->cpu_mmu[cpu]);
}

int kernel_access(struct machine *m, kaddr_t addr, void *buf, size_t len, unsigned int access)
{
	unsigned int cpu = m->cur_cpu;
	int rc = (access & MMU_WRITE) ? mmu_write(m, cpu, addr, buf, len, access)
				      : mmu_read(m, cpu, addr, buf, len, access);

	if (!rc)
		return 0;
	exc_page_fault(m, cpu);
	return -MMSIM_EFAULT;
}
