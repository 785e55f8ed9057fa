/* oom_kill.c — the OOM killer (mm/oom_kill.c): when the page allocator has
 * nothing left to try, choose the process whose death frees the most
 * memory, report the state of memory and of every process in dmesg, kill
 * it, and let the OOM reaper take its anonymous memory if it does not die
 * soon enough.
 *
 * How the victim is chosen (6.1): every process but init and the kernel
 * threads is scored by oom_badness() — the pages killing it would give
 * back (resident pages, swap entries, page tables) plus oom_score_adj
 * thousandths of all memory (RAM + swap), so oom_score_adj 1000 is
 * "everything", -1000 "never". The highest score wins; among equals the
 * one found last, since a candidate is passed over only when it scores
 * less than the best so far. While an earlier victim is still dying
 * (tsk_is_oom_victim without MMF_OOM_SKIP) nobody else is killed: its
 * memory is about to come back.
 *
 * The kill: SIGKILL to the victim and to every other process using its
 * address space; the victim is marked (signal->oom_mm, TIF_MEMDIE) so the
 * allocator lets it dig deeper into the reserves on its way out, and is
 * queued for the OOM reaper, whose timer gives it OOM_REAPER_DELAY to exit
 * by itself first. In mmsim a victim that is not current runs at once —
 * it is woken by the signal and nothing else runs in between — and exits
 * well within that delay, as the real kernel's victims do; current exits
 * on its way back to user mode.
 *
 * The report's text and log levels are 6.1's, line for line (compared
 * with the real kernel: tests/fixtures/oracle/oom/), except the stack
 * dump, which has no meaning here (see warn_alloc).
 *
 * Locking: oom_lock serialises the kernel's invocations; the simulation
 * is single-threaded, so there is nothing to take. */
#include <limits.h>
#include <string.h>

#include "kernel/signal.h"
#include "kernel/trace.h"
#include "lib/int_sqrt.h"
#include "mm/oom.h"
#include "mm/slab.h"

#define K(x) ((unsigned long)(x) << (PAGE_SHIFT - 10))

/* ---- who may be chosen -------------------------------------------------------------------- */

/* is_global_init() and kernel threads: never candidates. */
static bool oom_unkillable_task(const struct task_struct *p)
{
	return p->pid == 1 || (p->flags & PF_KTHREAD);
}

/* A process's leader: for_each_process() visits thread-group leaders only. */
static bool is_process(const struct task_struct *t)
{
	return t->pid == t->tgid;
}

#define for_each_process(m, p) \
	for (struct task_struct *p = NULL; (p = next_task(m, p));) \
		if (is_process(p))

/*
 * find_lock_task_mm(): @p, or one of its threads, that still has an
 * address space (the leader may have let its own go while exiting).
 */
static struct task_struct *find_lock_task_mm(struct machine *m, struct task_struct *p)
{
	if (p->mm)
		return p;
	for (struct task_struct *t = NULL; (t = next_task(m, t));)
		if (t->tgid == p->tgid && t->mm)
			return t;
	return NULL;
}

/* in_vfork(): a vfork child borrowing its waiting parent's address space. */
static bool in_vfork(const struct task_struct *t)
{
	return t->real_parent && t->real_parent->vfork_child == t && t->mm &&
	       t->mm == t->real_parent->mm;
}

static bool mm_oom_skip(const struct mm_struct *mm)
{
	return mm->flags & (1UL << MMF_OOM_SKIP);
}

/*
 * badness() of the 2.6 kernels (the classic profile: what the documents
 * describe), in points with no upper bound:
 *   - the process's whole address space, total_vm, is the base;
 *   - plus half the total_vm (+1) of each child with an mm of its own, so
 *     that a server forking many children is chosen before them;
 *   - divided by sqrt(its CPU time in units of 2^(SHIFT_HZ+3) jiffies, ~8 s)
 *     and by the fourth root of its run time in ~17-minute units: long
 *     workers are spared;
 *   - doubled when niced (no process is, here); divided by 4 for
 *     CAP_SYS_ADMIN or CAP_SYS_RESOURCE and by 4 again for CAP_SYS_RAWIO
 *     (root has all three: 1/16);
 *   - then oom_adj (-16 .. 15) as a shift: left for positive, right for
 *     negative; -17 (OOM_DISABLE) is never chosen.
 * oom_adj is oom_score_adj on the legacy scale, as /proc/PID/oom_adj reads it.
 */
