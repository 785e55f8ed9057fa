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

#include <mmsim/highmem.h>

#include "arch/x86/layout.h"
#include "arch/x86/mmu.h"
#include "cli/scenario.h"
#include "lib/names.h"
#include "kernel/sched.h"
#include "mm/highmem.h"
#include "mm.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define MAX_ARGS 16
#define MAX_REPEAT 100000000UL
/* Each command advances the simulated clock by one jiffy (HZ=250). */
#define TICK_NS 4000000ULL
/* run_command() results: 0 done, 2 input error, RC_BLOCKED: current slept. */
#define RC_BLOCKED 3
#define MAX_TASK_STEPS 20000000UL

/* What a name stands for: a block from alloc_pages, or a kernel virtual address. */
struct binding {
	unsigned long pfn;
	unsigned int order;
	bool freed;		/* freed once: freeing again is a real double free */
	bool is_addr;		/* an address (kmap_atomic's result), not a block */
	uint64_t addr;
};

/* A completion the scenario refers to by name. */
struct named_completion {
	char name[32];
	struct completion x;
	struct named_completion *next;
};

/* A task's program: its lines, with repeat unrolled so each is one step. */
struct task_prog {
	char **lines;
	unsigned long *lineno;
	size_t n, cap, pc;
	bool resumed;		/* the current line blocked before */
};

struct scenario {
	struct machine *m;
	FILE *out, *err;
	const char *where;
	unsigned long line;
	struct name_table names;	/* name -> struct binding */
	unsigned int depth;	/* nesting of repeat */
	struct task_prog *collecting;	/* inside "task NAME {" ... "}" */
	struct named_completion *completions;
	unsigned long collect_line;
	bool in_run;		/* commands are running as tasks' steps */
};

struct scenario *scenario_new(struct machine *m, FILE *out, FILE *err)
{
	struct scenario *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->m = m;
	s->out = out;
	s->err = err;
	names_init(&s->names, sizeof(struct binding));
	return s;
}

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

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	if (s->m->sched) {
		struct list_head *pos;
		list_for_each(pos, &s->m->sched->tasks) {
			struct task_struct *t = list_entry(pos, struct task_struct, tasks);
			prog_free(t->owner_data);
			t->owner_data = NULL;
		}
	}
	/* s->collecting belongs to its task, freed above. */
	while (s->completions) {
		struct named_completion *n = s->completions->next;
		free(s->completions);
		s->completions = n;
	}
	names_release(&s->names);
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

/* ---- names ---------------------------------------------------------------- */

static struct binding *lookup(struct scenario *s, const char *name)
{
	return names_find(&s->names, name);
}

