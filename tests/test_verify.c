/* test_verify.c — the validators find what they claim to find: each test
 * breaks one invariant on purpose, expects verify to report it by name,
 * then repairs it and expects a clean machine again. */
#include "arch/x86/pgtable.h"
#include "helpers.h"
#include "mm/highmem.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include <mmsim/process.h>
#include <mmsim/swap.h>
#include "test.h"

static char *verify_text(struct machine *m, unsigned long *bad)
{
	char *t = NULL;
	CAPTURE(t, *bad = mmsim_verify(m, _f));
	return t;
}

#define EXPECT_REPORT(m, needle) do { \
	unsigned long _bad; \
	char *_t = verify_text(m, &_bad); \
	ASSERT_TRUE(_bad > 0); \
	ASSERT_STR_CONTAINS(_t, needle); \
	free(_t); \
} while (0)

static struct page *first_free_block(struct machine *m, enum zone_type z, unsigned int *order)
{
	struct zone *zone = &m->node.node_zones[z];
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			if (!list_empty(&zone->free_area[o].free_list[mt])) {
				*order = o;
				return list_first_entry(&zone->free_area[o].free_list[mt], struct page,
							buddy_list);
			}
	return NULL;
}

static bool test_buddy_invariants(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(verify(m), 0);
	struct zone *z = &m->node.node_zones[ZONE_NORMAL];
	unsigned int order;
	struct page *p = first_free_block(m, ZONE_NORMAL, &order);
	ASSERT_TRUE(p);

	z->free_area[order].nr_free++;
	EXPECT_REPORT(m, "nr_free is");
	z->free_area[order].nr_free--;

	z->vm_stat[NR_FREE_PAGES] += 3;
	EXPECT_REPORT(m, "NR_FREE_PAGES is");
	z->vm_stat[NR_FREE_PAGES] -= 3;

	p->_refcount = 1;
	EXPECT_REPORT(m, "has refcount 1");
	p->_refcount = 0;

	p->private = order + 1;
	EXPECT_REPORT(m, "is not a buddy page of that order");
	p->private = order;

	struct page *a = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_TRUE(a);
	a->alloc_order = -1;		/* allocated, but nobody knows it */
	EXPECT_REPORT(m, "is neither free, allocated nor reserved");
	a->alloc_order = 0;
	__free_pages(m, a, 0);

	struct per_cpu_pages *pcp = &z->per_cpu_pageset[0];
	pcp->count++;
	EXPECT_REPORT(m, "pcp->count is");
	pcp->count--;
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* Two free buddies of one order left unmerged: coalescing is incomplete. */
static bool test_unmerged_buddies_are_found(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	struct zone *z = &m->node.node_zones[ZONE_NORMAL];
	struct page *p = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 5);
	ASSERT_TRUE(p);
	/* Hand-free both halves as order-4 blocks, the way a broken free would. */
	struct page *halves[2] = { p, p + 16 };
	for (int i = 0; i < 2; i++) {
		halves[i]->_refcount = 0;
		halves[i]->alloc_order = -1;
		halves[i]->private = 4;
		__SetPageBuddy(halves[i]);
		list_add(&halves[i]->buddy_list, &z->free_area[4].free_list[MIGRATE_MOVABLE]);
		z->free_area[4].nr_free++;
	}
	z->vm_stat[NR_FREE_PAGES] += 32;
	z->vm_stat[NR_ZONE_ALLOC_PAGES] -= 32;
	EXPECT_REPORT(m, "were not merged");
	mmsim_destroy(m);
	return true;
}

static bool test_memblock_and_page_tables(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 1024, 1);
	ASSERT_TRUE(m);
	struct memblock_region saved = m->memblock.reserved.regions[1];
	m->memblock.reserved.regions[1].base = m->memblock.reserved.regions[0].base;
	EXPECT_REPORT(m, "memblock.reserved[1]");
	m->memblock.reserved.regions[1] = saved;

	m->direct_pages_count[PT_PMD]++;
	EXPECT_REPORT(m, "direct map counts cover");
	m->direct_pages_count[PT_PMD]--;

	/* A kernel page-table page handed back to the allocator while in use. */
	uint64_t va = 0xffffc90040000000ULL;	/* 1 GiB into the vmalloc space: past every boot area */
	struct page *data = alloc_pages(m, GFP_KERNEL, 0);
	ASSERT_EQ(pt_set_pte(m, m->swapper_pg_dir, va, PFN_PHYS(page_to_pfn(m, data)) | _PAGE_PRESENT, NULL), 0);
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;
	ASSERT_TRUE(pt_lookup(m, m->swapper_pg_dir, va, &level, &table, &idx));
	struct page *tp = pfn_to_page(m, PFN_DOWN(table));
	int ref = tp->_refcount;
	tp->_refcount = 0;
	EXPECT_REPORT(m, "is a free page");
	tp->_refcount = ref;
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

