/*
 * fuzz_elf.c — libFuzzer target: an ELF file, installed in a small
 * machine's root file system and exec'd by a new process (mmsim_execve:
 * the loader, up to the program's first instruction; running it is the
 * CPU backends' business and not fuzzed here). The first byte picks the
 * machine (fuzz_boot); then the byte below the program's break is read
 * through the MMU, a first touch of what the loader mapped.
 */
#include "fuzz_common.h"
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_ELF_MAX (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	const char *const argv[] = { "/prog", "a", NULL };
	const char *const envp[] = { "HOME=/", NULL };
	struct machine *m;
	const char *why;
	FILE *f;

	if (size < 1 || size > FUZZ_ELF_MAX)
		return 0;
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/mmsim-fuzz-elf-%d", (int)getpid());
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	chmod(path, 0755);	/* execve wants an execute bit, which install copies */
	m = fuzz_boot(data[0]);
	if (m) {
		int pid = mmsim_spawn(m, "prog");
		if (pid > 0 && mmsim_install(m, path, "/prog") == 0 &&
		    mmsim_execve(m, pid, "/prog", argv, envp, &why) == 0) {
			uint8_t word[8];
			mmsim_brk(m, pid, 0);
			mmsim_user_read(m, pid, mmsim_brk(m, pid, 0) - 1, word, 1, NULL);
		}
		mmsim_destroy(m);
	}
	unlink(path);
	return 0;
}
