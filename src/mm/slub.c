/* slub.c — the SLUB slab allocator: slabs, freelists, per-CPU state, debugging.
 *
 * A cache hands out objects of one size. It takes slabs — 2^order
 * physically contiguous lowmem pages — from the buddy allocator, cuts them
 * into objects and threads the free ones on a list whose links live inside
 * the free objects themselves (at s->offset), exactly as SLUB does: the
 * memory is the simulated RAM, so a freed object really holds its link.
 *
 * Allocation order (6.1's, with a per-CPU object array in front):
 *   0. fast path: pop the CPU's array of recently freed objects (below);
 *   1. fast path: pop the CPU's freelist (c->freelist) — a load and a store;
 *   2. the CPU slab's remotely freed objects (slab->freelist);
 *   3. the next per-CPU partial slab (c->partial);
 *   4. the node's partial list, taking extra slabs onto the CPU partial
 *      list until more than cpu_partial_slabs / 2 are there;
 *   5. a new slab from the page allocator at the cache's order, falling
 *      back to the smallest order that holds one object.
 * Freeing: an object goes on the CPU's array (fast path); a full array
 * gives its oldest half back to the slabs, each object freed as 6.1 frees
 * one: an object of the CPU slab goes back on c->freelist; any other goes
 * on its slab's freelist, a slab that was full moves to the per-CPU
 * partial list (draining the list to the node when it holds
 * cpu_partial_slabs), and an empty slab is given back to the buddy
 * allocator once the node already keeps min_partial partial slabs.
 *
 * Debugging (slub_debug F/Z/P/U) makes a cache take the slow path for every
 * operation, which checks the red zones and poison of each object and
 * refuses bad frees with the kernel's report in dmesg.
 *
 * Not here: what does not depend on the allocator's design — cache
 * creation and destruction, the kmalloc caches and their size classes,
 * ksize/krealloc, /proc/slabinfo (slab_common.c) — and kmemdup/kstrdup
 * (util.c). */
#define _GNU_SOURCE	/* qsort_r */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/trace.h"
#include "mm/slab.h"

/*
 * MMSIM_SLUB_CPU_ARRAYS=0 builds SLUB exactly as 6.1 runs it, without the
 * per-CPU object arrays on its fast paths (bench_slab's "6.1 SLUB"
 * baseline: bench/CMakeLists.txt). mmsim_slab_tune() can then only turn
 * arrays off.
 */
#ifndef MMSIM_SLUB_CPU_ARRAYS
#define MMSIM_SLUB_CPU_ARRAYS 1
#endif

#define PAGE_ALLOC_COSTLY_ORDER	3
#define MAX_OBJS_PER_PAGE	32767
#define MIN_PARTIAL		5
#define MAX_PARTIAL		10
#define SHRINK_PROMOTE_MAX	32
#define GFP_RECLAIM_MASK	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | \
				 __GFP_NOWARN | __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | \
				 __GFP_NORETRY | __GFP_MEMALLOC | __GFP_NOMEMALLOC)
#define GFP_CONSTRAINT_MASK	(__GFP_HARDWALL | __GFP_THISNODE)
#define slub_max_order		PAGE_ALLOC_COSTLY_ORDER

const char slab_large_kmalloc_mark[] = "large kmalloc";

/* ---- small helpers ------------------------------------------------------- */

unsigned int slub_order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

/* The slab's first byte: page_address() of its head page. */
static inline unsigned long slab_base(const struct kmem_cache *s, const struct slab *slab)
{
	return s->page_offset +
	       ((unsigned long)(slab_page(slab) - s->mem_map) << PAGE_SHIFT);
}

static inline struct kmem_cache *page_cache(const struct page *page)
{
	return (struct kmem_cache *)page->mapping;
}

static inline unsigned char *host(struct kmem_cache *s, unsigned long addr)
{
	return (unsigned char *)(s->ram_bias + addr);
}

/* The link to the next free object, stored inside the free object. */
static inline unsigned long get_freepointer(struct kmem_cache *s, unsigned long obj)
{
	const unsigned char *p = host(s, obj) + s->offset;

	if (s->fp32) {
		uint32_t v;
		memcpy(&v, p, 4);
		return v;
	}
	uint64_t v;
	memcpy(&v, p, 8);
	return (unsigned long)v;
}

static inline void set_freepointer(struct kmem_cache *s, unsigned long obj, unsigned long fp)
{
	unsigned char *p = host(s, obj) + s->offset;

	/* CONFIG_SLAB_FREELIST_HARDENED's BUG_ON: naive detection of double free or corruption. */
	VM_BUG_ON(NULL, obj == fp);
	if (s->fp32) {
		uint32_t v = (uint32_t)fp;
		memcpy(p, &v, 4);
	} else {
		uint64_t v = fp;
		memcpy(p, &v, 8);
	}
}

static inline unsigned long slab_bytes(const struct slab *slab)
{
	return PAGE_SIZE << slab->order;
}

static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}

static inline bool kmem_cache_has_cpu_partial(const struct kmem_cache *s)
{
	return !kmem_cache_debug(s);
}

/* Point the fast path at the CPU slab (or at nothing). */
static inline void c_set_slab(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab)
{
	c->slab = slab;
	if (slab) {
		c->lo = slab_base(s, slab) + s->red_left_pad;
		c->span = (unsigned long)(slab->objects - 1) * s->size + 1;
	} else {
		c->lo = 0;
		c->span = 0;
	}
}

static const char *ptr_fmt(const struct machine *m)
{
	return m->is_32bit ? "%08lx" : "%016lx";
}

/* ---- geometry: calculate_sizes() / calculate_order() --------------------- */

/*
 * The slab order SLUB picks: the smallest order that holds min_objects
 * objects and wastes at most 1/fract_leftover of the slab. Above
 * slub_max_order the caller relaxes the waste, then the object count.
 */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_objects,
				    unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order;

	if (slub_order_objects(0, size) > MAX_OBJS_PER_PAGE)
		return get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;
	for (order = get_order((unsigned long)min_objects * size); order <= max_order; order++) {
		unsigned long slab_size = PAGE_SIZE << order;
		unsigned long rem = slab_size % size;
		if (rem <= slab_size / fract_leftover)
			break;
	}
	return order;
}

int slub_calculate_order(unsigned int size, unsigned int min_objects)
{
	unsigned int order, max_objects;

	max_objects = slub_order_objects(slub_max_order, size);
	if (min_objects > max_objects)
		min_objects = max_objects;
	while (min_objects > 1) {
		for (unsigned int fraction = 16; fraction >= 4; fraction /= 2) {
			order = calc_slab_order(size, min_objects, slub_max_order, fraction);
			if (order <= slub_max_order)
				return (int)order;
		}
		min_objects--;
	}
	/* Not even two objects fit: one, at up to slub_max_order, then MAX_ORDER. */
	order = calc_slab_order(size, 1, slub_max_order, 1);
	if (order <= slub_max_order)
		return (int)order;
	order = calc_slab_order(size, 1, MAX_ORDER, 1);
	if (order < MAX_ORDER)
		return (int)order;
	return -MMSIM_ENOSYS;
}

/* sizeof(struct track) with CONFIG_STACKDEPOT: addr, handle, cpu, pid, when. */
static unsigned int track_size(const struct machine *m)
{
	return m->is_32bit ? 20 : 32;
}

/*
 * Lay an object out (6.1's calculate_sizes): the object rounded to a word;
 * a word of red zone if there is no slack; the free pointer in the middle
 * of the object unless the object must stay intact while free (poison, RCU,
 * constructor), then it goes after it; tracking; the left red zone; and
 * the stride rounded to the alignment.
 */
static bool calculate_sizes(struct machine *m, struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int ptr = m->is_32bit ? 4 : 8;
	unsigned int size = ALIGN_UP(s->object_size, ptr);

	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) && !s->ctor)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += ptr;
	s->inuse = size;
	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) ||
	    ((flags & SLAB_RED_ZONE) && s->object_size < ptr) || s->ctor) {
		s->offset = size;
		size += ptr;
	} else {
		s->offset = ALIGN_DOWN(s->object_size / 2, ptr);
	}
	if (flags & SLAB_STORE_USER)
		size += 2 * track_size(m);
	s->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		size += ptr;
		s->red_left_pad = ALIGN_UP(ptr, s->align);
		size += s->red_left_pad;
	}
	size = ALIGN_UP(size, s->align);
	s->size = size;
	s->reciprocal_size = ((1ULL << 32) + size - 1) / size;
	s->div_magic = UINT64_MAX / size + 1;

	unsigned int min_objects = m->slab->min_objects_formula;
	int order = slub_calculate_order(size, min_objects);
	if (order < 0)
		return false;
	s->allocflags = 0;
	if (order)
		s->allocflags |= __GFP_COMP;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->oo_order = (unsigned int)order;
	s->oo_objects = slub_order_objects(s->oo_order, size);
	s->min_order = get_order(size);
	s->min_objects = slub_order_objects(s->min_order, size);

	/* set_min_partial(): ilog2(size) / 2, within [5, 10]. */
	unsigned long min_partial = (fls_long(size) - 1) / 2;
	s->min_partial = clamp_t(unsigned long, min_partial, MIN_PARTIAL, MAX_PARTIAL);

	/* set_cpu_partial() and slub_set_cpu_partial(). */
	unsigned int nr_objects;
	if (!kmem_cache_has_cpu_partial(s))
		nr_objects = 0;
	else if (s->size >= PAGE_SIZE)
		nr_objects = 6;
	else if (s->size >= 1024)
		nr_objects = 24;
	else if (s->size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	s->cpu_partial = nr_objects;
	s->cpu_partial_slabs = DIV_ROUND_UP(nr_objects * 2, s->oo_objects);
	return s->oo_objects != 0;
}

/* ---- dmesg reports (slab_bug / object_err / slab_err) ------------------- */

static const char *print_tainted(struct machine *m)
{
	/* 19 taint flags in 6.1: 'G' (not proprietary) first, 'B' sixth. */
	return (m->slab->tainted || m->tainted_bad_page) ? "Tainted: G    B             "
							   : "Not tainted";
}

static void add_taint(struct machine *m)
{
	m->slab->tainted = true;
}

