/* cmd_proc.c — looking at the machine the way one looks at a Linux box:
 * dmesg (util-linux 2.38's options), cat and ls of /proc, sysctl (procps),
 * echo (with '> /proc/sys/vm/NAME' as the write).
 *
 * All of them read what the kernel prints — the log, the /proc files — and
 * never the kernel's structures: what they show is what a program on the
 * real system would see. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/machine.h>

#include "cli/cli.h"
#include "cli/proc_json.h"
#include "machine.h"

/* ---- dmesg -------------------------------------------------------------------------- */

static const char *const level_names[8] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
};

static const char *const facility_names[12] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
	"authpriv", "ftp",
};

/* A comma-separated list of names (or numbers below @n) into a bit mask, as dmesg -l / -f. */
static int parse_name_list(struct cli *c, const char *list, const char *const *names, int n,
			   const char *what, unsigned int *mask)
{
	*mask = 0;
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		int found = -1;
		if (!len)
			return cli_error(c, "dmesg: empty %s in '%s'", what, list);
		for (int i = 0; i < n && found < 0; i++)
			if (strlen(names[i]) == len && !strncasecmp(names[i], p, len))
				found = i;
		if (found < 0 && len == 1 && p[0] >= '0' && p[0] < '0' + n)
			found = p[0] - '0';
		if (found < 0 && len == 2 && n > 10 && p[0] == '1' && p[1] >= '0' && p[1] < '0' + n - 10)
			found = 10 + p[1] - '0';
		if (found < 0)
			return cli_error(c, "dmesg: unknown %s '%s'", what, p);
		*mask |= 1u << found;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

struct dmesg_opts {
	unsigned int levels, facilities;	/* 0: no filter */
	bool raw, notime, decode;
};

/* One "<PRI>[ts] text" line of the raw log, printed as asked; *last_shown carries on. */
static void dmesg_line(struct cli *c, const struct dmesg_opts *o, const char *line, size_t len,
		       bool *last_shown)
{
	const char *text = line;
	int pri = -1;

	if (len && line[0] == '<') {
		char *end;
		long v = strtol(line + 1, &end, 10);
		if (end != line + 1 && *end == '>') {
			pri = (int)v;
			text = end + 1;
		}
	}
	size_t tlen = len - (size_t)(text - line);
	if (pri < 0) {
		/* A line of a record that is not its first: it goes with the record. */
		if (*last_shown)
			fprintf(c->out, "%*s%.*s\n", o->notime ? 0 : 15, "", (int)tlen, text);
		return;
	}
	int level = pri & 7, facility = pri >> 3;
	*last_shown = (!o->levels || (o->levels & (1u << level))) &&
		      (!o->facilities || (facility < 12 && (o->facilities & (1u << facility))));
	if (!*last_shown)
		return;
	if (o->raw) {
		fprintf(c->out, "%.*s\n", (int)len, line);
		return;
	}
	if (o->decode && facility < 12)
		fprintf(c->out, "%-6s:%-6s: ", facility_names[facility], level_names[level]);
	if (o->notime && tlen && text[0] == '[') {
		const char *close = memchr(text, ']', tlen);
		if (close) {
			tlen -= (size_t)(close + 1 - text);
			text = close + 1;
			if (tlen && *text == ' ') {
				text++;
				tlen--;
			}
		}
	}
	fprintf(c->out, "%.*s\n", (int)tlen, text);
}

static int cmd_dmesg(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "read-clear", no_argument, NULL, 'c' }, { "clear", no_argument, NULL, 'C' },
		{ "raw", no_argument, NULL, 'r' }, { "notime", no_argument, NULL, 't' },
		{ "decode", no_argument, NULL, 'x' }, { "level", required_argument, NULL, 'l' },
		{ "facility", required_argument, NULL, 'f' }, { "kernel", no_argument, NULL, 'k' },
		{ "userspace", no_argument, NULL, 'u' }, { NULL, 0, NULL, 0 },
	};
	struct dmesg_opts o = { 0 };
	bool read_clear = false, clear = false;
	int opt, rc;

	cli_getopt_start();
	while (!(rc = cli_getopt(c, argc, argv, ":cCrtxl:f:ku", longopts, &opt))) {
		switch (opt) {
		case 'c': read_clear = true; break;
		case 'C': clear = true; break;
		case 'r': o.raw = true; break;
		case 't': o.notime = true; break;
		case 'x': o.decode = true; break;
		case 'l':
			if ((rc = parse_name_list(c, optarg, level_names, 8, "level", &o.levels)))
				return rc;
			if (!o.levels)
				o.levels = 1u << 8;	/* -l '': nothing matches */
			break;
		case 'f':
			if ((rc = parse_name_list(c, optarg, facility_names, 12, "facility",
						  &o.facilities)))
				return rc;
			if (!o.facilities)
				o.facilities = 1u << 12;
			break;
		case 'k': o.facilities |= 1u << 0; break;
		case 'u': o.facilities |= 0xffeu; break;
		}
	}
	if (rc == 2)
		return rc;
	if (optind < argc)
		return cli_error(c, "dmesg: bad usage ('%s'): dmesg takes options only", argv[optind]);
	if (read_clear + clear + o.raw > 1)
		return cli_error(c, "dmesg: mutually exclusive arguments: --clear --console-off "
				 "--console-on --read-clear --console-level --raw");
	if (o.raw && o.decode)
		return cli_error(c, "dmesg: mutually exclusive arguments: --raw --decode");
	if (o.raw && o.notime)
		return cli_error(c, "dmesg: mutually exclusive arguments: --raw --notime");
	if (!clear) {
		char *log = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&log, &len);
		if (!f)
			return cli_error(c, "out of host memory");
		mmsim_dmesg_raw(c->m, f);
		fclose(f);
		bool shown = false;
		for (const char *p = log; p < log + len;) {
			const char *nl = memchr(p, '\n', (size_t)(log + len - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(log + len - p);
			dmesg_line(c, &o, p, n, &shown);
			p += n + (nl != NULL);
		}
		free(log);
	}
	if (clear || read_clear)
		mmsim_dmesg_clear(c->m);
	return 0;
}

