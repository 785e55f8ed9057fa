/* percpu.c — the per-CPU allocator's chunks (mm/percpu.c, mm/percpu-vm.c).
 *
 * alloc_percpu() gives every CPU its own copy of an object: the same offset
 * in each CPU's unit of a chunk. The boot embeds the first chunk in the
 * direct map (one unit per possible CPU, all populated: setup.c); its
 * dynamic space is small (28 KiB on amd64), and when an allocation leaves
 * fewer than PCPU_EMPTY_POP_PAGES_LOW populated pages with nothing in them,
 * the balance work keeps PCPU_EMPTY_POP_PAGES_HIGH ready — populating
 * pages of a chunk that has unpopulated ones, or creating a chunk first.
 * A created chunk is a vmalloc-space area as large as the first chunk's
 * group of units (pcpu_get_vm_areas: at the top of the vmalloc space, no
 * guard page, no pages of its own), and its maps are pcpu_mem_zalloc()ed —
 * kzalloc up to a page, vmalloc beyond — so on amd64 they show in
 * /proc/vmallocinfo under pcpu_create_chunk and count in VmallocUsed:
 * the allocation bitmap and boundary bitmap (a bit per 4 bytes), the
 * per-page block hints, and with CONFIG_MEMCG_KMEM the cgroup pointer of
 * each 4-byte slot, eight times the unit (its page array vmalloc'd too).
 * Populating a page allocates one per CPU and maps it in each CPU's unit;
 * Percpu in /proc/meminfo counts populated pages in every unit.
 *
 * Allocation within a chunk is first fit and nothing mmsim models frees
 * per-CPU memory yet, so a chunk's allocations are dense: the bytes given
 * out from its start, and its populated pages a prefix (balance and
 * allocation both populate from the lowest unpopulated page up). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/kernel/profile.h"
#include "mm.h"
#include "mm/percpu.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define PCPU_MIN_ALLOC_SIZE		4	/* one bit of the allocation map */
#define PCPU_EMPTY_POP_PAGES_LOW	2
#define PCPU_EMPTY_POP_PAGES_HIGH	4
#define PCPU_BLOCK_MD_BYTES		32	/* struct pcpu_block_md: eight ints */
#define PCPU_MAX_CHUNKS			64	/* far beyond what the boot needs; pcpu_alloc says -ENOMEM after */
#define PCPU_BOOT_PIECE			64	/* the boot's allocations are mostly a few words each */

enum pcpu_meta { META_STRUCT, META_ALLOC_MAP, META_BOUND_MAP, META_MD_BLOCKS, META_OBJ_CGROUPS,
		 NR_META };

struct pcpu_chunk {
	unsigned int nr_pages;		/* pages per unit the chunk serves */
	unsigned int nr_populated;	/* populated: pages [0, nr_populated) of every unit */
	unsigned long start_offset;	/* hidden head: the static data sharing the first page */
	unsigned long map_bytes;	/* bytes it serves after start_offset */
	unsigned long used;		/* bytes given out, from start_offset on */
	kaddr_t base;			/* unit 0's address (a created chunk's vmalloc area) */
	struct vm_struct *vm;		/* NULL for the embedded first chunk */
	kaddr_t meta[NR_META];		/* pcpu_alloc_chunk()'s allocations */
	bool meta_vmalloced[NR_META];
	struct page **pages;		/* [unit * nr_pages + page] for populated pages */
};

struct pcpu_state {
	unsigned long unit_size;
	unsigned int unit_pages, nr_units;
	unsigned int nr_chunks;
	struct pcpu_chunk *chunks[PCPU_MAX_CHUNKS];	/* [0]: the first chunk */
	unsigned long first_unit_pages;	/* the embedded unit: static, reserved and dynamic parts */
	unsigned long nr_populated;	/* pcpu_nr_populated: populated pages of one unit, all chunks */
	unsigned long nr_empty_pop_pages;	/* pcpu_nr_empty_pop_pages: populated and unused */
	kaddr_t pages_buf;		/* pcpu_get_pages()'s array, made on the first populate */
	bool pages_buf_vmalloced;
	unsigned int warn_limit;	/* failures still to warn about */
};

