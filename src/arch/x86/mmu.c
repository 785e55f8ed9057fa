/* mmu.c — a software x86 MMU with per-CPU TLBs.
 *
 * Translation checks the CPU's TLB first; a miss walks the page tables from
 * CR3 in the hardware's order, checking present, write (CR0.WP is set, as
 * Linux runs), user and NX permission at every level, and sets the Accessed
 * bit in each entry it uses and Dirty in the leaf on a write. The TLB keeps
 * what the walk found until something flushes it, so a page-table change
 * without the right flush leaves a stale translation — exactly the bug the
 * kernel's flush rules exist to prevent, and why it is modelled.
 *
 * The TLB is 64 sets x 4 ways of 4K entries; large pages are cached as the
 * 4K piece that was used. Global entries survive CR3 reloads. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/cpu_backend.h"
#include "arch/x86/mmu.h"
#include "mm.h"
#include "mm_types.h"

/* Above this many pages, flush_tlb_kernel_range() flushes everything. */
#define TLB_SINGLE_PAGE_FLUSH_CEILING 33

int mmu_init(struct machine *m)
{
	m->cpu_mmu = calloc(m->nr_cpus, sizeof(*m->cpu_mmu));
	if (!m->cpu_mmu)
		return -MMSIM_ENOMEM;
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		m->cpu_mmu[cpu].cr3 = m->swapper_pg_dir;
	return 0;
}

void mmu_release(struct machine *m)
{
	free(m->cpu_mmu);
	m->cpu_mmu = NULL;
}

static inline struct tlb_entry *tlb_set(struct cpu_mmu *c, uint64_t vpn)
{
	return c->tlb[vpn & (TLB_SETS - 1)];
}

static inline uint64_t tlb_key(uint64_t vpn)
{
	return vpn << 1 | 1;
}

static inline uint64_t tlb_entry_vpn(const struct tlb_entry *e)
{
	return e->key >> 1;
}

/*
 * What the hit cache keeps of @e: the accesses it denies and its G bit ride
 * in the frame address's low bits, so an entry is 16 bytes and a hit's
 * permission check is one test.
 */
static inline uint64_t tlb_hit_frame(const struct tlb_entry *e)
{
	return PFN_PHYS(e->pfn) | (~e->allow & (MMU_WRITE | MMU_USER | MMU_EXEC)) |
	       (e->global ? TLB_HIT_GLOBAL : 0);
}

static inline struct tlb_hit *tlb_hit_slot(struct cpu_mmu *c, uint64_t vpn)
{
	return &c->hit[vpn & (TLB_HIT_ENTRIES - 1)];
}

/* @e is about to stop being what it is: the hit cache forgets it. */
static inline void tlb_hit_drop(struct cpu_mmu *c, const struct tlb_entry *e)
{
	struct tlb_hit *h = tlb_hit_slot(c, tlb_entry_vpn(e));

	if (e->key && h->key == e->key)
		h->key = 0;
}

static inline void tlb_hit_fill(struct cpu_mmu *c, const struct tlb_entry *e)
{
	*tlb_hit_slot(c, tlb_entry_vpn(e)) = (struct tlb_hit){ e->key, tlb_hit_frame(e) };
}

static inline void tlb_invalidate(struct cpu_mmu *c, struct tlb_entry *e)
{
	tlb_hit_drop(c, e);
	e->key = 0;
}

/*
 * The entry for @vpn in the current address space. The ways are compared
 * all at once, without a branch per way (which way holds a page is as good
 * as random, so a branch per way is a misprediction per hit). At most one
 * way can match: a fill replaces the page's own entry, and a CR3 load
 * drops every non-global one, so a valid non-global entry is always the
 * current address space's; the loop below only runs if that ever broke.
 */
static inline struct tlb_entry *tlb_lookup(struct cpu_mmu *c, uint64_t vpn)
{
	struct tlb_entry *set = tlb_set(c, vpn);
	uint64_t key = tlb_key(vpn);
	unsigned int match = 0;

#pragma GCC unroll 8
	for (int w = 0; w < TLB_WAYS; w++)
		match |= (unsigned int)(set[w].key == key) << w;
	if (likely(!match))
		return NULL;
	struct tlb_entry *e = &set[__builtin_ctz(match)];
	if (likely(!(match & (match - 1)) && (e->global || e->cr3 == c->cr3)))
		return e;
	for (int w = 0; w < TLB_WAYS; w++)
		if (set[w].key == key && (set[w].global || set[w].cr3 == c->cr3))
			return &set[w];
	return NULL;
}

