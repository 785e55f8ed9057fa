/* n_tty.c — the default line discipline's buffers (drivers/tty/n_tty.c).
 *
 * Opening a terminal attaches N_TTY to it, and n_tty_open() vzallocs the
 * discipline's state: the read buffer with its flag bitmap and the echo
 * buffer (N_TTY_BUF_SIZE, 4 KiB each), and the heads and locks around
 * them, three pages in all. At the end of boot console_on_rootfs() opens /dev/console
 * for init, whose descriptors every later process inherits, so this area
 * lives as long as the machine. */
#include "drivers/drivers.h"
#include "mm/vmalloc.h"

/*
 * sizeof(struct n_tty_data): the read and echo buffers (4 KiB each), the
 * read buffer's flag bitmap (512 bytes), and the heads, counters and two
 * mutexes (under 512 bytes): just over two pages, so three.
 */
#define N_TTY_DATA_BYTES	(4096 + 4096 + 4096 / 8 + 512)

int n_tty_open(struct machine *m)
{
	const char *caller = m->profile->boot_vmalloc.n_tty;

	if (!caller)
		return 0;
	return mmsim_vmalloc_caller(m, N_TTY_DATA_BYTES, GFP_KERNEL | __GFP_ZERO, caller) ? 0
											      : -MMSIM_ENOMEM;
}
