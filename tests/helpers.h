/* helpers.h — booting machines and capturing their output in tests. */
#ifndef MMSIM_TEST_HELPERS_H
#define MMSIM_TEST_HELPERS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/machine.h>

#include "mm.h"

#define MiB (1024ULL * 1024)

static inline struct machine *boot_profile(const char *profile, enum mmsim_arch arch,
					   uint64_t mem_mib, unsigned int cpus)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.profile = profile;
	d.arch = arch;
	d.mem_bytes = mem_mib * MiB;
	d.nr_cpus = cpus;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	if (!m)
		fprintf(stderr, "boot failed: %s\n", err);
	return m;
}

/* The defaults, with @arch, @mem_mib MiB of RAM and the kernel command line @cmdline (or NULL). */
static inline struct machine_desc test_desc(enum mmsim_arch arch, uint64_t mem_mib, const char *cmdline)
{
	struct machine_desc d;

	mmsim_desc_init(&d);
	d.arch = arch;
	d.mem_bytes = mem_mib * MiB;
	d.cmdline = cmdline;
	return d;
}

/* Boot @d; on failure say why and return NULL. */
static inline struct machine *boot_desc(const struct machine_desc *d)
{
	char err[256];
	struct machine *m = mmsim_boot(d, err, sizeof(err));

	if (!m)
		fprintf(stderr, "boot failed: %s\n", err);
	return m;
}

static inline struct machine *boot(enum mmsim_arch arch, uint64_t mem_mib, unsigned int cpus)
{
	return boot_profile("linux-6.1", arch, mem_mib, cpus);
}

/* The seeded generator the property tests share (xorshift64). */
static inline uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* The text a renderer prints, in a malloc'd string. */
#define CAPTURE(buf, call) do { \
	size_t _len; \
	FILE *_f = open_memstream(&(buf), &_len); \
	call; \
	fclose(_f); \
} while (0)

/* mmsim_verify() finds nothing wrong; what it found is printed if it does. */
static inline bool verify_passes(struct machine *m)
{
	char *buf = NULL;
	unsigned long bad;
	CAPTURE(buf, bad = mmsim_verify(m, _f));
	if (bad)
		fprintf(stderr, "verify:\n%s", buf);
	free(buf);
	return bad == 0;
}

static inline char *proc(struct machine *m, const char *path)
{
	char *buf = NULL;
	CAPTURE(buf, mmsim_proc_read(m, path, _f));
	return buf;
}

/*
 * Does the zone hold more than twice its high watermark (boost included)
 * free, beyond the largest lowmem_reserve it keeps? The property tests'
 * rule: then an order-0 request that may use the zone must not fail.
 */
static inline bool zone_well_above_high(struct zone *z)
{
	long reserve = 0;

	for (int j = 0; j < __MAX_NR_ZONES; j++)
		if (z->lowmem_reserve[j] > reserve)
			reserve = z->lowmem_reserve[j];
	return zone_page_state(z, NR_FREE_PAGES) > 2 * high_wmark_pages(z) + (unsigned long)reserve;
}

/*
 * The zone has a free block of at least @order on a list any request of
 * the three ordinary migratetypes may take from (its own, or by fallback).
 */
static inline bool zone_has_free_block(struct zone *z, unsigned int order)
{
	for (unsigned int o = order; o < MAX_ORDER; o++)
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&z->free_area[o].free_list[mt]))
				return true;
	return false;
}

/*
 * The number after KEY in a /proc file: "KEY value" (vmstat), "KEY:
 * value kB" (meminfo) or an indented "KEY value" (zoneinfo); the first
 * line that has it, or -1.
 */
static inline long long proc_field(struct machine *m, const char *path, const char *key)
{
	char *text = proc(m, path);
	long long v = -1;
	size_t klen = strlen(key);

	for (char *line = text; line && *line;) {
		while (*line == ' ')
			line++;
		if (!strncmp(line, key, klen) && (line[klen] == ' ' || line[klen] == ':')) {
			v = strtoll(line + klen + 1, NULL, 10);
			break;
		}
		char *nl = strchr(line, '\n');
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return v;
}

static inline char *dmesg(struct machine *m)
{
	char *buf = NULL;
	CAPTURE(buf, mmsim_dmesg(m, _f));
	return buf;
}

/* Run the validators; print what they find and return the count. */
static inline unsigned long verify(struct machine *m)
{
	return mmsim_verify(m, stderr);
}

#endif /* MMSIM_TEST_HELPERS_H */
