/* util.c — small helpers (mm/util.c): kmemdup, kstrdup, mmsim_kaddr(), the
 * host pointer behind a direct-map address, and the overcommit policy. */
#include <string.h>

#include "kernel/sched.h"
#include "mm/slab.h"

kaddr_t kmemdup(struct machine *m, const void *src, size_t len, gfp_t gfp)
{
	unsigned long p = kmalloc(m, len, gfp);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(mmsim_kaddr(m, p), src, len);
	return p;
}

kaddr_t kstrdup(struct machine *m, const char *str, gfp_t gfp)
{
	if (!str)
		return 0;
	return kmemdup(m, str, strlen(str) + 1, gfp);
}

void *mmsim_kaddr(struct machine *m, kaddr_t kaddr)
{
	struct slab_state *ss = m->slab;
	uint64_t off = (uint64_t)kaddr - m->page_offset;

	if (!ss || off >= (uint64_t)m->max_low_pfn << PAGE_SHIFT)
		return NULL;
	return m->ram + off;
}

/* ---- overcommit accounting (mm/util.c, mm/mmap.c) ---------------------------------------- *
 *
 * Every private writable mapping (VM_ACCOUNT) is charged, page by page, to
 * vm_committed_as — Committed_AS in /proc/meminfo — whether or not its
 * pages exist yet. vm.overcommit_memory decides what a charge may do:
 *   0 (heuristic): refuse only a single request bigger than all of RAM
 *     and swap — an obvious overcommit;
 *   1: never refuse;
 *   2: refuse when the total would exceed CommitLimit (overcommit_ratio
 *     percent of RAM, or overcommit_kbytes, plus swap), less the reserves:
 *     admin_reserve_kbytes unless CAP_SYS_ADMIN, and for a big process a
 *     thirty-second of its size up to user_reserve_kbytes.
 * vm_committed_as is a per-CPU counter: each CPU gathers changes until
 * they reach its batch, and the policy reads the folded part only — the
 * kernel's approximation, kept (meminfo prints the exact sum). */

/* mm_compute_batch(): how far a CPU's share may drift before it is folded. */
static long committed_batch(struct machine *m)
{
	long nr = (long)m->nr_cpus, batch = nr * 2 > 32 ? nr * 2 : 32;
	unsigned long ram = m->totalram_pages;
	long memsized = m->vm.overcommit_memory == OVERCOMMIT_NEVER ? (long)(ram / (unsigned long)nr / 256)
								    : (long)(ram / (unsigned long)nr / 4);

	return memsized > batch ? memsized : batch;
}

static void vm_acct_memory(struct machine *m, long pages)
{
	long *delta = &m->vm_committed_pcpu[m->cur_cpu];

	*delta += pages;
	long batch = committed_batch(m);
	if (*delta >= batch || *delta <= -batch) {
		m->vm_committed_as += *delta;
		*delta = 0;
	}
}

void vm_unacct_memory(struct machine *m, unsigned long pages)
{
	vm_acct_memory(m, -(long)pages);
}

/*
 * overcommit_policy_handler(): going strict (mode 2) folds every CPU's
 * drift into the counter first (sync_overcommit_as), so that the policy
 * judges against the exact total from the start.
 */
void overcommit_policy_set(struct machine *m, int policy)
{
	if (policy == OVERCOMMIT_NEVER)
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
			m->vm_committed_as += m->vm_committed_pcpu[cpu];
			m->vm_committed_pcpu[cpu] = 0;
		}
	m->vm.overcommit_memory = policy;
}

/* percpu_counter_sum_positive(): what Committed_AS shows. */
unsigned long vm_memory_committed(struct machine *m)
{
	long sum = m->vm_committed_as;

	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		sum += m->vm_committed_pcpu[cpu];
	return sum < 0 ? 0 : (unsigned long)sum;
}

unsigned long vm_commit_limit(struct machine *m)
{
	unsigned long allowed;

	if (m->vm.overcommit_kbytes)
		allowed = m->vm.overcommit_kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = m->totalram_pages * (unsigned long)m->vm.overcommit_ratio / 100;
	return allowed + total_swap_pages(m);
}

static int __vm_enough_memory(struct machine *m, struct mm_struct *mm, long pages,
			      bool cap_sys_admin)
{
	vm_acct_memory(m, pages);
	if (m->vm.overcommit_memory == OVERCOMMIT_ALWAYS)
		return 0;
	if (m->vm.overcommit_memory == OVERCOMMIT_GUESS) {
		if ((unsigned long)pages > m->totalram_pages + total_swap_pages(m))
			goto error;
		return 0;
	}
	long allowed = (long)vm_commit_limit(m);
	if (!cap_sys_admin)
		allowed -= (long)(m->vm.admin_reserve_kbytes >> (PAGE_SHIFT - 10));
	if (mm) {
		long reserve = (long)(m->vm.user_reserve_kbytes >> (PAGE_SHIFT - 10));
		long share = (long)(mm->total_vm / 32);
		allowed -= share < reserve ? share : reserve;
	}
	/* percpu_counter_read_positive(): the folded count only. */
	if ((m->vm_committed_as > 0 ? m->vm_committed_as : 0) < allowed)
		return 0;
error:
	if (__ratelimit(m, &m->overcommit_rs, "__vm_enough_memory"))
		pr_warn(m, "__vm_enough_memory: pid: %d, comm: %s, not enough memory for the "
			"allocation\n", get_current(m)->pid, get_current(m)->comm);
	vm_unacct_memory(m, (unsigned long)pages);
	return -MMSIM_ENOMEM;
}

int security_vm_enough_memory_mm(struct machine *m, struct mm_struct *mm, unsigned long pages)
{
	/* cap_vm_enough_memory(): CAP_SYS_ADMIN spares the admin reserve. */
	return __vm_enough_memory(m, mm, (long)pages, capable(get_current(m), CAP_SYS_ADMIN));
}

/*
 * init_user_reserve() / init_admin_reserve() (subsys_initcall): the
 * reserves are a thirty-second of the free memory, at most 128 MiB / 8 MiB.
 */
void init_vm_reserves(struct machine *m)
{
	unsigned long free_kb = global_zone_page_state(m, NR_FREE_PAGES) << (PAGE_SHIFT - 10);

	m->vm.user_reserve_kbytes = free_kb / 32 < (1UL << 17) ? free_kb / 32 : 1UL << 17;
	m->vm.admin_reserve_kbytes = free_kb / 32 < (1UL << 13) ? free_kb / 32 : 1UL << 13;
}

/* ---- mmap from inside the kernel (mm/util.c: vm_mmap_pgoff, vm_mmap) ---------------- */

int64_t vm_mmap(struct machine *m, struct file *file, uint64_t addr, uint64_t len,
		unsigned long prot, unsigned long flags, uint64_t offset)
{
	uint64_t populate;

	if (offset + ALIGN_UP(len, PAGE_SIZE) < offset)
		return -MMSIM_EINVAL;
	if (offset & (PAGE_SIZE - 1))
		return -MMSIM_EINVAL;
	int64_t ret = do_mmap(m, file, addr, len, prot, flags, (unsigned long)(offset >> PAGE_SHIFT),
			      &populate);
	if (ret >= 0 && populate)
		__mm_populate(m, (uint64_t)ret, populate, true);
	return ret;
}
