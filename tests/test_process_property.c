/* test_process_property.c — processes and their memory against a model, with fixed seeds.
 *
 * Per machine and seed, thousands of random steps across up to eight live
 * processes. Each runs a tiny static ELF the test writes itself (text,
 * data with a bss tail, [heap], [vvar], [vdso], [stack]); processes fork,
 * exec again, exit, die of a signal and are reaped, while they mmap
 * (private and shared anonymous; no hint, a hint, MAP_FIXED,
 * MAP_FIXED_NOREPLACE, MAP_POPULATE, MAP_GROWSDOWN; huge-page-aligned
 * regions where THP is on), munmap, mprotect, mremap (shrink, grow in
 * place, MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP, a shared
 * mapping duplicated by an old_len of 0), madvise (DONTNEED, DONTFORK,
 * WIPEONFORK), brk, and read, write and execute their memory.
 *
 * The test keeps a model of every address space — which pages are
 * mapped, with what protection, backed by what, holding which bytes —
 * and after every step checks that:
 *   - mmsim_verify() finds nothing;
 *   - every address space has exactly the model's pages, protections,
 *     backing objects and offsets, VM_GROWSDOWN, VM_DONTCOPY and
 *     VM_WIPEONFORK, and its brk;
 *   - every byte a process reads is the model's: zeros where nothing was
 *     written, one writer's bytes in every sharer of a MAP_SHARED page,
 *     copy-on-write for private memory across fork, contents carried by
 *     mremap, dropped by MADV_DONTNEED (private) and munmap;
 *   - every fault raises the kernel's signal, si_code and si_addr, and
 *     kills a process without a handler;
 *   - every call returns what 6.1's mm/mmap.c, mprotect.c, mremap.c and
 *     madvise.c return for it, errors included;
 * and at the end, with every process reaped, that the machine's memory
 * has come back (check_memory_returned()).
 *
 * The model and VMAs. The model keeps segments: runs of pages it knows
 * lie in one kernel VMA (a fresh mmap, what is left of a VMA after a cut,
 * a part whose protection changed). Two neighbouring segments may or may
 * not be one VMA — the kernel merges neighbours whose flags and anon_vma
 * agree, which the model does not track — so a call whose answer depends
 * on that (mremap across two such segments) is not made.
 *
 * A failure names the machine, the seed, the step and the operation.
 * PROP_MACHINE=<name> PROP_SEED=<n> PROP_STEPS=<n> run one of them again,
 * PROP_TRACE=1 prints every step. */
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mmsim/errno.h>
#include <mmsim/process.h>

/* fs/fs.h names the simulated inode's mode bits as the kernel does: the host's go. */
#undef S_IFMT
#undef S_IFREG
#undef S_IFDIR
#include "fs/fs.h"
#include "helpers.h"
#include "kernel/sched.h"
#include "test.h"

#define MAX_LIVE	8	/* live processes at once */
#define MAX_SLOTS	16	/* live and zombie */
#define MAX_SEGS	40	/* no new mapping once a process has this many segments */
#define MAX_MAP_PAGES	64
#define MAX_BIG		2	/* huge-page-aligned regions per address space */
#define WINDOW		(96 * MiB)	/* where random addresses are drawn: below mmap_base */
#define MAX_ACCESS	(3 * PAGE_SIZE)

#define PROT_RW		(MMSIM_PROT_READ | MMSIM_PROT_WRITE)
#define PROT_RWX	(MMSIM_PROT_READ | MMSIM_PROT_WRITE | MMSIM_PROT_EXEC)
#define ANON_PRIVATE	(MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS)
#define ANON_SHARED	(MMSIM_MAP_SHARED | MMSIM_MAP_ANONYMOUS)
#define MMAP_MIN_ADDR	65536ULL	/* vm.mmap_min_addr */
#define NO_SUCH_FLAG	0x200000	/* a bit no mmap flag uses: ignored */

#define SIG_SEGV	11
#define SIG_BUS		7
#define CODE_MAPERR	1
#define CODE_ACCERR	2
#define CODE_ADRERR	2
#define CODE_KERNEL	0x80	/* SI_KERNEL: a general protection fault */

/*
 * The program: one file, three PT_LOADs' worth of memory.
 *   file [0, 0x2000)       text at base, r-x (the ELF header is its start)
 *   file [0x2000, 0x3800)  data at base + 0x3000, rw-; bss from
 *                          base + 0x4800 to base + 0x7800
 *   file [0x3800, 0x3c00)  bytes after the data that exec's padzero must
 *                          hide in the data's last page (and that
 *                          MADV_DONTNEED brings back, as in the kernel)
 */
#define IMG_TEXT_LEN	0x2000ULL
#define IMG_DATA_VADDR	0x3000ULL
#define IMG_DATA_OFF	0x2000ULL
#define IMG_DATA_FILESZ	0x1800ULL
#define IMG_DATA_MEMSZ	0x4800ULL
#define IMG_FILE_SIZE	0x3c00UL
#define IMG_ENTRY	0x100ULL

/* ---- the model ------------------------------------------------------------------------- */

/* A page's bytes, shared copy-on-write by the private pages of forked processes. */
struct shadow {
	unsigned int ref;
	unsigned char b[PAGE_SIZE];
};

/* What shared pages and private file pages map: a shmem object or the program file. */
struct object {
	unsigned int ref;		/* segments that map it (the file: + 1 for the run) */
	bool is_file;
	bool charged;			/* shmem_zero_setup() charged its size to Committed_AS */
	uint64_t npages;		/* its size (i_size), in pages: beyond it, SIGBUS */
	struct shadow **pages;		/* NULL: a zero page (shmem); the file has them all */
	const struct inode *inode;	/* the kernel's inode, once seen */
	struct object *next;		/* the run's list */
};

enum seg_kind {
	K_ANON,		/* private anonymous */
	K_SHARED,	/* MAP_SHARED | MAP_ANONYMOUS: a shmem object */
	K_FILE,		/* private, of the program file */
	K_SPECIAL,	/* [vvar], [vdso]: never touched nor changed by the test */
};

#define SF_GROWSDOWN	0x1	/* VM_GROWSDOWN */
#define SF_DONTFORK	0x2	/* VM_DONTCOPY */
#define SF_WIPEONFORK	0x4	/* VM_WIPEONFORK */
#define SF_ACCOUNT	0x8	/* VM_ACCOUNT: its pages are in Committed_AS */
#define SF_NORESERVE	0x10	/* VM_NORESERVE */

struct seg {
	uint64_t start, end;
	int prot;
	enum seg_kind kind;
	unsigned int flags;		/* SF_* */
	struct object *obj;		/* K_SHARED, K_FILE */
	uint64_t pgoff;			/* the object's page at start */
	uint64_t id;			/* segments cut from one keep it until normalize() */
	struct shadow **pages;		/* K_ANON, K_FILE: the private copy, NULL: the backing */
};

struct proc {
	bool used;
	bool zombie;
	int pid, parent;		/* parent 1: init */
	int status;			/* a zombie's wait status */
	bool handler[2];		/* [0] SIGSEGV, [1] SIGBUS: caught, the process lives on */
	struct seg *segs;		/* by address */
	unsigned int nsegs, cap;
	uint64_t start_brk, brk;
	uint64_t win_lo, win_hi;	/* the window random addresses come from */
	unsigned int nbig;
};

struct machine_cfg {
	const char *name;
	enum mmsim_arch arch;
	unsigned int mib;
	unsigned int nseeds;
	long steps;
};

struct meminfo_kb {
	long free, cached, slab, pagetables, kernel_stack, anon, shmem, committed, anon_huge,
	     vmalloc_used;
	long kernel_pgtables;	/* kB of kernel page tables (vmalloc's): in no /proc/meminfo line */
};

struct run {
	const struct machine_cfg *cfg;
	uint64_t seed;
	long step;
	char op[384];
	bool trace;
	struct machine *m;
	uint64_t rng;
	bool is64;
	uint64_t task_size, hpage, guard_gap, stack_rlimit;
	bool thp;
	char elf_path[64];
	unsigned char elf[IMG_FILE_SIZE];
	struct object *file;
	struct object *objects;
	struct proc procs[MAX_SLOTS];
	uint64_t next_id;
	uint64_t stack_leak;		/* pages charged by growing stacks without VM_ACCOUNT */
	unsigned long committed_base;	/* Committed_AS before the first process */
	/* what the run did, for -v */
	unsigned long calls, faults, forks, execs, deaths, skipped, thp_faults;
};

static void fail(struct run *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(struct run *r, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: %s seed %" PRIu64 " step %ld: %s\n  ", __FILE__, line, r->cfg->name,
		r->seed, r->step, r->op);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  replay: PROP_MACHINE=%s PROP_SEED=%" PRIu64 " PROP_STEPS=%ld PROP_TRACE=1\n",
		r->cfg->name, r->seed, r->step + 1);
}

#define CHECK(r, cond, ...) do { \
	if (!(cond)) { \
		fail(r, __LINE__, __VA_ARGS__); \
		return false; \
	} } while (0)

/* A call's result against the model's. */
#define CHECK_RET(r, got, want) do { \
	long long _g = (long long)(got), _w = (long long)(want); \
	CHECK(r, _g == _w, "%s returned %lld (%#llx), the model says %lld (%#llx)", #got, _g, \
	      (unsigned long long)_g, _w, (unsigned long long)_w); \
	} while (0)

static void set_op(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_op(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->op, sizeof(r->op), fmt, ap);
	va_end(ap);
	if (r->trace)
		fprintf(stderr, "step %ld: %s\n", r->step, r->op);
	r->calls++;
}

static uint64_t rnd(struct run *r)
{
	return xorshift64(&r->rng);
}

