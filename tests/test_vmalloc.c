/* test_vmalloc.c — the vmalloc area: bounds against the real kernel's
 * VmallocTotal, allocation with guard pages, HighMem pages seen through two
 * mappings, the lazy purge and its TLB flush, exhaustion, ioremap, the
 * /proc/vmallocinfo format and the validator (the commands are test_cli.c's). */
#include <dirent.h>

#include "arch/x86/mmu.h"
#include "helpers.h"
#include "mm/vmalloc.h"
#include "test.h"

/* Boot and make sure the vmalloc area is set up (boot may already do it). */
static struct machine *vboot(enum mmsim_arch arch, uint64_t mem_mib, unsigned int cpus)
{
	struct machine *m = boot(arch, mem_mib, cpus);

	if (m && vmalloc_init(m)) {
		mmsim_destroy(m);
		return NULL;
	}
	return m;
}

static void vdestroy(struct machine *m)
{
	vmalloc_release(m);	/* harmless if mmsim_destroy() does it too */
	mmsim_destroy(m);
}

static char *vmallocinfo(struct machine *m)
{
	char *buf = NULL;
	CAPTURE(buf, proc_vmallocinfo_show(m, _f));
	return buf;
}

/*
 * Where the next area goes: past the areas the boot left (ACPI's, the
 * HPET's and the DMI table's mappings, the PTP classifier's BPF program,
 * zswap's scratch buffers, the console's n_tty buffers), found as the
 * kernel would place a one-page area.
 */
static uint64_t first_free(struct machine *m)
{
	uint64_t a = vmalloc(m, PAGE_SIZE);

	vfree(m, a);
	purge_vmap_area_lazy(m);
	return a;
}

static unsigned long vverify(struct machine *m)
{
	return vmalloc_verify(m, stderr);
}

static bool kernel_pte_present(struct machine *m, uint64_t va)
{
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;

	return pt_lookup(m, m->swapper_pg_dir, va, &level, &table, &idx) &&
	       (pt_read(m, table, idx) & _PAGE_PRESENT);
}

static __attribute__((noinline)) int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* ---- the area's bounds --------------------------------------------------------- */

/* The directory of the real kernel's captures, next to this file. */
static const char *fixture_dir(void)
{
	static char dir[1024];
	const char *slash = strrchr(__FILE__, '/');
	int n = slash ? (int)(slash - __FILE__) : 1;

	snprintf(dir, sizeof(dir), "%.*s/fixtures/oracle", n, slash ? __FILE__ : ".");
	return dir;
}

/* The value of a ===MEMINFO key, and the first ===VMALLOCINFO address. */
/*
 * @key's value in the capture's /proc/meminfo, the first vmalloc area's
 * address, and in *@stack_kb the kB its vmallocinfo gives the task stacks
 * mmsim does not make yet (x86_64's kernel_clone and fork_idle areas).
 */
static bool read_fixture(const char *path, const char *key, uint64_t *value, uint64_t *first_area,
			 uint64_t *stack_kb)
{
	FILE *f = fopen(path, "r");
	char line[512];
	const char *section = "";
	bool found = false;

	if (!f)
		return false;
	*first_area = 0;
	*stack_kb = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "===", 3)) {
			section = !strncmp(line, "===MEMINFO\n", 11) ? "meminfo" :
				  !strncmp(line, "===VMALLOCINFO\n", 15) ? "vmallocinfo" : "";
			continue;
		}
		if (!strcmp(section, "meminfo") && !strncmp(line, key, strlen(key)) &&
		    line[strlen(key)] == ':') {
			*value = strtoull(line + strlen(key) + 1, NULL, 10);
			found = true;
		}
		if (!strcmp(section, "vmallocinfo") && !*first_area)
			*first_area = strtoull(line, NULL, 16);
		const char *pages = strstr(line, " pages=");
		if (!strcmp(section, "vmallocinfo") && pages &&
		    (strstr(line, " kernel_clone+") || strstr(line, " fork_idle+")))
			*stack_kb += strtoull(pages + 7, NULL, 10) * 4;
	}
	fclose(f);
	return found;
}