static bool permitted(const struct tlb_entry *e, unsigned int access)
{
	if ((access & MMU_WRITE) && !e->writable)
		return false;
	if ((access & MMU_USER) && !e->user)
		return false;
	if ((access & MMU_EXEC) && e->nx)
		return false;
	return true;
}

static int fault(struct machine *m, struct cpu_mmu *c, uint64_t vaddr, unsigned int access,
		 bool present)
{
	/*
	 * The CPU drops any TLB entry for the faulting address (SDM 4.10.4.1),
	 * so that the handler's fix to the PTE is seen without a flush.
	 */
	struct tlb_entry *set = c->tlb[(vaddr >> PAGE_SHIFT) & (TLB_SETS - 1)];
	for (int w = 0; w < TLB_WAYS; w++)
		if (set[w].key == tlb_key(vaddr >> PAGE_SHIFT))
			tlb_invalidate(c, &set[w]);
	c->cr2 = vaddr;
	c->error_code = (present ? X86_PF_PROT : 0) | ((access & MMU_WRITE) ? X86_PF_WRITE : 0) |
			((access & MMU_USER) ? X86_PF_USER : 0) |
			((access & MMU_EXEC) && !m->is_32bit ? X86_PF_INSTR : 0);
	c->stats.faults++;
	return -1;
}

/* The hardware page walk. Fills a TLB entry on success. */
static int page_walk(struct machine *m, struct cpu_mmu *c, uint64_t vaddr, unsigned int access,
		     struct tlb_entry *out)
{
	const struct pt_format *f = pt_format(m);
	phys_addr_t table = c->cr3;
	bool writable = true, user = true, nx = false;

	c->stats.walks++;
	/* x86_64: addresses must be canonical (bits 63..47 all equal). */
	if (!m->is_32bit) {
		uint64_t top = vaddr >> 47;
		if (top != 0 && top != 0x1ffff)
			return fault(m, c, vaddr, access, false);
	} else if (vaddr > 0xffffffffULL) {
		return fault(m, c, vaddr, access, false);
	}
	for (enum pt_level level = PT_PGD;;) {
		unsigned int idx = pt_index(m, vaddr, level);
		uint64_t e = pt_read(m, table, idx);
		if (!(e & _PAGE_PRESENT))
			return fault(m, c, vaddr, access, false);
		writable &= !!(e & _PAGE_RW);
		user &= !!(e & _PAGE_USER);
		nx |= !m->is_32bit && (e & _PAGE_NX);
		bool leaf = level == PT_PTE || (e & _PAGE_PSE);
		struct tlb_entry probe = { .writable = writable, .user = user, .nx = nx };
		if (!permitted(&probe, access))
			return fault(m, c, vaddr, access, true);
		uint64_t set = _PAGE_ACCESSED;
		if (leaf && (access & MMU_WRITE))
			set |= _PAGE_DIRTY;
		if ((e & set) != set)
			pt_write(m, table, idx, e | set);
		if (leaf) {
			uint64_t size = pt_level_size(m, level);
			phys_addr_t base = (e & f->addr_mask) & ~(size - 1);
			*out = (struct tlb_entry){
				.key = tlb_key(vaddr >> PAGE_SHIFT),
				.pfn = (base + (vaddr & (size - 1))) >> PAGE_SHIFT,
				.cr3 = c->cr3,
				.writable = writable,
				.user = user,
				.nx = nx,
				.global = !!(e & _PAGE_GLOBAL),
				.dirty = !!((e | set) & _PAGE_DIRTY),
			};
			return 0;
		}
		table = e & f->addr_mask;
		/* The CPU backend's entry area lives outside RAM: this MMU does not reach it. */
		if (table + PAGE_SIZE > m->ram_bytes)
			return fault(m, c, vaddr, access, false);
		do {
			level--;
		} while (!f->present[level]);
	}
}

static uint8_t tlb_allow(const struct tlb_entry *e)
{
	return (uint8_t)((e->user ? MMU_USER : 0) | (e->nx ? 0 : MMU_EXEC) |
			 (e->writable && e->dirty ? MMU_WRITE : 0));
}

