/* rmap.c — reverse mapping: from a page back to the page tables that map it
 * (mm/rmap.c). This file holds the anon_vma objects and the chains that
 * tie VMAs to them, and the per-page map counts the fault, fork and unmap
 * paths keep; the walk that visits every mapping of a page (for reclaim
 * and migration) is rmap_walk() below.
 *
 * How anonymous pages find their mappings: a page's ->mapping is the
 * anon_vma of the VMA it was first faulted in, with PAGE_MAPPING_ANON set,
 * and ->index is its page offset (linear_page_index). Every VMA that can
 * map pages of that anon_vma — the VMA itself, and after fork each child's
 * copy — has an anon_vma_chain on the anon_vma's list. So the walk over
 * the anon_vma's chains, computing the address from ->index in each VMA,
 * finds every PTE that may map the page. A huge page's walk visits every
 * VMA that covers any of its offsets, and finds its PMD mappings and the
 * PTEs of each of its pages (huge_page_vma_mapped_walk).
 *
 * Map counts: page->_mapcount is -1 when no PTE maps the page and counts
 * PTEs from 0 upwards; the first mapping adds the page to NR_ANON_MAPPED
 * (AnonPages in /proc/meminfo) or NR_FILE_MAPPED (Mapped), the last one
 * takes it out. A huge page mapped by one PMD counts in compound_mapcount
 * (the _mapcount of its first tail page here) and in NR_ANON_THPS.
 *
 * PageAnonExclusive (6.1): set on a page only one process can map — a
 * fresh anonymous page — and cleared when fork shares it, so that a write
 * fault can reuse an exclusive page without looking at its counts. */
#include <stdlib.h>

#include "arch/x86/mmu.h"
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/migrate.h"
#include "mm/swap.h"

/* ---- anon_vma and anon_vma_chain objects --------------------------------------- */

static struct anon_vma *anon_vma_alloc(struct machine *m)
{
	struct anon_vma *av = calloc(1, sizeof(*av));

	if (!av)
		return NULL;
	av->kobj = kmem_cache_alloc(m, m->cachep.anon_vma, GFP_KERNEL);
	if (!av->kobj) {
		free(av);
		return NULL;
	}
	av->refcount = 1;
	av->root = av;
	av->parent = av;
	INIT_LIST_HEAD(&av->chains);
	m->rmap_stats.anon_vmas++;
	return av;
}

static void anon_vma_free(struct machine *m, struct anon_vma *av)
{
	kmem_cache_free(m, m->cachep.anon_vma, av->kobj);
	m->rmap_stats.anon_vmas--;
	free(av);
}

static void put_anon_vma(struct machine *m, struct anon_vma *av)
{
	if (--av->refcount)
		return;
	struct anon_vma *root = av->root;
	anon_vma_free(m, av);
	/* A non-root anon_vma held a reference on its root (anon_vma_fork). */
	if (root != av)
		put_anon_vma(m, root);
}

static struct anon_vma_chain *anon_vma_chain_alloc(struct machine *m)
{
	struct anon_vma_chain *avc = malloc(sizeof(*avc));

	if (!avc)
		return NULL;
	avc->kobj = kmem_cache_alloc(m, m->cachep.anon_vma_chain, GFP_KERNEL);
	if (!avc->kobj) {
		free(avc);
		return NULL;
	}
	m->rmap_stats.chains++;
	return avc;
}

static void anon_vma_chain_free(struct machine *m, struct anon_vma_chain *avc)
{
	kmem_cache_free(m, m->cachep.anon_vma_chain, avc->kobj);
	m->rmap_stats.chains--;
	free(avc);
}

static void anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma_chain *avc,
				struct anon_vma *av)
{
	avc->vma = vma;
	avc->anon_vma = av;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
	list_add_tail(&avc->same_anon_vma, &av->chains);
}

/*
 * find_mergeable_anon_vma(): a neighbour that could merge with @vma but
 * for its anon_vma may lend it (anon_vma_compatible: adjacent, same
 * flags apart from the access bits, same file offsets); then the two can
 * still merge later.
 */
static bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start &&
	       a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a);
}

/*
 * The neighbour's anon_vma may be shared only if it has not been forked
 * (one chain): otherwise pages of other processes hang off it too.
 */