/* Point name at a block (replacing whatever it stood for). */
static int bind(struct scenario *s, const char *name, unsigned long pfn, unsigned int order)
{
	struct binding *b = names_add(&s->names, name, NULL);

	if (!b)
		return -1;
	*b = (struct binding){ .pfn = pfn, .order = order };
	return 0;
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

	if (!b || b->is_addr) {
		*rc = error(s, "'%s' is not an allocated block (see alloc_pages)", name);
		return NULL;
	}
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
	if (old && !old->freed && !old->is_addr)
		return error(s, "'%s' already names an allocated block; free it first", argv[1]);
	if ((rc = parse_gfp(s, argv[2], &gfp)) || (rc = parse_ulong(s, argv[3], "order", 31, &order)))
		return rc;
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
	const char *name;
	struct binding *b;
	for (size_t i = 0; names_next(&s->names, &i, &name, (void **)&b);) {
		if (!b->is_addr && !b->freed && b->pfn == pfn && b->order == order &&
		    page_ref_count(pfn_to_page(s->m, pfn)) == 1) {
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
			     "/proc/zoneinfo, /proc/meminfo, /proc/vmstat, /proc/slabinfo, "
			     "/proc/vmallocinfo, /proc/sys/vm/...)", argv[1]);
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

/* ---- repeat ------------------------------------------------------------------ */

/* "N COMMAND" after the word repeat: the count (at most max) and the command. */
static int parse_repeat(struct scenario *s, const char *rest, unsigned long max,
			unsigned long *n, const char **body)
{
	char count_text[32];

	while (*rest == ' ' || *rest == '\t')
		rest++;
	size_t len = strcspn(rest, " \t");
	if (!len || len >= sizeof(count_text) || !rest[len])
		return error(s, "usage: repeat N COMMAND");
	memcpy(count_text, rest, len);
	count_text[len] = '\0';
	*body = rest + len + strspn(rest + len, " \t");
	return parse_ulong(s, count_text, "repeat count", max, n);
}

/* The command with each "$i" replaced by i, in a new string (NULL: no memory). */
static char *expand_repeat(const char *body, unsigned long i)
{
	char num[24];
	size_t dollars = 0, nlen = (size_t)snprintf(num, sizeof(num), "%lu", i);

	for (const char *p = body; (p = strstr(p, "$i")); p += 2)
		dollars++;
	char *out = malloc(strlen(body) + dollars * nlen + 1), *o = out;
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

/* ---- kernel virtual addresses ---------------------------------------------- */

/* Bind NAME to an address (replacing an earlier address of that name). */
static int bind_addr(struct scenario *s, const char *name, uint64_t addr)
{
	struct binding *b = lookup(s, name);

	if (b && !b->is_addr && !b->freed)
		return error(s, "'%s' already names an allocated block", name);
	if (!(b = names_add(&s->names, name, NULL)))
		return error(s, "out of host memory for names");
	*b = (struct binding){ .is_addr = true, .addr = addr };
	return 0;
}

/*
 * An address: a number, an address name (from kmap_atomic ...), or a block
 * name (its kernel address: the direct map, or its kmap while kmapped),
 * optionally followed by +OFFSET.
 */
static int parse_addr(struct scenario *s, const char *text, uint64_t *addr)
{
	char base[128];
	const char *plus = strchr(text, '+');
	size_t len = plus ? (size_t)(plus - text) : strlen(text);
	uint64_t off = 0;

	if (!len || len >= sizeof(base))
		return error(s, "'%s' is not an address", text);
	memcpy(base, text, len);
	base[len] = '\0';
	if (plus) {
		char *end;
		errno = 0;
		off = strtoull(plus + 1, &end, 0);
		if (errno || *end || end == plus + 1)
			return error(s, "'%s': malformed offset", text);
	}
	if (isdigit((unsigned char)base[0])) {
		char *end;
		errno = 0;
		*addr = strtoull(base, &end, 0);
		if (errno || *end)
			return error(s, "'%s' is not an address", text);
	} else {
		struct binding *b = lookup(s, base);
		if (!b && vmalloc_scenario_lookup(s->m, base, addr) == 0) {
			*addr += off;
			return 0;
		}
		if (!b)
			return error(s, "'%s' is neither an address nor a name", base);
		if (b->is_addr) {
			*addr = b->addr;
		} else {
			if (b->freed)
				return error(s, "'%s' was freed; its memory is no longer yours", base);
			*addr = page_address(s->m, pfn_to_page(s->m, b->pfn));
			if (!*addr)
				return error(s, "'%s' is a HighMem page with no kernel mapping: kmap it first",
					     base);
		}
	}
	*addr += off;
	return 0;
}

/*
 * A kernel-mode access that faulted: the oops lines the kernel prints
 * (no fixup exists for a plain access, so the real kernel would die here;
 * the simulation reports and carries on).
 */
static void report_kernel_fault(struct scenario *s, unsigned int access)
{
	struct cpu_mmu *c = &s->m->cpu_mmu[s->m->cur_cpu];
	int width = s->m->is_32bit ? 8 : 16;

	printk(s->m, "BUG: unable to handle page fault for address: %0*" PRIx64 "\n", width, c->cr2);
	printk(s->m, "#PF: supervisor %s access in kernel mode\n",
	       (access & MMU_EXEC) ? "instruction fetch" : (access & MMU_WRITE) ? "write" : "read");
	printk(s->m, "#PF: error_code(0x%04x) - %s\n", c->error_code,
	       (c->error_code & X86_PF_PROT) ? "permissions violation" : "not-present page");
	fprintf(s->out, "page fault at %#" PRIx64 " (error_code 0x%x): see dmesg\n", c->cr2,
		c->error_code);
}

static int cmd_peek(struct scenario *s, int argc, char **argv)
{
	uint64_t addr;
	unsigned long len = 16;
	int rc;

	if ((rc = need_args(s, argc, 2, 3, "peek ADDR [LEN]")) || (rc = parse_addr(s, argv[1], &addr)) ||
	    (argc > 2 && (rc = parse_ulong(s, argv[2], "length", 4096, &len))))
		return rc;
	unsigned char buf[4096];
	if (mmu_read(s->m, s->m->cur_cpu, addr, buf, len, MMU_READ)) {
		report_kernel_fault(s, MMU_READ);
		return 0;
	}
	for (unsigned long i = 0; i < len; i += 16) {
		fprintf(s->out, "%0*" PRIx64 " ", s->m->is_32bit ? 8 : 16, addr + i);
		for (unsigned long j = i; j < i + 16 && j < len; j++)
			fprintf(s->out, " %02x", buf[j]);
		fprintf(s->out, "  |");
		for (unsigned long j = i; j < i + 16 && j < len; j++)
			fputc(isprint(buf[j]) ? buf[j] : '.', s->out);
		fprintf(s->out, "|\n");
	}
	return 0;
}

/* poke ADDR TEXT...: write the text (its bytes, no terminator) through the MMU. */
static int cmd_poke(struct scenario *s, int argc, char **argv)
{
	uint64_t addr;
	char text[512] = "";
	int rc;

	if (argc < 3)
		return error(s, "usage: poke ADDR TEXT");
	if ((rc = parse_addr(s, argv[1], &addr)))
		return rc;
	for (int i = 2; i < argc; i++) {
		if (strlen(text) + strlen(argv[i]) + 2 > sizeof(text))
			return error(s, "poke: text longer than %zu bytes", sizeof(text) - 1);
		if (i > 2)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	if (mmu_write(s->m, s->m->cur_cpu, addr, text, strlen(text), MMU_WRITE))
		report_kernel_fault(s, MMU_WRITE);
	return 0;
}

static int cmd_translate(struct scenario *s, int argc, char **argv)
{
	unsigned int access = MMU_READ;
	uint64_t addr;
	int rc;

	if ((rc = need_args(s, argc, 2, 5, "translate ADDR [write] [user] [exec]")) ||
	    (rc = parse_addr(s, argv[1], &addr)))
		return rc;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "write"))
			access |= MMU_WRITE;
		else if (!strcmp(argv[i], "user"))
			access |= MMU_USER;
		else if (!strcmp(argv[i], "exec"))
			access |= MMU_EXEC;
		else
			return error(s, "translate: '%s' is not write, user or exec", argv[i]);
	}
	phys_addr_t pa;
	struct cpu_mmu *c = &s->m->cpu_mmu[s->m->cur_cpu];
	unsigned long hits = c->stats.hits;
	if (mmu_translate(s->m, s->m->cur_cpu, addr, access, &pa))
		fprintf(s->out, "%#" PRIx64 ": page fault, error_code 0x%x (%s%s%s%s)\n", addr,
			c->error_code, (c->error_code & X86_PF_PROT) ? "protection" : "not present",
			(c->error_code & X86_PF_WRITE) ? ", write" : ", read",
			(c->error_code & X86_PF_USER) ? ", user" : ", kernel",
			(c->error_code & X86_PF_INSTR) ? ", instruction fetch" : "");
	else
		fprintf(s->out, "%#" PRIx64 " -> phys %#" PRIx64 " (tlb %s)\n", addr, (uint64_t)pa,
			c->stats.hits > hits ? "hit" : "miss");
	return 0;
}

static int cmd_walk(struct scenario *s, int argc, char **argv)
{
	uint64_t addr;
	int rc;

	if ((rc = need_args(s, argc, 2, 2, "walk ADDR")) || (rc = parse_addr(s, argv[1], &addr)))
		return rc;
	mmu_walk_show(s->m, s->m->cur_cpu, addr, s->out);
	return 0;
}

/* set_pte ADDR PFN | clear_pte ADDR: change a kernel PTE with no TLB flush. */
static int cmd_set_pte(struct scenario *s, int argc, char **argv, bool clear)
{
	uint64_t addr;
	unsigned long pfn = 0;
	int rc;

	if (clear ? (rc = need_args(s, argc, 2, 2, "clear_pte ADDR"))
		  : (rc = need_args(s, argc, 3, 3, "set_pte ADDR PFN|NAME")))
		return rc;
	if ((rc = parse_addr(s, argv[1], &addr)))
		return rc;
	if (!clear && !isdigit((unsigned char)argv[2][0])) {
		/* A block's name stands for its first frame. */
		struct binding *b = find_live_block(s, argv[2], &rc);
		if (!b)
			return rc;
		pfn = b->pfn;
	} else if (!clear && (rc = parse_ulong(s, argv[2], "pfn", ~0UL, &pfn))) {
		return rc;
	}
	if (addr < s->m->page_offset || (addr & ~pt_format(s->m)->va_bits_mask &&
					 addr >> 47 != 0x1ffff))
		return error(s, "%#" PRIx64 " is not a kernel address", addr);
	if (!clear && !pfn_valid(s->m, pfn))
		return error(s, "pfn %#lx is not memory on this machine", pfn);
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;
	if (pt_lookup(s->m, s->m->swapper_pg_dir, addr, &level, &table, &idx) && level != PT_PTE)
		return error(s, "%#" PRIx64 " is mapped by a large page; set_pte changes 4K mappings",
			     addr);
	uint64_t pte = clear ? 0 : PFN_PHYS(pfn) | _PAGE_PRESENT | _PAGE_RW;
	if (pt_set_pte(s->m, s->m->swapper_pg_dir, addr, pte, NULL))
		fprintf(s->out, "set_pte: no memory for a page table\n");
	return 0;
}

static int cmd_flush(struct scenario *s, int argc, char **argv)
{
	uint64_t a, b;
	int rc;

	if (!strcmp(argv[0], "flush_tlb_all")) {
		if ((rc = need_args(s, argc, 1, 1, "flush_tlb_all")))
			return rc;
		flush_tlb_all(s->m);
	} else if (!strcmp(argv[0], "flush_tlb_one")) {
		if ((rc = need_args(s, argc, 2, 2, "flush_tlb_one ADDR")) || (rc = parse_addr(s, argv[1], &a)))
			return rc;
		flush_tlb_one_kernel(s->m, s->m->cur_cpu, a);
	} else {
		if ((rc = need_args(s, argc, 3, 3, "flush_tlb_kernel_range START END")) ||
		    (rc = parse_addr(s, argv[1], &a)) || (rc = parse_addr(s, argv[2], &b)))
			return rc;
		if (b < a)
			return error(s, "flush_tlb_kernel_range: END is below START");
		flush_tlb_kernel_range(s->m, a, b);
	}
	return 0;
}

/* kmap NAME / kunmap NAME: the first page of an allocated block. */
static int cmd_kmap(struct scenario *s, int argc, char **argv, bool map)
{
	int rc;

	if ((rc = need_args(s, argc, 2, 2, map ? "kmap NAME" : "kunmap NAME")))
		return rc;
	struct binding *b = find_live_block(s, argv[1], &rc);
	if (!b)
		return rc;
	struct page *page = pfn_to_page(s->m, b->pfn);
	if (!map) {
		kunmap(s->m, page);
		return 0;
	}
	bool must_sleep;
	kmap(s->m, page, &must_sleep);
	if (!must_sleep)
		return 0;
	if (s->in_run)
		return RC_BLOCKED;
	/* The top level has nobody to wait for: this task would hang forever. */
	struct task_struct *t = get_current(s->m);
	finish_wait(s->m);
	printk(s->m, "INFO: task %s:%d blocked for more than 120 seconds.\n", t->comm, t->pid);
	return error(s, "kmap %s would sleep forever: all %u pkmap slots are in use and no other "
		     "task runs (see 'task' and 'run')", argv[1], s->m->profile->last_pkmap);
}

/* kmap_atomic VAR NAME [KM_TYPE] / kmap_local VAR NAME: VAR gets the address. */
static int cmd_kmap_atomic(struct scenario *s, int argc, char **argv, bool local)
{
	int rc, type = 0;

	if ((rc = need_args(s, argc, 3, 4, local ? "kmap_local VAR NAME" : "kmap_atomic VAR NAME [KM_TYPE]")))
		return rc;
	if (s->m->profile->km_type_nr && !local) {
		if (argc < 4)
			return error(s, "the classic profile's kmap_atomic needs a KM_TYPE (e.g. KM_USER0)");
		if ((type = km_type_from_name(argv[3])) < 0)
			return error(s, "'%s' is not a km_type (KM_USER0, KM_USER1, KM_IRQ0 ...)", argv[3]);
	} else if (argc > 3) {
		return error(s, "this profile's kmap_atomic takes no KM_TYPE (6.1 uses a per-task stack)");
	}
	struct binding *b = find_live_block(s, argv[2], &rc);
	if (!b)
		return rc;
	struct page *page = pfn_to_page(s->m, b->pfn);
	uint64_t va = local ? kmap_local_page(s->m, page) : kmap_atomic(s->m, page, type);
	return va ? bind_addr(s, argv[1], va) : 0;
}

static int cmd_kunmap_atomic(struct scenario *s, int argc, char **argv, bool local)
{
	int rc, type = 0;
	uint64_t va;

	if ((rc = need_args(s, argc, 2, 3, local ? "kunmap_local VAR" : "kunmap_atomic VAR [KM_TYPE]")) ||
	    (rc = parse_addr(s, argv[1], &va)))
		return rc;
	if (s->m->profile->km_type_nr && !local) {
		if (argc < 3 || (type = km_type_from_name(argv[2])) < 0)
			return error(s, "the classic profile's kunmap_atomic needs the KM_TYPE it was mapped with");
	}
	if (local)
		kunmap_local(s->m, va);
	else
		kunmap_atomic(s->m, va, type);
	return 0;
}


static struct named_completion *find_completion(struct scenario *s, const char *name, bool create)
{
	for (struct named_completion *c = s->completions; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	if (!create || strlen(name) >= sizeof(s->completions->name))
		return NULL;
	struct named_completion *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	snprintf(c->name, sizeof(c->name), "%s", name);
	init_completion(&c->x, c->name);
	c->next = s->completions;
	s->completions = c;
	return c;
}

/* complete EVENT / wait_for_completion EVENT / msleep MS: synchronising tasks. */
static int cmd_sync(struct scenario *s, int argc, char **argv)
{
	int rc;

	if (!strcmp(argv[0], "msleep")) {
		unsigned long ms;
		if ((rc = need_args(s, argc, 2, 2, "msleep MS")) ||
		    (rc = parse_ulong(s, argv[1], "milliseconds", 3600000, &ms)))
			return rc;
		if (!s->in_run) {
			mmsim_advance_clock(s->m, ms * 1000000ULL);
			return 0;
		}
		struct task_struct *t = get_current(s->m);
		struct task_prog *p = t->owner_data;
		if (p->resumed)
			return 0;	/* the timer fired: this msleep is over */
		msleep(s->m, (unsigned int)ms);
		return RC_BLOCKED;
	}
	if ((rc = need_args(s, argc, 2, 2, !strcmp(argv[0], "complete") ? "complete EVENT"
									    : "wait_for_completion EVENT")))
		return rc;
	struct named_completion *c = find_completion(s, argv[1], true);
	if (!c)
		return error(s, "completion name '%s' is too long or out of memory", argv[1]);
	if (!strcmp(argv[0], "complete")) {
		complete(s->m, &c->x);
		return 0;
	}
	if (wait_for_completion_or_sleep(s->m, &c->x))
		return 0;
	if (s->in_run)
		return RC_BLOCKED;
	finish_wait(s->m);
	return error(s, "wait_for_completion %s would sleep forever: nothing else runs", argv[1]);
}

/* ---- tasks -------------------------------------------------------------------- */

static int prog_add(struct scenario *s, struct task_prog *p, const char *line, unsigned long lineno)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		char **lines = realloc(p->lines, cap * sizeof(*lines));
		unsigned long *nos = lines ? realloc(p->lineno, cap * sizeof(*nos)) : NULL;
		if (lines)
			p->lines = lines;
		if (!lines || !nos)
			return error(s, "out of host memory for a task");
		p->lineno = nos;
		p->cap = cap;
	}
	if (!(p->lines[p->n] = strdup(line)))
		return error(s, "out of host memory for a task");
	p->lineno[p->n++] = lineno;
	return 0;
}

