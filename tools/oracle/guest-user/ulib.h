/* tools/oracle/guest-user/ulib.h — the whole "C library" of the guest-user
 * programs (execstop, usersteps): raw Linux system calls, an entry point,
 * buffered output to fd 1 and a few string helpers.  No libc at all; built
 * with -nostdlib -ffreestanding for i386 (int $0x80) and x86_64 (syscall).
 *
 * Every system call returns the raw kernel value: a negative errno on
 * failure.  All buffers are static (.bss) so that a program's memory
 * footprint is fixed at link time.
 */
#ifndef ULIB_H
#define ULIB_H

#pragma GCC diagnostic ignored "-Wunused-function"

typedef unsigned long ulong;
typedef unsigned long long u64;
typedef long long s64;

/* ------------------------------------------------------------------ entry,
 * syscall trampoline, signal return, and the fault probes.
 * probe_rd(addr) returns the byte at addr, probe_wr(addr, v) stores v at
 * addr and returns 0; a signal handler that finds the faulting ip inside a
 * probe moves it to probe_fail, which returns -1 to the probe's caller
 * (the probes touch no stack before the access, so the return address is
 * still on top). */
long sc(long n, long a, long b, long c, long d, long e, long f);
void sigret(void);
long probe_rd(ulong addr);
long probe_wr(ulong addr, long v);
void probe_fail(void);
void cmain(long *sp);

#if defined(__x86_64__)
__asm__(".text\n"
        ".globl _start\n_start:\n"
        "  xor %ebp,%ebp\n  mov %rsp,%rdi\n  and $-16,%rsp\n  call cmain\n  hlt\n"
        ".globl sc\nsc:\n"
        "  mov %rdi,%rax\n  mov %rsi,%rdi\n  mov %rdx,%rsi\n  mov %rcx,%rdx\n"
        "  mov %r8,%r10\n  mov %r9,%r8\n  mov 8(%rsp),%r9\n  syscall\n  ret\n"
        ".globl sigret\nsigret:\n  mov $15,%eax\n  syscall\n  hlt\n"
        ".globl probe_rd\nprobe_rd:\n  movzbl (%rdi),%eax\n  ret\n"
        ".globl probe_wr\nprobe_wr:\n  mov %sil,(%rdi)\n  xor %eax,%eax\n  ret\n"
        ".globl probe_fail\nprobe_fail:\n  mov $-1,%rax\n  ret\n");
#define ARCH "x86_64"
enum {
    SYS_read = 0, SYS_write = 1, SYS_open = 2, SYS_close = 3, SYS_lseek = 8,
    SYS_mmap = 9, SYS_mprotect = 10, SYS_munmap = 11, SYS_brk = 12,
    SYS_rt_sigaction = 13, SYS_pread64 = 17, SYS_mremap = 25, SYS_mincore = 27,
    SYS_madvise = 28, SYS_getpid = 39, SYS_fork = 57, SYS_execve = 59,
    SYS_exit = 60, SYS_wait4 = 61, SYS_kill = 62, SYS_getrusage = 98,
    SYS_ptrace = 101, SYS_setresuid = 117, SYS_setresgid = 119,
    SYS_sigaltstack = 131, SYS_mlock = 149, SYS_munlock = 150,
    SYS_swapon = 167, SYS_swapoff = 168, SYS_exit_group = 231, SYS_prlimit64 = 302,
};
#define UC_IP_OFFSET 168        /* ucontext: 40 + 16 * 8 (REG_RIP) */
#define SI_ADDR_OFFSET 16
#elif defined(__i386__)
__asm__(".text\n"
        ".globl _start\n_start:\n"
        "  xor %ebp,%ebp\n  mov %esp,%eax\n  and $-16,%esp\n  sub $12,%esp\n"
        "  push %eax\n  call cmain\n  hlt\n"
        ".globl sc\nsc:\n"
        "  push %ebp\n  push %edi\n  push %esi\n  push %ebx\n"
        "  mov 20(%esp),%eax\n  mov 24(%esp),%ebx\n  mov 28(%esp),%ecx\n"
        "  mov 32(%esp),%edx\n  mov 36(%esp),%esi\n  mov 40(%esp),%edi\n"
        "  mov 44(%esp),%ebp\n  int $0x80\n"
        "  pop %ebx\n  pop %esi\n  pop %edi\n  pop %ebp\n  ret\n"
        ".globl sigret\nsigret:\n  mov $173,%eax\n  int $0x80\n  hlt\n"
        ".globl probe_rd\nprobe_rd:\n  mov 4(%esp),%edx\n  movzbl (%edx),%eax\n  ret\n"
        ".globl probe_wr\nprobe_wr:\n  mov 4(%esp),%edx\n  mov 8(%esp),%eax\n"
        "  mov %al,(%edx)\n  xor %eax,%eax\n  ret\n"
        ".globl probe_fail\nprobe_fail:\n  mov $-1,%eax\n  ret\n");
