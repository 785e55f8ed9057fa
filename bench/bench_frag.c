/* bench_frag.c — how fragmented does memory get over a long churn, and can
 * the kernel still hand out order-3 and order-9 blocks? (mm/page_alloc.c's
 * grouping by mobility, mm/compaction.c)
 *
 * Boots x86_64 2048M (2 CPUs, linux-6.1) and runs a fixed-seed churn of
 * the two kinds of memory a running system mixes:
 *
 *   user     a process's anonymous memory: 11264 slots of 256 KiB; a step
 *            toggles one: mmap + a write to every page (64 faults, 4 KiB
 *            pages: MADV_NOHUGEPAGE), or munmap. Movable, on the LRU:
 *            compaction can migrate it.
 *   kernel   32768 slots of kernel memory: alloc_pages(GFP_KERNEL) of
 *            order 0 (70%), 1, 2 or 3, or kmalloc of 32..4096 bytes; a step
 *            toggles one. Unmovable: it pins its pageblock.
 *
 * 60% of steps are user, 40% kernel; about half of each kind's slots are
 * full at any time (about 1.5 GiB of the 2 in use). Every PROBE steps it asks for
 * what users ask for when memory is fragmented, again and again until a
 * request fails (order 3: at most 4096 times; order 9: at most as many as
 * free memory could hold), holding what it gets until the probe ends:
 *
 *   order-3 GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN   (a network
 *            driver's or a fork's kernel stack's size; one light
 *            compaction attempt),
 *   order-9 GFP_TRANSHUGE_LIGHT   (a THP fault's first try: no reclaim,
 *            no direct compaction),
 *   order-9 GFP_TRANSHUGE         (with direct compaction),
 *
 * and prints per probe: free memory, free blocks of order >= 3 and >= 9
 * (/proc/buddyinfo), pageblocks by migratetype (/proc/pagetypeinfo), how
 * many blocks each request got, and the compaction counters (/proc/vmstat)
 * since the previous probe.
 *
 * There is no peer to run beside it: this is the kernel's own behaviour,
 * to be read beside the real 6.1 kernel doing the same churn (tools/oracle)
 * and watched for regressions. Not a test.
 * Usage: bench_frag [-s STEPS] [-p PROBE] */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/gfp.h>
#include <mmsim/machine.h>
#include <mmsim/process.h>
#include <mmsim/slab.h>

#include "bench_time.h"
#include "bench_proc.h"
#include "bench_rand.h"
#include "mm.h"

#define USER_SLOTS	11264
#define USER_BYTES	(256u << 10)
#define KERNEL_SLOTS	32768
#define ORDER3_CAP	4096	/* 128 MiB of order-3 blocks */

static unsigned long steps = 400000, probe_every = 20000;

static void die(const char *what)
{
	fprintf(stderr, "bench_frag: %s\n", what);
	exit(1);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	return xorshift64(&rng);
}

/* A kernel slot: a block of pages, or a kmalloc object. */
struct kslot {
	struct page *page;
	kaddr_t obj;
	unsigned int order;
};

static int64_t user_slot[USER_SLOTS];	/* the mapping's address, 0 when empty */
static struct kslot kernel_slot[KERNEL_SLOTS];

static void user_step(struct machine *m, int pid)
{
	int64_t *u = &user_slot[next_rand() % USER_SLOTS];

	if (*u) {
		if (mmsim_munmap(m, pid, (uint64_t)*u, USER_BYTES))
			die("munmap failed");
		*u = 0;
		return;
	}
	int64_t p = mmsim_mmap(m, pid, 0, USER_BYTES, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	if (p < 0)
		die("mmap failed");
	mmsim_madvise(m, pid, (uint64_t)p, USER_BYTES, MMSIM_MADV_NOHUGEPAGE);
	for (uint64_t off = 0; off < USER_BYTES; off += 4096) {
		unsigned char b = (unsigned char)off;
		if (mmsim_user_write(m, pid, (uint64_t)p + off, &b, 1, NULL))
			die("a user page fault failed (out of memory?)");
	}
	*u = p;
}

static void kernel_step(struct machine *m)
{
	struct kslot *k = &kernel_slot[next_rand() % KERNEL_SLOTS];
	uint64_t r = next_rand();

	if (k->page) {
		__free_pages(m, k->page, k->order);
		k->page = NULL;
		return;
	}
	if (k->obj) {
		kfree(m, k->obj);
		k->obj = 0;
		return;
	}
	if (r & 1) {
		k->obj = kmalloc(m, 32 + (size_t)((r >> 8) % 4065), GFP_KERNEL);
		if (!k->obj)
			die("kmalloc failed");
		return;
	}
	unsigned int pct = (unsigned int)((r >> 16) % 100);
	k->order = pct < 70 ? 0 : pct < 85 ? 1 : pct < 95 ? 2 : 3;
	k->page = alloc_pages(m, GFP_KERNEL, k->order);
	if (!k->page)
		die("a kernel allocation failed");
}

/* ---- reading what the kernel shows -------------------------------------------- */

/* Free blocks of order >= 3 and >= 9, summed over zones, from /proc/buddyinfo. */
static void buddy_blocks(struct machine *m, unsigned long *ge3, unsigned long *ge9)
{
	char *text = bench_read_proc(m, "/proc/buddyinfo");

	*ge3 = *ge9 = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *p = strstr(line, "zone");
		if (!p)
			continue;
		p += 4;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;	/* the zone's name */
		for (int order = 0; order <= 10; order++) {
			unsigned long n = strtoul(p, &p, 10);
			if (order >= 3)
				*ge3 += n;
			if (order >= 9)
				*ge9 += n;
		}
	}
	free(text);
}

