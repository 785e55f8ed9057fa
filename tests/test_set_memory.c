/* test_set_memory.c — the protections the boot gives the kernel's own
 * mappings (set_memory_ro/rw/nx/x with alias processing, mark_rodata_ro(),
 * free_init_pages()), checked through the MMU: what each mapping lets a
 * kernel access do, which large pages were split, and DirectMap's counts. */
#include "arch/x86/mmu.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/set_memory.h"
#include "helpers.h"
#include "mm/vmalloc.h"
#include "test.h"

/* Can a kernel-mode access of this kind reach va on CPU 0? */
static bool kernel_can(struct machine *m, kaddr_t va, unsigned int access)
{
	phys_addr_t pa;

	flush_tlb_all(m);
	return mmu_translate(m, 0, va, access, &pa) == 0;
}

static enum pt_level leaf_level(struct machine *m, kaddr_t va)
{
	enum pt_level level = PT_LEVELS;
	phys_addr_t table;
	unsigned int idx;

	if (!pt_lookup(m, m->swapper_pg_dir, va, &level, &table, &idx))
		return PT_LEVELS;
	return level;
}

/* The start of the boot's vmalloc area @caller made, from /proc/vmallocinfo; 0 if none. */
static kaddr_t boot_area(struct machine *m, const char *caller)
{
	char *info = proc(m, "/proc/vmallocinfo");
	unsigned long long start = 0;
	size_t at = 0, len = info ? strlen(info) : 0;

	while (at < len) {
		size_t end = at;
		while (end < len && info[end] != '\n')
			end++;
		info[end] = '\0';
		if (strstr(info + at, caller)) {
			sscanf(info + at, "%llx", &start);
			break;
		}
		at = end + 1;
	}
	free(info);
	return (kaddr_t)start;
}

static unsigned long direct_map_4k_kb(struct machine *m)
{
	return m->direct_pages_count[PT_PTE] << 2;
}

/*
 * x86_64: the image mapping after boot is what 6.1's mark_rodata_ro()
 * leaves — text read-only and executable, rodata read-only, the rest
 * writable and NX — and the IDT is read-only through both of its mappings,
 * while its neighbours stay writable (the split keeps them as they were).
 */
static bool test_x86_64_image_protections(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 1024, 1);
	ASSERT_TRUE(m);
	const struct boot_layout *b = &m->boot;
	kaddr_t text = kernel_image_va(m, b->kernel_start);
	ASSERT_EQ(text, 0xffffffff81000000ULL);
	ASSERT_TRUE(kernel_can(m, text, MMU_EXEC));
	ASSERT_TRUE(!kernel_can(m, text, MMU_WRITE));
	/* The last text page, in the 2M page that mark_rodata_ro() split for NX. */
	kaddr_t etext = kernel_image_va(m, b->gap_start[0] - PAGE_SIZE);
	ASSERT_EQ(leaf_level(m, etext), PT_PTE);
	ASSERT_TRUE(kernel_can(m, etext, MMU_EXEC));
	ASSERT_TRUE(!kernel_can(m, kernel_image_va(m, b->gap_start[0]), MMU_EXEC));
	kaddr_t rodata = kernel_image_va(m, b->gap_end[0]);
	ASSERT_TRUE(kernel_can(m, rodata, 0));
	ASSERT_TRUE(!kernel_can(m, rodata, MMU_WRITE) && !kernel_can(m, rodata, MMU_EXEC));
	kaddr_t data = kernel_image_va(m, b->data_start);
	ASSERT_TRUE(kernel_can(m, data, MMU_WRITE) && !kernel_can(m, data, MMU_EXEC));
	/* idt_table, in both mappings; the next page of .bss stays writable in both. */
	kaddr_t idt = kernel_image_va(m, b->idt_table);
	ASSERT_EQ(idt, 0xffffffff83313000ULL);
	ASSERT_TRUE(!kernel_can(m, idt, MMU_WRITE));
	ASSERT_TRUE(!kernel_can(m, __va(m, b->idt_table), MMU_WRITE));
	ASSERT_TRUE(kernel_can(m, idt + PAGE_SIZE, MMU_WRITE));
	ASSERT_TRUE(kernel_can(m, __va(m, b->idt_table + PAGE_SIZE), MMU_WRITE));
	/* The freed text/rodata gap is the allocator's now: writable in the direct map. */
	ASSERT_TRUE(kernel_can(m, __va(m, b->gap_start[0]), MMU_WRITE));
	ASSERT_TRUE(!kernel_can(m, __va(m, b->gap_start[0] - PAGE_SIZE), MMU_WRITE));
	/* The image's end: the unused decrypted bss freed, NX; brk's 2M page mapped. */
	ASSERT_TRUE(kernel_can(m, kernel_image_va(m, b->decrypted_start), MMU_WRITE));
	ASSERT_TRUE(!kernel_can(m, kernel_image_va(m, b->decrypted_start), MMU_EXEC));
	ASSERT_TRUE(kernel_can(m, kernel_image_va(m, b->highmap_end - PAGE_SIZE), 0));
	ASSERT_TRUE(!kernel_can(m, kernel_image_va(m, b->highmap_end), 0));
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * The BPF JIT's pack: read-only and executable in the module space, and
 * read-only in the direct map too (alias processing), which splits every
 * 2 MiB page of the direct map holding one of its frames.
 */
