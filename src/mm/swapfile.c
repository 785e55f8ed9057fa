/* swapfile.c — swap areas: swapon and swapoff, handing out and counting
 * swap slots, /proc/swaps (mm/swapfile.c).
 *
 * A swap area is what mkswap made of a device or file: page 0 is the swap
 * header ("SWAPSPACE2" at its end, the last usable page in it), pages 1 ..
 * last_page are slots. swap_map[] has one byte per slot: how many swap
 * PTEs name it (up to SWAP_MAP_MAX, then COUNT_CONTINUED carries on), plus
 * SWAP_HAS_CACHE while its page is in the swap cache. Like the kernel,
 * swap_map is vzalloc'ed — it costs vmalloc space and shows in
 * /proc/vmallocinfo — and is read through the pages of that area.
 *
 * Two kinds of area: a host file (mkswap'ed, opened read-write; "file" in
 * /proc/swaps), and mmsim's memory device — a block device whose slots are
 * host memory outside the machine's RAM, allocated when first written, as
 * a disk's blocks would be (a "partition" named /dev/mmswapN). Both are
 * rotating disks to the allocator (no SWP_SOLIDSTATE): slots go out in
 * clusters of SWAPFILE_CLUSTER (swapfile_cluster()) from cluster_next, with scan_swap_map_slots'
 * hard-disk rules, and I/O completes when it is issued.
 *
 * Not modelled: swap extents (one extent spans every area), discard,
 * frontswap/zswap, and the page a count continuation costs the kernel
 * (count_cont[] holds the carry in host memory instead). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/swap.h>
#include <mmsim/vmalloc.h>

#include "fs/fs.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "mm/internal.h"
#include "mm/swap.h"
#include "mm/vmalloc.h"

#define SWAP_BATCH	64	/* most slots one get_swap_pages() hands out */
#define LATENCY_SCAN	512	/* scan_swap_map_slots' quick look beyond a full cluster */

static struct swap_info_struct *type_info(struct machine *m, unsigned int type)
{
	return type < max_swapfiles(m) ? m->swap->info[type] : NULL;
}

struct swap_info_struct *swp_swap_info(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = type_info(m, entry.type);

	return si && (si->flags & SWP_USED) && entry.offset < si->max ? si : NULL;
}

/* The swap_map byte of @offset, in the vzalloc'ed area's page that holds it. */
static unsigned char *map_byte(struct machine *m, struct swap_info_struct *si, unsigned long offset)
{
	return (unsigned char *)page_host_address(m, si->swap_map_vm->pages[offset >> PAGE_SHIFT]) +
	       (offset & (PAGE_SIZE - 1));
}

static inline unsigned char map_get(struct machine *m, struct swap_info_struct *si,
				    unsigned long offset)
{
	return *map_byte(m, si, offset);
}

static inline void map_set(struct machine *m, struct swap_info_struct *si, unsigned long offset,
			   unsigned char v)
{
	*map_byte(m, si, offset) = v;
}

bool vm_swap_full(struct machine *m)
{
	return get_nr_swap_pages(m) * 2 < (long)total_swap_pages(m);
}

/* ---- slot bookkeeping: swap_range_alloc / swap_range_free -------------------------------- */

static void swap_range_alloc(struct swap_info_struct *si, unsigned long offset)
{
	if (offset == si->lowest_bit)
		si->lowest_bit++;
	if (offset == si->highest_bit)
		si->highest_bit--;
	si->inuse_pages++;
	if (si->inuse_pages == si->pages) {
		/* Full: off the list of areas with room (highest_bit 0 says so). */
		si->lowest_bit = si->max;
		si->highest_bit = 0;
	}
}

static void swap_range_free(struct machine *m, struct swap_info_struct *si, unsigned long offset)
{
	if (offset < si->lowest_bit)
		si->lowest_bit = offset;
	if (offset > si->highest_bit)
		si->highest_bit = offset;
	m->nr_swap_pages++;
	si->inuse_pages--;
	swap_slot_discard(si, offset);
	mapping_take_shadow(&si->cache, offset);	/* clear_shadow_from_swap_cache() */
}

/* ---- handing out slots: scan_swap_map_slots (rotating disks) -------------------------- */

/*
 * __try_to_reclaim_swap(): the slot's page is in the swap cache only;
 * take it out (its slot becomes free) if @anyway, or if it is not mapped
 * and swap is full. 1 if the slot was freed.
 */
#define TTRS_ANYWAY	0x1
#define TTRS_UNMAPPED	0x2
#define TTRS_FULL	0x4
static int try_to_reclaim_swap(struct machine *m, struct swap_info_struct *si,
			       unsigned long offset, int flags)
{
	struct page *page = find_get_page(&si->cache, offset);
	int ret = 0;

	if (!page)
		return 0;
	if (!PageLocked(page)) {
		if ((flags & TTRS_ANYWAY) || ((flags & TTRS_UNMAPPED) && page->_mapcount < 0) ||
		    ((flags & TTRS_FULL) && vm_swap_full(m)))
			ret = try_to_free_swap(m, page);
	}
	put_page(m, page);
	return ret;
}

