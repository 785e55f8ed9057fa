/* drivers.h (internal) — the character devices a run program opens: the
 * console its stdin, stdout and stderr are (tty/console.c), /dev/null and
 * /dev/zero (char/mem.c). */
#ifndef MMSIM_DRIVERS_H
#define MMSIM_DRIVERS_H

#include "fs/fs.h"

/* /dev/null or /dev/zero opened: the file, or NULL with *err (-ENOENT for another name). */
struct file *mem_dev_open(struct machine *m, const char *path, unsigned int f_mode, int *err);

/*
 * The console, its output going to descriptor @host_fd of the host (1 or
 * 2; 0 for a read-only one), its input coming from the host's standard
 * input. NULL with *err.
 */
struct file *console_open(struct machine *m, int host_fd, unsigned int f_mode, int *err);

/* The console's line discipline attached (tty/n_tty.c): its buffers, for good. 0 or -ENOMEM. */
int n_tty_open(struct machine *m);

#endif /* MMSIM_DRIVERS_H */
