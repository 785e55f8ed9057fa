/* entry.c — entering the kernel from a process (arch/x86/entry/common.c and
 * the syscall tables), and the library's process API on top of it.
 *
 * A system call or a memory access "by process P" runs the way the CPU
 * would run it: P becomes current on its CPU (switch_to loads its page
 * tables), the CPU switches to P's kernel stack — the registers of the
 * call are saved at its top as struct pt_regs, in simulated memory, where
 * the kernel's own code would find them — and the kernel function of the
 * call runs on P's behalf. Afterwards the CPU goes back to whatever ran
 * before. The syscall numbers in the saved registers are the real ones of
 * each architecture (syscall_32.tbl / syscall_64.tbl). */
#include <string.h>

#include <mmsim/process.h>

#include "arch/x86/cpu_backend.h"
#include "arch/x86/fault.h"
#include "arch/x86/mmu.h"
#include "fs/binfmts.h"
#include "fs/fs.h"
#include "kernel/signal.h"
#include "mm.h"

/* The system calls mmsim makes for processes, with each architecture's number. */
enum sys_call {
	SYS_mmap, SYS_munmap, SYS_mprotect, SYS_mremap, SYS_madvise, SYS_mlock2, SYS_munlock,
	SYS_mlockall, SYS_munlockall, SYS_msync, SYS_brk, SYS_open, SYS_close, SYS_fork,
	SYS_execve, SYS_exit_group, SYS_wait4, SYS_getrlimit, SYS_setrlimit, SYS_getrusage,
	SYS_setuid, SYS_personality, SYS_rt_sigaction, NR_SYS_CALLS
};

static const struct {
	const char *name;
	unsigned int nr32, nr64;
} sys_calls[NR_SYS_CALLS] = {
	[SYS_mmap] = { "mmap", 192, 9 },	/* i386: mmap2 (offset in pages) */
	[SYS_munmap] = { "munmap", 91, 11 },
	[SYS_mprotect] = { "mprotect", 125, 10 },
	[SYS_mremap] = { "mremap", 163, 25 },
	[SYS_madvise] = { "madvise", 219, 28 },
	[SYS_mlock2] = { "mlock2", 376, 325 },
	[SYS_munlock] = { "munlock", 151, 150 },
	[SYS_mlockall] = { "mlockall", 152, 151 },
	[SYS_munlockall] = { "munlockall", 153, 152 },
	[SYS_msync] = { "msync", 144, 26 },
	[SYS_brk] = { "brk", 45, 12 },
	[SYS_open] = { "open", 5, 2 },
	[SYS_close] = { "close", 6, 3 },
	[SYS_fork] = { "fork", 2, 57 },
	[SYS_execve] = { "execve", 11, 59 },
	[SYS_exit_group] = { "exit_group", 252, 231 },
	[SYS_wait4] = { "wait4", 114, 61 },
	[SYS_getrlimit] = { "getrlimit", 191, 97 },	/* i386: ugetrlimit */
	[SYS_setrlimit] = { "setrlimit", 75, 160 },
	[SYS_getrusage] = { "getrusage", 77, 98 },
	[SYS_setuid] = { "setuid", 213, 105 },	/* i386: setuid32 */
	[SYS_personality] = { "personality", 136, 135 },
	[SYS_rt_sigaction] = { "rt_sigaction", 174, 13 },
};

/*
 * The saved user registers at the top of the kernel stack: i386's struct
 * pt_regs is 17 words (bx cx dx si di bp ax ds es fs gs orig_ax ip cs
 * flags sp ss), x86_64's 21 (r15 .. rdi, orig_ax, ip, cs, flags, sp, ss).
 */
static void save_pt_regs(struct machine *m, struct task_struct *t, enum sys_call nr,
			 const uint64_t *args, unsigned int nargs)
{
	if (!t->stack)
		return;
	kaddr_t top = t->stack + (m->is_32bit ? 8192 : 16384);
	if (m->is_32bit) {
		uint32_t r[17] = { 0 };
		static const int argreg[6] = { 0, 1, 2, 3, 4, 5 };	/* bx cx dx si di bp */
		for (unsigned int i = 0; i < nargs && i < 6; i++)
			r[argreg[i]] = (uint32_t)args[i];
		r[6] = r[11] = sys_calls[nr].nr32;	/* ax, orig_ax */
		r[12] = (uint32_t)t->user_ip;
		r[13] = 0x73;			/* __USER_CS */
		r[14] = 0x202;			/* IF */
		r[15] = (uint32_t)t->user_sp;
		r[16] = 0x7b;			/* __USER_DS */
		kernel_access(m, top - sizeof(r), r, sizeof(r), MMU_WRITE);
	} else {
		uint64_t r[21] = { 0 };
		static const int argreg[6] = { 14, 13, 12, 7, 9, 8 };	/* di si dx r10 r8 r9 */
		for (unsigned int i = 0; i < nargs && i < 6; i++)
			r[argreg[i]] = args[i];
		r[10] = r[15] = sys_calls[nr].nr64;	/* ax, orig_ax */
		r[16] = t->user_ip;
		r[17] = 0x33;			/* __USER_CS */
		r[18] = 0x202;
		r[19] = t->user_sp;
		r[20] = 0x2b;			/* __USER_DS */
		kernel_access(m, top - sizeof(r), r, sizeof(r), MMU_WRITE);
	}
}

