/* unicorn.c — the Unicorn CPU backend: the program's code on an emulated
 * x86 CPU, for hosts without KVM (Debian's libunicorn, 2.0.1).
 *
 * The emulated CPU runs in long mode with paging on, at CPL 3, in 64-bit
 * mode for an x86_64 machine and compatibility mode for an i386 one. Its
 * page walk gates every access precisely (a #PF at the faulting
 * instruction, before any of its effects), but Unicorn 2.0.1 then throws
 * the walk's result away: it accesses the *virtual* address in its own
 * memory map (target/i386/excp_helper.c, "identity map guest virtual
 * address to host virtual address"), and its memory map is also where
 * the walk reads the tables. So the CPU cannot walk mmsim's tables where
 * they lie — their physical addresses collide with user addresses — and
 * this backend does what KVM's shadow MMU does:
 *
 *  - Each CPU has 4-level shadow tables in a pool of its own, mapped in
 *    the emulator's memory at SHADOW_BASE (below 1 TiB, the emulated CPU's
 *    physical-address width; an i386 program cannot reach it, an x86_64
 *    one only by mapping memory there). A leaf is filled from mmsim's
 *    tables at each #PF they allow, through the software MMU's walk
 *    (mmu_translate: Accessed, and Dirty for a write, set in mmsim's
 *    PTEs as the hardware sets them); writable only once written and
 *    executable only once fetched, so that the first write sets Dirty and
 *    the first fetch marks the page as code. A #PF mmsim's tables do not
 *    allow goes to do_user_addr_fault() with the error code the software
 *    MMU gives. Every flush of the address space clears its leaves.
 *  - Each user page the CPU touches is a region of the emulator's memory
 *    at the page's virtual address, backed by the page's frame in m->ram
 *    itself (no copy); a page mmsim has not mapped yet is backed by a
 *    spare page until its fault is served, which the shadow never lets
 *    the CPU read.
 *
 * Three more quirks of 2.0.1 are worked around here. A CPU exception
 * never vectors through an IDT: it reaches the interrupt hook, with its
 * error code and the "exception in flight" state left inside the CPU,
 * where the API cannot read them and where the second #PF would become a
 * #DF and the third a reset. They are read and cleared through a saved
 * CPU context, at offsets found once by writing known values to the
 * debug registers beside them (EFER.NX, which its CPU models drop, is
 * set the same way). Writing CR3 does not flush the emulator's TLB:
 * unmapping a page's region flushes that page, mapping one flushes all.
 * And translated code is keyed by the page's backing, not its contents:
 * a page's translations are dropped when its region goes, and when its
 * contents changed since they were made (a checksum at its first fetch
 * under each shadow). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "arch/x86/cpu_backend.h"
#include "arch/x86/mmu.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/processor-flags.h"
#include "kernel/sched.h"
#include "mm.h"

/* The backend's own pages, where 6.1 keeps the cpu_entry_area: GDT, code, stack. */
#define PRIV_BASE	0xfffffe0000000000ULL
enum { PRIV_GDT, PRIV_CODE, PRIV_STACK, PRIV_PAGES };
/* The shadow tables: a pool of pages in the emulator's memory, below 1 TiB. */
#define SHADOW_BASE	0xff00000000ULL
#define SHADOW_POOL	4096			/* 16 MiB of tables a CPU, reused when full */
/* An address no program executes (non-canonical): where uc_emu_start would stop. */
#define NEVER_PC	0x8badf00d00000000ULL
/* Regions of user pages a CPU keeps at most before it drops them all. */
#define MAX_REGIONS	(1U << 7)
#define MAX_UC_CPUS	16

#define SPTE_P		0x001ULL
#define SPTE_RW		0x002ULL
#define SPTE_US		0x004ULL
#define SPTE_A		0x020ULL
#define SPTE_D		0x040ULL
#define SPTE_NX		(1ULL << 63)
#define SPTE_TABLE	(SPTE_P | SPTE_RW | SPTE_US | SPTE_A)

/* The GDT entry of the kernel's 64-bit code, from which the first IRETQ reaches user mode. */
#define GDT_ENTRIES	32

/* One user page the CPU has touched: its region and what backs it. */
struct uc_region {
	uint64_t va;		/* page address + 1 (0: empty slot) */
	uint8_t *host;		/* its frame in m->ram, or the spare page */
	bool code;		/* the CPU fetched instructions from it: translations may exist */
	uint64_t sum;		/* the page's contents when they were translated */
};

struct uc_cpu {
	uc_engine *uc;
	uc_context *ctx;		/* to reach the error code and the exception in flight */
	uc_hook hooks[4];
	bool in_user;			/* the first IRETQ to CPL 3 is done */
	uint8_t *priv;			/* PRIV_PAGES pages: GDT, code, stack */
	uint8_t *pool;			/* SHADOW_POOL pages of shadow tables; page 0 the PML4 */
	unsigned int pool_used;
	phys_addr_t shadow_of;		/* the mmsim pgd the shadow holds (0: none) */
	struct uc_region *regions;	/* open addressing by page */
	unsigned int nr_regions;
	bool tlb_stale;
	/* What ended the run, set by the hooks. */
	struct task_struct *running;
	struct cpu_exit *exit;
	bool stopped;
	bool exception_stop;		/* the last run stopped at an exception */
	volatile sig_atomic_t kicked;
	const char *fail;
	struct machine *m;
};

struct uc_state {
	struct uc_cpu *cpus;
	unsigned int nr_cpus;
	size_t ctx_size;
	size_t off_error_code, off_old_exception;	/* in a saved context */
	uint8_t *spare;				/* backs a page not mapped yet */
	bool i386;
	struct cpu_backend ops;
};