static bool slot_takeable(struct machine *m, struct swap_info_struct *si, unsigned long offset)
{
	unsigned char v = map_get(m, si, offset);

	return !v || (v == SWAP_HAS_CACHE && vm_swap_full(m));
}

static int scan_swap_map_slots(struct machine *m, struct swap_info_struct *si, int nr,
			       swp_entry_t *slots)
{
	const unsigned long cluster = swapfile_cluster(m);
	unsigned long offset = si->cluster_next, scan_base = offset;
	int n_ret = 0;
	bool scanned_many = false;

	if (!si->cluster_nr--) {
		if (si->pages - si->inuse_pages < cluster) {
			si->cluster_nr = cluster - 1;
			goto checks;
		}
		/* Look for a run of a cluster's free slots, from the lowest free one. */
		scan_base = offset = si->lowest_bit;
		unsigned long last_in_cluster = offset + cluster - 1;
		for (; last_in_cluster <= si->highest_bit; offset++) {
			if (map_get(m, si, offset)) {
				last_in_cluster = offset + cluster;
			} else if (offset == last_in_cluster) {
				offset -= cluster - 1;
				si->cluster_next = offset;
				si->cluster_nr = cluster - 1;
				goto checks;
			}
		}
		offset = scan_base;
		si->cluster_nr = cluster - 1;
	}
checks:
	if (!(si->flags & SWP_WRITEOK) || !si->highest_bit)
		return n_ret;
	if (offset > si->highest_bit)
		scan_base = offset = si->lowest_bit;
	/* A slot only the swap cache holds is taken back when swap runs short. */
	if (vm_swap_full(m) && map_get(m, si, offset) == SWAP_HAS_CACHE) {
		if (try_to_reclaim_swap(m, si, offset, TTRS_ANYWAY) > 0)
			goto checks;
		goto scan;
	}
	if (map_get(m, si, offset)) {
		if (!n_ret)
			goto scan;
		goto done;
	}
	map_set(m, si, offset, SWAP_HAS_CACHE);
	swap_range_alloc(si, offset);
	slots[n_ret++] = swp_entry(si->type, offset);
	if (n_ret == nr || offset >= si->highest_bit)
		goto done;
	/* More in this cluster? */
	if (si->cluster_nr && !map_get(m, si, ++offset)) {
		--si->cluster_nr;
		goto checks;
	}
	/* The cluster is used up: a short look further on before giving the batch back. */
	if (!scanned_many) {
		unsigned long scan_limit = offset + LATENCY_SCAN / (unsigned long)nr;
		if (scan_limit > si->highest_bit)
			scan_limit = si->highest_bit;
		while (offset < scan_limit) {
			if (!map_get(m, si, ++offset)) {
				scanned_many = true;
				goto checks;
			}
		}
	}
done:
	si->cluster_next = offset + 1;
	return n_ret;
scan:
	while (++offset <= si->highest_bit)
		if (slot_takeable(m, si, offset))
			goto checks;
	offset = si->lowest_bit;
	while (offset < scan_base) {
		if (slot_takeable(m, si, offset))
			goto checks;
		offset++;
	}
	return n_ret;
}

/*
 * The areas in the order get_swap_pages() tries them: highest priority
 * first; among equal priorities the one tried longest ago (the kernel
 * requeues an area behind its equals each time it is tried).
 */
static struct swap_info_struct *next_avail(struct machine *m, struct swap_info_struct *after,
					   bool *wrapped)
{
	struct swap_info_struct *best = NULL;

	for (unsigned int t = 0; t < m->swap->nr_swapfiles; t++) {
		struct swap_info_struct *si = type_info(m, t);
		if (!si || !(si->flags & SWP_WRITEOK) || !si->highest_bit || si == after)
			continue;
		if (after && (si->prio > after->prio || (si->prio == after->prio && si->type < after->type)))
			continue;
		if (!best || si->prio > best->prio || (si->prio == best->prio && si->type < best->type))
			best = si;
	}
	*wrapped = !best;
	return best;
}

int get_swap_pages(struct machine *m, int n_goal, swp_entry_t *entries)
{
	long avail = get_nr_swap_pages(m);
	int n_ret = 0;

	if (avail <= 0)
		return 0;
	if (n_goal > SWAP_BATCH)
		n_goal = SWAP_BATCH;
	if (n_goal > avail)
		n_goal = (int)avail;
	m->nr_swap_pages -= n_goal;
	bool wrapped;
	for (struct swap_info_struct *si = next_avail(m, NULL, &wrapped); si && !n_ret;
	     si = next_avail(m, si, &wrapped))
		n_ret = scan_swap_map_slots(m, si, n_goal, entries);
	if (n_ret < n_goal)
		m->nr_swap_pages += n_goal - n_ret;
	return n_ret;
}

