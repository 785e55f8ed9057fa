/* binfmt_elf.c — loading an ELF program (fs/binfmt_elf.c).
 *
 * The header and program headers are read as the kernel reads them — the
 * first 256 bytes, then the program header table, through the page cache
 * (kernel_read) — and parsed with libelf from elfutils. The kernel's own
 * checks decide what runs: the magic, ET_EXEC or ET_DYN, the machine
 * (EM_386 or EM_486 on i386, EM_X86_64 on x86_64; the class byte is not
 * looked at, the kernel reads the header in its own class), e_phentsize,
 * a program header table of at most a page. A failure before the point of
 * no return is -ENOEXEC (-ELIBBAD for a bad interpreter) and leaves the
 * caller as it was; bprm->why says which check failed.
 *
 * Each PT_LOAD becomes a private file mapping of its pages (offset and
 * address rounded down to a page, the size up), with the segment's
 * permissions; where memsz exceeds filesz the rest of the last file page
 * is zeroed (padzero, which dirties that page) and the remaining pages
 * are an anonymous VMA of their own (vm_brk_flags). The heap starts at
 * the page after the highest segment end. PT_INTERP loads the interpreter
 * (ld.so) the same way, at the top of the mmap area. Then [vvar] and
 * [vdso], and the initial stack: the platform string, 16 random bytes
 * (AT_RANDOM, from the machine's seed), the auxiliary vector, the argv and
 * envp pointers and argc, sp 16-byte aligned. */
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/kernel/cpu.h"
#include "arch/x86/fault.h"
#include "arch/x86/cpu_backend.h"
#include "fs/binfmts.h"
#include "fs/fs.h"
#include "mm.h"

/* Auxiliary vector entries (include/uapi/linux/auxvec.h, asm/auxvec.h). */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_HWCAP2	26
#define AT_EXECFN	31
#define AT_SYSINFO	32
#define AT_SYSINFO_EHDR	33
#define AT_MINSIGSTKSZ	51

#define ELF_MIN_ALIGN	PAGE_SIZE
#define ELF_PAGESTART(v)	((v) & ~(uint64_t)(ELF_MIN_ALIGN - 1))
#define ELF_PAGEOFFSET(v)	((v) & (ELF_MIN_ALIGN - 1))
#define ELF_PAGEALIGN(v)	(((v) + ELF_MIN_ALIGN - 1) & ~(uint64_t)(ELF_MIN_ALIGN - 1))

#define MMAP_PAGE_ZERO	0x0100000	/* personality: map page 0 (SVr4) */

/* A program's headers, as the kernel's struct elfhdr and elf_phdr of its class. */
struct elf_image {
	GElf_Ehdr ehdr;
	GElf_Phdr *phdr;
	unsigned int phnum;
};

static void elf_image_free(struct elf_image *img)
{
	free(img->phdr);
	img->phdr = NULL;
}

#ifndef EM_486
#define EM_486	6	/* the kernel still accepts it for i386 */
#endif

static bool elf_check_arch(const struct machine *m, unsigned int e_machine)
{
	return m->is_32bit ? (e_machine == EM_386 || e_machine == EM_486) : e_machine == EM_X86_64;
}

/* Read the raw fields the kernel checks before the program headers, in the kernel's class. */
static unsigned int raw_u16(const unsigned char *b, size_t off)
{
	return (unsigned int)b[off] | (unsigned int)b[off + 1] << 8;
}

/*
 * The kernel's checks of an ELF header in @head, then load_elf_phdrs().
 * 0, or -ENOEXEC with bprm->why set (@bad is the error to return instead,
 * -ELIBBAD for an interpreter, where the checks differ a little).
 */
