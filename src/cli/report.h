/* report.h — the visual report (`--report FILE.html`, the `report`
 * command): a recorder that samples the machine as the scenario runs, and
 * the document of one moment — physical memory frame by frame, the kernel's
 * virtual layout, each process's address space and page tables, the /proc
 * files — with the samples and events so far. report.c gathers it as JSON
 * (docs/json/report.schema.json); report_html.c draws it. */
#ifndef MMSIM_CLI_REPORT_H
#define MMSIM_CLI_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include <mmsim/trace.h>

struct machine;
struct report;

/* Bounds: what a scenario can make a report hold. */
#define REPORT_MAX_SAMPLES	1024	/* kept; past this every other one goes and the step doubles */
#define REPORT_FIRST_STEP_NS	1000000	/* at first, at most a sample a millisecond of the clock */
#define REPORT_MAX_EVENTS	100000	/* events kept; the rest are counted */
#define REPORT_MAX_RUNS		200000	/* frame runs drawn; past this, runs of one owner merge */
#define REPORT_MAX_VMA_PAGES	(1UL << 20)	/* pages of one VMA read from pagemap */
#define REPORT_MAX_PROCESS_PAGES (1UL << 22)	/* ... and of all of a process's VMAs */
#define REPORT_MAX_VMAS_DRAWN	1024	/* VMA rows drawn a process (the document has all) */
#define REPORT_MAX_TABLES	4096	/* page-table pages listed per process */
#define REPORT_MAX_PROCESSES	256	/* processes drawn and sampled: the lowest pids */

/* Start recording: a first sample now. NULL if out of host memory. */
struct report *report_new(struct machine *m);
void report_free(struct report *r);
/* The tracer's events the report marks (reclaim, compaction, OOM kills). */
void report_trace_event(struct report *r, const struct mmsim_trace_event *ev);
/* After each command: a sample, if the clock has moved a step since the last. */
void report_tick(struct report *r);
/*
 * The document of now: {"report": 1, "label", "machine", "snapshot",
 * "series", "events"}. NULL with @err on failure (host memory).
 */
json_t *report_document(struct report *r, const char *label, char *err, size_t errlen);

/* report_html.c: the document as one self-contained HTML file. 0, or -1 if writing failed. */
int report_write_html(const json_t *doc, FILE *out);

#endif /* MMSIM_CLI_REPORT_H */
