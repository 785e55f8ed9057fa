/* test_compaction.c — page migration and memory compaction through the
 * library: processes whose pages are interleaved with a third one's
 * holes, compacted by /proc/sys/vm/compact_memory, by direct compaction
 * of a high-order allocation and by kcompactd's proactive check — and
 * after each, every process reads its own bytes through its own virtual
 * addresses, pages shared by fork or shmem stay shared, mlocked ones
 * locked, PTE bits as they were, and `verify` passes between the steps.
 * Also: the fragmentation indices against an independent computation from
 * /proc/buddyinfo, the deferral counters, a held page left where it is. */
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/process.h>

#include "arch/x86/mmu.h"
#include "helpers.h"
#include "kernel/sched.h"
#include "mm/compaction.h"
#include "mm/internal.h"
#include "test.h"

#define PG 4096ULL


/* Every byte of a page from its address, a generation and a process tag. */
static void page_pattern(unsigned char *buf, uint64_t addr, unsigned int gen)
{
	uint64_t s = addr * 0x9e3779b97f4a7c15ULL + gen + 1;

	for (size_t i = 0; i < PG; i += 8) {
		uint64_t x = xorshift64(&s);
		memcpy(buf + i, &x, 8);
	}
}

static bool write_page(struct machine *m, int pid, uint64_t addr, unsigned int gen)
{
	unsigned char buf[PG];

	page_pattern(buf, addr, gen);
	return mmsim_user_write(m, pid, addr, buf, PG, NULL) == 0;
}

/* Every @step-th page of [addr, addr + len) holds generation @gen's pattern. */
static bool check_range(struct machine *m, int pid, uint64_t addr, uint64_t len, uint64_t step,
			unsigned int gen)
{
	unsigned char want[PG], got[PG];

	for (uint64_t off = 0; off < len; off += step * PG) {
		page_pattern(want, addr + off, gen);
		if (mmsim_user_read(m, pid, addr + off, got, PG, NULL) || memcmp(want, got, PG)) {
			fprintf(stderr, "pid %d %#llx: not the bytes written (gen %u)\n", pid,
				(unsigned long long)(addr + off), gen);
			return false;
		}
	}
	return true;
}

/* The PTE that maps @addr in @pid's address space (0: none). */
static uint64_t pte_of(struct machine *m, int pid, uint64_t addr)
{
	struct task_struct *t = find_task_by_pid(m, pid);
	uint64_t pte = 0;

	if (!t || !t->mm || !follow_pte(m, t->mm, addr, &pte))
		return 0;
	return pte;
}

static unsigned long pfn_of(struct machine *m, int pid, uint64_t addr)
{
	return (unsigned long)pte_pfn(m, pte_of(m, pid, addr));
}

static int64_t map(struct machine *m, int pid, uint64_t len, int flags)
{
	return mmsim_mmap(m, pid, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE, flags, -1, 0);
}

/* Free blocks of at least @order in every zone, from the free areas. */
static unsigned long blocks_at_least(struct machine *m, unsigned int order)
{
	unsigned long n = 0;

	for_each_populated_zone(m, zone)
		for (unsigned int o = order; o < MAX_ORDER; o++)
			n += zone->free_area[o].nr_free << (o - order);
	return n;
}

/* Free order-0 blocks on the buddy lists, all zones. */
static unsigned long order0_after(struct machine *m)
{
	unsigned long n = 0;

	for_each_populated_zone(m, zone)
		n += zone->free_area[0].nr_free;
	return n;
}

/*
 * The scene: process A's private pages interleaved page by page with the
 * pages of C, which then frees every one of its own — so A's pages sit
 * in every other frame. B is A's fork (sharing A's pages copy-on-write
 * but for the first MiB, which A rewrote), and both map one shmem area.
 * A's last MiB is mlocked.
 */
struct scene {
	int a, b, c;
	uint64_t anon, shm, len, shm_len;
};

