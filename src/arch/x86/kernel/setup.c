/* setup.c — booting a machine: the memory half of setup_arch() and start_kernel().
 *
 * The sequence follows Linux 6.1 on x86, and each step prints what the real
 * kernel prints at that point:
 *   e820 map -> trims -> max_pfn / max_low_pfn (and on i386 the lowmem limit
 *   from the virtual layout) -> memblock memory and early reservations
 *   (first 1 MiB, kernel image, initrd) -> NODE_DATA / vmemmap or mem_map ->
 *   the CMA area (dma_contiguous_reserve) -> zone sizing -> percpu areas -> zonelists -> dentry/inode hash tables ->
 *   swiotlb -> mem_init (memblock frees everything else to the buddy
 *   allocator, "Memory: ...") -> deferred struct pages -> watermarks and
 *   CMA activation (core_initcall) -> watermarks and lowmem_reserve
 *   (init_per_zone_wmark_min, postcore) -> khugepaged's min_free_kbytes
 *   -> initrd and init sections freed.
 * Each reservation is placed where the kernel's top-down memblock would put
 * it, so managed pages land in the same zones. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/cpu_backend.h"
#include "arch/x86/layout.h"
#include "arch/x86/mmu.h"
#include "arch/x86/set_memory.h"
#include "arch/x86/kernel/e820.h"
#include "mm/memblock.h"
#include "mm/percpu.h"
#include "kernel/params.h"
#include "kernel/sched.h"
#include "kernel/bpf/bpf.h"
#include "drivers/drivers.h"
#include "drivers/acpi/acpi.h"
#include "arch/x86/kernel/hpet.h"
#include "arch/x86/kernel/irq.h"
#include "arch/x86/kernel/cpu/mce/mce.h"
#include "fs/binfmts.h"
#include "fs/fs.h"
#include "kernel/dma/contiguous.h"
#include "mm/cma.h"
#include "mm/compaction.h"
#include "mm/highmem.h"
#include "mm.h"
#include "mm/swap.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "kernel/dma/dma.h"

#define KiB 1024UL
#define MiB (1024UL * 1024)
#define GiB (1024UL * 1024 * 1024)
#define SMP_CACHE_BYTES 64

static const char *const zone_names[__MAX_NR_ZONES] = {
	[ZONE_DMA] = "DMA", [ZONE_DMA32] = "DMA32", [ZONE_NORMAL] = "Normal",
	[ZONE_HIGHMEM] = "HighMem", [ZONE_MOVABLE] = "Movable", [ZONE_DEVICE] = "Device",
};

void mmsim_desc_init(struct machine_desc *desc)
{
	memset(desc, 0, sizeof(*desc));
	desc->arch = MMSIM_ARCH_I386;
	desc->mem_bytes = 2048 * MiB;
	desc->nr_cpus = 2;
	desc->profile = "linux-6.1";
	desc->seed = 1;
}

#define fail(...) do { snprintf(err, errlen, __VA_ARGS__); goto out_fail; } while (0)

/*
 * i386: the direct map ends where the kernel's virtual space for other
 * things begins. Top down from 4 GiB: fixmap (FIXADDR_TOT_START), the
 * cpu_entry_area, the LDT remap, the pkmap area (PKMAP_BASE, PMD aligned),
 * two guard pages, and VMALLOC_END. MAXMEM leaves __VMALLOC_RESERVE below
 * that for vmalloc; RAM beyond it is HighMem.
 */
static void x86_32_virtual_layout(struct machine *m)
{
	const struct mm_profile *p = m->profile;
	const uint64_t pmd_mask = ~(uint64_t)(4 * MiB - 1);	/* non-PAE: 4 MiB PMDs */
	uint64_t fixaddr_start = p->fixaddr_top - (uint64_t)p->fixmap_pages * PAGE_SIZE;
	uint64_t maxmem;

	m->fixaddr_start = fixaddr_start;
	if (p->cpu_entry_area_pages) {
		uint64_t cea_base = (fixaddr_start - PAGE_SIZE * (p->cpu_entry_area_pages + 1)) & pmd_mask;
		uint64_t ldt_base = (cea_base - PAGE_SIZE) & pmd_mask;
		m->pkmap_base = (ldt_base - PAGE_SIZE) & pmd_mask;
	} else {
		m->pkmap_base = (fixaddr_start - PAGE_SIZE * (p->last_pkmap + 1)) & pmd_mask;
	}
	m->vmalloc_end = m->pkmap_base - 2 * PAGE_SIZE;
	uint64_t space = p->maxmem_below_vmalloc_end ? m->vmalloc_end - p->page_offset
						     : 4 * GiB - p->page_offset;
	/*
	 * The kernel's unsigned long is 32 bits: a vmalloc= larger than the
	 * space wraps MAXMEM round to nearly 4 GiB, and then all RAM counts as
	 * lowmem (which only boots if it leaves room for vmalloc; see below).
	 */
	maxmem = (uint32_t)(space - m->vmalloc_reserve);
	m->maxmem_pfn = (unsigned long)(maxmem >> PAGE_SHIFT);
}

/* find_low_pfn_range(): lowmem is RAM up to MAXMEM; the rest is HighMem. */
static void find_low_pfn_range(struct machine *m)
{
	if (m->max_pfn <= m->maxmem_pfn) {
		m->max_low_pfn = m->max_pfn;
	} else {
		m->max_low_pfn = m->maxmem_pfn;
	}
	m->highstart_pfn = m->highend_pfn = m->max_pfn;
	if (m->max_pfn > m->max_low_pfn)
		m->highstart_pfn = m->max_low_pfn;
}

/*
 * pcpu_build_alloc_info(): how many units share one atom-aligned allocation.
 * As many as fit, unless that leaves more than a third of the units without
 * a CPU; then fewer, down to the fewest allocations (one group: no NUMA).
 */
static unsigned int percpu_units_per_alloc(uint64_t alloc_size, uint64_t size_sum, unsigned int ncpus)
{
	uint64_t min_unit = size_sum > 32 * KiB ? size_sum : 32 * KiB;	/* PCPU_MIN_UNIT_SIZE */
	unsigned int max_upa = (unsigned int)(alloc_size / min_unit);
	unsigned int best = 0, last_allocs = ~0u;

	while (alloc_size % max_upa || ((alloc_size / max_upa) & (PAGE_SIZE - 1)))
		max_upa--;
	for (unsigned int upa = max_upa; upa; upa--) {
		if (alloc_size % upa || ((alloc_size / upa) & (PAGE_SIZE - 1)))
			continue;
		unsigned int allocs = DIV_ROUND_UP(ncpus, upa), wasted = allocs * upa - ncpus;
		if (wasted > ncpus / 3)
			continue;
		if (allocs > last_allocs)
			break;
		last_allocs = allocs;
		best = upa;
	}
	return best;
}

