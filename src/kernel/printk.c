/* printk.c — the simulated kernel's log buffer, read back by `dmesg`.
 *
 * Each line is stamped "[%5lu.%06lu] " with the machine's simulated clock,
 * as the kernel stamps with local_clock(). Boot happens at time zero. The
 * buffer is bounded like the kernel's log_buf: when it fills, the oldest
 * lines are dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"

#define LOG_BUF_MAX (4u << 20)	/* 4 MiB of text, then drop the oldest half */

static void log_reserve(struct printk_log *log, size_t extra)
{
	if (log->len + extra + 1 <= log->cap)
		return;
	if (log->len + extra + 1 > LOG_BUF_MAX && log->len > LOG_BUF_MAX / 2) {
		/* Drop whole lines from the front until half the buffer is free. */
		size_t cut = log->len - LOG_BUF_MAX / 2;
		char *nl = memchr(log->buf + cut, '\n', log->len - cut);
		cut = nl ? (size_t)(nl - log->buf) + 1 : log->len;
		memmove(log->buf, log->buf + cut, log->len - cut);
		log->len -= cut;
	}
	size_t cap = log->cap ? log->cap : 4096;
	while (log->len + extra + 1 > cap)
		cap *= 2;
	if (cap == log->cap)
		return;
	char *buf = realloc(log->buf, cap);
	if (!buf) {
		fprintf(stderr, "mmsim: out of host memory for the kernel log\n");
		abort();
	}
	log->buf = buf;
	log->cap = cap;
}

static void log_append(struct printk_log *log, const char *text, size_t n)
{
	log_reserve(log, n);
	memcpy(log->buf + log->len, text, n);
	log->len += n;
	log->buf[log->len] = '\0';
}

static void log_vappend(struct machine *m, const char *fmt, va_list ap)
{
	char small[512];
	va_list copy;

	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		log_append(&m->log, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big)
		return;
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	log_append(&m->log, big, (size_t)n);
	free(big);
}

void vprintk(struct machine *m, const char *fmt, va_list ap)
{
	char stamp[32];
	uint64_t us = m->clock_ns / 1000;

	if (m->log.cont_open)
		log_append(&m->log, "\n", 1);
	int n = snprintf(stamp, sizeof(stamp), "[%5lu.%06lu] ",
			 (unsigned long)(us / 1000000), (unsigned long)(us % 1000000));
	log_append(&m->log, stamp, (size_t)n);
	log_vappend(m, fmt, ap);
	/* A line without its newline stays open for pr_cont(). */
	m->log.cont_open = !(m->log.len && m->log.buf[m->log.len - 1] == '\n');
}

void printk(struct machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(m, fmt, ap);
	va_end(ap);
}

void pr_cont(struct machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vappend(m, fmt, ap);
	va_end(ap);
	m->log.cont_open = !(m->log.len && m->log.buf[m->log.len - 1] == '\n');
}

void mmsim_dmesg(struct machine *m, FILE *out)
{
	if (m->log.len)
		fwrite(m->log.buf, 1, m->log.len, out);
	if (m->log.cont_open)
		fputc('\n', out);
}

void mmsim_advance_clock(struct machine *m, uint64_t ns)
{
	m->clock_ns += ns;
}

bool __ratelimit(struct machine *m, struct ratelimit_state *rs, const char *func)
{
	const uint64_t interval = 5ULL * 1000000000ULL;	/* DEFAULT_RATELIMIT_INTERVAL */
	const int burst = 10;				/* DEFAULT_RATELIMIT_BURST */

	if (!rs->begin_ns || m->clock_ns >= rs->begin_ns + interval) {
		if (rs->missed)
			printk(m, "%s: %d callbacks suppressed\n", func, rs->missed);
		rs->begin_ns = m->clock_ns ? m->clock_ns : 1;
		rs->printed = 0;
		rs->missed = 0;
	}
	if (rs->printed < burst) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	return false;
}
