/* tools/oracle/guest-user/pagemapprobe.c — /proc/self/pagemap in the real
 * kernel: the flags of each page of a small mapping as it is written, read,
 * shared with a forked child, and of the program's own text; and the
 * errors of a misaligned read. PFNs are printed only as zero or not (they
 * differ between machines); every flag is printed.
 *
 *   pagemapprobe
 *
 * Steps: P1 16 pages mapped, none touched; P2 pages 0-7 written, page 8
 * read (the zero page), page 9 written then MADV_DONTNEED; P3 after fork
 * (the child pause()s); P4 the child gone; the text page of cmain; E the
 * errors: an offset not a multiple of 8, a count not a multiple of 8, and
 * an offset past the end of user space.
 */
#include "ulib.h"

#define MADV_DONTNEED 4
#if defined(__x86_64__)
#define SYS_pause_ 34
#else
#define SYS_pause_ 29
#endif

static int fd;
static ulong base;

static void show(const char *tag, ulong addr, ulong n)
{
    static u64 e[64];
    ulong i;
    long r = u_lseek(fd, (long)(addr / PAGE * 8), 0);
    if (r < 0) { oputs(tag); oputs(" lseek "); oresult(r); oputc('\n'); return; }
    r = u_read(fd, e, n * 8);
    oputs(tag); oputs(" read "); odec(r); oputc('\n');
    for (i = 0; r > 0 && i < (ulong)r / 8; i++) {
        u64 v = e[i];
        oputs(tag); oputs(" page "); oudec(i);
        oputs(v >> 63 & 1 ? " present" : "");
        oputs(v >> 62 & 1 ? " swap" : "");
        oputs(v >> 61 & 1 ? " file" : "");
        oputs(v >> 56 & 1 ? " exclusive" : "");
        oputs(v >> 55 & 1 ? " soft-dirty" : "");
        oputs((v & ((1ULL << 55) - 1)) ? " frame" : " no-frame");
        oputc('\n');
    }
    oflush();
}

void cmain(long *sp)
{
    long a, r, pid;
    int st = 0;
    static u64 buf[4];

    (void)sp;
    fd = (int)u_open("/proc/self/pagemap", 0);
    if (fd < 0) { oputs("open: "); oresult(fd); oputc('\n'); oflush(); u_exit(1); }
    a = u_mmap(0, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (a < 0 && a > -4096) { oputs("mmap: "); oresult(a); oputc('\n'); oflush(); u_exit(1); }
    base = (ulong)a;
    oputs("pagemapprobe " ARCH "\n");
    show("P1", base, 16);
    for (ulong i = 0; i < 8; i++) *(volatile char *)(base + i * PAGE) = 1;
    (void)*(volatile char *)(base + 8 * PAGE);
    *(volatile char *)(base + 9 * PAGE) = 1;
    r = sc3(SYS_madvise, base + 9 * PAGE, PAGE, MADV_DONTNEED);
    oputs("P2 dontneed "); odec(r); oputc('\n');
    show("P2", base, 16);
    pid = u_fork();
    if (pid == 0) {
        for (;;) sc0(SYS_pause_);
    }
    show("P3", base, 16);
    u_kill(pid, SIGKILL);
    u_wait4(pid, &st, 0, 0);
    show("P4", base, 16);
    show("TEXT", (ulong)cmain & ~(PAGE - 1), 1);
    r = u_lseek(fd, (long)(base / PAGE * 8 + 4), 0);
    r = u_read(fd, buf, 8);
    oputs("E misaligned offset read "); odec(r); if (r < 0) { oputc(' '); oresult(r); } oputc('\n');
    r = u_lseek(fd, (long)(base / PAGE * 8), 0);
    r = u_read(fd, buf, 12);
    oputs("E count 12 read "); odec(r); if (r < 0) { oputc(' '); oresult(r); } oputc('\n');
#if defined(__x86_64__)
    r = u_lseek(fd, (long)((0x800000000000UL / PAGE) * 8), 0);
#else
    r = u_lseek(fd, (long)((0xc0000000UL / PAGE) * 8), 0);
#endif
    r = u_read(fd, buf, 8);
    oputs("E past user space read "); odec(r); if (r < 0) { oputc(' '); oresult(r); } oputc('\n');
    oflush();
    u_exit(0);
}
