/* drop_caches.c — `echo 1|2|3 > /proc/sys/vm/drop_caches` (fs/drop_caches.c).
 *
 * 1 drops the clean page cache: every cached page of every file that no
 * one maps, that is not dirty and that nothing else holds (a page in a
 * per-CPU LRU batch is held by it, and stays). 2 runs the shrinkers at
 * priority 0 (drop_slab): the inode cache's, which evicts the inodes no one
 * holds (their pages first), and
 * the deferred split queue of huge pages (mm/huge_memory.c), which splits
 * partly unmapped huge pages and frees their unmapped pages. 4 silences
 * the dmesg line from then on.
 * shmem and tmpfs pages are never clean, so they stay too. */
#include "fs/fs.h"
#include "kernel/sched.h"
#include "mm/internal.h"

/* invalidate_mapping_pages(): the pages of @mapping that can go, gone. */
unsigned long invalidate_mapping_pages(struct machine *m, struct address_space *mapping)
{
	unsigned long freed = 0;

	if (mapping->swap_backed)
		return 0;
	for (unsigned long i = 0; i < mapping->nr_slots && mapping->nrpages; i++) {
		struct page *page = mapping->pages[i];
		if (!page || PageDirty(page) || PageWriteback(page) || page->_mapcount >= 0 ||
		    page_ref_count(page) != 1)
			continue;
		remove_from_page_cache(m, mapping, page);
		put_page(m, page);
		freed++;
	}
	return freed;
}

/* drop_slab() (mm/vmscan.c): the shrinkers at priority 0, again while they free more than a little. */
static void drop_slab(struct machine *m)
{
	unsigned long freed;
	int shift = 0;

	do {
		freed = shrink_slab(m, 0);
	} while ((freed >> shift++) > 1);
}

void drop_caches(struct machine *m, int how)
{
	struct task_struct *t = get_current(m);

	if (how & 1) {
		struct list_head *pos;
		list_for_each(pos, &m->fs->inodes)
			invalidate_mapping_pages(m, &list_entry(pos, struct inode, i_list)->i_data);
		count_vm_event(m, DROP_PAGECACHE);
	}
	if (how & 2) {
		drop_slab(m);
		count_vm_event(m, DROP_SLAB);
	}
	if (!m->vm.drop_caches_quiet)
		printk(m, KERN_INFO "%s (%d): drop_caches: %d\n", t->comm, t->pid, how);
	m->vm.drop_caches_quiet |= (how & 4) != 0;
}
