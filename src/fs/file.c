/* file.c — opening files, the inode cache and file tables (fs/open.c,
 * fs/inode.c, fs/file.c, fs/file_table.c). See fs.h for the two kinds of
 * file a machine has.
 *
 * Host files are looked up by their host device and inode, so two opens
 * of one file share one inode and one page cache, as they would. A path
 * that names an installed file (the tmpfs root) wins over the host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"
#include "kernel/sched.h"
#include "mm/slab.h"

#define PATH_MAX	4096

/* Files bigger than this are refused: the page cache's index array is host memory. */
#define MAX_FILE_BYTES	(1ULL << 32)

static const struct file_operations generic_file_operations = {
	.mmap = generic_file_mmap,
	.read = kernel_read,
};

int fs_init(struct machine *m)
{
	struct fs_state *fs = calloc(1, sizeof(*fs));

	if (!fs)
		return -MMSIM_ENOMEM;
	INIT_LIST_HEAD(&fs->inodes);
	INIT_LIST_HEAD(&fs->symlinks);
	/*
	 * Inode numbers of the tmpfs root (00:02, as the initramfs rootfs
	 * is) and of the internal shm mount (00:01): the kernel hands them
	 * out from get_next_ino(); the first ones went to what boot made.
	 */
	fs->next_ino[0] = 2;
	fs->next_ino[1] = 1024;
	m->fs = fs;
	return 0;
}

static void iput_final(struct machine *m, struct inode *inode)
{
	/* shmem_evict_inode(): the object's overcommit charge goes with it. */
	if (inode->shmem_acct_pages)
		vm_unacct_memory(m, inode->shmem_acct_pages);
	truncate_inode_pages(m, &inode->i_data);
	if (inode->shmem)
		shmem_free_swap_range(m, inode, 0, inode->i_data.nr_slots);	/* shmem_evict_inode() */
	free(inode->i_data.pages);
	free(inode->i_data.swapped);
	mapping_release_written(&inode->i_data);
	if (inode->host_fd >= 0)
		host_close(inode->host_fd);
	list_del(&inode->i_list);
	free(inode->path);
	free(inode);
}

/* The oldest host-file inode no one holds, or NULL. */
static struct inode *oldest_unused(struct machine *m)
{
	struct list_head *pos;

	list_for_each(pos, &m->fs->inodes) {
		struct inode *inode = list_entry(pos, struct inode, i_list);
		if (!inode->i_count && !inode->installed && inode->host_fd >= 0)
			return inode;
	}
	return NULL;
}

static void evict_unused(struct machine *m, struct inode *inode)
{
	m->fs->nr_unused--;
	iput_final(m, inode);
}

void iput(struct machine *m, struct inode *inode)
{
	/* Installed files stay in the root until the machine goes. */
	if (--inode->i_count || inode->installed)
		return;
	/*
	 * A host file's inode stays cached with its pages (iput_final() ->
	 * inode_lru_list_add()); they go when reclaim takes them, or the inode
	 * with drop_caches 2, or when too many inodes are unused.
	 */
	if (inode->host_fd >= 0 && inode->i_data.nrpages) {
		m->fs->nr_unused++;
		if (m->fs->nr_unused > UNUSED_INODES_MAX)
			evict_unused(m, oldest_unused(m));
		return;
	}
	iput_final(m, inode);
}

unsigned long inode_cache_count(struct machine *m)
{
	return m->fs ? m->fs->nr_unused : 0;
}

unsigned long inode_cache_scan(struct machine *m, unsigned long nr_to_scan)
{
	struct list_head *pos, *next;
	unsigned long freed = 0;

	for (pos = m->fs->inodes.next; pos != &m->fs->inodes && nr_to_scan; pos = next) {
		next = pos->next;
		struct inode *inode = list_entry(pos, struct inode, i_list);
		if (inode->i_count || inode->installed || inode->host_fd < 0)
			continue;
		nr_to_scan--;
		if (inode->i_referenced) {
			/* LRU_ROTATE: one more round, at the young end; this walk may meet it again. */
			inode->i_referenced = false;
			list_move_tail(pos, &m->fs->inodes);
			if (next == &m->fs->inodes)
				next = pos;	/* it was the last: the walk goes on with it */
			continue;
		}
		if (inode->i_data.nrpages) {
			unsigned long reaped = invalidate_mapping_pages(m, &inode->i_data);
			count_vm_events(m, (get_current(m)->flags & PF_KSWAPD) ? KSWAPD_INODESTEAL
										: PGINODESTEAL, reaped);
			if (inode->i_data.nrpages)
				continue;	/* dirty or held pages: it stays for now */
		}
		evict_unused(m, inode);
		freed++;
	}
	return freed;
}

