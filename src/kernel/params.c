/* params.c — the kernel command line: its words, the early parameters
 * setup_arch() parses (mem=, memmap=, vmalloc=), the ordinary ones start_kernel()
 * parses after printing "Kernel command line:" (norandmaps), and the words
 * no parameter claims (init/main.c's parse_args(), unknown_bootoption()
 * and print_unknown_bootoptions(); arch/x86/kernel/e820.c's parse_memopt();
 * arch/x86/mm/pgtable_32.c's parse_vmalloc()).
 *
 * A word is NAME or NAME=VALUE; a value may be "quoted". What the real
 * kernel does with each word, mmsim does:
 *   - parameters mmsim models take effect;
 *   - parameters the kernel knows that change nothing mmsim shows
 *     (console=, panic=, quiet ...) are taken silently, as the kernel
 *     takes them;
 *   - a name with a '.' is a module's parameter and is dropped silently;
 *   - any other word is unknown: the kernel logs it ("Unknown kernel command
 *     line parameters ...") and passes it to init, bare words as arguments
 *     and NAME=VALUE words as its environment. nokaslr is one of those: only
 *     the boot decompressor reads it, to leave the image where it was
 *     loaded, and that is where mmsim's boot always puts it.
 * A parameter that would change memory management in a way mmsim does not
 * model yet (highmem=, hugepages=, memmap=nn!ss ...) is refused at boot
 * rather than silently ignored. A parameter whose code the kernel's
 * configuration leaves out is unknown to it (cma= without CONFIG_DMA_CMA,
 * as in Debian's kernels). */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/kernel/e820.h"
#include "kernel/dma/contiguous.h"
#include "kernel/params.h"

#define VMALLOC_OFFSET	(8ULL << 20)
#define MAX_INIT_WORDS	32	/* CONFIG_INIT_ENV_ARG_LIMIT: argv and envp each */

/* One word of the command line: name and value (NULL for a bare word). */
struct param {
	char name[64];
	char value[256];
	bool has_value;
};

/*
 * next_arg(): the word at *p, advancing past it and the blanks after.
 * Quotes group a value with blanks in it; they are not part of the value.
 * Returns false at the end of the line.
 */
