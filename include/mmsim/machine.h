/* machine.h — describe, boot and inspect a simulated machine.
 *
 * A machine is everything one simulated computer holds: its physical memory
 * map, RAM (real host memory, reserved lazily), mem_map, zones and
 * allocators, and its kernel log. There are no globals: a process may boot
 * any number of machines and use them side by side. The library's own
 * entry points carry the mmsim_ prefix; the kernel's mm API inside keeps
 * the kernel's names and takes the machine as its first argument. */
#ifndef MMSIM_MACHINE_H
#define MMSIM_MACHINE_H

#include <stdio.h>
#include <mmsim/types.h>

MMSIM_BEGIN_DECLS

enum mmsim_arch {
	MMSIM_ARCH_I386,	/* 32-bit x86, 3G/1G split, non-PAE HIGHMEM4G */
	MMSIM_ARCH_X86_64,	/* 64-bit x86, 4-level paging */
};

/* Physical memory map types, numbered as in the e820 BIOS interface. */
enum e820_type {
	E820_TYPE_RAM = 1,
	E820_TYPE_RESERVED = 2,
	E820_TYPE_ACPI = 3,
	E820_TYPE_NVS = 4,
	E820_TYPE_UNUSABLE = 5,
	E820_TYPE_PMEM = 7,
	E820_TYPE_PRAM = 12,
	E820_TYPE_SOFT_RESERVED = 0xefffffff,
};

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	enum e820_type type;
};

#define E820_MAX_ENTRIES 128

struct e820_table {
	unsigned int nr_entries;
	struct e820_entry entries[E820_MAX_ENTRIES];
};

/*
 * Kernel configuration choices a machine may make differently from its
 * profile's build (--config NAME=y|n). Debian's 6.1 kernels have none of
 * these; each is one bit of machine_desc.config_set / config_value.
 */
enum mmsim_config {
	MMSIM_CONFIG_CMA,	/* CONFIG_CMA: the contiguous memory allocator (selects DMA_CMA) */
	MMSIM_CONFIG_DMA_CMA,	/* CONFIG_DMA_CMA: cma= and the DMA API's default area */
	MMSIM_NR_CONFIG
};

/*
 * The largest machine mmsim builds: at most this much usable RAM, ending
 * no higher than QEMU's map of it puts it (RAM above 4 GiB starts at
 * 4 GiB, or at 1 TiB past the HyperTransport hole, so it ends at most
 * 1 TiB past the size). Host address space grows with the highest RAM
 * address (RAM contents and struct pages are reserved up to it, and
 * touched only where used), so an e820 map or memmap= beyond that is
 * refused, as --mem is.
 */
#define MMSIM_MAX_MEM_BYTES	(1ULL << 40)
#define MMSIM_MAX_PHYS_END	(MMSIM_MAX_MEM_BYTES + (1ULL << 40))

/* What to build. mmsim_desc_init() fills the documented defaults. */
struct machine_desc {
	enum mmsim_arch arch;		/* default i386 */
	uint64_t mem_bytes;		/* default 2048 MiB; used for the qemu map */
	/*
	 * The CPU's physical address bits (CPUID 0x80000008), which decide
	 * where QEMU puts RAM on very large machines; 0 (default):
	 * mmsim_qemu_phys_bits(). x86_64 only.
	 */
	unsigned int phys_bits;
	/*
	 * Write every struct page at boot, as the kernel does once its
	 * deferred init has run, instead of when first used (default false:
	 * lazily). What the machine prints and does is the same either way;
	 * the eager path costs host memory and time in proportion to RAM.
	 */
	bool memmap_eager;
	bool e820_given;		/* true: use e820 below instead of qemu's */
	struct e820_table e820;
	unsigned int nr_cpus;		/* default 2 */
	const char *profile;		/* "linux-6.1" (default) or "classic" */
	uint64_t seed;			/* default 1 */
	uint64_t initrd_bytes;		/* an initramfs held until boot ends; default 0 */
	uint64_t kernel_phys;		/* where the kernel image is loaded; 0: profile's */
	/*
	 * The kernel command line (mem=, vmalloc=, norandmaps, nokaslr ...),
	 * parsed at boot as the kernel parses it; NULL or "" for none. Shown
	 * by dmesg's "Kernel command line:" and /proc/cmdline.
	 */
	const char *cmdline;
	/*
	 * What runs the programs' own code (mmsim_run): "kvm" (the host's
	 * CPU), "unicorn" (an emulated CPU, any host), or NULL / "auto":
	 * KVM where the host has it usable, Unicorn otherwise.
	 */
	const char *cpu_backend;
	/*
	 * Configuration choices (enum mmsim_config bits): config_set says
	 * which were made, config_value which of those are y. The rest are
	 * the profile's own (mmsim_desc_config() fills both).
	 */
	uint32_t config_set, config_value;
};