static bool build_scene(struct machine *m, struct scene *s, uint64_t len)
{
	s->len = len;
	s->shm_len = 2 * MiB;
	s->a = mmsim_spawn(m, "a");
	s->c = mmsim_spawn(m, "c");
	ASSERT_TRUE(s->a > 0 && s->c > 0);
	int64_t anon = map(m, s->a, len, MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS);
	int64_t shm = map(m, s->a, s->shm_len, MMSIM_MAP_SHARED | MMSIM_MAP_ANONYMOUS);
	int64_t hole = map(m, s->c, len, MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS);
	ASSERT_TRUE(anon > 0 && shm > 0 && hole > 0);
	s->anon = (uint64_t)anon;
	s->shm = (uint64_t)shm;
	/*
	 * Base pages, not THPs (Debian's default is "always"): compaction
	 * steps over huge pages, and C's frees would only split its own.
	 */
	ASSERT_EQ(mmsim_madvise(m, s->a, s->anon, len, MMSIM_MADV_NOHUGEPAGE), 0);
	ASSERT_EQ(mmsim_madvise(m, s->c, (uint64_t)hole, len, MMSIM_MADV_NOHUGEPAGE), 0);
	/*
	 * Faulted in a seeded random order between the two, so that no
	 * stride of the free scanner's sampling lines up with the holes
	 * (a strictly alternating pattern would hide every hole from a
	 * scanner stepping by an even stride, in 6.1 as here).
	 */
	uint64_t seed = 0x9e3779b97f4a7c15ULL, a_off = 0, c_off = 0;
	while (a_off < len || c_off < len) {
		bool to_a = c_off >= len || (a_off < len && (xorshift64(&seed) & 1));
		if (to_a) {
			ASSERT_TRUE(write_page(m, s->a, s->anon + a_off, 1));
			a_off += PG;
		} else {
			ASSERT_TRUE(write_page(m, s->c, (uint64_t)hole + c_off, 1));
			c_off += PG;
		}
	}
	for (uint64_t off = 0; off < s->shm_len; off += PG)
		ASSERT_TRUE(write_page(m, s->a, s->shm + off, 7));
	ASSERT_EQ(mmsim_mlock(m, s->a, s->anon + len - MiB, MiB, 0), 0);
	s->b = mmsim_fork(m, s->a);
	ASSERT_TRUE(s->b > 0);
	for (uint64_t off = 0; off < MiB; off += PG)
		ASSERT_TRUE(write_page(m, s->a, s->anon + off, 2));
	/* C frees all of its pages but every 64th: the holes are single pages. */
	for (uint64_t off = 0; off < len; off += PG)
		if ((off / PG) % 64)
			ASSERT_EQ(mmsim_madvise(m, s->c, (uint64_t)hole + off, PG, MMSIM_MADV_DONTNEED), 0);
	ASSERT_TRUE(verify_passes(m));
	return true;
}

static bool scene_intact(struct machine *m, const struct scene *s)
{
	ASSERT_TRUE(check_range(m, s->a, s->anon, MiB, 1, 2));
	ASSERT_TRUE(check_range(m, s->a, s->anon + MiB, s->len - MiB, 1, 1));
	ASSERT_TRUE(check_range(m, s->b, s->anon, s->len, 1, 1));
	ASSERT_TRUE(check_range(m, s->a, s->shm, s->shm_len, 1, 7));
	ASSERT_TRUE(check_range(m, s->b, s->shm, s->shm_len, 1, 7));
	/* Still shared: fork's copy-on-write pages and the shmem pages, one frame for both. */
	for (uint64_t off = MiB; off < s->len; off += 16 * PG)
		ASSERT_EQ(pfn_of(m, s->a, s->anon + off), pfn_of(m, s->b, s->anon + off));
	for (uint64_t off = 0; off < s->shm_len; off += 16 * PG)
		ASSERT_EQ(pfn_of(m, s->a, s->shm + off), pfn_of(m, s->b, s->shm + off));
	/* Writable again only where the page is A's alone (copy-on-write still armed in B). */
	ASSERT_TRUE(pte_of(m, s->a, s->anon) & _PAGE_RW);
	ASSERT_TRUE(!(pte_of(m, s->b, s->anon + 2 * MiB) & _PAGE_RW));
	return true;
}

/* ---- compact_memory ------------------------------------------------------------------------ */