/* ---- the shadow tables ------------------------------------------------------------------ */

static uint64_t *pool_page(struct uc_cpu *c, unsigned int i)
{
	return (uint64_t *)(c->pool + (size_t)i * PAGE_SIZE);
}

/* A zeroed page of the pool, or -1 when it is used up. */
static int pool_alloc(struct uc_cpu *c)
{
	if (c->pool_used >= SHADOW_POOL)
		return -1;
	memset(pool_page(c, c->pool_used), 0, PAGE_SIZE);
	return (int)c->pool_used++;
}

/* The leaf entry for @va, the tables on the way made when @make; NULL if absent. */
static uint64_t *shadow_leaf(struct uc_cpu *c, uint64_t va, bool make)
{
	uint64_t *table = pool_page(c, 0);

	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];
		if (!(*e & SPTE_P)) {
			int i = make ? pool_alloc(c) : -1;
			if (i < 0)
				return NULL;
			*e = (SHADOW_BASE + (uint64_t)i * PAGE_SIZE) | SPTE_TABLE;
		}
		table = pool_page(c, (unsigned int)(((*e & 0x000ffffffffff000ULL) - SHADOW_BASE) >> PAGE_SHIFT));
	}
	return &table[(va >> PAGE_SHIFT) & 511];
}

/* Empty the shadow but for the backend's own pages (supervisor only). */
static void shadow_reset(struct uc_cpu *c)
{
	c->pool_used = 0;
	pool_alloc(c);
	for (unsigned int i = 0; i < PRIV_PAGES; i++) {
		uint64_t *e = shadow_leaf(c, PRIV_BASE + (uint64_t)i * PAGE_SIZE, true);
		*e = SPTE_P | SPTE_A | SPTE_D | (i == PRIV_CODE ? 0 : SPTE_RW | SPTE_NX);
	}
	c->tlb_stale = true;
}

/* ---- the user pages' regions ------------------------------------------------------------ */

/*
 * Drop the code translated from the page at @va. The emulator finds it
 * through the page's translation, so the shadow maps the page (user,
 * executable) while it looks, whatever it held before. (Dropping the
 * whole translation cache instead costs 2.0.1 half a second: it clears
 * its 1 GiB code buffer.)
 */
static void drop_translations(struct uc_cpu *c, uint64_t va)
{
	uint64_t *leaf = shadow_leaf(c, va, true);
	uint64_t was = leaf ? *leaf : 0;

	if (!leaf)
		return;		/* no room for the lookup: the shadow is reset after this anyway */
	*leaf = SPTE_P | SPTE_US | SPTE_A;
	uc_ctl_remove_cache(c->uc, va, va + PAGE_SIZE);
	*leaf = was;
	c->exception_stop = true;	/* a fault in the lookup is left in flight */
}

/* A cheap fingerprint of a page's contents (FNV-1a over its words). */
static uint64_t page_sum(const uint8_t *page)
{
	uint64_t h = 0xcbf29ce484222325ULL, w;

	for (size_t i = 0; i < PAGE_SIZE; i += 8) {
		memcpy(&w, page + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
	}
	return h;
}

/* Where the probe for page @va starts in the region table. */
static unsigned int region_home(uint64_t va)
{
	return (unsigned int)((va >> PAGE_SHIFT) * 0x9e3779b97f4a7c15ULL >> 40) & (2 * MAX_REGIONS - 1);
}

static struct uc_region *region_slot(struct uc_cpu *c, uint64_t va)
{
	unsigned int mask = 2 * MAX_REGIONS - 1;

	for (unsigned int h = region_home(va);; h = (h + 1) & mask)
		if (c->regions[h].va == va + 1 || c->regions[h].va == 0)
			return &c->regions[h];
}

/* Remove the region at slot @r, keeping the probe chains whole (backward shift). */
static void region_remove(struct uc_cpu *c, struct uc_region *r)
{
	unsigned int mask = 2 * MAX_REGIONS - 1, i = (unsigned int)(r - c->regions);

	if (r->code)
		drop_translations(c, r->va - 1);
	uc_mem_unmap(c->uc, r->va - 1, PAGE_SIZE);	/* flushes the page from the TLB */
	c->nr_regions--;
	for (unsigned int j = (i + 1) & mask; c->regions[j].va; j = (j + 1) & mask) {
		unsigned int home = region_home(c->regions[j].va - 1);
		/* Move j back into the hole at i if its home is not in (i, j]. */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			c->regions[i] = c->regions[j];
			i = j;
		}
	}
	c->regions[i] = (struct uc_region){ 0 };
}

/*
 * Make room: drop the regions of data pages (made again at their next
 * touch), and those of code pages too (whose translations go with them)
 * when they alone fill most of the table.
 */
static void regions_drop_all(struct uc_cpu *c)
{
	unsigned int code = 0;

	for (unsigned int i = 0; i < 2 * MAX_REGIONS; i++)
		code += c->regions[i].va && c->regions[i].code;
	bool keep_code = code < MAX_REGIONS / 2;
	for (unsigned int i = 0; i < 2 * MAX_REGIONS; i++) {
		if (c->regions[i].va && !c->regions[i].code) {
			uc_mem_unmap(c->uc, c->regions[i].va - 1, PAGE_SIZE);
			c->regions[i].va = 0;
		}
	}
	if (keep_code) {
		/* The code regions stay: put them back in a table with no holes. */
		struct uc_region kept[MAX_REGIONS / 2];
		unsigned int n = 0;
		for (unsigned int i = 0; i < 2 * MAX_REGIONS; i++)
			if (c->regions[i].va)
				kept[n++] = c->regions[i];
		memset(c->regions, 0, 2 * MAX_REGIONS * sizeof(*c->regions));
		for (unsigned int i = 0; i < n; i++)
			*region_slot(c, kept[i].va - 1) = kept[i];
		c->nr_regions = n;
		return;
	}
	for (unsigned int i = 0; i < 2 * MAX_REGIONS; i++) {
		if (c->regions[i].va) {
			if (c->regions[i].code)
				drop_translations(c, c->regions[i].va - 1);
			uc_mem_unmap(c->uc, c->regions[i].va - 1, PAGE_SIZE);
			c->regions[i] = (struct uc_region){ 0 };
		}
	}
	c->nr_regions = 0;
}