void fs_release(struct machine *m)
{
	struct fs_state *fs = m->fs;

	if (!fs)
		return;
	while (!list_empty(&fs->inodes)) {
		struct inode *inode = list_first_entry(&fs->inodes, struct inode, i_list);
		/* Pages still mapped by live processes are gone with RAM: just drop ours. */
		free(inode->i_data.pages);
		inode->i_data.pages = NULL;
		free(inode->i_data.swapped);
		mapping_release_written(&inode->i_data);
		if (inode->host_fd >= 0)
			host_close(inode->host_fd);
		list_del(&inode->i_list);
		free(inode->path);
		free(inode);
	}
	while (!list_empty(&fs->symlinks)) {
		struct fs_symlink *l = list_first_entry(&fs->symlinks, struct fs_symlink, list);
		list_del(&l->list);
		free(l->path);
		free(l->target);
		free(l);
	}
	free(fs);
	m->fs = NULL;
}

struct inode *new_inode(struct machine *m, const char *path)
{
	struct inode *inode = calloc(1, sizeof(*inode));

	if (!inode)
		return NULL;
	inode->path = strdup(path);
	if (!inode->path) {
		free(inode);
		return NULL;
	}
	inode->host_fd = -1;
	inode->i_count = 1;
	inode->i_mode = S_IFREG | 0755;
	inode->i_fop = &generic_file_operations;
	inode->i_data.host = inode;
	INIT_LIST_HEAD(&inode->i_data.i_mmap);
	list_add_tail(&inode->i_list, &m->fs->inodes);
	return inode;
}

/* The page cache grows to hold page @index (a file that is written to may grow). */
int mapping_reserve(struct address_space *mapping, unsigned long index)
{
	if (index < mapping->nr_slots)
		return 0;
	if (index >= (MAX_FILE_BYTES >> PAGE_SHIFT))
		return -MMSIM_EFBIG;
	unsigned long n = mapping->nr_slots ? mapping->nr_slots : 16;
	while (n <= index)
		n *= 2;
	struct page **p = realloc(mapping->pages, n * sizeof(*p));
	if (!p)
		return -MMSIM_ENOMEM;
	memset(p + mapping->nr_slots, 0, (n - mapping->nr_slots) * sizeof(*p));
	mapping->pages = p;
	if (mapping->swapped) {
		swp_entry_t *sw = realloc(mapping->swapped, n * sizeof(*sw));
		if (!sw)
			return -MMSIM_ENOMEM;
		memset(sw + mapping->nr_slots, 0, (n - mapping->nr_slots) * sizeof(*sw));
		mapping->swapped = sw;
	}
	if (mapping->shadows) {
		unsigned long *sh = realloc(mapping->shadows, n * sizeof(*sh));
		if (!sh) {
			free(mapping->shadows);	/* the refaults of this file go unrecognised */
			mapping->shadows = NULL;
		} else {
			memset(sh + mapping->nr_slots, 0, (n - mapping->nr_slots) * sizeof(*sh));
			mapping->shadows = sh;
		}
	}
	mapping->nr_slots = n;
	return 0;
}

/* Normalise a guest path: absolute, no "." or "..", no doubled slashes. */
static int guest_path(const char *path, char *out, size_t len)
{
	size_t o = 0;

	if (!*path)
		return -MMSIM_ENOENT;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			if (o + 1 + n + 1 > len)
				return -MMSIM_ENAMETOOLONG;
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	if (!o)
		out[o++] = '/';
	out[o] = 0;
	return 0;
}

static struct fs_symlink *find_symlink(struct machine *m, const char *path, size_t len)
{
	struct list_head *pos;

	list_for_each(pos, &m->fs->symlinks) {
		struct fs_symlink *l = list_entry(pos, struct fs_symlink, list);
		if (strlen(l->path) == len && !strncmp(l->path, path, len))
			return l;
	}
	return NULL;
}

/*
 * Follow the root's symlinks in @path (normalised), component by
 * component as the kernel's path walk does — a link may be a directory on
 * the way or the file itself — at most 40 of them (MAXSYMLINKS: -ELOOP).
 */