static int elf_read_image(struct machine *m, struct linux_binprm *bprm, struct file *file,
			  const unsigned char *head, size_t head_len, struct elf_image *img,
			  bool interp)
{
	size_t ehsize = m->is_32bit ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	size_t phsize = m->is_32bit ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
	int bad = interp ? -MMSIM_ELIBBAD : -MMSIM_ENOEXEC;

	memset(img, 0, sizeof(*img));
	if (head_len < 4 || memcmp(head, ELFMAG, SELFMAG)) {
		bprm->why = interp ? "the interpreter is not an ELF file" : "not an ELF file (no \\177ELF magic)";
		return bad;
	}
	if (head_len < ehsize) {
		bprm->why = "the ELF header is truncated";
		return interp ? -MMSIM_EIO : bad;
	}
	unsigned int e_type = raw_u16(head, 16), e_machine = raw_u16(head, 18);
	if (!interp && e_type != ET_EXEC && e_type != ET_DYN) {
		bprm->why = "not an executable (e_type is neither ET_EXEC nor ET_DYN)";
		return bad;
	}
	if (!elf_check_arch(m, e_machine)) {
		bprm->why = m->is_32bit ? "not an i386 program (e_machine is not EM_386)"
					: "not an x86-64 program (e_machine is not EM_X86_64; 32-bit "
					  "programs on x86_64 are not modelled)";
		return bad;
	}
	/*
	 * libelf parses a copy in the kernel's class and byte order, with no
	 * section table (the kernel never looks at sections): the header, and
	 * the program headers read from their offset.
	 */
	unsigned char *image = NULL;
	Elf *elf = NULL;
	int err = bad;
	unsigned char ident_class = m->is_32bit ? ELFCLASS32 : ELFCLASS64;
	uint64_t phoff;
	unsigned int phentsize, phnum;
	if (m->is_32bit) {
		Elf32_Ehdr e;
		memcpy(&e, head, sizeof(e));
		phoff = e.e_phoff;
		phentsize = e.e_phentsize;
		phnum = e.e_phnum;
	} else {
		Elf64_Ehdr e;
		memcpy(&e, head, sizeof(e));
		phoff = e.e_phoff;
		phentsize = e.e_phentsize;
		phnum = e.e_phnum;
	}
	if (phentsize != phsize) {
		bprm->why = "e_phentsize is not the size of a program header";
		return bad;
	}
	size_t size = phsize * phnum;
	if (size == 0 || size > 65536 || size > ELF_MIN_ALIGN) {
		bprm->why = "the program header table is empty or larger than a page";
		return bad;
	}
	if (phoff > UINT64_MAX - size || phoff + size > (1ULL << 32)) {
		bprm->why = "the program header table lies beyond the file";
		return bad;
	}
	size_t total = (size_t)(phoff + size) > ehsize ? (size_t)(phoff + size) : ehsize;
	image = calloc(1, total);
	if (!image)
		return -MMSIM_ENOMEM;
	memcpy(image, head, ehsize);
	uint64_t pos = phoff;
	long n = kernel_read(m, file, image + phoff, size, &pos);
	if (n != (long)size) {
		bprm->why = "the program header table lies beyond the end of the file";
		goto out;
	}
	if (phoff < ehsize)
		memcpy(image, head, ehsize);	/* the header wins where they overlap */
	image[EI_CLASS] = ident_class;
	image[EI_DATA] = ELFDATA2LSB;
	image[EI_VERSION] = EV_CURRENT;
	if (m->is_32bit) {
		Elf32_Ehdr *e = (Elf32_Ehdr *)image;
		e->e_shoff = 0;
		e->e_shnum = 0;
		e->e_shstrndx = 0;
		e->e_ehsize = (Elf32_Half)ehsize;
	} else {
		Elf64_Ehdr *e = (Elf64_Ehdr *)image;
		e->e_shoff = 0;
		e->e_shnum = 0;
		e->e_shstrndx = 0;
		e->e_ehsize = (Elf64_Half)ehsize;
	}
	elf = elf_memory((char *)image, total);
	if (!elf || !gelf_getehdr(elf, &img->ehdr)) {
		bprm->why = "libelf cannot read the ELF header";
		goto out;
	}
	img->phdr = calloc(phnum, sizeof(*img->phdr));
	if (!img->phdr) {
		err = -MMSIM_ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < phnum; i++) {
		if (!gelf_getphdr(elf, (int)i, &img->phdr[i])) {
			bprm->why = "libelf cannot read a program header";
			goto out;
		}
	}
	img->phnum = phnum;
	img->ehdr.e_type = (GElf_Half)e_type;
	err = 0;
out:
	if (elf)
		elf_end(elf);
	free(image);
	if (err)
		elf_image_free(img);
	return err;
}

