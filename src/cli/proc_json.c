/* proc_json.c — reading the text of a /proc or /sys file into JSON.
 *
 * Each format is read the way a careful script reads the kernel's text:
 * line by line, fields split on blanks, numbers as numbers. A line that
 * is not what the format expects is an error that names it — the
 * renderer and its reader disagree, which the tests catch — never a
 * silently dropped value. Addresses and 64-bit masks stay strings in hex
 * as the kernel prints them: they do not fit a JSON number exactly.
 * docs/json.md is the schema in words. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/machine.h>

#include "cli/proc_json.h"
#include "machine.h"

/* Fields a line: as many as a line of struct reader's can hold (a word and a blank each). */
#define MAX_TOKENS	2048

/* One pass over a text: its current line and that line's number. */
struct reader {
	const char *p, *end;
	char line[4096];
	unsigned long lineno;
	bool too_long;		/* a line did not fit: the document is refused, not cut */
	const char *text;	/* all of it, for the formats that are not lines (auxv, strings) */
	size_t len;
	unsigned int word_bytes;	/* auxv's words */
	char *err;
	size_t errlen;
};

static bool next_line(struct reader *r)
{
	if (r->p >= r->end)
		return false;
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	size_t n = nl ? (size_t)(nl - r->p) : (size_t)(r->end - r->p);
	size_t keep = n < sizeof(r->line) - 1 ? n : sizeof(r->line) - 1;
	if (keep < n && !r->too_long) {
		r->too_long = true;
		snprintf(r->err, r->errlen, "line %lu: longer than %zu bytes", r->lineno + 1,
			 sizeof(r->line) - 1);
	}
	memcpy(r->line, r->p, keep);
	r->line[keep] = '\0';
	r->p += n + (nl != NULL);
	r->lineno++;
	return true;
}

/* Record why the text cannot be read; returns NULL for the caller to return. */
static json_t *fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static json_t *fail(struct reader *r, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (r->too_long)
		return NULL;	/* the first problem is the one to tell */
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "line %lu: %s", r->lineno, why);
	return NULL;
}

/*
 * Split @s in place on blanks (and @extra characters): the count, or -1
 * past MAX_TOKENS (which no reader below takes for a short line).
 */
