/* test_iommu.c — the IOMMU: scattered pages mapped to one contiguous IOVA
 * range (dma_map_sg, dma_alloc_coherent's remap) and the device reading
 * exactly the bytes the CPU wrote in those pages; the IOVA allocator's
 * top-down, size-aligned, below-4-GiB-first choices; permissions by
 * direction; DMAR faults on unmapped IOVAs (also right after an unmap:
 * strict invalidation); IOTLB hits, misses, LRU bound and invalidation;
 * page-table pages from the buddy allocator; `verify` between steps. */
#include <string.h>

#include <mmsim/dma.h>
#include <mmsim/errno.h>
#include <mmsim/vmalloc.h>

#include "arch/x86/fault.h"
#include "arch/x86/mmu.h"
#include "drivers/iommu/iommu.h"
#include "helpers.h"
#include "kernel/dma/dma.h"
#include "test.h"

static struct device *iommu_device(struct machine *m, const char *name, unsigned int bits)
{
	struct device *dev = mmsim_device_register(m, name);

	if (!dev || iommu_attach_device(m, dev) || dma_set_mask_and_coherent(m, dev, DMA_BIT_MASK(bits)))
		return NULL;
	return dev;
}

static void pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	uint64_t s = 0x2545f4914f6cdd1dULL * (seed + 1);

	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)xorshift64(&s);
}

