/* shmem.c — memory-backed files (mm/shmem.c): the machine's tmpfs root,
 * and the unlinked file behind every MAP_SHARED|MAP_ANONYMOUS mapping.
 *
 * A shmem file's pages exist only in its page cache: a page not there yet
 * is a hole, allocated and zeroed when first touched (shmem_fault). They
 * are swap-backed — counted as Shmem in /proc/meminfo, RssShmem in a
 * process — and under pressure reclaim writes them to swap
 * (shmem_writepage): the page leaves the file for the swap cache, and the
 * file's slot keeps its swap entry instead (held with the special count
 * SWAP_MAP_SHMEM), until a fault or a read brings it back
 * (shmem_swapin_page) or the file lets it go. */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "fs/fs.h"
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/swap.h"

static const struct file_operations shmem_file_operations;

struct inode *shmem_new_inode(struct machine *m, const char *path, uint64_t size, bool installed)
{
	struct inode *inode = new_inode(m, path);

	if (!inode)
		return NULL;
	inode->shmem = true;
	inode->installed = installed;
	inode->i_size = size;
	inode->i_data.swap_backed = true;
	inode->i_fop = &shmem_file_operations;
	/* get_next_ino(): 00:02 is the root tmpfs, 00:01 the internal shm mount. */
	struct fs_state *fs = m->fs;
	inode->dev_major = 0;
	inode->dev_minor = installed ? 2 : 1;
	inode->i_ino = fs->next_ino[installed ? 0 : 1]++;
	if (installed)
		inode->i_count = 0;	/* held by the root itself, not by a reference */
	return inode;
}

bool shmem_file(const struct file *file)
{
	return file && file->f_inode->shmem;
}

static inline swp_entry_t shmem_swap_entry(const struct address_space *mapping, unsigned long index)
{
	return mapping->swapped && index < mapping->nr_slots ? mapping->swapped[index]
							     : (swp_entry_t){ 0, 0 };
}

/*
 * shmem_swapin_folio(): page @index of @mapping is in swap: read it back
 * (with the cluster's readahead) or find it in the swap cache, and put it
 * back in the file in place of its swap entry. *@major: it was read.
 */
static struct page *shmem_swapin_page(struct machine *m, struct address_space *mapping,
				      unsigned long index, bool *major)
{
	swp_entry_t entry = mapping->swapped[index];
	struct page *page = lookup_swap_cache(m, entry);

	if (!page) {
		page = swapin_readahead(m, entry);
		if (!page)
			return NULL;
		*major = true;
	}
	if (!PageUptodate(page)) {
		put_page(m, page);
		return NULL;	/* a read error */
	}
	/* shmem_add_to_page_cache() where the entry was, then out of the swap cache. */
	get_page(page);
	page->mapping = mapping;
	page->index = index;
	mapping->pages[index] = page;
	mapping->nrpages++;
	m->node.vm_stat[NR_FILE_PAGES]++;
	m->node.vm_stat[NR_SHMEM]++;
	mapping->swapped[index] = (swp_entry_t){ 0, 0 };
	mapping->nr_swapped--;
	delete_from_swap_cache(m, page);
	__SetPageDirty(page);	/* its only copy is this page again */
	swap_free(m, entry);	/* the file's SWAP_MAP_SHMEM reference */
	return page;
}

static struct page *shmem_get_page_major(struct machine *m, struct inode *inode,
					 unsigned long index, bool *major)
{
	struct address_space *mapping = &inode->i_data;
	struct page *page = find_get_page(mapping, index);

	*major = false;
	if (page)
		return page;
	if (shmem_swap_entry(mapping, index).offset)
		return shmem_swapin_page(m, mapping, index, major);
	page = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
	if (!page)
		return NULL;
	clear_user_highpage(m, page);
	__SetPageUptodate(page);
	if (add_to_page_cache_lru(m, page, mapping, index)) {
		put_page(m, page);
		return NULL;
	}
	return page;
}

struct page *shmem_get_page(struct machine *m, struct inode *inode, unsigned long index)
{
	bool major;

	return shmem_get_page_major(m, inode, index, &major);
}

int shmem_writepage(struct machine *m, struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	unsigned long index = page->index;

	/* No swap, or none free: the page stays, dirty (AOP_WRITEPAGE_ACTIVATE). */
	if (!total_swap_pages(m) || !mapping || index >= mapping->nr_slots)
		goto redirty;
	if (!mapping->swapped) {
		mapping->swapped = calloc(mapping->nr_slots, sizeof(*mapping->swapped));
		if (!mapping->swapped)
			goto redirty;
	}
	swp_entry_t entry = folio_alloc_swap(m);
	if (!entry.offset)
		goto redirty;
	if (add_to_swap_cache(m, page, entry)) {
		put_swap_page(m, entry);
		goto redirty;
	}
	swap_shmem_alloc(m, entry);
	mapping->swapped[index] = entry;
	mapping->nr_swapped++;
	/* shmem_delete_from_page_cache(): the swap entry takes the page's place in the file. */
	mapping->pages[index] = NULL;
	mapping->nrpages--;
	m->node.vm_stat[NR_FILE_PAGES]--;
	m->node.vm_stat[NR_SHMEM]--;
	page->mapping = NULL;
	put_page(m, page);	/* the file's reference; the swap cache holds its own */
	return swap_writepage(m, page);
redirty:
	__SetPageDirty(page);
	return 1;
}

