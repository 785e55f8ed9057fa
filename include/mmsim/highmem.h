/* highmem.h — reaching HighMem pages from the kernel: kmap, kmap_atomic, kmap_local.
 *
 * On i386 only the first ~880 MiB of RAM is permanently mapped; a HighMem
 * page gets a kernel address only while someone holds a mapping of it:
 *   kmap()/kunmap():       one of LAST_PKMAP (1024) persistent slots at
 *                          PKMAP_BASE; may sleep until a slot frees up.
 *   kmap_atomic()/kmap_local_page(): a per-CPU fixmap slot, strictly
 *                          LIFO (6.1) or one slot per km_type (classic).
 * On x86_64, and for lowmem pages, all of them return the direct-map address.
 * Addresses are the simulated kernel's virtual addresses. */
#ifndef MMSIM_HIGHMEM_H
#define MMSIM_HIGHMEM_H

#include <mmsim/mm_types.h>

MMSIM_BEGIN_DECLS

struct machine;

/*
 * kmap(): returns the address, or 0 with *must_sleep set when every slot is
 * in use: current has been put on pkmap_map_wait and must retry once woken
 * (the scenario scheduler does this for tasks).
 */
MMSIM_API kaddr_t kmap(struct machine *m, struct page *page, bool *must_sleep);
MMSIM_API void kunmap(struct machine *m, struct page *page);

/* 6.1: push a slot of current's kmap_local stack; classic: km_type slot `type`. */
MMSIM_API kaddr_t kmap_atomic(struct machine *m, struct page *page, int type);
MMSIM_API void kunmap_atomic(struct machine *m, kaddr_t vaddr, int type);
MMSIM_API kaddr_t kmap_local_page(struct machine *m, struct page *page);
MMSIM_API void kunmap_local(struct machine *m, kaddr_t vaddr);

/* The classic profile's km_type names (KM_USER0, KM_IRQ0 ...): index or -1. */
MMSIM_API int mmsim_km_type(const char *name);

MMSIM_END_DECLS

#endif /* MMSIM_HIGHMEM_H */
