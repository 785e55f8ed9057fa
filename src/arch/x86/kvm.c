/* kvm.c — the KVM CPU backend: the program's code on the host's real CPU,
 * through mmsim's own page tables.
 *
 * Guest physical memory is the simulated RAM itself: one KVM memory slot
 * per e820 RAM range, backed by m->ram, no copy. CR3 is the process's
 * page directory in that RAM, so the hardware walks the tables mmsim's
 * kernel wrote, sets their Accessed and Dirty bits and enforces U/S, R/W
 * and NX; what it finds missing or forbidden is a #PF that comes back to
 * mmsim's do_user_addr_fault().
 *
 * The CPU needs a little of a kernel's own: a GDT with Linux's selectors,
 * an IDT, a TSS whose RSP0 is an exception stack, and entry code. They
 * sit where 6.1 keeps them, in the cpu_entry_area (one 64 KiB slot per
 * CPU at 0xfffffe0000000000), mapped by one kernel PGD entry to pages of
 * the backend's own, in a second memory slot above RAM: the simulated
 * machine's meminfo does not see them, as the real kernel's boot numbers
 * already hold its own. The entry code does no work: every vector and
 * the syscall instruction lead to an OUT to a port of its own, which ends
 * KVM_RUN; mmsim serves the exit and the code returns with SYSRET (a
 * system call whose registers the kernel did not replace) or IRETQ
 * (everything else, from a frame written on the exception stack).
 *
 * TLB: mmsim's flush_tlb_mm_range() reaches flush() here; the flush is
 * done by the guest itself (INVLPG, or a CR3 reload) in a helper the
 * backend runs before the program goes on.
 *
 * An i386 machine's program runs in compatibility mode under the same
 * long-mode entry code, through a shadow of mmsim's 2-level tables (this
 * host's nested KVM does not run 32-bit paging). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "arch/x86/cpu_backend.h"
#include "arch/x86/fault.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/processor-flags.h"
#include "kernel/sched.h"
#include "mm.h"

/* The cpu_entry_area (arch/x86/include/asm/pgtable_64_types.h: CPU_ENTRY_AREA_BASE). */
#define CEA_BASE	0xfffffe0000000000ULL
#define CEA_PGD_INDEX	508
#define CEA_CPU_PAGES	16		/* each CPU's slot */
#define CEA_CPUS_PER_PT	(512 / CEA_CPU_PAGES)
/*
 * vCPUs made: one per simulated CPU up to this many. Programs run one at
 * a time, so a simulated CPU past them shares a vCPU (cpu % nr_cpus): the
 * vCPU only executes, the simulated CPU's state is mmsim's.
 */
#define MAX_KVM_CPUS	16

/* Pages of one CPU's slot. */
enum {
	CEA_GDT,	/* GDT, then the TSS at CEA_TSS_OFF */
	CEA_IDT,
	CEA_CODE,
	CEA_DATA,	/* what the entry code stores: CR2 */
	CEA_STACK,	/* 4 pages of exception stack, up to CEA_STACK_END */
	CEA_STACK_END = CEA_STACK + 4,
};
#define CEA_TSS_OFF	0x800
#define DATA_CR2	0

/* The TSS's GDT entry: after the 64-bit user selectors, or (i386) after the compatibility-mode ones. */
#define GDT_ENTRY_TSS	8
#define GDT_ENTRY_TSS_I386	16
#define PORT_INT80		0xe2

/*
 * The i386 program's page tables as the CPU sees them: mmsim's are
 * 2-level with 4-byte entries, which long mode cannot walk, so each CPU
 * has a 4-level shadow of the user 3 GiB — a software TLB: empty at
 * first, an entry filled from mmsim's tables at each #PF that they allow
 * (setting Accessed, and Dirty for a write, in mmsim's entries as the
 * hardware walk would; writable in the shadow only once written, so that
 * the first write faults and sets Dirty), cleared by every flush of that
 * address space. mmsim's tables stay the only truth.
 */
#define SHADOW_PTS		1536	/* 3 GiB of 2 MiB regions */
#define SHADOW_PAGES		(2 + 4 + SHADOW_PTS)	/* PML4, PDPT, 4 PDs, the PTs */

/* The ports the entry code writes to. */
#define PORT_VECTOR_BASE	0x00	/* + vector, 0..31 */
#define PORT_SYSCALL		0xe0
#define PORT_FLUSHED		0xe1


/* Where the entry code's pieces start in the code page. */
struct entry_layout {
	uint32_t syscall, sysret, vector[32], iret, flush, int80;
};

struct kvm_cpu {
	int fd;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *slot;			/* host address of the CPU's entry-area pages */
	uint64_t slot_va;		/* their virtual address */
	struct kvm_sregs sregs;		/* as last set */
	struct task_struct *fpu_owner;	/* whose FPU state the CPU holds */
	bool flush_all;
	uint64_t flush_start, flush_end;	/* pages to INVLPG (start == end: none) */
	/* How the task on the CPU last left user mode: a syscall may go back by SYSRET. */
	struct task_struct *in_syscall;
	bool need_sregs;		/* stopped in user mode: back to kernel mode first */
	bool kicked;			/* a kick came while the backend ran its own code */
	/* i386: the shadow tables, whose address space they hold, which PTs are in use. */
	uint8_t *shadow;		/* host address of SHADOW_PAGES pages */
	uint64_t shadow_gpa;
	phys_addr_t shadow_of;		/* the mmsim pgd the entries came from (0: none) */
	uint64_t shadow_used[SHADOW_PTS / 64];
	struct task_struct *loaded;	/* whose segments (TLS, GS) the CPU holds */
};

struct kvm_state {
	int kvm_fd, vm_fd;
	uint8_t *priv;			/* the backend's own guest pages */
	size_t priv_size;
	uint64_t priv_gpa;
	uint32_t priv_slot;
	bool shadow_paging;		/* KVM has no EPT/NPT here: flushes must zap its shadow pages */
	unsigned long zaps;
	struct entry_layout code;
	bool syscall_stays_cpl3;	/* the host's SYSCALL quirk: see kvm_run_task() */
	bool i386;			/* an i386 machine: compatibility mode and shadow tables */
	struct kvm_cpu *cpus;
	unsigned int nr_cpus;
	struct cpu_backend ops;
};

/* ---- the entry code ------------------------------------------------------------------- */

struct emitter {
	uint8_t *buf;
	uint32_t at;
};

static void emit(struct emitter *e, const uint8_t *bytes, size_t n)
{
	memcpy(e->buf + e->at, bytes, n);
	e->at += (uint32_t)n;
}
#define EMIT(e, ...) emit((e), (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static bool vector_has_error_code(unsigned int v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

/*
 * Write the entry code into @page (the same bytes serve every CPU: data
 * is reached RIP-relative, inside the CPU's own slot).
 */
