/* memory.c — user page tables and the page-fault handlers (mm/memory.c).
 *
 * What lives here: allocating and freeing the page-table pages of a user
 * address space (PGD entries are the arch's, in pgtable.c), the fault
 * handlers that fill a PTE when a program first touches a page, zapping
 * PTEs when a range is unmapped, copying them at fork, and populating a
 * range ahead of use (MAP_POPULATE, mlock). The file fault handlers'
 * page-cache side is in filemap.c; huge pages in huge_memory.c; the CPU's
 * side of a fault (which VMA, stack growth, signals) in arch/x86/fault.c.
 *
 * Demand paging, as the documents describe it: mmap() only writes down a
 * VMA. The first touch of a page faults, and handle_mm_fault() decides:
 *   - a read of an anonymous page maps the shared zero page read-only
 *     (no memory is used until someone writes);
 *   - a write of an anonymous page gets a fresh zeroed page (GFP_HIGHUSER_
 *     MOVABLE: on i386 from HighMem, zeroed through a kmap_local slot);
 *   - a write to a read-only PTE of a private writable VMA is copy-on-write:
 *     the zero page, or a page fork shared, is copied to a new page — or
 *     reused in place when this mapping is its only user (6.1's rule:
 *     PageAnonExclusive, or a reference count of one);
 *   - a file page comes from the page cache, with its neighbours already
 *     there mapped in the same fault (fault-around).
 *
 * The PTE formats are the hardware's (arch/x86/pgtable.h); entries carry
 * _PAGE_USER, and NX on x86_64. User PTE tables come from HighMem on
 * i386 (CONFIG_HIGHPTE); mmsim reads them by physical address, which is
 * what the kernel's kmap_local_page(pte page) gives it too.
 *
 * Counting: every fault that reaches handle_mm_fault() is a PGFAULT in
 * /proc/vmstat; a successful one is a minor or major fault of the task
 * (VM_FAULT_MAJOR: the page had to be read). RSS changes made by the task
 * faulting its own mm go through its SPLIT_RSS_COUNTING cache (sched.h),
 * folded into the mm every 64 faults, at exit, and before any unmap. */
#include <string.h>

#include "arch/x86/mmu.h"
#include "kernel/sched.h"
#include "mm/highmem.h"
#include "fs/fs.h"
#include "mm/internal.h"
#include "mm/swap.h"

/* ---- RSS counters ----------------------------------------------------------- */

void sync_mm_rss(struct machine *m, struct mm_struct *mm)
{
	struct task_struct *t = get_current(m);

	for (int i = 0; i < NR_MM_COUNTERS; i++) {
		if (t->rss_stat.count[i]) {
			mm->rss_stat[i] += t->rss_stat.count[i];
			t->rss_stat.count[i] = 0;
		}
	}
	t->rss_stat.events = 0;
}

/* add_mm_counter_fast(): the faulting task's own cache when it is its mm. */
static inline void add_mm_counter_fast(struct machine *m, struct mm_struct *mm, int member, int val)
{
	struct task_struct *t = get_current(m);

	if (likely(t->mm == mm))
		t->rss_stat.count[member] += val;
	else
		mm->rss_stat[member] += val;
}

static inline void check_sync_rss_stat(struct machine *m)
{
	struct task_struct *t = get_current(m);

	if (t->mm && unlikely(t->rss_stat.events++ > TASK_RSS_EVENTS_THRESH))
		sync_mm_rss(m, t->mm);
}

/* add_mm_rss_vec(): the zap and copy paths update the mm directly, syncing first. */
static void add_mm_rss_vec(struct machine *m, struct mm_struct *mm, const int *rss)
{
	if (get_current(m)->mm == mm)
		sync_mm_rss(m, mm);
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		mm->rss_stat[i] += rss[i];
}

/* ---- page-table pages -------------------------------------------------------- */

/*
 * A page for a user page table at @level (the level of the entries it
 * holds): PTE tables from HighMem on i386 (HIGHPTE), the others from
 * lowmem; zeroed; counted in PageTables and in the mm's VmPTE. The PGD
 * is the arch's (pgd_alloc).
 */
/*
 * A PUD table (x86_64) has no constructor in 6.1: it counts in VmPTE but
 * not in PageTables, which counts PMD and PTE tables (pgtable_*_page_ctor).
 */
static phys_addr_t user_table_alloc(struct machine *m, struct mm_struct *mm, enum pt_level level)
{
	gfp_t gfp = GFP_PGTABLE_USER;

	if (level == PT_PTE && m->is_32bit)
		gfp |= __GFP_HIGHMEM;
	struct page *page = alloc_pages(m, gfp, 0);
	if (!page)
		return 0;
	if (level != PT_PUD) {
		__SetPageTable(page);
		m->node.vm_stat[NR_PAGETABLE]++;
	}
	mm->pgtables_bytes += PAGE_SIZE;
	return PFN_PHYS(page_to_pfn(m, page));
}

static void user_table_free(struct machine *m, struct mm_struct *mm, phys_addr_t table)
{
	struct page *page = pfn_to_page(m, (unsigned long)PFN_DOWN(table));

	if (PageTable(page)) {
		__ClearPageTable(page);
		m->node.vm_stat[NR_PAGETABLE]--;
	}
	mm->pgtables_bytes -= PAGE_SIZE;
	__free_pages(m, page, 0);
}

/* The level below @level that the format has (pud and pmd fold away on i386). */
static inline enum pt_level lower_level(const struct pt_format *f, enum pt_level level)
{
	do {
		level--;
	} while (!f->present[level]);
	return level;
}

/*
 * Find the table holding @addr's entry at @target (PT_PMD: the entry that
 * points to the PTE table, or maps a huge page; PT_PTE: the PTE), creating
 * missing intermediate tables when @alloc. Returns the table's physical
 * address, 0 if a level is missing (or could not be allocated: *oom), or
 * if a huge PMD is in the way of a PT_PTE walk (*huge).
 */
phys_addr_t user_walk(struct machine *m, struct mm_struct *mm, uint64_t addr,
		      enum pt_level target, bool alloc, bool *oom)
{
	const struct pt_format *f = pt_format(m);
	phys_addr_t table = mm->pgd;

