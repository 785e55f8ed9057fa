/* report.c — what the report shows, gathered as JSON (report.h).
 *
 * Everything that /proc says is read from /proc, through the same
 * renderers and the same reader as `--json` (proc_json.c): zones,
 * watermarks, buddy lists, slab caches, vmalloc areas, each process's maps
 * and smaps. What /proc has no file for comes from the kernel's own
 * introspection interfaces: the frames (mmsim_scan_frames(), what
 * /proc/kpageflags and page-types tell), the page tables and pagemap of a
 * process, the pkmap and fixmap slots, the virtual layout table.
 *
 * Samples are taken after commands, never more often than a step of the
 * machine's clock; when REPORT_MAX_SAMPLES are held, every other one is
 * dropped and the step doubles, so a long scenario costs a bounded number
 * of samples and keeps an even spread of them from start to end. */
#define _GNU_SOURCE	/* open_memstream */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/machine.h>
#include <mmsim/page.h>
#include <mmsim/process.h>

#include "arch/x86/layout.h"
#include "arch/x86/pgtable.h"
#include "cli/proc_json.h"
#include "cli/report.h"
#include "kernel/sched.h"
#include "machine.h"
#include "mm/highmem.h"

#define REPORT_MAX_ZONES	6

struct zone_sample {
	long free, min, low, high, boost;
	long buddy[MAX_ORDER];
};

struct sample {
	uint64_t t_ns;
	struct zone_sample zone[REPORT_MAX_ZONES];
	json_t *meminfo;	/* the values drawn: MemFree, AnonPages ... (kB) */
	json_t *slab;		/* cache -> bytes of its slabs, caches that have some */
	json_t *rss;		/* "PID COMM" -> VmRSS kB */
};

struct report_event {
	uint64_t t_ns;
	char event[48];
	char detail[80];
};

struct report {
	struct machine *m;
	char zone_names[REPORT_MAX_ZONES][16];
	unsigned int nr_zones;		/* the populated zones, as the first zoneinfo listed them */
	struct sample *samples;
	size_t nr_samples;
	uint64_t step_ns, last_ns;
	struct report_event *events;
	size_t nr_events;
	unsigned long events_dropped;
};

/* ---- reading /proc as documents ------------------------------------------------------- */

/* @path's text as the kernel renders it (NULL: the kernel log), or NULL. */
static char *read_text(struct machine *m, const char *path)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	if (!f)
		return NULL;
	int err = path ? mmsim_proc_read(m, path, f) : (mmsim_dmesg(m, f), 0);
	if (fclose(f) || err) {
		free(text);
		return NULL;
	}
	return text;
}

/* The "data" of @path's document (a new reference), or NULL. */
static json_t *read_data(struct machine *m, const char *path)
{
	char err[320];
	int proc_err;
	json_t *doc = proc_json_read(m, path, &proc_err, err, sizeof(err));

	if (!doc)
		return NULL;
	json_t *data = json_incref(json_object_get(doc, "data"));
	json_decref(doc);
	return data;
}

static long field(json_t *fields, const char *name)
{
	return (long)json_integer_value(json_object_get(fields, name));
}

/*
 * The processes with a /proc directory, found through mmsim_proc_path():
 * the first @max pids into @pids; returns how many there are in all.
 */
static size_t list_pids(struct machine *m, int *pids, size_t max)
{
	size_t n = 0;
	const char *path;

	for (size_t pos = 0; (path = mmsim_proc_path(m, &pos, NULL));) {
		int pid, used = 0;
		if (sscanf(path, "/proc/%d/status%n", &pid, &used) == 1 && !path[used]) {
			if (n < max)
				pids[n] = pid;
			n++;
		}
	}
	return n;
}

/* ---- samples ------------------------------------------------------------------------------ */

