/* tools/oracle/guest-user/oomprobe.c — the processes of the OOM-killer
 * workload (tools/oracle/guest-oom.sh), run the same way in the real kernel
 * and in mmsim.
 *
 *   oomprobe hold MB ADJ   set our oom_score_adj to ADJ, write every page of
 *                          MB MiB of private anonymous memory, say
 *                          "held PID MB ADJ" and wait (pause) until killed
 *   oomprobe grow          write one more MiB of anonymous memory at a time,
 *                          for ever: the OOM killer ends it (or another)
 *   oomprobe run           the whole workload of tools/oracle/guest-oom.sh:
 *                          holders of 40, 60 and 30 MiB at oom_score_adj 0,
 *                          -500 and 500 (each reports through a pipe once
 *                          all its pages are in), their oom_score, then a
 *                          grower until the OOM killer is done, then who is
 *                          left and the oom_kill count; it needs no
 *                          writable file system and no timer, so mmsim
 *                          runs it exactly as the real kernel does
 *
 * Both write a byte into every page, so each page is resident and its own
 * (no zero page); the memory is mapped a MiB at a time so that no single
 * mmap fails the overcommit heuristic before memory really runs out.
 */
#include "ulib.h"

#if defined(__x86_64__)
#define SYS_pipe_nr 22
#else
#define SYS_pipe_nr 42
#endif

/*
 * Wait until killed: read a pipe whose only writer is ourselves (pause(2)
 * would do, but a blocking read is what both kernels serve alike).
 */
static __attribute__((noreturn)) void wait_for_death(void)
{
	int fds[2];
	char byte;

	sc1(SYS_pipe_nr, fds);
	for (;;)
		u_read(fds[0], &byte, 1);
}

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

/* Print "LABEL <contents of /proc/PID/NAME without its newline>". */
static void put_proc(long pid, const char *name)
{
	static char path[64], buf[64];
	ulong n = 0;
	const char *p = "/proc/";
	while (*p) path[n++] = *p++;
	char num[24];
	int k = 0;
	ulong v = (ulong)pid;
	do num[k++] = (char)('0' + v % 10); while (v /= 10);
	while (k) path[n++] = num[--k];
	path[n++] = '/';
	for (p = name; *p; p++) path[n++] = *p;
	path[n] = 0;
	long len = readfile(path, buf, sizeof(buf));
	while (len > 0 && buf[len - 1] == '\n')
		buf[--len] = 0;
	oputc(' ');
	oputs(name);
	oputc(' ');
	oputs(len >= 0 ? buf : "?");
}

/* Start a holder; return its pid once it has written all its pages. */
static long start_holder(const char *mb, const char *adj)
{
	int fds[2];
	char byte = 0;

	if (sc1(SYS_pipe_nr, fds) < 0)
		fail("pipe", -1);
	long pid = u_fork();
	if (pid == 0) {
		u_close(fds[0]);
		long r = set_oom_score_adj(adj);
		if (r < 0)
			fail("oom_score_adj", r);
		if ((r = touch_mib((ulong)parse_long(mb))) < 0)
			fail("mmap", r);
		u_write(fds[1], "!", 1);
		wait_for_death();
	}
	u_close(fds[1]);
	if (pid < 0 || u_read(fds[0], &byte, 1) != 1)
		fail("holder", pid < 0 ? pid : -1);
	u_close(fds[0]);
	oputs("held ");
	odec(pid);
	oputc(' ');
	oputs(mb);
	oputc(' ');
	oputs(adj);
	oputc('\n');
	return pid;
}

static void run(void)
{
	static const char *const sizes[3] = { "40", "60", "30" }, *const adjs[3] = { "0", "-500", "500" };
	static char vmstat[16384];
	long pids[3];
	int status = 0;

	oputs("===OOM_HOLD\n");
	for (int i = 0; i < 3; i++)
		pids[i] = start_holder(sizes[i], adjs[i]);
	oputs("===OOM_SCORE\n");
	for (int i = 0; i < 3; i++) {
		oputs("pid ");
		odec(pids[i]);
		put_proc(pids[i], "oom_score");
		put_proc(pids[i], "oom_score_adj");
		put_proc(pids[i], "oom_adj");
		oputc('\n');
	}
	oputs("===OOM_GROW\n");
	oflush();
	long g = u_fork();
	if (g == 0) {
		for (;;)
			if (touch_mib(1) < 0)
				u_exit(1);
	}
	u_wait4(g, &status, 0, 0);
	oputs("grow ");
	if ((status & 0x7f) == 0) {
		oputs("exit ");
		odec((status >> 8) & 0xff);
	} else {
		oputs("killed by signal ");
		odec(status & 0x7f);
	}
	oputs("\n===OOM_ALIVE\n");
	for (int i = 0; i < 3; i++) {
		/* A holder the OOM killer took is a zombie now: reap it, then it is gone. */
		long r = u_wait4(pids[i], &status, 1 /* WNOHANG */, 0);
		oputs("pid ");
		odec(pids[i]);
		oputs(r == pids[i] ? " gone\n" : " alive\n");
	}
	if (readfile("/proc/vmstat", vmstat, sizeof(vmstat)) > 0) {
		const char *line = vmstat;
		while (*line) {
			const char *end = line;
			while (*end && *end != '\n') end++;
			if (u_startswith(line, "oom_kill ")) {
				oputn(line, (ulong)(end - line));
				oputc('\n');
			}
			line = *end ? end + 1 : end;
		}
	}
	oflush();
	for (int i = 0; i < 3; i++) {
		u_kill(pids[i], SIGKILL);
		u_wait4(pids[i], &status, 0, 0);
	}
	u_exit(0);
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
		wait_for_death();
	}
	if (argc == 2 && u_streq(argv[1], "grow")) {
		for (;;) {
			long r = touch_mib(1);
			if (r < 0)
				fail("mmap", r);
		}
	}
	if (argc == 2 && u_streq(argv[1], "run"))
		run();
	oputs("usage: oomprobe hold MB ADJ | oomprobe grow | oomprobe run\n");
	oflush();
	u_exit(2);
}
