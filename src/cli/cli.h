/* cli.h — what a command set needs from the scenario engine: the command
 * table, the argument grammar, the name table, errors and blocking.
 *
 * Every command lives in a table of struct cli_command in one file per
 * subsystem (cmd_page_alloc.c, cmd_slab.c ...); registry.c lists the tables
 * in one array and refuses a name that two tables define. A handler gets
 * its words split and unquoted, writes what it shows to c->out, and
 * returns 0, or cli_error()'s 2 for bad input (the engine prints the one
 * error line, "WHERE:LINE: message", after the command's complete output
 * lines), or CLI_BLOCKED when the current task must sleep. Handlers call
 * the kernel's API and the renderers in fs/proc; none of them holds kernel
 * behaviour. */
#ifndef MMSIM_CLI_CLI_H
#define MMSIM_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <mmsim/gfp.h>
#include <mmsim/types.h>

struct machine;
struct cli;
struct kmem_cache;
struct report;
struct trace_sink;

/* A handler's result besides 0 and 2: current sleeps; run retries it once woken. */
#define CLI_BLOCKED 3

struct cli_command {
	const char *name;
	/* Words after the name: min_args <= argc - 1 <= max_args (CLI_ANY: no limit). */
	int min_args, max_args;
	const char *usage;	/* the arguments, as `help` shows them: "NAME GFP ORDER" */
	const char *help;	/* one line: what it does */
	int (*run)(struct cli *c, int argc, char **argv);
	unsigned int flags;	/* CLI_* below */
	/*
	 * What each argument is, for Tab, one letter a position (the last one
	 * repeats): n a name the scenario bound, p a /proc path, s a sysctl
	 * key, c a slab cache, g GFP flags, m a command, - nothing to offer.
	 */
	const char *complete;
};

#define CLI_ANY		(-1)
/* The handler gets the line after the command word unsplit, in argv[1] (repeat). */
#define CLI_RAW		0x1
/* A filter: reads the output of the command before it in a pipe (head, grep ...). */
#define CLI_FILTER	0x2

/* One subsystem's commands: a section of `help`, the man page and docs/scenario.md. */
struct cli_command_set {
	const char *title;	/* "Allocating pages" */
	const char *id;		/* "page_alloc": docs/scenario.md's marker */
	const struct cli_command *commands;
	size_t nr_commands;
};

#define CLI_COMMAND_SET(ident, title_, id_, table)					\
	const struct cli_command_set ident = { title_, id_, table, sizeof(table) / sizeof((table)[0]) }

/* What handlers see of the engine. */
struct cli {
	struct machine *m;
	FILE *out;		/* where the command's output goes */
	const char *input;	/* a filter's input: the previous command's output */
	size_t input_len;
	bool strace;		/* print every system call (`strace on`) */
	/*
	 * --json: json_out is set while a command's output goes to the
	 * scenario's own output (not into a pipe or a file), where commands
	 * that know JSON (cat, report) write documents instead of text and
	 * set wrote_json; the engine wraps any other command's text in one.
	 */
	bool json, json_out, wrote_json;
	struct report *report;		/* recording for the report (cmd_report.c), or NULL */
	struct trace_sink *trace_sink;	/* --trace's, or NULL */
	struct cli_engine *engine;	/* everything else is the engine's (engine.c) */
};

/*
 * Record the command's error: one line, without "WHERE:LINE: " (the engine
 * adds it) or a newline. Returns 2, the value a handler returns with it.
 */
int cli_error(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "usage: CMD USAGE" from the command's table entry. */
int cli_usage(struct cli *c, const char *command);

/* ---- the argument grammar (args.c) -------------------------------------------
 *
 * Numbers are decimal or 0x hexadecimal; a leading zero is not octal (010 is
 * ten). A size is a number with an optional K, M, G or T suffix (binary,
 * either case, optionally followed by B or iB). Nothing wraps: a value
 * beyond @max, or beyond 64 bits, is an error that names @what.
 */
int cli_number(struct cli *c, const char *text, const char *what, uint64_t max, uint64_t *v);
int cli_size(struct cli *c, const char *text, const char *what, uint64_t max, uint64_t *v);
/* A signed number (memset's offset): an optional '-', then as cli_number. */
int cli_signed(struct cli *c, const char *text, const char *what, int64_t min, int64_t max,
	       int64_t *v);
/* GFP flags: names joined by '|' or numbers; contradictory zone bits are refused. */
int cli_gfp(struct cli *c, const char *text, gfp_t *gfp);
/*
 * An address: a number, or a name that holds one — a page block (its
 * kernel address: the direct map, or its kmap while kmapped), an object,
 * a vmalloc/vmap/ioremap area, a kmap_atomic result — optionally followed
 * by +OFFSET.
 */
int cli_addr(struct cli *c, const char *text, kaddr_t *addr);
/* A slab cache by name. */
int cli_cache(struct cli *c, const char *text, struct kmem_cache **cache);

/*
 * Options as the real tool takes them (getopt_long, GNU style: combined
 * short options, --long=VALUE, options after operands). Call
 * cli_getopt_start() first, then cli_getopt() until it returns 1 (the
 * operands start at optind); 0 gives an option in *opt (its argument in
 * optarg), 2 a bad one with the tool's own message ("free: invalid option
 * -- 'x'").
 */
struct option;
void cli_getopt_start(void);
int cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, int *opt);