/* The miss path: a fault on cached permissions, or a walk and a TLB fill. */
static __attribute__((noinline)) int mmu_translate_slow(struct machine *m, struct cpu_mmu *c,
							struct tlb_entry *e, uint64_t vaddr,
							unsigned int access, phys_addr_t *pa)
{
	uint64_t vpn = vaddr >> PAGE_SHIFT;

	if (e && !permitted(e, access)) {
		/* The CPU faults on the cached permissions without walking. */
		c->stats.hits++;
		return fault(m, c, vaddr, access, true);
	}
	/* A miss, or a write through a clean entry: walk (again) to set D. */
	c->stats.misses++;
	struct tlb_entry fresh;
	if (page_walk(m, c, vaddr, access, &fresh))
		return -1;
	fresh.allow = tlb_allow(&fresh);
	if (!e) {
		struct tlb_entry *set = tlb_set(c, vpn);
		e = &set[c->next_victim++ % TLB_WAYS];
	}
	tlb_hit_drop(c, e);
	*e = fresh;
	tlb_hit_fill(c, e);
	*pa = PFN_PHYS(e->pfn) | (vaddr & (PAGE_SIZE - 1));
	return 0;
}

/* Not in the hit cache: the TLB itself, then the walk. Out of line, so a hit saves no registers. */
static __attribute__((noinline)) int mmu_translate_tlb(struct machine *m, struct cpu_mmu *c,
						       uint64_t vaddr, unsigned int access,
						       phys_addr_t *pa)
{
	struct tlb_entry *e = tlb_lookup(c, vaddr >> PAGE_SHIFT);

	if (likely(e && !(access & ~e->allow))) {
		/* In the TLB but not the hit cache (its slot went to another page). */
		c->stats.hits++;
		tlb_hit_fill(c, e);
		*pa = PFN_PHYS(e->pfn) | (vaddr & (PAGE_SIZE - 1));
		return 0;
	}
	return mmu_translate_slow(m, c, e, vaddr, access, pa);
}

int mmu_translate(struct machine *m, unsigned int cpu, uint64_t vaddr, unsigned int access,
		  phys_addr_t *pa)
{
	struct cpu_mmu *c = &m->cpu_mmu[cpu];
	uint64_t vpn = vaddr >> PAGE_SHIFT;
	const struct tlb_hit *h = tlb_hit_slot(c, vpn);

	/* A global entry, or one filled since the last CR3 load: the current space's. */
	if (likely(h->key == tlb_key(vpn) && !(access & h->frame))) {
		c->stats.hits++;
		*pa = (h->frame & PAGE_MASK) | (vaddr & (PAGE_SIZE - 1));
		return 0;
	}
	return mmu_translate_tlb(m, c, vaddr, access, pa);
}
static int mmu_copy(struct machine *m, unsigned int cpu, uint64_t vaddr, void *buf,
		    const void *src, size_t len, unsigned int access)
{
	while (len) {
		phys_addr_t pa;
		size_t chunk = PAGE_SIZE - (vaddr & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		if (mmu_translate(m, cpu, vaddr, access, &pa))
			return -1;
		if (pa + chunk > m->ram_bytes)
			return -1;	/* device memory: no RAM behind it */
		if (src)
			memcpy(m->ram + pa, src, chunk), src = (const char *)src + chunk;
		else
			memcpy(buf, m->ram + pa, chunk), buf = (char *)buf + chunk;
		vaddr += chunk;
		len -= chunk;
	}
	return 0;
}

int mmu_read(struct machine *m, unsigned int cpu, uint64_t vaddr, void *buf, size_t len,
	     unsigned int access)
{
	return mmu_copy(m, cpu, vaddr, buf, NULL, len, access & ~MMU_WRITE);
}

int mmu_write(struct machine *m, unsigned int cpu, uint64_t vaddr, const void *buf, size_t len,
	      unsigned int access)
{
	return mmu_copy(m, cpu, vaddr, NULL, buf, len, access | MMU_WRITE);
}

/* ---- flushes ------------------------------------------------------------- */

void write_cr3(struct machine *m, unsigned int cpu, phys_addr_t pgd)
{
	struct cpu_mmu *c = &m->cpu_mmu[cpu];

	c->cr3 = pgd;
	for (int s = 0; s < TLB_SETS; s++)
		for (int w = 0; w < TLB_WAYS; w++)
			if (!c->tlb[s][w].global)
				tlb_invalidate(c, &c->tlb[s][w]);
	c->stats.flushes++;
}

void flush_tlb_one_kernel(struct machine *m, unsigned int cpu, uint64_t vaddr)
{
	struct cpu_mmu *c = &m->cpu_mmu[cpu];
	uint64_t vpn = vaddr >> PAGE_SHIFT;
	struct tlb_entry *set = tlb_set(c, vpn);

	/* invlpg drops the page's entry whatever its address space or G bit. */
	for (int w = 0; w < TLB_WAYS; w++)
		if (tlb_entry_vpn(&set[w]) == vpn)
			tlb_invalidate(c, &set[w]);
	c->stats.flushes++;
}

void flush_tlb_all(struct machine *m)
{
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct cpu_mmu *c = &m->cpu_mmu[cpu];
		memset(c->tlb, 0, sizeof(c->tlb));
		memset(c->hit, 0, sizeof(c->hit));
		c->stats.flushes++;
	}
}

