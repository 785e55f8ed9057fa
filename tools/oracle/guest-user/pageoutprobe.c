/* tools/oracle/guest-user/pageoutprobe.c — madvise(MADV_PAGEOUT) in the real
 * kernel: what it does to anonymous pages with and without swap, to pages
 * shared with a forked child, and to an mlocked range.
 *
 *   pageoutprobe [MIB]     (default 16)
 *   pageoutprobe MIB thp   (the THP steps below instead)
 *
 * Steps (each followed by a report):
 *   1 WRITTEN       mmap MIB private anonymous, MADV_NOHUGEPAGE, write a
 *                   per-page pattern into every word
 *   3 PAGEOUT_HALF  madvise(addr, MIB/2, MADV_PAGEOUT)
 *   3b SETTLED      1 s later (async swap writeback finished)
 *   4 REREAD        read all MIB back and check the pattern
 *   5 FORK_PAGEOUT  fork; the child pause()s; the parent madvises all MIB
 *                   MADV_PAGEOUT while the child is alive
 *   5b CHILD_GONE   the child killed and reaped
 *   5c PAGEOUT_ALL  madvise(addr, MIB, MADV_PAGEOUT) again, no child
 *   6 MLOCK         mlock(addr, 1 MiB), then MADV_PAGEOUT of [addr, +1M),
 *                   [addr, +2M) and [addr+1M, +1M)
 *   7 ERRNO         MADV_PAGEOUT of an unaligned start, of length 0, of a
 *                   range running past the mapping into the next VMA up,
 *                   and of 3 written pages whose middle one is unmapped
 * With "thp" the mapping is 2 MiB aligned and left to THP (no
 * MADV_NOHUGEPAGE), and the steps are:
 *   T1 WRITTEN      the pattern written: huge pages where THP gives them
 *   T2 PAGEOUT_PMD  madvise(base, 4 MiB, MADV_PAGEOUT): two whole huge pages
 *   T3 PAGEOUT_PART madvise(base + 5 MiB, 512 KiB, MADV_PAGEOUT): part of one
 *   T4 COLD_PMD     madvise(base + 8 MiB, 2 MiB, MADV_COLD)
 *   T5 COLD_PART    madvise(base + 11 MiB, 256 KiB, MADV_COLD)
 *   T6 REREAD       all of it read back and checked
 * (each pageout followed by a report 1 s later, when writeback is done).
 * A report ===TAG prints the labelled vmstat counters (value and delta since
 * the previous report), every other vmstat line that changed, the
 * Rss/Anonymous/Swap lines of /proc/self/smaps_rollup and of the probe
 * VMA(s) in /proc/self/smaps, a few /proc/meminfo lines and rusage faults.
 */
#include "ulib.h"

#define MADV_NOHUGEPAGE 15
#define MADV_COLD 20
#define MADV_PAGEOUT 21

#if defined(__x86_64__)
#define SYS_pause_ 34
#define SYS_nanosleep_ 35
#else
#define SYS_pause_ 29
#define SYS_nanosleep_ 162
#endif

#define BUF (96 * 1024)
static char fbuf[BUF];
static char vm_prev[BUF], vm_cur[BUF];
static long ru[18];
static long minflt_prev, majflt_prev;
static ulong base, len;

static long vm_value(const char *buf, const char *name, ulong n)
{
    const char *s = buf;
    while (*s) {
        if (memcmp(s, name, n) == 0 && s[n] == ' ')
            return (long)parse_num(s + n + 1, 10, 0);
        while (*s && *s != '\n') s++;
        if (*s) s++;
    }
    return -1;
}

static const char *const watched[] = {
    "pgactivate", "pgdeactivate", "pswpout", "pswpin", "pgsteal_anon",
    "pgscan_anon", "pgrefill", "pgmajfault", "nr_active_anon",
    "nr_inactive_anon", "nr_anon_pages", "nr_writeback", "pgrotated",
    "nr_isolated_anon", "pgfault", "workingset_refault_anon",
    "workingset_activate_anon", "pgsteal_direct", "pgsteal_kswapd",
    "pgscan_direct", "pgscan_kswapd", "thp_split_page", "nr_unevictable",
    "nr_mlock", "unevictable_pgs_mlocked", "unevictable_pgs_culled",
};