static long badness_2_6(struct machine *m, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	long adj = p->signal->oom_score_adj;
	int oom_adj = adj == OOM_SCORE_ADJ_MAX ? 15 : (int)(adj * 17 / OOM_SCORE_ADJ_MAX);

	if (oom_adj == -17)
		return LONG_MIN;
	unsigned long points = mm->total_vm;
	struct list_head *pos;
	list_for_each(pos, &p->children) {
		struct task_struct *child = list_entry(pos, struct task_struct, sibling);
		if (child->mm && child->mm != mm && !child->exit_state)
			points += child->mm->total_vm / 2 + 1;
	}
	unsigned long jiffies = (unsigned long)(p->stime_ns / TICK_NSEC);
	unsigned long cpu_time = jiffies >> (8 + 3);	/* SHIFT_HZ 8: HZ 250 */
	uint64_t now_s = m->clock_ns / 1000000000ULL, start_s = p->start_time_ns / 1000000000ULL;
	unsigned long run_time = now_s >= start_s ? (unsigned long)((now_s - start_s) >> 10) : 0;
	if (cpu_time)
		points /= int_sqrt(cpu_time);
	if (run_time)
		points /= int_sqrt(int_sqrt(run_time));
	if (capable(p, CAP_SYS_ADMIN) || capable(p, CAP_SYS_RESOURCE))
		points /= 4;
	if (capable(p, CAP_SYS_RAWIO))
		points /= 4;
	if (oom_adj > 0) {
		if (!points)
			points = 1;
		points <<= oom_adj;
	} else if (oom_adj < 0) {
		points >>= -oom_adj;
	}
	return points > (unsigned long)LONG_MAX ? LONG_MAX : (long)points;
}

/*
 * oom_badness(): the pages killing @t would free — its resident pages,
 * its swap entries and its page tables — plus oom_score_adj thousandths
 * of @totalpages. LONG_MIN for a task that may not be killed: init, a
 * kernel thread, one without an address space, one already reaped
 * (MMF_OOM_SKIP), a vfork child, or oom_score_adj -1000. The classic
 * profile scores the ones that may be killed with badness_2_6().
 */
long oom_badness(struct machine *m, struct task_struct *t, unsigned long totalpages)
{
	if (oom_unkillable_task(t) || !t->signal)
		return LONG_MIN;
	struct task_struct *p = find_lock_task_mm(m, t);
	if (!p)
		return LONG_MIN;
	long adj = p->signal->oom_score_adj;
	if (adj == OOM_SCORE_ADJ_MIN || mm_oom_skip(p->mm) || in_vfork(p))
		return LONG_MIN;
	if (m->profile->oom_badness_2_6)
		return badness_2_6(m, p);
	long points = (long)(get_mm_rss(p->mm) + get_mm_counter(p->mm, MM_SWAPENTS) +
			     p->mm->pgtables_bytes / PAGE_SIZE);
	/* Normalise to oom_score_adj units: a thousandth of all memory each. */
	return points + adj * (long)(totalpages / 1000);
}

/*
 * constrained_alloc(): on one node, without cpusets, memory policies or
 * memory cgroups, every allocation may use all of memory — RAM and swap.
 */
static enum oom_constraint constrained_alloc(struct machine *m, struct oom_control *oc)
{
	oc->totalpages = m->totalram_pages + total_swap_pages(m);
	return CONSTRAINT_NONE;
}

static bool is_sysrq_oom(const struct oom_control *oc)
{
	return oc->order == -1;
}

/*
 * oom_evaluate_task(): keep @task if it beats the best so far. Returns
 * true to stop the scan: a victim chosen earlier is still dying, and
 * killing another would only be premature.
 */
