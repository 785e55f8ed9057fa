/* e820.c — the BIOS physical memory map: QEMU's map, user maps, and the
 * kernel's trims (arch/x86/kernel/e820.c).
 *
 * The map describes physical address ranges and their type. The kernel
 * prints it as received ("BIOS-e820: [mem ...] usable"), then makes page 0
 * reserved and removes the legacy 640K-1M BIOS area from RAM before handing
 * the RAM ranges to memblock. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/kernel/e820.h"
#include "machine.h"

#define BIOS_BEGIN	0x000a0000ULL
#define BIOS_END	0x00100000ULL
#define GiB		(1024ULL * 1024 * 1024)

static void e820_add(struct e820_table *table, uint64_t addr, uint64_t size,
		     enum e820_type type)
{
	if (!size || table->nr_entries >= E820_MAX_ENTRIES)
		return;
	table->entries[table->nr_entries++] = (struct e820_entry){ addr, size, type };
}

/*
 * QEMU 7.2's pc machine (pc_memory_init()): RAM below 4 GiB is capped at
 * 3.5 GiB, and if the RAM reaches that cap only 3 GiB stay low
 * ("gigabyte_align") and the rest is placed at 4 GiB. SeaBIOS keeps the
 * EBDA (0x9fc00), the BIOS segment (0xf0000), its ACPI tables in the last
 * 128 KiB of low RAM and the 256 KiB flash below 4 GiB.
 *
 * A 64-bit guest has an AMD CPU model (qemu64), and for AMD CPUs QEMU
 * keeps the HyperTransport range below 1 TiB free: it is reported
 * reserved once the CPU has 40 physical address bits, and when the
 * highest address the machine uses (the end of RAM rounded up to 1 GiB,
 * plus the i440FX's 2 GiB 64-bit PCI window) would reach into it, the RAM
 * above 4 GiB starts at 1 TiB instead. Every used address must then fit
 * the CPU's physical address bits, or QEMU refuses the machine; qemu64 has
 * 40, so more than 1009 GiB of RAM needs phys-bits=48 (or -cpu host).
 * i386 guests have qemu32, an Intel model: none of this applies.
 */
#define AMD_HT_START		0xfd00000000ULL
#define AMD_HT_SIZE		0x300000000ULL
#define AMD_ABOVE_1TB_START	(1ULL << 40)
#define PCI_HOLE64_SIZE		(2 * GiB)	/* i440FX's default pci-hole64-size */
#define QEMU64_PHYS_BITS	40
#define SMBIOS_DIMM_SIZE	(16 * GiB)	/* QEMU's MAX_DIMM_SZ: one type 17 table each */

/* pc_max_used_gpa(): the top of the 64-bit PCI window, which sits above RAM. */
static uint64_t max_used_gpa(unsigned int phys_bits, uint64_t above_4g_start, uint64_t above)
{
	if (phys_bits <= 32)
		return (1ULL << phys_bits) - 1;
	uint64_t hole64_start = ALIGN_UP(above_4g_start + above, GiB);
	return hole64_start + PCI_HOLE64_SIZE - 1;
}

unsigned int mmsim_qemu_phys_bits(enum mmsim_arch arch, uint64_t mem_bytes)
{
	if (arch != MMSIM_ARCH_X86_64)
		return 32;
	uint64_t above = mem_bytes >= 0xe0000000ULL ? mem_bytes - 0xc0000000ULL : 0;
	if (max_used_gpa(QEMU64_PHYS_BITS, 4 * GiB, above) >= AMD_HT_START)
		return 48;	/* what a QEMU user passes: -cpu qemu64,phys-bits=48 */
	return QEMU64_PHYS_BITS;
}

/* QEMU's pc machine keeps this much RAM below 4 GiB; the rest goes above. */
static uint64_t qemu_below_4g(uint64_t mem_bytes)
{
	return mem_bytes >= 0xe0000000ULL ? 0xc0000000ULL : mem_bytes;
}

