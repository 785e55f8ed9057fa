/* test_thp_reclaim.c — transparent huge pages under reclaim: with 1 GiB of
 * RAM (THP "always"), anonymous memory twice RAM lands in huge pages, which
 * reclaim splits (split_huge_page_to_list) to swap their pages one by one,
 * since a rotating-disk swap area has no cluster for a whole huge page
 * (thp_swpout_fallback); everything reads back byte for byte — on x86_64
 * (2 MiB pages) and on i386 (4 MiB pages, HighMem among them). A
 * huge page cut by munmap is split by the deferred split shrinker (through
 * drop_caches and under pressure) and its unmapped part freed; huge pages
 * fork shares are split in both processes and swapped as shared pages.
 * `verify` runs throughout. */
#include <string.h>
#include <time.h>

#include <mmsim/process.h>
#include <mmsim/swap.h>

#include "helpers.h"
#include "kernel/sched.h"
#include "test.h"

#define GiB (1024 * MiB)
#define PAGE 4096ULL
#define HPAGE (2 * MiB)
#define CHUNK (64 * 1024ULL)	/* bytes per mmsim_user_write/read call */

static bool verify_clean(struct machine *m)
{
	char *report = NULL;
	unsigned long bad;

	CAPTURE(report, bad = mmsim_verify(m, _f));
	if (bad)
		fprintf(stderr, "verify found %lu problems:\n%s", bad, report);
	free(report);
	return bad == 0;
}

/* The number after @key in a /proc file of "key value" or "key: value kB" lines, or -1. */
static long long proc_value(struct machine *m, const char *path, const char *key)
{
	char *text = proc(m, path);
	size_t klen = strlen(key);
	long long value = -1;

	for (const char *p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && (p[klen] == ' ' || p[klen] == ':')) {
			value = strtoll(p + klen + 1, NULL, 10);
			break;
		}
	}
	free(text);
	return value;
}

static long long vmstat(struct machine *m, const char *key)
{
	return proc_value(m, "/proc/vmstat", key);
}

static long long meminfo_kb(struct machine *m, const char *key)
{
	return proc_value(m, "/proc/meminfo", key);
}

/* The contents written at virtual address @va in generation @gen: every word its own (splitmix64). */
static void fill(uint64_t *words, uint64_t va, size_t len, unsigned int gen)
{
	for (size_t i = 0; i < len / 8; i++) {
		uint64_t z = va + i * 8 + ((uint64_t)gen << 52) + 0x9e3779b97f4a7c15ULL;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		words[i] = z ^ (z >> 31);
	}
}

static bool write_range(struct machine *m, int pid, uint64_t addr, uint64_t len, unsigned int gen)
{
	static uint64_t buf[CHUNK / 8];

	for (uint64_t off = 0; off < len; off += CHUNK) {
		fill(buf, addr + off, CHUNK, gen);
		struct mmsim_siginfo si;
		if (mmsim_user_write(m, pid, addr + off, buf, CHUNK, &si)) {
			fprintf(stderr, "pid %d: writing %#llx raised signal %d\n", pid,
				(unsigned long long)(addr + off), si.signo);
			return false;
		}
	}
	return true;
}

/* [addr, addr + len) of @pid holds what write_range(@gen) put there, byte for byte. */
static bool range_holds(struct machine *m, int pid, uint64_t addr, uint64_t len, unsigned int gen)
{
	static uint64_t want[CHUNK / 8], got[CHUNK / 8];

	for (uint64_t off = 0; off < len; off += CHUNK) {
		fill(want, addr + off, CHUNK, gen);
		struct mmsim_siginfo si;
		if (mmsim_user_read(m, pid, addr + off, got, CHUNK, &si)) {
			fprintf(stderr, "pid %d: reading %#llx raised signal %d\n", pid,
				(unsigned long long)(addr + off), si.signo);
			return false;
		}
		if (memcmp(want, got, CHUNK)) {
			fprintf(stderr, "pid %d: %#llx does not hold generation %u\n", pid,
				(unsigned long long)(addr + off), gen);
			return false;
		}
	}
	return true;
}

