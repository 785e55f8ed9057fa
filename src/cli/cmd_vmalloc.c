/* cmd_vmalloc.c — scenario commands of the vmalloc area (docs/vmalloc.md):
 * vmalloc and its variants, vmap of existing frames, ioremap of device
 * memory, their frees, the lazy purge, and one area's vmallocinfo line.
 *
 * An area's name holds its address (the area's start; for ioremap the
 * offset of PHYS in its page is kept, as the kernel returns it), so it
 * works wherever an address does. The area's own name is its caller in
 * /proc/vmallocinfo, where the kernel shows the allocating function. */
#include <inttypes.h>
#include <stdlib.h>

#include <mmsim/vmalloc.h>

#include "cli/cli.h"
#include "mm/vmalloc.h"

static const enum cli_name_kind area_kinds[] = { NAME_VMALLOC, NAME_VMAP, NAME_IOREMAP };

static int need_vmalloc(struct cli *c, const char *cmd)
{
	if (!mmsim_vmalloc_end(c->m))
		return cli_error(c, "%s: the vmalloc area is not set up on this machine", cmd);
	return 0;
}

/* The largest size the simulated kernel's unsigned long holds. */
static uint64_t max_size(const struct cli *c)
{
	return c->m->is_32bit ? 0xffffffffULL : UINT64_MAX >> 1;
}

static int bind_area(struct cli *c, const char *name, enum cli_name_kind kind, kaddr_t addr,
		     const char *what)
{
	struct cli_name *n = cli_name_bind(c, name, kind);

	if (!n)
		return 2;
	n->addr = addr;
	n->empty = !addr;
	if (!addr)
		fprintf(c->out, "%s: %s failed\n", name, what);
	return 0;
}

static int vmalloc_cmd(struct cli *c, int argc, char **argv, int variant)
{
	uint64_t size;
	gfp_t gfp = GFP_KERNEL;
	int rc;

	if ((rc = need_vmalloc(c, argv[0])) ||
	    (rc = cli_size(c, argv[2], "size", max_size(c), &size)) ||
	    (argc > 3 && (rc = cli_gfp(c, argv[3], &gfp))))
		return rc;
	/* The name first, so that a bad one leaks nothing. */
	if ((rc = cli_name_check(c, argv[1], NAME_VMALLOC)))
		return rc;
	kaddr_t addr;
	if (variant == 0)
		addr = mmsim_vmalloc_caller(c->m, (unsigned long)size, gfp, argv[1]);
	else if (variant == 1)
		addr = mmsim_vmalloc_caller(c->m, (unsigned long)size, GFP_KERNEL | __GFP_ZERO, argv[1]);
	else
		addr = mmsim_vmalloc_user_caller(c->m, (unsigned long)size, argv[1]);
	if ((rc = bind_area(c, argv[1], NAME_VMALLOC, addr, "allocation")) && addr)
		vfree(c->m, addr);
	return rc;
}

static int cmd_vmalloc(struct cli *c, int argc, char **argv)
{
	return vmalloc_cmd(c, argc, argv, 0);
}

static int cmd_vzalloc(struct cli *c, int argc, char **argv)
{
	return vmalloc_cmd(c, argc, argv, 1);
}

static int cmd_vmalloc_user(struct cli *c, int argc, char **argv)
{
	return vmalloc_cmd(c, argc, argv, 2);
}

static int cmd_vmap(struct cli *c, int argc, char **argv)
{
	uint64_t pfn, count;
	int rc;

	(void)argc;
	if ((rc = need_vmalloc(c, argv[0])) ||
	    (rc = cli_number(c, argv[2], "pfn", UINT64_MAX, &pfn)) ||
	    (rc = cli_number(c, argv[3], "page count", c->m->max_pfn, &count)))
		return rc;
	if (!count)
		return cli_error(c, "vmap: a page count of 0 maps nothing");
	if (pfn >= c->m->max_pfn || count > c->m->max_pfn - pfn)
		return cli_error(c, "pfns %#" PRIx64 "+%" PRIu64 " go past the end of memory "
				 "(max_pfn %#lx)", pfn, count, c->m->max_pfn);
	for (uint64_t p = pfn; p < pfn + count; p++)
		if (!pfn_valid(c->m, (unsigned long)p))
			return cli_error(c, "pfn %#" PRIx64 " has no struct page", p);
	if ((rc = cli_name_check(c, argv[1], NAME_VMAP)))
		return rc;
	struct page **pages = malloc(count * sizeof(*pages));
	if (!pages)
		return cli_error(c, "out of host memory");
	for (uint64_t i = 0; i < count; i++)
		pages[i] = pfn_to_page(c->m, (unsigned long)(pfn + i));
	kaddr_t addr = mmsim_vmap_caller(c->m, pages, (unsigned int)count, VM_MAP, page_kernel(c->m),
				   argv[1]);
	free(pages);
	if ((rc = bind_area(c, argv[1], NAME_VMAP, addr, "vmap")) && addr)
		vunmap(c->m, addr);
	return rc;
}