static int split(char *s, const char *extra, char **tok)
{
	char seps[16] = " \t";
	int n = 0;

	strncat(seps, extra, sizeof(seps) - strlen(seps) - 1);
	for (char *save = NULL, *t = strtok_r(s, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
		if (n == MAX_TOKENS)
			return -1;
		tok[n++] = t;
	}
	return n;
}

static bool parse_int(const char *s, json_int_t *v)
{
	char *end;

	if (!*s || (!isdigit((unsigned char)*s) && *s != '-'))
		return false;
	/* "0022", "00000000": octal or hex as the kernel prints it, kept as text. */
	if (s[0] == '0' && s[1])
		return false;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

/*
 * A number that may be past a signed 64-bit integer (rsslim's unlimited is
 * 2^64 - 1): its digits as a string then, since JSON readers would round it.
 */
static json_t *big_number(const char *s)
{
	json_int_t v;

	if (parse_int(s, &v))
		return json_integer(v);
	if (*s && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 20 && s[0] != '0')
		return json_string(s);
	return NULL;
}

static bool parse_real(const char *s, double *v)
{
	char *end;

	if (!*s)
		return false;
	*v = strtod(s, &end);
	return !*end;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* A field's value: a number, numbers, or the text as it is. */
static json_t *value_of(char *text)
{
	char copy[4096], *tok[MAX_TOKENS];
	json_int_t v;

	text = trim(text);
	snprintf(copy, sizeof(copy), "%s", text);
	int n = split(copy, "", tok);
	if (n == 1 && parse_int(tok[0], &v))
		return json_integer(v);
	if (n > 1) {
		json_t *a = json_array();
		for (int i = 0; i < n; i++) {
			if (!parse_int(tok[i], &v)) {
				json_decref(a);
				return json_string(text);
			}
			json_array_append_new(a, json_integer(v));
		}
		return a;
	}
	return json_string(text);
}

/* ---- "Key: value [kB]" files: meminfo, status, the smaps fields ----------------- */

/* One "Key: value" line into @fields (and "kB" into @units). false: not such a line. */
static bool key_value_line(char *line, json_t *fields, json_t *units)
{
	char *colon = strchr(line, ':');

	if (!colon || colon == line)
		return false;
	*colon = '\0';
	char *key = trim(line), *val = trim(colon + 1);
	size_t n = strlen(val);
	if (n > 3 && !strcmp(val + n - 3, " kB")) {
		json_int_t v;
		val[n - 3] = '\0';
		if (parse_int(trim(val), &v)) {
			json_object_set_new(fields, key, json_integer(v));
			json_object_set_new(units, key, json_string("kB"));
			return true;
		}
		val[n - 3] = ' ';
	}
	if (!strcmp(key, "VmFlags")) {
		char *tok[MAX_TOKENS];
		json_t *a = json_array();
		for (int i = 0, k = split(val, "", tok); i < k; i++)
			json_array_append_new(a, json_string(tok[i]));
		json_object_set_new(fields, key, a);
		return true;
	}
	json_object_set_new(fields, key, value_of(val));
	return true;
}

static json_t *read_key_values(struct reader *r)
{
	json_t *fields = json_object(), *units = json_object();

	while (next_line(r)) {
		if (!r->line[0])
			continue;
		if (!key_value_line(r->line, fields, units)) {
			json_decref(fields);
			json_decref(units);
			return fail(r, "not 'Key: value'");
		}
	}
	return json_pack("{s:o,s:o}", "fields", fields, "units", units);
}

/* ---- maps, smaps, smaps_rollup ---------------------------------------------------- */

/* "start-end perms offset dev inode [path]" into an object, or NULL. */
static json_t *vma_line(const char *line)
{
	char range[64], perms[8], offset[32], dev[16];
	unsigned long long inode;
	int used = 0;

	if (sscanf(line, "%63s %7s %31s %15s %llu %n", range, perms, offset, dev, &inode,
		   &used) != 5)
		return NULL;
	char *dash = strchr(range, '-');
	if (!dash || strlen(perms) != 4)
		return NULL;
	*dash = '\0';
	char path[4096];
	snprintf(path, sizeof(path), "%s", line + used);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "start", range, "end", dash + 1,
			 "perms", perms, "offset", offset, "dev", dev, "inode", (json_int_t)inode,
			 "path", trim(path));
}

static json_t *read_maps(struct reader *r, bool with_fields)
{
	json_t *vmas = json_array(), *cur = NULL;

	while (next_line(r)) {
		if (!r->line[0])
			continue;
		json_t *vma = vma_line(r->line);
		if (vma) {
			if (with_fields) {
				json_object_set_new(vma, "fields", json_object());
				json_object_set_new(vma, "units", json_object());
			}
			json_array_append_new(vmas, vma);
			cur = vma;
			continue;
		}
		if (!with_fields || !cur ||
		    !key_value_line(r->line, json_object_get(cur, "fields"),
				    json_object_get(cur, "units"))) {
			json_decref(vmas);
			return fail(r, "neither a mapping nor one of its fields");
		}
	}
	return json_pack("{s:o}", "vmas", vmas);
}

static json_t *read_smaps_rollup(struct reader *r)
{
	if (!next_line(r))
		return fail(r, "empty");
	json_t *range = vma_line(r->line);
	if (!range)
		return fail(r, "not the [rollup] line");
	json_t *rest = read_key_values(r);
	if (!rest) {
		json_decref(range);
		return NULL;
	}
	json_object_set_new(rest, "range", range);
	return rest;
}

/* ---- counters: vmstat, /proc/stat ---------------------------------------------------- */

static json_t *read_counters(struct reader *r)
{
	json_t *o = json_object();
	char *tok[MAX_TOKENS];

	while (next_line(r)) {
		int n = split(r->line, "", tok);
		if (!n)
			continue;
		if (n < 0) {
			json_decref(o);
			return fail(r, "more than %d fields", MAX_TOKENS);
		}
		if (n < 2) {
			json_decref(o);
			return fail(r, "'%s' has no value", tok[0]);
		}
		json_t *vals = json_array();
		for (int i = 1; i < n; i++) {
			json_int_t v;
			if (!parse_int(tok[i], &v)) {
				json_decref(vals);
				json_decref(o);
				return fail(r, "'%s' is not a number", tok[i]);
			}
			json_array_append_new(vals, json_integer(v));
		}
		if (n == 2) {
			json_object_set(o, tok[0], json_array_get(vals, 0));
			json_decref(vals);
		} else {
			json_object_set_new(o, tok[0], vals);
		}
	}
	return json_pack("{s:o}", "counters", o);
}

/* ---- per-zone tables: buddyinfo, extfrag_index, unusable_index ------------------------ */

/* "Node N, zone NAME" at the start of @line: fills node and zone, returns the rest. */
static char *zone_prefix(char *line, json_int_t *node, char *zone, size_t zlen)
{
	int used = 0;
	long long nd;
	char name[32];

	if (sscanf(line, " Node %lld, zone %31[^ ,\t]%n", &nd, name, &used) != 2)
		return NULL;
	*node = nd;
	snprintf(zone, zlen, "%s", name);
	return line + used;
}

static json_t *read_zone_rows(struct reader *r, const char *key, bool real)
{
	json_t *zones = json_array();
	char *tok[MAX_TOKENS], zone[32];
	json_int_t node;

	while (next_line(r)) {
		if (!r->line[0])
			continue;
		char *rest = zone_prefix(r->line, &node, zone, sizeof(zone));
		if (!rest) {
			json_decref(zones);
			return fail(r, "not 'Node N, zone NAME ...'");
		}
		json_t *vals = json_array();
		for (int i = 0, n = split(rest, "", tok); i < n; i++) {
			json_int_t v;
			double d;
			if (real ? !parse_real(tok[i], &d) : !parse_int(tok[i], &v)) {
				json_decref(vals);
				json_decref(zones);
				return fail(r, "'%s' is not a number", tok[i]);
			}
			json_array_append_new(vals, real ? json_real(d) : json_integer(v));
		}
		json_array_append_new(zones, json_pack("{s:I,s:s,s:o}", "node", node, "zone", zone,
						       key, vals));
	}
	return json_pack("{s:o}", "zones", zones);
}

/* ---- pagetypeinfo ------------------------------------------------------------------------ */

static json_t *read_pagetypeinfo(struct reader *r)
{
	json_t *free_lists = json_array(), *blocks = json_array(), *types = json_array();
	json_int_t order = -1, per_block = -1, node;
	char *tok[MAX_TOKENS], zone[32];
	enum { HEAD, FREE, BLOCKS } part = HEAD;
	json_t *doc = NULL;

	while (next_line(r)) {
		long long v;
		if (!r->line[0])
			continue;
		if (sscanf(r->line, "Page block order: %lld", &v) == 1) {
			order = v;
		} else if (sscanf(r->line, "Pages per block: %lld", &v) == 1) {
			per_block = v;
		} else if (!strncmp(r->line, "Free pages count per migrate type", 33)) {
			part = FREE;
		} else if (!strncmp(r->line, "Number of blocks type", 21)) {
			part = BLOCKS;
			for (int i = 0, n = split(r->line + 21, "", tok); i < n; i++)
				json_array_append_new(types, json_string(tok[i]));
		} else {
			char *rest = zone_prefix(r->line, &node, zone, sizeof(zone));
			char type[32];
			int used = 0;
			if (!rest || part == HEAD)
				goto bad;
			if (part == FREE) {
				if (sscanf(rest, ", type %31s%n", type, &used) != 1)
					goto bad;
				rest += used;
			}
			json_t *counts = json_array();
			for (int i = 0, n = split(rest, "", tok); i < n; i++) {
				json_int_t c;
				if (!parse_int(tok[i], &c)) {
					json_decref(counts);
					goto bad;
				}
				json_array_append_new(counts, json_integer(c));
			}
			if (part == FREE) {
				json_array_append_new(free_lists, json_pack(
					"{s:I,s:s,s:s,s:o}", "node", node, "zone", zone, "type", type,
					"free", counts));
			} else {
				if (json_array_size(counts) != json_array_size(types)) {
					json_decref(counts);
					goto bad;
				}
				json_t *by_type = json_object();
				size_t i;
				json_t *t;
				json_array_foreach(types, i, t)
					json_object_set(by_type, json_string_value(t),
							json_array_get(counts, i));
				json_decref(counts);
				json_array_append_new(blocks, json_pack("{s:I,s:s,s:o}", "node", node,
									"zone", zone, "blocks", by_type));
			}
		}
	}
	if (order < 0 || per_block < 0) {
		fail(r, "no 'Page block order' or 'Pages per block' line");
		goto out;
	}
	doc = json_pack("{s:I,s:I,s:O,s:O}", "page_block_order", order, "pages_per_block",
			per_block, "free_lists", free_lists, "blocks", blocks);
	goto out;
bad:
	fail(r, "not a row of the %s table", part == BLOCKS ? "block" : "free page");
out:
	json_decref(free_lists);
	json_decref(blocks);
	json_decref(types);
	return doc;
}

/* ---- zoneinfo ------------------------------------------------------------------------------ */

/*
 * A zone's section: "pages free N" and the watermark lines under it, the
 * protection array, the counters, the per-CPU pagesets, and the last two
 * "key: value" lines. The node's counters come under its first zone, after
 * "per-node stats", as the kernel prints them.
 */
static json_t *read_zoneinfo(struct reader *r)
{
	json_t *nodes = json_array(), *zones = json_array();
	json_t *zone = NULL, *node_stats = NULL, *pagesets = NULL, *pcp = NULL;
	enum { NONE, NODE_STATS, PAGES, STATS, PAGESETS } part = NONE;
	char *tok[MAX_TOKENS], name[32];
	json_int_t node, v;

	while (next_line(r)) {
		if (!r->line[0])
			continue;
		char *rest = zone_prefix(r->line, &node, name, sizeof(name));
		if (rest) {
			pagesets = json_array();
			zone = json_pack("{s:I,s:s,s:{},s:[],s:{},s:o}", "node", node, "zone", name,
					 "pages", "protection", "stats", "pagesets", pagesets);
			json_array_append_new(zones, zone);
			part = NONE;
			pcp = NULL;
			continue;
		}
		if (!zone)
			goto bad;
		char *line = trim(r->line);
		if (!strcmp(line, "per-node stats")) {
			node_stats = json_object();
			json_array_append_new(nodes, json_pack("{s:I,s:o}", "node", node, "stats",
							       node_stats));
			part = NODE_STATS;
			continue;
		}
		if (!strcmp(line, "pagesets")) {
			part = PAGESETS;
			continue;
		}
		if (!strncmp(line, "protection:", 11)) {
			json_t *prot = json_object_get(zone, "protection");
			for (int i = 0, n = split(line + 11, "(),", tok); i < n; i++) {
				if (!parse_int(tok[i], &v))
					goto bad;
				json_array_append_new(prot, json_integer(v));
			}
			part = STATS;
			continue;
		}
		char words[sizeof(r->line)];
		snprintf(words, sizeof(words), "%s", line);
		int n = split(words, "", tok);
		if (n == 3 && !strcmp(tok[0], "pages") && !strcmp(tok[1], "free") &&
		    parse_int(tok[2], &v)) {
			json_object_set_new(json_object_get(zone, "pages"), "free", json_integer(v));
			part = PAGES;
			continue;
		}
		if (part == PAGESETS && n == 2 && !strcmp(tok[0], "cpu:") && parse_int(tok[1], &v)) {
			pcp = json_pack("{s:I}", "cpu", v);
			json_array_append_new(pagesets, pcp);
			continue;
		}
		/* "vm stats threshold: N" and the zone's last "key: N" lines. */
		char *colon = strchr(line, ':');
		if (colon && part == PAGESETS && pcp) {
			*colon = '\0';
			if (!parse_int(trim(colon + 1), &v))
				goto bad;
			bool per_cpu = strcmp(line, "node_unreclaimable") && strcmp(line, "start_pfn");
			/* A key without blanks, for scripts: "vm_stats_threshold". */
			for (char *b = line; (b = strchr(b, ' '));)
				*b = '_';
			json_object_set_new(per_cpu ? pcp : zone, line, json_integer(v));
			continue;
		}
		if (n != 2 || !parse_int(tok[1], &v))
			goto bad;
		json_t *into = part == NODE_STATS ? node_stats :
			       part == PAGES ? json_object_get(zone, "pages") :
			       json_object_get(zone, "stats");
		if (part == NONE)
			goto bad;
		json_object_set_new(into, tok[0], json_integer(v));
	}
	return json_pack("{s:o,s:o}", "nodes", nodes, "zones", zones);
bad:
	json_decref(nodes);
	json_decref(zones);
	return fail(r, "not a line of a zone's section");
}

/* ---- slabinfo ------------------------------------------------------------------------------ */

static json_t *read_slabinfo(struct reader *r)
{
	static const char *const cols[] = {
		"active_objs", "num_objs", "objsize", "objperslab", "pagesperslab",
		"limit", "batchcount", "sharedfactor", "active_slabs", "num_slabs", "sharedavail",
	};
	char version[32], *tok[MAX_TOKENS];
	json_t *caches;

	if (!next_line(r) || sscanf(r->line, "slabinfo - version: %31s", version) != 1)
		return fail(r, "not 'slabinfo - version: V'");
	if (!next_line(r) || r->line[0] != '#')
		return fail(r, "not the '# name' header");
	caches = json_array();
	while (next_line(r)) {
		int n = split(r->line, ":", tok);
		if (!n)
			continue;
		/* name, five numbers, "tunables" and three, "slabdata" and three */
		if (n != 14 || strcmp(tok[6], "tunables") || strcmp(tok[10], "slabdata")) {
			json_decref(caches);
			return fail(r, "not a cache's row");
		}
		json_t *row = json_pack("{s:s}", "name", tok[0]);
		for (int i = 1, k = 0; i < n; i++) {
			json_int_t v;
			if (i == 6 || i == 10)
				continue;
			if (!parse_int(tok[i], &v)) {
				json_decref(row);
				json_decref(caches);
				return fail(r, "'%s' is not a number", tok[i]);
			}
			json_object_set_new(row, cols[k++], json_integer(v));
		}
		json_array_append_new(caches, row);
	}
	return json_pack("{s:s,s:o}", "version", version, "caches", caches);
}

/* ---- vmallocinfo ---------------------------------------------------------------------------- */

static json_t *read_vmallocinfo(struct reader *r)
{
	json_t *areas = json_array();
	char *tok[MAX_TOKENS];

	while (next_line(r)) {
		int n = split(r->line, "", tok);
		json_int_t size;
		if (!n)
			continue;
		char *dash = strchr(tok[0], '-');
		if (n < 3 || !dash || !parse_int(tok[1], &size)) {
			json_decref(areas);
			return fail(r, "not 'START-END SIZE CALLER ...'");
		}
		*dash = '\0';
		json_t *flags = json_array(), *numa = json_object();
		json_t *area = json_pack("{s:s,s:s,s:I,s:s,s:o,s:o}", "start", tok[0], "end",
					 dash + 1, "size", size, "caller", tok[2], "flags", flags,
					 "numa", numa);
		for (int i = 3; i < n; i++) {
			char *eq = strchr(tok[i], '=');
			json_int_t v;
			if (!eq) {
				json_array_append_new(flags, json_string(tok[i]));
				continue;
			}
			*eq = '\0';
			if (!strcmp(tok[i], "phys"))
				json_object_set_new(area, "phys", json_string(eq + 1));
			else if (!parse_int(eq + 1, &v))
				json_object_set_new(area, tok[i], json_string(eq + 1));
			else if (tok[i][0] == 'N' && isdigit((unsigned char)tok[i][1]))
				json_object_set_new(numa, tok[i], json_integer(v));
			else
				json_object_set_new(area, tok[i], json_integer(v));
		}
		json_array_append_new(areas, area);
	}
	return json_pack("{s:o}", "areas", areas);
}

/* ---- swaps, limits: tables with a header ---------------------------------------------------- */

static json_t *read_swaps(struct reader *r)
{
	char *tok[MAX_TOKENS];
	json_int_t size, used, prio;

	if (!next_line(r) || strncmp(r->line, "Filename", 8))
		return fail(r, "not the 'Filename Type ...' header");
	json_t *swaps = json_array();
	while (next_line(r)) {
		int n = split(r->line, "", tok);
		if (!n)
			continue;
		if (n != 5 || !parse_int(tok[2], &size) || !parse_int(tok[3], &used) ||
		    !parse_int(tok[4], &prio)) {
			json_decref(swaps);
			return fail(r, "not 'FILENAME TYPE SIZE USED PRIORITY'");
		}
		json_array_append_new(swaps, json_pack("{s:s,s:s,s:I,s:I,s:I}", "filename", tok[0],
						       "type", tok[1], "size_kB", size, "used_kB",
						       used, "priority", prio));
	}
	return json_pack("{s:o}", "swaps", swaps);
}

static json_t *limit_value(const char *s)
{
	json_int_t v;

	return parse_int(s, &v) ? json_integer(v) : json_string(s);
}

/* The columns start where the header's titles do: "Limit", "Soft Limit" ... */
static json_t *read_limits(struct reader *r)
{
	if (!next_line(r) || strncmp(r->line, "Limit", 5))
		return fail(r, "not the 'Limit Soft Limit ...' header");
	const char *soft = strstr(r->line, "Soft Limit"), *hard = strstr(r->line, "Hard Limit");
	const char *units = strstr(r->line, "Units");
	if (!soft || !hard || !units)
		return fail(r, "the header lacks a column");
	size_t at_soft = (size_t)(soft - r->line), at_hard = (size_t)(hard - r->line);
	size_t at_units = (size_t)(units - r->line);
	json_t *limits = json_array();
	while (next_line(r)) {
		size_t n = strlen(r->line);
		if (!n)
			continue;
		if (n <= at_hard) {
			json_decref(limits);
			return fail(r, "a row shorter than its columns");
		}
		char name[64], s[32], h[32], u[32] = "";
		snprintf(name, sizeof(name), "%.*s", (int)at_soft, r->line);
		snprintf(s, sizeof(s), "%.*s", (int)(at_hard - at_soft), r->line + at_soft);
		snprintf(h, sizeof(h), "%.*s", (int)(at_units - at_hard), r->line + at_hard);
		if (n > at_units)
			snprintf(u, sizeof(u), "%s", r->line + at_units);
		json_array_append_new(limits, json_pack("{s:s,s:o,s:o,s:s}", "name", trim(name),
							"soft", limit_value(trim(s)), "hard",
							limit_value(trim(h)), "units", trim(u)));
	}
	return json_pack("{s:o}", "limits", limits);
}

/* ---- one-line files ------------------------------------------------------------------------ */

/* /proc/PID/stat's fields, as proc(5) names them. */
static const char *const pid_stat_fields[] = {
	"pid", "comm", "state", "ppid", "pgrp", "session", "tty_nr", "tpgid", "flags", "minflt",
	"cminflt", "majflt", "cmajflt", "utime", "stime", "cutime", "cstime", "priority", "nice",
	"num_threads", "itrealvalue", "starttime", "vsize", "rss", "rsslim", "startcode",
	"endcode", "startstack", "kstkesp", "kstkeip", "signal", "blocked", "sigignore",
	"sigcatch", "wchan", "nswap", "cnswap", "exit_signal", "processor", "rt_priority",
	"policy", "delayacct_blkio_ticks", "guest_time", "cguest_time", "start_data", "end_data",
	"start_brk", "arg_start", "arg_end", "env_start", "env_end", "exit_code",
};
#define NR_PID_STAT_FIELDS (sizeof(pid_stat_fields) / sizeof(pid_stat_fields[0]))

static json_t *read_pid_stat(struct reader *r)
{
	if (!next_line(r))
		return fail(r, "empty");
	/* The command is in parentheses and may hold blanks and ')': the last ')' ends it. */
	char *open = strchr(r->line, '('), *close = strrchr(r->line, ')');
	if (!open || !close || close < open)
		return fail(r, "no '(comm)'");
	*open = *close = '\0';
	json_int_t pid;
	if (!parse_int(trim(r->line), &pid))
		return fail(r, "no pid before '(comm)'");
	json_t *fields = json_pack("{s:I,s:s}", "pid", pid, "comm", open + 1);
	char *tok[MAX_TOKENS];
	int n = split(close + 1, "", tok);
	if ((size_t)n != NR_PID_STAT_FIELDS - 2) {
		json_decref(fields);
		return fail(r, "%d fields after (comm), not %zu", n, NR_PID_STAT_FIELDS - 2);
	}
	json_object_set_new(fields, "state", json_string(tok[0]));
	for (int i = 1; i < n; i++) {
		json_t *v = big_number(tok[i]);
		if (!v) {
			json_decref(fields);
			return fail(r, "%s '%s' is not a number", pid_stat_fields[i + 2], tok[i]);
		}
		json_object_set_new(fields, pid_stat_fields[i + 2], v);
	}
	return json_pack("{s:o}", "fields", fields);
}

static json_t *read_statm(struct reader *r)
{
	static const char *const names[] = { "size", "resident", "shared", "text", "lib", "data",
					     "dt" };
	char *tok[MAX_TOKENS];

	if (!next_line(r) || split(r->line, "", tok) != 7)
		return fail(r, "not seven numbers");
	json_t *o = json_object();
	for (int i = 0; i < 7; i++) {
		json_int_t v;
		if (!parse_int(tok[i], &v)) {
			json_decref(o);
			return fail(r, "'%s' is not a number", tok[i]);
		}
		json_object_set_new(o, names[i], json_integer(v));
	}
	return json_pack("{s:o}", "pages", o);
}

static json_t *read_uptime(struct reader *r)
{
	char *tok[MAX_TOKENS];
	double up, idle;

	if (!next_line(r) || split(r->line, "", tok) != 2 || !parse_real(tok[0], &up) ||
	    !parse_real(tok[1], &idle))
		return fail(r, "not 'UPTIME IDLE'");
	return json_pack("{s:f,s:f}", "uptime_s", up, "idle_s", idle);
}

static json_t *read_cmdline(struct reader *r)
{
	char line[sizeof(r->line)], *tok[MAX_TOKENS];

	if (!next_line(r))
		r->line[0] = '\0';
	snprintf(line, sizeof(line), "%s", r->line);
	json_t *params = json_array();
	for (int i = 0, n = split(line, "", tok); i < n; i++)
		json_array_append_new(params, json_string(tok[i]));
	return json_pack("{s:s,s:o}", "value", trim(r->line), "params", params);
}

/* A sysctl, a debugfs or sysfs value, a small /proc/PID file: one line, or none. */
static json_t *read_value(struct reader *r)
{
	if (!next_line(r))
		return json_pack("{s:n}", "value");
	char first[sizeof(r->line)];
	snprintf(first, sizeof(first), "%s", r->line);
	if (next_line(r) && r->line[0])
		return fail(r, "more than one line");
	/* sysfs's choices: "always [madvise] never" */
	char *open = strchr(first, '['), *close = strchr(first, ']');
	if (open && close > open) {
		char *tok[MAX_TOKENS], chosen[64];
		snprintf(chosen, sizeof(chosen), "%.*s", (int)(close - open - 1), open + 1);
		json_t *choices = json_array();
		for (int i = 0, n = split(first, "[]", tok); i < n; i++)
			json_array_append_new(choices, json_string(tok[i]));
		return json_pack("{s:s,s:o}", "value", chosen, "choices", choices);
	}
	return json_pack("{s:o}", "value", value_of(first));
}

/* /proc/PID/cmdline and environ: strings, each ended by NUL. */
static json_t *read_strings(struct reader *r)
{
	const char *text = r->text;
	size_t len = r->len;
	json_t *a = json_array();

	for (size_t i = 0; i < len;) {
		size_t n = strnlen(text + i, len - i);
		json_array_append_new(a, json_stringn(text + i, n));
		i += n + 1;
	}
	return json_pack("{s:o}", "strings", a);
}

/* /proc/PID/auxv: (type, value) pairs of machine words, through AT_NULL. */
static json_t *read_auxv(struct reader *r)
{
	const char *text = r->text;
	size_t len = r->len;
	unsigned int word = r->word_bytes;
	json_t *a = json_array();

	if (len % (2 * word)) {
		json_decref(a);
		return fail(r, "%zu bytes is not a whole number of %u-byte pairs", len, word);
	}
	for (size_t i = 0; i < len; i += 2 * word) {
		uint64_t type = 0, val = 0;
		memcpy(&type, text + i, word);	/* little-endian words, as on x86 */
		memcpy(&val, text + i + word, word);
		char hex[24];
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)val);
		json_array_append_new(a, json_pack("{s:I,s:s}", "type", (json_int_t)type, "value",
						   hex));
	}
	return json_pack("{s:o}", "auxv", a);
}