static void build_entry_code(uint8_t *page, struct entry_layout *l)
{
	struct emitter e = { page, 0 };

	memset(page, 0xcc, PAGE_SIZE);	/* int3 between the pieces */
	/* syscall: out %al,$PORT_SYSCALL; the kernel's answer is in rax; sysretq */
	l->syscall = e.at;
	EMIT(&e, 0xe6, PORT_SYSCALL);
	l->sysret = e.at;
	EMIT(&e, 0x48, 0x0f, 0x07);
	/* iretq from the frame at rsp (the backend writes it) */
	e.at = 0x10;
	l->iret = e.at;
	EMIT(&e, 0x48, 0xcf);
	/*
	 * The flush helper: rdi = first page, rcx = pages; rcx 0 reloads CR3.
	 *   test %rcx,%rcx; jz 1f
	 *   0: invlpg (%rdi); add $4096,%rdi; dec %rcx; jnz 0b; out %al,$PORT_FLUSHED
	 *   1: mov %cr3,%rax; mov %rax,%cr3; out %al,$PORT_FLUSHED
	 */
	e.at = 0x20;
	l->flush = e.at;
	EMIT(&e, 0x48, 0x85, 0xc9, 0x74, 0x11);
	EMIT(&e, 0x0f, 0x01, 0x3f, 0x48, 0x81, 0xc7, 0x00, 0x10, 0x00, 0x00, 0x48, 0xff, 0xc9,
	     0x75, 0xf1, 0xe6, PORT_FLUSHED);
	EMIT(&e, 0x0f, 0x20, 0xd8, 0x0f, 0x22, 0xd8, 0xe6, PORT_FLUSHED);
	/* int $0x80 from an i386 program: out %al,$PORT_INT80 */
	e.at = 0x60;
	l->int80 = e.at;
	EMIT(&e, 0xe6, PORT_INT80);
	/*
	 * One 32-byte stub per exception vector: out %al,$vector, then (never
	 * reached: the backend resumes at the iret) int3. The page fault's
	 * stores CR2 first: push %rax; mov %cr2,%rax; mov %rax,DATA(%rip); pop %rax.
	 */
	for (unsigned int v = 0; v < 32; v++) {
		e.at = 0x100 + v * 32;
		l->vector[v] = e.at;
		if (v == X86_TRAP_PF) {
			EMIT(&e, 0x50, 0x0f, 0x20, 0xd0, 0x48, 0x89, 0x05);
			/* disp32 from the next instruction to the data page's DATA_CR2 */
			int32_t disp = (int32_t)((CEA_DATA - CEA_CODE) * PAGE_SIZE + DATA_CR2 - (e.at + 4));
			emit(&e, (const uint8_t *)&disp, 4);
			EMIT(&e, 0x58);
		}
		EMIT(&e, 0xe6, (uint8_t)(PORT_VECTOR_BASE + v));
	}
}

/* ---- the entry area ------------------------------------------------------------------- */

static void build_cpu_slot(struct kvm_state *s, unsigned int cpu)
{
	struct kvm_cpu *c = &s->cpus[cpu];
	uint64_t *gdt = (uint64_t *)(c->slot + CEA_GDT * PAGE_SIZE);
	uint64_t tss_va = c->slot_va + CEA_GDT * PAGE_SIZE + CEA_TSS_OFF;

	unsigned int tss_idx = s->i386 ? GDT_ENTRY_TSS_I386 : GDT_ENTRY_TSS;
	gdt[__KERNEL_CS / 8] = seg_desc(0x9b, 0xa);	/* present, DPL 0, code; L, G */
	gdt[__KERNEL_DS / 8] = seg_desc(0x93, 0xc);	/* data, writable; D, G */
	if (s->i386) {
		gdt[I386_USER_CS / 8] = seg_desc(0xfb, 0xc);	/* DPL 3 32-bit code */
		gdt[I386_USER_DS / 8] = seg_desc(0xf3, 0xc);
	} else {
		gdt[__USER32_CS / 8] = seg_desc(0xfb, 0xc);	/* DPL 3 32-bit code */
		gdt[__USER_DS / 8] = seg_desc(0xf3, 0xc);
		gdt[__USER_CS / 8] = seg_desc(0xfb, 0xa);	/* DPL 3 64-bit code */
	}
	/* The 16-byte TSS descriptor: limit 0x67, busy 64-bit TSS (0x8b). */
	gdt[tss_idx] = 0x67 | ((tss_va & 0xffffff) << 16) | (0x8bULL << 40) | (((tss_va >> 24) & 0xff) << 56);
	gdt[tss_idx + 1] = tss_va >> 32;
	/* TSS: rsp0 at offset 4; no I/O bitmap (its base past the limit). */
	uint8_t *tss = c->slot + CEA_GDT * PAGE_SIZE + CEA_TSS_OFF;
	uint64_t rsp0 = c->slot_va + CEA_STACK_END * PAGE_SIZE;
	memcpy(tss + 4, &rsp0, 8);
	uint16_t iomap = 0x68;
	memcpy(tss + 0x66, &iomap, 2);

	/* The code first: the IDT's gates point into it. */
	build_entry_code(c->slot + CEA_CODE * PAGE_SIZE, &s->code);
	/* IDT: interrupt gates to the vector stubs; int3 and into may be raised from user mode. */
	uint8_t *idt = c->slot + CEA_IDT * PAGE_SIZE;
	for (unsigned int v = 0; v < 32; v++) {
		uint64_t target = c->slot_va + CEA_CODE * PAGE_SIZE + s->code.vector[v];
		uint8_t dpl = (v == X86_TRAP_BP || v == X86_TRAP_OF) ? 3 : 0;
		uint64_t lo = (target & 0xffff) | ((uint64_t)__KERNEL_CS << 16) |
			      ((uint64_t)(0x8e | dpl << 5) << 40) | (((target >> 16) & 0xffff) << 48);
		uint64_t hi = target >> 32;
		memcpy(idt + v * 16, &lo, 8);
		memcpy(idt + v * 16 + 8, &hi, 8);
	}
	if (s->i386) {
		/* int $0x80: a trap gate user mode may raise (the i386 system call). */
		uint64_t target = c->slot_va + CEA_CODE * PAGE_SIZE + s->code.int80;
		uint64_t lo = (target & 0xffff) | ((uint64_t)__KERNEL_CS << 16) |
			      ((uint64_t)(0x8e | 3 << 5) << 40) | (((target >> 16) & 0xffff) << 48);
		uint64_t hi = target >> 32;
		memcpy(idt + 0x80 * 16, &lo, 8);
		memcpy(idt + 0x80 * 16 + 8, &hi, 8);
	}
}

static size_t entry_area_bytes_cea(unsigned int nr_cpus);

/*
 * The backend's pages: a PUD, a PMD and the PTE tables of the entry area,
 * then each CPU's slot. Returns the PGD entry that maps them.
 */