static struct anon_vma *reusable_anon_vma(struct vm_area_struct *old, struct vm_area_struct *a,
					  struct vm_area_struct *b)
{
	if (anon_vma_compatible(a, b) && old->anon_vma &&
	    old->anon_vma_chain.next == old->anon_vma_chain.prev)
		return old->anon_vma;
	return NULL;
}

static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct anon_vma *av = NULL;

	if (vma->vm_next)
		av = reusable_anon_vma(vma->vm_next, vma, vma->vm_next);
	if (!av && vma->vm_prev)
		av = reusable_anon_vma(vma->vm_prev, vma->vm_prev, vma);
	return av;
}

int __anon_vma_prepare(struct machine *m, struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc = anon_vma_chain_alloc(m);

	if (!avc)
		return -MMSIM_ENOMEM;
	struct anon_vma *av = find_mergeable_anon_vma(vma);
	if (!av) {
		av = anon_vma_alloc(m);
		if (!av) {
			anon_vma_chain_free(m, avc);
			return -MMSIM_ENOMEM;
		}
		av->num_children++;	/* a new root is its own parent */
	}
	vma->anon_vma = av;
	anon_vma_chain_link(vma, avc, av);
	av->num_active_vmas++;
	return 0;
}

int anon_vma_clone(struct machine *m, struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct list_head *pos;

	/* Oldest chain first (the list is newest first): the root's comes first. */
	for (pos = src->anon_vma_chain.prev; pos != &src->anon_vma_chain; pos = pos->prev) {
		struct anon_vma_chain *pavc = list_entry(pos, struct anon_vma_chain, same_vma);
		struct anon_vma_chain *avc = anon_vma_chain_alloc(m);
		if (!avc) {
			dst->anon_vma = NULL;
			unlink_anon_vmas(m, dst);
			return -MMSIM_ENOMEM;
		}
		struct anon_vma *av = pavc->anon_vma;
		anon_vma_chain_link(dst, avc, av);
		/*
		 * Reuse an anon_vma no VMA uses any more and that has at most
		 * one child: otherwise every fork of a forking process would
		 * grow the chains without bound (6.1's num_children rule).
		 */
		if (!dst->anon_vma && src->anon_vma && av->num_children < 2 &&
		    av->num_active_vmas == 0)
			dst->anon_vma = av;
	}
	if (dst->anon_vma)
		dst->anon_vma->num_active_vmas++;
	return 0;
}

int anon_vma_fork(struct machine *m, struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	if (!pvma->anon_vma)
		return 0;
	vma->anon_vma = NULL;
	int err = anon_vma_clone(m, vma, pvma);
	if (err)
		return err;
	if (vma->anon_vma)
		return 0;
	/* A new anon_vma for the child's own pages, below the parent's. */
	struct anon_vma *av = anon_vma_alloc(m);
	if (!av)
		goto fail;
	av->num_active_vmas++;
	struct anon_vma_chain *avc = anon_vma_chain_alloc(m);
	if (!avc) {
		put_anon_vma(m, av);
		goto fail;
	}
	av->root = pvma->anon_vma->root;
	av->parent = pvma->anon_vma;
	av->root->refcount++;
	vma->anon_vma = av;
	anon_vma_chain_link(vma, avc, av);
	av->parent->num_children++;
	return 0;
fail:
	unlink_anon_vmas(m, vma);
	return -MMSIM_ENOMEM;
}

void unlink_anon_vmas(struct machine *m, struct vm_area_struct *vma)
{
	struct list_head *pos, *n;

	/*
	 * First unlink every chain from its anon_vma. An anon_vma left with
	 * no chains is going away: it stops counting as its parent's child,
	 * and its own chain stays on the VMA's list until the second pass.
	 */
	for (pos = vma->anon_vma_chain.next; pos != &vma->anon_vma_chain; pos = n) {
		n = pos->next;
		struct anon_vma_chain *avc = list_entry(pos, struct anon_vma_chain, same_vma);
		struct anon_vma *av = avc->anon_vma;
		list_del(&avc->same_anon_vma);
		if (list_empty(&av->chains)) {
			av->parent->num_children--;
			continue;
		}
		list_del(&avc->same_vma);
		anon_vma_chain_free(m, avc);
	}
	if (vma->anon_vma) {
		vma->anon_vma->num_active_vmas--;
		vma->anon_vma = NULL;
	}
	for (pos = vma->anon_vma_chain.next; pos != &vma->anon_vma_chain; pos = n) {
		n = pos->next;
		struct anon_vma_chain *avc = list_entry(pos, struct anon_vma_chain, same_vma);
		struct anon_vma *av = avc->anon_vma;
		list_del(&avc->same_vma);
		anon_vma_chain_free(m, avc);
		put_anon_vma(m, av);
	}
}

