/* vmalloc.h (mm) — the vmalloc area's internals that other kernel files use:
 * struct vm_struct and the area helpers ioremap (arch/x86/ioremap.c) builds
 * on, the hooks boot, /proc and verify call, and what tests look at. */
#ifndef MMSIM_MM_VMALLOC_H
#define MMSIM_MM_VMALLOC_H

#include <stdio.h>
#include <mmsim/vmalloc.h>

#include "mm.h"

struct vmap_state;

/* ioremap areas are aligned to their size's power of two, up to 128 pages. */
#define IOREMAP_MAX_ORDER	(7 + PAGE_SHIFT)

/* One area of the vmalloc space (include/linux/vmalloc.h). */
struct vm_struct {
	uint64_t addr;
	unsigned long size;		/* bytes, the guard page included */
	unsigned long flags;		/* VM_* */
	struct page **pages;		/* VM_ALLOC (or VM_MAP_PUT_PAGES): nr_pages of them */
	unsigned int nr_pages;		/* shown as pages=N */
	phys_addr_t phys_addr;		/* ioremap: first frame mapped */
	bool write_back;		/* ioremap: memremap()/ioremap_cache(), mapped write-back, not uncached */
	char *caller;			/* shown where the kernel prints %pS */
	uint64_t pages_vaddr;		/* the page array's own vmalloc area ("vpages"), or 0 */
	/* What the page tables must hold, for vmalloc_verify(): */
	struct page **mapped;		/* vmap: the pages mapped (the caller's) */
	unsigned int nr_mapped;		/* pages mapped from addr on */
	bool percpu;			/* a percpu chunk's: mapped unit by unit, checked by pcpu_verify() */
};

/*
 * get_vm_area_caller(): an area of @size bytes (page aligned) plus its
 * guard page between VMALLOC_START and VMALLOC_END, with nothing mapped
 * yet; NULL if there is no room.
 */
struct vm_struct *get_vm_area_caller(struct machine *m, unsigned long size,
				     unsigned long flags, const char *caller);
/*
 * pcpu_get_vm_areas() for the one group of x86's units: @size bytes
 * (no guard page) @align-aligned as high as they fit below VMALLOC_END,
 * flagged VM_ALLOC with no pages of its own; NULL if there is no room.
 */
struct vm_struct *pcpu_get_vm_area(struct machine *m, unsigned long size, unsigned long align,
				   const char *caller);
/* vmap_pages_range_noflush(): map @nr pages at @addr with PAGE_KERNEL. 0 or -ENOMEM/-EBUSY. */
int vmap_pages_range_noflush(struct machine *m, uint64_t addr, struct page **pages, unsigned int nr);
/* The area holding @addr, or NULL. */
struct vm_struct *find_vm_area(struct machine *m, kaddr_t addr);
/*
 * remove_vm_area(): unmap the area holding @addr (PTEs only, no TLB flush)
 * and queue its addresses for the lazy purge. Returns its vm_struct for
 * the caller to free with free_vm_struct(), or NULL.
 */
struct vm_struct *remove_vm_area(struct machine *m, kaddr_t addr);
void free_vm_struct(struct vm_struct *vm);
/* Run the lazy purge if an unmap has crossed lazy_max_pages() (the drain work). */
void vmap_drain_if_pending(struct machine *m);
/* PAGE_KERNEL: present, writable, accessed, dirty, global, NX (x86_64 only). */
uint64_t page_kernel(const struct machine *m);

/* m->vmap (NULL before vmalloc_init). */
struct vmap_state *vmap_state(struct machine *m);

/*
 * vmalloc_init(): compute VMALLOC_START/END and make the whole address
 * space free apart from nothing (the kernel's vmap_init_free_space()).
 * Call after the direct map and mem_init. Idempotent. 0 or -ENOMEM.
 */
int vmalloc_init(struct machine *m);
/* Free the host memory behind the state (before RAM is unmapped). */
void vmalloc_release(struct machine *m);

/* The /proc/vmallocinfo line of the live area at @addr; -ENOENT if there is none. */
int vmalloc_area_show(struct machine *m, kaddr_t addr, FILE *out);
/* /proc/vmallocinfo, in 6.1's format. */
void proc_vmallocinfo_show(struct machine *m, FILE *out);
/* /proc/meminfo: VmallocTotal and VmallocUsed in kB. */
void meminfo_vmalloc_values(struct machine *m, uint64_t *total_kb, uint64_t *used_kb);

/*
 * Validator: areas, lazily freed ranges and free ranges tile the address
 * space without overlap; every area's pages are mapped to the frames it
 * records and its guard page is not; vmalloc'd frames are allocated; the
 * counters (vmap_lazy_nr, nr_vmalloc_pages) add up. Prints one line per
 * problem and returns how many.
 */
unsigned long vmalloc_verify(struct machine *m, FILE *out);

/* ---- for tests ------------------------------------------------------------ */

/* lazy_max_pages(): pages lazily freed before a purge is forced. */
unsigned long lazy_max_pages(struct machine *m);
/* Pages waiting in the purge list (vmap_lazy_nr). */
unsigned long vmap_lazy_nr(struct machine *m);
/* Pages allocated by vmalloc (nr_vmalloc_pages; VmallocUsed). */
unsigned long vmalloc_nr_pages(struct machine *m);
/* Every page a vmalloc area allocated (VM_ALLOC's pages), with its area. */
void vmalloc_for_each_page(struct machine *m, void (*fn)(struct page *page, const struct vm_struct *vm,
							 void *arg), void *arg);

/* memremap(MEMREMAP_WB) of firmware memory: a write-back ioremap for @caller (arch/x86/ioremap.c); 0 on failure. */
kaddr_t memremap_wb(struct machine *m, phys_addr_t phys, unsigned long size, const char *caller);

#endif /* MMSIM_MM_VMALLOC_H */
