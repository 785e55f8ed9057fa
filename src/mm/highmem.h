/* highmem.h (internal) — boot and inspection hooks of mm/highmem.c. */
#ifndef MMSIM_MM_HIGHMEM_H
#define MMSIM_MM_HIGHMEM_H

#include <stdio.h>

#include <mmsim/highmem.h>

struct machine;

/* paging_init(): page tables for the pkmap area and the fixmap (i386, from memblock). */
int kmap_init(struct machine *m);
void kmap_release(struct machine *m);
uint64_t pkmap_addr(const struct machine *m, unsigned int nr);
/* Virtual address of fixmap kmap slot idx (FIX_KMAP_BEGIN + idx). */
uint64_t kmap_fixmap_addr(const struct machine *m, unsigned int idx);
void kmap_stats_show(struct machine *m, FILE *out);
/* pkmap_count[nr]: 0 free, 1 unused but still mapped, n > 1 mapped n - 1 times; -1 without HighMem. */
int pkmap_slot_count(const struct machine *m, unsigned int nr);
/*
 * The bytes behind a kernel address, found through the kernel's page
 * tables (what a write to a kmap'd address reaches); NULL if unmapped.
 */
void *kmap_host(struct machine *m, kaddr_t vaddr);
/* Validator: pkmap_count agrees with the pkmap PTEs and the pages' slots. */
unsigned long kmap_verify(struct machine *m, FILE *out);

#endif /* MMSIM_MM_HIGHMEM_H */