/* An anonymous private mapping of @len whose start is @align aligned (so huge pages fit). */
static uint64_t map_aligned(struct machine *m, int pid, uint64_t len, uint64_t align)
{
	int64_t a = mmsim_mmap(m, pid, 0, len + align, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	if (a < 0)
		return 0;
	uint64_t start = ((uint64_t)a + align - 1) & ~(align - 1);
	if (start > (uint64_t)a)
		mmsim_munmap(m, pid, (uint64_t)a, start - (uint64_t)a);
	if ((uint64_t)a + align > start)
		mmsim_munmap(m, pid, start + len, (uint64_t)a + align - start);
	return start;
}

/* The page @pid maps at @addr (a huge page's 4K piece), or NULL. */
static struct page *page_at(struct machine *m, int pid, uint64_t addr)
{
	struct task_struct *t = find_task_by_pid(m, pid);
	uint64_t pte;

	if (!t || !t->mm || !follow_pte(m, t->mm, addr, &pte) || !(pte & 1))
		return NULL;
	return pfn_to_page(m, (unsigned long)((pte & pt_format(m)->addr_mask) / PAGE));
}

/* ---- twice RAM, through huge pages --------------------------------------------------------- */

static double seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * @ram_mib of RAM, anonymous memory twice that in huge pages of @hpage
 * bytes (2 MiB on x86_64, 4 MiB on i386, which has no THP_SWAP at all).
 */
static bool run_twice_ram(enum mmsim_arch arch, uint64_t ram_mib, uint64_t hpage)
{
	double wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
	struct machine *m = boot(arch, ram_mib, 2);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_swapon(m, NULL, 3 * ram_mib * MiB, -1), 0);
	int pid = mmsim_spawn(m, "big");
	ASSERT_TRUE(pid > 1);
	uint64_t len = 2 * ram_mib * MiB;
	uint64_t a = map_aligned(m, pid, len, hpage);
	ASSERT_TRUE(a);

	/* RAM is free: the first writes fault in huge pages. */
	ASSERT_TRUE(write_range(m, pid, a, 64 * MiB, 1));
	ASSERT_EQ(meminfo_kb(m, "AnonHugePages"), 64 * 1024);
	ASSERT_EQ(vmstat(m, "thp_fault_alloc"), (long long)(64 * MiB / hpage));
	ASSERT_EQ(vmstat(m, "thp_split_page"), 0);
	long long peak = 0;
	for (uint64_t off = 64 * MiB; off < len; off += 64 * MiB) {
		ASSERT_TRUE(write_range(m, pid, a + off, 64 * MiB, 1));
		long long thp = meminfo_kb(m, "AnonHugePages");
		if (thp > peak)
			peak = thp;
		if (off % (512 * MiB) == 0)
			ASSERT_TRUE(verify_clean(m));
	}
	ASSERT_TRUE(verify_clean(m));
	/* Most of RAM held huge pages once; reclaim split them to swap their pages. */
	ASSERT_TRUE(peak >= (long long)ram_mib * 1024 / 2);
	long long fallback = vmstat(m, "thp_swpout_fallback"), split = vmstat(m, "thp_split_page");
	ASSERT_TRUE(fallback >= (long long)(ram_mib * MiB / 4 / hpage));
	ASSERT_TRUE(split >= fallback);
	ASSERT_EQ(vmstat(m, "thp_swpout"), 0);
	/*
	 * Each huge page faulted in is mapped whole until reclaim splits it:
	 * AnonHugePages is the difference. The first ones written are the
	 * oldest, and all were split.
	 */
	ASSERT_EQ(meminfo_kb(m, "AnonHugePages"),
		  (vmstat(m, "thp_fault_alloc") - split) * (long long)(hpage / 1024));
	for (uint64_t off = 0; off < 64 * MiB; off += hpage) {
		struct page *p = page_at(m, pid, a + off);
		ASSERT_TRUE(!p || !PageHead(p));
	}
	ASSERT_TRUE(vmstat(m, "pswpout") > (long long)((len - ram_mib * MiB) / PAGE));
	if (test_verbose)
		fprintf(stderr, "twice RAM %s: AnonHugePages peak %lld kB, now %lld kB; thp_split_page %lld, "
			"thp_swpout_fallback %lld, thp_split_page_failed %lld, pswpout %lld\n",
			arch == MMSIM_ARCH_I386 ? "i386" : "x86_64", peak,
			meminfo_kb(m, "AnonHugePages"), split, fallback,
			vmstat(m, "thp_split_page_failed"), vmstat(m, "pswpout"));

	/* Every byte back: the huge pages' pages come in from swap as the pages they now are. */
	ASSERT_TRUE(range_holds(m, pid, a, len, 1));
	ASSERT_TRUE(vmstat(m, "pswpin") > 0);
	ASSERT_TRUE(verify_clean(m));
	ASSERT_EQ(mmsim_munmap(m, pid, a, len), 0);
	ASSERT_EQ(meminfo_kb(m, "AnonHugePages"), 0);
	ASSERT_TRUE(verify_clean(m));
	mmsim_destroy(m);
	if (test_verbose)
		fprintf(stderr, "twice RAM: %.1f s (%.1f s of CPU)\n", seconds(CLOCK_MONOTONIC) - wall,
			seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu);
	return true;
}

