/* slab_common.c — what every slab allocator shares, whatever its design
 * (mm/slab_common.c): creating and destroying caches, the kmalloc caches
 * and their size classes, large kmallocs that take whole pages, ksize and
 * krealloc, and /proc/slabinfo.
 *
 * The allocator itself — slabs, freelists, per-CPU state, debugging — is
 * SLUB's (slub.c); the two halves meet in mm/slab.h's __kmem_cache_*()
 * calls, as in the kernel. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mm/slab.h"

/* ---- alignment and the kmalloc size classes ------------------------------ */

/* calculate_alignment() in mm/slab_common.c. */
static unsigned int calculate_alignment(struct machine *m, slab_flags_t flags,
					unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = m->slab->cache_line_size;
		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < 8)		/* ARCH_SLAB_MINALIGN: __alignof__(unsigned long long) */
		align = 8;
	return ALIGN_UP(align, m->is_32bit ? 4u : 8u);
}

unsigned int kmalloc_index(size_t size)
{
	if (!size)
		return 0;
	if (size <= KMALLOC_MIN_SIZE)
		return KMALLOC_SHIFT_LOW;
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	return fls_long(size - 1);
}

static inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (likely(!(flags & KMALLOC_NOT_NORMAL_BITS)))
		return KMALLOC_NORMAL;
	if (flags & __GFP_DMA)
		return KMALLOC_DMA;
	if (flags & __GFP_RECLAIMABLE)
		return KMALLOC_RECLAIM;
	return KMALLOC_CGROUP;
}

struct kmem_cache *kmalloc_slab(struct machine *m, size_t size, gfp_t gfp)
{
	struct slab_state *ss = m->slab;
	unsigned int index;

	if (size <= 192) {
		if (!size)
			return NULL;
		index = ss->size_index[(size - 1) / 8];
	} else {
		if (size > ss->kmalloc_max_cache_size)
			return NULL;
		index = fls_long(size - 1);
	}
	return ss->kmalloc_caches[kmalloc_type(gfp)][index];
}

/* kmalloc_fix_flags(): a zone modifier slab memory must not have. */
gfp_t kmalloc_fix_flags(struct machine *m, gfp_t flags)
{
	gfp_t invalid = flags & GFP_SLAB_BUG_MASK;
	char a[128], b[128];

	flags &= ~GFP_SLAB_BUG_MASK;
	printk(m, KERN_WARNING "Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!\n",
	       invalid, gfp_string(invalid, a, sizeof(a)), flags, gfp_string(flags, b, sizeof(b)));
	return flags;
}

/* kmalloc_large(): whole pages, counted as unreclaimable slab. */
__attribute__((noinline)) unsigned long kmalloc_large(struct machine *m, size_t size, gfp_t flags)
{
	unsigned int order = get_order(size);

	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(m, flags);
	struct page *page = alloc_pages(m, flags | __GFP_COMP, order);
	if (!page)
		return 0;
	page->mapping = (void *)slab_large_kmalloc_mark;
	m->slab->large_kmalloc_pages += 1UL << order;
	m->slab->unreclaimable_pages += 1UL << order;
	return lowmem_page_address(m, page);
}

/* free_large_kmalloc(): the pages of a large kmalloc go back to the buddy allocator. */
void free_large_kmalloc(struct machine *m, struct page *page)
{
	unsigned int order = (unsigned int)page->alloc_order;

	page->mapping = NULL;
	m->slab->large_kmalloc_pages -= 1UL << order;
	m->slab->unreclaimable_pages -= 1UL << order;
	__free_pages(m, page, order);
}

size_t ksize(struct machine *m, kaddr_t x)
{
	if (ZERO_OR_NULL_PTR(x))
		return 0;
	struct page *page = virt_to_page_checked(m->slab, x);
	if (!page)
		return 0;
	if (page->flags & PG_slab_mask)
		return page_slab(page)->slab_cache->object_size;
	if (page->mapping == slab_large_kmalloc_mark && page->alloc_order >= 0)
		return PAGE_SIZE << page->alloc_order;
	return 0;
}

