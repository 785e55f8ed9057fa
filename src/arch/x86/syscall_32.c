/* syscall_32.c — i386's system call table (arch/x86/entry/syscalls/
 * syscall_32.tbl), entered by int $0x80, and the calls whose i386 form
 * differs from x86_64's: 32-bit structures (rlimit, timespec, timeval,
 * sigaction, stack_t), 64-bit values split over two registers (_llseek,
 * pread64), mmap2's offset in pages, and set_thread_area() — the TLS
 * descriptors in the GDT that i386 programs reach through %gs.
 *
 * The number is eax, the arguments ebx, ecx, edx, esi, edi, ebp; the
 * result goes back in eax. The common calls are the same functions the
 * x86_64 table calls (kernel/syscalls.h), which lay out their structures
 * for the machine's architecture. A number the table does not have is
 * -ENOSYS, named once in dmesg. */
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/process.h>

#include "arch/x86/cpu_backend.h"
#include "arch/x86/fault.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "mm.h"

#define RLIM32_INFINITY	0xffffffffULL

static int pid_of(struct machine *m)
{
	return get_current(m)->pid;
}

/* A 32-bit argument as the signed int it is (fds, flags, pids). */
static int sint(uint64_t v)
{
	return (int)(int32_t)(uint32_t)v;
}

/* ---- calls with an i386 form ----------------------------------------------------------- */

static int64_t s32_mmap2(struct machine *m, const uint64_t *a)
{
	/* The offset counts pages (4096 bytes), so files past 4 GiB are reachable. */
	return mmsim_mmap(m, pid_of(m), a[0], a[1], sint(a[2]), sint(a[3]), sint(a[4]), a[5] << PAGE_SHIFT);
}

/* old_mmap(): the six arguments in a struct in user memory; the offset in bytes. */
static int64_t s32_old_mmap(struct machine *m, const uint64_t *a)
{
	uint32_t v[6];

	if (copy_from_user(m, v, a[0], sizeof(v)))
		return -MMSIM_EFAULT;
	if (v[5] & (PAGE_SIZE - 1))
		return -MMSIM_EINVAL;
	return mmsim_mmap(m, pid_of(m), v[0], v[1], (int)v[2], (int)v[3], (int)v[4], v[5]);
}

static int64_t s32_llseek(struct machine *m, const uint64_t *a)
{
	int64_t off = (int64_t)((a[1] << 32) | (a[2] & 0xffffffffULL));
	int64_t r = sys_lseek(m, sint(a[0]), off, (unsigned int)a[4]);

	if (r < 0)
		return r;
	return put_user(m, &r, a[3], 8) ? -MMSIM_EFAULT : 0;
}

static int64_t s32_lseek(struct machine *m, const uint64_t *a)
{
	int64_t r = sys_lseek(m, sint(a[0]), (int64_t)(int32_t)a[1], (unsigned int)a[2]);

	return r > 0x7fffffff ? -MMSIM_EOVERFLOW : r;
}

static int64_t s32_pread64(struct machine *m, const uint64_t *a)
{
	return sys_pread64(m, sint(a[0]), a[1], a[2], (int64_t)((a[4] << 32) | (a[3] & 0xffffffffULL)));
}

static int64_t s32_pwrite64(struct machine *m, const uint64_t *a)
{
	return sys_pwrite64(m, sint(a[0]), a[1], a[2], (int64_t)((a[4] << 32) | (a[3] & 0xffffffffULL)));
}

/* ugetrlimit()/setrlimit(): struct rlimit of two 32-bit longs; RLIM_INFINITY is ~0UL. */
static int64_t s32_ugetrlimit(struct machine *m, const uint64_t *a)
{
	struct mmsim_rlimit rl;
	int err = mmsim_getrlimit(m, pid_of(m), sint(a[0]), &rl);

	if (err)
		return err;
	uint32_t v[2] = { rl.rlim_cur > RLIM32_INFINITY ? (uint32_t)RLIM32_INFINITY : (uint32_t)rl.rlim_cur,
			  rl.rlim_max > RLIM32_INFINITY ? (uint32_t)RLIM32_INFINITY : (uint32_t)rl.rlim_max };
	return copy_to_user(m, a[1], v, sizeof(v)) ? -MMSIM_EFAULT : 0;
}

