/* signal.c — delivering a signal to a running program's handler, and
 * rt_sigreturn (arch/x86/kernel/signal.c), for x86_64.
 *
 * The kernel builds struct rt_sigframe on the user stack — below the red
 * zone, or on the alternate stack (SA_ONSTACK) — with the return address
 * sa_restorer, the ucontext (the registers at the moment of the signal,
 * the old signal mask, the FPU state as FXSAVE lays it out) and the
 * siginfo. The handler starts with rdi = signal, rsi = &info, rdx = &uc.
 * When it returns into the restorer, rt_sigreturn puts the registers back
 * from the frame. A frame that cannot be written kills the process with
 * SIGSEGV, as force_sigsegv() does. */
#include <string.h>

#include "arch/x86/cpu_backend.h"
#include "arch/x86/fault.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm.h"

#define SA_SIGINFO	0x00000004
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000
#define SA_RESTORER	0x04000000

#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4

/* Offsets in struct rt_sigframe (x86_64). */
#define FRAME_UC		8
#define UC_STACK		(FRAME_UC + 16)
#define UC_MCONTEXT		(FRAME_UC + 40)
#define UC_SIGMASK		(UC_MCONTEXT + 256)
#define FRAME_INFO		(UC_SIGMASK + 8)
#define FRAME_SIZE		(FRAME_INFO + 128)
#define FXSAVE_SIZE		512

/* struct sigcontext_64's registers, in its order. */
static void sigcontext_regs(const struct user_context *u, uint64_t r[18])
{
	const uint64_t v[18] = { u->r8, u->r9, u->r10, u->r11, u->r12, u->r13, u->r14, u->r15,
				 u->rdi, u->rsi, u->rbp, u->rbx, u->rdx, u->rax, u->rcx, u->rsp,
				 u->rip, u->rflags };
	memcpy(r, v, sizeof(v));
}

/* siginfo_t as copy_siginfo_to_user() lays it out for the signal's kind. */
static void fill_siginfo(uint8_t *si, const struct kernel_siginfo *info, int sig)
{
	memset(si, 0, 128);
	int32_t w[3] = { sig, 0, info->code };
	memcpy(si, w, sizeof(w));
	if (sig == SIGSEGV || sig == SIGBUS || sig == 4 /* SIGILL */ || sig == 8 /* SIGFPE */ ||
	    sig == 5 /* SIGTRAP */) {
		if (info->code > 0)
			memcpy(si + 16, &info->addr, 8);	/* si_addr */
	} else {
		int32_t k[2] = { info->pid, (int32_t)info->uid };
		memcpy(si + 16, k, sizeof(k));
		if (sig == 17 /* SIGCHLD */)
			memcpy(si + 24, &info->status, 4);
	}
}

/*
 * signal_setup_done(): while the handler runs, its sa_mask and (without
 * SA_NODEFER) the signal itself are blocked; SA_RESETHAND makes it the
 * default again.
 */
static void signal_setup_done(struct task_struct *t, int sig)
{
	struct k_sigaction *ka = &t->sighand->ka[sig - 1];

	t->blocked |= ka->mask;
	if (!(ka->flags & SA_NODEFER))
		t->blocked |= 1ULL << (sig - 1);
	t->blocked &= ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)));
	if (ka->flags & SA_RESETHAND) {
		*ka = (struct k_sigaction){ 0 };
		t->sighand->action[sig - 1] = SIG_DISP_DEFAULT;
	}
}

/* ---- i386: struct rt_sigframe_ia32 ------------------------------------------------------ */

/*
 * Offsets (arch/x86/include/asm/sigframe.h, 32-bit): pretcode, sig,
 * pinfo, puc, the siginfo (128 bytes), the ucontext — flags, link,
 * stack_t (12), sigcontext_32 (88: gs fs es ds as 16-bit pairs, edi esi
 * ebp esp ebx edx ecx eax, trapno, err, eip, cs, eflags, esp_at_signal,
 * ss, fpstate, oldmask, cr2), the mask (8) — and retcode, the
 * `mov $173,%eax; int $0x80` a handler without SA_RESTORER returns to.
 */
