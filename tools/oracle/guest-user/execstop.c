/* tools/oracle/guest-user/execstop.c — show a process at its first instruction.
 *
 * usage: execstop [-n TAG] [-a ARGV0] [-c] PROG [ARG...]
 *
 * Forks; the child calls ptrace(PTRACE_TRACEME) and execve(PROG, ARGS, envp)
 * with the fixed environment {"HOME=/", "TERM=linux"}.  The parent waits for
 * the SIGTRAP stop that follows a successful execve (the new program has not
 * run a single instruction yet) and prints, one "===TAG_NAME" section each:
 *   INFO        pid, wait status, the program and its arguments
 *   MAPS SMAPS SMAPS_ROLLUP STATUS STAT STATM   /proc/PID/... verbatim
 *   STATFIELDS  the memory-layout fields of /proc/PID/stat, by name
 *   AUXV        /proc/PID/auxv as "AT_NAME 0xVALUE" in kernel order
 *   REGS        PTRACE_GETREGS, one register per line
 *   STACKWORDS  the stack from sp decoded: argc, argv[], envp[], auxv[]
 *   STACK       hex dump of [sp, end of the [stack] VMA) (PTRACE_PEEKDATA)
 *   EXIT        how the child ended: killed with SIGKILL (default) or, with
 *               -c, detached and left to run to completion
 * TAG defaults to EXEC; ARGV0 (default PROG) is the child's argv[0].  Built without libc (see ulib.h).
 */
#include "ulib.h"

#define PTRACE_TRACEME 0
#define PTRACE_PEEKDATA 2
#define PTRACE_GETREGS 12
#define PTRACE_DETACH 17

static char fbuf[256 * 1024];          /* one /proc file at a time */
static unsigned char stk[256 * 1024] __attribute__((aligned(16)));  /* copy of [sp, stack top) */
static char path[64];

static char *const child_env[] = { "HOME=/", "TERM=linux", 0 };

static const char *tag = "EXEC";
static long pid;

static void mkpath(const char *name)
{
    char t[24];
    int n = 0, i = 0;
    ulong v = (ulong)pid;
    const char *pre = "/proc/";
    while (*pre) path[i++] = *pre++;
    do t[n++] = (char)('0' + v % 10); while (v /= 10);
    while (n) path[i++] = t[--n];
    path[i++] = '/';
    while (*name) path[i++] = *name++;
    path[i] = 0;
}
static long slurp(const char *name)
{
    mkpath(name);
    return readfile(path, fbuf, sizeof fbuf);
}
static void dump_file(const char *name, const char *sect)
{
    long n = slurp(name);
    osection(tag, sect);
    if (n < 0) { oputs("read "); oputs(path); oputs(" -> "); oresult(n); oputc('\n'); return; }
    oputn(fbuf, (ulong)n);
    if (n > 0 && fbuf[n - 1] != '\n') oputc('\n');
}

static const char *at_name(ulong t)
{
    switch (t) {
    case 0: return "AT_NULL";        case 1: return "AT_IGNORE";
    case 2: return "AT_EXECFD";      case 3: return "AT_PHDR";
    case 4: return "AT_PHENT";       case 5: return "AT_PHNUM";
    case 6: return "AT_PAGESZ";      case 7: return "AT_BASE";
    case 8: return "AT_FLAGS";       case 9: return "AT_ENTRY";
    case 10: return "AT_NOTELF";     case 11: return "AT_UID";
    case 12: return "AT_EUID";       case 13: return "AT_GID";
    case 14: return "AT_EGID";       case 15: return "AT_PLATFORM";
    case 16: return "AT_HWCAP";      case 17: return "AT_CLKTCK";
    case 23: return "AT_SECURE";     case 24: return "AT_BASE_PLATFORM";
    case 25: return "AT_RANDOM";     case 26: return "AT_HWCAP2";
    case 31: return "AT_EXECFN";     case 32: return "AT_SYSINFO";
    case 27: return "AT_RSEQ_FEATURE_SIZE"; case 28: return "AT_RSEQ_ALIGN";
    case 33: return "AT_SYSINFO_EHDR"; case 51: return "AT_MINSIGSTKSZ";
    }
    return 0;
}
static void oatname(ulong t)
{
    const char *n = at_name(t);
    if (n) oputs(n); else { oputs("AT_"); oudec(t); }
}

static void auxv(void)
{
    long n = slurp("auxv"), i;
    const ulong *w = (const ulong *)fbuf;
    osection(tag, "_AUXV");
    if (n < 0) { oputs("read auxv -> "); oresult(n); oputc('\n'); return; }
    for (i = 0; (i + 2) * (long)sizeof(ulong) <= n; i += 2) {
        oatname(w[i]);
        oputc(' ');
        ohex(w[i + 1]);
        oputc('\n');
        if (w[i] == 0) break;
    }
}

