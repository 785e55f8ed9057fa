/* exec.c — `mmsim --exec PROGRAM [ARGS...]`: a real program run on the
 * simulated kernel.
 *
 * The program becomes a child of init with the console as its stdin,
 * stdout and stderr and the environment the kernel gives init (HOME=/,
 * TERM=linux); its own code runs on the host's CPU through the machine's
 * page tables (mmsim_run) until it exits. mmsim exits with its status,
 * 128 + the signal if one killed it, or 2 when it could not be run at
 * all (with the reason on stderr). --timeout stops it as SIGKILL would.
 * Afterwards every structure's validator runs (mmsim_verify): a problem
 * there is mmsim's fault, reported on stderr with exit status 2. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include <mmsim/errno.h>
#include <mmsim/process.h>

#include "cli/exec.h"

static volatile int stop_requested;
static struct machine *running;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
	if (running)
		mmsim_run_kick(running);
}

int cli_run_for(struct machine *m, int pid, double seconds, bool on_sigint, int *status,
		const char **why)
{
	struct sigaction sa = { .sa_handler = on_stop }, old_alrm, old_int;

	sigemptyset(&sa.sa_mask);
	running = m;
	stop_requested = 0;
	sigaction(SIGALRM, &sa, &old_alrm);
	if (on_sigint)
		sigaction(SIGINT, &sa, &old_int);
	if (seconds > 0) {
		/*
		 * Then again every 50 ms until the run stops: a kick that lands
		 * just before a CPU backend starts running is not lost.
		 */
		struct itimerval it = { .it_value = { (time_t)seconds,
						      (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6) },
					.it_interval = { 0, 50000 } };
		setitimer(ITIMER_REAL, &it, NULL);
	}
	int rc = mmsim_run(m, pid, &stop_requested, status, why);
	struct itimerval off = { 0 };
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old_alrm, NULL);
	if (on_sigint)
		sigaction(SIGINT, &old_int, NULL);
	running = NULL;
	return rc;
}

int cli_exec(struct machine *m, char *const argv[], double timeout_s, FILE *err)
{
	static const char *const envp[] = { "HOME=/", "TERM=linux", NULL };
	const char *base = strrchr(argv[0], '/');
	const char *why = NULL;
	int pid = mmsim_spawn(m, base ? base + 1 : argv[0]);

	if (pid < 0) {
		fprintf(err, "mmsim: --exec: no process: %s\n", mmsim_strerror(-pid));
		return 2;
	}
	int rc = mmsim_open_console(m, pid);
	if (!rc)
		rc = mmsim_execve(m, pid, argv[0], (const char *const *)argv, envp, &why);
	if (rc) {
		fprintf(err, "mmsim: --exec %s: %s%s%s\n", argv[0], mmsim_strerror(-rc), why ? ": " : "",
			why ? why : "");
		return 2;
	}
	int status = 0;
	rc = cli_run_for(m, pid, timeout_s, true, &status, &why);
	if (rc == -MMSIM_EINTR) {
		fprintf(err, "mmsim: --exec %s: stopped after %.3g s: killed\n", argv[0], timeout_s);
		return 128 + 9;
	}
	if (rc) {
		fprintf(err, "mmsim: --exec %s: %s%s%s\n", argv[0], mmsim_strerror(-rc), why ? ": " : "",
			why ? why : "");
		return 2;
	}
	mmsim_wait4(m, 1, pid, &status, NULL);
	unsigned long bad = mmsim_verify(m, err);
	if (bad) {
		fprintf(err, "mmsim: --exec %s: after the run, verify found %lu problem%s\n", argv[0], bad,
			bad == 1 ? "" : "s");
		return 2;
	}
	if (status & 0x7f)
		return 128 + (status & 0x7f);
	return (status >> 8) & 0xff;
}
