/* procps_snapshot.c — for procps_test.sh: run mmsim's free, vmstat and
 * slabtop on a few machines, and save beside each output the /proc files
 * exactly as that command read them, so that the real procps-ng tools can
 * be run on the same files and their output compared byte for byte.
 *
 * usage: procps_snapshot OUTDIR
 * writes OUTDIR/N.cmd (the tool's command line), N.out (mmsim's output)
 * and N.meminfo, N.stat, N.vmstat, N.slabinfo for N = 1, 2, ... */
#include <string.h>
#include <sys/stat.h>

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

static bool save(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return false;
	fputs(text ? text : "", f);
	return fclose(f) == 0;
}

int main(int argc, char **argv)
{
	int n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: procps_snapshot OUTDIR\n");
		return 2;
	}
	mkdir(argv[1], 0755);
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
			FILE *f = open_memstream(&out, &len);
			c->out = f;
			c->engine->out = f;
			int rc = cli_run_text(c, "tool", tools[t]);
			fclose(f);
			if (rc) {
				fprintf(stderr, "procps_snapshot: '%s' failed\n", tools[t]);
				return 1;
			}
			n++;
			/* The files as the command just read them: nothing has run since. */
			static const char *const files[] = { "meminfo", "stat", "vmstat", "slabinfo" };
			for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
				char proc_path[64];
				snprintf(proc_path, sizeof(proc_path), "/proc/%s", files[i]);
				char *text = proc(m, proc_path);
				snprintf(path, sizeof(path), "%s/%d.%s", argv[1], n, files[i]);
				if (!save(path, text))
					return 1;
				free(text);
			}
			snprintf(path, sizeof(path), "%s/%d.out", argv[1], n);
			if (!save(path, out))
				return 1;
			free(out);
			snprintf(path, sizeof(path), "%s/%d.cmd", argv[1], n);
			if (!save(path, tools[t]))
				return 1;
		}
		cli_free(c);
		fclose(devnull);
		mmsim_destroy(m);
	}
	return 0;
}
