/* errno.h — the error numbers mmsim's functions return, negated, as the
 * kernel's do (include/uapi/asm-generic/errno-base.h and errno.h values,
 * the same on i386 and x86_64): 0 is success, -MMSIM_ENOMEM "out of
 * memory", and so on. Functions that return a pointer or an address
 * return NULL / 0 instead. mmsim_strerror() names them as strace does. */
#ifndef MMSIM_ERRNO_H
#define MMSIM_ERRNO_H

#include <mmsim/export.h>

MMSIM_BEGIN_DECLS

#define MMSIM_EPERM	1	/* operation not permitted (a capability is missing) */
#define MMSIM_ENOENT	2	/* no such file (a /proc path mmsim does not provide) */
#define MMSIM_ESRCH	3	/* no such process */
#define MMSIM_EINTR	4
#define MMSIM_EIO	5
#define MMSIM_E2BIG	7	/* argument list too long (execve) */
#define MMSIM_ENOEXEC	8	/* not an executable this kernel runs */
#define MMSIM_EBADF	9	/* not an open file descriptor */
#define MMSIM_ECHILD	10	/* no child to wait for */
#define MMSIM_EAGAIN	11	/* try again: the caller must sleep and retry; over a lock limit */
#define MMSIM_ENOMEM	12	/* out of (simulated or host) memory; no room in the address space */
#define MMSIM_EACCES	13	/* permission denied: a read-only /proc file, a read-only file */
#define MMSIM_EFAULT	14	/* an address that faults */
#define MMSIM_EBUSY	16	/* in use: a cache with objects, a mapped slot */
#define MMSIM_EEXIST	17	/* the name is taken; MAP_FIXED_NOREPLACE over a mapping */
#define MMSIM_ENODEV	19	/* the file cannot be mapped */
#define MMSIM_EXDEV	18
#define MMSIM_ENOTDIR	20
#define MMSIM_EISDIR	21
#define MMSIM_EINVAL	22	/* a bad argument or value */
#define MMSIM_ENFILE	23
#define MMSIM_EMFILE	24	/* too many open files */
#define MMSIM_ENOTTY	25	/* not a terminal (an ioctl a file does not answer) */
#define MMSIM_ETXTBSY	26
#define MMSIM_EFBIG	27	/* a file too big for mmsim to hold */
#define MMSIM_ENOSPC	28
#define MMSIM_ESPIPE	29	/* a pipe or terminal has no position */
#define MMSIM_EROFS	30
#define MMSIM_EPIPE	32	/* the pipe's reader is gone */
#define MMSIM_ERANGE	34
#define MMSIM_ENAMETOOLONG 36
#define MMSIM_ENOSYS	38	/* the request has no answer (no slab order fits) */
#define MMSIM_ELOOP	40
#define MMSIM_EOVERFLOW	75	/* a value does not fit (file offset + length) */
#define MMSIM_ELIBBAD	80	/* a bad interpreter (ELF) */
#define MMSIM_EOPNOTSUPP 95	/* MAP_SHARED_VALIDATE with a flag the file does not support */

/* "ENOMEM" for 12; NULL for a number this header does not name. */
MMSIM_API const char *mmsim_errno_name(int err);
/* "Cannot allocate memory" for 12, as strerror(3) says it on Linux. */
MMSIM_API const char *mmsim_strerror(int err);

MMSIM_END_DECLS

#endif /* MMSIM_ERRNO_H */
