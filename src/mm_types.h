/* mm_types.h (internal, library-wide) — what a user address space is made of:
 * mm_struct, vm_area_struct, anon_vma and the chains between them, the
 * page cache's address_space, and the VM_* flags (the kernel's
 * include/linux/mm_types.h and the flag half of include/linux/mm.h).
 *
 * Every one of these stands for an object of the simulated kernel: each
 * comes from its own slab cache in simulated RAM (kobj below holds that
 * object's address), so /proc/slabinfo counts them as the kernel does,
 * and running out of memory fails them as it would. The fields live in the
 * host structure beside it, where the C code can use pointers.
 *
 * The documents' structure, kept here: an mm's VMAs are both a sorted
 * doubly linked list (mmap, vm_next/vm_prev: walking in address order)
 * and a red-black tree keyed by address (mm_rb: find_vma in O(log n)),
 * each node also holding the largest free gap in its subtree so that
 * get_unmapped_area() finds room in O(log n). Linux 6.1 keeps the same
 * order and answers in a maple tree (docs/fidelity.md). */
#ifndef MMSIM_MM_TYPES_INTERNAL_H
#define MMSIM_MM_TYPES_INTERNAL_H

#include <mmsim/list.h>
#include <mmsim/mm_types.h>
#include <mmsim/types.h>

#include "lib/rbtree.h"

struct machine;
struct file;
struct vm_fault;
struct task_struct;

/* ---- vm_flags (include/linux/mm.h, 6.1 values) ----------------------------- */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL	/* currently active flags */
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL	/* limits for mprotect() */
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL	/* a stack: grows down on faults below it */
#define VM_UFFD_MISSING	0x00000200UL
#define VM_PFNMAP	0x00000400UL	/* raw frames without struct page ([vvar]) */
#define VM_UFFD_WP	0x00001000UL
#define VM_LOCKED	0x00002000UL	/* mlock()ed: pages stay resident */
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL	/* MADV_SEQUENTIAL */
#define VM_RAND_READ	0x00010000UL	/* MADV_RANDOM */
#define VM_DONTCOPY	0x00020000UL	/* MADV_DONTFORK: not copied on fork */
#define VM_DONTEXPAND	0x00040000UL	/* mremap() may not grow it */
#define VM_LOCKONFAULT	0x00080000UL	/* lock pages as they are faulted in */
#define VM_ACCOUNT	0x00100000UL	/* counted in Committed_AS */
#define VM_NORESERVE	0x00200000UL	/* MAP_NORESERVE: not counted */
#define VM_HUGETLB	0x00400000UL
#define VM_SYNC		0x00800000UL
#define VM_ARCH_1	0x01000000UL	/* x86: VM_PAT */
#define VM_WIPEONFORK	0x02000000UL	/* MADV_WIPEONFORK: the child gets it empty */
#define VM_DONTDUMP	0x04000000UL
#define VM_SOFTDIRTY	0x08000000UL	/* x86_64 (CONFIG_MEM_SOFT_DIRTY): mapped since the last clear */
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL	/* MADV_HUGEPAGE */
#define VM_NOHUGEPAGE	0x40000000UL	/* MADV_NOHUGEPAGE */
#define VM_MERGEABLE	0x80000000UL	/* KSM may merge its pages */

#define VM_STACK		VM_GROWSDOWN
#define VM_ACCESS_FLAGS		(VM_READ | VM_WRITE | VM_EXEC)
/* Special mappings: never merged, never mlock()ed. */
#define VM_SPECIAL		(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_LOCKED_CLEAR_MASK	(~(VM_LOCKED | VM_LOCKONFAULT))
/* While exec builds the stack, before setup_arg_pages() moves it into place. */
#define VM_STACK_INCOMPLETE_SETUP (VM_RAND_READ | VM_SEQ_READ)

/* pgprot_t: the PTE bits a VMA's pages are mapped with (vm_get_page_prot). */
typedef uint64_t pgprot_t;

/* ---- the rmap of anonymous pages (mm/rmap.c) ----------------------------------
 *
 * An anonymous page points (page->mapping, with PAGE_MAPPING_ANON set) at
 * the anon_vma of the VMA it was first faulted in. fork gives each child
 * VMA a new anon_vma whose parent is the old one, and links the child VMA
 * into every anon_vma its parent VMA was linked into through an
 * anon_vma_chain, so from any page's anon_vma the walk over its chains
 * reaches every VMA that may map it: the parent's, and each COW child's.
 * The kernel keeps those chains in an interval tree by page offset; here
 * they are a list, visited whole (the answer is the same).
 */
struct anon_vma {
	struct anon_vma *root;		/* the first ancestor: its lock serialises the tree */
	struct anon_vma *parent;	/* whose pages this one's VMAs may share (or itself) */
	int refcount;			/* pages and chains pointing here, as the kernel counts */
	/*
	 * num_children: anon_vmas whose parent this is; num_active_vmas:
	 * VMAs whose vma->anon_vma is this. An anon_vma with no active VMAs
	 * and at most one child may be reused by a new fork child (6.1).
	 */
	unsigned long num_children;
	unsigned long num_active_vmas;
	struct list_head chains;	/* anon_vma_chain.same_anon_vma (the kernel's rb_root) */
	kaddr_t kobj;			/* the object in the anon_vma cache */
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* on vma->anon_vma_chain */
	struct list_head same_anon_vma;	/* on anon_vma->chains */
	kaddr_t kobj;			/* the object in the anon_vma_chain cache */
};