	if (target == PT_PMD && !f->present[PT_PMD])
		return table;	/* i386: the PGD entry is the PMD entry */
	for (enum pt_level level = PT_PGD; level > target; level = lower_level(f, level)) {
		unsigned int idx = pt_index(m, addr, level);
		uint64_t e = pt_read(m, table, idx);
		if (!(e & _PAGE_PRESENT)) {
			if (!alloc)
				return 0;
			phys_addr_t t = user_table_alloc(m, mm, lower_level(f, level));
			if (!t) {
				if (oom)
					*oom = true;
				return 0;
			}
			e = t | _PAGE_TABLE;
			pt_write(m, table, idx, e);
		} else if (e & _PAGE_PSE) {
			return 0;	/* a huge page maps this range */
		}
		table = e & f->addr_mask;
	}
	return table;
}

/*
 * Where the hole in @mm's page tables around @addr ends, for a walk over
 * [addr, end) that found no PMD entry (and so no PTE table) at @addr: the
 * end of the highest level whose entry is missing, capped at @end. The
 * kernel's range walkers skip a missing PGD or PUD entry whole
 * (pgd_none_or_clear_bad() and the like): a 100 TiB sparse mapping on
 * x86_64 takes some 200 steps of 512 GiB, not 50 million of 2 MiB.
 */
uint64_t pt_hole_end(struct machine *m, struct mm_struct *mm, uint64_t addr, uint64_t end)
{
	const struct pt_format *f = pt_format(m);
	phys_addr_t table = mm->pgd;
	enum pt_level level = PT_PGD;

	for (;;) {
		uint64_t e = pt_read(m, table, pt_index(m, addr, level));
		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE) || lower_level(f, level) == PT_PTE)
			break;
		table = e & f->addr_mask;
		level = lower_level(f, level);
	}
	uint64_t size = pt_level_size(m, level);
	uint64_t next = (addr + size) & ~(size - 1);
	return next > end || next == 0 ? end : next;
}

/* The PTE table of @addr (0 if none, or with @alloc if it cannot be made: *oom). */
static phys_addr_t pte_table_of(struct machine *m, struct mm_struct *mm, uint64_t addr,
				bool alloc, bool *oom)
{
	return user_walk(m, mm, addr, PT_PTE, alloc, oom);
}

/* ---- PTE helpers (arch/x86/include/asm/pgtable.h) ---------------------------------- */

static inline bool pte_special(uint64_t pte)
{
	return pte & _PAGE_SPECIAL;
}

static inline uint64_t maybe_mkwrite(uint64_t pte, const struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_WRITE) ? pte | _PAGE_RW : pte;
}

/* pte_mkdirty(): on x86_64 (CONFIG_MEM_SOFT_DIRTY) the soft-dirty bit goes with it. */
static inline uint64_t pte_mkdirty(const struct machine *m, uint64_t pte)
{
	return pte | _PAGE_DIRTY | (m->vm_softdirty ? _PAGE_SOFT_DIRTY : 0);
}

bool is_zero_pfn(const struct machine *m, unsigned long pfn)
{
	return pfn == m->zero_pfn;
}

/*
 * vm_normal_page(): the struct page behind a PTE, or NULL for a mapping
 * that has none the mm layer may count or free — the zero page and other
 * special PTEs, and raw frames of VM_PFNMAP areas ([vvar]).
 */
struct page *vm_normal_page(struct machine *m, struct vm_area_struct *vma, uint64_t addr,
			    uint64_t pte)
{
	(void)addr;
	if (pte_special(pte))
		return NULL;
	if (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return NULL;
	unsigned long pfn = (unsigned long)pte_pfn(m, pte);
	if (is_zero_pfn(m, pfn) || !pfn_valid(m, pfn))
		return NULL;
	return pfn_to_page(m, pfn);
}

/* ---- TLB flushes for user mappings ----------------------------------------------- */

void flush_tlb_page(struct machine *m, struct vm_area_struct *vma, uint64_t addr)
{
	flush_tlb_mm_range(m, vma->vm_mm, addr, addr + PAGE_SIZE);
}

/* ---- the page's life: zeroing and copying through the kernel's mappings ------------- */

/*
 * clear_user_highpage(): zero a page the way the kernel does, through its
 * kernel address — for a HighMem page a kmap_local slot, set up and torn
 * down around the write.
 */
void clear_user_highpage(struct machine *m, struct page *page)
{
	if (PageHighMem(m, page)) {
		kaddr_t va = kmap_local_page(m, page);
		memset(kmap_host(m, va), 0, PAGE_SIZE);
		kunmap_local(m, va);
	} else {
		memset(page_host_address(m, page), 0, PAGE_SIZE);
	}
}

void copy_user_highpage(struct machine *m, struct page *to, struct page *from)
{
	bool hf = PageHighMem(m, from), ht = PageHighMem(m, to);

	if (!hf && !ht) {
		memcpy(page_host_address(m, to), page_host_address(m, from), PAGE_SIZE);
		return;
	}
	kaddr_t vfrom = kmap_local_page(m, from);
	kaddr_t vto = kmap_local_page(m, to);
	memcpy(kmap_host(m, vto), kmap_host(m, vfrom), PAGE_SIZE);
	kunmap_local(m, vto);
	kunmap_local(m, vfrom);
}

/*
 * vma_alloc_zeroed_movable_folio() (6.1): an order-0 folio, so __GFP_COMP,
 * zeroed by the allocator — the flags the OOM report and allocation
 * failures print for an anonymous fault.
 */
struct page *alloc_zeroed_user_highpage_movable(struct machine *m, struct vm_area_struct *vma)
{
	(void)vma;
	return alloc_pages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_ZERO, 0);
}

/* ---- anonymous faults ------------------------------------------------------------- */

/*
 * The PTE slot of the fault: vmf->pte_table/pte_idx, with the table
 * allocated if it is missing. VM_FAULT_OOM if it cannot be.
 */
static vm_fault_t fault_pte_slot(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	bool oom = false;

	vmf->pte_table = pte_table_of(m, vmf->vma->vm_mm, vmf->address, true, &oom);
	if (!vmf->pte_table)
		return oom ? VM_FAULT_OOM : VM_FAULT_FALLBACK;
	vmf->pte_idx = pt_index(m, vmf->address, PT_PTE);
	return 0;
}

static inline uint64_t vmf_pte_read(const struct vm_fault *vmf)
{
	return pt_read(vmf->m, vmf->pte_table, vmf->pte_idx);
}

static inline void vmf_pte_write(struct vm_fault *vmf, uint64_t pte)
{
	struct machine *m = vmf->m;

	pt_write(m, vmf->pte_table, vmf->pte_idx, m->is_32bit ? pte & ~_PAGE_NX : pte);
}