static bool test_x86_64_bpf_pack_aliases(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 2048, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(m->bpf_prog_pack, 0xffffffffc0000000ULL);
	struct vm_struct *pack = find_vm_area(m, m->bpf_prog_pack);
	ASSERT_TRUE(pack);
	ASSERT_EQ(pack->nr_pages, 512);
	for (unsigned int i = 0; i < pack->nr_pages; i += 37) {
		kaddr_t va = m->bpf_prog_pack + (uint64_t)i * PAGE_SIZE;
		ASSERT_TRUE(kernel_can(m, va, MMU_EXEC));
		ASSERT_TRUE(!kernel_can(m, va, MMU_WRITE));
		kaddr_t alias = page_address(m, pack->pages[i]);
		ASSERT_EQ(leaf_level(m, alias), PT_PTE);
		ASSERT_TRUE(!kernel_can(m, alias, MMU_WRITE));
		ASSERT_TRUE(kernel_can(m, alias, 0) && !kernel_can(m, alias, MMU_EXEC));
	}
	/* The BPF program itself is JITed: its own page stays writable. */
	kaddr_t prog = boot_area(m, "bpf_prog_alloc_no_stats");
	ASSERT_TRUE(find_vm_area(m, prog));
	ASSERT_TRUE(kernel_can(m, prog, MMU_WRITE));
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * i386 has no JIT: bpf_prog_lock_ro() makes the program's page read-only.
 * Where that page is lowmem, its direct-map alias goes read-only and its
 * 4M page is split; where it is HighMem (RAM from ~880M up) it has no
 * alias and nothing splits — the real kernels' DirectMap4k at 512M and 2G.
 */
static bool test_i386_bpf_program_alias(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 512, 1);
	ASSERT_TRUE(m);
	kaddr_t prog = boot_area(m, "bpf_prog_alloc_no_stats");
	struct page *page = vmalloc_to_page(m, prog);
	ASSERT_TRUE(page && !PageHighMem(m, page));
	ASSERT_TRUE(!kernel_can(m, prog, MMU_WRITE));
	kaddr_t alias = page_address(m, page);
	ASSERT_EQ(leaf_level(m, alias), PT_PTE);
	ASSERT_TRUE(!kernel_can(m, alias, MMU_WRITE));
	ASSERT_TRUE(kernel_can(m, alias ^ PAGE_SIZE, MMU_WRITE));	/* its neighbour */
	ASSERT_EQ(direct_map_4k_kb(m), 16256);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);

	m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	page = vmalloc_to_page(m, boot_area(m, "bpf_prog_alloc_no_stats"));
	ASSERT_TRUE(page && PageHighMem(m, page));
	ASSERT_EQ(direct_map_4k_kb(m), 12280);
	mmsim_destroy(m);
	return true;
}

/*
 * The interface itself: RW changes reach the direct-map alias and split
 * its large page once; NX changes do not touch aliases; a change that
 * covers a whole large page keeps it whole; the split stays after the
 * protection is put back, as the kernel never merges pages again.
 */
static bool test_set_memory_interface(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 1024, 1);
	ASSERT_TRUE(m);
	kaddr_t v = vmalloc(m, 4 * PAGE_SIZE);
	ASSERT_TRUE(v);
	kaddr_t alias = page_address(m, vmalloc_to_page(m, v + PAGE_SIZE));
	bool was_large = leaf_level(m, alias) == PT_PMD;
	unsigned long before = direct_map_4k_kb(m);
	ASSERT_EQ(set_memory_ro(m, v + PAGE_SIZE, 1), 0);
	ASSERT_TRUE(!kernel_can(m, v + PAGE_SIZE, MMU_WRITE));
	ASSERT_TRUE(kernel_can(m, v, MMU_WRITE));
	ASSERT_TRUE(!kernel_can(m, alias, MMU_WRITE));
	ASSERT_EQ(direct_map_4k_kb(m), before + (was_large ? 2048 : 0));
	ASSERT_EQ(set_memory_rw(m, v + PAGE_SIZE, 1), 0);
	ASSERT_TRUE(kernel_can(m, alias, MMU_WRITE));
	ASSERT_EQ(direct_map_4k_kb(m), before + (was_large ? 2048 : 0));
	/* set_memory_x on the vmalloc address leaves the direct map NX. */
	ASSERT_EQ(set_memory_x(m, v, 4), 0);
	ASSERT_TRUE(kernel_can(m, v, MMU_EXEC));
	ASSERT_TRUE(!kernel_can(m, alias, MMU_EXEC));
	ASSERT_EQ(set_memory_nx(m, v, 4), 0);
	ASSERT_TRUE(!kernel_can(m, v, MMU_EXEC));
	/* A whole 2M page of the direct map read-only: changed in place, not split. */
	kaddr_t big = __va(m, 0x20000000);
	ASSERT_EQ(leaf_level(m, big), PT_PMD);
	before = direct_map_4k_kb(m);
	ASSERT_EQ(set_memory_ro(m, big, 512), 0);
	ASSERT_EQ(leaf_level(m, big), PT_PMD);
	ASSERT_TRUE(!kernel_can(m, big + 12345, MMU_WRITE));
	ASSERT_EQ(set_memory_rw(m, big, 512), 0);
	ASSERT_TRUE(kernel_can(m, big + 12345, MMU_WRITE));
	ASSERT_EQ(direct_map_4k_kb(m), before);
	/* Unchanged protection: no split either. */
	ASSERT_EQ(set_memory_rw(m, big + PAGE_SIZE, 1), 0);
	ASSERT_EQ(leaf_level(m, big), PT_PMD);
	vfree(m, v);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_x86_64_image_protections),
	TEST(test_x86_64_bpf_pack_aliases),
	TEST(test_i386_bpf_program_alias),
	TEST(test_set_memory_interface),
)
