/* fs.h (internal) — the files programs open and map: inodes, open files,
 * file tables, and the page cache that holds their pages (the roles of
 * the kernel's linux/fs.h, fdtable.h and pagemap.h).
 *
 * Two kinds of file live in a machine, as on a real system booted from an
 * initramfs:
 *   - files installed into the machine's root, a tmpfs: their bytes are
 *     copied into shmem pages when installed (swap-backed, always in the
 *     page cache, counted as Shmem and RssShmem) — what the kernel's own
 *     initramfs holds, and what the oracle's programs run from;
 *   - any other path is a file of the host, opened read-only: its pages
 *     are read into the page cache when first needed, with readahead, as
 *     from a disk (a major fault). The host file is never written: a
 *     writable open keeps what is written in the page cache.
 * Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) is an unlinked shmem
 * file, "/dev/zero (deleted)", as in the kernel. */
#ifndef MMSIM_FS_FS_H
#define MMSIM_FS_FS_H

#include <stdio.h>

#include "mm.h"

struct inode;
struct file;
struct vm_area_struct;

/* f_mode bits (include/linux/fs.h) */
#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define FMODE_EXEC	0x20

/* open(2) flags, x86 values */
#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002

/* i_mode */
#define S_IFMT		00170000
#define S_IFREG		0100000
#define S_IFDIR		0040000
#ifndef S_IFCHR			/* the host's <sys/stat.h> has the same values */
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_IFLNK		0120000
#endif

/* Readahead state of an open file (struct file_ra_state, mm/readahead.c). */
struct file_ra_state {
	unsigned long start;		/* where the current window starts */
	unsigned int size;		/* pages in it */
	unsigned int async_size;	/* start the next window when this many are left */
	unsigned int ra_pages;		/* the window's maximum: read_ahead_kb / 4 */
	unsigned int mmap_miss;		/* cache misses through mmap: too many stop read-around */
	uint64_t prev_pos;
};

/*
 * A file's pages in the page cache (struct address_space): an array
 * indexed by page offset (the kernel's xarray), grown as the file is.
 */
struct address_space {
	struct inode *host;
	struct page **pages;		/* [nr_slots]; NULL: not cached */
	unsigned long nr_slots;
	unsigned long nrpages;		/* pages in the cache */
	struct list_head i_mmap;	/* the VMAs that map the file (vma->shared) */
	int i_mmap_writable;		/* shared writable VMAs */
	bool swap_backed;		/* shmem: never read, never written back */
	/*
	 * What writeback wrote, page by page ([nr_written], NULL: never
	 * written). Host files are opened read-only, so the bytes a program
	 * wrote through the cache live here once their page is clean, and a
	 * page read again after reclaim dropped it comes from here.
	 */
	unsigned char **written;
	unsigned long nr_written;
	/*
	 * Shadow entries ([nr_slots] once a page was evicted; 0: none): the
	 * workingset clock at the eviction of the page that was in each slot,
	 * + 1, and its PG_workingset in bit 0 (mm/workingset.c).
	 */
	unsigned long *shadows;
	/*
	 * shmem: the swap slot of each page that went to swap ([nr_slots]
	 * once one did; offset 0: none) — the swap entry 6.1 keeps in the
	 * page's xarray slot — and how many there are (info->swapped).
	 */
	swp_entry_t *swapped;
	unsigned long nr_swapped;
};
/* Free what writeback and reclaim kept of @mapping: the written copies, the shadows. */
void mapping_release_written(struct address_space *mapping);

/*
 * What a file does. read and write move bytes between the file at *pos
 * and a kernel buffer (the system call copies to or from the user):
 * the count moved, or -errno. NULL: the file cannot (-EINVAL).
 */
struct file_operations {
	int (*mmap)(struct machine *m, struct file *file, struct vm_area_struct *vma);
	long (*read)(struct machine *m, struct file *file, void *buf, size_t count, uint64_t *pos);
	long (*write)(struct machine *m, struct file *file, const void *buf, size_t count,
		      uint64_t *pos);
	void (*release)(struct machine *m, struct file *file);
	bool stream;			/* no position: lseek is -ESPIPE */
};

