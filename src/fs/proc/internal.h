/* internal.h (fs/proc) — what the /proc files of a process share
 * (the kernel's fs/proc/internal.h): the renderers of /proc/PID/... that
 * base.c's table points at. Each takes the task the directory is of. */
#ifndef MMSIM_FS_PROC_INTERNAL_H
#define MMSIM_FS_PROC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct machine;
struct mm_struct;
struct task_struct;

/* task_mmu.c */
void proc_pid_maps_show(struct machine *m, struct task_struct *t, FILE *out);
void proc_pid_smaps_show(struct machine *m, struct task_struct *t, FILE *out);
/* 0, or -ESRCH for a task without an address space. */
int proc_pid_smaps_rollup_show(struct machine *m, struct task_struct *t, FILE *out);
void proc_pid_statm_show(struct machine *m, struct task_struct *t, FILE *out);
void proc_task_mem_show(struct machine *m, struct mm_struct *mm, FILE *out);

/* array.c */
void proc_pid_status_show(struct machine *m, struct task_struct *t, FILE *out);
void proc_pid_stat_show(struct machine *m, struct task_struct *t, FILE *out);

/* base.c: the directories /proc/PID and /proc/self */
int proc_pid_read(struct machine *m, const char *path, FILE *out);
int proc_pid_write(struct machine *m, const char *path, const char *value);
/* The paths of every process's files, after the fixed ones; see mmsim_proc_path(). */
const char *proc_pid_path(const struct machine *m, size_t *pos, bool *writable);

#endif /* MMSIM_FS_PROC_INTERNAL_H */
