/* readahead.c — reading a file ahead of its use (mm/readahead.c and
 * filemap.c's mmap read-around).
 *
 * read(2) uses on-demand readahead: the first read of a file reads a
 * small window (4 pages for a one-page read) and marks a page near its end
 * PG_readahead; reaching that mark reads the next window, each one larger
 * (x4 while small, then x2, up to ra_pages, 32 pages = read_ahead_kb 128).
 * A fault in a file mapping reads around instead: ra_pages centred on the
 * page (fewer at the file's start and end), unless the mapping is
 * MADV_RANDOM, or sequential (MADV_SEQUENTIAL: plain readahead), or has
 * missed the cache more than MMAP_LOTSAMISS (100) times without the
 * faults ever finding what read-around brought in. */
#include "fs/fs.h"
#include "mm/internal.h"

#define MMAP_LOTSAMISS	100

/* do_page_cache_ra(): read [index, index + nr), clipped to the file, lookahead as given. */
static void do_page_cache_ra(struct machine *m, struct file *file, unsigned long index,
			     unsigned long nr_to_read, unsigned long lookahead)
{
	struct inode *inode = file->f_mapping->host;

	if (!inode->i_size)
		return;
	unsigned long end_index = (unsigned long)((inode->i_size - 1) >> PAGE_SHIFT);
	if (index > end_index)
		return;
	if (nr_to_read > end_index - index)
		nr_to_read = end_index - index + 1;
	page_cache_ra_unbounded(m, file, index, nr_to_read, lookahead);
}

static unsigned long roundup_pow_of_two(unsigned long n)
{
	unsigned long p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* get_init_ra_size(): the first window of a read of @size pages. */
static unsigned long get_init_ra_size(unsigned long size, unsigned long max)
{
	unsigned long newsize = roundup_pow_of_two(size);

	if (newsize <= max / 32)
		return newsize * 4;
	if (newsize <= max / 4)
		return newsize * 2;
	return max;
}

/* get_next_ra_size(): grow the window x4 while small, then x2, to max. */
static unsigned long get_next_ra_size(const struct file_ra_state *ra, unsigned long max)
{
	unsigned long cur = ra->size;

	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

static void ra_submit(struct machine *m, struct file *file)
{
	struct file_ra_state *ra = &file->f_ra;

	do_page_cache_ra(m, file, ra->start, ra->size, ra->async_size);
}

/*
 * ondemand_readahead(): the window for a read of @req pages at @index;
 * @marked is the PG_readahead page that was reached, or NULL for a miss.
 */
static void ondemand_readahead(struct machine *m, struct file *file, struct page *marked,
			       unsigned long index, unsigned long req)
{
	struct file_ra_state *ra = &file->f_ra;
	unsigned long max = ra->ra_pages;

	if (req > max)
		max = req;
	if (!index)
		goto initial;
	/* The expected mark, or the window's end: a sequential reader. */
	if (index == ra->start + ra->size - ra->async_size || index == ra->start + ra->size) {
		ra->start += ra->size;
		ra->size = (unsigned int)get_next_ra_size(ra, max);
		ra->async_size = ra->size;
		goto readit;
	}
	if (marked) {
		/* A mark without matching state: ramp up from what is cached beyond it. */
		struct address_space *mapping = file->f_mapping;
		unsigned long start = index + 1;
		while (start < mapping->nr_slots && mapping->pages[start] && start - index <= max)
			start++;
		if (start - index > max)
			return;
		ra->start = start;
		ra->size = (unsigned int)(start - index + req);
		ra->size = (unsigned int)get_next_ra_size(ra, max);
		ra->async_size = ra->size;
		goto readit;
	}
	/* A large random read, or a read right after the previous one: as at the start. */
	if (req > max)
		goto initial;
	uint64_t prev = ra->prev_pos >> PAGE_SHIFT;
	if (ra->prev_pos != UINT64_MAX && index - prev <= 1)
		goto initial;
	/* Random: read just what was asked for. */
	do_page_cache_ra(m, file, index, req, 0);
	return;
initial:
	ra->start = index;
	ra->size = (unsigned int)get_init_ra_size(req, max);
	ra->async_size = ra->size > req ? ra->size - (unsigned int)req : ra->size;
readit:
	if (index == ra->start && ra->size == ra->async_size) {
		unsigned long add = get_next_ra_size(ra, max);
		if (ra->size + add <= max) {
			ra->async_size = (unsigned int)add;
			ra->size += (unsigned int)add;
		} else {
			ra->size = (unsigned int)max;
			ra->async_size = (unsigned int)(max >> 1);
		}
	}
	ra_submit(m, file);
}

void page_cache_sync_readahead(struct machine *m, struct file *file, unsigned long index,
			       unsigned long req)
{
	if (!file->f_ra.ra_pages)
		return;
	ondemand_readahead(m, file, NULL, index, req);
}

void page_cache_async_readahead(struct machine *m, struct file *file, struct page *page,
				unsigned long index, unsigned long req)
{
	if (!file->f_ra.ra_pages || PageWriteback(page))
		return;
	__ClearPageReadahead(page);
	ondemand_readahead(m, file, page, index, req);
}

/*
 * do_sync_mmap_readahead(): a fault missed the cache. Returns true when
 * I/O was started with mmap_lock dropped (the fault must be retried).
 */
bool do_sync_mmap_readahead(struct vm_fault *vmf)
{
	struct machine *m = vmf->m;
	struct vm_area_struct *vma = vmf->vma;
	struct file *file = vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	/* maybe_unlock_mmap_for_io(): the first try of a retryable fault drops the lock. */
	bool drop = (vmf->flags & FAULT_FLAG_ALLOW_RETRY) && !(vmf->flags & FAULT_FLAG_TRIED);

	if (file->f_mapping->swap_backed)
		return false;
	if (vma->vm_flags & VM_RAND_READ)
		return false;
	if (!ra->ra_pages)
		return false;
	if (vma->vm_flags & VM_SEQ_READ) {
		ondemand_readahead(m, file, NULL, vmf->pgoff, ra->ra_pages);
		return drop;
	}
	if (ra->mmap_miss < MMAP_LOTSAMISS * 10)
		ra->mmap_miss++;
	if (ra->mmap_miss > MMAP_LOTSAMISS)
		return false;
	/* Read around: a window of ra_pages with the fault in its middle. */
	ra->start = vmf->pgoff > ra->ra_pages / 2 ? vmf->pgoff - ra->ra_pages / 2 : 0;
	ra->size = ra->ra_pages;
	ra->async_size = ra->ra_pages / 4;
	ra_submit(m, file);
	return drop;
}

/* do_async_mmap_readahead(): a hit; reaching a mark reads the next window. */
void do_async_mmap_readahead(struct vm_fault *vmf, struct page *page)
{
	struct file *file = vmf->vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;

	if ((vmf->vma->vm_flags & VM_RAND_READ) || !ra->ra_pages)
		return;
	if (ra->mmap_miss)
		ra->mmap_miss--;
	if (PageReadahead(page))
		page_cache_async_readahead(vmf->m, file, page, vmf->pgoff, ra->ra_pages);
}
