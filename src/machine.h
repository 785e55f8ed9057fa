/* machine.h (internal) — struct machine: all the state of one simulated computer.
 *
 * Every subsystem keeps its state here rather than in globals, so tests can
 * boot many machines in one process. Fields are grouped by the kernel file
 * that owns them; each comment names its formula or its source. */
#ifndef MMSIM_INTERNAL_MACHINE_H
#define MMSIM_INTERNAL_MACHINE_H

#include <stdarg.h>
#include <mmsim/gfp.h>
#include <mmsim/list.h>
#include <mmsim/machine.h>
#include <mmsim/mmzone.h>
#include <mmsim/trace.h>

#include "arch/x86/kernel/e820.h"
#include "arch/x86/kernel/profile.h"

struct slab_state;
struct vmap_state;
struct pcpu_state;
struct sched_state;
struct pkmap_state;
struct cpu_mmu;
struct cpu_backend;
struct kmem_cache;
struct thp_state;
struct fs_state;
struct vdso_state;
struct cma_state;

/* memblock: the boot-time allocator (mm/memblock.c). */
struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};

struct memblock_type {
	unsigned int cnt;
	unsigned int max;
	struct memblock_region *regions;	/* sorted, non-overlapping, merged */
	const char *name;
};

struct memblock {
	phys_addr_t current_limit;	/* allocations stay below this */
	struct memblock_type memory;
	struct memblock_type reserved;
};

/*
 * The kernel log buffer (kernel/printk). Lines are stored formatted, each
 * as /dev/kmsg's raw form "<PRI>[    0.000000] text\n" (PRI = facility * 8 +
 * level), oldest first.
 */
struct printk_log {
	char *buf;
	size_t len;
	size_t cap;
	size_t clear;		/* dmesg -C: lines before this offset are not read (clear_seq) */
	bool cont_open;		/* last line awaits a pr_cont() continuation */
};

/* Where boot put the things it reserved, so they can be freed later. */
struct boot_layout {
	phys_addr_t kernel_start, kernel_end;	/* _text .. _end */
	phys_addr_t init_start, init_end;	/* __init_begin .. __init_end */
	phys_addr_t initrd_start, initrd_end;
	phys_addr_t gap_start[3], gap_end[3];	/* freed: text/rodata, rodata/data, smp_locks */
	phys_addr_t decrypted_start, decrypted_end;
	phys_addr_t bss_start;
	phys_addr_t rodata_end;			/* __end_rodata */
	phys_addr_t data_start, data_end;	/* _sdata .. _edata, page aligned */
	phys_addr_t idt_table;			/* made read-only at init_IRQ() (0: not by this kernel) */
	phys_addr_t highmap_end;		/* x86_64: roundup(_brk_end, 2M), the image mapping's end */
	struct qemu_firmware firmware;		/* QEMU's firmware tables (their addresses 0: not known) */
	phys_addr_t percpu_base;		/* the percpu first chunk: one unit per CPU */
	uint64_t percpu_unit;
	unsigned long first_deferred_pfn;	/* x86_64: struct pages initialised later */
	phys_addr_t swiotlb_start;		/* the software IO TLB's buffer, 0: none */
};

/* lib/ratelimit.c: at most `burst` messages per interval of simulated time. */
struct ratelimit_state {
	uint64_t begin_ns;
	int printed, missed;
};

/*
 * Event counters (include/linux/vm_event_item.h), in /proc/vmstat's order.
 * The zone-suffixed ones (pgalloc_dma ...) are arrays in struct
 * vm_events. Some exist only where the kernel's config has them:
 * ZONE_RECLAIM_FAILED and the NUMA-balancing events on x86_64 (NUMA),
 * THP_SPLIT_PUD on x86_64 (1 GiB pages) — vmstat.c leaves them out on i386.
 */
