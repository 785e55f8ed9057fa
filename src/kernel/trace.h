/* trace.h (internal) — the trace events the simulated kernel emits: the
 * role of Linux's include/trace/events/{kmem,exceptions,vmscan,oom}.h.
 *
 * Each trace_NAME() helper below is one of the kernel's events, with the
 * fields of its TP_STRUCT__entry that mmsim knows (a call site's return
 * address, which a simulated kernel has none of, is left out). They are
 * called where the kernel calls them; with no tracer installed
 * (mmsim_set_tracer) each costs one test. */
#ifndef MMSIM_KERNEL_TRACE_H
#define MMSIM_KERNEL_TRACE_H

#include <mmsim/trace.h>

#include "machine.h"

void trace_emit(struct machine *m, const char *system, const char *name, unsigned int nr_fields,
		const struct mmsim_trace_field *fields);

#define TRACE_U64(n, v)	{ .name = (n), .type = MMSIM_TRACE_U64, .u = (uint64_t)(v) }
#define TRACE_S64(n, v)	{ .name = (n), .type = MMSIM_TRACE_S64, .s = (int64_t)(v) }
#define TRACE_HEX(n, v)	{ .name = (n), .type = MMSIM_TRACE_HEX, .u = (uint64_t)(v) }
#define TRACE_GFP(n, v)	{ .name = (n), .type = MMSIM_TRACE_GFP, .u = (uint64_t)(v) }

/*
 * Each event is an inline test of m->tracer and an out-of-line emitter
 * (kernel/trace.c), so that the allocators' fast paths pay one load and
 * one branch, and no stack frame, when nobody traces.
 */
#define TRACE_EMITTER	__attribute__((cold, noinline))

#define TRACE_EVENT_FIELDS(m, system, name, ...) do {					\
	const struct mmsim_trace_field f_[] = { __VA_ARGS__ };				\
	trace_emit((m), (system), (name), sizeof(f_) / sizeof(f_[0]), f_);		\
} while (0)

/* ---- kmem: the page allocator and the slab allocator ---- */

TRACE_EMITTER void __trace_mm_page_alloc(struct machine *m, unsigned long pfn, unsigned int order,
					 gfp_t gfp, int migratetype);
static inline void trace_mm_page_alloc(struct machine *m, unsigned long pfn, unsigned int order,
				       gfp_t gfp, int migratetype)
{
	if (unlikely(m->tracer))
		__trace_mm_page_alloc(m, pfn, order, gfp, migratetype);
}

TRACE_EMITTER void __trace_mm_page_free(struct machine *m, unsigned long pfn, unsigned int order);
static inline void trace_mm_page_free(struct machine *m, unsigned long pfn, unsigned int order)
{
	if (unlikely(m->tracer))
		__trace_mm_page_free(m, pfn, order);
}

TRACE_EMITTER void __trace_kmalloc(struct machine *m, kaddr_t ptr, size_t bytes_req,
				   size_t bytes_alloc, gfp_t gfp);
static inline void trace_kmalloc(struct machine *m, kaddr_t ptr, size_t bytes_req,
				 size_t bytes_alloc, gfp_t gfp)
{
	if (unlikely(m->tracer))
		__trace_kmalloc(m, ptr, bytes_req, bytes_alloc, gfp);
}

TRACE_EMITTER void __trace_kfree(struct machine *m, kaddr_t ptr);
static inline void trace_kfree(struct machine *m, kaddr_t ptr)
{
	if (unlikely(m->tracer))
		__trace_kfree(m, ptr);
}

TRACE_EMITTER void __trace_kmem_cache_alloc(struct machine *m, kaddr_t ptr, size_t bytes_req,
					    size_t bytes_alloc, gfp_t gfp);
static inline void trace_kmem_cache_alloc(struct machine *m, kaddr_t ptr, size_t bytes_req,
					  size_t bytes_alloc, gfp_t gfp)
{
	if (unlikely(m->tracer))
		__trace_kmem_cache_alloc(m, ptr, bytes_req, bytes_alloc, gfp);
}