static bool compact_memory_case(enum mmsim_arch arch, uint64_t mem_mib, uint64_t len)
{
	struct machine *m = boot(arch, mem_mib, 2);
	struct scene s;

	ASSERT_TRUE(m);
	ASSERT_TRUE(build_scene(m, &s, len));
	enum { SAMPLES = 64 };
	unsigned long before[SAMPLES];
	for (int i = 0; i < SAMPLES; i++)
		before[i] = pfn_of(m, s.a, s.anon + MiB + (uint64_t)i * (len - 2 * MiB) / SAMPLES);
	unsigned long big_before = blocks_at_least(m, m->pageblock_order);
	unsigned long order0_before = order0_after(m);
	long long mlocked = proc_field(m, "/proc/vmstat", "nr_mlock");
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/compact_memory", "1"), 0);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(scene_intact(m, &s));
	int moved = 0;
	for (int i = 0; i < SAMPLES; i++)
		moved += before[i] != pfn_of(m, s.a, s.anon + MiB + (uint64_t)i * (len - 2 * MiB) / SAMPLES);
	ASSERT_TRUE(moved > 0);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgmigrate_success") > 0);
	/* The last batch may find no free page left once the scanners are about to meet. */
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgmigrate_fail") <= (long long)COMPACT_CLUSTER_MAX);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "compact_isolated") > 0);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "nr_mlock"), mlocked);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "nr_isolated_anon"), 0);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "nr_isolated_file"), 0);
	/* What was scattered is whole again: more free pageblocks, far fewer lone free pages. */
	unsigned long big_after = blocks_at_least(m, m->pageblock_order);
	ASSERT_TRUE(order0_after(m) * 2 < order0_before);
	if (test_verbose)
		fprintf(stderr, "%s: %lu -> %lu free pageblocks, %d/%d sampled pages moved, %lld migrated\n",
			arch == MMSIM_ARCH_I386 ? "i386" : "x86_64", big_before, big_after, moved, SAMPLES,
			proc_field(m, "/proc/vmstat", "pgmigrate_success"));
	ASSERT_TRUE(big_after > big_before);
	/* The processes carry on: they write and read again, and exit cleanly. */
	for (uint64_t off = 0; off < len; off += 32 * PG)
		ASSERT_TRUE(write_page(m, s.b, s.anon + off, 3));
	ASSERT_TRUE(check_range(m, s.b, s.anon, len, 32, 3));
	ASSERT_TRUE(check_range(m, s.a, s.anon + MiB, len - MiB, 1, 1));
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

static bool test_compact_memory_i386(void)
{
	/* 2 GiB: A's pages are in HighMem, migrated through kmap_local copies. */
	return compact_memory_case(MMSIM_ARCH_I386, 2048, 96 * MiB) &&
	       compact_memory_case(MMSIM_ARCH_I386, 512, 96 * MiB);
}

static bool test_compact_memory_x86_64(void)
{
	return compact_memory_case(MMSIM_ARCH_X86_64, 1024, 96 * MiB);
}

/*
 * The PTE's own bits survive the move: writable or not, dirty or clean,
 * young or old — checked on every page of A's that moved, after the bits
 * of every fourth one were cleared by hand.
 */
static bool test_pte_bits_survive(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 512, 1);
	struct scene s;
	const uint64_t flags = _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_RW | _PAGE_USER | _PAGE_PRESENT;

	ASSERT_TRUE(m);
	ASSERT_TRUE(build_scene(m, &s, 32 * MiB));
	struct task_struct *t = find_task_by_pid(m, s.a);
	unsigned long n = s.len / PG;
	uint64_t *before = calloc(n, sizeof(*before));
	ASSERT_TRUE(before);
	for (unsigned long i = 0; i < n; i++) {
		uint64_t addr = s.anon + i * PG;
		if (i % 4 == 0) {
			phys_addr_t table = user_walk(m, t->mm, addr, PT_PTE, false, NULL);
			unsigned int idx = pt_index(m, addr, PT_PTE);
			pt_write(m, table, idx, pt_read(m, table, idx) &
						~(uint64_t)(_PAGE_ACCESSED | _PAGE_DIRTY));
		}
		before[i] = pte_of(m, s.a, addr);
	}
	flush_tlb_mm_range(m, t->mm, s.anon, s.anon + s.len);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/compact_memory", "1"), 0);
	ASSERT_TRUE(verify_passes(m));
	unsigned long moved[2] = { 0 };	/* [bits cleared by hand, untouched] */
	for (unsigned long i = 0; i < n; i++) {
		uint64_t now = pte_of(m, s.a, s.anon + i * PG);
		if (pte_pfn(m, now) == pte_pfn(m, before[i]))
			continue;
		moved[i % 4 != 0]++;
		if ((now & flags) != (before[i] & flags))
			fprintf(stderr, "page %lu of A: PTE %#llx before, %#llx after\n", i,
				(unsigned long long)before[i], (unsigned long long)now);
		ASSERT_EQ(now & flags, before[i] & flags);
	}
	free(before);
	ASSERT_TRUE(moved[0] > 0 && moved[1] > 0);
	ASSERT_TRUE(scene_intact(m, &s));
	mmsim_destroy(m);
	return true;
}

