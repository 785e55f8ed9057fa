/* test_cma.c — the contiguous memory allocator and its configuration switch.
 *
 * Debian's kernels lack CONFIG_CMA: there cma= is an unknown parameter,
 * passed to init, and nothing else changes (checked against the real
 * kernel's captures in tests/fixtures/oracle/cma/). With --config CMA=y:
 * the area's reservation and its place (i386 top of lowmem, x86_64 below
 * 4 GiB top-down, above 4 GiB bottom-up), the accounting in dmesg,
 * meminfo, zoneinfo and pagetypeinfo, the allocator's rules for
 * MIGRATE_CMA pageblocks, cma_alloc/cma_release with the retry past a
 * busy range and the migration of user pages out of the area,
 * dma_alloc_contiguous, and the validators — verify passes
 * throughout and finds what is broken on purpose. */
#include <libgen.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/process.h>
#include <mmsim/slab.h>

#include "arch/x86/mmu.h"
#include "helpers.h"
#include "kernel/sched.h"
#include "kernel/dma/contiguous.h"
#include "mm/cma.h"
#include "mm/internal.h"
#include "test.h"

static struct machine *boot_cma(enum mmsim_arch arch, uint64_t mem_mib, const char *cmdline,
				bool cma)
{
	struct machine_desc d = test_desc(arch, mem_mib, cmdline);
	char err[256];

	if (cma && mmsim_desc_config(&d, "CMA=y", err, sizeof(err))) {
		fprintf(stderr, "config: %s\n", err);
		return NULL;
	}
	return boot_desc(&d);
}

/*
 * The default area's pages the boot already holds: kernel/dma/pool.c fills
 * the DMA atomic pools from the default CMA area when it lies in the pool's
 * zone (amd64 builds have the pools; 686 builds do not). Read from the
 * area's debugfs count, first fit from the area's start.
 */
static unsigned long boot_held(struct machine *m)
{
	char *used = proc(m, "/sys/kernel/debug/cma/reserved/used");
	unsigned long n = used ? strtoul(used, NULL, 10) : 0;

	free(used);
	return n;
}

/* The dmesg line that contains @key, without its timestamp, in a malloc'd string (or NULL). */
static char *log_line(const char *log, const char *key)
{
	const char *hit = strstr(log, key);

	if (!hit)
		return NULL;
	const char *start = hit;
	while (start > log && start[-1] != '\n')
		start--;
	const char *ts = strstr(start, "] ");
	if (ts && ts < hit)
		start = ts + 2;
	const char *end = strchr(hit, '\n');
	return strndup(start, end ? (size_t)(end - start) : strlen(start));
}


/* The value before "K @what" in the Memory: line. */
static long memory_line_k(const char *log, const char *what)
{
	char *line = log_line(log, "Memory: ");
	char key[64];
	long v = -1;

	snprintf(key, sizeof(key), "K %s", what);
	char *hit = line ? strstr(line, key) : NULL;
	if (hit) {
		char *p = hit;
		while (p > line && p[-1] >= '0' && p[-1] <= '9')
			p--;
		v = strtol(p, NULL, 10);
	}
	free(line);
	return v;
}

static const char *fixture_dir(char *buf, size_t len)
{
	char here[512];

	snprintf(here, sizeof(here), "%s", __FILE__);
	snprintf(buf, len, "%s/fixtures/oracle/cma", dirname(here));
	return buf;
}

/* ---- the default profile: Debian's kernel, without CONFIG_CMA ------------------------ */

/*
 * With cma=64M the real kernels print the parameter as unknown and reserve
 * nothing (the captures); mmsim prints the same lines, and the zones and
 * free lists are exactly those of a boot without it.
 */
static bool test_debian_cma_is_unknown(void)
{
	static const enum mmsim_arch arches[] = { MMSIM_ARCH_I386, MMSIM_ARCH_X86_64 };
	const char *cmdline = "console=ttyS0 panic=-1 norandmaps nokaslr nokaslr cma=64M";

	for (size_t a = 0; a < 2; a++) {
		char dir[600], path[700];
		snprintf(path, sizeof(path), "%s/linux-6.1-%s-2048M-cma64M.txt",
			 fixture_dir(dir, sizeof(dir)), a ? "x86_64" : "i386");
		FILE *f = fopen(path, "r");
		ASSERT_TRUE(f);
		char *fixture = NULL;
		size_t cap = 0;
		ssize_t n = getdelim(&fixture, &cap, '\0', f);
		fclose(f);
		ASSERT_TRUE(n > 0);

		struct machine *with = boot_cma(arches[a], 2048, cmdline, false);
		struct machine *without = boot_cma(arches[a], 2048,
						   "console=ttyS0 panic=-1 norandmaps nokaslr nokaslr",
						   false);
		ASSERT_TRUE(with && without);
		char *log = dmesg(with);
		char *want = log_line(fixture, "Unknown kernel command line parameters");
		char *got = log_line(log, "Unknown kernel command line parameters");
		ASSERT_TRUE(want && got);
		ASSERT_EQ(strcmp(want, got), 0);
		ASSERT_STR_CONTAINS(want, "cma=64M");
		ASSERT_STR_CONTAINS(fixture, " 0K cma-reserved");
		ASSERT_STR_CONTAINS(log, " 0K cma-reserved");
		ASSERT_STR_LACKS(log, "cma: Reserved");
		/* Nothing else changes. */
		const char *files[] = { "/proc/zoneinfo", "/proc/buddyinfo", "/proc/pagetypeinfo",
					"/proc/meminfo", "/proc/vmstat" };
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			char *x = proc(with, files[i]), *y = proc(without, files[i]);
			ASSERT_EQ(strcmp(x, y), 0);
			free(x);
			free(y);
		}
		char *meminfo = proc(with, "/proc/meminfo"), *pti = proc(with, "/proc/pagetypeinfo");
		char *vmstat = proc(with, "/proc/vmstat");
		ASSERT_STR_LACKS(meminfo, "CmaTotal");
		ASSERT_STR_LACKS(pti, "CMA");
		ASSERT_STR_LACKS(vmstat, "cma_alloc_success");
		ASSERT_STR_CONTAINS(vmstat, "nr_free_cma 0\n");	/* a counter every 6.1 kernel has */
		ASSERT_TRUE(mmsim_proc_read(with, "/sys/kernel/debug/cma/reserved/count", stdout) ==
			    -MMSIM_ENOENT);
		ASSERT_TRUE(verify_passes(with));
		free(meminfo);
		free(pti);
		free(vmstat);
		free(want);
		free(got);
		free(log);
		free(fixture);
		mmsim_destroy(with);
		mmsim_destroy(without);
	}
	return true;
}

