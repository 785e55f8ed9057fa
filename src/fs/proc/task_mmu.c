/* task_mmu.c — what a process's address space looks like from /proc
 * (fs/proc/task_mmu.c): /proc/PID/maps, smaps, smaps_rollup, statm and the
 * Vm and Rss lines of status.
 *
 * maps prints the VMAs; smaps adds, per VMA, what its page tables map,
 * found by walking them (mm/pagewalk.c) and accounting each page as
 * smaps_account() does: resident, proportional (a page shared by N
 * mappings counts 1/N, kept in 12 bits of fraction and truncated once,
 * when printed), private or shared by its map count, clean or dirty by the
 * PTE and the page. statm and status read the mm's counters instead —
 * which, with 6.1's per-task RSS caching, can lag behind the page tables
 * by up to 64 faults; smaps never lags. */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/process.h>

#include "fs/fs.h"
#include "fs/proc/internal.h"
#include "kernel/sched.h"
#include "mm.h"
#include "mm/swap.h"

/* The fraction bits of a proportional size (PSS_SHIFT). */
#define PSS_SHIFT	12

/* ---- the header line: maps, and the first line of each smaps entry --------------------- */

/* seq_file with a pad target: the line so far, and where the name column starts. */
struct vma_line {
	char buf[4200];		/* a header, and a name up to PATH_MAX */
	size_t len;
	size_t pad_until;	/* 25 + sizeof(void *) * 6 - 1 of the machine's kernel */
};

static void line_printf(struct vma_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line_printf(struct vma_line *l, const char *fmt, ...)
{
	va_list ap;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len = l->len + (size_t)n < sizeof(l->buf) ? l->len + (size_t)n : sizeof(l->buf) - 1;
}

/* seq_pad(m, ' '): spaces up to the name column, then one more. */
static void line_pad(struct vma_line *l)
{
	while (l->len < l->pad_until && l->len < sizeof(l->buf) - 2)
		l->buf[l->len++] = ' ';
	l->buf[l->len++] = ' ';
	l->buf[l->len] = '\0';
}

/* show_vma_header_prefix(): "start-end perms offset major:minor inode " */
static void vma_header_prefix(struct machine *m, struct vma_line *l, uint64_t start, uint64_t end,
			      unsigned long flags, uint64_t pgoff, unsigned int major,
			      unsigned int minor, unsigned long ino)
{
	l->len = 0;
	l->buf[0] = '\0';
	l->pad_until = 25 + (m->is_32bit ? 4 : 8) * 6 - 1;
	line_printf(l, "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08" PRIx64 " %02x:%02x %lu ", start,
		    end, flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		    flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p', pgoff, major,
		    minor, ino);
}

static bool is_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack && vma->vm_end >= vma->vm_mm->start_stack;
}

/* show_map_vma(): the header, then the file's path, the special mapping's name, [heap] or [stack]. */
static void show_map_vma(struct machine *m, FILE *out, struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vma_line l;
	const char *name = NULL;

	if (vma->vm_file) {
		const struct inode *inode = vma->vm_file->f_inode;
		vma_header_prefix(m, &l, vma->vm_start, vma->vm_end, vma->vm_flags,
				  (uint64_t)vma->vm_pgoff << PAGE_SHIFT, inode->dev_major,
				  inode->dev_minor, inode->i_ino);
		line_pad(&l);
		/* seq_file_path(..., "\n"): only a newline is escaped, as octal. */
		for (const char *p = inode->path; *p; p++)
			if (*p == '\n')
				line_printf(&l, "\\012");
			else
				line_printf(&l, "%c", *p);
		fprintf(out, "%s\n", l.buf);
		return;
	}
	vma_header_prefix(m, &l, vma->vm_start, vma->vm_end, vma->vm_flags, 0, 0, 0, 0);
	if (vma->vm_ops && vma->vm_ops->name)
		name = vma->vm_ops->name(vma);
	if (!name) {
		if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
			name = "[heap]";
		else if (is_stack(vma))
			name = "[stack]";
	}
	if (name) {
		line_pad(&l);
		line_printf(&l, "%s", name);
	}
	fprintf(out, "%s\n", l.buf);
}

void proc_pid_maps_show(struct machine *m, struct task_struct *t, FILE *out)
{
	if (!t->mm)
		return;
	for (struct vm_area_struct *vma = t->mm->mmap; vma; vma = vma->vm_next)
		show_map_vma(m, out, vma);
}

