/* test_boot.c — e820, memblock and zone sizing at boot.
 *
 * Expected numbers come from the real Linux 6.1 kernel booted under QEMU
 * (tests/fixtures/oracle/, /work/shared/reference/): zone boundaries,
 * spanned and present pages are exact; managed pages are within
 * MANAGED_SLACK (the simulator does not model every early allocation:
 * mmsim is within 53 pages of each fixture checked here, so a missing
 * boot reservation or a region never freed shows as a failure). */
#include "arch/x86/kernel/e820.h"
#include "mm/memblock.h"
#include "mm/percpu.h"
#include "helpers.h"
#include "test.h"

/* Managed pages: how far from the real kernel's a zone may be. */
#define MANAGED_SLACK 64

static bool test_qemu_e820_i386_2048M(void)
{
	struct e820_table t;

	char err[256];

	ASSERT_EQ(mmsim_e820_qemu(&t, MMSIM_ARCH_I386, 2048 * MiB, 0, err, sizeof(err)), 0);
	ASSERT_EQ(t.nr_entries, 6);
	ASSERT_EQ(t.entries[0].addr, 0);
	ASSERT_EQ(t.entries[0].size, 0x9fc00);
	ASSERT_EQ(t.entries[3].addr, 0x100000);
	ASSERT_EQ(t.entries[3].addr + t.entries[3].size - 1, 0x7ffdffff);
	ASSERT_EQ(t.entries[3].type, E820_TYPE_RAM);
	ASSERT_EQ(t.entries[4].addr, 0x7ffe0000);
	ASSERT_EQ(t.entries[5].addr, 0xfffc0000);
	return true;
}

/* QEMU keeps 3 GiB below 4 GiB once RAM reaches 3.5 GiB; the rest goes above. */
static bool test_qemu_e820_x86_64_8192M(void)
{
	struct e820_table t;

	char err[256];

	ASSERT_EQ(mmsim_e820_qemu(&t, MMSIM_ARCH_X86_64, 8192 * MiB, 0, err, sizeof(err)), 0);
	ASSERT_EQ(t.nr_entries, 8);
	ASSERT_EQ(t.entries[3].addr + t.entries[3].size - 1, 0xbffdffff);
	ASSERT_EQ(t.entries[6].addr, 0x100000000ULL);
	ASSERT_EQ(t.entries[6].addr + t.entries[6].size - 1, 0x23fffffffULL);
	ASSERT_EQ(t.entries[7].addr, 0xfd00000000ULL);
	ASSERT_EQ(t.entries[7].type, E820_TYPE_RESERVED);
	return true;
}

static bool test_e820_parse_formats(void)
{
	struct e820_table t;
	char err[128];
	const char *text =
		"# a comment\n"
		"0x0-0x9fbff usable\n"
		"[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
		"BIOS-e820: [mem 0x0000000000100000-0x0000000007ffffff] usable  # trailing\n"
		"0x8000000-0x80fffff ACPI data\n";

	ASSERT_EQ(mmsim_e820_parse(text, &t, err, sizeof(err)), 0);
	ASSERT_EQ(t.nr_entries, 4);
	ASSERT_EQ(t.entries[2].addr, 0x100000);
	ASSERT_EQ(t.entries[2].size, 0x7f00000);
	ASSERT_EQ(t.entries[3].type, E820_TYPE_ACPI);
	return true;
}

static bool test_e820_parse_errors_name_the_line(void)
{
	struct e820_table t;
	char err[256];

	ASSERT_TRUE(mmsim_e820_parse("0x0-0x9ffff usable\n0x1000-0x2000 usable\n", &t, err, sizeof(err)) < 0);
	ASSERT_STR_CONTAINS(err, "overlap");
	ASSERT_TRUE(mmsim_e820_parse("0x0-0x9ffff usable\n\n0x100000-0x200000 rom\n", &t, err, sizeof(err)) < 0);
	ASSERT_STR_CONTAINS(err, "3: unknown e820 type 'rom'");
	ASSERT_TRUE(mmsim_e820_parse("0x2000-0x1000 usable\n", &t, err, sizeof(err)) < 0);
	ASSERT_STR_CONTAINS(err, "1: end 0x1000 is below start 0x2000");
	ASSERT_TRUE(mmsim_e820_parse("zz-0x1000 usable\n", &t, err, sizeof(err)) < 0);
	ASSERT_STR_CONTAINS(err, "1: expected START-END");
	ASSERT_TRUE(mmsim_e820_parse("# nothing\n", &t, err, sizeof(err)) < 0);
	ASSERT_STR_CONTAINS(err, "no entries");
	return true;
}

