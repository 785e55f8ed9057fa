/* mm.h (internal, library-wide) — what every part of the library uses to talk
 * about memory: the role of the kernel's linux/mm.h, linux/mmzone.h and the
 * internal half of linux/gfp.h.
 *
 * pfn <-> struct page <-> physical <-> virtual conversions, the GFP-to-zone
 * mapping, and the mm entry points that boot (arch/x86/kernel/setup.c),
 * /proc and verify call. What only mm/ files share lives in mm/internal.h. */
#ifndef MMSIM_MM_H
#define MMSIM_MM_H

#include <stdio.h>


#include "arch/x86/pgtable.h"
#include "machine.h"
#include "mm_types.h"
#include "uapi_mman.h"

#define MAX_DMA_PFN		(SZ_16M >> PAGE_SHIFT)
#define MAX_DMA32_PFN		(1UL << (32 - PAGE_SHIFT))

/*
 * The host's mem_map is written lazily, a MAX_ORDER block at a time
 * (mm/mm_init.c): a block nothing has looked at yet is all reserved pages
 * (what memmap_init() leaves) or one free block that boot gave the buddy
 * allocator, and pfn_to_page() writes its struct pages the first time
 * anything asks for one of them. Walkers that only read skip such blocks
 * with memmap_block_lazy() instead of initialising the whole machine.
 */
enum memmap_state {
	MEMMAP_READY,		/* struct pages written and live */
	MEMMAP_HELD,		/* written; a free block still held by a run of the free list */
	MEMMAP_LAZY,		/* untouched: every page reserved, as memmap_init() leaves it */
	MEMMAP_LAZY_FREE,	/* untouched: a free MAX_ORDER block held by a run */
};
#define MEMMAP_BLOCK_SHIFT	(MAX_ORDER - 1)

void memmap_init_block(struct machine *m, unsigned long pfn);

static inline enum memmap_state memmap_block_state(const struct machine *m, unsigned long pfn)
{
	return (enum memmap_state)m->memmap_state[pfn >> MEMMAP_BLOCK_SHIFT];
}

/* The block holding @pfn has no struct pages written yet. */
static inline bool memmap_block_lazy(const struct machine *m, unsigned long pfn)
{
	return memmap_block_state(m, pfn) >= MEMMAP_LAZY;
}

static inline struct page *pfn_to_page(struct machine *m, unsigned long pfn)
{
	if (unlikely(memmap_block_lazy(m, pfn)))
		memmap_init_block(m, pfn);
	return m->mem_map + pfn;
}

/*
 * For a pfn in the same MAX_ORDER block as a page in hand (a buddy, a
 * tail page): its struct page is written already.
 */
static inline struct page *pfn_to_page_in_block(struct machine *m, unsigned long pfn)
{
	return m->mem_map + pfn;
}

static inline unsigned long page_to_pfn(const struct machine *m, const struct page *page)
{
	return (unsigned long)(page - m->mem_map);
}

static inline struct zone *page_zone(struct machine *m, const struct page *page)
{
	return &m->node.node_zones[page_zonenum(page)];
}

/* A pfn with a struct page that describes memory (sections present). */
bool pfn_valid(const struct machine *m, unsigned long pfn);
/* The subsection holding @pfn has memory (SPARSEMEM_VMEMMAP's pfn_to_online_page()). */
bool pfn_to_online_page_valid(const struct machine *m, unsigned long pfn);
#define PAGES_PER_SUBSECTION	(1UL << (21 - PAGE_SHIFT))

static inline bool is_highmem_idx(const struct machine *m, enum zone_type idx)
{
	return m->node.node_zones[idx].is_highmem;
}

static inline bool PageHighMem(struct machine *m, const struct page *page)
{
	return page_zone(m, page)->is_highmem;
}

/* The direct map: __pa / __va for lowmem. */
static inline kaddr_t __va(const struct machine *m, phys_addr_t phys)
{
	return m->page_offset + phys;
}

static inline phys_addr_t __pa(const struct machine *m, kaddr_t vaddr)
{
	return vaddr - m->page_offset;
}

/* Virtual address of a lowmem page in the direct map. */
static inline kaddr_t lowmem_page_address(const struct machine *m, const struct page *page)
{
	return __va(m, PFN_PHYS(page_to_pfn(m, page)));
}

/*
 * page_address(): the kernel virtual address of a page: the direct map for
 * lowmem, its pkmap slot while a HighMem page is kmapped, 0 otherwise.
 */
kaddr_t page_address(struct machine *m, const struct page *page);

/* Host pointer to the simulated frame's bytes. */
static inline void *page_host_address(struct machine *m, const struct page *page)
{
	return m->ram + PFN_PHYS(page_to_pfn(m, page));
}

/* gfp_zone(): highest zone index the request may use, -1 for a bad combination. */
static inline int gfp_zone(const struct machine *m, gfp_t gfp)
{
	return m->gfp_zone_table[gfp & GFP_ZONEMASK];
}


/* count_vm_event(): one more of a /proc/vmstat event. */
static inline void count_vm_event(struct machine *m, enum vm_event_item item)
{
	m->events.event[item]++;
}

