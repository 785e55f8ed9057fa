/* exec.c — replacing a process's program (fs/exec.c): the new address
 * space and its first stack, the strings copied onto it, the point of no
 * return, and setup_arg_pages(), which gives the stack its final place,
 * flags and first 128 KiB. The ELF format's part is binfmt_elf.c.
 *
 * The order matters and is the kernel's: a new mm with one stack VMA, a
 * page at the very top of user space (bprm_mm_init); the file name, the
 * environment and the arguments copied down from there, each string
 * packed against the previous one, faulting pages in on the new mm while
 * the old one is still current (so those pages count in the new mm's RSS
 * at once); then the binary's loader checks the file, and only when all
 * is well is the old address space thrown away (exec_mmap). A failure
 * after that point kills the process with SIGSEGV. */
#include <stdlib.h>
#include <string.h>

#include "arch/x86/fault.h"
#include "arch/x86/mmu.h"
#include "fs/binfmts.h"
#include "fs/fs.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "mm.h"

#define MAX_ARG_STRLEN	(PAGE_SIZE * 32)
#define ARG_MAX		131072UL

/*
 * Write @len bytes at @addr of the new mm (not current's), faulting the
 * pages in for writing and growing the stack down as needed.
 * 0 or -EFAULT / -ENOMEM / -E2BIG.
 */