/*
 * The SMBIOS structure table SeaBIOS builds from QEMU 7.2's pc-i440fx
 * tables, in bytes: each structure is its formatted part and its strings,
 * each NUL-terminated, and one NUL more. Type 0 (BIOS: SeaBIOS's vendor,
 * version and date), 1 (system), 3 (chassis), one type 4 (QEMU puts the
 * CPUs in one socket), 16 (the memory array), one type 17 per 16 GiB DIMM
 * ("DIMM N", "QEMU"), one type 19 per RAM range (below and above 4 GiB),
 * 32 (boot) and 127 (end). Checked against the real boots: it fits the
 * F-segment's 600 bytes up to 64 GiB (with 1 to 32 CPUs), and above that it
 * puts SeaBIOS's ACPI tables exactly where the 80 GiB and 1 TiB boots have
 * them.
 */
static unsigned int smbios_tables_len(uint64_t mem_bytes)
{
	unsigned int dimms = (unsigned int)((mem_bytes + SMBIOS_DIMM_SIZE - 1) / SMBIOS_DIMM_SIZE);
	unsigned int ranges = mem_bytes > qemu_below_4g(mem_bytes) ? 2 : 1;
	unsigned int len = (24 + 8 + 23 + 11 + 1)	/* type 0 */
			 + (27 + 5 + 34 + 14 + 1)	/* type 1 */
			 + (22 + 5 + 14 + 1)		/* type 3 */
			 + (42 + 6 + 5 + 14 + 1)	/* type 4 */
			 + (23 + 2) + (11 + 2) + (4 + 2);	/* types 16, 32, 127 */
	for (unsigned int i = 0; i < dimms; i++)
		len += 40 + (i < 10 ? 7 : i < 100 ? 8 : 9) + 5 + 1;
	return len + ranges * (31 + 2);
}

#define SMBIOS_FSEG_MAX		600		/* SeaBIOS's BUILD_MAX_SMBIOS_FSEG */
#define SMBIOS_FSEG_TABLE	0xf5000		/* its page in the F-segment, after the other tables */
#define ACPI_TABLES_BLOB	0x20000		/* QEMU pads etc/acpi/tables to ACPI_BUILD_TABLE_SIZE */

void qemu_firmware_layout(struct qemu_firmware *fw, uint64_t mem_bytes, unsigned int nr_cpus)
{
	uint64_t top = qemu_below_4g(mem_bytes);
	unsigned int smbios = smbios_tables_len(mem_bytes);

	/*
	 * SeaBIOS allocates its high memory top down: the SMBIOS table first when
	 * the F-segment cannot take it (16 bytes aligned), then QEMU's ACPI blob
	 * (64 bytes aligned); the e820 reserved block starts at the page of the
	 * lowest one.
	 */
	fw->smbios_len = smbios;
	if (smbios <= SMBIOS_FSEG_MAX) {
		fw->smbios = SMBIOS_FSEG_TABLE;
	} else {
		fw->smbios = ALIGN_DOWN(top - smbios, 16);
		top = fw->smbios;
	}
	phys_addr_t blob = ALIGN_DOWN(top - ACPI_TABLES_BLOB, 64);
	fw->bios_high = qemu_below_4g(mem_bytes) - ALIGN_DOWN(blob, (phys_addr_t)PAGE_SIZE);
	/*
	 * The blob's tables, back to back: FACS, DSDT, FACP, APIC (MADT), HPET,
	 * WAET, RSDT. The DSDT's AML grows with the CPUs it describes (measured
	 * with 1 to 8, 16 and 32 CPUs: 83 bytes for the second, 86 for each
	 * more, and one byte of length encoding from the fifth); the MADT has a
	 * local APIC entry of 8 bytes per CPU.
	 */
	unsigned int dsdt = 6476;
	if (nr_cpus >= 2)
		dsdt += 83 + 86 * (nr_cpus - 2) + (nr_cpus >= 5);
	static const char *const sig[QEMU_ACPI_TABLES] = { "FACS", "DSDT", "FACP", "APIC", "HPET",
							    "WAET", "RSDT" };
	const unsigned int len[QEMU_ACPI_TABLES] = { 64, dsdt, 116, 120 + 8 * (nr_cpus - 1), 56, 40, 52 };
	phys_addr_t at = blob;
	for (int i = 0; i < QEMU_ACPI_TABLES; i++) {
		fw->acpi[i] = (struct qemu_acpi_table){ sig[i], at, len[i] };
		at += len[i];
	}
}

