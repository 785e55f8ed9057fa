/* cmd_process.c — scenario commands of processes and their memory: spawn,
 * execve, fork, _exit, wait; every memory system call (mmap, munmap,
 * mprotect, mremap, madvise, mlock ..., brk, open, close, setrlimit ...);
 * the program's own loads and stores (touch, upeek, upoke); strace.
 *
 * Processes and the values calls return have names: `spawn sh` names a
 * process, `mmap sh 0 10M rw private,anonymous as p` names the address
 * mmap returned, and later commands take "p+4M". A process can also be
 * given by its pid, and /proc/NAME/maps means /proc/PID/maps.
 *
 * A system call that succeeds prints nothing, unless `strace on`; one that
 * fails prints its strace line with the kernel's errno — failing is
 * something the kernel does, not an error of the scenario. A signal a
 * memory access raised is printed as strace prints it. Everything goes
 * through the library's process API (<mmsim/process.h>). */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>
#include <mmsim/process.h>

#include "cli/cli.h"
#include "cli/exec.h"
#include "machine.h"

/* Pages one touch command may access: keeps a typo from running for hours. */
#define TOUCH_MAX_PAGES	(1UL << 26)
#define UPEEK_MAX	4096
#define EXEC_MAX_ARGS	60

/* ---- arguments --------------------------------------------------------------------------- */

/* A process: a name `spawn` or `fork` bound, or a pid. */
static int proc_arg(struct cli *c, const char *text, int *pid)
{
	uint64_t v;

	if (isdigit((unsigned char)text[0])) {
		if (parse_number(text, &v) || v == 0 || v > 0x7fffffff)
			return cli_error(c, "'%s' is not a pid", text);
		*pid = (int)v;
		return 0;
	}
	struct cli_name *n = cli_name_get(c, text, NAME_PROCESS);
	if (!n)
		return 2;
	*pid = (int)n->addr;
	return 0;
}

/* A user address: NULL, a number, or a name a call returned, with +OFFSET or -OFFSET. */
static int uaddr_arg(struct cli *c, const char *text, uint64_t *addr)
{
	char base[128];
	size_t len = strcspn(text, "+-");
	uint64_t off = 0;
	bool minus = text[len] == '-';

	if (!len || len >= sizeof(base))
		return cli_error(c, "'%s' is not an address", text);
	memcpy(base, text, len);
	base[len] = '\0';
	if (text[len] && parse_size(text + len + 1, &off))
		return cli_error(c, "'%s': '%s' is not an offset", text, text + len + 1);
	if (!strcmp(base, "NULL")) {
		*addr = 0;
	} else if (isdigit((unsigned char)base[0])) {
		if (parse_number(base, addr))
			return cli_error(c, "'%s' is not an address", text);
	} else {
		struct cli_name *n = cli_name_get(c, base, NAME_VALUE);
		if (!n)
			return 2;
		*addr = n->addr;
	}
	uint64_t limit = c->m->is_32bit ? 0xffffffffULL : UINT64_MAX;
	if (*addr > limit || (!minus && off > limit - *addr) || (minus && off > *addr))
		return cli_error(c, "'%s' is outside the %s address space", text,
				 c->m->is_32bit ? "32-bit" : "64-bit");
	*addr = minus ? *addr - off : *addr + off;
	return 0;
}

static int len_arg(struct cli *c, const char *text, uint64_t *len)
{
	return cli_size(c, text, "length", c->m->is_32bit ? 0xffffffffULL : UINT64_MAX, len);
}

struct flag_name {
	const char *name;
	uint64_t value;
};

#define F(prefix, name) { #prefix #name, MMSIM_##prefix##name }

static const struct flag_name prot_flags[] = {
	F(PROT_, NONE), F(PROT_, READ), F(PROT_, WRITE), F(PROT_, EXEC), F(PROT_, SEM),
	F(PROT_, GROWSDOWN), F(PROT_, GROWSUP), { NULL, 0 },
};
static const struct flag_name map_flags[] = {
	F(MAP_, SHARED_VALIDATE), F(MAP_, SHARED), F(MAP_, PRIVATE), F(MAP_, FIXED_NOREPLACE),
	F(MAP_, FIXED), F(MAP_, ANONYMOUS), F(MAP_, 32BIT), F(MAP_, GROWSDOWN), F(MAP_, DENYWRITE),
	F(MAP_, EXECUTABLE), F(MAP_, LOCKED), F(MAP_, NORESERVE), F(MAP_, POPULATE),
	F(MAP_, NONBLOCK), F(MAP_, STACK), F(MAP_, HUGETLB), F(MAP_, SYNC), F(MAP_, UNINITIALIZED),
	{ "MAP_ANON", MMSIM_MAP_ANONYMOUS }, { NULL, 0 },
};
static const struct flag_name madv_values[] = {
	F(MADV_, NORMAL), F(MADV_, RANDOM), F(MADV_, SEQUENTIAL), F(MADV_, WILLNEED),
	F(MADV_, DONTNEED), F(MADV_, FREE), F(MADV_, REMOVE), F(MADV_, DONTFORK), F(MADV_, DOFORK),
	F(MADV_, MERGEABLE), F(MADV_, UNMERGEABLE), F(MADV_, HUGEPAGE), F(MADV_, NOHUGEPAGE),
	F(MADV_, DONTDUMP), F(MADV_, DODUMP), F(MADV_, WIPEONFORK), F(MADV_, KEEPONFORK),
	F(MADV_, COLD), F(MADV_, PAGEOUT), F(MADV_, POPULATE_READ), F(MADV_, POPULATE_WRITE),
	F(MADV_, DONTNEED_LOCKED), { NULL, 0 },
};
static const struct flag_name mremap_flags[] = {
	F(MREMAP_, MAYMOVE), F(MREMAP_, FIXED), F(MREMAP_, DONTUNMAP), { NULL, 0 },
};
static const struct flag_name mcl_flags[] = {
	F(MCL_, CURRENT), F(MCL_, FUTURE), F(MCL_, ONFAULT), { NULL, 0 },
};
static const struct flag_name mlock_flags[] = { F(MLOCK_, ONFAULT), { NULL, 0 } };
static const struct flag_name ms_flags[] = {
	F(MS_, ASYNC), F(MS_, INVALIDATE), F(MS_, SYNC), { NULL, 0 },
};
static const struct flag_name open_flags[] = {
	F(O_, RDONLY), F(O_, WRONLY), F(O_, RDWR), { NULL, 0 },
};
static const struct flag_name rlimit_names[] = {
	{ "RLIMIT_DATA", MMSIM_RLIMIT_DATA }, { "RLIMIT_STACK", MMSIM_RLIMIT_STACK },
	{ "RLIMIT_NOFILE", MMSIM_RLIMIT_NOFILE }, { "RLIMIT_MEMLOCK", MMSIM_RLIMIT_MEMLOCK },
	{ "RLIMIT_AS", MMSIM_RLIMIT_AS }, { NULL, 0 },
};
static const struct flag_name signal_names[] = {
	{ "SIGBUS", 7 }, { "SIGSEGV", 11 }, { NULL, 0 },
};
#undef F