static void take_sample(struct report *r, struct sample *s)
{
	struct machine *m = r->m;
	static const char *const drawn[] = { "MemFree", "AnonPages", "Cached", "Slab",
					     "VmallocUsed", "SwapFree", "PageTables" };

	memset(s, 0, sizeof(*s));
	s->t_ns = m->clock_ns;
	json_t *zi = read_data(m, "/proc/zoneinfo"), *bi = read_data(m, "/proc/buddyinfo");
	size_t i;
	json_t *z;
	json_array_foreach(json_object_get(zi, "zones"), i, z) {
		json_t *pages = json_object_get(z, "pages");
		const char *name = json_string_value(json_object_get(z, "zone"));
		unsigned int k;
		if (!field(pages, "present") || !name)
			continue;
		for (k = 0; k < r->nr_zones && strcmp(r->zone_names[k], name); k++)
			;
		if (k == r->nr_zones) {
			if (r->nr_zones == REPORT_MAX_ZONES)
				continue;
			snprintf(r->zone_names[r->nr_zones++], sizeof(r->zone_names[0]), "%s", name);
		}
		struct zone_sample *zs = &s->zone[k];
		zs->free = field(pages, "free");
		zs->min = field(pages, "min");
		zs->low = field(pages, "low");
		zs->high = field(pages, "high");
		zs->boost = field(pages, "boost");
	}
	json_array_foreach(json_object_get(bi, "zones"), i, z) {
		const char *name = json_string_value(json_object_get(z, "zone"));
		for (unsigned int k = 0; name && k < r->nr_zones; k++)
			if (!strcmp(r->zone_names[k], name))
				for (size_t o = 0; o < MAX_ORDER; o++)
					s->zone[k].buddy[o] = (long)json_integer_value(
						json_array_get(json_object_get(z, "free"), o));
	}
	json_decref(zi);
	json_decref(bi);

	json_t *mi = read_data(m, "/proc/meminfo");
	json_t *fields = json_object_get(mi, "fields");
	s->meminfo = json_object();
	for (size_t k = 0; k < sizeof(drawn) / sizeof(drawn[0]); k++)
		json_object_set_new(s->meminfo, drawn[k], json_integer(field(fields, drawn[k])));
	json_decref(mi);

	json_t *si = read_data(m, "/proc/slabinfo");
	s->slab = json_object();
	json_array_foreach(json_object_get(si, "caches"), i, z) {
		long bytes = field(z, "num_slabs") * field(z, "pagesperslab") * 4096L;
		if (bytes)
			json_object_set_new(s->slab, json_string_value(json_object_get(z, "name")),
					    json_integer(bytes));
	}
	json_decref(si);

	int pids[REPORT_MAX_PROCESSES];
	size_t n = list_pids(m, pids, REPORT_MAX_PROCESSES);
	if (n > REPORT_MAX_PROCESSES)
		n = REPORT_MAX_PROCESSES;
	s->rss = json_object();
	for (size_t k = 0; k < n; k++) {
		char path[64], key[64];
		snprintf(path, sizeof(path), "/proc/%d/status", pids[k]);
		json_t *st = read_data(m, path);
		json_t *f = json_object_get(st, "fields");
		if (json_object_get(f, "VmRSS")) {
			snprintf(key, sizeof(key), "%d %s", pids[k],
				 json_string_value(json_object_get(f, "Name")));
			json_object_set_new(s->rss, key, json_integer(field(f, "VmRSS")));
		}
		json_decref(st);
	}
}

static void drop_sample(struct sample *s)
{
	json_decref(s->meminfo);
	json_decref(s->slab);
	json_decref(s->rss);
}

struct report *report_new(struct machine *m)
{
	struct report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->m = m;
	r->samples = calloc(REPORT_MAX_SAMPLES, sizeof(*r->samples));
	r->events = calloc(1024, sizeof(*r->events));
	if (!r->samples || !r->events) {
		report_free(r);
		return NULL;
	}
	r->step_ns = REPORT_FIRST_STEP_NS;
	take_sample(r, &r->samples[r->nr_samples++]);
	r->last_ns = m->clock_ns;
	return r;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->samples && i < r->nr_samples; i++)
		drop_sample(&r->samples[i]);
	free(r->samples);
	free(r->events);
	free(r);
}

