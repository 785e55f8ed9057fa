/* bench_dma.c — what DMA costs in mmsim: a streaming mapping per page
 * through dma-direct (the baseline: the bus address is the physical one),
 * through the IOMMU (an IOVA, four levels of I/O page table, strict IOTLB
 * invalidation on unmap), a scatterlist of scattered pages through the
 * IOMMU, and swiotlb bouncing per MiB beside the direct mapping of the
 * same buffer — all in the same run, on one x86_64 machine with RAM above
 * 4 GiB (so swiotlb exists), and a device's reads through each path.
 *
 *   build/bench/bench_dma [-r REPS] [-t MIN_SECONDS] [-c TEXT]
 *
 * Every number is the median of REPS runs (default 5), each at least
 * MIN_SECONDS long (default 0.2): CPU ns per operation, wall ns beside it.
 * The machine is checked with mmsim_verify() before and after. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <mmsim/dma.h>
#include <mmsim/machine.h>

#include "bench_time.h"
#include "kernel/dma/dma.h"
#include "mm.h"

#define MAX_REPS 63

static struct machine *m;
static struct device *direct_dev, *iommu_dev, *narrow_dev;
static struct page *page_high, *block_high;	/* above 4 GiB */
static struct page *sg_pages[64];
static unsigned char io_buf[65536];

typedef void (*bench_fn)(unsigned long n);

static void map_direct_page(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		dma_addr_t h = dma_map_page(m, direct_dev, page_high, 0, 4096, DMA_TO_DEVICE);
		dma_unmap_page(m, direct_dev, h, 4096, DMA_TO_DEVICE);
	}
}

static void map_iommu_page(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		dma_addr_t h = dma_map_page(m, iommu_dev, page_high, 0, 4096, DMA_TO_DEVICE);
		dma_unmap_page(m, iommu_dev, h, 4096, DMA_TO_DEVICE);
	}
}

/* One op: one page of a 64-element scatterlist mapped and unmapped. */
static void map_iommu_sg(unsigned long n)
{
	struct scatterlist sg[64];

	for (unsigned long i = 0; i < n; i += 64) {
		memset(sg, 0, sizeof(sg));
		for (int j = 0; j < 64; j++) {
			sg[j].page = sg_pages[j];
			sg[j].length = 4096;
		}
		int segs = dma_map_sg(m, iommu_dev, sg, 64, DMA_BIDIRECTIONAL);
		if (!segs)
			abort();
		dma_unmap_sg(m, iommu_dev, sg, 64, DMA_BIDIRECTIONAL);
	}
}

/* One op: 1 MiB mapped in 256 KiB pieces, bidirectional: copied in at map, out at unmap. */
static void bounce_mib(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		for (int k = 0; k < 4; k++) {
			dma_addr_t h = dma_map_page(m, narrow_dev, block_high, 0, 256 << 10, DMA_BIDIRECTIONAL);
			if (h == DMA_MAPPING_ERROR)
				abort();
			dma_unmap_page(m, narrow_dev, h, 256 << 10, DMA_BIDIRECTIONAL);
		}
}

static void direct_mib(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		for (int k = 0; k < 4; k++) {
			dma_addr_t h = dma_map_page(m, direct_dev, block_high, 0, 256 << 10, DMA_BIDIRECTIONAL);
			dma_unmap_page(m, direct_dev, h, 256 << 10, DMA_BIDIRECTIONAL);
		}
}

/* The device's side: one op is a 4 KiB read at a mapped bus address. */
static dma_addr_t direct_handle, iommu_handle;

static void read_direct(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		dma_device_read(m, direct_dev, direct_handle, io_buf, 4096);
}

static void read_iommu(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		dma_device_read(m, iommu_dev, iommu_handle, io_buf, 4096);
}

static struct times run(bench_fn fn, double min_s, unsigned long *ops)
{
	unsigned long n = 64;

	for (;;) {
		struct times t0 = now();
		fn(n);
		struct times t = since(t0, 1);
		if (t.cpu_ns >= min_s * 1e9 || n >= (1UL << 30)) {
			*ops = n;
			return (struct times){ t.cpu_ns / (double)n, t.wall_ns / (double)n };
		}
		n *= 2;
	}
}

