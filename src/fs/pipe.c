/* pipe.c — pipe(2) (fs/pipe.c): a ring of 16 pages between a read end and
 * a write end.
 *
 * A read of an empty pipe waits while a writer is left, and then reads 0
 * (end of file); a write to a full pipe waits while a reader is left, and
 * with no reader it is -EPIPE and SIGPIPE. Waiting is the running
 * program's kind (the call is made again when something changes: see
 * ERESTARTSYS); a write that has moved some bytes returns their count
 * rather than wait, and the program's next write goes on. O_NONBLOCK
 * turns every wait into -EAGAIN. The bytes live in pages of the machine's
 * own memory, taken from the page allocator as a write needs them
 * (GFP_HIGHUSER | __GFP_ACCOUNT, as pipe_write's alloc_page) and given
 * back as reads empty them — but one, which the pipe keeps for its next
 * write (pipe->tmp_page) — so pipes use RAM as in the kernel, and a
 * machine out of memory refuses a write with -ENOMEM. */
#include <stdlib.h>
#include <string.h>

#include "arch/x86/fault.h"
#include "fs/fs.h"
#include "mm.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"

#define PIPE_DEF_BUFFERS	16
#define PIPE_SIZE		(PIPE_DEF_BUFFERS * PAGE_SIZE)
#define O_NONBLOCK		00004000
#define O_CLOEXEC		02000000
#define SIGPIPE			13

struct pipe_inode_info {
	struct page *bufs[PIPE_DEF_BUFFERS];	/* the ring's pages (NULL: none yet) */
	struct page *tmp_page;		/* a spare page, kept from the last emptied one */
	size_t head, len;		/* where the data starts in the ring, and how much */
	int readers, writers;
};

/* Page @slot of the ring, allocated if it has none: NULL when memory is short. */
static char *slot_page(struct machine *m, struct pipe_inode_info *p, size_t slot)
{
	if (!p->bufs[slot]) {
		p->bufs[slot] = p->tmp_page ? p->tmp_page : alloc_pages(m, GFP_HIGHUSER | __GFP_ACCOUNT, 0);
		p->tmp_page = NULL;
	}
	return p->bufs[slot] ? page_host_address(m, p->bufs[slot]) : NULL;
}

/* The pages no data lies in go back (the first one becomes the spare). */
static void release_empty_pages(struct machine *m, struct pipe_inode_info *p)
{
	for (size_t slot = 0; slot < PIPE_DEF_BUFFERS; slot++) {
		if (!p->bufs[slot])
			continue;
		size_t lo = slot * PAGE_SIZE, off = (lo + PIPE_SIZE - p->head) % PIPE_SIZE;
		/* Data at ring offsets [head, head + len): does any of this page's bytes hold some? */
		bool used = p->len && (off < p->len || off + PAGE_SIZE > PIPE_SIZE);
		if (used)
			continue;
		if (!p->tmp_page)
			p->tmp_page = p->bufs[slot];
		else
			put_page(m, p->bufs[slot]);
		p->bufs[slot] = NULL;
	}
}

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
		size_t in_page = PAGE_SIZE - p->head % PAGE_SIZE;
		size_t chunk = in_page < n - done ? in_page : n - done;
		memcpy((char *)buf + done, slot_page(m, p, p->head / PAGE_SIZE) + p->head % PAGE_SIZE, chunk);
		p->head = (p->head + chunk) % PIPE_SIZE;
		p->len -= chunk;
		done += chunk;
	}
	release_empty_pages(m, p);
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
	size_t n = count < room ? count : room, done = 0;
	while (done < n) {
		size_t tail = (p->head + p->len) % PIPE_SIZE;
		size_t in_page = PAGE_SIZE - tail % PAGE_SIZE;
		size_t chunk = in_page < n - done ? in_page : n - done;
		char *page = slot_page(m, p, tail / PAGE_SIZE);
		if (!page)
			break;
		memcpy(page + tail % PAGE_SIZE, (const char *)buf + done, chunk);
		p->len += chunk;
		done += chunk;
	}
	if (!done)
		return -MMSIM_ENOMEM;
	wake_waiters(m);
	return (long)done;
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
		p->len = 0;
		release_empty_pages(m, p);
		if (p->tmp_page)
			put_page(m, p->tmp_page);
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

	if (!inode) {
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
