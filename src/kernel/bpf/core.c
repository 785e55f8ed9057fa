/* core.c — a BPF program's memory (kernel/bpf/core.c): the program itself,
 * and on x86_64 the pack of JIT code pages it is compiled into.
 *
 * The program is a vmalloc area of whole pages (bpf_prog_alloc_no_stats).
 * Where the JIT runs (Debian's amd64: BPF_JIT_DEFAULT_ON), its code goes
 * into a bpf_prog_pack: the first program makes a 2 MiB pack with
 * module_alloc() and makes it read-only and executable at once
 * (alloc_new_pack()); later programs share it. Where the program is
 * interpreted (Debian's 686), bpf_prog_lock_ro() makes the program's own
 * pages read-only. Either way set_memory_ro() reaches the frames' direct-map
 * alias, and each large direct-map page holding one is split: the boot's
 * BPF program is one of the reasons DirectMap4k is what it is. */
#include "arch/x86/kernel/module.h"
#include "arch/x86/set_memory.h"
#include "kernel/bpf/bpf.h"
#include "mm/vmalloc.h"

#define BPF_PROG_PACK_SIZE	SZ_2M	/* PMD_SIZE x one NUMA node */
#define BPF_PROG_HEADER		72	/* sizeof(struct bpf_prog) on amd64; less on 686 */
#define BPF_INSN_SIZE		8	/* sizeof(struct bpf_insn) */

/* alloc_new_pack(): module memory, filled with int3, read-only and executable. */
static kaddr_t bpf_prog_pack_alloc(struct machine *m)
{
	unsigned long pages = BPF_PROG_PACK_SIZE >> PAGE_SHIFT;
	kaddr_t pack = module_alloc(m, BPF_PROG_PACK_SIZE, m->profile->boot_vmalloc.bpf_pack);

	if (!pack)
		return 0;
	if (set_memory_ro(m, pack, pages) || set_memory_x(m, pack, pages)) {
		vfree(m, pack);
		return 0;
	}
	m->bpf_prog_pack = pack;
	return pack;
}

int bpf_prog_create(struct machine *m, unsigned int len)
{
	/* bpf_prog_size(): the header and the instructions, in whole pages. */
	unsigned long size = ALIGN_UP((unsigned long)BPF_PROG_HEADER + (unsigned long)len * BPF_INSN_SIZE,
				      (unsigned long)PAGE_SIZE);
	kaddr_t fp = mmsim_vmalloc_caller(m, size, GFP_KERNEL | __GFP_ZERO, m->profile->boot_vmalloc.bpf_prog);

	if (!fp)
		return -MMSIM_ENOMEM;
	/* bpf_prog_select_runtime(): the JIT into the pack, else the interpreter. */
	if (m->profile->boot_vmalloc.bpf_pack) {
		if (m->bpf_prog_pack || bpf_prog_pack_alloc(m))
			return 0;
		/* A JIT that fails falls back to the interpreter (no BPF_JIT_ALWAYS_ON). */
	}
	/* bpf_prog_lock_ro() */
	return set_memory_ro(m, fp, size >> PAGE_SHIFT);
}
