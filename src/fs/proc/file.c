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
#include <mmsim/process.h>

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

/* ---- /proc/PID/pagemap: a 64-bit word a page, read at an offset (pagemap_read) -------- */

#define PAGEMAP_CHUNK 512	/* entries gathered at a time */

struct pagemap_file {
	int pid;
	bool show_pfn;		/* the opener has CAP_SYS_ADMIN: frames and swap slots shown */
};

static long pagemap_read(struct machine *m, struct file *f, void *buf, size_t count,
			 uint64_t *pos)
{
	struct pagemap_file *pf = f->private_data;
	struct task_struct *t = find_task_by_pid(m, pf->pid);
	uint64_t entries[PAGEMAP_CHUNK];
	size_t copied = 0;

	/* Whole entries only, from an entry's start. */
	if (*pos % sizeof(uint64_t) || count % sizeof(uint64_t))
		return -MMSIM_EINVAL;
	if (!t || !t->mm)
		return 0;
	uint64_t vpfn = *pos / sizeof(uint64_t), end = t->mm->task_size >> PAGE_SHIFT;
	while (copied < count && vpfn < end) {
		size_t n = (count - copied) / sizeof(uint64_t);
		if (n > PAGEMAP_CHUNK)
			n = PAGEMAP_CHUNK;
		if (n > end - vpfn)
			n = (size_t)(end - vpfn);
		int err = mmsim_pagemap_read(m, pf->pid, vpfn << PAGE_SHIFT, n, entries);
		if (err)
			return copied ? (long)copied : err;
		for (size_t i = 0; i < n && !pf->show_pfn; i++)
			entries[i] &= ~MMSIM_PM_PFRAME_MASK;
		memcpy((char *)buf + copied, entries, n * sizeof(uint64_t));
		copied += n * sizeof(uint64_t);
		vpfn += n;
	}
	*pos += copied;
	return (long)copied;
}

static void pagemap_release(struct machine *m, struct file *f)
{
	(void)m;
	free(f->private_data);
}

static const struct file_operations pagemap_fops = {
	.read = pagemap_read, .release = pagemap_release,
};

/* "/proc/PID/pagemap" (self resolved): the pid, or 0. */
static int pagemap_pid(const char *path)
{
	int pid, used = 0;

	return sscanf(path, "/proc/%d/pagemap%n", &pid, &used) == 1 && !path[used] ? pid : 0;
}

#define CAP_SYS_ADMIN 21

static struct file *pagemap_open(struct machine *m, int pid, unsigned int f_mode, int *err)
{
	struct pagemap_file *pf = calloc(1, sizeof(*pf));
	struct inode *inode = pf ? new_inode(m, "pagemap") : NULL;

	if (!inode) {
		free(pf);
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	if (f_mode & FMODE_WRITE) {
		iput(m, inode);
		free(pf);
		*err = -MMSIM_EACCES;
		return NULL;
	}
	pf->pid = pid;
	pf->show_pfn = capable(get_current(m), CAP_SYS_ADMIN);
	inode->i_mode = S_IFREG | 0400;
	inode->dev_minor = 22;
	inode->i_fop = &pagemap_fops;
	struct file *f = alloc_file(m, inode, f_mode, err);
	if (!f) {
		iput(m, inode);
		free(pf);
		return NULL;
	}
	f->private_data = pf;
	return f;
}

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
	int pid = pagemap_pid(pt->path);
	if (pid && find_task_by_pid(m, pid)) {
		free(pt);
		return pagemap_open(m, pid, f_mode, err);
	}
	/*
	 * It must exist now: render once and keep nothing. A write-only file
	 * (mode 0200: drop_caches, compact_memory) cannot be rendered, and
	 * may be opened only for writing.
	 */
	bool write_only = false;
	if (pt->path[0]) {
		*err = render(m, pt);
		write_only = *err == -MMSIM_EACCES && !(f_mode & FMODE_READ);
		if (write_only)
			*err = 0;
	}
	if (pt->path[0] && *err == 0) {
		free(pt->text);
		pt->text = NULL;
		pt->len = 0;
		pt->rendered = false;
		struct inode *inode = new_inode(m, pt->path);
		if (inode) {
			inode->i_mode = S_IFREG | (write_only ? 0200 : 0444);
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
 */
static int proc_dir_fill(struct machine *m, struct dir_listing *d)
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

/* The directory @path of /proc ("self" resolved to the opener), or -ENOENT: *d filled. */
static int proc_dir_listing(struct machine *m, const char *path, struct dir_listing *d)
{
	struct task_struct *t = get_current(m);
	int n;

	if (!strcmp(path, "/proc/self") || !strncmp(path, "/proc/self/", 11))
		n = snprintf(d->path, sizeof(d->path), "/proc/%d%s", t->tgid, path + 10);
	else
		n = snprintf(d->path, sizeof(d->path), "%s", path);
	if (n <= 0 || (size_t)n >= sizeof(d->path))
		return -MMSIM_ENAMETOOLONG;
	while (n > 1 && d->path[n - 1] == '/')
		d->path[--n] = '\0';
	return proc_dir_fill(m, d);
}

bool proc_is_dir(struct machine *m, const char *path)
{
	struct dir_listing d = { .names = NULL };
	int err = proc_dir_listing(m, path, &d);

	dir_listing_free(&d);
	return err == 0;
}

struct file *proc_dir_open(struct machine *m, const char *path, int *err)
{
	struct dir_listing *d = calloc(1, sizeof(*d));

	if (!d) {
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	if ((*err = proc_dir_listing(m, path, d))) {
		dir_listing_free(d);
		free(d);
		return NULL;
	}
	return dir_open(m, d, 22 /* proc's anonymous device */, err);
}