/* A task body line: commands split on ';', repeat unrolled into steps. */
static int prog_add_line(struct scenario *s, struct task_prog *p, char *line)
{
	for (char *cmd = line, *next; cmd; cmd = next) {
		next = strchr(cmd, ';');
		if (next)
			*next++ = '\0';
		while (*cmd == ' ' || *cmd == '\t')
			cmd++;
		if (!*cmd)
			continue;
		if (strncmp(cmd, "repeat", 6) || (cmd[6] != ' ' && cmd[6] != '\t')) {
			int rc = prog_add(s, p, cmd, s->line);
			if (rc)
				return rc;
			continue;
		}
		unsigned long n;
		const char *body;
		int rc = parse_repeat(s, cmd + 6, 1000000, &n, &body);
		for (unsigned long i = 0; i < n && !rc; i++) {
			char *expanded = expand_repeat(body, i);
			rc = expanded ? prog_add(s, p, expanded, s->line)
				      : error(s, "out of host memory for a task");
			free(expanded);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int cmd_task(struct scenario *s, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[2], "{"))
		return error(s, "usage: task NAME {   (then commands, then a line with })");
	if (strlen(argv[1]) >= TASK_COMM_LEN)
		return error(s, "task name '%s' is longer than %d characters", argv[1], TASK_COMM_LEN - 1);
	if (task_find(s->m, argv[1]))
		return error(s, "task '%s' already exists", argv[1]);
	if (s->in_run)
		return error(s, "a task cannot define another task");
	struct task_prog *p = calloc(1, sizeof(*p));
	if (!p)
		return error(s, "out of host memory");
	struct task_struct *t = task_create(s->m, argv[1], p);
	if (!t) {
		free(p);
		return error(s, "out of host memory");
	}
	t->state = TASK_DEAD;	/* not runnable until its body is complete */
	s->collecting = p;
	s->collect_line = s->line;
	return 0;
}

/*
 * run: let the tasks run to completion, one command per scheduling step, the
 * next task drawn from the seed. A task whose command must sleep is retried
 * from that command once woken. Tasks that can never wake are reported
 * as the hung-task detector would.
 */
static int cmd_run(struct scenario *s, int argc, char **argv)
{
	struct machine *m = s->m;
	struct task_struct *init = &m->sched->init_task;
	unsigned long steps = 0, switches = m->sched->switches;
	int rc = 0, finished = 0;

	(void)argv;
	if ((rc = need_args(s, argc, 1, 1, "run")))
		return rc;
	if (s->in_run)
		return error(s, "run cannot be nested in a task");
	const char *where = s->where;
	unsigned long line = s->line;
	s->in_run = true;
	while (steps < MAX_TASK_STEPS) {
		struct task_struct *t = pick_next_task(m);
		if (!t)
			break;
		struct task_prog *p = t->owner_data;
		switch_to(m, t);
		s->line = p->lineno[p->pc];
		char *cmd = strdup(p->lines[p->pc]);
		if (!cmd) {
			rc = error(s, "out of host memory");
			break;
		}
		/* Who is asleep now, to tell whom this step wakes. */
		struct list_head *pos;
		list_for_each(pos, &m->sched->tasks) {
			struct task_struct *o = list_entry(pos, struct task_struct, tasks);
			o->was_asleep = o->state == TASK_UNINTERRUPTIBLE;
		}
		const char *done_line = p->lines[p->pc];
		rc = run_command(s, cmd);
		steps++;
		if (rc == RC_BLOCKED) {
			fprintf(s->out, "[%s] %s: sleeps (%s)\n", t->comm, done_line,
				t->waiting_on ? t->waiting_on : "?");
			p->resumed = true;
			rc = 0;
		} else if (rc == 0) {
			if (p->resumed && strncmp(done_line, "msleep", 6))
				fprintf(s->out, "[%s] %s: woken, retried, done\n", t->comm, done_line);
			p->resumed = false;
			list_for_each(pos, &m->sched->tasks) {
				struct task_struct *o = list_entry(pos, struct task_struct, tasks);
				if (o->was_asleep && o->state == TASK_RUNNING)
					fprintf(s->out, "[%s] %s: wakes %s\n", t->comm, done_line, o->comm);
			}
			if (++p->pc == p->n) {
				fprintf(s->out, "[%s] exits\n", t->comm);
				task_exit(m, t);
				finished++;
			}
		}
		free(cmd);
		if (rc)
			break;
	}
	s->in_run = false;
	switch_to(m, init);
	s->where = where;
	s->line = line;
	if (rc)
		return rc;
	/* Whoever is left can never wake: nothing else runs. */
	struct list_head *pos;
	int blocked = 0;
	list_for_each(pos, &m->sched->tasks) {
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);
		if (t->state == TASK_UNINTERRUPTIBLE) {
			printk(m, "INFO: task %s:%d blocked for more than 120 seconds.\n", t->comm, t->pid);
			fprintf(s->out, "run: task %s is blocked forever (deadlock)\n", t->comm);
			blocked++;
		}
	}
	if (steps >= MAX_TASK_STEPS)
		fprintf(s->out, "run: stopped after %lu steps\n", steps);
	fprintf(s->out, "run: %d task%s finished, %d blocked, %lu steps, %lu context switches\n",
		finished, finished == 1 ? "" : "s", blocked, steps, m->sched->switches - switches);
	return 0;
}