static void slab_bug(struct machine *m, struct kmem_cache *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void slab_bug(struct machine *m, struct kmem_cache *s, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	m->slab->nr_reports++;
	printk(m, KERN_ERR "=============================================================================\n");
	printk(m, KERN_ERR "BUG %s (%s): %s\n", s->name, print_tainted(m), buf);
	printk(m, KERN_ERR "-----------------------------------------------------------------------------\n");
	printk(m, KERN_ERR "\n");
}

static void slab_fix(struct machine *m, struct kmem_cache *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void slab_fix(struct machine *m, struct kmem_cache *s, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(m, KERN_ERR "FIX %s: %s\n", s->name, buf);
}

/* print_hex_dump(KERN_ERR, text, DUMP_PREFIX_ADDRESS, 16, 1, ...). */
static void print_section(struct machine *m, struct kmem_cache *s, const char *text,
			  unsigned long addr, unsigned int length)
{
	char addr_text[24];

	for (unsigned int i = 0; i < length; i += 16) {
		unsigned int n = length - i < 16 ? length - i : 16;
		const unsigned char *p = host(s, addr + i);
		char hex[16 * 3 + 4], ascii[17];
		size_t h = 0;
		for (unsigned int j = 0; j < n; j++) {
			h += (size_t)snprintf(hex + h, sizeof(hex) - h, j ? " %02x" : "%02x", p[j]);
			ascii[j] = (p[j] >= 0x20 && p[j] < 0x7f) ? (char)p[j] : '.';
		}
		ascii[n] = 0;
		snprintf(addr_text, sizeof(addr_text), ptr_fmt(m), addr + i);
		printk(m, KERN_ERR "%s%s: %-49s%s\n", text, addr_text, hex, ascii);
	}
}

static void print_slab_info(struct machine *m, struct slab *slab)
{
	char a[24], f[24];

	snprintf(a, sizeof(a), ptr_fmt(m), lowmem_page_address(m, slab_page(slab)));
	snprintf(f, sizeof(f), ptr_fmt(m), slab->freelist);
	printk(m, KERN_ERR "Slab 0x%s objects=%u used=%u fp=0x%s flags=0x%lx(slab%s)\n", a, slab->objects,
	       slab->inuse, f, slab_page(slab)->flags & ((1UL << __NR_PAGEFLAGS) - 1),
	       slab->order ? "|head" : "");
}

static void print_trailer(struct machine *m, struct kmem_cache *s, struct slab *slab,
			  unsigned long p)
{
	char a[24], f[24];

	print_slab_info(m, slab);
	snprintf(a, sizeof(a), ptr_fmt(m), p);
	snprintf(f, sizeof(f), ptr_fmt(m), get_freepointer(s, p));
	printk(m, KERN_ERR "Object 0x%s @offset=%lu fp=0x%s\n", a, p - slab_base(s, slab), f);
	printk(m, KERN_ERR "\n");
	if (s->flags & SLAB_RED_ZONE)
		print_section(m, s, "Redzone  ", p - s->red_left_pad, s->red_left_pad);
	else if (p > slab_base(s, slab) + 16)
		print_section(m, s, "Bytes b4 ", p - 16, 16);
	print_section(m, s, "Object   ", p, s->object_size < PAGE_SIZE ? s->object_size
								     : (unsigned int)PAGE_SIZE);
	if (s->flags & SLAB_RED_ZONE)
		print_section(m, s, "Redzone  ", p + s->object_size, s->inuse - s->object_size);
	printk(m, KERN_WARNING "CPU: %u PID: 1 Comm: %s %s\n", m->cur_cpu, m->comm ? m->comm : "swapper",
	       print_tainted(m));
}

static void object_err(struct machine *m, struct kmem_cache *s, struct slab *slab,
		       unsigned long obj, const char *reason)
{
	slab_bug(m, s, "%s", reason);
	print_trailer(m, s, slab, obj);
	add_taint(m);
}

static void slab_err(struct machine *m, struct kmem_cache *s, struct slab *slab,
		     const char *reason)
{
	slab_bug(m, s, "%s", reason);
	if (slab)
		print_slab_info(m, slab);
	add_taint(m);
}

/* ---- debug: red zones and poison (slub_debug Z/P) ------------------------ */

static void init_object(struct kmem_cache *s, unsigned long obj, unsigned char val)
{
	unsigned char *p = host(s, obj);

	if (s->flags & SLAB_RED_ZONE)
		memset(p - s->red_left_pad, val, s->red_left_pad);
	if (s->flags & __OBJECT_POISON) {
		memset(p, POISON_FREE, s->object_size - 1);
		p[s->object_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + s->object_size, val, s->inuse - s->object_size);
}

/* Check [start, start+bytes) holds @value; report, then restore it. */
static bool check_bytes_and_report(struct machine *m, struct kmem_cache *s, struct slab *slab,
				   unsigned long obj, const char *what, unsigned long start,
				   unsigned char value, unsigned int bytes, bool report)
{
	unsigned char *p = host(s, start);
	unsigned int i, last;

	for (i = 0; i < bytes && p[i] == value; i++)
		;
	if (i == bytes)
		return true;
	if (!report)
		return false;
	for (last = bytes; last > i && p[last - 1] == value; last--)
		;
	char a[24], b[24];
	snprintf(a, sizeof(a), ptr_fmt(m), start + i);
	snprintf(b, sizeof(b), ptr_fmt(m), start + last - 1);
	slab_bug(m, s, "%s overwritten", what);
	printk(m, KERN_ERR "0x%s-0x%s @offset=%lu. First byte 0x%x instead of 0x%x\n", a, b,
	       start + i - slab_base(s, slab), p[i], value);
	print_trailer(m, s, slab, obj);
	add_taint(m);
	slab_fix(m, s, "Restoring %s 0x%s-0x%s=0x%x", what, a, b, value);
	memset(p + i, value, last - i);
	return false;
}

/* check_object(): red zones, and poison when the object is free. */
static bool check_object(struct machine *m, struct kmem_cache *s, struct slab *slab,
			 unsigned long obj, unsigned char val, bool report)
{
	bool ok = true;

	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(m, s, slab, obj, "Left Redzone", obj - s->red_left_pad,
					    val, s->red_left_pad, report))
			return false;
		if (!check_bytes_and_report(m, s, slab, obj, "Right Redzone", obj + s->object_size,
					    val, s->inuse - s->object_size, report))
			return false;
	}
	if ((s->flags & __OBJECT_POISON) && val != SLUB_RED_ACTIVE) {
		ok = check_bytes_and_report(m, s, slab, obj, "Poison", obj, POISON_FREE,
					    s->object_size - 1, report) &&
		     check_bytes_and_report(m, s, slab, obj, "End Poison", obj + s->object_size - 1,
					    POISON_END, 1, report);
	}
	return ok;
}

/* Index of @obj in its slab, or -1 if it does not start an object. */
static inline long obj_index(struct kmem_cache *s, struct slab *slab, unsigned long obj)
{
	unsigned long off = obj - slab_base(s, slab) - s->red_left_pad;
	unsigned long idx = (unsigned long)(((uint64_t)off * s->reciprocal_size) >> 32);

	if (unlikely(off >= slab_bytes(slab) || idx * s->size != off || idx >= slab->objects))
		return -1;
	return (long)idx;
}

/* on_freelist(): is @obj on the slab's (or, for the CPU slab, c's) freelist? */
static bool on_list(struct kmem_cache *s, struct slab *slab, unsigned long list,
		    unsigned long obj)
{
	unsigned int n = 0;

	while (list && n <= slab->objects) {
		if (list == obj)
			return true;
		if (obj_index(s, slab, list) < 0)
			return false;
		list = get_freepointer(s, list);
		n++;
	}
	return false;
}

static bool on_freelist(struct machine *m, struct kmem_cache *s, struct slab *slab,
			unsigned long obj)
{
	if (on_list(s, slab, slab->freelist, obj))
		return true;
	if (slab->where == SLAB_ON_CPU) {
		struct kmem_cache_cpu *c = &s->cpu_slab[slab->cpu];
		(void)m;
		if (on_list(s, slab, c->freelist, obj))
			return true;
	}
	return false;
}

/* ---- slab pages ---------------------------------------------------------- */

static void account_slab(struct slab_state *ss, struct kmem_cache *s, long pages)
{
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		ss->reclaimable_pages += (unsigned long)pages;
	else
		ss->unreclaimable_pages += (unsigned long)pages;
}

/*
 * How many of the first bytes of page @i of a slab of @order may start an
 * object: the last object starts at most s->size before the slab's end.
 */
static unsigned int slab_page_limit(const struct kmem_cache *s, unsigned int order, unsigned int i)
{
	unsigned long bytes = PAGE_SIZE << order, page_start = (unsigned long)i << PAGE_SHIFT;
	unsigned long last = bytes >= s->size ? bytes - s->size : 0;

	if (last < page_start)
		return 0;
	return last - page_start >= PAGE_SIZE ? PAGE_SIZE : (unsigned int)(last - page_start) + 1;
}

/* Record a new slab's pages in slab_pages[] (@on), or forget them. */
static void set_slab_pos(struct machine *m, struct kmem_cache *s, struct slab *slab, bool on)
{
	struct slab_state *ss = m->slab;
	unsigned long pfn = page_to_pfn(m, slab_page(slab));

	for (unsigned int i = 0; i < (1U << slab->order); i++) {
		ss->slab_pages[pfn + i].cache = on ? s : NULL;
		ss->slab_pages[pfn + i].pos =
			on ? SLAB_POS(slab->order, i, slab_page_limit(s, slab->order, i)) : 0;
	}
}

/*
 * allocate_slab(): pages at the cache's order, quietly; if that fails,
 * the smallest order that fits one object, with the caller's flags. The
 * objects are threaded in address order (Debian's freelist randomisation
 * is not modelled).
 */
static struct slab *new_slab(struct machine *m, struct kmem_cache *s, gfp_t flags)
{
	struct slab_state *ss = m->slab;
	unsigned int order = s->oo_order;

	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(m, flags);
	flags &= GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK;
	flags |= s->allocflags;
	gfp_t alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && s->oo_order > s->min_order)
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
	struct page *page = alloc_pages(m, alloc_gfp, order);
	if (unlikely(!page)) {
		order = s->min_order;
		gfp_t min_gfp = flags;
		if (!order)
			min_gfp &= ~__GFP_COMP;
		page = alloc_pages(m, min_gfp, order);
		if (!page)
			return NULL;
	}
	struct slab *slab = (struct slab *)page;
	page->flags |= PG_slab_mask;
	slab->slab_list.next = slab->slab_list.prev = NULL;
	slab->slab_cache = s;
	slab->counters = 0;
	slab->order = (unsigned char)order;
	slab->objects = (unsigned short)slub_order_objects(order, s->size);
	for (unsigned int i = 1; i < (1U << order); i++) {
		page[i].flags |= PG_slab_mask;
		page[i].lru.next = (struct list_head *)((unsigned long)page + 1);
		page[i].lru.prev = NULL;
		page[i].mapping = s;
		page[i].index = 0;
		page[i].private = 0;
	}
	account_slab(ss, s, 1L << order);
	set_slab_pos(m, s, slab, true);

	if (s->flags & SLAB_POISON)
		memset(host(s, slab_base(s, slab)), POISON_INUSE, slab_bytes(slab));
	unsigned long first = slab_base(s, slab) + s->red_left_pad;
	for (unsigned int i = 0; i < slab->objects; i++) {
		unsigned long obj = first + (unsigned long)i * s->size;
		if (kmem_cache_debug(s))
			init_object(s, obj, SLUB_RED_INACTIVE);
		if (s->ctor)
			s->ctor(host(s, obj));
		set_freepointer(s, obj, i + 1 < slab->objects ? obj + s->size : 0);
	}
	slab->freelist = first;
	slab->inuse = 0;
	struct kmem_cache_node *n = get_node(s);
	n->nr_slabs++;
	n->total_objects += slab->objects;
	return slab;
}

