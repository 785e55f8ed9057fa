/* test_swap.c — swap and reclaim through the public API: swapon's rules,
 * anonymous memory twice the size of RAM written out and read back byte
 * for byte (across fork, munmap, MADV_FREE, swapoff), clean file pages
 * dropped and read again, dirty shared file pages surviving reclaim,
 * drop_caches — with `verify` (swap counts against swap PTEs, LRU sizes,
 * RSS) run throughout, and a seeded random walk over all of it. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <mmsim/errno.h>
#include <mmsim/process.h>
#include <mmsim/swap.h>

#include "helpers.h"
#include "kernel/sched.h"
#include "test.h"

#define MB (1ULL << 20)
#define PG 4096ULL



/* Every byte of a page, from its address and a generation, so a wrong page or a stale one shows. */
static void page_pattern(unsigned char *buf, uint64_t addr, unsigned int gen)
{
	uint64_t s = addr * 0x9e3779b97f4a7c15ULL + gen + 1;

	for (size_t i = 0; i < PG; i += 8) {
		uint64_t x = xorshift64(&s);
		memcpy(buf + i, &x, 8);
	}
}

static bool write_pages(struct machine *m, int pid, uint64_t addr, uint64_t len, unsigned int gen)
{
	unsigned char buf[PG];

	for (uint64_t off = 0; off < len; off += PG) {
		page_pattern(buf, addr + off, gen);
		struct mmsim_siginfo si;
		if (mmsim_user_write(m, pid, addr + off, buf, PG, &si)) {
			fprintf(stderr, "write %#llx: signal %d\n", (unsigned long long)(addr + off), si.signo);
			return false;
		}
	}
	return true;
}

/* The pages at @addr hold what write_pages(@written_at, @gen) wrote (mapped elsewhere since, maybe). */
static bool check_pages_from(struct machine *m, int pid, uint64_t addr, uint64_t written_at,
			     uint64_t len, unsigned int gen)
{
	unsigned char want[PG], got[PG];

	for (uint64_t off = 0; off < len; off += PG) {
		page_pattern(want, written_at + off, gen);
		struct mmsim_siginfo si;
		if (mmsim_user_read(m, pid, addr + off, got, PG, &si)) {
			fprintf(stderr, "read %#llx: signal %d\n", (unsigned long long)(addr + off), si.signo);
			return false;
		}
		if (memcmp(want, got, PG)) {
			fprintf(stderr, "%#llx: the page read back is not the one written (gen %u)\n",
				(unsigned long long)(addr + off), gen);
			return false;
		}
	}
	return true;
}

static bool check_pages(struct machine *m, int pid, uint64_t addr, uint64_t len, unsigned int gen)
{
	return check_pages_from(m, pid, addr, addr, len, gen);
}

/* A file's pages carry the pattern of their offset in it (generation @gen). */
static bool check_file(struct machine *m, int pid, uint64_t addr, uint64_t len, unsigned int gen)
{
	unsigned char want[PG], got[PG];

	for (uint64_t off = 0; off < len; off += PG) {
		page_pattern(want, off, gen);
		if (mmsim_user_read(m, pid, addr + off, got, PG, NULL) || memcmp(want, got, PG)) {
			fprintf(stderr, "file page %llu: not what the file holds\n",
				(unsigned long long)(off / PG));
			return false;
		}
	}
	return true;
}