uint64_t qemu_bios_high(uint64_t mem_bytes)
{
	struct qemu_firmware fw;

	qemu_firmware_layout(&fw, mem_bytes, 1);
	return fw.bios_high;
}

int mmsim_e820_qemu(struct e820_table *table, enum mmsim_arch arch, uint64_t mem_bytes,
		    unsigned int phys_bits, char *err, size_t errlen)
{
	uint64_t below = mem_bytes, above = 0, above_4g_start = 4 * GiB;

	if (!phys_bits)
		phys_bits = mmsim_qemu_phys_bits(arch, mem_bytes);
	if (phys_bits < 32 || phys_bits > 52) {
		snprintf(err, errlen, "phys-bits %u: QEMU's CPUs have 32 to 52 physical address bits",
			 phys_bits);
		return -MMSIM_EINVAL;
	}
	if (mem_bytes >= 0xe0000000ULL) {
		below = qemu_below_4g(mem_bytes);
		above = mem_bytes - below;
	}
	bool amd = arch == MMSIM_ARCH_X86_64;
	if (amd && max_used_gpa(phys_bits, above_4g_start, above) >= AMD_HT_START)
		above_4g_start = AMD_ABOVE_1TB_START;
	uint64_t max_used = max_used_gpa(phys_bits, above_4g_start, above);
	if (amd && max_used > (1ULL << phys_bits) - 1) {
		/* QEMU's own words, then what it means here. */
		snprintf(err, errlen, "Address space limit 0x%" PRIx64 " < 0x%" PRIx64
			 " phys-bits too low (%u): QEMU's pc machine refuses %" PRIu64 " MiB of RAM "
			 "on a CPU with %u physical address bits%s", (uint64_t)(1ULL << phys_bits) - 1,
			 max_used, phys_bits, mem_bytes >> 20, phys_bits,
			 above_4g_start == AMD_ABOVE_1TB_START
				 ? " (RAM above 4 GiB moves past the HyperTransport hole to 1 TiB; "
				   "--phys-bits 48 reaches it)" : "");
		return -MMSIM_EINVAL;
	}
	/*
	 * SeaBIOS keeps what it allocated at the top of low RAM reserved:
	 * QEMU's 128 KiB ACPI blob, and one page more once QEMU's SMBIOS tables
	 * no longer fit the F-segment and go there too. That happens past
	 * 64 GiB, where QEMU describes a fifth 16 GiB DIMM (type 17); up to
	 * 1 TiB the tables stay under a page (captured: 64G, 64G + 1M ... 1T).
	 */
	uint64_t bios_high = qemu_bios_high(mem_bytes);
	memset(table, 0, sizeof(*table));
	e820_add(table, 0, 0x9fc00, E820_TYPE_RAM);
	e820_add(table, 0x9fc00, 0x400, E820_TYPE_RESERVED);
	e820_add(table, 0xf0000, 0x10000, E820_TYPE_RESERVED);
	if (below > 0x100000 + bios_high)
		e820_add(table, 0x100000, below - bios_high - 0x100000, E820_TYPE_RAM);
	e820_add(table, below - bios_high, bios_high, E820_TYPE_RESERVED);
	e820_add(table, 0xfffc0000ULL, 0x40000, E820_TYPE_RESERVED);
	if (above)
		e820_add(table, above_4g_start, above, E820_TYPE_RAM);
	if (amd && phys_bits >= 40)
		e820_add(table, AMD_HT_START, AMD_HT_SIZE, E820_TYPE_RESERVED);
	return e820_sanitize(table, err, errlen);
}

