/*
 * fuzz_options.c — libFuzzer target: a command line, run through the real
 * mmsim main() (src/cli/main.c compiled again as mmsim_cli_main) — option
 * parsing, the boot and the scenario. The input is split at NUL bytes
 * into argv[1..]. To keep one input at milliseconds and inside the test,
 * inputs are skipped that name a path ('/': no host file is read, and
 * the working directory is an empty one), run a program (--exec, which
 * getopt lets the fuzzer abbreviate to --ex), give a size above 512 MiB
 * (--mem, --initrd, or anything else), or set the step budget (--max...):
 * the harness gives every run --max-steps=20000, so a runaway scenario
 * ends in milliseconds with the engine's own error.
 */
#include "fuzz_common.h"
#include "cli/cli.h"
#include <getopt.h>
#include <fcntl.h>
#include <unistd.h>

#define FUZZ_OPTIONS_MAX 2048
#define FUZZ_OPTIONS_ARGS 32
#define FUZZ_OPTIONS_SIZE_MAX (512ULL << 20)

int mmsim_cli_main(int argc, char **argv);

/* Whether one argument (or its "=VALUE" part) is something the harness keeps out. */
static int refused(const char *arg)
{
	const char *value = strchr(arg, '=');
	uint64_t v;

	if (strchr(arg, '/') || !strncmp(arg, "--ex", 4) || !strncmp(arg, "--max", 5) ||
	    !strcmp(arg, "shell"))
		return 1;
	if (!parse_size(arg, &v) && v > FUZZ_OPTIONS_SIZE_MAX)
		return 1;
	if (value && !parse_size(value + 1, &v) && v > FUZZ_OPTIONS_SIZE_MAX)
		return 1;
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/mmsim-fuzz-options-XXXXXX";
	int null = open("/dev/null", O_RDWR);

	(void)argc;
	(void)argv;
	/* No script or e820 file to find, and stdin at EOF: "-" reads nothing. */
	if (mkdtemp(dir) && chdir(dir) == 0)
		rmdir(dir);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_OPTIONS_ARGS + 2];
	char *buf;
	int argc = 1;

	if (size > FUZZ_OPTIONS_MAX)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "mmsim";
	argv[argc++] = "--max-steps=20000";
	for (size_t i = 0; i <= size && argc <= FUZZ_OPTIONS_ARGS; ) {
		char *arg = buf + i;
		size_t len = strlen(arg);
		if (refused(arg)) {
			free(buf);
			return 0;
		}
		argv[argc++] = arg;
		i += len + 1;
	}
	/* No script and no -e reads stdin (empty): a boot and nothing more. */
	argv[argc] = NULL;
	optind = 0;	/* glibc: 0 re-initialises getopt for a new vector */
	mmsim_cli_main(argc, argv);
	fflush(stdout);
	free(buf);
	return 0;
}
