/* main.c — the mmsim command: parse options, boot a machine, run a scenario.
 *
 *   mmsim [--arch i386|x86_64] [--mem SIZE] [--e820 qemu|FILE] [--cpus N]
 *         [--profile linux-6.1|classic] [--seed N] [-e TEXT | SCRIPT]
 *
 * Without -e or SCRIPT it runs the built-in demo. Bad options or input print
 * one line on stderr and exit with status 2. */
#include <ctype.h>
#include <stdarg.h>
#include <strings.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/machine.h>

#include "cli/demo.h"
#include "cli/scenario.h"

#define MAX_SCRIPT_BYTES (64u << 20)

static void usage(FILE *out)
{
	fputs("usage: mmsim [--arch i386|x86_64] [--mem SIZE] [--e820 qemu|FILE] [--cpus N]\n"
	      "             [--profile linux-6.1|classic] [--seed N] [--initrd SIZE]\n"
	      "             [--kernel-at ADDR] [-e TEXT | SCRIPT]\n"
	      "\n"
	      "Boot a simulated machine and run scenario commands from SCRIPT ('-' reads\n"
	      "stdin) or TEXT (commands separated by newlines or ';'). With neither, run\n"
	      "the built-in demo. Defaults: i386, 2048M, qemu, 2 CPUs, linux-6.1.\n"
	      "The scenario language is described in docs/scenario.md.\n", out);
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

/* "2048M", "2G", "512m", "1048576K", "4096" (bytes). */
static int parse_size(const char *text, uint64_t *bytes)
{
	char *end;

	if (!isdigit((unsigned char)*text))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno)
		return -1;
	unsigned int shift = 0;
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	}
	if (shift && (!strcasecmp(end, "iB") || !strcasecmp(end, "B")))
		end += strlen(end);
	if (*end || (shift && v > (~0ULL >> shift)))
		return -1;
	*bytes = v << shift;
	return 0;
}

static int parse_u64(const char *text, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)*text))
		return -1;
	errno = 0;
	*v = strtoull(text, &end, 0);
	return errno || *end ? -1 : 0;
}

/* Read a whole file ("-" = stdin) into a NUL-terminated buffer. */
static char *read_file(const char *path, const char **why)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t len = 0, cap = 4096;
	char *buf;

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
			*why = "file too large";
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
	static const struct option options[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "mem", required_argument, NULL, 'm' },
		{ "e820", required_argument, NULL, 'E' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "profile", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "kernel-at", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct machine_desc desc;
	const char *text = NULL, *e820_arg = "qemu";
	bool mem_given = false;
	int opt;

	mmsim_desc_init(&desc);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":e:h", options, NULL)) != -1) {
		uint64_t v;
		switch (opt) {
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
			if (v < (16ULL << 20) || v > (1ULL << 40))
				return die("--mem: %s is outside 16M..1T", optarg);
			desc.mem_bytes = v & ~4095ULL;
			mem_given = true;
			break;
		case 'E':
			e820_arg = optarg;
			break;
		case 'c':
			if (parse_u64(optarg, &v) || v < 1 || v > 1024)
				return die("--cpus: '%s' is not a CPU count (1..1024)", optarg);
			desc.nr_cpus = (unsigned int)v;
			break;
		case 'p':
			if (strcmp(optarg, "linux-6.1") && strcmp(optarg, "classic"))
				return die("--profile: '%s' is not a profile (linux-6.1, classic)", optarg);
			desc.profile = optarg;
			break;
		case 's':
			if (parse_u64(optarg, &v))
				return die("--seed: '%s' is not a number", optarg);
			desc.seed = v;
			break;
		case 'i':
			if (parse_size(optarg, &v) || v > (1ULL << 30))
				return die("--initrd: '%s' is not a size up to 1G", optarg);
			desc.initrd_bytes = v;
			break;
		case 'k':
			if (parse_u64(optarg, &v) || (v & 0x1fffff) || v < (16ULL << 20))
				return die("--kernel-at: '%s' must be a 2 MiB aligned address from 16M", optarg);
			desc.kernel_phys = v;
			break;
		case 'e':
			if (text)
				return die("-e given twice; separate commands with ';' instead");
			text = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			return die("%s needs an argument", argv[optind - 1]);
		default:
			return die("unknown option '%s' (see mmsim --help)", argv[optind - 1]);
		}
	}
	const char *script = NULL;
	if (optind < argc)
		script = argv[optind++];
	if (optind < argc)
		return die("unexpected argument '%s'", argv[optind]);
	if (script && text)
		return die("give either -e TEXT or a SCRIPT, not both");

	if (strcmp(e820_arg, "qemu")) {
		const char *why = NULL;
		char *map = read_file(e820_arg, &why);
		char err[256];
		if (!map)
			return die("--e820 %s: %s", e820_arg, why);
		if (mem_given) {
			free(map);
			return die("--mem and --e820 FILE both give the RAM size; use one");
		}
		int rc = e820_parse(map, &desc.e820, err, sizeof(err));
		free(map);
		if (rc) {
			fprintf(stderr, "%s:%s\n", e820_arg, err);
			return 2;
		}
		desc.e820_given = true;
	}

	char *owned = NULL;
	const char *where = "-e";
	if (script) {
		const char *why = NULL;
		owned = read_file(script, &why);
		if (!owned)
			return die("%s: %s", script, why);
		text = owned;
		where = strcmp(script, "-") ? script : "<stdin>";
	} else if (!text) {
		text = demo_scenario(desc.arch);
		where = "demo";
	}

	char err[256];
	struct machine *m = mmsim_boot(&desc, err, sizeof(err));
	if (!m) {
		free(owned);
		return die("%s", err);
	}
	struct scenario *s = scenario_new(m, stdout, stderr);
	int rc = s ? scenario_run(s, where, text) : die("out of memory");
	scenario_free(s);
	mmsim_destroy(m);
	free(owned);
	if (fflush(stdout) || ferror(stdout))
		return die("error writing output");
	return rc;
}
