/* cmd_ps.c — procps-ng 4.0.2's ps and pmap, as Debian 12 has them, reading
 * the machine's /proc exactly as the real tools read the real one: the
 * /proc/PID directories in pid order (readdir of the real /proc), each
 * process's stat, status and cmdline (environ, oom_score, oom_score_adj and
 * wchan too where a column needs them), /proc/uptime, /proc/stat's btime,
 * /proc/meminfo's MemTotal and /proc/sys/kernel/pid_max; pmap the process's
 * maps or smaps. The same parsing (sscanf formats, fgets into a 1024-byte
 * line buffer), the same arithmetic (ps computes times in double
 * precision) and the same column layout (ps's show_one_proc), so the output
 * is byte for byte theirs.
 *
 * What the real tools take from the host rather than from /proc is the
 * machine's here:
 * - the word size: pmap prints addresses as wide as its own unsigned long
 *   (%016lx on amd64, %08lx on i386), and so do ps's address columns, so
 *   an i386 machine prints what Debian's i386 procps prints;
 * - "now": the machine's wall clock, btime + uptime (see /proc/stat), in
 *   UTC (TZ=UTC), for START, STIME and friends;
 * - user and group names: the machine has no /etc/passwd or /etc/group,
 *   so only the names every Debian system has are known — uid 0 is root,
 *   65534 nobody, gid 0 root, 65534 nogroup — and any other id prints as
 *   its number, as procps does for an id without a name;
 * - the locale: the C locale (LC_ALL=C), so a control character in a
 *   command line shows as '.', a byte above 0x7f as '?';
 * - the terminal: output is not a tty, so ps's width is unlimited (as when
 *   piped) unless --cols says otherwise, and the reader — init, pid 1,
 *   which runs the scenario — has no controlling tty;
 * - SysV shared memory: pmap labels a segment "[ shmid=0x... ]" when it
 *   finds the device minor of its own test segment in /proc/self/maps;
 *   the machine has no SysV IPC, so no mapping is ever one.
 *
 * Where the real tool's exit status says what its output does not, the
 * command fails here (an error line, status 2): pmap given a pid that has
 * no /proc/PID/stat (procps prints nothing for it and exits 42), ps that
 * matched no process (procps prints the header alone and exits 1). Options
 * the real tools take that these do not implement (ps's threads, sorting,
 * process trees, AIX %-formats and security labels; pmap's rc files) are
 * refused by name rather than misread. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mmsim/machine.h>

#include "cli/cli.h"
#include "machine.h"

#define USER_HZ		100	/* sysconf(_SC_CLK_TCK) */
#define PROC_BUFSZ	(128 * 1024)	/* readproc's MAX_BUFSZ: cmdline and environ */

/* ---- reading /proc ------------------------------------------------------------------- */

struct text {
	char *buf;		/* NUL-terminated; may hold NULs before len (cmdline) */
	size_t len;
};

/* The file's bytes, as one read() of the real file would give them; false if it does not exist. */
static bool proc_file(struct cli *c, const char *path, struct text *t)
{
	t->buf = NULL;
	t->len = 0;
	FILE *f = open_memstream(&t->buf, &t->len);

	if (!f)
		return false;
	int rc = mmsim_proc_read(c->m, path, f);
	fclose(f);
	if (rc) {
		free(t->buf);
		t->buf = NULL;
		t->len = 0;
		return false;
	}
	return true;
}

/* readproc's file2str(): the text of /proc/PID/NAME, NULL if it is missing or empty. */
static char *pid_file(struct cli *c, const char *dir, const char *name)
{
	char path[96];
	struct text t;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!proc_file(c, path, &t))
		return NULL;
	if (!t.len) {
		free(t.buf);
		return NULL;
	}
	return t.buf;
}

/*
 * fgets(buf, size, f) over a file's text: the next line, through its
 * newline, cut at size - 1 bytes, written over the start of @buf with a
 * NUL after it — the rest of @buf keeps what longer lines left there,
 * which pmap -x relies on without knowing it (see pmap_x_row()).
 */
struct line_reader {
	const char *text;
	size_t len, pos;
};

static bool next_line(struct line_reader *r, char *buf, size_t size)
{
	size_t n = 0;

	if (r->pos >= r->len)
		return false;
	while (r->pos < r->len && n + 1 < size) {
		char ch = r->text[r->pos++];
		buf[n++] = ch;
		if (ch == '\n')
			break;
	}
	buf[n] = '\0';
	return true;
}

/*
 * The library's escape_str() in the C locale: a control character or DEL
 * becomes '.', a byte from 0x80 up '?'. Works in place.
 */
static void escape_c_locale(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '.';
		else if (*p >= 0x80)
			*p = '?';
}

/*
 * read_unvectored(): up to PROC_BUFSZ - 1 bytes of the file, trailing NULs
 * dropped, every other NUL and newline turned into @sep, a final space
 * cut. The caller frees it; "" for a missing or empty file. *count is
 * the number of bytes read: a file of NULs reads as "" but not as missing.
 */
static char *read_unvectored(struct cli *c, const char *dir, const char *name, char sep,
			     size_t *count)
{
	char path[96];
	struct text t;

	*count = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!proc_file(c, path, &t))
		return strdup("");
	size_t n = t.len < PROC_BUFSZ ? t.len : PROC_BUFSZ - 1;
	*count = n;
	if (n) {
		size_t i = n;
		while (i && t.buf[i - 1] == '\0')
			i--;
		while (i--)
			if (t.buf[i] == '\n' || t.buf[i] == '\0')
				t.buf[i] = sep;
		if (t.buf[n - 1] == ' ')
			t.buf[n - 1] = '\0';
	}
	t.buf[n] = '\0';
	return t.buf;
}

/*
 * fill_cmdline_cvt(): the command line as one escaped string, or for a
 * process without one (a kernel thread, a zombie, an empty address space)
 * its name in brackets, with " <defunct>" for a zombie.
 */
static char *command_line(struct cli *c, const char *dir, const char *comm, char state)
{
	size_t count;
	char *s = read_unvectored(c, dir, "cmdline", ' ', &count);

	if (!s)
		return NULL;
	if (count) {
		/* A command line of nothing but NULs is "?". */
		escape_c_locale(s);
		if (!*s) {
			free(s);
			s = strdup("?");
		}
		return s;
	}
	free(s);
	size_t n = strlen(comm) + 16;
	s = malloc(n);
	if (s)
		snprintf(s, n, "[%s]%s", comm, state == 'Z' ? " <defunct>" : "");
	return s;
}

/* The tool's ULONG_MAX: its unsigned long is the machine's. */
static uint64_t ulong_max(const struct cli *c)
{
	return c->m->is_32bit ? 0xffffffffULL : UINT64_MAX;
}

/* The pid of the process the scenario named @name (spawn, fork), or 0. */
static int process_by_name(struct cli *c, const char *name)
{
	struct cli_name *n = cli_name_find(c, name);

	return n && n->kind == NAME_PROCESS ? (int)n->addr : 0;
}

/* ====================================================================================== */
/* ---- pmap ---------------------------------------------------------------------------- */

#define PMAP_LINE	1024	/* pmap's mapbuf */
#define PMAP_MAX_PIDS	255	/* the library's FILL_ID_MAX */

/* One -X column: a "Key: value kB" line of smaps, kept across pids as pmap keeps its list. */
struct pmap_field {
	char desc[32];
	char value_str[21];
	uint64_t value, total;
	int max_width;
};

struct pmap {
	struct cli *c;
	FILE *out;
	bool x, d, q, showpath;
	int X;				/* 1: -X, 2 or more: -XX */
	uint64_t range_low, range_high;
	uint64_t ulong_mask;		/* the tool's unsigned long */
	bool lp64;
	char mapbuf[PMAP_LINE];		/* shared by every pid, as pmap's static buffer is */
	uint64_t start;			/* pmap's static start_To_Avoid_Warning */
	struct pmap_field *fields;	/* -X/-XX: every pid adds to the same totals */
	size_t nr_fields;
};

/* justify_print(): a header word, padded to @width (or puts() with width < 1). */
static int justify_print(FILE *out, const char *str, int width, bool right)
{
	if (width < 1) {
		fprintf(out, "%s\n", str);
		return width;
	}
	int len = (int)strlen(str);
	if (width < len)
		width = len;
	fprintf(out, right ? "%*.*s " : "%-*.*s ", width, width, str);
	return width;
}

static int integer_width(uint64_t n)
{
	int w = !(n > 0);

	for (; n; n /= 10)
		w++;
	return w;
}

/*
 * mapping_name(): the name pmap shows, as an offset into the line buffer
 * (the name stays where the header line put it) or a fixed string. The
 * basename of a path, the whole path with -p; otherwise "[ anon ]", or
 * "[ stack ]" for the mapping that holds the stack's start (stat's field
 * 28, inclusive at both ends). [heap], [vdso] and [vvar] are anon to pmap.
 */
struct map_name {
	const char *fixed;		/* or NULL: mapbuf + off */
	size_t off;
};

static struct map_name mapping_name(const struct pmap *pm, uint64_t start_stack, uint64_t addr,
				    uint64_t len)
{
	const char *slash = strrchr(pm->mapbuf, '/');
	struct map_name n = { NULL, 0 };

	if (slash) {
		if (pm->showpath)
			n.off = (size_t)(strchr(pm->mapbuf, '/') - pm->mapbuf);
		else
			n.off = (size_t)(slash - pm->mapbuf) + (slash[1] ? 1 : 0);
		return n;
	}
	n.fixed = "  [ anon ]";
	if (start_stack >= addr && start_stack <= ((addr + len) & pm->ulong_mask))
		n.fixed = "  [ stack ]";
	return n;
}

static const char *map_name_str(const struct pmap *pm, struct map_name n)
{
	return n.fixed ? n.fixed : pm->mapbuf + n.off;
}

/* -X hides these; -XX shows everything the kernel prints. */
static bool pmap_field_enabled(const struct pmap *pm, const char *s)
{
	static const char *const unimportant[] = {
		"AnonHugePages", "KernelPageSize", "MMUPageSize", "Shared_Dirty", "Private_Dirty",
		"Shared_Clean", "Private_Clean", "VmFlags",
	};

	if (pm->X == 1)
		for (size_t i = 0; i < sizeof(unimportant) / sizeof(unimportant[0]); i++)
			if (!strcmp(s, unimportant[i]))
				return false;
	return true;
}

/*
 * print_extended_maps(): -X and -XX. smaps is read twice: the first pass
 * learns the columns (every "Key: N kB" line of the first mapping, in the
 * kernel's order) and their widths (the header's, or the widest value
 * with -q; the totals'), the second prints. Address, Perm, Offset, Device
 * and Inode are right-aligned to the widest text seen; Mapping is the
 * basename of the name. The totals run on over every pid of the command.
 */
static int pmap_extended(struct pmap *pm, const struct text *smaps)
{
	FILE *out = pm->out;
	struct line_reader r = { smaps->buf, smaps->len, 0 };
	char perms[32], map_desc[128], detail_desc[32], value_str[21], start[21], end[21];
	char offset[21], inode[21], dev[64], vmflags[128] = "", ch;
	int maxw1 = 0, maxw2 = 0, maxw3 = 0, maxw4 = 0, maxw5 = 0, maxwv = 0;
	int firstmapping = 2;
	bool has_vmflags = false;
	bool ret = next_line(&r, pm->mapbuf, PMAP_LINE);

	while (ret) {
		map_desc[0] = '\0';
		int nfields = sscanf(pm->mapbuf,
				     "%20[0-9a-f]-%20[0-9a-f] %31s %20[0-9a-f] %63[0-9a-f:] %20s "
				     "%127[^\n]", start, end, perms, offset, dev, inode, map_desc);
		if (nfields < 6)
			return cli_error(pm->c, "pmap: Unknown format in smaps file!");
		/* A line too long for the buffer: the rest of it is skipped. */
		while (pm->mapbuf[strlen(pm->mapbuf) - 1] != '\n')
			if (!next_line(&r, pm->mapbuf, PMAP_LINE) || !pm->mapbuf[0])
				return cli_error(pm->c, "pmap: Unknown format in smaps file!");
		maxw1 = (int)strlen(start) > maxw1 ? (int)strlen(start) : maxw1;
		maxw2 = (int)strlen(perms) > maxw2 ? (int)strlen(perms) : maxw2;
		maxw3 = (int)strlen(offset) > maxw3 ? (int)strlen(offset) : maxw3;
		maxw4 = (int)strlen(dev) > maxw4 ? (int)strlen(dev) : maxw4;
		maxw5 = (int)strlen(inode) > maxw5 ? (int)strlen(inode) : maxw5;

		ret = next_line(&r, pm->mapbuf, PMAP_LINE);
		nfields = ret ? sscanf(pm->mapbuf, "%31[^:]: %20[0-9] kB %c", detail_desc, value_str,
				       &ch) : 0;
		size_t field = 0;
		while (ret && nfields == 2) {
			if (pmap_field_enabled(pm, detail_desc)) {
				if (field == pm->nr_fields) {
					/* A new column: only the first mapping of the first pid makes them. */
					struct pmap_field *more = realloc(pm->fields,
									  (pm->nr_fields + 1) * sizeof(*more));
					if (!more)
						return cli_error(pm->c, "out of host memory");
					pm->fields = more;
					struct pmap_field *f = &more[pm->nr_fields++];
					memset(f, 0, sizeof(*f));
					snprintf(f->desc, sizeof(f->desc), "%s", detail_desc);
					f->max_width = pm->q ? 0 : (int)strlen(detail_desc);
				} else if (strcmp(pm->fields[field].desc, detail_desc)) {
					return cli_error(pm->c, "pmap: ERROR: inconsistent detail field in "
							 "smaps file, line: %.*s",
							 (int)strcspn(pm->mapbuf, "\n"), pm->mapbuf);
				}
				struct pmap_field *f = &pm->fields[field];
				snprintf(f->value_str, sizeof(f->value_str), "%s", value_str);
				f->value = strtoull(value_str, NULL, 10) & pm->ulong_mask;
				if (firstmapping == 2) {
					f->total = (f->total + f->value) & pm->ulong_mask;
					if (pm->q && (int)strlen(f->value_str) > f->max_width)
						f->max_width = (int)strlen(f->value_str);
				}
				field++;
			}
			ret = next_line(&r, pm->mapbuf, PMAP_LINE);
			nfields = ret ? sscanf(pm->mapbuf, "%31[^:]: %20[0-9] kB %c", detail_desc,
					       value_str, &ch) : 0;
		}
		if (ret && sscanf(pm->mapbuf, "VmFlags: %127[a-z ]", vmflags) == 1) {
			int len = (int)strlen(vmflags);
			if (len > 0 && vmflags[len - 1] == ' ')
				vmflags[--len] = '\0';
			if (len > maxwv)
				maxwv = len;
			has_vmflags = true;
			ret = next_line(&r, pm->mapbuf, PMAP_LINE);
		}

		if (firstmapping == 2) {
			/* The widths are measured: at the end, start again and print. */
			if (!ret) {
				firstmapping = 1;
				r.pos = 0;
				ret = next_line(&r, pm->mapbuf, PMAP_LINE);
				if (!pm->q)
					for (size_t i = 0; i < pm->nr_fields; i++) {
						int w = integer_width(pm->fields[i].total);
						if (w > pm->fields[i].max_width)
							pm->fields[i].max_width = w;
					}
			}
			continue;
		}
		if (firstmapping && !pm->q) {
			maxw1 = justify_print(out, "Address", maxw1, true);
			maxw2 = justify_print(out, "Perm", maxw2, true);
			maxw3 = justify_print(out, "Offset", maxw3, true);
			maxw4 = justify_print(out, "Device", maxw4, true);
			maxw5 = justify_print(out, "Inode", maxw5, true);
			for (size_t i = 0; i < pm->nr_fields; i++)
				justify_print(out, pm->fields[i].desc, pm->fields[i].max_width, true);
			if (has_vmflags && pmap_field_enabled(pm, "VmFlags"))
				maxwv = justify_print(out, "VmFlags", maxwv, true);
			justify_print(out, "Mapping", 0, false);
		}
		fprintf(out, "%*s %*s %*s %*s %*s", maxw1, start, maxw2, perms, maxw3, offset, maxw4,
			dev, maxw5, inode);
		for (size_t i = 0; i < pm->nr_fields; i++)
			fprintf(out, " %*s", pm->fields[i].max_width, pm->fields[i].value_str);
		if (has_vmflags && pmap_field_enabled(pm, "VmFlags"))
			fprintf(out, " %*s", maxwv, vmflags);
		const char *base = strrchr(map_desc, '/');
		fprintf(out, " %s\n", pm->showpath || !base ? map_desc : base + 1);
		firstmapping = 0;
	}
	if (!pm->q && pm->nr_fields) {
		int gap = maxw1 + 1 + maxw2 + 1 + maxw3 + 1 + maxw4 + 1 + maxw5 + 1;
		fprintf(out, "%*s", gap, "");
		for (size_t i = 0; i < pm->nr_fields; i++) {
			for (int k = 0; k < pm->fields[i].max_width; k++)
				fputc('=', out);
			fputc(' ', out);
		}
		fputc('\n', out);
		fprintf(out, "%*s", gap, "");
		for (size_t i = 0; i < pm->nr_fields; i++)
			fprintf(out, "%*" PRIu64 " ", pm->fields[i].max_width, pm->fields[i].total);
		fputs("KB \n", out);
	}
	return 0;
}

