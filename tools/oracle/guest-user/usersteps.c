/* tools/oracle/guest-user/usersteps.c — user address-space scenarios, step by step.
 *
 * usage: usersteps [steps|thp-read|file|stack|errno|overcommit]
 *
 * Each scenario does one memory operation at a time and, after each, prints
 * a "===NAME" section: a note (what was done, addresses and results), then
 *   --- rusage        getrusage(RUSAGE_SELF) ru_minflt ru_majflt ru_maxrss
 *   --- vmstat        pgfault, pgmajfault and thp_* lines of /proc/vmstat
 *   --- maps          /proc/self/maps
 *   --- status        the Vm* and Rss* lines of /proc/self/status
 *   --- smaps_rollup  /proc/self/smaps_rollup
 *   --- statm         /proc/self/statm
 *   --- smaps         the /proc/self/smaps entries of the scenario's range
 *   --- slabinfo      (STEPS_0_START, STEPS_6_BRK, CHILD_STEPS_7_FORK only) the
 *                     task_struct, mm_struct, vm_area_struct, anon_vma, ... rows
 * Counters are printed as "value (+delta since the previous report)".
 *
 * The program's own footprint is fixed: every buffer is in .bss, and at
 * start-up every page of every VMA of the program (text, data, bss and the
 * 16 stack pages below sp) is read, and written if writable, before the first
 * report.  Printing a report therefore faults no page, so the fault deltas
 * come from the step alone (the *_AGAIN sections show a delta of 0).
 *
 * Built without libc (see ulib.h).
 */
#include "ulib.h"

#define RUSAGE_SELF 0
#define MADV_NORMAL 0
#define MADV_DONTNEED 4
#define MADV_HUGEPAGE 14
#define PROT_GROWSDOWN 0x01000000
#define MAP_SYNC 0x80000

static char fbuf[64 * 1024];
static char altstk[64 * 1024] __attribute__((aligned(16)));
static const char *prefix = "";

/* ------------------------------------------------------ own footprint */
struct range { ulong lo, hi; int w; };
static struct range own[32];
static int nown;
static ulong stack_lo, stack_hi;        /* the [stack] VMA at start-up */

static ulong touch_range(const struct range *r)
{
    ulong a, n = 0;
    for (a = r->lo; a < r->hi; a += PAGE, n++) {
        volatile char *p = (volatile char *)a;
        char c = *p;
        if (r->w) *p = c;
    }
    return n;
}
/* parse "lo-hi perms" at the start of a maps line */
static const char *maps_line(const char *s, ulong *lo, ulong *hi, char *perms)
{
    const char *e;
    int i;
    *lo = parse_num(s, 16, &e);
    *hi = parse_num(e + 1, 16, &e);
    for (i = 0, e++; i < 4; i++) perms[i] = e[i];
    return e;
}
static int line_has(const char *s, const char *what)
{
    ulong n = u_strlen(what);
    for (; *s && *s != '\n'; s++) if (memcmp(s, what, n) == 0) return 1;
    return 0;
}
static void footprint_init(ulong sp)
{
    long n = readfile("/proc/self/maps", fbuf, sizeof fbuf);
    const char *s = fbuf;
    ulong lo, hi;
    char perms[4];
    int i;
    while (n > 0 && *s) {
        maps_line(s, &lo, &hi, perms);
        if (line_has(s, "[stack]")) {
            stack_lo = lo;
            stack_hi = hi;
            own[nown].lo = (sp & ~(PAGE - 1)) - 16 * PAGE;
            own[nown].hi = hi;
            own[nown].w = 1;
            nown++;
        } else if ((!line_has(s, "[") || line_has(s, "[heap]")) && perms[0] == 'r' && nown < 31) {
            /* not [vvar], [vdso], [vsyscall] (reading vvar pages may fault) */
            own[nown].lo = lo;
            own[nown].hi = hi;
            own[nown].w = perms[1] == 'w';
            nown++;
        }
        while (*s && *s != '\n') s++;
        if (*s) s++;
    }
    for (i = 0; i < nown; i++) touch_range(&own[i]);
}
static ulong retouch(void)
{
    ulong n = 0;
    int i;
    for (i = 0; i < nown; i++) if (own[i].w) n += touch_range(&own[i]);
    return n;
}

/* --------------------------------------------------------------- report */
static long ru[18];
static long prev_ru[3];
#define NVM 48
static ulong prev_vm[NVM];
static int have_prev_vm;

static void odelta(long now, long before)
{
    oputs(" (+");
    odec(now - before);
    oputs(")");
}
static void cat(const char *path)
{
    long n = readfile(path, fbuf, sizeof fbuf);
    if (n < 0) { oputs(path); oputs(" -> "); oresult(n); oputc('\n'); return; }
    oputn(fbuf, (ulong)n);
}
static void begin(const char *name)
{
    osection(prefix, name);
}
static void smaps_range(ulong lo, ulong hi)
{
    long n = readfile("/proc/self/smaps", fbuf, sizeof fbuf);
    const char *s = fbuf;
    int on = 0;
    oputs("--- smaps ");
    ohex(lo); oputc('-'); ohex(hi); oputc('\n');
    while (n > 0 && *s) {
        const char *line = s;
        if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')) {
            ulong a, b;
            char perms[4];
            maps_line(s, &a, &b, perms);
            on = a < hi && b > lo;
        }
        while (*s && *s != '\n') s++;
        if (*s) s++;
        if (on) oputn(line, (ulong)(s - line));
    }
}
/* the /proc/slabinfo rows of the per-process objects (a few reports only) */
static int with_slabs;
static void slab_lines(void)
{
    static const char *const names[] = {
        "task_struct ", "mm_struct ", "vm_area_struct ", "anon_vma ", "anon_vma_chain ",
        "files_cache ", "signal_cache ", "sighand_cache ", "pid ", "cred_jar ",
    };
    long n = readfile("/proc/slabinfo", fbuf, sizeof fbuf);
    const char *s;
    ulong i;
    oputs("--- slabinfo\n");
    for (s = fbuf; n > 0 && *s;) {
        const char *line = s;
        while (*s && *s != '\n') s++;
        if (*s) s++;
        for (i = 0; i < sizeof names / sizeof names[0]; i++)
            if (u_startswith(line, names[i])) oputn(line, (ulong)(s - line));
    }
}
/* the pgfault, pgmajfault and thp_* lines of /proc/vmstat, with deltas;
 * print == 0 only takes them as the new baseline */