static void record(struct report *r)
{
	if (r->nr_samples == REPORT_MAX_SAMPLES) {
		/* Keep the first and every other one after it; then sample half as often. */
		size_t kept = 1;
		for (size_t i = 1; i < r->nr_samples; i++) {
			if (i % 2 == 0)
				r->samples[kept++] = r->samples[i];
			else
				drop_sample(&r->samples[i]);
		}
		r->nr_samples = kept;
		r->step_ns *= 2;
	}
	take_sample(r, &r->samples[r->nr_samples++]);
	r->last_ns = r->m->clock_ns;
}

void report_tick(struct report *r)
{
	if (r->m->clock_ns - r->last_ns >= r->step_ns)
		record(r);
}

/* ---- events ----------------------------------------------------------------------------- */

static void add_event(struct report *r, uint64_t t_ns, const char *event, const char *detail)
{
	if (r->nr_events == REPORT_MAX_EVENTS) {
		r->events_dropped++;
		return;
	}
	/* The array grows by doubling from 1024: realloc only at powers of two. */
	if (r->nr_events >= 1024 && !(r->nr_events & (r->nr_events - 1))) {
		struct report_event *more = realloc(r->events, 2 * r->nr_events * sizeof(*more));
		if (!more) {
			r->events_dropped++;
			return;
		}
		r->events = more;
	}
	struct report_event *e = &r->events[r->nr_events++];
	e->t_ns = t_ns;
	snprintf(e->event, sizeof(e->event), "%s", event);
	snprintf(e->detail, sizeof(e->detail), "%s", detail);
}

void report_trace_event(struct report *r, const struct mmsim_trace_event *ev)
{
	/* Allocations, frees and faults are the time series' business, not marks. */
	if (!strcmp(ev->system, "kmem") || !strcmp(ev->system, "exceptions"))
		return;
	if (!strcmp(ev->name, "mm_vmscan_direct_reclaim_end") ||
	    !strcmp(ev->name, "mm_compaction_end"))
		return;
	char name[48], detail[80] = "";
	size_t used = 0;
	snprintf(name, sizeof(name), "%s:%s", ev->system, ev->name);
	for (unsigned int i = 0; i < ev->nr_fields && used < sizeof(detail); i++) {
		const struct mmsim_trace_field *f = &ev->fields[i];
		const char *sep = used ? " " : "";
		if (f->type == MMSIM_TRACE_S64)
			used += (size_t)snprintf(detail + used, sizeof(detail) - used, "%s%s=%" PRId64,
						 sep, f->name, f->s);
		else if (f->type == MMSIM_TRACE_STR)
			used += (size_t)snprintf(detail + used, sizeof(detail) - used, "%s%s=%s", sep,
						 f->name, f->str);
		else if (f->type != MMSIM_TRACE_GFP)
			used += (size_t)snprintf(detail + used, sizeof(detail) - used,
						 f->type == MMSIM_TRACE_HEX ? "%s%s=0x%" PRIx64
									    : "%s%s=%" PRIu64,
						 sep, f->name, f->u);
	}
	add_event(r, ev->time_ns, name, detail);
}

/* The kernel's own words for what has no trace event: allocation failures, from the log. */
static json_t *log_events(struct machine *m)
{
	json_t *events = json_array();
	char *log = read_text(m, NULL);

	for (char *line = log, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		unsigned long sec, usec;
		int used = 0;
		if (sscanf(line, "[%lu.%lu]%n", &sec, &usec, &used) != 2 || !used)
			continue;
		const char *text = line + used + 1;
		if (strstr(text, "page allocation failure"))
			json_array_append_new(events, json_pack("{s:I,s:s,s:s}", "t_ns",
				(json_int_t)(sec * 1000000000ULL + usec * 1000ULL), "event",
				"allocation failure", "detail", text));
	}
	free(log);
	return events;
}

/* ---- the snapshot: frames ----------------------------------------------------------------- */

struct frame_runs {
	json_t *runs;		/* flat: pfn, nr, detail, mapper pid, mapper address, ... */
	json_t *details;	/* what the runs point at */
	json_t *index;		/* a detail's key -> its position in details */
	size_t nr;
	bool coarse;		/* past REPORT_MAX_RUNS: runs of one owner merged */
	bool cut;		/* past twice that: the rest is one run "not drawn" */
	long last_owner;
	unsigned long zero_pfn;
};

