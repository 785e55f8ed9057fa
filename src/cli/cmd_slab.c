/* cmd_slab.c — scenario commands of the slab allocator and kmalloc
 * (docs/slab.md): caches and their objects, the kmalloc family, looking at
 * an object, scribbling on one, slub_debug and the per-CPU arrays.
 *
 * An object's name holds its kernel virtual address, so it works wherever
 * an address does (peek, poke, walk ...). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/slab.h>

#include "cli/cli.h"
#include "mm/slab.h"

static const struct {
	const char *name;
	slab_flags_t flag;
} slab_flag_names[] = {
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

static int parse_slab_flags(struct cli *c, const char *text, slab_flags_t *flags)
{
	*flags = 0;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "|");
		bool found = false;
		for (size_t i = 0; i < ARRAY_SIZE(slab_flag_names) && !found; i++)
			if (strlen(slab_flag_names[i].name) == len &&
			    !strncmp(slab_flag_names[i].name, p, len)) {
				*flags |= slab_flag_names[i].flag;
				found = true;
			}
		if (!found)
			return cli_error(c, "unknown slab flag '%.*s' (SLAB_HWCACHE_ALIGN, SLAB_POISON, "
					 "SLAB_RED_ZONE ... joined by '|')", (int)len, p);
		p += len;
		if (*p == '|')
			p++;
	}
	return 0;
}

/* An optional GFP argument, GFP_KERNEL when absent. */
static int gfp_arg(struct cli *c, int argc, char **argv, int at, gfp_t *gfp)
{
	*gfp = GFP_KERNEL;
	return argc > at ? cli_gfp(c, argv[at], gfp) : 0;
}

/* Bind @name to the object an allocation returned (0: it failed). */
static int bind_object(struct cli *c, struct cli_name *n, const char *name, unsigned long addr,
		       struct kmem_cache *s, const char *what)
{
	n->addr = addr;
	n->cache = s;
	n->empty = !addr;
	if (!addr)
		fprintf(c->out, "%s: allocation failed (%s)\n", name, what);
	return 0;
}

static int cmd_kmem_cache_create(struct cli *c, int argc, char **argv)
{
	uint64_t size, align = 0;
	slab_flags_t flags = 0;
	int rc, at = 3;

	if ((rc = cli_size(c, argv[2], "object size", KMALLOC_MAX_SIZE, &size)))
		return rc;
	if (!size)
		return cli_error(c, "object size: 0 bytes is no object");
	/* [ALIGN] [FLAGS]: a number is the alignment. */
	if (argc > 3 && !parse_size(argv[3], &align)) {
		if (align & (align - 1) || align > PAGE_SIZE)
			return cli_error(c, "alignment '%s' is not a power of two up to %lu", argv[3],
					 PAGE_SIZE);
		at = 4;
	}
	if (argc > at + 1)
		return cli_usage(c, "kmem_cache_create");
	if (argc > at && (rc = parse_slab_flags(c, argv[at], &flags)))
		return rc;
	if (mmsim_kmem_cache_find(c->m, argv[1]))
		return cli_error(c, "a cache named '%s' exists", argv[1]);
	if (!kmem_cache_create(c->m, argv[1], (unsigned int)size, (unsigned int)align, flags, NULL))
		fprintf(c->out, "%s: kmem_cache_create failed\n", argv[1]);
	return 0;
}

static int cache_alloc(struct cli *c, int argc, char **argv, bool zero)
{
	struct kmem_cache *s;
	gfp_t gfp;
	int rc;

	if ((rc = cli_cache(c, argv[2], &s)) || (rc = gfp_arg(c, argc, argv, 3, &gfp)))
		return rc;
	struct cli_name *n = cli_name_bind(c, argv[1], NAME_OBJECT);
	if (!n)
		return 2;
	unsigned long a = zero ? kmem_cache_zalloc(c->m, s, gfp) : kmem_cache_alloc(c->m, s, gfp);
	return bind_object(c, n, argv[1], a, s, argv[2]);
}

static int cmd_kmem_cache_alloc(struct cli *c, int argc, char **argv)
{
	return cache_alloc(c, argc, argv, false);
}

static int cmd_kmem_cache_zalloc(struct cli *c, int argc, char **argv)
{
	return cache_alloc(c, argc, argv, true);
}

