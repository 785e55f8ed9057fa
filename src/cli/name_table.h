/* name_table.h — a hash table from strings to small records, under the
 * scenario's typed names (names.c). Records are allocated separately, so a
 * pointer to one stays valid while the table grows. */
#ifndef MMSIM_CLI_NAME_TABLE_H
#define MMSIM_CLI_NAME_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct name_slot {
	char *name;		/* NULL: never used */
	void *rec;
};

struct name_table {
	struct name_slot *slots;	/* open addressing, power-of-two size */
	size_t cap, used;
	size_t rec_size;
};

void names_init(struct name_table *t, size_t rec_size);
void names_release(struct name_table *t);
/* The record of name, or NULL. */
void *names_find(const struct name_table *t, const char *name);
/* The record of name, created zeroed if new; NULL if out of host memory. */
void *names_add(struct name_table *t, const char *name, bool *created);
/*
 * Visit every record: for (size_t i = 0; names_next(t, &i, &name, &rec);).
 */
bool names_next(const struct name_table *t, size_t *pos, const char **name, void **rec);

#endif /* MMSIM_CLI_NAME_TABLE_H */
