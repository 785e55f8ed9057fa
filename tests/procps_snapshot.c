/* procps_snapshot.c — for procps_test.sh: run mmsim's free, vmstat,
 * slabtop, ps and pmap on a few machines, and save beside each output the
 * /proc files exactly as that command read them, so that the real procps-ng
 * tools can be run on the same files and their output compared byte for
 * byte.
 *
 * usage: procps_snapshot OUTDIR
 * writes, for N = 1, 2, ...: OUTDIR/N.cmd (the tool's command line) and
 * N.out (mmsim's output); for free, vmstat and slabtop N.meminfo, N.stat,
 * N.vmstat and N.slabinfo; for ps and pmap N.tree, the name of a directory
 * OUTDIR/T<k> that holds the machine's whole /proc as the tool saw it, and
 * N.now, the machine's wall-clock time then ("1970-01-01 00:04:31", UTC).
 *
 * A tree has every path mmsim_proc_path() lists, /proc/self as a symlink
 * to the reader's directory (1: init runs the scenario), and two things
 * that are not the machine's: an empty cpuinfo (procps' stat reader will
 * not start without one; nothing is read from it) and T<k>/.owners, one
 * "PID UID GID" line per process directory, which the test chowns the
 * directories to (ps takes a process's user from its directory's owner). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "cli/engine.h"

#include "helpers.h"

static const char *const tools[] = {
	"free", "free -m", "free -h", "free -w -t -l -v", "free -b --si", "free -g", "free -k --si",
	"free -mt", "free --mega", "free -lvh", "free -h --si",
	"vmstat", "vmstat -a", "vmstat -w", "vmstat -s", "vmstat -S M", "vmstat -s -S k",
	"vmstat -aw", "vmstat -S m", "vmstat -m", "vmstat -f",
	"slabtop --once", "slabtop --once -s c", "slabtop -o -s n", "slabtop -os a",
	"slabtop -o --sort=u", "slabtop -o -s l", "slabtop -o -s b",
};

static const struct {
	enum mmsim_arch arch;
	uint64_t mib;
	unsigned int cpus;
	const char *setup;
} machines[] = {
	{ MMSIM_ARCH_I386, 2048, 2,
	  "repeat 700 kmalloc a$i 100; repeat 40 alloc_pages p$i GFP_KERNEL 3; repeat 300 kfree a$i;"
	  "kmem_cache_create my_cache 300 SLAB_HWCACHE_ALIGN; repeat 53 kmem_cache_alloc o$i my_cache;"
	  "task A {\nmsleep 10\ncomplete x\n}\ntask B {\nwait_for_completion x\n}\nrun\nmsleep 2000" },
	{ MMSIM_ARCH_X86_64, 4096, 4,
	  "repeat 5000 kmalloc b$i 2000 GFP_KERNEL|__GFP_RECLAIMABLE; vmalloc v 40M" },
	{ MMSIM_ARCH_I386, 256, 1, "" },
};

/*
 * ps and pmap. Every column ps has that the machine fills, in one -o;
 * the four whose width is the tool's long (stackp, esp, eip: 16 or 8 hex
 * digits; lim: ~0UL is "xx") only where the real tool is of the machine's
 * word size, see ps_tools_64.
 */
#define EVERY_COLUMN								\
	"%cpu,%mem,addr,addr_1,alarm,atime,blocked,bsdstart,bsdtime,c,caught,class,cls,cp," \
	"cpu,cpuid,cputime,cputimes,cursig,drs,dsiz,egid,egroup,etime,etimes,euid,euser,f,"  \
	"fgid,fgroup,flag,flags,fname,fsgid,fsgroup,fsuid,fsuser,fuid,fuser,gid,group,"    \
	"ignored,intpri,jobc,lastcpu,longtname,lstart,lwp,m_drs,m_dt,m_share,m_size,"      \
	"m_swap,m_trs,maj_flt,majflt,min_flt,minflt,ni,nice,nlwp,nwchan,oom,oomadj,opri,"  \
	"pagein,pcpu,pending,pgid,pgrp,pid,pmem,policy,ppid,pri,pri_api,pri_bar,pri_baz,"  \
	"pri_foo,priority,psr,re,rgid,rgroup,rss,rssize,rsz,rtprio,ruid,ruser,s,sched,"    \
	"sess,session,sgi_p,sgid,sgroup,sid,sig,sig_block,sig_catch,sig_ignore,sig_pend,"  \
	"sigcatch,sigignore,sigmask,size,sl,spid,start,start_time,stat,state,stime,suid,"  \
	"suser,svgid,svgroup,svuid,svuser,sz,tgid,thcount,tid,time,timeout,times,tmout,"   \
	"tname,tpgid,trs,trss,tsig,tsiz,tt,tty,tty4,tty8,uid,uid_hack,uname,user,util,"    \
	"vm_data,vm_exe,vm_lib,vm_lock,vm_stack,vsize,vsz,wchan,wname,ucmd,ucomm,comm,"    \
	"cmd,command,args"

