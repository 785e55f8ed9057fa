/* dmi_scan.c — the SMBIOS (DMI) table after boot (drivers/firmware/dmi_scan.c).
 *
 * dmi_init() maps the firmware's SMBIOS structure table for good, so that
 * /sys/firmware/dmi/tables/DMI can be read: memremap(MEMREMAP_WB), which
 * for memory that is not System RAM is an ioremap_cache() area. Where the
 * table lies and how long it is are the firmware's (qemu_firmware_layout()). */
#include "drivers/acpi/acpi.h"
#include "mm/vmalloc.h"

void dmi_init(struct machine *m)
{
	const char *caller = m->profile->boot_vmalloc.memremap;
	const struct qemu_firmware *fw = &m->boot.firmware;

	/* A table that cannot be mapped leaves /sys/firmware/dmi without it; boot goes on. */
	if (caller && fw->smbios)
		memremap_wb(m, fw->smbios, fw->smbios_len, caller);
}