static int write_remote(struct machine *m, struct mm_struct *mm, uint64_t addr, const void *buf,
			size_t len)
{
	while (len) {
		size_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		phys_addr_t pa;
		if (chunk > len)
			chunk = len;
		int err = get_user_page_remote(m, mm, addr, true, &pa);
		if (err)
			return err;
		memcpy(m->ram + pa, buf, chunk);
		buf = (const char *)buf + chunk;
		addr += chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * __bprm_mm_init(): the temporary stack — one page below STACK_TOP_MAX,
 * VM_STACK_INCOMPLETE_SETUP until setup_arg_pages() — and p just below
 * its top word, which stays zero.
 */
static int bprm_mm_init(struct machine *m, struct linux_binprm *bprm)
{
	struct task_struct *t = get_current(m);
	struct mm_struct *mm = mm_alloc(m);

	if (!mm)
		return -MMSIM_ENOMEM;
	bprm->mm = mm;
	/* The caller's RLIMIT_STACK, as it is now: every later decision uses this. */
	bprm->rlim_stack = t->signal->rlim[RLIMIT_STACK];
	mm->task_size = arch_task_size(m);
	struct vm_area_struct *vma = vm_area_alloc(m, mm);
	if (!vma)
		return -MMSIM_ENOMEM;
	vma->vm_end = arch_task_size(m);	/* STACK_TOP_MAX */
	vma->vm_start = vma->vm_end - PAGE_SIZE;
	vma->vm_flags = m->vm_softdirty | VM_STACK | VM_ACCOUNT | vm_data_default_flags(t) |
			VM_STACK_INCOMPLETE_SETUP;
	vma->vm_page_prot = vm_get_page_prot(m, vma->vm_flags);
	int err = insert_stack_vma(m, mm, vma);
	if (err) {
		vm_area_free(m, vma);
		return err;
	}
	mm->stack_vm = mm->total_vm = 1;
	bprm->vma = vma;
	bprm->p = vma->vm_end - (m->is_32bit ? 4 : 8);
	return 0;
}

/* bprm_stack_limits(): how much the strings and their pointers may take. */
static int bprm_stack_limits(struct linux_binprm *bprm, unsigned int ptr_size)
{
	uint64_t limit = bprm->rlim_stack.rlim_cur / 4;

	if (limit > (8ULL << 20) / 4 * 3)	/* _STK_LIM / 4 * 3 */
		limit = (8ULL << 20) / 4 * 3;
	if (limit < ARG_MAX)
		limit = ARG_MAX;
	uint64_t ptrs = (uint64_t)((bprm->argc > 0 ? bprm->argc : 1) + bprm->envc) * ptr_size;
	if (limit <= ptrs)
		return -MMSIM_E2BIG;
	limit -= ptrs;
	bprm->argmin = bprm->p - limit;
	return 0;
}

/* copy_string_kernel(): one string, packed below the last, NUL included. */
int bprm_push_string(struct machine *m, struct linux_binprm *bprm, const char *s)
{
	size_t len = strlen(s) + 1;

	if (len > MAX_ARG_STRLEN)
		return -MMSIM_E2BIG;
	if (bprm->p - len < bprm->argmin)
		return -MMSIM_E2BIG;
	bprm->p -= len;
	return write_remote(m, bprm->mm, bprm->p, s, len);
}

/* copy_strings(): the last string first, so that they end up in order. */
static int copy_strings(struct machine *m, struct linux_binprm *bprm, int n,
			const char *const *strs)
{
	for (int i = n - 1; i >= 0; i--) {
		int err = bprm_push_string(m, bprm, strs[i]);
		if (err)
			return err;
	}
	return 0;
}

int bprm_remove_arg_zero(struct machine *m, struct linux_binprm *bprm)
{
	char c = 1;

	if (!bprm->argc)
		return 0;
	/* The lowest string is argv[0]: step over it and its NUL. */
	while (c) {
		long n = access_remote_vm(m, bprm->mm, bprm->p, &c, 1, false);
		if (n != 1)
			return -MMSIM_EFAULT;
		bprm->p++;
	}
	bprm->argc--;
	return 0;
}

struct file *open_exec(struct machine *m, const char *name, int *err)
{
	struct file *file = filp_open(m, name, O_RDONLY, err);

	if (!file) {
		/* do_open_execat(): what is not a regular file cannot be run. */
		if (*err == -MMSIM_EISDIR)
			*err = -MMSIM_EACCES;
		return NULL;
	}
	const struct inode *inode = file->f_inode;
	/* MAY_EXEC: even root needs one execute bit (CAP_DAC_OVERRIDE does not give it). */
	if ((inode->i_mode & S_IFMT) != S_IFREG || !(inode->i_mode & 0111)) {
		fput(m, file);
		*err = -MMSIM_EACCES;
		return NULL;
	}
	file->f_mode |= FMODE_EXEC;
	return file;
}

int bprm_write_stack(struct machine *m, struct linux_binprm *bprm, uint64_t addr, const void *buf,
		     size_t len)
{
	return write_remote(m, bprm->mm, addr, buf, len);
}

/*
 * exec_mmap(): the point of no return. The old address space's RSS cache
 * is folded in and its peak recorded; the new one becomes current's.
 */
static void exec_mmap(struct machine *m, struct linux_binprm *bprm)
{
	struct task_struct *t = get_current(m);
	struct mm_struct *old = t->mm;

	if (old) {
		sync_mm_rss(m, old);
		update_hiwater_rss(old);
		if (old->hiwater_rss > t->signal->maxrss)
			t->signal->maxrss = old->hiwater_rss;
	}
	t->mm = t->active_mm = bprm->mm;
	write_cr3(m, t->cpu, bprm->mm->pgd);	/* activate_mm() */
	bprm->mm = NULL;
	if (old)
		mmput(m, old);
}

/* begin_new_exec(): after this the caller can no longer be given an error. */
int begin_new_exec(struct machine *m, struct linux_binprm *bprm)
{
	struct task_struct *t = get_current(m);

	bprm->point_of_no_return = true;
	exec_mmap(m, bprm);
	if (t->mm->exe_file)
		fput(m, t->mm->exe_file);
	t->mm->exe_file = get_file(bprm->file);
	/* The old program's descriptors marked close-on-exec go; a vfork parent goes on. */
	if (t->files)
		do_close_on_exec(m, t->files);
	t->vfork_done = true;
	t->flags &= ~(PF_RANDOMIZE | PF_FORKNOEXEC | PF_KTHREAD);
	t->personality &= ~bprm->per_clear;
	/* flush_signal_handlers(): handlers go back to SIG_DFL; ignored signals stay ignored. */
	for (int i = 0; i < NR_SIGNALS; i++) {
		if (t->sighand->action[i] == SIG_DISP_HANDLER)
			t->sighand->action[i] = SIG_DISP_DEFAULT;
		if (t->sighand->ka[i].handler > 1)
			t->sighand->ka[i] = (struct k_sigaction){ 0 };
	}
	t->sas_ss_sp = t->sas_ss_size = 0;
	t->sas_ss_flags = 0;
	return 0;
}

/* setup_new_exec(): the layout for the new program, and its name. */
void setup_new_exec(struct machine *m, struct linux_binprm *bprm)
{
	struct task_struct *t = get_current(m);
	const char *base = strrchr(bprm->filename, '/');

	/* A snapshot of randomize_va_space decides everything this exec randomizes. */
	if (!(t->personality & ADDR_NO_RANDOMIZE) && m->randomize_va_space)
		t->flags |= PF_RANDOMIZE;
	arch_pick_mmap_layout(m, t->mm, bprm->rlim_stack.rlim_cur);
	snprintf(t->comm, sizeof(t->comm), "%s", base ? base + 1 : bprm->filename);
	t->mm->task_size = arch_task_size(m);
}

/* randomize_stack_top(): up to STACK_RND_MASK pages lower when randomizing. */
uint64_t randomize_stack_top(struct machine *m, uint64_t stack_top)
{
	if (!(get_current(m)->flags & PF_RANDOMIZE))
		return stack_top;
	uint64_t mask = m->is_32bit ? 0x7ffULL : 0x3fffffULL;
	return ALIGN_UP(stack_top, PAGE_SIZE) - ((get_random_u64(m) & mask) << PAGE_SHIFT);
}

/*
 * shift_arg_pages(): move the stack VMA and its page tables down by
 * @shift (a randomized stack top).
 */
static int shift_arg_pages(struct machine *m, struct vm_area_struct *vma, uint64_t shift)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t old_start = vma->vm_start, old_end = vma->vm_end, length = old_end - old_start;
	uint64_t new_start = old_start - shift;

	if (find_vma_intersection(mm, new_start, old_start))
		return -MMSIM_EFAULT;
	/* Grow the VMA down over the new range, move the PTEs, then drop the old tail. */
	vma_adjust_bounds(mm, vma, new_start, old_end, vma->vm_pgoff);
	if (move_page_range(m, vma, old_start, new_start, length) != length)
		return -MMSIM_ENOMEM;
	struct mmu_gather tlb;
	tlb_gather_mmu(&tlb, m, mm, false);
	uint64_t new_end = old_end - shift;
	struct vm_area_struct *next = vma->vm_next;
	free_pgd_range(&tlb, new_end > old_start ? new_end : old_start, old_end, new_end,
		       next ? next->vm_start : 0);
	tlb_finish_mmu(&tlb);
	vma_adjust_bounds(mm, vma, new_start, new_end, vma->vm_pgoff);
	return 0;
}

int setup_arg_pages(struct machine *m, struct linux_binprm *bprm, uint64_t stack_top,
		    int executable_stack)
{
	struct task_struct *t = get_current(m);
	struct mm_struct *mm = t->mm;
	struct vm_area_struct *vma = bprm->vma;

	/* arch_align_stack(): a random 0..8 KiB lower, 16-byte aligned. */
	if (!(t->personality & ADDR_NO_RANDOMIZE) && m->randomize_va_space)
		stack_top -= get_random_u64(m) % 8192;
	stack_top &= ~15ULL;
	stack_top = ALIGN_UP(stack_top, PAGE_SIZE);
	if (stack_top < m->vm.mmap_min_addr ||
	    vma->vm_end - vma->vm_start >= stack_top - m->vm.mmap_min_addr)
		return -MMSIM_ENOMEM;
	uint64_t stack_shift = vma->vm_end - stack_top;
	bprm->p -= stack_shift;
	mm->arg_start = bprm->p;
	bprm->exec -= stack_shift;
	/* VM_STACK_FLAGS with the new program's personality; PT_GNU_STACK decides VM_EXEC. */
	unsigned long vm_flags = VM_STACK | VM_ACCOUNT | vm_data_default_flags(t);
	if (executable_stack == EXSTACK_ENABLE_X)
		vm_flags |= VM_EXEC;
	else if (executable_stack == EXSTACK_DISABLE_X)
		vm_flags &= ~VM_EXEC;
	vm_flags |= mm->def_flags | VM_STACK_INCOMPLETE_SETUP;
	struct vm_area_struct *prev = vma->vm_prev;
	int err = mprotect_fixup(m, vma, &prev, vma->vm_start, vma->vm_end, vm_flags);
	if (err)
		return err;
	if ((vm_flags & VM_EXEC) && !m->warned_exec_stack) {
		m->warned_exec_stack = true;
		pr_warn(m, "process '%s' started with executable stack\n", bprm->file->f_inode->path);
	}
	if (stack_shift && (err = shift_arg_pages(m, vma, stack_shift)))
		return err;
	vma->vm_flags &= ~VM_STACK_INCOMPLETE_SETUP;
	/* The first 128 KiB, or RLIMIT_STACK if that is smaller. */
	uint64_t stack_expand = 131072, stack_size = vma->vm_end - vma->vm_start;
	uint64_t rlim_stack = bprm->rlim_stack.rlim_cur & PAGE_MASK;
	uint64_t stack_base = stack_size + stack_expand > rlim_stack ? vma->vm_end - rlim_stack
								      : vma->vm_start - stack_expand;
	mm->start_stack = bprm->p;
	if (stack_base < vma->vm_start && expand_downwards(m, vma, stack_base))
		return -MMSIM_EFAULT;
	return 0;
}

/*
 * search_binary_handler(): each format in turn, until one takes the file
 * or fails for a reason other than not knowing it (-ENOEXEC), or the point
 * of no return has been passed.
 */
static int search_binary_handler(struct machine *m, struct linux_binprm *bprm)
{
	/* prepare_binprm(): the first BINPRM_BUF_SIZE bytes. */
	uint64_t pos = 0;
	long n = kernel_read(m, bprm->file, bprm->buf, sizeof(bprm->buf), &pos);

	if (n < 0)
		return (int)n;
	bprm->buf_len = (size_t)n;
	int err = load_script(m, bprm);
	if (bprm->point_of_no_return || err != -MMSIM_ENOEXEC)
		return err;
	return load_elf_binary(m, bprm);
}

/* exec_binprm(): a script's interpreter may be a script in turn, at most 5 deep. */
static int exec_binprm(struct machine *m, struct linux_binprm *bprm)
{
	for (int depth = 0;; depth++) {
		if (depth > 5)
			return -MMSIM_ELOOP;
		int err = search_binary_handler(m, bprm);
		if (err < 0)
			return err;
		if (!bprm->interpreter)
			return 0;
		fput(m, bprm->file);
		bprm->file = bprm->interpreter;
		bprm->interpreter = NULL;
	}
}

/* kernel_execve(): run @filename with these arguments in current. 0 or -errno. */
int do_execve(struct machine *m, const char *filename, const char *const *argv,
	      const char *const *envp, const char **why)
{
	struct task_struct *t = get_current(m);
	struct linux_binprm bprm = { .filename = filename, .interp = filename };
	int argc = 0, envc = 0, err;

	while (argv && argv[argc])
		if (++argc > 0x7fff)
			return -MMSIM_E2BIG;
	while (envp && envp[envc])
		if (++envc > 0x7fff)
			return -MMSIM_E2BIG;
	bprm.argc = argc;
	bprm.envc = envc;
	bprm.file = open_exec(m, filename, &err);
	if (!bprm.file) {
		if (why)
			*why = err == -MMSIM_EACCES ? "not a regular file with an execute bit" : NULL;
		return err;
	}
	if ((err = bprm_mm_init(m, &bprm)))
		goto out;
	if ((err = bprm_stack_limits(&bprm, m->is_32bit ? 4 : 8)))
		goto out;
	if ((err = bprm_push_string(m, &bprm, filename)))
		goto out;
	bprm.exec = bprm.p;
	if ((err = copy_strings(m, &bprm, envc, envp)) || (err = copy_strings(m, &bprm, argc, argv)))
		goto out;
	if (!argc) {
		/* An empty argv gets "" as argv[0], with the kernel's warning. */
		pr_warn(m, "process '%s' launched '%s' with NULL argv: empty string added\n", t->comm,
			filename);
		if ((err = bprm_push_string(m, &bprm, "")))
			goto out;
		bprm.argc = 1;
	}
	err = exec_binprm(m, &bprm);
	if (err && bprm.point_of_no_return) {
		/* Too late to return the error: the process dies (force_fatal_sig). */
		force_sig_fault(m, t, SIGSEGV, SI_KERNEL, 0);
		err = 0;
	}
out:
	if (bprm.mm) {
		bprm.mm->mm_users = 1;
		mmput(m, bprm.mm);
	}
	if (bprm.elf_interp)
		fput(m, bprm.elf_interp);
	if (bprm.interpreter)
		fput(m, bprm.interpreter);
	fput(m, bprm.file);
	if (why)
		*why = err ? bprm.why : NULL;
	return err;
}

/* ---- execve(2) from a running program ---------------------------------------------- */

#define EXEC_STRINGS_MAX	(32u << 20)	/* host memory for one call's argv and envp */

/*
 * Copy a NULL-terminated array of user string pointers into host memory
 * (one block: the pointers, then the strings). MAX_ARG_STRLEN bounds each
 * string, and EXEC_STRINGS_MAX the whole; past those it is -E2BIG, as the
 * kernel's copy_strings() says when the strings would not fit the stack.
 */
static int copy_user_strv(struct machine *m, uint64_t uarr, char ***out)
{
	size_t ptr_size = m->is_32bit ? 4 : 8, count = 0, bytes = 0, cap = 0;
	char **v = NULL, *buf = NULL;

	*out = NULL;
	if (!uarr)
		return 0;
	for (;; count++) {
		uint64_t p = 0;
		if (get_user(m, &p, uarr + count * ptr_size, ptr_size))
			goto fault;
		if (!p)
			break;
		if (count >= 0x7fff)
			goto too_big;
		long len = strnlen_user(m, p, MAX_ARG_STRLEN);
		if (len == 0)
			goto fault;
		if (len > (long)MAX_ARG_STRLEN || bytes + (size_t)len > EXEC_STRINGS_MAX)
			goto too_big;
		if (bytes + (size_t)len > cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			while (ncap < bytes + (size_t)len)
				ncap *= 2;
			char *nb = realloc(buf, ncap);
			if (!nb)
				goto nomem;
			buf = nb;
			cap = ncap;
		}
		if (copy_from_user(m, buf + bytes, p, (size_t)len))
			goto fault;
		buf[bytes + (size_t)len - 1] = '\0';
		bytes += (size_t)len;
	}
	v = malloc((count + 1) * sizeof(*v) + bytes);
	if (!v)
		goto nomem;
	char *strings = (char *)(v + count + 1);
	if (bytes)
		memcpy(strings, buf, bytes);
	for (size_t i = 0, off = 0; i < count; i++) {
		v[i] = strings + off;
		off += strlen(strings + off) + 1;
	}
	v[count] = NULL;
	free(buf);
	*out = v;
	return 0;
fault:
	free(buf);
	return -MMSIM_EFAULT;
too_big:
	free(buf);
	return -MMSIM_E2BIG;
nomem:
	free(buf);
	return -MMSIM_ENOMEM;
}

int64_t sys_execve(struct machine *m, uint64_t ufilename, uint64_t uargv, uint64_t uenvp)
{
	char filename[4096], path[4096 + 1];
	char **argv = NULL, **envp = NULL;
	int err;

	if ((err = getname(m, ufilename, filename, sizeof(filename))) ||
	    (err = resolve_at(m, AT_FDCWD, filename, path, sizeof(path))))
		return err;
	if ((err = copy_user_strv(m, uargv, &argv)) || (err = copy_user_strv(m, uenvp, &envp))) {
		free(argv);
		return err;
	}
	err = do_execve(m, path, (const char *const *)argv, (const char *const *)envp, NULL);
	free(argv);
	free(envp);
	return err;
}
