/* test_mmu.c — page tables and the software MMU: the direct map, walks,
 * Accessed/Dirty bits, faults with x86 error codes, and TLB flush rules. */
#include "arch/x86/mmu.h"
#include "helpers.h"
#include "test.h"

/* Lowmem is mapped at PAGE_OFFSET: kernel address = 0xc0000000 + phys. */
static bool test_direct_map_translates(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	phys_addr_t pa;
	ASSERT_EQ(mmu_translate(m, 0, 0xc0000000 + 0x123456, MMU_READ, &pa), 0);
	ASSERT_EQ(pa, 0x123456);
	ASSERT_EQ(mmu_translate(m, 0, 0xc0000000 + 0x36bfd000, MMU_WRITE, &pa), 0);
	ASSERT_EQ(pa, 0x36bfd000);
	/* The end of lowmem: nothing is mapped there until vmalloc/kmap map it. */
	ASSERT_EQ(mmu_translate(m, 0, 0xc0000000 + 0x36bfe000, MMU_READ, &pa), -1);
	ASSERT_EQ(m->cpu_mmu[0].cr2, 0xf6bfe000);
	ASSERT_EQ(m->cpu_mmu[0].error_code, 0);		/* not present, read, kernel */
	/* User mode may not touch kernel pages: a protection fault. */
	ASSERT_EQ(mmu_translate(m, 0, 0xc1000000, MMU_READ | MMU_USER, &pa), -1);
	ASSERT_EQ(m->cpu_mmu[0].error_code, X86_PF_PROT | X86_PF_USER);
	/* Kernel text is read-only after mark_rodata_ro(). */
	ASSERT_EQ(mmu_translate(m, 0, 0xc1000000, MMU_WRITE, &pa), -1);
	ASSERT_EQ(m->cpu_mmu[0].error_code, X86_PF_PROT | X86_PF_WRITE);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

static bool test_x86_64_four_levels_and_nx(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 8192, 1);
	ASSERT_TRUE(m);
	phys_addr_t pa;
	uint64_t va = 0xffff888000000000ULL + 0x180000000ULL;	/* 6 GiB: above the hole */
	ASSERT_EQ(mmu_translate(m, 0, va + 0x10, MMU_WRITE, &pa), 0);
	ASSERT_EQ(pa, 0x180000010ULL);
	/* The direct map is data: executing from it faults with I/D set. */
	ASSERT_EQ(mmu_translate(m, 0, va, MMU_EXEC, &pa), -1);
	ASSERT_EQ(m->cpu_mmu[0].error_code, X86_PF_PROT | X86_PF_INSTR);
	/* The hole between 3 and 4 GiB is not mapped. */
	ASSERT_EQ(mmu_translate(m, 0, 0xffff888000000000ULL + 0xd0000000ULL, MMU_READ, &pa), -1);
	/* Non-canonical addresses fault before any walk. */
	ASSERT_EQ(mmu_translate(m, 0, 0x0000900000000000ULL, MMU_READ, &pa), -1);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * A mapping changed without a flush keeps translating to the old frame
 * from the TLB; invlpg (or a full flush) makes the change visible.
 */
static bool test_missing_flush_leaves_stale_translation(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 256, 1);
	ASSERT_TRUE(m);
	struct page *a = alloc_pages(m, GFP_KERNEL, 0), *b = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(a && b);
	uint64_t va = 0xf8000000;	/* in the vmalloc area, unused */
	uint64_t prot = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va, PFN_PHYS(page_to_pfn(m, a)) | prot, NULL), 0);
	strcpy(page_host_address(m, a), "frame A");
	strcpy(page_host_address(m, b), "frame B");
	char buf[8];
	ASSERT_EQ(mmu_read(m, 0, va, buf, 8, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "frame A"));
	/* Point the PTE at B and forget the flush. */
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va, PFN_PHYS(page_to_pfn(m, b)) | prot, NULL), 0);
	ASSERT_EQ(mmu_read(m, 0, va, buf, 8, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "frame A"));		/* stale */
	/* Flushing another page does not help; flushing this one does. */
	flush_tlb_one_kernel(m, 0, va + PAGE_SIZE);
	ASSERT_EQ(mmu_read(m, 0, va, buf, 8, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "frame A"));
	flush_tlb_kernel_range(m, va, va + PAGE_SIZE);
	ASSERT_EQ(mmu_read(m, 0, va, buf, 8, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "frame B"));
	/* Unmapping without a flush: the TLB still translates; after it, a fault. */
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va, 0, NULL), 0);
	phys_addr_t pa;
	ASSERT_EQ(mmu_translate(m, 0, va, MMU_READ, &pa), 0);
	flush_tlb_all(m);
	ASSERT_EQ(mmu_translate(m, 0, va, MMU_READ, &pa), -1);
	__free_pages(m, a, 0);
	__free_pages(m, b, 0);
	mmsim_destroy(m);
	return true;
}