static bool test_twice_ram_x86_64(void)
{
	return run_twice_ram(MMSIM_ARCH_X86_64, 1024, 2 * MiB);
}

static bool test_twice_ram_i386(void)
{
	return run_twice_ram(MMSIM_ARCH_I386, 1024, 4 * MiB);
}

/* ---- a huge page cut by munmap --------------------------------------------------------------- */

/* A huge page cut by munmap: its head, and what its pages were (anon_vma and offset of the first). */
struct cut_page {
	struct page *head;
	void *mapping;
	unsigned long index;
};

/*
 * @n huge pages at @a, the second half of each unmapped: what is left is
 * mapped by PTEs, and each huge page waits on the deferred split queue.
 */
static bool cut_huge_pages(struct machine *m, int pid, uint64_t a, unsigned int n, unsigned int gen,
			   struct cut_page *cut)
{
	long long queued = vmstat(m, "thp_deferred_split_page");

	ASSERT_TRUE(write_range(m, pid, a, n * HPAGE, gen));
	for (unsigned int i = 0; i < n; i++) {
		struct page *head = page_at(m, pid, a + i * HPAGE);
		ASSERT_TRUE(head && PageHead(head));
		cut[i] = (struct cut_page){ head, head->mapping, head->index };
		ASSERT_EQ(mmsim_munmap(m, pid, a + i * HPAGE + HPAGE / 2, HPAGE / 2), 0);
		/* Still the huge page, mapped by PTEs now. */
		ASSERT_TRUE(page_at(m, pid, a + i * HPAGE) == head && PageHead(head));
	}
	ASSERT_EQ(vmstat(m, "thp_deferred_split_page"), queued + n);
	return true;
}

/*
 * Nothing holds on to the unmapped half of a huge page that was split: no
 * page anywhere is still one of its pages (its anon_vma, its offsets) with
 * references left — each is free, or someone else's now.
 */
static bool unmapped_half_released(struct machine *m, const struct cut_page *cut)
{
	for (unsigned long pfn = 0; pfn < m->mem_map_pfns; pfn++) {
		struct page *p = pfn_to_page(m, pfn);
		if (p->mapping == cut->mapping && p->index >= cut->index + 256 &&
		    p->index < cut->index + 512 && page_ref_count(p) > 0) {
			fprintf(stderr, "pfn %#lx: offset %lu of a split huge page is still held\n", pfn,
				p->index - cut->index);
			return false;
		}
	}
	return true;
}

static bool test_partial_unmap(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 1024, 2);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_swapon(m, NULL, 2 * GiB, -1), 0);
	int pid = mmsim_spawn(m, "cut");
	uint64_t a = map_aligned(m, pid, 16 * HPAGE, HPAGE);
	ASSERT_TRUE(a);

	/* The shrinker, run by drop_caches: 4 huge pages split, 4 MiB back to the free lists. */
	struct cut_page cut[8];
	ASSERT_TRUE(cut_huge_pages(m, pid, a, 4, 1, cut));
	ASSERT_EQ(meminfo_kb(m, "AnonHugePages"), 0);
	ASSERT_EQ(thp_split_queue_len(m), 4);
	ASSERT_TRUE(verify_clean(m));
	long long free_kb = meminfo_kb(m, "MemFree");
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/drop_caches", "2"), 0);
	ASSERT_EQ(vmstat(m, "thp_split_page"), 4);
	ASSERT_EQ(thp_split_queue_len(m), 0);
	for (int i = 0; i < 4; i++) {
		struct page *head = cut[i].head;
		ASSERT_TRUE(!PageHead(head));
		/* The unmapped half went back to the page allocator, page by page. */
		for (unsigned int k = 256; k < 512; k++) {
			ASSERT_TRUE(!PageTail(head + k));
			ASSERT_EQ(page_ref_count(head + k), 0);
			ASSERT_EQ(head[k].alloc_order, -1);
		}
		ASSERT_TRUE(unmapped_half_released(m, &cut[i]));
		/* The mapped half: pages of their own, one mapping and one reference each. */
		ASSERT_EQ(page_ref_count(head + 1), 1);
		ASSERT_EQ(head[1]._mapcount, 0);
		ASSERT_TRUE(range_holds(m, pid, a + i * HPAGE, HPAGE / 2, 1));
	}
	/* Freed as order-0 pages, they wait on the per-CPU lists (outside MemFree) or in the buddy. */
	ASSERT_TRUE(meminfo_kb(m, "MemFree") >= free_kb);
	ASSERT_TRUE(verify_clean(m));

	/* Under pressure: reclaim splits the other 4 (from the LRU, or the shrinker). */
	ASSERT_TRUE(cut_huge_pages(m, pid, a + 8 * HPAGE, 4, 2, cut + 4));
	int hog = mmsim_spawn(m, "hog");
	uint64_t h = map_aligned(m, hog, 1536 * MiB, HPAGE);
	ASSERT_TRUE(h);
	ASSERT_TRUE(write_range(m, hog, h, 1536 * MiB, 3));
	ASSERT_EQ(thp_split_queue_len(m), 0);
	ASSERT_TRUE(vmstat(m, "thp_split_page") >= 8);
	/* (Their frames are someone else's by now: the hog's huge pages, maybe.) */
	for (int i = 4; i < 8; i++)
		ASSERT_TRUE(unmapped_half_released(m, &cut[i]));
	ASSERT_TRUE(verify_clean(m));
	for (int i = 0; i < 8; i++)
		ASSERT_TRUE(range_holds(m, pid, a + (uint64_t)(i < 4 ? i : 4 + i) * HPAGE, HPAGE / 2,
					i < 4 ? 1 : 2));
	ASSERT_TRUE(range_holds(m, hog, h, 1536 * MiB, 3));
	ASSERT_TRUE(verify_clean(m));
	mmsim_destroy(m);
	return true;
}

