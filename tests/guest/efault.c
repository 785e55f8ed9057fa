/* efault.c — system calls given bad pointers answer -EFAULT (14) and the process goes on. */
#include "ulib.h"
void cmain(long *sp)
{
    (void)sp;
    if (u_write(1, (void *)0x10, 5) != -14) u_exit(30);
    if (u_write(1, (void *)0xffff888000000000UL, 5) != -14) u_exit(31);
    if (u_open((const char *)0x20, O_RDONLY) != -14) u_exit(32);
    if (u_read(0, (void *)0x7fffffffffffUL, 1) != -14 && u_read(0, (void *)0x7fffffffffffUL, 1) != 0) u_exit(33);
    u_write(1, "efault ok\n", 10);
    u_exit(0);
}
