/* cmd_dma.c — scenario commands of devices and the DMA API: make a device
 * with a DMA mask (behind the IOMMU, or with a boot-time pool), allocate
 * coherent buffers, map kmalloc'd objects and page blocks for streaming
 * DMA (single, page, scatter-gather), sync, let the device read and write
 * through its bus addresses, dma_pool, and show what it all costs.
 *
 * Buffers, mappings and pools are scenario names (NAME_DMA) holding a
 * record of what was mapped; the CPU address of a coherent buffer or pool
 * block is the name's address, so peek/poke reach it through the MMU.
 * Devices have their own names, the kernel's registry (at most 64). The
 * kernel does the work (kernel/dma, mm/dmapool.c, drivers/iommu); its
 * failures are printed and are not scenario errors. */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/dma.h>
#include <mmsim/errno.h>
#include <mmsim/slab.h>

#include "cli/cli.h"
#include "kernel/dma/dma.h"
#include "mm.h"

#define DMA_CLI_MAX_SIZE	(256ULL << 20)	/* one buffer or mapping */
#define DMA_CLI_MAX_SG		128		/* elements of one scatterlist */
#define DMA_CLI_MAX_IO		4096		/* bytes of one dma_read / dma_write */

enum cli_dma_what { CLI_DMA_COHERENT, CLI_DMA_SINGLE, CLI_DMA_PAGE, CLI_DMA_SG, CLI_DMA_POOL,
		    CLI_DMA_POOL_BLOCK };

struct cli_dma {
	enum cli_dma_what what;
	struct device *dev;
	dma_addr_t handle;
	size_t size;
	enum dma_data_direction dir;
	struct dma_pool *pool;		/* CLI_DMA_POOL, CLI_DMA_POOL_BLOCK (NULL once destroyed) */
	int nents, mapped;		/* CLI_DMA_SG: elements, DMA segments */
	struct scatterlist sg[];
};

static struct device *get_device(struct cli *c, const char *name)
{
	struct device *dev = mmsim_device_find(c->m, name);

	if (!dev)
		cli_error(c, "'%s' is not a device (see dma_device)", name);
	return dev;
}

static int parse_bits(struct cli *c, const char *text, uint64_t *mask)
{
	uint64_t bits;
	int rc = cli_number(c, text, "mask width in bits", 64, &bits);

	if (rc)
		return rc;
	if (!bits)
		return cli_error(c, "a DMA mask is 1 to 64 bits wide, not 0");
	*mask = DMA_BIT_MASK(bits);
	return 0;
}

static int parse_dir(struct cli *c, const char *text, enum dma_data_direction *dir)
{
	static const struct { const char *name; enum dma_data_direction dir; } dirs[] = {
		{ "to_device", DMA_TO_DEVICE }, { "from_device", DMA_FROM_DEVICE },
		{ "bidirectional", DMA_BIDIRECTIONAL }, { "DMA_TO_DEVICE", DMA_TO_DEVICE },
		{ "DMA_FROM_DEVICE", DMA_FROM_DEVICE }, { "DMA_BIDIRECTIONAL", DMA_BIDIRECTIONAL },
	};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strcmp(text, dirs[i].name)) {
			*dir = dirs[i].dir;
			return 0;
		}
	return cli_error(c, "'%s' is not a direction (to_device, from_device, bidirectional)", text);
}

/* A live DMA record of the name, of one of the kinds in @mask (1 << what). */
static struct cli_dma *live_dma(struct cli *c, const char *name, unsigned int mask, struct cli_name **np)
{
	struct cli_name *n = cli_name_get(c, name, NAME_DMA);

	if (!n)
		return NULL;
	struct cli_dma *d = n->data;
	if (n->empty || !d) {
		cli_error(c, "'%s' holds nothing (it failed)", name);
		return NULL;
	}
	if (n->freed) {
		cli_error(c, "'%s' was already freed, unmapped or destroyed", name);
		return NULL;
	}
	if (!(mask & (1u << d->what))) {
		cli_error(c, "'%s' is the wrong kind of DMA name for this command", name);
		return NULL;
	}
	if (np)
		*np = n;
	return d;
}

