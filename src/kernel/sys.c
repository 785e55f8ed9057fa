/* sys.c — the small system calls of kernel/sys.c, kernel/time and
 * drivers/char/random.c: who the process is, uname, prctl, limits and
 * usage, the clock and random bytes.
 *
 * The clock is the machine's simulated one (it moves with the kernel's
 * work, not the host's time), so a run is the same run every time; the
 * random bytes come from the machine's seeded generator for the same
 * reason. uname names the Debian kernel builds the oracle boots. */
#include <string.h>

#include <mmsim/process.h>

#include "arch/x86/fault.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "mm.h"
#include "mm/vmstat.h"

#define PR_SET_NAME	15
#define PR_GET_NAME	16
#define GRND_NONBLOCK	0x1
#define GRND_RANDOM	0x2
#define GRND_INSECURE	0x4
#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME	7

/* struct new_utsname: six fields of 65 bytes. */
int64_t sys_uname(struct machine *m, uint64_t name)
{
	char u[6][65];

	memset(u, 0, sizeof(u));
	strcpy(u[0], "Linux");
	strcpy(u[1], "(none)");		/* no hostname set: the kernel's default */
	if (m->is_32bit) {
		strcpy(u[2], "6.1.0-50-686");
		strcpy(u[3], "#1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-07-02)");
		strcpy(u[4], "i686");
	} else {
		strcpy(u[2], "6.1.0-56-amd64");
		strcpy(u[3], "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)");
		strcpy(u[4], "x86_64");
	}
	strcpy(u[5], "(none)");		/* domainname */
	return copy_to_user(m, name, u, sizeof(u)) ? -MMSIM_EFAULT : 0;
}

int64_t sys_getpid(struct machine *m)
{
	return get_current(m)->tgid;
}

int64_t sys_gettid(struct machine *m)
{
	return get_current(m)->pid;
}

int64_t sys_getppid(struct machine *m)
{
	struct task_struct *p = get_current(m)->real_parent;

	return p ? p->tgid : 0;
}

int64_t sys_getuid(struct machine *m)
{
	return get_current(m)->cred->uid;
}

int64_t sys_geteuid(struct machine *m)
{
	return get_current(m)->cred->euid;
}

int64_t sys_getgid(struct machine *m)
{
	return get_current(m)->cred->gid;
}

int64_t sys_getegid(struct machine *m)
{
	return get_current(m)->cred->egid;
}

/*
 * Process groups and sessions: every process is in init's session and its
 * own group is not modelled; the calls answer as for a process that is a
 * group leader of itself.
 */
int64_t sys_getpgid(struct machine *m, int pid)
{
	struct task_struct *t = pid ? find_task_by_pid(m, pid) : get_current(m);

	return t ? t->tgid : -MMSIM_ESRCH;
}

int64_t sys_setpgid(struct machine *m, int pid, int pgid)
{
	struct task_struct *t = pid ? find_task_by_pid(m, pid) : get_current(m);

	if (pgid < 0)
		return -MMSIM_EINVAL;
	return t ? 0 : -MMSIM_ESRCH;
}

int64_t sys_setsid(struct machine *m)
{
	return get_current(m)->tgid;
}

int64_t sys_prctl(struct machine *m, int option, uint64_t arg2)
{
	struct task_struct *t = get_current(m);
	char comm[TASK_COMM_LEN];

	switch (option) {
	case PR_SET_NAME: {
		long n = strncpy_from_user(m, comm, arg2, sizeof(comm) - 1);
		if (n < 0)
			return -MMSIM_EFAULT;
		comm[n < (long)sizeof(comm) - 1 ? n : (long)sizeof(comm) - 1] = '\0';
		memcpy(t->comm, comm, sizeof(comm));
		return 0;
	}
	case PR_GET_NAME:
		memcpy(comm, t->comm, sizeof(comm));
		comm[sizeof(comm) - 1] = '\0';
		return copy_to_user(m, arg2, comm, sizeof(comm)) ? -MMSIM_EFAULT : 0;
	default:
		return -MMSIM_EINVAL;
	}
}

/* getrandom(): the machine's seeded generator; at most 32 MiB per call (as the kernel caps it). */
int64_t sys_getrandom(struct machine *m, uint64_t buf, uint64_t count, unsigned int flags)
{
	uint8_t chunk[256];
	uint64_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -MMSIM_EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -MMSIM_EINVAL;
	if (count > (32u << 20))
		count = 32u << 20;
	while (done < count) {
		size_t n = count - done < sizeof(chunk) ? (size_t)(count - done) : sizeof(chunk);
		get_random_bytes(m, chunk, n);
		size_t left = copy_to_user(m, buf + done, chunk, n);
		done += n - left;
		if (left)
			return done ? (int64_t)done : -MMSIM_EFAULT;
	}
	return (int64_t)done;
}