static uint64_t below(struct run *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

static bool chance(struct run *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

/* PAGE_ALIGN() in the width of the process's unsigned long: i386's wraps at 4 GiB. */
static uint64_t page_align(const struct run *r, uint64_t len)
{
	uint64_t a = (len + PAGE_SIZE - 1) & PAGE_MASK;

	return r->is64 ? a : (uint32_t)a;
}

static struct shadow *shadow_new(const unsigned char *from)
{
	struct shadow *s = malloc(sizeof(*s));

	if (!s)
		abort();
	s->ref = 1;
	if (from)
		memcpy(s->b, from, PAGE_SIZE);
	else
		memset(s->b, 0, PAGE_SIZE);
	return s;
}

static struct shadow *shadow_get(struct shadow *s)
{
	if (s)
		s->ref++;
	return s;
}

static void shadow_put(struct shadow *s)
{
	if (s && !--s->ref)
		free(s);
}

static struct object *object_new(struct run *r, uint64_t npages, bool is_file)
{
	struct object *o = calloc(1, sizeof(*o));

	if (!o || !(o->pages = calloc(npages ? npages : 1, sizeof(*o->pages))))
		abort();
	o->ref = 1;
	o->npages = npages;
	o->is_file = is_file;
	o->next = r->objects;
	r->objects = o;
	return o;
}

static struct object *object_get(struct object *o)
{
	if (o)
		o->ref++;
	return o;
}

static void object_put(struct run *r, struct object *o)
{
	if (!o || --o->ref)
		return;
	for (struct object **pp = &r->objects; *pp; pp = &(*pp)->next)
		if (*pp == o) {
			*pp = o->next;
			break;
		}
	for (uint64_t i = 0; i < o->npages; i++)
		shadow_put(o->pages[i]);
	free(o->pages);
	free(o);
}

static uint64_t seg_pages(const struct seg *s)
{
	return (s->end - s->start) >> PAGE_SHIFT;
}

static bool has_pages(const struct seg *s)
{
	return s->kind == K_ANON || s->kind == K_FILE;
}

static void seg_release(struct run *r, struct seg *s)
{
	if (s->pages) {
		for (uint64_t i = 0; i < seg_pages(s); i++)
			shadow_put(s->pages[i]);
		free(s->pages);
		s->pages = NULL;
	}
	object_put(r, s->obj);
	s->obj = NULL;
}

/* The index of the segment holding @addr, or -1. */
static int seg_find(const struct proc *p, uint64_t addr)
{
	for (unsigned int i = 0; i < p->nsegs; i++)
		if (p->segs[i].start <= addr && addr < p->segs[i].end)
			return (int)i;
	return -1;
}

/* The first segment that ends above @addr (find_vma()), or nsegs. */
static unsigned int seg_after(const struct proc *p, uint64_t addr)
{
	unsigned int i = 0;

	while (i < p->nsegs && p->segs[i].end <= addr)
		i++;
	return i;
}

/* Does any segment meet [start, end)? */
static bool range_used(const struct proc *p, uint64_t start, uint64_t end)
{
	unsigned int i = seg_after(p, start);

	return i < p->nsegs && p->segs[i].start < end;
}

static bool range_touches_special(const struct proc *p, uint64_t start, uint64_t end)
{
	for (unsigned int i = seg_after(p, start); i < p->nsegs && p->segs[i].start < end; i++)
		if (p->segs[i].kind == K_SPECIAL)
			return true;
	return false;
}

static void seg_insert_at(struct proc *p, unsigned int i, const struct seg *s)
{
	if (p->nsegs == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->segs = realloc(p->segs, p->cap * sizeof(*p->segs));
		if (!p->segs)
			abort();
	}
	memmove(&p->segs[i + 1], &p->segs[i], (p->nsegs - i) * sizeof(*p->segs));
	p->segs[i] = *s;
	p->nsegs++;
}

static void seg_insert(struct proc *p, const struct seg *s)
{
	seg_insert_at(p, seg_after(p, s->start), s);
}

static void seg_remove_at(struct run *r, struct proc *p, unsigned int i)
{
	seg_release(r, &p->segs[i]);
	memmove(&p->segs[i], &p->segs[i + 1], (p->nsegs - i - 1) * sizeof(*p->segs));
	p->nsegs--;
}

/* Cut the segment holding @addr in two there (both keep its id). */
static void seg_split(struct proc *p, uint64_t addr)
{
	int i = seg_find(p, addr);

	if (i < 0 || p->segs[i].start == addr)
		return;
	struct seg right = p->segs[i];
	struct seg *left = &p->segs[i];
	uint64_t nleft = (addr - left->start) >> PAGE_SHIFT, n = seg_pages(left);
	right.start = addr;
	if (right.kind == K_SHARED || right.kind == K_FILE)
		right.pgoff = left->pgoff + nleft;
	object_get(right.obj);
	if (left->pages) {
		right.pages = malloc((n - nleft) * sizeof(*right.pages));
		if (!right.pages)
			abort();
		memcpy(right.pages, left->pages + nleft, (n - nleft) * sizeof(*right.pages));
		left->pages = realloc(left->pages, nleft * sizeof(*left->pages));
	}
	left->end = addr;
	seg_insert_at(p, (unsigned int)i + 1, &right);
}

/* munmap() in the model. */
static void model_unmap(struct run *r, struct proc *p, uint64_t start, uint64_t end)
{
	seg_split(p, start);
	seg_split(p, end);
	for (unsigned int i = seg_after(p, start); i < p->nsegs && p->segs[i].start < end;)
		seg_remove_at(r, p, i);
}

/* Could @a, followed directly by @b, be one VMA? (Not: certainly two.) */
static bool same_vma_flags(const struct seg *a, const struct seg *b)
{
	if (a->prot != b->prot || a->kind != b->kind || a->flags != b->flags || a->obj != b->obj)
		return false;
	if (a->kind == K_SHARED || a->kind == K_FILE)
		return a->pgoff + seg_pages(a) == b->pgoff;
	return a->kind != K_SPECIAL;
}

/*
 * Join the pieces that seg_split() cut and nothing changed since (same id,
 * side by side), then give a fresh id to any piece that shares its id with
 * one further away — a VMA cut in two by munmap is two VMAs.
 */
static void normalize(struct run *r, struct proc *p)
{
	for (unsigned int i = 0; i + 1 < p->nsegs;) {
		struct seg *a = &p->segs[i], *b = &p->segs[i + 1];
		if (a->id != b->id || a->end != b->start || !same_vma_flags(a, b)) {
			i++;
			continue;
		}
		uint64_t na = seg_pages(a), nb = seg_pages(b);
		if (a->pages) {
			a->pages = realloc(a->pages, (na + nb) * sizeof(*a->pages));
			if (!a->pages)
				abort();
			memcpy(a->pages + na, b->pages, nb * sizeof(*b->pages));
			free(b->pages);
			b->pages = NULL;
		}
		a->end = b->end;
		object_put(r, b->obj);
		b->obj = NULL;
		memmove(b, b + 1, (p->nsegs - i - 2) * sizeof(*b));
		p->nsegs--;
	}
	for (unsigned int i = 1; i < p->nsegs; i++)
		for (unsigned int j = 0; j < i; j++)
			if (p->segs[j].id == p->segs[i].id) {
				p->segs[i].id = r->next_id++;
				break;
			}
}

/* The bytes page @i of @s shows (NULL: zeros), or NULL with *sigbus beyond its object. */
static const unsigned char *page_bytes(const struct seg *s, uint64_t i, bool *sigbus)
{
	*sigbus = false;
	if (s->pages && s->pages[i])
		return s->pages[i]->b;
	if (s->kind == K_ANON)
		return NULL;
	uint64_t pg = s->pgoff + i;
	if (pg >= s->obj->npages) {
		*sigbus = true;
		return NULL;
	}
	return s->obj->pages[pg] ? s->obj->pages[pg]->b : NULL;
}

/* A store of @n bytes at @off of page @i of @s: shared pages in place, private ones copied first. */
static void page_store(struct seg *s, uint64_t i, size_t off, const unsigned char *src, size_t n)
{
	struct shadow **pp;
	bool sigbus;

	if (s->kind == K_SHARED) {
		pp = &s->obj->pages[s->pgoff + i];
		if (!*pp)
			*pp = shadow_new(NULL);
	} else {
		pp = &s->pages[i];
		if (!*pp) {
			*pp = shadow_new(page_bytes(s, i, &sigbus));
		} else if ((*pp)->ref > 1) {
			struct shadow *copy = shadow_new((*pp)->b);
			shadow_put(*pp);
			*pp = copy;
		}
	}
	memcpy((*pp)->b + off, src, n);
}

static struct seg new_seg(struct run *r, uint64_t start, uint64_t end, int prot, enum seg_kind kind)
{
	struct seg s = { .start = start, .end = end, .prot = prot, .kind = kind, .id = r->next_id++ };

	if (has_pages(&s)) {
		s.pages = calloc(seg_pages(&s), sizeof(*s.pages));
		if (!s.pages)
			abort();
	}
	return s;
}

static struct proc *proc_by_pid(struct run *r, int pid)
{
	for (unsigned int i = 0; i < MAX_SLOTS; i++)
		if (r->procs[i].used && r->procs[i].pid == pid)
			return &r->procs[i];
	return NULL;
}

static unsigned int nr_live(const struct run *r)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < MAX_SLOTS; i++)
		n += r->procs[i].used && !r->procs[i].zombie;
	return n;
}

/* A random live process, or NULL. */
static struct proc *pick_live(struct run *r)
{
	unsigned int n = nr_live(r), k;

	if (!n)
		return NULL;
	k = (unsigned int)below(r, n);
	for (unsigned int i = 0; i < MAX_SLOTS; i++)
		if (r->procs[i].used && !r->procs[i].zombie && !k--)
			return &r->procs[i];
	return NULL;
}

static void model_free_mm(struct run *r, struct proc *p)
{
	for (unsigned int i = 0; i < p->nsegs; i++)
		seg_release(r, &p->segs[i]);
	p->nsegs = 0;
}

/* The process ends (exit, or a signal): a zombie, its children init's. */
static void model_exit(struct run *r, struct proc *p, int status)
{
	model_free_mm(r, p);
	p->zombie = true;
	p->status = status;
	for (unsigned int i = 0; i < MAX_SLOTS; i++)
		if (r->procs[i].used && r->procs[i].parent == p->pid)
			r->procs[i].parent = 1;
}

static void dump_model(const struct proc *p)
{
	static const char *const kinds[] = { "anon", "shared", "file", "special" };

	fprintf(stderr, "  model of pid %d (brk %#" PRIx64 ", start_brk %#" PRIx64 "):\n", p->pid,
		p->brk, p->start_brk);
	for (unsigned int i = 0; i < p->nsegs; i++) {
		const struct seg *s = &p->segs[i];
		fprintf(stderr, "    %08" PRIx64 "-%08" PRIx64 " %c%c%c %-7s pgoff %" PRIu64
			"%s%s%s id %" PRIu64 "\n", s->start, s->end,
			s->prot & MMSIM_PROT_READ ? 'r' : '-', s->prot & MMSIM_PROT_WRITE ? 'w' : '-',
			s->prot & MMSIM_PROT_EXEC ? 'x' : '-', kinds[s->kind], s->pgoff,
			s->flags & SF_GROWSDOWN ? " growsdown" : "", s->flags & SF_DONTFORK ? " dontfork" : "",
			s->flags & SF_WIPEONFORK ? " wipeonfork" : "", s->id);
	}
}

static void dump_kernel(struct run *r, int pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	char *maps = proc(r->m, path);
	fprintf(stderr, "  /proc/%d/maps:\n%s", pid, maps ? maps : "(none)\n");
	free(maps);
}

/* ---- the layout against the kernel's VMAs -------------------------------------------------- */

static struct mm_struct *mm_of(struct run *r, int pid)
{
	struct task_struct *t = find_task_by_pid(r->m, pid);

	return t && !t->exit_state ? t->mm : NULL;
}

static int vma_prot(const struct vm_area_struct *v)
{
	return (v->vm_flags & VM_READ ? MMSIM_PROT_READ : 0) |
	       (v->vm_flags & VM_WRITE ? MMSIM_PROT_WRITE : 0) |
	       (v->vm_flags & VM_EXEC ? MMSIM_PROT_EXEC : 0);
}

/* The object's inode: the same one wherever it is mapped, and no other object's. */
static bool check_inode(struct run *r, struct object *o, const struct inode *inode)
{
	if (!o->inode) {
		for (struct object *x = r->objects; x; x = x->next)
			CHECK(r, x->inode != inode, "two objects of the model are one inode %p", (void *)inode);
		o->inode = inode;
	}
	return o->inode == inode;
}

/* Why the VMA @v cannot hold segment @s, or NULL. */
static const char *seg_vma_mismatch(struct run *r, const struct seg *s, const struct vm_area_struct *v)
{
	if (!v || v->vm_start > s->start || v->vm_end < s->end)
		return "not within one VMA";
	if (vma_prot(v) != s->prot)
		return "protection";
	if (!!(v->vm_flags & VM_GROWSDOWN) != !!(s->flags & SF_GROWSDOWN))
		return "VM_GROWSDOWN";
	if (!!(v->vm_flags & VM_DONTCOPY) != !!(s->flags & SF_DONTFORK))
		return "VM_DONTCOPY";
	if (!!(v->vm_flags & VM_WIPEONFORK) != !!(s->flags & SF_WIPEONFORK))
		return "VM_WIPEONFORK";
	if (!!(v->vm_flags & VM_ACCOUNT) != !!(s->flags & SF_ACCOUNT))
		return "VM_ACCOUNT";
	if (!!(v->vm_flags & VM_NORESERVE) != !!(s->flags & SF_NORESERVE))
		return "VM_NORESERVE";
	switch (s->kind) {
	case K_ANON:
		if (v->vm_file || v->vm_ops || (v->vm_flags & VM_MAYSHARE))
			return "not private anonymous";
		return NULL;
	case K_SHARED:
		if (!v->vm_file || !shmem_file(v->vm_file) || !(v->vm_flags & VM_SHARED))
			return "not shared anonymous";
		break;
	case K_FILE:
		if (!v->vm_file || shmem_file(v->vm_file) || (v->vm_flags & VM_MAYSHARE))
			return "not a private file mapping";
		break;
	case K_SPECIAL:
		return v->vm_file || !v->vm_private_data ? "not a special mapping" : NULL;
	}
	if (linear_page_index(v, s->start) != s->pgoff)
		return "file offset";
	/* The program file's inode may go and come back; a shmem object's lives as long as it is mapped. */
	if (s->kind == K_FILE ? strcmp(v->vm_file->f_inode->path, r->elf_path)
			      : !check_inode(r, s->obj, v->vm_file->f_inode))
		return "another object";
	return NULL;
}

static bool check_layout(struct run *r, struct proc *p)
{
	struct mm_struct *mm = mm_of(r, p->pid);
	uint64_t model = 0, kernel = 0;

	CHECK(r, mm, "pid %d has no address space", p->pid);
	for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next)
		kernel += vma_pages(v);
	for (unsigned int i = 0; i < p->nsegs; i++) {
		const struct seg *s = &p->segs[i];
		const char *why = seg_vma_mismatch(r, s, find_vma(mm, s->start));
		model += seg_pages(s);
		if (why) {
			dump_model(p);
			dump_kernel(r, p->pid);
			CHECK(r, false, "pid %d: the model's %#" PRIx64 "-%#" PRIx64 " and its VMA differ: %s",
			      p->pid, s->start, s->end, why);
		}
	}
	if (model != kernel) {
		dump_model(p);
		dump_kernel(r, p->pid);
		CHECK(r, false, "pid %d maps %" PRIu64 " pages, the model %" PRIu64, p->pid, kernel, model);
	}
	CHECK(r, mm->brk == p->brk && mm->start_brk == p->start_brk,
	      "pid %d: brk %#" PRIx64 " start_brk %#" PRIx64 ", the model %#" PRIx64 " %#" PRIx64,
	      p->pid, mm->brk, mm->start_brk, p->brk, p->start_brk);
	return true;
}

