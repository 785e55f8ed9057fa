/* signal.h (internal) — the simulated kernel's signal numbers and the
 * si_codes of faults (x86 values, include/uapi/asm-generic/signal.h and
 * siginfo.h), and kernel/signal.c's entry points. Kept apart from sched.h
 * because the host's <signal.h> uses the same names: a file that needs
 * both (the interface layer, which handles the host's SIGINT) includes
 * only the host's. */
#ifndef MMSIM_KERNEL_SIGNAL_H
#define MMSIM_KERNEL_SIGNAL_H

#include "kernel/sched.h"

#define SIGBUS		7
#define SIGKILL		9
#define SIGSEGV		11
#define SIGSTOP		19
#define SI_KERNEL	0x80
#define SEGV_MAPERR	1	/* no mapping at the address */
#define SEGV_ACCERR	2	/* a mapping, but not for this access */
#define SEGV_PKUERR	4
#define BUS_ADRALN	1
#define BUS_ADRERR	2	/* beyond the end of the mapped object */
#define BUS_OBJERR	3

/*
 * A fault's signal to @t: delivered to its handler (returns 0, the task
 * lives on) or its default action (returns 1: @t has exited).
 */
int force_sig_fault(struct machine *m, struct task_struct *t, int sig, int code, uint64_t addr);

/* @sig's default action is to do nothing (SIGCHLD, SIGCONT, SIGURG, SIGWINCH). */
bool sig_default_ignored(int sig);
/* kill()'s delivery: pending for @t (with @info) unless ignored; SIGKILL ends it at once. */
void send_signal(struct machine *m, struct task_struct *t, int sig, const struct kernel_siginfo *info);

#endif /* MMSIM_KERNEL_SIGNAL_H */