static int64_t map_anon(struct machine *m, int pid, uint64_t len)
{
	return mmsim_mmap(m, pid, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			  MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
}

/* ---- swapon's rules ---------------------------------------------------------------------- */

static bool write_swap_header(const char *path, unsigned long pages, const char *magic)
{
	unsigned char hdr[PG] = { 0 };
	uint32_t version = 1, last = (uint32_t)(pages - 1);

	memcpy(hdr + 1024, &version, 4);
	memcpy(hdr + 1028, &last, 4);
	memcpy(hdr + PG - 10, magic, 10);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return false;
	bool ok = write(fd, hdr, PG) == (ssize_t)PG && ftruncate(fd, (off_t)(pages * PG)) == 0;
	close(fd);
	return ok;
}

static bool test_swapon_rules(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 128, 1);
	ASSERT_TRUE(m);
	/* A memory device: mkswap's header takes its first page. */
	ASSERT_EQ(mmsim_swapon(m, NULL, 16 * MB, -1), 0);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "SwapTotal"), 16 * 1024 - 4);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "SwapFree"), 16 * 1024 - 4);
	char *text = proc(m, "/proc/swaps");
	ASSERT_STR_CONTAINS(text, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	ASSERT_STR_CONTAINS(text, "/dev/mmswap0                            partition\t16380\t\t0\t\t-2\n");
	free(text);
	CAPTURE(text, mmsim_dmesg(m, _f));
	ASSERT_STR_CONTAINS(text, "Adding 16380k swap on /dev/mmswap0.  Priority:-2 extents:1 across:16380k FS\n");
	free(text);
	/* More than i386's swap PTEs can address (2^23 slots): truncated, as the kernel warns. */
	ASSERT_EQ(mmsim_swapon(m, NULL, 64ULL << 30, -1), 0);
	CAPTURE(text, mmsim_dmesg(m, _f));
	ASSERT_STR_CONTAINS(text, "Truncating oversized swap area, only using 33554432k out of 67108860k");
	free(text);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "SwapTotal"), 16380 + (32LL << 20) - 4);
	ASSERT_EQ(mmsim_swapoff(m, "/dev/mmswap1"), 0);
	/* Too small for mkswap, or too big for a memory device. */
	ASSERT_EQ(mmsim_swapon(m, NULL, 36 * 1024, -1), -MMSIM_EINVAL);
	ASSERT_EQ(mmsim_swapon(m, NULL, 65ULL << 30, -1), -MMSIM_EINVAL);

	/* A host file: it must carry the signature; then it is a "file" with the next priority. */
	char bad[] = "/tmp/mmsim-swap-bad-XXXXXX", good[] = "/tmp/mmsim-swap-good-XXXXXX";
	close(mkstemp(bad));
	close(mkstemp(good));
	ASSERT_TRUE(write_swap_header(bad, 64, "SWAP-SPACE"));
	ASSERT_EQ(mmsim_swapon(m, bad, 0, -1), -MMSIM_EINVAL);
	CAPTURE(text, mmsim_dmesg(m, _f));
	ASSERT_STR_CONTAINS(text, "Unable to find swap-space signature");
	free(text);
	ASSERT_TRUE(write_swap_header(good, 256, "SWAPSPACE2"));
	ASSERT_EQ(mmsim_swapon(m, good, 0, 5), 0);
	ASSERT_EQ(mmsim_swapon(m, good, 0, -1), -MMSIM_EBUSY);
	text = proc(m, "/proc/swaps");
	ASSERT_STR_CONTAINS(text, "file\t\t1020\t\t0\t\t5\n");
	free(text);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "SwapTotal"), 16380 + 1020);
	ASSERT_EQ(mmsim_swapoff(m, "/dev/nothing"), -MMSIM_EINVAL);
	ASSERT_EQ(mmsim_swapoff(m, good), 0);
	ASSERT_EQ(mmsim_swapoff(m, "/dev/mmswap0"), 0);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "SwapTotal"), 0);
	/*
	 * The priorities start again at -2; and no more than MAX_SWAPFILES
	 * areas: 26 in Debian's amd64 6.1 and 27 in its 686 (the real kernels
	 * under QEMU took that many loop devices, then EPERM).
	 */
	int n = 0, err = 0;
	while (!(err = mmsim_swapon(m, NULL, 64 * 1024, -1)))
		n++;
	ASSERT_EQ(err, -MMSIM_EPERM);
	ASSERT_EQ(n, 27);
	text = proc(m, "/proc/swaps");
	ASSERT_STR_CONTAINS(text, "\t-2\n");
	ASSERT_STR_CONTAINS(text, "\t-28\n");
	free(text);
	ASSERT_TRUE(verify_passes(m));
	unlink(bad);
	unlink(good);
	mmsim_destroy(m);
	/* amd64 has one type fewer: its PTE markers (PTE_MARKER_UFFD_WP). */
	m = boot(MMSIM_ARCH_X86_64, 128, 1);
	ASSERT_TRUE(m);
	for (n = 0; !(err = mmsim_swapon(m, NULL, 64 * 1024, -1)); n++)
		;
	ASSERT_EQ(err, -MMSIM_EPERM);
	ASSERT_EQ(n, 26);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* ---- twice RAM, out and back ------------------------------------------------------------ */

/*
 * @ram_mib of RAM (x86_64's kernel image alone is 52 MiB), anonymous memory
 * twice that, swap for it and for the copies a forked child makes.
 */
static bool run_twice_ram(enum mmsim_arch arch, uint64_t ram_mib, const char *swapfile)
{
	struct machine *m = boot(arch, ram_mib, 2);
	ASSERT_TRUE(m);
	uint64_t len = 2 * ram_mib * MB;
	if (swapfile)
		ASSERT_EQ(mmsim_swapon(m, swapfile, 0, -1), 0);
	else
		ASSERT_EQ(mmsim_swapon(m, NULL, 2 * len, -1), 0);
	int pid = mmsim_spawn(m, "big");
	ASSERT_TRUE(pid > 1);
	int64_t a = map_anon(m, pid, len);
	ASSERT_TRUE(a > 0);
	for (uint64_t off = 0; off < len; off += 16 * MB) {
		ASSERT_TRUE(write_pages(m, pid, (uint64_t)a + off, 16 * MB, 1));
		ASSERT_TRUE(verify_passes(m));
	}
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pswpout") > (long long)(len / 2 / PG));
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "SwapFree") < proc_field(m, "/proc/meminfo", "SwapTotal"));
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	ASSERT_TRUE(proc_field(m, path, "VmSwap") > 32 * 1024);
	/* Everything back, byte for byte: major faults, pswpin, readahead. */
	long long majflt = proc_field(m, "/proc/vmstat", "pgmajfault");
	ASSERT_TRUE(check_pages(m, pid, (uint64_t)a, len, 1));
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pswpin") > 0);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgmajfault") > majflt);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "swap_ra") > 0);
	/* Every page read back from swap was evicted by reclaim: each is a refault. */
	long long refaults = proc_field(m, "/proc/vmstat", "workingset_refault_anon");
	ASSERT_TRUE(refaults > 0 && refaults <= proc_field(m, "/proc/vmstat", "pswpin"));
	ASSERT_TRUE(refaults >= proc_field(m, "/proc/vmstat", "pswpin") * 9 / 10);
	ASSERT_TRUE(verify_passes(m));

	/* fork shares the swap slots; the child's writes are its own. */
	int child = mmsim_fork(m, pid);
	ASSERT_TRUE(child > 1);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(write_pages(m, child, (uint64_t)a, len / 2, 2));
	ASSERT_TRUE(check_pages(m, pid, (uint64_t)a, len, 1));
	ASSERT_TRUE(check_pages(m, child, (uint64_t)a, len / 2, 2));
	ASSERT_TRUE(check_pages(m, child, (uint64_t)a + len / 2, len / 2, 1));
	ASSERT_TRUE(verify_passes(m));
	ASSERT_EQ(mmsim_exit(m, child, 0), 0);
	ASSERT_EQ(mmsim_wait4(m, pid, child, NULL, 0), child);
	ASSERT_TRUE(verify_passes(m));

	/* MADV_FREE of swapped pages frees their slots; they read back as zeroes. */
	ASSERT_EQ(mmsim_madvise(m, pid, (uint64_t)a, 8 * MB, MMSIM_MADV_DONTNEED), 0);
	unsigned char z[PG], zero[PG] = { 0 };
	ASSERT_EQ(mmsim_user_read(m, pid, (uint64_t)a, z, PG, NULL), 0);
	ASSERT_TRUE(!memcmp(z, zero, PG));
	ASSERT_TRUE(verify_passes(m));

	/* swapoff brings every page back; the data is still right. */
	const char *name = swapfile ? swapfile : "/dev/mmswap0";
	ASSERT_EQ(mmsim_munmap(m, pid, (uint64_t)a, len / 2 + len / 4), 0);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_EQ(mmsim_swapoff(m, name), 0);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "SwapTotal"), 0);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	ASSERT_EQ(proc_field(m, path, "VmSwap"), 0);
	ASSERT_TRUE(check_pages(m, pid, (uint64_t)a + len / 2 + len / 4, len / 4, 1));
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

