/* cmd_procps.c — procps-ng 4.0.2's free, vmstat and slabtop, as Debian 12
 * has them, reading the machine's /proc files exactly as the real tools
 * read the real ones (/proc/meminfo, /proc/stat, /proc/vmstat,
 * /proc/slabinfo): the same fields, the same arithmetic (single-precision
 * float where procps uses it), the same formats. A field the simulated
 * kernel does not print yet reads as 0, as it would for procps.
 *
 * Where the real tools repeat in real time (free -s, vmstat DELAY), these
 * advance the simulated clock by the delay between reports: the machine
 * idles meanwhile. slabtop has no screen to redraw, so it always prints
 * once (as slabtop --once). */
#define _GNU_SOURCE	/* qsort_r */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/machine.h>

#include "cli/cli.h"

#define USER_HZ		100	/* sysconf(_SC_CLK_TCK): /proc/stat's unit */
#define MAX_REPORTS	1000	/* free -c, vmstat COUNT */
#define MAX_DELAY_S	86400
#define VMSTAT_HEIGHT	21	/* rows between headings when not on a terminal */

/* A /proc file's text (NUL-terminated, the caller frees it); NULL after cli_error(). */
static char *proc_text(struct cli *c, const char *tool, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		cli_error(c, "out of host memory");
		return NULL;
	}
	int rc = mmsim_proc_read(c->m, path, f);
	fclose(f);
	if (rc) {
		free(text);
		cli_error(c, "%s: %s does not exist", tool, path);
		return NULL;
	}
	return text;
}