static inline void count_vm_events(struct machine *m, enum vm_event_item item, unsigned long n)
{
	m->events.event[item] += n;
}

/* ---- page flags the user-memory code uses (include/linux/page-flags.h) ---------------- */

/* An anonymous page only one mm may map (6.1); the bit doubles as PG_mappedtodisk. */
#define PG_anon_exclusive	PG_mappedtodisk
/* A swap-backed page in the swap cache (shares the bit with PG_owner_priv_1). */
#define PG_swapcache		PG_owner_priv_1
/* Every PG_ flag: what a freed page must lose (the zone bits above stay). */
#define PAGEFLAGS_MASK		((1UL << __NR_PAGEFLAGS) - 1)

#define PAGEFLAG_FNS(name, bit)								\
static inline bool Page##name(const struct page *page)					\
{											\
	return page->flags & (1UL << (bit));						\
}											\
static inline void __SetPage##name(struct page *page)					\
{											\
	page->flags |= 1UL << (bit);							\
}											\
static inline void __ClearPage##name(struct page *page)					\
{											\
	page->flags &= ~(1UL << (bit));							\
}

PAGEFLAG_FNS(LRU, PG_lru)
PAGEFLAG_FNS(Active, PG_active)
PAGEFLAG_FNS(Referenced, PG_referenced)
PAGEFLAG_FNS(Uptodate, PG_uptodate)
PAGEFLAG_FNS(Dirty, PG_dirty)
PAGEFLAG_FNS(Unevictable, PG_unevictable)
PAGEFLAG_FNS(Mlocked, PG_mlocked)
PAGEFLAG_FNS(SwapBacked, PG_swapbacked)
PAGEFLAG_FNS(Writeback, PG_writeback)
PAGEFLAG_FNS(Readahead, PG_reclaim)
PAGEFLAG_FNS(Reclaim, PG_reclaim)
PAGEFLAG_FNS(Workingset, PG_workingset)
PAGEFLAG_FNS(Locked, PG_locked)

static inline bool PageHead(const struct page *page)
{
	return page->flags & (1UL << PG_head);
}

static inline bool PageTail(const struct page *page)
{
	return page->compound_head_off != 0;
}

static inline bool PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}

static inline bool PageTransCompound(const struct page *page)
{
	return PageCompound(page);
}

static inline struct page *compound_head(struct page *page)
{
	return page - page->compound_head_off;
}

/* A huge page's PMD map count: -1 unmapped (kept in the first tail page). */
static inline int compound_mapcount(const struct page *head)
{
	return (int)(long)head[1].private;
}

static inline void compound_mapcount_set(struct page *head, int v)
{
	head[1].private = (unsigned long)(long)v;
}

static inline bool PageAnon(const struct page *page)
{
	const struct page *head = page - page->compound_head_off;

	return (uintptr_t)head->mapping & PAGE_MAPPING_ANON;
}

static inline struct anon_vma *page_anon_vma(const struct page *page)
{
	const struct page *head = page - page->compound_head_off;
	uintptr_t v = (uintptr_t)head->mapping;

	return (v & PAGE_MAPPING_ANON) ? (struct anon_vma *)(v & ~(uintptr_t)3) : NULL;
}

/* The page cache's address_space of a file page, or NULL. */
static inline struct address_space *page_mapping(const struct page *page)
{
	const struct page *head = page - page->compound_head_off;
	uintptr_t v = (uintptr_t)head->mapping;

	return (v & PAGE_MAPPING_ANON) ? NULL : (struct address_space *)v;
}

static inline bool PageAnonExclusive(const struct page *page)
{
	return page->flags & (1UL << PG_anon_exclusive);
}

static inline void SetPageAnonExclusive(struct page *page)
{
	page->flags |= 1UL << PG_anon_exclusive;
}

static inline void ClearPageAnonExclusive(struct page *page)
{
	page->flags &= ~(1UL << PG_anon_exclusive);
}

static inline bool PageSwapCache(const struct page *page)
{
	return PageSwapBacked(page) && (page->flags & (1UL << PG_swapcache));
}

static inline bool PageTable(const struct page *page)
{
	return (page->page_type & (PAGE_TYPE_BASE | PG_table)) == PAGE_TYPE_BASE;
}

static inline void __SetPageTable(struct page *page)
{
	page->page_type &= ~PG_table;
}

static inline void __ClearPageTable(struct page *page)
{
	page->page_type |= PG_table;
}

static inline void get_page(struct page *page)
{
	compound_head(page)->_refcount++;
}

/* Pages in the compound page @page heads (1 for an ordinary page). */
static inline unsigned long page_nr_pages(const struct machine *m, const struct page *page)
{
	(void)m;
	return PageHead(page) ? 1UL << page->alloc_order : 1;
}

/* page_mapcount(): the PTEs mapping this page, plus the PMDs mapping its huge page. */
static inline int page_mapcount(struct page *page)
{
	int n = page->_mapcount + 1;

	if (PageCompound(page))
		n += compound_mapcount(compound_head(page)) + 1;
	return n;
}