static bool oom_evaluate_task(struct machine *m, struct task_struct *task, struct oom_control *oc)
{
	if (oom_unkillable_task(task))
		return false;
	if (!is_sysrq_oom(oc) && tsk_is_oom_victim(task)) {
		if (mm_oom_skip(task->signal->oom_mm))
			return false;
		oc->chosen = OOM_SELECTION_ABORTED;
		return true;
	}
	long points;
	if (task->signal && task->signal->oom_flag_origin) {
		/* oom_task_origin(): swapoff's own process goes first. */
		points = LONG_MAX;
	} else {
		points = oom_badness(m, task, oc->totalpages);
		if (points == LONG_MIN || points < oc->chosen_points)
			return false;
		/* 2.6 kept the first of equals (points > *ppoints); 6.1 takes the last. */
		if (m->profile->oom_badness_2_6 && oc->chosen && points == oc->chosen_points)
			return false;
	}
	oc->chosen = task;
	oc->chosen_points = points;
	return false;
}

/* select_bad_process(): every process, in the order they were created. */
static void select_bad_process(struct machine *m, struct oom_control *oc)
{
	oc->chosen_points = LONG_MIN;
	for_each_process(m, p)
		if (oom_evaluate_task(m, p, oc))
			break;
}

/* ---- the report ---------------------------------------------------------------------------- */

static unsigned int task_uid(const struct task_struct *t)
{
	return t->cred ? t->cred->uid : 0;
}

/* dump_task(): one row of the task table, for a process that still has memory. */
static void dump_task(struct machine *m, struct task_struct *p)
{
	if (oom_unkillable_task(p))
		return;
	struct task_struct *task = find_lock_task_mm(m, p);
	if (!task)
		return;		/* every thread has let its mm go: nothing to free */
	pr_info(m, "[%7d] %5u %5d %8lu %8lu %8ld %8lu         %5hd %s\n", task->pid, task_uid(task),
		task->tgid, task->mm->total_vm, get_mm_rss(task->mm), (long)task->mm->pgtables_bytes,
		get_mm_counter(task->mm, MM_SWAPENTS), task->signal->oom_score_adj, task->comm);
}

