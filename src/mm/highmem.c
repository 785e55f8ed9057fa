/* highmem.c — persistent kmaps, atomic/local kmaps (mm/highmem.c).
 *
 * Persistent kmaps: LAST_PKMAP page-table slots at PKMAP_BASE, shared by
 * all CPUs. pkmap_count[i] is 0 for a free slot, 1 for a slot whose mapping
 * is unused but still in the page tables (and possibly in TLBs), and
 * 1 + users otherwise. Slots are handed out round-robin; only when the
 * search wraps to slot 0 are all the count-1 slots unmapped and the TLB
 * flushed once (flush_all_zero_pkmaps) — which is why a count must never
 * drop to 0 without a flush. With no free slot, kmap sleeps on
 * pkmap_map_wait until kunmap releases one.
 *
 * Atomic/local kmaps (6.1): a per-task stack of KM_MAX_IDX slots in the
 * fixmap, slot cpu * KM_MAX_IDX + depth; unmapping must be LIFO. Classic
 * (2.6.1x, as the documents describe): a fixed slot per (CPU, km_type);
 * kmap_atomic sets the PTE and flushes that one TLB entry, kunmap_atomic
 * leaves it, so mapping a slot again silently replaces the previous mapping. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/mmu.h"
#include "kernel/sched.h"
#include "mm/highmem.h"
#include "mm/internal.h"

#define PKMAP_MAX 1024

struct pkmap_state {
	int count[PKMAP_MAX];		/* pkmap_count */
	unsigned int last_pkmap_nr;
	struct wait_queue_head wait;	/* pkmap_map_wait */
	unsigned long maps, flushes, sleeps;
	/*
	 * pkmap_page_table and kmap_pte: the PTE tables under the pkmap area
	 * and the kmap fixmap slots, found once — they exist from boot on
	 * and never move — so that mapping a slot writes its PTE directly,
	 * as the kernel's kmap code does, without walking from the PGD. One
	 * table covers 4 MiB (i386 without PAE); the two areas may need two.
	 */
	uint64_t pte_region[2];		/* vaddr >> 22 of each cached table, or ~0 */
	phys_addr_t pte_table[2];
};

/* The kernel's kmap_prot: PAGE_KERNEL, global. */
#define KMAP_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)

static const char *const km_type_names[] = {
	"KM_BOUNCE_READ", "KM_SKB_SUNRPC_DATA", "KM_SKB_DATA_SOFTIRQ", "KM_USER0", "KM_USER1",
	"KM_BIO_SRC_IRQ", "KM_BIO_DST_IRQ", "KM_PTE0", "KM_PTE1", "KM_IRQ0", "KM_IRQ1",
	"KM_SOFTIRQ0", "KM_SOFTIRQ1", "KM_SYNC_ICACHE", "KM_SYNC_DCACHE", "KM_UML_USERCOPY",
	"KM_IRQ_PTE", "KM_NMI", "KM_NMI_PTE", "KM_KDB",
};

int mmsim_km_type(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(km_type_names); i++)
		if (!strcmp(km_type_names[i], name))
			return (int)i;
	return -1;
}

static bool has_highmem(const struct machine *m)
{
	return m->is_32bit;
}

uint64_t pkmap_addr(const struct machine *m, unsigned int nr)
{
	return m->pkmap_base + ((uint64_t)nr << PAGE_SHIFT);
}

uint64_t kmap_fixmap_addr(const struct machine *m, unsigned int idx)
{
	return m->profile->fixaddr_top - ((uint64_t)(m->profile->fix_kmap_begin + idx) << PAGE_SHIFT);
}

int kmap_init(struct machine *m)
{
	if (!has_highmem(m))
		return 0;
	m->pkmap = calloc(1, sizeof(*m->pkmap));
	if (!m->pkmap)
		return -MMSIM_ENOMEM;
	init_waitqueue_head(&m->pkmap->wait, "pkmap_map_wait");
	/*
	 * page_table_range_init(): the page tables under the pkmap area and
	 * the fixmap exist from boot on, so mapping a slot never allocates.
	 */
	uint64_t fix_bottom = ALIGN_DOWN(m->fixaddr_start, 4 * SZ_1M);
	for (uint64_t va = fix_bottom; va < (1ULL << 32) && va >= fix_bottom; va += 4 * SZ_1M) {
		uint64_t old;
		if (pt_set_pte(m, m->swapper_pg_dir, va, 0, &old))
			return -MMSIM_ENOMEM;
	}
	uint64_t old;
	m->pkmap->pte_region[0] = m->pkmap->pte_region[1] = ~0ULL;
	return pt_set_pte(m, m->swapper_pg_dir, m->pkmap_base, 0, &old);
}

