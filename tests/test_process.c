/* test_process.c — processes and their address spaces through the public API:
 * mmap, demand paging, the zero page, copy-on-write across fork, munmap,
 * mprotect, brk, stack growth, exit and wait, mlock of pages still in a
 * CPU's LRU batch — with the data checked and `verify` run after each
 * step. */
#include <string.h>

#include <mmsim/process.h>

#include "helpers.h"
#include "kernel/sched.h"
#include <mmsim/errno.h>
#include "test.h"

#define MB (1ULL << 20)

static struct mm_struct *mm_of(struct machine *m, int pid)
{
	struct task_struct *t = find_task_by_pid(m, pid);
	return t ? t->mm : NULL;
}

static unsigned long nr_vmas(struct machine *m, int pid)
{
	return (unsigned long)mm_of(m, pid)->map_count;
}

/* Touch one byte per page: a read, or a write of a per-page pattern. */
static bool touch(struct machine *m, int pid, uint64_t addr, uint64_t len, bool write, int salt)
{
	for (uint64_t off = 0; off < len; off += 4096) {
		unsigned char b = (unsigned char)((off >> 12) + (uint64_t)salt);
		struct mmsim_siginfo si;
		int r = write ? mmsim_user_write(m, pid, addr + off, &b, 1, &si)
			      : mmsim_user_read(m, pid, addr + off, &b, 1, &si);
		if (r) {
			fprintf(stderr, "touch %#llx: %d (sig %d code %d)\n",
				(unsigned long long)(addr + off), r, si.signo, si.code);
			return false;
		}
	}
	return true;
}

static bool check_pattern(struct machine *m, int pid, uint64_t addr, uint64_t len, int salt)
{
	for (uint64_t off = 0; off < len; off += 4096) {
		unsigned char b = 0xee;
		if (mmsim_user_read(m, pid, addr + off, &b, 1, NULL))
			return false;
		if (b != (unsigned char)((off >> 12) + (uint64_t)salt)) {
			fprintf(stderr, "%#llx: read %#x, wrote %#x\n", (unsigned long long)(addr + off), b,
				(unsigned char)((off >> 12) + (uint64_t)salt));
			return false;
		}
	}
	return true;
}

