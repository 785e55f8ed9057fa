/* cmd_page_alloc.c — scenario commands of the buddy page allocator
 * (mm/page_alloc.c): allocate and free blocks of pages, look at where they
 * are and what they hold, drain the per-CPU lists, pick the CPU; and
 * alloc_contig_pages(), the range allocator beyond MAX_ORDER. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "mm.h"
#include "mm/internal.h"

/* A block the scenario still owns: its bytes may be read and written. */
static struct cli_name *live_block(struct cli *c, const char *name)
{
	struct cli_name *n = cli_name_get(c, name, NAME_PAGES);

	if (n && n->empty) {
		cli_error(c, "'%s' holds no block (its allocation failed)", name);
		return NULL;
	}
	if (n && n->freed) {
		cli_error(c, "'%s' was freed; its memory is no longer yours", name);
		return NULL;
	}
	return n;
}

static int cmd_alloc_pages(struct cli *c, int argc, char **argv)
{
	uint64_t order;
	gfp_t gfp;
	int rc;

	(void)argc;
	if ((rc = cli_gfp(c, argv[2], &gfp)) || (rc = cli_number(c, argv[3], "order", 31, &order)))
		return rc;
	struct cli_name *n = cli_name_bind(c, argv[1], NAME_PAGES);
	if (!n)
		return 2;
	struct page *page = alloc_pages(c->m, gfp, (unsigned int)order);
	if (!page) {
		n->empty = true;
		fprintf(c->out, "%s: allocation failed (order %" PRIu64 ")\n", argv[1], order);
		return 0;
	}
	n->pfn = page_to_pfn(c->m, page);
	n->order = (unsigned int)order;
	return 0;
}

static int cmd_free_pages(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct cli_name *n = cli_name_get(c, argv[1], NAME_PAGES);
	if (!n)
		return 2;
	if (n->empty)
		return cli_error(c, "'%s' holds no block (its allocation failed)", argv[1]);
	/* A second free of the same name really frees twice: the kernel reports it. */
	__free_pages(c->m, pfn_to_page(c->m, n->pfn), n->order);
	n->freed = true;
	return 0;
}

/* __free_pages() on a raw frame number: how bad frees are demonstrated. */
static int cmd_free_pfn(struct cli *c, int argc, char **argv)
{
	uint64_t pfn, order;
	int rc;

	(void)argc;
	if ((rc = cli_number(c, argv[1], "pfn", UINT64_MAX, &pfn)) ||
	    (rc = cli_number(c, argv[2], "order", MAX_ORDER - 1, &order)))
		return rc;
	if (pfn >= c->m->max_pfn || !pfn_valid(c->m, (unsigned long)pfn) ||
	    !pfn_valid(c->m, (unsigned long)pfn + (1UL << order) - 1))
		return cli_error(c, "pfn %#" PRIx64 " (order %" PRIu64 ") is not memory on this "
				 "machine (max_pfn %#lx)", pfn, order, c->m->max_pfn);
	const char *name;
	struct cli_name *n;
	for (size_t i = 0; cli_name_next(c, &i, &name, &n);) {
		if (n->kind == NAME_PAGES && !n->freed && n->pfn == pfn && n->order == order &&
		    page_ref_count(pfn_to_page(c->m, (unsigned long)pfn)) == 1) {
			n->freed = true;	/* the name no longer owns it */
			break;
		}
	}
	__free_pages(c->m, pfn_to_page(c->m, (unsigned long)pfn), (unsigned int)order);
	return 0;
}

static int cmd_show(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct cli_name *n = cli_name_get(c, argv[1], NAME_PAGES);
	if (!n)
		return 2;
	if (n->empty) {
		fprintf(c->out, "%s: allocation failed, no block\n", argv[1]);
		return 0;
	}
	if (n->freed) {
		fprintf(c->out, "%s: freed (was order %u at pfn %#lx)\n", argv[1], n->order, n->pfn);
		return 0;
	}
	struct page *page = pfn_to_page(c->m, n->pfn);
	kaddr_t va = page_address(c->m, page);
	fprintf(c->out, "%s: order %u, pfn %#lx-%#lx, phys %#" PRIx64 ", zone %s, ", argv[1],
		n->order, n->pfn, n->pfn + (1UL << n->order) - 1, (uint64_t)PFN_PHYS(n->pfn),
		page_zone(c->m, page)->name);
	if (va)
		fprintf(c->out, "virt %#" PRIx64 "\n", va);
	else
		fprintf(c->out, "no kernel mapping (highmem)\n");
	return 0;
}

static int cmd_fill(struct cli *c, int argc, char **argv)
{
	uint64_t byte;
	int rc;

	(void)argc;
	if ((rc = cli_number(c, argv[2], "byte", 255, &byte)))
		return rc;
	struct cli_name *n = live_block(c, argv[1]);
	if (!n)
		return 2;
	memset(page_host_address(c->m, pfn_to_page(c->m, n->pfn)), (int)byte, PAGE_SIZE << n->order);
	return 0;
}

