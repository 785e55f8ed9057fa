/* slab.h (mm) — SLUB's internal structures, what slab_common.c and slub.c
 * call in each other, and the hooks boot, /proc and verify call (the
 * kernel's mm/slab.h).
 *
 * Lock order (the kernel's, kept as a comment: the simulation is single
 * threaded): slab_mutex -> cpu_slab (irq off) -> node->list_lock -> slab_lock.
 *
 * Where a slab lives, and what its counters mean there:
 *
 *   c->slab (frozen)      the CPU slab. Its free objects are c->freelist
 *                         (taken by this CPU) plus slab->freelist (freed
 *                         from elsewhere); slab->inuse == objects - |slab->freelist|.
 *   c->partial (frozen)   per-CPU partial slabs, a chain through slab->next;
 *                         the head's ->slabs counts the chain.
 *   n->partial            node partial list, n->nr_partial entries.
 *   (no list)             full slabs (where == SLAB_ON_FULL). As in the kernel
 *                         without SLAB_STORE_USER no list holds them: a free
 *                         into one finds it through its struct page, and the
 *                         validators find them by walking mem_map for PG_slab.
 *
 * For every slab:  inuse + |slab->freelist| + |c->freelist if CPU slab| == objects,
 * and n->nr_slabs / n->total_objects count every slab of the cache. */
#ifndef MMSIM_MM_SLAB_H
#define MMSIM_MM_SLAB_H

#include <stddef.h>
#include <stdio.h>
#include <mmsim/list.h>
#include <mmsim/slab.h>

#include "mm.h"

#define SLAB_ON_NONE		0
#define SLAB_ON_CPU		1	/* c->slab */
#define SLAB_ON_CPU_PARTIAL	2
#define SLAB_ON_PARTIAL		3
#define SLAB_ON_FULL		4

/* Poison bytes (include/linux/poison.h). */
#define POISON_INUSE		0x5a	/* fresh slab memory */
#define POISON_FREE		0x6b	/* a free object */
#define POISON_END		0xa5	/* last byte of a free object */
#define SLUB_RED_INACTIVE	0xbb	/* red zone of a free object */
#define SLUB_RED_ACTIVE		0xcc	/* red zone of an object in use */
#define __OBJECT_POISON		0x80000000U	/* poison the object itself */

/*
 * One slab: 2^order pages cut into objects. As in the kernel, struct slab
 * is not a separate allocation but a view of the slab's first struct page
 * (include/mmsim/mm_types.h documents the overlay):
 *
 *   page->flags    __page_flags   PG_slab on every page of the slab
 *   page->lru      slab_list      n->partial link, or
 *                  next, slabs    the CPU partial chain
 *   page->mapping  slab_cache     on every page: kfree()'s fast path reads it
 *   page->index    freelist       free objects not owned by a CPU; 0 ends
 *   page->private  counters       inuse, objects, frozen, where, order, cpu
 *
 * A tail page of a multi-page slab has PG_slab, page->mapping = the cache
 * and page->lru.next = head page + 1 (the kernel's compound_head); its other
 * fields are 0. Every one of these fields is cleared before the pages go
 * back to the buddy allocator (which checks page->mapping == NULL).
 */
struct slab {
	unsigned long __page_flags;
	union {
		struct list_head slab_list;	/* n->partial */
		struct {
			struct slab *next;	/* next on the CPU partial chain */
			unsigned int slabs;	/* CPU partial head: slabs on the chain */
		};
	};
	struct kmem_cache *slab_cache;
	unsigned long freelist;		/* free objects not owned by a CPU; 0 ends */
	union {
		unsigned long counters;
		struct {
			unsigned short inuse;	/* objects - |freelist| (- c->freelist when CPU slab) */
			unsigned short objects;	/* <= MAX_OBJS_PER_PAGE (32767) */
			unsigned char frozen;	/* owned by a CPU (slab or partial) */
			unsigned char where;	/* SLAB_ON_* */
			unsigned char order;
			unsigned char cpu;	/* which CPU, when frozen */
		};
	};
	/* The rest is struct page's own and untouched: _mapcount, _refcount, ... */
	unsigned char __page_rest[sizeof(struct page) - 6 * sizeof(unsigned long)];
};