static struct cli_name *bind_dma(struct cli *c, const char *name, struct cli_dma **out, size_t extra)
{
	struct cli_name *n = cli_name_bind(c, name, NAME_DMA);

	if (!n)
		return NULL;
	struct cli_dma *d = calloc(1, sizeof(*d) + extra);
	if (!d) {
		cli_error(c, "out of host memory");
		return NULL;
	}
	n->data = d;
	*out = d;
	return n;
}

/* dma_device NAME BITS [iommu | pool PHYS SIZE] */
static int cmd_dma_device(struct cli *c, int argc, char **argv)
{
	uint64_t mask, phys = 0, size = 0;
	bool iommu = false, pool = false;
	int rc;

	if ((rc = parse_bits(c, argv[2], &mask)))
		return rc;
	if (argc == 4 && !strcmp(argv[3], "iommu")) {
		iommu = true;
	} else if (argc == 6 && !strcmp(argv[3], "pool")) {
		if ((rc = cli_number(c, argv[4], "pool address", UINT64_MAX, &phys)) ||
		    (rc = cli_size(c, argv[5], "pool size", 1ULL << 31, &size)))
			return rc;
		pool = true;
	} else if (argc != 3) {
		return cli_usage(c, argv[0]);
	}
	if (mmsim_device_find(c->m, argv[1]))
		return cli_error(c, "device '%s' exists already", argv[1]);
	struct device *dev = mmsim_device_register(c->m, argv[1]);
	if (!dev)
		return cli_error(c, "dma_device: cannot register '%s': a name is 1-31 printable characters, "
				 "and a machine has at most %d devices", argv[1], MMSIM_MAX_DMA_DEVICES);
	if (iommu && (rc = iommu_attach_device(c->m, dev)))
		fprintf(c->out, "%s: iommu_attach_device failed: %s\n", argv[1], mmsim_strerror(-rc));
	if ((rc = dma_set_mask_and_coherent(c->m, dev, mask)))
		fprintf(c->out, "%s: dma_set_mask_and_coherent(%#" PRIx64 ") failed: %s\n", argv[1], mask,
			mmsim_strerror(-rc));
	if (pool && (rc = dma_declare_coherent_memory(c->m, dev, phys, phys, size)))
		fprintf(c->out, "%s: dma_declare_coherent_memory failed: %s\n", argv[1], mmsim_strerror(-rc));
	fprintf(c->out, "%s %s: dma_mask %#" PRIx64 "%s\n", dev_name(dev), argv[1], dev->dma_mask,
		dev->domain ? ", behind the IOMMU" : dev->dma_mem ? ", with its coherent pool" : "");
	return 0;
}

/* dma_set_mask DEV BITS, dma_set_coherent_mask DEV BITS */
static int cmd_dma_set_mask(struct cli *c, int argc, char **argv)
{
	uint64_t mask;
	int rc;

	(void)argc;
	struct device *dev = get_device(c, argv[1]);
	if (!dev)
		return 2;
	if ((rc = parse_bits(c, argv[2], &mask)))
		return rc;
	bool coherent = !strcmp(argv[0], "dma_set_coherent_mask");
	rc = coherent ? dma_set_coherent_mask(c->m, dev, mask) : dma_set_mask(c->m, dev, mask);
	if (rc)
		fprintf(c->out, "%s: %s(%#" PRIx64 ") failed: %s\n", argv[1], argv[0], mask,
			mmsim_strerror(-rc));
	return 0;
}

static void report_coherent(struct cli *c, const char *name, struct cli_dma *d, kaddr_t cpu)
{
	fprintf(c->out, "%s: %zu bytes, dma %#" PRIx64 ", cpu %#" PRIx64 "\n", name, d->size, d->handle,
		cpu);
}