static bool verify_ok(struct run *r)
{
	char *buf = NULL;
	unsigned long bad;

	CAPTURE(buf, bad = mmsim_verify(r->m, _f));
	if (bad && r->trace)
		for (unsigned int i = 0; i < MAX_SLOTS; i++)
			if (r->procs[i].used && !r->procs[i].zombie) {
				dump_model(&r->procs[i]);
				dump_kernel(r, r->procs[i].pid);
			}
	if (bad)
		fail(r, __LINE__, "mmsim_verify found %lu problems:\n%s", bad, buf);
	free(buf);
	return bad == 0;
}

/* ---- memory accesses --------------------------------------------------------------------- */

enum access { ACC_READ, ACC_WRITE, ACC_EXEC };

struct fault {
	int signo, code;
	uint64_t addr;
};

static int sig_slot(int signo)
{
	return signo == SIG_BUS;
}

/*
 * A fault below a VM_GROWSDOWN segment grows it down to the page
 * (expand_downwards): not below mmap_min_addr, not to within
 * stack_guard_gap of an accessible mapping below, not beyond
 * RLIMIT_STACK. The index of the grown segment, or -1.
 */
static int model_grow_down(struct run *r, struct proc *p, uint64_t addr)
{
	unsigned int i = seg_after(p, addr);
	uint64_t page = addr & PAGE_MASK;

	if (i == p->nsegs || !(p->segs[i].flags & SF_GROWSDOWN) || page < MMAP_MIN_ADDR)
		return -1;
	struct seg *s = &p->segs[i];
	if (i > 0) {
		const struct seg *prev = &p->segs[i - 1];
		if (!(prev->flags & SF_GROWSDOWN) && prev->prot && page - prev->end < r->guard_gap)
			return -1;
	}
	if (s->end - page > r->stack_rlimit)
		return -1;
	uint64_t grow = (s->start - page) >> PAGE_SHIFT, n = seg_pages(s);
	/* acct_stack_growth() charges the growth; only a VM_ACCOUNT VMA gives it back when unmapped. */
	if (!(s->flags & SF_ACCOUNT))
		r->stack_leak += grow;
	struct shadow **pages = calloc(n + grow, sizeof(*pages));
	if (!pages)
		abort();
	memcpy(pages + grow, s->pages, n * sizeof(*pages));
	free(s->pages);
	s->pages = pages;
	s->start = page;
	return (int)i;
}

static bool canonical(const struct run *r, uint64_t addr)
{
	uint64_t top = addr >> 47;

	return !r->is64 || top == 0 || top == 0x1ffff;
}

/*
 * The model's answer for an access to the page holding @addr: true and the
 * segment's index, or false and the fault. Grows a stack as the fault would.
 */
static bool model_access(struct run *r, struct proc *p, uint64_t addr, enum access acc, int *segi,
			 struct fault *f)
{
	if (!canonical(r, addr)) {
		/* Not a page fault but #GP: SIGSEGV, SI_KERNEL, no address (exc_general_protection). */
		*f = (struct fault){ SIG_SEGV, CODE_KERNEL, 0 };
		return false;
	}
	int i = addr < r->task_size ? seg_find(p, addr) : -1;
	if (i < 0 && addr < r->task_size)
		i = model_grow_down(r, p, addr);
	if (i < 0) {
		*f = (struct fault){ SIG_SEGV, CODE_MAPERR, addr };
		return false;
	}
	const struct seg *s = &p->segs[i];
	bool sigbus;
	page_bytes(s, (addr - s->start) >> PAGE_SHIFT, &sigbus);
	/* access_error(): no access at all, or a write where it may not write; x86 reads whatever is mapped. */
	if (!s->prot || (acc == ACC_WRITE && !(s->prot & MMSIM_PROT_WRITE))) {
		*f = (struct fault){ SIG_SEGV, CODE_ACCERR, addr };
		return false;
	}
	if (sigbus) {
		*f = (struct fault){ SIG_BUS, CODE_ADRERR, addr };
		return false;
	}
	/* An instruction fetch: x86_64's NX (the page is mapped, then the fetch faults again); i386 has none. */
	if (acc == ACC_EXEC && r->is64 && !(s->prot & MMSIM_PROT_EXEC)) {
		*f = (struct fault){ SIG_SEGV, CODE_ACCERR, addr };
		return false;
	}
	*segi = i;
	return true;
}

/*
 * The access by @p of [addr, addr+len), page by page as the CPU makes it,
 * against the model: the bytes read, the bytes written, the fault (and,
 * without a handler, the death it brings).
 */
static bool do_access(struct run *r, struct proc *p, uint64_t addr, size_t len, enum access acc)
{
	static unsigned char want[MAX_ACCESS], got[MAX_ACCESS], data[MAX_ACCESS];
	static const char *const names[] = { "read", "write", "exec" };
	struct fault f = { 0 };
	bool faulted = false;
	size_t done = 0;

	if (acc == ACC_EXEC)
		len = 1;
	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)rnd(r);
	set_op(r, "%s of %zu bytes at %#" PRIx64 " by pid %d", names[acc], len, addr, p->pid);
	/* The model first, chunk by chunk: what the kernel will do, in order. */
	for (uint64_t a = addr; done < len;) {
		size_t chunk = PAGE_SIZE - (a & (PAGE_SIZE - 1));
		int i;
		if (chunk > len - done)
			chunk = len - done;
		if (!model_access(r, p, a, acc, &i, &f)) {
			faulted = true;
			break;
		}
		struct seg *s = &p->segs[i];
		uint64_t pg = (a - s->start) >> PAGE_SHIFT;
		size_t off = a & (PAGE_SIZE - 1);
		bool sigbus;
		if (acc == ACC_READ) {
			const unsigned char *b = page_bytes(s, pg, &sigbus);
			if (b)
				memcpy(want + done, b + off, chunk);
			else
				memset(want + done, 0, chunk);
		} else if (acc == ACC_WRITE) {
			page_store(s, pg, off, data + done, chunk);
		}
		done += chunk;
		a += chunk;
	}
	struct mmsim_siginfo si;
	int ret;
	memset(got, 0xa5, len);
	if (acc == ACC_READ)
		ret = mmsim_user_read(r->m, p->pid, addr, got, len, &si);
	else if (acc == ACC_WRITE)
		ret = mmsim_user_write(r->m, p->pid, addr, data, len, &si);
	else
		ret = mmsim_user_exec(r->m, p->pid, addr, &si);
	if (ret != (faulted ? f.signo : 0))
		dump_model(p);
	CHECK_RET(r, ret, faulted ? f.signo : 0);
	if (acc == ACC_READ && memcmp(got, want, done)) {
		size_t k = 0;
		while (got[k] == want[k])
			k++;
		dump_model(p);
		CHECK(r, false, "byte %zu (%#" PRIx64 ") reads %#x, the model says %#x", k, addr + k, got[k],
		      want[k]);
	}
	if (!faulted)
		return true;
	r->faults++;
	bool handled = p->handler[sig_slot(f.signo)];
	CHECK(r, si.signo == f.signo && si.code == f.code && si.addr == f.addr && si.handled == handled,
	      "siginfo signo %d code %#x addr %#" PRIx64 " handled %d, the model says %d %#x %#" PRIx64 " %d",
	      si.signo, si.code, si.addr, si.handled, f.signo, f.code, f.addr, handled);
	if (!handled) {
		model_exit(r, p, f.signo);	/* the default action; no core file (RLIMIT_CORE is 0) */
		r->deaths++;
	}
	return true;
}

/* Would a one-page access of @addr fault? (For sweeps, which must not kill: no stack grows here.) */
static bool would_fault(struct run *r, struct proc *p, uint64_t addr, enum access acc)
{
	int i = seg_find(p, addr);
	bool sigbus;

	if (i < 0)
		return true;
	const struct seg *s = &p->segs[i];
	page_bytes(s, (addr - s->start) >> PAGE_SHIFT, &sigbus);
	return !s->prot || sigbus || (acc == ACC_WRITE && !(s->prot & MMSIM_PROT_WRITE)) ||
	       (acc == ACC_EXEC && r->is64 && !(s->prot & MMSIM_PROT_EXEC));
}

/* ---- the program ------------------------------------------------------------------------- */