static void discard_slab(struct machine *m, struct kmem_cache *s, struct slab *slab)
{
	struct kmem_cache_node *n = get_node(s);
	struct page *page = slab_page(slab);
	unsigned int order = slab->order;

	n->nr_slabs--;
	n->total_objects -= slab->objects;
	set_slab_pos(m, s, slab, false);
	/* The page allocator wants page->mapping NULL; the rest is cleared too. */
	for (unsigned int i = 0; i < (1U << order); i++) {
		page[i].flags &= ~PG_slab_mask;
		page[i].lru.next = page[i].lru.prev = NULL;
		page[i].mapping = NULL;
		page[i].index = 0;
		page[i].private = 0;
	}
	account_slab(m->slab, s, -(1L << order));
	__free_pages(m, page, order);
}

/* ---- node lists ---------------------------------------------------------- */

static inline void add_partial(struct kmem_cache_node *n, struct slab *slab, bool tail)
{
	n->nr_partial++;
	if (tail)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
	slab->where = SLAB_ON_PARTIAL;
}

static inline void remove_partial(struct kmem_cache_node *n, struct slab *slab)
{
	list_del(&slab->slab_list);
	n->nr_partial--;
	slab->where = SLAB_ON_NONE;
}

/* A full slab is on no list (the kernel keeps one only with SLAB_STORE_USER). */
static inline void add_full(struct kmem_cache_node *n, struct slab *slab)
{
	(void)n;
	slab->where = SLAB_ON_FULL;
}

static inline void remove_full(struct slab *slab)
{
	slab->where = SLAB_ON_NONE;
}

/*
 * The next slab at or after @pfn: a head page with PG_slab, found by
 * walking lowmem's mem_map (slab pages are never HighMem). This is how
 * the validators and kmem_cache_destroy() find full slabs, which no list
 * holds; it costs one look at every lowmem struct page, so nothing fast
 * uses it. Returns NULL past the end; *pfn is where to continue.
 */
static struct slab *next_slab_in_mem_map(struct machine *m, unsigned long *pfn)
{
	for (unsigned long p = *pfn; p < m->max_low_pfn; p++) {
		if (memmap_block_state(m, p) != MEMMAP_READY) {
			/* Never written, or free: no slab in the block. */
			p |= MAX_ORDER_NR_PAGES - 1;
			continue;
		}
		struct page *page = pfn_to_page_in_block(m, p);
		if (!(page->flags & PG_slab_mask) || page_slab(page) != (struct slab *)page)
			continue;
		*pfn = p + 1;
		return (struct slab *)page;
	}
	*pfn = m->max_low_pfn;
	return NULL;
}

/* Put an unfrozen slab where its counts say it belongs, or free it. */
static void place_slab(struct machine *m, struct kmem_cache *s, struct slab *slab, bool tail)
{
	struct kmem_cache_node *n = get_node(s);

	slab->frozen = 0;
	if (!slab->inuse && n->nr_partial >= s->min_partial)
		discard_slab(m, s, slab);
	else if (slab->freelist)
		add_partial(n, slab, tail);
	else
		add_full(n, slab);
}

/* __unfreeze_partials(): a CPU partial chain goes back to the node. */
static void unfreeze_partials(struct machine *m, struct kmem_cache *s, struct slab *chain)
{
	while (chain) {
		struct slab *next = chain->next;
		chain->next = NULL;
		chain->where = SLAB_ON_NONE;
		place_slab(m, s, chain, true);
		chain = next;
	}
}

/*
 * put_cpu_partial(): push a frozen slab on this CPU's partial chain. When
 * draining and the chain already holds cpu_partial_slabs, the old chain
 * goes to the node first.
 */
static void put_cpu_partial(struct machine *m, struct kmem_cache *s, struct kmem_cache_cpu *c,
			    struct slab *slab, bool drain)
{
	struct slab *old = c->partial, *to_unfreeze = NULL;
	unsigned int slabs = 0;

	if (old) {
		if (drain && old->slabs >= s->cpu_partial_slabs) {
			to_unfreeze = old;
			old = NULL;
		} else {
			slabs = old->slabs;
		}
	}
	slab->slabs = slabs + 1;
	slab->next = old;
	slab->where = SLAB_ON_CPU_PARTIAL;
	slab->cpu = (unsigned char)(c - s->cpu_slab);
	c->partial = slab;
	if (to_unfreeze)
		unfreeze_partials(m, s, to_unfreeze);
}

/*
 * deactivate_slab(): the CPU gives up its slab. Its private freelist is
 * spliced in front of the slab's own; the slab goes to the node's partial
 * list (to the tail if others had freed into it), the full list, or back
 * to the buddy allocator if empty and the node has enough partial slabs.
 */
static void deactivate_slab(struct machine *m, struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab *slab = c->slab;
	unsigned long freelist = c->freelist;

	if (!slab)
		return;
	bool tail = slab->freelist != 0;
	if (freelist) {
		unsigned long last = freelist;
		unsigned int count = 1;
		for (unsigned long nx; (nx = get_freepointer(s, last)) && count <= slab->objects;
		     last = nx)
			count++;
		set_freepointer(s, last, slab->freelist);
		slab->freelist = freelist;
		slab->inuse -= count;
	}
	c->freelist = 0;
	c_set_slab(s, c, NULL);
	slab->where = SLAB_ON_NONE;
	place_slab(m, s, slab, tail);
}

static void flush_cpu_slab(struct machine *m, struct kmem_cache *s, unsigned int cpu)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	struct slab *chain = c->partial;

	deactivate_slab(m, s, c);
	c->partial = NULL;
	unfreeze_partials(m, s, chain);
}

static void cpu_array_drain(struct machine *m, struct kmem_cache *s, unsigned int cpu);

static void flush_all(struct machine *m, struct kmem_cache *s)
{
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		cpu_array_drain(m, s, cpu);
		flush_cpu_slab(m, s, cpu);
	}
}

/* ---- the allocation slow path ------------------------------------------- */

static void slab_out_of_memory(struct machine *m, struct kmem_cache *s, gfp_t gfp)
{
	char g[128];
	unsigned long nr_free = 0;
	struct kmem_cache_node *n = get_node(s);

	if (gfp & __GFP_NOWARN)
		return;
	for (struct list_head *l = n->partial.next; l != &n->partial; l = l->next) {
		struct slab *slab = list_entry(l, struct slab, slab_list);
		nr_free += slab->objects - slab->inuse;
	}
	printk(m, KERN_WARNING "SLUB: Unable to allocate memory on node -1, gfp=%#x(%s)\n", gfp,
	       gfp_string(gfp, g, sizeof(g)));
	printk(m, KERN_WARNING "  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
	       s->name, s->object_size, s->size, s->oo_order, s->min_order);
	printk(m, KERN_WARNING "  node 0: slabs: %lu, objs: %lu, free: %lu\n", n->nr_slabs, n->total_objects,
	       nr_free);
}

/* alloc_debug_processing(): a debug cache's object, checked before use. */
static unsigned long alloc_debug(struct machine *m, struct kmem_cache *s, gfp_t gfp)
{
	struct kmem_cache_node *n = get_node(s);
	struct slab *slab;

	for (;;) {
		if (n->nr_partial) {
			slab = list_first_entry(&n->partial, struct slab, slab_list);
			remove_partial(n, slab);
		} else {
			slab = new_slab(m, s, gfp);
			if (!slab) {
				slab_out_of_memory(m, s, gfp);
				return 0;
			}
		}
		unsigned long obj = slab->freelist;
		if (obj_index(s, slab, obj) < 0) {
			object_err(m, s, slab, obj, "Freechain corrupt");
			slab_fix(m, s, "Isolate corrupted freechain");
			slab->freelist = 0;
			slab->inuse = slab->objects;	/* leak the rest */
			add_full(n, slab);
			continue;
		}
		slab->freelist = get_freepointer(s, obj);
		slab->inuse++;
		if (slab->freelist)
			add_partial(n, slab, false);
		else
			add_full(n, slab);
		if (!check_object(m, s, slab, obj, SLUB_RED_INACTIVE, true)) {
			/* The kernel marks the slab as used up; mmsim restored the bytes. */
			slab_fix(m, s, "Marking all objects used");
		}
		init_object(s, obj, SLUB_RED_ACTIVE);
		return obj;
	}
}

/* The fast path refused a pointer outside the CPU slab: isolate the chain. */
static __attribute__((noinline, cold)) void cpu_freelist_corrupt(struct machine *m,
								   struct kmem_cache *s,
								   struct kmem_cache_cpu *c)
{
	object_err(m, s, c->slab, c->lo, "Freechain corrupt");
	slab_fix(m, s, "Isolate corrupted freechain");
	c->freelist = 0;
	c->slab->freelist = 0;
	c->slab->inuse = c->slab->objects;	/* leak what the chain held */
}

/* get_partial_node(): the first slab for the CPU, some more for its partial chain. */
static struct slab *get_partial_node(struct machine *m, struct kmem_cache *s,
				     struct kmem_cache_cpu *c, struct kmem_cache_node *n)
{
	struct slab *first = NULL, *slab;
	unsigned int partial_slabs = 0;

