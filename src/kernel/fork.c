/* fork.c — making tasks and address spaces (kernel/fork.c): the caches they
 * come from, the kernel stack every task runs on inside the kernel, the
 * mm_struct with its page directory, and fork itself — copy_process(),
 * which copies or shares the parts of a process, and dup_mmap(), which
 * gives the child the parent's VMAs and, for anonymous memory, its page
 * tables with every private writable page write-protected on both sides
 * (copy-on-write).
 *
 * The kernel stack is THREAD_SIZE: 8 KiB on i386, two pages from the page
 * allocator; 16 KiB on x86_64, a vmalloc area with guard pages
 * (CONFIG_VMAP_STACK), of which each CPU keeps two freed ones for reuse.
 * KernelStack in /proc/meminfo counts the stacks in use. */
#include <stdlib.h>
#include <string.h>

#include "arch/x86/mmu.h"
#include "fs/fs.h"
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define NR_CACHED_STACKS	2

static unsigned int thread_size(const struct machine *m)
{
	return m->is_32bit ? 8192 : 16384;
}

/* ---- the caches (start_kernel's order: mm_cache_init ... proc_caches_init) -------------- */

static struct kmem_cache *create_cache(struct machine *m, const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *obj))
{
	return kmem_cache_create(m, name, size, align, flags | SLAB_PANIC, ctor);
}

/*
 * The object sizes are sizeof() on Debian's kernels: amd64 from its BTF;
 * 686 (no BTF) sizes that give the strides the kernel's slabinfo shows.
 */
static unsigned int size_of(const struct machine *m, unsigned int size_32, unsigned int size_64)
{
	return m->is_32bit ? size_32 : size_64;
}

static const struct kernel_cache_desc *mm_cache_desc(const char *name)
{
	for (unsigned int i = 0; i < nr_kernel_mm_caches; i++)
		if (!strcmp(kernel_mm_caches[i].name, name))
			return &kernel_mm_caches[i];
	return NULL;
}

static struct kmem_cache *create_mm_cache(struct machine *m, const char *name,
					  void (*ctor)(void *obj))
{
	const struct kernel_cache_desc *d = mm_cache_desc(name);

	return create_cache(m, name, m->is_32bit ? d->size_32 : d->size_64,
			    m->is_32bit ? d->align_32 : d->align_64, d->flags & ~SLAB_PANIC, ctor);
}

int mm_cache_init(struct machine *m)
{
	m->cachep.mm_struct = create_mm_cache(m, "mm_struct", NULL);
	return m->cachep.mm_struct ? 0 : -MMSIM_ENOMEM;
}

/* set_max_threads(): the threads whose stacks fit in an eighth of RAM. */
static void set_max_threads(struct machine *m)
{
	uint64_t threads = (uint64_t)m->totalram_pages * PAGE_SIZE / ((uint64_t)thread_size(m) * 8);

	m->max_threads = threads < 20 ? 20 : threads > 0x3fffffff ? 0x3fffffff : (unsigned long)threads;
}

int fork_init(struct machine *m)
{
	m->cachep.task_struct = create_mm_cache(m, "task_struct", NULL);
	if (!m->cachep.task_struct)
		return -MMSIM_ENOMEM;
	set_max_threads(m);
	/* init_task's limits: INIT_RLIMITS, with the thread counts from max_threads. */
	struct signal_struct *sig = m->sched->init_task.signal;
	sig->rlim[RLIMIT_NPROC].rlim_cur = sig->rlim[RLIMIT_NPROC].rlim_max = m->max_threads / 2;
	sig->rlim[RLIMIT_SIGPENDING] = sig->rlim[RLIMIT_NPROC];
	return 0;
}

static void anon_vma_ctor(void *obj)
{
	(void)obj;	/* the kernel's initialises the lock and the tree: host fields here */
}

int anon_vma_init(struct machine *m)
{
	m->cachep.anon_vma = create_mm_cache(m, "anon_vma", anon_vma_ctor);
	m->cachep.anon_vma_chain = create_mm_cache(m, "anon_vma_chain", NULL);
	return m->cachep.anon_vma && m->cachep.anon_vma_chain ? 0 : -MMSIM_ENOMEM;
}