static int is_watched(const char *name, ulong n)
{
    ulong i;
    for (i = 0; i < sizeof watched / sizeof watched[0]; i++)
        if (u_strlen(watched[i]) == n && memcmp(watched[i], name, n) == 0) return 1;
    return 0;
}

static void put_lines(const char *buf, const char *const *names, ulong nn, const char *prefix)
{
    ulong i;
    for (i = 0; i < nn; i++) {
        oputs(prefix); oputs(names[i]); oputs(": ");
        odec(field_kb(buf, names[i])); oputs(" kB\n");
    }
}

/* Rss/Anonymous/Swap of every smaps entry that lies inside [base, base+len) */
static void put_vma_smaps(void)
{
    static const char *const f[] = { "Rss", "Anonymous", "Swap", "SwapPss", "Locked" };
    const char *s = fbuf;
    if (readfile("/proc/self/smaps", fbuf, sizeof fbuf) < 0) { oputs("smaps: unreadable\n"); return; }
    while (*s) {
        const char *l = s, *e;
        ulong start = parse_num(l, 16, &e), end = 0, n = 0;
        if (*e == '-') end = parse_num(e + 1, 16, 0);
        while (l[n] && l[n] != '\n') n++;
        s = l + n;
        if (*s) s++;
        if (*e == '-' && start >= base && end <= base + len && end > start) {
            const char *q = s;
            ulong i;
            oputs("vma "); ohex(start); oputc('-'); ohex(end);
            oputs(" ("); oudec((end - start) / 1024); oputs(" kB)");
            for (i = 0; i < sizeof f / sizeof f[0]; i++) {
                /* field_kb searches from q; the entry's lines come first */
                long v = field_kb(q, f[i]);
                oputc(' '); oputs(f[i]); oputc('='); odec(v);
            }
            oputc('\n');
        }
    }
}

static void report(const char *tag)
{
    static const char *const rollup[] = { "Rss", "Anonymous", "Swap", "SwapPss", "Locked" };
    static const char *const mem[] = { "MemFree", "Active(anon)", "Inactive(anon)",
                                       "Unevictable", "Mlocked", "SwapTotal", "SwapFree",
                                       "SwapCached", "Dirty", "Writeback", "AnonPages" };
    static int first = 1;
    const char *s;
    ulong i;

    osection(tag, 0);
    readfile("/proc/vmstat", vm_cur, sizeof vm_cur);
    for (i = 0; i < sizeof watched / sizeof watched[0]; i++) {
        ulong n = u_strlen(watched[i]);
        long now = vm_value(vm_cur, watched[i], n), was = vm_value(vm_prev, watched[i], n);
        oputs("vmstat "); oputs(watched[i]); oputc(' '); odec(now);
        if (!first) { oputs(" ("); if (now >= was) oputc('+'); odec(now - was); oputc(')'); }
        oputc('\n');
    }
    /* the other lines that changed */
    s = vm_cur;
    while (!first && *s) {
        const char *name = s, *e;
        ulong n = 0;
        long now, was;
        while (s[n] && s[n] != ' ' && s[n] != '\n') n++;
        now = (long)parse_num(s + n + 1, 10, &e);
        was = vm_value(vm_prev, name, n);
        if (was != now && !is_watched(name, n)) {
            oputs("vmstat-other "); oputn(name, n); oputc(' ');
            if (now >= was) oputc('+');
            odec(now - was);
            oputc('\n');
        }
        s = e;
        while (*s && *s != '\n') s++;
        if (*s) s++;
    }
    memcpy(vm_prev, vm_cur, sizeof vm_prev);

    readfile("/proc/self/smaps_rollup", fbuf, sizeof fbuf);
    put_lines(fbuf, rollup, sizeof rollup / sizeof rollup[0], "rollup ");
    put_vma_smaps();
    readfile("/proc/meminfo", fbuf, sizeof fbuf);
    put_lines(fbuf, mem, sizeof mem / sizeof mem[0], "meminfo ");
    u_getrusage(0, ru);
    oputs("rusage minflt "); odec(ru[2 * 2 + 4]); oputs(" (+"); odec(ru[2 * 2 + 4] - minflt_prev); oputs(")\n");
    oputs("rusage majflt "); odec(ru[2 * 2 + 5]); oputs(" (+"); odec(ru[2 * 2 + 5] - majflt_prev); oputs(")\n");
    minflt_prev = ru[2 * 2 + 4];
    majflt_prev = ru[2 * 2 + 5];
    oflush();
    first = 0;
}