/*
 * VmallocTotal = (VMALLOC_END - VMALLOC_START) >> 10 for every captured
 * machine: 122880 kB on i386 once lowmem is full, more when lowmem is
 * small (VMALLOC_START follows high_memory), 32 TiB - 1 on x86_64. The
 * first area the real kernel made starts at VMALLOC_START. VmallocUsed
 * at boot is the real kernel's on i386 (the BPF program, zswap's scratch
 * buffers, n_tty's); on x86_64 it is the real kernel's but for the task
 * stacks mmsim does not make yet (kthreads: docs/fidelity.md) — the
 * second percpu chunk's maps included.
 */
static bool test_area_bounds_match_real_kernel(void)
{
	DIR *d = opendir(fixture_dir());
	struct dirent *de;
	int checked = 0;

	ASSERT_TRUE(d);
	while ((de = readdir(d))) {
		char arch[16];
		unsigned int mib;
		if (sscanf(de->d_name, "linux-6.1-%15[^-]-%uM.txt", arch, &mib) != 2)
			continue;
		char path[1400];
		uint64_t total = 0, first = 0, used = 0, unused = 0, stacks = 0;
		snprintf(path, sizeof(path), "%s/%s", fixture_dir(), de->d_name);
		ASSERT_TRUE(read_fixture(path, "VmallocTotal", &total, &first, &stacks));
		ASSERT_TRUE(read_fixture(path, "VmallocUsed", &used, &unused, &stacks));
		bool i386 = !strcmp(arch, "i386");
		struct machine *m = vboot(i386 ? MMSIM_ARCH_I386 : MMSIM_ARCH_X86_64, mib, 1);
		ASSERT_TRUE(m);
		uint64_t t, u;
		meminfo_vmalloc_values(m, &t, &u);
		if (t != total || (first && mmsim_vmalloc_start(m) != first)) {
			fprintf(stderr, "%s: VmallocTotal %" PRIu64 " (real %" PRIu64 "), "
				"VMALLOC_START %#" PRIx64 " (real first area %#" PRIx64 ")\n",
				de->d_name, t, total, mmsim_vmalloc_start(m), first);
			vdestroy(m);
			closedir(d);
			return false;
		}
		ASSERT_EQ(i386, stacks == 0);	/* i386 (no CONFIG_VMAP_STACK): stacks are pages */
		ASSERT_EQ(u, used - stacks);
		vdestroy(m);
		checked++;
	}
	closedir(d);
	ASSERT_TRUE(checked >= 20);
	return true;
}

/* The 2.6 layout: VMALLOC_START rounded to 8 MiB past an 8 MiB gap. */
static bool test_classic_layout(void)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.profile = "classic";
	d.mem_bytes = 2048 * MiB;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	ASSERT_TRUE(m);
	ASSERT_EQ(vmalloc_init(m), 0);
	ASSERT_EQ(m->high_memory, 0xf8000000);		/* 896 MiB of lowmem */
	ASSERT_EQ(mmsim_vmalloc_start(m), 0xf8800000);
	ASSERT_EQ(mmsim_vmalloc_end(m), m->pkmap_base - 2 * PAGE_SIZE);
	vdestroy(m);
	mmsim_desc_init(&d);
	d.profile = "classic";
	d.mem_bytes = 100 * MiB;
	m = mmsim_boot(&d, err, sizeof(err));
	ASSERT_TRUE(m);
	ASSERT_EQ(vmalloc_init(m), 0);
	ASSERT_EQ(mmsim_vmalloc_start(m) & (8 * MiB - 1), 0);
	ASSERT_TRUE(mmsim_vmalloc_start(m) >= m->high_memory + 8 * MiB);
	ASSERT_TRUE(mmsim_vmalloc_start(m) < m->high_memory + 16 * MiB);
	vdestroy(m);
	return true;
}

/* ---- allocating ------------------------------------------------------------------ */

/*
 *   VMALLOC_START
 *   |aaa-|bb-|           a: 3 pages + guard, b: 2 pages + guard
 *   |LLL-|bb-|cc-|       vfree(a): lazy (L); c does not reuse it
 *   |cc-.|bb-|           after the purge the lowest fit is a's old place
 */