static bool test_memblock_top_down(void)
{
	struct machine *m = calloc(1, sizeof(*m));

	ASSERT_TRUE(m);
	ASSERT_EQ(memblock_init(m), 0);
	memblock_add(m, 0x100000, 0x7f00000);		/* 1 MiB .. 128 MiB */
	memblock_reserve(m, 0x7000000, 0x1000000);	/* 112..128 MiB taken */
	m->memblock.current_limit = 0x8000000;
	/* The highest free fit, aligned. */
	ASSERT_EQ(memblock_alloc(m, 0x3000, 0x1000), 0x6ffd000);
	ASSERT_EQ(memblock_alloc(m, 0x100000, 0x100000), 0x6e00000);
	/* Reserved regions merge; freeing splits one. */
	ASSERT_EQ(m->memblock.reserved.cnt, 2);
	memblock_phys_free(m, 0x7400000, 0x1000);
	ASSERT_EQ(m->memblock.reserved.cnt, 3);
	/* Free ranges are memory minus reserved, in pfns. */
	unsigned long idx = 0, s, e, n = 0, pages = 0;
	while (memblock_next_free_pfn_range(m, &idx, &s, &e)) {
		n++;
		pages += e - s;
	}
	/* [1M, 0x6e00000), the gap left below the 12 KiB block, the freed page. */
	ASSERT_EQ(n, 3);
	ASSERT_EQ(pages, (0x6e00000 - 0x100000) / 4096 + (0x6ffd000 - 0x6f00000) / 4096 + 1);
	/* Too big: no fit. */
	ASSERT_EQ(memblock_alloc(m, 0x8000000, 0x1000), 0);
	ASSERT_EQ(memblock_verify(m, stderr), 0);
	memblock_release(m);
	free(m);
	return true;
}

static struct zone *Z(struct machine *m, enum zone_type t)
{
	return &m->node.node_zones[t];
}