/*
 * Enter the kernel as process @pid: it becomes current on its CPU. NULL if
 * there is no such live process (kernel threads make no system calls).
 */
static struct task_struct *enter(struct machine *m, int pid, struct task_struct **prev)
{
	struct task_struct *t = find_task_by_pid(m, pid);

	if (!t || t->exit_state || (t->flags & PF_KTHREAD) || !t->mm)
		return NULL;
	*prev = get_current(m);
	switch_to(m, t);
	t->state = TASK_RUNNING;
	return t;
}

/*
 * Back to whoever ran before (or init, if that was the process and it
 * died). On its way back to user mode a process with a fatal signal
 * pending — the OOM killer chose it — dies.
 */
static void leave(struct machine *m, struct task_struct *t, struct task_struct *prev)
{
	if (!t->exit_state && fatal_signal_pending(t)) {
		t->pending_signals &= ~(1ULL << (SIGKILL - 1));
		do_exit(m, t, SIGKILL);
		exit_notify(m, t);
	}
	if (!t->exit_state)
		t->state = TASK_INTERRUPTIBLE;
	if (prev == t && t->exit_state)
		prev = &m->sched->init_task;
	switch_to(m, prev);
}

#define SYSCALL(m, pid, nr, nargs, ...)							\
	struct task_struct *prev, *t = enter(m, pid, &prev);				\
	if (!t)										\
		return -MMSIM_ESRCH;							\
	uint64_t args_[6] = { __VA_ARGS__ };						\
	save_pt_regs(m, t, nr, args_, nargs)

int64_t mmsim_mmap(struct machine *m, int pid, uint64_t addr, uint64_t len, int prot, int flags,
		   int fd, uint64_t offset)
{
	SYSCALL(m, pid, SYS_mmap, 6, addr, len, (uint64_t)prot, (uint64_t)flags, (uint64_t)(int64_t)fd,
		m->is_32bit ? offset >> PAGE_SHIFT : offset);
	int64_t ret;
	struct file *file = NULL;
	if (offset & (PAGE_SIZE - 1)) {
		ret = -MMSIM_EINVAL;	/* x86_64 mmap() and i386 mmap2()'s whole pages */
		goto out;
	}
	if (m->is_32bit && (addr > 0xffffffffULL || len > 0xffffffffULL)) {
		ret = -MMSIM_EINVAL;
		goto out;
	}
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget(t->files, fd);
		if (!file) {
			ret = -MMSIM_EBADF;
			goto out;
		}
		get_file(file);
	} else if (flags & MAP_HUGETLB) {
		/*
		 * ksys_mmap_pgoff(): a hugetlbfs file of the huge page size
		 * MAP_HUGE_SHIFT names (0: the default; one the kernel has not
		 * registered — it registers 2 MiB on x86_64, 4 MiB on i386 —
		 * is -EINVAL). Then do_mmap(), and hugetlbfs_file_mmap() must
		 * reserve the pages: with none set aside (hugepages=0, no
		 * overcommit) that is -ENOMEM, not -EINVAL. With MAP_NORESERVE
		 * the kernel maps it and the first touch gets SIGBUS; mmsim
		 * has no hugetlbfs mappings, so that one stays refused.
		 */
		unsigned int size_log = ((unsigned int)flags >> 26) & 0x3f;
		if ((size_log && size_log != (m->is_32bit ? 22u : 21u)) || (flags & MAP_NORESERVE))
			ret = -MMSIM_EINVAL;
		else
			ret = len ? -MMSIM_ENOMEM : -MMSIM_EINVAL;
		goto out;
	}
	ret = vm_mmap(m, file, addr, len, (unsigned long)prot, (unsigned long)flags, offset);
	if (file)
		fput(m, file);
