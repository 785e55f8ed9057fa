/* fault.h (internal) — the page-fault handler's entry for the kernel's own accesses. */
#ifndef MMSIM_ARCH_X86_FAULT_H
#define MMSIM_ARCH_X86_FAULT_H

#include <stddef.h>

#include "machine.h"

/*
 * A plain kernel-mode access of @len bytes at @addr through the MMU of the
 * current CPU (MMU_READ or MMU_WRITE). A page fault on the way oopses as
 * the kernel would (the lines in dmesg); then it returns -EFAULT, with the
 * bytes before the faulting page already copied.
 */
int kernel_access(struct machine *m, kaddr_t addr, void *buf, size_t len, unsigned int access);

/*
 * A page fault on a user address, for the current task: @user_mode when the
 * program itself faulted (signals go to it), else the kernel touching user
 * memory (uaccess: the caller fixes up with -EFAULT). Returns 0 when the
 * access may be retried, the signal (SIGSEGV, SIGBUS) otherwise, or -ENOMEM.
 */
int do_user_addr_fault(struct machine *m, unsigned int error_code, uint64_t address,
		       bool user_mode);
/*
 * A trap other than a page fault in user mode (exception @vector, with
 * @error_code where the CPU pushes one): the signal it raises (SIGFPE,
 * SIGILL, SIGTRAP, SIGSEGV, SIGBUS), already sent to current — its handler
 * runs next or the process has died — with traps.c's dmesg line.
 */
int do_user_trap(struct machine *m, unsigned int vector, uint64_t error_code);
/*
 * A user-mode access by current to [addr, addr+len): MMU_READ (into @buf,
 * which may be NULL to just touch), MMU_WRITE (from @buf), MMU_EXEC.
 * 0, the signal that stopped it, or -ENOMEM.
 */
int user_access(struct machine *m, uint64_t addr, void *buf, size_t len, unsigned int access);

/* ---- arch/x86/usercopy.c: the kernel touching user memory ------------------------------ */

/* access_ok(): [addr, addr+size) lies in user space (below TASK_SIZE_MAX). */
bool access_ok(const struct machine *m, uint64_t addr, uint64_t size);
/* copy_from_user / copy_to_user: the bytes NOT copied (0: all of them). */
size_t copy_from_user(struct machine *m, void *to, uint64_t from, size_t n);
size_t copy_to_user(struct machine *m, uint64_t to, const void *from, size_t n);
size_t clear_user(struct machine *m, uint64_t to, size_t n);
/* get_user / put_user of 1, 2, 4 or 8 bytes: 0 or -EFAULT. */
int get_user(struct machine *m, void *val, uint64_t addr, size_t size);
int put_user(struct machine *m, const void *val, uint64_t addr, size_t size);
/* strncpy_from_user(): the length copied (without the NUL), @count if none, or -EFAULT. */
long strncpy_from_user(struct machine *m, char *dst, uint64_t src, long count);
/* strnlen_user(): the length with the NUL, 0 on a fault, > n if none within n. */
long strnlen_user(struct machine *m, uint64_t src, long n);

#endif /* MMSIM_ARCH_X86_FAULT_H */