static phys_addr_t image_bytes(unsigned int kb)
{
	return ALIGN_UP((phys_addr_t)kb * KiB, (phys_addr_t)PAGE_SIZE);
}

/*
 * The image as the linker lays it out (/proc/iomem): text, (gap), rodata,
 * (gap), data, then init sections, the SMP alternatives' lock table, the
 * decrypted data (x86_64) and what stays (percpu template, nosave data),
 * then bss. Everything but the stay-reserved parts is freed by the end of
 * boot.
 */
static int reserve_kernel_image(struct machine *m, char *err, size_t errlen)
{
	const struct kernel_image_kb *im = &m->profile->image;
	phys_addr_t start = m->desc.kernel_phys ? m->desc.kernel_phys : m->profile->kernel_load_addr;
	phys_addr_t p = start;

	m->boot.kernel_start = start;
	p += image_bytes(im->text);
	m->boot.gap_start[0] = p;
	p += image_bytes(im->text_rodata_gap);
	m->boot.gap_end[0] = p;
	p += image_bytes(im->rodata);
	m->boot.rodata_end = p;
	m->boot.gap_start[1] = p;
	p += image_bytes(im->rodata_data_gap);
	m->boot.gap_end[1] = p;
	m->boot.data_start = p;
	p += image_bytes(im->rwdata);
	m->boot.data_end = p;
	p += image_bytes(im->data_kept);
	m->boot.init_start = p;
	p += image_bytes(im->init);
	m->boot.init_end = p;
	m->boot.gap_start[2] = p;		/* .smp_locks */
	p += image_bytes(im->smp_locks);
	m->boot.gap_end[2] = p;
	p += image_bytes(im->data_tail);
	m->boot.bss_start = p;
	p += image_bytes(im->bss);
	m->boot.kernel_end = p;
	/* .bss..decrypted ends .bss; its unused part is freed at the end of boot. */
	m->boot.decrypted_end = p;
	m->boot.decrypted_start = p - image_bytes(im->decrypted);
	m->boot.idt_table = im->idt_table ? m->boot.bss_start + im->idt_table : 0;
	if (!m->is_32bit)
		m->boot.highmap_end = ALIGN_UP(p + image_bytes(im->brk), (phys_addr_t)SZ_2M);
	/* Each section is far smaller than the address space, so a wrap shows as an end below the start. */
	if (p < start) {
		snprintf(err, errlen, "the kernel's %" PRIu64 " KiB image at %#" PRIx64
			 " would run past the top of the physical address space",
			 (uint64_t)(p - start) / KiB, (uint64_t)start);
		return -MMSIM_EINVAL;
	}

	/* The image must sit in RAM the kernel maps at boot. */
	const struct memblock_type *mem = &m->memblock.memory;
	bool inside = false;
	for (unsigned int i = 0; i < mem->cnt; i++)
		if (start >= mem->regions[i].base &&
		    m->boot.kernel_end <= mem->regions[i].base + mem->regions[i].size)
			inside = true;
	/* i386 runs from the direct map; x86_64 maps its image separately. */
	unsigned long limit_pfn = m->is_32bit ? m->max_low_pfn : m->max_pfn;
	if (!inside || m->boot.kernel_end > PFN_PHYS(limit_pfn)) {
		snprintf(err, errlen, "RAM too small for the kernel: its %" PRIu64 " KiB image at "
			 "%#" PRIx64 " must lie in %sRAM, which ends at %#" PRIx64,
			 (uint64_t)(m->boot.kernel_end - start) / KiB, (uint64_t)start,
			 m->is_32bit ? "low " : "", (uint64_t)PFN_PHYS(limit_pfn));
		return -MMSIM_EINVAL;
	}
	return memblock_reserve(m, start, m->boot.kernel_end - start);
}

/*
 * QEMU's loader puts the initrd at the top of RAM below 4 GiB (below 2 GiB
 * for i386 guests with 3 GiB or more of RAM: the 32-bit boot protocol's
 * initrd_addr_max). A 32-bit kernel moves it into lowmem if it is not.
 */
static int reserve_initrd(struct machine *m, char *err, size_t errlen)
{
	uint64_t size = m->desc.initrd_bytes;
	uint64_t area = ALIGN_UP(size, (uint64_t)PAGE_SIZE);
	uint64_t top = 0, limit = m->is_32bit ? 0x80000000ULL : 4 * GiB;

	if (!size)
		return 0;
	for (unsigned int i = 0; i < m->e820.nr_entries; i++) {
		const struct e820_entry *e = &m->e820.entries[i];
		uint64_t end = e->addr + e->size;
		if (e->type != E820_TYPE_RAM || e->addr >= limit)
			continue;
		if (end > limit)
			end = limit;
		if (end > top)
			top = end;
	}
	top = ALIGN_DOWN(top, (uint64_t)PAGE_SIZE);
	if (top < area + SZ_16M) {
		snprintf(err, errlen, "RAM too small for a %" PRIu64 "-byte initrd", size);
		return -MMSIM_EINVAL;
	}
	uint64_t start = top - area;
	/*
	 * The boot loader and the decompressor keep the initrd and the image
	 * apart (the decompressor's mem_avoid[]); a placement chosen with
	 * --kernel-at cannot be moved, so an overlap is the user's error.
	 */
	if (start < m->boot.kernel_end && m->boot.kernel_start < start + area) {
		snprintf(err, errlen, "the %" PRIu64 "-byte initrd at %#" PRIx64 " would overlap the kernel "
			 "image at %#" PRIx64 "-%#" PRIx64 " (move the kernel or shrink the initrd)",
			 size, start, (uint64_t)m->boot.kernel_start, (uint64_t)m->boot.kernel_end - 1);
		return -MMSIM_EINVAL;
	}
	printk(m, KERN_INFO "RAMDISK: [mem 0x%08" PRIx64 "-0x%08" PRIx64 "]\n", start, start + area - 1);
	if (start + area > PFN_PHYS(m->max_low_pfn)) {
		phys_addr_t relocated = memblock_phys_alloc_range(m, area, PAGE_SIZE, 0,
								  PFN_PHYS(m->max_low_pfn));
		if (!relocated) {
			snprintf(err, errlen, "no lowmem for the initrd (%" PRIu64 " bytes)", size);
			return -MMSIM_ENOMEM;
		}
		printk(m, KERN_INFO "Allocated new RAMDISK: [mem 0x%08" PRIx64 "-0x%08" PRIx64 "]\n",
		       (uint64_t)relocated, (uint64_t)relocated + size - 1);
		printk(m, KERN_INFO "Move RAMDISK from [mem 0x%08" PRIx64 "-0x%08" PRIx64 "] to [mem 0x%08"
		       PRIx64 "-0x%08" PRIx64 "]\n", start, start + size - 1,
		       (uint64_t)relocated, (uint64_t)relocated + size - 1);
		start = relocated;
	} else {
		memblock_reserve(m, start, area);
	}
	m->boot.initrd_start = start;
	m->boot.initrd_end = start + area;
	return 0;
}