#define SLAB_MATCH(pg, sl) \
	_Static_assert(offsetof(struct page, pg) == offsetof(struct slab, sl), #pg " vs " #sl)
SLAB_MATCH(flags, __page_flags);
SLAB_MATCH(lru, slab_list);
SLAB_MATCH(mapping, slab_cache);
SLAB_MATCH(index, freelist);
SLAB_MATCH(private, counters);
#undef SLAB_MATCH
_Static_assert(sizeof(struct slab) == sizeof(struct page), "struct slab overlays struct page");
_Static_assert(sizeof(((struct slab *)0)->counters) == 8, "the counters need a 64-bit host");

static inline struct page *slab_page(const struct slab *slab)
{
	return (struct page *)slab;
}

/*
 * compound_head(): a tail page of a slab holds its head page + 1 in
 * page->lru.next; the head's lru.next is a list link (even) or NULL.
 */
static inline struct slab *page_slab(const struct page *page)
{
	unsigned long head = (unsigned long)page->lru.next;

	if (head & 1)
		return (struct slab *)(head - 1);
	return (struct slab *)page;
}

#define PG_slab_mask		(1UL << PG_slab)
#define KMALLOC_NOT_NORMAL_BITS	(__GFP_RECLAIMABLE | __GFP_DMA | __GFP_ACCOUNT)
#define GFP_SLAB_BUG_MASK	(__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)

static inline unsigned int fls_long(unsigned long x)
{
	return x ? (unsigned int)(64 - __builtin_clzl(x)) : 0;
}

/* get_order(): the smallest order whose block holds @size bytes. */
static inline unsigned int get_order(unsigned long size)
{
	if (size <= PAGE_SIZE)
		return 0;
	return fls_long((size - 1) >> PAGE_SHIFT);
}

/*
 * Per-CPU state. In front of SLUB's own freelist sits a per-CPU array of
 * recently freed objects (see "The per-CPU object array" in slub.c): the
 * fast paths push and pop it. With the array empty, allocation pops the
 * CPU slab's freelist: an object o may be popped iff (o - lo) < span,
 * which also rejects the end of the list (0), a cache with no CPU slab
 * (span 0) and a debug cache (span always 0: every operation takes the
 * checked slow path).
 */
struct kmem_cache_cpu {
	unsigned int avail;		/* objects in array[] (the top is array[avail - 1]) */
	unsigned int limit;		/* array[]'s capacity; 0: no array */
	unsigned long *array;		/* freed objects, oldest first; array[-1] is 0 */
	unsigned long freelist;		/* next object to hand out */
	unsigned long lo;		/* c->slab->base + red_left_pad */
	unsigned long span;		/* (objects - 1) * size + 1, 0: no fast path */
	struct slab *slab;		/* the CPU slab, or NULL */
	struct slab *partial;		/* per-CPU partial chain */
	unsigned long pad;		/* one cache line per CPU */
};
_Static_assert(sizeof(struct kmem_cache_cpu) == 64, "one cache line per CPU");

struct kmem_cache_node {
	unsigned long nr_partial;
	struct list_head partial;
	unsigned long nr_slabs;		/* every slab of the cache on this node */
	unsigned long total_objects;
};

struct kmem_cache {
	/* The fast path's fields come first (and cpu_slab[], last). */
	uintptr_t ram_bias;		/* host address = ram_bias + kernel virtual address */
	unsigned int offset;		/* free pointer offset inside the object */
	unsigned int size;		/* object stride: object_size + metadata, aligned */
	unsigned int object_size;	/* what the user asked for */
	bool fp32;			/* free pointers are 4 bytes (i386) */
	uint64_t reciprocal_size;	/* ceil(2^32 / size): index = (off * r) >> 32 */
	uint64_t div_magic;		/* ceil(2^64 / size): off % size == 0 iff off * d < d */
	unsigned int array_limit;	/* per-CPU array capacity (SLAB's "limit"); 0: none */
	unsigned int batchcount;	/* objects a full array gives back at once */
	unsigned long *arrays;		/* every CPU's array, each after a 0 slot */

	slab_flags_t flags;
	unsigned long min_partial;	/* clamp(ilog2(size) / 2, 5, 10) */
	unsigned int cpu_partial;	/* objects: 120 / 52 / 24 / 6 by size, 0 when debugging */
	unsigned int cpu_partial_slabs;	/* DIV_ROUND_UP(cpu_partial * 2, objects per slab) */
	unsigned int oo_order, oo_objects;	/* preferred slab order and its objects */
	unsigned int min_order, min_objects;	/* fallback: get_order(size) */
	unsigned int inuse;		/* object_size rounded to a word (+ red zone) */
	unsigned int align;
	unsigned int red_left_pad;
	gfp_t allocflags;		/* __GFP_COMP, GFP_DMA, __GFP_RECLAIMABLE ... */
	void (*ctor)(void *obj);
	char *name;
	struct list_head list;		/* slab_caches, most recent first */
	struct kmem_cache_node node;	/* nr_node_ids == 1 */
	unsigned long kaddr;		/* this struct's object in the kmem_cache cache */
	unsigned long node_kaddr;	/* the node's object in kmem_cache_node */
	int refcount;
	bool boot_cache;		/* created before SYSTEM_RUNNING: the kernel's own */
	struct machine *m;
	/* Where slabs are: struct page <-> direct-map address (virt_to_page). */
	struct page *mem_map;
	unsigned long page_offset;
	/* slab_verify()'s tally of the slabs it found in mem_map (all / full ones). */
	unsigned long verify_slabs, verify_pages, verify_full_slabs, verify_full_objects;
	struct kmem_cache_cpu cpu_slab[];	/* [nr_cpus], in line: one load less */
};

/* The kmalloc cache types, in 6.1's enum order (creation order). */
enum kmalloc_cache_type {
	KMALLOC_NORMAL = 0,
	KMALLOC_CGROUP,
	KMALLOC_RECLAIM,
	KMALLOC_DMA,
	NR_KMALLOC_TYPES
};

struct slab_state {
	/* kfree()'s lookup: the direct map and its struct pages. */
	uint64_t page_offset;
	uint64_t lowmem_bytes;		/* max_low_pfn << PAGE_SHIFT */
	struct page *mem_map;
	uintptr_t ram_bias;
	/*
	 * For every lowmem page: the cache of the slab it belongs to (NULL:
	 * not a slab page), and the slab's order, the page's index in it and
	 * how much of the page may start an object (SLAB_POS). The same facts
	 * as the page's struct page (PG_slab, slab_cache, compound_head) in
	 * 16 bytes instead of 64, found from the address alone, so kfree()
	 * finds its cache without a cache miss on mem_map; slab_verify()
	 * checks that they agree.
	 */
	struct slab_page_info {
		struct kmem_cache *cache;
		uint32_t pos;
	} *slab_pages;
	bool no_cpu_arrays;			/* pure 6.1 SLUB: no per-CPU arrays */
	unsigned char size_index[24];	/* (size - 1) / 8 -> kmalloc index, size <= 192 */
	/* kmalloc()'s fast path: kmalloc_caches[KMALLOC_NORMAL][size_index[(size - 1) / 8]]. */
	struct kmem_cache *kmalloc_small[24];
	struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH_CLASSIC + 1];
	/*
	 * The largest size a kmalloc cache serves: KMALLOC_MAX_CACHE_SIZE (8k)
	 * in 6.1, whose larger requests take whole pages; KMALLOC_MAX_SIZE in
	 * the classic profile, where caches go up to 4 MiB.
	 */
	unsigned long kmalloc_max_cache_size;
	unsigned int kmalloc_shift_high;
	bool classic_kmalloc;			/* "size-N" names, no rcl/cg caches */

	struct list_head slab_caches;
	struct kmem_cache *kmem_cache;		/* caches of the caches themselves */
	struct kmem_cache *kmem_cache_node;
	unsigned int cache_line_size;		/* HWalign: 32 (686) / 64 (amd64) */
	unsigned int min_objects_formula;	/* 4 * (fls(nr_cpus) + 1) */
	slab_flags_t slub_debug;		/* flags for caches created from now on */
	unsigned long nr_caches;

	/* Slab pages (and large kmalloc pages) by meminfo class. */
	unsigned long reclaimable_pages;
	unsigned long unreclaimable_pages;
	unsigned long large_kmalloc_pages;

	unsigned long nr_reports;		/* slab_bug() reports made */
	bool tainted;
};

