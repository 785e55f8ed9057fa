/* main.c — the mmsim command: options, then a script, the shell or the demo.
 *
 *   mmsim [MACHINE OPTIONS] [-e TEXT | SCRIPT | - | demo | shell]
 *
 * With no script on a terminal it starts the interactive shell; with no
 * script and standard input not a terminal it runs standard input as a
 * script. Bad options or input print one line on stderr and exit with
 * status 2. The options' table below is also the man page's OPTIONS. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mmsim/machine.h>
#include <mmsim/process.h>

#include "cli/demo.h"
#include "cli/engine.h"
#include "cli/exec.h"
#include "cli/shell.h"
#include "cli/trace_sink.h"

#ifndef MMSIM_VERSION
#define MMSIM_VERSION "unknown"
#endif

#define MAX_SCRIPT_BYTES (64u << 20)
#define MAX_CMDLINE 2048	/* COMMAND_LINE_SIZE on x86 */

enum { OPT_VERSION = 256, OPT_LIST, OPT_MAN, OPT_CMDLINE, OPT_EXEC, OPT_TIMEOUT, OPT_RANDMAPS, OPT_STRACE, OPT_CPU_BACKEND, OPT_CONFIG,
       OPT_MAX_STEPS, OPT_HOST_MEM_LIMIT, OPT_PHYS_BITS, OPT_MEMMAP, OPT_TRACE, OPT_TRACE_LIMIT, OPT_TRACE_EVENTS,
       OPT_JSON, OPT_REPORT };