/* Back the page at @va with @host: a region of its own, made or moved. 0, or -1. */
static int region_set(struct uc_cpu *c, uint64_t va, uint8_t *host, bool code)
{
	struct uc_region *r = region_slot(c, va);

	if (r->va && r->host == host) {
		if (code && !r->code) {
			r->code = true;
			r->sum = page_sum(host);
		}
		return 0;
	}
	if (r->va) {
		region_remove(c, r);
		r = region_slot(c, va);
	} else if (c->nr_regions >= MAX_REGIONS) {
		regions_drop_all(c);
		r = region_slot(c, va);
	}
	if (uc_mem_map_ptr(c->uc, va, PAGE_SIZE, UC_PROT_ALL, host) != UC_ERR_OK)
		return -1;
	*r = (struct uc_region){ .va = va + 1, .host = host, .code = code, .sum = code ? page_sum(host) : 0 };
	c->nr_regions++;
	c->tlb_stale = false;		/* mapping a region flushed the whole TLB */
	return 0;
}

/* What backs user page @va now: its frame if mmsim's tables map it (no A/D set), else the spare page. */
static uint8_t *page_backing(struct machine *m, struct uc_state *s, phys_addr_t pgd, uint64_t va)
{
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;

	if (!pt_lookup(m, pgd, va, &level, &table, &idx))
		return s->spare;
	uint64_t e = pt_read(m, table, idx);
	if (!(e & _PAGE_PRESENT))
		return s->spare;
	uint64_t size = pt_level_size(m, level);
	phys_addr_t pa = ((e & pt_format(m)->addr_mask) & ~(size - 1)) + (va & (size - 1) & PAGE_MASK);
	return pa + PAGE_SIZE <= m->ram_bytes ? m->ram + pa : s->spare;
}

/* ---- the hooks -------------------------------------------------------------------------- */

static void stop(struct uc_cpu *c, enum cpu_exit_reason reason)
{
	c->exception_stop = true;
	c->exit->reason = reason;
	c->stopped = true;
	uc_emu_stop(c->uc);
}

/* A user page touched with no region yet: give it one, so that the walk decides. */
static bool on_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
			void *data)
{
	struct uc_cpu *c = data;
	struct uc_state *s = c->m->cpu_backend->priv;
	uint64_t va = addr & PAGE_MASK;

	(void)uc; (void)type; (void)size; (void)value;
	if (va >= SHADOW_BASE && va < SHADOW_BASE + (uint64_t)SHADOW_POOL * PAGE_SIZE) {
		c->fail = "the program used the addresses of the emulator's shadow tables";
		return false;
	}
	return region_set(c, va, page_backing(c->m, s, c->running->mm->pgd, va), false) == 0;
}

/*
 * No exception in flight: after a run stopped at one, the CPU may have
 * tried the faulting instruction again before it stopped, leaving a #PF
 * in flight that would make the next one a #DF.
 */
/* In c->ctx just saved: the exception in flight, now none in the CPU. */
static int reset_in_flight(struct uc_cpu *c, struct uc_state *s)
{
	int none = -1, in_flight;

	memcpy(&in_flight, (uint8_t *)c->ctx + s->off_old_exception, sizeof(in_flight));
	if (in_flight != -1) {
		memcpy((uint8_t *)c->ctx + s->off_old_exception, &none, sizeof(none));
		uc_context_restore(c->uc, c->ctx);
	}
	return in_flight;
}

static void clear_exception_in_flight(struct uc_cpu *c, struct uc_state *s)
{
	uc_context_save(c->uc, c->ctx);
	reset_in_flight(c, s);
	c->exception_stop = false;
}

/* The error code of the exception just raised, and the CPU told it is over. */
static unsigned int take_exception(struct uc_cpu *c, struct uc_state *s, unsigned int vector)
{
	int code;

	uc_context_save(c->uc, c->ctx);
	memcpy(&code, (uint8_t *)c->ctx + s->off_error_code, sizeof(code));
	int in_flight = reset_in_flight(c, s);
	if (in_flight != -1 && in_flight != (int)vector && in_flight != X86_TRAP_DF)
		c->fail = "unicorn: the CPU's exception state is not where it was found";
	return (unsigned int)code;
}

/*
 * A #PF on the shadow. If mmsim's tables allow the access, fill the leaf
 * (and the page's region) and let the instruction run again: true. Else
 * it is the program's page fault: false, with its error code and address.
 */