void kmap_release(struct machine *m)
{
	free(m->pkmap);
	m->pkmap = NULL;
}

/*
 * The PTE table under a pkmap or kmap fixmap address. kmap_init() made it;
 * HighMem is i386 without PAE, where the PGD entry points at it and every
 * page directory shares it (the kernel half).
 */
static phys_addr_t kmap_pte_table(struct machine *m, uint64_t vaddr)
{
	struct pkmap_state *pk = m->pkmap;
	uint64_t region = vaddr >> 22;
	unsigned int slot = (unsigned int)(region & 1);

	if (pk->pte_region[slot] != region) {
		uint64_t e = pt_read(m, m->swapper_pg_dir, pt_index(m, vaddr, PT_PGD));
		/* Between the two areas there may be no table: not one of kmap's. */
		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
			return 0;
		pk->pte_region[slot] = region;
		pk->pte_table[slot] = e & pt_format(m)->addr_mask;
	}
	return pk->pte_table[slot];
}

static void set_kernel_pte(struct machine *m, uint64_t vaddr, uint64_t pte)
{
	/* The tables were set up by kmap_init(): this never allocates. */
	pt_write(m, kmap_pte_table(m, vaddr), pt_index(m, vaddr, PT_PTE), pte & ~_PAGE_NX);
}

static void flush_all_zero_pkmaps(struct machine *m)
{
	struct pkmap_state *pk = m->pkmap;
	bool need_flush = false;

	for (unsigned int i = 0; i < m->profile->last_pkmap; i++) {
		/* Only count 1 means "unused but still mapped". */
		if (pk->count[i] != 1)
			continue;
		pk->count[i] = 0;
		enum pt_level level;
		phys_addr_t table;
		unsigned int idx;
		if (pt_lookup(m, m->swapper_pg_dir, pkmap_addr(m, i), &level, &table, &idx)) {
			uint64_t pte = pt_read(m, table, idx);
			unsigned long pfn = (unsigned long)PFN_DOWN(pte & pt_format(m)->addr_mask);
			pfn_to_page(m, pfn)->kmap_slot = 0;	/* set_page_address(page, NULL) */
			pt_write(m, table, idx, 0);
		}
		need_flush = true;
	}
	if (need_flush) {
		flush_tlb_kernel_range(m, pkmap_addr(m, 0), pkmap_addr(m, m->profile->last_pkmap));
		pk->flushes++;
	}
}

/* Find a free slot for page; 0 with current asleep if there is none. */
static uint64_t map_new_virtual(struct machine *m, struct page *page)
{
	struct pkmap_state *pk = m->pkmap;
	unsigned int last = m->profile->last_pkmap;
	unsigned int count = last;

	for (;;) {
		pk->last_pkmap_nr = (pk->last_pkmap_nr + 1) & (last - 1);
		if (!pk->last_pkmap_nr) {
			flush_all_zero_pkmaps(m);
			count = last;
		}
		if (!pk->count[pk->last_pkmap_nr])
			break;
		if (--count)
			continue;
		/* Sleep for somebody else to unmap their entries. */
		sleep_on(m, &pk->wait);
		pk->sleeps++;
		return 0;
	}
	unsigned int nr = pk->last_pkmap_nr;
	uint64_t vaddr = pkmap_addr(m, nr);
	set_kernel_pte(m, vaddr, PFN_PHYS(page_to_pfn(m, page)) | KMAP_PROT);
	pk->count[nr] = 1;
	page->kmap_slot = (unsigned short)(nr + 1);
	pk->maps++;
	return vaddr;
}

static void might_sleep(struct machine *m, const char *func)
{
	struct task_struct *t = get_current(m);

	if (t->preempt_count > 0)
		printk(m, KERN_ERR "BUG: sleeping function called from invalid context at mm/highmem.c "
		       "(%s)\nin_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: %d, name: %s\n",
		       func, t->pid, t->comm);
}

kaddr_t kmap(struct machine *m, struct page *page, bool *must_sleep)
{
	*must_sleep = false;
	might_sleep(m, "kmap");
	if (!PageHighMem(m, page))
		return page_address(m, page);
	uint64_t vaddr = page_address(m, page);
	if (!vaddr) {
		vaddr = map_new_virtual(m, page);
		if (!vaddr) {
			*must_sleep = true;
			return 0;
		}
	}
	m->pkmap->count[PFN_DOWN(vaddr - m->pkmap_base)]++;
	return vaddr;
}

