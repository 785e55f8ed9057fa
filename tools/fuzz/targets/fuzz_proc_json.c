/*
 * fuzz_proc_json.c — libFuzzer target: --json's reader (src/cli/proc_json.c)
 * given any text as any /proc file. The first byte picks the file (one of
 * every format), the rest is the text, NULs and all (auxv is binary). The
 * reader must return a document that serialises, or NULL with a message
 * naming the line — never crash, read past the text or leak.
 */
#include <jansson.h>

#include "cli/proc_json.h"
#include "fuzz_common.h"

static const char *const paths[] = {
	"/proc/meminfo", "/proc/zoneinfo", "/proc/buddyinfo", "/proc/pagetypeinfo",
	"/proc/slabinfo", "/proc/vmallocinfo", "/proc/vmstat", "/proc/stat", "/proc/swaps",
	"/proc/uptime", "/proc/cmdline", "/sys/kernel/debug/extfrag/extfrag_index",
	"/proc/2/maps", "/proc/2/smaps", "/proc/2/smaps_rollup", "/proc/2/status",
	"/proc/2/stat", "/proc/2/statm", "/proc/2/limits", "/proc/2/cmdline", "/proc/2/auxv",
	"/proc/sys/vm/lowmem_reserve_ratio", "/sys/kernel/mm/transparent_hugepage/enabled",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[320];

	if (size < 1 || size > 1 << 16)
		return 0;
	const char *path = paths[(data[0] & 0x7f) % (sizeof(paths) / sizeof(paths[0]))];
	err[0] = '\0';
	json_t *doc = proc_json_document(path, (const char *)data + 1, size - 1, data[0] & 0x80 ? 8 : 4,
					 err, sizeof(err));
	if (!doc) {
		if (!err[0])
			abort();	/* a refusal always says why */
		return 0;
	}
	char *text = json_dumps(doc, JSON_COMPACT);
	if (!text)
		abort();	/* every string in it must be valid */
	free(text);
	json_decref(doc);
	return 0;
}