/*
 * Remote shootdowns: a kernel mapping changes while CPU 1 (not only the
 * CPU that flushes) holds its translation. Without the flush CPU 1 keeps
 * reading the old frame; flush_tlb_kernel_range() (a few pages, invlpg on
 * every CPU), its full-flush form beyond the ceiling, and flush_tlb_all()
 * each reach CPU 1 as well as CPU 0. A flush that stayed on the calling
 * CPU would leave CPU 1 stale and fail here.
 */
static bool read_is(struct machine *m, unsigned int cpu, uint64_t va, const char *want)
{
	char buf[8] = "";
	if (mmu_read(m, cpu, va, buf, sizeof(buf), MMU_READ))
		return false;
	return !strcmp(buf, want);
}

/*
 * The hit cache in front of the TLB (a direct-mapped copy of its entries)
 * changes no behaviour: two pages that share a hit slot and a TLB set both
 * stay in the TLB and keep hitting; a changed PTE stays stale through the
 * hit cache until invlpg; a hit is denied what its entry denies (a write
 * to a read-only page faults, a write to a clean page walks to set D); and
 * mmu_verify() catches a hit entry that is not the TLB's.
 */
static bool test_tlb_hit_cache_follows_the_tlb(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 256, 1);
	ASSERT_TRUE(m);
	struct cpu_mmu *c = &m->cpu_mmu[0];
	struct page *a = alloc_pages(m, GFP_KERNEL, 0), *b = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(a && b);
	strcpy(page_host_address(m, a), "frame A");
	strcpy(page_host_address(m, b), "frame B");
	phys_addr_t pa_a = PFN_PHYS(page_to_pfn(m, a)), pa_b = PFN_PHYS(page_to_pfn(m, b));
	uint64_t prot = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
	/* va2 is TLB_HIT_ENTRIES pages on: the same hit slot and the same TLB set. */
	uint64_t va1 = 0xf8000000, va2 = va1 + TLB_HIT_ENTRIES * PAGE_SIZE;
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va1, pa_a | prot, NULL), 0);
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va2, pa_b | prot, NULL), 0);
	ASSERT_TRUE(read_is(m, 0, va1, "frame A"));
	ASSERT_TRUE(read_is(m, 0, va2, "frame B"));
	unsigned long misses = c->stats.misses, hits = c->stats.hits;
	for (int i = 0; i < 4; i++) {
		ASSERT_TRUE(read_is(m, 0, va1, "frame A"));
		ASSERT_TRUE(read_is(m, 0, va2, "frame B"));
	}
	ASSERT_EQ(c->stats.misses, misses);		/* both stayed in the TLB */
	ASSERT_EQ(c->stats.hits, hits + 8);
	ASSERT_EQ(verify(m), 0);

	/* A PTE changed without a flush: the hit cache is as stale as the TLB. */
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va1, pa_b | prot, NULL), 0);
	ASSERT_TRUE(read_is(m, 0, va1, "frame A"));
	flush_tlb_one_kernel(m, 0, va1);
	ASSERT_TRUE(read_is(m, 0, va1, "frame B"));
	ASSERT_TRUE(read_is(m, 0, va2, "frame B"));	/* its neighbour was not flushed */
	ASSERT_EQ(c->stats.misses, misses + 1);

	/* Read-only: a cached read does not let a write through. */
	phys_addr_t pa;
	uint64_t va3 = va1 + PAGE_SIZE, va4 = va1 + 2 * PAGE_SIZE;
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va3, pa_a | _PAGE_PRESENT | _PAGE_ACCESSED, NULL), 0);
	ASSERT_EQ(mmu_translate(m, 0, va3, MMU_READ, &pa), 0);
	ASSERT_EQ(mmu_translate(m, 0, va3, MMU_READ, &pa), 0);
	ASSERT_EQ(mmu_translate(m, 0, va3, MMU_WRITE, &pa), -1);
	ASSERT_EQ(c->error_code, X86_PF_PROT | X86_PF_WRITE);
	/* Writable but clean: the first write walks again and sets D in the PTE. */
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va4, pa_a | _PAGE_PRESENT | _PAGE_RW, NULL), 0);
	ASSERT_EQ(mmu_translate(m, 0, va4, MMU_READ, &pa), 0);
	ASSERT_EQ(mmu_translate(m, 0, va4, MMU_READ, &pa), 0);
	misses = c->stats.misses;
	ASSERT_EQ(mmu_translate(m, 0, va4, MMU_WRITE, &pa), 0);
	ASSERT_EQ(c->stats.misses, misses + 1);
	enum pt_level level;
	phys_addr_t table;
	unsigned int index;
	ASSERT_TRUE(pt_lookup(m, m->swapper_pg_dir, va4, &level, &table, &index));
	ASSERT_TRUE(pt_read(m, table, index) & _PAGE_DIRTY);
	ASSERT_EQ(verify(m), 0);

	/* The validator: a hit entry pointing at another frame than its TLB entry. */
	struct tlb_hit *h = &c->hit[(va2 >> PAGE_SHIFT) & (TLB_HIT_ENTRIES - 1)];
	ASSERT_EQ(h->key, (va2 >> PAGE_SHIFT) << 1 | 1);
	h->frame ^= PAGE_SIZE;
	FILE *null = fopen("/dev/null", "w");
	ASSERT_TRUE(null && mmu_verify(m, null) == 1);
	fclose(null);
	h->frame ^= PAGE_SIZE;
	ASSERT_EQ(verify(m), 0);
	for (uint64_t va = va1; va <= va4; va += PAGE_SIZE)
		ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va, 0, NULL), 0);
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va2, 0, NULL), 0);
	flush_tlb_all(m);
	__free_pages(m, a, 0);
	__free_pages(m, b, 0);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

