/* panic.c — what the kernel prints when its own code finds a bug it survives:
 * WARN() and WARN_ON() (kernel/panic.c's __warn(), lib/bug.c's report_bug()).
 *
 * Every warning opens with the "cut here" line, then the message of WARN()
 * (none for WARN_ON()), then where it happened. The real kernel goes on
 * with the module list, the registers and a call trace; mmsim has none of
 * those, and names the function where the kernel would give its address
 * and offset (__alloc_pages+0x2a0/0x310). */
#include <stdarg.h>

#include "kernel/sched.h"

void __warn(struct machine *m, const char *file, const char *func, const char *fmt, ...)
{
	va_list ap;

	printk(m, KERN_WARNING "------------[ cut here ]------------\n");
	if (fmt) {
		va_start(ap, fmt);
		vprintk(m, fmt, ap);
		va_end(ap);
	}
	printk(m, KERN_WARNING "WARNING: CPU: %u PID: %d at %s %s\n", m->cur_cpu,
	       m->sched ? get_current(m)->pid : 0, file, func);
}
