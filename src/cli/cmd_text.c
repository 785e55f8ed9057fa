/* cmd_text.c — the filters a pipe may end in: head, tail, grep and wc, with
 * the options people use most and GNU coreutils' / grep's output. They see
 * only the text of the command before them (dmesg | tail -n 5). */
#include <ctype.h>
#include <getopt.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The input's lines: for (line = 0; next_line(c, &pos, &text, &len);). */
static bool next_line(const struct cli *c, size_t *pos, const char **text, size_t *len)
{
	if (*pos >= c->input_len)
		return false;
	const char *p = c->input + *pos, *end = c->input + c->input_len;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*text = p;
	*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	*pos += *len + (nl != NULL);
	return true;
}

static size_t count_lines(const struct cli *c)
{
	size_t n = 0, pos = 0, len;
	const char *t;

	while (next_line(c, &pos, &t, &len))
		n++;
	return n;
}

/* -n N, -n +N (tail: from line N on), or the old -N. */
static int line_count(struct cli *c, int argc, char **argv, uint64_t *n, bool *from_start)
{
	static const struct option longopts[] = {
		{ "lines", required_argument, NULL, 'n' }, { NULL, 0, NULL, 0 },
	};
	int opt, rc;

	*n = 10;
	*from_start = false;
	if (argc == 2 && argv[1][0] == '-' && isdigit((unsigned char)argv[1][1]))
		return cli_number(c, argv[1] + 1, argv[0], UINT32_MAX, n);
	cli_getopt_start();
	while (!(rc = cli_getopt(c, argc, argv, ":n:", longopts, &opt))) {
		const char *v = optarg;
		if (*v == '+') {
			*from_start = true;
			v++;
		}
		if ((rc = cli_number(c, v, argv[0], UINT32_MAX, n)))
			return rc;
	}
	if (rc == 2)
		return rc;
	if (optind < argc)
		return cli_error(c, "%s reads the output of the command before '|', not '%s'",
				 argv[0], argv[optind]);
	return 0;
}

static int cmd_head(struct cli *c, int argc, char **argv)
{
	uint64_t n;
	bool plus;
	size_t pos = 0, len;
	const char *t;
	int rc;

	if ((rc = line_count(c, argc, argv, &n, &plus)))
		return rc;
	for (uint64_t i = 0; i < n && next_line(c, &pos, &t, &len); i++)
		fprintf(c->out, "%.*s\n", (int)len, t);
	return 0;
}

static int cmd_tail(struct cli *c, int argc, char **argv)
{
	uint64_t n;
	bool from_start;
	size_t pos = 0, len, total = count_lines(c);
	const char *t;
	int rc;

	if ((rc = line_count(c, argc, argv, &n, &from_start)))
		return rc;
	uint64_t skip = from_start ? (n ? n - 1 : 0) : total > n ? total - n : 0;
	for (uint64_t i = 0; next_line(c, &pos, &t, &len); i++)
		if (i >= skip)
			fprintf(c->out, "%.*s\n", (int)len, t);
	return 0;
}

