/* memblock.h (internal) — the boot-time physical memory allocator (mm/memblock.c). */
#ifndef MMSIM_MM_MEMBLOCK_H
#define MMSIM_MM_MEMBLOCK_H

#include "machine.h"

/* Passed as end: "up to memblock.current_limit". */
#define MEMBLOCK_ALLOC_ACCESSIBLE 0

int memblock_init(struct machine *m);
void memblock_release(struct machine *m);
int memblock_add(struct machine *m, phys_addr_t base, phys_addr_t size);
int memblock_reserve(struct machine *m, phys_addr_t base, phys_addr_t size);
/* Return a reserved range to the free pool (memblock_phys_free). */
void memblock_phys_free(struct machine *m, phys_addr_t base, phys_addr_t size);
/*
 * Find and reserve size bytes aligned to align inside [start, end), searching
 * from the top down as the kernel does by default. Returns 0 on failure
 * (address 0 is never handed out: page 0 is always reserved).
 */
phys_addr_t memblock_phys_alloc_range(struct machine *m, phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end);
phys_addr_t memblock_alloc(struct machine *m, phys_addr_t size, phys_addr_t align);
phys_addr_t memblock_start_of_DRAM(const struct machine *m);
phys_addr_t memblock_end_of_DRAM(const struct machine *m);
/* Cut memory regions to whole pages (memblock_trim_memory). */
void memblock_trim_memory(struct machine *m, phys_addr_t align);

/*
 * Walk memory minus reserved as page frame ranges [start_pfn, end_pfn):
 *   unsigned long idx = 0, s, e;
 *   while (memblock_next_free_pfn_range(m, &idx, &s, &e)) ...
 */
bool memblock_next_free_pfn_range(const struct machine *m, unsigned long *idx,
				  unsigned long *start_pfn, unsigned long *end_pfn);

/* The same walk, clipped to [lo, hi); empty pieces are skipped. */
bool memblock_next_free_pfn_range_in(const struct machine *m, unsigned long *idx,
				     unsigned long lo, unsigned long hi,
				     unsigned long *start_pfn, unsigned long *end_pfn);
/* How many free (memory, not reserved) pages lie in [lo, hi). */
unsigned long memblock_free_pages_in(const struct machine *m, unsigned long lo, unsigned long hi);

/* Validator: regions sorted, non-overlapping, non-empty. */
unsigned long memblock_verify(struct machine *m, FILE *out);

#endif /* MMSIM_MM_MEMBLOCK_H */