static phys_addr_t boot_alloc(struct machine *m, phys_addr_t size, phys_addr_t align,
			      phys_addr_t min_addr, const char *what, char *err, size_t errlen)
{
	phys_addr_t pa = memblock_phys_alloc_range(m, size, align, min_addr, MEMBLOCK_ALLOC_ACCESSIBLE);

	if (!pa)
		snprintf(err, errlen, "not enough memory at boot for %s (%" PRIu64 " KiB)", what,
			 (uint64_t)size / KiB);
	return pa;
}

/*
 * alloc_large_system_hash(): one bucket per 2^scale bytes of lowmem
 * (nr_kernel_pages rounded up to a MiB), a power of two, at most 1/16 of
 * all memory.
 */
static int alloc_boot_hash(struct machine *m, const char *name, unsigned int scale,
			   char *err, size_t errlen)
{
	unsigned long bucketsize = m->is_32bit ? 4 : 8;
	unsigned long numentries = ALIGN_UP(m->nr_kernel_pages, SZ_1M / PAGE_SIZE);

	if (scale > PAGE_SHIFT)
		numentries >>= (scale - PAGE_SHIFT);
	else
		numentries <<= (PAGE_SHIFT - scale);
	if (numentries * bucketsize < PAGE_SIZE)
		numentries = PAGE_SIZE / bucketsize;
	unsigned long pow2 = 1;
	while (pow2 < numentries)
		pow2 <<= 1;
	numentries = pow2;
	uint64_t max = (((uint64_t)m->nr_all_pages << PAGE_SHIFT) >> 4) / bucketsize;
	if (max > 0x80000000ULL)
		max = 0x80000000ULL;
	while (numentries > max)
		numentries >>= 1;
	unsigned int log2qty = (unsigned int)__builtin_ctzl(numentries);
	uint64_t size = (uint64_t)bucketsize << log2qty;
	if (!boot_alloc(m, size, SMP_CACHE_BYTES, 0, name, err, errlen))
		return -MMSIM_ENOMEM;
	unsigned int order = 0;
	while ((PAGE_SIZE << order) < size)
		order++;
	printk(m, KERN_INFO "%s hash table entries: %lu (order: %u, %" PRIu64 " bytes, linear)\n",
	       name, numentries, order, size);
	return 0;
}

static void zones_init(struct machine *m)
{
	bool is32 = m->is_32bit;
	bool cfg[__MAX_NR_ZONES] = {
		[ZONE_DMA] = true, [ZONE_DMA32] = !is32, [ZONE_NORMAL] = true,
		[ZONE_HIGHMEM] = is32, [ZONE_MOVABLE] = true, [ZONE_DEVICE] = !is32,
	};

	for (int i = 0; i < __MAX_NR_ZONES; i++) {
		struct zone *zone = &m->node.node_zones[i];
		zone->idx = (enum zone_type)i;
		zone->name = zone_names[i];
		zone->configured = cfg[i];
		zone->zone_pgdat = &m->node;
		for (int o = 0; o < MAX_ORDER; o++)
			for (int t = 0; t < MIGRATE_TYPES; t++)
				INIT_LIST_HEAD(&zone->free_area[o].free_list[t]);
	}
}

/* Round a section count into the memory each 128 MiB vmemmap section needs. */
static unsigned long present_sections(const struct machine *m)
{
	unsigned long shift = m->profile->section_size_bits - PAGE_SHIFT, n = 0;
	unsigned long nr = (m->max_pfn + (1UL << shift) - 1) >> shift;

	for (unsigned long s = 0; s < nr; s++)
		if (memblock_present_pages(m, s << shift, (s + 1) << shift))
			n++;
	return n;
}

/* Hand every free page in [lo, hi) to the buddy allocator. */
static void free_memblock_range(struct machine *m, unsigned long lo, unsigned long hi)
{
	unsigned long idx = 0, s, e;

	while (memblock_next_free_pfn_range_in(m, &idx, lo, hi, &s, &e))
		free_pfn_range_to_buddy(m, s, e);
}

static unsigned long totalram(const struct machine *m)
{
	unsigned long n = 0;

	for (int i = 0; i < __MAX_NR_ZONES; i++)
		n += m->node.node_zones[i].managed_pages;
	return n;
}

/*
 * free_init_pages() of [start, end), which the kernel reaches at @va: made
 * non-executable and writable first (a part of the image may have been
 * made read-only, and the buddy allocator's next owner writes it), then
 * handed to the buddy allocator.
 */
static int free_init_pages(struct machine *m, kaddr_t va, phys_addr_t start, phys_addr_t end,
			   const char *fmt)
{
	if (end <= start)
		return 0;
	unsigned long numpages = (unsigned long)((end - start) >> PAGE_SHIFT);
	int rc = set_memory_nx(m, va, numpages) ?: set_memory_rw(m, va, numpages);
	if (rc)
		return rc;
	/*
	 * free_init_pages() and free_initrd_mem() leave memblock alone: the
	 * range stays reserved there, so deferred struct page init, which
	 * frees memblock's free ranges later, never frees it a second time.
	 */
	unsigned long pages = free_reserved_area(m, start, end);
	if (fmt)
		printk(m, fmt, pages << (PAGE_SHIFT - 10));
	return 0;
}

/* free_kernel_image_pages(): a part of the image, through the mapping the kernel runs from. */
static int free_kernel_image_pages(struct machine *m, phys_addr_t start, phys_addr_t end,
				   const char *fmt)
{
	return free_init_pages(m, kernel_image_va(m, start), start, end, fmt);
}

/*
 * mark_rodata_ro() (arch/x86/mm/init_32.c, init_64.c): text and rodata
 * become read-only; on x86_64 through the image mapping, whose direct-map
 * alias follows, up to rodata's end rounded to 2 MiB, and everything past
 * the text becomes non-executable there. Then x86_64 frees the gaps the
 * linker left for that 2 MiB alignment.
 */