static inline ulong pattern(ulong page, ulong word)
{
    return (page * 0x9e3779b1UL) ^ (word << 20) ^ 0x5a5a5a5aUL;
}

static long do_madvise(const char *what, ulong a, ulong l, long advice)
{
    long r = sc3(SYS_madvise, a, l, advice);
    oputs(what); oputs(" madvise("); ohex(a); oputs(", "); oudec(l / 1024); oputs(" kB, ");
    odec(advice); oputs(") = "); odec(r);
    if (r < 0) { oputs(" "); oresult(r); }
    oputc('\n');
    oflush();
    return r;
}

static void sleep_s(long sec)
{
    long ts[2];
    ts[0] = sec; ts[1] = 0;
    sc2(SYS_nanosleep_, ts, 0);
}

static ulong check_pattern(ulong pages)
{
    ulong i, j, bad = 0;
    for (i = 0; i < pages; i++) {
        const ulong *p = (const ulong *)(base + i * PAGE);
        for (j = 0; j < PAGE / sizeof(ulong); j++)
            if (p[j] != pattern(i, j)) break;
        if (j != PAGE / sizeof(ulong)) bad++;
    }
    return bad;
}

/* The THP steps: whole and partial huge pages paged out and made cold. */
static void thp_steps(ulong mib)
{
    ulong pages, i, j, bad;
    long a;

    len = mib * MiB;
    pages = len / PAGE;
    a = u_mmap(0, len + 2 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (a < 0 && a > -4096) { oputs("mmap: "); oresult(a); oputc('\n'); oflush(); u_exit(1); }
    base = ((ulong)a + 2 * MiB - 1) & ~(2 * MiB - 1);
    oputs("pageoutprobe " ARCH " thp "); oudec(mib); oputs(" MiB at "); ohex(base);
    oputs(", "); oudec(pages); oputs(" pages\n");
    report("T0_MAPPED");
    for (i = 0; i < pages; i++) {
        ulong *p = (ulong *)(base + i * PAGE);
        for (j = 0; j < PAGE / sizeof(ulong); j++) p[j] = pattern(i, j);
    }
    report("T1_WRITTEN");
    do_madvise("t2 PAGEOUT_PMD", base, 4 * MiB, MADV_PAGEOUT);
    report("T2_PAGEOUT_PMD");
    sleep_s(1);
    report("T2B_SETTLED");
    do_madvise("t3 PAGEOUT_PART", base + 5 * MiB, 512 * 1024, MADV_PAGEOUT);
    report("T3_PAGEOUT_PART");
    sleep_s(1);
    report("T3B_SETTLED");
    do_madvise("t4 COLD_PMD", base + 8 * MiB, 2 * MiB, MADV_COLD);
    report("T4_COLD_PMD");
    do_madvise("t5 COLD_PART", base + 11 * MiB, 256 * 1024, MADV_COLD);
    report("T5_COLD_PART");
    bad = check_pattern(pages);
    oputs("t6 reread pages "); oudec(pages); oputs(" bad "); oudec(bad); oputc('\n');
    report("T6_REREAD");
    u_exit(bad != 0);
}

void cmain(long *sp)
{
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    ulong mib = 16, pages, i, j, bad = 0;
    long a, r, pid;
    int st = 0;

    if (argc >= 2) mib = parse_num(argv[1], 10, 0);
    memset(fbuf, 1, sizeof fbuf);
    memset(vm_prev, 0, sizeof vm_prev);
    memset(vm_cur, 0, sizeof vm_cur);
    if (argc >= 3 && argv[2][0] == 't')
        thp_steps(mib);
    len = mib * MiB;
    pages = len / PAGE;

    a = u_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (a < 0 && a > -4096) { oputs("mmap: "); oresult(a); oputc('\n'); oflush(); u_exit(1); }
    base = (ulong)a;
    oputs("pageoutprobe " ARCH " "); oudec(mib); oputs(" MiB at "); ohex(base);
    oputs(", "); oudec(pages); oputs(" pages\n");
    do_madvise("step1 NOHUGEPAGE", base, len, MADV_NOHUGEPAGE);
    report("STEP0_MAPPED");

    for (i = 0; i < pages; i++) {
        ulong *p = (ulong *)(base + i * PAGE);
        for (j = 0; j < PAGE / sizeof(ulong); j++) p[j] = pattern(i, j);
    }
    report("STEP1_WRITTEN");

    do_madvise("step3 PAGEOUT_HALF", base, len / 2, MADV_PAGEOUT);
    report("STEP3_PAGEOUT_HALF");
    sleep_s(1);
    report("STEP3B_SETTLED");

    for (i = 0; i < pages; i++) {
        const ulong *p = (const ulong *)(base + i * PAGE);
        for (j = 0; j < PAGE / sizeof(ulong); j++)
            if (p[j] != pattern(i, j)) break;
        if (j != PAGE / sizeof(ulong)) bad++;
    }
    oputs("step4 reread pages "); oudec(pages); oputs(" bad "); oudec(bad); oputc('\n');
    report("STEP4_REREAD");

    pid = u_fork();
    if (pid == 0) {
        for (;;) sc0(SYS_pause_);
    }
    if (pid < 0) { oputs("fork: "); oresult(pid); oputc('\n'); oflush(); u_exit(1); }
    oputs("step5 forked child "); odec(pid); oputc('\n');
    do_madvise("step5 PAGEOUT_ALL_WITH_CHILD", base, len, MADV_PAGEOUT);
    report("STEP5_FORK_PAGEOUT");
    u_kill(pid, SIGKILL);
    r = u_wait4(pid, &st, 0, 0);
    oputs("step5b wait4 = "); odec(r); oputs(" status "); ohex((ulong)st); oputc('\n');
    report("STEP5B_CHILD_GONE");
    do_madvise("step5c PAGEOUT_ALL_NO_CHILD", base, len, MADV_PAGEOUT);
    report("STEP5C_PAGEOUT_ALL");
    sleep_s(1);
    report("STEP5D_SETTLED");

    r = sc2(SYS_mlock, base, 1 * MiB);
    oputs("step6 mlock("); ohex(base); oputs(", 1024 kB) = "); odec(r);
    if (r < 0) { oputc(' '); oresult(r); }
    oputc('\n');
    report("STEP6_MLOCKED");
    do_madvise("step6 PAGEOUT_LOCKED", base, 1 * MiB, MADV_PAGEOUT);
    do_madvise("step6 PAGEOUT_LOCKED_PLUS_1M", base, 2 * MiB, MADV_PAGEOUT);
    do_madvise("step6 PAGEOUT_AFTER_LOCKED", base + 1 * MiB, 1 * MiB, MADV_PAGEOUT);
    report("STEP6_AFTER");

    do_madvise("step7 PAGEOUT_UNALIGNED", base + 1, PAGE, MADV_PAGEOUT);
    do_madvise("step7 PAGEOUT_LEN0", base, 0, MADV_PAGEOUT);
    /* the last page of the probe VMA and the page above it (with
     * norandmaps that is the next VMA up, see the maps below) */
    do_madvise("step7 PAGEOUT_PAST_END", base + len - PAGE, 2 * PAGE, MADV_PAGEOUT);
    /* a real hole: three written pages, the middle one unmapped */
    a = u_mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (a < 0 && a > -4096) { oputs("mmap3: "); oresult(a); oputc('\n'); }
    else {
        for (i = 0; i < 3; i++) *(volatile ulong *)((ulong)a + i * PAGE) = i + 1;
        r = u_munmap((ulong)a + PAGE, PAGE);
        oputs("step7 hole: 3 pages at "); ohex((ulong)a); oputs(", munmap middle = "); odec(r); oputc('\n');
        report("STEP7_HOLE_READY");
        do_madvise("step7 PAGEOUT_OVER_HOLE", (ulong)a, 3 * PAGE, MADV_PAGEOUT);
    }
    report("STEP7_ERRNO");
    osection("STEP7_MAPS", 0);
    if (readfile("/proc/self/maps", fbuf, sizeof fbuf) > 0) oputs(fbuf);
    oflush();

    bad = 0;
    for (i = 0; i < pages; i++) {
        const ulong *p = (const ulong *)(base + i * PAGE);
        for (j = 0; j < PAGE / sizeof(ulong); j++)
            if (p[j] != pattern(i, j)) break;
        if (j != PAGE / sizeof(ulong)) bad++;
    }
    oputs("step8 final reread pages "); oudec(pages); oputs(" bad "); oudec(bad); oputc('\n');
    report("STEP8_FINAL_REREAD");
    u_exit(bad != 0);
}
