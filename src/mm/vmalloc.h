/* vmalloc.h (mm) — the hooks boot, /proc, verify and the scenario engine call
 * into mm/vmalloc.c, and the few internals tests look at. */
#ifndef MMSIM_MM_VMALLOC_H
#define MMSIM_MM_VMALLOC_H

#include <stdio.h>
#include <mmsim/vmalloc.h>

#include "mm/internal.h"

struct vmap_state;

/* m->vmap (NULL before vmalloc_init). */
struct vmap_state *vmap_state(struct machine *m);

/*
 * vmalloc_init(): compute VMALLOC_START/END and make the whole address
 * space free apart from nothing (the kernel's vmap_init_free_space()).
 * Call after the direct map and mem_init. Idempotent. 0 or -ENOMEM.
 */
int vmalloc_init(struct machine *m);
/* Free the host memory behind the state (before RAM is unmapped). */
void vmalloc_release(struct machine *m);

/* /proc/vmallocinfo, in 6.1's format. */
void proc_vmallocinfo_show(struct machine *m, FILE *out);
/* /proc/meminfo: VmallocTotal and VmallocUsed in kB. */
void meminfo_vmalloc_values(struct machine *m, uint64_t *total_kb, uint64_t *used_kb);

/*
 * Validator: areas, lazily freed ranges and free ranges tile the address
 * space without overlap; every area's pages are mapped to the frames it
 * records and its guard page is not; vmalloc'd frames are allocated; the
 * counters (vmap_lazy_nr, nr_vmalloc_pages) add up. Prints one line per
 * problem and returns how many.
 */
unsigned long vmalloc_verify(struct machine *m, FILE *out);

/*
 * One scenario command (docs/vmalloc.md): 0 when done, 1 when argv[0] is
 * not a vmalloc command, 2 for bad input with one line in @err.
 */
int vmalloc_scenario_command(struct machine *m, int argc, char **argv, FILE *out,
			     char *err, size_t errlen);
/* The address a scenario name stands for (0 / -1 if unknown). */
int vmalloc_scenario_lookup(struct machine *m, const char *name, uint64_t *addr);

/* ---- for tests ------------------------------------------------------------ */

/* lazy_max_pages(): pages lazily freed before a purge is forced. */
unsigned long lazy_max_pages(struct machine *m);
/* Pages waiting in the purge list (vmap_lazy_nr). */
unsigned long vmap_lazy_nr(struct machine *m);
/* Pages allocated by vmalloc (nr_vmalloc_pages; VmallocUsed). */
unsigned long vmalloc_nr_pages(struct machine *m);

#endif /* MMSIM_MM_VMALLOC_H */