static int mark_rodata_ro(struct machine *m)
{
	const struct kernel_image_kb *im = &m->profile->image;
	phys_addr_t start = m->boot.kernel_start;

	if (m->is_32bit) {
		phys_addr_t end = m->boot.rodata_end;
		printk(m, KERN_INFO "Write protecting kernel text and read-only data: %luk\n",
		       (unsigned long)ALIGN_UP(im->text + im->rodata, 4u));
		return set_memory_ro(m, __va(m, start), (unsigned long)((end - start) >> PAGE_SHIFT));
	}
	phys_addr_t end = ALIGN_UP(m->boot.rodata_end, (phys_addr_t)SZ_2M);	/* __end_rodata_hpage_align */
	phys_addr_t text_end = m->boot.gap_start[0];
	printk(m, KERN_INFO "Write protecting the kernel read-only data: %luk\n",
	       (unsigned long)((end - start) >> 10));
	/* 6.1's linker starts .data at that boundary; the classic profile's made-up layout does not. */
	if (end > m->boot.data_start)
		end = m->boot.data_start;
	return set_memory_ro(m, kernel_image_va(m, start), (unsigned long)((end - start) >> PAGE_SHIFT)) ?:
	       set_memory_nx(m, kernel_image_va(m, text_end),
			     (unsigned long)((m->boot.highmap_end - text_end) >> PAGE_SHIFT)) ?:
	       free_kernel_image_pages(m, m->boot.gap_start[0], m->boot.gap_end[0],
			KERN_INFO "Freeing unused kernel image (text/rodata gap) memory: %luK\n") ?:
	       free_kernel_image_pages(m, m->boot.gap_start[1], m->boot.gap_end[1],
			KERN_INFO "Freeing unused kernel image (rodata/data gap) memory: %luK\n");
}

struct machine *mmsim_boot(const struct machine_desc *desc, char *err, size_t errlen)
{
	struct machine *m = calloc(1, sizeof(*m));

	if (!m) {
		snprintf(err, errlen, "out of host memory");
		return NULL;
	}
	m->desc = *desc;
	m->cmdline = strdup(desc->cmdline ? desc->cmdline : "");
	m->desc.cmdline = m->cmdline;
	m->randomize_va_space = 2;
	m->comm = "swapper/0";
	m->user_min_free_kbytes = -1;
	m->profile = mm_profile_find(desc->profile ? desc->profile : "linux-6.1", desc->arch);
	if (!m->profile)
		fail("unknown profile '%s' (profiles: %s)", desc->profile, mm_profile_names());
	const struct mm_profile *p = m->profile;
	if (!m->cmdline)
		fail("out of host memory");
	m->vmalloc_reserve = p->vmalloc_reserve;
	m->is_32bit = desc->arch == MMSIM_ARCH_I386;
	/* The build: the profile's configuration with the machine's --config choices. */
	if (kernel_config_resolve(p, desc, &m->config, err, errlen))
		goto out_fail;
	if (cma_state_init(m))
		fail("out of host memory");
	if (!desc->cpu_backend || !strcmp(desc->cpu_backend, "auto"))
		m->cpu_backend_kind = CPU_BACKEND_AUTO;
	else if (!strcmp(desc->cpu_backend, "kvm"))
		m->cpu_backend_kind = CPU_BACKEND_KVM;
	else if (!strcmp(desc->cpu_backend, "unicorn"))
		m->cpu_backend_kind = CPU_BACKEND_UNICORN;
	else
		fail("unknown CPU backend '%s' (kvm, unicorn, auto)", desc->cpu_backend);
	m->desc.cpu_backend = NULL;	/* the caller's string is not kept */
	/* The vm sysctls of user memory, at their defaults (the 2.6 profile's where they differ). */
	bool classic = p->log_style == BOOT_LOG_CLASSIC;
	m->vm = (struct vm_sysctls){
		.max_map_count = 65530,
		.overcommit_memory = OVERCOMMIT_GUESS,
		.overcommit_ratio = 50,
		.legacy_va_layout = classic,		/* 2.6: bottom-up from TASK_UNMAPPED_BASE */
		.mmap_min_addr = classic ? 4096 : 65536,
		.stack_guard_gap = (classic ? 1 : 256) * PAGE_SIZE,
		.fault_around_bytes = classic ? PAGE_SIZE : 65536,	/* fault-around came in 3.15 */
		.oom_dump_tasks = 1,
		.compact_unevictable_allowed = 1,
		.extfrag_threshold = 500,
		.compaction_proactiveness = 20,
	};
	m->vm_softdirty = (!classic && desc->arch == MMSIM_ARCH_X86_64) ? VM_SOFTDIRTY : 0;
	m->random_state = desc->seed * 0xd1b54a32d192ed03ULL + 0x8bb84b93962eacc9ULL;
	INIT_LIST_HEAD(&m->pgd_list);
	if (desc->nr_cpus < 1 || desc->nr_cpus > p->nr_cpus_config || desc->nr_cpus > 1024)
		fail("%u CPUs: this kernel supports 1 to %u", desc->nr_cpus,
		     p->nr_cpus_config < 1024 ? p->nr_cpus_config : 1024);
	m->nr_cpus = desc->nr_cpus;
	if (swap_state_init(m))
		fail("out of host memory");
	if (desc->phys_bits && desc->arch != MMSIM_ARCH_X86_64)
		fail("phys-bits: an i386 machine has QEMU's qemu32 CPU, whose address width is fixed");
	if (desc->phys_bits)
		m->phys_bits = desc->phys_bits;
	else if (!desc->e820_given)
		m->phys_bits = mmsim_qemu_phys_bits(desc->arch, desc->mem_bytes);
	else {	/* a map of the user's: qemu64's width, or 48 bits if its entries reach past it */
		uint64_t end = 0;
		for (unsigned int i = 0; i < desc->e820.nr_entries; i++)
			if (desc->e820.entries[i].addr + desc->e820.entries[i].size > end)
				end = desc->e820.entries[i].addr + desc->e820.entries[i].size;
		m->phys_bits = desc->arch != MMSIM_ARCH_X86_64 ? 32 : end > (1ULL << 40) ? 48 : 40;
	}
	m->page_offset = p->page_offset;
	m->watermark_scale_factor = p->watermark_scale_factor;
	m->watermark_boost_factor = p->watermark_boost_factor;
	memcpy(m->lowmem_reserve_ratio, p->lowmem_reserve_ratio, sizeof(m->lowmem_reserve_ratio));
	m->pageblock_order = p->pageblock_order;
	m->pageblock_nr_pages = 1UL << p->pageblock_order;
	zones_init(m);
	if (memblock_init(m))
		fail("out of host memory");

