/* iommu.c — the IOMMU hardware and its driver's page-table half (as
 * drivers/iommu/intel/iommu.c drives VT-d): per-device domains, their I/O
 * page tables in simulated RAM, the IOTLB in front of them, and the fault
 * a device takes on an address with no translation.
 *
 * Page tables: VT-d's second-level format, 4 levels of 512 8-byte entries
 * translating a 48-bit IOVA (level 4 indexes bits 47-39 ... level 1 bits
 * 20-12). Bit 0 of an entry allows reads, bit 1 writes; bits 12-51 hold
 * the next table or, at level 1, the page. Every table is a page from the
 * buddy allocator (alloc_pgtable_page: zeroed, GFP_ATOMIC), so the tables
 * cost real memory and show in the machine's counts. Only 4 KiB leaves are
 * made (the driver would use 2 MiB ones for large aligned runs). Unmapping
 * clears leaves and frees every table the range covers entirely
 * (dma_pte_clear_level's freelist), then invalidates the IOTLB.
 *
 * IOTLB: IOTLB_ENTRIES translations per domain, least recently used one
 * replaced, counted as hits and misses; a miss walks the tables. Strict
 * invalidation (iommu.strict=1; Debian's default is lazy, with a flush
 * queue that delays it): every unmap drops the range's entries at once.
 *
 * Faults: an access with no present entry, or without the permission it
 * needs, is blocked and logged as the VT-d driver logs a primary fault
 * (dmar_fault / dmar_fault_do_one, 6.1 wording):
 *   DMAR: DRHD: handling fault status reg 2
 *   DMAR: [DMA Read NO_PASID] Request device [01:00.0] fault addr 0x1000
 *         [fault reason 0x06] PTE Read access is not set
 * rate limited as the driver's (DEFAULT_RATELIMIT). An address above the
 * 48 bits the tables cover is reason 0x04, "Access beyond MGAW". */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>

#include "drivers/iommu/iommu.h"
#include "mm.h"

static uint64_t *table_entry(struct machine *m, phys_addr_t table, unsigned int index)
{
	return (uint64_t *)(m->ram + table) + index;
}

static unsigned int level_index(uint64_t iova, int level)
{
	return (unsigned int)((iova >> (PAGE_SHIFT + 9 * (level - 1))) & 511);
}

/* alloc_pgtable_page(): a zeroed page for a table; its physical address, 0 if none. */
static phys_addr_t alloc_pgtable_page(struct machine *m, struct iommu_domain *domain)
{
	struct page *page = alloc_pages(m, GFP_ATOMIC | __GFP_ZERO, 0);

	if (!page)
		return 0;
	memset(page_host_address(m, page), 0, PAGE_SIZE);
	domain->pgtable_pages++;
	return PFN_PHYS(page_to_pfn(m, page));
}

static void free_pgtable_page(struct machine *m, struct iommu_domain *domain, phys_addr_t table)
{
	__free_pages(m, pfn_to_page(m, PFN_DOWN(table)), 0);
	domain->pgtable_pages--;
}

/*
 * A domain for @dev: its IOVA space from pfn 1 (IOVA 0 is never handed
 * out) with the interrupt window 0xfee00000-0xfeefffff reserved, as the
 * VT-d driver reserves IOAPIC_RANGE, and an empty top-level table.
 */
struct iommu_domain *iommu_domain_alloc(struct machine *m, struct device *dev)
{
	struct iommu_domain *domain = calloc(1, sizeof(*domain));

	if (!domain)
		return NULL;
	domain->dev = dev;
	domain->pgd = alloc_pgtable_page(m, domain);
	if (!domain->pgd) {
		free(domain);
		return NULL;
	}
	init_iova_domain(&domain->iovad, 1);
	if (!reserve_iova(&domain->iovad, 0xfee00000UL >> PAGE_SHIFT, 0xfeefffffUL >> PAGE_SHIFT)) {
		put_iova_domain(&domain->iovad);
		free_pgtable_page(m, domain, domain->pgd);
		free(domain);
		return NULL;
	}
	return domain;
}

