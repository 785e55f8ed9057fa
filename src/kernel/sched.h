/* sched.h (internal) — simulated kernel tasks, "current", wait queues and a
 * deterministic scheduler.
 *
 * A task is a kernel thread that runs scenario commands. It can block: a
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
	TASK_RUNNING,
	TASK_UNINTERRUPTIBLE,
	TASK_DEAD,
};

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
	void *owner_data;		/* the scenario engine's per-task program */
	unsigned long sleeps, wakeups;
	bool was_asleep;		/* scratch for the scenario's wake-up report */
	const char *waiting_on;		/* the wait queue's name, or "msleep" */
	uint64_t wake_at_ns;		/* msleep: when the timer fires (0: none) */
};

struct wait_queue_head {
	struct list_head head;
	const char *name;
};

struct sched_state {
	struct task_struct init_task;	/* pid 1: runs the top-level scenario */
	struct task_struct *current;
	struct list_head tasks;
	int next_pid;
	uint64_t rng;
	unsigned long switches;
};

int sched_init(struct machine *m);
void sched_release(struct machine *m);

static inline struct task_struct *get_current(struct machine *m)
{
	return m->sched->current;
}

struct task_struct *task_create(struct machine *m, const char *name, void *owner_data);
void task_exit(struct machine *m, struct task_struct *t);
struct task_struct *task_find(struct machine *m, const char *name);
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

static inline void preempt_disable(struct machine *m)
{
	get_current(m)->preempt_count++;
}

static inline void preempt_enable(struct machine *m)
{
	get_current(m)->preempt_count--;
}

#endif /* MMSIM_KERNEL_SCHED_H */
