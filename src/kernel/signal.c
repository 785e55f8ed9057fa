/* signal.c — the signals a fault raises (kernel/signal.c: force_sig_fault).
 *
 * A fault the kernel cannot resolve for a user access becomes a signal to
 * the task: SIGSEGV (SEGV_MAPERR: nothing mapped; SEGV_ACCERR: mapped, but
 * not for this access) or SIGBUS (BUS_ADRERR: beyond the end of a file).
 * A forced signal cannot be ignored: if the process has a handler, the
 * handler runs (mmsim records the signal and the access is abandoned);
 * otherwise the default action ends the process — with the signal as its
 * wait status, and no core file (RLIMIT_CORE is 0). */
#include "kernel/signal.h"

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

int force_sig_fault(struct machine *m, struct task_struct *t, int sig, int code, uint64_t addr)
{
	t->last_siginfo = (struct kernel_siginfo){ .signo = sig, .code = code, .addr = addr };
	if (t->sighand && t->sighand->action[sig - 1] == SIG_DISP_HANDLER) {
		t->pending_signals |= 1ULL << (sig - 1);
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