enum vm_event_item {
	PGPGIN, PGPGOUT, PSWPIN, PSWPOUT,
	PGFREE, PGACTIVATE, PGDEACTIVATE, PGLAZYFREE,
	PGFAULT, PGMAJFAULT, PGLAZYFREED, PGREFILL, PGREUSE,
	PGSTEAL_KSWAPD, PGSTEAL_DIRECT, PGDEMOTE_KSWAPD, PGDEMOTE_DIRECT,
	PGSCAN_KSWAPD, PGSCAN_DIRECT, PGSCAN_DIRECT_THROTTLE, PGSCAN_ANON, PGSCAN_FILE,
	PGSTEAL_ANON, PGSTEAL_FILE, PGSCAN_ZONE_RECLAIM_FAILED,
	PGINODESTEAL, SLABS_SCANNED, KSWAPD_INODESTEAL, KSWAPD_LOW_WMARK_HIT_QUICKLY,
	KSWAPD_HIGH_WMARK_HIT_QUICKLY, PAGEOUTRUN, PGROTATED, DROP_PAGECACHE, DROP_SLAB, OOM_KILL,
	NUMA_PTE_UPDATES, NUMA_HUGE_PTE_UPDATES, NUMA_HINT_FAULTS, NUMA_HINT_FAULTS_LOCAL,
	NUMA_PAGE_MIGRATE,
	PGMIGRATE_SUCCESS, PGMIGRATE_FAIL, THP_MIGRATION_SUCCESS, THP_MIGRATION_FAIL,
	THP_MIGRATION_SPLIT,
	COMPACTMIGRATE_SCANNED, COMPACTFREE_SCANNED, COMPACTISOLATED, COMPACTSTALL, COMPACTFAIL,
	COMPACTSUCCESS, KCOMPACTD_WAKE, KCOMPACTD_MIGRATE_SCANNED, KCOMPACTD_FREE_SCANNED,
	HTLB_BUDDY_PGALLOC, HTLB_BUDDY_PGALLOC_FAIL,
	CMA_ALLOC_SUCCESS, CMA_ALLOC_FAIL,	/* CONFIG_CMA only */
	UNEVICTABLE_PGCULLED, UNEVICTABLE_PGSCANNED, UNEVICTABLE_PGRESCUED, UNEVICTABLE_PGMLOCKED,
	UNEVICTABLE_PGMUNLOCKED, UNEVICTABLE_PGCLEARED, UNEVICTABLE_PGSTRANDED,
	THP_FAULT_ALLOC, THP_FAULT_FALLBACK, THP_FAULT_FALLBACK_CHARGE, THP_COLLAPSE_ALLOC,
	THP_COLLAPSE_ALLOC_FAILED, THP_FILE_ALLOC, THP_FILE_FALLBACK, THP_FILE_FALLBACK_CHARGE,
	THP_FILE_MAPPED, THP_SPLIT_PAGE, THP_SPLIT_PAGE_FAILED, THP_DEFERRED_SPLIT_PAGE,
	THP_SPLIT_PMD, THP_SCAN_EXCEED_NONE_PTE, THP_SCAN_EXCEED_SWAP_PTE, THP_SCAN_EXCEED_SHARE_PTE,
	THP_SPLIT_PUD, THP_ZERO_PAGE_ALLOC, THP_ZERO_PAGE_ALLOC_FAILED, THP_SWPOUT,
	THP_SWPOUT_FALLBACK,
	BALLOON_INFLATE, BALLOON_DEFLATE, BALLOON_MIGRATE,
	SWAP_RA, SWAP_RA_HIT, KSM_SWPIN_COPY, COW_KSM, ZSWPIN, ZSWPOUT,
	DIRECT_MAP_LEVEL2_SPLIT, DIRECT_MAP_LEVEL3_SPLIT,
	NR_VM_EVENT_ITEMS
};

