/* ioremap.c — mapping device and firmware memory into the kernel's address
 * space: ioremap() and iounmap() (arch/x86/mm/ioremap.c).
 *
 * An ioremap is a vmalloc area (mm/vmalloc.c) whose page tables point at
 * physical addresses the caller names instead of pages the allocator
 * hands out, mapped uncached. RAM the kernel is using may not be
 * ioremapped: the kernel warns once and refuses. */
#include <inttypes.h>
#include <stdlib.h>

#include "arch/x86/pgtable.h"
#include "mm/vmalloc.h"

/*
 * __ioremap_check_ram(): does [phys, last] touch System RAM the kernel is
 * using — an e820 RAM page with a struct page that is not PageReserved?
 * Firmware tables and device windows are fine; so is RAM that was never
 * given to the allocator.
 */
static bool ioremap_hits_ram(struct machine *m, phys_addr_t phys, phys_addr_t last)
{
	for (unsigned int i = 0; i < m->e820.nr_entries; i++) {
		const struct e820_entry *e = &m->e820.entries[i];
		if (e->type != E820_TYPE_RAM || !e->size)
			continue;
		uint64_t s = e->addr > phys ? e->addr : phys;
		uint64_t l = e->addr + e->size - 1 < last ? e->addr + e->size - 1 : last;
		if (s > l)
			continue;
		/* The resource clipped to the request, whole pages only. */
		for (unsigned long pfn = (unsigned long)PFN_UP(s); pfn < (unsigned long)PFN_DOWN(l + 1); pfn++)
			if (pfn_valid(m, pfn) && !PageReserved(pfn_to_page(m, pfn)))
				return true;
	}
	return false;
}

/*
 * __ioremap_caller(): PAGE_KERNEL_IO plus the cache mode's bits — PCD for
 * _PAGE_CACHE_MODE_UC_MINUS (ioremap), none for write-back (ioremap_cache).
 * The mapping covers whole pages; the address returned keeps the offset of
 * phys in its page.
 */
static kaddr_t __ioremap_caller(struct machine *m, phys_addr_t phys, unsigned long size,
				uint64_t cache_bits, const char *caller)
{
	phys_addr_t last = phys + size - 1;

	if (!m->vmap || !size || last < phys)
		return 0;
	if (phys >> m->phys_bits) {	/* beyond the CPU's x86_phys_bits */
		__warn(m, "arch/x86/mm/ioremap.c", "__ioremap_caller",
		       "ioremap: invalid physical address %" PRIx64 "\n", (uint64_t)phys);
		return 0;
	}
	if (ioremap_hits_ram(m, phys, last)) {
		if (!m->warned_ioremap_ram) {	/* WARN_ONCE */
			m->warned_ioremap_ram = true;
			__warn(m, "arch/x86/mm/ioremap.c", "__ioremap_caller",
			       "ioremap on RAM at 0x%0*" PRIx64 " - 0x%0*" PRIx64 "\n",
			       kptr_width(m), (uint64_t)phys, kptr_width(m), (uint64_t)last);
		}
		return 0;
	}
	uint64_t offset = phys & ~PAGE_MASK;
	phys &= PAGE_MASK;
	uint64_t msize = ALIGN_UP(last + 1, (uint64_t)PAGE_SIZE) - phys;
	struct vm_struct *area = get_vm_area_caller(m, (unsigned long)msize, VM_IOREMAP, caller);
	if (!area)
		return 0;
	area->phys_addr = phys;
	area->write_back = !(cache_bits & (_PAGE_PCD | _PAGE_PWT));
	area->nr_mapped = (unsigned int)(msize >> PAGE_SHIFT);
	/* ioremap_page_range(): PAGE_KERNEL_IO | cachemode2protval(UC_MINUS). */
	if (pt_map_range(m, m->swapper_pg_dir, area->addr, phys, msize, page_kernel(m) | cache_bits,
			 PAGE_SIZE)) {
		free_vm_struct(remove_vm_area(m, area->addr));	/* free_vm_area() */
		return 0;
	}
	return area->addr + offset;
}

kaddr_t mmsim_ioremap_caller(struct machine *m, phys_addr_t phys, unsigned long size,
			const char *caller)
{
	return __ioremap_caller(m, phys, size, _PAGE_PCD, caller);
}

/*
 * memremap(MEMREMAP_WB) of memory that is not System RAM (firmware tables):
 * ioremap_cache(), a write-back mapping. (RAM would come back as its
 * direct-map address, with no area.)
 */
kaddr_t memremap_wb(struct machine *m, phys_addr_t phys, unsigned long size, const char *caller)
{
	return __ioremap_caller(m, phys, size, 0, caller);
}

kaddr_t ioremap(struct machine *m, phys_addr_t phys, unsigned long size)
{
	return mmsim_ioremap_caller(m, phys, size, "ioremap");
}

void iounmap(struct machine *m, kaddr_t addr)
{
	if (!m->vmap || addr <= m->high_memory)
		return;
	addr &= PAGE_MASK;
	if (!find_vm_area(m, addr)) {
		printk(m, KERN_ERR "iounmap: bad address %0*" PRIx64 "\n", kptr_width(m), addr);
		return;
	}
	free_vm_struct(remove_vm_area(m, addr));
	vmap_drain_if_pending(m);
}