kaddr_t krealloc(struct machine *m, kaddr_t p, size_t new_size, gfp_t gfp)
{
	if (!new_size) {
		kfree(m, p);
		return ZERO_SIZE_PTR;
	}
	size_t ks = ZERO_OR_NULL_PTR(p) ? 0 : ksize(m, p);
	if (ks >= new_size)
		return p;
	unsigned long ret = kmalloc(m, new_size, gfp);
	if (ret && ks) {
		memcpy(mmsim_kaddr(m, ret), mmsim_kaddr(m, p), ks);
		kfree(m, p);
	}
	return ret;
}

/* ---- creating and destroying caches ------------------------------------- */

/* Fill kmalloc()'s size -> cache table from size_index and the kmalloc caches. */
static void update_kmalloc_small(struct slab_state *ss)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(ss->kmalloc_small); i++)
		ss->kmalloc_small[i] = ss->kmalloc_caches[KMALLOC_NORMAL][ss->size_index[i]];
}

static struct kmem_cache *find_cache(struct machine *m, const char *name)
{
	struct slab_state *ss = m->slab;

	for (struct list_head *l = ss->slab_caches.next; l != &ss->slab_caches; l = l->next) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);
		if (!strcmp(s->name, name))
			return s;
	}
	return NULL;
}

struct kmem_cache *mmsim_kmem_cache_find(struct machine *m, const char *name)
{
	return m->slab ? find_cache(m, name) : NULL;
}

/*
 * create_cache(): a cache of @size-byte objects aligned to @align (final:
 * the caller computed it), made by the allocator's __kmem_cache_create()
 * and put at the head of slab_caches (slabinfo lists the newest first).
 */
static struct kmem_cache *create_cache(struct machine *m, const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	struct slab_state *ss = m->slab;
	struct kmem_cache *s = calloc(1, sizeof(*s) + m->nr_cpus * sizeof(s->cpu_slab[0]));

	if (!s)
		return NULL;
	s->name = strdup(name);
	s->object_size = size;
	s->align = align;
	s->ctor = ctor;
	s->flags = flags;
	s->refcount = 1;
	s->boot_cache = !m->system_running;
	if (!s->name || __kmem_cache_create(m, s)) {
		free(s->arrays);
		free(s->name);
		free(s);
		return NULL;
	}
	list_add(&s->list, &ss->slab_caches);
	ss->nr_caches++;
	return s;
}

struct kmem_cache *kmem_cache_create(struct machine *m, const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	const char *why = NULL;

	if (!m->slab) {
		why = "slab allocator not initialised";
	} else if (!name || !*name || strchr(name, ' ')) {
		why = "invalid name";
	} else if (!size || size > KMALLOC_MAX_SIZE || (align & (align - 1))) {
		why = "invalid size or alignment";
	} else if (find_cache(m, name)) {
		/* kmem_cache_sanity_check() is CONFIG_DEBUG_VM only; mmsim insists. */
		why = "name already in use";
	} else {
		flags &= SLAB_DEBUG_FLAGS | SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 |
			 SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | SLAB_TYPESAFE_BY_RCU | SLAB_ACCOUNT;
		s = create_cache(m, name, size, calculate_alignment(m, flags, align, size),
				 flags, ctor);
		if (!s)
			why = "out of memory";
	}
	if (!s && why) {
		if (flags & SLAB_PANIC)
			printk(m, KERN_EMERG "Kernel panic - not syncing: kmem_cache_create: Failed to create "
			       "slab '%s'. Error %d\n", name ? name : "(null)", -MMSIM_EINVAL);
		else
			printk(m, KERN_WARNING "kmem_cache_create(%s) failed with error %d (%s)\n",
			       name ? name : "(null)", -MMSIM_EINVAL, why);
	}
	return s;
}

int kmem_cache_shrink(struct machine *m, struct kmem_cache *s)
{
	return __kmem_cache_shrink(m, s);
}

/*
 * kmem_cache_destroy(): a cache that still has objects is reported by the
 * allocator and kept, with the kernel's warning; an empty one is unlinked
 * and freed, and no kmalloc size class points at it any more.
 */
