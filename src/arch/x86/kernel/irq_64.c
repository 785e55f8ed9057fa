/* irq_64.c — each CPU's IRQ stack on x86_64 (arch/x86/kernel/irq_64.c).
 *
 * The 16 KiB stacks live in the percpu area (irq_stack_backing_store, in
 * the page-aligned part of each CPU's unit); with VMAP_STACK the kernel
 * runs on a vmap() of those pages instead, so that an overflow hits the
 * area's guard page and faults rather than running into the next percpu
 * variable. The boot CPU's is made at init_IRQ(), the others' as each CPU
 * comes up. They are vmap areas: /proc/vmallocinfo lists them, VmallocUsed
 * does not count them. */
#include "arch/x86/kernel/irq.h"
#include "mm/vmalloc.h"
#include "mm.h"

#define IRQ_STACK_PAGES	4	/* IRQ_STACK_SIZE: 16 KiB */

int irq_init_percpu_irqstack(struct machine *m, unsigned int cpu)
{
	const char *caller = m->profile->boot_vmalloc.irq_stack;
	struct page *pages[IRQ_STACK_PAGES];

	if (!caller || !m->boot.percpu_unit)
		return 0;
	/* The unit's first page-aligned pages, past .data..percpu..first. */
	phys_addr_t base = m->boot.percpu_base + cpu * m->boot.percpu_unit + PAGE_SIZE;
	for (int i = 0; i < IRQ_STACK_PAGES; i++)
		pages[i] = pfn_to_page(m, (unsigned long)PFN_DOWN(base) + (unsigned long)i);
	return mmsim_vmap_caller(m, pages, IRQ_STACK_PAGES, VM_MAP, page_kernel(m), caller) ? 0
												 : -MMSIM_ENOMEM;
}