static bool next_arg(const char **p, struct param *out)
{
	const char *s = *p;
	bool quoted = false;
	size_t n = 0, v = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return false;
	memset(out, 0, sizeof(*out));
	for (; *s && (quoted || !isspace((unsigned char)*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (!out->has_value && *s == '=') {
			out->has_value = true;
			continue;
		}
		if (out->has_value) {
			if (v + 1 < sizeof(out->value))
				out->value[v++] = *s;
		} else if (n + 1 < sizeof(out->name)) {
			out->name[n++] = *s;
		}
	}
	*p = s;
	return true;
}

/*
 * memparse(): a number (simple_strtoull with base 0: 0x is hex, a leading
 * 0 is octal), then an optional K, M, G, T, P or E; the rest is left for
 * the caller (*end).
 */
uint64_t memparse(const char *s, const char **end)
{
	char *e;
	uint64_t v = strtoull(s, &e, 0);
	unsigned int shift = 0;

	switch (*e) {
	case 'E': case 'e': shift += 10; /* fall through */
	case 'P': case 'p': shift += 10; /* fall through */
	case 'T': case 't': shift += 10; /* fall through */
	case 'G': case 'g': shift += 10; /* fall through */
	case 'M': case 'm': shift += 10; /* fall through */
	case 'K': case 'k': shift += 10;
	}
	if (shift)
		e++;
	if (end)
		*end = e;
	return shift >= 64 ? 0 : v << shift;
}

/* ---- early parameters --------------------------------------------------------- */

/*
 * parse_memopt(): mem=SIZE takes every usable byte from SIZE up out of the
 * e820 map (reserved ranges stay; nothing is rounded here). The user map
 * is printed once, after the early parameters, even when SIZE is bad.
 */
static int parse_memopt(struct machine *m, const struct param *p)
{
	if (!p->has_value)
		return -MMSIM_EINVAL;
	if (!strcmp(p->value, "nopentium")) {
		if (m->is_32bit)
			return -MMSIM_ENOSYS;	/* refused below: PSE off is not modelled */
		pr_warn(m, "mem=nopentium ignored! (only supported on x86_32)\n");
		return -MMSIM_EINVAL;
	}
	m->cmdline_userdef = true;
	uint64_t size = memparse(p->value, NULL);
	if (!size)
		return -MMSIM_EINVAL;
	e820_range_remove(m, &m->e820, size, UINT64_MAX - size, E820_TYPE_RAM);
	return 0;
}

/*
 * parse_memmap_one(), for each comma-separated part of memmap=:
 *   exactmap  forget the firmware's map: the other parts give all of it
 *   nn@ss     usable RAM at ss          nn#ss  ACPI data at ss
 *   nn$ss     reserved at ss: memory the kernel keeps its hands off (a
 *             boot-time pool for a device, kernel/dma/coherent.c)
 *   nn        as mem=nn
 * The new entries overlap the old ones until e820__finish_early_params()
 * resolves them (reserved wins over usable). A malformed part is ignored
 * as the kernel ignores it (parse_memmap_opt() always succeeds);
 * nn!ss (persistent memory) and nn%ss-t+n (retyping) change what mmsim
 * does not model yet: -ENOSYS, refused at boot. A range that wraps past
 * the top of the address space is added as given, and the kernel's
 * e820__update_table() then refuses the whole map: early_panic("Invalid
 * user supplied memory map"); -ERANGE here, and boot stops there too.
 */
static int parse_memmap_one(struct machine *m, const char *p)
{
	const char *end;

	if (!strncmp(p, "exactmap", 8)) {
		m->e820.nr_entries = 0;
		m->cmdline_userdef = true;
		return 0;
	}
	uint64_t size = memparse(p, &end);
	if (end == p)
		return -MMSIM_EINVAL;
	m->cmdline_userdef = true;
	enum e820_type type;
	switch (*end) {
	case '@':
		type = E820_TYPE_RAM;
		break;
	case '#':
		type = E820_TYPE_ACPI;
		break;
	case '$':
		type = E820_TYPE_RESERVED;
		break;
	case '!':
	case '%':
		return -MMSIM_ENOSYS;
	default:
		e820_range_remove(m, &m->e820, size, UINT64_MAX - size, E820_TYPE_RAM);
		return *end ? -MMSIM_EINVAL : 0;
	}
	uint64_t start = memparse(end + 1, &end);
	if (size && start + size <= start)
		return -MMSIM_ERANGE;
	if (size)
		e820_range_add(&m->e820, start, size, type);
	return *end ? -MMSIM_EINVAL : 0;
}

static int parse_memmap_opt(struct machine *m, const struct param *p)
{
	char buf[sizeof(p->value)];

	if (!p->has_value)
		return 0;
	snprintf(buf, sizeof(buf), "%s", p->value);
	for (char *part = buf, *next; part; part = next) {
		next = strchr(part, ',');
		if (next)
			*next++ = '\0';
		int rc = parse_memmap_one(m, part);
		if (rc == -MMSIM_ENOSYS || rc == -MMSIM_ERANGE)
			return rc;
	}
	return 0;
}

/* parse_vmalloc(): the space kept for vmalloc is SIZE plus the 8 MiB guard hole. */
static int parse_vmalloc(struct machine *m, const struct param *p)
{
	if (!p->has_value)
		return -MMSIM_EINVAL;
	m->vmalloc_reserve = memparse(p->value, NULL) + VMALLOC_OFFSET;
	return 0;
}

/* early_param("cma", early_cma) of kernel/dma/contiguous.c (CONFIG_DMA_CMA). */
static int parse_cma(struct machine *m, const struct param *p)
{
	return early_cma(m, p->value, p->has_value);
}

static bool dma_cma_configured(const struct machine *m)
{
	return m->config.dma_cma;
}

/*
 * The parameters the kernel has. A parameter whose code the build leaves
 * out (configured() false) does not exist there: its word is unknown, as
 * cma= is to Debian's kernels, which lack CONFIG_DMA_CMA.
 */
struct param_handler {
	const char *name;
	int (*early)(struct machine *m, const struct param *p);	/* an early_param */
	bool x86_32;						/* only i386 kernels have it */
	bool (*configured)(const struct machine *m);		/* NULL: always built in */
};

static const struct param_handler handlers[] = {
	{ "mem", parse_memopt, false, NULL },
	{ "memmap", parse_memmap_opt, false, NULL },
	{ "vmalloc", parse_vmalloc, true, NULL },
	{ "norandmaps", NULL, false, NULL },
	{ "cma", parse_cma, false, dma_cma_configured },
};

/* Kernel parameters that change nothing mmsim shows: taken silently, as the kernel takes them. */
static const char *const harmless[] = {
	"acpi", "apic", "audit", "clocksource", "console", "debug", "earlycon", "earlyprintk",
	"edd", "elevator", "fbcon", "hpet", "ignore_loglevel", "init", "initcall_debug",
	"lapic", "loglevel", "lsm", "mitigations", "nmi_watchdog", "noapic", "nohz", "nolapic",
	"nomodeset", "nopti", "noresume", "nosmt", "nowatchdog", "oops", "panic", "panic_on_warn",
	"pci", "pti", "quiet", "rdinit", "resume", "ro", "root", "rootdelay", "rootflags",
	"rootfstype", "rootwait", "rw", "security", "selinux", "spectre_v2", "splash", "tsc",
	"vga", "video",
};

/* Parameters that change memory management in ways mmsim does not model yet. */
static const char *const unmodelled[] = {
	"crashkernel", "default_hugepagesz", "highmem", "hugepages", "hugepagesz",
	"kernelcore", "maxcpus", "mem_encrypt", "movablecore", "nr_cpus", "numa",
	"possible_cpus", "slub_debug", "slub_max_order", "slub_min_objects", "slub_min_order",
	"swiotlb", "transparent_hugepage",
};

static bool in_list(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

static const struct param_handler *find_handler(const struct machine *m, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(handlers); i++)
		if (!strcmp(handlers[i].name, name) && (!handlers[i].x86_32 || m->is_32bit) &&
		    (!handlers[i].configured || handlers[i].configured(m)))
			return &handlers[i];
	return NULL;
}

int parse_early_param(struct machine *m, char *err, size_t errlen)
{
	const char *s = m->cmdline;
	struct param p;

	while (next_arg(&s, &p)) {
		if (in_list(unmodelled, ARRAY_SIZE(unmodelled), p.name) ||
		    (!strcmp(p.name, "mem") && !strcmp(p.value, "nopentium") && m->is_32bit)) {
			snprintf(err, errlen, "--cmdline: '%s%s%s' changes memory management in a way "
				 "mmsim does not model yet", p.name, p.has_value ? "=" : "",
				 p.has_value ? p.value : "");
			return -MMSIM_EINVAL;
		}
		const struct param_handler *h = find_handler(m, p.name);
		int rc = h && h->early ? h->early(m, &p) : 0;
		if (rc == -MMSIM_ENOSYS) {
			snprintf(err, errlen, "--cmdline: '%s=%s' changes memory management in a way "
				 "mmsim does not model yet", p.name, p.value);
			return -MMSIM_EINVAL;
		}
		if (rc == -MMSIM_ERANGE) {
			snprintf(err, errlen, "--cmdline: '%s=%s': a range wraps past the top of the "
				 "address space; the real kernel stops at boot (Kernel panic - not "
				 "syncing: Invalid user supplied memory map)", p.name, p.value);
			return -MMSIM_EINVAL;
		}
		if (rc)
			pr_warn(m, "Malformed early option '%s'\n", p.name);
	}
	if (m->cmdline_userdef) {
		/* e820__finish_early_params(): e820__update_table() resolves the user's overlaps. */
		e820_update_table(&m->e820);
		pr_info(m, "user-defined physical RAM map:\n");
		e820_print_table(m, &m->e820, "user");
	}
	if (m->is_32bit && m->vmalloc_reserve <= VMALLOC_OFFSET) {
		snprintf(err, errlen, "vmalloc=0 leaves no vmalloc space: the real kernel stops at "
			 "percpu setup (kernel BUG at mm/vmalloc.c:2369)");
		return -MMSIM_EINVAL;
	}
	return 0;
}

/* ---- the rest, after "Kernel command line:" ------------------------------------- */

static void append(char *buf, size_t len, const char *name, const struct param *p)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s%s%s", used ? " " : "", name,
		 p->has_value ? "=" : "", p->has_value ? p->value : "");
}

void parse_args(struct machine *m)
{
	char args[1024] = "", env[1024] = "";
	const char *s = m->cmdline;
	struct param p;
	unsigned int nargs = 0, nenv = 0;

	pr_notice(m, "Kernel command line: %s\n", m->cmdline);
	while (next_arg(&s, &p)) {
		const struct param_handler *h = find_handler(m, p.name);
		if (h) {
			if (!strcmp(p.name, "norandmaps"))
				m->randomize_va_space = 0;	/* disable_randmaps() */
			continue;
		}
		if (in_list(harmless, ARRAY_SIZE(harmless), p.name) || strchr(p.name, '.') ||
		    !*p.name)
			continue;
		/* unknown_bootoption(): init's argument or, with a value, its environment. */
		if (p.has_value && nenv++ < MAX_INIT_WORDS)
			append(env, sizeof(env), p.name, &p);
		else if (!p.has_value && nargs++ < MAX_INIT_WORDS)
			append(args, sizeof(args), p.name, &p);
	}
	if (*args || *env)
		pr_notice(m, "Unknown kernel command line parameters \"%s%s%s\", will be passed to "
			  "user space.\n", args, *args && *env ? " " : "", env);
}
