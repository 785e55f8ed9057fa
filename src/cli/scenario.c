/* scenario.c — the scenario language (documented in docs/scenario.md).
 *
 * A scenario is a list of commands, one per line or separated by ';'. Each
 * either calls the kernel API on the machine (alloc_pages, free_pages ...)
 * or shows what the kernel would show (dmesg, cat /proc/...). Named results
 * let later commands refer to earlier allocations. Input errors stop the
 * run with "WHERE:LINE: message"; kernel-side failures (NULL, warnings in
 * dmesg) are part of the simulation and do not. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"
#include "mm/internal.h"

#define MAX_ARGS 16
#define MAX_REPEAT 100000000UL
/* Each command advances the simulated clock by one jiffy (HZ=250). */
#define TICK_NS 4000000ULL

/* A named block returned by alloc_pages. */
struct binding {
	char *name;		/* NULL: empty slot; TOMBSTONE: deleted */
	unsigned long pfn;
	unsigned int order;
	bool freed;		/* freed once: freeing again is a real double free */
};

static char tombstone[1];
#define TOMBSTONE tombstone

struct scenario {
	struct machine *m;
	FILE *out, *err;
	const char *where;
	unsigned long line;
	struct binding *names;	/* open-addressing table, power-of-two size */
	size_t cap, used, live;
	unsigned int depth;	/* nesting of repeat */
};

struct scenario *scenario_new(struct machine *m, FILE *out, FILE *err)
{
	struct scenario *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->m = m;
	s->out = out;
	s->err = err;
	return s;
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		if (s->names[i].name && s->names[i].name != TOMBSTONE)
			free(s->names[i].name);
	free(s->names);
	free(s);
}

static int error(struct scenario *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int error(struct scenario *s, const char *fmt, ...)
{
	va_list ap;

	fflush(s->out);
	fprintf(s->err, "%s:%lu: ", s->where, s->line);
	va_start(ap, fmt);
	vfprintf(s->err, fmt, ap);
	va_end(ap);
	fputc('\n', s->err);
	return 2;
}

/* ---- the name table ------------------------------------------------------- */

static size_t hash_name(const char *name)
{
	size_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (*name)
		h = (h ^ (unsigned char)*name++) * 1099511628211ULL;
	return h;
}

static struct binding *lookup(struct scenario *s, const char *name)
{
	if (!s->cap)
		return NULL;
	for (size_t i = hash_name(name) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		struct binding *b = &s->names[i];
		if (!b->name)
			return NULL;
		if (b->name != TOMBSTONE && !strcmp(b->name, name))
			return b;
	}
}

static int grow(struct scenario *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	struct binding *names = calloc(cap, sizeof(*names));

	if (!names)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		struct binding *b = &s->names[i];
		if (!b->name || b->name == TOMBSTONE)
			continue;
		size_t j = hash_name(b->name) & (cap - 1);
		while (names[j].name)
			j = (j + 1) & (cap - 1);
		names[j] = *b;
	}
	free(s->names);
	s->names = names;
	s->cap = cap;
	s->used = s->live;
	return 0;
}

static int bind(struct scenario *s, const char *name, unsigned long pfn, unsigned int order)
{
	if ((s->used + 1) * 4 > s->cap * 3 && grow(s))
		return -1;
	size_t i = hash_name(name) & (s->cap - 1);
	while (s->names[i].name && s->names[i].name != TOMBSTONE)
		i = (i + 1) & (s->cap - 1);
	char *copy = strdup(name);
	if (!copy)
		return -1;
	if (!s->names[i].name)
		s->used++;
	s->names[i] = (struct binding){ copy, pfn, order, false };
	s->live++;
	return 0;
}

static void unbind(struct scenario *s, struct binding *b)
{
	free(b->name);
	b->name = TOMBSTONE;
	s->live--;
}

/* ---- argument parsing ------------------------------------------------------ */

static int parse_ulong(struct scenario *s, const char *text, const char *what,
		       unsigned long max, unsigned long *val)
{
	char *end;

	if (!isdigit((unsigned char)text[0]))
		return error(s, "%s: '%s' is not a number", what, text);
	errno = 0;
	unsigned long long v = strtoull(text, &end, 0);
	if (errno || *end)
		return error(s, "%s: '%s' is not a number", what, text);
	if (v > max)
		return error(s, "%s: %s is out of range (at most %lu)", what, text, max);
	*val = (unsigned long)v;
	return 0;
}