/* The options, their argument, and what they do: --help and the man page. */
static const struct {
	struct option opt;
	const char *arg, *help;
} options[] = {
	{ { "arch", required_argument, NULL, 'a' }, "i386|x86_64",
	  "the machine: 32-bit x86 with the 3G/1G split and HIGHMEM (default), or x86_64" },
	{ { "mem", required_argument, NULL, 'm' }, "SIZE",
	  "RAM, 16M to 1T (default 2048M), laid out as QEMU's pc machine lays it out" },
	{ { "e820", required_argument, NULL, 'E' }, "qemu|FILE",
	  "the BIOS memory map: QEMU's for --mem (default), or one read from FILE" },
	{ { "cpus", required_argument, NULL, 'c' }, "N", "CPUs, 1 to the kernel's NR_CPUS (default 2)" },
	{ { "phys-bits", required_argument, NULL, OPT_PHYS_BITS }, "N",
	  "x86_64: the CPU's physical address bits, 32 to 52 (default: qemu64's 40, or 48 where "
	  "QEMU needs more to place the RAM, past 1009G)" },
	{ { "memmap", required_argument, NULL, OPT_MEMMAP }, "lazy|eager",
	  "write the host's struct pages when first used (default), or all at boot: the same "
	  "machine either way, the eager one costing host time and memory in proportion to RAM" },
	{ { "profile", required_argument, NULL, 'p' }, "linux-6.1|classic",
	  "the kernel: Debian 12's Linux 6.1 (default), or the 2.6-era layout the textbooks draw" },
	{ { "cmdline", required_argument, NULL, OPT_CMDLINE }, "TEXT",
	  "kernel command-line parameters (mem=, vmalloc=, norandmaps, nokaslr ...)" },
	{ { "config", required_argument, NULL, OPT_CONFIG }, "NAME=y|n",
	  "build the kernel with CONFIG_NAME on or off (repeatable; Debian's 6.1 has none of: "
	  "CONFIG_OPTIONS)" },
	{ { "seed", required_argument, NULL, 's' }, "N",
	  "the seed that decides how tasks interleave (default 1)" },
	{ { "initrd", required_argument, NULL, 'i' }, "SIZE",
	  "an initramfs of SIZE bytes, loaded as QEMU loads one and freed at the end of boot" },
	{ { "kernel-at", required_argument, NULL, 'k' }, "ADDR",
	  "load the kernel image at ADDR (2 MiB aligned, from 16M) instead of 16M" },
	{ { "exec", required_argument, NULL, OPT_EXEC }, "PROGRAM [ARGS...]",
	  "run a static program on the simulated kernel (its code on a CPU: see --cpu-backend); the last option" },
	{ { "cpu-backend", required_argument, NULL, OPT_CPU_BACKEND }, "kvm|unicorn|auto",
	  "what runs the programs' code: the host CPU through KVM, an emulated CPU (Unicorn), "
	  "or KVM where usable and Unicorn otherwise (default)" },
	{ { "strace", no_argument, NULL, OPT_STRACE }, NULL,
	  "with --exec: list the program's system calls on stderr" },
	{ { "randmaps", no_argument, NULL, OPT_RANDMAPS }, NULL,
	  "with --exec: randomize the address space (by default --exec boots with norandmaps)" },
	{ { "trace", required_argument, NULL, OPT_TRACE }, "FILE",
	  "write the kernel's trace events (kmem:mm_page_alloc, exceptions:page_fault_user, "
	  "vmscan:..., oom:mark_victim ...) after boot to FILE ('-': stdout), one JSON object a line" },
	{ { "trace-events", required_argument, NULL, OPT_TRACE_EVENTS }, "LIST",
	  "with --trace: only these, SYSTEM or SYSTEM:EVENT, comma-separated (default: all)" },
	{ { "trace-limit", required_argument, NULL, OPT_TRACE_LIMIT }, "N",
	  "with --trace: at most N events (default 10000000, at most 10^9); the rest are counted "
	  "in a last trace:dropped line" },
	{ { "report", required_argument, NULL, OPT_REPORT }, "FILE.html",
	  "record the scenario from boot and write a visual report of its end to FILE.html "
	  "(docs/report.md): one self-contained file that opens offline in a browser" },
	{ { "json", no_argument, NULL, OPT_JSON }, NULL,
	  "print each /proc file that cat shows as a JSON document (docs/json.md), and any other "
	  "command's output as {\"command\", \"output\"}: one document a line" },
	{ { "timeout", required_argument, NULL, OPT_TIMEOUT }, "SECONDS",
	  "with --exec: kill the program after this many seconds of host time" },
	{ { "max-steps", required_argument, NULL, OPT_MAX_STEPS }, "N",
	  "end the scenario with an error after N steps (commands run, repeat iterations and task "
	  "steps included; default 10000000, at most 10^12)" },
	{ { "host-mem-limit", required_argument, NULL, OPT_HOST_MEM_LIMIT }, "SIZE",
	  "end the scenario with an error once the simulator's own host memory (names, task bodies, "
	  "pipes, swap contents; not the machine's RAM) grows by more than SIZE (default 4G)" },
	{ { NULL, required_argument, NULL, 'e' }, "TEXT",
	  "run TEXT as the scenario (commands separated by newlines or ';')" },
	{ { "list-commands", optional_argument, NULL, OPT_LIST }, "[=markdown]",
	  "print every scenario command, one a line (markdown: docs/scenario.md's tables)" },
	{ { "man", no_argument, NULL, OPT_MAN }, NULL, "print this manual page (roff)" },
	{ { "version", no_argument, NULL, OPT_VERSION }, NULL, "print mmsim's version" },
	{ { "help", no_argument, NULL, 'h' }, NULL, "print the usage" },
};

/*
 * An option's help, with the library's list of configuration options in
 * place of CONFIG_OPTIONS: the table of known options lives in one place.
 */
static const char *option_help(size_t i, char *buf, size_t len)
{
	const char *help = options[i].help, *mark = strstr(help, "CONFIG_OPTIONS");
	char names[256] = "";
	const char *name;

	if (!mark)
		return help;
	for (unsigned int k = 0; (name = mmsim_config_name(k, NULL)); k++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", k ? ", " : "",
			 name);
	snprintf(buf, len, "%.*s%s%s", (int)(mark - help), help, names, mark + strlen("CONFIG_OPTIONS"));
	return buf;
}

static void usage(FILE *out)
{
	fputs("usage: mmsim [OPTIONS] [-e TEXT | SCRIPT | - | demo | shell]\n\n"
	      "Boot a simulated machine running Linux's memory management and run scenario\n"
	      "commands from SCRIPT ('-': standard input), from TEXT, in the interactive\n"
	      "shell (the default on a terminal; standard input otherwise), or the demo.\n\n",
	      out);
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		char head[64];
		const struct option *o = &options[i].opt;
		if (o->name)
			snprintf(head, sizeof(head), "--%s%s%s", o->name,
				 options[i].arg && options[i].arg[0] != '[' ? " " : "",
				 options[i].arg ? options[i].arg : "");
		else
			snprintf(head, sizeof(head), "-%c %s", o->val, options[i].arg);
		char help[512];
		fprintf(out, "  %-28s %s\n", head, option_help(i, help, sizeof(help)));
	}
	fputs("\n'help' inside a scenario lists the commands; docs/scenario.md describes them.\n",
	      out);
}