/* page->mapping's low bit says the page is anonymous (mapping is then an anon_vma). */
#define PAGE_MAPPING_ANON	0x1UL

/* ---- VMAs --------------------------------------------------------------------- */

/* What a fault handler reports (include/linux/mm_types.h vm_fault_t). */
typedef unsigned int vm_fault_t;
#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGBUS		0x000002
#define VM_FAULT_MAJOR		0x000004
#define VM_FAULT_HWPOISON	0x000010
#define VM_FAULT_SIGSEGV	0x000040
#define VM_FAULT_NOPAGE		0x000100	/* the handler installed the pte itself */
#define VM_FAULT_LOCKED		0x000200
#define VM_FAULT_RETRY		0x000400
#define VM_FAULT_FALLBACK	0x000800	/* a huge page could not be used: try 4K */
#define VM_FAULT_DONE_COW	0x001000
#define VM_FAULT_ERROR	(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON)

struct vm_operations_struct {
	void (*open)(struct vm_area_struct *vma);
	/* Set: the VMA never merges with a neighbour (is_mergeable_vma). */
	void (*close)(struct vm_area_struct *vma);
	/* Refuse a split at @addr (special mappings: -EINVAL). */
	int (*may_split)(struct vm_area_struct *vma, uint64_t addr);
	/* The name /proc/PID/maps shows ("[vdso]"), or NULL. */
	const char *(*name)(struct vm_area_struct *vma);
	/* Find the page for vmf->pgoff (filemap_fault, special_mapping_fault). */
	vm_fault_t (*fault)(struct vm_fault *vmf);
	/* Map pages already in the page cache around the fault (fault-around). */
	vm_fault_t (*map_pages)(struct vm_fault *vmf, unsigned long start_pgoff,
				unsigned long end_pgoff);
	/* A shared file page is about to become writable. */
	vm_fault_t (*page_mkwrite)(struct vm_fault *vmf);
	/* The VMA moved (mremap): the vdso tells its mm. */
	int (*mremap)(struct vm_area_struct *new_vma);
};

/* FAULT_FLAG_* (include/linux/mm_types.h) */
#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_MKWRITE	0x02
#define FAULT_FLAG_ALLOW_RETRY	0x04
#define FAULT_FLAG_TRIED	0x20	/* the second try after VM_FAULT_RETRY */
#define FAULT_FLAG_USER		0x40
#define FAULT_FLAG_REMOTE	0x80
#define FAULT_FLAG_INSTRUCTION	0x100

/*
 * One fault in progress (struct vm_fault): where, what kind, and what the
 * handlers found on the way. The page-table slots are physical addresses
 * of tables and indices into them.
 */
struct vm_fault {
	struct machine *m;
	struct vm_area_struct *vma;
	uint64_t address;		/* the faulting address (not aligned) */
	unsigned int flags;		/* FAULT_FLAG_* */
	unsigned long pgoff;		/* linear_page_index(vma, address) */
	phys_addr_t pmd_table;		/* the table holding the PMD entry (i386: the PGD) */
	unsigned int pmd_idx;
	uint64_t orig_pmd;
	phys_addr_t pte_table;		/* 0 until a PTE table exists */
	unsigned int pte_idx;
	uint64_t orig_pte;		/* the PTE when the fault began */
	struct page *page;		/* what ->fault() found */
	struct page *cow_page;		/* a private write's copy */
};

/*
 * A region of one address space with one set of permissions and one
 * backing: [vm_start, vm_end), page aligned. Anonymous VMAs have vm_file
 * NULL and vm_pgoff = vm_start >> PAGE_SHIFT at creation, so that a page's
 * index stays its virtual page number when neighbours merge; file VMAs
 * have vm_pgoff = the file page at vm_start.
 */
struct vm_area_struct {
	uint64_t vm_start;
	uint64_t vm_end;		/* first byte after the region */
	struct vm_area_struct *vm_next, *vm_prev;	/* mm->mmap list, by address */
	struct rb_node vm_rb;		/* mm->mm_rb */
	/*
	 * The largest free gap below some VMA of this subtree, where the gap
	 * below a VMA is vm_start - prev->vm_end (the 4.x kernels' field of
	 * the same name): the augmented value get_unmapped_area() descends by.
	 */
	uint64_t rb_subtree_gap;
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	unsigned long vm_flags;
	struct list_head anon_vma_chain;	/* anon_vma_chain.same_vma */
	struct anon_vma *anon_vma;	/* NULL until the first anonymous page */
	const struct vm_operations_struct *vm_ops;
	unsigned long vm_pgoff;		/* offset in vm_file, in pages */
	struct file *vm_file;		/* NULL: anonymous */
	void *vm_private_data;		/* special mappings: their vm_special_mapping */
	struct list_head shared;	/* on vm_file's address_space i_mmap (file rmap) */
	kaddr_t kobj;			/* the object in the vm_area_struct cache */
};

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_ops;
}

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (unsigned long)((vma->vm_end - vma->vm_start) >> PAGE_SHIFT);
}

