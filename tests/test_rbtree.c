/* test_rbtree.c — the red-black tree (src/lib/rbtree.c) against a sorted array.
 *
 * Random inserts and erases with a fixed seed; after every step the tree's
 * invariants (rb_verify), its in-order walk both ways, and an augmented
 * value (the largest "weight" in each subtree, maintained through the
 * callbacks) are checked against a brute-force model. */
#include "lib/rbtree.h"
#include "test.h"

struct item {
	struct rb_node rb;
	unsigned int key;
	unsigned int weight;
	unsigned int subtree_max;	/* max weight in this subtree */
	bool in_tree;
};

#define NR_ITEMS 600

static bool update_max(struct rb_node *node)
{
	struct item *it = rb_entry(node, struct item, rb);
	unsigned int max = it->weight;

	if (node->left) {
		unsigned int l = rb_entry(node->left, struct item, rb)->subtree_max;
		max = l > max ? l : max;
	}
	if (node->right) {
		unsigned int r = rb_entry(node->right, struct item, rb)->subtree_max;
		max = r > max ? r : max;
	}
	if (it->subtree_max == max)
		return false;
	it->subtree_max = max;
	return true;
}

static void insert(struct rb_root *root, struct item *it, bool augmented)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (it->key < rb_entry(parent, struct item, rb)->key)
			link = &parent->left;
		else
			link = &parent->right;
	}
	rb_link_node(&it->rb, parent, link);
	it->subtree_max = it->weight;
	rb_insert_augmented(&it->rb, root, augmented ? update_max : NULL);
	it->in_tree = true;
}

/* The recomputed maximum of the subtree, checked against the stored one. */
static bool check_max(const struct rb_node *n, unsigned int *max)
{
	if (!n) {
		*max = 0;
		return true;
	}
	unsigned int l, r;
	if (!check_max(n->left, &l) || !check_max(n->right, &r))
		return false;
	const struct item *it = rb_entry(n, struct item, rb);
	unsigned int m = it->weight;
	m = l > m ? l : m;
	m = r > m ? r : m;
	*max = m;
	return it->subtree_max == m;
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned int)(rng_state % n);
}

static bool run(bool augmented)
{
	static struct item items[NR_ITEMS];
	struct rb_root root = RB_ROOT;
	size_t count = 0;

	for (unsigned int i = 0; i < NR_ITEMS; i++)
		items[i] = (struct item){ .key = i * 3 + 1, .weight = rnd(100000) };
	for (int step = 0; step < 20000; step++) {
		struct item *it = &items[rnd(NR_ITEMS)];
		if (it->in_tree) {
			rb_erase_augmented(&it->rb, &root, augmented ? update_max : NULL);
			it->in_tree = false;
			count--;
		} else {
			insert(&root, it, augmented);
			count++;
		}
		const char *why = rb_verify(&root, count);
		if (why) {
			fprintf(stderr, "step %d: %s\n", step, why);
			return false;
		}
		if (step % 97)
			continue;	/* the full walks are O(n): every 97th step */
		/* In order, both directions, against the model. */
		struct rb_node *n = rb_first(&root);
		for (unsigned int i = 0; i < NR_ITEMS; i++) {
			if (!items[i].in_tree)
				continue;
			ASSERT_TRUE(n == &items[i].rb);
			n = rb_next(n);
		}
		ASSERT_TRUE(n == NULL);
		n = rb_last(&root);
		for (int i = NR_ITEMS - 1; i >= 0; i--) {
			if (!items[i].in_tree)
				continue;
			ASSERT_TRUE(n == &items[i].rb);
			n = rb_prev(n);
		}
		ASSERT_TRUE(n == NULL);
		if (augmented) {
			unsigned int max;
			ASSERT_TRUE(check_max(root.rb_node, &max));
			unsigned int model = 0;
			for (unsigned int i = 0; i < NR_ITEMS; i++)
				if (items[i].in_tree && items[i].weight > model)
					model = items[i].weight;
			ASSERT_EQ(max, model);
		}
	}
	return true;
}

static bool test_plain_tree_matches_sorted_model(void)
{
	return run(false);
}

static bool test_augmented_values_follow_rotations(void)
{
	return run(true);
}

/* Sorted insertion is the worst case for an unbalanced tree: the height stays logarithmic. */
static bool test_sorted_insert_stays_balanced(void)
{
	static struct item items[4096];
	struct rb_root root = RB_ROOT;

	for (unsigned int i = 0; i < 4096; i++) {
		items[i] = (struct item){ .key = i };
		insert(&root, &items[i], false);
	}
	ASSERT_TRUE(rb_verify(&root, 4096) == NULL);
	unsigned int depth = 0;
	for (struct rb_node *n = &items[4095].rb; n; n = n->parent)
		depth++;
	ASSERT_TRUE(depth <= 2 * 13);	/* 2 log2(n + 1) */
	return true;
}

/* A corrupted tree is named, not walked forever. */
static bool test_validator_names_broken_invariants(void)
{
	static struct item items[8];
	struct rb_root root = RB_ROOT;

	for (unsigned int i = 0; i < 8; i++) {
		items[i] = (struct item){ .key = i };
		insert(&root, &items[i], false);
	}
	ASSERT_TRUE(rb_verify(&root, 8) == NULL);
	ASSERT_TRUE(rb_verify(&root, 7) != NULL);
	root.rb_node->color = RB_RED;
	ASSERT_STR_CONTAINS(rb_verify(&root, 8), "root is red");
	root.rb_node->color = RB_BLACK;
	struct rb_node *leaf = rb_first(&root);
	leaf->parent = NULL;
	ASSERT_STR_CONTAINS(rb_verify(&root, 8), "parent pointer");
	return true;
}

TEST_MAIN(
	TEST(test_plain_tree_matches_sorted_model),
	TEST(test_augmented_values_follow_rotations),
	TEST(test_sorted_insert_stays_balanced),
	TEST(test_validator_names_broken_invariants),
)