/* --config's words: known options, y or n, Kconfig's select and depends on. */
static bool test_config_choices(void)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	ASSERT_EQ(mmsim_desc_config(&d, "CMA=y", err, sizeof(err)), 0);
	ASSERT_EQ(mmsim_desc_config(&d, "CONFIG_CMA=n", err, sizeof(err)), 0);
	ASSERT_EQ(d.config_value & (1u << MMSIM_CONFIG_CMA), 0);
	ASSERT_EQ(mmsim_desc_config(&d, "CMA=m", err, sizeof(err)), -MMSIM_EINVAL);
	ASSERT_STR_CONTAINS(err, "'m'");
	ASSERT_EQ(mmsim_desc_config(&d, "CMA", err, sizeof(err)), -MMSIM_EINVAL);
	ASSERT_EQ(mmsim_desc_config(&d, "HUGETLB=y", err, sizeof(err)), -MMSIM_EINVAL);
	ASSERT_STR_CONTAINS(err, "'HUGETLB'");
	const char *help;
	ASSERT_EQ(strcmp(mmsim_config_name(0, &help), "CMA"), 0);
	ASSERT_TRUE(help && *help);

	/* The 2.6 kernel of the classic profile predates CMA (3.5). */
	mmsim_desc_init(&d);
	d.profile = "classic";
	ASSERT_EQ(mmsim_desc_config(&d, "CMA=y", err, sizeof(err)), 0);
	ASSERT_TRUE(mmsim_boot(&d, err, sizeof(err)) == NULL);
	ASSERT_STR_CONTAINS(err, "the classic profile's kernel has no CONFIG_CMA");

	/* DMA_CMA depends on CMA: alone it cannot be built. */
	mmsim_desc_init(&d);
	ASSERT_EQ(mmsim_desc_config(&d, "DMA_CMA=y", err, sizeof(err)), 0);
	ASSERT_TRUE(mmsim_boot(&d, err, sizeof(err)) == NULL);
	ASSERT_STR_CONTAINS(err, "DMA_CMA=y depends on");

	/* CMA without DMA_CMA: the allocator is there, cma= is not (no one parses it). */
	mmsim_desc_init(&d);
	d.cmdline = "cma=64M";
	ASSERT_EQ(mmsim_desc_config(&d, "CMA=y", err, sizeof(err)), 0);
	ASSERT_EQ(mmsim_desc_config(&d, "DMA_CMA=n", err, sizeof(err)), 0);
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	ASSERT_TRUE(m);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "Unknown kernel command line parameters \"cma=64M\"");
	ASSERT_STR_CONTAINS(log, " 0K cma-reserved");
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "CmaTotal"), 0);
	ASSERT_TRUE(verify_passes(m));
	free(log);
	mmsim_destroy(m);

	/* A bare "cma" is a malformed early option, as the kernel says. */
	mmsim_desc_init(&d);
	d.cmdline = "cma";
	ASSERT_EQ(mmsim_desc_config(&d, "CMA=y", err, sizeof(err)), 0);
	m = mmsim_boot(&d, err, sizeof(err));
	ASSERT_TRUE(m);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "cma: Config string not provided");
	ASSERT_STR_CONTAINS(log, "Malformed early option 'cma'");
	free(log);
	mmsim_destroy(m);
	return true;
}

/* ---- the area: reservation, placement, accounting ------------------------------------ */

/* proc() out of line: the compiler then sees the text as the heap string it is. */
static __attribute__((noinline)) char *read_proc(struct machine *m, const char *path)
{
	return proc(m, path);
}

/* Does /proc/zoneinfo's section of zone @name hold @needle? */
static bool zoneinfo_has(struct machine *m, const char *name, const char *needle)
{
	char *zi = read_proc(m, "/proc/zoneinfo"), head[64];
	bool found = false;

	snprintf(head, sizeof(head), "zone %8s", name);
	const char *start = strstr(zi, head);
	if (start) {
		const char *next = strstr(start + 1, "Node ");
		const char *hit = strstr(start, needle);
		found = hit && (!next || hit < next);
	}
	if (!found)
		fprintf(stderr, "zoneinfo of %s lacks \"%s\":\n%s", name, needle, zi);
	free(zi);
	return found;
}

/*
 * What every CMA=y cma=64M machine shows, wherever the area is; @pools of
 * the boot's DMA atomic pools hold @pool_pages of it.
 */
