/*
 * fuzz_scenario.c — libFuzzer target: scenario text run by the engine on a
 * small booted machine. The first byte picks arch, profile and RAM
 * (fuzz_boot); the rest is the scenario. Output goes to /dev/null; a crash,
 * a sanitizer report, a leak or a hang (-timeout) is a finding.
 */
#include "fuzz_common.h"
#include "cli/engine.h"

/* The longest scenario taken: long enough for every example, short enough to stay fast. */
#define FUZZ_SCENARIO_MAX 8192
/* Steps and host memory one input may take (the engine's --max-steps and --host-mem-limit). */
#define FUZZ_MAX_STEPS 20000
#define FUZZ_HOST_MEM (256ULL << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct machine *m;
	struct cli *c;
	char *text;

	if (size < 1 || size > FUZZ_SCENARIO_MAX)
		return 0;
	if (!sink)
		sink = fopen("/dev/null", "w");
	text = fuzz_text(data + 1, size - 1);
	if (!text)
		return 0;
	m = fuzz_boot(data[0]);
	if (m) {
		c = cli_new(m, sink, sink);
		/* The engine's own budgets end a runaway input in milliseconds, not the -timeout. */
		if (c)
			cli_set_limits(c, FUZZ_MAX_STEPS, FUZZ_HOST_MEM);
		if (c)
			cli_run_text(c, "fuzz", text);
		cli_free(c);
		mmsim_destroy(m);
	}
	free(text);
	return 0;
}