/*
 * total_mapcount() (6.1's folio_mapcount): the mappings of @page — for the
 * head of a huge page, its PMD mappings plus every PTE that maps one of its
 * pages.
 */
static inline int total_mapcount(const struct machine *m, const struct page *page)
{
	if (!PageHead(page))
		return page->_mapcount + 1;
	int n = compound_mapcount(page) + 1;
	for (unsigned long i = 0; i < page_nr_pages(m, page); i++)
		n += page[i]._mapcount + 1;
	return n;
}

static inline uint64_t pte_pfn(const struct machine *m, uint64_t pte)
{
	return (pte & pt_format(m)->addr_mask) >> PAGE_SHIFT;
}

/* pmd_page(): the head page a huge PMD maps. */
static inline struct page *pmd_page(struct machine *m, uint64_t pmd)
{
	return pfn_to_page(m, (unsigned long)pte_pfn(m, pmd));
}

/* pfn_pte(): a PTE of @pfn with @prot; i386 without PAE has no NX bit to keep. */
static inline uint64_t pfn_pte(const struct machine *m, unsigned long pfn, pgprot_t prot)
{
	uint64_t e = PFN_PHYS(pfn) | prot;

	return m->is_32bit ? e & ~_PAGE_NX : e;
}

/* pte_present(): mapped, or PROT_NONE (not present to the CPU, but still the page's). */
#define _PAGE_PROTNONE		0x100ULL	/* = _PAGE_GLOBAL, which user PTEs never use */
static inline bool pte_present(uint64_t pte)
{
	return pte & (0x001ULL | _PAGE_PROTNONE);
}

/*
 * Swap PTEs: not present and not empty, they say where in swap the page
 * went — a swap type (which swap area) and an offset (which slot). The
 * encoding is the page-table format's own:
 *   i386, 2-level (pgtable-2level.h): type in bits 1-5, offset from bit 9;
 *     bits 0 (present) and 8 (PROT_NONE) stay clear.
 *   x86_64 (pgtable_64.h): type in bits 59-63, the offset *inverted* in
 *     bits 9-58 (L1TF: a stale swap PTE the CPU speculates through then
 *     points at no memory that exists). Bit 1 carries soft-dirty across
 *     swap (_PAGE_SWP_SOFT_DIRTY) and bit 3 that the page was exclusive to
 *     this process (_PAGE_SWP_EXCLUSIVE, 6.1 has it on 64-bit only).
 */
#define SWP_TYPE_BITS		5
#define _PAGE_SWP_SOFT_DIRTY	0x002ULL	/* x86_64 */
#define _PAGE_SWP_EXCLUSIVE	0x008ULL	/* x86_64 */

typedef struct {
	unsigned int type;
	unsigned long offset;
} swp_entry_t;

static inline swp_entry_t swp_entry(unsigned int type, unsigned long offset)
{
	return (swp_entry_t){ type, offset };
}

static inline bool is_swap_pte(uint64_t pte)
{
	return pte && !pte_present(pte);
}

static inline uint64_t swp_entry_to_pte(const struct machine *m, swp_entry_t e)
{
	if (m->is_32bit)
		return ((uint64_t)(e.type & ((1U << SWP_TYPE_BITS) - 1)) << 1) |
		       ((uint64_t)e.offset << 9);
	return ((~(uint64_t)e.offset << (9 + SWP_TYPE_BITS)) >> SWP_TYPE_BITS) |
	       ((uint64_t)e.type << (64 - SWP_TYPE_BITS));
}

static inline swp_entry_t pte_to_swp_entry(const struct machine *m, uint64_t pte)
{
	if (m->is_32bit)
		return swp_entry((unsigned int)(pte >> 1) & ((1U << SWP_TYPE_BITS) - 1),
				 (unsigned long)((uint32_t)pte >> 9));
	return swp_entry((unsigned int)(pte >> (64 - SWP_TYPE_BITS)),
			 (unsigned long)((~pte << SWP_TYPE_BITS) >> (9 + SWP_TYPE_BITS)));
}

/* The largest offset a swap PTE of this format can hold, plus one: 2^23 or 2^50 slots. */
static inline unsigned long swp_offset_limit(const struct machine *m)
{
	return m->is_32bit ? 1UL << 23 : 1UL << 50;
}

static inline bool pte_swp_exclusive(const struct machine *m, uint64_t pte)
{
	return !m->is_32bit && (pte & _PAGE_SWP_EXCLUSIVE);
}

static inline bool pte_swp_soft_dirty(const struct machine *m, uint64_t pte)
{
	return !m->is_32bit && (pte & _PAGE_SWP_SOFT_DIRTY);
}

/* ---- page-table pages and their GFP (include/asm-generic/pgalloc.h) ------------------ */
#define GFP_PGTABLE_KERNEL	(GFP_KERNEL | __GFP_ZERO)
#define GFP_PGTABLE_USER	(GFP_PGTABLE_KERNEL | __GFP_ACCOUNT)

/* ---- user address spaces: mm/mmap.c, memory.c, rmap.c, swap.c ... --------------------- */

struct file;
struct task_struct;