#define IA32_INFO	16
#define IA32_UC		(IA32_INFO + 128)
#define IA32_SC		(IA32_UC + 20)
#define IA32_MASK	(IA32_SC + 88)
#define IA32_RETCODE	(IA32_MASK + 8)
#define IA32_FRAME_SIZE	(IA32_RETCODE + 8)

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* compat siginfo: signo, errno, code, then the fields at 12. */
static void fill_siginfo_ia32(uint8_t *si, const struct kernel_siginfo *info, int sig)
{
	memset(si, 0, 128);
	put32(si, (uint32_t)sig);
	put32(si + 8, (uint32_t)info->code);
	if (sig == SIGSEGV || sig == SIGBUS || sig == 4 || sig == 8 || sig == 5) {
		if (info->code > 0)
			put32(si + 12, (uint32_t)info->addr);
	} else {
		put32(si + 12, (uint32_t)info->pid);
		put32(si + 16, info->uid);
		if (sig == 17)
			put32(si + 20, (uint32_t)info->status);
	}
}

static int setup_rt_frame_ia32(struct machine *m, struct task_struct *t, int sig,
			       const struct kernel_siginfo *info)
{
	struct user_context *u = t->uctx;
	struct k_sigaction *ka = &t->sighand->ka[sig - 1];
	uint32_t sp = (uint32_t)u->rsp;
	uint8_t f[IA32_FRAME_SIZE];

	if (m->cpu_backend && m->cpu_backend->save_fpu)
		m->cpu_backend->save_fpu(m, t);	/* FS and GS as the CPU holds them */
	bool on_alt = t->sas_ss_size && sp - t->sas_ss_sp <= t->sas_ss_size;
	if ((ka->flags & SA_ONSTACK) && t->sas_ss_size && !on_alt)
		sp = (uint32_t)(t->sas_ss_sp + t->sas_ss_size);
	/* No FPU state is saved (fpstate 0): align so that the handler's esp + 4 is 16-aligned. */
	uint32_t fa = ((sp - IA32_FRAME_SIZE + 4) & ~15u) - 4;

	memset(f, 0, sizeof(f));
	uint32_t ret = (ka->flags & SA_RESTORER) ? (uint32_t)ka->restorer : fa + IA32_RETCODE;
	put32(f, ret);
	put32(f + 4, (uint32_t)sig);
	put32(f + 8, fa + IA32_INFO);
	put32(f + 12, fa + IA32_UC);
	fill_siginfo_ia32(f + IA32_INFO, info, sig);
	put32(f + IA32_UC + 8, (uint32_t)t->sas_ss_sp);
	put32(f + IA32_UC + 12, t->sas_ss_size ? (on_alt ? 1 : 0) : 2);
	put32(f + IA32_UC + 16, (uint32_t)t->sas_ss_size);
	uint8_t *sc = f + IA32_SC;
	put32(sc + 0, u->gs_sel);
	put32(sc + 4, u->fs_sel);
	put32(sc + 8, __USER32_DS_I386);
	put32(sc + 12, __USER32_DS_I386);
	const uint64_t gp[8] = { u->rdi, u->rsi, u->rbp, u->rsp, u->rbx, u->rdx, u->rcx, u->rax };
	for (int i = 0; i < 8; i++)
		put32(sc + 16 + 4 * i, (uint32_t)gp[i]);
	put32(sc + 56, (uint32_t)u->rip);
	put32(sc + 60, __USER32_CS_I386);
	put32(sc + 64, (uint32_t)u->rflags);
	put32(sc + 68, (uint32_t)u->rsp);
	put32(sc + 72, __USER32_DS_I386);
	put32(sc + 80, (uint32_t)t->blocked);
	put32(sc + 84, info->code > 0 ? (uint32_t)info->addr : 0);
	put32(f + IA32_MASK, (uint32_t)t->blocked);
	put32(f + IA32_MASK + 4, (uint32_t)(t->blocked >> 32));
	static const uint8_t retcode[8] = { 0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0 };	/* rt_sigreturn */
	memcpy(f + IA32_RETCODE, retcode, sizeof(retcode));
	if (copy_to_user(m, fa, f, sizeof(f)))
		return -MMSIM_EFAULT;

	u->rsp = fa;
	u->rip = ka->handler;
	u->rax = (uint64_t)sig;			/* regparm(3) handlers take them in registers too */
	u->rdx = fa + IA32_INFO;
	u->rcx = fa + IA32_UC;
	u->rflags &= ~(0x100ULL | 0x400ULL | 0x10000ULL);	/* TF, DF, RF */
	signal_setup_done(t, sig);
	return 0;
}