#define ARCH "i386"
enum {
    SYS_exit = 1, SYS_fork = 2, SYS_read = 3, SYS_write = 4, SYS_open = 5,
    SYS_close = 6, SYS_execve = 11, SYS_lseek = 19, SYS_getpid = 20,
    SYS_swapon = 87, SYS_swapoff = 115,
    SYS_ptrace = 26, SYS_kill = 37, SYS_brk = 45, SYS_getrusage = 77,
    SYS_old_mmap = 90 /* one pointer to the 6 args; byte offset */,
    SYS_munmap = 91, SYS_wait4 = 114, SYS_mprotect = 125, SYS_mlock = 150,
    SYS_munlock = 151, SYS_mremap = 163, SYS_rt_sigaction = 174,
    SYS_pread64 = 180, SYS_sigaltstack = 186, SYS_mmap2 = 192,
    SYS_setresuid = 208 /* setresuid32 */, SYS_setresgid = 210 /* setresgid32 */,
    SYS_mincore = 218, SYS_madvise = 219, SYS_exit_group = 252,
    SYS_prlimit64 = 340,
};
#define UC_IP_OFFSET 76         /* ucontext: 20 + 14 * 4 (eip) */
#define SI_ADDR_OFFSET 12
#else
#error "guest-user programs are for i386 and x86_64 only"
#endif

#define sc0(n) sc((n), 0, 0, 0, 0, 0, 0)
#define sc1(n, a) sc((n), (long)(a), 0, 0, 0, 0, 0)
#define sc2(n, a, b) sc((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define sc3(n, a, b, c) sc((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sc4(n, a, b, c, d) sc((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sc5(n, a, b, c, d, e) sc((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

#define PAGE 4096UL
#define KiB 1024UL
#define MiB (1024UL * 1024UL)

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 1
#define MAP_PRIVATE 2
#define MAP_SHARED_VALIDATE 3
#define MAP_FIXED 0x10
#define MAP_ANON 0x20
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define O_RDONLY 0
#define O_RDWR 2

#define SIGKILL 9
#define SIGBUS 7
#define SIGSEGV 11
#define SIGTRAP 5
#define SA_SIGINFO 4
#define SA_ONSTACK 0x08000000
#define SA_RESTORER 0x04000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000UL

#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9