/* ---- smaps: what the page tables map ----------------------------------------------------- */

struct mem_size_stats {
	uint64_t resident, shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t referenced, anonymous, lazyfree, anonymous_thp, shmem_thp, file_thp;
	uint64_t swap, shared_hugetlb, private_hugetlb;
	uint64_t pss, pss_anon, pss_file, pss_shmem, pss_dirty, pss_locked, swap_pss;
};

static void smaps_page_accumulate(struct mem_size_stats *mss, const struct page *head,
				  uint64_t size, uint64_t pss, bool dirty, bool locked,
				  bool private)
{
	mss->pss += pss;
	if (PageAnon(head))
		mss->pss_anon += pss;
	else if (PageSwapBacked(head))
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;
	if (locked)
		mss->pss_locked += pss;
	if (dirty || PageDirty(head)) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += size;
		else
			mss->shared_dirty += size;
	} else if (private) {
		mss->private_clean += size;
	} else {
		mss->shared_clean += size;
	}
}

/* smaps_account(): one mapping of @page (all of a huge page when @compound). */
static void smaps_account(struct machine *m, struct mem_size_stats *mss, struct page *page,
			  bool compound, bool young, bool dirty, bool locked)
{
	struct page *head = compound_head(page);
	unsigned long nr = compound ? thp_nr_pages(m) : 1;
	uint64_t size = (uint64_t)nr << PAGE_SHIFT;

	if (PageAnon(head)) {
		mss->anonymous += size;
		/* MADV_FREE'd and not written since: reclaim may simply drop it. */
		if (!PageSwapBacked(head) && !dirty && !PageDirty(head))
			mss->lazyfree += size;
	}
	mss->resident += size;
	/* page_is_young() is false: 6.1's Debian build has no idle page tracking. */
	if (young || PageReferenced(head))
		mss->referenced += size;
	/*
	 * Only one reference (the mapping): private, whatever the map count
	 * says. The proportional size is passed as an unsigned long, which on
	 * i386 is 32 bits: a 4 MiB huge page's size << PSS_SHIFT is 2^34 and
	 * arrives as 0, so the real i386 kernel shows Pss 0 for a THP mapped
	 * once. mmsim computes what that kernel computes.
	 */
	if (head->_refcount == 1) {
		uint64_t pss = size << PSS_SHIFT;
		if (m->is_32bit)
			pss = (uint32_t)pss;
		smaps_page_accumulate(mss, head, size, pss, dirty, locked, true);
		return;
	}
	for (unsigned long i = 0; i < nr; i++, page++) {
		int mapcount = page_mapcount(page);
		uint64_t pss = PAGE_SIZE << PSS_SHIFT;
		if (mapcount >= 2)
			pss /= (uint64_t)mapcount;
		smaps_page_accumulate(mss, head, PAGE_SIZE, pss, dirty, locked, mapcount < 2);
	}
}

static void smaps_pte_entry(struct mm_walk *walk, uint64_t addr, uint64_t pte)
{
	struct mem_size_stats *mss = walk->private;
	struct vm_area_struct *vma = walk->vma;

	/* A swap entry: Swap, and SwapPss shared among the PTEs that name the slot. */
	if (!pte_present(pte)) {
		unsigned long count = swp_swapcount(walk->m, pte_to_swp_entry(walk->m, pte));
		mss->swap += PAGE_SIZE;
		mss->swap_pss += count >= 2 ? (PAGE_SIZE << PSS_SHIFT) / count : PAGE_SIZE << PSS_SHIFT;
		return;
	}
	/* The zero page, [vvar]'s raw frame: no struct page to account. */
	struct page *page = vm_normal_page(walk->m, vma, addr, pte);
	if (!page)
		return;
	smaps_account(walk->m, mss, page, false, pte & _PAGE_ACCESSED, pte & _PAGE_DIRTY,
		      vma->vm_flags & VM_LOCKED);
}

