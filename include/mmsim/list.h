/* list.h — the kernel's doubly linked circular list (struct list_head).
 *
 * mm threads pages onto free lists, pcp lists and LRU lists through an
 * embedded list_head; this is that primitive, with the kernel's names so the
 * allocator code reads like mm/page_alloc.c. */
#ifndef MMSIM_LIST_H
#define MMSIM_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include <mmsim/export.h>

MMSIM_BEGIN_DECLS

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void __list_add(struct list_head *entry, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = entry;
	entry->next = next;
	entry->prev = prev;
	prev->next = entry;
}

/* Insert after head: stack (LIFO) order — the cache-hot end. */
static inline void list_add(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head, head->next);
}

/* Insert before head: queue order — the cold end. */
static inline void list_add_tail(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head->prev, head);
}

static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = NULL;	/* a later use of a deleted entry faults loudly */
	entry->prev = NULL;
}

static inline void list_move(struct list_head *entry, struct list_head *head)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	list_add(entry, head);
}

static inline void list_move_tail(struct list_head *entry, struct list_head *head)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	list_add_tail(entry, head);
}

/* list_splice(): put every entry of @list at the front of @head (@list is left stale). */
static inline void list_splice(const struct list_head *list, struct list_head *head)
{
	if (list->next == list)
		return;
	struct list_head *first = list->next, *last = list->prev, *at = head->next;

	first->prev = head;
	head->next = first;
	last->next = at;
	at->prev = last;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) list_entry((head)->prev, type, member)

#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)

/* list_for_each_safe(): @pos may be removed from the list (@n is the one after it). */
#define list_for_each_safe(pos, n, head) \
	for (pos = (head)->next, n = pos->next; pos != (head); pos = n, n = pos->next)

MMSIM_END_DECLS

#endif /* MMSIM_LIST_H */