static int make_prot(uint32_t p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}

/* padzero(): clear the rest of the page after the file's bytes (this dirties it). */
static int padzero(struct machine *m, uint64_t elf_bss)
{
	uint64_t nbyte = ELF_PAGEOFFSET(elf_bss);

	if (nbyte && clear_user(m, elf_bss, ELF_MIN_ALIGN - nbyte))
		return -MMSIM_EFAULT;
	return 0;
}

static inline bool bad_addr(const struct machine *m, int64_t x)
{
	return x < 0 || (uint64_t)x >= arch_task_size(m);
}

/*
 * elf_map(): a segment's file pages at @addr. With @total_size (the first
 * segment of a position-independent image), the whole image's range is
 * claimed at once and what lies past this segment given back.
 */
static int64_t elf_map(struct machine *m, struct file *file, uint64_t addr, const GElf_Phdr *p,
		       int prot, int type, uint64_t total_size)
{
	uint64_t size = ELF_PAGEALIGN(p->p_filesz + ELF_PAGEOFFSET(p->p_vaddr));
	uint64_t off = p->p_offset - ELF_PAGEOFFSET(p->p_vaddr);
	int64_t map_addr;

	addr = ELF_PAGESTART(addr);
	if (!size)
		return (int64_t)addr;
	if (total_size) {
		total_size = ELF_PAGEALIGN(total_size);
		map_addr = vm_mmap(m, file, addr, total_size, (unsigned long)prot, (unsigned long)type, off);
		if (!bad_addr(m, map_addr))
			vm_munmap(m, (uint64_t)map_addr + size, total_size - size);
	} else {
		map_addr = vm_mmap(m, file, addr, size, (unsigned long)prot, (unsigned long)type, off);
	}
	if ((type & MAP_FIXED_NOREPLACE) && map_addr == -MMSIM_EEXIST) {
		struct task_struct *t = get_current(m);
		pr_info(m, "%d (%s): Uhuuh, elf segment at %0*" PRIx64 " requested but the memory is "
			"mapped already\n", t->pid, t->comm, kptr_width(m), addr);
	}
	return map_addr;
}

/* elf_load(): a segment's file part, then its bss: the rest of the page zeroed, the rest anonymous. */
static int64_t elf_load(struct machine *m, struct file *file, uint64_t addr, const GElf_Phdr *p,
			int prot, int type, uint64_t total_size)
{
	uint64_t zero_start, zero_end;
	int64_t map_addr;

	if (p->p_filesz) {
		map_addr = elf_map(m, file, addr, p, prot, type, total_size);
		if (bad_addr(m, map_addr))
			return map_addr;
		zero_start = (uint64_t)map_addr + ELF_PAGEOFFSET(p->p_vaddr) + p->p_filesz;
		zero_end = (uint64_t)map_addr + ELF_PAGEOFFSET(p->p_vaddr) + p->p_memsz;
		if (p->p_memsz > p->p_filesz)
			padzero(m, zero_start);	/* its failure is ignored, as the kernel ignores it */
	} else {
		map_addr = (int64_t)(zero_start = ELF_PAGESTART(addr));
		zero_end = zero_start + ELF_PAGEOFFSET(p->p_vaddr) + p->p_memsz;
	}
	if (p->p_memsz > p->p_filesz) {
		zero_start = ELF_PAGEALIGN(zero_start);
		zero_end = ELF_PAGEALIGN(zero_end);
		int err = vm_brk_flags(m, zero_start, zero_end - zero_start,
				       (prot & PROT_EXEC) ? VM_EXEC : 0);
		if (err)
			map_addr = err;
	}
	return map_addr;
}

