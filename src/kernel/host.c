/* host.c — the host memory behind a machine: its RAM and its mem_map.
 *
 * Both are reserved as address space only (MAP_NORESERVE): a page of the
 * host is used when the simulated machine first touches the matching
 * simulated page, so a 16 GiB machine costs what it uses. This is the one
 * file that talks to the host's mmap(2), whose constants share their
 * names with the simulated kernel's own (PROT_*, MAP_*). */
#include <sys/mman.h>

#include "machine.h"

void *host_reserve(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* A shared mapping of @bytes of host descriptor @fd (KVM's per-vCPU run area). NULL on failure. */
void *host_map_shared(int fd, size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

void host_release(void *p, size_t bytes)
{
	if (p)
		munmap(p, bytes);
}

/* ---- host files (fs/file.c's hostfs side) ---------------------------------------------- */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int errno_from_host(int e)
{
	switch (e) {
	case ENOENT: return -MMSIM_ENOENT;
	case EACCES: case EPERM: return -MMSIM_EACCES;
	case EISDIR: return -MMSIM_EISDIR;
	case ENOTDIR: return -MMSIM_ENOTDIR;
	case ENAMETOOLONG: return -MMSIM_ENAMETOOLONG;
	case ELOOP: return -MMSIM_ELOOP;
	case EMFILE: case ENFILE: return -MMSIM_EMFILE;
	default: return -MMSIM_EIO;
	}
}

static int open_with(const char *path, int flags, struct host_file_info *info)
{
	int fd = open(path, flags | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return errno_from_host(errno);
	if (fstat(fd, &st) < 0) {
		int err = errno_from_host(errno);
		close(fd);
		return err;
	}
	info->dev = (uint64_t)st.st_dev;
	info->ino = (uint64_t)st.st_ino;
	info->size = (uint64_t)st.st_size;
	info->mode = (unsigned int)st.st_mode & 07777;
	info->dev_major = major(st.st_dev);
	info->dev_minor = minor(st.st_dev);
	info->is_dir = S_ISDIR(st.st_mode);
	info->is_reg = S_ISREG(st.st_mode);
	return fd;
}

int host_open(const char *path, struct host_file_info *info)
{
	return open_with(path, O_RDONLY, info);
}

int host_open_rw(const char *path, struct host_file_info *info)
{
	return open_with(path, O_RDWR, info);
}

long host_pread(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, (off_t)off);

	return n < 0 ? errno_from_host(errno) : (long)n;
}

long host_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	ssize_t n = pwrite(fd, buf, len, (off_t)off);

	return n < 0 ? errno_from_host(errno) : (long)n;
}

/* The console's side: a run program's stdin, stdout and stderr are the host's. */
long host_read(int fd, void *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);

	return n < 0 ? errno_from_host(errno) : (long)n;
}

long host_write(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return done ? (long)done : (n < 0 && errno == EPIPE ? -MMSIM_EPIPE : -MMSIM_EIO);
		done += (size_t)n;
	}
	return (long)done;
}

bool host_isatty(int fd)
{
	return isatty(fd) == 1;
}

void host_close(int fd)
{
	close(fd);
}

void host_realpath(const char *path, char *out, size_t len)
{
	char real[PATH_MAX];

	snprintf(out, len, "%s", realpath(path, real) ? real : path);
}