/* IS_ERR_VALUE() for the int64_t address-or-errno results. */
#define IS_ERR_ADDR(x)	((int64_t)(x) < 0 && (int64_t)(x) >= -4095)

/* mm/mmap.c */
struct vm_area_struct *vm_area_alloc(struct machine *m, struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct machine *m, struct vm_area_struct *orig);
void vm_area_free(struct machine *m, struct vm_area_struct *vma);
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
void unlink_file_vma(struct machine *m, struct vm_area_struct *vma);
struct vm_area_struct *find_vma(struct mm_struct *mm, uint64_t addr);
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, uint64_t addr,
				     struct vm_area_struct **pprev);
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, uint64_t start, uint64_t end);
/* The lowest address the VMA keeps others away from (its start, minus the guard gap for a stack). */
uint64_t vma_start_gap(const struct vm_area_struct *vma);
bool is_data_mapping(unsigned long flags);
void vm_stat_account(struct mm_struct *mm, unsigned long flags, long npages);
bool may_expand_vm(struct machine *m, struct mm_struct *mm, unsigned long flags,
		   unsigned long npages);
int mlock_future_check(struct machine *m, struct mm_struct *mm, unsigned long flags, uint64_t len);
struct vm_area_struct *vma_merge(struct machine *m, struct mm_struct *mm,
				 struct vm_area_struct *prev, uint64_t addr, uint64_t end,
				 unsigned long vm_flags, struct anon_vma *anon_vma,
				 struct file *file, unsigned long pgoff);
int __split_vma(struct machine *m, struct mm_struct *mm, struct vm_area_struct *vma,
		uint64_t addr, bool new_below);
int split_vma(struct machine *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr,
	      bool new_below);
/* An address for a new mapping of @len (or @addr itself with MAP_FIXED), or -errno. */
int64_t get_unmapped_area(struct machine *m, struct file *file, uint64_t addr, uint64_t len,
			  unsigned long pgoff, unsigned long flags);
int64_t mmap_region(struct machine *m, struct file *file, uint64_t addr, uint64_t len,
		    unsigned long vm_flags, unsigned long pgoff);
/* do_mmap(): current's mm; *populate is the length to fault in afterwards (MAP_POPULATE). */
int64_t do_mmap(struct machine *m, struct file *file, uint64_t addr, uint64_t len,
		unsigned long prot, unsigned long flags, unsigned long pgoff, uint64_t *populate);
int do_munmap(struct machine *m, struct mm_struct *mm, uint64_t start, uint64_t len);
int __mm_populate(struct machine *m, uint64_t start, uint64_t len, bool ignore_errors);
int vm_brk_flags(struct machine *m, uint64_t addr, uint64_t request, unsigned long flags);
/* brk(2): the new break, or the old one when the request is refused. */
uint64_t sys_brk(struct machine *m, uint64_t brk);
int expand_downwards(struct machine *m, struct vm_area_struct *vma, uint64_t address);
/* The VMA a fault at @addr belongs to, growing a stack to it; NULL if none. */
struct vm_area_struct *find_extend_vma(struct machine *m, struct mm_struct *mm, uint64_t addr);
void vma_set_page_prot(struct machine *m, struct vm_area_struct *vma);
struct vm_area_struct *copy_vma(struct machine *m, struct vm_area_struct **vmap, uint64_t addr,
				uint64_t len, unsigned long pgoff);
int insert_stack_vma(struct machine *m, struct mm_struct *mm, struct vm_area_struct *vma);
void exit_mmap(struct machine *m, struct mm_struct *mm);
/* validate_mm(): one line per problem found in the mm's VMAs; returns how many. */
unsigned long mmap_verify(struct machine *m, struct mm_struct *mm, int pid, FILE *out);

/*
 * A special mapping ([vdso], [vvar]): a named VMA whose pages come from
 * @pages, or from @fault when it is set.
 */
struct vm_special_mapping {
	const char *name;
	struct page **pages;
	unsigned long nr_pages;
	vm_fault_t (*fault)(const struct vm_special_mapping *sm, struct vm_fault *vmf);
	int (*mremap)(const struct vm_special_mapping *sm, struct vm_area_struct *new_vma);
};
struct vm_area_struct *_install_special_mapping(struct machine *m, struct mm_struct *mm,
						uint64_t addr, uint64_t len, unsigned long vm_flags,
						const struct vm_special_mapping *spec, int *err);
bool vma_is_special_mapping(const struct vm_area_struct *vma, const struct vm_special_mapping *sm);

/* arch/x86/mmap.c: the user address space's shape */
uint64_t arch_task_size(const struct machine *m);	/* TASK_SIZE (= STACK_TOP_MAX here) */
uint64_t arch_unmapped_base(const struct machine *m);	/* TASK_UNMAPPED_BASE */
uint64_t arch_et_dyn_base(const struct machine *m);	/* ELF_ET_DYN_BASE */
void arch_pick_mmap_layout(struct machine *m, struct mm_struct *mm, uint64_t rlim_stack);
pgprot_t vm_get_page_prot(const struct machine *m, unsigned long vm_flags);
unsigned long vm_data_default_flags(const struct task_struct *t);