/* The file page (or, anonymous, virtual page) mapped at @addr. */
static inline unsigned long linear_page_index(const struct vm_area_struct *vma, uint64_t addr)
{
	return (unsigned long)((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

/* ---- mm_struct ---------------------------------------------------------------- */

enum {
	MM_FILEPAGES,		/* resident file pages */
	MM_ANONPAGES,		/* resident anonymous pages */
	MM_SWAPENTS,		/* anonymous pages out in swap */
	MM_SHMEMPAGES,		/* resident shared-memory pages */
	NR_MM_COUNTERS
};

/* AT_VECTOR_SIZE: the saved auxiliary vector (x86: 2 * (2 + 20 + 1 + 2 + 1)). */
#define AT_VECTOR_SIZE	52

/* mm->flags bits (include/linux/sched/coredump.h). */
#define MMF_DUMP_FILTER_DEFAULT	0xccUL	/* coredump_filter 0x33, shifted past the dumpable bits */
#define MMF_INIT_MASK		((1UL << 9) - 1)	/* dumpable + coredump_filter bits */
#define MMF_VM_HUGEPAGE		17	/* khugepaged is watching */
#define MMF_OOM_SKIP		21	/* the OOM killer passes it by: reaped, or torn down */
#define MMF_UNSTABLE		22	/* the OOM reaper has taken pages away under its users */
#define MMF_OOM_REAP_QUEUED	25	/* the OOM reaper has it on its list */
#define MMF_HAS_PINNED		27

struct mm_struct {
	struct vm_area_struct *mmap;	/* the VMA list, lowest address first */
	struct rb_root mm_rb;		/* the same VMAs, by address */
	int map_count;			/* VMAs on the list: at most vm.max_map_count */
	/*
	 * Where get_unmapped_area() starts: the top-down allocator searches
	 * down from mmap_base (below the stack's gap); the legacy bottom-up
	 * one searches up from mmap_legacy_base (TASK_UNMAPPED_BASE).
	 */
	uint64_t mmap_base;
	uint64_t mmap_legacy_base;
	bool mmap_topdown;
	uint64_t task_size;		/* TASK_SIZE: the top of user space */
	uint64_t highest_vm_end;	/* vm_end of the last VMA */
	phys_addr_t pgd;		/* the page directory: the kernel half copied from swapper_pg_dir */
	struct list_head pgd_list;	/* on the machine's list of pgds (i386 syncs the kernel half) */
	int mm_users;			/* tasks using this address space */
	int mm_count;			/* references to the struct (mm_users counts as one) */

	/* Pages, as /proc/PID/status shows them (vm_stat_account). */
	unsigned long total_vm;		/* all mapped pages: VmSize */
	unsigned long locked_vm;	/* VM_LOCKED pages: VmLck */
	unsigned long pinned_vm;	/* VmPin */
	unsigned long data_vm;		/* private writable, not stack: VmData */
	unsigned long exec_vm;		/* executable, not writable, not stack: VmExe + VmLib */
	unsigned long stack_vm;		/* VM_GROWSDOWN: VmStk */
	unsigned long hiwater_rss;	/* the peak of the RSS counters: VmHWM */
	unsigned long hiwater_vm;	/* the peak of total_vm: VmPeak */
	unsigned long def_flags;	/* vm_flags every new VMA gets (mlockall(MCL_FUTURE)) */
	long rss_stat[NR_MM_COUNTERS];
	unsigned long pgtables_bytes;	/* user page-table pages, in bytes: VmPTE */

	uint64_t start_code, end_code, start_data, end_data;
	uint64_t start_brk, brk, start_stack;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t saved_auxv[AT_VECTOR_SIZE];	/* /proc/PID/auxv */
	uint64_t vdso;			/* mm->context.vdso: the [vdso] image's address, 0: none */
	uint64_t stack_guard_gap;	/* the machine's, for the VMA gaps (vm_start_gap) */
	struct list_head pmd_huge_pte;	/* the PTE tables huge PMDs keep in reserve */
	unsigned long flags;		/* MMF_* */
	struct file *exe_file;		/* /proc/PID/exe */
	kaddr_t kobj;			/* the object in the mm_struct cache */
};

static inline unsigned long get_mm_counter(const struct mm_struct *mm, int member)
{
	long v = mm->rss_stat[member];

	return v < 0 ? 0 : (unsigned long)v;
}

static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
	       get_mm_counter(mm, MM_SHMEMPAGES);
}

static inline void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);

	if (mm->hiwater_rss < rss)
		mm->hiwater_rss = rss;
}

static inline void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

#endif /* MMSIM_MM_TYPES_INTERNAL_H */
