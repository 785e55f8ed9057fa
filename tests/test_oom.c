/* test_oom.c — the OOM killer: whom it chooses (badness, oom_score_adj,
 * -1000 never), what it counts and reports (the oom_kill event, the dmesg
 * report's lines in 6.1's order), the sysctls that change it
 * (panic_on_oom, oom_kill_allocating_task, oom_dump_tasks), the OOM
 * reaper, the legacy oom_adj's conversion, and the machine staying
 * consistent (verify) through all of it. */
#include <mmsim/mman.h>
#include <mmsim/process.h>
#include <mmsim/swap.h>

#include "helpers.h"
#include "kernel/sched.h"
#include "mm/oom.h"
#include "test.h"

#define MB (1024ULL * 1024)

/* The log with each line's level ("<4>[...] text"), as dmesg -r prints it. */
static __attribute__((noinline)) char *dmesg_raw(struct machine *m)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	mmsim_dmesg_raw(m, f);
	fclose(f);
	return buf;
}

static bool alive(struct machine *m, int pid)
{
	struct task_struct *t = find_task_by_pid(m, pid);
	return t && !t->exit_state;
}

static __attribute__((noinline)) unsigned long vmstat_oom_kill(struct machine *m)
{
	char *v = NULL;
	size_t len;
	FILE *f = open_memstream(&v, &len);
	mmsim_proc_read(m, "/proc/vmstat", f);
	fclose(f);
	unsigned long n = ~0UL;
	size_t at = strstr(v, "\noom_kill ") ? (size_t)(strstr(v, "\noom_kill ") - v) : len;
	if (at < len)
		n = strtoul(v + at + 10, NULL, 10);
	free(v);
	return n;
}

static int write_pid_file(struct machine *m, int pid, const char *file, const char *value)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return mmsim_proc_write(m, path, value);
}

static __attribute__((noinline)) long read_pid_file(struct machine *m, int pid, const char *file)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	char *s = proc(m, path);
	long v = s && *s ? strtol(s, NULL, 10) : -99999;
	free(s);
	return v;
}

/*
 * A process of @comm with oom_score_adj @adj that writes @mib MiB of
 * anonymous memory, mapped 16 MiB at a time (so that no one mmap is
 * refused by the overcommit heuristic before memory really runs out);
 * returns its pid, 0 if it was killed on the way, -1 on another failure.
 */
