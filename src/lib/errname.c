/* errname.c — the names and messages of the error numbers in <mmsim/errno.h>,
 * as strace prints them (the names) and glibc's strerror() words them. */
#include <stddef.h>

#include <mmsim/errno.h>

static const struct {
	int err;
	const char *name, *message;
} errnos[] = {
	{ MMSIM_EPERM, "EPERM", "Operation not permitted" },
	{ MMSIM_ENOENT, "ENOENT", "No such file or directory" },
	{ MMSIM_ESRCH, "ESRCH", "No such process" },
	{ MMSIM_EINTR, "EINTR", "Interrupted system call" },
	{ MMSIM_EIO, "EIO", "Input/output error" },
	{ MMSIM_E2BIG, "E2BIG", "Argument list too long" },
	{ MMSIM_ENOEXEC, "ENOEXEC", "Exec format error" },
	{ MMSIM_EBADF, "EBADF", "Bad file descriptor" },
	{ MMSIM_ECHILD, "ECHILD", "No child processes" },
	{ MMSIM_EAGAIN, "EAGAIN", "Resource temporarily unavailable" },
	{ MMSIM_ENOMEM, "ENOMEM", "Cannot allocate memory" },
	{ MMSIM_EACCES, "EACCES", "Permission denied" },
	{ MMSIM_EFAULT, "EFAULT", "Bad address" },
	{ MMSIM_EBUSY, "EBUSY", "Device or resource busy" },
	{ MMSIM_EEXIST, "EEXIST", "File exists" },
	{ MMSIM_ENODEV, "ENODEV", "No such device" },
	{ MMSIM_EXDEV, "EXDEV", "Invalid cross-device link" },
	{ MMSIM_ENOTDIR, "ENOTDIR", "Not a directory" },
	{ MMSIM_EISDIR, "EISDIR", "Is a directory" },
	{ MMSIM_EINVAL, "EINVAL", "Invalid argument" },
	{ MMSIM_ENFILE, "ENFILE", "Too many open files in system" },
	{ MMSIM_EMFILE, "EMFILE", "Too many open files" },
	{ MMSIM_ENOTTY, "ENOTTY", "Inappropriate ioctl for device" },
	{ MMSIM_ETXTBSY, "ETXTBSY", "Text file busy" },
	{ MMSIM_EFBIG, "EFBIG", "File too large" },
	{ MMSIM_ENOSPC, "ENOSPC", "No space left on device" },
	{ MMSIM_ESPIPE, "ESPIPE", "Illegal seek" },
	{ MMSIM_EROFS, "EROFS", "Read-only file system" },
	{ MMSIM_EPIPE, "EPIPE", "Broken pipe" },
	{ MMSIM_ERANGE, "ERANGE", "Numerical result out of range" },
	{ MMSIM_ENAMETOOLONG, "ENAMETOOLONG", "File name too long" },
	{ MMSIM_ENOSYS, "ENOSYS", "Function not implemented" },
	{ MMSIM_ELOOP, "ELOOP", "Too many levels of symbolic links" },
	{ MMSIM_EOVERFLOW, "EOVERFLOW", "Value too large for defined data type" },
	{ MMSIM_ELIBBAD, "ELIBBAD", "Accessing a corrupted shared library" },
	{ MMSIM_EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported" },
};

const char *mmsim_errno_name(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	return NULL;
}

const char *mmsim_strerror(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].err == err)
			return errnos[i].message;
	return "Unknown error";
}
