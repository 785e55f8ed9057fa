/* slab_scenario.c — the scenario commands of the slab allocator (docs/slab.md).
 *
 * The scenario engine hands each command line, split into words, to
 * slab_scenario_command(); it answers 1 for words it does not know. Names
 * given to objects (`kmalloc x 40`) live here, per machine, in a name table
 * (lib/names.c): a name keeps its address after a free, so that freeing it
 * again is a real double free the allocator must catch. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/names.h"
#include "mm/slab.h"

struct slab_var {
	unsigned long addr;
	struct kmem_cache *cache;	/* kmem_cache_alloc'd: its cache; kmalloc: NULL */
	bool freed;
};

/* The record of name in this machine's slab names (created if asked). */
static struct slab_var *var_find(struct slab_state *ss, const char *name, bool create)
{
	if (!ss->vars) {
		if (!create || !(ss->vars = calloc(1, sizeof(*ss->vars))))
			return NULL;
		names_init(ss->vars, sizeof(struct slab_var));
	}
	return create ? names_add(ss->vars, name, NULL) : names_find(ss->vars, name);
}

void slab_scenario_release(struct machine *m)
{
	if (!m->slab || !m->slab->vars)
		return;
	names_release(m->slab->vars);
	free(m->slab->vars);
	m->slab->vars = NULL;
}

unsigned long slab_scenario_var(struct machine *m, const char *name)
{
	struct slab_var *v = m->slab ? var_find(m->slab, name, false) : NULL;

	return v ? v->addr : 0;
}

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 2;
}

/* A size: decimal or 0x hex, optionally K or M. */
static bool parse_size(const char *text, unsigned long long *out)
{
	char *end;

	if (!text || !*text || *text == '-')
		return false;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 0);
	if (errno || end == text)
		return false;
	if (*end == 'k' || *end == 'K') {
		v <<= 10;
		end++;
	} else if (*end == 'm' || *end == 'M') {
		v <<= 20;
		end++;
	}
	if (*end || v > (1ULL << 40))
		return false;
	*out = v;
	return true;
}

static int parse_gfp_arg(const char *text, gfp_t *gfp, char *err, size_t errlen)
{
	const char *bad = NULL;
	size_t bad_len = 0;

	*gfp = GFP_KERNEL;
	if (!text)
		return 0;
	if (gfp_parse(text, gfp, &bad, &bad_len))
		return fail(err, errlen, "unknown GFP flag '%.*s'", (int)(bad ? bad_len : strlen(text)),
			    bad ? bad : text);
	return 0;
}

static const struct { const char *name; slab_flags_t flag; } slab_flag_names[] = {
	{ "SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN },
	{ "SLAB_RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT },
	{ "SLAB_CACHE_DMA", SLAB_CACHE_DMA },
	{ "SLAB_CACHE_DMA32", SLAB_CACHE_DMA32 },
	{ "SLAB_PANIC", SLAB_PANIC },
	{ "SLAB_ACCOUNT", SLAB_ACCOUNT },
	{ "SLAB_TYPESAFE_BY_RCU", SLAB_TYPESAFE_BY_RCU },
	{ "SLAB_RED_ZONE", SLAB_RED_ZONE },
	{ "SLAB_POISON", SLAB_POISON },
	{ "SLAB_STORE_USER", SLAB_STORE_USER },
	{ "SLAB_CONSISTENCY_CHECKS", SLAB_CONSISTENCY_CHECKS },
	{ "0", 0 },
};

static int parse_slab_flags(const char *text, slab_flags_t *flags, char *err, size_t errlen)
{
	*flags = 0;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "|");
		bool found = false;
		for (size_t i = 0; i < ARRAY_SIZE(slab_flag_names); i++)
			if (strlen(slab_flag_names[i].name) == len &&
			    !strncmp(slab_flag_names[i].name, p, len)) {
				*flags |= slab_flag_names[i].flag;
				found = true;
			}
		if (!found)
			return fail(err, errlen, "unknown slab flag '%.*s'", (int)len, p);
		p += len;
		if (*p == '|')
			p++;
	}
	return 0;
}

static struct kmem_cache *cache_arg(struct machine *m, const char *name)
{
	return mmsim_kmem_cache_find(m, name);
}