static bool test_alloc_guard_and_reuse_after_purge(void)
{
	struct machine *m = vboot(MMSIM_ARCH_I386, 2048, 2);
	ASSERT_TRUE(m);
	uint64_t start = first_free(m);
	unsigned long boot_pages = vmalloc_nr_pages(m);
	uint64_t a = vmalloc(m, 3 * PAGE_SIZE - 100), b = vmalloc(m, 2 * PAGE_SIZE);
	ASSERT_EQ(a, start);
	ASSERT_EQ(b, start + 4 * PAGE_SIZE);
	ASSERT_EQ(vmalloc_nr_pages(m), boot_pages + 5);
	uint64_t t, u;
	meminfo_vmalloc_values(m, &t, &u);
	ASSERT_EQ(u, (boot_pages + 5) * 4);
	ASSERT_TRUE(kernel_pte_present(m, a + 2 * PAGE_SIZE));
	ASSERT_TRUE(!kernel_pte_present(m, a + 3 * PAGE_SIZE));	/* the guard page */
	ASSERT_EQ(vverify(m), 0);

	vfree(m, a);
	ASSERT_EQ(vmalloc_nr_pages(m), boot_pages + 2);
	ASSERT_EQ(vmap_lazy_nr(m), 4);
	ASSERT_TRUE(!kernel_pte_present(m, a));			/* unmapped at once */
	uint64_t c = vmalloc(m, 2 * PAGE_SIZE);
	ASSERT_EQ(c, b + 3 * PAGE_SIZE);			/* not in the lazy range */
	char *info = vmallocinfo(m), want[80];
	snprintf(want, sizeof(want), "0x%08" PRIx64 "-0x%08" PRIx64 "   16384 unpurged vm_area\n",
		 start, start + 4 * PAGE_SIZE);
	ASSERT_STR_CONTAINS(info, want);
	free(info);
	ASSERT_EQ(vverify(m), 0);

	vfree(m, c);
	purge_vmap_area_lazy(m);
	ASSERT_EQ(vmap_lazy_nr(m), 0);
	c = vmalloc(m, 2 * PAGE_SIZE);
	ASSERT_EQ(c, start);
	info = vmallocinfo(m);
	ASSERT_STR_LACKS(info, "unpurged");
	free(info);
	vfree(m, b);
	vfree(m, c);
	vfree(m, 0);
	ASSERT_EQ(vmalloc_nr_pages(m), boot_pages);
	ASSERT_EQ(vverify(m), 0);
	ASSERT_EQ(verify(m), 0);
	vdestroy(m);
	return true;
}