/* An object name that holds an address (freed or not: a second free is real). */
static struct cli_name *object(struct cli *c, const char *name)
{
	struct cli_name *n = cli_name_get(c, name, NAME_OBJECT);

	if (n && n->empty) {
		cli_error(c, "'%s' holds no object (its allocation failed)", name);
		return NULL;
	}
	return n;
}

static int cmd_kmem_cache_free(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct cli_name *n = object(c, argv[1]);
	if (!n)
		return 2;
	struct kmem_cache *s = n->cache ? n->cache : virt_to_cache(c->m, n->addr);
	if (!s)
		return cli_error(c, "'%s' is not a slab object", argv[1]);
	kmem_cache_free(c->m, s, n->addr);
	n->freed = true;
	return 0;
}

static int cmd_kmem_cache_shrink(struct cli *c, int argc, char **argv)
{
	struct kmem_cache *s;
	int rc;

	(void)argc;
	if ((rc = cli_cache(c, argv[1], &s)))
		return rc;
	kmem_cache_shrink(c->m, s);
	return 0;
}

static int cmd_kmem_cache_destroy(struct cli *c, int argc, char **argv)
{
	struct kmem_cache *s;
	int rc;

	(void)argc;
	if ((rc = cli_cache(c, argv[1], &s)))
		return rc;
	/* A module destroys only the caches it made; the kernel goes on using its own. */
	if (mmsim_kmem_cache_is_boot(s))
		return cli_error(c, "'%s' is one of the kernel's own caches (made at boot): only a cache "
				 "made with kmem_cache_create can be destroyed", argv[1]);
	kmem_cache_destroy(c->m, s);
	return 0;
}

static int kmalloc_cmd(struct cli *c, int argc, char **argv, bool zero)
{
	uint64_t size;
	gfp_t gfp;
	int rc;

	if ((rc = cli_size(c, argv[2], "size", 1ULL << 40, &size)) ||
	    (rc = gfp_arg(c, argc, argv, 3, &gfp)))
		return rc;
	struct cli_name *n = cli_name_bind(c, argv[1], NAME_OBJECT);
	if (!n)
		return 2;
	unsigned long a = zero ? kzalloc(c->m, size, gfp) : kmalloc(c->m, size, gfp);
	return bind_object(c, n, argv[1], a, NULL, argv[0]);
}

static int cmd_kmalloc(struct cli *c, int argc, char **argv)
{
	return kmalloc_cmd(c, argc, argv, false);
}

static int cmd_kzalloc(struct cli *c, int argc, char **argv)
{
	return kmalloc_cmd(c, argc, argv, true);
}

static int cmd_kcalloc(struct cli *c, int argc, char **argv)
{
	uint64_t n, size;
	gfp_t gfp;
	int rc;

	if ((rc = cli_size(c, argv[2], "count", 1ULL << 40, &n)) ||
	    (rc = cli_size(c, argv[3], "size", 1ULL << 40, &size)) ||
	    (rc = gfp_arg(c, argc, argv, 4, &gfp)))
		return rc;
	struct cli_name *name = cli_name_bind(c, argv[1], NAME_OBJECT);
	if (!name)
		return 2;
	return bind_object(c, name, argv[1], kcalloc(c->m, n, size, gfp), NULL, "kcalloc");
}

/* krealloc VAR SIZE [GFP]: VAR may hold an object, or nothing yet (krealloc(NULL)). */
static int cmd_krealloc(struct cli *c, int argc, char **argv)
{
	uint64_t size;
	gfp_t gfp;
	int rc;

	if ((rc = cli_size(c, argv[2], "size", 1ULL << 40, &size)) ||
	    (rc = gfp_arg(c, argc, argv, 3, &gfp)))
		return rc;
	struct cli_name *n = cli_name_find(c, argv[1]);
	if (n && n->kind != NAME_OBJECT)
		return cli_error(c, "'%s' is %s, not %s", argv[1], cli_name_kind_str(n->kind),
				 cli_name_kind_str(NAME_OBJECT));
	unsigned long old = n && !n->freed && !n->empty ? n->addr : 0;
	unsigned long a = krealloc(c->m, old, size, gfp);
	if (!a) {
		fprintf(c->out, "%s: allocation failed (krealloc)\n", argv[1]);
		return 0;	/* the old object, if any, is untouched */
	}
	if (n && a == old)
		return 0;		/* it fitted where it was */
	if (n && old)
		n->freed = true;	/* krealloc freed the old object: the name moves on */
	if (!(n = cli_name_bind(c, argv[1], NAME_OBJECT)))
		return 2;
	n->addr = a;
	return 0;
}

