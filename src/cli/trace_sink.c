/* trace_sink.c — `mmsim --trace FILE`: every trace event the simulated
 * kernel emits, one JSON object a line, for scripts and notebooks.
 *
 * A line is {"ts_ns": the machine's clock, "cpu", "pid", "comm" (the task
 * running), "event": "SYSTEM:NAME" as ftrace names it, "fields": {the
 * event's fields}}. Numbers are JSON numbers; addresses and pointers are
 * strings in hex, as the kernel prints them (they do not fit a JSON
 * integer); GFP flags are the kernel's names ("GFP_KERNEL|__GFP_ZERO").
 * The file is bounded: past --trace-limit events the rest are only
 * counted, and a last line {"event": "trace:dropped", "count": N} says
 * how many. Written with jansson. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <mmsim/gfp.h>

#include "cli/trace_sink.h"

int trace_sink_open(struct trace_sink *t, const char *path, uint64_t limit, const char *filter,
		    char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->path = path;
	t->limit = limit;
	for (const char *p = filter ? filter : ""; *p;) {
		size_t n = strcspn(p, ",");
		if (!n || n >= sizeof(t->filters[0]) || t->nr_filters == TRACE_SINK_MAX_FILTERS) {
			snprintf(err, errlen, "--trace-events: '%.*s' is not SYSTEM or SYSTEM:EVENT "
				 "(at most %d of them)", (int)n, p, TRACE_SINK_MAX_FILTERS);
			return -1;
		}
		memcpy(t->filters[t->nr_filters], p, n);
		t->filters[t->nr_filters++][n] = '\0';
		p += n + (p[n] == ',');
	}
	t->out = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!t->out) {
		snprintf(err, errlen, "--trace %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static bool wanted(const struct trace_sink *t, const struct mmsim_trace_event *ev)
{
	if (!t->nr_filters)
		return true;
	size_t sys = strlen(ev->system);
	for (unsigned int i = 0; i < t->nr_filters; i++) {
		const char *f = t->filters[i];
		if (strncmp(f, ev->system, sys))
			continue;
		if (!f[sys] || (f[sys] == ':' && !strcmp(f + sys + 1, ev->name)))
			return true;
	}
	return false;
}

static json_t *field_value(const struct mmsim_trace_field *f)
{
	char buf[256];

	switch (f->type) {
	case MMSIM_TRACE_U64:
		return json_integer((json_int_t)f->u);
	case MMSIM_TRACE_S64:
		return json_integer((json_int_t)f->s);
	case MMSIM_TRACE_HEX:
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)f->u);
		return json_string(buf);
	case MMSIM_TRACE_GFP: {
		FILE *mem = fmemopen(buf, sizeof(buf), "w");
		if (!mem)
			return json_integer((json_int_t)f->u);
		mmsim_gfp_format(mem, (gfp_t)f->u);
		fclose(mem);	/* fmemopen ends the text with a NUL */
		return json_string(buf);
	}
	case MMSIM_TRACE_STR:
		return json_string(f->str ? f->str : "");
	}
	return json_null();
}

static void write_line(struct trace_sink *t, json_t *line)
{
	if (!line || json_dumpf(line, t->out, JSON_COMPACT | JSON_PRESERVE_ORDER) || fputc('\n', t->out) == EOF)
		t->write_error = true;
	json_decref(line);
}

void trace_sink_event(const struct mmsim_trace_event *ev, void *arg)
{
	struct trace_sink *t = arg;
	char name[128];

	if (!wanted(t, ev))
		return;
	if (t->written >= t->limit) {
		t->dropped++;
		return;
	}
	t->written++;
	json_t *fields = json_object();
	for (unsigned int i = 0; i < ev->nr_fields; i++)
		json_object_set_new(fields, ev->fields[i].name, field_value(&ev->fields[i]));
	snprintf(name, sizeof(name), "%s:%s", ev->system, ev->name);
	write_line(t, json_pack("{s:I, s:i, s:i, s:s, s:s, s:o}", "ts_ns", (json_int_t)ev->time_ns,
				"cpu", (int)ev->cpu, "pid", ev->pid, "comm", ev->comm, "event", name,
				"fields", fields));
}

int trace_sink_close(struct trace_sink *t)
{
	if (!t->out)
		return 0;
	if (t->dropped)
		write_line(t, json_pack("{s:s, s:I, s:I}", "event", "trace:dropped", "count",
					(json_int_t)t->dropped, "limit", (json_int_t)t->limit));
	int rc = t->write_error || ferror(t->out) ? -1 : 0;
	if (t->out != stdout && fclose(t->out))
		rc = -1;
	else if (t->out == stdout && fflush(stdout))
		rc = -1;
	t->out = NULL;
	return rc;
}
