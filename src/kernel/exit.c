/* exit.c — a process's end and its parent's wait (kernel/exit.c).
 *
 * do_exit() gives back what the process held — its address space
 * (exit_mm: every page, page table and VMA), its open files, its kernel
 * stack once it no longer runs — and leaves a zombie: the task_struct,
 * pid, signal_struct and cred stay until the parent collects the exit
 * status with wait4(), which also adds the child's fault counts and peak
 * RSS to the parent's "children" totals (getrusage RUSAGE_CHILDREN).
 * Children of an exiting process are given to init (pid 1). */
#include <stdlib.h>

#include "arch/x86/mmu.h"
#include "fs/fs.h"
#include "arch/x86/cpu_backend.h"
#include "arch/x86/fault.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/signal.h"
#include "mm.h"
#include "mm/oom.h"

/* exit_mm(): fold the task's cached RSS counts in, then let the mm go. */
static void exit_mm(struct machine *m, struct task_struct *t)
{
	struct mm_struct *mm = t->mm;

	if (!mm)
		return;
	sync_mm_rss(m, mm);
	/* The peak RSS of the dead thread, for getrusage (setmax_mm_hiwater_rss). */
	update_hiwater_rss(mm);
	if (mm->hiwater_rss > t->signal->maxrss)
		t->signal->maxrss = mm->hiwater_rss;
	/* The CPU leaves the address space before it is torn down (enter_lazy_tlb). */
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		if (m->cpu_mmu[cpu].cr3 == mm->pgd)
			write_cr3(m, cpu, m->swapper_pg_dir);
	t->mm = NULL;
	t->active_mm = NULL;
	mmput(m, mm);
	exit_oom_victim(m, t);
}

/* forget_original_parent(): the children of a dying process become init's. */
static void reparent_children(struct machine *m, struct task_struct *t)
{
	struct task_struct *init = &m->sched->init_task;

	while (!list_empty(&t->children)) {
		struct task_struct *c = list_first_entry(&t->children, struct task_struct, sibling);
		list_del(&c->sibling);
		c->real_parent = init;
		list_add_tail(&c->sibling, &init->children);
	}
}

void do_exit(struct machine *m, struct task_struct *t, int exit_code)
{
	t->flags |= PF_EXITING;
	if (exit_code & 0x7f)
		t->flags |= PF_SIGNALED;
	exit_thread(m, t);
	exit_mm(m, t);
	if (t->files) {
		put_files_struct(m, t->files);
		t->files = NULL;
	}
	t->exit_code = exit_code;
	reparent_children(m, t);
	t->exit_state = EXIT_ZOMBIE;
	t->state = TASK_DEAD;
	/* The task never runs again: its kernel stack goes (put_task_stack). */
	if (m->sched->current == t)
		switch_to(m, &m->sched->init_task);
	release_task_stack(m, t);
}

/*
 * exit_notify(): the parent of a process that has exited, if it runs a
 * program, is woken (its wait4 may now succeed) and sent its exit signal.
 */
void exit_notify(struct machine *m, struct task_struct *t)
{
	struct task_struct *p = t->real_parent;

	if (!p || !p->uctx || p->exit_state)
		return;
	p->blocked_wakeup = true;
	if (t->exit_signal) {
		struct kernel_siginfo info = {
			.signo = t->exit_signal, .code = (t->exit_code & 0x7f) ? 2 : 1,
			.pid = t->tgid, .uid = t->cred ? t->cred->uid : 0,
			.status = (t->exit_code & 0x7f) ? (t->exit_code & 0x7f) : (t->exit_code >> 8),
		};
		send_signal(m, p, t->exit_signal, &info);
	}
}

/* release_task(): a reaped zombie: its counts go to its parent, its memory away. */
void release_task(struct machine *m, struct task_struct *t)
{
	struct task_struct *p = t->real_parent;

	if (p && p->signal && t->signal) {
		p->signal->cmin_flt += t->min_flt + t->signal->cmin_flt;
		p->signal->cmaj_flt += t->maj_flt + t->signal->cmaj_flt;
		p->signal->cstime_ns += t->stime_ns + t->signal->cstime_ns;
		unsigned long maxrss = t->signal->maxrss > t->signal->cmaxrss ? t->signal->maxrss
									: t->signal->cmaxrss;
		if (maxrss > p->signal->cmaxrss)
			p->signal->cmaxrss = maxrss;
	}
	t->exit_state = EXIT_DEAD;
	list_del(&t->sibling);
	INIT_LIST_HEAD(&t->sibling);
	list_del(&t->tasks);
	detach_pid(m, t);
	m->sched->nr_threads--;
	free_task(m, t);
}

