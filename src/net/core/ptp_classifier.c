/* ptp_classifier.c — the PTP packet classifier (net/core/ptp_classifier.c).
 *
 * sock_init() (a core_initcall) builds it on every boot: a classic BPF
 * filter that tells PTP event packets apart, turned into a BPF program by
 * bpf_prog_create(). It is the only BPF program a booted Debian kernel
 * holds before user space loads any, and its memory shows in
 * /proc/vmallocinfo and in the direct map's splits. */
#include "kernel/bpf/bpf.h"

/*
 * ptp_filter[]'s classic instructions (IPv4, IPv6 and L2 PTP, with and
 * without a VLAN tag). bpf_migrate_filter()'s eBPF form is longer, but
 * bpf_prog_realloc() keeps the first allocation while it still fits: one page.
 */
#define PTP_FILTER_LEN	66

int ptp_classifier_init(struct machine *m)
{
	if (!m->profile->boot_vmalloc.bpf_prog)
		return 0;
	return bpf_prog_create(m, PTP_FILTER_LEN);
}