static void smaps_pmd_entry(struct mm_walk *walk, uint64_t addr, uint64_t pmd)
{
	struct machine *m = walk->m;
	struct mem_size_stats *mss = walk->private;
	(void)addr;

	/* The huge zero page: follow_trans_huge_pmd(FOLL_DUMP) gives no page. */
	if (is_huge_zero_pmd(m, pmd))
		return;
	struct page *page = pmd_page(m, pmd);
	uint64_t size = (uint64_t)thp_nr_pages(m) << PAGE_SHIFT;
	if (PageAnon(page))
		mss->anonymous_thp += size;
	else if (PageSwapBacked(page))
		mss->shmem_thp += size;
	else
		mss->file_thp += size;
	smaps_account(m, mss, page, true, pmd & _PAGE_ACCESSED, pmd & _PAGE_DIRTY,
		      walk->vma->vm_flags & VM_LOCKED);
}

static const struct mm_walk_ops smaps_walk_ops = {
	.pmd_entry = smaps_pmd_entry,
	.pte_entry = smaps_pte_entry,
};

static void smap_gather_stats(struct machine *m, struct vm_area_struct *vma,
			      struct mem_size_stats *mss)
{
	walk_page_range_vma(m, vma, vma->vm_start, vma->vm_end, &smaps_walk_ops, mss);
}

/* SEQ_PUT_DEC: a 16-column label, the value in kB right-aligned in 8. */
static void put_kb(FILE *out, const char *label, uint64_t bytes)
{
	fprintf(out, "%-16s%8" PRIu64 " kB\n", label, bytes >> 10);
}

static void show_smap_stats(FILE *out, const struct mem_size_stats *mss, bool rollup)
{
	put_kb(out, "Rss:", mss->resident);
	put_kb(out, "Pss:", mss->pss >> PSS_SHIFT);
	put_kb(out, "Pss_Dirty:", mss->pss_dirty >> PSS_SHIFT);
	if (rollup) {
		put_kb(out, "Pss_Anon:", mss->pss_anon >> PSS_SHIFT);
		put_kb(out, "Pss_File:", mss->pss_file >> PSS_SHIFT);
		put_kb(out, "Pss_Shmem:", mss->pss_shmem >> PSS_SHIFT);
	}
	put_kb(out, "Shared_Clean:", mss->shared_clean);
	put_kb(out, "Shared_Dirty:", mss->shared_dirty);
	put_kb(out, "Private_Clean:", mss->private_clean);
	put_kb(out, "Private_Dirty:", mss->private_dirty);
	put_kb(out, "Referenced:", mss->referenced);
	put_kb(out, "Anonymous:", mss->anonymous);
	put_kb(out, "LazyFree:", mss->lazyfree);
	put_kb(out, "AnonHugePages:", mss->anonymous_thp);
	put_kb(out, "ShmemPmdMapped:", mss->shmem_thp);
	put_kb(out, "FilePmdMapped:", mss->file_thp);
	put_kb(out, "Shared_Hugetlb:", mss->shared_hugetlb);
	/* The one label that does not fit 16 columns: its number gets 7. */
	fprintf(out, "Private_Hugetlb: %7" PRIu64 " kB\n", mss->private_hugetlb >> 10);
	put_kb(out, "Swap:", mss->swap);
	put_kb(out, "SwapPss:", mss->swap_pss >> PSS_SHIFT);
	put_kb(out, "Locked:", mss->pss_locked >> PSS_SHIFT);
}

