/* name_table.c — the hash table under the scenario's names (name_table.h):
 * FNV-1a hashing, linear probing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/name_table.h"

static size_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (size_t)h;
}

void names_init(struct name_table *t, size_t rec_size)
{
	memset(t, 0, sizeof(*t));
	t->rec_size = rec_size;
}

void names_release(struct name_table *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		free(t->slots[i].name);
		free(t->slots[i].rec);
	}
	free(t->slots);
	t->slots = NULL;
	t->cap = t->used = 0;
}

static struct name_slot *probe(const struct name_table *t, const char *name)
{
	for (size_t i = hash_name(name) & (t->cap - 1);; i = (i + 1) & (t->cap - 1))
		if (!t->slots[i].name || !strcmp(t->slots[i].name, name))
			return &t->slots[i];
}

void *names_find(const struct name_table *t, const char *name)
{
	return t->cap ? probe(t, name)->rec : NULL;
}

static int grow(struct name_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	struct name_table bigger = { calloc(cap, sizeof(struct name_slot)), cap, t->used, t->rec_size };

	if (!bigger.slots)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].name)
			*probe(&bigger, t->slots[i].name) = t->slots[i];
	free(t->slots);
	*t = bigger;
	return 0;
}

void *names_add(struct name_table *t, const char *name, bool *created)
{
	if (created)
		*created = false;
	if ((t->used + 1) * 4 > t->cap * 3 && grow(t))
		return NULL;
	struct name_slot *slot = probe(t, name);
	if (slot->name)
		return slot->rec;
	void *rec = calloc(1, t->rec_size);
	char *copy = strdup(name);
	if (!rec || !copy) {
		free(rec);
		free(copy);
		return NULL;
	}
	slot->name = copy;
	slot->rec = rec;
	t->used++;
	if (created)
		*created = true;
	return rec;
}

bool names_next(const struct name_table *t, size_t *pos, const char **name, void **rec)
{
	while (*pos < t->cap) {
		struct name_slot *slot = &t->slots[(*pos)++];
		if (slot->name) {
			*name = slot->name;
			*rec = slot->rec;
			return true;
		}
	}
	return false;
}