/* What pmap takes from a process before it reads its mappings. */
struct pmap_proc {
	unsigned int tgid;
	char *cmdline;
	uint64_t start_stack;
};

/*
 * The library's select of one pid: /proc/PID/status for the real tgid,
 * /proc/PID/stat (without it the pid is skipped: false), then cmdline.
 * pmap asks for nothing from status, so the state is stat's.
 */
static bool pmap_read_proc(struct cli *c, unsigned int pid, struct pmap_proc *p)
{
	char dir[32], comm[64] = "", state = 0;
	unsigned long long v[25] = { 0 };

	snprintf(dir, sizeof(dir), "/proc/%u", pid);
	p->tgid = pid;
	char *status = pid_file(c, dir, "status");
	if (status) {
		const char *tg = strstr(status, "Tgid:");
		if (tg)
			p->tgid = (unsigned int)atoi(tg + 5);
		free(status);
	}
	char *stat = pid_file(c, dir, "stat");
	if (!stat)
		return false;
	const char *open = strchr(stat, '('), *close = open ? strrchr(open + 1, ')') : NULL;
	if (close && close[1]) {
		size_t n = (size_t)(close - open - 1);
		if (n > sizeof(comm) - 1)
			n = sizeof(comm) - 1;
		memcpy(comm, open + 1, n);
		comm[n] = '\0';
		escape_c_locale(comm);
		sscanf(close + 2, "%c %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
		       "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &state,
		       &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
		       &v[11], &v[12], &v[13], &v[14], &v[15], &v[16], &v[17], &v[18], &v[19],
		       &v[20], &v[21], &v[22], &v[23], &v[24]);
	}
	free(stat);
	/* startstack is field 28: the 25th number after the state. */
	p->start_stack = v[24] & ulong_max(c);
	p->cmdline = command_line(c, dir, comm, state);
	return p->cmdline != NULL;
}

/* The Swap: line ends a mapping's keys in smaps: pmap -x prints its row then. */
struct pmap_x_row {
	uint64_t rss, shared_dirty, private_dirty, diff;
	char perms[32];
	bool named;
	struct map_name name;
};

/* one_proc(): the header, then the mappings in the chosen format, then the totals. */
static int pmap_one(struct pmap *pm, const struct pmap_proc *p)
{
	struct cli *c = pm->c;
	FILE *out = pm->out;
	char path[64];
	struct text file;
	uint64_t mask = pm->ulong_mask;

	fprintf(out, "%u:   %s\n", p->tgid, p->cmdline);
	snprintf(path, sizeof(path), "/proc/%u/%s", p->tgid, pm->x || pm->X ? "smaps" : "maps");
	if (!proc_file(c, path, &file))
		return cli_error(c, "pmap: %s: No such file or directory", path);
	if (pm->X) {
		int rc = pmap_extended(pm, &file);
		free(file.buf);
		return rc;
	}

	uint64_t total_shared = 0, total_private_readonly = 0, total_private_writeable = 0;
	uint64_t total_rss = 0, total_private_dirty = 0, total_shared_dirty = 0;
	unsigned long long end = 0;	/* one_proc's: a line without one keeps the last */
	int maxw1 = 0, maxw2 = 0, maxw3 = 0, maxw4 = 0, maxw5 = 0;
	struct pmap_x_row row = { 0 };

	if (pm->x) {
		maxw1 = pm->lp64 ? 16 : 8;
		maxw2 = maxw3 = maxw4 = 7;
		maxw5 = 5;
		if (!pm->q) {
			maxw1 = justify_print(out, "Address", maxw1, false);
			maxw2 = justify_print(out, "Kbytes", maxw2, true);
			maxw3 = justify_print(out, "RSS", maxw3, true);
			maxw4 = justify_print(out, "Dirty", maxw4, true);
			maxw5 = justify_print(out, "Mode", maxw5, false);
			justify_print(out, "Mapping", 0, false);
		}
	}
	if (pm->d) {
		maxw1 = pm->lp64 ? 16 : 8;
		maxw2 = 7;
		maxw3 = 5;
		maxw4 = 16;
		maxw5 = 9;
		if (!pm->q) {
			maxw1 = justify_print(out, "Address", maxw1, false);
			maxw2 = justify_print(out, "Kbytes", maxw2, true);
			maxw3 = justify_print(out, "Mode", maxw3, false);
			maxw4 = justify_print(out, "Offset", maxw4, false);
			maxw5 = justify_print(out, "Device", maxw5, false);
			justify_print(out, "Mapping", 0, false);
		}
	}

	struct line_reader r = { file.buf, file.len, 0 };
	while (next_line(&r, pm->mapbuf, PMAP_LINE)) {
		char *buf = pm->mapbuf;
		/* Keys start with a capital letter; mapping lines with a hex digit. */
		if (buf[0] >= 'A' && buf[0] <= 'Z') {
			char key[21];
			unsigned long long value;
			if (sscanf(buf, "%20[^:]: %llu", key, &value) != 2)
				continue;
			if (!strcmp(key, "Rss")) {
				row.rss = value;
				total_rss += value;
			} else if (!strcmp(key, "Shared_Dirty")) {
				row.shared_dirty = value;
				total_shared_dirty += value;
			} else if (!strcmp(key, "Private_Dirty")) {
				row.private_dirty = value;
				total_private_dirty += value;
			} else if (!strcmp(key, "Swap")) {
				if (row.named)
					fprintf(out, "%0*" PRIx64 " %*" PRIu64 " %*" PRIu64 " %*" PRIu64
						" %*s %s\n", maxw1, pm->start, maxw2, (row.diff >> 10),
						maxw3, row.rss, maxw4,
						row.private_dirty + row.shared_dirty, maxw5, row.perms,
						map_name_str(pm, row.name));
				row.rss = row.shared_dirty = row.private_dirty = 0;
				row.diff = 0;
				end = 0;
				row.perms[0] = '\0';
				row.named = false;
			}
			continue;
		}
		unsigned long long start = pm->start, file_offset = 0, inode = 0;
		unsigned int dev_major = 0, dev_minor = 0;
		sscanf(buf, "%llx-%llx %31s %llx %x:%x %llu", &start, &end, row.perms, &file_offset,
		       &dev_major, &dev_minor, &inode);
		/* %lx: a 32-bit pmap keeps the low word of nothing wider; the kernel prints none. */
		pm->start = start & mask;
		end &= mask;
		if (((end - 1) & mask) < pm->range_low)
			continue;
		if (pm->range_high < pm->start)
			break;
		char *nl = strchr(buf, '\n');
		if (nl)
			*nl = '\0';
		for (char *t = buf; *t; t++)
			if (!isprint((unsigned char)*t))
				*t = '?';
		uint64_t diff = (end - pm->start) & mask;
		char *perms = row.perms;
		if (perms[3] == 's')
			total_shared += diff;
		if (perms[3] == 'p') {
			perms[3] = '-';
			if (perms[1] == 'w')
				total_private_writeable += diff;
			else
				total_private_readonly += diff;
		}
		/* procps-3.2's fifth letter: R when no swap is reserved; Linux never says. */
		perms[4] = '-';
		perms[5] = '\0';
		struct map_name name = mapping_name(pm, p->start_stack, pm->start, diff);
		if (pm->x) {
			/* Printed when its Swap: line comes. */
			row.diff = diff;
			row.name = name;
			row.named = true;
			continue;
		}
		if (pm->d)
			fprintf(out, "%0*" PRIx64 " %*" PRIu64 " %*s %0*llx %03x:%05x %s\n", maxw1,
				pm->start, maxw2, diff >> 10, maxw3, perms, maxw4, file_offset,
				dev_major, dev_minor, map_name_str(pm, name));
		else
			fprintf(out, pm->lp64 ? "%016" PRIx64 " %6" PRIu64 "K %s %s\n"
					      : "%08" PRIx64 " %6" PRIu64 "K %s %s\n",
				pm->start, diff >> 10, perms, map_name_str(pm, name));
	}
	free(file.buf);
	if (pm->q)
		return 0;
	uint64_t mapped = ((total_shared + total_private_writeable + total_private_readonly) & mask)
			  >> 10;
	if (pm->x) {
		justify_print(out, pm->lp64 ? "----------------" : "--------", maxw1, false);
		justify_print(out, "-------", maxw2, true);
		justify_print(out, "-------", maxw3, true);
		justify_print(out, "-------", maxw4, true);
		fputc('\n', out);
		fprintf(out, "%-*s ", maxw1, "total kB");
		fprintf(out, "%*" PRIu64 " %*" PRIu64 " %*" PRIu64 "\n", maxw2, mapped, maxw3,
			total_rss, maxw4, total_shared_dirty + total_private_dirty);
	} else if (pm->d) {
		fprintf(out, "mapped: %" PRIu64 "K    writeable/private: %" PRIu64 "K    shared: %"
			PRIu64 "K\n", mapped, (total_private_writeable & mask) >> 10,
			(total_shared & mask) >> 10);
	} else {
		fprintf(out, pm->lp64 ? " total %16" PRIu64 "K\n" : " total %8" PRIu64 "K\n", mapped);
	}
	return 0;
}

/* range_arguments(): -A LOW[,HIGH] in hex, either side may be empty. */
static int pmap_range(struct pmap *pm, const char *arg)
{
	const char *comma = strchr(arg, ',');
	char low[64], high[64];
	size_t n = comma ? (size_t)(comma - arg) : strlen(arg);

	if (n >= sizeof(low) || strlen(comma ? comma + 1 : arg) >= sizeof(high))
		return cli_error(pm->c, "pmap: failed to parse argument: '%s'", arg);
	memcpy(low, arg, n);
	low[n] = '\0';
	snprintf(high, sizeof(high), "%s", comma ? comma + 1 : arg);
	const char *halves[2] = { low, high };
	uint64_t *dest[2] = { &pm->range_low, &pm->range_high };
	for (int i = 0; i < 2; i++) {
		if (!*halves[i])
			continue;
		char *end;
		unsigned long long v = strtoull(halves[i], &end, 16);
		if (*end)
			return cli_error(pm->c, "pmap: failed to parse argument: '%s'", arg);
		/* strtoul() saturates at the tool's ULONG_MAX. */
		*dest[i] = v > pm->ulong_mask ? pm->ulong_mask : v;
	}
	return 0;
}

static void pmap_usage(FILE *out)
{
	fputs("\nUsage:\n pmap [options] PID [PID ...]\n\nOptions:\n"
	      " -x, --extended              show details\n"
	      " -X                          show even more details\n"
	      "            WARNING: format changes according to /proc/PID/smaps\n"
	      " -XX                         show everything the kernel provides\n"
	      " -c, --read-rc               read the default rc\n"
	      " -C, --read-rc-from=<file>   read the rc from file\n"
	      " -n, --create-rc             create new default rc\n"
	      " -N, --create-rc-to=<file>   create new rc to file\n"
	      "            NOTE: pid arguments are not allowed with -n, -N\n"
	      " -d, --device                show the device format\n"
	      " -q, --quiet                 do not display header and footer\n"
	      " -p, --show-path             show path in the mapping\n"
	      " -A, --range=<low>[,<high>]  limit results to the given range\n\n"
	      " -h, --help     display this help and exit\n"
	      " -V, --version  output version information and exit\n\n"
	      "For more details see pmap(1).\n", out);
}

static int cmd_pmap(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "extended", no_argument, NULL, 'x' }, { "device", no_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' }, { "range", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' },
		{ "read-rc", no_argument, NULL, 'c' }, { "read-rc-from", required_argument, NULL, 'C' },
		{ "create-rc", no_argument, NULL, 'n' },
		{ "create-rc-to", required_argument, NULL, 'N' },
		{ "show-path", no_argument, NULL, 'p' }, { NULL, 0, NULL, 0 },
	};
	struct pmap pm = { .c = c, .out = c->out, .ulong_mask = ulong_max(c), .lp64 = !c->m->is_32bit };
	int rc_files = 0;	/* -c -C -n -N */
	int opt, rc;

	pm.range_high = pm.ulong_mask;
	if (argc < 2)
		return cli_usage(c, "pmap");
	cli_getopt_start();
	while (!(rc = cli_getopt(c, argc, argv, ":xXrdqA:hVcC:nN:p", longopts, &opt))) {
		switch (opt) {
		case 'x': pm.x = true; break;
		case 'X': pm.X++; break;
		case 'r': break;	/* "ignored as SunOS compatibility" */
		case 'd': pm.d = true; break;
		case 'q': pm.q = true; break;
		case 'p': pm.showpath = true; break;
		case 'A':
			if ((rc = pmap_range(&pm, optarg)))
				return rc;
			break;
		case 'h':
			pmap_usage(c->out);
			return 0;
		case 'V':
			fputs("pmap from procps-ng 4.0.2\n", c->out);
			return 0;
		default:	/* c C n N */
			rc_files++;
			break;
		}
	}
	if (rc == 2)
		return rc;
	if (rc_files + pm.x + pm.d + (pm.X > 0) > 1)
		return cli_error(c, "pmap: options -c, -C, -d, -n, -N, -x, -X are mutually exclusive");
	if (rc_files)
		return cli_error(c, "pmap: -c, -C, -n and -N (pmap's rc file) are not supported: the "
				 "machine has no home directory");
	if (optind >= argc)
		return cli_error(c, "pmap: argument missing");
	if (argc - optind > PMAP_MAX_PIDS)
		return cli_error(c, "pmap: library failed pids statistics");

	unsigned int pids[PMAP_MAX_PIDS];
	int n = 0;
	for (int i = optind; i < argc; i++) {
		const char *walk = argv[i];
		bool under_proc = !strncmp(walk, "/proc/", 6);
		if (under_proc)
			walk += 6;
		if (*walk < '0' || *walk > '9') {
			int pid = process_by_name(c, walk);
			if (pid)
				pids[n++] = (unsigned int)pid;
			else if (!under_proc)	/* pmap itself skips /proc/ANYTHING-ELSE */
				return cli_error(c, "pmap: '%s' is neither a pid nor a process the "
						 "scenario named", walk);
			continue;
		}
		char *endp;
		errno = 0;
		unsigned long long pid = strtoull(walk, &endp, 0);
		if (pid < 1 || pid > 0x7fffffff || *endp || errno)
			return cli_error(c, "pmap: '%s' is not a pid (1 .. 2147483647)", argv[i]);
		pids[n++] = (unsigned int)pid;
	}

	/* Every argument was a /proc/NAME it skipped: the library refuses an empty list. */
	if (!n)
		return cli_error(c, "pmap: library failed pids statistics");
	int missing = 0;
	rc = 0;
	for (int i = 0; i < n && !rc; i++) {
		struct pmap_proc p;
		if (!pmap_read_proc(c, pids[i], &p)) {
			missing = missing ? missing : (int)pids[i];
			continue;
		}
		rc = pmap_one(&pm, &p);
		free(p.cmdline);
	}
	free(pm.fields);
	if (!rc && missing)
		rc = cli_error(c, "pmap: no process %d (procps' pmap skips it without a word and "
			       "exits with status 42)", missing);
	return rc;
}

/* ====================================================================================== */
/* ---- ps: reading a process (the library's readproc) ---------------------------------- */

#define OUTBUF_SIZE	(2 * 64 * 1024)	/* ps's output buffer: the widest a line can be */
#define SPACE_AMOUNT	144		/* spaces kept before it, for column padding */
#define COLWID		240		/* what one number column may print */

/* What ps knows of one process: stat's fields, status's, and the strings it reads. */
struct ps_proc {
	int tid, tgid;
	char state;
	int ppid, pgrp, session, tty, tpgid;
	unsigned long flags, min_flt, cmin_flt, maj_flt, cmaj_flt;
	unsigned long long utime, stime, cutime, cstime, start_time;
	int priority, nice, nlwp;
	unsigned long alarm, vsize, rss, rss_rlim, start_code, end_code, start_stack;
	unsigned long kstk_esp, kstk_eip, wchan;
	int exit_signal, processor, rtprio, sched;
	unsigned long long blkio_tics, gtime, cgtime;
	unsigned int ruid, euid, suid, fuid, rgid, egid, sgid, fgid;
	unsigned long vm_size, vm_lock, vm_rss, vm_data, vm_stack, vm_exe, vm_lib;
	char signal[17], blocked[17], sigignore[17], sigcatch[17], sigpnd[17];
	int oom_score, oom_adj;
	char cmd[64];			/* stat's name, escaped */
	char *cmdline, *environ, *wchan_name;
};

/* Which optional files a column needs read. */
#define NEED_CMDLINE	0x1	/* cmdline and environ: every command column asks for both */
#define NEED_OOM	0x2	/* oom_score, oom_score_adj */
#define NEED_WCHAN	0x4

struct ps;

/* A column: ps's format_struct, with what it reads. */
struct ps_spec {
	const char *spec, *head;
	int (*pr)(struct ps *ps, char *out, const struct ps_proc *p);
	int width;
	unsigned int flags;		/* CF_* */
	unsigned int needs;		/* NEED_* */
};

