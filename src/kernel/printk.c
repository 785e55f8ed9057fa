/* printk.c — the simulated kernel's log buffer, read back by `dmesg`.
 *
 * Each line is stamped "[%5lu.%06lu] " with the machine's simulated clock,
 * as the kernel stamps with local_clock(); boot happens at time zero. A
 * line keeps its log level (KERN_ERR ...) and facility, stored in front of
 * it as /dev/kmsg shows them ("<3>[    1.234567] text"), so that
 * `dmesg --level` and `dmesg -r` can be answered. The buffer is bounded
 * like the kernel's log_buf: when it fills, the oldest lines are dropped.
 * `dmesg -C` does not delete anything: as SYSLOG_ACTION_CLEAR it moves
 * the point from which the log is read (clear_seq). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "mm/memblock.h"

#define LOG_BUF_MAX (4u << 20)	/* 4 MiB of text, then drop the oldest half */
#define LOG_KERN 0		/* facility of the kernel's own messages */
#define LOG_USER 1		/* facility of lines written to /dev/kmsg */

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
		log->clear = log->clear > cut ? log->clear - cut : 0;
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

static void update_cont(struct printk_log *log)
{
	/* A line without its newline stays open for pr_cont(). */
	log->cont_open = !(log->len && log->buf[log->len - 1] == '\n');
}

/* Start a line of @facility at @level, stamped with the clock. */
static void log_line_start(struct machine *m, int facility, int level)
{
	char head[48];
	uint64_t us = m->clock_ns / 1000;

	if (m->log.cont_open)
		log_append(&m->log, "\n", 1);
	int n = snprintf(head, sizeof(head), "<%d>[%5lu.%06lu] ", facility * 8 + level,
			 (unsigned long)(us / 1000000), (unsigned long)(us % 1000000));
	log_append(&m->log, head, (size_t)n);
}

/*
 * vprintk_store(): the message is formatted first and its prefix read from
 * the text — so a level passed as an argument ("%sCode: ...", loglvl)
 * counts as one — KERN_CONT continuing the open line, a digit the level.
 */
void vprintk(struct machine *m, const char *fmt, va_list ap)
{
	char small[512], *text = small;
	va_list copy;
	int level = MESSAGE_LOGLEVEL_DEFAULT;
	bool cont = false;

	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		text = malloc((size_t)n + 1);
		if (!text)
			return;
		vsnprintf(text, (size_t)n + 1, fmt, ap);
	}
	const char *p = text;
	while (p[0] == KERN_SOH[0] && p[1]) {
		if (p[1] == 'c')
			cont = true;
		else if (p[1] >= '0' && p[1] <= '7')
			level = p[1] - '0';
		p += 2;
	}
	/* A continuation with no line open to continue starts one of its own. */
	if (!cont || !m->log.cont_open)
		log_line_start(m, LOG_KERN, level);
	log_append(&m->log, p, (size_t)n - (size_t)(p - text));
	update_cont(&m->log);
	if (text != small)
		free(text);
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
	update_cont(&m->log);
}

/*
 * devkmsg_write(): a line written to /dev/kmsg, facility user and level 4
 * unless it starts with its own "<PRI>" (then the kernel keeps that).
 */
void mmsim_kmsg_write(struct machine *m, const char *text)
{
	int facility = LOG_USER, level = MESSAGE_LOGLEVEL_DEFAULT;

	if (text[0] == '<') {
		char *end;
		unsigned long pri = strtoul(text + 1, &end, 10);
		if (end != text + 1 && *end == '>' && pri < 1024) {
			facility = (int)(pri >> 3) ? (int)(pri >> 3) : LOG_USER;
			level = (int)(pri & 7);
			text = end + 1;
		}
	}
	size_t len = strcspn(text, "\n");
	log_line_start(m, facility, level);
	log_append(&m->log, text, len);
	log_append(&m->log, "\n", 1);
	update_cont(&m->log);
}