static int hold(struct machine *m, const char *comm, const char *adj, uint64_t mib)
{
	int pid = mmsim_spawn(m, comm);
	if (pid <= 1 || write_pid_file(m, pid, "oom_score_adj", adj))
		return -1;
	for (uint64_t done = 0; done < mib; done += 16) {
		uint64_t len = (mib - done < 16 ? mib - done : 16) * MB;
		int64_t a = mmsim_mmap(m, pid, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
		if (!alive(m, pid))
			return 0;
		if (a <= 0)
			return -1;
		for (uint64_t off = 0; off < len; off += 4096) {
			struct mmsim_siginfo si;
			unsigned char b = 1;
			int r = mmsim_user_write(m, pid, (uint64_t)a + off, &b, 1, &si);
			if (r == 9 || !alive(m, pid))
				return 0;
			if (r)
				return -1;
		}
	}
	return pid;
}

/* The pages a process has, with what its task has not folded into its mm yet. */
static long anon_pages(struct machine *m, int pid)
{
	struct task_struct *t = find_task_by_pid(m, pid);
	return (long)get_mm_counter(t->mm, MM_ANONPAGES) + t->rss_stat.count[MM_ANONPAGES];
}

/* @needles appear in @log in this order. */
static bool in_order(const char *log, const char *const *needles, size_t n)
{
	const char *p = log;
	for (size_t i = 0; i < n; i++) {
		const char *q = strstr(p, needles[i]);
		if (!q) {
			fprintf(stderr, "missing (in order) in dmesg: %s\n", needles[i]);
			return false;
		}
		p = q + strlen(needles[i]);
	}
	return true;
}

/*
 * 256 MiB (60932 pages, so oom_score_adj counts 60 pages a point): big
 * (100 MiB) at -1000, mid (40 MiB) at 0, small (10 MiB) at 500, then a
 * grower. small's 2560 pages + 500 * 60 outweigh whatever the grower can
 * get (about 20000 pages): small dies first. Then the grower outgrows mid
 * and dies itself. big, the largest, is never chosen.
 */
static bool test_victims(enum mmsim_arch arch)
{
	struct machine *m = boot(arch, 256, 2);
	ASSERT_TRUE(m);
	int big = hold(m, "big", "-1000", 100);
	int mid = hold(m, "mid", "0", 40);
	int small = hold(m, "small", "500", 10);
	ASSERT_TRUE(big > 1 && mid > 1 && small > 1);
	ASSERT_EQ(read_pid_file(m, big, "oom_score"), 0);	/* -1000: never */
	ASSERT_TRUE(read_pid_file(m, small, "oom_score") > read_pid_file(m, mid, "oom_score"));
	ASSERT_EQ(vmstat_oom_kill(m), 0);
	mmsim_dmesg_clear(m);

	ASSERT_EQ(hold(m, "grow", "0", 400), 0);	/* killed on the way */
	ASSERT_TRUE(alive(m, big));
	ASSERT_TRUE(alive(m, mid));
	ASSERT_TRUE(!alive(m, small));
	ASSERT_EQ(vmstat_oom_kill(m), 2);
	ASSERT_TRUE(verify_passes(m));

	char *log = dmesg_raw(m);
	const char *const first[] = {
		"<4>", "grow invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=0\n",
		"<4>", "Mem-Info:\n", "<4>", "active_anon:", " isolated_anon:0\n",
		"<4>", "  active_file:", "<4>", "  free:", " free_pcp:", " free_cma:0\n",
		"<4>", "Node 0 active_anon:", "all_unreclaimable? ",
		" free:", "kB boost:0kB min:", "reserved_highatomic:0KB", "local_pcp:", "\n",
		"<4>", "lowmem_reserve[]: 0 ",
		"<4>", "total pagecache pages\n", "<4>", "0 pages in swap cache\n",
		"<4>", "Free swap  = 0kB\n", "<4>", "Total swap = 0kB\n", "<4>", " pages RAM\n",
		"<4>", " pages HighMem/MovableOnly\n", "<4>", " pages reserved\n",
		"<4>", "0 pages hwpoisoned\n",
		"<6>", "Tasks state (memory values in pages):\n",
		"<6>", "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n",
		"         -1000 big\n", "             0 mid\n", "           500 small\n", "             0 grow\n",
		"<6>", "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=small,",
		"<3>", "Out of memory: Killed process ", " (small) total-vm:", "kB, anon-rss:", "kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:", "kB oom_score_adj:500\n",
		/* the second time: small is gone from the table, the grower goes */
		"grow invoked oom-killer", "Tasks state", "             0 mid\n", "             0 grow\n",
		"task=grow,", "Out of memory: Killed process ", " (grow) ",
	};
	ASSERT_TRUE(in_order(log, first, sizeof(first) / sizeof(first[0])));
	/* The victims exited before OOM_REAPER_DELAY: the reaper had nothing to say. */
	ASSERT_TRUE(!strstr(log, "oom_reaper"));
	free(log);
	mmsim_destroy(m);
	return true;
}

static bool test_victims_i386(void) { return test_victims(MMSIM_ARCH_I386); }
static bool test_victims_x86_64(void) { return test_victims(MMSIM_ARCH_X86_64); }

/* Highest points wins; among equal points the one found last (created later). */
static bool test_tie_break(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 128, 1);
	ASSERT_TRUE(m);
	int a = hold(m, "a", "0", 20);
	int b = hold(m, "b", "0", 20);
	ASSERT_TRUE(a > 1 && b > 1);
	/* Both the same size; the grower's bias keeps it below them while they live. */
	ASSERT_EQ(hold(m, "g", "-999", 200), 0);
	char *log = dmesg_raw(m);
	const char *const order[] = { "Out of memory: Killed process ", " (b) ",
				      "Out of memory: Killed process ", " (a) " };
	ASSERT_TRUE(in_order(log, order, 4));
	free(log);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* vm.oom_kill_allocating_task: the allocating process goes, however small. */
static bool test_kill_allocating_task(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 128, 1);
	ASSERT_TRUE(m);
	int big = hold(m, "big", "0", 80);
	ASSERT_TRUE(big > 1);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/oom_kill_allocating_task", "1"), 0);
	ASSERT_EQ(hold(m, "g", "0", 200), 0);
	ASSERT_TRUE(alive(m, big));
	ASSERT_EQ(vmstat_oom_kill(m), 1);
	char *log = dmesg_raw(m);
	ASSERT_TRUE(strstr(log, "Out of memory (oom_kill_allocating_task): Killed process "));
	ASSERT_TRUE(strstr(log, " (g) total-vm:"));
	free(log);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* vm.panic_on_oom 1: the report without a victim, then the panic; nobody is killed. */
static bool test_panic_on_oom(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 128, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/panic_on_oom", "3"), -MMSIM_EINVAL);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/panic_on_oom", "1"), 0);
	ASSERT_EQ(hold(m, "g", "0", 200), -1);	/* the fault fails: the kernel has panicked */
	ASSERT_TRUE(m->panicked);
	ASSERT_EQ(vmstat_oom_kill(m), 0);
	char *log = dmesg_raw(m);
	const char *const lines[] = {
		"g invoked oom-killer", "Mem-Info:", "Tasks state",
		"<0>", "Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled\n",
		"<0>", "---[ end Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled ]---\n",
	};
	ASSERT_TRUE(in_order(log, lines, sizeof(lines) / sizeof(lines[0])));
	ASSERT_TRUE(!strstr(log, "oom-kill:constraint"));
	free(log);
	mmsim_destroy(m);
	return true;
}