static const char *const ps_tools[] = {
	"ps", "ps -e", "ps -A", "ps -f", "ps -ef", "ps -eF", "ps -el", "ps -ely", "ps -ej",
	"ps -efj", "ps -eP", "ps -d", "ps -a", "ps -N", "ps -e -N -p 1",
	"ps aux", "ps ax", "ps axu", "ps x", "ps a", "ps u", "ps ux", "ps axj", "ps axl", "ps axs",
	"ps axv", "ps axc", "ps axe", "ps axr", "ps auxww", "ps -x", "ps -ax",
	"ps -eo pid,ppid,vsz,rss,comm", "ps -eo " EVERY_COLUMN, "ps -e -o " EVERY_COLUMN " --cols 100",
	"ps -p 1,2", "ps -p 2 -o pid,args", "ps p 3", "ps 2 3", "ps -q 4,1,2", "ps --pid 2,5 -f",
	"ps --ppid 1", "ps --ppid 2 -o pid,ppid,comm", "ps -s 1", "ps -u root", "ps -U 65534 -f",
	"ps -u 4242,65534 -o user,ruser,uid,pid", "ps U root", "ps -C true", "ps -C hog -o pid,s,comm",
	"ps -G 0", "ps -g 0", "ps --user nobody", "ps --group root -o pid,egroup",
	"ps --no-headers -e", "ps -e --no-headers -o pid=,comm=", "ps -e h", "ps -e --headers",
	"ps -eo pid,args=COMMAND_LINE", "ps -eo 'pid,user=WHO' -o 'comm=THE COMMAND'",
	"ps -eo 'pid,user=WHO,comm=THE COMMAND'",
	"ps -eo user:12,pid:3,comm:4", "ps -eo pid= -o comm=", "ps -eo DefBSD", "ps -eo OL_u",
	"ps -eo pid,ppid,vsz,rss -o comm", "ps -eO rss,nlwp", "ps -e --format 'pid tty time cmd'",
	"ps -e -o pid,stat,wchan,oom,oomadj,cls,rtprio,sched,pri",
	"ps -e -o pid,pending,blocked,ignored,caught", "ps -e -o pid,lstart,start,bsdstart,stime",
	"ps -e --cols 50", "ps -e w", "ps -eww -o pid,args", "ps -e n -o user,pid,wchan",
	"ps -eo pid,etime,etimes,time,times,bsdtime,cputime,c,cp,pcpu",
	"ps -eS -o pid,min_flt,maj_flt,time", "ps axS -o pid,min_flt,maj_flt,time,bsdtime", "ps -e --cumulative -o pid,minflt,majflt",
	"ps t -", "ps -t -", "ps -eo fname,ucmd,ucomm,cmd:9,command:12,args:40",
	"ps -e -o pid,args,comm", "ps -V", "ps V", "ps --version",
};

static const char *const ps_tools_64[] = {
	"ps -eo pid,stackp,start_stack,esp,eip,lim", "ps axX",
};

static const char *const pmap_tools[] = {
	"pmap 2", "pmap -x 2", "pmap -X 2", "pmap -XX 2", "pmap -d 2", "pmap -q 2", "pmap -x -q 2",
	"pmap -X -q 2", "pmap -XX -q 2", "pmap -d -q 2", "pmap -p 2", "pmap -x -p 2", "pmap -X -p 2",
	"pmap 1 2 3 4 5 6 8", "pmap -x 2 3 4 5 6 8", "pmap -X 3 2 5", "pmap -XX 2 3 4 6 8",
	"pmap 2 7 3", "pmap -X 7",
	"pmap -d 1 3 5", "pmap /proc/2 3", "pmap 0x2 03", "pmap -A 7ff000000000 2",
	"pmap -A ,7ff000000000 2", "pmap -x -A 7ff000000000,7ffff0000000 2",
	"pmap -d -A 0,400000 2 3", "pmap -A 401000,401000 2", "pmap --extended --quiet 2",
	"pmap --range=0,410000 --show-path 2", "pmap /proc/self", "pmap /proc/self 2",
	"pmap -h", "pmap -V", "pmap --version",
};