	/* ---- the e820 map ---- */
	if (desc->e820_given)
		m->e820_firmware = desc->e820;	/* a map of its own: where its firmware tables lie is not known */
	else if (mmsim_e820_qemu(&m->e820_firmware, desc->arch, desc->mem_bytes, m->phys_bits, err,
				 errlen))
		goto out_fail;
	else
		qemu_firmware_layout(&m->boot.firmware, desc->mem_bytes, desc->nr_cpus);
	if (e820_sanitize(&m->e820_firmware, err, errlen))
		goto out_fail;
	if (!m->is_32bit)
		printk(m, KERN_INFO "Command line: %s\n", m->cmdline);
	printk(m, KERN_INFO "BIOS-provided physical RAM map:\n");
	e820_print_table(m, &m->e820_firmware, "BIOS-e820");
	m->e820 = m->e820_firmware;
	/* Page 0 belongs to the BIOS; 640K-1M is the legacy ROM area. */
	if (parse_early_param(m, err, errlen))
		goto out_fail;
	e820_range_update(m, &m->e820, 0, PAGE_SIZE, E820_TYPE_RAM, E820_TYPE_RESERVED);
	e820_range_remove(m, &m->e820, 0xa0000, 0x100000 - 0xa0000, E820_TYPE_RAM);

	m->max_arch_pfn = m->is_32bit ? 1UL << (32 - PAGE_SHIFT) : 1UL << (46 - PAGE_SHIFT);
	m->max_pfn = e820_end_pfn(&m->e820, m->max_arch_pfn);
	uint64_t usable = 0;
	for (unsigned int i = 0; i < m->e820.nr_entries; i++)
		if (m->e820.entries[i].type == E820_TYPE_RAM) {
			/* RAM beyond what the architecture addresses is ignored, as the kernel does. */
			uint64_t s = m->e820.entries[i].addr, e = s + m->e820.entries[i].size;
			uint64_t top = PFN_PHYS((uint64_t)m->max_arch_pfn);
			if (s < top)
				usable += (e < top ? e : top) - s;
		}
	if (usable > MMSIM_MAX_MEM_BYTES || PFN_PHYS(m->max_pfn) > MMSIM_MAX_PHYS_END)
		fail("the memory map has %" PRIu64 " MiB of usable RAM ending at %#" PRIx64 ": mmsim "
		     "builds machines of at most %llu MiB, with RAM ending by %#llx", usable >> 20,
		     (uint64_t)PFN_PHYS(m->max_pfn), MMSIM_MAX_MEM_BYTES >> 20, MMSIM_MAX_PHYS_END);
	printk(m, KERN_INFO "last_pfn = 0x%lx max_arch_pfn = 0x%lx\n", m->max_pfn, m->max_arch_pfn);
	if (m->max_pfn < (SZ_16M >> PAGE_SHIFT))
		fail("RAM too small: usable RAM ends at %#" PRIx64 ", below the 16 MiB the kernel "
		     "is loaded at", (uint64_t)PFN_PHYS(m->max_pfn));
	if (m->is_32bit) {
		x86_32_virtual_layout(m);
		find_low_pfn_range(m);
		/* mem_init()'s BUG_ON(VMALLOC_START >= VMALLOC_END), met at once here. */
		if (p->page_offset + PFN_PHYS(m->max_low_pfn) + p->vmalloc_offset >= m->vmalloc_end)
			fail("vmalloc=%" PRIu64 "M leaves the direct map of %lu MiB of lowmem no room "
			     "below VMALLOC_END: the real kernel does not boot (kernel BUG at "
			     "arch/x86/mm/init_32.c, VMALLOC_START >= VMALLOC_END)",
			     (m->vmalloc_reserve - p->vmalloc_offset) >> 20, m->max_low_pfn >> 8);
	} else if (m->max_pfn > MAX_DMA32_PFN) {
		m->max_low_pfn = e820_end_pfn(&m->e820, MAX_DMA32_PFN);
		printk(m, KERN_INFO "last_pfn = 0x%lx max_arch_pfn = 0x%lx\n", m->max_low_pfn, m->max_arch_pfn);
	} else {
		m->max_low_pfn = m->max_pfn;
	}

	/* ---- host memory: RAM contents and struct pages ---- */
	m->ram_bytes = (size_t)PFN_PHYS(m->max_pfn);
	m->ram = host_reserve(m->ram_bytes);
	if (!m->ram) {
		fail("cannot reserve %zu MiB of host address space for RAM", m->ram_bytes >> 20);
	}
	/* SPARSEMEM has struct pages to the end of the last present section. */
	unsigned long section_pfns = 1UL << (p->section_size_bits - PAGE_SHIFT);
	m->mem_map_pfns = ALIGN_UP(m->max_pfn, p->sparsemem_vmemmap ? section_pfns
								      : MAX_ORDER_NR_PAGES);
	m->mem_map_bytes = m->mem_map_pfns * sizeof(struct page);
	m->mem_map = host_reserve(m->mem_map_bytes);
	if (!m->mem_map) {
		fail("cannot reserve host memory for mem_map");
	}
	m->pageblock_mt = calloc((m->mem_map_pfns >> m->pageblock_order) + 1, 1);
	m->section_present = calloc(m->mem_map_pfns / section_pfns + 1, 1);
	/* One more state than blocks: a range's end pfn may be looked up too. */
	m->memmap_state = calloc((m->mem_map_pfns >> MEMMAP_BLOCK_SHIFT) + 1, 1);
	if (!m->pageblock_mt || !m->section_present || !m->memmap_state)
		fail("out of host memory");
	m->memmap_eager = desc->memmap_eager;