static json_int_t detail_of(struct frame_runs *fr, const struct mmsim_frame_run *r, bool coarse)
{
	char key[640], flags[256];

	mmsim_page_flag_names(coarse ? 0 : r->flags, flags, sizeof(flags));
	if (coarse)
		snprintf(key, sizeof(key), "%d|%s", r->owner, r->zone ? r->zone : "");
	else
		snprintf(key, sizeof(key), "%d|%s|%d|%s|%d|%d|%u|%s|%u|%d", r->owner,
			 r->zone ? r->zone : "", r->migratetype, flags, r->refcount, r->mapcount,
			 r->order, r->slab_cache ? r->slab_cache : "", r->kmap_slot, r->swapcache);
	json_t *at = json_object_get(fr->index, key);
	if (at)
		return json_integer_value(at);
	json_t *d = json_pack("{s:i,s:s?}", "owner", (int)r->owner, "zone", r->zone);
	if (!coarse) {
		json_object_set_new(d, "migratetype", r->migratetype >= 0 ?
				    json_string(mmsim_migratetype_name(r->migratetype)) : json_null());
		json_object_set_new(d, "flags", json_string(flags));
		json_object_set_new(d, "refcount", json_integer(r->refcount));
		json_object_set_new(d, "mapcount", json_integer(r->mapcount));
		json_object_set_new(d, "order", json_integer(r->order));
		if (r->slab_cache)
			json_object_set_new(d, "cache", json_string(r->slab_cache));
		if (r->kmap_slot)
			json_object_set_new(d, "kmap_slot", json_integer(r->kmap_slot - 1));
		if (r->swapcache)
			json_object_set_new(d, "swapcache", json_true());
	}
	json_int_t idx = (json_int_t)json_array_size(fr->details);
	json_array_append_new(fr->details, d);
	json_object_set_new(fr->index, key, json_integer(idx));
	return idx;
}

static void append_run(struct frame_runs *fr, unsigned long pfn, unsigned long nr, json_int_t detail,
		       int pid, uint64_t addr)
{
	json_array_append_new(fr->runs, json_integer((json_int_t)pfn));
	json_array_append_new(fr->runs, json_integer((json_int_t)nr));
	json_array_append_new(fr->runs, json_integer(detail));
	json_array_append_new(fr->runs, json_integer(pid));
	json_array_append_new(fr->runs, json_integer((json_int_t)addr));
	fr->nr++;
}

static void frame_run(const struct mmsim_frame_run *r, void *arg)
{
	struct frame_runs *fr = arg;
	size_t n = json_array_size(fr->runs);

	if (r->owner == MMSIM_FRAME_ZERO)
		fr->zero_pfn = r->pfn;
	if (fr->cut) {
		/* The last run, "not drawn", grows to cover the rest. */
		json_t *len = json_array_get(fr->runs, n - 4);
		json_integer_set(len, json_integer_value(len) + (json_int_t)r->nr);
		return;
	}
	if (fr->nr >= 2 * REPORT_MAX_RUNS) {
		fr->cut = true;
		json_t *d = json_pack("{s:i,s:n}", "owner", MMSIM_NR_FRAME_OWNERS, "zone");
		json_array_append_new(fr->details, d);
		append_run(fr, r->pfn, r->nr, (json_int_t)json_array_size(fr->details) - 1, 0, 0);
		return;
	}
	if (fr->nr >= REPORT_MAX_RUNS)
		fr->coarse = true;
	if (fr->coarse && fr->last_owner == r->owner) {
		json_t *len = json_array_get(fr->runs, n - 4);
		json_integer_set(len, json_integer_value(len) + (json_int_t)r->nr);
		return;
	}
	fr->last_owner = r->owner;
	append_run(fr, r->pfn, r->nr, detail_of(fr, r, fr->coarse), fr->coarse ? 0 : r->mapper_pid,
		   fr->coarse ? 0 : r->mapper_addr);
}

