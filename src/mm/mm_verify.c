/* mm_verify.c — the validator of user address spaces (for `verify`).
 *
 * The kernel checks these piecemeal under CONFIG_DEBUG_VM; mmsim checks
 * them all at once, across every process:
 *   - each mm's VMAs (mmap_verify: sorted, non-overlapping, list = tree,
 *     map_count, cached gaps, page counts, anon_vma chains);
 *   - every present PTE lies inside a VMA, is a user PTE, and is writable
 *     only where its VMA is;
 *   - the map count of every page equals the PTEs (and huge PMDs) that
 *     map it, over all processes; a page nobody maps has none;
 *   - an anonymous page mapped by more than one PTE is mapped read-only
 *     everywhere (copy-on-write), and its anon_vma reaches every VMA that
 *     maps it (the rmap walk would find it);
 *   - each mm's RSS counters (with its tasks' cached counts) equal the
 *     pages its PTEs map, by kind; VmPTE equals its page-table pages;
 *   - AnonPages, Mapped and PageTables equal what the page tables hold;
 *     Committed_AS equals the VM_ACCOUNT pages of all VMAs and the
 *     charges of shared anonymous memory objects;
 *   - the LRU lists and the page cache are consistent. */
#include <inttypes.h>
#include <stdlib.h>

#include "fs/fs.h"
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/migrate.h"
#include "mm/swap.h"

struct verify_ctx {
	struct machine *m;
	FILE *out;
	unsigned long bad;
	unsigned int *maps;		/* [mem_map_pfns]: PTEs seen mapping each page */
	unsigned int *pmd_maps;		/* [mem_map_pfns]: huge PMDs seen mapping each head */
	long rss[NR_MM_COUNTERS];	/* of the mm being walked */
	unsigned long tables;		/* its page-table pages below the PGD */
	unsigned long all_tables;	/* everybody's PMD and PTE tables (PageTables) */
	unsigned long *swap_ptes[MAX_SWAPFILES_MAX];	/* [si->max] per area in use: swap PTEs naming each slot */
};

static void walk_pte_table(struct verify_ctx *v, struct mm_struct *mm, int pid, phys_addr_t table,
			   uint64_t base)
{
	struct machine *m = v->m;
	unsigned int n = 1U << pt_format(m)->index_bits;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t pte = pt_read(m, table, i);
		if (!pte)
			continue;
		uint64_t addr = base + ((uint64_t)i << PAGE_SHIFT);
		struct vm_area_struct *vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr) {
			fprintf(v->out, "pid %d: a PTE maps %#" PRIx64 ", which no VMA covers\n", pid, addr);
			v->bad++;
			continue;
		}
		if (!pte_present(pte)) {
			swp_entry_t e = pte_to_swp_entry(m, pte);
			/* Migration entries live only while migrate_pages() moves a page. */
			if (is_migration_entry(m, e)) {
				fprintf(v->out, "pid %d: %#" PRIx64 " still holds a migration entry "
					"(pfn %#lx) after migration ended\n", pid, addr,
					migration_entry_pfn(m, e));
				v->bad++;
				continue;
			}
			/* A swap entry: swap_verify() checks its slot's count against these. */
			v->rss[MM_SWAPENTS]++;
			struct swap_info_struct *si = swp_swap_info(m, e);
			if (si && v->swap_ptes[e.type])
				v->swap_ptes[e.type][e.offset]++;
			else
				fprintf(v->out, "pid %d: the swap PTE of %#" PRIx64 " names no slot in use\n",
					pid, addr), v->bad++;
			continue;
		}
		if ((pte & _PAGE_PRESENT) && !(pte & _PAGE_USER)) {
			fprintf(v->out, "pid %d: the PTE of %#" PRIx64 " is not a user PTE\n", pid, addr);
			v->bad++;
		}
		if ((pte & _PAGE_RW) && !(vma->vm_flags & VM_WRITE)) {
			fprintf(v->out, "pid %d: %#" PRIx64 " is writable in a VMA that is not\n", pid, addr);
			v->bad++;
		}
		struct page *page = vm_normal_page(m, vma, addr, pte);
		if (!page)
			continue;
		unsigned long pfn = page_to_pfn(m, page);
		v->maps[pfn]++;
		v->rss[mm_counter(page)]++;
		if (PageAnon(page)) {
			if ((pte & _PAGE_RW) && !(vma->vm_flags & VM_SHARED) &&
			    (page->_mapcount > 0 || (PageTail(page) && compound_mapcount(compound_head(page)) >= 0))) {
				fprintf(v->out, "pid %d: %#" PRIx64 " maps a shared anonymous page (pfn %#lx) "
					"writable: copy-on-write is broken\n", pid, addr, pfn);
				v->bad++;
			}
			struct anon_vma *av = page_anon_vma(page);
			bool linked = false;
			struct list_head *pos;
			list_for_each(pos, &vma->anon_vma_chain) {
				struct anon_vma_chain *avc = list_entry(pos, struct anon_vma_chain, same_vma);
				if (avc->anon_vma == av)
					linked = true;
			}
			if (!linked) {
				fprintf(v->out, "pid %d: the anonymous page at %#" PRIx64 " (pfn %#lx) belongs "
					"to an anon_vma its VMA is not linked to\n", pid, addr, pfn);
				v->bad++;
			}
		}
	}
}

