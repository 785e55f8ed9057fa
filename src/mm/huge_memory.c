/* huge_memory.c — transparent huge pages for anonymous memory (mm/huge_memory.c).
 *
 * Debian's 6.1 kernels are built with THP "always" (defrag "madvise") on
 * both architectures: a fault in an anonymous VMA whose PMD-aligned range
 * (2 MiB on x86_64; 4 MiB on non-PAE i386, where the PGD entry is the
 * PMD) lies wholly inside the VMA, with the PMD still empty, is served by
 * a huge page mapped by the PMD itself:
 *   - a read maps the huge zero page (one per machine, allocated on first
 *     use, never counted in anyone's RSS);
 *   - a write allocates a compound page of HPAGE_PMD_ORDER with
 *     GFP_TRANSHUGE_LIGHT — no reclaim, no retries: if there is no free
 *     block that big, the fault falls back to 4K pages (thp_fault_fallback);
 *   - a write to the huge zero page splits it into PTEs of the 4K zero
 *     page and takes the ordinary copy-on-write path for one page: no
 *     huge page is allocated (what 6.1 does; the oracle shows it too).
 * Below 512 MiB of RAM, hugepage_init() turns all of this off.
 *
 * Each huge PMD keeps a PTE table in reserve ("deposited", counted in
 * PageTables and VmPTE), so that splitting it never needs memory. A huge
 * page cut by munmap, mprotect or madvise is split at the PMD into 4K
 * PTEs over the same compound page, which is then queued for a deferred
 * split — the memory comes back when reclaim splits it later.
 *
 * Splitting the compound page itself into ordinary pages
 * (split_huge_page_to_list) is reclaim's way to swap a huge page out, and
 * the deferred split shrinker's way to free the unmapped part of one; both
 * are at the end of this file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/mmu.h"
#include "kernel/sched.h"
#include "mm/internal.h"

#define MMF_HUGE_ZERO_PAGE	23

struct thp_state {
	bool enabled;			/* "always"; false: "never" (or RAM < 512 MiB) */
	bool use_zero_page;
	struct page *huge_zero_page;
	unsigned long huge_zero_pfn;
	int huge_zero_refcount;		/* 1 for the machine once allocated, + each mm using it */
	struct list_head split_queue;	/* deferred split: on page[2].lru of the head */
	unsigned long split_queue_len;	/* on the queue, or taken off it by a scan under way */
};

int thp_init(struct machine *m)
{
	struct thp_state *t = calloc(1, sizeof(*t));

	if (!t)
		return -MMSIM_ENOMEM;
	/* hugepage_init(): THP needs PSE, and at least 512 MiB of RAM. */
	t->enabled = m->profile->thp && m->totalram_pages >= (512UL << (20 - PAGE_SHIFT));
	t->use_zero_page = t->enabled;
	INIT_LIST_HEAD(&t->split_queue);
	m->thp = t;
	return 0;
}

static inline uint64_t hpage_size(const struct machine *m);

/*
 * /sys/kernel/mm/transparent_hugepage/: hugepage_init() makes the files
 * whenever the CPU can map large pages, and then, below 512 MiB of RAM,
 * clears every flag — so the files say [never] there, and use_zero_page 0.
 */
bool thp_sysfs_present(const struct machine *m)
{
	return m->profile->thp;
}

void thp_enabled_show(struct machine *m, FILE *out)
{
	fputs(m->thp->enabled ? "[always] madvise never\n" : "always madvise [never]\n", out);
}

void thp_defrag_show(struct machine *m, FILE *out)
{
	/* Debian's TRANSPARENT_HUGEPAGE_DEFRAG: madvise. */
	fputs(m->thp->enabled ? "always defer defer+madvise [madvise] never\n"
			      : "always defer defer+madvise madvise [never]\n", out);
}

void thp_use_zero_page_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->thp->use_zero_page ? 1 : 0);
}

void thp_hpage_pmd_size_show(struct machine *m, FILE *out)
{
	fprintf(out, "%lu\n", (unsigned long)hpage_size(m));
}

void thp_release(struct machine *m)
{
	free(m->thp);
	m->thp = NULL;
}