/*
 * The clocks: the capture's btime (0, the epoch) plus the simulated
 * uptime, or for the CPU-time clocks the task's time in the kernel. The
 * clock's value in *ns, or -EINVAL for a clock there is not.
 */
int clock_read_ns(struct machine *m, int which, uint64_t *ns)
{
	if (which < CLOCK_REALTIME || which > CLOCK_BOOTTIME)
		return -MMSIM_EINVAL;
	if (which == CLOCK_PROCESS_CPUTIME_ID || which == CLOCK_THREAD_CPUTIME_ID)
		*ns = get_current(m)->stime_ns;
	else
		*ns = m->clock_ns;
	return 0;
}

int64_t sys_clock_gettime(struct machine *m, int which, uint64_t tp)
{
	uint64_t ns;
	int err = clock_read_ns(m, which, &ns);

	if (err)
		return err;
	int64_t ts[2] = { (int64_t)(ns / 1000000000u), (int64_t)(ns % 1000000000u) };
	return copy_to_user(m, tp, ts, sizeof(ts)) ? -MMSIM_EFAULT : 0;
}

int64_t sys_gettimeofday(struct machine *m, uint64_t tv, uint64_t tz)
{
	uint64_t ns = m->clock_ns;
	int64_t t[2] = { (int64_t)(ns / 1000000000u), (int64_t)(ns % 1000000000u / 1000u) };
	int32_t zone[2] = { 0, 0 };

	if (tv && copy_to_user(m, tv, t, sizeof(t)))
		return -MMSIM_EFAULT;
	if (tz && copy_to_user(m, tz, zone, sizeof(zone)))
		return -MMSIM_EFAULT;
	return 0;
}

int64_t sys_time(struct machine *m, uint64_t tloc)
{
	int64_t now = (int64_t)(m->clock_ns / 1000000000u);

	if (tloc && put_user(m, &now, tloc, 8))
		return -MMSIM_EFAULT;
	return now;
}

/*
 * nanosleep(): the simulated clock moves on by the time asked for;
 * nothing else runs meanwhile. At most a day at a time, so that the clock
 * cannot wrap. -EINVAL for a negative time or nanoseconds past a second.
 */
int nanosleep_advance(struct machine *m, int64_t sec, int64_t nsec)
{
	if (sec < 0 || nsec < 0 || nsec >= 1000000000)
		return -MMSIM_EINVAL;
	m->clock_ns += sec > 86400 ? 86400ULL * 1000000000u : (uint64_t)sec * 1000000000u + (uint64_t)nsec;
	return 0;
}

int64_t sys_nanosleep(struct machine *m, uint64_t req, uint64_t rem)
{
	int64_t ts[2];

	(void)rem;
	if (copy_from_user(m, ts, req, sizeof(ts)))
		return -MMSIM_EFAULT;
	return nanosleep_advance(m, ts[0], ts[1]);
}

int64_t sys_prlimit64(struct machine *m, int pid, unsigned int resource, uint64_t new_rlim,
		      uint64_t old_rlim)
{
	struct task_struct *t = pid ? find_task_by_pid(m, pid) : get_current(m);
	struct mmsim_rlimit rl;
	uint64_t v[2];

	if (!t || !t->mm)
		return -MMSIM_ESRCH;
	if (resource >= RLIM_NLIMITS)
		return -MMSIM_EINVAL;
	if (new_rlim && copy_from_user(m, v, new_rlim, sizeof(v)))
		return -MMSIM_EFAULT;
	if (old_rlim) {
		int err = mmsim_getrlimit(m, t->pid, (int)resource, &rl);
		if (err)
			return err;
		uint64_t o[2] = { rl.rlim_cur, rl.rlim_max };
		if (copy_to_user(m, old_rlim, o, sizeof(o)))
			return -MMSIM_EFAULT;
	}
	if (new_rlim) {
		rl = (struct mmsim_rlimit){ v[0], v[1] };
		return mmsim_setrlimit(m, t->pid, (int)resource, &rl);
	}
	return 0;
}

/*
 * struct rusage: two timevals (utime, stime) and 14 longs — 8 bytes each
 * on x86_64, 4 on i386 — of which maxrss, minflt, majflt, nvcsw and
 * nivcsw are kept here.
 */
int put_rusage(struct machine *m, uint64_t uaddr, const int64_t v[18])
{
	if (!m->is_32bit)
		return copy_to_user(m, uaddr, v, 18 * 8) ? -MMSIM_EFAULT : 0;
	int32_t w[18];
	for (int i = 0; i < 18; i++)
		w[i] = (int32_t)v[i];
	return copy_to_user(m, uaddr, w, sizeof(w)) ? -MMSIM_EFAULT : 0;
}