void kmem_cache_destroy(struct machine *m, struct kmem_cache *s)
{
	struct slab_state *ss = m->slab;

	if (!s)
		return;
	__kmem_cache_shrink(m, s);
	if (__kmem_cache_shutdown(m, s)) {
		__warn(m, "mm/slab_common.c", "kmem_cache_destroy",
		       "kmem_cache_destroy %s: Slab cache still has objects when called from "
		       "kmem_cache_destroy\n", s->name);
		return;
	}
	list_del(&s->list);
	ss->nr_caches--;
	__kmem_cache_release(m, s);
	for (int t = 0; t < NR_KMALLOC_TYPES; t++)
		for (int i = 0; i <= KMALLOC_SHIFT_HIGH_CLASSIC; i++)
			if (ss->kmalloc_caches[t][i] == s)
				ss->kmalloc_caches[t][i] = NULL;
	update_kmalloc_small(ss);
	free(s->name);
	free(s);
}

bool mmsim_kmem_cache_is_boot(const struct kmem_cache *s)
{
	return s->boot_cache;
}

unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->object_size;
}

const char *mmsim_kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

/* ---- the kmalloc caches ---------------------------------------------------- */

/* kmalloc_info[]: names by index (1 = 96, 2 = 192, 3.. = 2^i). */
static void kmalloc_name(struct slab_state *ss, char *buf, size_t len,
			 enum kmalloc_cache_type type, unsigned int i)
{
	static const char *const prefix[NR_KMALLOC_TYPES] = {
		"kmalloc-", "kmalloc-cg-", "kmalloc-rcl-", "dma-kmalloc-",
	};
	unsigned int size = i == 1 ? 96 : i == 2 ? 192 : 1U << i;

	if (ss->classic_kmalloc) {
		snprintf(buf, len, "size-%u%s", size, type == KMALLOC_DMA ? "(DMA)" : "");
		return;
	}
	if (size >= 1024)
		snprintf(buf, len, "%s%uk", prefix[type], size / 1024);
	else
		snprintf(buf, len, "%s%u", prefix[type], size);
}

/* create_boot_cache(): ARCH_KMALLOC_MINALIGN, or the size if a power of two. */
struct kmem_cache *create_boot_cache(struct machine *m, const char *name, unsigned int size,
				     slab_flags_t flags)
{
	unsigned int align = 8;

	if (!(size & (size - 1)) && size > align)
		align = size;
	return create_cache(m, name, size, calculate_alignment(m, flags, align, size), flags, NULL);
}

static int new_kmalloc_cache(struct machine *m, unsigned int i, enum kmalloc_cache_type type)
{
	static const slab_flags_t type_flags[NR_KMALLOC_TYPES] = {
		0, SLAB_ACCOUNT, SLAB_RECLAIM_ACCOUNT, SLAB_CACHE_DMA,
	};
	char name[32];
	unsigned int size = i == 1 ? 96 : i == 2 ? 192 : 1U << i;

	kmalloc_name(m->slab, name, sizeof(name), type, i);
	struct kmem_cache *s = create_boot_cache(m, name, size, type_flags[type] | SLAB_KMALLOC);
	if (!s)
		return -MMSIM_ENOMEM;
	m->slab->kmalloc_caches[type][i] = s;
	return 0;
}

/*
 * create_kmalloc_caches(): 6.1's kmalloc-8 .. kmalloc-8k of every type
 * (96 right after 64, 192 right after 128), or the classic profile's
 * size-N caches; then kmalloc()'s size -> cache table. 0 or -ENOMEM.
 */
int create_kmalloc_caches(struct machine *m)
{
	struct slab_state *ss = m->slab;

	if (!ss->classic_kmalloc) {
		for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++)
			for (unsigned int i = KMALLOC_SHIFT_LOW; i <= ss->kmalloc_shift_high; i++) {
				if (new_kmalloc_cache(m, i, (enum kmalloc_cache_type)type))
					return -MMSIM_ENOMEM;
				if (i == 6 && new_kmalloc_cache(m, 1, (enum kmalloc_cache_type)type))
					return -MMSIM_ENOMEM;
				if (i == 7 && new_kmalloc_cache(m, 2, (enum kmalloc_cache_type)type))
					return -MMSIM_ENOMEM;
			}
	} else {
		/*
		 * kmalloc_sizes.h with L1_CACHE_BYTES 64: 32, 64, 128, 192, 256 ...
		 * 4 MiB, each size then its (DMA) twin. Smaller requests use
		 * size-32 and the missing 96 uses 128; there are no reclaimable or
		 * cgroup caches, so those types share the normal ones.
		 */
		static const unsigned char classic_index[] = {
			5, 6, 7, 2, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
		};
		for (size_t k = 0; k < ARRAY_SIZE(classic_index); k++)
			if (new_kmalloc_cache(m, classic_index[k], KMALLOC_NORMAL) ||
			    new_kmalloc_cache(m, classic_index[k], KMALLOC_DMA))
				return -MMSIM_ENOMEM;
		for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
			enum kmalloc_cache_type from = type == KMALLOC_DMA ? KMALLOC_DMA : KMALLOC_NORMAL;
			for (unsigned int i = 0; i <= ss->kmalloc_shift_high; i++) {
				unsigned int j = i == 1 ? 7 : (i < 5 && i != 2) ? 5 : i;
				ss->kmalloc_caches[type][i] = ss->kmalloc_caches[from][j];
			}
		}
	}
	update_kmalloc_small(ss);
	return 0;
}

