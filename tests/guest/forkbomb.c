/* forkbomb.c — as uid 1000 with RLIMIT_NPROC 8, fork until refused: -EAGAIN
 * (11) after 7 children (the limit counts the parent), then reap them all. */
#include "ulib.h"
#ifdef __x86_64__
#define NR_sched_yield 24
#else
#define NR_sched_yield 158
#endif
void cmain(long *sp)
{
    (void)sp;
    struct rlim64 lim = { 8, 8 };
    if (u_prlimit(6 /* RLIMIT_NPROC */, &lim, 0)) u_exit(40);
    if (sc3(SYS_setresuid, 1000, 1000, 1000)) u_exit(41);
    int children = 0;
    long r;
    for (;;) {
        r = sc0(SYS_fork);
        if (r == 0) for (;;) sc0(NR_sched_yield);     /* wait to be killed */
        if (r < 0) break;
        children++;
        if (children > 100) u_exit(42);
    }
    if (r != -11) u_exit(43);
    if (children != 7) u_exit(44);
    /* Kill and reap them. */
    if (u_kill(-1, SIGKILL)) u_exit(45);
    int st;
    for (int i = 0; i < children; i++)
        if (u_wait4(-1, &st, 0, 0) < 0) u_exit(46);
    if (u_wait4(-1, &st, 0, 0) != -10) u_exit(47);   /* ECHILD */
    u_write(1, "forkbomb ok\n", 12);
    u_exit(0);
}