/* Column flags (ps's common.h): the justification, then the rest. */
#define CF_JUST_MASK	0x0f
#define CF_USER		1	/* left if text, right if numeric */
#define CF_LEFT		2
#define CF_RIGHT	3
#define CF_UNLIMITED	4
#define CF_WCHAN	5
#define CF_SIGNAL	6	/* right in 9, or 16 if the line has room */
#define CF_PIDMAX	0x10	/* as wide as pid_max's digits */

/* A column of the format list: the spec, with its header and width as the options made them. */
struct fmt_node {
	const struct ps_spec *spec;
	char *name;
	int width;
	unsigned int flags;
	struct fmt_node *next;
};

/* A selection by list: -p, -u, -C, --ppid ... (ps's selection_node). */
enum { SEL_RUID = 1, SEL_EUID, SEL_SUID, SEL_FUID, SEL_RGID, SEL_EGID, SEL_SGID, SEL_FGID,
       SEL_PGRP, SEL_PID, SEL_TTY, SEL_SESS, SEL_COMM, SEL_PPID, SEL_PID_QUICK };

union sel_value {
	unsigned int uid, gid;
	int pid, tty;
	char cmd[64];
};

struct sel_node {
	int typecode, n;
	union sel_value *u;	/* filled from the end: u[n-1] is the list's first item */
	struct sel_node *next;
};

/* A -o/o/--format/-O argument, parsed once the options are all seen (sf_node). */
enum { SF_U_O = 1, SF_U_o, SF_B_o, SF_G_format };

struct sf_node {
	char *sf;
	int code;
	struct fmt_node *f_cooked;
	struct sf_node *next;
};

/* Simple selections, format flags and modifiers, personality (ps's common.h). */
#define SS_B_x	0x01
#define SS_B_g	0x02
#define SS_U_d	0x04
#define SS_U_a	0x08
#define SS_B_a	0x10

#define FF_Uf	0x0001
#define FF_Uj	0x0002
#define FF_Ul	0x0004
#define FF_Bj	0x0008
#define FF_Bl	0x0010
#define FF_Bs	0x0020
#define FF_Bu	0x0040
#define FF_Bv	0x0080
#define FF_LX	0x0100
#define FF_Lm	0x0200

#define FM_j	0x0002
#define FM_P	0x0010
#define FM_y	0x0004
#define FM_F	0x0080

#define PER_OLD_m	0x0040

enum { HEAD_SINGLE, HEAD_NONE, HEAD_MULTI };

/* Everything one ps command knows: the options, the lists, the machine's facts. */
struct ps {
	struct cli *c;
	FILE *out;
	bool lp64;
	/* What the options set (reset_global()). */
	int all_processes, bsd_c_option, bsd_e_option, header_type;
	unsigned int format_flags, format_modifiers, simple_select, personality;
	int include_dead_children, negate_selection, running_only, prefer_bsd_defaults;
	int screen_cols, screen_rows, unix_f_option, user_is_number, wchan_is_number, w_count;
	int header_gap, lines_to_next_header;
	struct sel_node *selection_list;
	struct sf_node *sf_list;
	struct fmt_node *format_list;
	bool already_parsed_format, force_bsd;
	/* The option parser's position. */
	int argc, thisarg;
	char **argv;
	/* An option procps takes that this port does not: no second, BSD reading. */
	bool unsupported;
	char errbuf[160];
	/* The reader: init, pid 1. */
	unsigned int cached_euid;
	int cached_tty;
	/* The machine, read once. */
	int pid_length;
	unsigned long long boot_tics;	/* uptime * HZ, truncated, as the library has it */
	long long now;			/* time(NULL): btime + uptime */
	long long btime;
	bool have_btime, have_memtotal;
	unsigned long memtotal;
	unsigned long select_bits;	/* the simple selections' table (select_bits_setup()) */
	bool failed;			/* a printer hit procps' fatal error (rc set) */
	int rc;
	/* show_one_proc()'s state. */
	unsigned int active_cols, max_rightward;	/* the line's width, the column's room */
	bool wide_signals, did_stuff;
	char *outbuf;
	/* Every allocation, freed together at the end. */
	void **allocs;
	size_t nr_allocs, cap_allocs;
};

static void *ps_alloc(struct ps *ps, size_t n)
{
	if (ps->nr_allocs == ps->cap_allocs) {
		size_t cap = ps->cap_allocs ? ps->cap_allocs * 2 : 64;
		void **more = realloc(ps->allocs, cap * sizeof(*more));
		if (!more)
			return NULL;
		ps->allocs = more;
		ps->cap_allocs = cap;
	}
	void *p = calloc(1, n ? n : 1);
	if (p)
		ps->allocs[ps->nr_allocs++] = p;
	return p;
}

/* Keep a malloc'd string until the end; NULL stays NULL. */
static char *ps_keep(struct ps *ps, char *s)
{
	if (!s)
		return NULL;
	char *copy = ps_alloc(ps, strlen(s) + 1);
	if (copy)
		strcpy(copy, s);
	free(s);
	return copy;
}

static char *ps_strdup(struct ps *ps, const char *s)
{
	char *copy = ps_alloc(ps, strlen(s) + 1);

	if (copy)
		strcpy(copy, s);
	return copy;
}

/*
 * An option or format procps has that this port does not implement: the
 * parse ends here, without a second (BSD) reading that could take it to
 * mean something else.
 */
static const char *unsupported(struct ps *ps, const char *what)
{
	ps->unsupported = true;
	snprintf(ps->errbuf, sizeof(ps->errbuf), "%s is not implemented here", what);
	return ps->errbuf;
}

/* stat2proc(): the fields after the name, as the library's sscanf takes them. */
static void parse_stat(const char *text, struct ps_proc *p)
{
	p->processor = 0;
	p->rtprio = -1;
	p->sched = -1;
	p->nlwp = 0;
	const char *s = strchr(text, '(');
	if (!s)
		return;
	s++;
	const char *close = strrchr(s, ')');
	if (!close || !close[1])
		return;
	char raw[64];
	size_t n = (size_t)(close - s) < sizeof(raw) - 1 ? (size_t)(close - s) : sizeof(raw) - 1;
	memcpy(raw, s, n);
	raw[n] = '\0';
	escape_c_locale(raw);
	snprintf(p->cmd, sizeof(p->cmd), "%s", raw);
	sscanf(close + 2,
	       "%c %d %d %d %d %d %lu %lu %lu %lu %lu %llu %llu %llu %llu %d %d %d %lu %llu %lu %lu "
	       "%lu %lu %lu %lu %lu %lu %*s %*s %*s %*s %lu %*u %*u %d %d %d %d %llu %llu %llu",
	       &p->state, &p->ppid, &p->pgrp, &p->session, &p->tty, &p->tpgid, &p->flags,
	       &p->min_flt, &p->cmin_flt, &p->maj_flt, &p->cmaj_flt, &p->utime, &p->stime,
	       &p->cutime, &p->cstime, &p->priority, &p->nice, &p->nlwp, &p->alarm, &p->start_time,
	       &p->vsize, &p->rss, &p->rss_rlim, &p->start_code, &p->end_code, &p->start_stack,
	       &p->kstk_esp, &p->kstk_eip, &p->wchan, &p->exit_signal, &p->processor, &p->rtprio,
	       &p->sched, &p->blkio_tics, &p->gtime, &p->cgtime);
	if (!p->nlwp)
		p->nlwp = 1;
}

/*
 * status2proc(): the "Name:\tvalue" lines it knows; it stops at a line
 * without a colon and a tab. Its values override stat's (state, ppid).
 */
static void parse_status(char *text, struct ps_proc *p)
{
	long threads = 0, tgid = 0, pid = 0;
	char shdpnd[17] = "";

	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		char *colon = strchr(line, ':');
		if (!line[0] || !line[1] || !line[2] || !line[3] || !colon || colon[1] != '\t')
			break;
		size_t len = (size_t)(colon - line);
		char *v = colon + 2;
#define KEY(k) (len == sizeof(k) - 1 && !memcmp(line, k, len))
		if (KEY("State"))
			p->state = *v;
		else if (KEY("Tgid"))
			tgid = strtol(v, NULL, 10);
		else if (KEY("Pid"))
			pid = strtol(v, NULL, 10);
		else if (KEY("PPid"))
			p->ppid = (int)strtol(v, NULL, 10);
		else if (KEY("Threads"))
			threads = strtol(v, NULL, 10);
		else if (KEY("Uid") || KEY("Gid")) {
			bool uid = KEY("Uid");
			unsigned int *dst[4] = {
				uid ? &p->ruid : &p->rgid, uid ? &p->euid : &p->egid,
				uid ? &p->suid : &p->sgid, uid ? &p->fuid : &p->fgid,
			};
			char *q = v;
			for (int i = 0; i < 4; i++)
				*dst[i] = (unsigned int)strtol(q, &q, 10);
		} else if (KEY("VmData"))
			p->vm_data = (unsigned long)strtol(v, NULL, 10);
		else if (KEY("VmExe"))
			p->vm_exe = (unsigned long)strtol(v, NULL, 10);
		else if (KEY("VmLck"))
			p->vm_lock = (unsigned long)strtol(v, NULL, 10);
		else if (KEY("VmLib"))
			p->vm_lib = (unsigned long)strtol(v, NULL, 10);
		else if (KEY("VmRSS"))
			p->vm_rss = (unsigned long)strtol(v, NULL, 10);
		else if (KEY("VmSize"))
			p->vm_size = (unsigned long)strtol(v, NULL, 10);
		else if (KEY("VmStk"))
			p->vm_stack = (unsigned long)strtol(v, NULL, 10);
		else if (KEY("ShdPnd"))
			snprintf(shdpnd, sizeof(shdpnd), "%.16s", v);
		else if (KEY("SigBlk"))
			snprintf(p->blocked, sizeof(p->blocked), "%.16s", v);
		else if (KEY("SigCgt"))
			snprintf(p->sigcatch, sizeof(p->sigcatch), "%.16s", v);
		else if (KEY("SigIgn"))
			snprintf(p->sigignore, sizeof(p->sigignore), "%.16s", v);
		else if (KEY("SigPnd"))
			snprintf(p->sigpnd, sizeof(p->sigpnd), "%.16s", v);
#undef KEY
		if (!nl)
			break;
		line = nl + 1;
	}
	/* The process's pending signals are ShdPnd's, or SigPnd's on kernels without it. */
	snprintf(p->signal, sizeof(p->signal), "%s", shdpnd[0] ? shdpnd : p->sigpnd);
	if (threads) {
		p->nlwp = (int)threads;
		p->tgid = (int)tgid;
		p->tid = (int)pid;
	}
}

/*
 * simple_readproc(): one /proc/PID directory, or false to skip it (its
 * stat is gone or empty). stat then status, always; cmdline and environ
 * when a command column is shown; oom_score and wchan when asked for.
 */
static bool ps_read_proc(struct ps *ps, int pid, unsigned int needs, struct ps_proc *p)
{
	char dir[32];

	memset(p, 0, sizeof(*p));
	p->tid = p->tgid = pid;
	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	char *text = pid_file(ps->c, dir, "stat");
	if (!text)
		return false;
	parse_stat(text, p);
	free(text);
	if ((text = pid_file(ps->c, dir, "status"))) {
		parse_status(text, p);
		free(text);
	}
	if (needs & NEED_CMDLINE) {
		/* fill_environ_cvt(): the environment on one line, "-" for none. */
		size_t count;
		char *env = read_unvectored(ps->c, dir, "environ", ' ', &count);
		if (env && !*env) {
			free(env);
			env = strdup("-");
		} else if (env) {
			escape_c_locale(env);
		}
		p->environ = ps_keep(ps, env);
		p->cmdline = ps_keep(ps, command_line(ps->c, dir, p->cmd, p->state));
		if (!p->environ || !p->cmdline)
			return false;
	}
	if (needs & NEED_OOM) {
		if ((text = pid_file(ps->c, dir, "oom_score"))) {
			p->oom_score = atoi(text);
			free(text);
		}
		if ((text = pid_file(ps->c, dir, "oom_score_adj"))) {
			p->oom_adj = atoi(text);
			free(text);
		}
	}
	if (needs & NEED_WCHAN) {
		/* lookup_wchan(): "?" without the file, "-" for "0", the symbol otherwise. */
		char path[48];
		struct text t;
		snprintf(path, sizeof(path), "/proc/%d/wchan", p->tid);
		const char *w = "?";
		char buf[64] = "";
		if (proc_file(ps->c, path, &t)) {
			if (t.len >= 1) {
				snprintf(buf, sizeof(buf), "%.*s", (int)(t.len < 63 ? t.len : 63), t.buf);
				w = buf;
				if (!strcmp(buf, "0"))
					w = "-";
				else {
					if (*w == '.')
						w++;
					while (*w == '_')
						w++;
				}
			}
			free(t.buf);
		}
		p->wchan_name = ps_strdup(ps, w);
	}
	return true;
}

/* ---- ps: the machine's facts ---------------------------------------------------------- */

/* procps_pid_length(): the digits of /proc/sys/kernel/pid_max, 5 without it. */
static int ps_pid_length(struct ps *ps)
{
	if (ps->pid_length)
		return ps->pid_length;
	ps->pid_length = 5;
	struct text t;
	if (proc_file(ps->c, "/proc/sys/kernel/pid_max", &t)) {
		size_t n = strcspn(t.buf, "\n");
		if (t.len)
			ps->pid_length = (int)(n < 23 ? n : 23);
		free(t.buf);
	}
	return ps->pid_length;
}

/* boot_time(): /proc/stat's btime; ps gives up without it. */
static bool ps_boot_time(struct ps *ps, long long *t)
{
	if (!ps->have_btime) {
		struct text st;
		const char *b = NULL;
		if (proc_file(ps->c, "/proc/stat", &st)) {
			if (!strncmp(st.buf, "cpu ", 4))
				b = strstr(st.buf, "\nbtime ");
			if (b)
				ps->btime = strtoll(b + 7, NULL, 10);
			free(st.buf);
		}
		if (!b) {
			ps->failed = true;
			ps->rc = cli_error(ps->c, "ps: Unable to get system boot time");
			return false;
		}
		ps->have_btime = true;
	}
	*t = ps->btime;
	return true;
}

/* memory_total(): /proc/meminfo's MemTotal; ps gives up without it. */
static bool ps_memory_total(struct ps *ps, unsigned long *kb)
{
	if (!ps->have_memtotal) {
		struct text mi;
		const char *m = NULL;
		if (proc_file(ps->c, "/proc/meminfo", &mi)) {
			m = strstr(mi.buf, "MemTotal:");
			if (m)
				ps->memtotal = strtoul(m + 9, NULL, 10);
			free(mi.buf);
		}
		if (!m || !ps->memtotal) {
			ps->failed = true;
			ps->rc = cli_error(ps->c, "ps: Unable to get total memory");
			return false;
		}
		ps->have_memtotal = true;
	}
	*kb = ps->memtotal;
	return true;
}

/* ---- ps: the columns (output.c) ------------------------------------------------------- */

/*
 * output.c's escape_str() in the C locale: at most *maxcells characters
 * (and @bufsize - 1 bytes), control characters as '.', high bytes as '?'.
 */
static int ps_escape(char *dst, const char *src, int bufsize, int *maxcells)
{
	int n = 0;

	if (bufsize <= 0)
		return 0;
	*dst = '\0';
	if (*maxcells <= 0)
		return 0;
	if (bufsize > *maxcells + 1)
		bufsize = *maxcells + 1;
	while (n < *maxcells && n + 1 < bufsize && src[n]) {
		unsigned char ch = (unsigned char)src[n];
		dst[n++] = ch < 0x20 || ch == 0x7f ? '.' : ch >= 0x80 ? '?' : (char)ch;
	}
	dst[n] = '\0';
	*maxcells -= n;
	return n;
}

static int pr_nop(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	(void)p;
	return snprintf(out, COLWID, "-");
}

/* args, cmd, command: the command line (the name with BSD c), then the environment with e. */
static int pr_args_text(struct ps *ps, char *out, const char *text, const struct ps_proc *p)
{
	int rightward = (int)ps->max_rightward;
	char *end = out;

	end += ps_escape(end, text, OUTBUF_SIZE, &rightward);
	if (ps->bsd_e_option && rightward > 1 && strcmp(p->environ, "-")) {
		*end++ = ' ';
		rightward--;
		ps_escape(end, p->environ, OUTBUF_SIZE - (int)(end - out), &rightward);
	}
	return (int)ps->max_rightward - rightward;
}

static int pr_args(struct ps *ps, char *out, const struct ps_proc *p)
{
	return pr_args_text(ps, out, ps->bsd_c_option ? p->cmd : p->cmdline, p);
}

/* comm, ucmd, ucomm: the name (the whole command line with -f). */
static int pr_comm(struct ps *ps, char *out, const struct ps_proc *p)
{
	return pr_args_text(ps, out, ps->unix_f_option ? p->cmdline : p->cmd, p);
}