static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret;

	if (vma->vm_flags & VM_SHARED)
		return VM_FAULT_SIGBUS;
	if ((ret = fault_pte_slot(vmf)))
		return ret == VM_FAULT_FALLBACK ? 0 : ret;
	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		/* A read: the zero page, read-only and special (never counted). */
		uint64_t entry = pfn_pte(m, m->zero_pfn, vma->vm_page_prot) | _PAGE_SPECIAL;
		if (!(vmf_pte_read(vmf) & _PAGE_PRESENT))
			vmf_pte_write(vmf, entry);
		return 0;
	}
	if (anon_vma_prepare(m, vma))
		return VM_FAULT_OOM;
	struct page *page = alloc_zeroed_user_highpage_movable(m, vma);
	if (!page)
		return VM_FAULT_OOM;
	__SetPageUptodate(page);
	uint64_t entry = pfn_pte(m, page_to_pfn(m, page), vma->vm_page_prot);
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkdirty(m, entry) | _PAGE_RW;
	if (vmf_pte_read(vmf) & _PAGE_PRESENT) {
		put_page(m, page);
		return 0;
	}
	add_mm_counter_fast(m, vma->vm_mm, MM_ANONPAGES, 1);
	page_add_new_anon_rmap(m, page, vma, vmf->address, false);
	lru_cache_add_inactive_or_unevictable(m, page, vma);
	vmf_pte_write(vmf, entry);
	return 0;
}

vm_fault_t vmf_insert_pfn(struct vm_fault *vmf, unsigned long pfn)
{
	struct machine *m = vmf->m;
	vm_fault_t ret = fault_pte_slot(vmf);

	if (ret)
		return ret == VM_FAULT_FALLBACK ? VM_FAULT_NOPAGE : ret;
	if (!(vmf_pte_read(vmf) & _PAGE_PRESENT))
		vmf_pte_write(vmf, pfn_pte(m, pfn, vmf->vma->vm_page_prot) | _PAGE_SPECIAL);
	return VM_FAULT_NOPAGE;
}

/* ---- swapped-out pages ------------------------------------------------------------ */

static vm_fault_t do_wp_page(struct vm_fault *vmf);

/*
 * should_try_to_free_swap(): give the slot up now if swap is getting full,
 * the page is locked in memory, or a write fault is about to make this
 * mapping its only user (the swap copy would be stale anyway).
 */
static bool should_try_to_free_swap(struct machine *m, struct page *page,
				    struct vm_area_struct *vma, unsigned int fault_flags)
{
	if (!PageSwapCache(page))
		return false;
	if (vm_swap_full(m) || (vma->vm_flags & VM_LOCKED) || PageMlocked(page))
		return true;
	return (fault_flags & FAULT_FLAG_WRITE) && page_ref_count(page) == 2;
}

/*
 * do_swap_page(): a PTE holds a swap entry. The page is found in the swap
 * cache (a minor fault: it was still there, or read ahead), or read from
 * its slot with its readahead window (a major fault). Then it is mapped
 * where the entry was, the slot's count dropped, and — when this mapping
 * is certainly its only user — writable at once on a write fault.
 */
vm_fault_t do_swap_page(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	swp_entry_t entry = pte_to_swp_entry(m, vmf->orig_pte);
	vm_fault_t ret = 0;

	if (!swp_swap_info(m, entry)) {
		printk(m, KERN_ERR "swap_info_get: Bad swap file entry %016llx\n",
		       (unsigned long long)vmf->orig_pte);
		return VM_FAULT_SIGBUS;
	}
	struct page *page = lookup_swap_cache(m, entry);
	if (!page) {
		page = swapin_readahead(m, entry);
		if (!page) {
			/* Someone else swapped it in meanwhile, or no memory for it. */
			if (vmf_pte_read(vmf) == vmf->orig_pte)
				return VM_FAULT_OOM;
			return 0;
		}
		ret = VM_FAULT_MAJOR;
		count_vm_event(m, PGMAJFAULT);
	}
	if (vmf_pte_read(vmf) != vmf->orig_pte) {
		put_page(m, page);
		return ret;
	}
	if (!PageUptodate(page)) {
		put_page(m, page);
		return VM_FAULT_SIGBUS;
	}
	bool exclusive = pte_swp_exclusive(m, vmf->orig_pte);
	add_mm_counter_fast(m, vma->vm_mm, MM_SWAPENTS, -1);
	add_mm_counter_fast(m, vma->vm_mm, MM_ANONPAGES, 1);
	uint64_t pte = pfn_pte(m, page_to_pfn(m, page), vma->vm_page_prot);
	swap_free(m, entry);
	if (should_try_to_free_swap(m, page, vma, vmf->flags))
		try_to_free_swap(m, page);
	/* do_wp_page()'s rule, cheaper: certainly not shared, so writable now. */
	if (exclusive || page_ref_count(page) == 1) {
		if (vmf->flags & FAULT_FLAG_WRITE) {
			pte = maybe_mkwrite(pte_mkdirty(m, pte), vma);
			vmf->flags &= ~FAULT_FLAG_WRITE;
		}
		exclusive = true;
	}
	if (pte_swp_soft_dirty(m, vmf->orig_pte))
		pte |= _PAGE_SOFT_DIRTY;
	pte |= _PAGE_ACCESSED;
	page_add_anon_rmap(m, page, vma, vmf->address, exclusive);
	vmf_pte_write(vmf, pte);
	vmf->orig_pte = pte;
	if (vmf->flags & FAULT_FLAG_WRITE) {
		ret |= do_wp_page(vmf);
		if (ret & VM_FAULT_ERROR)
			ret &= VM_FAULT_ERROR;
	}
	return ret;
}

/* ---- write-protect faults (copy-on-write) ------------------------------------------ */

/* Make the present PTE writable in place: the page stays. */
static void wp_page_reuse(struct vm_fault *vmf)
{
	uint64_t entry = pte_mkdirty(vmf->m, vmf->orig_pte | _PAGE_ACCESSED);

	vmf_pte_write(vmf, maybe_mkwrite(entry, vmf->vma));
	/* The CPU dropped its TLB entry when it faulted: no flush is needed (x86). */
	count_vm_event(vmf->m, PGREUSE);
}