/* mm/util.c: mmap from inside the kernel (exec) */
int64_t vm_mmap(struct machine *m, struct file *file, uint64_t addr, uint64_t len,
		unsigned long prot, unsigned long flags, uint64_t offset);
int vm_munmap(struct machine *m, uint64_t start, uint64_t len);
unsigned long vm_memory_committed(struct machine *m);
void init_vm_reserves(struct machine *m);
static inline unsigned long total_swap_pages(const struct machine *m)
{
	return m->total_swap_pages;
}
/* get_nr_swap_pages(): the free swap slots (SwapFree, "Free swap" in show_mem). */
static inline long get_nr_swap_pages(const struct machine *m)
{
	return m->nr_swap_pages;
}

/* mm/mprotect.c, mlock.c, madvise.c, mremap.c, msync.c: the system calls */

/*
 * A value the system call computes in the task's unsigned long: i386's is
 * 32 bits, so PAGE_ALIGN(len) and start + len wrap at 4 GiB there — and
 * the kernel's "end <= start" and "len_in && !len" checks then refuse the
 * call. Computed in 64 bits instead, a length of 0xfffff001 became 4 GiB
 * and mprotect() changed every VMA from start up before it failed.
 */
static inline uint64_t user_ulong(const struct machine *m, uint64_t v)
{
	return m->is_32bit ? (uint32_t)v : v;
}

int mprotect_fixup(struct machine *m, struct vm_area_struct *vma, struct vm_area_struct **pprev,
		   uint64_t start, uint64_t end, unsigned long newflags);
int do_mprotect(struct machine *m, uint64_t start, uint64_t len, unsigned long prot);
int do_mlock(struct machine *m, uint64_t start, uint64_t len, unsigned long flags);
int do_munlock(struct machine *m, uint64_t start, uint64_t len);
int do_mlockall(struct machine *m, int flags);
int do_munlockall(struct machine *m);
int do_madvise(struct machine *m, uint64_t start, uint64_t len_in, int behavior);
int64_t sys_mremap(struct machine *m, uint64_t addr, uint64_t old_len, uint64_t new_len,
		   unsigned long flags, uint64_t new_addr);
int sys_msync(struct machine *m, uint64_t start, uint64_t len, int flags);
bool vma_wants_writenotify(const struct machine *m, const struct vm_area_struct *vma);
/* exec's stack: grow @vma down to @start without limits; cut its end to @end. */
void vma_adjust_bounds(struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
		       uint64_t end, unsigned long pgoff);
/* Move the PTEs of [old, old+len) to new (mremap, exec's stack shift). Bytes moved. */
uint64_t move_page_range(struct machine *m, struct vm_area_struct *vma, uint64_t old_addr,
			 uint64_t new_addr, uint64_t len);
void deactivate_page(struct machine *m, struct page *page);
void mark_page_lazyfree(struct machine *m, struct page *page);

/* mm/memory.c */
void sync_mm_rss(struct machine *m, struct mm_struct *mm);
/* A fault handler maps a raw frame (VM_PFNMAP: [vvar]); VM_FAULT_NOPAGE. */
vm_fault_t vmf_insert_pfn(struct vm_fault *vmf, unsigned long pfn);
/* Map a page-cache page at @addr of the fault's PTE table (fault-around and finish_fault). */
void set_pte_range(struct vm_fault *vmf, struct page *page, uint64_t addr, bool write);
vm_fault_t handle_mm_fault(struct machine *m, struct vm_area_struct *vma, uint64_t address,
			   unsigned int flags, bool from_user);
struct page *vm_normal_page(struct machine *m, struct vm_area_struct *vma, uint64_t addr,
			    uint64_t pte);
bool is_zero_pfn(const struct machine *m, unsigned long pfn);
/* get_user_pages_remote() of one page of @mm: its physical address, faulted in. 0 or -errno. */
int get_user_page_remote(struct machine *m, struct mm_struct *mm, uint64_t addr, bool write,
			 phys_addr_t *pa);
/* access_remote_vm(): copy to or from @mm's memory; bytes done, or -errno if none. */
long access_remote_vm(struct machine *m, struct mm_struct *mm, uint64_t addr, void *buf,
		      size_t len, bool write);
/* The PTE mapping @addr (a huge PMD reported as its 4K piece); false if none. */
bool follow_pte(struct machine *m, struct mm_struct *mm, uint64_t addr, uint64_t *pte);
/* The table holding @addr's entry at @target (PT_PMD or PT_PTE); 0 if missing. */
phys_addr_t user_walk(struct machine *m, struct mm_struct *mm, uint64_t addr,
		      enum pt_level target, bool alloc, bool *oom);
/* A range walk found no PMD entry at @addr: where the missing level's span ends (at most @end). */
uint64_t pt_hole_end(struct machine *m, struct mm_struct *mm, uint64_t addr, uint64_t end);
long populate_vma_page_range(struct machine *m, struct vm_area_struct *vma, uint64_t start,
			     uint64_t end);