out:
	leave(m, t, prev);
	return ret;
}

int mmsim_munmap(struct machine *m, int pid, uint64_t addr, uint64_t len)
{
	SYSCALL(m, pid, SYS_munmap, 2, addr, len);
	int ret = do_munmap(m, t->mm, addr, len);
	leave(m, t, prev);
	return ret;
}

int mmsim_mprotect(struct machine *m, int pid, uint64_t addr, uint64_t len, int prot)
{
	SYSCALL(m, pid, SYS_mprotect, 3, addr, len, (uint64_t)prot);
	int ret = do_mprotect(m, addr, len, (unsigned long)(unsigned int)prot);
	leave(m, t, prev);
	return ret;
}

int64_t mmsim_mremap(struct machine *m, int pid, uint64_t addr, uint64_t old_len, uint64_t new_len,
		     int flags, uint64_t new_addr)
{
	SYSCALL(m, pid, SYS_mremap, 5, addr, old_len, new_len, (uint64_t)flags, new_addr);
	int64_t ret = sys_mremap(m, addr, old_len, new_len, (unsigned long)(unsigned int)flags, new_addr);
	leave(m, t, prev);
	return ret;
}

int mmsim_madvise(struct machine *m, int pid, uint64_t addr, uint64_t len, int advice)
{
	SYSCALL(m, pid, SYS_madvise, 3, addr, len, (uint64_t)advice);
	int ret = do_madvise(m, addr, len, advice);
	leave(m, t, prev);
	return ret;
}

int mmsim_mlock(struct machine *m, int pid, uint64_t addr, uint64_t len, int flags)
{
	SYSCALL(m, pid, SYS_mlock2, 3, addr, len, (uint64_t)flags);
	int ret;
	if (flags & ~MLOCK_ONFAULT)
		ret = -MMSIM_EINVAL;
	else
		ret = do_mlock(m, addr, len, VM_LOCKED | ((flags & MLOCK_ONFAULT) ? VM_LOCKONFAULT : 0));
	leave(m, t, prev);
	return ret;
}

int mmsim_munlock(struct machine *m, int pid, uint64_t addr, uint64_t len)
{
	SYSCALL(m, pid, SYS_munlock, 2, addr, len);
	int ret = do_munlock(m, addr, len);
	leave(m, t, prev);
	return ret;
}

int mmsim_mlockall(struct machine *m, int pid, int flags)
{
	SYSCALL(m, pid, SYS_mlockall, 1, (uint64_t)flags);
	int ret = do_mlockall(m, flags);
	leave(m, t, prev);
	return ret;
}

int mmsim_munlockall(struct machine *m, int pid)
{
	SYSCALL(m, pid, SYS_munlockall, 0, 0);
	int ret = do_munlockall(m);
	leave(m, t, prev);
	return ret;
}

int mmsim_msync(struct machine *m, int pid, uint64_t addr, uint64_t len, int flags)
{
	SYSCALL(m, pid, SYS_msync, 3, addr, len, (uint64_t)flags);
	int ret = sys_msync(m, addr, len, flags);
	leave(m, t, prev);
	return ret;
}

int64_t mmsim_brk(struct machine *m, int pid, uint64_t addr)
{
	SYSCALL(m, pid, SYS_brk, 1, addr);
	int64_t ret = (int64_t)sys_brk(m, addr);
	leave(m, t, prev);
	return ret;
}

int mmsim_open(struct machine *m, int pid, const char *path, int flags)
{
	SYSCALL(m, pid, SYS_open, 2, 0, (uint64_t)flags);
	int err, ret;
	struct file *f = NULL;
	if (!t->files) {
		ret = -MMSIM_EMFILE;
		goto out;
	}
	f = filp_open(m, path, flags, &err);
	if (!f) {
		ret = err;
		goto out;
	}
	/* RLIMIT_NOFILE bounds the descriptors. */
	ret = fd_install_new(m, t->files, f);
	if (ret >= 0 && (uint64_t)ret >= rlimit(t, RLIMIT_NOFILE)) {
		close_fd(m, t->files, ret);
		ret = -MMSIM_EMFILE;
	} else if (ret < 0) {
		fput(m, f);
	}
out:
	leave(m, t, prev);
	return ret;
}

int mmsim_close(struct machine *m, int pid, int fd)
{
	SYSCALL(m, pid, SYS_close, 1, (uint64_t)fd);
	int ret = close_fd(m, t->files, fd);
	leave(m, t, prev);
	return ret;
}