/* Does @word name @f, either as the kernel spells it or lowercase without its prefix? */
static bool flag_matches(const struct flag_name *f, const char *word, size_t len)
{
	/* The name without its prefix: PROT_READ -> read; a name without one (SIGSEGV) is whole. */
	const char *bare = strchr(f->name, '_') ? strchr(f->name, '_') + 1 : f->name;

	if (strlen(f->name) == len && !strncmp(f->name, word, len))
		return true;
	if (strlen(bare) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (tolower((unsigned char)bare[i]) != word[i])
			return false;
	return true;
}

/*
 * Flags: names joined by '|' or ',' (PROT_READ|PROT_WRITE, or read,write),
 * or a number. @single: exactly one value (MADV_*, RLIMIT_*).
 */
static int flags_arg(struct cli *c, const char *text, const char *what,
		     const struct flag_name *table, bool single, uint64_t *value)
{
	*value = 0;
	if (isdigit((unsigned char)text[0])) {
		if (parse_number(text, value) || *value > 0xffffffffULL)
			return cli_error(c, "'%s' is not %s", text, what);
		return 0;
	}
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "|,");
		const struct flag_name *f = table;
		while (f->name && !flag_matches(f, p, len))
			f++;
		if (!f->name || (single && p != text))
			return cli_error(c, "'%.*s' is not %s (%s%s%s ...)", (int)len, p, what,
					 table[0].name, table[1].name ? ", " : "",
					 table[1].name ? table[1].name : "");
		*value |= f->value;
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

/* PROT_*, read|write, or mprotect(1)-style letters: rw-, r-x, ---. */
static int prot_arg(struct cli *c, const char *text, int *prot)
{
	uint64_t v;
	size_t n = strlen(text);

	if (n >= 1 && n <= 3 && strspn(text, "rwx-") == n && strcmp(text, "-")) {
		*prot = (strchr(text, 'r') ? MMSIM_PROT_READ : 0) |
			(strchr(text, 'w') ? MMSIM_PROT_WRITE : 0) |
			(strchr(text, 'x') ? MMSIM_PROT_EXEC : 0);
		return 0;
	}
	if (!strcmp(text, "none")) {
		*prot = MMSIM_PROT_NONE;
		return 0;
	}
	int rc = flags_arg(c, text, "a protection", prot_flags, false, &v);
	*prot = (int)v;
	return rc;
}

/* The words of a call, and where "as NAME" binds its result (NULL: nowhere). */
static const char *result_name(struct cli *c, int *argc, char **argv, int *rc)
{
	*rc = 0;
	if (*argc >= 3 && !strcmp(argv[*argc - 2], "as")) {
		const char *name = argv[*argc - 1];
		if (!isalpha((unsigned char)name[0]) && name[0] != '_') {
			*rc = cli_error(c, "'%s' cannot be a name (it must start with a letter)", name);
			return NULL;
		}
		if ((*rc = cli_name_check(c, name, NAME_VALUE)))
			return NULL;
		*argc -= 2;
		return name;
	}
	return NULL;
}

static int bind_value(struct cli *c, const char *name, uint64_t value)
{
	if (!name)
		return 0;
	struct cli_name *n = cli_name_bind(c, name, NAME_VALUE);
	if (!n)
		return 2;
	n->addr = value;
	return 0;
}

/* ---- strace's lines ----------------------------------------------------------------------- */

struct call {
	char text[1024];
	size_t len;
};

static void call_add(struct call *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void call_add(struct call *k, const char *fmt, ...)
{
	va_list ap;

	if (k->len >= sizeof(k->text) - 1)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(k->text + k->len, sizeof(k->text) - k->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		k->len = k->len + (size_t)n < sizeof(k->text) ? k->len + (size_t)n : sizeof(k->text) - 1;
}

/* Flags as strace prints them: names joined by '|', what is left in hex, 0 as @zero. */
static void call_flags(struct call *k, const struct flag_name *table, uint64_t v, const char *zero)
{
	bool any = false;

	if (!v) {
		call_add(k, "%s", zero);
		return;
	}
	for (const struct flag_name *f = table; f->name; f++) {
		if (!f->value || (v & f->value) != f->value)
			continue;
		/* MAP_SHARED_VALIDATE is SHARED|PRIVATE; FIXED_NOREPLACE is its own bit. */
		call_add(k, "%s%s", any ? "|" : "", f->name);
		any = true;
		v &= ~f->value;
	}
	if (v)
		call_add(k, "%s%#" PRIx64, any ? "|" : "", v);
}

static void call_addr(struct call *k, uint64_t addr)
{
	if (addr)
		call_add(k, "%#" PRIx64, addr);
	else
		call_add(k, "NULL");
}

static const char *value_name(const struct flag_name *table, uint64_t v)
{
	for (const struct flag_name *f = table; f->name; f++)
		if (f->value == v)
			return f->name;
	return NULL;
}

/*
 * The call's line, "[pid N] call(args) = result": printed under strace, or
 * when it failed (@ret < 0 is -errno; @hex prints a success in hex).
 */
static void call_done(struct cli *c, int pid, struct call *k, int64_t ret, bool hex)
{
	if (ret >= 0 && !c->strace)
		return;
	fprintf(c->out, "[pid %5d] %s = ", pid, k->text);
	if (ret < 0)
		fprintf(c->out, "-1 %s (%s)\n", mmsim_errno_name((int)-ret),
			mmsim_strerror((int)-ret));
	else if (hex)
		fprintf(c->out, "%#" PRIx64 "\n", (uint64_t)ret);
	else
		fprintf(c->out, "%" PRId64 "\n", ret);
}

/* A signal the access raised: "--- SIGSEGV {...} ---", and "+++ killed by SIGSEGV +++". */
static void report_signal(struct cli *c, int pid, const struct mmsim_siginfo *si)
{
	const char *sig = mmsim_signal_name(si->signo);
	const char *code = mmsim_si_code_name(si->signo, si->code);

	/* SIGKILL (the OOM killer's) never stops a traced task: strace shows only its end. */
	if (si->signo != 9) {
		fprintf(c->out, "[pid %5d] --- %s {si_signo=%s, si_code=", pid, sig, sig);
		if (strcmp(code, "?"))
			fputs(code, c->out);
		else
			fprintf(c->out, "%d", si->code);
		fprintf(c->out, ", si_addr=%#" PRIx64 "} ---\n", si->addr);
	}
	if (!si->handled)
		fprintf(c->out, "[pid %5d] +++ killed by %s +++\n", pid, sig);
}

/* ---- processes ---------------------------------------------------------------------------- */

/* A name for a new process: unused, or naming a process that is gone. */
static struct cli_name *bind_process(struct cli *c, const char *name)
{
	if (!isalpha((unsigned char)name[0]) && name[0] != '_') {
		cli_error(c, "'%s' cannot name a process (it must start with a letter)", name);
		return NULL;
	}
	if (!strcmp(name, "self")) {
		cli_error(c, "'self' is /proc/self: pick another name");
		return NULL;
	}
	return cli_name_bind(c, name, NAME_PROCESS);
}

/*
 * The arguments of an exec: [-a ARGV0] [-i] [-e VAR=VALUE]... PATH [ARG...].
 * The environment starts as init's (HOME=/ TERM=linux, what the kernel
 * gives init); -i empties it.
 */
struct exec_args {
	const char *path;
	const char *argv[EXEC_MAX_ARGS + 1];
	const char *envp[EXEC_MAX_ARGS + 3];
};

static int exec_args(struct cli *c, int argc, char **argv, int first, struct exec_args *x)
{
	int i = first, nenv = 0, nargv = 0;
	const char *argv0 = NULL;

	x->envp[nenv++] = "HOME=/";
	x->envp[nenv++] = "TERM=linux";
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-i")) {
			nenv = 0;
		} else if (!strcmp(argv[i], "-a") && i + 1 < argc) {
			argv0 = argv[++i];
		} else if (!strcmp(argv[i], "-e") && i + 1 < argc) {
			if (!strchr(argv[i + 1], '='))
				return cli_error(c, "-e %s: the environment takes VAR=VALUE", argv[i + 1]);
			if (nenv >= EXEC_MAX_ARGS)
				return cli_error(c, "more than %d environment strings", EXEC_MAX_ARGS);
			x->envp[nenv++] = argv[++i];
		} else {
			return cli_error(c, "'%s': the options are -a ARGV0, -i and -e VAR=VALUE", argv[i]);
		}
	}
	if (i >= argc)
		return cli_error(c, "no program to run (a path, as on the machine or the host)");
	x->path = argv[i];
	x->argv[nargv++] = argv0 ? argv0 : argv[i];
	for (i++; i < argc; i++) {
		if (nargv >= EXEC_MAX_ARGS)
			return cli_error(c, "more than %d arguments", EXEC_MAX_ARGS);
		x->argv[nargv++] = argv[i];
	}
	x->argv[nargv] = NULL;
	x->envp[nenv] = NULL;
	return 0;
}

static void call_strings(struct call *k, const char *const *v)
{
	call_add(k, "[");
	for (int i = 0; v[i]; i++)
		call_add(k, "%s\"%s\"", i ? ", " : "", v[i]);
	call_add(k, "]");
}

static int do_exec(struct cli *c, int pid, const struct exec_args *x)
{
	struct call k = { .len = 0 };
	const char *why = NULL;

	call_add(&k, "execve(\"%s\", ", x->path);
	call_strings(&k, x->argv);
	call_add(&k, ", ");
	call_strings(&k, x->envp);
	call_add(&k, ")");
	int ret = mmsim_execve(c->m, pid, x->path, x->argv, x->envp, &why);
	call_done(c, pid, &k, ret, false);
	if (ret < 0 && why)
		fprintf(c->out, "[pid %5d] execve: %s\n", pid, why);
	return 0;
}

/* spawn NAME [-a ARGV0] [-i] [-e VAR=VALUE]... [PATH [ARG...]] */
static int cmd_spawn(struct cli *c, int argc, char **argv)
{
	struct exec_args x;
	int rc;

	if (argc > 2 && (rc = exec_args(c, argc, argv, 2, &x)))
		return rc;
	struct cli_name *n = bind_process(c, argv[1]);
	if (!n)
		return 2;
	int pid = mmsim_spawn(c->m, argv[1]);
	if (pid < 0) {
		n->empty = true;
		fprintf(c->out, "%s: fork failed: %s\n", argv[1], mmsim_strerror(-pid));
		return 0;
	}
	n->addr = (uint64_t)pid;
	if (c->strace)
		fprintf(c->out, "[pid %5d] +++ spawned by init as %s +++\n", pid, argv[1]);
	return argc > 2 ? do_exec(c, pid, &x) : 0;
}

/* execve PROC [-a ARGV0] [-i] [-e VAR=VALUE]... PATH [ARG...] */
static int cmd_execve(struct cli *c, int argc, char **argv)
{
	struct exec_args x;
	int pid, rc;

	if ((rc = proc_arg(c, argv[1], &pid)) || (rc = exec_args(c, argc, argv, 2, &x)))
		return rc;
	return do_exec(c, pid, &x);
}

/* fork PROC CHILD */
static int cmd_fork(struct cli *c, int argc, char **argv)
{
	struct call k = { .len = 0 };
	int pid, rc;

	(void)argc;
	if ((rc = proc_arg(c, argv[1], &pid)) || (rc = cli_name_check(c, argv[2], NAME_PROCESS)))
		return rc;
	call_add(&k, "fork()");
	int child = mmsim_fork(c->m, pid);
	call_done(c, pid, &k, child, false);
	if (child > 0) {
		struct cli_name *n = bind_process(c, argv[2]);
		if (!n)
			return 2;
		n->addr = (uint64_t)child;
	}
	return 0;
}

/* _exit PROC [STATUS]: exit_group(2). */
static int cmd_exit_process(struct cli *c, int argc, char **argv)
{
	uint64_t status = 0;
	int pid, rc;

	if ((rc = proc_arg(c, argv[1], &pid)) ||
	    (argc > 2 && (rc = cli_number(c, argv[2], "exit status", 255, &status))))
		return rc;
	int ret = mmsim_exit(c->m, pid, (int)status);
	if (ret < 0) {
		struct call k = { .len = 0 };
		call_add(&k, "exit_group(%d)", (int)status);
		call_done(c, pid, &k, ret, false);
	} else if (c->strace) {
		fprintf(c->out, "[pid %5d] exit_group(%d) = ?\n[pid %5d] +++ exited with %d +++\n", pid,
			(int)status, pid, (int)status);
	}
	return 0;
}

/* The wait status as strace decodes it. */
static void describe_status(char *buf, size_t n, int status)
{
	if ((status & 0x7f) == 0)
		snprintf(buf, n, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", (status >> 8) & 0xff);
	else
		snprintf(buf, n, "[{WIFSIGNALED(s) && WTERMSIG(s) == %s}]",
			 (status & 0x7f) == 11 ? "SIGSEGV" : (status & 0x7f) == 7 ? "SIGBUS"
			 : (status & 0x7f) == 9 ? "SIGKILL" : "?");
}

/*
 * wait PROC [CHILD]: wait4(2) for CHILD (or any child). What it reaped is
 * always printed: the child, how it ended, and its rusage.
 */
static int cmd_wait(struct cli *c, int argc, char **argv)
{
	struct mmsim_rusage ru;
	int pid, child = -1, status = 0, rc;
	char how[96];

	if ((rc = proc_arg(c, argv[1], &pid)) || (argc > 2 && strcmp(argv[2], "-1") &&
						  (rc = proc_arg(c, argv[2], &child))))
		return rc;
	int ret = mmsim_wait4(c->m, pid, child, &status, &ru);
	if (ret <= 0) {
		struct call k = { .len = 0 };
		call_add(&k, "wait4(%d, %s, WNOHANG, NULL)", child, ret ? "0x0" : "[]");
		if (ret == 0) {
			fprintf(c->out, "[pid %5d] %s = 0 (no child has exited)\n", pid, k.text);
			return 0;
		}
		call_done(c, pid, &k, ret, false);
		return 0;
	}
	describe_status(how, sizeof(how), status);
	fprintf(c->out, "[pid %5d] wait4(%d, %s, 0, {ru_maxrss=%lu, ru_minflt=%lu, ru_majflt=%lu}) = %d\n",
		pid, child, how, ru.maxrss_kb, ru.minflt, ru.majflt, ret);
	return 0;
}

/*
 * execute PROC [SECONDS]: PROC's own program runs on the host's CPU (KVM)
 * through the machine's page tables until it exits; its descriptors 0-2
 * are the console (the terminal mmsim runs on) if it has none. With
 * `strace on` its system calls are listed. PROC stays a zombie for `wait`.
 * After SECONDS it is stopped where it is, alive: /proc shows it, and
 * `execute` again lets it go on.
 */
static int cmd_run(struct cli *c, int argc, char **argv)
{
	int pid, rc, status = 0;
	double seconds = 0;
	const char *why = NULL;

	if ((rc = proc_arg(c, argv[1], &pid)))
		return rc;
	if (argc > 2) {
		char *end;
		seconds = strtod(argv[2], &end);
		if (end == argv[2] || *end || !(seconds > 0 && seconds <= 86400))
			return cli_error(c, "execute: '%s' is not a number of seconds (0 < S <= 86400)", argv[2]);
	}
	if ((rc = mmsim_open_console(c->m, pid)) < 0)
		return cli_error(c, "execute %s: %s", argv[1], mmsim_strerror(-rc));
	fflush(c->out);		/* what came before is printed before the program's output */
	if (c->strace)
		mmsim_trace_syscalls(c->m, c->out);
	rc = cli_run_for(c->m, pid, seconds, false, &status, &why);
	mmsim_trace_syscalls(c->m, NULL);
	if (rc == -MMSIM_EINTR) {
		/* The time is up: the program stays where it was, to be looked at or run on. */
		fprintf(c->out, "execute %s: still running after %g s (stopped here; execute it again to go on)\n",
			argv[1], seconds);
		return 0;
	}
	if (rc)
		return cli_error(c, "execute %s: %s%s%s", argv[1], mmsim_strerror(-rc), why ? ": " : "", why ? why : "");
	char how[96];
	describe_status(how, sizeof(how), status);
	fprintf(c->out, "execute %s: %s\n", argv[1], how);
	return 0;
}

/* install HOST_PATH GUEST_PATH: a host file into the machine's root (a tmpfs). */
static int cmd_install(struct cli *c, int argc, char **argv)
{
	(void)argc;
	int ret = mmsim_install(c->m, argv[1], argv[2]);
	if (ret < 0)
		return cli_error(c, "install %s %s: %s", argv[1], argv[2], mmsim_strerror(-ret));
	return 0;
}

/* ln -s TARGET LINK: a symbolic link in the machine's root. */
static int cmd_ln(struct cli *c, int argc, char **argv)
{
	(void)argc;
	if (strcmp(argv[1], "-s"))
		return cli_error(c, "ln: only symbolic links (ln -s TARGET LINK): the root is a tmpfs "
				 "of installed copies");
	int ret = mmsim_symlink(c->m, argv[2], argv[3]);
	if (ret < 0)
		return cli_error(c, "ln: failed to create symbolic link '%s': %s", argv[3],
				 mmsim_strerror(-ret));
	return 0;
}

/* strace on|off: print every system call and its result. */
static int cmd_strace(struct cli *c, int argc, char **argv)
{
	(void)argc;
	if (!strcmp(argv[1], "on"))
		c->strace = true;
	else if (!strcmp(argv[1], "off"))
		c->strace = false;
	else
		return cli_usage(c, "strace");
	return 0;
}

/* ---- the memory system calls ---------------------------------------------------------------- */

/* mmap PROC ADDR LEN PROT FLAGS [FD [OFFSET]] [as NAME] */
static int cmd_mmap(struct cli *c, int argc, char **argv)
{
	uint64_t addr, len, flags, fd = (uint64_t)-1, offset = 0;
	int pid, prot, rc;
	const char *name = result_name(c, &argc, argv, &rc);

	if (rc)
		return rc;
	if (argc < 6 || argc > 8)
		return cli_usage(c, "mmap");
	if ((rc = proc_arg(c, argv[1], &pid)) || (rc = uaddr_arg(c, argv[2], &addr)) ||
	    (rc = len_arg(c, argv[3], &len)) || (rc = prot_arg(c, argv[4], &prot)) ||
	    (rc = flags_arg(c, argv[5], "a mapping flag", map_flags, false, &flags)))
		return rc;
	if (argc > 6 && strcmp(argv[6], "-1") && (rc = uaddr_arg(c, argv[6], &fd)))
		return rc;
	if (argc > 7 && (rc = cli_size(c, argv[7], "offset", UINT64_MAX, &offset)))
		return rc;
	int64_t ret = mmsim_mmap(c->m, pid, addr, len, prot, (int)flags, (int)fd, offset);
	struct call k = { .len = 0 };
	call_add(&k, "%s(", c->m->is_32bit ? "mmap2" : "mmap");
	call_addr(&k, addr);
	call_add(&k, ", %" PRIu64 ", ", len);
	call_flags(&k, prot_flags + 1, (uint64_t)prot, "PROT_NONE");
	call_add(&k, ", ");
	call_flags(&k, map_flags, flags, "0");
	/* i386's mmap2 takes the offset in pages. */
	call_add(&k, ", %d, %#" PRIx64 ")", (int)fd, c->m->is_32bit ? offset >> 12 : offset);
	call_done(c, pid, &k, ret, true);
	return ret >= 0 ? bind_value(c, name, (uint64_t)ret) : 0;
}

static int range_args(struct cli *c, char **argv, int *pid, uint64_t *addr, uint64_t *len)
{
	int rc;

	if ((rc = proc_arg(c, argv[1], pid)) || (rc = uaddr_arg(c, argv[2], addr)) ||
	    (rc = len_arg(c, argv[3], len)))
		return rc;
	return 0;
}

static int cmd_munmap(struct cli *c, int argc, char **argv)
{
	uint64_t addr, len;
	int pid, rc;

	(void)argc;
	if ((rc = range_args(c, argv, &pid, &addr, &len)))
		return rc;
	struct call k = { .len = 0 };
	call_add(&k, "munmap(%#" PRIx64 ", %" PRIu64 ")", addr, len);
	call_done(c, pid, &k, mmsim_munmap(c->m, pid, addr, len), false);
	return 0;
}

static int cmd_mprotect(struct cli *c, int argc, char **argv)
{
	uint64_t addr, len;
	int pid, prot, rc;

	(void)argc;
	if ((rc = range_args(c, argv, &pid, &addr, &len)) || (rc = prot_arg(c, argv[4], &prot)))
		return rc;
	struct call k = { .len = 0 };
	call_add(&k, "mprotect(%#" PRIx64 ", %" PRIu64 ", ", addr, len);
	call_flags(&k, prot_flags + 1, (uint64_t)prot, "PROT_NONE");
	call_add(&k, ")");
	call_done(c, pid, &k, mmsim_mprotect(c->m, pid, addr, len, prot), false);
	return 0;
}

/* mremap PROC ADDR OLD_LEN NEW_LEN [FLAGS [NEW_ADDR]] [as NAME] */
static int cmd_mremap(struct cli *c, int argc, char **argv)
{
	uint64_t addr, old_len, new_len, flags = 0, new_addr = 0;
	int pid, rc;
	const char *name = result_name(c, &argc, argv, &rc);

	if (rc)
		return rc;
	if (argc < 5 || argc > 7)
		return cli_usage(c, "mremap");
	if ((rc = range_args(c, argv, &pid, &addr, &old_len)) || (rc = len_arg(c, argv[4], &new_len)) ||
	    (argc > 5 && (rc = flags_arg(c, argv[5], "an mremap flag", mremap_flags, false, &flags))) ||
	    (argc > 6 && (rc = uaddr_arg(c, argv[6], &new_addr))))
		return rc;
	int64_t ret = mmsim_mremap(c->m, pid, addr, old_len, new_len, (int)flags, new_addr);
	struct call k = { .len = 0 };
	call_add(&k, "mremap(%#" PRIx64 ", %" PRIu64 ", %" PRIu64 ", ", addr, old_len, new_len);
	call_flags(&k, mremap_flags, flags, "0");
	if (flags & MMSIM_MREMAP_FIXED)
		call_add(&k, ", %#" PRIx64, new_addr);
	call_add(&k, ")");
	call_done(c, pid, &k, ret, true);
	return ret >= 0 ? bind_value(c, name, (uint64_t)ret) : 0;
}

static int cmd_madvise(struct cli *c, int argc, char **argv)
{
	uint64_t addr, len, advice;
	int pid, rc;

	(void)argc;
	if ((rc = range_args(c, argv, &pid, &addr, &len)) ||
	    (rc = flags_arg(c, argv[4], "an advice", madv_values, true, &advice)))
		return rc;
	struct call k = { .len = 0 };
	const char *an = value_name(madv_values, advice);
	call_add(&k, "madvise(%#" PRIx64 ", %" PRIu64 ", ", addr, len);
	if (an)
		call_add(&k, "%s)", an);
	else
		call_add(&k, "%#" PRIx64 " /* MADV_??? */)", advice);
	call_done(c, pid, &k, mmsim_madvise(c->m, pid, addr, len, (int)advice), false);
	return 0;
}

/*
 * fragment PROC ADDR LEN [EVERY]: the program gives back one page in each
 * EVERY (2) of the range with madvise(MADV_DONTNEED), as a program that
 * frees scattered objects does: the pages it keeps stand between the ones
 * it freed, so free memory comes back in single pages. One line says how
 * many pages went; a failing call stops it, shown as madvise shows it.
 */
static int cmd_fragment(struct cli *c, int argc, char **argv)
{
	uint64_t addr, len, every = 2;
	int pid, rc;

	if ((rc = range_args(c, argv, &pid, &addr, &len)) ||
	    (argc > 4 && (rc = cli_number(c, argv[4], "EVERY", 1U << 20, &every))))
		return rc;
	if (every < 2)
		return cli_error(c, "fragment: EVERY must be 2 or more (1 would free the whole range)");
	if (len & (PAGE_SIZE - 1) || addr & (PAGE_SIZE - 1))
		return cli_error(c, "fragment: ADDR and LEN must be page-aligned");
	uint64_t freed = 0;
	for (uint64_t off = 0; off < len; off += every * PAGE_SIZE) {
		int r = mmsim_madvise(c->m, pid, addr + off, PAGE_SIZE, MMSIM_MADV_DONTNEED);
		if (r) {
			struct call k = { .len = 0 };
			call_add(&k, "madvise(%#" PRIx64 ", %lu, MADV_DONTNEED)", addr + off, PAGE_SIZE);
			call_done(c, pid, &k, r, false);
			break;
		}
		freed++;
	}
	fprintf(c->out, "fragment: %" PRIu64 " of %" PRIu64 " pages given back (1 in %" PRIu64 ")\n",
		freed, len >> PAGE_SHIFT, every);
	return 0;
}

/* mlock PROC ADDR LEN [MLOCK_ONFAULT]: mlock(2), or mlock2(2) with its flag. */
static int cmd_mlock(struct cli *c, int argc, char **argv)
{
	uint64_t addr, len, flags = 0;
	int pid, rc;

	if ((rc = range_args(c, argv, &pid, &addr, &len)) ||
	    (argc > 4 && (rc = flags_arg(c, argv[4], "an mlock2 flag", mlock_flags, false, &flags))))
		return rc;
	struct call k = { .len = 0 };
	if (argc > 4) {
		call_add(&k, "mlock2(%#" PRIx64 ", %" PRIu64 ", ", addr, len);
		call_flags(&k, mlock_flags, flags, "0");
		call_add(&k, ")");
	} else {
		call_add(&k, "mlock(%#" PRIx64 ", %" PRIu64 ")", addr, len);
	}
	call_done(c, pid, &k, mmsim_mlock(c->m, pid, addr, len, (int)flags), false);
	return 0;
}

static int cmd_munlock(struct cli *c, int argc, char **argv)
{
	uint64_t addr, len;
	int pid, rc;

	(void)argc;
	if ((rc = range_args(c, argv, &pid, &addr, &len)))
		return rc;
	struct call k = { .len = 0 };
	call_add(&k, "munlock(%#" PRIx64 ", %" PRIu64 ")", addr, len);
	call_done(c, pid, &k, mmsim_munlock(c->m, pid, addr, len), false);
	return 0;
}

static int cmd_mlockall(struct cli *c, int argc, char **argv)
{
	uint64_t flags;
	int pid, rc;

	(void)argc;
	if ((rc = proc_arg(c, argv[1], &pid)) ||
	    (rc = flags_arg(c, argv[2], "an mlockall flag", mcl_flags, false, &flags)))
		return rc;
	struct call k = { .len = 0 };
	call_add(&k, "mlockall(");
	call_flags(&k, mcl_flags, flags, "0");
	call_add(&k, ")");
	call_done(c, pid, &k, mmsim_mlockall(c->m, pid, (int)flags), false);
	return 0;
}

static int cmd_munlockall(struct cli *c, int argc, char **argv)
{
	int pid, rc;

	(void)argc;
	if ((rc = proc_arg(c, argv[1], &pid)))
		return rc;
	struct call k = { .len = 0 };
	call_add(&k, "munlockall()");
	call_done(c, pid, &k, mmsim_munlockall(c->m, pid), false);
	return 0;
}

static int cmd_msync(struct cli *c, int argc, char **argv)
{
	uint64_t addr, len, flags;
	int pid, rc;

	(void)argc;
	if ((rc = range_args(c, argv, &pid, &addr, &len)) ||
	    (rc = flags_arg(c, argv[4], "an msync flag", ms_flags, false, &flags)))
		return rc;
	struct call k = { .len = 0 };
	call_add(&k, "msync(%#" PRIx64 ", %" PRIu64 ", ", addr, len);
	call_flags(&k, ms_flags, flags, "0");
	call_add(&k, ")");
	call_done(c, pid, &k, mmsim_msync(c->m, pid, addr, len, (int)flags), false);
	return 0;
}

/* brk PROC ADDR [as NAME]: the break is the result (brk 0 asks where it is). */
static int cmd_brk(struct cli *c, int argc, char **argv)
{
	uint64_t addr;
	int pid, rc;
	const char *name = result_name(c, &argc, argv, &rc);

	if (rc)
		return rc;
	if (argc != 3)
		return cli_usage(c, "brk");
	if ((rc = proc_arg(c, argv[1], &pid)) || (rc = uaddr_arg(c, argv[2], &addr)))
		return rc;
	int64_t ret = mmsim_brk(c->m, pid, addr);
	struct call k = { .len = 0 };
	call_add(&k, "brk(");
	call_addr(&k, addr);
	call_add(&k, ")");
	/* A refused brk returns the old break: strace shows it as a success. */
	call_done(c, pid, &k, ret, true);
	return ret >= 0 ? bind_value(c, name, (uint64_t)ret) : 0;
}

/* open PROC PATH [O_RDONLY|O_WRONLY|O_RDWR] [as NAME] */
static int cmd_open(struct cli *c, int argc, char **argv)
{
	uint64_t flags = 0;
	int pid, rc;
	const char *name = result_name(c, &argc, argv, &rc);

	if (rc)
		return rc;
	if (argc < 3 || argc > 4)
		return cli_usage(c, "open");
	if ((rc = proc_arg(c, argv[1], &pid)) ||
	    (argc > 3 && (rc = flags_arg(c, argv[3], "an open flag", open_flags, false, &flags))))
		return rc;
	int ret = mmsim_open(c->m, pid, argv[2], (int)flags);
	struct call k = { .len = 0 };
	call_add(&k, "open(\"%s\", ", argv[2]);
	call_flags(&k, open_flags + 1, flags, "O_RDONLY");
	call_add(&k, ")");
	call_done(c, pid, &k, ret, false);
	return ret >= 0 ? bind_value(c, name, (uint64_t)ret) : 0;
}

static int cmd_close(struct cli *c, int argc, char **argv)
{
	uint64_t fd;
	int pid, rc;

	(void)argc;
	if ((rc = proc_arg(c, argv[1], &pid)) || (rc = uaddr_arg(c, argv[2], &fd)))
		return rc;
	if (fd > 0x7fffffff)
		return cli_error(c, "'%s' is not a file descriptor", argv[2]);
	struct call k = { .len = 0 };
	call_add(&k, "close(%d)", (int)fd);
	call_done(c, pid, &k, mmsim_close(c->m, pid, (int)fd), false);
	return 0;
}

static void call_rlim(struct call *k, uint64_t v)
{
	if (v == MMSIM_RLIM_INFINITY)
		call_add(k, "RLIM64_INFINITY");
	else
		call_add(k, "%" PRIu64, v);
}

/* setrlimit PROC RESOURCE SOFT [HARD]: "unlimited" for RLIM_INFINITY; HARD stays if not given. */
static int cmd_setrlimit(struct cli *c, int argc, char **argv)
{
	struct mmsim_rlimit rl;
	uint64_t res;
	int pid, rc;

	if ((rc = proc_arg(c, argv[1], &pid)) ||
	    (rc = flags_arg(c, argv[2], "a resource", rlimit_names, true, &res)))
		return rc;
	if (mmsim_getrlimit(c->m, pid, (int)res, &rl) == -MMSIM_ESRCH)
		return cli_error(c, "%s: no such process", argv[1]);
	for (int i = 3; i < argc; i++) {
		uint64_t *v = i == 3 ? &rl.rlim_cur : &rl.rlim_max;
		if (!strcmp(argv[i], "unlimited"))
			*v = MMSIM_RLIM_INFINITY;
		else if ((rc = cli_size(c, argv[i], "limit", UINT64_MAX, v)))
			return rc;
	}
	struct call k = { .len = 0 };
	call_add(&k, "prlimit64(0, %s, {rlim_cur=", value_name(rlimit_names, res));
	call_rlim(&k, rl.rlim_cur);
	call_add(&k, ", rlim_max=");
	call_rlim(&k, rl.rlim_max);
	call_add(&k, "}, NULL)");
	call_done(c, pid, &k, mmsim_setrlimit(c->m, pid, (int)res, &rl), false);
	return 0;
}

/* getrlimit PROC RESOURCE: printed, as the answer to a question is. */
static int cmd_getrlimit(struct cli *c, int argc, char **argv)
{
	struct mmsim_rlimit rl;
	uint64_t res;
	int pid, rc;

	(void)argc;
	if ((rc = proc_arg(c, argv[1], &pid)) ||
	    (rc = flags_arg(c, argv[2], "a resource", rlimit_names, true, &res)))
		return rc;
	struct call k = { .len = 0 };
	call_add(&k, "prlimit64(0, %s, NULL, ", value_name(rlimit_names, res));
	int ret = mmsim_getrlimit(c->m, pid, (int)res, &rl);
	if (ret < 0) {
		call_add(&k, "%p)", (void *)0);
		call_done(c, pid, &k, ret, false);
		return 0;
	}
	call_add(&k, "{rlim_cur=");
	call_rlim(&k, rl.rlim_cur);
	call_add(&k, ", rlim_max=");
	call_rlim(&k, rl.rlim_max);
	call_add(&k, "})");
	fprintf(c->out, "[pid %5d] %s = 0\n", pid, k.text);
	return 0;
}

/* getrusage PROC [self|children]: the memory half of struct rusage, printed. */
static int cmd_getrusage(struct cli *c, int argc, char **argv)
{
	struct mmsim_rusage ru;
	int pid, who = MMSIM_RUSAGE_SELF, rc;

	if ((rc = proc_arg(c, argv[1], &pid)))
		return rc;
	if (argc > 2) {
		if (!strcmp(argv[2], "children"))
			who = MMSIM_RUSAGE_CHILDREN;
		else if (strcmp(argv[2], "self"))
			return cli_usage(c, "getrusage");
	}
	int ret = mmsim_getrusage(c->m, pid, who, &ru);
	struct call k = { .len = 0 };
	call_add(&k, "getrusage(%s, ", who == MMSIM_RUSAGE_SELF ? "RUSAGE_SELF" : "RUSAGE_CHILDREN");
	if (ret < 0) {
		call_add(&k, "NULL)");
		call_done(c, pid, &k, ret, false);
		return 0;
	}
	fprintf(c->out, "[pid %5d] %s{ru_maxrss=%lu, ru_minflt=%lu, ru_majflt=%lu}) = 0\n", pid,
		k.text, ru.maxrss_kb, ru.minflt, ru.majflt);
	return 0;
}

static int cmd_setuid(struct cli *c, int argc, char **argv)
{
	uint64_t uid;
	int pid, rc;

	(void)argc;
	if ((rc = proc_arg(c, argv[1], &pid)) || (rc = cli_number(c, argv[2], "uid", 0xfffffffe, &uid)))
		return rc;
	struct call k = { .len = 0 };
	call_add(&k, "setuid(%u)", (unsigned int)uid);
	call_done(c, pid, &k, mmsim_setuid(c->m, pid, (unsigned int)uid), false);
	return 0;
}

static int cmd_personality(struct cli *c, int argc, char **argv)
{
	uint64_t persona;
	int pid, rc;

	(void)argc;
	if ((rc = proc_arg(c, argv[1], &pid)) ||
	    (rc = cli_number(c, argv[2], "persona", 0xffffffff, &persona)))
		return rc;
	struct call k = { .len = 0 };
	call_add(&k, "personality(%#x)", (unsigned int)persona);
	int ret = mmsim_personality(c->m, pid, (unsigned int)persona);
	call_done(c, pid, &k, ret, true);
	return 0;
}

/* signal PROC SIGSEGV|SIGBUS handle|default */
static int cmd_signal(struct cli *c, int argc, char **argv)
{
	uint64_t sig;
	int pid, rc;

	(void)argc;
	if ((rc = proc_arg(c, argv[1], &pid)) ||
	    (rc = flags_arg(c, argv[2], "a signal", signal_names, true, &sig)))
		return rc;
	bool handle = !strcmp(argv[3], "handle");
	if (!handle && strcmp(argv[3], "default"))
		return cli_usage(c, "signal");
	struct call k = { .len = 0 };
	call_add(&k, "rt_sigaction(%s, {sa_handler=%s}, NULL, 8)", value_name(signal_names, sig),
		 handle ? "handler" : "SIG_DFL");
	call_done(c, pid, &k, mmsim_sigaction(c->m, pid, (int)sig, handle), false);
	return 0;
}

/* ---- the program's own accesses -------------------------------------------------------- */

/*
 * touch PROC ADDR LEN [read|write|exec] [up|down]: one access per page of
 * [ADDR, ADDR+LEN) — lowest page first, or highest first (`down`, as a
 * stack grows) — a write storing a byte that differs per page, stopping at
 * the first signal, as the program would.
 */
static int cmd_touch(struct cli *c, int argc, char **argv)
{
	uint64_t addr, len;
	int pid, rc, op = 0;
	bool down = false;

	if ((rc = range_args(c, argv, &pid, &addr, &len)))
		return rc;
	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "write"))
			op = 1;
		else if (!strcmp(argv[i], "exec"))
			op = 2;
		else if (!strcmp(argv[i], "down"))
			down = true;
		else if (strcmp(argv[i], "read") && strcmp(argv[i], "up"))
			return cli_usage(c, "touch");
	}
	uint64_t end = addr + len;
	if (end < addr || (c->m->is_32bit && end > 0x100000000ULL))
		return cli_error(c, "touch: the range wraps around the address space");
	if (!len)
		return 0;
	uint64_t first = addr & ~0xfffULL, last = (end - 1) & ~0xfffULL;
	if ((last - first) / 4096 >= TOUCH_MAX_PAGES)
		return cli_error(c, "touch: more than %lu pages at once", TOUCH_MAX_PAGES);
	for (uint64_t n = (last - first) / 4096 + 1, i = 0; i < n; i++) {
		uint64_t page = down ? last - i * 4096 : first + i * 4096;
		uint64_t a = page < addr ? addr : page;
		struct mmsim_siginfo si;
		unsigned char b = (unsigned char)(a >> 12);
		int r = op == 1 ? mmsim_user_write(c->m, pid, a, &b, 1, &si)
			: op == 2 ? mmsim_user_exec(c->m, pid, a, &si)
				  : mmsim_user_read(c->m, pid, a, &b, 1, &si);
		if (r == -MMSIM_ESRCH)
			return cli_error(c, "%s: no such process (or it has no memory)", argv[1]);
		if (r == -MMSIM_ENOMEM) {
			fprintf(c->out, "[pid %5d] page fault at %#" PRIx64 ": out of memory\n", pid, a);
			return 0;
		}
		if (r > 0) {
			report_signal(c, pid, &si);
			return 0;
		}
	}
	return 0;
}

