/* tools/oracle/guest-user/swapprobe.c — memory pressure in the real kernel:
 * what swap-out, swap-in and page-cache reclaim do to the counters.
 *
 *   swapprobe anon MIB     mmap MIB of private anonymous memory, write a
 *                          per-page pattern into every byte of it, read it
 *                          all back and check it
 *   swapprobe file PATH N  read(2) the file PATH from start to end, N times
 *
 * Before the first phase and after each one it prints a report:
 *   ===TAG_MEMINFO   /proc/meminfo
 *   ===TAG_VMSTAT    /proc/vmstat, all of it
 *   ===TAG_DELTA     the /proc/vmstat lines that changed since the last
 *                    report, as "name +delta" (nothing in the first report)
 *   ===TAG_SWAPS     /proc/swaps
 *   ===TAG_ZONEINFO  /proc/zoneinfo's zone lines: "Node N, zone NAME",
 *                    pages free, boost, min, low, high, managed,
 *                    protection, nr_free_pages and the nr_zone_* counters
 *   ===TAG_SELF      VmSize/VmRSS/RssAnon/RssFile/VmSwap of this process,
 *                    getrusage minflt/majflt (with deltas) and, for anon,
 *                    the pages checked and bad so far
 * TAG is ANON_MAPPED, ANON_WRITTEN, ANON_READ (anon) or FILE_START,
 * FILE_PASS1, FILE_PASS2 ... (file).  The program's own buffers are all in
 * .bss and touched before the first report, so the reports themselves fault
 * (almost) nothing.
 */
#include "ulib.h"

#define BUF (96 * 1024)
static char fbuf[BUF];                 /* one /proc file */
static char vm_prev[BUF], vm_cur[BUF]; /* /proc/vmstat, last report and now */
static char rbuf[64 * 1024];           /* read(2) buffer of the file mode */
static long ru[18];                    /* struct rusage: 2 timevals + 14 longs */
static long minflt_prev, majflt_prev;
static ulong checked, bad;

static void put_file(const char *tag, const char *sec, const char *path)
{
    long n;
    osection(tag, sec);
    n = readfile(path, fbuf, sizeof fbuf);
    if (n < 0) { oputs(path); oputs(": "); oresult(n); oputc('\n'); return; }
    oputn(fbuf, (ulong)n);
}

/* value of "name N" in a /proc/vmstat text, or -1 */
static long vm_value(const char *buf, const char *name, ulong len)
{
    const char *s = buf;
    while (*s) {
        if (memcmp(s, name, len) == 0 && s[len] == ' ')
            return (long)parse_num(s + len + 1, 10, 0);
        while (*s && *s != '\n') s++;
        if (*s) s++;
    }
    return -1;
}

static void put_delta(const char *tag, int first)
{
    const char *s = vm_cur;
    osection(tag, "_DELTA");
    while (!first && *s) {
        const char *name = s, *e;
        ulong len = 0;
        long now, was;
        while (s[len] && s[len] != ' ' && s[len] != '\n') len++;
        now = (long)parse_num(s + len + 1, 10, &e);
        was = vm_value(vm_prev, name, len);
        if (was != now) {
            oputn(name, len);
            oputc(' ');
            if (now >= was) oputc('+');
            odec(now - was);
            oputc('\n');
        }
        s = e;
        while (*s && *s != '\n') s++;
        if (*s) s++;
    }
}

/* the zone lines of /proc/zoneinfo: skip the per-node stats and pagesets */
static void put_zoneinfo(const char *tag)
{
    const char *s = fbuf;
    osection(tag, "_ZONEINFO");
    if (readfile("/proc/zoneinfo", fbuf, sizeof fbuf) < 0) return;
    while (*s) {
        const char *l = s, *t;
        ulong len = 0;
        while (l[len] && l[len] != '\n') len++;
        t = l;
        while (*t == ' ') t++;
        if (u_startswith(l, "Node ") || u_startswith(t, "pages free") ||
            u_startswith(t, "boost ") || u_startswith(t, "min ") ||
            u_startswith(t, "low ") || u_startswith(t, "high ") ||
            u_startswith(t, "managed ") || u_startswith(t, "protection:") ||
            u_startswith(t, "nr_free_pages ") || u_startswith(t, "nr_zone_")) {
            oputn(l, len);
            oputc('\n');
        }
        s = l + len;
        if (*s) s++;
    }
}

