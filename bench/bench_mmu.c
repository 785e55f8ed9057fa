/* bench_mmu.c — speed of the software MMU and of the kernel's mappings of
 * high memory and vmalloc space (arch/x86/mmu.c, mm/highmem.c, mm/vmalloc.c).
 *
 * Boots i386 2048M and x86_64 8192M (1 CPU, linux-6.1). Cases, each beside
 * the baseline that does the same work (bench/README.md says why each is
 * fair), on precomputed address sequences:
 *
 *   TLB hit          mmu_translate() of random addresses within 128 pages
 *                    that all fit in the TLB. Floor: a direct-mapped
 *                    software TLB (QEMU softmmu's hit path: index, compare
 *                    the tag, add the offset) over the same addresses.
 *   walk, lowmem     mmu_translate() of random pages across the whole
 *                    direct map (i386: all lowmem; x86_64: all RAM), each
 *                    one a TLB miss and a walk of mmsim's own tables.
 *   walk, process    the same over a process's 256 MiB anonymous mapping,
 *                    every page faulted in (4 KiB PTEs: the full 2- or
 *                    4-level walk), with the process's CR3 loaded.
 *                    Beside both walks: the host's own pointer chase over
 *                    the same footprint with 4 KiB pages and with huge
 *                    pages; the difference is what the host hardware pays
 *                    for its TLB misses there.
 *   kmap, 4096 pages kmap() + kunmap() cycling over 4096 distinct HighMem
 *                    pages: every kmap takes a new pkmap slot, and every
 *                    1024 the wrap flushes the unused ones (flush_all_
 *                    zero_pkmaps + a kernel-range TLB flush). Beside it:
 *                    the same page again and again (already mapped).
 *   kmap_atomic      kmap_atomic() + kunmap_atomic() over the same 4096
 *                    pages: a fixmap slot's PTE set and cleared, invlpg.
 *   vzalloc          vzalloc() + vfree() of 1 page and of 1 MiB: pages
 *                    allocated, zeroed and mapped, then unmapped (lazily
 *                    purged) and freed. Beside it: the host kernel's
 *                    mmap(MAP_POPULATE) + munmap of the same size, which
 *                    also allocates, zeroes, maps, unmaps and frees.
 *
 * Measures: CPU time of the process per op, min / median / max of 5 runs;
 * with --count, the instructions per op of mmsim's and the floors' loops,
 * counted under callgrind (bench_count.h). The host baselines make system
 * calls and take TLB misses that callgrind cannot see: they get no count.
 * Targets (issues 5 and 17): hit <= 3 ns and <= 20 instructions, 2-level
 * walk <= 25 ns, kmap_atomic pair <= 20 ns. Not a test: nothing here gates.
 *
 * Usage: bench_mmu [-c CASE] [--count] */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/highmem.h>
#include <mmsim/machine.h>
#include <mmsim/process.h>
#include <mmsim/vmalloc.h>

#include "arch/x86/mmu.h"
#include "bench_count.h"
#include "bench_rand.h"
#include "bench_time.h"
#include "host_baseline.h"
#include "kernel/sched.h"
#include "mm.h"

#define RUNS		5
#define NADDR		(1u << 16)	/* addresses in a sequence (a power of two) */
#define HIT_PAGES	128		/* fit in the 64x4 TLB: 2 per set */
#define KMAP_PAGES	4096		/* four times LAST_PKMAP */
#define PROC_BYTES	(256ul << 20)

static volatile uint64_t sink;
static const char *only_case;
static bool counting;		/* the child under callgrind */

static void die(const char *what)
{
	fprintf(stderr, "bench_mmu: %s\n", what);
	exit(1);
}

static struct machine *boot(enum mmsim_arch arch, uint64_t mib)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.arch = arch;
	d.mem_bytes = mib << 20;
	d.nr_cpus = 1;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	if (!m || mmsim_verify(m, stderr)) {
		fprintf(stderr, "bench_mmu: boot failed: %s\n", m ? "inconsistent" : err);
		exit(1);
	}
	return m;
}

/* ---- what one case runs ------------------------------------------------------ */

/*
 * The floor for a TLB hit: a direct-mapped software TLB, as QEMU's softmmu
 * keeps one per address space: the page number picks an entry, its tag is
 * compared, the offset is added. noinline, like mmu_translate.
 */
struct soft_tlb_entry {
	uint64_t tag, addend;
};

static struct soft_tlb_entry soft_tlb[256];