/* ---- fork shares huge pages, then reclaim ---------------------------------------------------- */

static bool test_fork_shared_thp(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 1024, 2);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_swapon(m, NULL, 3 * GiB, -1), 0);
	int parent = mmsim_spawn(m, "parent");
	uint64_t len = 64 * MiB;
	uint64_t a = map_aligned(m, parent, len, HPAGE);
	ASSERT_TRUE(a);
	ASSERT_TRUE(write_range(m, parent, a, len, 1));
	ASSERT_EQ(meminfo_kb(m, "AnonHugePages"), 64 * 1024);
	int child = mmsim_fork(m, parent);
	ASSERT_TRUE(child > 1);
	/* One huge page, two PMDs: AnonHugePages counts it once. */
	struct page *head = page_at(m, parent, a);
	ASSERT_TRUE(head && head == page_at(m, child, a) && PageHead(head));
	ASSERT_EQ(compound_mapcount(head), 1);
	ASSERT_EQ(meminfo_kb(m, "AnonHugePages"), 64 * 1024);
	ASSERT_TRUE(verify_clean(m));

	/* Another process fills RAM twice over: the shared huge pages are the oldest, and go first. */
	int hog = mmsim_spawn(m, "hog");
	uint64_t h = map_aligned(m, hog, 2 * GiB, HPAGE);
	ASSERT_TRUE(h);
	ASSERT_TRUE(write_range(m, hog, h, 2 * GiB, 2));
	ASSERT_TRUE(vmstat(m, "thp_swpout_fallback") > 0);
	/* Split in both processes: neither maps a huge page there any more. */
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", parent);
	ASSERT_EQ(proc_value(m, path, "AnonHugePages"), 0);
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", child);
	ASSERT_EQ(proc_value(m, path, "AnonHugePages"), 0);
	snprintf(path, sizeof(path), "/proc/%d/status", child);
	ASSERT_TRUE(proc_value(m, path, "VmSwap") > 32 * 1024);
	ASSERT_TRUE(verify_clean(m));
	ASSERT_EQ(mmsim_exit(m, hog, 0), 0);
	ASSERT_TRUE(verify_clean(m));

	/* Both see the same data back (shared swap slots); then the child's writes are its own. */
	ASSERT_TRUE(range_holds(m, child, a, len, 1));
	ASSERT_TRUE(range_holds(m, parent, a, len, 1));
	ASSERT_TRUE(write_range(m, child, a, len / 2, 3));
	ASSERT_TRUE(range_holds(m, parent, a, len, 1));
	ASSERT_TRUE(range_holds(m, child, a, len / 2, 3));
	ASSERT_TRUE(range_holds(m, child, a + len / 2, len / 2, 1));
	ASSERT_TRUE(verify_clean(m));
	ASSERT_EQ(mmsim_exit(m, child, 0), 0);
	ASSERT_EQ(mmsim_wait4(m, parent, child, NULL, 0), child);
	ASSERT_TRUE(verify_clean(m));
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_twice_ram_x86_64),
	TEST(test_twice_ram_i386),
	TEST(test_partial_unmap),
	TEST(test_fork_shared_thp),
)
