/* syscalls.h (internal) — the system calls a running program makes, as the
 * kernel's include/linux/syscalls.h lists them: each takes its arguments
 * as the program passed them (user addresses as uint64_t) and returns the
 * result or -errno. They act for current; the architecture's table
 * (arch/x86/syscall_64.c) decodes the registers and calls them. */
#ifndef MMSIM_KERNEL_SYSCALLS_H
#define MMSIM_KERNEL_SYSCALLS_H

#include "machine.h"

#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EMPTY_PATH		0x1000

/*
 * A system call that must wait (wait4 with no child exited yet, a read of
 * an empty pipe): the task sleeps, and the call is made again, from the
 * start, when it is woken (-ERESTARTSYS with the restart the kernel does).
 */
#define ERESTARTSYS	512

/* The most one read or write moves (MAX_RW_COUNT: INT_MAX rounded down to a page). */
#define MAX_RW_COUNT	(0x7fffffffUL & ~0xfffUL)

/* fs/read_write.c */
int64_t sys_read(struct machine *m, int fd, uint64_t buf, uint64_t count);
int64_t sys_write(struct machine *m, int fd, uint64_t buf, uint64_t count);
int64_t sys_pread64(struct machine *m, int fd, uint64_t buf, uint64_t count, int64_t pos);
int64_t sys_pwrite64(struct machine *m, int fd, uint64_t buf, uint64_t count, int64_t pos);
int64_t sys_readv(struct machine *m, int fd, uint64_t iov, uint64_t iovcnt);
int64_t sys_writev(struct machine *m, int fd, uint64_t iov, uint64_t iovcnt);
int64_t sys_lseek(struct machine *m, int fd, int64_t offset, unsigned int whence);
int64_t sys_sendfile(struct machine *m, int out_fd, int in_fd, uint64_t offset_ptr, uint64_t count);

/* fs/open.c */
int64_t sys_openat(struct machine *m, int dfd, uint64_t path, int flags, unsigned int mode);
int64_t sys_close(struct machine *m, int fd);
/* mm/swapfile.c */
int64_t sys_swapon(struct machine *m, uint64_t specialfile, int swap_flags);
int64_t sys_swapoff(struct machine *m, uint64_t specialfile);
int64_t sys_faccessat(struct machine *m, int dfd, uint64_t path, int mode);
int64_t sys_dup(struct machine *m, int fd);
int64_t sys_dup3(struct machine *m, int oldfd, int newfd, int flags);
int64_t sys_dup2(struct machine *m, int oldfd, int newfd);
int64_t sys_fcntl(struct machine *m, int fd, unsigned int cmd, uint64_t arg);
int64_t sys_ioctl(struct machine *m, int fd, unsigned int cmd, uint64_t arg);
int64_t sys_getcwd(struct machine *m, uint64_t buf, uint64_t size);
int64_t sys_chdir(struct machine *m, uint64_t path);
int64_t sys_umask(struct machine *m, unsigned int mask);
int64_t sys_getdents64(struct machine *m, int fd, uint64_t dirent, uint64_t count);

/* fs/pipe.c */
int64_t sys_pipe2(struct machine *m, uint64_t fildes, int flags);

/* fs/stat.c */
int64_t sys_newfstatat(struct machine *m, int dfd, uint64_t path, uint64_t statbuf, int flag);
int64_t sys_fstat(struct machine *m, int fd, uint64_t statbuf);
int64_t sys_readlinkat(struct machine *m, int dfd, uint64_t path, uint64_t buf, int bufsiz);

/* kernel/sys.c */
int64_t sys_uname(struct machine *m, uint64_t name);
int64_t sys_getpid(struct machine *m);
int64_t sys_gettid(struct machine *m);
int64_t sys_getppid(struct machine *m);
int64_t sys_getuid(struct machine *m);
int64_t sys_geteuid(struct machine *m);
int64_t sys_getgid(struct machine *m);
int64_t sys_getegid(struct machine *m);
int64_t sys_getpgid(struct machine *m, int pid);
int64_t sys_setpgid(struct machine *m, int pid, int pgid);
int64_t sys_setsid(struct machine *m);
int64_t sys_prctl(struct machine *m, int option, uint64_t arg2);
int64_t sys_getrandom(struct machine *m, uint64_t buf, uint64_t count, unsigned int flags);
int64_t sys_clock_gettime(struct machine *m, int which, uint64_t tp);
/* The clock @which now (0), or -EINVAL; what the clock calls of both layouts read. */
int clock_read_ns(struct machine *m, int which, uint64_t *ns);
/* The simulated clock moved on by a sleep of @sec s @nsec ns (at most a day), or -EINVAL. */
int nanosleep_advance(struct machine *m, int64_t sec, int64_t nsec);
int64_t sys_gettimeofday(struct machine *m, uint64_t tv, uint64_t tz);
int64_t sys_time(struct machine *m, uint64_t tloc);
int64_t sys_nanosleep(struct machine *m, uint64_t req, uint64_t rem);
int64_t sys_prlimit64(struct machine *m, int pid, unsigned int resource, uint64_t new_rlim,
		      uint64_t old_rlim);
int64_t sys_getrusage(struct machine *m, int who, uint64_t ru);
int64_t sys_set_tid_address(struct machine *m, uint64_t tidptr);
int64_t sys_sysinfo(struct machine *m, uint64_t info);
int64_t sys_setresuid(struct machine *m, uint32_t ruid, uint32_t euid, uint32_t suid);
/* struct rusage in the architecture's layout, from its 18 fields. 0 or -EFAULT. */
int put_rusage(struct machine *m, uint64_t uaddr, const int64_t v[18]);

/* kernel/signal.c */
int64_t sys_rt_sigaction(struct machine *m, int sig, uint64_t act, uint64_t oact, uint64_t sigsetsize);
int64_t sys_rt_sigprocmask(struct machine *m, int how, uint64_t set, uint64_t oset, uint64_t sigsetsize);
int64_t sys_kill(struct machine *m, int pid, int sig);
int64_t sys_tgkill(struct machine *m, int tgid, int pid, int sig);
int64_t sys_sigaltstack(struct machine *m, uint64_t ss, uint64_t old_ss);

/* kernel/exit.c, kernel/fork.c, fs/exec.c */
int64_t sys_exit_group(struct machine *m, int code);
int64_t sys_wait4(struct machine *m, int pid, uint64_t stat_addr, int options, uint64_t ru);
int64_t sys_execve(struct machine *m, uint64_t filename, uint64_t argv, uint64_t envp);

#endif /* MMSIM_KERNEL_SYSCALLS_H */