/* total_mapping_size(): from the lowest segment page to the highest segment end. */
static uint64_t total_mapping_size(const struct elf_image *img)
{
	int first = -1, last = -1;

	for (unsigned int i = 0; i < img->phnum; i++) {
		if (img->phdr[i].p_type == PT_LOAD) {
			last = (int)i;
			if (first < 0)
				first = (int)i;
		}
	}
	if (first < 0)
		return 0;
	return img->phdr[last].p_vaddr + img->phdr[last].p_memsz -
	       ELF_PAGESTART(img->phdr[first].p_vaddr);
}

/* maximum_alignment(): the largest power-of-two p_align of the PT_LOADs, page aligned. */
static uint64_t maximum_alignment(const struct elf_image *img)
{
	uint64_t align = 0;

	for (unsigned int i = 0; i < img->phnum; i++) {
		uint64_t a = img->phdr[i].p_align;
		if (img->phdr[i].p_type != PT_LOAD || !a || (a & (a - 1)))
			continue;
		if (a > align)
			align = a;
	}
	return ELF_PAGEALIGN(align);
}

/* load_elf_interp(): the interpreter's segments; returns its load address or -errno. */
static int64_t load_elf_interp(struct machine *m, const struct elf_image *ie, struct file *file,
			       uint64_t no_base)
{
	uint64_t load_addr = 0, last_bss = 0, elf_bss = 0;
	bool load_addr_set = false;
	int bss_prot = 0;

	if (ie->ehdr.e_type != ET_EXEC && ie->ehdr.e_type != ET_DYN)
		return -MMSIM_ENOEXEC;
	uint64_t total_size = total_mapping_size(ie);
	if (!total_size)
		return -MMSIM_EINVAL;
	for (unsigned int i = 0; i < ie->phnum; i++) {
		const GElf_Phdr *p = &ie->phdr[i];
		if (p->p_type != PT_LOAD)
			continue;
		int type = MAP_PRIVATE, prot = make_prot(p->p_flags);
		uint64_t vaddr = p->p_vaddr;
		if (ie->ehdr.e_type == ET_EXEC || load_addr_set)
			type |= MAP_FIXED;
		else if (no_base && ie->ehdr.e_type == ET_DYN)
			load_addr = (uint64_t)0 - vaddr;
		int64_t map_addr = elf_map(m, file, load_addr + vaddr, p, prot, type, total_size);
		total_size = 0;
		if (bad_addr(m, map_addr))
			return map_addr < 0 ? map_addr : -MMSIM_EINVAL;
		if (!load_addr_set && ie->ehdr.e_type == ET_DYN) {
			load_addr = (uint64_t)map_addr - ELF_PAGESTART(vaddr);
			load_addr_set = true;
		}
		uint64_t k = load_addr + p->p_vaddr;
		uint64_t task_size = arch_task_size(m);
		if (k >= task_size || p->p_filesz > p->p_memsz || p->p_memsz > task_size ||
		    task_size - p->p_memsz < k)
			return -MMSIM_ENOMEM;
		k = load_addr + p->p_vaddr + p->p_filesz;
		if (k > elf_bss)
			elf_bss = k;
		k = load_addr + p->p_vaddr + p->p_memsz;
		if (k > last_bss) {
			last_bss = k;
			bss_prot = prot;
		}
	}
	/* One bss for the whole interpreter: padzero always, then the anonymous rest. */
	if (padzero(m, elf_bss))
		return -MMSIM_EFAULT;
	elf_bss = ELF_PAGEALIGN(elf_bss);
	last_bss = ELF_PAGEALIGN(last_bss);
	if (last_bss > elf_bss) {
		int err = vm_brk_flags(m, elf_bss, last_bss - elf_bss, (bss_prot & PROT_EXEC) ? VM_EXEC : 0);
		if (err)
			return err;
	}
	return (int64_t)load_addr;
}