/* Real 686 kernel, 2048 MiB: DMA 1..0xfff, Normal ..0x36bfd, HighMem ..0x7ffdf. */
static bool test_i386_2048M_zones(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);

	ASSERT_TRUE(m);
	ASSERT_EQ(m->max_pfn, 0x7ffe0);
	ASSERT_EQ(m->max_low_pfn, 0x36bfe);
	ASSERT_EQ(m->vmalloc_end, 0xfebfe000);
	ASSERT_EQ(Z(m, ZONE_DMA)->zone_start_pfn, 1);
	ASSERT_EQ(Z(m, ZONE_DMA)->spanned_pages, 4095);
	ASSERT_EQ(Z(m, ZONE_DMA)->present_pages, 3998);
	ASSERT_EQ(Z(m, ZONE_DMA)->managed_pages, 3840);
	ASSERT_EQ(Z(m, ZONE_NORMAL)->spanned_pages, 220158);
	ASSERT_EQ(Z(m, ZONE_NORMAL)->present_pages, 220158);
	ASSERT_NEAR(Z(m, ZONE_NORMAL)->managed_pages, 211217, MANAGED_SLACK);
	ASSERT_EQ(Z(m, ZONE_HIGHMEM)->zone_start_pfn, 0x36bfe);
	ASSERT_EQ(Z(m, ZONE_HIGHMEM)->spanned_pages, 300002);
	ASSERT_EQ(Z(m, ZONE_HIGHMEM)->managed_pages, 300002);
	ASSERT_TRUE(!Z(m, ZONE_DMA32)->configured);
	/* Watermarks (real: DMA 190/237/284, HighMem 128/3853/7578). */
	ASSERT_NEAR(min_wmark_pages(Z(m, ZONE_DMA)), 190, 2);
	ASSERT_NEAR(high_wmark_pages(Z(m, ZONE_DMA)), 284, 3);
	ASSERT_EQ(min_wmark_pages(Z(m, ZONE_HIGHMEM)), 128);
	ASSERT_NEAR(low_wmark_pages(Z(m, ZONE_HIGHMEM)), 3853, 39);
	ASSERT_EQ(Z(m, ZONE_NORMAL)->lowmem_reserve[ZONE_HIGHMEM], 300002 / 32);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n");
	ASSERT_STR_CONTAINS(log, "  Normal   [mem 0x0000000001000000-0x0000000036bfdfff]\n");
	ASSERT_STR_CONTAINS(log, "  HighMem  [mem 0x0000000036bfe000-0x000000007ffdffff]\n");
	ASSERT_STR_CONTAINS(log, "] 1171MB HIGHMEM available.\n");
	ASSERT_STR_CONTAINS(log, "] 875MB LOWMEM available.\n");
	ASSERT_STR_CONTAINS(log, "On node 0, zone DMA: 97 pages in unavailable ranges\n");
	ASSERT_STR_CONTAINS(log, "Built 1 zonelists, mobility grouping on.  Total pages: 521968\n");
	ASSERT_STR_CONTAINS(log, "Dentry cache hash table entries: 131072 (order: 7, 524288 bytes, linear)");
	free(log);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* Small machines have no HighMem at all; its range prints "empty". */
static bool test_i386_512M_has_empty_highmem(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 512, 1);

	ASSERT_TRUE(m);
	ASSERT_EQ(m->max_low_pfn, m->max_pfn);
	ASSERT_EQ(Z(m, ZONE_HIGHMEM)->spanned_pages, 0);
	ASSERT_TRUE(!Z(m, ZONE_MOVABLE)->is_highmem);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "  HighMem  empty\n");
	ASSERT_STR_CONTAINS(log, "0MB HIGHMEM available.");
	free(log);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* A non-PAE kernel cannot address RAM above 4 GiB and ignores it. */
static bool test_i386_4096M_ignores_ram_above_4G(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 4096, 1);

	ASSERT_TRUE(m);
	ASSERT_EQ(m->max_pfn, 0xbffe0);
	ASSERT_EQ(zone_end_pfn(Z(m, ZONE_HIGHMEM)), 0xbffe0);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable");
	ASSERT_STR_LACKS(log, "node   0: [mem 0x0000000100000000");
	free(log);
	mmsim_destroy(m);
	return true;
}

/* classic: the textbook 896 MiB of lowmem, pkmap at 4G-8M. */
static bool test_classic_profile_896M_lowmem(void)
{
	struct machine *m = boot_profile("classic", MMSIM_ARCH_I386, 2048, 2);
	ASSERT_TRUE(m);
	ASSERT_EQ(m->max_low_pfn, 896 * 256);
	ASSERT_EQ(m->pkmap_base, 0xff800000);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "896MB LOWMEM available.");
	free(log);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* Real amd64 kernel, 8 GiB: DMA32 ends at 4 GiB, Normal holds the rest. */