/* ---- map counts --------------------------------------------------------------- */

static inline void mod_node_page_state(struct machine *m, enum node_stat_item item, long nr)
{
	m->node.vm_stat[item] += nr;
}

static void __page_set_anon_rmap(struct page *page, struct vm_area_struct *vma, uint64_t addr,
				 bool exclusive)
{
	/*
	 * A page other processes may map too (one swapped in from a slot fork
	 * shared) takes the oldest anon_vma, the root, which every VMA
	 * descended from it is chained to: so rmap finds all its mappings.
	 */
	struct anon_vma *av = exclusive ? vma->anon_vma : vma->anon_vma->root;

	page->mapping = (void *)((uintptr_t)av | PAGE_MAPPING_ANON);
	page->index = linear_page_index(vma, addr);
	if (exclusive)
		SetPageAnonExclusive(page);
}

void page_add_new_anon_rmap(struct machine *m, struct page *page, struct vm_area_struct *vma,
			    uint64_t addr, bool compound)
{
	unsigned int nr = 1;

	VM_BUG_ON(m, addr < vma->vm_start || addr >= vma->vm_end);	/* VM_BUG_ON_VMA */
	__SetPageSwapBacked(page);
	if (compound) {
		nr = thp_nr_pages(m);
		compound_mapcount_set(page, 0);
		mod_node_page_state(m, NR_ANON_THPS, nr);
	} else {
		page->_mapcount = 0;
	}
	mod_node_page_state(m, NR_ANON_MAPPED, nr);
	__page_set_anon_rmap(page, vma, addr, true);
}

void page_add_anon_rmap(struct machine *m, struct page *page, struct vm_area_struct *vma,
			uint64_t addr, bool exclusive)
{
	if (++page->_mapcount == 0)
		mod_node_page_state(m, NR_ANON_MAPPED, 1);
	if (!PageAnon(page))
		__page_set_anon_rmap(page, vma, addr, exclusive);
	else if (exclusive)
		SetPageAnonExclusive(page);
}

void page_add_file_rmap(struct machine *m, struct page *page)
{
	if (++page->_mapcount == 0)
		mod_node_page_state(m, NR_FILE_MAPPED, 1);
}

/* page_remove_rmap() but for mlock: the map counts and the statistics they feed. */
static void __page_remove_rmap(struct machine *m, struct page *page, bool compound)
{
	if (compound) {
		/* The PMD mapping of a huge page: all of it goes at once. */
		unsigned int nr = thp_nr_pages(m);
		compound_mapcount_set(page, compound_mapcount(page) - 1);
		if (compound_mapcount(page) < 0) {
			mod_node_page_state(m, NR_ANON_THPS, -(long)nr);
			/* Subpages still mapped by PTEs keep their own counts. */
			unsigned int still = 0;
			for (unsigned int i = 0; i < nr; i++)
				still += page[i]._mapcount >= 0;
			mod_node_page_state(m, NR_ANON_MAPPED, -(long)(nr - still));
		}
	} else if (--page->_mapcount < 0) {
		/*
		 * The last PTE: a page that is part of a huge page still mapped
		 * by its PMD stays counted through the compound mapping.
		 */
		bool thp_mapped = PageTail(page) || PageHead(page) ?
			compound_mapcount(compound_head(page)) >= 0 : false;
		if (!thp_mapped)
			mod_node_page_state(m, PageAnon(page) ? NR_ANON_MAPPED : NR_FILE_MAPPED, -1);
		if (PageTransCompound(page) && PageAnon(page))
			deferred_split_huge_page(m, compound_head(page));
	}
}

