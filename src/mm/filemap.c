/* filemap.c — the page cache and the faults of file mappings (mm/filemap.c).
 *
 * A file's pages live in its address_space, indexed by page offset; each
 * cached page holds one reference for the cache, has ->mapping pointing at
 * the address_space and ->index at its offset, and is on the file LRU.
 * Pages of a host file are read (pread) when first needed, by readahead
 * (readahead.c): a fault on a page that is not cached reads a window
 * around it, counts a major fault, and — as the kernel does, having
 * dropped mmap_lock for the I/O — returns VM_FAULT_RETRY, so the fault is
 * taken again and finds the page (two PGFAULT events, one major fault).
 *
 * filemap_map_pages() is fault-around's half: map whatever of the window
 * is already cached and up to date, without reading anything. */
#include <stdlib.h>
#include <string.h>

#include "arch/x86/mmu.h"
#include "fs/fs.h"
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/swap.h"

struct page *find_get_page(struct address_space *mapping, unsigned long index)
{
	if (index >= mapping->nr_slots)
		return NULL;
	struct page *page = mapping->pages[index];
	if (page)
		get_page(page);
	return page;
}

int add_to_page_cache_lru(struct machine *m, struct page *page, struct address_space *mapping,
			  unsigned long index)
{
	int err = mapping_reserve(mapping, index);

	if (err)
		return err;
	if (mapping->pages[index])
		return -MMSIM_EEXIST;
	get_page(page);		/* the cache's reference */
	page->mapping = mapping;
	page->index = index;
	mapping->pages[index] = page;
	mapping->nrpages++;
	m->node.vm_stat[NR_FILE_PAGES]++;
	if (mapping->swap_backed) {
		__SetPageSwapBacked(page);
		m->node.vm_stat[NR_SHMEM]++;
	}
	unsigned long shadow = mapping_take_shadow(mapping, index);
	if (shadow)
		workingset_refault(m, page, shadow);
	lru_cache_add(m, page);
	return 0;
}

/*
 * __filemap_remove_folio(): take one page out of the cache (it must not
 * be mapped); the cache's reference stays with the caller.
 */
static void page_cache_unlink(struct machine *m, struct address_space *mapping,
			      unsigned long index)
{
	struct page *page = mapping->pages[index];

	mapping->pages[index] = NULL;
	mapping->nrpages--;
	m->node.vm_stat[NR_FILE_PAGES]--;
	if (mapping->swap_backed)
		m->node.vm_stat[NR_SHMEM]--;
	if (PageDirty(page)) {
		__ClearPageDirty(page);
		m->node.vm_stat[NR_FILE_DIRTY]--;
		page_zone(m, page)->vm_stat[NR_ZONE_WRITE_PENDING]--;
	}
	page->mapping = NULL;
}

static void delete_from_page_cache(struct machine *m, struct address_space *mapping,
				   unsigned long index)
{
	struct page *page = mapping->pages[index];

	page_cache_unlink(m, mapping, index);
	put_page(m, page);
}

void remove_from_page_cache(struct machine *m, struct address_space *mapping, struct page *page)
{
	page_cache_unlink(m, mapping, page->index);
}

void mapping_release_written(struct address_space *mapping)
{
	for (unsigned long i = 0; i < mapping->nr_written; i++)
		free(mapping->written[i]);
	free(mapping->written);
	mapping->written = NULL;
	mapping->nr_written = 0;
	free(mapping->shadows);
	mapping->shadows = NULL;
}

int writeback_page(struct machine *m, struct address_space *mapping, struct page *page)
{
	unsigned long index = page->index;

	if (mapping->swap_backed)
		return -MMSIM_EIO;	/* shmem: swap would be its backing store */
	if (index >= mapping->nr_written) {
		unsigned long n = mapping->nr_slots > index ? mapping->nr_slots : index + 1;
		unsigned char **w = realloc(mapping->written, n * sizeof(*w));
		if (!w)
			return -MMSIM_ENOMEM;
		memset(w + mapping->nr_written, 0, (n - mapping->nr_written) * sizeof(*w));
		mapping->written = w;
		mapping->nr_written = n;
	}
	if (!mapping->written[index]) {
		mapping->written[index] = malloc(PAGE_SIZE);
		if (!mapping->written[index])
			return -MMSIM_ENOMEM;
	}
	memcpy(mapping->written[index], page_host_address(m, page), PAGE_SIZE);
	m->node.vm_stat[NR_WRITTEN]++;
	count_vm_events(m, PGPGOUT, PAGE_SIZE / 1024);
	return 0;
}