static bool shadow_fill(struct uc_cpu *c, uint64_t va, unsigned int error_code)
{
	struct machine *m = c->m;
	struct task_struct *t = c->running;
	bool write = error_code & X86_PF_WRITE, fetch = error_code & X86_PF_INSTR;
	unsigned int access = MMU_USER | (write ? MMU_WRITE : 0) | (fetch ? MMU_EXEC : 0);
	phys_addr_t pa;

	if (mmu_translate(m, t->cpu, va, access, &pa)) {
		c->exit->error_code = m->cpu_mmu[t->cpu].error_code;
		c->exit->cr2 = va;
		return false;
	}
	pa &= PAGE_MASK;
	if (pa + PAGE_SIZE > m->ram_bytes) {
		c->exit->reason = CPU_EXIT_BUS_ERROR;
		c->exit->cr2 = pa;
		return false;
	}
	if (region_set(c, va & PAGE_MASK, m->ram + pa, fetch)) {
		c->fail = "unicorn refused a page of the program";
		return false;
	}
	uint64_t *leaf = shadow_leaf(c, va, true);
	if (!leaf) {
		/* The pool is used up: start again from an empty shadow. */
		shadow_reset(c);
		leaf = shadow_leaf(c, va, true);
	}
	if (!(*leaf & SPTE_P))
		*leaf = SPTE_P | SPTE_US | SPTE_A | SPTE_NX;
	if (write)
		*leaf |= SPTE_RW | SPTE_D;
	if (fetch) {
		*leaf &= ~SPTE_NX;
		/*
		 * Code translated from this page before may be stale: the frame
		 * can have been written since by the kernel, or freed and given
		 * to other contents, where the emulator did not see it.
		 */
		struct uc_region *r = region_slot(c, va & PAGE_MASK);
		uint64_t sum = page_sum(m->ram + pa);
		if (r->va && r->sum != sum) {
			uc_ctl_remove_cache(c->uc, va & PAGE_MASK, (va & PAGE_MASK) + PAGE_SIZE);
			r->sum = sum;
		}
	}
	return true;
}

/* The CPU is past an instruction of @len bytes that is to fault instead: back at it. */
static void back_over_insn(uc_engine *uc, unsigned int len)
{
	uint64_t rip;

	uc_reg_read(uc, UC_X86_REG_RIP, &rip);
	rip -= len;
	uc_reg_write(uc, UC_X86_REG_RIP, &rip);
}

static void on_interrupt(uc_engine *uc, uint32_t intno, void *data)
{
	struct uc_cpu *c = data;
	struct uc_state *s = c->m->cpu_backend->priv;
	struct cpu_exit *ex = c->exit;

	if (intno == 0x80 && s->i386) {
		/* int $0x80: the i386 system call (the CPU is past it). */
		stop(c, CPU_EXIT_SYSCALL);
		return;
	}
	if (intno >= 32) {
		/*
		 * int $N with no gate user mode may use (x86_64's int $0x80 too):
		 * #GP at the instruction, the error code naming the IDT entry.
		 */
		back_over_insn(uc, 2);
		ex->vector = X86_TRAP_GP;
		ex->error_code = intno * 8 + 2;
		stop(c, CPU_EXIT_EXCEPTION);
		return;
	}
	if (intno == X86_TRAP_BP || intno == X86_TRAP_OF) {
		/* Traps: the CPU is past the instruction, as the kernel sees them. */
		ex->vector = intno;
		stop(c, CPU_EXIT_EXCEPTION);
		return;
	}
	unsigned int code = take_exception(c, s, intno);
	if (intno == X86_TRAP_PF || intno == X86_TRAP_DF) {
		/* A #DF here is a second #PF the CPU escalated before the first was cleared. */
		uint64_t cr2;
		uc_reg_read(uc, UC_X86_REG_CR2, &cr2);
		if (intno == X86_TRAP_DF)
			c->fail = "unicorn: a double fault";
		if (!c->fail && shadow_fill(c, cr2, code))
			return;		/* the instruction runs again */
		if (c->fail) {
			stop(c, CPU_EXIT_ERROR);
			return;
		}
		if (ex->reason == CPU_EXIT_BUS_ERROR) {
			stop(c, CPU_EXIT_BUS_ERROR);
			return;
		}
		ex->vector = X86_TRAP_PF;
		if (s->i386) {
			/* i386 without PAE has no NX: no instruction-fetch bit in its error codes. */
			ex->error_code &= ~(uint64_t)X86_PF_INSTR;
			ex->cr2 &= 0xffffffffULL;
		}
		stop(c, CPU_EXIT_EXCEPTION);
		return;
	}
	ex->vector = intno;
	ex->error_code = code;
	stop(c, c->fail ? CPU_EXIT_ERROR : CPU_EXIT_EXCEPTION);
}

/* The syscall instruction (the CPU is past it). */
static void on_syscall(uc_engine *uc, void *data)
{
	struct uc_cpu *c = data;
	struct uc_state *s = c->m->cpu_backend->priv;

	if (s->i386) {
		/* i386 Linux enables no SYSCALL for user mode: #UD at the instruction. */
		back_over_insn(uc, 2);
		c->exit->vector = X86_TRAP_UD;
		stop(c, CPU_EXIT_EXCEPTION);
		return;
	}
	stop(c, CPU_EXIT_SYSCALL);
}

/* ---- registers -------------------------------------------------------------------------- */

static const int gpr_ids[] = {
	UC_X86_REG_R15, UC_X86_REG_R14, UC_X86_REG_R13, UC_X86_REG_R12, UC_X86_REG_RBP,
	UC_X86_REG_RBX, UC_X86_REG_R11, UC_X86_REG_R10, UC_X86_REG_R9, UC_X86_REG_R8,
	UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RSI, UC_X86_REG_RDI,
};
#define NR_GPRS (sizeof(gpr_ids) / sizeof(gpr_ids[0]))

static void gprs_ptrs(struct user_context *u, void **v)
{
	uint64_t *regs[NR_GPRS] = { &u->r15, &u->r14, &u->r13, &u->r12, &u->rbp, &u->rbx, &u->r11,
				    &u->r10, &u->r9, &u->r8, &u->rax, &u->rcx, &u->rdx, &u->rsi, &u->rdi };
	for (size_t i = 0; i < NR_GPRS; i++)
		v[i] = regs[i];
}

