/* profile.h — the constants that make a simulated kernel a particular kernel.
 *
 * A profile is one kernel build for one architecture: Debian 12's Linux 6.1
 * (686 and amd64 packages) or a 2.6-era "classic" kernel, the layout the
 * source documents describe. Everything the boot code computes (zone
 * boundaries, max_low_pfn, managed pages, watermarks) is derived from these
 * numbers by the kernel's own formulas; nothing is tabulated per RAM size. */
#ifndef MMSIM_ARCH_X86_KERNEL_PROFILE_H
#define MMSIM_ARCH_X86_KERNEL_PROFILE_H

#include <mmsim/machine.h>
#include <mmsim/mmzone.h>

enum wmark_algo {
	WMARK_ALGO_SCALE_FACTOR,	/* 4.6+: distance from watermark_scale_factor */
	WMARK_ALGO_CLASSIC,		/* 2.6: low = min*5/4, high = min*3/2 */
};

enum boot_log_style {
	BOOT_LOG_LINUX_6_1,
	BOOT_LOG_CLASSIC,		/* 2.6.32-era "Memory:" line and layout table */
};

/* Kernel image section sizes in KiB, as the "Memory:" boot line reports them. */
struct kernel_image_kb {
	unsigned int text, rodata, rwdata, init, bss;
	unsigned int smp_locks;			/* "Freeing SMP alternatives memory" */
	unsigned int text_rodata_gap;		/* x86_64: freed by mark_rodata_ro() */
	unsigned int rodata_data_gap;
	/*
	 * x86_64: "unused decrypted memory", the end of .bss..decrypted, which
	 * the linker puts last in .bss: these are the last KB of bss.
	 */
	unsigned int decrypted;
	/*
	 * What stays reserved between the end of .data and __init_begin (x86_64:
	 * the exception, BUG and ORC tables and the vvar and percpu templates),
	 * and between the SMP locks' end and .bss (.data_nosave, alignment).
	 */
	unsigned int data_kept, data_tail;
	unsigned int brk;			/* x86_64: brk used at boot, _brk_end - _brk_start */
	unsigned int idt_table;			/* idt_table's offset in .bss, in bytes */
};

struct mm_profile {
	const char *name;
	enum mmsim_arch arch;
	const char *description;

	/* Virtual layout (arch/x86/include/asm/pgtable_32_areas.h, page_64_types.h). */
	uint64_t page_offset;
	uint64_t vmalloc_reserve;	/* __VMALLOC_RESERVE: 128 MiB unless vmalloc= */
	uint64_t vmalloc_offset;	/* VMALLOC_OFFSET: gap after the direct map */
	uint64_t fixaddr_top;		/* __FIXADDR_TOP */
	unsigned int fixmap_pages;	/* __end_of_fixed_addresses (incl. boot-time slots) */
	unsigned int fixmap_permanent_pages;	/* __end_of_permanent_fixed_addresses */
	unsigned int cpu_entry_area_pages; /* CPU_ENTRY_AREA_PAGES, 0: none (2.6) */
	bool maxmem_below_vmalloc_end;	/* 2.6.2x+: MAXMEM = VMALLOC_END-PAGE_OFFSET-RESERVE */
	unsigned int last_pkmap;	/* LAST_PKMAP: persistent kmap slots */
	unsigned int fix_kmap_begin;	/* FIX_KMAP_BEGIN in enum fixed_addresses */
	unsigned int km_type_nr;	/* 2.6: KM_TYPE_NR slots per CPU; 0: kmap_local stack */
	unsigned int nr_cpus_config;	/* CONFIG_NR_CPUS */