/* dma_alloc_coherent NAME DEV SIZE [GFP] */
static int cmd_dma_alloc_coherent(struct cli *c, int argc, char **argv)
{
	uint64_t size;
	gfp_t gfp = GFP_KERNEL;
	int rc;

	struct device *dev = get_device(c, argv[2]);
	if (!dev)
		return 2;
	if ((rc = cli_size(c, argv[3], "size", DMA_CLI_MAX_SIZE, &size)) ||
	    (argc > 4 && (rc = cli_gfp(c, argv[4], &gfp))))
		return rc;
	if (!size)
		return cli_error(c, "a coherent buffer has at least one byte");
	struct cli_dma *d;
	struct cli_name *n = bind_dma(c, argv[1], &d, 0);
	if (!n)
		return 2;
	d->what = CLI_DMA_COHERENT;
	d->dev = dev;
	d->size = size;
	n->addr = dma_alloc_coherent(c->m, dev, size, &d->handle, gfp);
	if (!n->addr) {
		n->empty = true;
		fprintf(c->out, "%s: dma_alloc_coherent failed (%zu bytes)\n", argv[1], d->size);
		return 0;
	}
	report_coherent(c, argv[1], d, n->addr);
	return 0;
}

static int cmd_dma_free_coherent(struct cli *c, int argc, char **argv)
{
	struct cli_name *n;

	(void)argc;
	struct cli_dma *d = live_dma(c, argv[1], 1u << CLI_DMA_COHERENT, &n);
	if (!d)
		return 2;
	dma_free_coherent(c->m, d->dev, d->size, n->addr, d->handle);
	n->freed = true;
	return 0;
}

/*
 * The memory a mapping command is given: a kmalloc'd object (its size
 * comes from @size) or a page block (all of it, or @size bytes of it).
 */
static int map_source(struct cli *c, const char *text, struct page **page, size_t *offset,
		      kaddr_t *kaddr, uint64_t *size)
{
	struct cli_name *src = cli_name_find(c, text);

	*page = NULL;
	*kaddr = 0;
	*offset = 0;
	if (src && src->kind == NAME_PAGES) {
		if (src->empty || src->freed)
			return cli_error(c, "'%s' holds no block", text);
		*page = pfn_to_page(c->m, src->pfn);
		uint64_t block = (uint64_t)PAGE_SIZE << src->order;
		if (!*size)
			*size = block;
		if (*size > block)
			return cli_error(c, "'%s' is %" PRIu64 " bytes, not %" PRIu64, text, block, *size);
		return 0;
	}
	if (src && src->kind == NAME_OBJECT) {
		if (src->empty || src->freed)
			return cli_error(c, "'%s' holds no object", text);
		*kaddr = src->addr;
		if (!*size)
			return cli_error(c, "give the size to map of '%s'", text);
		return 0;
	}
	return cli_error(c, "'%s' is not a page block (alloc_pages) or an object (kmalloc)", text);
}

static void report_mapping(struct cli *c, const char *name, struct cli_dma *d)
{
	if (d->handle == DMA_MAPPING_ERROR)
		fprintf(c->out, "%s: mapping failed (DMA_MAPPING_ERROR): see dmesg\n", name);
	else
		fprintf(c->out, "%s: %zu bytes at dma %#" PRIx64 "\n", name, d->size, d->handle);
}

/* dma_map NAME DEV SOURCE DIR [SIZE]: map_single for an object, map_page for a page block. */
static int cmd_dma_map(struct cli *c, int argc, char **argv)
{
	enum dma_data_direction dir = DMA_BIDIRECTIONAL;
	uint64_t size = 0;
	struct page *page;
	size_t offset;
	kaddr_t kaddr;
	int rc;

	struct device *dev = get_device(c, argv[2]);
	if (!dev)
		return 2;
	if ((rc = parse_dir(c, argv[4], &dir)) ||
	    (argc > 5 && (rc = cli_size(c, argv[5], "size", DMA_CLI_MAX_SIZE, &size))) ||
	    (rc = map_source(c, argv[3], &page, &offset, &kaddr, &size)))
		return rc;
	if (!size)
		return cli_error(c, "nothing to map: size 0");
	if ((rc = cli_name_check(c, argv[1], NAME_DMA)))
		return rc;
	struct cli_dma *d;
	struct cli_name *n = bind_dma(c, argv[1], &d, 0);
	if (!n)
		return 2;
	d->dev = dev;
	d->size = size;
	d->dir = dir;
	if (page) {
		d->what = CLI_DMA_PAGE;
		d->handle = dma_map_page(c->m, dev, page, offset, size, dir);
		n->addr = page_address(c->m, page);
	} else {
		d->what = CLI_DMA_SINGLE;
		d->handle = dma_map_single(c->m, dev, kaddr, size, dir);
		n->addr = kaddr;
	}
	if (d->handle == DMA_MAPPING_ERROR)
		n->empty = true;
	report_mapping(c, argv[1], d);
	return 0;
}

