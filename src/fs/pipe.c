/* pipe.c — pipe(2) (fs/pipe.c): a ring of 16 pages between a read end and
 * a write end.
 *
 * A read of an empty pipe waits while a writer is left, and then reads 0
 * (end of file); a write to a full pipe waits while a reader is left, and
 * with no reader it is -EPIPE and SIGPIPE. Waiting is the running
 * program's kind (the call is made again when something changes: see
 * ERESTARTSYS); a write that has moved some bytes returns their count
 * rather than wait, and the program's next write goes on. O_NONBLOCK
 * turns every wait into -EAGAIN. The buffer is host memory: its pages are
 * the kernel's in the real machine (pipe_buffer pages), not modelled. */
#include <stdlib.h>
#include <string.h>

#include "arch/x86/fault.h"
#include "fs/fs.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"

#define PIPE_DEF_BUFFERS	16
#define PIPE_SIZE		(PIPE_DEF_BUFFERS * PAGE_SIZE)
#define O_NONBLOCK		00004000
#define O_CLOEXEC		02000000
#define SIGPIPE			13

struct pipe_inode_info {
	char *buf;
	size_t head, len;		/* where the data starts in buf, and how much */
	int readers, writers;
};

/* Something a waiting task may wait for changed: each waiter tries its call again. */
static void wake_waiters(struct machine *m)
{
	struct list_head *pos;

	list_for_each(pos, &m->sched->tasks) {
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);
		if (t->in_wait)
			t->blocked_wakeup = true;
	}
}

static long pipe_read(struct machine *m, struct file *f, void *buf, size_t count, uint64_t *pos)
{
	struct pipe_inode_info *p = f->private_data;

	(void)pos;
	if (!count)
		return 0;
	if (!p->len) {
		if (!p->writers)
			return 0;
		return (f->f_flags & O_NONBLOCK) ? -MMSIM_EAGAIN : -ERESTARTSYS;
	}
	size_t n = count < p->len ? count : p->len;
	for (size_t done = 0; done < n;) {
		size_t chunk = PIPE_SIZE - p->head < n - done ? PIPE_SIZE - p->head : n - done;
		memcpy((char *)buf + done, p->buf + p->head, chunk);
		p->head = (p->head + chunk) % PIPE_SIZE;
		done += chunk;
	}
	p->len -= n;
	wake_waiters(m);
	return (long)n;
}

static long pipe_write(struct machine *m, struct file *f, const void *buf, size_t count, uint64_t *pos)
{
	struct pipe_inode_info *p = f->private_data;

	(void)pos;
	if (!p->readers) {
		struct task_struct *t = get_current(m);
		struct kernel_siginfo info = { .signo = SIGPIPE, .pid = t->tgid };
		send_signal(m, t, SIGPIPE, &info);
		return -MMSIM_EPIPE;
	}
	size_t room = PIPE_SIZE - p->len;
	/* Up to PIPE_BUF (a page) goes in whole or waits: writes that small are atomic. */
	if (!room || (count <= PAGE_SIZE && room < count))
		return (f->f_flags & O_NONBLOCK) ? -MMSIM_EAGAIN : -ERESTARTSYS;
	size_t n = count < room ? count : room;
	for (size_t done = 0; done < n;) {
		size_t tail = (p->head + p->len) % PIPE_SIZE;
		size_t chunk = PIPE_SIZE - tail < n - done ? PIPE_SIZE - tail : n - done;
		memcpy(p->buf + tail, (const char *)buf + done, chunk);
		p->len += chunk;
		done += chunk;
	}
	wake_waiters(m);
	return (long)n;
}

static void pipe_release(struct machine *m, struct file *f)
{
	struct pipe_inode_info *p = f->private_data;

	if (f->f_mode & FMODE_READ)
		p->readers--;
	if (f->f_mode & FMODE_WRITE)
		p->writers--;
	wake_waiters(m);
	if (!p->readers && !p->writers) {
		free(p->buf);
		free(p);
	}
}

static const struct file_operations pipe_fops = {
	.read = pipe_read, .write = pipe_write, .release = pipe_release, .stream = true,
};

/* The two ends of a new pipe: [0] reads, [1] writes. 0 or -errno. */
static int create_pipe_files(struct machine *m, struct file **res, int flags)
{
	struct pipe_inode_info *p = calloc(1, sizeof(*p));
	struct inode *inode = p ? new_inode(m, "pipe:") : NULL;
	int err = -MMSIM_ENOMEM;

	if (!inode || !(p->buf = malloc(PIPE_SIZE))) {
		if (inode)
			iput(m, inode);
		if (p)
			free(p->buf);
		free(p);
		return err;
	}
	inode->i_mode = S_IFIFO | 0600;
	inode->dev_minor = 13;		/* pipefs's anonymous device */
	inode->i_fop = &pipe_fops;
	/* Each end holds a reference to the inode, and its count on the pipe. */
	res[0] = alloc_file(m, inode, FMODE_READ, &err);
	if (!res[0]) {
		iput(m, inode);
		free(p->buf);
		free(p);
		return err;
	}
	res[0]->private_data = p;
	p->readers = 1;
	inode->i_count++;
	res[1] = alloc_file(m, inode, FMODE_WRITE, &err);
	if (!res[1]) {
		iput(m, inode);
		fput(m, res[0]);	/* the last end: frees the pipe */
		return err;
	}
	res[1]->private_data = p;
	p->writers = 1;
	res[0]->f_flags = res[1]->f_flags = (unsigned int)flags & O_NONBLOCK;
	return 0;
}

int64_t sys_pipe2(struct machine *m, uint64_t fildes, int flags)
{
	struct task_struct *t = get_current(m);
	struct file *files[2] = { NULL, NULL };
	int fds[2];

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -MMSIM_EINVAL;
	int err = create_pipe_files(m, files, flags);
	if (err)
		return err;
	fds[0] = fd_install_new(m, t->files, files[0]);
	fds[1] = fds[0] >= 0 ? fd_install_new(m, t->files, files[1]) : -1;
	if (fds[1] < 0 || (uint64_t)fds[1] >= rlimit(t, RLIMIT_NOFILE)) {
		if (fds[0] >= 0)
			close_fd(m, t->files, fds[0]);
		else
			fput(m, files[0]);
		if (fds[1] >= 0)
			close_fd(m, t->files, fds[1]);
		else
			fput(m, files[1]);
		return -MMSIM_EMFILE;
	}
	t->files->cloexec[fds[0]] = t->files->cloexec[fds[1]] = (flags & O_CLOEXEC) != 0;
	if (copy_to_user(m, fildes, fds, sizeof(fds))) {
		close_fd(m, t->files, fds[0]);
		close_fd(m, t->files, fds[1]);
		return -MMSIM_EFAULT;
	}
	return 0;
}