static bool run_steps(enum mmsim_arch arch, uint64_t mem_mib)
{
	struct machine *m = boot(arch, mem_mib, 2);
	ASSERT_TRUE(m);
	int pid = mmsim_spawn(m, "steps");
	ASSERT_TRUE(pid > 1);
	ASSERT_TRUE(verify_passes(m));

	/* mmap 10 MB: one VMA, nothing resident. */
	int64_t p = mmsim_mmap(m, pid, 0, 10 * MB, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(p > 0);
	ASSERT_EQ(nr_vmas(m, pid), 1);
	ASSERT_EQ(get_mm_rss(mm_of(m, pid)), 0);
	/* Reads map the zero page: still nothing resident (the first read of a huge range: the huge zero page). */
	ASSERT_TRUE(touch(m, pid, (uint64_t)p, 10 * MB, false, 0));
	ASSERT_EQ(get_mm_counter(mm_of(m, pid), MM_ANONPAGES), 0);
	ASSERT_TRUE(verify_passes(m));
	/* Writes: real pages, each with its own bytes. */
	ASSERT_TRUE(touch(m, pid, (uint64_t)p, 10 * MB, true, 1));
	ASSERT_TRUE(check_pattern(m, pid, (uint64_t)p, 10 * MB, 1));
	ASSERT_TRUE(verify_passes(m));
	/* munmap 2 MB in the middle: two VMAs. */
	ASSERT_EQ(mmsim_munmap(m, pid, (uint64_t)p + 4 * MB, 2 * MB), 0);
	ASSERT_EQ(nr_vmas(m, pid), 2);
	struct mmsim_siginfo si;
	unsigned char b;
	ASSERT_EQ(mmsim_sigaction(m, pid, 11, true), 0);
	ASSERT_EQ(mmsim_user_read(m, pid, (uint64_t)p + 5 * MB, &b, 1, &si), 11);
	ASSERT_EQ(si.code, 1);	/* SEGV_MAPERR */
	ASSERT_TRUE(si.handled);
	ASSERT_TRUE(verify_passes(m));
	/* mprotect the first 1 MB read-only: three VMAs, writes there fault with SEGV_ACCERR. */
	ASSERT_EQ(mmsim_mprotect(m, pid, (uint64_t)p, MB, MMSIM_PROT_READ), 0);
	ASSERT_EQ(nr_vmas(m, pid), 3);
	b = 1;
	ASSERT_EQ(mmsim_user_write(m, pid, (uint64_t)p + 4096, &b, 1, &si), 11);
	ASSERT_EQ(si.code, 2);	/* SEGV_ACCERR */
	ASSERT_TRUE(check_pattern(m, pid, (uint64_t)p, 4 * MB, 1));
	ASSERT_TRUE(verify_passes(m));
	/* fork; the child writes 3 MB: its own copies, the parent's bytes stay. */
	int child = mmsim_fork(m, pid);
	ASSERT_TRUE(child > pid);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(touch(m, child, (uint64_t)p + MB, 3 * MB, true, 7));
	ASSERT_TRUE(check_pattern(m, child, (uint64_t)p + MB, 3 * MB, 7));
	ASSERT_TRUE(check_pattern(m, pid, (uint64_t)p + MB, 3 * MB, 1));
	ASSERT_TRUE(verify_passes(m));
	/* The parent writes too: the page is its own again once the child's copy exists. */
	ASSERT_TRUE(touch(m, pid, (uint64_t)p + MB, 3 * MB, true, 9));
	ASSERT_TRUE(check_pattern(m, pid, (uint64_t)p + MB, 3 * MB, 9));
	ASSERT_TRUE(check_pattern(m, child, (uint64_t)p + MB, 3 * MB, 7));
	ASSERT_TRUE(verify_passes(m));
	/* exit, wait: the child's memory comes back. */
	ASSERT_EQ(mmsim_exit(m, child, 3), 0);
	int status = -1;
	struct mmsim_rusage ru;
	ASSERT_EQ(mmsim_wait4(m, pid, -1, &status, &ru), child);
	ASSERT_EQ(status, 3 << 8);
	ASSERT_TRUE(ru.minflt >= 768);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_EQ(mmsim_exit(m, pid, 0), 0);
	ASSERT_EQ(mmsim_wait4(m, 1, pid, &status, NULL), pid);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

static bool test_steps_i386(void)
{
	return run_steps(MMSIM_ARCH_I386, 2048);
}

static bool test_steps_x86_64(void)
{
	return run_steps(MMSIM_ARCH_X86_64, 8192);
}

/*
 * mlock of pages that are not yet on an LRU list. A page just faulted in
 * waits in its CPU's lru_add batch; mlock marks it PG_mlocked and queues
 * it in the mlock batch too, which may drain first. That drain must leave
 * it alone (the kernel's __mlock_folio: "nothing more we can do while
 * it's off LRU"); the lru_add drain then sees PG_mlocked and puts it on
 * the unevictable list. Adding it in both drains put it on two lists
 * (a fuzz_syscall finding: exit then took a page with NULL links off its
 * list). Checked for one such page and for a full batch of them, before
 * and after a fork, with the counters the kernel keeps.
 */
static bool run_mlock_batched(unsigned int touched)
{
	const uint64_t npages = 64;
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	int pid = mmsim_spawn(m, "mlock");
	ASSERT_TRUE(pid > 1);
	int64_t p = mmsim_mmap(m, pid, 0, npages * 4096, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(p > 0);
	lru_add_drain_all(m);
	long long culled0 = proc_field(m, "/proc/vmstat", "unevictable_pgs_culled");
	long long unevictable0 = proc_field(m, "/proc/meminfo", "Unevictable");
	ASSERT_TRUE(touch(m, pid, (uint64_t)p, touched * 4096ULL, true, 3));	/* in the lru_add batch */
	ASSERT_EQ(mmsim_mlock(m, pid, (uint64_t)p, npages * 4096, 0), 0);
	ASSERT_TRUE(verify_passes(m));	/* no page on two lists */
	lru_add_drain_all(m);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "Mlocked"), (long long)npages * 4);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "Unevictable") - unevictable0, (long long)npages * 4);
	/* Each page culled once: the touched ones by their lru_add drain, the rest as new pages. */
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "unevictable_pgs_culled") - culled0, (long long)npages);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "unevictable_pgs_mlocked"), (long long)npages);
	ASSERT_TRUE(check_pattern(m, pid, (uint64_t)p, touched * 4096ULL, 3));
	/* The locked pages shared with a child stay locked while the parent maps them. */
	int child = mmsim_fork(m, pid);
	ASSERT_TRUE(child > pid);
	ASSERT_EQ(mmsim_exit(m, child, 0), 0);
	ASSERT_EQ(mmsim_wait4(m, pid, child, NULL, NULL), child);
	lru_add_drain_all(m);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "Mlocked"), (long long)npages * 4);
	ASSERT_TRUE(verify_passes(m));
	/* munlock: every page back on an evictable list. */
	ASSERT_EQ(mmsim_munlock(m, pid, (uint64_t)p, npages * 4096), 0);
	lru_add_drain_all(m);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "Mlocked"), 0);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "Unevictable"), unevictable0);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "unevictable_pgs_rescued"), (long long)npages);
	ASSERT_TRUE(verify_passes(m));
	/* Locked again, touched pages and all, then the process exits with them locked. */
	ASSERT_EQ(mmsim_mlock(m, pid, (uint64_t)p, npages * 4096, 0), 0);
	ASSERT_EQ(mmsim_exit(m, pid, 0), 0);
	ASSERT_EQ(mmsim_wait4(m, 1, pid, NULL, NULL), pid);
	lru_add_drain_all(m);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "Mlocked"), 0);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "Unevictable"), unevictable0);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