static uint64_t build_entry_area(struct kvm_state *s)
{
	unsigned int nr_pt = (s->nr_cpus + CEA_CPUS_PER_PT - 1) / CEA_CPUS_PER_PT;
	unsigned int slots_at = 2 + nr_pt;
	uint64_t *pud = (uint64_t *)s->priv, *pmd = (uint64_t *)(s->priv + PAGE_SIZE);

	pud[0] = (s->priv_gpa + PAGE_SIZE) | _KERNPG_TABLE;
	for (unsigned int t = 0; t < nr_pt; t++)
		pmd[t] = (s->priv_gpa + (2 + t) * PAGE_SIZE) | _KERNPG_TABLE;
	for (unsigned int cpu = 0; cpu < s->nr_cpus; cpu++) {
		struct kvm_cpu *c = &s->cpus[cpu];
		uint64_t *pt = (uint64_t *)(s->priv + (2 + cpu / CEA_CPUS_PER_PT) * PAGE_SIZE);
		unsigned int first = (cpu % CEA_CPUS_PER_PT) * CEA_CPU_PAGES;
		uint64_t gpa = s->priv_gpa + (slots_at + (uint64_t)cpu * CEA_CPU_PAGES) * PAGE_SIZE;
		c->slot = s->priv + (gpa - s->priv_gpa);
		c->slot_va = CEA_BASE + (uint64_t)cpu * CEA_CPU_PAGES * PAGE_SIZE;
		for (unsigned int i = 0; i < CEA_STACK_END; i++) {
			uint64_t prot = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL;
			if (i != CEA_CODE)
				prot |= _PAGE_RW | _PAGE_NX;

			pt[first + i] = (gpa + i * PAGE_SIZE) | prot;
		}
		build_cpu_slot(s, cpu);
		if (s->i386) {
			/* The shadow: PML4 -> PDPT -> a PD per GiB of the user 3 GiB; the CEA at 508. */
			uint64_t sh = s->priv_gpa + entry_area_bytes_cea(s->nr_cpus) +
				      (uint64_t)cpu * SHADOW_PAGES * PAGE_SIZE;
			c->shadow = s->priv + (sh - s->priv_gpa);
			c->shadow_gpa = sh;
			uint64_t *pml4 = (uint64_t *)c->shadow, *pdpt = (uint64_t *)(c->shadow + PAGE_SIZE);
			pml4[0] = (sh + PAGE_SIZE) | _PAGE_TABLE;
			pml4[CEA_PGD_INDEX] = s->priv_gpa | _KERNPG_TABLE;
			for (unsigned int g = 0; g < 3; g++)
				pdpt[g] = (sh + (2 + g) * PAGE_SIZE) | _PAGE_TABLE;
		}
	}
	return s->priv_gpa | _KERNPG_TABLE;
}

static size_t entry_area_bytes_cea(unsigned int nr_cpus)
{
	unsigned int nr_pt = (nr_cpus + CEA_CPUS_PER_PT - 1) / CEA_CPUS_PER_PT;

	return (size_t)(2 + nr_pt + nr_cpus * CEA_CPU_PAGES) * PAGE_SIZE;
}

/* The entry area, and for an i386 machine each CPU's shadow tables after it. */
static size_t entry_area_bytes(unsigned int nr_cpus, bool i386)
{
	return entry_area_bytes_cea(nr_cpus) + (i386 ? (size_t)nr_cpus * SHADOW_PAGES * PAGE_SIZE : 0);
}

/* ---- vCPU state ----------------------------------------------------------------------- */

static void set_seg(struct kvm_segment *sg, uint16_t sel, uint8_t type, uint8_t dpl, bool code64)
{
	*sg = (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel, .type = type, .present = 1,
		.dpl = dpl, .db = !code64, .s = 1, .l = code64, .g = 1,
	};
}

/* A CPU at rest in its entry code: kernel mode, the kernel's tables loaded. */
static int init_vcpu(struct machine *m, struct kvm_state *s, unsigned int cpu,
		     struct kvm_cpuid2 *cpuid)
{
	struct kvm_cpu *c = &s->cpus[cpu];

	if (ioctl(c->fd, KVM_SET_CPUID2, cpuid) < 0)
		return -errno;
	struct kvm_sregs *sr = &c->sregs;
	if (ioctl(c->fd, KVM_GET_SREGS, sr) < 0)
		return -errno;
	sr->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG;
	sr->cr4 = CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	sr->efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NX;
	sr->cr3 = s->i386 ? c->shadow_gpa : m->swapper_pg_dir;
	set_seg(&sr->cs, __KERNEL_CS, 0xb, 0, true);
	set_seg(&sr->ss, __KERNEL_DS, 0x3, 0, false);
	/*
	 * Data segments: null selectors whose hidden part has DPL 3, so the
	 * IRETQ to user mode keeps them (and FS/GS's bases) as they are.
	 */
	set_seg(&sr->ds, 0, 0x3, 3, false);
	sr->es = sr->ds;
	sr->fs = sr->ds;
	sr->gs = sr->ds;
	sr->gdt.base = c->slot_va + CEA_GDT * PAGE_SIZE;
	unsigned int tss = s->i386 ? GDT_ENTRY_TSS_I386 : GDT_ENTRY_TSS;
	sr->gdt.limit = (uint16_t)((tss + 2) * 8 - 1);
	sr->idt.base = c->slot_va + CEA_IDT * PAGE_SIZE;
	sr->idt.limit = s->i386 ? 256 * 16 - 1 : 32 * 16 - 1;
	sr->tr = (struct kvm_segment){
		.base = c->slot_va + CEA_GDT * PAGE_SIZE + CEA_TSS_OFF, .limit = 0x67,
		.selector = (uint16_t)(tss * 8), .type = 0xb, .present = 1,
	};
	sr->ldt = (struct kvm_segment){ .unusable = 1 };
	if (ioctl(c->fd, KVM_SET_SREGS, sr) < 0)
		return -errno;

	/* struct kvm_msrs ends in a flexible array: room for five entries behind it. */
	union {
		struct kvm_msrs hdr;
		unsigned char room[sizeof(struct kvm_msrs) + 5 * sizeof(struct kvm_msr_entry)];
	} msrs = { .hdr.nmsrs = 5 };
	struct kvm_msr_entry *e = msrs.hdr.entries;
	e[0] = (struct kvm_msr_entry){ .index = MSR_STAR,
				       .data = ((uint64_t)__USER32_CS << 48) | ((uint64_t)__KERNEL_CS << 32) };
	e[1] = (struct kvm_msr_entry){ .index = MSR_LSTAR,
				       .data = c->slot_va + CEA_CODE * PAGE_SIZE + s->code.syscall };
	e[2] = (struct kvm_msr_entry){ .index = MSR_CSTAR, .data = 0 };
	/* Linux's syscall mask: TF, DF, IF, IOPL, NT, AC cleared on entry. */
	e[3] = (struct kvm_msr_entry){ .index = MSR_SYSCALL_MASK, .data = 0x47700 };
	e[4] = (struct kvm_msr_entry){ .index = MSR_KERNEL_GS_BASE, .data = 0 };
	if (ioctl(c->fd, KVM_SET_MSRS, &msrs) != 5)
		return -EIO;
	return 0;
}

