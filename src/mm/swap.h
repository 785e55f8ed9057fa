/* swap.h (internal) — swap areas, the swap cache and reclaim (the kernel's
 * include/linux/swap.h and swapops.h, mm/swap.h).
 *
 * A swap area (swapfile.c) is a device or file cut into page-sized slots;
 * slot 0 holds the swap header, the rest hold pages. swap_map[] counts, for
 * each slot, the swap PTEs that name it, with SWAP_HAS_CACHE set while the
 * page is also in the swap cache. The swap cache (swap_state.c) is the
 * page cache of swap: an address_space per area indexed by slot, so a page
 * being written out, or read in and still shared with other PTEs, is found
 * by its slot. page_io.c moves a page's bytes between RAM and its slot.
 * vmscan.c is reclaim: it ages the LRU lists, unmaps pages through rmap,
 * writes anonymous ones to swap and frees them. */
#ifndef MMSIM_MM_SWAP_H
#define MMSIM_MM_SWAP_H

#include "fs/fs.h"
#include "kernel/sched.h"
#include "mm.h"
#include "mm/vmalloc.h"

/*
 * Swap areas a machine may have: the 32 types of a swap entry, less the
 * other kinds of non-present entry the kernel's configuration has. In
 * Debian's 6.1 builds (their /boot/config files): 3 migration types,
 * 1 hwpoison (MEMORY_FAILURE), 1 swap-in error (SWP_SWAPIN_ERROR, 6.1
 * only), and on amd64 1 PTE marker (PTE_MARKER_UFFD_WP); neither has
 * DEVICE_PRIVATE. So 26 on amd64 and 27 on 686 — what swapon(8) of
 * loop devices accepted in the real kernels under QEMU before EPERM.
 * MAX_SWAPFILES_MAX sizes the arrays; max_swapfiles() is the machine's.
 */
#define MAX_SWAPFILES_MAX	(32 - 3 - 1 - 1)

static inline unsigned int max_swapfiles(const struct machine *m)
{
	return m->is_32bit ? 32 - 3 - 1 - 1 : 32 - 3 - 1 - 1 - 1;
}

/* swap_map[] values (include/linux/swap.h). */
#define SWAP_HAS_CACHE		0x40	/* the slot's page is in the swap cache */
#define COUNT_CONTINUED		0x80	/* the count goes on beyond SWAP_MAP_MAX */
#define SWAP_MAP_MAX		0x3e	/* the most references one byte holds */
#define SWAP_MAP_BAD		0x3f	/* a bad slot: the header */
#define SWAP_MAP_SHMEM		0xbf	/* held by a shmem file's page cache, not by PTEs */
/*
 * SWAPFILE_CLUSTER: slots handed out together — HPAGE_PMD_NR (512) where
 * the kernel is built with THP_SWAP (Debian's amd64), 256 otherwise (686).
 */
static inline unsigned long swapfile_cluster(const struct machine *m)
{
	return m->is_32bit ? 256 : 512;
}

/* si->flags */
#define SWP_USED		0x01
#define SWP_WRITEOK		0x02

/* The largest memory-backed swap device mmsim makes: its slots are host memory. */
#define SWAP_MEMORY_MAX		(64ULL << 30)

struct swap_info_struct {
	unsigned long flags;
	int prio;
	unsigned int type;
	unsigned char *swap_map;	/* [max]: in the kernel's vmalloc space, as vzalloc gives it */
	kaddr_t swap_map_kaddr;		/* its vmalloc address, for vfree */
	struct vm_struct *swap_map_vm;	/* its area: the pages the bytes are in */
	unsigned int *count_cont;	/* [max], only once some count passes SWAP_MAP_MAX */
	unsigned long lowest_bit, highest_bit;	/* the free slots lie within */
	unsigned long cluster_next;	/* where the next slot is looked for */
	unsigned long cluster_nr;	/* slots left to hand out from this cluster */
	unsigned long max;		/* slots, the header's included */
	unsigned long pages;		/* usable slots */
	unsigned long inuse_pages;
	char name[256];			/* what /proc/swaps and dmesg call it */
	bool is_file;			/* a host file ("file"), or mmsim's memory device ("partition") */
	int host_fd;			/* the file's descriptor; -1 for the memory device */
	unsigned char **slot_mem;	/* the memory device's slots, allocated when first written */
	struct address_space cache;	/* the swap cache of this area */
};

