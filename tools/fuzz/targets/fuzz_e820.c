/*
 * fuzz_e820.c — libFuzzer target: an --e820 file, parsed by
 * mmsim_e820_parse() and, when it parses, booted (what `mmsim --e820 FILE`
 * does) on either arch, chosen by the first byte. A map with more than
 * 4 GiB of RAM is parsed but not booted, to keep one input fast.
 */
#include "fuzz_common.h"

#define FUZZ_E820_MAX 4096
#define FUZZ_E820_BOOT_MAX (4ULL << 30)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct machine_desc desc;
	char err[256];
	char *text;

	if (size < 1 || size > FUZZ_E820_MAX)
		return 0;
	text = fuzz_text(data + 1, size - 1);
	if (!text)
		return 0;
	mmsim_desc_init(&desc);
	desc.arch = (data[0] & 1) ? MMSIM_ARCH_X86_64 : MMSIM_ARCH_I386;
	desc.nr_cpus = 1;
	if (mmsim_e820_parse(text, &desc.e820, err, sizeof(err)) == 0) {
		uint64_t ram = 0;
		for (unsigned int i = 0; i < desc.e820.nr_entries; i++)
			if (desc.e820.entries[i].type == E820_TYPE_RAM)
				ram += desc.e820.entries[i].size;
		desc.e820_given = true;
		if (ram <= FUZZ_E820_BOOT_MAX) {
			struct machine *m = mmsim_boot(&desc, err, sizeof(err));
			if (m)
				mmsim_destroy(m);
		}
	}
	free(text);
	return 0;
}