/* struct kvm_fpu <-> the FXSAVE image (Intel SDM, table 10-2). */
static void fpu_to_fxsave(const struct kvm_fpu *f, uint8_t *x)
{
	memset(x, 0, 512);
	memcpy(x + 0, &f->fcw, 2);
	memcpy(x + 2, &f->fsw, 2);
	x[4] = f->ftwx;
	memcpy(x + 6, &f->last_opcode, 2);
	memcpy(x + 8, &f->last_ip, 8);
	memcpy(x + 16, &f->last_dp, 8);
	memcpy(x + 24, &f->mxcsr, 4);
	uint32_t mxcsr_mask = 0xffff;
	memcpy(x + 28, &mxcsr_mask, 4);
	memcpy(x + 32, f->fpr, 128);
	memcpy(x + 160, f->xmm, 256);
}

static void fxsave_to_fpu(const uint8_t *x, struct kvm_fpu *f)
{
	memset(f, 0, sizeof(*f));
	memcpy(&f->fcw, x + 0, 2);
	memcpy(&f->fsw, x + 2, 2);
	f->ftwx = x[4];
	memcpy(&f->last_opcode, x + 6, 2);
	memcpy(&f->last_ip, x + 8, 8);
	memcpy(&f->last_dp, x + 16, 8);
	memcpy(&f->mxcsr, x + 24, 4);
	memcpy(f->fpr, x + 32, 128);
	memcpy(f->xmm, x + 160, 256);
}

static int switch_fpu(struct kvm_cpu *c, struct task_struct *t)
{
	struct kvm_fpu f;

	if (c->fpu_owner == t)
		return 0;
	if (c->fpu_owner && c->fpu_owner->uctx) {
		if (ioctl(c->fd, KVM_GET_FPU, &f) < 0)
			return -errno;
		fpu_to_fxsave(&f, c->fpu_owner->uctx->fxsave);
	}
	fxsave_to_fpu(t->uctx->fxsave, &f);
	if (ioctl(c->fd, KVM_SET_FPU, &f) < 0)
		return -errno;
	c->fpu_owner = t;
	return 0;
}

static void regs_from_kvm(struct user_context *u, const struct kvm_regs *r)
{
	u->r15 = r->r15; u->r14 = r->r14; u->r13 = r->r13; u->r12 = r->r12;
	u->rbp = r->rbp; u->rbx = r->rbx; u->r11 = r->r11; u->r10 = r->r10;
	u->r9 = r->r9; u->r8 = r->r8; u->rax = r->rax; u->rcx = r->rcx;
	u->rdx = r->rdx; u->rsi = r->rsi; u->rdi = r->rdi;
}

static void regs_to_kvm(const struct user_context *u, struct kvm_regs *r)
{
	r->r15 = u->r15; r->r14 = u->r14; r->r13 = u->r13; r->r12 = u->r12;
	r->rbp = u->rbp; r->rbx = u->rbx; r->r11 = u->r11; r->r10 = u->r10;
	r->r9 = u->r9; r->r8 = u->r8; r->rax = u->rax; r->rcx = u->rcx;
	r->rdx = u->rdx; r->rsi = u->rsi; r->rdi = u->rdi;
}

/*
 * The CPU stopped in the program's own code (interrupted, or an access
 * with nothing behind it): all its registers are the program's, and the
 * CPU is at CPL 3 — kernel mode again before it next runs.
 */
static void stopped_in_user_mode(struct kvm_cpu *c, struct user_context *u, const struct kvm_regs *r)
{
	regs_from_kvm(u, r);
	u->rip = r->rip;
	u->rsp = r->rsp;
	u->rflags = r->rflags;
	c->need_sregs = true;
}

/* The address space and segment bases of @t on the CPU (KVM_SET_SREGS only when they change). */
/* ---- i386: the shadow tables ---------------------------------------------------------- */

static uint64_t *shadow_pd(struct kvm_cpu *c, unsigned int g)
{
	return (uint64_t *)(c->shadow + (2 + g) * PAGE_SIZE);
}

static uint64_t *shadow_pt(struct kvm_cpu *c, unsigned int region)
{
	return (uint64_t *)(c->shadow + (6 + (size_t)region) * PAGE_SIZE);
}

/* Every entry gone (another address space, or a flush of all of it). */
static void shadow_clear_all(struct kvm_cpu *c)
{
	for (unsigned int w = 0; w < SHADOW_PTS / 64; w++) {
		while (c->shadow_used[w]) {
			unsigned int region = w * 64 + (unsigned int)__builtin_ctzll(c->shadow_used[w]);
			c->shadow_used[w] &= c->shadow_used[w] - 1;
			memset(shadow_pt(c, region), 0, PAGE_SIZE);
			shadow_pd(c, region / 512)[region % 512] = 0;
		}
	}
}

/* The entries of [start, end) gone. */
static void shadow_clear_range(struct kvm_cpu *c, uint64_t start, uint64_t end)
{
	if (end > (uint64_t)SHADOW_PTS << 21)
		end = (uint64_t)SHADOW_PTS << 21;
	for (uint64_t va = start & PAGE_MASK; va < end; va += PAGE_SIZE) {
		unsigned int region = (unsigned int)(va >> 21);
		if (c->shadow_used[region / 64] & (1ULL << (region % 64)))
			shadow_pt(c, region)[(va >> 12) & 511] = 0;
	}
}

/*
 * The CPU faulted at @addr in the shadow: if mmsim's tables allow the
 * access, fill the entry — Accessed set in the PDE and PTE, Dirty in the
 * PTE for a write, as the hardware walk sets them — and return true. The
 * entry is writable only after a write, so a page first read faults
 * again when written and gets its Dirty bit then.
 */
static bool shadow_fill(struct machine *m, struct kvm_cpu *c, phys_addr_t pgd, uint64_t addr,
			unsigned int error_code)
{
	bool write = error_code & 2;

	if (addr >= (uint64_t)SHADOW_PTS << 21)
		return false;
	unsigned int pdi = (unsigned int)(addr >> 22), pti = (unsigned int)(addr >> 12) & 1023;
	uint64_t pde = pt_read(m, pgd, pdi);
	if (!(pde & _PAGE_PRESENT) || !(pde & _PAGE_USER) || (write && !(pde & _PAGE_RW)))
		return false;
	uint64_t pfn;
	if (pde & _PAGE_PSE) {
		/* A 4 MiB page: the 4 KiB of it that was touched. */
		if ((pde & (_PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0))) != (_PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0)))
			pt_write(m, pgd, pdi, pde | _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0));
		pfn = ((pde & 0xffc00000ULL) >> 12) + pti;
	} else {
		phys_addr_t table = pde & 0xfffff000ULL;
		uint64_t pte = pt_read(m, table, pti);
		if (!(pte & _PAGE_PRESENT) || !(pte & _PAGE_USER) || (write && !(pte & _PAGE_RW)))
			return false;
		if (!(pde & _PAGE_ACCESSED))
			pt_write(m, pgd, pdi, pde | _PAGE_ACCESSED);
		uint64_t set = _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
		if ((pte & set) != set)
			pt_write(m, table, pti, pte | set);
		pfn = (pte & 0xfffff000ULL) >> 12;
	}
	if (PFN_PHYS(pfn) >= m->ram_bytes)
		return false;
	unsigned int region = (unsigned int)(addr >> 21);
	if (!(c->shadow_used[region / 64] & (1ULL << (region % 64)))) {
		c->shadow_used[region / 64] |= 1ULL << (region % 64);
		shadow_pd(c, region / 512)[region % 512] = (c->shadow_gpa + (6 + (uint64_t)region) * PAGE_SIZE) |
							   _PAGE_TABLE;
	}
	shadow_pt(c, region)[(addr >> 12) & 511] = PFN_PHYS(pfn) | _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED |
						    (write ? _PAGE_RW | _PAGE_DIRTY : 0);
	return true;
}

