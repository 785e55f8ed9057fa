/* cmd_verify.c — checking the machine: every structure's validator at once
 * (kernel/verify.c), as `verify` prints it. */
#include <mmsim/machine.h>

#include "cli/cli.h"

static int cmd_verify(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	unsigned long bad = mmsim_verify(c->m, c->out);
	if (!bad)
		fprintf(c->out, "verify: ok\n");
	else
		fprintf(c->out, "verify: %lu problem%s\n", bad, bad == 1 ? "" : "s");
	return 0;
}

static const struct cli_command verify_commands[] = {
	{ "verify", 0, 0, "", "run every validator: 'verify: ok' or one line per problem",
	  cmd_verify, 0, "-" },
};

CLI_COMMAND_SET(cli_verify_commands, "Checking the machine", "verify", verify_commands);