/*
 * slab_pages[].pos: a slab page's slab order, its index in the slab, and how
 * many of its first bytes may start an object (4096, fewer in the page
 * where the slab's unused tail begins, 0 in a page wholly in that tail).
 */
#define SLAB_POS(order, index, limit) \
	((uint32_t)(order) | (uint32_t)(index) << 4 | (uint32_t)(limit) << 16)
#define SLAB_POS_ORDER(pos)	((pos) & 15)
#define SLAB_POS_INDEX(pos)	(((unsigned int)(pos) >> 4) & 0xfff)
#define SLAB_POS_LIMIT(pos)	((unsigned int)(pos) >> 16)

/* Fixed marker in page->mapping of a large kmalloc's first page. */
extern const char slab_large_kmalloc_mark[];

static inline struct kmem_cache_node *get_node(struct kmem_cache *s)
{
	return &s->node;
}

/* The struct page of a direct-map address, or NULL outside lowmem. */
static inline struct page *virt_to_page_checked(struct slab_state *ss, unsigned long x)
{
	uint64_t off = (uint64_t)x - ss->page_offset;

	if (unlikely(off >= ss->lowmem_bytes))
		return NULL;
	return ss->mem_map + (off >> PAGE_SHIFT);
}

/* ---- between slab_common.c and slub.c (as in the kernel) -------------------- */

