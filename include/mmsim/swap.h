/* swap.h — swap areas, for library users (swapon(8) and swapoff(8)).
 *
 * A swap area is a host file made with mkswap(8), or one of mmsim's memory
 * devices: a block device of a given size whose blocks are host memory
 * outside the machine's RAM (/dev/mmswapN in /proc/swaps), as if mkswap'ed.
 * Under memory pressure reclaim writes anonymous pages there and faults
 * read them back. Failures are the kernel's: a negative errno
 * (<mmsim/errno.h>), with its dmesg lines. */
#ifndef MMSIM_SWAP_H
#define MMSIM_SWAP_H

#include <mmsim/types.h>

MMSIM_BEGIN_DECLS

struct machine;

/*
 * Add swap: @path, a host file, or NULL for a memory device of @size bytes
 * (40 KiB to 64 GiB). @prio >= 0 sets the priority (higher is used first);
 * -1 gives the next default one (-2, -3 ...).
 */
MMSIM_API int mmsim_swapon(struct machine *m, const char *path, uint64_t size, int prio);
/* Swap every page of the area named @name (as /proc/swaps shows it) back in, and remove it. */
MMSIM_API int mmsim_swapoff(struct machine *m, const char *name);

MMSIM_END_DECLS

#endif /* MMSIM_SWAP_H */