static int64_t sys_rt_sigreturn_ia32(struct machine *m, struct task_struct *t)
{
	struct user_context *u = t->uctx;
	uint8_t f[IA32_FRAME_SIZE];
	uint32_t fa = (uint32_t)u->rsp - 4;	/* the handler's ret popped pretcode */

	if (copy_from_user(m, f, fa, sizeof(f))) {
		force_sig_fault(m, t, SIGSEGV, SI_KERNEL, 0);
		return 0;
	}
	if (m->cpu_backend && m->cpu_backend->save_fpu)
		m->cpu_backend->save_fpu(m, t);
	const uint8_t *sc = f + IA32_SC;
	u->gs_sel = (uint16_t)get32(sc + 0);
	u->fs_sel = (uint16_t)get32(sc + 4);
	uint64_t *gp[8] = { &u->rdi, &u->rsi, &u->rbp, &u->rsp, &u->rbx, &u->rdx, &u->rcx, &u->rax };
	for (int i = 0; i < 8; i++)
		*gp[i] = get32(sc + 16 + 4 * i);
	u->rip = get32(sc + 56);
	u->rflags = (u->rflags & ~0x50dd5ULL) | (get32(sc + 64) & 0x50dd5ULL);
	t->blocked = ((uint64_t)get32(f + IA32_MASK + 4) << 32 | get32(f + IA32_MASK)) &
		     ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)));
	/* The segments may have changed: the CPU loads them (and the FPU) from the context again. */
	if (m->cpu_backend && m->cpu_backend->load_fpu)
		m->cpu_backend->load_fpu(m, t);
	return (int64_t)u->rax;
}

/*
 * setup_rt_frame(): the handler of @sig runs next. 0, or -EFAULT when the
 * frame could not be written (the caller kills the process).
 */