static __attribute__((noinline)) int soft_tlb_lookup(uint64_t va, uint64_t *pa)
{
	const struct soft_tlb_entry *e = &soft_tlb[(va >> 12) & 255];

	if (e->tag != (va & ~0xfffull))
		return -1;
	*pa = va + e->addend;
	return 0;
}

/* The loop and an out-of-line call alone: what every translate row's count includes. */
static __attribute__((noinline)) int null_lookup(uint64_t va, uint64_t *pa)
{
	*pa = va;
	return 0;
}

static uint64_t seq[NADDR];		/* the addresses a translate case walks */
static struct page *kpages[KMAP_PAGES];	/* the HighMem pages of the kmap cases */

static void translate_seq(struct machine *m, unsigned int access, long iters)
{
	phys_addr_t pa, acc = 0;

	for (long i = 0; i < iters; i++) {
		if (mmu_translate(m, 0, seq[i & (NADDR - 1)], access, &pa))
			die("a translation faulted");
		acc += pa;
	}
	sink = acc;
}

static void soft_tlb_seq(long iters)
{
	uint64_t pa, acc = 0;

	for (long i = 0; i < iters; i++) {
		if (soft_tlb_lookup(seq[i & (NADDR - 1)], &pa))
			die("the software TLB missed");
		acc += pa;
	}
	sink = acc;
}

static void null_seq(long iters)
{
	uint64_t pa, acc = 0;

	for (long i = 0; i < iters; i++) {
		if (null_lookup(seq[i & (NADDR - 1)], &pa))
			die("unreachable");
		acc += pa;
	}
	sink = acc;
}

static void kmap_cycle(struct machine *m, unsigned int npages, long iters)
{
	bool must_sleep;
	uint64_t acc = 0;

	for (long i = 0; i < iters; i++) {
		struct page *p = kpages[(unsigned long)i % npages];
		kaddr_t va = kmap(m, p, &must_sleep);
		if (!va)
			die("kmap found no slot");
		acc += va;
		kunmap(m, p);
	}
	sink = acc;
}

static void kmap_atomic_cycle(struct machine *m, long iters)
{
	uint64_t acc = 0;

	for (long i = 0; i < iters; i++) {
		kaddr_t va = kmap_atomic(m, kpages[i & (KMAP_PAGES - 1)], 0);
		acc += va;
		kunmap_atomic(m, va, 0);
	}
	sink = acc;
}

static void vzalloc_pair(struct machine *m, unsigned long size, long iters)
{
	uint64_t acc = 0;

	for (long i = 0; i < iters; i++) {
		kaddr_t va = vzalloc(m, size);
		if (!va)
			die("vzalloc failed");
		acc += va;
		vfree(m, va);
	}
	sink = acc;
}

/* ---- the address sequences ------------------------------------------------------ */

/* Random addresses (8-byte aligned) within HIT_PAGES pages of lowmem; the TLB holds them all. */
static void make_hit_seq(struct machine *m)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL, base = m->profile->page_offset + (16ul << 20);

	for (unsigned int i = 0; i < NADDR; i++) {
		uint64_t r = xorshift64(&s);
		seq[i] = base + (r % HIT_PAGES) * 4096 + ((r >> 32) % 512) * 8;
	}
	memset(soft_tlb, 0, sizeof(soft_tlb));
	for (unsigned int i = 0; i < HIT_PAGES; i++) {
		uint64_t va = base + i * 4096ull;
		phys_addr_t pa;
		if (mmu_translate(m, 0, va, MMU_READ, &pa))
			die("the TLB-hit pages are not mapped");
		soft_tlb[(va >> 12) & 255] = (struct soft_tlb_entry){ va, pa - va };
	}
}

/* Random pages of the whole direct map that are RAM (holes are not mapped). */
static void make_lowmem_seq(struct machine *m)
{
	uint64_t s = 0x2545f4914f6cdd1dULL;
	unsigned long end = m->profile->arch == MMSIM_ARCH_I386 ? m->max_low_pfn : m->max_pfn;

	for (unsigned int i = 0; i < NADDR;) {
		uint64_t r = xorshift64(&s);
		uint64_t va = m->profile->page_offset + (r % end) * 4096 + ((r >> 40) % 512) * 8;
		phys_addr_t pa;
		if (mmu_translate(m, 0, va, MMU_READ, &pa) == 0)
			seq[i++] = va;
	}
}

