/* engine.c — the scenario language (docs/scenario.md): lines, ';', comments,
 * quoting, pipes and redirections, repeat, task bodies and run.
 *
 * The engine knows no command: every word it runs is looked up in the
 * command tables (registry.c), its own repeat / task / run included.
 *
 *   line      := command (';' command)* ['#' comment]
 *   command   := stage ('|' filter)* [('>' | '>>') PATH]
 *   stage     := WORD WORD*     words split at blanks; '...' is literal,
 *                               "..." keeps \" \\ \$, a backslash escapes
 *
 * | and > are operators when a blank stands on either side of them
 * (dmesg | tail, echo 1 >/proc/...); inside a word they are characters,
 * so GFP_KERNEL|__GFP_ZERO is one word.
 * '#' starts a comment when it begins a word outside quotes, and the
 * comment runs to the end of the line, past any ';' (as in sh). Each
 * command advances the simulated clock by one jiffy (4 ms at HZ=250).
 *
 * Output: a command writes into a buffer that the engine hands on only in
 * whole lines, so an error never follows half a line; a long-running
 * command's complete lines go out as they accumulate. The error itself —
 * one line, "WHERE:LINE: message" — comes after them, on the error stream.
 * Errors in the scenario stop it (exit status 2); failures inside the
 * simulated kernel are part of the simulation and do not. */
#define _GNU_SOURCE	/* fopencookie */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <jansson.h>

#if defined(__SANITIZE_ADDRESS__)
#define MMSIM_HOST_HEAP_FROM_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MMSIM_HOST_HEAP_FROM_SANITIZER 1
#endif
#endif
#ifdef MMSIM_HOST_HEAP_FROM_SANITIZER
/* The sanitizer runtime's own count (sanitizer/allocator_interface.h, which GCC does not install). */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#include <mmsim/errno.h>

#include "cli/engine.h"
#include "cli/proc_json.h"
#include "cli/report.h"
#include "kernel/sched.h"
#include "mm.h"
#include "machine.h"

/* Complete lines held beyond this go out at once (not inside a pipe). */
#define OUTBUF_FLUSH_AT (64u << 10)

/* Set by the shell's SIGINT handler: stops a long repeat or run. */
volatile sig_atomic_t cli_interrupted;

/* A task's program: its commands, with repeat unrolled so each is one step. */
struct task_prog {
	char **lines;
	unsigned long *lineno;
	size_t n, cap, pc;
	bool resumed;			/* the current command blocked before */
	unsigned long wakeups_seen;	/* the task's wakeups before the step being run */
};

static int exec_command(struct cli *c, char *text);

/* ---- bounds ------------------------------------------------------------------ */

/*
 * The host heap in use: malloc's arenas and its own mmapped chunks. The
 * machine's RAM and struct pages are mapped apart (host_reserve) and do
 * not count. Under AddressSanitizer its allocator keeps the figure.
 */
static uint64_t host_heap_bytes(void)
{
#ifdef MMSIM_HOST_HEAP_FROM_SANITIZER
	return __sanitizer_get_current_allocated_bytes();
#else
	struct mallinfo2 mi = mallinfo2();
	return (uint64_t)mi.uordblks + mi.hblkhd;
#endif
}

/*
 * One more step against the budget, and now and then the host memory the
 * scenario made the simulator take: either exceeded is the scenario's
 * error, which stops it (exit status 2).
 */
static int take_step(struct cli *c)
{
	struct cli_engine *e = c->engine;

	if (++e->steps > e->max_steps)
		return cli_error(c, "the scenario ran past its budget of %" PRIu64 " steps (a runaway "
				 "repeat or run? --max-steps raises it)", e->max_steps);
	if (e->steps % CLI_HOST_MEM_CHECK_EVERY == 0) {
		uint64_t used = host_heap_bytes();
		if (used > e->host_mem_base && used - e->host_mem_base > e->host_mem_limit)
			return cli_error(c, "the simulator's own host memory grew past its limit of %" PRIu64
					 " MiB (--host-mem-limit raises it)", e->host_mem_limit >> 20);
	}
	return 0;
}

void cli_set_limits(struct cli *c, uint64_t max_steps, uint64_t host_mem_limit)
{
	if (max_steps)
		c->engine->max_steps = max_steps;
	if (host_mem_limit)
		c->engine->host_mem_limit = host_mem_limit;
}