void flush_tlb_kernel_range(struct machine *m, uint64_t start, uint64_t end)
{
	if ((end - start) >> PAGE_SHIFT > TLB_SINGLE_PAGE_FLUSH_CEILING) {
		flush_tlb_all(m);
		return;
	}
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		for (uint64_t va = start; va < end; va += PAGE_SIZE)
			flush_tlb_one_kernel(m, cpu, va);
}

/*
 * flush_tlb_mm_range(): the user mappings of @mm in [start, end) changed.
 * Every CPU that has the mm loaded drops them — page by page up to the
 * ceiling (33 pages), all of its non-global entries beyond it. Other CPUs
 * flushed everything non-global when they last switched away (no PCID).
 */
void flush_tlb_mm_range(struct machine *m, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	bool full = (end - start) >> PAGE_SHIFT > TLB_SINGLE_PAGE_FLUSH_CEILING;

	/* A real CPU running the programs has its own TLB: it is told too. */
	if (m->cpu_backend && end > start)
		m->cpu_backend->flush(m, mm->pgd, start, end);
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct cpu_mmu *c = &m->cpu_mmu[cpu];
		if (c->cr3 != mm->pgd)
			continue;
		if (full) {
			for (int s = 0; s < TLB_SETS; s++)
				for (int w = 0; w < TLB_WAYS; w++)
					if (!c->tlb[s][w].global)
						tlb_invalidate(c, &c->tlb[s][w]);
			c->stats.flushes++;
			continue;
		}
		for (uint64_t va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
			flush_tlb_one_kernel(m, cpu, va);
	}
}

/* ---- checking ------------------------------------------------------------ */

unsigned long mmu_verify(struct machine *m, FILE *out)
{
	unsigned long bad = 0;

	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct cpu_mmu *c = &m->cpu_mmu[cpu];
		for (int s = 0; s < TLB_SETS; s++)
			for (int w = 0; w < TLB_WAYS; w++) {
				const struct tlb_entry *e = &c->tlb[s][w];
				if (!e->key)
					continue;
				if ((tlb_entry_vpn(e) & (TLB_SETS - 1)) != (uint64_t)s) {
					fprintf(out, "cpu %u: TLB set %d holds page %#" PRIx64 " of set %" PRIu64
						"\n", cpu, s, tlb_entry_vpn(e) << PAGE_SHIFT,
						tlb_entry_vpn(e) & (TLB_SETS - 1));
					bad++;
				}
				for (int v = w + 1; v < TLB_WAYS; v++)
					if (c->tlb[s][v].key == e->key) {
						fprintf(out, "cpu %u: TLB holds page %#" PRIx64 " twice\n", cpu,
							tlb_entry_vpn(e) << PAGE_SHIFT);
						bad++;
					}
			}
		for (int i = 0; i < TLB_HIT_ENTRIES; i++) {
			const struct tlb_hit *h = &c->hit[i];
			if (!h->key)
				continue;
			uint64_t vpn = h->key >> 1;
			const struct tlb_entry *e = tlb_lookup(c, vpn);
			if (!e || (vpn & (TLB_HIT_ENTRIES - 1)) != (uint64_t)i ||
			    h->frame != tlb_hit_frame(e)) {
				fprintf(out, "cpu %u: the TLB hit cache's page %#" PRIx64 " is not the TLB's "
					"entry for it\n", cpu, vpn << PAGE_SHIFT);
				bad++;
			}
		}
	}
	return bad;
}

