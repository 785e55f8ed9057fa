/* test_frames.c — the kernel's introspection of frames and address spaces
 * (mmsim_scan_frames, mmsim_pagemap_read, mmsim_walk_pagetables), each
 * checked against another path to the same facts: the frames of each owner
 * against /proc/meminfo's counters, a frame's mapper (found through rmap)
 * against that process's pagemap, PM_MMAP_EXCLUSIVE against the frame's
 * mapcount after fork and copy-on-write, swap entries against smaps, the
 * page-table walk against VmPTE. */
#include <stdlib.h>
#include <string.h>

#include <mmsim/mman.h>
#include <mmsim/page.h>
#include <mmsim/process.h>

#include <mmsim/swap.h>

#include "helpers.h"
#include "test.h"

#define MAX_RUNS 100000

struct scan {
	unsigned long frames[MMSIM_NR_FRAME_OWNERS];
	unsigned long swapcache;
	unsigned long last_end;
	bool ordered;
	size_t nr;
	struct mmsim_frame_run runs[MAX_RUNS];
};

static void collect(const struct mmsim_frame_run *r, void *arg)
{
	struct scan *s = arg;

	s->frames[r->owner] += r->nr;
	if (r->swapcache)
		s->swapcache += r->nr;
	/* Runs tile the range: each starts where the last ended, none is empty. */
	if (r->pfn != s->last_end || !r->nr)
		s->ordered = false;
	s->last_end = r->pfn + r->nr;
	if (s->nr < MAX_RUNS)
		s->runs[s->nr++] = *r;
}

static struct scan *scan(struct machine *m)
{
	struct scan *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->ordered = true;
	long n = mmsim_scan_frames(m, 0, ~0UL, collect, s);
	if (n < 0 || (size_t)n != s->nr || s->last_end != mmsim_max_pfn(m)) {
		free(s);
		return NULL;
	}
	return s;
}

static long long kb(struct machine *m, const char *key)
{
	return proc_field(m, "/proc/meminfo", key);
}

struct tables {
	unsigned long pages, levels_seen;
};

static void count_table(const struct mmsim_pagetable_page *pt, void *arg)
{
	struct tables *t = arg;

	t->pages++;
	t->levels_seen |= 1UL << pt->level;
}