void cli_reset_steps(struct cli *c)
{
	c->engine->steps = 0;
}

/* ---- errors ------------------------------------------------------------------ */

int cli_error(struct cli *c, const char *fmt, ...)
{
	struct cli_engine *e = c->engine;
	va_list ap;

	if (e->error[0])	/* the first error is the one to report */
		return 2;
	va_start(ap, fmt);
	vsnprintf(e->error, sizeof(e->error), fmt, ap);
	va_end(ap);
	/* One line: whatever a message quotes from the input stays on it. */
	for (char *p = e->error; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return 2;
}

int cli_usage(struct cli *c, const char *command)
{
	const struct cli_command *cmd = cli_command_find(command);

	if (!cmd)
		return cli_error(c, "unknown command '%s'", command);
	return cli_error(c, "usage: %s%s%s", cmd->name, *cmd->usage ? " " : "", cmd->usage);
}

static void print_error(struct cli_engine *e)
{
	fflush(e->out);
	fprintf(e->err, "%s:%lu: %s\n", e->where, e->line, e->error);
	fflush(e->err);
	e->error[0] = '\0';
}

/* ---- output buffers ------------------------------------------------------------ */

struct outbuf {
	char *buf;
	size_t len, cap;
	size_t limit;		/* bytes it may hold */
	bool overflow;
	FILE *through;		/* complete lines go on here once OUTBUF_FLUSH_AT is held */
};

/* Hand on the complete lines held (all of it with @partial_too). */
static void outbuf_drain(struct outbuf *b, bool partial_too)
{
	size_t n = b->len;

	if (!partial_too) {
		while (n && b->buf[n - 1] != '\n')
			n--;
	}
	if (!n || !b->through)
		return;
	fwrite(b->buf, 1, n, b->through);
	memmove(b->buf, b->buf + n, b->len - n);
	b->len -= n;
}

static ssize_t outbuf_write(void *cookie, const char *data, size_t n)
{
	struct outbuf *b = cookie;

	if (n > b->limit - b->len) {
		b->overflow = true;
		return -1;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		char *bigger = realloc(b->buf, cap);
		if (!bigger) {
			b->overflow = true;
			return -1;
		}
		b->buf = bigger;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	if (b->through && b->len >= OUTBUF_FLUSH_AT)
		outbuf_drain(b, false);
	return (ssize_t)n;
}

static FILE *outbuf_open(struct outbuf *b, FILE *through, size_t limit)
{
	static const cookie_io_functions_t io = { .write = outbuf_write };

	*b = (struct outbuf){ .limit = limit, .through = through };
	return fopencookie(b, "w", io);
}

static void outbuf_close(struct outbuf *b, FILE *f)
{
	if (f)
		fclose(f);
	free(b->buf);
}

/*
 * --json: a command that printed text becomes one document,
 * {"command": its line, "output": its text}, so that the scenario's
 * output stays a stream of JSON documents, one a line.
 */
static void json_wrap_output(FILE *out, const char *command, struct outbuf *b)
{
	/* Not UTF-8 (a program's bytes): U+FFFD for each such byte, as in proc documents. */
	json_t *text = proc_json_string(b->buf ? b->buf : "", b->len);
	const char *line = command + strspn(command, " \t");
	json_t *doc = json_pack("{s:o,s:o}", "command", proc_json_string(line, strlen(line)),
				"output", text);
	if (doc) {
		json_dumpf(doc, out, JSON_COMPACT | JSON_ENSURE_ASCII);
		fputc('\n', out);
		json_decref(doc);
	}
	b->len = 0;
}

/* ---- words ---------------------------------------------------------------------- */

static bool blank_or_end(char ch)
{
	return !ch || ch == ' ' || ch == '\t' || ch == '\r';
}

/*
 * Inside a word, | and > are characters (GFP_KERNEL|__GFP_ZERO); they are
 * operators where a blank or the end of the command follows them.
 */
static bool op_ends_word(const char *r)
{
	if (*r == '|')
		return blank_or_end(r[1]);
	if (*r == '>')
		return blank_or_end(r[1]) || (r[1] == '>' && blank_or_end(r[2]));
	return false;
}

/*
 * Split @text into words, written one after another into @scratch (as long
 * as @text plus one byte a word): quotes removed, escapes applied, and the
 * operators | > >> as words of their own, marked in @op. Returns 0, or 2
 * for an unclosed quote or too many words.
 */
static int split_words(struct cli *c, const char *text, char *scratch, char **argv, bool *op,
		       int *argc)
{
	const char *r = text;
	char *w = scratch;

	*argc = 0;
	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\r')
			r++;
		if (!*r)
			return 0;
		if (*argc == CLI_MAX_ARGS)
			return cli_error(c, "too many words in one command (at most %d)", CLI_MAX_ARGS);
		op[*argc] = *r == '|' || *r == '>';
		argv[(*argc)++] = w;
		if (op[*argc - 1]) {
			*w++ = *r;
			if (*r++ == '>' && *r == '>')
				*w++ = *r++;
			*w++ = '\0';
			continue;
		}
		while (*r && *r != ' ' && *r != '\t' && *r != '\r' && !op_ends_word(r)) {
			if (*r == '\'') {
				const char *close = strchr(r + 1, '\'');
				if (!close)
					return cli_error(c, "unterminated ' quote");
				memcpy(w, r + 1, (size_t)(close - r - 1));
				w += close - r - 1;
				r = close + 1;
			} else if (*r == '"') {
				for (r++; *r != '"'; r++) {
					if (!*r)
						return cli_error(c, "unterminated \" quote");
					if (*r == '\\' && (r[1] == '"' || r[1] == '\\' || r[1] == '$'))
						r++;
					*w++ = *r;
				}
				r++;
			} else if (*r == '\\' && r[1]) {
				*w++ = r[1];
				r += 2;
			} else {
				*w++ = *r++;
			}
		}
		*w++ = '\0';
	}
}

/*
 * Cut a line at its comment and at each ';' outside quotes, and give the
 * commands to @each until one fails. A '#' that begins a word starts the
 * comment. With @each NULL, only check the quotes: a line with an open
 * quote runs none of its commands.
 */
static int scan_commands(struct cli *c, char *line, int (*each)(struct cli *, char *))
{
	char quote = 0, *start = line;

	for (char *p = line;; p++) {
		if (quote) {
			if (!*p)
				return cli_error(c, "unterminated %c quote", quote);
			if (*p == quote)
				quote = 0;
			else if (quote == '"' && *p == '\\' && p[1])
				p++;
			continue;
		}
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
			continue;
		}
		bool comment = *p == '#' && (p == line || strchr(" \t\r;", p[-1]));
		if (*p && *p != ';' && !comment)
			continue;
		if (!each) {
			if (!*p || comment)
				return 0;
			continue;
		}
		char end = *p;
		*p = '\0';
		int rc = each(c, start);
		if (rc || !end || comment)
			return rc;
		start = p + 1;
	}
}