static void put16(unsigned char *b, size_t off, unsigned int v)
{
	b[off] = (unsigned char)v;
	b[off + 1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *b, size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[off + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *b, size_t off, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[off + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static uint64_t image_base(const struct run *r)
{
	return r->is64 ? 0x400000ULL : 0x08048000ULL;
}

/* A program header, in the class's layout (Elf32_Phdr's fields are in another order). */
static void put_phdr(const struct run *r, unsigned char *b, size_t off, uint32_t type, uint32_t flags,
		     uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	if (r->is64) {
		put32(b, off, type);
		put32(b, off + 4, flags);
		put64(b, off + 8, offset);
		put64(b, off + 16, vaddr);
		put64(b, off + 24, vaddr);
		put64(b, off + 32, filesz);
		put64(b, off + 40, memsz);
		put64(b, off + 48, PAGE_SIZE);
	} else {
		put32(b, off, type);
		put32(b, off + 4, (uint32_t)offset);
		put32(b, off + 8, (uint32_t)vaddr);
		put32(b, off + 12, (uint32_t)vaddr);
		put32(b, off + 16, (uint32_t)filesz);
		put32(b, off + 20, (uint32_t)memsz);
		put32(b, off + 24, flags);
		put32(b, off + 28, PAGE_SIZE);
	}
}

/*
 * The ET_EXEC the processes run: PT_LOAD r-x (text), PT_LOAD rw- (data
 * and bss), PT_GNU_STACK rw- (so i386 gets no READ_IMPLIES_EXEC). Every
 * byte after the headers is a pattern, so that reads show which page of
 * the file they got. Written to a temporary file; the file object of the
 * model holds the same bytes.
 */
static bool write_program(struct run *r)
{
	unsigned char *f = r->elf;
	uint64_t base = image_base(r);
	enum { PT_LOAD_ = 1, PT_GNU_STACK_ = 0x6474e551, PF_X_ = 1, PF_W_ = 2, PF_R_ = 4 };

	for (size_t i = 0; i < IMG_FILE_SIZE; i++)
		f[i] = (unsigned char)(i * 131 + (i >> 8) * 7 + 1);
	memset(f, 0, 0x100);
	memcpy(f, "\177ELF", 4);
	f[4] = r->is64 ? 2 : 1;		/* ELFCLASS64 / ELFCLASS32 */
	f[5] = 1;			/* ELFDATA2LSB */
	f[6] = 1;			/* EV_CURRENT */
	put16(f, 16, 2);		/* ET_EXEC */
	put16(f, 18, r->is64 ? 62 : 3);	/* EM_X86_64 / EM_386 */
	put32(f, 20, 1);
	size_t ph = r->is64 ? 64 : 52, phsize = r->is64 ? 56 : 32;
	if (r->is64) {
		put64(f, 24, base + IMG_ENTRY);
		put64(f, 32, ph);
		put16(f, 52, 64);
	} else {
		put32(f, 24, (uint32_t)(base + IMG_ENTRY));
		put32(f, 28, (uint32_t)ph);
		put16(f, 40, 52);
	}
	size_t e = r->is64 ? 54 : 42;	/* e_phentsize, e_phnum, e_shentsize */
	put16(f, e, (unsigned int)phsize);
	put16(f, e + 2, 3);
	put16(f, e + 4, r->is64 ? 64 : 40);
	put_phdr(r, f, ph, PT_LOAD_, PF_R_ | PF_X_, 0, base, IMG_TEXT_LEN, IMG_TEXT_LEN);
	put_phdr(r, f, ph + phsize, PT_LOAD_, PF_R_ | PF_W_, IMG_DATA_OFF, base + IMG_DATA_VADDR,
		 IMG_DATA_FILESZ, IMG_DATA_MEMSZ);
	put_phdr(r, f, ph + 2 * phsize, PT_GNU_STACK_, PF_R_ | PF_W_, 0, 0, 0, 0);

	snprintf(r->elf_path, sizeof(r->elf_path), "/tmp/mmsim-prop-XXXXXX");
	int fd = mkstemp(r->elf_path);
	if (fd < 0)
		return false;
	bool ok = write(fd, f, IMG_FILE_SIZE) == (ssize_t)IMG_FILE_SIZE && fchmod(fd, 0755) == 0;
	close(fd);

	r->file = object_new(r, (IMG_FILE_SIZE + PAGE_SIZE - 1) >> PAGE_SHIFT, true);
	for (uint64_t i = 0; i < r->file->npages; i++) {
		unsigned char page[PAGE_SIZE] = { 0 };
		uint64_t n = IMG_FILE_SIZE - i * PAGE_SIZE;
		memcpy(page, f + i * PAGE_SIZE, n < PAGE_SIZE ? n : PAGE_SIZE);
		r->file->pages[i] = shadow_new(page);
	}
	return ok;
}

/* ---- processes --------------------------------------------------------------------------- */

/*
 * After execve: the model of the new image. Text, data and bss are the
 * ELF's; [stack], [vvar] and [vdso] are where the kernel put them (their
 * places are random), and what exec wrote on the stack is read once.
 */
static bool model_exec(struct run *r, struct proc *p)
{
	struct mm_struct *mm = mm_of(r, p->pid);
	uint64_t base = image_base(r);

	CHECK(r, mm, "pid %d has no mm after execve", p->pid);
	model_free_mm(r, p);
	p->handler[0] = p->handler[1] = false;	/* exec resets caught signals to their default */
	p->nbig = 0;

	struct seg text = new_seg(r, base, base + IMG_TEXT_LEN, MMSIM_PROT_READ | MMSIM_PROT_EXEC, K_FILE);
	text.obj = object_get(r->file);
	seg_insert(p, &text);
	uint64_t data_start = base + IMG_DATA_VADDR, data_end = base + IMG_DATA_VADDR + 2 * PAGE_SIZE;
	struct seg data = new_seg(r, data_start, data_end, PROT_RW, K_FILE);
	data.obj = object_get(r->file);
	data.pgoff = IMG_DATA_OFF >> PAGE_SHIFT;
	data.flags = SF_ACCOUNT;	/* private and writable */
	/* padzero(): the bss part of the data's last page is cleared, in a private copy. */
	unsigned char last[PAGE_SIZE];
	memcpy(last, r->file->pages[data.pgoff + 1]->b, PAGE_SIZE);
	memset(last + ((IMG_DATA_OFF + IMG_DATA_FILESZ) & (PAGE_SIZE - 1)), 0,
	       PAGE_SIZE - ((IMG_DATA_OFF + IMG_DATA_FILESZ) & (PAGE_SIZE - 1)));
	data.pages[1] = shadow_new(last);
	seg_insert(p, &data);
	uint64_t bss_end = ALIGN_UP(base + IMG_DATA_VADDR + IMG_DATA_MEMSZ, PAGE_SIZE);
	struct seg bss = new_seg(r, data_end, bss_end, PROT_RW, K_ANON);
	bss.flags = SF_ACCOUNT;		/* vm_brk_flags() */
	seg_insert(p, &bss);

	for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next) {
		if (v->vm_start < bss_end)
			continue;
		if (v->vm_flags & VM_GROWSDOWN) {
			struct seg st = new_seg(r, v->vm_start, v->vm_end, vma_prot(v), K_ANON);
			st.flags = SF_GROWSDOWN | SF_ACCOUNT;
			for (uint64_t i = 0; i < seg_pages(&st); i++) {
				unsigned char page[PAGE_SIZE], zero[PAGE_SIZE] = { 0 };
				int ret = mmsim_user_read(r->m, p->pid, st.start + i * PAGE_SIZE, page,
							  PAGE_SIZE, NULL);
				CHECK(r, ret == 0, "the new stack's page %#" PRIx64 " reads with %d",
				      st.start + i * PAGE_SIZE, ret);
				if (memcmp(page, zero, PAGE_SIZE))
					st.pages[i] = shadow_new(page);
			}
			seg_insert(p, &st);
		} else {
			CHECK(r, v->vm_private_data && !v->vm_file,
			      "an unexpected VMA %#" PRIx64 "-%#" PRIx64 " after execve", v->vm_start, v->vm_end);
			struct seg sp = new_seg(r, v->vm_start, v->vm_end, vma_prot(v), K_SPECIAL);
			seg_insert(p, &sp);
		}
	}
	p->start_brk = p->brk = (uint64_t)mmsim_brk(r->m, p->pid, 0);
	CHECK(r, p->start_brk == mm->start_brk && p->start_brk >= bss_end,
	      "brk(0) says %#" PRIx64 ", start_brk is %#" PRIx64, p->start_brk, mm->start_brk);
	p->win_hi = mm->mmap_base & ~(r->hpage - 1);
	p->win_lo = p->win_hi - WINDOW;
	/* argv[0] and the environment, where the mm says they are. */
	char args[16] = { 0 };
	CHECK(r, mmsim_user_read(r->m, p->pid, mm->arg_start, args, 5, NULL) == 0 && !strcmp(args, "prop"),
	      "argv[0] at %#" PRIx64 " is \"%.5s\"", mm->arg_start, args);
	CHECK(r, mmsim_user_read(r->m, p->pid, mm->env_start, args, 7, NULL) == 0 && !strcmp(args, "HOME=/"),
	      "envp[0] at %#" PRIx64 " is \"%.7s\"", mm->env_start, args);
	normalize(r, p);
	return check_layout(r, p);
}

static bool install_handlers(struct run *r, struct proc *p)
{
	set_op(r, "sigaction(SIGSEGV, SIGBUS: handler) by pid %d", p->pid);
	CHECK_RET(r, mmsim_sigaction(r->m, p->pid, SIG_SEGV, true), 0);
	CHECK_RET(r, mmsim_sigaction(r->m, p->pid, SIG_BUS, true), 0);
	p->handler[0] = p->handler[1] = true;
	return true;
}

static bool do_execve(struct run *r, struct proc *p)
{
	const char *const argv[] = { "prop", NULL }, *const envp[] = { "HOME=/", NULL };
	const char *why = NULL;

	set_op(r, "execve(%s) by pid %d", r->elf_path, p->pid);
	int ret = mmsim_execve(r->m, p->pid, r->elf_path, argv, envp, &why);
	CHECK(r, ret == 0, "execve: %d (%s)", ret, why ? why : "");
	r->execs++;
	return model_exec(r, p);
}

static struct proc *free_slot(struct run *r)
{
	for (unsigned int i = 0; i < MAX_SLOTS; i++)
		if (!r->procs[i].used)
			return &r->procs[i];
	return NULL;
}

static bool op_spawn(struct run *r)
{
	struct proc *p = free_slot(r);

	if (!p || nr_live(r) >= MAX_LIVE)
		return true;
	set_op(r, "spawn");
	int pid = mmsim_spawn(r->m, "prop");
	CHECK(r, pid > 1, "mmsim_spawn: %d", pid);
	*p = (struct proc){ .used = true, .pid = pid, .parent = 1 };
	if (!do_execve(r, p))
		return false;
	return !chance(r, 90) || install_handlers(r, p);
}

/* fork(): the child has the parent's memory, copy-on-write, less VM_DONTCOPY, VM_WIPEONFORK empty. */
static bool op_fork(struct run *r, struct proc *p)
{
	struct proc *c = free_slot(r);

	if (!c || nr_live(r) >= MAX_LIVE)
		return true;
	set_op(r, "fork by pid %d", p->pid);
	int pid = mmsim_fork(r->m, p->pid);
	CHECK(r, pid > p->pid || (pid > 1 && pid != p->pid), "fork: %d", pid);
	*c = *p;
	c->pid = pid;
	c->parent = p->pid;
	c->segs = NULL;
	c->nsegs = c->cap = 0;
	for (unsigned int i = 0; i < p->nsegs; i++) {
		struct seg s = p->segs[i];
		if (s.flags & SF_DONTFORK)
			continue;
		object_get(s.obj);
		if (s.pages) {
			uint64_t n = seg_pages(&s);
			s.pages = calloc(n, sizeof(*s.pages));
			if (!s.pages)
				abort();
			if (!(s.flags & SF_WIPEONFORK))
				for (uint64_t k = 0; k < n; k++)
					s.pages[k] = shadow_get(p->segs[i].pages[k]);
		}
		seg_insert_at(c, c->nsegs, &s);
	}
	r->forks++;
	return check_layout(r, c);
}

/* wait4() by the parent (init, or the process that forked it) for a zombie. */
static bool reap(struct run *r, struct proc *z)
{
	int status = -1;
	struct mmsim_rusage ru;
	struct proc *parent = z->parent == 1 ? NULL : proc_by_pid(r, z->parent);
	unsigned int zombies = 0;

	for (unsigned int i = 0; i < MAX_SLOTS; i++)
		zombies += r->procs[i].used && r->procs[i].zombie && r->procs[i].parent == z->parent;
	/* A parent with one zombie child may wait for any child: it can only be that one. */
	int which = parent && zombies == 1 && chance(r, 50) ? -1 : z->pid;
	set_op(r, "wait4(%d) by pid %d for pid %d", which, z->parent, z->pid);
	CHECK_RET(r, mmsim_wait4(r->m, z->parent, which, &status, &ru), z->pid);
	CHECK_RET(r, status, z->status);
	CHECK(r, !find_task_by_pid(r->m, z->pid), "pid %d is still there after wait4", z->pid);
	z->used = false;
	free(z->segs);
	z->segs = NULL;
	z->cap = 0;
	return true;
}

static bool op_exit(struct run *r, struct proc *p)
{
	int code = (int)below(r, 256);

	set_op(r, "exit(%d) by pid %d", code, p->pid);
	CHECK_RET(r, mmsim_exit(r->m, p->pid, code), 0);
	model_exit(r, p, code << 8);
	return chance(r, 30) || reap(r, p);
}

static bool op_reap_some(struct run *r)
{
	for (unsigned int i = 0; i < MAX_SLOTS; i++)
		if (r->procs[i].used && r->procs[i].zombie)
			return reap(r, &r->procs[i]);
	return true;
}

/* wait4() that finds nothing: 0 with children that live on, -ECHILD with none at all. */
static bool op_wait_nothing(struct run *r, struct proc *p)
{
	unsigned int children = 0, zombies = 0;

	for (unsigned int i = 0; i < MAX_SLOTS; i++) {
		struct proc *c = &r->procs[i];
		if (c->used && c->parent == p->pid) {
			children++;
			zombies += c->zombie;
		}
	}
	if (zombies)
		return true;
	int status = -1;
	set_op(r, "wait4(-1) by pid %d (%u live children)", p->pid, children);
	CHECK_RET(r, mmsim_wait4(r->m, p->pid, -1, &status, NULL), children ? 0 : -MMSIM_ECHILD);
	return true;
}

static bool op_sigaction(struct run *r, struct proc *p)
{
	static const int bad[] = { 0, 9, 19, 65 };	/* no signal, SIGKILL, SIGSTOP, beyond _NSIG */

	if (chance(r, 20)) {
		int sig = bad[below(r, ARRAY_SIZE(bad))];
		set_op(r, "sigaction(%d) by pid %d", sig, p->pid);
		CHECK_RET(r, mmsim_sigaction(r->m, p->pid, sig, true), -MMSIM_EINVAL);
		return true;
	}
	int sig = chance(r, 50) ? SIG_SEGV : SIG_BUS;
	bool handle = chance(r, 75);
	set_op(r, "sigaction(%d, %s) by pid %d", sig, handle ? "handler" : "SIG_DFL", p->pid);
	CHECK_RET(r, mmsim_sigaction(r->m, p->pid, sig, handle), 0);
	p->handler[sig_slot(sig)] = handle;
	return true;
}

/* ---- addresses --------------------------------------------------------------------------- */

static uint64_t window_page(struct run *r, const struct proc *p)
{
	return p->win_lo + (below(r, (p->win_hi - p->win_lo) >> PAGE_SHIFT) << PAGE_SHIFT);
}

/* A segment the test may change (not [vvar] or [vdso]), or NULL. */
static struct seg *pick_seg(struct run *r, struct proc *p)
{
	for (int tries = 0; tries < 8 && p->nsegs; tries++) {
		struct seg *s = &p->segs[below(r, p->nsegs)];
		if (s->kind != K_SPECIAL)
			return s;
	}
	return NULL;
}

/* Where a range to change starts: in or around a segment, or anywhere in the window. */
static uint64_t range_start(struct run *r, struct proc *p)
{
	struct seg *s = chance(r, 85) ? pick_seg(r, p) : NULL;

	if (!s)
		return window_page(r, p);
	int64_t k = (int64_t)below(r, seg_pages(s) + 2) - 1;
	return s->start + (uint64_t)(k * (int64_t)PAGE_SIZE);
}

static uint64_t range_pages(struct run *r)
{
	return chance(r, 80) ? 1 + below(r, 16) : 1 + below(r, 80);
}

/* A free range of @len in the window that stays clear of [vvar] and [vdso]; 0 if none was found. */
static uint64_t free_window_range(struct run *r, const struct proc *p, uint64_t len)
{
	for (int tries = 0; tries < 16; tries++) {
		uint64_t a = window_page(r, p);
		if (a + len <= p->win_hi && !range_used(p, a, a + len))
			return a;
	}
	return 0;
}

/* vm_start_gap(): a stack's guard gap counts as taken for get_unmapped_area(). */
static uint64_t start_gap(const struct run *r, const struct seg *s)
{
	if (!(s->flags & SF_GROWSDOWN))
		return s->start;
	return s->start > r->guard_gap ? s->start - r->guard_gap : 0;
}

/* Would get_unmapped_area() take [addr, addr+len) as it is? */
static bool area_fits(const struct run *r, const struct proc *p, uint64_t addr, uint64_t len)
{
	if (addr & (PAGE_SIZE - 1) || addr < MMAP_MIN_ADDR || len > r->task_size ||
	    addr > r->task_size - len)
		return false;
	unsigned int i = seg_after(p, addr);
	return i == p->nsegs || addr + len <= start_gap(r, &p->segs[i]);
}

/* ---- mmap ---------------------------------------------------------------------------------- */

static const int prots[] = {
	PROT_RW, PROT_RW, PROT_RW, PROT_RW, PROT_RW, PROT_RW, MMSIM_PROT_READ, MMSIM_PROT_READ,
	MMSIM_PROT_NONE, PROT_RWX, MMSIM_PROT_WRITE, MMSIM_PROT_EXEC,
	MMSIM_PROT_READ | MMSIM_PROT_EXEC,
};

static int random_prot(struct run *r)
{
	return prots[below(r, ARRAY_SIZE(prots))];
}

/*
 * mmap() of anonymous memory. Where it lands: MAP_FIXED and
 * MAP_FIXED_NOREPLACE at the address (-EEXIST over a mapping), a hint
 * where it is free (and below mmap_min_addr: raised to it), else wherever
 * get_unmapped_area() finds room — which must be free in the model.
 */
static bool op_mmap(struct run *r, struct proc *p)
{
	bool shared = chance(r, 30);
	uint64_t npages = 1 + below(r, MAX_MAP_PAGES), len = npages << PAGE_SHIFT;
	int prot = random_prot(r), flags = shared ? ANON_SHARED : ANON_PRIVATE;
	uint64_t addr = 0, want = 0;	/* want: the address the model insists on, 0: any */
	unsigned int place = (unsigned int)below(r, 100);

	if (p->nsegs >= MAX_SEGS && place >= 30)
		return true;
	if (place < 15) {
		flags |= MMSIM_MAP_FIXED;
		addr = window_page(r, p);
	} else if (place < 25) {
		flags |= MMSIM_MAP_FIXED_NOREPLACE;
		addr = window_page(r, p);
	} else if (place < 30) {
		flags |= MMSIM_MAP_FIXED;
		addr = free_window_range(r, p, len);
	} else if (place < 50) {
		addr = free_window_range(r, p, len);
	} else if (place < 58) {
		addr = window_page(r, p);	/* a hint, likely over something */
	} else if (place < 60) {
		addr = PAGE_SIZE * (1 + below(r, 15));	/* below mmap_min_addr */
	}
	if ((flags & (MMSIM_MAP_FIXED | MMSIM_MAP_FIXED_NOREPLACE)) &&
	    (!addr || range_touches_special(p, addr, addr + len)))
		return true;
	if (chance(r, 10))
		flags |= MMSIM_MAP_POPULATE;
	if (chance(r, 5))
		flags |= MMSIM_MAP_NORESERVE;
	if (chance(r, 5))
		flags |= NO_SUCH_FLAG;		/* MAP_PRIVATE and MAP_SHARED ignore what they do not know */
	if (chance(r, 5))
		flags |= MMSIM_MAP_GROWSDOWN;
	uint64_t asked = chance(r, 20) ? len - below(r, PAGE_SIZE) : len;	/* rounded up to pages */

	set_op(r, "mmap(%#" PRIx64 ", %#" PRIx64 ", prot %#x, flags %#x) by pid %d", addr, asked, prot,
	       flags, p->pid);
	int64_t ret = mmsim_mmap(r->m, p->pid, addr, asked, prot, flags, -1, 0);
	if (shared && (flags & MMSIM_MAP_GROWSDOWN)) {
		CHECK_RET(r, ret, -MMSIM_EINVAL);	/* a shared mapping cannot grow down */
		return true;
	}
	if (flags & (MMSIM_MAP_FIXED | MMSIM_MAP_FIXED_NOREPLACE)) {
		if ((flags & MMSIM_MAP_FIXED_NOREPLACE) && range_used(p, addr, addr + len)) {
			CHECK_RET(r, ret, -MMSIM_EEXIST);
			return true;
		}
		want = addr;
	} else {
		uint64_t hint = addr && addr < MMAP_MIN_ADDR ? MMAP_MIN_ADDR : addr;	/* round_hint_to_min() */
		if (hint && !range_used(p, hint, hint + len) && area_fits(r, p, hint, len))
			want = hint;
	}
	CHECK(r, ret > 0, "mmap failed: %" PRId64, ret);
	uint64_t got = (uint64_t)ret;
	if (want) {
		CHECK_RET(r, got, want);
	} else {
		CHECK(r, !range_used(p, got, got + len) && area_fits(r, p, got, len),
		      "mmap chose %#" PRIx64 ", which is not free (or is in a stack's guard gap)", got);
	}
	model_unmap(r, p, got, got + len);
	struct seg s = new_seg(r, got, got + len, prot, shared ? K_SHARED : K_ANON);
	if (flags & MMSIM_MAP_NORESERVE)
		s.flags |= SF_NORESERVE;
	if (shared) {
		s.obj = object_new(r, npages, false);
		s.obj->charged = !(flags & MMSIM_MAP_NORESERVE);
	} else if ((prot & MMSIM_PROT_WRITE) && !(flags & MMSIM_MAP_NORESERVE)) {
		s.flags |= SF_ACCOUNT;	/* accountable_mapping() */
	}
	if (flags & MMSIM_MAP_GROWSDOWN)
		s.flags |= SF_GROWSDOWN;
	seg_insert(p, &s);
	return true;
}

/*
 * A region of 2 huge pages, aligned to one: mmap 3 and trim both ends
 * (6.1 does not align anonymous mappings itself), then a write into it,
 * which a huge page serves where THP is on.
 */
static bool op_mmap_huge(struct run *r, struct proc *p)
{
	uint64_t h = r->hpage, len = 3 * h;

	if (p->nbig >= MAX_BIG || p->nsegs >= MAX_SEGS)
		return true;
	set_op(r, "mmap(0, %#" PRIx64 ", rw, private anonymous) by pid %d, to trim to an aligned %#" PRIx64,
	       len, p->pid, 2 * h);
	int64_t ret = mmsim_mmap(r->m, p->pid, 0, len, PROT_RW, ANON_PRIVATE, -1, 0);
	CHECK(r, ret > 0, "mmap failed: %" PRId64, ret);
	uint64_t got = (uint64_t)ret, start = ALIGN_UP(got, h);
	CHECK(r, !range_used(p, got, got + len) && area_fits(r, p, got, len),
	      "mmap chose %#" PRIx64 ", which is not free", got);
	if (start > got) {
		set_op(r, "munmap(%#" PRIx64 ", %#" PRIx64 ") by pid %d: the head", got, start - got, p->pid);
		CHECK_RET(r, mmsim_munmap(r->m, p->pid, got, start - got), 0);
	}
	if (got + len > start + 2 * h) {
		set_op(r, "munmap(%#" PRIx64 ", %#" PRIx64 ") by pid %d: the tail", start + 2 * h,
		       got + len - start - 2 * h, p->pid);
		CHECK_RET(r, mmsim_munmap(r->m, p->pid, start + 2 * h, got + len - start - 2 * h), 0);
	}
	struct seg s = new_seg(r, start, start + 2 * h, PROT_RW, K_ANON);
	s.flags = SF_ACCOUNT;
	seg_insert(p, &s);
	p->nbig++;
	return do_access(r, p, start + below(r, 2) * h + below(r, h - 8), 8, ACC_WRITE);
}

/* mmap() calls the kernel refuses before it changes anything. */
static bool op_mmap_bad(struct run *r, struct proc *p)
{
	uint64_t addr = window_page(r, p), len = PAGE_SIZE * (1 + below(r, 8));
	int flags = ANON_PRIVATE, want, prot = PROT_RW;
	uint64_t off = 0;

	switch (below(r, 8)) {
	case 0:		/* do_mmap(): no length */
		len = 0;
		want = -MMSIM_EINVAL;
		break;
	case 1:		/* PAGE_ALIGN(len) wraps to 0 */
		len = r->is64 ? ~0ULL - 100 : 0xfffff001ULL;
		want = -MMSIM_ENOMEM;
		break;
	case 2:		/* more than the address space */
		len = r->task_size;
		want = -MMSIM_ENOMEM;
		break;
	case 3:		/* MAP_FIXED below the top but running past it */
		flags |= MMSIM_MAP_FIXED;
		addr = r->task_size - PAGE_SIZE;
		len = 2 * PAGE_SIZE;
		want = -MMSIM_ENOMEM;
		break;
	case 4:		/* MAP_FIXED off a page boundary */
		flags |= below(r, 2) ? MMSIM_MAP_FIXED : MMSIM_MAP_FIXED_NOREPLACE;
		addr += 1 + below(r, PAGE_SIZE - 1);
		want = -MMSIM_EINVAL;
		break;
	case 5:		/* neither shared nor private, or MAP_SHARED_VALIDATE (anonymous: 6.1 refuses it) */
	{
		static const int types[] = { 0, MMSIM_MAP_SHARED_VALIDATE, 0x04, 0x0f };
		flags = MMSIM_MAP_ANONYMOUS | types[below(r, ARRAY_SIZE(types))];
		want = -MMSIM_EINVAL;
		break;
	}
	case 6:		/* an offset off a page boundary (x86_64's mmap, i386's old_mmap) */
		off = 1 + below(r, PAGE_SIZE - 1);
		want = -MMSIM_EINVAL;
		break;
	default:	/* MAP_HUGETLB with no huge pages set aside */
		flags |= MMSIM_MAP_HUGETLB;
		want = -MMSIM_ENOMEM;
		break;
	}
	set_op(r, "mmap(%#" PRIx64 ", %#" PRIx64 ", prot %#x, flags %#x, offset %#" PRIx64 ") by pid %d",
	       addr, len, prot, flags, off, p->pid);
	int64_t ret = mmsim_mmap(r->m, p->pid, addr, len, prot, flags, -1, off);
	CHECK_RET(r, ret, want);
	return true;
}

/* ---- munmap, mprotect ---------------------------------------------------------------------- */

/* munmap(): -EINVAL off a page boundary, beyond TASK_SIZE or for nothing; a hole is no error. */
static bool op_munmap(struct run *r, struct proc *p)
{
	uint64_t start = range_start(r, p), len = range_pages(r) << PAGE_SHIFT;
	int want = 0;

	switch (below(r, 20)) {
	case 0:		/* off a page boundary */
		start += 1 + below(r, PAGE_SIZE - 1);
		break;
	case 1:		/* nothing */
		len = 0;
		break;
	case 2:		/* len > TASK_SIZE - start */
		len = r->is64 ? ~0ULL - PAGE_SIZE : 0xfffff001ULL;
		break;
	case 3:		/* a length that is not whole pages: rounded up */
		len -= below(r, PAGE_SIZE);
		break;
	}
	uint64_t end = start + page_align(r, len);
	if ((start & (PAGE_SIZE - 1)) || start > r->task_size || len > r->task_size - start || end == start)
		want = -MMSIM_EINVAL;
	if (!want && range_touches_special(p, start, end))
		return true;
	set_op(r, "munmap(%#" PRIx64 ", %#" PRIx64 ") by pid %d", start, len, p->pid);
	CHECK_RET(r, mmsim_munmap(r->m, p->pid, start, len), want);
	if (!want)
		model_unmap(r, p, start, end);	/* holes are no error: munmap of nothing is 0 */
	return true;
}

/*
 * mprotect() walks the VMAs from start: the part before a hole has
 * changed when the hole gives -ENOMEM. A part whose protection changes
 * is a VMA of its own (or merges with a neighbour: either way one VMA).
 */
static int model_mprotect(struct run *r, struct proc *p, uint64_t start, uint64_t end, int prot)
{
	unsigned int i = seg_after(p, start);

	if (i == p->nsegs || p->segs[i].start > start)
		return -MMSIM_ENOMEM;
	seg_split(p, start);
	seg_split(p, end);
	uint64_t cur = start;
	for (i = seg_after(p, start); i < p->nsegs && p->segs[i].start == cur && cur < end; i++) {
		struct seg *s = &p->segs[i];
		if (s->prot != prot) {
			/* mprotect_fixup(): a private mapping made writable is charged, once. */
			if ((prot & MMSIM_PROT_WRITE) && s->kind != K_SHARED &&
			    !(s->prot & MMSIM_PROT_WRITE) && !(s->flags & (SF_ACCOUNT | SF_NORESERVE)))
				s->flags |= SF_ACCOUNT;
			s->prot = prot;
			s->id = r->next_id++;
		}
		cur = s->end;
	}
	return cur >= end ? 0 : -MMSIM_ENOMEM;
}

static bool op_mprotect(struct run *r, struct proc *p)
{
	uint64_t start = range_start(r, p), len = range_pages(r) << PAGE_SHIFT;
	int prot = random_prot(r) | (chance(r, 5) ? MMSIM_PROT_SEM : 0);
	int want = 1;	/* 1: the model's walk decides */

	switch (below(r, 24)) {
	case 0:		/* off a page boundary */
		start += 1 + below(r, PAGE_SIZE - 1);
		want = -MMSIM_EINVAL;
		break;
	case 1:		/* nothing to do, whatever prot says */
		len = 0;
		prot = chance(r, 50) ? prot : 0x10;
		want = 0;
		break;
	case 2:		/* a bit arch_validate_prot() does not know */
		prot |= 0x10;
		want = -MMSIM_EINVAL;
		break;
	case 3:		/* both directions */
		prot |= MMSIM_PROT_GROWSDOWN | MMSIM_PROT_GROWSUP;
		want = -MMSIM_EINVAL;
		break;
	case 4:		/* PAGE_ALIGN(len) wraps: end <= start */
		len = r->is64 ? ~0ULL - 100 : 0xfffff001ULL;
		want = -MMSIM_ENOMEM;
		break;
	case 5: {	/* PROT_GROWSUP (no VM_GROWSUP on x86); PROT_GROWSDOWN on a VMA that does not grow */
		bool down = chance(r, 50);
		unsigned int i = seg_after(p, start);
		if (i == p->nsegs)
			want = -MMSIM_ENOMEM;
		else if (down ? p->segs[i].start >= start + len : p->segs[i].start > start)
			want = -MMSIM_ENOMEM;
		else if (down && (p->segs[i].flags & SF_GROWSDOWN))
			return true;	/* it would extend the range to a start the model cannot be sure of */
		else
			want = -MMSIM_EINVAL;
		if (i < p->nsegs && p->segs[i].kind == K_SPECIAL)
			return true;
		prot |= down ? MMSIM_PROT_GROWSDOWN : MMSIM_PROT_GROWSUP;
		break;
	}
	case 6:
		len -= below(r, PAGE_SIZE);	/* rounded up */
		break;
	}
	uint64_t end = start + page_align(r, len);
	if (want == 1 && range_touches_special(p, start, end))
		return true;
	set_op(r, "mprotect(%#" PRIx64 ", %#" PRIx64 ", %#x) by pid %d", start, len, prot, p->pid);
	int ret = mmsim_mprotect(r->m, p->pid, start, len, prot);
	if (want == 1)
		want = model_mprotect(r, p, start, end, prot & ~MMSIM_PROT_SEM);
	CHECK_RET(r, ret, want);
	return true;
}

/* ---- mremap -------------------------------------------------------------------------------- */

enum span { SPAN_ONE, SPAN_NOT_ONE, SPAN_UNSURE };

/*
 * How [addr, addr+len) lies: within one segment (one VMA), certainly not
 * in one VMA (a hole, or neighbours whose flags differ), or the model
 * cannot say (neighbours the kernel may have merged).
 */
static enum span span_of(const struct proc *p, uint64_t addr, uint64_t len)
{
	int i = seg_find(p, addr);

	if (i < 0)
		return SPAN_NOT_ONE;
	for (unsigned int j = (unsigned int)i;; j++) {
		const struct seg *a = &p->segs[j];
		if (addr + len <= a->end)
			return j == (unsigned int)i ? SPAN_ONE : SPAN_UNSURE;
		if (j + 1 == p->nsegs)
			return SPAN_NOT_ONE;
		const struct seg *b = &p->segs[j + 1];
		if (b->start != a->end || !same_vma_flags(a, b))
			return SPAN_NOT_ONE;
	}
}

/*
 * move_vma(): [addr, addr+old_len) goes to @dest, new_len long — the same
 * pages, the rest new (zeros; a shared or file mapping's next pages, which
 * may lie beyond its object). The old range is unmapped, or with
 * MREMAP_DONTUNMAP stays mapped and empty. old_len 0 duplicates a shared
 * mapping.
 */
static void model_move(struct run *r, struct proc *p, uint64_t addr, uint64_t old_len,
		       uint64_t new_len, uint64_t dest, bool dontunmap)
{
	struct seg *s = &p->segs[seg_find(p, addr)];
	struct seg n = new_seg(r, dest, dest + new_len, s->prot, s->kind);
	uint64_t first = (addr - s->start) >> PAGE_SHIFT;

	n.flags = s->flags;
	n.obj = object_get(s->obj);
	if (s->kind == K_SHARED || s->kind == K_FILE)
		n.pgoff = s->pgoff + first;
	for (uint64_t k = 0; n.pages && k < (old_len >> PAGE_SHIFT); k++) {
		n.pages[k] = shadow_get(s->pages[first + k]);
		if (dontunmap) {
			shadow_put(s->pages[first + k]);
			s->pages[first + k] = NULL;
		}
	}
	if (!dontunmap && old_len)
		model_unmap(r, p, addr, addr + old_len);
	seg_insert(p, &n);
}

/* The extension of segment @i to @end, in place (vma_merge() with the room after it). */
static void model_grow(struct proc *p, int i, uint64_t end)
{
	struct seg *s = &p->segs[i];
	uint64_t n = seg_pages(s), grow = (end - s->end) >> PAGE_SHIFT;

	if (s->pages) {
		s->pages = realloc(s->pages, (n + grow) * sizeof(*s->pages));
		if (!s->pages)
			abort();
		memset(s->pages + n, 0, grow * sizeof(*s->pages));
	}
	s->end = end;
}

static bool op_mremap(struct run *r, struct proc *p)
{
	struct seg *s = pick_seg(r, p);

	if (!s)
		return true;
	uint64_t addr = s->start + (below(r, seg_pages(s)) << PAGE_SHIFT);
	uint64_t avail = (s->end - addr) >> PAGE_SHIFT;
	uint64_t old_pages = chance(r, 10) ? avail + 1 + below(r, 4) : 1 + below(r, avail);
	uint64_t new_pages, new_addr = 0;
	unsigned int how = (unsigned int)below(r, 100);
	unsigned long flags;

	if (how < 30 && old_pages > 1)
		new_pages = 1 + below(r, old_pages - 1);
	else if (how < 38)
		new_pages = old_pages;
	else
		new_pages = old_pages + 1 + below(r, 32);
	how = (unsigned int)below(r, 100);
	if (how < 35) {
		flags = 0;
	} else if (how < 75) {
		flags = MMSIM_MREMAP_MAYMOVE;
	} else if (how < 92) {
		flags = MMSIM_MREMAP_MAYMOVE | MMSIM_MREMAP_FIXED;
		new_addr = chance(r, 8) ? addr + (below(r, 2 * old_pages + 1) << PAGE_SHIFT) -
						(old_pages << PAGE_SHIFT)	/* overlapping */
					: window_page(r, p);
	} else {
		flags = MMSIM_MREMAP_MAYMOVE | MMSIM_MREMAP_DONTUNMAP;
		new_pages = old_pages;
		new_addr = chance(r, 50) ? 0 : window_page(r, p);	/* a hint */
	}
	if (chance(r, 4))
		old_pages = 0;	/* duplicate a shared mapping; refused for a private one */
	uint64_t old_len = old_pages << PAGE_SHIFT, new_len = new_pages << PAGE_SHIFT;
	switch (below(r, 40)) {
	case 0:
		flags |= 8;	/* no such flag */
		break;
	case 1:
		flags = MMSIM_MREMAP_FIXED;	/* without MREMAP_MAYMOVE */
		new_addr = window_page(r, p);
		break;
	case 2:
		flags = MMSIM_MREMAP_DONTUNMAP | (chance(r, 50) ? MMSIM_MREMAP_MAYMOVE : 0);
		new_len = old_len + PAGE_SIZE;	/* a resize, or no MREMAP_MAYMOVE */
		break;
	case 3:
		addr += 1 + below(r, PAGE_SIZE - 1);
		break;
	case 4:
		new_len = chance(r, 50) ? 0 : (r->is64 ? ~0ULL - 100 : 0xfffff001ULL);	/* 0 once aligned */
		break;
	case 5:
		addr = window_page(r, p);	/* probably nothing there: -EFAULT */
		break;
	case 6:
		old_len = r->is64 ? ~0ULL - 100 : 0xfffff001ULL;	/* aligned: 0 */
		break;
	case 7:
		if (flags & MMSIM_MREMAP_FIXED)
			new_addr = chance(r, 50) ? new_addr + 1 + below(r, PAGE_SIZE - 1)
						 : r->task_size - new_len + PAGE_SIZE;
		break;
	case 8:
		old_len -= below(r, PAGE_SIZE);	/* rounded up */
		new_len -= below(r, PAGE_SIZE);
		if (flags & MMSIM_MREMAP_DONTUNMAP)
			new_len = old_len;
		break;
	}
	uint64_t olen = page_align(r, old_len), nlen = page_align(r, new_len);
	int64_t want = 0;
	bool any_dest = false, in_place = false, move = false;
	uint64_t dest = 0;

	/* sys_mremap()'s checks, in its order. */
	if (flags & ~(unsigned long)(MMSIM_MREMAP_MAYMOVE | MMSIM_MREMAP_FIXED | MMSIM_MREMAP_DONTUNMAP)) {
		want = -MMSIM_EINVAL;
	} else if ((flags & MMSIM_MREMAP_FIXED) && !(flags & MMSIM_MREMAP_MAYMOVE)) {
		want = -MMSIM_EINVAL;
	} else if ((flags & MMSIM_MREMAP_DONTUNMAP) &&
		   (!(flags & MMSIM_MREMAP_MAYMOVE) || old_len != new_len)) {
		want = -MMSIM_EINVAL;	/* old_len != new_len before they are aligned */
	} else if (addr & (PAGE_SIZE - 1) || !nlen) {
		want = -MMSIM_EINVAL;
	} else if (seg_find(p, addr) < 0) {
		want = -MMSIM_EFAULT;
	} else if (flags & (MMSIM_MREMAP_FIXED | MMSIM_MREMAP_DONTUNMAP)) {
		/* mremap_to() */
		uint64_t keep = olen < nlen ? olen : nlen;
		if (new_addr & (PAGE_SIZE - 1) || nlen > r->task_size || new_addr > r->task_size - nlen) {
			want = -MMSIM_EINVAL;
		} else if (addr + olen > new_addr && new_addr + nlen > addr) {
			want = -MMSIM_EINVAL;	/* the ranges overlap */
		} else {
			enum span span = span_of(p, addr, keep);
			if (span == SPAN_UNSURE || range_touches_special(p, addr, addr + olen) ||
			    ((flags & MMSIM_MREMAP_FIXED) && range_touches_special(p, new_addr, new_addr + nlen)))
				return true;
			/* These happen before vma_to_resize() looks, whatever it finds. */
			if (flags & MMSIM_MREMAP_FIXED)
				model_unmap(r, p, new_addr, new_addr + nlen);
			if (olen > nlen)
				model_unmap(r, p, addr + nlen, addr + olen);
			int i = seg_find(p, addr);
			if (i < 0 || span == SPAN_NOT_ONE) {
				want = -MMSIM_EFAULT;	/* (the destination's munmap may have taken addr itself) */
			} else if (!keep && p->segs[i].kind != K_SHARED) {
				want = -MMSIM_EINVAL;	/* "attempted to duplicate a private mapping" */
			} else {
				move = true;
				olen = keep;
				if (flags & MMSIM_MREMAP_FIXED)
					dest = new_addr;
				else if (new_addr && !range_used(p, new_addr, new_addr + nlen) &&
					 area_fits(r, p, new_addr, nlen))
					dest = new_addr;	/* the hint */
				else
					any_dest = true;
			}
		}
	} else if (olen >= nlen) {
		/* Shrinking always works: it only unmaps, whatever is there. */
		if (range_touches_special(p, addr + nlen, addr + olen))
			return true;
		model_unmap(r, p, addr + nlen, addr + olen);
		want = (int64_t)addr;
	} else {
		enum span span = span_of(p, addr, olen);
		int i = seg_find(p, addr);
		if (span == SPAN_UNSURE)
			return true;
		if (span == SPAN_NOT_ONE) {
			want = -MMSIM_EFAULT;
		} else if (!olen && p->segs[i].kind != K_SHARED) {
			want = -MMSIM_EINVAL;
		} else if (addr + olen == p->segs[i].end && addr + nlen <= r->task_size &&
			   !range_used(p, addr + olen, addr + nlen)) {
			in_place = true;	/* the VMA ends there (a hole follows) and the room is free */
			want = (int64_t)addr;
		} else if (flags & MMSIM_MREMAP_MAYMOVE) {
			move = any_dest = true;
		} else {
			want = -MMSIM_ENOMEM;
		}
	}
	set_op(r, "mremap(%#" PRIx64 ", %#" PRIx64 ", %#" PRIx64 ", %#lx, %#" PRIx64 ") by pid %d", addr,
	       old_len, new_len, flags, new_addr, p->pid);
	int64_t ret = mmsim_mremap(r->m, p->pid, addr, old_len, new_len, (int)flags, new_addr);
	if (move) {
		CHECK(r, ret > 0, "mremap failed: %" PRId64 " (the model moves it)", ret);
		if (any_dest)
			CHECK(r, !range_used(p, (uint64_t)ret, (uint64_t)ret + nlen) &&
				 area_fits(r, p, (uint64_t)ret, nlen),
			      "mremap moved it to %#" PRIx64 ", which is not free", (uint64_t)ret);
		else
			CHECK_RET(r, ret, dest);
		model_move(r, p, addr, olen, nlen, (uint64_t)ret, flags & MMSIM_MREMAP_DONTUNMAP);
		return true;
	}
	CHECK_RET(r, ret, want);
	if (in_place)
		model_grow(p, seg_find(p, addr), addr + nlen);
	return true;
}

/* ---- madvise ------------------------------------------------------------------------------- */

/*
 * madvise_walk_vmas(): each VMA's part in turn; a hole is -ENOMEM at the
 * end (after the rest was done), an advice a VMA refuses stops the walk
 * there. MADV_DONTNEED drops private pages (zeros again, or the file's
 * bytes) and leaves shared ones; the others set or clear a VMA flag.
 */
static int model_madvise(struct run *r, struct proc *p, uint64_t start, uint64_t end, int advice)
{
	unsigned int set = 0, clear = 0;
	int unmapped = 0;

	switch (advice) {
	case MMSIM_MADV_DONTFORK: set = SF_DONTFORK; break;
	case MMSIM_MADV_DOFORK: clear = SF_DONTFORK; break;
	case MMSIM_MADV_WIPEONFORK: set = SF_WIPEONFORK; break;
	case MMSIM_MADV_KEEPONFORK: clear = SF_WIPEONFORK; break;
	}
	seg_split(p, start);
	seg_split(p, end);
	uint64_t cur = start;
	for (unsigned int i = seg_after(p, start); cur < end; i++) {
		if (i == p->nsegs || p->segs[i].start >= end)
			return -MMSIM_ENOMEM;
		struct seg *s = &p->segs[i];
		if (s->start > cur)
			unmapped = -MMSIM_ENOMEM;
		cur = s->end;
		if (advice == MMSIM_MADV_DONTNEED) {
			for (uint64_t k = 0; s->pages && k < seg_pages(s); k++) {
				shadow_put(s->pages[k]);
				s->pages[k] = NULL;
			}
			continue;
		}
		if (advice == MMSIM_MADV_WIPEONFORK && s->kind != K_ANON)
			return -MMSIM_EINVAL;	/* file-backed or shared */
		unsigned int flags = (s->flags | set) & ~clear;
		if (flags != s->flags) {
			s->flags = flags;
			s->id = r->next_id++;
		}
	}
	return unmapped;
}

static bool op_madvise(struct run *r, struct proc *p)
{
	static const int advices[] = {
		MMSIM_MADV_DONTNEED, MMSIM_MADV_DONTNEED, MMSIM_MADV_DONTNEED, MMSIM_MADV_DONTNEED,
		MMSIM_MADV_DONTFORK, MMSIM_MADV_DOFORK, MMSIM_MADV_WIPEONFORK, MMSIM_MADV_KEEPONFORK,
	};
	uint64_t start = range_start(r, p), len = range_pages(r) << PAGE_SHIFT;
	int advice = advices[below(r, ARRAY_SIZE(advices))];
	int want = 1;	/* 1: the model's walk decides */

	switch (below(r, 20)) {
	case 0:
		advice = chance(r, 50) ? 5 + (int)below(r, 3) : 999;	/* no such advice */
		want = -MMSIM_EINVAL;
		break;
	case 1:
		start += 1 + below(r, PAGE_SIZE - 1);
		want = -MMSIM_EINVAL;
		break;
	case 2:		/* a length that aligns to 0: "rounded up from a small negative" */
		len = r->is64 ? ~0ULL - 100 : 0xffffff9cULL;
		want = -MMSIM_EINVAL;
		break;
	case 3:
		len = 0;
		want = 0;
		break;
	case 4:
		len -= below(r, PAGE_SIZE);
		break;
	}
	uint64_t end = start + page_align(r, len);
	if (want == 1 && range_touches_special(p, start, end))
		return true;
	set_op(r, "madvise(%#" PRIx64 ", %#" PRIx64 ", %d) by pid %d", start, len, advice, p->pid);
	int ret = mmsim_madvise(r->m, p->pid, start, len, advice);
	if (want == 1)
		want = model_madvise(r, p, start, end, advice);
	CHECK_RET(r, ret, want);
	return true;
}

/* ---- brk ----------------------------------------------------------------------------------- */

/*
 * sys_brk(): below start_brk, or where it cannot grow, the old break is
 * returned; within the same page only the value moves; shrinking unmaps
 * [new, old) (if anything is mapped there); growing maps [old, new) if
 * nothing lies within a page (a stack: its guard gap) above the new break.
 */
static uint64_t model_brk(struct run *r, struct proc *p, uint64_t brk)
{
	if (brk < p->start_brk)
		return p->brk;
	uint64_t newbrk = ALIGN_UP(brk, PAGE_SIZE), oldbrk = ALIGN_UP(p->brk, PAGE_SIZE);
	if (newbrk == oldbrk) {
		p->brk = brk;
		return brk;
	}
	if (brk <= p->brk) {
		if (!range_used(p, newbrk, oldbrk))
			return p->brk;
		model_unmap(r, p, newbrk, oldbrk);
		p->brk = brk;
		return brk;
	}
	if (newbrk > r->task_size)
		return p->brk;
	unsigned int i = seg_after(p, oldbrk);
	if (i < p->nsegs && p->segs[i].start <= newbrk - 1 + PAGE_SIZE + r->guard_gap &&
	    newbrk + PAGE_SIZE > start_gap(r, &p->segs[i]))
		return p->brk;
	struct seg heap = new_seg(r, oldbrk, newbrk, PROT_RW, K_ANON);
	heap.flags = SF_ACCOUNT;
	seg_insert(p, &heap);
	p->brk = brk;
	return brk;
}

static bool op_brk(struct run *r, struct proc *p)
{
	uint64_t brk;

	switch (below(r, 10)) {
	case 0:
		brk = 0;	/* a query */
		break;
	case 1:
		brk = p->start_brk - PAGE_SIZE * (1 + below(r, 4)) + below(r, PAGE_SIZE);
		break;
	case 2:
		brk = p->brk + below(r, 64);	/* within the page, probably */
		break;
	default:
		brk = p->start_brk + below(r, 96 * PAGE_SIZE);
		break;
	}
	set_op(r, "brk(%#" PRIx64 ") by pid %d (brk %#" PRIx64 ")", brk, p->pid, p->brk);
	int64_t ret = mmsim_brk(r->m, p->pid, brk);
	CHECK_RET(r, ret, model_brk(r, p, brk));
	return true;
}

/* A small mapping just above the break, which brk may not grow into (nor to within a page of). */
static bool op_brk_fence(struct run *r, struct proc *p)
{
	uint64_t addr = ALIGN_UP(p->brk, PAGE_SIZE) + PAGE_SIZE * (1 + below(r, 16)), len = PAGE_SIZE;

	if (p->nsegs >= MAX_SEGS || range_used(p, addr, addr + len))
		return true;
	set_op(r, "mmap(%#" PRIx64 ", %#" PRIx64 ", rw, MAP_FIXED_NOREPLACE) above the break by pid %d",
	       addr, len, p->pid);
	CHECK_RET(r, mmsim_mmap(r->m, p->pid, addr, len, PROT_RW,
				ANON_PRIVATE | MMSIM_MAP_FIXED_NOREPLACE, -1, 0), addr);
	struct seg s = new_seg(r, addr, addr + len, PROT_RW, K_ANON);
	s.flags = SF_ACCOUNT;
	seg_insert(p, &s);
	return true;
}

/* ---- accesses ------------------------------------------------------------------------------ */

/*
 * Where a random access goes: mostly into a mapping, sometimes across its
 * ends, just below a stack (which grows), into the window (mostly
 * nothing), at the break, at page 0, into the kernel's half, or (x86_64)
 * at a non-canonical address.
 */
static bool op_access(struct run *r, struct proc *p)
{
	static const enum access kinds[] = { ACC_READ, ACC_READ, ACC_READ, ACC_WRITE, ACC_WRITE,
					     ACC_WRITE, ACC_WRITE, ACC_EXEC };
	enum access acc = kinds[below(r, ARRAY_SIZE(kinds))];
	size_t len = chance(r, 75) ? 1 + below(r, 16) : chance(r, 70) ? 1 + below(r, PAGE_SIZE)
								      : 1 + below(r, MAX_ACCESS);
	unsigned int where = (unsigned int)below(r, 100);
	struct seg *s = pick_seg(r, p);
	uint64_t addr;

	if (where < 60 && s) {
		addr = s->start + below(r, s->end - s->start);
	} else if (where < 70 && s) {
		addr = (chance(r, 50) ? s->start : s->end) - 1 - below(r, 32);	/* across an edge */
	} else if (where < 80) {
		/* Below a stack: within reach, or (rarely) beyond RLIMIT_STACK. */
		s = NULL;
		for (unsigned int i = 0; i < p->nsegs && !s; i++)
			if (p->segs[i].flags & SF_GROWSDOWN)
				s = &p->segs[i];
		if (!s)
			return true;
		addr = chance(r, 90) ? s->start - PAGE_SIZE * (1 + below(r, 64)) + below(r, PAGE_SIZE)
				     : s->end - r->stack_rlimit - PAGE_SIZE * (1 + below(r, 4));
	} else if (where < 88) {
		addr = window_page(r, p) + below(r, PAGE_SIZE);
	} else if (where < 93) {
		addr = ALIGN_UP(p->brk, PAGE_SIZE) - 32 + below(r, 64);
	} else {
		static const uint64_t odd64[] = { 0, 0xfff, 0x7ffffffff000ULL, 0x7fffffffffffULL,
						  0x800000000000ULL, 0xffff800000000000ULL - 8,
						  0xffff888000000000ULL, 0x123456789abcdefULL };
		static const uint64_t odd32[] = { 0, 0xfff, 0xc0000000ULL, 0xc0100000ULL, 0xfffff000ULL,
						  0xbffffff8ULL };
		addr = r->is64 ? odd64[below(r, ARRAY_SIZE(odd64))] : odd32[below(r, ARRAY_SIZE(odd32))];
		addr += below(r, 8);
		len = 1 + below(r, 8);
		if ((addr & (PAGE_SIZE - 1)) + len > PAGE_SIZE)
			len = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
	}
	if (range_touches_special(p, addr & PAGE_MASK, ALIGN_UP(addr + len, PAGE_SIZE)))
		return true;
	return do_access(r, p, addr, len, acc);
}

/* Read every page of every mapping (and fetch from its first byte) against the model. */
static bool op_sweep(struct run *r, struct proc *p)
{
	for (unsigned int i = 0; i < p->nsegs && !p->zombie; i++) {
		struct seg s = p->segs[i];
		if (s.kind == K_SPECIAL)
			continue;
		for (uint64_t a = s.start; a < s.end && !p->zombie; a += PAGE_SIZE) {
			bool handled = p->handler[0] && p->handler[1];
			if ((handled || !would_fault(r, p, a, ACC_READ)) &&
			    !do_access(r, p, a, PAGE_SIZE, ACC_READ))
				return false;
		}
		if (!p->zombie && ((p->handler[0] && p->handler[1]) || !would_fault(r, p, s.start, ACC_EXEC)) &&
		    !do_access(r, p, s.start, 1, ACC_EXEC))
			return false;
	}
	return true;
}

/* ---- a run --------------------------------------------------------------------------------- */

static bool read_meminfo(struct run *r, struct meminfo_kb *mi)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "MemFree:", offsetof(struct meminfo_kb, free) },
		{ "Cached:", offsetof(struct meminfo_kb, cached) },
		{ "Slab:", offsetof(struct meminfo_kb, slab) },
		{ "PageTables:", offsetof(struct meminfo_kb, pagetables) },
		{ "KernelStack:", offsetof(struct meminfo_kb, kernel_stack) },
		{ "AnonPages:", offsetof(struct meminfo_kb, anon) },
		{ "Shmem:", offsetof(struct meminfo_kb, shmem) },
		{ "Committed_AS:", offsetof(struct meminfo_kb, committed) },
		{ "AnonHugePages:", offsetof(struct meminfo_kb, anon_huge) },
		{ "VmallocUsed:", offsetof(struct meminfo_kb, vmalloc_used) },
	};
	char *text = NULL;

	CAPTURE(text, mmsim_proc_read(r->m, "/proc/meminfo", _f));
	CHECK(r, text, "no /proc/meminfo");
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		const char *line = strstr(text, fields[i].name);
		long *v = (long *)((char *)mi + fields[i].off);
		if (!line || sscanf(line + strlen(fields[i].name), "%ld", v) != 1) {
			free(text);
			CHECK(r, false, "/proc/meminfo has no %s", fields[i].name);
		}
	}
	free(text);
	mi->kernel_pgtables = (long)(r->m->kernel_pgtable_pages << (PAGE_SHIFT - 10));
	return true;
}