/* A process with PROC_BYTES of anonymous memory, every page written; its CR3 loaded. */
static int make_process_seq(struct machine *m, uint64_t *start)
{
	int pid = mmsim_spawn(m, "bench_mmu");
	if (pid < 0)
		die("spawn failed");
	int64_t p = mmsim_mmap(m, pid, 0, PROC_BYTES, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	if (p < 0)
		die("mmap of the process's mapping failed");
	/* 4 KiB pages only: the walk is the full one. */
	mmsim_madvise(m, pid, (uint64_t)p, PROC_BYTES, MMSIM_MADV_NOHUGEPAGE);
	for (uint64_t off = 0; off < PROC_BYTES; off += 4096) {
		unsigned char b = 1;
		if (mmsim_user_write(m, pid, (uint64_t)p + off, &b, 1, NULL))
			die("faulting the process's mapping in failed");
	}
	uint64_t s = 0x6a09e667f3bcc909ULL;
	for (unsigned int i = 0; i < NADDR; i++) {
		uint64_t r = xorshift64(&s);
		seq[i] = (uint64_t)p + (r % (PROC_BYTES / 4096)) * 4096 + ((r >> 40) % 512) * 8;
	}
	write_cr3(m, 0, find_task_by_pid(m, pid)->mm->pgd);
	*start = (uint64_t)p;
	return pid;
}

static void end_process(struct machine *m, int pid)
{
	write_cr3(m, 0, m->swapper_pg_dir);
	mmsim_exit(m, pid, 0);
	mmsim_wait4(m, 1, pid, NULL, NULL);
}

/* ---- measuring -------------------------------------------------------------------- */

enum { SIDE_MMSIM, SIDE_OTHER, NR_SIDES };

struct row {
	char name[64];
	char other[40];		/* what the baseline is; "" for none */
	struct times t[NR_SIDES][RUNS];
	double instr[NR_SIDES];	/* per op; < 0: not counted */
	double target_ns, target_instr;
	double note_fraction;	/* walk rows: the fraction of translations that missed the TLB */
};

#define MAX_ROWS 32
static struct row rows[MAX_ROWS];
static unsigned int nr_rows;

/* The loop's own row always runs: the instruction targets are judged net of it. */
static bool selected(const char *name)
{
	return !only_case || strstr(name, only_case) || !strncmp(name, "loop + call alone", 17);
}

/*
 * Time (or, in the child under callgrind, count) one side of a row: @body
 * does @iters ops. The child labels its dump "row side"; rows are numbered
 * alike in parent and child because both create every row in the same order.
 */
#define RUN_SIDE(r, side, iters, body)							\
	do {										\
		body;	/* one warm-up run: first touches are not the case's */		\
		if (counting) {								\
			char label_[80];						\
			snprintf(label_, sizeof(label_), "%u %d", nr_rows, side);	\
			COUNT_BEGIN();							\
			body;								\
			COUNT_END(label_);						\
			break;								\
		}									\
		for (int run_ = 0; run_ < RUNS; run_++) {				\
			struct times t0_ = now();					\
			body;								\
			(r)->t[side][run_] = since(t0_, (double)(iters));		\
		}									\
	} while (0)

static struct row *new_row(const char *arch, const char *name, const char *other)
{
	char full[64];

	snprintf(full, sizeof(full), "%s (%s)", name, arch);
	if (!selected(full) || nr_rows == MAX_ROWS)
		return NULL;
	struct row *r = &rows[nr_rows];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", full);
	snprintf(r->other, sizeof(r->other), "%s", other);
	r->instr[SIDE_MMSIM] = r->instr[SIDE_OTHER] = -1;
	r->note_fraction = -1;
	return r;
}

static double miss_fraction(struct machine *m, const struct tlb_stats *before)
{
	const struct tlb_stats *now_ = &m->cpu_mmu[0].stats;
	double hits = (double)(now_->hits - before->hits), misses = (double)(now_->misses - before->misses);

	return hits + misses > 0 ? misses / (hits + misses) : 0;
}

/* The host's pointer chase over @bytes, 4 KiB pages against huge pages. */
static void chase_rows(const char *arch, const char *what, unsigned long bytes, long hops)
{
	char name[64], other[40];

	snprintf(name, sizeof(name), "host chase %s", what);
	snprintf(other, sizeof(other), "the same, huge pages");
	struct row *r = new_row(arch, name, other);
	if (!r)
		return;
	if (counting) {
		nr_rows++;	/* a row of its own in the parent: keep the numbering */
		return;
	}
	double huge_fraction = 0;
	for (int run = 0; run < RUNS; run++) {
		double small = host_chase(bytes, false, hops, &huge_fraction);
		double huge = host_chase(bytes, true, hops, &huge_fraction);
		if (small < 0 || huge < 0)
			die("no host memory for the pointer chase");
		r->t[SIDE_MMSIM][run] = (struct times){ small, 0 };
		r->t[SIDE_OTHER][run] = (struct times){ huge, 0 };
	}
	r->note_fraction = huge_fraction;	/* printed as "THP backed" */
	nr_rows++;
}

static void bench_arch(enum mmsim_arch arch, uint64_t mib)
{
	const char *an = arch == MMSIM_ARCH_I386 ? "i386" : "x86_64";
	struct machine *m = boot(arch, mib);
	const long iters = 2000000;
	struct row *r;
	struct tlb_stats st;

	make_hit_seq(m);
	if ((r = new_row(an, "loop + call alone", ""))) {
		RUN_SIDE(r, SIDE_MMSIM, iters, null_seq(iters));
		nr_rows++;
	}
	if ((r = new_row(an, "translate, TLB hit", "software TLB floor"))) {
		r->target_ns = 3;
		r->target_instr = 20;
		st = m->cpu_mmu[0].stats;
		RUN_SIDE(r, SIDE_MMSIM, iters, translate_seq(m, MMU_READ, iters));
		RUN_SIDE(r, SIDE_OTHER, iters, soft_tlb_seq(iters));
		r->note_fraction = miss_fraction(m, &st);
		nr_rows++;
	}

	make_lowmem_seq(m);
	if ((r = new_row(an, arch == MMSIM_ARCH_I386 ? "walk, random lowmem" : "walk, random direct map",
			 ""))) {
		r->target_ns = arch == MMSIM_ARCH_I386 ? 25 : 0;
		st = m->cpu_mmu[0].stats;
		RUN_SIDE(r, SIDE_MMSIM, iters, translate_seq(m, MMU_READ, iters));
		r->note_fraction = miss_fraction(m, &st);
		nr_rows++;
	}
	unsigned long direct_bytes = (arch == MMSIM_ARCH_I386 ? m->max_low_pfn : m->max_pfn) * 4096ul;
	/* The host chase is capped at 1 GiB: past that the host's own TLB reach is long gone. */
	chase_rows(an, arch == MMSIM_ARCH_I386 ? "lowmem size" : "direct-map size (<= 1 GiB)",
		   direct_bytes < (1ul << 30) ? direct_bytes : 1ul << 30, iters);

	uint64_t start;
	int pid = make_process_seq(m, &start);
	if ((r = new_row(an, "walk, random process 256M", ""))) {
		st = m->cpu_mmu[0].stats;
		RUN_SIDE(r, SIDE_MMSIM, iters, translate_seq(m, MMU_READ | MMU_USER, iters));
		r->note_fraction = miss_fraction(m, &st);
		nr_rows++;
	}
	end_process(m, pid);
	chase_rows(an, "256M", PROC_BYTES, iters);

	if (arch == MMSIM_ARCH_I386) {
		for (unsigned int i = 0; i < KMAP_PAGES; i++)
			if (!(kpages[i] = alloc_pages(m, GFP_HIGHUSER, 0)) || !PageHighMem(m, kpages[i]))
				die("no HighMem page for the kmap cases");
		if ((r = new_row(an, "kmap + kunmap, 4096 pages", "the same page again"))) {
			RUN_SIDE(r, SIDE_MMSIM, iters, kmap_cycle(m, KMAP_PAGES, iters));
			RUN_SIDE(r, SIDE_OTHER, iters, kmap_cycle(m, 1, iters));
			nr_rows++;
		}
		if ((r = new_row(an, "kmap_atomic + kunmap_atomic, 4096 pages", ""))) {
			r->target_ns = 20;
			RUN_SIDE(r, SIDE_MMSIM, iters, kmap_atomic_cycle(m, iters));
			nr_rows++;
		}
		for (unsigned int i = 0; i < KMAP_PAGES; i++)
			__free_pages(m, kpages[i], 0);
	}

	static const unsigned long sizes[] = { 4096, 1ul << 20 };
	for (unsigned int i = 0; i < 2; i++) {
		long n = sizes[i] == 4096 ? iters / 20 : iters / 2000;
		char name[64];
		snprintf(name, sizeof(name), "vzalloc + vfree, %s", sizes[i] == 4096 ? "1 page" : "1 MiB");
		if ((r = new_row(an, name, "host mmap(POPULATE)+munmap"))) {
			RUN_SIDE(r, SIDE_MMSIM, n, vzalloc_pair(m, sizes[i], n));
			if (!counting)
				for (int run = 0; run < RUNS; run++)
					r->t[SIDE_OTHER][run] = (struct times){
						host_mmap_populate_pair(sizes[i], n), 0 };
			nr_rows++;
		}
	}
	if (mmsim_verify(m, stderr))
		die("the machine is inconsistent after the cases");
	mmsim_destroy(m);
}

/* ---- counting and printing ---------------------------------------------------------- */

static long count_iters_for(const char *name)
{
	if (strstr(name, "1 MiB"))
		return 2000000 / 2000;
	if (strstr(name, "1 page"))
		return 2000000 / 20;
	return 2000000;
}

static void take_count(const char *label, double ir, void *arg)
{
	unsigned int row;
	int side;

	(void)arg;
	if (sscanf(label, "%u %d", &row, &side) == 2 && row < nr_rows && side >= 0 && side < NR_SIDES)
		rows[row].instr[side] = ir / (double)count_iters_for(rows[row].name);
}

static void print_rows(bool counted)
{
	double overhead = -1;	/* instructions of the loop + call alone, once counted */

	printf("  %-48s %-28s %8s  %-26s %-28s %7s\n", "case (CPU ns per op: min / median / max)",
	       "mmsim", counted ? "instr" : "", "baseline", "", "ratio");
	for (unsigned int i = 0; i < nr_rows; i++) {
		struct row *r = &rows[i];
		bool chase = !strncmp(r->name, "host chase", 10);
		double med[NR_SIDES];
		for (int side = 0; side < NR_SIDES; side++)
			med[side] = median(r->t[side], RUNS).cpu_ns;	/* sorts the runs */
		printf("  %-48s %7.2f / %7.2f / %7.2f", r->name, r->t[0][0].cpu_ns, med[0],
		       r->t[0][RUNS - 1].cpu_ns);
		if (counted && r->instr[0] >= 0)
			printf(" %8.1f", r->instr[0]);
		else
			printf(" %8s", "");
		if (r->other[0]) {
			printf("  %-26s %7.2f / %7.2f / %7.2f", r->other, r->t[1][0].cpu_ns, med[1],
			       r->t[1][RUNS - 1].cpu_ns);
			if (counted && r->instr[1] >= 0)
				printf(" %6.1f instr", r->instr[1]);
			printf("  %5.2fx", med[0] / med[1]);
		}
		if (chase)
			printf("  TLB-miss cost ~%.1f ns; THP backed %.0f%%", med[0] - med[1],
			       100 * r->note_fraction);
		else if (r->note_fraction >= 0)
			printf("  TLB misses %.1f%%", 100 * r->note_fraction);
		if (r->target_ns > 0)
			printf("  target <= %.0f ns %s", r->target_ns, med[0] <= r->target_ns ? "ok" : "MISSED");
		if (!strncmp(r->name, "loop + call alone", 17))
			overhead = r->instr[0];
		if (counted && r->target_instr > 0 && r->instr[0] >= 0 && overhead >= 0)
			printf(", <= %.0f instr less the loop's %s", r->target_instr,
			       r->instr[0] - overhead <= r->target_instr ? "ok" : "MISSED");
		putchar('\n');
	}
}

int main(int argc, char **argv)
{
	bool count = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--count"))
			count = true;
		else if (!strcmp(argv[i], "--count-child"))
			counting = true;
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			only_case = argv[++i];
		else {
			fprintf(stderr, "usage: bench_mmu [-c CASE_NAME_SUBSTRING] [--count]\n");
			return 2;
		}
	}
	if (count && !count_available()) {
		fprintf(stderr, "bench_mmu: built without valgrind/callgrind.h: run tools/install-deps "
			"--bench, then rebuild\n");
		return 2;
	}
	bench_arch(MMSIM_ARCH_I386, 2048);
	bench_arch(MMSIM_ARCH_X86_64, 8192);
	if (counting)
		return 0;
	if (count) {
		const char *self = count_self_path();
		char *child[] = { (char *)self, "--count-child", only_case ? "-c" : NULL,
				  (char *)only_case, NULL };
		if (!self || count_run(child, take_count, NULL) <= 0)
			die("the callgrind run failed (is valgrind installed? tools/install-deps --bench)");
	}
	printf("bench_mmu: CPU ns per op, min / median / max of %d runs%s; ratio = mmsim median / "
	       "baseline median\n", RUNS, count ? "; instructions per op from callgrind" : "");
	print_rows(count);
	return 0;
}