/* Populated pages of @c that no allocation touches. */
static unsigned int chunk_empty_pop_pages(const struct pcpu_chunk *c)
{
	unsigned long first_free = DIV_ROUND_UP(c->start_offset + c->used, PAGE_SIZE);

	return first_free < c->nr_populated ? c->nr_populated - (unsigned int)first_free : 0;
}

static unsigned long global_empty_pop_pages(const struct pcpu_state *ps)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < ps->nr_chunks; i++)
		n += chunk_empty_pop_pages(ps->chunks[i]);
	return n;
}

static void update_nr_pages(struct machine *m)
{
	struct pcpu_state *ps = m->percpu;

	m->pcpu_nr_pages = ps->nr_populated * ps->nr_units;
	ps->nr_empty_pop_pages = global_empty_pop_pages(ps);
}

int pcpu_setup_first_chunk(struct machine *m, unsigned long static_size,
			   unsigned long reserved_size, unsigned long dyn_size,
			   unsigned long unit_size, unsigned int nr_units)
{
	struct pcpu_state *ps = calloc(1, sizeof(*ps));
	struct pcpu_chunk *c = calloc(1, sizeof(*c));

	if (!ps || !c) {
		free(ps);
		free(c);
		return -MMSIM_ENOMEM;
	}
	ps->unit_size = unit_size;
	ps->warn_limit = 10;
	ps->unit_pages = (unsigned int)(unit_size >> PAGE_SHIFT);
	ps->nr_units = nr_units;
	/*
	 * pcpu_alloc_first_chunk(): the dynamic space (after the reserved
	 * chunk's, when there is one) from its page-aligned start; the static
	 * data in that first page is hidden as start_offset.
	 */
	unsigned long start = static_size + reserved_size;
	c->start_offset = start & (PAGE_SIZE - 1);
	c->map_bytes = dyn_size;
	c->nr_pages = (unsigned int)DIV_ROUND_UP(c->start_offset + dyn_size, PAGE_SIZE);
	c->nr_populated = c->nr_pages;
	ps->chunks[ps->nr_chunks++] = c;
	/* Every page of the static, reserved and dynamic parts is populated. */
	ps->first_unit_pages = ALIGN_UP(static_size + reserved_size + dyn_size, PAGE_SIZE) >> PAGE_SHIFT;
	ps->nr_populated = ps->first_unit_pages;
	m->percpu = ps;
	update_nr_pages(m);
	return 0;
}

/* ---- creating a chunk: pcpu_create_chunk() ------------------------------------------ */

static const char *caller_or(const char *caller, const char *fallback)
{
	return caller ? caller : fallback;
}

/* pcpu_mem_zalloc(): kzalloc up to a page, a vmalloc area beyond (shown under @caller). */
static kaddr_t pcpu_mem_zalloc(struct machine *m, unsigned long size, const char *caller,
			       bool *vmalloced)
{
	*vmalloced = size > PAGE_SIZE;
	if (!*vmalloced)
		return kzalloc(m, size, GFP_KERNEL);
	return mmsim_vmalloc_caller(m, size, GFP_KERNEL | __GFP_ZERO, caller);
}

static void pcpu_mem_free(struct machine *m, kaddr_t addr, bool vmalloced)
{
	if (!addr)
		return;
	if (vmalloced)
		vfree(m, addr);
	else
		kfree(m, addr);
}

static void free_chunk_meta(struct machine *m, struct pcpu_chunk *c)
{
	for (int i = NR_META - 1; i >= 0; i--)
		pcpu_mem_free(m, c->meta[i], c->meta_vmalloced[i]);
}

static struct pcpu_chunk *pcpu_create_chunk(struct machine *m)
{
	struct pcpu_state *ps = m->percpu;
	const struct mm_profile *p = m->profile;
	unsigned long long_bytes = m->is_32bit ? 4 : 8;
	unsigned long region_bits = ps->unit_size / PCPU_MIN_ALLOC_SIZE;

