/* base.c — the directories /proc/PID and /proc/self (fs/proc/base.c).
 *
 * Every task has a directory named by its pid, with the files of
 * tgid_base_stuff that this kernel models: the address space (maps,
 * smaps, smaps_rollup, statm), the task (stat, status, comm, limits,
 * personality, syscall), the OOM killer's view (oom_score, oom_score_adj and
 * the legacy oom_adj), and the
 * memory exec laid out (cmdline, environ — read from the process's own
 * pages, faulting them in as the kernel's access_remote_vm() does — and
 * auxv, the saved auxiliary vector in the machine's word size). /proc/self
 * is the directory of the task that reads it: at the top of a scenario,
 * init (pid 1). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "kernel/sched.h"
#include "mm.h"
#include "mm/oom.h"

/* cmdline and environ are read a page at a time, as the kernel's read loop does. */
static void put_remote(struct machine *m, struct mm_struct *mm, uint64_t start, uint64_t end,
		       bool stop_at_nul, FILE *out)
{
	char page[PAGE_SIZE];

	while (start < end) {
		size_t want = end - start < sizeof(page) ? (size_t)(end - start) : sizeof(page);
		long got = access_remote_vm(m, mm, start, page, want, false);
		if (got <= 0)
			return;
		size_t n = (size_t)got;
		if (stop_at_nul) {
			size_t len = strnlen(page, n);
			if (len < n) {
				fwrite(page, 1, len, out);
				return;
			}
		}
		fwrite(page, 1, n, out);
		start += n;
	}
}

/*
 * get_mm_cmdline(): argv's bytes. A program that wrote over the NUL that
 * ends its arguments (setproctitle) gets its title read on into the
 * environment, up to the first NUL.
 */
static int cmdline_show(struct machine *m, struct task_struct *t, FILE *out)
{
	struct mm_struct *mm = (t->flags & PF_KTHREAD) ? NULL : t->mm;
	char last;

	/* Not until exec has laid out the environment. */
	if (!mm || !mm->env_end || mm->arg_start >= mm->arg_end)
		return 0;
	if (access_remote_vm(m, mm, mm->arg_end - 1, &last, 1, false) == 1 && last) {
		uint64_t end = mm->env_start == mm->arg_end && mm->env_end >= mm->env_start ? mm->env_end
											  : mm->arg_end;
		put_remote(m, mm, mm->arg_start, end, true, out);
		return 0;
	}
	put_remote(m, mm, mm->arg_start, mm->arg_end, false, out);
	return 0;
}

static int environ_show(struct machine *m, struct task_struct *t, FILE *out)
{
	struct mm_struct *mm = (t->flags & PF_KTHREAD) ? NULL : t->mm;

	if (mm && mm->env_end)
		put_remote(m, mm, mm->env_start, mm->env_end, false, out);
	return 0;
}

/* auxv: the saved vector through its AT_NULL pair, in the machine's unsigned long. */
static int auxv_show(struct machine *m, struct task_struct *t, FILE *out)
{
	struct mm_struct *mm = (t->flags & PF_KTHREAD) ? NULL : t->mm;

	if (!mm)
		return 0;
	for (unsigned int i = 0; i + 1 < AT_VECTOR_SIZE; i += 2) {
		for (unsigned int w = 0; w < 2; w++) {
			uint64_t v = mm->saved_auxv[i + w];
			if (m->is_32bit) {
				uint32_t v32 = (uint32_t)v;
				fwrite(&v32, sizeof(v32), 1, out);
			} else {
				fwrite(&v, sizeof(v), 1, out);
			}
		}
		if (!mm->saved_auxv[i])
			break;
	}
	return 0;
}

static int comm_show(struct machine *m, struct task_struct *t, FILE *out)
{
	(void)m;
	fprintf(out, "%s\n", t->comm);
	return 0;
}

/* comm_write(): the new name, cut to TASK_COMM_LEN - 1 bytes (a trailing newline is not part of it). */
static int comm_write(struct machine *m, struct task_struct *t, const char *value)
{
	(void)m;
	size_t n = strcspn(value, "\n");
	if (n > TASK_COMM_LEN - 1)
		n = TASK_COMM_LEN - 1;
	memcpy(t->comm, value, n);
	t->comm[n] = '\0';
	return 0;
}

