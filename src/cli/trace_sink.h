/* trace_sink.h — `mmsim --trace FILE`: the kernel's trace events as JSON lines. */
#ifndef MMSIM_CLI_TRACE_SINK_H
#define MMSIM_CLI_TRACE_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <mmsim/trace.h>

#define TRACE_SINK_MAX_FILTERS 32

struct trace_sink {
	FILE *out;
	const char *path;
	uint64_t limit;			/* events written at most; the rest are counted */
	uint64_t written, dropped;
	unsigned int nr_filters;	/* none: every event */
	char filters[TRACE_SINK_MAX_FILTERS][64];	/* "system" or "system:name" */
	bool write_error;
};

/*
 * Open @path ("-": standard output) for at most @limit events of those
 * @filter names (a comma-separated list of SYSTEM or SYSTEM:EVENT; NULL or
 * "": all). Returns 0, or -1 with one line in @err.
 */
int trace_sink_open(struct trace_sink *t, const char *path, uint64_t limit, const char *filter,
		    char *err, size_t errlen);
/* The tracer: one JSON object a line (mmsim_set_tracer(m, trace_sink_event, t)). */
void trace_sink_event(const struct mmsim_trace_event *ev, void *arg);
/* A last line for the events the limit left out, then close; -1 if writing failed. */
int trace_sink_close(struct trace_sink *t);

#endif /* MMSIM_CLI_TRACE_SINK_H */
