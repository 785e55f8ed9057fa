/* iova.c — the IOVA allocator (drivers/iommu/iova.c): ranges of I/O virtual
 * page frames in an rbtree sorted by address, handed out top-down.
 *
 * An allocation of `size` pfns below `limit_pfn` walks the tree backwards
 * from the cached node (where the previous allocation for that kind of
 * limit landed, or the anchor at the top) and takes the first gap that
 * holds it, as high as it can: new_pfn = (high_pfn - size) & align_mask,
 * where a size-aligned allocation rounds down to a multiple of the next
 * power of two of size. When the walk reaches the bottom without a fit it
 * retries once from the limit down to just above where it started (the
 * part the cached node skipped). A failure below 4 GiB remembers its size
 * (max32_alloc_size) so that no later request of that size or more walks
 * the 32-bit space again until something there is freed.
 *
 * The anchor node at IOVA_ANCHOR ends every backward walk, so the tree is
 * never empty. The kernel keeps per-CPU caches of freed ranges in front
 * of this (iova_rcache, alloc_iova_fast); mmsim goes to the tree every
 * time, so the addresses it hands out are those of a cold cache. */
#include <inttypes.h>
#include <stdlib.h>

#include "drivers/iommu/iommu.h"

static struct iova *to_iova(struct rb_node *node)
{
	return rb_entry(node, struct iova, node);
}

void init_iova_domain(struct iova_domain *iovad, unsigned long start_pfn)
{
	iovad->rbroot = RB_ROOT;
	iovad->start_pfn = start_pfn;
	iovad->dma_32bit_pfn = 1UL << (32 - PAGE_SHIFT);
	iovad->max32_alloc_size = iovad->dma_32bit_pfn;
	iovad->anchor.pfn_lo = iovad->anchor.pfn_hi = IOVA_ANCHOR;
	iovad->nr_iovas = 0;
	rb_link_node(&iovad->anchor.node, NULL, &iovad->rbroot.rb_node);
	rb_insert_color(&iovad->anchor.node, &iovad->rbroot);
	iovad->cached_node = &iovad->anchor.node;
	iovad->cached32_node = &iovad->anchor.node;
}

void put_iova_domain(struct iova_domain *iovad)
{
	struct rb_node *node = rb_first(&iovad->rbroot);

	while (node) {
		struct rb_node *next = rb_next(node);
		struct iova *iova = to_iova(node);
		rb_erase(node, &iovad->rbroot);
		if (iova != &iovad->anchor)
			free(iova);
		node = next;
	}
	iovad->nr_iovas = 0;
}

static struct rb_node *get_cached_rbnode(struct iova_domain *iovad, unsigned long limit_pfn)
{
	if (limit_pfn <= iovad->dma_32bit_pfn)
		return iovad->cached32_node;
	return iovad->cached_node;
}

static void cached_rbnode_insert_update(struct iova_domain *iovad, struct iova *new)
{
	if (new->pfn_hi < iovad->dma_32bit_pfn)
		iovad->cached32_node = &new->node;
	else
		iovad->cached_node = &new->node;
}

/* __cached_rbnode_delete_update(): a freed node must not stay cached; a freed 32-bit range may now fit. */
static void cached_rbnode_delete_update(struct iova_domain *iovad, struct iova *free)
{
	struct iova *cached = to_iova(iovad->cached32_node);

	if (free == cached || (free->pfn_hi < iovad->dma_32bit_pfn && free->pfn_lo >= cached->pfn_lo))
		iovad->cached32_node = rb_next(&free->node);
	if (free->pfn_lo < iovad->dma_32bit_pfn)
		iovad->max32_alloc_size = iovad->dma_32bit_pfn;
	cached = to_iova(iovad->cached_node);
	if (free->pfn_lo >= cached->pfn_lo)
		iovad->cached_node = rb_next(&free->node);
}

/* iova_find_limit(): the first node whose range ends at or above limit_pfn (the walk's start). */
static struct rb_node *iova_find_limit(struct iova_domain *iovad, unsigned long limit_pfn)
{
	struct rb_node *node = iovad->rbroot.rb_node, *next;

	/* Ranges above 4 GiB are rare enough to start from the top, as the kernel does. */
	if (limit_pfn > iovad->dma_32bit_pfn)
		return &iovad->anchor.node;
	while (to_iova(node)->pfn_hi < limit_pfn)
		node = node->right;
search_left:
	while (node->left && to_iova(node->left)->pfn_lo >= limit_pfn)
		node = node->left;
	if (!node->left)
		return node;
	next = node->left;
	while (next->right) {
		next = next->right;
		if (to_iova(next)->pfn_lo >= limit_pfn) {
			node = next;
			goto search_left;
		}
	}
	return node;
}

/* iova_insert_rbtree(): by pfn_lo, starting from @start (a node next to where it goes). */
static void iova_insert_rbtree(struct rb_root *root, struct iova *iova, struct rb_node *start)
{
	struct rb_node **new = &root->rb_node, *parent = NULL;

	(void)start;	/* the kernel starts its descent at @start; the place is the same */
	while (*new) {
		struct iova *this = to_iova(*new);
		parent = *new;
		new = iova->pfn_lo < this->pfn_lo ? &(*new)->left : &(*new)->right;
	}
	rb_link_node(&iova->node, parent, new);
	rb_insert_color(&iova->node, root);
}

