/* rbtree.c — red-black tree rebalancing, neighbours and the validator (see rbtree.h).
 *
 * Insertion and deletion follow the textbook (Cormen et al., chapter 13):
 * a new node is red and may sit below a red parent; recolouring moves the
 * violation up two levels at a time, and at most two rotations end it. A
 * removed black node leaves its place "doubly black"; the fix-up pushes the
 * extra black up or absorbs it with at most three rotations. Leaves are
 * NULL, so the fix-up tracks the parent of the node it is fixing, which may
 * itself be NULL.
 *
 * Augmented values: before rebalancing, the path from the changed place to
 * the root is recomputed, so every value is right for the unbalanced tree.
 * A rotation keeps the set of nodes below the top of the rotated pair, so
 * only the two rotated nodes need recomputing, lower one first. */
#include <stdint.h>

#include "lib/rbtree.h"

static inline bool is_red(const struct rb_node *n)
{
	return n && n->color == RB_RED;
}

static inline bool is_black(const struct rb_node *n)
{
	return !n || n->color == RB_BLACK;
}

/* Make @new take @old's place under @old's parent (or at the root). */
static void replace_child(struct rb_node *old, struct rb_node *new, struct rb_node *parent,
			  struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

/*
 *     x                y
 *    / \              / \
 *   a   y     =>     x   c
 *      / \          / \
 *     b   c        a   b
 */
static void rotate_left(struct rb_node *x, struct rb_root *root, rb_augment_fn augment)
{
	struct rb_node *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	replace_child(x, y, x->parent, root);
	y->left = x;
	x->parent = y;
	if (augment) {
		augment(x);
		augment(y);
	}
}

static void rotate_right(struct rb_node *x, struct rb_root *root, rb_augment_fn augment)
{
	struct rb_node *y = x->left;

	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	replace_child(x, y, x->parent, root);
	y->right = x;
	x->parent = y;
	if (augment) {
		augment(x);
		augment(y);
	}
}

void rb_augment_path(struct rb_node *node, rb_augment_fn augment)
{
	/*
	 * All the way up: after an erase the node that moved into the removed
	 * node's place still holds its old value, so an unchanged value below
	 * it says nothing about it.
	 */
	for (; node; node = node->parent)
		augment(node);
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn augment)
{
	if (augment)
		rb_augment_path(node, augment);
	while (is_red(node->parent)) {
		struct rb_node *parent = node->parent;
		struct rb_node *gparent = parent->parent;	/* exists: the root is black */

		if (parent == gparent->left) {
			struct rb_node *uncle = gparent->right;
			if (is_red(uncle)) {
				/* Recolour and move the violation up to the grandparent. */
				parent->color = uncle->color = RB_BLACK;
				gparent->color = RB_RED;
				node = gparent;
				continue;
			}
			if (node == parent->right) {
				/* Zig-zag: rotate it into the straight case. */
				rotate_left(parent, root, augment);
				node = parent;
				parent = node->parent;
			}
			parent->color = RB_BLACK;
			gparent->color = RB_RED;
			rotate_right(gparent, root, augment);
		} else {
			struct rb_node *uncle = gparent->left;
			if (is_red(uncle)) {
				parent->color = uncle->color = RB_BLACK;
				gparent->color = RB_RED;
				node = gparent;
				continue;
			}
			if (node == parent->left) {
				rotate_right(parent, root, augment);
				node = parent;
				parent = node->parent;
			}
			parent->color = RB_BLACK;
			gparent->color = RB_RED;
			rotate_left(gparent, root, augment);
		}
	}
	root->rb_node->color = RB_BLACK;
}

/* Restore the black heights after a black node left from under @parent. */
static void erase_fixup(struct rb_node *node, struct rb_node *parent, struct rb_root *root,
			rb_augment_fn augment)
{
	while (node != root->rb_node && is_black(node)) {
		if (node == parent->left) {
			struct rb_node *sibling = parent->right;	/* exists: black heights */
			if (is_red(sibling)) {
				sibling->color = RB_BLACK;
				parent->color = RB_RED;
				rotate_left(parent, root, augment);
				sibling = parent->right;
			}
			if (is_black(sibling->left) && is_black(sibling->right)) {
				sibling->color = RB_RED;
				node = parent;
				parent = node->parent;
				continue;
			}
			if (is_black(sibling->right)) {
				sibling->left->color = RB_BLACK;
				sibling->color = RB_RED;
				rotate_right(sibling, root, augment);
				sibling = parent->right;
			}
			sibling->color = parent->color;
			parent->color = RB_BLACK;
			sibling->right->color = RB_BLACK;
			rotate_left(parent, root, augment);
			node = root->rb_node;
			break;
		} else {
			struct rb_node *sibling = parent->left;
			if (is_red(sibling)) {
				sibling->color = RB_BLACK;
				parent->color = RB_RED;
				rotate_right(parent, root, augment);
				sibling = parent->left;
			}
			if (is_black(sibling->left) && is_black(sibling->right)) {
				sibling->color = RB_RED;
				node = parent;
				parent = node->parent;
				continue;
			}
			if (is_black(sibling->left)) {
				sibling->right->color = RB_BLACK;
				sibling->color = RB_RED;
				rotate_left(sibling, root, augment);
				sibling = parent->left;
			}
			sibling->color = parent->color;
			parent->color = RB_BLACK;
			sibling->left->color = RB_BLACK;
			rotate_right(parent, root, augment);
			node = root->rb_node;
			break;
		}
	}
	if (node)
		node->color = RB_BLACK;
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn augment)
{
	struct rb_node *child, *parent;
	int removed_color;

	if (!node->left || !node->right) {
		/* At most one child: it takes the node's place. */
		child = node->left ? node->left : node->right;
		parent = node->parent;
		removed_color = node->color;
		replace_child(node, child, parent, root);
	} else {
		/*
		 * Two children: the successor (leftmost of the right subtree,
		 * which has no left child) takes the node's place and colour;
		 * what is lost is the successor's colour at its old place.
		 */
		struct rb_node *succ = node->right;
		while (succ->left)
			succ = succ->left;
		removed_color = succ->color;
		child = succ->right;
		if (succ->parent == node) {
			parent = succ;
		} else {
			parent = succ->parent;
			replace_child(succ, child, parent, root);
			succ->right = node->right;
			succ->right->parent = succ;
		}
		replace_child(node, succ, node->parent, root);
		succ->left = node->left;
		succ->left->parent = succ;
		succ->color = node->color;
	}
	if (augment && parent)
		rb_augment_path(parent, augment);
	if (removed_color == RB_BLACK)
		erase_fixup(child, parent, root, augment);
	node->parent = node->left = node->right = NULL;
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->left)
		n = n->left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->right)
		n = n->right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	if (node->right) {
		node = node->right;
		while (node->left)
			node = node->left;
		return (struct rb_node *)node;
	}
	/* Up until we come from a left child: that parent is next. */
	while (node->parent && node == node->parent->right)
		node = node->parent;
	return node->parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	if (node->left) {
		node = node->left;
		while (node->right)
			node = node->right;
		return (struct rb_node *)node;
	}
	while (node->parent && node == node->parent->left)
		node = node->parent;
	return node->parent;
}

