/* fault.c — the x86 page-fault handler (arch/x86/mm/fault.c).
 *
 * Faults on kernel addresses: a kernel-mode access to an address with no
 * mapping, or one that breaks a mapping's protection, has no fixup (only
 * the uaccess routines have them), so the kernel oopses: show_fault_oops()
 * names the address, the kind of access and the error code. The real
 * kernel then dies; the simulation records the oops and the access fails
 * with -EFAULT, so a scenario can go on looking at the machine.
 *
 * Faults on user addresses (do_user_addr_fault): find the VMA (growing a
 * stack down to the address if the VMA above is one), check the access
 * against it (access_error), and let handle_mm_fault() fill the PTE — the
 * documents' demand paging and copy-on-write. What it cannot fix is a
 * signal to the process: SIGSEGV with SEGV_MAPERR (no VMA) or SEGV_ACCERR
 * (a VMA that forbids it), SIGBUS beyond the end of a file, with the
 * kernel's "segfault at" line in dmesg. A non-canonical address on x86_64
 * is no page fault at all but a general protection fault: SIGSEGV with
 * SI_KERNEL and no address. The CPU's side — a user access translated by
 * the MMU, faulting, retried — is user_access() below. */
#include <inttypes.h>
#include <string.h>

#include "arch/x86/fault.h"
#include "arch/x86/mmu.h"
#include "fs/fs.h"
#include "kernel/signal.h"
#include "kernel/trace.h"
#include "mm.h"
#include "mm/oom.h"

/* show_fault_oops(): what the CPU reported in CR2 and the error code. */
static void show_fault_oops(struct machine *m, const struct cpu_mmu *c)
{
	unsigned int ec = c->error_code;

	pr_alert(m, "BUG: unable to handle page fault for address: %0*" PRIx64 "\n",
		 kptr_width(m), c->cr2);
	pr_alert(m, "#PF: %s %s in %s mode\n", (ec & X86_PF_USER) ? "user" : "supervisor",
		 (ec & X86_PF_INSTR) ? "instruction fetch" : (ec & X86_PF_WRITE) ? "write access"
									   : "read access",
		 (ec & X86_PF_USER) ? "user" : "kernel");
	pr_alert(m, "#PF: error_code(0x%04x) - %s\n", ec,
		 (ec & X86_PF_PROT) ? "permissions violation" : "not-present page");
}

/* exc_page_fault() for a fault in kernel mode: no fixup, an oops. */
static void exc_page_fault(struct machine *m, unsigned int cpu)
{
	show_fault_oops(m, &m->cpu_mmu[cpu]);
}

int kernel_access(struct machine *m, kaddr_t addr, void *buf, size_t len, unsigned int access)
{
	unsigned int cpu = m->cur_cpu;
	int rc = (access & MMU_WRITE) ? mmu_write(m, cpu, addr, buf, len, access)
				      : mmu_read(m, cpu, addr, buf, len, access);

	if (!rc)
		return 0;
	exc_page_fault(m, cpu);
	return -MMSIM_EFAULT;
}

/* ---- faults on user addresses ------------------------------------------------------- */

/* access_error(): does the VMA forbid this access? */
static bool access_error(unsigned int error_code, const struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (error_code & X86_PF_PROT)
		return true;	/* a read (or fetch) of a present page it may not read */
	return !(vma->vm_flags & VM_ACCESS_FLAGS);
}

/* copy_from_user_nofault(): read user memory that is mapped now, without faulting. */
static bool read_user_nofault(struct machine *m, uint64_t addr, void *buf, size_t len)
{
	struct mm_struct *mm = get_current(m)->mm;

	while (len) {
		uint64_t pte;
		size_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		if (!mm || addr >= mm->task_size || !follow_pte(m, mm, addr, &pte) ||
		    !(pte & _PAGE_PRESENT) || !(pte & _PAGE_USER))
			return false;
		phys_addr_t pa = (pte & pt_format(m)->addr_mask) + (addr & (PAGE_SIZE - 1));
		if (pa + chunk > m->ram_bytes)
			return false;
		memcpy(buf, m->ram + pa, chunk);
		buf = (char *)buf + chunk;
		addr += chunk;
		len -= chunk;
	}
	return true;
}

