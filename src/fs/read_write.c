/* read_write.c — read(2), write(2) and their relatives (fs/read_write.c).
 *
 * The bytes go through a kernel buffer of at most 64 KiB at a time, then
 * copy_to_user / copy_from_user through the process's page tables: a
 * buffer the program has not touched yet is faulted in as the kernel's
 * own uaccess faults it in, and an address it may not use is -EFAULT
 * (after whatever was already moved, as the kernel counts it). */
#include <stdlib.h>
#include <string.h>

#include "arch/x86/fault.h"
#include "fs/fs.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"

#define RW_CHUNK	(64u * 1024)
#define UIO_MAXIOV	1024

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

static struct file *fdget(struct machine *m, int fd)
{
	return fget(get_current(m)->files, fd);
}

/*
 * What read and write check first (rw_verify_area and the f_mode test):
 * the file is open for @mode and can do it, *count is clipped to
 * MAX_RW_COUNT and the user range is in user space. Then the kernel
 * buffer the bytes pass through (one chunk). 0 or -errno.
 */
static int rw_begin(struct machine *m, struct file *f, unsigned int mode, bool can, uint64_t buf,
		    uint64_t *count, char **kbuf)
{
	if (!(f->f_mode & mode))
		return -MMSIM_EBADF;
	if (!f->f_op || !can)
		return -MMSIM_EINVAL;
	if (*count > MAX_RW_COUNT)
		*count = MAX_RW_COUNT;
	if (!access_ok(m, buf, *count))
		return -MMSIM_EFAULT;
	*kbuf = malloc(*count < RW_CHUNK ? (*count ? *count : 1) : RW_CHUNK);
	return *kbuf ? 0 : -MMSIM_ENOMEM;
}

/* vfs_read(): into user memory at @buf from @f at *pos. */
static int64_t vfs_read(struct machine *m, struct file *f, uint64_t buf, uint64_t count, uint64_t *pos)
{
	char *kbuf;
	int err = rw_begin(m, f, FMODE_READ, f->f_op && f->f_op->read, buf, &count, &kbuf);

	if (err)
		return err;
	uint64_t done = 0;
	int64_t ret = 0;
	while (done < count) {
		size_t n = count - done < RW_CHUNK ? (size_t)(count - done) : RW_CHUNK;
		long got = f->f_op->read(m, f, kbuf, n, pos);
		if (got < 0) {
			ret = got;
			break;
		}
		size_t left = copy_to_user(m, buf + done, kbuf, (size_t)got);
		done += (size_t)got - left;
		if (left) {
			ret = -MMSIM_EFAULT;
			break;
		}
		/* A stream hands over what it has; a file stops at its end. */
		if ((size_t)got < n || f->f_op->stream)
			break;
	}
	free(kbuf);
	return done ? (int64_t)done : ret;
}

/* vfs_write(): from user memory at @buf to @f at *pos. */
static int64_t vfs_write(struct machine *m, struct file *f, uint64_t buf, uint64_t count,
			 uint64_t *pos)
{
	char *kbuf;
	int err = rw_begin(m, f, FMODE_WRITE, f->f_op && f->f_op->write, buf, &count, &kbuf);

	if (err)
		return err;
	uint64_t done = 0;
	int64_t ret = 0;
	while (done < count) {
		size_t n = count - done < RW_CHUNK ? (size_t)(count - done) : RW_CHUNK;
		size_t left = copy_from_user(m, kbuf, buf + done, n);
		if (left == n) {
			ret = -MMSIM_EFAULT;
			break;
		}
		long put = f->f_op->write(m, f, kbuf, n - left, pos);
		if (put < 0) {
			ret = put;
			break;
		}
		done += (uint64_t)put;
		if ((size_t)put < n - left)
			break;
		if (left) {
			ret = -MMSIM_EFAULT;
			break;
		}
	}
	free(kbuf);
	return done ? (int64_t)done : ret;
}

int64_t sys_read(struct machine *m, int fd, uint64_t buf, uint64_t count)
{
	struct file *f = fdget(m, fd);

	return f ? vfs_read(m, f, buf, count, &f->f_pos) : -MMSIM_EBADF;
}

int64_t sys_write(struct machine *m, int fd, uint64_t buf, uint64_t count)
{
	struct file *f = fdget(m, fd);

	return f ? vfs_write(m, f, buf, count, &f->f_pos) : -MMSIM_EBADF;
}

/* pread and pwrite's file: open, @pos not negative, and a file with positions (not a stream). */
static int positioned_file(struct machine *m, int fd, int64_t pos, struct file **f)
{
	if (!(*f = fdget(m, fd)))
		return -MMSIM_EBADF;
	if (pos < 0)
		return -MMSIM_EINVAL;
	return (*f)->f_op && (*f)->f_op->stream ? -MMSIM_ESPIPE : 0;
}

int64_t sys_pread64(struct machine *m, int fd, uint64_t buf, uint64_t count, int64_t pos)
{
	struct file *f;
	uint64_t p = (uint64_t)pos;
	int err = positioned_file(m, fd, pos, &f);

	return err ? err : vfs_read(m, f, buf, count, &p);
}

