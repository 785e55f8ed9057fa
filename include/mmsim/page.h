/* page.h — frames and their contents, for library users.
 *
 * Inside the library these are the kernel's pfn_to_page() / page_to_pfn() /
 * page_address(); here they are exported functions so that struct machine
 * can stay private. Contents are the simulated RAM itself: what is written
 * through one route is read through any other. */
#ifndef MMSIM_PAGE_H
#define MMSIM_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <mmsim/mm_types.h>

MMSIM_BEGIN_DECLS

struct machine;

/* NULL if pfn has no struct page on this machine. */
MMSIM_API struct page *mmsim_pfn_to_page(struct machine *m, unsigned long pfn);
MMSIM_API unsigned long mmsim_page_to_pfn(const struct machine *m, const struct page *page);
/* The kernel virtual address (direct map), or 0 for a HighMem page. */
MMSIM_API kaddr_t mmsim_page_address(struct machine *m, const struct page *page);
/* The frame's bytes: PAGE_SIZE << order of them for a block. */
MMSIM_API void *mmsim_page_data(struct machine *m, const struct page *page);
/* The zone a page belongs to, by name ("DMA", "Normal", "HighMem" ...). */
MMSIM_API const char *mmsim_page_zone_name(struct machine *m, const struct page *page);

/* ---- what every frame is used for (fs/proc/page.c) --------------------------
 *
 * The frames of the machine in runs, for pictures and scripts: what a
 * page-types(8) scan of /proc/kpageflags tells, with what the kernel knows
 * besides — the free block's order, the slab cache, the pkmap slot, a
 * process that maps the page. Nothing is changed by looking: struct pages
 * of untouched memory are not written, and a run of them is one run.
 */
enum mmsim_frame_owner {
	MMSIM_FRAME_HOLE,		/* no RAM here (an e820 hole or past the end) */
	MMSIM_FRAME_RESERVED,		/* memblock's: firmware, the memmap, early allocations */
	MMSIM_FRAME_KERNEL_IMAGE,	/* _text .. _end */
	MMSIM_FRAME_ZERO,		/* the zero page */
	MMSIM_FRAME_FREE,		/* in the buddy allocator's free lists */
	MMSIM_FRAME_PCP,		/* free, on a CPU's per-CPU list */
	MMSIM_FRAME_ISOLATED,		/* free, but taken off the lists (compaction's free scanner) */
	MMSIM_FRAME_SLAB,
	MMSIM_FRAME_PAGE_TABLE,
	MMSIM_FRAME_VMALLOC,
	MMSIM_FRAME_ANON,		/* anonymous memory (and its swap cache) */
	MMSIM_FRAME_FILE,		/* the page cache */
	MMSIM_FRAME_KERNEL,		/* allocated by the kernel for anything else (alloc_pages) */
	MMSIM_NR_FRAME_OWNERS
};

struct mmsim_frame_run {
	unsigned long pfn, nr;		/* frames [pfn, pfn + nr), all alike */
	enum mmsim_frame_owner owner;
	const char *zone;		/* "DMA", "Normal" ...; NULL for a hole */
	int migratetype;		/* the pageblock's (MIGRATE_*) */
	unsigned long flags;		/* the PG_* bits of each block's first page */
	int refcount, mapcount;		/* each block's (mapcount: _mapcount + 1; 0 free) */
	/* The block the frames come in: a free block's, a compound page's; 0 for single pages. */
	unsigned int order;
	const char *slab_cache;		/* MMSIM_FRAME_SLAB: the cache's name */
	unsigned int kmap_slot;		/* a HighMem page's pkmap slot + 1, 0 if not kmapped */
	bool swapcache;			/* anonymous memory also in the swap cache */
	/* A process that maps the first frame (0: none), and where; each next frame a page on. */
	int mapper_pid;
	uint64_t mapper_addr;
};

MMSIM_API const char *mmsim_frame_owner_name(enum mmsim_frame_owner owner);
/* "Unmovable", "Movable" ... as /proc/pagetypeinfo names them. */
MMSIM_API const char *mmsim_migratetype_name(int migratetype);
/* @flags' PG_* names joined by '|' as dump_page() prints them ("uptodate|lru|active"). */
MMSIM_API void mmsim_page_flag_names(unsigned long flags, char *buf, size_t n);
/*
 * Call @fn for each run of frames in [start_pfn, end_pfn) (clamped to the
 * machine's), in order; a run ends where any field changes. Returns the
 * number of runs, or -ENOMEM (host memory for the scan) with nothing called.
 */
MMSIM_API long mmsim_scan_frames(struct machine *m, unsigned long start_pfn,
				 unsigned long end_pfn,
				 void (*fn)(const struct mmsim_frame_run *run, void *arg), void *arg);
/* The end of the frames mmsim_scan_frames() looks at: max_pfn. */
MMSIM_API unsigned long mmsim_max_pfn(const struct machine *m);

MMSIM_END_DECLS

#endif /* MMSIM_PAGE_H */
