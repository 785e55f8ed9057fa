/* sched.h (internal) — tasks and processes, "current", wait queues and a
 * deterministic scheduler (the kernel's linux/sched.h and sched/signal.h).
 *
 * A task is either a kernel thread whose program someone else owns (the
 * scenario engine's task bodies) or a user process: a task with an
 * mm_struct, created by fork and exec (kernel/fork.c, fs/exec.c), whose
 * system calls and memory accesses the scenario or the C API makes on its
 * behalf (current is switched to it for each). A kernel thread can block: a
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
#include "mm_types.h"

#define TASK_COMM_LEN	16
#define KM_MAX_IDX	16	/* kmap_local slots per task (6.1) */

enum task_state {
	TASK_NEW,		/* created, not yet woken (wake_up_new_task) */
	TASK_RUNNING,
	TASK_INTERRUPTIBLE,	/* "S": a process between the steps someone makes it take */
	TASK_UNINTERRUPTIBLE,	/* "D": asleep until woken */
	TASK_DEAD,
};

/* task->exit_state */
#define EXIT_ZOMBIE	0x10	/* "Z": exited, its parent has not waited yet */
#define EXIT_DEAD	0x20	/* reaped */

/* task->flags (PF_*) */
#define PF_EXITING	0x00000004
#define PF_MEMALLOC	0x00000800	/* reclaiming: may use the reserves, must not reclaim again */
#define PF_FORKNOEXEC	0x00000040	/* forked but has not exec'd */
#define PF_SIGNALED	0x00000400	/* killed by a signal */
#define PF_KSWAPD	0x00020000	/* kswapd */
#define PF_KTHREAD	0x00200000
#define PF_RANDOMIZE	0x00400000	/* exec randomises the layout (randomize_va_space) */

/* personality(2) bits that change the address space (include/uapi/linux/personality.h). */
#define READ_IMPLIES_EXEC	0x0400000
#define ADDR_NO_RANDOMIZE	0x0040000
#define ADDR_COMPAT_LAYOUT	0x0200000

/* Resource limits (include/uapi/asm-generic/resource.h). */
enum {
	RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS,
	RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS,
	RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME,
	RLIM_NLIMITS
};
#define RLIM_INFINITY	(~0ULL)

struct rlimit64 {
	uint64_t rlim_cur, rlim_max;
};

#define NR_SIGNALS	64	/* _NSIG */

/* What a process does with a signal (sighand->action[sig - 1]). */
enum sig_disposition {
	SIG_DISP_DEFAULT,	/* SIG_DFL: the default action (SIGSEGV, SIGBUS: terminate) */
	SIG_DISP_IGNORE,	/* SIG_IGN */
	SIG_DISP_HANDLER,	/* a handler: the signal is delivered and the process goes on */
};

/* The signal a fault raised, as the process's handler would see it (siginfo_t). */
struct kernel_siginfo {
	int signo;
	int code;		/* SEGV_MAPERR, SEGV_ACCERR, BUS_ADRERR ... (kernel/signal.h) */
	uint64_t addr;
	int pid;		/* kill(): the sender (SI_USER), SIGCHLD: the child */
	unsigned int uid;
	int status;		/* SIGCHLD: the exit code or signal */
};

/* A handler as rt_sigaction() sets it (struct k_sigaction). */
struct k_sigaction {
	uint64_t handler;	/* SIG_DFL 0, SIG_IGN 1, or the function */
	uint64_t flags;		/* SA_* */
	uint64_t restorer;	/* SA_RESTORER: where the handler returns (rt_sigreturn) */
	uint64_t mask;		/* blocked while it runs */
};

/*
 * What the threads of a process share (struct signal_struct): the limits,
 * the counters of reaped children, and the exit status.
 */
