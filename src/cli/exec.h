/* exec.h — `mmsim --exec`: run a real program on the simulated kernel. */
#ifndef MMSIM_CLI_EXEC_H
#define MMSIM_CLI_EXEC_H

#include <stdio.h>

#include <mmsim/machine.h>

/* Run @argv[0] with @argv as a child of init; its exit status (128 + signal), or 2. */
int cli_exec(struct machine *m, char *const argv[], double timeout_s, FILE *err);

#endif /* MMSIM_CLI_EXEC_H */
