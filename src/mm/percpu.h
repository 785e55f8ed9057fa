/* percpu.h (mm) — the per-CPU allocator's chunks (mm/percpu.c): what boot,
 * /proc/meminfo and verify call. */
#ifndef MMSIM_MM_PERCPU_H
#define MMSIM_MM_PERCPU_H

#include <stdio.h>

struct machine;

/*
 * pcpu_setup_first_chunk(): the embedded first chunk's units as the boot
 * laid them out — @static_size and @reserved_size bytes, then @dyn_size of
 * dynamic space the first chunk serves, in @nr_units units of @unit_size
 * bytes — all populated. 0 or -ENOMEM (host memory).
 */
int pcpu_setup_first_chunk(struct machine *m, unsigned long static_size,
			   unsigned long reserved_size, unsigned long dyn_size,
			   unsigned long unit_size, unsigned int nr_units);
/*
 * pcpu_alloc(): @size bytes (aligned to @align) in every CPU's unit, from
 * the fullest chunk that has room, populating a later chunk's pages as it
 * must; and when fewer than PCPU_EMPTY_POP_PAGES_LOW populated pages stay
 * empty, the balance work that keeps some ready (creating a chunk if it
 * has to). 0, or -ENOMEM when no chunk could be had.
 */
int pcpu_alloc(struct machine *m, unsigned long size, unsigned long align);
/*
 * The boot's own dynamic per-CPU allocations (statistics and counters of
 * subsystems mmsim does not model), @bytes in all, as the profile records
 * them. 0 or -ENOMEM.
 */
int pcpu_boot_allocations(struct machine *m, unsigned long bytes);
/* pcpu_nr_pages(): populated pages in every unit, the first chunk's included (Percpu). */
unsigned long pcpu_nr_pages(const struct machine *m);
/* Chunks the allocator holds, the first included (for tests). */
unsigned int pcpu_nr_chunks(const struct machine *m);
/*
 * Validator: every chunk's counters add up (used bytes within the chunk,
 * empty populated pages, the global populated and empty counts, Percpu),
 * and each populated page of each CPU's unit is mapped, in the chunk's
 * vmalloc area, to the allocated page the chunk recorded. Prints one line
 * per problem and returns how many.
 */
unsigned long pcpu_verify(struct machine *m, FILE *out);
void pcpu_release(struct machine *m);

#endif