/* ---- showing ------------------------------------------------------------- */

static void show_flags(FILE *out, const struct machine *m, uint64_t e)
{
	static const struct { uint64_t bit; const char *name; } bits[] = {
		{ _PAGE_PRESENT, "P" }, { _PAGE_RW, "RW" }, { _PAGE_USER, "US" },
		{ _PAGE_PWT, "PWT" }, { _PAGE_PCD, "PCD" }, { _PAGE_ACCESSED, "A" },
		{ _PAGE_DIRTY, "D" }, { _PAGE_PSE, "PS" }, { _PAGE_GLOBAL, "G" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(bits); i++)
		if (e & bits[i].bit)
			fprintf(out, " %s", bits[i].name);
	if (!m->is_32bit && (e & _PAGE_NX))
		fprintf(out, " NX");
}

void mmu_walk_show(struct machine *m, unsigned int cpu, uint64_t vaddr, FILE *out)
{
	const struct pt_format *f = pt_format(m);
	phys_addr_t table = m->cpu_mmu[cpu].cr3;
	int width = m->is_32bit ? 8 : 16;

	fprintf(out, "walk %#" PRIx64 " (cr3 %#" PRIx64 ")\n", vaddr, (uint64_t)table);
	for (enum pt_level level = PT_PGD;;) {
		unsigned int idx = pt_index(m, vaddr, level);
		uint64_t e = pt_read(m, table, idx);
		fprintf(out, "  %s[%u] at %#" PRIx64 ": %0*" PRIx64 "", pt_level_name(m, level), idx,
			(uint64_t)(table + (phys_addr_t)idx * f->entry_size), width, e);
		show_flags(out, m, e);
		fputc('\n', out);
		if (!(e & _PAGE_PRESENT)) {
			fprintf(out, "  not present: a %s access faults\n", "kernel");
			return;
		}
		if (level == PT_PTE || (e & _PAGE_PSE)) {
			uint64_t size = pt_level_size(m, level);
			phys_addr_t pa = ((e & f->addr_mask) & ~(size - 1)) + (vaddr & (size - 1));
			unsigned long pfn = (unsigned long)PFN_DOWN(pa);
			fprintf(out, "  -> %s page, phys %#" PRIx64 ", pfn %#lx", size >> 20 ? "large" : "4K",
				(uint64_t)pa, pfn);
			if (pfn_valid(m, pfn)) {
				struct page *page = pfn_to_page(m, pfn);
				fprintf(out, " -> struct page: zone %s, refcount %d, mapcount %d%s\n",
					page_zone(m, page)->name, page_ref_count(page),
					PageBuddy(page) ? 0 : page->_mapcount + 1,
					PageReserved(page) ? ", reserved" : PageBuddy(page) ? ", free" : "");
			} else {
				fprintf(out, " (not RAM)\n");
			}
			return;
		}
		table = e & f->addr_mask;
		if (table + PAGE_SIZE > m->ram_bytes) {
			if (level == PT_PGD && m->cpu_entry_pgd_entry && idx == m->cpu_entry_pgd_index)
				fprintf(out, "  (the CPU backend's entry area: its tables are outside RAM)\n");
			else
				fprintf(out, "  next table at %#" PRIx64 " is outside RAM: it reads as 0, "
					"not present: a kernel access faults\n", (uint64_t)table);
			return;
		}
		do {
			level--;
		} while (!f->present[level]);
	}
}

void mmu_stats_show(struct machine *m, FILE *out)
{
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		const struct tlb_stats *s = &m->cpu_mmu[cpu].stats;
		fprintf(out, "cpu%u: tlb hits %lu misses %lu walks %lu flushes %lu faults %lu "
			"cr2 %#" PRIx64 " error_code %#x\n", cpu, s->hits, s->misses, s->walks,
			s->flushes, s->faults, m->cpu_mmu[cpu].cr2, m->cpu_mmu[cpu].error_code);
	}
}