static int pr_fname(struct ps *ps, char *out, const struct ps_proc *p)
{
	int rightward = (int)ps->max_rightward;

	if (rightward > 8)
		rightward = 8;
	ps_escape(out, p->cmd, OUTBUF_SIZE, &rightward);
	return (int)ps->max_rightward - rightward;
}

/* TIME_ELAPSED: (uptime ticks - start ticks) / HZ in double precision, 0 unless positive. */
static double elapsed_seconds(const struct ps *ps, const struct ps_proc *p)
{
	double t = (double)(ps->boot_tics - p->start_time);

	return t > 0 ? t / USER_HZ : 0;
}

static unsigned long long used_ticks(const struct ps *ps, const struct ps_proc *p)
{
	unsigned long long t = p->utime + p->stime;

	return ps->include_dead_children ? t + p->cutime + p->cstime : t;
}

static int pr_etime(struct ps *ps, char *out, const struct ps_proc *p)
{
	unsigned long t = (unsigned long)elapsed_seconds(ps, p);
	unsigned int ss = t % 60, mm = (t / 60) % 60, hh = (t / 3600) % 24, dd = (unsigned int)(t / 86400);
	int n = 0;

	if (dd)
		n += snprintf(out + n, COLWID, "%u-", dd);
	if (dd || hh)
		n += snprintf(out + n, COLWID, "%02u:", hh);
	n += snprintf(out + n, COLWID, "%02u:%02u", mm, ss);
	return n;
}

static int pr_etimes(struct ps *ps, char *out, const struct ps_proc *p)
{
	return snprintf(out, COLWID, "%u", (unsigned int)elapsed_seconds(ps, p));
}

/* %CPU and friends: CPU ticks over the ticks of the process's life, in per-mill. */
static unsigned int cpu_permill(const struct ps *ps, const struct ps_proc *p, unsigned long long scale)
{
	unsigned long long jiffies = (unsigned long long)(elapsed_seconds(ps, p) * USER_HZ);

	return jiffies ? (unsigned int)(used_ticks(ps, p) * scale / jiffies) : 0;
}

static int pr_c(struct ps *ps, char *out, const struct ps_proc *p)
{
	unsigned int pcpu = cpu_permill(ps, p, 100);

	return snprintf(out, COLWID, "%2u", pcpu > 99 ? 99 : pcpu);
}

static int pr_pcpu(struct ps *ps, char *out, const struct ps_proc *p)
{
	unsigned int pcpu = cpu_permill(ps, p, 1000);

	if (pcpu > 999)
		return snprintf(out, COLWID, "%u", pcpu / 10);
	return snprintf(out, COLWID, "%u.%u", pcpu / 10, pcpu % 10);
}

static int pr_cp(struct ps *ps, char *out, const struct ps_proc *p)
{
	unsigned int pcpu = cpu_permill(ps, p, 1000);

	return snprintf(out, COLWID, "%3u", pcpu > 999 ? 999 : pcpu);
}

static int pr_pgid(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%u", (unsigned int)p->pgrp);
}

static int pr_ppid(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%u", (unsigned int)p->ppid);
}

/* TIME_ALL: (utime + stime) / HZ in double precision. */
static unsigned long cpu_seconds(const struct ps_proc *p)
{
	return (unsigned long)(((double)p->utime + (double)p->stime) / USER_HZ);
}

static int pr_time(struct ps *ps, char *out, const struct ps_proc *p)
{
	unsigned long t = cpu_seconds(p);
	unsigned int ss = t % 60, mm = (t / 60) % 60, hh = (t / 3600) % 24, dd = (unsigned int)(t / 86400);
	int n = 0;

	(void)ps;
	if (dd)
		n = snprintf(out, COLWID, "%u-", dd);
	return n + snprintf(out + n, COLWID, "%02u:%02u:%02u", hh, mm, ss);
}

static int pr_times(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%lu", cpu_seconds(p));
}

static int pr_vsz(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%lu", p->vm_size);
}

/* The priorities, each as one system spells PRI (stat's priority is prio - 100). */
static int pr_priority(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%d", p->priority);
}

static int pr_opri(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%d", 60 + p->priority);
}

static int pr_pri_foo(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%d", p->priority - 20);
}

static int pr_pri_bar(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%d", p->priority + 1);
}

static int pr_pri_baz(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%d", p->priority + 100);
}

static int pr_pri(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%d", 39 - p->priority);
}

static int pr_pri_api(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%d", -1 - p->priority);
}

/* The nice value means something only to SCHED_OTHER and SCHED_BATCH. */
static int pr_nice(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	if (p->sched != 0 && p->sched != 3 && p->sched != -1)
		return snprintf(out, COLWID, "-");
	return snprintf(out, COLWID, "%d", p->nice);
}

static int pr_oom_adj(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%d", p->oom_adj);
}

static int pr_oom(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%d", p->oom_score);
}

static int pr_class(struct ps *ps, char *out, const struct ps_proc *p)
{
	static const char *const names[] = { "TS", "FF", "RR", "B", "ISO", "IDL", "DLN", "#7", "#8",
					      "#9" };

	(void)ps;
	if (p->sched == -1)
		return snprintf(out, COLWID, "-");
	if (p->sched < 0 || p->sched > 9)
		return snprintf(out, COLWID, "?");
	return snprintf(out, COLWID, "%s", names[p->sched]);
}

static int pr_rtprio(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	if (p->sched == 0 || p->sched == -1)
		return snprintf(out, COLWID, "-");
	return snprintf(out, COLWID, "%d", p->rtprio);
}

static int pr_sched(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	if (p->sched == -1)
		return snprintf(out, COLWID, "-");
	return snprintf(out, COLWID, "%d", p->sched);
}

static int pr_wchan(struct ps *ps, char *out, const struct ps_proc *p)
{
	size_t len = strlen(p->wchan_name);

	if (len > ps->max_rightward)
		len = ps->max_rightward;
	memcpy(out, p->wchan_name, len);
	out[len] = '\0';
	return (int)len;
}

/*
 * The terminal's name: the machine has no terminals (no /dev, no
 * /proc/tty/drivers), so every process shows dev_to_tty()'s "?".
 */
static int pr_tty(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	(void)p;
	return snprintf(out, COLWID, "?");
}

/* STAT: the state, then < N (nice), L (locked pages), s (session leader), l (threads), + (foreground). */
static int pr_stat(struct ps *ps, char *out, const struct ps_proc *p)
{
	int end = 0;

	(void)ps;
	out[end++] = p->state;
	if (p->nice < 0)
		out[end++] = '<';
	if (p->nice > 0)
		out[end++] = 'N';
	if (p->vm_lock)
		out[end++] = 'L';
	if (p->session == p->tgid)
		out[end++] = 's';
	if (p->nlwp > 1)
		out[end++] = 'l';
	if (p->pgrp == p->tpgid)
		out[end++] = '+';
	out[end] = '\0';
	return end;
}

static int pr_s(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	out[0] = p->state;
	out[1] = '\0';
	return 1;
}

/* F: the task flags' bits 6-8 (PF_FORKNOEXEC 1, PF_SUPERPRIV 4), in octal. */
static int pr_flag(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%o", (unsigned int)(p->flags >> 6) & 7);
}

/* The address columns are as wide as the tool's long. */
static int pr_hex_long(struct ps *ps, char *out, unsigned long v)
{
	return snprintf(out, COLWID, "%0*lx", ps->lp64 ? 16 : 8, v);
}

static int pr_stackp(struct ps *ps, char *out, const struct ps_proc *p)
{
	return pr_hex_long(ps, out, p->start_stack);
}

static int pr_esp(struct ps *ps, char *out, const struct ps_proc *p)
{
	return pr_hex_long(ps, out, p->kstk_esp);
}

static int pr_eip(struct ps *ps, char *out, const struct ps_proc *p)
{
	return pr_hex_long(ps, out, p->kstk_eip);
}

static int pr_bsdtime(struct ps *ps, char *out, const struct ps_proc *p)
{
	unsigned int u = (unsigned int)(used_ticks(ps, p) / USER_HZ);

	return snprintf(out, COLWID, "%3u:%02u", u / 60, u % 60);
}

/* ---- ps: dates, in UTC and the C locale ----------------------------------------------- */

static const char *const day_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const month_names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
					    "Sep", "Oct", "Nov", "Dec" };

/* ctime(): "Thu Jan  1 00:02:05 1970\n" (26 bytes with the NUL). */
static void ctime_utc(long long t, char buf[64])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm)) {
		snprintf(buf, 64, "??? ??? ?? ??:??:?? ????\n");
		return;
	}
	snprintf(buf, 64, "%.3s %.3s%3d %.2d:%.2d:%.2d %d\n", day_names[tm.tm_wday],
		 month_names[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 1900 + tm.tm_year);
}

/* A process's start: btime + its start ticks / HZ; false after the boot-time error. */
static bool start_seconds(struct ps *ps, const struct ps_proc *p, long long *t)
{
	long long btime;

	if (!ps_boot_time(ps, &btime))
		return false;
	*t = (long long)((unsigned int)btime + p->start_time / USER_HZ);
	return true;
}

static int pr_bsdstart(struct ps *ps, char *out, const struct ps_proc *p)
{
	long long start;
	char buf[64];

	if (!start_seconds(ps, p, &start))
		return 0;
	long long ago = ps->now - start;
	if (ago < 0)
		ago = 0;
	ctime_utc(start, buf);
	snprintf(out, COLWID, "%s", buf + (ago > 3600 * 24 ? 4 : 10));
	out[6] = '\0';
	return 6;
}

static int pr_lstart(struct ps *ps, char *out, const struct ps_proc *p)
{
	long long t;
	char buf[64];

	if (!start_seconds(ps, p, &t))
		return 0;
	ctime_utc(t, buf);
	return snprintf(out, COLWID, "%24.24s", buf);
}

/* STIME: HH:MM today, MmmDD this year, the year before that. */
static int pr_stime(struct ps *ps, char *out, const struct ps_proc *p)
{
	long long t;
	time_t now = (time_t)ps->now, tt;
	struct tm our, proc;

	if (!start_seconds(ps, p, &t))
		return 0;
	tt = (time_t)t;
	if (!gmtime_r(&now, &our) || !gmtime_r(&tt, &proc))
		return 0;
	if (our.tm_year != proc.tm_year)
		return snprintf(out, COLWID, "%d", 1900 + proc.tm_year);
	if (our.tm_yday != proc.tm_yday)
		return snprintf(out, COLWID, "%s%02d", month_names[proc.tm_mon], proc.tm_mday);
	return snprintf(out, COLWID, "%02d:%02d", proc.tm_hour, proc.tm_min);
}

/* START: HH:MM:SS within a day, else "  Mmm DD". */
static int pr_start(struct ps *ps, char *out, const struct ps_proc *p)
{
	long long t;
	char str[64];

	if (!start_seconds(ps, p, &t))
		return 0;
	ctime_utc(t, str);
	if (str[8] == ' ')
		str[8] = '0';
	if (str[11] == ' ')
		str[11] = '0';
	if ((unsigned long)t + 60 * 60 * 24 > (unsigned long)ps->now)
		return snprintf(out, COLWID, "%8.8s", str + 11);
	return snprintf(out, COLWID, "  %6.6s", str + 4);
}

/* ---- ps: memory columns --------------------------------------------------------------- */

static int pr_sz(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%lu", p->vm_size / 4);	/* page_size / 1024 */
}

/* The old text and data sizes, from stat's vsize and code range (kB). */
static long code_kb(const struct ps_proc *p)
{
	return p->vsize ? (long)((p->end_code - p->start_code) >> 10) : 0;
}

static long data_kb(const struct ps_proc *p)
{
	return p->vsize ? (long)((p->vsize - p->end_code + p->start_code) >> 10) : 0;
}

static int pr_dsiz(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%ld", data_kb(p));
}

static int pr_tsiz(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%ld", code_kb(p));
}

static int pr_swapable(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%lu", p->vm_data + p->vm_stack);
}

static int pr_size(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%lu", p->vsize);
}

static int pr_minflt(struct ps *ps, char *out, const struct ps_proc *p)
{
	return snprintf(out, COLWID, "%lu", p->min_flt + (ps->include_dead_children ? p->cmin_flt : 0));
}

static int pr_majflt(struct ps *ps, char *out, const struct ps_proc *p)
{
	return snprintf(out, COLWID, "%lu", p->maj_flt + (ps->include_dead_children ? p->cmaj_flt : 0));
}

/* LIM: the RSS limit in kB, "xx" for RLIM_INFINITY — the tool's ~0UL. */
static int pr_lim(struct ps *ps, char *out, const struct ps_proc *p)
{
	unsigned long infinity = ps->lp64 ? ~0UL : 0xffffffffUL;

	if (p->rss_rlim == infinity)
		return snprintf(out, COLWID, "xx");
	return snprintf(out, COLWID, "%5lu", p->rss_rlim >> 10);
}

static int pr_psr(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%d", p->processor);
}

static int pr_rss(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	return snprintf(out, COLWID, "%lu", p->vm_rss);
}

/* %MEM: VmRSS per mill of MemTotal, at most 99.9. */
static int pr_pmem(struct ps *ps, char *out, const struct ps_proc *p)
{
	unsigned long total;

	if (!ps_memory_total(ps, &total))
		return 0;
	unsigned long long pmem = (unsigned long long)p->vm_rss * 1000ULL / total;
	if (pmem > 999)
		pmem = 999;
	return snprintf(out, COLWID, "%2u.%u", (unsigned int)(pmem / 10), (unsigned int)(pmem % 10));
}

/* ---- ps: signals, ids, names ---------------------------------------------------------- */

/* A signal mask: 16 hex digits with room, else the low 8 ('<' when more were set). */
static int help_pr_sig(struct ps *ps, char *out, const char *sig)
{
	size_t len = strlen(sig);

	if (ps->wide_signals) {
		if (len > 8)
			return snprintf(out, COLWID, "%s", sig);
		return snprintf(out, COLWID, "00000000%s", sig);
	}
	if (len - strspn(sig, "0") > 8)
		return snprintf(out, COLWID, "<%s", sig + len - 8);
	if (len < 8)
		return snprintf(out, COLWID, "%.*s%s", (int)(8 - len), "00000000", sig);
	return snprintf(out, COLWID, "%s", sig + len - 8);
}

static int pr_tsig(struct ps *ps, char *out, const struct ps_proc *p)
{
	return help_pr_sig(ps, out, p->sigpnd);
}

static int pr_sig(struct ps *ps, char *out, const struct ps_proc *p)
{
	return help_pr_sig(ps, out, p->signal);
}

static int pr_sigmask(struct ps *ps, char *out, const struct ps_proc *p)
{
	return help_pr_sig(ps, out, p->blocked);
}

static int pr_sigignore(struct ps *ps, char *out, const struct ps_proc *p)
{
	return help_pr_sig(ps, out, p->sigignore);
}

static int pr_sigcatch(struct ps *ps, char *out, const struct ps_proc *p)
{
	return help_pr_sig(ps, out, p->sigcatch);
}

#define PR_ID(name, field)							\
	static int name(struct ps *ps, char *out, const struct ps_proc *p)	\
	{									\
		(void)ps;							\
		return snprintf(out, COLWID, "%d", (int)p->field);		\
	}
PR_ID(pr_egid, egid)
PR_ID(pr_rgid, rgid)
PR_ID(pr_sgid, sgid)
PR_ID(pr_fgid, fgid)
PR_ID(pr_euid, euid)
PR_ID(pr_ruid, ruid)
PR_ID(pr_suid, suid)
PR_ID(pr_fuid, fuid)
PR_ID(pr_procs, tgid)
PR_ID(pr_tasks, tid)
PR_ID(pr_nlwp, nlwp)
PR_ID(pr_sess, session)
PR_ID(pr_tpgid, tpgid)
#undef PR_ID

/*
 * The names the machine's user and group databases would give: it has
 * neither file, so only the ids every Debian system names are known.
 */
static const char *user_name(unsigned int uid, char buf[16])
{
	if (uid == 0)
		return "root";
	if (uid == 65534)
		return "nobody";
	snprintf(buf, 16, "%u", uid);
	return buf;
}

static const char *group_name(unsigned int gid, char buf[16])
{
	if (gid == 0)
		return "root";
	if (gid == 65534)
		return "nogroup";
	snprintf(buf, 16, "%u", gid);
	return buf;
}

/* do_pr_name(): the name, cut with a '+' where the column is too narrow; the number with n. */
static int do_pr_name(struct ps *ps, char *out, const char *name, unsigned int id)
{
	if (!ps->user_is_number) {
		int rightward = OUTBUF_SIZE;
		ps_escape(out, name, OUTBUF_SIZE, &rightward);
		int len = OUTBUF_SIZE - rightward;
		if (len <= (int)ps->max_rightward)
			return len;
		if (ps->max_rightward >= 1 && (unsigned char)out[ps->max_rightward - 1] < 127) {
			len = (int)ps->max_rightward - 1;
			out[len++] = '+';
			out[len] = '\0';
			return len;
		}
	}
	return snprintf(out, COLWID, "%u", id);
}

#define PR_NAME(fn, field, lookup)						\
	static int fn(struct ps *ps, char *out, const struct ps_proc *p)	\
	{									\
		char buf[16];							\
		return do_pr_name(ps, out, lookup(p->field, buf), p->field);	\
	}
