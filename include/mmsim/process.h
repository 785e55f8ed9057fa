/* process.h — processes, their system calls and their memory, for library users.
 *
 * A process is a task with an address space: made empty (mmsim_spawn) or
 * from an ELF program (mmsim_execve), copied (mmsim_fork), ended
 * (mmsim_exit) and reaped by its parent (mmsim_wait4). It runs no code of
 * its own; the caller makes its system calls and its memory accesses, as
 * the program would — each one enters the simulated kernel as that
 * process, on its CPU, with its page tables loaded. Failures are the
 * kernel's: a negative errno (<mmsim/errno.h>), and for memory accesses
 * the signal the fault raised.
 *
 * Processes are named by pid. Addresses are the process's own virtual
 * addresses; constants are <mmsim/mman.h>'s. */
#ifndef MMSIM_PROCESS_H
#define MMSIM_PROCESS_H

#include <stdio.h>

#include <mmsim/mman.h>
#include <mmsim/types.h>

MMSIM_BEGIN_DECLS

struct machine;

/* getrlimit / setrlimit resources (the kernel's numbers). */
#define MMSIM_RLIMIT_DATA	2
#define MMSIM_RLIMIT_STACK	3
#define MMSIM_RLIMIT_NOFILE	7
#define MMSIM_RLIMIT_MEMLOCK	8
#define MMSIM_RLIMIT_AS		9
#define MMSIM_RLIM_INFINITY	(~0ULL)

struct mmsim_rlimit {
	uint64_t rlim_cur, rlim_max;
};

/* The memory half of struct rusage. */
struct mmsim_rusage {
	unsigned long minflt;		/* faults served without I/O */
	unsigned long majflt;		/* faults that read a page */
	unsigned long maxrss_kb;	/* peak resident set */
};

#define MMSIM_RUSAGE_SELF	0
#define MMSIM_RUSAGE_CHILDREN	(-1)

/* The signal a memory access raised (siginfo_t's part). */
struct mmsim_siginfo {
	int signo;			/* 11 SIGSEGV, 7 SIGBUS */
	int code;			/* SEGV_MAPERR 1, SEGV_ACCERR 2, BUS_ADRERR 2 */
	uint64_t addr;
	bool handled;			/* the process had a handler; it lives on */
};

/* "SIGSEGV", "SIGKILL" ... ("SIG?" for no signal); si_code's name ("SEGV_MAPERR", "SI_KERNEL"; "?"). */
MMSIM_API const char *mmsim_signal_name(int sig);
MMSIM_API const char *mmsim_si_code_name(int sig, int code);

/* open(2) flags. */
#define MMSIM_O_RDONLY	0
#define MMSIM_O_WRONLY	1
#define MMSIM_O_RDWR	2

/* A new process named @comm, child of pid 1, with an empty address space. Its pid, or -errno. */
MMSIM_API int mmsim_spawn(struct machine *m, const char *comm);
/*
 * execve(2) in @pid: 0, or -errno (-ENOEXEC, -ENOENT, -E2BIG ...) with
 * *why (may be NULL) naming the check that refused the file. A failure
 * after the point of no return kills the process (it is then a zombie).
 */
MMSIM_API int mmsim_execve(struct machine *m, int pid, const char *path, const char *const argv[],
			   const char *const envp[], const char **why);
/* fork(2) by @pid: the child's pid, or -errno. */
MMSIM_API int mmsim_fork(struct machine *m, int pid);
/* exit(2): @pid becomes a zombie with exit status @status (0..255). */
MMSIM_API int mmsim_exit(struct machine *m, int pid, int status);
/*
 * wait4(2) by @pid for @child (-1: any): the reaped child's pid, 0 if no
 * child has exited yet (a process that runs no code never would), or
 * -ECHILD. @status gets the wait status (code << 8, or the signal).
 */
MMSIM_API int mmsim_wait4(struct machine *m, int pid, int child, int *status,
			  struct mmsim_rusage *ru);
/* Copy a host file into the machine's root file system (a tmpfs). 0 or -errno. */
MMSIM_API int mmsim_install(struct machine *m, const char *host_path, const char *guest_path);
/* symlink(2) in the machine's root: @link_path points at @target. 0 or -errno. */
MMSIM_API int mmsim_symlink(struct machine *m, const char *target, const char *link_path);

/* ---- system calls ----------------------------------------------------------------- */

/* mmap(2) with a byte offset: the address, or -errno. */
MMSIM_API int64_t mmsim_mmap(struct machine *m, int pid, uint64_t addr, uint64_t len, int prot,
			     int flags, int fd, uint64_t offset);
MMSIM_API int mmsim_munmap(struct machine *m, int pid, uint64_t addr, uint64_t len);
MMSIM_API int mmsim_mprotect(struct machine *m, int pid, uint64_t addr, uint64_t len, int prot);
MMSIM_API int64_t mmsim_mremap(struct machine *m, int pid, uint64_t addr, uint64_t old_len,
			       uint64_t new_len, int flags, uint64_t new_addr);