struct vm_events {
	unsigned long event[NR_VM_EVENT_ITEMS];
	/* FOR_ALL_ZONES(): one counter per zone type. */
	unsigned long pgalloc[__MAX_NR_ZONES];
	unsigned long allocstall[__MAX_NR_ZONES];
	unsigned long pgskip[__MAX_NR_ZONES];
	/* x86_64 (CONFIG_NUMA): allocations from the preferred node, all of them on one node. */
	unsigned long numa_hit;
	unsigned long alloc_fail;	/* mmsim's own: requests the allocator refused */
};

/*
 * mm/swap.c: a CPU's batch of pages on their way to an LRU operation
 * (struct folio_batch): each holds a reference until the batch moves.
 */
struct lru_batch {
	unsigned int nr;
	struct page *pages[15];				/* PAGEVEC_SIZE */
	void (*move[15])(struct machine *m, struct page *page);
};

struct cpu_fbatches {
	struct lru_batch lru_add;	/* new pages: onto the inactive (or unevictable) list */
	struct lru_batch lru_deactivate;	/* MADV_COLD: onto the inactive list */
	struct lru_batch lru_lazyfree;	/* MADV_FREE: onto the inactive file list, clean */
	struct lru_batch activate;	/* referenced twice: onto the active list */
	struct lru_batch mlock;		/* mm/mlock.c's mlock_pvec */
};

/* The vm sysctls of user memory (/proc/sys/vm: mm/mmap.c, mm/util.c, mm/memory.c). */
struct vm_sysctls {
	int max_map_count;			/* 65530 (USHRT_MAX - 5) */
	int overcommit_memory;			/* 0: heuristic, 1: always, 2: never */
	int overcommit_ratio;			/* 50 (percent of RAM, mode 2) */
	unsigned long overcommit_kbytes;	/* 0: use the ratio */
	unsigned long user_reserve_kbytes;	/* min(3% of free, 128 MiB) at boot */
	unsigned long admin_reserve_kbytes;	/* min(3% of free, 8 MiB) at boot */
	int legacy_va_layout;			/* 1: bottom-up mmap from TASK_UNMAPPED_BASE */
	uint64_t mmap_min_addr;			/* 65536 */
	uint64_t stack_guard_gap;		/* 256 pages (stack_guard_gap=) */
	unsigned long fault_around_bytes;	/* 65536 (debugfs) */
	bool drop_caches_quiet;			/* bit 4 written once: no more dmesg lines */
	/* mm/oom_kill.c's vm_oom_kill_table */
	int panic_on_oom;			/* 0; 1: panic on a system-wide OOM, 2: on any */
	int oom_kill_allocating_task;		/* 0: kill the worst process, not the allocator */
	int oom_dump_tasks;			/* 1: the OOM report lists every process */
	/* mm/compaction.c's sysctls */
	int compact_unevictable_allowed;	/* 1: mlocked pages may be migrated */
	int extfrag_threshold;			/* 500: below this index, reclaim, not compact */
	int compaction_proactiveness;		/* 20: how low proactive compaction keeps the score */
};

/*
 * mm/oom_kill.c: what the OOM killer remembers between invocations — the
 * rate limit of its report, the victims the OOM reaper will visit once
 * OOM_REAPER_DELAY has passed (oom_reaper_list, earliest first), and
 * how many victims have not exited yet (oom_victims).
 */
struct oom_reaper_work {
	struct mm_struct *mm;			/* signal->oom_mm, held (mmgrab) while queued */
	int pid;
	char comm[16];
	uint64_t expires_ns;			/* the timer of queue_oom_reaper() */
};
#define OOM_REAPER_QUEUE_MAX	64
struct oom_state {
	struct ratelimit_state oom_rs;		/* oom_kill_process(): dump_header() */
	bool warned_oom_adj;			/* the "oom_adj is deprecated" pr_warn_once */
	int oom_victims;
	unsigned int nr_reaper_work;
	struct oom_reaper_work reaper_work[OOM_REAPER_QUEUE_MAX];
};

