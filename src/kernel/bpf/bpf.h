/* bpf.h (internal) — the BPF programs the kernel loads for itself at boot. */
#ifndef MMSIM_KERNEL_BPF_BPF_H
#define MMSIM_KERNEL_BPF_BPF_H
#include "machine.h"

/*
 * bpf_prog_create() of a classic filter of @len instructions, as
 * ptp_classifier_init() makes one: the program's pages, then the runtime
 * (the JIT's code pack, or the interpreter with the program read-only).
 * 0, or -ENOMEM.
 */
int bpf_prog_create(struct machine *m, unsigned int len);

/* net/core/ptp_classifier.c's core_initcall: the PTP packet classifier. */
int ptp_classifier_init(struct machine *m);
#endif /* MMSIM_KERNEL_BPF_BPF_H */