MMSIM_API int mmsim_madvise(struct machine *m, int pid, uint64_t addr, uint64_t len, int advice);
/* mlock2(2): @flags 0 or MMSIM_MLOCK_ONFAULT. */
MMSIM_API int mmsim_mlock(struct machine *m, int pid, uint64_t addr, uint64_t len, int flags);
MMSIM_API int mmsim_munlock(struct machine *m, int pid, uint64_t addr, uint64_t len);
MMSIM_API int mmsim_mlockall(struct machine *m, int pid, int flags);
MMSIM_API int mmsim_munlockall(struct machine *m, int pid);
MMSIM_API int mmsim_msync(struct machine *m, int pid, uint64_t addr, uint64_t len, int flags);
/* brk(2): the new break, or the old one if refused (0 queries it). -ESRCH for no process. */
MMSIM_API int64_t mmsim_brk(struct machine *m, int pid, uint64_t addr);
/* open(2) of a file in the machine (installed) or of the host (read-only): fd or -errno. */
MMSIM_API int mmsim_open(struct machine *m, int pid, const char *path, int flags);
MMSIM_API int mmsim_close(struct machine *m, int pid, int fd);
MMSIM_API int mmsim_getrlimit(struct machine *m, int pid, int resource, struct mmsim_rlimit *rl);
/* setrlimit(2): raising a hard limit needs CAP_SYS_RESOURCE (root). */
MMSIM_API int mmsim_setrlimit(struct machine *m, int pid, int resource,
			      const struct mmsim_rlimit *rl);
MMSIM_API int mmsim_getrusage(struct machine *m, int pid, int who, struct mmsim_rusage *ru);
/* setuid(2) to a non-zero uid drops every capability (root's mlock and mmap_min_addr bypass). */
MMSIM_API int mmsim_setuid(struct machine *m, int pid, unsigned int uid);
/* personality(2): the new persona, returning the old one (READ_IMPLIES_EXEC 0x400000 ...). */
MMSIM_API int mmsim_personality(struct machine *m, int pid, unsigned int persona);
/* A handler for SIGSEGV/SIGBUS (@handle) or the default action (terminate). 0 or -EINVAL. */
MMSIM_API int mmsim_sigaction(struct machine *m, int pid, int sig, bool handle);

/* ---- the program's memory accesses ---------------------------------------------------- */

/*
 * A load (read) or store (write) of [addr, addr+len) by the program, in
 * user mode through the MMU: faults are served as they would be. 0, or
 * the signal that stopped it (described in *si, which may be NULL) — the
 * process has died unless it had a handler; -ESRCH for no such process;
 * -ENOMEM if the fault could get no memory.
 */
MMSIM_API int mmsim_user_read(struct machine *m, int pid, uint64_t addr, void *buf, size_t len,
			      struct mmsim_siginfo *si);
MMSIM_API int mmsim_user_write(struct machine *m, int pid, uint64_t addr, const void *buf,
			       size_t len, struct mmsim_siginfo *si);
/* An instruction fetch of one byte at @addr (NX applies on x86_64). */
MMSIM_API int mmsim_user_exec(struct machine *m, int pid, uint64_t addr, struct mmsim_siginfo *si);

/* ---- running the programs themselves ------------------------------------------------ */

/*
 * Run the machine's processes' own code on the host's CPU (KVM), through
 * mmsim's page tables, until process @pid exits; its wait status in
 * *status (exit code << 8, or the killing signal). -EAGAIN if every
 * process waits for another, -EINTR if *stop became non-zero (set it from
 * a signal handler, then call mmsim_run_kick()), another -errno with
 * *why naming what the host lacks (no /dev/kvm, an i386 machine ...).
 */
MMSIM_API int mmsim_run(struct machine *m, int pid, volatile int *stop, int *status, const char **why);
/* Stop a run at once (async-signal-safe): the CPU leaves the program's code. */
MMSIM_API void mmsim_run_kick(struct machine *m);
/* List every system call a running program makes on @out, strace's way (NULL: stop). */
MMSIM_API void mmsim_trace_syscalls(struct machine *m, FILE *out);
/* Give @pid descriptors 0, 1 and 2 on the console: the host's stdin, stdout and stderr. */
MMSIM_API int mmsim_open_console(struct machine *m, int pid);

/*
 * /proc/PID/pagemap, as pagemap_read() fills it: one word for each page of
 * [vaddr, vaddr + nr pages), read as by root (frames shown). Present pages
 * give their pfn, swapped ones their swap type (low 5 bits) and offset;
 * 0 where nothing is mapped. 0, or -ESRCH.
 */
#define MMSIM_PM_PFRAME_MASK	((1ULL << 55) - 1)
#define MMSIM_PM_SOFT_DIRTY	(1ULL << 55)
#define MMSIM_PM_MMAP_EXCLUSIVE	(1ULL << 56)	/* mapped by this process alone */
#define MMSIM_PM_FILE		(1ULL << 61)	/* a file page, or shared anonymous */
#define MMSIM_PM_SWAP		(1ULL << 62)
#define MMSIM_PM_PRESENT	(1ULL << 63)
MMSIM_API int mmsim_pagemap_read(struct machine *m, int pid, uint64_t vaddr, unsigned long nr,
				 uint64_t *out);

/* One page-table page of a process's user half (the kernel's shared entries are not walked). */
struct mmsim_pagetable_page {
	int level;			/* 0 the last (PTE) level ... 3 the PGD */
	const char *level_name;		/* "PTE", "PMD", "PUD", "PGD" as the kernel names them */
	unsigned long pfn;		/* the table's frame */
	uint64_t vaddr, span;		/* the user addresses its entries cover */
	unsigned int present;		/* entries present */
	unsigned int large;		/* of them, mapping a large page themselves */
};
/* Call @fn for each table, the PGD first and each table before those below it. 0, or -ESRCH. */
MMSIM_API int mmsim_walk_pagetables(struct machine *m, int pid,
				    void (*fn)(const struct mmsim_pagetable_page *pt, void *arg),
				    void *arg);

MMSIM_END_DECLS

#endif /* MMSIM_PROCESS_H */