static inline long u_mmap(ulong addr, ulong len, long prot, long flags, long fd, ulong off)
{
#ifdef __x86_64__
    return sc(SYS_mmap, (long)addr, (long)len, prot, flags, fd, (long)off);
#else
    return sc(SYS_mmap2, (long)addr, (long)len, prot, flags, fd, (long)(off >> 12));
#endif
}
static inline long u_write(int fd, const void *b, ulong n) { return sc3(SYS_write, fd, b, n); }
static inline long u_read(int fd, void *b, ulong n) { return sc3(SYS_read, fd, b, n); }
static inline long u_open(const char *p, long fl) { return sc3(SYS_open, p, fl, 0); }
static inline long u_close(int fd) { return sc1(SYS_close, fd); }
static inline long u_munmap(ulong a, ulong l) { return sc2(SYS_munmap, a, l); }
static inline long u_mprotect(ulong a, ulong l, long p) { return sc3(SYS_mprotect, a, l, p); }
static inline long u_brk(ulong a) { return sc1(SYS_brk, a); }
static inline long u_fork(void) { return sc0(SYS_fork); }
static inline long u_getpid(void) { return sc0(SYS_getpid); }
static inline long u_wait4(long pid, int *st, long opt, void *ru) { return sc4(SYS_wait4, pid, st, opt, ru); }
static inline long u_kill(long pid, long sig) { return sc2(SYS_kill, pid, sig); }
static inline long u_ptrace(long req, long pid, ulong addr, ulong data) { return sc4(SYS_ptrace, req, pid, addr, data); }
static inline long u_execve(const char *p, char *const *av, char *const *ev) { return sc3(SYS_execve, p, av, ev); }
static inline long u_getrusage(long who, long *ru) { return sc2(SYS_getrusage, who, ru); }
static inline long u_lseek(int fd, long off, int wh) { return sc3(SYS_lseek, fd, off, wh); }
static inline long u_swapon(const char *p, long flags) { return sc2(SYS_swapon, p, flags); }
static inline long u_swapoff(const char *p) { return sc1(SYS_swapoff, p); }
static __attribute__((noreturn)) void u_exit(int code)
{
    for (;;) sc1(SYS_exit_group, code);
}

struct rlim64 { u64 cur, max; };
static inline long u_prlimit(int res, const struct rlim64 *nw, struct rlim64 *old)
{
    return sc4(SYS_prlimit64, 0, res, nw, old);
}

/* kernel struct sigaction as rt_sigaction(2) takes it (both arches) */
struct ksigaction {
    void *handler;
    ulong flags;
    void (*restorer)(void);
    ulong mask[8 / sizeof(ulong)];
};
struct kstack { void *sp; int flags; ulong size; };

static long u_sigaction(int sig, void *handler, ulong flags)
{
    struct ksigaction sa;
    ulong i;
    sa.handler = handler;
    sa.flags = flags | SA_RESTORER;
    sa.restorer = sigret;
    for (i = 0; i < sizeof sa.mask / sizeof sa.mask[0]; i++) sa.mask[i] = 0;
    return sc4(SYS_rt_sigaction, sig, &sa, 0, 8);
}
static inline int si_code(const void *si) { return ((const int *)si)[2]; }
static inline ulong si_addr(const void *si) { return *(const ulong *)((const char *)si + SI_ADDR_OFFSET); }
static inline ulong *uc_ip(void *uc) { return (ulong *)((char *)uc + UC_IP_OFFSET); }

/* --------------------------------------------------------- mem functions
 * gcc may emit calls to these even with -ffreestanding */
void *memset(void *d, int c, ulong n)
{
    unsigned char *p = d;
    while (n--) *p++ = (unsigned char)c;
    return d;
}
void *memcpy(void *d, const void *s, ulong n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) *p++ = *q++;
    return d;
}
void *memmove(void *d, const void *s, ulong n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if (p < q) while (n--) *p++ = *q++;
    else while (n--) p[n] = q[n];
    return d;
}
int memcmp(const void *a, const void *b, ulong n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++) if (*p != *q) return *p - *q;
    return 0;
}
static ulong u_strlen(const char *s) { ulong n = 0; while (s[n]) n++; return n; }
static int u_streq(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}
static int u_startswith(const char *s, const char *pre)
{
    while (*pre) if (*s++ != *pre++) return 0;
    return 1;
}

/* ------------------------------------------------------------------ output
 * Everything goes through obuf (.bss) and is written to fd 1 by oflush(). */
#define OBUF_SIZE (64 * 1024)
static char obuf[OBUF_SIZE];
static ulong olen;

