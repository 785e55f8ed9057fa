/* file.c — a /proc file opened by a program (the seq_file side of procfs).
 *
 * The text is made by the same renderers `cat` uses, at the first read —
 * as seq_file renders when it is first read, not at open: busybox's cat
 * maps its buffer between the two, and /proc/self/maps shows it. Later
 * reads continue through that text; a read at position 0 after the end
 * renders afresh. "self" is resolved when the file is opened, so the file
 * keeps describing its opener. A write hands the bytes to the file's
 * write handler (oom_score_adj, comm, the vm sysctls). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/machine.h>

#include "fs/fs.h"
#include "fs/proc/internal.h"
#include "kernel/sched.h"

#define PROC_TEXT_MAX	(16u << 20)	/* the most one rendering may hold */

struct proc_text {
	char path[96];
	char *text;
	size_t len;
	bool rendered;
};

static int render(struct machine *m, struct proc_text *pt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		return -MMSIM_ENOMEM;
	int err = mmsim_proc_read(m, pt->path, out);
	fclose(out);
	if (err || len > PROC_TEXT_MAX) {
		free(buf);
		return err ? err : -MMSIM_EFBIG;
	}
	free(pt->text);
	pt->text = buf;
	pt->len = len;
	pt->rendered = true;
	return 0;
}

static long proc_read(struct machine *m, struct file *f, void *buf, size_t count, uint64_t *pos)
{
	struct proc_text *pt = f->private_data;

	if (!pt->rendered || (*pos == 0 && pt->len == 0)) {
		int err = render(m, pt);
		if (err)
			return err;
	}
	if (*pos >= pt->len)
		return 0;
	size_t n = pt->len - (size_t)*pos;
	if (n > count)
		n = count;
	memcpy(buf, pt->text + *pos, n);
	*pos += n;
	return (long)n;
}

static long proc_write(struct machine *m, struct file *f, const void *buf, size_t count,
		       uint64_t *pos)
{
	struct proc_text *pt = f->private_data;
	char value[256];

	(void)pos;
	if (count >= sizeof(value))
		return -MMSIM_EINVAL;
	memcpy(value, buf, count);
	value[count] = '\0';
	int err = mmsim_proc_write(m, pt->path, value);
	return err ? err : (long)count;
}

static void proc_release(struct machine *m, struct file *f)
{
	struct proc_text *pt = f->private_data;

	(void)m;
	free(pt->text);
	free(pt);
}

static const struct file_operations proc_fops = {
	.read = proc_read, .write = proc_write, .release = proc_release,
};

struct file *proc_file_open(struct machine *m, const char *path, unsigned int f_mode, int *err)
{
	struct proc_text *pt = calloc(1, sizeof(*pt));
	struct task_struct *t = get_current(m);