/*
 * With every process gone, what they used must have come back. Exactly:
 * no anonymous or shmem page is left, nor a page table, a kernel stack or
 * a commitment (Committed_AS — but for what stacks without VM_ACCOUNT grew
 * by, which the kernel charges and never gives back); and the free pages
 * are those of the start
 * less what the kernel keeps on purpose — the program file's pages in the
 * page cache (Cached), slab pages that stay with their caches (Slab), and
 * the huge zero page, allocated on first use and kept by the machine. Any
 * other page not back in the buddy allocator is a leak.
 */
static bool check_memory_returned(struct run *r, const struct meminfo_kb *before)
{
	struct meminfo_kb after;

	drain_all_pages(r->m);
	if (!read_meminfo(r, &after))
		return false;
	CHECK(r, after.anon == 0 && after.shmem == 0 && after.anon_huge == 0,
	      "left: AnonPages %ld kB, Shmem %ld kB, AnonHugePages %ld kB", after.anon, after.shmem,
	      after.anon_huge);
	CHECK(r, after.pagetables == before->pagetables && after.kernel_stack == before->kernel_stack &&
		 after.committed == before->committed + (long)(r->stack_leak << (PAGE_SHIFT - 10)),
	      "PageTables %ld -> %ld kB, KernelStack %ld -> %ld kB, Committed_AS %ld -> %ld kB "
	      "(stacks without VM_ACCOUNT grew by %" PRIu64 " pages)", before->pagetables,
	      after.pagetables, before->kernel_stack, after.kernel_stack, before->committed,
	      after.committed, r->stack_leak);
	long huge_zero = huge_zero_pfn(r->m) ? (long)(r->hpage >> 10) : 0;
	long kept = (after.cached - before->cached) + (after.slab - before->slab) + huge_zero +
		    (after.vmalloc_used - before->vmalloc_used) +
		    (after.kernel_pgtables - before->kernel_pgtables);
	CHECK(r, before->free - after.free == kept,
	      "MemFree %ld -> %ld kB: %ld kB gone, but the page cache (%+ld), slab (%+ld), vmalloc (%+ld), "
	      "its page tables (%+ld) and the huge zero page (%ld) account for %ld", before->free,
	      after.free, before->free - after.free, after.cached - before->cached,
	      after.slab - before->slab, after.vmalloc_used - before->vmalloc_used,
	      after.kernel_pgtables - before->kernel_pgtables, huge_zero, kept);
	return true;
}