/* A page someone else holds a reference on stays where it is; everything else moves. */
static bool test_held_page_stays(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 512, 1);
	struct scene s;

	ASSERT_TRUE(m);
	ASSERT_TRUE(build_scene(m, &s, 32 * MiB));
	uint64_t addr = s.anon + 8 * MiB + 5 * PG;
	unsigned long pfn = pfn_of(m, s.a, addr);
	struct page *page = pfn_to_page(m, pfn);
	get_page(page);		/* as a get_user_pages() user would */
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/compact_memory", "1"), 0);
	ASSERT_EQ(pfn_of(m, s.a, addr), pfn);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(scene_intact(m, &s));
	put_page(m, page);
	/* 6.1 compacts on any write at all, without looking at it; nobody may read the file. */
	long long scanned = proc_field(m, "/proc/vmstat", "compact_migrate_scanned");
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/compact_memory", "x"), 0);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "compact_migrate_scanned") > scanned);
	char *buf = NULL;
	int rc;
	CAPTURE(buf, rc = mmsim_proc_read(m, "/proc/sys/vm/compact_memory", _f));
	free(buf);
	ASSERT_EQ(rc, -MMSIM_EACCES);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* ---- direct compaction ----------------------------------------------------------------------- */

/*
 * Take every free order-9 block the allocator has without any effort
 * (GFP_NOWAIT), at most MAX_HELD: what remains needs compaction. The count.
 */
enum { MAX_HELD = 256 };

static int hold_free_order9(struct machine *m, struct page *held[MAX_HELD])
{
	int n = 0;

	while (n < MAX_HELD && (held[n] = alloc_pages(m, GFP_NOWAIT | __GFP_NOWARN, 9)))
		n++;
	return n;
}

static void release_order9(struct machine *m, struct page **held, int n)
{
	for (int i = 0; i < n; i++)
		__free_pages(m, held[i], 9);
}

static bool test_direct_compaction(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 512, 1);
	struct scene s;

	ASSERT_TRUE(m);
	ASSERT_TRUE(build_scene(m, &s, 160 * MiB));
	struct page *held[MAX_HELD];
	int nheld = hold_free_order9(m, held);
	ASSERT_TRUE(nheld < MAX_HELD);
	long long stalls = proc_field(m, "/proc/vmstat", "compact_stall");
	/* The same request that may wait: direct compaction makes the block. */
	struct page *big = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 9);
	ASSERT_TRUE(big != NULL);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "compact_stall") > stalls);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "compact_success") >= 1);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(scene_intact(m, &s));
	__free_pages(m, big, 9);
	release_order9(m, held, nheld);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/*
 * The context decides: GFP_NOIO may not compact at all (migration may need
 * I/O); GFP_NOFS may, but moves only anonymous pages — not shmem pages,
 * which a filesystem's locks guard (6.1's try_to_compact_pages() and
 * isolate_migratepages_block()). The scene: anonymous pages interleaved
 * with holes, and a shmem page every 16 anonymous ones, so that every
 * pageblock holds shmem pages: GFP_NOFS compaction runs, moves anonymous
 * pages, and still cannot free a pageblock; GFP_KERNEL can.
 */