/* vm.oom_dump_tasks 0: the report without the task table. */
static bool test_oom_dump_tasks(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 256, 1);
	ASSERT_TRUE(m);
	char *v = proc(m, "/proc/sys/vm/oom_dump_tasks");
	ASSERT_TRUE(!strcmp(v, "1\n"));
	free(v);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/oom_dump_tasks", "0"), 0);
	ASSERT_EQ(hold(m, "g", "0", 400), 0);
	char *log = dmesg_raw(m);
	ASSERT_TRUE(strstr(log, "Out of memory: Killed process "));
	ASSERT_TRUE(strstr(log, "Node 0 DMA32 free:"));	/* NUMA: the zone lines name the node */
	ASSERT_TRUE(strstr(log, "Node 0 DMA32: "));
	ASSERT_TRUE(!strstr(log, "Tasks state"));
	free(log);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* __oom_reap_task_mm(): a live process's anonymous memory goes at once; the VMAs stay. */
static bool test_reaper(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 128, 1);
	ASSERT_TRUE(m);
	int p = hold(m, "p", "0", 16);
	ASSERT_TRUE(p > 1);
	struct mm_struct *mm = find_task_by_pid(m, p)->mm;
	ASSERT_TRUE(anon_pages(m, p) >= 4096);
	/* Pages handed out (mmsim's count: freed pages may sit on the pcp lists, not in MemFree). */
	unsigned long used_before = global_zone_page_state(m, NR_ZONE_ALLOC_PAGES);
	int vmas = mm->map_count;
	ASSERT_TRUE(__oom_reap_task_mm(m, mm));
	/* What the reaper reports: the mm's own count (the task may hold a few unfolded events). */
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	ASSERT_TRUE(anon_pages(m, p) < TASK_RSS_EVENTS_THRESH);
	ASSERT_EQ(mm->map_count, vmas);
	ASSERT_TRUE(mm->flags & (1UL << MMF_UNSTABLE));
	ASSERT_TRUE(global_zone_page_state(m, NR_ZONE_ALLOC_PAGES) + 4096 <= used_before);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/*
 * The legacy oom_adj against oom_score_adj, as Debian's 6.1 answered the
 * same writes (tests/fixtures/oracle/oom/, ===OOM_ADJ), and the
 * deprecation warning, once.
 */
static bool test_oom_adj(void)
{
	static const struct { const char *file; const char *value; long oom_adj, oom_score_adj; } steps[] = {
		{ "oom_adj", "5", 4, 294 }, { "oom_adj", "-5", -4, -294 }, { "oom_adj", "15", 15, 1000 },
		{ "oom_adj", "-17", -17, -1000 }, { "oom_adj", "0", 0, 0 },
		{ "oom_score_adj", "300", 5, 300 }, { "oom_score_adj", "-300", -5, -300 },
		{ "oom_score_adj", "1000", 15, 1000 }, { "oom_score_adj", "-1000", -17, -1000 },
		{ "oom_score_adj", "999", 15, 999 }, { "oom_score_adj", "0", 0, 0 },
	};
	static const char *const refused[][2] = {
		{ "oom_adj", "16" }, { "oom_adj", "-18" }, { "oom_adj", "x" },
		{ "oom_score_adj", "1001" }, { "oom_score_adj", "-1001" }, { "oom_score_adj", "x" },
	};
	struct machine *m = boot(MMSIM_ARCH_I386, 128, 1);
	ASSERT_TRUE(m);
	int p = mmsim_spawn(m, "p");
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		ASSERT_EQ(write_pid_file(m, p, steps[i].file, steps[i].value), 0);
		ASSERT_EQ(read_pid_file(m, p, "oom_adj"), steps[i].oom_adj);
		ASSERT_EQ(read_pid_file(m, p, "oom_score_adj"), steps[i].oom_score_adj);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		ASSERT_EQ(write_pid_file(m, p, refused[i][0], refused[i][1]), -MMSIM_EINVAL);
	char *log = dmesg_raw(m);
	char want[128];
	snprintf(want, sizeof(want), " (1): /proc/%d/oom_adj is deprecated, "
		 "please use /proc/%d/oom_score_adj instead.\n", p, p);
	size_t at = strstr(log, want) ? (size_t)(strstr(log, want) - log) : strlen(log);
	ASSERT_TRUE(log[at]);
	ASSERT_TRUE(!strstr(log + at + strlen(want), "is deprecated"));
	free(log);
	mmsim_destroy(m);
	return true;
}