	if (ps->nr_chunks >= PCPU_MAX_CHUNKS)
		return NULL;
	struct pcpu_chunk *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->nr_pages = ps->unit_pages;
	c->map_bytes = ps->unit_size;
	c->pages = calloc((size_t)ps->nr_units * ps->unit_pages, sizeof(*c->pages));
	if (!c->pages)
		goto fail;
	/* pcpu_alloc_chunk(), in its order. */
	const struct { unsigned long bytes; const char *caller; } meta[NR_META] = {
		[META_STRUCT] = { p->percpu_chunk_struct +
				  DIV_ROUND_UP(ps->unit_pages, 8 * long_bytes) * long_bytes,
				  "pcpu_create_chunk" },
		[META_ALLOC_MAP] = { DIV_ROUND_UP(region_bits, 8 * long_bytes) * long_bytes,
				     caller_or(p->boot_vmalloc.pcpu_alloc_map, "pcpu_create_chunk") },
		[META_BOUND_MAP] = { DIV_ROUND_UP(region_bits + 1, 8 * long_bytes) * long_bytes,
				     caller_or(p->boot_vmalloc.pcpu_bound_map, "pcpu_create_chunk") },
		[META_MD_BLOCKS] = { (unsigned long)ps->unit_pages * PCPU_BLOCK_MD_BYTES,
				     caller_or(p->boot_vmalloc.pcpu_md_blocks, "pcpu_create_chunk") },
		[META_OBJ_CGROUPS] = { p->memcg_kmem ? region_bits * long_bytes : 0,
				       caller_or(p->boot_vmalloc.pcpu_obj_cgroups, "pcpu_create_chunk") },
	};
	for (int i = 0; i < NR_META; i++) {
		if (!meta[i].bytes)
			continue;
		c->meta[i] = pcpu_mem_zalloc(m, meta[i].bytes, meta[i].caller, &c->meta_vmalloced[i]);
		if (!c->meta[i])
			goto fail;
	}
	/* pcpu_get_vm_areas(): one group of every unit, aligned to the first chunk's atom. */
	unsigned long group = ps->unit_size * ps->nr_units;
	unsigned long atom = p->percpu_atom > PAGE_SIZE ? p->percpu_atom : PAGE_SIZE;
	c->vm = pcpu_get_vm_area(m, group, atom,
				 caller_or(p->boot_vmalloc.pcpu_vm_areas, "pcpu_get_vm_areas"));
	if (!c->vm)
		goto fail;
	c->base = c->vm->addr;
	ps->chunks[ps->nr_chunks++] = c;
	return c;
fail:
	free_chunk_meta(m, c);
	free(c->pages);
	free(c);
	return NULL;
}

/*
 * pcpu_populate_chunk(): pages [rs, re) of every possible CPU's unit —
 * a page each from the page allocator, mapped in the chunk's area.
 */
static int pcpu_populate_chunk(struct machine *m, struct pcpu_chunk *c, unsigned int rs,
			       unsigned int re, gfp_t gfp)
{
	struct pcpu_state *ps = m->percpu;

	/* pcpu_get_pages(): the array the kernel keeps for every populate, made the first time. */
	if (!ps->pages_buf) {
		unsigned long bytes = (unsigned long)ps->nr_units * ps->unit_pages * (m->is_32bit ? 4 : 8);
		ps->pages_buf = pcpu_mem_zalloc(m, bytes,
						caller_or(m->profile->boot_vmalloc.pcpu_pages, "pcpu_populate_chunk"),
						&ps->pages_buf_vmalloced);
		if (!ps->pages_buf)
			return -MMSIM_ENOMEM;
	}
	/* pcpu_alloc_pages(): for_each_possible_cpu, so a unit no CPU has gets none. */
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		for (unsigned int i = rs; i < re; i++) {
			struct page *page = alloc_pages(m, gfp | __GFP_HIGHMEM, 0);
			if (!page)
				goto fail;
			c->pages[(size_t)cpu * ps->unit_pages + i] = page;
		}
	/* pcpu_map_pages(): each CPU's pages at its unit's offset. */
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		kaddr_t addr = c->base + cpu * ps->unit_size + (unsigned long)rs * PAGE_SIZE;
		if (vmap_pages_range_noflush(m, addr, &c->pages[(size_t)cpu * ps->unit_pages + rs],
					     re - rs))
			goto fail;	/* page tables: -ENOMEM; the kernel unmaps what it mapped */
	}
	/* pcpu_chunk_populated() */
	c->nr_populated = re;
	ps->nr_populated += re - rs;
	update_nr_pages(m);
	return 0;