static void walk_table(struct verify_ctx *v, struct mm_struct *mm, int pid, phys_addr_t table,
		       enum pt_level level, uint64_t base)
{
	struct machine *m = v->m;
	const struct pt_format *f = pt_format(m);
	unsigned int n = 1U << f->index_bits;
	/* The user half only: the kernel half is swapper_pg_dir's, checked there. */
	unsigned int limit = level == PT_PGD ? pt_index(m, m->page_offset, PT_PGD) : n;
	if (!m->is_32bit && level == PT_PGD)
		limit = 256;

	for (unsigned int i = 0; i < limit; i++) {
		uint64_t e = pt_read(m, table, i);
		if (!(e & _PAGE_PRESENT))
			continue;
		uint64_t addr = base + ((uint64_t)i << f->shift[level]);
		if (e & _PAGE_PSE) {
			/* A huge PMD: one mapping of a compound page (or the huge zero page). */
			struct vm_area_struct *vma = find_vma(mm, addr);
			if (!vma || vma->vm_start > addr || vma->vm_end < addr + pt_level_size(m, level)) {
				fprintf(v->out, "pid %d: a huge PMD maps %#" PRIx64 " outside one VMA\n", pid,
					addr);
				v->bad++;
			}
			if (!is_huge_zero_pmd(m, e)) {
				unsigned long pfn = (unsigned long)((e & f->addr_mask) >> PAGE_SHIFT);
				v->pmd_maps[pfn]++;
				v->rss[MM_ANONPAGES] += thp_nr_pages(m);
			}
			v->tables++;	/* its deposited PTE table */
			v->all_tables++;
			continue;
		}
		phys_addr_t sub = e & f->addr_mask;
		enum pt_level lower = level;
		do {
			lower--;
		} while (!f->present[lower]);
		v->tables++;
		if (lower != PT_PUD)
			v->all_tables++;
		if (lower == PT_PTE)
			walk_pte_table(v, mm, pid, sub, addr);
		else
			walk_table(v, mm, pid, sub, lower, addr);
	}
}

static void verify_mm(struct verify_ctx *v, struct mm_struct *mm, int pid)
{
	struct machine *m = v->m;

	v->bad += mmap_verify(m, mm, pid, v->out);
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		v->rss[i] = 0;
	v->tables = 0;
	walk_table(v, mm, pid, mm->pgd, PT_PGD, 0);
	/* RSS: the mm's counters plus what its tasks have not folded in yet. */
	long counted[NR_MM_COUNTERS];
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		counted[i] = mm->rss_stat[i];
	for (struct task_struct *t = NULL; (t = next_task(m, t));)
		if (t->mm == mm)
			for (int i = 0; i < NR_MM_COUNTERS; i++)
				counted[i] += t->rss_stat.count[i];
	static const char *const names[NR_MM_COUNTERS] = { "file", "anon", "swap", "shmem" };
	for (int i = 0; i < NR_MM_COUNTERS; i++) {
		if (counted[i] != v->rss[i]) {
			fprintf(v->out, "pid %d: RSS %s counts %ld pages, its PTEs map %ld\n", pid, names[i],
				counted[i], v->rss[i]);
			v->bad++;
		}
	}
	if (mm->pgtables_bytes != v->tables * PAGE_SIZE) {
		fprintf(v->out, "pid %d: VmPTE says %lu page tables, the mm has %lu\n", pid,
			mm->pgtables_bytes / PAGE_SIZE, v->tables);
		v->bad++;
	}
}

