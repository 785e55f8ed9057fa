/* oom_kill.c — how much the OOM killer would like to kill a process
 * (mm/oom_kill.c's oom_badness), for /proc/PID/oom_score. */
#include <limits.h>

#include "kernel/sched.h"
#include "mm.h"

/*
 * oom_badness(): the pages killing @t would free — its resident pages,
 * its swap entries and its page tables — plus oom_score_adj thousandths
 * of @totalpages. LONG_MIN for a task that may not be killed: init, a
 * kernel thread, one without an address space, or oom_score_adj -1000.
 */
long oom_badness(struct task_struct *t, unsigned long totalpages)
{
	if (t->pid == 1 || (t->flags & PF_KTHREAD) || !t->mm || !t->signal)
		return LONG_MIN;
	long adj = t->signal->oom_score_adj;
	if (adj == OOM_SCORE_ADJ_MIN)
		return LONG_MIN;
	long points = (long)(get_mm_rss(t->mm) + get_mm_counter(t->mm, MM_SWAPENTS) +
			     t->mm->pgtables_bytes / PAGE_SIZE);
	return points + adj * (long)(totalpages / 1000);
}