static void free_tables(struct machine *m, struct iommu_domain *domain, phys_addr_t table, int level)
{
	if (level > 1)
		for (unsigned int i = 0; i < 512; i++) {
			uint64_t pte = *table_entry(m, table, i);
			if (pte & (DMA_PTE_READ | DMA_PTE_WRITE))
				free_tables(m, domain, pte & VTD_PAGE_MASK, level - 1);
		}
	free_pgtable_page(m, domain, table);
}

void iommu_domain_free(struct machine *m, struct iommu_domain *domain)
{
	if (!domain)
		return;
	free_tables(m, domain, domain->pgd, VTD_LEVELS);
	put_iova_domain(&domain->iovad);
	free(domain);
}

/* The leaf entry for @iova, made with its tables if @alloc; NULL without them. */
static uint64_t *pfn_to_dma_pte(struct machine *m, struct iommu_domain *domain, uint64_t iova,
				bool alloc)
{
	phys_addr_t table = domain->pgd;

	for (int level = VTD_LEVELS; level > 1; level--) {
		uint64_t *pte = table_entry(m, table, level_index(iova, level));
		if (!(*pte & (DMA_PTE_READ | DMA_PTE_WRITE))) {
			if (!alloc)
				return NULL;
			phys_addr_t next = alloc_pgtable_page(m, domain);
			if (!next)
				return NULL;
			/* Intermediate entries allow both: the leaf decides. */
			*pte = next | DMA_PTE_READ | DMA_PTE_WRITE;
		}
		table = *pte & VTD_PAGE_MASK;
	}
	return table_entry(m, table, level_index(iova, 1));
}

uint64_t iommu_walk(struct machine *m, struct iommu_domain *domain, uint64_t iova)
{
	if (iova >> VTD_AGAW_BITS)
		return 0;
	uint64_t *pte = pfn_to_dma_pte(m, domain, iova, false);
	return pte ? *pte : 0;
}

static void iotlb_invalidate(struct iommu_domain *domain, uint64_t iova, size_t size)
{
	unsigned long first = iova >> PAGE_SHIFT, last = (iova + size - 1) >> PAGE_SHIFT;

	for (unsigned int i = 0; i < IOTLB_ENTRIES; i++) {
		struct iotlb_entry *t = &domain->iotlb[i];
		if (t->last_use && t->iova_pfn >= first && t->iova_pfn <= last) {
			t->last_use = 0;
			domain->iotlb_invalidations++;
		}
	}
}

/*
 * dma_pte_clear_level(): clear [first, last] under @table; a lower table
 * the range covers from end to end is freed whole, others are recursed into.
 */
static void clear_level(struct machine *m, struct iommu_domain *domain, phys_addr_t table,
			int level, unsigned long first, unsigned long last, unsigned long table_base)
{
	unsigned long span = 1UL << (9 * (level - 1));	/* pfns one entry covers */
	unsigned int from = first > table_base ? (unsigned int)((first - table_base) / span) : 0;
	unsigned int to = (last - table_base) / span < 511 ? (unsigned int)((last - table_base) / span) : 511;

	/* Only the entries the range touches (dma_pte_clear_level walks the same way). */
	for (unsigned int i = from; i <= to; i++) {
		unsigned long lo = table_base + i * span, hi = lo + span - 1;
		uint64_t *pte = table_entry(m, table, i);
		if (!(*pte & (DMA_PTE_READ | DMA_PTE_WRITE)))
			continue;
		if (level == 1) {
			*pte = 0;
			domain->pages_unmapped++;
			continue;
		}
		if (first <= lo && hi <= last) {
			/* Leaves first: count what goes. */
			clear_level(m, domain, *pte & VTD_PAGE_MASK, level - 1, lo, hi, lo);
			free_pgtable_page(m, domain, *pte & VTD_PAGE_MASK);
			*pte = 0;
		} else {
			clear_level(m, domain, *pte & VTD_PAGE_MASK, level - 1, first, last, lo);
		}
	}
}