static int64_t s32_setrlimit(struct machine *m, const uint64_t *a)
{
	uint32_t v[2];

	if (copy_from_user(m, v, a[1], sizeof(v)))
		return -MMSIM_EFAULT;
	struct mmsim_rlimit rl = { v[0] == RLIM32_INFINITY ? ~0ULL : v[0], v[1] == RLIM32_INFINITY ? ~0ULL : v[1] };
	return mmsim_setrlimit(m, pid_of(m), sint(a[0]), &rl);
}

/* The 32-bit clock calls: timespec and timeval of two 32-bit longs. */
static int64_t s32_clock_gettime(struct machine *m, const uint64_t *a)
{
	uint64_t ns;
	int err = clock_read_ns(m, sint(a[0]), &ns);

	if (err)
		return err;
	int32_t ts[2] = { (int32_t)(ns / 1000000000u), (int32_t)(ns % 1000000000u) };
	return copy_to_user(m, a[1], ts, sizeof(ts)) ? -MMSIM_EFAULT : 0;
}

static int64_t s32_gettimeofday(struct machine *m, const uint64_t *a)
{
	uint64_t ns = m->clock_ns;
	int32_t tv[2] = { (int32_t)(ns / 1000000000u), (int32_t)(ns % 1000000000u / 1000u) }, tz[2] = { 0, 0 };

	if (a[0] && copy_to_user(m, a[0], tv, sizeof(tv)))
		return -MMSIM_EFAULT;
	if (a[1] && copy_to_user(m, a[1], tz, sizeof(tz)))
		return -MMSIM_EFAULT;
	return 0;
}

static int64_t s32_time(struct machine *m, const uint64_t *a)
{
	int32_t now = (int32_t)(m->clock_ns / 1000000000u);

	if (a[0] && put_user(m, &now, a[0], 4))
		return -MMSIM_EFAULT;
	return now;
}

static int64_t s32_nanosleep(struct machine *m, const uint64_t *a)
{
	int32_t ts[2];

	if (copy_from_user(m, ts, a[0], sizeof(ts)))
		return -MMSIM_EFAULT;
	return nanosleep_advance(m, ts[0], ts[1]);
}

static int64_t s32_clock_gettime64(struct machine *m, const uint64_t *a)
{
	return sys_clock_gettime(m, sint(a[0]), a[1]);
}

/*
 * rt_sigaction(): i386's struct sigaction for it is handler, flags,
 * restorer (32-bit each) and the 64-bit mask.
 */
static int64_t s32_rt_sigaction(struct machine *m, const uint64_t *a)
{
	struct task_struct *t = get_current(m);
	int sig = sint(a[0]);
	uint32_t in[5];

	if (a[3] != 8)
		return -MMSIM_EINVAL;
	if (sig < 1 || sig > NR_SIGNALS || (a[1] && (sig == SIGKILL || sig == SIGSTOP)))
		return -MMSIM_EINVAL;
	if (a[1] && copy_from_user(m, in, a[1], sizeof(in)))
		return -MMSIM_EFAULT;
	struct k_sigaction *k = &t->sighand->ka[sig - 1];
	if (a[2]) {
		uint32_t out[5] = { (uint32_t)k->handler, (uint32_t)k->flags, (uint32_t)k->restorer,
				    (uint32_t)k->mask, (uint32_t)(k->mask >> 32) };
		if (copy_to_user(m, a[2], out, sizeof(out)))
			return -MMSIM_EFAULT;
	}
	if (a[1]) {
		*k = (struct k_sigaction){ in[0], in[1], in[2], ((uint64_t)in[4] << 32 | in[3]) &
				~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1))) };
		t->sighand->action[sig - 1] = in[0] == 0 ? SIG_DISP_DEFAULT : in[0] == 1 ? SIG_DISP_IGNORE
									    : SIG_DISP_HANDLER;
		if (in[0] == 1 || (in[0] == 0 && sig_default_ignored(sig)))
			t->pending_signals &= ~(1ULL << (sig - 1));
	}
	return 0;
}

