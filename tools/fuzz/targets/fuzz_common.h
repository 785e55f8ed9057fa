/*
 * fuzz_common.h — what the libFuzzer targets share: a small machine booted
 * from one control byte (arch, profile, RAM size), and a sink for the
 * simulated machine's output. Small RAM keeps one input at milliseconds.
 */
#ifndef MMSIM_FUZZ_COMMON_H
#define MMSIM_FUZZ_COMMON_H

#include <mmsim/mmsim.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * bit 0: arch, bit 1: profile, bits 2-3: the RAM — 32/64/128/256 MiB on
 * i386, 96/128/192/256 MiB on x86_64 (whose kernel image, ~53 MiB at
 * 16 MiB, does not fit in 64).
 */
static inline struct machine *fuzz_boot(uint8_t control)
{
	static const uint64_t mem_mib[2][4] = { { 32, 64, 128, 256 }, { 96, 128, 192, 256 } };
	struct machine_desc desc;
	char err[256];

	mmsim_desc_init(&desc);
	desc.arch = (control & 1) ? MMSIM_ARCH_X86_64 : MMSIM_ARCH_I386;
	desc.profile = (control & 2) ? "classic" : "linux-6.1";
	desc.mem_bytes = mem_mib[control & 1][(control >> 2) & 3] << 20;
	desc.nr_cpus = 1;
	return mmsim_boot(&desc, err, sizeof(err));
}

/* A NUL-terminated copy of the input (the parsers take C strings); NULL if it holds a NUL. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *text;

	if (memchr(data, '\0', size))
		return NULL;
	text = malloc(size + 1);
	if (!text)
		return NULL;
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

#endif /* MMSIM_FUZZ_COMMON_H */