static vm_fault_t wp_page_copy(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *old_page = vmf->page, *new_page;

	if (anon_vma_prepare(m, vma))
		goto oom;
	if (is_zero_pfn(m, (unsigned long)pte_pfn(m, vmf->orig_pte))) {
		new_page = alloc_zeroed_user_highpage_movable(m, vma);
	} else {
		new_page = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
		if (new_page) {
			if (old_page)
				copy_user_highpage(m, new_page, old_page);
			else
				clear_user_highpage(m, new_page);	/* a raw frame: nothing to copy from */
		}
	}
	if (!new_page)
		goto oom;
	__SetPageUptodate(new_page);
	/* Re-check: the PTE must still be the one the fault saw. */
	if (vmf_pte_read(vmf) != vmf->orig_pte) {
		put_page(m, new_page);
		if (old_page)
			put_page(m, old_page);
		return 0;
	}
	if (old_page) {
		if (!PageAnon(old_page)) {
			add_mm_counter_fast(m, mm, mm_counter_file(old_page), -1);
			add_mm_counter_fast(m, mm, MM_ANONPAGES, 1);
		}
	} else {
		add_mm_counter_fast(m, mm, MM_ANONPAGES, 1);
	}
	uint64_t entry = pfn_pte(m, page_to_pfn(m, new_page), vma->vm_page_prot);
	entry = maybe_mkwrite(pte_mkdirty(m, entry), vma);
	/* ptep_clear_flush: the old translation must leave every TLB first. */
	vmf_pte_write(vmf, 0);
	flush_tlb_page(m, vma, vmf->address);
	page_add_new_anon_rmap(m, new_page, vma, vmf->address, false);
	lru_cache_add_inactive_or_unevictable(m, new_page, vma);
	vmf_pte_write(vmf, entry);
	if (old_page) {
		page_remove_rmap(m, old_page, vma, false);
		put_page(m, old_page);	/* the mapping's reference */
		put_page(m, old_page);	/* the one do_wp_page() took */
	}
	return 0;
oom:
	if (old_page)
		put_page(m, old_page);
	return VM_FAULT_OOM;
}

/* A shared file page becomes writable: tell the file first (page_mkwrite). */
static vm_fault_t wp_page_shared(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (vma->vm_ops && vma->vm_ops->page_mkwrite) {
		vm_fault_t ret = vma->vm_ops->page_mkwrite(vmf);
		if (ret & VM_FAULT_ERROR)
			return ret;
	}
	wp_page_reuse(vmf);
	return 0;
}

static vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;

	vmf->page = page = vm_normal_page(m, vma, vmf->address, vmf->orig_pte);
	if (!page) {
		/* The zero page or a raw frame. */
		if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED)) {
			wp_page_reuse(vmf);
			return 0;
		}
		return wp_page_copy(vmf);
	}
	if (PageAnon(page)) {
		if (PageAnonExclusive(page))
			goto reuse;
		/*
		 * Shared with another process after fork, or still referenced
		 * from a per-CPU LRU batch: drain the batch (it holds a
		 * reference) and reuse only if this mapping is all that is left.
		 */
		if (page_ref_count(page) > 3)
			goto copy;
		if (!PageLRU(page))
			lru_add_drain(m);
		if (page_ref_count(page) > 1 + PageSwapCache(page))
			goto copy;
		/* Its slot is no longer needed once this mapping owns the page. */
		if (PageSwapCache(page))
			try_to_free_swap(m, page);
		if (page_ref_count(page) != 1)
			goto copy;
		page_move_anon_rmap(page, vma);
reuse:
		wp_page_reuse(vmf);
		return 0;
	}
	if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))
		return wp_page_shared(vmf);
copy:
	get_page(page);
	return wp_page_copy(vmf);
}

/* ---- file faults ------------------------------------------------------------------ */

/*
 * Map @nr pages of the page cache at @addr on: the PTEs are not present
 * (the caller checked), the pages are referenced and mapped now. The
 * fault's own page and fault-around's neighbours both come here.
 */
void set_pte_range(struct vm_fault *vmf, struct page *page, uint64_t addr, bool write)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	/* x86 maps fault-around's neighbours young too (no arch_wants_old_prefaulted_pte). */
	uint64_t entry = pfn_pte(m, page_to_pfn(m, page), vma->vm_page_prot);

	if (write)
		entry = maybe_mkwrite(pte_mkdirty(m, entry), vma);
	if (write && !(vma->vm_flags & VM_SHARED)) {
		add_mm_counter_fast(m, vma->vm_mm, MM_ANONPAGES, 1);
		page_add_new_anon_rmap(m, page, vma, addr, false);
		lru_cache_add_inactive_or_unevictable(m, page, vma);
	} else {
		add_mm_counter_fast(m, vma->vm_mm, mm_counter_file(page), 1);
		page_add_file_rmap(m, page);
	}
	pt_write(m, vmf->pte_table, pt_index(m, addr, PT_PTE), m->is_32bit ? entry & ~_PAGE_NX : entry);
}

/* finish_fault(): install vmf->page (or the COW copy) at the fault's address. */
static vm_fault_t finish_fault(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct page *page = (vmf->flags & FAULT_FLAG_WRITE) && !(vmf->vma->vm_flags & VM_SHARED) ?
			    vmf->cow_page : vmf->page;
	vm_fault_t ret;

	if (!vmf->pte_table && (ret = fault_pte_slot(vmf)))
		return ret == VM_FAULT_FALLBACK ? 0 : ret;
	if (vmf_pte_read(vmf) & _PAGE_PRESENT) {
		/* Someone (fault-around) mapped it meanwhile. */
		return VM_FAULT_NOPAGE;
	}
	set_pte_range(vmf, page, vmf->address & PAGE_MASK, vmf->flags & FAULT_FLAG_WRITE);
	(void)m;
	return 0;
}

/*
 * do_fault_around(): map the pages of the page cache that surround the
 * fault — fault_around_bytes (64 KiB: 16 pages) aligned down, within the
 * VMA and the PTE table — so that reading through a file takes one fault
 * per 16 pages instead of one per page.
 */
static vm_fault_t do_fault_around(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	unsigned long nr_pages = m->vm.fault_around_bytes >> PAGE_SHIFT;
	unsigned long ptrs = 1UL << pt_format(m)->index_bits;
	uint64_t mask = ~(uint64_t)(nr_pages * PAGE_SIZE - 1) & PAGE_MASK;
	uint64_t address = vmf->address & mask;

	if (address < vma->vm_start)
		address = vma->vm_start;
	unsigned long off = (unsigned long)((vmf->address - address) >> PAGE_SHIFT) & (ptrs - 1);
	unsigned long start_pgoff = vmf->pgoff - off;
	unsigned long end_pgoff = start_pgoff - ((address >> PAGE_SHIFT) & (ptrs - 1)) + ptrs - 1;
	unsigned long vma_last = vma_pages(vma) + vma->vm_pgoff - 1;
	if (end_pgoff > vma_last)
		end_pgoff = vma_last;
	if (end_pgoff > start_pgoff + nr_pages - 1)
		end_pgoff = start_pgoff + nr_pages - 1;
	vm_fault_t ret = fault_pte_slot(vmf);
	if (ret)
		return ret == VM_FAULT_FALLBACK ? 0 : ret;
	return vma->vm_ops->map_pages(vmf, start_pgoff, end_pgoff);
}