/* create_elf_tables(): the initial stack the program starts with. */
static int create_elf_tables(struct machine *m, struct linux_binprm *bprm, const struct elf_image *img,
			     uint64_t interp_load_addr, uint64_t e_entry, uint64_t phdr_addr)
{
	struct task_struct *t = get_current(m);
	struct mm_struct *mm = t->mm;
	unsigned int w = m->is_32bit ? 4 : 8;
	uint64_t p = bprm->p;
	const char *platform = cpu_elf_platform(m);

	/* arch_align_stack() */
	if (!(t->personality & ADDR_NO_RANDOMIZE) && m->randomize_va_space)
		p -= get_random_u64(m) % 8192;
	p &= ~15ULL;
	size_t plen = strlen(platform) + 1;
	p -= plen;
	uint64_t u_platform = p;
	if (copy_to_user(m, u_platform, platform, plen))
		return -MMSIM_EFAULT;
	unsigned char rand_bytes[16];
	get_random_bytes(m, rand_bytes, sizeof(rand_bytes));
	p -= sizeof(rand_bytes);
	uint64_t u_rand_bytes = p;
	if (copy_to_user(m, u_rand_bytes, rand_bytes, sizeof(rand_bytes)))
		return -MMSIM_EFAULT;

	uint64_t *auxv = mm->saved_auxv;
	unsigned int ei = 0;
#define NEW_AUX_ENT(id, val) do { auxv[ei++] = (id); auxv[ei++] = (val); } while (0)
	/* ARCH_DLINFO: the vdso, then the signal frame size. */
	if (mm->vdso) {
		if (m->is_32bit)
			NEW_AUX_ENT(AT_SYSINFO, vdso32_sysinfo(m, mm));
		NEW_AUX_ENT(AT_SYSINFO_EHDR, mm->vdso);
	}
	NEW_AUX_ENT(AT_MINSIGSTKSZ, cpu_min_sigstksz(m));
	NEW_AUX_ENT(AT_HWCAP, cpu_elf_hwcap(m));
	NEW_AUX_ENT(AT_PAGESZ, PAGE_SIZE);
	NEW_AUX_ENT(AT_CLKTCK, 100);
	NEW_AUX_ENT(AT_PHDR, phdr_addr);
	NEW_AUX_ENT(AT_PHENT, m->is_32bit ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr));
	NEW_AUX_ENT(AT_PHNUM, img->phnum);
	NEW_AUX_ENT(AT_BASE, interp_load_addr);
	NEW_AUX_ENT(AT_FLAGS, 0);
	NEW_AUX_ENT(AT_ENTRY, e_entry);
	NEW_AUX_ENT(AT_UID, t->cred->uid);
	NEW_AUX_ENT(AT_EUID, t->cred->euid);
	NEW_AUX_ENT(AT_GID, t->cred->gid);
	NEW_AUX_ENT(AT_EGID, t->cred->egid);
	NEW_AUX_ENT(AT_SECURE, 0);
	NEW_AUX_ENT(AT_RANDOM, u_rand_bytes);
	NEW_AUX_ENT(AT_HWCAP2, 0);
	NEW_AUX_ENT(AT_EXECFN, bprm->exec);
	NEW_AUX_ENT(AT_PLATFORM, u_platform);