/* Touching the guard page faults: not present, kernel read, CR2 = the address. */
static bool test_guard_page_faults(void)
{
	struct machine *m = vboot(MMSIM_ARCH_X86_64, 1024, 1);
	ASSERT_TRUE(m);
	uint64_t start = first_free(m);
	uint64_t a = vzalloc(m, 2 * PAGE_SIZE);
	ASSERT_EQ(a, start);
	char buf[PAGE_SIZE];
	ASSERT_EQ(mmu_read(m, 0, a, buf, sizeof(buf), MMU_READ), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		ASSERT_EQ(buf[i], 0);
	phys_addr_t pa;
	ASSERT_EQ(mmu_translate(m, 0, a + 2 * PAGE_SIZE - 1, MMU_WRITE, &pa), 0);
	ASSERT_EQ(mmu_translate(m, 0, a + 2 * PAGE_SIZE, MMU_READ, &pa), -1);
	ASSERT_EQ(m->cpu_mmu[0].cr2, a + 2 * PAGE_SIZE);
	ASSERT_EQ(m->cpu_mmu[0].error_code, 0);
	/* vmalloc memory is data: executing from it faults (NX). */
	ASSERT_EQ(mmu_translate(m, 0, a, MMU_EXEC, &pa), -1);
	ASSERT_EQ(m->cpu_mmu[0].error_code, X86_PF_PROT | X86_PF_INSTR);
	vfree(m, a);
	vdestroy(m);
	return true;
}

/*
 * vmalloc's pages come from HighMem first. What is written through the
 * vmalloc address is read back through a second mapping of the same frame
 * (vmap), and a lowmem page's bytes through the direct map.
 */
static bool test_highmem_pages_seen_through_two_mappings(void)
{
	struct machine *m = vboot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	uint64_t a = vmalloc(m, 2 * PAGE_SIZE);
	ASSERT_TRUE(a);
	struct page *p0 = vmalloc_to_page(m, a), *p1 = vmalloc_to_page(m, a + PAGE_SIZE + 5);
	ASSERT_TRUE(p0 && p1 && p0 != p1);
	ASSERT_TRUE(PageHighMem(m, p0) && PageHighMem(m, p1));
	ASSERT_EQ(page_address(m, p0), 0);		/* no permanent kernel address */
	ASSERT_EQ(mmu_write(m, 0, a + PAGE_SIZE - 3, "across pages", 13, MMU_WRITE), 0);
	struct page *pages[2] = { p1, p0 };		/* reversed */
	uint64_t v = vmap(m, pages, 2, VM_MAP, __PAGE_KERNEL);
	ASSERT_TRUE(v);
	char buf[16];
	ASSERT_EQ(mmu_read(m, 0, v + 2 * PAGE_SIZE - 3, buf, 3, MMU_READ), 0);
	ASSERT_TRUE(!memcmp(buf, "acr", 3));
	ASSERT_EQ(mmu_read(m, 0, v, buf, 10, MMU_READ), 0);
	ASSERT_TRUE(!memcmp(buf, "oss pages", 10));
	ASSERT_EQ(vverify(m), 0);
	vunmap(m, v);
	/* The pages were the vmalloc area's: vunmap left them alone. */
	ASSERT_EQ(page_ref_count(p0), 1);
	vfree(m, a);

	/* GFP_DMA keeps vmalloc out of HighMem: the direct map sees the bytes. */
	uint64_t d = __vmalloc(m, PAGE_SIZE, GFP_KERNEL | GFP_DMA);
	ASSERT_TRUE(d);
	struct page *dp = vmalloc_to_page(m, d);
	ASSERT_EQ(page_zonenum(dp), ZONE_DMA);
	ASSERT_EQ(mmu_write(m, 0, d + 64, "lowmem", 7, MMU_WRITE), 0);
	ASSERT_EQ(mmu_read(m, 0, lowmem_page_address(m, dp) + 64, buf, 7, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "lowmem"));
	vfree(m, d);
	ASSERT_EQ(verify(m), 0);
	vdestroy(m);
	return true;
}

/* ---- the lazy purge and the TLB ------------------------------------------------- */

/*
 * After vfree the PTE is gone but the TLB of a CPU that used the address
 * still translates it — to a frame already back in the buddy allocator.
 * The purge's flush_tlb_kernel_range() ends that: afterwards it faults.
 */
static bool test_stale_tlb_until_purge(void)
{
	struct machine *m = vboot(MMSIM_ARCH_I386, 512, 2);
	ASSERT_TRUE(m);
	uint64_t a = vmalloc(m, PAGE_SIZE);
	ASSERT_EQ(mmu_write(m, 0, a, "secret", 7, MMU_WRITE), 0);
	unsigned long pfn = page_to_pfn(m, vmalloc_to_page(m, a));
	vfree(m, a);
	ASSERT_TRUE(!kernel_pte_present(m, a));
	ASSERT_TRUE(PageBuddy(pfn_to_page(m, pfn)) || page_ref_count(pfn_to_page(m, pfn)) == 0);
	phys_addr_t pa;
	/* CPU 0 cached it: stale, still the old frame. CPU 1 never did: fault. */
	ASSERT_EQ(mmu_translate(m, 0, a, MMU_READ, &pa), 0);
	ASSERT_EQ(PFN_DOWN(pa), pfn);
	char buf[8];
	ASSERT_EQ(mmu_read(m, 0, a, buf, 7, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "secret"));
	ASSERT_EQ(mmu_translate(m, 1, a, MMU_READ, &pa), -1);
	/* The address is not handed out again before the flush. */
	uint64_t b = vmalloc(m, PAGE_SIZE);
	ASSERT_TRUE(b != a);
	purge_vmap_area_lazy(m);
	ASSERT_EQ(mmu_translate(m, 0, a, MMU_READ, &pa), -1);
	ASSERT_EQ(m->cpu_mmu[0].cr2, a);
	ASSERT_EQ(vmalloc(m, PAGE_SIZE), a);
	vdestroy(m);
	return true;
}

/*
 * Lazily freed pages pile up until there are more than lazy_max_pages()
 * = 32 MiB x fls(nr_cpus): with 2 CPUs, 16384 pages. The free that
 * crosses it purges everything.
 */
static bool test_purge_at_lazy_max_pages(void)
{
	struct machine *m = vboot(MMSIM_ARCH_I386, 1024, 2);
	ASSERT_TRUE(m);
	ASSERT_EQ(lazy_max_pages(m), 16384);
	enum { N = 4095 };
	static struct page *pages[N];
	struct page *one = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(one);
	for (int i = 0; i < N; i++)
		pages[i] = one;			/* vmap may map a frame many times */
	uint64_t v[5], start = first_free(m);
	for (int i = 0; i < 5; i++) {
		v[i] = vmap(m, pages, N, VM_MAP, __PAGE_KERNEL);
		ASSERT_EQ(v[i], start + (uint64_t)i * (N + 1) * PAGE_SIZE);
	}
	ASSERT_EQ(vverify(m), 0);
	for (int i = 0; i < 4; i++)
		vunmap(m, v[i]);
	ASSERT_EQ(vmap_lazy_nr(m), 16384);	/* not more than the limit: still lazy */
	vunmap(m, v[4]);
	ASSERT_EQ(vmap_lazy_nr(m), 0);		/* crossed it: purged */
	ASSERT_EQ(vmap(m, pages, 1, VM_MAP, __PAGE_KERNEL), start);
	ASSERT_EQ(page_ref_count(one), 1);
	ASSERT_EQ(vverify(m), 0);
	vdestroy(m);
	return true;
}

/* ---- failures ------------------------------------------------------------------------ */

static bool test_exhaustion_warns_like_the_kernel(void)
{
	struct machine *m = vboot(MMSIM_ARCH_I386, 2048, 2);
	ASSERT_TRUE(m);
	/* 120 MiB of vmalloc space: 60 MiB (and a guard page) fits once, not twice. */
	uint64_t start = first_free(m);
	uint64_t big = vmalloc(m, 60 * MiB);
	ASSERT_TRUE(big);
	unsigned long free_before = global_zone_page_state(m, NR_FREE_PAGES);
	ASSERT_EQ(vmalloc(m, 60 * MiB), 0);
	ASSERT_EQ(global_zone_page_state(m, NR_FREE_PAGES), free_before);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "vmap allocation for size 62918656 failed: use vmalloc=<size> "
			    "to increase size\n");
	ASSERT_STR_CONTAINS(log, "mmsim: vmalloc error: size 62914560, vm_struct allocation "
			    "failed, mode:0xcc0(GFP_KERNEL), nodemask=(null),cpuset=/,"
			    "mems_allowed=0\n");
	free(log);
	/* __GFP_NOWARN: quietly NULL. */
	ASSERT_EQ(__vmalloc(m, 60 * MiB, GFP_KERNEL | __GFP_NOWARN), 0);
	/* 15361 lazy pages stay below lazy_max_pages(), until space runs out. */
	vfree(m, big);
	ASSERT_TRUE(vmap_lazy_nr(m) > 0);
	ASSERT_EQ(vmalloc(m, 110 * MiB), start);
	ASSERT_EQ(vmap_lazy_nr(m), 0);
	ASSERT_EQ(vverify(m), 0);
	ASSERT_EQ(verify(m), 0);
	vdestroy(m);

	/* More than all of RAM is refused before any address is taken. */
	m = vboot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(vzalloc(m, 512 * MiB), 0);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "mmsim: vmalloc error: size 536870912, exceeds total pages, "
			    "mode:0xdc0(GFP_KERNEL|__GFP_ZERO)");
	free(log);
	ASSERT_EQ(vverify(m), 0);
	vdestroy(m);
	return true;
}