bool thp_enabled(const struct machine *m)
{
	return m->thp && m->thp->enabled;
}

unsigned long huge_zero_pfn(const struct machine *m)
{
	return m->thp && m->thp->huge_zero_page ? m->thp->huge_zero_pfn : 0;
}

static inline uint64_t hpage_size(const struct machine *m)
{
	return pt_level_size(m, PT_PMD);
}

static inline unsigned int hpage_order(const struct machine *m)
{
	return m->is_32bit ? 10 : 9;
}

bool is_huge_zero_pmd(const struct machine *m, uint64_t pmd)
{
	return m->thp->huge_zero_page &&
	       ((pmd & pt_format(m)->addr_mask) >> PAGE_SHIFT) == m->thp->huge_zero_pfn;
}

/* ---- eligibility -------------------------------------------------------------- */

bool transhuge_vma_suitable(struct machine *m, struct vm_area_struct *vma, uint64_t addr)
{
	if (!thp_enabled(m))
		return false;
	if (!vma_is_anonymous(vma) &&
	    (((vma->vm_start >> PAGE_SHIFT) - vma->vm_pgoff) & (thp_nr_pages(m) - 1)))
		return false;
	uint64_t haddr = addr & ~(hpage_size(m) - 1);
	return haddr >= vma->vm_start && haddr + hpage_size(m) <= vma->vm_end;
}

bool hugepage_vma_check(struct machine *m, struct vm_area_struct *vma, unsigned long vm_flags,
			bool smaps, bool in_pf)
{
	if (!thp_enabled(m))
		return false;
	if (vm_flags & VM_NOHUGEPAGE)
		return false;
	if (vm_flags & (VM_SPECIAL | VM_HUGETLB))
		return false;
	/* Outside a fault the VMA must be able to hold one huge page somewhere. */
	if (!in_pf && (vma->vm_end - vma->vm_start < hpage_size(m) ||
		       !transhuge_vma_suitable(m, vma, vma->vm_end - hpage_size(m))))
		return false;
	if (!vma_is_anonymous(vma))
		return false;
	/* A stack still being set up by exec is not (vma_is_temporary_stack). */
	if ((vm_flags & VM_GROWSDOWN) &&
	    (vm_flags & VM_STACK_INCOMPLETE_SETUP) == VM_STACK_INCOMPLETE_SETUP)
		return false;
	if (!vma->anon_vma)
		return smaps || in_pf;
	return true;
}

/* ---- the deposited PTE tables ------------------------------------------------------ */

/*
 * The tables are interchangeable (empty), so the mm keeps them on one stack:
 * a deposit pushes, a withdraw pops. The table page's lru links it.
 */
static phys_addr_t pte_table_alloc(struct machine *m, struct mm_struct *mm)
{
	struct page *page = alloc_pages(m, GFP_PGTABLE_USER | (m->is_32bit ? __GFP_HIGHMEM : 0), 0);

	if (!page)
		return 0;
	__SetPageTable(page);
	m->node.vm_stat[NR_PAGETABLE]++;
	(void)mm;
	return PFN_PHYS(page_to_pfn(m, page));
}

static void pte_table_free(struct machine *m, phys_addr_t table)
{
	struct page *page = pfn_to_page(m, (unsigned long)PFN_DOWN(table));

	__ClearPageTable(page);
	m->node.vm_stat[NR_PAGETABLE]--;
	__free_pages(m, page, 0);
}

static void pgtable_trans_huge_deposit(struct machine *m, struct mm_struct *mm, phys_addr_t table)
{
	struct page *page = pfn_to_page(m, (unsigned long)PFN_DOWN(table));

	list_add(&page->lru, &mm->pmd_huge_pte);
	mm->pgtables_bytes += PAGE_SIZE;	/* mm_inc_nr_ptes() */
}

static phys_addr_t pgtable_trans_huge_withdraw(struct machine *m, struct mm_struct *mm)
{
	struct page *page = list_first_entry(&mm->pmd_huge_pte, struct page, lru);

	list_del(&page->lru);
	page->lru.next = page->lru.prev = NULL;
	return PFN_PHYS(page_to_pfn(m, page));
}