static bool check_machine(enum mmsim_arch arch)
{
	struct machine *m = boot(arch, 1024, 2);
	ASSERT_TRUE(m != NULL);
	int pid = mmsim_spawn(m, "parent");
	ASSERT_TRUE(pid > 0);
	uint64_t base = 0x10000000, len = 32ULL << 20;
	ASSERT_EQ(mmsim_mmap(m, pid, base, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			     MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS | MMSIM_MAP_FIXED, -1, 0),
		  (int64_t)base);
	ASSERT_EQ(mmsim_madvise(m, pid, base, len, MMSIM_MADV_NOHUGEPAGE), 0);
	char byte = 1;
	for (uint64_t a = base; a < base + len; a += 4096)
		ASSERT_EQ(mmsim_user_write(m, pid, a, &byte, 1, NULL), 0);
	int child = mmsim_fork(m, pid);
	ASSERT_TRUE(child > 0);
	/*
	 * The child writes the first 4 MiB and the parent 4 MiB further on:
	 * those pages are copied, the rest stay shared. There the original
	 * frames are the child's alone, though rmap meets the parent first.
	 */
	for (uint64_t a = base; a < base + (4 << 20); a += 4096)
		ASSERT_EQ(mmsim_user_write(m, child, a, &byte, 1, NULL), 0);
	for (uint64_t a = base + (8 << 20); a < base + (12 << 20); a += 4096)
		ASSERT_EQ(mmsim_user_write(m, pid, a, &byte, 1, NULL), 0);

	struct scan *s = scan(m);
	ASSERT_TRUE(s != NULL);
	ASSERT_TRUE(s->ordered);
	/* Owners against the kernel's own counters. */
	ASSERT_EQ((long long)s->frames[MMSIM_FRAME_FREE] * 4, kb(m, "MemFree"));
	ASSERT_EQ((long long)s->frames[MMSIM_FRAME_SLAB] * 4, kb(m, "Slab"));
	ASSERT_EQ((long long)s->frames[MMSIM_FRAME_PAGE_TABLE] * 4, kb(m, "PageTables"));
	ASSERT_EQ((long long)s->frames[MMSIM_FRAME_ANON] * 4, kb(m, "AnonPages"));
	ASSERT_EQ((long long)s->frames[MMSIM_FRAME_VMALLOC] * 4, kb(m, "VmallocUsed"));
	ASSERT_EQ(s->frames[MMSIM_FRAME_ZERO], 1);
	ASSERT_TRUE(s->frames[MMSIM_FRAME_KERNEL_IMAGE] > 0 && s->frames[MMSIM_FRAME_HOLE] > 0);

	/* Every anonymous run's mapper maps it there, as its own page tables say. */
	unsigned long shared = 0, exclusive = 0, checked = 0;
	for (size_t i = 0; i < s->nr; i++) {
		const struct mmsim_frame_run *r = &s->runs[i];
		if (r->owner != MMSIM_FRAME_ANON)
			continue;
		ASSERT_TRUE(r->mapper_pid == pid || r->mapper_pid == child);
		for (unsigned long k = 0; k < r->nr; k++) {
			uint64_t e;
			ASSERT_EQ(mmsim_pagemap_read(m, r->mapper_pid, r->mapper_addr + k * 4096, 1, &e), 0);
			ASSERT_TRUE(e & MMSIM_PM_PRESENT);
			ASSERT_EQ(e & MMSIM_PM_PFRAME_MASK, r->pfn + k);
			ASSERT_TRUE(!(e & MMSIM_PM_FILE));
			/* PM_MMAP_EXCLUSIVE exactly when only one process maps the frame. */
			ASSERT_EQ(!!(e & MMSIM_PM_MMAP_EXCLUSIVE), r->mapcount == 1);
			checked++;
		}
		if (r->mapcount == 2)
			shared += r->nr;
		else
			exclusive += r->nr;
	}
	/* 24 MiB shared; twice 4 MiB of originals and 4 MiB of copies for each, alone. */
	ASSERT_EQ(shared, 6144);
	ASSERT_EQ(exclusive, 4096);
	ASSERT_EQ(checked, 10240);

	free(s);
	/* Paged out, the child's copies become swap entries in its pagemap: 1024 slots. */
	ASSERT_EQ(mmsim_swapon(m, NULL, 64ULL << 20, -1), 0);
	ASSERT_EQ(mmsim_madvise(m, child, base, 4 << 20, MMSIM_MADV_PAGEOUT), 0);
	uint64_t *pm = calloc(1024, sizeof(*pm));
	ASSERT_TRUE(pm != NULL);
	ASSERT_EQ(mmsim_pagemap_read(m, child, base, 1024, pm), 0);
	unsigned long swapped = 0;
	for (int i = 0; i < 1024; i++)
		swapped += (pm[i] & MMSIM_PM_SWAP) && !(pm[i] & MMSIM_PM_PRESENT);
	free(pm);
	ASSERT_EQ((long long)swapped * 4, proc_field(m, "/proc/3/status", "VmSwap"));
	ASSERT_EQ(swapped, 1024);
	struct tables t = { 0 };
	ASSERT_EQ(mmsim_walk_pagetables(m, pid, count_table, &t), 0);
	/* VmPTE (mm_pgtables_bytes) counts every table below the PGD. */
	ASSERT_EQ((long long)(t.pages - 1) * 4, proc_field(m, "/proc/2/status", "VmPTE"));
	ASSERT_TRUE(t.levels_seen & (1UL << 3));	/* the PGD */
	ASSERT_TRUE(t.levels_seen & 1UL);		/* PTE tables */
	ASSERT_EQ(mmsim_walk_pagetables(m, 9999, count_table, &t), -3);	/* -ESRCH */
	uint64_t e = 1;
	ASSERT_EQ(mmsim_pagemap_read(m, pid, 0x1000, 1, &e), 0);	/* no VMA: nothing */
	ASSERT_EQ(e & ~MMSIM_PM_SOFT_DIRTY, 0);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

static bool test_frames_i386(void)
{
	return check_machine(MMSIM_ARCH_I386);
}

static bool test_frames_x86_64(void)
{
	return check_machine(MMSIM_ARCH_X86_64);
}

/* A lazy 1 TiB machine: scanned without writing its struct pages, in few runs. */
static bool test_frames_lazy_machine(void)
{
	struct machine_desc d = test_desc(MMSIM_ARCH_X86_64, 1ULL << 20, "");
	struct machine *m = boot_desc(&d);
	ASSERT_TRUE(m != NULL);
	long long rss_before = proc_field(m, "/proc/meminfo", "MemFree");
	struct scan *s = scan(m);
	ASSERT_TRUE(s != NULL);
	ASSERT_TRUE(s->nr < 5000);
	ASSERT_EQ((long long)s->frames[MMSIM_FRAME_FREE] * 4, rss_before);
	free(s);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(TEST(test_frames_i386), TEST(test_frames_x86_64), TEST(test_frames_lazy_machine))