static bool test_nofs_noio_compaction(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 512, 1);
	const uint64_t len = 96 * MiB, shm_len = len / 16;

	ASSERT_TRUE(m);
	int a = mmsim_spawn(m, "a"), c = mmsim_spawn(m, "c");
	ASSERT_TRUE(a > 0 && c > 0);
	int64_t anon = map(m, a, len, MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS);
	int64_t shm = map(m, a, shm_len, MMSIM_MAP_SHARED | MMSIM_MAP_ANONYMOUS);
	int64_t hole = map(m, c, len, MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS);
	ASSERT_TRUE(anon > 0 && shm > 0 && hole > 0);
	ASSERT_EQ(mmsim_madvise(m, a, (uint64_t)anon, len, MMSIM_MADV_NOHUGEPAGE), 0);
	ASSERT_EQ(mmsim_madvise(m, c, (uint64_t)hole, len, MMSIM_MADV_NOHUGEPAGE), 0);
	for (uint64_t off = 0; off < len; off += PG) {
		ASSERT_TRUE(write_page(m, a, (uint64_t)anon + off, 1));
		ASSERT_TRUE(write_page(m, c, (uint64_t)hole + off, 1));
		if (!((off / PG) % 16))
			ASSERT_TRUE(write_page(m, a, (uint64_t)shm + off / 16, 7));
	}
	ASSERT_EQ(mmsim_madvise(m, c, (uint64_t)hole, len, MMSIM_MADV_DONTNEED), 0);
	struct page *held[MAX_HELD];
	int nheld = hold_free_order9(m, held);
	ASSERT_TRUE(nheld < MAX_HELD);
	unsigned long shm_pfn[shm_len / PG];
	for (uint64_t i = 0; i < shm_len / PG; i++)
		shm_pfn[i] = pfn_of(m, a, (uint64_t)shm + i * PG);

	long long stalls = proc_field(m, "/proc/vmstat", "compact_stall");
	long long migrated = proc_field(m, "/proc/vmstat", "pgmigrate_success");
	ASSERT_TRUE(alloc_pages(m, GFP_NOIO | __GFP_NOWARN, 9) == NULL);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "compact_stall"), stalls);
	ASSERT_TRUE(alloc_pages(m, GFP_NOFS | __GFP_NOWARN, 9) == NULL);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "compact_stall") > stalls);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgmigrate_success") > migrated);
	for (uint64_t i = 0; i < shm_len / PG; i++)
		ASSERT_EQ(pfn_of(m, a, (uint64_t)shm + i * PG), shm_pfn[i]);
	struct page *big = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 9);
	ASSERT_TRUE(big != NULL);
	ASSERT_TRUE(check_range(m, a, (uint64_t)anon, len, 1, 1));
	ASSERT_TRUE(check_range(m, a, (uint64_t)shm, shm_len, 1, 7));
	__free_pages(m, big, 9);
	release_order9(m, held, nheld);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* ---- kcompactd's proactive compaction ----------------------------------------------------------- */

static bool test_proactive(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 512, 1);
	struct scene s;

	ASSERT_TRUE(m);
	ASSERT_TRUE(build_scene(m, &s, 128 * MiB));
	unsigned int score = fragmentation_score_node(m);
	/* The default (20) leaves this alone: the score is below its high mark of 90. */
	ASSERT_TRUE(score > 15 && score < 90);
	kswapd_run_pending(m);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "compact_daemon_migrate_scanned"), 0);
	/* 100: the marks are 5 and 15, and writing it wakes kcompactd for a check. */
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/compaction_proactiveness", "100"), 0);
	kswapd_run_pending(m);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "compact_daemon_migrate_scanned") > 0);
	if (test_verbose)
		fprintf(stderr, "proactive: score %u -> %u, %lld pages migrated\n", score,
			fragmentation_score_node(m), proc_field(m, "/proc/vmstat", "pgmigrate_success"));
	ASSERT_TRUE(fragmentation_score_node(m) < score);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(scene_intact(m, &s));
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/compaction_proactiveness", "101"), -MMSIM_EINVAL);
	mmsim_destroy(m);
	return true;
}