static bool check_area(struct machine *m, struct machine *plain, enum zone_type zone_idx,
		       unsigned int pools, unsigned long pool_pages)
{
	struct cma *cma = dma_contiguous_default_area(m);
	char *log = dmesg(m), *plain_log = dmesg(plain), want[256];

	ASSERT_TRUE(cma);
	ASSERT_EQ(strcmp(cma->name, "reserved"), 0);
	ASSERT_EQ(cma->count, 16384);
	snprintf(want, sizeof(want), "cma: Reserved 64 MiB at 0x%0*llx\n", m->is_32bit ? 8 : 16,
		 (unsigned long long)cma->base_pfn << PAGE_SHIFT);
	ASSERT_STR_CONTAINS(log, want);
	/* 6.1's CMA_MIN_ALIGNMENT_PAGES is a pageblock. */
	ASSERT_EQ(cma->base_pfn % m->pageblock_nr_pages, 0);
	ASSERT_EQ(memory_line_k(log, "cma-reserved"), 65536);
	/* "reserved" leaves the CMA pages out: the same as without the area. */
	ASSERT_EQ(memory_line_k(log, "reserved"), memory_line_k(plain_log, "reserved"));
	unsigned long held = boot_held(m);
	ASSERT_EQ(held, pool_pages);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "CmaTotal"), 65536);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "CmaFree"), 65536 - 4 * held);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "MemTotal"), proc_field(plain, "/proc/meminfo", "MemTotal"));
	struct zone *zone = machine_zone(m, zone_idx);
	ASSERT_TRUE(zone_spans_pfn(zone, cma->base_pfn) &&
		    zone_spans_pfn(zone, cma->base_pfn + cma->count - 1));
	ASSERT_EQ(zone->cma_pages, 16384);
	ASSERT_TRUE(zoneinfo_has(m, zone->name, "\n        cma      16384\n"));
	snprintf(want, sizeof(want), "\n      nr_free_cma  %lu\n", 16384 - held);
	ASSERT_TRUE(zoneinfo_has(m, zone->name, want));
	char *pti = proc(m, "/proc/pagetypeinfo");
	ASSERT_STR_CONTAINS(pti, "type          CMA ");
	ASSERT_STR_CONTAINS(pti, "Reclaimable   HighAtomic          CMA      Isolate");
	char blocks[96];
	snprintf(blocks, sizeof(blocks), "%12lu %12d \n", 16384 / m->pageblock_nr_pages, 0);
	ASSERT_STR_CONTAINS(pti, blocks);
	char *vmstat = proc(m, "/proc/vmstat");
	/* 6.1's place for them: after htlb_buddy_alloc_fail. */
	snprintf(want, sizeof(want), "htlb_buddy_alloc_fail 0\ncma_alloc_success %d\ncma_alloc_fail 0\n"
		 "unevictable_pgs_culled", pools);
	ASSERT_STR_CONTAINS(vmstat, want);
	char *meminfo = proc(m, "/proc/meminfo");
	snprintf(want, sizeof(want), "FilePmdMapped:         0 kB\nCmaTotal:          65536 kB\n"
		 "CmaFree:        %8lu kB\nHugePages_Total:", 65536 - 4 * held);
	ASSERT_STR_CONTAINS(meminfo, want);
	/* show_free_areas(), as an allocation failure prints it: free_cma and the "C" blocks. */
	mmsim_dmesg_clear(m);
	__show_free_areas(m, 0, __MAX_NR_ZONES - 1);
	char *shown = dmesg(m);
	snprintf(want, sizeof(want), " free_cma:%lu\n", 16384 - held);
	ASSERT_STR_CONTAINS(shown, want);
	snprintf(want, sizeof(want), " free_cma:%lukB\n", 65536 - 4 * held);
	ASSERT_STR_CONTAINS(shown, want);
	ASSERT_STR_CONTAINS(shown, "C) ");
	free(shown);
	ASSERT_TRUE(verify_passes(m));
	free(log);
	free(plain_log);
	free(pti);
	free(vmstat);
	free(meminfo);
	return true;
}

/* i386: the area is placed top-down in lowmem (the direct map ends the search). */
static bool test_area_i386(void)
{
	struct machine *m = boot_cma(MMSIM_ARCH_I386, 2048, "cma=64M", true);
	struct machine *plain = boot_cma(MMSIM_ARCH_I386, 2048, "", false);

	ASSERT_TRUE(m && plain);
	ASSERT_TRUE(check_area(m, plain, ZONE_NORMAL, 0, 0));	/* 686 has no atomic pools */
	struct cma *cma = dma_contiguous_default_area(m);
	/* Top-down: within a pageblock and the early reservations of lowmem's end. */
	ASSERT_TRUE(cma->base_pfn + cma->count <= m->max_low_pfn);
	ASSERT_TRUE(cma->base_pfn + cma->count + 4 * m->pageblock_nr_pages >= m->max_low_pfn);
	/* The highmem zone is untouched. */
	ASSERT_EQ(machine_zone(m, ZONE_HIGHMEM)->managed_pages,
		  machine_zone(plain, ZONE_HIGHMEM)->managed_pages);
	mmsim_destroy(m);
	mmsim_destroy(plain);
	return true;
}

/* x86_64 up to 4 GiB: top-down below the end of RAM; beyond: bottom-up from 4 GiB. */
static bool test_area_x86_64(void)
{
	struct machine *m = boot_cma(MMSIM_ARCH_X86_64, 2048, "cma=64M", true);
	struct machine *plain = boot_cma(MMSIM_ARCH_X86_64, 2048, "", false);

	ASSERT_TRUE(m && plain);
	/*
	 * The atomic pools take what lies in the area's zone: with 2 GiB the
	 * GFP_KERNEL and GFP_DMA32 pools, 256 KiB each (the GFP_DMA one stays
	 * in ZONE_DMA, below the area).
	 */
	ASSERT_TRUE(check_area(m, plain, ZONE_DMA32, 2, 2 * 64));
	struct cma *cma = dma_contiguous_default_area(m);
	ASSERT_TRUE(cma->base_pfn + cma->count <= m->max_pfn);
	ASSERT_TRUE(cma->base_pfn + cma->count + 4 * m->pageblock_nr_pages >= m->max_pfn);
	mmsim_destroy(m);
	mmsim_destroy(plain);

	m = boot_cma(MMSIM_ARCH_X86_64, 8192, "cma=64M", true);
	plain = boot_cma(MMSIM_ARCH_X86_64, 8192, "", false);
	ASSERT_TRUE(m && plain);
	/* Above 4 GiB only the GFP_KERNEL pool (1 MiB with 8 GiB) is in the area's zone. */
	ASSERT_TRUE(check_area(m, plain, ZONE_NORMAL, 1, 256));
	ASSERT_EQ(dma_contiguous_default_area(m)->base_pfn, 0x100000000ULL >> PAGE_SHIFT);
	mmsim_destroy(m);
	mmsim_destroy(plain);

	/* SIZE@BASE: exactly there; a base the area cannot take is the kernel's error. */
	m = boot_cma(MMSIM_ARCH_X86_64, 2048, "cma=32M@0x40000000", true);
	ASSERT_TRUE(m);
	ASSERT_EQ(dma_contiguous_default_area(m)->base_pfn, 0x40000);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "cma: Reserved 32 MiB at 0x0000000040000000\n");
	ASSERT_TRUE(verify_passes(m));
	free(log);
	mmsim_destroy(m);
	m = boot_cma(MMSIM_ARCH_X86_64, 2048, "cma=32M@0x40100000", true);
	ASSERT_TRUE(m);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "cma: Region at 0x0000000040100000 must be aligned to "
			    "0x0000000000200000 bytes\n");
	ASSERT_STR_CONTAINS(log, "cma: Failed to reserve 32 MiB\n");
	ASSERT_TRUE(dma_contiguous_default_area(m) == NULL);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "CmaTotal"), 0);
	free(log);
	mmsim_destroy(m);
	/* More than RAM: the limit is the end of memory. */
	m = boot_cma(MMSIM_ARCH_I386, 512, "cma=1G", true);
	ASSERT_TRUE(m);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "cma: Failed to reserve 1024 MiB\n");
	ASSERT_TRUE(verify_passes(m));
	free(log);
	mmsim_destroy(m);
	return true;
}

