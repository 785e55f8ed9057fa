/* syscall_64.c — x86_64's system call table (arch/x86/entry/syscalls/
 * syscall_64.tbl) and do_syscall_64(), with the calls whose work is the
 * architecture's: fork and clone (copy_thread: the child's registers),
 * arch_prctl (the FS and GS bases) and the memory calls' register
 * decoding.
 *
 * The number is rax, the arguments rdi, rsi, rdx, r10, r8, r9; the result
 * goes back in rax. A number the table does not have is -ENOSYS, named
 * once in dmesg as the kernel's own "is not implemented" would not be —
 * mmsim says so because a user needs to know what a program missed. */
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/process.h>

#include "arch/x86/cpu_backend.h"
#include "arch/x86/fault.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "mm.h"

#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_CHILD_SETTID	0x01000000

#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004
#define ARCH_GET_CPUID	0x1011
#define ARCH_SET_CPUID	0x1012

#define TASK_SIZE_MAX_64	((1ULL << 47) - 4096)

/* ---- the calls whose work is here ----------------------------------------------------- */

/*
 * fork, vfork and clone of a whole process (no CLONE_VM threads yet). The
 * child returns 0 from the same instruction; CLONE_SETTLS gives it its
 * own FS base, a new stack pointer its own stack. vfork is a fork whose
 * parent waits until the child execs or exits, as vfork's parent does;
 * the child has its own copy of the memory rather than the parent's.
 */
int64_t clone_process(struct machine *m, uint64_t flags, uint64_t newsp, uint64_t parent_tid,
		      uint64_t child_tid, uint64_t tls)
{
	struct task_struct *t = get_current(m);
	bool vfork = (flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK);

	if ((flags & CLONE_VM) && !vfork)
		return -MMSIM_ENOSYS;	/* threads: not modelled yet */
	if (flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES | CLONE_FS | CLONE_PARENT))
		return -MMSIM_EINVAL;
	if (m->cpu_backend && m->cpu_backend->save_fpu)
		m->cpu_backend->save_fpu(m, t);
	struct user_context *uctx = malloc(sizeof(*uctx));
	if (!uctx)
		return -MMSIM_ENOMEM;
	int pid = mmsim_fork(m, t->pid);
	if (pid < 0) {
		free(uctx);
		return pid;
	}
	struct task_struct *c = find_task_by_pid(m, pid);
	*uctx = *t->uctx;
	uctx->rax = 0;
	if (newsp)
		uctx->rsp = newsp;
	if ((flags & CLONE_SETTLS) && !m->is_32bit)
		uctx->fs_base = tls;	/* i386's tls is a user_desc: threads only, not modelled */
	c->uctx = uctx;
	c->exit_signal = (int)(flags & 0xff);
	c->blocked = t->blocked;
	c->umask = t->umask;
	if (flags & CLONE_CHILD_SETTID)
		c->set_child_tid = child_tid;
	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = child_tid;
	if ((flags & CLONE_PARENT_SETTID) && parent_tid)
		put_user(m, &pid, parent_tid, 4);
	if (vfork)
		t->vfork_child = c;
	return pid;
}

static int64_t sc_clone(struct machine *m, const uint64_t *a)
{
	/* x86_64's argument order: flags, newsp, parent_tid, child_tid, tls */
	return clone_process(m, a[0], a[1], a[2], a[3], a[4]);
}

static int64_t sc_fork(struct machine *m, const uint64_t *a)
{
	(void)a;
	return clone_process(m, 17 /* SIGCHLD */, 0, 0, 0, 0);
}

static int64_t sc_vfork(struct machine *m, const uint64_t *a)
{
	(void)a;
	return clone_process(m, CLONE_VM | CLONE_VFORK | 17, 0, 0, 0, 0);
}

static int64_t sc_arch_prctl(struct machine *m, const uint64_t *a)
{
	struct user_context *u = get_current(m)->uctx;

	switch (a[0]) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (a[1] >= TASK_SIZE_MAX_64)
			return -MMSIM_EPERM;
		if (a[0] == ARCH_SET_FS)
			u->fs_base = a[1];
		else
			u->gs_base = a[1];
		return 0;
	case ARCH_GET_FS:
		return put_user(m, &u->fs_base, a[1], 8) ? -MMSIM_EFAULT : 0;
	case ARCH_GET_GS:
		return put_user(m, &u->gs_base, a[1], 8) ? -MMSIM_EFAULT : 0;
	case ARCH_GET_CPUID:
		return 1;	/* CPUID is not faulting */
	case ARCH_SET_CPUID:
		return -MMSIM_ENODEV;	/* no CPUID faulting on this CPU */
	default:
		return -MMSIM_EINVAL;
	}
}