/* Pageblocks by type (Unmovable, Movable, Reclaimable), from /proc/pagetypeinfo. */
static void pageblocks(struct machine *m, unsigned long types[3])
{
	char *text = bench_read_proc(m, "/proc/pagetypeinfo");
	char *p = strstr(text, "Number of blocks type");

	types[0] = types[1] = types[2] = 0;
	for (p = p ? strchr(p, '\n') : NULL; p && (p = strstr(p, "zone")); p = strchr(p, '\n')) {
		p += 4;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
		for (int t = 0; t < 3; t++)
			types[t] += strtoul(p, &p, 10);
		if (!p)
			break;
	}
	free(text);
}

static unsigned long vmstat(struct machine *m, const char *name)
{
	char *text = bench_read_proc(m, "/proc/vmstat");
	size_t len = strlen(name);
	unsigned long v = 0;

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, name, len) && line[len] == ' ')
			v = strtoul(line + len + 1, NULL, 10);
	free(text);
	return v;
}

/*
 * How many blocks of @order requests with @gfp get, asking until one fails
 * or @cap succeed; all held until the end, then freed.
 */
static unsigned long probe(struct machine *m, gfp_t gfp, unsigned int order, unsigned long cap)
{
	struct page **got = malloc(cap * sizeof(*got));
	unsigned long n = 0;

	if (!got)
		die("no host memory for a probe");
	while (n < cap && (got[n] = alloc_pages(m, gfp, order)))
		n++;
	for (unsigned long i = 0; i < n; i++)
		__free_pages(m, got[i], order);
	free(got);
	return n;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *end;
		if (!strcmp(argv[i], "-s") && i + 1 < argc)
			steps = strtoul(argv[++i], &end, 10);
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			probe_every = strtoul(argv[++i], &end, 10);
		else {
			fprintf(stderr, "usage: bench_frag [-s STEPS] [-p PROBE_EVERY]\n");
			return 2;
		}
	}
	if (!steps || !probe_every || steps > 100000000 || probe_every > steps) {
		fprintf(stderr, "bench_frag: STEPS 1..10^8, PROBE_EVERY 1..STEPS\n");
		return 2;
	}
	struct machine_desc d;
	char err[256];
	mmsim_desc_init(&d);
	d.arch = MMSIM_ARCH_X86_64;
	d.mem_bytes = 2048ULL << 20;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	if (!m)
		die(err);
	int pid = mmsim_spawn(m, "churn");
	if (pid < 0)
		die("spawn failed");

	printf("bench_frag: x86_64 2048M, %lu steps (60%% user 256 KiB maps, 40%% kernel pages and "
	       "objects);\n  a probe every %lu asks until a request fails (order 3: at most %d; "
	       "order 9: at most free/512,\n  shown as got/most), holding all until the probe "
	       "ends\n", steps, probe_every, ORDER3_CAP);
	printf("  %8s %8s %8s %7s %15s %10s %11s %11s %17s %7s\n", "step", "free MiB", "ord>=3",
	       "ord>=9", "pageblocks U/M/R", "o3 NORETRY", "o9 LIGHT", "o9 THP", "compact st/ok/fail",
	       "CPU s");
	unsigned long stall0 = 0, ok0 = 0, fail0 = 0;
	struct times t0 = now();
	for (unsigned long step = 1; step <= steps; step++) {
		if (next_rand() % 10 < 6)
			user_step(m, pid);
		else
			kernel_step(m);
		if (step % probe_every)
			continue;
		unsigned long ge3, ge9, types[3];
		buddy_blocks(m, &ge3, &ge9);
		pageblocks(m, types);
		unsigned long free_pages = global_zone_page_state(m, NR_FREE_PAGES);
		/* The most order-9 blocks free memory could make if it were all contiguous. */
		unsigned long cap9 = free_pages >> 9;
		unsigned long o3 = probe(m, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 3, ORDER3_CAP);
		unsigned long o9l = probe(m, GFP_TRANSHUGE_LIGHT, 9, cap9);
		unsigned long o9 = probe(m, GFP_TRANSHUGE | __GFP_NORETRY, 9, cap9);
		unsigned long stall = vmstat(m, "compact_stall"), ok = vmstat(m, "compact_success"),
			      fail = vmstat(m, "compact_fail");
		char pb[32], cs[32];
		snprintf(pb, sizeof(pb), "%lu/%lu/%lu", types[0], types[1], types[2]);
		snprintf(cs, sizeof(cs), "%lu/%lu/%lu", stall - stall0, ok - ok0, fail - fail0);
		printf("  %8lu %8lu %8lu %7lu %15s %10lu %5lu/%-5lu %5lu/%-5lu %17s %7.1f\n", step,
		       free_pages >> 8, ge3, ge9, pb, o3, o9l, cap9, o9, cap9, cs,
		       since(t0, 1e9).cpu_ns);
		fflush(stdout);
		stall0 = stall, ok0 = ok, fail0 = fail;
	}
	for (int i = 0; i < USER_SLOTS; i++)
		if (user_slot[i] && mmsim_munmap(m, pid, (uint64_t)user_slot[i], USER_BYTES))
			die("munmap failed");
	for (int i = 0; i < KERNEL_SLOTS; i++) {
		if (kernel_slot[i].page)
			__free_pages(m, kernel_slot[i].page, kernel_slot[i].order);
		if (kernel_slot[i].obj)
			kfree(m, kernel_slot[i].obj);
	}
	mmsim_exit(m, pid, 0);
	mmsim_wait4(m, 1, pid, NULL, NULL);
	if (mmsim_verify(m, stderr))
		die("the machine is inconsistent after the churn");
	mmsim_destroy(m);
	return 0;
}
