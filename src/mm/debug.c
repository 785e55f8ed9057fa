/* debug.c — printing mm state the way the kernel prints it (mm/debug.c).
 *
 * GFP masks as "%pGg" prints them, struct page as dump_page() prints it,
 * and the parser that reads such GFP names back. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/page.h>

#include "mm/internal.h"

/*
 * The kernel's gfpflag_names table, in its order: composite names first,
 * so GFP_KERNEL|__GFP_ZERO prints as such rather than as its bits.
 */
static const struct { gfp_t mask; const char *name; } gfpflag_names[] = {
	{ GFP_TRANSHUGE, "GFP_TRANSHUGE" },
	{ GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT" },
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_ATOMIC, "__GFP_ATOMIC" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_COMP, "__GFP_COMP" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_THISNODE, "__GFP_THISNODE" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ __GFP_WRITE, "__GFP_WRITE" },
	{ __GFP_RECLAIM, "__GFP_RECLAIM" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ __GFP_ZEROTAGS, "__GFP_ZEROTAGS" },
};

const char *mmsim_gfp_name(size_t i)
{
	return i < ARRAY_SIZE(gfpflag_names) ? gfpflag_names[i].name : NULL;
}

void mmsim_gfp_format(FILE *out, gfp_t gfp)
{
	bool first = true;

	if (!gfp) {
		fputs("0", out);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(gfpflag_names); i++) {
		gfp_t mask = gfpflag_names[i].mask;
		if ((gfp & mask) != mask)
			continue;
		fprintf(out, "%s%s", first ? "" : "|", gfpflag_names[i].name);
		gfp &= ~mask;
		first = false;
	}
	if (gfp)
		fprintf(out, "%s0x%x", first ? "" : "|", gfp);
}

const char *gfp_string(gfp_t gfp, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");

	if (!f) {
		snprintf(buf, len, "%#x", gfp);
		return buf;
	}
	mmsim_gfp_format(f, gfp);
	fclose(f);
	return buf;
}

int mmsim_gfp_parse(const char *text, gfp_t *gfp, const char **bad, size_t *bad_len)
{
	gfp_t value = 0;
	const char *s = text;

	for (;;) {
		while (*s == ' ')
			s++;
		const char *start = s;
		while (*s && *s != '|' && *s != ' ')
			s++;
		size_t len = (size_t)(s - start);
		bool found = false;
		if (len && isdigit((unsigned char)*start)) {
			char *end;
			errno = 0;
			unsigned long v = strtoul(start, &end, 0);
			if (!errno && end == s && v <= __GFP_BITS_MASK) {
				value |= (gfp_t)v;
				found = true;
			}
		}
		for (size_t i = 0; !found && i < ARRAY_SIZE(gfpflag_names); i++)
			if (strlen(gfpflag_names[i].name) == len &&
			    !strncmp(gfpflag_names[i].name, start, len)) {
				value |= gfpflag_names[i].mask;
				found = true;
			}
		if (!found) {
			*bad = start;
			*bad_len = len;
			return -MMSIM_EINVAL;
		}
		while (*s == ' ')
			s++;
		if (*s != '|')
			break;
		s++;
	}
	if (*s) {
		*bad = s;
		*bad_len = strlen(s);
		return -MMSIM_EINVAL;
	}
	*gfp = value;
	return 0;
}

static const char *const pageflag_names[__NR_PAGEFLAGS] = {
	"locked", "referenced", "uptodate", "dirty", "lru", "active", "workingset",
	"waiters", "error", "slab", "owner_priv_1", "arch_1", "reserved", "private",
	"private_2", "writeback", "head", "mappedtodisk", "reclaim", "swapbacked",
	"unevictable", "mlocked",
};

/* The zone's number in the kernel's enum for this architecture. */
static unsigned int kernel_zone_number(const struct machine *m, unsigned int idx)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < idx; i++)
		if (m->node.node_zones[i].configured)
			n++;
	return n;
}

/*
 * page->flags as the simulated kernel would hold it: the PG_ bits, and the
 * zone (and on x86_64 the node and the reset last_cpupid) in the top bits.
 */
static uint64_t kernel_page_flags(const struct machine *m, const struct page *page,
				  unsigned int *zone_out)
{
	uint64_t low = page->flags & ((1UL << __NR_PAGEFLAGS) - 1);
	unsigned int zone = kernel_zone_number(m, page_zonenum(page));

	*zone_out = zone;
	if (m->is_32bit)
		return low | ((uint64_t)zone << 30);	/* ZONES_WIDTH 2 at the top */
	/* NODES_WIDTH 10 | ZONES_WIDTH 3 | LAST_CPUPID_WIDTH 21, from the top. */
	return low | ((uint64_t)zone << 51) | (0x1fffffULL << 30);
}