static bool test_mlock_one_page_in_lru_batch(void)
{
	return run_mlock_batched(1);
}

static bool test_mlock_full_lru_batch(void)
{
	return run_mlock_batched(14);	/* one short of PAGEVEC_SIZE: all still batched */
}

/*
 * alloc_pid(): pids go up to pid_max, then wrap to RESERVED_PIDS (300),
 * skipping pids still taken — by a live process or a zombie nobody has
 * reaped; with every pid taken, fork fails with EAGAIN.
 */
static bool test_pid_wrap(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 256, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(m->sched->pid_max, 32768);
	m->sched->pid_max = 310;	/* a small pid space to wrap quickly */
	int keep = mmsim_spawn(m, "keep");	/* pid 2, never exits */
	ASSERT_EQ(keep, 2);
	int zombie = 0, last = keep;
	for (int i = 0; i < 400; i++) {
		int pid = mmsim_spawn(m, "p");
		ASSERT_TRUE(pid > 0 && pid < 310);
		ASSERT_TRUE(pid != keep && pid != zombie);
		if (last > pid)
			ASSERT_EQ(pid, 300);	/* the wrap goes back to RESERVED_PIDS */
		last = pid;
		ASSERT_EQ(mmsim_exit(m, pid, 0), 0);
		if (i == 5) {
			zombie = pid;		/* exited, not reaped: its pid stays taken */
			continue;
		}
		ASSERT_EQ(mmsim_wait4(m, 1, pid, NULL, NULL), pid);
	}
	/*
	 * Take every free pid; then there is none. After a wrap only pids from
	 * RESERVED_PIDS up are handed out again: 300..309 (the zombie, pid 8,
	 * and keep are below).
	 */
	ASSERT_TRUE(zombie < 300);
	int n = 0, pid;
	while ((pid = mmsim_spawn(m, "fill")) > 0) {
		ASSERT_TRUE(pid >= 300 && pid < 310);
		n++;
	}
	ASSERT_EQ(pid, -MMSIM_EAGAIN);
	ASSERT_EQ(n, 310 - 300);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_steps_i386),
	TEST(test_steps_x86_64),
	TEST(test_pid_wrap),
	TEST(test_mlock_one_page_in_lru_batch),
	TEST(test_mlock_full_lru_batch),
)