/* repeat N COMMAND...: "$i" in COMMAND becomes 0, 1, ... N-1. */
static int cmd_repeat(struct scenario *s, char *rest)
{
	unsigned long n;
	const char *body;
	int rc = parse_repeat(s, rest, MAX_REPEAT, &n, &body);

	s->depth++;
	for (unsigned long i = 0; i < n && !rc; i++) {
		char *cmd = expand_repeat(body, i);
		rc = cmd ? run_command(s, cmd) : error(s, "out of host memory");
		free(cmd);
	}
	s->depth--;
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
	if (!strcmp(cmd, "peek"))
		return cmd_peek(s, argc, argv);
	if (!strcmp(cmd, "poke"))
		return cmd_poke(s, argc, argv);
	if (!strcmp(cmd, "translate"))
		return cmd_translate(s, argc, argv);
	if (!strcmp(cmd, "walk"))
		return cmd_walk(s, argc, argv);
	if (!strcmp(cmd, "set_pte") || !strcmp(cmd, "clear_pte"))
		return cmd_set_pte(s, argc, argv, !strcmp(cmd, "clear_pte"));
	if (!strcmp(cmd, "flush_tlb_all") || !strcmp(cmd, "flush_tlb_one") ||
	    !strcmp(cmd, "flush_tlb_kernel_range"))
		return cmd_flush(s, argc, argv);
	if (!strcmp(cmd, "layout")) {
		if ((rc = need_args(s, argc, 1, 1, "layout")))
			return rc;
		show_virtual_layout(s->m, s->out, false);
		return 0;
	}
	if (!strcmp(cmd, "tlb")) {
		if ((rc = need_args(s, argc, 1, 1, "tlb")))
			return rc;
		mmu_stats_show(s->m, s->out);
		return 0;
	}
	if (!strcmp(cmd, "kmap") || !strcmp(cmd, "kunmap"))
		return cmd_kmap(s, argc, argv, !strcmp(cmd, "kmap"));
	if (!strcmp(cmd, "kmap_atomic") || !strcmp(cmd, "kmap_local"))
		return cmd_kmap_atomic(s, argc, argv, !strcmp(cmd, "kmap_local"));
	if (!strcmp(cmd, "kunmap_atomic") || !strcmp(cmd, "kunmap_local"))
		return cmd_kunmap_atomic(s, argc, argv, !strcmp(cmd, "kunmap_local"));
	if (!strcmp(cmd, "kmapinfo")) {
		if ((rc = need_args(s, argc, 1, 1, "kmapinfo")))
			return rc;
		kmap_stats_show(s->m, s->out);
		return 0;
	}
	if (!strcmp(cmd, "task"))
		return cmd_task(s, argc, argv);
	if (!strcmp(cmd, "complete") || !strcmp(cmd, "wait_for_completion") || !strcmp(cmd, "msleep"))
		return cmd_sync(s, argc, argv);
	if (!strcmp(cmd, "run"))
		return cmd_run(s, argc, argv);
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
	char why[256];
	rc = slab_scenario_command(s->m, argc, argv, s->out, why, sizeof(why));
	if (rc == 1)
		rc = vmalloc_scenario_command(s->m, argc, argv, s->out, why, sizeof(why));
	if (rc == 0)
		return 0;
	if (rc == 2)
		return error(s, "%s", why);
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
		if (s->collecting) {
			char *t = line + strspn(line, " \t");
			if (!strcmp(t, "}") || !strncmp(t, "} ", 2)) {
				struct task_prog *p = s->collecting;
				s->collecting = NULL;
				struct list_head *pos;
				list_for_each(pos, &s->m->sched->tasks) {
					struct task_struct *tk = list_entry(pos, struct task_struct, tasks);
					if (tk->owner_data == p)
						tk->state = p->n ? TASK_RUNNING : TASK_DEAD;
				}
			} else {
				rc = prog_add_line(s, s->collecting, line);
			}
			free(line);
			text += len;
			if (*text)
				text++;
			continue;
		}
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
	if (!rc && s->collecting) {
		s->line = s->collect_line;
		rc = error(s, "task body is not closed with '}'");
	}
	fflush(s->out);
	return rc;
}