static vm_fault_t __do_fault(struct vm_fault *vmf)
{
	vm_fault_t ret = vmf->vma->vm_ops->fault(vmf);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_DONE_COW))
		return ret;
	return ret;
}

static vm_fault_t do_read_fault(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	vm_fault_t ret = 0;

	if (vmf->vma->vm_ops->map_pages && (m->vm.fault_around_bytes >> PAGE_SHIFT) > 1) {
		ret = do_fault_around(vmf);
		if (ret)
			return ret;
	}
	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	vm_fault_t r2 = finish_fault(vmf);
	if (r2 & VM_FAULT_NOPAGE || r2 & VM_FAULT_ERROR)
		put_page(m, vmf->page);
	return ret | (r2 & ~VM_FAULT_NOPAGE);
}

/* A write to a private file mapping: a copy of the file page, anonymous from now on. */
static vm_fault_t do_cow_fault(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;

	if (anon_vma_prepare(m, vma))
		return VM_FAULT_OOM;
	vmf->cow_page = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
	if (!vmf->cow_page)
		return VM_FAULT_OOM;
	vm_fault_t ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		goto uncharge;
	copy_user_highpage(m, vmf->cow_page, vmf->page);
	__SetPageUptodate(vmf->cow_page);
	vm_fault_t r2 = finish_fault(vmf);
	put_page(m, vmf->page);
	if (r2 & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		goto uncharge;
	return ret;
uncharge:
	put_page(m, vmf->cow_page);
	return ret;
}

/* A write to a shared file mapping: the page cache page itself, dirtied. */
static vm_fault_t do_shared_fault(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret = __do_fault(vmf);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	if (vma->vm_ops->page_mkwrite) {
		vm_fault_t r = vma->vm_ops->page_mkwrite(vmf);
		if (r & VM_FAULT_ERROR) {
			put_page(m, vmf->page);
			return r;
		}
	}
	vm_fault_t r2 = finish_fault(vmf);
	if (r2 & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) {
		put_page(m, vmf->page);
		return ret | (r2 & VM_FAULT_ERROR);
	}
	return ret;
}

static vm_fault_t do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (!vma->vm_ops->fault)
		return VM_FAULT_SIGBUS;
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(vmf);
	if (!(vma->vm_flags & VM_SHARED))
		return do_cow_fault(vmf);
	return do_shared_fault(vmf);
}

/* ---- the dispatcher ----------------------------------------------------------------- */

static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	bool oom = false;

	vmf->pte_table = pte_table_of(m, vmf->vma->vm_mm, vmf->address, false, &oom);
	if (vmf->pte_table) {
		vmf->pte_idx = pt_index(m, vmf->address, PT_PTE);
		vmf->orig_pte = vmf_pte_read(vmf);
	} else {
		vmf->orig_pte = 0;
	}
	if (!pte_present(vmf->orig_pte)) {
		if (vmf->orig_pte)
			return do_swap_page(vmf);
		vmf->pte_table = 0;
		return vma_is_anonymous(vmf->vma) ? do_anonymous_page(vmf) : do_fault(vmf);
	}
	if ((vmf->flags & FAULT_FLAG_WRITE) && !(vmf->orig_pte & _PAGE_RW))
		return do_wp_page(vmf);
	/* Present and permitted: a stale TLB entry. Mark it young (and dirty). */
	uint64_t entry = vmf->orig_pte | _PAGE_ACCESSED;
	if (vmf->flags & FAULT_FLAG_WRITE)
		entry |= _PAGE_DIRTY;
	if (entry != vmf->orig_pte)
		vmf_pte_write(vmf, entry);
	else
		flush_tlb_page(m, vmf->vma, vmf->address);
	return 0;
}

static vm_fault_t __handle_mm_fault(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	bool oom = false;

	/* The PMD level (the PGD on i386): huge pages are decided here. */
	vmf->pmd_table = user_walk(m, vma->vm_mm, vmf->address, PT_PMD, true, &oom);
	if (!vmf->pmd_table)
		return VM_FAULT_OOM;
	vmf->pmd_idx = pt_index(m, vmf->address, PT_PMD);
	uint64_t pmd = pt_read(m, vmf->pmd_table, vmf->pmd_idx);
	if (!(pmd & _PAGE_PRESENT)) {
		if (transhuge_vma_suitable(m, vma, vmf->address) &&
		    hugepage_vma_check(m, vma, vma->vm_flags, false, true)) {
			vm_fault_t ret = do_huge_pmd_anonymous_page(vmf);
			if (!(ret & VM_FAULT_FALLBACK))
				return ret;
		}
	} else if (pmd & _PAGE_PSE) {
		vmf->orig_pmd = pmd;
		if ((vmf->flags & FAULT_FLAG_WRITE) && !(pmd & _PAGE_RW)) {
			vm_fault_t ret = do_huge_pmd_wp_page(vmf);
			if (!(ret & VM_FAULT_FALLBACK))
				return ret;
		} else {
			huge_pmd_set_accessed(vmf);
			return 0;
		}
	}
	return handle_pte_fault(vmf);
}

vm_fault_t handle_mm_fault(struct machine *m, struct vm_area_struct *vma, uint64_t address,
			   unsigned int flags, bool from_user)
{
	struct task_struct *t = get_current(m);
	struct vm_fault vmf = {
		.m = m,
		.vma = vma,
		.address = address & PAGE_MASK,
		.flags = flags,
		.pgoff = linear_page_index(vma, address & PAGE_MASK),
	};

	count_vm_event(m, PGFAULT);
	check_sync_rss_stat(m);
	vm_fault_t ret = __handle_mm_fault(&vmf);
	/* mm_account_fault(): failures and retries are not the task's faults. */
	if (!(ret & (VM_FAULT_ERROR | VM_FAULT_RETRY))) {
		if ((ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED))
			t->maj_flt++;
		else
			t->min_flt++;
	}
	(void)from_user;
	/* The fault is done and holds nothing: a kswapd it woke gets the CPU here. */
	kswapd_run_pending(m);
	return ret;
}

/* ---- zapping ------------------------------------------------------------------------ */

