/* bench_count.h — instructions per operation, counted by callgrind.
 *
 * Times on a shared machine move by 2x between runs; instruction counts do
 * not. A benchmark with a count mode re-runs itself as a child under
 * `valgrind --tool=callgrind --instr-atstart=no`, and the child brackets
 * each timed loop with COUNT_BEGIN() / COUNT_END("label"): only the loop is
 * instrumented, and callgrind writes one dump per label. The parent reads
 * every dump's total Ir and hands it, with its label, to a callback.
 *
 * Built without valgrind's header (tools/install-deps --bench installs it),
 * the brackets are empty and count_available() says so. */
#ifndef MMSIM_BENCH_COUNT_H
#define MMSIM_BENCH_COUNT_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef MMSIM_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#define COUNT_BEGIN() do { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; } while (0)
#define COUNT_END(label) do { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS_AT(label); } while (0)
static inline bool count_available(void) { return true; }
#else
#define COUNT_BEGIN() do { } while (0)
#define COUNT_END(label) do { (void)(label); } while (0)
static inline bool count_available(void) { return false; }
#endif

/* This program's own path: valgrind must be given it (/proc/self/exe would be valgrind's). */
static inline const char *count_self_path(void)
{
	static char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (len <= 0)
		return NULL;
	self[len] = 0;
	return self;
}

/*
 * Runs @argv (argv[0] = this program's path, from count_self_path) under
 * callgrind with its output silenced, then calls @each(label, Ir, @arg) for
 * every dump the child made, in order. Returns the number of dumps, or -1
 * when valgrind could not run or the child failed.
 */
static inline int count_run(char *const argv[],
			    void (*each)(const char *label, double ir, void *arg), void *arg)
{
	char out[64], outopt[96];
	int nargs = 0;

	while (argv[nargs])
		nargs++;
	snprintf(out, sizeof(out), "/tmp/mmsim-bench.%d.cg", (int)getpid());
	snprintf(outopt, sizeof(outopt), "--callgrind-out-file=%s", out);
	char **vg = calloc((size_t)nargs + 5, sizeof(*vg));
	if (!vg)
		return -1;
	vg[0] = "valgrind";
	vg[1] = "--tool=callgrind";
	vg[2] = "--instr-atstart=no";
	vg[3] = outopt;
	memcpy(vg + 4, argv, (size_t)nargs * sizeof(*vg));
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execvp("valgrind", vg);
		_exit(127);
	}
	free(vg);
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	/* Dumps are out.1, out.2, ...; out itself is the (empty) termination dump. */
	int dumps = 0;
	for (int part = 1;; part++) {
		char path[96], line[512], label[512] = "";
		double total = -1;
		snprintf(path, sizeof(path), "%s.%d", out, part);
		FILE *f = fopen(path, "r");
		if (!f)
			break;
		while (fgets(line, sizeof(line), f)) {
			const char *trig = "desc: Trigger: Client Request: ";
			if (!strncmp(line, trig, strlen(trig))) {
				snprintf(label, sizeof(label), "%s", line + strlen(trig));
				label[strcspn(label, "\n")] = 0;
			} else if (!strncmp(line, "totals:", 7)) {
				total = strtod(line + 7, NULL);
			}
		}
		fclose(f);
		unlink(path);
		if (total >= 0) {
			each(label, total, arg);
			dumps++;
		}
	}
	unlink(out);
	return dumps;
}

#endif /* MMSIM_BENCH_COUNT_H */
