/* cpu_run.c — processes running their own code on a CPU backend.
 *
 * The loop the kernel's scheduler and entry code make together: pick a
 * process that can run, deliver its pending signals (a handler's frame,
 * or the default action), let the CPU run it until it leaves user mode,
 * and serve why it left — a system call (do_syscall_64), a page fault
 * (do_user_addr_fault, mmsim's own), another trap (its signal). The choice
 * is deterministic: a process runs until it waits, yields or exits, then
 * the next runnable one after it in creation order; a parent goes on after
 * fork and its child runs when it waits (sched_child_runs_first is 0).
 * Nothing preempts a process in user mode but the host's timeout, so a
 * run is the same run every time.
 *
 * start_thread() and exit_thread() are the register state's birth and
 * death (arch/x86/kernel/process_64.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/process.h>

#include "arch/x86/cpu_backend.h"
#include "arch/x86/fault.h"
#include "drivers/drivers.h"
#include "fs/fs.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "mm.h"

#define SIGCHLD		17
#define SIGSTOP_	19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22

/* The x87 and SSE state a new program starts with: fcw 0x37f, mxcsr 0x1f80. */
static void fpu_init_state(uint8_t *fx)
{
	uint32_t mxcsr = 0x1f80, mask = 0xffff;

	memset(fx, 0, 512);
	fx[0] = 0x7f;
	fx[1] = 0x03;
	memcpy(fx + 24, &mxcsr, 4);
	memcpy(fx + 28, &mask, 4);
}

int start_thread(struct machine *m, struct task_struct *t, uint64_t ip, uint64_t sp)
{
	if (!t->uctx) {
		t->uctx = malloc(sizeof(*t->uctx));
		if (!t->uctx)
			return -MMSIM_ENOMEM;
	} else if (m->cpu_backend && m->cpu_backend->load_fpu) {
		m->cpu_backend->load_fpu(m, t);
	}
	/* ELF_PLAT_INIT: every register 0; the entry point, the stack; IF set. */
	memset(t->uctx, 0, sizeof(*t->uctx));
	t->uctx->rip = ip;
	t->uctx->rsp = sp;
	t->uctx->cs = m->is_32bit ? __USER32_CS_I386 : __USER_CS;
	t->uctx->ss = m->is_32bit ? __USER32_DS_I386 : __USER_DS;
	t->uctx->rflags = X86_EFLAGS_IF | X86_EFLAGS_FIXED;
	fpu_init_state(t->uctx->fxsave);
	return 0;
}

void exit_thread(struct machine *m, struct task_struct *t)
{
	if (!t->uctx)
		return;
	if (m->cpu_backend && m->cpu_backend->forget)
		m->cpu_backend->forget(m, t);
	free(t->uctx);
	t->uctx = NULL;
}

/* ---- around each system call ------------------------------------------------------------ */

static void syscall_missing(struct machine *m, struct task_struct *t, const char *name, uint64_t nr)
{
	/* Named once per call, so that a user sees what the program missed. */
	if (nr >= 512 || (m->enosys_told[nr / 64] & (1ULL << (nr % 64))))
		return;
	m->enosys_told[nr / 64] |= 1ULL << (nr % 64);
	printk(m, KERN_INFO "mmsim: %s[%d]: system call %s (%lu) is not implemented: -ENOSYS\n", t->comm,
	       t->pid, name ? name : "?", (unsigned long)nr);
}

static void syscall_traced(struct machine *m, struct task_struct *t, const char *name,
			   const uint64_t *args, int64_t ret)
{
	FILE *out = m->syscall_trace;

	if (!out)
		return;
	fprintf(out, "[pid %5d] %s(%#" PRIx64 ", %#" PRIx64 ", %#" PRIx64 ", %#" PRIx64 ") = ", t->pid,
		name ? name : "?", args[0], args[1], args[2], args[3]);
	const char *e = ret < 0 && ret > -4096 ? mmsim_errno_name((int)-ret) : NULL;
	if (t->exit_state)
		fprintf(out, "?\n");
	else if (ret < 0 && ret > -4096)
		fprintf(out, "-1 %s\n", e ? e : "E?");
	else
		fprintf(out, "%#" PRIx64 "\n", (uint64_t)ret);
}

int64_t syscall_invoke(struct machine *m, struct task_struct *t, const struct syscall_entry *table,
		       size_t n, uint64_t nr, const uint64_t *args)
{
	const char *name = nr < n ? table[nr].name : NULL;
	int64_t ret = -MMSIM_ENOSYS;

	if (nr < n && table[nr].fn)
		ret = table[nr].fn(m, args);
	else
		syscall_missing(m, t, name, nr);
	syscall_traced(m, t, name, args, ret);
	return ret;
}