/* One random step by a random process. */
static bool step(struct run *r)
{
	struct proc *p = pick_live(r);
	unsigned int what = (unsigned int)below(r, 1000);

	if (!p || (nr_live(r) < 2 && what < 300))
		return op_spawn(r);
	if (what < 380) {
		for (uint64_t n = 1 + below(r, 3); n && !p->zombie; n--)
			if (!op_access(r, p))
				return false;
		return true;
	}
	if (what < 450)
		return op_mmap(r, p);
	if (what < 470)
		return op_mmap_bad(r, p);
	if (what < 540)
		return op_munmap(r, p);
	if (what < 610)
		return op_mprotect(r, p);
	if (what < 700)
		return op_mremap(r, p);
	if (what < 760)
		return op_madvise(r, p);
	if (what < 800)
		return op_brk(r, p);
	if (what < 805)
		return op_brk_fence(r, p);
	if (what < 825)
		return op_mmap_huge(r, p);
	if (what < 860)
		return op_fork(r, p);
	if (what < 885) {
		/* Its memory is read in full before it goes. */
		if (!op_sweep(r, p))
			return false;
		return p->zombie || op_exit(r, p);
	}
	if (what < 895)
		return op_reap_some(r);
	if (what < 905)
		return op_wait_nothing(r, p);
	if (what < 920)
		return do_execve(r, p) && (!chance(r, 85) || install_handlers(r, p));
	if (what < 945)
		return op_sigaction(r, p);
	if (what < 950)
		return op_spawn(r);
	return op_sweep(r, p);
}

