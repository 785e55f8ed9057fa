/* vmalloc.c — the vmalloc area: vmalloc / vzalloc / vmalloc_user / vfree,
 * vmap / vunmap, ioremap / iounmap, the lazy purge with its TLB flush,
 * /proc/vmallocinfo, VmallocTotal / VmallocUsed (mm/vmalloc.c).
 *
 * Not here: ioremap (arch/x86/ioremap.c, built on the area helpers below);
 * the page tables themselves (arch/x86/pgtable.c) and the TLB
 * (arch/x86/mmu.c); the persistent kmap area above VMALLOC_END (highmem.c).
 *
 * The kernel virtual address allocator
 * ------------------------------------
 * Linux 6.1 keeps three address-sorted sets of vmap_areas:
 *
 *   busy   (vmap_area_root)        areas in use, each with its vm_struct;
 *   lazy   (purge_vmap_area_root)  areas freed but not yet purged: their
 *                                  page tables are already cleared, but
 *                                  CPUs may still hold TLB entries for them;
 *   free   (free_vmap_area_root)   everything else, merged into maximal
 *                                  ranges. At init the free set is the whole
 *                                  address space [1, ULONG_MAX).
 *
 * and the invariant, checked by vmalloc_verify(), is that they tile it:
 *
 *   busy ∪ lazy ∪ free == [1, ULONG_MAX),  pairwise disjoint,
 *   vmap_lazy_nr == |lazy| / PAGE_SIZE.
 *
 * An allocation takes the lowest-addressed free range in which an aligned
 * block of the size fits between vstart and vend (first fit, lowest
 * address). 6.1 finds it in O(log n) in an rb-tree augmented with each
 * subtree's largest free block; mmsim keeps sorted arrays and scans the
 * free ranges from vstart (binary search to the start, then O(holes)),
 * which gives the same address whenever align <= PAGE_SIZE. For larger
 * alignments (ioremap) 6.1 descends looking for a block of size+align-1
 * and may, depending on the tree's shape, skip a lower hole that would have
 * fitted exactly; mmsim always takes the lowest fit.
 *
 * Every area is followed by one unmapped guard page (unless VM_NO_GUARD),
 * which is counted in its size: vmalloc(4096) occupies 8192 bytes, as
 * /proc/vmallocinfo shows.
 *
 * Freeing is lazy. vfree() clears the area's PTEs at once but does not
 * flush any TLB; the range moves to the lazy set, and only when more than
 * lazy_max_pages() (32 MiB worth per fls(nr_cpus)) wait — or an allocation
 * finds no room — does __purge_vmap_area_lazy() flush the TLBs once over
 * the whole span [lowest lazy start, highest lazy end) and return the
 * ranges to the free set. Until then a CPU that cached a translation of the
 * freed address can still use it (to a frame that may already belong to
 * someone else): the reason the addresses may not be reused before the
 * flush. The kernel purges from a workqueue soon after the threshold is
 * crossed; mmsim purges at the end of the vfree()/vunmap()/iounmap() call
 * that crossed it.
 *
 * Metadata (vm_struct, vmap_area, a page array of up to a page) lives in
 * host memory here; the kernel takes it from the slab allocator. A page
 * array larger than a page is vmalloc'd, as in the kernel ("vpages"). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/mmu.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/layout.h"
#include "mm/vmalloc.h"

#define GFP_RECLAIM_MASK	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | \
				 __GFP_NOWARN | __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | \
				 __GFP_NORETRY | __GFP_MEMALLOC | __GFP_NOMEMALLOC)

struct vmap_area {
	uint64_t va_start, va_end;	/* va_end - va_start == vm->size */
	struct vm_struct *vm;
};

/* A sorted array of disjoint, merged [start, end) ranges. */
struct range_list {
	struct vrange { uint64_t start, end; } *r;
	size_t nr, cap;
};

struct vmap_state {
	uint64_t vmalloc_start;		/* VMALLOC_START */
	uint64_t vmalloc_end;		/* VMALLOC_END (x86_64: inclusive, as the kernel's) */
	uint64_t va_limit;		/* ULONG_MAX of the simulated kernel */

	struct vmap_area **busy;	/* sorted by va_start */
	size_t nr_busy, cap_busy;
	struct range_list lazy;		/* purge list: merged, sorted */
	struct range_list free;		/* free list: merged, sorted */

	unsigned long vmap_lazy_nr;	/* == |lazy| >> PAGE_SHIFT */
	unsigned long nr_vmalloc_pages;	/* == sum of VM_ALLOC areas' nr_pages */
	unsigned long nr_purges;	/* purges that flushed something */
	bool drain_pending;		/* nr_lazy crossed lazy_max_pages() */
	struct ratelimit_state printk_rs;	/* printk_ratelimit() */
};

struct vmap_state *vmap_state(struct machine *m)
{
	return m->vmap;
}

/* ---- small helpers ---------------------------------------------------------- */

uint64_t page_kernel(const struct machine *m)
{
	return __PAGE_KERNEL | (m->is_32bit ? 0 : _PAGE_NX);
}

static unsigned int fls_uint(unsigned int x)
{
	return x ? 32 - (unsigned int)__builtin_clz(x) : 0;
}

/* get_count_order_long(): the order of the smallest power of two >= x. */
static unsigned int count_order(uint64_t x)
{
	unsigned int order = 0;

	while ((1ULL << order) < x)
		order++;
	return order;
}

/* ---- range lists -------------------------------------------------------------- */

