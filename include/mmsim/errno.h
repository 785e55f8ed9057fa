/* errno.h — the error numbers mmsim's functions return, negated, as the
 * kernel's do (include/uapi/asm-generic/errno-base.h values): 0 is success,
 * -MMSIM_ENOMEM "out of memory", and so on. Functions that return a
 * pointer or an address return NULL / 0 instead. */
#ifndef MMSIM_ERRNO_H
#define MMSIM_ERRNO_H

#define MMSIM_ENOENT	2	/* no such file (a /proc path mmsim does not provide) */
#define MMSIM_EAGAIN	11	/* try again: the caller must sleep and retry */
#define MMSIM_ENOMEM	12	/* out of (simulated or host) memory */
#define MMSIM_EACCES	13	/* permission denied: a read-only /proc file */
#define MMSIM_EFAULT	14	/* an address that faults */
#define MMSIM_EBUSY	16	/* in use: a cache with objects, a mapped slot */
#define MMSIM_EEXIST	17	/* the name is taken */
#define MMSIM_EINVAL	22	/* a bad argument or value */
#define MMSIM_ENOSYS	38	/* the request has no answer (no slab order fits) */

#endif /* MMSIM_ERRNO_H */