void shmem_free_swap_range(struct machine *m, struct inode *inode, unsigned long index,
			   unsigned long nr)
{
	struct address_space *mapping = &inode->i_data;

	for (unsigned long i = index; mapping->nr_swapped && i < index + nr && i < mapping->nr_slots; i++) {
		swp_entry_t entry = shmem_swap_entry(mapping, i);
		if (!entry.offset)
			continue;
		mapping->swapped[i] = (swp_entry_t){ 0, 0 };
		mapping->nr_swapped--;
		free_swap_and_cache(m, entry);
	}
}

int shmem_unuse(struct machine *m, unsigned int type)
{
	struct list_head *pos;

	list_for_each(pos, &m->fs->inodes) {
		struct inode *inode = list_entry(pos, struct inode, i_list);
		struct address_space *mapping = &inode->i_data;
		for (unsigned long i = 0; mapping->nr_swapped && i < mapping->nr_slots; i++) {
			if (!mapping->swapped || !mapping->swapped[i].offset || mapping->swapped[i].type != type)
				continue;
			bool major;
			struct page *page = shmem_swapin_page(m, mapping, i, &major);
			if (!page)
				return -MMSIM_ENOMEM;
			put_page(m, page);
		}
	}
	return 0;
}

static vm_fault_t shmem_fault(struct vm_fault *vmf)
{
	struct inode *inode = vmf->vma->vm_file->f_inode;

	if ((uint64_t)vmf->pgoff << PAGE_SHIFT >= ALIGN_UP(inode->i_size, PAGE_SIZE))
		return VM_FAULT_SIGBUS;
	bool major;
	struct page *page = shmem_get_page_major(vmf->m, inode, vmf->pgoff, &major);
	if (!page)
		return VM_FAULT_OOM;
	vmf->page = page;
	if (major) {
		count_vm_event(vmf->m, PGMAJFAULT);
		return VM_FAULT_LOCKED | VM_FAULT_MAJOR;
	}
	return VM_FAULT_LOCKED;
}

/* No page_mkwrite: tmpfs has nothing to write back, so shared PTEs start writable. */
static const struct vm_operations_struct shmem_vm_ops = {
	.fault = shmem_fault,
	.map_pages = filemap_map_pages,
};

static int shmem_mmap(struct machine *m, struct file *file, struct vm_area_struct *vma)
{
	(void)m;
	(void)file;
	vma->vm_ops = &shmem_vm_ops;
	return 0;
}

static const struct file_operations shmem_file_operations = {
	.mmap = shmem_mmap,
	.read = kernel_read,
};

/*
 * shmem_kernel_file_setup() for a shared anonymous mapping: an unlinked
 * shmem file of the mapping's size. Its memory is charged to the
 * overcommit policy here (shmem_acct_size) — the mapping itself is not
 * VM_ACCOUNT — unless MAP_NORESERVE made it VM_NORESERVE; the charge is
 * given back when the object goes (shmem_evict_inode).
 */
int shmem_zero_setup(struct machine *m, struct vm_area_struct *vma)
{
	uint64_t size = vma->vm_end - vma->vm_start;
	unsigned long pages = (unsigned long)(ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT);
	int err;

	if (!(vma->vm_flags & VM_NORESERVE) &&
	    security_vm_enough_memory_mm(m, get_current(m)->mm, pages))
		return -MMSIM_ENOMEM;
	struct inode *inode = shmem_new_inode(m, "/dev/zero (deleted)", size, false);
	if (!inode) {
		if (!(vma->vm_flags & VM_NORESERVE))
			vm_unacct_memory(m, pages);
		return -MMSIM_ENOMEM;
	}
	if (!(vma->vm_flags & VM_NORESERVE))
		inode->shmem_acct_pages = pages;
	struct file *file = alloc_file(m, inode, FMODE_READ | FMODE_WRITE, &err);
	if (!file) {
		iput(m, inode);
		return err;
	}
	if (vma->vm_file)
		fput(m, vma->vm_file);
	vma->vm_file = file;
	vma->vm_ops = &shmem_vm_ops;
	return 0;
}

void shmem_punch_hole(struct machine *m, struct inode *inode, unsigned long index, unsigned long nr)
{
	struct address_space *mapping = &inode->i_data;

	/* unmap_mapping_range(): every mapping of those pages goes first. */
	struct list_head *pos;
	list_for_each(pos, &mapping->i_mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, shared);
		unsigned long vfirst = vma->vm_pgoff, vlast = vma->vm_pgoff + vma_pages(vma);
		unsigned long first = index > vfirst ? index : vfirst;
		unsigned long last = index + nr < vlast ? index + nr : vlast;
		if (first >= last)
			continue;
		zap_page_range_single(m, vma, vma->vm_start + ((uint64_t)(first - vfirst) << PAGE_SHIFT),
				      (uint64_t)(last - first) << PAGE_SHIFT);
	}
	lru_add_drain_all(m);
	shmem_free_swap_range(m, inode, index, nr);
	for (unsigned long i = index; i < index + nr && i < mapping->nr_slots; i++) {
		struct page *page = mapping->pages[i];
		if (!page)
			continue;
		mapping->pages[i] = NULL;
		mapping->nrpages--;
		m->node.vm_stat[NR_FILE_PAGES]--;
		m->node.vm_stat[NR_SHMEM]--;
		page->mapping = NULL;
		__ClearPageDirty(page);
		put_page(m, page);
	}
}
