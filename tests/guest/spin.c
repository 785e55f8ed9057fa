/* spin.c — never stops on its own: --timeout must. */
#include "ulib.h"
void cmain(long *sp)
{
    (void)sp;
    for (volatile unsigned long i = 0;; i++)
        ;
}
