/* profile.c — the kernels mmsim can be: Linux 6.1 (Debian 12) and 2.6 "classic".
 *
 * Where a number comes from the real kernel's boot log it says so; those are
 * build facts of the kernel (section sizes, percpu sizes), not per-machine
 * results. The i386 fixmap and cpu_entry_area sizes are the ones that put
 * Debian 686's PKMAP_BASE at 0xfec00000 (the kernel prints no layout table
 * since 5.x; the value follows from max_low_pfn 0x36bfe on every machine
 * with more than ~880 MB of RAM: MAXMEM = VMALLOC_END - PAGE_OFFSET -
 * __VMALLOC_RESERVE). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <mmsim/errno.h>

#include "arch/x86/kernel/profile.h"

#define MiB (1024ULL * 1024)

static const struct mm_profile profiles[] = {
	{
		.name = "linux-6.1",
		.arch = MMSIM_ARCH_I386,
		.description = "Debian 12 linux-image-686 (6.1, HIGHMEM4G, VMSPLIT_3G, SLUB)",
		.page_offset = 0xc0000000ULL,
		.vmalloc_reserve = 128 * MiB,
		.vmalloc_offset = 8 * MiB,
		.fixaddr_top = 0xfffff000ULL,
		.fixmap_pages = 1537,		/* 512 kmap_local + 512 btmap + apic/ioapic/... */
		.fixmap_permanent_pages = 1025,
		.cpu_entry_area_pages = 32 * 20,	/* NR_CPUS x sizeof(cpu_entry_area) */
		.maxmem_below_vmalloc_end = true,
		.last_pkmap = 1024,
		/* hole, dbgp, earlycon, ohci1394, local APIC, 64 I/O APICs */
		.fix_kmap_begin = 69,
		.km_type_nr = 0,
		.nr_cpus_config = 32,
		.kernel_load_addr = 16 * MiB,
		/* "Memory: ... (9327K kernel code, 1246K rwdata, 3188K rodata, 912K init, 464K bss";
		 * /proc/iomem: .data ends at 0x1d70bbf, .bss starts at 0x1e72000. */
		.image = { .text = 9327, .rodata = 3188, .rwdata = 1246, .init = 912,
			   .bss = 464, .smp_locks = 32, .data_tail = 84,
			   .idt_table = 0x4000 },	/* kallsyms: idt_table at 0x1e76000 */
		/* No BPF_JIT_DEFAULT_ON on 686: the program is interpreted (docs/notes/directmap.md). */
		.boot_vmalloc = {
			.bpf_prog = "bpf_prog_alloc_no_stats+0x2b/0x1b0",
			.scomp_src = "crypto_scomp_init_tfm+0x65/0xb0",
			.scomp_dst = "crypto_scomp_init_tfm+0x78/0xb0",
			.n_tty = "n_tty_open+0x16/0x90",
			.hpet = "hpet_enable+0xc5/0x3da",
			.acpi_map = "acpi_os_map_iomem+0x211/0x240",
			.memremap = "memremap+0xa9/0x170",
		},
		.struct_page_size = 40,		/* 36 bytes with memcg, aligned to 8 */
		.sparsemem_vmemmap = false,	/* FLATMEM */
		.section_size_bits = 26,
		.node_data_bytes = 0,
		/* "percpu: Embedded 33 pages/cpu s103316 r0 d31852 u135168" */
		.percpu_static = 103316, .percpu_reserved = 0, .percpu_dynamic = 31852,
		.percpu_atom = 4096,
		/*
		 * Read from the real kernel after boot through /proc/kcore (its
		 * pcpu_first_chunk: free_bytes 10312 of 31852, 2 empty pages, the
		 * struct's populated[] at byte 92): docs/notes/percpu.md.
		 */
		.percpu_boot_dynamic = 21540,
		.percpu_chunk_struct = 92,
		.memcg_kmem = true,
		.swiotlb_bytes = 0,
		.deferred_struct_page_init = false,
		.pageblock_order = 10,		/* HUGETLB_PAGE_ORDER with 4 MiB pages */
		.thp = true,
		.wmark_algo = WMARK_ALGO_SCALE_FACTOR,
		.min_free_kbytes_max = 262144,
		.watermark_scale_factor = 10,
		.watermark_boost_factor = 15000,
		.lowmem_reserve_ratio = { [ZONE_DMA] = 256, [ZONE_NORMAL] = 32 },
		.pcp_high_from_low_wmark = true,
		.pcp_high_orders = true,
		.config_known = (1u << MMSIM_CONFIG_CMA) | (1u << MMSIM_CONFIG_DMA_CMA),
		.log_style = BOOT_LOG_LINUX_6_1,
	},
	{
		.name = "linux-6.1",
		.arch = MMSIM_ARCH_X86_64,
		.description = "Debian 12 linux-image-amd64 (6.1, 4-level paging, SLUB)",
		.page_offset = 0xffff888000000000ULL,
		.vmalloc_reserve = 0,
		.vmalloc_offset = 0,
		.fixaddr_top = 0xffffffffff7ff000ULL,
		.last_pkmap = 0,
		.nr_cpus_config = 8192,
		.kernel_load_addr = 16 * MiB,
		/* "(14343K kernel code, 2338K rwdata, 9132K rodata, 2824K init, 17344K bss",
		 * the gaps freed at the end of boot, /proc/iomem's layout (.data ends
		 * at 0x2c4897f, .bss starts at 0x3310000) and kallsyms' (__init_begin
		 * 0x3044000, __smp_locks_end 0x330f000, idt_table 0x3313000,
		 * __start_bss_decrypted_unused 0x4203000, _brk_end 0x4430000):
		 * docs/notes/directmap.md. */
		.image = { .text = 14343, .rodata = 9132, .rwdata = 2338, .init = 2824,
			   .bss = 17344, .smp_locks = 36, .text_rodata_gap = 2040,
			   .rodata_data_gap = 1108, .decrypted = 2036, .data_kept = 4076,
			   .data_tail = 4, .brk = 192, .idt_table = 0x3000 },
		.boot_vmalloc = {
			.bpf_prog = "bpf_prog_alloc_no_stats+0x31/0x1f0",
			.bpf_pack = "bpf_prog_pack_alloc+0x292/0x3b0",
			.scomp_src = "crypto_scomp_init_tfm+0x75/0xe0",
			.scomp_dst = "crypto_scomp_init_tfm+0x93/0xe0",
			.n_tty = "n_tty_open+0x14/0xa0",
			.irq_stack = "irq_init_percpu_irqstack+0xf0/0x120",
			.hpet = "hpet_enable+0xef/0x46d",
			.acpi_map = "acpi_os_map_iomem+0x1b6/0x1d0",
			.memremap = "memremap+0x159/0x210",
			.gen_pool = "gen_pool_add_owner+0x3a/0xc0",
			.pcpu_alloc_map = "pcpu_create_chunk+0x4e/0x1b0",
			.pcpu_bound_map = "pcpu_create_chunk+0x75/0x1b0",
			.pcpu_md_blocks = "pcpu_create_chunk+0x92/0x1b0",
			.pcpu_obj_cgroups = "pcpu_create_chunk+0x167/0x1b0",
			.pcpu_vm_areas = "pcpu_get_vm_areas+0x0/0x1080",
			.pcpu_pages = "pcpu_populate_chunk+0x378/0x3a0",
		},
		.dma_coherent_pool = true,
		.struct_page_size = 64,
		.sparsemem_vmemmap = true,
		.section_size_bits = 27,
		.node_data_bytes = 176128,	/* "NODE_DATA(0) allocated": 43 pages */
		/* "percpu: Embedded 62 pages/cpu s217088 r8192 d28672 u2097152" */
		.percpu_static = 217088, .percpu_reserved = 8192, .percpu_dynamic = 28672,
		.percpu_atom = 2 * MiB,
		/* pcpu_first_chunk after boot: free_bytes 1544 of 28672 (docs/notes/percpu.md). */
		.percpu_boot_dynamic = 27128,
		.percpu_chunk_struct = 136,
		.memcg_kmem = true,
		.swiotlb_bytes = 64 * MiB,
		.swiotlb_slot_bytes = 24,
		.deferred_struct_page_init = true,
		.pageblock_order = 9,
		.thp = true,
		.wmark_algo = WMARK_ALGO_SCALE_FACTOR,
		.min_free_kbytes_max = 262144,
		.watermark_scale_factor = 10,
		.watermark_boost_factor = 15000,
		.lowmem_reserve_ratio = { [ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32 },
		.pcp_high_from_low_wmark = true,
		.pcp_high_orders = true,
		.config_known = (1u << MMSIM_CONFIG_CMA) | (1u << MMSIM_CONFIG_DMA_CMA),
		.log_style = BOOT_LOG_LINUX_6_1,
	},
	{
		.name = "classic",
		.arch = MMSIM_ARCH_I386,
		.description = "a 2.6.32-era 686 kernel: 896 MB lowmem, km_type kmaps, SLAB",
		.page_offset = 0xc0000000ULL,
		.vmalloc_reserve = 128 * MiB,
		.vmalloc_offset = 8 * MiB,
		.fixaddr_top = 0xfffff000ULL,
		.fixmap_pages = 966,		/* 32 CPUs x 20 km_type slots + btmap */
		.fixmap_permanent_pages = 710,
		.cpu_entry_area_pages = 0,
		.maxmem_below_vmalloc_end = false,	/* MAXMEM = -PAGE_OFFSET - RESERVE */
		.last_pkmap = 1024,
		/* hole, vdso, dbgp, earlycon, local APIC, 64 I/O APICs */
		.fix_kmap_begin = 69,
		.km_type_nr = 20,
		.nr_cpus_config = 32,
		.kernel_load_addr = 16 * MiB,
		/* Section sizes typical of a 2.6.32 686 build (its boot line omits bss). */
		.image = { .text = 4569, .rodata = 0, .rwdata = 2073, .init = 572, .bss = 520 },
		.struct_page_size = 32,
		.sparsemem_vmemmap = false,
		.section_size_bits = 26,
		.node_data_bytes = 0,
		.percpu_static = 33560, .percpu_reserved = 0, .percpu_dynamic = 23784,
		.percpu_atom = 4096,
		.swiotlb_bytes = 0,
		.deferred_struct_page_init = false,
		.pageblock_order = 10,
		.thp = false,
		.wmark_algo = WMARK_ALGO_CLASSIC,
		.min_free_kbytes_max = 65536,
		.watermark_scale_factor = 0,
		.watermark_boost_factor = 0,
		.lowmem_reserve_ratio = { [ZONE_DMA] = 256, [ZONE_NORMAL] = 32, [ZONE_HIGHMEM] = 32 },
		.pcp_high_from_low_wmark = false,
		.pcp_high_orders = false,
		.log_style = BOOT_LOG_CLASSIC,
		.oom_badness_2_6 = true,
	},
	{
		.name = "classic",
		.arch = MMSIM_ARCH_X86_64,
		.description = "a 2.6.32-era x86_64 kernel",
		.page_offset = 0xffff880000000000ULL,
		.fixaddr_top = 0xffffffffff5ff000ULL,
		.nr_cpus_config = 64,
		.kernel_load_addr = 16 * MiB,
		.image = { .text = 5338, .rodata = 0, .rwdata = 3161, .init = 1052, .bss = 1152 },
		.struct_page_size = 56,
		.sparsemem_vmemmap = true,
		.section_size_bits = 27,
		.node_data_bytes = 0,
		.percpu_static = 76672, .percpu_reserved = 0, .percpu_dynamic = 23680,
		.percpu_atom = 2 * MiB,
		.swiotlb_bytes = 64 * MiB,
		.swiotlb_slot_bytes = 8,
		.deferred_struct_page_init = false,
		.pageblock_order = 9,
		.thp = false,
		.wmark_algo = WMARK_ALGO_CLASSIC,
		.min_free_kbytes_max = 65536,
		.watermark_scale_factor = 0,
		.watermark_boost_factor = 0,
		.lowmem_reserve_ratio = { [ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32 },
		.pcp_high_from_low_wmark = false,
		.pcp_high_orders = false,
		.log_style = BOOT_LOG_CLASSIC,
		.oom_badness_2_6 = true,
	},
};

const struct mm_profile *mm_profile_find(const char *name, enum mmsim_arch arch)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (profiles[i].arch == arch && strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

const char *mm_profile_names(void)
{
	return "linux-6.1, classic";
}

/* ---- configuration choices (--config NAME=y|n) ----------------------------------- */

/*
 * The options a machine may set differently from its profile's build, as
 * Kconfig declares them: what each selects when it is y, and what it
 * depends on. A new CONFIG_ choice is one row here, one enum mmsim_config
 * value and one flag in struct kernel_config.
 */
static const struct config_option {
	const char *name;		/* without CONFIG_ */
	enum mmsim_config bit;
	uint32_t selects;		/* made y with this one (unless chosen n) */
	uint32_t depends_on;		/* must be y for this one to be */
	size_t flag;			/* offsetof(struct kernel_config, ...) */
	const char *help;
} config_options[] = {
	{ "CMA", MMSIM_CONFIG_CMA, 1u << MMSIM_CONFIG_DMA_CMA, 0,
	  offsetof(struct kernel_config, cma),
	  "the contiguous memory allocator: MIGRATE_CMA pageblocks, cma_alloc (selects DMA_CMA)" },
	{ "DMA_CMA", MMSIM_CONFIG_DMA_CMA, 0, 1u << MMSIM_CONFIG_CMA,
	  offsetof(struct kernel_config, dma_cma),
	  "the DMA API's default CMA area, sized by cma= (depends on CMA)" },
};

const char *mmsim_config_name(unsigned int i, const char **help)
{
	if (i >= ARRAY_SIZE(config_options))
		return NULL;
	if (help)
		*help = config_options[i].help;
	return config_options[i].name;
}

int mmsim_desc_config(struct machine_desc *desc, const char *assignment, char *err, size_t errlen)
{
	const char *eq = strchr(assignment, '=');
	size_t len = eq ? (size_t)(eq - assignment) : strlen(assignment);

	if (len > 7 && !strncmp(assignment, "CONFIG_", 7)) {
		assignment += 7;
		len -= 7;
	}
	for (size_t i = 0; i < ARRAY_SIZE(config_options); i++) {
		const struct config_option *o = &config_options[i];
		if (strlen(o->name) != len || strncmp(o->name, assignment, len))
			continue;
		if (!eq || (strcmp(eq + 1, "y") && strcmp(eq + 1, "n"))) {
			snprintf(err, errlen, "--config: '%s' needs =y or =n, not '%s'", o->name,
				 eq ? eq + 1 : "");
			return -MMSIM_EINVAL;
		}
		desc->config_set |= 1u << o->bit;
		if (eq[1] == 'y')
			desc->config_value |= 1u << o->bit;
		else
			desc->config_value &= ~(1u << o->bit);
		return 0;
	}
	char names[128] = "";
	for (size_t i = 0; i < ARRAY_SIZE(config_options); i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
			 config_options[i].name);
	snprintf(err, errlen, "--config: unknown option '%.*s' (known: %s)", (int)len, assignment,
		 names);
	return -MMSIM_EINVAL;
}

int kernel_config_resolve(const struct mm_profile *profile, const struct machine_desc *desc,
			  struct kernel_config *config, char *err, size_t errlen)
{
	uint32_t y = (profile->config_y & ~desc->config_set) | (desc->config_value & desc->config_set);

	for (size_t i = 0; i < ARRAY_SIZE(config_options); i++)
		if ((desc->config_value & desc->config_set & (1u << config_options[i].bit)) &&
		    !(profile->config_known & (1u << config_options[i].bit))) {
			snprintf(err, errlen, "--config: the %s profile's kernel has no CONFIG_%s",
				 profile->name, config_options[i].name);
			return -MMSIM_EINVAL;
		}

	/* select: a y option makes its selections y, unless the user chose them n. */
	for (size_t i = 0; i < ARRAY_SIZE(config_options); i++)
		if (y & (1u << config_options[i].bit))
			y |= config_options[i].selects & ~desc->config_set;
	memset(config, 0, sizeof(*config));
	for (size_t i = 0; i < ARRAY_SIZE(config_options); i++) {
		const struct config_option *o = &config_options[i];
		if (!(y & (1u << o->bit)))
			continue;
		if ((o->depends_on & y) != o->depends_on) {
			snprintf(err, errlen, "--config: %s=y depends on an option that is n (%s)",
				 o->name, o->help);
			return -MMSIM_EINVAL;
		}
		*(bool *)((char *)config + o->flag) = true;
	}
	return 0;
}
