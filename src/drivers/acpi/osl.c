/* osl.c — what the ACPI interpreter keeps mapped (drivers/acpi/osl.c).
 *
 * Once acpi_early_init() sets acpi_permanent_mmap, acpi_os_map_iomem()
 * maps firmware memory with ioremap() and keeps it: a later request that
 * lies inside a range already mapped reuses that mapping (acpi_map_lookup()
 * compares with the whole pages mapped). Two users leave mappings for good:
 *
 * - acpi_reallocate_root_table() verifies every table the early boot
 *   installed without checking, in the root table list's order (the FADT,
 *   the DSDT and FACS it names, then the RSDT's other entries), and leaves
 *   each mapped: with QEMU's tables, the FADT's page and the DSDT's pages,
 *   the others falling inside them unless a table crosses into a page not
 *   yet mapped (16 CPUs' MADT pushes the HPET table over).
 * - acpi_init() (subsys_initcall) evaluates the namespace: QEMU's DSDT reads
 *   the HPET's ID register through an OperationRegion in its _STA method,
 *   which maps the HPET's page. */
#include <string.h>

#include "drivers/acpi/acpi.h"
#include "mm/vmalloc.h"

#define QEMU_HPET_REGION	0xfed00000ULL	/* the DSDT's OperationRegion, SystemMemory */
#define QEMU_HPET_REGION_LEN	0x400

/* acpi_map_lookup(): the mapping whose whole pages hold [phys, phys + size). */
static bool acpi_map_lookup(const struct machine *m, phys_addr_t phys, unsigned long size)
{
	for (unsigned int i = 0; i < m->acpi_nr_maps; i++)
		if (m->acpi_maps[i].phys <= phys &&
		    phys + size <= m->acpi_maps[i].phys + m->acpi_maps[i].size)
			return true;
	return false;
}

/*
 * acpi_os_map_iomem() of firmware memory: reused when mapped, else
 * ioremapped and kept. A mapping that cannot be made leaves its table
 * unverified (uninstalled) or its region unread; boot goes on.
 */
static void acpi_os_map_iomem(struct machine *m, phys_addr_t phys, unsigned long size)
{
	const char *caller = m->profile->boot_vmalloc.acpi_map;

	if (!caller || acpi_map_lookup(m, phys, size) || m->acpi_nr_maps == ARRAY_SIZE(m->acpi_maps))
		return;
	phys_addr_t pg_off = ALIGN_DOWN(phys, (phys_addr_t)PAGE_SIZE);
	phys_addr_t pg_end = ALIGN_UP(phys + size, (phys_addr_t)PAGE_SIZE);
	if (mmsim_ioremap_caller(m, pg_off, (unsigned long)(pg_end - pg_off), caller))
		m->acpi_maps[m->acpi_nr_maps++] = (struct acpi_ioremap){ pg_off, pg_end - pg_off };
}

static const struct qemu_acpi_table *find_table(const struct qemu_firmware *fw, const char *sig)
{
	for (int i = 0; i < QEMU_ACPI_TABLES; i++)
		if (!strcmp(fw->acpi[i].signature, sig))
			return &fw->acpi[i];
	return NULL;
}

void acpi_early_init(struct machine *m)
{
	/* The root table list: the RSDT's FADT, the two tables it names, the RSDT's others. */
	static const char *const list[] = { "FACP", "DSDT", "FACS", "APIC", "HPET", "WAET" };
	const struct qemu_firmware *fw = &m->boot.firmware;

	if (!fw->acpi[0].addr)
		return;	/* a BIOS map of the user's: where its tables are is not known */
	for (size_t i = 0; i < ARRAY_SIZE(list); i++) {
		const struct qemu_acpi_table *t = find_table(fw, list[i]);
		if (t)
			acpi_os_map_iomem(m, t->addr, t->len);
	}
}

void acpi_init(struct machine *m)
{
	if (m->boot.firmware.acpi[0].addr)
		acpi_os_map_iomem(m, QEMU_HPET_REGION, QEMU_HPET_REGION_LEN);
}
