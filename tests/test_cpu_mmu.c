/* test_cpu_mmu.c — the real CPU and mmsim's software MMU walk the same tables alike.
 *
 * A tiny static x86_64 program, written here byte by byte, loads from and
 * stores to the pages of its .bss in a fixed pattern (untouched, read,
 * written, read then written, read twice) and then spins. It runs on the
 * host's CPU under KVM (mmsim_run), through mmsim's page tables, until the
 * test stops it. A second machine, booted the same, execs the same program
 * and makes the same accesses through mmsim's software MMU
 * (mmsim_user_read / mmsim_user_write). Afterwards every .bss page must
 * have the same page-table entry on both — present, writable, user, NX,
 * and the Accessed and Dirty bits the hardware set on one and the software
 * walk on the other — the same frame kind (the shared zero page or a page
 * of its own), and the VMA the same smaps lines; and both machines must
 * verify. (That the CPU's TLB is flushed when mmsim changes a mapping is
 * tests/guest/tlb.c's, run by run_test.sh.)
 *
 * Skipped (exit 77) where /dev/kvm cannot be used. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <mmsim/machine.h>
#include <mmsim/process.h>

#include "arch/x86/pgtable.h"
#include "kernel/sched.h"
#include "mm.h"
#include "test.h"

#define TEXT_VA		0x400000ULL
#define DATA_VA		0x401000ULL
#define BSS_VA		0x402000ULL
#define BSS_PAGES	64
#define ENTRY_OFF	0x100

/* What the program does to .bss page i. */
enum access { UNTOUCHED, READ, WRITE, READ_WRITE, READ_TWICE };

static enum access pattern(unsigned int i)
{
	static const enum access cycle[5] = { UNTOUCHED, READ, WRITE, READ_WRITE, READ_TWICE };
	return cycle[i % 5];
}

struct op {
	uint64_t addr, store;
};

/* The accesses in program order (the table the program walks). */
static size_t make_ops(struct op *ops)
{
	size_t n = 0;

	for (unsigned int i = 0; i < BSS_PAGES; i++) {
		uint64_t a = BSS_VA + (uint64_t)i * PAGE_SIZE + (i * 37) % PAGE_SIZE;
		switch (pattern(i)) {
		case UNTOUCHED: break;
		case READ: ops[n++] = (struct op){ a, 0 }; break;
		case WRITE: ops[n++] = (struct op){ a, 1 }; break;
		case READ_WRITE: ops[n++] = (struct op){ a, 0 }; ops[n++] = (struct op){ a, 1 }; break;
		case READ_TWICE: ops[n++] = (struct op){ a, 0 }; ops[n++] = (struct op){ a + 8, 0 }; break;
		}
	}
	return n;
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* The program: ELF header, two PT_LOADs (text r-x; data rw- with the .bss), the code, the table. */
static size_t build_program(uint8_t *img, size_t cap)
{
	struct op ops[BSS_PAGES * 2];
	size_t nops = make_ops(ops);
	size_t size = 0x2000;

	if (cap < size)
		return 0;
	memset(img, 0, size);
	memcpy(img, "\177ELF", 4);
	img[4] = 2; img[5] = 1; img[6] = 1;		/* ELFCLASS64, little-endian, EV_CURRENT */
	put16(img + 16, 2);				/* ET_EXEC */
	put16(img + 18, 62);				/* EM_X86_64 */
	put32(img + 20, 1);
	put64(img + 24, TEXT_VA + ENTRY_OFF);		/* e_entry */
	put64(img + 32, 64);				/* e_phoff */
	put16(img + 52, 64);				/* e_ehsize */
	put16(img + 54, 56);				/* e_phentsize */
	put16(img + 56, 2);				/* e_phnum */
	uint8_t *ph = img + 64;
	put32(ph, 1); put32(ph + 4, 5);			/* PT_LOAD, R|X */
	put64(ph + 8, 0); put64(ph + 16, TEXT_VA); put64(ph + 24, TEXT_VA);
	put64(ph + 32, 0x1000); put64(ph + 40, 0x1000); put64(ph + 48, 0x1000);
	ph += 56;
	put32(ph, 1); put32(ph + 4, 6);			/* PT_LOAD, R|W */
	put64(ph + 8, 0x1000); put64(ph + 16, DATA_VA); put64(ph + 24, DATA_VA);
	put64(ph + 32, 0x1000); put64(ph + 40, 0x1000 + BSS_PAGES * PAGE_SIZE); put64(ph + 48, 0x1000);

	uint8_t *c = img + ENTRY_OFF;
	size_t at = 0;
#define B(...) do { const uint8_t b_[] = { __VA_ARGS__ }; memcpy(c + at, b_, sizeof(b_)); at += sizeof(b_); } while (0)
	B(0x48, 0xbe); put64(c + at, DATA_VA); at += 8;		/* movabs $table, %rsi */
	B(0x48, 0xc7, 0xc1); put32(c + at, (uint32_t)nops); at += 4;	/* mov $n, %rcx */
	size_t loop = at;
	B(0x48, 0x8b, 0x3e);					/* mov (%rsi), %rdi */
	B(0x48, 0x8b, 0x46, 0x08);				/* mov 8(%rsi), %rax */
	B(0x48, 0x85, 0xc0);					/* test %rax, %rax */
	B(0x75, 0x05);						/* jnz store */
	B(0x0f, 0xb6, 0x17);					/* movzbl (%rdi), %edx */
	B(0xeb, 0x03);						/* jmp next */
	B(0xc6, 0x07, 0x01);					/* store: movb $1, (%rdi) */
	B(0x48, 0x83, 0xc6, 0x10);				/* next: add $16, %rsi */
	B(0x48, 0xff, 0xc9);					/* dec %rcx */
	B(0x75, (uint8_t)(int8_t)(loop - (at + 2)));		/* jnz loop */
	B(0xeb, 0xfe);						/* jmp . */
#undef B
	for (size_t i = 0; i < nops; i++) {
		put64(img + 0x1000 + i * 16, ops[i].addr);
		put64(img + 0x1000 + i * 16 + 8, ops[i].store);
	}
	return size;
}

static volatile int stop_run;
static struct machine *running;

static void on_alarm(int sig)
{
	(void)sig;
	stop_run = 1;
	if (running)
		mmsim_run_kick(running);
}

static struct machine *boot(void)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.arch = MMSIM_ARCH_X86_64;
	d.mem_bytes = 512ULL << 20;
	d.cmdline = "norandmaps";
	return mmsim_boot(&d, err, sizeof(err));
}