static const struct {
	const char *name, *unit;
} limit_names[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { "Max cpu time", "seconds" },
	[RLIMIT_FSIZE] = { "Max file size", "bytes" },
	[RLIMIT_DATA] = { "Max data size", "bytes" },
	[RLIMIT_STACK] = { "Max stack size", "bytes" },
	[RLIMIT_CORE] = { "Max core file size", "bytes" },
	[RLIMIT_RSS] = { "Max resident set", "bytes" },
	[RLIMIT_NPROC] = { "Max processes", "processes" },
	[RLIMIT_NOFILE] = { "Max open files", "files" },
	[RLIMIT_MEMLOCK] = { "Max locked memory", "bytes" },
	[RLIMIT_AS] = { "Max address space", "bytes" },
	[RLIMIT_LOCKS] = { "Max file locks", "locks" },
	[RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
	[RLIMIT_MSGQUEUE] = { "Max msgqueue size", "bytes" },
	[RLIMIT_NICE] = { "Max nice priority", NULL },
	[RLIMIT_RTPRIO] = { "Max realtime priority", NULL },
	[RLIMIT_RTTIME] = { "Max realtime timeout", "us" },
};

/* proc_pid_limits() */
static int limits_show(struct machine *m, struct task_struct *t, FILE *out)
{
	/* RLIM_INFINITY is the machine's unsigned long: all ones in 32 bits on i386. */
	uint64_t infinity = m->is_32bit ? 0xffffffffULL : RLIM_INFINITY;

	if (!t->signal)
		return 0;
	fputs("Limit                     Soft Limit           Hard Limit           Units     \n", out);
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		const struct rlimit64 *r = &t->signal->rlim[i];
		if (r->rlim_cur >= infinity)
			fprintf(out, "%-25s %-20s ", limit_names[i].name, "unlimited");
		else
			fprintf(out, "%-25s %-20" PRIu64 " ", limit_names[i].name, r->rlim_cur);
		if (r->rlim_max >= infinity)
			fprintf(out, "%-20s ", "unlimited");
		else
			fprintf(out, "%-20" PRIu64 " ", r->rlim_max);
		if (limit_names[i].unit)
			fprintf(out, "%-10s\n", limit_names[i].unit);
		else
			fputc('\n', out);
	}
	return 0;
}

static int personality_show(struct machine *m, struct task_struct *t, FILE *out)
{
	(void)m;
	fprintf(out, "%08x\n", t->personality);
	return 0;
}

/* proc_oom_score(): badness scaled to 0 .. 2000 of all memory, times 2/3. */
static int oom_score_show(struct machine *m, struct task_struct *t, FILE *out)
{
	unsigned long totalpages = m->totalram_pages + total_swap_pages(m);
	long badness = oom_badness(m, t, totalpages);
	unsigned long points = 0;

	/* 2.6 printed badness() itself, unscaled. */
	if (m->profile->oom_badness_2_6)
		points = badness == LONG_MIN ? 0 : (unsigned long)badness;
	else if (badness != LONG_MIN)
		points = (unsigned long)((1000 + badness * 1000 / (long)totalpages) * 2 / 3);
	fprintf(out, "%lu\n", points);
	return 0;
}

static int oom_score_adj_show(struct machine *m, struct task_struct *t, FILE *out)
{
	(void)m;
	fprintf(out, "%d\n", t->signal ? t->signal->oom_score_adj : 0);
	return 0;
}

/*
 * oom_adj_read(): the legacy scale, -17 .. 15 — oom_score_adj * 17 / 1000,
 * rounded towards zero, 15 at most (OOM_SCORE_ADJ_MAX reads as 15 too).
 */
static int oom_adj_show(struct machine *m, struct task_struct *t, FILE *out)
{
	(void)m;
	int adj = t->signal ? t->signal->oom_score_adj : 0;
	int oom_adj = adj == OOM_SCORE_ADJ_MAX ? OOM_ADJUST_MAX : adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;

	fprintf(out, "%d\n", oom_adj > OOM_ADJUST_MAX ? OOM_ADJUST_MAX : oom_adj);
	return 0;
}

/* kstrtoint(strstrip(buffer), 0, ...): one integer, in any base C writes, blanks around it. */
static int parse_oom_value(const char *value, int *out)
{
	char *end;

	errno = 0;
	long v = strtol(value, &end, 0);
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (errno || end == value || *end || v < INT_MIN || v > INT_MAX)
		return -MMSIM_EINVAL;
	*out = (int)v;
	return 0;
}

/* A vfork child (task->vfork_done in the kernel): it keeps an oom_score_adj of its own. */
static bool is_vfork_child(const struct task_struct *t)
{
	return t->real_parent && t->real_parent->vfork_child == t && !t->vfork_done;
}

/*
 * __set_oom_adj(): the new oom_score_adj for @t's process and for every
 * other process sharing its address space. Going below the current value
 * (legacy oom_adj) or below oom_score_adj_min takes CAP_SYS_RESOURCE; a
 * writer that has it moves the floor with an oom_score_adj write (not
 * with the legacy file). The legacy file warns, once per boot.
 */
