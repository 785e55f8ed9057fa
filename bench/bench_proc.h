/* bench_proc.h — a /proc file of a simulated machine as a string, for the
 * benchmarks that read what the kernel shows (buddyinfo, pagetypeinfo ...). */
#ifndef MMSIM_BENCH_PROC_H
#define MMSIM_BENCH_PROC_H

#include <stdio.h>
#include <stdlib.h>

#include <mmsim/machine.h>

/*
 * @path's text (malloc'd), or exit(1) naming it. Out of line: inlined,
 * gcc 12 takes the memstream's buffer for a pointer to a dead local.
 */
static __attribute__((noinline, unused)) char *bench_read_proc(struct machine *m, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f || mmsim_proc_read(m, path, f) != 0) {
		fprintf(stderr, "bench: cannot read %s from the machine\n", path);
		exit(1);
	}
	fclose(f);
	return text;
}

#endif /* MMSIM_BENCH_PROC_H */