/* A machine with the program exec'd in a new process (*pid). */
static struct machine *machine_with_program(const char *host_path, int *pid)
{
	struct machine *m = boot();
	static const char *const argv[] = { "/t", NULL }, *const envp[] = { NULL };

	if (!m)
		return NULL;
	if (mmsim_install(m, host_path, "/t") || (*pid = mmsim_spawn(m, "t")) < 0 ||
	    mmsim_execve(m, *pid, "/t", argv, envp, NULL)) {
		mmsim_destroy(m);
		return NULL;
	}
	return m;
}

static bool kvm_usable(void)
{
	return access("/dev/kvm", R_OK | W_OK) == 0;
}

/* Run until the program spins (the timer stops it): it is alive afterwards. */
static int run_until_spinning(struct machine *m, int pid)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 300000 } }, off = { 0 };
	const char *why = NULL;
	int status = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	stop_run = 0;
	running = m;
	setitimer(ITIMER_REAL, &it, NULL);
	int rc = mmsim_run(m, pid, &stop_run, &status, &why);
	setitimer(ITIMER_REAL, &off, NULL);
	running = NULL;
	if (rc != -MMSIM_EINTR)
		fprintf(stderr, "run: %d (%s), status %#x\n", rc, why ? why : "-", status);
	return rc;
}

static uint64_t pte_of(struct machine *m, int pid, uint64_t va)
{
	struct task_struct *t = find_task_by_pid(m, pid);
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;

	if (!t || !t->mm || !pt_lookup(m, t->mm->pgd, va, &level, &table, &idx) || level != PT_PTE)
		return 0;
	return pt_read(m, table, idx);
}

