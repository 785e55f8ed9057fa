/* array.c — /proc/PID/status and /proc/PID/stat (fs/proc/array.c).
 *
 * status is for people: one "Name:\tvalue" line per fact, in the order
 * 6.1 prints them, with the memory lines from task_mmu.c. stat is for
 * programs (ps, top, pmap): 52 numbers on one line, with the fault counts
 * (minflt, majflt, and those of reaped children), times in clock ticks,
 * the address-space size and RSS, and the layout's addresses. The reader
 * is root, so every field a ptrace check guards is shown. */
#include <inttypes.h>
#include <string.h>

#include "arch/x86/kernel/cpu.h"
#include "fs/fs.h"
#include "fs/proc/internal.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm.h"

/* USER_HZ: what clock_t counts in. */
#define USER_HZ	100
#define SIGCHLD	17

/* nsec_to_clock_t() */
static unsigned long long clock_t_of(uint64_t ns)
{
	return (unsigned long long)(ns / (1000000000ULL / USER_HZ));
}

/* get_task_state(): the letter and the word, from the run state and the exit state. */
static const char *task_state_name(const struct task_struct *t)
{
	if (t->exit_state == EXIT_DEAD)
		return "X (dead)";
	if (t->exit_state == EXIT_ZOMBIE)
		return "Z (zombie)";
	switch (t->state) {
	case TASK_INTERRUPTIBLE:
		return "S (sleeping)";
	case TASK_UNINTERRUPTIBLE:
		return "D (disk sleep)";
	case TASK_DEAD:
		return "X (dead)";
	default:
		/* TASK_NEW is not among the states /proc reports: it shows as running. */
		return "R (running)";
	}
}

static int task_ppid(const struct task_struct *t)
{
	return t->real_parent ? t->real_parent->tgid : 0;
}

/* The signals with disposition @d, bit sig - 1 (the kernel's sigset_t). */
static uint64_t sigset_of(const struct task_struct *t, enum sig_disposition d)
{
	uint64_t set = 0;

	if (!t->sighand)
		return 0;
	for (int sig = 1; sig <= NR_SIGNALS; sig++)
		if (t->sighand->action[sig - 1] == d)
			set |= 1ULL << (sig - 1);
	return set;
}

/* bitmap_string() ("%*pb"): 32-bit chunks, most significant first, the first one only as wide as it is. */
static void put_bitmap(FILE *out, unsigned int nbits, unsigned int set_bits)
{
	unsigned int chunks = (nbits + 31) / 32;

	for (unsigned int c = chunks; c-- > 0;) {
		unsigned int lo = c * 32, width = nbits - lo < 32 ? nbits - lo : 32;
		uint32_t v = 0;
		for (unsigned int b = 0; b < width; b++)
			if (lo + b < set_bits)
				v |= 1U << b;
		fprintf(out, "%s%0*x", c + 1 == chunks ? "" : ",", (int)((width + 3) / 4), v);
	}
}

/* bitmap_list_string() ("%*pbl") of bits 0 .. n-1. */
static void put_bitmap_list(FILE *out, unsigned int n)
{
	if (n == 1)
		fputs("0", out);
	else
		fprintf(out, "0-%u", n - 1);
}

