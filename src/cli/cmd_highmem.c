/* cmd_highmem.c — scenario commands of high memory (mm/highmem.c): the
 * persistent kmap and its 1024 pkmap slots, kmap_atomic / kmap_local and
 * their fixmap slots. A kmap that must sleep puts its task to sleep; at
 * the top level nothing could wake it, which is the kernel's hung task. */
#include <string.h>

#include <mmsim/highmem.h>

#include "cli/cli.h"
#include "kernel/sched.h"
#include "mm.h"
#include "mm/highmem.h"

/* The first page of a block the scenario still owns. */
static struct page *block_page(struct cli *c, const char *name)
{
	struct cli_name *n = cli_name_get(c, name, NAME_PAGES);

	if (!n)
		return NULL;
	if (n->freed || n->empty) {
		cli_error(c, "'%s' holds no block any more; its memory is no longer yours", name);
		return NULL;
	}
	return pfn_to_page(c->m, n->pfn);
}

static int cmd_kmap(struct cli *c, int argc, char **argv)
{
	struct page *page = block_page(c, argv[1]);
	bool must_sleep;

	(void)argc;
	if (!page)
		return 2;
	kmap(c->m, page, &must_sleep);
	if (!must_sleep)
		return 0;
	if (cli_in_task(c))
		return CLI_BLOCKED;
	/* The top level has nobody to wait for: it would hang forever. */
	check_hung_uninterruptible_tasks(c->m);
	finish_wait(c->m);
	return cli_error(c, "kmap %s would sleep forever: all %u pkmap slots are in use and no "
			 "other task runs (see 'task' and 'run')", argv[1],
			 c->m->profile->last_pkmap);
}

static int cmd_kunmap(struct cli *c, int argc, char **argv)
{
	struct page *page = block_page(c, argv[1]);

	(void)argc;
	if (!page)
		return 2;
	kunmap(c->m, page);
	return 0;
}

/* The classic profile's km_type argument, or 0 for 6.1 (which takes none). */
static int km_type(struct cli *c, const char *cmd, int argc, char **argv, int at, int *type)
{
	*type = 0;
	if (!c->m->profile->km_type_nr) {
		if (argc > at)
			return cli_error(c, "this profile's %s takes no KM_TYPE (6.1 uses a per-task "
					 "stack)", cmd);
		return 0;
	}
	if (argc <= at)
		return cli_error(c, "the classic profile's %s needs a KM_TYPE (e.g. KM_USER0)", cmd);
	if ((*type = mmsim_km_type(argv[at])) < 0)
		return cli_error(c, "'%s' is not a km_type (KM_USER0, KM_USER1, KM_IRQ0 ...)",
				 argv[at]);
	return 0;
}

/* kmap_atomic VAR NAME [KM_TYPE]: VAR gets the address. */
static int cmd_kmap_atomic(struct cli *c, int argc, char **argv)
{
	int type, rc;

	if ((rc = km_type(c, "kmap_atomic", argc, argv, 3, &type)))
		return rc;
	struct page *page = block_page(c, argv[2]);
	if (!page)
		return 2;
	struct cli_name *n = cli_name_bind(c, argv[1], NAME_KMAP);
	if (!n)
		return 2;
	n->addr = kmap_atomic(c->m, page, type);
	n->empty = !n->addr;
	return 0;
}

static int cmd_kmap_local(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct page *page = block_page(c, argv[2]);
	if (!page)
		return 2;
	struct cli_name *n = cli_name_bind(c, argv[1], NAME_KMAP);
	if (!n)
		return 2;
	n->addr = kmap_local_page(c->m, page);
	n->empty = !n->addr;
	return 0;
}

static int cmd_kunmap_atomic(struct cli *c, int argc, char **argv)
{
	kaddr_t va;
	int type, rc;

	if ((rc = cli_addr(c, argv[1], &va)) || (rc = km_type(c, "kunmap_atomic", argc, argv, 2,
							       &type)))
		return rc;
	kunmap_atomic(c->m, va, type);
	return 0;
}

static int cmd_kunmap_local(struct cli *c, int argc, char **argv)
{
	kaddr_t va;
	int rc;

	(void)argc;
	if ((rc = cli_addr(c, argv[1], &va)))
		return rc;
	kunmap_local(c->m, va);
	return 0;
}

static int cmd_kmapinfo(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	kmap_stats_show(c->m, c->out);
	return 0;
}

static const struct cli_command highmem_commands[] = {
	{ "kmap", 1, 1, "NAME",
	  "persistent kmap of the block's first page; with all 1024 pkmap slots taken it sleeps",
	  cmd_kmap, 0, "n" },
	{ "kunmap", 1, 1, "NAME", "release the block's persistent kmap",
	  cmd_kunmap, 0, "n" },
	{ "kmap_atomic", 2, 3, "VAR NAME [KM_TYPE]",
	  "a fixmap slot: 6.1's per-task LIFO stack, or classic's km_type slot; VAR gets the address",
	  cmd_kmap_atomic, 0, "-n-" },
	{ "kunmap_atomic", 1, 2, "VAR [KM_TYPE]",
	  "release it (6.1 warns when not in reverse order)", cmd_kunmap_atomic, 0, "n-" },
	{ "kmap_local", 2, 2, "VAR NAME", "6.1's kmap_local_page", cmd_kmap_local, 0,
	  "-n" },
	{ "kunmap_local", 1, 1, "VAR", "release a kmap_local", cmd_kunmap_local, 0, "n" },
	{ "kmapinfo", 0, 0, "", "pkmap slots in use, unused-but-mapped, free; flushes and sleeps",
	  cmd_kmapinfo, 0, "-" },
};

CLI_COMMAND_SET(cli_highmem_commands, "High memory (i386)", "highmem", highmem_commands);