/* ---- the allocator's rules ------------------------------------------------------------ */

static bool in_cma_block(struct machine *m, struct page *page)
{
	return get_pageblock_migratetype(m, page_to_pfn(m, page)) == MIGRATE_CMA;
}

/*
 * Unmovable allocations never land in CMA pageblocks, however little
 * other memory is left; movable ones stay out of them while ordinary
 * memory is the larger half of the zone's free pages, and go there once
 * more than half of it is CMA.
 */
static bool test_allocator_rules(void)
{
	struct machine *m = boot_cma(MMSIM_ARCH_X86_64, 512, "cma=128M", true);
	ASSERT_TRUE(m);
	struct zone *zone = machine_zone(m, ZONE_DMA32);
	struct cma *cma = dma_contiguous_default_area(m);
	ASSERT_TRUE(cma && zone_spans_pfn(zone, cma->base_pfn));

	/* CMA is less than half of the free memory: movable pages come from elsewhere. */
	drain_all_pages(m);
	ASSERT_TRUE(zone_page_state(zone, NR_FREE_CMA_PAGES) * 2 < zone_page_state(zone, NR_FREE_PAGES));
	struct page *movable = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
	ASSERT_TRUE(movable && !in_cma_block(m, movable));
	__free_pages(m, movable, 0);

	/* Unmovable blocks until the ordinary memory is gone: none is CMA. */
	struct page *blocks[4096];
	unsigned int nr = 0;
	for (; nr < 4096; nr++) {
		blocks[nr] = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, 6);
		if (!blocks[nr])
			break;
		ASSERT_TRUE(!in_cma_block(m, blocks[nr]));
	}
	ASSERT_TRUE(nr > 0 && nr < 4096);
	/* What is left is mostly CMA, which the unmovable requests could not have. */
	ASSERT_TRUE(zone_page_state(zone, NR_FREE_CMA_PAGES) * 2 > zone_page_state(zone, NR_FREE_PAGES));
	ASSERT_TRUE(verify_passes(m));
	/* Slab objects (kmalloc's pages are GFP_KERNEL) stay out of CMA too. */
	kaddr_t objs[512];
	unsigned int nobj = 0;
	for (; nobj < 512; nobj++) {
		objs[nobj] = kmalloc(m, 2048, GFP_KERNEL | __GFP_NOWARN);
		if (!objs[nobj])
			break;
		ASSERT_TRUE(!in_cma_block(m, pfn_to_page(m, (unsigned long)PFN_DOWN(__pa(m, objs[nobj])))));
	}
	ASSERT_TRUE(nobj > 0);
	ASSERT_TRUE(verify_passes(m));
	while (nobj)
		kfree(m, objs[--nobj]);
	drain_all_pages(m);
	movable = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
	ASSERT_TRUE(movable && in_cma_block(m, movable));
	ASSERT_EQ(movable->alloc_migratetype, MIGRATE_MOVABLE);
	/* An order-0 unmovable request now fails rather than take CMA (the watermark leaves it out). */
	struct page *unmovable = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, 0);
	ASSERT_TRUE(!unmovable || !in_cma_block(m, unmovable));
	if (unmovable)
		__free_pages(m, unmovable, 0);
	/*
	 * The refill took a batch of CMA pages onto the movable pcp list; freed
	 * and drained, every one of them goes back to the CMA free lists.
	 */
	ASSERT_TRUE(zone_page_state(zone, NR_FREE_CMA_PAGES) < cma->count - 1);
	__free_pages(m, movable, 0);
	drain_all_pages(m);
	ASSERT_EQ(zone_page_state(zone, NR_FREE_CMA_PAGES), cma->count - boot_held(m));
	ASSERT_TRUE(verify_passes(m));
	while (nr)
		__free_pages(m, blocks[--nr], 6);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* ---- cma_alloc / cma_release ---------------------------------------------------------- */