/* stack_t on i386: ss_sp, ss_flags, ss_size (32-bit each). */
static int64_t s32_sigaltstack(struct machine *m, const uint64_t *a)
{
	struct task_struct *t = get_current(m);
	uint32_t ss[3];

	if (a[1]) {
		uint32_t old[3] = { (uint32_t)t->sas_ss_sp, t->sas_ss_size ? t->sas_ss_flags : 2,
				    (uint32_t)t->sas_ss_size };
		if (copy_to_user(m, a[1], old, sizeof(old)))
			return -MMSIM_EFAULT;
	}
	if (!a[0])
		return 0;
	if (copy_from_user(m, ss, a[0], sizeof(ss)))
		return -MMSIM_EFAULT;
	if (ss[1] & ~(2u | 0x80000000u))
		return -MMSIM_EINVAL;
	if (ss[1] & 2) {
		t->sas_ss_sp = t->sas_ss_size = 0;
	} else {
		if (ss[2] < 2048)
			return -MMSIM_ENOMEM;
		t->sas_ss_sp = ss[0];
		t->sas_ss_size = ss[2];
	}
	t->sas_ss_flags = ss[1] & ~2u;
	return 0;
}

/*
 * set_thread_area(): struct user_desc {entry_number, base_addr, limit,
 * flags (seg_32bit, contents:2, read_exec_only, limit_in_pages,
 * seg_not_present, useable)} into one of the GDT's three TLS entries
 * (6..8); entry -1 takes the first free one and says which (fill_ldt()).
 */
static uint64_t tls_descriptor(const uint32_t *u)
{
	uint32_t base = u[1], limit = u[2], f = u[3];
	unsigned int seg_32bit = f & 1, contents = (f >> 1) & 3, read_exec_only = (f >> 3) & 1;
	unsigned int limit_in_pages = (f >> 4) & 1, not_present = (f >> 5) & 1, useable = (f >> 6) & 1;

	/* LDT_empty(): an all-zero request clears the entry. */
	if (!base && !limit && !contents && read_exec_only && !seg_32bit && !limit_in_pages && not_present &&
	    !useable)
		return 0;
	if (!base && !limit && !f)
		return 0;
	uint64_t type = ((read_exec_only ^ 1u) << 1) | (contents << 2) | 1;
	return (limit & 0xffffULL) | ((uint64_t)(base & 0xffffff) << 16) | (type << 40) | (1ULL << 44) |
	       (3ULL << 45) | ((uint64_t)(not_present ^ 1u) << 47) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)useable << 52) | ((uint64_t)seg_32bit << 54) | ((uint64_t)limit_in_pages << 55) |
	       ((uint64_t)(base >> 24) << 56);
}

static int64_t s32_set_thread_area(struct machine *m, const uint64_t *a)
{
	struct task_struct *t = get_current(m);
	uint32_t u[4];

	if (copy_from_user(m, u, a[0], sizeof(u)))
		return -MMSIM_EFAULT;
	int idx = (int)u[0];
	if (idx == -1) {
		for (idx = 0; idx < GDT_ENTRY_TLS_ENTRIES && t->uctx->tls[idx]; idx++)
			;
		if (idx == GDT_ENTRY_TLS_ENTRIES)
			return -MMSIM_ESRCH;
		idx += GDT_ENTRY_TLS_MIN_I386;
		u[0] = (uint32_t)idx;
		if (put_user(m, &u[0], a[0], 4))
			return -MMSIM_EFAULT;
	}
	if (idx < GDT_ENTRY_TLS_MIN_I386 || idx >= GDT_ENTRY_TLS_MIN_I386 + GDT_ENTRY_TLS_ENTRIES)
		return -MMSIM_EINVAL;
	if ((u[3] >> 7) & 1)
		return -MMSIM_EINVAL;	/* lm: no 64-bit segments here */
	t->uctx->tls[idx - GDT_ENTRY_TLS_MIN_I386] = tls_descriptor(u);
	cpu_tls_changed(m, t);
	return 0;
}