/* The pages run out: the half-built area is undone, nothing leaks. */
static bool test_page_shortage_undoes_the_area(void)
{
	struct machine *m = vboot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	unsigned long free_before = global_zone_page_state(m, NR_FREE_PAGES);
	unsigned long boot_pages = vmalloc_nr_pages(m);
	/* Less than all of RAM, more than the watermarks let GFP_KERNEL take. */
	ASSERT_EQ(vmalloc(m, (m->totalram_pages - 16) * PAGE_SIZE), 0);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "failed to allocate pages, mode:0xcc2(GFP_KERNEL|__GFP_HIGHMEM)");
	free(log);
	ASSERT_EQ(vmalloc_nr_pages(m), boot_pages);
	drain_all_pages(m);
	ASSERT_NEAR(global_zone_page_state(m, NR_FREE_PAGES), free_before, 64);
	ASSERT_EQ(vverify(m), 0);
	ASSERT_EQ(verify(m), 0);
	vdestroy(m);
	return true;
}

static bool test_vfree_bad_addresses_warn(void)
{
	struct machine *m = vboot(MMSIM_ARCH_I386, 256, 1);
	ASSERT_TRUE(m);
	uint64_t a = vmalloc(m, PAGE_SIZE);
	vfree(m, a + 8);
	vfree(m, a);
	vfree(m, a);
	char *log = dmesg(m);
	char want[128];
	snprintf(want, sizeof(want), "Trying to vfree() bad address (%08" PRIx64 ")\n", a + 8);
	ASSERT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want), "Trying to vfree() nonexistent vm area (%08" PRIx64 ")\n", a);
	ASSERT_STR_CONTAINS(log, want);
	ASSERT_STR_CONTAINS(log, "WARNING: CPU: 0 PID: 1 at mm/vmalloc.c __vunmap\n");
	free(log);
	ASSERT_EQ(vverify(m), 0);
	ASSERT_EQ(verify(m), 0);
	vdestroy(m);
	return true;
}

