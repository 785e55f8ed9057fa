/* test_cli.c — the interface layer driven in-process: the command tables,
 * the argument grammar, the one name table, quoting, comments, pipes and
 * redirections, and each command set's commands against the kernel state
 * they change. (tests/cli_test.sh runs the mmsim binary as users do.) */
#include <string.h>

#include <mmsim/slab.h>

#include "cli/engine.h"
#include "cli/proc_json.h"
#include "mm/vmalloc.h"

#include "helpers.h"
#include "test.h"

struct session {
	struct machine *m;
	struct cli *c;
	char *out, *err;	/* the last run's */
};

static bool start(struct session *s, enum mmsim_arch arch, uint64_t mib, unsigned int cpus)
{
	memset(s, 0, sizeof(*s));
	s->m = boot(arch, mib, cpus);
	s->c = s->m ? cli_new(s->m, stdout, stderr) : NULL;
	return s->c != NULL;
}

static void stop(struct session *s)
{
	free(s->out);
	free(s->err);
	cli_free(s->c);
	mmsim_destroy(s->m);
}

/* Run scenario text; its output and error stream are kept in s->out / s->err. */
static int run(struct session *s, const char *text)
{
	size_t ol, el;

	free(s->out);
	free(s->err);
	FILE *fo = open_memstream(&s->out, &ol), *fe = open_memstream(&s->err, &el);
	s->c->out = fo;
	s->c->engine->out = fo;
	s->c->engine->err = fe;
	int rc = cli_run_text(s->c, "t", text);
	fclose(fo);
	fclose(fe);
	return rc;
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The example: an object's name is its address, with its cache and bytes. */
static bool test_object_names_are_addresses(void)
{
	struct session s;
	ASSERT_TRUE(start(&s, MMSIM_ARCH_I386, 512, 1));
	ASSERT_EQ(run(&s, "kmalloc x 40; kshow x; poke x hello; peek x 8"), 0);
	unsigned long addr = strtoul(strstr(s.out, "x: 0x") + 3, NULL, 16);
	ASSERT_TRUE(addr >= 0xc0000000UL);
	ASSERT_STR_CONTAINS(s.out, ", kmalloc-64, ksize 64\n");
	char peek[64];
	snprintf(peek, sizeof(peek), "%08lx  68 65 6c 6c 6f", addr);
	ASSERT_STR_CONTAINS(s.out, peek);
	ASSERT_TRUE(!strcmp(mmsim_kaddr(s.m, addr), "hello") || !memcmp(mmsim_kaddr(s.m, addr),
									"hello", 5));
	/* Every kind of name that holds an address works where an address goes. */
	ASSERT_EQ(run(&s, "vmalloc buf 8K; poke buf+4096 vm; peek buf+4096 2; "
			  "alloc_pages p GFP_KERNEL 0; poke p+8 pg; peek p+8 2; walk x; "
			  "kmem_cache_create c 100; kmem_cache_alloc o c; translate o"), 0);
	ASSERT_STR_CONTAINS(s.out, "76 6d  |vm|");
	ASSERT_STR_CONTAINS(s.out, "70 67  |pg|");
	ASSERT_STR_CONTAINS(s.out, "(tlb ");
	/* A name is one thing at a time, and says what it is when misused. */
	ASSERT_EQ(run(&s, "free_pages x"), 2);
	ASSERT_STR_CONTAINS(s.err, "t:1: 'x' is a slab object, not a page block\n");
	ASSERT_EQ(run(&s, "kmalloc p 8"), 2);
	ASSERT_STR_CONTAINS(s.err, "'p' already names a page block (free_pages it first");
	ASSERT_EQ(run(&s, "kfree x; kmalloc x 8; kshow x"), 0);	/* a freed name is free again */
	ASSERT_STR_CONTAINS(s.out, "kmalloc-8,");
	ASSERT_EQ(verify(s.m), 0);
	stop(&s);
	return true;
}

/* Numbers: decimal or 0x; 010 is ten. Sizes take K/M/G. Nothing wraps. */
static bool test_number_grammar(void)
{
	struct session s;
	ASSERT_TRUE(start(&s, MMSIM_ARCH_I386, 512, 1));
	ASSERT_EQ(run(&s, "kmalloc a 010; ksize a; kmalloc b 0x10; ksize b; kmalloc c 1K; ksize c"),
		  0);
	ASSERT_STR_CONTAINS(s.out, "a: ksize 16\n");	/* ten bytes: kmalloc-16, not octal 8 */
	ASSERT_STR_CONTAINS(s.out, "b: ksize 16\n");
	ASSERT_STR_CONTAINS(s.out, "c: ksize 1024\n");
	static const struct { const char *text, *err; } bad[] = {
		{ "alloc_pages d GFP_KERNEL 0x", "order: '0x' is not a number" },
		{ "alloc_pages d GFP_KERNEL 08x", "order: '08x' is not a number" },
		{ "alloc_pages d GFP_KERNEL -1", "order: '-1' is not a number" },
		{ "alloc_pages d GFP_KERNEL 99", "order: 99 is out of range (at most 31)" },
		{ "kmalloc d 99999999999999999999", "size: '99999999999999999999' is not a size" },
		{ "kmalloc d 17179869184G", "is not a size" },
		{ "cpu 1", "cpu: 1 is out of range (at most 0)" },
		{ "peek 0x100000000", "beyond the 32-bit address space" },
		{ "peek nobody", "'nobody' is neither an address nor a name" },
		{ "memset d 0 1 1", "'d' is not a slab object" },
		{ "alloc_pages d GFP_DMA|__GFP_HIGHMEM 0", "asks for two zones at once" },
		{ "alloc_pages d GFP_NOPE 0", "unknown GFP flag 'GFP_NOPE'" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(run(&s, bad[i].text), 2);
		ASSERT_STR_CONTAINS(s.err, bad[i].err);
		ASSERT_EQ(lines(s.err), 1);
	}
	stop(&s);
	return true;
}

/* Words, quotes, comments and where an error is reported. */
static bool test_language(void)
{
	struct session s;
	ASSERT_TRUE(start(&s, MMSIM_ARCH_I386, 256, 1));
	ASSERT_EQ(run(&s, "echo \"a  b\" 'c # d;' a#b # a comment ; echo not run\necho x\\ y"), 0);
	ASSERT_TRUE(!strcmp(s.out, "a  b c # d; a#b\nx y\n"));
	/* A quote left open runs nothing of its line. */
	ASSERT_EQ(run(&s, "echo ran; echo \"open"), 2);
	ASSERT_TRUE(!strcmp(s.out, ""));
	ASSERT_STR_CONTAINS(s.err, "t:1: unterminated \" quote");
	/* The line number is the line's; the first error stops the run. */
	ASSERT_EQ(run(&s, "echo one\n\n# nothing\nfrob x\necho after"), 2);
	ASSERT_TRUE(!strcmp(s.out, "one\n"));
	ASSERT_TRUE(!strcmp(s.err, "t:4: unknown command 'frob' (try help)\n"));
	ASSERT_EQ(run(&s, "alloc_pages a"), 2);
	ASSERT_TRUE(!strcmp(s.err, "t:1: usage: alloc_pages NAME GFP ORDER\n"));
	/* repeat and $i; exit with a status. */
	ASSERT_EQ(run(&s, "repeat 3 echo i=$i; exit 7; echo never"), 7);
	ASSERT_TRUE(!strcmp(s.out, "i=0\ni=1\ni=2\n"));
	ASSERT_EQ(run(&s, "repeat 100000001 echo"), 2);
	ASSERT_STR_CONTAINS(s.err, "repeat count: 100000001 is out of range");
	/* Task bodies: collected, then run. */
	ASSERT_EQ(run(&s, "task A {\n echo in A; complete go\n}\ntask B {\nwait_for_completion go\n"
			  "echo B went\n}\nrun"), 0);
	ASSERT_STR_CONTAINS(s.out, "in A\n");
	ASSERT_STR_CONTAINS(s.out, "B went\n");
	ASSERT_STR_CONTAINS(s.out, "run: 2 tasks finished, 0 blocked");
	ASSERT_EQ(run(&s, "task C {\necho x"), 2);
	ASSERT_STR_CONTAINS(s.err, "t:1: task body is not closed with '}'");
	stop(&s);
	return true;
}

/* | into filters, > into sysctls and the log. */
static bool test_pipes_and_redirection(void)
{
	struct session s;
	ASSERT_TRUE(start(&s, MMSIM_ARCH_I386, 512, 1));
	ASSERT_EQ(run(&s, "dmesg | grep -c 'Zone ranges'; cat /proc/meminfo | head -n 1; "
			  "cat /proc/buddyinfo | wc -l; dmesg | tail -n 1 | grep -c Write"), 0);
	ASSERT_TRUE(!strncmp(s.out, "1\nMemTotal:", 11));
	ASSERT_STR_CONTAINS(s.out, " kB\n2\n1\n");	/* DMA and Normal: no HighMem in 512M */
	ASSERT_EQ(run(&s, "echo 8192 > /proc/sys/vm/min_free_kbytes; cat /proc/sys/vm/min_free_kbytes; "
			  "echo '256 64 0' > /proc/sys/vm/lowmem_reserve_ratio; "
			  "sysctl vm.lowmem_reserve_ratio"), 0);
	ASSERT_TRUE(!strcmp(s.out, "8192\nvm.lowmem_reserve_ratio = 256\t64\t0\t0\n"));
	ASSERT_EQ(s.m->min_free_kbytes, 8192);
	ASSERT_EQ(run(&s, "echo hello from a test > /dev/kmsg; dmesg -r | tail -n 1"), 0);
	ASSERT_STR_CONTAINS(s.out, "<12>[");
	ASSERT_STR_CONTAINS(s.out, "] hello from a test\n");
	static const struct { const char *text, *err; } bad[] = {
		{ "echo 0 > /proc/sys/vm/watermark_scale_factor", "echo: write error: Invalid argument" },
		{ "echo 1 > /proc/meminfo", "/proc/meminfo: Permission denied" },
		{ "echo 1 > /proc/sys/vm/nope", "/proc/sys/vm/nope: No such file or directory" },
		{ "echo 1 > /tmp/x", "/tmp/x: cannot write here" },
		{ "dmesg | kmalloc x 8", "kmalloc does not read its input" },
		{ "grep x", "grep filters the output of a command" },
		{ "dmesg |", "a pipe needs a command on each side" },
		{ "echo a > /dev/null b", "takes one path, at the end" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(run(&s, bad[i].text), 2);
		ASSERT_STR_CONTAINS(s.err, bad[i].err);
	}
	ASSERT_EQ(s.m->watermark_scale_factor, 10);	/* the refused write changed nothing */
	stop(&s);
	return true;
}

/* The slab command set, and what it does to the caches. */
static bool test_slab_commands(void)
{
	struct session s;
	ASSERT_TRUE(start(&s, MMSIM_ARCH_I386, 1024, 1));
	ASSERT_EQ(run(&s, "kmem_cache_create foo 100 SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT\n"
			  "kmem_cache_create bar 24 16\n"
			  "kmem_cache_alloc a foo; kmem_cache_zalloc b bar GFP_KERNEL\n"
			  "kmalloc x 40; kzalloc y 3000 GFP_KERNEL|__GFP_ACCOUNT; kcalloc z 4 10\n"
			  "krealloc x 400; kstrdup t hello world; memset x 0 0x41 4\n"
			  "kmem_cache_free a; kmem_cache_free b; kfree x; kfree y; kfree z\n"
			  "kmem_cache_shrink foo; kmem_cache_destroy foo; slub_debug on bar\n"
			  "kmem_cache_alloc c bar; kmem_cache_free c; kmem_cache_free c; slub_debug off\n"
			  "kshow t"), 0);
	ASSERT_TRUE(!mmsim_kmem_cache_find(s.m, "foo"));
	char *log = dmesg(s.m);
	ASSERT_STR_CONTAINS(log, "BUG bar (Not tainted): Object already free");
	free(log);
	unsigned long t = strtoul(strstr(s.out, "t: 0x") + 3, NULL, 16);
	ASSERT_TRUE(!strcmp(mmsim_kaddr(s.m, t), "hello world"));
	static const char *const bad[] = {
		"kmalloc v", "kmalloc v -5", "kmalloc v 10 GFP_BOGUS", "kmem_cache_alloc v nosuch",
		"kmem_cache_create foo2 0", "kmem_cache_create foo3 10 3", "kmem_cache_create f 8 SLAB_X",
		"kfree nobody", "slub_debug maybe", "memset t 0 300 1", "ksize nobody",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (run(&s, bad[i]) != 2 || lines(s.err) != 1) {
			fprintf(stderr, "'%s' was accepted: %s%s\n", bad[i], s.out, s.err);
			return false;
		}
	}
	ASSERT_EQ(run(&s, "kmalloc q 40; ksize q"), 0);
	ASSERT_TRUE(!strcmp(s.out, "q: ksize 64\n"));
	ASSERT_EQ(verify(s.m), 0);
	stop(&s);
	return true;
}

/* The vmalloc command set: areas, frees with the right verb, a real double vfree. */
static bool test_vmalloc_commands(void)
{
	struct session s;
	ASSERT_TRUE(start(&s, MMSIM_ARCH_I386, 2048, 2));
	ASSERT_EQ(run(&s, "alloc_pages a GFP_KERNEL 0; vmalloc buf 8K; vzalloc z 0x1000; "
			  "vmalloc_user u 100; vmalloc dma 4096 GFP_KERNEL|GFP_DMA; vmap v 0x2000 3; "
			  "ioremap hpet 0xfed00000 4K; ioremap ram 0x2000000 4K; vshow buf"), 0);
	ASSERT_STR_CONTAINS(s.out, "ram: ioremap failed\n");
	/*
	 * Past the boot's areas from VMALLOC_START 0xf73fe000: ACPI's table
	 * mappings (1 + 1 and 2 + 1 pages), the HPET (1 + 1), the BPF program
	 * (1 + 1), ACPI's HPET region (1 + 1), the DMI table (1 + 1), zswap's
	 * scratch buffers (2 CPUs x 2 x (32 + 1)) and n_tty's (3 + 1): 149 pages.
	 */
	ASSERT_STR_CONTAINS(s.out, "buf: 0xf7493000-0xf7496000   12288 buf pages=2 vmalloc\n");
	char *info = proc(s.m, "/proc/vmallocinfo");
	ASSERT_STR_CONTAINS(info, " z pages=1 vmalloc\n");
	ASSERT_STR_CONTAINS(info, " u pages=1 vmalloc user\n");
	ASSERT_STR_CONTAINS(info, " v vmap\n");
	ASSERT_STR_CONTAINS(info, " hpet phys=0xfed00000 ioremap\n");
	free(info);
	static const struct { const char *text, *err; } bad[] = {
		{ "vmalloc buf 4096", "'buf' already names a vmalloc area (vfree it first" },
		{ "vmalloc x 12Q", "size: '12Q' is not a size" },
		{ "vmalloc x 4096 GFP_BOGUS", "unknown GFP flag 'GFP_BOGUS'" },
		{ "vfree nobody", "'nobody' is not a vmalloc area" },
		{ "vunmap buf", "buf cannot be freed with vunmap: use vfree" },
		{ "vmap w 0x7fffffff 1", "go past the end of memory" },
		{ "vzalloc", "usage: vzalloc NAME SIZE" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(run(&s, bad[i].text), 2);
		ASSERT_STR_CONTAINS(s.err, bad[i].err);
	}
	ASSERT_EQ(run(&s, "vfree buf; vfree buf; vunmap v; iounmap hpet; purge_vmap; "
			  "vmalloc buf 4096"), 0);
	char *log = dmesg(s.m);
	ASSERT_STR_CONTAINS(log, "Trying to vfree() nonexistent vm area (f7493000)");
	free(log);
	ASSERT_EQ(verify(s.m), 0);
	stop(&s);
	return true;
}

/* The tables: no name twice, every entry complete, help from them. */
static bool test_registry(void)
{
	struct session s;
	ASSERT_EQ(cli_registry_check(stderr), 0);
	size_t n = 0;
	for (size_t i = 0; i < nr_cli_command_sets; i++) {
		const struct cli_command_set *set = cli_command_sets[i];
		for (size_t j = 0; j < set->nr_commands; j++) {
			ASSERT_TRUE(cli_command_find(set->commands[j].name) == &set->commands[j]);
			ASSERT_TRUE(set->commands[j].complete && *set->commands[j].complete);
			n++;
		}
	}
	ASSERT_TRUE(n > 70);
	ASSERT_TRUE(!cli_command_find("frob"));
	ASSERT_TRUE(start(&s, MMSIM_ARCH_I386, 256, 1));
	ASSERT_EQ(run(&s, "help kmalloc"), 0);
	ASSERT_STR_CONTAINS(s.out, "usage: kmalloc VAR SIZE [GFP]\n");
	ASSERT_EQ(run(&s, "help"), 0);
	ASSERT_STR_CONTAINS(s.out, "Allocating pages:\n  alloc_pages NAME GFP ORDER");
	ASSERT_EQ(run(&s, "help frob"), 2);
	stop(&s);
	return true;
}

/*
 * pmap and ps print an address as wide as the tool's unsigned long: the
 * host's procps is amd64, so procps_test.sh can only judge x86_64
 * machines' pmap; an i386 machine's pmap must print what Debian's i386
 * pmap prints (%08lx, " total %8ldK", an 8-wide Address column), which
 * only an i386 pmap could show. These are its outputs for two fixed
 * mappings, worked out from pmap.c's formats.
 */
static bool test_pmap_i386_widths(void)
{
	struct session s;

	ASSERT_TRUE(start(&s, MMSIM_ARCH_I386, 256, 1));
	ASSERT_EQ(run(&s, "spawn p\n"
		      "mmap p 0x10000000 64K rw private,anonymous,fixed\n"
		      "touch p 0x10000000 16K write\n"
		      "mmap p 0xbf000000 8K r-- private,anonymous,fixed"), 0);
	ASSERT_EQ(run(&s, "pmap 2"), 0);
	ASSERT_TRUE(!strcmp(s.out, "2:   [p]\n"
			    "10000000     64K rw---   [ anon ]\n"
			    "bf000000      8K r----   [ anon ]\n"
			    " total       72K\n"));
	ASSERT_EQ(run(&s, "pmap -x p"), 0);
	ASSERT_TRUE(!strcmp(s.out, "2:   [p]\n"
			    "Address   Kbytes     RSS   Dirty Mode  Mapping\n"
			    "10000000      64      16      16 rw---   [ anon ]\n"
			    "bf000000       8       0       0 r----   [ anon ]\n"
			    "-------- ------- ------- ------- \n"
			    "total kB      72      16      16\n"));
	ASSERT_EQ(run(&s, "pmap -d -q /proc/2"), 0);
	ASSERT_TRUE(!strcmp(s.out, "2:   [p]\n"
			    "10000000      64 rw--- 0000000000000000 000:00000   [ anon ]\n"
			    "bf000000       8 r---- 0000000000000000 000:00000   [ anon ]\n"));
	/* -X takes the kernel's text as it is: 8 digits on i386 as on x86_64 below 4G. */
	ASSERT_EQ(run(&s, "pmap -X 2"), 0);
	ASSERT_STR_CONTAINS(s.out, "\n Address Perm   Offset Device Inode Size Rss Pss ");
	ASSERT_STR_CONTAINS(s.out, "\n10000000 rw-p 00000000  00:00     0   64  16  16 ");
	/* ps's address columns are 8 digits, and RLIM_INFINITY (~0UL) is "xx". */
	ASSERT_EQ(run(&s, "ps -o pid,stackp,esp,eip,lim,comm -p p"), 0);
	ASSERT_TRUE(!strcmp(s.out, "  PID   STACKP      ESP      EIP   LIM COMMAND\n"
			    "    2 00000000 00000000 00000000    xx p\n"));
	stop(&s);
	return true;
}

/* Bad input to ps and pmap is an error line and status 2, never a crash. */
static bool test_ps_pmap_errors(void)
{
	struct session s;
	static const char *const bad[] = {
		"ps -Y", "ps --bogus", "ps -p 99999999999", "ps -p 0", "ps -p x,", "ps -o",
		"ps -o nosuch", "ps -o pid:0", "ps -o pid:12x", "ps -o DefBSD:9", "ps -L", "ps f",
		"ps --sort=pid", "ps -u nosuchuser", "ps -t pts/0", "ps -q 1 -q 2", "ps -q 1 -e -N",
		"ps -f u", "ps -j -o pid", "ps ---", "ps -", "ps 1 aux", "ps -V x", "ps --cols 0",
		"ps -p 424242",
		"pmap", "pmap -z 2", "pmap 99999999999", "pmap 0", "pmap 2x", "pmap nosuch",
		"pmap 424242", "pmap -x -d 2", "pmap -X -x 2", "pmap -A zz 2", "pmap -A 1,2,3 2",
		"pmap -c 2", "pmap -x", "pmap --range",
	};

	ASSERT_TRUE(start(&s, MMSIM_ARCH_X86_64, 512, 2));
	ASSERT_EQ(run(&s, "spawn p\nmmap p 0 1M rw private,anonymous as a\ntouch p a 1M write"), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (run(&s, bad[i]) != 2) {
			fprintf(stderr, "'%s' did not fail: %s\n", bad[i], s.out);
			return false;
		}
		ASSERT_TRUE(lines(s.err) == 1);
	}
	ASSERT_EQ(run(&s, "ps -Y"), 2);
	ASSERT_STR_CONTAINS(s.err, "ps: error: unsupported SysV option");
	ASSERT_EQ(run(&s, "pmap -z 2"), 2);
	ASSERT_STR_CONTAINS(s.err, "pmap: invalid option -- 'z'");
	/* A pid that is not there: procps prints nothing for it (exit 42). */
	ASSERT_EQ(run(&s, "pmap 2 424242"), 2);
	ASSERT_STR_CONTAINS(s.out, "2:   [p]\n");
	ASSERT_STR_CONTAINS(s.err, "no process 424242");
	/* ps that matches nothing prints its header (procps exits 1). */
	ASSERT_EQ(run(&s, "ps -p 424242"), 2);
	ASSERT_TRUE(!strcmp(s.out, "  PID TTY          TIME CMD\n"));
	/* A process the scenario named stands for its pid. */
	ASSERT_EQ(run(&s, "ps -o pid=,comm= -p p"), 0);
	ASSERT_TRUE(!strcmp(s.out, "    2 p\n"));
	ASSERT_EQ(run(&s, "ps --version"), 0);
	ASSERT_TRUE(!strcmp(s.out, "ps from procps-ng 4.0.2\n"));
	ASSERT_EQ(run(&s, "pmap -V"), 0);
	ASSERT_TRUE(!strcmp(s.out, "pmap from procps-ng 4.0.2\n"));
	ASSERT_EQ(run(&s, "ps L"), 0);
	ASSERT_STR_CONTAINS(s.out, "%cpu         %CPU    \n");
	stop(&s);
	return true;
}

/* The kernel's part: btime after ctxt (the wall clock starts at the epoch), pid_max by CPUs. */
static bool test_proc_btime_pid_max(void)
{
	static const struct {
		enum mmsim_arch arch;
		unsigned int cpus;
		const char *pid_max;
	} cases[] = {
		{ MMSIM_ARCH_I386, 2, "32768\n" }, { MMSIM_ARCH_I386, 32, "32768\n" },
		{ MMSIM_ARCH_X86_64, 2, "32768\n" }, { MMSIM_ARCH_X86_64, 40, "40960\n" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct session s;
		ASSERT_TRUE(start(&s, cases[i].arch, 256, cases[i].cpus));
		ASSERT_EQ(run(&s, "cat /proc/sys/kernel/pid_max"), 0);
		ASSERT_TRUE(!strcmp(s.out, cases[i].pid_max));
		ASSERT_EQ(run(&s, "cat /proc/stat"), 0);
		ASSERT_STR_CONTAINS(s.out, "\nbtime 0\nprocesses ");
		ASSERT_TRUE(strstr(s.out, "\nctxt ") < strstr(s.out, "\nbtime "));
		ASSERT_EQ(run(&s, "echo 1 > /proc/sys/kernel/pid_max"), 2);
		stop(&s);
	}
	return true;
}

/* --json's reader: text it cannot follow is an error naming the line, never a partial document. */
static bool test_proc_json_rejects_what_it_cannot_read(void)
{
	static const struct {
		const char *path, *text, *why;
	} cases[] = {
		{ "/proc/zoneinfo", "Node 0, zone DMA\n  pages free 3\n  bogus line here\n", "line 3" },
		{ "/proc/zoneinfo", "  pages free 3\n", "line 1" },
		{ "/proc/buddyinfo", "Node 0, zone DMA 1 2 x\n", "'x' is not a number" },
		{ "/proc/meminfo", "MemTotal: 1 kB\nno colon\n", "line 2: not 'Key: value'" },
		{ "/proc/slabinfo", "slabinfo - version: 2.1\n# name\nkmalloc-8 1 2\n", "line 3" },
		{ "/proc/1/stat", "1 (sh) S 0 0\n", "fields after (comm)" },
		{ "/proc/1/statm", "1 2 3\n", "seven numbers" },
		{ "/proc/1/auxv", "abc", "not a whole number" },
		{ "/proc/pagetypeinfo", "Pages per block: 512\n", "no 'Page block order'" },
		{ "/proc/sys/vm/swappiness", "60\n61\n", "more than one line" },
		{ "/proc/vmallocinfo", "0x1000 4096 caller\n", "not 'START-END" },
	};
	char err[256];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		json_t *doc = proc_json_document(cases[i].path, cases[i].text, strlen(cases[i].text), 4,
						 err, sizeof(err));
		ASSERT_TRUE(doc == NULL);
		ASSERT_STR_CONTAINS(err, cases[i].why);
	}
	/* A line too long for the reader is refused, not cut. */
	char *longline = malloc(6000);
	ASSERT_TRUE(longline != NULL);
	memset(longline, '1', 5998);
	memcpy(longline, "pgfault ", 8);
	longline[5998] = '\n';
	longline[5999] = '\0';
	ASSERT_TRUE(proc_json_document("/proc/vmstat", longline, strlen(longline), 4, err,
				       sizeof(err)) == NULL);
	ASSERT_STR_CONTAINS(err, "line 1: longer than 4095 bytes");
	free(longline);
	/* What it can read it reads whole: a zone's watermarks and a pageset. */
	const char *zi = "Node 0, zone Normal\n  pages free 7\n        min 2\n        protection: (0, 5)\n"
			 "      nr_free_pages 7\n  pagesets\n    cpu: 0\n              count: 4\n"
			 "  vm stats threshold: 8\n  start_pfn: 4096\n";
	json_t *doc = proc_json_document("/proc/zoneinfo", zi, strlen(zi), 4, err, sizeof(err));
	ASSERT_TRUE(doc != NULL);
	json_t *zone = json_array_get(json_object_get(json_object_get(doc, "data"), "zones"), 0);
	ASSERT_EQ(json_integer_value(json_object_get(json_object_get(zone, "pages"), "min")), 2);
	ASSERT_EQ(json_integer_value(json_array_get(json_object_get(zone, "protection"), 1)), 5);
	json_t *pcp = json_array_get(json_object_get(zone, "pagesets"), 0);
	ASSERT_EQ(json_integer_value(json_object_get(pcp, "vm_stats_threshold")), 8);
	ASSERT_EQ(json_integer_value(json_object_get(zone, "start_pfn")), 4096);
	json_decref(doc);
	return true;
}

TEST_MAIN(TEST(test_object_names_are_addresses), TEST(test_number_grammar), TEST(test_language),
	  TEST(test_pipes_and_redirection), TEST(test_slab_commands), TEST(test_vmalloc_commands),
	  TEST(test_registry), TEST(test_pmap_i386_widths), TEST(test_ps_pmap_errors),
	  TEST(test_proc_btime_pid_max), TEST(test_proc_json_rejects_what_it_cannot_read))