	while (n->nr_partial) {
		slab = list_first_entry(&n->partial, struct slab, slab_list);
		remove_partial(n, slab);
		slab->frozen = 1;
		if (!first) {
			first = slab;
		} else {
			put_cpu_partial(m, s, c, slab, false);
			partial_slabs++;
		}
		if (partial_slabs > s->cpu_partial_slabs / 2)
			break;
	}
	return first;
}

/*
 * ___slab_alloc(): the CPU's freelist is empty. Refill it from the CPU
 * slab's remote frees, the CPU partial chain, the node's partial list, or
 * a new slab — in that order — and take one object.
 */
static inline unsigned long ___slab_alloc(struct machine *m, struct kmem_cache *s,
					  struct kmem_cache_cpu *c, gfp_t gfp)
{
	struct slab *slab = c->slab;
	unsigned long obj;

	if (slab) {
		obj = slab->freelist;
		if (obj)
			goto load_freelist;
		/* Used up: it is full (on no list) and no longer the CPU's. */
		slab->frozen = 0;
		slab->where = SLAB_ON_FULL;
	}
	slab = c->partial;
	if (likely(slab)) {
		/* A CPU partial slab always has a free object: it was put there by a free. */
		c->partial = slab->next;
		slab->next = NULL;
	} else {
		struct kmem_cache_node *n = get_node(s);
		slab = n->nr_partial ? get_partial_node(m, s, c, n) : NULL;
		if (!slab) {
			slab = new_slab(m, s, gfp);
			if (unlikely(!slab)) {
				c_set_slab(s, c, NULL);
				slab_out_of_memory(m, s, gfp);
				return 0;
			}
			slab->frozen = 1;
		}
	}
	slab->where = SLAB_ON_CPU;
	slab->cpu = (unsigned char)(c - s->cpu_slab);
	c_set_slab(s, c, slab);
	obj = slab->freelist;
load_freelist:
	/* The CPU takes every free object: slab->freelist empties, all count as in use. */
	slab->freelist = 0;
	slab->inuse = slab->objects;
	c->freelist = get_freepointer(s, obj);
	return obj;
}

/*
 * __slab_alloc(): everything the fast path does not do — refilling the
 * CPU's freelist, a corrupt freelist, debug caches and __GFP_ZERO.
 */
static __attribute__((noinline)) unsigned long __slab_alloc(struct machine *m,
							     struct kmem_cache *s, gfp_t gfp)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[m->cur_cpu];
	unsigned long obj;

	if (unlikely(kmem_cache_debug(s))) {
		obj = alloc_debug(m, s, gfp);
	} else if (c->avail) {
		/* Only __GFP_ZERO sent it here. */
		obj = c->array[--c->avail];
	} else {
		obj = c->freelist;
		if (obj - c->lo < c->span) {
			/* Only __GFP_ZERO sent it here. */
			c->freelist = get_freepointer(s, obj);
		} else {
			if (unlikely(obj && c->slab))
				cpu_freelist_corrupt(m, s, c);
			obj = ___slab_alloc(m, s, c, gfp);
		}
	}
	if (unlikely(gfp & __GFP_ZERO) && obj)
		memset(host(s, obj), 0, s->object_size);
	return obj;
}

/*
 * slab_alloc_nozero(): the fast paths — pop the CPU's array, or with the
 * array empty the CPU's freelist. A freelist object may be taken iff it
 * lies in the CPU slab ((obj - lo) < span), which also sends an empty list
 * (0), a CPU without a slab and a debug cache (span 0) to the slow path.
 * The caller has sent __GFP_ZERO to the slow path.
 */
static inline __attribute__((always_inline)) unsigned long slab_alloc_nozero(struct machine *m,
									      struct kmem_cache *s,
									      gfp_t gfp)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[m->cur_cpu];
#if MMSIM_SLUB_CPU_ARRAYS
	unsigned int n = c->avail;

	if (likely(n)) {
		c->avail = n - 1;
		return c->array[n - 1];
	}
#endif
	unsigned long obj = c->freelist;
	if (unlikely(obj - c->lo >= c->span))
		return __slab_alloc(m, s, gfp);
	c->freelist = get_freepointer(s, obj);
	return obj;
}

static inline __attribute__((always_inline)) unsigned long slab_alloc(struct machine *m,
								       struct kmem_cache *s,
								       gfp_t gfp)
{
	if (unlikely(gfp & __GFP_ZERO))
		return __slab_alloc(m, s, gfp);
	return slab_alloc_nozero(m, s, gfp);
}

/* Traced allocations: the event after the object is taken (the untraced path tests, then tail-calls). */
static __attribute__((noinline, cold)) kaddr_t kmem_cache_alloc_traced(struct machine *m,
								       struct kmem_cache *s, gfp_t gfp)
{
	kaddr_t x = slab_alloc(m, s, gfp);

	__trace_kmem_cache_alloc(m, x, s->object_size, s->size, gfp);
	return x;
}

kaddr_t kmem_cache_alloc(struct machine *m, struct kmem_cache *s, gfp_t gfp)
{
	if (unlikely(m->tracer))
		return kmem_cache_alloc_traced(m, s, gfp);
	return slab_alloc(m, s, gfp);
}

kaddr_t kmem_cache_zalloc(struct machine *m, struct kmem_cache *s, gfp_t gfp)
{
	kaddr_t x = __slab_alloc(m, s, gfp | __GFP_ZERO);

	trace_kmem_cache_alloc(m, x, s->object_size, s->size, gfp | __GFP_ZERO);
	return x;
}

/* ---- the free slow path ------------------------------------------------- */

/* free_debug_processing(): every check the kernel makes with slub_debug. */
static bool free_debug(struct machine *m, struct kmem_cache *s, struct slab *slab,
		       unsigned long obj)
{
	char buf[64], a[24];

	snprintf(a, sizeof(a), ptr_fmt(m), obj);
	if (obj_index(s, slab, obj) < 0) {
		snprintf(buf, sizeof(buf), "Invalid object pointer 0x%s", a);
		slab_err(m, s, slab, buf);
		goto fail;
	}
	if (on_freelist(m, s, slab, obj)) {
		object_err(m, s, slab, obj, "Object already free");
		goto fail;
	}
	if (!check_object(m, s, slab, obj, SLUB_RED_ACTIVE, true))
		goto fail;
	init_object(s, obj, SLUB_RED_INACTIVE);
	return true;
fail:
	slab_fix(m, s, "Object at 0x%s not freed", a);
	return false;
}

/*
 * Put @obj on its slab's freelist; the slab then may move between lists.
 * The caller has checked the object.
 */
static inline __attribute__((always_inline)) void free_to_slab(struct machine *m,
								struct kmem_cache *s,
								struct slab *slab, unsigned long obj)
{
	struct kmem_cache_node *n = get_node(s);
	unsigned long prior = slab->freelist;

	set_freepointer(s, obj, prior);
	slab->freelist = obj;
	slab->inuse--;
	if (slab->frozen)
		return;		/* another CPU's slab, or on a CPU partial chain */
	if (!prior && kmem_cache_has_cpu_partial(s)) {
		/* It was full: make it this CPU's partial slab. */
		slab->frozen = 1;
		put_cpu_partial(m, s, &s->cpu_slab[m->cur_cpu], slab, true);
		return;
	}
	if (!slab->inuse && n->nr_partial >= s->min_partial) {
		if (prior)
			remove_partial(n, slab);
		else
			remove_full(slab);
		discard_slab(m, s, slab);
		return;
	}
	if (!prior) {
		remove_full(slab);
		add_partial(n, slab, true);
	}
}

/*
 * The free of a debug cache, or one that failed the cheap checks: report
 * what is wrong (and free nothing), or free a debug cache's object.
 */
static __attribute__((noinline)) void slab_free_checked(struct machine *m, struct kmem_cache *s,
							struct slab *slab, unsigned long obj)
{
	char a[24], buf[64];

	if (kmem_cache_debug(s)) {
		if (!free_debug(m, s, slab, obj))
			return;
		free_to_slab(m, s, slab, obj);
		return;
	}
	snprintf(a, sizeof(a), ptr_fmt(m), obj);
	if (obj_index(s, slab, obj) < 0) {
		snprintf(buf, sizeof(buf), "Invalid object pointer 0x%s", a);
		slab_err(m, s, slab, buf);
	} else {
		/* CONFIG_SLAB_FREELIST_HARDENED's naive double-free check. */
		object_err(m, s, slab, obj, "Object already free");
	}
	slab_fix(m, s, "Object at 0x%s not freed", a);
}

/* Does @off (from the first object) start an object? Lemire's divisibility test. */
static inline bool obj_aligned(const struct kmem_cache *s, unsigned long off)
{
	return (uint64_t)off * s->div_magic < s->div_magic;
}

/*
 * __slab_free(): @obj (on @page) is not on this CPU's slab, or the cache
 * debugs. It goes on its slab's freelist unless it is not an object of
 * the slab or is the head of a freelist (a double free).
 */
static __attribute__((noinline)) void __slab_free(struct machine *m, struct kmem_cache *s,
						  struct page *page, unsigned long obj)
{
	struct slab *slab = page_slab(page);
	unsigned long off = obj - slab_base(s, slab) - s->red_left_pad;

	if (unlikely(kmem_cache_debug(s) ||
		     off >= (unsigned long)slab->objects * s->size || !obj_aligned(s, off) ||
		     obj == slab->freelist ||
		     (slab->where == SLAB_ON_CPU && obj == s->cpu_slab[slab->cpu].freelist))) {
		slab_free_checked(m, s, slab, obj);
		return;
	}
	free_to_slab(m, s, slab, obj);
}

/*
 * do_slab_free(): the fast path — back on the CPU's freelist. An object
 * of the CPU slab lies in [c->lo, c->lo + c->span) on an object boundary;
 * the freelist head must not be freed again (the hardened freelist's check).
 */
static inline __attribute__((always_inline)) bool cpu_freelist_push(struct machine *m,
								     struct kmem_cache *s,
								     unsigned long x)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[m->cur_cpu];
	unsigned long off = x - c->lo;
	unsigned long head = c->freelist;

	if (likely(off < c->span && obj_aligned(s, off) && x != head)) {
		set_freepointer(s, x, head);
		c->freelist = x;
		return true;
	}
	return false;
}

static inline __attribute__((always_inline)) void do_slab_free(struct machine *m,
								struct kmem_cache *s,
								struct page *page, unsigned long x)
{
	if (likely(cpu_freelist_push(m, s, x)))
		return;
	__slab_free(m, s, page, x);
}

/* ---- the per-CPU object array ------------------------------------------- */