/* ---- ioremap -------------------------------------------------------------------------- */

static bool test_ioremap(void)
{
	struct machine *m = vboot(MMSIM_ARCH_I386, 256, 1);
	ASSERT_TRUE(m);
	/* RAM the allocator manages: refused, warned once. */
	ASSERT_EQ(ioremap(m, 0x2000000, PAGE_SIZE), 0);
	ASSERT_EQ(ioremap(m, 0x2000000, PAGE_SIZE), 0);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "ioremap on RAM at 0x02000000 - 0x02000fff\n");
	ASSERT_STR_CONTAINS(log, "WARNING: CPU: 0 PID: 1 at arch/x86/mm/ioremap.c __ioremap_caller\n");
	ASSERT_EQ(count_of(log, "ioremap on RAM"), 1);		/* WARN_ONCE */
	free(log);
	/* Firmware tables (e820 reserved, as the ACPI ioremaps in the captures), then the HPET. */
	uint64_t start = first_free(m);
	unsigned long boot_pages = vmalloc_nr_pages(m);
	uint64_t acpi = ioremap(m, 0x0ffe1000, PAGE_SIZE);
	uint64_t acpi2 = ioremap(m, 0x0ffe0000, 2 * PAGE_SIZE);
	uint64_t hpet = ioremap(m, 0xfed00000, 0x400);
	ASSERT_EQ(acpi, start);
	ASSERT_EQ(acpi2, ALIGN_UP(acpi + 2 * PAGE_SIZE, 2 * PAGE_SIZE));	/* 8 KiB aligned */
	ASSERT_EQ(hpet, acpi2 + 3 * PAGE_SIZE);
	uint64_t off = ioremap(m, 0xfed00010, 4);
	ASSERT_EQ(off & ~PAGE_MASK, 0x10);
	/* Uncached (UC-: PCD), mapped to the device's frame. */
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;
	ASSERT_TRUE(pt_lookup(m, m->swapper_pg_dir, hpet, &level, &table, &idx));
	ASSERT_EQ(pt_read(m, table, idx) & 0xfff, _PAGE_PCD | __PAGE_KERNEL);
	phys_addr_t pa;
	ASSERT_EQ(mmu_translate(m, 0, off, MMU_READ, &pa), 0);
	ASSERT_EQ(pa, 0xfed00010);
	char *info = vmallocinfo(m), want[256];
	snprintf(want, sizeof(want), "0x%08" PRIx64 "-0x%08" PRIx64 "    8192 ioremap phys=0x0ffe1000 ioremap\n"
		 "0x%08" PRIx64 "-0x%08" PRIx64 "   12288 ioremap phys=0x0ffe0000 ioremap\n"
		 "0x%08" PRIx64 "-0x%08" PRIx64 "    8192 ioremap phys=0xfed00000 ioremap\n",
		 acpi, acpi + 2 * PAGE_SIZE, acpi2, acpi2 + 3 * PAGE_SIZE, hpet, hpet + 2 * PAGE_SIZE);
	ASSERT_STR_CONTAINS(info, want);
	free(info);
	ASSERT_EQ(vmalloc_nr_pages(m), boot_pages);	/* VmallocUsed counts vmalloc only */
	ASSERT_EQ(vverify(m), 0);
	ASSERT_EQ(verify(m), 0);
	iounmap(m, off);
	iounmap(m, hpet + 0x10);			/* any address inside will do */
	iounmap(m, acpi);
	iounmap(m, acpi2);
	ASSERT_TRUE(!kernel_pte_present(m, hpet));
	iounmap(m, hpet);
	log = dmesg(m);
	snprintf(want, sizeof(want), "iounmap: bad address %08" PRIx64 "\n", hpet);
	ASSERT_STR_CONTAINS(log, want);
	free(log);
	ASSERT_EQ(vverify(m), 0);
	vdestroy(m);
	return true;
}