	if (!pt) {
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	if (!strncmp(path, "/proc/self/", 11) || !strcmp(path, "/proc/self"))
		snprintf(pt->path, sizeof(pt->path), "/proc/%d%s", t->tgid, path + 10);
	else if (strlen(path) < sizeof(pt->path))
		snprintf(pt->path, sizeof(pt->path), "%s", path);
	else
		*err = -MMSIM_ENOENT;
	/* It must exist now: render once and keep nothing. */
	if (pt->path[0] && (*err = render(m, pt)) == 0) {
		free(pt->text);
		pt->text = NULL;
		pt->len = 0;
		pt->rendered = false;
		struct inode *inode = new_inode(m, pt->path);
		if (inode) {
			inode->i_mode = S_IFREG | 0444;
			inode->dev_minor = 22;		/* proc's anonymous device */
			inode->i_fop = &proc_fops;
		}
		struct file *f = inode ? alloc_file(m, inode, f_mode, err) : NULL;
		if (f) {
			f->private_data = pt;
			return f;
		}
		if (inode)
			iput(m, inode);
		else
			*err = -MMSIM_ENOMEM;
	}
	free(pt->text);
	free(pt);
	return NULL;
}

/* ---- directories: /proc, /proc/PID, /proc/sys/vm ... ----------------------------------- */

/*
 * A directory of /proc lists the next component of every /proc path
 * under it (the same table `ls` in a scenario walks), each name once, in
 * the table's order; /proc itself has "self" and each process's number.
 * The entries are collected at open, as getdents reads a snapshot of its
 * own position.
 */
struct proc_dir {
	char path[96];
	struct dirent_name {
		char name[64];
		unsigned char type;
	} *names;
	size_t nr, cap;
};

#define DT_DIR	4
#define DT_REG	8
#define DT_LNK	10

static int dir_add(struct proc_dir *d, const char *name, size_t len, unsigned char type)
{
	if (len == 0 || len >= sizeof(d->names[0].name))
		return 0;
	for (size_t i = 0; i < d->nr; i++)
		if (!strncmp(d->names[i].name, name, len) && !d->names[i].name[len])
			return 0;
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

/* Collect @dir's children; -ENOENT when no /proc path lies under it. */
static int proc_dir_fill(struct machine *m, struct proc_dir *d)
{
	size_t dlen = strlen(d->path), pos = 0;
	const char *p;
	bool any = !strcmp(d->path, "/proc");
	int err = 0;

	if (any) {
		err = dir_add(d, "self", 4, DT_LNK);
		for (struct task_struct *t = NULL; !err && (t = next_task(m, t));) {
			char num[16];
			int n = snprintf(num, sizeof(num), "%d", t->pid);
			if (!t->exit_state || t->exit_state == EXIT_ZOMBIE)
				err = dir_add(d, num, (size_t)n, DT_DIR);
		}
	}
	while (!err && (p = mmsim_proc_path(m, &pos, NULL))) {
		if (strncmp(p, d->path, dlen) || p[dlen] != '/')
			continue;
		/* /proc/self/... and /proc/PID/... are listed as the directories above. */
		if (!strcmp(d->path, "/proc") && (!strncmp(p, "/proc/self/", 11) ||
						  (p[6] >= '0' && p[6] <= '9')))
			continue;
		any = true;
		const char *name = p + dlen + 1, *slash = strchr(name, '/');
		err = dir_add(d, name, slash ? (size_t)(slash - name) : strlen(name), slash ? DT_DIR : DT_REG);
	}
	return err ? err : any ? 0 : -MMSIM_ENOENT;
}

static void proc_dir_release(struct machine *m, struct file *f)
{
	struct proc_dir *d = f->private_data;

	(void)m;
	free(d->names);
	free(d);
}

static const struct file_operations proc_dir_fops = { .release = proc_dir_release };

bool proc_is_dir(struct machine *m, const char *path)
{
	struct proc_dir d = { .names = NULL };
	int n = snprintf(d.path, sizeof(d.path), "%s", path);

	if (n <= 0 || (size_t)n >= sizeof(d.path))
		return false;
	while (n > 1 && d.path[n - 1] == '/')
		d.path[--n] = '\0';
	int err = proc_dir_fill(m, &d);
	free(d.names);
	return err == 0;
}

struct file *proc_dir_open(struct machine *m, const char *path, int *err)
{
	struct proc_dir *d = calloc(1, sizeof(*d));
	struct task_struct *t = get_current(m);

	if (!d) {
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	int n;
	if (!strcmp(path, "/proc/self") || !strncmp(path, "/proc/self/", 11))
		n = snprintf(d->path, sizeof(d->path), "/proc/%d%s", t->tgid, path + 10);
	else
		n = snprintf(d->path, sizeof(d->path), "%s", path);
	while (n > 1 && d->path[n - 1] == '/')
		d->path[--n] = '\0';
	if (n <= 0 || (size_t)n >= sizeof(d->path) || (*err = proc_dir_fill(m, d))) {
		if (n <= 0 || (size_t)n >= sizeof(d->path))
			*err = -MMSIM_ENAMETOOLONG;
		free(d->names);
		free(d);
		return NULL;
	}
	struct inode *inode = new_inode(m, d->path);
	if (inode) {
		inode->i_mode = S_IFDIR | 0555;
		inode->dev_minor = 22;
		inode->i_fop = &proc_dir_fops;
	}
	struct file *f = inode ? alloc_file(m, inode, FMODE_READ, err) : NULL;
	if (!f) {
		if (inode)
			iput(m, inode);
		else
			*err = -MMSIM_ENOMEM;
		free(d->names);
		free(d);
		return NULL;
	}
	f->private_data = d;
	return f;
}

/*
 * getdents64(): struct linux_dirent64 records — d_ino, d_off (the next
 * entry's index), d_reclen (8-aligned), d_type, the name — from the
 * file's position on, as many as fit in @count bytes.
 */
long proc_dir_getdents(struct machine *m, struct file *f, void *buf, size_t count)
{
	struct proc_dir *d = f->private_data;
	size_t used = 0;

	(void)m;
	while (f->f_pos < d->nr) {
		const struct dirent_name *e = &d->names[f->f_pos];
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

bool proc_dir_file(const struct file *f)
{
	return f->f_op == &proc_dir_fops;
}
