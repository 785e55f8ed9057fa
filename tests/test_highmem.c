/* test_highmem.c — kmap's pkmap slots (count semantics, flush on wrap,
 * sleeping when full), kmap_atomic/kmap_local (LIFO, per-CPU slots), the
 * classic km_type slots, and x86_64 where everything is the direct map. */
#include "arch/x86/mmu.h"
#include "helpers.h"
#include "kernel/sched.h"
#include "mm/highmem.h"
#include "test.h"

#include <mmsim/vmalloc.h>

static struct page *highpage(struct machine *m)
{
	struct page *p = alloc_pages(m, GFP_HIGHUSER, 0);
	return p && PageHighMem(m, p) ? p : NULL;
}

static bool test_kmap_maps_and_counts(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	struct page *p = highpage(m);
	ASSERT_TRUE(p);
	bool sleep;
	ASSERT_EQ(page_address(m, p), 0);		/* no mapping yet */
	uint64_t va = kmap(m, p, &sleep);
	ASSERT_TRUE(!sleep);
	ASSERT_EQ(va, 0xfec01000);			/* slot 1: the search starts after 0 */
	ASSERT_EQ(page_address(m, p), va);
	ASSERT_EQ(kmap(m, p, &sleep), va);		/* a second user shares the slot */
	/* Data written through the kmap lands in the frame. */
	ASSERT_EQ(mmu_write(m, 0, va + 8, "via kmap", 9, MMU_WRITE), 0);
	ASSERT_TRUE(!strcmp((char *)page_host_address(m, p) + 8, "via kmap"));
	kunmap(m, p);
	kunmap(m, p);
	/* Count 1: unused, but still mapped until the next wrap flushes it. */
	ASSERT_EQ(page_address(m, p), va);
	ASSERT_EQ(verify(m), 0);
	/*
	 * One kunmap too many: the count would reach 0 with the mapping still
	 * in the TLBs, which only the wrap's flush may end. The kernel BUGs;
	 * the slot keeps its count of 1 and its mapping (verify checks the
	 * count against the mapping).
	 */
	kunmap(m, p);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "kernel BUG at mm/highmem.c: kunmap_high: pkmap_count[1] would reach 0");
	free(log);
	ASSERT_EQ(page_address(m, p), va);
	ASSERT_EQ(verify(m), 0);
	/* A lowmem page's kmap is its direct-map address and uses no slot. */
	struct page *low = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_EQ(kmap(m, low, &sleep), page_address(m, low));
	mmsim_destroy(m);
	return true;
}

/* Wrapping to slot 0 unmaps every count-1 slot and flushes the TLB once. */
static bool test_wrap_flushes_unused_slots(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	struct page *pages[1025];
	bool sleep;
	for (int i = 0; i < 1025; i++)
		ASSERT_TRUE((pages[i] = highpage(m)));
	uint64_t first = kmap(m, pages[0], &sleep);
	kunmap(m, pages[0]);
	phys_addr_t pa;
	ASSERT_EQ(mmu_translate(m, 0, first, MMU_READ, &pa), 0);	/* cached in the TLB */
	for (int i = 1; i < 1024; i++)
		ASSERT_TRUE(kmap(m, pages[i], &sleep) && !sleep);
	/* This search wraps: slot 1 (count 1) is unmapped and flushed, then reused. */
	uint64_t va = kmap(m, pages[1024], &sleep);
	ASSERT_TRUE(!sleep);
	ASSERT_EQ(page_address(m, pages[0]), 0);
	ASSERT_EQ(va, first);
	ASSERT_EQ(mmu_translate(m, 0, va, MMU_READ, &pa), 0);
	ASSERT_EQ(PFN_DOWN(pa), page_to_pfn(m, pages[1024]));	/* not the stale frame */
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* With every slot in use, kmap puts current to sleep; kunmap wakes it. */
static bool test_kmap_sleeps_when_full(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	struct page *pages[1025];
	bool sleep;
	for (int i = 0; i < 1025; i++)
		ASSERT_TRUE((pages[i] = highpage(m)));
	for (int i = 0; i < 1024; i++)
		ASSERT_TRUE(kmap(m, pages[i], &sleep) && !sleep);
	struct task_struct *b = kthread_create(m, "B", NULL);
	ASSERT_EQ(b->state, TASK_NEW);
	wake_up_new_task(m, b);
	switch_to(m, b);
	ASSERT_EQ(kmap(m, pages[1024], &sleep), 0);
	ASSERT_TRUE(sleep);
	ASSERT_EQ(b->state, TASK_UNINTERRUPTIBLE);
	switch_to(m, &m->sched->init_task);
	kunmap(m, pages[7]);
	ASSERT_EQ(b->state, TASK_RUNNING);		/* woken */
	switch_to(m, b);
	uint64_t va = kmap(m, pages[1024], &sleep);	/* the retry succeeds */
	ASSERT_TRUE(va && !sleep);
	ASSERT_EQ(page_address(m, pages[7]), 0);	/* its slot was recycled */
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* 6.1: kmap_atomic slots are a per-task stack, per CPU; out-of-order unmap warns. */
static bool test_kmap_atomic_lifo(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 2);
	ASSERT_TRUE(m);
	struct page *a = highpage(m), *b = highpage(m);
	ASSERT_TRUE(a && b);
	uint64_t va = kmap_atomic(m, a, 0), vb = kmap_atomic(m, b, 0);
	ASSERT_EQ(va, 0xfffff000ULL - 69 * 4096);	/* FIX_KMAP_BEGIN */
	ASSERT_EQ(vb, va - 4096);			/* the next slot down */
	ASSERT_EQ(get_current(m)->preempt_count, 2);
	ASSERT_EQ(mmu_write(m, 0, vb, "atomic", 7, MMU_WRITE), 0);
	ASSERT_TRUE(!strcmp(page_host_address(m, b), "atomic"));
	kunmap_atomic(m, va, 0);			/* wrong order */
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "------------[ cut here ]------------\n[    0.000000] WARNING: CPU: 0 PID: 1 at mm/highmem.c kunmap_local_indexed\n");
	free(log);
	kunmap_atomic(m, vb, 0);
	ASSERT_EQ(get_current(m)->preempt_count, 0);
	/* On CPU 1 the stack starts KM_MAX_IDX slots further down. */
	m->cur_cpu = 1;
	uint64_t v1 = kmap_local_page(m, a);
	ASSERT_EQ(v1, 0xfffff000ULL - (69 + 16) * 4096ULL);
	char buf[8];
	ASSERT_EQ(mmu_read(m, 1, v1, buf, 7, MMU_READ), 0);	/* CPU 1's TLB holds it now */
	kunmap_local(m, v1);
	phys_addr_t pa;
	ASSERT_EQ(mmu_translate(m, 1, v1, MMU_READ, &pa), -1);	/* unmapped and flushed */
	/* The slot's next page is seen through it, not the old one's stale entry. */
	strcpy(page_host_address(m, a), "page A");
	strcpy(page_host_address(m, b), "page B");
	ASSERT_EQ(kmap_local_page(m, a), v1);
	ASSERT_EQ(mmu_read(m, 1, v1, buf, 7, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "page A"));
	kunmap_local(m, v1);
	ASSERT_EQ(kmap_local_page(m, b), v1);
	ASSERT_EQ(mmu_read(m, 1, v1, buf, 7, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "page B"));
	kunmap_local(m, v1);
	mmsim_destroy(m);
	return true;
}