/* show_opcodes(): the bytes around the faulting instruction, if they are mapped. */
static void show_opcodes(struct machine *m, uint64_t ip, const char *loglvl)
{
	unsigned char code[64];	/* 42 before, the one at ip, 21 after */
	uint64_t prologue = ip - 42;

	if (m->is_32bit)
		prologue &= 0xffffffffULL;
	if (!read_user_nofault(m, prologue, code, sizeof(code))) {
		printk(m, "%sCode: Unable to access opcode bytes at 0x%" PRIx64 ".\n", loglvl, prologue);
		return;
	}
	char line[64 * 3 + 16];
	size_t o = 0;
	for (int i = 0; i < 64; i++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, i == 42 ? "<%02x>" : "%02x", code[i]),
		o += (size_t)snprintf(line + o, sizeof(line) - o, i < 63 ? " " : "");
	printk(m, "%sCode: %s\n", loglvl, line);
}

/*
 * print_vma_addr(): " in FILE[START+SIZE]" for the VMA find_vma() gives
 * for @ip (the first that ends above it), if it maps a file.
 */
static void print_vma_addr(struct machine *m, const char *prefix, uint64_t ip)
{
	struct task_struct *t = get_current(m);
	struct vm_area_struct *vma = t->mm ? find_vma(t->mm, ip) : NULL;

	if (vma && vma->vm_file) {
		const char *path = vma->vm_file->f_inode->path;
		const char *base = strrchr(path, '/');
		pr_cont(m, "%s%s[%" PRIx64 "+%" PRIx64 "]", prefix, base ? base + 1 : path, vma->vm_start,
			vma->vm_end - vma->vm_start);
	}
}

/*
 * show_signal_msg(): "comm[pid]: segfault at ADDR ip IP sp SP error N in
 * FILE[START+SIZE] likely on CPU C (core C, socket 0)", for an unhandled
 * SIGSEGV (show_unhandled_signals), rate limited like every printk of it.
 */
static void show_signal_msg(struct machine *m, struct task_struct *t, unsigned int error_code,
			    uint64_t address)
{
	const char *loglvl = t->pid > 1 ? KERN_INFO : KERN_EMERG;
	int w = kptr_width(m);

	if (t->sighand && t->sighand->action[SIGSEGV - 1] == SIG_DISP_HANDLER)
		return;
	if (!__ratelimit(m, &m->printk_rs, "show_signal_msg"))
		return;
	printk(m, "%s%s[%d]: segfault at %" PRIx64 " ip %0*" PRIx64 " sp %0*" PRIx64 " error %x",
	       loglvl, t->comm, t->pid, address, w, t->user_ip, w, t->user_sp, error_code);
	print_vma_addr(m, " in ", t->user_ip);
	pr_cont(m, " likely on CPU %u (core %u, socket 0)\n", t->cpu, t->cpu);
	show_opcodes(m, t->user_ip, loglvl);
}

/*
 * sanitize_error_code(): a user access to a kernel address reports a
 * protection fault, whatever the page tables say, so that user space
 * learns nothing of the kernel's layout.
 */
static unsigned int sanitize_error_code(const struct machine *m, uint64_t address,
					unsigned int error_code)
{
	if (address >= arch_task_size(m))
		error_code |= X86_PF_PROT;
	return error_code;
}

/*
 * show_signal() (traps.c, whose pr_fmt is "traps: "): "traps: comm[pid]
 * TYPEDESC ip:IP sp:SP error:N in FILE[START+SIZE]", for a trap's signal
 * that nothing catches, rate limited as printk_ratelimit() limits it.
 */