void tlb_gather_mmu(struct mmu_gather *tlb, struct machine *m, struct mm_struct *mm, bool fullmm)
{
	tlb->m = m;
	tlb->mm = mm;
	tlb->fullmm = fullmm;
	tlb->start = UINT64_MAX;
	tlb->end = 0;
	tlb->nr = 0;
	tlb->nr_tables = 0;
}

static inline void tlb_track(struct mmu_gather *tlb, uint64_t start, uint64_t end)
{
	if (start < tlb->start)
		tlb->start = start;
	if (end > tlb->end)
		tlb->end = end;
}

/*
 * tlb_flush_mmu(): the TLBs first, then the pages and page tables that
 * the cleared entries pointed at may be freed — in the order they were
 * unmapped, as release_pages() frees them.
 */
void tlb_flush_mmu(struct mmu_gather *tlb)
{
	struct machine *m = tlb->m;

	if (tlb->end > tlb->start) {
		flush_tlb_mm_range(m, tlb->mm, tlb->start, tlb->end);
		tlb->start = UINT64_MAX;
		tlb->end = 0;
	}
	if (tlb->nr) {
		lru_add_drain(m);
		release_pages(m, tlb->pages, tlb->nr);
		tlb->nr = 0;
	}
	for (unsigned int i = 0; i < tlb->nr_tables; i++)
		user_table_free(m, tlb->mm, tlb->tables[i]);
	tlb->nr_tables = 0;
}

void tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
}

static void tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	tlb->pages[tlb->nr++] = page;
	if (tlb->nr == MMU_GATHER_BUNDLE)
		tlb_flush_mmu(tlb);
}

static void tlb_remove_table(struct mmu_gather *tlb, phys_addr_t table)
{
	if (tlb->nr_tables == MMU_GATHER_TABLES)
		tlb_flush_mmu(tlb);
	tlb->tables[tlb->nr_tables++] = table;
}

/*
 * zap_pte_range(): clear the PTEs of [addr, end) (one PTE table), drop
 * each mapped page's map count and its RSS count, mark file pages dirty
 * when the PTE was, and queue the pages for release after the flush.
 */
/*
 * zap_pte_range(): clear the PTEs of [addr, end) in one table. The RSS
 * counters change once per table — add_mm_rss_vec() folds the task's
 * cached counts in first when the mm is its own — so an unmap that meets
 * no page table leaves the cache alone.
 */
static void zap_pte_range(struct mmu_gather *tlb, struct vm_area_struct *vma, phys_addr_t table,
			  uint64_t addr, uint64_t end)
{
	struct machine *m = tlb->m;
	int rss[NR_MM_COUNTERS] = { 0 };

	for (; addr < end; addr += PAGE_SIZE) {
		unsigned int idx = pt_index(m, addr, PT_PTE);
		uint64_t pte = pt_read(m, table, idx);
		if (!pte)
			continue;
		pt_write(m, table, idx, 0);
		tlb_track(tlb, addr, addr + PAGE_SIZE);
		if (!pte_present(pte)) {
			/* A swap entry: its slot's count goes, and with the last, the slot. */
			rss[MM_SWAPENTS]--;
			if (!free_swap_and_cache(m, pte_to_swp_entry(m, pte)))
				printk(m, KERN_ALERT "BUG: Bad page map in process %s  pte:%08llx\n",
				       get_current(m)->comm, (unsigned long long)pte);
			continue;
		}
		struct page *page = vm_normal_page(m, vma, addr, pte);
		if (!page)
			continue;
		if (PageAnon(page)) {
			rss[MM_ANONPAGES]--;
		} else {
			if (pte & _PAGE_DIRTY)
				set_page_dirty(m, page);
			if (pte & _PAGE_ACCESSED)
				mark_page_accessed(m, page);
			rss[mm_counter_file(page)]--;
		}
		page_remove_rmap(m, page, vma, false);
		tlb_remove_page(tlb, page);
	}
	add_mm_rss_vec(m, vma->vm_mm, rss);
}

/* Zap [addr, end) of one VMA, PTE table by PTE table (huge PMDs as a whole or split). */
static void unmap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma, uint64_t addr,
			     uint64_t end)
{
	struct machine *m = tlb->m;
	uint64_t pmd_size = pt_level_size(m, PT_PMD);

	while (addr < end) {
		uint64_t next = (addr + pmd_size) & ~(pmd_size - 1);
		if (next > end || next == 0)
			next = end;
		phys_addr_t pmd_table = user_walk(m, vma->vm_mm, addr, PT_PMD, false, NULL);
		unsigned int pidx = pt_index(m, addr, PT_PMD);
		uint64_t pmd = pmd_table ? pt_read(m, pmd_table, pidx) : 0;
		if (!(pmd & _PAGE_PRESENT)) {
			addr = pt_hole_end(m, vma->vm_mm, addr, end);
			continue;
		}
		if (pmd & _PAGE_PSE) {
			if (next - addr == pmd_size) {
				zap_huge_pmd(tlb, vma, pmd_table, pidx, addr);
				addr = next;
				continue;
			}
			__split_huge_pmd(m, vma, pmd_table, pidx, addr & ~(pmd_size - 1));
			pmd = pt_read(m, pmd_table, pidx);
		}
		zap_pte_range(tlb, vma, pmd & pt_format(m)->addr_mask, addr, next);
		addr = next;
	}
}

void unmap_vmas(struct mmu_gather *tlb, struct vm_area_struct *vma, uint64_t start, uint64_t end)
{
	for (; vma && vma->vm_start < end; vma = vma->vm_next) {
		uint64_t s = vma->vm_start > start ? vma->vm_start : start;
		uint64_t e = vma->vm_end < end ? vma->vm_end : end;
		if (s < e)
			unmap_page_range(tlb, vma, s, e);
	}
}

void zap_page_range_single(struct machine *m, struct vm_area_struct *vma, uint64_t start,
			   uint64_t size)
{
	struct mmu_gather tlb;

	lru_add_drain(m);
	tlb_gather_mmu(&tlb, m, vma->vm_mm, false);
	update_hiwater_rss(vma->vm_mm);
	unmap_page_range(&tlb, vma, start, start + size);
	tlb_finish_mmu(&tlb);
}

/* ---- freeing page tables ------------------------------------------------------------- */

/*
 * Free the tables below the entries of @table (a table of @level entries)
 * that cover [addr, end). A PTE table goes whenever the range covers its
 * entry (free_pgd_range() trimmed the range to whole PTE tables already);
 * a table further up goes only if its whole span lies in [floor, ceiling)
 * — the room between the VMAs that stay — since otherwise a neighbour may
 * still have entries in it.
 */