static json_t *frames_json(struct machine *m, unsigned long *zero_pfn)
{
	struct frame_runs fr = { .runs = json_array(), .details = json_array(),
				 .index = json_object(), .last_owner = -1, .zero_pfn = ~0UL };
	json_t *owners = json_array();

	for (int i = 0; i < MMSIM_NR_FRAME_OWNERS; i++)
		json_array_append_new(owners, json_string(mmsim_frame_owner_name(i)));
	json_array_append_new(owners, json_string("not drawn (too many runs)"));
	long n = mmsim_scan_frames(m, 0, mmsim_max_pfn(m), frame_run, &fr);
	json_decref(fr.index);
	*zero_pfn = fr.zero_pfn;
	if (n < 0) {
		json_decref(fr.runs);
		json_decref(fr.details);
		json_decref(owners);
		return NULL;
	}
	return json_pack("{s:I,s:o,s:o,s:o,s:b,s:b}", "max_pfn", (json_int_t)mmsim_max_pfn(m),
			 "owners", owners, "details", fr.details, "runs", fr.runs, "coarse",
			 fr.coarse, "cut", fr.cut);
}

/* ---- the snapshot: the kernel's virtual memory ---------------------------------------------- */

static json_t *hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

/* The "virtual kernel memory layout" table the kernel prints, as regions. */
static json_t *layout_json(struct machine *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	json_t *regions = json_array();

	if (!f)
		return regions;
	show_virtual_layout(m, f, false);
	fclose(f);
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		char *colon = strchr(line, ':');
		unsigned long long lo, hi;
		if (!colon || sscanf(colon + 1, " 0x%llx - 0x%llx", &lo, &hi) != 2)
			continue;
		*colon = '\0';
		char *name = line + strspn(line, " ");
		for (size_t n = strlen(name); n && name[n - 1] == ' ';)
			name[--n] = '\0';
		/* x86_64's ends are inclusive (...ffff); i386's exclusive. */
		if ((hi & 0xfff) == 0xfff)
			hi++;
		json_array_append_new(regions, json_pack("{s:s,s:o,s:o}", "name", name, "start",
							 hex(lo), "end", hex(hi)));
	}
	free(text);
	return regions;
}

static json_t *kmaps_json(struct machine *m)
{
	json_t *pkmap = json_array(), *atomic = json_array();

	for (unsigned int i = 0; pkmap_slot_count(m, i) >= 0; i++)
		json_array_append_new(pkmap, json_integer(pkmap_slot_count(m, i)));
	/* 6.1's kmap_local slots: KM_MAX_IDX a CPU in the fixmap, mapped or not. */
	if (m->pkmap)
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
			for (unsigned int idx = 0; idx < KM_MAX_IDX; idx++) {
				uint64_t va = kmap_fixmap_addr(m, cpu * KM_MAX_IDX + idx);
				enum pt_level level;
				phys_addr_t table;
				unsigned int k;
				if (!pt_lookup(m, m->swapper_pg_dir, va, &level, &table, &k))
					continue;
				uint64_t pte = pt_read(m, table, k);
				if (level == PT_PTE && (pte & _PAGE_PRESENT))
					json_array_append_new(atomic, json_pack(
						"{s:i,s:i,s:o,s:I}", "cpu", cpu, "slot", idx, "vaddr",
						hex(va), "pfn",
						(json_int_t)((pte & pt_format(m)->addr_mask) >> PAGE_SHIFT)));
			}
	return json_pack("{s:o,s:o,s:o}", "pkmap_base", hex(m->pkmap_base), "pkmap", pkmap,
			 "kmap_local", atomic);
}

/* ---- the snapshot: processes ------------------------------------------------------------------ */