PR_NAME(pr_euser, euid, user_name)
PR_NAME(pr_ruser, ruid, user_name)
PR_NAME(pr_suser, suid, user_name)
PR_NAME(pr_fuser, fuid, user_name)
PR_NAME(pr_egroup, egid, group_name)
PR_NAME(pr_rgroup, rgid, group_name)
PR_NAME(pr_sgroup, sgid, group_name)
PR_NAME(pr_fgroup, fgid, group_name)
#undef PR_NAME

/* SGI's "P": the CPU of a running process, '*' otherwise. */
static int pr_sgi_p(struct ps *ps, char *out, const struct ps_proc *p)
{
	(void)ps;
	if (p->state == 'R')
		return snprintf(out, COLWID, "%u", (unsigned int)p->processor);
	return snprintf(out, COLWID, "*");
}

/* ---- ps: the column table (output.c's format_array, the part this machine can fill) --- */

#define LONG_HEX	-1	/* width: two digits per byte of the tool's long */
#define R		CF_RIGHT
#define L		CF_LEFT
#define U		CF_UNLIMITED
#define US		CF_USER
#define SG		CF_SIGNAL
#define PM		(CF_PIDMAX | CF_RIGHT)
#define CMDL		NEED_CMDLINE

static const struct ps_spec ps_specs[] = {
	{ "%cpu", "%CPU", pr_pcpu, 4, R, 0 },
	{ "%mem", "%MEM", pr_pmem, 4, R, 0 },
	{ "addr", "ADDR", pr_nop, 4, R, 0 },
	{ "addr_1", "ADDR", pr_nop, 1, L, 0 },
	{ "alarm", "ALARM", pr_nop, 5, R, 0 },
	{ "args", "COMMAND", pr_args, 27, U, CMDL },
	{ "atime", "TIME", pr_time, 8, R, 0 },
	{ "blocked", "BLOCKED", pr_sigmask, 9, SG, 0 },
	{ "bsdstart", "START", pr_bsdstart, 6, R, 0 },
	{ "bsdtime", "TIME", pr_bsdtime, 6, R, 0 },
	{ "c", "C", pr_c, 2, R, 0 },
	{ "caught", "CAUGHT", pr_sigcatch, 9, SG, 0 },
	{ "class", "CLS", pr_class, 3, L, 0 },
	{ "cls", "CLS", pr_class, 3, R, 0 },
	{ "cmd", "CMD", pr_args, 27, U, CMDL },
	{ "comm", "COMMAND", pr_comm, 15, U, CMDL },
	{ "command", "COMMAND", pr_args, 27, U, CMDL },
	{ "cp", "CP", pr_cp, 3, R, 0 },
	{ "cpu", "CPU", pr_nop, 3, R, 0 },
	{ "cpuid", "CPUID", pr_psr, 5, R, 0 },
	{ "cputime", "TIME", pr_time, 8, R, 0 },
	{ "cputimes", "TIME", pr_times, 8, R, 0 },
	{ "cursig", "CURSIG", pr_nop, 6, R, 0 },
	{ "drs", "DRS", pr_dsiz, 5, R, 0 },
	{ "dsiz", "DSIZ", pr_dsiz, 4, R, 0 },
	{ "egid", "EGID", pr_egid, 5, R, 0 },
	{ "egroup", "EGROUP", pr_egroup, 8, US, 0 },
	{ "eip", "EIP", pr_eip, LONG_HEX, R, 0 },
	{ "esp", "ESP", pr_esp, LONG_HEX, R, 0 },
	{ "etime", "ELAPSED", pr_etime, 11, R, 0 },
	{ "etimes", "ELAPSED", pr_etimes, 7, R, 0 },
	{ "euid", "EUID", pr_euid, 5, R, 0 },
	{ "euser", "EUSER", pr_euser, 8, US, 0 },
	{ "f", "F", pr_flag, 1, R, 0 },
	{ "fgid", "FGID", pr_fgid, 5, R, 0 },
	{ "fgroup", "FGROUP", pr_fgroup, 8, US, 0 },
	{ "flag", "F", pr_flag, 1, R, 0 },
	{ "flags", "F", pr_flag, 1, R, 0 },
	{ "fname", "COMMAND", pr_fname, 8, L, 0 },
	{ "fsgid", "FSGID", pr_fgid, 5, R, 0 },
	{ "fsgroup", "FSGROUP", pr_fgroup, 8, US, 0 },
	{ "fsuid", "FSUID", pr_fuid, 5, R, 0 },
	{ "fsuser", "FSUSER", pr_fuser, 8, US, 0 },
	{ "fuid", "FUID", pr_fuid, 5, R, 0 },
	{ "fuser", "FUSER", pr_fuser, 8, US, 0 },
	{ "gid", "GID", pr_egid, 5, R, 0 },
	{ "group", "GROUP", pr_egroup, 8, US, 0 },
	{ "ignored", "IGNORED", pr_sigignore, 9, SG, 0 },
	{ "intpri", "PRI", pr_opri, 3, R, 0 },
	{ "jobc", "JOBC", pr_nop, 4, R, 0 },
	{ "lastcpu", "C", pr_psr, 3, R, 0 },
	{ "lim", "LIM", pr_lim, 5, R, 0 },
	{ "longtname", "TTY", pr_tty, 8, L, 0 },
	{ "lstart", "STARTED", pr_lstart, 24, R, 0 },
	{ "lwp", "LWP", pr_tasks, 5, PM, 0 },
	{ "m_drs", "DRS", pr_dsiz, 5, R, 0 },
	{ "m_dt", "DT", pr_nop, 4, R, 0 },
	{ "m_share", "SHRD", pr_nop, 5, R, 0 },
	{ "m_size", "SIZE", pr_size, 5, R, 0 },
	{ "m_swap", "SWAP", pr_nop, 5, R, 0 },
	{ "m_trs", "TRS", pr_tsiz, 5, R, 0 },
	{ "maj_flt", "MAJFL", pr_majflt, 6, R, 0 },
	{ "majflt", "MAJFLT", pr_majflt, 6, R, 0 },
	{ "min_flt", "MINFL", pr_minflt, 6, R, 0 },
	{ "minflt", "MINFLT", pr_minflt, 6, R, 0 },
	{ "ni", "NI", pr_nice, 3, R, 0 },
	{ "nice", "NI", pr_nice, 3, R, 0 },
	{ "nlwp", "NLWP", pr_nlwp, 4, R, 0 },
	{ "nwchan", "WCHAN", pr_nop, 6, R, 0 },
	{ "oom", "OOM", pr_oom, 4, R, NEED_OOM },
	{ "oomadj", "OOMADJ", pr_oom_adj, 5, R, NEED_OOM },
	{ "opri", "PRI", pr_opri, 3, R, 0 },
	{ "pagein", "PAGEIN", pr_majflt, 6, R, 0 },
	{ "pcpu", "%CPU", pr_pcpu, 4, R, 0 },
	{ "pending", "PENDING", pr_sig, 9, SG, 0 },
	{ "pgid", "PGID", pr_pgid, 5, PM, 0 },
	{ "pgrp", "PGRP", pr_pgid, 5, PM, 0 },
	{ "pid", "PID", pr_procs, 5, PM, 0 },
	{ "pmem", "%MEM", pr_pmem, 4, R, 0 },
	{ "policy", "POL", pr_class, 3, L, 0 },
	{ "ppid", "PPID", pr_ppid, 5, PM, 0 },
	{ "pri", "PRI", pr_pri, 3, R, 0 },
	{ "pri_api", "API", pr_pri_api, 3, R, 0 },
	{ "pri_bar", "BAR", pr_pri_bar, 3, R, 0 },
	{ "pri_baz", "BAZ", pr_pri_baz, 3, R, 0 },
	{ "pri_foo", "FOO", pr_pri_foo, 3, R, 0 },
	{ "priority", "PRI", pr_priority, 3, R, 0 },
	{ "psr", "PSR", pr_psr, 3, R, 0 },
	{ "re", "RE", pr_nop, 3, R, 0 },
	{ "rgid", "RGID", pr_rgid, 5, R, 0 },
	{ "rgroup", "RGROUP", pr_rgroup, 8, US, 0 },
	{ "rss", "RSS", pr_rss, 5, R, 0 },
	{ "rssize", "RSS", pr_rss, 5, R, 0 },
	{ "rsz", "RSZ", pr_rss, 5, R, 0 },
	{ "rtprio", "RTPRIO", pr_rtprio, 6, R, 0 },
	{ "ruid", "RUID", pr_ruid, 5, R, 0 },
	{ "ruser", "RUSER", pr_ruser, 8, US, 0 },
	{ "s", "S", pr_s, 1, L, 0 },
	{ "sched", "SCH", pr_sched, 3, R, 0 },
	{ "sess", "SESS", pr_sess, 5, PM, 0 },
	{ "session", "SESS", pr_sess, 5, PM, 0 },
	{ "sgi_p", "P", pr_sgi_p, 1, R, 0 },
	{ "sgid", "SGID", pr_sgid, 5, R, 0 },
	{ "sgroup", "SGROUP", pr_sgroup, 8, US, 0 },
	{ "sid", "SID", pr_sess, 5, PM, 0 },
	{ "sig", "PENDING", pr_sig, 9, SG, 0 },
	{ "sig_block", "BLOCKED", pr_sigmask, 9, SG, 0 },
	{ "sig_catch", "CATCHED", pr_sigcatch, 9, SG, 0 },
	{ "sig_ignore", "IGNORED", pr_sigignore, 9, SG, 0 },
	{ "sig_pend", "SIGNAL", pr_sig, 9, SG, 0 },
	{ "sigcatch", "CAUGHT", pr_sigcatch, 9, SG, 0 },
	{ "sigignore", "IGNORED", pr_sigignore, 9, SG, 0 },
	{ "sigmask", "BLOCKED", pr_sigmask, 9, SG, 0 },
	{ "size", "SIZE", pr_swapable, 5, R, 0 },
	{ "sl", "SL", pr_nop, 3, R, 0 },
	{ "spid", "SPID", pr_tasks, 5, PM, 0 },
	{ "stackp", "STACKP", pr_stackp, LONG_HEX, R, 0 },
	{ "start", "STARTED", pr_start, 8, R, 0 },
	{ "start_stack", "STACKP", pr_stackp, LONG_HEX, R, 0 },
	{ "start_time", "START", pr_stime, 5, R, 0 },
	{ "stat", "STAT", pr_stat, 4, L, 0 },
	{ "state", "S", pr_s, 1, L, 0 },
	{ "stime", "STIME", pr_stime, 5, R, 0 },
	{ "suid", "SUID", pr_suid, 5, R, 0 },
	{ "suser", "SUSER", pr_suser, 8, US, 0 },
	{ "svgid", "SVGID", pr_sgid, 5, R, 0 },
	{ "svgroup", "SVGROUP", pr_sgroup, 8, US, 0 },
	{ "svuid", "SVUID", pr_suid, 5, R, 0 },
	{ "svuser", "SVUSER", pr_suser, 8, US, 0 },
	{ "sz", "SZ", pr_sz, 5, R, 0 },
	{ "tgid", "TGID", pr_procs, 5, PM, 0 },
	{ "thcount", "THCNT", pr_nlwp, 5, R, 0 },
	{ "tid", "TID", pr_tasks, 5, PM, 0 },
	{ "time", "TIME", pr_time, 8, R, 0 },
	{ "timeout", "TMOUT", pr_nop, 5, R, 0 },
	{ "times", "TIME", pr_times, 8, R, 0 },
	{ "tmout", "TMOUT", pr_nop, 5, R, 0 },
	{ "tname", "TTY", pr_tty, 8, L, 0 },
	{ "tpgid", "TPGID", pr_tpgid, 5, PM, 0 },
	{ "trs", "TRS", pr_tsiz, 4, R, 0 },
	{ "trss", "TRSS", pr_tsiz, 4, R, 0 },
	{ "tsig", "PENDING", pr_tsig, 9, SG, 0 },
	{ "tsiz", "TSIZ", pr_tsiz, 4, R, 0 },
	{ "tt", "TT", pr_tty, 8, L, 0 },
	{ "tty", "TT", pr_tty, 8, L, 0 },
	{ "tty4", "TTY", pr_tty, 4, L, 0 },
	{ "tty8", "TTY", pr_tty, 8, L, 0 },
	{ "ucmd", "CMD", pr_comm, 15, U, CMDL },
	{ "ucomm", "COMMAND", pr_comm, 15, U, CMDL },
	{ "uid", "UID", pr_euid, 5, R, 0 },
	{ "uid_hack", "UID", pr_euser, 8, US, 0 },
	{ "uname", "USER", pr_euser, 8, US, 0 },
	{ "user", "USER", pr_euser, 8, US, 0 },
	{ "util", "C", pr_c, 2, R, 0 },
	{ "vm_data", "DATA", pr_nop, 5, R, 0 },
	{ "vm_exe", "EXE", pr_nop, 5, R, 0 },
	{ "vm_lib", "LIB", pr_nop, 5, R, 0 },
	{ "vm_lock", "LCK", pr_nop, 3, R, 0 },
	{ "vm_stack", "STACK", pr_nop, 5, R, 0 },
	{ "vsize", "VSZ", pr_vsz, 6, R, 0 },
	{ "vsz", "VSZ", pr_vsz, 6, R, 0 },
	{ "wchan", "WCHAN", pr_wchan, 6, CF_WCHAN, NEED_WCHAN },
	{ "wname", "WCHAN", pr_wchan, 6, CF_WCHAN, NEED_WCHAN },
};

#undef R
#undef L
#undef U
#undef US
#undef SG
#undef PM
#undef CMDL

/* Named lists of columns (macro_array): the formats the options choose, and -o takes too. */
static const struct {
	const char *spec, *head;
} ps_macros[] = {
	{ "DFMT", "pid,tname,state,cputime,cmd" },
	{ "DefBSD", "pid,tname,stat,bsdtime,args" },
	{ "DefSysV", "pid,tname,time,cmd" },
	{ "END_BSD", "state,tname,cputime,comm" },
	{ "END_SYS5", "state,tname,time,command" },
	{ "F5FMT", "uname,pid,ppid,c,start,tname,time,cmd" },
	{ "FB_", "pid,tt,stat,time,command" },
	{ "FB_j", "user,pid,ppid,pgid,sess,jobc,stat,tt,time,command" },
	{ "FB_l", "uid,pid,ppid,cpu,pri,nice,vsz,rss,wchan,stat,tt,time,command" },
	{ "FB_u", "user,pid,pcpu,pmem,vsz,rss,tt,stat,start,time,command" },
	{ "FB_v", "pid,stat,time,sl,re,pagein,vsz,rss,lim,tsiz,pcpu,pmem,command" },
	{ "FD_", "pid,tty,time,comm" },
	{ "FD_f", "user,pid,ppid,start_time,tty,time,comm" },
	{ "FD_fj", "user,pid,ppid,start_time,tty,time,pgid,sid,comm" },
	{ "FD_j", "pid,tty,time,pgid,sid,comm" },
	{ "FD_l", "flags,state,uid,pid,ppid,priority,nice,vsz,wchan,tty,time,comm" },
	{ "FD_lj", "flags,state,uid,pid,ppid,priority,nice,vsz,wchan,tty,time,pgid,sid,comm" },
	{ "FL5FMT", "f,state,uid,pid,ppid,pcpu,pri,nice,rss,wchan,start,time,command" },
	{ "HP_", "pid,tty,time,comm" },
	{ "HP_f", "user,pid,ppid,cpu,stime,tty,time,args" },
	{ "HP_fl", "flags,state,user,pid,ppid,cpu,intpri,nice,addr,sz,wchan,stime,tty,time,args" },
	{ "HP_l", "flags,state,uid,pid,ppid,cpu,intpri,nice,addr,sz,wchan,tty,time,comm" },
	{ "JFMT", "user,pid,ppid,pgid,sess,jobc,state,tname,cputime,command" },
	{ "L5FMT", "f,state,uid,pid,ppid,c,pri,nice,addr,sz,wchan,tt,time,ucmd" },
	{ "LFMT", "uid,pid,ppid,cp,pri,nice,vsz,rss,wchan,state,tname,cputime,command" },
	{ "OL_X", "pid,start_stack,esp,eip,timeout,alarm,stat,tname,bsdtime,args" },
	{ "OL_j", "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args" },
	{ "OL_l", "flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,args" },
	{ "OL_m", "pid,tname,majflt,minflt,m_trs,m_drs,m_size,m_swap,rss,m_share,vm_lib,m_dt,args" },
	{ "OL_s", "uid,pid,pending,sig_block,sig_ignore,caught,stat,tname,bsdtime,args" },
	{ "OL_u", "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args" },
	{ "OL_v", "pid,tname,stat,bsdtime,maj_flt,m_trs,m_drs,rss,pmem,args" },
	{ "RD_", "pid,tname,state,bsdtime,comm" },
	{ "RD_f", "uid,pid,ppid,start_time,tname,bsdtime,args" },
	{ "RD_fj", "uid,pid,ppid,start_time,tname,bsdtime,pgid,sid,args" },
	{ "RD_j", "pid,tname,state,bsdtime,pgid,sid,comm" },
	{ "RD_l", "flags,state,uid,pid,ppid,priority,nice,wchan,tname,bsdtime,comm" },
	{ "RD_lj", "flags,state,uid,pid,ppid,priority,nice,wchan,tname,bsdtime,pgid,sid,comm" },
	{ "SFMT", "uid,pid,cursig,sig,sigmask,sigignore,sigcatch,stat,tname,command" },
	{ "Std_f", "uid_hack,pid,ppid,c,stime,tname,time,cmd" },
	{ "Std_fl", "f,s,uid_hack,pid,ppid,c,opri,ni,addr,sz,wchan,stime,tname,time,cmd" },
	{ "Std_l", "f,s,uid,pid,ppid,c,opri,ni,addr,sz,wchan,tname,time,ucmd" },
	{ "UFMT", "uname,pid,pcpu,pmem,vsz,rss,tt,state,start,time,command" },
	{ "VFMT", "pid,tt,state,time,sl,pagein,vsz,rss,pcpu,pmem,command" },
};

