/* util.c — small helpers built on kmalloc (mm/util.c): kmemdup, kstrdup,
 * and mmsim_kaddr(), the host pointer behind a direct-map address. */
#include <string.h>

#include "mm/slab.h"

kaddr_t kmemdup(struct machine *m, const void *src, size_t len, gfp_t gfp)
{
	unsigned long p = kmalloc(m, len, gfp);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(mmsim_kaddr(m, p), src, len);
	return p;
}

kaddr_t kstrdup(struct machine *m, const char *str, gfp_t gfp)
{
	if (!str)
		return 0;
	return kmemdup(m, str, strlen(str) + 1, gfp);
}

void *mmsim_kaddr(struct machine *m, kaddr_t kaddr)
{
	struct slab_state *ss = m->slab;
	uint64_t off = (uint64_t)kaddr - m->page_offset;

	if (!ss || off >= (uint64_t)m->max_low_pfn << PAGE_SHIFT)
		return NULL;
	return m->ram + off;
}