static int64_t sc_set_robust_list(struct machine *m, const uint64_t *a)
{
	(void)m;
	return a[1] == 24 ? 0 : -MMSIM_EINVAL;	/* sizeof(struct robust_list_head) */
}

static int64_t sc_exit(struct machine *m, const uint64_t *a)
{
	return sys_exit_group(m, (int)a[0]);	/* one thread per process: exit is exit_group */
}

static int64_t sc_execve(struct machine *m, const uint64_t *a)
{
	return sys_execve(m, a[0], a[1], a[2]);
}

/* The memory calls: through the process API, which enters the kernel as the process. */
static int pid_of(struct machine *m)
{
	return get_current(m)->pid;
}

static int64_t sc_mmap(struct machine *m, const uint64_t *a)
{
	return mmsim_mmap(m, pid_of(m), a[0], a[1], (int)a[2], (int)a[3], (int)a[4], a[5]);
}

static int64_t sc_munmap(struct machine *m, const uint64_t *a)
{
	return mmsim_munmap(m, pid_of(m), a[0], a[1]);
}

static int64_t sc_mprotect(struct machine *m, const uint64_t *a)
{
	return mmsim_mprotect(m, pid_of(m), a[0], a[1], (int)a[2]);
}

static int64_t sc_mremap(struct machine *m, const uint64_t *a)
{
	return mmsim_mremap(m, pid_of(m), a[0], a[1], a[2], (int)a[3], a[4]);
}

static int64_t sc_madvise(struct machine *m, const uint64_t *a)
{
	return mmsim_madvise(m, pid_of(m), a[0], a[1], (int)a[2]);
}

static int64_t sc_msync(struct machine *m, const uint64_t *a)
{
	return mmsim_msync(m, pid_of(m), a[0], a[1], (int)a[2]);
}

static int64_t sc_mlock(struct machine *m, const uint64_t *a)
{
	return mmsim_mlock(m, pid_of(m), a[0], a[1], 0);
}

static int64_t sc_mlock2(struct machine *m, const uint64_t *a)
{
	return mmsim_mlock(m, pid_of(m), a[0], a[1], (int)a[2]);
}

static int64_t sc_munlock(struct machine *m, const uint64_t *a)
{
	return mmsim_munlock(m, pid_of(m), a[0], a[1]);
}

static int64_t sc_mlockall(struct machine *m, const uint64_t *a)
{
	return mmsim_mlockall(m, pid_of(m), (int)a[0]);
}

static int64_t sc_munlockall(struct machine *m, const uint64_t *a)
{
	(void)a;
	return mmsim_munlockall(m, pid_of(m));
}

static int64_t sc_brk(struct machine *m, const uint64_t *a)
{
	return mmsim_brk(m, pid_of(m), a[0]);
}

static int64_t sc_setuid(struct machine *m, const uint64_t *a)
{
	return mmsim_setuid(m, pid_of(m), (unsigned int)a[0]);
}

static int64_t sc_personality(struct machine *m, const uint64_t *a)
{
	return mmsim_personality(m, pid_of(m), (unsigned int)a[0]);
}

static int64_t sc_getrlimit(struct machine *m, const uint64_t *a)
{
	return sys_prlimit64(m, 0, (unsigned int)a[0], 0, a[1]);
}

static int64_t sc_setrlimit(struct machine *m, const uint64_t *a)
{
	return sys_prlimit64(m, 0, (unsigned int)a[0], a[1], 0);
}

static int64_t sc_rt_sigreturn(struct machine *m, const uint64_t *a)
{
	(void)a;
	return sys_rt_sigreturn(m);
}

static int64_t sc_sched_yield(struct machine *m, const uint64_t *a)
{
	(void)a;
	get_current(m)->need_resched = true;
	return 0;
}

/* Adapters from the registers to the typed calls. */
#define A1(fn, T1) \
	static int64_t sc_##fn(struct machine *m, const uint64_t *a) { return sys_##fn(m, (T1)a[0]); }
#define A2(fn, T1, T2) \
	static int64_t sc_##fn(struct machine *m, const uint64_t *a) { return sys_##fn(m, (T1)a[0], (T2)a[1]); }
