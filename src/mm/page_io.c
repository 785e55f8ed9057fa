/* page_io.c — a page's bytes to and from its swap slot (mm/page_io.c).
 *
 * The I/O completes when it is issued (a device infinitely fast, as a RAM
 * disk is to the kernel), so writeback starts and ends within
 * swap_writepage() and reclaim may free the page in the same pass. Each
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

/*
 * swap_writepage(): the page is clean from here (pageout cleared its
 * dirty bit). A page whose slot no PTE names any more is just taken out of
 * the swap cache instead: no one would read it back.
 */
int swap_writepage(struct machine *m, struct page *page)
{
	if (try_to_free_swap(m, page))
		return 0;	/* dirty again, and out of the swap cache: reclaim keeps it */
	swp_entry_t entry = page_swap_entry(page);
	struct swap_info_struct *si = swp_swap_info(m, entry);

	__SetPageWriteback(page);
	m->node.vm_stat[NR_WRITEBACK]++;
	page_zone(m, page)->vm_stat[NR_ZONE_WRITE_PENDING]++;
	count_vm_event(m, PSWPOUT);
	count_vm_events(m, PGPGOUT, PAGE_SIZE / 1024);
	int err = write_slot(si, entry.offset, page_host_address(m, page));
	if (err) {
		/* end_swap_bio_write(): dirty again, so it is not freed with nothing on disk. */
		__SetPageDirty(page);
		__ClearPageReclaim(page);
		printk(m, KERN_ALERT "Write-error on swap-device (%u:%u:%llu)\n", 0U, si->type,
		       (unsigned long long)entry.offset << (PAGE_SHIFT - 9));
	}
	__ClearPageWriteback(page);
	m->node.vm_stat[NR_WRITEBACK]--;
	page_zone(m, page)->vm_stat[NR_ZONE_WRITE_PENDING]--;
	m->node.vm_stat[NR_WRITTEN]++;
	return err;
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