static int64_t s32_get_thread_area(struct machine *m, const uint64_t *a)
{
	struct task_struct *t = get_current(m);
	uint32_t idx;

	if (get_user(m, &idx, a[0], 4))
		return -MMSIM_EFAULT;
	if (idx < GDT_ENTRY_TLS_MIN_I386 || idx >= GDT_ENTRY_TLS_MIN_I386 + GDT_ENTRY_TLS_ENTRIES)
		return -MMSIM_EINVAL;
	uint64_t d = t->uctx->tls[idx - GDT_ENTRY_TLS_MIN_I386];
	uint32_t u[4] = { idx, (uint32_t)(((d >> 16) & 0xffffff) | ((d >> 56) << 24)),
			  (uint32_t)((d & 0xffff) | ((d >> 32) & 0xf0000)), 0 };
	if (d)
		u[3] = (uint32_t)(((d >> 54) & 1) | (((d >> 42) & 3) << 1) | ((((d >> 41) & 1) ^ 1) << 3) |
				  (((d >> 55) & 1) << 4) | ((((d >> 47) & 1) ^ 1) << 5) | (((d >> 52) & 1) << 6));
	else
		u[3] = (1u << 3) | (1u << 5);
	return copy_to_user(m, a[0], u, sizeof(u)) ? -MMSIM_EFAULT : 0;
}

static int64_t s32_waitpid(struct machine *m, const uint64_t *a)
{
	return sys_wait4(m, sint(a[0]), a[1], sint(a[2]), 0);
}

/*
 * clone() with i386's argument order (CLONE_BACKWARDS: flags, stack,
 * parent_tid, tls, child_tid): a whole process, as fork; threads are
 * not modelled.
 */
static int64_t s32_clone(struct machine *m, const uint64_t *a)
{
	return clone_process(m, a[0], a[1], a[2], a[4], 0);
}

static int64_t s32_fork(struct machine *m, const uint64_t *a)
{
	(void)a;
	return clone_process(m, 17 /* SIGCHLD */, 0, 0, 0, 0);
}

static int64_t s32_vfork(struct machine *m, const uint64_t *a)
{
	(void)a;
	return clone_process(m, 0x00004000 | 0x00000100 | 17, 0, 0, 0, 0);	/* CLONE_VFORK|CLONE_VM */
}

static int64_t s32_sendfile(struct machine *m, const uint64_t *a)
{
	if (a[2])
		return -MMSIM_EINVAL;	/* a 32-bit off_t: glibc uses sendfile64 */
	return sys_sendfile(m, sint(a[0]), sint(a[1]), 0, a[3]);
}

static int64_t s32_personality(struct machine *m, const uint64_t *a)
{
	return mmsim_personality(m, pid_of(m), (unsigned int)a[0]);
}

static int64_t s32_setuid(struct machine *m, const uint64_t *a)
{
	return mmsim_setuid(m, pid_of(m), (unsigned int)a[0]);
}

