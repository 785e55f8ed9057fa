/* sched.c — tasks, wait queues and the deterministic scheduler (see sched.h). */
#include <stdlib.h>
#include <string.h>

#include <mmsim/vmalloc.h>

#include "arch/x86/mmu.h"
#include "kernel/sched.h"
#include "mm/oom.h"

static void task_init(struct task_struct *t, int pid, const char *name, unsigned int cpu)
{
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	snprintf(t->comm, sizeof(t->comm), "%s", name);
	t->state = TASK_RUNNING;
	t->cpu = cpu;
	INIT_LIST_HEAD(&t->tasks);
	INIT_LIST_HEAD(&t->wait_entry);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
}

/* INIT_RLIMITS (include/asm-generic/resource.h); NPROC and SIGPENDING come from fork_init(). */
static void init_rlimits(struct signal_struct *sig)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		sig->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	sig->rlim[RLIMIT_STACK].rlim_cur = 8ULL << 20;		/* _STK_LIM */
	sig->rlim[RLIMIT_CORE].rlim_cur = 0;
	sig->rlim[RLIMIT_NPROC] = (struct rlimit64){ 0, 0 };
	sig->rlim[RLIMIT_NOFILE] = (struct rlimit64){ 1024, 4096 };	/* INR_OPEN_CUR/MAX */
	sig->rlim[RLIMIT_MEMLOCK] = (struct rlimit64){ 8ULL << 20, 8ULL << 20 };	/* MLOCK_LIMIT */
	sig->rlim[RLIMIT_SIGPENDING] = (struct rlimit64){ 0, 0 };
	sig->rlim[RLIMIT_MSGQUEUE] = (struct rlimit64){ 819200, 819200 };	/* MQ_BYTES_MAX */
	sig->rlim[RLIMIT_NICE] = (struct rlimit64){ 0, 0 };
	sig->rlim[RLIMIT_RTPRIO] = (struct rlimit64){ 0, 0 };
}

int sched_init(struct machine *m)
{
	struct sched_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -MMSIM_ENOMEM;
	s->cpustat = calloc(m->nr_cpus, sizeof(*s->cpustat));
	s->cpu_curr = calloc(m->nr_cpus, sizeof(*s->cpu_curr));
	s->cached_stacks = calloc((size_t)m->nr_cpus * 2, sizeof(*s->cached_stacks));
	if (!s->cpustat || !s->cpu_curr || !s->cached_stacks) {
		free(s->cpustat);
		free(s->cpu_curr);
		free(s->cached_stacks);
		free(s);
		return -MMSIM_ENOMEM;
	}
	INIT_LIST_HEAD(&s->tasks);
	task_init(&s->init_task, 1, "swapper/0", 0);
	init_rlimits(&s->init_signal);
	s->init_cred.cap_effective = CAP_FULL_SET;	/* init_cred: root */
	s->init_cred.usage = 1;
	s->init_task.signal = &s->init_signal;
	s->init_task.sighand = &s->init_sighand;
	s->init_task.cred = &s->init_cred;
	s->init_task.tgid = 1;
	s->init_task.umask = 0022;
	s->init_task.flags = PF_KTHREAD;
	s->current = &s->init_task;
	s->cpu_curr[0] = &s->init_task;
	s->last_pid = 1;
	/*
	 * pid_idr_init(): PID_MAX_DEFAULT, or 1024 per possible CPU, at most
	 * PID_MAX_LIMIT (32768 where a long is 32 bits, 4 Mi otherwise).
	 */
	s->pid_max = 32768;
	if (1024 * (int)m->nr_cpus > s->pid_max)
		s->pid_max = 1024 * (int)m->nr_cpus;
	if (s->pid_max > (m->is_32bit ? 32768 : 4 << 20))
		s->pid_max = m->is_32bit ? 32768 : 4 << 20;
	s->hung_task_warnings = 10;
	s->rng = m->desc.seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
	m->sched = s;
	m->comm = s->init_task.comm;
	return 0;
}

void run_init_process(struct machine *m)
{
	snprintf(m->sched->init_task.comm, sizeof(m->sched->init_task.comm), "mmsim");
}

/*
 * The machine is going: every task exits and is reaped, so that what
 * they hold (address spaces, files, objects) is given back in order.
 */
void exit_all_tasks(struct machine *m)
{
	struct sched_state *s = m->sched;

	if (!s)
		return;
	switch_to(m, &s->init_task);
	for (struct task_struct *t = NULL; (t = next_task(m, t));)
		if (!t->exit_state)
			do_exit(m, t, 0);
	oom_reaper_release(m);
	while (!list_empty(&s->tasks)) {
		struct task_struct *t = list_first_entry(&s->tasks, struct task_struct, tasks);
		release_task(m, t);
	}
	/* The cached kernel stacks (x86_64) go back to vmalloc. */
	for (unsigned int i = 0; i < m->nr_cpus * 2; i++)
		if (s->cached_stacks[i]) {
			vfree(m, s->cached_stacks[i]);
			s->cached_stacks[i] = 0;
		}
}