void syscall_return(struct machine *m, struct task_struct *t, int64_t ret)
{
	struct user_context *u = t->uctx;

	if (t->exit_state)
		return;
	if (ret == -ERESTARTSYS) {
		/* Sleep, and make the call again when woken: back to the syscall or int $0x80 (2 bytes). */
		t->in_wait = true;
		u->rax = u->orig_rax;
		u->rip -= 2;
		if (!m->is_32bit)
			u->rcx = u->rip;	/* as the syscall instruction leaves it, for SYSRET */
		return;
	}
	/* i386: eax is 32 bits wide. */
	u->rax = m->is_32bit ? (uint64_t)(uint32_t)ret : (uint64_t)ret;
}

/* ---- signals on the way back to user mode (arch_do_signal_or_restart) ---------------------- */

/* The default action of @sig: terminate (no core files: RLIMIT_CORE is 0), or nothing. */
static bool default_ignores(int sig)
{
	/* Stopping is not modelled: SIGSTOP and the tty stops are let go, as if SIGCONT followed. */
	return sig_default_ignored(sig) || sig == SIGSTOP_ || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

/* Deliver what is pending and not blocked, lowest number first. */
static void do_signal(struct machine *m, struct task_struct *t)
{
	/* A fatal signal (the OOM killer's SIGKILL) goes before any handler runs. */
	if (!t->exit_state && fatal_signal_pending(t)) {
		t->pending_signals &= ~(1ULL << (SIGKILL - 1));
		do_exit(m, t, SIGKILL);
		return;
	}
	while (!t->exit_state && (t->pending_signals & ~t->blocked)) {
		uint64_t ready = t->pending_signals & ~t->blocked;
		int sig = __builtin_ctzll(ready) + 1;
		struct kernel_siginfo info = t->pending_info[sig - 1];
		t->pending_signals &= ~(1ULL << (sig - 1));
		if (!info.signo)
			info.signo = sig;
		uint64_t handler = t->sighand->ka[sig - 1].handler;
		if (handler == 1)
			continue;			/* SIG_IGN */
		if (handler == 0) {
			if (default_ignores(sig))
				continue;
			do_exit(m, t, sig);
			return;
		}
		if (setup_rt_frame(m, t, sig, &info)) {
			/* force_sigsegv(): a frame that cannot be written kills it. */
			do_exit(m, t, SIGSEGV);
			return;
		}
		return;		/* one handler at a time: the next is delivered when it returns */
	}
}

/* ---- who runs ------------------------------------------------------------------------- */

static bool runnable(struct machine *m, struct task_struct *t)
{
	if (!t->uctx || !t->mm || t->exit_state || (t->flags & PF_KTHREAD))
		return false;
	if (t->vfork_child) {
		struct task_struct *c = t->vfork_child;
		bool alive = false;
		struct list_head *pos;
		list_for_each(pos, &t->children)
			if (list_entry(pos, struct task_struct, sibling) == c)
				alive = true;
		if (alive && !c->exit_state && !c->vfork_done)
			return false;
		t->vfork_child = NULL;
	}
	if (t->in_wait) {
		if (!t->blocked_wakeup && !(t->pending_signals & ~t->blocked))
			return false;
		t->in_wait = false;
	}
	t->blocked_wakeup = false;
	(void)m;
	return true;
}

/* The next runnable process after @after in creation order (wrapping), or NULL. */
static struct task_struct *pick_next(struct machine *m, struct task_struct *after)
{
	struct list_head *head = &m->sched->tasks;
	struct list_head *start = after && !after->exit_state ? &after->tasks : head;

	for (struct list_head *pos = start->next;; pos = pos->next) {
		if (pos == head) {
			if (start == head)
				break;
			continue;
		}
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);
		if (runnable(m, t))
			return t;
		if (pos == start)
			break;
	}
	return NULL;
}

/* ---- serving an exit from user mode ---------------------------------------------------- */

static void serve_exit(struct machine *m, struct task_struct *t, const struct cpu_exit *ex)
{
	struct user_context *u = t->uctx;

	t->user_ip = u->rip;
	t->user_sp = u->rsp;
	switch (ex->reason) {
	case CPU_EXIT_SYSCALL:
		if (m->is_32bit)
			do_syscall_32(m, t);
		else
			do_syscall_64(m, t);
		break;
	case CPU_EXIT_RETRY:
		break;
	case CPU_EXIT_EXCEPTION:
		if (ex->vector == 14) {
			int r = do_user_addr_fault(m, (unsigned int)ex->error_code, ex->cr2, true);
			/*
			 * An OOM victim dies in do_signal() on its way back. The
			 * kernel retries the fault of anyone else for ever; with
			 * nothing else running that would never end, so mmsim ends
			 * the process instead (docs/fidelity.md).
			 */
			if (r == -MMSIM_ENOMEM && !t->exit_state && !fatal_signal_pending(t))
				do_exit(m, t, SIGKILL);
		} else {
			do_user_trap(m, ex->vector, ex->error_code);
		}
		break;
	case CPU_EXIT_BUS_ERROR:
		force_sig_fault(m, t, SIGBUS, BUS_ADRERR, ex->cr2);
		break;
	case CPU_EXIT_SHUTDOWN:
	case CPU_EXIT_ERROR:
		printk(m, KERN_ERR "mmsim: %s[%d]: the CPU backend stopped it: %s\n", t->comm, t->pid,
		       ex->why ? ex->why : "?");
		do_exit(m, t, SIGKILL);
		break;
	case CPU_EXIT_INTERRUPTED:
		break;
	}
}