/* upeek PROC ADDR [LEN]: the program's bytes, read as it would (faulting), 16 to a line. */
static int cmd_upeek(struct cli *c, int argc, char **argv)
{
	unsigned char buf[UPEEK_MAX];
	uint64_t addr, len = 16;
	struct mmsim_siginfo si;
	int pid, rc;

	if ((rc = proc_arg(c, argv[1], &pid)) || (rc = uaddr_arg(c, argv[2], &addr)) ||
	    (argc > 3 && (rc = cli_number(c, argv[3], "length", UPEEK_MAX, &len))))
		return rc;
	int r = mmsim_user_read(c->m, pid, addr, buf, len, &si);
	if (r == -MMSIM_ESRCH)
		return cli_error(c, "%s: no such process (or it has no memory)", argv[1]);
	if (r) {
		if (r > 0)
			report_signal(c, pid, &si);
		else
			fprintf(c->out, "[pid %5d] read: %s\n", pid, mmsim_strerror(-r));
		return 0;
	}
	int width = c->m->is_32bit ? 8 : 16;
	for (uint64_t i = 0; i < len; i += 16) {
		fprintf(c->out, "%0*" PRIx64 " ", width, addr + i);
		for (uint64_t j = i; j < i + 16 && j < len; j++)
			fprintf(c->out, " %02x", buf[j]);
		fprintf(c->out, "  |");
		for (uint64_t j = i; j < i + 16 && j < len; j++)
			fputc(isprint(buf[j]) ? buf[j] : '.', c->out);
		fprintf(c->out, "|\n");
	}
	return 0;
}