/* After each step: the validators, and every live address space against its model. */
static bool check_all(struct run *r)
{
	if (!verify_ok(r))
		return false;
	/*
	 * Committed_AS, from the model alone: the VM_ACCOUNT mappings of
	 * every process, the shmem objects charged at their creation, and
	 * what stacks without VM_ACCOUNT grew by.
	 */
	uint64_t committed = r->stack_leak;
	for (unsigned int i = 0; i < MAX_SLOTS; i++)
		for (unsigned int j = 0; r->procs[i].used && j < r->procs[i].nsegs; j++)
			if (r->procs[i].segs[j].flags & SF_ACCOUNT)
				committed += seg_pages(&r->procs[i].segs[j]);
	for (struct object *o = r->objects; o; o = o->next)
		committed += o->charged ? o->npages : 0;
	CHECK(r, vm_memory_committed(r->m) - r->committed_base == committed,
	      "Committed_AS is %lu pages (%lu at the start), the model says %" PRIu64,
	      vm_memory_committed(r->m), r->committed_base, committed);
	for (unsigned int i = 0; i < MAX_SLOTS; i++) {
		struct proc *p = &r->procs[i];
		if (!p->used)
			continue;
		normalize(r, p);
		if (p->zombie) {
			struct task_struct *t = find_task_by_pid(r->m, p->pid);
			CHECK(r, t && t->exit_state, "pid %d should be a zombie", p->pid);
		} else if (!check_layout(r, p)) {
			return false;
		}
	}
	return true;
}