void truncate_inode_pages(struct machine *m, struct address_space *mapping)
{
	/* Pages sitting in an LRU batch hold a reference; let them go first. */
	lru_add_drain_all(m);
	for (unsigned long i = 0; i < mapping->nr_slots && mapping->nrpages; i++)
		if (mapping->pages[i])
			delete_from_page_cache(m, mapping, i);
}

/*
 * Read page @index of a host file into @page: the bytes of the file, and
 * zeroes past its end.
 */
static int read_host_page(struct machine *m, struct inode *inode, struct page *page,
			  unsigned long index)
{
	unsigned char *dst = page_host_address(m, page);
	uint64_t pos = (uint64_t)index << PAGE_SHIFT;
	size_t done = 0;

	struct address_space *mapping = &inode->i_data;
	if (index < mapping->nr_written && mapping->written[index]) {
		memcpy(dst, mapping->written[index], PAGE_SIZE);
		__SetPageUptodate(page);
		return 0;
	}

	while (done < PAGE_SIZE && pos + done < inode->i_size) {
		long n = host_pread(inode->host_fd, dst + done, PAGE_SIZE - done, pos + done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	memset(dst + done, 0, PAGE_SIZE - done);
	__SetPageUptodate(page);
	return 0;
}

/*
 * Read the pages [index, index + nr) that are not cached yet into the cache,
 * marking the one @lookahead from the end PG_readahead (where the next
 * asynchronous window starts). Stops at the end of the file, or when a page
 * cannot be allocated.
 */
void page_cache_ra_unbounded(struct machine *m, struct file *file, unsigned long index,
			     unsigned long nr_to_read, unsigned long lookahead)
{
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;

	if (mapping->swap_backed || inode->host_fd < 0)
		return;	/* tmpfs: everything is in memory already */
	for (unsigned long i = 0; i < nr_to_read; i++) {
		unsigned long idx = index + i;
		if (idx < mapping->nr_slots && mapping->pages[idx])
			continue;
		struct page *page = alloc_pages(m, GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN, 0);
		if (!page)
			break;
		if (i == nr_to_read - lookahead)
			__SetPageReadahead(page);
		if (add_to_page_cache_lru(m, page, mapping, idx)) {
			put_page(m, page);
			break;
		}
		read_host_page(m, inode, page, idx);
		put_page(m, page);	/* the cache keeps its own */
		count_vm_events(m, PGPGIN, PAGE_SIZE / 1024);
	}
}

static inline unsigned long file_pages(const struct inode *inode)
{
	return (unsigned long)DIV_ROUND_UP(inode->i_size, PAGE_SIZE);
}

/* ---- faults ---------------------------------------------------------------------------- */

vm_fault_t filemap_fault(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct file *file = vmf->vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	unsigned long index = vmf->pgoff;
	vm_fault_t ret = 0;

	if (index >= file_pages(inode))
		return VM_FAULT_SIGBUS;	/* past the end of the file */
	struct page *page = find_get_page(mapping, index);
	if (page) {
		if (!(vmf->flags & FAULT_FLAG_TRIED))
			do_async_mmap_readahead(vmf, page);
	} else {
		/* Not cached: read it (and its neighbours), a major fault. */
		count_vm_event(m, PGMAJFAULT);
		ret = VM_FAULT_MAJOR;
		bool dropped = do_sync_mmap_readahead(vmf);
		page = find_get_page(mapping, index);
		if (!page) {
			/* Readahead did not read it (too many misses): this page alone. */
			page = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
			if (!page)
				return VM_FAULT_OOM;
			if (add_to_page_cache_lru(m, page, mapping, index)) {
				put_page(m, page);
				return VM_FAULT_OOM;
			}
			read_host_page(m, inode, page, index);
			dropped = (vmf->flags & FAULT_FLAG_ALLOW_RETRY) && !(vmf->flags & FAULT_FLAG_TRIED);
		}
		/*
		 * The I/O was done with mmap_lock dropped: the fault is
		 * retried from the start (and will find the page).
		 */
		if (dropped) {
			put_page(m, page);
			return ret | VM_FAULT_RETRY;
		}
	}
	vmf->page = page;
	return ret | VM_FAULT_LOCKED;
}

vm_fault_t filemap_map_pages(struct vm_fault *vmf, unsigned long start_pgoff,
			     unsigned long end_pgoff)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	struct file *file = vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	unsigned long file_end = file_pages(mapping->host);
	unsigned int mmap_miss = file->f_ra.mmap_miss;
	vm_fault_t ret = 0;

	if (!file_end)
		return 0;
	if (end_pgoff > file_end - 1)
		end_pgoff = file_end - 1;
	for (unsigned long pgoff = start_pgoff; pgoff <= end_pgoff; pgoff++) {
		if (pgoff >= mapping->nr_slots)
			break;
		struct page *page = mapping->pages[pgoff];
		/* next_uptodate_page(): cached, up to date, not a readahead mark, not busy */
		if (!page || PageLocked(page) || !PageUptodate(page) || PageReadahead(page))
			continue;
		if (mmap_miss > 0)
			mmap_miss--;
		uint64_t addr = vma->vm_start + ((uint64_t)(pgoff - vma->vm_pgoff) << PAGE_SHIFT);
		unsigned int idx = pt_index(m, addr, PT_PTE);
		if (pt_read(m, vmf->pte_table, idx))
			continue;
		if (addr == vmf->address)
			ret = VM_FAULT_NOPAGE;
		get_page(page);
		set_pte_range(vmf, page, addr, false);
	}
	file->f_ra.mmap_miss = mmap_miss;
	return ret;
}

int set_page_dirty(struct machine *m, struct page *page)
{
	page = compound_head(page);
	if (PageDirty(page))
		return 0;
	__SetPageDirty(page);
	struct address_space *mapping = page_mapping(page);
	if (mapping && !mapping->swap_backed) {
		m->node.vm_stat[NR_FILE_DIRTY]++;
		m->node.vm_stat[NR_DIRTIED]++;
		page_zone(m, page)->vm_stat[NR_ZONE_WRITE_PENDING]++;
	}
	return 1;
}

/* filemap_page_mkwrite(): a shared mapping is about to write the page: it is dirty from now on. */
static vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf)
{
	struct page *page = vmf->page ? vmf->page :
		vm_normal_page(vmf->m, vmf->vma, vmf->address, vmf->orig_pte);

	if (page)
		set_page_dirty(vmf->m, page);
	return 0;
}

