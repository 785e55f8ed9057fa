/* kernel_read.c — a load from the direct map (a kernel address): SIGSEGV from the U/S check. */
#include "ulib.h"
void cmain(long *sp)
{
    (void)sp;
#ifdef __x86_64__
    probe_rd(0xffff888000100000UL);
#else
    probe_rd(0xc0100000UL);                     /* PAGE_OFFSET + 1 MiB */
#endif
    u_exit(1);
}