static bool test_twice_ram_i386(void)
{
	return run_twice_ram(MMSIM_ARCH_I386, 64, NULL);
}

static bool test_twice_ram_x86_64(void)
{
	return run_twice_ram(MMSIM_ARCH_X86_64, 128, NULL);
}

static bool test_twice_ram_swapfile(void)
{
	char path[] = "/tmp/mmsim-swapfile-XXXXXX";
	close(mkstemp(path));
	ASSERT_TRUE(write_swap_header(path, 256 * MB / PG, "SWAPSPACE2"));
	bool ok = run_twice_ram(MMSIM_ARCH_I386, 64, path);
	unlink(path);
	return ok;
}

/* ---- shmem to swap ---------------------------------------------------------------------------- */

/*
 * A shared anonymous mapping (a shmem file) twice the size of RAM: its
 * pages go to swap through shmem_writepage, the file keeps their swap
 * entries, and faults bring them back — for the child that shares it too;
 * swapoff and munmap give every slot back.
 */
static bool test_shmem_swap(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_swapon(m, NULL, 256 * MB, -1), 0);
	int pid = mmsim_spawn(m, "shm");
	uint64_t len = 96 * MB;
	int64_t a = mmsim_mmap(m, pid, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			       MMSIM_MAP_SHARED | MMSIM_MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(a > 0);
	ASSERT_TRUE(write_pages(m, pid, (uint64_t)a, len, 3));
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pswpout") > (long long)(32 * MB / PG));
	/* Shmem counts what is in memory; the rest is in swap. */
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "Shmem") < 64 * 1024);
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "SwapFree") < proc_field(m, "/proc/meminfo", "SwapTotal") - 32 * 1024);
	long long majflt = proc_field(m, "/proc/vmstat", "pgmajfault");
	ASSERT_TRUE(check_pages(m, pid, (uint64_t)a, len, 3));
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgmajfault") > majflt);
	ASSERT_TRUE(verify_passes(m));
	/* The child maps the same file: it sees the parent's bytes and its writes are shared. */
	int child = mmsim_fork(m, pid);
	ASSERT_TRUE(child > 1);
	ASSERT_TRUE(write_pages(m, child, (uint64_t)a, len / 2, 4));
	ASSERT_TRUE(check_pages(m, pid, (uint64_t)a, len / 2, 4));
	ASSERT_TRUE(check_pages(m, pid, (uint64_t)a + len / 2, len / 2, 3));
	ASSERT_TRUE(verify_passes(m));
	ASSERT_EQ(mmsim_exit(m, child, 0), 0);
	ASSERT_EQ(mmsim_wait4(m, pid, child, NULL, 0), child);
	/* The last mapping gone, the file goes, and every slot it held with it. */
	ASSERT_EQ(mmsim_munmap(m, pid, (uint64_t)a, len), 0);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "SwapFree") >=
		    proc_field(m, "/proc/meminfo", "SwapTotal") - 2 * 64 * 4);	/* less the slots caches */
	/* 24 MiB of shmem pushed out by anonymous memory, which then goes: swapoff brings it in. */
	a = mmsim_mmap(m, pid, 0, 24 * MB, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
		       MMSIM_MAP_SHARED | MMSIM_MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(write_pages(m, pid, (uint64_t)a, 24 * MB, 6));
	int64_t b = map_anon(m, pid, 64 * MB);
	ASSERT_TRUE(write_pages(m, pid, (uint64_t)b, 64 * MB, 7));
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "Shmem") < 24 * 1024);
	ASSERT_EQ(mmsim_munmap(m, pid, (uint64_t)b, 64 * MB), 0);
	ASSERT_EQ(mmsim_swapoff(m, "/dev/mmswap0"), 0);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "Shmem"), 24 * 1024);
	ASSERT_TRUE(check_pages(m, pid, (uint64_t)a, 24 * MB, 6));
	mmsim_destroy(m);
	return true;
}

/* ---- file pages ---------------------------------------------------------------------------- */