struct signal_struct {
	struct rlimit64 rlim[RLIM_NLIMITS];
	unsigned long cmin_flt, cmaj_flt;	/* of waited-for children */
	unsigned long maxrss, cmaxrss;		/* peak RSS (pages) of dead threads / children */
	uint64_t cstime_ns;			/* system time of waited-for children */
	int group_exit_code;
	short oom_score_adj;			/* -1000 (never kill) .. 1000: the OOM killer's bias */
	short oom_score_adj_min;		/* what an unprivileged write may not go below */
	/*
	 * The address space of the OOM victim this process became
	 * (mark_oom_victim: tsk_is_oom_victim() is oom_mm != NULL); held
	 * with mmgrab until the signal_struct goes, so the OOM killer can
	 * still see MMF_OOM_SKIP on it after the process has let it go.
	 */
	struct mm_struct *oom_mm;
	bool oom_flag_origin;			/* set_current_oom_origin(): swapoff, kill it first */
	kaddr_t kobj;				/* the object in signal_cache */
};

struct sighand_struct {
	enum sig_disposition action[NR_SIGNALS];
	struct k_sigaction ka[NR_SIGNALS];	/* a running program's handlers */
	kaddr_t kobj;				/* the object in sighand_cache */
};

/*
 * SPLIT_RSS_COUNTING (6.1 with split page-table locks): a task counts its
 * own faults' RSS changes here and folds them into its mm every
 * TASK_RSS_EVENTS_THRESH faults and when it exits, so the mm's counters
 * (what /proc/PID/status shows) may lag behind by that many events.
 */
#define TASK_RSS_EVENTS_THRESH	64
struct task_rss_stat {
	int events;
	int count[NR_MM_COUNTERS];
};

struct files_struct;

/* Capabilities the memory code asks about (include/uapi/linux/capability.h). */
#define CAP_IPC_LOCK	14	/* mlock beyond RLIMIT_MEMLOCK */
#define CAP_SYS_RAWIO	17	/* map below mmap_min_addr */
#define CAP_KILL	5	/* signal any process */
#define CAP_SETUID	7	/* any uid for setresuid() */
#define CAP_SYS_ADMIN	21	/* the admin reserve of overcommit mode 2 */
#define CAP_SYS_RESOURCE 24	/* raise hard limits */
#define CAP_FULL_SET	((1ULL << 41) - 1)

/* Who a task is (struct cred): root has every capability, others none. */
struct cred {
	unsigned int uid, gid, euid, egid;
	uint64_t cap_effective;
	int usage;			/* tasks sharing it */
	kaddr_t kobj;			/* the object in cred_jar */
};

/* khungtaskd reports a task asleep in D state for this long (hung_task_timeout_secs). */
#define HUNG_TASK_TIMEOUT_NS	(120ULL * 1000000000ULL)

struct user_context;

struct task_struct {
	int pid;
	struct task_struct *pid_chain;	/* the next task in its pid hash bucket */
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
	void *owner_data;		/* the program's owner's: what the task runs (NULL: a process) */

	/* A process: its address space, family, limits and exit. */
	int tgid;
	unsigned int flags;		/* PF_* */
	unsigned int personality;
	struct mm_struct *mm;		/* NULL for a kernel thread */
	struct mm_struct *active_mm;	/* the address space the CPU has loaded (lazy TLB) */
	struct task_struct *real_parent;
	struct list_head children;	/* its children's sibling entries */
	struct list_head sibling;	/* on real_parent->children */
	int exit_state;			/* 0, EXIT_ZOMBIE or EXIT_DEAD */
	int exit_code;			/* the wait status: code << 8, or the killing signal */
	struct signal_struct *signal;
	struct sighand_struct *sighand;
	struct files_struct *files;
	struct cred *cred;
	struct task_rss_stat rss_stat;
	unsigned long min_flt, maj_flt;	/* page faults: no I/O / with I/O */
	unsigned long nvcsw, nivcsw;
	uint64_t stime_ns;		/* time spent in the kernel: the ticks of its commands */
	uint64_t start_time_ns;
	struct kernel_siginfo last_siginfo;	/* the last signal a fault raised */
	/*
	 * The user registers the program would fault with (pt_regs ip and
	 * sp): where exec left it, until a CPU backend runs it.
	 */
	uint64_t user_ip, user_sp;
	uint64_t pending_signals;	/* delivered to a handler, bit sig - 1 */
	uint64_t blocked;		/* the signal mask, bit sig - 1 */
	struct kernel_siginfo pending_info[NR_SIGNALS];
	uint64_t sas_ss_sp, sas_ss_size;	/* sigaltstack() */
	unsigned int sas_ss_flags;
	/*
	 * The program's whole register state when a CPU backend runs its
	 * code (arch/x86/cpu_backend.h); NULL for a process whose steps are
	 * a scenario's commands.
	 */
	struct user_context *uctx;
	uint64_t clear_child_tid;	/* set_tid_address(), CLONE_CHILD_CLEARTID */
	uint64_t set_child_tid;		/* CLONE_CHILD_SETTID: written when the child first runs */
	int exit_signal;		/* what the parent is sent at exit (SIGCHLD), 0: none */
	struct task_struct *vfork_child;	/* vfork(): waiting until it execs or exits */
	bool vfork_done;		/* it exec'd: a vfork parent goes on */
	bool need_resched;		/* sched_yield(): let the others run first */
	unsigned int umask;		/* fs_struct's: 0022 from init */
	bool in_wait;			/* in a system call that waits (wait4): retried when woken */
	bool blocked_wakeup;		/* something it may wait for happened (a signal, a child's exit) */
	bool memdie;			/* TIF_MEMDIE: an OOM victim, which may dig into the reserves */