static void vmstat_lines(int print)
{
    long n = readfile("/proc/vmstat", fbuf, sizeof fbuf);
    const char *s;
    int k = 0;
    for (s = fbuf; n > 0 && *s;) {
        const char *line = s, *v;
        while (*s && *s != '\n') s++;
        if (u_startswith(line, "pgfault ") || u_startswith(line, "pgmajfault ")
            || u_startswith(line, "thp_")) {
            ulong val;
            for (v = line; *v != ' '; v++) ;
            val = parse_num(v + 1, 10, 0);
            if (print) oputn(line, (ulong)(s - line));
            if (k < NVM) {
                if (print && have_prev_vm) odelta((long)val, (long)prev_vm[k]);
                prev_vm[k++] = val;
            }
            if (print) oputc('\n');
        }
        if (*s) s++;
    }
    have_prev_vm = 1;
}
/* take the current counters as the baseline of the next report's deltas */
static void rebaseline(void)
{
    u_getrusage(RUSAGE_SELF, ru);
    prev_ru[0] = ru[8];
    prev_ru[1] = ru[9];
    vmstat_lines(0);
}
/* the rest of a report: counters first (read right after the step), then
 * the /proc files; [lo, hi) selects the smaps entries to print */
static void body(ulong lo, ulong hi)
{
    long n;
    const char *s;
    u_getrusage(RUSAGE_SELF, ru);
    oputs("--- rusage\nru_minflt "); odec(ru[8]); odelta(ru[8], prev_ru[0]);
    oputs("\nru_majflt "); odec(ru[9]); odelta(ru[9], prev_ru[1]);
    oputs("\nru_maxrss "); odec(ru[4]); oputs(" kB\n");
    prev_ru[0] = ru[8];
    prev_ru[1] = ru[9];
    oputs("--- vmstat\n");
    vmstat_lines(1);
    oputs("--- maps\n");
    cat("/proc/self/maps");
    oputs("--- status\n");
    n = readfile("/proc/self/status", fbuf, sizeof fbuf);
    for (s = fbuf; n > 0 && *s;) {
        const char *line = s;
        while (*s && *s != '\n') s++;
        if (*s) s++;
        if (u_startswith(line, "Vm") || u_startswith(line, "Rss")) oputn(line, (ulong)(s - line));
    }
    oputs("--- smaps_rollup\n");
    cat("/proc/self/smaps_rollup");
    oputs("--- statm\n");
    cat("/proc/self/statm");
    if (lo < hi) smaps_range(lo, hi);
    if (with_slabs) slab_lines();
    oflush();
}
static void report(const char *name, ulong lo, ulong hi) { begin(name); body(lo, hi); }

static void note_call(const char *what, long r)
{
    oputs(what);
    oputs(" -> ");
    oresult(r);
    oputc('\n');
}
static void read_pages(ulong a, ulong len)
{
    ulong off;
    for (off = 0; off < len; off += PAGE) (void)*(volatile char *)(a + off);
}
static void write_pages(ulong a, ulong len)
{
    ulong off;
    for (off = 0; off < len; off += PAGE) *(volatile char *)(a + off) = 1;
}
static void print_wait(long r, int st)
{
    oputs("wait4 -> ");
    if (r > 0) odec(r); else oresult(r);
    oputs(" status "); ohex((ulong)st);
    if ((st & 0x7f) == 0) { oputs(" exited "); oudec((ulong)(st >> 8) & 0xff); }
    else if ((st & 0x7f) != 0x7f) {
        oputs(" killed by signal "); oudec((ulong)st & 0x7f);
        if (st & 0x80) oputs(" (core dumped)");
    }
    oputc('\n');
}
static long cru[18];
static long wait_quiet(long pid, int *st)
{
    ulong i;
    for (i = 0; i < 18; i++) cru[i] = 0;
    *st = 0;
    return u_wait4(pid, st, 0, cru);
}
static void print_cru(void)
{
    oputs("child rusage (wait4): ru_minflt "); odec(cru[8]);
    oputs(" ru_majflt "); odec(cru[9]);
    oputs(" ru_maxrss "); odec(cru[4]); oputs(" kB\n");
}
static void wait_child(long pid, int print_ru)
{
    int st;
    long r = wait_quiet(pid, &st);
    print_wait(r, st);
    if (print_ru) print_cru();
}
/* become a child that reports with the CHILD_ prefix: fresh rusage deltas
 * and its own copies of the program's writable pages */
static ulong become_child(void)
{
    prefix = "CHILD_";
    prev_ru[0] = prev_ru[1] = 0;
    return retouch();
}