/*
 * 6.1's SLUB frees an object straight to its slab unless the slab is the
 * CPU's. With many live objects most frees land on other slabs: each costs
 * that slab's struct page (two for a multi-page slab) and a move between
 * lists, and the next allocation refills from a partial slab that holds
 * one or two objects. mmsim puts a per-CPU array of freed objects in
 * front: SLAB's array_cache (2.6's allocator, the one the documents
 * describe handing out "recently freed, cache-hot objects first"), which
 * SLUB itself gained again in 6.18 as "sheaves". kfree() pushes and
 * kmalloc() pops it; a full array gives its oldest batchcount objects back
 * to the slabs, each freed exactly as 6.1 frees an object
 * (cache_flusharray()); an empty one lets allocation fall through to
 * SLUB's own paths, so slabs are taken when 6.1 would take them.
 *
 * What users see is unchanged: slabinfo counts an object in an array as
 * active, as 6.1 counts those on a CPU freelist (only the free objects of
 * node partial slabs count as free); kmem_cache_shrink(), destroy and
 * slub_debug drain the arrays first; a debug cache has none, so its every
 * free is checked at once. mmsim_slab_tune() sets an array's size, or
 * turns it off for SLUB exactly as 6.1 runs it.
 */

/* SLAB's enable_cpucache() sizes, by object stride. */
static unsigned int cpu_array_default_limit(const struct kmem_cache *s)
{
	if (!MMSIM_SLUB_CPU_ARRAYS)
		return 0;
	if (s->size > 131072)
		return 1;
	if (s->size > PAGE_SIZE)
		return 8;
	if (s->size > 1024)
		return 24;
	if (s->size > 256)
		return 54;
	return 120;
}

/* The array size a CPU uses now: none while the cache debugs. */
static inline unsigned int cpu_array_active_limit(const struct kmem_cache *s)
{
	return kmem_cache_debug(s) ? 0 : s->array_limit;
}

/*
 * Every CPU's array gets room for @limit objects. The arrays must be
 * empty. Each is preceded by a slot that stays 0 (array[-1]): the free fast
 * path compares with the top, array[avail - 1], without testing avail. A
 * cache without arrays (@limit 0) still has that slot, so it needs no
 * test either.
 */
static int cpu_arrays_resize(struct machine *m, struct kmem_cache *s, unsigned int limit,
			     unsigned int batchcount)
{
	size_t stride = (size_t)limit + 1;
	unsigned long *arrays = calloc(m->nr_cpus * stride, sizeof(*arrays));

	if (!arrays)
		return -MMSIM_ENOMEM;
	free(s->arrays);
	s->arrays = arrays;
	s->array_limit = limit;
	s->batchcount = batchcount;
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		c->array = arrays + cpu * stride + 1;
		c->avail = 0;
		c->limit = cpu_array_active_limit(s);
	}
	return 0;
}

/* Free the oldest @count objects of @cpu's array to their slabs, as 6.1 frees. */
static void cpu_array_flush(struct machine *m, struct kmem_cache *s, unsigned int cpu,
			    unsigned int count)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	unsigned int saved_cpu = m->cur_cpu;

	if (!count)
		return;
	/* The kernel drains a CPU's array on that CPU (flush_all() runs there). */
	m->cur_cpu = cpu;
	for (unsigned int i = 0; i < count; i++) {
		unsigned long x = c->array[i];
		do_slab_free(m, s, virt_to_page_checked(m->slab, x), x);
	}
	m->cur_cpu = saved_cpu;
	c->avail -= count;
	memmove(c->array, c->array + count, c->avail * sizeof(c->array[0]));
}

static void cpu_array_drain(struct machine *m, struct kmem_cache *s, unsigned int cpu)
{
	cpu_array_flush(m, s, cpu, s->cpu_slab[cpu].avail);
}

#if MMSIM_SLUB_CPU_ARRAYS
/*
 * The array is full: give back its oldest batchcount objects, then push
 * @x. A cache without an array (limit 0) frees @x as 6.1 does: on the
 * CPU's freelist or its slab's.
 */
static __attribute__((noinline)) void cpu_array_push_full(struct machine *m, struct kmem_cache *s,
							  unsigned long x)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[m->cur_cpu];

	if (!c->limit) {
		do_slab_free(m, s, virt_to_page_checked(m->slab, x), x);
		return;
	}
	cpu_array_flush(m, s, m->cur_cpu, s->batchcount);
	c->array[c->avail++] = x;
}
#endif

/*
 * A free that did not pass the array's checks, or a cache without an
 * array: the array's top freed again is a double free (what 6.1's hardened
 * freelist catches at the freelist head); anything else is SLUB's own
 * free, which checks and reports the rest.
 */
static __attribute__((noinline)) void slab_free_unarrayed(struct machine *m, struct kmem_cache *s,
							  unsigned long x)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[m->cur_cpu];
	struct page *page = virt_to_page_checked(m->slab, x);

	if (c->avail && x == c->array[c->avail - 1]) {
		/* The hardened freelist's naive double-free check, at the array's top. */
		char a[24];
		snprintf(a, sizeof(a), ptr_fmt(m), x);
		object_err(m, s, page_slab(page), x, "Object already free");
		slab_fix(m, s, "Object at 0x%s not freed", a);
		return;
	}
	do_slab_free(m, s, page, x);
}

/*
 * The free fast path. @x lies in a slab of @s, whose position
 * slab_pages[].pos gives as @pos: it goes on the CPU's array if it starts an
 * object (its offset from the slab's first object is a multiple of the
 * stride, and leaves room for a whole object in a slab of that order) and
 * is not the array's top.
 */
static inline __attribute__((always_inline)) void slab_free_mapped(struct machine *m,
								    struct kmem_cache *s,
								    unsigned int pos, unsigned long x)
{
#if !MMSIM_SLUB_CPU_ARRAYS
	/* 6.1: onto the CPU's freelist if @x is of the CPU slab, else __slab_free(). */
	(void)pos;
	if (likely(cpu_freelist_push(m, s, x)))
		return;
	slab_free_unarrayed(m, s, x);
#else
	struct kmem_cache_cpu *c = &s->cpu_slab[m->cur_cpu];
	/*
	 * The slab's first object is at its first byte: only a red-zoned
	 * cache has a left pad, and debug caches have no array (limit 0),
	 * so theirs go to slab_free_unarrayed() whatever this computes.
	 */
	unsigned long first = (x & PAGE_MASK) - ((unsigned long)SLAB_POS_INDEX(pos) << PAGE_SHIFT);
	unsigned long off = x - first;
	unsigned int n = c->avail;

	/* array[-1] is always 0, so an empty array needs no test of its own. */
	if (likely((x & ~PAGE_MASK) < SLAB_POS_LIMIT(pos) && obj_aligned(s, off) &&
		   x != c->array[(long)n - 1])) {
		if (unlikely(n == c->limit)) {
			/* Full, or no array at all (limit 0). */
			cpu_array_push_full(m, s, x);
			return;
		}
		c->array[n] = x;
		c->avail = n + 1;
		return;
	}
	slab_free_unarrayed(m, s, x);
#endif
}

/* @x's page frame number, or -1 for an address outside lowmem (NULL, ZERO_SIZE_PTR ...). */
static inline unsigned long lowmem_pfn(const struct slab_state *ss, unsigned long x)
{
	uint64_t off = (uint64_t)x - ss->page_offset;

	if (unlikely(off >= ss->lowmem_bytes))
		return ULONG_MAX;
	return (unsigned long)(off >> PAGE_SHIFT);
}

static __attribute__((noinline)) void bad_free(struct machine *m, const char *func,
					       unsigned long x)
{
	char a[24];

	snprintf(a, sizeof(a), ptr_fmt(m), x);
	m->slab->nr_reports++;
	__warn(m, "mm/slub.c", func, NULL);
	printk(m, KERN_ERR "%s: object pointer: 0x%s is not owned by any slab (not freed)\n", func, a);
}

/* kmem_cache_free() of an object that slab_pages[] does not place in @s. */
static __attribute__((noinline)) void kmem_cache_free_unmapped(struct machine *m,
							       struct kmem_cache *s,
							       unsigned long x)
{
	struct page *page = virt_to_page_checked(m->slab, x);

	if (unlikely(!page || !(page->flags & PG_slab_mask))) {
		bad_free(m, "kmem_cache_free", x);
		return;
	}
	if (unlikely(page_cache(page) != s)) {
		/* cache_from_obj() with CONFIG_SLAB_FREELIST_HARDENED. */
		m->slab->nr_reports++;
		__warn(m, "mm/slab.h", "cache_from_obj",
		       "cache_from_obj: Wrong slab cache. %s but object is from %s\n",
		       s ? s->name : "(null)", page_cache(page)->name);
		s = page_cache(page);
	}
	slab_free_mapped(m, s, m->slab->slab_pages[page_to_pfn(m, page)].pos, x);
}

static inline __attribute__((always_inline)) void kmem_cache_free_body(struct machine *m,
									  struct kmem_cache *s,
									  kaddr_t x)
{
	struct slab_state *ss = m->slab;
	unsigned long pfn = lowmem_pfn(ss, x);

	/* (A NULL @s matches the NULL of a page that is not a slab's.) */
	if (likely(pfn != ULONG_MAX && ss->slab_pages[pfn].cache == s && s)) {
		slab_free_mapped(m, s, ss->slab_pages[pfn].pos, x);
		return;
	}
	kmem_cache_free_unmapped(m, s, x);
}

/* Traced frees: the event first, as the kernel's kmem_cache_free() has it. */
static __attribute__((noinline, cold)) void kmem_cache_free_traced(struct machine *m,
								   struct kmem_cache *s, kaddr_t x)
{
	__trace_kmem_cache_free(m, x, s ? s->name : "");
	kmem_cache_free_body(m, s, x);
}

void kmem_cache_free(struct machine *m, struct kmem_cache *s, kaddr_t x)
{
	if (unlikely(m->tracer)) {
		kmem_cache_free_traced(m, s, x);
		return;
	}
	kmem_cache_free_body(m, s, x);
}

/* ---- kmalloc ----------------------------------------------------------- */

/* kmalloc() of zero bytes, of whole pages, of another cache type, or zeroed. */
static __attribute__((noinline)) unsigned long kmalloc_slow(struct machine *m, size_t size,
							     gfp_t gfp)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (size > m->slab->kmalloc_max_cache_size) {
		/* 2.6 had no page fallback: beyond the largest cache kmalloc fails. */
		if (m->slab->classic_kmalloc)
			return 0;
		return kmalloc_large(m, size, gfp);
	}
	return slab_alloc(m, kmalloc_slab(m, size, gfp), gfp);
}

