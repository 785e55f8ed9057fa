/* cpu_backend.h (internal) — a real x86 CPU running a process's own code.
 *
 * The software MMU (mmu.c) is mmsim's model of what a CPU does with the
 * page tables; a CPU backend is a CPU that does it for real. It runs the
 * program's instructions in user mode with CR3 at the process's own page
 * directory in simulated RAM, so the hardware walks mmsim's tables, sets
 * their Accessed and Dirty bits and enforces U/S, R/W and NX. Whatever
 * the program cannot do in user mode — a system call, a page fault, any
 * other exception — ends the run and comes back here as a cpu_exit, which
 * the kernel serves (cpu_run.c) before the program goes on.
 *
 * The interface is small: load a task's registers and run until it traps,
 * and flush translations when the kernel changed the tables. KVM is the
 * the real CPU (kvm.c); Unicorn an emulated one where KVM is missing
 * (unicorn.c). */
#ifndef MMSIM_ARCH_X86_CPU_BACKEND_H
#define MMSIM_ARCH_X86_CPU_BACKEND_H

#include "machine.h"

struct task_struct;
struct kernel_siginfo;

/*
 * A program's registers while it is not on a CPU: x86_64's
 * user_regs_struct (the order of struct pt_regs, then the segment bases)
 * and its FPU/SSE state as FXSAVE lays it out. An i386 program's are the
 * low halves (eax in rax ...), with its FS and GS selectors, and the TLS
 * descriptors set_thread_area() gave it.
 */
struct user_context {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi, orig_rax;
	uint64_t rip, cs, rflags, rsp, ss;
	uint64_t fs_base, gs_base;
	uint16_t fs_sel, gs_sel;
	uint64_t tls[3];		/* GDT entries 6..8 (i386) */
	uint8_t fxsave[512] __attribute__((aligned(16)));
};

/* i386's user segment selectors (segment.h, 32-bit). */
#define __USER32_CS_I386	0x73
#define __USER32_DS_I386	0x7b
#define GDT_ENTRY_TLS_MIN_I386	6
#define GDT_ENTRY_TLS_ENTRIES	3