/* grep [-v] [-i] [-c] [-n] [-E|-F] [-w] [-x] [-A N] [-B N] [-C N] PATTERN */
static int cmd_grep(struct cli *c, int argc, char **argv)
{
	bool invert = false, count = false, number = false, fixed = false, word = false,
	     whole = false;
	uint64_t after = 0, before = 0;
	int cflags = REG_NOSUB, opt, rc;

	cli_getopt_start();
	while (!(rc = cli_getopt(c, argc, argv, ":vicnEFGwxA:B:C:", NULL, &opt))) {
		switch (opt) {
		case 'A':
		case 'B':
		case 'C': {
			uint64_t n;
			if ((rc = cli_number(c, optarg, "grep: context lines", UINT32_MAX, &n)))
				return rc;
			if (opt != 'B')
				after = n;
			if (opt != 'A')
				before = n;
			break;
		}
		case 'v': invert = true; break;
		case 'i': cflags |= REG_ICASE; break;
		case 'c': count = true; break;
		case 'n': number = true; break;
		case 'E': cflags |= REG_EXTENDED; fixed = false; break;
		case 'F': fixed = true; break;
		case 'G': cflags &= ~REG_EXTENDED; fixed = false; break;
		case 'w': word = true; break;
		case 'x': whole = true; break;
		}
	}
	if (rc == 2)
		return rc;
	if (optind + 1 != argc)
		return cli_usage(c, "grep");
	/* -F, -w and -x come down to an extended expression around the (escaped) pattern. */
	const char *pat = argv[optind];
	size_t plen = strlen(pat);
	char *re = malloc(plen * 2 + 32), *w = re;
	if (!re)
		return cli_error(c, "out of host memory");
	if (fixed || word || whole) {
		w += sprintf(w, "%s", whole ? "^(" : word ? "(^|[^[:alnum:]_])(" : "(");
		for (const char *p = pat; *p; p++) {
			if (fixed && strchr(".[]()*+?{}|^$\\", *p))
				*w++ = '\\';
			*w++ = *p;
		}
		w += sprintf(w, "%s", whole ? ")$" : word ? ")([^[:alnum:]_]|$)" : ")");
		*w = '\0';
		if (!(cflags & REG_EXTENDED) && !fixed) {
			free(re);
			return cli_error(c, "grep: -w and -x take an extended pattern here: add -E");
		}
		cflags |= REG_EXTENDED;
	} else {
		strcpy(re, pat);
	}
	regex_t rx;
	int err = regcomp(&rx, re, cflags);
	free(re);
	if (err) {
		char why[128];
		regerror(err, &rx, why, sizeof(why));
		return cli_error(c, "grep: %s: '%s'", why, pat);
	}
	/* Which lines match, then which are shown: matches and their context. */
	size_t n = count_lines(c), pos = 0, len, matches = 0;
	unsigned char *shown = calloc(n + 1, 1);
	const char *t;
	if (!shown) {
		regfree(&rx);
		return cli_error(c, "out of host memory");
	}
	for (size_t i = 0; next_line(c, &pos, &t, &len); i++) {
		char *line = strndup(t, len);
		if (!line) {
			free(shown);
			regfree(&rx);
			return cli_error(c, "out of host memory");
		}
		if ((regexec(&rx, line, 0, NULL, 0) == 0) != invert) {
			matches++;
			shown[i] = 2;	/* a match; context lines are 1 */
			for (size_t j = i > before ? i - before : 0; j < i; j++)
				shown[j] |= 1;
			for (size_t j = i + 1; j <= i + after && j < n; j++)
				shown[j] |= 1;
		}
		free(line);
	}
	regfree(&rx);
	pos = 0;
	bool gap = false, any = false;
	for (size_t i = 0; !count && next_line(c, &pos, &t, &len); i++) {
		if (!shown[i]) {
			gap = true;
			continue;
		}
		if (gap && any && (before || after))
			fputs("--\n", c->out);	/* GNU grep between separate groups */
		gap = false;
		any = true;
		if (number)
			fprintf(c->out, "%zu%c", i + 1, shown[i] & 2 ? ':' : '-');
		fprintf(c->out, "%.*s\n", (int)len, t);
	}
	free(shown);
	if (count)
		fprintf(c->out, "%zu\n", matches);
	return 0;
}

/* wc [-l] [-w] [-c]: one count alone, or several in 7-wide columns, as coreutils on a pipe. */
static int cmd_wc(struct cli *c, int argc, char **argv)
{
	bool lines = false, words = false, bytes = false;
	int opt, rc;

	cli_getopt_start();
	while (!(rc = cli_getopt(c, argc, argv, ":lwc", NULL, &opt)))
		*(opt == 'l' ? &lines : opt == 'w' ? &words : &bytes) = true;
	if (rc == 2)
		return rc;
	if (optind < argc)
		return cli_usage(c, "wc");
	if (!lines && !words && !bytes)
		lines = words = bytes = true;
	size_t nl = 0, nw = 0;
	bool in_word = false;
	for (size_t i = 0; i < c->input_len; i++) {
		unsigned char ch = (unsigned char)c->input[i];
		nl += ch == '\n';
		if (isspace(ch)) {
			in_word = false;
		} else if (!in_word) {
			in_word = true;
			nw++;
		}
	}
	size_t counts[3] = { nl, nw, c->input_len };
	bool want[3] = { lines, words, bytes };
	int shown = lines + words + bytes, k = 0;
	for (int i = 0; i < 3; i++)
		if (want[i])
			fprintf(c->out, shown == 1 ? "%zu" : k++ ? " %7zu" : "%7zu", counts[i]);
	fputc('\n', c->out);
	return 0;
}

static const struct cli_command text_commands[] = {
	{ "head", 0, 2, "[-n N | -N]", "the first N lines of the input (10)",
	  cmd_head, CLI_FILTER, "-" },
	{ "tail", 0, 2, "[-n N | -n +N | -N]", "the last N lines (10), or from line N on",
	  cmd_tail, CLI_FILTER, "-" },
	{ "grep", 1, CLI_ANY, "[-v] [-i] [-c] [-n] [-E|-F] [-w] [-x] [-A|-B|-C N] PATTERN",
	  "the lines that match PATTERN (a regular expression)", cmd_grep, CLI_FILTER,
	  "-" },
	{ "wc", 0, 3, "[-l] [-w] [-c]", "count the input's lines, words and bytes",
	  cmd_wc, CLI_FILTER, "-" },
};

CLI_COMMAND_SET(cli_text_commands, "Filters for pipes: COMMAND | FILTER", "text", text_commands);
