/* sighandler.c — a SIGSEGV handler sees si_code and si_addr, skips the access, returns. */
#include "ulib.h"
static volatile unsigned long seen_addr;
static volatile int seen_code, seen_sig;
static void handler(int sig, void *si, void *uc)
{
    seen_sig = sig;
    seen_code = si_code(si);
    seen_addr = si_addr(si);
    *uc_ip(uc) = (unsigned long)probe_fail;     /* resume where the probe reports failure */
}
void cmain(long *sp)
{
    (void)sp;
    if (u_sigaction(SIGSEGV, (void *)handler, SA_SIGINFO)) u_exit(20);
    long r = probe_rd(0x10000);                 /* nothing mapped at 64 KiB */
    if (r != -1) u_exit(21);
    if (seen_sig != SIGSEGV) u_exit(22);
    if (seen_code != 1) u_exit(23);             /* SEGV_MAPERR */
    if (seen_addr != 0x10000) u_exit(24);
    u_write(1, "handler ok\n", 11);
    u_exit(0);
}