static bool test_file_pages(void)
{
	char path[] = "/tmp/mmsim-file-XXXXXX";
	int hfd = mkstemp(path);
	ASSERT_TRUE(hfd >= 0);
	uint64_t flen = 24 * MB;
	unsigned char buf[PG];
	for (uint64_t off = 0; off < flen; off += PG) {
		page_pattern(buf, off, 7);
		ASSERT_TRUE(write(hfd, buf, PG) == (ssize_t)PG);
	}
	close(hfd);

	/* No swap: only the page cache can give. */
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	int pid = mmsim_spawn(m, "reader");
	int fd = mmsim_open(m, pid, path, MMSIM_O_RDONLY);
	ASSERT_TRUE(fd >= 0);
	int64_t f = mmsim_mmap(m, pid, 0, flen, MMSIM_PROT_READ, MMSIM_MAP_SHARED, fd, 0);
	ASSERT_TRUE(f > 0);
	for (uint64_t off = 0; off < flen; off += PG) {
		unsigned char want[PG], got[PG];
		page_pattern(want, off, 7);
		ASSERT_EQ(mmsim_user_read(m, pid, (uint64_t)f + off, got, PG, NULL), 0);
		ASSERT_TRUE(!memcmp(want, got, PG));
	}
	long long cached = proc_field(m, "/proc/meminfo", "Cached");
	ASSERT_TRUE(cached >= 24 * 1024);
	/* Anonymous memory takes the rest and more: the file's clean pages make room. */
	int64_t a = map_anon(m, pid, 40 * MB);
	ASSERT_TRUE(write_pages(m, pid, (uint64_t)a, 40 * MB, 3));
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgsteal_file") > 0);
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "Cached") < cached);
	ASSERT_TRUE(verify_passes(m));
	/* The file reads back from the host, as the kernel reads it from its disk: refaults. */
	long long refaults_before = proc_field(m, "/proc/vmstat", "workingset_refault_file");
	for (uint64_t off = 0; off < flen; off += PG) {
		unsigned char want[PG], got[PG];
		page_pattern(want, off, 7);
		ASSERT_EQ(mmsim_user_read(m, pid, (uint64_t)f + off, got, PG, NULL), 0);
		ASSERT_TRUE(!memcmp(want, got, PG));
	}
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "workingset_refault_file") > refaults_before);
	ASSERT_TRUE(check_pages(m, pid, (uint64_t)a, 40 * MB, 3));
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);

	/*
	 * A shared writable mapping: its dirty pages are written back (to the
	 * file's own copy: host files stay untouched) before reclaim drops
	 * them, and read back from there.
	 */
	m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_swapon(m, NULL, 128 * MB, -1), 0);
	pid = mmsim_spawn(m, "writer");
	fd = mmsim_open(m, pid, path, MMSIM_O_RDWR);
	ASSERT_TRUE(fd >= 0);
	int64_t w = mmsim_mmap(m, pid, 0, 8 * MB, MMSIM_PROT_READ | MMSIM_PROT_WRITE, MMSIM_MAP_SHARED,
			       fd, 0);
	ASSERT_TRUE(w > 0);
	ASSERT_TRUE(write_pages(m, pid, (uint64_t)w, 8 * MB, 9));
	uint64_t written_at = (uint64_t)w;
	ASSERT_EQ(mmsim_munmap(m, pid, (uint64_t)w, 8 * MB), 0);
	long long steal_file = proc_field(m, "/proc/vmstat", "pgsteal_file");
	a = map_anon(m, pid, 64 * MB);
	ASSERT_TRUE(a > 0);
	ASSERT_TRUE(write_pages(m, pid, (uint64_t)a, 64 * MB, 4));
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgsteal_file") > steal_file);
	ASSERT_TRUE(verify_passes(m));
	w = mmsim_mmap(m, pid, 0, 8 * MB, MMSIM_PROT_READ, MMSIM_MAP_SHARED, fd, 0);
	ASSERT_TRUE(w > 0);
	ASSERT_TRUE(check_pages_from(m, pid, (uint64_t)w, written_at, 8 * MB, 9));
	mmsim_destroy(m);
	unlink(path);
	return true;
}

static bool test_drop_caches(void)
{
	char path[] = "/tmp/mmsim-drop-XXXXXX";
	int hfd = mkstemp(path);
	unsigned char buf[PG];
	for (uint64_t off = 0; off < 4 * MB; off += PG) {
		page_pattern(buf, off, 5);
		ASSERT_TRUE(write(hfd, buf, PG) == (ssize_t)PG);
	}
	close(hfd);
	struct machine *m = boot(MMSIM_ARCH_X86_64, 256, 2);
	ASSERT_TRUE(m);
	int pid = mmsim_spawn(m, "cat");
	int fd = mmsim_open(m, pid, path, MMSIM_O_RDONLY);
	int64_t f = mmsim_mmap(m, pid, 0, 4 * MB, MMSIM_PROT_READ, MMSIM_MAP_PRIVATE, fd, 0);
	ASSERT_TRUE(f > 0);
	ASSERT_TRUE(check_file(m, pid, (uint64_t)f, 4 * MB, 5));
	long long cached = proc_field(m, "/proc/meminfo", "Cached");
	/* Mapped pages stay; unmapped ones go. */
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/drop_caches", "3"), 0);
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "Cached") >= 4 * 1024);
	ASSERT_EQ(mmsim_munmap(m, pid, (uint64_t)f, 4 * MB), 0);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/drop_caches", "1"), 0);
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "Cached") <= cached - 4 * 1024);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "drop_pagecache"), 2);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "drop_slab"), 1);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/drop_caches", "4"), 0);	/* quiet from now on */
	char *text;
	CAPTURE(text, mmsim_dmesg(m, _f));
	ASSERT_STR_CONTAINS(text, "drop_caches: 3");
	free(text);
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/drop_caches", "5"), -MMSIM_EINVAL);
	f = mmsim_mmap(m, pid, 0, 4 * MB, MMSIM_PROT_READ, MMSIM_MAP_PRIVATE, fd, 0);
	ASSERT_TRUE(check_file(m, pid, (uint64_t)f, 4 * MB, 5));
	/* Closed and unmapped, the file stays cached: the inode cache keeps it with its pages. */
	ASSERT_EQ(mmsim_munmap(m, pid, (uint64_t)f, 4 * MB), 0);
	ASSERT_EQ(mmsim_close(m, pid, fd), 0);
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "Cached") >= 4 * 1024);
	long long majflt = proc_field(m, "/proc/vmstat", "pgmajfault");
	fd = mmsim_open(m, pid, path, MMSIM_O_RDONLY);
	f = mmsim_mmap(m, pid, 0, 4 * MB, MMSIM_PROT_READ, MMSIM_MAP_PRIVATE, fd, 0);
	ASSERT_TRUE(check_file(m, pid, (uint64_t)f, 4 * MB, 5));
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "pgmajfault"), majflt);	/* nothing read again */
	ASSERT_EQ(mmsim_munmap(m, pid, (uint64_t)f, 4 * MB), 0);
	ASSERT_EQ(mmsim_close(m, pid, fd), 0);
	/*
	 * drop_caches 2 runs the shrinkers: the inode cache's evicts the unused
	 * inode (used again since its last scan, it gets one more round first),
	 * and its pages go with it.
	 */
	long long scanned = proc_field(m, "/proc/vmstat", "slabs_scanned");
	long long inodesteal = proc_field(m, "/proc/vmstat", "pginodesteal");
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/drop_caches", "2"), 0);
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "Cached") <= cached - 4 * 1024);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "slabs_scanned") >= scanned + 2);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "pginodesteal"), inodesteal + 1024);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	unlink(path);
	return true;
}

