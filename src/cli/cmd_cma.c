/* cmd_cma.c — scenario commands of the contiguous memory allocator
 * (mm/cma.c): take a range from a CMA area, give it back, look at the areas.
 *
 *   cma_alloc NAME COUNT [ALIGN]   cma_alloc() of COUNT pages, the first
 *                                  aligned to 2^ALIGN pages (default 0),
 *                                  from the default area ("reserved"),
 *                                  remembered as NAME
 *   cma_release NAME               cma_release() of what NAME holds
 *   cma                            the areas, as cma_debug's files show them
 *
 * A kernel built without CONFIG_CMA (Debian's) has no cma_alloc: the
 * commands say so. The kernel does the work; the failure report is its
 * own ("cma: cma_alloc: reserved: alloc failed, ..." in dmesg). */
#include <inttypes.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "kernel/dma/contiguous.h"
#include "machine.h"
#include "mm.h"
#include "mm/cma.h"

/* The default area, or NULL after saying why there is none. */
static struct cma *default_area(struct cli *c, const char *command)
{
	struct cma *cma;

	if (!c->m->config.cma) {
		cli_error(c, "%s: this kernel is built without CONFIG_CMA (boot with --config CMA=y)",
			  command);
		return NULL;
	}
	cma = dma_contiguous_default_area(c->m);
	if (!cma || !cma->count)
		cli_error(c, "%s: no CMA area: boot with cma=SIZE on the kernel command line (--cmdline)",
			  command);
	return cma && cma->count ? cma : NULL;
}

static int cmd_cma_alloc(struct cli *c, int argc, char **argv)
{
	uint64_t count, align = 0;
	int rc;

	struct cma *cma = default_area(c, argv[0]);
	if (!cma)
		return 2;
	if ((rc = cli_number(c, argv[2], "count", cma->count, &count)))
		return rc;
	if (argc > 3 && (rc = cli_number(c, argv[3], "align", 31, &align)))
		return rc;
	if (!count)
		return cli_error(c, "count: cma_alloc takes at least one page");
	struct cli_name *n = cli_name_bind(c, argv[1], NAME_CMA);
	if (!n)
		return 2;
	struct page *page = cma_alloc(c->m, cma, (unsigned long)count, (unsigned int)align, false);
	if (!page) {
		n->empty = true;
		fprintf(c->out, "%s: cma_alloc failed (%" PRIu64 " pages)\n", argv[1], count);
		return 0;
	}
	n->pfn = page_to_pfn(c->m, page);
	n->nr_pages = (unsigned long)count;
	n->addr = page_address(c->m, page);
	return 0;
}

static int cmd_cma_release(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct cma *cma = default_area(c, argv[0]);
	if (!cma)
		return 2;
	struct cli_name *n = cli_name_get(c, argv[1], NAME_CMA);
	if (!n)
		return 2;
	if (n->empty)
		return cli_error(c, "'%s' holds nothing (its cma_alloc failed)", argv[1]);
	/* A second release really releases twice: the kernel reports the pages it finds free. */
	if (!cma_release(c->m, cma, pfn_to_page(c->m, n->pfn), n->nr_pages))
		return cli_error(c, "cma_release: '%s' is not in area %s", argv[1], cma->name);
	n->freed = true;
	return 0;
}

/* cma: one line per area, from the files mm/cma_debug.c makes for it. */
static int cmd_cma(struct cli *c, int argc, char **argv)
{
	(void)argc;
	if (!c->m->config.cma)
		return cli_error(c, "%s: this kernel is built without CONFIG_CMA (boot with --config "
				 "CMA=y)", argv[0]);
	static const char *const files[] = { "base_pfn", "count", "order_per_bit", "used",
					     "maxchunk" };
	for (unsigned int i = 0; i < c->m->cma->area_count; i++) {
		const struct cma *cma = &c->m->cma->areas[i];
		fprintf(c->out, "%s:", cma->name);
		for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
			fprintf(c->out, " %s ", files[f]);
			/* Each file's value ends in a newline: print it without. */
			char *buf = NULL;
			size_t len = 0;
			FILE *mem = open_memstream(&buf, &len);
			if (!mem)
				return cli_error(c, "%s: out of host memory", argv[0]);
			cma_debugfs_show(c->m, cma->name, files[f], mem);
			fclose(mem);
			fprintf(c->out, "%.*s", len ? (int)len - 1 : 0, buf ? buf : "");
			free(buf);
		}
		fputc('\n', c->out);
	}
	return 0;
}

static const struct cli_command cma_commands[] = {
	{ "cma_alloc", 2, 3, "NAME COUNT [ALIGN]",
	  "cma_alloc() of COUNT contiguous pages from the default CMA area (cma=), the first "
	  "aligned to 2^ALIGN pages; remembered as NAME", cmd_cma_alloc, 0, "--" },
	{ "cma_release", 1, 1, "NAME",
	  "cma_release() of the pages NAME holds; a second release is a real double free the kernel "
	  "reports", cmd_cma_release, 0, "n" },
	{ "cma", 0, 0, "", "the CMA areas: base_pfn, count, order_per_bit, used, maxchunk",
	  cmd_cma, 0, "-" },
};

CLI_COMMAND_SET(cli_cma_commands, "Contiguous memory (CMA)", "cma", cma_commands);
