/* proc.c — the /proc and /proc/sys/vm files a scenario can read and write.
 *
 * Reading dispatches to the renderer that lives beside the mechanism (as in
 * the kernel: buddyinfo in mm/vmstat.c, meminfo in fs/proc/meminfo.c).
 * Writing a vm sysctl runs the same recomputation the kernel's handler runs. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"

static void sysctl_int_show(FILE *out, int v)
{
	fprintf(out, "%d\n", v);
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

int mmsim_proc_read(struct machine *m, const char *path, FILE *out)
{
	if (!strcmp(path, "/proc/buddyinfo"))
		proc_buddyinfo_show(m, out);
	else if (!strcmp(path, "/proc/pagetypeinfo"))
		proc_pagetypeinfo_show(m, out);
	else if (!strcmp(path, "/proc/zoneinfo"))
		proc_zoneinfo_show(m, out);
	else if (!strcmp(path, "/proc/meminfo"))
		proc_meminfo_show(m, out);
	else if (!strcmp(path, "/proc/vmallocinfo"))
		proc_vmallocinfo_show(m, out);
	else if (!strcmp(path, "/proc/slabinfo"))
		proc_slabinfo_show(m, out);
	else if (!strcmp(path, "/proc/vmstat"))
		proc_vmstat_show(m, out);
	else if (!strcmp(path, "/proc/sys/vm/min_free_kbytes"))
		sysctl_int_show(out, m->min_free_kbytes);
	else if (!strcmp(path, "/proc/sys/vm/watermark_scale_factor"))
		sysctl_int_show(out, m->watermark_scale_factor);
	else if (!strcmp(path, "/proc/sys/vm/lowmem_reserve_ratio"))
		lowmem_reserve_ratio_show(m, out);
	else
		return -MMSIM_ENOENT;
	return 0;
}

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

int mmsim_sysctl_write(struct machine *m, const char *path, const char *value)
{
	int v;

	if (!strcmp(path, "/proc/sys/vm/min_free_kbytes")) {
		if (parse_int(value, 0, INT_MAX, &v))
			return -MMSIM_EINVAL;
		m->min_free_kbytes = v;
		m->user_min_free_kbytes = v;
		setup_per_zone_wmarks(m);
		return 0;
	}
	if (!strcmp(path, "/proc/sys/vm/watermark_scale_factor")) {
		if (m->profile->wmark_algo == WMARK_ALGO_CLASSIC)
			return -MMSIM_ENOENT;	/* 4.6+ only */
		if (parse_int(value, 1, 3000, &v))
			return -MMSIM_EINVAL;
		m->watermark_scale_factor = v;
		setup_per_zone_wmarks(m);
		return 0;
	}
	if (!strcmp(path, "/proc/sys/vm/lowmem_reserve_ratio")) {
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
	return -MMSIM_ENOENT;
}