/* ---- watermark boosting ----------------------------------------------------------------------- */

/*
 * An unmovable allocation that has to steal from a movable pageblock
 * boosts the zone's watermarks by a pageblock and wakes kswapd, which
 * reclaims (file pages only, no swap, no writes) and takes the boost away.
 */
static bool test_watermark_boost(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 128, 1);
	ASSERT_TRUE(m);
	struct zone *normal = &m->node.node_zones[ZONE_NORMAL];
	unsigned long low = low_wmark_pages(normal);
	ASSERT_EQ(normal->watermark_boost, 0);
	/*
	 * Fragment the zone: movable pages in all of it, then every other one
	 * freed — no whole free pageblock is left to take over.
	 */
	static struct page *movable[40000], *pages[8192];
	int nm = 0, n = 0;
	while (nm < 40000 && (movable[nm] = alloc_pages(m, GFP_KERNEL | __GFP_MOVABLE | __GFP_NOWARN |
							 __GFP_NORETRY, 0)))
		nm++;
	ASSERT_TRUE(nm > 20000 && nm < 40000);
	for (int i = 0; i < nm; i += 2)
		__free_pages(m, movable[i], 0);
	drain_all_pages(m);
	while (n < 8192 && !normal->watermark_boost) {
		pages[n] = alloc_pages(m, GFP_KERNEL, 0);
		ASSERT_TRUE(pages[n]);
		n++;
	}
	ASSERT_TRUE(n < 8192);
	ASSERT_EQ(normal->watermark_boost, m->pageblock_nr_pages);
	ASSERT_EQ(low_wmark_pages(normal), low + m->pageblock_nr_pages);
	char *text = proc(m, "/proc/zoneinfo");
	char want[64];
	snprintf(want, sizeof(want), "        boost    %lu\n", m->pageblock_nr_pages);
	ASSERT_STR_CONTAINS(text, want);
	free(text);
	/* The next allocation from the zone wakes kswapd; at the next scheduling point it runs. */
	pages[n++] = alloc_pages(m, GFP_KERNEL, 0);
	long long runs = proc_field(m, "/proc/vmstat", "pageoutrun");
	kswapd_run_pending(m);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "pageoutrun"), runs + 1);
	ASSERT_EQ(normal->watermark_boost, 0);
	ASSERT_EQ(low_wmark_pages(normal), low);
	/* vm.watermark_boost_factor 0: no boosting at all. */
	ASSERT_EQ(mmsim_proc_write(m, "/proc/sys/vm/watermark_boost_factor", "0"), 0);
	for (int i = 0; i < n; i++)
		__free_pages(m, pages[i], 0);
	for (int i = 1; i < nm; i += 2)
		__free_pages(m, movable[i], 0);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/*
 * kswapd under plain anonymous pressure (more than RAM, with swap): it
 * reclaims until the zone is above its high watermark, not merely its low
 * one (pgdat_balanced); and pages touched once are never activated — the
 * fault's reference keeps a page on the inactive list for one more round
 * (PAGEREF_KEEP), and without a second reference it goes to swap.
 */
static bool test_kswapd_balances_to_high(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 256, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_swapon(m, NULL, 256 * MB, -1), 0);
	int pid = mmsim_spawn(m, "grower");
	int64_t a = map_anon(m, pid, 300 * MB);
	ASSERT_TRUE(a > 0);
	for (uint64_t off = 0; off < 300 * MB; off += PG) {
		unsigned char b = 1;
		ASSERT_EQ(mmsim_user_write(m, pid, (uint64_t)a + off, &b, 1, NULL), 0);
	}
	kswapd_run_pending(m);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgsteal_kswapd") > 10000);
	struct zone *z = &m->node.node_zones[ZONE_DMA32];
	ASSERT_TRUE(zone_page_state(z, NR_FREE_PAGES) >= high_wmark_pages(z));
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "pgactivate"), 0);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/*
 * inactive_is_low(): reclaim deactivates only while the inactive list holds
 * less than 1/(1 + ratio) of its LRU, ratio = int_sqrt(10 * GiB) — 3 for
 * 1 to 2 GiB, where it first differs from a plain inactive < active. x86_64
 * 2 GiB maps a 1600 MiB file (sparse on the host) executable and reads
 * every page once; anonymous memory then presses on it. Reclaim finds
 * every inactive file page referenced, and a referenced page of an
 * executable file mapping is activated at once (page_check_references):
 * all of them are. Reclaim then deactivates the active list until about a
 * quarter of the file LRU is inactive, which stays above 1 GiB.
 */