static bool test_cma_alloc_release(void)
{
	static const enum mmsim_arch arches[] = { MMSIM_ARCH_I386, MMSIM_ARCH_X86_64 };

	for (size_t a = 0; a < 2; a++) {
		struct machine *m = boot_cma(arches[a], 2048, "cma=64M", true);
		ASSERT_TRUE(m);
		struct cma *cma = dma_contiguous_default_area(m);
		drain_all_pages(m);	/* alloc_contig_range() drains them: start from there */
		long free_before = proc_field(m, "/proc/meminfo", "MemFree");
		unsigned long held = boot_held(m);
		struct page *page = cma_alloc(m, cma, 1000, 0, false);
		ASSERT_TRUE(page);
		ASSERT_EQ(page_to_pfn(m, page), cma->base_pfn + held);	/* first fit, past the pools */
		for (unsigned long i = 0; i < 1000; i++) {
			ASSERT_EQ(page_ref_count(page + i), 1);
			ASSERT_EQ(page[i].alloc_order, 0);
		}
		ASSERT_EQ(proc_field(m, "/proc/meminfo", "CmaFree"), 65536 - 4 * (long)held - 4000);
		ASSERT_EQ(proc_field(m, "/proc/meminfo", "MemFree"), free_before - 4000);
		ASSERT_EQ(boot_held(m), held + 1000);
		char *maxchunk = proc(m, "/sys/kernel/debug/cma/reserved/maxchunk");
		ASSERT_EQ(strtol(maxchunk, NULL, 10), 16384 - 1000 - (long)held);
		free(maxchunk);
		char *bitmap = proc(m, "/sys/kernel/debug/cma/reserved/bitmap");
		/* held + 1000 bits (1000 or 1128): whole words, then 8 bits. */
		ASSERT_EQ(strncmp(bitmap, "4294967295 4294967295", 21), 0);
		ASSERT_STR_CONTAINS(bitmap, " 4294967295 255 0 0 ");
		free(bitmap);
		/* The boot's pools were cma_alloc()s too, one per pool in the area. */
		ASSERT_EQ(proc_field(m, "/proc/vmstat", "cma_alloc_success"), 1 + (held ? 2 : 0));
		/* The pages are real memory: what is written there is read back. */
		memset(page_host_address(m, page), 0x5a, 1000 * PAGE_SIZE);
		ASSERT_EQ(((unsigned char *)page_host_address(m, page + 999))[PAGE_SIZE - 1], 0x5a);
		ASSERT_TRUE(verify_passes(m));
		/* An aligned one after it: order 9 alignment. */
		struct page *aligned = cma_alloc(m, cma, 512, 9, false);
		ASSERT_TRUE(aligned);
		ASSERT_EQ(page_to_pfn(m, aligned) % 512, 0);
		ASSERT_TRUE(page_to_pfn(m, aligned) >= cma->base_pfn + 1000);
		ASSERT_TRUE(verify_passes(m));
		ASSERT_TRUE(cma_release(m, cma, aligned, 512));
		ASSERT_TRUE(cma_release(m, cma, page, 1000));
		/* Pages that are not the area's are refused. */
		ASSERT_TRUE(!cma_release(m, cma, pfn_to_page(m, cma->base_pfn - 1), 1));
		drain_all_pages(m);
		ASSERT_EQ(proc_field(m, "/proc/meminfo", "CmaFree"), 65536 - 4 * (long)held);
		ASSERT_EQ(boot_held(m), held);
		/* All the area the pools left, then one page more than that. */
		page = cma_alloc(m, cma, 16384 - held, 0, false);
		ASSERT_TRUE(page);
		ASSERT_EQ(proc_field(m, "/proc/meminfo", "CmaFree"), 0);
		ASSERT_TRUE(cma_alloc(m, cma, 1, 0, true) == NULL);
		ASSERT_TRUE(cma_release(m, cma, page, 16384 - held));
		ASSERT_TRUE(cma_alloc(m, cma, 16385 - held, 0, false) == NULL);
		ASSERT_EQ(proc_field(m, "/proc/vmstat", "cma_alloc_fail"), 2);
		ASSERT_TRUE(verify_passes(m));
		mmsim_destroy(m);
	}
	return true;
}

/*
 * A page in use inside the area that cannot be migrated (a block from
 * alloc_pages, on no LRU list): the range that holds it is busy, cma_alloc
 * moves on to the next aligned start, and a request that cannot avoid it
 * fails with the kernel's report.
 */
static bool test_cma_alloc_busy(void)
{
	struct machine *m = boot_cma(MMSIM_ARCH_X86_64, 1024, "cma=512M", true);
	ASSERT_TRUE(m);
	struct cma *cma = dma_contiguous_default_area(m);
	struct zone *zone = page_zone(m, pfn_to_page(m, cma->base_pfn));
	/* Most of the free memory is CMA: a movable page lands there. */
	ASSERT_TRUE(zone_page_state(zone, NR_FREE_CMA_PAGES) * 2 > zone_page_state(zone, NR_FREE_PAGES));
	drain_all_pages(m);
	/*
	 * The atomic pools hold the area's first pages: the chunks they touch
	 * are not free. The busy page must be in a chunk of its own, past them
	 * (the first movable pages fill the pools' chunk's free part).
	 */
	unsigned long pool_chunks = DIV_ROUND_UP(boot_held(m), 512);
	struct page *busy = NULL, *filler[512];
	unsigned int nfill = 0;
	while (nfill < ARRAY_SIZE(filler)) {
		struct page *p = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
		ASSERT_TRUE(p && in_cma_block(m, p));
		if ((page_to_pfn(m, p) - cma->base_pfn) / 512 >= pool_chunks) {
			busy = p;
			break;
		}
		filler[nfill++] = p;
	}
	while (nfill)
		__free_pages(m, filler[--nfill], 0);
	ASSERT_TRUE(busy);
	unsigned long busy_pfn = page_to_pfn(m, busy);
	unsigned long busy_chunk = (busy_pfn - cma->base_pfn) / 512;

	/* 512-page chunks, aligned: every free chunk but the busy one is handed out, in order. */
	struct page *chunks[256];
	unsigned int nr = 0;
	for (; nr < 256; nr++) {
		chunks[nr] = cma_alloc(m, cma, 512, 9, true);
		if (!chunks[nr])
			break;
		unsigned long pfn = page_to_pfn(m, chunks[nr]);
		ASSERT_TRUE(busy_pfn < pfn || busy_pfn >= pfn + 512);
		unsigned long chunk = (pfn - cma->base_pfn) / 512;
		ASSERT_EQ(chunk, pool_chunks + nr < busy_chunk ? pool_chunks + nr : pool_chunks + nr + 1);
	}
	ASSERT_EQ(nr, cma->count / 512 - pool_chunks - 1);
	ASSERT_TRUE(verify_passes(m));
	/* Nothing left but the busy chunk: the kernel's report. */
	mmsim_dmesg_clear(m);
	ASSERT_TRUE(cma_alloc(m, cma, 512, 9, false) == NULL);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "cma: cma_alloc: reserved: alloc failed, req-size: 512 pages, "
			    "ret: -16\n");
	free(log);
	/* Once the page is gone, the chunk can be had. */
	__free_pages(m, busy, 0);
	struct page *last = cma_alloc(m, cma, 512, 9, false);
	ASSERT_TRUE(last);
	ASSERT_EQ((page_to_pfn(m, last) - cma->base_pfn) / 512, busy_chunk);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(cma_release(m, cma, last, 512));
	while (nr)
		ASSERT_TRUE(cma_release(m, cma, chunks[--nr], 512));
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* The frame that maps @addr in @pid's address space, or 0. */
static unsigned long pfn_of(struct machine *m, int pid, uint64_t addr)
{
	struct task_struct *t = find_task_by_pid(m, pid);
	uint64_t pte = 0;

	if (!t || !t->mm || !follow_pte(m, t->mm, addr, &pte))
		return 0;
	return (unsigned long)pte_pfn(m, pte);
}