struct machine;

MMSIM_API void mmsim_desc_init(struct machine_desc *desc);

/*
 * Record one configuration choice, "NAME=y" or "NAME=n" (NAME without
 * CONFIG_, e.g. CMA). Returns 0, or -EINVAL with a message naming the
 * bad word in err.
 */
MMSIM_API int mmsim_desc_config(struct machine_desc *desc, const char *assignment, char *err,
				size_t errlen);
/* The known configuration options, one a call: NULL past the last. *help may be NULL. */
MMSIM_API const char *mmsim_config_name(unsigned int i, const char **help);

/*
 * Build the e820 map QEMU's "pc" machine (i440FX, SeaBIOS) reports for
 * @mem_bytes of RAM: 640K base memory, RAM from 1 MiB up to 3.5 GiB (or
 * 3 GiB when RAM is 3.5 GiB or more) and the rest above 4 GiB; on x86_64
 * (the AMD qemu64 CPU) the HyperTransport range below 1 TiB reserved, and
 * the RAM above 4 GiB moved to 1 TiB when it would reach that range.
 * @phys_bits is the CPU's physical address width (0: mmsim_qemu_phys_bits()).
 * Returns 0, or -EINVAL with QEMU's reason in err when QEMU refuses the
 * machine (its addresses do not fit the CPU's physical address bits).
 */
MMSIM_API int mmsim_e820_qemu(struct e820_table *table, enum mmsim_arch arch, uint64_t mem_bytes,
			      unsigned int phys_bits, char *err, size_t errlen);
/*
 * The default physical address width: qemu64's 40 bits on x86_64, unless
 * the RAM does not fit below the HyperTransport hole with them, where it is
 * 48 (QEMU needs -cpu qemu64,phys-bits=48 to build that machine); qemu32's
 * 32 on i386.
 */
MMSIM_API unsigned int mmsim_qemu_phys_bits(enum mmsim_arch arch, uint64_t mem_bytes);

/*
 * Parse an e820 map from text: one entry per line, either
 *   0x0000000000100000-0x000000007ffdffff usable
 * or the kernel's own "BIOS-e820: [mem 0x...-0x...] usable" lines.
 * '#' starts a comment. On error returns -EINVAL with "LINE: message" in err.
 */
MMSIM_API int mmsim_e820_parse(const char *text, struct e820_table *table, char *err, size_t errlen);

/*
 * Boot a machine. On failure returns NULL and writes one line saying why
 * into err (e.g. RAM smaller than the kernel image, overlapping e820 entries).
 */
MMSIM_API struct machine *mmsim_boot(const struct machine_desc *desc, char *err, size_t errlen);
MMSIM_API void mmsim_destroy(struct machine *m);

/* The kernel log, as `dmesg` prints it (from the last clear on). */
MMSIM_API void mmsim_dmesg(struct machine *m, FILE *out);
/* The same with each line's "<PRI>" (facility * 8 + level) in front, as `dmesg -r`. */
MMSIM_API void mmsim_dmesg_raw(struct machine *m, FILE *out);
/* `dmesg -C`: later reads start after what the log holds now (nothing is deleted). */
MMSIM_API void mmsim_dmesg_clear(struct machine *m);
/* A line written to /dev/kmsg: facility user, level 4, or the "<PRI>" it starts with. */
MMSIM_API void mmsim_kmsg_write(struct machine *m, const char *text);

/*
 * Print a /proc (or /proc/sys) file. Returns 0, or -ENOENT for a path the
 * simulator does not provide.
 */
MMSIM_API int mmsim_proc_read(struct machine *m, const char *path, FILE *out);

/*
 * Write a /proc file as `echo VALUE > PATH` does: the vm sysctls
 * (min_free_kbytes, watermark_scale_factor, lowmem_reserve_ratio). Returns
 * 0, -ENOENT, -EACCES for a file that cannot be written, or -EINVAL for a
 * bad value (the kernel's sysctl limits apply).
 */
MMSIM_API int mmsim_proc_write(struct machine *m, const char *path, const char *value);

/*
 * The /proc files this machine has, in order:
 *   for (size_t i = 0; (path = mmsim_proc_path(m, &i, &writable));) ...
 * @writable (may be NULL) says whether mmsim_proc_write() takes it.
 */
MMSIM_API const char *mmsim_proc_path(const struct machine *m, size_t *pos, bool *writable);

/*
 * Run every validator over the machine. Prints one line per problem found
 * and returns how many there were (0: consistent).
 */
MMSIM_API unsigned long mmsim_verify(struct machine *m, FILE *out);

/* Advance the machine's clock (used for dmesg timestamps). */
MMSIM_API void mmsim_advance_clock(struct machine *m, uint64_t ns);

MMSIM_END_DECLS

#endif /* MMSIM_MACHINE_H */