static bool test_x86_64_8192M_zones(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 8192, 1);

	ASSERT_TRUE(m);
	ASSERT_EQ(Z(m, ZONE_DMA)->managed_pages, 3840);
	ASSERT_EQ(Z(m, ZONE_DMA32)->spanned_pages, 1044480);
	ASSERT_EQ(Z(m, ZONE_DMA32)->present_pages, 782304);
	ASSERT_EQ(Z(m, ZONE_NORMAL)->spanned_pages, 1310720);
	ASSERT_EQ(Z(m, ZONE_NORMAL)->present_pages, 1310720);
	/* With the kernel at 16 MiB (nokaslr) the real kernel manages 754602 / 1274563. */
	ASSERT_NEAR(Z(m, ZONE_DMA32)->managed_pages, 754602, MANAGED_SLACK);
	ASSERT_NEAR(Z(m, ZONE_NORMAL)->managed_pages, 1274563, MANAGED_SLACK);
	ASSERT_TRUE(!Z(m, ZONE_HIGHMEM)->configured);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "  DMA32    [mem 0x0000000001000000-0x00000000ffffffff]\n");
	ASSERT_STR_CONTAINS(log, "  Normal   [mem 0x0000000100000000-0x000000023fffffff]\n");
	ASSERT_STR_CONTAINS(log, "  Device   empty\n");
	ASSERT_STR_CONTAINS(log, "On node 0, zone Normal: 32 pages in unavailable ranges\n");
	free(log);
	char *sysctl = proc(m, "/proc/sys/vm/min_free_kbytes");
	ASSERT_STR_CONTAINS(sysctl, "67584\n");	/* THP: 3 zones x 11 pageblocks x 2 MiB */
	free(sysctl);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * The smallest and the largest fixtures, 1 CPU as captured: on 34 MiB
 * the boot's hash tables are a quarter of Normal's managed pages; on
 * 16 GiB the freed init memory is 6,000 pages. Either left out shows.
 */
static bool test_i386_34M_managed(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 34, 1);

	ASSERT_TRUE(m);
	ASSERT_EQ(Z(m, ZONE_DMA)->managed_pages, 3840);
	ASSERT_NEAR(Z(m, ZONE_NORMAL)->managed_pages, 846, MANAGED_SLACK / 4);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

static bool test_x86_64_16G_managed(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 16384, 1);

	ASSERT_TRUE(m);
	ASSERT_EQ(Z(m, ZONE_DMA)->managed_pages, 3840);
	ASSERT_NEAR(Z(m, ZONE_DMA32)->managed_pages, 754602, MANAGED_SLACK);
	ASSERT_NEAR(Z(m, ZONE_NORMAL)->managed_pages, 3335872, MANAGED_SLACK);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

static bool test_boot_refuses_impossible_machines(void)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.mem_bytes = 24 * MiB;		/* the 15 MiB image at 16 MiB does not fit */
	ASSERT_TRUE(!mmsim_boot(&d, err, sizeof(err)));
	ASSERT_STR_CONTAINS(err, "RAM too small");
	mmsim_desc_init(&d);
	d.nr_cpus = 33;			/* NR_CPUS=32 on Debian's 686 */
	ASSERT_TRUE(!mmsim_boot(&d, err, sizeof(err)));
	ASSERT_STR_CONTAINS(err, "33 CPUs");
	mmsim_desc_init(&d);
	d.profile = "linux-2.4";
	ASSERT_TRUE(!mmsim_boot(&d, err, sizeof(err)));
	ASSERT_STR_CONTAINS(err, "unknown profile");
	mmsim_desc_init(&d);
	d.e820_given = true;
	ASSERT_EQ(mmsim_e820_parse("0x0-0x9fbff usable\n0x100000-0x7ffffff usable\n0x7000000-0x8ffffff reserved\n",
			     &d.e820, err, sizeof(err)), -MMSIM_EINVAL);
	ASSERT_STR_CONTAINS(err, "overlap");
	return true;
}

/*
 * A map whose RAM starts just below 16 MiB leaves ZONE_DMA 64 KiB: the
 * DMA atomic pool's order-7 block cannot come from it, so the postcore
 * initcall enters direct reclaim (nothing to reclaim, and no swap state
 * has been set up by any initcall yet) before falling back to smaller
 * orders, warning for each as the kernel's swapper/0 does, and the boot
 * goes on with a 64 KiB pool.
 */