/* i386 segments: TLS descriptors into the CPU's GDT, FS and GS as the program left them. */
static void tls_to_gdt(struct kvm_cpu *c, const struct user_context *u)
{
	gdt_set_tls((uint64_t *)(c->slot + CEA_GDT * PAGE_SIZE), u);
}

/* The hidden part of a data segment register for @sel as the GDT describes it. */
static void seg_from_gdt(struct kvm_cpu *c, uint16_t sel, struct kvm_segment *sg)
{
	const uint64_t *gdt = (const uint64_t *)(c->slot + CEA_GDT * PAGE_SIZE);
	uint64_t d = (sel >> 3) < 32 ? gdt[sel >> 3] : 0;

	if (!(sel & ~3) || !(d & (1ULL << 47))) {
		*sg = (struct kvm_segment){ .selector = sel, .type = 3, .s = 1, .dpl = 3, .present = 1,
					    .db = 1, .g = 1, .limit = 0xffffffff };
		return;
	}
	uint32_t limit = (uint32_t)((d & 0xffff) | ((d >> 32) & 0xf0000));
	bool g = (d >> 55) & 1;
	*sg = (struct kvm_segment){
		.base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24),
		.limit = g ? (limit << 12) | 0xfff : limit, .selector = sel,
		.type = (uint8_t)((d >> 40) & 0xf), .present = 1, .dpl = (uint8_t)((d >> 45) & 3),
		.db = (uint8_t)((d >> 54) & 1), .s = (uint8_t)((d >> 44) & 1), .g = g,
		.avl = (uint8_t)((d >> 52) & 1),
	};
}

/* Capture the i386 program's FS and GS (selector and base) from the CPU into its context. */
static int save_segments(struct kvm_cpu *c, struct task_struct *t)
{
	struct kvm_sregs sr;

	if (!t->uctx || ioctl(c->fd, KVM_GET_SREGS, &sr) < 0)
		return -errno;
	t->uctx->fs_sel = sr.fs.selector;
	t->uctx->gs_sel = sr.gs.selector;
	t->uctx->fs_base = sr.fs.base;
	t->uctx->gs_base = sr.gs.base;
	return 0;
}

static int load_address_space_i386(struct kvm_cpu *c, struct task_struct *t)
{
	if (c->shadow_of != t->mm->pgd) {
		shadow_clear_all(c);
		c->shadow_of = t->mm->pgd;
		c->flush_all = true;	/* CR3 stays the shadow's: the TLB must be told */
	}
	if (!c->need_sregs && c->loaded == t)
		return 0;
	if (c->loaded && c->loaded != t && !c->need_sregs)
		save_segments(c, c->loaded);
	c->need_sregs = false;
	tls_to_gdt(c, t->uctx);
	seg_from_gdt(c, t->uctx->fs_sel, &c->sregs.fs);
	seg_from_gdt(c, t->uctx->gs_sel, &c->sregs.gs);
	memset(c->sregs.interrupt_bitmap, 0, sizeof(c->sregs.interrupt_bitmap));
	if (ioctl(c->fd, KVM_SET_SREGS, &c->sregs) < 0)
		return -errno;
	c->loaded = t;
	return 0;
}

static int load_address_space(struct kvm_cpu *c, struct task_struct *t)
{
	if (!c->need_sregs && c->sregs.cr3 == t->mm->pgd && c->sregs.fs.base == t->uctx->fs_base &&
	    c->sregs.gs.base == t->uctx->gs_base)
		return 0;
	c->need_sregs = false;
	c->sregs.cr3 = t->mm->pgd;
	c->sregs.fs.base = t->uctx->fs_base;
	c->sregs.gs.base = t->uctx->gs_base;
	/* KVM_SET_SREGS also sets the pending interrupt bitmap: none. */
	memset(c->sregs.interrupt_bitmap, 0, sizeof(c->sregs.interrupt_bitmap));
	if (ioctl(c->fd, KVM_SET_SREGS, &c->sregs) < 0)
		return -errno;
	c->flush_all = false;		/* a new CR3 flushes by itself */
	c->flush_start = c->flush_end = 0;
	return 0;
}

/* The instruction at the program's @ip is int $0x80 (cd 80). */
static bool is_int80(struct machine *m, uint64_t ip)
{
	uint8_t b[2];

	return copy_from_user(m, b, ip, 2) == 0 && b[0] == 0xcd && b[1] == 0x80;
}

static bool in_entry_code(const struct kvm_cpu *c, uint64_t rip)
{
	return rip >= c->slot_va && rip < c->slot_va + CEA_CPU_PAGES * PAGE_SIZE;
}

static bool canonical(uint64_t a)
{
	return (a >> 47) == 0 || (a >> 47) == 0x1ffff;
}

/* Run the CPU until an exit that is not a stray one. */
static int kvm_enter(struct kvm_cpu *c)
{
	for (;;) {
		if (ioctl(c->fd, KVM_RUN, 0) == 0)
			return 0;
		if (errno == EINTR || errno == EAGAIN) {
			c->run->exit_reason = KVM_EXIT_INTR;
			c->run->immediate_exit = 0;
			return 0;
		}
		return -errno;
	}
}

static int add_slot(struct kvm_state *s, uint32_t slot, uint64_t gpa, uint64_t size, void *host);

