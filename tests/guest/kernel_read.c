/* kernel_read.c — a load from the direct map (a kernel address): SIGSEGV from the U/S check. */
#include "ulib.h"
void cmain(long *sp)
{
    (void)sp;
    probe_rd(0xffff888000100000UL);
    u_exit(1);
}