void iommu_unmap(struct machine *m, struct iommu_domain *domain, uint64_t iova, size_t size)
{
	if (!size)
		return;
	unsigned long first = iova >> PAGE_SHIFT, last = (iova + size - 1) >> PAGE_SHIFT;
	clear_level(m, domain, domain->pgd, VTD_LEVELS, first, last, 0);
	iotlb_invalidate(domain, iova, size);	/* strict: before the IOVA can be reused */
}

int iommu_map(struct machine *m, struct iommu_domain *domain, uint64_t iova, phys_addr_t phys,
	      size_t size, unsigned int prot)
{
	uint64_t bits = (prot & IOMMU_READ ? DMA_PTE_READ : 0) | (prot & IOMMU_WRITE ? DMA_PTE_WRITE : 0);

	if ((iova | phys | size) & (PAGE_SIZE - 1) || (iova + size - 1) >> VTD_AGAW_BITS)
		return -MMSIM_EINVAL;
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t *pte = pfn_to_dma_pte(m, domain, iova + off, true);
		if (!pte) {
			iommu_unmap(m, domain, iova, off);
			return -MMSIM_ENOMEM;
		}
		*pte = ((phys + off) & VTD_PAGE_MASK) | bits;
		domain->pages_mapped++;
	}
	return 0;
}

static const char *const fault_reasons[] = {
	"Software",
	"Present bit in root entry is clear",
	"Present bit in context entry is clear",
	"Invalid context entry",
	"Access beyond MGAW",
	"PTE Write access is not set",
	"PTE Read access is not set",
};

static void dmar_fault(struct machine *m, struct device *dev, uint64_t iova, bool write, unsigned int reason)
{
	struct iommu_state *is = m->dma->iommu;

	dev->domain->faults++;
	is->faults++;
	if (!__ratelimit(m, &is->fault_rs, "dmar_fault"))
		return;
	/* Primary Pending Fault (bit 1) in the fault status register. */
	pr_err(m, "DMAR: DRHD: handling fault status reg %x\n", 2);
	pr_err(m, "DMAR: [%s NO_PASID] Request device [%02x:%02x.%d] fault addr 0x%" PRIx64
	       " [fault reason 0x%02x] %s\n", write ? "DMA Write" : "DMA Read", dev->source_id >> 8,
	       (dev->source_id >> 3) & 0x1f, dev->source_id & 7, iova & ~(uint64_t)(PAGE_SIZE - 1),
	       reason, fault_reasons[reason]);
}

/*
 * What the IOMMU does with one access of the device: the IOTLB first,
 * then a table walk that fills it. False (the access blocked) after the
 * fault is logged.
 */
bool iommu_translate(struct machine *m, struct device *dev, dma_addr_t iova, bool write,
		     phys_addr_t *phys)
{
	struct iommu_domain *domain = dev->domain;
	unsigned long iova_pfn = iova >> PAGE_SHIFT;
	unsigned int need = write ? IOMMU_WRITE : IOMMU_READ;
	struct iotlb_entry *victim = &domain->iotlb[0];

	if (iova >> VTD_AGAW_BITS) {
		dmar_fault(m, dev, iova, write, 4);
		return false;
	}
	for (unsigned int i = 0; i < IOTLB_ENTRIES; i++) {
		struct iotlb_entry *t = &domain->iotlb[i];
		if (t->last_use && t->iova_pfn == iova_pfn) {
			domain->iotlb_hits++;
			t->last_use = ++domain->iotlb_clock;
			if (!(t->perm & need)) {
				dmar_fault(m, dev, iova, write, write ? 5 : 6);
				return false;
			}
			*phys = PFN_PHYS(t->pfn) + (iova & (PAGE_SIZE - 1));
			return true;
		}
		if (t->last_use < victim->last_use)
			victim = t;
	}
	domain->iotlb_misses++;
	uint64_t pte = iommu_walk(m, domain, iova);
	unsigned int perm = (pte & DMA_PTE_READ ? IOMMU_READ : 0) | (pte & DMA_PTE_WRITE ? IOMMU_WRITE : 0);
	if (!(perm & need)) {
		dmar_fault(m, dev, iova, write, write ? 5 : 6);
		return false;
	}
	victim->iova_pfn = iova_pfn;
	victim->pfn = PFN_DOWN(pte & VTD_PAGE_MASK);
	victim->perm = perm;
	victim->last_use = ++domain->iotlb_clock;
	*phys = (pte & VTD_PAGE_MASK) + (iova & (PAGE_SIZE - 1));
	return true;
}

