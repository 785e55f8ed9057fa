/* module.c — module_alloc() (arch/x86/kernel/module.c): the memory that
 * module and BPF JIT code live in.
 *
 * x86_64 keeps that code within 2 GiB of the kernel image, so that its
 * 32-bit relative calls reach the kernel: MODULES_VADDR is just past the
 * image mapping (__START_KERNEL_map + KERNEL_IMAGE_SIZE, 1 GiB with KASLR
 * built in) and the space ends at MODULES_END. i386 has no such space of
 * its own: modules are vmalloc areas (MODULES_VADDR = VMALLOC_START). With
 * nokaslr, as the machines here boot, get_module_load_offset() is 0. */
#include "arch/x86/kernel/module.h"
#include "arch/x86/set_memory.h"
#include "mm/vmalloc.h"

#define MODULES_VADDR_64	(START_KERNEL_MAP + SZ_1G)
#define MODULES_END_64		0xffffffffff000000ULL

kaddr_t module_alloc(struct machine *m, unsigned long size, const char *caller)
{
	kaddr_t start = m->is_32bit ? mmsim_vmalloc_start(m) : MODULES_VADDR_64;
	kaddr_t end = m->is_32bit ? mmsim_vmalloc_end(m) : MODULES_END_64;

	if (ALIGN_UP((uint64_t)size, (uint64_t)PAGE_SIZE) > end - start)
		return 0;
	/* MODULE_ALIGN is a page without KASAN; PAGE_KERNEL, executable only once set_memory_x says so. */
	return __vmalloc_node_range(m, size, PAGE_SIZE, start, end, GFP_KERNEL, page_kernel(m), 0,
				    caller);
}