/* ---- cat and ls ----------------------------------------------------------------------- */

/* Is @path a directory of this machine's /proc (a prefix of some file's path)? */
static bool proc_dir(struct cli *c, const char *path)
{
	size_t len = strlen(path), i = 0;
	const char *p;

	while (len > 1 && path[len - 1] == '/')
		len--;
	while ((p = mmsim_proc_path(c->m, &i, NULL)))
		if (!strncmp(p, path, len) && p[len] == '/')
			return true;
	return false;
}

/*
 * --json: the file as one document (proc_json.c), one a line. A file the
 * reader cannot follow is an error that names the line: the renderer and
 * the reader disagree, and nothing is printed half-read.
 */
static int cat_json(struct cli *c, const char *arg, const char *path)
{
	char why[320];
	int err;
	json_t *doc = proc_json_read(c->m, path, &err, why, sizeof(why));

	if (err == -MMSIM_ENOMEM)
		return cli_error(c, "out of host memory");
	if (err)
		return err;
	if (!doc)
		return cli_error(c, "cat: %s: cannot read it as JSON (%s format): %s", arg,
				 proc_json_format(path), why);
	json_dumpf(doc, c->out, JSON_COMPACT | JSON_ENSURE_ASCII);
	fputc('\n', c->out);
	json_decref(doc);
	c->wrote_json = true;
	return 0;
}

static int cmd_cat(struct cli *c, int argc, char **argv)
{
	int rc = 0;

	/* Like cat: every file in turn; the first that is missing is the error. */
	for (int i = 1; i < argc; i++) {
		char path[512];
		if (cli_proc_path(c, argv[i], path, sizeof(path)))
			return cli_error(c, "cat: %s: File name too long", argv[i]);
		int err = c->json_out ? cat_json(c, argv[i], path) : mmsim_proc_read(c->m, path, c->out);
		if (err == 2)
			return 2;
		if (!err)
			continue;
		if (proc_dir(c, path))
			rc = cli_error(c, "cat: %s: Is a directory", argv[i]);
		else if (err == -MMSIM_ENOENT)
			rc = cli_error(c, "cat: %s: No such file or directory (ls /proc lists the "
				       "files)", argv[i]);
		else if (err == -MMSIM_EINVAL)
			/* pagemap: binary, read by programs a 64-bit word a page at an offset */
			rc = cli_error(c, "cat: %s: a binary file, read by programs at an offset "
				       "(--exec); not text", argv[i]);
		else
			rc = cli_error(c, "cat: %s: %s", argv[i], mmsim_strerror(-err));
	}
	return rc;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ls [DIR...]: the entries of /proc directories, sorted, as ls -1 prints them. */
static int cmd_ls(struct cli *c, int argc, char **argv)
{
	char *dflt[] = { argv[0], (char *)"/proc", NULL };
	int rc = 0;

	if (argc == 1) {
		argc = 2;
		argv = dflt;
	}
	for (int a = 1; a < argc && !rc; a++) {
		char dir[512];
		if (cli_proc_path(c, argv[a], dir, sizeof(dir)))
			return cli_error(c, "ls: cannot access '%s': File name too long", argv[a]);
		size_t len = strlen(dir), i = 0, n = 0, cap = 0;
		char **names = NULL;
		const char *p;
		while (len > 1 && dir[len - 1] == '/')
			len--;
		if (!proc_dir(c, dir))
			return cli_error(c, "ls: cannot access '%s': No such file or directory", argv[a]);
		if (argc > 2)
			fprintf(c->out, "%s%s:\n", a > 1 ? "\n" : "", argv[a]);
		while ((p = mmsim_proc_path(c->m, &i, NULL))) {
			if (strncmp(p, dir, len) || p[len] != '/')
				continue;
			const char *name = p + len + 1;
			size_t nlen = strcspn(name, "/");
			/* A subdirectory's files come one after another: name it once. */
			if (n && !strncmp(names[n - 1], name, nlen) && !names[n - 1][nlen])
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				char **bigger = realloc(names, cap * sizeof(*names));
				if (!bigger) {
					rc = cli_error(c, "ls: out of memory");
					break;
				}
				names = bigger;
			}
			if (!(names[n] = strndup(name, nlen))) {
				rc = cli_error(c, "ls: out of memory");
				break;
			}
			n++;
		}
		if (!rc) {
			qsort(names, n, sizeof(*names), compare_names);
			for (size_t k = 0; k < n; k++)
				fprintf(c->out, "%s\n", names[k]);
		}
		for (size_t k = 0; k < n; k++)
			free(names[k]);
		free(names);
	}
	return rc;
}