/*
 * The fast path: a GFP_KERNEL-like request of 1 .. 8k bytes finds its
 * cache in one load (a table for <= 192 bytes, 2^fls above) and pops the
 * CPU's freelist. Everything else is kmalloc_slow().
 */
static inline __attribute__((always_inline)) kaddr_t kmalloc_body(struct machine *m, size_t size,
								   gfp_t gfp)
{
	struct slab_state *ss = m->slab;
	struct kmem_cache *s;

	if (unlikely(gfp & (KMALLOC_NOT_NORMAL_BITS | __GFP_ZERO)))
		return kmalloc_slow(m, size, gfp);
	if (likely(size - 1 < 192))
		s = ss->kmalloc_small[(size - 1) >> 3];
	else if (likely(size - 1 < ss->kmalloc_max_cache_size))
		s = ss->kmalloc_caches[KMALLOC_NORMAL][fls_long(size - 1)];
	else
		return kmalloc_slow(m, size, gfp);
	return slab_alloc_nozero(m, s, gfp);
}

static __attribute__((noinline, cold)) kaddr_t kmalloc_traced(struct machine *m, size_t size,
							      gfp_t gfp)
{
	kaddr_t x = kmalloc_body(m, size, gfp);

	__trace_kmalloc(m, x, size, ZERO_OR_NULL_PTR(x) ? 0 : ksize(m, x), gfp);
	return x;
}

kaddr_t kmalloc(struct machine *m, size_t size, gfp_t gfp)
{
	if (unlikely(m->tracer))
		return kmalloc_traced(m, size, gfp);
	return kmalloc_body(m, size, gfp);
}

kaddr_t kzalloc(struct machine *m, size_t size, gfp_t gfp)
{
	return kmalloc(m, size, gfp | __GFP_ZERO);
}

kaddr_t kmalloc_array(struct machine *m, size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return 0;
	return kmalloc(m, bytes, gfp);
}

kaddr_t kcalloc(struct machine *m, size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(m, n, size, gfp | __GFP_ZERO);
}

/* kfree() of NULL, ZERO_SIZE_PTR, a large kmalloc, or not a slab object. */
static __attribute__((noinline)) void kfree_slow(struct machine *m, struct page *page,
						 unsigned long x)
{
	if (ZERO_OR_NULL_PTR(x))
		return;
	if (page && page->mapping == slab_large_kmalloc_mark &&
	    (x & (PAGE_SIZE - 1)) == 0 && page->alloc_order >= 0) {
		free_large_kmalloc(m, page);
		return;
	}
	bad_free(m, "kfree", x);
}

/*
 * The fast path: slab_pages[].cache gives the cache (NULL and ZERO_SIZE_PTR lie
 * below the direct map), then slab_free_mapped(). Anything else is
 * kfree_slow(): a large kmalloc, or a pointer no slab owns.
 */
static inline __attribute__((always_inline)) void kfree_body(struct machine *m, kaddr_t x)
{
	struct slab_state *ss = m->slab;
	unsigned long pfn = lowmem_pfn(ss, x);

	if (likely(pfn != ULONG_MAX)) {
		struct kmem_cache *s = ss->slab_pages[pfn].cache;
		if (likely(s)) {
			slab_free_mapped(m, s, ss->slab_pages[pfn].pos, x);
			return;
		}
	}
	kfree_slow(m, virt_to_page_checked(ss, x), x);
}

static __attribute__((noinline, cold)) void kfree_traced(struct machine *m, kaddr_t x)
{
	__trace_kfree(m, x);	/* first, and for NULL too, as the kernel's kfree() */
	kfree_body(m, x);
}

void kfree(struct machine *m, kaddr_t x)
{
	if (unlikely(m->tracer)) {
		kfree_traced(m, x);
		return;
	}
	kfree_body(m, x);
}

struct kmem_cache *virt_to_cache(struct machine *m, unsigned long x)
{
	struct page *page = virt_to_page_checked(m->slab, x);

	if (!page || !(page->flags & PG_slab_mask))
		return NULL;
	return page_slab(page)->slab_cache;
}

/* ---- cache creation and destruction -------------------------------------- */

/* Machine teardown: the cache's host memory only (its slabs go with mem_map). */
static void free_cache_struct(struct kmem_cache *s)
{
	free(s->arrays);
	free(s->name);
	free(s);
}

/*
 * __kmem_cache_create() (kmem_cache_open()): SLUB's half of making a cache
 * that slab_common.c's create_cache() has filled with name, sizes, flags
 * and constructor: the object layout and slab order, the per-CPU arrays,
 * and the cache's own objects in the kmem_cache and kmem_cache_node caches
 * once those exist. 0, or -EINVAL for an impossible layout, -ENOMEM.
 */
int __kmem_cache_create(struct machine *m, struct kmem_cache *s)
{
	struct slab_state *ss = m->slab;

	s->m = m;
	s->ram_bias = ss->ram_bias;
	s->fp32 = m->is_32bit;
	s->flags |= ss->slub_debug;
	INIT_LIST_HEAD(&s->node.partial);
	s->mem_map = m->mem_map;
	s->page_offset = (unsigned long)m->page_offset;
	if (!calculate_sizes(m, s))
		return -MMSIM_EINVAL;
	unsigned int limit = ss->no_cpu_arrays ? 0 : cpu_array_default_limit(s);
	if (cpu_arrays_resize(m, s, limit, (limit + 1) / 2))
		return -MMSIM_ENOMEM;
	if (ss->kmem_cache) {
		s->kaddr = kmem_cache_zalloc(m, ss->kmem_cache, GFP_KERNEL);
		s->node_kaddr = kmem_cache_alloc(m, ss->kmem_cache_node, GFP_KERNEL);
		if (!s->kaddr || !s->node_kaddr) {
			__kmem_cache_release(m, s);
			return -MMSIM_ENOMEM;
		}
	}
	return 0;
}

/* __kmem_cache_release(): what __kmem_cache_create() took (the struct stays). */
void __kmem_cache_release(struct machine *m, struct kmem_cache *s)
{
	struct slab_state *ss = m->slab;

	if (s->kaddr && ss->kmem_cache && s != ss->kmem_cache)
		kmem_cache_free(m, ss->kmem_cache, s->kaddr);
	if (s->node_kaddr && ss->kmem_cache_node && s != ss->kmem_cache_node)
		kmem_cache_free(m, ss->kmem_cache_node, s->node_kaddr);
	s->kaddr = s->node_kaddr = 0;
	free(s->arrays);
	s->arrays = NULL;
}

/* __kmem_cache_do_shrink(): free empty partial slabs, fullest slabs first. */
int __kmem_cache_shrink(struct machine *m, struct kmem_cache *s)
{
	struct kmem_cache_node *n = get_node(s);
	struct list_head promote[SHRINK_PROMOTE_MAX];
	struct list_head discard;

	flush_all(m, s);
	for (int i = 0; i < SHRINK_PROMOTE_MAX; i++)
		INIT_LIST_HEAD(&promote[i]);
	INIT_LIST_HEAD(&discard);
	for (struct list_head *l = n->partial.next, *nx; l != &n->partial; l = nx) {
		nx = l->next;
		struct slab *slab = list_entry(l, struct slab, slab_list);
		unsigned int free = slab->objects - slab->inuse;
		if (free == slab->objects) {
			list_move(&slab->slab_list, &discard);
			n->nr_partial--;
		} else if (free <= SHRINK_PROMOTE_MAX) {
			list_move(&slab->slab_list, &promote[free - 1]);
		}
	}
	for (int i = SHRINK_PROMOTE_MAX - 1; i >= 0; i--)
		while (!list_empty(&promote[i]))
			list_move(promote[i].prev, &n->partial);
	while (!list_empty(&discard)) {
		struct slab *slab = list_first_entry(&discard, struct slab, slab_list);
		list_del(&slab->slab_list);
		discard_slab(m, s, slab);
	}
	return 0;
}

static void list_slab_objects(struct machine *m, struct kmem_cache *s, struct slab *slab)
{
	unsigned char *map = calloc(slab->objects, 1);
	char a[24];

	if (!map)
		return;
	for (unsigned long p = slab->freelist; p; p = get_freepointer(s, p)) {
		long i = obj_index(s, slab, p);
		if (i < 0 || map[i])
			break;
		map[i] = 1;
	}
	for (unsigned int i = 0; i < slab->objects; i++) {
		if (map[i])
			continue;
		unsigned long p = slab_base(s, slab) + s->red_left_pad + (unsigned long)i * s->size;
		snprintf(a, sizeof(a), ptr_fmt(m), p);
		printk(m, KERN_ERR "Object 0x%s @offset=%lu\n", a, p - slab_base(s, slab));
	}
	free(map);
}

/*
 * __kmem_cache_shutdown(): after a shrink, a cache that still has slabs
 * cannot go. Report every slab still in use (the partial ones, then the
 * full ones, which mem_map finds) and return -EBUSY; 0 for an empty cache.
 */
int __kmem_cache_shutdown(struct machine *m, struct kmem_cache *s)
{
	struct kmem_cache_node *n = get_node(s);
	char why[128];

	if (!n->nr_slabs)
		return 0;
	snprintf(why, sizeof(why), "Objects remaining in %s on __kmem_cache_shutdown()", s->name);
	for (struct list_head *l = n->partial.next; l != &n->partial; l = l->next) {
		struct slab *slab = list_entry(l, struct slab, slab_list);
		slab_err(m, s, slab, why);
		list_slab_objects(m, s, slab);
	}
	unsigned long pfn = 0;
	for (struct slab *slab; (slab = next_slab_in_mem_map(m, &pfn));) {
		if (slab->slab_cache != s || slab->where != SLAB_ON_FULL)
			continue;
		slab_err(m, s, slab, why);
		list_slab_objects(m, s, slab);
	}
	return -MMSIM_EBUSY;
}

int mmsim_slub_debug(struct machine *m, struct kmem_cache *s, slab_flags_t flags)
{
	struct slab_state *ss = m->slab;
	int busy = 0;

	flags &= SLAB_DEBUG_FLAGS;
	if (!s)
		ss->slub_debug = flags;
	for (struct list_head *l = ss->slab_caches.next; l != &ss->slab_caches; l = l->next) {
		struct kmem_cache *c = list_entry(l, struct kmem_cache, list);
		if (s && c != s)
			continue;
		__kmem_cache_shrink(m, c);
		if (get_node(c)->nr_slabs) {
			busy++;
			continue;
		}
		c->flags = (c->flags & ~SLAB_DEBUG_FLAGS) | flags;
		/* A new layout; the alignment keeps what creation chose. */
		calculate_sizes(m, c);
		/* A debug cache has no per-CPU arrays: every free is checked at once. */
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
			c->cpu_slab[cpu].limit = cpu_array_active_limit(c);
	}
	return s && busy ? -MMSIM_EBUSY : 0;
}