/* ---- attach, show, verify, release ------------------------------------------------ */

int iommu_attach_device(struct machine *m, struct device *dev)
{
	struct dma_state *ds = dma_state(m);

	if (!ds)
		return -MMSIM_ENOMEM;
	if (dev->domain || dev->nr_entries || dev->nr_pools)
		return -MMSIM_EBUSY;	/* its mappings were made without the IOMMU */
	if (!ds->iommu) {
		ds->iommu = calloc(1, sizeof(*ds->iommu));
		if (!ds->iommu)
			return -MMSIM_ENOMEM;
	}
	dev->domain = iommu_domain_alloc(m, dev);
	if (!dev->domain)
		return -MMSIM_ENOMEM;
	ds->iommu->nr_domains++;
	return 0;
}

void iommu_domain_show(struct machine *m, struct device *dev, FILE *out)
{
	struct iommu_domain *d = dev->domain;
	unsigned int cached = 0;

	(void)m;
	for (unsigned int i = 0; i < IOTLB_ENTRIES; i++)
		cached += d->iotlb[i].last_use != 0;
	fprintf(out, "  iommu domain: %lu IOVA ranges, %lu page-table pages, pages mapped %lu unmapped "
		"%lu, IOTLB %u/%u entries, hits %lu misses %lu invalidations %lu, faults %lu\n",
		d->iovad.nr_iovas, d->pgtable_pages, d->pages_mapped, d->pages_unmapped, cached,
		IOTLB_ENTRIES, d->iotlb_hits, d->iotlb_misses, d->iotlb_invalidations, d->faults);
	for (struct rb_node *n = rb_first(&d->iovad.rbroot); n; n = rb_next(n)) {
		struct iova *iova = rb_entry(n, struct iova, node);
		if (iova == &d->iovad.anchor)
			continue;
		fprintf(out, "    iova %#014" PRIx64 "-%#014" PRIx64 "%s\n", (uint64_t)iova->pfn_lo << PAGE_SHIFT,
			((uint64_t)(iova->pfn_hi + 1) << PAGE_SHIFT) - 1, iova->reserved ? " reserved" : "");
	}
}

/* Tables reachable from the top, counted; a leaf's page must be memory. */
static unsigned long count_tables(struct machine *m, phys_addr_t table, int level, unsigned long *leaves)
{
	unsigned long n = 1;

	for (unsigned int i = 0; i < 512; i++) {
		uint64_t pte = *table_entry(m, table, i);
		if (!(pte & (DMA_PTE_READ | DMA_PTE_WRITE)))
			continue;
		if (level > 1)
			n += count_tables(m, pte & VTD_PAGE_MASK, level - 1, leaves);
		else
			(*leaves)++;
	}
	return n;
}

/*
 * The validator, per domain: the IOVA tree (iova_verify); every page of
 * every allocated (not reserved) IOVA range has a leaf entry, and there
 * are no leaves outside them; the tables counted are the tables held;
 * every valid IOTLB entry agrees with the tables.
 */