struct inode {
	unsigned long i_ino;
	unsigned int dev_major, dev_minor;	/* what /proc/PID/maps prints */
	unsigned int rdev_major, rdev_minor;	/* a device file: the device (st_rdev) */
	uint64_t i_size;
	unsigned int i_mode;
	int i_count;
	int host_fd;			/* a host file: its descriptor; -1 for shmem */
	bool shmem;
	char *path;			/* the absolute path maps shows */
	struct address_space i_data;
	const struct file_operations *i_fop;
	struct list_head i_list;	/* fs_state.inodes */
	uint64_t host_dev, host_ino;	/* the host file it is (the inode cache's key) */
	/* shmem_acct_size(): pages charged to Committed_AS while the object lives (0: none). */
	unsigned long shmem_acct_pages;
	bool installed;			/* in the machine's tmpfs root */
	bool i_referenced;		/* I_REFERENCED: unused, but used again since the last scan */
};

struct file {
	struct inode *f_inode;
	struct address_space *f_mapping;
	unsigned int f_mode;		/* FMODE_* */
	int f_count;
	const struct file_operations *f_op;
	struct file_ra_state f_ra;
	uint64_t f_pos;
	unsigned int f_flags;		/* O_APPEND, O_NONBLOCK ... as opened */
	void *private_data;		/* the file's own (a /proc file's text) */
	kaddr_t kobj;			/* the object in the filp cache */
};

/* A process's open files (struct files_struct with its fdtable). */
#define NR_OPEN_DEFAULT	64		/* BITS_PER_LONG on x86_64 (32 on i386) */
#define NR_OPEN_MAX	1024		/* what RLIMIT_NOFILE allows by default */
struct files_struct {
	int count;			/* tasks sharing it */
	unsigned int max_fds;
	struct file **fd;		/* [max_fds] */
	unsigned char *cloexec;		/* [max_fds]: FD_CLOEXEC, closed by execve */
	kaddr_t kobj;			/* the object in files_cache */
};

/* ---- fs/file.c, fs/open.c: files ------------------------------------------------- */

struct inode *new_inode(struct machine *m, const char *path);
void iput(struct machine *m, struct inode *inode);
/* An open file of @inode (it takes over the caller's reference). NULL and *err. */
struct file *alloc_file(struct machine *m, struct inode *inode, unsigned int f_mode, int *err);
/* Make room in the page cache's index for page @index. 0, -EFBIG or -ENOMEM. */
int mapping_reserve(struct address_space *mapping, unsigned long index);

int fs_init(struct machine *m);
void fs_release(struct machine *m);
/*
 * Open @path (absolute, or relative to the machine's root) with O_* @flags:
 * an installed file, else a host file (read-only on the host). NULL and
 * *err = -ENOENT, -EISDIR, -EACCES, -ENOMEM ...
 */
struct file *filp_open(struct machine *m, const char *path, int flags, int *err);
/* The FMODE_* of open flags' access mode (O_RDONLY, O_WRONLY, O_RDWR), or -EINVAL. */
int open_fmode(int flags, unsigned int *f_mode);
/* fs/open.c: a path from user memory (-EFAULT, -ENAMETOOLONG, -ENOENT for ""). */
int getname(struct machine *m, uint64_t upath, char *buf, size_t size);
/*
 * fs/open.c: the path @dfd and @name give, as an absolute one in @out (the
 * working directory is the root): -EBADF/-ENOTDIR for a relative name
 * with another dfd, -ENAMETOOLONG.
 */
