/* n_tty.c — the default line discipline's buffers (drivers/tty/n_tty.c).
 *
 * Opening a terminal attaches N_TTY to it, and n_tty_open() vzallocs the
 * discipline's state: the read buffer, its flag bitmap and the echo buffer,
 * 4 KiB each (N_TTY_BUF_SIZE), and the heads and locks around them, three
 * pages in all. At the end of boot console_on_rootfs() opens /dev/console
 * for init, whose descriptors every later process inherits, so this area
 * lives as long as the machine. */
#include "drivers/drivers.h"
#include "mm/vmalloc.h"

/* sizeof(struct n_tty_data): three 4 KiB buffers, less the bitmap's 7/8, plus heads and two mutexes. */
#define N_TTY_DATA_BYTES	(4096 + 4096 / 8 + 4096 + 512)

int n_tty_open(struct machine *m)
{
	const char *caller = m->profile->boot_vmalloc.n_tty;

	if (!caller)
		return 0;
	return mmsim_vmalloc_caller(m, N_TTY_DATA_BYTES, GFP_KERNEL | __GFP_ZERO, caller) ? 0
											      : -MMSIM_ENOMEM;
}