/* /proc/PID/stat fields (1-based, as in proc(5)) worth naming */
static const struct { int idx; const char *name; } statf[] = {
    { 10, "minflt" }, { 12, "majflt" }, { 23, "vsize" }, { 24, "rss" },
    { 26, "startcode" }, { 27, "endcode" }, { 28, "startstack" },
    { 29, "kstkesp" }, { 30, "kstkeip" }, { 45, "start_data" },
    { 46, "end_data" }, { 47, "start_brk" }, { 48, "arg_start" },
    { 49, "arg_end" }, { 50, "env_start" }, { 51, "env_end" },
};
static void statfields(void)
{
    long n = slurp("stat");
    const char *s = fbuf, *e;
    int idx = 3;
    ulong i, hexv;
    osection(tag, "_STATFIELDS");
    if (n <= 0) return;
    for (e = fbuf; *e; e++) if (*e == ')') s = e;       /* after the comm */
    s += 2;                                             /* ") " -> field 3 */
    while (*s && idx <= 52) {
        const char *f = s;
        while (*s && *s != ' ' && *s != '\n') s++;
        for (i = 0; i < sizeof statf / sizeof statf[0]; i++) {
            if (statf[i].idx != idx) continue;
            hexv = parse_num(f, 10, 0);
            oputs(statf[i].name);
            oputc(' ');
            oputn(f, (ulong)(s - f));
            if (idx >= 26) { oputs(" ("); ohex(hexv); oputc(')'); }
            oputc('\n');
        }
        if (*s) s++;
        idx++;
    }
}

#ifdef __x86_64__
static const char *const regnames[] = {
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8",
    "rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags",
    "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
};
#define REG_SP 19
#define REG_IP 16
#else
static const char *const regnames[] = {
    "ebx", "ecx", "edx", "esi", "edi", "ebp", "eax", "xds", "xes", "xfs",
    "xgs", "orig_eax", "eip", "xcs", "eflags", "esp", "xss",
};
#define REG_SP 15
#define REG_IP 12
#endif
#define NREGS (sizeof regnames / sizeof regnames[0])
static ulong regs[NREGS + 8];

static void ostr_escaped(const unsigned char *s, ulong max)
{
    ulong i;
    oputc('"');
    for (i = 0; i < max && s[i]; i++) {
        if (s[i] >= 32 && s[i] < 127 && s[i] != '"' && s[i] != '\\') oputc((char)s[i]);
        else { oputs("\\x"); ohexw(s[i], 2); }
    }
    oputc('"');
}

/* print a string pointer (the string itself if it lies in the copied stack) */
static void optr(ulong p, ulong sp, ulong len)
{
    ohex(p);
    if (p >= sp && p < sp + len) {
        oputc(' ');
        ostr_escaped(stk + (p - sp), sp + len - p);
    }
}

static void stack(ulong sp)
{
    long n = slurp("maps");
    const char *s = fbuf;
    ulong lo = 0, hi = 0, len, off, i, w, argc;
    const char *e;
    long r;
    osection(tag, "_STACKWORDS");
    while (n > 0 && *s) {
        const char *line = s;
        while (*s && *s != '\n') s++;
        for (e = line; e < s; e++)
            if (e + 7 <= s && memcmp(e, "[stack]", 7) == 0) {
                lo = parse_num(line, 16, &e);
                hi = parse_num(e + 1, 16, 0);
                break;
            }
        if (*s) s++;
    }
    if (!hi || sp < lo || sp >= hi) { oputs("no [stack] VMA around sp\n"); return; }
    len = hi - sp;
    if (len > sizeof stk) len = sizeof stk;
    for (off = 0; off < len; off += sizeof(ulong)) {
        r = u_ptrace(PTRACE_PEEKDATA, pid, sp + off, (ulong)&w);
        if (r < 0) { oputs("PEEKDATA failed -> "); oresult(r); oputc('\n'); len = off; break; }
        memcpy(stk + off, &w, sizeof w);
    }
    oputs("stack VMA ");
    ohex(lo); oputc('-'); ohex(hi);
    oputs(" sp "); ohex(sp);
    oputs(" bytes above sp "); oudec(hi - sp);
    oputc('\n');
    /* argc, argv, envp, auxv */
    off = 0;
#define WORD(o) (*(ulong *)(stk + (o)))
#define ADDR(o) ohex(sp + (o))
    argc = WORD(0);
    ADDR(0); oputs(" argc "); oudec(argc); oputc('\n');
    off = sizeof(ulong);
    for (i = 0; i <= argc && off < len; i++, off += sizeof(ulong)) {
        ADDR(off); oputs(" argv["); oudec(i); oputs("] ");
        optr(WORD(off), sp, len); oputc('\n');
    }
    for (i = 0; off < len; i++, off += sizeof(ulong)) {
        ADDR(off); oputs(" envp["); oudec(i); oputs("] ");
        optr(WORD(off), sp, len); oputc('\n');
        if (!WORD(off)) { off += sizeof(ulong); break; }
    }
    for (; off + 2 * sizeof(ulong) <= len; off += 2 * sizeof(ulong)) {
        ulong t = WORD(off), v = WORD(off + sizeof(ulong));
        ADDR(off); oputs(" auxv "); oatname(t); oputc(' ');
        if (t == 15 || t == 24 || t == 31) optr(v, sp, len);
        else if (t == 25 && v >= sp && v + 16 <= sp + len) {
            ohex(v); oputs(" bytes");
            for (i = 0; i < 16; i++) { oputc(' '); ohexw(stk[v - sp + i], 2); }
        } else ohex(v);
        oputc('\n');
        if (t == 0) { off += 2 * sizeof(ulong); break; }
    }
    ADDR(off); oputs(" end of auxv; "); oudec(len - off); oputs(" bytes to the stack top\n");
    osection(tag, "_STACK");
    for (off = 0; off < len; off += 16) {
        ulong k = (off & ~15UL), j;
        ohexw(sp + k, sizeof(ulong) * 2);
        oputc(':');
        for (j = 0; j < 16; j++) {
            if (k + j < len) { oputc(' '); ohexw(stk[k + j], 2); }
            else oputs("   ");
        }
        oputs("  |");
        for (j = 0; j < 16 && k + j < len; j++) {
            unsigned char c = stk[k + j];
            oputc(c >= 32 && c < 127 ? (char)c : '.');
        }
        oputs("|\n");
    }
}

