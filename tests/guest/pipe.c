/* pipe.c — a pipe between parent and child carries 256 KiB intact (the
 * writer waits while the pipe is full), and the bytes in pipes take pages
 * of the machine's memory: 64 pipes holding 64 KiB each (4 MiB) lower
 * MemFree by more than the per-CPU lists could have served (2 MiB). */
#include "ulib.h"
#ifdef __x86_64__
#define NR_pipe 22
#else
#define NR_pipe 42
#endif
static char fbuf[8192];
static long memfree_kb(void)
{
    readfile("/proc/meminfo", fbuf, sizeof fbuf);
    return field_kb(fbuf, "MemFree");
}
void cmain(long *sp)
{
    (void)sp;
    int fds[2];
    static unsigned char block[4096];
    if (sc1(NR_pipe, fds)) u_exit(50);
    long pid = sc0(SYS_fork);
    if (pid == 0) {
        u_close(fds[0]);
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 4096; j++) block[j] = (unsigned char)(i * 31 + j);
            if (u_write(fds[1], block, 4096) != 4096) u_exit(51);
        }
        u_exit(0);
    }
    u_close(fds[1]);
    long total = 0, r;
    unsigned char in[1000];
    while ((r = u_read(fds[0], in, sizeof in)) > 0) {
        for (long k = 0; k < r; k++) {
            long at = total + k;
            if (in[k] != (unsigned char)((at / 4096) * 31 + at % 4096)) u_exit(52);
        }
        total += r;
    }
    if (r != 0 || total != 64 * 4096) u_exit(53);
    int st;
    if (u_wait4(pid, &st, 0, 0) != pid || st != 0) u_exit(54);
    u_close(fds[0]);
    long before = memfree_kb();
    for (int p = 0; p < 64; p++) {
        if (sc1(NR_pipe, fds)) u_exit(55);
        for (int i = 0; i < 16; i++)
            if (u_write(fds[1], block, 4096) != 4096) u_exit(56);
    }
    long after = memfree_kb();
    if (before - after < 2048) u_exit(57);
    u_write(1, "pipe ok\n", 8);
    u_exit(0);
}