static int __set_oom_adj(struct machine *m, struct task_struct *t, int oom_adj, bool legacy)
{
	struct task_struct *cur = get_current(m);
	bool privileged = capable(cur, CAP_SYS_RESOURCE);

	if (!t->signal || (t->flags & PF_KTHREAD))
		return -MMSIM_EINVAL;
	if (legacy) {
		if (oom_adj < t->signal->oom_score_adj && !privileged)
			return -MMSIM_EACCES;
		if (!m->oom.warned_oom_adj) {
			m->oom.warned_oom_adj = true;
			pr_warn(m, "%s (%d): /proc/%d/oom_adj is deprecated, please use "
				"/proc/%d/oom_score_adj instead.\n", m->comm, cur->pid, t->pid, t->pid);
		}
	} else if ((short)oom_adj < t->signal->oom_score_adj_min && !privileged) {
		return -MMSIM_EACCES;
	}
	struct mm_struct *mm = !is_vfork_child(t) && t->mm && t->mm->mm_users > 1 ? t->mm : NULL;
	t->signal->oom_score_adj = (short)oom_adj;
	if (!legacy && privileged)
		t->signal->oom_score_adj_min = (short)oom_adj;
	if (!mm)
		return 0;
	for (struct task_struct *p = NULL; (p = next_task(m, p));) {
		if (p->tgid == t->tgid || p->pid != p->tgid || (p->flags & PF_KTHREAD) || p->pid == 1)
			continue;
		if (is_vfork_child(p) || p->mm != mm || !p->signal)
			continue;
		p->signal->oom_score_adj = (short)oom_adj;
		if (!legacy && privileged)
			p->signal->oom_score_adj_min = (short)oom_adj;
	}
	return 0;
}

/* oom_score_adj_write(): an integer in [-1000, 1000]. */
static int oom_score_adj_write(struct machine *m, struct task_struct *t, const char *value)
{
	int v;

	if (parse_oom_value(value, &v) || v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX)
		return -MMSIM_EINVAL;
	return __set_oom_adj(m, t, v, false);
}

/*
 * oom_adj_write(): -16 .. 15, or -17 (OOM_DISABLE), scaled to
 * oom_score_adj as oom_adj * 1000 / 17 (towards zero) — except 15, which
 * is 1000, so that the maximum stays reachable.
 */
static int oom_adj_write(struct machine *m, struct task_struct *t, const char *value)
{
	int v;

	if (parse_oom_value(value, &v))
		return -MMSIM_EINVAL;
	if ((v < OOM_ADJUST_MIN || v > OOM_ADJUST_MAX) && v != OOM_DISABLE)
		return -MMSIM_EINVAL;
	v = v == OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX : v * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
	return __set_oom_adj(m, t, v, true);
}

/*
 * proc_pid_syscall(): the system call the task is blocked in, or -1 with
 * its user stack and instruction pointers when it is stopped in user mode
 * — which is where a process is between the steps it is made to take. A
 * task without user registers (a kernel thread, a zombie whose stack is
 * gone) shows -1 and zeroes; one on a CPU right now, "running".
 */
static int syscall_show(struct machine *m, struct task_struct *t, FILE *out)
{
	if (t == get_current(m) && !(t->flags & PF_KTHREAD) && t->pid != 1) {
		fputs("running\n", out);
		return 0;
	}
	if (!t->mm || t->exit_state || (t->flags & PF_KTHREAD))
		fputs("-1 0x0 0x0\n", out);
	else
		fprintf(out, "-1 0x%" PRIx64 " 0x%" PRIx64 "\n", t->user_sp, t->user_ip);
	return 0;
}

/*
 * pagemap is binary, a 64-bit word a page of the address space, read at an
 * offset (fs/proc/file.c serves it to programs); as text there is nothing
 * to show, and `cat` says so.
 */
static int pagemap_show(struct machine *m, struct task_struct *t, FILE *out)
{
	(void)m;
	(void)t;
	(void)out;
	return -MMSIM_EINVAL;
}

static int maps_show(struct machine *m, struct task_struct *t, FILE *out)
{
	if (!(t->flags & PF_KTHREAD))
		proc_pid_maps_show(m, t, out);
	return 0;
}

static int smaps_show(struct machine *m, struct task_struct *t, FILE *out)
{
	if (!(t->flags & PF_KTHREAD))
		proc_pid_smaps_show(m, t, out);
	return 0;
}

static int smaps_rollup_show(struct machine *m, struct task_struct *t, FILE *out)
{
	if (t->flags & PF_KTHREAD)
		return -MMSIM_ESRCH;
	return proc_pid_smaps_rollup_show(m, t, out);
}

static int stat_show(struct machine *m, struct task_struct *t, FILE *out)
{
	proc_pid_stat_show(m, t, out);
	return 0;
}