/*
 * The processes, in pid order: 2 web (a static program with arguments,
 * memory touched, some of it locked), 3 worker (web's child, copy-on-write
 * and fresh pages), 4 nob (setuid 65534), 5 odd (no program, uid 4242,
 * which Debian has no name for), 6 z (a zombie), 8 hog (a kernel task
 * that ran for 30 s of CPU time, then sleeps for ever; 7, burn, ran and
 * exited, its time going to init's children's). Time passes between them,
 * over a day, so START and STIME have each of their forms.
 */
#define PS_SETUP								\
	"install %s/prog /bin/prog\n"						\
	"spawn web -e LANG=C /bin/prog arg1 \"arg two\" 'x\ty'\n"		\
	"mmap web 0 8M rw private,anonymous as a\n"				\
	"touch web a 2M write\n"						\
	"mlock web a 1M\n"							\
	"repeat 200 touch web a 4K read\n"					\
	"brk web 0 as b\nbrk web b+64K\ntouch web b 64K write\n"		\
	"repeat 25 msleep 3600000\n"						\
	"fork web worker\n"							\
	"touch worker a+4M 1M write\n"						\
	"spawn nob /bin/prog\n"							\
	"setuid nob 65534\n"							\
	"msleep 61000\n"							\
	"spawn odd\n"								\
	"setuid odd 4242\n"							\
	"mmap odd 0 1M rw private,anonymous as o\n"				\
	"touch odd o 1M write\n"						\
	"spawn z /bin/prog\n"							\
	"_exit z 3\n"								\
	"task burn {\nrepeat 150 kmalloc t$i 64\n}\n"				\
	"task hog {\nrepeat 3000 kmalloc h$i 32\nwait_for_completion never\n}\n"	\
	"run\nmsleep 1234\n"

static const struct {
	enum mmsim_arch arch;
	uint64_t mib;
	unsigned int cpus;	/* 100: pid_max 102400, six-digit PID columns */
} ps_machines[] = {
	{ MMSIM_ARCH_X86_64, 2048, 2 },
	{ MMSIM_ARCH_I386, 1024, 2 },
	{ MMSIM_ARCH_X86_64, 1024, 100 },
};

static bool save(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return false;
	if (text)
		fwrite(text, 1, len, f);
	return fclose(f) == 0;
}

/*
 * A tiny static program for the machine's arch: its headers and code
 * (one "jmp ." at the entry; it never runs) in a read-execute segment and
 * 256 bytes of data with 12 KiB of bss after them in a read-write one.
 */
static bool write_program(const char *path, bool is_64)
{
	unsigned char f[0x1100];
	uint64_t text = is_64 ? 0x400000 : 0x08048000;

	memset(f, 0, sizeof(f));
	memcpy(f, "\177ELF", 4);
	f[4] = is_64 ? 2 : 1;	/* ELFCLASS64 / 32 */
	f[5] = 1;		/* little endian */
	f[6] = 1;		/* EV_CURRENT */
#define PUT(off, v, n) do { uint64_t v_ = (v); for (int i_ = 0; i_ < (n); i_++) f[(off) + i_] = (unsigned char)(v_ >> (8 * i_)); } while (0)
	PUT(16, 2, 2);				/* ET_EXEC */
	PUT(18, is_64 ? 62 : 3, 2);		/* EM_X86_64 / EM_386 */
	PUT(20, 1, 4);
	if (is_64) {
		PUT(24, text + 0x100, 8);	/* entry */
		PUT(32, 64, 8);			/* phoff */
		PUT(52, 64, 2);			/* ehsize */
		PUT(54, 56, 2);			/* phentsize */
		PUT(56, 2, 2);			/* phnum */
		PUT(58, 64, 2);			/* shentsize */
		for (int k = 0; k < 2; k++) {
			size_t ph = 64 + 56 * (size_t)k;
			PUT(ph, 1, 4);				/* PT_LOAD */
			PUT(ph + 4, k ? 6 : 5, 4);		/* RW / RX */
			PUT(ph + 8, k ? 0x1000 : 0, 8);		/* offset */
			PUT(ph + 16, text + (k ? 0x1000 : 0), 8);
			PUT(ph + 24, text + (k ? 0x1000 : 0), 8);
			PUT(ph + 32, k ? 0x100 : 0x200, 8);	/* filesz */
			PUT(ph + 40, k ? 0x3100 : 0x200, 8);	/* memsz */
			PUT(ph + 48, 0x1000, 8);
		}
	} else {
		PUT(24, text + 0x100, 4);
		PUT(28, 52, 4);
		PUT(40, 52, 2);
		PUT(42, 32, 2);
		PUT(44, 2, 2);
		PUT(46, 40, 2);
		for (int k = 0; k < 2; k++) {
			size_t ph = 52 + 32 * (size_t)k;
			PUT(ph, 1, 4);
			PUT(ph + 4, k ? 0x1000 : 0, 4);
			PUT(ph + 8, text + (k ? 0x1000 : 0), 4);
			PUT(ph + 12, text + (k ? 0x1000 : 0), 4);
			PUT(ph + 16, k ? 0x100 : 0x200, 4);
			PUT(ph + 20, k ? 0x3100 : 0x200, 4);
			PUT(ph + 24, k ? 6 : 5, 4);
			PUT(ph + 28, 0x1000, 4);
		}
	}
#undef PUT
	f[0x100] = 0xeb;	/* jmp . */
	f[0x101] = 0xfe;
	memcpy(f + 0x1000, "data", 4);
	return save(path, (const char *)f, sizeof(f));
}