/* ---- validator -------------------------------------------------------------- */

/*
 * The black height of the subtree at @n, or -1 after setting *why. The
 * depth bound stops a cycle made by a corrupted pointer.
 */
static int verify_subtree(const struct rb_node *n, const struct rb_node *parent, size_t *count,
			  unsigned int depth, const char **why)
{
	if (!n)
		return 0;
	if (depth > 2 * 64) {
		*why = "the tree is deeper than any red-black tree can be (a cycle?)";
		return -1;
	}
	if (n->parent != parent) {
		*why = "a node's parent pointer does not point at its parent";
		return -1;
	}
	if (n->color != RB_RED && n->color != RB_BLACK) {
		*why = "a node is neither red nor black";
		return -1;
	}
	if (n->color == RB_RED && (is_red(n->left) || is_red(n->right))) {
		*why = "a red node has a red child";
		return -1;
	}
	(*count)++;
	int lh = verify_subtree(n->left, n, count, depth + 1, why);
	if (lh < 0)
		return -1;
	int rh = verify_subtree(n->right, n, count, depth + 1, why);
	if (rh < 0)
		return -1;
	if (lh != rh) {
		*why = "two paths from a node to its leaves pass different numbers of black nodes";
		return -1;
	}
	return lh + (n->color == RB_BLACK);
}

const char *rb_verify(const struct rb_root *root, size_t expected)
{
	const char *why = NULL;
	size_t count = 0;

	if (is_red(root->rb_node))
		return "the root is red";
	if (verify_subtree(root->rb_node, NULL, &count, 0, &why) < 0)
		return why;
	if (expected != SIZE_MAX && count != expected)
		return "the tree holds a different number of nodes than its owner counts";
	return NULL;
}
