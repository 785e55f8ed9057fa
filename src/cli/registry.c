/* registry.c — every command set in one array, and what is made from it:
 * lookup, `help`, `mmsim --list-commands`, the command sections of the man
 * page and of docs/scenario.md.
 *
 * Adding a subsystem's commands is one file with its table and one line
 * here. At start-up cli_registry_check() refuses a name two tables define,
 * so no command can silently hide another. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli/engine.h"

/*
 * Every command set, in the order `help`, the man page and the documents
 * present them. A new subsystem's commands are one file with its table
 * (CLI_COMMAND_SET(cli_NAME_commands, ...)) and one line here.
 */
#define CLI_COMMAND_SETS(X)		\
	X(cli_proc_commands)		\
	X(cli_procps_commands)		\
	X(cli_ps_commands)		\
	X(cli_page_alloc_commands)	\
	X(cli_cma_commands)		\
	X(cli_slab_commands)		\
	X(cli_mmu_commands)		\
	X(cli_vmalloc_commands)		\
	X(cli_highmem_commands)		\
	X(cli_process_commands)		\
	X(cli_swap_commands)		\
	X(cli_dma_commands)		\
	X(cli_task_commands)		\
	X(cli_verify_commands)		\
	X(cli_report_commands)		\
	X(cli_language_commands)	\
	X(cli_text_commands)		\
	X(cli_help_commands)

#define DECLARE_SET(set) extern const struct cli_command_set set;
CLI_COMMAND_SETS(DECLARE_SET)
#define LIST_SET(set) &set,
const struct cli_command_set *const cli_command_sets[] = { CLI_COMMAND_SETS(LIST_SET) };
const size_t nr_cli_command_sets = sizeof(cli_command_sets) / sizeof(cli_command_sets[0]);

/* Every command, sorted by name, for bsearch (built on first use). */
static const struct cli_command **sorted;
static size_t nr_sorted;

static int cmp_command(const void *a, const void *b)
{
	return strcmp((*(const struct cli_command *const *)a)->name,
		      (*(const struct cli_command *const *)b)->name);
}

static int build_index(void)
{
	size_t n = 0;

	for (size_t s = 0; s < nr_cli_command_sets; s++)
		n += cli_command_sets[s]->nr_commands;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -1;
	for (size_t s = 0; s < nr_cli_command_sets; s++)
		for (size_t i = 0; i < cli_command_sets[s]->nr_commands; i++)
			sorted[nr_sorted++] = &cli_command_sets[s]->commands[i];
	qsort(sorted, nr_sorted, sizeof(*sorted), cmp_command);
	return 0;
}

const struct cli_command *cli_command_find(const char *name)
{
	if (!sorted && build_index())
		return NULL;
	struct cli_command key = { .name = name };
	const struct cli_command *k = &key;
	const struct cli_command **hit = bsearch(&k, sorted, nr_sorted, sizeof(*sorted), cmp_command);

	return hit ? *hit : NULL;
}

int cli_registry_check(FILE *err)
{
	int bad = 0;

	if (!sorted && build_index()) {
		fprintf(err, "mmsim: out of memory for the command table\n");
		return -1;
	}
	for (size_t i = 0; i < nr_sorted; i++) {
		const struct cli_command *c = sorted[i];
		if (i && !strcmp(sorted[i - 1]->name, c->name)) {
			fprintf(err, "mmsim: command '%s' is defined twice\n", c->name);
			bad++;
		}
		if (!c->run || !c->usage || !c->help || !*c->help || c->min_args < 0 ||
		    (c->max_args != CLI_ANY && c->max_args < c->min_args)) {
			fprintf(err, "mmsim: command '%s' has an incomplete table entry\n", c->name);
			bad++;
		}
		for (const char *p = c->name; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '_') {
				fprintf(err, "mmsim: command name '%s' is not a word\n", c->name);
				bad++;
				break;
			}
	}
	return bad ? -1 : 0;
}

/* ---- what is made from the tables ---------------------------------------------- */

void cli_list_commands(FILE *out)
{
	if (!sorted && build_index())
		return;
	for (size_t i = 0; i < nr_sorted; i++)
		fprintf(out, "%s\n", sorted[i]->name);
}

/* "alloc_pages NAME GFP ORDER" */
static void synopsis(FILE *out, const struct cli_command *c)
{
	fprintf(out, "%s%s%s", c->name, *c->usage ? " " : "", c->usage);
}

/* Markdown: a backslash before each '|' so that it stays inside its cell. */
static void md_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
}

void cli_commands_markdown(FILE *out, const struct cli_command_set *set)
{
	fputs("| command | what it does |\n|---|---|\n", out);
	for (size_t i = 0; i < set->nr_commands; i++) {
		const struct cli_command *c = &set->commands[i];
		fputs("| `", out);
		md_escaped(out, c->name);
		if (*c->usage) {
			fputc(' ', out);
			md_escaped(out, c->usage);
		}
		fputs("` | ", out);
		md_escaped(out, c->help);
		fputs(" |\n", out);
	}
}

/* roff: a leading '.' or '\'' would be a request, a backslash an escape. */
static void roff_escaped(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void cli_commands_man(FILE *out)
{
	for (size_t s = 0; s < nr_cli_command_sets; s++) {
		const struct cli_command_set *set = cli_command_sets[s];
		fputs(".SS ", out);
		roff_escaped(out, set->title);
		fputc('\n', out);
		for (size_t i = 0; i < set->nr_commands; i++) {
			const struct cli_command *c = &set->commands[i];
			/* The tag line: the name in bold, its arguments in italics. */
			fputs(".TP\n\\fB", out);
			roff_escaped(out, c->name);
			fputs("\\fR", out);
			if (*c->usage) {
				fputs(" \\fI", out);
				roff_escaped(out, c->usage);
				fputs("\\fR", out);
			}
			fputc('\n', out);
			roff_escaped(out, c->help);
			fputc('\n', out);
		}
	}
}

/* ---- help ------------------------------------------------------------------------- */

static int cmd_help(struct cli *c, int argc, char **argv)
{
	if (argc == 2) {
		const struct cli_command *cmd = cli_command_find(argv[1]);
		if (!cmd)
			return cli_error(c, "help: no command '%s' (help lists them all)", argv[1]);
		fputs("usage: ", c->out);
		synopsis(c->out, cmd);
		fprintf(c->out, "\n%s\n", cmd->help);
		return 0;
	}
	for (size_t s = 0; s < nr_cli_command_sets; s++) {
		const struct cli_command_set *set = cli_command_sets[s];
		fprintf(c->out, "%s%s:\n", s ? "\n" : "", set->title);
		for (size_t i = 0; i < set->nr_commands; i++) {
			const struct cli_command *cmd = &set->commands[i];
			char line[160];
			snprintf(line, sizeof(line), "%s%s%s", cmd->name, *cmd->usage ? " " : "",
				 cmd->usage);
			if (strlen(line) > 34)
				fprintf(c->out, "  %s\n  %-34s %s\n", line, "", cmd->help);
			else
				fprintf(c->out, "  %-34s %s\n", line, cmd->help);
		}
	}
	fputs("\nhelp COMMAND shows one command; docs/scenario.md describes the language.\n", c->out);
	return 0;
}

static const struct cli_command help_commands[] = {
	{ "help", 0, 1, "[COMMAND]", "list every command, or show one command's usage",
	  cmd_help, 0, "m" },
};

CLI_COMMAND_SET(cli_help_commands, "Help", "help", help_commands);
