/* genalloc.c — the general-purpose special-memory allocator's chunks (lib/genalloc.c).
 *
 * A gen_pool hands out pieces of memory its owner gives it, tracked by a
 * bitmap per chunk of one bit per (1 << min_alloc_order) bytes.
 * gen_pool_add_owner() vzallocs each chunk's header and bitmap, so every
 * pool the boot makes shows a vmalloc area: on amd64, the machine-check
 * event pool and the three DMA atomic pools. The pieces handed out are the
 * owner's business; mmsim models the chunks' memory, which is what shows. */
#include "lib/genalloc.h"
#include "mm/vmalloc.h"

/* struct gen_pool_chunk before its bitmap: list head, avail, phys, owner, start, end (64-bit). */
#define GEN_POOL_CHUNK_BYTES(m)	((m)->is_32bit ? 28 : 56)

kaddr_t gen_pool_add_owner(struct machine *m, unsigned int min_alloc_order, uint64_t size)
{
	const char *caller = m->profile->boot_vmalloc.gen_pool;
	uint64_t nbits = size >> min_alloc_order;
	unsigned int long_bytes = m->is_32bit ? 4 : 8;
	uint64_t nbytes = GEN_POOL_CHUNK_BYTES(m) + DIV_ROUND_UP(nbits, long_bytes * 8) * long_bytes;

	if (!caller || nbytes > SZ_1G)
		return 0;
	return mmsim_vmalloc_caller(m, (unsigned long)nbytes, GFP_KERNEL | __GFP_ZERO, caller);
}