	/*
	 * The simulated objects behind the task: its task_struct, the kernel
	 * stack it runs on in the kernel (THREAD_SIZE: order-1 pages on
	 * i386; a vmalloc'd area with guard pages on x86_64, VMAP_STACK),
	 * its struct pid and its cred. 0 where none (the boot task).
	 */
	kaddr_t kobj;
	kaddr_t stack;			/* the stack's lowest address */
	struct page *stack_page;	/* i386: its first frame */
	kaddr_t pid_kobj;
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

/* clone(2) flags that copy_process() looks at. */
#define CLONE_VM	0x00000100
#define CLONE_FS	0x00000200
#define CLONE_FILES	0x00000400
#define CLONE_SIGHAND	0x00000800

/* The memory fields of struct rusage (getrusage, wait4). */
#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
struct rusage_mm {
	unsigned long minflt, majflt;
	unsigned long maxrss_kb;
};

#define PID_HASH_BUCKETS	4096
#define RESERVED_PIDS		300	/* what a wrapped pid allocation starts again from */

struct sched_state {
	struct task_struct init_task;	/* pid 1: runs the top-level scenario */
	struct task_struct *current;	/* the task on the CPU now executing (cpu_curr(m->cur_cpu)) */
	struct task_struct **cpu_curr;	/* [nr_cpus]: the task each CPU last switched to */
	struct list_head tasks;
	/*
	 * alloc_pid(): pids are handed out cyclically after the last one,
	 * below pid_max, wrapping to RESERVED_PIDS; a pid stays taken until
	 * its task is reaped. The hash finds a task by pid.
	 */
	int last_pid;
	int pid_max;
	int nr_threads;			/* tasks not yet reaped, init aside */
	struct task_struct *pid_hash[PID_HASH_BUCKETS];
	uint64_t rng;
	unsigned long switches;
	struct kernel_cpustat *cpustat;	/* [nr_cpus] */
	unsigned int hung_task_warnings;	/* reports khungtaskd may still make (10) */
	kaddr_t *cached_stacks;		/* x86_64: [nr_cpus][2] freed kernel stacks for reuse */
	struct signal_struct init_signal;	/* init_task's (static in the kernel: no objects) */
	struct sighand_struct init_sighand;
	struct cred init_cred;
};

int sched_init(struct machine *m);
/*
 * run_init_process(): the end of boot. Until here pid 1 runs the initcalls
 * under the name it inherited from swapper/0 (what boot-time warnings show);
 * now it becomes init, which in mmsim is the scenario interpreter, "mmsim".
 */
void run_init_process(struct machine *m);
/* The machine goes: every task exits and is reaped. */
void exit_all_tasks(struct machine *m);

/* ---- kernel/fork.c, exit.c ------------------------------------------------------ */

/* The caches, created where start_kernel creates them. */
int mm_cache_init(struct machine *m);
int pid_idr_init(struct machine *m);
int anon_vma_init(struct machine *m);
int cred_init(struct machine *m);
int fork_init(struct machine *m);
int proc_caches_init(struct machine *m);
int vfs_caches_init(struct machine *m);
/* A new child of current (TASK_NEW), sharing what @clone_flags says. NULL and *err on failure. */
struct task_struct *copy_process(struct machine *m, unsigned long clone_flags, int *err);
/* fork(2) by current: the child's pid, or -errno. */
int do_fork(struct machine *m);
/* An empty address space with its page directory (exec's new mm). */
struct mm_struct *mm_alloc(struct machine *m);
void mmput(struct machine *m, struct mm_struct *mm);
void mmdrop(struct machine *m, struct mm_struct *mm);
void release_task_stack(struct machine *m, struct task_struct *t);
void free_task(struct machine *m, struct task_struct *t);
void put_cred(struct machine *m, struct cred *c);
/* do_exit(): @t (current or not) ends with wait status @exit_code; it stays a zombie. */
void do_exit(struct machine *m, struct task_struct *t, int exit_code);
void release_task(struct machine *m, struct task_struct *t);
/* exit_notify(): wake the parent of exited @t (a program's wait4) and send it the exit signal. */
void exit_notify(struct machine *m, struct task_struct *t);
/* wait4() by current: the reaped child's pid, 0 if none has exited yet, -ECHILD. */
int do_wait(struct machine *m, int pid, int *status, struct rusage_mm *ru);
int getrusage_mm(struct machine *m, int who, struct rusage_mm *ru);
/* kernel/signal.c, for anyone: names of signals and si_codes ("SIGSEGV", "SEGV_MAPERR"). */
const char *signal_name(int sig);
const char *si_code_name(int sig, int code);
/* rt_sigaction() as far as faults care: 0 or -EINVAL. */
int do_sigaction(struct task_struct *t, int sig, enum sig_disposition action);

/* The task with this pid, or NULL (reaped tasks are gone). */
struct task_struct *find_task_by_pid(const struct machine *m, int pid);
/* alloc_pid(): the next free pid for @t, entered in the hash; -EAGAIN when none is free. */
int attach_pid(struct machine *m, struct task_struct *t);
void detach_pid(struct machine *m, struct task_struct *t);
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

/* fatal_signal_pending(): a SIGKILL waits; the task dies on its way back to user mode. */
static inline bool fatal_signal_pending(const struct task_struct *t)
{
	return t->pending_signals & (1ULL << (9 /* SIGKILL */ - 1));
}

/* rlimit(): the soft limit of current's process (or of @t). */
static inline uint64_t rlimit(const struct task_struct *t, int which)
{
	return t->signal ? t->signal->rlim[which].rlim_cur : RLIM_INFINITY;
}

static inline uint64_t rlimit_max(const struct task_struct *t, int which)
{
	return t->signal ? t->signal->rlim[which].rlim_max : RLIM_INFINITY;
}

/* capable(): does @t have capability @cap? The boot task (no cred) has all. */
static inline bool capable(const struct task_struct *t, int cap)
{
	return !t->cred || (t->cred->cap_effective & (1ULL << cap));
}

/* can_do_mlock(): a nonzero RLIMIT_MEMLOCK, or CAP_IPC_LOCK. */
static inline bool can_do_mlock(const struct task_struct *t)
{
	return rlimit(t, RLIMIT_MEMLOCK) != 0 || capable(t, CAP_IPC_LOCK);
}

/*
 * kthread_create(): a new task named @name that will run @owner_data's
 * program, in TASK_NEW until wake_up_new_task(). NULL without memory.
 */
struct task_struct *kthread_create(struct machine *m, const char *name, void *owner_data);
/*
 * kthread_init_boot(): a kernel thread the boot made (kswapd0), whose task
 * and stack the boot's memory already counts: it sleeps until woken, runs
 * kernel code as current, and is not on the task list processes walk.
 */
void kthread_init_boot(struct machine *m, struct task_struct *t, const char *name);
void wake_up_new_task(struct machine *m, struct task_struct *t);
/* do_exit(): the task is dead; it stays listed (its pid is not reused). */
void task_exit(struct machine *m, struct task_struct *t);
struct task_struct *task_find(struct machine *m, const char *name);
/* Every task but init, in creation order: for (t = NULL; (t = next_task(m, t));). */
struct task_struct *next_task(const struct machine *m, struct task_struct *prev);
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