/* "Key:   value kB" lines: the value of @key, 0 if it is missing (procps' meminfo parser). */
static unsigned long meminfo_field(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = text; *p;) {
		const char *colon = strchr(p, ':'), *nl = strchr(p, '\n');
		if (!colon || (nl && colon > nl))
			break;	/* procps stops at the first line without ':' */
		if ((size_t)(colon - p) == klen && !strncmp(p, key, klen))
			return strtoul(colon + 1, NULL, 10);
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

/* "key value" lines (/proc/vmstat) or a stat line's first number: 0 if missing. */
static unsigned long long keyed_field(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = text; *p;) {
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoull(p + klen + 1, NULL, 10);
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

/* What free and vmstat derive from /proc/meminfo (procps' meminfo, in kB). */
struct meminfo {
	unsigned long total, free, available, buffers, cached, sreclaimable, shmem;
	unsigned long swap_total, swap_free, low_total, low_free, high_total, high_free;
	unsigned long commit_limit, committed_as, active, inactive;
	unsigned long cached_all, swap_used, low_used, high_used;
	long used;
};

static void meminfo_read(const char *t, struct meminfo *mi)
{
	mi->total = meminfo_field(t, "MemTotal");
	mi->free = meminfo_field(t, "MemFree");
	mi->available = meminfo_field(t, "MemAvailable");
	mi->buffers = meminfo_field(t, "Buffers");
	mi->cached = meminfo_field(t, "Cached");
	mi->sreclaimable = meminfo_field(t, "SReclaimable");
	mi->shmem = meminfo_field(t, "Shmem");
	mi->swap_total = meminfo_field(t, "SwapTotal");
	mi->swap_free = meminfo_field(t, "SwapFree");
	mi->low_total = meminfo_field(t, "LowTotal");
	mi->low_free = meminfo_field(t, "LowFree");
	mi->high_total = meminfo_field(t, "HighTotal");
	mi->high_free = meminfo_field(t, "HighFree");
	mi->commit_limit = meminfo_field(t, "CommitLimit");
	mi->committed_as = meminfo_field(t, "Committed_AS");
	mi->active = meminfo_field(t, "Active");
	mi->inactive = meminfo_field(t, "Inactive");
	/* procps 4.0.2's derived values, in its order. */
	if (!mi->available)
		mi->available = mi->free;
	mi->cached_all = mi->cached + mi->sreclaimable;
	if (mi->available > mi->total)
		mi->available = mi->free;
	mi->used = (long)mi->total - (long)mi->available;
	if (mi->used < 0)
		mi->used = (long)mi->total - (long)mi->free;
	mi->high_used = mi->high_free < mi->high_total ? mi->high_total - mi->high_free : 0;
	if (!mi->low_total) {
		mi->low_total = mi->total;
		mi->low_free = mi->free;
	}
	mi->low_used = mi->low_free < mi->low_total ? mi->low_total - mi->low_free : 0;
	mi->swap_used = mi->swap_free < mi->swap_total ? mi->swap_total - mi->swap_free : 0;
}

/* ---- free ----------------------------------------------------------------------------- */

struct free_opts {
	int exponent;		/* 0 kB (as read), 1 bytes, 2 K, 3 M, 4 G, 5 T, 6 P */
	bool human, si, lohi, total, committed, wide;
};

/* procps' scale_size(): one column's text. */
static void scale_size(char *buf, size_t n, long kb, const struct free_opts *o)
{
	static const char units[] = "BKMGTP";
	long long bytes = (long long)kb * 1024;
	double base = o->si ? 1000.0 : 1024.0;

	if (!o->human) {
		if (o->exponent == 0)
			snprintf(buf, n, "%ld", (long)(bytes / (long long)base));
		else if (o->exponent == 1)
			snprintf(buf, n, "%lld", bytes);
		else
			snprintf(buf, n, "%ld", (long)(bytes / pow(base, o->exponent - 1)));
		return;
	}
	snprintf(buf, n, "%lld%c", bytes, 'B');
	if (strlen(buf) <= 4)
		return;
	size_t fit = o->si ? 4 : 5;
	for (int i = 1; i <= 5; i++) {
		double v = (double)bytes / pow(base, i);
		snprintf(buf, n, o->si ? "%.1f%c" : "%.1f%ci", (float)v, units[i]);
		if (strlen(buf) <= fit)
			return;
		snprintf(buf, n, o->si ? "%ld%c" : "%ld%ci", (long)v, units[i]);
		if (strlen(buf) <= fit)
			return;
	}
}

static void free_row(struct cli *c, const struct free_opts *o, const char *label, int n, ...)
{
	va_list ap;
	char buf[64];

	fprintf(c->out, "%-9s", label);
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		scale_size(buf, sizeof(buf), va_arg(ap, long), o);
		fprintf(c->out, i ? " %11s" : "%11s", buf);
	}
	va_end(ap);
	fputc('\n', c->out);
}

static int free_report(struct cli *c, const struct free_opts *o)
{
	struct meminfo mi;
	char *text = proc_text(c, "free", "/proc/meminfo");

	if (!text)
		return 2;
	meminfo_read(text, &mi);
	free(text);
	if (o->wide) {
		fputs("               total        used        free      shared     buffers       cache"
		      "   available\n", c->out);
		free_row(c, o, "Mem:", 7, (long)mi.total, mi.used, (long)mi.free, (long)mi.shmem,
			 (long)mi.buffers, (long)mi.cached_all, (long)mi.available);
	} else {
		fputs("               total        used        free      shared  buff/cache   available\n",
		      c->out);
		free_row(c, o, "Mem:", 6, (long)mi.total, mi.used, (long)mi.free, (long)mi.shmem,
			 (long)(mi.buffers + mi.cached_all), (long)mi.available);
	}
	if (o->lohi) {
		free_row(c, o, "Low:", 3, (long)mi.low_total, (long)mi.low_used, (long)mi.low_free);
		free_row(c, o, "High:", 3, (long)mi.high_total, (long)mi.high_used,
			 (long)mi.high_free);
	}
	free_row(c, o, "Swap:", 3, (long)mi.swap_total, (long)mi.swap_used, (long)mi.swap_free);
	if (o->total)
		free_row(c, o, "Total:", 3, (long)(mi.total + mi.swap_total),
			 mi.used + (long)mi.swap_used, (long)(mi.free + mi.swap_free));
	if (o->committed)
		free_row(c, o, "Comm:", 3, (long)mi.commit_limit, (long)mi.committed_as,
			 (long)(mi.commit_limit - mi.committed_as));
	return 0;
}

/* A delay in whole seconds and a report count, for the tools that repeat. */
static int delay_arg(struct cli *c, const char *tool, const char *text, uint64_t *seconds)
{
	if (parse_number(text, seconds) || !*seconds || *seconds > MAX_DELAY_S)
		return cli_error(c, "%s: delay '%s' is not a whole number of seconds (1..%d)", tool,
				 text, MAX_DELAY_S);
	return 0;
}

static int count_arg(struct cli *c, const char *tool, const char *text, uint64_t *count)
{
	if (parse_number(text, count) || !*count || *count > MAX_REPORTS)
		return cli_error(c, "%s: failed to parse count argument: '%s' (1..%d)", tool, text,
				 MAX_REPORTS);
	return 0;
}

static int cmd_free(struct cli *c, int argc, char **argv)
{
	enum { O_KILO = 256, O_MEGA, O_GIGA, O_TERA, O_PETA, O_TEBI, O_PEBI, O_SI, O_HELP };
	static const struct option longopts[] = {
		{ "bytes", no_argument, NULL, 'b' }, { "kilo", no_argument, NULL, O_KILO },
		{ "mega", no_argument, NULL, O_MEGA }, { "giga", no_argument, NULL, O_GIGA },
		{ "tera", no_argument, NULL, O_TERA }, { "peta", no_argument, NULL, O_PETA },
		{ "kibi", no_argument, NULL, 'k' }, { "mebi", no_argument, NULL, 'm' },
		{ "gibi", no_argument, NULL, 'g' }, { "tebi", no_argument, NULL, O_TEBI },
		{ "pebi", no_argument, NULL, O_PEBI }, { "human", no_argument, NULL, 'h' },
		{ "si", no_argument, NULL, O_SI }, { "lohi", no_argument, NULL, 'l' },
		{ "total", no_argument, NULL, 't' }, { "committed", no_argument, NULL, 'v' },
		{ "seconds", required_argument, NULL, 's' }, { "count", required_argument, NULL, 'c' },
		{ "wide", no_argument, NULL, 'w' }, { NULL, 0, NULL, 0 },
	};
	struct free_opts o = { 0 };
	uint64_t delay = 0, count = 1;
	bool count_given = false;
	int opt, rc, units = 0;

	cli_getopt_start();
	while (!(rc = cli_getopt(c, argc, argv, ":bkmghltvws:c:", longopts, &opt))) {
		int exponent = -1;
		switch (opt) {
		case 'b': exponent = 1; break;
		case 'k': exponent = 2; break;
		case 'm': exponent = 3; break;
		case 'g': exponent = 4; break;
		case O_TEBI: exponent = 5; break;
		case O_PEBI: exponent = 6; break;
		case O_KILO: exponent = 2; o.si = true; break;
		case O_MEGA: exponent = 3; o.si = true; break;
		case O_GIGA: exponent = 4; o.si = true; break;
		case O_TERA: exponent = 5; o.si = true; break;
		case O_PETA: exponent = 6; o.si = true; break;
		case O_SI: o.si = true; break;
		case 'h': o.human = true; break;
		case 'l': o.lohi = true; break;
		case 't': o.total = true; break;
		case 'v': o.committed = true; break;
		case 'w': o.wide = true; break;
		case 's':
			if ((rc = delay_arg(c, "free", optarg, &delay)))
				return rc;
			break;
		case 'c':
			if ((rc = count_arg(c, "free", optarg, &count)))
				return rc;
			count_given = true;
			break;
		}
		if (exponent >= 0) {
			if (units++)
				return cli_error(c, "free: Multiple unit options don't make sense.");
			o.exponent = exponent;
		}
	}
	if (rc == 2)
		return rc;
	if (optind < argc)
		return cli_usage(c, "free");
	if (delay && !count_given)
		return cli_error(c, "free: -s repeats for ever; give a count too (-s N -c COUNT)");
	for (uint64_t i = 0; i < count; i++) {
		if (i) {
			fputc('\n', c->out);
			mmsim_advance_clock(c->m, (delay ? delay : 1) * 1000000000ULL);
		}
		if ((rc = free_report(c, &o)))
			return rc;
	}
	return 0;
}

/* ---- vmstat --------------------------------------------------------------------------- */

/* What vmstat reads from /proc/stat and /proc/vmstat. */
struct vm_sample {
	unsigned long long cpu[10];	/* user nice system idle iowait irq softirq steal guest gnice */
	unsigned long long intr, ctxt, btime, processes, running, blocked;
	unsigned long long pgpgin, pgpgout, pswpin, pswpout;
	struct meminfo mi;
};

static int vm_sample(struct cli *c, struct vm_sample *s)
{
	char *stat = proc_text(c, "vmstat", "/proc/stat");
	char *vm = stat ? proc_text(c, "vmstat", "/proc/vmstat") : NULL;
	char *mem = vm ? proc_text(c, "vmstat", "/proc/meminfo") : NULL;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	if (!mem) {
		rc = 2;
		goto out;
	}
	int n = sscanf(stat, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &s->cpu[0],
		       &s->cpu[1], &s->cpu[2], &s->cpu[3], &s->cpu[4], &s->cpu[5], &s->cpu[6],
		       &s->cpu[7], &s->cpu[8], &s->cpu[9]);
	if (n < 8) {
		rc = cli_error(c, "vmstat: Unable to create system stat structure");
		goto out;
	}
	s->intr = keyed_field(stat, "intr");
	s->ctxt = keyed_field(stat, "ctxt");
	s->btime = keyed_field(stat, "btime");
	s->processes = keyed_field(stat, "processes");
	s->running = keyed_field(stat, "procs_running");
	s->blocked = keyed_field(stat, "procs_blocked");
	s->pgpgin = keyed_field(vm, "pgpgin");
	s->pgpgout = keyed_field(vm, "pgpgout");
	s->pswpin = keyed_field(vm, "pswpin");
	s->pswpout = keyed_field(vm, "pswpout");
	meminfo_read(mem, &s->mi);
out:
	free(stat);
	free(vm);
	free(mem);
	return rc;
}

struct vmstat_opts {
	bool active, wide;
	float unit;		/* -S: bytes per displayed unit / 1024 ... see unit_convert() */
	char unit_letter;
};

/* procps' unitConvert(): in single precision, as vmstat computes it. */
static unsigned long unit_convert(const struct vmstat_opts *o, unsigned long long kb)
{
	return (unsigned long)((float)kb / o->unit * 1024);
}

static void vmstat_header(struct cli *c, const struct vmstat_opts *o)
{
	const char *b = o->active ? "inact" : "buff", *ca = o->active ? "active" : "cache";

	if (o->wide) {
		fputs("--procs-- -----------------------memory---------------------- ---swap-- -----io---- "
		      "-system-- ----------cpu----------\n", c->out);
		fprintf(c->out, "%4s %4s %12s %12s %12s %12s %4s %4s %5s %5s %4s %4s %3s %3s %3s %3s "
			"%3s %3s\n", "r", "b", "swpd", "free", b, ca, "si", "so", "bi", "bo", "in", "cs",
			"us", "sy", "id", "wa", "st", "gu");
	} else {
		fputs("procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n",
		      c->out);
		fprintf(c->out, "%2s %2s %6s %6s %6s %6s %4s %4s %5s %5s %4s %4s %2s %2s %2s %2s %2s\n",
			"r", "b", "swpd", "free", b, ca, "si", "so", "bi", "bo", "in", "cs", "us", "sy",
			"id", "wa", "st");
	}
}

/*
 * One report. The first (@prev NULL) gives averages since boot: rates are
 * divided by the cpu line's tick total, as procps does; later ones give
 * the change over @delay seconds.
 */
static void vmstat_line(struct cli *c, const struct vmstat_opts *o, const struct vm_sample *s,
			const struct vm_sample *prev, unsigned long long delay)
{
	unsigned long long d[10];

	for (int i = 0; i < 10; i++)
		d[i] = prev ? s->cpu[i] - prev->cpu[i] : s->cpu[i];
	unsigned long long use = d[0] + d[1], sys = d[2] + d[5] + d[6], idl = d[3], iow = d[4];
	unsigned long long sto = d[7], gue = d[8] + d[9];
	unsigned long long div = use + sys + idl + iow + sto;
	if (!div) {
		div = 1;
		idl = 1;
	}
	unsigned long long half = div / 2;
	use = use >= gue ? use - gue : 0;
	unsigned long si, so, bi, bo, in, cs;
	if (!prev) {
		si = (unsigned long)((unit_convert(o, s->pswpin * 4) * USER_HZ + half) / div);
		so = (unsigned long)((unit_convert(o, s->pswpout * 4) * USER_HZ + half) / div);
		bi = (unsigned long)((s->pgpgin * USER_HZ + half) / div);
		bo = (unsigned long)((s->pgpgout * USER_HZ + half) / div);
		in = (unsigned long)((s->intr * USER_HZ + half) / div);
		cs = (unsigned long)((s->ctxt * USER_HZ + half) / div);
	} else {
		unsigned long long h = delay / 2;
		si = (unsigned long)((unit_convert(o, (s->pswpin - prev->pswpin) * 4) + h) / delay);
		so = (unsigned long)((unit_convert(o, (s->pswpout - prev->pswpout) * 4) + h) / delay);
		bi = (unsigned long)((s->pgpgin - prev->pgpgin + h) / delay);
		bo = (unsigned long)((s->pgpgout - prev->pgpgout + h) / delay);
		in = (unsigned long)((s->intr - prev->intr + h) / delay);
		cs = (unsigned long)((s->ctxt - prev->ctxt + h) / delay);
	}
	unsigned long mem[4] = {
		unit_convert(o, s->mi.swap_used), unit_convert(o, s->mi.free),
		unit_convert(o, o->active ? s->mi.inactive : s->mi.buffers),
		unit_convert(o, o->active ? s->mi.active : s->mi.cached_all),
	};
	unsigned int pct[6] = {
		(unsigned int)((100 * use + half) / div), (unsigned int)((100 * sys + half) / div),
		(unsigned int)((100 * idl + half) / div), (unsigned int)((100 * iow + half) / div),
		(unsigned int)((100 * sto + half) / div), (unsigned int)((100 * gue + half) / div),
	};
	if (o->wide)
		fprintf(c->out, "%4llu %4llu %12lu %12lu %12lu %12lu %4lu %4lu %5lu %5lu %4lu %4lu %3u "
			"%3u %3u %3u %3u %3u\n", s->running, s->blocked, mem[0], mem[1], mem[2], mem[3],
			si, so, bi, bo, in, cs, pct[0], pct[1], pct[2], pct[3], pct[4], pct[5]);
	else
		fprintf(c->out, "%2llu %2llu %6lu %6lu %6lu %6lu %4lu %4lu %5lu %5lu %4lu %4lu %2u %2u "
			"%2u %2u %2u\n", s->running, s->blocked, mem[0], mem[1], mem[2], mem[3], si, so,
			bi, bo, in, cs, pct[0], pct[1], pct[2], pct[3], pct[4]);
}

/* vmstat -s: the 28 counters, one a line. */
static void vmstat_sum(struct cli *c, const struct vmstat_opts *o, const struct vm_sample *s)
{
	static const char *const mem_labels[10] = {
		"total memory", "used memory", "active memory", "inactive memory", "free memory",
		"buffer memory", "swap cache", "total swap", "used swap", "free swap",
	};
	static const char *const cpu_labels[10] = {
		"non-nice user cpu ticks", "nice user cpu ticks", "system cpu ticks",
		"idle cpu ticks", "IO-wait cpu ticks", "IRQ cpu ticks", "softirq cpu ticks",
		"stolen cpu ticks", "non-nice guest cpu ticks", "nice guest cpu ticks",
	};
	const struct meminfo *mi = &s->mi;
	unsigned long long mem[10] = {
		mi->total, (unsigned long long)(mi->total - mi->available), mi->active, mi->inactive,
		mi->free, mi->buffers, mi->cached_all, mi->swap_total, mi->swap_used, mi->swap_free,
	};

	for (int i = 0; i < 10; i++)
		fprintf(c->out, "%13lu %c %s\n", unit_convert(o, mem[i]), o->unit_letter, mem_labels[i]);
	for (int i = 0; i < 10; i++)
		fprintf(c->out, "%13llu %s\n", s->cpu[i], cpu_labels[i]);
	fprintf(c->out, "%13llu K paged in\n%13llu K paged out\n", s->pgpgin, s->pgpgout);
	fprintf(c->out, "%13llu pages swapped in\n%13llu pages swapped out\n", s->pswpin, s->pswpout);
	fprintf(c->out, "%13llu interrupts\n%13llu CPU context switches\n", s->intr, s->ctxt);
	fprintf(c->out, "%13llu boot time\n%13llu forks\n", s->btime, s->processes);
}

/* slabinfo's rows, as procps' slabinfo parser reads them. */
struct slab_row {
	char name[129];
	unsigned int active_objs, num_objs, objsize, objperslab, pagesperslab;
	unsigned int active_slabs, num_slabs, use;
	unsigned long cache_size;
	size_t order;		/* position in the file: ties keep it */
};

static int slabinfo_read(struct cli *c, const char *tool, struct slab_row **rows, size_t *n)
{
	char *text = proc_text(c, tool, "/proc/slabinfo");
	int major, minor;

	*rows = NULL;
	*n = 0;
	if (!text)
		return 2;
	if (sscanf(text, "slabinfo - version: %d.%d", &major, &minor) != 2 || major != 2) {
		free(text);
		return cli_error(c, "%s: Unable to create slabinfo structure: Numerical result out "
				 "of range", tool);
	}
	size_t cap = 0;
	int rc = 0;
	for (char *line = strchr(text, '\n'); line && line[1]; line = strchr(line, '\n')) {
		line++;
		if (*line == '#')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct slab_row *bigger = realloc(*rows, cap * sizeof(**rows));
			if (!bigger) {
				rc = cli_error(c, "out of host memory");
				break;
			}
			*rows = bigger;
		}
		struct slab_row *r = &(*rows)[*n];
		memset(r, 0, sizeof(*r));
		if (sscanf(line, "%128s %u %u %u %u %u : tunables %*u %*u %*u : slabdata %u %u %*u",
			   r->name, &r->active_objs, &r->num_objs, &r->objsize, &r->objperslab,
			   &r->pagesperslab, &r->active_slabs, &r->num_slabs) != 8) {
			rc = cli_error(c, "%s: Unable to create slabinfo structure: Numerical result "
				       "out of range", tool);
			break;
		}
		r->cache_size = (unsigned long)r->num_slabs * r->pagesperslab * 4096;
		r->use = r->num_objs ? (unsigned int)(100 * ((float)r->active_objs / r->num_objs)) : 0;
		r->order = (*n)++;
	}
	free(text);
	if (rc) {
		free(*rows);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

static int by_name(const void *pa, const void *pb)
{
	const struct slab_row *a = pa, *b = pb;
	int d = strcmp(a->name, b->name);

	return d ? d : a->order < b->order ? -1 : 1;
}

/*
 * vmstat -m: the caches by name, the heading again every 21 rows (the
 * height procps uses when its output is not a terminal) unless -n.
 */
static int vmstat_slabs(struct cli *c, bool one_header)
{
	struct slab_row *rows;
	size_t n;
	int rc = slabinfo_read(c, "vmstat", &rows, &n);

	if (rc)
		return rc;
	qsort(rows, n, sizeof(*rows), by_name);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || (!one_header && i % VMSTAT_HEIGHT == 0))
			fprintf(c->out, "%-24s %6s %6s %6s %6s\n", "Cache", "Num", "Total", "Size",
				"Pages");
		fprintf(c->out, "%-24.24s %6u %6u %6u %6u\n", rows[i].name, rows[i].active_objs,
			rows[i].num_objs, rows[i].objsize, rows[i].objperslab);
	}
	free(rows);
	return 0;
}