/* ---- /proc/vmallocinfo --------------------------------------------------------- */

static bool test_vmallocinfo_format(void)
{
	/* x86_64 (NUMA build): 16-digit addresses and phys, N0= per node. */
	struct machine *m = vboot(MMSIM_ARCH_X86_64, 2048, 2);
	ASSERT_TRUE(m);
	uint64_t b = first_free(m);
	struct page *pg[5];
	for (int i = 0; i < 5; i++)
		pg[i] = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(mmsim_vmap_caller(m, pg, 5, VM_MAP, __PAGE_KERNEL, "irq_init_percpu_irqstack+0xf0/0x120"));
	ASSERT_TRUE(mmsim_ioremap_caller(m, 0x7ffe1000, PAGE_SIZE, "acpi_os_map_iomem+0x1b6/0x1d0"));
	ASSERT_TRUE(mmsim_vmalloc_caller(m, PAGE_SIZE, GFP_KERNEL, "gen_pool_add_owner+0x3a/0xc0"));
	ASSERT_TRUE(vmalloc_user(m, 3 * PAGE_SIZE));
	char *info = vmallocinfo(m), want[512];
	snprintf(want, sizeof(want),
		"0x%016" PRIx64 "-0x%016" PRIx64 "   24576 irq_init_percpu_irqstack+0xf0/0x120 vmap\n"
		"0x%016" PRIx64 "-0x%016" PRIx64 "    8192 acpi_os_map_iomem+0x1b6/0x1d0 phys=0x000000007ffe1000 ioremap\n"
		"0x%016" PRIx64 "-0x%016" PRIx64 "    8192 gen_pool_add_owner+0x3a/0xc0 pages=1 vmalloc N0=1\n"
		"0x%016" PRIx64 "-0x%016" PRIx64 "   16384 vmalloc_user pages=3 vmalloc user N0=3\n",
		b, b + 0x6000, b + 0x6000, b + 0x8000, b + 0x8000, b + 0xa000, b + 0xa000, b + 0xe000);
	ASSERT_STR_CONTAINS(info, want);
	/* The boot's areas, the module space's pack last: the busy areas by address. */
	ASSERT_STR_CONTAINS(info, "0xffffffffc0000000-0xffffffffc0201000 2101248 bpf_prog_pack_alloc+0x292/0x3b0 pages=512 vmalloc N0=512\n");
	free(info);
	vdestroy(m);

	/*
	 * i386 (no NUMA): no N0=. A page array above a page is vmalloc'd
	 * itself, right after its area, with the same caller ("vpages").
	 */
	m = vboot(MMSIM_ARCH_I386, 2048, 2);
	ASSERT_TRUE(m);
	b = first_free(m);
	unsigned long boot_pages = vmalloc_nr_pages(m);
	uint64_t a = mmsim_vmalloc_caller(m, 1025 * PAGE_SIZE, GFP_KERNEL, "load_module+0x1b3/0x2c0");
	ASSERT_EQ(a, b);
	info = vmallocinfo(m);
	snprintf(want, sizeof(want),
		"0x%08" PRIx64 "-0x%08" PRIx64 " 4202496 load_module+0x1b3/0x2c0 pages=1025 vmalloc vpages\n"
		"0x%08" PRIx64 "-0x%08" PRIx64 "   12288 load_module+0x1b3/0x2c0 pages=2 vmalloc\n",
		b, b + 1026 * PAGE_SIZE, b + 1026 * PAGE_SIZE, b + 1029 * PAGE_SIZE);
	ASSERT_STR_CONTAINS(info, want);
	free(info);
	ASSERT_EQ(vmalloc_nr_pages(m), boot_pages + 1027);
	ASSERT_EQ(vverify(m), 0);
	vfree(m, a);
	ASSERT_EQ(vmalloc_nr_pages(m), boot_pages);
	/* The lazily freed range is listed after the busy areas, as show_purge_info() lists it. */
	info = vmallocinfo(m);
	ASSERT_STR_LACKS(info, "load_module");
	snprintf(want, sizeof(want), "0x%08" PRIx64 "-0x%08" PRIx64 " 4214784 unpurged vm_area\n",
		 b, b + 1029 * PAGE_SIZE);
	ASSERT_STR_CONTAINS(info, want);
	free(info);
	ASSERT_EQ(vmap_lazy_nr(m), 1025 + 1 + 2 + 1);
	ASSERT_EQ(vverify(m), 0);
	vdestroy(m);

	/* With no area in use the kernel never reaches show_purge_info(): the classic kernel's boot makes none. */
	struct machine_desc d;
	char err[256];
	mmsim_desc_init(&d);
	d.profile = "classic";
	m = mmsim_boot(&d, err, sizeof(err));
	ASSERT_TRUE(m);
	a = vmalloc(m, PAGE_SIZE);
	vfree(m, a);
	info = vmallocinfo(m);
	ASSERT_TRUE(info && !*info);
	free(info);
	ASSERT_EQ(vmap_lazy_nr(m), 2);
	vdestroy(m);
	return true;
}