int copy_page_range(struct machine *m, struct vm_area_struct *dst_vma,
		    struct vm_area_struct *src_vma);
void zap_page_range_single(struct machine *m, struct vm_area_struct *vma, uint64_t start,
			   uint64_t size);
void clear_user_highpage(struct machine *m, struct page *page);
void copy_user_highpage(struct machine *m, struct page *to, struct page *from);
struct page *alloc_zeroed_user_highpage_movable(struct machine *m, struct vm_area_struct *vma);
void flush_tlb_page(struct machine *m, struct vm_area_struct *vma, uint64_t addr);

/*
 * struct mmu_gather: what an unmap cleared, held until the TLBs are
 * flushed — only then may the pages and page tables be freed.
 */
#define MMU_GATHER_BUNDLE	512
#define MMU_GATHER_TABLES	64
struct mmu_gather {
	struct machine *m;
	struct mm_struct *mm;
	bool fullmm;			/* the whole mm goes (exit) */
	uint64_t start, end;		/* the range whose TLB entries must go */
	unsigned int nr, nr_tables;
	struct page *pages[MMU_GATHER_BUNDLE];
	phys_addr_t tables[MMU_GATHER_TABLES];
};
void tlb_gather_mmu(struct mmu_gather *tlb, struct machine *m, struct mm_struct *mm, bool fullmm);
void tlb_flush_mmu(struct mmu_gather *tlb);
void tlb_finish_mmu(struct mmu_gather *tlb);
void unmap_vmas(struct mmu_gather *tlb, struct vm_area_struct *vma, uint64_t start, uint64_t end);
void free_pgd_range(struct mmu_gather *tlb, uint64_t addr, uint64_t end, uint64_t floor,
		    uint64_t ceiling);
void free_pgtables(struct mmu_gather *tlb, struct vm_area_struct *vma, uint64_t floor,
		   uint64_t ceiling);

/* mm/pagewalk.c: the entries mapping a range of one VMA, top-down, skipping missing tables */
struct mm_walk;
struct mm_walk_ops {
	/* A huge PMD (a THP, or the huge zero page) mapping [addr, addr + PMD size). */
	void (*pmd_entry)(struct mm_walk *walk, uint64_t addr, uint64_t pmd);
	/* A PTE that is not empty: present, PROT_NONE, or a swap entry. */
	void (*pte_entry)(struct mm_walk *walk, uint64_t addr, uint64_t pte);
};
struct mm_walk {
	struct machine *m;
	struct vm_area_struct *vma;
	const struct mm_walk_ops *ops;
	void *private;
};
void walk_page_range_vma(struct machine *m, struct vm_area_struct *vma, uint64_t start,
			 uint64_t end, const struct mm_walk_ops *ops, void *private);

/* mm/rmap.c */
int __anon_vma_prepare(struct machine *m, struct vm_area_struct *vma);
static inline int anon_vma_prepare(struct machine *m, struct vm_area_struct *vma)
{
	return vma->anon_vma ? 0 : __anon_vma_prepare(m, vma);
}
int anon_vma_clone(struct machine *m, struct vm_area_struct *dst, struct vm_area_struct *src);
int anon_vma_fork(struct machine *m, struct vm_area_struct *vma, struct vm_area_struct *pvma);
void unlink_anon_vmas(struct machine *m, struct vm_area_struct *vma);
void page_add_new_anon_rmap(struct machine *m, struct page *page, struct vm_area_struct *vma,
			    uint64_t addr, bool compound);
void page_add_anon_rmap(struct machine *m, struct page *page, struct vm_area_struct *vma,
			uint64_t addr, bool exclusive);
void page_add_file_rmap(struct machine *m, struct page *page);
static inline void page_dup_file_rmap(struct machine *m, struct page *page)
{
	(void)m;
	page->_mapcount++;
}
void page_remove_rmap(struct machine *m, struct page *page, struct vm_area_struct *vma,
		      bool compound);
int page_try_dup_anon_rmap(struct machine *m, struct page *page, bool compound,
			   struct vm_area_struct *src_vma);
void page_move_anon_rmap(struct page *page, struct vm_area_struct *vma);
/*
 * Visit every VMA of the page's anon_vma that covers its offset (any of a
 * huge page's offsets, for its head), with the address of the page there
 * (of its first page inside the VMA); returns how many.
 */
unsigned int rmap_walk_anon(struct machine *m, struct page *page,
			    bool (*visit)(struct machine *m, struct page *page,
					  struct vm_area_struct *vma, uint64_t addr, void *arg),
			    void *arg);
/*
 * rmap_walk(): visit every VMA that may map @page — through its anon_vma,
 * or its file's i_mmap — with the address the page would have there, until
 * @visit returns false.
 */
void rmap_walk(struct machine *m, struct page *page,
	       bool (*visit)(struct machine *m, struct page *page, struct vm_area_struct *vma,
			     uint64_t addr, void *arg),
	       void *arg);
/*
 * page_vma_mapped_walk() for a huge page: every entry of @vma that maps part
 * of the huge page @head — its PMD (@pmd true), or a PTE of one of its pages
 * — given to @fn with its table, index and address, until @fn returns false.
 */