/* zap_deposited_table(): the PMD went, and its spare table with it. */
static void zap_deposited_table(struct machine *m, struct mm_struct *mm)
{
	phys_addr_t table = pgtable_trans_huge_withdraw(m, mm);

	memset(m->ram + table, 0, PAGE_SIZE);
	mm->pgtables_bytes -= PAGE_SIZE;	/* mm_dec_nr_ptes() */
	pte_table_free(m, table);
}

/* ---- the huge zero page -------------------------------------------------------------- */

static struct page *mm_get_huge_zero_page(struct machine *m, struct mm_struct *mm)
{
	struct thp_state *t = m->thp;

	if (mm->flags & (1UL << MMF_HUGE_ZERO_PAGE))
		return t->huge_zero_page;
	if (!t->huge_zero_page) {
		struct page *zp = alloc_pages(m, (GFP_TRANSHUGE | __GFP_ZERO) & ~__GFP_MOVABLE,
					      hpage_order(m));
		if (!zp) {
			count_vm_event(m, THP_ZERO_PAGE_ALLOC_FAILED);
			return NULL;
		}
		t->huge_zero_page = zp;
		t->huge_zero_pfn = page_to_pfn(m, zp);
		t->huge_zero_refcount = 1;
		count_vm_event(m, THP_ZERO_PAGE_ALLOC);
	}
	t->huge_zero_refcount++;
	mm->flags |= 1UL << MMF_HUGE_ZERO_PAGE;
	return t->huge_zero_page;
}

void mm_put_huge_zero_page(struct machine *m, struct mm_struct *mm)
{
	/* The page itself stays until a shrinker frees it under pressure. */
	if (mm->flags & (1UL << MMF_HUGE_ZERO_PAGE))
		m->thp->huge_zero_refcount--;
}

/* ---- faults ------------------------------------------------------------------------- */

static inline uint64_t mk_huge_pmd(const struct machine *m, unsigned long pfn, pgprot_t prot)
{
	uint64_t e = PFN_PHYS(pfn) | prot | _PAGE_PSE;

	return m->is_32bit ? e & ~_PAGE_NX : e;
}

static void set_pmd(struct vm_fault *vmf, uint64_t pmd)
{
	pt_write(vmf->m, vmf->pmd_table, vmf->pmd_idx, vmf->m->is_32bit ? pmd & ~_PAGE_NX : pmd);
}

vm_fault_t do_huge_pmd_anonymous_page(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	uint64_t haddr = vmf->address & ~(hpage_size(m) - 1);

	if (!transhuge_vma_suitable(m, vma, haddr))
		return VM_FAULT_FALLBACK;
	if (anon_vma_prepare(m, vma))
		return VM_FAULT_OOM;
	if (!(vmf->flags & FAULT_FLAG_WRITE) && m->thp->use_zero_page) {
		phys_addr_t pgtable = pte_table_alloc(m, mm);
		if (!pgtable)
			return VM_FAULT_OOM;
		struct page *zero = mm_get_huge_zero_page(m, mm);
		if (!zero) {
			pte_table_free(m, pgtable);
			count_vm_event(m, THP_FAULT_FALLBACK);
			return VM_FAULT_FALLBACK;
		}
		/* set_huge_zero_page(): read-only, with its table in reserve. */
		pgtable_trans_huge_deposit(m, mm, pgtable);
		set_pmd(vmf, mk_huge_pmd(m, page_to_pfn(m, zero), vma->vm_page_prot));
		return 0;
	}
	gfp_t gfp = GFP_TRANSHUGE_LIGHT | ((vma->vm_flags & VM_HUGEPAGE) ? __GFP_DIRECT_RECLAIM : 0);
	struct page *page = alloc_pages(m, gfp, hpage_order(m));
	if (!page) {
		count_vm_event(m, THP_FAULT_FALLBACK);
		return VM_FAULT_FALLBACK;
	}
	phys_addr_t pgtable = pte_table_alloc(m, mm);
	if (!pgtable) {
		put_page(m, page);
		return VM_FAULT_OOM;
	}
	compound_mapcount_set(page, -1);
	INIT_LIST_HEAD(&page[2].lru);	/* the deferred-split link */
	for (unsigned int i = 0; i < thp_nr_pages(m); i++)
		clear_user_highpage(m, page + i);
	__SetPageUptodate(page);
	uint64_t entry = mk_huge_pmd(m, page_to_pfn(m, page), vma->vm_page_prot) | _PAGE_DIRTY;
	if (vma->vm_flags & VM_WRITE)
		entry |= _PAGE_RW;
	page_add_new_anon_rmap(m, page, vma, haddr, true);
	lru_cache_add_inactive_or_unevictable(m, page, vma);
	pgtable_trans_huge_deposit(m, mm, pgtable);
	set_pmd(vmf, entry);
	mm->rss_stat[MM_ANONPAGES] += thp_nr_pages(m);	/* add_mm_counter: not the task cache */
	count_vm_event(m, THP_FAULT_ALLOC);
	return 0;
}