static bool test_remote_shootdown(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 256, 2);
	ASSERT_TRUE(m);
	struct page *a = alloc_pages(m, GFP_KERNEL, 0), *b = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(a && b);
	strcpy(page_host_address(m, a), "frame A");
	strcpy(page_host_address(m, b), "frame B");
	uint64_t va = 0xf8000000;	/* in the vmalloc area, unused */
	uint64_t prot = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
	phys_addr_t pa_a = PFN_PHYS(page_to_pfn(m, a)), pa_b = PFN_PHYS(page_to_pfn(m, b));

	/* Three ways to flush, each after CPU 0 and CPU 1 cached the A mapping. */
	for (int how = 0; how < 3; how++) {
		ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va, pa_a | prot, NULL), 0);
		flush_tlb_all(m);
		ASSERT_TRUE(read_is(m, 0, va, "frame A"));
		ASSERT_TRUE(read_is(m, 1, va, "frame A"));
		ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va, pa_b | prot, NULL), 0);
		ASSERT_TRUE(read_is(m, 1, va, "frame A"));	/* stale until someone flushes */
		m->cur_cpu = 0;					/* the flush runs on CPU 0 */
		if (how == 0)
			flush_tlb_kernel_range(m, va, va + PAGE_SIZE);
		else if (how == 1)
			flush_tlb_kernel_range(m, va - 64 * PAGE_SIZE, va + 64 * PAGE_SIZE);	/* past the ceiling */
		else
			flush_tlb_all(m);
		ASSERT_TRUE(read_is(m, 1, va, "frame B"));
		ASSERT_TRUE(read_is(m, 0, va, "frame B"));
	}
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va, 0, NULL), 0);
	flush_tlb_all(m);
	phys_addr_t pa;
	ASSERT_EQ(mmu_translate(m, 1, va, MMU_READ, &pa), -1);
	__free_pages(m, a, 0);
	__free_pages(m, b, 0);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* Global entries survive a CR3 reload; others do not. */
static bool test_cr3_reload_keeps_global_entries(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 256, 2);
	ASSERT_TRUE(m);
	struct page *a = alloc_pages(m, GFP_KERNEL, 0), *b = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(a && b);
	uint64_t g = 0xf8000000, ng = 0xf8001000;
	uint64_t prot = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
	phys_addr_t pa;
	pt_set_pte(m, m->swapper_pg_dir, g, PFN_PHYS(page_to_pfn(m, a)) | prot | _PAGE_GLOBAL, NULL);
	pt_set_pte(m, m->swapper_pg_dir, ng, PFN_PHYS(page_to_pfn(m, a)) | prot, NULL);
	ASSERT_EQ(mmu_translate(m, 1, g, MMU_READ, &pa), 0);
	ASSERT_EQ(mmu_translate(m, 1, ng, MMU_READ, &pa), 0);
	pt_set_pte(m, m->swapper_pg_dir, g, PFN_PHYS(page_to_pfn(m, b)) | prot | _PAGE_GLOBAL, NULL);
	pt_set_pte(m, m->swapper_pg_dir, ng, PFN_PHYS(page_to_pfn(m, b)) | prot, NULL);
	write_cr3(m, 1, m->swapper_pg_dir);
	ASSERT_EQ(mmu_translate(m, 1, g, MMU_READ, &pa), 0);
	ASSERT_EQ(PFN_DOWN(pa), page_to_pfn(m, a));	/* global: still the old frame */
	ASSERT_EQ(mmu_translate(m, 1, ng, MMU_READ, &pa), 0);
	ASSERT_EQ(PFN_DOWN(pa), page_to_pfn(m, b));	/* re-walked */
	/* CPU 0 never cached them: it sees the new mapping. */
	ASSERT_EQ(mmu_translate(m, 0, g, MMU_READ, &pa), 0);
	ASSERT_EQ(PFN_DOWN(pa), page_to_pfn(m, b));
	mmsim_destroy(m);
	return true;
}