	/* ---- memblock: RAM, then what early boot keeps ---- */
	for (unsigned int i = 0; i < m->e820.nr_entries; i++) {
		const struct e820_entry *e = &m->e820.entries[i];
		if (e->type != E820_TYPE_RAM)
			continue;
		/* Without PAE a physical address is 32 bits: RAM above 4 GiB is ignored. */
		if (m->is_32bit && e->addr + e->size > 4 * GiB)
			continue;
		if (memblock_add(m, e->addr, e->size))
			fail("out of host memory");
	}
	memblock_trim_memory(m, PAGE_SIZE);
	for (unsigned long sec = 0; sec * section_pfns < m->mem_map_pfns; sec++)
		m->section_present[sec] =
			!p->sparsemem_vmemmap ||
			memblock_present_pages(m, sec * section_pfns, (sec + 1) * section_pfns);
	/* The first 1 MiB: BIOS data, EBDA and the real-mode trampoline. */
	memblock_reserve(m, 0, SZ_1M);
	if (reserve_kernel_image(m, err, errlen))
		goto out_fail;
	m->memblock.current_limit = PFN_PHYS(m->is_32bit ? m->max_low_pfn : m->max_pfn);
	if (reserve_initrd(m, err, errlen))
		goto out_fail;
	/* init_mem_mapping(): the direct map, in tables memblock provides. */
	if (!m->is_32bit)
		m->high_memory = __va(m, PFN_PHYS(m->max_pfn));
	else
		m->high_memory = __va(m, PFN_PHYS(m->max_low_pfn));
	if (init_kernel_page_tables(m) || kmap_init(m))
		fail("not enough memory at boot for the kernel page tables");
	if (m->is_32bit) {
		printk(m, KERN_NOTICE "%luMB HIGHMEM available.\n", (m->highend_pfn - m->highstart_pfn) >> 8);
		printk(m, KERN_NOTICE "%luMB LOWMEM available.\n", m->max_low_pfn >> 8);
		printk(m, KERN_INFO "  mapped low ram: 0 - %08lx\n", m->max_low_pfn << PAGE_SHIFT);
		printk(m, KERN_INFO "  low ram: 0 - %08lx\n", m->max_low_pfn << PAGE_SHIFT);
	} else {
		m->max_low_pfn = m->max_pfn;	/* init_mem_mapping(): all RAM is mapped */
		printk(m, KERN_INFO "No NUMA configuration found\n");
		printk(m, KERN_INFO "Faking a node at [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]\n", (uint64_t)0,
		       (uint64_t)PFN_PHYS(m->max_pfn) - 1);
		if (p->node_data_bytes) {
			phys_addr_t nd = boot_alloc(m, p->node_data_bytes, SMP_CACHE_BYTES, 0,
						    "NODE_DATA", err, errlen);
			if (!nd)
				goto out_fail;
			printk(m, KERN_INFO "NODE_DATA(0) allocated [mem 0x%08" PRIx64 "-0x%08" PRIx64 "]\n",
			       (uint64_t)nd, (uint64_t)nd + p->node_data_bytes - 1);
		}
	}
	/*
	 * After initmem_init(): the default CMA area, below the end of what
	 * the direct map covers (max_pfn_mapped: lowmem on i386, all RAM on
	 * x86_64), before the memmap and zones take their memory.
	 */
	dma_contiguous_reserve(m, PFN_PHYS(m->is_32bit ? m->max_low_pfn : m->max_pfn));

	/* ---- the simulated kernel's own memmap ---- */
	if (p->sparsemem_vmemmap) {
		/* One 2 MiB block of struct pages per present 128 MiB section. */
		uint64_t map_size = ALIGN_UP((uint64_t)p->struct_page_size <<
					     (p->section_size_bits - PAGE_SHIFT), 2 * MiB);
		if (!boot_alloc(m, map_size * present_sections(m), map_size, SZ_16M, "vmemmap",
				err, errlen))
			goto out_fail;
		m->mem_map_virt = 0xffffea0000000000ULL;
	} else {
		uint64_t size = (uint64_t)m->mem_map_pfns * p->struct_page_size;
		phys_addr_t mm = boot_alloc(m, size, SMP_CACHE_BYTES, 0, "mem_map", err, errlen);
		if (!mm)
			goto out_fail;
		m->mem_map_virt = __va(m, mm);
	}

	/* ---- zones ---- */
	unsigned long max_zone_pfn[__MAX_NR_ZONES] = { 0 };
	max_zone_pfn[ZONE_DMA] = min_t(unsigned long, MAX_DMA_PFN, m->max_low_pfn);
	max_zone_pfn[ZONE_DMA32] = min_t(unsigned long, MAX_DMA32_PFN, m->max_low_pfn);
	max_zone_pfn[ZONE_NORMAL] = m->max_low_pfn;
	max_zone_pfn[ZONE_HIGHMEM] = m->max_pfn;
	if (!m->is_32bit) {
		/*
		 * memblock_find_dma_reserve(): memory below 16 MiB that early boot
		 * already holds is subtracted from ZONE_DMA's first estimate.
		 */
		m->dma_reserve = memblock_present_pages(m, 0, MAX_DMA_PFN) -
				 memblock_free_pages_in(m, 0, MAX_DMA_PFN);
	}
	free_area_init(m, max_zone_pfn);
	for (int i = 0; i < __MAX_NR_ZONES; i++) {
		struct zone *zone = &m->node.node_zones[i];
		zone->per_cpu_pageset = calloc(m->nr_cpus, sizeof(struct per_cpu_pages));
		if (!zone->per_cpu_pageset)
			fail("out of host memory");
	}
	setup_zone_pagesets(m);
	if (compaction_state_init(m))
		fail("out of host memory");

	/* ---- percpu first chunk: one unit per possible CPU ---- */
	uint64_t pcpu_size = (uint64_t)p->percpu_static + p->percpu_reserved + p->percpu_dynamic;
	uint64_t pcpu_used = ALIGN_UP(pcpu_size, (uint64_t)PAGE_SIZE);
	uint64_t alloc_size = ALIGN_UP(pcpu_size > 32 * KiB ? pcpu_size : 32 * KiB, p->percpu_atom);
	unsigned int upa = percpu_units_per_alloc(alloc_size, pcpu_size, m->nr_cpus);
	uint64_t unit = alloc_size / upa;
	unsigned int nr_units = DIV_ROUND_UP(m->nr_cpus, upa) * upa;
	printk(m, KERN_INFO "setup_percpu: NR_CPUS:%u nr_cpumask_bits:%u nr_cpu_ids:%u nr_node_ids:1\n",
	       p->nr_cpus_config, m->nr_cpus, m->nr_cpus);
	phys_addr_t pcpu = boot_alloc(m, unit * nr_units, p->percpu_atom, SZ_16M, "percpu",
				      err, errlen);
	if (!pcpu)
		goto out_fail;
	m->boot.percpu_base = pcpu;
	m->boot.percpu_unit = unit;
	/* pcpu_embed_first_chunk(): each CPU's unit keeps what it uses; a unit no CPU has goes whole. */
	for (unsigned int u = 0; u < nr_units; u++) {
		uint64_t keep = u < m->nr_cpus ? pcpu_used : 0;
		if (unit > keep)
			memblock_phys_free(m, pcpu + u * unit + keep, unit - keep);
	}
	/* The allocator's first chunk: its pages populated in every unit (unused ones too). */
	if (pcpu_setup_first_chunk(m, p->percpu_static, p->percpu_reserved, p->percpu_dynamic,
				   unit, nr_units))
		fail("out of host memory");
	printk(m, KERN_INFO "percpu: Embedded %" PRIu64 " pages/cpu s%u r%u d%u u%" PRIu64 "\n",
	       pcpu_used >> PAGE_SHIFT, p->percpu_static, p->percpu_reserved,
	       p->percpu_dynamic, unit);