static void free_entries(struct mmu_gather *tlb, phys_addr_t table, enum pt_level level,
			 uint64_t addr, uint64_t end, uint64_t floor, uint64_t ceiling)
{
	struct machine *m = tlb->m;
	const struct pt_format *f = pt_format(m);
	uint64_t size = pt_level_size(m, level);
	enum pt_level lower = lower_level(f, level);

	do {
		uint64_t next = (addr + size) & ~(size - 1);
		if (next - 1 >= end - 1)
			next = end;
		unsigned int idx = pt_index(m, addr, level);
		uint64_t e = pt_read(m, table, idx);
		if ((e & _PAGE_PRESENT) && !(e & _PAGE_PSE)) {
			phys_addr_t sub = e & f->addr_mask;
			if (lower == PT_PTE) {
				pt_write(m, table, idx, 0);
				tlb_remove_table(tlb, sub);
			} else {
				free_entries(tlb, sub, lower, addr, next, floor, ceiling);
				uint64_t start = addr & ~(size - 1);
				uint64_t c = ceiling & ~(size - 1);
				if (start >= floor && (!ceiling || (c && next - 1 <= c - 1))) {
					pt_write(m, table, idx, 0);
					tlb_remove_table(tlb, sub);
				}
			}
		}
		addr = next;
	} while (addr != end);
}