int64_t sys_getrusage(struct machine *m, int who, uint64_t ru)
{
	struct task_struct *t = get_current(m);
	struct mmsim_rusage r;
	int64_t out[18] = { 0 };

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != 1 /* RUSAGE_THREAD */)
		return -MMSIM_EINVAL;
	int err = mmsim_getrusage(m, t->pid, who == RUSAGE_CHILDREN ? RUSAGE_CHILDREN : RUSAGE_SELF, &r);
	if (err)
		return err;
	uint64_t stime = who == RUSAGE_CHILDREN ? t->signal->cstime_ns : t->stime_ns;
	out[2] = (int64_t)(stime / 1000000000u);	/* ru_stime */
	out[3] = (int64_t)(stime % 1000000000u / 1000u);
	out[4] = (int64_t)r.maxrss_kb;
	out[8] = (int64_t)r.minflt;
	out[9] = (int64_t)r.majflt;
	out[16] = (int64_t)t->nvcsw;
	out[17] = (int64_t)t->nivcsw;
	return put_rusage(m, ru, out);
}

int64_t sys_set_tid_address(struct machine *m, uint64_t tidptr)
{
	struct task_struct *t = get_current(m);

	t->clear_child_tid = tidptr;
	return t->pid;
}

/*
 * sysinfo(): struct sysinfo from the counters meminfo shows — longs of 8
 * bytes on x86_64 (112 bytes in all), of 4 on i386 (64): uptime, loads[3],
 * totalram, freeram, sharedram, bufferram, totalswap, freeswap, procs
 * (u16), totalhigh, freehigh, mem_unit (u32).
 */
int64_t sys_sysinfo(struct machine *m, uint64_t info)
{
	unsigned long high_free = 0;
	for_each_zone_idx(m, zone)
		if (zone->is_highmem)
			high_free += zone_page_state(zone, NR_FREE_PAGES);
	long shmem = m->node.vm_stat[NR_SHMEM] > 0 ? m->node.vm_stat[NR_SHMEM] : 0;
	uint64_t v[14] = {
		m->clock_ns / 1000000000u, 0, 0, 0,
		(uint64_t)m->totalram_pages << PAGE_SHIFT,
		(uint64_t)global_zone_page_state(m, NR_FREE_PAGES) << PAGE_SHIFT,
		(uint64_t)shmem << PAGE_SHIFT, 0, 0, 0,
	};
	uint16_t procs = (uint16_t)m->sched->nr_threads;
	uint32_t unit = 1;
	uint8_t si[112] = { 0 };
	size_t w = m->is_32bit ? 4 : 8, at = 0;

	if (m->is_32bit && ((uint64_t)m->totalram_pages << PAGE_SHIFT) > 0xffffffffULL) {
		/* Past 4 GiB a 32-bit long cannot hold bytes: the kernel counts in pages then. */
		unit = PAGE_SIZE;
		for (int i = 4; i < 10; i++)
			v[i] >>= PAGE_SHIFT;
	}
	for (int i = 0; i < 10; i++, at += w)
		memcpy(si + at, &v[i], w);		/* little-endian: the low bytes */
	memcpy(si + at, &procs, 2);
	at += m->is_32bit ? 4 : 8;			/* procs and its padding */
	uint64_t th = (uint64_t)m->totalhigh_pages << PAGE_SHIFT, fh = (uint64_t)high_free << PAGE_SHIFT;
	if (unit != 1) {
		th >>= PAGE_SHIFT;
		fh >>= PAGE_SHIFT;
	}
	memcpy(si + at, &th, w);
	at += w;
	memcpy(si + at, &fh, w);
	at += w;
	memcpy(si + at, &unit, 4);
	return copy_to_user(m, info, si, m->is_32bit ? 64 : 112) ? -MMSIM_EFAULT : 0;
}

/*
 * setresuid(): the real, effective and saved uid (-1: unchanged). An
 * unprivileged caller may only set each to a uid it already has; when the
 * effective uid becomes non-zero the capabilities go, as commoncap's
 * cap_emulate_setxuid() drops them. mmsim keeps no separate saved uid: it
 * is taken to be the effective one.
 */
int64_t sys_setresuid(struct machine *m, uint32_t ruid, uint32_t euid, uint32_t suid)
{
	struct task_struct *t = get_current(m);
	struct cred *c = t->cred;
	bool priv = capable(t, CAP_SETUID);
	const uint32_t keep = 0xffffffffu;

	if (!priv) {
		const uint32_t v[3] = { ruid, euid, suid };
		for (int i = 0; i < 3; i++)
			if (v[i] != keep && v[i] != c->uid && v[i] != c->euid)
				return -MMSIM_EPERM;
	}
	if (ruid != keep)
		c->uid = ruid;
	if (euid != keep)
		c->euid = euid;
	if (c->euid != 0)
		c->cap_effective = 0;
	return 0;
}