/* The walk sets Accessed on every level used and Dirty on the leaf when writing. */
static bool test_accessed_and_dirty_bits(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 1024, 1);
	ASSERT_TRUE(m);
	struct page *a = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(a);
	uint64_t va = 0xffffc90000100000ULL;	/* vmalloc area */
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va,
			     PFN_PHYS(page_to_pfn(m, a)) | _PAGE_PRESENT | _PAGE_RW | _PAGE_NX, NULL), 0);
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;
	ASSERT_TRUE(pt_lookup(m, m->swapper_pg_dir, va, &level, &table, &idx));
	ASSERT_EQ(level, PT_PTE);
	ASSERT_EQ(pt_read(m, table, idx) & (_PAGE_ACCESSED | _PAGE_DIRTY), 0);
	phys_addr_t pa;
	ASSERT_EQ(mmu_translate(m, 0, va, MMU_READ, &pa), 0);
	ASSERT_EQ(pt_read(m, table, idx) & (_PAGE_ACCESSED | _PAGE_DIRTY), _PAGE_ACCESSED);
	/* A write through a clean TLB entry walks again to set Dirty. */
	unsigned long walks = m->cpu_mmu[0].stats.walks;
	ASSERT_EQ(mmu_translate(m, 0, va, MMU_WRITE, &pa), 0);
	ASSERT_EQ(m->cpu_mmu[0].stats.walks, walks + 1);
	ASSERT_EQ(pt_read(m, table, idx) & _PAGE_DIRTY, _PAGE_DIRTY);
	ASSERT_EQ(mmu_translate(m, 0, va, MMU_WRITE, &pa), 0);
	ASSERT_EQ(m->cpu_mmu[0].stats.walks, walks + 1);	/* now a plain hit */
	mmsim_destroy(m);
	return true;
}

/* Data written through one mapping of a frame is read through another. */
static bool test_two_mappings_one_frame(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	struct page *high = alloc_pages(m, GFP_HIGHUSER, 0);
	ASSERT_TRUE(high && PageHighMem(m, high));
	uint64_t va1 = 0xf8000000, va2 = 0xf9000000;
	uint64_t prot = _PAGE_PRESENT | _PAGE_RW;
	pt_set_pte(m, m->swapper_pg_dir, va1, PFN_PHYS(page_to_pfn(m, high)) | prot, NULL);
	pt_set_pte(m, m->swapper_pg_dir, va2, PFN_PHYS(page_to_pfn(m, high)) | prot, NULL);
	ASSERT_EQ(mmu_write(m, 0, va1 + 100, "hello, highmem", 15, MMU_WRITE), 0);
	char buf[16];
	ASSERT_EQ(mmu_read(m, 0, va2 + 100, buf, 15, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "hello, highmem"));
	mmsim_destroy(m);
	return true;
}

static bool test_directmap_counts_match_real_kernel(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	char *t = proc(m, "/proc/meminfo");
	/* The real 686 kernel with 2 GiB: 4K for the first 4M, the tail and
	 * the large page where rodata meets data; 4M pages for the rest. */
	ASSERT_STR_CONTAINS(t, "DirectMap4k:       12280 kB\nDirectMap4M:      884736 kB\n");
	free(t);
	mmsim_destroy(m);
	return true;
}

static bool test_walk_output(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	char *t = NULL;
	CAPTURE(t, mmu_walk_show(m, 0, 0xc2000000, _f));
	ASSERT_STR_CONTAINS(t, "pgd[776]");
	ASSERT_STR_CONTAINS(t, " PS G");
	ASSERT_STR_CONTAINS(t, "phys 0x2000000, pfn 0x2000 -> struct page: zone Normal");
	free(t);
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_direct_map_translates),
	TEST(test_x86_64_four_levels_and_nx),
	TEST(test_missing_flush_leaves_stale_translation),
	TEST(test_tlb_hit_cache_follows_the_tlb),
	TEST(test_remote_shootdown),
	TEST(test_cr3_reload_keeps_global_entries),
	TEST(test_accessed_and_dirty_bits),
	TEST(test_two_mappings_one_frame),
	TEST(test_directmap_counts_match_real_kernel),
	TEST(test_walk_output),
)