/* Eight pages from all over memory, one contiguous range for the device. */
static bool check_sg(enum mmsim_arch arch, uint64_t mem)
{
	struct machine *m = boot(arch, mem, 2);
	ASSERT_TRUE(m);
	struct device *dev = iommu_device(m, "nvme", 64);
	ASSERT_TRUE(dev);
	struct scatterlist sg[8];
	struct page *spacer[8];
	unsigned char want[8 * 4096], got[8 * 4096];
	memset(sg, 0, sizeof(sg));
	for (int i = 0; i < 8; i++) {
		/* Highmem pages on i386 too: the IOMMU maps any page. */
		sg[i].page = alloc_pages(m, GFP_HIGHUSER, 0);
		spacer[i] = alloc_pages(m, GFP_HIGHUSER, i % 3);	/* keep the pages apart */
		ASSERT_TRUE(sg[i].page && spacer[i]);
		sg[i].length = 4096;
		/* The CPU writes each page through the kernel's view of it. */
		pattern(want + i * 4096, 4096, (unsigned int)i);
		memcpy(page_host_address(m, sg[i].page), want + i * 4096, 4096);
	}
	ASSERT_TRUE(page_to_pfn(m, sg[1].page) != page_to_pfn(m, sg[0].page) + 1);
	int n = dma_map_sg(m, dev, sg, 8, DMA_BIDIRECTIONAL);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(sg[0].dma_length, 8 * 4096);
	/* Below 4 GiB first (a PCI device gets a SAC address), top-down, size-aligned. */
	ASSERT_EQ(sg[0].dma_address, 0xffff8000);
	for (int i = 1; i < 8; i++)
		ASSERT_EQ(sg[i].dma_length, 0);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_EQ(dma_device_read(m, dev, sg[0].dma_address, got, sizeof(got)), 0);
	ASSERT_TRUE(!memcmp(got, want, sizeof(got)));
	/* The device writes across a page border; the CPU sees it in two different frames. */
	ASSERT_EQ(dma_device_write(m, dev, sg[0].dma_address + 3 * 4096 - 4, "ABCDEFGH", 8), 0);
	ASSERT_TRUE(!memcmp((char *)page_host_address(m, sg[2].page) + 4092, "ABCD", 4));
	ASSERT_TRUE(!memcmp(page_host_address(m, sg[3].page), "EFGH", 4));
	dma_unmap_sg(m, dev, sg, 8, DMA_BIDIRECTIONAL);
	ASSERT_EQ(dev->nr_entries, 0);
	ASSERT_TRUE(verify_passes(m));

	/* 24 pages and a 64 KiB maximum segment: one 96 KiB range, two DMA segments (64K + 32K). */
	struct scatterlist big[24];
	memset(big, 0, sizeof(big));
	for (int i = 0; i < 24; i++) {
		big[i].page = alloc_pages(m, GFP_KERNEL, 0);
		big[i].length = 4096;
	}
	ASSERT_EQ(dma_map_sg(m, dev, big, 24, DMA_TO_DEVICE), 2);
	ASSERT_EQ(big[0].dma_length, 65536);
	ASSERT_EQ(big[1].dma_address, big[0].dma_address + 65536);
	ASSERT_EQ(big[1].dma_length, 32768);
	ASSERT_TRUE(verify_passes(m));
	dma_unmap_sg(m, dev, big, 24, DMA_TO_DEVICE);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

static bool test_sg_contiguous(void)
{
	ASSERT_TRUE(check_sg(MMSIM_ARCH_I386, 2048));
	ASSERT_TRUE(check_sg(MMSIM_ARCH_X86_64, 6144));
	return true;
}

/* dma_alloc_coherent behind the IOMMU: single pages anywhere, one IOVA range, one vmalloc range. */
static bool test_alloc_remap(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 2048, 2);
	ASSERT_TRUE(m);
	struct device *dev = iommu_device(m, "gpu", 32);
	ASSERT_TRUE(dev);
	dma_addr_t h;
	kaddr_t cpu = dma_alloc_coherent(m, dev, 64 << 10, &h, GFP_KERNEL);
	ASSERT_TRUE(cpu);
	ASSERT_TRUE(is_vmalloc_addr(m, cpu));
	ASSERT_EQ(h, 0xffff0000);	/* 16 pages, aligned to 16, from the top below 4 GiB */
	const struct dma_map_entry *e = dma_entry_find(dev, DMA_ENTRY_COHERENT, h);
	ASSERT_TRUE(e && e->nr_pages == 16);
	bool highmem = false;
	for (unsigned int i = 0; i < 16; i++)
		highmem |= PageHighMem(m, e->pages[i]);
	ASSERT_TRUE(highmem);	/* __GFP_HIGHMEM: the IOMMU maps any page */
	char *vi = proc(m, "/proc/vmallocinfo");
	ASSERT_STR_CONTAINS(vi, "iommu_dma_alloc");
	ASSERT_STR_CONTAINS(vi, "dma-coherent");
	free(vi);
	/* The device fills the buffer; the CPU reads it through its vmalloc mapping. */
	static unsigned char want[64 << 10], got[64 << 10];
	pattern(want, sizeof(want), 7);
	ASSERT_EQ(dma_device_write(m, dev, h, want, sizeof(want)), 0);
	ASSERT_EQ(kernel_access(m, cpu, got, sizeof(got), MMU_READ), 0);
	ASSERT_TRUE(!memcmp(got, want, sizeof(got)));
	/* And the other way. */
	ASSERT_EQ(kernel_access(m, cpu + 5000, "cpu wrote this", 14, MMU_WRITE), 0);
	ASSERT_EQ(dma_device_read(m, dev, h + 5000, got, 14), 0);
	ASSERT_TRUE(!memcmp(got, "cpu wrote this", 14));
	ASSERT_TRUE(verify_passes(m));
	/* The next IOVA is right below, then a 3-page request rounds up to 4, aligned. */
	dma_addr_t h2, h3;
	kaddr_t c2 = dma_alloc_coherent(m, dev, 4096, &h2, GFP_KERNEL);
	kaddr_t c3 = dma_alloc_coherent(m, dev, 3 * 4096, &h3, GFP_KERNEL);
	ASSERT_EQ(h2, 0xfffef000);
	ASSERT_EQ(h3, 0xfffe8000);
	ASSERT_TRUE(verify_passes(m));
	dma_free_coherent(m, dev, 64 << 10, cpu, h);
	dma_free_coherent(m, dev, 4096, c2, h2);
	dma_free_coherent(m, dev, 3 * 4096, c3, h3);
	ASSERT_EQ(dev->domain->iovad.nr_iovas, 1);	/* the MSI window alone */
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

static int count_str(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* A device behind the IOMMU sees only its domain: anything else faults, as VT-d reports it. */
static bool test_faults(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 2048, 2);
	ASSERT_TRUE(m);
	struct device *dev = iommu_device(m, "nic", 32);
	ASSERT_TRUE(dev);
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	phys_addr_t phys = PFN_PHYS(page_to_pfn(m, page));
	char buf[8];
	/* Its physical address means nothing to the device now. */
	ASSERT_EQ(dma_device_read(m, dev, phys, buf, 8), -MMSIM_EFAULT);
	char *log = dmesg(m), want[200];
	snprintf(want, sizeof(want), "DMAR: [DMA Read NO_PASID] Request device [01:00.0] fault addr 0x%"
		 PRIx64 " [fault reason 0x06] PTE Read access is not set\n", (uint64_t)phys);
	ASSERT_STR_CONTAINS(log, "DMAR: DRHD: handling fault status reg 2\n");
	ASSERT_STR_CONTAINS(log, want);
	free(log);
	/* TO_DEVICE lets the device read only. */
	dma_addr_t h = dma_map_page(m, dev, page, 0, 4096, DMA_TO_DEVICE);
	ASSERT_TRUE(h != DMA_MAPPING_ERROR);
	ASSERT_EQ(dma_device_read(m, dev, h, buf, 8), 0);
	ASSERT_EQ(dma_device_write(m, dev, h, "nope", 4), -MMSIM_EFAULT);
	log = dmesg(m);
	snprintf(want, sizeof(want), "DMAR: [DMA Write NO_PASID] Request device [01:00.0] fault addr 0x%"
		 PRIx64 " [fault reason 0x05] PTE Write access is not set\n", (uint64_t)h);
	ASSERT_STR_CONTAINS(log, want);
	free(log);
	/* Strict unmap: the IOTLB forgets at once; the next access faults. */
	dma_unmap_page(m, dev, h, 4096, DMA_TO_DEVICE);
	ASSERT_EQ(dma_device_read(m, dev, h, buf, 8), -MMSIM_EFAULT);
	ASSERT_EQ(dev->domain->faults, 3);
	/* Beyond the 48 bits the tables translate. */
	ASSERT_EQ(dma_device_read(m, dev, 1ULL << 50, buf, 8), -MMSIM_EFAULT);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "[fault reason 0x04] Access beyond MGAW");
	ASSERT_EQ(count_str(log, "DRHD: handling fault"), 4);
	free(log);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* The IOTLB: hits on the same page, misses on new ones, at most IOTLB_ENTRIES kept, dropped on unmap. */
static bool test_iotlb(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 2048, 2);
	ASSERT_TRUE(m);
	struct device *dev = iommu_device(m, "nic", 64);
	ASSERT_TRUE(dev);
	struct iommu_domain *d = dev->domain;
	ASSERT_EQ(d->pgtable_pages, 1);	/* the top-level table, from the buddy allocator */
	struct page *block = alloc_pages(m, GFP_KERNEL, 7);	/* 128 pages */
	ASSERT_TRUE(block);
	dma_addr_t h = dma_map_page(m, dev, block, 0, 128 * 4096, DMA_BIDIRECTIONAL);
	ASSERT_TRUE(h != DMA_MAPPING_ERROR);
	ASSERT_EQ(d->pgtable_pages, 4);	/* one table per level */
	ASSERT_EQ(page_ref_count(pfn_to_page(m, PFN_DOWN(d->pgd))), 1);	/* an allocated page */
	ASSERT_TRUE(!dma_pfn_free(m, PFN_DOWN(d->pgd)));
	char buf[8];
	for (int i = 0; i < 10; i++)
		ASSERT_EQ(dma_device_read(m, dev, h + 8, buf, 8), 0);
	ASSERT_EQ(d->iotlb_misses, 1);
	ASSERT_EQ(d->iotlb_hits, 9);
	for (int p = 0; p < 128; p++)
		ASSERT_EQ(dma_device_read(m, dev, h + p * 4096ULL, buf, 8), 0);
	ASSERT_EQ(d->iotlb_misses, 128);	/* page 0 was cached; 127 new, and page 0 ... */
	unsigned int cached = 0;
	for (int i = 0; i < IOTLB_ENTRIES; i++)
		cached += d->iotlb[i].last_use != 0;
	ASSERT_EQ(cached, IOTLB_ENTRIES);
	/* LRU: the last 64 pages read are the ones cached; page 127 hits, page 0 misses. */
	unsigned long misses = d->iotlb_misses;
	ASSERT_EQ(dma_device_read(m, dev, h + 127 * 4096ULL, buf, 8), 0);
	ASSERT_EQ(d->iotlb_misses, misses);
	ASSERT_EQ(dma_device_read(m, dev, h, buf, 8), 0);
	ASSERT_EQ(d->iotlb_misses, misses + 1);
	ASSERT_TRUE(verify_passes(m));
	dma_unmap_page(m, dev, h, 128 * 4096, DMA_BIDIRECTIONAL);
	ASSERT_EQ(d->iotlb_invalidations, IOTLB_ENTRIES);
	ASSERT_EQ(d->pages_unmapped, 128);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* Many mappings in and out in a seeded order: the tree, the tables and the IOTLB stay consistent. */
static bool test_random_mappings(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 6144, 2);
	ASSERT_TRUE(m);
	struct device *dev = iommu_device(m, "dev", 40);
	ASSERT_TRUE(dev);
	struct page *block = alloc_pages(m, GFP_KERNEL, 8);
	dma_addr_t h[64] = { 0 };
	size_t len[64];
	uint64_t s = 42;
	for (int step = 0; step < 2000; step++) {
		int i = (int)(xorshift64(&s) % 64);
		if (h[i]) {
			char buf[4];
			ASSERT_EQ(dma_device_read(m, dev, h[i], buf, 4), 0);
			dma_unmap_page(m, dev, h[i], len[i], DMA_BIDIRECTIONAL);
			h[i] = 0;
		} else {
			len[i] = 1 + xorshift64(&s) % (200 * 1024);
			size_t off = xorshift64(&s) % 4096;
			h[i] = dma_map_page(m, dev, block, off, len[i], DMA_BIDIRECTIONAL);
			ASSERT_TRUE(h[i] != DMA_MAPPING_ERROR);
			ASSERT_EQ(h[i] & 4095, off);
		}
		if (step % 250 == 0)
			ASSERT_TRUE(verify_passes(m));
	}
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* The validators find a stale IOTLB entry and a mapping whose table entry vanished. */
static bool test_validators_catch(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 2048, 2);
	ASSERT_TRUE(m);
	struct device *dev = iommu_device(m, "nic", 32);
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	dma_addr_t h = dma_map_page(m, dev, page, 0, 4096, DMA_BIDIRECTIONAL);
	char buf[4];
	ASSERT_EQ(dma_device_read(m, dev, h, buf, 4), 0);
	ASSERT_TRUE(verify_passes(m));
	for (int i = 0; i < IOTLB_ENTRIES; i++)
		if (dev->domain->iotlb[i].last_use)
			dev->domain->iotlb[i].pfn++;
	char *out = NULL;
	unsigned long bad;
	CAPTURE(out, bad = mmsim_verify(m, _f));
	ASSERT_EQ(bad, 1);
	ASSERT_STR_CONTAINS(out, "disagrees with the page tables");
	free(out);
	for (int i = 0; i < IOTLB_ENTRIES; i++)
		if (dev->domain->iotlb[i].last_use)
			dev->domain->iotlb[i].pfn--;
	ASSERT_TRUE(verify_passes(m));
	/* Clearing the table behind the DMA layer's back. */
	iommu_unmap(m, dev->domain, h, 4096);
	CAPTURE(out, bad = mmsim_verify(m, _f));
	ASSERT_TRUE(bad >= 1);
	ASSERT_STR_CONTAINS(out, "should map pfn");
	free(out);
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_sg_contiguous),
	TEST(test_alloc_remap),
	TEST(test_faults),
	TEST(test_iotlb),
	TEST(test_random_mappings),
	TEST(test_validators_catch),
)