int setup_rt_frame(struct machine *m, struct task_struct *t, int sig, const struct kernel_siginfo *info)
{
	struct user_context *u = t->uctx;
	struct k_sigaction *ka = &t->sighand->ka[sig - 1];
	uint64_t sp = u->rsp;
	uint8_t frame[FRAME_SIZE];

	if (m->is_32bit)
		return setup_rt_frame_ia32(m, t, sig, info);
	if (!(ka->flags & SA_RESTORER))
		return -MMSIM_EFAULT;	/* x86_64 has no default restorer: the return would fault */
	bool on_alt = t->sas_ss_size && sp - t->sas_ss_sp <= t->sas_ss_size;
	if ((ka->flags & SA_ONSTACK) && t->sas_ss_size && !on_alt)
		sp = t->sas_ss_sp + t->sas_ss_size;
	else
		sp -= 128;		/* the red zone */
	/* The FPU state, 64-byte aligned, then the frame (sp % 16 == 8 at the handler's entry). */
	uint64_t fp = (sp - FXSAVE_SIZE) & ~63ULL;
	uint64_t fa = ((fp - FRAME_SIZE + 8) & ~15ULL) - 8;

	memset(frame, 0, sizeof(frame));
	memcpy(frame, &ka->restorer, 8);			/* pretcode */
	uint64_t uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	memcpy(frame + FRAME_UC, &uc_flags, 8);
	uint64_t stack[3] = { t->sas_ss_sp, t->sas_ss_size ? (on_alt ? 1 : 0) : 2, t->sas_ss_size };
	memcpy(frame + UC_STACK, stack, sizeof(stack));
	uint64_t regs[18];
	sigcontext_regs(u, regs);
	memcpy(frame + UC_MCONTEXT, regs, sizeof(regs));
	uint16_t segs[4] = { __USER_CS, 0, 0, __USER_DS };	/* cs, gs, fs, ss */
	memcpy(frame + UC_MCONTEXT + 144, segs, sizeof(segs));
	uint64_t trap[4] = { 0, 0, t->blocked, info->code > 0 ? info->addr : 0 };	/* err, trapno, oldmask, cr2 */
	memcpy(frame + UC_MCONTEXT + 152, trap, sizeof(trap));
	memcpy(frame + UC_MCONTEXT + 184, &fp, 8);		/* fpstate */
	memcpy(frame + UC_SIGMASK, &t->blocked, 8);
	fill_siginfo(frame + FRAME_INFO, info, sig);

	if (m->cpu_backend && m->cpu_backend->save_fpu)
		m->cpu_backend->save_fpu(m, t);
	if (copy_to_user(m, fp, u->fxsave, FXSAVE_SIZE) || copy_to_user(m, fa, frame, sizeof(frame)))
		return -MMSIM_EFAULT;

	u->rdi = (uint64_t)sig;
	u->rsi = fa + FRAME_INFO;
	u->rdx = fa + FRAME_UC;
	u->rax = 0;
	u->rsp = fa;
	u->rip = ka->handler;
	u->rflags &= ~(0x100ULL | 0x400ULL | 0x10000ULL);	/* TF, DF, RF */
	/* The handler starts with a clean FPU control state, as fpu__clear_user_states() leaves it. */
	memset(u->fxsave, 0, sizeof(u->fxsave));
	u->fxsave[0] = 0x7f;
	u->fxsave[1] = 0x03;					/* fcw 0x37f */
	uint32_t mxcsr = 0x1f80;
	memcpy(u->fxsave + 24, &mxcsr, 4);
	if (m->cpu_backend && m->cpu_backend->load_fpu)
		m->cpu_backend->load_fpu(m, t);

	signal_setup_done(t, sig);
	return 0;
}

/* rt_sigreturn(): the registers, mask and FPU state from the frame the handler returned through. */
int64_t sys_rt_sigreturn(struct machine *m)
{
	struct task_struct *t = get_current(m);
	struct user_context *u = t->uctx;
	uint8_t frame[FRAME_SIZE];

	if (!u)
		return -MMSIM_ENOSYS;
	if (m->is_32bit)
		return sys_rt_sigreturn_ia32(m, t);
	uint64_t fa = u->rsp - 8;	/* the handler's ret popped pretcode */
	if (copy_from_user(m, frame, fa, sizeof(frame)))
		goto badframe;
	uint64_t r[18], fp;
	memcpy(r, frame + UC_MCONTEXT, sizeof(r));
	memcpy(&fp, frame + UC_MCONTEXT + 184, 8);
	memcpy(&t->blocked, frame + UC_SIGMASK, 8);
	t->blocked &= ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)));
	u->r8 = r[0]; u->r9 = r[1]; u->r10 = r[2]; u->r11 = r[3];
	u->r12 = r[4]; u->r13 = r[5]; u->r14 = r[6]; u->r15 = r[7];
	u->rdi = r[8]; u->rsi = r[9]; u->rbp = r[10]; u->rbx = r[11];
	u->rdx = r[12]; u->rax = r[13]; u->rcx = r[14]; u->rsp = r[15];
	u->rip = r[16];
	/* FIX_EFLAGS: only the flags user space may change come back. */
	u->rflags = (u->rflags & ~0x50dd5ULL) | (r[17] & 0x50dd5ULL);
	if (fp) {
		if (copy_from_user(m, u->fxsave, fp, FXSAVE_SIZE))
			goto badframe;
		if (m->cpu_backend && m->cpu_backend->load_fpu)
			m->cpu_backend->load_fpu(m, t);
	}
	return (int64_t)u->rax;
badframe:
	force_sig_fault(m, t, SIGSEGV, SI_KERNEL, 0);
	return 0;
}