const char *e820_type_name(enum e820_type type, char *buf, size_t len)
{
	switch (type) {
	case E820_TYPE_RAM:		return "usable";
	case E820_TYPE_RESERVED:	return "reserved";
	case E820_TYPE_SOFT_RESERVED:	return "soft reserved";
	case E820_TYPE_ACPI:		return "ACPI data";
	case E820_TYPE_NVS:		return "ACPI NVS";
	case E820_TYPE_UNUSABLE:	return "unusable";
	case E820_TYPE_PMEM:
	case E820_TYPE_PRAM:
		snprintf(buf, len, "persistent (type %u)", (unsigned)type);
		return buf;
	}
	snprintf(buf, len, "type %u", (unsigned)type);
	return buf;
}

void e820_print_table(struct machine *m, const struct e820_table *table, const char *who)
{
	char buf[32];

	for (unsigned int i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];
		printk(m, KERN_INFO "%s: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] %s\n", who,
		       e->addr, e->addr + e->size - 1, e820_type_name(e->type, buf, sizeof(buf)));
	}
}

static int cmp_entry(const void *a, const void *b)
{
	const struct e820_entry *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int e820_sanitize(struct e820_table *table, char *err, size_t errlen)
{
	qsort(table->entries, table->nr_entries, sizeof(table->entries[0]), cmp_entry);
	for (unsigned int i = 1; i < table->nr_entries; i++) {
		const struct e820_entry *p = &table->entries[i - 1], *e = &table->entries[i];
		if (e->addr < p->addr + p->size) {
			snprintf(err, errlen,
				 "e820 entries overlap: [mem 0x%016" PRIx64 "-0x%016" PRIx64
				 "] and [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]",
				 p->addr, p->addr + p->size - 1, e->addr, e->addr + e->size - 1);
			return -MMSIM_EINVAL;
		}
	}
	/* Merge adjacent entries of one type, as the kernel's sanitizer does. */
	unsigned int out = 0;
	for (unsigned int i = 0; i < table->nr_entries; i++) {
		struct e820_entry *e = &table->entries[i];
		if (out && table->entries[out - 1].type == e->type &&
		    table->entries[out - 1].addr + table->entries[out - 1].size == e->addr) {
			table->entries[out - 1].size += e->size;
			continue;
		}
		table->entries[out++] = *e;
	}
	table->nr_entries = out;
	return 0;
}

void e820_range_add(struct e820_table *table, uint64_t start, uint64_t size, enum e820_type type)
{
	e820_add(table, start, size, type);
}

/*
 * e820__update_table(): overlapping entries resolved — where ranges
 * overlap, the larger type value wins (reserved over usable, as the
 * kernel's sanitizer decides) — then sorted and adjacent entries of one
 * type merged. Entries of size 0 vanish.
 */
void e820_update_table(struct e820_table *table)
{
	uint64_t points[2 * E820_MAX_ENTRIES];
	unsigned int np = 0;
	struct e820_table out = { 0 };

	for (unsigned int i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];
		if (!e->size || e->addr + e->size < e->addr)
			continue;
		points[np++] = e->addr;
		points[np++] = e->addr + e->size;
	}
	qsort(points, np, sizeof(points[0]), cmp_u64);
	for (unsigned int k = 0; k + 1 < np; k++) {
		uint64_t lo = points[k], hi = points[k + 1];
		enum e820_type best = 0;
		if (lo == hi)
			continue;
		for (unsigned int i = 0; i < table->nr_entries; i++) {
			const struct e820_entry *e = &table->entries[i];
			if (e->size && e->addr <= lo && hi <= e->addr + e->size && e->type > best)
				best = e->type;
		}
		if (!best)
			continue;
		if (out.nr_entries && out.entries[out.nr_entries - 1].type == best &&
		    out.entries[out.nr_entries - 1].addr + out.entries[out.nr_entries - 1].size == lo)
			out.entries[out.nr_entries - 1].size += hi - lo;
		else
			e820_add(&out, lo, hi - lo, best);
	}
	*table = out;
}