static void bench(const char *name, const char *per, bench_fn fn, int reps, double min_s,
		  const char *filter, double baseline_ns, double *out_ns)
{
	struct times v[MAX_REPS];
	unsigned long ops = 0;

	if (filter && !strstr(name, filter))
		return;
	for (int r = 0; r < reps; r++)
		v[r] = run(fn, min_s, &ops);
	struct times med = median(v, reps);
	printf("%-34s %12.1f %12.1f  %-10s", name, med.cpu_ns, med.wall_ns, per);
	if (baseline_ns > 0)
		printf(" x%.1f", med.cpu_ns / baseline_ns);
	putchar('\n');
	if (out_ns)
		*out_ns = med.cpu_ns;
}

int main(int argc, char **argv)
{
	int reps = 5, opt;
	double min_s = 0.2;
	const char *filter = NULL;
	char err[256];

	while ((opt = getopt(argc, argv, "r:t:c:")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			break;
		case 't':
			min_s = atof(optarg);
			break;
		case 'c':
			filter = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-r REPS] [-t MIN_SECONDS] [-c TEXT]\n", argv[0]);
			return 2;
		}
	}
	if (reps < 1 || reps > MAX_REPS || min_s < 0 || min_s > 60) {
		fprintf(stderr, "%s: -r is 1..%d, -t 0..60\n", argv[0], MAX_REPS);
		return 2;
	}
	struct machine_desc d;
	mmsim_desc_init(&d);
	d.arch = MMSIM_ARCH_X86_64;
	d.mem_bytes = 6144ULL << 20;
	m = mmsim_boot(&d, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "boot: %s\n", err);
		return 1;
	}
	direct_dev = mmsim_device_register(m, "direct");
	iommu_dev = mmsim_device_register(m, "iommu");
	narrow_dev = mmsim_device_register(m, "narrow");
	if (!direct_dev || !iommu_dev || !narrow_dev || iommu_attach_device(m, iommu_dev) ||
	    dma_set_mask_and_coherent(m, direct_dev, DMA_BIT_MASK(64)) ||
	    dma_set_mask_and_coherent(m, iommu_dev, DMA_BIT_MASK(64))) {
		fprintf(stderr, "device setup failed\n");
		return 1;
	}
	page_high = alloc_pages(m, GFP_KERNEL, 0);
	block_high = alloc_pages(m, GFP_KERNEL, 6);
	for (int i = 0; i < 64; i++)
		sg_pages[i] = alloc_pages(m, GFP_KERNEL, 0);
	if (!page_high || !block_high || PFN_PHYS(page_to_pfn(m, block_high)) < (4ULL << 30) ||
	    !is_swiotlb_active(m)) {
		fprintf(stderr, "setup: need memory above 4 GiB and swiotlb\n");
		return 1;
	}
	direct_handle = dma_map_page(m, direct_dev, page_high, 0, 4096, DMA_BIDIRECTIONAL);
	iommu_handle = dma_map_page(m, iommu_dev, page_high, 0, 4096, DMA_BIDIRECTIONAL);
	if (mmsim_verify(m, stderr))
		return 1;

	printf("x86_64 6144M, 64 MiB swiotlb; median of %d runs of >= %.2f s\n", reps, min_s);
	printf("%-34s %12s %12s  %-10s %s\n", "case", "cpu ns", "wall ns", "per", "vs direct");
	double direct_page = 0, direct_mb = 0, direct_read = 0;
	bench("map+unmap page, direct", "page", map_direct_page, reps, min_s, filter, 0, &direct_page);
	bench("map+unmap page, IOMMU", "page", map_iommu_page, reps, min_s, filter, direct_page, NULL);
	bench("map_sg 64 pages, IOMMU", "page", map_iommu_sg, reps, min_s, filter, direct_page, NULL);
	bench("map+unmap 1 MiB, direct", "MiB", direct_mib, reps, min_s, filter, 0, &direct_mb);
	bench("map+unmap 1 MiB, swiotlb bounce", "MiB", bounce_mib, reps, min_s, filter, direct_mb, NULL);
	bench("device read 4 KiB, direct", "read", read_direct, reps, min_s, filter, 0, &direct_read);
	bench("device read 4 KiB, IOMMU (IOTLB hit)", "read", read_iommu, reps, min_s, filter,
	      direct_read, NULL);

	if (mmsim_verify(m, stderr))
		return 1;
	mmsim_destroy(m);
	return 0;
}
