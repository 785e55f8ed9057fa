/* tlb.c — a page written (its translation cached), made read-only, written again: SIGSEGV. */
#include "ulib.h"
static char page[4096] __attribute__((aligned(4096)));
void cmain(long *sp)
{
    (void)sp;
    volatile char *p = page;
    p[0] = 1;
    if (sc3(SYS_mprotect, (long)page, 4096, PROT_READ)) u_exit(5);
    p[0] = 2;                                   /* must fault: the process dies of SIGSEGV */
    u_exit(1);
}
