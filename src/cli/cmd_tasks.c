/* cmd_tasks.c — the kernel's primitives for tasks to wait on each other and
 * on time: complete, wait_for_completion, msleep (kernel/sched/completion.c,
 * kernel/time/timer.c). Tasks themselves (`task NAME {`, `run`) are part of
 * the language (engine.c). A completion is a name like any other. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "kernel/sched.h"

/* The completion called @name, made on first use. */
static struct completion *completion(struct cli *c, const char *name)
{
	struct cli_name *n = cli_name_find(c, name);

	if (n && n->kind == NAME_COMPLETION)
		return n->completion;
	if (strlen(name) >= TASK_COMM_LEN * 2) {
		cli_error(c, "completion name '%s' is longer than %d characters", name,
			  TASK_COMM_LEN * 2 - 1);
		return NULL;
	}
	if (!(n = cli_name_bind(c, name, NAME_COMPLETION)))
		return NULL;
	struct completion *x = malloc(sizeof(*x) + strlen(name) + 1);
	if (!x) {
		cli_error(c, "out of host memory");
		return NULL;
	}
	char *label = (char *)(x + 1);
	strcpy(label, name);
	init_completion(x, label);
	n->completion = x;
	return x;
}

static int cmd_complete(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct completion *x = completion(c, argv[1]);
	if (!x)
		return 2;
	complete(c->m, x);
	return 0;
}

static int cmd_wait_for_completion(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct completion *x = completion(c, argv[1]);
	if (!x)
		return 2;
	if (wait_for_completion_or_sleep(c->m, x))
		return 0;
	if (cli_in_task(c))
		return CLI_BLOCKED;
	finish_wait(c->m);
	return cli_error(c, "wait_for_completion %s would sleep forever: nothing else runs",
			 argv[1]);
}

static int cmd_msleep(struct cli *c, int argc, char **argv)
{
	uint64_t ms;
	int rc;

	(void)argc;
	if ((rc = cli_number(c, argv[1], "milliseconds", 3600000, &ms)))
		return rc;
	if (!cli_in_task(c)) {
		/* Nothing else runs: the machine idles until the timer fires. */
		mmsim_advance_clock(c->m, ms * 1000000ULL);
		return 0;
	}
	if (cli_resumed(c))
		return 0;	/* the timer fired: this msleep is over */
	msleep(c->m, (unsigned int)ms);
	return CLI_BLOCKED;
}

static const struct cli_command task_commands[] = {
	{ "complete", 1, 1, "EVENT", "complete(): one waiter of EVENT may go on",
	  cmd_complete, 0, "n" },
	{ "wait_for_completion", 1, 1, "EVENT", "sleep until EVENT is completed",
	  cmd_wait_for_completion, 0, "n" },
	{ "msleep", 1, 1, "MS", "sleep MS milliseconds of simulated time",
	  cmd_msleep, 0, "-" },
};

CLI_COMMAND_SET(cli_task_commands, "Tasks: waiting and sleeping", "tasks", task_commands);