/* The memory calls: through the process API, which enters the kernel as the process. */
static int64_t s32_munmap(struct machine *m, const uint64_t *a) { return mmsim_munmap(m, pid_of(m), a[0], a[1]); }
static int64_t s32_mprotect(struct machine *m, const uint64_t *a) { return mmsim_mprotect(m, pid_of(m), a[0], a[1], sint(a[2])); }
static int64_t s32_mremap(struct machine *m, const uint64_t *a) { return mmsim_mremap(m, pid_of(m), a[0], a[1], a[2], sint(a[3]), a[4]); }
static int64_t s32_madvise(struct machine *m, const uint64_t *a) { return mmsim_madvise(m, pid_of(m), a[0], a[1], sint(a[2])); }
static int64_t s32_msync(struct machine *m, const uint64_t *a) { return mmsim_msync(m, pid_of(m), a[0], a[1], sint(a[2])); }
static int64_t s32_mlock(struct machine *m, const uint64_t *a) { return mmsim_mlock(m, pid_of(m), a[0], a[1], 0); }
static int64_t s32_mlock2(struct machine *m, const uint64_t *a) { return mmsim_mlock(m, pid_of(m), a[0], a[1], sint(a[2])); }
static int64_t s32_munlock(struct machine *m, const uint64_t *a) { return mmsim_munlock(m, pid_of(m), a[0], a[1]); }
static int64_t s32_mlockall(struct machine *m, const uint64_t *a) { return mmsim_mlockall(m, pid_of(m), sint(a[0])); }
static int64_t s32_munlockall(struct machine *m, const uint64_t *a) { (void)a; return mmsim_munlockall(m, pid_of(m)); }
static int64_t s32_brk(struct machine *m, const uint64_t *a) { return mmsim_brk(m, pid_of(m), a[0]); }

static int64_t s32_set_robust_list(struct machine *m, const uint64_t *a)
{
	(void)m;
	return a[1] == 12 ? 0 : -MMSIM_EINVAL;	/* i386's struct robust_list_head */
}

static int64_t s32_sched_yield(struct machine *m, const uint64_t *a)
{
	(void)a;
	get_current(m)->need_resched = true;
	return 0;
}

/* The calls whose i386 form is the common one: the registers as typed arguments. */
#define C0(fn) static int64_t s32_##fn(struct machine *m, const uint64_t *a) { (void)a; return sys_##fn(m); }
#define C1(fn, T1) static int64_t s32_##fn(struct machine *m, const uint64_t *a) { return sys_##fn(m, (T1)a[0]); }
#define C2(fn, T1, T2) \
	static int64_t s32_##fn(struct machine *m, const uint64_t *a) { return sys_##fn(m, (T1)a[0], (T2)a[1]); }