/* dma_map_sg NAME DEV DIR SOURCE...: each page block or object one element. */
static int cmd_dma_map_sg(struct cli *c, int argc, char **argv)
{
	enum dma_data_direction dir = DMA_BIDIRECTIONAL;
	int rc, nents = argc - 4;

	struct device *dev = get_device(c, argv[2]);
	if (!dev)
		return 2;
	if ((rc = parse_dir(c, argv[3], &dir)))
		return rc;
	if (nents > DMA_CLI_MAX_SG)
		return cli_error(c, "at most %d elements in one scatterlist", DMA_CLI_MAX_SG);
	struct scatterlist sg[DMA_CLI_MAX_SG];
	memset(sg, 0, sizeof(sg));
	for (int i = 0; i < nents; i++) {
		const char *text = argv[4 + i];
		struct cli_name *src = cli_name_find(c, text);
		if (src && src->kind == NAME_PAGES && !src->empty && !src->freed) {
			sg[i].page = pfn_to_page(c->m, src->pfn);
			sg[i].length = (unsigned int)(PAGE_SIZE << src->order);
		} else if (src && src->kind == NAME_OBJECT && !src->empty && !src->freed &&
			   src->addr >= c->m->page_offset && src->addr < c->m->high_memory) {
			/* sg_init_one(): the object's page and offset; its size is what ksize() gives. */
			phys_addr_t phys = __pa(c->m, src->addr);
			sg[i].page = pfn_to_page(c->m, PFN_DOWN(phys));
			sg[i].offset = (unsigned int)(phys & (PAGE_SIZE - 1));
			sg[i].length = (unsigned int)ksize(c->m, src->addr);
		} else {
			return cli_error(c, "'%s' is not a live page block or lowmem kmalloc object", text);
		}
	}
	if ((rc = cli_name_check(c, argv[1], NAME_DMA)))
		return rc;
	struct cli_dma *d;
	struct cli_name *n = bind_dma(c, argv[1], &d, nents * sizeof(struct scatterlist));
	if (!n)
		return 2;
	d->what = CLI_DMA_SG;
	d->dev = dev;
	d->dir = dir;
	d->nents = nents;
	memcpy(d->sg, sg, nents * sizeof(sg[0]));
	d->mapped = dma_map_sg(c->m, dev, d->sg, nents, dir);
	if (!d->mapped) {
		n->empty = true;
		fprintf(c->out, "%s: dma_map_sg failed: see dmesg\n", argv[1]);
		return 0;
	}
	d->handle = d->sg[0].dma_address;
	fprintf(c->out, "%s: %d elements in %d DMA segment%s:", argv[1], nents, d->mapped,
		d->mapped == 1 ? "" : "s");
	for (int i = 0; i < d->mapped; i++)
		fprintf(c->out, " %#" PRIx64 "+%u", d->sg[i].dma_address, d->sg[i].dma_length);
	fputc('\n', c->out);
	return 0;
}