unsigned long mm_verify(struct machine *m, FILE *out)
{
	struct verify_ctx v = { .m = m, .out = out };
	unsigned long committed = 0, stacks = 0;

	if (!m->sched || !m->fs)
		return 0;
	v.maps = calloc(m->mem_map_pfns, sizeof(*v.maps));
	v.pmd_maps = calloc(m->mem_map_pfns, sizeof(*v.pmd_maps));
	if (!v.maps || !v.pmd_maps) {
		free(v.maps);
		free(v.pmd_maps);
		fprintf(out, "verify: out of host memory for the user-memory check\n");
		return 1;
	}
	for (unsigned int type = 0; m->swap && type < m->swap->nr_swapfiles; type++) {
		struct swap_info_struct *si = m->swap->info[type];
		if (!(si->flags & SWP_WRITEOK))
			continue;
		v.swap_ptes[type] = calloc(si->max, sizeof(*v.swap_ptes[type]));
		if (!v.swap_ptes[type]) {
			fprintf(out, "verify: out of host memory for the swap check\n");
			v.bad++;
		}
	}
	for (struct task_struct *t = NULL; (t = next_task(m, t));) {
		if (t->stack)
			stacks++;
		if (!t->mm)
			continue;
		bool seen = false;
		for (struct task_struct *o = NULL; (o = next_task(m, o)) != t;)
			seen |= o->mm == t->mm;
		if (seen)
			continue;
		verify_mm(&v, t->mm, t->pid);
		for (struct vm_area_struct *vma = t->mm->mmap; vma; vma = vma->vm_next)
			if (vma->vm_flags & VM_ACCOUNT)
				committed += vma_pages(vma);
	}
	/* Map counts over everyone, and the node counters they add up to. */
	long anon_mapped = 0, file_mapped = 0, anon_thps = 0;
	for (unsigned long pfn = 0; pfn < m->mem_map_pfns; pfn++) {
		if (memmap_block_state(m, pfn) != MEMMAP_READY) {
			/* Never written, or free: a PTE to it would have written it (vm_normal_page). */
			pfn |= MAX_ORDER_NR_PAGES - 1;
			continue;
		}
		struct page *page = pfn_to_page_in_block(m, pfn);
		/* A typed page (free, a page table): _mapcount holds its type instead. */
		if ((page->page_type & PAGE_TYPE_BASE) == PAGE_TYPE_BASE && page->page_type != ~0u)
			continue;
		long have = page->_mapcount + 1;
		if (PageReserved(page) && !v.maps[pfn] && !have)
			continue;
		if (have != (long)v.maps[pfn]) {
			fprintf(out, "pfn %#lx: map count %ld, but %u PTEs map it\n", pfn, have, v.maps[pfn]);
			v.bad++;
		}
		if (PageHead(page) && page_ref_count(page) > 0 && pfn + 1 < m->mem_map_pfns &&
		    PageAnon(page) && (long)v.pmd_maps[pfn] != compound_mapcount(page) + 1) {
			fprintf(out, "pfn %#lx: huge page mapped by %d PMDs, but %u map it\n", pfn,
				compound_mapcount(page) + 1, v.pmd_maps[pfn]);
			v.bad++;
		}
		if (PageHead(page) && PageAnon(page) && compound_mapcount(page) >= 0)
			anon_thps += (long)thp_nr_pages(m);
		bool mapped = have > 0 ||
			      (PageTail(page) && PageAnon(page) && compound_mapcount(compound_head(page)) >= 0) ||
			      (PageHead(page) && PageAnon(page) && compound_mapcount(page) >= 0);
		if (mapped && !PageReserved(page)) {
			if (PageAnon(page))
				anon_mapped++;
			else if (have > 0)
				file_mapped++;
		}
	}
	if (anon_mapped != m->node.vm_stat[NR_ANON_MAPPED]) {
		fprintf(out, "AnonPages counts %ld pages, %ld anonymous pages are mapped\n",
			m->node.vm_stat[NR_ANON_MAPPED], anon_mapped);
		v.bad++;
	}
	if (anon_thps != m->node.vm_stat[NR_ANON_THPS]) {
		fprintf(out, "AnonHugePages counts %ld pages, huge PMDs map %ld\n",
			m->node.vm_stat[NR_ANON_THPS], anon_thps);
		v.bad++;
	}
	(void)file_mapped;
	/* The huge zero page's deposited tables are counted per mapping, like the others. */
	if ((long)v.all_tables != m->node.vm_stat[NR_PAGETABLE]) {
		fprintf(out, "PageTables counts %ld pages, the processes have %lu\n",
			m->node.vm_stat[NR_PAGETABLE], v.all_tables);
		v.bad++;
	}
	/* Shared anonymous memory is charged by its shmem object, not by the mapping. */
	unsigned long shmem_committed = 0;
	struct list_head *pos;
	list_for_each(pos, &m->fs->inodes)
		shmem_committed += list_entry(pos, struct inode, i_list)->shmem_acct_pages;
	committed += shmem_committed + m->vm_committed_stack_leak;
	if (committed != vm_memory_committed(m)) {
		fprintf(out, "Committed_AS is %lu pages, the VM_ACCOUNT mappings, shmem objects and "
			"stack growth without VM_ACCOUNT hold %lu\n", vm_memory_committed(m), committed);
		v.bad++;
	}
	unsigned long stack_kb = stacks * (m->is_32bit ? 8 : 16);
	if ((long)stack_kb != m->node.vm_stat[NR_KERNEL_STACK_KB]) {
		fprintf(out, "KernelStack is %ld kB, the %lu tasks' stacks are %lu kB\n",
			m->node.vm_stat[NR_KERNEL_STACK_KB], stacks, stack_kb);
		v.bad++;
	}
	if (m->swap)
		v.bad += swap_verify(m, out, v.swap_ptes);
	for (unsigned int type = 0; type < MAX_SWAPFILES_MAX; type++)
		free(v.swap_ptes[type]);
	free(v.maps);
	free(v.pmd_maps);
	return v.bad + lru_verify(m, out) + filemap_verify(m, out);
}
