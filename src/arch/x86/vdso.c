/* vdso.c — [vvar] and [vdso] (arch/x86/entry/vdso/vma.c).
 *
 * Every program gets the kernel's vDSO: two pages of code the kernel's
 * image carries (the 32-bit one on i386, the 64-bit one on x86_64),
 * mapped read-only and executable, and in front of it four pages of
 * [vvar], raw frames the vDSO code reads its clock data from: the vvar
 * page itself, then the pvclock, Hyper-V clock and time-namespace pages,
 * which only exist under those hypervisors or namespaces (a read of them
 * is SIGBUS). The six pages are one get_unmapped_area() request — on i386
 * with no hint, so they sit right below mmap_base; on x86_64 with
 * vdso_addr()'s hint just above the stack, which is refused when the
 * stack is at the very top (no randomization) — so again below mmap_base.
 *
 * The images' bytes: mmsim's kernel is not the kernel the images were
 * built for, so the pages hold only an ELF header (no symbols: glibc
 * finds no vDSO functions and makes real system calls) and, for i386,
 * __kernel_vsyscall's int $0x80, which a running program calls; the
 * VMAs, their flags, faults and accounting are the real ones. */
#include <stdlib.h>
#include <string.h>

#include "fs/binfmts.h"
#include "kernel/sched.h"
#include "mm.h"

#define VDSO_PAGES	2	/* image->size, 0x2000 in both of Debian's builds */
#define VVAR_PAGES	4	/* -image->sym_vvar_start */
#define VDSO32_KERNEL_VSYSCALL	0x550	/* __kernel_vsyscall in Debian's vdso32 */

struct vdso_state {
	struct page *image[VDSO_PAGES];
	unsigned long vvar_pfn;		/* __vvar_page */
	struct vm_special_mapping vdso_mapping, vvar_mapping;
};

static vm_fault_t vvar_fault(const struct vm_special_mapping *sm, struct vm_fault *vmf);

static int vdso_mremap(const struct vm_special_mapping *sm, struct vm_area_struct *new_vma)
{
	(void)sm;
	new_vma->vm_mm->vdso = new_vma->vm_start;
	return 0;
}

/*
 * The images and __vvar_page are in the kernel image's .data: pages the
 * kernel keeps reserved for good. Their place here: the start of .data.
 */
int vdso_init(struct machine *m)
{
	struct vdso_state *v = calloc(1, sizeof(*v));

	if (!v)
		return -MMSIM_ENOMEM;
	unsigned long data_pfn = (unsigned long)PFN_UP(m->boot.gap_end[1]);
	for (int i = 0; i < VDSO_PAGES; i++)
		v->image[i] = pfn_to_page(m, data_pfn + (unsigned long)i);
	v->vvar_pfn = data_pfn + VDSO_PAGES;
	/* An ELF header, so that the pages are what they claim to be. */
	unsigned char *hdr = page_host_address(m, v->image[0]);
	memset(hdr, 0, PAGE_SIZE);
	memcpy(hdr, "\177ELF", 4);
	hdr[4] = m->is_32bit ? 1 : 2;	/* ELFCLASS32 / ELFCLASS64 */
	hdr[5] = 1;			/* little-endian */
	hdr[6] = 1;			/* EV_CURRENT */
	hdr[16] = 3;			/* ET_DYN */
	hdr[18] = m->is_32bit ? 3 : 62;	/* EM_386 / EM_X86_64 */
	memset(page_host_address(m, v->image[1]), 0, PAGE_SIZE);
	if (m->is_32bit) {
		/*
		 * __kernel_vsyscall, where AT_SYSINFO points and where i386
		 * glibc makes every system call: int $0x80; ret. (The real one
		 * uses sysenter when the CPU has it; the call is the same.)
		 */
		static const uint8_t vsyscall[] = { 0xcd, 0x80, 0xc3 };
		memcpy(hdr + VDSO32_KERNEL_VSYSCALL, vsyscall, sizeof(vsyscall));
	}
	memset(m->ram + PFN_PHYS(v->vvar_pfn), 0, PAGE_SIZE);
	v->vdso_mapping = (struct vm_special_mapping){
		.name = "[vdso]", .pages = v->image, .nr_pages = VDSO_PAGES, .mremap = vdso_mremap,
	};
	v->vvar_mapping = (struct vm_special_mapping){ .name = "[vvar]", .fault = vvar_fault };
	m->vdso = v;
	return 0;
}

void vdso_release(struct machine *m)
{
	free(m->vdso);
	m->vdso = NULL;
}

/* vvar_fault(): the vvar page is the kernel's __vvar_page; the other three are absent here. */
static vm_fault_t vvar_fault(const struct vm_special_mapping *sm, struct vm_fault *vmf)
{
	(void)sm;
	if (vmf->pgoff == 0)
		return vmf_insert_pfn(vmf, vmf->m->vdso->vvar_pfn);
	return VM_FAULT_SIGBUS;	/* pvclock, hvclock, timens: no such clock here */
}

/* vdso_addr() (x86_64): a random page between the stack and the next 2 MiB boundary. */
static uint64_t vdso_addr(struct machine *m, uint64_t start, uint64_t len)
{
	uint64_t window = (1ULL << 47) - PAGE_SIZE;	/* DEFAULT_MAP_WINDOW */
	uint64_t pmd = 2ULL << 20;

	start = ALIGN_UP(start, PAGE_SIZE);
	uint64_t end = (start + len + pmd - 1) & ~(pmd - 1);
	if (end >= window)
		end = window;
	end -= len;
	if (end > start) {
		uint64_t pages = ((end - start) >> PAGE_SHIFT) + 1;
		return start + ((get_random_u64(m) % pages) << PAGE_SHIFT);
	}
	return start;
}

/* map_vdso(): vvar and vdso as one range, vvar first. */
static int map_vdso(struct machine *m, uint64_t addr)
{
	struct mm_struct *mm = get_current(m)->mm;
	struct vdso_state *v = m->vdso;
	uint64_t vdso_size = VDSO_PAGES * PAGE_SIZE, vvar_size = VVAR_PAGES * PAGE_SIZE;
	int err;

	int64_t a = get_unmapped_area(m, NULL, addr, vdso_size + vvar_size, 0, 0);
	if (a < 0)
		return (int)a;
	uint64_t text_start = (uint64_t)a + vvar_size;
	/* VM_MAYWRITE so that a debugger can copy-on-write it for breakpoints. */
	if (!_install_special_mapping(m, mm, text_start, vdso_size,
				      VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC,
				      &v->vdso_mapping, &err))
		return err;
	if (!_install_special_mapping(m, mm, (uint64_t)a, vvar_size,
				      VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_PFNMAP,
				      &v->vvar_mapping, &err)) {
		do_munmap(m, mm, text_start, vdso_size);
		return err;
	}
	mm->vdso = text_start;
	return 0;
}

int arch_setup_additional_pages(struct machine *m, struct linux_binprm *bprm)
{
	(void)bprm;
	if (m->is_32bit)
		return map_vdso(m, 0);		/* load_vdso32(): no hint */
	struct mm_struct *mm = get_current(m)->mm;
	return map_vdso(m, vdso_addr(m, mm->start_stack, (VDSO_PAGES + VVAR_PAGES) * PAGE_SIZE));
}

uint64_t vdso32_sysinfo(const struct machine *m, const struct mm_struct *mm)
{
	(void)m;
	return mm->vdso ? mm->vdso + VDSO32_KERNEL_VSYSCALL : 0;
}