/*
 * do_wait() / wait4(): reap a zombie child — @pid, or any child (-1) —
 * storing its wait status and rusage. 0 when there are children but none
 * is a zombie yet (WNOHANG: the simulator never blocks here), -ECHILD
 * when there are none to wait for.
 */
int do_wait(struct machine *m, int pid, int *status, struct rusage_mm *ru)
{
	struct task_struct *cur = get_current(m);
	bool any = false;
	struct list_head *pos;

	list_for_each(pos, &cur->children) {
		struct task_struct *c = list_entry(pos, struct task_struct, sibling);
		if (pid > 0 && c->pid != pid)
			continue;
		any = true;
		if (c->exit_state != EXIT_ZOMBIE)
			continue;
		int cpid = c->pid;
		if (status)
			*status = c->exit_code;
		if (ru) {
			ru->minflt = c->min_flt + c->signal->cmin_flt;
			ru->majflt = c->maj_flt + c->signal->cmaj_flt;
			unsigned long maxrss = c->signal->maxrss > c->signal->cmaxrss ?
					       c->signal->maxrss : c->signal->cmaxrss;
			ru->maxrss_kb = maxrss << (PAGE_SHIFT - 10);
		}
		release_task(m, c);
		return cpid;
	}
	return any ? 0 : -MMSIM_ECHILD;
}

/* getrusage(RUSAGE_SELF / RUSAGE_CHILDREN): the memory fields. */
int getrusage_mm(struct machine *m, int who, struct rusage_mm *ru)
{
	struct task_struct *t = get_current(m);

	if (who == RUSAGE_SELF) {
		ru->minflt = t->min_flt;
		ru->majflt = t->maj_flt;
		unsigned long maxrss = t->signal->maxrss;
		if (t->mm) {
			unsigned long hw = get_mm_rss(t->mm) > t->mm->hiwater_rss ? get_mm_rss(t->mm)
										 : t->mm->hiwater_rss;
			if (hw > maxrss)
				maxrss = hw;
		}
		ru->maxrss_kb = maxrss << (PAGE_SHIFT - 10);
		return 0;
	}
	if (who == RUSAGE_CHILDREN) {
		ru->minflt = t->signal->cmin_flt;
		ru->majflt = t->signal->cmaj_flt;
		ru->maxrss_kb = t->signal->cmaxrss << (PAGE_SHIFT - 10);
		return 0;
	}
	return -MMSIM_EINVAL;
}

/* ---- the system calls of a running program ------------------------------------------- */

/* wait options (the host's <stdlib.h> has the same names) */
#define WAIT_WNOHANG		0x00000001
#define WAIT_WUNTRACED	0x00000002
#define WAIT_WCONTINUED	0x00000008
#define WAIT_WNOTHREAD	0x20000000
#define WAIT_WALL		0x40000000
#define WAIT_WCLONE	0x80000000

int64_t sys_exit_group(struct machine *m, int code)
{
	do_exit(m, get_current(m), (code & 0xff) << 8);
	return 0;
}

/*
 * wait4(): a zombie child reaped, its status and rusage stored. With none
 * exited yet and no WAIT_WNOHANG the caller sleeps until a child exits (the
 * call is made again then: -ERESTARTSYS).
 */
int64_t sys_wait4(struct machine *m, int pid, uint64_t stat_addr, int options, uint64_t ru)
{
	struct rusage_mm r = { 0 };
	int status = 0;

	if ((unsigned int)options & ~(WAIT_WNOHANG | WAIT_WUNTRACED | WAIT_WCONTINUED | WAIT_WNOTHREAD | WAIT_WALL | WAIT_WCLONE))
		return -MMSIM_EINVAL;
	if (pid == INT32_MIN)
		return -MMSIM_ESRCH;
	/* A process group (0, < -1) is its leader here: every child counts. */
	int ret = do_wait(m, pid > 0 ? pid : -1, &status, &r);
	if (ret == 0)
		return (options & WAIT_WNOHANG) ? 0 : -ERESTARTSYS;
	if (ret < 0)
		return ret;
	if (stat_addr && put_user(m, &status, stat_addr, 4))
		return -MMSIM_EFAULT;
	if (ru) {
		int64_t out[18] = { 0 };
		out[4] = (int64_t)r.maxrss_kb;
		out[8] = (int64_t)r.minflt;
		out[9] = (int64_t)r.majflt;
		if (put_rusage(m, ru, out))
			return -MMSIM_EFAULT;
	}
	return ret;
}