static int cmd_kstrdup(struct cli *c, int argc, char **argv)
{
	size_t len = 1;

	for (int i = 2; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *text = malloc(len), *p = text;
	if (!text)
		return cli_error(c, "out of host memory");
	for (int i = 2; i < argc; i++) {
		if (i > 2)
			*p++ = ' ';
		size_t n = strlen(argv[i]);
		memcpy(p, argv[i], n);
		p += n;
	}
	*p = '\0';
	struct cli_name *n = cli_name_bind(c, argv[1], NAME_OBJECT);
	if (!n) {
		free(text);
		return 2;
	}
	unsigned long a = kstrdup(c->m, text, GFP_KERNEL);
	free(text);
	return bind_object(c, n, argv[1], a, NULL, "kstrdup");
}

static int cmd_kfree(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct cli_name *n = object(c, argv[1]);
	if (!n)
		return 2;
	kfree(c->m, n->addr);
	n->freed = true;
	return 0;
}

static int cmd_ksize(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct cli_name *n = object(c, argv[1]);
	if (!n)
		return 2;
	fprintf(c->out, "%s: ksize %zu\n", argv[1], ksize(c->m, n->addr));
	return 0;
}

/* kshow VAR: where the object lives — its address, its cache (or pages) and size. */
static int cmd_kshow(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct cli_name *n = object(c, argv[1]);
	if (!n)
		return 2;
	struct kmem_cache *s = virt_to_cache(c->m, n->addr);
	fprintf(c->out, "%s: %#" PRIx64 "%s, %s, ksize %zu\n", argv[1], n->addr,
		n->freed ? " (freed)" : "",
		s ? mmsim_kmem_cache_name(s) : ZERO_OR_NULL_PTR(n->addr) ? "no object" : "pages",
		ksize(c->m, n->addr));
	return 0;
}

/* memset VAR OFFSET BYTE COUNT: scribble on an object (offsets may be negative). */
static int cmd_memset(struct cli *c, int argc, char **argv)
{
	int64_t off;
	uint64_t byte, count;
	int rc;

	(void)argc;
	struct cli_name *n = object(c, argv[1]);
	if (!n)
		return 2;
	if ((rc = cli_signed(c, argv[2], "offset", -4096, KMALLOC_MAX_SIZE, &off)) ||
	    (rc = cli_number(c, argv[3], "byte", 255, &byte)) ||
	    (rc = cli_size(c, argv[4], "count", KMALLOC_MAX_SIZE, &count)))
		return rc;
	unsigned long start = n->addr + (unsigned long)off;
	unsigned char *p = mmsim_kaddr(c->m, start);
	unsigned char *q = count ? mmsim_kaddr(c->m, start + count - 1) : p;
	if (!p || !q || q < p)
		return cli_error(c, "%s%+" PRId64 " is outside the direct map", argv[1], off);
	memset(p, (int)byte, count);
	return 0;
}

static int cmd_slub_debug(struct cli *c, int argc, char **argv)
{
	struct kmem_cache *s = NULL;
	int rc;

	if (strcmp(argv[1], "on") && strcmp(argv[1], "off"))
		return cli_usage(c, "slub_debug");
	if (argc == 3 && (rc = cli_cache(c, argv[2], &s)))
		return rc;
	slab_flags_t flags = !strcmp(argv[1], "on") ? SLAB_DEBUG_FLAGS : 0;
	if (mmsim_slub_debug(c->m, s, flags))
		fprintf(c->out, "slub_debug: %s has objects; its layout cannot change\n", argv[2]);
	return 0;
}

static int cmd_slab_tune(struct cli *c, int argc, char **argv)
{
	struct kmem_cache *s;
	uint64_t limit, batch;
	int rc;

	if (!strcmp(argv[1], "all")) {
		if (argc != 3 || (strcmp(argv[2], "on") && strcmp(argv[2], "off")))
			return cli_usage(c, "slab_tune");
		if (mmsim_slab_tune(c->m, NULL, !strcmp(argv[2], "on"), 1))
			return cli_error(c, "out of host memory");
		return 0;
	}
	if ((rc = cli_cache(c, argv[1], &s)))
		return rc;
	if (argc == 2) {
		slab_tune_show(c->m, s, c->out);
		return 0;
	}
	if (parse_number(argv[2], &limit) || limit > SLAB_ARRAY_MAX_LIMIT)
		return cli_error(c, "slab_tune: limit '%s' is not 0..%u", argv[2],
				 SLAB_ARRAY_MAX_LIMIT);
	batch = (limit + 1) / 2;
	if (argc == 4 && (parse_number(argv[3], &batch) || !batch || batch > limit))
		return cli_error(c, "slab_tune: batchcount '%s' is not 1..%" PRIu64, argv[3], limit);
	if (mmsim_slab_tune(c->m, s, (unsigned int)limit, (unsigned int)batch))
		return cli_error(c, "out of host memory");
	return 0;
}

static const struct cli_command slab_commands[] = {
	{ "kmem_cache_create", 2, 4, "NAME SIZE [ALIGN] [FLAGS]",
	  "a cache; FLAGS SLAB_HWCACHE_ALIGN, SLAB_POISON, SLAB_RED_ZONE ... joined by |",
	  cmd_kmem_cache_create, 0, "-" },
	{ "kmem_cache_alloc", 2, 3, "VAR CACHE [GFP]", "an object of the cache",
	  cmd_kmem_cache_alloc, 0, "-cg" },
	{ "kmem_cache_zalloc", 2, 3, "VAR CACHE [GFP]", "a zeroed object of the cache",
	  cmd_kmem_cache_zalloc, 0, "-cg" },
	{ "kmem_cache_free", 1, 1, "VAR", "give the object back to its cache",
	  cmd_kmem_cache_free, 0, "n" },
	{ "kmem_cache_shrink", 1, 1, "CACHE", "give the cache's empty slabs back",
	  cmd_kmem_cache_shrink, 0, "c" },
	{ "kmem_cache_destroy", 1, 1, "CACHE", "remove the cache (refused while it has objects)",
	  cmd_kmem_cache_destroy, 0, "c" },
	{ "kmalloc", 2, 3, "VAR SIZE [GFP]",
	  "GFP_DMA uses dma-kmalloc-*, __GFP_RECLAIMABLE kmalloc-rcl-*, __GFP_ACCOUNT kmalloc-cg-*; "
	  "above 8 KiB whole pages", cmd_kmalloc, 0, "--g" },
	{ "kzalloc", 2, 3, "VAR SIZE [GFP]", "kmalloc, zeroed", cmd_kzalloc, 0, "--g" },
	{ "kcalloc", 3, 4, "VAR N SIZE [GFP]", "N zeroed elements of SIZE, refused on overflow",
	  cmd_kcalloc, 0, "---g" },
	{ "krealloc", 2, 3, "VAR SIZE [GFP]", "grow or shrink VAR's object, copying its bytes",
	  cmd_krealloc, 0, "n-g" },
	{ "kstrdup", 2, CLI_ANY, "VAR TEXT...", "a kmalloc'd copy of TEXT",
	  cmd_kstrdup, 0, "-" },
	{ "kfree", 1, 1, "VAR", "free the object; a second kfree is a real double free",
	  cmd_kfree, 0, "n" },
	{ "ksize", 1, 1, "VAR", "the object's usable size", cmd_ksize, 0, "n" },
	{ "kshow", 1, 1, "VAR", "where the object lives: its address, its cache, its size",
	  cmd_kshow, 0, "n" },
	{ "memset", 4, 4, "VAR OFFSET BYTE COUNT",
	  "scribble on an object (red zones, use after free); OFFSET may be negative",
	  cmd_memset, 0, "n-" },
	{ "slub_debug", 1, 2, "on|off [CACHE]",
	  "red zones, poisoning and free checks, like slub_debug=FZPU",
	  cmd_slub_debug, 0, "-c" },
	{ "slab_tune", 1, 3, "CACHE [LIMIT [BATCHCOUNT]] | all on|off",
	  "show or size the per-CPU object arrays; all off is 6.1's SLUB exactly",
	  cmd_slab_tune, 0, "c-" },
};

CLI_COMMAND_SET(cli_slab_commands, "Slab caches and kmalloc", "slab", slab_commands);