/*
 * slub.c: the allocator's half of a cache's life. __kmem_cache_create()
 * lays out the cache create_cache() filled in (0, -EINVAL, -ENOMEM);
 * __kmem_cache_shrink() frees empty slabs; __kmem_cache_shutdown()
 * reports the slabs still in use and returns -EBUSY, or 0 when empty;
 * __kmem_cache_release() frees what __kmem_cache_create() took.
 */
int __kmem_cache_create(struct machine *m, struct kmem_cache *s);
int __kmem_cache_shrink(struct machine *m, struct kmem_cache *s);
int __kmem_cache_shutdown(struct machine *m, struct kmem_cache *s);
void __kmem_cache_release(struct machine *m, struct kmem_cache *s);

/* slab_common.c */
struct kmem_cache *create_boot_cache(struct machine *m, const char *name, unsigned int size,
				     slab_flags_t flags);
int create_kmalloc_caches(struct machine *m);
/* A zone modifier slab memory must not have: logged and removed. */
gfp_t kmalloc_fix_flags(struct machine *m, gfp_t flags);
/* kmalloc_large(): whole pages, counted as unreclaimable slab; 0 on failure. */
unsigned long kmalloc_large(struct machine *m, size_t size, gfp_t flags);
void free_large_kmalloc(struct machine *m, struct page *page);

/* ---- hooks: boot, teardown, /proc, verify ----------------------------------- */

/*
 * kmem_cache_init(): create kmem_cache_node, kmem_cache and every kmalloc
 * cache (kmalloc-, kmalloc-cg-, kmalloc-rcl-, dma-kmalloc-, 8 .. 8k with 96
 * and 192), then log "SLUB: HWalign=..". Call it where start_kernel's
 * mm_init() does: after mem_init() has freed memblock to the buddy
 * allocator, before init_per_zone_wmark_min(). Returns 0 or -ENOMEM.
 */
int kmem_cache_init(struct machine *m);
/* Free the host memory of every cache (mmsim_destroy(), before RAM goes). */
void kmem_cache_release(struct machine *m);
/* /proc/slabinfo: "slabinfo - version: 2.1", caches most recent first. */
void proc_slabinfo_show(struct machine *m, FILE *out);
/*
 * /proc/meminfo's Slab (= SReclaimable + SUnreclaim), SReclaimable (also
 * KReclaimable's slab part) and SUnreclaim, in pages. Large kmallocs count
 * as SUnreclaim, as in the kernel (NR_SLAB_UNRECLAIMABLE_B).
 */
/* The OOM report's list of the unreclaimable caches (mm/slab_common.c). */
void dump_unreclaimable_slab(struct machine *m);
void meminfo_slab_values(struct machine *m, unsigned long *slab_pages,
			 unsigned long *reclaimable_pages, unsigned long *unreclaimable_pages);
/* A cache's per-CPU arrays: limit, batchcount and the objects each CPU holds. */
void slab_tune_show(struct machine *m, struct kmem_cache *s, FILE *out);
/* Validate every cache; print one line per problem, return how many. */
unsigned long slab_verify(struct machine *m, FILE *out);

/* ---- for tests and the commands ------------------------------------------------- */

/* calculate_order() for an object stride, with @min_objects (0: the boot formula). */
int slub_calculate_order(unsigned int size, unsigned int min_objects);
unsigned int slub_order_objects(unsigned int order, unsigned int size);
/* kmalloc's cache for (size, gfp), NULL above KMALLOC_MAX_CACHE_SIZE. */
struct kmem_cache *kmalloc_slab(struct machine *m, size_t size, gfp_t gfp);
unsigned int kmalloc_index(size_t size);
/* The cache owning an object, or NULL (large kmalloc / not a slab page). */
struct kmem_cache *virt_to_cache(struct machine *m, unsigned long obj);
/* Active and total objects, as slabinfo counts them. */
void slab_cache_counts(struct kmem_cache *s, unsigned long *active, unsigned long *total,
		       unsigned long *slabs);

/*
 * The mm caches that arrive with processes (kernel/fork.c, mm/rmap.c,
 * mm/mmap.c), with the object sizes, alignments and flags of Debian 12's
 * kernels, so a caller can create them with kmem_cache_create() and get
 * the geometry the real kernel shows in /proc/slabinfo.
 */
struct kernel_cache_desc {
	const char *name;
	unsigned int size_32, size_64;	/* sizeof() on 686 / amd64 */
	unsigned int align_32, align_64;
	slab_flags_t flags;
	bool has_ctor;
};
extern const struct kernel_cache_desc kernel_mm_caches[];
extern const unsigned int nr_kernel_mm_caches;

#endif /* MMSIM_MM_SLAB_H */
