/* trace.h — the kernel's trace events, for library users (what ftrace and
 * perf read from /sys/kernel/tracing in a real kernel).
 *
 * A machine with a tracer calls it at each event the kernel defines a
 * trace event for, with the event's system and name as the kernel spells
 * them (kmem:mm_page_alloc, exceptions:page_fault_user, vmscan:..., oom:...)
 * and the fields of its TP_STRUCT__entry under their names: pfn, order,
 * gfp_flags, ptr, bytes_req, address, error_code, nr_reclaimed, pid ...
 * The event and its fields live only for the call. Without a tracer the
 * events cost one test each. */
#ifndef MMSIM_TRACE_H
#define MMSIM_TRACE_H

#include <mmsim/types.h>

MMSIM_BEGIN_DECLS

struct machine;

enum mmsim_trace_type {
	MMSIM_TRACE_U64,	/* an unsigned number */
	MMSIM_TRACE_S64,	/* a signed number */
	MMSIM_TRACE_HEX,	/* an address or pointer (the kernel prints it in hex) */
	MMSIM_TRACE_GFP,	/* GFP flags: the number; mmsim_gfp_format() names them */
	MMSIM_TRACE_STR,	/* a string */
};

struct mmsim_trace_field {
	const char *name;
	enum mmsim_trace_type type;
	union {
		uint64_t u;
		int64_t s;
		const char *str;
	};
};

struct mmsim_trace_event {
	const char *system, *name;	/* "kmem", "mm_page_alloc" */
	uint64_t time_ns;		/* the machine's clock */
	unsigned int cpu;		/* the CPU it happened on */
	int pid;			/* the task running there (0: the idle task / boot) */
	const char *comm;
	unsigned int nr_fields;
	const struct mmsim_trace_field *fields;
};

typedef void (*mmsim_tracer_fn)(const struct mmsim_trace_event *event, void *arg);

/* Call @fn(event, @arg) at every trace event from now on; NULL stops tracing. */
MMSIM_API void mmsim_set_tracer(struct machine *m, mmsim_tracer_fn fn, void *arg);

MMSIM_END_DECLS

#endif /* MMSIM_TRACE_H */