/* dump_tasks(): the memory of every process the OOM killer could choose. */
static void dump_tasks(struct machine *m)
{
	pr_info(m, "Tasks state (memory values in pages):\n");
	pr_info(m, "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
	for_each_process(m, p)
		dump_task(m, p);
}

static const char *const oom_constraint_text[] = {
	[CONSTRAINT_NONE] = "CONSTRAINT_NONE",
	[CONSTRAINT_CPUSET] = "CONSTRAINT_CPUSET",
	[CONSTRAINT_MEMORY_POLICY] = "CONSTRAINT_MEMORY_POLICY",
	[CONSTRAINT_MEMCG] = "CONSTRAINT_MEMCG",
};

/*
 * dump_oom_summary(): one line of context. The nodemask is (null) for
 * every constraint but a memory policy; the cpuset and memcg parts are
 * those of a machine with one of each, the root.
 */
static void dump_oom_summary(struct machine *m, struct oom_control *oc, struct task_struct *victim)
{
	pr_info(m, "oom-kill:constraint=%s,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
		"task_memcg=/,task=%s,pid=%d,uid=%u\n", oom_constraint_text[oc->constraint],
		victim->comm, victim->pid, task_uid(victim));
}

/*
 * should_dump_unreclaim_slab(): the kernel's own unreclaimable slab
 * outweighs all the user memory on the LRU lists — then it, not a
 * process, is what filled memory, and the report says which caches.
 */
static bool should_dump_unreclaim_slab(struct machine *m)
{
	unsigned long nr_lru = 0;
	const long *ns = m->node.vm_stat;

	for (int i = NR_INACTIVE_ANON; i <= NR_UNEVICTABLE; i++)
		nr_lru += (unsigned long)ns[i];
	nr_lru += (unsigned long)(ns[NR_ISOLATED_ANON] + ns[NR_ISOLATED_FILE]);
	unsigned long slab, reclaimable, unreclaimable;
	meminfo_slab_values(m, &slab, &reclaimable, &unreclaimable);
	return unreclaimable > nr_lru;
}

/*
 * dump_header(): who asked for what, the state of memory (__show_mem,
 * limited to the zones the request could use), the slab caches if they
 * are the culprit, the task table (vm.oom_dump_tasks) and, with a victim,
 * the one-line summary.
 */
static void dump_header(struct machine *m, struct oom_control *oc, struct task_struct *victim)
{
	struct task_struct *cur = get_current(m);
	char flags[256];

	pr_warn(m, "%s invoked oom-killer: gfp_mask=%#x(%s), order=%d, oom_score_adj=%hd\n", m->comm,
		oc->gfp_mask, gfp_string(oc->gfp_mask, flags, sizeof(flags)), oc->order,
		(short)(cur->signal ? cur->signal->oom_score_adj : 0));
	__show_mem(m, SHOW_MEM_FILTER_NODES, gfp_zone(m, oc->gfp_mask));
	if (should_dump_unreclaim_slab(m))
		dump_unreclaimable_slab(m);
	if (m->vm.oom_dump_tasks)
		dump_tasks(m);
	if (victim)
		dump_oom_summary(m, oc, victim);
}

/* ---- the kill ------------------------------------------------------------------------------ */

/*
 * process_shares_mm(): @p's process uses @mm (a leader that let its own
 * mm go still counts through a thread that has it).
 */
static bool process_shares_mm(struct machine *m, struct task_struct *p, struct mm_struct *mm)
{
	struct task_struct *t = find_lock_task_mm(m, p);

	return t && t->mm == mm;
}

/*
 * do_send_sig_info(SIGKILL, ..., PIDTYPE_TGID): the whole thread group
 * gets a fatal signal. It is left pending: the kernel's victims die when
 * they next run, and the OOM killer still reads their memory after this.
 */
static void send_sigkill_tgid(struct machine *m, struct task_struct *p)
{
	for (struct task_struct *t = NULL; (t = next_task(m, t));)
		if (t->tgid == p->tgid && !t->exit_state) {
			t->pending_signals |= 1ULL << (SIGKILL - 1);
			t->blocked_wakeup = true;
		}
}

/* mark_oom_victim(): TIF_MEMDIE, and signal->oom_mm (held) for tsk_is_oom_victim(). */
static void mark_oom_victim(struct machine *m, struct task_struct *tsk)
{
	if (tsk->memdie)
		return;
	tsk->memdie = true;
	if (!tsk->signal->oom_mm) {
		tsk->signal->oom_mm = tsk->mm;
		tsk->mm->mm_count++;		/* mmgrab() */
	}
	m->oom.oom_victims++;
	trace_mark_victim(m, tsk->pid);
}

void exit_oom_victim(struct machine *m, struct task_struct *t)
{
	if (!t->memdie)
		return;
	t->memdie = false;
	m->oom.oom_victims--;
}

/*
 * queue_oom_reaper(): the reaper visits the victim's mm once
 * OOM_REAPER_DELAY has passed — unless the victim has exited by then,
 * which exit_mmap() records as MMF_OOM_SKIP.
 */
static void queue_oom_reaper(struct machine *m, struct task_struct *tsk)
{
	struct mm_struct *mm = tsk->signal->oom_mm;

	if (mm->flags & (1UL << MMF_OOM_REAP_QUEUED))
		return;
	if (m->oom.nr_reaper_work == OOM_REAPER_QUEUE_MAX)
		return;		/* cannot happen: victims exit before the next OOM */
	mm->flags |= 1UL << MMF_OOM_REAP_QUEUED;
	struct oom_reaper_work *w = &m->oom.reaper_work[m->oom.nr_reaper_work++];
	w->mm = mm;
	mm->mm_count++;				/* get_task_struct(): the mm outlives the task */
	w->pid = tsk->pid;
	memcpy(w->comm, tsk->comm, sizeof(w->comm));
	w->expires_ns = m->clock_ns + OOM_REAPER_DELAY_NS;
}

/*
 * __oom_kill_process(): kill @victim's process (or one of its threads that
 * still has memory) and everyone sharing its address space, and say so.
 */
static void __oom_kill_process(struct machine *m, struct task_struct *victim, const char *message)
{
	struct task_struct *p = find_lock_task_mm(m, victim);
	bool can_oom_reap = true;

	if (!p) {
		pr_info(m, "%s: OOM victim %d (%s) is already exiting. Skip killing the task\n",
			message, victim->pid, victim->comm);
		return;
	}
	victim = p;
	struct mm_struct *mm = victim->mm;
	mm->mm_count++;				/* mmgrab(): to compare after the kill */
	/* The event comes before the signal: the reaper must see it. */
	count_vm_event(m, OOM_KILL);
	/* SIGKILL before the reserves, so user space cannot use them up. */
	send_sigkill_tgid(m, victim);
	mark_oom_victim(m, victim);
	pr_err(m, "%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, "
	       "shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%hd\n", message, victim->pid,
	       victim->comm, K(mm->total_vm), K(get_mm_counter(mm, MM_ANONPAGES)),
	       K(get_mm_counter(mm, MM_FILEPAGES)), K(get_mm_counter(mm, MM_SHMEMPAGES)),
	       task_uid(victim), mm->pgtables_bytes >> 10, victim->signal->oom_score_adj);
	/*
	 * Every other process on this mm dies too (without the reserves): one
	 * left alive would keep the memory, and could hold up the victim.
	 */
	for_each_process(m, q) {
		if (q->tgid == victim->tgid || !process_shares_mm(m, q, mm))
			continue;
		if (q->pid == 1) {
			can_oom_reap = false;
			mm->flags |= 1UL << MMF_OOM_SKIP;
			pr_info(m, "oom killer %d (%s) has mm pinned by %d (%s)\n", victim->pid,
				victim->comm, q->pid, q->comm);
			continue;
		}
		if (q->flags & PF_KTHREAD)
			continue;
		send_sigkill_tgid(m, q);
	}
	if (can_oom_reap)
		queue_oom_reaper(m, victim);
	mmdrop(m, mm);
}

/*
 * __task_will_free_mem(): the process is on its way out — killed (a
 * pending SIGKILL is mmsim's SIGNAL_GROUP_EXIT) or exiting alone.
 */
static bool __task_will_free_mem(const struct task_struct *task)
{
	return fatal_signal_pending(task) || (task->flags & PF_EXITING);
}

/*
 * task_will_free_mem(): @task is dying and its address space will go with
 * it: every process that shares it is dying too, and the reaper has not
 * already emptied it.
 */
static bool task_will_free_mem(struct machine *m, struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	if (!mm || !__task_will_free_mem(task) || mm_oom_skip(mm))
		return false;
	if (mm->mm_users <= 1)
		return true;
	for_each_process(m, p) {
		if (p->tgid == task->tgid || !process_shares_mm(m, p, mm))
			continue;
		if (!__task_will_free_mem(p))
			return false;
	}
	return true;
}

/*
 * oom_kill_process(): a victim already on its way out is only given the
 * reserves; any other gets the report (rate limited) and the kill.
 */
static void oom_kill_process(struct machine *m, struct oom_control *oc, const char *message)
{
	struct task_struct *victim = oc->chosen;

	if (task_will_free_mem(m, victim)) {
		mark_oom_victim(m, victim);
		queue_oom_reaper(m, victim);
		return;
	}
	if (__ratelimit(m, &m->oom.oom_rs, "oom_kill_process"))
		dump_header(m, oc, victim);
	__oom_kill_process(m, victim, message);
}

/*
 * The killed processes run: each is woken by its SIGKILL and exits —
 * before the OOM reaper's delay is up, as the kernel's victims do. Current
 * is in the middle of an allocation; it exits on its way back to user mode.
 */
static void oom_victims_exit(struct machine *m)
{
	struct task_struct *cur = get_current(m);

	for (struct task_struct *t = NULL; (t = next_task(m, t));) {
		if (t == cur || t->exit_state || (t->flags & PF_KTHREAD) || !fatal_signal_pending(t))
			continue;
		t->pending_signals &= ~(1ULL << (SIGKILL - 1));
		do_exit(m, t, SIGKILL);
		exit_notify(m, t);
	}
}

/* check_panic_on_oom(): vm.panic_on_oom 1 panics on a system-wide OOM, 2 on any. */
static bool check_panic_on_oom(struct machine *m, struct oom_control *oc)
{
	if (!m->vm.panic_on_oom)
		return false;
	if (m->vm.panic_on_oom != 2 && oc->constraint != CONSTRAINT_NONE)
		return false;
	if (is_sysrq_oom(oc))
		return false;
	dump_header(m, oc, NULL);
	panic(m, "Out of memory: %s panic_on_oom is enabled\n",
	      m->vm.panic_on_oom == 2 ? "compulsory" : "system-wide");
	return true;
}

bool out_of_memory(struct machine *m, struct oom_control *oc)
{
	struct task_struct *cur = get_current(m);

	if (m->panicked)
		return false;
	/* Current is already dying: let it have the reserves and go. */
	if (task_will_free_mem(m, cur)) {
		mark_oom_victim(m, cur);
		queue_oom_reaper(m, cur);
		return true;
	}
	/*
	 * A request that may not enter the filesystems cannot count on the
	 * reclaim the kernel skipped for it; the OOM killer does not make up
	 * for that (pagefault_out_of_memory's gfp 0 is not such a request).
	 */
	if (oc->gfp_mask && !(oc->gfp_mask & __GFP_FS))
		return true;
	oc->constraint = constrained_alloc(m, oc);
	if (check_panic_on_oom(m, oc))
		return false;
	if (m->vm.oom_kill_allocating_task && cur->mm && !oom_unkillable_task(cur) &&
	    cur->signal->oom_score_adj != OOM_SCORE_ADJ_MIN) {
		oc->chosen = cur;
		oom_kill_process(m, oc, "Out of memory (oom_kill_allocating_task)");
		oom_victims_exit(m);
		return true;
	}
	select_bad_process(m, oc);
	if (!oc->chosen) {
		dump_header(m, oc, NULL);
		pr_warn(m, "Out of memory and no killable processes...\n");
		/* An allocation at the system level would loop for ever in the allocator. */
		if (!is_sysrq_oom(oc))
			panic(m, "System is deadlocked on memory\n");
		return false;
	}
	if (oc->chosen != OOM_SELECTION_ABORTED) {
		oom_kill_process(m, oc, "Out of memory");
		oom_victims_exit(m);
	}
	return true;
}

void pagefault_out_of_memory(struct machine *m)
{
	if (fatal_signal_pending(get_current(m)))
		return;
	if (__ratelimit(m, &m->pfoom_rs, "pagefault_out_of_memory"))
		pr_warn(m, "Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF\n");
}

/* ---- the OOM reaper ------------------------------------------------------------------------ */

/*
 * __oom_reap_task_mm(): unmap what can go back without further steps —
 * every VMA that is anonymous or private (file pages shared with others
 * would need writeback, and the reclaimable ones are gone already),
 * except hugetlb and raw PFN mappings. The page tables stay: exit_mmap()
 * frees them. MMF_UNSTABLE tells readers of the memory (get_user etc.)
 * that it is no longer what the process wrote.
 */
bool __oom_reap_task_mm(struct machine *m, struct mm_struct *mm)
{
	mm->flags |= 1UL << MMF_UNSTABLE;
	for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next) {
		if (vma->vm_flags & (VM_HUGETLB | VM_PFNMAP))
			continue;
		if (vma_is_anonymous(vma) || !(vma->vm_flags & VM_SHARED))
			zap_page_range_single(m, vma, vma->vm_start, vma->vm_end - vma->vm_start);
	}
	return true;
}