static const struct ps_spec *search_spec(const char *name)
{
	for (size_t i = 0; i < sizeof(ps_specs) / sizeof(ps_specs[0]); i++)
		if (!strcmp(ps_specs[i].spec, name))
			return &ps_specs[i];
	return NULL;
}

/*
 * do_one_spec(): a column (or a macro's columns, last first) with its
 * header; a PID-like column is as wide as pid_max's digits (at least its
 * header), a header override widens the column to fit. NULL if unknown.
 */
static struct fmt_node *do_one_spec(struct ps *ps, const char *spec, const char *override)
{
	const struct ps_spec *fs = search_spec(spec);

	if (fs) {
		struct fmt_node *node = ps_alloc(ps, sizeof(*node));
		if (!node)
			return NULL;
		int w1 = fs->width == LONG_HEX ? (ps->lp64 ? 16 : 8) : fs->width;
		if (fs->flags & CF_PIDMAX) {
			w1 = ps_pid_length(ps);
			int w2 = (int)strlen(fs->head);
			if (w2 > w1)
				w1 = w2;
		}
		if (override) {
			int w2 = (int)strlen(override);
			node->width = w1 > w2 ? w1 : w2;
			node->name = ps_strdup(ps, override);
		} else {
			node->width = w1;
			node->name = ps_strdup(ps, fs->head);
		}
		node->spec = fs;
		node->flags = fs->flags;
		return node->name ? node : NULL;
	}
	for (size_t i = 0; i < sizeof(ps_macros) / sizeof(ps_macros[0]); i++) {
		if (strcmp(ps_macros[i].spec, spec))
			continue;
		struct fmt_node *list = NULL;
		for (const char *walk = ps_macros[i].head; *walk;) {
			char buf[16];
			size_t dist = strcspn(walk, ", ");
			snprintf(buf, sizeof(buf), "%.*s", (int)dist, walk);
			struct fmt_node *node = do_one_spec(ps, buf, override);
			if (!node)
				return NULL;
			node->next = list;
			list = node;
			walk += dist;
			if (*walk)
				walk++;
		}
		return list;
	}
	return NULL;
}

/* Put a spec's nodes (a macro's come last-first) at the head of *list. */
static void prepend_nodes(struct fmt_node *nodes, struct fmt_node **list)
{
	struct fmt_node *end = nodes;

	while (end->next)
		end = end->next;
	end->next = *list;
	*list = nodes;
}

/*
 * format_parse(): "pid,ppid,comm" or "pid ppid comm" (tabs and newlines
 * too), one trailing separator allowed; "name=HEADER" renames a column
 * (the last one's header may hold separators), "name:WIDTH" sizes it.
 */
static const char *format_parse(struct ps *ps, struct sf_node *sfn)
{
	char *buf = ps_strdup(ps, sfn->sf), *walk;
	int items = 0;
	bool need_item = true;

	if (!buf)
		return "out of host memory";
	walk = buf;
	do {
		switch (*walk) {
		case ' ': case ',': case '\t': case '\n': case '\0':
			if (need_item)
				return "improper format list";
			need_item = true;
			break;
		default:
			if (need_item)
				items++;
			need_item = false;
		}
	} while (*++walk);
	if (!items)
		return "empty format list";
	if (need_item)
		*--walk = '\0';	/* one trailing separator is allowed */
	walk = buf;
	while (items--) {
		char *sep = strpbrk(walk, " ,\t\n");
		/* The last column's header may have separators in it. */
		if (items && sep)
			*sep = '\0';
		char *equal = strchr(walk, '=');
		if (equal)
			*equal++ = '\0';
		char *colon = strchr(walk, ':');
		if (colon) {
			*colon++ = '\0';
			if (strspn(colon, "0123456789") != strlen(colon) || *colon == '0' || !*colon ||
			    atoi(colon) <= 0)
				return "column widths must be unsigned decimal numbers";
		}
		struct fmt_node *node = do_one_spec(ps, walk, equal);
		if (!node && strchr(sfn->sf, '%'))
			return unsupported(ps, "an AIX format (%p %a ...)");
		if (!node) {
			snprintf(ps->errbuf, sizeof(ps->errbuf),
				 "unknown user-defined format specifier \"%s\"", walk);
			return ps->errbuf;
		}
		if (colon) {
			if (node->next)
				return "can not set width for a macro (multi-column) format specifier";
			node->width = atoi(colon);
		}
		prepend_nodes(node, &sfn->f_cooked);
		walk = sep ? sep + 1 : NULL;
	}
	ps->already_parsed_format = true;
	return NULL;
}

/* -O: the columns given, between "pid" and END_SYS5's. */
static const char *O_wrap(struct ps *ps, struct sf_node *sfn)
{
	struct fmt_node *pid = do_one_spec(ps, "pid", NULL), *trailer = do_one_spec(ps, "END_SYS5", NULL);

	if (!pid || !trailer)
		return "out of host memory";
	struct fmt_node *end = sfn->f_cooked;
	while (end->next)
		end = end->next;
	end->next = pid;
	end = trailer;
	while (end->next)
		end = end->next;
	end->next = sfn->f_cooked;
	sfn->f_cooked = trailer;
	return NULL;
}

/* parse_O_option(): the deferred format arguments, oldest first. */
static const char *parse_sf(struct ps *ps, struct sf_node *sfn)
{
	const char *err;

	if (sfn->next && (err = parse_sf(ps, sfn->next)))
		return err;
	if (sfn->code == SF_U_O) {
		if (ps->already_parsed_format)
			return "option -O can not follow other format options";
		if ((err = format_parse(ps, sfn)))
			return err;
		return O_wrap(ps, sfn);
	}
	return format_parse(ps, sfn);
}

static void defer_sf_option(struct ps *ps, const char *arg, int code)
{
	struct sf_node *sfn = ps_alloc(ps, sizeof(*sfn));

	if (!sfn)
		return;
	sfn->sf = ps_strdup(ps, arg);
	sfn->code = code;
	sfn->next = ps->sf_list;
	ps->sf_list = sfn;
}

#define PUSH(spec) do {								\
	struct fmt_node *fn_ = do_one_spec(ps, spec, NULL);			\
	if (!fn_)								\
		return "out of host memory";					\
	fn_->next = ps->format_list;						\
	ps->format_list = fn_;							\
} while (0)

/* generate_sysv_list(): the SysV columns, built backwards, for ps, -f, -F, -l, -j. */
static const char *generate_sysv_list(struct ps *ps)
{
	unsigned int ff = ps->format_flags, fm = ps->format_modifiers;

	if ((fm & FM_y) && !(ff & FF_Ul))
		return "modifier -y without format -l makes no sense";
	if (ps->prefer_bsd_defaults) {
		PUSH(ff ? "cmd" : "args");
		PUSH("bsdtime");
		if (!(ff & FF_Ul))
			PUSH("stat");
	} else {
		PUSH(ff & FF_Uf ? "cmd" : "ucmd");
		PUSH("time");
	}
	PUSH("tname");
	if (ff & FF_Uf)
		PUSH("stime");
	if (fm & FM_F) {
		/* -FP takes its CPU column from -P */
		if (!(fm & FM_P))
			PUSH("psr");
		if (!((ff & FF_Ul) && (fm & FM_y)))
			PUSH("rss");
	}
	if (ff & FF_Ul)
		PUSH("wchan");
	if ((fm & FM_F) || (ff & FF_Ul))
		PUSH("sz");
	if (ff & FF_Ul)
		PUSH(fm & FM_y ? "rss" : "addr_1");
	if (ff & FF_Ul) {
		PUSH("ni");
		PUSH("opri");
	}
	if (ff & (FF_Uf | FF_Ul))
		PUSH("c");
	if (fm & FM_P)
		PUSH("psr");
	if (fm & FM_j) {
		PUSH("sid");
		PUSH("pgid");
	}
	if (ff & (FF_Uf | FF_Ul))
		PUSH("ppid");
	PUSH("pid");
	if (ff & FF_Uf)
		PUSH("uid_hack");
	else if (ff & FF_Ul)
		PUSH("uid");
	if (ff & FF_Ul) {
		PUSH("s");
		if (!(fm & FM_y))
			PUSH("f");
	}
	return NULL;
}

#undef PUSH

/* Insert @put after the column headed @find; false if there is none. */
static bool fmt_add_after(struct ps *ps, const char *find, struct fmt_node *put)
{
	for (struct fmt_node *walk = ps->format_list; walk; walk = walk->next)
		if (!strcmp(walk->name, find)) {
			put->next = walk->next;
			walk->next = put;
			return true;
		}
	return false;
}

static void fmt_delete(struct ps *ps, const char *find)
{
	for (struct fmt_node **walk = &ps->format_list; *walk; walk = &(*walk)->next)
		if (!strcmp((*walk)->name, find)) {
			*walk = (*walk)->next;
			return;
		}
}

/* process_sf_options(): the format list, from -o and friends or from the format flags. */
static const char *process_sf_options(struct ps *ps)
{
	const char *err;

	if (ps->sf_list && (err = parse_sf(ps, ps->sf_list)))
		return err;
	for (struct sf_node *sf = ps->sf_list; sf; sf = sf->next)
		while (sf->f_cooked) {
			struct fmt_node *node = sf->f_cooked;
			sf->f_cooked = node->next;
			node->next = ps->format_list;
			ps->format_list = node;
		}
	if (ps->format_list) {
		if (ps->format_flags)
			return "conflicting format options";
		if (ps->format_modifiers)
			return "can not use output modifiers with user-defined output";
		return NULL;
	}
	const char *spec;
	switch (ps->format_flags) {
	case 0: case FF_Uf: case FF_Ul: case FF_Uf | FF_Ul:
		/* The "unknown" personality has no SysV formats of its own. */
		spec = NULL;
		break;
	case FF_Uj: spec = NULL; break;
	case FF_Uj | FF_Ul: spec = "RD_lj"; break;
	case FF_Uj | FF_Uf: spec = "RD_fj"; break;
	case FF_Bj: spec = "OL_j"; break;
	case FF_Bl: spec = "OL_l"; break;
	case FF_Bs: spec = "OL_s"; break;
	case FF_Bu: spec = "OL_u"; break;
	case FF_Bv: spec = "OL_v"; break;
	case FF_LX: spec = "OL_X"; break;
	case FF_Lm: spec = "OL_m"; break;
	default:
		return "conflicting format options";
	}
	if (!spec)
		return generate_sysv_list(ps);
	struct fmt_node *walk = do_one_spec(ps, spec, NULL);
	while (walk) {
		struct fmt_node *node = walk;
		walk = walk->next;
		node->next = ps->format_list;
		ps->format_list = node;
	}
	if (ps->format_modifiers & FM_j) {
		struct fmt_node *fn = do_one_spec(ps, "pgid", NULL);
		if (!fn || (!fmt_add_after(ps, "PPID", fn) && !fmt_add_after(ps, "PID", fn)))
			return "internal error: no PID or PPID for -j option";
		fn = do_one_spec(ps, "sid", NULL);
		if (!fn || !fmt_add_after(ps, "PGID", fn))
			return "lost my PGID";
	}
	if (ps->format_modifiers & FM_y) {
		fmt_delete(ps, "F");
		struct fmt_node *fn = do_one_spec(ps, "rss", NULL);
		if (fn && fmt_add_after(ps, "ADDR", fn))
			fmt_delete(ps, "ADDR");
	}
	return NULL;
}

/* ---- ps: the option parser (parser.c) ------------------------------------------------- */

/*
 * ps reads its options twice if it must: first as SysV options (with BSD
 * ones and GNU long options where they look like it), then, if that
 * fails, all as BSD options; if both fail, the first reading's error is
 * the message. An option this port does not implement ends the parse at
 * once (ps->unsupported), so it is never read the other way instead.
 */

/* The reader's (pid 1's) euid and controlling tty, as reset_global() looks itself up. */
static const char *look_up_self(struct ps *ps)
{
	char *stat = pid_file(ps->c, "/proc/self", "stat");

	if (!stat)
		return "Error, do this: mount -t proc proc /proc";
	struct ps_proc self;
	memset(&self, 0, sizeof(self));
	parse_stat(stat, &self);
	free(stat);
	char *status = pid_file(ps->c, "/proc/self", "status");
	if (status) {
		parse_status(status, &self);
		free(status);
	}
	ps->cached_tty = self.tty;
	ps->cached_euid = self.euid;
	return NULL;
}

static void reset_global(struct ps *ps)
{
	ps->all_processes = ps->bsd_c_option = ps->bsd_e_option = 0;
	ps->format_flags = ps->format_modifiers = ps->simple_select = 0;
	ps->header_type = HEAD_SINGLE;
	ps->header_gap = -1;
	ps->lines_to_next_header = 1;
	ps->include_dead_children = ps->negate_selection = ps->running_only = 0;
	ps->unix_f_option = ps->user_is_number = ps->wchan_is_number = 0;
	ps->prefer_bsd_defaults = 0;
	ps->selection_list = NULL;
	ps->sf_list = NULL;
	ps->format_list = NULL;
	ps->already_parsed_format = false;
	/* set_screen_size(): not a terminal, so as wide as the buffer; 24 rows. */
	ps->screen_cols = OUTBUF_SIZE;
	ps->screen_rows = 24;
	ps->w_count = 0;
}

/* The argument of an option: the rest of this word, or the next word. */
static const char *get_opt_arg(struct ps *ps, const char *flag)
{
	if (flag[1])
		return flag + 1;
	if (ps->thisarg + 2 > ps->argc || !*ps->argv[ps->thisarg + 1])
		return NULL;
	return ps->argv[++ps->thisarg];
}

typedef const char *(*parse_fn)(struct ps *ps, char *str, union sel_value *ret);

static const char *parse_pid(struct ps *ps, char *str, union sel_value *ret)
{
	char *endp;
	int named = isdigit((unsigned char)*str) ? 0 : process_by_name(ps->c, str);

	if (named) {
		/* A process the scenario named stands for its pid. */
		ret->pid = named;
		return NULL;
	}
	unsigned long num = strtoul(str, &endp, 0);
	if (*endp)
		return "process ID list syntax error";
	if (num < 1 || num > 0x7fffffffUL)
		return "process ID out of range";
	ret->pid = (int)num;
	return NULL;
}

static const char *parse_uid(struct ps *ps, char *str, union sel_value *ret)
{
	char *endp;
	unsigned long num = strtoul(str, &endp, 0);

	if (*endp) {
		if (!strcmp(str, "root"))
			num = 0;
		else if (!strcmp(str, "nobody"))
			num = 65534;
		else if (!ps->negate_selection)
			return "user name does not exist";
		else
			num = (unsigned long)-1;
	}
	if (!ps->negate_selection && num > 0xfffffffeUL)
		return "user ID out of range";
	ret->uid = (unsigned int)num;
	return NULL;
}

static const char *parse_gid(struct ps *ps, char *str, union sel_value *ret)
{
	char *endp;
	unsigned long num = strtoul(str, &endp, 0);

	if (*endp) {
		if (!strcmp(str, "root"))
			num = 0;
		else if (!strcmp(str, "nogroup"))
			num = 65534;
		else if (!ps->negate_selection)
			return "group name does not exist";
		else
			num = (unsigned long)-1;
	}
	if (!ps->negate_selection && num > 0xfffffffeUL)
		return "group ID out of range";
	ret->gid = (unsigned int)num;
	return NULL;
}

static const char *parse_cmd(struct ps *ps, char *str, union sel_value *ret)
{
	(void)ps;
	snprintf(ret->cmd, sizeof(ret->cmd), "%s", str);
	return NULL;
}

/* A terminal: the machine has none, so only "-" and "?" (no terminal) name one. */
static const char *parse_tty(struct ps *ps, char *str, union sel_value *ret)
{
	(void)ps;
	if (!strcmp(str, "-") || !strcmp(str, "?")) {
		ret->tty = 0;
		return NULL;
	}
	return "TTY could not be found";
}