static int cmd_dma_unmap(struct cli *c, int argc, char **argv)
{
	struct cli_name *n;

	(void)argc;
	struct cli_dma *d = live_dma(c, argv[1], 1u << CLI_DMA_SINGLE | 1u << CLI_DMA_PAGE |
				     1u << CLI_DMA_SG, &n);
	if (!d)
		return 2;
	if (d->what == CLI_DMA_SG)
		dma_unmap_sg(c->m, d->dev, d->sg, d->nents, d->dir);
	else if (d->what == CLI_DMA_PAGE)
		dma_unmap_page(c->m, d->dev, d->handle, d->size, d->dir);
	else
		dma_unmap_single(c->m, d->dev, d->handle, d->size, d->dir);
	n->freed = true;
	return 0;
}

/* dma_sync NAME cpu|device */
static int cmd_dma_sync(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct cli_dma *d = live_dma(c, argv[1], 1u << CLI_DMA_SINGLE | 1u << CLI_DMA_PAGE, NULL);
	if (!d)
		return 2;
	if (!strcmp(argv[2], "cpu"))
		dma_sync_single_for_cpu(c->m, d->dev, d->handle, d->size, d->dir);
	else if (!strcmp(argv[2], "device"))
		dma_sync_single_for_device(c->m, d->dev, d->handle, d->size, d->dir);
	else
		return cli_error(c, "sync for 'cpu' or 'device', not '%s'", argv[2]);
	return 0;
}

/* A bus address: a number, or a DMA name (its handle) with an optional +OFFSET. */
static int bus_addr(struct cli *c, const char *text, dma_addr_t *addr)
{
	char base[128];
	const char *plus = strchr(text, '+');
	size_t len = plus ? (size_t)(plus - text) : strlen(text);
	uint64_t off = 0;
	int rc;

	if (!len || len >= sizeof(base))
		return cli_error(c, "'%s' is not a bus address", text);
	memcpy(base, text, len);
	base[len] = '\0';
	if (plus && (rc = cli_number(c, plus + 1, "offset", UINT32_MAX, &off)))
		return rc;
	if (isdigit((unsigned char)base[0]))
		return cli_number(c, text, "bus address", UINT64_MAX, addr);
	struct cli_name *n = cli_name_get(c, base, NAME_DMA);
	if (!n)
		return 2;
	struct cli_dma *d = n->data;
	if (!d || n->empty || d->what == CLI_DMA_POOL)
		return cli_error(c, "'%s' has no bus address", base);
	/* A freed one still has its old address: the device may use it after all. */
	*addr = d->handle + off;
	return 0;
}

static int cmd_dma_write(struct cli *c, int argc, char **argv)
{
	char text[DMA_CLI_MAX_IO];
	size_t len = 0;
	dma_addr_t addr;
	int rc;

	struct device *dev = get_device(c, argv[1]);
	if (!dev)
		return 2;
	if ((rc = bus_addr(c, argv[2], &addr)))
		return rc;
	for (int i = 3; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (len + n + (i > 3) > sizeof(text))
			return cli_error(c, "dma_write: text longer than %zu bytes", sizeof(text));
		if (i > 3)
			text[len++] = ' ';
		memcpy(text + len, argv[i], n);
		len += n;
	}
	if ((rc = dma_device_write(c->m, dev, addr, text, len)))
		fprintf(c->out, "%s: DMA write of %zu bytes at %#" PRIx64 " failed: %s\n", argv[1], len,
			addr, dev->domain ? "IOMMU fault (see dmesg)" : "beyond the device's reach or not memory");
	return 0;
}