void page_remove_rmap(struct machine *m, struct page *page, struct vm_area_struct *vma,
		      bool compound)
{
	VM_BUG_ON_PAGE(m, compound && !PageHead(page), page);
	__page_remove_rmap(m, page, compound);
	if (vma->vm_flags & VM_LOCKED)
		munlock_vma_page(m, page, vma, compound);
}

int page_try_dup_anon_rmap(struct machine *m, struct page *page, bool compound,
			   struct vm_area_struct *src_vma)
{
	(void)m;
	(void)src_vma;
	/*
	 * A page pinned for DMA (FOLL_PIN) would have to be copied now; no
	 * pins are modelled, so the page is shared and loses its exclusivity.
	 */
	ClearPageAnonExclusive(page);
	if (compound)
		compound_mapcount_set(page, compound_mapcount(page) + 1);
	else
		page->_mapcount++;
	return 0;
}

void page_move_anon_rmap(struct page *page, struct vm_area_struct *vma)
{
	/* Reuse after fork: the page now belongs to this VMA's own anon_vma. */
	page->mapping = (void *)((uintptr_t)vma->anon_vma | PAGE_MAPPING_ANON);
	SetPageAnonExclusive(page);
}

/* ---- the walk ------------------------------------------------------------------ */

unsigned int rmap_walk_anon(struct machine *m, struct page *page,
			    bool (*visit)(struct machine *m, struct page *page,
					  struct vm_area_struct *vma, uint64_t addr, void *arg),
			    void *arg)
{
	struct anon_vma *av = page_anon_vma(page);
	unsigned long nr = page_nr_pages(m, page);
	unsigned int visited = 0;
	struct list_head *pos;

	if (!av)
		return 0;
	list_for_each(pos, &av->chains) {
		struct anon_vma_chain *avc = list_entry(pos, struct anon_vma_chain, same_anon_vma);
		struct vm_area_struct *vma = avc->vma;
		/* The interval tree's question: do [index, index + nr) and the VMA's offsets meet? */
		if (page->index + nr <= vma->vm_pgoff || page->index >= vma->vm_pgoff + vma_pages(vma))
			continue;	/* this VMA covers other offsets */
		/* vma_address(): a huge page that starts before the VMA is found from its start. */
		uint64_t addr = page->index >= vma->vm_pgoff ?
			vma->vm_start + ((uint64_t)(page->index - vma->vm_pgoff) << PAGE_SHIFT) :
			vma->vm_start;
		visited++;
		if (!visit(m, page, vma, addr, arg))
			break;
	}
	return visited;
}

/* ---- reclaim's walks: folio_referenced and try_to_unmap ------------------------- */

/*
 * rmap_walk(): visit every VMA that may map @page — through its anon_vma
 * for an anonymous page, through its file's i_mmap otherwise — with the
 * address the page would have there. @visit returns false to stop.
 */
void rmap_walk(struct machine *m, struct page *page,
	       bool (*visit)(struct machine *m, struct page *page, struct vm_area_struct *vma,
			     uint64_t addr, void *arg),
	       void *arg)
{
	if (PageAnon(page)) {
		rmap_walk_anon(m, page, visit, arg);
		return;
	}
	struct address_space *mapping = page_mapping(page);
	struct list_head *pos;

	if (!mapping)
		return;
	list_for_each(pos, &mapping->i_mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, shared);
		if (page->index < vma->vm_pgoff || page->index >= vma->vm_pgoff + vma_pages(vma))
			continue;
		uint64_t addr = vma->vm_start + ((uint64_t)(page->index - vma->vm_pgoff) << PAGE_SHIFT);
		if (!visit(m, page, vma, addr, arg))
			return;
	}
}

/*
 * page_vma_mapped_walk() for an ordinary page: the PTE table and index at
 * which @vma maps @page at @addr, or false if it does not (the PTE is
 * empty, a swap entry, another page, or a huge PMD is in the way).
 */
static bool page_vma_mapped(struct machine *m, struct page *page, struct vm_area_struct *vma,
			    uint64_t addr, phys_addr_t *table, unsigned int *idx)
{
	*table = user_walk(m, vma->vm_mm, addr, PT_PTE, false, NULL);
	if (!*table)
		return false;
	*idx = pt_index(m, addr, PT_PTE);
	uint64_t pte = pt_read(m, *table, *idx);
	return pte_present(pte) &&
	       (pte & pt_format(m)->addr_mask) == PFN_PHYS(page_to_pfn(m, page));
}

