/* open.c — opening and closing files, and what a descriptor table does
 * (fs/open.c, fs/fcntl.c, fs/file.c's dup, fs/ioctl.c, fs/d_path.c's getcwd).
 *
 * A program's path names one of: a /proc file (fs/proc/file.c), /dev/null
 * or /dev/zero (drivers/char/mem.c), a file installed in the machine's
 * tmpfs root, or any other file of the host, read-only. The working
 * directory is the root and stays there: there are no directories to
 * enter. Writing is for /proc files and devices only: opening another
 * file for writing, or creating one, is -EROFS, as on a read-only mount. */
#include <stdlib.h>
#include <string.h>

#include "arch/x86/fault.h"
#include "drivers/drivers.h"
#include "fs/fs.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "mm.h"

#define O_CREAT		00000100
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_DIRECTORY	00200000
#define O_CLOEXEC	02000000
#define O_PATH		010000000

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

#define TCGETS		0x5401
#define TIOCGWINSZ	0x5413
#define FIONREAD	0x541b

#define PATH_MAX_USER	4096

/* getname(): the path from user memory: -EFAULT, -ENAMETOOLONG, -ENOENT for "". */
int getname(struct machine *m, uint64_t upath, char *buf, size_t size)
{
	long n = strncpy_from_user(m, buf, upath, (long)size);

	if (n < 0)
		return -MMSIM_EFAULT;
	if ((size_t)n >= size)
		return -MMSIM_ENAMETOOLONG;
	if (n == 0)
		return -MMSIM_ENOENT;
	return 0;
}

int resolve_at(struct machine *m, int dfd, const char *name, char *out, size_t size)
{
	if (name[0] != '/' && dfd != AT_FDCWD) {
		struct file *d = fget(get_current(m)->files, dfd);
		return d ? -MMSIM_ENOTDIR : -MMSIM_EBADF;
	}
	int n = snprintf(out, size, "%s%s", name[0] == '/' ? "" : "/", name);
	return n < 0 || (size_t)n >= size ? -MMSIM_ENAMETOOLONG : 0;
}

/* do_filp_open(): the struct file for @path opened with @flags. */
struct file *do_filp_open(struct machine *m, const char *path, int flags, int *err)
{
	unsigned int f_mode;

	if ((*err = open_fmode(flags, &f_mode)))
		return NULL;
	struct file *f;
	if (!strcmp(path, "/proc") || (!strncmp(path, "/proc/", 6) && proc_is_dir(m, path))) {
		if (f_mode & FMODE_WRITE) {
			*err = -MMSIM_EISDIR;
			return NULL;
		}
		return proc_dir_open(m, path, err);
	} else if (!strncmp(path, "/proc/", 6) || !strncmp(path, "/sys/", 5)) {
		f = proc_file_open(m, path, f_mode, err);
	} else if (fs_is_dir(m, path)) {
		if (f_mode & FMODE_WRITE) {
			*err = -MMSIM_EISDIR;
			return NULL;
		}
		return fs_dir_open(m, path, err);
	} else if (!strcmp(path, "/dev/console") || !strcmp(path, "/dev/tty")) {
		f = console_open(m, (f_mode & FMODE_WRITE) ? 1 : 0, f_mode, err);
	} else if (!strncmp(path, "/dev/", 5)) {
		f = mem_dev_open(m, path, f_mode, err);
	} else {
		f = filp_open(m, path, O_RDONLY, err);
		if (f && ((f_mode & FMODE_WRITE) || (flags & O_TRUNC))) {
			fput(m, f);
			*err = -MMSIM_EROFS;
			return NULL;
		}
		if (!f && *err == -MMSIM_ENOENT && (flags & O_CREAT))
			*err = -MMSIM_EROFS;
	}
	if (f && (flags & O_DIRECTORY)) {
		fput(m, f);
		*err = -MMSIM_ENOTDIR;
		return NULL;
	}
	if (f)
		f->f_flags = (unsigned int)flags & (O_APPEND | O_NONBLOCK | O_ACCMODE);
	return f;
}

/* A new descriptor for @f (consumed either way): the fd or -errno. */
static int64_t install_fd(struct machine *m, struct file *f, bool cloexec, unsigned int from)
{
	struct task_struct *t = get_current(m);
	uint64_t limit = rlimit(t, RLIMIT_NOFILE);

	if (from >= limit) {
		fput(m, f);
		return -MMSIM_EINVAL;
	}
	int fd = fd_alloc_from(m, t->files, from);
	if (fd >= 0 && (uint64_t)fd >= limit)
		fd = -MMSIM_EMFILE;
	if (fd < 0) {
		fput(m, f);
		return fd;
	}
	t->files->fd[fd] = f;
	t->files->cloexec[fd] = cloexec;
	return fd;
}

int64_t sys_openat(struct machine *m, int dfd, uint64_t upath, int flags, unsigned int mode)
{
	char name[PATH_MAX_USER], path[PATH_MAX_USER + 1];
	int err;

	(void)mode;
	if ((err = getname(m, upath, name, sizeof(name))) ||
	    (err = resolve_at(m, dfd, name, path, sizeof(path))))
		return err;
	struct file *f = do_filp_open(m, path, flags & ~O_PATH, &err);
	if (!f)
		return err;
	return install_fd(m, f, flags & O_CLOEXEC, 0);
}

int64_t sys_close(struct machine *m, int fd)
{
	return close_fd(m, get_current(m)->files, fd);
}