int resolve_at(struct machine *m, int dfd, const char *name, char *out, size_t size);
/* fs/file.c: /proc/self/exe, /proc/PID/exe: the inode of that process's program, or NULL. */
struct inode *proc_exe_inode(struct machine *m, const char *path);
/* fs/open.c: what open(2) opens for @path (absolute) with O_* @flags. NULL with *err. */
struct file *do_filp_open(struct machine *m, const char *path, int flags, int *err);
/* fs/file.c: the target of the symlink at @path: its length, or -EINVAL (not a link) / -ENOENT. */
int fs_readlink(struct machine *m, const char *path, char *buf, size_t size);
/* fs/readdir.c: a directory's entries, collected when it is opened. */
#define DT_DIR		4
#define DT_REG		8
#define DT_LNK		10
#define DT_CHR		2
#define DIR_ENTRIES_MAX	65536
struct dir_listing {
	char path[96];
	struct dir_name {
		char name[64];
		unsigned char type;	/* DT_* */
	} *names;
	size_t nr, cap;
};
/* Add an entry (each name once; names of 64 bytes and more are left out). 0 or -ENOMEM. */
int dir_add(struct dir_listing *d, const char *name, size_t len, unsigned char type);
void dir_listing_free(struct dir_listing *d);
/* The open directory for @d (which it then owns, also on failure). NULL with *err. */
struct file *dir_open(struct machine *m, struct dir_listing *d, unsigned int dev_minor, int *err);
bool dir_file(const struct file *f);
long dir_getdents(struct file *f, void *buf, size_t count);
/* fs/proc/file.c: /proc directories. */
bool proc_is_dir(struct machine *m, const char *path);
struct file *proc_dir_open(struct machine *m, const char *path, int *err);
/* fs/file.c: the machine's root and its directories ("/", "/bin" ... of installed files). */
bool fs_is_dir(struct machine *m, const char *path);
struct file *fs_dir_open(struct machine *m, const char *path, int *err);
/* fs/proc/file.c: a /proc file opened by a program. NULL with *err (-ENOENT: no such file). */
struct file *proc_file_open(struct machine *m, const char *path, unsigned int f_mode, int *err);
static inline struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}
void fput(struct machine *m, struct file *f);
/* Copy a host file into the machine's tmpfs root as @guest_path. 0 or -errno. */
int fs_install(struct machine *m, const char *host_path, const char *guest_path);
/* symlink(2) in the machine's root: @link_path says @target. 0, -EEXIST, -ENOMEM ... */
int fs_symlink(struct machine *m, const char *target, const char *link_path);

struct files_struct *files_alloc(struct machine *m);
struct files_struct *dup_fd(struct machine *m, struct files_struct *old, int *err);
void put_files_struct(struct machine *m, struct files_struct *files);
/* The lowest free descriptor, installed with @f; -EMFILE or -ENOMEM. */
int fd_install_new(struct machine *m, struct files_struct *files, struct file *f);
/* The lowest free descriptor >= @from, the table grown to hold it: the fd, or -EMFILE/-ENOMEM. */
int fd_alloc_from(struct machine *m, struct files_struct *files, unsigned int from);
/* Put @f at @fd (dup2), closing what was there. */
void fd_install_at(struct machine *m, struct files_struct *files, int fd, struct file *f);
/* execve's do_close_on_exec(). */
void do_close_on_exec(struct machine *m, struct files_struct *files);
struct file *fget(struct files_struct *files, int fd);
int close_fd(struct machine *m, struct files_struct *files, int fd);

/* ---- mm/filemap.c: the page cache --------------------------------------------------- */

/* The cached page at @index, referenced; NULL if not cached. */
struct page *find_get_page(struct address_space *mapping, unsigned long index);
/* Put a new page into the cache at @index (it takes a reference); -ENOMEM. */
int add_to_page_cache_lru(struct machine *m, struct page *page, struct address_space *mapping,
			  unsigned long index);
/* Drop every page of the cache (the inode is going). */
void truncate_inode_pages(struct machine *m, struct address_space *mapping);
/*
 * mm/shmem.c: a shmem page to swap (shmem_writepage: 0, or -errno and the
 * page stays), and the swap slots of pages [index, index + nr) given up.
 */
int shmem_writepage(struct machine *m, struct page *page);
void shmem_free_swap_range(struct machine *m, struct inode *inode, unsigned long index,
			   unsigned long nr);