/* Classic: one slot per (CPU, km_type): a second map replaces the first. */
static bool test_classic_km_type_slots(void)
{
	struct machine *m = boot_profile("classic", MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	struct page *a = highpage(m), *b = highpage(m);
	ASSERT_TRUE(a && b);
	strcpy(page_host_address(m, a), "page A");
	strcpy(page_host_address(m, b), "page B");
	int user0 = mmsim_km_type("KM_USER0");
	ASSERT_EQ(user0, 3);
	uint64_t va = kmap_atomic(m, a, user0);
	char buf[8];
	ASSERT_EQ(mmu_read(m, 0, va, buf, 7, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "page A"));
	uint64_t vb = kmap_atomic(m, b, user0);		/* the same purpose, silently */
	ASSERT_EQ(vb, va);
	ASSERT_EQ(mmu_read(m, 0, va, buf, 7, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "page B"));		/* A's mapping is gone */
	kunmap_atomic(m, vb, user0);
	kunmap_atomic(m, va, user0);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* The same HighMem frame through two kernel mappings: kmap writes, vmap reads. */
static bool test_kmap_write_vmap_read(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	struct page *p = highpage(m);
	bool sleep;
	ASSERT_TRUE(p);
	uint64_t kva = kmap(m, p, &sleep);
	ASSERT_EQ(mmu_write(m, 0, kva + 100, "one frame, two mappings", 24, MMU_WRITE), 0);
	uint64_t vva = vmap(m, &p, 1, VM_MAP, _PAGE_PRESENT | _PAGE_RW);
	ASSERT_TRUE(vva >= 0xf7000000 && vva != kva);
	char buf[24];
	ASSERT_EQ(mmu_read(m, 0, vva + 100, buf, 24, MMU_READ), 0);
	ASSERT_TRUE(!strcmp(buf, "one frame, two mappings"));
	vunmap(m, vva);
	kunmap(m, p);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

static bool test_x86_64_kmap_is_direct_map(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 1024, 1);
	ASSERT_TRUE(m);
	struct page *p = alloc_pages(m, GFP_HIGHUSER, 0);
	bool sleep;
	ASSERT_TRUE(p);
	uint64_t direct = 0xffff888000000000ULL + PFN_PHYS(page_to_pfn(m, p));
	ASSERT_EQ(kmap(m, p, &sleep), direct);
	ASSERT_EQ(kmap_atomic(m, p, 0), direct);
	kunmap_atomic(m, direct, 0);
	kunmap(m, p);
	ASSERT_EQ(m->pkmap, NULL);
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_kmap_maps_and_counts),
	TEST(test_wrap_flushes_unused_slots),
	TEST(test_kmap_sleeps_when_full),
	TEST(test_kmap_atomic_lifo),
	TEST(test_classic_km_type_slots),
	TEST(test_kmap_write_vmap_read),
	TEST(test_x86_64_kmap_is_direct_map),
)