int64_t sys_pwrite64(struct machine *m, int fd, uint64_t buf, uint64_t count, int64_t pos)
{
	struct file *f;
	uint64_t p = (uint64_t)pos;
	int err = positioned_file(m, fd, pos, &f);

	return err ? err : vfs_write(m, f, buf, count, &p);
}

/* Entry @i of a struct iovec array as the architecture lays it out (two longs). */
static void iov_entry(const uint8_t *raw, uint64_t i, bool is64, uint64_t *base, uint64_t *len)
{
	if (is64) {
		memcpy(base, raw + i * 16, 8);
		memcpy(len, raw + i * 16 + 8, 8);
	} else {
		uint32_t b, l;
		memcpy(&b, raw + i * 8, 4);
		memcpy(&l, raw + i * 8 + 4, 4);
		*base = b;
		*len = l;
	}
}

/* readv/writev: the iovec array is read whole first (at most UIO_MAXIOV entries). */
static int64_t do_iov(struct machine *m, int fd, uint64_t uiov, uint64_t nr, bool write)
{
	struct file *f = fdget(m, fd);
	bool is64 = !m->is_32bit;
	size_t esize = is64 ? 16 : 8;

	if (!f)
		return -MMSIM_EBADF;
	if (nr > UIO_MAXIOV)
		return -MMSIM_EINVAL;
	if (nr == 0)
		return 0;
	uint8_t *raw = malloc(nr * esize);
	if (!raw)
		return -MMSIM_ENOMEM;
	if (copy_from_user(m, raw, uiov, nr * esize)) {
		free(raw);
		return -MMSIM_EFAULT;
	}
	int64_t total = 0, ret = 0;
	uint64_t sum = 0;
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t base, len;
		iov_entry(raw, i, is64, &base, &len);
		/*
		 * A negative length (as ssize_t: i386's is 32 bits, so a length
		 * of 2 GiB or more counts), or a sum past ssize_t: -EINVAL
		 * before anything moves.
		 */
		bool negative = is64 ? (int64_t)len < 0 : (int32_t)(uint32_t)len < 0;
		if (negative || (sum += len) > (uint64_t)INT64_MAX) {
			free(raw);
			return -MMSIM_EINVAL;
		}
	}
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t base, len;
		iov_entry(raw, i, is64, &base, &len);
		if (!len)
			continue;
		int64_t n = write ? vfs_write(m, f, base, len, &f->f_pos) : vfs_read(m, f, base, len, &f->f_pos);
		if (n < 0) {
			ret = n;
			break;
		}
		total += n;
		if ((uint64_t)n < len)
			break;
	}
	free(raw);
	return total ? total : ret;
}

int64_t sys_readv(struct machine *m, int fd, uint64_t iov, uint64_t iovcnt)
{
	return do_iov(m, fd, iov, iovcnt, false);
}

int64_t sys_writev(struct machine *m, int fd, uint64_t iov, uint64_t iovcnt)
{
	return do_iov(m, fd, iov, iovcnt, true);
}

int64_t sys_lseek(struct machine *m, int fd, int64_t offset, unsigned int whence)
{
	struct file *f = fdget(m, fd);

	if (!f)
		return -MMSIM_EBADF;
	if (f->f_op && f->f_op->stream)
		return -MMSIM_ESPIPE;
	int64_t base;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->f_pos; break;
	case SEEK_END: base = (int64_t)f->f_inode->i_size; break;
	default: return -MMSIM_EINVAL;
	}
	if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
		return -MMSIM_EINVAL;
	f->f_pos = (uint64_t)(base + offset);
	return (int64_t)f->f_pos;
}

/*
 * sendfile(): do_splice_direct() needs the input to splice (a file with a
 * page cache: not /proc's seq_files, nor a stream) and the output to take
 * a splice (not a terminal): otherwise -EINVAL, which programs answer by
 * falling back to read and write.
 */
int64_t sys_sendfile(struct machine *m, int out_fd, int in_fd, uint64_t offset_ptr, uint64_t count)
{
	struct file *in = fdget(m, in_fd), *out = fdget(m, out_fd);

	if (!in || !out || !(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		return -MMSIM_EBADF;
	if (in->f_op->read != kernel_read || !out->f_op->write || out->f_op->stream)
		return -MMSIM_EINVAL;
	uint64_t pos = in->f_pos;
	if (offset_ptr && get_user(m, &pos, offset_ptr, 8))
		return -MMSIM_EFAULT;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	char *kbuf = malloc(RW_CHUNK);
	if (!kbuf)
		return -MMSIM_ENOMEM;
	uint64_t done = 0;
	int64_t ret = 0;
	while (done < count) {
		size_t n = count - done < RW_CHUNK ? (size_t)(count - done) : RW_CHUNK;
		long got = kernel_read(m, in, kbuf, n, &pos);
		if (got <= 0) {
			ret = got;
			break;
		}
		long put = out->f_op->write(m, out, kbuf, (size_t)got, &out->f_pos);
		if (put < 0) {
			ret = put;
			break;
		}
		done += (uint64_t)put;
		if (put < got)
			break;
	}
	free(kbuf);
	if (offset_ptr)
		put_user(m, &pos, offset_ptr, 8);
	else
		in->f_pos = pos;
	return done ? (int64_t)done : ret;
}
