/* oom.h (internal) — the OOM killer's interface (include/linux/oom.h):
 * the request that ran out of memory (struct oom_control), the victim
 * tests the allocator and the exit path ask, and the entry points of
 * mm/oom_kill.c. Kept apart from mm.h because only the allocator, the
 * fault path, the process code and /proc talk to the OOM killer. */
#ifndef MMSIM_MM_OOM_H
#define MMSIM_MM_OOM_H

#include "kernel/sched.h"
#include "mm.h"

/* What limits the allocation (the memory the OOM killer may free for it). */
enum oom_constraint {
	CONSTRAINT_NONE,
	CONSTRAINT_CPUSET,
	CONSTRAINT_MEMORY_POLICY,
	CONSTRAINT_MEMCG,
};

/*
 * One invocation of the OOM killer. The caller fills gfp_mask and order
 * (order -1: the sysrq OOM, which kills even with a victim in flight and
 * never panics); out_of_memory() fills the rest.
 */
struct oom_control {
	gfp_t gfp_mask;
	int order;
	unsigned long totalpages;	/* RAM + swap the victim's pages are counted against */
	struct task_struct *chosen;	/* OOM_SELECTION_ABORTED: a victim is still dying */
	long chosen_points;
	enum oom_constraint constraint;
};

/* select_bad_process() stopped: an earlier victim has not let its memory go yet. */
#define OOM_SELECTION_ABORTED	((struct task_struct *)-1L)

/* The legacy /proc/PID/oom_adj scale (-17 .. 15; -17 means never kill). */
#define OOM_DISABLE		(-17)
#define OOM_ADJUST_MIN		(-16)
#define OOM_ADJUST_MAX		15

/* OOM_REAPER_DELAY: 2 * HZ — the victim's own chance to exit before the reaper comes. */
#define OOM_REAPER_DELAY_NS	2000000000ULL

/* tsk_is_oom_victim(): the OOM killer chose @t's process (signal->oom_mm is set). */
static inline bool tsk_is_oom_victim(const struct task_struct *t)
{
	return t->signal && t->signal->oom_mm;
}

/* oom_reserves_allowed(): an OOM victim may take ALLOC_OOM's share of the reserves. */
static inline bool oom_reserves_allowed(const struct task_struct *t)
{
	return tsk_is_oom_victim(t);
}

/*
 * out_of_memory(): report and kill, as 6.1 does, for an allocation that
 * reclaim could not satisfy. True if the caller should retry (something
 * was killed, a victim is still dying, or the request cannot use the
 * OOM killer but must not fail for it: !__GFP_FS); false if the OOM
 * killer did nothing (or the machine panicked).
 */
bool out_of_memory(struct machine *m, struct oom_control *oc);

/*
 * pagefault_out_of_memory(): a fault came back VM_FAULT_OOM. The
 * allocator has already invoked the OOM killer; a task it chose dies on
 * the way back to user mode, any other is warned about and retries.
 */
void pagefault_out_of_memory(struct machine *m);

/*
 * The OOM reaper (a kernel thread in 6.1): each victim whose timer
 * (OOM_REAPER_DELAY after the kill) has expired and which still has its
 * address space has its anonymous and private memory unmapped at once
 * (__oom_reap_task_mm) and its mm marked MMF_OOM_SKIP. Called as the
 * clock moves; does nothing when no timer is due.
 */
void oom_reaper_run(struct machine *m);
bool __oom_reap_task_mm(struct machine *m, struct mm_struct *mm);
void oom_reaper_release(struct machine *m);

/* exit_oom_victim(): the victim's mm is gone (exit_mm); one victim fewer in flight. */
void exit_oom_victim(struct machine *m, struct task_struct *t);

#endif /* MMSIM_MM_OOM_H */