/* parse_list(): "a,b c" into a selection node at the head of the list; items fill from the end. */
static const char *parse_list(struct ps *ps, const char *arg, parse_fn fn, int typecode)
{
	char *buf = ps_strdup(ps, arg), *walk = buf;
	int items = 0;
	bool need_item = true;

	if (!buf || !*buf)
		return "improper list";
	do {
		switch (*walk) {
		case ' ': case ',': case '\t': case '\0':
			if (need_item)
				return "improper list";
			need_item = true;
			break;
		default:
			if (need_item)
				items++;
			need_item = false;
		}
	} while (*++walk);
	if (need_item)
		return "improper list";
	struct sel_node *node = ps_alloc(ps, sizeof(*node));
	union sel_value *u = ps_alloc(ps, (size_t)items * sizeof(*u));
	if (!node || !u)
		return "out of host memory";
	node->n = items;
	node->u = u;
	walk = buf;
	while (items--) {
		char *sep = strpbrk(walk, " ,\t");
		if (sep)
			*sep = '\0';
		const char *err = fn(ps, walk, u + items);
		if (err)
			return err;
		if (!sep)
			break;	/* the last item (no pointer past NULL) */
		walk = sep + 1;
	}
	node->typecode = typecode;
	node->next = ps->selection_list;
	ps->selection_list = node;
	return NULL;
}

/* A one-item tty list of the reader's terminal (T, bare t). */
static const char *our_tty_node(struct ps *ps)
{
	struct sel_node *node = ps_alloc(ps, sizeof(*node));
	union sel_value *u = ps_alloc(ps, sizeof(*u));

	if (!node || !u)
		return "out of host memory";
	u->tty = ps->cached_tty;
	node->u = u;
	node->n = 1;
	node->typecode = SEL_TTY;
	node->next = ps->selection_list;
	ps->selection_list = node;
	return NULL;
}

/* "-V", "V", "--version" work only alone. */
static const char *exclusive(struct ps *ps, const char *x, bool *done)
{
	if (ps->argc != 2 || strcmp(ps->argv[1], x)) {
		snprintf(ps->errbuf, sizeof(ps->errbuf), "the option is exclusive: %s", x);
		return ps->errbuf;
	}
	*done = true;
	return NULL;
}

/* A version or format listing that ends the command. */
struct ps_done {
	bool version, list;
};

static void print_format_specifiers(struct ps *ps)
{
	for (size_t i = 0; i < sizeof(ps_specs) / sizeof(ps_specs[0]); i++)
		if (ps_specs[i].pr != pr_nop)
			fprintf(ps->out, "%-12.12s %-8.8s\n", ps_specs[i].spec, ps_specs[i].head);
}

static const char *parse_sysv_option(struct ps *ps, struct ps_done *done)
{
	const char *flag = ps->argv[ps->thisarg], *arg;

	while (*++flag) {
		switch (*flag) {
		case 'A':
		case 'e':
			ps->all_processes = 1;
			break;
		case 'C':
			if (!(arg = get_opt_arg(ps, flag)))
				return "list of command names must follow -C";
			return parse_list(ps, arg, parse_cmd, SEL_COMM);
		case 'F':
			ps->format_modifiers |= FM_F;
			ps->format_flags |= FF_Uf;
			ps->unix_f_option = 1;
			break;
		case 'G':
			if (!(arg = get_opt_arg(ps, flag)))
				return "list of real groups must follow -G";
			return parse_list(ps, arg, parse_gid, SEL_RGID);
		case 'H':
			return unsupported(ps, "-H (a process tree)");
		case 'L': case 'T': case 'm':
			return unsupported(ps, "showing threads (-L, -T, -m)");
		case 'M': case 'Z':
			return unsupported(ps, "a security label column (-M, -Z)");
		case 'c':
			return unsupported(ps, "-c (scheduling class columns)");
		case 'N':
			ps->negate_selection = 1;
			break;
		case 'O':
			if (!(arg = get_opt_arg(ps, flag)))
				return "format or sort specification must follow -O";
			defer_sf_option(ps, arg, SF_U_O);
			return NULL;
		case 'P':
			ps->format_modifiers |= FM_P;
			break;
		case 'U':
			if (!(arg = get_opt_arg(ps, flag)))
				return "list of real users must follow -U";
			return parse_list(ps, arg, parse_uid, SEL_RUID);
		case 'V': {
			const char *err = exclusive(ps, "-V", &done->version);
			return err;
		}
		case 'a':
			ps->simple_select |= SS_U_a;
			break;
		case 'd':
			ps->simple_select |= SS_U_d;
			break;
		case 'f':
			ps->format_flags |= FF_Uf;
			ps->unix_f_option = 1;
			break;
		case 'g':
			if (!(arg = get_opt_arg(ps, flag)))
				return "list of session leaders OR effective group names must follow -g";
			if (!parse_list(ps, arg, parse_pid, SEL_SESS))
				return NULL;
			if (!parse_list(ps, arg, parse_gid, SEL_EGID))
				return NULL;
			return "list of session leaders OR effective group IDs was invalid";
		case 'j':
			/* The default personality has no SysV -j format: -j adds PGID and SID. */
			ps->format_modifiers |= FM_j;
			break;
		case 'l':
			ps->format_flags |= FF_Ul;
			break;
		case 'o':
			if (!(arg = get_opt_arg(ps, flag)))
				return "format specification must follow -o";
			defer_sf_option(ps, arg, SF_U_o);
			return NULL;
		case 'p':
			if (!(arg = get_opt_arg(ps, flag)))
				return "list of process IDs must follow -p";
			return parse_list(ps, arg, parse_pid, SEL_PID);
		case 'q':
			if (!(arg = get_opt_arg(ps, flag)))
				return "List of process IDs must follow -q.";
			return parse_list(ps, arg, parse_pid, SEL_PID_QUICK);
		case 's':
			if (!(arg = get_opt_arg(ps, flag)))
				return "list of session IDs must follow -s";
			return parse_list(ps, arg, parse_pid, SEL_SESS);
		case 't':
			if (!(arg = get_opt_arg(ps, flag)))
				return "list of terminals (pty, tty...) must follow -t";
			return parse_list(ps, arg, parse_tty, SEL_TTY);
		case 'u':
			if (!(arg = get_opt_arg(ps, flag)))
				return "list of users must follow -u";
			return parse_list(ps, arg, parse_uid, SEL_EUID);
		case 'w':
			ps->w_count++;
			break;
		case 'x':
			return "must set personality to get -x option";
		case 'y':
			ps->format_modifiers |= FM_y;
			break;
		case '-':
			return "embedded '-' among SysV options makes no sense";
		default:
			return "unsupported SysV option";
		}
	}
	return NULL;
}

static const char *parse_bsd_option(struct ps *ps, struct ps_done *done)
{
	const char *word = ps->argv[ps->thisarg], *arg;
	/* flag walks the letters; a word without a '-' starts with its first letter. */
	size_t i = 0;

	if (word[0] == '-') {
		if (!ps->force_bsd)
			return "cannot happen - problem #1";
		i = 1;
	} else if (ps->force_bsd) {
		return "second chance parse failed, not BSD or SysV";
	}
	for (; word[i]; i++) {
		const char *flag = word + i;
		switch (*flag) {
		case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			return parse_list(ps, flag, parse_pid, SEL_PID);
		case 'H': case 'M':
			return unsupported(ps, "showing threads (H, M, m)");
		case 'L': {
			const char *err = exclusive(ps, "L", &done->list);
			return err;
		}
		case 'O':
			return unsupported(ps, "O (sorting, or columns after PID)");
		case 'S':
			ps->include_dead_children = 1;
			break;
		case 'T': {
			const char *err = our_tty_node(ps);
			if (err)
				return err;
			break;
		}
		case 'U':
			if (!(arg = get_opt_arg(ps, flag)))
				return "list of users must follow U";
			return parse_list(ps, arg, parse_uid, SEL_EUID);
		case 'V': {
			const char *err = exclusive(ps, "V", &done->version);
			return err;
		}
		case 'W':
			return "obsolete W option not supported (you have a /dev/drum?)";
		case 'X':
			ps->format_flags |= FF_LX;
			break;
		case 'Z':
			return unsupported(ps, "a security label column (Z)");
		case 'a':
			ps->simple_select |= SS_B_a;
			break;
		case 'c':
			ps->bsd_c_option = 1;
			break;
		case 'e':
			ps->bsd_e_option = 1;
			break;
		case 'f':
			return unsupported(ps, "f (a process tree)");
		case 'g':
			ps->simple_select |= SS_B_g;
			break;
		case 'h':
			if (ps->header_type)
				return "only one heading option may be specified";
			ps->header_type = HEAD_NONE;
			break;
		case 'j':
			ps->format_flags |= FF_Bj;
			break;
		case 'k':
			return unsupported(ps, "k (sorting)");
		case 'l':
			ps->format_flags |= FF_Bl;
			break;
		case 'm':
			/* Old Linux's memory format on the second reading; threads on the first. */
			if (ps->personality & PER_OLD_m) {
				ps->format_flags |= FF_Lm;
				break;
			}
			return unsupported(ps, "showing threads (H, M, m)");
		case 'n':
			ps->wchan_is_number = 1;
			ps->user_is_number = 1;
			break;
		case 'o':
			if (!(arg = get_opt_arg(ps, flag)))
				return "format specification must follow o";
			defer_sf_option(ps, arg, SF_B_o);
			return NULL;
		case 'p':
			if (!(arg = get_opt_arg(ps, flag)))
				return "list of process IDs must follow p";
			return parse_list(ps, arg, parse_pid, SEL_PID);
		case 'q':
			if (!(arg = get_opt_arg(ps, flag)))
				return "List of process IDs must follow q.";
			return parse_list(ps, arg, parse_pid, SEL_PID_QUICK);
		case 'r':
			ps->running_only = 1;
			break;
		case 's':
			ps->format_flags |= FF_Bs;
			break;
		case 't':
			if (!(arg = get_opt_arg(ps, flag)))
				return our_tty_node(ps);
			return parse_list(ps, arg, parse_tty, SEL_TTY);
		case 'u':
			ps->format_flags |= FF_Bu;
			break;
		case 'v':
			ps->format_flags |= FF_Bv;
			break;
		case 'w':
			ps->w_count++;
			break;
		case 'x':
			ps->simple_select |= SS_B_x;
			break;
		case '-':
			return "embedded '-' among BSD options makes no sense";
		default:
			return "unsupported option (BSD syntax)";
		}
	}
	return NULL;
}

/* A long option's argument: after '=' or ':', or the next word. */
static const char *grab_gnu_arg(struct ps *ps, const char *flag)
{
	if (*flag == '=' || *flag == ':')
		return flag[1] ? flag + 1 : NULL;
	if (*flag)
		return NULL;
	if (ps->thisarg + 2 > ps->argc || !*ps->argv[ps->thisarg + 1])
		return NULL;
	return ps->argv[++ps->thisarg];
}

static const char *parse_gnu_option(struct ps *ps, struct ps_done *done)
{
	const char *s = ps->argv[ps->thisarg] + 2, *arg;
	size_t sl = strcspn(s, ":=");
	char name[16];

	if (sl > 15)
		return "unknown gnu long option";
	memcpy(name, s, sl);
	name[sl] = '\0';
	const char *flag = s + sl;
	static const char *const no_headers[] = {
		"no-header", "no-headers", "no-heading", "no-headings", "noheader", "noheaders",
		"noheading", "noheadings",
	};
	static const char *const headers[] = { "header", "headers", "heading", "headings" };
	for (size_t i = 0; i < sizeof(no_headers) / sizeof(no_headers[0]); i++)
		if (!strcmp(name, no_headers[i])) {
			if (s[sl])
				return "option --no-heading does not take an argument";
			if (ps->header_type)
				return "only one heading option may be specified";
			ps->header_type = HEAD_NONE;
			return NULL;
		}
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (!strcmp(name, headers[i])) {
			if (s[sl])
				return "option --heading does not take an argument";
			if (ps->header_type)
				return "only one heading option may be specified";
			ps->header_type = HEAD_MULTI;
			return NULL;
		}
	static const struct {
		const char *name;
		parse_fn fn;
		int typecode;
		const char *missing;
	} lists[] = {
		{ "Group", parse_gid, SEL_RGID, "list of real groups must follow --Group" },
		{ "User", parse_uid, SEL_RUID, "list of real users must follow --User" },
		{ "group", parse_gid, SEL_EGID, "list of effective groups must follow --group" },
		{ "pid", parse_pid, SEL_PID, "list of process IDs must follow --pid" },
		{ "ppid", parse_pid, SEL_PPID, "list of process IDs must follow --ppid" },
		{ "quick-pid", parse_pid, SEL_PID_QUICK, "List of process IDs must follow --quick-pid." },
		{ "sid", parse_pid, SEL_SESS, "some sid thing(s) must follow --sid" },
		{ "tty", parse_tty, SEL_TTY, "list of ttys must follow --tty" },
		{ "user", parse_uid, SEL_EUID, "list of effective users must follow --user" },
	};
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (!strcmp(name, lists[i].name)) {
			if (!(arg = grab_gnu_arg(ps, flag)))
				return lists[i].missing;
			return parse_list(ps, arg, lists[i].fn, lists[i].typecode);
		}
	if (!strcmp(name, "cols") || !strcmp(name, "columns") || !strcmp(name, "width") ||
	    !strcmp(name, "rows") || !strcmp(name, "lines")) {
		bool cols = name[0] == 'c' || name[0] == 'w';
		arg = grab_gnu_arg(ps, flag);
		if (arg && *arg) {
			char *end;
			long t = strtol(arg, &end, 0);
			if (!*end && t > 0 && t < 2000000000) {
				*(cols ? &ps->screen_cols : &ps->screen_rows) = (int)t;
				return NULL;
			}
		}
		return cols ? "number of columns must follow --cols, --width, or --columns"
			    : "number of rows must follow --rows or --lines";
	}
	if (!strcmp(name, "cumulative")) {
		if (s[sl])
			return "option --cumulative does not take an argument";
		ps->include_dead_children = 1;
		return NULL;
	}
	if (!strcmp(name, "deselect")) {
		if (s[sl])
			return "option --deselect does not take an argument";
		ps->negate_selection = 1;
		return NULL;
	}
	if (!strcmp(name, "format")) {
		if (!(arg = grab_gnu_arg(ps, flag)))
			return "format specification must follow --format";
		defer_sf_option(ps, arg, SF_G_format);
		return NULL;
	}
	if (!strcmp(name, "version"))
		return exclusive(ps, "--version", &done->version);
	if (!strcmp(name, "forest"))
		return unsupported(ps, "--forest");
	if (!strcmp(name, "sort"))
		return unsupported(ps, "--sort");
	if (!strcmp(name, "context"))
		return unsupported(ps, "--context");
	if (!strcmp(name, "info"))
		return unsupported(ps, "--info");
	if (!strcmp(name, "help"))
		return unsupported(ps, "--help (help ps and docs/scenario.md describe ps)");
	return "unknown gnu long option";
}

/* Words from the first that looks like a pid on: pids, -pgrps and +sessions. */
static const char *parse_trailing_pids(struct ps *ps)
{
	int n = ps->argc - ps->thisarg;
	char **argp = ps->argv + ps->thisarg;
	struct sel_node *nodes[3];
	static const int codes[3] = { SEL_PID, SEL_PGRP, SEL_SESS };

	ps->thisarg = ps->argc - 1;
	for (int k = 0; k < 3; k++) {
		nodes[k] = ps_alloc(ps, sizeof(*nodes[k]));
		if (!nodes[k] || !(nodes[k]->u = ps_alloc(ps, (size_t)n * sizeof(union sel_value))))
			return "out of host memory";
		nodes[k]->typecode = codes[k];
	}
	while (n--) {
		char *data = ps_strdup(ps, *argp++);
		int k = *data == '-' ? 1 : *data == '+' ? 2 : 0;
		if (!data)
			return "out of host memory";
		const char *err = parse_pid(ps, data + (k ? 1 : 0), nodes[k]->u + nodes[k]->n++);
		if (err)
			return err;
	}
	for (int k = 0; k < 3; k++)
		if (nodes[k]->n) {
			nodes[k]->next = ps->selection_list;
			ps->selection_list = nodes[k];
		}
	return NULL;
}

enum { ARG_GNU, ARG_END, ARG_PGRP, ARG_SYSV, ARG_PID, ARG_BSD, ARG_FAIL, ARG_SESS };

static bool ascii_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int arg_type(const char *str)
{
	if (ascii_letter(str[0]))
		return ARG_BSD;
	if (str[0] >= '0' && str[0] <= '9')
		return ARG_PID;
	if (str[0] == '+')
		return ARG_SESS;
	if (str[0] != '-')
		return ARG_FAIL;
	if (ascii_letter(str[1]))
		return ARG_SYSV;
	if (str[1] >= '0' && str[1] <= '9')
		return ARG_PGRP;
	if (str[1] != '-')
		return ARG_FAIL;
	if (ascii_letter(str[2]))
		return ARG_GNU;
	if (str[2] == '\0')
		return ARG_END;
	return ARG_FAIL;
}