/* The x87/SSE state from FXSAVE's layout into the emulated CPU, and back. */
static void fpu_load(uc_engine *uc, const uint8_t *fx, bool x86_64)
{
	uint16_t fcw, fsw, fop, ftw = 0;
	uint32_t mxcsr;
	uint64_t fip, fdp;

	memcpy(&fcw, fx, 2);
	memcpy(&fsw, fx + 2, 2);
	memcpy(&fop, fx + 6, 2);
	memcpy(&fip, fx + 8, 8);
	memcpy(&fdp, fx + 16, 8);
	memcpy(&mxcsr, fx + 24, 4);
	unsigned int top = (fsw >> 11) & 7;
	for (unsigned int phys = 0; phys < 8; phys++) {
		/* FXSAVE keeps the registers in stack order, ST(0) first; the CPU by number. */
		unsigned int st = (phys - top) & 7;
		uint8_t fp[16] = { 0 };
		memcpy(fp, fx + 32 + 16 * st, 10);
		uc_reg_write(uc, UC_X86_REG_FP0 + (int)phys, fp);
		/* The abridged tag: 1 for a register in use; the full one 3 for empty. */
		if (!(fx[4] & (1U << phys)))
			ftw |= (uint16_t)(3U << (2 * phys));
	}
	uc_reg_write(uc, UC_X86_REG_FPCW, &fcw);
	uc_reg_write(uc, UC_X86_REG_FPSW, &fsw);
	uc_reg_write(uc, UC_X86_REG_FPTAG, &ftw);
	uc_reg_write(uc, UC_X86_REG_FOP, &fop);
	uc_reg_write(uc, UC_X86_REG_FIP, &fip);
	uc_reg_write(uc, UC_X86_REG_FDP, &fdp);
	uc_reg_write(uc, UC_X86_REG_MXCSR, &mxcsr);
	for (int i = 0; i < (x86_64 ? 16 : 8); i++)
		uc_reg_write(uc, (i < 8 ? UC_X86_REG_XMM0 + i : UC_X86_REG_XMM8 + i - 8), fx + 160 + 16 * i);
}

static void fpu_save(uc_engine *uc, uint8_t *fx, bool x86_64)
{
	uint16_t fcw = 0, fsw = 0, ftw = 0, fop = 0;
	uint32_t mxcsr = 0, mask = 0xffff;
	uint64_t fip = 0, fdp = 0;

	uc_reg_read(uc, UC_X86_REG_FPCW, &fcw);
	uc_reg_read(uc, UC_X86_REG_FPSW, &fsw);
	uc_reg_read(uc, UC_X86_REG_FPTAG, &ftw);
	uc_reg_read(uc, UC_X86_REG_FOP, &fop);
	uc_reg_read(uc, UC_X86_REG_FIP, &fip);
	uc_reg_read(uc, UC_X86_REG_FDP, &fdp);
	uc_reg_read(uc, UC_X86_REG_MXCSR, &mxcsr);
	memset(fx, 0, 512);
	memcpy(fx, &fcw, 2);
	memcpy(fx + 2, &fsw, 2);
	memcpy(fx + 6, &fop, 2);
	memcpy(fx + 8, &fip, 8);
	memcpy(fx + 16, &fdp, 8);
	memcpy(fx + 24, &mxcsr, 4);
	memcpy(fx + 28, &mask, 4);
	unsigned int top = (fsw >> 11) & 7;
	for (unsigned int phys = 0; phys < 8; phys++) {
		uint8_t fp[16] = { 0 };
		uc_reg_read(uc, UC_X86_REG_FP0 + (int)phys, fp);
		memcpy(fx + 32 + 16 * ((phys - top) & 7), fp, 10);
		if (((ftw >> (2 * phys)) & 3) != 3)
			fx[4] |= (uint8_t)(1U << phys);
	}
	for (int i = 0; i < (x86_64 ? 16 : 8); i++)
		uc_reg_read(uc, (i < 8 ? UC_X86_REG_XMM0 + i : UC_X86_REG_XMM8 + i - 8), fx + 160 + 16 * i);
}

static int load_registers(struct uc_cpu *c, struct uc_state *s, struct user_context *u)
{
	void *ptrs[NR_GPRS];
	uint64_t rflags = (u->rflags & 0x250dd5) | X86_EFLAGS_IF | X86_EFLAGS_FIXED;

	gprs_ptrs(u, ptrs);
	if (uc_reg_write_batch(c->uc, (int *)gpr_ids, ptrs, (int)NR_GPRS) != UC_ERR_OK ||
	    uc_reg_write(c->uc, UC_X86_REG_RSP, &u->rsp) != UC_ERR_OK ||
	    uc_reg_write(c->uc, UC_X86_REG_RFLAGS, &rflags) != UC_ERR_OK)
		return -EIO;
	fpu_load(c->uc, u->fxsave, !s->i386);
	if (s->i386) {
		uint16_t ds = I386_USER_DS;
		gdt_set_tls((uint64_t *)(c->priv + PRIV_GDT * PAGE_SIZE), u);
		uc_reg_write(c->uc, UC_X86_REG_DS, &ds);
		uc_reg_write(c->uc, UC_X86_REG_ES, &ds);
		/* Through the GDT, as a mov to the segment register loads them. */
		if (uc_reg_write(c->uc, UC_X86_REG_FS, &u->fs_sel) != UC_ERR_OK)
			u->fs_sel = 0, uc_reg_write(c->uc, UC_X86_REG_FS, &u->fs_sel);
		if (uc_reg_write(c->uc, UC_X86_REG_GS, &u->gs_sel) != UC_ERR_OK)
			u->gs_sel = 0, uc_reg_write(c->uc, UC_X86_REG_GS, &u->gs_sel);
	} else {
		uc_reg_write(c->uc, UC_X86_REG_FS_BASE, &u->fs_base);
		uc_reg_write(c->uc, UC_X86_REG_GS_BASE, &u->gs_base);
	}
	return 0;
}