#undef NEW_AUX_ENT
	memset(auxv + ei, 0, (AT_VECTOR_SIZE - ei) * sizeof(*auxv));
	ei += 2;	/* AT_NULL */

	uint64_t sp = p - (uint64_t)ei * w;
	unsigned int items = (unsigned int)(bprm->argc + 1) + (unsigned int)(bprm->envc + 1) + 1;
	bprm->p = (sp - (uint64_t)items * w) & ~15ULL;
	sp = bprm->p;
	if (!find_extend_vma(m, mm, bprm->p))
		return -MMSIM_EFAULT;
	uint64_t argc = (uint64_t)bprm->argc;
	if (put_user(m, &argc, sp, w))
		return -MMSIM_EFAULT;
	sp += w;
	p = mm->arg_end = mm->arg_start;
	for (int i = 0; i < bprm->argc; i++, sp += w) {
		if (put_user(m, &p, sp, w))
			return -MMSIM_EFAULT;
		long len = strnlen_user(m, p, (long)(PAGE_SIZE * 32));
		if (!len || len > (long)(PAGE_SIZE * 32))
			return -MMSIM_EINVAL;
		p += (uint64_t)len;
	}
	uint64_t zero = 0;
	if (put_user(m, &zero, sp, w))
		return -MMSIM_EFAULT;
	sp += w;
	mm->arg_end = p;
	mm->env_end = mm->env_start = p;
	for (int i = 0; i < bprm->envc; i++, sp += w) {
		if (put_user(m, &p, sp, w))
			return -MMSIM_EFAULT;
		long len = strnlen_user(m, p, (long)(PAGE_SIZE * 32));
		if (!len || len > (long)(PAGE_SIZE * 32))
			return -MMSIM_EINVAL;
		p += (uint64_t)len;
	}
	if (put_user(m, &zero, sp, w))
		return -MMSIM_EFAULT;
	sp += w;
	mm->env_end = p;
	/* The auxiliary vector, in the program's word size. */
	for (unsigned int i = 0; i < ei; i++, sp += w)
		if (put_user(m, &auxv[i], sp, w))
			return -MMSIM_EFAULT;
	return 0;
}

/* arch_randomize_brk(): a random page within 32 MiB (i386) or 1 GiB (x86_64) above. */
static uint64_t arch_randomize_brk(struct machine *m, uint64_t brk)
{
	uint64_t range = m->is_32bit ? 0x02000000ULL : 0x40000000ULL;

	range >>= PAGE_SHIFT;
	return brk + ((get_random_u64(m) % range) << PAGE_SHIFT);
}