/* mmsim(1): the options' table and the command tables, in roff. */
static void man_page(FILE *out)
{
	fprintf(out, ".TH MMSIM 1 \"\" \"mmsim %s\" \"User Commands\"\n", MMSIM_VERSION);
	fputs(".SH NAME\nmmsim \\- the Linux memory-management subsystem, simulated in user space\n"
	      ".SH SYNOPSIS\n.B mmsim\n[\\fIOPTIONS\\fR] [\\fB\\-e\\fR \\fITEXT\\fR | \\fISCRIPT\\fR | "
	      "\\fB\\-\\fR | \\fBdemo\\fR | \\fBshell\\fR]\n"
	      ".SH DESCRIPTION\nmmsim boots a simulated PC (32-bit x86 with the 3G/1G split and HIGHMEM,\n"
	      "or x86_64) and runs Linux 6.1's memory management inside it for real: the e820\n"
	      "map, memblock, zones and watermarks, the buddy allocator, SLUB and kmalloc,\n"
	      "vmalloc, high-memory kmaps, page tables walked by a software MMU with TLBs,\n"
	      "and deterministic kernel tasks. It prints what the real kernel prints.\n"
	      "Scenario commands come from \\fISCRIPT\\fR (\\fB\\-\\fR: standard input), from\n"
	      "\\fB\\-e\\fR, from the interactive \\fBshell\\fR (the default when standard input\n"
	      "is a terminal), or from the built-in \\fBdemo\\fR.\n"
	      "Bad input prints one line, \\fIWHERE\\fR:\\fILINE\\fR: \\fImessage\\fR, and exits\n"
	      "with status 2.\n.SH OPTIONS\n", out);
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		const struct option *o = &options[i].opt;
		if (o->name)
			fprintf(out, ".TP\n.BR \\-\\-%s", o->name);
		else
			fprintf(out, ".TP\n.BR \\-%c", o->val);
		if (options[i].arg)
			fprintf(out, options[i].arg[0] == '[' ? " \"%s\"" : " \" %s\"", options[i].arg);
		char help[512];
		fprintf(out, "\n%s\n", option_help(i, help, sizeof(help)));
	}
	fputs(".SH COMMANDS\nCommands are separated by newlines or ';'. A word beginning with '#'\n"
	      "starts a comment that runs to the end of the line. Output may be piped into\n"
	      "the filters (\\fICOMMAND\\fR | \\fBtail\\fR) and written to a sysctl\n"
	      "(\\fBecho\\fR \\fIVALUE\\fR > /proc/sys/vm/\\fINAME\\fR).\n", out);
	cli_commands_man(out);
	fputs(".SH EXIT STATUS\n0 when the scenario ran; 2 for bad options or input; the status\n"
	      "given to \\fBexit\\fR.\n.SH SEE ALSO\n\\fBfree\\fR(1), \\fBvmstat\\fR(8), "
	      "\\fBslabtop\\fR(1), \\fBsysctl\\fR(8), \\fBdmesg\\fR(1), \\fBproc\\fR(5)\n", out);
}

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int die(const char *fmt, ...)
{
	va_list ap;

	fputs("mmsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

#define TRACE_LIMIT_DEFAULT 10000000

/* --trace: events from here on (the boot is not traced) go to the sink. Nonzero: said why. */
static int trace_start(struct machine *m, struct trace_sink *sink, const char *path,
		       const char *events, uint64_t limit)
{
	char err[256];

	if (!path) {
		if (events || limit != TRACE_LIMIT_DEFAULT)
			return die("--trace-events and --trace-limit go with --trace FILE");
		return 0;
	}
	if (trace_sink_open(sink, path, limit, events, err, sizeof(err)))
		return die("%s", err);
	mmsim_set_tracer(m, trace_sink_event, sink);
	return 0;
}

/* The run's events only: tearing the machine down is not the kernel's work. -1: writing failed. */
static int trace_stop(struct machine *m, struct trace_sink *sink)
{
	mmsim_set_tracer(m, NULL, NULL);
	return trace_sink_close(sink);
}

/* Read a whole file ("-" = stdin) into a NUL-terminated buffer. */
static char *read_file(const char *path, const char **why)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t len = 0, cap = 4096;
	char *buf;

	*why = NULL;
	if (!f) {
		*why = strerror(errno);
		return NULL;
	}
	buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len + 1 < cap) {
			if (ferror(f)) {
				*why = strerror(errno);
				free(buf);
				buf = NULL;
			}
			break;
		}
		if (cap >= MAX_SCRIPT_BYTES) {
			*why = "file too large (at most 64 MiB)";
			free(buf);
			buf = NULL;
			break;
		}
		char *bigger = realloc(buf, cap * 2);
		if (!bigger)
			free(buf);
		buf = bigger;
		cap *= 2;
	}
	if (f != stdin)
		fclose(f);
	if (!buf) {
		if (!*why)
			*why = "out of memory";
		return NULL;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		*why = "binary data (NUL bytes) in a text file";
		free(buf);
		return NULL;
	}
	return buf;
}

