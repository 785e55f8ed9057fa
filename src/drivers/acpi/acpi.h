/* acpi.h (internal) — what the boot's firmware drivers leave mapped: ACPI and DMI. */
#ifndef MMSIM_DRIVERS_ACPI_ACPI_H
#define MMSIM_DRIVERS_ACPI_ACPI_H
#include "machine.h"

/* acpi_early_init(): the tables verified, and left mapped. */
void acpi_early_init(struct machine *m);

/* acpi_init() (subsys_initcall): the namespace evaluated, the memory its AML reads mapped. */
void acpi_init(struct machine *m);

/* dmi_init() (subsys_initcall): the SMBIOS table memremap()ed for /sys/firmware/dmi. */
void dmi_init(struct machine *m);
#endif /* MMSIM_DRIVERS_ACPI_ACPI_H */