static const char *parse_all_options(struct ps *ps, struct ps_done *done)
{
	const char *err = NULL;

	while (++ps->thisarg < ps->argc) {
		switch (arg_type(ps->argv[ps->thisarg])) {
		case ARG_GNU:
			err = parse_gnu_option(ps, done);
			break;
		case ARG_SYSV:
			if (!ps->force_bsd) {
				err = parse_sysv_option(ps, done);
				break;
			}
			/* The second reading takes -x as BSD x. */
			/* fall through */
		case ARG_BSD:
			ps->prefer_bsd_defaults = 1;
			err = parse_bsd_option(ps, done);
			break;
		case ARG_PGRP:
		case ARG_SESS:
		case ARG_PID:
			ps->prefer_bsd_defaults = 1;
			err = parse_trailing_pids(ps);
			break;
		default:
			return "garbage option";
		}
		if (err || done->version || done->list)
			return err;
	}
	return NULL;
}

/* select_bits_setup(): which of the 16 (euid, leader, no tty, our tty) cases the simple options take. */
static const char *select_bits_setup(struct ps *ps, unsigned long *bits)
{
	unsigned int sw;

	if (!ps->simple_select && !ps->prefer_bsd_defaults) {
		*bits = 0xaa00;	/* the standard: our euid, our terminal */
		return NULL;
	}
	/* For every BSD but SunOS, g is always on. */
	sw = ps->simple_select & (SS_U_a | SS_U_d) ? ps->simple_select : ps->simple_select | SS_B_g;
	switch (sw) {
	case SS_U_a | SS_U_d: *bits = 0x3f3f; break;
	case SS_U_a: *bits = 0x0303; break;
	case SS_U_d: *bits = 0x3333; break;
	case SS_B_g: *bits = 0x0a0a; break;
	case SS_B_g | SS_B_a: *bits = 0x0f0f; break;
	case SS_B_g | SS_B_x: *bits = 0xaaaa; break;
	case SS_B_g | SS_B_x | SS_B_a:
		ps->all_processes = 1;
		ps->simple_select = 0;
		break;
	default:
		return "process selection options conflict";
	}
	return NULL;
}

/*
 * arg_parse(): the SysV-first reading, then the BSD one. On success the
 * format list and selection are ready; *done says a version or the list of
 * columns was asked for instead.
 */
static const char *arg_parse(struct ps *ps, struct ps_done *done)
{
	const char *err = NULL;

	for (int pass = 0; pass < 2; pass++) {
		if (pass) {
			if (ps->unsupported)
				return err;
			reset_global(ps);
			ps->force_bsd = true;
			ps->prefer_bsd_defaults = 1;
			ps->personality |= PER_OLD_m;	/* prefer old Linux's m over true BSD's */
		}
		ps->thisarg = 0;
		memset(done, 0, sizeof(*done));
		const char *e = parse_all_options(ps, done);
		if (!e && (done->version || done->list))
			return NULL;
		if (!e)
			e = process_sf_options(ps);
		if (!e)
			e = select_bits_setup(ps, &ps->select_bits);
		if (!e) {
			/* choose_dimensions(): w makes 132 columns, ww unlimited. */
			if (ps->w_count && ps->screen_cols < 132)
				ps->screen_cols = 132;
			if (ps->w_count > 1)
				ps->screen_cols = OUTBUF_SIZE;
			return NULL;
		}
		/* The first reading's error is the one ps reports — unless the BSD one hit a gap here. */
		if (!pass || ps->unsupported)
			err = e;
	}
	return err;
}

/* ---- ps: choosing the processes (select.c) ------------------------------------------- */

static bool proc_was_listed(const struct ps *ps, const struct ps_proc *p)
{
	for (const struct sel_node *sn = ps->selection_list; sn; sn = sn->next)
		for (int i = sn->n; i--;) {
			const union sel_value *u = &sn->u[i];
			switch (sn->typecode) {
			case SEL_RUID: if (p->ruid == u->uid) return true; break;
			case SEL_EUID: if (p->euid == u->uid) return true; break;
			case SEL_SUID: if (p->suid == u->uid) return true; break;
			case SEL_FUID: if (p->fuid == u->uid) return true; break;
			case SEL_RGID: if (p->rgid == u->gid) return true; break;
			case SEL_EGID: if (p->egid == u->gid) return true; break;
			case SEL_SGID: if (p->sgid == u->gid) return true; break;
			case SEL_FGID: if (p->fgid == u->gid) return true; break;
			case SEL_PGRP: if ((unsigned)p->pgrp == (unsigned)u->pid) return true; break;
			case SEL_PID:
			case SEL_PID_QUICK: if ((unsigned)p->tgid == (unsigned)u->pid) return true; break;
			case SEL_PPID: if ((unsigned)p->ppid == (unsigned)u->pid) return true; break;
			case SEL_TTY: if ((unsigned)p->tty == (unsigned)u->tty) return true; break;
			case SEL_SESS: if ((unsigned)p->session == (unsigned)u->pid) return true; break;
			case SEL_COMM:
				/* comm holds 15 characters; a longer name matches on them. */
				if (strlen(p->cmd) == 15 && strlen(u->cmd) >= 15 &&
				    !strncmp(p->cmd, u->cmd, 15))
					return true;
				if (!strncmp(p->cmd, u->cmd, 63))
					return true;
				break;
			}
		}
	return false;
}

/* want_this_proc(): -e, then the simple selections' table, then the lists; r and -N last. */
static bool want_this_proc(const struct ps *ps, const struct ps_proc *p)
{
	bool accepted = true;

	if (ps->all_processes)
		goto finish;
	if (ps->simple_select || !ps->selection_list) {
		unsigned int index = (p->euid == ps->cached_euid) << 0 | (p->session == p->tgid) << 1 |
				     (!p->tty) << 2 | (p->tty == ps->cached_tty) << 3;
		if (ps->select_bits & (1UL << index))
			goto finish;
	}
	if (proc_was_listed(ps, p))
		goto finish;
	accepted = false;
finish:
	if (ps->running_only && p->state != 'R' && p->state != 'D')
		accepted = false;
	return ps->negate_selection ? !accepted : accepted;
}

/* ---- ps: the output (output.c's show_one_proc) --------------------------------------- */

/* check_header_width(): how many screen widths the columns need (signals take 16 if there is room). */
static void check_header_width(struct ps *ps)
{
	unsigned int total = 0, sigs = 0;
	int was_normal = 0;

	for (const struct fmt_node *walk = ps->format_list; walk; walk = walk->next) {
		switch (walk->flags & CF_JUST_MASK) {
		case CF_SIGNAL:
			sigs++;
			/* fall through */
		default:
			total += (unsigned int)walk->width + (unsigned int)was_normal;
			was_normal = 1;
			break;
		case CF_UNLIMITED:
			total += (walk->next ? (unsigned int)walk->width : 3) + (unsigned int)was_normal;
			was_normal = 1;
			break;
		}
	}
	for (unsigned int i = 1;; i++) {
		ps->active_cols = (unsigned int)ps->screen_cols * i;
		if (ps->active_cols >= total || (unsigned int)ps->screen_cols * i >= OUTBUF_SIZE / 2)
			break;
	}
	ps->wide_signals = total + sigs * 7 <= ps->active_cols;
}

/*
 * show_one_proc(): one line, the header for @p NULL. Each column is
 * printed where it should start ("correct") if the line has not run past
 * it ("actual"): a column wider than its width pushes the rest right, and
 * they take the room back as soon as they can. Right-aligned columns pad
 * on the left; the last column gets all the room the line has left.
 */
static void show_one_proc(struct ps *ps, const struct ps_proc *p)
{
	int correct = 0, actual = 0, amount, leftpad = 0, space, dospace = 0, legit, sz;
	int tmpspace = 0;
	char *outbuf = ps->outbuf;
	const struct fmt_node *fmt = ps->format_list;

	if (p && !--ps->lines_to_next_header) {
		ps->lines_to_next_header = ps->header_gap;
		show_one_proc(ps, NULL);
	}
	ps->did_stuff = true;
	for (;;) {
		legit = 0;
		if (fmt->next) {
			ps->max_rightward = (unsigned int)fmt->width;
			tmpspace = 0;
		} else {
			tmpspace = correct - actual;
			if (tmpspace < 1) {
				tmpspace = dospace;
				ps->max_rightward = ps->active_cols - (unsigned int)actual -
						    (unsigned int)tmpspace;
			} else {
				ps->max_rightward = ps->active_cols -
						    (unsigned int)(correct > actual ? correct : actual);
			}
		}
		if (ps->max_rightward >= OUTBUF_SIZE)
			ps->max_rightward = OUTBUF_SIZE - 1;
		if (p)
			amount = fmt->spec->pr(ps, outbuf, p);
		else
			amount = snprintf(outbuf, OUTBUF_SIZE, "%s", fmt->name);
		if (ps->failed)
			return;	/* procps exits mid-line */
		if (amount < 0)
			outbuf[amount = 0] = '\0';
		else if (amount >= OUTBUF_SIZE)
			outbuf[amount = OUTBUF_SIZE - 1] = '\0';
		unsigned int room = ps->active_cols - (unsigned int)actual - (unsigned int)tmpspace;
		switch (fmt->flags & CF_JUST_MASK) {
		case CF_RIGHT:
			leftpad = fmt->width - amount > 0 ? fmt->width - amount : 0;
			break;
		case CF_SIGNAL:
			if (ps->wide_signals) {
				leftpad = 16 - amount;
				legit = 7;
			} else {
				leftpad = 9 - amount;
			}
			if (leftpad < 0)
				leftpad = 0;
			break;
		case CF_USER:
			leftpad = fmt->width - amount > 0 && ps->user_is_number ? fmt->width - amount : 0;
			break;
		case CF_WCHAN:
			if (ps->wchan_is_number) {
				leftpad = fmt->width - amount > 0 ? fmt->width - amount : 0;
				break;
			}
			/* fall through */
		case CF_UNLIMITED:
			if (room < 1)
				outbuf[1] = '\0';	/* no room: the column is (mostly) lost */
			leftpad = 0;
			break;
		default:	/* CF_LEFT */
			leftpad = 0;
			break;
		}
		space = correct - actual + leftpad;
		if (space < 1)
			space = dospace;
		if (space > SPACE_AMOUNT)
			space = SPACE_AMOUNT;
		outbuf[OUTBUF_SIZE - 1] = '\0';
		sz = (int)strlen(outbuf);
		if (!fmt->next) {
			outbuf[sz] = '\n';
			fwrite(outbuf - space, (size_t)(space + sz + 1), 1, ps->out);
			break;
		}
		fwrite(outbuf - space, (size_t)(space + sz), 1, ps->out);
		actual += space + amount;
		correct += fmt->width + legit;
		correct++;
		dospace = 1;
		fmt = fmt->next;
	}
}

/* ---- ps: the command -------------------------------------------------------------------- */

/* The numbers of the /proc/PID directories, in readdir order: init, then by pid. */
static int *list_pids(struct ps *ps, size_t *n)
{
	int *pids = NULL;
	size_t cap = 0, pos = 0;
	const char *path;

	*n = 0;
	while ((path = mmsim_proc_path(ps->c->m, &pos, NULL))) {
		if (strncmp(path, "/proc/", 6) || !isdigit((unsigned char)path[6]))
			continue;
		int pid = atoi(path + 6);
		if (*n && pids[*n - 1] == pid)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			int *more = ps_alloc(ps, cap * sizeof(*more));
			if (!more)
				return NULL;
			if (*n)
				memcpy(more, pids, *n * sizeof(*more));
			pids = more;
		}
		pids[(*n)++] = pid;
	}
	return pids ? pids : ps_alloc(ps, sizeof(int));
}

/* Which files the chosen columns read. */
static unsigned int columns_need(const struct ps *ps)
{
	unsigned int needs = 0;

	for (const struct fmt_node *f = ps->format_list; f; f = f->next)
		needs |= f->spec->needs;
	return needs;
}

/* The machine's clock: uptime in USER_HZ ticks as the library rounds it, and "now". */
static void read_clock(struct ps *ps)
{
	struct text up;
	double secs = 0;

	ps->boot_tics = 0;
	if (proc_file(ps->c, "/proc/uptime", &up)) {
		if (sscanf(up.buf, "%lf", &secs) == 1)
			ps->boot_tics = (unsigned long long)(secs * USER_HZ);
		free(up.buf);
	}
	long long btime = 0;
	struct text st;
	if (proc_file(ps->c, "/proc/stat", &st)) {
		const char *b = strstr(st.buf, "\nbtime ");
		if (b)
			btime = strtoll(b + 7, NULL, 10);
		free(st.buf);
	}
	/* time(NULL) on the machine: the wall clock started at btime. */
	ps->now = btime + (long long)(ps->c->m->clock_ns / 1000000000ULL);
}

static int ps_run(struct ps *ps, int argc, char **argv)
{
	struct ps_done done;
	const char *err;

	ps->argc = argc;
	ps->argv = argv;
	reset_global(ps);
	if ((err = look_up_self(ps)))
		return cli_error(ps->c, "ps: %s", err);
	if ((err = arg_parse(ps, &done)))
		return cli_error(ps->c, "ps: error: %s", err);
	if (done.version) {
		fputs("ps from procps-ng 4.0.2\n", ps->out);
		return 0;
	}
	if (done.list) {
		print_format_specifiers(ps);
		return 0;
	}
	/* arg_check_conflicts(): -q takes no company. */
	int quick = 0, lists = 0;
	const struct sel_node *quick_node = NULL;
	for (const struct sel_node *sn = ps->selection_list; sn; sn = sn->next, lists++)
		if (sn->typecode == SEL_PID_QUICK) {
			quick++;
			quick_node = sn;
		}
	if (quick > 1)
		return cli_error(ps->c, "ps: q/-q/--quick-pid can only be used once.");
	if (quick && lists > quick)
		return cli_error(ps->c, "ps: q/-q/--quick-pid cannot be combined with other selection "
				 "options.");
	if (quick && ps->negate_selection)
		return cli_error(ps->c, "ps: q/-q/--quick-pid cannot be used together with negation "
				 "switches.");

	/* init_output(), lists_and_needs(): the clock, the widths, whether there is a header. */
	read_clock(ps);
	check_header_width(ps);
	if (ps->header_type == HEAD_MULTI) {
		ps->header_gap = ps->screen_rows - 1;
	} else if (ps->header_type == HEAD_NONE) {
		ps->lines_to_next_header = -1;
	} else {
		bool named = false;
		for (const struct fmt_node *f = ps->format_list; f; f = f->next)
			named |= f->name[0] != '\0';
		if (!named)
			ps->lines_to_next_header = -1;	/* Unix98: no empty header */
	}
	char *buffer = ps_alloc(ps, SPACE_AMOUNT + OUTBUF_SIZE + 1);
	if (!buffer)
		return cli_error(ps->c, "out of host memory");
	memset(buffer, ' ', SPACE_AMOUNT);
	ps->outbuf = buffer + SPACE_AMOUNT;

	/* Every process (-q: the ones listed, in their order), read first, then shown. */
	size_t n;
	int *pids;
	if (quick_node) {
		n = (size_t)quick_node->n;
		pids = ps_alloc(ps, n * sizeof(*pids));
		if (!pids)
			return cli_error(ps->c, "out of host memory");
		for (size_t i = 0; i < n; i++)
			pids[i] = quick_node->u[n - i - 1].pid;
	} else if (!(pids = list_pids(ps, &n))) {
		return cli_error(ps->c, "out of host memory");
	}
	unsigned int needs = columns_need(ps);
	struct ps_proc *procs = ps_alloc(ps, (n ? n : 1) * sizeof(*procs));
	if (!procs)
		return cli_error(ps->c, "out of host memory");
	size_t nr = 0;
	for (size_t i = 0; i < n; i++)
		if (ps_read_proc(ps, pids[i], needs, &procs[nr]))
			nr++;
	for (size_t i = 0; i < nr && !ps->failed; i++)
		if (want_this_proc(ps, &procs[i]))
			show_one_proc(ps, &procs[i]);
	if (ps->failed)
		return ps->rc;
	if (!ps->did_stuff) {
		/* Nothing matched: the header alone, and procps' status 1. */
		if (!--ps->lines_to_next_header)
			show_one_proc(ps, NULL);
		return cli_error(ps->c, "ps: no process matches (procps' ps exits with status 1)");
	}
	return 0;
}

static int cmd_ps(struct cli *c, int argc, char **argv)
{
	struct ps ps = { .c = c, .out = c->out, .lp64 = !c->m->is_32bit };
	int rc = ps_run(&ps, argc, argv);

	for (size_t i = 0; i < ps.nr_allocs; i++)
		free(ps.allocs[i]);
	free(ps.allocs);
	return rc;
}

static const struct cli_command ps_commands[] = {
	{ "ps", 0, CLI_ANY, "[-e|-A] [-f|-F|-l] [aux] [-o LIST] [-p PIDS] [--no-headers] ...",
	  "the processes, from /proc/PID (procps-ng 4.0.2's ps)", cmd_ps, 0, "-" },
	{ "pmap", 0, CLI_ANY, "[-x|-X|-XX|-d] [-q] [-p] [-A LOW[,HIGH]] PID|PROC...",
	  "a process's mappings, from /proc/PID/maps or smaps (procps-ng 4.0.2)", cmd_pmap, 0,
	  "n" },
};

CLI_COMMAND_SET(cli_ps_commands, "Processes, as ps and pmap show them", "ps", ps_commands);