void huge_pmd_set_accessed(struct vm_fault *vmf)
{
	uint64_t entry = vmf->orig_pmd | _PAGE_ACCESSED;

	if (vmf->flags & FAULT_FLAG_WRITE)
		entry |= _PAGE_DIRTY;
	if (entry != vmf->orig_pmd)
		set_pmd(vmf, entry);
}

vm_fault_t do_huge_pmd_wp_page(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	uint64_t haddr = vmf->address & ~(hpage_size(m) - 1);

	if (is_huge_zero_pmd(m, vmf->orig_pmd))
		goto fallback;
	struct page *page = pmd_page(m, vmf->orig_pmd);
	if (PageAnonExclusive(page))
		goto reuse;
	if (page_ref_count(page) != 1)
		goto fallback;
	page_move_anon_rmap(page, vma);
reuse:
	set_pmd(vmf, vmf->orig_pmd | _PAGE_ACCESSED | _PAGE_DIRTY |
		     ((vma->vm_flags & VM_WRITE) ? _PAGE_RW : 0));
	return 0;
fallback:
	__split_huge_pmd(m, vma, vmf->pmd_table, vmf->pmd_idx, haddr);
	return VM_FAULT_FALLBACK;
}

/* ---- splitting a PMD into PTEs ----------------------------------------------------------- */

/*
 * __split_huge_pmd(): the huge mapping at @haddr becomes a table of PTEs
 * (the deposited one) over the same memory, with the same protection,
 * young and dirty state. The huge page itself stays whole.
 */
void __split_huge_pmd(struct machine *m, struct vm_area_struct *vma, phys_addr_t pmd_table,
		      unsigned int pmd_idx, uint64_t haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t pmd = pt_read(m, pmd_table, pmd_idx);
	unsigned int nr = thp_nr_pages(m);

	if (!(pmd & _PAGE_PRESENT) || !(pmd & _PAGE_PSE))
		return;
	count_vm_event(m, THP_SPLIT_PMD);
	/* pmdp_invalidate(): no CPU may keep using the huge translation. */
	pt_write(m, pmd_table, pmd_idx, 0);
	flush_tlb_mm_range(m, mm, haddr, haddr + hpage_size(m));
	phys_addr_t pgtable = pgtable_trans_huge_withdraw(m, mm);
	uint64_t prot = vma->vm_page_prot;
	unsigned long pfn = (unsigned long)((pmd & pt_format(m)->addr_mask) >> PAGE_SHIFT);
	if (is_huge_zero_pmd(m, pmd)) {
		/* __split_huge_zero_page_pmd(): every PTE maps the 4K zero page. */
		for (unsigned int i = 0; i < nr; i++)
			pt_write(m, pgtable, i, (PFN_PHYS(m->zero_pfn) | prot | _PAGE_SPECIAL) &
						 (m->is_32bit ? ~_PAGE_NX : ~0ULL));
		pt_write(m, pmd_table, pmd_idx, pgtable | _PAGE_TABLE);
		return;
	}
	struct page *page = pfn_to_page(m, pfn);
	bool write = pmd & _PAGE_RW, young = pmd & _PAGE_ACCESSED, dirty = pmd & _PAGE_DIRTY;
	bool anon_exclusive = PageAnonExclusive(page);
	if (dirty)
		__SetPageDirty(page);
	page->_refcount += (int)nr - 1;	/* each PTE will hold a reference */
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t e = PFN_PHYS(pfn + i) | prot;
		if (vma->vm_flags & VM_WRITE)
			e |= _PAGE_RW;
		if (!write)
			e &= ~(uint64_t)_PAGE_RW;
		if (!young)
			e &= ~(uint64_t)_PAGE_ACCESSED;
		if (dirty)
			e |= _PAGE_DIRTY;
		if (anon_exclusive)
			SetPageAnonExclusive(page + i);
		pt_write(m, pgtable, i, m->is_32bit ? e & ~_PAGE_NX : e);
		page[i]._mapcount++;
	}
	/* The PMD mapping is gone: page_remove_rmap(compound) without the counts. */
	compound_mapcount_set(page, compound_mapcount(page) - 1);
	if (compound_mapcount(page) < 0)
		m->node.vm_stat[NR_ANON_THPS] -= nr;
	pt_write(m, pmd_table, pmd_idx, pgtable | _PAGE_TABLE);
}