	/* Physical memory and boot-time reservations. */
	uint64_t kernel_load_addr;	/* LOAD_PHYSICAL_ADDR */
	struct kernel_image_kb image;
	/*
	 * The boot's own vmalloc areas, by the callers /proc/vmallocinfo names
	 * them (%pS: symbol+offset/size in this build). NULL: this kernel's
	 * boot makes no such area.
	 */
	struct boot_vmalloc_callers {
		const char *bpf_prog;	/* ptp_classifier_init()'s program: bpf_prog_alloc_no_stats */
		const char *bpf_pack;	/* BPF_JIT_DEFAULT_ON: its code in a 2 MiB pack */
		const char *scomp_src, *scomp_dst;	/* zswap's compressor: scratch buffers per CPU */
		const char *n_tty;	/* the console's line discipline, opened for init */
		const char *irq_stack;	/* x86_64: each CPU's IRQ stack, vmapped with a guard page */
		const char *hpet;	/* hpet_enable(): the HPET's registers */
		const char *acpi_map;	/* acpi_os_map_iomem(): what ACPI keeps mapped */
		const char *memremap;	/* dmi_init(): the SMBIOS table, memremap()ed */
		const char *gen_pool;	/* gen_pool chunks: amd64's MCE and DMA atomic pools */
		/* A second percpu chunk's maps (pcpu_mem_zalloc, inlined) and its units' area. */
		const char *pcpu_alloc_map, *pcpu_bound_map, *pcpu_md_blocks, *pcpu_obj_cgroups;
		const char *pcpu_vm_areas;
		const char *pcpu_pages;	/* pcpu_get_pages()'s array, vmalloc'd with 9 or more CPUs */
	} boot_vmalloc;
	unsigned int struct_page_size;	/* the simulated kernel's sizeof(struct page) */
	bool sparsemem_vmemmap;		/* x86_64: memmap per present 128 MiB section */
	unsigned int section_size_bits;	/* SECTION_SIZE_BITS */
	unsigned int node_data_bytes;	/* NUMA builds allocate pg_data_t; 0 = static */
	unsigned int percpu_static, percpu_reserved, percpu_dynamic;
	uint64_t percpu_atom;		/* allocation unit of the first chunk */
	unsigned int percpu_boot_dynamic; /* bytes of the dynamic space the boot's own allocations hold */
	unsigned int percpu_chunk_struct; /* sizeof(struct pcpu_chunk), before its populated bitmap */
	bool memcg_kmem;		/* CONFIG_MEMCG_KMEM: a cgroup pointer per percpu slot */
	uint64_t swiotlb_bytes;		/* bounce buffer when RAM exceeds 4 GiB */
	unsigned int swiotlb_slot_bytes; /* metadata per 2 KiB IO TLB slab */
	bool deferred_struct_page_init;	/* "Memory:" counts only the first section */
	unsigned int pageblock_order;

	/* Policy. */
	bool thp;			/* khugepaged raises min_free_kbytes */
	enum wmark_algo wmark_algo;
	int min_free_kbytes_max;	/* clamp for the computed value */
	int watermark_scale_factor;
	int watermark_boost_factor;	/* 15000 (5.0+); 0: no boosting (2.6) */
	int lowmem_reserve_ratio[__MAX_NR_ZONES];
	bool pcp_high_from_low_wmark;	/* 5.14+: pcp->high from the low watermark */
	bool pcp_high_orders;		/* 5.13+: pcp lists hold orders 0..3 (+THP) */
	bool dma_coherent_pool;		/* DMA_COHERENT_POOL (amd64, for SEV): the atomic pools */
	enum boot_log_style log_style;
	bool oom_badness_2_6;		/* the OOM killer scores as 2.6's badness() (classic) */
	uint32_t config_y;		/* enum mmsim_config bits the build has =y (Debian: none) */
	uint32_t config_known;		/* the options its Kconfig has at all (2.6 had no CMA) */
};

/*
 * The kernel configuration a machine runs with: the profile's build, with
 * the choices of machine_desc applied (Kconfig's select and depends on
 * included). One flag per enum mmsim_config.
 */
struct kernel_config {
	bool cma;		/* CONFIG_CMA: mm/cma.c, MIGRATE_CMA pageblocks */
	bool dma_cma;		/* CONFIG_DMA_CMA: kernel/dma/contiguous.c, cma= */
};

/*
 * Resolve the configuration @desc asks for on top of @profile's build.
 * Returns 0, or -EINVAL with the reason in err (a choice Kconfig forbids).
 */
int kernel_config_resolve(const struct mm_profile *profile, const struct machine_desc *desc,
			  struct kernel_config *config, char *err, size_t errlen);

/* Find a profile by name and architecture; NULL if there is none. */
const struct mm_profile *mm_profile_find(const char *name, enum mmsim_arch arch);

/* Names of all profiles, for error messages: "linux-6.1, classic". */
const char *mm_profile_names(void);

#endif /* MMSIM_ARCH_X86_KERNEL_PROFILE_H */