/* The whole /proc: every file mmsim_proc_path() lists but /proc/self's, with its bytes. */
struct proc_file {
	char *path;
	char *text;
	size_t len;
};

struct tree {
	struct proc_file *files;
	size_t n;
};

static void free_tree(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->files[i].path);
		free(t->files[i].text);
	}
	free(t->files);
	t->files = NULL;
	t->n = 0;
}

static bool capture_tree(struct machine *m, struct tree *t)
{
	size_t pos = 0, cap = 0;
	const char *path;

	t->files = NULL;
	t->n = 0;
	while ((path = mmsim_proc_path(m, &pos, NULL))) {
		if (!strncmp(path, "/proc/self/", 11))
			continue;	/* a symlink to the reader's directory */
		struct proc_file f = { strdup(path), NULL, 0 };
		FILE *out = open_memstream(&f.text, &f.len);
		if (!f.path || !out)
			return false;
		int rc = mmsim_proc_read(m, path, out);
		fclose(out);
		/* A file whose read fails (a kernel thread's smaps_rollup) is left out. */
		if (rc) {
			free(f.path);
			free(f.text);
			continue;
		}
		if (t->n == cap) {
			cap = cap ? cap * 2 : 256;
			struct proc_file *more = realloc(t->files, cap * sizeof(*more));
			if (!more)
				return false;
			t->files = more;
		}
		t->files[t->n++] = f;
	}
	return true;
}

static bool same_file(const struct proc_file *a, const struct proc_file *b)
{
	return !strcmp(a->path, b->path) && a->len == b->len && !memcmp(a->text, b->text, a->len);
}

/* Do the two trees have the same files (paths), in the same order? */
static bool same_paths(const struct tree *a, const struct tree *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->files[i].path, b->files[i].path))
			return false;
	return true;
}

static bool mkdirs(const char *path)
{
	char buf[2048];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	return mkdir(buf, 0755) == 0 || errno == EEXIST;
}

static bool write_file(const char *dir, const struct proc_file *f)
{
	char path[2048];

	snprintf(path, sizeof(path), "%s/%s", dir, f->path + strlen("/proc/"));
	char *slash = strrchr(path, '/');
	*slash = '\0';
	if (!mkdirs(path))
		return false;
	*slash = '/';
	return save(path, f->text, f->len);
}

/*
 * Write a tree as OUTDIR/T<k>/...: the whole of it, with self, cpuinfo
 * and .owners, or (@base given) only the files that differ from @base —
 * the test lays such an overlay over its base.
 */