/* upoke PROC ADDR TEXT...: the program stores TEXT's bytes (words joined by one space). */
static int cmd_upoke(struct cli *c, int argc, char **argv)
{
	char text[512];
	size_t len = 0;
	uint64_t addr;
	struct mmsim_siginfo si;
	int pid, rc;

	if ((rc = proc_arg(c, argv[1], &pid)) || (rc = uaddr_arg(c, argv[2], &addr)))
		return rc;
	for (int i = 3; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (len + n + (i > 3) >= sizeof(text))
			return cli_error(c, "upoke: text longer than %zu bytes", sizeof(text) - 1);
		if (i > 3)
			text[len++] = ' ';
		memcpy(text + len, argv[i], n);
		len += n;
	}
	int r = mmsim_user_write(c->m, pid, addr, text, len, &si);
	if (r == -MMSIM_ESRCH)
		return cli_error(c, "%s: no such process (or it has no memory)", argv[1]);
	if (r > 0)
		report_signal(c, pid, &si);
	else if (r < 0)
		fprintf(c->out, "[pid %5d] write: %s\n", pid, mmsim_strerror(-r));
	return 0;
}

/* ---- /proc/NAME ---------------------------------------------------------------------------- */

int cli_proc_path(struct cli *c, const char *path, char *buf, size_t n)
{
	const char *rest;

	if (strncmp(path, "/proc/", 6) || !isalpha((unsigned char)path[6]) ||
	    !strncmp(path + 6, "self", 4))
		return snprintf(buf, n, "%s", path) < (int)n ? 0 : -1;
	rest = path + 6 + strcspn(path + 6, "/");
	char name[128];
	size_t len = (size_t)(rest - path - 6);
	if (len >= sizeof(name))
		return snprintf(buf, n, "%s", path) < (int)n ? 0 : -1;
	memcpy(name, path + 6, len);
	name[len] = '\0';
	const struct cli_name *nm = cli_name_find(c, name);
	if (!nm || nm->kind != NAME_PROCESS || nm->empty)
		return snprintf(buf, n, "%s", path) < (int)n ? 0 : -1;
	return snprintf(buf, n, "/proc/%d%s", (int)nm->addr, rest) < (int)n ? 0 : -1;
}

