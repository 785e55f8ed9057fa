/* test_mixed_property.c — every allocator at once, with fixed seeds.
 *
 * A random mix of alloc_pages/__free_pages, kmalloc/kfree, vmalloc/vfree,
 * kmap/kunmap and kmap_atomic pairs. Every object is written through the
 * MMU at a kernel virtual address (direct map, vmalloc area or kmap) with a
 * cookie and read back before it is freed; each page block is also checked
 * through its frame. The validators of every subsystem run as it goes.
 * What one allocator does must never disturb another's memory. */
#include <mmsim/highmem.h>
#include <mmsim/slab.h>
#include <mmsim/vmalloc.h>

#include "arch/x86/mmu.h"
#include "helpers.h"
#include "test.h"

enum kind { K_PAGES, K_KMALLOC, K_VMALLOC };

struct obj {
	enum kind kind;
	struct page *page;	/* K_PAGES */
	unsigned int order;
	uint64_t addr;		/* K_KMALLOC, K_VMALLOC */
	size_t size;
	uint64_t cookie;
	bool kmapped;		/* K_PAGES on HighMem: holds a kmap */
};

/*
 * Write the cookie at the start of the object and, where it does not
 * overlap the first, at its end, through the MMU.
 */
static bool put(struct machine *m, uint64_t va, size_t size, uint64_t cookie)
{
	return !mmu_write(m, m->cur_cpu, va, &cookie, 8, MMU_WRITE) &&
	       (size < 16 || !mmu_write(m, m->cur_cpu, va + size - 8, &cookie, 8, MMU_WRITE));
}

static bool check(struct machine *m, uint64_t va, size_t size, uint64_t cookie)
{
	uint64_t a = 0, b = cookie;
	return !mmu_read(m, m->cur_cpu, va, &a, 8, MMU_READ) &&
	       (size < 16 || !mmu_read(m, m->cur_cpu, va + size - 8, &b, 8, MMU_READ)) &&
	       a == cookie && b == cookie;
}

/* A page block's kernel address: lowmem directly, HighMem through kmap. */
static uint64_t block_va(struct machine *m, struct obj *o)
{
	bool sleep;
	if (!PageHighMem(m, o->page))
		return page_address(m, o->page);
	if (!o->kmapped) {
		uint64_t va = kmap(m, o->page, &sleep);
		if (!va)
			return 0;	/* every slot held: use kmap_atomic instead */
		o->kmapped = true;
		return va;
	}
	return page_address(m, o->page);
}

static bool run(enum mmsim_arch arch, uint64_t mib, unsigned int cpus, uint64_t seed, long steps)
{
	struct machine *m = boot(arch, mib, cpus);
	ASSERT_TRUE(m);
	size_t cap = 3000, n = 0;
	struct obj *objs = calloc(cap, sizeof(*objs));
	ASSERT_TRUE(objs);
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 7;

	drain_all_pages(m);
	unsigned long free_start = global_zone_page_state(m, NR_FREE_PAGES);
	for (long step = 0; step < steps; step++) {
		uint64_t r = xorshift64(&s);
		m->cur_cpu = (unsigned int)(r >> 61) % m->nr_cpus;
		if (n == 0 || (n < cap && r % 100 < 55)) {
			struct obj o = { .kind = (enum kind)((r >> 8) % 3), .cookie = xorshift64(&s) };
			if (o.kind == K_PAGES) {
				o.order = (unsigned int)((r >> 16) % 4);
				gfp_t gfp = (r >> 20) & 1 ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL;
				o.page = alloc_pages(m, gfp | __GFP_NOWARN, o.order);
				if (!o.page)
					continue;
				o.size = PAGE_SIZE;	/* the first page carries the cookie */
				uint64_t va = block_va(m, &o);
				if (va) {
					ASSERT_TRUE(put(m, va, o.size, o.cookie));
				} else {
					uint64_t a = kmap_atomic(m, o.page, 0);
					ASSERT_TRUE(put(m, a, o.size, o.cookie));
					kunmap_atomic(m, a, 0);
				}
			} else if (o.kind == K_KMALLOC) {
				o.size = 8 + (r >> 24) % 5000;
				o.addr = kmalloc(m, o.size, GFP_KERNEL | __GFP_NOWARN);
				if (!o.addr)
					continue;
				ASSERT_TRUE(ksize(m, o.addr) >= o.size);
				ASSERT_TRUE(put(m, o.addr, o.size, o.cookie));
			} else {
				o.size = 8 + (r >> 24) % (64 * 1024);
				o.addr = vmalloc(m, o.size);
				if (!o.addr)
					continue;
				ASSERT_TRUE(put(m, o.addr, o.size, o.cookie));
			}
			objs[n++] = o;
		} else {
			size_t i = (size_t)(r >> 32) % n;
			struct obj *o = &objs[i];
			switch (o->kind) {
			case K_PAGES: {
				/* Lowmem, or HighMem while kmapped; else a kmap_atomic. */
				uint64_t va = page_address(m, o->page);
				if (va) {
					ASSERT_TRUE(check(m, va, o->size, o->cookie));
				} else {
					uint64_t a = kmap_atomic(m, o->page, 0);
					ASSERT_TRUE(check(m, a, o->size, o->cookie));
					kunmap_atomic(m, a, 0);
				}
				/* The frame itself holds the same bytes. */
				uint64_t frame;
				memcpy(&frame, page_host_address(m, o->page), 8);
				ASSERT_EQ(frame, o->cookie);
				if (o->kmapped)
					kunmap(m, o->page);
				__free_pages(m, o->page, o->order);
				break;
			}
			case K_KMALLOC:
				ASSERT_TRUE(check(m, o->addr, o->size, o->cookie));
				kfree(m, o->addr);
				break;
			case K_VMALLOC:
				ASSERT_TRUE(check(m, o->addr, o->size, o->cookie));
				vfree(m, o->addr);
				break;
			}
			objs[i] = objs[--n];
		}
		if (step % 997 == 0 && verify(m)) {
			fprintf(stderr, "seed %" PRIu64 ": inconsistent at step %ld\n", seed, step);
			return false;
		}
	}
	while (n) {
		struct obj *o = &objs[--n];
		if (o->kind == K_PAGES) {
			if (o->kmapped)
				kunmap(m, o->page);
			__free_pages(m, o->page, o->order);
		} else if (o->kind == K_KMALLOC) {
			kfree(m, o->addr);
		} else {
			vfree(m, o->addr);
		}
	}
	ASSERT_EQ(verify(m), 0);
	ASSERT_EQ(m->nr_bad_pages, 0);
	/* Slab and vmalloc keep some pages (empty slabs, page tables): not more than that. */
	drain_all_pages(m);
	ASSERT_TRUE(global_zone_page_state(m, NR_FREE_PAGES) + 4096 > free_start);
	free(objs);
	mmsim_destroy(m);
	return true;
}

static bool test_i386_highmem_mix(void)
{
	return run(MMSIM_ARCH_I386, 1024, 2, 1, 30000) && run(MMSIM_ARCH_I386, 2048, 1, 2, 30000);
}

static bool test_x86_64_mix(void)
{
	return run(MMSIM_ARCH_X86_64, 4608, 2, 3, 30000);
}

static bool test_small_machine_mix(void)
{
	return run(MMSIM_ARCH_I386, 48, 1, 4, 20000);
}

TEST_MAIN(
	TEST(test_i386_highmem_mix),
	TEST(test_x86_64_mix),
	TEST(test_small_machine_mix),
)
