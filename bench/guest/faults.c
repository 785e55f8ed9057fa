/* faults.c — 64 MiB mapped, kept to 4 KiB pages (MADV_NOHUGEPAGE: with THP
 * the kernel would take 32 faults instead), and written a page at a time:
 * 16,384 first-touch page faults, the page-fault round trip. */
#include "ulib.h"
#define MADV_NOHUGEPAGE 15
void cmain(long *sp)
{
    (void)sp;
    long a = u_mmap(0, 64 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (a < 0 && a > -4096)
        u_exit(1);
    if (sc3(SYS_madvise, a, 64 * MiB, MADV_NOHUGEPAGE))
        u_exit(2);
    for (unsigned long off = 0; off < 64 * MiB; off += PAGE)
        *(volatile char *)(a + off) = 1;
    u_exit(0);
}