/* oom_reap_task_mm(): reap, unless the victim got there first (MMF_OOM_SKIP). */
static void oom_reap_task_mm(struct machine *m, struct oom_reaper_work *w)
{
	struct mm_struct *mm = w->mm;

	if (mm_oom_skip(mm) || !mm->mm_users)
		return;
	if (!__oom_reap_task_mm(m, mm))
		return;
	pr_info(m, "oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB, "
		"shmem-rss:%lukB\n", w->pid, w->comm, K(get_mm_counter(mm, MM_ANONPAGES)),
		K(get_mm_counter(mm, MM_FILEPAGES)), K(get_mm_counter(mm, MM_SHMEMPAGES)));
}

void oom_reaper_run(struct machine *m)
{
	unsigned int i = 0;

	while (i < m->oom.nr_reaper_work) {
		struct oom_reaper_work *w = &m->oom.reaper_work[i];
		if (w->expires_ns > m->clock_ns) {
			i++;
			continue;
		}
		oom_reap_task_mm(m, w);
		/* Hide this mm from the OOM killer: it has been reaped, or has gone. */
		w->mm->flags |= 1UL << MMF_OOM_SKIP;
		mmdrop(m, w->mm);
		m->oom.reaper_work[i] = m->oom.reaper_work[--m->oom.nr_reaper_work];
	}
}

/* The machine goes: the reaper's pending visits let their mms go. */
void oom_reaper_release(struct machine *m)
{
	for (unsigned int i = 0; i < m->oom.nr_reaper_work; i++)
		mmdrop(m, m->oom.reaper_work[i].mm);
	m->oom.nr_reaper_work = 0;
}
