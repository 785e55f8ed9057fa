/* e820.h (internal) — the physical memory map as the kernel keeps and trims it. */
#ifndef MMSIM_ARCH_X86_KERNEL_E820_H
#define MMSIM_ARCH_X86_KERNEL_E820_H

#include <mmsim/machine.h>

struct machine;

/* Sort by address; returns -EINVAL with a message if entries overlap. */
int e820_sanitize(struct e820_table *table, char *err, size_t errlen);
/* e820__range_add(): append an entry (overlaps are resolved by e820_update_table). */
void e820_range_add(struct e820_table *table, uint64_t start, uint64_t size, enum e820_type type);
/* e820__update_table(): resolve overlaps (the larger type wins), sort, merge. */
void e820_update_table(struct e820_table *table);
/* Change the type of [start, start+size) where it is currently old_type. */
void e820_range_update(struct machine *m, struct e820_table *table, uint64_t start, uint64_t size,
		       enum e820_type old_type, enum e820_type new_type);
void e820_range_remove(struct machine *m, struct e820_table *table, uint64_t start, uint64_t size,
		       enum e820_type old_type);
/* Last RAM pfn below limit_pfn (e820__end_of_ram_pfn). */
unsigned long e820_end_pfn(const struct e820_table *table, unsigned long limit_pfn);
const char *e820_type_name(enum e820_type type, char *buf, size_t len);
void e820_print_table(struct machine *m, const struct e820_table *table, const char *who);

/*
 * The firmware tables QEMU's pc machine and SeaBIOS leave in memory: the
 * ACPI tables (in the order they sit, FACS first) and the SMBIOS structure
 * table, and the size of SeaBIOS's reserved block at the top of low RAM.
 */
#define QEMU_ACPI_TABLES	7
struct qemu_acpi_table {
	const char *signature;
	phys_addr_t addr;
	unsigned int len;
};
struct qemu_firmware {
	struct qemu_acpi_table acpi[QEMU_ACPI_TABLES];
	phys_addr_t smbios;
	unsigned int smbios_len;
	uint64_t bios_high;
};
void qemu_firmware_layout(struct qemu_firmware *fw, uint64_t mem_bytes, unsigned int nr_cpus);
uint64_t qemu_bios_high(uint64_t mem_bytes);

#endif /* MMSIM_ARCH_X86_KERNEL_E820_H */