static int cmd_dma_read(struct cli *c, int argc, char **argv)
{
	unsigned char buf[DMA_CLI_MAX_IO];
	uint64_t len = 16;
	dma_addr_t addr;
	int rc;

	struct device *dev = get_device(c, argv[1]);
	if (!dev)
		return 2;
	if ((rc = bus_addr(c, argv[2], &addr)) ||
	    (argc > 3 && (rc = cli_number(c, argv[3], "length", DMA_CLI_MAX_IO, &len))))
		return rc;
	if ((rc = dma_device_read(c->m, dev, addr, buf, len))) {
		fprintf(c->out, "%s: DMA read of %" PRIu64 " bytes at %#" PRIx64 " failed: %s\n", argv[1],
			len, addr, dev->domain ? "IOMMU fault (see dmesg)"
						: "beyond the device's reach or not memory");
		return 0;
	}
	for (uint64_t i = 0; i < len; i += 16) {
		fprintf(c->out, "%016" PRIx64 " ", addr + i);
		for (uint64_t j = i; j < i + 16 && j < len; j++)
			fprintf(c->out, " %02x", buf[j]);
		fprintf(c->out, "  |");
		for (uint64_t j = i; j < i + 16 && j < len; j++)
			fputc(isprint(buf[j]) ? buf[j] : '.', c->out);
		fprintf(c->out, "|\n");
	}
	return 0;
}

/* dma_pool_create NAME DEV SIZE [ALIGN [BOUNDARY]] */
static int cmd_dma_pool_create(struct cli *c, int argc, char **argv)
{
	uint64_t size, align = 0, boundary = 0;
	int rc;

	struct device *dev = get_device(c, argv[2]);
	if (!dev)
		return 2;
	if ((rc = cli_size(c, argv[3], "block size", 1ULL << 22, &size)) ||
	    (argc > 4 && (rc = cli_size(c, argv[4], "alignment", 1ULL << 22, &align))) ||
	    (argc > 5 && (rc = cli_size(c, argv[5], "boundary", 1ULL << 30, &boundary))))
		return rc;
	struct cli_dma *d;
	struct cli_name *n = bind_dma(c, argv[1], &d, 0);
	if (!n)
		return 2;
	d->what = CLI_DMA_POOL;
	d->dev = dev;
	d->pool = dma_pool_create(c->m, argv[1], dev, size, align, boundary);
	if (!d->pool) {
		n->empty = true;
		fprintf(c->out, "%s: dma_pool_create failed (size %" PRIu64 ", align %" PRIu64
			", boundary %" PRIu64 ")\n", argv[1], size, align, boundary);
	}
	return 0;
}

/* dma_pool_alloc NAME POOL [GFP] */
static int cmd_dma_pool_alloc(struct cli *c, int argc, char **argv)
{
	gfp_t gfp = GFP_KERNEL;
	int rc;

	struct cli_dma *p = live_dma(c, argv[2], 1u << CLI_DMA_POOL, NULL);
	if (!p)
		return 2;
	if (argc > 3 && (rc = cli_gfp(c, argv[3], &gfp)))
		return rc;
	struct cli_dma *d;
	struct cli_name *n = bind_dma(c, argv[1], &d, 0);
	if (!n)
		return 2;
	d->what = CLI_DMA_POOL_BLOCK;
	d->dev = p->dev;
	d->pool = p->pool;
	n->addr = dma_pool_alloc(c->m, p->pool, gfp, &d->handle);
	if (!n->addr) {
		n->empty = true;
		fprintf(c->out, "%s: dma_pool_alloc failed\n", argv[1]);
		return 0;
	}
	fprintf(c->out, "%s: dma %#" PRIx64 ", cpu %#" PRIx64 "\n", argv[1], d->handle, n->addr);
	return 0;
}

static int cmd_dma_pool_free(struct cli *c, int argc, char **argv)
{
	struct cli_name *n;

	(void)argc;
	struct cli_dma *d = live_dma(c, argv[1], 1u << CLI_DMA_POOL_BLOCK, &n);
	if (!d)
		return 2;
	if (!d->pool)
		return cli_error(c, "'%s' came from a pool that was destroyed", argv[1]);
	dma_pool_free(c->m, d->pool, n->addr, d->handle);
	n->freed = true;
	return 0;
}