	/* ---- zonelists ---- */
	build_all_zonelists(m);
	build_gfp_zone_table(m);
	if (!m->is_32bit)
		printk(m, KERN_INFO "Fallback order for Node 0: 0 \n");
	/*
	 * nr_free_zone_pages(gfp_zone(GFP_HIGHUSER_MOVABLE)): every zone's
	 * managed estimate from free_area_init(), watermarks still zero.
	 */
	unsigned long vm_total_pages = 0;
	for (const struct zoneref *z = m->node.node_zonelist._zonerefs; z->zone; z++)
		vm_total_pages += z->zone->managed_pages;
	bool grouping = vm_total_pages >= m->pageblock_nr_pages * MIGRATE_TYPES;
	printk(m, KERN_INFO "Built 1 zonelists, mobility grouping %s.  Total pages: %lu\n",
	       grouping ? "on" : "off", vm_total_pages);
	/* check_highest_zone(): the highest zone with managed pages but Movable. */
	if (!m->is_32bit) {
		const char *policy = "DMA";
		for_each_zone_idx(m, zone)
			if (zone->managed_pages && zone->idx != ZONE_MOVABLE)
				policy = zone->name;
		printk(m, KERN_INFO "Policy zone: %s\n", policy);
	}
	parse_args(m);
	/* setup_log_buf(0): with 18 CPUs or more the log buffer outgrows its static one. */
	if (setup_log_buf(m))
		fail("out of memory for the log buffer");

	/* ---- early hash tables ---- */
	if (alloc_boot_hash(m, "Dentry cache", 13, err, errlen) ||
	    alloc_boot_hash(m, "Inode-cache", 14, err, errlen))
		goto out_fail;

	/* ---- swiotlb: bounce buffers below 4 GiB when RAM goes above ---- */
	phys_addr_t swiotlb = 0;
	if (p->swiotlb_bytes && m->max_pfn > MAX_DMA32_PFN) {
		/* swiotlb_adjust_nareas(): one area per possible CPU, a power of two. */
		printk(m, KERN_INFO "software IO TLB: area num %u.\n", swiotlb_nareas(m->nr_cpus));
		swiotlb = memblock_phys_alloc_range(m, p->swiotlb_bytes, PAGE_SIZE, 0, 4 * GiB);
		if (!swiotlb)
			fail("not enough memory below 4 GiB for the swiotlb");
		m->boot.swiotlb_start = swiotlb;	/* kernel/dma/swiotlb.c's io_tlb_default_mem */
		uint64_t nslabs = p->swiotlb_bytes >> 11;
		if (!boot_alloc(m, ALIGN_UP(nslabs * p->swiotlb_slot_bytes, (uint64_t)PAGE_SIZE),
				PAGE_SIZE, 0, "swiotlb slots", err, errlen))
			goto out_fail;
	}

	/* ---- mem_init: everything not reserved goes to the buddy allocator ---- */
	for (int i = 0; i < __MAX_NR_ZONES; i++)
		m->node.node_zones[i].managed_pages = 0;
	if (m->is_32bit) {
		for_each_zone_idx(m, zone)
			if (zone->is_highmem)
				printk(m, KERN_INFO "Initializing %s for node 0 (%08lx:%08lx)\n", zone->name,
				       zone->zone_start_pfn, zone_end_pfn(zone));
		free_memblock_range(m, m->max_low_pfn, m->max_pfn);
		free_memblock_range(m, 0, m->max_low_pfn);
	} else if (p->deferred_struct_page_init) {
		/*
		 * Deferred struct page init: lower zones are initialised in full,
		 * the highest populated zone only up to its first section past the
		 * first; the rest is freed later by page_alloc_init_late().
		 */
		struct zone *top = m->node.node_zonelist._zonerefs[0].zone;
		unsigned long sec = 1UL << (p->section_size_bits - PAGE_SHIFT);
		unsigned long first_deferred = top ? ALIGN_UP(top->zone_start_pfn + sec, sec)
						   : m->max_pfn;
		if (first_deferred > m->max_pfn)
			first_deferred = m->max_pfn;
		m->boot.first_deferred_pfn = first_deferred;
		free_memblock_range(m, 0, first_deferred);
	} else {
		free_memblock_range(m, 0, m->max_pfn);
	}
	m->totalram_pages = totalram(m);
	m->totalhigh_pages = 0;
	for_each_zone_idx(m, zone)
		if (zone->is_highmem)
			m->totalhigh_pages += zone->managed_pages;
	/*
	 * "available" is nr_free_pages(); "reserved" is what is not in
	 * totalram_pages, which already counts the deferred pages that
	 * memblock handed over but page_alloc_init_late() will free later.
	 */
	unsigned long physpages = m->node.node_present_pages;
	unsigned long available = global_zone_page_state(m, NR_FREE_PAGES);
	unsigned long deferred = m->boot.first_deferred_pfn ?
		memblock_free_pages_in(m, m->boot.first_deferred_pfn, m->max_pfn) : 0;
	/* The CMA areas are reserved in memblock too, but counted apart as cma-reserved. */
	unsigned long reserved = physpages - m->totalram_pages - deferred - totalcma_pages(m);
	const struct kernel_image_kb *im = &p->image;
	if (p->log_style == BOOT_LOG_CLASSIC) {
		printk(m, KERN_INFO "Memory: %luk/%luk available (%uk kernel code, %luk reserved, %uk data, "
		       "%uk init, %luk highmem)\n", available << 2, physpages << 2,
		       im->text, reserved << 2, im->rwdata, im->init, m->totalhigh_pages << 2);
	} else {
		printk(m, KERN_INFO "Memory: %luK/%luK available (%uK kernel code, %uK rwdata, %uK rodata, "
		       "%uK init, %uK bss, %luK reserved, %luK cma-reserved", available << 2,
		       physpages << 2, im->text, im->rwdata, im->rodata, im->init, im->bss,
		       reserved << 2, totalcma_pages(m) << 2);
		if (m->is_32bit)
			pr_cont(m, ", %luK highmem", m->totalhigh_pages << 2);
		pr_cont(m, ")\n");
	}
	m->boot_done = true;
	if (mmu_init(m))
		fail("out of host memory");
	if (swiotlb)
		printk(m, KERN_INFO "software IO TLB: mapped [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] (%" PRIu64 "MB)\n",
		       (uint64_t)swiotlb, (uint64_t)swiotlb + p->swiotlb_bytes,
		       p->swiotlb_bytes >> 20);
	if (p->log_style == BOOT_LOG_CLASSIC && m->is_32bit)
		show_virtual_layout(m, NULL, true);
	/* mm_init(): the slab allocator, then vmalloc, right after the buddy allocator. */
	if (sched_init(m) || lru_batches_init(m))
		fail("out of host memory");
	m->vm_committed_pcpu = calloc(m->nr_cpus, sizeof(*m->vm_committed_pcpu));
	if (!m->vm_committed_pcpu)
		fail("out of host memory");
	if (kmem_cache_init(m))
		fail("out of memory creating the slab caches");
	if (vmalloc_init(m))
		fail("out of host memory");
	/*
	 * The caches processes come from, in start_kernel()'s order:
	 * mm_cache_init(), pid_idr_init(), anon_vma_init(), cred_init(),
	 * fork_init(), proc_caches_init(), vfs_caches_init().
	 */
	if (mm_cache_init(m) || pid_idr_init(m) || anon_vma_init(m) || cred_init(m) || fork_init(m) ||
	    proc_caches_init(m) || vfs_caches_init(m))
		fail("out of memory creating the process caches");
	if (fs_init(m) || vdso_init(m))
		fail("out of host memory");
	/* empty_zero_page: a page of the image's .bss, zero forever. */
	m->zero_pfn = (unsigned long)PFN_DOWN(m->boot.bss_start) + 1;
	memset(m->ram + PFN_PHYS(m->zero_pfn), 0, PAGE_SIZE);
	/* init_IRQ(): the boot CPU's IRQ stack; idt_setup_apic_and_irq_gates() leaves the IDT read-only. */
	if (irq_init_percpu_irqstack(m, 0))
		fail("out of memory mapping the IRQ stack");
	if (m->boot.idt_table && set_memory_ro(m, kernel_image_va(m, m->boot.idt_table), 1))
		fail("out of memory splitting the kernel's mappings");
	/* acpi_early_init(), then x86_late_time_init(): the HPET; then the boot CPU's MCE pool. */
	acpi_early_init(m);
	hpet_enable(m);
	if (mce_gen_pool_init(m))
		fail("out of memory making the machine-check pool");
	if (im->smp_locks && free_kernel_image_pages(m, m->boot.gap_start[2], m->boot.gap_end[2],
					KERN_INFO "Freeing SMP alternatives memory: %luK\n"))
		fail("out of memory splitting the kernel's mappings");
	if (m->boot.first_deferred_pfn) {
		/*
		 * page_alloc_init_late(): deferred_init_memmap() frees the rest
		 * (mmsim's struct pages stay unwritten until used: mm/mm_init.c).
		 * Boot takes no simulated time, so neither does this.
		 */
		free_memblock_range(m, m->boot.first_deferred_pfn, m->max_pfn);
		m->totalram_pages = totalram(m);
		if (m->boot.first_deferred_pfn < m->max_pfn)
			printk(m, KERN_INFO "node 0 deferred pages initialised in %ums\n", 0u);
	}

