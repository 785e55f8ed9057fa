/* signal.c — the signals a fault raises (kernel/signal.c: force_sig_fault).
 *
 * A fault the kernel cannot resolve for a user access becomes a signal to
 * the task: SIGSEGV (SEGV_MAPERR: nothing mapped; SEGV_ACCERR: mapped, but
 * not for this access) or SIGBUS (BUS_ADRERR: beyond the end of a file).
 * A forced signal cannot be ignored: if the process has a handler, the
 * handler runs (mmsim records the signal and the access is abandoned);
 * otherwise the default action ends the process — with the signal as its
 * wait status, and no core file (RLIMIT_CORE is 0). */
#include <mmsim/process.h>

#include "arch/x86/fault.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"

const char *signal_name(int sig)
{
	static const char *const names[] = {
		[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP",
		[6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1",
		[11] = "SIGSEGV", [12] = "SIGUSR2", [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
		[16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP",
		[21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG", [24] = "SIGXCPU", [25] = "SIGXFSZ",
		[26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO", [30] = "SIGPWR",
		[31] = "SIGSYS",
	};

	return sig > 0 && sig < (int)ARRAY_SIZE(names) && names[sig] ? names[sig] : "SIG?";
}

const char *si_code_name(int sig, int code)
{
	if (sig == SIGSEGV) {
		switch (code) {
		case SEGV_MAPERR: return "SEGV_MAPERR";
		case SEGV_ACCERR: return "SEGV_ACCERR";
		case SEGV_PKUERR: return "SEGV_PKUERR";
		}
	} else if (sig == SIGBUS) {
		switch (code) {
		case BUS_ADRALN: return "BUS_ADRALN";
		case BUS_ADRERR: return "BUS_ADRERR";
		case BUS_OBJERR: return "BUS_OBJERR";
		}
	}
	return code == SI_KERNEL ? "SI_KERNEL" : "?";
}

const char *mmsim_signal_name(int sig)
{
	return signal_name(sig);
}

const char *mmsim_si_code_name(int sig, int code)
{
	return si_code_name(sig, code);
}

int force_sig_fault(struct machine *m, struct task_struct *t, int sig, int code, uint64_t addr)
{
	t->last_siginfo = (struct kernel_siginfo){ .signo = sig, .code = code, .addr = addr };
	/* force_sig_info(): a blocked handler cannot run, so the default action does. */
	if (t->sighand && t->sighand->action[sig - 1] == SIG_DISP_HANDLER &&
	    !(t->blocked & (1ULL << (sig - 1)))) {
		t->pending_signals |= 1ULL << (sig - 1);
		t->pending_info[sig - 1] = t->last_siginfo;
		return 0;
	}
	/* The default action of SIGSEGV and SIGBUS: terminate (a core dump, not made). */
	do_exit(m, t, sig);
	return 1;
}

/* The handler's action for @sig (rt_sigaction, as far as faults care). 0 or -EINVAL. */
int do_sigaction(struct task_struct *t, int sig, enum sig_disposition action)
{
	if (sig < 1 || sig > NR_SIGNALS || sig == SIGKILL || sig == SIGSTOP)
		return -MMSIM_EINVAL;
	t->sighand->action[sig - 1] = action;
	return 0;
}

/* ---- the system calls of a running program ------------------------------------------- */

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2
#define SS_ONSTACK	1
#define SS_DISABLE	2
#define MINSIGSTKSZ	2048
#define SIGCHLD		17
#define SIGCONT		18
#define SIGURG		23
#define SIGWINCH	28
#define UNBLOCKABLE	((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)))

static enum sig_disposition disposition_of(uint64_t handler)
{
	return handler == 0 ? SIG_DISP_DEFAULT : handler == 1 ? SIG_DISP_IGNORE : SIG_DISP_HANDLER;
}

/* The signals whose default action is to do nothing (sig_kernel_ignore()). */
bool sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

/* struct sigaction for rt_sigaction on x86_64: handler, flags, restorer, mask. */
int64_t sys_rt_sigaction(struct machine *m, int sig, uint64_t act, uint64_t oact, uint64_t sigsetsize)
{
	struct task_struct *t = get_current(m);
	struct k_sigaction nk, *k;

	if (sigsetsize != 8)
		return -MMSIM_EINVAL;
	if (sig < 1 || sig > NR_SIGNALS || (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -MMSIM_EINVAL;
	if (act && copy_from_user(m, &nk, act, sizeof(nk)))
		return -MMSIM_EFAULT;
	k = &t->sighand->ka[sig - 1];
	if (oact && copy_to_user(m, oact, k, sizeof(*k)))
		return -MMSIM_EFAULT;
	if (act) {
		nk.mask &= ~UNBLOCKABLE;
		*k = nk;
		t->sighand->action[sig - 1] = disposition_of(nk.handler);
		/* Ignoring a signal discards it if pending (POSIX). */
		if (nk.handler == 1 || (nk.handler == 0 && sig_default_ignored(sig)))
			t->pending_signals &= ~(1ULL << (sig - 1));
	}
	return 0;
}

int64_t sys_rt_sigprocmask(struct machine *m, int how, uint64_t set, uint64_t oset, uint64_t sigsetsize)
{
	struct task_struct *t = get_current(m);
	uint64_t nset;

	if (sigsetsize != 8)
		return -MMSIM_EINVAL;
	if (oset && copy_to_user(m, oset, &t->blocked, 8))
		return -MMSIM_EFAULT;
	if (!set)
		return 0;
	if (copy_from_user(m, &nset, set, 8))
		return -MMSIM_EFAULT;
	switch (how) {
	case SIG_BLOCK: t->blocked |= nset; break;
	case SIG_UNBLOCK: t->blocked &= ~nset; break;
	case SIG_SETMASK: t->blocked = nset; break;
	default: return -MMSIM_EINVAL;
	}
	t->blocked &= ~UNBLOCKABLE;
	return 0;
}

/*
 * send_signal(): @sig becomes pending for @t with @info, unless @t ignores
 * it; SIGKILL ends the process at once. A task sleeping in a call that
 * waits (wait4) is woken to notice it.
 */
void send_signal(struct machine *m, struct task_struct *t, int sig, const struct kernel_siginfo *info)
{
	if (t->exit_state || !t->sighand)
		return;
	if (sig == SIGKILL) {
		do_exit(m, t, SIGKILL);
		return;
	}
	uint64_t handler = t->sighand->ka[sig - 1].handler;
	enum sig_disposition d = t->sighand->action[sig - 1];
	if (d == SIG_DISP_IGNORE || (d == SIG_DISP_DEFAULT && handler == 0 && sig_default_ignored(sig)))
		return;
	t->pending_signals |= 1ULL << (sig - 1);
	t->pending_info[sig - 1] = *info;
	t->blocked_wakeup = true;
}

/* kill_ok_by_cred(): the sender's uid or euid is the target's uid, or it has CAP_KILL. */
static bool kill_ok(const struct task_struct *cur, const struct task_struct *t)
{
	if (!cur->cred || !t->cred || capable(cur, CAP_KILL))
		return true;
	return cur->cred->euid == t->cred->uid || cur->cred->uid == t->cred->uid;
}

int64_t sys_kill(struct machine *m, int pid, int sig)
{
	struct task_struct *cur = get_current(m);
	struct kernel_siginfo info = { .signo = sig, .code = 0 /* SI_USER */, .pid = cur->tgid,
				       .uid = cur->cred->uid };

	if (sig < 0 || sig > NR_SIGNALS)
		return -MMSIM_EINVAL;
	if (pid == 0 || pid < -1)
		pid = pid == 0 ? cur->tgid : -pid;	/* a process group is its leader alone */
	if (pid == -1) {
		/* Every process but init and the caller. */
		struct list_head *pos;
		int found = 0, permitted = 0;
		list_for_each(pos, &m->sched->tasks) {
			struct task_struct *t = list_entry(pos, struct task_struct, tasks);
			if (t == cur || t->pid <= 1 || !t->mm || t->exit_state)
				continue;
			found++;
			if (!kill_ok(cur, t))
				continue;
			permitted++;
			if (sig)
				send_signal(m, t, sig, &info);
		}
		return !found ? -MMSIM_ESRCH : permitted ? 0 : -MMSIM_EPERM;
	}
	struct task_struct *t = find_task_by_pid(m, pid);
	if (!t || t->exit_state || !t->mm)
		return -MMSIM_ESRCH;
	if (!kill_ok(cur, t))
		return -MMSIM_EPERM;
	if (sig)
		send_signal(m, t, sig, &info);
	return 0;
}

int64_t sys_tgkill(struct machine *m, int tgid, int pid, int sig)
{
	struct task_struct *t = find_task_by_pid(m, pid);

	if (pid <= 0 || (tgid <= 0 && tgid != -1))
		return -MMSIM_EINVAL;
	if (!t || (tgid > 0 && t->tgid != tgid))
		return -MMSIM_ESRCH;
	return sys_kill(m, pid, sig);
}

/* stack_t on x86_64: ss_sp, ss_flags (int, padded), ss_size. */
int64_t sys_sigaltstack(struct machine *m, uint64_t uss, uint64_t uoss)
{
	struct task_struct *t = get_current(m);
	uint64_t ss[3];

	if (uoss) {
		uint64_t old[3] = { t->sas_ss_sp, t->sas_ss_size ? t->sas_ss_flags : SS_DISABLE, t->sas_ss_size };
		if (copy_to_user(m, uoss, old, sizeof(old)))
			return -MMSIM_EFAULT;
	}
	if (!uss)
		return 0;
	if (copy_from_user(m, ss, uss, sizeof(ss)))
		return -MMSIM_EFAULT;
	unsigned int flags = (unsigned int)ss[1];
	if (flags & ~(SS_DISABLE | 0x80000000u /* SS_AUTODISARM */))
		return -MMSIM_EINVAL;
	if (flags & SS_DISABLE) {
		t->sas_ss_sp = t->sas_ss_size = 0;
	} else {
		if (ss[2] < MINSIGSTKSZ)
			return -MMSIM_ENOMEM;
		t->sas_ss_sp = ss[0];
		t->sas_ss_size = ss[2];
	}
	t->sas_ss_flags = flags & ~SS_DISABLE;
	return 0;
}