/* Rebuild the table with [start, end) of old_type given new_type (0: removed). */
static void e820_retype(struct e820_table *table, uint64_t start, uint64_t size,
			enum e820_type old_type, enum e820_type new_type)
{
	struct e820_table out = { 0 };
	uint64_t end = start + size;

	for (unsigned int i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];
		uint64_t e_end = e->addr + e->size;
		if (e->type != old_type || e_end <= start || e->addr >= end) {
			e820_add(&out, e->addr, e->size, e->type);
			continue;
		}
		uint64_t lo = e->addr > start ? e->addr : start;
		uint64_t hi = e_end < end ? e_end : end;
		if (e->addr < lo)
			e820_add(&out, e->addr, lo - e->addr, e->type);
		if (new_type)
			e820_add(&out, lo, hi - lo, new_type);
		if (hi < e_end)
			e820_add(&out, hi, e_end - hi, e->type);
	}
	char ignored[8];
	*table = out;
	e820_sanitize(table, ignored, sizeof(ignored));
}

void e820_range_update(struct machine *m, struct e820_table *table, uint64_t start,
			uint64_t size, enum e820_type old_type, enum e820_type new_type)
{
	char a[32], b[32];

	printk(m, KERN_DEBUG "e820: update [mem 0x%08" PRIx64 "-0x%08" PRIx64 "] %s ==> %s\n", start,
	       start + size - 1, e820_type_name(old_type, a, sizeof(a)),
	       e820_type_name(new_type, b, sizeof(b)));
	e820_retype(table, start, size, old_type, new_type);
}

void e820_range_remove(struct machine *m, struct e820_table *table, uint64_t start,
		       uint64_t size, enum e820_type old_type)
{
	char a[32];

	printk(m, KERN_DEBUG "e820: remove [mem 0x%08" PRIx64 "-0x%08" PRIx64 "] %s\n", start,
	       start + size - 1, e820_type_name(old_type, a, sizeof(a)));
	e820_retype(table, start, size, old_type, 0);
}

unsigned long e820_end_pfn(const struct e820_table *table, unsigned long limit_pfn)
{
	unsigned long last_pfn = 0;

	for (unsigned int i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];
		if (e->type != E820_TYPE_RAM)
			continue;
		unsigned long start_pfn = (unsigned long)(e->addr >> PAGE_SHIFT);
		unsigned long end_pfn = (unsigned long)((e->addr + e->size) >> PAGE_SHIFT);
		if (start_pfn >= limit_pfn)
			continue;
		if (end_pfn > limit_pfn) {
			last_pfn = limit_pfn;
			break;
		}
		if (end_pfn > last_pfn)
			last_pfn = end_pfn;
	}
	return last_pfn;
}

/* ---- parsing a user's map ------------------------------------------------ */

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int parse_hex(const char **sp, uint64_t *val)
{
	const char *s = *sp;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	*val = v;
	*sp = end;
	return 0;
}

static int parse_type(const char *s, enum e820_type *type)
{
	static const struct { const char *name; enum e820_type type; } names[] = {
		{ "usable", E820_TYPE_RAM }, { "reserved", E820_TYPE_RESERVED },
		{ "ACPI data", E820_TYPE_ACPI }, { "ACPI NVS", E820_TYPE_NVS },
		{ "unusable", E820_TYPE_UNUSABLE }, { "soft reserved", E820_TYPE_SOFT_RESERVED },
		{ "persistent (type 7)", E820_TYPE_PMEM }, { "persistent (type 12)", E820_TYPE_PRAM },
	};
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && strncmp(s, names[i].name, n) == 0) {
			*type = names[i].type;
			return 0;
		}
	return -1;
}

