/* efault.c — system calls given bad pointers answer -EFAULT (14), a bad iovec -EINVAL, and the process goes on. */
#include "ulib.h"
void cmain(long *sp)
{
    (void)sp;
    if (u_write(1, (void *)0x10, 5) != -14) u_exit(30);
    if (u_write(1, (void *)0xffff888000000000UL, 5) != -14) u_exit(31);
    if (u_open((const char *)0x20, O_RDONLY) != -14) u_exit(32);
    if (u_read(0, (void *)0x7fffffffffffUL, 1) != -14 && u_read(0, (void *)0x7fffffffffffUL, 1) != 0) u_exit(33);
    /* An iovec length negative as ssize_t (32 bits on i386): -EINVAL (22) before anything is written. */
    static char b[4] = "ok\n";
#ifdef __x86_64__
    ulong iov[4] = { (ulong)b, 3, (ulong)b, 0x8000000000000000UL };
    if (sc3(20 /* writev */, 1, iov, 2) != -22) u_exit(34);
#else
    ulong iov[4] = { (ulong)b, 3, (ulong)b, 0x80000000UL };
    if (sc3(146 /* writev */, 1, iov, 2) != -22) u_exit(34);
#endif
    u_write(1, "efault ok\n", 10);
    u_exit(0);
}