static const struct cli_command process_commands[] = {
	{ "spawn", 1, CLI_ANY, "NAME [-a ARGV0] [-i] [-e VAR=VALUE]... [PATH [ARG...]]",
	  "a new process (child of init), empty or running PATH", cmd_spawn, 0, "--" },
	{ "execve", 2, CLI_ANY, "PROC [-a ARGV0] [-i] [-e VAR=VALUE]... PATH [ARG...]",
	  "replace PROC's program with the ELF file PATH", cmd_execve, 0, "n-" },
	{ "fork", 2, 2, "PROC CHILD", "fork(2): CHILD shares PROC's pages copy-on-write",
	  cmd_fork, 0, "n-" },
	{ "_exit", 1, 2, "PROC [STATUS]", "exit_group(2): PROC's memory goes, it stays a zombie",
	  cmd_exit_process, 0, "n-" },
	{ "wait", 1, 2, "PROC [CHILD]", "wait4(2): reap an exited child (any, or CHILD)", cmd_wait,
	  0, "nn" },
	{ "execute", 1, 2, "PROC [SECONDS]",
	  "PROC's own code runs on the CPU (KVM) until it exits (or SECONDS pass)",
	  cmd_run, 0, "n-" },
	{ "install", 2, 2, "HOST_PATH PATH", "copy a host file into the machine's root (a tmpfs)",
	  cmd_install, 0, "--" },
	{ "ln", 3, 3, "-s TARGET LINK", "a symbolic link in the machine's root", cmd_ln, 0, "---" },
	{ "strace", 1, 1, "on|off", "print every system call with its result (failures always)",
	  cmd_strace, 0, "-" },
	{ "mmap", 5, CLI_ANY, "PROC ADDR LEN PROT FLAGS [FD [OFFSET]] [as NAME]",
	  "mmap(2); PROT rw-/PROT_READ|..., FLAGS private,anonymous/MAP_SHARED|...", cmd_mmap, 0,
	  "nn" },
	{ "munmap", 3, 3, "PROC ADDR LEN", "munmap(2)", cmd_munmap, 0, "nn" },
	{ "mprotect", 4, 4, "PROC ADDR LEN PROT", "mprotect(2)", cmd_mprotect, 0, "nn" },
	{ "mremap", 4, CLI_ANY, "PROC ADDR OLD_LEN NEW_LEN [FLAGS [NEW_ADDR]] [as NAME]",
	  "mremap(2): grow, shrink or move a mapping", cmd_mremap, 0, "nn" },
	{ "madvise", 4, 4, "PROC ADDR LEN ADVICE", "madvise(2): MADV_DONTNEED, MADV_FREE ...",
	  cmd_madvise, 0, "nn" },
	{ "fragment", 3, 4, "PROC ADDR LEN [EVERY]",
	  "the program frees one page in every EVERY (2) of the range: free memory left scattered",
	  cmd_fragment, 0, "nn" },
	{ "mlock", 3, 4, "PROC ADDR LEN [MLOCK_ONFAULT]", "mlock(2) / mlock2(2)", cmd_mlock, 0,
	  "nn" },
	{ "munlock", 3, 3, "PROC ADDR LEN", "munlock(2)", cmd_munlock, 0, "nn" },
	{ "mlockall", 2, 2, "PROC MCL_FLAGS", "mlockall(2): MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT",
	  cmd_mlockall, 0, "n" },
	{ "munlockall", 1, 1, "PROC", "munlockall(2)", cmd_munlockall, 0, "n" },
	{ "msync", 4, 4, "PROC ADDR LEN MS_FLAGS", "msync(2) of a shared file mapping", cmd_msync, 0,
	  "nn" },
	{ "brk", 2, CLI_ANY, "PROC ADDR [as NAME]", "brk(2): move the break (0 asks where it is)",
	  cmd_brk, 0, "nn" },
	{ "open", 2, CLI_ANY, "PROC PATH [O_RDONLY|O_RDWR] [as NAME]",
	  "open(2) a machine or host file (host files are read-only)", cmd_open, 0, "n-" },
	{ "close", 2, 2, "PROC FD", "close(2)", cmd_close, 0, "nn" },
	{ "setrlimit", 3, 4, "PROC RLIMIT_* SOFT [HARD]",
	  "setrlimit(2) of RLIMIT_STACK, _AS, _DATA, _MEMLOCK, _NOFILE ('unlimited')",
	  cmd_setrlimit, 0, "n-" },
	{ "getrlimit", 2, 2, "PROC RLIMIT_*", "getrlimit(2)", cmd_getrlimit, 0, "n-" },
	{ "getrusage", 1, 2, "PROC [self|children]", "getrusage(2): faults and peak RSS",
	  cmd_getrusage, 0, "n-" },
	{ "setuid", 2, 2, "PROC UID", "setuid(2): a non-zero uid drops every capability",
	  cmd_setuid, 0, "n-" },
	{ "personality", 2, 2, "PROC PERSONA", "personality(2) (0x400000: READ_IMPLIES_EXEC ...)",
	  cmd_personality, 0, "n-" },
	{ "signal", 3, 3, "PROC SIGSEGV|SIGBUS handle|default",
	  "rt_sigaction(2): a handler (the process lives on) or the default (it dies)", cmd_signal,
	  0, "n--" },
	{ "touch", 3, 5, "PROC ADDR LEN [read|write|exec] [up|down]",
	  "the program touches every page of the range, faulting as it would (down: highest first)",
	  cmd_touch, 0, "nn" },
	{ "upeek", 2, 3, "PROC ADDR [LEN]", "the program reads its own bytes (hexdump)", cmd_upeek,
	  0, "nn" },
	{ "upoke", 3, CLI_ANY, "PROC ADDR TEXT...", "the program stores TEXT's bytes", cmd_upoke, 0,
	  "nn" },
};

CLI_COMMAND_SET(cli_process_commands, "Processes and their memory", "process", process_commands);
