/* mem.c — /dev/null and /dev/zero (drivers/char/mem.c): character devices
 * a program opens by name. Reads of /dev/null end at once, writes vanish;
 * /dev/zero reads as zeroes. Mapping /dev/zero (mmap_zero(), anonymous
 * memory under the file's name) is not built yet: mmap refuses it. */
#include <string.h>

#include "drivers/drivers.h"
#include "fs/fs.h"

static long null_read(struct machine *m, struct file *f, void *buf, size_t count, uint64_t *pos)
{
	(void)m, (void)f, (void)buf, (void)count, (void)pos;
	return 0;
}

static long null_write(struct machine *m, struct file *f, const void *buf, size_t count,
		       uint64_t *pos)
{
	(void)m, (void)f, (void)buf, (void)pos;
	return (long)count;
}

static long zero_read(struct machine *m, struct file *f, void *buf, size_t count, uint64_t *pos)
{
	(void)m, (void)f, (void)pos;
	memset(buf, 0, count);
	return (long)count;
}

static const struct file_operations null_fops = { .read = null_read, .write = null_write };
static const struct file_operations zero_fops = { .read = zero_read, .write = null_write };

/* The devices of /dev: their minor numbers on major 1 (mem). */
static const struct {
	const char *path;
	unsigned int minor;
	const struct file_operations *fops;
} mem_devs[] = {
	{ "/dev/null", 3, &null_fops },
	{ "/dev/zero", 5, &zero_fops },
};

struct file *mem_dev_open(struct machine *m, const char *path, unsigned int f_mode, int *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(mem_devs); i++) {
		if (strcmp(path, mem_devs[i].path))
			continue;
		struct inode *inode = new_inode(m, path);
		if (!inode) {
			*err = -MMSIM_ENOMEM;
			return NULL;
		}
		inode->i_mode = S_IFCHR | 0666;
		inode->dev_major = 0;	/* devtmpfs's: maps prints 00:05 (the devtmpfs mount) */
		inode->dev_minor = 5;
		inode->i_fop = mem_devs[i].fops;
		inode->rdev_major = 1;
		inode->rdev_minor = mem_devs[i].minor;
		struct file *f = alloc_file(m, inode, f_mode, err);
		if (!f)
			iput(m, inode);
		return f;
	}
	*err = -MMSIM_ENOENT;
	return NULL;
}