struct machine {
	struct machine_desc desc;	/* desc.cmdline points at cmdline below */
	char *cmdline;			/* the kernel command line (boot_command_line) */
	bool cmdline_userdef;		/* mem= was given: the e820 map is the user's */
	int randomize_va_space;		/* kernel.randomize_va_space: 2, 0 with norandmaps */
	const struct mm_profile *profile;
	struct kernel_config config;	/* the build: the profile's, with --config's choices */
	bool is_32bit;
	unsigned int nr_cpus;
	unsigned int phys_bits;		/* the CPU's physical address width (x86_phys_bits) */
	unsigned int cur_cpu;		/* the CPU "current" runs on */
	const char *comm;		/* current->comm for warnings */

	/* arch/x86/kernel/e820.c */
	struct e820_table e820_firmware;	/* as the BIOS gave it */
	struct e820_table e820;			/* after the kernel's trims */

	struct memblock memblock;

	/* arch/x86/mm: the kernel's view of physical and virtual memory. */
	uint64_t page_offset;		/* PAGE_OFFSET: start of the direct map */
	unsigned long max_arch_pfn;	/* 1 << (32|46 - PAGE_SHIFT) */
	unsigned long max_pfn;		/* end of RAM the kernel uses */
	unsigned long max_low_pfn;	/* end of the direct map (lowmem) */
	unsigned long highstart_pfn, highend_pfn;	/* i386 HighMem */
	unsigned long maxmem_pfn;	/* i386 MAXMEM_PFN from the layout */
	uint64_t vmalloc_reserve;	/* i386 __VMALLOC_RESERVE: the profile's, or vmalloc= + 8M */
	uint64_t vmalloc_end;		/* i386: PKMAP_BASE - 2 pages */
	uint64_t pkmap_base;
	uint64_t fixaddr_start;		/* FIXADDR_TOT_START */
	uint64_t high_memory;		/* virtual end of the direct map */

	/* arch/x86/mm: the kernel's page tables and the CPUs' MMUs. */
	phys_addr_t swapper_pg_dir;	/* the kernel's master page directory (in .bss) */
	unsigned long direct_pages_count[4];	/* direct-map mappings per level (4K, 2M/4M, 1G) */
	unsigned long kernel_pgtable_pages;	/* page-table pages the kernel allocated */
	bool boot_done;			/* page tables now come from the buddy allocator */
	bool system_running;		/* SYSTEM_RUNNING: boot is over, init runs */
	struct cpu_mmu *cpu_mmu;	/* [nr_cpus]: CR3, CR2, TLB */
	/*
	 * A real CPU running the processes' code (arch/x86/cpu_backend.h),
	 * NULL when none. Its entry area (GDT, IDT, TSS, entry code, the
	 * exception stack) is mapped by one kernel PGD entry, at
	 * cpu_entry_pgd_index, to the backend's own pages outside RAM: the
	 * validator and the software MMU leave that entry alone.
	 */
	struct cpu_backend *cpu_backend;
	enum { CPU_BACKEND_AUTO, CPU_BACKEND_KVM, CPU_BACKEND_UNICORN } cpu_backend_kind;
	unsigned int cpu_entry_pgd_index;
	uint64_t cpu_entry_pgd_entry;	/* 0: no entry area */
	uint64_t enosys_told[8];	/* system calls already named as missing (bit per number) */
	FILE *syscall_trace;		/* a running program's system calls are listed here (NULL: not) */
	mmsim_tracer_fn tracer;		/* kernel/trace.c: called at each trace event (NULL: none) */
	void *tracer_arg;

	/* Physical memory: RAM contents and one struct page per frame. */
	unsigned char *ram;		/* host mapping, PFN_PHYS(pfn) offsets */
	size_t ram_bytes;
	struct page *mem_map;		/* [mem_map_pfns] */
	unsigned long mem_map_pfns;
	size_t mem_map_bytes;
	uint64_t mem_map_virt;		/* where the simulated kernel keeps mem_map (dump_page) */
	/*
	 * The host side of mem_map is initialised lazily (mm/mm_init.c): one
	 * state per MAX_ORDER block (enum memmap_state), [mem_map_pfns / 1024
	 * + 1]; all MEMMAP_READY when the machine was built with an eager
	 * memmap. pfn_to_page() initialises a lazy block on first use.
	 */
	unsigned char *memmap_state;
	bool memmap_eager;		/* every struct page was written at boot */
	unsigned long memmap_blocks_ready;	/* blocks whose struct pages are written */
	unsigned char *pageblock_mt;	/* migratetype per pageblock */
	unsigned char *section_present;	/* SPARSEMEM: sections with memory */
	unsigned int pageblock_order;
	unsigned long pageblock_nr_pages;