void slab_tune_show(struct machine *m, struct kmem_cache *s, FILE *out)
{
	fprintf(out, "%s: limit %u batchcount %u%s; objects in the arrays:", s->name,
		s->array_limit, s->batchcount,
		s->array_limit && !s->cpu_slab[0].limit ? " (off: slub_debug)" : "");
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		fprintf(out, " cpu%u %u", cpu, s->cpu_slab[cpu].avail);
	fputc('\n', out);
}

int mmsim_slab_tune(struct machine *m, struct kmem_cache *s, unsigned int limit,
		    unsigned int batchcount)
{
	struct slab_state *ss = m->slab;

	if (!ss || limit > SLAB_ARRAY_MAX_LIMIT || (limit && (!batchcount || batchcount > limit)) ||
	    (limit && !MMSIM_SLUB_CPU_ARRAYS))
		return -MMSIM_EINVAL;
	if (!s)
		ss->no_cpu_arrays = !limit;
	for (struct list_head *l = ss->slab_caches.next; l != &ss->slab_caches; l = l->next) {
		struct kmem_cache *c = list_entry(l, struct kmem_cache, list);
		if (s && c != s)
			continue;
		unsigned int lim = s ? limit : limit ? cpu_array_default_limit(c) : 0;
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
			cpu_array_drain(m, c, cpu);
		if (cpu_arrays_resize(m, c, lim, s ? batchcount : (lim + 1) / 2))
			return -MMSIM_ENOMEM;
	}
	return 0;
}

/* ---- boot ------------------------------------------------------------- */

int kmem_cache_init(struct machine *m)
{
	struct slab_state *ss = calloc(1, sizeof(*ss));

	if (!ss)
		return -MMSIM_ENOMEM;
	m->slab = ss;
	INIT_LIST_HEAD(&ss->slab_caches);
	ss->page_offset = m->page_offset;
	ss->lowmem_bytes = (uint64_t)m->max_low_pfn << PAGE_SHIFT;
	ss->mem_map = m->mem_map;
	ss->ram_bias = (uintptr_t)m->ram - (uintptr_t)m->page_offset;
	/* Untouched parts of it cost no host memory (calloc's pages are lazy). */
	size_t nr_lowmem = m->max_low_pfn ? m->max_low_pfn : 1;
	ss->slab_pages = calloc(nr_lowmem, sizeof(*ss->slab_pages));
	if (!ss->slab_pages) {
		free(ss);
		m->slab = NULL;
		return -MMSIM_ENOMEM;
	}
	ss->cache_line_size = m->is_32bit ? 32 : 64;
	ss->classic_kmalloc = m->profile->log_style == BOOT_LOG_CLASSIC;
	ss->kmalloc_shift_high = ss->classic_kmalloc ? KMALLOC_SHIFT_HIGH_CLASSIC : KMALLOC_SHIFT_HIGH;
	ss->kmalloc_max_cache_size = 1UL << ss->kmalloc_shift_high;
	/* calculate_order(): num_present_cpus(), or nr_cpu_ids if that is 1. */
	ss->min_objects_formula = 4 * (fls_long(m->nr_cpus) + 1);
	static const unsigned char size_index[24] = {
		3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2,
	};
	memcpy(ss->size_index, size_index, sizeof(size_index));

	/* The two boot caches, then their own structs from themselves (bootstrap()). */
	unsigned int node_size = m->is_32bit ? 32 : 64;
	unsigned int cache_size = m->is_32bit ? 148 : 232;
	struct kmem_cache *node_cache = create_boot_cache(m, "kmem_cache_node", node_size,
							  SLAB_HWCACHE_ALIGN);
	struct kmem_cache *cache_cache = create_boot_cache(m, "kmem_cache", cache_size,
							   SLAB_HWCACHE_ALIGN);
	if (!node_cache || !cache_cache)
		goto fail;
	ss->kmem_cache_node = node_cache;
	ss->kmem_cache = cache_cache;
	list_del(&cache_cache->list);
	list_del(&node_cache->list);
	list_add(&cache_cache->list, &ss->slab_caches);
	list_add(&node_cache->list, &ss->slab_caches);
	node_cache->node_kaddr = kmem_cache_alloc(m, node_cache, GFP_NOWAIT);
	cache_cache->node_kaddr = kmem_cache_alloc(m, node_cache, GFP_NOWAIT);
	cache_cache->kaddr = kmem_cache_zalloc(m, cache_cache, GFP_NOWAIT);
	node_cache->kaddr = kmem_cache_zalloc(m, cache_cache, GFP_NOWAIT);
	if (!node_cache->node_kaddr || !cache_cache->node_kaddr || !cache_cache->kaddr ||
	    !node_cache->kaddr)
		goto fail;

	if (create_kmalloc_caches(m))
		goto fail;
	printk(m, KERN_INFO "SLUB: HWalign=%u, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%u\n",
	       ss->cache_line_size, 0u, (unsigned int)slub_max_order, 0u, m->nr_cpus, 1u);
	return 0;
fail:
	kmem_cache_release(m);
	return -MMSIM_ENOMEM;
}

void kmem_cache_release(struct machine *m)
{
	struct slab_state *ss = m->slab;

	if (!ss)
		return;
	while (!list_empty(&ss->slab_caches)) {
		struct kmem_cache *s = list_first_entry(&ss->slab_caches, struct kmem_cache, list);
		/* The slabs are struct pages: they go with mem_map. */
		list_del(&s->list);
		free_cache_struct(s);
	}
	free(ss->slab_pages);
	free(ss);
	m->slab = NULL;
}

/* ---- get_slabinfo(): what /proc/slabinfo counts -------------------------- */

void slab_cache_counts(struct kmem_cache *s, unsigned long *active, unsigned long *total,
		       unsigned long *slabs)
{
	struct kmem_cache_node *n = get_node(s);
	unsigned long nr_free = 0;

	/* count_partial(): only the node's partial slabs count as having free objects. */
	for (struct list_head *l = n->partial.next; l != &n->partial; l = l->next) {
		struct slab *slab = list_entry(l, struct slab, slab_list);
		nr_free += slab->objects - slab->inuse;
	}
	*total = n->total_objects;
	*active = n->total_objects - nr_free;
	*slabs = n->nr_slabs;
}

/* ---- validators --------------------------------------------------------- */

/*
 * Walk one freelist of @slab, marking objects in @map. Reports objects
 * outside the slab, misaligned, or already marked (on two lists / a cycle).
 */
static unsigned long verify_freelist(struct kmem_cache *s, struct slab *slab, unsigned long list,
				     unsigned char *map, unsigned int *count, const char *what,
				     FILE *out)
{
	unsigned long bad = 0;

	while (list) {
		long i = obj_index(s, slab, list);
		if (i < 0) {
			fprintf(out, "slab %s: %s of slab 0x%lx holds 0x%lx, not an object of it\n",
				s->name, what, slab_base(s, slab), list);
			return bad + 1;
		}
		if (map[i]) {
			fprintf(out, "slab %s: object 0x%lx is on a freelist twice (slab 0x%lx)\n",
				s->name, list, slab_base(s, slab));
			return bad + 1;
		}
		map[i] = 1;
		(*count)++;
		list = get_freepointer(s, list);
	}
	return bad;
}

static unsigned long verify_slab(struct machine *m, struct kmem_cache *s, struct slab *slab,
				 unsigned char where, FILE *out)
{
	unsigned long bad = 0;
	unsigned int nfree = 0, cfree = 0;
	unsigned char *map;

#define REPORT(...) do { fprintf(out, "slab %s: ", s->name); fprintf(out, __VA_ARGS__); \
			 fputc('\n', out); bad++; } while (0)
	if (slab->slab_cache != s)
		REPORT("slab 0x%lx belongs to %s", slab_base(s, slab), slab->slab_cache->name);
	if (slab->where != where)
		REPORT("slab 0x%lx is on list %u but says %u", slab_base(s, slab), where, slab->where);
	if (slab->objects != slub_order_objects(slab->order, s->size))
		REPORT("slab 0x%lx has %u objects, its order holds %u", slab_base(s, slab), slab->objects,
		       slub_order_objects(slab->order, s->size));
	for (unsigned int i = 0; i < (1U << slab->order); i++) {
		struct page *page = slab_page(slab) + i;
		if (!(page->flags & PG_slab_mask) || page_slab(page) != slab || page_cache(page) != s)
			REPORT("page pfn 0x%lx of slab 0x%lx is not marked as the slab's",
			       page_to_pfn(m, page), slab_base(s, slab));
	}
	if (lowmem_page_address(m, slab_page(slab)) != slab_base(s, slab) || PageHighMem(m, slab_page(slab)))
		REPORT("slab 0x%lx is not in the direct map", slab_base(s, slab));
	map = calloc(slab->objects, 1);
	if (!map)
		return bad + 1;
	bad += verify_freelist(s, slab, slab->freelist, map, &nfree, "freelist", out);
	if (where == SLAB_ON_CPU)
		bad += verify_freelist(s, slab, s->cpu_slab[slab->cpu].freelist, map, &cfree,
				       "cpu freelist", out);
	if (slab->inuse + nfree + (where == SLAB_ON_CPU ? 0 : 0) != slab->objects &&
	    where != SLAB_ON_CPU)
		REPORT("slab 0x%lx: inuse %u + free %u != objects %u", slab_base(s, slab), slab->inuse,
		       nfree, slab->objects);
	if (where == SLAB_ON_CPU && slab->inuse + nfree != slab->objects)
		REPORT("cpu slab 0x%lx: inuse %u + remote free %u != objects %u", slab_base(s, slab),
		       slab->inuse, nfree, slab->objects);
	if (where == SLAB_ON_CPU && cfree > slab->inuse)
		REPORT("cpu slab 0x%lx: %u on the cpu freelist but inuse %u", slab_base(s, slab), cfree,
		       slab->inuse);
	if (where == SLAB_ON_PARTIAL && !nfree)
		REPORT("partial slab 0x%lx has no free object", slab_base(s, slab));
	if (where == SLAB_ON_FULL && nfree)
		REPORT("full slab 0x%lx has %u free objects", slab_base(s, slab), nfree);
	if ((where == SLAB_ON_PARTIAL || where == SLAB_ON_FULL) && slab->frozen)
		REPORT("slab 0x%lx on a node list is frozen", slab_base(s, slab));
	if ((where == SLAB_ON_CPU || where == SLAB_ON_CPU_PARTIAL) && !slab->frozen)
		REPORT("cpu slab 0x%lx is not frozen", slab_base(s, slab));
	if (kmem_cache_debug(s)) {
		/* validate_slab(): free objects poisoned, every red zone intact. */
		for (unsigned int i = 0; i < slab->objects; i++) {
			unsigned long p = slab_base(s, slab) + s->red_left_pad + (unsigned long)i * s->size;
			unsigned char val = map[i] ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE;
			if (!check_object(m, s, slab, p, val, false))
				REPORT("object 0x%lx: red zone or poison overwritten", p);
		}
	}
	free(map);