static int follow_symlinks(struct machine *m, char *path, size_t size)
{
	for (int links = 0;; links++) {
		struct fs_symlink *l = NULL;
		size_t end = 0;
		while (path[end] && !l) {
			end++;
			while (path[end] && path[end] != '/')
				end++;
			l = find_symlink(m, path, end);
		}
		if (!l)
			return 0;
		if (links == 40)
			return -MMSIM_ELOOP;
		char next[PATH_MAX];
		int n;
		if (l->target[0] == '/') {
			n = snprintf(next, sizeof(next), "%s%s", l->target, path + end);
		} else {
			/* Relative to the link's directory. */
			size_t dir = end;
			while (dir > 0 && path[dir - 1] != '/')
				dir--;
			n = snprintf(next, sizeof(next), "%.*s%s%s", (int)dir, path, l->target, path + end);
		}
		if (n < 0 || (size_t)n >= sizeof(next))
			return -MMSIM_ENAMETOOLONG;
		int rc = guest_path(next, path, size);
		if (rc)
			return rc;
	}
}

static struct inode *find_installed(struct machine *m, const char *path)
{
	struct list_head *pos;

	list_for_each(pos, &m->fs->inodes) {
		struct inode *inode = list_entry(pos, struct inode, i_list);
		if (inode->installed && !strcmp(inode->path, path))
			return inode;
	}
	return NULL;
}

/* The inode of a host file, shared by every open of it. */
static struct inode *host_inode(struct machine *m, const char *path, int *err)
{
	struct host_file_info st;
	int fd = host_open(path, &st);

	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	if (st.is_dir || !st.is_reg) {
		host_close(fd);
		*err = st.is_dir ? -MMSIM_EISDIR : -MMSIM_EACCES;	/* devices, pipes: nothing to map */
		return NULL;
	}
	if (st.size > MAX_FILE_BYTES) {
		host_close(fd);
		*err = -MMSIM_EFBIG;
		return NULL;
	}
	struct list_head *pos;
	list_for_each(pos, &m->fs->inodes) {
		struct inode *inode = list_entry(pos, struct inode, i_list);
		if (inode->host_fd >= 0 && inode->host_dev == st.dev && inode->host_ino == st.ino) {
			host_close(fd);
			if (!inode->i_count++) {
				m->fs->nr_unused--;	/* back in use, its cached pages with it */
				inode->i_referenced = true;
			}
			return inode;
		}
	}
	char real[PATH_MAX];
	host_realpath(path, real, sizeof(real));
	struct inode *inode = new_inode(m, real);
	if (!inode) {
		host_close(fd);
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	inode->host_fd = fd;
	inode->host_dev = st.dev;
	inode->host_ino = st.ino;
	inode->i_ino = (unsigned long)st.ino;
	inode->dev_major = st.dev_major;
	inode->dev_minor = st.dev_minor;
	inode->i_size = st.size;
	inode->i_mode = S_IFREG | st.mode;
	return inode;
}

struct file *alloc_file(struct machine *m, struct inode *inode, unsigned int f_mode, int *err)
{
	struct file *f = calloc(1, sizeof(*f));

	if (!f) {
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	f->kobj = kmem_cache_zalloc(m, m->cachep.filp, GFP_KERNEL);
	if (!f->kobj) {
		free(f);
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	f->f_inode = inode;
	f->f_mapping = &inode->i_data;
	f->f_mode = f_mode;
	f->f_count = 1;
	f->f_op = inode->i_fop;
	/* read_ahead_kb 128 (VM_READAHEAD_PAGES), as a block device's bdi has by default. */
	f->f_ra.ra_pages = 32;
	f->f_ra.prev_pos = UINT64_MAX;
	m->fs->nr_files++;
	return f;
}

int open_fmode(int flags, unsigned int *f_mode)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY: *f_mode = FMODE_READ; return 0;
	case O_WRONLY: *f_mode = FMODE_WRITE; return 0;
	case O_RDWR: *f_mode = FMODE_READ | FMODE_WRITE; return 0;
	default: return -MMSIM_EINVAL;
	}
}

struct inode *proc_exe_inode(struct machine *m, const char *path)
{
	char rest[8];
	int pid = 0;
	struct task_struct *t;