static int parse_gfp(struct scenario *s, const char *text, gfp_t *gfp)
{
	const char *bad;
	size_t len;

	if (gfp_parse(text, gfp, &bad, &len))
		return error(s, "unknown GFP flag '%.*s' (e.g. GFP_KERNEL, GFP_HIGHUSER_MOVABLE, "
			     "GFP_DMA, __GFP_ZERO; combine with '|')", (int)len, bad);
	if (gfp_zone(s->m, *gfp) < 0)
		return error(s, "'%s' asks for two zones at once (GFP_ZONE_BAD)", text);
	return 0;
}

static int need_args(struct scenario *s, int argc, int min, int max, const char *usage)
{
	if (argc < min || argc > max)
		return error(s, "usage: %s", usage);
	return 0;
}

static struct binding *find_block(struct scenario *s, const char *name, int *rc)
{
	struct binding *b = lookup(s, name);

	if (!b)
		*rc = error(s, "'%s' is not an allocated block (see alloc_pages)", name);
	return b;
}

/* A block the scenario still owns: its bytes may be read and written. */
static struct binding *find_live_block(struct scenario *s, const char *name, int *rc)
{
	struct binding *b = find_block(s, name, rc);

	if (b && b->freed) {
		*rc = error(s, "'%s' was freed; its memory is no longer yours", name);
		return NULL;
	}
	return b;
}

/* ---- commands ------------------------------------------------------------- */

static int cmd_alloc_pages(struct scenario *s, int argc, char **argv)
{
	unsigned long order;
	gfp_t gfp;
	int rc;

	if ((rc = need_args(s, argc, 4, 4, "alloc_pages NAME GFP ORDER")))
		return rc;
	struct binding *old = lookup(s, argv[1]);
	if (old && !old->freed)
		return error(s, "'%s' already names an allocated block; free it first", argv[1]);
	if ((rc = parse_gfp(s, argv[2], &gfp)) || (rc = parse_ulong(s, argv[3], "order", 31, &order)))
		return rc;
	if (old)
		unbind(s, old);
	struct page *page = alloc_pages(s->m, gfp, (unsigned int)order);
	if (!page) {
		fprintf(s->out, "%s: allocation failed (order %lu)\n", argv[1], order);
		return 0;
	}
	if (bind(s, argv[1], page_to_pfn(s->m, page), (unsigned int)order)) {
		__free_pages(s->m, page, (unsigned int)order);
		return error(s, "out of host memory for names");
	}
	return 0;
}

static int cmd_free_pages(struct scenario *s, int argc, char **argv)
{
	int rc;

	if ((rc = need_args(s, argc, 2, 2, "free_pages NAME")))
		return rc;
	struct binding *b = find_block(s, argv[1], &rc);
	if (!b)
		return rc;
	/* A second free of the same name really frees twice: the kernel reports it. */
	__free_pages(s->m, pfn_to_page(s->m, b->pfn), b->order);
	b->freed = true;
	return 0;
}

/* __free_pages() on a raw frame number: how bad frees are demonstrated. */
static int cmd_free_pfn(struct scenario *s, int argc, char **argv)
{
	unsigned long pfn, order;
	int rc;

	if ((rc = need_args(s, argc, 3, 3, "free_pfn PFN ORDER")) ||
	    (rc = parse_ulong(s, argv[1], "pfn", ~0UL, &pfn)) ||
	    (rc = parse_ulong(s, argv[2], "order", MAX_ORDER - 1, &order)))
		return rc;
	if (!pfn_valid(s->m, pfn) || !pfn_valid(s->m, pfn + (1UL << order) - 1))
		return error(s, "pfn %#lx (order %lu) is not memory on this machine (max_pfn %#lx)",
			     pfn, order, s->m->max_pfn);
	for (size_t i = 0; i < s->cap; i++) {
		struct binding *b = &s->names[i];
		if (b->name && b->name != TOMBSTONE && !b->freed && b->pfn == pfn &&
		    b->order == order && page_ref_count(pfn_to_page(s->m, pfn)) == 1) {
			b->freed = true;	/* the name no longer owns it */
			break;
		}
	}
	__free_pages(s->m, pfn_to_page(s->m, pfn), (unsigned int)order);
	return 0;
}

static int cmd_show(struct scenario *s, int argc, char **argv)
{
	int rc;

	if ((rc = need_args(s, argc, 2, 2, "show NAME")))
		return rc;
	struct binding *b = find_block(s, argv[1], &rc);
	if (!b)
		return rc;
	struct page *page = pfn_to_page(s->m, b->pfn);
	uint64_t va = page_address(s->m, page);
	if (b->freed) {
		fprintf(s->out, "%s: freed (was order %u at pfn %#lx)\n", argv[1], b->order, b->pfn);
		return 0;
	}
	fprintf(s->out, "%s: order %u, pfn %#lx-%#lx, phys %#" PRIx64 ", zone %s, ", argv[1],
		b->order, b->pfn, b->pfn + (1UL << b->order) - 1, (uint64_t)PFN_PHYS(b->pfn),
		page_zone(s->m, page)->name);
	if (va)
		fprintf(s->out, "virt %#" PRIx64 "\n", va);
	else
		fprintf(s->out, "no kernel mapping (highmem)\n");
	return 0;
}

