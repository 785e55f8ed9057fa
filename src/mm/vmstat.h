/* vmstat.h (internal) — renderers of the /proc files that live in mm/vmstat.c. */
#ifndef MMSIM_MM_VMSTAT_H
#define MMSIM_MM_VMSTAT_H

#include <stdio.h>

struct machine;

void proc_buddyinfo_show(struct machine *m, FILE *out);
void proc_pagetypeinfo_show(struct machine *m, FILE *out);
void proc_zoneinfo_show(struct machine *m, FILE *out);
void proc_vmstat_show(struct machine *m, FILE *out);
void proc_meminfo_show(struct machine *m, FILE *out);
/* /sys/kernel/debug/extfrag/extfrag_index and unusable_index: per zone and order. */
void extfrag_index_show(struct machine *m, FILE *out);
void unusable_index_show(struct machine *m, FILE *out);

#endif /* MMSIM_MM_VMSTAT_H */