void sched_release(struct machine *m)
{
	struct sched_state *s = m->sched;

	if (!s)
		return;
	free(s->cpustat);
	free(s->cpu_curr);
	free(s->cached_stacks);
	free(s);
	m->sched = NULL;
}

void account_system_tick(struct machine *m)
{
	struct kernel_cpustat *cs = &m->sched->cpustat[m->cur_cpu];

	m->clock_ns += TICK_NSEC;
	cs->system_ns += TICK_NSEC;
	cs->ticks++;
	get_current(m)->stime_ns += TICK_NSEC;
	/* The OOM reaper's timers (OOM_REAPER_DELAY after a kill). */
	if (m->oom.nr_reaper_work)
		oom_reaper_run(m);
}

void kthread_init_boot(struct machine *m, struct task_struct *t, const char *name)
{
	struct task_struct *init = &m->sched->init_task;

	task_init(t, 0, name, 0);
	t->tgid = 0;
	t->flags = PF_KTHREAD;
	t->signal = init->signal;
	t->sighand = init->sighand;
	t->cred = init->cred;
	t->umask = init->umask;
	t->state = TASK_INTERRUPTIBLE;
}

struct task_struct *kthread_create(struct machine *m, const char *name, void *owner_data)
{
	int err;
	/* kthreadd's clone: the kernel's address space (none) and files, its own stack. */
	struct task_struct *t = copy_process(m, CLONE_VM | CLONE_FS | CLONE_FILES, &err);

	if (!t)
		return NULL;
	snprintf(t->comm, sizeof(t->comm), "%s", name);
	t->flags = (t->flags | PF_KTHREAD) & ~PF_FORKNOEXEC;
	t->owner_data = owner_data;
	return t;
}

struct task_struct *find_task_by_pid(const struct machine *m, int pid)
{
	if (pid == 1)
		return &m->sched->init_task;
	if (pid <= 0)
		return NULL;
	for (struct task_struct *t = m->sched->pid_hash[pid % PID_HASH_BUCKETS]; t; t = t->pid_chain)
		if (t->pid == pid)
			return t;
	return NULL;
}

int attach_pid(struct machine *m, struct task_struct *t)
{
	struct sched_state *s = m->sched;
	int pid = s->last_pid;

	for (int tries = 0; tries < s->pid_max; tries++) {
		if (++pid >= s->pid_max)
			pid = RESERVED_PIDS;
		if (find_task_by_pid(m, pid))
			continue;
		s->last_pid = pid;
		t->pid = pid;
		t->pid_chain = s->pid_hash[pid % PID_HASH_BUCKETS];
		s->pid_hash[pid % PID_HASH_BUCKETS] = t;
		return pid;
	}
	return -MMSIM_EAGAIN;
}

void detach_pid(struct machine *m, struct task_struct *t)
{
	struct task_struct **p = &m->sched->pid_hash[t->pid % PID_HASH_BUCKETS];

	while (*p && *p != t)
		p = &(*p)->pid_chain;
	if (*p)
		*p = t->pid_chain;
	t->pid_chain = NULL;
}

void wake_up_new_task(struct machine *m, struct task_struct *t)
{
	(void)m;
	if (t->state == TASK_NEW)
		t->state = TASK_RUNNING;
}

struct task_struct *next_task(const struct machine *m, struct task_struct *prev)
{
	struct list_head *head = &m->sched->tasks;
	struct list_head *pos = prev ? prev->tasks.next : head->next;

	return pos == head ? NULL : list_entry(pos, struct task_struct, tasks);
}

void task_exit(struct machine *m, struct task_struct *t)
{
	/* A kernel thread's end: nobody waits for it (its parent reaps it at once). */
	do_exit(m, t, 0);
	release_task(m, t);
}

struct task_struct *task_find(struct machine *m, const char *name)
{
	struct list_head *pos;

	list_for_each(pos, &m->sched->tasks) {
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);
		if (!strcmp(t->comm, name))
			return t;
	}
	return NULL;
}

/*
 * switch_to(): @t runs on its CPU now. A process brings its address space
 * (switch_mm: CR3 loaded, which flushes that CPU's non-global TLB entries);
 * a kernel thread borrows whatever the CPU had (lazy TLB).
 */
void switch_to(struct machine *m, struct task_struct *t)
{
	struct sched_state *s = m->sched;

	if (s->current != t)
		s->switches++;
	s->current = t;
	s->cpu_curr[t->cpu] = t;
	m->cur_cpu = t->cpu;
	m->comm = t->comm;
	if (t->mm) {
		if (m->cpu_mmu && m->cpu_mmu[t->cpu].cr3 != t->mm->pgd)
			write_cr3(m, t->cpu, t->mm->pgd);
		t->active_mm = t->mm;
	}
}

static uint64_t next_random(struct sched_state *s)
{
	uint64_t x = s->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return s->rng = x;
}

struct task_struct *pick_next_task(struct machine *m)
{
	struct sched_state *s = m->sched;
	struct list_head *pos;
	unsigned int runnable = 0;