void huge_page_vma_mapped_walk(struct machine *m, struct page *head, struct vm_area_struct *vma,
			       bool (*fn)(struct machine *m, struct vm_area_struct *vma, uint64_t addr,
					  phys_addr_t table, unsigned int idx, bool pmd, void *arg),
			       void *arg)
{
	const struct pt_format *f = pt_format(m);
	unsigned long nr = page_nr_pages(m, head), head_pfn = page_to_pfn(m, head);
	uint64_t pmd_size = pt_level_size(m, PT_PMD);
	/* The part of the huge page's offsets this VMA covers, as addresses. */
	unsigned long first = head->index > vma->vm_pgoff ? head->index : vma->vm_pgoff;
	unsigned long last = head->index + nr < vma->vm_pgoff + vma_pages(vma) ?
			     head->index + nr : vma->vm_pgoff + vma_pages(vma);
	uint64_t start = vma->vm_start + ((uint64_t)(first - vma->vm_pgoff) << PAGE_SHIFT);
	uint64_t end = vma->vm_start + ((uint64_t)(last - vma->vm_pgoff) << PAGE_SHIFT);

	for (uint64_t addr = start; addr < end;) {
		uint64_t next = (addr & ~(pmd_size - 1)) + pmd_size;
		if (next > end)
			next = end;
		phys_addr_t pmd_table = user_walk(m, vma->vm_mm, addr, PT_PMD, false, NULL);
		unsigned int pmd_idx = pt_index(m, addr, PT_PMD);
		uint64_t pmd = pmd_table ? pt_read(m, pmd_table, pmd_idx) : 0;
		if (!(pmd & _PAGE_PRESENT)) {
			addr = next;
			continue;
		}
		if (pmd & _PAGE_PSE) {
			/* Mapped whole: the PMD names the head. */
			if (((pmd & f->addr_mask) >> PAGE_SHIFT) == head_pfn &&
			    !fn(m, vma, addr & ~(pmd_size - 1), pmd_table, pmd_idx, true, arg))
				return;
			addr = next;
			continue;
		}
		phys_addr_t table = pmd & f->addr_mask;
		for (; addr < next; addr += PAGE_SIZE) {
			unsigned int idx = pt_index(m, addr, PT_PTE);
			uint64_t pte = pt_read(m, table, idx);
			unsigned long want = head_pfn + (vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT) -
							 head->index);
			if (pte_present(pte) && ((pte & f->addr_mask) >> PAGE_SHIFT) == want &&
			    !fn(m, vma, addr, table, idx, false, arg))
				return;
		}
	}
}

struct referenced_arg {
	int mapcount;		/* mappings still to find */
	int referenced;		/* VMAs that had the page young */
	unsigned long vm_flags;
};

/* What folio_referenced_one() finds in one VMA of a huge page: young entries, and mlock. */
struct referenced_huge_arg {
	struct referenced_arg *pra;
	int referenced;
	bool locked;
};

static bool referenced_huge_entry(struct machine *m, struct vm_area_struct *vma, uint64_t addr,
				  phys_addr_t table, unsigned int idx, bool pmd, void *arg)
{
	struct referenced_huge_arg *rh = arg;
	uint64_t e = pt_read(m, table, idx);

	/* A huge page a locked VMA maps whole: mlock missed it. PTE-mapped ones are not restored. */
	if (pmd && (vma->vm_flags & VM_LOCKED)) {
		rh->locked = true;
		return false;
	}
	if (e & _PAGE_ACCESSED) {
		pt_write(m, table, idx, e & ~_PAGE_ACCESSED);
		if (pmd) {
			/* pmdp_clear_flush_young(): x86 flushes the huge translation, unlike a PTE's. */
			flush_tlb_mm_range(m, vma->vm_mm, addr, addr + pt_level_size(m, PT_PMD));
			rh->referenced++;
		} else if (!(vma->vm_flags & VM_SEQ_READ)) {
			rh->referenced++;
		}
	}
	rh->pra->mapcount--;
	return true;
}

