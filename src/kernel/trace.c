/* trace.c — delivering the simulated kernel's trace events to the tracer
 * a library user installed (the ring buffer of Linux's kernel/trace, with
 * the reader called at once instead of later). */
#include "kernel/sched.h"
#include "kernel/trace.h"

void mmsim_set_tracer(struct machine *m, mmsim_tracer_fn fn, void *arg)
{
	m->tracer = fn;
	m->tracer_arg = arg;
}

void trace_emit(struct machine *m, const char *system, const char *name, unsigned int nr_fields,
		const struct mmsim_trace_field *fields)
{
	/* Before the scheduler exists (early boot) the idle task runs. */
	const struct task_struct *t = m->sched ? get_current(m) : NULL;
	struct mmsim_trace_event ev = {
		.system = system,
		.name = name,
		.time_ns = m->clock_ns,
		.cpu = m->cur_cpu,
		.pid = t ? t->pid : 0,
		.comm = t ? t->comm : "swapper",
		.nr_fields = nr_fields,
		.fields = fields,
	};
	m->tracer(&ev, m->tracer_arg);
}

/* ---- the events' emitters (kernel/trace.h) ---- */

void __trace_mm_page_alloc(struct machine *m, unsigned long pfn, unsigned int order, gfp_t gfp,
			   int migratetype)
{
	TRACE_EVENT_FIELDS(m, "kmem", "mm_page_alloc", TRACE_U64("pfn", pfn), TRACE_U64("order", order),
			   TRACE_GFP("gfp_flags", gfp), TRACE_S64("migratetype", migratetype));
}

void __trace_mm_page_free(struct machine *m, unsigned long pfn, unsigned int order)
{
	TRACE_EVENT_FIELDS(m, "kmem", "mm_page_free", TRACE_U64("pfn", pfn), TRACE_U64("order", order));
}

void __trace_kmalloc(struct machine *m, kaddr_t ptr, size_t bytes_req, size_t bytes_alloc,
		     gfp_t gfp)
{
	TRACE_EVENT_FIELDS(m, "kmem", "kmalloc", TRACE_HEX("ptr", ptr), TRACE_U64("bytes_req", bytes_req),
			   TRACE_U64("bytes_alloc", bytes_alloc), TRACE_GFP("gfp_flags", gfp),
			   TRACE_S64("node", -1));
}

void __trace_kfree(struct machine *m, kaddr_t ptr)
{
	TRACE_EVENT_FIELDS(m, "kmem", "kfree", TRACE_HEX("ptr", ptr));
}

void __trace_kmem_cache_alloc(struct machine *m, kaddr_t ptr, size_t bytes_req, size_t bytes_alloc,
			      gfp_t gfp)
{
	TRACE_EVENT_FIELDS(m, "kmem", "kmem_cache_alloc", TRACE_HEX("ptr", ptr),
			   TRACE_U64("bytes_req", bytes_req), TRACE_U64("bytes_alloc", bytes_alloc),
			   TRACE_GFP("gfp_flags", gfp), TRACE_S64("node", -1));
}

void __trace_kmem_cache_free(struct machine *m, kaddr_t ptr, const char *cache)
{
	TRACE_EVENT_FIELDS(m, "kmem", "kmem_cache_free", TRACE_HEX("ptr", ptr),
			   { .name = "name", .type = MMSIM_TRACE_STR, .str = cache });
}

void __trace_page_fault(struct machine *m, bool user_mode, uint64_t address,
			unsigned int error_code)
{
	TRACE_EVENT_FIELDS(m, "exceptions", user_mode ? "page_fault_user" : "page_fault_kernel",
			   TRACE_HEX("address", address), TRACE_HEX("error_code", error_code));
}

void __trace_mm_vmscan_kswapd_wake(struct machine *m, int zone_idx, int order)
{
	TRACE_EVENT_FIELDS(m, "vmscan", "mm_vmscan_kswapd_wake", TRACE_S64("nid", 0),
			   TRACE_S64("zid", trace_zone_idx(m, zone_idx)), TRACE_S64("order", order));
}

void __trace_mm_vmscan_direct_reclaim_begin(struct machine *m, int order, gfp_t gfp)
{
	TRACE_EVENT_FIELDS(m, "vmscan", "mm_vmscan_direct_reclaim_begin", TRACE_S64("order", order),
			   TRACE_GFP("gfp_flags", gfp));
}

void __trace_mm_vmscan_direct_reclaim_end(struct machine *m, unsigned long nr_reclaimed)
{
	TRACE_EVENT_FIELDS(m, "vmscan", "mm_vmscan_direct_reclaim_end",
			   TRACE_U64("nr_reclaimed", nr_reclaimed));
}

void __trace_mark_victim(struct machine *m, int pid)
{
	TRACE_EVENT_FIELDS(m, "oom", "mark_victim", TRACE_S64("pid", pid));
}

void __trace_mm_compaction_begin(struct machine *m, unsigned long zone_start,
				 unsigned long migrate_pfn, unsigned long free_pfn,
				 unsigned long zone_end, bool sync)
{
	TRACE_EVENT_FIELDS(m, "compaction", "mm_compaction_begin", TRACE_U64("zone_start", zone_start),
			     TRACE_U64("migrate_pfn", migrate_pfn), TRACE_U64("free_pfn", free_pfn),
			     TRACE_U64("zone_end", zone_end), TRACE_U64("sync", sync));
}

void __trace_mm_compaction_end(struct machine *m, unsigned long zone_start,
			       unsigned long migrate_pfn, unsigned long free_pfn,
			       unsigned long zone_end, bool sync, const char *status)
{
	TRACE_EVENT_FIELDS(m, "compaction", "mm_compaction_end", TRACE_U64("zone_start", zone_start),
			     TRACE_U64("migrate_pfn", migrate_pfn), TRACE_U64("free_pfn", free_pfn),
			     TRACE_U64("zone_end", zone_end), TRACE_U64("sync", sync),
			     { .name = "status", .type = MMSIM_TRACE_STR, .str = status });
}
