/* tools/oracle/guest-user/oomprobe.c — the processes of the OOM-killer
 * workload (tools/oracle/guest-oom.sh), run the same way in the real kernel
 * and in mmsim.
 *
 *   oomprobe hold MB ADJ   set our oom_score_adj to ADJ, write every page of
 *                          MB MiB of private anonymous memory, say
 *                          "held PID MB ADJ" and wait (pause) until killed
 *   oomprobe grow          write one more MiB of anonymous memory at a time,
 *                          for ever: the OOM killer ends it (or another)
 *
 * Both write a byte into every page, so each page is resident and its own
 * (no zero page); the memory is mapped a MiB at a time so that no single
 * mmap fails the overcommit heuristic before memory really runs out.
 */
#include "ulib.h"

#if defined(__x86_64__)
#define SYS_pause_nr 34
#else
#define SYS_pause_nr 29
#endif

static long parse_long(const char *s)
{
	long sign = 1;
	if (*s == '-') {
		sign = -1;
		s++;
	}
	return sign * (long)parse_num(s, 10, 0);
}

/* echo ADJ > /proc/self/oom_score_adj: 0 or the negative errno */
static long set_oom_score_adj(const char *adj)
{
	long fd = sc3(SYS_open, "/proc/self/oom_score_adj", 1 /* O_WRONLY */, 0);
	if (fd < 0)
		return fd;
	long r = u_write((int)fd, adj, u_strlen(adj));
	u_close((int)fd);
	return r < 0 ? r : 0;
}

static __attribute__((noreturn)) void fail(const char *what, long err)
{
	oputs("oomprobe: ");
	oputs(what);
	oputs(": ");
	oresult(err);
	oputc('\n');
	oflush();
	u_exit(1);
}

/* Map @mib MiB of anonymous memory and write a byte into each page: 0 or -errno. */
static long touch_mib(ulong mib)
{
	for (ulong i = 0; i < mib; i++) {
		long a = u_mmap(0, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
		if (a < 0 && a > -4096)
			return a;
		for (ulong off = 0; off < MiB; off += PAGE)
			*(volatile char *)((ulong)a + off) = 1;
	}
	return 0;
}

void cmain(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);

	if (argc == 4 && u_streq(argv[1], "hold")) {
		ulong mib = (ulong)parse_long(argv[2]);
		long r = set_oom_score_adj(argv[3]);
		if (r < 0)
			fail("oom_score_adj", r);
		if ((r = touch_mib(mib)) < 0)
			fail("mmap", r);
		oputs("held ");
		odec(u_getpid());
		oputc(' ');
		oudec(mib);
		oputc(' ');
		odec(parse_long(argv[3]));
		oputc('\n');
		oflush();
		for (;;)
			sc0(SYS_pause_nr);
	}
	if (argc == 2 && u_streq(argv[1], "grow")) {
		for (;;) {
			long r = touch_mib(1);
			if (r < 0)
				fail("mmap", r);
		}
	}
	oputs("usage: oomprobe hold MB ADJ | oomprobe grow\n");
	oflush();
	u_exit(2);
}
