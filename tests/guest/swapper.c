/* swapper.c — swap from inside a program: swapon(2) of the swap file named
 * in argv[1] (made with mkswap), 1.5 times argv[2] MiB of anonymous memory
 * written with a pattern (argv[2]: about RAM, so some of it must go to swap)
 * and read back, then swapoff(2). Prints "swapon 0", "pswpout moved",
 * "pages checked N bad 0", "swapoff 0"; exits 0 when all of it held —
 * pages went out to swap, every one came back right, swapoff worked. */
#include "ulib.h"

static ulong atou(const char *s)
{
    ulong v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (ulong)(*s++ - '0');
    return v;
}

/* The value of "pswpout N" in /proc/vmstat. */
static ulong pswpout(void)
{
    static char buf[16384];
    int fd = (int)u_open("/proc/vmstat", 0);
    long n = fd < 0 ? -1 : u_read(fd, buf, sizeof(buf) - 1);
    if (fd >= 0)
        u_close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    for (char *p = buf; *p; p++)
        if ((p == buf || p[-1] == '\n') && u_startswith(p, "pswpout "))
            return atou(p + 8);
    return 0;
}

void cmain(long *sp)
{
    char **argv = (char **)(sp + 1);
    if (sp[0] < 3)
        u_exit(2);
    long r = u_swapon(argv[1], 0);
    oputs("swapon "); oudec((ulong)(r < 0 ? -r : r)); oputc('\n');
    if (r)
        u_exit(1);
    ulong before = pswpout();
    ulong len = atou(argv[2]) * 1024 * 1024 * 3 / 2;
    long a = u_mmap(0, len, 3, 0x22, -1, 0);
    if (a < 0 && a > -4096)
        u_exit(3);
    for (ulong off = 0; off < len; off += PAGE)
        *(volatile ulong *)(a + off) = off * 2654435761UL + 12345;
    int moved = pswpout() > before;
    if (moved)
        oputs("pswpout moved\n");
    ulong bad = 0, n = 0;
    for (ulong off = 0; off < len; off += PAGE, n++)
        bad += *(volatile ulong *)(a + off) != off * 2654435761UL + 12345;
    oputs("pages checked "); oudec(n); oputs(" bad "); oudec(bad); oputc('\n');
    u_munmap((ulong)a, len);
    r = u_swapoff(argv[1]);
    oputs("swapoff "); oudec((ulong)(r < 0 ? -r : r)); oputc('\n');
    oflush();
    u_exit(bad || r || !moved ? 1 : 0);
}