static void split_huge_pmd_address(struct machine *m, struct vm_area_struct *vma, uint64_t addr)
{
	phys_addr_t pmd_table = user_walk(m, vma->vm_mm, addr, PT_PMD, false, NULL);

	if (!pmd_table)
		return;
	unsigned int idx = pt_index(m, addr, PT_PMD);
	uint64_t pmd = pt_read(m, pmd_table, idx);
	if ((pmd & _PAGE_PRESENT) && (pmd & _PAGE_PSE))
		__split_huge_pmd(m, vma, pmd_table, idx, addr & ~(hpage_size(m) - 1));
}

void vma_adjust_trans_huge(struct machine *m, struct vm_area_struct *vma, uint64_t start,
			   uint64_t end)
{
	uint64_t mask = hpage_size(m) - 1;

	if (!thp_enabled(m))
		return;
	/* A new boundary inside a huge page's range: split that huge PMD. */
	if ((start & mask) && (start & ~mask) >= vma->vm_start &&
	    (start & ~mask) + hpage_size(m) <= vma->vm_end)
		split_huge_pmd_address(m, vma, start);
	if ((end & mask) && (end & ~mask) >= vma->vm_start &&
	    (end & ~mask) + hpage_size(m) <= vma->vm_end)
		split_huge_pmd_address(m, vma, end);
}

/* ---- unmap and fork ------------------------------------------------------------------------ */

void zap_huge_pmd(struct mmu_gather *tlb, struct vm_area_struct *vma, phys_addr_t pmd_table,
		  unsigned int pmd_idx, uint64_t addr)
{
	struct machine *m = tlb->m;
	uint64_t pmd = pt_read(m, pmd_table, pmd_idx);

	pt_write(m, pmd_table, pmd_idx, 0);
	/* The whole huge range leaves the TLBs. */
	if (addr < tlb->start)
		tlb->start = addr;
	if (addr + hpage_size(m) > tlb->end)
		tlb->end = addr + hpage_size(m);
	zap_deposited_table(m, vma->vm_mm);
	if (is_huge_zero_pmd(m, pmd))
		return;
	struct page *page = pmd_page(m, pmd);
	page_remove_rmap(m, page, vma, true);
	vma->vm_mm->rss_stat[MM_ANONPAGES] -= thp_nr_pages(m);
	/* tlb_remove_page_size(): freed after the flush, with the other pages */
	tlb->pages[tlb->nr++] = page;
	if (tlb->nr == MMU_GATHER_BUNDLE)
		tlb_flush_mmu(tlb);
}