static bool run_one(const struct machine_cfg *cfg, uint64_t seed, long steps, bool trace)
{
	static struct run r;
	struct meminfo_kb before;
	struct mmsim_rlimit rl;

	memset(&r, 0, sizeof(r));
	r.cfg = cfg;
	r.seed = seed;
	r.trace = trace;
	r.step = -1;
	r.rng = seed * 0x9e3779b97f4a7c15ULL + cfg->mib + 1;
	r.is64 = cfg->arch == MMSIM_ARCH_X86_64;
	r.next_id = 1;
	snprintf(r.op, sizeof(r.op), "boot");
	r.m = boot(cfg->arch, cfg->mib, 2);
	CHECK(&r, r.m, "boot failed");
	CHECK(&r, write_program(&r), "cannot write the program to %s", r.elf_path);
	r.task_size = r.is64 ? 0x7ffffffff000ULL : 0xc0000000ULL;
	r.hpage = r.is64 ? 2 * MiB : 4 * MiB;
	r.thp = thp_enabled(r.m);
	drain_all_pages(r.m);
	if (!read_meminfo(&r, &before))
		return false;
	r.committed_base = vm_memory_committed(r.m);

	bool ok = op_spawn(&r);
	struct proc *first = &r.procs[0];
	if (ok) {
		struct mm_struct *mm = mm_of(&r, first->pid);
		r.guard_gap = mm->stack_guard_gap;
		ok = mmsim_getrlimit(r.m, first->pid, MMSIM_RLIMIT_STACK, &rl) == 0;
		r.stack_rlimit = rl.rlim_cur;
		CHECK(&r, ok && r.guard_gap == 256 * PAGE_SIZE && r.stack_rlimit == 8 * MiB,
		      "guard gap %#" PRIx64 ", RLIMIT_STACK %#" PRIx64, r.guard_gap, r.stack_rlimit);
		ok = check_all(&r);
	}
	for (r.step = 0; ok && r.step < steps; r.step++)
		ok = step(&r) && check_all(&r);
	/* The end: everyone exits (children first or not, as it comes) and is reaped. */
	snprintf(r.op, sizeof(r.op), "the end");
	for (unsigned int i = 0; ok && i < MAX_SLOTS; i++)
		if (r.procs[i].used && !r.procs[i].zombie)
			ok = op_sweep(&r, &r.procs[i]) && (r.procs[i].zombie || op_exit(&r, &r.procs[i]));
	for (bool more = true; ok && more;) {
		more = false;
		for (unsigned int i = 0; ok && i < MAX_SLOTS; i++)
			if (r.procs[i].used) {
				ok = reap(&r, &r.procs[i]) && check_all(&r);
				more = true;
			}
	}
	if (ok) {
		set_op(&r, "wait4(-1) by init with nothing left");
		int status;
		ok = mmsim_wait4(r.m, 1, -1, &status, NULL) == -MMSIM_ECHILD;
		CHECK(&r, ok, "init still has children");
	}
	ok = ok && verify_ok(&r) && check_memory_returned(&r, &before);
	if (ok && r.thp) {
		char *vmstat = NULL;
		CAPTURE(vmstat, mmsim_proc_read(r.m, "/proc/vmstat", _f));
		const char *line = vmstat ? strstr(vmstat, "thp_fault_alloc ") : NULL;
		r.thp_faults = line ? strtoul(line + 16, NULL, 10) : 0;
		free(vmstat);
		CHECK(&r, r.thp_faults > 0, "no huge page was ever allocated");
	}
	if (test_verbose)
		fprintf(stderr, "   %s seed %" PRIu64 ": %ld steps, %lu calls, %lu faults, %lu forks, %lu execs, "
			"%lu deaths, %lu THP faults\n", cfg->name, seed, steps, r.calls, r.faults, r.forks,
			r.execs, r.deaths, r.thp_faults);
	for (unsigned int i = 0; i < MAX_SLOTS; i++) {
		model_free_mm(&r, &r.procs[i]);
		free(r.procs[i].segs);
	}
	object_put(&r, r.file);
	unlink(r.elf_path);
	mmsim_destroy(r.m);
	return ok;
}

static const struct machine_cfg machines[] = {
	{ "i386-256M", MMSIM_ARCH_I386, 256, 3, 3000 },
	{ "i386-1024M", MMSIM_ARCH_I386, 1024, 2, 2000 },	/* HIGHMEM; THP with 4 MiB pages */
	{ "x86_64-1024M", MMSIM_ARCH_X86_64, 1024, 3, 3000 },	/* THP with 2 MiB pages */
};

/* Every seed of one machine (or what PROP_MACHINE / PROP_SEED / PROP_STEPS ask for). */
static bool run_machine(const char *name)
{
	const struct machine_cfg *cfg = NULL;
	const char *want = getenv("PROP_MACHINE"), *seed = getenv("PROP_SEED"), *steps = getenv("PROP_STEPS");
	bool trace = getenv("PROP_TRACE") != NULL;

	for (size_t i = 0; i < ARRAY_SIZE(machines); i++)
		if (!strcmp(machines[i].name, name))
			cfg = &machines[i];
	if (!cfg || (want && strcmp(want, name)))
		return true;
	long n = steps ? atol(steps) : cfg->steps;
	if (seed)
		return run_one(cfg, strtoull(seed, NULL, 0), n, trace);
	for (uint64_t s = 1; s <= cfg->nseeds; s++)
		if (!run_one(cfg, s, n, trace))
			return false;
	return true;
}

static bool test_i386_256m(void)
{
	return run_machine("i386-256M");
}

static bool test_i386_1024m_highmem_thp(void)
{
	return run_machine("i386-1024M");
}

static bool test_x86_64_1024m_thp(void)
{
	return run_machine("x86_64-1024M");
}

TEST_MAIN(
	TEST(test_i386_256m),
	TEST(test_i386_1024m_highmem_thp),
	TEST(test_x86_64_1024m_thp),
)
