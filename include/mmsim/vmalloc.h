/* vmalloc.h — virtually contiguous kernel memory: vmalloc, vmap and ioremap.
 *
 * The kernel's API (include/linux/vmalloc.h, asm/io.h) with the machine as
 * the first argument. Addresses are the simulated kernel's virtual addresses
 * (0 is NULL); read and write through them with the MMU. Pages of a vmalloc
 * area come one by one from the buddy allocator, from any zone including
 * HighMem, and are mapped in swapper_pg_dir between VMALLOC_START and
 * VMALLOC_END; each area is followed by an unmapped guard page. A freed
 * area is unmapped at once but its addresses are reused only after the
 * lazy purge has flushed the TLBs (see docs/vmalloc.md). */
#ifndef MMSIM_VMALLOC_H
#define MMSIM_VMALLOC_H

#include <mmsim/gfp.h>
#include <mmsim/types.h>

MMSIM_BEGIN_DECLS

struct machine;
struct page;

/* vm_struct flags (Linux 6.1 values). */
#define VM_IOREMAP		0x00000001UL	/* ioremap() and friends */
#define VM_ALLOC		0x00000002UL	/* vmalloc() */
#define VM_MAP			0x00000004UL	/* vmap()ed pages */
#define VM_USERMAP		0x00000008UL	/* suitable for remap_vmalloc_range */
#define VM_DMA_COHERENT		0x00000010UL	/* dma_alloc_coherent */
#define VM_UNINITIALIZED	0x00000020UL	/* vm_struct is not fully initialised */
#define VM_NO_GUARD		0x00000040UL	/* don't add a guard page */
#define VM_MAP_PUT_PAGES	0x00000200UL	/* vfree() releases the vmap()ed pages */

/*
 * Allocate @size bytes of virtually contiguous memory (rounded up to whole
 * pages). vmalloc() uses GFP_KERNEL, vzalloc() adds __GFP_ZERO,
 * vmalloc_user() returns zeroed memory flagged VM_USERMAP; __vmalloc()
 * takes the caller's gfp. Returns 0 on failure, with the kernel's warning
 * in the log. The _caller variants record @caller, the name shown in
 * /proc/vmallocinfo where the kernel shows the calling function (%pS);
 * the plain ones record their own name.
 */
MMSIM_API kaddr_t vmalloc(struct machine *m, unsigned long size);
MMSIM_API kaddr_t vzalloc(struct machine *m, unsigned long size);
MMSIM_API kaddr_t vmalloc_user(struct machine *m, unsigned long size);
MMSIM_API kaddr_t __vmalloc(struct machine *m, unsigned long size, gfp_t gfp);
MMSIM_API kaddr_t mmsim_vmalloc_caller(struct machine *m, unsigned long size, gfp_t gfp, const char *caller);
MMSIM_API kaddr_t mmsim_vmalloc_user_caller(struct machine *m, unsigned long size, const char *caller);
MMSIM_API kaddr_t __vmalloc_node_range(struct machine *m, unsigned long size, unsigned long align,
			      kaddr_t start, kaddr_t end, gfp_t gfp, uint64_t prot,
			      unsigned long vm_flags, const char *caller);

/* Free a vmalloc area (and its pages). vfree(0) does nothing. */
MMSIM_API void vfree(struct machine *m, kaddr_t addr);

/*
 * Map @count existing pages at consecutive virtual addresses with
 * protection @prot (a pte value, e.g. PAGE_KERNEL; NX is added on x86_64).
 * The pages stay the caller's: vunmap() removes the mapping only, unless
 * @flags has VM_MAP_PUT_PAGES, which hands them to the area.
 */
MMSIM_API kaddr_t vmap(struct machine *m, struct page **pages, unsigned int count, unsigned long flags,
	      uint64_t prot);
MMSIM_API kaddr_t mmsim_vmap_caller(struct machine *m, struct page **pages, unsigned int count,
		     unsigned long flags, uint64_t prot, const char *caller);
MMSIM_API void vunmap(struct machine *m, kaddr_t addr);

/*
 * Map device (or firmware) memory [phys, phys+size) uncached (UC-, _PAGE_PCD).
 * Refuses RAM the kernel uses — a page of System RAM that is not
 * PageReserved — with the kernel's "ioremap on RAM" warning. The returned
 * address keeps phys's offset within its page.
 */
MMSIM_API kaddr_t ioremap(struct machine *m, phys_addr_t phys, unsigned long size);
MMSIM_API kaddr_t mmsim_ioremap_caller(struct machine *m, phys_addr_t phys, unsigned long size,
			const char *caller);
MMSIM_API void iounmap(struct machine *m, kaddr_t addr);

/* The page a vmalloc/vmap address maps, or NULL. */
MMSIM_API struct page *vmalloc_to_page(struct machine *m, kaddr_t addr);
/* VMALLOC_START <= addr < VMALLOC_END. */
MMSIM_API bool is_vmalloc_addr(struct machine *m, kaddr_t addr);
/* The area's bounds: VMALLOC_START and VMALLOC_END (0 before vmalloc_init). */
MMSIM_API kaddr_t mmsim_vmalloc_start(struct machine *m);
MMSIM_API kaddr_t mmsim_vmalloc_end(struct machine *m);

/*
 * Purge the lazily freed areas now: one TLB flush over their span, then
 * their addresses become free. Happens by itself when more than
 * lazy_max_pages() are waiting, or when an allocation finds no room.
 */
MMSIM_API void purge_vmap_area_lazy(struct machine *m);

MMSIM_END_DECLS

#endif /* MMSIM_VMALLOC_H */
