/* cow.c — fork; the child's store is its own; the parent reaps it with status 3 << 8. */
#include "ulib.h"
static volatile long shared_value = 1;
void cmain(long *sp)
{
    (void)sp;
    long pid = sc0(SYS_fork);
    if (pid < 0) u_exit(10);
    if (pid == 0) {
        shared_value = 2;                       /* a copy-on-write fault in the child */
        u_exit(shared_value == 2 ? 3 : 11);
    }
    int st = 0;
    long r = u_wait4(pid, &st, 0, 0);
    if (r != pid) u_exit(12);
    if (st != 0x300) u_exit(13);
    if (shared_value != 1) u_exit(14);          /* the parent's page is untouched */
    u_write(1, "cow ok\n", 7);
    u_exit(0);
}
