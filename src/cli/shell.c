/* shell.c — the interactive shell: `mmsim` on a terminal, or `mmsim shell`.
 *
 * Lines are read with libedit (line editing, history, Tab completion) and
 * run by the scenario engine one at a time, as a script's lines are; an
 * error is reported and the shell goes on, the machine as the command
 * left it. Tab completes command names, and each command's arguments from
 * its table's completion letters: the scenario's names, /proc paths a
 * directory at a time, sysctl keys, slab caches, GFP flags. History lives
 * in $HOME/.mmsim_history. Ctrl-C stops a long repeat or run; Ctrl-D or
 * `exit` leaves. */
#define _GNU_SOURCE	/* getline */
#include <ctype.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include <mmsim/machine.h>

#include "cli/engine.h"
#include "cli/shell.h"

#define HISTORY_LINES 1000

extern volatile sig_atomic_t cli_interrupted;

/* Completion runs inside readline, which passes no context: the shell's own. */
static struct cli *shell_cli;

/* ---- completion ------------------------------------------------------------------ */

/* Candidates for the word being completed, collected once per Tab. */
static struct {
	char **words;
	size_t n, cap, next;
} cands;

static void cands_reset(void)
{
	for (size_t i = 0; i < cands.n; i++)
		free(cands.words[i]);
	cands.n = cands.next = 0;
}

/* Offer @word (its first @len bytes) if it starts with @prefix and is new. */
static void offer(const char *prefix, const char *word, size_t len)
{
	if (strncmp(word, prefix, strlen(prefix)) || len < strlen(prefix))
		return;
	for (size_t i = 0; i < cands.n; i++)
		if (strlen(cands.words[i]) == len && !strncmp(cands.words[i], word, len))
			return;
	if (cands.n == cands.cap) {
		size_t cap = cands.cap ? cands.cap * 2 : 64;
		char **bigger = realloc(cands.words, cap * sizeof(*bigger));
		if (!bigger)
			return;
		cands.words = bigger;
		cands.cap = cap;
	}
	char *copy = strndup(word, len);
	if (copy)
		cands.words[cands.n++] = copy;
}

static void offer_commands(const char *prefix)
{
	for (size_t s = 0; s < nr_cli_command_sets; s++)
		for (size_t i = 0; i < cli_command_sets[s]->nr_commands; i++) {
			const char *name = cli_command_sets[s]->commands[i].name;
			offer(prefix, name, strlen(name));
		}
}

/* /proc paths, a directory at a time: "/proc/s" offers /proc/slabinfo, /proc/stat, /proc/sys/. */
static void offer_paths(const char *prefix)
{
	size_t i = 0, plen = strlen(prefix);
	const char *p;

	while ((p = mmsim_proc_path(shell_cli->m, &i, NULL))) {
		if (strncmp(p, prefix, plen))
			continue;
		const char *slash = strchr(p + plen, '/');
		offer(prefix, p, slash ? (size_t)(slash + 1 - p) : strlen(p));
	}
}

static void offer_sysctls(const char *prefix)
{
	size_t i = 0;
	const char *p;

	while ((p = mmsim_proc_path(shell_cli->m, &i, NULL))) {
		char key[256];
		if (strncmp(p, "/proc/sys/", 10) || strlen(p + 10) >= sizeof(key))
			continue;
		snprintf(key, sizeof(key), "%s", p + 10);
		for (char *k = key; *k; k++)
			if (*k == '/')
				*k = '.';
		offer(prefix, key, strlen(key));
	}
}

static void offer_names(const char *prefix)
{
	const char *name;
	struct cli_name *n;

	for (size_t i = 0; cli_name_next(shell_cli, &i, &name, &n);)
		offer(prefix, name, strlen(name));
}

/* The caches, as /proc/slabinfo names them. */
static void offer_caches(const char *prefix)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	mmsim_proc_read(shell_cli->m, "/proc/slabinfo", f);
	fclose(f);
	for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (*line != '#' && strncmp(line, "slabinfo", 8))
			offer(prefix, line, strcspn(line, " \n"));
	free(text);
}

static void offer_gfp(const char *prefix)
{
	const char *name;

	for (size_t i = 0; (name = mmsim_gfp_name(i)); i++)
		offer(prefix, name, strlen(name));
}

/*
 * The words of the command before the cursor: from the last ';' or pipe
 * '|' (a '|' between two parts of a word, as in GFP_KERNEL|__GFP_ZERO, is
 * not one) to @start.
 */
