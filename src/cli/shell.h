/* shell.h — the interactive shell (shell.c). */
#ifndef MMSIM_CLI_SHELL_H
#define MMSIM_CLI_SHELL_H

struct cli;
struct machine_desc;

/*
 * Read and run lines until end of input or `exit`: with line editing,
 * history and completion on a terminal, plainly otherwise. Returns the
 * exit status: exit's, or 0 (2 when a task body is left open).
 */
int cli_shell(struct cli *c, const struct machine_desc *desc);

#endif /* MMSIM_CLI_SHELL_H */