/* Index of the first range ending above addr (nr if none). */
static size_t rl_search(const struct range_list *l, uint64_t addr)
{
	size_t lo = 0, hi = l->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->r[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int rl_insert_at(struct range_list *l, size_t i, uint64_t start, uint64_t end)
{
	if (l->nr == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct vrange *r = realloc(l->r, cap * sizeof(*r));
		if (!r)
			return -MMSIM_ENOMEM;
		l->r = r;
		l->cap = cap;
	}
	memmove(&l->r[i + 1], &l->r[i], (l->nr - i) * sizeof(*l->r));
	l->r[i] = (struct vrange){ start, end };
	l->nr++;
	return 0;
}

static void rl_delete_at(struct range_list *l, size_t i)
{
	memmove(&l->r[i], &l->r[i + 1], (l->nr - i - 1) * sizeof(*l->r));
	l->nr--;
}

/*
 * merge_or_add_vmap_area(): put [start, end) into the list, merging with
 * the neighbours it touches. Overlap would mean the same addresses are
 * freed twice: refused with -EINVAL.
 */
static int rl_merge_or_add(struct range_list *l, uint64_t start, uint64_t end)
{
	size_t i = rl_search(l, start);

	if (i < l->nr && l->r[i].start < end)
		return -MMSIM_EINVAL;
	bool prev = i > 0 && l->r[i - 1].end == start;
	bool next = i < l->nr && l->r[i].start == end;
	if (prev && next) {
		l->r[i - 1].end = l->r[i].end;
		rl_delete_at(l, i);
	} else if (prev) {
		l->r[i - 1].end = end;
	} else if (next) {
		l->r[i].start = start;
	} else {
		return rl_insert_at(l, i, start, end);
	}
	return 0;
}

/* Carve [start, end) out of range i (adjust_va_to_fit_type()). */
static int rl_carve(struct range_list *l, size_t i, uint64_t start, uint64_t end)
{
	struct vrange *r = &l->r[i];

	if (r->start == start && r->end == end) {
		rl_delete_at(l, i);		/* FL_FIT_TYPE */
	} else if (r->start == start) {
		r->start = end;			/* LE_FIT_TYPE */
	} else if (r->end == end) {
		r->end = start;			/* RE_FIT_TYPE */
	} else {
		uint64_t old_start = r->start;	/* NE_FIT_TYPE: split in two */
		r->start = end;
		return rl_insert_at(l, i, old_start, start);
	}
	return 0;
}

static uint64_t rl_bytes(const struct range_list *l)
{
	uint64_t n = 0;

	for (size_t i = 0; i < l->nr; i++)
		n += l->r[i].end - l->r[i].start;
	return n;
}

/* ---- the busy set ------------------------------------------------------------ */

/* Index of the first busy area with va_start >= addr. */
static size_t busy_search(const struct vmap_state *vs, uint64_t addr)
{
	size_t lo = 0, hi = vs->nr_busy;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (vs->busy[mid]->va_start >= addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* __find_vmap_area(): the busy area containing addr. */
static struct vmap_area *find_vmap_area(struct vmap_state *vs, uint64_t addr, size_t *idx)
{
	size_t i = busy_search(vs, addr + 1);	/* first with va_start > addr */

	if (i == 0)
		return NULL;
	struct vmap_area *va = vs->busy[i - 1];
	if (addr >= va->va_end)
		return NULL;
	if (idx)
		*idx = i - 1;
	return va;
}

static int busy_insert(struct vmap_state *vs, struct vmap_area *va)
{
	if (vs->nr_busy == vs->cap_busy) {
		size_t cap = vs->cap_busy ? vs->cap_busy * 2 : 32;
		struct vmap_area **b = realloc(vs->busy, cap * sizeof(*b));
		if (!b)
			return -MMSIM_ENOMEM;
		vs->busy = b;
		vs->cap_busy = cap;
	}
	size_t i = busy_search(vs, va->va_start);
	memmove(&vs->busy[i + 1], &vs->busy[i], (vs->nr_busy - i) * sizeof(*vs->busy));
	vs->busy[i] = va;
	vs->nr_busy++;
	return 0;
}

static void busy_delete_at(struct vmap_state *vs, size_t i)
{
	memmove(&vs->busy[i], &vs->busy[i + 1], (vs->nr_busy - i - 1) * sizeof(*vs->busy));
	vs->nr_busy--;
}

/* ---- init and release ---------------------------------------------------------- */

int vmalloc_init(struct machine *m)
{
	if (m->vmap)
		return 0;
	struct vmap_state *vs = calloc(1, sizeof(*vs));
	if (!vs)
		return -MMSIM_ENOMEM;
	vs->vmalloc_start = arch_vmalloc_start(m);
	vs->vmalloc_end = arch_vmalloc_end(m);
	vs->va_limit = m->is_32bit ? 0xffffffffULL : UINT64_MAX;
	/* vmap_init_free_space(): nothing is busy yet, so all of [1, ULONG_MAX) is free. */
	if (rl_insert_at(&vs->free, 0, 1, vs->va_limit)) {
		free(vs);
		return -MMSIM_ENOMEM;
	}
	m->vmap = vs;
	return 0;
}

void free_vm_struct(struct vm_struct *vm)
{
	if (!vm)
		return;
	if (vm->mapped != vm->pages)
		free(vm->mapped);
	free(vm->pages);
	free(vm->caller);
	free(vm);
}

void vmalloc_release(struct machine *m)
{
	struct vmap_state *vs = m->vmap;

	if (!vs)
		return;
	for (size_t i = 0; i < vs->nr_busy; i++) {
		free_vm_struct(vs->busy[i]->vm);
		free(vs->busy[i]);
	}
	free(vs->busy);
	free(vs->lazy.r);
	free(vs->free.r);
	free(vs);
	m->vmap = NULL;
}

kaddr_t mmsim_vmalloc_start(struct machine *m)
{
	return m->vmap ? m->vmap->vmalloc_start : 0;
}

kaddr_t mmsim_vmalloc_end(struct machine *m)
{
	return m->vmap ? m->vmap->vmalloc_end : 0;
}

bool is_vmalloc_addr(struct machine *m, kaddr_t addr)
{
	struct vmap_state *vs = m->vmap;

	return vs && addr >= vs->vmalloc_start && addr < vs->vmalloc_end;
}

unsigned long lazy_max_pages(struct machine *m)
{
	return fls_uint(m->nr_cpus) * (32UL * 1024 * 1024 / PAGE_SIZE);
}

unsigned long vmap_lazy_nr(struct machine *m)
{
	return m->vmap ? m->vmap->vmap_lazy_nr : 0;
}

unsigned long vmalloc_nr_pages(struct machine *m)
{
	return m->vmap ? m->vmap->nr_vmalloc_pages : 0;
}

/* ---- the lazy purge ---------------------------------------------------------- */

/*
 * __purge_vmap_area_lazy(): one flush over everything waiting, then the
 * ranges go back to the free set. The flush covers the span from the
 * lowest to the highest lazy address, holes included: cheaper than one
 * flush per area, and flush_tlb_kernel_range() flushes everything anyway
 * beyond 33 pages. Returns whether anything was purged.
 */
static bool __purge_vmap_area_lazy(struct machine *m)
{
	struct vmap_state *vs = m->vmap;

	vs->drain_pending = false;
	if (!vs->lazy.nr)
		return false;
	uint64_t start = vs->lazy.r[0].start, end = vs->lazy.r[vs->lazy.nr - 1].end;
	if (m->cpu_mmu)
		flush_tlb_kernel_range(m, start, end);
	for (size_t i = 0; i < vs->lazy.nr; i++) {
		const struct vrange *r = &vs->lazy.r[i];
		if (rl_merge_or_add(&vs->free, r->start, r->end))
			printk(m, KERN_ERR "vmalloc: lazy range %#" PRIx64 "-%#" PRIx64 " overlaps free space\n",
			       r->start, r->end);
		vs->vmap_lazy_nr -= (unsigned long)((r->end - r->start) >> PAGE_SHIFT);
	}
	vs->lazy.nr = 0;
	vs->nr_purges++;
	return true;
}

void purge_vmap_area_lazy(struct machine *m)
{
	if (m->vmap)
		__purge_vmap_area_lazy(m);
}

/* drain_vmap_area_work(): what the workqueue would have done by now. */
void vmap_drain_if_pending(struct machine *m)
{
	if (m->vmap->drain_pending)
		__purge_vmap_area_lazy(m);
}

/* ---- allocating and freeing addresses --------------------------------------- */

/*
 * __alloc_vmap_area(): the lowest address in [vstart, vend) where an
 * @align-aligned block of @size fits in a free range. Returns vend if
 * there is none (as the kernel does).
 */
static uint64_t __alloc_vmap_area(struct vmap_state *vs, uint64_t size, uint64_t align,
				  uint64_t vstart, uint64_t vend)
{
	for (size_t i = rl_search(&vs->free, vstart); i < vs->free.nr; i++) {
		const struct vrange *r = &vs->free.r[i];
		uint64_t s = r->start > vstart ? r->start : vstart;
		if (s > UINT64_MAX - (align - 1))
			break;
		s = ALIGN_UP(s, align);
		if (s >= vend || vend - s < size)
			break;		/* later ranges start higher still */
		if (s < r->end && r->end - s >= size) {
			if (rl_carve(&vs->free, i, s, s + size))
				return vend;
			return s;
		}
	}
	return vend;
}

/*
 * alloc_vmap_area(): reserve [addr, addr+size) for a new area. When there
 * is no room, purge the lazy areas and try once more; then warn (rate
 * limited) and fail.
 */
static struct vmap_area *alloc_vmap_area(struct machine *m, uint64_t size, uint64_t align,
					 uint64_t vstart, uint64_t vend, gfp_t gfp)
{
	struct vmap_state *vs = m->vmap;
	bool purged = false;

	if (!size || (size & ~PAGE_MASK) || !align || (align & (align - 1)))
		return NULL;
	struct vmap_area *va = calloc(1, sizeof(*va));
	if (!va)
		return NULL;
	for (;;) {
		uint64_t addr = __alloc_vmap_area(vs, size, align, vstart, vend);
		if (addr != vend) {
			va->va_start = addr;
			va->va_end = addr + size;
			if (busy_insert(vs, va)) {
				rl_merge_or_add(&vs->free, addr, addr + size);
				break;
			}
			return va;
		}
		if (purged)
			break;
		__purge_vmap_area_lazy(m);
		purged = true;
	}
	if (!(gfp & __GFP_NOWARN) && __ratelimit(m, &vs->printk_rs, "alloc_vmap_area"))
		pr_warn(m, "vmap allocation for size %" PRIu64 " failed: use vmalloc=<size> to "
			"increase size\n", size);
	free(va);
	return NULL;
}

/* Clear the PTEs of [start, end) (vunmap_range_noflush()): no TLB flush. */
static void vunmap_range_noflush(struct machine *m, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		enum pt_level level;
		phys_addr_t table;
		unsigned int idx;
		if (pt_lookup(m, m->swapper_pg_dir, va, &level, &table, &idx) && level == PT_PTE)
			pt_write(m, table, idx, 0);
	}
}

/*
 * free_vmap_area_noflush(): the area leaves the busy set for the lazy one.
 * Its addresses are not free until the purge has flushed the TLBs.
 */
static void free_vmap_area_noflush(struct machine *m, size_t idx)
{
	struct vmap_state *vs = m->vmap;
	struct vmap_area *va = vs->busy[idx];

	busy_delete_at(vs, idx);
	vs->vmap_lazy_nr += (unsigned long)((va->va_end - va->va_start) >> PAGE_SHIFT);
	if (rl_merge_or_add(&vs->lazy, va->va_start, va->va_end))
		printk(m, KERN_ERR "vmalloc: freed range %#" PRIx64 "-%#" PRIx64 " is already lazy\n",
		       va->va_start, va->va_end);
	if (vs->vmap_lazy_nr > lazy_max_pages(m))
		vs->drain_pending = true;
	free(va);
}

/*
 * remove_vm_area(): find the area holding addr, unmap it (PTEs only) and
 * queue its addresses for the lazy purge. Returns its vm_struct, which the
 * caller frees, or NULL if no area holds addr.
 */
struct vm_struct *remove_vm_area(struct machine *m, uint64_t addr)
{
	size_t idx;
	struct vmap_area *va = find_vmap_area(m->vmap, addr, &idx);

	if (!va || !va->vm)
		return NULL;
	struct vm_struct *vm = va->vm;
	va->vm = NULL;
	vunmap_range_noflush(m, va->va_start, va->va_end);
	free_vmap_area_noflush(m, idx);
	return vm;
}

/*
 * __get_vm_area_node(): a vm_struct for @size bytes (page aligned) plus
 * the guard page. ioremap areas are aligned to their size's power of two,
 * up to IOREMAP_MAX_ORDER, so large device windows can use large pages.
 */
static struct vm_struct *__get_vm_area_node(struct machine *m, unsigned long size,
					    unsigned long align, unsigned long flags,
					    uint64_t start, uint64_t end, gfp_t gfp,
					    const char *caller)
{
	if (!m->vmap)
		return NULL;
	uint64_t asize = ALIGN_UP((uint64_t)size, (uint64_t)PAGE_SIZE);
	if (!asize || asize < size)
		return NULL;
	if (flags & VM_IOREMAP)
		align = 1UL << clamp_t(unsigned int, count_order(asize), PAGE_SHIFT,
				       IOREMAP_MAX_ORDER);
	struct vm_struct *vm = calloc(1, sizeof(*vm));
	if (!vm)
		return NULL;
	if (!(flags & VM_NO_GUARD))
		asize += PAGE_SIZE;
	struct vmap_area *va = alloc_vmap_area(m, asize, align, start, end, gfp);
	if (!va) {
		free(vm);
		return NULL;
	}
	vm->addr = va->va_start;
	vm->size = (unsigned long)asize;
	vm->flags = flags;
	vm->caller = caller ? strdup(caller) : NULL;
	va->vm = vm;
	return vm;
}

struct vm_struct *pcpu_get_vm_area(struct machine *m, unsigned long size, unsigned long align,
				   const char *caller)
{
	struct vmap_state *vs = m->vmap;

	if (!vs || !size || (size & ~PAGE_MASK) || !align || (align & (align - 1)))
		return NULL;
	/* pvm_determine_end_from_reverse(): the highest aligned end a free range holds. */
	uint64_t top = vs->vmalloc_end & ~((uint64_t)align - 1);
	for (size_t i = vs->free.nr; i-- > 0;) {
		const struct vrange *r = &vs->free.r[i];
		uint64_t end = (r->end < top ? r->end : top) & ~((uint64_t)align - 1);
		if (end < r->start || end - r->start < size)
			continue;
		uint64_t start = end - size;
		struct vm_struct *vm = calloc(1, sizeof(*vm));
		struct vmap_area *va = calloc(1, sizeof(*va));
		if (!vm || !va || rl_carve(&vs->free, i, start, end)) {
			free(vm);
			free(va);
			return NULL;
		}
		va->va_start = start;
		va->va_end = end;
		if (busy_insert(vs, va)) {
			rl_merge_or_add(&vs->free, start, end);
			free(vm);
			free(va);
			return NULL;
		}
		vm->addr = start;
		vm->size = size;
		vm->flags = VM_ALLOC | VM_NO_GUARD;
		vm->caller = caller ? strdup(caller) : NULL;
		vm->percpu = true;
		va->vm = vm;
		return vm;
	}
	return NULL;
}

struct vm_struct *get_vm_area_caller(struct machine *m, unsigned long size,
					    unsigned long flags, const char *caller)
{
	struct vmap_state *vs = m->vmap;

	if (!vs)
		return NULL;
	return __get_vm_area_node(m, size, 1, flags, vs->vmalloc_start, vs->vmalloc_end,
				  GFP_KERNEL, caller);
}

/* Bytes an area maps: its size without the guard page. */
static unsigned long get_vm_area_size(const struct vm_struct *vm)
{
	return (vm->flags & VM_NO_GUARD) ? vm->size : vm->size - PAGE_SIZE;
}

/*
 * vmap_pages_range(): one PTE per page in swapper_pg_dir. The kernel's page
 * tables for the vmalloc area are shared by every page directory and are
 * never freed. A PTE already in use is a bug (WARN_ON, -EBUSY).
 */
static int vmap_pages_range(struct machine *m, uint64_t addr, struct page **pages,
			    unsigned int nr, uint64_t prot)
{
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t va = addr + (uint64_t)i * PAGE_SIZE, old = 0;
		uint64_t pte = PFN_PHYS(page_to_pfn(m, pages[i])) | prot;
		if (pt_set_pte(m, m->swapper_pg_dir, va, pte, &old))
			return -MMSIM_ENOMEM;
		if (old & _PAGE_PRESENT) {
			pt_set_pte(m, m->swapper_pg_dir, va, old, NULL);
			__warn(m, "mm/vmalloc.c", "vmap_pte_range", NULL);
			return -MMSIM_EBUSY;
		}
	}
	return 0;
}

int vmap_pages_range_noflush(struct machine *m, uint64_t addr, struct page **pages, unsigned int nr)
{
	return vmap_pages_range(m, addr, pages, nr, page_kernel(m));
}

/* ---- vmalloc ------------------------------------------------------------------ */

static uint64_t __vmalloc_node(struct machine *m, unsigned long size, unsigned long align,
			       gfp_t gfp, const char *caller);
static void __vunmap(struct machine *m, uint64_t addr, bool deallocate_pages);

/*
 * __vmalloc_area_node(): the page array (vmalloc'd itself when larger than
 * a page: the recursion stops one level down), then the pages one at a
 * time — from HighMem too unless the caller asked for DMA — then the page
 * tables. On failure the half-built area is freed with __vunmap().
 */
static uint64_t __vmalloc_area_node(struct machine *m, struct vm_struct *area, gfp_t gfp,
				    uint64_t prot)
{
	struct vmap_state *vs = m->vmap;
	const gfp_t nested_gfp = (gfp & GFP_RECLAIM_MASK) | __GFP_ZERO;
	unsigned int nr_small_pages = (unsigned int)(get_vm_area_size(area) >> PAGE_SHIFT);
	unsigned long ptr_size = m->is_32bit ? 4 : 8;
	unsigned long array_size = (unsigned long)nr_small_pages * ptr_size;

	if (!(gfp & (GFP_DMA | GFP_DMA32)))
		gfp |= __GFP_HIGHMEM;
	area->pages = calloc(nr_small_pages ? nr_small_pages : 1, sizeof(*area->pages));
	if (area->pages && array_size > PAGE_SIZE) {
		area->pages_vaddr = __vmalloc_node(m, array_size, 1, nested_gfp, area->caller);
		if (!area->pages_vaddr) {
			free(area->pages);
			area->pages = NULL;
		}
	}
	if (!area->pages) {
		warn_alloc(m, gfp, "vmalloc error: size %lu, failed to allocated page array "
			      "size %lu", (unsigned long)nr_small_pages * PAGE_SIZE, array_size);
		__vunmap(m, area->addr, true);
		return 0;
	}
	while (area->nr_pages < nr_small_pages) {
		struct page *page = alloc_pages(m, gfp | __GFP_NOWARN, 0);
		if (!page)
			break;
		area->pages[area->nr_pages++] = page;
	}
	vs->nr_vmalloc_pages += area->nr_pages;
	if (area->nr_pages != nr_small_pages) {
		warn_alloc(m, gfp, "vmalloc error: size %lu, page order %u, failed to allocate "
			      "pages", (unsigned long)area->nr_pages * PAGE_SIZE, 0u);
		__vunmap(m, area->addr, true);
		return 0;
	}
	area->nr_mapped = area->nr_pages;
	if (vmap_pages_range(m, area->addr, area->pages, area->nr_pages, prot) < 0) {
		warn_alloc(m, gfp, "vmalloc error: size %lu, failed to map pages",
			      (unsigned long)area->nr_pages * PAGE_SIZE);
		__vunmap(m, area->addr, true);
		return 0;
	}
	return area->addr;
}

kaddr_t __vmalloc_node_range(struct machine *m, unsigned long size, unsigned long align,
			      uint64_t start, uint64_t end, gfp_t gfp, uint64_t prot,
			      unsigned long vm_flags, const char *caller)
{
	if (!m->vmap)
		return 0;
	if (!size) {
		/* WARN_ON_ONCE(!size) */
		__warn(m, "mm/vmalloc.c", "__vmalloc_node_range", NULL);
		return 0;
	}
	if ((size >> PAGE_SHIFT) > m->totalram_pages) {
		warn_alloc(m, gfp, "vmalloc error: size %lu, exceeds total pages", size);
		return 0;
	}
	struct vm_struct *area = __get_vm_area_node(m, size, align, VM_ALLOC | VM_UNINITIALIZED |
						    vm_flags, start, end, gfp, caller);
	if (!area) {
		/*
		 * With __GFP_NOFAIL the kernel sleeps a tick and tries again,
		 * forever; mmsim says so and gives up rather than hang.
		 */
		warn_alloc(m, gfp, "vmalloc error: size %lu, vm_struct allocation failed%s",
			      size, (gfp & __GFP_NOFAIL) ? ". Retrying." : "");
		return 0;
	}
	uint64_t addr = __vmalloc_area_node(m, area, gfp, prot);
	if (addr)
		area->flags &= ~VM_UNINITIALIZED;	/* clear_vm_uninitialized_flag() */
	return addr;
}

static uint64_t __vmalloc_node(struct machine *m, unsigned long size, unsigned long align,
			       gfp_t gfp, const char *caller)
{
	struct vmap_state *vs = m->vmap;

	if (!vs)
		return 0;
	return __vmalloc_node_range(m, size, align, vs->vmalloc_start, vs->vmalloc_end, gfp,
				    page_kernel(m), 0, caller);
}

kaddr_t mmsim_vmalloc_caller(struct machine *m, unsigned long size, gfp_t gfp, const char *caller)
{
	return __vmalloc_node(m, size, 1, gfp, caller);
}

kaddr_t __vmalloc(struct machine *m, unsigned long size, gfp_t gfp)
{
	return __vmalloc_node(m, size, 1, gfp, "__vmalloc");
}

kaddr_t vmalloc(struct machine *m, unsigned long size)
{
	return __vmalloc_node(m, size, 1, GFP_KERNEL, "vmalloc");
}

kaddr_t vzalloc(struct machine *m, unsigned long size)
{
	return __vmalloc_node(m, size, 1, GFP_KERNEL | __GFP_ZERO, "vzalloc");
}

kaddr_t mmsim_vmalloc_user_caller(struct machine *m, unsigned long size, const char *caller)
{
	struct vmap_state *vs = m->vmap;

	if (!vs)
		return 0;
	/* SHMLBA is PAGE_SIZE on x86. */
	return __vmalloc_node_range(m, size, PAGE_SIZE, vs->vmalloc_start, vs->vmalloc_end,
				    GFP_KERNEL | __GFP_ZERO, page_kernel(m), VM_USERMAP, caller);
}

kaddr_t vmalloc_user(struct machine *m, unsigned long size)
{
	return mmsim_vmalloc_user_caller(m, size, "vmalloc_user");
}

/*
 * __vunmap(): remove the area (PTEs cleared, addresses queued for the lazy
 * purge), then, for vfree(), free its pages and its page array. The pages
 * go back to the buddy allocator before any TLB flush: nothing may use the
 * freed address any more, and the purge will flush before the address is
 * handed out again.
 */
static void __vunmap(struct machine *m, uint64_t addr, bool deallocate_pages)
{
	struct vmap_state *vs = m->vmap;

	if (!addr || !vs)
		return;
	if (addr & ~PAGE_MASK) {
		__warn(m, "mm/vmalloc.c", "__vunmap", "Trying to vfree() bad address (%0*" PRIx64 ")\n",
		       kptr_width(m), addr);
		return;
	}
	struct vm_struct *area = remove_vm_area(m, addr);
	if (!area) {
		__warn(m, "mm/vmalloc.c", "__vunmap",
		       "Trying to vfree() nonexistent vm area (%0*" PRIx64 ")\n", kptr_width(m), addr);
		return;
	}
	if (deallocate_pages) {
		for (unsigned int i = 0; i < area->nr_pages; i++)
			__free_pages(m, area->pages[i], 0);
		/* VM_MAP_PUT_PAGES pages were never counted (6.1 would underflow here). */
		if (area->flags & VM_ALLOC)
			vs->nr_vmalloc_pages -= area->nr_pages;
		if (area->pages_vaddr)
			__vunmap(m, area->pages_vaddr, true);	/* kvfree(area->pages) */
	}
	free_vm_struct(area);
}

void vfree(struct machine *m, kaddr_t addr)
{
	if (!addr || !m->vmap)
		return;
	__vunmap(m, addr, true);
	vmap_drain_if_pending(m);
}

/* ---- vmap ------------------------------------------------------------------------ */

kaddr_t mmsim_vmap_caller(struct machine *m, struct page **pages, unsigned int count,
		     unsigned long flags, uint64_t prot, const char *caller)
{
	if (!m->vmap || !count || count > m->totalram_pages)
		return 0;
	unsigned long size = (unsigned long)count << PAGE_SHIFT;
	struct vm_struct *area = get_vm_area_caller(m, size, flags, caller);
	if (!area)
		return 0;
	area->mapped = malloc(count * sizeof(*area->mapped));
	if (!area->mapped) {
		vunmap(m, area->addr);
		return 0;
	}
	memcpy(area->mapped, pages, count * sizeof(*pages));
	area->nr_mapped = count;
	/* pgprot_nx(): vmap'd memory is data. */
	if (vmap_pages_range(m, area->addr, pages, count, prot | (m->is_32bit ? 0 : _PAGE_NX))) {
		vunmap(m, area->addr);
		return 0;
	}
	if (flags & VM_MAP_PUT_PAGES) {
		area->pages = area->mapped;
		area->nr_pages = count;
	}
	return area->addr;
}

kaddr_t vmap(struct machine *m, struct page **pages, unsigned int count, unsigned long flags,
	      uint64_t prot)
{
	return mmsim_vmap_caller(m, pages, count, flags, prot, "vmap");
}

void vunmap(struct machine *m, kaddr_t addr)
{
	if (!addr || !m->vmap)
		return;
	__vunmap(m, addr, false);
	vmap_drain_if_pending(m);
}

struct vm_struct *find_vm_area(struct machine *m, kaddr_t addr)
{
	struct vmap_area *va = m->vmap ? find_vmap_area(m->vmap, addr, NULL) : NULL;

	return va ? va->vm : NULL;
}

/* ---- lookups ---------------------------------------------------------------- */

static bool kernel_pte(struct machine *m, uint64_t va, uint64_t *pte)
{
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;

	if (!pt_lookup(m, m->swapper_pg_dir, va, &level, &table, &idx) || level != PT_PTE)
		return false;
	*pte = pt_read(m, table, idx);
	return true;
}

struct page *vmalloc_to_page(struct machine *m, kaddr_t addr)
{
	uint64_t pte;

	if (!kernel_pte(m, addr & PAGE_MASK, &pte) || !(pte & _PAGE_PRESENT))
		return NULL;
	unsigned long pfn = (unsigned long)PFN_DOWN(pte & pt_format(m)->addr_mask);
	return pfn_valid(m, pfn) ? pfn_to_page(m, pfn) : NULL;
}

/* ---- /proc/vmallocinfo and meminfo ------------------------------------------ */

static void show_area(struct machine *m, const struct vm_struct *v, FILE *out)
{
	int w = kptr_width(m);

	fprintf(out, "0x%0*" PRIx64 "-0x%0*" PRIx64 " %7ld", w, v->addr, w, v->addr + v->size,
		(long)v->size);
	if (v->caller)
		fprintf(out, " %s", v->caller);
	if (v->nr_pages)
		fprintf(out, " pages=%u", v->nr_pages);
	if (v->phys_addr)
		fprintf(out, " phys=0x%0*" PRIx64, w, (uint64_t)v->phys_addr);
	if (v->flags & VM_IOREMAP)
		fputs(" ioremap", out);
	if (v->flags & VM_ALLOC)
		fputs(" vmalloc", out);
	if (v->flags & VM_MAP)
		fputs(" vmap", out);
	if (v->flags & VM_USERMAP)
		fputs(" user", out);
	if (v->flags & VM_DMA_COHERENT)
		fputs(" dma-coherent", out);
	if (v->pages_vaddr)
		fputs(" vpages", out);
	/* show_numa_info(): NUMA kernels (Debian's amd64, not its 686) count pages per node. */
	if (m->profile->node_data_bytes && !(v->flags & VM_UNINITIALIZED) && v->nr_pages)
		fprintf(out, " N0=%u", v->nr_pages);
	fputc('\n', out);
}

/*
 * s_show(): the busy areas by address; after the last one, the lazily
 * freed ranges (show_purge_info(), merged as the purge list keeps them).
 * With no busy area at all the kernel never reaches that step.
 */
int vmalloc_area_show(struct machine *m, kaddr_t addr, FILE *out)
{
	struct vmap_area *va = m->vmap ? find_vmap_area(m->vmap, addr, NULL) : NULL;

	if (!va || !va->vm || va->va_start != (addr & PAGE_MASK))
		return -MMSIM_ENOENT;
	show_area(m, va->vm, out);
	return 0;
}

void proc_vmallocinfo_show(struct machine *m, FILE *out)
{
	struct vmap_state *vs = m->vmap;
	int w = kptr_width(m);

	if (!vs)
		return;
	for (size_t i = 0; i < vs->nr_busy; i++) {
		const struct vmap_area *va = vs->busy[i];
		if (va->vm)
			show_area(m, va->vm, out);
		else
			fprintf(out, "0x%0*" PRIx64 "-0x%0*" PRIx64 " %7ld vm_map_ram\n", w,
				va->va_start, w, va->va_end, (long)(va->va_end - va->va_start));
	}
	if (!vs->nr_busy)
		return;
	for (size_t i = 0; i < vs->lazy.nr; i++)
		fprintf(out, "0x%0*" PRIx64 "-0x%0*" PRIx64 " %7ld unpurged vm_area\n", w,
			vs->lazy.r[i].start, w, vs->lazy.r[i].end,
			(long)(vs->lazy.r[i].end - vs->lazy.r[i].start));
}

void vmalloc_for_each_page(struct machine *m, void (*fn)(struct page *page, const struct vm_struct *vm,
							 void *arg), void *arg)
{
	struct vmap_state *vs = m->vmap;

	for (size_t i = 0; vs && i < vs->nr_busy; i++) {
		const struct vm_struct *vm = vs->busy[i]->vm;
		if (vm && (vm->flags & VM_ALLOC) && vm->pages)
			for (unsigned int k = 0; k < vm->nr_pages; k++)
				fn(vm->pages[k], vm, arg);
	}
}

void meminfo_vmalloc_values(struct machine *m, uint64_t *total_kb, uint64_t *used_kb)
{
	struct vmap_state *vs = m->vmap;

	*total_kb = vs ? (vs->vmalloc_end - vs->vmalloc_start) >> 10 : 0;
	*used_kb = vs ? (uint64_t)vs->nr_vmalloc_pages << (PAGE_SHIFT - 10) : 0;
}

/* ---- validator ------------------------------------------------------------------ */

static unsigned long verify_area(struct machine *m, const struct vmap_area *va, FILE *out)
{
	const struct vm_struct *vm = va->vm;
	const struct pt_format *f = pt_format(m);
	unsigned long bad = 0;
	uint64_t pte;

	if (!vm)
		return 0;
	if (vm->addr != va->va_start || vm->size != va->va_end - va->va_start) {
		fprintf(out, "vmalloc: area %#" PRIx64 " size %lu does not match its vmap_area "
			"%#" PRIx64 "-%#" PRIx64 "\n", vm->addr, vm->size, va->va_start, va->va_end);
		bad++;
	}
	if (vm->flags & VM_UNINITIALIZED)
		return bad;
	if (vm->percpu)
		return bad;	/* its units' pages: pcpu_verify() */
	if (vm->nr_mapped > get_vm_area_size(vm) >> PAGE_SHIFT) {
		fprintf(out, "vmalloc: area %#" PRIx64 " maps %u pages in %lu bytes\n", vm->addr,
			vm->nr_mapped, get_vm_area_size(vm));
		return bad + 1;
	}
	for (unsigned int i = 0; i < vm->nr_mapped; i++) {
		uint64_t va_i = vm->addr + (uint64_t)i * PAGE_SIZE;
		unsigned long want;
		struct page *page = NULL;
		if (vm->flags & VM_IOREMAP) {
			want = (unsigned long)PFN_DOWN(vm->phys_addr) + i;
		} else {
			page = (vm->flags & VM_ALLOC) ? vm->pages[i] : vm->mapped[i];
			want = page_to_pfn(m, page);
		}
		if (!kernel_pte(m, va_i, &pte) || !(pte & _PAGE_PRESENT)) {
			fprintf(out, "vmalloc: %#" PRIx64 " (page %u of the area at %#" PRIx64
				") is not mapped\n", va_i, i, vm->addr);
			bad++;
			continue;
		}
		unsigned long got = (unsigned long)PFN_DOWN(pte & f->addr_mask);
		if (got != want) {
			fprintf(out, "vmalloc: %#" PRIx64 " maps pfn %#lx, the area holds pfn %#lx\n",
				va_i, got, want);
			bad++;
		}
		if ((vm->flags & VM_IOREMAP) && vm->write_back == !!(pte & _PAGE_PCD)) {
			fprintf(out, "vmalloc: ioremap page %#" PRIx64 " is %s\n", va_i,
				vm->write_back ? "uncached, the area is write-back" : "cached");
			bad++;
		}
		if (page && (PageBuddy(page) || page_ref_count(page) <= 0) && !PageReserved(page)) {
			fprintf(out, "vmalloc: %#" PRIx64 " maps pfn %#lx, which is a free page\n",
				va_i, want);
			bad++;
		}
	}
	for (uint64_t a = vm->addr + (uint64_t)vm->nr_mapped * PAGE_SIZE; a < va->va_end;
	     a += PAGE_SIZE) {
		if (kernel_pte(m, a, &pte) && (pte & _PAGE_PRESENT)) {
			fprintf(out, "vmalloc: %#" PRIx64 " (%s of the area at %#" PRIx64
				") is mapped\n", a, a == va->va_end - PAGE_SIZE &&
				!(vm->flags & VM_NO_GUARD) ? "guard page" : "tail", vm->addr);
			bad++;
		}
	}
	return bad;
}

unsigned long vmalloc_verify(struct machine *m, FILE *out)
{
	struct vmap_state *vs = m->vmap;
	unsigned long bad = 0, vmalloc_pages = 0;
	uint64_t pte;

	if (!vs)
		return 0;
	/*
	 * busy ∪ lazy ∪ free tile [1, ULONG_MAX): walk the three sorted sets
	 * together, always taking the lowest start, and check each piece
	 * begins where the previous one ended.
	 */
	size_t ib = 0, il = 0, ifr = 0;
	uint64_t cursor = 1;
	while (ib < vs->nr_busy || il < vs->lazy.nr || ifr < vs->free.nr) {
		uint64_t s = UINT64_MAX, e = 0;
		const char *what = NULL;
		int which = -1;
		if (ib < vs->nr_busy && vs->busy[ib]->va_start <= s)
			s = vs->busy[ib]->va_start, e = vs->busy[ib]->va_end, what = "area", which = 0;
		if (il < vs->lazy.nr && vs->lazy.r[il].start < s)
			s = vs->lazy.r[il].start, e = vs->lazy.r[il].end, what = "lazy range", which = 1;
		if (ifr < vs->free.nr && vs->free.r[ifr].start < s)
			s = vs->free.r[ifr].start, e = vs->free.r[ifr].end, what = "free range", which = 2;
		if (which == 0)
			ib++;
		else if (which == 1)
			il++;
		else
			ifr++;
		if (s >= e) {
			fprintf(out, "vmalloc: empty %s at %#" PRIx64 "\n", what, s);
			bad++;
		}
		if (s != cursor) {
			fprintf(out, "vmalloc: %s %#" PRIx64 "-%#" PRIx64 " %s the previous range "
				"ending at %#" PRIx64 "\n", what, s, e, s < cursor ? "overlaps" :
				"leaves a hole after", cursor);
			bad++;
		}
		if (e > cursor)
			cursor = e;
	}
	if (cursor != vs->va_limit) {
		fprintf(out, "vmalloc: the address space ends at %#" PRIx64 ", not %#" PRIx64 "\n",
			cursor, vs->va_limit);
		bad++;
	}
	for (size_t i = 1; i < vs->free.nr; i++)
		if (vs->free.r[i - 1].end == vs->free.r[i].start) {
			fprintf(out, "vmalloc: free ranges at %#" PRIx64 " are not merged\n",
				vs->free.r[i].start);
			bad++;
		}
	for (size_t i = 0; i < vs->nr_busy; i++) {
		const struct vmap_area *va = vs->busy[i];
		bad += verify_area(m, va, out);
		if (va->vm && (va->vm->flags & VM_ALLOC))
			vmalloc_pages += va->vm->nr_pages;
	}
	/* Lazily freed addresses are already unmapped: only the TLBs may remember them. */
	for (size_t i = 0; i < vs->lazy.nr; i++)
		for (uint64_t a = vs->lazy.r[i].start; a < vs->lazy.r[i].end; a += PAGE_SIZE)
			if (kernel_pte(m, a, &pte) && (pte & _PAGE_PRESENT)) {
				fprintf(out, "vmalloc: lazily freed %#" PRIx64 " is still mapped\n", a);
				bad++;
			}
	if (rl_bytes(&vs->lazy) >> PAGE_SHIFT != vs->vmap_lazy_nr) {
		fprintf(out, "vmalloc: vmap_lazy_nr is %lu, the purge list holds %" PRIu64 " pages\n",
			vs->vmap_lazy_nr, rl_bytes(&vs->lazy) >> PAGE_SHIFT);
		bad++;
	}
	if (vmalloc_pages != vs->nr_vmalloc_pages) {
		fprintf(out, "vmalloc: nr_vmalloc_pages is %lu, the areas hold %lu\n",
			vs->nr_vmalloc_pages, vmalloc_pages);
		bad++;
	}
	return bad;
}
