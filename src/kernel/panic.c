/* panic.c — what the kernel prints when its own code finds a bug it survives:
 * WARN() and WARN_ON() (kernel/panic.c's __warn(), lib/bug.c's report_bug());
 * and panic(), after which it runs nothing more.
 *
 * Every warning opens with the "cut here" line, then the message of WARN()
 * (none for WARN_ON()), then where it happened. The real kernel goes on
 * with the module list, the registers and a call trace; mmsim has none of
 * those, and names the function where the kernel would give its address
 * and offset (__alloc_pages+0x2a0/0x310). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/*
 * panic(): the message, its last newline dropped, between "Kernel panic -
 * not syncing:" and the closing "---[ end Kernel panic ... ]---". The
 * kernel's stack dump in between has no meaning here (see __warn), and
 * with panic=-1, as the captures boot, it reboots without a countdown.
 * mmsim cannot stop its callers mid-function as the kernel does: it marks
 * the machine, and what runs it (the scenario engine, the CPU loop) stops.
 */
void panic(struct machine *m, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	size_t len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	if (m->panicked)
		return;
	m->panicked = true;
	pr_emerg(m, "Kernel panic - not syncing: %s\n", buf);
	pr_emerg(m, "---[ end Kernel panic - not syncing: %s ]---\n", buf);
}
