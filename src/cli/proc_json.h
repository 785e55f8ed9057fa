/* proc_json.h — the /proc and /sys views as JSON documents (`--json`).
 *
 * A document is built from the text the kernel's renderer printed, never
 * from the kernel's structures, so the JSON says exactly what the text
 * says: {"path": the file, "format": how it was read, "data": {...}}.
 * docs/json.md describes every format and docs/json/proc.schema.json is
 * its JSON Schema. */
#ifndef MMSIM_CLI_PROC_JSON_H
#define MMSIM_CLI_PROC_JSON_H

#include <stddef.h>

#include <jansson.h>

/* The format @path is read with: "meminfo", "zoneinfo" ... (docs/json.md). */
const char *proc_json_format(const char *path);

/*
 * The document for @path whose text is @text (@len bytes; binary files such
 * as auxv included). @word_bytes is the machine's word size (auxv). NULL if
 * the text is not what the format expects, with @err saying which line and
 * why.
 */
json_t *proc_json_document(const char *path, const char *text, size_t len,
			   unsigned int word_bytes, char *err, size_t errlen);

struct machine;
/*
 * @path rendered by @m's kernel and read as its document. NULL either with
 * *proc_err set (the file's -errno: -ENOENT ..., or -ENOMEM for host
 * memory), or with *proc_err 0 and @err saying why the text could not be read.
 */
json_t *proc_json_read(struct machine *m, const char *path, int *proc_err, char *err,
		       size_t errlen);

/* @n bytes as a JSON string, each byte that is not UTF-8 as U+FFFD (NULL: host memory). */
json_t *proc_json_string(const char *s, size_t n);

#endif /* MMSIM_CLI_PROC_JSON_H */