/* ------------------------------------------------------------ steps */
static void steps(void)
{
    ulong p, b, nb, n;
    long r, pid;
    int st;

    with_slabs = 1;
    report("STEPS_0_START", 0, 0);
    with_slabs = 0;
    report("STEPS_0_AGAIN", 0, 0);

    p = (ulong)u_mmap(0, 10 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    begin("STEPS_1_MMAP");
    note_call("step 1: p = mmap(NULL, 10 MiB, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)", (long)p);
    body(p, p + 10 * MiB);

    read_pages(p, 10 * MiB);
    begin("STEPS_2_READ");
    oputs("step 2: read one byte of each of the 2560 pages of [p, p + 10 MiB)\n");
    body(p, p + 10 * MiB);

    write_pages(p, 10 * MiB);
    begin("STEPS_3_WRITE");
    oputs("step 3: write one byte to each of the 2560 pages of [p, p + 10 MiB)\n");
    body(p, p + 10 * MiB);

    r = u_munmap(p + 4 * MiB, 2 * MiB);
    begin("STEPS_4_MUNMAP");
    note_call("step 4: munmap(p + 4 MiB, 2 MiB)", r);
    body(p, p + 10 * MiB);

    r = u_mprotect(p, 1 * MiB, PROT_READ);
    begin("STEPS_5_MPROTECT");
    note_call("step 5: mprotect(p, 1 MiB, PROT_READ)", r);
    body(p, p + 10 * MiB);

    b = (ulong)u_brk(0);
    nb = (ulong)u_brk(b + 1 * MiB);
    write_pages(b, 1 * MiB);
    with_slabs = 1;
    begin("STEPS_6_BRK");
    note_call("step 6: b = brk(0)", (long)b);
    note_call("step 6: brk(b + 1 MiB)", (long)nb);
    oputs("step 6: wrote one byte to each of the 256 pages of [b, b + 1 MiB)\n");
    body(b - PAGE, b + 1 * MiB);
    with_slabs = 0;

    oflush();
    pid = u_fork();
    if (pid == 0) {
        n = become_child();
        begin("STEPS_7_CHILD_START");
        oputs("step 7 (child): after fork; rewrote one byte of each of the program's ");
        oudec(n);
        oputs(" writable pages (its own .data/.bss/stack copies)\n");
        body(p, p + 10 * MiB);
        write_pages(p + 1 * MiB, 3 * MiB);
        begin("STEPS_7_FORK");
        oputs("step 7 (child): wrote one byte to each of the 768 pages of [p + 1 MiB, p + 4 MiB)\n");
        with_slabs = 1;
        body(p, p + 10 * MiB);
        u_exit(0);
    }
    r = wait_quiet(pid, &st);
    n = retouch();
    begin("STEPS_7_FORK");
    oputs("step 7: fork() -> "); odec(pid); oputc('\n');
    print_wait(r, st);
    print_cru();
    oputs("step 7: the child wrote [p + 1 MiB, p + 4 MiB) and exited; then the parent rewrote its ");
    oudec(n);
    oputs(" own writable pages (the counters include those faults)\n");
    body(p, p + 10 * MiB);
    report("STEPS_7_AGAIN", 0, 0);
}

/* ----------------------------------------------------------- thp-read */
static ulong hpage_size(void)
{
    long n = readfile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", fbuf, sizeof fbuf);
    ulong v = n > 0 ? parse_num(fbuf, 10, 0) : 0;
#ifdef __x86_64__
    return v ? v : 2 * MiB;
#else
    return v ? v : 4 * MiB;
#endif
}
static ulong map_aligned(ulong len, ulong align, ulong *raw)
{
    ulong q = (ulong)u_mmap(0, len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    ulong a = (q + align - 1) & ~(align - 1);
    *raw = q;
    if (a > q) u_munmap(q, a - q);
    if (q + len + align > a + len) u_munmap(a + len, q + len + align - (a + len));
    return a;
}
static void thp_read(void)
{
    ulong hp = hpage_size(), q, a;
    long n;
    report("THP_0_START", 0, 0);
    begin("THP_0_SETTINGS");
    oputs("hpage_pmd_size "); oudec(hp); oputc('\n');
    n = readfile("/sys/kernel/mm/transparent_hugepage/enabled", fbuf, sizeof fbuf);
    oputs("enabled "); if (n > 0) oputs(fbuf); else oputc('\n');
    n = readfile("/sys/kernel/mm/transparent_hugepage/defrag", fbuf, sizeof fbuf);
    oputs("defrag "); if (n > 0) oputs(fbuf); else oputc('\n');
    n = readfile("/sys/kernel/mm/transparent_hugepage/use_zero_page", fbuf, sizeof fbuf);
    oputs("use_zero_page "); if (n > 0) oputs(fbuf); else oputc('\n');
    oflush();

    a = map_aligned(8 * MiB, hp, &q);
    begin("THP_1_MAPPED");
    oputs("mmap(NULL, 8 MiB + hpage, RW, PRIVATE|ANON) -> "); ohex(q);
    oputs(", trimmed to the hpage-aligned a = "); ohex(a); oputs(" .. a + 8 MiB\n");
    body(a, a + 8 * MiB);

    read_pages(a, 8 * MiB);
    begin("THP_2_READ");
    oputs("read one byte of each page of [a, a + 8 MiB)\n");
    body(a, a + 8 * MiB);

    write_pages(a, 8 * MiB);
    begin("THP_3_WRITE");
    oputs("wrote one byte to each page of [a, a + 8 MiB) (after the reads)\n");
    body(a, a + 8 * MiB);

    n = u_munmap(a, 8 * MiB);
    begin("THP_4_UNMAPPED");
    note_call("munmap(a, 8 MiB)", n);
    body(0, 0);

    a = map_aligned(8 * MiB, hp, &q);
    write_pages(a, 8 * MiB);
    begin("THP_5_WRITE_FIRST");
    oputs("a fresh mapping: mmap -> "); ohex(q); oputs(", aligned a = "); ohex(a);
    oputs("; wrote one byte to each page of [a, a + 8 MiB) without reading first\n");
    body(a, a + 8 * MiB);
}

/* --------------------------------------------------------------- file */
static volatile int sig_no, sig_code;
static volatile ulong sig_addr;

static void probe_handler(int sig, void *si, void *uc)
{
    ulong *ip = uc_ip(uc);
    sig_no = sig;
    sig_code = si_code(si);
    sig_addr = si_addr(si);
    /* probe_rd, probe_wr and probe_fail are consecutive (ulib.h) */
    if (*ip >= (ulong)probe_rd && *ip < (ulong)probe_fail) *ip = (ulong)probe_fail;
}
static const char *signame(int s)
{
    return s == SIGSEGV ? "SIGSEGV" : s == SIGBUS ? "SIGBUS" : s == 0 ? "none" : "?";
}
static const char *codename(int sig, int code)
{
    if (sig == SIGSEGV) return code == 1 ? "SEGV_MAPERR" : code == 2 ? "SEGV_ACCERR" : "?";
    if (sig == SIGBUS) return code == 1 ? "BUS_ADRALN" : code == 2 ? "BUS_ADRERR" : code == 3 ? "BUS_OBJERR" : "?";
    return "";
}
static void probe(const char *what, ulong addr, int write)
{
    long v;
    sig_no = sig_code = 0;
    sig_addr = 0;
    v = write ? probe_wr(addr, 1) : probe_rd(addr);
    oputs(what); oputc(' '); ohex(addr);
    if (sig_no) {
        oputs(" -> "); oputs(signame(sig_no)); oputs(" si_code "); odec(sig_code);
        oputc(' '); oputs(codename(sig_no, sig_code));
        oputs(" si_addr "); ohex(sig_addr);
    } else {
        oputs(" -> ok, value "); odec(v);
    }
    oputc('\n');
}
static void file(void)
{
    const char *path = "/bin/busybox";
    long fd = u_open(path, O_RDONLY), size;
    ulong m1, m2, m3, m4, len4, psize;
    report("FILE_0_START", 0, 0);
    if (fd < 0) { begin("FILE_ERROR"); note_call("open /bin/busybox", fd); oflush(); return; }
    size = u_lseek((int)fd, 0, 2);
    psize = ((ulong)size + PAGE - 1) & ~(PAGE - 1);

    m1 = (ulong)u_mmap(0, (ulong)size, PROT_READ, MAP_PRIVATE, fd, 0);
    begin("FILE_1_MAPPED");
    oputs("open(\"/bin/busybox\") -> "); odec(fd); oputs(", size "); odec(size);
    oputs(" ("); ohex((ulong)size); oputs(", "); oudec(psize / PAGE); oputs(" pages)\n");
    note_call("m1 = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0)", (long)m1);
    body(m1, m1 + (ulong)size);

    (void)*(volatile char *)m1;
    begin("FILE_2_READ0");
    oputs("read byte 0 of m1 (one read fault: fault-around maps the neighbours that are in the page cache)\n");
    body(m1, m1 + (ulong)size);

    read_pages(m1, 256 * KiB);
    begin("FILE_3_READ256K");
    oputs("read one byte of each of the 64 pages of [m1, m1 + 256 KiB)\n");
    body(m1, m1 + (ulong)size);

    m2 = (ulong)u_mmap(0, (ulong)size, PROT_READ, MAP_SHARED, fd, 0);
    begin("FILE_4_SHARED_MAPPED");
    note_call("m2 = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0)", (long)m2);
    body(m2, m2 + (ulong)size);

    (void)*(volatile char *)m2;
    begin("FILE_5_SHARED_READ0");
    oputs("read byte 0 of m2\n");
    body(m2, m2 + (ulong)size);

    m3 = (ulong)u_mmap(0, (ulong)size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    *(volatile char *)m3 = 1;
    begin("FILE_6_COW_WRITE0");
    note_call("m3 = mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_PRIVATE, fd, 0)", (long)m3);
    oputs("wrote byte 0 of m3 (write fault on a not-present private file page: copy on write)\n");
    body(m3, m3 + (ulong)size);

    (void)*(volatile char *)(m3 + 16 * PAGE);
    begin("FILE_7_PRIVATE_READ16");
    oputs("read byte 0 of page 16 of m3\n");
    body(m3, m3 + (ulong)size);

    *(volatile char *)(m3 + 16 * PAGE) = 1;
    begin("FILE_8_COW_WRITE16");
    oputs("wrote byte 0 of page 16 of m3 (write fault on a present read-only file page)\n");
    body(m3, m3 + (ulong)size);

    /* EOF: map the file plus two pages past its last page, then cut a hole
     * after the mapping so that "beyond the VMA" is really unmapped */
    len4 = psize + 2 * PAGE;
    m4 = (ulong)u_mmap(0, len4 + PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    u_munmap(m4 + len4, PAGE);
    u_sigaction(SIGBUS, (void *)probe_handler, SA_SIGINFO);
    u_sigaction(SIGSEGV, (void *)probe_handler, SA_SIGINFO);
    begin("FILE_9_EOF");
    note_call("m4 = mmap(NULL, round_up(size) + 3 pages, PROT_READ, MAP_PRIVATE, fd, 0)", (long)m4);
    oputs("munmap(m4 + round_up(size) + 2 pages, 1 page): the VMA is the file's ");
    oudec(psize / PAGE); oputs(" pages plus 2 pages beyond EOF\n");
    probe("read last byte of the file, m4 + size - 1 =", m4 + (ulong)size - 1, 0);
    probe("read beyond EOF in the last file page, m4 + size =", m4 + (ulong)size, 0);
    probe("read the last byte of the last file page =", m4 + psize - 1, 0);
    probe("read the first page past the file (in the VMA), m4 + round_up(size) =", m4 + psize, 0);
    probe("read the second page past the file (in the VMA) =", m4 + psize + PAGE + 123, 0);
    probe("read past the VMA (unmapped), m4 + round_up(size) + 2 pages =", m4 + len4, 0);
    probe("write to PROT_READ m4 =", m4, 1);
    body(m4, m4 + len4 + PAGE);
    u_close((int)fd);
}

/* -------------------------------------------------------------- stack */
static volatile ulong deepest;          /* lowest stack address touched */
static const char *sig_section, *nosig_section;

static void segv_report(int sig, void *si, void *uc)
{
    (void)uc;
    begin(sig_section);
    oputs("signal "); odec(sig); oputc(' '); oputs(signame(sig));
    oputs(" si_code "); odec(si_code(si)); oputc(' '); oputs(codename(sig, si_code(si)));
    oputs(" si_addr "); ohex(si_addr(si));
    oputs("\nlowest address written before it "); ohex(deepest);
    oputs(" (stack top - "); oudec((stack_hi - deepest) / KiB); oputs(" KiB)\n");
    body(stack_lo - 2 * MiB, stack_hi);
    /* SA_RESETHAND: returning re-runs the store with SIG_DFL, which kills */
}
static void grow_to(ulong depth)
{
    ulong a;
    for (a = stack_hi - PAGE; a >= stack_hi - depth; a -= PAGE) {
        *(volatile char *)a = 1;
        deepest = a;
    }
}
static void rlimit_child(const char *name)
{
    long pid, r;
    struct rlim64 nw, old;
    struct kstack ss;
    oflush();
    pid = u_fork();
    if (pid == 0) {
        become_child();
        nw.cur = nw.max = 256 * KiB;
        r = u_prlimit(RLIMIT_STACK, &nw, &old);
        begin(name);
        oputs("child: setrlimit(RLIMIT_STACK, 256 KiB) -> "); oresult(r);
        oputs(" (was "); ohex(old.cur); oputs(")\n");
        ss.sp = altstk;
        ss.flags = 0;
        ss.size = sizeof altstk;
        note_call("child: sigaltstack(64 KiB in .bss)", sc2(SYS_sigaltstack, &ss, 0));
        note_call("child: rt_sigaction(SIGSEGV, SA_SIGINFO|SA_ONSTACK|SA_RESETHAND)",
                  u_sigaction(SIGSEGV, (void *)segv_report, SA_SIGINFO | SA_ONSTACK | SA_RESETHAND));
        oputs("child: writing one byte per page down from the stack top until a signal\n");
        body(stack_lo - 2 * MiB, stack_hi);
        grow_to(64 * MiB);
        begin(nosig_section);
        oflush();
        u_exit(0);
    }
    wait_child(pid, 1);
    oputs("parent: rewrote its "); oudec(retouch());
    oputs(" own writable pages after the child exited, then took the counters as the new baseline\n");
    oflush();
    rebaseline();
}
static void stack(void)
{
    static const struct { ulong depth; const char *name; } at[] = {
        { 132 * KiB, "STACK_2_132K" }, { 136 * KiB, "STACK_3_136K" },
        { 256 * KiB, "STACK_4_256K" }, { 1024 * KiB, "STACK_5_1M" },
    };
    ulong i;
    begin("STACK_0_START");
    oputs("[stack] VMA at start-up "); ohex(stack_lo); oputc('-'); ohex(stack_hi);
    oputs(" ("); oudec((stack_hi - stack_lo) / KiB); oputs(" KiB), sp near ");
    ohex((ulong)&i); oputc('\n');
    body(stack_lo - 2 * MiB, stack_hi);
    begin("STACK_1_RLIMIT_EARLY");
    oputs("a child lowers RLIMIT_STACK to 256 KiB and grows its stack (still at its start-up size) until it is killed\n");
    sig_section = "STACK_1_SIGNAL";
    nosig_section = "STACK_1_NO_SIGNAL";
    rlimit_child("STACK_1_START");
    for (i = 0; i < sizeof at / sizeof at[0]; i++) {
        grow_to(at[i].depth);
        begin(at[i].name);
        oputs("wrote one byte to each page of [stack top - "); oudec(at[i].depth / KiB);
        oputs(" KiB, stack top), lowest "); ohex(deepest); oputc('\n');
        body(stack_lo - 2 * MiB, stack_hi);
    }
    begin("STACK_6_RLIMIT_LATE");
    oputs("the same child test, now that the stack VMA is already 1 MiB (> 256 KiB)\n");
    sig_section = "STACK_6_SIGNAL";
    nosig_section = "STACK_6_NO_SIGNAL";
    rlimit_child("STACK_6_START");
}

/* -------------------------------------------------------------- errno */
static void row(const char *what, long r)
{
    oputs(what);
    oputs(" -> ");
    oresult(r);
    oputc('\n');
}
static void maps_of(ulong lo, ulong hi)
{
    long n = readfile("/proc/self/maps", fbuf, sizeof fbuf);
    const char *s = fbuf;
    while (n > 0 && *s) {
        const char *line = s;
        ulong a, b;
        char perms[4];
        maps_line(s, &a, &b, perms);
        while (*s && *s != '\n') s++;
        if (*s) s++;
        if (a < hi && b > lo) { oputs("    maps: "); oputn(line, (ulong)(s - line)); }
    }
}
static long status_kb(const char *name)
{
    readfile("/proc/self/status", fbuf, sizeof fbuf);
    return field_kb(fbuf, name);
}
static long stat_field(int idx)
{
    long n = readfile("/proc/self/stat", fbuf, sizeof fbuf);
    const char *s = fbuf, *e;
    int i = 3;
    if (n <= 0) return -1;
    for (e = fbuf; *e; e++) if (*e == ')') s = e;
    s += 2;
    while (*s && i < idx) { while (*s && *s != ' ') s++; if (*s) s++; i++; }
    return (long)parse_num(s, 10, 0);
}
static long mmap_anon(ulong addr, ulong len, long prot, long flags)
{
    return u_mmap(addr, len, prot, flags | MAP_ANON, -1, 0);
}
/* an address that is certainly unmapped: a page just mapped and unmapped */
static ulong free_addr(void)
{
    long r = mmap_anon(0, PAGE, 3, MAP_PRIVATE);
    u_munmap((ulong)r, PAGE);
    return (ulong)r;
}
static void unmap_ok(long r, ulong len)
{
    if (r >= 0 || r < -4095) u_munmap((ulong)r, len);
}
#ifdef __x86_64__
#define TASK_TOP 0x7ffffffff000UL
#else
#define TASK_TOP 0xc0000000UL
#endif
static void exec_row(const char *path)
{
    long pid, r;
    char *av[2];
    static char *const env[] = { "HOME=/", 0 };
    av[0] = (char *)path;
    av[1] = 0;
    oflush();
    pid = u_fork();
    if (pid == 0) {
        r = u_execve(path, av, env);
        oputs("execve(\""); oputs(path); oputs("\") -> "); oresult(r); oputc('\n');
        oflush();
        u_exit(100);
    }
    oputs("    child "); odec(pid); oputs(": ");
    wait_child(pid, 0);
    oflush();
}
static void errno_table(void)
{
    long r, r0, fd, pid;
    ulong a, cur, sbrk;
    struct rlim64 nw, old;

    begin("ERRNO_MMAP");
    fd = u_open("/bin/busybox", O_RDONLY);
    row("mmap(NULL, 0, RW, PRIVATE|ANON)", mmap_anon(0, 0, 3, MAP_PRIVATE));
    row("mmap(0x20000001, 4096, RW, PRIVATE|ANON|FIXED)", mmap_anon(0x20000001, PAGE, 3, MAP_PRIVATE | MAP_FIXED));
    r = mmap_anon(0x20000001, PAGE, 3, MAP_PRIVATE);
    row("mmap(0x20000001, 4096, RW, PRIVATE|ANON) (unaligned hint)", r);
    unmap_ok(r, PAGE);
    row("mmap(NULL, 4096, RW, ANON) (neither SHARED nor PRIVATE)", mmap_anon(0, PAGE, 3, 0));
    row("mmap(NULL, 4096, RW, SHARED_VALIDATE|ANON)", mmap_anon(0, PAGE, 3, MAP_SHARED_VALIDATE));
    row("mmap(NULL, 4096, R, SHARED_VALIDATE|SYNC, busybox fd)", u_mmap(0, PAGE, 1, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0));
    r = u_mmap(0, PAGE, 1, MAP_SHARED_VALIDATE, fd, 0);
    row("mmap(NULL, 4096, R, SHARED_VALIDATE, busybox fd)", r);
    unmap_ok(r, PAGE);
    row("mmap(NULL, 4096, RW, PRIVATE, fd -1)", u_mmap(0, PAGE, 3, MAP_PRIVATE, -1, 0));
    row("mmap(NULL, 4096, RW, SHARED, busybox O_RDONLY fd)", u_mmap(0, PAGE, 3, MAP_SHARED, fd, 0));
    r = u_mmap(0, PAGE, 3, MAP_PRIVATE, fd, 0);
    row("mmap(NULL, 4096, RW, PRIVATE, busybox O_RDONLY fd)", r);
    unmap_ok(r, PAGE);
#ifdef __x86_64__
    row("mmap(NULL, 4096, R, PRIVATE, busybox fd, offset 1)", sc(SYS_mmap, 0, PAGE, 1, MAP_PRIVATE, fd, 1));
#else
    {
        long args[6] = { 0, PAGE, 1, MAP_PRIVATE, fd, 1 };
        row("mmap(NULL, 4096, R, PRIVATE, busybox fd, offset 1) (old_mmap)", sc1(SYS_old_mmap, args));
    }
#endif
    row("mmap(NULL, -4096, RW, PRIVATE|ANON)", mmap_anon(0, (ulong)-4096L, 3, MAP_PRIVATE));
    row("mmap(TASK_SIZE - 4096, 8192, RW, PRIVATE|ANON|FIXED)", mmap_anon(TASK_TOP - PAGE, 2 * PAGE, 3, MAP_PRIVATE | MAP_FIXED));
    r = mmap_anon(0, PAGE, 3, MAP_PRIVATE | MAP_FIXED);
    row("mmap(0, 4096, RW, PRIVATE|ANON|FIXED) (root)", r);
    unmap_ok(r, PAGE);
    r = mmap_anon(0, PAGE, 0x10 | 3, MAP_PRIVATE);
    row("mmap(NULL, 4096, RW|0x10 (unknown prot bit), PRIVATE|ANON)", r);
    unmap_ok(r, PAGE);
    r = mmap_anon(0, PAGE, PROT_GROWSDOWN | 3, MAP_PRIVATE);
    row("mmap(NULL, 4096, RW|PROT_GROWSDOWN, PRIVATE|ANON)", r);
    unmap_ok(r, PAGE);
    r0 = mmap_anon(0, 4 * PAGE, 3, MAP_PRIVATE);
    row("r = mmap(NULL, 16 KiB, RW, PRIVATE|ANON)", r0);
    row("mmap(r + 4096, 4096, RW, PRIVATE|ANON|FIXED_NOREPLACE)", mmap_anon((ulong)r0 + PAGE, PAGE, 3, MAP_PRIVATE | MAP_FIXED_NOREPLACE));
    r = mmap_anon((ulong)r0 - 16 * PAGE, PAGE, 3, MAP_PRIVATE | MAP_FIXED_NOREPLACE);
    row("mmap(r - 64 KiB, 4096, RW, PRIVATE|ANON|FIXED_NOREPLACE) (free range)", r);
    unmap_ok(r, PAGE);
    r = mmap_anon((ulong)r0 + PAGE, PAGE, 3, MAP_PRIVATE | MAP_FIXED);
    row("mmap(r + 4096, 4096, RW, PRIVATE|ANON|FIXED) (replaces)", r);
    maps_of((ulong)r0, (ulong)r0 + 4 * PAGE);
    oflush();

    begin("ERRNO_MPROTECT");
    a = (ulong)r0;
    row("mprotect(r, 4096, 0x10)", u_mprotect(a, PAGE, 0x10));
    row("mprotect(r, 4096, R|PROT_GROWSDOWN) (not a stack)", u_mprotect(a, PAGE, 1 | PROT_GROWSDOWN));
    row("mprotect(r + 1, 4096, R)", u_mprotect(a + 1, PAGE, 1));
    row("mprotect(r, 0, R)", u_mprotect(a, 0, 1));
    row("munmap(r + 2 pages, 4096) (a hole)", u_munmap(a + 2 * PAGE, PAGE));
    row("mprotect(r, 16 KiB, R) (spans the hole)", u_mprotect(a, 4 * PAGE, 1));
    maps_of(a, a + 4 * PAGE);
    row("mprotect(r + 2 pages, 4096, R) (all unmapped)", u_mprotect(a + 2 * PAGE, PAGE, 1));
    row("mprotect(TASK_SIZE, 4096, R)", u_mprotect(TASK_TOP, PAGE, 1));
    row("mprotect(r, 4096, RWX)", u_mprotect(a, PAGE, 7));
    maps_of(a, a + 4 * PAGE);
    oflush();

    begin("ERRNO_MUNMAP");
    row("munmap(r + 1, 4096)", u_munmap(a + 1, PAGE));
    row("munmap(r, 0)", u_munmap(a, 0));
    row("munmap(r + 2 pages, 4096) (already unmapped)", u_munmap(a + 2 * PAGE, PAGE));
    row("munmap(TASK_SIZE, 4096)", u_munmap(TASK_TOP, PAGE));
    row("munmap(TASK_SIZE - 4096, 8192)", u_munmap(TASK_TOP - PAGE, 2 * PAGE));
    row("munmap(r, 16 KiB)", u_munmap(a, 4 * PAGE));
    oflush();

    begin("ERRNO_MREMAP");
    r0 = mmap_anon(0, 4 * PAGE, 3, MAP_PRIVATE);
    a = (ulong)r0;
    row("r = mmap(NULL, 16 KiB, RW, PRIVATE|ANON)", r0);
    row("mprotect(r + 4096, 4096, R) (splits r in three)", u_mprotect(a + PAGE, PAGE, 1));
    row("mremap(r, 4096, 8192, 0) (next page taken)", sc4(SYS_mremap, a, PAGE, 2 * PAGE, 0));
    row("mremap(r, 4096, 8192, MREMAP_FIXED, r + 64 KiB) (FIXED without MAYMOVE)", sc5(SYS_mremap, a, PAGE, 2 * PAGE, MREMAP_FIXED, a + 16 * PAGE));
    row("mremap(r + 1, 4096, 8192, MAYMOVE)", sc4(SYS_mremap, a + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE));
    row("mremap(r, 4096, 0, 0)", sc4(SYS_mremap, a, PAGE, 0, 0));
    row("mremap(r + 2 pages, 8192, 4096, 0) (shrink)", sc4(SYS_mremap, a + 2 * PAGE, 2 * PAGE, PAGE, 0));
    row("mremap(r + 3 pages, 4096, 8192, 0) (unmapped)", sc4(SYS_mremap, a + 3 * PAGE, PAGE, 2 * PAGE, 0));
    row("mremap(r, 8192, 4096, 0) (old range spans two VMAs, shrink)", sc4(SYS_mremap, a, 2 * PAGE, PAGE, 0));
    r = sc4(SYS_mremap, a, PAGE, 4 * PAGE, MREMAP_MAYMOVE);
    row("mremap(r, 4096, 16 KiB, MAYMOVE)", r);
    maps_of(a - 16 * PAGE, a + 16 * PAGE);
    if (r > 0) maps_of((ulong)r, (ulong)r + 4 * PAGE);
    unmap_ok(r, 4 * PAGE);
    u_munmap(a, 4 * PAGE);
    oflush();

    begin("ERRNO_BRK");
    cur = (ulong)u_brk(0);
    sbrk = (ulong)stat_field(47);
    oputs("start_brk (stat field 47) "); ohex(sbrk); oputc('\n');
    row("brk(0)", (long)cur);
    row("brk(start_brk - 4096)", u_brk(sbrk - PAGE));
    row("brk(0)", u_brk(0));
    row("brk(start_brk + 4096)", u_brk(sbrk + PAGE));
    row("brk(start_brk + 4096 + 1)", u_brk(sbrk + PAGE + 1));
    row("brk(start_brk)", u_brk(sbrk));
    row("brk(TASK_SIZE - 4096)", u_brk(TASK_TOP - PAGE));
    row("brk(0)", u_brk(0));
    oflush();

    begin("ERRNO_MLOCK");
    r0 = mmap_anon(0, 64 * PAGE, 3, MAP_PRIVATE);
    a = (ulong)r0;
    u_prlimit(RLIMIT_MEMLOCK, 0, &old);
    oputs("RLIMIT_MEMLOCK "); ohex(old.cur); oputc('/'); ohex(old.max); oputc('\n');
    row("r = mmap(NULL, 256 KiB, RW, PRIVATE|ANON)", r0);
    nw.cur = nw.max = 64 * KiB;
    row("setrlimit(RLIMIT_MEMLOCK, 64 KiB)", u_prlimit(RLIMIT_MEMLOCK, &nw, 0));
    row("mlock(r, 256 KiB) (root: CAP_IPC_LOCK)", sc2(SYS_mlock, a, 64 * PAGE));
    oputs("    VmLck "); odec(status_kb("VmLck")); oputs(" kB\n");
    row("munlock(r, 256 KiB)", sc2(SYS_munlock, a, 64 * PAGE));
    row("mlock(r + 1 page + 1, 4096) (unaligned)", sc2(SYS_mlock, a + PAGE + 1, PAGE));
    oputs("    VmLck "); odec(status_kb("VmLck")); oputs(" kB\n");
    row("munlock(r, 256 KiB)", sc2(SYS_munlock, a, 64 * PAGE));
    row("mlock(a just unmapped page, 4096)", sc2(SYS_mlock, free_addr(), PAGE));
    oflush();
    pid = u_fork();
    if (pid == 0) {
        row("  child: setresgid(65534, 65534, 65534)", sc3(SYS_setresgid, 65534, 65534, 65534));
        row("  child: setresuid(65534, 65534, 65534)", sc3(SYS_setresuid, 65534, 65534, 65534));
        row("  child: mlock(r, 32 KiB) (nobody, limit 64 KiB)", sc2(SYS_mlock, a, 8 * PAGE));
        row("  child: mlock(r, 64 KiB)", sc2(SYS_mlock, a, 16 * PAGE));
        row("  child: mlock(r, 68 KiB)", sc2(SYS_mlock, a, 17 * PAGE));
        row("  child: mlock(r, 256 KiB)", sc2(SYS_mlock, a, 64 * PAGE));
        oputs("    VmLck "); odec(status_kb("VmLck")); oputs(" kB\n");
        row("  child: madvise(r, 4096, MADV_DONTNEED) (mlocked)", sc3(SYS_madvise, a, PAGE, MADV_DONTNEED));
        row("  child: mmap(0, 4096, RW, PRIVATE|ANON|FIXED) (nobody)", mmap_anon(0, PAGE, 3, MAP_PRIVATE | MAP_FIXED));
        row("  child: mmap(NULL, 68 KiB, RW, PRIVATE|ANON|MAP_LOCKED)", mmap_anon(0, 17 * PAGE, 3, MAP_PRIVATE | 0x2000));
        oflush();
        u_exit(0);
    }
    oputs("    child: "); wait_child(pid, 0);
    nw.cur = old.cur; nw.max = old.max;
    u_prlimit(RLIMIT_MEMLOCK, &nw, 0);
    oflush();

    begin("ERRNO_MADVISE");
    row("madvise(r, 4096, 12345)", sc3(SYS_madvise, a, PAGE, 12345));
    row("madvise(r + 1, 4096, MADV_DONTNEED)", sc3(SYS_madvise, a + 1, PAGE, MADV_DONTNEED));
    row("madvise(r, 4096, MADV_NORMAL)", sc3(SYS_madvise, a, PAGE, MADV_NORMAL));
    row("madvise(r, 4096, MADV_HUGEPAGE)", sc3(SYS_madvise, a, PAGE, MADV_HUGEPAGE));
    row("madvise(r, 0, 12345)", sc3(SYS_madvise, a, 0, 12345));
    row("madvise(a just unmapped page, 4096, MADV_DONTNEED)", sc3(SYS_madvise, free_addr(), PAGE, MADV_DONTNEED));
    row("madvise(a just unmapped page, 4096, MADV_NORMAL)", sc3(SYS_madvise, free_addr(), PAGE, MADV_NORMAL));
    row("madvise(r, 512 KiB, MADV_DONTNEED) (runs past the mapping)", sc3(SYS_madvise, a, 128 * PAGE, MADV_DONTNEED));
    u_munmap(a, 64 * PAGE);
    oflush();

    begin("ERRNO_RLIMIT_AS");
    oflush();
    pid = u_fork();
    if (pid == 0) {
        long vm = status_kb("VmSize");
        ulong b0 = (ulong)u_brk(0);
        nw.cur = nw.max = (u64)(vm + 1024) * 1024;
        oputs("  child: VmSize "); odec(vm); oputs(" kB\n");
        row("  child: setrlimit(RLIMIT_AS, VmSize + 1 MiB)", u_prlimit(RLIMIT_AS, &nw, 0));
        r = mmap_anon(0, 512 * KiB, 3, MAP_PRIVATE);
        row("  child: mmap(NULL, 512 KiB, RW, PRIVATE|ANON)", r);
        row("  child: mmap(NULL, 1 MiB, RW, PRIVATE|ANON)", mmap_anon(0, MiB, 3, MAP_PRIVATE));
        row("  child: mmap(NULL, 1 MiB, R, PRIVATE|ANON|NORESERVE)", mmap_anon(0, MiB, 1, MAP_PRIVATE | MAP_NORESERVE));
        row("  child: brk(0)", (long)b0);
        row("  child: brk(brk + 256 KiB)", u_brk(b0 + 256 * KiB));
        row("  child: brk(brk + 1 MiB)", u_brk(b0 + MiB));
        row("  child: mremap(512 KiB mapping, -> 1 MiB, MAYMOVE)", sc4(SYS_mremap, r, 512 * KiB, MiB, MREMAP_MAYMOVE));
        oflush();
        u_exit(0);
    }
    oputs("    child: "); wait_child(pid, 0);
    oflush();

    begin("ERRNO_RLIMIT_DATA");
    oflush();
    pid = u_fork();
    if (pid == 0) {
        long vd = status_kb("VmData");
        ulong b0 = (ulong)u_brk(0);
        nw.cur = nw.max = (u64)(vd + 1024) * 1024;
        oputs("  child: VmData "); odec(vd); oputs(" kB\n");
        row("  child: setrlimit(RLIMIT_DATA, VmData + 1 MiB)", u_prlimit(RLIMIT_DATA, &nw, 0));
        row("  child: mmap(NULL, 512 KiB, RW, PRIVATE|ANON)", mmap_anon(0, 512 * KiB, 3, MAP_PRIVATE));
        row("  child: mmap(NULL, 1 MiB, RW, PRIVATE|ANON)", mmap_anon(0, MiB, 3, MAP_PRIVATE));
        row("  child: mmap(NULL, 1 MiB, R, PRIVATE|ANON)", mmap_anon(0, MiB, 1, MAP_PRIVATE));
        row("  child: mmap(NULL, 1 MiB, RW, SHARED|ANON)", mmap_anon(0, MiB, 3, MAP_SHARED));
        row("  child: brk(0)", (long)b0);
        row("  child: brk(brk + 256 KiB)", u_brk(b0 + 256 * KiB));
        row("  child: brk(brk + 1 MiB)", u_brk(b0 + MiB));
        oflush();
        u_exit(0);
    }
    oputs("    child: "); wait_child(pid, 0);
    oflush();

    begin("ERRNO_EXECVE");
    {
        static const char *const paths[] = {
            "/tmp/notelf", "/tmp/elf16", "/tmp/elf100", "/tmp/elf4096",
            "/tmp/noexec", "/tmp/badscript", "/tmp", "/nonexistent",
        };
        ulong i;
        for (i = 0; i < sizeof paths / sizeof paths[0]; i++) exec_row(paths[i]);
    }
    u_close((int)fd);
}

/* --------------------------------------------------------- overcommit */
static void overcommit(void)
{
    static const struct { long prot, flags; const char *what; } kinds[] = {
        { 3, MAP_PRIVATE, "RW PRIVATE|ANON" },
        { 3, MAP_PRIVATE | MAP_NORESERVE, "RW PRIVATE|ANON|NORESERVE" },
        { 1, MAP_PRIVATE, "R PRIVATE|ANON" },
        { 3, MAP_SHARED, "RW SHARED|ANON" },
    };
    ulong sizes[12], ram, room;
    const char *names[12];
    int ns = 0, i, k;
    long total, limit, committed, mode;

    readfile("/proc/meminfo", fbuf, sizeof fbuf);
    total = field_kb(fbuf, "MemTotal");
    limit = field_kb(fbuf, "CommitLimit");
    committed = field_kb(fbuf, "Committed_AS");
    readfile("/proc/sys/vm/overcommit_memory", fbuf, sizeof fbuf);
    mode = (long)parse_num(fbuf, 10, 0);
    {
        static char name[] = "OVERCOMMIT_MODE_?";
        name[sizeof name - 2] = (char)('0' + (mode & 7));
        begin(name);
    }
    oputs("overcommit_memory "); odec(mode); oputc('\n');
    readfile("/proc/sys/vm/overcommit_ratio", fbuf, sizeof fbuf);
    oputs("overcommit_ratio "); oputs(fbuf);
    oputs("MemTotal "); odec(total); oputs(" kB\nCommitLimit "); odec(limit);
    oputs(" kB\nCommitted_AS "); odec(committed); oputs(" kB\n");
    ram = (ulong)total * KiB;
    room = limit > committed ? (ulong)(limit - committed) * KiB : 0;
#define SZ(v, n) do { sizes[ns] = (v); names[ns] = (n); ns++; } while (0)
#ifdef __x86_64__
    SZ(1UL << 30, "1 GiB");
    SZ(ram / 2, "MemTotal / 2");
    SZ(room > 32 * MiB ? room - 16 * MiB : MiB, "CommitLimit - Committed_AS - 16 MiB");
    SZ(room + 16 * MiB, "CommitLimit - Committed_AS + 16 MiB");
    SZ(ram, "MemTotal");
    SZ(ram + 256 * MiB, "MemTotal + 256 MiB");
    SZ(4 * ram, "4 * MemTotal");
    SZ(64UL << 30, "64 GiB");
    SZ(1UL << 40, "1 TiB");
#else
    SZ(256 * MiB, "256 MiB");
    SZ(1UL << 30, "1 GiB");
    SZ(ram / 2, "MemTotal / 2");
    SZ(room > 32 * MiB ? room - 16 * MiB : MiB, "CommitLimit - Committed_AS - 16 MiB");
    SZ(room + 16 * MiB, "CommitLimit - Committed_AS + 16 MiB");
    SZ(ram, "MemTotal");
    SZ(ram + 256 * MiB, "MemTotal + 256 MiB");
    SZ(0xa0000000UL, "2.5 GiB");
    SZ(0xc0000000UL, "3 GiB");
#endif
    for (i = 0; i < ns; i++) {
        for (k = 0; k < 4; k++) {
            long r = mmap_anon(0, sizes[i], kinds[k].prot, kinds[k].flags);
            oputs("mmap(NULL, "); oputs(names[i]); oputs(" = "); ohex(sizes[i]);
            oputs(", "); oputs(kinds[k].what); oputs(") -> ");
            oresult(r);
            oputc('\n');
            unmap_ok(r, sizes[i]);
        }
    }
    oflush();
}

void cmain(long *sp)
{
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    const char *mode = argc > 1 ? argv[1] : "steps";
    footprint_init((ulong)sp);
    if (u_streq(mode, "steps")) steps();
    else if (u_streq(mode, "thp-read")) thp_read();
    else if (u_streq(mode, "file")) file();
    else if (u_streq(mode, "stack")) stack();
    else if (u_streq(mode, "errno")) errno_table();
    else if (u_streq(mode, "overcommit")) overcommit();
    else {
        oputs("usage: usersteps [steps|thp-read|file|stack|errno|overcommit]\n");
        oflush();
        u_exit(2);
    }
    oflush();
    u_exit(0);
}
