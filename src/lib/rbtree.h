/* rbtree.h (internal) — red-black trees with an optional augmented value
 * (the kernel's lib/rbtree.c and include/linux/rbtree_augmented.h).
 *
 * The caller embeds a struct rb_node in its own structure, searches the
 * tree itself (it knows the key), links the new node where the search
 * ended with rb_link_node(), then calls rb_insert_color() to rebalance.
 * That split is the kernel's: the tree never compares keys, so one
 * implementation serves every key type.
 *
 * Augmented trees keep, in every node, a value computed from the node and
 * its two subtrees (the VMA tree's largest free gap below each node, the
 * old rb_subtree_gap). The caller supplies one function that recomputes a
 * node's value from its children and says whether it changed; rotations
 * and the path from a changed node to the root call it, so the values stay
 * right after every insert and erase in O(log n).
 *
 * Invariants (rb_verify checks them): the root is black; a red node has
 * no red child; every path from a node down to a leaf passes the same
 * number of black nodes; child->parent points back. Hence the height is at
 * most 2 log2(n + 1). */
#ifndef MMSIM_LIB_RBTREE_H
#define MMSIM_LIB_RBTREE_H

#include <stdbool.h>
#include <stddef.h>

#define RB_RED		0
#define RB_BLACK	1

struct rb_node {
	struct rb_node *parent, *left, *right;
	int color;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT (struct rb_root){ NULL }
#define rb_entry(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define rb_entry_safe(ptr, type, member) \
	((ptr) ? rb_entry(ptr, type, member) : NULL)

/*
 * Recompute @node's augmented value from its own data and its children's
 * values; return true if it changed. NULL callbacks mean a plain tree.
 */
typedef bool (*rb_augment_fn)(struct rb_node *node);

/* Link @node as the child *@link of @parent (where a search ended). */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->parent = parent;
	node->left = node->right = NULL;
	node->color = RB_RED;
	*link = node;
}

/* Rebalance after rb_link_node(); @augment may be NULL. */
void rb_insert_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn augment);
/* Remove @node; @augment may be NULL. */
void rb_erase_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn augment);
/* Recompute the augmented values from @node up to the root. */
void rb_augment_path(struct rb_node *node, rb_augment_fn augment);

static inline void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	rb_insert_augmented(node, root, NULL);
}

static inline void rb_erase(struct rb_node *node, struct rb_root *root)
{
	rb_erase_augmented(node, root, NULL);
}

/* In-order neighbours and ends; NULL past either end. */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

static inline bool RB_EMPTY_ROOT(const struct rb_root *root)
{
	return root->rb_node == NULL;
}

/*
 * The validator: NULL if every invariant above holds and the tree has
 * @expected nodes (or any number, with (size_t)-1); otherwise a sentence
 * saying which one broke.
 */
const char *rb_verify(const struct rb_root *root, size_t expected);

#endif /* MMSIM_LIB_RBTREE_H */