static bool test_pkmap_count_agrees_with_ptes(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	struct page *p = alloc_pages(m, GFP_HIGHUSER, 0);
	bool sleep;
	ASSERT_TRUE(p && kmap(m, p, &sleep));
	ASSERT_EQ(verify(m), 0);
	unsigned short slot = p->kmap_slot;
	p->kmap_slot = 0;		/* the page forgets its slot */
	EXPECT_REPORT(m, "whose page does not point back");
	p->kmap_slot = slot;
	kunmap(m, p);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/*
 * The slab validators: a double free the array's top check cannot see (an
 * object in the array twice), an object both in an array and on its slab's
 * freelist, the slab map disagreeing with struct page, and a slab's counters.
 */
static bool test_slab_validators(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 512, 1);
	ASSERT_TRUE(m);
	ASSERT_TRUE(m->slab);
	struct kmem_cache *s = kmem_cache_create(m, "victim", 64, 0, 0, NULL);
	ASSERT_TRUE(s);
	unsigned long a = kmem_cache_alloc(m, s, GFP_KERNEL);
	unsigned long b = kmem_cache_alloc(m, s, GFP_KERNEL);
	ASSERT_EQ(verify(m), 0);
	struct kmem_cache_cpu *c = &s->cpu_slab[0];

	kmem_cache_free(m, s, a);
	kmem_cache_free(m, s, b);
	kmem_cache_free(m, s, a);		/* not the top: the fast path takes it */
	ASSERT_EQ(c->avail, 3);
	EXPECT_REPORT(m, "is in the cpu arrays twice");
	c->avail = 2;				/* undo the second free */
	ASSERT_EQ(verify(m), 0);

	/* a also on the CPU slab's freelist */
	unsigned long saved = c->freelist;
	c->freelist = a;
	unsigned char *fp = mmsim_kaddr(m, a + s->offset);
	unsigned long saved_fp;
	memcpy(&saved_fp, fp, sizeof(saved_fp));
	memcpy(fp, &saved, sizeof(saved));
	EXPECT_REPORT(m, "array and on a freelist");
	c->freelist = saved;
	memcpy(fp, &saved_fp, sizeof(saved_fp));
	ASSERT_EQ(verify(m), 0);

	/* The slab map forgets a slab page, names another cache or another position */
	struct slab_state *ss = m->slab;
	unsigned long pfn = (a - m->page_offset) >> PAGE_SHIFT;
	ss->slab_pages[pfn].cache = NULL;
	EXPECT_REPORT(m, "says no slab (order 0, page 0, limit 4033), "
			 "but struct page says victim (order 0, page 0, limit 4033)");
	ss->slab_pages[pfn].cache = mmsim_kmem_cache_find(m, "kmalloc-64");
	EXPECT_REPORT(m, "says kmalloc-64 (order 0, page 0, limit 4033)");
	ss->slab_pages[pfn].cache = s;
	uint32_t pos = ss->slab_pages[pfn].pos;
	ss->slab_pages[pfn].pos = SLAB_POS(0, 1, PAGE_SIZE);
	EXPECT_REPORT(m, "says victim (order 0, page 1, limit 4096), "
			 "but struct page says victim (order 0, page 0, limit 4033)");
	ss->slab_pages[pfn].pos = SLAB_POS(0, 0, 100);	/* the tail begins too soon */
	EXPECT_REPORT(m, "says victim (order 0, page 0, limit 100)");
	ss->slab_pages[pfn].pos = pos;
	ASSERT_EQ(verify(m), 0);
	ss->slab_pages[0].cache = s;		/* a reserved page called a slab */
	EXPECT_REPORT(m, "slab map of pfn 0x0 says victim (order 0, page 0, limit 0), "
			 "but struct page says not a slab");
	ss->slab_pages[0].cache = NULL;
	ASSERT_EQ(verify(m), 0);

	/* A full slab whose inuse is off by one */
	kmem_cache_shrink(m, s);
	enum { N = 200 };
	unsigned long obj[N];
	for (int i = 0; i < N; i++)
		ASSERT_TRUE(obj[i] = kmem_cache_alloc(m, s, GFP_KERNEL));
	struct slab *full = (struct slab *)pfn_to_page(m, (obj[0] - m->page_offset) >> PAGE_SHIFT);
	ASSERT_EQ(full->where, SLAB_ON_FULL);
	full->inuse--;
	EXPECT_REPORT(m, "inuse");
	full->inuse++;
	ASSERT_EQ(verify(m), 0);
	for (int i = 0; i < N; i++)
		kmem_cache_free(m, s, obj[i]);
	kmem_cache_destroy(m, s);
	ASSERT_EQ(verify(m), 0);
	mmsim_destroy(m);
	return true;
}

/* A swap slot whose count no longer matches the swap PTEs that name it is found. */
static bool test_swap_counts(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 64, 1);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_swapon(m, NULL, 128 * MiB, -1), 0);
	int pid = mmsim_spawn(m, "p");
	int64_t a = mmsim_mmap(m, pid, 0, 96 * MiB, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
			       MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(a > 0);
	for (uint64_t off = 0; off < 96 * MiB; off += 4096) {
		unsigned char b = 1;
		ASSERT_EQ(mmsim_user_write(m, pid, (uint64_t)a + off, &b, 1, NULL), 0);
	}
	ASSERT_TRUE(verify_passes(m));
	/* A slot one PTE names, given a second reference no PTE holds. */
	swp_entry_t e = { 0, 0 };
	for (unsigned long off = 1; off < m->swap->info[0]->max && !e.offset; off++)
		if (__swap_count(m, swp_entry(0, off)) == 1)
			e = swp_entry(0, off);
	ASSERT_TRUE(e.offset);
	ASSERT_EQ(swap_duplicate(m, e), 0);
	char *buf = NULL;
	unsigned long bad;
	CAPTURE(buf, bad = mmsim_verify(m, _f));
	ASSERT_TRUE(bad > 0);
	ASSERT_STR_CONTAINS(buf, "count 2, but 1 swap PTEs name it");
	free(buf);
	swap_free(m, e);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_buddy_invariants),
	TEST(test_swap_counts),
	TEST(test_unmerged_buddies_are_found),
	TEST(test_memblock_and_page_tables),
	TEST(test_pkmap_count_agrees_with_ptes),
	TEST(test_slab_validators),
)