/* The per-CPU cache of swap slots (mm/swap_slots.c). */
#define SWAP_SLOTS_CACHE_SIZE	64
struct swap_slots_cache {
	swp_entry_t slots[SWAP_SLOTS_CACHE_SIZE];	/* handed out from cur on */
	unsigned int cur, nr;
	swp_entry_t slots_ret[SWAP_SLOTS_CACHE_SIZE];	/* freed, given back in a batch */
	unsigned int n_ret;
};

struct swap_state {
	struct swap_info_struct *info[MAX_SWAPFILES_MAX];
	unsigned int nr_swapfiles;	/* types ever used: the next new one */
	int least_priority;		/* the priority the next swapon without one gets, + 1 */
	bool slots_cache_enabled;	/* swap_slot_cache_enabled: some area can take pages */
	bool slots_cache_active;	/* swap_slot_cache_active: enough free swap to cache */
	struct swap_slots_cache *slots;	/* [nr_cpus] */
	unsigned int page_cluster;	/* vm.page-cluster: readahead of 2^N slots */
	/* swapin_nr_pages()'s memory: the last fault's slot, its window, the hits since */
	unsigned long prev_offset;
	unsigned int last_readahead_pages, readahead_hits;
	/* The swap devices' queue: pages written whose writeback has not completed. */
	struct page **inflight;
	unsigned long nr_inflight, max_inflight;
	int swappiness;			/* vm.swappiness */
};

/*
 * A shrinker (include/linux/shrinker.h): a cache that can give memory back
 * — how many objects it could free, and a scan that tries that many; the
 * scan work a call could not do is carried to the next (nr_deferred).
 */
struct shrinker {
	const char *name;
	unsigned long (*count)(struct machine *m);
	unsigned long (*scan)(struct machine *m, unsigned long nr_to_scan);
	int seeks;
	long nr_deferred;
};
#define NR_SHRINKERS	2

/* The node's reclaim state (pglist_data's kswapd fields) and kswapd0 itself. */
struct reclaim_state {
	struct task_struct *kswapd;	/* &kswapd_task */
	struct task_struct kswapd_task;
	bool kswapd_sleeping;		/* on kswapd_wait; a wakeup makes it runnable */
	bool in_kswapd;			/* it is running now */
	bool woken_from_nap;		/* woken within 100 ms of going to sleep */
	uint64_t kswapd_slept_at_ns;
	int kswapd_order;		/* the largest order it was woken for */
	int kswapd_highest_zoneidx;	/* the highest zone it was woken for; __MAX_NR_ZONES: none */
	int last_highest_zoneidx;
	bool pgdat_dirty;		/* PGDAT_DIRTY: kswapd may write dirty file pages */
	bool pgdat_writeback;		/* PGDAT_WRITEBACK: reclaim keeps meeting pages under writeback */
	struct shrinker shrinkers[NR_SHRINKERS];	/* the inode cache, the deferred split queue */
};

/* ---- vmscan.c ---------------------------------------------------------------------- */
int kswapd_init(struct machine *m);
void kswapd_release(struct machine *m);
/* Direct reclaim for an allocation of @order: the pages reclaimed. */
unsigned long try_to_free_pages(struct machine *m, unsigned int order, gfp_t gfp_mask);
unsigned long zone_reclaimable_pages(struct machine *m, const struct zone *zone);
/* MADV_PAGEOUT: reclaim the isolated pages on @page_list now; the pages reclaimed. */
unsigned long reclaim_pages(struct machine *m, struct list_head *page_list);

/* ---- zswap.c ----------------------------------------------------------------------- */
/* init_zswap(): the default pool, disabled but ready (its buffers). 0 or -ENOMEM. */
int init_zswap(struct machine *m);

/* ---- swapfile.c -------------------------------------------------------------------- */
/* The swap state, before any allocation: no swap areas, swappiness 60. 0 or -ENOMEM. */
int swap_state_init(struct machine *m);
/* swap_setup(): page-cluster from the RAM the boot left. */
void swap_setup(struct machine *m);
void swap_release(struct machine *m);
/*
 * swapon: @path is a host file prepared with mkswap, or NULL for a memory
 * device of @size bytes (its header written as mkswap would). @prio < 0
 * for the default priority. 0 or -errno, with the kernel's dmesg lines.
 */