/*
 * A process's anonymous pages in the area are movable: cma_alloc()
 * migrates them out (alloc_contig_range's migration step) and the process
 * reads back every byte it wrote, from its new frames. A page held by an
 * extra reference (a pin) cannot move: its range stays busy, cma_alloc
 * moves on, and the whole area cannot be had.
 */
static bool test_cma_migrates_user_pages(void)
{
	struct machine *m = boot_cma(MMSIM_ARCH_X86_64, 1024, "cma=512M", true);
	ASSERT_TRUE(m);
	struct cma *cma = dma_contiguous_default_area(m);
	int pid = mmsim_spawn(m, "user");
	ASSERT_TRUE(pid > 0);
	const uint64_t len = 8 * MiB;
	int64_t addr = mmsim_mmap(m, pid, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				  MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(addr > 0);
	/*
	 * Base pages: migrating a huge page (or splitting it) for
	 * alloc_contig_range is not in mm/migrate.c yet, so huge pages in the
	 * area would keep it busy.
	 */
	ASSERT_EQ(mmsim_madvise(m, pid, (uint64_t)addr, len, MMSIM_MADV_NOHUGEPAGE), 0);
	unsigned char buf[PAGE_SIZE];
	unsigned long in_cma = 0;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		memset(buf, (int)(off >> 12) & 0xff, sizeof(buf));
		buf[0] = 0xc3;
		ASSERT_EQ(mmsim_user_write(m, pid, (uint64_t)addr + off, buf, PAGE_SIZE, NULL), 0);
		unsigned long pfn = pfn_of(m, pid, (uint64_t)addr + off);
		in_cma += pfn >= cma->base_pfn && pfn < cma->base_pfn + cma->count;
	}
	/* Most of the free memory was CMA: the process's pages went there. */
	ASSERT_TRUE(in_cma > 1000);
	ASSERT_TRUE(verify_passes(m));
	long migrated = proc_field(m, "/proc/vmstat", "pgmigrate_success");

	/* The whole area past the atomic pools: every user page in it is moved out. */
	unsigned long pools = boot_held(m), rest = cma->count - pools;
	struct page *all = cma_alloc(m, cma, rest, 0, false);
	ASSERT_TRUE(all);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "pgmigrate_success") >= migrated + (long)in_cma);
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		unsigned long pfn = pfn_of(m, pid, (uint64_t)addr + off);
		ASSERT_TRUE(pfn < cma->base_pfn || pfn >= cma->base_pfn + cma->count);
		ASSERT_EQ(mmsim_user_read(m, pid, (uint64_t)addr + off, buf, PAGE_SIZE, NULL), 0);
		ASSERT_EQ(buf[0], 0xc3);
		ASSERT_EQ(buf[PAGE_SIZE - 1], (off >> 12) & 0xff);
	}
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(cma_release(m, cma, all, rest));
	drain_all_pages(m);

	/* Fault pages into the area again, and pin one of them. */
	int64_t more = mmsim_mmap(m, pid, 0, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				  MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(more > 0);
	ASSERT_EQ(mmsim_madvise(m, pid, (uint64_t)more, len, MMSIM_MADV_NOHUGEPAGE), 0);
	unsigned long pinned_pfn = 0;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		ASSERT_EQ(mmsim_user_write(m, pid, (uint64_t)more + off, buf, PAGE_SIZE, NULL), 0);
		unsigned long pfn = pfn_of(m, pid, (uint64_t)more + off);
		if (!pinned_pfn && pfn >= cma->base_pfn && pfn < cma->base_pfn + cma->count)
			pinned_pfn = pfn;
	}
	ASSERT_TRUE(pinned_pfn);
	struct page *pinned = pfn_to_page(m, pinned_pfn);
	get_page(pinned);
	mmsim_dmesg_clear(m);
	ASSERT_TRUE(cma_alloc(m, cma, rest, 0, false) == NULL);
	char *log = dmesg(m), want[96];
	snprintf(want, sizeof(want), "cma: cma_alloc: reserved: alloc failed, req-size: %lu pages, "
		 "ret: -16\n", rest);
	ASSERT_STR_CONTAINS(log, want);
	free(log);
	/* A chunk around the pin: busy; the next one is had, with the user pages moved out. */
	unsigned long chunk = ALIGN_DOWN(pinned_pfn - cma->base_pfn, 512UL);
	struct page *next = cma_alloc(m, cma, 512, 9, false);
	ASSERT_TRUE(next);
	unsigned long got = page_to_pfn(m, next) - cma->base_pfn;
	ASSERT_TRUE(got != chunk);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_TRUE(cma_release(m, cma, next, 512));
	__free_pages(m, pinned, 0);	/* the pin's reference */
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* dma_alloc_contiguous(): what dma_direct_alloc() will ask. */
static bool test_dma_contiguous(void)
{
	struct machine *m = boot_cma(MMSIM_ARCH_X86_64, 2048, "cma=64M", true);
	ASSERT_TRUE(m);
	struct cma *cma = dma_contiguous_default_area(m);
	/* A single page comes from the buddy allocator; so does a request that may not sleep. */
	ASSERT_TRUE(dma_alloc_contiguous(m, NULL, PAGE_SIZE, GFP_KERNEL) == NULL);
	ASSERT_TRUE(dma_alloc_contiguous(m, NULL, 65536, GFP_ATOMIC) == NULL);
	struct page *one = cma_alloc(m, cma, 1, 0, false);	/* so the next start is unaligned */
	struct page *page = dma_alloc_contiguous(m, NULL, 65536, GFP_KERNEL);
	ASSERT_TRUE(one && page);
	ASSERT_TRUE(cma_pages_valid(m, cma, page, 16));
	ASSERT_EQ(page_to_pfn(m, page) % 16, 0);	/* aligned to its order, 4 */
	dma_free_contiguous(m, NULL, page, 65536);
	dma_free_contiguous(m, NULL, one, PAGE_SIZE);
	/* A page not in the area goes back to the buddy allocator. */
	struct page *buddy = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(buddy && !cma_pages_valid(m, cma, buddy, 1));
	dma_free_contiguous(m, NULL, buddy, PAGE_SIZE);
	drain_all_pages(m);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "CmaFree"), 65536 - 4 * (long)boot_held(m));
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);

	/* Without CONFIG_CMA there is nothing to ask. */
	m = boot_cma(MMSIM_ARCH_X86_64, 2048, "cma=64M", false);
	ASSERT_TRUE(m);
	ASSERT_TRUE(dma_alloc_contiguous(m, NULL, 1 << 20, GFP_KERNEL) == NULL);
	mmsim_destroy(m);
	return true;
}