void huge_page_vma_mapped_walk(struct machine *m, struct page *head, struct vm_area_struct *vma,
			       bool (*fn)(struct machine *m, struct vm_area_struct *vma, uint64_t addr,
					  phys_addr_t table, unsigned int idx, bool pmd, void *arg),
			       void *arg);
unsigned long anon_vma_verify(struct machine *m, struct vm_area_struct *vma, FILE *out);

/* mm/swap.c */
#define PAGEVEC_SIZE	15
int lru_batches_init(struct machine *m);
void lru_batches_release(struct machine *m);
void put_page(struct machine *m, struct page *page);
void release_pages(struct machine *m, struct page **pages, unsigned int nr);
void lru_cache_add(struct machine *m, struct page *page);
void lru_cache_add_inactive_or_unevictable(struct machine *m, struct page *page,
					   struct vm_area_struct *vma);
void lru_add_drain(struct machine *m);
void lru_add_drain_cpu(struct machine *m, unsigned int cpu);
void lru_add_drain_all(struct machine *m);
void mark_page_accessed(struct machine *m, struct page *page);
void mlock_page(struct machine *m, struct page *page);
void munlock_page(struct machine *m, struct page *page);
void munlock_vma_page(struct machine *m, struct page *page, struct vm_area_struct *vma,
		      bool compound);
unsigned long lru_verify(struct machine *m, FILE *out);
/* Onto the head of (or off) the list its flags name, the counters with it (reclaim's isolation). */
void lruvec_add_page(struct machine *m, struct page *page);
void lruvec_del_page(struct machine *m, struct page *page);
void rotate_reclaimable_page(struct machine *m, struct page *page);

/* mm/mm_verify.c: every process's address space, map counts and RSS, and (swap_verify) the swap slots its swap PTEs name. */
unsigned long mm_verify(struct machine *m, FILE *out);

/* mm/mlock.c: does a VM_LOCKED VMA other than the caller's still map the page? */
bool page_mlocked_elsewhere(struct machine *m, struct page *page);

/* mm/util.c: overcommit (the kernel's __vm_enough_memory and friends) */
#define OVERCOMMIT_GUESS	0
#define OVERCOMMIT_ALWAYS	1
#define OVERCOMMIT_NEVER	2
int security_vm_enough_memory_mm(struct machine *m, struct mm_struct *mm, unsigned long pages);
void vm_unacct_memory(struct machine *m, unsigned long pages);
unsigned long vm_commit_limit(struct machine *m);
/* vm.overcommit_memory = @policy (0, 1, 2). */
void overcommit_policy_set(struct machine *m, int policy);

static inline int mm_counter_file(const struct page *page)
{
	return PageSwapBacked(page) ? MM_SHMEMPAGES : MM_FILEPAGES;
}

static inline int mm_counter(const struct page *page)
{
	return PageAnon(page) ? MM_ANONPAGES : mm_counter_file(page);
}

/* page_evictable(): not mlocked (and not on an unevictable mapping, later). */
static inline bool page_evictable(const struct page *page)
{
	return !PageMlocked(page);
}

/* mm/vmscan.c: kswapd, woken by allocations below the low watermark */
void wakeup_kswapd(struct machine *m, struct zone *zone, gfp_t gfp_flags, int order,
		   int highest_zoneidx);
/* Run kswapd if it was woken: the points where a woken kernel thread gets the CPU. */
void kswapd_run_pending(struct machine *m);

/* mm/oom_kill.c (the rest of the OOM killer's interface is mm/oom.h) */
#define OOM_SCORE_ADJ_MIN	(-1000)
#define OOM_SCORE_ADJ_MAX	1000
long oom_badness(struct machine *m, struct task_struct *t, unsigned long totalpages);

/*
 * lib/show_mem.c: the "Mem-Info:" report (OOM, allocation failures):
 * __show_free_areas() (mm/page_alloc.c) for the zones up to
 * @max_zone_idx, then the page totals.
 */
#define SHOW_MEM_FILTER_NODES	0x0001u	/* only the nodes current may use */
void __show_mem(struct machine *m, unsigned int filter, int max_zone_idx);
void __show_free_areas(struct machine *m, unsigned int filter, int max_zone_idx);

/* mm/huge_memory.c (transparent huge pages) */
/* Pages in a PMD-sized huge page: 512 (2 MiB) on x86_64, 1024 (4 MiB) on i386. */
static inline unsigned int thp_nr_pages(const struct machine *m)
{
	return m->is_32bit ? 1024 : 512;
}
bool transhuge_vma_suitable(struct machine *m, struct vm_area_struct *vma, uint64_t addr);
bool hugepage_vma_check(struct machine *m, struct vm_area_struct *vma, unsigned long vm_flags,
			bool smaps, bool in_pf);
vm_fault_t do_huge_pmd_anonymous_page(struct vm_fault *vmf);
vm_fault_t do_huge_pmd_wp_page(struct vm_fault *vmf);
void huge_pmd_set_accessed(struct vm_fault *vmf);
void zap_huge_pmd(struct mmu_gather *tlb, struct vm_area_struct *vma, phys_addr_t pmd_table,
		  unsigned int pmd_idx, uint64_t addr);