static bool test_boot_reclaims_before_swap_setup(void)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.arch = MMSIM_ARCH_X86_64;
	d.nr_cpus = 1;
	d.e820_given = true;
	ASSERT_EQ(mmsim_e820_parse("0x00000fefbf0-0x0000fefbffff usable\n", &d.e820, err, sizeof(err)), 0);
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	ASSERT_TRUE(m);
	ASSERT_EQ(verify(m), 0);
	char *log = dmesg(m);
	ASSERT_TRUE(log);
	ASSERT_STR_CONTAINS(log, "swapper/0: page allocation failure: order:7, mode:0xcc1(GFP_KERNEL|GFP_DMA)");
	ASSERT_STR_CONTAINS(log, "DMA: preallocated 64 KiB GFP_KERNEL|GFP_DMA pool for atomic allocations");
	ASSERT_TRUE(!strstr(log, "order:4, mode:0xcc1"));
	free(log);
	mmsim_destroy(m);
	return true;
}

/*
 * A table given through the API, not parsed: boot's sanitizer refuses
 * entries that overlap by a single byte, and merges ones that touch.
 */
static bool test_e820_api_table_one_byte_overlap(void)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.e820_given = true;
	d.e820.nr_entries = 2;
	d.e820.entries[0] = (struct e820_entry){ 0x100000, 0x4000000, E820_TYPE_RAM };
	d.e820.entries[1] = (struct e820_entry){ 0x40fffff, 0x1000000, E820_TYPE_RESERVED };
	ASSERT_TRUE(!mmsim_boot(&d, err, sizeof(err)));
	ASSERT_STR_CONTAINS(err, "e820 entries overlap");
	/* Touching is not overlapping: the two RAM ranges become one. */
	d.e820.entries[0] = (struct e820_entry){ 0, 0x9fc00, E820_TYPE_RAM };
	d.e820.entries[1] = (struct e820_entry){ 0x100000, 0x2000000, E820_TYPE_RAM };
	d.e820.entries[2] = (struct e820_entry){ 0x2100000, 0x2000000, E820_TYPE_RAM };
	d.e820.nr_entries = 3;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	ASSERT_TRUE(m);
	char *log = dmesg(m);
	ASSERT_TRUE(log);
	ASSERT_STR_CONTAINS(log, "BIOS-e820: [mem 0x0000000000100000-0x00000000040fffff] usable");
	free(log);
	mmsim_destroy(m);
	return true;
}

/* A machine's state is its own: two machines do not share anything. */
static bool test_machines_are_independent(void)
{
	struct machine *a = boot(MMSIM_ARCH_I386, 256, 1);
	struct machine *b = boot(MMSIM_ARCH_X86_64, 1024, 2);

	ASSERT_TRUE(a && b);
	unsigned long fa = global_zone_page_state(a, NR_FREE_PAGES);
	struct page *p = alloc_pages(b, GFP_KERNEL, 4);
	ASSERT_TRUE(p);
	ASSERT_EQ(global_zone_page_state(a, NR_FREE_PAGES), fa);
	__free_pages(b, p, 4);
	ASSERT_EQ(verify(a) + verify(b), 0);
	mmsim_destroy(a);
	mmsim_destroy(b);
	return true;
}

/*
 * Every --mem the options accept, from 16M to 1T, boots or fails with one
 * line saying why (RAM too small for the kernel): never an e820 overlap,
 * never a crash (the kernel's image and early allocations need about 20M on
 * i386 and 80M on x86_64). The sizes step geometrically and straddle each place where
 * QEMU's map changes shape: 3.5 GiB (RAM splits around the PCI hole), 64 GiB
 * (SMBIOS tables leave the F-segment), 1009 GiB (RAM moves past the
 * HyperTransport hole). Machines that boot hold all the RAM asked for.
 */