static void save_registers(struct uc_cpu *c, struct uc_state *s, struct user_context *u)
{
	void *ptrs[NR_GPRS];

	gprs_ptrs(u, ptrs);
	uc_reg_read_batch(c->uc, (int *)gpr_ids, ptrs, (int)NR_GPRS);
	uc_reg_read(c->uc, UC_X86_REG_RSP, &u->rsp);
	uc_reg_read(c->uc, UC_X86_REG_RIP, &u->rip);
	uc_reg_read(c->uc, UC_X86_REG_RFLAGS, &u->rflags);
	fpu_save(c->uc, u->fxsave, !s->i386);
	uc_reg_read(c->uc, UC_X86_REG_FS_BASE, &u->fs_base);
	uc_reg_read(c->uc, UC_X86_REG_GS_BASE, &u->gs_base);
	if (s->i386) {
		uint16_t sel = 0;
		u->rip &= 0xffffffffULL;
		uc_reg_read(c->uc, UC_X86_REG_FS, &sel);
		u->fs_sel = sel;
		uc_reg_read(c->uc, UC_X86_REG_GS, &sel);
		u->gs_sel = sel;
	}
}

/* ---- a CPU ------------------------------------------------------------------------------ */

/* The emulated CPU's own state: GDT, code, stack and shadow in its memory; long mode, paging. */
static int cpu_setup(struct machine *m, struct uc_state *s, struct uc_cpu *c)
{
	c->m = m;
	c->regions = calloc(2 * MAX_REGIONS, sizeof(*c->regions));
	c->priv = host_reserve(PRIV_PAGES * PAGE_SIZE);
	c->pool = host_reserve((size_t)SHADOW_POOL * PAGE_SIZE);
	if (!c->regions || !c->priv || !c->pool)
		return -ENOMEM;
	if (uc_open(UC_ARCH_X86, UC_MODE_64, &c->uc) != UC_ERR_OK)
		return -ENODEV;
	if (uc_context_alloc(c->uc, &c->ctx) != UC_ERR_OK)
		return -ENOMEM;
	if (uc_mem_map_ptr(c->uc, PRIV_BASE, PRIV_PAGES * PAGE_SIZE, UC_PROT_ALL, c->priv) != UC_ERR_OK ||
	    uc_mem_map_ptr(c->uc, SHADOW_BASE, (size_t)SHADOW_POOL * PAGE_SIZE, UC_PROT_READ | UC_PROT_WRITE,
			   c->pool) != UC_ERR_OK)
		return -ENOMEM;

	uint64_t *gdt = (uint64_t *)(c->priv + PRIV_GDT * PAGE_SIZE);
	gdt[__KERNEL_CS / 8] = seg_desc(0x9b, 0xa);	/* DPL 0 64-bit code */
	gdt[__KERNEL_DS / 8] = seg_desc(0x93, 0xc);
	if (s->i386) {
		gdt[I386_USER_CS / 8] = seg_desc(0xfb, 0xc);	/* DPL 3 32-bit code: compatibility mode */
		gdt[I386_USER_DS / 8] = seg_desc(0xf3, 0xc);
	} else {
		gdt[__USER32_CS / 8] = seg_desc(0xfb, 0xc);
		gdt[__USER_DS / 8] = seg_desc(0xf3, 0xc);
		gdt[__USER_CS / 8] = seg_desc(0xfb, 0xa);	/* DPL 3 64-bit code */
	}
	c->priv[PRIV_CODE * PAGE_SIZE] = 0x48;		/* iretq */
	c->priv[PRIV_CODE * PAGE_SIZE + 1] = 0xcf;
	shadow_reset(c);

	uc_x86_mmr gdtr = { .base = PRIV_BASE + PRIV_GDT * PAGE_SIZE, .limit = GDT_ENTRIES * 8 - 1 };
	uint64_t cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	uint64_t cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT, cr3 = SHADOW_BASE;
	if (uc_reg_write(c->uc, UC_X86_REG_GDTR, &gdtr) || uc_reg_write(c->uc, UC_X86_REG_CR4, &cr4) || uc_reg_write(c->uc, UC_X86_REG_CR3, &cr3) ||
	    uc_reg_write(c->uc, UC_X86_REG_CR0, &cr0))
		return -EIO;

	if (uc_hook_add(c->uc, &c->hooks[0], UC_HOOK_INTR, (void *)on_interrupt, c, 1, 0) ||
	    uc_hook_add(c->uc, &c->hooks[1], UC_HOOK_INSN, (void *)on_syscall, c, 1, 0, UC_X86_INS_SYSCALL) ||
	    uc_hook_add(c->uc, &c->hooks[2], UC_HOOK_MEM_UNMAPPED, (void *)on_unmapped, c, 1, 0))
		return -EIO;
	return 0;
}

/*
 * Fields of the emulated CPU the API does not reach, in a saved context
 * (a copy of QEMU's CPUX86State): the error code and the exception in
 * flight sit beside the debug registers (error_code, exception_is_int,
 * exception_next_eip, dr[8], four breakpoint pointers, old_exception),
 * and EFER after the control registers (cr[5], a20_mask, bnd_regs[4],
 * bndcs_regs, msr_bndcfgs, efer). Each is found by writing known values
 * to its neighbours and checked by the value it must hold.
 */