/* CLONE_CHILD_SETTID: the child's first act, in its own memory (schedule_tail()). */
static void schedule_tail(struct machine *m, struct task_struct *t)
{
	if (t->set_child_tid) {
		int pid = t->pid;
		put_user(m, &pid, t->set_child_tid, 4);
		t->set_child_tid = 0;
	}
}

int run_processes(struct machine *m, int pid, volatile int *stop, int *status, const char **why)
{
	struct task_struct *target = find_task_by_pid(m, pid);
	struct task_struct *t = NULL;

	*why = NULL;
	if (!target || !target->mm)
		return -MMSIM_ESRCH;
	if (!m->cpu_backend) {
		int err = cpu_backend_start(m, why);
		if (err)
			return err;
	}
	if (!target->uctx && !target->exit_state) {
		int err = start_thread(m, target, target->user_ip, target->user_sp);
		if (err)
			return err;
	}
	struct task_struct *prev = get_current(m);
	int ret = 0;
	t = target;
	while (target->exit_state == 0) {
		if (!t || !runnable(m, t) || t->need_resched) {
			if (t)
				t->need_resched = false;
			t = pick_next(m, t);
			if (!t) {
				*why = "every process is waiting for another";
				ret = -MMSIM_EAGAIN;
				break;
			}
		}
		if (stop && *stop) {
			*why = "stopped";
			ret = -MMSIM_EINTR;
			break;
		}
		if (m->panicked) {
			*why = "the kernel panicked";
			ret = -MMSIM_EINTR;
			break;
		}
		switch_to(m, t);
		t->state = TASK_RUNNING;
		schedule_tail(m, t);
		do_signal(m, t);
		if (t->exit_state)
			continue;
		struct cpu_exit ex;
		m->cpu_backend->run(m, t->cpu, t, &ex);
		serve_exit(m, t, &ex);
		/* Back to user mode: a kernel thread woken meanwhile (kswapd) runs first. */
		kswapd_run_pending(m);
		if (ex.reason == CPU_EXIT_INTERRUPTED && stop && *stop) {
			*why = "stopped";
			ret = -MMSIM_EINTR;
			break;
		}
		if (t->exit_state) {
			exit_notify(m, t);
			t = NULL;
		}
	}
	switch_to(m, prev->exit_state ? &m->sched->init_task : prev);
	if (target->exit_state && status)
		*status = target->exit_code;
	return ret;
}

int cpu_backend_start(struct machine *m, const char **why)
{
	static char reason[160];
	const char *kvm_why = NULL;

	if (m->cpu_backend)
		return 0;
	if (m->cpu_backend_kind == CPU_BACKEND_UNICORN)
		return unicorn_backend_init(m, why);
	int err = kvm_backend_init(m, &kvm_why);
	if (!err || m->cpu_backend_kind == CPU_BACKEND_KVM) {
		*why = kvm_why;
		return err;
	}
	/* auto: the emulator where the host has no usable KVM, and the log says why. */
	printk(m, KERN_INFO "mmsim: KVM: %s (%s): the CPU is emulated (unicorn)\n", kvm_why ? kvm_why : "?",
	       strerror(-err));
	err = unicorn_backend_init(m, why);
	if (err) {
		snprintf(reason, sizeof(reason), "KVM: %s; %s", kvm_why ? kvm_why : "?", *why ? *why : "?");
		*why = reason;
	}
	return err;
}

void cpu_tls_changed(struct machine *m, struct task_struct *t)
{
	if (m->cpu_backend && m->cpu_backend->tls_changed)
		m->cpu_backend->tls_changed(m, t);
}

int open_console(struct machine *m, struct task_struct *t)
{
	static const unsigned int modes[3] = { FMODE_READ, FMODE_WRITE, FMODE_WRITE };
	int err = 0;

	for (int fd = 0; fd < 3; fd++) {
		if (fget(t->files, fd))
			continue;
		struct file *f = console_open(m, fd, modes[fd], &err);
		if (!f)
			return err;
		if (fd_alloc_from(m, t->files, (unsigned int)fd) != fd) {
			fput(m, f);
			return -MMSIM_EBADF;
		}
		fd_install_at(m, t->files, fd, f);
	}
	return 0;
}