/* ---- sysctl --------------------------------------------------------------------------- */

/* Swap every '.' and '/' ("vm.min_free_kbytes" <-> "vm/min_free_kbytes"). */
static void swap_separators(char *s)
{
	for (; *s; s++)
		if (*s == '.')
			*s = '/';
		else if (*s == '/')
			*s = '.';
}

/*
 * procps' slashdot(): a key given either way ("vm.x" or "vm/x") as shown
 * (dotted) and as its path under /proc/sys. 0, or 2 for an empty or
 * overlong key.
 */
static int sysctl_key(struct cli *c, const char *arg, char *dotted, char *path, size_t n)
{
	if (!*arg || strlen(arg) + 11 >= n)
		return cli_error(c, "sysctl: \"%s\" is an unknown key", arg);
	const char *sep = strpbrk(arg, "./");
	snprintf(dotted, n, "%s", arg);
	if (sep && *sep == '/')
		swap_separators(dotted);
	snprintf(path, n, "/proc/sys/%s", arg);
	if (!sep || *sep == '.')
		swap_separators(path + 10);
	return 0;
}

struct sysctl_opts {
	bool values, names, ignore, quiet, write, binary;
};

/* Print "key = value" for every line of the file at @path. */
static int sysctl_read(struct cli *c, const struct sysctl_opts *o, const char *key,
		       const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return cli_error(c, "out of host memory");
	int rc = mmsim_proc_read(c->m, path, f);
	fclose(f);
	if (rc) {
		free(text);
		/* A write-only key (drop_caches, compact_memory): procps skips it without a word. */
		if (o->ignore || rc == -MMSIM_EACCES)
			return 0;
		return cli_error(c, "sysctl: cannot stat %s: No such file or directory", path);
	}
	if (o->names) {
		fprintf(c->out, "%s\n", key);
	} else if (o->binary) {
		fwrite(text, 1, len && text[len - 1] == '\n' ? len - 1 : len, c->out);
	} else {
		for (const char *p = text; p < text + len;) {
			const char *nl = memchr(p, '\n', (size_t)(text + len - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
			if (!o->values)
				fprintf(c->out, "%s = ", key);
			fprintf(c->out, "%.*s\n", (int)n, p);
			p += n + (nl != NULL);
		}
	}
	free(text);
	return 0;
}

/* KEY=VALUE: the value trimmed on both sides, written, and echoed as given. */
static int sysctl_write(struct cli *c, const struct sysctl_opts *o, char *arg)
{
	char *eq = strchr(arg, '=');

	if (!eq)
		return cli_error(c, "sysctl: \"%s\": invalid syntax (KEY=VALUE)", arg);
	char *key_end = eq;
	while (key_end > arg && (key_end[-1] == ' ' || key_end[-1] == '\t'))
		key_end--;
	*key_end = '\0';
	char *value = eq + 1 + strspn(eq + 1, " \t");
	size_t vlen = strlen(value);
	while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
		value[--vlen] = '\0';
	char path[300], dotted[300];
	int rc;
	if ((rc = sysctl_key(c, arg, dotted, path, sizeof(path))))
		return rc;
	rc = mmsim_proc_write(c->m, path, value);
	if (rc == -MMSIM_ENOENT)
		return o->ignore ? 0 : cli_error(c, "sysctl: cannot stat %s: No such file or "
						 "directory", path);
	if (rc)
		return cli_error(c, "sysctl: setting key \"%s\": %s", dotted,
				 rc == -MMSIM_EACCES ? "Permission denied" : "Invalid argument");
	if (o->quiet)
		return 0;
	if (o->values || o->names)
		fprintf(c->out, "%s\n", value);
	else if (o->binary)
		fputs(value, c->out);
	else
		fprintf(c->out, "%s = %s\n", dotted, value);
	return 0;
}

static int cmd_sysctl(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' }, { "values", no_argument, NULL, 'n' },
		{ "names", no_argument, NULL, 'N' }, { "ignore", no_argument, NULL, 'e' },
		{ "quiet", no_argument, NULL, 'q' }, { "write", no_argument, NULL, 'w' },
		{ "binary", no_argument, NULL, 'b' }, { NULL, 0, NULL, 0 },
	};
	struct sysctl_opts o = { 0 };
	bool all = false;
	int opt, rc;

	cli_getopt_start();
	while (!(rc = cli_getopt(c, argc, argv, ":aAXnNeqwb", longopts, &opt))) {
		switch (opt) {
		case 'a': case 'A': case 'X': all = true; break;
		case 'n': o.values = true; break;
		case 'N': o.names = true; break;
		case 'e': o.ignore = true; break;
		case 'q': o.quiet = true; break;
		case 'w': o.write = true; break;
		case 'b': o.binary = true; break;
		}
	}
	if (rc == 2)
		return rc;
	if (o.names && o.quiet)
		return cli_error(c, "sysctl: options -N and -q cannot coexist");
	if (all) {
		size_t i = 0;
		const char *p;
		while ((p = mmsim_proc_path(c->m, &i, NULL))) {
			char key[300];
			if (strncmp(p, "/proc/sys/", 10) || strlen(p + 10) >= sizeof(key))
				continue;
			snprintf(key, sizeof(key), "%s", p + 10);
			swap_separators(key);
			if ((rc = sysctl_read(c, &o, key, p)))
				return rc;
		}
		return 0;
	}
	if (optind == argc)
		return cli_error(c, "sysctl: no variables specified (sysctl -a lists them)");
	rc = 0;
	for (int i = optind; i < argc; i++) {
		int r;
		if (o.write || strchr(argv[i], '=')) {
			r = sysctl_write(c, &o, argv[i]);
		} else {
			char path[300], key[300];
			r = sysctl_key(c, argv[i], key, path, sizeof(path));
			if (!r)
				r = sysctl_read(c, &o, key, path);
		}
		if (r && !rc)
			rc = r;	/* like sysctl: go on with the other keys */
	}
	return rc;
}

/* ---- echo -------------------------------------------------------------------------------- */

/* echo [-n] [-e] WORD...: the words joined by spaces (-e: \n \t \\ escapes). */
static int cmd_echo(struct cli *c, int argc, char **argv)
{
	bool newline = true, escapes = false;
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] && strspn(argv[i] + 1, "neE") ==
							      strlen(argv[i] + 1); i++)
		for (const char *f = argv[i] + 1; *f; f++) {
			if (*f == 'n')
				newline = false;
			else
				escapes = *f == 'e';
		}
	for (int first = i; i < argc; i++) {
		if (i > first)
			fputc(' ', c->out);
		for (const char *p = argv[i]; *p; p++) {
			if (escapes && p[0] == '\\' && p[1]) {
				char e = *++p;
				fputc(e == 'n' ? '\n' : e == 't' ? '\t' : e == '\\' ? '\\' : e, c->out);
				continue;
			}
			fputc(*p, c->out);
		}
	}
	if (newline)
		fputc('\n', c->out);
	return 0;
}