static const struct vm_operations_struct generic_file_vm_ops = {
	.fault = filemap_fault,
	.map_pages = filemap_map_pages,
	.page_mkwrite = filemap_page_mkwrite,
};

int generic_file_mmap(struct machine *m, struct file *file, struct vm_area_struct *vma)
{
	(void)m;
	(void)file;
	vma->vm_ops = &generic_file_vm_ops;
	return 0;
}

/* ---- read(2) and writeback ------------------------------------------------------------------ */

long kernel_read(struct machine *m, struct file *file, void *buf, size_t count, uint64_t *pos)
{
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	size_t done = 0;

	if (!(file->f_mode & FMODE_READ))
		return -MMSIM_EBADF;
	while (done < count && *pos < inode->i_size) {
		unsigned long index = (unsigned long)(*pos >> PAGE_SHIFT);
		unsigned long last = (unsigned long)((*pos + (count - done) - 1) >> PAGE_SHIFT);
		struct page *page = find_get_page(mapping, index);
		if (!page) {
			page_cache_sync_readahead(m, file, index, last - index + 1);
			page = find_get_page(mapping, index);
			if (!page && mapping->swap_backed)
				page = shmem_get_page(m, inode, index);
			if (!page)
				return done ? (long)done : -MMSIM_ENOMEM;
		} else if (PageReadahead(page)) {
			page_cache_async_readahead(m, file, page, index, last - index + 1);
		}
		size_t off = (size_t)(*pos & (PAGE_SIZE - 1));
		size_t n = PAGE_SIZE - off;
		if (n > count - done)
			n = count - done;
		if (n > inode->i_size - *pos)
			n = (size_t)(inode->i_size - *pos);
		memcpy((char *)buf + done, (char *)page_host_address(m, page) + off, n);
		mark_page_accessed(m, page);
		put_page(m, page);
		done += n;
		*pos += n;
	}
	file->f_ra.prev_pos = *pos;
	return (long)done;
}

/*
 * page_mkclean(): a page about to be written back is write-protected and
 * cleaned in every shared mapping, so the next write faults and dirties
 * it again (the dirty bit of the PTE moves to the page first).
 */