void proc_pid_status_show(struct machine *m, struct task_struct *t, FILE *out)
{
	const struct cred *cred = t->cred ? t->cred : &m->sched->init_cred;
	bool zombie = t->exit_state != 0;

	/* proc_task_name(escape=true): only a newline and a backslash are escaped. */
	fputs("Name:\t", out);
	for (const char *p = t->comm; *p; p++)
		if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\\')
			fputs("\\\\", out);
		else
			fputc(*p, out);
	fputc('\n', out);
	/* A zombie has dropped its fs_struct, and with it the umask. */
	if (!zombie)
		fputs("Umask:\t0022\n", out);
	fprintf(out, "State:\t%s\n", task_state_name(t));
	fprintf(out, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", t->tgid, t->pid,
		task_ppid(t));
	fprintf(out, "Uid:\t%u\t%u\t%u\t%u\n", cred->uid, cred->euid, cred->euid, cred->euid);
	fprintf(out, "Gid:\t%u\t%u\t%u\t%u\n", cred->gid, cred->egid, cred->egid, cred->egid);
	fprintf(out, "FDSize:\t%u\n", t->files && !zombie ? t->files->max_fds : 0);
	/* No supplementary groups; the line keeps its trailing space. */
	fputs("Groups:\t \n", out);
	/*
	 * One pid namespace. Nobody calls setsid() or setpgid(): every
	 * process is in init's group and session, which are 0 (the kernel
	 * started init from pid 0 and init never became a session leader).
	 */
	fprintf(out, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t0\nNSsid:\t0\n", t->tgid, t->pid);
	if (t->mm && !(t->flags & PF_KTHREAD)) {
		proc_task_mem_show(m, t->mm, out);
		fputs("CoreDumping:\t0\n", out);
		fputs("THP_enabled:\t1\n", out);
	}
	fputs("Threads:\t1\n", out);
	fprintf(out, "SigQ:\t0/%" PRIu64 "\n", rlimit(t, RLIMIT_SIGPENDING));
	fprintf(out, "SigPnd:\t%016" PRIx64 "\n", (uint64_t)0);
	fprintf(out, "ShdPnd:\t%016" PRIx64 "\n", (uint64_t)0);
	fprintf(out, "SigBlk:\t%016" PRIx64 "\n", (uint64_t)0);
	fprintf(out, "SigIgn:\t%016" PRIx64 "\n", sigset_of(t, SIG_DISP_IGNORE));
	fprintf(out, "SigCgt:\t%016" PRIx64 "\n", sigset_of(t, SIG_DISP_HANDLER));
	/* Root holds every capability; a setuid() to another user dropped them all. */
	uint64_t caps = t->cred ? t->cred->cap_effective : CAP_FULL_SET;
	fprintf(out, "CapInh:\t%016" PRIx64 "\n", (uint64_t)0);
	fprintf(out, "CapPrm:\t%016" PRIx64 "\n", caps);
	fprintf(out, "CapEff:\t%016" PRIx64 "\n", caps);
	fprintf(out, "CapBnd:\t%016" PRIx64 "\n", (uint64_t)CAP_FULL_SET);
	fprintf(out, "CapAmb:\t%016" PRIx64 "\n", (uint64_t)0);
	fputs("NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n", out);
	fprintf(out, "Speculation_Store_Bypass:\t%s\n", cpu_ssb_state(m));
	fprintf(out, "SpeculationIndirectBranch:\t%s\n", cpu_indirect_branch_state(m));
	/* Every CPU (nr_cpu_ids bits) and every node (MAX_NUMNODES: 1 on i386, 1024 on x86_64). */
	fputs("Cpus_allowed:\t", out);
	put_bitmap(out, m->nr_cpus, m->nr_cpus);
	fputs("\nCpus_allowed_list:\t", out);
	put_bitmap_list(out, m->nr_cpus);
	fputs("\nMems_allowed:\t", out);
	put_bitmap(out, m->is_32bit ? 1 : 1024, 1);
	fputs("\nMems_allowed_list:\t0\n", out);
	fprintf(out, "voluntary_ctxt_switches:\t%lu\n", t->nvcsw);
	fprintf(out, "nonvoluntary_ctxt_switches:\t%lu\n", t->nivcsw);
}

/* The one-letter state of stat (the first character of status's). */
static char task_state_char(const struct task_struct *t)
{
	return task_state_name(t)[0];
}

void proc_pid_stat_show(struct machine *m, struct task_struct *t, FILE *out)
{
	/* get_task_mm(): a kernel thread's borrowed mm is not its own. */
	struct mm_struct *mm = (t->flags & PF_KTHREAD) ? NULL : t->mm;
	unsigned long cmin = t->signal ? t->signal->cmin_flt : 0;
	unsigned long cmaj = t->signal ? t->signal->cmaj_flt : 0;
	uint64_t cstime = t->signal ? t->signal->cstime_ns : 0;
	uint64_t rsslim = rlimit(t, RLIMIT_RSS);
	/* RLIM_INFINITY is the machine's unsigned long. */
	if (m->is_32bit && rsslim > 0xffffffffULL)
		rsslim = 0xffffffffULL;
	uint64_t sigign = sigset_of(t, SIG_DISP_IGNORE), sigcatch = sigset_of(t, SIG_DISP_HANDLER);

	fprintf(out, "%d (%.64s) %c %d 0 0 0 -1 %u", t->pid, t->comm, task_state_char(t),
		task_ppid(t), t->flags);
	fprintf(out, " %lu %lu %lu %lu", t->min_flt, cmin, t->maj_flt, cmaj);
	/* utime (user code runs nowhere yet), stime, cutime, cstime. */
	fprintf(out, " 0 %llu 0 %llu", clock_t_of(t->stime_ns), clock_t_of(cstime));
	/* priority (prio - MAX_RT_PRIO), nice, threads, itrealvalue, start time. */
	fprintf(out, " 20 0 1 0 %llu", clock_t_of(t->start_time_ns));
	fprintf(out, " %" PRIu64 " %lu %" PRIu64, mm ? (uint64_t)mm->total_vm << PAGE_SHIFT : 0,
		mm ? get_mm_rss(mm) : 0, rsslim);
	fprintf(out, " %" PRIu64 " %" PRIu64 " %" PRIu64, mm ? mm->start_code : 0,
		mm ? mm->end_code : 0, mm ? mm->start_stack : 0);
	/* kstkesp, kstkeip: only of a task dumping core or exiting with its stack still there. */
	fputs(" 0 0", out);
	fprintf(out, " 0 0 %" PRIu64 " %" PRIu64, sigign & 0x7fffffff, sigcatch & 0x7fffffff);
	/* wchan: 1 if not running; nswap, cnswap. */
	fprintf(out, " %d 0 0", t->state != TASK_RUNNING || t->exit_state ? 1 : 0);
	/* exit_signal: init and the boot task have none; everything forked sends SIGCHLD. */
	fprintf(out, " %d %u 0 0 0 0 0", t->pid == 1 ? 0 : SIGCHLD, t->cpu);
	if (mm)
		fprintf(out, " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
			     " %" PRIu64,
			mm->start_data, mm->end_data, mm->start_brk, mm->arg_start, mm->arg_end,
			mm->env_start, mm->env_end);
	else
		fputs(" 0 0 0 0 0 0 0", out);
	fprintf(out, " %d\n", t->exit_state ? t->exit_code : 0);
}
