/* proc.c — the /proc files of a machine: one table of {path, show, write}.
 *
 * Reading a file runs its renderer, which lives beside the mechanism (as in
 * the kernel: buddyinfo in mm/vmstat.c, meminfo in fs/proc/meminfo.c).
 * Writing a vm sysctl runs the same recomputation the kernel's handler
 * runs (proc_dointvec_minmax and its post-write hook). A file the table
 * does not have is -ENOENT, as is one this kernel build lacks (classic has
 * no watermark_scale_factor). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "kernel/dma/dma.h"
#include "kernel/sched.h"
#include "mm.h"
#include "mm/cma.h"
#include "mm/compaction.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"

/* ---- /proc/sys/vm ---------------------------------------------------------------- */

/* proc_dointvec_minmax(): one decimal integer within [min, max]. */
static int parse_int(const char *s, long min, long max, int *out)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (errno || end == s || *end || v < min || v > max)
		return -MMSIM_EINVAL;
	*out = (int)v;
	return 0;
}

static void min_free_kbytes_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->min_free_kbytes);
}

static int min_free_kbytes_write(struct machine *m, const char *value)
{
	int v;

	if (parse_int(value, 0, INT_MAX, &v))
		return -MMSIM_EINVAL;
	m->min_free_kbytes = v;
	m->user_min_free_kbytes = v;
	setup_per_zone_wmarks(m);
	return 0;
}

static void watermark_scale_factor_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->watermark_scale_factor);
}

static int watermark_scale_factor_write(struct machine *m, const char *value)
{
	int v;

	if (parse_int(value, 1, 3000, &v))
		return -MMSIM_EINVAL;
	m->watermark_scale_factor = v;
	setup_per_zone_wmarks(m);
	return 0;
}

static void watermark_boost_factor_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->watermark_boost_factor);
}

/* Any int >= 0 (0: no boosting); the boosts in place stay until kswapd reclaims them. */
static int watermark_boost_factor_write(struct machine *m, const char *value)
{
	return parse_int(value, 0, INT_MAX, &m->watermark_boost_factor);
}

/* 4.6+: watermarks from watermark_scale_factor; the 2.6 kernels had no such file. */
static bool has_watermark_scale_factor(const struct machine *m)
{
	return m->profile->wmark_algo != WMARK_ALGO_CLASSIC;
}

static void lowmem_reserve_ratio_show(struct machine *m, FILE *out)
{
	bool first = true;

	/* Reading runs the handler too, which recomputes the reserves. */
	setup_per_zone_lowmem_reserve(m);
	for (int i = 0; i < __MAX_NR_ZONES; i++) {
		if (!m->node.node_zones[i].configured)
			continue;
		fprintf(out, "%s%d", first ? "" : "\t", m->lowmem_reserve_ratio[i]);
		first = false;
	}
	fputc('\n', out);
}

static int lowmem_reserve_ratio_write(struct machine *m, const char *value)
{
	int ratio[__MAX_NR_ZONES];
	const char *s = value;

	memcpy(ratio, m->lowmem_reserve_ratio, sizeof(ratio));
	for (int i = 0; i < __MAX_NR_ZONES && *s; i++) {
		if (!m->node.node_zones[i].configured)
			continue;
		char *end;
		errno = 0;
		long r = strtol(s, &end, 10);
		if (errno || end == s || r > INT_MAX || r < INT_MIN)
			return -MMSIM_EINVAL;
		ratio[i] = r < 1 ? 0 : (int)r;
		s = end;
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
	}
	if (*s)
		return -MMSIM_EINVAL;
	memcpy(m->lowmem_reserve_ratio, ratio, sizeof(ratio));
	setup_per_zone_lowmem_reserve(m);
	return 0;
}

/* proc_doulongvec_minmax() without bounds: one decimal unsigned long. */
static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-')
		return -MMSIM_EINVAL;
	unsigned long long v = strtoull(s, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (errno || end == s || *end || v > max)
		return -MMSIM_EINVAL;
	*out = (unsigned long)v;
	return 0;
}

/* ---- reclaim and swap (mm/vmscan.c, mm/swap.c, fs/drop_caches.c) -------------------- */

static void swappiness_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->swap->swappiness);
}

static int swappiness_write(struct machine *m, const char *value)
{
	return parse_int(value, 0, 200, &m->swap->swappiness);
}

static void page_cluster_show(struct machine *m, FILE *out)
{
	fprintf(out, "%u\n", m->swap->page_cluster);
}