static int bind(struct machine *m, const char *name, unsigned long addr, struct kmem_cache *s,
		FILE *out, const char *what, char *err, size_t errlen)
{
	if (!addr) {
		fprintf(out, "%s: allocation failed (%s)\n", name, what);
		addr = 0;
	}
	struct slab_var *v = var_find(m->slab, name, true);
	if (!v)
		return fail(err, errlen, "out of memory for the name '%s'", name);
	v->addr = addr;
	v->cache = s;
	v->freed = !addr;
	return 0;
}

static struct slab_var *var_arg(struct machine *m, const char *name)
{
	return var_find(m->slab, name, false);
}

/* `memset VAR OFFSET BYTE COUNT`: scribble on an object (offsets may be negative). */
static int cmd_memset(struct machine *m, int argc, char **argv, char *err, size_t errlen)
{
	if (argc != 5)
		return fail(err, errlen, "usage: memset VAR OFFSET BYTE COUNT");
	struct slab_var *v = var_arg(m, argv[1]);
	if (!v || !v->addr)
		return fail(err, errlen, "no object named '%s'", argv[1]);
	char *end;
	long off = strtol(argv[2], &end, 0);
	if (*end || off < -4096 || off > (long)KMALLOC_MAX_SIZE)
		return fail(err, errlen, "bad offset '%s'", argv[2]);
	unsigned long long byte, count;
	if (!parse_size(argv[3], &byte) || byte > 255)
		return fail(err, errlen, "bad byte value '%s'", argv[3]);
	if (!parse_size(argv[4], &count) || count > KMALLOC_MAX_SIZE)
		return fail(err, errlen, "bad count '%s'", argv[4]);
	unsigned long start = v->addr + (unsigned long)off;
	unsigned char *p = mmsim_kaddr(m, start);
	unsigned char *q = count ? mmsim_kaddr(m, start + count - 1) : p;
	if (!p || !q || q < p)
		return fail(err, errlen, "%s%+ld is outside the direct map", argv[1], off);
	memset(p, (int)byte, count);
	return 0;
}