/* ---- the validator ---------------------------------------------------------------- */

static bool test_verify_catches_broken_mappings(void)
{
	struct machine *m = vboot(MMSIM_ARCH_I386, 256, 1);
	ASSERT_TRUE(m);
	uint64_t a = vmalloc(m, 2 * PAGE_SIZE);
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;
	ASSERT_TRUE(pt_lookup(m, m->swapper_pg_dir, a + PAGE_SIZE, &level, &table, &idx));
	uint64_t pte = pt_read(m, table, idx);
	FILE *null = fopen("/dev/null", "w");
	ASSERT_TRUE(null);
	/* A page unmapped behind the area's back; then the guard page mapped. */
	pt_write(m, table, idx, 0);
	ASSERT_EQ(vmalloc_verify(m, null), 1);
	pt_write(m, table, idx, pte);
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, a + 2 * PAGE_SIZE, pte, NULL), 0);
	ASSERT_EQ(vmalloc_verify(m, null), 1);
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, a + 2 * PAGE_SIZE, 0, NULL), 0);
	/* A vmalloc'd frame freed under the area. */
	struct page *p = vmalloc_to_page(m, a);
	__free_pages(m, p, 0);
	ASSERT_TRUE(vmalloc_verify(m, null) >= 1);
	fclose(null);
	vdestroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_area_bounds_match_real_kernel),
	TEST(test_classic_layout),
	TEST(test_alloc_guard_and_reuse_after_purge),
	TEST(test_guard_page_faults),
	TEST(test_highmem_pages_seen_through_two_mappings),
	TEST(test_stale_tlb_until_purge),
	TEST(test_purge_at_lazy_max_pages),
	TEST(test_exhaustion_warns_like_the_kernel),
	TEST(test_page_shortage_undoes_the_area),
	TEST(test_vfree_bad_addresses_warn),
	TEST(test_ioremap),
	TEST(test_vmallocinfo_format),
	TEST(test_verify_catches_broken_mappings),
)