static bool referenced_one(struct machine *m, struct page *page, struct vm_area_struct *vma,
			   uint64_t addr, void *arg)
{
	struct referenced_arg *pra = arg;
	phys_addr_t table;
	unsigned int idx;

	if (PageHead(page)) {
		struct referenced_huge_arg rh = { .pra = pra };
		huge_page_vma_mapped_walk(m, page, vma, referenced_huge_entry, &rh);
		if (rh.locked) {
			pra->vm_flags |= VM_LOCKED;
			return false;
		}
		if (rh.referenced) {
			pra->referenced++;
			pra->vm_flags |= vma->vm_flags & ~VM_LOCKED;
		}
		return pra->mapcount > 0;
	}
	if (!page_vma_mapped(m, page, vma, addr, &table, &idx))
		return true;
	if (vma->vm_flags & VM_LOCKED) {
		/* mlock missed it: reclaim moves it to the unevictable list. */
		pra->vm_flags |= VM_LOCKED;
		return false;
	}
	uint64_t pte = pt_read(m, table, idx);
	int referenced = 0;
	if (pte & _PAGE_ACCESSED) {
		/*
		 * ptep_clear_flush_young() on x86 leaves the TLB alone: a stale
		 * entry only delays the next Accessed bit, it corrupts nothing.
		 */
		pt_write(m, table, idx, pte & ~_PAGE_ACCESSED);
		/* A sequentially read mapping's use is not a reason to keep the page. */
		if (!(vma->vm_flags & VM_SEQ_READ))
			referenced++;
	}
	pra->mapcount--;
	if (referenced) {
		pra->referenced++;
		pra->vm_flags |= vma->vm_flags & ~VM_LOCKED;
	}
	return pra->mapcount > 0;
}

int page_referenced(struct machine *m, struct page *page, unsigned long *vm_flags)
{
	struct referenced_arg pra = { .mapcount = total_mapcount(m, page) };

	*vm_flags = 0;
	if (!pra.mapcount)
		return 0;
	rmap_walk(m, page, referenced_one, &pra);
	*vm_flags = pra.vm_flags;
	return pra.referenced;
}

struct unmap_arg {
	bool failed;
};

static bool try_to_unmap_one(struct machine *m, struct page *page, struct vm_area_struct *vma,
			     uint64_t addr, void *arg)
{
	struct unmap_arg *ua = arg;
	struct mm_struct *mm = vma->vm_mm;
	phys_addr_t table;
	unsigned int idx;

	if (!page_vma_mapped(m, page, vma, addr, &table, &idx))
		return true;
	if (vma->vm_flags & VM_LOCKED) {
		ua->failed = true;
		return false;
	}
	/* ptep_clear_flush(): gone from the tables and from every TLB before anything else. */
	uint64_t pteval = pt_read(m, table, idx);
	pt_write(m, table, idx, 0);
	flush_tlb_page(m, vma, addr);
	if (pteval & _PAGE_DIRTY)
		set_page_dirty(m, page);
	if (PageAnon(page)) {
		swp_entry_t entry = page_swap_entry(page);
		if (!PageSwapBacked(page)) {
			/* MADV_FREE: a clean page with no other user is simply dropped. */
			if (page_ref_count(page) == 1 + page->_mapcount + 1 && !PageDirty(page)) {
				mm->rss_stat[MM_ANONPAGES]--;
				goto discard;
			}
			/* Written again since: it must be kept, and swapped like any other. */
			pt_write(m, table, idx, pteval);
			__SetPageSwapBacked(page);
			ua->failed = true;
			return false;
		}
		if (!PageSwapCache(page) || swap_duplicate(m, entry) < 0) {
			pt_write(m, table, idx, pteval);
			ua->failed = true;
			return false;
		}
		bool anon_exclusive = PageAnonExclusive(page);
		ClearPageAnonExclusive(page);
		mm->rss_stat[MM_ANONPAGES]--;
		mm->rss_stat[MM_SWAPENTS]++;
		uint64_t swp_pte = swp_entry_to_pte(m, entry);
		if (!m->is_32bit) {
			if (anon_exclusive)
				swp_pte |= _PAGE_SWP_EXCLUSIVE;
			if (pteval & _PAGE_SOFT_DIRTY)
				swp_pte |= _PAGE_SWP_SOFT_DIRTY;
		}
		pt_write(m, table, idx, swp_pte);
	} else {
		mm->rss_stat[mm_counter_file(page)]--;
	}
discard:
	page_remove_rmap(m, page, vma, false);
	put_page(m, page);
	return page->_mapcount >= 0;
}