int slab_scenario_command(struct machine *m, int argc, char **argv, FILE *out,
			  char *err, size_t errlen)
{
	const char *cmd = argc ? argv[0] : "";
	gfp_t gfp;
	int rc;
	unsigned long long size, n;

	if (!m->slab)
		return 1;
	if (!strcmp(cmd, "kmem_cache_create")) {
		if (argc < 3 || argc > 5)
			return fail(err, errlen, "usage: kmem_cache_create NAME SIZE [ALIGN] [FLAGS]");
		unsigned long long align = 0;
		slab_flags_t flags = 0;
		if (!parse_size(argv[2], &size) || !size || size > KMALLOC_MAX_SIZE)
			return fail(err, errlen, "bad object size '%s'", argv[2]);
		int fi = 3;
		if (argc > 3 && parse_size(argv[3], &align)) {
			if (align & (align - 1) || align > PAGE_SIZE)
				return fail(err, errlen, "alignment '%s' is not a power of two up to %lu",
					    argv[3], PAGE_SIZE);
			fi = 4;
		}
		if (argc > fi + 1)
			return fail(err, errlen, "usage: kmem_cache_create NAME SIZE [ALIGN] [FLAGS]");
		if (argc > fi && (rc = parse_slab_flags(argv[fi], &flags, err, errlen)))
			return rc;
		if (cache_arg(m, argv[1]))
			return fail(err, errlen, "a cache named '%s' exists", argv[1]);
		if (!kmem_cache_create(m, argv[1], (unsigned int)size, (unsigned int)align, flags, NULL))
			fprintf(out, "%s: kmem_cache_create failed\n", argv[1]);
		return 0;
	}
	if (!strcmp(cmd, "kmem_cache_alloc") || !strcmp(cmd, "kmem_cache_zalloc")) {
		if (argc < 3 || argc > 4)
			return fail(err, errlen, "usage: %s VAR CACHE [GFP]", cmd);
		struct kmem_cache *s = cache_arg(m, argv[2]);
		if (!s)
			return fail(err, errlen, "no cache named '%s'", argv[2]);
		if ((rc = parse_gfp_arg(argc > 3 ? argv[3] : NULL, &gfp, err, errlen)))
			return rc;
		unsigned long a = cmd[11] == 'z' ? kmem_cache_zalloc(m, s, gfp)
						 : kmem_cache_alloc(m, s, gfp);
		return bind(m, argv[1], a, s, out, argv[2], err, errlen);
	}
	if (!strcmp(cmd, "kmem_cache_free")) {
		if (argc != 2)
			return fail(err, errlen, "usage: kmem_cache_free VAR");
		struct slab_var *v = var_arg(m, argv[1]);
		if (!v || (!v->addr && v->freed))
			return fail(err, errlen, "no object named '%s'", argv[1]);
		struct kmem_cache *s = v->cache ? v->cache : virt_to_cache(m, v->addr);
		if (!s)
			return fail(err, errlen, "'%s' is not a slab object", argv[1]);
		kmem_cache_free(m, s, v->addr);
		v->freed = true;
		return 0;
	}
	if (!strcmp(cmd, "kmem_cache_shrink") || !strcmp(cmd, "kmem_cache_destroy")) {
		if (argc != 2)
			return fail(err, errlen, "usage: %s CACHE", cmd);
		struct kmem_cache *s = cache_arg(m, argv[1]);
		if (!s)
			return fail(err, errlen, "no cache named '%s'", argv[1]);
		if (cmd[11] == 's')
			kmem_cache_shrink(m, s);
		else
			kmem_cache_destroy(m, s);
		return 0;
	}
	if (!strcmp(cmd, "kmalloc") || !strcmp(cmd, "kzalloc")) {
		if (argc < 3 || argc > 4)
			return fail(err, errlen, "usage: %s VAR SIZE [GFP]", cmd);
		if (!parse_size(argv[2], &size))
			return fail(err, errlen, "bad size '%s'", argv[2]);
		if ((rc = parse_gfp_arg(argc > 3 ? argv[3] : NULL, &gfp, err, errlen)))
			return rc;
		unsigned long a = cmd[1] == 'z' ? kzalloc(m, size, gfp) : kmalloc(m, size, gfp);
		return bind(m, argv[1], a, NULL, out, cmd, err, errlen);
	}
	if (!strcmp(cmd, "kcalloc")) {
		if (argc < 4 || argc > 5)
			return fail(err, errlen, "usage: kcalloc VAR N SIZE [GFP]");
		if (!parse_size(argv[2], &n))
			return fail(err, errlen, "bad count '%s'", argv[2]);
		if (!parse_size(argv[3], &size))
			return fail(err, errlen, "bad size '%s'", argv[3]);
		if ((rc = parse_gfp_arg(argc > 4 ? argv[4] : NULL, &gfp, err, errlen)))
			return rc;
		return bind(m, argv[1], kcalloc(m, n, size, gfp), NULL, out, cmd, err, errlen);
	}
	if (!strcmp(cmd, "krealloc")) {
		if (argc < 3 || argc > 4)
			return fail(err, errlen, "usage: krealloc VAR SIZE [GFP]");
		struct slab_var *v = var_arg(m, argv[1]);
		if (!parse_size(argv[2], &size))
			return fail(err, errlen, "bad size '%s'", argv[2]);
		if ((rc = parse_gfp_arg(argc > 3 ? argv[3] : NULL, &gfp, err, errlen)))
			return rc;
		unsigned long old = v && !v->freed ? v->addr : 0;
		unsigned long a = krealloc(m, old, size, gfp);
		if (!a)
			fprintf(out, "%s: allocation failed (krealloc)\n", argv[1]);
		else
			return bind(m, argv[1], a, NULL, out, cmd, err, errlen);
		return 0;
	}
	if (!strcmp(cmd, "kfree")) {
		if (argc != 2)
			return fail(err, errlen, "usage: kfree VAR");
		struct slab_var *v = var_arg(m, argv[1]);
		if (!v)
			return fail(err, errlen, "no object named '%s'", argv[1]);
		kfree(m, v->addr);
		v->freed = true;
		return 0;
	}
	if (!strcmp(cmd, "ksize") || !strcmp(cmd, "kshow")) {
		if (argc != 2)
			return fail(err, errlen, "usage: %s VAR", cmd);
		struct slab_var *v = var_arg(m, argv[1]);
		if (!v)
			return fail(err, errlen, "no object named '%s'", argv[1]);
		if (cmd[1] == 's') {
			fprintf(out, "%s: ksize %zu\n", argv[1], ksize(m, v->addr));
			return 0;
		}
		struct kmem_cache *s = virt_to_cache(m, v->addr);
		fprintf(out, "%s: %#lx%s, %s, ksize %zu\n", argv[1], v->addr, v->freed ? " (freed)" : "",
			s ? kmem_cache_name(s) : ZERO_OR_NULL_PTR(v->addr) ? "no object" : "pages",
			ksize(m, v->addr));
		return 0;
	}
	if (!strcmp(cmd, "kstrdup")) {
		if (argc < 3)
			return fail(err, errlen, "usage: kstrdup VAR TEXT");
		size_t len = 0;
		for (int i = 2; i < argc; i++)
			len += strlen(argv[i]) + 1;
		char *text = malloc(len);
		if (!text)
			return fail(err, errlen, "out of memory");
		text[0] = 0;
		for (int i = 2; i < argc; i++) {
			if (i > 2)
				strcat(text, " ");
			strcat(text, argv[i]);
		}
		unsigned long a = kstrdup(m, text, GFP_KERNEL);
		free(text);
		return bind(m, argv[1], a, NULL, out, cmd, err, errlen);
	}
	if (!strcmp(cmd, "memset"))
		return cmd_memset(m, argc, argv, err, errlen);
	if (!strcmp(cmd, "slabtop")) {
		char sort = 0;
		if (argc == 3 && !strcmp(argv[1], "-s") && strlen(argv[2]) == 1 &&
		    strchr("abclvnopsuABCLVNOPSU", argv[2][0]))
			sort = argv[2][0];
		else if (argc != 1 && !(argc == 2 && !strcmp(argv[1], "--once")))
			return fail(err, errlen, "usage: slabtop [-s a|b|c|l|v|n|o|p|s|u]");
		slabtop_show(m, out, sort);
		return 0;
	}
	if (!strcmp(cmd, "slub_debug")) {
		if (argc < 2 || argc > 3 || (strcmp(argv[1], "on") && strcmp(argv[1], "off")))
			return fail(err, errlen, "usage: slub_debug on|off [CACHE]");
		struct kmem_cache *s = NULL;
		if (argc == 3 && !(s = cache_arg(m, argv[2])))
			return fail(err, errlen, "no cache named '%s'", argv[2]);
		slab_flags_t flags = argv[1][1] == 'n' ? SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE |
							   SLAB_POISON | SLAB_STORE_USER : 0;
		if (mmsim_slub_debug(m, s, flags))
			fprintf(out, "slub_debug: %s has objects; its layout cannot change\n", argv[2]);
		return 0;
	}
	if (!strcmp(cmd, "slab_tune")) {
		static const char usage[] =
			"usage: slab_tune CACHE [LIMIT [BATCHCOUNT]] | slab_tune all on|off";
		if (argc < 2 || argc > 4)
			return fail(err, errlen, "%s", usage);
		if (!strcmp(argv[1], "all")) {
			if (argc != 3 || (strcmp(argv[2], "on") && strcmp(argv[2], "off")))
				return fail(err, errlen, "%s", usage);
			if (mmsim_slab_tune(m, NULL, argv[2][1] == 'n', 1))
				return fail(err, errlen, "out of memory");
			return 0;
		}
		struct kmem_cache *s = cache_arg(m, argv[1]);
		if (!s)
			return fail(err, errlen, "no cache named '%s'", argv[1]);
		if (argc == 2) {
			fprintf(out, "%s: limit %u batchcount %u%s; objects in the arrays:", s->name,
				s->array_limit, s->batchcount,
				s->array_limit && !s->cpu_slab[0].limit ? " (off: slub_debug)" : "");
			for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
				fprintf(out, " cpu%u %u", cpu, s->cpu_slab[cpu].avail);
			fputc('\n', out);
			return 0;
		}
		unsigned long long limit, batch;
		if (!parse_size(argv[2], &limit) || limit > SLAB_ARRAY_MAX_LIMIT)
			return fail(err, errlen, "slab_tune: limit '%s' is not 0..%u", argv[2],
				    SLAB_ARRAY_MAX_LIMIT);
		batch = (limit + 1) / 2;
		if (argc == 4 && (!parse_size(argv[3], &batch) || !batch || batch > limit))
			return fail(err, errlen, "slab_tune: batchcount '%s' is not 1..%llu", argv[3],
				    limit);
		if (mmsim_slab_tune(m, s, (unsigned int)limit, (unsigned int)batch))
			return fail(err, errlen, "out of memory");
		return 0;
	}
	return 1;
}
