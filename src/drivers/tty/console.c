/* console.c — the terminal a run program starts with: its descriptors 0,
 * 1 and 2 are /dev/console, the machine's serial console, whose input and
 * output are the host's stdin, stdout and stderr. It is a stream (no
 * position: lseek is -ESPIPE). Its terminal ioctls are not modelled: TCGETS
 * is -ENOTTY, so programs treat it as they treat a pipe. */
#include <stdint.h>

#include "drivers/drivers.h"

static int host_fd_of(const struct file *f)
{
	return (int)(intptr_t)f->private_data;
}

/* Input is the host's standard input whichever descriptor the program reads it from. */
static long console_read(struct machine *m, struct file *f, void *buf, size_t count, uint64_t *pos)
{
	(void)m, (void)pos, (void)f;
	return host_read(0, buf, count);
}

static long console_write(struct machine *m, struct file *f, const void *buf, size_t count,
			  uint64_t *pos)
{
	(void)m, (void)pos;
	return host_write(host_fd_of(f), buf, count);
}

static const struct file_operations console_fops = {
	.read = console_read, .write = console_write, .stream = true,
};

struct file *console_open(struct machine *m, int host_fd, unsigned int f_mode, int *err)
{
	struct inode *inode = new_inode(m, "/dev/console");

	if (!inode) {
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	inode->i_mode = S_IFCHR | 0600;
	inode->dev_minor = 5;		/* on devtmpfs */
	inode->rdev_major = 5;		/* TTYAUX_MAJOR, minor 1: /dev/console */
	inode->rdev_minor = 1;
	inode->i_fop = &console_fops;
	struct file *f = alloc_file(m, inode, f_mode, err);
	if (!f) {
		iput(m, inode);
		return NULL;
	}
	f->private_data = (void *)(intptr_t)host_fd;
	return f;
}