/* A VMA's pages, from pagemap: runs of [state, count]; states in docs/report.md. */
static json_t *pagemap_runs(struct machine *m, int pid, uint64_t start, uint64_t end,
			 unsigned long zero_pfn, unsigned long *budget)
{
	unsigned long nr = (unsigned long)((end - start) >> PAGE_SHIFT), read = nr;
	json_t *runs = json_array();

	/* Bounded a VMA and a process: the pages past the budget are "?", not read. */
	if (read > REPORT_MAX_VMA_PAGES)
		read = REPORT_MAX_VMA_PAGES;
	if (read > *budget)
		read = *budget;
	*budget -= read;
	if (!read) {
		json_array_append_new(runs, json_pack("[s,I]", "?", (json_int_t)nr));
		return runs;
	}
	uint64_t *pm = malloc(read * sizeof(*pm));
	if (!pm || mmsim_pagemap_read(m, pid, start, read, pm)) {
		free(pm);
		json_array_append_new(runs, json_pack("[s,I]", "?", (json_int_t)nr));
		return runs;
	}
	char last = 0;
	json_int_t count = 0;
	for (unsigned long i = 0; i <= read; i++) {
		char state = '?';
		if (i < read) {
			uint64_t e = pm[i];
			if (e & MMSIM_PM_PRESENT)
				state = (e & MMSIM_PM_PFRAME_MASK) == zero_pfn ? 'z' :
					(e & MMSIM_PM_FILE) ? 'f' :
					(e & MMSIM_PM_MMAP_EXCLUSIVE) ? 'p' : 'c';
			else
				state = (e & MMSIM_PM_SWAP) ? 's' : '.';
		}
		if (i == read || state != last) {
			if (count) {
				char st[2] = { last, 0 };
				json_array_append_new(runs, json_pack("[s,I]", st, count));
			}
			last = state;
			count = 0;
		}
		count++;
	}
	if (read < nr)
		json_array_append_new(runs, json_pack("[s,I]", "?", (json_int_t)(nr - read)));
	free(pm);
	return runs;
}

struct tables {
	json_t *list;
	unsigned long more;
};

static void table_page(const struct mmsim_pagetable_page *pt, void *arg)
{
	struct tables *t = arg;

	if (json_array_size(t->list) >= REPORT_MAX_TABLES) {
		t->more++;
		return;
	}
	json_array_append_new(t->list, json_pack("{s:s,s:i,s:o,s:o,s:I,s:i,s:i}", "level",
						 pt->level_name, "depth", pt->level, "vaddr",
						 hex(pt->vaddr), "span", hex(pt->span), "pfn",
						 (json_int_t)pt->pfn, "present", pt->present, "large",
						 pt->large));
}

static json_t *process_json(struct machine *m, int pid, unsigned long zero_pfn, json_t *texts)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	json_t *smaps = read_data(m, path);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	json_t *status = read_data(m, path);
	json_t *vmas = json_object_get(smaps, "vmas");
	if (!smaps || !status || !json_array_size(vmas)) {
		json_decref(smaps);
		json_decref(status);
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_t *v;
	unsigned long budget = REPORT_MAX_PROCESS_PAGES;
	json_array_foreach(vmas, i, v) {
		json_t *f = json_object_get(v, "fields");
		uint64_t start = strtoull(json_string_value(json_object_get(v, "start")), NULL, 16);
		uint64_t end = strtoull(json_string_value(json_object_get(v, "end")), NULL, 16);
		json_array_append_new(out, json_pack(
			"{s:O,s:O,s:O,s:O?,s:I,s:I,s:I,s:I,s:I,s:o}", "start", json_object_get(v, "start"),
			"end", json_object_get(v, "end"), "perms", json_object_get(v, "perms"), "path",
			json_object_get(v, "path"), "rss_kB", (json_int_t)field(f, "Rss"), "anon_kB",
			(json_int_t)field(f, "Anonymous"), "swap_kB", (json_int_t)field(f, "Swap"),
			"shared_kB", (json_int_t)(field(f, "Shared_Clean") + field(f, "Shared_Dirty")),
			"locked_kB", (json_int_t)field(f, "Locked"), "pages",
			pagemap_runs(m, pid, start, end, zero_pfn, &budget)));
	}
	struct tables tables = { .list = json_array() };
	mmsim_walk_pagetables(m, pid, table_page, &tables);
	json_t *sf = json_object_get(status, "fields");
	json_t *proc = json_pack("{s:i,s:O?,s:I,s:I,s:I,s:o,s:o,s:I}", "pid", pid, "comm",
				 json_object_get(sf, "Name"), "rss_kB", (json_int_t)field(sf, "VmRSS"),
				 "swap_kB", (json_int_t)field(sf, "VmSwap"), "pte_kB",
				 (json_int_t)field(sf, "VmPTE"), "vmas", out, "page_tables",
				 tables.list, "page_tables_not_listed", (json_int_t)tables.more);
	static const char *const files[] = { "maps", "status" };
	for (size_t k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", pid, files[k]);
		char *text = read_text(m, path);
		if (text)
			json_object_set_new(texts, path, json_string(text));
		free(text);
	}
	json_decref(smaps);
	json_decref(status);
	return proc;
}