fail:
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		for (unsigned int i = rs; i < re; i++) {
			struct page **pp = &c->pages[(size_t)cpu * ps->unit_pages + i];
			if (*pp)
				__free_pages(m, *pp, 0);
			*pp = NULL;
		}
	return -MMSIM_ENOMEM;
}

/*
 * pcpu_balance_populated() (pcpu_balance_workfn): populate up to HIGH
 * empty pages, from the chunks that have unpopulated ones — creating a
 * chunk when none has — giving up quietly if memory is short.
 */
static void pcpu_balance_populated(struct machine *m)
{
	struct pcpu_state *ps = m->percpu;
	const gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN;

	for (;;) {
		unsigned long empty = global_empty_pop_pages(ps);
		unsigned int nr_to_pop = empty < PCPU_EMPTY_POP_PAGES_HIGH ?
					 PCPU_EMPTY_POP_PAGES_HIGH - (unsigned int)empty : 0;
		for (unsigned int i = 0; i < ps->nr_chunks && nr_to_pop; i++) {
			struct pcpu_chunk *c = ps->chunks[i];
			unsigned int n = c->nr_pages - c->nr_populated;
			if (!n)
				continue;
			if (n > nr_to_pop)
				n = nr_to_pop;
			if (pcpu_populate_chunk(m, c, c->nr_populated, c->nr_populated + n, gfp))
				return;
			nr_to_pop -= n;
		}
		if (!nr_to_pop || !pcpu_create_chunk(m))
			return;
	}
}

/* ---- allocation ----------------------------------------------------------------------- */

/*
 * pcpu_alloc()'s failure path: a warning with the reason, for the first
 * ten failures only (its static warn_limit).
 */
static int pcpu_alloc_failed(struct machine *m, unsigned long size, unsigned long align,
			     const char *err)
{
	struct pcpu_state *ps = m->percpu;

	if (ps->warn_limit) {
		printk(m, KERN_WARNING "percpu: allocation failed, size=%lu align=%lu atomic=0, %s\n",
		       size, align, err);
		if (!--ps->warn_limit)
			printk(m, KERN_INFO "percpu: limit reached, disable warning\n");
	}
	return -MMSIM_ENOMEM;
}

int pcpu_alloc(struct machine *m, unsigned long size, unsigned long align)
{
	struct pcpu_state *ps = m->percpu;

	if (!ps)
		return -MMSIM_EINVAL;
	/* The kernel's checks, before it rounds: at most a unit, a power-of-two align up to a page. */
	if (!size || size > ps->unit_size || !align || align > PAGE_SIZE || (align & (align - 1))) {
		__warn(m, "mm/percpu.c", "pcpu_alloc",
		       "illegal size (%lu) or align (%lu) for percpu allocation\n",
		       size, align);
		return -MMSIM_EINVAL;
	}
	size = ALIGN_UP(size, PCPU_MIN_ALLOC_SIZE);
	if (align < PCPU_MIN_ALLOC_SIZE)
		align = PCPU_MIN_ALLOC_SIZE;
	for (unsigned int tries = 0; tries < 2; tries++) {
		for (unsigned int i = 0; i < ps->nr_chunks; i++) {
			struct pcpu_chunk *c = ps->chunks[i];
			unsigned long off = ALIGN_UP(c->start_offset + c->used, align) - c->start_offset;
			if (off + size > c->map_bytes)
				continue;
			/* pcpu_alloc() populates the pages the area needs (may sleep). */
			unsigned int need = (unsigned int)DIV_ROUND_UP(c->start_offset + off + size, PAGE_SIZE);
			if (need > c->nr_populated &&
			    pcpu_populate_chunk(m, c, c->nr_populated, need, GFP_KERNEL))
				return pcpu_alloc_failed(m, size, align, "failed to populate");
			c->used = off + size;
			update_nr_pages(m);
			if (ps->nr_empty_pop_pages < PCPU_EMPTY_POP_PAGES_LOW)
				pcpu_balance_populated(m);	/* pcpu_schedule_balance_work() */
			return 0;
		}
		/* No chunk has room: make one (pcpu_alloc's own pcpu_create_chunk()). */
		if (!pcpu_create_chunk(m))
			break;
	}
	return pcpu_alloc_failed(m, size, align, "failed to allocate new chunk");
}