/* The smaps lines of the VMA at @va that say what was touched. */
static void smaps_of(struct machine *m, int pid, uint64_t va, char *out, size_t len)
{
	char path[64], *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	mmsim_proc_read(m, path, f);
	fclose(f);
	out[0] = '\0';
	char start[32];
	snprintf(start, sizeof(start), "%08" PRIx64 "-", va);
	char *vma = strstr(text, start);
	for (char *line = vma; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line + 1) : strlen(line);
		if (line != vma && strchr(line, '-') && strchr(line, ' ') && line[0] != ' ' &&
		    strchr(line, '-') < strchr(line, ' '))
			break;		/* the next VMA */
		if (!strncmp(line, "Rss:", 4) || !strncmp(line, "Referenced:", 11) ||
		    !strncmp(line, "Anonymous:", 10) || !strncmp(line, "Private_Dirty:", 14) ||
		    !strncmp(line, "Private_Clean:", 14))
			strncat(out, line, l < len - strlen(out) - 1 ? l : len - strlen(out) - 1);
		line = nl ? nl + 1 : NULL;
	}
	free(text);
}

static bool test_cpu_and_software_mmu_agree(void)
{
	if (!kvm_usable()) {
		printf("skip: /dev/kvm is not usable here\n");
		exit(77);
	}
	static uint8_t img[0x2000];
	size_t size = build_program(img, sizeof(img));
	char path[] = "/tmp/test_cpu_mmu.XXXXXX";
	int fd = mkstemp(path);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, img, size), (long)size);
	close(fd);
	ASSERT_EQ(chmod(path, 0755), 0);

	int pid_hw, pid_sw;
	struct machine *hw = machine_with_program(path, &pid_hw);
	struct machine *sw = machine_with_program(path, &pid_sw);
	unlink(path);
	ASSERT_TRUE(hw && sw);
	ASSERT_EQ(run_until_spinning(hw, pid_hw), -MMSIM_EINTR);

	struct op ops[BSS_PAGES * 2];
	size_t nops = make_ops(ops);
	for (size_t i = 0; i < nops; i++) {
		uint8_t b = 1;
		int r = ops[i].store ? mmsim_user_write(sw, pid_sw, ops[i].addr, &b, 1, NULL)
				     : mmsim_user_read(sw, pid_sw, ops[i].addr, &b, 1, NULL);
		ASSERT_EQ(r, 0);
	}

	const uint64_t flags = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX;
	struct task_struct *thw = find_task_by_pid(hw, pid_hw), *tsw = find_task_by_pid(sw, pid_sw);
	ASSERT_TRUE(thw && tsw && !thw->exit_state);
	unsigned long zero_hw = 0, own_hw = 0;
	for (unsigned int i = 0; i < BSS_PAGES; i++) {
		uint64_t va = BSS_VA + (uint64_t)i * PAGE_SIZE;
		uint64_t a = pte_of(hw, pid_hw, va), b = pte_of(sw, pid_sw, va);
		if ((a & flags) != (b & flags)) {
			fprintf(stderr, ".bss page %u (%s): the CPU left PTE %#" PRIx64 ", the software MMU %#" PRIx64 "\n",
				i, (const char *[]){ "untouched", "read", "written", "read, written", "read twice" }[pattern(i)],
				a, b);
			return false;
		}
		/* The same kind of frame: the zero page for pages only read, a page of its own once written. */
		bool za = (a & _PAGE_PRESENT) && is_zero_pfn(hw, (unsigned long)((a & pt_format(hw)->addr_mask) >> PAGE_SHIFT));
		bool zb = (b & _PAGE_PRESENT) && is_zero_pfn(sw, (unsigned long)((b & pt_format(sw)->addr_mask) >> PAGE_SHIFT));
		ASSERT_EQ(za, zb);
		zero_hw += za;
		own_hw += (a & _PAGE_PRESENT) && !za;
	}
	/* The pattern has pages only read (the zero page) and pages written (their own). */
	ASSERT_TRUE(zero_hw > 0 && own_hw > 0);
	char smaps_hw[512], smaps_sw[512];
	smaps_of(hw, pid_hw, BSS_VA, smaps_hw, sizeof(smaps_hw));
	smaps_of(sw, pid_sw, BSS_VA, smaps_sw, sizeof(smaps_sw));
	if (strcmp(smaps_hw, smaps_sw)) {
		fprintf(stderr, "smaps of .bss differ:\nCPU:\n%ssoftware MMU:\n%s", smaps_hw, smaps_sw);
		return false;
	}
	ASSERT_TRUE(smaps_hw[0] != '\0');
	ASSERT_EQ(mmsim_verify(hw, stderr), 0);
	ASSERT_EQ(mmsim_verify(sw, stderr), 0);
	mmsim_destroy(hw);
	mmsim_destroy(sw);
	return true;
}

TEST_MAIN(TEST(test_cpu_and_software_mmu_agree))