static bool test_inactive_ratio(void)
{
	char path[] = "/tmp/mmsim-ratio-XXXXXX";
	int hfd = mkstemp(path);
	ASSERT_TRUE(hfd >= 0);
	uint64_t flen = 1600 * MB, alen = 608 * MB;
	ASSERT_EQ(ftruncate(hfd, (off_t)flen), 0);
	close(hfd);
	struct machine *m = boot(MMSIM_ARCH_X86_64, 2048, 1);
	ASSERT_TRUE(m);
	int pid = mmsim_spawn(m, "ratio");
	int fd = mmsim_open(m, pid, path, MMSIM_O_RDONLY);
	ASSERT_TRUE(fd >= 0);
	int64_t f = mmsim_mmap(m, pid, 0, flen, MMSIM_PROT_READ | MMSIM_PROT_EXEC,
				MMSIM_MAP_SHARED, fd, 0);
	ASSERT_TRUE(f > 0);
	for (uint64_t off = 0; off < flen; off += PG) {
		unsigned char b;
		ASSERT_EQ(mmsim_user_read(m, pid, (uint64_t)f + off, &b, 1, NULL), 0);
	}
	int64_t a = map_anon(m, pid, alen);
	ASSERT_TRUE(a > 0);
	for (uint64_t off = 0; off < alen; off += PG) {
		unsigned char b = 1;
		ASSERT_EQ(mmsim_user_write(m, pid, (uint64_t)a + off, &b, 1, NULL), 0);
	}
	long long inactive = proc_field(m, "/proc/vmstat", "nr_inactive_file");
	long long active = proc_field(m, "/proc/vmstat", "nr_active_file");
	long long total = inactive + active;
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "pgactivate"), (long long)(flen / PG));
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgdeactivate") > 0);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgsteal_file") > 0);
	ASSERT_TRUE(total >= (1LL << 30) / (long long)PG && total < (2LL << 30) / (long long)PG);
	/* Near the quarter it aims at; a plain inactive < active would leave about half. */
	ASSERT_TRUE(inactive * 4 < total * 3 / 2);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	unlink(path);
	return true;
}

/* ---- lowmem runs out while HighMem is free ------------------------------------------------- */

/*
 * i386 with 2 GiB: kernel allocations (GFP_KERNEL, lowmem only) fill the
 * Normal zone while the processes' pages sit in HighMem. Reclaim has
 * nothing to take (no file pages, no swap), so the OOM killer kills the
 * processes one by one — which frees HighMem, useless to lowmem — and then
 * finds none left: the kernel panics, as 6.1 does.
 */
/*
 * MADV_PAGEOUT reclaims the range now, as reclaim would, if only this
 * process maps the pages: without swap the anonymous ones have nowhere to
 * go and are kept, activated (6.1's shrink_page_list); with swap they go
 * out and come back on touch; pages a fork shares are left alone; a
 * mlocked range is -EINVAL; a file's clean pages leave the page cache for
 * a caller who could write the file, and stay for one who could not.
 */