/* show_smap_vma_flags(): two letters per vm_flags bit, from bit 0 up; "??" for a bit without any. */
static void show_smap_vma_flags(struct machine *m, FILE *out, const struct vm_area_struct *vma)
{
	static const char *const mnemonics[64] = {
		[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh", [4] = "mr", [5] = "mw",
		[6] = "me", [7] = "ms", [8] = "gd", [9] = "um", [10] = "pf", [12] = "uw",
		[13] = "lo", [14] = "io", [15] = "sr", [16] = "rr", [17] = "dc", [18] = "de",
		[20] = "ac", [21] = "nr", [22] = "ht", [23] = "sf", [24] = "ar", [25] = "wf",
		[26] = "dd", [28] = "mm", [29] = "hg", [30] = "nh", [31] = "mg",
		/* x86_64: the protection-key bits print as ProtectionKey instead; VM_UFFD_MINOR. */
		[32] = "", [33] = "", [34] = "", [35] = "", [37] = "ui",
	};
	unsigned int bits = m->is_32bit ? 32 : 64;

	fputs("VmFlags: ", out);
	for (unsigned int i = 0; i < bits; i++) {
		const char *name = mnemonics[i];
		/* soft-dirty exists where CONFIG_MEM_SOFT_DIRTY does (x86_64); pkeys and uffd-minor too. */
		if (i == 27)
			name = m->vm_softdirty ? "sd" : NULL;
		if (i >= 32 && i <= 37 && m->is_32bit)
			name = NULL;
		if (name && !name[0])
			continue;
		if (vma->vm_flags & (1UL << i))
			fprintf(out, "%s ", name ? name : "??");
	}
	fputc('\n', out);
}

void proc_pid_smaps_show(struct machine *m, struct task_struct *t, FILE *out)
{
	if (!t->mm)
		return;
	for (struct vm_area_struct *vma = t->mm->mmap; vma; vma = vma->vm_next) {
		struct mem_size_stats mss;
		memset(&mss, 0, sizeof(mss));
		smap_gather_stats(m, vma, &mss);
		show_map_vma(m, out, vma);
		put_kb(out, "Size:", vma->vm_end - vma->vm_start);
		/* vma_kernel_pagesize(), vma_mmu_pagesize(): 4 kB unless hugetlbfs. */
		put_kb(out, "KernelPageSize:", PAGE_SIZE);
		put_kb(out, "MMUPageSize:", PAGE_SIZE);
		show_smap_stats(out, &mss, false);
		fprintf(out, "THPeligible:    %d\n",
			hugepage_vma_check(m, vma, vma->vm_flags, true, false) ? 1 : 0);
		/* ProtectionKey: only with OSPKE, which the modelled CPU lacks. */
		show_smap_vma_flags(m, out, vma);
	}
}

int proc_pid_smaps_rollup_show(struct machine *m, struct task_struct *t, FILE *out)
{
	struct mem_size_stats mss;
	uint64_t start = 0, end = 0;
	struct vma_line l;

	/* A process without an address space (a kernel thread, a zombie) has nothing to roll up. */
	if (!t->mm)
		return -MMSIM_ESRCH;
	memset(&mss, 0, sizeof(mss));
	for (struct vm_area_struct *vma = t->mm->mmap; vma; vma = vma->vm_next) {
		if (vma == t->mm->mmap)
			start = vma->vm_start;
		smap_gather_stats(m, vma, &mss);
		end = vma->vm_end;
	}
	vma_header_prefix(m, &l, start, end, 0, 0, 0, 0, 0);
	line_pad(&l);
	fprintf(out, "%s[rollup]\n", l.buf);
	show_smap_stats(out, &mss, true);
	return 0;
}

/* ---- the counters: statm and the memory lines of status ----------------------------------- */

/* task_statm(): pages — total, resident, shared (file + shmem), text, 0, data + stack, 0. */
void proc_pid_statm_show(struct machine *m, struct task_struct *t, FILE *out)
{
	(void)m;
	struct mm_struct *mm = t->mm;
	if (!mm) {
		fputs("0 0 0 0 0 0 0\n", out);
		return;
	}
	unsigned long shared = get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_SHMEMPAGES);
	uint64_t text = (ALIGN_UP(mm->end_code, PAGE_SIZE) - (mm->start_code & ~(PAGE_SIZE - 1))) >>
			PAGE_SHIFT;
	fprintf(out, "%lu %lu %lu %" PRIu64 " 0 %lu 0\n", mm->total_vm,
		shared + get_mm_counter(mm, MM_ANONPAGES), shared, text, mm->data_vm + mm->stack_vm);
}