/* ---- /proc/slabinfo and meminfo --------------------------------------------- */

void proc_slabinfo_show(struct machine *m, FILE *out)
{
	struct slab_state *ss = m->slab;

	fputs("slabinfo - version: 2.1\n"
	      "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
	      " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
	      " <num_slabs> <sharedavail>\n", out);
	if (!ss)
		return;
	for (struct list_head *l = ss->slab_caches.next; l != &ss->slab_caches; l = l->next) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);
		unsigned long active, total, slabs;
		slab_cache_counts(s, &active, &total, &slabs);
		fprintf(out, "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata "
			"%6lu %6lu %6lu\n", s->name, active, total, s->size, s->oo_objects,
			1 << s->oo_order, 0u, 0u, 0u, slabs, slabs, 0UL);
	}
}

/*
 * dump_unreclaimable_slab(): for the OOM report, when the kernel's own
 * unreclaimable slab outweighs user memory — every cache that is not
 * SLAB_RECLAIM_ACCOUNT and holds objects, with what is used and what it
 * holds, as /proc/slabinfo counts them.
 */
void dump_unreclaimable_slab(struct machine *m)
{
	struct slab_state *ss = m->slab;

	pr_info(m, "Unreclaimable slab info:\n");
	pr_info(m, "Name                      Used          Total\n");
	if (!ss)
		return;
	for (struct list_head *l = ss->slab_caches.next; l != &ss->slab_caches; l = l->next) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);
		unsigned long active, total, slabs;
		if (s->flags & SLAB_RECLAIM_ACCOUNT)
			continue;
		slab_cache_counts(s, &active, &total, &slabs);
		if (total > 0)
			pr_info(m, "%-17s %10luKB %10luKB\n", s->name, active * s->size / 1024,
				total * s->size / 1024);
	}
}

void meminfo_slab_values(struct machine *m, unsigned long *slab_pages,
			 unsigned long *reclaimable_pages, unsigned long *unreclaimable_pages)
{
	struct slab_state *ss = m->slab;
	unsigned long r = ss ? ss->reclaimable_pages : 0;
	unsigned long u = ss ? ss->unreclaimable_pages : 0;

	if (slab_pages)
		*slab_pages = r + u;
	if (reclaimable_pages)
		*reclaimable_pages = r;
	if (unreclaimable_pages)
		*unreclaimable_pages = u;
}

/* ---- the mm caches that come with processes ------------------------------ */

/*
 * Object sizes of Debian 12's kernels: slabinfo shows the stride, which
 * these give with the flags the kernel passes (kernel/fork.c, mm/mmap.c,
 * mm/rmap.c). task_struct is aligned to L1_CACHE_BYTES; anon_vma has a
 * constructor and SLAB_TYPESAFE_BY_RCU, so its free pointer follows it.
 */
const struct kernel_cache_desc kernel_mm_caches[] = {
	{ "task_struct", 2916, 6200, 32, 64, SLAB_PANIC | SLAB_ACCOUNT, false },
	{ "mm_struct", 556, 1128, 0, 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, false },
	{ "vm_area_struct", 72, 152, 4, 8, SLAB_PANIC | SLAB_ACCOUNT, false },
	{ "anon_vma", 52, 96, 0, 0, SLAB_TYPESAFE_BY_RCU | SLAB_PANIC | SLAB_ACCOUNT, true },
	{ "anon_vma_chain", 32, 64, 4, 8, SLAB_PANIC | SLAB_ACCOUNT, false },
};
const unsigned int nr_kernel_mm_caches = ARRAY_SIZE(kernel_mm_caches);