static void oflush(void)
{
    ulong off = 0;
    while (off < olen) {
        long r = u_write(1, obuf + off, olen - off);
        if (r <= 0) break;
        off += (ulong)r;
    }
    olen = 0;
}
static void oputc(char c)
{
    if (olen == OBUF_SIZE) oflush();
    obuf[olen++] = c;
}
static void oputn(const char *s, ulong n) { while (n--) oputc(*s++); }
static void oputs(const char *s) { while (*s) oputc(*s++); }
static void oudec(ulong v)
{
    char t[24];
    int n = 0;
    do t[n++] = (char)('0' + v % 10); while (v /= 10);
    while (n) oputc(t[--n]);
}
static void odec(long v)
{
    if (v < 0) { oputc('-'); oudec(0UL - (ulong)v); }
    else oudec((ulong)v);
}
/* hex with at least `width` digits (no prefix) */
static void ohexw(u64 v, int width)
{
    char t[20];
    int n = 0;
    do { t[n++] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
    while (n < width) t[n++] = '0';
    while (n) oputc(t[--n]);
}
static void ohex(u64 v) { oputs("0x"); ohexw(v, 1); }
static void osection(const char *a, const char *b)
{
    oputs("===");
    oputs(a);
    if (b) oputs(b);
    oputc('\n');
}

static const char *errname(long e)
{
    switch (e) {
    case 1: return "EPERM";    case 2: return "ENOENT";   case 3: return "ESRCH";
    case 4: return "EINTR";    case 5: return "EIO";      case 6: return "ENXIO";
    case 7: return "E2BIG";    case 8: return "ENOEXEC";  case 9: return "EBADF";
    case 10: return "ECHILD";  case 11: return "EAGAIN";  case 12: return "ENOMEM";
    case 13: return "EACCES";  case 14: return "EFAULT";  case 16: return "EBUSY";
    case 17: return "EEXIST";  case 19: return "ENODEV";  case 20: return "ENOTDIR";
    case 21: return "EISDIR";  case 22: return "EINVAL";  case 23: return "ENFILE";
    case 24: return "EMFILE";  case 26: return "ETXTBSY"; case 27: return "EFBIG";
    case 28: return "ENOSPC";  case 29: return "ESPIPE";  case 34: return "ERANGE";
    case 38: return "ENOSYS";  case 75: return "EOVERFLOW"; case 95: return "EOPNOTSUPP";
    }
    return 0;
}
/* "-ENAME" for small negative values, else the value in hex */
static void oresult(long r)
{
    if (r < 0 && r > -4096) {
        const char *n = errname(-r);
        oputc('-');
        if (n) oputs(n); else { oputs("E?"); oudec((ulong)-r); }
    } else {
        ohex((ulong)r);
    }
}

/* ------------------------------------------------------------- file input */
/* Read a whole file into buf (at most cap-1 bytes, NUL-terminated).
 * Returns the length, or a negative errno. */
static long readfile(const char *path, char *buf, ulong cap)
{
    long fd = u_open(path, O_RDONLY), r = 0;
    ulong n = 0;
    if (fd < 0) { buf[0] = 0; return fd; }
    while (n + 1 < cap && (r = u_read((int)fd, buf + n, cap - 1 - n)) > 0) n += (ulong)r;
    u_close((int)fd);
    buf[n] = 0;
    if (n == 0 && r < 0) return r;
    return (long)n;
}
/* parse an unsigned number (decimal, or hex when base 16) */
static ulong parse_num(const char *s, int base, const char **end)
{
    ulong v = 0;
    for (;; s++) {
        int d;
        if (*s >= '0' && *s <= '9') d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f') d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F') d = *s - 'A' + 10;
        else break;
        v = v * (ulong)base + (ulong)d;
    }
    if (end) *end = s;
    return v;
}
/* value of the "Name:   N kB" line of a /proc file held in buf, or -1 */
static long field_kb(const char *buf, const char *name)
{
    const char *s = buf;
    ulong n = u_strlen(name);
    while (*s) {
        if (memcmp(s, name, n) == 0 && s[n] == ':') {
            s += n + 1;
            while (*s == ' ' || *s == '\t') s++;
            return (long)parse_num(s, 10, 0);
        }
        while (*s && *s != '\n') s++;
        if (*s) s++;
    }
    return -1;
}

#endif