int mmsim_getrlimit(struct machine *m, int pid, int resource, struct mmsim_rlimit *rl)
{
	SYSCALL(m, pid, SYS_getrlimit, 2, (uint64_t)resource, 0);
	int ret = 0;
	if (resource < 0 || resource >= RLIM_NLIMITS)
		ret = -MMSIM_EINVAL;
	else
		*rl = (struct mmsim_rlimit){ t->signal->rlim[resource].rlim_cur,
					     t->signal->rlim[resource].rlim_max };
	leave(m, t, prev);
	return ret;
}

int mmsim_setrlimit(struct machine *m, int pid, int resource, const struct mmsim_rlimit *rl)
{
	SYSCALL(m, pid, SYS_setrlimit, 2, (uint64_t)resource, 0);
	int ret = 0;
	if (resource < 0 || resource >= RLIM_NLIMITS || rl->rlim_cur > rl->rlim_max) {
		ret = -MMSIM_EINVAL;
	} else if (resource == RLIMIT_NOFILE && rl->rlim_max > 1048576) {
		ret = -MMSIM_EPERM;	/* above sysctl_nr_open */
	} else if (rl->rlim_max > t->signal->rlim[resource].rlim_max && !capable(t, CAP_SYS_RESOURCE)) {
		ret = -MMSIM_EPERM;
	} else {
		t->signal->rlim[resource] = (struct rlimit64){ rl->rlim_cur, rl->rlim_max };
	}
	leave(m, t, prev);
	return ret;
}

int mmsim_getrusage(struct machine *m, int pid, int who, struct mmsim_rusage *ru)
{
	SYSCALL(m, pid, SYS_getrusage, 2, (uint64_t)who, 0);
	struct rusage_mm r;
	int ret = getrusage_mm(m, who, &r);
	if (!ret)
		*ru = (struct mmsim_rusage){ r.minflt, r.majflt, r.maxrss_kb };
	leave(m, t, prev);
	return ret;
}

int mmsim_setuid(struct machine *m, int pid, unsigned int uid)
{
	SYSCALL(m, pid, SYS_setuid, 1, uid);
	int ret = 0;
	struct cred *c = t->cred;
	if (!capable(t, 7 /* CAP_SETUID */) && uid != c->uid) {
		ret = -MMSIM_EPERM;
	} else {
		c->uid = c->euid = uid;
		/* cap_emulate_setxuid(): leaving uid 0 drops every capability. */
		if (uid != 0)
			c->cap_effective = 0;
	}
	leave(m, t, prev);
	return ret;
}

int mmsim_personality(struct machine *m, int pid, unsigned int persona)
{
	SYSCALL(m, pid, SYS_personality, 1, persona);
	int old = (int)t->personality;
	if (persona != 0xffffffffu)
		t->personality = persona;
	leave(m, t, prev);
	return old;
}

int mmsim_sigaction(struct machine *m, int pid, int sig, bool handle)
{
	SYSCALL(m, pid, SYS_rt_sigaction, 1, (uint64_t)sig);
	int ret = do_sigaction(t, sig, handle ? SIG_DISP_HANDLER : SIG_DISP_DEFAULT);
	leave(m, t, prev);
	return ret;
}

int mmsim_execve(struct machine *m, int pid, const char *path, const char *const argv[],
		 const char *const envp[], const char **why)
{
	SYSCALL(m, pid, SYS_execve, 3, 0, 0, 0);
	int ret = do_execve(m, path, argv, envp, why);
	leave(m, t, prev);
	return ret;
}

int mmsim_fork(struct machine *m, int pid)
{
	SYSCALL(m, pid, SYS_fork, 0, 0);
	int ret = do_fork(m);
	if (ret > 0) {
		/* The child returns from fork where the parent does. */
		struct task_struct *c = find_task_by_pid(m, ret);
		c->user_ip = t->user_ip;
		c->user_sp = t->user_sp;
	}
	leave(m, t, prev);
	return ret;
}

int mmsim_exit(struct machine *m, int pid, int status)
{
	SYSCALL(m, pid, SYS_exit_group, 1, (uint64_t)status);
	do_exit(m, t, (status & 0xff) << 8);
	leave(m, t, prev);
	return 0;
}