/*
 * A seeded walk over everything at once: cma_alloc and cma_release of
 * random sizes and alignments, movable and unmovable page blocks taken and
 * freed around them, pcp drains — verify after every few steps, no
 * unmovable block ever in a CMA pageblock, no cma_alloc range overlapping
 * a live one, and at the end every page back where it was.
 */
static bool test_cma_random_walk(void)
{
	struct machine *m = boot_cma(MMSIM_ARCH_X86_64, 512, "cma=128M", true);
	ASSERT_TRUE(m);
	struct cma *cma = dma_contiguous_default_area(m);
	drain_all_pages(m);
	long free_start = proc_field(m, "/proc/meminfo", "MemFree");
	unsigned long pools = boot_held(m);	/* the atomic pools', for good */
	struct { struct page *page; unsigned long count; } held[64];
	struct { struct page *page; unsigned int order; } blocks[256];
	unsigned int nheld = 0, nblocks = 0;
	uint64_t seed = 0x5eed0c3a;

	for (int step = 0; step < 600; step++) {
		uint64_t r = xorshift64(&seed);
		switch (r % 5) {
		case 0:
			if (nheld < 64) {
				unsigned long count = 1 + (r >> 8) % 700;
				unsigned int align = 5 + (unsigned int)((r >> 20) % 5);
				struct page *page = cma_alloc(m, cma, count, align, true);
				if (!page)
					break;
				unsigned long pfn = page_to_pfn(m, page);
				ASSERT_EQ(pfn % (1UL << align), 0);
				for (unsigned int i = 0; i < nheld; i++) {
					unsigned long q = page_to_pfn(m, held[i].page);
					ASSERT_TRUE(pfn + count <= q || q + held[i].count <= pfn);
				}
				held[nheld].page = page;
				held[nheld++].count = count;
			}
			break;
		case 1:
			if (nheld) {
				unsigned int i = (unsigned int)((r >> 8) % nheld);
				ASSERT_TRUE(cma_release(m, cma, held[i].page, held[i].count));
				held[i] = held[--nheld];
			}
			break;
		case 2:
		case 3:
			if (nblocks < 256) {
				bool movable = r & 0x100;
				unsigned int order = (unsigned int)((r >> 12) % 4);
				gfp_t gfp = (movable ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL) | __GFP_NOWARN;
				struct page *page = alloc_pages(m, gfp, order);
				if (!page)
					break;
				if (!movable)
					ASSERT_TRUE(!in_cma_block(m, page));
				blocks[nblocks].page = page;
				blocks[nblocks++].order = order;
			}
			break;
		default:
			if (nblocks) {
				unsigned int i = (unsigned int)((r >> 8) % nblocks);
				__free_pages(m, blocks[i].page, blocks[i].order);
				blocks[i] = blocks[--nblocks];
			}
			if (r & 0x10000)
				drain_all_pages(m);
			break;
		}
		if (step % 25 == 0)
			ASSERT_TRUE(verify_passes(m));
	}
	while (nheld--)
		ASSERT_TRUE(cma_release(m, cma, held[nheld].page, held[nheld].count));
	while (nblocks--)
		__free_pages(m, blocks[nblocks].page, blocks[nblocks].order);
	drain_all_pages(m);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "CmaFree"), 131072 - 4 * (long)pools);
	ASSERT_EQ(proc_field(m, "/proc/meminfo", "MemFree"), free_start);
	ASSERT_EQ(boot_held(m), pools);
	ASSERT_TRUE(proc_field(m, "/proc/vmstat", "cma_alloc_success") > 10);
	mmsim_destroy(m);
	return true;
}

/* A pageblock of @zone that is one free block (or part of one), or 0. */
static unsigned long free_pageblock(struct machine *m, struct zone *zone)
{
	for (unsigned long pfn = ALIGN_UP(zone->zone_start_pfn, MAX_ORDER_NR_PAGES);
	     pfn + MAX_ORDER_NR_PAGES <= zone_end_pfn(zone); pfn += MAX_ORDER_NR_PAGES) {
		struct page *page = pfn_to_page(m, pfn);
		if (PageBuddy(page) && page->private == MAX_ORDER - 1)
			return pfn;
	}
	return 0;
}

/*
 * Page isolation and alloc_contig_range() on ordinary movable pageblocks,
 * without CMA: isolated free pages leave NR_FREE_PAGES and come back; a
 * pageblock holding an unmovable page is refused, and with REPORT_FAILURE
 * the page is dumped as the kernel dumps it.
 */