/* ---- alloc_contig_range over a huge page, and alloc_contig_pages ------------------------------- */

/*
 * The pageblock a transparent huge page fills is taken by
 * alloc_contig_range(): the huge page is split and its pages migrated,
 * the process reads every byte back, and nothing stays isolated.
 */
static bool test_contig_over_thp(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 1024, 2);

	ASSERT_TRUE(m);
	int pid = mmsim_spawn(m, "thp");
	ASSERT_TRUE(pid > 0);
	uint64_t len = 8 * MiB;
	int64_t raw = map(m, pid, len + 2 * MiB, MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS);
	ASSERT_TRUE(raw > 0);
	uint64_t addr = ((uint64_t)raw + 2 * MiB - 1) & ~(2 * MiB - 1);
	for (uint64_t off = 0; off < len; off += PG)
		ASSERT_TRUE(write_page(m, pid, addr + off, 5));
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "nr_anon_transparent_hugepages") >= 4);
	unsigned long head = pfn_of(m, pid, addr + 2 * MiB);
	ASSERT_TRUE(PageHead(pfn_to_page(m, head)));
	ASSERT_EQ(head & (m->pageblock_nr_pages - 1), 0);
	ASSERT_EQ(alloc_contig_range(m, head, head + m->pageblock_nr_pages, MIGRATE_MOVABLE,
				     GFP_KERNEL), 0);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "thp_migration_split") >= 1);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "nr_isolated_anon"), 0);
	ASSERT_TRUE(pfn_of(m, pid, addr + 2 * MiB) != head);
	ASSERT_TRUE(check_range(m, pid, addr, len, 1, 5));
	ASSERT_TRUE(verify_passes(m));
	free_contig_range(m, head, m->pageblock_nr_pages);
	ASSERT_TRUE(verify_passes(m));
	/* Beyond MAX_ORDER: 16 MiB in one range, found and emptied where the zones allow. */
	struct page *big = alloc_contig_pages(m, 4096, GFP_KERNEL);
	ASSERT_TRUE(big != NULL);
	ASSERT_EQ(page_to_pfn(m, big) & 4095, 0);
	ASSERT_TRUE(check_range(m, pid, addr, len, 1, 5));
	ASSERT_TRUE(verify_passes(m));
	free_contig_range(m, page_to_pfn(m, big), 4096);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* ---- the indices and the deferral ----------------------------------------------------------------- */

/* The kernel's formulas, computed here again from /proc/buddyinfo's counts. */
static bool check_indices(struct machine *m)
{
	char *buddy = proc(m, "/proc/buddyinfo");
	char *extfrag = proc(m, "/sys/kernel/debug/extfrag/extfrag_index");
	char *unusable = proc(m, "/sys/kernel/debug/extfrag/unusable_index");
	char *bl = buddy, *el = extfrag, *ul = unusable;
	int zones = 0;

	while (bl && *bl) {
		char zname[16], ename[16], uname[16];
		int n;
		unsigned long nr[MAX_ORDER];
		ASSERT_EQ(sscanf(bl, "Node 0, zone %15s%n", zname, &n), 1);
		char *p = bl + n;
		for (int o = 0; o < MAX_ORDER; o++)
			nr[o] = strtoul(p, &p, 10);
		ASSERT_EQ(sscanf(el, "Node 0, zone %15s%n", ename, &n), 1);
		char *e = el + n;
		ASSERT_EQ(sscanf(ul, "Node 0, zone %15s%n", uname, &n), 1);
		char *u = ul + n;
		ASSERT_TRUE(!strcmp(zname, ename) && !strcmp(zname, uname));
		for (unsigned int order = 0; order < MAX_ORDER; order++) {
			unsigned long total = 0, pages = 0, suitable = 0;
			for (unsigned int o = 0; o < MAX_ORDER; o++) {
				total += nr[o];
				pages += nr[o] << o;
				if (o >= order)
					suitable += nr[o] << (o - order);
			}
			long fi = !total ? 0 : suitable ? -1000 :
				  1000 - (long)((1000 + pages * 1000 / (1UL << order)) / total);
			long ui = !pages ? 1000 : (long)((pages - (suitable << order)) * 1000 / pages);
			char want[32];
			snprintf(want, sizeof(want), "%ld.%03ld", fi / 1000, fi % 1000);
			while (*e == ' ')
				e++;
			ASSERT_TRUE(!strncmp(e, want, strlen(want)));
			e = strchr(e, ' ');
			snprintf(want, sizeof(want), "%ld.%03ld", ui / 1000, ui % 1000);
			while (*u == ' ')
				u++;
			ASSERT_TRUE(!strncmp(u, want, strlen(want)));
			u = strchr(u, ' ');
		}
		zones++;
		bl = strchr(bl, '\n');
		bl = bl ? bl + 1 : NULL;
		el = strchr(el, '\n') + 1;
		ul = strchr(ul, '\n') + 1;
	}
	ASSERT_TRUE(zones >= 2);
	free(buddy);
	free(extfrag);
	free(unusable);
	return true;
}