/* Flush what the kernel asked for, running the guest's helper. */
static int do_flush(struct kvm_state *s, struct kvm_cpu *c)
{
	if (!c->flush_all && c->flush_start == c->flush_end)
		return 0;
	if (s->shadow_paging) {
		/*
		 * KVM shadows the guest's page tables here (no EPT/NPT: a
		 * nested or PVM host). It learns of a guest's own PTE writes by
		 * write-protecting the tables, but mmsim writes them from the
		 * host side, unseen; INVLPG and a CR3 reload then resync
		 * nothing. Deleting and re-adding a memory slot makes KVM drop
		 * every shadow page (the slot-zap-all quirk, on by default), so
		 * the next walks read mmsim's tables afresh. The entry area's
		 * slot is the small one to do it with.
		 */
		int err = add_slot(s, s->priv_slot, s->priv_gpa, 0, s->priv);
		if (!err)
			err = add_slot(s, s->priv_slot, s->priv_gpa, s->priv_size, s->priv);
		if (err)
			return err;
		s->zaps++;
	}
	struct kvm_regs r = { 0 };
	r.rip = c->slot_va + CEA_CODE * PAGE_SIZE + s->code.flush;
	r.rsp = c->slot_va + CEA_STACK_END * PAGE_SIZE;
	r.rflags = X86_EFLAGS_FIXED;
	if (!c->flush_all) {
		r.rdi = c->flush_start;
		r.rcx = (c->flush_end - c->flush_start) >> PAGE_SHIFT;
	}
	c->flush_all = false;
	c->flush_start = c->flush_end = 0;
	if (ioctl(c->fd, KVM_SET_REGS, &r) < 0)
		return -errno;
	for (;;) {
		int err = kvm_enter(c);
		if (err)
			return err;
		if (c->run->exit_reason == KVM_EXIT_INTR) {
			c->kicked = true;	/* reported once the flush is done */
			continue;
		}
		if (c->run->exit_reason != KVM_EXIT_IO || c->run->io.port != PORT_FLUSHED)
			return -EIO;
		return 0;
	}
}

/* The flags a program may hold (FIX_EFLAGS, and ID), with IF on: never IOPL. */
static uint64_t user_rflags(uint64_t f)
{
	return (f & 0x250dd5) | X86_EFLAGS_IF | X86_EFLAGS_FIXED;
}

static int kvm_run_task(struct machine *m, unsigned int cpu, struct task_struct *t,
			struct cpu_exit *ex)
{
	struct kvm_state *s = m->cpu_backend->priv;
	struct kvm_cpu *c = &s->cpus[cpu % s->nr_cpus];
	struct user_context *u = t->uctx;
	struct kvm_regs r;
	int err;

	memset(ex, 0, sizeof(*ex));
	if ((err = s->i386 ? load_address_space_i386(c, t) : load_address_space(c, t)) ||
	    (err = switch_fpu(c, t)) || (err = do_flush(s, c))) {
		ex->reason = CPU_EXIT_ERROR;
		ex->why = strerror(-err);
		return err;
	}
	if (c->kicked) {
		c->kicked = false;
		ex->reason = CPU_EXIT_INTERRUPTED;
		return 0;
	}
	u->rflags = user_rflags(u->rflags);
	regs_to_kvm(u, &r);
	uint64_t code = c->slot_va + CEA_CODE * PAGE_SIZE;
	if (c->in_syscall == t && u->rcx == u->rip && canonical(u->rip) && !s->syscall_stays_cpl3) {
		/* back from the system call by SYSRET: rip from rcx, rflags from r11 */
		r.r11 = u->r11 = u->rflags;
		r.rip = code + s->code.sysret;
		r.rsp = u->rsp;
		r.rflags = X86_EFLAGS_FIXED;
	} else {
		/* IRETQ from a frame on the exception stack */
		uint64_t frame[5] = { u->rip, u->cs ? u->cs : __USER_CS, u->rflags, u->rsp,
				      u->ss ? u->ss : __USER_DS };
		uint8_t *top = c->slot + CEA_STACK_END * PAGE_SIZE;
		memcpy(top - sizeof(frame), frame, sizeof(frame));
		r.rip = code + s->code.iret;
		r.rsp = c->slot_va + CEA_STACK_END * PAGE_SIZE - sizeof(frame);
		r.rflags = X86_EFLAGS_FIXED;
	}
	c->in_syscall = NULL;
	if (ioctl(c->fd, KVM_SET_REGS, &r) < 0)
		return -errno;
	struct kvm_run *run = c->run;
	for (;;) {
		if ((err = kvm_enter(c))) {
			ex->reason = CPU_EXIT_ERROR;
			ex->why = strerror(-err);
			return err;
		}
		if (ioctl(c->fd, KVM_GET_REGS, &r) < 0)
			return -errno;
		/* A kick while still in the entry code: let it reach its exit first. */
		if (run->exit_reason != KVM_EXIT_INTR || !in_entry_code(c, r.rip))
			break;
		c->kicked = true;
	}
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		if (run->io.port == PORT_SYSCALL) {
			regs_from_kvm(u, &r);
			u->rip = r.rcx;		/* what the syscall instruction saved */
			u->rflags = r.r11;
			u->rsp = r.rsp;
			u->orig_rax = r.rax;
			c->in_syscall = t;
			ex->reason = CPU_EXIT_SYSCALL;
			return 0;
		}
		if (run->io.port < PORT_VECTOR_BASE + 32) {
			unsigned int v = run->io.port - PORT_VECTOR_BASE;
			uint64_t frame[6];
			const uint8_t *sp = c->slot + (r.rsp - c->slot_va);
			memcpy(frame, sp, sizeof(frame));
			unsigned int at = 0;
			ex->reason = CPU_EXIT_EXCEPTION;
			ex->vector = v;
			if (vector_has_error_code(v))
				ex->error_code = frame[at++];
			regs_from_kvm(u, &r);
			u->rip = frame[at];
			u->rflags = frame[at + 2];
			u->rsp = frame[at + 3];
			if ((frame[at + 1] & 3) != 3) {
				ex->reason = CPU_EXIT_ERROR;
				ex->why = "an exception in the entry code";
				return -EIO;
			}
			if (v == X86_TRAP_PF)
				memcpy(&ex->cr2, c->slot + CEA_DATA * PAGE_SIZE + DATA_CR2, 8);
			uint64_t lstar = code + s->code.syscall;
			if (v == X86_TRAP_PF && ex->cr2 == lstar && u->rip == lstar) {
				/*
				 * SYSCALL ran — rcx and r11 hold the program's rip and
				 * rflags, rflags is masked — but left CS at the user's
				 * selector, so fetching the entry code faulted at CPL 3.
				 * Some nested AMD hosts do this. It is the system call
				 * all the same; SYSRET is not trusted from now on.
				 */
				s->syscall_stays_cpl3 = true;
				u->rip = r.rcx;
				u->rflags = r.r11;
				u->orig_rax = r.rax;
				ex->reason = CPU_EXIT_SYSCALL;
				ex->vector = 0;
				ex->error_code = 0;
				ex->cr2 = 0;
				return 0;
			}
			if (s->i386 && v == X86_TRAP_PF) {
				/* A miss in the shadow that mmsim's tables allow: filled, not a fault. */
				if (shadow_fill(m, c, t->mm->pgd, ex->cr2, (unsigned int)ex->error_code)) {
					ex->reason = CPU_EXIT_RETRY;
					return 0;
				}
				/* i386 without PAE has no NX: no instruction-fetch bit in its error codes. */
				ex->error_code &= ~0x10ULL;
				ex->cr2 &= 0xffffffffULL;
			}
			if (s->i386 && v == X86_TRAP_UD && is_int80(m, u->rip)) {
				/*
				 * int $0x80 from compatibility mode raised #UD instead of
				 * reaching its gate (PVM does this): it is the i386 system
				 * call all the same, and execution goes on after it.
				 */
				u->rip += 2;
				u->orig_rax = u->rax & 0xffffffffULL;
				ex->reason = CPU_EXIT_SYSCALL;
				ex->vector = 0;
				ex->error_code = 0;
				return 0;
			}
			return 0;
		}
		if (run->io.port == PORT_INT80 && s->i386) {
			/* The i386 system call through its gate: the frame is a trap's, after the int. */
			uint64_t frame[5];
			memcpy(frame, c->slot + (r.rsp - c->slot_va), sizeof(frame));
			regs_from_kvm(u, &r);
			u->rip = frame[0];
			u->rflags = frame[2];
			u->rsp = frame[3];
			u->orig_rax = u->rax & 0xffffffffULL;
			ex->reason = CPU_EXIT_SYSCALL;
			return 0;
		}
		ex->reason = CPU_EXIT_ERROR;
		ex->why = "an OUT to an unknown port";
		return -EIO;
	case KVM_EXIT_INTR:
		/*
		 * Interrupted in user mode: the registers are the program's,
		 * and the CPU is at CPL 3 — kernel mode again before it next
		 * runs (KVM_SET_SREGS of the kernel's segments).
		 */
		stopped_in_user_mode(c, u, &r);
		ex->reason = CPU_EXIT_INTERRUPTED;
		return 0;
	case KVM_EXIT_SHUTDOWN:
		ex->reason = CPU_EXIT_SHUTDOWN;
		ex->why = "triple fault";
		return 0;
	case KVM_EXIT_MMIO:
		/*
		 * A user page table entry pointing outside RAM: the bus has
		 * nothing there. The access did not complete: the program's
		 * registers are as it faulted, at CPL 3.
		 */
		stopped_in_user_mode(c, u, &r);
		ex->reason = CPU_EXIT_BUS_ERROR;
		ex->cr2 = run->mmio.phys_addr;
		return 0;
	default:
		ex->reason = CPU_EXIT_ERROR;
		ex->why = run->exit_reason == KVM_EXIT_FAIL_ENTRY ? "VM entry failed" :
			  run->exit_reason == KVM_EXIT_INTERNAL_ERROR ? "KVM internal error" : "unexpected exit";
		return -EIO;
	}
}