static int cmd_vmstat(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "active", no_argument, NULL, 'a' }, { "forks", no_argument, NULL, 'f' },
		{ "slabs", no_argument, NULL, 'm' }, { "one-header", no_argument, NULL, 'n' },
		{ "stats", no_argument, NULL, 's' }, { "unit", required_argument, NULL, 'S' },
		{ "wide", no_argument, NULL, 'w' }, { "no-first", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	struct vmstat_opts o = { .unit = 1024, .unit_letter = 'K' };
	bool sum = false, forks = false, slabs = false, no_first = false, one_header = false;
	uint64_t delay = 0, count = 0;
	int opt, rc;

	cli_getopt_start();
	while (!(rc = cli_getopt(c, argc, argv, ":afmnsS:wy", longopts, &opt))) {
		switch (opt) {
		case 'a': o.active = true; break;
		case 'f': forks = true; break;
		case 'm': slabs = true; break;
		case 'n': one_header = true; break;
		case 's': sum = true; break;
		case 'w': o.wide = true; break;
		case 'y': no_first = true; break;
		case 'S':
			switch (optarg[0]) {
			case 'b': case 'B': o.unit = 1; break;
			case 'k': o.unit = 1000; break;
			case 'K': o.unit = 1024; break;
			case 'm': o.unit = 1000000; break;
			case 'M': o.unit = 1048576; break;
			default:
				return cli_error(c, "vmstat: -S requires k, K, m or M (default is KiB)");
			}
			o.unit_letter = optarg[0];
			break;
		}
	}
	if (rc == 2)
		return rc;
	if (sum + forks + slabs > 1 || argc - optind > 2)
		return cli_usage(c, "vmstat");
	if (optind < argc && (rc = delay_arg(c, "vmstat", argv[optind], &delay)))
		return rc;
	if (optind + 1 < argc) {
		if (parse_number(argv[optind + 1], &count) || count > MAX_REPORTS)
			return cli_error(c, "vmstat: failed to parse argument: '%s' (0..%d)",
					 argv[optind + 1], MAX_REPORTS);
	} else {
		count = delay ? MAX_REPORTS + 1 : 1;
	}
	if (count > MAX_REPORTS)
		return cli_error(c, "vmstat: a delay without a count would report for ever; give "
				 "both (vmstat DELAY COUNT)");
	struct vm_sample s, prev;
	if ((rc = vm_sample(c, &s)))
		return rc;
	if (forks) {
		fprintf(c->out, "%13llu forks\n", s.processes);
		return 0;
	}
	if (slabs)
		return vmstat_slabs(c, one_header);
	if (sum) {
		vmstat_sum(c, &o, &s);
		return 0;
	}
	vmstat_header(c, &o);
	if (!count)
		count = 1;
	if (!no_first)
		vmstat_line(c, &o, &s, NULL, 0);
	for (uint64_t i = no_first ? 0 : 1; i < count; i++) {
		if (i && !one_header && i % VMSTAT_HEIGHT == 0)
			vmstat_header(c, &o);
		prev = s;
		mmsim_advance_clock(c->m, delay * 1000000000ULL);
		if ((rc = vm_sample(c, &s)))
			return rc;
		vmstat_line(c, &o, &s, &prev, delay);
	}
	return 0;
}