static int page_cluster_write(struct machine *m, const char *value)
{
	int v;

	if (parse_int(value, 0, INT_MAX, &v))
		return -MMSIM_EINVAL;
	m->swap->page_cluster = (unsigned int)v;
	return 0;
}

/* drop_caches is mode 0200: not even root may read it (checked under QEMU). */
static int drop_caches_write(struct machine *m, const char *value)
{
	int v;

	if (parse_int(value, 1, 4, &v))
		return -MMSIM_EINVAL;
	drop_caches(m, v);
	return 0;
}

/* ---- compaction (mm/compaction.c) ------------------------------------------------------ */

/*
 * compact_memory (0200, write-only like drop_caches): 6.1's handler does
 * not even parse what is written — any write compacts every zone (0, 2
 * and "x" did so in the real kernel under QEMU).
 */
static int compact_memory_write(struct machine *m, const char *value)
{
	(void)value;
	compact_nodes(m);
	return 0;
}

static void compaction_proactiveness_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->vm.compaction_proactiveness);
}

/* A non-zero value written wakes kcompactd for a proactive check at once. */
static int compaction_proactiveness_write(struct machine *m, const char *value)
{
	int rc = parse_int(value, 0, 100, &m->vm.compaction_proactiveness);

	if (!rc && m->vm.compaction_proactiveness)
		kcompactd_trigger_proactive(m);
	return rc;
}

static void extfrag_threshold_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->vm.extfrag_threshold);
}

static int extfrag_threshold_write(struct machine *m, const char *value)
{
	return parse_int(value, 0, 1000, &m->vm.extfrag_threshold);
}

static void compact_unevictable_allowed_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->vm.compact_unevictable_allowed);
}

static int compact_unevictable_allowed_write(struct machine *m, const char *value)
{
	return parse_int(value, 0, 1, &m->vm.compact_unevictable_allowed);
}

/* The user-memory sysctls (mm/util.c, mm/mmap.c, security/min_addr.c). */
static void overcommit_memory_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->vm.overcommit_memory);
}

static int overcommit_memory_write(struct machine *m, const char *value)
{
	int v;

	if (parse_int(value, 0, 2, &v))
		return -MMSIM_EINVAL;
	overcommit_policy_set(m, v);
	return 0;
}

static void overcommit_ratio_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->vm.overcommit_ratio);
}

/* overcommit_ratio_handler(): any int; setting it clears overcommit_kbytes. */
static int overcommit_ratio_write(struct machine *m, const char *value)
{
	if (parse_int(value, INT_MIN, INT_MAX, &m->vm.overcommit_ratio))
		return -MMSIM_EINVAL;
	m->vm.overcommit_kbytes = 0;
	return 0;
}

static void overcommit_kbytes_show(struct machine *m, FILE *out)
{
	fprintf(out, "%lu\n", m->vm.overcommit_kbytes);
}

/* overcommit_kbytes_handler(): and the other way round. */
static int overcommit_kbytes_write(struct machine *m, const char *value)
{
	if (parse_ulong(value, ULONG_MAX, &m->vm.overcommit_kbytes))
		return -MMSIM_EINVAL;
	m->vm.overcommit_ratio = 0;
	return 0;
}

static void max_map_count_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->vm.max_map_count);
}

static int max_map_count_write(struct machine *m, const char *value)
{
	return parse_int(value, 0, INT_MAX, &m->vm.max_map_count);
}

/* mm/oom_kill.c's vm_oom_kill_table: panic_on_oom is 0..2 (proc_dointvec_minmax), the others any int. */
static void panic_on_oom_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->vm.panic_on_oom);
}

static int panic_on_oom_write(struct machine *m, const char *value)
{
	return parse_int(value, 0, 2, &m->vm.panic_on_oom);
}

static void oom_kill_allocating_task_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->vm.oom_kill_allocating_task);
}

static int oom_kill_allocating_task_write(struct machine *m, const char *value)
{
	return parse_int(value, INT_MIN, INT_MAX, &m->vm.oom_kill_allocating_task);
}

static void oom_dump_tasks_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->vm.oom_dump_tasks);
}

static int oom_dump_tasks_write(struct machine *m, const char *value)
{
	return parse_int(value, INT_MIN, INT_MAX, &m->vm.oom_dump_tasks);
}

static void legacy_va_layout_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->vm.legacy_va_layout);
}

static int legacy_va_layout_write(struct machine *m, const char *value)
{
	return parse_int(value, 0, INT_MAX, &m->vm.legacy_va_layout);
}

static void mmap_min_addr_show(struct machine *m, FILE *out)
{
	fprintf(out, "%" PRIu64 "\n", m->vm.mmap_min_addr);
}