kaddr_t page_address(struct machine *m, const struct page *page)
{
	if (PageHighMem(m, page))
		return page->kmap_slot ? m->pkmap_base + ((uint64_t)(page->kmap_slot - 1) << PAGE_SHIFT)
				       : 0;
	return lowmem_page_address(m, page);
}

void dump_page(struct machine *m, struct page *page, const char *reason)
{
	unsigned long pfn = page_to_pfn(m, page);
	uint64_t addr = m->mem_map_virt + (uint64_t)pfn * m->profile->struct_page_size;
	unsigned int zone;
	uint64_t flags = kernel_page_flags(m, page, &zone);
	int width = m->is_32bit ? 8 : 16;
	char names[256] = "";
	size_t n = 0;

	for (int bit = 0; bit < __NR_PAGEFLAGS; bit++)
		if (page->flags & (1UL << bit))
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s|", pageflag_names[bit]);
	/* A buddy page's page_type reads as mapcount -128, as in real reports. */
	int mapcount = page->_mapcount + 1;
	printk(m, KERN_WARNING "page:%0*" PRIx64 " refcount:%d mapcount:%d mapping:%0*" PRIx64 " index:0x%lx pfn:0x%lx\n",
	       width, addr, page_ref_count(page), mapcount, width,
	       (uint64_t)(uintptr_t)page->mapping, page->index, pfn);
	if (m->is_32bit)
		printk(m, KERN_WARNING "flags: %#" PRIx64 "(%szone=%u)\n", flags, names, zone);
	else
		printk(m, KERN_WARNING "flags: %#" PRIx64 "(%snode=0|zone=%u|lastcpupid=0x1fffff)\n",
		       flags, names, zone);
	printk(m, KERN_WARNING "page dumped because: %s\n", reason);
}

/* ---- exported accessors (include/mmsim/page.h) ---------------------------- */

void mmsim_page_flag_names(unsigned long flags, char *buf, size_t n)
{
	size_t used = 0;

	if (n)
		buf[0] = '\0';
	for (int bit = 0; bit < __NR_PAGEFLAGS && used < n; bit++)
		if (flags & (1UL << bit))
			used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? "|" : "",
						 pageflag_names[bit]);
}

struct page *mmsim_pfn_to_page(struct machine *m, unsigned long pfn)
{
	return pfn_valid(m, pfn) ? pfn_to_page(m, pfn) : NULL;
}

unsigned long mmsim_page_to_pfn(const struct machine *m, const struct page *page)
{
	return page_to_pfn(m, page);
}

kaddr_t mmsim_page_address(struct machine *m, const struct page *page)
{
	return page_address(m, page);
}

void *mmsim_page_data(struct machine *m, const struct page *page)
{
	return page_host_address(m, page);
}

const char *mmsim_page_zone_name(struct machine *m, const struct page *page)
{
	return page_zone(m, page)->name;
}

/*
 * BUG() after a failed VM_BUG_ON (mmdebug.h): lib/bug.c's report_bug()
 * text, with the path as the kernel's tree names it (mm/page_alloc.c),
 * and the oops line the trap handler adds (die(); its PTI/NOPTI tail
 * omitted). For VM_BUG_ON_PAGE
 * the page is dumped first. The same lines go to stderr, where the log
 * of an aborted test would otherwise be lost; then the process aborts —
 * the kernel kills the task and leaves the machine tainted, mmsim cannot
 * unwind its caller and stops at the spot instead.
 */
void __vm_bug(struct machine *m, struct page *page, const char *file, int line, const char *cond)
{
	const char *src = strstr(file, "src/");
	const char *path = src ? src + 4 : file;
	size_t from = m ? m->log.len : 0;

	if (m) {
		if (page)
			dump_page(m, page, cond);
		printk(m, KERN_WARNING "------------[ cut here ]------------\n");
		printk(m, KERN_CRIT "kernel BUG at %s:%d!\n", path, line);
		printk(m, KERN_WARNING "invalid opcode: 0000 [#1] PREEMPT SMP\n");
		fwrite(m->log.buf + from, 1, m->log.len - from, stderr);
	} else {
		fprintf(stderr, "%s\nkernel BUG at %s:%d!\n", cond, path, line);
	}
	fflush(stderr);
	abort();
}
