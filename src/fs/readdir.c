/* readdir.c — directories as a program reads them (fs/readdir.c's getdents64).
 *
 * A directory's entries are collected when it is opened (a snapshot, as a
 * reader of a changing directory may see either state) by whoever knows
 * them: /proc's table (fs/proc/file.c) or the machine's root, whose
 * directories are the paths of the files `install` put there and of its
 * symlinks, with /proc and /dev beside them (fs/file.c). getdents64 hands
 * them out as struct linux_dirent64 records from the file's position. */
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"

int dir_add(struct dir_listing *d, const char *name, size_t len, unsigned char type)
{
	if (len == 0 || len >= sizeof(d->names[0].name))
		return 0;
	for (size_t i = 0; i < d->nr; i++)
		if (!strncmp(d->names[i].name, name, len) && !d->names[i].name[len])
			return 0;
	if (d->nr >= DIR_ENTRIES_MAX)
		return -MMSIM_ENOMEM;
	if (d->nr == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 32;
		void *n = realloc(d->names, ncap * sizeof(*d->names));
		if (!n)
			return -MMSIM_ENOMEM;
		d->names = n;
		d->cap = ncap;
	}
	memcpy(d->names[d->nr].name, name, len);
	d->names[d->nr].name[len] = '\0';
	d->names[d->nr].type = type;
	d->nr++;
	return 0;
}

void dir_listing_free(struct dir_listing *d)
{
	free(d->names);
	d->names = NULL;
	d->nr = d->cap = 0;
}

static void dir_release(struct machine *m, struct file *f)
{
	(void)m;
	dir_listing_free(f->private_data);
	free(f->private_data);
}

static const struct file_operations dir_fops = { .release = dir_release };

struct file *dir_open(struct machine *m, struct dir_listing *d, unsigned int dev_minor, int *err)
{
	struct inode *inode = new_inode(m, d->path);

	if (inode) {
		inode->i_mode = S_IFDIR | 0555;
		inode->dev_minor = dev_minor;
		inode->i_fop = &dir_fops;
	}
	struct file *f = inode ? alloc_file(m, inode, FMODE_READ, err) : NULL;
	if (!f) {
		if (inode)
			iput(m, inode);
		else
			*err = -MMSIM_ENOMEM;
		dir_listing_free(d);
		free(d);
		return NULL;
	}
	f->private_data = d;
	return f;
}

bool dir_file(const struct file *f)
{
	return f->f_op == &dir_fops;
}

/*
 * struct linux_dirent64 records — d_ino, d_off (the next entry's index),
 * d_reclen (8-aligned), d_type, the name — from the file's position on, as
 * many as fit in @count bytes; -EINVAL if not even the first does.
 */
long dir_getdents(struct file *f, void *buf, size_t count)
{
	struct dir_listing *d = f->private_data;
	size_t used = 0;

	while (f->f_pos < d->nr) {
		const struct dir_name *e = &d->names[f->f_pos];
		size_t len = strlen(e->name);
		size_t reclen = (8 + 8 + 2 + 1 + len + 1 + 7) & ~(size_t)7;
		if (used + reclen > count)
			return used ? (long)used : -MMSIM_EINVAL;
		uint8_t *r = (uint8_t *)buf + used;
		uint64_t ino = 0x1000 + f->f_pos, off = f->f_pos + 1;
		uint16_t rl = (uint16_t)reclen;
		memset(r, 0, reclen);
		memcpy(r, &ino, 8);
		memcpy(r + 8, &off, 8);
		memcpy(r + 16, &rl, 2);
		r[18] = e->type;
		memcpy(r + 19, e->name, len);
		used += reclen;
		f->f_pos++;
	}
	return (long)used;
}