static unsigned int fls_long(unsigned long x)
{
	return x ? 64 - (unsigned int)__builtin_clzl(x) : 0;
}

/* __alloc_and_insert_iova_range(): limit_pfn is exclusive here. */
static int alloc_and_insert_iova_range(struct iova_domain *iovad, unsigned long size,
				       unsigned long limit_pfn, struct iova *new, bool size_aligned)
{
	struct rb_node *curr, *prev;
	struct iova *curr_iova;
	unsigned long new_pfn, retry_pfn;
	unsigned long align_mask = ~0UL;
	unsigned long high_pfn = limit_pfn, low_pfn = iovad->start_pfn;

	if (size_aligned)
		align_mask <<= fls_long(size - 1);
	if (limit_pfn <= iovad->dma_32bit_pfn && size >= iovad->max32_alloc_size)
		goto iova32_full;
	curr = get_cached_rbnode(iovad, limit_pfn);
	curr_iova = to_iova(curr);
	retry_pfn = curr_iova->pfn_hi;
retry:
	do {
		high_pfn = high_pfn < curr_iova->pfn_lo ? high_pfn : curr_iova->pfn_lo;
		new_pfn = (high_pfn - size) & align_mask;
		prev = curr;
		curr = rb_prev(curr);
		curr_iova = curr ? to_iova(curr) : NULL;
	} while (curr && new_pfn <= curr_iova->pfn_hi && new_pfn >= low_pfn);

	if (high_pfn < size || new_pfn < low_pfn) {
		if (low_pfn == iovad->start_pfn && retry_pfn < limit_pfn) {
			high_pfn = limit_pfn;
			low_pfn = retry_pfn + 1;
			curr = iova_find_limit(iovad, limit_pfn);
			curr_iova = to_iova(curr);
			goto retry;
		}
		iovad->max32_alloc_size = size;
		goto iova32_full;
	}
	new->pfn_lo = new_pfn;
	new->pfn_hi = new->pfn_lo + size - 1;
	iova_insert_rbtree(&iovad->rbroot, new, prev);
	cached_rbnode_insert_update(iovad, new);
	iovad->nr_iovas++;
	return 0;

iova32_full:
	return -1;
}

struct iova *alloc_iova(struct iova_domain *iovad, unsigned long size, unsigned long limit_pfn,
			bool size_aligned)
{
	if (!size)
		return NULL;
	struct iova *new = calloc(1, sizeof(*new));
	if (!new)
		return NULL;
	if (alloc_and_insert_iova_range(iovad, size, limit_pfn + 1, new, size_aligned)) {
		free(new);
		return NULL;
	}
	return new;
}

struct iova *find_iova(struct iova_domain *iovad, unsigned long pfn)
{
	struct rb_node *node = iovad->rbroot.rb_node;

	while (node) {
		struct iova *iova = to_iova(node);
		if (pfn < iova->pfn_lo)
			node = node->left;
		else if (pfn > iova->pfn_hi)
			node = node->right;
		else
			return iova;
	}
	return NULL;
}

void __free_iova(struct iova_domain *iovad, struct iova *iova)
{
	cached_rbnode_delete_update(iovad, iova);
	rb_erase(&iova->node, &iovad->rbroot);
	iovad->nr_iovas--;
	free(iova);
}

/* reserve_iova(): a range no allocation may take (the MSI window). Assumes it overlaps nothing yet. */
struct iova *reserve_iova(struct iova_domain *iovad, unsigned long pfn_lo, unsigned long pfn_hi)
{
	struct iova *iova = calloc(1, sizeof(*iova));

	if (!iova)
		return NULL;
	iova->pfn_lo = pfn_lo;
	iova->pfn_hi = pfn_hi;
	iova->reserved = true;
	iova_insert_rbtree(&iovad->rbroot, iova, NULL);
	iovad->nr_iovas++;
	return iova;
}

unsigned long iova_verify(struct iova_domain *iovad, const char *who, FILE *out)
{
	unsigned long bad = 0, prev_hi = 0;
	bool first = true;
	const char *why = rb_verify(&iovad->rbroot, iovad->nr_iovas + 1);

	if (why) {
		fprintf(out, "iommu: %s: IOVA tree: %s\n", who, why);
		return 1;
	}
	for (struct rb_node *node = rb_first(&iovad->rbroot); node; node = rb_next(node)) {
		struct iova *iova = to_iova(node);
		if (iova->pfn_lo > iova->pfn_hi || (!first && iova->pfn_lo <= prev_hi) ||
		    (iova != &iovad->anchor && !iova->reserved && iova->pfn_lo < iovad->start_pfn)) {
			fprintf(out, "iommu: %s: IOVA range %#lx-%#lx overlaps or is out of order\n", who,
				iova->pfn_lo, iova->pfn_hi);
			bad++;
		}
		prev_hi = iova->pfn_hi;
		first = false;
	}
	if (rb_last(&iovad->rbroot) != &iovad->anchor.node) {
		fprintf(out, "iommu: %s: the anchor is not the last IOVA node\n", who);
		bad++;
	}
	return bad;
}