static int for_each_command(struct cli *c, char *line, int (*each)(struct cli *, char *))
{
	int rc = scan_commands(c, line, NULL);

	return rc ? rc : scan_commands(c, line, each);
}

/* ---- running one command ------------------------------------------------------- */

static bool blank(const char *s)
{
	return !s[strspn(s, " \t\r")];
}

static int check_args(struct cli *c, const struct cli_command *cmd, int argc)
{
	int n = argc - 1;

	if (n < cmd->min_args || (cmd->max_args != CLI_ANY && n > cmd->max_args))
		return cli_usage(c, cmd->name);
	return 0;
}

/* Send a command's output to a file a scenario may write: a sysctl, /dev/kmsg, /dev/null. */
static int write_target(struct cli *c, const char *cmd, const char *path, const char *text,
			size_t len)
{
	if (!strcmp(path, "/dev/null"))
		return 0;
	if (memchr(text, '\0', len))
		return cli_error(c, "%s: write error: Invalid argument", cmd);
	if (!strcmp(path, "/dev/kmsg")) {
		for (const char *p = text; p < text + len;) {
			const char *nl = memchr(p, '\n', (size_t)(text + len - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
			char *line = strndup(p, n);
			if (!line)
				return cli_error(c, "out of host memory");
			mmsim_kmsg_write(c->m, line);
			free(line);
			p += n + (nl != NULL);
		}
		return 0;
	}
	char *value = strndup(text, len);
	char real[512];
	if (!value)
		return cli_error(c, "out of host memory");
	if (cli_proc_path(c, path, real, sizeof(real))) {
		free(value);
		return cli_error(c, "%s: File name too long", path);
	}
	int rc = mmsim_proc_write(c->m, real, value);
	free(value);
	if (rc == -MMSIM_ENOENT && strncmp(path, "/proc/", 6))
		return cli_error(c, "%s: cannot write here (a scenario writes /proc/sys/vm/*, "
				 "/dev/kmsg and /dev/null)", path);
	if (rc == -MMSIM_ENOENT)
		return cli_error(c, "%s: No such file or directory", path);
	if (rc == -MMSIM_EACCES)
		return cli_error(c, "%s: Permission denied", path);
	if (rc)
		return cli_error(c, "%s: write error: %s", cmd, mmsim_strerror(-rc));
	return 0;
}

/* One stage: the command's words, its input, and where its output goes. */
static int run_stage(struct cli *c, int k, char **words, int n, const char *input,
		     size_t input_len)
{
	const struct cli_command *cmd = cli_command_find(words[0]);
	int rc;

	if (!cmd && strpbrk(words[0], "|>"))
		return cli_error(c, "unknown command '%s' (a pipe or redirection needs a blank beside "
				 "its | or >: dmesg | tail)", words[0]);
	if (!cmd)
		return cli_error(c, "unknown command '%s' (try help)", words[0]);
	if (k > 0 && !(cmd->flags & CLI_FILTER))
		return cli_error(c, "%s does not read its input: after '|' come filters (head, "
				 "tail, grep, wc)", cmd->name);
	if (k == 0 && (cmd->flags & CLI_FILTER))
		return cli_error(c, "%s filters the output of a command: COMMAND | %s ...", cmd->name,
				 cmd->name);
	if (cmd->flags & CLI_RAW)
		return cli_error(c, "%s cannot be part of a pipe or a redirection", cmd->name);
	if ((rc = check_args(c, cmd, n)))
		return rc;
	words[n] = NULL;
	c->input = input;
	c->input_len = input_len;
	rc = cmd->run(c, n, words);
	c->input = NULL;
	c->input_len = 0;
	/* Between commands the machine reaches a scheduling point: a woken kswapd runs. */
	if (c->m)
		kswapd_run_pending(c->m);
	if (c->report)
		report_tick(c->report);
	return rc;
}

/*
 * Run a command's stages: each one's output is the next one's input; the
 * last writes to c->out, or to the redirection's target.
 */
static int exec_stages(struct cli *c, char **argv, bool *op, int argc)
{
	const char *target = NULL;
	struct outbuf held[2] = { { 0 }, { 0 } };
	const char *input = NULL;
	size_t input_len = 0;
	int rc = 0;

	/* A redirection ends the command: "> PATH". */
	for (int i = 0; i < argc; i++)
		if (op[i] && argv[i][0] == '>') {
			if (i + 2 != argc || op[i + 1])
				return cli_error(c, "'%s' takes one path, at the end of the command",
						 argv[i]);
			target = argv[i + 1];
			argc = i;
			break;
		}
	for (int k = 0, begin = 0; begin <= argc && !rc; k++) {
		int end = begin;
		while (end < argc && !op[end])
			end++;
		bool last = end == argc;
		if (end == begin) {
			rc = cli_error(c, "a pipe needs a command on each side of '|'");
			break;
		}
		struct outbuf *b = &held[k & 1];
		FILE *saved = c->out, *f = NULL;
		if (!last || target) {
			free(b->buf);
			if (!(f = outbuf_open(b, NULL, CLI_MAX_PIPE_BYTES))) {
				rc = cli_error(c, "out of host memory");
				break;
			}
			c->out = f;
		}
		c->json_out = c->json && last && !target;
		rc = run_stage(c, k, argv + begin, end - begin, input, input_len);
		c->json_out = false;
		if (f) {
			fflush(f);
			c->out = saved;
			if (b->overflow && !rc)
				rc = cli_error(c, "%s: more than %u MiB of output, too much to hold for "
					       "a pipe", argv[begin], CLI_MAX_PIPE_BYTES >> 20);
			fclose(f);
			input = b->buf ? b->buf : "";
			input_len = b->len;
		}
		if (last) {
			if (target && !rc)
				rc = write_target(c, argv[begin], target, input, input_len);
			break;
		}
		begin = end + 1;
	}
	free(held[0].buf);
	free(held[1].buf);
	return rc;
}

/* One command: a stage, its filters and redirection (no ';'). */
static int exec_command(struct cli *c, char *text)
{
	char *argv[CLI_MAX_ARGS + 1];
	bool op[CLI_MAX_ARGS + 1];
	int argc, rc;

	text += strspn(text, " \t\r");
	if (!*text)
		return 0;
	if (cli_interrupted)
		return cli_error(c, "interrupted");
	if ((rc = take_step(c)))
		return rc;
	/* A command is one jiffy of kernel work on the current CPU. */
	account_system_tick(c->m);
	/* A raw command (repeat) takes the rest of its line as it is. */
	size_t wlen = strcspn(text, " \t\r");
	const struct cli_command *cmd = NULL;
	char word[32];
	if (wlen < sizeof(word)) {
		memcpy(word, text, wlen);
		word[wlen] = '\0';
		cmd = cli_command_find(word);
	}
	if (cmd && (cmd->flags & CLI_RAW)) {
		char *rest = text + wlen + strspn(text + wlen, " \t\r");
		char *raw_argv[3] = { (char *)cmd->name, rest, NULL };
		if (!*rest)
			return cli_usage(c, cmd->name);
		return cmd->run(c, 2, raw_argv);
	}
	size_t len = strlen(text);
	if (len > CLI_MAX_LINE)
		return cli_error(c, "a command longer than %u bytes", CLI_MAX_LINE);
	char *scratch = malloc(2 * len + 2);
	if (!scratch)
		return cli_error(c, "out of host memory");
	rc = split_words(c, text, scratch, argv, op, &argc);
	if (!rc && argc)
		rc = exec_stages(c, argv, op, argc);
	free(scratch);
	return rc;
}

/* A top-level command: its output in whole lines, then its error if any. */
static int run_toplevel(struct cli *c, char *text)
{
	struct cli_engine *e = c->engine;
	struct outbuf b;

	if (blank(text))
		return 0;
	/* --json holds the whole output (bounded): it may have to become one document. */
	FILE *f = outbuf_open(&b, c->json ? NULL : e->out, c->json ? CLI_MAX_PIPE_BYTES : SIZE_MAX);
	if (!f) {
		cli_error(c, "out of host memory");
		print_error(e);
		return 2;
	}
	FILE *saved = c->out;
	c->out = f;
	c->wrote_json = false;
	int rc = exec_command(c, text);
	if (rc == CLI_BLOCKED)		/* only tasks block; the top level cannot */
		rc = cli_error(c, "nothing can wake the top level");
	fflush(f);
	c->out = saved;
	if (c->json && b.overflow && (rc == 0 || rc == CLI_EXIT))
		rc = cli_error(c, "more than %u MiB of output, too much to hold for one JSON document",
			       CLI_MAX_PIPE_BYTES >> 20);
	if (c->json) {
		b.through = e->out;
		if (!c->wrote_json && b.len)
			json_wrap_output(e->out, text, &b);
	}
	outbuf_drain(&b, rc == 0 || rc == CLI_EXIT);
	outbuf_close(&b, f);
	fflush(e->out);
	if (rc && rc != CLI_EXIT)
		print_error(e);
	return rc;
}

/* ---- repeat ------------------------------------------------------------------------ */

/* "N COMMAND" after the word repeat: the count (at most max) and the command. */
static int parse_repeat(struct cli *c, const char *rest, unsigned long max, uint64_t *n,
			const char **body)
{
	char count[32];
	size_t len = strcspn(rest, " \t");

	if (!len || len >= sizeof(count) || !rest[len])
		return cli_usage(c, "repeat");
	memcpy(count, rest, len);
	count[len] = '\0';
	*body = rest + len + strspn(rest + len, " \t");
	if (!**body)
		return cli_usage(c, "repeat");
	return cli_number(c, count, "repeat count", max, n);
}

/* The command with each "$i" replaced by i, in a new string (NULL: too long / no memory). */
static char *expand_repeat(const char *body, uint64_t i)
{
	char num[24];
	size_t dollars = 0, nlen = (size_t)snprintf(num, sizeof(num), "%llu", (unsigned long long)i);

	for (const char *p = body; (p = strstr(p, "$i")); p += 2)
		dollars++;
	size_t len = strlen(body) + dollars * nlen + 1;
	if (len > CLI_MAX_LINE)
		return NULL;
	char *out = malloc(len), *o = out;
	if (!out)
		return NULL;
	for (const char *p = body; *p;) {
		if (p[0] == '$' && p[1] == 'i') {
			memcpy(o, num, nlen);
			o += nlen;
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* repeat N COMMAND: "$i" in COMMAND becomes 0, 1, ... N-1. */
static int cmd_repeat(struct cli *c, int argc, char **argv)
{
	struct cli_engine *e = c->engine;
	uint64_t n;
	const char *body;
	int rc;

	(void)argc;
	if ((rc = parse_repeat(c, argv[1], CLI_MAX_REPEAT, &n, &body)))
		return rc;
	if (e->depth >= 8)
		return cli_error(c, "repeat nested more than 8 deep");
	e->depth++;
	for (uint64_t i = 0; i < n && !rc; i++) {
		char *cmd = expand_repeat(body, i);
		rc = cmd ? exec_command(c, cmd)
			 : cli_error(c, "the repeated command is longer than %u bytes", CLI_MAX_LINE);
		free(cmd);
	}
	e->depth--;
	return rc;
}

/* ---- tasks ---------------------------------------------------------------------------- */

static void prog_free(struct task_prog *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	free(p->lineno);
	free(p);
}

static int prog_add(struct cli *c, struct task_prog *p, const char *line)
{
	int rc;

	/* Unrolling costs host memory as running does: it counts against the same budget. */
	if ((rc = take_step(c)))
		return rc;
	if (p->n >= CLI_MAX_TASK_STEPS)
		return cli_error(c, "a task body has more than %lu steps", CLI_MAX_TASK_STEPS);
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		char **lines = realloc(p->lines, cap * sizeof(*lines));
		if (lines)
			p->lines = lines;
		unsigned long *nos = lines ? realloc(p->lineno, cap * sizeof(*nos)) : NULL;
		if (!lines || !nos)
			return cli_error(c, "out of host memory for a task");
		p->lineno = nos;
		p->cap = cap;
	}
	if (!(p->lines[p->n] = strdup(line)))
		return cli_error(c, "out of host memory for a task");
	p->lineno[p->n++] = c->engine->line;
	return 0;
}

/* One command of a task body: a step, or with repeat one step per iteration. */
static int collect_command(struct cli *c, char *cmd)
{
	struct task_prog *p = c->engine->collecting;

	cmd += strspn(cmd, " \t\r");
	if (blank(cmd))
		return 0;
	if (strncmp(cmd, "repeat", 6) || (cmd[6] != ' ' && cmd[6] != '\t'))
		return prog_add(c, p, cmd);
	uint64_t n;
	const char *body;
	int rc = parse_repeat(c, cmd + 7 + strspn(cmd + 7, " \t"), CLI_MAX_TASK_STEPS, &n, &body);
	for (uint64_t i = 0; i < n && !rc; i++) {
		char *expanded = expand_repeat(body, i);
		rc = expanded ? prog_add(c, p, expanded)
			      : cli_error(c, "the repeated command is too long");
		free(expanded);
	}
	return rc;
}

/* task NAME {: the lines up to "}" are the task's program. */
static int cmd_task(struct cli *c, int argc, char **argv)
{
	struct cli_engine *e = c->engine;

	if (argc != 3 || strcmp(argv[2], "{"))
		return cli_usage(c, "task");
	if (e->in_run)
		return cli_error(c, "a task cannot define another task");
	if (strlen(argv[1]) >= TASK_COMM_LEN)
		return cli_error(c, "task name '%s' is longer than %d characters", argv[1],
				 TASK_COMM_LEN - 1);
	if (task_find(c->m, argv[1]))
		return cli_error(c, "task '%s' already exists", argv[1]);
	if (e->nr_tasks >= CLI_MAX_TASKS)
		return cli_error(c, "too many tasks (at most %d)", CLI_MAX_TASKS);
	struct task_prog *p = calloc(1, sizeof(*p));
	struct task_struct *t = p ? kthread_create(c->m, argv[1], p) : NULL;
	if (!t) {
		free(p);
		return cli_error(c, "out of host memory");
	}
	e->nr_tasks++;
	e->collecting = p;
	e->collecting_task = t;
	e->collect_line = e->line;
	return 0;
}

/* Which tasks did the step just run wake? */
static void report_wakeups(struct cli *c, struct task_struct *runner, const char *step)
{
	for (struct task_struct *o = NULL; (o = next_task(c->m, o));) {
		struct task_prog *q = o->owner_data;
		/* Processes (no program of the engine's) are not woken by steps. */
		if (q && o != runner && o->wakeups != q->wakeups_seen && o->state == TASK_RUNNING)
			fprintf(c->out, "[%s] %s: wakes %s\n", runner->comm, step, o->comm);
	}
}

/*
 * run: let the tasks run to completion, one command per scheduling step,
 * the next task drawn from the seed. A task whose command must sleep is
 * retried from that command once woken. Tasks that can never wake are
 * reported as the hung-task detector would.
 */
static int cmd_run(struct cli *c, int argc, char **argv)
{
	struct cli_engine *e = c->engine;
	struct machine *m = c->m;
	struct sched_state *ss = m->sched;
	unsigned long steps = 0, switches = ss->switches, line = e->line;
	int rc = 0, finished = 0;

	(void)argc;
	(void)argv;
	if (e->in_run)
		return cli_error(c, "run cannot be nested in a task");
	e->in_run = true;
	while (steps < CLI_MAX_RUN_STEPS && !rc) {
		struct task_struct *t = pick_next_task(m);
		if (!t)
			break;
		if (cli_interrupted) {
			rc = cli_error(c, "interrupted");
			break;
		}
		struct task_prog *p = t->owner_data;
		switch_to(m, t);
		e->line = p->lineno[p->pc];
		e->resumed = p->resumed;
		for (struct task_struct *o = NULL; (o = next_task(m, o));)
			if (o->owner_data)
				((struct task_prog *)o->owner_data)->wakeups_seen = o->wakeups;
		char *cmd = strdup(p->lines[p->pc]);
		if (!cmd) {
			rc = cli_error(c, "out of host memory");
			break;
		}
		const char *step = p->lines[p->pc];
		rc = exec_command(c, cmd);
		free(cmd);
		steps++;
		if (rc == CLI_BLOCKED) {
			fprintf(c->out, "[%s] %s: sleeps (%s)\n", t->comm, step,
				t->waiting_on ? t->waiting_on : "?");
			p->resumed = true;
			rc = 0;
			continue;
		}
		if (rc)
			break;
		if (p->resumed && strncmp(step, "msleep", 6))
			fprintf(c->out, "[%s] %s: woken, retried, done\n", t->comm, step);
		p->resumed = false;
		report_wakeups(c, t, step);
		if (++p->pc == p->n) {
			fprintf(c->out, "[%s] exits\n", t->comm);
			/* Its program goes with it: the task is reaped at once. */
			t->owner_data = NULL;
			prog_free(p);
			task_exit(m, t);
			finished++;
		}
	}
	e->in_run = false;
	e->resumed = false;
	switch_to(m, &ss->init_task);
	if (rc)
		return rc;
	e->line = line;
	/* Whoever is left can never wake: nothing else runs. */
	unsigned int blocked = check_hung_uninterruptible_tasks(m);
	for (struct task_struct *t = NULL; blocked && (t = next_task(m, t));)
		if (t->state == TASK_UNINTERRUPTIBLE)
			fprintf(c->out, "run: task %s is blocked forever (deadlock)\n", t->comm);
	if (steps >= CLI_MAX_RUN_STEPS)
		fprintf(c->out, "run: stopped after %lu steps\n", steps);
	fprintf(c->out, "run: %d task%s finished, %u blocked, %lu steps, %lu context switches\n",
		finished, finished == 1 ? "" : "s", blocked, steps, ss->switches - switches);
	return 0;
}

/* exit [STATUS]: the rest of the input is not run. */
static int cmd_exit(struct cli *c, int argc, char **argv)
{
	uint64_t status = 0;
	int rc;

	if (argc > 1 && (rc = cli_number(c, argv[1], "exit status", 255, &status)))
		return rc;
	if (c->engine->in_run)
		return cli_error(c, "exit: a task cannot end the scenario (it exits at its last step)");
	c->engine->exit_status = (int)status;
	return CLI_EXIT;
}

bool cli_in_task(struct cli *c)
{
	return c->engine->in_run;
}

bool cli_resumed(struct cli *c)
{
	return c->engine->resumed;
}

static const struct cli_command language_commands[] = {
	{ "repeat", 2, CLI_ANY, "N COMMAND", "run COMMAND N times; $i in it counts 0 .. N-1",
	  cmd_repeat, CLI_RAW, "-m" },
	{ "task", 2, 2, "NAME {", "define a kernel task: its commands follow, then a line with }",
	  cmd_task, 0, "-" },
	{ "run", 0, 0, "", "run the defined tasks to completion, interleaved by the seed",
	  cmd_run, 0, "-" },
	{ "exit", 0, 1, "[STATUS]", "stop here: the scenario (or the shell) ends with STATUS (0)",
	  cmd_exit, 0, "-" },
};

CLI_COMMAND_SET(cli_language_commands, "Repeating and tasks", "language", language_commands);

/* ---- lines ---------------------------------------------------------------------------- */

struct cli *cli_new(struct machine *m, FILE *out, FILE *err)
{
	struct cli *c = calloc(1, sizeof(*c));
	struct cli_engine *e = calloc(1, sizeof(*e));

	if (!c || !e) {
		free(c);
		free(e);
		return NULL;
	}
	c->m = m;
	c->out = out;
	c->engine = e;
	e->out = out;
	e->err = err;
	e->where = "-";
	e->max_steps = CLI_DEFAULT_MAX_STEPS;
	e->host_mem_limit = CLI_DEFAULT_HOST_MEM;
	e->host_mem_base = host_heap_bytes();
	names_init(&e->names, sizeof(struct cli_name));
	return c;
}

void cli_free(struct cli *c)
{
	if (!c)
		return;
	if (c->m->sched)
		for (struct task_struct *t = NULL; (t = next_task(c->m, t));) {
			prog_free(t->owner_data);
			t->owner_data = NULL;
		}
	cli_names_release(c);
	cli_report_stop(c);
	free(c->engine);
	free(c);
}

bool cli_collecting(const struct cli *c)
{
	return c->engine->collecting != NULL;
}

int cli_run_line(struct cli *c, const char *where, unsigned long lineno, const char *text)
{
	struct cli_engine *e = c->engine;
	char *line = strdup(text);
	int rc;

	e->where = where;
	e->line = lineno;
	if (!line) {
		cli_error(c, "out of host memory");
		print_error(e);
		return 2;
	}
	if (e->collecting) {
		char *t = line + strspn(line, " \t\r");
		bool closing = t[0] == '}' && (!t[1] || strchr(" \t\r#", t[1]));
		char *rest = closing ? t + 1 + strspn(t + 1, " \t\r") : NULL;
		if (closing && *rest && *rest != '#') {
			rc = cli_error(c, "nothing may follow the } that closes a task body");
		} else if (closing) {
			struct task_prog *p = e->collecting;
			e->collecting = NULL;
			if (p->n) {
				wake_up_new_task(c->m, e->collecting_task);
			} else {
				/* An empty body: the task exits at once, its program with it. */
				e->collecting_task->owner_data = NULL;
				prog_free(p);
				task_exit(c->m, e->collecting_task);
			}
			e->collecting_task = NULL;
			rc = 0;
		} else {
			rc = for_each_command(c, line, collect_command);
		}
		if (rc && rc != CLI_EXIT)
			print_error(e);
	} else {
		rc = for_each_command(c, line, run_toplevel);
		/* An error of the line itself (a quote left open) is printed here. */
		if (rc && e->error[0])
			print_error(e);
	}
	free(line);
	return rc;
}

int cli_finish(struct cli *c)
{
	struct cli_engine *e = c->engine;

	if (!e->collecting)
		return 0;
	e->line = e->collect_line;
	cli_error(c, "task body is not closed with '}'");
	print_error(e);
	return 2;
}

int cli_run_text(struct cli *c, const char *where, const char *text)
{
	unsigned long lineno = 0;
	int rc = 0;

	cli_reset_steps(c);	/* the budget is the scenario's */
	while (*text && !rc) {
		size_t len = strcspn(text, "\n");
		char *line = strndup(text, len);
		if (!line) {
			c->engine->where = where;
			cli_error(c, "out of host memory");
			print_error(c->engine);
			return 2;
		}
		rc = cli_run_line(c, where, ++lineno, line);
		free(line);
		text += len;
		if (*text)
			text++;
	}
	if (rc == CLI_EXIT)
		rc = c->engine->exit_status;
	else if (!rc)
		rc = cli_finish(c);
	fflush(c->engine->out);
	return rc;
}