int pcpu_boot_allocations(struct machine *m, unsigned long bytes)
{
	while (bytes) {
		unsigned long piece = bytes < PCPU_BOOT_PIECE ? bytes : PCPU_BOOT_PIECE;
		int err = pcpu_alloc(m, piece, PCPU_MIN_ALLOC_SIZE);
		if (err)
			return err;
		bytes -= piece;
	}
	return 0;
}

unsigned long pcpu_nr_pages(const struct machine *m)
{
	return m->pcpu_nr_pages;
}

unsigned int pcpu_nr_chunks(const struct machine *m)
{
	return m->percpu ? m->percpu->nr_chunks : 0;
}

/* ---- verify and release ------------------------------------------------------------------ */

unsigned long pcpu_verify(struct machine *m, FILE *out)
{
	struct pcpu_state *ps = m->percpu;
	unsigned long bad = 0, populated = 0;	/* the created chunks' populated pages */

	if (!ps)
		return 0;
	for (unsigned int i = 0; i < ps->nr_chunks; i++) {
		const struct pcpu_chunk *c = ps->chunks[i];
		if (c->used > c->map_bytes || c->nr_populated > c->nr_pages ||
		    DIV_ROUND_UP(c->start_offset + c->used, PAGE_SIZE) > c->nr_populated) {
			fprintf(out, "percpu: chunk %u uses %lu of %lu bytes with %u of %u pages populated\n",
				i, c->used, c->map_bytes, c->nr_populated, c->nr_pages);
			bad++;
		}
		if (i == 0)
			continue;	/* the first chunk is in the direct map: pgtable_verify's */
		populated += c->nr_populated;
		if (find_vm_area(m, c->base) != c->vm) {
			fprintf(out, "percpu: chunk %u at %#" PRIx64 " has no vmalloc area\n", i, c->base);
			bad++;
			continue;
		}
		for (unsigned int cpu = 0; cpu < ps->nr_units; cpu++)
			for (unsigned int pg = 0; pg < c->nr_pages; pg++) {
				kaddr_t addr = c->base + cpu * ps->unit_size + (unsigned long)pg * PAGE_SIZE;
				struct page *want = cpu < m->nr_cpus && pg < c->nr_populated ?
						    c->pages[(size_t)cpu * ps->unit_pages + pg] : NULL;
				struct page *got = vmalloc_to_page(m, addr);
				if (got != want) {
					fprintf(out, "percpu: chunk %u unit %u page %u maps %s, %s\n", i, cpu,
						pg, got ? "a page" : "nothing",
						want ? "the chunk's page" : "it is not populated");
					bad++;
				} else if (want && (PageBuddy(want) || page_ref_count(want) <= 0)) {
					fprintf(out, "percpu: chunk %u unit %u page %u is a free page\n", i,
						cpu, pg);
					bad++;
				}
			}
	}
	if (ps->nr_populated != ps->first_unit_pages + populated) {
		fprintf(out, "percpu: %lu populated pages per unit, the chunks hold %lu\n",
			ps->nr_populated, ps->first_unit_pages + populated);
		bad++;
	}
	if (m->pcpu_nr_pages != ps->nr_populated * ps->nr_units) {
		fprintf(out, "percpu: Percpu is %lu pages, %lu populated in each of %u units\n",
			m->pcpu_nr_pages, ps->nr_populated, ps->nr_units);
		bad++;
	}
	if (ps->nr_empty_pop_pages != global_empty_pop_pages(ps)) {
		fprintf(out, "percpu: %lu empty populated pages counted, the chunks have %lu\n",
			ps->nr_empty_pop_pages, global_empty_pop_pages(ps));
		bad++;
	}
	return bad;
}

void pcpu_release(struct machine *m)
{
	struct pcpu_state *ps = m->percpu;

	if (!ps)
		return;
	for (unsigned int i = 0; i < ps->nr_chunks; i++) {
		free(ps->chunks[i]->pages);
		free(ps->chunks[i]);
	}
	free(ps);
	m->percpu = NULL;
}