/* ---- counting references: __swap_duplicate / __swap_entry_free --------------------------- */

/* swap_count_continued(): carry into (or borrow from) the continuation. */
static bool count_continue(struct swap_info_struct *si, unsigned long offset, bool up)
{
	if (!si->count_cont) {
		si->count_cont = calloc(si->max, sizeof(*si->count_cont));
		if (!si->count_cont)
			return false;
	}
	if (up) {
		if (si->count_cont[offset] == UINT_MAX)
			return false;
		si->count_cont[offset]++;
		return true;
	}
	return --si->count_cont[offset] != 0;
}

static int __swap_duplicate(struct machine *m, swp_entry_t entry, unsigned char usage)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);

	if (!si)
		return -MMSIM_EINVAL;
	unsigned char v = map_get(m, si, entry.offset);
	unsigned char count = v & ~SWAP_HAS_CACHE, has_cache = v & SWAP_HAS_CACHE;
	int err = 0;

	if (v == SWAP_MAP_BAD)
		return -MMSIM_ENOENT;
	if (usage == SWAP_HAS_CACHE) {
		if (!has_cache && count)
			has_cache = SWAP_HAS_CACHE;
		else if (has_cache)
			err = -MMSIM_EEXIST;	/* someone else is reading it in */
		else
			err = -MMSIM_ENOENT;	/* a free slot */
	} else if (count || has_cache) {
		if ((count & ~COUNT_CONTINUED) < SWAP_MAP_MAX)
			count += usage;
		else if (count_continue(si, entry.offset, true))
			count = COUNT_CONTINUED;
		else
			err = -MMSIM_ENOMEM;
	} else {
		err = -MMSIM_ENOENT;
	}
	if (!err)
		map_set(m, si, entry.offset, count | has_cache);
	return err;
}

/* swap_shmem_alloc(): a shmem file holds the slot now (the special count SWAP_MAP_SHMEM). */
void swap_shmem_alloc(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);
	unsigned char v = map_get(m, si, entry.offset);

	map_set(m, si, entry.offset, (unsigned char)((v & SWAP_HAS_CACHE) | SWAP_MAP_SHMEM));
}

int swap_duplicate(struct machine *m, swp_entry_t entry)
{
	return __swap_duplicate(m, entry, 1);
}

int swapcache_prepare(struct machine *m, swp_entry_t entry)
{
	return __swap_duplicate(m, entry, SWAP_HAS_CACHE);
}

/*
 * Drop one reference (a PTE's, or with @usage SWAP_HAS_CACHE the swap
 * cache's). What is left; a slot left with nothing is held as
 * SWAP_HAS_CACHE until the slots cache gives it back.
 */
static unsigned char swap_entry_put(struct machine *m, struct swap_info_struct *si,
				    unsigned long offset, unsigned char usage)
{
	unsigned char v = map_get(m, si, offset);
	unsigned char count = v & ~SWAP_HAS_CACHE, has_cache = v & SWAP_HAS_CACHE;

	if (usage == SWAP_HAS_CACHE) {
		has_cache = 0;
	} else if (count == SWAP_MAP_SHMEM) {
		count = 0;	/* the file's one reference */
	} else if ((count & ~COUNT_CONTINUED) <= SWAP_MAP_MAX) {
		if (count == COUNT_CONTINUED)
			count = count_continue(si, offset, false) ? SWAP_MAP_MAX | COUNT_CONTINUED
								  : SWAP_MAP_MAX;
		else if (count)
			count--;
	}
	unsigned char left = count | has_cache;
	map_set(m, si, offset, left ? left : SWAP_HAS_CACHE);
	return left;
}

void swap_free(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);

	if (si && !swap_entry_put(m, si, entry.offset, 1))
		free_swap_slot(m, entry);
}

void put_swap_page(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);

	if (si && !swap_entry_put(m, si, entry.offset, SWAP_HAS_CACHE))
		free_swap_slot(m, entry);
}

void swapcache_free_entries(struct machine *m, swp_entry_t *entries, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct swap_info_struct *si = swp_swap_info(m, entries[i]);
		if (!si)
			continue;
		map_set(m, si, entries[i].offset, 0);
		swap_range_free(m, si, entries[i].offset);
	}
}

bool free_swap_and_cache(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);

	if (!si)
		return false;
	unsigned char left = swap_entry_put(m, si, entry.offset, 1);
	if (!left)
		free_swap_slot(m, entry);
	else if (left == SWAP_HAS_CACHE)
		try_to_reclaim_swap(m, si, entry.offset, TTRS_UNMAPPED | TTRS_FULL);
	return true;
}