unsigned long iommu_verify(struct machine *m, FILE *out)
{
	unsigned long bad = 0;

	if (!m->dma || !m->dma->iommu)
		return 0;
	for (unsigned int i = 0; i < MMSIM_MAX_DMA_DEVICES; i++) {
		struct device *dev = m->dma->devices[i];
		if (!dev || !dev->domain)
			continue;
		struct iommu_domain *d = dev->domain;
		bad += iova_verify(&d->iovad, dev->name, out);
		/*
		 * Each live mapping: its IOVA range is allocated (whole), its
		 * pages are mapped there and in use. A range may be larger than
		 * what is mapped in it (rounded to a power of two), never smaller.
		 */
		unsigned long mapped = 0, ranges = 0, leaves = 0;
		for (unsigned int j = 0; j < dev->nr_entries; j++) {
			const struct dma_map_entry *e = &dev->entries[j];
			dma_addr_t base = e->dev_addr & ~(dma_addr_t)(PAGE_SIZE - 1);
			struct iova *iova = find_iova(&d->iovad, base >> PAGE_SHIFT);
			if (!iova || iova->reserved || iova->pfn_lo != base >> PAGE_SHIFT ||
			    iova->pfn_hi < (base >> PAGE_SHIFT) + e->nr_pages - 1) {
				fprintf(out, "iommu: %s: mapping at IOVA %#" PRIx64 " (%u pages) has no IOVA range "
					"of its own\n", dev->name, base, e->nr_pages);
				bad++;
				continue;
			}
			for (unsigned int p = 0; p < e->nr_pages; p++) {
				if (!e->pages[p])
					continue;	/* map_sg's padding */
				mapped++;
				uint64_t pte = iommu_walk(m, d, base + ((uint64_t)p << PAGE_SHIFT));
				unsigned long pfn = page_to_pfn(m, e->pages[p]);
				if (!(pte & (DMA_PTE_READ | DMA_PTE_WRITE)) ||
				    PFN_DOWN(pte & VTD_PAGE_MASK) != pfn || dma_pfn_free(m, pfn)) {
					fprintf(out, "iommu: %s: IOVA %#" PRIx64 " should map pfn %#lx (in use), "
						"its entry is %#" PRIx64 "\n", dev->name,
						base + ((uint64_t)p << PAGE_SHIFT), pfn, pte);
					bad++;
					break;
				}
			}
		}
		for (struct rb_node *n = rb_first(&d->iovad.rbroot); n; n = rb_next(n)) {
			struct iova *iova = rb_entry(n, struct iova, node);
			ranges += iova != &d->iovad.anchor && !iova->reserved;
		}
		unsigned long tables = count_tables(m, d->pgd, VTD_LEVELS, &leaves);
		if (tables != d->pgtable_pages || leaves != mapped || ranges != dev->nr_entries) {
			fprintf(out, "iommu: %s: %lu page-table pages reachable (%lu held), %lu leaf entries "
				"for %lu mapped pages, %lu IOVA ranges for %u mappings\n", dev->name, tables,
				d->pgtable_pages, leaves, mapped, ranges, dev->nr_entries);
			bad++;
		}
		for (unsigned int t = 0; t < IOTLB_ENTRIES; t++) {
			const struct iotlb_entry *e = &d->iotlb[t];
			if (!e->last_use)
				continue;
			uint64_t pte = iommu_walk(m, d, (uint64_t)e->iova_pfn << PAGE_SHIFT);
			unsigned int perm = (pte & DMA_PTE_READ ? IOMMU_READ : 0) |
					    (pte & DMA_PTE_WRITE ? IOMMU_WRITE : 0);
			if (!perm || PFN_DOWN(pte & VTD_PAGE_MASK) != e->pfn || perm != e->perm) {
				fprintf(out, "iommu: %s: IOTLB entry for IOVA %#" PRIx64 " (pfn %#lx) disagrees "
					"with the page tables\n", dev->name, (uint64_t)e->iova_pfn << PAGE_SHIFT,
					e->pfn);
				bad++;
			}
		}
	}
	return bad;
}

void iommu_release(struct machine *m)
{
	if (!m->dma || !m->dma->iommu)
		return;
	for (unsigned int i = 0; i < MMSIM_MAX_DMA_DEVICES; i++) {
		struct device *dev = m->dma->devices[i];
		if (dev && dev->domain) {
			put_iova_domain(&dev->domain->iovad);
			free(dev->domain);	/* the tables are simulated RAM: they go with it */
			dev->domain = NULL;
		}
	}
	free(m->dma->iommu);
	m->dma->iommu = NULL;
}