	if (s->current != &s->init_task && s->current->state == TASK_RUNNING &&
	    s->current->preempt_count > 0)
		return s->current;
	list_for_each(pos, &s->tasks) {
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);
		runnable += t->state == TASK_RUNNING && t->owner_data;
	}
	if (!runnable) {
		/* Idle: jump to the earliest timer and wake its sleeper. */
		struct task_struct *first = NULL;
		list_for_each(pos, &s->tasks) {
			struct task_struct *t = list_entry(pos, struct task_struct, tasks);
			if (t->state == TASK_UNINTERRUPTIBLE && t->wake_at_ns &&
			    (!first || t->wake_at_ns < first->wake_at_ns))
				first = t;
		}
		if (!first)
			return NULL;
		if (m->clock_ns < first->wake_at_ns)
			m->clock_ns = first->wake_at_ns;
		first->wake_at_ns = 0;
		first->state = TASK_RUNNING;
		first->waiting_on = NULL;
		first->wakeups++;
		return first;
	}
	unsigned int pick = (unsigned int)(next_random(s) % runnable);
	list_for_each(pos, &s->tasks) {
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);
		if (t->state == TASK_RUNNING && t->owner_data && pick-- == 0)
			return t;
	}
	return NULL;
}

void init_waitqueue_head(struct wait_queue_head *wq, const char *name)
{
	INIT_LIST_HEAD(&wq->head);
	wq->name = name;
}

void sleep_on(struct machine *m, struct wait_queue_head *wq)
{
	struct task_struct *t = get_current(m);

	t->state = TASK_UNINTERRUPTIBLE;
	t->sleep_start_ns = m->clock_ns;
	t->waiting_on = wq->name;
	if (list_empty(&t->wait_entry))	/* not already queued */
		list_add_tail(&t->wait_entry, &wq->head);
	t->sleeps++;
}

void finish_wait(struct machine *m)
{
	struct task_struct *t = get_current(m);

	if (!list_empty(&t->wait_entry)) {
		list_del(&t->wait_entry);
		INIT_LIST_HEAD(&t->wait_entry);
	}
	t->state = TASK_RUNNING;
	t->waiting_on = NULL;
}

int wake_up(struct machine *m, struct wait_queue_head *wq)
{
	int woken = 0;

	(void)m;
	while (!list_empty(&wq->head)) {
		struct task_struct *t = list_first_entry(&wq->head, struct task_struct, wait_entry);
		list_del(&t->wait_entry);
		INIT_LIST_HEAD(&t->wait_entry);
		t->state = TASK_RUNNING;
		t->waiting_on = NULL;
		t->wakeups++;
		woken++;
	}
	return woken;
}

void init_completion(struct completion *x, const char *name)
{
	x->done = 0;
	init_waitqueue_head(&x->wait, name);
}

void complete(struct machine *m, struct completion *x)
{
	x->done++;
	wake_up(m, &x->wait);
}

bool wait_for_completion_or_sleep(struct machine *m, struct completion *x)
{
	if (x->done) {
		x->done--;
		return true;
	}
	sleep_on(m, &x->wait);
	return false;
}

void msleep(struct machine *m, unsigned int ms)
{
	struct task_struct *t = get_current(m);

	t->state = TASK_UNINTERRUPTIBLE;
	t->sleep_start_ns = m->clock_ns;
	t->waiting_on = "msleep";
	t->wake_at_ns = m->clock_ns + (uint64_t)ms * 1000000ULL;
	t->sleeps++;
}

/*
 * check_hung_task(): what khungtaskd prints for a task that has not run
 * for hung_task_timeout_secs. The kernel goes on with its taint and
 * version line and the task's stack, which mmsim does not have.
 */
static void check_hung_task(struct machine *m, struct task_struct *t)
{
	/* kernel.hung_task_warnings: after 10 reports khungtaskd goes quiet. */
	if (!m->sched->hung_task_warnings)
		return;
	m->sched->hung_task_warnings--;
	printk(m, KERN_ERR "INFO: task %s:%d blocked for more than %lu seconds.\n", t->comm, t->pid,
	       (unsigned long)((m->clock_ns - t->sleep_start_ns) / 1000000000ULL));
	printk(m, KERN_ERR "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this "
	       "message.\n");
}

static bool hung(const struct task_struct *t)
{
	return t->state == TASK_UNINTERRUPTIBLE && !t->wake_at_ns;
}

unsigned int check_hung_uninterruptible_tasks(struct machine *m)
{
	struct sched_state *s = m->sched;
	struct task_struct *t;
	uint64_t last = 0;
	unsigned int n = 0;

	if (hung(s->current) && s->current == &s->init_task)
		last = s->init_task.sleep_start_ns;
	for (t = NULL; (t = next_task(m, t));)
		if (hung(t) && t->sleep_start_ns > last)
			last = t->sleep_start_ns;
	if (m->clock_ns < last + HUNG_TASK_TIMEOUT_NS)
		m->clock_ns = last + HUNG_TASK_TIMEOUT_NS;
	if (hung(&s->init_task)) {
		check_hung_task(m, &s->init_task);
		n++;
	}
	for (t = NULL; (t = next_task(m, t));)
		if (hung(t)) {
			check_hung_task(m, t);
			n++;
		}
	return n;
}