TRACE_EMITTER void __trace_kmem_cache_free(struct machine *m, kaddr_t ptr, const char *cache);
static inline void trace_kmem_cache_free(struct machine *m, kaddr_t ptr, const char *cache)
{
	if (unlikely(m->tracer))
		__trace_kmem_cache_free(m, ptr, cache);
}

/* ---- exceptions: page faults (handle_page_fault()'s trace_page_fault_entries()) ---- */

TRACE_EMITTER void __trace_page_fault(struct machine *m, bool user_mode, uint64_t address,
				      unsigned int error_code);
static inline void trace_page_fault(struct machine *m, bool user_mode, uint64_t address,
				    unsigned int error_code)
{
	if (unlikely(m->tracer))
		__trace_page_fault(m, user_mode, address, error_code);
}

/* ---- vmscan: kswapd and direct reclaim ---- */

/*
 * A zone's index as the kernel numbers node_zones[]: only the zones its
 * configuration has (i386: DMA, Normal, HighMem, Movable; x86_64: DMA,
 * DMA32, Normal, Movable, Device), where mmsim's enum has them all.
 */
static inline int trace_zone_idx(const struct machine *m, int idx)
{
	int n = 0;

	for (int i = 0; i < idx && i < __MAX_NR_ZONES; i++)
		n += m->node.node_zones[i].configured;
	return n;
}

TRACE_EMITTER void __trace_mm_vmscan_kswapd_wake(struct machine *m, int zone_idx, int order);
static inline void trace_mm_vmscan_kswapd_wake(struct machine *m, int zone_idx, int order)
{
	if (unlikely(m->tracer))
		__trace_mm_vmscan_kswapd_wake(m, zone_idx, order);
}

TRACE_EMITTER void __trace_mm_vmscan_direct_reclaim_begin(struct machine *m, int order, gfp_t gfp);
static inline void trace_mm_vmscan_direct_reclaim_begin(struct machine *m, int order, gfp_t gfp)
{
	if (unlikely(m->tracer))
		__trace_mm_vmscan_direct_reclaim_begin(m, order, gfp);
}

TRACE_EMITTER void __trace_mm_vmscan_direct_reclaim_end(struct machine *m,
							unsigned long nr_reclaimed);
static inline void trace_mm_vmscan_direct_reclaim_end(struct machine *m, unsigned long nr_reclaimed)
{
	if (unlikely(m->tracer))
		__trace_mm_vmscan_direct_reclaim_end(m, nr_reclaimed);
}

/* ---- compaction: a zone's compaction run ---- */

TRACE_EMITTER void __trace_mm_compaction_begin(struct machine *m, unsigned long zone_start,
					       unsigned long migrate_pfn, unsigned long free_pfn,
					       unsigned long zone_end, bool sync);
static inline void trace_mm_compaction_begin(struct machine *m, unsigned long zone_start,
					     unsigned long migrate_pfn, unsigned long free_pfn,
					     unsigned long zone_end, bool sync)
{
	if (unlikely(m->tracer))
		__trace_mm_compaction_begin(m, zone_start, migrate_pfn, free_pfn, zone_end, sync);
}

/* @status: the kernel's name of the compact_result (compaction_status_string). */
TRACE_EMITTER void __trace_mm_compaction_end(struct machine *m, unsigned long zone_start,
					     unsigned long migrate_pfn, unsigned long free_pfn,
					     unsigned long zone_end, bool sync, const char *status);
static inline void trace_mm_compaction_end(struct machine *m, unsigned long zone_start,
					   unsigned long migrate_pfn, unsigned long free_pfn,
					   unsigned long zone_end, bool sync, const char *status)
{
	if (unlikely(m->tracer))
		__trace_mm_compaction_end(m, zone_start, migrate_pfn, free_pfn, zone_end, sync, status);
}

/* ---- oom: the OOM killer's victim ---- */

TRACE_EMITTER void __trace_mark_victim(struct machine *m, int pid);
static inline void trace_mark_victim(struct machine *m, int pid)
{
	if (unlikely(m->tracer))
		__trace_mark_victim(m, pid);
}

#endif /* MMSIM_KERNEL_TRACE_H */