	if (!strcmp(path, "/proc/self/exe"))
		t = get_current(m);
	else if (sscanf(path, "/proc/%d/%7s", &pid, rest) == 2 && !strcmp(rest, "exe"))
		t = find_task_by_pid(m, pid);
	else
		return NULL;
	return t && t->mm && t->mm->exe_file ? t->mm->exe_file->f_inode : NULL;
}

struct file *filp_open(struct machine *m, const char *path, int flags, int *err)
{
	char gpath[PATH_MAX];
	int rc = guest_path(path, gpath, sizeof(gpath));
	unsigned int f_mode = 0;

	if (rc) {
		*err = rc;
		return NULL;
	}
	if ((*err = open_fmode(flags, &f_mode)))
		return NULL;
	if ((rc = follow_symlinks(m, gpath, sizeof(gpath)))) {
		*err = rc;
		return NULL;
	}
	struct inode *inode = find_installed(m, gpath);
	if (inode) {
		inode->i_count++;
	} else if (!strncmp(gpath, "/proc/", 6) || !strcmp(gpath, "/proc") ||
		   !strncmp(gpath, "/sys/", 5) || !strncmp(gpath, "/dev/", 5)) {
		/*
		 * The machine's own /proc, /sys and /dev, never the host's.
		 * Of /proc only PID/exe is a file to map or exec: the
		 * process's program.
		 */
		inode = proc_exe_inode(m, gpath);
		if (!inode) {
			*err = -MMSIM_ENOENT;
			return NULL;
		}
		inode->i_count++;
	} else {
		/* A relative path is relative to the machine's root: the host's cwd. */
		inode = host_inode(m, path[0] == '/' ? gpath : path, err);
		if (!inode)
			return NULL;
	}
	struct file *f = alloc_file(m, inode, f_mode, err);
	if (!f)
		iput(m, inode);
	return f;
}

void fput(struct machine *m, struct file *f)
{
	if (--f->f_count > 0)
		return;
	if (f->f_op && f->f_op->release)
		f->f_op->release(m, f);
	kmem_cache_free(m, m->cachep.filp, f->kobj);
	m->fs->nr_files--;
	iput(m, f->f_inode);
	free(f);
}

int fs_install(struct machine *m, const char *host_path, const char *guest)
{
	char gpath[PATH_MAX];
	int rc = guest_path(guest, gpath, sizeof(gpath));

	if (rc)
		return rc;
	if (find_installed(m, gpath))
		return -MMSIM_EEXIST;
	struct host_file_info st;
	int fd = host_open(host_path, &st);
	if (fd < 0)
		return fd;
	if (!st.is_reg) {
		host_close(fd);
		return st.is_dir ? -MMSIM_EISDIR : -MMSIM_EACCES;
	}
	if (st.size > MAX_FILE_BYTES) {
		host_close(fd);
		return -MMSIM_EFBIG;
	}
	struct inode *inode = shmem_new_inode(m, gpath, st.size, true);
	if (!inode) {
		host_close(fd);
		return -MMSIM_ENOMEM;
	}
	inode->i_mode = S_IFREG | st.mode;
	/* Copy it in, page by page, as unpacking the initramfs does. */
	unsigned char buf[PAGE_SIZE];
	for (unsigned long index = 0; (uint64_t)index << PAGE_SHIFT < st.size; index++) {
		long n = host_pread(fd, buf, PAGE_SIZE, (uint64_t)index << PAGE_SHIFT);
		if (n < 0) {
			host_close(fd);
			return (int)n;
		}
		struct page *page = shmem_get_page(m, inode, index);
		if (!page) {
			host_close(fd);
			return -MMSIM_ENOMEM;
		}
		memcpy(page_host_address(m, page), buf, (size_t)n);
		__SetPageDirty(page);	/* tmpfs pages have nowhere to be clean against */
		put_page(m, page);
	}
	host_close(fd);
	return 0;
}

int fs_symlink(struct machine *m, const char *target, const char *link_path)
{
	char gpath[PATH_MAX];
	int rc = guest_path(link_path, gpath, sizeof(gpath));

	if (rc)
		return rc;
	if (!*target)
		return -MMSIM_ENOENT;
	if (strlen(target) >= PATH_MAX)
		return -MMSIM_ENAMETOOLONG;
	if (find_installed(m, gpath) || find_symlink(m, gpath, strlen(gpath)))
		return -MMSIM_EEXIST;
	struct fs_symlink *l = calloc(1, sizeof(*l));
	if (!l || !(l->path = strdup(gpath)) || !(l->target = strdup(target))) {
		if (l)
			free(l->path);
		free(l);
		return -MMSIM_ENOMEM;
	}
	/* A tmpfs symlink is an inode of the root: it takes the next number. */
	l->i_ino = m->fs->next_ino[0]++;
	list_add_tail(&l->list, &m->fs->symlinks);
	return 0;
}

/* ---- file tables --------------------------------------------------------------------- */

struct files_struct *files_alloc(struct machine *m)
{
	struct files_struct *files = calloc(1, sizeof(*files));