void __split_huge_pmd(struct machine *m, struct vm_area_struct *vma, phys_addr_t pmd_table,
		      unsigned int pmd_idx, uint64_t haddr);
int copy_huge_pmd(struct machine *m, struct vm_area_struct *dst_vma,
		  struct vm_area_struct *src_vma, phys_addr_t pmd_table, unsigned int pmd_idx,
		  uint64_t addr, bool *flush);
/* Split the huge PMDs that [start, end) would cut through (a split or merge is coming). */
void vma_adjust_trans_huge(struct machine *m, struct vm_area_struct *vma, uint64_t start,
			   uint64_t end);
void deferred_split_huge_page(struct machine *m, struct page *head);
/*
 * can_split_folio(): nothing but its mappings, the caller's reference and
 * the swap cache's (counted in *@extra_pins, if not NULL) holds @head.
 */
bool can_split_folio(struct machine *m, struct page *head, int *extra_pins);
/*
 * split_huge_page_to_list(): turn the huge page @page belongs to into
 * ordinary pages, each mapped where it was; the caller's reference stays
 * with @page, subpages nothing maps are freed. The tails go onto the LRU
 * after the head, or onto @list (each with a reference) when the head was
 * isolated from it. 0, or -EBUSY if something else holds the page.
 */
int split_huge_page_to_list(struct machine *m, struct page *page, struct list_head *list);
static inline int split_huge_page(struct machine *m, struct page *page)
{
	return split_huge_page_to_list(m, page, NULL);
}
/* The deferred split queue's shrinker (shrink_slab() runs it): its length, and a scan. */
unsigned long deferred_split_count(struct machine *m);
unsigned long deferred_split_scan(struct machine *m, unsigned long nr_to_scan);
/* mm/vmscan.c: shrink_slab() — every shrinker, a share of its objects by @priority. */
#define SHRINK_STOP	(~0UL - 1)
unsigned long shrink_slab(struct machine *m, int priority);
void free_transhuge_page(struct machine *m, struct page *head);
/* The huge zero page's first pfn, or 0 if it was never needed. */
unsigned long huge_zero_pfn(const struct machine *m);
int thp_init(struct machine *m);
void thp_release(struct machine *m);
bool thp_enabled(const struct machine *m);
/* /sys/kernel/mm/transparent_hugepage/{enabled,defrag,use_zero_page,hpage_pmd_size}. */
bool thp_sysfs_present(const struct machine *m);
void thp_enabled_show(struct machine *m, FILE *out);
void thp_defrag_show(struct machine *m, FILE *out);
void thp_use_zero_page_show(struct machine *m, FILE *out);
void thp_hpage_pmd_size_show(struct machine *m, FILE *out);
bool is_huge_zero_pmd(const struct machine *m, uint64_t pmd);
void mm_put_huge_zero_page(struct machine *m, struct mm_struct *mm);
unsigned long thp_split_queue_len(const struct machine *m);

/* ---- mm/mm_init.c: zone sizing and memmap --------------------------------- */
void free_area_init(struct machine *m, const unsigned long *max_zone_pfn);
/* Pages in [start_pfn, end_pfn) that are memory (memblock.memory). */
unsigned long memblock_present_pages(const struct machine *m, unsigned long start_pfn,
				     unsigned long end_pfn);

/* ---- mm/page_alloc.c: what boot and the sysctl handlers run ---------------- */
void build_all_zonelists(struct machine *m);
void build_gfp_zone_table(struct machine *m);
/* Free [start_pfn, end_pfn) at boot in maximal aligned blocks. */
void free_pfn_range_to_buddy(struct machine *m, unsigned long start_pfn, unsigned long end_pfn);
/* Machine teardown: the zone's runs of lazily written free blocks (mm/page_alloc.c). */
void memmap_free_runs_destroy(struct zone *zone);
/* free_reserved_area(): return reserved pages to the buddy at runtime. */
unsigned long free_reserved_area(struct machine *m, phys_addr_t start, phys_addr_t end);
void setup_zone_pagesets(struct machine *m);
void setup_per_zone_wmarks(struct machine *m);
void setup_per_zone_lowmem_reserve(struct machine *m);
void init_per_zone_wmark_min(struct machine *m);
void set_recommended_min_free_kbytes(struct machine *m);
unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item item);
unsigned long global_zone_page_state(struct machine *m, enum zone_stat_item item);
/* The allocation-failure warning (rate limited, silent with __GFP_NOWARN). */
void warn_alloc(struct machine *m, gfp_t gfp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void dump_page(struct machine *m, struct page *page, const char *reason);
/* The kernel's %pGg: @gfp as "GFP_KERNEL|__GFP_ZERO" in @buf, which it returns. */
const char *gfp_string(gfp_t gfp, char *buf, size_t len);
/* Validator of the free lists, pcp lists and page states. */
unsigned long page_alloc_verify(struct machine *m, FILE *out);

#include "mmdebug.h"

#endif /* MMSIM_MM_H */