static bool test_madv_pageout(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 512, 1);
	ASSERT_TRUE(m);
	int pid = mmsim_spawn(m, "pager");
	int64_t a = map_anon(m, pid, 16 * MB);
	ASSERT_TRUE(pid > 0 && a > 0);
	ASSERT_EQ(mmsim_madvise(m, pid, (uint64_t)a, 16 * MB, MMSIM_MADV_NOHUGEPAGE), 0);
	ASSERT_TRUE(write_pages(m, pid, (uint64_t)a, 16 * MB, 1));
	/* smaps_rollup, not status: status's counters lag by up to 64 faults (SPLIT_RSS_COUNTING). */
	char status[64];
	snprintf(status, sizeof(status), "/proc/%d/smaps_rollup", pid);
	long long rss = proc_field(m, status, "Anonymous");
	ASSERT_EQ(rss, 16 * 1024);
	long long activated = proc_field(m, "/proc/vmstat", "pgactivate");
	ASSERT_EQ(mmsim_madvise(m, pid, (uint64_t)a, 8 * MB, MMSIM_MADV_PAGEOUT), 0);
	ASSERT_EQ(proc_field(m, status, "Anonymous"), rss);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "pgactivate"), activated + (long long)(8 * MB / PG));
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "pswpout"), 0);

	ASSERT_EQ(mmsim_swapon(m, NULL, 64 * MB, -1), 0);
	ASSERT_EQ(mmsim_madvise(m, pid, (uint64_t)a, 8 * MB, MMSIM_MADV_PAGEOUT), 0);
	ASSERT_EQ(proc_field(m, status, "Anonymous"), rss - 8 * 1024);
	ASSERT_EQ(proc_field(m, status, "Swap"), 8 * 1024);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "pswpout"), (long long)(8 * MB / PG));
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(check_pages(m, pid, (uint64_t)a, 16 * MB, 1));
	ASSERT_EQ(proc_field(m, status, "Anonymous"), rss);

	/* Shared with a fork: not this process's alone, so not paged out. */
	int child = mmsim_fork(m, pid);
	ASSERT_TRUE(child > 0);
	long long out = proc_field(m, "/proc/vmstat", "pswpout");
	ASSERT_EQ(mmsim_madvise(m, pid, (uint64_t)a, 16 * MB, MMSIM_MADV_PAGEOUT), 0);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "pswpout"), out);
	ASSERT_EQ(proc_field(m, status, "Anonymous"), rss);
	ASSERT_EQ(mmsim_exit(m, child, 0), 0);
	ASSERT_EQ(mmsim_wait4(m, pid, child, NULL, NULL), child);
	ASSERT_EQ(mmsim_mlock(m, pid, (uint64_t)a, MB, 0), 0);
	ASSERT_EQ(mmsim_madvise(m, pid, (uint64_t)a, MB, MMSIM_MADV_PAGEOUT), -MMSIM_EINVAL);
	ASSERT_TRUE(verify_passes(m));

	/* A file's clean pages: the owner (root) may page them out; a user who cannot write it may not. */
	char path[] = "/tmp/mmsim-pageout-XXXXXX";
	int hfd = mkstemp(path);	/* mode 0600: root's to write, nobody else's */
	ASSERT_TRUE(hfd >= 0);
	unsigned char buf[PG];
	for (uint64_t off = 0; off < 4 * MB; off += PG) {
		page_pattern(buf, off, 5);
		ASSERT_TRUE(write(hfd, buf, PG) == (ssize_t)PG);
	}
	close(hfd);
	int user = mmsim_spawn(m, "user");
	ASSERT_TRUE(user > 0);
	ASSERT_EQ(mmsim_setuid(m, user, 1000), 0);
	int procs[2] = { user, pid };
	for (int i = 0; i < 2; i++) {
		int fd = mmsim_open(m, procs[i], path, MMSIM_O_RDONLY);
		ASSERT_TRUE(fd >= 0);
		int64_t f = mmsim_mmap(m, procs[i], 0, 4 * MB, MMSIM_PROT_READ, MMSIM_MAP_PRIVATE, fd, 0);
		ASSERT_TRUE(f > 0);
		ASSERT_TRUE(check_file(m, procs[i], (uint64_t)f, 4 * MB, 5));
		long long cached = proc_field(m, "/proc/meminfo", "Cached");
		ASSERT_EQ(mmsim_madvise(m, procs[i], (uint64_t)f, 4 * MB, MMSIM_MADV_PAGEOUT), 0);
		if (procs[i] == user)
			ASSERT_EQ(proc_field(m, "/proc/meminfo", "Cached"), cached);
		else
			ASSERT_TRUE(proc_field(m, "/proc/meminfo", "Cached") <= cached - 4 * 1024);
		ASSERT_TRUE(check_file(m, procs[i], (uint64_t)f, 4 * MB, 5));
		ASSERT_EQ(mmsim_munmap(m, procs[i], (uint64_t)f, 4 * MB), 0);
		/* The user's mapping goes before root's maps the same pages: each maps them alone. */
	}
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	unlink(path);
	return true;
}

