/* params.h (internal) — the kernel command line (kernel/params.c). */
#ifndef MMSIM_KERNEL_PARAMS_H
#define MMSIM_KERNEL_PARAMS_H

#include <stddef.h>

#include "machine.h"

/*
 * setup_arch()'s parse_early_param(): mem= and vmalloc= on m->cmdline,
 * then the user-defined e820 map if mem= was given. Returns 0, or -EINVAL
 * with the reason in @err for a parameter mmsim does not model or a value
 * the real kernel cannot boot with.
 */
int parse_early_param(struct machine *m, char *err, size_t errlen);

/*
 * start_kernel(): "Kernel command line:", the ordinary parameters
 * (norandmaps), and the words nothing claims, logged as the kernel logs
 * them before passing them to init.
 */
void parse_args(struct machine *m);

/*
 * lib/cmdline.c's memparse(): a number (base 0: 0x hex, leading 0 octal)
 * and an optional K, M, G, T, P or E suffix; *@end (if not NULL) is left
 * after them.
 */
uint64_t memparse(const char *s, const char **end);

#endif /* MMSIM_KERNEL_PARAMS_H */
