/* usercopy.c — the kernel reading and writing user memory (the kernel's
 * include/linux/uaccess.h, arch/x86/lib/usercopy_*.c and the exception
 * table that backs them).
 *
 * Why these exist, as the documents explain: a system call's pointer
 * argument is the program's, and the page it points at may not be there
 * yet (never touched, swapped out) or may not be the program's to give
 * (a kernel address, an unmapped one). So every access goes through the
 * MMU in kernel mode: a fault is handled like the program's own — demand
 * paging, copy-on-write, stack growth — and only a fault that cannot be
 * fixed ends the copy, which returns how much it could not do (the
 * exception table's fixup); the system call turns that into -EFAULT.
 * access_ok() refuses kernel addresses before anything is touched. */
#include <string.h>

#include "arch/x86/fault.h"
#include "arch/x86/mmu.h"
#include "mm.h"

bool access_ok(const struct machine *m, uint64_t addr, uint64_t size)
{
	/* TASK_SIZE_MAX: 0xc0000000 on i386, 0x7ffffffff000 on x86_64. */
	uint64_t limit = arch_task_size(m);

	return size <= limit && addr <= limit - size;
}

/* One kernel-mode access of up to a page; faults handled, -1 if one cannot be. */
static int kernel_user_access(struct machine *m, uint64_t addr, void *buf, const void *src,
			      size_t len)
{
	unsigned int cpu = m->cur_cpu;
	/* A copy out or a clear (neither buffer) stores; only a copy in loads. */
	unsigned int access = buf ? MMU_READ : MMU_WRITE;
	phys_addr_t pa;

	for (unsigned int tries = 0; mmu_translate(m, cpu, addr, access, &pa); tries++) {
		struct cpu_mmu *c = &m->cpu_mmu[cpu];
		if (tries > 8 || do_user_addr_fault(m, c->error_code, c->cr2, false))
			return -1;	/* the fixup: the copy stops here */
	}
	if (pa + len > m->ram_bytes)
		return -1;
	if (src)
		memcpy(m->ram + pa, src, len);
	else if (buf)
		memcpy(buf, m->ram + pa, len);
	else
		memset(m->ram + pa, 0, len);
	return 0;
}

static size_t copy_user(struct machine *m, uint64_t uaddr, void *kbuf, const void *ksrc, size_t n,
			bool zero)
{
	if (!access_ok(m, uaddr, n))
		return n;
	size_t done = 0;
	while (done < n) {
		uint64_t addr = uaddr + done;
		size_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (chunk > n - done)
			chunk = n - done;
		int r;
		if (zero)
			r = kernel_user_access(m, addr, NULL, NULL, chunk);
		else if (ksrc)
			r = kernel_user_access(m, addr, NULL, (const char *)ksrc + done, chunk);
		else
			r = kernel_user_access(m, addr, (char *)kbuf + done, NULL, chunk);
		if (r)
			break;
		done += chunk;
	}
	return n - done;
}

size_t copy_from_user(struct machine *m, void *to, uint64_t from, size_t n)
{
	size_t left = copy_user(m, from, to, NULL, n, false);

	/* _copy_from_user(): what could not be copied reads as zeroes. */
	if (left)
		memset((char *)to + (n - left), 0, left);
	return left;
}

size_t copy_to_user(struct machine *m, uint64_t to, const void *from, size_t n)
{
	return copy_user(m, to, NULL, from, n, false);
}

size_t clear_user(struct machine *m, uint64_t to, size_t n)
{
	if (!n)
		return 0;
	return copy_user(m, to, NULL, NULL, n, true);
}

int get_user(struct machine *m, void *val, uint64_t addr, size_t size)
{
	if (copy_from_user(m, val, addr, size)) {
		memset(val, 0, size);	/* get_user() zeroes the value on a fault */
		return -MMSIM_EFAULT;
	}
	return 0;
}

int put_user(struct machine *m, const void *val, uint64_t addr, size_t size)
{
	return copy_to_user(m, addr, val, size) ? -MMSIM_EFAULT : 0;
}

long strncpy_from_user(struct machine *m, char *dst, uint64_t src, long count)
{
	if (count <= 0)
		return 0;
	/* The limit is the end of user space: a string may not run into the kernel. */
	uint64_t limit = arch_task_size(m);
	if (src >= limit)
		return -MMSIM_EFAULT;
	long max = count;
	if ((uint64_t)max > limit - src)
		max = (long)(limit - src);
	for (long i = 0; i < max; i++) {
		char c;
		if (kernel_user_access(m, src + (uint64_t)i, &c, NULL, 1))
			return -MMSIM_EFAULT;
		dst[i] = c;
		if (!c)
			return i;
	}
	/* No NUL within the user space left: a fault, if count went beyond it. */
	return max < count ? -MMSIM_EFAULT : count;
}

long strnlen_user(struct machine *m, uint64_t src, long n)
{
	uint64_t limit = arch_task_size(m);

	if (n <= 0 || src >= limit)
		return 0;
	for (long i = 0; i < n; i++) {
		char c;
		if (src + (uint64_t)i >= limit || kernel_user_access(m, src + (uint64_t)i, &c, NULL, 1))
			return 0;
		if (!c)
			return i + 1;
	}
	return n + 1;
}