static void page_mkclean(struct machine *m, struct address_space *mapping, struct page *page)
{
	struct list_head *pos;

	list_for_each(pos, &mapping->i_mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, shared);
		if (!(vma->vm_flags & VM_SHARED) || page->index < vma->vm_pgoff ||
		    page->index >= vma->vm_pgoff + vma_pages(vma))
			continue;
		uint64_t addr = vma->vm_start + ((uint64_t)(page->index - vma->vm_pgoff) << PAGE_SHIFT);
		phys_addr_t table = user_walk(m, vma->vm_mm, addr, PT_PTE, false, NULL);
		if (!table)
			continue;
		unsigned int idx = pt_index(m, addr, PT_PTE);
		uint64_t pte = pt_read(m, table, idx);
		if (!(pte & _PAGE_PRESENT) || (pte & pt_format(m)->addr_mask) != PFN_PHYS(page_to_pfn(m, page)))
			continue;
		if (pte & (_PAGE_RW | _PAGE_DIRTY)) {
			pt_write(m, table, idx, pte & ~(uint64_t)(_PAGE_RW | _PAGE_DIRTY));
			flush_tlb_page(m, vma, addr);
		}
	}
}

int filemap_write_and_wait_range(struct machine *m, struct address_space *mapping,
				 uint64_t start, uint64_t end)
{
	if (mapping->swap_backed)
		return 0;	/* shmem has no backing store to write to */
	for (unsigned long i = (unsigned long)(start >> PAGE_SHIFT);
	     i < mapping->nr_slots && (uint64_t)i << PAGE_SHIFT <= end; i++) {
		struct page *page = mapping->pages[i];
		if (!page || !PageDirty(page))
			continue;
		page_mkclean(m, mapping, page);
		/*
		 * Written back: clean, its dirty count gone. The host file is
		 * never changed; the written bytes go to the mapping's own copy.
		 */
		if (writeback_page(m, mapping, page))
			return -MMSIM_EIO;
		__ClearPageDirty(page);
		m->node.vm_stat[NR_FILE_DIRTY]--;
		page_zone(m, page)->vm_stat[NR_ZONE_WRITE_PENDING]--;
	}
	return 0;
}

void wakeup_flusher_threads(struct machine *m)
{
	struct list_head *pos;

	list_for_each(pos, &m->fs->inodes) {
		struct inode *inode = list_entry(pos, struct inode, i_list);
		if (!inode->i_data.swap_backed && inode->i_data.nrpages)
			filemap_write_and_wait_range(m, &inode->i_data, 0, UINT64_MAX);
	}
}

/* ---- validator ---------------------------------------------------------------------------------- */

unsigned long filemap_verify(struct machine *m, FILE *out)
{
	unsigned long bad = 0, total = 0, shmem = 0;
	struct list_head *pos;

	list_for_each(pos, &m->fs->inodes) {
		struct inode *inode = list_entry(pos, struct inode, i_list);
		struct address_space *mapping = &inode->i_data;
		unsigned long n = 0;
		for (unsigned long i = 0; i < mapping->nr_slots; i++) {
			struct page *page = mapping->pages[i];
			if (!page)
				continue;
			n++;
			if (page->mapping != mapping || page->index != i || page_ref_count(page) <= 0) {
				fprintf(out, "%s: the page cache's page %lu (pfn %#lx) does not point back "
					"at it\n", inode->path, i, page_to_pfn(m, page));
				bad++;
			}
		}
		if (n != mapping->nrpages) {
			fprintf(out, "%s: %lu pages cached, nrpages says %lu\n", inode->path, n,
				mapping->nrpages);
			bad++;
		}
		total += n;
		if (mapping->swap_backed)
			shmem += n;
	}
	/* The swap cache is page cache too (NR_FILE_PAGES counts it). */
	total += total_swapcache_pages(m);
	if ((long)total != m->node.vm_stat[NR_FILE_PAGES] || (long)shmem != m->node.vm_stat[NR_SHMEM]) {
		fprintf(out, "page cache holds %lu pages (%lu shmem), NR_FILE_PAGES %ld, NR_SHMEM %ld\n",
			total, shmem, m->node.vm_stat[NR_FILE_PAGES], m->node.vm_stat[NR_SHMEM]);
		bad++;
	}
	return bad;
}