	/* ---- initcalls ---- */
	/* core_initcall cma_init_reserved_areas(): the CMA pageblocks join the buddy allocator. */
	cma_init_reserved_areas(m);
	/* smp_init(): each other CPU comes up with its IRQ stack. */
	for (unsigned int cpu = 1; cpu < m->nr_cpus; cpu++)
		if (irq_init_percpu_irqstack(m, cpu))
			fail("out of memory mapping the IRQ stacks");
	/* core_initcall sock_init(), later in link order (net/ after mm/): the PTP classifier. */
	if (ptp_classifier_init(m))
		fail("out of memory loading the PTP classifier's BPF program");
	/* postcore_initcall dma_atomic_pool_init() (kernel/dma before mm/ in link order). */
	if (dma_atomic_pool_init(m))
		fail("out of memory filling the DMA atomic pools");
	/* postcore_initcall (5.9+): after CMA, so the watermarks count its pages. */
	init_per_zone_wmark_min(m);
	/* hugepage_init(): THP stays off on machines under 512 MiB. */
	if (thp_init(m))
		fail("out of host memory");
	if (thp_enabled(m))
		set_recommended_min_free_kbytes(m);
	init_vm_reserves(m);		/* subsys_initcall: user and admin reserves */
	/* subsys_initcalls in link order: acpi_init() (drivers/acpi), dmi_init() (drivers/firmware). */
	acpi_init(m);
	dmi_init(m);
	/*
	 * The boot's own alloc_percpu()s, made across the initcalls; on amd64
	 * they outgrow the first chunk's dynamic space, and the balance work
	 * creates the second chunk here, where its areas sit in vmallocinfo.
	 */
	if (pcpu_boot_allocations(m, p->percpu_boot_dynamic))
		fail("out of memory for the boot's per-CPU data");
	/* swap_setup() and kswapd_init() (module_init): no swap yet, kswapd0 asleep. */
	swap_setup(m);
	if (kswapd_init(m))
		fail("out of host memory");
	/* kcompactd_init() (subsys_initcall): kcompactd0 asleep. */
	kcompactd_init(m);
	if (m->boot.initrd_end &&
	    free_init_pages(m, __va(m, m->boot.initrd_start), m->boot.initrd_start,
			    m->boot.initrd_end, KERN_INFO "Freeing initrd memory: %luK\n"))
		fail("out of memory splitting the direct map");

	/* late_initcall init_zswap(); then console_on_rootfs() opens /dev/console for init. */
	if (init_zswap(m) || n_tty_open(m))
		fail("out of memory at the end of boot");

	/* ---- the end of boot: init sections and image gaps ---- */
	if ((im->decrypted && free_kernel_image_pages(m, m->boot.decrypted_start, m->boot.decrypted_end,
					KERN_INFO "Freeing unused decrypted memory: %luK\n")) ||
	    free_kernel_image_pages(m, m->boot.init_start, m->boot.init_end,
				KERN_INFO "Freeing unused kernel image (initmem) memory: %luK\n") ||
	    mark_rodata_ro(m))
		fail("out of memory splitting the kernel's mappings");
	m->totalram_pages = totalram(m);
	m->system_running = true;
	run_init_process(m);
	return m;

out_fail:
	mmsim_destroy(m);
	return NULL;
}

void mmsim_destroy(struct machine *m)
{
	if (!m)
		return;
	/* Processes first: they give back memory, files and objects the rest must still hold. */
	exit_all_tasks(m);
	fs_release(m);
	vdso_release(m);
	if (m->cpu_backend)
		m->cpu_backend->release(m);
	thp_release(m);
	dma_release(m);
	swap_release(m);
	kswapd_release(m);
	compaction_release(m);
	lru_batches_release(m);
	free(m->vm_committed_pcpu);
	kmem_cache_release(m);
	pcpu_release(m);
	vmalloc_release(m);
	sched_release(m);
	kmap_release(m);
	mmu_release(m);
	host_release(m->ram, m->ram_bytes);
	host_release(m->mem_map, m->mem_map_bytes);
	for (int i = 0; i < __MAX_NR_ZONES; i++) {
		free(m->node.node_zones[i].per_cpu_pageset);
		memmap_free_runs_destroy(&m->node.node_zones[i]);
	}
	free(m->memmap_state);
	free(m->pageblock_mt);
	free(m->section_present);
	memblock_release(m);
	cma_state_release(m);
	free(m->log.buf);
	free(m->cmdline);
	free(m);
}
