/* exec.h — `mmsim --exec`: run a real program on the simulated kernel. */
#ifndef MMSIM_CLI_EXEC_H
#define MMSIM_CLI_EXEC_H

#include <stdbool.h>
#include <stdio.h>

#include <mmsim/machine.h>

/*
 * mmsim_run() of process @pid, stopped after @seconds (0: no limit) and,
 * with @on_sigint, by ^C: -EINTR then, the program alive where it was.
 */
int cli_run_for(struct machine *m, int pid, double seconds, bool on_sigint, int *status,
		const char **why);
/* Run @argv[0] with @argv as a child of init; its exit status (128 + signal), or 2. */
int cli_exec(struct machine *m, char *const argv[], double timeout_s, FILE *err);

#endif /* MMSIM_CLI_EXEC_H */