static void kvm_flush(struct machine *m, phys_addr_t pgd, uint64_t start, uint64_t end)
{
	struct kvm_state *s = m->cpu_backend->priv;

	for (unsigned int cpu = 0; cpu < s->nr_cpus; cpu++) {
		struct kvm_cpu *c = &s->cpus[cpu];
		if (s->i386) {
			/* The shadow is this CPU's TLB of mmsim's tables: its entries go first. */
			if (c->shadow_of != pgd)
				continue;
			if (end == 0) {
				shadow_clear_all(c);
				c->shadow_of = 0;	/* the pgd may be freed and made again */
			} else {
				shadow_clear_range(c, start, end);
			}
		} else if (c->sregs.cr3 != pgd) {
			continue;	/* loading the pgd again flushes */
		}
		if (end == 0 || (end - start) >> PAGE_SHIFT > 33 || c->flush_all) {
			c->flush_all = true;
			continue;
		}
		if (c->flush_start == c->flush_end) {
			c->flush_start = start & PAGE_MASK;
			c->flush_end = ALIGN_UP(end, PAGE_SIZE);
		} else {
			c->flush_start = c->flush_start < (start & PAGE_MASK) ? c->flush_start : start & PAGE_MASK;
			c->flush_end = c->flush_end > ALIGN_UP(end, PAGE_SIZE) ? c->flush_end : ALIGN_UP(end, PAGE_SIZE);
			if ((c->flush_end - c->flush_start) >> PAGE_SHIFT > 33)
				c->flush_all = true;
		}
	}
}

static void kvm_save_fpu(struct machine *m, struct task_struct *t)
{
	struct kvm_state *s = m->cpu_backend->priv;
	struct kvm_fpu f;

	for (unsigned int i = 0; i < s->nr_cpus; i++) {
		if (s->cpus[i].fpu_owner == t && t->uctx && ioctl(s->cpus[i].fd, KVM_GET_FPU, &f) == 0)
			fpu_to_fxsave(&f, t->uctx->fxsave);
		/* An i386 program's FS and GS live in the CPU until it is switched away. */
		if (s->i386 && s->cpus[i].loaded == t && !s->cpus[i].need_sregs)
			save_segments(&s->cpus[i], t);
	}
}

static void kvm_load_fpu(struct machine *m, struct task_struct *t)
{
	struct kvm_state *s = m->cpu_backend->priv;

	for (unsigned int i = 0; i < s->nr_cpus; i++) {
		if (s->cpus[i].fpu_owner == t)
			s->cpus[i].fpu_owner = NULL;	/* loaded from uctx at the next run */
		if (s->cpus[i].loaded == t)
			s->cpus[i].loaded = NULL;	/* i386: its FS, GS and TLS too */
	}
}

static void kvm_forget(struct machine *m, struct task_struct *t)
{
	struct kvm_state *s = m->cpu_backend->priv;

	for (unsigned int i = 0; i < s->nr_cpus; i++) {
		if (s->cpus[i].fpu_owner == t)
			s->cpus[i].fpu_owner = NULL;
		if (s->cpus[i].in_syscall == t)
			s->cpus[i].in_syscall = NULL;
		if (s->cpus[i].loaded == t)
			s->cpus[i].loaded = NULL;
	}
}

static void kvm_kick(struct machine *m, unsigned int cpu)
{
	struct kvm_state *s = m->cpu_backend->priv;

	if (s->cpus[cpu % s->nr_cpus].run)
		s->cpus[cpu % s->nr_cpus].run->immediate_exit = 1;
}

static void kvm_release(struct machine *m)
{
	struct kvm_state *s = m->cpu_backend ? m->cpu_backend->priv : NULL;

	if (!s)
		return;
	if (m->cpu_entry_pgd_entry) {
		pt_write(m, m->swapper_pg_dir, m->cpu_entry_pgd_index, 0);
		sync_kernel_pgd_entry(m, m->cpu_entry_pgd_index);
		m->cpu_entry_pgd_entry = 0;
	}
	for (unsigned int i = 0; s->cpus && i < s->nr_cpus; i++) {
		if (s->cpus[i].run)
			host_release(s->cpus[i].run, s->cpus[i].run_size);
		if (s->cpus[i].fd >= 0)
			close(s->cpus[i].fd);
	}
	free(s->cpus);
	if (s->vm_fd >= 0)
		close(s->vm_fd);
	if (s->kvm_fd >= 0)
		close(s->kvm_fd);
	host_release(s->priv, s->priv_size);
	free(s);
	m->cpu_backend = NULL;
}