static int statm_show(struct machine *m, struct task_struct *t, FILE *out)
{
	struct task_struct view = *t;

	if (t->flags & PF_KTHREAD)
		view.mm = NULL;
	proc_pid_statm_show(m, &view, out);
	return 0;
}

static int status_show(struct machine *m, struct task_struct *t, FILE *out)
{
	proc_pid_status_show(m, t, out);
	return 0;
}

struct pid_entry {
	const char *name;
	int (*show)(struct machine *m, struct task_struct *t, FILE *out);
	int (*write)(struct machine *m, struct task_struct *t, const char *value);
};

/* tgid_base_stuff, the part modelled, sorted as ls sorts it. */
static const struct pid_entry pid_entries[] = {
	{ "auxv", auxv_show, NULL },
	{ "cmdline", cmdline_show, NULL },
	{ "comm", comm_show, comm_write },
	{ "environ", environ_show, NULL },
	{ "limits", limits_show, NULL },
	{ "maps", maps_show, NULL },
	{ "oom_adj", oom_adj_show, oom_adj_write },
	{ "oom_score", oom_score_show, NULL },
	{ "oom_score_adj", oom_score_adj_show, oom_score_adj_write },
	{ "pagemap", pagemap_show, NULL },
	{ "personality", personality_show, NULL },
	{ "smaps", smaps_show, NULL },
	{ "smaps_rollup", smaps_rollup_show, NULL },
	{ "stat", stat_show, NULL },
	{ "statm", statm_show, NULL },
	{ "status", status_show, NULL },
	{ "syscall", syscall_show, NULL },
};
#define NR_PID_ENTRIES ARRAY_SIZE(pid_entries)

/*
 * "/proc/PID/NAME" or "/proc/self/NAME": the task and the entry, or NULL.
 * A reaped task's directory is gone; a zombie's stays until its parent waits.
 */
static const struct pid_entry *pid_lookup(struct machine *m, const char *path,
					  struct task_struct **task)
{
	if (strncmp(path, "/proc/", 6))
		return NULL;
	const char *p = path + 6;
	struct task_struct *t;
	if (!strncmp(p, "self/", 5)) {
		t = get_current(m);
		p += 5;
	} else {
		char *end;
		if (*p < '1' || *p > '9')
			return NULL;
		errno = 0;
		long pid = strtol(p, &end, 10);
		if (errno || *end != '/' || pid > INT_MAX)
			return NULL;
		t = find_task_by_pid(m, (int)pid);
		p = end + 1;
	}
	if (!t)
		return NULL;
	for (size_t i = 0; i < NR_PID_ENTRIES; i++)
		if (!strcmp(pid_entries[i].name, p)) {
			*task = t;
			return &pid_entries[i];
		}
	return NULL;
}

int proc_pid_read(struct machine *m, const char *path, FILE *out)
{
	struct task_struct *t;
	const struct pid_entry *e = pid_lookup(m, path, &t);

	return e ? e->show(m, t, out) : -MMSIM_ENOENT;
}

int proc_pid_write(struct machine *m, const char *path, const char *value)
{
	struct task_struct *t;
	const struct pid_entry *e = pid_lookup(m, path, &t);

	if (!e)
		return -MMSIM_ENOENT;
	return e->write ? e->write(m, t, value) : -MMSIM_EACCES;
}

/*
 * The paths of /proc/self, then of each task's directory. @pos counts
 * from 0 here: self's entries, then (pid << 5 | entry) + the same offset,
 * so a position stays meaningful when tasks come and go between calls.
 */
const char *proc_pid_path(const struct machine *m, size_t *pos, bool *writable)
{
	static _Thread_local char path[64];
	struct task_struct *t;
	size_t entry;

	if (*pos < NR_PID_ENTRIES) {
		entry = (*pos)++;
		snprintf(path, sizeof(path), "/proc/self/%s", pid_entries[entry].name);
	} else {
		size_t code = *pos - NR_PID_ENTRIES;
		int pid = (int)(code >> 5);
		entry = code & 31;
		t = pid ? find_task_by_pid(m, pid) : NULL;
		if (!t || entry >= NR_PID_ENTRIES) {
			/* The next task after @pid in pid order (init, then the list by creation). */
			struct task_struct *next = NULL;
			if (pid < 1)
				next = find_task_by_pid(m, 1);
			else
				for (struct task_struct *c = NULL; (c = next_task(m, c));)
					if (c->pid > pid && (!next || c->pid < next->pid))
						next = c;
			if (!next)
				return NULL;
			t = next;
			entry = 0;
		}
		snprintf(path, sizeof(path), "/proc/%d/%s", t->pid, pid_entries[entry].name);
		*pos = NR_PID_ENTRIES + (((size_t)t->pid << 5) | (entry + 1));
	}
	if (writable)
		*writable = pid_entries[entry].write != NULL;
	return path;
}
