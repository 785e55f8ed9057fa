/* hello.c — write to the console, exit 7. */
#include "ulib.h"
void cmain(long *sp)
{
    (void)sp;
    u_write(1, "hello from a real CPU\n", 22);
    u_exit(7);
}