/* Every line from the clear point on, with its "<PRI>" or without. */
static void dmesg_print(struct machine *m, FILE *out, bool raw)
{
	const char *p = m->log.buf + m->log.clear, *end = m->log.buf + m->log.len;

	if (!m->log.len)
		return;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl + 1 : end;
		const char *text = p;
		if (!raw && *p == '<') {
			const char *gt = memchr(p, '>', (size_t)(eol - p));
			if (gt)
				text = gt + 1;
		}
		fwrite(text, 1, (size_t)(eol - text), out);
		p = eol;
	}
	if (m->log.cont_open)
		fputc('\n', out);
}

void mmsim_dmesg(struct machine *m, FILE *out)
{
	dmesg_print(m, out, false);
}

void mmsim_dmesg_raw(struct machine *m, FILE *out)
{
	dmesg_print(m, out, true);
}

void mmsim_dmesg_clear(struct machine *m)
{
	if (m->log.cont_open) {
		log_append(&m->log, "\n", 1);
		m->log.cont_open = false;
	}
	m->log.clear = m->log.len;
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
			printk(m, KERN_WARNING "%s: %d callbacks suppressed\n", func, rs->missed);
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

/* ---- setup_log_buf(): the log buffer grows with the CPUs ------------------------------ */

#define LOG_BUF_LEN		(1u << 17)	/* CONFIG_LOG_BUF_SHIFT=17 */
#define LOG_CPU_MAX_BUF_LEN	(1u << 12)	/* CONFIG_LOG_CPU_MAX_BUF_SHIFT=12 */
#define PRB_AVGBITS		5		/* 32 bytes of text per record, on average */

/* The text of the records logged so far: each line without its "<PRI>[time] " and newline. */
static size_t log_text_bytes(const struct printk_log *log)
{
	size_t bytes = 0;

	for (const char *p = log->buf, *end = log->buf + log->len; p && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *text = memchr(p, ']', (size_t)((nl ? nl : end) - p));
		const char *stop = nl ? nl : end;
		if (text && text + 2 <= stop)
			bytes += (size_t)(stop - (text + 2));
		p = nl ? nl + 1 : end;
	}
	return bytes;
}

/*
 * log_buf_add_cpu() and setup_log_buf(): 4 KiB of log per possible CPU
 * beyond the first; once that is more than half the static 128 KiB
 * buffer (18 CPUs or more), a buffer of the next power of two, with its
 * record descriptors and infos, comes from memblock, and the records so
 * far move there.
 */
int setup_log_buf(struct machine *m)
{
	unsigned int cpu_extra = (m->nr_cpus - 1) * LOG_CPU_MAX_BUF_LEN;

	if (m->nr_cpus <= 1 || cpu_extra <= LOG_BUF_LEN / 2)
		return 0;
	printk(m, KERN_INFO "printk: log_buf_len individual max cpu contribution: %u bytes\n",
	       LOG_CPU_MAX_BUF_LEN);
	printk(m, KERN_INFO "printk: log_buf_len total cpu_extra contributions: %u bytes\n", cpu_extra);
	printk(m, KERN_INFO "printk: log_buf_len min size: %u bytes\n", LOG_BUF_LEN);
	uint64_t len = 1;
	while (len < (uint64_t)LOG_BUF_LEN + cpu_extra)
		len <<= 1;	/* log_buf_len_update(): roundup_pow_of_two */
	uint64_t descs = len >> PRB_AVGBITS;
	/* struct prb_desc: a state word and two positions; struct printk_info: 88 bytes. */
	uint64_t desc_bytes = descs * (m->is_32bit ? 12 : 24), info_bytes = descs * 88;
	/* memblock_alloc(size, LOG_ALIGN): reserved for good. */
	if (!memblock_alloc(m, len, 8) || !memblock_alloc(m, desc_bytes, 8) ||
	    !memblock_alloc(m, info_bytes, 8))
		return -MMSIM_ENOMEM;
	size_t used = log_text_bytes(&m->log);
	unsigned int free = used < LOG_BUF_LEN ? LOG_BUF_LEN - (unsigned int)used : 0;
	printk(m, KERN_INFO "printk: log_buf_len: %" PRIu64 " bytes\n", len);
	printk(m, KERN_INFO "printk: early log buf free: %u(%u%%)\n", free,
	       (unsigned int)((uint64_t)free * 100 / LOG_BUF_LEN));
	return 0;
}