#define C3(fn, T1, T2, T3) static int64_t s32_##fn(struct machine *m, const uint64_t *a) \
	{ return sys_##fn(m, (T1)a[0], (T2)a[1], (T3)a[2]); }
#define C4(fn, T1, T2, T3, T4) static int64_t s32_##fn(struct machine *m, const uint64_t *a) \
	{ return sys_##fn(m, (T1)a[0], (T2)a[1], (T3)a[2], (T4)a[3]); }

C3(read, int32_t, uint64_t, uint64_t)
C3(write, int32_t, uint64_t, uint64_t)
C3(readv, int32_t, uint64_t, uint64_t)
C3(writev, int32_t, uint64_t, uint64_t)
C4(openat, int32_t, uint64_t, int32_t, unsigned int)
C1(close, int32_t)
C3(faccessat, int32_t, uint64_t, int32_t)
C1(dup, int32_t)
C2(dup2, int32_t, int32_t)
C3(dup3, int32_t, int32_t, int32_t)
C3(fcntl, int32_t, unsigned int, uint64_t)
C3(ioctl, int32_t, unsigned int, uint64_t)
C2(getcwd, uint64_t, uint64_t)
C1(chdir, uint64_t)
C1(umask, unsigned int)
C4(newfstatat, int32_t, uint64_t, uint64_t, int32_t)
C2(fstat, int32_t, uint64_t)
C4(readlinkat, int32_t, uint64_t, uint64_t, int32_t)
C3(getdents64, int32_t, uint64_t, uint64_t)
C2(pipe2, uint64_t, int32_t)
C1(uname, uint64_t)
C0(getpid)
C0(gettid)
C0(getppid)
C0(getuid)
C0(geteuid)
C0(getgid)
C0(getegid)
C1(getpgid, int32_t)
C2(setpgid, int32_t, int32_t)
C0(setsid)
C2(prctl, int32_t, uint64_t)
C3(getrandom, uint64_t, uint64_t, unsigned int)
C4(prlimit64, int32_t, unsigned int, uint64_t, uint64_t)
C2(getrusage, int32_t, uint64_t)
C1(set_tid_address, uint64_t)
C1(sysinfo, uint64_t)
C3(setresuid, uint32_t, uint32_t, uint32_t)
C2(kill, int32_t, int32_t)
C3(tgkill, int32_t, int32_t, int32_t)
C1(exit_group, int32_t)
C4(wait4, int32_t, uint64_t, int32_t, uint64_t)
C3(execve, uint64_t, uint64_t, uint64_t)
C4(rt_sigprocmask, int32_t, uint64_t, uint64_t, uint64_t)

static int64_t s32_swapon(struct machine *m, const uint64_t *a) { return sys_swapon(m, a[0], sint(a[1])); }
static int64_t s32_swapoff(struct machine *m, const uint64_t *a) { return sys_swapoff(m, a[0]); }
static int64_t s32_open(struct machine *m, const uint64_t *a) { return sys_openat(m, AT_FDCWD, a[0], sint(a[1]), (unsigned int)a[2]); }
static int64_t s32_access(struct machine *m, const uint64_t *a) { return sys_faccessat(m, AT_FDCWD, a[0], sint(a[1])); }
static int64_t s32_readlink(struct machine *m, const uint64_t *a) { return sys_readlinkat(m, AT_FDCWD, a[0], a[1], sint(a[2])); }
static int64_t s32_stat64(struct machine *m, const uint64_t *a) { return sys_newfstatat(m, AT_FDCWD, a[0], a[1], 0); }
static int64_t s32_lstat64(struct machine *m, const uint64_t *a) { return sys_newfstatat(m, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW); }
static int64_t s32_pipe(struct machine *m, const uint64_t *a) { return sys_pipe2(m, a[0], 0); }
static int64_t s32_getpgrp(struct machine *m, const uint64_t *a) { (void)a; return sys_getpgid(m, 0); }
static int64_t s32_sendfile64(struct machine *m, const uint64_t *a) { return sys_sendfile(m, sint(a[0]), sint(a[1]), a[2], a[3]); }
static int64_t s32_exit(struct machine *m, const uint64_t *a) { return sys_exit_group(m, sint(a[0])); }
static int64_t s32_rt_sigreturn(struct machine *m, const uint64_t *a) { (void)a; return sys_rt_sigreturn(m); }

static const struct syscall_entry sys_call_table_32[] = {
	[1] = { "exit", s32_exit },
	[2] = { "fork", s32_fork },
	[3] = { "read", s32_read },
	[4] = { "write", s32_write },
	[5] = { "open", s32_open },
	[6] = { "close", s32_close },
	[7] = { "waitpid", s32_waitpid },
	[11] = { "execve", s32_execve },
	[12] = { "chdir", s32_chdir },
	[13] = { "time", s32_time },
	[19] = { "lseek", s32_lseek },
	[20] = { "getpid", s32_getpid },
	[33] = { "access", s32_access },
	[37] = { "kill", s32_kill },
	[41] = { "dup", s32_dup },
	[42] = { "pipe", s32_pipe },
	[45] = { "brk", s32_brk },
	[54] = { "ioctl", s32_ioctl },
	[57] = { "setpgid", s32_setpgid },
	[60] = { "umask", s32_umask },
	[63] = { "dup2", s32_dup2 },
	[64] = { "getppid", s32_getppid },
	[65] = { "getpgrp", s32_getpgrp },
	[66] = { "setsid", s32_setsid },
	[75] = { "setrlimit", s32_setrlimit },
	[77] = { "getrusage", s32_getrusage },
	[78] = { "gettimeofday", s32_gettimeofday },
	[85] = { "readlink", s32_readlink },
	[87] = { "swapon", s32_swapon },
	[90] = { "mmap", s32_old_mmap },
	[91] = { "munmap", s32_munmap },
	[114] = { "wait4", s32_wait4 },
	[115] = { "swapoff", s32_swapoff },
	[116] = { "sysinfo", s32_sysinfo },
	[120] = { "clone", s32_clone },
	[122] = { "uname", s32_uname },
	[125] = { "mprotect", s32_mprotect },
	[132] = { "getpgid", s32_getpgid },
	[136] = { "personality", s32_personality },
	[140] = { "_llseek", s32_llseek },
	[144] = { "msync", s32_msync },
	[145] = { "readv", s32_readv },
	[146] = { "writev", s32_writev },
	[150] = { "mlock", s32_mlock },
	[151] = { "munlock", s32_munlock },
	[152] = { "mlockall", s32_mlockall },
	[153] = { "munlockall", s32_munlockall },
	[158] = { "sched_yield", s32_sched_yield },
	[162] = { "nanosleep", s32_nanosleep },
	[163] = { "mremap", s32_mremap },
	[172] = { "prctl", s32_prctl },
	[173] = { "rt_sigreturn", s32_rt_sigreturn },
	[174] = { "rt_sigaction", s32_rt_sigaction },
	[175] = { "rt_sigprocmask", s32_rt_sigprocmask },
	[180] = { "pread64", s32_pread64 },
	[181] = { "pwrite64", s32_pwrite64 },
	[183] = { "getcwd", s32_getcwd },
	[186] = { "sigaltstack", s32_sigaltstack },
	[187] = { "sendfile", s32_sendfile },
	[190] = { "vfork", s32_vfork },
	[191] = { "ugetrlimit", s32_ugetrlimit },
	[192] = { "mmap2", s32_mmap2 },
	[195] = { "stat64", s32_stat64 },
	[196] = { "lstat64", s32_lstat64 },
	[197] = { "fstat64", s32_fstat },
	[199] = { "getuid32", s32_getuid },
	[200] = { "getgid32", s32_getgid },
	[201] = { "geteuid32", s32_geteuid },
	[202] = { "getegid32", s32_getegid },
	[208] = { "setresuid32", s32_setresuid },
	[213] = { "setuid32", s32_setuid },
	[219] = { "madvise", s32_madvise },
	[220] = { "getdents64", s32_getdents64 },
	[221] = { "fcntl64", s32_fcntl },
	[224] = { "gettid", s32_gettid },
	[239] = { "sendfile64", s32_sendfile64 },
	[240] = { "futex", NULL },
	[243] = { "set_thread_area", s32_set_thread_area },
	[244] = { "get_thread_area", s32_get_thread_area },
	[252] = { "exit_group", s32_exit_group },
	[258] = { "set_tid_address", s32_set_tid_address },
	[265] = { "clock_gettime", s32_clock_gettime },
	[270] = { "tgkill", s32_tgkill },
	[295] = { "openat", s32_openat },
	[300] = { "fstatat64", s32_newfstatat },
	[305] = { "readlinkat", s32_readlinkat },
	[307] = { "faccessat", s32_faccessat },
	[311] = { "set_robust_list", s32_set_robust_list },
	[330] = { "dup3", s32_dup3 },
	[331] = { "pipe2", s32_pipe2 },
	[340] = { "prlimit64", s32_prlimit64 },
	[355] = { "getrandom", s32_getrandom },
	[376] = { "mlock2", s32_mlock2 },
	[383] = { "statx", NULL },
	[386] = { "rseq", NULL },
	[403] = { "clock_gettime64", s32_clock_gettime64 },
	[435] = { "clone3", NULL },
};

#define NR_SYSCALLS_32 (sizeof(sys_call_table_32) / sizeof(sys_call_table_32[0]))

void do_syscall_32(struct machine *m, struct task_struct *t)
{
	struct user_context *u = t->uctx;
	uint64_t nr = u->orig_rax & 0xffffffffULL;
	const uint64_t args[6] = { u->rbx & 0xffffffffULL, u->rcx & 0xffffffffULL, u->rdx & 0xffffffffULL,
				   u->rsi & 0xffffffffULL, u->rdi & 0xffffffffULL, u->rbp & 0xffffffffULL };

	syscall_return(m, t, syscall_invoke(m, t, sys_call_table_32, NR_SYSCALLS_32, nr, args));
}