int load_elf_binary(struct machine *m, struct linux_binprm *bprm)
{
	struct task_struct *t = get_current(m);
	struct elf_image img, iimg = { 0 };
	int executable_stack = EXSTACK_DEFAULT;
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -MMSIM_ENOEXEC;
	err = elf_read_image(m, bprm, bprm->file, bprm->buf, bprm->buf_len, &img, false);
	if (err)
		return err;
	/* PT_INTERP: only the first; its path must be 2..PATH_MAX bytes and end in NUL. */
	for (unsigned int i = 0; i < img.phnum; i++) {
		const GElf_Phdr *p = &img.phdr[i];
		if (p->p_type != PT_INTERP)
			continue;
		err = -MMSIM_ENOEXEC;
		if (p->p_filesz > 4096 || p->p_filesz < 2) {
			bprm->why = "PT_INTERP's path is too short or too long";
			goto out;
		}
		char path[4096];
		uint64_t pos = p->p_offset;
		long n = kernel_read(m, bprm->file, path, (size_t)p->p_filesz, &pos);
		if (n != (long)p->p_filesz) {
			err = n < 0 ? (int)n : -MMSIM_EIO;
			bprm->why = "PT_INTERP lies beyond the end of the file";
			goto out;
		}
		if (path[p->p_filesz - 1]) {
			bprm->why = "PT_INTERP's path does not end in a NUL";
			goto out;
		}
		bprm->elf_interp = filp_open(m, path, O_RDONLY, &err);
		if (!bprm->elf_interp) {
			bprm->why = "the interpreter (PT_INTERP) cannot be opened";
			goto out;
		}
		unsigned char ihead[BINPRM_BUF_SIZE];
		pos = 0;
		n = kernel_read(m, bprm->elf_interp, ihead, sizeof(ihead), &pos);
		if (n < 0) {
			err = (int)n;
			goto out;
		}
		err = elf_read_image(m, bprm, bprm->elf_interp, ihead, (size_t)n, &iimg, true);
		if (err)
			goto out;
		break;
	}
	/* The last PT_GNU_STACK decides whether the stack is executable. */
	for (unsigned int i = 0; i < img.phnum; i++)
		if (img.phdr[i].p_type == PT_GNU_STACK)
			executable_stack = (img.phdr[i].p_flags & PF_X) ? EXSTACK_ENABLE_X
								  : EXSTACK_DISABLE_X;

	/* ---- the point of no return ---- */
	if ((err = begin_new_exec(m, bprm)))
		goto out;
	/* SET_PERSONALITY: x86_64 drops READ_IMPLIES_EXEC; i386 keeps what it inherits. */
	if (!m->is_32bit)
		t->personality &= ~READ_IMPLIES_EXEC;
	/* elf_read_implies_exec(): a 32-bit program without PT_GNU_STACK gets it. */
	if (m->is_32bit && executable_stack == EXSTACK_DEFAULT)
		t->personality |= READ_IMPLIES_EXEC;
	setup_new_exec(m, bprm);
	if ((err = setup_arg_pages(m, bprm, randomize_stack_top(m, arch_task_size(m)),
				   executable_stack)) < 0)
		goto out;

	uint64_t load_bias = 0, elf_brk = 0, start_code = UINT64_MAX, end_code = 0;
	uint64_t start_data = 0, end_data = 0, phdr_addr = 0;
	bool first_pt_load = true, brk_moved = false;
	uint64_t task_size = arch_task_size(m);
	for (unsigned int i = 0; i < img.phnum; i++) {
		const GElf_Phdr *p = &img.phdr[i];
		if (p->p_type != PT_LOAD)
			continue;
		int prot = make_prot(p->p_flags), flags = MAP_PRIVATE;
		uint64_t vaddr = p->p_vaddr, total_size = 0;
		if (!first_pt_load) {
			flags |= MAP_FIXED;
		} else if (img.ehdr.e_type == ET_EXEC) {
			flags |= MAP_FIXED_NOREPLACE;
		} else {
			/* ET_DYN: where the whole image goes. */
			total_size = total_mapping_size(&img);
			if (!total_size) {
				err = -MMSIM_EINVAL;
				goto out;
			}
			uint64_t alignment = maximum_alignment(&img);
			if (bprm->elf_interp) {
				load_bias = arch_et_dyn_base(m);
				if (t->flags & PF_RANDOMIZE)
					load_bias += (get_random_u64(m) &
						      ((1ULL << (m->is_32bit ? 8 : 28)) - 1)) << PAGE_SHIFT;
				if (alignment)
					load_bias &= ~(alignment - 1);
				flags |= MAP_FIXED_NOREPLACE;
			} else if (alignment > ELF_MIN_ALIGN) {
				int64_t probe = elf_load(m, bprm->file, 0, p, prot, flags, total_size);
				if (bad_addr(m, probe)) {
					err = probe < 0 ? (int)probe : -MMSIM_EINVAL;
					goto out;
				}
				vm_munmap(m, (uint64_t)probe, total_size);
				load_bias = (uint64_t)probe & ~(alignment - 1);
				flags |= MAP_FIXED_NOREPLACE;
			} else {
				load_bias = 0;
			}
			load_bias = ELF_PAGESTART(load_bias - vaddr);
		}
		int64_t r = elf_load(m, bprm->file, load_bias + vaddr, p, prot, flags, total_size);
		if (bad_addr(m, r)) {
			err = r < 0 ? (int)r : -MMSIM_EINVAL;
			goto out;
		}
		if (first_pt_load) {
			first_pt_load = false;
			if (img.ehdr.e_type == ET_DYN)
				load_bias += (uint64_t)r - ELF_PAGESTART(load_bias + vaddr);
		}
		if (p->p_offset <= img.ehdr.e_phoff && img.ehdr.e_phoff < p->p_offset + p->p_filesz)
			phdr_addr = img.ehdr.e_phoff - p->p_offset + p->p_vaddr;
		uint64_t k = p->p_vaddr;
		if ((p->p_flags & PF_X) && k < start_code)
			start_code = k;
		if (start_data < k)
			start_data = k;
		if (k >= task_size || p->p_filesz > p->p_memsz || p->p_memsz > task_size ||
		    task_size - p->p_memsz < k) {
			err = -MMSIM_EINVAL;
			goto out;
		}
		k = p->p_vaddr + p->p_filesz;
		if ((p->p_flags & PF_X) && end_code < k)
			end_code = k;
		if (end_data < k)
			end_data = k;
		k = p->p_vaddr + p->p_memsz;
		if (k > elf_brk)
			elf_brk = k;
	}
	uint64_t e_entry = img.ehdr.e_entry + load_bias, elf_entry;
	phdr_addr += load_bias;
	elf_brk += load_bias;
	start_code += load_bias;
	end_code += load_bias;
	start_data += load_bias;
	end_data += load_bias;
	uint64_t interp_load_addr = 0;
	if (bprm->elf_interp) {
		int64_t r = load_elf_interp(m, &iimg, bprm->elf_interp, load_bias);
		if (r < 0) {
			err = (int)r;
			goto out;
		}
		interp_load_addr = (uint64_t)r;
		elf_entry = (uint64_t)r + iimg.ehdr.e_entry;
		if (elf_entry >= task_size) {
			err = -MMSIM_EINVAL;
			goto out;
		}
	} else {
		elf_entry = e_entry;
		if (elf_entry >= task_size) {
			err = -MMSIM_EINVAL;
			goto out;
		}
	}
	if ((err = arch_setup_additional_pages(m, bprm)) < 0)
		goto out;
	if ((err = create_elf_tables(m, bprm, &img, interp_load_addr, e_entry, phdr_addr)) < 0)
		goto out;
	struct mm_struct *mm = t->mm;
	mm->end_code = end_code;
	mm->start_code = start_code;
	mm->start_data = start_data;
	mm->end_data = end_data;
	mm->start_stack = bprm->p;
	/* A static PIE's heap goes to ELF_ET_DYN_BASE, randomized or not (6.1.y). */
	if (img.ehdr.e_type == ET_DYN && !bprm->elf_interp) {
		elf_brk = arch_et_dyn_base(m);
		brk_moved = true;
	}
	mm->start_brk = mm->brk = ELF_PAGEALIGN(elf_brk);
	if ((t->flags & PF_RANDOMIZE) && m->randomize_va_space > 1) {
		if (!brk_moved)
			mm->brk = mm->start_brk = mm->brk + PAGE_SIZE;	/* a gap after the bss */
		mm->brk = mm->start_brk = arch_randomize_brk(m, mm->brk);
	}
	if (t->personality & MMAP_PAGE_ZERO)
		vm_mmap(m, NULL, 0, PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_FIXED | MAP_PRIVATE, 0);
	/* START_THREAD: the program starts at its entry, on the new stack. */
	t->user_ip = elf_entry;
	t->user_sp = bprm->p;
	/* A program running on a CPU starts afresh there (start_thread()). */
	if (t->uctx && start_thread(m, t, elf_entry, bprm->p))
		return -MMSIM_ENOMEM;
	err = 0;
out:
	elf_image_free(&img);
	elf_image_free(&iimg);
	return err;
}