static int cmd_cat(struct scenario *s, int argc, char **argv)
{
	int rc;

	if ((rc = need_args(s, argc, 2, 2, "cat PATH")))
		return rc;
	if (mmsim_proc_read(s->m, argv[1], s->out))
		return error(s, "cat: %s: no such file (try /proc/buddyinfo, /proc/pagetypeinfo, "
			     "/proc/zoneinfo, /proc/meminfo, /proc/vmstat, /proc/sys/vm/...)", argv[1]);
	return 0;
}

/* sysctl NAME | sysctl [-w] NAME=VALUE, as procps' sysctl spells them. */
static int cmd_sysctl(struct scenario *s, int argc, char **argv)
{
	int rc, first = 1;

	if (argc > 1 && !strcmp(argv[1], "-w"))
		first = 2;
	if ((rc = need_args(s, argc - first + 1, 2, 2, "sysctl [-w] vm.NAME[=VALUE]")))
		return rc;
	char path[256], *arg = argv[first], *eq = strchr(arg, '=');
	if (eq)
		*eq = '\0';
	if (strncmp(arg, "vm.", 3) || strlen(arg) > 200)
		return error(s, "sysctl: only vm.* settings are simulated, not '%s'", arg);
	snprintf(path, sizeof(path), "/proc/sys/vm/%s", arg + 3);
	if (!eq) {
		fprintf(s->out, "%s = ", arg);
		if (mmsim_proc_read(s->m, path, s->out))
			return error(s, "sysctl: cannot stat %s: No such file or directory", path);
		return 0;
	}
	int w = mmsim_sysctl_write(s->m, path, eq + 1);
	if (w == -MMSIM_ENOENT)
		return error(s, "sysctl: cannot stat %s: No such file or directory", path);
	if (w)
		return error(s, "sysctl: setting key \"%s\": Invalid argument", arg);
	fprintf(s->out, "%s = %s\n", arg, eq + 1);
	return 0;
}

static int cmd_fill(struct scenario *s, int argc, char **argv)
{
	unsigned long byte;
	int rc;

	if ((rc = need_args(s, argc, 3, 3, "fill NAME BYTE")) ||
	    (rc = parse_ulong(s, argv[2], "byte", 255, &byte)))
		return rc;
	struct binding *b = find_live_block(s, argv[1], &rc);
	if (!b)
		return rc;
	memset(page_host_address(s->m, pfn_to_page(s->m, b->pfn)), (int)byte, PAGE_SIZE << b->order);
	return 0;
}

/* hexdump NAME [OFFSET [LEN]]: the block's bytes, 16 to a line. */
static int cmd_hexdump(struct scenario *s, int argc, char **argv)
{
	unsigned long off = 0, len = 64;
	int rc;

	if ((rc = need_args(s, argc, 2, 4, "hexdump NAME [OFFSET [LEN]]")))
		return rc;
	struct binding *b = find_live_block(s, argv[1], &rc);
	if (!b)
		return rc;
	unsigned long size = PAGE_SIZE << b->order;
	if ((argc > 2 && (rc = parse_ulong(s, argv[2], "offset", size - 1, &off))) ||
	    (argc > 3 && (rc = parse_ulong(s, argv[3], "length", size, &len))))
		return rc;
	if (off + len > size)
		len = size - off;
	const unsigned char *p = page_host_address(s->m, pfn_to_page(s->m, b->pfn));
	for (unsigned long i = 0; i < len; i += 16) {
		fprintf(s->out, "%08lx ", off + i);
		for (unsigned long j = i; j < i + 16 && j < len; j++)
			fprintf(s->out, " %02x", p[off + j]);
		fputc('\n', s->out);
	}
	return 0;
}

static int cmd_cpu(struct scenario *s, int argc, char **argv)
{
	unsigned long cpu;
	int rc;

	if ((rc = need_args(s, argc, 2, 2, "cpu N")) ||
	    (rc = parse_ulong(s, argv[1], "cpu", s->m->nr_cpus - 1, &cpu)))
		return rc;
	s->m->cur_cpu = (unsigned int)cpu;
	return 0;
}

static int run_command(struct scenario *s, char *text);