static bool test_lowmem_oom(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	int pid = mmsim_spawn(m, "holder");
	int64_t a = map_anon(m, pid, 100 * MB);
	ASSERT_TRUE(a > 0);
	ASSERT_TRUE(write_pages(m, pid, (uint64_t)a, 100 * MB, 1));
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "HighFree") > 1000 * 1024);
	static struct page *pages[300000];
	int n = 0;
	while (n < 300000 && (pages[n] = alloc_pages(m, GFP_KERNEL, 0)))
		n++;
	ASSERT_TRUE(n > 150000 && n < 300000);
	ASSERT_EQ(proc_field(m, "/proc/vmstat", "oom_kill"), 1);
	ASSERT_TRUE(find_task_by_pid(m, pid) == NULL || find_task_by_pid(m, pid)->exit_state);
	ASSERT_TRUE(proc_field(m, "/proc/meminfo", "HighFree") > 1000 * 1024);
	char *text;
	CAPTURE(text, mmsim_dmesg(m, _f));
	ASSERT_STR_CONTAINS(text, "invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
	/* The report shows the zones the request could use: Normal short of min, no HighMem. */
	ASSERT_STR_CONTAINS(text, "Normal free:");
	ASSERT_STR_LACKS(text, "HighMem free:");
	ASSERT_STR_CONTAINS(text, "lowmem_reserve[]: 0 0 ");
	ASSERT_STR_CONTAINS(text, "Out of memory: Killed process");
	ASSERT_STR_CONTAINS(text, "(holder) total-vm:102400kB, anon-rss:102400kB");
	ASSERT_STR_CONTAINS(text, "Out of memory and no killable processes...");
	ASSERT_STR_CONTAINS(text, "Kernel panic - not syncing: System is deadlocked on memory");
	free(text);
	ASSERT_TRUE(m->panicked);
	for (int i = 0; i < n; i++)
		__free_pages(m, pages[i], 0);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* ---- a seeded random walk ------------------------------------------------------------------- */

#define WALK_PAGES	(96 * MB / PG)	/* one process's area; RAM is 48 MiB */

struct walk_proc {
	int pid;
	unsigned int gen[WALK_PAGES];	/* 0: never written (reads zero) */
};

static bool check_one(struct machine *m, struct walk_proc *p, uint64_t base, unsigned long i)
{
	unsigned char want[PG], got[PG];

	if (p->gen[i])
		page_pattern(want, base + i * PG, p->gen[i]);
	else
		memset(want, 0, PG);
	struct mmsim_siginfo si;
	int err = mmsim_user_read(m, p->pid, base + i * PG, got, PG, &si);
	if (err) {
		fprintf(stderr, "pid %d page %lu: read failed: %d (signal %d)\n", p->pid, i, err, si.signo);
		return false;
	}
	if (memcmp(want, got, PG)) {
		fprintf(stderr, "pid %d page %lu: wrong contents (gen %u)\n", p->pid, i, p->gen[i]);
		return false;
	}
	return true;
}

/* RAM: 48 MiB on i386; x86_64's kernel image is 52 MiB, so 112 MiB leaves it as little. */
static bool run_walk(enum mmsim_arch arch, uint64_t seed)
{
	struct machine *m = boot(arch, arch == MMSIM_ARCH_I386 ? 48 : 112, 2);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_swapon(m, NULL, 256 * MB, -1), 0);
	static struct walk_proc procs[2];
	memset(procs, 0, sizeof(procs));
	procs[0].pid = mmsim_spawn(m, "walk");
	int64_t base = map_anon(m, procs[0].pid, WALK_PAGES * PG);
	ASSERT_TRUE(base > 0);
	int nproc = 1, swapoffs = 0;
	for (int step = 0; step < 600; step++) {
		uint64_t r = xorshift64(&seed);
		struct walk_proc *p = &procs[r % (unsigned)nproc];
		unsigned long i = (unsigned long)((r >> 8) % WALK_PAGES);
		unsigned long n = 1 + (unsigned long)((r >> 32) % 2048);
		if (i + n > WALK_PAGES)
			n = WALK_PAGES - i;
		switch ((r >> 48) % 10) {
		case 0: case 1: case 2: case 3:	/* write a run of pages */
			for (unsigned long k = i; k < i + n; k++) {
				p->gen[k] = (unsigned int)step + 1;
				unsigned char buf[PG];
				page_pattern(buf, (uint64_t)base + k * PG, p->gen[k]);
				if (mmsim_user_write(m, p->pid, (uint64_t)base + k * PG, buf, PG, NULL)) {
					fprintf(stderr, "seed walk step %d: write failed\n", step);
					return false;
				}
			}
			break;
		case 4: case 5: case 6:		/* read a run back */
			for (unsigned long k = i; k < i + n; k++)
				if (!check_one(m, p, (uint64_t)base, k)) {
					fprintf(stderr, "step %d\n", step);
					return false;
				}
			break;
		case 7:				/* fork, or end the child */
			if (nproc == 1) {
				int child = mmsim_fork(m, procs[0].pid);
				/* The heuristic overcommit check may refuse a copy bigger than RAM and swap. */
				if (child == -MMSIM_ENOMEM)
					break;
				ASSERT_TRUE(child > 1);
				procs[1] = procs[0];
				procs[1].pid = child;
				nproc = 2;
			} else {
				ASSERT_EQ(mmsim_exit(m, procs[1].pid, 0), 0);
				ASSERT_EQ(mmsim_wait4(m, procs[0].pid, procs[1].pid, NULL, 0), procs[1].pid);
				nproc = 1;
			}
			break;
		case 8:				/* throw a run away */
			ASSERT_EQ(mmsim_madvise(m, p->pid, (uint64_t)base + i * PG, n * PG,
						MMSIM_MADV_DONTNEED), 0);
			memset(&p->gen[i], 0, n * sizeof(p->gen[0]));
			break;
		case 9: {			/* swap everything in (if it fits), then swap on again */
			/*
			 * More than fits would OOM-kill someone, as on the real
			 * kernel (swapoff's reads are ordinary allocations).
			 */
			long long used = proc_field(m, "/proc/meminfo", "SwapTotal") -
					 proc_field(m, "/proc/meminfo", "SwapFree");
			if (used + 8 * 1024 > proc_field(m, "/proc/meminfo", "MemAvailable"))
				break;
			int err = mmsim_swapoff(m, "/dev/mmswap0");
			if (err) {
				fprintf(stderr, "step %d: swapoff: %d\n", step, err);
				return false;
			}
			ASSERT_TRUE(verify_passes(m));
			ASSERT_EQ(proc_field(m, "/proc/meminfo", "SwapTotal"), 0);
			ASSERT_EQ(mmsim_swapon(m, NULL, 256 * MB, -1), 0);
			swapoffs++;
			break;
		}
		}
		if (step % 50 == 0 && !verify_passes(m)) {
			fprintf(stderr, "seed walk: verify failed at step %d\n", step);
			return false;
		}
	}
	for (int k = 0; k < nproc; k++)
		for (unsigned long i = 0; i < WALK_PAGES; i++)
			ASSERT_TRUE(check_one(m, &procs[k], (uint64_t)base, i));
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pswpin") > 0);
	fprintf(stderr, "walk %s: %d swapoffs, pswpout %lld, pswpin %lld\n",
		arch == MMSIM_ARCH_I386 ? "i386" : "x86_64", swapoffs,
		proc_field(m, "/proc/vmstat", "pswpout"), proc_field(m, "/proc/vmstat", "pswpin"));
	mmsim_destroy(m);
	return true;
}

static bool test_random_walk(void)
{
	for (uint64_t seed = 1; seed <= 3; seed++) {
		ASSERT_TRUE(run_walk(MMSIM_ARCH_I386, seed * 0x5DEECE66DULL));
		ASSERT_TRUE(run_walk(MMSIM_ARCH_X86_64, seed * 0x2545F4914F6CDD1DULL));
	}
	return true;
}

TEST_MAIN(
	TEST(test_swapon_rules),
	TEST(test_twice_ram_i386),
	TEST(test_twice_ram_x86_64),
	TEST(test_twice_ram_swapfile),
	TEST(test_shmem_swap),
	TEST(test_file_pages),
	TEST(test_drop_caches),
	TEST(test_watermark_boost),
	TEST(test_kswapd_balances_to_high),
	TEST(test_inactive_ratio),
	TEST(test_madv_pageout),
	TEST(test_lowmem_oom),
	TEST(test_random_walk),
)