/* hexdump NAME [OFFSET [LEN]]: the block's bytes, 16 to a line. */
static int cmd_hexdump(struct cli *c, int argc, char **argv)
{
	uint64_t off = 0, len = 64;
	int rc;

	struct cli_name *n = live_block(c, argv[1]);
	if (!n)
		return 2;
	uint64_t size = PAGE_SIZE << n->order;
	if ((argc > 2 && (rc = cli_number(c, argv[2], "offset", size - 1, &off))) ||
	    (argc > 3 && (rc = cli_number(c, argv[3], "length", size, &len))))
		return rc;
	if (off + len > size)
		len = size - off;
	const unsigned char *p = page_host_address(c->m, pfn_to_page(c->m, n->pfn));
	for (uint64_t i = 0; i < len; i += 16) {
		fprintf(c->out, "%08" PRIx64 " ", off + i);
		for (uint64_t j = i; j < i + 16 && j < len; j++)
			fprintf(c->out, " %02x", p[off + j]);
		fputc('\n', c->out);
	}
	return 0;
}

static int cmd_drain(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	drain_all_pages(c->m);
	return 0;
}

static int cmd_cpu(struct cli *c, int argc, char **argv)
{
	uint64_t cpu;
	int rc;

	(void)argc;
	if ((rc = cli_number(c, argv[1], "cpu", c->m->nr_cpus - 1, &cpu)))
		return rc;
	c->m->cur_cpu = (unsigned int)cpu;
	return 0;
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * alloc_contig NAME SIZE [GFP]: alloc_contig_pages() of SIZE bytes (whole
 * pages): found where the zones allow, its pages in use migrated away.
 * What it cost is printed: the pages migrated, the bytes copied, and the
 * host CPU time of the call.
 */
static int cmd_alloc_contig(struct cli *c, int argc, char **argv)
{
	uint64_t size;
	gfp_t gfp = GFP_KERNEL;
	int rc;

	if ((rc = cli_size(c, argv[2], "size", (uint64_t)c->m->max_pfn << PAGE_SHIFT, &size)) ||
	    (argc > 3 && (rc = cli_gfp(c, argv[3], &gfp))))
		return rc;
	unsigned long nr = (unsigned long)((size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	if (!nr)
		return cli_error(c, "size: alloc_contig takes at least one page");
	struct cli_name *n = cli_name_bind(c, argv[1], NAME_CONTIG);
	if (!n)
		return 2;
	unsigned long migrated = c->m->events.event[PGMIGRATE_SUCCESS];
	unsigned long copied = c->m->migrate.copied_bytes;
	double t0 = cpu_ms();
	struct page *page = alloc_contig_pages(c->m, nr, gfp);
	double ms = cpu_ms() - t0;
	migrated = c->m->events.event[PGMIGRATE_SUCCESS] - migrated;
	copied = c->m->migrate.copied_bytes - copied;
	if (!page) {
		n->empty = true;
		fprintf(c->out, "%s: alloc_contig_pages failed (%lu pages); %lu pages migrated in vain\n",
			argv[1], nr, migrated);
		return 0;
	}
	n->pfn = page_to_pfn(c->m, page);
	n->nr_pages = nr;
	fprintf(c->out, "%s: %lu pages at pfn %#lx-%#lx (%s), %lu pages migrated (%lu KiB copied), "
		"%.1f ms\n", argv[1], nr, n->pfn, n->pfn + nr - 1, page_zone(c->m, page)->name,
		migrated, copied >> 10, ms);
	return 0;
}

static int cmd_free_contig(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct cli_name *n = cli_name_get(c, argv[1], NAME_CONTIG);
	if (!n)
		return 2;
	if (n->empty)
		return cli_error(c, "'%s' holds nothing (its alloc_contig failed)", argv[1]);
	/* A second free really frees twice: the kernel reports the pages it finds free. */
	free_contig_range(c->m, n->pfn, n->nr_pages);
	n->freed = true;
	return 0;
}

static const struct cli_command page_alloc_commands[] = {
	{ "alloc_pages", 3, 3, "NAME GFP ORDER",
	  "alloc_pages(GFP, ORDER): 2^ORDER contiguous pages, remembered as NAME",
	  cmd_alloc_pages, 0, "-g-" },
	{ "free_pages", 1, 1, "NAME",
	  "__free_pages() of the block; a second free is a real double free the kernel reports",
	  cmd_free_pages, 0, "n" },
	{ "free_pfn", 2, 2, "PFN ORDER",
	  "__free_pages(pfn_to_page(PFN), ORDER) on any frame: the kernel catching bad frees",
	  cmd_free_pfn, 0, "-" },
	{ "show", 1, 1, "NAME",
	  "where the block is: pfns, physical address, zone, kernel address (none for HighMem)",
	  cmd_show, 0, "n" },
	{ "fill", 2, 2, "NAME BYTE", "write BYTE into every byte of the block",
	  cmd_fill, 0, "n-" },
	{ "hexdump", 1, 3, "NAME [OFFSET [LEN]]", "print the block's bytes, 16 to a line",
	  cmd_hexdump, 0, "n-" },
	{ "alloc_contig", 2, 3, "NAME SIZE [GFP]",
	  "alloc_contig_pages(): SIZE contiguous, beyond MAX_ORDER, pages in the way migrated",
	  cmd_alloc_contig, 0, "--g" },
	{ "free_contig", 1, 1, "NAME", "free_contig_range() of what alloc_contig took",
	  cmd_free_contig, 0, "n" },
	{ "drain", 0, 0, "", "drain_all_pages(): per-CPU cached pages back to the buddy lists",
	  cmd_drain, 0, "-" },
	{ "cpu", 1, 1, "N", "run the following commands on CPU N (each has its own pcp lists)",
	  cmd_cpu, 0, "-" },
};

CLI_COMMAND_SET(cli_page_alloc_commands, "Allocating pages", "page_alloc", page_alloc_commands);