int copy_huge_pmd(struct machine *m, struct vm_area_struct *dst_vma,
		  struct vm_area_struct *src_vma, phys_addr_t pmd_table, unsigned int pmd_idx,
		  uint64_t addr, bool *flush)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm;
	uint64_t pmd = pt_read(m, pmd_table, pmd_idx);
	bool oom = false;
	phys_addr_t dst_table = user_walk(m, dst_mm, addr, PT_PMD, true, &oom);

	if (!dst_table)
		return -MMSIM_ENOMEM;
	phys_addr_t pgtable = pte_table_alloc(m, dst_mm);
	if (!pgtable)
		return -MMSIM_ENOMEM;
	if (is_huge_zero_pmd(m, pmd)) {
		mm_get_huge_zero_page(m, dst_mm);
	} else {
		struct page *page = pmd_page(m, pmd);
		get_page(page);
		page_try_dup_anon_rmap(m, page, true, src_vma);
		dst_mm->rss_stat[MM_ANONPAGES] += thp_nr_pages(m);
	}
	pgtable_trans_huge_deposit(m, dst_mm, pgtable);
	if (pmd & _PAGE_RW) {
		pt_write(m, pmd_table, pmd_idx, pmd & ~(uint64_t)_PAGE_RW);
		*flush = true;
	}
	pmd &= ~(uint64_t)(_PAGE_RW | _PAGE_ACCESSED);
	pt_write(m, dst_table, pt_index(m, addr, PT_PMD), pmd);
	return 0;
}

/* ---- the deferred split queue -------------------------------------------------------------- */

void deferred_split_huge_page(struct machine *m, struct page *head)
{
	struct thp_state *t = m->thp;
	struct list_head *link = &head[2].lru;

	if (!PageHead(head) || PageSwapCache(head) || !list_empty(link))
		return;
	count_vm_event(m, THP_DEFERRED_SPLIT_PAGE);
	list_add_tail(link, &t->split_queue);
	t->split_queue_len++;
}

void free_transhuge_page(struct machine *m, struct page *head)
{
	struct list_head *link = &head[2].lru;

	if (link->next && !list_empty(link)) {
		list_del(link);
		m->thp->split_queue_len--;
	}
	link->next = link->prev = NULL;
	compound_mapcount_set(head, 0);
	head[1].private = 0;
	head->_refcount = 1;
	__free_pages(m, head, head->alloc_order);
}

unsigned long thp_split_queue_len(const struct machine *m)
{
	return m->thp ? m->thp->split_queue_len : 0;
}


/* ---- splitting a huge page into pages ------------------------------------------------------ */

/*
 * How 6.1 splits a huge page (split_huge_page_to_list), and what mmsim keeps
 * of it. The page must be held by nothing but its mappings and the caller
 * (and the swap cache): can_split_folio() compares its reference count with
 * its map count. Then unmap_folio() splits every PMD that maps it into PTEs
 * and replaces every PTE by a migration entry, the count is frozen at what
 * the caller and the swap cache hold, each tail page is made a page of its
 * own (__split_huge_page_tail: the head's flags, its mapping and index + i,
 * one reference), PG_head goes, and remap_page() puts the PTEs back, each
 * now a mapping (and a reference) of its own page. Last, every page but
 * the caller's drops the reference the split gave it: a page no PTE maps
 * any more — the part of a huge page that munmap left behind — is freed
 * there and then.
 *
 * mmsim runs one CPU at a time, so nothing can fault on the huge page
 * while it is split and the migration entries would change nothing: the
 * PTEs stay as __split_huge_pmd() made them, and only the counts move
 * (each page's references become its own PTEs', plus the one the split
 * gives). What the round trip through migration entries does to a page is
 * done here directly: a dirty PTE makes the huge page dirty (all its pages
 * inherit PG_dirty), and a mapped page keeps PG_anon_exclusive while an
 * unmapped one loses it.
 *
 * Huge pages are only ever anonymous in mmsim, and never in the swap cache
 * (add_to_swap() cannot give one a cluster of slots), so the page-cache and
 * swap-cache halves of the kernel's function have nothing to do here.
 */

bool can_split_folio(struct machine *m, struct page *head, int *extra_pins)
{
	/* The swap cache holds one reference per page of a huge page in it. */
	int extra = PageSwapCache(head) ? (int)page_nr_pages(m, head) : 0;

	if (extra_pins)
		*extra_pins = extra;
	return total_mapcount(m, head) == page_ref_count(head) - extra - 1;
}