static bool test_fragmentation_indices(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 1024, 2);
	struct scene s;

	ASSERT_TRUE(m);
	ASSERT_TRUE(check_indices(m));
	ASSERT_TRUE(build_scene(m, &s, 64 * MiB));
	ASSERT_TRUE(check_indices(m));
	/* Compaction lowers the unusable index at the pageblock order. */
	struct zone *high = NULL;
	for_each_populated_zone(m, zone)
		high = zone;
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/compact_memory", "1"), 0);
	ASSERT_TRUE(check_indices(m));
	(void)high;
	mmsim_destroy(m);
	return true;
}

/* A zone that failed is tried once in 2, 4, ... 64 requests, and every time after a success. */
static bool test_deferral(void)
{
	struct zone z = { .compact_order_failed = MAX_ORDER };

	ASSERT_TRUE(!compaction_deferred(&z, 9));
	for (unsigned int shift = 1; shift <= COMPACT_MAX_DEFER_SHIFT + 2; shift++) {
		defer_compaction(&z, 9);
		unsigned int limit = 1U << (shift < COMPACT_MAX_DEFER_SHIFT ? shift : COMPACT_MAX_DEFER_SHIFT);
		for (unsigned int i = 1; i < limit; i++)
			ASSERT_TRUE(compaction_deferred(&z, 9));
		ASSERT_TRUE(!compaction_deferred(&z, 9));
		/* Orders below the one that failed are never deferred. */
		ASSERT_TRUE(!compaction_deferred(&z, 8));
	}
	compaction_defer_reset(&z, 9, true);
	ASSERT_EQ(z.compact_defer_shift, 0);
	ASSERT_EQ(z.compact_order_failed, 10);
	ASSERT_TRUE(!compaction_deferred(&z, 9));
	return true;
}

/* The sysctls: their defaults and ranges, as 6.1 has them. */
static bool test_sysctls(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 256, 1);

	ASSERT_TRUE(m);
	char *t = proc(m, "/proc/sys/vm/extfrag_threshold");
	ASSERT_TRUE(!strcmp(t, "500\n"));
	free(t);
	t = proc(m, "/proc/sys/vm/compaction_proactiveness");
	ASSERT_TRUE(!strcmp(t, "20\n"));
	free(t);
	t = proc(m, "/proc/sys/vm/compact_unevictable_allowed");
	ASSERT_TRUE(!strcmp(t, "1\n"));
	free(t);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/extfrag_threshold", "1001"), -MMSIM_EINVAL);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/extfrag_threshold", "0"), 0);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/compact_unevictable_allowed", "2"), -MMSIM_EINVAL);
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_compact_memory_i386),
	TEST(test_compact_memory_x86_64),
	TEST(test_pte_bits_survive),
	TEST(test_held_page_stays),
	TEST(test_direct_compaction),
	TEST(test_nofs_noio_compaction),
	TEST(test_proactive),
	TEST(test_contig_over_thp),
	TEST(test_fragmentation_indices),
	TEST(test_deferral),
	TEST(test_sysctls),
)