/* The writer is root (CAP_SYS_RAWIO). Without an LSM floor, what is written is the limit. */
static int mmap_min_addr_write(struct machine *m, const char *value)
{
	unsigned long v;

	if (parse_ulong(value, ULONG_MAX, &v))
		return -MMSIM_EINVAL;
	m->vm.mmap_min_addr = v;
	return 0;
}

static void user_reserve_kbytes_show(struct machine *m, FILE *out)
{
	fprintf(out, "%lu\n", m->vm.user_reserve_kbytes);
}

static int user_reserve_kbytes_write(struct machine *m, const char *value)
{
	return parse_ulong(value, ULONG_MAX, &m->vm.user_reserve_kbytes);
}

static void admin_reserve_kbytes_show(struct machine *m, FILE *out)
{
	fprintf(out, "%lu\n", m->vm.admin_reserve_kbytes);
}

static int admin_reserve_kbytes_write(struct machine *m, const char *value)
{
	return parse_ulong(value, ULONG_MAX, &m->vm.admin_reserve_kbytes);
}

/*
 * kernel.pid_max, as pid_idr_init() set it at boot (kernel/sched.c keeps
 * it, and alloc_pid wraps below it). ps sizes its PID columns by this
 * number's length.
 */
static void pid_max_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->sched->pid_max);
}

/* kernel.randomize_va_space: 2 (stack, mmap, brk randomized), 0 after norandmaps. */
static void randomize_va_space_show(struct machine *m, FILE *out)
{
	fprintf(out, "%d\n", m->randomize_va_space);
}

static int randomize_va_space_write(struct machine *m, const char *value)
{
	return parse_int(value, 0, 2, &m->randomize_va_space);
}

/* ---- /proc/stat, /proc/uptime, /proc/cmdline (fs/proc/stat.c, uptime.c, cmdline.c) --- */

/* nsec_to_clock_t(): USER_HZ (100) ticks. */
static unsigned long long clock_t_of(uint64_t ns)
{
	return (unsigned long long)(ns / 10000000ULL);
}

/*
 * show_stat(): the CPU times (only system and idle are ever spent here:
 * the scenario's commands are kernel code, and a CPU not running one is
 * idle), the timer interrupts busy CPUs take (NO_HZ_IDLE: idle CPUs take
 * none; there are no devices), context switches, the boot time, forks and
 * runnable tasks. The per-IRQ counts and the softirq line are not modelled.
 *
 * btime is getboottime64(): the wall-clock time at boot, in seconds since
 * the epoch. The simulated machine has no RTC to read it from, so its wall
 * clock starts at the epoch: btime is 0, and "now" is btime + uptime —
 * which is what ps computes START and STIME from (and vmstat -s prints as
 * "boot time").
 */
static void stat_show(struct machine *m, FILE *out)
{
	const struct kernel_cpustat *cs = m->sched->cpustat;
	uint64_t busy = 0, idle = 0;
	unsigned long long ticks = 0;

	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		busy += cs[cpu].system_ns;
		idle += m->clock_ns - cs[cpu].system_ns;
		ticks += cs[cpu].ticks;
	}
	fprintf(out, "cpu  0 0 %llu %llu 0 0 0 0 0 0\n", clock_t_of(busy), clock_t_of(idle));
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		fprintf(out, "cpu%u 0 0 %llu %llu 0 0 0 0 0 0\n", cpu, clock_t_of(cs[cpu].system_ns),
			clock_t_of(m->clock_ns - cs[cpu].system_ns));
	fprintf(out, "intr %llu\n", ticks);
	fprintf(out, "ctxt %lu\n", m->sched->switches);
	fprintf(out, "btime %d\n", 0);
	unsigned int running = m->sched->init_task.state == TASK_RUNNING, forks = 1;
	for (struct task_struct *t = NULL; (t = next_task(m, t));) {
		forks++;
		running += t->state == TASK_RUNNING;
	}
	fprintf(out, "processes %u\n", forks);
	fprintf(out, "procs_running %u\n", running);
	/* nr_iowait(): tasks asleep on I/O; a kmap or completion sleep is not one. */
	fprintf(out, "procs_blocked 0\n");
}

/* uptime_proc_show(): seconds since boot, and the idle time summed over CPUs. */
static void uptime_show(struct machine *m, FILE *out)
{
	uint64_t idle = 0;

	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		idle += m->clock_ns - m->sched->cpustat[cpu].system_ns;
	fprintf(out, "%llu.%02llu %llu.%02llu\n", (unsigned long long)(m->clock_ns / 1000000000ULL),
		(unsigned long long)(m->clock_ns / 10000000ULL % 100),
		(unsigned long long)(idle / 1000000000ULL),
		(unsigned long long)(idle / 10000000ULL % 100));
}