static bool test_every_size_boots_or_says_why(void)
{
	uint64_t sizes[400];
	unsigned int n = 0;
	for (uint64_t mib = 16; mib <= (1u << 20); mib = mib * 9 / 8 + 1)
		sizes[n++] = mib;
	static const uint64_t edges[] = { 3583, 3584, 3585, 65535, 65536, 65537, 1033215, 1033216,
					  1033217, 1034240, 1048575, 1048576 };
	for (unsigned int i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		sizes[n++] = edges[i];
	unsigned int booted = 0;
	for (int arch = 0; arch < 2; arch++)
		for (unsigned int i = 0; i < n; i++) {
			struct machine_desc d;
			char err[256] = "";
			mmsim_desc_init(&d);
			d.arch = arch ? MMSIM_ARCH_X86_64 : MMSIM_ARCH_I386;
			d.mem_bytes = sizes[i] * MiB;
			struct machine *m = mmsim_boot(&d, err, sizeof(err));
			if (!m) {
				/* Only machines too small for the kernel's image and early allocations. */
				if (!*err || strchr(err, '\n') || strstr(err, "overlap") || sizes[i] >= 128) {
					fprintf(stderr, "%s %" PRIu64 "M: %s\n", arch ? "x86_64" : "i386",
						sizes[i], err);
					return false;
				}
				continue;
			}
			uint64_t ram = 0;
			for (unsigned int e = 0; e < m->e820_firmware.nr_entries; e++)
				if (m->e820_firmware.entries[e].type == E820_TYPE_RAM)
					ram += m->e820_firmware.entries[e].size;
			/* All of it, less what SeaBIOS keeps: the EBDA, 640K-1M and its high tables. */
			ASSERT_TRUE(ram <= sizes[i] * MiB && ram + 0x21000 + 0x60400 >= sizes[i] * MiB);
			if (i % 16 == 0)
				ASSERT_TRUE(verify_passes(m));
			booted++;
			mmsim_destroy(m);
		}
	ASSERT_TRUE(booted + 20 > 2 * n);	/* the few below 128M at most */
	return true;
}

/*
 * The percpu first chunk's units, as pcpu_build_alloc_info() groups them:
 * as many units share one 2 MiB allocation as leave no more than a third
 * of them without a CPU. The real amd64 kernel prints these unit sizes for
 * 3, 5, 6, 8 and 9 CPUs (captures in tests/fixtures/oracle/smp and with
 * `capture --smp N`), and its Percpu counts every unit: 4 for 3 CPUs, 6 for
 * 5, 8 for 6 — 65 pages each, the first chunk's 62 and the 3 the balance
 * work populates in the second chunk it creates (docs/notes/percpu.md).
 */
static bool test_percpu_units_per_allocation(void)
{
	static const struct { unsigned int cpus; const char *unit; unsigned int units; } cases[] = {
		{ 1, "u2097152", 1 }, { 2, "u1048576", 2 }, { 3, "u524288", 4 }, { 5, "u1048576", 6 },
		{ 6, "u262144", 8 }, { 8, "u262144", 8 }, { 9, "u524288", 12 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct machine *m = boot(MMSIM_ARCH_X86_64, 2048, cases[i].cpus);
		ASSERT_TRUE(m);
		char *log = dmesg(m), want[96];
		snprintf(want, sizeof(want), "percpu: Embedded 62 pages/cpu s217088 r8192 d28672 %s\n",
			 cases[i].unit);
		ASSERT_STR_CONTAINS(log, want);
		free(log);
		ASSERT_EQ(m->pcpu_nr_pages, 65 * cases[i].units);
		ASSERT_EQ(pcpu_nr_chunks(m), 2);
		ASSERT_EQ(verify(m), 0);
		mmsim_destroy(m);
	}
	/* 686: a page-sized atom, one 33-page unit per CPU. */
	struct machine *m = boot(MMSIM_ARCH_I386, 512, 3);
	ASSERT_TRUE(m);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, " u135168\n");
	free(log);
	ASSERT_EQ(m->pcpu_nr_pages, 33 * 3);
	ASSERT_EQ(pcpu_nr_chunks(m), 1);	/* 2 empty pages left: no balance work */
	mmsim_destroy(m);
	return true;
}

static unsigned int count_lines_with(const char *text, const char *needle)
{
	unsigned int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/*
 * Past the boot, alloc_percpu() fills the second chunk, then makes a third:
 * a 2 MiB area below the second's at the top of the vmalloc space, and its
 * maps under pcpu_create_chunk. Every populated page is a page per CPU, so
 * Percpu grows by the units' count for each; an allocation larger than a
 * unit is refused. verify checks each unit's pages are mapped as recorded.
 */
static bool test_percpu_chunks_grow(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 512, 2);
	ASSERT_TRUE(m);
	unsigned long before = m->pcpu_nr_pages, free_before = global_zone_page_state(m, NR_FREE_PAGES);
	ASSERT_EQ(pcpu_alloc(m, 2 * 1024 * 1024, 8), -MMSIM_EINVAL);	/* the unit is 1 MiB */
	ASSERT_EQ(pcpu_alloc(m, 64, 3), -MMSIM_EINVAL);
	/* 1 MiB per unit in 4 KiB objects: the second chunk fills, a third is made. */
	for (int i = 0; i < 300; i++)
		ASSERT_EQ(pcpu_alloc(m, 4096, 8), 0);
	ASSERT_EQ(pcpu_nr_chunks(m), 3);
	ASSERT_TRUE(m->pcpu_nr_pages >= before + 2 * 300);
	ASSERT_EQ(m->pcpu_nr_pages % 2, 0);
	ASSERT_TRUE(free_before - global_zone_page_state(m, NR_FREE_PAGES) >= m->pcpu_nr_pages - before);
	char *info = proc(m, "/proc/vmallocinfo");
	ASSERT_TRUE(info);
	ASSERT_EQ(count_lines_with(info, " pcpu_get_vm_areas+0x0/0x1080 vmalloc\n"), 2);
	ASSERT_STR_CONTAINS(info, "0xffffe8ffffa00000-0xffffe8ffffc00000 2097152 pcpu_get_vm_areas");
	ASSERT_EQ(count_lines_with(info, " pcpu_create_chunk+0x4e/0x1b0 pages=8 "), 2);
	free(info);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * When no chunk can be had, pcpu_alloc() fails with the kernel's warning,
 * printed for the first ten failures and then silenced with a last line;
 * an illegal size or alignment is a WARN. Nothing is left half made.
 * mmsim bounds the chunks at 64 (i386's 132 KiB units: 8 MiB of vmalloc
 * space in all).
 */
static bool test_percpu_failures_warn(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 512, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(pcpu_alloc(m, 16, 8192), -MMSIM_EINVAL);	/* align past a page */
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "illegal size (16) or align (8192) for percpu allocation\n");
	ASSERT_STR_CONTAINS(log, "WARNING: CPU: 0 PID: 1 at mm/percpu.c pcpu_alloc\n");
	free(log);
	int err = 0;
	unsigned int allocs = 0;
	while (!(err = pcpu_alloc(m, 4096, 4096)))
		ASSERT_TRUE(++allocs < 64 * 33);	/* 33 pages a unit, a page each */
	ASSERT_EQ(err, -MMSIM_ENOMEM);
	ASSERT_EQ(pcpu_nr_chunks(m), 64);
	for (int i = 0; i < 12; i++)
		ASSERT_EQ(pcpu_alloc(m, 4096, 4096), -MMSIM_ENOMEM);
	log = dmesg(m);
	ASSERT_EQ(count_lines_with(log, "percpu: allocation failed, size=4096 align=4096 atomic=0, "
				   "failed to allocate new chunk\n"), 10);
	ASSERT_EQ(count_lines_with(log, "percpu: limit reached, disable warning\n"), 1);
	free(log);
	ASSERT_EQ(m->pcpu_nr_pages, 33 + 63 * 33);	/* every unit populated whole */
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * The DMA atomic pools (amd64 only): 128 KiB per GiB, rounded up to a
 * block, as the real kernel printed them at 512M, 2G, 3G, 8G and 16G; one
 * per zone, each a gen_pool chunk in /proc/vmallocinfo beside the
 * machine-check pool's.
 */
static bool test_dma_atomic_pools(void)
{
	static const struct { uint64_t mib; unsigned int kib; } cases[] = {
		{ 512, 128 }, { 2048, 256 }, { 3072, 512 }, { 8192, 1024 }, { 16384, 2048 },
	};
	static const char *const zones[] = { "GFP_KERNEL", "GFP_KERNEL|GFP_DMA", "GFP_KERNEL|GFP_DMA32" };
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct machine *m = boot(MMSIM_ARCH_X86_64, cases[i].mib, 1);
		ASSERT_TRUE(m);
		char *log = dmesg(m), want[96];
		for (size_t z = 0; z < ARRAY_SIZE(zones); z++) {
			snprintf(want, sizeof(want), "DMA: preallocated %u KiB %s pool for atomic allocations\n",
				 cases[i].kib, zones[z]);
			ASSERT_STR_CONTAINS(log, want);
		}
		free(log);
		char *info = proc(m, "/proc/vmallocinfo");
		int chunks = 0;
		for (const char *p = info; (p = strstr(p, " gen_pool_add_owner+")); p++)
			chunks++;
		free(info);
		ASSERT_EQ(chunks, 4);
		ASSERT_EQ(verify(m), 0);
		mmsim_destroy(m);
	}
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);	/* 686: no DMA_COHERENT_POOL */
	ASSERT_TRUE(m);
	char *log = dmesg(m);
	ASSERT_STR_LACKS(log, "DMA: preallocated");
	free(log);
	mmsim_destroy(m);
	return true;
}