bool try_to_unmap(struct machine *m, struct page *page)
{
	struct unmap_arg ua = { false };

	rmap_walk(m, page, try_to_unmap_one, &ua);
	return page->_mapcount < 0;
}

/* ---- migration's walk: try_to_migrate ------------------------------------------ */

/*
 * try_to_migrate_one(): the PTE of @page in @vma becomes a migration entry
 * naming the page's frame, writable if the PTE was (a writable anonymous
 * page is exclusive by definition), read-only and exclusive if the page
 * was exclusive to this process, read-only otherwise; the PTE's Accessed,
 * Dirty and soft-dirty bits travel in it. The mapping's count and
 * reference go; the process's RSS does not, since the page comes back.
 */
static bool try_to_migrate_one(struct machine *m, struct page *page, struct vm_area_struct *vma,
			       uint64_t addr, void *arg)
{
	phys_addr_t table;
	unsigned int idx;

	(void)arg;
	if (!page_vma_mapped(m, page, vma, addr, &table, &idx))
		return true;
	uint64_t pteval = pt_read(m, table, idx);
	pt_write(m, table, idx, 0);
	flush_tlb_page(m, vma, addr);
	if (pteval & _PAGE_DIRTY)
		set_page_dirty(m, page);
	bool anon_exclusive = PageAnon(page) && PageAnonExclusive(page);
	unsigned int type = swp_migration_read(m) +
			    ((pteval & _PAGE_RW) ? SWP_MIGRATION_WRITE_OFF :
			     anon_exclusive ? SWP_MIGRATION_READ_EXCLUSIVE_OFF : 0);
	/* page_try_share_anon_rmap(): while it moves, no one may take the page as exclusive. */
	if (anon_exclusive)
		ClearPageAnonExclusive(page);
	swp_entry_t entry = make_migration_entry(m, type, page_to_pfn(m, page),
						 pteval & _PAGE_ACCESSED, pteval & _PAGE_DIRTY);
	uint64_t swp_pte = swp_entry_to_pte(m, entry);
	if (!m->is_32bit && (pteval & _PAGE_SOFT_DIRTY))
		swp_pte |= _PAGE_SWP_SOFT_DIRTY;
	pt_write(m, table, idx, swp_pte);
	/*
	 * The mapping goes, but not the mlock: migrate_pages() hands
	 * PG_mlocked to the new page itself, so that no munlock batch holds
	 * a reference on a page whose references are about to be counted.
	 */
	__page_remove_rmap(m, page, false);
	put_page(m, page);
	return page->_mapcount >= 0;
}

bool try_to_migrate(struct machine *m, struct page *page)
{
	rmap_walk(m, page, try_to_migrate_one, NULL);
	return page->_mapcount < 0;
}

/* ---- validator ---------------------------------------------------------------- */

unsigned long anon_vma_verify(struct machine *m, struct vm_area_struct *vma, FILE *out)
{
	unsigned long bad = 0;
	struct list_head *pos;
	bool own = !vma->anon_vma;

	list_for_each(pos, &vma->anon_vma_chain) {
		struct anon_vma_chain *avc = list_entry(pos, struct anon_vma_chain, same_vma);
		if (avc->vma != vma) {
			fprintf(out, "vma %#llx-%#llx: an anon_vma_chain on its list names another VMA\n",
				(unsigned long long)vma->vm_start, (unsigned long long)vma->vm_end);
			bad++;
		}
		if (avc->anon_vma == vma->anon_vma)
			own = true;
		if (avc->anon_vma->root != avc->anon_vma->root->root) {
			fprintf(out, "vma %#llx-%#llx: an anon_vma's root is not a root\n",
				(unsigned long long)vma->vm_start, (unsigned long long)vma->vm_end);
			bad++;
		}
	}
	if (!own) {
		fprintf(out, "vma %#llx-%#llx: no chain links it to its own anon_vma\n",
			(unsigned long long)vma->vm_start, (unsigned long long)vma->vm_end);
		bad++;
	}
	(void)m;
	return bad;
}