static bool find_u64s(const uint8_t *blob, size_t size, const uint64_t *want, size_t n, size_t *at)
{
	for (size_t off = 0; off + n * 8 <= size; off += 4) {
		if (!memcmp(blob + off, want, n * 8)) {
			*at = off;
			return true;
		}
	}
	return false;
}

static int find_cpu_state(struct uc_state *s, struct uc_cpu *c)
{
	uint64_t dr[8], cr[5], saved_cr[5], zero = 0, efer;
	size_t at;

	s->ctx_size = uc_context_size(c->uc);
	for (int i = 0; i < 8; i++) {
		dr[i] = 0x5ee0d00dULL << 32 | 0x1000u * (unsigned int)(i + 1) | 0xc3;
		uc_reg_write(c->uc, UC_X86_REG_DR0 + i, &dr[i]);
	}
	for (int i = 0; i < 5; i++) {
		uc_reg_read(c->uc, UC_X86_REG_CR0 + i, &saved_cr[i]);
		cr[i] = 0xc0ffee00ULL << 32 | 0x100u * (unsigned int)(i + 1);
		uc_reg_write(c->uc, UC_X86_REG_CR0 + i, &cr[i]);
	}
	uc_context_save(c->uc, c->ctx);
	for (int i = 0; i < 8; i++)
		uc_reg_write(c->uc, UC_X86_REG_DR0 + i, &zero);
	for (int i = 0; i < 5; i++)
		uc_reg_write(c->uc, UC_X86_REG_CR0 + i, &saved_cr[i]);
	const uint8_t *blob = (const uint8_t *)c->ctx;
	if (!find_u64s(blob, s->ctx_size - 4 * sizeof(void *) - 4, dr, 8, &at) || at < 16)
		return -ENOENT;
	s->off_error_code = at - 16;
	s->off_old_exception = at + sizeof(dr) + 4 * sizeof(void *);
	if (!find_u64s(blob, s->ctx_size - 136, cr, 5, &at))
		return -ENOENT;
	/*
	 * 2.0.1's CPU models lose SYSCALL and NX from their features, so
	 * WRMSR drops EFER.NXE: set it in the CPU itself. The shadow needs
	 * NX to see a page's first instruction fetch.
	 */
	uc_context_save(c->uc, c->ctx);
	memcpy(&efer, (uint8_t *)c->ctx + at + 136, 8);
	if (efer != (EFER_LME | EFER_LMA))
		return -ENOENT;
	efer |= EFER_NX | EFER_SCE;
	memcpy((uint8_t *)c->ctx + at + 136, &efer, 8);
	uc_context_restore(c->uc, c->ctx);
	uc_x86_msr check = { .rid = MSR_EFER };
	uc_reg_read(c->uc, UC_X86_REG_MSR, &check);
	return check.value == efer ? 0 : -ENOENT;
}

/* The first entry to user mode: IRETQ from the kernel's code to the program's selectors. */
static int enter_user_mode(struct uc_cpu *c, struct uc_state *s, const struct user_context *u)
{
	uint64_t frame[5] = { u->rip, s->i386 ? I386_USER_CS : __USER_CS, X86_EFLAGS_FIXED, u->rsp,
			      s->i386 ? I386_USER_DS : __USER_DS };
	uint64_t sp = PRIV_BASE + (PRIV_STACK + 1) * PAGE_SIZE - sizeof(frame);
	uint64_t cs = 0;

	memcpy(c->priv + (PRIV_STACK + 1) * PAGE_SIZE - sizeof(frame), frame, sizeof(frame));
	uc_reg_write(c->uc, UC_X86_REG_RSP, &sp);
	/* It stops where the program starts (its code may fault in first: the hooks fill it). */
	uc_err err = uc_emu_start(c->uc, PRIV_BASE + PRIV_CODE * PAGE_SIZE, u->rip, 0, 0);
	uc_reg_read(c->uc, UC_X86_REG_CS, &cs);
	if (err != UC_ERR_OK || (cs & 3) != 3)
		return -EIO;
	c->in_user = true;
	/* A block made at the program's entry was made to stop there: it goes. */
	drop_translations(c, u->rip & PAGE_MASK);
	memset(c->exit, 0, sizeof(*c->exit));
	c->stopped = false;
	return 0;
}