unsigned int __swap_count(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);

	return si ? map_get(m, si, entry.offset) & ~SWAP_HAS_CACHE : 0;
}

/* swp_swapcount(): every PTE naming the slot, the continuation's too. */
unsigned long swp_swapcount(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);

	if (!si)
		return 0;
	unsigned char count = map_get(m, si, entry.offset) & ~SWAP_HAS_CACHE;
	if (count == SWAP_MAP_SHMEM)
		return 1;	/* one holder: the shmem file */
	unsigned long n = count & ~COUNT_CONTINUED;
	if ((count & COUNT_CONTINUED) && si->count_cont)
		n += (unsigned long)si->count_cont[entry.offset] * (SWAP_MAP_MAX + 1);
	return n;
}

/* folio_free_swap(): a swap-cache page no PTE's swap entry names any more leaves the cache. */
bool try_to_free_swap(struct machine *m, struct page *page)
{
	if (!PageSwapCache(page) || PageWriteback(page))
		return false;
	if (__swap_count(m, page_swap_entry(page)))
		return false;
	delete_from_swap_cache(m, page);
	set_page_dirty(m, page);
	return true;
}

/* ---- swapon -------------------------------------------------------------------------- */

/* The swap header (include/linux/swap.h: union swap_header), as mkswap writes it. */
#define SWAP_MAGIC_OFFSET	(PAGE_SIZE - 10)
#define SWAP_INFO_OFFSET	1024
#define MAX_SWAP_BADPAGES	((PAGE_SIZE - SWAP_INFO_OFFSET - 12 - 32 - 117 * 4) / 4)

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * read_swap_header(): the slots of an area whose header is @hdr and whose
 * backing holds @backing_pages pages; 0 (with the kernel's warning) if it
 * cannot be used.
 */
static unsigned long read_swap_header(struct machine *m, const unsigned char *hdr,
				      unsigned long backing_pages, bool is_file)
{
	if (memcmp(hdr + SWAP_MAGIC_OFFSET, "SWAPSPACE2", 10)) {
		printk(m, KERN_ERR "Unable to find swap-space signature\n");
		return 0;
	}
	uint32_t version = get_le32(hdr + SWAP_INFO_OFFSET);
	uint32_t last_page = get_le32(hdr + SWAP_INFO_OFFSET + 4);
	uint32_t nr_badpages = get_le32(hdr + SWAP_INFO_OFFSET + 8);
	if (version != 1) {
		printk(m, KERN_WARNING "Unable to handle swap header version %u\n", version);
		return 0;
	}
	if (!last_page) {
		printk(m, KERN_WARNING "Empty swap-file\n");
		return 0;
	}
	unsigned long maxpages = swp_offset_limit(m);
	if (last_page > maxpages) {
		printk(m, KERN_WARNING "Truncating oversized swap area, only using %luk out of %luk\n",
		       maxpages << (PAGE_SHIFT - 10), (unsigned long)last_page << (PAGE_SHIFT - 10));
	}
	if (maxpages > last_page) {
		maxpages = (unsigned long)last_page + 1;
		if ((unsigned int)maxpages == 0)
			maxpages = UINT_MAX;
	}
	if (maxpages > backing_pages) {
		printk(m, KERN_WARNING "Swap area shorter than signature indicates\n");
		return 0;
	}
	if (nr_badpages && is_file)
		return 0;
	if (nr_badpages > MAX_SWAP_BADPAGES)
		return 0;
	return maxpages;
}

/* mkswap's header for the memory device: version 1, its last page, no bad pages. */
static void make_swap_header(unsigned char *hdr, unsigned long pages)
{
	uint32_t last = (uint32_t)(pages - 1);

	memset(hdr, 0, PAGE_SIZE);
	hdr[SWAP_INFO_OFFSET] = 1;
	for (int i = 0; i < 4; i++)
		hdr[SWAP_INFO_OFFSET + 4 + i] = (unsigned char)(last >> (8 * i));
	memcpy(hdr + SWAP_MAGIC_OFFSET, "SWAPSPACE2", 10);
}

/* alloc_swap_info(): the lowest free type, or NULL (-EPERM: all max_swapfiles() in use). */
static struct swap_info_struct *alloc_swap_info(struct machine *m)
{
	struct swap_state *s = m->swap;
	unsigned int type;

	for (type = 0; type < s->nr_swapfiles; type++)
		if (!(s->info[type]->flags & SWP_USED))
			break;
	if (type >= max_swapfiles(m))
		return NULL;
	struct swap_info_struct *si = s->info[type];
	if (!si) {
		si = calloc(1, sizeof(*si));
		if (!si)
			return NULL;
		s->info[type] = si;
		s->nr_swapfiles = type + 1;
	}
	memset(si, 0, sizeof(*si));
	si->type = type;
	si->host_fd = -1;
	si->flags = SWP_USED;
	return si;
}

static void free_swap_info_contents(struct machine *m, struct swap_info_struct *si)
{
	if (si->swap_map_kaddr)
		vfree(m, si->swap_map_kaddr);
	if (si->slot_mem) {
		for (unsigned long i = 0; i < si->max; i++)
			free(si->slot_mem[i]);
		free(si->slot_mem);
	}
	free(si->count_cont);
	free(si->cache.pages);
	free(si->cache.shadows);
	if (si->host_fd >= 0)
		host_close(si->host_fd);
	unsigned int type = si->type;
	memset(si, 0, sizeof(*si));
	si->type = type;
	si->host_fd = -1;
}

int do_swapon(struct machine *m, const char *path, uint64_t size, int prio)
{
	struct swap_state *s = m->swap;
	unsigned char hdr[PAGE_SIZE];
	unsigned long backing_pages;
	struct host_file_info info;
	int fd = -1;

	if (path) {
		char real[sizeof(((struct swap_info_struct *)0)->name)];
		host_realpath(path, real, sizeof(real));
		for (unsigned int t = 0; t < s->nr_swapfiles; t++)
			if ((s->info[t]->flags & SWP_USED) && !strcmp(s->info[t]->name, real))
				return -MMSIM_EBUSY;
		fd = host_open_rw(path, &info);
		if (fd < 0)
			return fd;
		if (!info.is_reg) {
			host_close(fd);
			return -MMSIM_EINVAL;
		}
		if (host_pread(fd, hdr, PAGE_SIZE, 0) != PAGE_SIZE) {
			host_close(fd);
			printk(m, KERN_ERR "Unable to find swap-space signature\n");
			return -MMSIM_EINVAL;
		}
		backing_pages = (unsigned long)(info.size >> PAGE_SHIFT);
	} else {
		if (size > SWAP_MEMORY_MAX || (size >> PAGE_SHIFT) < 10)
			return -MMSIM_EINVAL;	/* mkswap: at least 10 pages */
		/* Bigger than swap PTEs can address: read_swap_header() truncates it, with the warning. */
		backing_pages = (unsigned long)(size >> PAGE_SHIFT);
		make_swap_header(hdr, backing_pages);
	}
	struct swap_info_struct *si = alloc_swap_info(m);
	if (!si) {
		if (fd >= 0)
			host_close(fd);
		return -MMSIM_EPERM;
	}
	si->host_fd = fd;
	si->is_file = path != NULL;
	if (path)
		host_realpath(path, si->name, sizeof(si->name));
	else
		snprintf(si->name, sizeof(si->name), "/dev/mmswap%u", si->type);
	unsigned long maxpages = read_swap_header(m, hdr, backing_pages, si->is_file);
	int err = -MMSIM_EINVAL;
	if (!maxpages)
		goto bad;
	err = -MMSIM_ENOMEM;
	si->swap_map_kaddr = vzalloc(m, maxpages);
	si->swap_map_vm = si->swap_map_kaddr ? find_vm_area(m, si->swap_map_kaddr) : NULL;
	si->cache.pages = calloc(maxpages, sizeof(*si->cache.pages));
	if (!si->is_file)
		si->slot_mem = calloc(maxpages, sizeof(*si->slot_mem));
	if (!si->swap_map_kaddr || !si->cache.pages || (!si->is_file && !si->slot_mem))
		goto bad;
	si->cache.nr_slots = maxpages;
	si->cache.swap_backed = true;
	INIT_LIST_HEAD(&si->cache.i_mmap);
	si->max = maxpages;
	map_set(m, si, 0, SWAP_MAP_BAD);	/* the header */
	si->pages = maxpages - 1;
	si->lowest_bit = 1;
	si->highest_bit = maxpages - 1;
	si->cluster_next = 1;
	si->cluster_nr = 0;
	si->prio = prio >= 0 ? prio : --s->least_priority;
	si->flags |= SWP_WRITEOK;
	m->total_swap_pages += si->pages;
	m->nr_swap_pages += (long)si->pages;
	/* FS: frontswap is set up for every area (Debian builds zswap in, off by default). */
	printk(m, KERN_INFO "Adding %luk swap on %s.  Priority:%d extents:1 across:%luk FS\n",
	       si->pages << (PAGE_SHIFT - 10), si->name, si->prio, si->pages << (PAGE_SHIFT - 10));
	swap_slots_check_active(m);
	return 0;
bad:
	free_swap_info_contents(m, si);
	return err;
}

/* ---- swapoff ------------------------------------------------------------------------- */

/*
 * unuse_pte(): map the swapped-in @page where the swap PTE was, old and
 * read-only as a fault on it would (a write then reuses or copies).
 */
static void unuse_pte(struct machine *m, struct vm_area_struct *vma, phys_addr_t table,
		      unsigned int idx, uint64_t addr, uint64_t pte, struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	swp_entry_t entry = pte_to_swp_entry(m, pte);

	mm->rss_stat[MM_SWAPENTS]--;
	mm->rss_stat[MM_ANONPAGES]++;
	get_page(page);
	page_add_anon_rmap(m, page, vma, addr, pte_swp_exclusive(m, pte));
	uint64_t npte = PFN_PHYS(page_to_pfn(m, page)) | vma->vm_page_prot;
	if (pte_swp_soft_dirty(m, pte))
		npte |= _PAGE_SOFT_DIRTY;
	pt_write(m, table, idx, m->is_32bit ? npte & ~_PAGE_NX : npte);
	swap_free(m, entry);
}

/* Swap in every page of area @type that @vma's PTEs name. -ENOMEM if one cannot be read. */
static int unuse_vma(struct machine *m, struct vm_area_struct *vma, unsigned int type)
{
	uint64_t pmd_size = pt_level_size(m, PT_PMD);

	for (uint64_t addr = vma->vm_start; addr < vma->vm_end;) {
		uint64_t next = (addr + pmd_size) & ~(pmd_size - 1);
		if (next > vma->vm_end || next == 0)
			next = vma->vm_end;
		phys_addr_t table = user_walk(m, vma->vm_mm, addr, PT_PTE, false, NULL);
		if (!table) {
			/* No PTE table (or a huge page, never swapped): the whole hole at once. */
			addr = pt_hole_end(m, vma->vm_mm, addr, vma->vm_end);
			continue;
		}
		for (; addr < next; addr += PAGE_SIZE) {
			unsigned int idx = pt_index(m, addr, PT_PTE);
			uint64_t pte = pt_read(m, table, idx);
			if (!is_swap_pte(pte))
				continue;
			swp_entry_t entry = pte_to_swp_entry(m, pte);
			if (entry.type != type)
				continue;
			struct page *page = read_swap_cache_async(m, entry);
			if (!page)
				return -MMSIM_ENOMEM;
			unuse_pte(m, vma, table, idx, addr, pte, page);
			try_to_free_swap(m, page);
			put_page(m, page);
		}
		addr = next;
	}
	return 0;
}

/* The first task of its mm, so that a walk over tasks visits each address space once. */
static bool first_user_of_mm(struct machine *m, struct task_struct *t)
{
	if (!t->mm)
		return false;
	for (struct task_struct *o = NULL; (o = next_task(m, o)) != t;)
		if (o->mm == t->mm)
			return false;
	return true;
}

/* try_to_unuse(): no PTE and no cached page may hold a slot of area @type afterwards. */
static int try_to_unuse(struct machine *m, unsigned int type)
{
	struct swap_info_struct *si = m->swap->info[type];
	struct task_struct *t = NULL;

	lru_add_drain_all(m);
	/* shmem's pages first (shmem_unuse), then every process's swap PTEs. */
	int err = shmem_unuse(m, type);
	if (err)
		return err;
	while ((t = next_task(m, t))) {
		if (!first_user_of_mm(m, t))
			continue;
		for (struct vm_area_struct *vma = t->mm->mmap; vma; vma = vma->vm_next) {
			if (!vma->anon_vma)
				continue;
			err = unuse_vma(m, vma, type);
			if (err)
				return err;
		}
	}
	for (unsigned long off = 1; off < si->max && si->inuse_pages; off++) {
		struct page *page = si->cache.pages[off];
		if (page && !try_to_free_swap(m, page))
			return -MMSIM_EBUSY;
	}
	return si->inuse_pages ? -MMSIM_EBUSY : 0;
}

int do_swapoff(struct machine *m, const char *name)
{
	struct swap_state *s = m->swap;
	struct swap_info_struct *si = NULL;
	char real[sizeof(si->name)];

	host_realpath(name, real, sizeof(real));
	for (unsigned int t = 0; t < s->nr_swapfiles; t++) {
		struct swap_info_struct *p = s->info[t];
		if ((p->flags & SWP_WRITEOK) && (!strcmp(p->name, name) || !strcmp(p->name, real)))
			si = p;
	}
	if (!si)
		return -MMSIM_EINVAL;
	/* The memory its pages need must be there to commit (the kernel's check). */
	if (security_vm_enough_memory_mm(m, get_current(m)->mm, si->pages))
		return -MMSIM_ENOMEM;
	vm_unacct_memory(m, si->pages);
	si->flags &= ~SWP_WRITEOK;
	m->total_swap_pages -= si->pages;
	m->nr_swap_pages -= (long)si->pages;
	/*
	 * disable_swap_slots_cache_lock(): the per-CPU caches give their slots
	 * back and take no more while the area empties, so inuse_pages can
	 * reach 0.
	 */
	m->swap->slots_cache_enabled = false;
	swap_slots_drain(m);
	int err = try_to_unuse(m, si->type);
	swap_slots_check_active(m);
	if (err) {
		/* reinsert_swap_info(): back in use, as it was. */
		si->flags |= SWP_WRITEOK;
		m->total_swap_pages += si->pages;
		m->nr_swap_pages += (long)si->pages;
		return err;
	}
	if (si->prio < 0) {
		/* The areas after it in priority move up; the next default priority too. */
		for (unsigned int t = 0; t < s->nr_swapfiles; t++)
			if ((s->info[t]->flags & SWP_WRITEOK) && s->info[t]->prio < si->prio)
				s->info[t]->prio++;
		s->least_priority++;
	}
	free_swap_info_contents(m, si);
	swap_slots_check_active(m);
	return 0;
}

/*
 * swapon(2) and swapoff(2): root only (CAP_SYS_ADMIN); the path is a host
 * file, as the program names it (a relative one from mmsim's directory).
 * SWAP_FLAG_PREFER gives the priority in the low 15 bits; discard flags
 * are accepted and change nothing (there is nothing to discard).
 */
#define SWAP_FLAG_PREFER	0x8000
#define SWAP_FLAG_PRIO_MASK	0x7fff
#define SWAP_FLAGS_VALID	(SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | 0x10000 | 0x20000 | 0x40000)

int64_t sys_swapon(struct machine *m, uint64_t specialfile, int swap_flags)
{
	char path[256];
	int err;

	if (swap_flags & ~SWAP_FLAGS_VALID)
		return -MMSIM_EINVAL;
	if (!capable(get_current(m), CAP_SYS_ADMIN))
		return -MMSIM_EPERM;
	if ((err = getname(m, specialfile, path, sizeof(path))))
		return err;
	return do_swapon(m, path, 0, (swap_flags & SWAP_FLAG_PREFER) ? swap_flags & SWAP_FLAG_PRIO_MASK : -1);
}

int64_t sys_swapoff(struct machine *m, uint64_t specialfile)
{
	char path[256];
	int err;

	if (!capable(get_current(m), CAP_SYS_ADMIN))
		return -MMSIM_EPERM;
	if ((err = getname(m, specialfile, path, sizeof(path))))
		return err;
	return do_swapoff(m, path);
}

int mmsim_swapon(struct machine *m, const char *path, uint64_t size, int prio)
{
	return do_swapon(m, path, size, prio);
}

int mmsim_swapoff(struct machine *m, const char *name)
{
	return do_swapoff(m, name);
}

/* ---- /proc/swaps, set-up, validator ---------------------------------------------------- */

void proc_swaps_show(struct machine *m, FILE *out)
{
	struct swap_state *s = m->swap;

	fputs("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n", out);
	for (unsigned int t = 0; t < s->nr_swapfiles; t++) {
		struct swap_info_struct *si = s->info[t];
		if (!(si->flags & SWP_WRITEOK))
			continue;
		int len = (int)strlen(si->name);
		unsigned long bytes = si->pages << (PAGE_SHIFT - 10);
		unsigned long inuse = si->inuse_pages << (PAGE_SHIFT - 10);
		fprintf(out, "%s%*s%s\t%lu\t%s%lu\t%s%d\n", si->name, len < 40 ? 40 - len : 1, " ",
			si->is_file ? "file\t" : "partition", bytes, bytes < 10000000 ? "\t" : "",
			inuse, inuse < 10000000 ? "\t" : "", si->prio);
	}
}

/*
 * The swap subsystem's state is the kernel's static data (swap_info[],
 * vm_swappiness, the per-CPU slot caches): it exists before the first page
 * allocation, which may already enter direct reclaim on a small machine and
 * ask get_scan_count() how much swap there is (none yet).
 */
int swap_state_init(struct machine *m)
{
	m->swap = calloc(1, sizeof(*m->swap));
	if (!m->swap)
		return -MMSIM_ENOMEM;
	m->swap->slots = calloc(m->nr_cpus, sizeof(*m->swap->slots));
	if (!m->swap->slots) {
		free(m->swap);
		m->swap = NULL;
		return -MMSIM_ENOMEM;
	}
	m->swap->least_priority = -1;
	m->swap->page_cluster = 3;
	m->swap->swappiness = 60;
	return 0;
}

/* swap_setup() (module_init): swap-in readahead of 2^3 slots, 2^2 below 16 MiB of RAM. */
void swap_setup(struct machine *m)
{
	unsigned long megs = m->totalram_pages >> (20 - PAGE_SHIFT);

	m->swap->page_cluster = megs < 16 ? 2 : 3;
}

void swap_release(struct machine *m)
{
	if (!m->swap)
		return;
	for (unsigned int t = 0; t < m->swap->nr_swapfiles; t++) {
		if (m->swap->info[t]) {
			free_swap_info_contents(m, m->swap->info[t]);
			free(m->swap->info[t]);
		}
	}
	free(m->swap->slots);
	free(m->swap->inflight);
	free(m->swap);
	m->swap = NULL;
}

/*
 * Every slot's count is the swap PTEs naming it (in every process), and
 * SWAP_HAS_CACHE is set exactly for slots whose page is in the swap cache
 * or that the slots cache holds; the free counts add up.
 */
unsigned long swap_verify(struct machine *m, FILE *out, unsigned long *const swap_ptes[])
{
	struct swap_state *s = m->swap;
	unsigned long bad = 0, free_total = 0, total = 0;

	for (unsigned int t = 0; t < s->nr_swapfiles; t++) {
		struct swap_info_struct *si = s->info[t];
		if (!(si->flags & SWP_WRITEOK))
			continue;
		unsigned long *ptes = swap_ptes[t];
		if (!ptes)
			continue;	/* mm_verify() has said why */
		/* The shmem files' swap entries hold their slots too (SWAP_MAP_SHMEM). */
		unsigned char *shmem_refs = calloc(si->max, 1);
		if (!shmem_refs)
			return bad + 1;
		struct list_head *ipos;
		list_for_each(ipos, &m->fs->inodes) {
			struct address_space *mapping = &list_entry(ipos, struct inode, i_list)->i_data;
			for (unsigned long i = 0; mapping->swapped && i < mapping->nr_slots; i++) {
				swp_entry_t e = mapping->swapped[i];
				if (e.offset && e.type == t && e.offset < si->max && shmem_refs[e.offset] < 255)
					shmem_refs[e.offset]++;
			}
		}
		unsigned long inuse = 0;
		for (unsigned long off = 1; off < si->max; off++) {
			unsigned char v = map_get(m, si, off);
			swp_entry_t e = swp_entry(t, off);
			bool cached = si->cache.pages[off] != NULL;
			if (v)
				inuse++;
			if ((v & ~SWAP_HAS_CACHE) == SWAP_MAP_SHMEM) {
				if (shmem_refs[off] != 1 || ptes[off]) {
					fprintf(out, "swap %s slot %lu: a shmem slot, but %u files and %lu PTEs "
						"name it\n", si->name, off, shmem_refs[off], ptes[off]);
					bad++;
				}
			} else if (shmem_refs[off]) {
				fprintf(out, "swap %s slot %lu: a shmem file names it, but its count is %#x\n",
					si->name, off, v);
				bad++;
			} else if (swp_swapcount(m, e) != ptes[off]) {
				fprintf(out, "swap %s slot %lu: count %lu, but %lu swap PTEs name it\n",
					si->name, off, swp_swapcount(m, e), ptes[off]);
				bad++;
			}
			if (cached && !(v & SWAP_HAS_CACHE)) {
				fprintf(out, "swap %s slot %lu: its page is in the swap cache without "
					"SWAP_HAS_CACHE\n", si->name, off);
				bad++;
			}
			if (v == SWAP_HAS_CACHE && !cached && !swap_slot_cached(m, e)) {
				fprintf(out, "swap %s slot %lu: held for a cache page that is not there\n",
					si->name, off);
				bad++;
			}
		}
		free(shmem_refs);
		if (inuse != si->inuse_pages) {
			fprintf(out, "swap %s: %lu slots in use, inuse_pages says %lu\n", si->name, inuse,
				si->inuse_pages);
			bad++;
		}
		total += si->pages;
		free_total += si->pages - si->inuse_pages;
	}
	/* Each shmem file's count of its swap entries. */
	struct list_head *ipos;
	list_for_each(ipos, &m->fs->inodes) {
		struct address_space *mapping = &list_entry(ipos, struct inode, i_list)->i_data;
		unsigned long n = 0;
		for (unsigned long i = 0; mapping->swapped && i < mapping->nr_slots; i++)
			n += mapping->swapped[i].offset != 0;
		if (n != mapping->nr_swapped) {
			fprintf(out, "a shmem file holds %lu swap entries, nr_swapped says %lu\n", n,
				mapping->nr_swapped);
			bad++;
		}
	}
	if (total != total_swap_pages(m) || (long)free_total != get_nr_swap_pages(m)) {
		fprintf(out, "swap: %lu slots in %lu, but SwapTotal %lu and SwapFree %ld pages\n",
			free_total, total, total_swap_pages(m), get_nr_swap_pages(m));
		bad++;
	}
	return bad;
}
