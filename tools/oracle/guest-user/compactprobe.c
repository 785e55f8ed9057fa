/* tools/oracle/guest-user/compactprobe.c — fragmentation and compaction in
 * the real kernel (and, run with `mmsim --exec`, in mmsim): the same steps,
 * the same reports, to be compared.
 *
 *   compactprobe MIB [compact]
 *
 * Maps two private anonymous areas of MIB each (MADV_NOHUGEPAGE: base
 * pages), writes a per-page pattern into the pages of both in a seeded
 * random order (so their frames interleave), then gives back 63 of every
 * 64 pages of the second with MADV_DONTNEED: free memory is left in single
 * pages between the first area's. With "compact" it then writes 1 to
 * /proc/sys/vm/compact_memory and checks every byte of the first area.
 *
 * Reports, each a section:
 *   ===TAG_BUDDYINFO   /proc/buddyinfo
 *   ===TAG_UNUSABLE    /sys/kernel/debug/extfrag/unusable_index
 *   ===TAG_EXTFRAG     /sys/kernel/debug/extfrag/extfrag_index
 *   ===TAG_VMSTAT      the compact_* and pgmigrate_* lines of /proc/vmstat
 *   ===TAG_SELF        pages checked and bad so far
 * TAG is BOOT (before anything), FRAGMENTED and COMPACTED. The debugfs
 * files need debugfs mounted on /sys/kernel/debug (guest-compact.sh does).
 */
#include "ulib.h"

#define MADV_DONTNEED 4
#define MADV_NOHUGEPAGE 15

static char fbuf[64 * 1024];
static ulong checked, bad;

static long u_madvise(ulong a, ulong l, long advice) { return sc3(SYS_madvise, a, l, advice); }

static void put_file(const char *tag, const char *sec, const char *path)
{
    long n;
    osection(tag, sec);
    n = readfile(path, fbuf, sizeof fbuf);
    if (n < 0) { oputs(path); oputs(": "); oresult(n); oputc('\n'); return; }
    oputn(fbuf, (ulong)n);
}

static void put_vmstat(const char *tag)
{
    long n = readfile("/proc/vmstat", fbuf, sizeof fbuf);
    const char *s = fbuf;
    osection(tag, "_VMSTAT");
    if (n < 0) { oputs("/proc/vmstat: "); oresult(n); oputc('\n'); return; }
    while (*s) {
        const char *e = s;
        while (*e && *e != '\n') e++;
        if (u_startswith(s, "compact_") || u_startswith(s, "pgmigrate_")) {
            oputn(s, (ulong)(e - s));
            oputc('\n');
        }
        s = *e ? e + 1 : e;
    }
}

static void report(const char *tag)
{
    put_file(tag, "_BUDDYINFO", "/proc/buddyinfo");
    put_file(tag, "_UNUSABLE", "/sys/kernel/debug/extfrag/unusable_index");
    put_file(tag, "_EXTFRAG", "/sys/kernel/debug/extfrag/extfrag_index");
    put_vmstat(tag);
    osection(tag, "_SELF");
    oputs("checked "); oudec(checked); oputs(" bad "); oudec(bad); oputc('\n');
    oflush();
}

static u64 rng = 0x9e3779b97f4a7c15ULL;
static u64 next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The pattern of a page: its address in every word, xor a constant. */
static void fill(ulong addr)
{
    ulong *p = (ulong *)addr;
    for (ulong i = 0; i < PAGE / sizeof(ulong); i++)
        p[i] = (addr + i) ^ (ulong)0x5a5a5a5a5a5a5a5aULL;
}

static void check(ulong addr)
{
    const ulong *p = (const ulong *)addr;
    checked++;
    for (ulong i = 0; i < PAGE / sizeof(ulong); i++)
        if (p[i] != ((addr + i) ^ (ulong)0x5a5a5a5a5a5a5a5aULL)) { bad++; return; }
}

void cmain(long *sp)
{
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    if (argc < 2) { oputs("usage: compactprobe MIB [compact]\n"); oflush(); u_exit(2); }
    ulong len = parse_num(argv[1], 10, 0) * MiB;
    int compact = argc > 2 && u_streq(argv[2], "compact");

    report("BOOT");
    long a = u_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    long c = u_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (a < 0 && a > -4096) { oputs("mmap: "); oresult(a); oputc('\n'); oflush(); u_exit(1); }
    if (c < 0 && c > -4096) { oputs("mmap: "); oresult(c); oputc('\n'); oflush(); u_exit(1); }
    u_madvise((ulong)a, len, MADV_NOHUGEPAGE);
    u_madvise((ulong)c, len, MADV_NOHUGEPAGE);
    ulong ao = 0, co = 0;
    while (ao < len || co < len) {
        int to_a = co >= len || (ao < len && (next_rand() & 1));
        if (to_a) { fill((ulong)a + ao); ao += PAGE; }
        else { fill((ulong)c + co); co += PAGE; }
    }
    for (ulong off = 0; off < len; off += PAGE)
        if ((off / PAGE) % 64)
            u_madvise((ulong)c + off, PAGE, MADV_DONTNEED);
    report("FRAGMENTED");
    if (compact) {
        long fd = u_open("/proc/sys/vm/compact_memory", O_RDWR);
        long r = fd < 0 ? fd : u_write((int)fd, "1\n", 2);
        osection("COMPACT_MEMORY", 0);
        oputs("write "); oresult(r); oputc('\n');
        if (fd >= 0) u_close((int)fd);
        for (ulong off = 0; off < len; off += PAGE)
            check((ulong)a + off);
        report("COMPACTED");
    }
    oflush();
    u_exit(0);
}
