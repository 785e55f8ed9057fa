/* genalloc.h (internal) — gen_pool chunks (lib/genalloc.c). */
#ifndef MMSIM_LIB_GENALLOC_H
#define MMSIM_LIB_GENALLOC_H
#include "machine.h"

/*
 * A chunk of @size bytes added to a pool of (1 << @min_alloc_order)-byte
 * pieces: its header and bitmap, vzalloc'd. The area's address, or 0
 * without memory (or where the profile's kernel makes no such pools).
 */
kaddr_t gen_pool_add_owner(struct machine *m, unsigned int min_alloc_order, uint64_t size);
#endif /* MMSIM_LIB_GENALLOC_H */