static bool test_isolation(void)
{
	struct machine *m = boot_cma(MMSIM_ARCH_X86_64, 512, "", false);
	ASSERT_TRUE(m);
	struct zone *zone = machine_zone(m, ZONE_DMA32);
	drain_all_pages(m);
	unsigned long pfn = free_pageblock(m, zone);
	ASSERT_TRUE(pfn);
	long nr_free = zone_page_state(zone, NR_FREE_PAGES);
	/* An unaligned range: its pageblocks are isolated whole. */
	ASSERT_EQ(start_isolate_page_range(m, pfn + 7, pfn + 600, MIGRATE_MOVABLE, 0, GFP_KERNEL), 0);
	ASSERT_EQ(zone->nr_isolate_pageblock, 2);
	ASSERT_EQ(zone_page_state(zone, NR_FREE_PAGES), nr_free - 2 * (long)m->pageblock_nr_pages);
	char *pti = proc(m, "/proc/pagetypeinfo");
	ASSERT_STR_CONTAINS(pti, "type      Isolate      0      0      0      0      0      0      0"
			    "      0      0      0      1 ");
	free(pti);
	/* Free, whole: from the start of the free block; not from inside it (hence outer_start). */
	ASSERT_EQ(test_pages_isolated(m, pfn, pfn + 600, 0), 0);
	ASSERT_EQ(test_pages_isolated(m, pfn + 7, pfn + 600, 0), -MMSIM_EBUSY);
	ASSERT_TRUE(verify_passes(m));
	undo_isolate_page_range(m, pfn + 7, pfn + 600, MIGRATE_MOVABLE);
	ASSERT_EQ(zone->nr_isolate_pageblock, 0);
	ASSERT_EQ(zone_page_state(zone, NR_FREE_PAGES), nr_free);
	ASSERT_TRUE(verify_passes(m));

	/* alloc_contig_range() of free movable memory: the pages outside go back. */
	ASSERT_EQ(alloc_contig_range(m, pfn + 7, pfn + 600, MIGRATE_MOVABLE, GFP_KERNEL), 0);
	ASSERT_EQ(zone_page_state(zone, NR_FREE_PAGES), nr_free - 593);
	for (unsigned long p = pfn + 7; p < pfn + 600; p++)
		ASSERT_EQ(page_ref_count(pfn_to_page(m, p)), 1);
	ASSERT_EQ(page_ref_count(pfn_to_page(m, pfn + 6)), 0);
	ASSERT_TRUE(verify_passes(m));
	free_contig_range(m, pfn + 7, 593);
	drain_all_pages(m);
	ASSERT_EQ(zone_page_state(zone, NR_FREE_PAGES), nr_free);
	ASSERT_TRUE(PageBuddy(pfn_to_page(m, pfn)) && pfn_to_page(m, pfn)->private == MAX_ORDER - 1);
	ASSERT_TRUE(verify_passes(m));

	/* An unmovable page in the range: refused, and reported when asked. */
	struct page *pinned = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(pinned);
	unsigned long ppfn = page_to_pfn(m, pinned);
	unsigned long block = ALIGN_DOWN(ppfn, m->pageblock_nr_pages);
	mmsim_dmesg_clear(m);
	ASSERT_EQ(start_isolate_page_range(m, block, block + m->pageblock_nr_pages, MIGRATE_MOVABLE,
					   REPORT_FAILURE, GFP_KERNEL), -MMSIM_EBUSY);
	char *log = dmesg(m);
	/* The first unmovable page of the pageblock (there may be others before ours). */
	char *at = strstr(log, " pfn:0x");
	ASSERT_TRUE(at);
	unsigned long dumped = strtoul(at + 7, NULL, 16);
	ASSERT_TRUE(dumped >= block && dumped <= ppfn);
	ASSERT_STR_CONTAINS(log, "page dumped because: unmovable page\n");
	free(log);
	ASSERT_EQ(zone->nr_isolate_pageblock, 0);
	ASSERT_EQ(alloc_contig_range(m, ppfn, ppfn + 1, MIGRATE_MOVABLE, GFP_KERNEL), -MMSIM_EBUSY);
	ASSERT_EQ(zone->nr_isolate_pageblock, 0);
	__free_pages(m, pinned, 0);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* ---- the validators find what is wrong ------------------------------------------------ */

static unsigned long verify_count(struct machine *m, const char *needle)
{
	char *buf = NULL;
	unsigned long bad;

	CAPTURE(buf, bad = mmsim_verify(m, _f));
	if (needle && !strstr(buf, needle)) {
		fprintf(stderr, "verify did not say \"%s\":\n%s", needle, buf);
		bad = 0;
	}
	free(buf);
	return bad;
}

static bool test_validators(void)
{
	struct machine *m = boot_cma(MMSIM_ARCH_X86_64, 1024, "cma=512M", true);
	ASSERT_TRUE(m);
	struct cma *cma = dma_contiguous_default_area(m);
	struct zone *zone = page_zone(m, pfn_to_page(m, cma->base_pfn));
	ASSERT_EQ(verify_count(m, NULL), 0);

	zone->cma_pages--;
	ASSERT_TRUE(verify_count(m, "cma_pages is") > 0);
	zone->cma_pages++;
	m->cma->totalcma_pages++;
	ASSERT_TRUE(verify_count(m, "totalcma_pages is") > 0);
	m->cma->totalcma_pages--;
	zone->vm_stat[NR_FREE_CMA_PAGES]++;
	ASSERT_TRUE(verify_count(m, "NR_FREE_CMA_PAGES is") > 0);
	zone->vm_stat[NR_FREE_CMA_PAGES]--;

	/* An unmovable allocation in a CMA pageblock. */
	drain_all_pages(m);
	struct page *page = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
	ASSERT_TRUE(page && in_cma_block(m, page));
	page->alloc_migratetype = MIGRATE_UNMOVABLE;
	ASSERT_TRUE(verify_count(m, "was allocated as migratetype 0") > 0);
	page->alloc_migratetype = MIGRATE_MOVABLE;
	__free_pages(m, page, 0);

	/* A bitmap bit with no page behind it: the first past the atomic pools' pages. */
	unsigned long bit = boot_held(m) >> cma->order_per_bit;
	char what[48];
	snprintf(what, sizeof(what), "bitmap bit %lu is set", bit);
	cma->bitmap[bit / 8] |= (unsigned char)(1u << (bit % 8));
	ASSERT_TRUE(verify_count(m, what) > 0);
	cma->bitmap[bit / 8] &= (unsigned char)~(1u << (bit % 8));
	ASSERT_EQ(verify_count(m, NULL), 0);
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_debian_cma_is_unknown),
	TEST(test_config_choices),
	TEST(test_area_i386),
	TEST(test_area_x86_64),
	TEST(test_allocator_rules),
	TEST(test_cma_alloc_release),
	TEST(test_cma_alloc_busy),
	TEST(test_cma_migrates_user_pages),
	TEST(test_dma_contiguous),
	TEST(test_cma_random_walk),
	TEST(test_isolation),
	TEST(test_validators),
)