/* task_mem(): VmPeak ... VmSwap, as status prints them. */
void proc_task_mem_show(struct machine *m, struct mm_struct *mm, FILE *out)
{
	(void)m;
	unsigned long anon = get_mm_counter(mm, MM_ANONPAGES);
	unsigned long file = get_mm_counter(mm, MM_FILEPAGES);
	unsigned long shmem = get_mm_counter(mm, MM_SHMEMPAGES);
	unsigned long total_rss = anon + file + shmem;
	unsigned long hiwater_vm = mm->hiwater_vm > mm->total_vm ? mm->hiwater_vm : mm->total_vm;
	unsigned long hiwater_rss = mm->hiwater_rss > total_rss ? mm->hiwater_rss : total_rss;
	/* The text is what end_code - start_code spans, at most exec_vm; the rest of exec_vm is "lib". */
	uint64_t text = ALIGN_UP(mm->end_code, PAGE_SIZE) - (mm->start_code & ~(PAGE_SIZE - 1));
	uint64_t exec = (uint64_t)mm->exec_vm << PAGE_SHIFT;
	if (text > exec)
		text = exec;
	uint64_t lib = exec - text;

#define VM_LINE(label, kb) fprintf(out, "%s\t%8lu kB\n", label, (unsigned long)(kb))
	VM_LINE("VmPeak:", hiwater_vm << (PAGE_SHIFT - 10));
	VM_LINE("VmSize:", mm->total_vm << (PAGE_SHIFT - 10));
	VM_LINE("VmLck:", mm->locked_vm << (PAGE_SHIFT - 10));
	VM_LINE("VmPin:", mm->pinned_vm << (PAGE_SHIFT - 10));
	VM_LINE("VmHWM:", hiwater_rss << (PAGE_SHIFT - 10));
	VM_LINE("VmRSS:", total_rss << (PAGE_SHIFT - 10));
	VM_LINE("RssAnon:", anon << (PAGE_SHIFT - 10));
	VM_LINE("RssFile:", file << (PAGE_SHIFT - 10));
	VM_LINE("RssShmem:", shmem << (PAGE_SHIFT - 10));
	VM_LINE("VmData:", mm->data_vm << (PAGE_SHIFT - 10));
	VM_LINE("VmStk:", mm->stack_vm << (PAGE_SHIFT - 10));
	VM_LINE("VmExe:", text >> 10);
	VM_LINE("VmLib:", lib >> 10);
	VM_LINE("VmPTE:", mm->pgtables_bytes >> 10);
	VM_LINE("VmSwap:", get_mm_counter(mm, MM_SWAPENTS) << (PAGE_SHIFT - 10));
	/* hugetlb_report_usage(): no hugetlbfs pages are ever mapped. */
	VM_LINE("HugetlbPages:", 0UL);
#undef VM_LINE
}

/* ---- /proc/PID/pagemap (pagemap_read), for library users ------------------------------- */

struct pagemap_walk {
	uint64_t start;		/* the first page's address */
	unsigned long nr;
	uint64_t *out;
};

static void pagemap_put(struct pagemap_walk *pm, uint64_t addr, uint64_t entry)
{
	if (addr >= pm->start && (addr - pm->start) >> PAGE_SHIFT < pm->nr)
		pm->out[(addr - pm->start) >> PAGE_SHIFT] |= entry;
}

/* pte_to_pagemap_entry(): a frame (or a swap slot) and what is known of it. */
static void pagemap_pte_entry(struct mm_walk *walk, uint64_t addr, uint64_t pte)
{
	struct machine *m = walk->m;
	struct page *page = NULL;
	uint64_t frame, flags = 0;

	if (pte_present(pte)) {
		frame = pte_pfn(m, pte);
		flags |= MMSIM_PM_PRESENT;
		page = vm_normal_page(m, walk->vma, addr, pte);
		if (!m->is_32bit && (pte & _PAGE_SOFT_DIRTY))
			flags |= MMSIM_PM_SOFT_DIRTY;
	} else {
		swp_entry_t e = pte_to_swp_entry(m, pte);
		/* The type in the low MAX_SWAPFILES_SHIFT (5) bits, the offset above. */
		frame = e.type | ((uint64_t)e.offset << SWP_TYPE_BITS);
		flags |= MMSIM_PM_SWAP;
		if (!m->is_32bit && (pte & _PAGE_SWP_SOFT_DIRTY))
			flags |= MMSIM_PM_SOFT_DIRTY;
	}
	if (page && !PageAnon(page))
		flags |= MMSIM_PM_FILE;
	if (page && page_mapcount(page) == 1)
		flags |= MMSIM_PM_MMAP_EXCLUSIVE;
	pagemap_put(walk->private, addr, (frame & MMSIM_PM_PFRAME_MASK) | flags);
}