static int cmd_ioremap(struct cli *c, int argc, char **argv)
{
	uint64_t phys, size;
	int rc;

	(void)argc;
	if ((rc = need_vmalloc(c, argv[0])) ||
	    (rc = cli_number(c, argv[2], "physical address",
			     c->m->is_32bit ? 0xffffffffULL : UINT64_MAX, &phys)) ||
	    (rc = cli_size(c, argv[3], "size", max_size(c), &size)))
		return rc;
	if (!size || phys + size - 1 < phys)
		return cli_error(c, "bad size '%s'", argv[3]);
	if ((rc = cli_name_check(c, argv[1], NAME_IOREMAP)))
		return rc;
	kaddr_t addr = mmsim_ioremap_caller(c->m, phys, (unsigned long)size, argv[1]);
	if ((rc = bind_area(c, argv[1], NAME_IOREMAP, addr, "ioremap")) && addr)
		iounmap(c->m, addr);
	return rc;
}

/* vfree / vunmap / iounmap NAME: a second free really happens (the kernel warns). */
static int free_area(struct cli *c, const char *name, enum cli_name_kind kind)
{
	struct cli_name *n = cli_name_find(c, name);

	if (!n || (n->kind != NAME_VMALLOC && n->kind != NAME_VMAP && n->kind != NAME_IOREMAP))
		return cli_name_get(c, name, kind) ? 0 : 2;
	if (n->kind != kind) {
		static const char *const verb[] = { "vfree", "vunmap", "iounmap" };
		unsigned int have = 0, want = 0;
		for (unsigned int i = 0; i < 3; i++) {
			if (area_kinds[i] == n->kind)
				have = i;
			if (area_kinds[i] == kind)
				want = i;
		}
		return cli_error(c, "%s cannot be freed with %s: use %s", name, verb[want],
				 verb[have]);
	}
	if (n->empty) {
		fprintf(c->out, "%s: nothing to free (the allocation failed)\n", name);
		return 0;
	}
	if (kind == NAME_VMALLOC)
		vfree(c->m, n->addr);
	else if (kind == NAME_VMAP)
		vunmap(c->m, n->addr);
	else
		iounmap(c->m, n->addr);
	n->freed = true;
	return 0;
}

static int cmd_vfree(struct cli *c, int argc, char **argv)
{
	(void)argc;
	return need_vmalloc(c, argv[0]) ? 2 : free_area(c, argv[1], NAME_VMALLOC);
}

static int cmd_vunmap(struct cli *c, int argc, char **argv)
{
	(void)argc;
	return need_vmalloc(c, argv[0]) ? 2 : free_area(c, argv[1], NAME_VMAP);
}

static int cmd_iounmap(struct cli *c, int argc, char **argv)
{
	(void)argc;
	return need_vmalloc(c, argv[0]) ? 2 : free_area(c, argv[1], NAME_IOREMAP);
}

static int cmd_purge_vmap(struct cli *c, int argc, char **argv)
{
	(void)argc;
	if (need_vmalloc(c, argv[0]))
		return 2;
	purge_vmap_area_lazy(c->m);
	return 0;
}

static int cmd_vshow(struct cli *c, int argc, char **argv)
{
	(void)argc;
	const struct cli_name *n = cli_name_find(c, argv[1]);
	if (need_vmalloc(c, argv[0]))
		return 2;
	if (!n || (n->kind != NAME_VMALLOC && n->kind != NAME_VMAP && n->kind != NAME_IOREMAP))
		return cli_name_get(c, argv[1], NAME_VMALLOC) ? 0 : 2;
	fprintf(c->out, "%s: ", argv[1]);
	if (n->freed || n->empty || vmalloc_area_show(c->m, n->addr, c->out))
		fprintf(c->out, "not mapped%s\n", n->empty ? "" : " (freed)");
	return 0;
}

static const struct cli_command vmalloc_commands[] = {
	{ "vmalloc", 2, 3, "NAME SIZE [GFP]",
	  "virtually contiguous memory from pages of any zone, with a guard page",
	  cmd_vmalloc, 0, "--g" },
	{ "vzalloc", 2, 2, "NAME SIZE", "vmalloc, zeroed", cmd_vzalloc, 0, "-" },
	{ "vmalloc_user", 2, 2, "NAME SIZE", "zeroed and flagged VM_USERMAP", cmd_vmalloc_user, 0,
	  "-" },
	{ "vfree", 1, 1, "NAME",
	  "unmap now; the addresses are reused after the lazy purge flushes the TLBs",
	  cmd_vfree, 0, "n" },
	{ "vmap", 3, 3, "NAME PFN COUNT", "map COUNT existing frames from PFN",
	  cmd_vmap, 0, "-" },
	{ "vunmap", 1, 1, "NAME", "remove a vmap (the frames stay allocated)",
	  cmd_vunmap, 0, "n" },
	{ "ioremap", 3, 3, "NAME PHYS SIZE", "map device or firmware memory uncached (never RAM)",
	  cmd_ioremap, 0, "-" },
	{ "iounmap", 1, 1, "NAME", "remove an ioremap", cmd_iounmap, 0, "n" },
	{ "purge_vmap", 0, 0, "", "purge the lazily freed areas now",
	  cmd_purge_vmap, 0, "-" },
	{ "vshow", 1, 1, "NAME", "the area's /proc/vmallocinfo line", cmd_vshow, 0, "n" },
};

CLI_COMMAND_SET(cli_vmalloc_commands, "vmalloc, vmap and ioremap", "vmalloc", vmalloc_commands);