static const struct cli_command proc_commands[] = {
	{ "dmesg", 0, CLI_ANY, "[-c|-C] [-r] [-t] [-x] [-l LEVELS] [-f FACILITIES] [-k] [-u]",
	  "the kernel log; -C marks a point (later dmesg shows only what follows), -c prints then "
	  "marks", cmd_dmesg, 0, "-" },
	{ "cat", 1, CLI_ANY, "PATH...", "print /proc files (ls /proc lists them)",
	  cmd_cat, 0, "p" },
	{ "ls", 0, CLI_ANY, "[DIR...]", "list a /proc directory", cmd_ls, 0, "p" },
	{ "sysctl", 1, CLI_ANY, "[-a] [-n] [-N] [-e] [-q] [-w] KEY[=VALUE]...",
	  "read or set kernel parameters (vm.min_free_kbytes ...) as procps' sysctl does",
	  cmd_sysctl, 0, "s" },
	{ "echo", 0, CLI_ANY, "[-n] [-e] TEXT...",
	  "print TEXT; 'echo VALUE > /proc/sys/vm/NAME' sets a sysctl, '> /dev/kmsg' logs a line",
	  cmd_echo, 0, "-" },
};

CLI_COMMAND_SET(cli_proc_commands, "Looking", "proc", proc_commands);