static int words_before(const char *line, int start, char words[][64], int max)
{
	int from = 0, n = 0;

	for (int i = 0; i < start; i++) {
		bool in_word = i > 0 && (isalnum((unsigned char)line[i - 1]) || line[i - 1] == '_') &&
			       (isalnum((unsigned char)line[i + 1]) || line[i + 1] == '_');
		if (line[i] == ';' || (line[i] == '|' && !in_word))
			from = i + 1;
	}
	for (int i = from; i < start && n < max;) {
		while (i < start && (line[i] == ' ' || line[i] == '\t'))
			i++;
		int w = i;
		while (i < start && line[i] != ' ' && line[i] != '\t')
			i++;
		if (i > w && i < start) {
			snprintf(words[n++], 64, "%.*s", i - w, line + w);
		}
	}
	return n;
}

static char *generator(const char *text, int state)
{
	(void)text;
	(void)state;
	return cands.next < cands.n ? strdup(cands.words[cands.next++]) : NULL;
}

static char **complete(const char *text, int start, int end)
{
	char words[16][64];
	/* The whole word, of which readline hands over what follows a '|' (GFP flags). */
	int word_start = start;
	while (word_start > 0 && !strchr(" \t;", rl_line_buffer[word_start - 1]) &&
	       !(rl_line_buffer[word_start - 1] == '|' && (word_start < 2 ||
							   rl_line_buffer[word_start - 2] == ' ')))
		word_start--;
	int n = words_before(rl_line_buffer, word_start, words, 16);

	(void)end;
	rl_attempted_completion_over = 1;	/* no fallback to file names */
	cands_reset();
	/* repeat N COMMAND ...: complete COMMAND and its arguments. */
	int first = 0;
	while (n - first >= 2 && !strcmp(words[first], "repeat"))
		first += 2;
	if (n == first) {
		offer_commands(text);
	} else {
		const struct cli_command *cmd = cli_command_find(words[first]);
		const char *letters = cmd && cmd->complete ? cmd->complete : "-";
		size_t arg = (size_t)(n - first - 1), len = strlen(letters);
		switch (letters[arg < len ? arg : len - 1]) {
		case 'n': offer_names(text); break;
		case 'p': offer_paths(text); break;
		case 's': offer_sysctls(text); break;
		case 'c': offer_caches(text); break;
		case 'g': offer_gfp(text); break;
		case 'm': offer_commands(text); break;
		}
	}
	/* A directory is not finished: no space after it. */
	rl_completion_append_character =
		cands.n == 1 && cands.words[0][strlen(cands.words[0]) - 1] == '/' ? '\0' : ' ';
	return cands.n ? rl_completion_matches(text, generator) : NULL;
}

/* ---- the loop ----------------------------------------------------------------------- */

static void on_sigint(int sig)
{
	(void)sig;
	cli_interrupted = 1;
}

static char *history_path(void)
{
	const char *home = getenv("HOME");
	char *path;

	if (!home || !*home || asprintf(&path, "%s/.mmsim_history", home) < 0)
		return NULL;
	return path;
}

int cli_shell(struct cli *c, const struct machine_desc *desc)
{
	bool tty = isatty(STDIN_FILENO);
	char *hist = tty ? history_path() : NULL;
	unsigned long lineno = 0;
	bool eof = true;
	int rc = 0;

	shell_cli = c;
	struct sigaction sa = { .sa_handler = on_sigint };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	if (tty) {
		rl_readline_name = "mmsim";
		rl_attempted_completion_function = complete;
		rl_completer_word_break_characters = (char *)" \t\n;|";
		using_history();
		stifle_history(HISTORY_LINES);
		if (hist)
			read_history(hist);
		printf("mmsim %s: %s, %" PRIu64 " MiB, %u CPU%s, %s. 'help' lists the commands; "
		       "Ctrl-D or 'exit' leaves.\n", MMSIM_VERSION,
		       desc->arch == MMSIM_ARCH_I386 ? "i386" : "x86_64", desc->mem_bytes >> 20,
		       desc->nr_cpus, desc->nr_cpus == 1 ? "" : "s", desc->profile);
		fflush(stdout);
	}
	for (;;) {
		char *line = NULL;
		if (tty) {
			line = readline(cli_collecting(c) ? "> " : "mmsim> ");
		} else {
			size_t cap = 0;
			if (getline(&line, &cap, stdin) < 0) {
				free(line);
				line = NULL;
			} else {
				line[strcspn(line, "\n")] = '\0';
			}
		}
		if (!line)
			break;
		if (tty && line[strspn(line, " \t")])
			add_history(line);
		cli_interrupted = 0;
		cli_reset_steps(c);
		int r = cli_run_line(c, "mmsim", ++lineno, line);
		free(line);
		cli_interrupted = 0;
		if (r == CLI_EXIT) {
			rc = c->engine->exit_status;
			eof = false;
			break;
		}
	}
	if (tty && eof)
		putchar('\n');	/* after the prompt Ctrl-D left */
	if (cli_finish(c) && !rc)
		rc = 2;
	if (hist)
		write_history(hist);
	free(hist);
	cands_reset();
	free(cands.words);
	return rc;
}