/* repeat N COMMAND...: "$i" in COMMAND becomes 0, 1, ... N-1. */
static int cmd_repeat(struct scenario *s, char *rest)
{
	char count_text[32];
	unsigned long n;
	int rc;

	while (*rest == ' ' || *rest == '\t')
		rest++;
	size_t len = strcspn(rest, " \t");
	if (!len || len >= sizeof(count_text) || !rest[len])
		return error(s, "usage: repeat N COMMAND");
	memcpy(count_text, rest, len);
	count_text[len] = '\0';
	if ((rc = parse_ulong(s, count_text, "repeat count", MAX_REPEAT, &n)))
		return rc;
	const char *body = rest + len;
	size_t body_len = strlen(body);
	size_t dollars = 0;
	for (const char *p = body; (p = strstr(p, "$i")); p += 2)
		dollars++;
	char *cmd = malloc(body_len + dollars * 20 + 1);
	if (!cmd)
		return error(s, "out of host memory");
	s->depth++;
	for (unsigned long i = 0; i < n && !rc; i++) {
		char *o = cmd;
		for (const char *p = body; *p;) {
			if (p[0] == '$' && p[1] == 'i') {
				o += sprintf(o, "%lu", i);
				p += 2;
			} else {
				*o++ = *p++;
			}
		}
		*o = '\0';
		rc = run_command(s, cmd);
	}
	s->depth--;
	free(cmd);
	return rc;
}

static int split_args(struct scenario *s, char *text, char **argv, int *argc)
{
	*argc = 0;
	for (char *p = text;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		if (*argc == MAX_ARGS)
			return error(s, "too many arguments");
		argv[(*argc)++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static int run_command(struct scenario *s, char *text)
{
	char *argv[MAX_ARGS];
	int argc, rc;

	while (*text == ' ' || *text == '\t')
		text++;
	if (!*text || *text == '#')
		return 0;
	mmsim_advance_clock(s->m, TICK_NS);
	if (!strncmp(text, "echo", 4) && (text[4] == ' ' || text[4] == '\t' || !text[4])) {
		fprintf(s->out, "%s\n", text[4] ? text + 5 : "");
		return 0;
	}
	if (!strncmp(text, "repeat", 6) && (text[6] == ' ' || text[6] == '\t'))
		return cmd_repeat(s, text + 6);
	if ((rc = split_args(s, text, argv, &argc)))
		return rc;
	const char *cmd = argv[0];
	if (!strcmp(cmd, "dmesg")) {
		if ((rc = need_args(s, argc, 1, 1, "dmesg")))
			return rc;
		fflush(s->out);
		mmsim_dmesg(s->m, s->out);
		return 0;
	}
	if (!strcmp(cmd, "cat"))
		return cmd_cat(s, argc, argv);
	if (!strcmp(cmd, "alloc_pages"))
		return cmd_alloc_pages(s, argc, argv);
	if (!strcmp(cmd, "free_pages"))
		return cmd_free_pages(s, argc, argv);
	if (!strcmp(cmd, "free_pfn"))
		return cmd_free_pfn(s, argc, argv);
	if (!strcmp(cmd, "show"))
		return cmd_show(s, argc, argv);
	if (!strcmp(cmd, "fill"))
		return cmd_fill(s, argc, argv);
	if (!strcmp(cmd, "hexdump"))
		return cmd_hexdump(s, argc, argv);
	if (!strcmp(cmd, "sysctl"))
		return cmd_sysctl(s, argc, argv);
	if (!strcmp(cmd, "cpu"))
		return cmd_cpu(s, argc, argv);
	if (!strcmp(cmd, "drain")) {
		if ((rc = need_args(s, argc, 1, 1, "drain")))
			return rc;
		drain_all_pages(s->m);
		return 0;
	}
	if (!strcmp(cmd, "verify")) {
		if ((rc = need_args(s, argc, 1, 1, "verify")))
			return rc;
		unsigned long bad = mmsim_verify(s->m, s->out);
		if (!bad)
			fprintf(s->out, "verify: ok\n");
		else
			fprintf(s->out, "verify: %lu problem%s\n", bad, bad == 1 ? "" : "s");
		return 0;
	}
	return error(s, "unknown command '%s' (see docs/scenario.md)", cmd);
}

int scenario_run(struct scenario *s, const char *where, const char *text)
{
	int rc = 0;

	s->where = where;
	s->line = 0;
	while (*text && !rc) {
		size_t len = strcspn(text, "\n");
		char *line = strndup(text, len);
		if (!line)
			return error(s, "out of host memory");
		s->line++;
		/* '#' starts a comment that runs to the end of the line. */
		line[strcspn(line, "#\r")] = '\0';
		for (char *cmd = line, *next; cmd && !rc; cmd = next) {
			next = strchr(cmd, ';');
			if (next)
				*next++ = '\0';
			rc = run_command(s, cmd);
		}
		free(line);
		text += len;
		if (*text)
			text++;
	}
	fflush(s->out);
	return rc;
}
