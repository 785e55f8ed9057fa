/* page_io.c — a page's bytes to and from its swap slot (mm/page_io.c).
 *
 * The bytes move when the I/O is issued; a write's completion comes once
 * reclaim has put back the batch that issued it (the plug flushed, the
 * disk's interrupt), so a page reclaim wrote is rotated to its inactive
 * list's tail and freed by the next scan, as on the real kernel with a
 * disk; reads complete at once. Each
 * page counts one pswpout or pswpin, and its 4 kB in pgpgout or pgpgin, as
 * the block layer counts the bio. A failed write leaves the page dirty for
 * another try, a failed read leaves it !Uptodate (the fault then raises
 * SIGBUS), each with the kernel's alert. */
#include <stdlib.h>
#include <string.h>

#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/swap.h"

/* The memory device's blocks go when their slot is freed (as a discard would free them). */
void swap_slot_discard(struct swap_info_struct *si, unsigned long offset)
{
	if (si->slot_mem) {
		free(si->slot_mem[offset]);
		si->slot_mem[offset] = NULL;
	}
}

static int write_slot(struct swap_info_struct *si, unsigned long offset, const void *data)
{
	if (si->is_file)
		return host_pwrite(si->host_fd, data, PAGE_SIZE, (uint64_t)offset << PAGE_SHIFT) == PAGE_SIZE ?
		       0 : -MMSIM_EIO;
	if (!si->slot_mem[offset]) {
		si->slot_mem[offset] = malloc(PAGE_SIZE);
		if (!si->slot_mem[offset])
			return -MMSIM_EIO;
	}
	memcpy(si->slot_mem[offset], data, PAGE_SIZE);
	return 0;
}

static int read_slot(struct swap_info_struct *si, unsigned long offset, void *data)
{
	if (si->is_file)
		return host_pread(si->host_fd, data, PAGE_SIZE, (uint64_t)offset << PAGE_SHIFT) == PAGE_SIZE ?
		       0 : -MMSIM_EIO;
	if (si->slot_mem[offset])
		memcpy(data, si->slot_mem[offset], PAGE_SIZE);
	else
		memset(data, 0, PAGE_SIZE);	/* a block never written reads as zeroes */
	return 0;
}

/* folio_start_writeback(): under writeback, counted as such until the write completes. */
static void start_page_writeback(struct machine *m, struct page *page)
{
	__SetPageWriteback(page);
	m->node.vm_stat[NR_WRITEBACK]++;
	page_zone(m, page)->vm_stat[NR_ZONE_WRITE_PENDING]++;
}

/*
 * folio_end_writeback(): the write is done. A page reclaim wrote
 * (PG_reclaim) goes to the tail of its inactive list, where the next scan
 * frees it at once.
 */
static void end_page_writeback(struct machine *m, struct page *page)
{
	if (PageReclaim(page)) {
		__ClearPageReclaim(page);
		rotate_reclaimable_page(m, page);
	}
	__ClearPageWriteback(page);
	m->node.vm_stat[NR_WRITEBACK]--;
	page_zone(m, page)->vm_stat[NR_ZONE_WRITE_PENDING]--;
	m->node.vm_stat[NR_WRITTEN]++;
}

/*
 * swap_writepage(): the page is clean from here (pageout cleared its
 * dirty bit). A page whose slot no PTE names any more is just taken out of
 * the swap cache instead: no one would read it back. The bytes are in the
 * slot at once; the page stays under writeback until the device completes
 * the request (swap_io_complete()), as the disk's interrupt would.
 */
int swap_writepage(struct machine *m, struct page *page)
{
	if (try_to_free_swap(m, page))
		return 0;	/* dirty again, and out of the swap cache: reclaim keeps it */
	swp_entry_t entry = page_swap_entry(page);
	struct swap_info_struct *si = swp_swap_info(m, entry);
	struct swap_state *s = m->swap;

	start_page_writeback(m, page);
	count_vm_event(m, PSWPOUT);
	count_vm_events(m, PGPGOUT, PAGE_SIZE / 1024);
	int err = write_slot(si, entry.offset, page_host_address(m, page));
	if (err) {
		/* end_swap_bio_write(): dirty again, so it is not freed with nothing on disk. */
		__SetPageDirty(page);
		__ClearPageReclaim(page);
		printk(m, KERN_ALERT "Write-error on swap-device (%u:%u:%llu)\n", 0U, si->type,
		       (unsigned long long)entry.offset << (PAGE_SHIFT - 9));
		end_page_writeback(m, page);
		return err;
	}
	if (s->nr_inflight == s->max_inflight) {
		unsigned long n = s->max_inflight ? 2 * s->max_inflight : 64;
		struct page **q = realloc(s->inflight, n * sizeof(*q));
		if (!q) {
			end_page_writeback(m, page);	/* no room to queue it: completed now */
			return 0;
		}
		s->inflight = q;
		s->max_inflight = n;
	}
	s->inflight[s->nr_inflight++] = page;
	return 0;
}

void swap_io_complete(struct machine *m)
{
	struct swap_state *s = m->swap;

	for (unsigned long i = 0; i < s->nr_inflight; i++)
		end_page_writeback(m, s->inflight[i]);
	s->nr_inflight = 0;
}

int swap_readpage(struct machine *m, struct page *page)
{
	swp_entry_t entry = page_swap_entry(page);
	struct swap_info_struct *si = swp_swap_info(m, entry);

	count_vm_event(m, PSWPIN);
	count_vm_events(m, PGPGIN, PAGE_SIZE / 1024);
	if (read_slot(si, entry.offset, page_host_address(m, page))) {
		printk(m, KERN_ALERT "Read-error on swap-device (%u:%u:%llu)\n", 0U, si->type,
		       (unsigned long long)entry.offset << (PAGE_SHIFT - 9));
		return -MMSIM_EIO;
	}
	__SetPageUptodate(page);
	return 0;
}