#undef REPORT
	return bad;
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

/*
 * The per-CPU arrays of @s: the right size for the cache's state, and each
 * object an object of one of the cache's slabs that is on no freelist and
 * in no array twice (a double free the fast path let through).
 */
static unsigned long verify_cpu_arrays(struct machine *m, struct kmem_cache *s, FILE *out)
{
	unsigned long bad = 0, total = 0;

	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		unsigned int want = cpu_array_active_limit(s);
		if (c->limit != want || c->avail > c->limit || c->array[-1] ||
		    c->array != s->arrays + (size_t)cpu * (s->array_limit + 1) + 1 ||
		    (s->array_limit && (!s->batchcount || s->batchcount > s->array_limit))) {
			fprintf(out, "slab %s: cpu %u array holds %u of %u (cache limit %u, batch %u)\n",
				s->name, cpu, c->avail, c->limit, s->array_limit, s->batchcount);
			return bad + 1;
		}
		total += c->avail;
	}
	if (!total)
		return 0;
	unsigned long *all = malloc(total * sizeof(*all)), k = 0;
	if (!all)
		return bad + 1;
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		for (unsigned int i = 0; i < c->avail; i++) {
			unsigned long x = c->array[i];
			struct page *page = virt_to_page_checked(m->slab, x);
			all[k++] = x;
			if (!page || !(page->flags & PG_slab_mask) || page_cache(page) != s) {
				fprintf(out, "slab %s: cpu %u array holds 0x%lx, not in a slab of it\n",
					s->name, cpu, x);
				bad++;
				continue;
			}
			struct slab *slab = page_slab(page);
			if (obj_index(s, slab, x) < 0) {
				fprintf(out, "slab %s: cpu %u array holds 0x%lx, not an object of slab 0x%lx\n",
					s->name, cpu, x, slab_base(s, slab));
				bad++;
			} else if (on_list(s, slab, slab->freelist, x) ||
				   (slab->where == SLAB_ON_CPU &&
				    on_list(s, slab, s->cpu_slab[slab->cpu].freelist, x))) {
				fprintf(out, "slab %s: object 0x%lx is in cpu %u's array and on a freelist\n",
					s->name, x, cpu);
				bad++;
			}
		}
	}
	qsort(all, total, sizeof(*all), cmp_ulong);
	for (unsigned long i = 1; i < total; i++)
		if (all[i] == all[i - 1]) {
			fprintf(out, "slab %s: object 0x%lx is in the cpu arrays twice\n", s->name, all[i]);
			bad++;
		}
	free(all);
	return bad;
}

static struct kmem_cache *known_cache(struct slab_state *ss, const struct kmem_cache *x);

/* slab_pages[] says of every lowmem page what its struct page says. */
static unsigned long verify_slab_pos(struct machine *m, FILE *out)
{
	struct slab_state *ss = m->slab;
	unsigned long bad = 0;

	for (unsigned long pfn = 0; pfn < m->max_low_pfn; pfn++) {
		if (memmap_block_state(m, pfn) != MEMMAP_READY) {
			pfn |= MAX_ORDER_NR_PAGES - 1;	/* no slab page in a block never written */
			continue;
		}
		struct page *page = pfn_to_page_in_block(m, pfn);
		struct kmem_cache *cache = ss->slab_pages[pfn].cache;
		unsigned int pos = ss->slab_pages[pfn].pos;
		char truth[96] = "not a slab";
		bool ok;
		if (!(page->flags & PG_slab_mask)) {
			ok = !cache && !pos;
		} else {
			struct slab *slab = page_slab(page);
			struct kmem_cache *owner = known_cache(ss, slab->slab_cache);
			unsigned int i = (unsigned int)(page - slab_page(slab));
			unsigned int limit = owner ? slab_page_limit(owner, slab->order, i) : 0;
			/* A slab of no known cache is the mem_map walk's report. */
			ok = !owner || (cache == owner && SLAB_POS_ORDER(pos) == slab->order &&
					SLAB_POS_INDEX(pos) == i && SLAB_POS_LIMIT(pos) == limit);
			if (owner)
				snprintf(truth, sizeof(truth), "%s (order %u, page %u, limit %u)",
					 owner->name, slab->order, i, limit);
		}
		if (!ok) {
			fprintf(out, "slab: slab map of pfn 0x%lx says %s (order %u, page %u, limit %u), "
				"but struct page says %s\n", pfn,
				cache ? (known_cache(ss, cache) ? cache->name : "an unknown cache") : "no slab",
				SLAB_POS_ORDER(pos), SLAB_POS_INDEX(pos), SLAB_POS_LIMIT(pos), truth);
			if (++bad >= 10)
				break;
		}
	}
	return bad;
}

static unsigned long verify_cache(struct machine *m, struct kmem_cache *s, FILE *out)
{
	struct kmem_cache_node *n = get_node(s);
	unsigned long bad = 0, slabs = 0, objects = 0, partial = 0;

	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		if (c->slab) {
			bad += verify_slab(m, s, c->slab, SLAB_ON_CPU, out);
			slabs++;
			objects += c->slab->objects;
			if (c->lo != slab_base(s, c->slab) + s->red_left_pad) {
				fprintf(out, "slab %s: cpu %u fast path points elsewhere\n", s->name, cpu);
				bad++;
			}
		} else if (c->freelist || c->span) {
			fprintf(out, "slab %s: cpu %u has a freelist but no slab\n", s->name, cpu);
			bad++;
		}
		unsigned int chain = 0;
		for (struct slab *slab = c->partial; slab && chain <= n->nr_slabs;
		     slab = slab->next, chain++) {
			bad += verify_slab(m, s, slab, SLAB_ON_CPU_PARTIAL, out);
			slabs++;
			objects += slab->objects;
		}
		if (c->partial && c->partial->slabs != chain) {
			fprintf(out, "slab %s: cpu %u partial chain of %u slabs says %u\n", s->name, cpu,
				chain, c->partial->slabs);
			bad++;
		}
	}
	for (struct list_head *l = n->partial.next; l != &n->partial; l = l->next) {
		struct slab *slab = list_entry(l, struct slab, slab_list);
		bad += verify_slab(m, s, slab, SLAB_ON_PARTIAL, out);
		slabs++;
		partial++;
		objects += slab->objects;
	}
	bad += verify_cpu_arrays(m, s, out);
	/* Full slabs: slab_verify() found and checked them in mem_map. */
	slabs += s->verify_full_slabs;
	objects += s->verify_full_objects;
	if (partial != n->nr_partial) {
		fprintf(out, "slab %s: nr_partial %lu but the list holds %lu\n", s->name,
			n->nr_partial, partial);
		bad++;
	}
	if (slabs != n->nr_slabs || objects != n->total_objects) {
		fprintf(out, "slab %s: node counts %lu slabs / %lu objects, lists hold %lu / %lu\n",
			s->name, n->nr_slabs, n->total_objects, slabs, objects);
		bad++;
	}
	if (s->verify_slabs != n->nr_slabs) {
		fprintf(out, "slab %s: node counts %lu slabs, mem_map holds %lu\n", s->name,
			n->nr_slabs, s->verify_slabs);
		bad++;
	}
	return bad;
}

static struct kmem_cache *known_cache(struct slab_state *ss, const struct kmem_cache *x)
{
	for (struct list_head *l = ss->slab_caches.next; l != &ss->slab_caches; l = l->next)
		if (list_entry(l, struct kmem_cache, list) == x)
			return (struct kmem_cache *)x;
	return NULL;
}

unsigned long slab_verify(struct machine *m, FILE *out)
{
	struct slab_state *ss = m->slab;
	unsigned long bad = 0, reclaimable = 0, unreclaimable = 0;

	if (!ss)
		return 0;
	for (struct list_head *l = ss->slab_caches.next; l != &ss->slab_caches; l = l->next) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);
		s->verify_slabs = s->verify_pages = 0;
		s->verify_full_slabs = s->verify_full_objects = 0;
	}
	/* Every slab in mem_map: each belongs to a cache; the full ones are checked here. */
	unsigned long pfn = 0;
	for (struct slab *slab; (slab = next_slab_in_mem_map(m, &pfn));) {
		struct kmem_cache *s = known_cache(ss, slab->slab_cache);
		if (!s) {
			fprintf(out, "slab: page pfn 0x%lx has PG_slab but no cache owns it\n",
				pfn - 1);
			bad++;
			continue;
		}
		s->verify_slabs++;
		s->verify_pages += 1UL << slab->order;
		if (slab->where == SLAB_ON_FULL) {
			bad += verify_slab(m, s, slab, SLAB_ON_FULL, out);
			s->verify_full_slabs++;
			s->verify_full_objects += slab->objects;
		}
	}
	for (struct list_head *l = ss->slab_caches.next; l != &ss->slab_caches; l = l->next) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);
		bad += verify_cache(m, s, out);
		if (s->flags & SLAB_RECLAIM_ACCOUNT)
			reclaimable += s->verify_pages;
		else
			unreclaimable += s->verify_pages;
	}
	bad += verify_slab_pos(m, out);
	unreclaimable += ss->large_kmalloc_pages;
	if (reclaimable != ss->reclaimable_pages || unreclaimable != ss->unreclaimable_pages) {
		fprintf(out, "slab: SReclaimable %lu / SUnreclaim %lu pages counted, caches hold "
			"%lu / %lu\n", ss->reclaimable_pages, ss->unreclaimable_pages, reclaimable,
			unreclaimable);
		bad++;
	}
	return bad;
}