/* ---- text that is not UTF-8 -------------------------------------------------------------- */

/* The length of the well-formed UTF-8 sequence at @s (RFC 3629), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;	/* the second byte's range */

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (left < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/*
 * The text with each byte that is not part of well-formed UTF-8 (and, for
 * text formats, each NUL) as U+FFFD, as readers of /proc show a program's
 * odd bytes: a JSON string must be UTF-8, and nothing may silently vanish.
 * NULL if nothing needs replacing (or out of host memory: @failed).
 */
static char *utf8_clean(const char *text, size_t len, bool keep_nul, size_t *out_len,
			bool *failed)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t bad = 0;

	for (size_t i = 0, n; i < len; i += n ? n : 1) {
		n = utf8_sequence(s + i, len - i);
		if (!n || (!s[i] && !keep_nul))
			bad++;
	}
	*failed = false;
	if (!bad)
		return NULL;
	char *out = malloc(len + 2 * bad + 1), *p = out;
	if (!out) {
		*failed = true;
		return NULL;
	}
	for (size_t i = 0, n; i < len; i += n ? n : 1) {
		n = utf8_sequence(s + i, len - i);
		if (!n || (!s[i] && !keep_nul)) {
			memcpy(p, "\xef\xbf\xbd", 3);
			p += 3;
		} else {
			memcpy(p, s + i, n);
			p += n;
		}
	}
	*p = '\0';
	*out_len = (size_t)(p - out);
	return out;
}