static bool write_tree(const char *dir, const struct tree *t, const struct tree *base)
{
	char path[2048];
	FILE *owners;

	if (!mkdirs(dir))
		return false;
	for (size_t i = 0; i < t->n; i++)
		if ((!base || !same_file(&t->files[i], &base->files[i])) && !write_file(dir, &t->files[i]))
			return false;
	if (base)
		return true;
	snprintf(path, sizeof(path), "%s/.owners", dir);
	if (!(owners = fopen(path, "w")))
		return false;
	for (size_t i = 0; i < t->n; i++) {
		/* status: the directory's owner is the process's euid and egid. */
		int pid;
		char tail[16];
		const char *text = t->files[i].text;
		if (sscanf(t->files[i].path, "/proc/%d/%15s", &pid, tail) == 2 &&
		    !strcmp(tail, "status")) {
			unsigned int ruid = 0, euid = 0, rgid = 0, egid = 0;
			const char *u = strstr(text, "\nUid:\t"), *g = strstr(text, "\nGid:\t");
			if (u)
				sscanf(u + 6, "%u %u", &ruid, &euid);
			if (g)
				sscanf(g + 6, "%u %u", &rgid, &egid);
			fprintf(owners, "%d %u %u\n", pid, euid, egid);
		}
	}
	fclose(owners);
	snprintf(path, sizeof(path), "%s/self", dir);
	if (symlink("1", path))
		return false;
	snprintf(path, sizeof(path), "%s/cpuinfo", dir);
	return save(path, "", 0);
}

/* Run one tool on the machine; its output in *out. */
static int run_tool(struct cli *c, const char *cmd, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len), *err = c->engine->err;
	c->out = f;
	c->engine->out = f;
	/* An error line is not output: kept apart, and dropped. */
	char *errs = NULL;
	size_t errs_len;
	FILE *e = open_memstream(&errs, &errs_len);
	c->engine->err = e;
	int rc = cli_run_text(c, "tool", cmd);
	fclose(f);
	fclose(e);
	free(errs);
	c->engine->err = err;
	return rc;
}

static int classic_tools(const char *outdir, int *n)
{
	for (size_t k = 0; k < ARRAY_SIZE(machines); k++) {
		struct machine *m = boot(machines[k].arch, machines[k].mib, machines[k].cpus);
		FILE *devnull = fopen("/dev/null", "w");
		struct cli *c = m && devnull ? cli_new(m, devnull, stderr) : NULL;
		if (!c || cli_run_text(c, "setup", machines[k].setup)) {
			fprintf(stderr, "procps_snapshot: machine %zu did not set up\n", k);
			return 1;
		}
		for (size_t t = 0; t < ARRAY_SIZE(tools); t++) {
			char *out = NULL, path[512];
			size_t len;
			if (run_tool(c, tools[t], &out, &len)) {
				fprintf(stderr, "procps_snapshot: '%s' failed\n", tools[t]);
				return 1;
			}
			++*n;
			/* The files as the command just read them: nothing has run since. */
			static const char *const files[] = { "meminfo", "stat", "vmstat", "slabinfo" };
			for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
				char proc_path[64];
				snprintf(proc_path, sizeof(proc_path), "/proc/%s", files[i]);
				char *text = proc(m, proc_path);
				snprintf(path, sizeof(path), "%s/%d.%s", outdir, *n, files[i]);
				if (!save(path, text, text ? strlen(text) : 0))
					return 1;
				free(text);
			}
			snprintf(path, sizeof(path), "%s/%d.out", outdir, *n);
			if (!save(path, out, len))
				return 1;
			free(out);
			snprintf(path, sizeof(path), "%s/%d.cmd", outdir, *n);
			if (!save(path, tools[t], strlen(tools[t])))
				return 1;
		}
		cli_free(c);
		fclose(devnull);
		mmsim_destroy(m);
	}
	return 0;
}

/*
 * ps and pmap: each tool's /proc is captured after it ran (the command's
 * tick moved the clock before it read anything) and again, to be sure that
 * reading changed nothing; equal trees are written once.
 */
