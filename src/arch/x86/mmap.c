/* mmap.c (arch/x86) — where a process's mappings go, and the PTE bits of
 * its VMAs (arch/x86/mm/mmap.c, arch/x86/mm/pgprot.c, asm/processor.h).
 *
 * The user address space: i386 has 3 GiB (TASK_SIZE 0xc0000000, the 3G/1G
 * split); x86_64 has 128 TiB less a page (47 bits with 4-level paging).
 * The stack sits at the top. 6.1 maps everything else top-down from
 * mmap_base, which leaves a gap below the stack of RLIMIT_STACK plus
 * stack_guard_gap (and the stack's random offset) — at least 128 MiB, at
 * most 5/6 of the space — so the stack can grow to its limit. The legacy
 * layout (vm.legacy_va_layout, personality ADDR_COMPAT_LAYOUT, and the
 * classic profile: the 2.6 picture the documents draw) maps bottom-up
 * from TASK_UNMAPPED_BASE, a third of the way up. */
#include "arch/x86/pgtable.h"
#include "kernel/sched.h"
#include "mm.h"

#define SIZE_128M	(128ULL << 20)

uint64_t arch_task_size(const struct machine *m)
{
	return m->is_32bit ? 0xc0000000ULL : (1ULL << 47) - PAGE_SIZE;
}

/* TASK_UNMAPPED_BASE: PAGE_ALIGN(TASK_SIZE / 3). */
uint64_t arch_unmapped_base(const struct machine *m)
{
	return ALIGN_UP(arch_task_size(m) / 3, PAGE_SIZE);
}

/* ELF_ET_DYN_BASE: where a PIE or ld.so run as a program is loaded. */
uint64_t arch_et_dyn_base(const struct machine *m)
{
	return m->is_32bit ? 0x00400000ULL : ((1ULL << 47) - PAGE_SIZE) / 3 * 2;
}

/* The random span of the stack top (stack_maxrandom_size), 0 without PF_RANDOMIZE. */
static uint64_t stack_maxrandom_size(const struct machine *m, const struct task_struct *t)
{
	if (!(t->flags & PF_RANDOMIZE))
		return 0;
	return (m->is_32bit ? 0x7ffULL : 0x3fffffULL) << PAGE_SHIFT;
}

/* mmap_base(): the top of the top-down area. */
static uint64_t mmap_base(const struct machine *m, const struct task_struct *t, uint64_t rnd,
			  uint64_t task_size, uint64_t rlim_stack)
{
	uint64_t gap = rlim_stack;
	uint64_t pad = stack_maxrandom_size(m, t) + m->vm.stack_guard_gap;

	/* Values close to RLIM_INFINITY can overflow. */
	if (gap + pad > gap)
		gap += pad;
	uint64_t gap_min = SIZE_128M, gap_max = (task_size / 6) * 5;
	if (gap < gap_min)
		gap = gap_min;
	else if (gap > gap_max)
		gap = gap_max;
	return ALIGN_UP(task_size - gap - rnd, PAGE_SIZE);
}

/* arch_mmap_rnd(): mmap_rnd_bits (8 on i386, 28 on x86_64) of pages, when randomizing. */
static uint64_t arch_rnd(struct machine *m, const struct task_struct *t)
{
	if (!(t->flags & PF_RANDOMIZE))
		return 0;
	unsigned int bits = m->is_32bit ? 8 : 28;
	return (get_random_u64(m) & ((1ULL << bits) - 1)) << PAGE_SHIFT;
}

static bool mmap_is_legacy(const struct machine *m, const struct task_struct *t)
{
	if (t->personality & ADDR_COMPAT_LAYOUT)
		return true;
	return m->vm.legacy_va_layout;
}

void arch_pick_mmap_layout(struct machine *m, struct mm_struct *mm, uint64_t rlim_stack)
{
	struct task_struct *t = get_current(m);
	uint64_t task_size = arch_task_size(m);
	uint64_t rnd = arch_rnd(m, t);

	mm->mmap_topdown = !mmap_is_legacy(m, t);
	mm->mmap_legacy_base = arch_unmapped_base(m) + rnd;
	mm->mmap_base = mm->mmap_topdown ? mmap_base(m, t, rnd, task_size, rlim_stack)
					 : mm->mmap_legacy_base;
	mm->task_size = task_size;
}

/* ---- the PTE bits of a VMA (arch/x86/mm/pgprot.c) -------------------------------- */

#define PP	_PAGE_PRESENT
#define RW	_PAGE_RW
#define USR	_PAGE_USER
#define ACC	_PAGE_ACCESSED
#define NX	_PAGE_NX

/*
 * protection_map[]: private writable pages are mapped read-only
 * (PAGE_COPY) so that the first write faults and copies; shared ones are
 * writable; without PROT_READ|WRITE|EXEC the page is not present at all
 * (PAGE_NONE, _PAGE_PROTNONE kept in the GLOBAL bit).
 */
static const pgprot_t protection_map[16] = {
	[0]						= ACC | _PAGE_GLOBAL,		/* PAGE_NONE */
	[VM_READ]					= PP | USR | ACC | NX,		/* PAGE_READONLY */
	[VM_WRITE]					= PP | USR | ACC | NX,		/* PAGE_COPY */
	[VM_WRITE | VM_READ]				= PP | USR | ACC | NX,
	[VM_EXEC]					= PP | USR | ACC,		/* PAGE_READONLY_EXEC */
	[VM_EXEC | VM_READ]				= PP | USR | ACC,
	[VM_EXEC | VM_WRITE]				= PP | USR | ACC,		/* PAGE_COPY_EXEC */
	[VM_EXEC | VM_WRITE | VM_READ]			= PP | USR | ACC,
	[VM_SHARED]					= ACC | _PAGE_GLOBAL,
	[VM_SHARED | VM_READ]				= PP | USR | ACC | NX,
	[VM_SHARED | VM_WRITE]				= PP | RW | USR | ACC | NX,	/* PAGE_SHARED */
	[VM_SHARED | VM_WRITE | VM_READ]		= PP | RW | USR | ACC | NX,
	[VM_SHARED | VM_EXEC]				= PP | USR | ACC,
	[VM_SHARED | VM_EXEC | VM_READ]			= PP | USR | ACC,
	[VM_SHARED | VM_EXEC | VM_WRITE]		= PP | RW | USR | ACC,		/* PAGE_SHARED_EXEC */
	[VM_SHARED | VM_EXEC | VM_WRITE | VM_READ]	= PP | RW | USR | ACC,
};

pgprot_t vm_get_page_prot(const struct machine *m, unsigned long vm_flags)
{
	pgprot_t prot = protection_map[vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)];

	/* Non-PAE i386 has no NX bit: __supported_pte_mask takes it out. */
	if (m->is_32bit && (prot & _PAGE_PRESENT))
		prot &= ~NX;
	return prot;
}

/* VM_DATA_DEFAULT_FLAGS: a data mapping is executable only under READ_IMPLIES_EXEC. */
unsigned long vm_data_default_flags(const struct task_struct *t)
{
	unsigned long exec = (t->personality & READ_IMPLIES_EXEC) ? VM_EXEC : 0;

	return VM_READ | VM_WRITE | exec | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
}