/* ---- the document ------------------------------------------------------------------------------ */

static json_t *series_json(struct report *r)
{
	json_t *t = json_array(), *zones = json_array(), *meminfo = json_object();
	json_t *slab = json_object(), *rss = json_object();

	for (size_t i = 0; i < r->nr_samples; i++)
		json_array_append_new(t, json_integer((json_int_t)r->samples[i].t_ns));
	for (unsigned int k = 0; k < r->nr_zones; k++) {
		json_t *z = json_pack("{s:s,s:[],s:[],s:[],s:[],s:[],s:[]}", "zone", r->zone_names[k],
				      "free", "min", "low", "high", "boost", "buddy");
		for (size_t i = 0; i < r->nr_samples; i++) {
			const struct zone_sample *zs = &r->samples[i].zone[k];
			json_array_append_new(json_object_get(z, "free"), json_integer(zs->free));
			json_array_append_new(json_object_get(z, "min"), json_integer(zs->min));
			json_array_append_new(json_object_get(z, "low"), json_integer(zs->low));
			json_array_append_new(json_object_get(z, "high"), json_integer(zs->high));
			json_array_append_new(json_object_get(z, "boost"), json_integer(zs->boost));
			json_t *orders = json_array();
			for (size_t o = 0; o < MAX_ORDER; o++)
				json_array_append_new(orders, json_integer(zs->buddy[o]));
			json_array_append_new(json_object_get(z, "buddy"), orders);
		}
		json_array_append_new(zones, z);
	}
	/* One array a name, a value for every sample (0 where a sample lacks it). */
	json_t *sets[3] = { meminfo, slab, rss };
	for (int s = 0; s < 3; s++) {
		for (size_t i = 0; i < r->nr_samples; i++) {
			json_t *src = s == 0 ? r->samples[i].meminfo : s == 1 ? r->samples[i].slab
									  : r->samples[i].rss;
			const char *key;
			json_t *v;
			json_object_foreach(src, key, v) {
				json_t *arr = json_object_get(sets[s], key);
				if (!arr) {
					arr = json_array();
					for (size_t k = 0; k < i; k++)
						json_array_append_new(arr, json_integer(0));
					json_object_set_new(sets[s], key, arr);
				}
				json_array_append(arr, v);
			}
			json_t *arr;
			json_object_foreach(sets[s], key, arr)
				while (json_array_size(arr) < i + 1)
					json_array_append_new(arr, json_integer(0));
		}
	}
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o}", "step_ns", (json_int_t)r->step_ns, "t_ns", t,
			 "zones", zones, "meminfo", meminfo, "slab_bytes", slab, "rss_kB", rss);
}

static json_t *events_json(struct report *r)
{
	json_t *events = log_events(r->m);

	for (size_t i = 0; i < r->nr_events; i++)
		json_array_append_new(events, json_pack("{s:I,s:s,s:s}", "t_ns",
							(json_int_t)r->events[i].t_ns, "event",
							r->events[i].event, "detail", r->events[i].detail));
	return events;
}