static int add_slot(struct kvm_state *s, uint32_t slot, uint64_t gpa, uint64_t size, void *host)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	return ioctl(s->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0 ? -errno : 0;
}

/* One memory slot per RAM range of the e820 map, page-rounded outwards and merged. */
static int add_ram_slots(struct machine *m, struct kvm_state *s, uint32_t *next_slot)
{
	uint64_t run_start = 0, run_end = 0;

	for (unsigned int i = 0; i <= m->e820.nr_entries; i++) {
		uint64_t a = 0, b = 0;
		if (i < m->e820.nr_entries) {
			const struct e820_entry *e = &m->e820.entries[i];
			if (e->type != E820_TYPE_RAM)
				continue;
			a = ALIGN_DOWN(e->addr, PAGE_SIZE);
			b = ALIGN_UP(e->addr + e->size, PAGE_SIZE);
			if (b > m->ram_bytes)
				b = m->ram_bytes;
			if (a >= b)
				continue;
			if (run_end > run_start && a <= run_end) {
				if (b > run_end)
					run_end = b;
				continue;
			}
		}
		if (run_end > run_start) {
			int err = add_slot(s, (*next_slot)++, run_start, run_end - run_start, m->ram + run_start);
			if (err)
				return err;
		}
		run_start = a;
		run_end = b;
	}
	return 0;
}

/*
 * Does KVM walk the guest's page tables in hardware (Intel EPT, AMD NPT)?
 * Its module parameters say; a host with neither (PVM, or a nested host
 * without them) shadows them in software.
 */
static bool kvm_has_tdp(void)
{
	static const char *const params[] = { "/sys/module/kvm_intel/parameters/ept",
					      "/sys/module/kvm_amd/parameters/npt" };

	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		char v[8] = "";
		int fd = open(params[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, v, sizeof(v) - 1);
		close(fd);
		if (n > 0 && (v[0] == 'Y' || v[0] == '1'))
			return true;
	}
	return false;
}

static void kvm_tls_changed(struct machine *m, struct task_struct *t);

int kvm_backend_init(struct machine *m, const char **why)
{
	const char *fail = "out of memory";
	struct kvm_state *s;
	int err = 0;

	if (m->cpu_backend)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->kvm_fd = s->vm_fd = -1;
	s->nr_cpus = m->nr_cpus < MAX_KVM_CPUS ? m->nr_cpus : MAX_KVM_CPUS;
	s->shadow_paging = !kvm_has_tdp();
	s->i386 = m->is_32bit;
	s->cpus = calloc(s->nr_cpus, sizeof(*s->cpus));
	s->ops = (struct cpu_backend){ .name = "kvm", .priv = s, .run = kvm_run_task,
				       .flush = kvm_flush, .save_fpu = kvm_save_fpu,
				       .load_fpu = kvm_load_fpu, .forget = kvm_forget,
				       .kick = kvm_kick, .tls_changed = kvm_tls_changed,
				       .release = kvm_release };
	m->cpu_backend = &s->ops;
	for (unsigned int i = 0; s->cpus && i < s->nr_cpus; i++)
		s->cpus[i].fd = -1;
	if (!s->cpus) {
		err = -ENOMEM;
		goto fail;
	}
	fail = "cannot open /dev/kvm";
	if ((s->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0) {
		err = -errno;
		goto fail;
	}
	fail = "KVM API version is not 12";
	if (ioctl(s->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		err = -ENOSYS;
		goto fail;
	}
	fail = "KVM_CREATE_VM failed";
	if ((s->vm_fd = ioctl(s->kvm_fd, KVM_CREATE_VM, 0)) < 0) {
		err = -errno;
		goto fail;
	}
	/* Intel needs a TSS area for real mode, even unused: one page set aside above 4 GiB - 256 KiB. */
	ioctl(s->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000UL);
	uint32_t slot = 0;
	fail = "a memory slot for RAM was refused";
	if ((err = add_ram_slots(m, s, &slot)))
		goto fail;
	s->priv_size = entry_area_bytes(s->nr_cpus, s->i386);
	s->priv_gpa = ALIGN_UP((uint64_t)m->ram_bytes, 1ULL << 30);
	if (s->priv_gpa < (4ULL << 30))
		s->priv_gpa = 4ULL << 30;
	fail = "no host memory for the entry area";
	if (!(s->priv = host_reserve(s->priv_size))) {
		err = -ENOMEM;
		goto fail;
	}
	fail = "a memory slot for the entry area was refused";
	s->priv_slot = slot;
	if ((err = add_slot(s, slot++, s->priv_gpa, s->priv_size, s->priv)))
		goto fail;

	int run_size = ioctl(s->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	struct kvm_cpuid2 *cpuid = calloc(1, sizeof(*cpuid) + 256 * sizeof(struct kvm_cpuid_entry2));
	fail = "KVM_GET_SUPPORTED_CPUID failed";
	if (!cpuid || run_size <= 0) {
		free(cpuid);
		err = -ENOMEM;
		goto fail;
	}
	cpuid->nent = 256;
	if (ioctl(s->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) < 0) {
		err = -errno;
		free(cpuid);
		goto fail;
	}
	for (unsigned int i = 0; i < s->nr_cpus; i++) {
		struct kvm_cpu *c = &s->cpus[i];
		fail = "KVM_CREATE_VCPU failed";
		if ((c->fd = ioctl(s->vm_fd, KVM_CREATE_VCPU, i)) < 0) {
			err = -errno;
			break;
		}
		c->run_size = (size_t)run_size;
		if (!(c->run = host_map_shared(c->fd, c->run_size))) {
			err = -ENOMEM;
			break;
		}
	}
	if (!err) {
		uint64_t pgd_entry = build_entry_area(s);
		for (unsigned int i = 0; i < s->nr_cpus && !err; i++) {
			fail = "the vCPU refused long mode (KVM_SET_SREGS/MSRS)";
			err = init_vcpu(m, s, i, cpuid);
		}
		if (!err && !s->i386) {
			/* x86_64: the processes' own PGDs map the entry area (i386: the shadows do). */
			m->cpu_entry_pgd_index = CEA_PGD_INDEX;
			m->cpu_entry_pgd_entry = pgd_entry;
			pt_write(m, m->swapper_pg_dir, CEA_PGD_INDEX, pgd_entry);
			sync_kernel_pgd_entry(m, CEA_PGD_INDEX);
		}
	}
	free(cpuid);
	if (!err)
		return 0;
fail:
	*why = fail;
	kvm_release(m);
	return err ? err : -EIO;
}

static void kvm_tls_changed(struct machine *m, struct task_struct *t)
{
	struct kvm_state *s = m->cpu_backend->priv;

	if (!s->i386)
		return;
	/* The program loads the selector next: the descriptor must be in the GDT already. */
	for (unsigned int i = 0; i < s->nr_cpus; i++)
		if (s->cpus[i].loaded == t)
			tls_to_gdt(&s->cpus[i], t->uctx);
}