static void show_signal(struct machine *m, struct task_struct *t, int sig, const char *type,
			const char *desc, uint64_t error_code)
{
	bool caught = t->sighand && t->sighand->action[sig - 1] == SIG_DISP_HANDLER;

	if (caught || !__ratelimit(m, &m->printk_rs, "show_signal"))
		return;
	printk(m, KERN_INFO "traps: %s[%d] %s%s ip:%" PRIx64 " sp:%" PRIx64 " error:%" PRIx64,
	       t->comm, t->pid, type, desc, t->user_ip, t->user_sp, error_code);
	print_vma_addr(m, " in ", t->user_ip);
	pr_cont(m, "\n");
}

/*
 * exc_general_protection() from user mode. x86_64 has no page for a
 * non-canonical address (bits 63..47 not all equal): the access raises
 * #GP, not a page fault, so there is no fault address. The process gets
 * SIGSEGV with SI_KERNEL and si_addr 0 (force_sig()), and show_signal()
 * logs "traps: comm[pid] general protection fault ip:IP sp:SP error:0
 * in FILE[START+SIZE]" when nothing catches it.
 */
static int user_general_protection(struct machine *m, uint64_t error_code)
{
	struct task_struct *t = get_current(m);

	show_signal(m, t, SIGSEGV, "", "general protection fault", error_code);
	force_sig_fault(m, t, SIGSEGV, SI_KERNEL, 0);
	return SIGSEGV;
}

int do_user_trap(struct machine *m, unsigned int vector, uint64_t error_code)
{
	/* do_error_trap()'s table (arch/x86/kernel/traps.c): the signal and its text. */
	static const struct {
		int sig, code;
		const char *desc;
		bool addr_is_ip;
	} traps[32] = {
		[0] = { 8, 1, "divide error", true },			/* SIGFPE FPE_INTDIV */
		[1] = { 5, 2, "debug", false },				/* SIGTRAP TRAP_TRACE */
		[3] = { 5, SI_KERNEL, "int3", false },			/* SIGTRAP */
		[4] = { SIGSEGV, SI_KERNEL, "overflow", false },
		[5] = { SIGSEGV, SI_KERNEL, "bounds", false },
		[6] = { 4, 2, "invalid opcode", true },			/* SIGILL ILL_ILLOPN */
		[7] = { SIGSEGV, SI_KERNEL, "device not available", false },
		[9] = { 8, SI_KERNEL, "coprocessor segment overrun", false },
		[10] = { SIGSEGV, SI_KERNEL, "invalid TSS", false },
		[11] = { SIGBUS, SI_KERNEL, "segment not present", false },
		[12] = { SIGBUS, SI_KERNEL, "stack segment", false },
		[16] = { 8, 7, "coprocessor error", true },		/* SIGFPE FPE_FLTINV */
		[17] = { SIGBUS, BUS_ADRALN, "alignment check", false },
		[19] = { 8, 7, "simd exception", true },		/* SIGFPE FPE_FLTINV */
	};
	struct task_struct *t = get_current(m);

	if (vector == 13)
		return user_general_protection(m, error_code);
	if (vector >= 32 || !traps[vector].sig) {
		/* A vector user mode cannot raise on its own (#DF, #MC ...): the process is killed. */
		printk(m, KERN_ERR "mmsim: %s[%d]: unexpected exception %u at ip %" PRIx64 "\n", t->comm,
		       t->pid, vector, t->user_ip);
		do_exit(m, t, SIGKILL);
		return SIGKILL;
	}
	int sig = traps[vector].sig;
	show_signal(m, t, sig, "trap ", traps[vector].desc, error_code);
	force_sig_fault(m, t, sig, traps[vector].code, traps[vector].addr_is_ip ? t->user_ip : 0);
	return sig;
}

/* bad_area_nosemaphore() from user mode: SIGSEGV. */
static int bad_area(struct machine *m, struct task_struct *t, unsigned int error_code,
		    uint64_t address, int si_code)
{
	error_code = sanitize_error_code(m, address, error_code);
	show_signal_msg(m, t, error_code, address);
	force_sig_fault(m, t, SIGSEGV, si_code, address);
	return SIGSEGV;
}