/* shmem_unuse(): every shmem page in swap area @type back in memory; -ENOMEM if one cannot be. */
int shmem_unuse(struct machine *m, unsigned int type);
/* invalidate_mapping_pages(): the clean, unmapped, unheld pages of @mapping dropped; how many. */
unsigned long invalidate_mapping_pages(struct machine *m, struct address_space *mapping);
/*
 * The inode cache's shrinker (super_cache_count/scan, prune_icache_sb):
 * the unused inodes, and a scan of the oldest — one used again since the
 * last scan gets another round, the others lose their pages and go.
 */
unsigned long inode_cache_count(struct machine *m);
unsigned long inode_cache_scan(struct machine *m, unsigned long nr_to_scan);
/* fs/drop_caches.c: vm.drop_caches = @how (1 page cache, 2 slab, 4 quiet). */
void drop_caches(struct machine *m, int how);
/* read(2) through the page cache: bytes read, or -errno. */
long kernel_read(struct machine *m, struct file *file, void *buf, size_t count, uint64_t *pos);
int set_page_dirty(struct machine *m, struct page *page);
/* Write back the dirty pages of [start, end] (msync, fsync): the host is not written. */
int filemap_write_and_wait_range(struct machine *m, struct address_space *mapping,
				 uint64_t start, uint64_t end);
int generic_file_mmap(struct machine *m, struct file *file, struct vm_area_struct *vma);
vm_fault_t filemap_fault(struct vm_fault *vmf);
vm_fault_t filemap_map_pages(struct vm_fault *vmf, unsigned long start_pgoff,
			     unsigned long end_pgoff);
/* The validator: cached pages point back at their mapping, counts add up. */
unsigned long filemap_verify(struct machine *m, FILE *out);

/* ---- mm/readahead.c ----------------------------------------------------------------- */

void page_cache_ra_unbounded(struct machine *m, struct file *file, unsigned long index,
			     unsigned long nr_to_read, unsigned long lookahead);
void page_cache_sync_readahead(struct machine *m, struct file *file, unsigned long index,
			       unsigned long req);
void page_cache_async_readahead(struct machine *m, struct file *file, struct page *page,
				unsigned long index, unsigned long req);
/* A fault missed the cache: read around it. True when the fault must be retried. */
bool do_sync_mmap_readahead(struct vm_fault *vmf);
void do_async_mmap_readahead(struct vm_fault *vmf, struct page *page);

/* ---- mm/shmem.c --------------------------------------------------------------------- */

/* Free pages [index, index+nr) of a shmem file, unmapping them everywhere (a hole). */
void shmem_punch_hole(struct machine *m, struct inode *inode, unsigned long index, unsigned long nr);

struct inode *shmem_new_inode(struct machine *m, const char *path, uint64_t size, bool installed);
/* MAP_SHARED|MAP_ANONYMOUS: give the VMA its own "/dev/zero (deleted)" file. */
int shmem_zero_setup(struct machine *m, struct vm_area_struct *vma);
/* A shmem page at @index, allocated (zeroed) if missing; NULL without memory. */
struct page *shmem_get_page(struct machine *m, struct inode *inode, unsigned long index);
bool shmem_file(const struct file *file);

/* A symbolic link in the machine's root (a tmpfs symlink inode). */
struct fs_symlink {
	char *path;			/* where the link is */
	char *target;			/* what it says: absolute, or relative to its directory */
	unsigned long i_ino;
	struct list_head list;		/* fs_state.symlinks */
};

/* The fs state behind m->fs (fs/file.c). */
struct fs_state {
	struct list_head inodes;	/* every inode; unused ones oldest first (the inode LRU) */
	struct list_head symlinks;	/* the root's symlinks */
	unsigned long next_ino[2];	/* get_next_ino() per shmem mount (root, shm) */
	unsigned long nr_files;		/* open struct files */
	/*
	 * Host-file inodes no one holds, kept (with their page cache) as the
	 * kernel's inode cache keeps them: reading a file again finds its
	 * pages. At most UNUSED_INODES_MAX; past it the oldest goes.
	 */
	unsigned long nr_unused;
};
#define UNUSED_INODES_MAX	128

#endif /* MMSIM_FS_FS_H */