#define A3(fn, T1, T2, T3)							\
	static int64_t sc_##fn(struct machine *m, const uint64_t *a)		\
	{ return sys_##fn(m, (T1)a[0], (T2)a[1], (T3)a[2]); }
#define A4(fn, T1, T2, T3, T4)							\
	static int64_t sc_##fn(struct machine *m, const uint64_t *a)		\
	{ return sys_##fn(m, (T1)a[0], (T2)a[1], (T3)a[2], (T4)a[3]); }
#define A0(fn) \
	static int64_t sc_##fn(struct machine *m, const uint64_t *a) { (void)a; return sys_##fn(m); }

A3(read, int, uint64_t, uint64_t)
A3(write, int, uint64_t, uint64_t)
A4(pread64, int, uint64_t, uint64_t, int64_t)
A4(pwrite64, int, uint64_t, uint64_t, int64_t)
A3(readv, int, uint64_t, uint64_t)
A3(writev, int, uint64_t, uint64_t)
A3(lseek, int, int64_t, unsigned int)
A4(sendfile, int, int, uint64_t, uint64_t)
A4(openat, int, uint64_t, int, unsigned int)
A1(close, int)
A2(swapon, uint64_t, int)
A1(swapoff, uint64_t)
A3(faccessat, int, uint64_t, int)
A1(dup, int)
A2(dup2, int, int)
A3(dup3, int, int, int)
A3(fcntl, int, unsigned int, uint64_t)
A3(ioctl, int, unsigned int, uint64_t)
A2(getcwd, uint64_t, uint64_t)
A1(chdir, uint64_t)
A1(umask, unsigned int)
A4(newfstatat, int, uint64_t, uint64_t, int)
A2(fstat, int, uint64_t)
A4(readlinkat, int, uint64_t, uint64_t, int)
A1(uname, uint64_t)
A0(getpid)
A0(gettid)
A0(getppid)
A0(getuid)
A0(geteuid)
A0(getgid)
A0(getegid)
A1(getpgid, int)
A2(setpgid, int, int)
A0(setsid)
A2(prctl, int, uint64_t)
A3(getrandom, uint64_t, uint64_t, unsigned int)
A2(clock_gettime, int, uint64_t)
A2(gettimeofday, uint64_t, uint64_t)
A1(time, uint64_t)
A2(nanosleep, uint64_t, uint64_t)
A4(prlimit64, int, unsigned int, uint64_t, uint64_t)
A2(getrusage, int, uint64_t)
A1(set_tid_address, uint64_t)
A1(sysinfo, uint64_t)
A3(setresuid, uint32_t, uint32_t, uint32_t)
A2(pipe2, uint64_t, int)
A3(getdents64, int, uint64_t, uint64_t)
A4(rt_sigaction, int, uint64_t, uint64_t, uint64_t)
A4(rt_sigprocmask, int, uint64_t, uint64_t, uint64_t)
A2(kill, int, int)
A3(tgkill, int, int, int)
A2(sigaltstack, uint64_t, uint64_t)
A1(exit_group, int)
A4(wait4, int, uint64_t, int, uint64_t)

/* The path-taking calls of old, as their *at forms with AT_FDCWD. */
static int64_t sc_open(struct machine *m, const uint64_t *a)
{
	return sys_openat(m, AT_FDCWD, a[0], (int)a[1], (unsigned int)a[2]);
}

static int64_t sc_stat(struct machine *m, const uint64_t *a)
{
	return sys_newfstatat(m, AT_FDCWD, a[0], a[1], 0);
}

static int64_t sc_lstat(struct machine *m, const uint64_t *a)
{
	return sys_newfstatat(m, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW);
}

static int64_t sc_access(struct machine *m, const uint64_t *a)
{
	return sys_faccessat(m, AT_FDCWD, a[0], (int)a[1]);
}

static int64_t sc_readlink(struct machine *m, const uint64_t *a)
{
	return sys_readlinkat(m, AT_FDCWD, a[0], a[1], (int)a[2]);
}

static int64_t sc_clock_nanosleep(struct machine *m, const uint64_t *a)
{
	if (a[1] & 1)		/* TIMER_ABSTIME: the simulated clock is already there or past */
		return 0;
	return sys_nanosleep(m, a[2], a[3]);
}

static int64_t sc_pipe(struct machine *m, const uint64_t *a)
{
	return sys_pipe2(m, a[0], 0);
}

static int64_t sc_getpgrp(struct machine *m, const uint64_t *a)
{
	(void)a;
	return sys_getpgid(m, 0);
}

static const struct syscall_entry sys_call_table_64[] = {
	[0] = { "read", sc_read },
	[1] = { "write", sc_write },
	[2] = { "open", sc_open },
	[3] = { "close", sc_close },
	[4] = { "stat", sc_stat },
	[5] = { "fstat", sc_fstat },
	[6] = { "lstat", sc_lstat },
	[7] = { "poll", NULL },
	[8] = { "lseek", sc_lseek },
	[9] = { "mmap", sc_mmap },
	[10] = { "mprotect", sc_mprotect },
	[11] = { "munmap", sc_munmap },
	[12] = { "brk", sc_brk },
	[13] = { "rt_sigaction", sc_rt_sigaction },
	[14] = { "rt_sigprocmask", sc_rt_sigprocmask },
	[15] = { "rt_sigreturn", sc_rt_sigreturn },
	[16] = { "ioctl", sc_ioctl },
	[17] = { "pread64", sc_pread64 },
	[18] = { "pwrite64", sc_pwrite64 },
	[19] = { "readv", sc_readv },
	[20] = { "writev", sc_writev },
	[21] = { "access", sc_access },
	[22] = { "pipe", sc_pipe },
	[24] = { "sched_yield", sc_sched_yield },
	[25] = { "mremap", sc_mremap },
	[26] = { "msync", sc_msync },
	[28] = { "madvise", sc_madvise },
	[32] = { "dup", sc_dup },
	[33] = { "dup2", sc_dup2 },
	[35] = { "nanosleep", sc_nanosleep },
	[39] = { "getpid", sc_getpid },
	[40] = { "sendfile", sc_sendfile },
	[56] = { "clone", sc_clone },
	[57] = { "fork", sc_fork },
	[58] = { "vfork", sc_vfork },
	[59] = { "execve", sc_execve },
	[60] = { "exit", sc_exit },
	[61] = { "wait4", sc_wait4 },
	[62] = { "kill", sc_kill },
	[63] = { "uname", sc_uname },
	[72] = { "fcntl", sc_fcntl },
	[79] = { "getcwd", sc_getcwd },
	[80] = { "chdir", sc_chdir },
	[89] = { "readlink", sc_readlink },
	[95] = { "umask", sc_umask },
	[96] = { "gettimeofday", sc_gettimeofday },
	[97] = { "getrlimit", sc_getrlimit },
	[98] = { "getrusage", sc_getrusage },
	[99] = { "sysinfo", sc_sysinfo },
	[102] = { "getuid", sc_getuid },
	[104] = { "getgid", sc_getgid },
	[105] = { "setuid", sc_setuid },
	[107] = { "geteuid", sc_geteuid },
	[108] = { "getegid", sc_getegid },
	[109] = { "setpgid", sc_setpgid },
	[110] = { "getppid", sc_getppid },
	[111] = { "getpgrp", sc_getpgrp },
	[112] = { "setsid", sc_setsid },
	[117] = { "setresuid", sc_setresuid },
	[121] = { "getpgid", sc_getpgid },
	[131] = { "sigaltstack", sc_sigaltstack },
	[135] = { "personality", sc_personality },
	[149] = { "mlock", sc_mlock },
	[150] = { "munlock", sc_munlock },
	[151] = { "mlockall", sc_mlockall },
	[152] = { "munlockall", sc_munlockall },
	[157] = { "prctl", sc_prctl },
	[158] = { "arch_prctl", sc_arch_prctl },
	[160] = { "setrlimit", sc_setrlimit },
	[167] = { "swapon", sc_swapon },
	[168] = { "swapoff", sc_swapoff },
	[186] = { "gettid", sc_gettid },
	[200] = { "tkill", NULL },
	[201] = { "time", sc_time },
	[202] = { "futex", NULL },
	[217] = { "getdents64", sc_getdents64 },
	[218] = { "set_tid_address", sc_set_tid_address },
	[228] = { "clock_gettime", sc_clock_gettime },
	[230] = { "clock_nanosleep", sc_clock_nanosleep },
	[231] = { "exit_group", sc_exit_group },
	[234] = { "tgkill", sc_tgkill },
	[257] = { "openat", sc_openat },
	[262] = { "newfstatat", sc_newfstatat },
	[267] = { "readlinkat", sc_readlinkat },
	[269] = { "faccessat", sc_faccessat },
	[273] = { "set_robust_list", sc_set_robust_list },
	[292] = { "dup3", sc_dup3 },
	[293] = { "pipe2", sc_pipe2 },
	[302] = { "prlimit64", sc_prlimit64 },
	[318] = { "getrandom", sc_getrandom },
	[325] = { "mlock2", sc_mlock2 },
	[332] = { "statx", NULL },
	[334] = { "rseq", NULL },
	[435] = { "clone3", NULL },
	[439] = { "faccessat2", NULL },
};

#define NR_SYSCALLS_64 (sizeof(sys_call_table_64) / sizeof(sys_call_table_64[0]))

const char *syscall_name_64(unsigned int nr)
{
	return nr < NR_SYSCALLS_64 ? sys_call_table_64[nr].name : NULL;
}

void do_syscall_64(struct machine *m, struct task_struct *t)
{
	struct user_context *u = t->uctx;
	uint64_t nr = u->orig_rax;
	const uint64_t args[6] = { u->rdi, u->rsi, u->rdx, u->r10, u->r8, u->r9 };

	syscall_return(m, t, syscall_invoke(m, t, sys_call_table_64, NR_SYSCALLS_64, nr, args));
}