/* ---- slabtop -------------------------------------------------------------------------- */

/* slabtop's sort: descending by the key (ascending by name for 'n'); ties keep file order. */
static int slabtop_cmp(const void *pa, const void *pb, void *key)
{
	const struct slab_row *a = pa, *b = pb;
	unsigned long x, y;

	switch (*(const char *)key) {
	case 'n': return by_name(pa, pb);
	case 'a': x = a->active_objs; y = b->active_objs; break;
	case 's': x = a->objsize; y = b->objsize; break;
	case 'b': x = a->objperslab; y = b->objperslab; break;
	case 'p': x = a->pagesperslab; y = b->pagesperslab; break;
	case 'l': x = a->num_slabs; y = b->num_slabs; break;
	case 'v': x = a->active_slabs; y = b->active_slabs; break;
	case 'c': x = a->cache_size; y = b->cache_size; break;
	case 'u': x = a->use; y = b->use; break;
	default: x = a->num_objs; y = b->num_objs; break;
	}
	if (x != y)
		return x > y ? -1 : 1;
	return a->order < b->order ? -1 : 1;
}

static int cmd_slabtop(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, 'o' }, { "sort", required_argument, NULL, 's' },
		{ "delay", required_argument, NULL, 'd' }, { NULL, 0, NULL, 0 },
	};
	char key = 'o';
	bool once = false, delay = false;
	int opt, rc;

	cli_getopt_start();
	while (!(rc = cli_getopt(c, argc, argv, ":os:d:", longopts, &opt))) {
		if (opt == 'o')
			once = true;
		else if (opt == 'd')
			delay = true;
		else if (opt == 's')
			key = (char)(optarg[0] | 0x20);	/* tolower; an unknown key means the default */
	}
	if (rc == 2)
		return rc;
	if (once && delay)
		return cli_error(c, "slabtop: Cannot combine -d and -o options");
	if (optind < argc)
		return cli_usage(c, "slabtop");
	struct slab_row *rows;
	size_t n;
	if ((rc = slabinfo_read(c, "slabtop", &rows, &n)))
		return rc;
	unsigned int objs = 0, aobjs = 0, slabs = 0, aslabs = 0, caches = 0, acaches = 0;
	unsigned int min = 0x7fffffff, max = 0, avg = 0;
	unsigned long total = 0, active = 0;
	for (size_t i = 0; i < n; i++) {
		const struct slab_row *r = &rows[i];
		objs += r->num_objs;
		aobjs += r->active_objs;
		slabs += r->num_slabs;
		aslabs += r->active_slabs;
		caches++;
		acaches += r->num_objs > 0;
		total += (unsigned long)r->num_objs * r->objsize;
		active += (unsigned long)r->active_objs * r->objsize;
		if (r->objsize < min)
			min = r->objsize;
		if (r->objsize > max)
			max = r->objsize;
	}
	if (objs)
		avg = (unsigned int)(total / objs);
	qsort_r(rows, n, sizeof(*rows), slabtop_cmp, &key);
	fprintf(c->out, " %-35s: %u / %u (%.1f%%)\n", "Active / Total Objects (% used)", aobjs, objs,
		100.0 * aobjs / objs);
	fprintf(c->out, " %-35s: %u / %u (%.1f%%)\n", "Active / Total Slabs (% used)", aslabs, slabs,
		100.0 * aslabs / slabs);
	fprintf(c->out, " %-35s: %u / %u (%.1f%%)\n", "Active / Total Caches (% used)", acaches,
		caches, 100.0 * acaches / caches);
	fprintf(c->out, " %-35s: %.2fK / %.2fK (%.1f%%)\n", "Active / Total Size (% used)",
		active / 1024.0, total / 1024.0, 100.0 * active / total);
	fprintf(c->out, " %-35s: %.2fK / %.2fK / %.2fK\n\n", "Minimum / Average / Maximum Object",
		min / 1024.0, avg / 1024.0, max / 1024.0);
	fprintf(c->out, "%-78s\n", "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME");
	for (size_t i = 0; i < n; i++) {
		const struct slab_row *r = &rows[i];
		fprintf(c->out, "%6u %6u %3u%% %7.2fK %6u %8u %9luK %-23s\n", r->num_objs,
			r->active_objs, r->use, r->objsize / 1024.0, r->num_slabs, r->objperslab,
			r->cache_size / 1024, r->name);
	}
	free(rows);
	return 0;
}

static const struct cli_command procps_commands[] = {
	{ "free", 0, CLI_ANY, "[-b|-k|-m|-g|-h] [--si] [-w] [-l] [-t] [-v] [-s N -c N]",
	  "free and used memory, from /proc/meminfo (procps-ng 4.0.2)", cmd_free, 0,
	  "-" },
	{ "vmstat", 0, CLI_ANY, "[-a] [-w] [-S UNIT] [-s|-f|-m] [DELAY COUNT]",
	  "processes, memory, interrupts and CPU time since boot, from /proc (procps-ng 4.0.2)",
	  cmd_vmstat, 0, "-" },
	{ "slabtop", 0, CLI_ANY, "[--once] [-s a|b|c|l|v|n|o|p|s|u]",
	  "the slab caches from /proc/slabinfo, as slabtop --once prints them", cmd_slabtop, 0,
	  "-" },
};

CLI_COMMAND_SET(cli_procps_commands, "The tools Linux users type", "procps", procps_commands);