static void put_self(const char *tag, int anon)
{
    static const char *const f[] = { "VmSize", "VmRSS", "RssAnon", "RssFile", "VmSwap" };
    ulong i;
    osection(tag, "_SELF");
    readfile("/proc/self/status", fbuf, sizeof fbuf);
    for (i = 0; i < sizeof f / sizeof f[0]; i++) {
        oputs(f[i]); oputs(": "); odec(field_kb(fbuf, f[i])); oputs(" kB\n");
    }
    u_getrusage(0, ru);
    /* ru_minflt and ru_majflt follow the two timevals and 4 longs */
    oputs("minflt "); odec(ru[2 * 2 + 4]); oputs(" (+"); odec(ru[2 * 2 + 4] - minflt_prev); oputs(")\n");
    oputs("majflt "); odec(ru[2 * 2 + 5]); oputs(" (+"); odec(ru[2 * 2 + 5] - majflt_prev); oputs(")\n");
    minflt_prev = ru[2 * 2 + 4];
    majflt_prev = ru[2 * 2 + 5];
    if (anon) {
        oputs("pages checked "); oudec(checked); oputs(" bad "); oudec(bad); oputc('\n');
    }
}

static void report(const char *tag, int anon)
{
    static int first = 1;
    put_file(tag, "_MEMINFO", "/proc/meminfo");
    readfile("/proc/vmstat", vm_cur, sizeof vm_cur);
    osection(tag, "_VMSTAT");
    oputs(vm_cur);
    put_delta(tag, first);
    memcpy(vm_prev, vm_cur, sizeof vm_prev);
    put_file(tag, "_SWAPS", "/proc/swaps");
    put_zoneinfo(tag);
    put_self(tag, anon);
    oflush();
    first = 0;
}

/* the pattern: every word of page i depends on i and the word's index */
static inline ulong pattern(ulong page, ulong word)
{
    return (page * 0x9e3779b1UL) ^ (word << 20) ^ 0x5a5a5a5aUL;
}

static int run_anon(ulong mib)
{
    ulong len = mib * MiB, pages = len / PAGE, i, j;
    long a = u_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (a < 0 && a > -4096) { oputs("mmap: "); oresult(a); oputc('\n'); oflush(); return 1; }
    oputs("swapprobe anon "); oudec(mib); oputs(" MiB at "); ohex((ulong)a);
    oputs(", "); oudec(pages); oputs(" pages\n");
    report("ANON_MAPPED", 1);
    for (i = 0; i < pages; i++) {
        ulong *p = (ulong *)((ulong)a + i * PAGE);
        for (j = 0; j < PAGE / sizeof(ulong); j++) p[j] = pattern(i, j);
    }
    report("ANON_WRITTEN", 1);
    for (i = 0; i < pages; i++) {
        const ulong *p = (const ulong *)((ulong)a + i * PAGE);
        for (j = 0; j < PAGE / sizeof(ulong); j++)
            if (p[j] != pattern(i, j)) break;
        checked++;
        if (j != PAGE / sizeof(ulong)) bad++;
    }
    report("ANON_READ", 1);
    return bad != 0;
}

static int run_file(const char *path, ulong passes)
{
    static char tag[32];
    ulong pass, total = 0;
    oputs("swapprobe file "); oputs(path); oputc('\n');
    report("FILE_START", 0);
    for (pass = 1; pass <= passes; pass++) {
        long fd = u_open(path, O_RDONLY), r;
        ulong n = 0, k = 0;
        if (fd < 0) { oputs(path); oputs(": "); oresult(fd); oputc('\n'); oflush(); return 1; }
        while ((r = u_read((int)fd, rbuf, sizeof rbuf)) > 0) n += (ulong)r;
        u_close((int)fd);
        total += n;
        memcpy(tag, "FILE_PASS", 9);
        k = 9;
        if (pass >= 10) tag[k++] = (char)('0' + pass / 10);
        tag[k++] = (char)('0' + pass % 10);
        tag[k] = 0;
        oputs("read "); oudec(n); oputs(" bytes\n");
        report(tag, 0);
    }
    return total == 0;
}

void cmain(long *sp)
{
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    /* touch the report buffers now, so that reports do not fault them in */
    memset(fbuf, 1, sizeof fbuf);
    memset(vm_prev, 0, sizeof vm_prev);
    memset(vm_cur, 0, sizeof vm_cur);
    memset(rbuf, 0, sizeof rbuf);
    if (argc == 3 && u_streq(argv[1], "anon"))
        u_exit(run_anon(parse_num(argv[2], 10, 0)));
    if (argc == 4 && u_streq(argv[1], "file"))
        u_exit(run_file(argv[2], parse_num(argv[3], 10, 0)));
    oputs("usage: swapprobe anon MIB | swapprobe file PATH PASSES\n");
    oflush();
    u_exit(2);
}
