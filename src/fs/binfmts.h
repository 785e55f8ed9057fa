/* binfmts.h (internal) — an exec in progress (struct linux_binprm, the
 * kernel's linux/binfmts.h) and what fs/exec.c and fs/binfmt_elf.c share. */
#ifndef MMSIM_FS_BINFMTS_H
#define MMSIM_FS_BINFMTS_H

#include "kernel/sched.h"

struct file;

/* PT_GNU_STACK's verdict on the stack (include/linux/binfmts.h). */
#define EXSTACK_DEFAULT		0	/* no PT_GNU_STACK: the arch's default */
#define EXSTACK_DISABLE_X	1	/* PT_GNU_STACK without PF_X */
#define EXSTACK_ENABLE_X	2	/* PT_GNU_STACK with PF_X */

#define BINPRM_BUF_SIZE		256

struct linux_binprm {
	struct vm_area_struct *vma;	/* the stack, while it is built */
	struct mm_struct *mm;		/* the new address space, until exec_mmap() takes it */
	uint64_t p;			/* the lowest byte used on the new stack */
	uint64_t argmin;		/* how low the strings may go */
	uint64_t exec;			/* where the file name string is (AT_EXECFN) */
	struct rlimit64 rlim_stack;	/* RLIMIT_STACK when the exec began */
	struct file *file;		/* the executable */
	struct file *elf_interp;	/* PT_INTERP's file, or NULL */
	/* A "#!" script's interpreter: the program the exec goes on with (or NULL). */
	struct file *interpreter;
	const char *filename;
	const char *interp;		/* the name the program was found by: argv[0] a script passes on */
	char interp_buf[BINPRM_BUF_SIZE];	/* a script's interpreter name, for the next level */
	int argc, envc;
	unsigned int per_clear;		/* personality bits a set-id exec clears */
	bool point_of_no_return;	/* the old address space is gone: no error can be returned */
	const char *why;		/* which check refused the file, for the caller's message */
	unsigned char buf[BINPRM_BUF_SIZE];	/* the file's first bytes */
	size_t buf_len;
};

/* fs/exec.c */
int begin_new_exec(struct machine *m, struct linux_binprm *bprm);
void setup_new_exec(struct machine *m, struct linux_binprm *bprm);
int setup_arg_pages(struct machine *m, struct linux_binprm *bprm, uint64_t stack_top,
		    int executable_stack);
uint64_t randomize_stack_top(struct machine *m, uint64_t stack_top);
/* Write to the new stack (while it may still be another mm's). */
int bprm_write_stack(struct machine *m, struct linux_binprm *bprm, uint64_t addr, const void *buf,
		     size_t len);
/*
 * execve() by current: 0 (current runs the new program, or — a failure past
 * the point of no return — has been killed), or -errno with *why, if not
 * NULL, naming the check that refused the file.
 */
int do_execve(struct machine *m, const char *filename, const char *const *argv,
	      const char *const *envp, const char **why);

/* open_exec(): @name opened to be run — a regular file with an execute bit. NULL and *err. */
struct file *open_exec(struct machine *m, const char *name, int *err);
/* remove_arg_zero(): drop argv[0] from the new stack (a script's interpreter replaces it). */
int bprm_remove_arg_zero(struct machine *m, struct linux_binprm *bprm);
/* copy_string_kernel(): push one more string below the others. */
int bprm_push_string(struct machine *m, struct linux_binprm *bprm, const char *s);

/* fs/binfmt_elf.c, fs/binfmt_script.c: the formats, tried in this order */
int load_script(struct machine *m, struct linux_binprm *bprm);
int load_elf_binary(struct machine *m, struct linux_binprm *bprm);

/* arch/x86/vdso.c: [vvar] and [vdso] for the new program. */
int vdso_init(struct machine *m);
void vdso_release(struct machine *m);
int arch_setup_additional_pages(struct machine *m, struct linux_binprm *bprm);
/* __kernel_vsyscall's address in the mapped 32-bit vdso (AT_SYSINFO), 0 if none. */
uint64_t vdso32_sysinfo(const struct machine *m, const struct mm_struct *mm);

#endif /* MMSIM_FS_BINFMTS_H */