int pid_idr_init(struct machine *m)
{
	m->cachep.pid = create_cache(m, "pid", size_of(m, 48, 96), m->is_32bit ? 4 : 8,
				     SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	return m->cachep.pid ? 0 : -MMSIM_ENOMEM;
}

int cred_init(struct machine *m)
{
	m->cachep.cred = create_cache(m, "cred_jar", size_of(m, 100, 176), 0,
				      SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	return m->cachep.cred ? 0 : -MMSIM_ENOMEM;
}

static void sighand_ctor(void *obj)
{
	(void)obj;
}

int proc_caches_init(struct machine *m)
{
	m->cachep.sighand = create_cache(m, "sighand_cache", size_of(m, 1284, 2080), 0,
					 SLAB_HWCACHE_ALIGN | SLAB_TYPESAFE_BY_RCU | SLAB_ACCOUNT,
					 sighand_ctor);
	m->cachep.signal = create_cache(m, "signal_cache", size_of(m, 712, 1112), 0,
					SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	m->cachep.files = create_cache(m, "files_cache", size_of(m, 248, 704), 0,
				       SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	/* fs_cache merges into another cache in the kernel's slabinfo; it is not modelled. */
	m->cachep.vm_area_struct = create_mm_cache(m, "vm_area_struct", NULL);
	return m->cachep.sighand && m->cachep.signal && m->cachep.files &&
	       m->cachep.vm_area_struct ? 0 : -MMSIM_ENOMEM;
}

int vfs_caches_init(struct machine *m)
{
	m->cachep.filp = create_cache(m, "filp", size_of(m, 136, 232), 0,
				      SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	return m->cachep.filp ? 0 : -MMSIM_ENOMEM;
}

/* ---- kernel stacks ------------------------------------------------------------------------ */

static void account_kernel_stack(struct machine *m, int sign)
{
	m->node.vm_stat[NR_KERNEL_STACK_KB] += sign * (long)(thread_size(m) / 1024);
}

/*
 * alloc_thread_stack_node(): i386 takes two pages; x86_64 reuses one of
 * this CPU's cached stacks (cleared) or vmallocs a new one, aligned to
 * THREAD_ALIGN and shown in /proc/vmallocinfo under kernel_clone.
 */
static int alloc_thread_stack(struct machine *m, struct task_struct *t)
{
	if (m->is_32bit) {
		struct page *page = alloc_pages(m, GFP_KERNEL_ACCOUNT | __GFP_ZERO, 1);
		if (!page)
			return -MMSIM_ENOMEM;
		t->stack_page = page;
		t->stack = lowmem_page_address(m, page);
		return 0;
	}
	kaddr_t *cache = m->sched->cached_stacks + (size_t)m->cur_cpu * NR_CACHED_STACKS;
	for (int i = 0; i < NR_CACHED_STACKS; i++) {
		if (!cache[i])
			continue;
		t->stack = cache[i];
		cache[i] = 0;
		for (unsigned long off = 0; off < thread_size(m); off += PAGE_SIZE)
			memset(page_host_address(m, vmalloc_to_page(m, t->stack + off)), 0, PAGE_SIZE);
		return 0;
	}
	kaddr_t stack = __vmalloc_node_range(m, thread_size(m), thread_size(m),
					     mmsim_vmalloc_start(m), mmsim_vmalloc_end(m),
					     GFP_KERNEL | __GFP_ZERO, page_kernel(m), 0,
					     "kernel_clone+0xbf/0x430");
	if (!stack)
		return -MMSIM_ENOMEM;
	t->stack = stack;
	return 0;
}

static void free_thread_stack(struct machine *m, struct task_struct *t)
{
	if (!t->stack)
		return;
	if (m->is_32bit) {
		__free_pages(m, t->stack_page, 1);
	} else {
		kaddr_t *cache = m->sched->cached_stacks + (size_t)t->cpu * NR_CACHED_STACKS;
		int i;
		for (i = 0; i < NR_CACHED_STACKS && cache[i]; i++)
			;
		if (i < NR_CACHED_STACKS)
			cache[i] = t->stack;
		else
			vfree(m, t->stack);
	}
	t->stack = 0;
	t->stack_page = NULL;
}

/* The stack goes when the task has run for the last time (put_task_stack). */
void release_task_stack(struct machine *m, struct task_struct *t)
{
	if (t->stack) {
		account_kernel_stack(m, -1);
		free_thread_stack(m, t);
	}
}

/* ---- task_struct and what hangs off it ------------------------------------------------------ */

static struct task_struct *dup_task_struct(struct machine *m, struct task_struct *orig, int *err)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	*err = -MMSIM_ENOMEM;
	if (!t)
		return NULL;
	t->kobj = kmem_cache_alloc(m, m->cachep.task_struct, GFP_KERNEL);
	if (!t->kobj)
		goto fail;
	if (alloc_thread_stack(m, t))
		goto fail_obj;
	account_kernel_stack(m, 1);
	INIT_LIST_HEAD(&t->tasks);
	INIT_LIST_HEAD(&t->wait_entry);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	memcpy(t->comm, orig->comm, sizeof(t->comm));
	t->personality = orig->personality;
	t->umask = orig->umask;
	t->flags = orig->flags & ~PF_KTHREAD;
	return t;
fail_obj:
	kmem_cache_free(m, m->cachep.task_struct, t->kobj);
fail:
	free(t);
	return NULL;
}

static struct cred *prepare_creds(struct machine *m, const struct cred *old)
{
	struct cred *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->kobj = kmem_cache_alloc(m, m->cachep.cred, GFP_KERNEL);
	if (!c->kobj) {
		free(c);
		return NULL;
	}
	if (old) {
		c->uid = old->uid;
		c->gid = old->gid;
		c->euid = old->euid;
		c->egid = old->egid;
		c->cap_effective = old->cap_effective;
	} else {
		c->cap_effective = CAP_FULL_SET;	/* init_cred: root */
	}
	c->usage = 1;
	return c;
}

void put_cred(struct machine *m, struct cred *c)
{
	if (!c || --c->usage > 0)
		return;
	if (c->kobj)
		kmem_cache_free(m, m->cachep.cred, c->kobj);
	free(c);
}

static struct signal_struct *copy_signal(struct machine *m, const struct signal_struct *old)
{
	struct signal_struct *sig = calloc(1, sizeof(*sig));

	if (!sig)
		return NULL;
	sig->kobj = kmem_cache_zalloc(m, m->cachep.signal, GFP_KERNEL);
	if (!sig->kobj) {
		free(sig);
		return NULL;
	}
	memcpy(sig->rlim, old->rlim, sizeof(sig->rlim));
	sig->oom_score_adj = old->oom_score_adj;
	sig->oom_score_adj_min = old->oom_score_adj_min;
	return sig;
}

static void free_signal_struct(struct machine *m, struct signal_struct *sig)
{
	/* __put_task_struct() -> free_signal_struct(): the OOM victim's mm goes too. */
	if (sig->oom_mm)
		mmdrop(m, sig->oom_mm);
	if (sig->kobj)
		kmem_cache_free(m, m->cachep.signal, sig->kobj);
	free(sig);
}

static struct sighand_struct *copy_sighand(struct machine *m, const struct sighand_struct *old)
{
	struct sighand_struct *sh = calloc(1, sizeof(*sh));

	if (!sh)
		return NULL;
	sh->kobj = kmem_cache_alloc(m, m->cachep.sighand, GFP_KERNEL);
	if (!sh->kobj) {
		free(sh);
		return NULL;
	}
	memcpy(sh->action, old->action, sizeof(sh->action));
	memcpy(sh->ka, old->ka, sizeof(sh->ka));
	return sh;
}

static void free_sighand(struct machine *m, struct sighand_struct *sh)
{
	if (sh->kobj)
		kmem_cache_free(m, m->cachep.sighand, sh->kobj);
	free(sh);
}

/* ---- mm_struct -------------------------------------------------------------------------------- */

static struct mm_struct *allocate_mm(struct machine *m)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	mm->kobj = kmem_cache_alloc(m, m->cachep.mm_struct, GFP_KERNEL);
	if (!mm->kobj) {
		free(mm);
		return NULL;
	}
	return mm;
}

static void free_mm(struct machine *m, struct mm_struct *mm)
{
	kmem_cache_free(m, m->cachep.mm_struct, mm->kobj);
	free(mm);
}

/* mm_init(): counters zero, the page directory made, the flags inherited from current. */
static struct mm_struct *mm_init(struct machine *m, struct mm_struct *mm)
{
	struct task_struct *cur = get_current(m);

	mm->mmap = NULL;
	mm->mm_rb = RB_ROOT;
	mm->map_count = 0;
	mm->mm_users = 1;
	mm->mm_count = 1;
	mm->locked_vm = 0;
	mm->pinned_vm = 0;
	memset(mm->rss_stat, 0, sizeof(mm->rss_stat));
	mm->pgtables_bytes = 0;
	mm->exe_file = NULL;
	INIT_LIST_HEAD(&mm->pmd_huge_pte);
	mm->stack_guard_gap = m->vm.stack_guard_gap;
	if (cur->mm) {
		mm->flags = cur->mm->flags & MMF_INIT_MASK;
		mm->def_flags = cur->mm->def_flags & VM_NOHUGEPAGE;
	} else {
		mm->flags = MMF_DUMP_FILTER_DEFAULT;
		mm->def_flags = 0;
	}
	mm->pgd = pgd_alloc(m, &mm->pgd_list);
	if (!mm->pgd) {
		free_mm(m, mm);
		return NULL;
	}
	return mm;
}

struct mm_struct *mm_alloc(struct machine *m)
{
	struct mm_struct *mm = allocate_mm(m);

	if (!mm)
		return NULL;
	memset((char *)mm, 0, offsetof(struct mm_struct, kobj));
	return mm_init(m, mm);
}

void mmdrop(struct machine *m, struct mm_struct *mm)
{
	if (--mm->mm_count > 0)
		return;
	pgd_free(m, mm->pgd, &mm->pgd_list);
	free_mm(m, mm);
}

/* mmput(): the last user of the address space is gone: unmap everything. */
void mmput(struct machine *m, struct mm_struct *mm)
{
	if (--mm->mm_users > 0)
		return;
	exit_mmap(m, mm);
	mm_put_huge_zero_page(m, mm);
	if (mm->exe_file)
		fput(m, mm->exe_file);
	mm->exe_file = NULL;
	mmdrop(m, mm);
}

/*
 * dup_mmap(): the child's VMAs, one per parent VMA (not MADV_DONTFORK
 * ones), each charged again to the overcommit policy, linked to the
 * parent's anon_vmas (anon_vma_fork), unlocked (mlock is not inherited),
 * with the page tables copied where the pages cannot simply be faulted
 * in again.
 */
static int dup_mmap(struct machine *m, struct mm_struct *mm, struct mm_struct *oldmm)
{
	int retval = 0;

	if (oldmm->exe_file)
		mm->exe_file = get_file(oldmm->exe_file);
	mm->total_vm = oldmm->total_vm;
	mm->data_vm = oldmm->data_vm;
	mm->exec_vm = oldmm->exec_vm;
	mm->stack_vm = oldmm->stack_vm;
	for (struct vm_area_struct *mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
		unsigned long charge = 0;
		if (mpnt->vm_flags & VM_DONTCOPY) {
			vm_stat_account(mm, mpnt->vm_flags, -(long)vma_pages(mpnt));
			continue;
		}
		if (mpnt->vm_flags & VM_ACCOUNT) {
			unsigned long len = vma_pages(mpnt);
			if (security_vm_enough_memory_mm(m, oldmm, len))
				return -MMSIM_ENOMEM;
			charge = len;
		}
		struct vm_area_struct *tmp = vm_area_dup(m, mpnt);
		if (!tmp) {
			vm_unacct_memory(m, charge);
			return -MMSIM_ENOMEM;
		}
		tmp->vm_mm = mm;
		if (tmp->vm_flags & VM_WIPEONFORK) {
			tmp->anon_vma = NULL;
		} else if (anon_vma_fork(m, tmp, mpnt)) {
			vm_area_free(m, tmp);
			vm_unacct_memory(m, charge);
			return -MMSIM_ENOMEM;
		}
		tmp->vm_flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
		vma_link(mm, tmp);
		if (tmp->vm_ops && tmp->vm_ops->open)
			tmp->vm_ops->open(tmp);
		if (tmp->vm_file)
			get_file(tmp->vm_file);
		if (!(tmp->vm_flags & VM_WIPEONFORK))
			retval = copy_page_range(m, tmp, mpnt);
		if (retval)
			break;
	}
	return retval;
}

static struct mm_struct *dup_mm(struct machine *m, struct mm_struct *oldmm, int *err)
{
	struct mm_struct *mm = allocate_mm(m);

	*err = -MMSIM_ENOMEM;
	if (!mm)
		return NULL;
	kaddr_t kobj = mm->kobj;
	*mm = *oldmm;
	mm->kobj = kobj;
	if (!mm_init(m, mm))
		return NULL;
	*err = dup_mmap(m, mm, oldmm);
	if (*err) {
		mm->mm_users = 1;
		mmput(m, mm);
		return NULL;
	}
	mm->hiwater_rss = get_mm_rss(mm);
	mm->hiwater_vm = mm->total_vm;
	return mm;
}

/* ---- copy_process ------------------------------------------------------------------------------- */

static void free_task_struct(struct machine *m, struct task_struct *t)
{
	kmem_cache_free(m, m->cachep.task_struct, t->kobj);
	free(t);
}

/*
 * copy_process(): a new task, the child of current, sharing what
 * @clone_flags asks (CLONE_VM: the address space; kernel threads share
 * everything) and copying the rest. It is left in TASK_NEW; the caller
 * wakes it. NULL with *err on failure, everything undone.
 */
struct task_struct *copy_process(struct machine *m, unsigned long clone_flags, int *err)
{
	struct sched_state *s = m->sched;
	struct task_struct *cur = get_current(m);
	struct task_struct *t = dup_task_struct(m, cur, err);

	if (!t)
		return NULL;
	/*
	 * RLIMIT_NPROC: the tasks of the caller's real uid, the new one
	 * counted (the ucounts' UCOUNT_RLIMIT_NPROC, which a task leaves when
	 * it is reaped). Root, and holders of CAP_SYS_RESOURCE or
	 * CAP_SYS_ADMIN, are not held to it.
	 */
	if (cur->cred && cur->cred->uid != 0 && !capable(cur, CAP_SYS_RESOURCE) &&
	    !capable(cur, CAP_SYS_ADMIN)) {
		uint64_t same_uid = 1;
		struct list_head *pos;
		list_for_each(pos, &s->tasks) {
			struct task_struct *o = list_entry(pos, struct task_struct, tasks);
			if (o->cred && o->cred->uid == cur->cred->uid && o->exit_state != EXIT_DEAD)
				same_uid++;
		}
		if (same_uid > rlimit(cur, RLIMIT_NPROC)) {
			*err = -MMSIM_EAGAIN;
			goto fail_task;
		}
	}
	/* max_threads: the stacks of all tasks may take an eighth of RAM, no more. */
	if ((unsigned long)s->nr_threads >= m->max_threads) {
		*err = -MMSIM_EAGAIN;
		goto fail_task;
	}
	*err = -MMSIM_ENOMEM;
	t->cred = prepare_creds(m, cur->cred);
	if (!t->cred)
		goto fail_task;
	t->pid_kobj = kmem_cache_alloc(m, m->cachep.pid, GFP_KERNEL);
	if (!t->pid_kobj)
		goto fail_cred;
	t->signal = copy_signal(m, cur->signal);
	if (!t->signal)
		goto fail_pid;
	t->sighand = copy_sighand(m, cur->sighand);
	if (!t->sighand)
		goto fail_signal;
	if (clone_flags & CLONE_FILES) {
		t->files = cur->files;
		if (t->files)
			t->files->count++;
	} else if (cur->files) {
		t->files = dup_fd(m, cur->files, err);
		if (!t->files)
			goto fail_sighand;
	}
	if (cur->mm && !(clone_flags & CLONE_VM)) {
		t->mm = dup_mm(m, cur->mm, err);
		if (!t->mm)
			goto fail_files;
		t->active_mm = t->mm;
	} else if (cur->mm) {
		t->mm = cur->mm;
		t->mm->mm_users++;
		t->active_mm = t->mm;
	}
	if ((*err = attach_pid(m, t)) < 0)
		goto fail_mm;
	*err = 0;
	s->nr_threads++;
	t->tgid = t->pid;
	/* New tasks are spread over the CPUs in creation order. */
	t->cpu = (unsigned int)(t->pid - 1) % m->nr_cpus;
	t->state = TASK_NEW;
	t->flags |= PF_FORKNOEXEC;
	t->real_parent = cur;
	t->start_time_ns = m->clock_ns;
	list_add_tail(&t->sibling, &cur->children);
	list_add_tail(&t->tasks, &s->tasks);
	return t;
fail_mm:
	if (t->mm)
		mmput(m, t->mm);
	t->mm = t->active_mm = NULL;
fail_files:
	if (t->files)
		put_files_struct(m, t->files);
fail_sighand:
	free_sighand(m, t->sighand);
fail_signal:
	free_signal_struct(m, t->signal);
fail_pid:
	kmem_cache_free(m, m->cachep.pid, t->pid_kobj);
fail_cred:
	put_cred(m, t->cred);
fail_task:
	account_kernel_stack(m, -1);
	free_thread_stack(m, t);
	free_task_struct(m, t);
	return NULL;
}

/* free_task(): the last of a reaped task (its stack went when it died). */
void free_task(struct machine *m, struct task_struct *t)
{
	release_task_stack(m, t);
	if (t->pid_kobj)
		kmem_cache_free(m, m->cachep.pid, t->pid_kobj);
	put_cred(m, t->cred);
	if (t->signal)
		free_signal_struct(m, t->signal);
	if (t->sighand)
		free_sighand(m, t->sighand);
	free_task_struct(m, t);
}

/* kernel_clone() for fork(2): the child's pid, or -errno. */
int do_fork(struct machine *m)
{
	int err;
	struct task_struct *t = copy_process(m, 0, &err);

	if (!t)
		return err;
	wake_up_new_task(m, t);
	/* A forked process waits for whoever drives it, like every process. */
	t->state = TASK_INTERRUPTIBLE;
	return t->pid;
}