int do_swapon(struct machine *m, const char *path, uint64_t size, int prio);
int do_swapoff(struct machine *m, const char *name);
struct swap_info_struct *swp_swap_info(struct machine *m, swp_entry_t entry);
int get_swap_pages(struct machine *m, int n_goal, swp_entry_t *entries);
int swap_duplicate(struct machine *m, swp_entry_t entry);
void swap_shmem_alloc(struct machine *m, swp_entry_t entry);
void swap_free(struct machine *m, swp_entry_t entry);
/* The slot's page left the swap cache (put_swap_folio): its SWAP_HAS_CACHE goes. */
void put_swap_page(struct machine *m, swp_entry_t entry);
/* A swap PTE is gone (zap): drop its count and, if it was the last, the cached page. */
bool free_swap_and_cache(struct machine *m, swp_entry_t entry);
/* PTEs naming the slot (__swap_count), and whether it is in the swap cache. */
unsigned int __swap_count(struct machine *m, swp_entry_t entry);
int swapcache_prepare(struct machine *m, swp_entry_t entry);
bool try_to_free_swap(struct machine *m, struct page *page);
bool vm_swap_full(struct machine *m);
void proc_swaps_show(struct machine *m, FILE *out);
/* swap_verify(): the areas against @swap_ptes, the swap PTEs mm_verify()'s walk found per slot. */
unsigned long swap_verify(struct machine *m, FILE *out, unsigned long *const swap_ptes[]);
/* swapcache_free_entries(): slots given back (by the slots cache) to their areas. */
void swapcache_free_entries(struct machine *m, swp_entry_t *entries, unsigned int n);

/* ---- swap_slots.c ------------------------------------------------------------------ */
swp_entry_t folio_alloc_swap(struct machine *m);
void free_swap_slot(struct machine *m, swp_entry_t entry);
void swap_slots_check_active(struct machine *m);
void swap_slots_drain(struct machine *m);
/* Is @entry held by a CPU's slots cache (handed out to it, or freed into it)? */
bool swap_slot_cached(struct machine *m, swp_entry_t entry);
unsigned long swp_swapcount(struct machine *m, swp_entry_t entry);

/* ---- swap_state.c ------------------------------------------------------------------ */
static inline swp_entry_t page_swap_entry(const struct page *page)
{
	return (swp_entry_t){ (unsigned int)(page->private >> 56),
			      (unsigned long)(page->private & ((1UL << 56) - 1)) };
}
int add_to_swap_cache(struct machine *m, struct page *page, swp_entry_t entry);
void delete_from_swap_cache(struct machine *m, struct page *page);
/* __delete_from_swap_cache() without giving the slot back (reclaim does that itself). */
void __delete_from_swap_cache(struct machine *m, struct page *page);
bool add_to_swap(struct machine *m, struct page *page);
/* The cached page of @entry with a reference taken, or NULL; counts swap_ra_hit. */
struct page *lookup_swap_cache(struct machine *m, swp_entry_t entry);
/* swapin_readahead(): the page of @entry (and its readahead window), a reference held. */
struct page *swapin_readahead(struct machine *m, swp_entry_t entry);
/* The page of @entry, from the swap cache or read now; a reference held, NULL if none can be. */
struct page *read_swap_cache_async(struct machine *m, swp_entry_t entry);
unsigned long total_swapcache_pages(struct machine *m);

/* ---- page_io.c -------------------------------------------------------------------- */
int swap_writepage(struct machine *m, struct page *page);
/* The writes issued so far complete (their pages rotate for reclaim). */
void swap_io_complete(struct machine *m);
int swap_readpage(struct machine *m, struct page *page);
void swap_slot_discard(struct swap_info_struct *si, unsigned long offset);

/* ---- memory.c ---------------------------------------------------------------------- */
vm_fault_t do_swap_page(struct vm_fault *vmf);

/* ---- rmap.c: reclaim's walks ---------------------------------------------------------- */
/* folio_referenced(): the young PTEs found (and cleared); *vm_flags the VMAs' flags. */
int page_referenced(struct machine *m, struct page *page, unsigned long *vm_flags);
/* try_to_unmap(): unmap @page everywhere (anonymous pages to their swap slot). */
bool try_to_unmap(struct machine *m, struct page *page);

#endif /* MMSIM_MM_SWAP_H */