	if (!files)
		return NULL;
	files->max_fds = m->is_32bit ? 32 : NR_OPEN_DEFAULT;
	files->fd = calloc(files->max_fds, sizeof(*files->fd));
	files->cloexec = calloc(files->max_fds, 1);
	files->kobj = files->fd && files->cloexec ? kmem_cache_zalloc(m, m->cachep.files, GFP_KERNEL) : 0;
	if (!files->kobj) {
		free(files->fd);
		free(files->cloexec);
		free(files);
		return NULL;
	}
	files->count = 1;
	return files;
}

struct files_struct *dup_fd(struct machine *m, struct files_struct *old, int *err)
{
	struct files_struct *files = files_alloc(m);

	if (!files) {
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	if (old->max_fds > files->max_fds) {
		struct file **fd = calloc(old->max_fds, sizeof(*fd));
		unsigned char *cloexec = calloc(old->max_fds, 1);
		if (!fd || !cloexec) {
			free(fd);
			free(cloexec);
			put_files_struct(m, files);
			*err = -MMSIM_ENOMEM;
			return NULL;
		}
		free(files->fd);
		free(files->cloexec);
		files->fd = fd;
		files->cloexec = cloexec;
		files->max_fds = old->max_fds;
	}
	for (unsigned int i = 0; i < old->max_fds; i++) {
		if (old->fd[i])
			files->fd[i] = get_file(old->fd[i]);
		files->cloexec[i] = old->cloexec[i];
	}
	return files;
}

void put_files_struct(struct machine *m, struct files_struct *files)
{
	if (--files->count > 0)
		return;
	for (unsigned int i = 0; i < files->max_fds; i++)
		if (files->fd[i])
			fput(m, files->fd[i]);
	kmem_cache_free(m, m->cachep.files, files->kobj);
	free(files->fd);
	free(files->cloexec);
	free(files);
}

/* expand_fdtable(): double the table until it holds @nr descriptors (at most NR_OPEN_MAX). */
static int expand_files(struct files_struct *files, unsigned int nr)
{
	if (nr <= files->max_fds)
		return 0;
	if (nr > NR_OPEN_MAX)
		return -MMSIM_EMFILE;
	unsigned int n = files->max_fds;
	while (n < nr)
		n *= 2;
	struct file **fd = realloc(files->fd, n * sizeof(*fd));
	if (!fd)
		return -MMSIM_ENOMEM;
	files->fd = fd;
	unsigned char *cloexec = realloc(files->cloexec, n);
	if (!cloexec)
		return -MMSIM_ENOMEM;
	files->cloexec = cloexec;
	memset(fd + files->max_fds, 0, (n - files->max_fds) * sizeof(*fd));
	memset(cloexec + files->max_fds, 0, n - files->max_fds);
	files->max_fds = n;
	return 0;
}

int fd_alloc_from(struct machine *m, struct files_struct *files, unsigned int from)
{
	(void)m;
	for (unsigned int i = from; i < NR_OPEN_MAX; i++) {
		if (i >= files->max_fds) {
			int err = expand_files(files, i + 1);
			if (err)
				return err;
		}
		if (!files->fd[i])
			return (int)i;
	}
	return -MMSIM_EMFILE;
}

void fd_install_at(struct machine *m, struct files_struct *files, int fd, struct file *f)
{
	struct file *old = files->fd[fd];

	files->fd[fd] = f;
	files->cloexec[fd] = 0;
	if (old)
		fput(m, old);
}

void do_close_on_exec(struct machine *m, struct files_struct *files)
{
	for (unsigned int i = 0; i < files->max_fds; i++)
		if (files->fd[i] && files->cloexec[i])
			close_fd(m, files, (int)i);
}

int fd_install_new(struct machine *m, struct files_struct *files, struct file *f)
{
	int fd = fd_alloc_from(m, files, 0);

	if (fd >= 0) {
		files->fd[fd] = f;
		files->cloexec[fd] = 0;
	}
	return fd;
}

struct file *fget(struct files_struct *files, int fd)
{
	if (!files || fd < 0 || (unsigned int)fd >= files->max_fds)
		return NULL;
	return files->fd[fd];
}

int close_fd(struct machine *m, struct files_struct *files, int fd)
{
	struct file *f = fget(files, fd);

	if (!f)
		return -MMSIM_EBADF;
	files->fd[fd] = NULL;
	files->cloexec[fd] = 0;
	fput(m, f);
	return 0;
}

int fs_readlink(struct machine *m, const char *path, char *buf, size_t size)
{
	char gpath[PATH_MAX];
	int rc = guest_path(path, gpath, sizeof(gpath));

	if (rc)
		return rc;
	struct fs_symlink *l = find_symlink(m, gpath, strlen(gpath));
	if (!l) {
		/* Not a link: -EINVAL if the file is there at all. */
		int err;
		struct file *f = filp_open(m, path, O_RDONLY, &err);
		if (!f)
			return err;
		fput(m, f);
		return -MMSIM_EINVAL;
	}
	size_t n = strlen(l->target);
	if (n > size)
		n = size;
	memcpy(buf, l->target, n);
	return (int)n;
}

/* ---- the root's directories ------------------------------------------------------------ */

/*
 * The directory @dir's entries: the next component of every installed
 * file and symlink under it; the root has /proc and /dev too, and /dev
 * its devices. -ENOENT when nothing lies under @dir.
 */
static int root_dir_fill(struct machine *m, struct dir_listing *d)
{
	const char *dir = d->path;
	size_t dlen = strcmp(dir, "/") ? strlen(dir) : 0;
	bool any = dlen == 0 || !strcmp(dir, "/dev");
	struct list_head *pos;
	int err = 0;

	if (dlen == 0) {
		err = dir_add(d, "dev", 3, DT_DIR);
		if (!err)
			err = dir_add(d, "proc", 4, DT_DIR);
	} else if (!strcmp(dir, "/dev")) {
		static const char *const devs[] = { "console", "null", "zero" };
		for (size_t i = 0; !err && i < 3; i++)
			err = dir_add(d, devs[i], strlen(devs[i]), DT_CHR);
	}
	list_for_each(pos, &m->fs->inodes) {
		struct inode *inode = list_entry(pos, struct inode, i_list);
		const char *p = inode->path;
		if (err || !inode->installed || strncmp(p, dir, dlen) || p[dlen] != '/')
			continue;
		const char *name = p + dlen + 1, *slash = strchr(name, '/');
		any = true;
		err = dir_add(d, name, slash ? (size_t)(slash - name) : strlen(name), slash ? DT_DIR : DT_REG);
	}
	list_for_each(pos, &m->fs->symlinks) {
		struct fs_symlink *l = list_entry(pos, struct fs_symlink, list);
		const char *p = l->path;
		if (err || strncmp(p, dir, dlen) || p[dlen] != '/')
			continue;
		const char *name = p + dlen + 1, *slash = strchr(name, '/');
		any = true;
		err = dir_add(d, name, slash ? (size_t)(slash - name) : strlen(name), slash ? DT_DIR : DT_LNK);
	}
	return err ? err : any ? 0 : -MMSIM_ENOENT;
}

static int root_dir_listing(struct machine *m, const char *path, struct dir_listing *d)
{
	char gpath[PATH_MAX];
	int rc = guest_path(path, gpath, sizeof(gpath));

	if (rc)
		return rc;
	if (!gpath[0])
		strcpy(gpath, "/");
	if (strlen(gpath) >= sizeof(d->path))
		return -MMSIM_ENAMETOOLONG;
	strcpy(d->path, gpath);
	return root_dir_fill(m, d);
}

bool fs_is_dir(struct machine *m, const char *path)
{
	struct dir_listing d = { .names = NULL };
	int err = root_dir_listing(m, path, &d);

	dir_listing_free(&d);
	return err == 0;
}

struct file *fs_dir_open(struct machine *m, const char *path, int *err)
{
	struct dir_listing *d = calloc(1, sizeof(*d));

	if (!d) {
		*err = -MMSIM_ENOMEM;
		return NULL;
	}
	if ((*err = root_dir_listing(m, path, d))) {
		dir_listing_free(d);
		free(d);
		return NULL;
	}
	return dir_open(m, d, 2 /* the root tmpfs's device, as maps shows it */, err);
}