	/* mm/page_alloc.c */
	struct pglist_data node;
	signed char gfp_zone_table[16];	/* GFP zone bits -> zone, -1 = bad */
	struct zone *zonelist_first[__MAX_NR_ZONES];	/* first zone a request up to idx may use */
	int min_free_kbytes;
	int user_min_free_kbytes;	/* -1 until written through sysctl */
	int watermark_scale_factor;
	int watermark_boost_factor;		/* vm.watermark_boost_factor */
	unsigned long pcpu_nr_pages;		/* the per-CPU allocator's pages: Percpu */
	int lowmem_reserve_ratio[__MAX_NR_ZONES];
	unsigned long nr_kernel_pages;	/* lowmem estimate used for hash sizes */
	unsigned long nr_all_pages;
	unsigned long dma_reserve;	/* x86_64: early-used pages below 16 MiB */
	unsigned long totalram_pages;	/* sum of managed pages */
	unsigned long totalhigh_pages;
	unsigned long totalreserve_pages;
	unsigned long nr_bad_pages;	/* bad page reports (bad_page()) */
	bool tainted_bad_page;		/* TAINT_BAD_PAGE was set */
	/* The kernel keeps these as statics; here each machine has its own. */
	struct ratelimit_state nopage_rs;	/* warn_alloc() */
	struct {
		uint64_t resume;
		unsigned long shown, unshown;
	} bad_page_rs;				/* bad_page(): 60 a minute */
	bool warned_max_order;			/* WARN_ON_ONCE(order >= MAX_ORDER) */
	unsigned int warned_kunmap_local;	/* mm/highmem.c's WARN_ON_ONCE sites, a bit each */
	bool warned_ioremap_ram;		/* arch/x86/ioremap.c: WARN_ONCE */
	kaddr_t bpf_prog_pack;			/* kernel/bpf/core.c: the JIT's code pack, 0: none yet */
	struct acpi_ioremap {			/* drivers/acpi/osl.c: what ACPI keeps mapped */
		phys_addr_t phys;
		uint64_t size;
	} acpi_maps[16];
	unsigned int acpi_nr_maps;
	unsigned int scomp_scratch_users;	/* crypto/scompress.c: transforms holding the scratches */
	struct vm_events events;

	struct boot_layout boot;

	/* mm/slub.c: all kmem_caches and the kmalloc tables (NULL before kmem_cache_init). */
	struct slab_state *slab;

	/* kernel/sched.c: tasks, current, the scheduler's seeded draw. */
	struct sched_state *sched;

	/* mm/highmem.c: pkmap slots and their wait queue (i386). */
	struct pkmap_state *pkmap;

	/* mm/vmalloc.c: the vmalloc area's allocator (NULL before vmalloc_init). */
	struct vmap_state *vmap;
	struct pcpu_state *percpu;	/* mm/percpu.c: the per-CPU allocator's chunks */

	/* kernel/fork.c and friends: the caches tasks and address spaces come from. */
	struct {
		struct kmem_cache *task_struct, *mm_struct, *vm_area_struct, *anon_vma,
			*anon_vma_chain, *sighand, *signal, *files, *cred, *pid, *filp;
	} cachep;
	unsigned long max_threads;		/* fork_init(): threads that fit in 1/8 of RAM */
	struct {
		long anon_vmas, chains;		/* live objects, for verify */
	} rmap_stats;
	/* mm/compaction.c: kcompactd and the pageblock skip hints (from the zones on: compaction_state_init). */
	struct compact_state *compact;
	/* mm/migrate.c: what migration cost so far, beside vmstat's pgmigrate_* counts. */
	struct {
		unsigned long copied_bytes;	/* page contents copied */
		unsigned long ptes_remapped;	/* migration entries turned back into PTEs */
		unsigned long retries;		/* pages someone held on a pass, tried again */
	} migrate;

