/* stat.c — stat(2) and readlink(2) (fs/stat.c), with x86_64's struct stat.
 *
 * What a file says of itself: its device (as /proc/PID/maps prints it),
 * inode number, mode, size and, for a device, which device it is. Times
 * are 0 — the oracle's initramfs files have mtime 0 too — and the owner
 * is root. There are no directories yet: stat of "/" or "/proc/self" is
 * -ENOENT. */
#include <string.h>

#include "arch/x86/fault.h"
#include "fs/fs.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "mm.h"

#define PATH_MAX_USER	4096

/* new_encode_dev(): the 32-bit dev_t user space sees. */
static uint64_t encode_dev(unsigned int major, unsigned int minor)
{
	return (minor & 0xff) | (major << 8) | ((uint64_t)(minor & ~0xffu) << 12);
}

/*
 * cp_new_stat64(): i386's struct stat64, 96 bytes, 4-byte aligned: dev
 * (8), pad, the low 32 bits of the inode, mode, nlink, uid, gid, rdev (8),
 * pad, size (8), blksize, blocks (8), three times with their nanoseconds,
 * the whole inode number (8).
 */
static int cp_new_stat64(struct machine *m, const struct inode *inode, uint64_t ubuf)
{
	uint8_t st[96] = { 0 };
	uint64_t v;
	uint32_t w;

	v = encode_dev(inode->dev_major, inode->dev_minor);
	memcpy(st + 0, &v, 8);
	w = (uint32_t)inode->i_ino;
	memcpy(st + 12, &w, 4);
	w = inode->i_mode;
	memcpy(st + 16, &w, 4);
	w = 1;
	memcpy(st + 20, &w, 4);			/* st_nlink */
	v = encode_dev(inode->rdev_major, inode->rdev_minor);
	memcpy(st + 32, &v, 8);
	v = inode->i_size;
	memcpy(st + 44, &v, 8);
	w = PAGE_SIZE;
	memcpy(st + 52, &w, 4);			/* st_blksize */
	v = (inode->i_size + 511) / 512;
	memcpy(st + 56, &v, 8);			/* st_blocks */
	v = inode->i_ino;
	memcpy(st + 88, &v, 8);
	return copy_to_user(m, ubuf, st, sizeof(st)) ? -MMSIM_EFAULT : 0;
}

/* cp_new_stat(): x86_64's struct stat, 144 bytes (i386: stat64, the only one its calls use here). */
static int cp_new_stat(struct machine *m, const struct inode *inode, uint64_t ubuf)
{
	uint8_t st[144] = { 0 };
	uint64_t v;
	uint32_t w;

	if (m->is_32bit)
		return cp_new_stat64(m, inode, ubuf);
	v = encode_dev(inode->dev_major, inode->dev_minor);
	memcpy(st + 0, &v, 8);
	v = inode->i_ino;
	memcpy(st + 8, &v, 8);
	v = 1;
	memcpy(st + 16, &v, 8);			/* st_nlink */
	w = inode->i_mode;
	memcpy(st + 24, &w, 4);
	v = encode_dev(inode->rdev_major, inode->rdev_minor);
	memcpy(st + 40, &v, 8);
	v = inode->i_size;
	memcpy(st + 48, &v, 8);
	v = PAGE_SIZE;
	memcpy(st + 56, &v, 8);			/* st_blksize */
	v = (inode->i_size + 511) / 512;
	memcpy(st + 64, &v, 8);			/* st_blocks */
	return copy_to_user(m, ubuf, st, sizeof(st)) ? -MMSIM_EFAULT : 0;
}

int64_t sys_fstat(struct machine *m, int fd, uint64_t statbuf)
{
	struct file *f = fget(get_current(m)->files, fd);

	return f ? cp_new_stat(m, f->f_inode, statbuf) : -MMSIM_EBADF;
}

int64_t sys_newfstatat(struct machine *m, int dfd, uint64_t upath, uint64_t statbuf, int flag)
{
	char name[PATH_MAX_USER], path[PATH_MAX_USER + 1];
	int err;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */))
		return -MMSIM_EINVAL;
	err = getname(m, upath, name, sizeof(name));
	if (err == -MMSIM_ENOENT && (flag & AT_EMPTY_PATH))
		return sys_fstat(m, dfd, statbuf);
	if (err || (err = resolve_at(m, dfd, name, path, sizeof(path))))
		return err;
	/* lstat of a symlink of the root: the link itself. */
	char target[PATH_MAX_USER];
	int tlen;
	if ((flag & AT_SYMLINK_NOFOLLOW) && (tlen = fs_readlink(m, path, target, sizeof(target))) >= 0) {
		struct inode link = { .i_mode = S_IFLNK | 0777, .i_size = (uint64_t)tlen, .dev_minor = 2,
				      .i_ino = 1 };
		return cp_new_stat(m, &link, statbuf);
	}
	struct file *f = do_filp_open(m, path, 0, &err);
	if (!f)
		return err;
	err = cp_new_stat(m, f->f_inode, statbuf);
	fput(m, f);
	return err;
}

/* readlink(): a symlink of the root, or /proc/PID/exe (the program's file). */
int64_t sys_readlinkat(struct machine *m, int dfd, uint64_t upath, uint64_t ubuf, int bufsiz)
{
	char name[PATH_MAX_USER], path[PATH_MAX_USER + 1], target[PATH_MAX_USER];
	int err, n;

	if (bufsiz <= 0)
		return -MMSIM_EINVAL;
	if ((err = getname(m, upath, name, sizeof(name))) ||
	    (err = resolve_at(m, dfd, name, path, sizeof(path))))
		return err;
	struct inode *exe = proc_exe_inode(m, path);
	if (exe) {
		n = snprintf(target, sizeof(target), "%s", exe->path);
	} else {
		/* a root symlink; -ENOENT for /proc/PID/exe of no process, as for any /proc path */
		n = fs_readlink(m, path, target, sizeof(target));
		if (n < 0)
			return n;
	}
	if (n > bufsiz)
		n = bufsiz;
	return copy_to_user(m, ubuf, target, (size_t)n) ? -MMSIM_EFAULT : n;
}