json_t *proc_json_string(const char *s, size_t n)
{
	bool failed;
	size_t clean_len;
	char *clean = utf8_clean(s, n, true, &clean_len, &failed);

	if (failed)
		return NULL;
	json_t *str = clean ? json_stringn(clean, clean_len) : json_stringn(s, n);
	free(clean);
	return str;
}

/* ---- which format a path is read with ------------------------------------------------------ */

struct format {
	const char *path;	/* a file, or "PID/name" for every process's */
	const char *format;
};

static const struct format formats[] = {
	{ "/proc/buddyinfo", "buddyinfo" },
	{ "/proc/cmdline", "cmdline" },
	{ "/proc/meminfo", "keyvalue" },
	{ "/proc/pagetypeinfo", "pagetypeinfo" },
	{ "/proc/slabinfo", "slabinfo" },
	{ "/proc/stat", "counters" },
	{ "/proc/swaps", "swaps" },
	{ "/proc/uptime", "uptime" },
	{ "/proc/vmallocinfo", "vmallocinfo" },
	{ "/proc/vmstat", "counters" },
	{ "/proc/zoneinfo", "zoneinfo" },
	{ "/sys/kernel/debug/extfrag/extfrag_index", "zone_indices" },
	{ "/sys/kernel/debug/extfrag/unusable_index", "zone_indices" },
	{ "PID/auxv", "auxv" },
	{ "PID/cmdline", "strings" },
	{ "PID/environ", "strings" },
	{ "PID/limits", "limits" },
	{ "PID/maps", "maps" },
	{ "PID/smaps", "smaps" },
	{ "PID/smaps_rollup", "smaps_rollup" },
	{ "PID/stat", "pid_stat" },
	{ "PID/statm", "statm" },
	{ "PID/status", "keyvalue" },
};