	/* User memory: the sysctls, the overcommit count, the zero page, the pgds. */
	struct vm_sysctls vm;
	unsigned long vm_softdirty;		/* VM_SOFTDIRTY on x86_64 (MEM_SOFT_DIRTY), 0 on i386 */
	long vm_committed_as;			/* pages charged by VM_ACCOUNT mappings: Committed_AS */
	/*
	 * Pages charged by the growth of stacks without VM_ACCOUNT (a
	 * read-only or MAP_NORESERVE MAP_GROWSDOWN mapping): acct_stack_growth()
	 * charges every growth, but only VM_ACCOUNT VMAs give their pages
	 * back when unmapped, so in the kernel these stay in Committed_AS
	 * for good. Kept for the validator, which checks Committed_AS.
	 */
	unsigned long vm_committed_stack_leak;
	long *vm_committed_pcpu;		/* [nr_cpus]: each CPU's part not yet folded in */
	unsigned long total_swap_pages;		/* swap space (none until swap is set up) */
	long nr_swap_pages;			/* of it, the slots no page holds: SwapFree */
	struct ratelimit_state overcommit_rs;	/* __vm_enough_memory()'s warning */
	struct ratelimit_state printk_rs;	/* printk_ratelimit(): the segfault lines */
	struct ratelimit_state pfoom_rs;	/* pagefault_out_of_memory() */
	bool warned_mremap_dup;			/* vma_to_resize()'s pr_warn_once */
	unsigned long zero_pfn;			/* empty_zero_page, in the kernel's .bss */
	struct list_head pgd_list;		/* every mm's pgd (pgd_list: the kernel half is synced) */
	bool warned_rlimit_data;		/* may_expand_vm()'s pr_warn_once */
	struct cpu_fbatches *cpu_fbatches;	/* [nr_cpus] (mm/swap.c) */
	struct swap_state *swap;		/* mm/swapfile.c: swap areas and the swap cache */
	struct reclaim_state *reclaim;		/* mm/vmscan.c: kswapd and reclaim's costs */
	struct thp_state *thp;			/* mm/huge_memory.c */
	struct fs_state *fs;			/* fs/: the files programs open, the page cache */
	struct vdso_state *vdso;		/* arch/x86/vdso.c: the images behind [vdso] and [vvar] */
	struct dma_state *dma;			/* kernel/dma: devices, swiotlb, IOMMU (made on first use) */
	struct cma_state *cma;			/* mm/cma.c, kernel/dma/contiguous.c (CONFIG_CMA; else NULL) */
	uint64_t random_state;			/* kernel/random.c, from the seed */
	bool warned_exec_stack;			/* setup_arg_pages()'s pr_warn_once */

	/* kernel/printk */
	struct printk_log log;
	uint64_t clock_ns;

	struct oom_state oom;		/* mm/oom_kill.c */
	bool panicked;			/* kernel/panic.c: panic() ran; the machine stops */
};

/*
 * Log levels, as the kernel writes them at the start of a printk format
 * (include/linux/kern_levels.h): printk(m, KERN_WARNING "...").
 */
#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"	/* system is unusable */
#define KERN_ALERT	KERN_SOH "1"	/* action must be taken immediately */
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"	/* continues the previous line */
#define MESSAGE_LOGLEVEL_DEFAULT 4	/* a printk without a level is a warning */