static void cmdline_show(struct machine *m, FILE *out)
{
	fprintf(out, "%s\n", m->desc.cmdline ? m->desc.cmdline : "");
}

/*
 * mm/cma_debug.c's files of the default area, "reserved" (debugfs, as
 * mounted at /sys/kernel/debug): only in a CONFIG_CMA kernel with one.
 */
static bool cma_debugfs_present(const struct machine *m)
{
	return cma_find((struct machine *)m, "reserved") != NULL;
}

#define CMA_DEBUGFS_FILE(file)								\
static void cma_##file##_show(struct machine *m, FILE *out)				\
{											\
	cma_debugfs_show(m, "reserved", #file, out);					\
}
CMA_DEBUGFS_FILE(base_pfn)
CMA_DEBUGFS_FILE(bitmap)
CMA_DEBUGFS_FILE(count)
CMA_DEBUGFS_FILE(maxchunk)
CMA_DEBUGFS_FILE(order_per_bit)
CMA_DEBUGFS_FILE(used)

/* ---- the table ------------------------------------------------------------------- */

struct proc_file {
	const char *path;
	void (*show)(struct machine *m, FILE *out);		/* NULL: write only */
	int (*write)(struct machine *m, const char *value);	/* NULL: read only */
	bool (*present)(const struct machine *m);		/* NULL: on every machine */
};

/* Sorted by path, as a directory listing shows them. */
static const struct proc_file proc_files[] = {
	{ "/proc/buddyinfo", proc_buddyinfo_show, NULL, NULL },
	{ "/proc/cmdline", cmdline_show, NULL, NULL },
	{ "/proc/meminfo", proc_meminfo_show, NULL, NULL },
	{ "/proc/pagetypeinfo", proc_pagetypeinfo_show, NULL, NULL },
	{ "/proc/slabinfo", proc_slabinfo_show, NULL, NULL },
	{ "/proc/stat", stat_show, NULL, NULL },
	{ "/proc/swaps", proc_swaps_show, NULL, NULL },
	{ "/proc/sys/kernel/pid_max", pid_max_show, NULL, NULL },
	{ "/proc/sys/kernel/randomize_va_space", randomize_va_space_show, randomize_va_space_write,
	  NULL },
	{ "/proc/sys/vm/admin_reserve_kbytes", admin_reserve_kbytes_show, admin_reserve_kbytes_write,
	  NULL },
	{ "/proc/sys/vm/compact_memory", NULL, compact_memory_write, NULL },
	{ "/proc/sys/vm/compact_unevictable_allowed", compact_unevictable_allowed_show,
	  compact_unevictable_allowed_write, NULL },
	{ "/proc/sys/vm/compaction_proactiveness", compaction_proactiveness_show,
	  compaction_proactiveness_write, NULL },
	{ "/proc/sys/vm/drop_caches", NULL, drop_caches_write, NULL },
	{ "/proc/sys/vm/extfrag_threshold", extfrag_threshold_show, extfrag_threshold_write, NULL },
	{ "/proc/sys/vm/legacy_va_layout", legacy_va_layout_show, legacy_va_layout_write, NULL },
	{ "/proc/sys/vm/lowmem_reserve_ratio", lowmem_reserve_ratio_show, lowmem_reserve_ratio_write,
	  NULL },
	{ "/proc/sys/vm/max_map_count", max_map_count_show, max_map_count_write, NULL },
	{ "/proc/sys/vm/min_free_kbytes", min_free_kbytes_show, min_free_kbytes_write, NULL },
	{ "/proc/sys/vm/mmap_min_addr", mmap_min_addr_show, mmap_min_addr_write, NULL },
	{ "/proc/sys/vm/oom_dump_tasks", oom_dump_tasks_show, oom_dump_tasks_write, NULL },
	{ "/proc/sys/vm/oom_kill_allocating_task", oom_kill_allocating_task_show,
	  oom_kill_allocating_task_write, NULL },
	{ "/proc/sys/vm/overcommit_kbytes", overcommit_kbytes_show, overcommit_kbytes_write, NULL },
	{ "/proc/sys/vm/overcommit_memory", overcommit_memory_show, overcommit_memory_write, NULL },
	{ "/proc/sys/vm/overcommit_ratio", overcommit_ratio_show, overcommit_ratio_write, NULL },
	{ "/proc/sys/vm/page-cluster", page_cluster_show, page_cluster_write, NULL },
	{ "/proc/sys/vm/panic_on_oom", panic_on_oom_show, panic_on_oom_write, NULL },
	{ "/proc/sys/vm/swappiness", swappiness_show, swappiness_write, NULL },
	{ "/proc/sys/vm/user_reserve_kbytes", user_reserve_kbytes_show, user_reserve_kbytes_write,
	  NULL },
	{ "/proc/sys/vm/watermark_boost_factor", watermark_boost_factor_show,
	  watermark_boost_factor_write, has_watermark_scale_factor },
	{ "/proc/sys/vm/watermark_scale_factor", watermark_scale_factor_show,
	  watermark_scale_factor_write, has_watermark_scale_factor },
	{ "/proc/uptime", uptime_show, NULL, NULL },
	{ "/proc/vmallocinfo", proc_vmallocinfo_show, NULL, NULL },
	{ "/proc/vmstat", proc_vmstat_show, NULL, NULL },
	{ "/proc/zoneinfo", proc_zoneinfo_show, NULL, NULL },
	/* sysfs's memory files, which programs read beside /proc's, and debugfs's */
	{ "/sys/kernel/debug/cma/reserved/base_pfn", cma_base_pfn_show, NULL, cma_debugfs_present },
	{ "/sys/kernel/debug/cma/reserved/bitmap", cma_bitmap_show, NULL, cma_debugfs_present },
	{ "/sys/kernel/debug/cma/reserved/count", cma_count_show, NULL, cma_debugfs_present },
	{ "/sys/kernel/debug/cma/reserved/maxchunk", cma_maxchunk_show, NULL, cma_debugfs_present },
	{ "/sys/kernel/debug/cma/reserved/order_per_bit", cma_order_per_bit_show, NULL,
	  cma_debugfs_present },
	{ "/sys/kernel/debug/cma/reserved/used", cma_used_show, NULL, cma_debugfs_present },
	{ "/sys/kernel/debug/extfrag/extfrag_index", extfrag_index_show, NULL, NULL },
	{ "/sys/kernel/debug/extfrag/unusable_index", unusable_index_show, NULL, NULL },
	{ "/sys/kernel/debug/swiotlb/io_tlb_nslabs", swiotlb_nslabs_show, NULL, swiotlb_debugfs_present },
	{ "/sys/kernel/debug/swiotlb/io_tlb_used", swiotlb_used_show, NULL, swiotlb_debugfs_present },
	{ "/sys/kernel/mm/transparent_hugepage/defrag", thp_defrag_show, NULL, thp_sysfs_present },
	{ "/sys/kernel/mm/transparent_hugepage/enabled", thp_enabled_show, NULL, thp_sysfs_present },
	{ "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", thp_hpage_pmd_size_show, NULL,
	  thp_sysfs_present },
	{ "/sys/kernel/mm/transparent_hugepage/use_zero_page", thp_use_zero_page_show, NULL,
	  thp_sysfs_present },
};

static const struct proc_file *proc_find(const struct machine *m, const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(proc_files); i++)
		if (!strcmp(proc_files[i].path, path))
			return !proc_files[i].present || proc_files[i].present(m) ? &proc_files[i]
										   : NULL;
	return NULL;
}

int mmsim_proc_read(struct machine *m, const char *path, FILE *out)
{
	const struct proc_file *f = proc_find(m, path);

	if (!f)
		return proc_pid_read(m, path, out);
	if (!f->show)
		return -MMSIM_EACCES;	/* write-only (mode 0200) */
	f->show(m, out);
	return 0;
}

int mmsim_proc_write(struct machine *m, const char *path, const char *value)
{
	const struct proc_file *f = proc_find(m, path);

	if (!f)
		return proc_pid_write(m, path, value);
	if (!f->write)
		return -MMSIM_EACCES;
	return f->write(m, value);
}

const char *mmsim_proc_path(const struct machine *m, size_t *pos, bool *writable)
{
	while (*pos < ARRAY_SIZE(proc_files)) {
		const struct proc_file *f = &proc_files[(*pos)++];
		if (f->present && !f->present(m))
			continue;
		if (writable)
			*writable = f->write != NULL;
		return f->path;
	}
	/* Then the processes' directories. */
	size_t sub = *pos - ARRAY_SIZE(proc_files);
	const char *path = proc_pid_path(m, &sub, writable);
	*pos = ARRAY_SIZE(proc_files) + sub;
	return path;
}