void cmain(long *sp)
{
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    int i = 1, cont = 0, st = 0;
    char *argv0 = 0;
    const char *prog;
    long r;
    ulong k;

    while (i < argc && argv[i][0] == '-') {
        if (u_streq(argv[i], "-n") && i + 1 < argc) { tag = argv[i + 1]; i += 2; }
        else if (u_streq(argv[i], "-a") && i + 1 < argc) { argv0 = argv[i + 1]; i += 2; }
        else if (u_streq(argv[i], "-c")) { cont = 1; i++; }
        else break;
    }
    if (i >= argc) {
        oputs("usage: execstop [-n TAG] [-a ARGV0] [-c] PROG [ARG...]\n");
        oflush();
        u_exit(2);
    }
    prog = argv[i];
    if (argv0) argv[i] = argv0;     /* the child's argv is argv + i */
    oflush();
    pid = u_fork();
    if (pid == 0) {
        u_ptrace(PTRACE_TRACEME, 0, 0, 0);
        r = u_execve(prog, argv + i, child_env);
        oputs("execstop: execve "); oputs(prog); oputs(" -> "); oresult(r); oputc('\n');
        oflush();
        u_exit(127);
    }
    osection(tag, "_INFO");
    if (pid < 0) { oputs("fork -> "); oresult(pid); oputc('\n'); oflush(); u_exit(1); }
    r = u_wait4(pid, &st, 0, 0);
    oputs("arch " ARCH "\nprog "); oputs(prog);
    oputs("\nargv");
    for (k = (ulong)i; k < (ulong)argc; k++) { oputc(' '); ostr_escaped((const unsigned char *)argv[k], 4096); }
    oputs("\nenvp");
    for (k = 0; child_env[k]; k++) { oputc(' '); ostr_escaped((const unsigned char *)child_env[k], 4096); }
    oputs("\npid "); odec(pid);
    oputs("\nwait4 -> "); oresult(r);
    oputs(" status "); ohex((ulong)st);
    if ((st & 0xff) == 0x7f) { oputs(" stopped by signal "); oudec((ulong)(st >> 8) & 0xff); }
    oputc('\n');
    if ((st & 0xff) != 0x7f || ((st >> 8) & 0xff) != SIGTRAP) {
        oputs("execstop: child did not stop at exec\n");
        oflush();
        u_exit(1);
    }
    dump_file("maps", "_MAPS");
    dump_file("smaps", "_SMAPS");
    dump_file("smaps_rollup", "_SMAPS_ROLLUP");
    dump_file("status", "_STATUS");
    dump_file("stat", "_STAT");
    dump_file("statm", "_STATM");
    statfields();
    auxv();
    r = u_ptrace(PTRACE_GETREGS, pid, 0, (ulong)regs);
    osection(tag, "_REGS");
    if (r < 0) { oputs("PTRACE_GETREGS -> "); oresult(r); oputc('\n'); }
    else for (k = 0; k < NREGS; k++) { oputs(regnames[k]); oputc(' '); ohex(regs[k]); oputc('\n'); }
    stack(regs[REG_SP]);
    oflush();
    osection(tag, "_EXIT");
    if (cont) {
        r = u_ptrace(PTRACE_DETACH, pid, 0, 0);
        oputs("PTRACE_DETACH -> "); oresult(r); oputc('\n');
        oflush();
    } else {
        r = u_kill(pid, SIGKILL);
        oputs("kill SIGKILL -> "); oresult(r); oputc('\n');
    }
    st = 0;
    r = u_wait4(pid, &st, 0, 0);
    oputs("wait4 -> "); oresult(r); oputs(" status "); ohex((ulong)st);
    if ((st & 0x7f) == 0) { oputs(" exited "); oudec((ulong)(st >> 8) & 0xff); }
    else if ((st & 0x7f) != 0x7f) { oputs(" killed by signal "); oudec((ulong)st & 0x7f); }
    oputc('\n');
    oflush();
    u_exit(0);
}