int do_user_addr_fault(struct machine *m, unsigned int error_code, uint64_t address,
		       bool user_mode)
{
	struct task_struct *t = get_current(m);
	struct mm_struct *mm = t->mm;
	unsigned int flags = FAULT_FLAG_ALLOW_RETRY;

	trace_page_fault(m, user_mode, address, error_code);
	if (!mm || address >= mm->task_size)
		return user_mode ? bad_area(m, t, error_code, address, SEGV_MAPERR) : SIGSEGV;
	if (user_mode)
		flags |= FAULT_FLAG_USER;
	if (error_code & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & X86_PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	for (;;) {
		struct vm_area_struct *vma = find_extend_vma(m, mm, address);
		if (!vma)
			return user_mode ? bad_area(m, t, error_code, address, SEGV_MAPERR) : SIGSEGV;
		if (access_error(error_code, vma))
			return user_mode ? bad_area(m, t, error_code, address, SEGV_ACCERR) : SIGSEGV;
		vm_fault_t fault = handle_mm_fault(m, vma, address, flags, user_mode);
		if (fault & VM_FAULT_RETRY) {
			flags |= FAULT_FLAG_TRIED;
			continue;
		}
		if (!(fault & VM_FAULT_ERROR))
			return 0;
		if (fault & VM_FAULT_OOM) {
			if (!user_mode)
				return SIGSEGV;
			/*
			 * The allocator's OOM killer has had its chance: a victim
			 * dies on its way out, anyone else retries the fault.
			 */
			pagefault_out_of_memory(m);
			return -MMSIM_ENOMEM;
		}
		if (fault & VM_FAULT_SIGBUS) {
			if (!user_mode)
				return SIGBUS;
			force_sig_fault(m, t, SIGBUS, BUS_ADRERR, address);
			return SIGBUS;
		}
		return user_mode ? bad_area(m, t, error_code, address, SEGV_MAPERR) : SIGSEGV;
	}
}

/*
 * The CPU running current in user mode touches [addr, addr+len): read
 * into @buf, or write from it (MMU_WRITE), or fetch (MMU_EXEC). Each page
 * goes through the MMU; a page fault enters do_user_addr_fault() and the
 * access is retried, as the instruction would be. Returns 0, the signal
 * that stopped it (the process has run its handler, or died), or -ENOMEM
 * when the fault cannot get memory (it would be retried forever).
 */
int user_access(struct machine *m, uint64_t addr, void *buf, size_t len, unsigned int access)
{
	unsigned int cpu = m->cur_cpu;

	while (len) {
		size_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		phys_addr_t pa;
		unsigned int tries = 0;
		if (!m->is_32bit && addr >> 47 != 0 && addr >> 47 != 0x1ffff)
			return user_general_protection(m, 0);
		while (mmu_translate(m, cpu, addr, access | MMU_USER, &pa)) {
			struct cpu_mmu *c = &m->cpu_mmu[cpu];
			int r = do_user_addr_fault(m, c->error_code, c->cr2, true);
			if (r)
				return r;
			/* Resolved: the instruction runs again. A fault that never resolves is a bug. */
			if (++tries > 8) {
				__warn(m, "arch/x86/mm/fault.c", "do_user_addr_fault",
				       "the fault at %#" PRIx64 " does not resolve\n", addr);
				return SIGBUS;
			}
		}
		if (pa + chunk > m->ram_bytes)
			return SIGBUS;	/* no RAM behind the frame */
		if (access & MMU_WRITE)
			memcpy(m->ram + pa, buf, chunk);
		else if (buf)
			memcpy(buf, m->ram + pa, chunk);
		if (buf)
			buf = (char *)buf + chunk;
		addr += chunk;
		len -= chunk;
	}
	return 0;
}