int mmsim_e820_parse(const char *text, struct e820_table *table, char *err, size_t errlen)
{
	unsigned int lineno = 0;
	unsigned int entry_line[E820_MAX_ENTRIES];	/* where each entry came from */

	memset(table, 0, sizeof(*table));
	while (*text) {
		const char *eol = strchr(text, '\n');
		size_t len = eol ? (size_t)(eol - text) : strlen(text);
		char line[512];

		lineno++;
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "%u: line too long", lineno);
			return -MMSIM_EINVAL;
		}
		memcpy(line, text, len);
		line[len] = '\0';
		text += len + (eol ? 1 : 0);

		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		const char *s = skip_space(line);
		if (!*s)
			continue;
		/* Accept dmesg lines: "[    0.000000] BIOS-e820: [mem a-b] type". */
		if (*s == '[' && strchr(s, ']') && !strncmp(s, "[ ", 2))
			s = skip_space(strchr(s, ']') + 1);
		if (!strncmp(s, "BIOS-e820:", 10))
			s = skip_space(s + 10);
		bool bracket = !strncmp(s, "[mem ", 5);
		if (bracket)
			s += 5;
		uint64_t start, last;
		if (parse_hex(&s, &start) || *s != '-') {
			snprintf(err, errlen, "%u: expected START-END, e.g. 0x100000-0x7ffdffff", lineno);
			return -MMSIM_EINVAL;
		}
		s++;
		if (parse_hex(&s, &last)) {
			snprintf(err, errlen, "%u: malformed end address", lineno);
			return -MMSIM_EINVAL;
		}
		if (bracket) {
			if (*s != ']') {
				snprintf(err, errlen, "%u: missing ']'", lineno);
				return -MMSIM_EINVAL;
			}
			s++;
		}
		if (last < start) {
			snprintf(err, errlen, "%u: end %#" PRIx64 " is below start %#" PRIx64,
				 lineno, last, start);
			return -MMSIM_EINVAL;
		}
		if (last == UINT64_MAX) {
			snprintf(err, errlen, "%u: range reaches the end of the address space", lineno);
			return -MMSIM_EINVAL;
		}
		enum e820_type type;
		s = skip_space(s);
		if (parse_type(s, &type)) {
			snprintf(err, errlen, "%u: unknown e820 type '%s' (usable, reserved, "
				 "ACPI data, ACPI NVS, unusable)", lineno, s);
			return -MMSIM_EINVAL;
		}
		if (table->nr_entries >= E820_MAX_ENTRIES) {
			snprintf(err, errlen, "%u: more than %d entries", lineno, E820_MAX_ENTRIES);
			return -MMSIM_EINVAL;
		}
		/* Name both lines of an overlap here: the sanitizer below no longer knows them. */
		for (unsigned int i = 0; i < table->nr_entries; i++) {
			const struct e820_entry *o = &table->entries[i];
			if (start <= o->addr + o->size - 1 && o->addr <= last) {
				snprintf(err, errlen, "%u: e820 entries overlap: [mem 0x%016" PRIx64 "-0x%016"
					 PRIx64 "] and line %u's [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]",
					 lineno, start, last, entry_line[i], o->addr, o->addr + o->size - 1);
				return -MMSIM_EINVAL;
			}
		}
		entry_line[table->nr_entries] = lineno;
		e820_add(table, start, last - start + 1, type);
	}
	if (!table->nr_entries) {
		snprintf(err, errlen, "%u: the map has no entries", lineno);
		return -MMSIM_EINVAL;
	}
	return e820_sanitize(table, err, errlen);
}