static int uc_run_task(struct machine *m, unsigned int cpu, struct task_struct *t, struct cpu_exit *ex)
{
	struct uc_state *s = m->cpu_backend->priv;
	struct uc_cpu *c = &s->cpus[cpu % s->nr_cpus];
	struct user_context *u = t->uctx;
	int err;

	memset(ex, 0, sizeof(*ex));
	if (!c->uc) {
		if ((err = cpu_setup(m, s, c)) || (err = find_cpu_state(s, c))) {
			ex->reason = CPU_EXIT_ERROR;
			ex->why = err == -ENOENT ? "unicorn: the emulated CPU's state is not laid out as 2.0.1 lays it" :
				  "unicorn: the emulated CPU could not be set up";
			return err;
		}
	}
	if (c->kicked) {
		c->kicked = 0;
		ex->reason = CPU_EXIT_INTERRUPTED;
		return 0;
	}
	if (c->shadow_of != t->mm->pgd) {
		shadow_reset(c);
		c->shadow_of = t->mm->pgd;
	}
	c->running = t;
	c->exit = ex;
	c->stopped = false;
	c->fail = NULL;
	if (!c->in_user && enter_user_mode(c, s, u)) {
		c->running = NULL;
		ex->reason = CPU_EXIT_ERROR;
		ex->why = c->fail ? c->fail : "unicorn: the CPU did not reach user mode";
		return -EIO;
	}
	if (c->tlb_stale) {
		/* Mapping a region flushes the emulator's whole TLB; the CPU holds no other way. */
		uc_mem_map_ptr(c->uc, PRIV_BASE + PRIV_PAGES * PAGE_SIZE, PAGE_SIZE, UC_PROT_NONE, s->spare);
		uc_mem_unmap(c->uc, PRIV_BASE + PRIV_PAGES * PAGE_SIZE, PAGE_SIZE);
		c->tlb_stale = false;
	}
	if ((err = load_registers(c, s, u))) {
		c->running = NULL;
		ex->reason = CPU_EXIT_ERROR;
		ex->why = "unicorn refused the program's registers";
		return err;
	}
	if (c->exception_stop)
		clear_exception_in_flight(c, s);
	ex->reason = CPU_EXIT_INTERRUPTED;
	uc_err uerr = uc_emu_start(c->uc, u->rip, NEVER_PC, 0, 0);
	save_registers(c, s, u);
	c->running = NULL;
	if (c->kicked && !c->stopped) {
		c->kicked = 0;
		ex->reason = CPU_EXIT_INTERRUPTED;
		return 0;
	}
	if (uerr == UC_ERR_INSN_INVALID) {
		ex->reason = CPU_EXIT_EXCEPTION;
		ex->vector = X86_TRAP_UD;
		return 0;
	}
	if (uerr != UC_ERR_OK || c->fail) {
		ex->reason = CPU_EXIT_ERROR;
		ex->why = c->fail ? c->fail : uc_strerror(uerr);
		return -EIO;
	}
	if (ex->reason == CPU_EXIT_SYSCALL) {
		if (s->i386) {
			u->orig_rax = u->rax & 0xffffffffULL;
		} else {
			/* What the syscall instruction leaves: the return address in rcx, rflags in r11. */
			u->rcx = u->rip;
			u->r11 = u->rflags;
			u->orig_rax = u->rax;
		}
	}
	return 0;
}

/* ---- what the kernel tells the CPUs ------------------------------------------------------ */

static void uc_flush(struct machine *m, phys_addr_t pgd, uint64_t start, uint64_t end)
{
	struct uc_state *s = m->cpu_backend->priv;

	for (unsigned int i = 0; i < s->nr_cpus; i++) {
		struct uc_cpu *c = &s->cpus[i];
		if (!c->uc || c->shadow_of != pgd)
			continue;
		if (end == 0 || (end - start) >> PAGE_SHIFT > 512) {
			shadow_reset(c);
			if (end == 0)
				c->shadow_of = 0;	/* the pgd may be freed and made again */
			continue;
		}
		for (uint64_t va = start & PAGE_MASK; va < end; va += PAGE_SIZE) {
			uint64_t *leaf = shadow_leaf(c, va, false);
			if (leaf)
				*leaf = 0;
			struct uc_region *r = region_slot(c, va);
			if (r->va)
				region_remove(c, r);	/* flushes the page from the TLB */
		}
	}
}

static void uc_forget(struct machine *m, struct task_struct *t)
{
	struct uc_state *s = m->cpu_backend->priv;

	for (unsigned int i = 0; i < s->nr_cpus; i++)
		if (s->cpus[i].running == t)
			s->cpus[i].running = NULL;
}

static void uc_kick(struct machine *m, unsigned int cpu)
{
	struct uc_state *s = m->cpu_backend->priv;
	struct uc_cpu *c = &s->cpus[cpu % s->nr_cpus];

	c->kicked = 1;
	if (c->uc)
		uc_emu_stop(c->uc);
}

static void uc_release(struct machine *m)
{
	struct uc_state *s = m->cpu_backend ? m->cpu_backend->priv : NULL;

	if (!s)
		return;
	for (unsigned int i = 0; s->cpus && i < s->nr_cpus; i++) {
		struct uc_cpu *c = &s->cpus[i];
		if (c->ctx)
			uc_context_free(c->ctx);
		if (c->uc)
			uc_close(c->uc);
		free(c->regions);
		if (c->priv)
			host_release(c->priv, PRIV_PAGES * PAGE_SIZE);
		if (c->pool)
			host_release(c->pool, (size_t)SHADOW_POOL * PAGE_SIZE);
	}
	free(s->cpus);
	if (s->spare)
		host_release(s->spare, PAGE_SIZE);
	free(s);
	m->cpu_backend = NULL;
}

int unicorn_backend_init(struct machine *m, const char **why)
{
	struct uc_state *s;

	if (m->cpu_backend)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s) {
		*why = "out of memory";
		return -ENOMEM;
	}
	s->nr_cpus = m->nr_cpus < MAX_UC_CPUS ? m->nr_cpus : MAX_UC_CPUS;
	s->i386 = m->is_32bit;
	s->cpus = calloc(s->nr_cpus, sizeof(*s->cpus));
	s->spare = host_reserve(PAGE_SIZE);
	/*
	 * No save_fpu, load_fpu or tls_changed: a program's registers, FPU
	 * and segments are in t->uctx whenever it is not running (each run
	 * loads and saves them all), and the GDT gets its TLS entries at
	 * every entry to user mode.
	 */
	s->ops = (struct cpu_backend){ .name = "unicorn", .priv = s, .run = uc_run_task,
				       .flush = uc_flush, .forget = uc_forget, .kick = uc_kick,
				       .release = uc_release };
	m->cpu_backend = &s->ops;
	if (!s->cpus || !s->spare) {
		*why = "out of memory";
		uc_release(m);
		return -ENOMEM;
	}
	unsigned int major, minor;
	uc_version(&major, &minor);
	if (major < 2) {
		*why = "unicorn: version 2 is needed";
		uc_release(m);
		return -ENOSYS;
	}
	return 0;
}