void kunmap(struct machine *m, struct page *page)
{
	if (!PageHighMem(m, page))
		return;
	uint64_t vaddr = page_address(m, page);
	if (!vaddr) {
		printk(m, KERN_CRIT "kernel BUG at mm/highmem.c: kunmap_high: page pfn 0x%lx is not kmapped\n",
		       page_to_pfn(m, page));
		return;
	}
	unsigned long nr = (unsigned long)PFN_DOWN(vaddr - m->pkmap_base);
	/* A count must never go down to zero without a TLB flush. */
	if (m->pkmap->count[nr] <= 1) {
		printk(m, KERN_CRIT "kernel BUG at mm/highmem.c: kunmap_high: pkmap_count[%lu] would reach 0\n", nr);
		return;
	}
	if (--m->pkmap->count[nr] == 1 && waitqueue_active(&m->pkmap->wait))
		wake_up(m, &m->pkmap->wait);
}

/* ---- atomic and local kmaps ------------------------------------------------ */

/* kunmap_local_indexed()'s three WARN_ON_ONCE()s, each once per boot. */
enum { KUNMAP_NOT_KERNEL, KUNMAP_NOTHING_MAPPED, KUNMAP_NOT_LIFO };

static void kunmap_local_warn_once(struct machine *m, unsigned int site)
{
	if (m->warned_kunmap_local & (1u << site))
		return;
	m->warned_kunmap_local |= 1u << site;
	__warn(m, "mm/highmem.c", "kunmap_local_indexed", NULL);
}

static uint64_t kmap_local_push(struct machine *m, struct page *page)
{
	struct task_struct *t = get_current(m);

	if (!has_highmem(m) || !PageHighMem(m, page))
		return page_address(m, page);
	if (t->kmap_ctrl.idx >= KM_MAX_IDX) {
		printk(m, KERN_CRIT "kernel BUG at mm/highmem.c: kmap_local_idx_push: more than %d nested "
		       "kmap_local mappings\n", KM_MAX_IDX);
		return 0;
	}
	unsigned int idx = (unsigned int)t->kmap_ctrl.idx + KM_MAX_IDX * m->cur_cpu;
	uint64_t vaddr = kmap_fixmap_addr(m, idx);
	set_kernel_pte(m, vaddr, PFN_PHYS(page_to_pfn(m, page)) | KMAP_PROT);
	t->kmap_ctrl.vaddr[t->kmap_ctrl.idx++] = vaddr;
	return vaddr;
}

static void kmap_local_pop(struct machine *m, uint64_t vaddr)
{
	struct task_struct *t = get_current(m);
	uint64_t addr = vaddr & PAGE_MASK;
	uint64_t lo = kmap_fixmap_addr(m, KM_MAX_IDX * m->profile->nr_cpus_config - 1);
	uint64_t hi = kmap_fixmap_addr(m, 0);

	if (!has_highmem(m) || addr < lo || addr > hi) {
		if (addr < m->page_offset)
			kunmap_local_warn_once(m, KUNMAP_NOT_KERNEL);
		return;	/* a lowmem page: nothing was mapped */
	}
	if (t->kmap_ctrl.idx <= 0) {
		kunmap_local_warn_once(m, KUNMAP_NOTHING_MAPPED);
		return;
	}
	unsigned int idx = (unsigned int)(t->kmap_ctrl.idx - 1) + KM_MAX_IDX * m->cur_cpu;
	uint64_t top = kmap_fixmap_addr(m, idx);
	/* Unmapping out of order: the kernel warns, then unmaps the top slot. */
	if (addr != top)
		kunmap_local_warn_once(m, KUNMAP_NOT_LIFO);
	set_kernel_pte(m, top, 0);
	flush_tlb_one_kernel(m, m->cur_cpu, top);
	t->kmap_ctrl.vaddr[--t->kmap_ctrl.idx] = 0;
}

kaddr_t kmap_local_page(struct machine *m, struct page *page)
{
	return kmap_local_push(m, page);
}

void kunmap_local(struct machine *m, kaddr_t vaddr)
{
	kmap_local_pop(m, vaddr);
}

kaddr_t kmap_atomic(struct machine *m, struct page *page, int type)
{
	preempt_disable(m);
	if (!m->profile->km_type_nr)
		return kmap_local_push(m, page);
	if (!has_highmem(m) || !PageHighMem(m, page))
		return page_address(m, page);
	/*
	 * 2.6 (the documents' kernels): one slot per (CPU, type); mapping it
	 * sets the PTE and flushes this CPU's entry, so a second map for the
	 * same purpose silently replaces the first.
	 */
	unsigned int idx = (unsigned int)type + m->profile->km_type_nr * m->cur_cpu;
	uint64_t vaddr = kmap_fixmap_addr(m, idx);
	set_kernel_pte(m, vaddr, PFN_PHYS(page_to_pfn(m, page)) | KMAP_PROT);
	flush_tlb_one_kernel(m, m->cur_cpu, vaddr);
	return vaddr;
}