static int cmd_dma_pool_destroy(struct cli *c, int argc, char **argv)
{
	struct cli_name *n, *b;
	const char *name;

	(void)argc;
	struct cli_dma *d = live_dma(c, argv[1], 1u << CLI_DMA_POOL, &n);
	if (!d)
		return 2;
	dma_pool_destroy(c->m, d->pool);
	/* Blocks still named lose their pool: freeing one now would touch freed memory. */
	for (size_t i = 0; cli_name_next(c, &i, &name, &b);) {
		struct cli_dma *bd = b->kind == NAME_DMA ? b->data : NULL;
		if (bd && bd->what == CLI_DMA_POOL_BLOCK && bd->pool == d->pool)
			bd->pool = NULL;
	}
	d->pool = NULL;
	n->freed = true;
	return 0;
}

static int cmd_dma_show(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	dma_devices_show(c->m, c->out);
	return 0;
}

static const struct cli_command dma_commands[] = {
	{ "dma_device", 2, 5, "NAME BITS [iommu | pool PHYS SIZE]",
	  "register a device with a BITS-wide DMA mask, behind the IOMMU or with a coherent pool on "
	  "reserved memory (memmap=SIZE$PHYS)", cmd_dma_device, 0, "-" },
	{ "dma_set_mask", 2, 2, "DEV BITS", "set the streaming DMA mask (-EIO if unsupported)",
	  cmd_dma_set_mask, 0, "-" },
	{ "dma_set_coherent_mask", 2, 2, "DEV BITS", "set the coherent DMA mask (-EIO if unsupported)",
	  cmd_dma_set_mask, 0, "-" },
	{ "dma_alloc_coherent", 3, 4, "NAME DEV SIZE [GFP]",
	  "a coherent buffer for DEV: its pool, the IOMMU, or pages in the zone its mask reaches",
	  cmd_dma_alloc_coherent, 0, "n--g" },
	{ "dma_free_coherent", 1, 1, "NAME", "free a coherent buffer", cmd_dma_free_coherent, 0, "n" },
	{ "dma_map", 4, 5, "NAME DEV SOURCE DIR [SIZE]",
	  "map a kmalloc'd object (dma_map_single) or page block (dma_map_page) for DEV; DIR is "
	  "to_device, from_device or bidirectional", cmd_dma_map, 0, "n-n--" },
	{ "dma_map_sg", 4, CLI_ANY, "NAME DEV DIR SOURCE...",
	  "map page blocks and objects as one scatterlist (one IOVA range behind the IOMMU)",
	  cmd_dma_map_sg, 0, "n--n" },
	{ "dma_unmap", 1, 1, "NAME", "unmap a streaming mapping (copying a bounce buffer back)",
	  cmd_dma_unmap, 0, "n" },
	{ "dma_sync", 2, 2, "NAME cpu|device", "dma_sync_single_for_cpu / _for_device",
	  cmd_dma_sync, 0, "n-" },
	{ "dma_write", 3, CLI_ANY, "DEV ADDR|NAME[+OFF] TEXT...",
	  "the device writes TEXT at a bus address (through its IOMMU domain if it has one)",
	  cmd_dma_write, 0, "-n-" },
	{ "dma_read", 2, 3, "DEV ADDR|NAME[+OFF] [LEN]", "the device reads LEN bytes at a bus address",
	  cmd_dma_read, 0, "-n-" },
	{ "dma_pool_create", 3, 5, "NAME DEV SIZE [ALIGN [BOUNDARY]]",
	  "a pool of SIZE-byte coherent blocks for DEV", cmd_dma_pool_create, 0, "n-" },
	{ "dma_pool_alloc", 2, 3, "NAME POOL [GFP]", "a block from a dma_pool", cmd_dma_pool_alloc, 0,
	  "nng" },
	{ "dma_pool_free", 1, 1, "NAME", "give a block back to its pool", cmd_dma_pool_free, 0, "n" },
	{ "dma_pool_destroy", 1, 1, "POOL", "destroy a pool (blocks still in use leak, with the kernel's "
	  "message)", cmd_dma_pool_destroy, 0, "n" },
	{ "dma_show", 0, 0, "", "devices, their masks, live mappings, pools, IOMMU domains, swiotlb and "
	  "what each cost", cmd_dma_show, 0, "-" },
};

CLI_COMMAND_SET(cli_dma_commands, "Devices and DMA", "dma", dma_commands);
