/* meminfo.c — /proc/meminfo (fs/proc/meminfo.c).
 *
 * Each line is "Label:" padded to 16 columns and a value in kB padded to 8,
 * as show_val_kb() prints it, in 6.1's order. Every line the real kernel
 * prints is here. Percpu is the first chunk the boot embeds (one unit per
 * CPU); the chunks the kernel adds later for dynamic per-CPU data are not
 * modelled (x86_64's boot adds one: 3 pages at 1 CPU). Lines for what this machine does not have (swap, zswap, hugetlb pages,
 * NFS, bounce buffers) are the zeros the kernel prints without them. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86/pgtable.h"
#include "mm.h"
#include "mm/cma.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"

static void show_val_kb(FILE *out, const char *label, unsigned long pages)
{
	fprintf(out, "%-16s%8lu kB\n", label, pages << (PAGE_SHIFT - 10));
}

static unsigned long node_page_state(const struct machine *m, enum node_stat_item item)
{
	long v = m->node.vm_stat[item];

	return v < 0 ? 0 : (unsigned long)v;
}

/*
 * si_mem_available(): free pages minus the reserves the allocator will not
 * hand out (totalreserve_pages), plus the page cache and reclaimable slab
 * that reclaim could free — each less what must stay (half of it, at most
 * the low watermarks).
 */
static unsigned long si_mem_available(struct machine *m)
{
	long available = (long)global_zone_page_state(m, NR_FREE_PAGES) -
			 (long)m->totalreserve_pages;
	unsigned long wmark_low = 0, slab, reclaimable, unreclaimable;

	for_each_zone_idx(m, zone)
		wmark_low += low_wmark_pages(zone);
	unsigned long pagecache = node_page_state(m, NR_ACTIVE_FILE) +
				  node_page_state(m, NR_INACTIVE_FILE);
	pagecache -= min_t(unsigned long, pagecache / 2, wmark_low);
	available += (long)pagecache;
	meminfo_slab_values(m, &slab, &reclaimable, &unreclaimable);
	reclaimable += node_page_state(m, NR_KERNEL_MISC_RECLAIMABLE);
	available += (long)reclaimable - (long)min_t(unsigned long, reclaimable / 2, wmark_low);
	return available < 0 ? 0 : (unsigned long)available;
}