/* pagemap_pmd_range()'s huge case: each small page of the PMD's frames. */
static void pagemap_pmd_entry(struct mm_walk *walk, uint64_t addr, uint64_t pmd)
{
	struct machine *m = walk->m;
	struct page *page = pmd_page(m, pmd);
	uint64_t flags = MMSIM_PM_PRESENT;

	if (!m->is_32bit && (pmd & _PAGE_SOFT_DIRTY))
		flags |= MMSIM_PM_SOFT_DIRTY;
	if (!PageAnon(page))
		flags |= MMSIM_PM_FILE;
	if (page_mapcount(page) == 1)
		flags |= MMSIM_PM_MMAP_EXCLUSIVE;
	for (unsigned long i = 0; i < thp_nr_pages(m); i++)
		pagemap_put(walk->private, addr + ((uint64_t)i << PAGE_SHIFT),
			    ((pte_pfn(m, pmd) + i) & MMSIM_PM_PFRAME_MASK) | flags);
}

static const struct mm_walk_ops pagemap_walk_ops = {
	.pmd_entry = pagemap_pmd_entry,
	.pte_entry = pagemap_pte_entry,
};

int mmsim_pagemap_read(struct machine *m, int pid, uint64_t vaddr, unsigned long nr, uint64_t *out)
{
	struct task_struct *t = find_task_by_pid(m, pid);
	struct pagemap_walk pm = { .start = vaddr & ~(uint64_t)(PAGE_SIZE - 1), .nr = nr, .out = out };

	if (!t)
		return -MMSIM_ESRCH;
	memset(out, 0, nr * sizeof(*out));
	if (!t->mm || !nr)
		return 0;
	uint64_t end = pm.start + ((uint64_t)nr << PAGE_SHIFT);
	if (end < pm.start || end > t->mm->task_size)
		end = t->mm->task_size;
	for (struct vm_area_struct *vma = find_vma(t->mm, pm.start); vma && vma->vm_start < end;
	     vma = vma->vm_next) {
		uint64_t lo = vma->vm_start > pm.start ? vma->vm_start : pm.start;
		uint64_t hi = vma->vm_end < end ? vma->vm_end : end;
		/* pagemap_pte_hole(): a VMA's unmapped pages are soft-dirty while it is. */
		if (vma->vm_flags & VM_SOFTDIRTY)
			for (uint64_t a = lo; a < hi; a += PAGE_SIZE)
				pagemap_put(&pm, a, MMSIM_PM_SOFT_DIRTY);
		walk_page_range_vma(m, vma, lo, hi, &pagemap_walk_ops, &pm);
	}
	return 0;
}

/* ---- the page tables of a process, table by table ------------------------------------------ */

static void walk_tables(struct machine *m, phys_addr_t table, enum pt_level level, uint64_t base,
			uint64_t limit,
			void (*fn)(const struct mmsim_pagetable_page *pt, void *arg), void *arg)
{
	const struct pt_format *f = pt_format(m);
	unsigned int entries = 1u << f->index_bits;
	uint64_t step = pt_level_size(m, level);
	struct mmsim_pagetable_page pt = {
		.level = level, .level_name = pt_level_name(m, level), .pfn = table >> PAGE_SHIFT,
		.vaddr = base, .span = step * entries,
	};

	/* The user half only: the kernel's entries are everyone's. */
	for (unsigned int i = 0; i < entries && base + (uint64_t)i * step < limit; i++) {
		uint64_t e = pt_read(m, table, i);
		if (!(e & _PAGE_PRESENT))
			continue;
		pt.present++;
		if (level != PT_PTE && (e & _PAGE_PSE))
			pt.large++;
	}
	fn(&pt, arg);
	if (level == PT_PTE)
		return;
	/* The next level down that this format has (i386's 2 levels fold PUD and PMD). */
	enum pt_level below = level;
	do
		below--;
	while (below > PT_PTE && !f->present[below]);
	for (unsigned int i = 0; i < entries && base + (uint64_t)i * step < limit; i++) {
		uint64_t e = pt_read(m, table, i);
		if ((e & _PAGE_PRESENT) && !(e & _PAGE_PSE))
			walk_tables(m, e & f->addr_mask, below, base + (uint64_t)i * step, limit, fn, arg);
	}
}

int mmsim_walk_pagetables(struct machine *m, int pid,
			  void (*fn)(const struct mmsim_pagetable_page *pt, void *arg), void *arg)
{
	struct task_struct *t = find_task_by_pid(m, pid);

	if (!t)
		return -MMSIM_ESRCH;
	if (!t->mm)
		return 0;
	walk_tables(m, t->mm->pgd, PT_PGD, 0, t->mm->task_size, fn, arg);
	return 0;
}