int mmsim_wait4(struct machine *m, int pid, int child, int *status, struct mmsim_rusage *ru)
{
	if (pid == 1) {
		/* init (the scenario's own task) reaps the processes it spawned. */
		struct task_struct *prev = get_current(m);
		struct rusage_mm r = { 0 };
		switch_to(m, &m->sched->init_task);
		int ret = do_wait(m, child, status, &r);
		if (ru)
			*ru = (struct mmsim_rusage){ r.minflt, r.majflt, r.maxrss_kb };
		switch_to(m, prev->exit_state ? &m->sched->init_task : prev);
		return ret;
	}
	SYSCALL(m, pid, SYS_wait4, 2, (uint64_t)(int64_t)child, 0);
	struct rusage_mm r = { 0 };
	int ret = do_wait(m, child, status, &r);
	if (ru)
		*ru = (struct mmsim_rusage){ r.minflt, r.majflt, r.maxrss_kb };
	leave(m, t, prev);
	return ret;
}

int mmsim_spawn(struct machine *m, const char *comm)
{
	struct task_struct *init = &m->sched->init_task, *prev = get_current(m);
	int err;

	switch_to(m, init);
	struct task_struct *t = copy_process(m, 0, &err);
	if (!t)
		goto out;
	/* An empty program: a fresh mm with the default layout, no VMAs, no files. */
	err = -MMSIM_ENOMEM;
	t->files = files_alloc(m);
	t->mm = t->active_mm = t->files ? mm_alloc(m) : NULL;
	snprintf(t->comm, sizeof(t->comm), "%s", comm && *comm ? comm : "process");
	wake_up_new_task(m, t);
	if (!t->mm) {
		do_exit(m, t, 0);
		release_task(m, t);
		goto out;
	}
	switch_to(m, t);
	arch_pick_mmap_layout(m, t->mm, rlimit(t, RLIMIT_STACK));
	t->state = TASK_INTERRUPTIBLE;
	err = t->pid;
out:
	switch_to(m, prev->exit_state ? init : prev);
	return err;
}

int mmsim_install(struct machine *m, const char *host_path, const char *guest_path)
{
	return fs_install(m, host_path, guest_path);
}

int mmsim_symlink(struct machine *m, const char *target, const char *link_path)
{
	return fs_symlink(m, target, link_path);
}

/* ---- the program's accesses ------------------------------------------------------------ */

static int user_op(struct machine *m, int pid, uint64_t addr, void *buf, size_t len,
		   unsigned int access, struct mmsim_siginfo *si)
{
	struct task_struct *prev, *t = enter(m, pid, &prev);

	if (!t)
		return -MMSIM_ESRCH;
	t->last_siginfo = (struct kernel_siginfo){ 0 };
	int r = user_access(m, addr, buf, len, access);
	if (fatal_signal_pending(t) && !t->exit_state) {
		/* The OOM killer chose it during the access: it dies on the way back (leave). */
		r = SIGKILL;
		t->last_siginfo = (struct kernel_siginfo){ .signo = SIGKILL, .code = SI_KERNEL };
	}
	if (si) {
		*si = (struct mmsim_siginfo){ 0 };
		if (r > 0) {
			si->signo = t->last_siginfo.signo ? t->last_siginfo.signo : r;
			si->code = t->last_siginfo.code;
			si->addr = t->last_siginfo.addr;
			si->handled = !t->exit_state && !fatal_signal_pending(t);
		}
	}
	leave(m, t, prev);
	return r;
}

int mmsim_user_read(struct machine *m, int pid, uint64_t addr, void *buf, size_t len,
		    struct mmsim_siginfo *si)
{
	return user_op(m, pid, addr, buf, len, MMU_READ, si);
}

int mmsim_user_write(struct machine *m, int pid, uint64_t addr, const void *buf, size_t len,
		     struct mmsim_siginfo *si)
{
	return user_op(m, pid, addr, (void *)buf, len, MMU_WRITE, si);
}

int mmsim_user_exec(struct machine *m, int pid, uint64_t addr, struct mmsim_siginfo *si)
{
	unsigned char byte;

	return user_op(m, pid, addr, &byte, 1, MMU_EXEC, si);
}

/* ---- running the programs themselves ------------------------------------------------- */

int mmsim_run(struct machine *m, int pid, volatile int *stop, int *status, const char **why)
{
	const char *w = NULL;
	int ret = run_processes(m, pid, stop, status, &w);

	if (why)
		*why = w;
	return ret;
}

void mmsim_run_kick(struct machine *m)
{
	if (m->cpu_backend)
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
			m->cpu_backend->kick(m, cpu);
}

int mmsim_open_console(struct machine *m, int pid)
{
	struct task_struct *t = find_task_by_pid(m, pid);

	if (!t || !t->files || t->exit_state)
		return -MMSIM_ESRCH;
	return open_console(m, t);
}

void mmsim_trace_syscalls(struct machine *m, FILE *out)
{
	m->syscall_trace = out;
}