int main(int argc, char **argv)
{
	struct option longopts[sizeof(options) / sizeof(options[0]) + 1];
	struct machine_desc desc;
	const char *text = NULL, *e820_arg = "qemu", *list = NULL, *exec_path = NULL;
	double timeout_s = 0;
	uint64_t max_steps = 0, host_mem_limit = 0, trace_limit = TRACE_LIMIT_DEFAULT;
	const char *trace_path = NULL, *trace_events = NULL, *report_path = NULL;
	bool randmaps = false, strace = false, json = false;
	bool mem_given = false, man = false;
	size_t nopts = 0;
	int opt;

	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (options[i].opt.name)
			longopts[nopts++] = options[i].opt;
	longopts[nopts] = (struct option){ NULL, 0, NULL, 0 };
	if (cli_registry_check(stderr))
		return 2;
	mmsim_desc_init(&desc);
	opterr = 0;
	while (!exec_path && (opt = getopt_long(argc, argv, ":e:h", longopts, NULL)) != -1) {
		uint64_t v;
		switch (opt) {
		case OPT_EXEC:
			/* The rest of the command line is the program's. */
			exec_path = optarg;
			break;
		case OPT_STRACE:
			strace = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_REPORT:
			report_path = optarg;
			break;
		case OPT_CPU_BACKEND:
			if (strcmp(optarg, "kvm") && strcmp(optarg, "unicorn") && strcmp(optarg, "auto"))
				return die("--cpu-backend: '%s' is not a backend (kvm, unicorn, auto)", optarg);
			desc.cpu_backend = optarg;
			break;
		case OPT_RANDMAPS:
			randmaps = true;
			break;
		case OPT_MAX_STEPS:
			if (parse_number(optarg, &max_steps) || !max_steps || max_steps > CLI_MAX_STEPS_LIMIT)
				return die("--max-steps: '%s' is not a step count (1..%llu)", optarg,
					   CLI_MAX_STEPS_LIMIT);
			break;
		case OPT_HOST_MEM_LIMIT:
			if (parse_size(optarg, &host_mem_limit) || host_mem_limit < (1ULL << 20) ||
			    host_mem_limit > (1ULL << 40))
				return die("--host-mem-limit: '%s' is not a size from 1M to 1T", optarg);
			break;
		case OPT_TIMEOUT: {
			char *end;
			errno = 0;
			timeout_s = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(timeout_s > 0 && timeout_s <= 86400))
				return die("--timeout: '%s' is not a number of seconds (0 < S <= 86400)", optarg);
			break;
		}
		case 'a':
			if (!strcmp(optarg, "i386"))
				desc.arch = MMSIM_ARCH_I386;
			else if (!strcmp(optarg, "x86_64"))
				desc.arch = MMSIM_ARCH_X86_64;
			else
				return die("--arch: '%s' is not an architecture (i386, x86_64)", optarg);
			break;
		case 'm':
			if (parse_size(optarg, &v))
				return die("--mem: '%s' is not a size (e.g. 512M, 2G)", optarg);
			if (v < (16ULL << 20) || v > MMSIM_MAX_MEM_BYTES)
				return die("--mem: %s is outside 16M..1T", optarg);
			desc.mem_bytes = v & ~4095ULL;
			mem_given = true;
			break;
		case 'E':
			e820_arg = optarg;
			break;
		case 'c':
			if (parse_number(optarg, &v) || v < 1 || v > 1024)
				return die("--cpus: '%s' is not a CPU count (1..1024)", optarg);
			desc.nr_cpus = (unsigned int)v;
			break;
		case 'p':
			if (strcmp(optarg, "linux-6.1") && strcmp(optarg, "classic"))
				return die("--profile: '%s' is not a profile (linux-6.1, classic)", optarg);
			desc.profile = optarg;
			break;
		case OPT_TRACE:
			trace_path = optarg;
			break;
		case OPT_TRACE_EVENTS:
			trace_events = optarg;
			break;
		case OPT_TRACE_LIMIT:
			if (parse_number(optarg, &trace_limit) || !trace_limit || trace_limit > 1000000000)
				return die("--trace-limit: '%s' is not a number of events (1..10^9)", optarg);
			break;
		case OPT_MEMMAP:
			if (strcmp(optarg, "lazy") && strcmp(optarg, "eager"))
				return die("--memmap: '%s' is not lazy or eager", optarg);
			desc.memmap_eager = !strcmp(optarg, "eager");
			break;
		case OPT_PHYS_BITS:
			if (parse_number(optarg, &v) || v < 32 || v > 52)
				return die("--phys-bits: '%s' is not a physical address width (32..52)", optarg);
			desc.phys_bits = (unsigned int)v;
			break;
		case OPT_CONFIG: {
			char err[256];
			if (mmsim_desc_config(&desc, optarg, err, sizeof(err)))
				return die("%s", err);
			break;
		}
		case OPT_CMDLINE:
			if (strlen(optarg) >= MAX_CMDLINE)
				return die("--cmdline: longer than the kernel's %d bytes", MAX_CMDLINE - 1);
			desc.cmdline = optarg;
			break;
		case 's':
			if (parse_number(optarg, &v))
				return die("--seed: '%s' is not a number", optarg);
			desc.seed = v;
			break;
		case 'i':
			if (parse_size(optarg, &v) || v > (1ULL << 30))
				return die("--initrd: '%s' is not a size up to 1G", optarg);
			desc.initrd_bytes = v;
			break;
		case 'k':
			if (parse_number(optarg, &v) || (v & 0x1fffff) || v < (16ULL << 20))
				return die("--kernel-at: '%s' must be a 2 MiB aligned address from 16M",
					   optarg);
			desc.kernel_phys = v;
			break;
		case 'e':
			if (text)
				return die("-e given twice; separate commands with ';' instead");
			text = optarg;
			break;
		case OPT_LIST:
			list = optarg ? optarg : "names";
			if (strcmp(list, "names") && strcmp(list, "markdown"))
				return die("--list-commands: '%s' is not a format (names, markdown)", list);
			break;
		case OPT_MAN:
			man = true;
			break;
		case OPT_VERSION:
			printf("mmsim %s\n", MMSIM_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			if (strncmp(argv[optind - 1], "--", 2))
				return die("-%c needs an argument", optopt);
			return die("%s needs an argument", argv[optind - 1]);
		default:
			/* A short option inside a cluster (-xyz) is named alone: optind has not moved past it. */
			if (optopt)
				return die("unknown option '-%c' (see mmsim --help)", optopt);
			return die("unknown option '%s' (see mmsim --help)", argv[optind - 1]);
		}
	}
	if (man) {
		man_page(stdout);
		return fflush(stdout) ? 2 : 0;
	}
	if (list) {
		if (!strcmp(list, "names")) {
			cli_list_commands(stdout);
		} else {
			for (size_t s = 0; s < nr_cli_command_sets; s++) {
				printf("<!-- commands: %s (made by tools/gen-docs from the command "
				       "table) -->\n", cli_command_sets[s]->id);
				cli_commands_markdown(stdout, cli_command_sets[s]);
				printf("<!-- end commands -->\n");
			}
		}
		return fflush(stdout) ? 2 : 0;
	}
	if (exec_path) {
		if (text)
			return die("give either -e TEXT or --exec PROGRAM, not both");
		if (report_path)
			return die("--report goes with a scenario (-e TEXT or SCRIPT), not --exec");
		/*
		 * norandmaps, so that a run is laid out as the oracle's
		 * captures are (and as the same run again).
		 */
		char cmdline[MAX_CMDLINE + 16];
		if (!randmaps) {
			snprintf(cmdline, sizeof(cmdline), "%s%snorandmaps", desc.cmdline ? desc.cmdline : "",
				 desc.cmdline && *desc.cmdline ? " " : "");
			desc.cmdline = cmdline;
		}
		char err[256];
		struct machine *m = mmsim_boot(&desc, err, sizeof(err));
		if (!m)
			return die("%s", err);
		/* argv[0] of the program is PROGRAM as given; the rest follow it. */
		argv[optind - 1] = (char *)exec_path;
		if (strace)
			mmsim_trace_syscalls(m, stderr);
		struct trace_sink sink = { 0 };
		if (trace_start(m, &sink, trace_path, trace_events, trace_limit)) {
			mmsim_destroy(m);
			return 2;
		}
		int rc = cli_exec(m, argv + optind - 1, timeout_s, stderr);
		if (trace_stop(m, &sink) && !rc)
			rc = die("--trace %s: error writing the trace", trace_path);
		mmsim_destroy(m);
		return rc;
	}
	const char *script = NULL;
	if (optind < argc)
		script = argv[optind++];
	if (optind < argc)
		return die("unexpected argument '%s'", argv[optind]);
	if (script && text)
		return die("give either -e TEXT or a SCRIPT, not both");
	bool demo = script && !strcmp(script, "demo"), shell = script && !strcmp(script, "shell");
	if (!script && !text)
		shell = isatty(STDIN_FILENO);
	if (!script && !text && !shell)
		script = "-";

	if (strcmp(e820_arg, "qemu")) {
		const char *why;
		char *map = read_file(e820_arg, &why);
		char err[256];
		if (!map)
			return die("--e820 %s: %s", e820_arg, why);
		if (mem_given) {
			free(map);
			return die("--mem and --e820 FILE both give the RAM size; use one");
		}
		int rc = mmsim_e820_parse(map, &desc.e820, err, sizeof(err));
		free(map);
		if (rc) {
			fprintf(stderr, "mmsim: %s:%s\n", e820_arg, err);
			return 2;
		}
		desc.e820_given = true;
	}

	char *owned = NULL;
	const char *where = "-e";
	if (demo) {
		text = demo_scenario(desc.arch);
		where = "demo";
	} else if (script && !shell) {
		const char *why;
		owned = read_file(script, &why);
		if (!owned)
			return die("%s: %s", script, why);
		text = owned;
		where = strcmp(script, "-") ? script : "<stdin>";
	}

	char err[256];
	struct machine *m = mmsim_boot(&desc, err, sizeof(err));
	if (!m) {
		free(owned);
		return die("%s", err);
	}
	struct trace_sink sink = { 0 };
	if (trace_start(m, &sink, trace_path, trace_events, trace_limit)) {
		mmsim_destroy(m);
		free(owned);
		return 2;
	}
	struct cli *c = cli_new(m, stdout, stderr);
	int rc = 0;
	if (c) {
		cli_set_limits(c, max_steps, host_mem_limit);
		c->json = json;
		/* One tracer for --trace and the report: the session's. */
		c->trace_sink = trace_path ? &sink : NULL;
		cli_update_tracer(c);
		if (report_path && cli_report_start(c))
			rc = die("out of memory for the report");
	}
	if (!c)
		rc = die("out of memory");
	else if (rc)
		;
	else if (shell)
		rc = cli_shell(c, &desc);
	else
		rc = cli_run_text(c, where, text);
	/* The report of the end, even of a scenario that stopped on an error: nothing is lost. */
	if (c && report_path && c->report) {
		char why[320];
		if (cli_report_write(c, report_path, where, false, why, sizeof(why)) && !rc)
			rc = die("--report: %s", why);
	}
	if (c)
		c->trace_sink = NULL;
	if (trace_stop(m, &sink) && !rc)
		rc = die("--trace %s: error writing the trace", trace_path);
	cli_free(c);
	mmsim_destroy(m);
	free(owned);
	if (fflush(stdout) || ferror(stdout))
		return die("error writing output");
	return rc;
}