/*
 * The classic profile scores as 2.6's badness(): total_vm, over 16 for
 * root (CAP_SYS_ADMIN and CAP_SYS_RAWIO), oom_adj as a shift, half of
 * each child's total_vm added to its parent; the oom_score file prints
 * the points themselves. The victim is the most points, the first of
 * equals.
 */
static bool test_badness_2_6(void)
{
	struct machine *m = boot_profile("classic", MMSIM_ARCH_I386, 256, 1);
	ASSERT_TRUE(m);
	int a = hold(m, "a", "0", 16);		/* 4096 pages: 256 points */
	int b = hold(m, "b", "500", 16);	/* oom_adj 8: 256 << 8 */
	int c = hold(m, "c", "-500", 32);	/* oom_adj -8: 512 >> 8 */
	ASSERT_TRUE(a > 1 && b > 1 && c > 1);
	ASSERT_EQ(read_pid_file(m, a, "oom_score"), 4096 / 16);
	ASSERT_EQ(read_pid_file(m, b, "oom_score"), (4096 / 16) << 8);
	ASSERT_EQ(read_pid_file(m, c, "oom_score"), (8192 / 16) >> 8);
	ASSERT_EQ(read_pid_file(m, b, "oom_adj"), 8);
	/* A child with an mm of its own adds half its total_vm (+1) to its parent's. */
	int child = mmsim_fork(m, a);
	ASSERT_TRUE(child > 1);
	ASSERT_EQ(read_pid_file(m, a, "oom_score"), (4096 + 4096 / 2 + 1) / 16);
	ASSERT_EQ(read_pid_file(m, child, "oom_score"), 4096 / 16);
	/* OOM: b has the most points and goes first. */
	mmsim_dmesg_clear(m);
	ASSERT_EQ(hold(m, "grow", "-999", 400), 0);
	ASSERT_TRUE(!alive(m, b));
	char *log = dmesg_raw(m);
	const char *const first[] = { "Out of memory: Killed process ", " (b) " };
	ASSERT_TRUE(in_order(log, first, 2));
	free(log);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/*
 * oom_badness() counts a task's swap entries with its resident pages and
 * page tables: paging its memory out to swap does not make it a smaller
 * target. Its oom_score (badness over RAM + swap) stays where it was.
 */
static bool test_badness_counts_swap(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 256, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_swapon(m, NULL, 128 * MB, -1), 0);
	int pid = hold(m, "swapped", "0", 64);
	ASSERT_TRUE(pid > 1);
	long before = read_pid_file(m, pid, "oom_score");
	ASSERT_TRUE(before > 200);			/* 64 of 384 MiB */
	/* A second, newer process pushes the first one's older pages out to swap. */
	ASSERT_TRUE(hold(m, "pusher", "0", 200) > 1);
	ASSERT_TRUE(alive(m, pid));
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	ASSERT_TRUE(proc_field(m, path, "VmSwap") > 16 * 1024);	/* kB: a good part of it */
	long swapped = read_pid_file(m, pid, "oom_score");
	ASSERT_TRUE(before - swapped <= 2 && swapped - before <= 2);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

TEST_MAIN({ "victims_i386", test_victims_i386 }, { "victims_x86_64", test_victims_x86_64 },
	  { "tie_break", test_tie_break }, { "kill_allocating_task", test_kill_allocating_task },
	  { "panic_on_oom", test_panic_on_oom }, { "oom_dump_tasks", test_oom_dump_tasks },
	  { "reaper", test_reaper }, { "oom_adj", test_oom_adj }, { "badness_2_6", test_badness_2_6 },
	  { "badness_counts_swap", test_badness_counts_swap })
