/* engine.h — the scenario engine's own state and entry points: what main.c,
 * the shell and the engine's parts (engine.c, names.c, registry.c) share.
 * Command sets see only cli.h. */
#ifndef MMSIM_CLI_ENGINE_H
#define MMSIM_CLI_ENGINE_H

#include "cli/cli.h"
#include "cli/name_table.h"

/* Bounds on what a scenario can ask of the host. */
#define CLI_MAX_NAMES		(1u << 22)	/* names bound at once */
#define CLI_MAX_ARGS		64		/* words in one command */
#define CLI_MAX_LINE		(1u << 16)	/* bytes in one command after $i expansion */
#define CLI_MAX_REPEAT		100000000UL	/* repeat count at the top level */
#define CLI_MAX_TASK_STEPS	1000000UL	/* repeat count unrolled into a task body */
#define CLI_MAX_RUN_STEPS	20000000UL	/* scheduling steps of one run */
#define CLI_MAX_PIPE_BYTES	(64u << 20)	/* output held between the stages of a pipe */
#define CLI_MAX_TASKS		4096		/* tasks defined by a scenario */
/*
 * The step budget: every command run (each repeat iteration and each
 * task step included) and every command unrolled into a task body is a
 * step. The default ends a runaway scenario in seconds; --max-steps
 * raises it up to CLI_MAX_STEPS_LIMIT.
 */
#define CLI_DEFAULT_MAX_STEPS	10000000ULL
#define CLI_MAX_STEPS_LIMIT	1000000000000ULL
/*
 * Host memory the simulator may use beyond the machine it booted (names,
 * task bodies, output held in pipes, swap contents ...), checked every
 * CLI_HOST_MEM_CHECK_EVERY steps; --host-mem-limit changes it.
 */
#define CLI_DEFAULT_HOST_MEM	(4ULL << 30)
#define CLI_HOST_MEM_CHECK_EVERY 1024

struct task_prog;

/* A result of running a line besides 0 and 2: `exit` was run; exit_status says how. */
#define CLI_EXIT 4

struct cli_engine {
	FILE *out, *err;	/* where complete output lines and error lines go */
	const char *where;	/* "FILE", "-e", "<stdin>" */
	unsigned long line;
	char error[512];	/* the current command's error (cli_error), "" if none */
	struct name_table names;	/* name -> struct cli_name */
	unsigned int depth;	/* nesting of repeat */
	struct task_prog *collecting;	/* inside "task NAME {" ... "}" */
	struct task_struct *collecting_task;
	unsigned long collect_line;
	bool in_run;		/* commands are running as tasks' steps */
	bool resumed;		/* the running task's step blocked before */
	int exit_status;	/* set by exit (CLI_EXIT) */
	unsigned int nr_tasks;
	uint64_t steps;		/* taken so far (since the start, or the shell's line) */
	uint64_t max_steps;
	uint64_t host_mem_base;	/* the host heap in use when the engine started */
	uint64_t host_mem_limit;	/* bytes beyond host_mem_base */
};

/* ---- engine.c --------------------------------------------------------------- */

struct cli *cli_new(struct machine *m, FILE *out, FILE *err);
/* The step budget and the host memory limit (0: keep the default). */
void cli_set_limits(struct cli *c, uint64_t max_steps, uint64_t host_mem_limit);
/* The shell starts each line with a fresh step budget. */
void cli_reset_steps(struct cli *c);
void cli_free(struct cli *c);
/*
 * Run scenario text: lines separated by newlines, commands by ';'. @where
 * names it in errors. Returns 0, or 2 after the error line for bad input;
 * the machine stays consistent either way.
 */
int cli_run_text(struct cli *c, const char *where, const char *text);
/*
 * One line of input, numbered @lineno (the shell's way in): inside a task
 * body it is collected, otherwise run. 0 or 2 (the error is printed).
 */
int cli_run_line(struct cli *c, const char *where, unsigned long lineno, const char *line);
/* Input ended: a task body still open is an error. 0 or 2. */
int cli_finish(struct cli *c);
/* Between "task NAME {" and "}": the shell shows its continuation prompt. */
bool cli_collecting(const struct cli *c);

/* ---- names.c ---------------------------------------------------------------- */
void cli_names_release(struct cli *c);

/* ---- registry.c ------------------------------------------------------------- */

extern const struct cli_command_set *const cli_command_sets[];
extern const size_t nr_cli_command_sets;
/* The command named @name, or NULL. */
const struct cli_command *cli_command_find(const char *name);
/*
 * Check the tables once at start-up: every name unique, every entry
 * complete. Prints what is wrong to @err and returns -1 if anything is.
 */
int cli_registry_check(FILE *err);
/* `mmsim --list-commands`: every command name, one a line, sorted. */
void cli_list_commands(FILE *out);
/* One set's table as docs/scenario.md shows it (`mmsim --list-commands=markdown`). */
void cli_commands_markdown(FILE *out, const struct cli_command_set *set);
/* Every set as the man page's COMMANDS section (roff). */
void cli_commands_man(FILE *out);

#endif /* MMSIM_CLI_ENGINE_H */