void free_pgd_range(struct mmu_gather *tlb, uint64_t addr, uint64_t end, uint64_t floor,
		    uint64_t ceiling)
{
	uint64_t pmd_size = pt_level_size(tlb->m, PT_PMD);

	/* Whole PTE tables only: their span must lie in [floor, ceiling). */
	addr &= ~(pmd_size - 1);
	if (addr < floor) {
		addr += pmd_size;
		if (!addr)
			return;
	}
	if (ceiling) {
		ceiling &= ~(pmd_size - 1);
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		end -= pmd_size;
	if (addr > end - 1)
		return;
	free_entries(tlb, tlb->mm->pgd, PT_PGD, addr, end, floor, ceiling);
}

/*
 * free_pgtables(): @vma starts a list (vm_next) of VMAs already taken out
 * of their mm, in address order. Each loses its anon_vma chains and its
 * place in its file's i_mmap, and the page tables of the ranges they
 * covered are freed — neighbours closer than a PMD swept in one range.
 */
void free_pgtables(struct mmu_gather *tlb, struct vm_area_struct *vma, uint64_t floor,
		   uint64_t ceiling)
{
	struct machine *m = tlb->m;
	uint64_t pmd_size = pt_level_size(m, PT_PMD);

	while (vma) {
		uint64_t addr = vma->vm_start;
		struct vm_area_struct *next = vma->vm_next;
		unlink_anon_vmas(m, vma);
		unlink_file_vma(m, vma);
		while (next && next->vm_start <= vma->vm_end + pmd_size) {
			vma = next;
			next = vma->vm_next;
			unlink_anon_vmas(m, vma);
			unlink_file_vma(m, vma);
		}
		free_pgd_range(tlb, addr, vma->vm_end, floor, next ? next->vm_start : ceiling);
		vma = next;
	}
}

/* ---- fork: copying page tables --------------------------------------------------------- */

/*
 * vma_needs_copy(): only VMAs whose pages cannot simply be faulted in
 * again need their page tables copied: anonymous memory, raw frames, and
 * anything with VM_WIPEONFORK excluded. A file VMA with no anonymous
 * pages is left empty in the child and refaults from the page cache.
 */
static bool vma_needs_copy(const struct vm_area_struct *dst, const struct vm_area_struct *src)
{
	if (dst->vm_flags & VM_WIPEONFORK)
		return false;
	if (src->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return true;
	return src->anon_vma != NULL;
}

static int copy_pte_range(struct machine *m, struct vm_area_struct *dst_vma,
			  struct vm_area_struct *src_vma, phys_addr_t src_table, uint64_t addr,
			  uint64_t end, bool *flush)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm;
	bool oom = false;
	phys_addr_t dst_table = pte_table_of(m, dst_mm, addr, true, &oom);
	int rss[NR_MM_COUNTERS] = { 0 };
	bool cow = (src_vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;

	if (!dst_table)
		return -MMSIM_ENOMEM;
	for (; addr < end; addr += PAGE_SIZE) {
		unsigned int idx = pt_index(m, addr, PT_PTE);
		uint64_t pte = pt_read(m, src_table, idx);
		if (!pte)
			continue;
		if (!pte_present(pte)) {
			/* copy_nonpresent_pte(): one more PTE names the slot; neither side owns it alone. */
			if (swap_duplicate(m, pte_to_swp_entry(m, pte)) < 0) {
				add_mm_rss_vec(m, dst_mm, rss);
				return -MMSIM_EIO;
			}
			if (pte_swp_exclusive(m, pte)) {
				pte &= ~_PAGE_SWP_EXCLUSIVE;
				pt_write(m, src_table, idx, pte);
			}
			rss[MM_SWAPENTS]++;
			pt_write(m, dst_table, idx, pte);
			continue;
		}
		struct page *page = vm_normal_page(m, src_vma, addr, pte);
		if (page) {
			get_page(page);
			if (PageAnon(page)) {
				page_try_dup_anon_rmap(m, page, false, src_vma);
				rss[MM_ANONPAGES]++;
			} else {
				page_dup_file_rmap(m, page);
				rss[mm_counter_file(page)]++;
			}
		}
		/*
		 * A private writable mapping: both sides lose write access, so
		 * whoever writes first gets a copy (or, alone again, reuses).
		 */
		if (cow && (pte & _PAGE_RW)) {
			pte &= ~(uint64_t)_PAGE_RW;
			pt_write(m, src_table, idx, pte);
			*flush = true;
		}
		/* Shared mappings stay writable; the child's PTEs start clean and old. */
		if (src_vma->vm_flags & VM_SHARED)
			pte &= ~(uint64_t)_PAGE_DIRTY;
		pte &= ~(uint64_t)_PAGE_ACCESSED;
		pt_write(m, dst_table, idx, pte);
	}
	add_mm_rss_vec(m, dst_mm, rss);
	return 0;
}

int copy_page_range(struct machine *m, struct vm_area_struct *dst_vma,
		    struct vm_area_struct *src_vma)
{
	struct mm_struct *src_mm = src_vma->vm_mm;
	uint64_t pmd_size = pt_level_size(m, PT_PMD);
	uint64_t addr = src_vma->vm_start, end = src_vma->vm_end;
	bool flush = false;
	int rc = 0;

	if (!vma_needs_copy(dst_vma, src_vma))
		return 0;
	while (addr < end) {
		uint64_t next = (addr + pmd_size) & ~(pmd_size - 1);
		if (next > end || next == 0)
			next = end;
		phys_addr_t pmd_table = user_walk(m, src_mm, addr, PT_PMD, false, NULL);
		uint64_t pmd = pmd_table ? pt_read(m, pmd_table, pt_index(m, addr, PT_PMD)) : 0;
		if (pmd & _PAGE_PRESENT) {
			if (pmd & _PAGE_PSE)
				rc = copy_huge_pmd(m, dst_vma, src_vma, pmd_table,
						   pt_index(m, addr, PT_PMD), addr, &flush);
			else
				rc = copy_pte_range(m, dst_vma, src_vma, pmd & pt_format(m)->addr_mask,
						    addr, next, &flush);
			if (rc)
				break;
			addr = next;
		} else {
			addr = pt_hole_end(m, src_mm, addr, end);
		}
	}
	/* The parent's PTEs lost write access: no CPU may keep a writable TLB entry. */
	if (flush)
		flush_tlb_mm_range(m, src_mm, src_vma->vm_start, src_vma->vm_end);
	return rc;
}

/* ---- populating ------------------------------------------------------------------------ */

/*
 * populate_vma_page_range(): fault in every page of [start, end) of @vma
 * as get_user_pages() does — a write fault where the mapping is private
 * and writable (so COW is broken now), a read fault otherwise; pages
 * already mapped as needed are left alone. Returns the pages done, or
 * -EFAULT for a VMA no access may populate (PROT_NONE, raw frames), or
 * -ENOMEM.
 */
long populate_vma_page_range(struct machine *m, struct vm_area_struct *vma, uint64_t start,
			     uint64_t end)
{
	unsigned long nr_pages = (unsigned long)((end - start) >> PAGE_SHIFT);
	bool write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	bool force = vma->vm_flags & VM_ACCESS_FLAGS;	/* FOLL_FORCE for accessible VMAs */

	/* Lock-on-fault: the pages come when they are touched. */
	if (vma->vm_flags & VM_LOCKONFAULT)
		return (long)nr_pages;
	/* check_vma_flags() */
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return -MMSIM_EFAULT;
	if (!write && !(vma->vm_flags & VM_READ) && (!force || !(vma->vm_flags & VM_MAYREAD)))
		return -MMSIM_EFAULT;
	for (uint64_t addr = start; addr < end; addr += PAGE_SIZE) {
		uint64_t pte;
		if (follow_pte(m, vma->vm_mm, addr, &pte) && (pte & _PAGE_PRESENT) &&
		    (!write || (pte & _PAGE_RW)))
			continue;
		unsigned int flags = (write ? FAULT_FLAG_WRITE : 0) | FAULT_FLAG_ALLOW_RETRY;
		vm_fault_t ret = handle_mm_fault(m, vma, addr, flags, false);
		if (ret & VM_FAULT_RETRY)
			ret = handle_mm_fault(m, vma, addr, flags | FAULT_FLAG_TRIED, false);
		if (ret & VM_FAULT_OOM)
			return -MMSIM_ENOMEM;
		if (ret & VM_FAULT_ERROR)
			return -MMSIM_EFAULT;
	}
	lru_add_drain(m);
	return (long)nr_pages;
}

/*
 * get_user_pages_remote() for one page: the physical address of @addr in
 * @mm (not necessarily current's), faulted in for reading or writing as
 * needed — a write breaks copy-on-write, a stack VMA grows down to @addr.
 * The VMA must allow the access (no FOLL_FORCE). 0, or -EFAULT / -ENOMEM
 * (or what growing the stack refused).
 */
int get_user_page_remote(struct machine *m, struct mm_struct *mm, uint64_t addr, bool write,
			 phys_addr_t *pa)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	uint64_t pte;

	if (!vma)
		return -MMSIM_EFAULT;
	if (addr < vma->vm_start) {
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -MMSIM_EFAULT;
		int err = expand_downwards(m, vma, addr);
		if (err)
			return err;
	}
	/* check_vma_flags() */
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return -MMSIM_EFAULT;
	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return -MMSIM_EFAULT;
	if (!follow_pte(m, mm, addr, &pte) || !(pte & _PAGE_PRESENT) || (write && !(pte & _PAGE_RW))) {
		vm_fault_t ret = handle_mm_fault(m, vma, addr,
						 (write ? FAULT_FLAG_WRITE : 0) | FAULT_FLAG_REMOTE, false);
		if (ret & VM_FAULT_OOM)
			return -MMSIM_ENOMEM;
		if ((ret & VM_FAULT_ERROR) || !follow_pte(m, mm, addr, &pte))
			return -MMSIM_EFAULT;
	}
	/*
	 * follow_page_pte(): a frame with no struct page behind it (a PTE
	 * corrupted to point past RAM) is a bad PTE, and GUP fails with
	 * -EFAULT rather than touch memory that is not there.
	 */
	if (!pfn_valid(m, (unsigned long)pte_pfn(m, pte)))
		return -MMSIM_EFAULT;
	*pa = (pte & pt_format(m)->addr_mask) + (addr & (PAGE_SIZE - 1));
	return 0;
}

long access_remote_vm(struct machine *m, struct mm_struct *mm, uint64_t addr, void *buf,
		      size_t len, bool write)
{
	size_t done = 0;

	while (done < len) {
		size_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		phys_addr_t pa;
		if (chunk > len - done)
			chunk = len - done;
		int err = get_user_page_remote(m, mm, addr, write, &pa);
		if (err)
			return done ? (long)done : err;
		if (write)
			memcpy(m->ram + pa, (char *)buf + done, chunk);
		else
			memcpy((char *)buf + done, m->ram + pa, chunk);
		done += chunk;
		addr += chunk;
	}
	return (long)done;
}

/*
 * The PTE (or huge PMD, reported as the PTE of the 4K piece) mapping
 * @addr; false if nothing is mapped there.
 */
bool follow_pte(struct machine *m, struct mm_struct *mm, uint64_t addr, uint64_t *pte)
{
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;

	if (!pt_lookup(m, mm->pgd, addr, &level, &table, &idx)) {
		*pte = 0;
		return false;
	}
	uint64_t e = pt_read(m, table, idx);
	if (level != PT_PTE) {
		uint64_t size = pt_level_size(m, level);
		e = (e & ~(uint64_t)_PAGE_PSE) + (((addr & (size - 1)) >> PAGE_SHIFT) << PAGE_SHIFT);
	}
	*pte = e;
	return true;
}
