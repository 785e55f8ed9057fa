/* names.c — the scenario's one table of names: what `alloc_pages a`,
 * `kmalloc x`, `vmalloc buf`, `kmap_atomic v` or `complete done` made.
 *
 * A name is typed (struct cli_name): each command asks for the kind it
 * works on and says so when a name is of another kind. A name keeps its
 * address after a free, so that freeing it again is a real double free the
 * kernel must catch, and a use after free really reads freed memory. A name
 * that still holds a live allocation cannot be bound to something new
 * (that would leak it without a trace); kmap_atomic's address names can. */
#include <stdlib.h>

#include "cli/engine.h"
#include "kernel/sched.h"

static const char *const kind_names[NR_NAME_KINDS] = {
	[NAME_PAGES] = "a page block",
	[NAME_OBJECT] = "a slab object",
	[NAME_VMALLOC] = "a vmalloc area",
	[NAME_VMAP] = "a vmap area",
	[NAME_IOREMAP] = "an ioremap area",
	[NAME_KMAP] = "a kmap address",
	[NAME_COMPLETION] = "a completion",
	[NAME_PROCESS] = "a process",
	[NAME_VALUE] = "a value a system call returned",
	[NAME_DMA] = "a DMA buffer, mapping or pool",
	[NAME_CMA] = "a CMA allocation",
	[NAME_CONTIG] = "a contiguous range",
};

/* What frees each kind, for "free it first" messages. */
static const char *const kind_free[NR_NAME_KINDS] = {
	[NAME_PAGES] = "free_pages", [NAME_OBJECT] = "kfree", [NAME_VMALLOC] = "vfree",
	[NAME_VMAP] = "vunmap", [NAME_IOREMAP] = "iounmap", [NAME_PROCESS] = "_exit and wait for",
	[NAME_DMA] = "free, unmap or destroy",
	[NAME_CMA] = "cma_release",
	[NAME_CONTIG] = "free_contig",
};

const char *cli_name_kind_str(enum cli_name_kind kind)
{
	return kind < NR_NAME_KINDS ? kind_names[kind] : "?";
}

struct cli_name *cli_name_find(struct cli *c, const char *name)
{
	return names_find(&c->engine->names, name);
}

static bool holds_allocation(struct cli *c, const struct cli_name *n)
{
	/* A process holds its name until it has been reaped. */
	if (n->kind == NAME_PROCESS)
		return !n->empty && find_task_by_pid(c->m, (int)n->addr);
	return kind_free[n->kind] && !n->freed && !n->empty;
}

int cli_name_check(struct cli *c, const char *name, enum cli_name_kind kind)
{
	const struct cli_name *n = cli_name_find(c, name);

	if (n && holds_allocation(c, n))
		return cli_error(c, "'%s' already names %s (%s it first, or pick another name)",
				 name, cli_name_kind_str(n->kind), kind_free[n->kind]);
	if (n && n->kind == NAME_COMPLETION && kind != NAME_COMPLETION)
		return cli_error(c, "'%s' names a completion tasks may wait on", name);
	return 0;
}

struct cli_name *cli_name_bind(struct cli *c, const char *name, enum cli_name_kind kind)
{
	struct cli_name *n = cli_name_find(c, name);

	if (cli_name_check(c, name, kind))
		return NULL;
	if (!n) {
		if (c->engine->names.used >= CLI_MAX_NAMES) {
			cli_error(c, "too many names (at most %u)", CLI_MAX_NAMES);
			return NULL;
		}
		n = names_add(&c->engine->names, name, NULL);
		if (!n) {
			cli_error(c, "out of host memory for names");
			return NULL;
		}
	}
	void *completion = n->completion;
	free(n->data);
	*n = (struct cli_name){ .kind = kind, .completion = completion };
	return n;
}

struct cli_name *cli_name_get(struct cli *c, const char *name, enum cli_name_kind kind)
{
	struct cli_name *n = cli_name_find(c, name);

	if (!n) {
		cli_error(c, "'%s' is not %s%s", name, cli_name_kind_str(kind),
			  kind == NAME_PAGES ? " (see alloc_pages)" : "");
		return NULL;
	}
	if (n->kind != kind) {
		cli_error(c, "'%s' is %s, not %s", name, cli_name_kind_str(n->kind),
			  cli_name_kind_str(kind));
		return NULL;
	}
	return n;
}

bool cli_name_next(struct cli *c, size_t *pos, const char **name, struct cli_name **rec)
{
	void *r;

	if (!names_next(&c->engine->names, pos, name, &r))
		return false;
	*rec = r;
	return true;
}

void cli_names_release(struct cli *c)
{
	const char *name;
	struct cli_name *n;

	for (size_t i = 0; cli_name_next(c, &i, &name, &n);) {
		free(n->completion);
		free(n->data);
	}
	names_release(&c->engine->names);
}