/* kernel/host.c: host address space for RAM and mem_map, reserved, used as touched. */
void *host_reserve(size_t bytes);
void host_release(void *p, size_t bytes);
void *host_map_shared(int fd, size_t bytes);
long host_read(int fd, void *buf, size_t len);
long host_write(int fd, const void *buf, size_t len);
bool host_isatty(int fd);
/* A host file, opened read-only: what fs/file.c needs of its stat(2). */
struct host_file_info {
	uint64_t dev, ino, size;
	unsigned int mode;		/* permission bits */
	unsigned int dev_major, dev_minor;
	bool is_dir, is_reg;
};
/* Open @path read-only: the host descriptor, or -MMSIM_E* (ENOENT, EACCES ...). */
int host_open(const char *path, struct host_file_info *info);
/* Open @path for reading and writing (a swap file): as host_open(). */
int host_open_rw(const char *path, struct host_file_info *info);
/* pread(2): bytes read, or -MMSIM_EIO. */
long host_pread(int fd, void *buf, size_t len, uint64_t off);
/* pwrite(2): bytes written, or -MMSIM_EIO. */
long host_pwrite(int fd, const void *buf, size_t len, uint64_t off);
void host_close(int fd);
/* The absolute, resolved path (the path itself if it cannot be resolved). */
void host_realpath(const char *path, char *out, size_t len);

/* kernel/random.c: random numbers from the machine's seed. */
uint64_t get_random_u64(struct machine *m);
void get_random_bytes(struct machine *m, void *buf, size_t len);

/* printk — append to the machine's kernel log (kernel/printk.c). */
void printk(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vprintk(struct machine *m, const char *fmt, va_list ap);
/* setup_log_buf() at boot: a larger log buffer for many CPUs, from memblock. 0 or -ENOMEM. */
int setup_log_buf(struct machine *m);
/* Continue the last line (pr_cont). */
void pr_cont(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * __ratelimit() with DEFAULT_RATELIMIT (10 messages per 5 s of simulated
 * time): true if the caller may print; when a new interval starts after
 * suppressions, prints "func: N callbacks suppressed".
 */
bool __ratelimit(struct machine *m, struct ratelimit_state *rs, const char *func);

/*
 * WARN(): the "cut here" line, the message (printf format with its newline;
 * NULL for WARN_ON()), and "WARNING: CPU: N PID: P at FILE FUNC"
 * (kernel/panic.c).
 */
void __warn(struct machine *m, const char *file, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * panic(): "Kernel panic - not syncing: <message>" and the closing
 * "---[ end Kernel panic ...]---" line; the machine is marked panicked
 * (m->panicked) — the kernel never returns from it, so callers return at
 * once and the machine runs nothing more.
 */
void panic(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Width of a kernel pointer printed with %px: 8 hex digits on i386, 16 on x86_64. */
static inline int kptr_width(const struct machine *m)
{
	return m->is_32bit ? 8 : 16;
}

#define pr_emerg(m, fmt, ...)	printk(m, KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_alert(m, fmt, ...)	printk(m, KERN_ALERT fmt, ##__VA_ARGS__)
#define pr_crit(m, fmt, ...)	printk(m, KERN_CRIT fmt, ##__VA_ARGS__)
#define pr_err(m, fmt, ...)	printk(m, KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(m, fmt, ...)	printk(m, KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(m, fmt, ...)	printk(m, KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(m, fmt, ...)	printk(m, KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(m, fmt, ...)	printk(m, KERN_DEBUG fmt, ##__VA_ARGS__)

static inline struct zone *machine_zone(struct machine *m, enum zone_type idx)
{
	return &m->node.node_zones[idx];
}

#define for_each_zone_idx(m, z) \
	for (struct zone *z = (m)->node.node_zones; \
	     z < (m)->node.node_zones + __MAX_NR_ZONES; z++) \
		if (z->configured)

#define for_each_populated_zone(m, z) \
	for (struct zone *z = (m)->node.node_zones; \
	     z < (m)->node.node_zones + __MAX_NR_ZONES; z++) \
		if (z->configured && populated_zone(z))

#endif /* MMSIM_INTERNAL_MACHINE_H */
