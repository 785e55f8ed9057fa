/* cmd_report.c — the `report` command, and the recorder's place in a
 * session: `--report FILE.html` records from boot and writes FILE at the
 * end; `report FILE.html [LABEL]` writes a snapshot of this moment with
 * the series so far (recording starts at the first report if nothing
 * started it before); `report --json FILE|-` writes the same document as
 * JSON (docs/json/report.schema.json).
 *
 * The trace events reach the recorder and `--trace`'s sink through one
 * tracer, cli_trace_event(). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/trace.h>

#include "cli/cli.h"
#include "cli/report.h"
#include "cli/trace_sink.h"

void cli_trace_event(const struct mmsim_trace_event *ev, void *arg)
{
	struct cli *c = arg;

	if (c->trace_sink)
		trace_sink_event(ev, c->trace_sink);
	if (c->report)
		report_trace_event(c->report, ev);
}

void cli_update_tracer(struct cli *c)
{
	mmsim_set_tracer(c->m, c->trace_sink || c->report ? cli_trace_event : NULL, c);
}

int cli_report_start(struct cli *c)
{
	if (c->report)
		return 0;
	c->report = report_new(c->m);
	if (!c->report)
		return -1;
	cli_update_tracer(c);
	return 0;
}

void cli_report_stop(struct cli *c)
{
	report_free(c->report);
	c->report = NULL;
	cli_update_tracer(c);
}

int cli_report_write(struct cli *c, const char *path, const char *label, bool json, char *err,
		     size_t errlen)
{
	if (cli_report_start(c)) {
		snprintf(err, errlen, "out of host memory for the report");
		return -1;
	}
	json_t *doc = report_document(c->report, label, err, errlen);
	if (!doc)
		return -1;
	bool to_out = !strcmp(path, "-");
	FILE *f = to_out ? c->out : fopen(path, "w");
	int rc = 0;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		json_decref(doc);
		return -1;
	}
	if (json) {
		rc = json_dumpf(doc, f, JSON_COMPACT | JSON_ENSURE_ASCII);
		fputc('\n', f);
		if (to_out)
			c->wrote_json = true;
	} else {
		rc = report_write_html(doc, f);
	}
	if (!to_out && fclose(f))
		rc = -1;
	if (rc)
		snprintf(err, errlen, "%s: error writing the report", path);
	json_decref(doc);
	return rc ? -1 : 0;
}

static int cmd_report(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = { { "json", no_argument, NULL, 'j' }, { 0 } };
	bool json = false;
	int opt, rc;
	char err[320];

	cli_getopt_start();
	while (!(rc = cli_getopt(c, argc, argv, "j", longopts, &opt)))
		json = true;
	if (rc == 2)
		return 2;
	if (optind >= argc || argc - optind > 2)
		return cli_usage(c, "report");
	const char *path = argv[optind], *label = optind + 1 < argc ? argv[optind + 1] : NULL;
	/* Under --json, '-' is the document; a file is HTML unless --json is given here. */
	if (!strcmp(path, "-") && c->json_out)
		json = true;
	if (!strcmp(path, "-") && !json)
		return cli_error(c, "report: an HTML report goes to a file; '-' is for --json");
	if (cli_report_write(c, path, label, json, err, sizeof(err)))
		return cli_error(c, "report: %s", err);
	return 0;
}

static const struct cli_command report_commands[] = {
	{ "report", 1, 4, "[--json] FILE.html|- [LABEL]",
	  "a visual report of this moment and the time so far: one HTML file (docs/report.md); "
	  "--json: the document as JSON ('-': the output)", cmd_report, 0, "--" },
};

CLI_COMMAND_SET(cli_report_commands, "Reports", "report", report_commands);