/* i386: a program's TLS descriptors into a CPU's GDT (entries 6..8). */
static inline void gdt_set_tls(uint64_t *gdt, const struct user_context *u)
{
	for (unsigned int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		gdt[GDT_ENTRY_TLS_MIN_I386 + i] = u->tls[i];
}

/* x86_64's user segment selectors (arch/x86/include/asm/segment.h). */
#define __USER_CS	0x33
#define __USER_DS	0x2b
#define X86_EFLAGS_IF	0x200
#define X86_EFLAGS_FIXED 0x2

/* Why the program stopped running. */
enum cpu_exit_reason {
	CPU_EXIT_SYSCALL,	/* the syscall instruction: the number in rax */
	CPU_EXIT_EXCEPTION,	/* a fault or trap: vector, error code (and cr2 for #PF) */
	CPU_EXIT_INTERRUPTED,	/* the host interrupted the run (a timer, a signal) */
	CPU_EXIT_SHUTDOWN,	/* the CPU gave up (a triple fault) */
	CPU_EXIT_BUS_ERROR,	/* an access to a physical address with no memory (in cr2) */
	CPU_EXIT_RETRY,		/* the backend served it itself (a shadow entry filled): run again */
	CPU_EXIT_ERROR,		/* the backend failed; *why says how */
};

/* x86 exception vectors. */
#define X86_TRAP_DE	0	/* divide error */
#define X86_TRAP_DB	1
#define X86_TRAP_BP	3	/* int3 */
#define X86_TRAP_OF	4
#define X86_TRAP_BR	5
#define X86_TRAP_UD	6	/* invalid opcode */
#define X86_TRAP_NM	7
#define X86_TRAP_DF	8
#define X86_TRAP_TS	10
#define X86_TRAP_NP	11
#define X86_TRAP_SS	12
#define X86_TRAP_GP	13	/* general protection */
#define X86_TRAP_PF	14	/* page fault */
#define X86_TRAP_MF	16
#define X86_TRAP_AC	17
#define X86_TRAP_XF	19	/* SIMD floating point */

struct cpu_exit {
	enum cpu_exit_reason reason;
	unsigned int vector;
	uint64_t error_code;
	uint64_t cr2;
	const char *why;
};

struct cpu_backend {
	const char *name;
	void *priv;
	/*
	 * Run @t (its mm loaded, its registers in @t->uctx) on @cpu until it
	 * leaves user mode; its registers are back in @t->uctx then.
	 */
	int (*run)(struct machine *m, unsigned int cpu, struct task_struct *t, struct cpu_exit *exit);
	/* Translations of [start, end) of @pgd's address space changed (end 0: all). */
	void (*flush)(struct machine *m, phys_addr_t pgd, uint64_t start, uint64_t end);
	/*
	 * The hooks below may be NULL: nothing to do for that backend.
	 * @t's FPU state (and, i386, FS and GS) into @t->uctx, if a CPU holds it (fork, signal frames).
	 */
	void (*save_fpu)(struct machine *m, struct task_struct *t);
	/* @t->uctx's FPU state or (i386) segments changed: a CPU holding the old must load them again. */
	void (*load_fpu)(struct machine *m, struct task_struct *t);
	/* @t runs no more (it exited or exec'd a program this backend cannot run). */
	void (*forget)(struct machine *m, struct task_struct *t);
	/* Stop a run in progress at the next instruction boundary (from a host signal handler). */
	void (*kick)(struct machine *m, unsigned int cpu);
	/* i386: @t's TLS descriptors changed (set_thread_area); it loads a selector for them next. */
	void (*tls_changed)(struct machine *m, struct task_struct *t);
	void (*release)(struct machine *m);
};

/*
 * Start the KVM backend for @m: 0, or -errno with *why saying what the
 * host lacks. The Unicorn backend (unicorn.c) emulates the CPU instead,
 * on any host. cpu_backend_start() starts the one @m was booted to use
 * (machine_desc.cpu_backend): "kvm", "unicorn", or "auto" — KVM where
 * the host has it, Unicorn otherwise.
 */
int kvm_backend_init(struct machine *m, const char **why);
int unicorn_backend_init(struct machine *m, const char **why);
int cpu_backend_start(struct machine *m, const char **why);

/* ---- what the kernel does with a running program (cpu_run.c, signal.c, syscall_64.c) ---- */

/* A fresh register state for a program exec'd into @t: entry @ip, stack @sp (start_thread()). */
int start_thread(struct machine *m, struct task_struct *t, uint64_t ip, uint64_t sp);
/* @t's registers are gone with it (do_exit): the backend forgets it. */
void exit_thread(struct machine *m, struct task_struct *t);
/*
 * Run the processes on the CPU backend (started here if not yet) until
 * process @pid exits: its wait status in *status. -EAGAIN when every
 * process waits for another, -EINTR when *stop became set (a host signal
 * handler sets it and kicks the CPU), other -errno with *why when the
 * backend cannot start.
 */
int run_processes(struct machine *m, int pid, volatile int *stop, int *status, const char **why);
/* Descriptors 0, 1 and 2 of @t on the console (the host's stdin, stdout, stderr) where unset. */
int open_console(struct machine *m, struct task_struct *t);
/* The handler of @sig runs next (0), or the frame could not be written (-EFAULT). */
int setup_rt_frame(struct machine *m, struct task_struct *t, int sig, const struct kernel_siginfo *info);
int64_t sys_rt_sigreturn(struct machine *m);
/* One system call by current, from its registers; the result goes to rax. */
void do_syscall_64(struct machine *m, struct task_struct *t);
/* i386's int $0x80: the number in eax, the arguments in ebx ecx edx esi edi ebp. */
void do_syscall_32(struct machine *m, struct task_struct *t);
/* The CPU's GDT entries for @t's TLS changed (set_thread_area): load them where it runs. */
void cpu_tls_changed(struct machine *m, struct task_struct *t);
/*
 * fork, vfork and clone of a whole process for the running program: the
 * child's registers are the parent's, with 0 in the return register. The
 * child's pid, or -errno (-ENOSYS for threads, CLONE_VM without VFORK).
 */
int64_t clone_process(struct machine *m, uint64_t flags, uint64_t newsp, uint64_t parent_tid,
		      uint64_t child_tid, uint64_t tls);
/* A system call table's entry: the call's name and its handler (NULL: -ENOSYS). */
typedef int64_t (*syscall_fn)(struct machine *m, const uint64_t *args);
struct syscall_entry {
	const char *name;
	syscall_fn fn;
};
/*
 * System call @nr of @table (@n entries) with @args, for current: the
 * result, or -ENOSYS for a call the table lacks (named once in dmesg);
 * with a trace on (mmsim_trace_syscalls), listed strace's way. Then
 * syscall_return() puts the result in the return register — or, for
 * -ERESTARTSYS, makes the task wait and the call start again when woken.
 */
int64_t syscall_invoke(struct machine *m, struct task_struct *t, const struct syscall_entry *table,
		       size_t n, uint64_t nr, const uint64_t *args);
void syscall_return(struct machine *m, struct task_struct *t, int64_t ret);
/* The name of x86_64 system call @nr, or NULL. */
const char *syscall_name_64(unsigned int nr);

#endif /* MMSIM_ARCH_X86_CPU_BACKEND_H */