/* unmap_folio(): each mapping of the huge page in this VMA — split its PMD, note its dirty PTEs. */
static bool unmap_folio_entry(struct machine *m, struct vm_area_struct *vma, uint64_t addr,
			      phys_addr_t table, unsigned int idx, bool pmd, void *arg)
{
	struct page *head = arg;

	if (pmd)
		__split_huge_pmd(m, vma, table, idx, addr);	/* TTU_SPLIT_HUGE_PMD */
	else if (pt_read(m, table, idx) & _PAGE_DIRTY)
		__SetPageDirty(head);	/* try_to_migrate_one(): folio_mark_dirty() */
	return true;
}

static bool unmap_folio_one(struct machine *m, struct page *head, struct vm_area_struct *vma,
			    uint64_t addr, void *arg)
{
	(void)addr;
	(void)arg;
	huge_page_vma_mapped_walk(m, head, vma, unmap_folio_entry, head);
	return true;
}

/*
 * lru_add_page_tail(): reclaim isolated the head, so the tail joins it on
 * @list with a reference of its own; otherwise it goes onto the head's LRU
 * list right after the head (older than it: reclaim reaches the head first).
 * The list's size already counts it, as part of the huge page.
 */
static void lru_add_page_tail(struct page *head, struct page *tail, struct list_head *list)
{
	if (list) {
		tail->_refcount++;
		list_add_tail(&tail->lru, list);
	} else {
		list_add_tail(&tail->lru, &head->lru);
		__SetPageLRU(tail);
	}
}

/* The flags a tail page takes from its head (PAGE_FLAGS_CHECK_AT_PREP's survivors in 6.1). */
#define TAIL_INHERITED_FLAGS								\
	((1UL << PG_referenced) | (1UL << PG_swapbacked) | (1UL << PG_swapcache) |	\
	 (1UL << PG_mlocked) | (1UL << PG_uptodate) | (1UL << PG_active) |		\
	 (1UL << PG_workingset) | (1UL << PG_locked) | (1UL << PG_unevictable) |	\
	 (1UL << PG_dirty))

static void __split_huge_page_tail(struct page *head, unsigned int i, struct list_head *list)
{
	struct page *tail = head + i;
	/* remap_page() gives a mapped page back the exclusivity its migration entries kept. */
	bool anon_exclusive = PageAnonExclusive(tail) && tail->_mapcount >= 0;

	tail->flags &= ~PAGEFLAGS_MASK;
	tail->flags |= head->flags & TAIL_INHERITED_FLAGS;
	if (anon_exclusive)
		SetPageAnonExclusive(tail);
	tail->mapping = head->mapping;
	tail->index = head->index + i;
	tail->private = 0;	/* the first tail's held the compound map count */
	tail->compound_head_off = 0;
	tail->alloc_order = 0;	/* split_page_owner(): an order-0 allocation each */
	/* Its PTEs' references (remap_page) and the one the split gives it. */
	tail->_refcount = tail->_mapcount + 1 + 1;
	lru_add_page_tail(head, tail, list);
}

static void __split_huge_page(struct machine *m, struct page *page, struct list_head *list)
{
	struct page *head = compound_head(page);
	unsigned int nr = (unsigned int)page_nr_pages(m, head);

	/* From the last tail down, so that the LRU ends up head, 1, 2, ... from its old end. */
	for (unsigned int i = nr - 1; i >= 1; i--)
		__split_huge_page_tail(head, i, list);
	head->flags &= ~(1UL << PG_head);
	head->alloc_order = 0;
	head->_refcount = head->_mapcount + 1 + 1;
	/*
	 * The split's reference goes from every page but the caller's: a page
	 * nothing maps is freed now (free_page_and_swap_cache; none of them can
	 * be in the swap cache).
	 */
	for (unsigned int i = 0; i < nr; i++)
		if (head + i != page)
			put_page(m, head + i);
}