void proc_meminfo_show(struct machine *m, FILE *out)
{
	unsigned long free = global_zone_page_state(m, NR_FREE_PAGES);
	/* Buffers: block-device pages; there are no block devices. Nor is there a swap cache. */
	unsigned long buffers = 0, swapcache = node_page_state(m, NR_SWAPCACHE);
	long cached = (long)node_page_state(m, NR_FILE_PAGES) - (long)swapcache - (long)buffers;
	unsigned long lru[NR_LRU_LISTS];

	for (int l = 0; l < NR_LRU_LISTS; l++)
		lru[l] = node_page_state(m, (enum node_stat_item)(NR_LRU_BASE + l));
	show_val_kb(out, "MemTotal:", m->totalram_pages);
	show_val_kb(out, "MemFree:", free);
	show_val_kb(out, "MemAvailable:", si_mem_available(m));
	show_val_kb(out, "Buffers:", buffers);
	show_val_kb(out, "Cached:", cached < 0 ? 0 : (unsigned long)cached);
	show_val_kb(out, "SwapCached:", swapcache);
	show_val_kb(out, "Active:", lru[LRU_ACTIVE_ANON] + lru[LRU_ACTIVE_FILE]);
	show_val_kb(out, "Inactive:", lru[LRU_INACTIVE_ANON] + lru[LRU_INACTIVE_FILE]);
	show_val_kb(out, "Active(anon):", lru[LRU_ACTIVE_ANON]);
	show_val_kb(out, "Inactive(anon):", lru[LRU_INACTIVE_ANON]);
	show_val_kb(out, "Active(file):", lru[LRU_ACTIVE_FILE]);
	show_val_kb(out, "Inactive(file):", lru[LRU_INACTIVE_FILE]);
	show_val_kb(out, "Unevictable:", lru[LRU_UNEVICTABLE]);
	show_val_kb(out, "Mlocked:", global_zone_page_state(m, NR_MLOCK));
	if (m->is_32bit) {
		unsigned long high_free = 0;
		for_each_zone_idx(m, zone)
			if (zone->is_highmem)
				high_free += zone_page_state(zone, NR_FREE_PAGES);
		show_val_kb(out, "HighTotal:", m->totalhigh_pages);
		show_val_kb(out, "HighFree:", high_free);
		show_val_kb(out, "LowTotal:", m->totalram_pages - m->totalhigh_pages);
		show_val_kb(out, "LowFree:", free - high_free);
	}
	show_val_kb(out, "SwapTotal:", total_swap_pages(m));
	show_val_kb(out, "SwapFree:", (unsigned long)get_nr_swap_pages(m));
	show_val_kb(out, "Zswap:", 0);
	show_val_kb(out, "Zswapped:", 0);
	show_val_kb(out, "Dirty:", node_page_state(m, NR_FILE_DIRTY));
	show_val_kb(out, "Writeback:", node_page_state(m, NR_WRITEBACK));
	show_val_kb(out, "AnonPages:", node_page_state(m, NR_ANON_MAPPED));
	show_val_kb(out, "Mapped:", node_page_state(m, NR_FILE_MAPPED));
	show_val_kb(out, "Shmem:", node_page_state(m, NR_SHMEM));
	unsigned long slab, reclaimable, unreclaimable;
	meminfo_slab_values(m, &slab, &reclaimable, &unreclaimable);
	show_val_kb(out, "KReclaimable:", reclaimable + node_page_state(m, NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(out, "Slab:", slab);
	show_val_kb(out, "SReclaimable:", reclaimable);
	show_val_kb(out, "SUnreclaim:", unreclaimable);
	/* Kept in kB already. */
	fprintf(out, "%-16s%8lu kB\n", "KernelStack:", node_page_state(m, NR_KERNEL_STACK_KB));
	show_val_kb(out, "PageTables:", node_page_state(m, NR_PAGETABLE));
	show_val_kb(out, "SecPageTables:", node_page_state(m, NR_SECONDARY_PAGETABLE));
	show_val_kb(out, "NFS_Unstable:", 0);
	show_val_kb(out, "Bounce:", global_zone_page_state(m, NR_BOUNCE));
	show_val_kb(out, "WritebackTmp:", node_page_state(m, NR_WRITEBACK_TEMP));
	show_val_kb(out, "CommitLimit:", vm_commit_limit(m));
	show_val_kb(out, "Committed_AS:", vm_memory_committed(m));
	uint64_t vtotal, vused;
	meminfo_vmalloc_values(m, &vtotal, &vused);
	fprintf(out, "%-16s%8" PRIu64 " kB\n", "VmallocTotal:", vtotal);
	fprintf(out, "%-16s%8" PRIu64 " kB\n", "VmallocUsed:", vused);
	fprintf(out, "%-16s%8d kB\n", "VmallocChunk:", 0);
	show_val_kb(out, "Percpu:", m->pcpu_nr_pages);
	/* CONFIG_MEMORY_FAILURE: no page has been poisoned. */
	fprintf(out, "HardwareCorrupted: %5d kB\n", 0);
	show_val_kb(out, "AnonHugePages:", node_page_state(m, NR_ANON_THPS));
	show_val_kb(out, "ShmemHugePages:", node_page_state(m, NR_SHMEM_THPS));
	show_val_kb(out, "ShmemPmdMapped:", node_page_state(m, NR_SHMEM_PMDMAPPED));
	show_val_kb(out, "FileHugePages:", node_page_state(m, NR_FILE_THPS));
	show_val_kb(out, "FilePmdMapped:", node_page_state(m, NR_FILE_PMDMAPPED));
	/* CONFIG_CMA only: the areas' pages, and the free ones on their pageblocks. */
	if (m->config.cma) {
		show_val_kb(out, "CmaTotal:", totalcma_pages(m));
		show_val_kb(out, "CmaFree:", global_zone_page_state(m, NR_FREE_CMA_PAGES));
	}
	/* hugetlb_report_meminfo(): no huge pages reserved; the size is the PMD's. */
	fputs("HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\n"
	      "HugePages_Surp:        0\n", out);
	fprintf(out, "%-16s%8u kB\n", "Hugepagesize:", thp_nr_pages(m) * 4);
	fprintf(out, "%-16s%8d kB\n", "Hugetlb:", 0);
	/* arch_report_meminfo(): the direct map by page size. */
	fprintf(out, "%-16s%8lu kB\n", "DirectMap4k:", m->direct_pages_count[PT_PTE] << 2);
	if (m->is_32bit)
		fprintf(out, "%-16s%8lu kB\n", "DirectMap4M:", m->direct_pages_count[PT_PGD] << 12);
	else
		fprintf(out, "%-16s%8lu kB\n", "DirectMap2M:", m->direct_pages_count[PT_PMD] << 11);
}
