/*
 * fuzz_syscall.c — libFuzzer target: memory system calls with fuzzed
 * arguments against one process's mm. The first byte picks the machine
 * (fuzz_boot); then each 25-byte record is one call: a call number and
 * three 64-bit arguments and a 32-bit one (mmap's addr, len, prot|flags
 * ...). Addresses are taken as given (any value, the kernel's checks
 * decide); lengths are cut to 64 MiB so that MAP_POPULATE and mlock stay
 * fast. After every call the machine is still booted; `verify` checks
 * consistency in the scenario target, here the sanitizers watch.
 */
#include "fuzz_common.h"

#define FUZZ_SYSCALL_MAX_CALLS 64
#define FUZZ_SYSCALL_LEN_MAX (64ULL << 20)
#define RECORD 25

static uint64_t word(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Addresses near the interesting places more often than anywhere: low, near 3G, near the top. */
static uint64_t address(uint64_t raw)
{
	static const uint64_t bases[] = { 0, 0x08048000, 0x40000000, 0xbf000000,
					  0xc0000000, 0x7fffffff0000, 0xffffffffffff0000 };

	if ((raw & 0xf) < 7)
		return (bases[raw & 0xf] + ((raw >> 4) & 0xffffff000)) & ~0ULL;
	return raw;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct machine *m;
	int pid, calls = 0;

	if (size < 1 || size > 1 + RECORD * FUZZ_SYSCALL_MAX_CALLS)
		return 0;
	m = fuzz_boot(data[0]);
	if (!m)
		return 0;
	pid = mmsim_spawn(m, "fuzz");
	for (size_t i = 1; pid > 0 && i + RECORD <= size && calls++ < FUZZ_SYSCALL_MAX_CALLS;
	     i += RECORD) {
		const uint8_t *r = data + i;
		uint64_t a = address(word(r + 1)), b = word(r + 9), c = word(r + 17);
		uint64_t len = b % FUZZ_SYSCALL_LEN_MAX;
		int flags = (int)(c >> 32), prot = (int)(c & 0xff);
		uint8_t buf[64];
		struct mmsim_rlimit rl;

		switch (r[0] % 16) {
		case 0:
			mmsim_mmap(m, pid, a, len, prot, flags, -1, 0);
			break;
		case 1:
			mmsim_munmap(m, pid, a, len);
			break;
		case 2:
			mmsim_mprotect(m, pid, a, len, (int)c);
			break;
		case 3:
			mmsim_mremap(m, pid, a, len, c % FUZZ_SYSCALL_LEN_MAX, flags,
				     address(b));
			break;
		case 4:
			mmsim_madvise(m, pid, a, len, (int)(c & 0xff));
			break;
		case 5:
			mmsim_mlock(m, pid, a, len, (int)(c & 3));
			break;
		case 6:
			mmsim_munlock(m, pid, a, len);
			break;
		case 7:
			mmsim_mlockall(m, pid, (int)(c & 7));
			break;
		case 8:
			mmsim_munlockall(m, pid);
			break;
		case 9:
			mmsim_msync(m, pid, a, len, (int)(c & 7));
			break;
		case 10:
			mmsim_brk(m, pid, a);
			break;
		case 11:
			mmsim_user_read(m, pid, a, buf, b % sizeof(buf), NULL);
			break;
		case 12:
			memset(buf, r[1], sizeof(buf));
			mmsim_user_write(m, pid, a, buf, b % sizeof(buf), NULL);
			break;
		case 13: {
			int child = mmsim_fork(m, pid);
			if (child > 0 && (c & 1))
				pid = child;	/* go on in the child, the parent's pages shared COW */
			break;
		}
		case 14:
			rl.rlim_cur = b;
			rl.rlim_max = c;
			mmsim_setrlimit(m, pid, (int)(a & 15), &rl);
			break;
		case 15:
			mmsim_user_exec(m, pid, a, NULL);
			break;
		}
	}
	mmsim_destroy(m);
	return 0;
}