/* Parse without a scenario: the same grammar for command-line options. */
int parse_number(const char *text, uint64_t *v);
int parse_size(const char *text, uint64_t *v);

/* ---- the name table (names.c) ---------------------------------------------- */

enum cli_name_kind {
	NAME_PAGES,		/* alloc_pages: a block of 2^order frames */
	NAME_OBJECT,		/* kmalloc, kmem_cache_alloc ...: a slab object or large kmalloc */
	NAME_VMALLOC,		/* vmalloc, vzalloc, vmalloc_user */
	NAME_VMAP,
	NAME_IOREMAP,
	NAME_KMAP,		/* kmap_atomic / kmap_local: an address, owned by nobody */
	NAME_COMPLETION,	/* a struct completion tasks wait for */
	NAME_PROCESS,		/* spawn, fork: a process (addr holds its pid) */
	NAME_VALUE,		/* what a system call returned: an address, a descriptor (addr) */
	NAME_DMA,		/* a DMA buffer, mapping or pool (cmd_dma.c's record in data) */
	NAME_CMA,		/* cma_alloc: nr_pages contiguous frames from pfn (addr: lowmem address) */
	NAME_CONTIG,		/* alloc_contig_pages: nr_pages contiguous frames from pfn */
	NR_NAME_KINDS
};

struct cli_name {
	enum cli_name_kind kind;
	bool freed;		/* freed once: freeing again is a real double free */
	bool empty;		/* the allocation failed: the name holds nothing */
	kaddr_t addr;		/* objects, areas, kmaps (0: the allocation failed) */
	unsigned long pfn;	/* pages: the block's first frame and its order */
	unsigned int order;
	unsigned long nr_pages;		/* NAME_CMA, NAME_CONTIG: how many frames */
	struct kmem_cache *cache;	/* kmem_cache_alloc'd objects: their cache */
	void *completion;	/* NAME_COMPLETION: its struct completion */
	void *data;		/* NAME_DMA: the command set's record (host memory, freed with the name) */
};

/* "a page block", "a slab object" ... for messages. */
const char *cli_name_kind_str(enum cli_name_kind kind);
/* The name's record, or NULL. */
struct cli_name *cli_name_find(struct cli *c, const char *name);
/*
 * The name's record, of @kind and zeroed, for something new. A name that
 * still holds a live allocation (not freed) cannot be reused: that is an
 * error, as is a name of another kind that tasks may wait on. NULL after
 * cli_error().
 */
struct cli_name *cli_name_bind(struct cli *c, const char *name, enum cli_name_kind kind);
/* Would cli_name_bind() succeed? 0, or 2 after cli_error(). Binds nothing. */
int cli_name_check(struct cli *c, const char *name, enum cli_name_kind kind);
/* The record of @name if it is of @kind; otherwise NULL after cli_error(). */
struct cli_name *cli_name_get(struct cli *c, const char *name, enum cli_name_kind kind);
/* Visit every name: for (size_t i = 0; cli_name_next(c, &i, &name, &rec);). */
bool cli_name_next(struct cli *c, size_t *pos, const char **name, struct cli_name **rec);

/*
 * A /proc path with a process's name in place of its pid ("/proc/sh/maps")
 * as the kernel knows it ("/proc/42/maps"); other paths are copied. 0, or
 * -1 if @buf is too small.
 */
int cli_proc_path(struct cli *c, const char *path, char *buf, size_t n);

/* ---- the report and the tracer (cmd_report.c) ----------------------------------- */

struct mmsim_trace_event;
/* The one tracer: --trace's sink and the report's recorder, whichever are on. */
void cli_trace_event(const struct mmsim_trace_event *ev, void *arg);
/* Install or remove that tracer as c->trace_sink and c->report say. */
void cli_update_tracer(struct cli *c);
/* Start recording now (a first sample); 0, or -1 out of host memory. */
int cli_report_start(struct cli *c);
void cli_report_stop(struct cli *c);
/* Write the report of now to @path ('-': c->out): HTML, or with @json the document. 0 or -1 (@err). */
int cli_report_write(struct cli *c, const char *path, const char *label, bool json, char *err,
		     size_t errlen);

/* ---- tasks ------------------------------------------------------------------ */

/* Commands are running as a task's steps (inside `run`), not at the top level. */
bool cli_in_task(struct cli *c);
/* The current task's command blocked before and is being retried now. */
bool cli_resumed(struct cli *c);

#endif /* MMSIM_CLI_CLI_H */