void kunmap_atomic(struct machine *m, kaddr_t vaddr, int type)
{
	/* 2.6 without CONFIG_DEBUG_HIGHMEM leaves the slot mapped until reused. */
	if (!m->profile->km_type_nr)
		kmap_local_pop(m, vaddr);
	(void)type;
	preempt_enable(m);
}

/* ---- inspection -------------------------------------------------------------- */

void *kmap_host(struct machine *m, kaddr_t vaddr)
{
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;

	/* A pkmap or fixmap slot: its PTE is in a table kmap keeps at hand. */
	phys_addr_t kt = m->pkmap && vaddr >= m->pkmap_base && vaddr < (1ULL << 32)
				 ? kmap_pte_table(m, vaddr) : 0;
	if (kt) {
		uint64_t e = pt_read(m, kt, pt_index(m, vaddr, PT_PTE));
		if (!(e & _PAGE_PRESENT))
			return NULL;
		phys_addr_t pa = (e & pt_format(m)->addr_mask) + (vaddr & (PAGE_SIZE - 1));
		return pa < m->ram_bytes ? m->ram + pa : NULL;
	}
	if (!pt_lookup(m, m->swapper_pg_dir, vaddr, &level, &table, &idx))
		return NULL;
	uint64_t e = pt_read(m, table, idx);
	uint64_t size = pt_level_size(m, level);
	phys_addr_t pa = ((e & pt_format(m)->addr_mask) & ~(size - 1)) + (vaddr & (size - 1));
	return pa < m->ram_bytes ? m->ram + pa : NULL;
}

int pkmap_slot_count(const struct machine *m, unsigned int nr)
{
	const struct pkmap_state *pk = m->pkmap;

	return pk && nr < m->profile->last_pkmap ? pk->count[nr] : -1;
}

void kmap_stats_show(struct machine *m, FILE *out)
{
	struct pkmap_state *pk = m->pkmap;

	if (!pk) {
		fprintf(out, "kmap: no HighMem on this machine: kmap returns the direct map\n");
		return;
	}
	unsigned int used = 0, stale = 0;
	for (unsigned int i = 0; i < m->profile->last_pkmap; i++) {
		if (pk->count[i] > 1)
			used++;
		else if (pk->count[i] == 1)
			stale++;
	}
	fprintf(out, "pkmap: %u slots at 0x%" PRIx64 ", %u in use, %u unused but mapped, %u free, "
		"last_pkmap_nr %u, %lu maps, %lu flushes, %lu sleeps\n", m->profile->last_pkmap,
		m->pkmap_base, used, stale, m->profile->last_pkmap - used - stale, pk->last_pkmap_nr,
		pk->maps, pk->flushes, pk->sleeps);
}

unsigned long kmap_verify(struct machine *m, FILE *out)
{
	struct pkmap_state *pk = m->pkmap;
	unsigned long bad = 0;

	if (!pk)
		return 0;
	for (unsigned int i = 0; i < m->profile->last_pkmap; i++) {
		enum pt_level level;
		phys_addr_t table;
		unsigned int idx;
		bool mapped = pt_lookup(m, m->swapper_pg_dir, pkmap_addr(m, i), &level, &table, &idx);
		if (pk->count[i] < 0) {
			fprintf(out, "pkmap_count[%u] is negative (%d)\n", i, pk->count[i]);
			bad++;
		}
		if (!!pk->count[i] != mapped) {
			fprintf(out, "pkmap_count[%u] = %d but the slot is %smapped\n", i, pk->count[i],
				mapped ? "" : "not ");
			bad++;
			continue;
		}
		if (!mapped)
			continue;
		uint64_t pte = pt_read(m, table, idx);
		unsigned long pfn = (unsigned long)PFN_DOWN(pte & pt_format(m)->addr_mask);
		if (!pfn_valid(m, pfn) || pfn_to_page(m, pfn)->kmap_slot != i + 1) {
			fprintf(out, "pkmap slot %u maps pfn 0x%lx, whose page does not point back\n", i, pfn);
			bad++;
		} else if (pk->count[i] > 1 && page_ref_count(pfn_to_page(m, pfn)) <= 0) {
			fprintf(out, "pkmap slot %u is in use for free pfn 0x%lx\n", i, pfn);
			bad++;
		}
	}
	return bad;
}