/* access(): the file must exist; what it allows is not checked past that (root). */
int64_t sys_faccessat(struct machine *m, int dfd, uint64_t upath, int mode)
{
	char name[PATH_MAX_USER], path[PATH_MAX_USER + 1];
	int err;

	if (mode & ~7)
		return -MMSIM_EINVAL;
	if ((err = getname(m, upath, name, sizeof(name))) ||
	    (err = resolve_at(m, dfd, name, path, sizeof(path))))
		return err;
	struct file *f = do_filp_open(m, path, O_RDONLY, &err);
	if (!f)
		return err;
	bool writable = f->f_op && f->f_op->write;
	bool exec_ok = (f->f_inode->i_mode & 0111) != 0;
	fput(m, f);
	if ((mode & 2) && !writable)
		return -MMSIM_EROFS;
	if ((mode & 1) && !exec_ok)
		return -MMSIM_EACCES;
	return 0;
}

int64_t sys_dup(struct machine *m, int fd)
{
	struct file *f = fget(get_current(m)->files, fd);

	return f ? install_fd(m, get_file(f), false, 0) : -MMSIM_EBADF;
}

int64_t sys_dup3(struct machine *m, int oldfd, int newfd, int flags)
{
	struct task_struct *t = get_current(m);
	struct file *f = fget(t->files, oldfd);

	if (flags & ~O_CLOEXEC)
		return -MMSIM_EINVAL;
	if (oldfd == newfd)
		return -MMSIM_EINVAL;
	if (!f)
		return -MMSIM_EBADF;
	if (newfd < 0 || (uint64_t)newfd >= rlimit(t, RLIMIT_NOFILE))
		return -MMSIM_EBADF;
	if ((unsigned int)newfd >= t->files->max_fds) {
		int at = fd_alloc_from(m, t->files, (unsigned int)newfd);	/* grows the table */
		if (at < 0)
			return at;
	}
	fd_install_at(m, t->files, newfd, get_file(f));
	t->files->cloexec[newfd] = (flags & O_CLOEXEC) != 0;
	return newfd;
}

int64_t sys_dup2(struct machine *m, int oldfd, int newfd)
{
	if (oldfd == newfd)
		return fget(get_current(m)->files, oldfd) ? newfd : -MMSIM_EBADF;
	return sys_dup3(m, oldfd, newfd, 0);
}

int64_t sys_fcntl(struct machine *m, int fd, unsigned int cmd, uint64_t arg)
{
	struct task_struct *t = get_current(m);
	struct file *f = fget(t->files, fd);

	if (!f)
		return -MMSIM_EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg > NR_OPEN_MAX)
			return -MMSIM_EINVAL;
		return install_fd(m, get_file(f), cmd == F_DUPFD_CLOEXEC, (unsigned int)arg);
	case F_GETFD:
		return t->files->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		t->files->cloexec[fd] = (arg & FD_CLOEXEC) != 0;
		return 0;
	case F_GETFL:
		return f->f_flags;
	case F_SETFL:
		f->f_flags = (f->f_flags & ~(O_APPEND | O_NONBLOCK)) | ((unsigned int)arg & (O_APPEND | O_NONBLOCK));
		return 0;
	default:
		return -MMSIM_EINVAL;
	}
}

/* No file here is a terminal or answers a device request. */
int64_t sys_ioctl(struct machine *m, int fd, unsigned int cmd, uint64_t arg)
{
	struct file *f = fget(get_current(m)->files, fd);

	(void)arg;
	if (!f)
		return -MMSIM_EBADF;
	if (cmd == FIONREAD && f->f_inode && (f->f_inode->i_mode & S_IFMT) == S_IFREG &&
	    f->f_op->read == kernel_read) {
		int avail = f->f_pos < f->f_inode->i_size ? (int)(f->f_inode->i_size - f->f_pos) : 0;
		return put_user(m, &avail, arg, 4) ? -MMSIM_EFAULT : 0;
	}
	return -MMSIM_ENOTTY;
}

int64_t sys_getcwd(struct machine *m, uint64_t buf, uint64_t size)
{
	if (size < 2)
		return -MMSIM_ERANGE;
	return copy_to_user(m, buf, "/", 2) ? -MMSIM_EFAULT : 2;
}

int64_t sys_chdir(struct machine *m, uint64_t upath)
{
	char name[PATH_MAX_USER];
	int err = getname(m, upath, name, sizeof(name));

	if (err)
		return err;
	return strcmp(name, "/") ? -MMSIM_ENOENT : 0;
}

int64_t sys_umask(struct machine *m, unsigned int mask)
{
	struct task_struct *t = get_current(m);
	unsigned int old = t->umask;

	t->umask = mask & 0777;
	return old;
}

/* getdents64(): a directory's entries (/proc's, and the root's). */
int64_t sys_getdents64(struct machine *m, int fd, uint64_t dirent, uint64_t count)
{
	struct file *f = fget(get_current(m)->files, fd);

	if (!f)
		return -MMSIM_EBADF;
	if (!dir_file(f))
		return -MMSIM_ENOTDIR;
	if (count > 65536)
		count = 65536;
	char *kbuf = malloc(count ? count : 1);
	if (!kbuf)
		return -MMSIM_ENOMEM;
	long n = dir_getdents(f, kbuf, (size_t)count);
	if (n > 0 && copy_to_user(m, dirent, kbuf, (size_t)n))
		n = -MMSIM_EFAULT;
	free(kbuf);
	return n;
}
