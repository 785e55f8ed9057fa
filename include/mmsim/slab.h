/* slab.h — the slab allocator (SLUB) and the kmalloc family, for library users.
 *
 * Objects are kernel virtual addresses in the simulated direct map (lowmem):
 * a kaddr_t, 0 for failure, ZERO_SIZE_PTR (16) for a zero-byte
 * kmalloc. Their bytes are simulated RAM: mmsim_kaddr() gives a host pointer
 * to them. Every call takes the machine first, otherwise the names and
 * semantics are Linux 6.1's (include/linux/slab.h, mm/slub.c). */
#ifndef MMSIM_SLAB_H
#define MMSIM_SLAB_H

#include <stdio.h>
#include <mmsim/gfp.h>
#include <mmsim/types.h>

MMSIM_BEGIN_DECLS

typedef unsigned int slab_flags_t;

/* Cache flags: bit values are 6.1's (include/linux/slab.h). */
#define SLAB_CONSISTENCY_CHECKS	0x00000100U	/* slub_debug F: check every free */
#define SLAB_RED_ZONE		0x00000400U	/* slub_debug Z: guard bytes around objects */
#define SLAB_POISON		0x00000800U	/* slub_debug P: 0x6b free, 0xa5 end */
#define SLAB_KMALLOC		0x00001000U	/* one of the kmalloc caches */
#define SLAB_HWCACHE_ALIGN	0x00002000U	/* align objects to the cache line */
#define SLAB_CACHE_DMA		0x00004000U	/* pages from ZONE_DMA */
#define SLAB_CACHE_DMA32	0x00008000U	/* pages from ZONE_DMA32 */
#define SLAB_STORE_USER		0x00010000U	/* slub_debug U: alloc/free tracking */
#define SLAB_RECLAIM_ACCOUNT	0x00020000U	/* counted as SReclaimable */
#define SLAB_PANIC		0x00040000U	/* creation failure is fatal */
#define SLAB_TYPESAFE_BY_RCU	0x00080000U	/* free pointer kept outside the object */
#define SLAB_ACCOUNT		0x04000000U	/* memcg accounted (kmalloc-cg-*) */

#define SLAB_DEBUG_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

/* kmalloc(0) returns this: not NULL, but any access faults. */
#define ZERO_SIZE_PTR		16UL
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= ZERO_SIZE_PTR)

/* SLUB's kmalloc limits for 4 KiB pages: caches up to 2 pages, then pages. */
#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)
#define KMALLOC_MIN_SIZE	(1UL << KMALLOC_SHIFT_LOW)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)
/* The largest buddy block: order MAX_ORDER - 1 (4 MiB). */
#define KMALLOC_MAX_SIZE	(1UL << (10 + PAGE_SHIFT))
/*
 * The classic profile's kmalloc caches: the documents' kmalloc_sizes.h,
 * "size-32" ... "size-4194304" (KMALLOC_MAX_SIZE with MAX_ORDER 11), each
 * with a "(DMA)" twin; every kmalloc size is served by a cache.
 */
#define KMALLOC_SHIFT_HIGH_CLASSIC	(10 + PAGE_SHIFT)

struct machine;
struct kmem_cache;

/*
 * Create a cache of @size-byte objects aligned to @align (0: the minimum),
 * with SLAB_* @flags and an optional constructor, which receives a host
 * pointer to the object's bytes when a slab is made. Returns NULL (and with
 * SLAB_PANIC logs the kernel's panic text) if the arguments are impossible
 * or the name is taken.
 */
MMSIM_API struct kmem_cache *kmem_cache_create(struct machine *m, const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *obj));
MMSIM_API kaddr_t kmem_cache_alloc(struct machine *m, struct kmem_cache *s, gfp_t gfp);
MMSIM_API kaddr_t kmem_cache_zalloc(struct machine *m, struct kmem_cache *s, gfp_t gfp);
MMSIM_API void kmem_cache_free(struct machine *m, struct kmem_cache *s, kaddr_t obj);
/* Flush per-CPU slabs, free empty slabs, sort partial slabs. Returns 0. */
MMSIM_API int kmem_cache_shrink(struct machine *m, struct kmem_cache *s);
/* Free the cache; a cache that still has objects is reported and kept. */
MMSIM_API void kmem_cache_destroy(struct machine *m, struct kmem_cache *s);
MMSIM_API unsigned int kmem_cache_size(const struct kmem_cache *s);	/* object_size */
MMSIM_API const char *mmsim_kmem_cache_name(const struct kmem_cache *s);
/*
 * Was the cache made while the kernel booted (kmalloc's caches, mm_struct,
 * vm_area_struct ...)? The kernel itself allocates from those for ever, so
 * whoever destroys one leaves it a dangling pointer: the caller must not.
 */
MMSIM_API bool mmsim_kmem_cache_is_boot(const struct kmem_cache *s);

MMSIM_API kaddr_t kmalloc(struct machine *m, size_t size, gfp_t gfp);
MMSIM_API kaddr_t kzalloc(struct machine *m, size_t size, gfp_t gfp);
MMSIM_API kaddr_t kmalloc_array(struct machine *m, size_t n, size_t size, gfp_t gfp);
MMSIM_API kaddr_t kcalloc(struct machine *m, size_t n, size_t size, gfp_t gfp);
MMSIM_API kaddr_t krealloc(struct machine *m, kaddr_t obj, size_t new_size, gfp_t gfp);
MMSIM_API void kfree(struct machine *m, kaddr_t obj);
/* The usable size of an object (its cache's object_size, or the pages). */
MMSIM_API size_t ksize(struct machine *m, kaddr_t obj);
MMSIM_API kaddr_t kmemdup(struct machine *m, const void *src, size_t len, gfp_t gfp);
MMSIM_API kaddr_t kstrdup(struct machine *m, const char *str, gfp_t gfp);

/* Host pointer to the bytes at a direct-map address (NULL if not lowmem). */
MMSIM_API void *mmsim_kaddr(struct machine *m, kaddr_t kaddr);
/* The cache with this name, or NULL. */
MMSIM_API struct kmem_cache *mmsim_kmem_cache_find(struct machine *m, const char *name);
/*
 * Switch slub_debug (SLAB_DEBUG_FLAGS) on or off: for one cache (@s), which
 * must hold no objects, as the kernel's sysfs switches require; or, with
 * @s NULL, for every cache created from now on and every existing cache
 * that holds no objects. Returns 0 or -EBUSY (16) for a cache in use.
 */
MMSIM_API int mmsim_slub_debug(struct machine *m, struct kmem_cache *s, slab_flags_t flags);

/*
 * The per-CPU object arrays in front of SLUB's freelists (slab.md): with
 * @s, give every CPU's array of @s room for @limit objects and make a full
 * array give back its oldest @batchcount (1 <= batchcount <= limit) — SLAB's
 * slabinfo tunables; limit 0 removes the arrays, which is SLUB exactly as
 * 6.1 runs it. With @s NULL: limit 0 removes every cache's arrays, now and
 * for caches created later; any other limit restores the default sizes
 * (120, 54, 24, 8 or 1 objects by object size, batchcount half).
 * The arrays' objects go back to their slabs first. Returns 0, or -EINVAL
 * (22) for a bad limit (at most SLAB_ARRAY_MAX_LIMIT) or batchcount.
 */
#define SLAB_ARRAY_MAX_LIMIT	4096
MMSIM_API int mmsim_slab_tune(struct machine *m, struct kmem_cache *s, unsigned int limit,
		    unsigned int batchcount);

MMSIM_END_DECLS

#endif /* MMSIM_SLAB_H */