int split_huge_page_to_list(struct machine *m, struct page *page, struct list_head *list)
{
	struct page *head = compound_head(page);
	struct thp_state *t = m->thp;
	int extra_pins, ret;

	if (!PageHead(head))
		return -MMSIM_EINVAL;
	if (t->huge_zero_page == head) {
		pr_warn(m, "huge_memory: Called split_huge_page for huge zero page\n");
		return -MMSIM_EBUSY;
	}
	/* Under writeback; or in the swap cache, where add_to_swap() never puts a huge page here. */
	if (PageWriteback(head) || PageSwapCache(head))
		return -MMSIM_EBUSY;
	/* folio_get_anon_vma(): an anonymous page whose anon_vma went is being freed. */
	if (!PageAnon(head) || !page_anon_vma(head)) {
		ret = -MMSIM_EBUSY;
		goto out;
	}
	/* Off the LRU without a list to take the tails: someone else isolated it. */
	if (!can_split_folio(m, head, &extra_pins) || (!list && !PageLRU(head))) {
		ret = -MMSIM_EBUSY;
		goto out;
	}
	/*
	 * 6.1's unmap_page() takes each mapping away with page_remove_rmap() of
	 * a small page, which queues the huge page for a deferred split, and
	 * counts it, unless it is queued already; the split below takes it off
	 * the queue again. mmsim splits the PMDs instead: the count is kept.
	 */
	struct list_head *queued = &head[2].lru;
	if (total_mapcount(m, head) > 0 && !(queued->next && !list_empty(queued)))
		count_vm_event(m, THP_DEFERRED_SPLIT_PAGE);
	rmap_walk_anon(m, head, unmap_folio_one, NULL);
	/*
	 * folio_ref_freeze(1 + extra_pins) would fail only if someone took a
	 * reference meanwhile, which one CPU at a time rules out. Off the
	 * deferred split queue (or a scan's list) it comes: its link in the
	 * second tail becomes that page's LRU link.
	 */
	struct list_head *link = &head[2].lru;
	if (link->next && !list_empty(link)) {
		list_del(link);
		t->split_queue_len--;
	}
	compound_mapcount_set(head, 0);
	__split_huge_page(m, page, list);
	ret = 0;
out:
	count_vm_event(m, ret ? THP_SPLIT_PAGE_FAILED : THP_SPLIT_PAGE);
	return ret;
}

/* ---- the deferred split shrinker ----------------------------------------------------------- */

/*
 * A huge page that munmap, mprotect or madvise cut is only split at the PMD
 * (see the top): its unmapped pages stay allocated until reclaim runs the
 * deferred split shrinker, which splits the queued pages (freeing what no
 * one maps). It is one of shrink_slab()'s shrinkers (mm/vmscan.c). Left
 * out: the per-memcg queues (mmsim has no memory cgroups: one queue, the
 * node's), and the huge zero page's own shrinker, which frees that page
 * once no mm uses it.
 */

/* deferred_split_count() */
unsigned long deferred_split_count(struct machine *m)
{
	return m->thp ? m->thp->split_queue_len : 0;
}

unsigned long deferred_split_scan(struct machine *m, unsigned long nr_to_scan)
{
	struct thp_state *t = m->thp;
	struct list_head list, *pos, *next;
	unsigned long split = 0;

	INIT_LIST_HEAD(&list);
	/* Take a reference on each head, so that none is freed under the scan. */
	for (pos = t->split_queue.next; pos != &t->split_queue; pos = next) {
		next = pos->next;
		struct page *head = list_entry(pos, struct page, lru) - 2;
		get_page(head);
		list_move(pos, &list);
		if (!--nr_to_scan)
			break;
	}
	for (pos = list.next; pos != &list; pos = next) {
		next = pos->next;
		struct page *head = list_entry(pos, struct page, lru) - 2;
		/* split_huge_page() takes the page off the list when it succeeds. */
		if (!split_huge_page(m, head))
			split++;
		put_page(m, head);
	}
	/* What is left goes back behind what was queued meanwhile (list_splice_tail). */
	while (!list_empty(&list))
		list_move_tail(list.next, &t->split_queue);
	/* Nothing split, and nothing left: the queue emptied under the scan. */
	if (!split && list_empty(&t->split_queue))
		return SHRINK_STOP;
	return split;
}

