/* sched.h (internal) — simulated kernel tasks, "current", wait queues and a
 * deterministic scheduler.
 *
 * A task is a kernel thread whose program someone else owns (the scenario
 * engine's task bodies; later, real programs). It can block: a
 * kernel function that must sleep (kmap with every pkmap slot taken) puts
 * current on a wait queue, marks it TASK_UNINTERRUPTIBLE and returns
 * -EAGAIN; the scheduler then runs someone else and, when the task is woken,
 * runs the same command again from the start — the retry the kernel's own
 * code makes after schedule() returns. Which runnable task goes next is
 * drawn from the machine's seed, so a seed fixes the interleaving. */
#ifndef MMSIM_KERNEL_SCHED_H
#define MMSIM_KERNEL_SCHED_H

#include <mmsim/list.h>

#include "machine.h"

#define TASK_COMM_LEN	16
#define KM_MAX_IDX	16	/* kmap_local slots per task (6.1) */

enum task_state {
	TASK_NEW,		/* created, not yet woken (wake_up_new_task) */
	TASK_RUNNING,
	TASK_UNINTERRUPTIBLE,	/* "D": asleep until woken */
	TASK_DEAD,
};

/* khungtaskd reports a task asleep in D state for this long (hung_task_timeout_secs). */
#define HUNG_TASK_TIMEOUT_NS	(120ULL * 1000000000ULL)

struct task_struct {
	int pid;
	char comm[TASK_COMM_LEN];
	enum task_state state;
	unsigned int cpu;
	int preempt_count;		/* > 0: the scheduler must not switch away */
	struct {
		int idx;		/* kmap_local stack depth */
		uint64_t vaddr[KM_MAX_IDX];
	} kmap_ctrl;
	struct list_head tasks;		/* sched_state.tasks, in creation order */
	struct list_head wait_entry;	/* on a wait_queue_head while sleeping */
	void *owner_data;		/* the program's owner's: what the task runs */
	unsigned long sleeps, wakeups;
	const char *waiting_on;		/* the wait queue's name, or "msleep" */
	uint64_t wake_at_ns;		/* msleep: when the timer fires (0: none) */
	uint64_t sleep_start_ns;	/* when it last went to sleep (last_switch_time) */
};

struct wait_queue_head {
	struct list_head head;
	const char *name;
};

/* Where a CPU's time went (kernel_cpustat): the rest of the clock is idle. */
struct kernel_cpustat {
	uint64_t system_ns;		/* ticks spent running kernel code */
	unsigned long ticks;		/* timer interrupts taken (busy CPUs only: NO_HZ_IDLE) */
};

/* One jiffy at HZ=250. */
#define TICK_NSEC	4000000ULL

struct sched_state {
	struct task_struct init_task;	/* pid 1: runs the top-level scenario */
	struct task_struct *current;
	struct list_head tasks;
	int next_pid;
	uint64_t rng;
	unsigned long switches;
	struct kernel_cpustat *cpustat;	/* [nr_cpus] */
	unsigned int hung_task_warnings;	/* reports khungtaskd may still make (10) */
};

int sched_init(struct machine *m);
/*
 * One jiffy of the current task running kernel code on its CPU: the clock
 * moves on TICK_NSEC, which that CPU's timer interrupt accounts as system
 * time (update_process_times -> account_process_tick); the other CPUs idle.
 */
void account_system_tick(struct machine *m);
void sched_release(struct machine *m);

static inline struct task_struct *get_current(struct machine *m)
{
	return m->sched->current;
}

/*
 * kthread_create(): a new task named @name that will run @owner_data's
 * program, in TASK_NEW until wake_up_new_task(). NULL without memory.
 */
struct task_struct *kthread_create(struct machine *m, const char *name, void *owner_data);
void wake_up_new_task(struct machine *m, struct task_struct *t);
/* do_exit(): the task is dead; it stays listed (its pid is not reused). */
void task_exit(struct machine *m, struct task_struct *t);
struct task_struct *task_find(struct machine *m, const char *name);
/* Every task but init, in creation order: for (t = NULL; (t = next_task(m, t));). */
struct task_struct *next_task(struct machine *m, struct task_struct *prev);
/* Make t current (a context switch) and point the CPU and comm at it. */
void switch_to(struct machine *m, struct task_struct *t);
/*
 * Pick the next task to run among runnable ones other than init: a task
 * with preemption disabled keeps the CPU; otherwise a seeded draw. When
 * nothing is runnable but a task sleeps on a timer, the clock jumps to the
 * earliest timer and that task wakes. NULL if nothing can run.
 */
struct task_struct *pick_next_task(struct machine *m);

void init_waitqueue_head(struct wait_queue_head *wq, const char *name);
static inline bool waitqueue_active(const struct wait_queue_head *wq)
{
	return !list_empty(&wq->head);
}
/* Put current to sleep on wq (prepare_to_wait + schedule, seen from outside). */
void sleep_on(struct machine *m, struct wait_queue_head *wq);
/*
 * finish_wait(): current stops waiting — off its wait queue (if on one) and
 * running again. For a sleep that will not happen after all.
 */
void finish_wait(struct machine *m);
/* wake_up(): every sleeper becomes runnable. Returns how many woke. */
int wake_up(struct machine *m, struct wait_queue_head *wq);

/* struct completion: a count and the tasks waiting for it. */
struct completion {
	unsigned int done;
	struct wait_queue_head wait;
};

void init_completion(struct completion *x, const char *name);
/* complete(): one more "done"; the waiters wake and re-check. */
void complete(struct machine *m, struct completion *x);
/*
 * wait_for_completion(): true if a "done" was consumed; false when current
 * has been put to sleep and must retry once woken.
 */
bool wait_for_completion_or_sleep(struct machine *m, struct completion *x);
/* msleep(): current sleeps until the clock has advanced by ms milliseconds. */
void msleep(struct machine *m, unsigned int ms);

/*
 * khungtaskd (kernel/hung_task.c), for a machine where nothing can run any
 * more: its next check comes HUNG_TASK_TIMEOUT_NS after the last task went
 * to sleep, so the clock moves there, and every task still asleep in D
 * state is reported in the kernel's words. Returns how many there were.
 */
unsigned int check_hung_uninterruptible_tasks(struct machine *m);

static inline void preempt_disable(struct machine *m)
{
	get_current(m)->preempt_count++;
}

static inline void preempt_enable(struct machine *m)
{
	get_current(m)->preempt_count--;
}

#endif /* MMSIM_KERNEL_SCHED_H */