/* "/proc/42/maps" or "/proc/self/maps" -> "maps"; NULL for other paths. */
static const char *pid_file(const char *path)
{
	if (strncmp(path, "/proc/", 6))
		return NULL;
	const char *p = path + 6;
	if (!strncmp(p, "self/", 5))
		return p + 5;
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == '/' ? p + 1 : NULL;
}

const char *proc_json_format(const char *path)
{
	const char *in_pid = pid_file(path);

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const char *f = formats[i].path;
		if (!strncmp(f, "PID/", 4) ? in_pid && !strcmp(in_pid, f + 4) : !strcmp(path, f))
			return formats[i].format;
	}
	/* Everything else (sysctls, debugfs and sysfs values, oom_score ...) is one value. */
	return "value";
}

/* Readers that are one of the general ones with a setting. */
static json_t *read_maps_only(struct reader *r)
{
	return read_maps(r, false);
}

static json_t *read_smaps(struct reader *r)
{
	return read_maps(r, true);
}

static json_t *read_buddyinfo(struct reader *r)
{
	return read_zone_rows(r, "free", false);
}

static json_t *read_zone_indices(struct reader *r)
{
	return read_zone_rows(r, "index", true);
}

/* Each format's reader; proc_json_format() names the format of a path ("value": all the rest). */
static const struct {
	const char *format;
	json_t *(*read)(struct reader *r);
} readers[] = {
	{ "keyvalue", read_key_values }, { "smaps_rollup", read_smaps_rollup },
	{ "maps", read_maps_only }, { "smaps", read_smaps }, { "counters", read_counters },
	{ "buddyinfo", read_buddyinfo }, { "zone_indices", read_zone_indices },
	{ "pagetypeinfo", read_pagetypeinfo }, { "zoneinfo", read_zoneinfo },
	{ "slabinfo", read_slabinfo }, { "vmallocinfo", read_vmallocinfo }, { "swaps", read_swaps },
	{ "limits", read_limits }, { "pid_stat", read_pid_stat }, { "statm", read_statm },
	{ "uptime", read_uptime }, { "cmdline", read_cmdline }, { "strings", read_strings },
	{ "auxv", read_auxv }, { "value", read_value },
};