static int ps_tools_on(const char *outdir, size_t k, int *n, int *trees)
{
	char setup[4096], path[1024];
	struct machine *m = boot(ps_machines[k].arch, ps_machines[k].mib, ps_machines[k].cpus);
	FILE *devnull = fopen("/dev/null", "w");
	struct cli *c = m && devnull ? cli_new(m, devnull, stderr) : NULL;
	bool is_64 = ps_machines[k].arch == MMSIM_ARCH_X86_64;

	snprintf(path, sizeof(path), "%s/prog", outdir);
	snprintf(setup, sizeof(setup), PS_SETUP, outdir);
	if (!c || !write_program(path, is_64) || cli_run_text(c, "ps-setup", setup)) {
		fprintf(stderr, "procps_snapshot: ps machine %zu did not set up\n", k);
		return 1;
	}
	/*
	 * Reading lowmem_reserve_ratio runs its handler, which recomputes the
	 * reserves (and so MemAvailable) the first time: read everything once.
	 */
	struct tree base = { NULL, 0 }, now, again;
	char tree_names[64] = "";
	int base_id = 0;
	if (!capture_tree(m, &now))
		return 1;
	free_tree(&now);
	size_t nr = ARRAY_SIZE(ps_tools) + ARRAY_SIZE(ps_tools_64) + ARRAY_SIZE(pmap_tools);
	for (size_t t = 0; t < nr; t++) {
		const char *cmd = t < ARRAY_SIZE(ps_tools) ? ps_tools[t]
				  : t < ARRAY_SIZE(ps_tools) + ARRAY_SIZE(ps_tools_64)
					  ? ps_tools_64[t - ARRAY_SIZE(ps_tools)]
					  : pmap_tools[t - ARRAY_SIZE(ps_tools) - ARRAY_SIZE(ps_tools_64)];
		/*
		 * Only a tool of the machine's word size can judge the columns as
		 * wide as a long, and pmap's addresses: the host's procps is
		 * amd64. tests/test_cli.c checks i386's widths directly.
		 */
		if (!is_64 && t >= ARRAY_SIZE(ps_tools))
			continue;
		char *out = NULL;
		size_t len;
		int rc = run_tool(c, cmd, &out, &len);
		if (rc && rc != 2) {
			fprintf(stderr, "procps_snapshot: '%s' failed on ps machine %zu\n", cmd, k);
			return 1;
		}
		if (!capture_tree(m, &now) || !capture_tree(m, &again))
			return 1;
		for (size_t i = 0; i < now.n && same_paths(&now, &again); i++)
			if (!same_file(&now.files[i], &again.files[i])) {
				fprintf(stderr, "procps_snapshot: reading %s changed it (after '%s')\n",
					now.files[i].path, cmd);
				return 1;
			}
		free_tree(&again);
		/* The first tree is written whole; later ones as what changed since. */
		if (!base.n || !same_paths(&base, &now)) {
			free_tree(&base);
			base = now;
			base_id = ++*trees;
			snprintf(path, sizeof(path), "%s/T%d", outdir, base_id);
			if (!write_tree(path, &base, NULL))
				return 1;
			snprintf(tree_names, sizeof(tree_names), "T%d", base_id);
		} else {
			snprintf(path, sizeof(path), "%s/T%d", outdir, ++*trees);
			if (!write_tree(path, &now, &base))
				return 1;
			free_tree(&now);
			snprintf(tree_names, sizeof(tree_names), "T%d T%d", base_id, *trees);
		}
		++*n;
		snprintf(path, sizeof(path), "%s/%d.out", outdir, *n);
		if (!save(path, out, len))
			return 1;
		free(out);
		snprintf(path, sizeof(path), "%s/%d.cmd", outdir, *n);
		if (!save(path, cmd, strlen(cmd)))
			return 1;
		snprintf(path, sizeof(path), "%s/%d.tree", outdir, *n);
		if (!save(path, tree_names, strlen(tree_names)))
			return 1;
		/* mmsim's status: 2 where the real tool fails (ps matching nothing) */
		snprintf(path, sizeof(path), "%s/%d.rc", outdir, *n);
		if (!save(path, rc ? "2" : "0", 1))
			return 1;
		/* The wall clock: btime is 0, so "now" is the uptime. */
		time_t wall = (time_t)(m->clock_ns / 1000000000ULL);
		struct tm tm;
		char stamp[64];
		gmtime_r(&wall, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(path, sizeof(path), "%s/%d.now", outdir, *n);
		if (!save(path, stamp, strlen(stamp)))
			return 1;
	}
	free_tree(&base);
	cli_free(c);
	fclose(devnull);
	mmsim_destroy(m);
	return 0;
}

int main(int argc, char **argv)
{
	int n = 0, trees = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: procps_snapshot OUTDIR\n");
		return 2;
	}
	mkdir(argv[1], 0755);
	if (classic_tools(argv[1], &n))
		return 1;
	for (size_t k = 0; k < ARRAY_SIZE(ps_machines); k++)
		if (ps_tools_on(argv[1], k, &n, &trees))
			return 1;
	return 0;
}