json_t *report_document(struct report *r, const char *label, char *err, size_t errlen)
{
	struct machine *m = r->m;
	static const char *const proc_files[] = {
		"/proc/meminfo", "/proc/zoneinfo", "/proc/buddyinfo", "/proc/pagetypeinfo",
		"/proc/slabinfo", "/proc/vmallocinfo", "/proc/vmstat", "/proc/swaps",
	};
	unsigned long zero_pfn;

	/* The last sample is now. */
	if (r->samples[r->nr_samples - 1].t_ns != m->clock_ns)
		record(r);
	json_t *frames = frames_json(m, &zero_pfn);
	if (!frames) {
		snprintf(err, errlen, "out of host memory for the frame scan");
		return NULL;
	}
	json_t *texts = json_object(), *processes = json_array();
	for (size_t i = 0; i < sizeof(proc_files) / sizeof(proc_files[0]); i++) {
		char *text = read_text(m, proc_files[i]);
		if (text)
			json_object_set_new(texts, proc_files[i], json_string(text));
		free(text);
	}
	char *log = read_text(m, NULL);
	json_object_set_new(texts, "dmesg", json_string(log ? log : ""));
	free(log);
	int pids[REPORT_MAX_PROCESSES];
	size_t all = list_pids(m, pids, REPORT_MAX_PROCESSES);
	size_t n = all < REPORT_MAX_PROCESSES ? all : REPORT_MAX_PROCESSES;
	for (size_t i = 0; i < n; i++) {
		json_t *p = process_json(m, pids[i], zero_pfn, texts);
		if (p)
			json_array_append_new(processes, p);
	}
	json_t *zoneinfo = read_data(m, "/proc/zoneinfo"), *zones = json_array();
	size_t i;
	json_t *z;
	json_array_foreach(json_object_get(zoneinfo, "zones"), i, z) {
		json_t *pages = json_object_get(z, "pages");
		if (!json_object_get(z, "start_pfn"))
			continue;
		json_array_append_new(zones, json_pack(
			"{s:O,s:O,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "zone", json_object_get(z, "zone"),
			"start_pfn", json_object_get(z, "start_pfn"), "spanned", (json_int_t)field(pages, "spanned"),
			"present", (json_int_t)field(pages, "present"), "managed",
			(json_int_t)field(pages, "managed"), "free", (json_int_t)field(pages, "free"),
			"min", (json_int_t)field(pages, "min"), "low", (json_int_t)field(pages, "low"),
			"high", (json_int_t)field(pages, "high"), "boost", (json_int_t)field(pages, "boost")));
	}
	json_decref(zoneinfo);
	json_t *cmdline = read_data(m, "/proc/cmdline"), *mi = read_data(m, "/proc/meminfo");
	json_t *machine = json_pack(
		"{s:s,s:s,s:i,s:I,s:O?,s:I,s:o,s:o,s:o}", "arch", m->is_32bit ? "i386" : "x86_64",
		"kernel", m->profile->name, "cpus", m->nr_cpus, "mem_total_kB",
		(json_int_t)field(json_object_get(mi, "fields"), "MemTotal"), "cmdline",
		json_object_get(cmdline, "value"), "page_size", (json_int_t)PAGE_SIZE, "page_offset",
		hex(m->page_offset), "high_memory", hex(m->high_memory), "task_size",
		hex(m->is_32bit ? m->page_offset : 0x7ffffffff000ULL));
	json_decref(cmdline);
	json_decref(mi);
	json_t *vmalloc = read_data(m, "/proc/vmallocinfo");
	json_t *snapshot = json_pack("{s:I,s:o,s:o,s:o,s:o?,s:o,s:o,s:I,s:o}", "t_ns",
				     (json_int_t)m->clock_ns, "zones", zones, "frames", frames,
				     "layout", layout_json(m), "vmalloc",
				     json_incref(json_object_get(vmalloc, "areas")), "kmaps",
				     kmaps_json(m), "processes", processes, "processes_not_shown",
				     (json_int_t)(all - n), "proc", texts);
	json_decref(vmalloc);
	json_t *doc = json_pack("{s:i,s:s,s:o,s:o,s:o,s:o,s:I}", "report", 1, "label",
				label ? label : "", "machine", machine, "snapshot", snapshot,
				"series", series_json(r), "events", events_json(r), "events_dropped",
				(json_int_t)r->events_dropped);
	if (!doc)
		snprintf(err, errlen, "out of host memory for the report");
	return doc;
}