json_t *proc_json_document(const char *path, const char *text, size_t len,
			   unsigned int word_bytes, char *err, size_t errlen)
{
	const char *format = proc_json_format(path);
	bool binary = !strcmp(format, "auxv"), failed = false;
	size_t clean_len = len;
	char *clean = binary ? NULL : utf8_clean(text, len, !strcmp(format, "strings"), &clean_len,
						  &failed);
	json_t *data;

	if (!binary && failed) {
		snprintf(err, errlen, "out of host memory");
		return NULL;
	}
	if (clean) {
		text = clean;
		len = clean_len;
	}
	struct reader r = { .p = text, .end = text + len, .err = err, .errlen = errlen,
			    .text = text, .len = len, .word_bytes = word_bytes };
	err[0] = '\0';

	data = NULL;
	for (size_t k = 0; k < sizeof(readers) / sizeof(readers[0]); k++)
		if (!strcmp(format, readers[k].format)) {
			data = readers[k].read(&r);
			break;
		}
	free(clean);
	if (r.too_long) {
		/* The reader's own message names the line. */
		json_decref(data);
		return NULL;
	}
	if (!data && !err[0])
		snprintf(err, errlen, "out of host memory");
	json_t *doc = data ? json_pack("{s:s,s:s,s:o}", "path", path, "format", format, "data", data)
			   : NULL;
	if (data && !doc)
		snprintf(err, errlen, "the path is not UTF-8, or out of host memory");
	return doc;
}

json_t *proc_json_read(struct machine *m, const char *path, int *proc_err, char *err,
		       size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	*proc_err = 0;
	if (!f) {
		*proc_err = -MMSIM_ENOMEM;
		return NULL;
	}
	int rc = mmsim_proc_read(m, path, f);
	if (fclose(f) && !rc)
		rc = -MMSIM_ENOMEM;
	json_t *doc = rc ? NULL : proc_json_document(path, text, len, m->is_32bit ? 4 : 8, err,
						     errlen);
	*proc_err = rc;
	free(text);
	return doc;
}