/*
 * printk's log buffer grows by 4 KiB per CPU past the first once that is
 * more than half its static 128 KiB (18 CPUs): with 32, as the real amd64
 * kernel prints, a 256 KiB buffer with its 8192 descriptors (24 bytes) and
 * infos (88 bytes) from memblock, 1152 KiB that MemTotal loses beside the
 * 16 more percpu units (248 KiB each).
 */
static bool test_log_buf_grows_with_cpus(void)
{
	struct machine *m16 = boot(MMSIM_ARCH_X86_64, 2048, 16), *m32 = boot(MMSIM_ARCH_X86_64, 2048, 32);
	ASSERT_TRUE(m16 && m32);
	char *log16 = dmesg(m16), *log32 = dmesg(m32);
	ASSERT_STR_LACKS(log16, "log_buf_len");
	ASSERT_STR_CONTAINS(log32, "printk: log_buf_len individual max cpu contribution: 4096 bytes\n"
			    "[    0.000000] printk: log_buf_len total cpu_extra contributions: 126976 bytes\n"
			    "[    0.000000] printk: log_buf_len min size: 131072 bytes\n"
			    "[    0.000000] printk: log_buf_len: 262144 bytes\n");
	ASSERT_STR_CONTAINS(log32, "printk: early log buf free: ");
	free(log16);
	free(log32);
	ASSERT_EQ(proc_field(m16, "/proc/meminfo", "MemTotal") - proc_field(m32, "/proc/meminfo", "MemTotal"),
		  16 * 248 + 256 + 192 + 704);
	ASSERT_EQ(verify(m32), 0);
	mmsim_destroy(m16);
	mmsim_destroy(m32);
	return true;
}

TEST_MAIN(
	TEST(test_log_buf_grows_with_cpus),
	TEST(test_dma_atomic_pools),
	TEST(test_percpu_units_per_allocation),
	TEST(test_percpu_chunks_grow),
	TEST(test_percpu_failures_warn),
	TEST(test_qemu_e820_i386_2048M),
	TEST(test_qemu_e820_x86_64_8192M),
	TEST(test_e820_parse_formats),
	TEST(test_e820_parse_errors_name_the_line),
	TEST(test_memblock_top_down),
	TEST(test_i386_2048M_zones),
	TEST(test_i386_512M_has_empty_highmem),
	TEST(test_i386_4096M_ignores_ram_above_4G),
	TEST(test_classic_profile_896M_lowmem),
	TEST(test_x86_64_8192M_zones),
	TEST(test_i386_34M_managed),
	TEST(test_x86_64_16G_managed),
	TEST(test_boot_refuses_impossible_machines),
	TEST(test_e820_api_table_one_byte_overlap),
	TEST(test_boot_reclaims_before_swap_setup),
	TEST(test_machines_are_independent),
	TEST(test_every_size_boots_or_says_why),
)
