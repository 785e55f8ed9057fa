/* test_dma.c — devices and dma-direct without an IOMMU: the zone a coherent
 * buffer comes from for each mask on i386 and x86_64 (with and without
 * memory above 4 GiB), dma_set_mask's -EIO, swiotlb bouncing the bytes
 * both ways (with its slot accounting), mapping failures where there is
 * no swiotlb (with the kernel's WARN), a full swiotlb, dma_pool's rules
 * and its leak message, the memmap=nn$ss boot pool (MemTotal shrinks, the
 * device is served from it, nobody else is), and a device that cannot
 * reach past its mask — `verify` run between the steps. */
#include <string.h>

#include <mmsim/dma.h>
#include <mmsim/errno.h>
#include <mmsim/highmem.h>
#include <mmsim/process.h>
#include <mmsim/slab.h>
#include <mmsim/vmalloc.h>

#include "arch/x86/fault.h"
#include "arch/x86/mmu.h"
#include "helpers.h"
#include "kernel/dma/dma.h"
#include "kernel/sched.h"
#include "test.h"

#define GiB (1024ULL * MiB)

static struct machine *boot_cmdline(enum mmsim_arch arch, uint64_t mem_mib, const char *cmdline)
{
	struct machine_desc d = test_desc(arch, mem_mib, cmdline);

	return boot_desc(&d);
}

static struct device *new_device(struct machine *m, const char *name, unsigned int bits)
{
	struct device *dev = mmsim_device_register(m, name);

	if (dev && dma_set_mask_and_coherent(m, dev, DMA_BIT_MASK(bits)))
		return NULL;
	return dev;
}

/* The zone name of the page at a bus (= physical) address. */
static const char *zone_of(struct machine *m, dma_addr_t addr)
{
	return page_zone(m, pfn_to_page(m, PFN_DOWN(addr)))->name;
}

static long long field(struct machine *m, const char *path, const char *key)
{
	char *text = NULL;
	size_t size;
	FILE *f = open_memstream(&text, &size);
	mmsim_proc_read(m, path, f);
	fclose(f);
	const char *p = text ? strstr(text, key) : NULL;
	long long v = p ? strtoll(p + strlen(key), NULL, 10) : -1;

	free(text);
	return v;
}

static int count_str(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL * (seed + 1);

	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)xorshift64(&s);
}

/* Each mask's zone: 24 bits ZONE_DMA, 32 bits the zone below 4 GiB, 64 bits anything. */
static bool check_zones(enum mmsim_arch arch, uint64_t mem, const char *z32, const char *z64)
{
	struct machine *m = boot(arch, mem, 2);
	ASSERT_TRUE(m);
	struct device *isa = new_device(m, "isa", 24), *pci = new_device(m, "pci", 32),
		      *wide = new_device(m, "wide", 64);
	ASSERT_TRUE(isa && pci && wide);
	dma_addr_t h24, h32, h64;
	kaddr_t a24 = dma_alloc_coherent(m, isa, 3 * 4096, &h24, GFP_KERNEL);
	kaddr_t a32 = dma_alloc_coherent(m, pci, 8192, &h32, GFP_KERNEL | __GFP_HIGHMEM);
	kaddr_t a64 = dma_alloc_coherent(m, wide, 4096, &h64, GFP_KERNEL | GFP_DMA);
	ASSERT_TRUE(a24 && a32 && a64);
	ASSERT_TRUE(!strcmp(zone_of(m, h24), "DMA"));
	ASSERT_TRUE(h24 + 3 * 4096 - 1 <= DMA_BIT_MASK(24));
	ASSERT_TRUE(!strcmp(zone_of(m, h32), z32));
	ASSERT_TRUE(h32 + 8192 - 1 <= DMA_BIT_MASK(32));
	/* The caller's zone bits are dropped: the mask alone decides. */
	ASSERT_TRUE(!strcmp(zone_of(m, h64), z64));
	/* The CPU address is the direct map of the same memory, zeroed. */
	ASSERT_EQ(a24, __va(m, h24));
	unsigned char buf[64], zero[64] = { 0 };
	ASSERT_EQ(kernel_access(m, a32, buf, sizeof(buf), MMU_READ), 0);
	ASSERT_TRUE(!memcmp(buf, zero, sizeof(buf)));
	ASSERT_TRUE(verify_passes(m));
	dma_free_coherent(m, isa, 3 * 4096, a24, h24);
	dma_free_coherent(m, pci, 8192, a32, h32);
	dma_free_coherent(m, wide, 4096, a64, h64);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

static bool test_zone_per_mask(void)
{
	/* i386 has no ZONE_DMA32: GFP_DMA32 is ZONE_NORMAL there. */
	ASSERT_TRUE(check_zones(MMSIM_ARCH_I386, 2048, "Normal", "Normal"));
	ASSERT_TRUE(check_zones(MMSIM_ARCH_X86_64, 2048, "DMA32", "DMA32"));
	/* With memory above 4 GiB, a 64-bit device gets ZONE_NORMAL, a 32-bit one still DMA32. */
	ASSERT_TRUE(check_zones(MMSIM_ARCH_X86_64, 6144, "DMA32", "Normal"));
	return true;
}

/* A mask between the zones: the zone chosen first gives a page too high, a lower one is tried. */
static bool test_retry_lower_zone(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 6144, 2);
	ASSERT_TRUE(m);
	struct device *dev = new_device(m, "odd", 28);	/* 256 MiB: GFP_DMA32 first */
	ASSERT_TRUE(dev);
	for (int i = 0; i < 64; i++) {
		dma_addr_t h;
		kaddr_t a = dma_alloc_coherent(m, dev, 65536, &h, GFP_KERNEL);
		ASSERT_TRUE(a);
		ASSERT_TRUE(h + 65535 <= DMA_BIT_MASK(28));
	}
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);

	m = boot(MMSIM_ARCH_I386, 2048, 2);
	ASSERT_TRUE(m);
	dev = new_device(m, "odd", 26);
	ASSERT_TRUE(dev);
	dma_addr_t h;
	ASSERT_TRUE(dma_alloc_coherent(m, dev, 4096, &h, GFP_KERNEL));
	ASSERT_TRUE(h <= DMA_BIT_MASK(26));
	mmsim_destroy(m);
	return true;
}

/* dma_supported(): below 24 bits nothing can be reached on these machines; -EIO. */
static bool test_mask_rules(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 512, 2);
	ASSERT_TRUE(m);
	struct device *dev = mmsim_device_register(m, "dev");
	ASSERT_TRUE(dev);
	ASSERT_EQ(dev->dma_mask, DMA_BIT_MASK(32));	/* a PCI device's default */
	ASSERT_EQ(dma_set_mask(m, dev, DMA_BIT_MASK(23)), -MMSIM_EIO);
	ASSERT_EQ(dma_set_coherent_mask(m, dev, DMA_BIT_MASK(16)), -MMSIM_EIO);
	ASSERT_EQ(dev->dma_mask, DMA_BIT_MASK(32));
	ASSERT_EQ(dma_set_mask(m, dev, DMA_BIT_MASK(24)), 0);
	ASSERT_EQ(dma_set_mask(m, dev, DMA_BIT_MASK(40)), 0);
	ASSERT_EQ(dev->dma_mask, DMA_BIT_MASK(32));	/* i386's dma_addr_t holds 32 bits */
	/* Names: unique, printable, bounded registry. */
	ASSERT_TRUE(!mmsim_device_register(m, "dev"));
	ASSERT_TRUE(!mmsim_device_register(m, "two words"));
	ASSERT_TRUE(!mmsim_device_register(m, ""));
	char name[16];
	for (int i = 1; i < MMSIM_MAX_DMA_DEVICES; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		ASSERT_TRUE(mmsim_device_register(m, name));
	}
	ASSERT_TRUE(!mmsim_device_register(m, "one-too-many"));
	ASSERT_EQ(mmsim_device_unregister(m, mmsim_device_find(m, "d5")), 0);
	ASSERT_TRUE(mmsim_device_register(m, "one-too-many"));
	mmsim_destroy(m);

	m = boot(MMSIM_ARCH_X86_64, 512, 2);
	ASSERT_TRUE(m);
	dev = mmsim_device_register(m, "dev");
	ASSERT_EQ(dma_set_mask(m, dev, DMA_BIT_MASK(40)), 0);
	ASSERT_EQ(dev->dma_mask, DMA_BIT_MASK(40));
	/* Below 32 bits a mask must reach ZONE_DMA (24 bits): 29 does, 20 does not. */
	ASSERT_EQ(dma_set_mask(m, dev, DMA_BIT_MASK(29)), 0);
	ASSERT_EQ(dma_set_mask(m, dev, DMA_BIT_MASK(20)), -MMSIM_EIO);
	mmsim_destroy(m);
	return true;
}

/* A page above 4 GiB mapped for a 32-bit device goes through swiotlb, and the bytes follow the rules. */
static bool test_swiotlb_bounce(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 6144, 2);
	ASSERT_TRUE(m);
	struct device *dev = new_device(m, "nic", 32);
	ASSERT_TRUE(dev);
	char *nslabs = proc(m, "/sys/kernel/debug/swiotlb/io_tlb_nslabs");
	ASSERT_TRUE(nslabs && !strcmp(nslabs, "32768\n"));
	free(nslabs);
	struct page *page = alloc_pages(m, GFP_KERNEL, 1);
	ASSERT_TRUE(page);
	phys_addr_t phys = PFN_PHYS(page_to_pfn(m, page));
	ASSERT_TRUE(phys >= 4 * GiB);
	unsigned char *cpu = page_host_address(m, page), want[8192], got[8192];

	/* TO_DEVICE: copied into the bounce buffer at map time. */
	pattern(cpu, 8192, 1);
	dma_addr_t h = dma_map_page(m, dev, page, 0, 8192, DMA_TO_DEVICE);
	ASSERT_TRUE(h != DMA_MAPPING_ERROR);
	ASSERT_TRUE(h + 8191 <= DMA_BIT_MASK(32));
	ASSERT_TRUE(h >= m->boot.swiotlb_start && h < m->boot.swiotlb_start + (64 << 20));
	ASSERT_EQ(field(m, "/sys/kernel/debug/swiotlb/io_tlb_used", ""), 4);	/* 8 KiB = 4 slots */
	ASSERT_TRUE(verify_passes(m));
	ASSERT_EQ(dma_device_read(m, dev, h, got, 8192), 0);
	ASSERT_TRUE(!memcmp(got, cpu, 8192));
	/* The CPU changes its buffer: the device sees it only after sync_for_device. */
	pattern(cpu, 8192, 2);
	ASSERT_EQ(dma_device_read(m, dev, h, got, 8192), 0);
	ASSERT_TRUE(memcmp(got, cpu, 8192));
	dma_sync_single_for_device(m, dev, h, 8192, DMA_TO_DEVICE);
	ASSERT_EQ(dma_device_read(m, dev, h, got, 8192), 0);
	ASSERT_TRUE(!memcmp(got, cpu, 8192));
	dma_unmap_page(m, dev, h, 8192, DMA_TO_DEVICE);
	ASSERT_EQ(field(m, "/sys/kernel/debug/swiotlb/io_tlb_used", ""), 0);

	/* FROM_DEVICE: the CPU's buffer changes at unmap, not before. */
	pattern(cpu, 8192, 3);
	memcpy(want, cpu, 8192);
	h = dma_map_page(m, dev, page, 0, 8192, DMA_FROM_DEVICE);
	ASSERT_TRUE(h != DMA_MAPPING_ERROR);
	pattern(got, 8192, 4);
	ASSERT_EQ(dma_device_write(m, dev, h, got, 8192), 0);
	ASSERT_TRUE(!memcmp(cpu, want, 8192));
	dma_unmap_page(m, dev, h, 8192, DMA_FROM_DEVICE);
	ASSERT_TRUE(!memcmp(cpu, got, 8192));

	/* BIDIRECTIONAL with sync_for_cpu in the middle. */
	h = dma_map_page(m, dev, page, 100, 1000, DMA_BIDIRECTIONAL);
	ASSERT_TRUE(h != DMA_MAPPING_ERROR);
	ASSERT_EQ(dma_device_write(m, dev, h, "from the device", 15), 0);
	dma_sync_single_for_cpu(m, dev, h, 1000, DMA_BIDIRECTIONAL);
	ASSERT_TRUE(!memcmp(cpu + 100, "from the device", 15));
	memcpy(cpu + 200, "from the cpu", 12);
	dma_sync_single_for_device(m, dev, h, 1000, DMA_BIDIRECTIONAL);
	ASSERT_EQ(dma_device_read(m, dev, h + 100, got, 12), 0);
	ASSERT_TRUE(!memcmp(got, "from the cpu", 12));
	ASSERT_TRUE(verify_passes(m));
	dma_unmap_page(m, dev, h, 1000, DMA_BIDIRECTIONAL);
	ASSERT_TRUE(dev->bytes_bounced >= 8192 * 4);
	ASSERT_TRUE(m->dma->io_tlb->used_hiwater == 4);

	/* A kmalloc'd object in reach is not bounced: its bus address is its physical address. */
	struct device *wide = new_device(m, "wide", 64);
	kaddr_t obj = kmalloc(m, 256, GFP_KERNEL);
	ASSERT_EQ(dma_map_single(m, wide, obj, 256, DMA_TO_DEVICE), __pa(m, obj));
	dma_unmap_single(m, wide, __pa(m, obj), 256, DMA_TO_DEVICE);
	kfree(m, obj);
	__free_pages(m, page, 1);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* swiotlb below the device's reach still: the kernel's second overflow warning, slots given back. */
static bool test_swiotlb_overflow_and_full(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 6144, 2);
	ASSERT_TRUE(m);
	struct device *isa = new_device(m, "isa", 24), *nic = new_device(m, "nic", 32);
	struct page *page = alloc_pages(m, GFP_KERNEL, 6);	/* 256 KiB, above 4 GiB */
	ASSERT_TRUE(isa && nic && page);
	ASSERT_EQ(dma_map_page(m, isa, page, 0, 4096, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "isa 0000:01:00.0: swiotlb addr 0x");
	ASSERT_STR_CONTAINS(log, "+4096 overflow (mask ffffff, bus limit 0).");
	free(log);
	ASSERT_EQ(field(m, "/sys/kernel/debug/swiotlb/io_tlb_used", ""), 0);
	ASSERT_TRUE(verify_passes(m));

	/* 64 MiB of slots hold 256 mappings of 256 KiB; the next one finds the buffer full. */
	static dma_addr_t h[257];
	for (int i = 0; i < 256; i++) {
		h[i] = dma_map_page(m, nic, page, 0, 256 << 10, DMA_TO_DEVICE);
		ASSERT_TRUE(h[i] != DMA_MAPPING_ERROR);
	}
	ASSERT_EQ(field(m, "/sys/kernel/debug/swiotlb/io_tlb_used", ""), 32768);
	ASSERT_EQ(dma_map_page(m, nic, page, 0, 4096, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "nic 0000:01:01.0: swiotlb buffer is full (sz: 4096 bytes), total 32768 "
			    "(slots), used 32768 (slots)");
	free(log);
	ASSERT_TRUE(verify_passes(m));
	for (int i = 0; i < 256; i += 2)
		dma_unmap_page(m, nic, h[i], 256 << 10, DMA_TO_DEVICE);
	ASSERT_TRUE(verify_passes(m));
	for (int i = 1; i < 256; i += 2)
		dma_unmap_page(m, nic, h[i], 256 << 10, DMA_TO_DEVICE);
	ASSERT_EQ(field(m, "/sys/kernel/debug/swiotlb/io_tlb_used", ""), 0);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* Seeded map/unmap of random sizes and offsets: the slot counts stay right, and every byte bounces. */
static bool test_swiotlb_random(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 6144, 4);
	ASSERT_TRUE(m);
	struct device *nic = new_device(m, "nic", 32);
	struct page *block = alloc_pages(m, GFP_KERNEL, 7);	/* 512 KiB above 4 GiB */
	ASSERT_TRUE(nic && block);
	unsigned char *cpu = page_host_address(m, block);
	dma_addr_t h[96] = { 0 };
	size_t off[96], len[96];
	unsigned char *snap[96] = { 0 };	/* what was bounced at map time: later writes may overlap */
	uint64_t s = 7;
	for (int step = 0; step < 4000; step++) {
		int i = (int)(xorshift64(&s) % 96);
		m->cur_cpu = (unsigned int)(xorshift64(&s) % 4);	/* each CPU starts in its own area */
		if (h[i]) {
			unsigned char got[64];
			size_t at = xorshift64(&s) % (len[i] - (len[i] > 64 ? 64 : len[i]) + 1);
			size_t n = len[i] < 64 ? len[i] : 64;
			ASSERT_EQ(dma_device_read(m, nic, h[i] + at, got, n), 0);
			ASSERT_TRUE(!memcmp(got, snap[i] + at, n));
			dma_unmap_page(m, nic, h[i], len[i], DMA_TO_DEVICE);
			h[i] = 0;
			free(snap[i]);
			snap[i] = NULL;
		} else {
			len[i] = 1 + xorshift64(&s) % (xorshift64(&s) % 4 ? 8192 : 200 * 1024);
			off[i] = xorshift64(&s) % (512 * 1024 - len[i]);
			pattern(cpu + off[i], len[i], (unsigned int)step);
			snap[i] = malloc(len[i]);
			ASSERT_TRUE(snap[i]);
			memcpy(snap[i], cpu + off[i], len[i]);
			h[i] = dma_map_page(m, nic, block, off[i], len[i], DMA_TO_DEVICE);
			ASSERT_TRUE(h[i] != DMA_MAPPING_ERROR);
			if (len[i] >= 4096)
				ASSERT_EQ(h[i] & 4095, 0);	/* a page or more starts on a page */
		}
		if (step % 500 == 0)
			ASSERT_TRUE(verify_passes(m));
	}
	for (int i = 0; i < 96; i++) {
		if (h[i])
			dma_unmap_page(m, nic, h[i], len[i], DMA_TO_DEVICE);
		free(snap[i]);
	}
	ASSERT_EQ(m->dma->io_tlb->nareas, 4);
	ASSERT_EQ(swiotlb_mem_used(m->dma->io_tlb), 0);
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* No swiotlb (i386; x86_64 below 4 GiB): out of reach is DMA_MAPPING_ERROR with the kernel's WARN, once. */
static bool test_no_swiotlb(void)
{
	for (int arch = 0; arch < 2; arch++) {
		struct machine *m = boot(arch ? MMSIM_ARCH_X86_64 : MMSIM_ARCH_I386, 2048, 2);
		ASSERT_TRUE(m);
		char *files = proc(m, "/sys/kernel/debug/swiotlb/io_tlb_nslabs");
		ASSERT_TRUE(!files || !*files);
		free(files);
		struct device *isa = new_device(m, "isa", 24);
		kaddr_t obj = kmalloc(m, 512, GFP_KERNEL);
		ASSERT_TRUE(__pa(m, obj) > DMA_BIT_MASK(24));
		ASSERT_EQ(dma_map_single(m, isa, obj, 512, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
		ASSERT_EQ(dma_map_single(m, isa, obj, 512, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
		char *log = dmesg(m), want[160];
		/* %pad: a 32-bit dma_addr_t on the 686 kernel, 64-bit on amd64. */
		snprintf(want, sizeof(want), "isa 0000:01:00.0: DMA addr 0x%0*" PRIx64
			 "+512 overflow (mask ffffff, bus limit 0).", arch ? 16 : 8, (uint64_t)__pa(m, obj));
		ASSERT_STR_CONTAINS(log, want);
		ASSERT_STR_CONTAINS(log, "at kernel/dma/direct.h dma_direct_map_page");
		ASSERT_EQ(count_str(log, "overflow (mask"), 1);	/* dev_WARN_ONCE */
		free(log);
		ASSERT_EQ(isa->nr_map_errors, 2);
		ASSERT_TRUE(verify_passes(m));
		/* A GFP_DMA object is in reach. */
		kaddr_t low = kmalloc(m, 512, GFP_KERNEL | GFP_DMA);
		ASSERT_EQ(dma_map_single(m, isa, low, 512, DMA_FROM_DEVICE), __pa(m, low));
		/* vmalloc memory is refused, as the kernel refuses it. */
		struct device *nic = new_device(m, "nic", 32);
		kaddr_t v = vmalloc(m, 8192);
		ASSERT_EQ(dma_map_single(m, nic, v, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
		log = dmesg(m);
		ASSERT_STR_CONTAINS(log, "nic 0000:01:01.0: rejecting DMA map of vmalloc memory");
		free(log);
		/* Unmapping what was never mapped: dma-debug's complaint, nothing changes. */
		dma_unmap_single(m, nic, 0x1234000, 64, DMA_TO_DEVICE);
		log = dmesg(m);
		ASSERT_STR_CONTAINS(log, "DMA-API: nic 0000:01:01.0: device driver tries to free DMA memory "
				    "it has not allocated [device address=0x0000000001234000] [size=64 bytes]");
		free(log);
		dma_unmap_single(m, isa, __pa(m, low), 512, DMA_FROM_DEVICE);
		ASSERT_TRUE(verify_passes(m));
		mmsim_destroy(m);
	}
	return true;
}

/* The device's address lines: a 32-bit device cannot touch memory above 4 GiB, whatever it is told. */
static bool test_device_reach_and_cpu_views(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 6144, 2);
	ASSERT_TRUE(m);
	struct device *nic = new_device(m, "nic", 32);
	struct page *high = alloc_pages(m, GFP_KERNEL, 0);
	phys_addr_t phys = PFN_PHYS(page_to_pfn(m, high));
	ASSERT_TRUE(phys >= 4 * GiB);
	ASSERT_EQ(dma_device_write(m, nic, phys, "x", 1), -MMSIM_EFAULT);
	ASSERT_EQ(dma_device_write(m, nic, 0xfffffffe, "xyz", 3), -MMSIM_EFAULT);
	mmsim_destroy(m);

	/* i386: a device writes a HighMem page; the CPU reads it through a kmap. */
	m = boot(MMSIM_ARCH_I386, 2048, 2);
	ASSERT_TRUE(m);
	nic = new_device(m, "nic", 32);
	high = alloc_pages(m, GFP_HIGHUSER, 0);
	ASSERT_TRUE(high && PageHighMem(m, high));
	dma_addr_t h = dma_map_page(m, nic, high, 0, 4096, DMA_FROM_DEVICE);
	ASSERT_EQ(h, PFN_PHYS(page_to_pfn(m, high)));
	ASSERT_EQ(dma_device_write(m, nic, h + 64, "highmem by DMA", 14), 0);
	dma_unmap_page(m, nic, h, 4096, DMA_FROM_DEVICE);
	kaddr_t k = kmap_local_page(m, high);
	char buf[16] = "";
	ASSERT_EQ(kernel_access(m, k + 64, buf, 14, MMU_READ), 0);
	ASSERT_TRUE(!memcmp(buf, "highmem by DMA", 14));
	kunmap_local(m, k);
	/* And a coherent buffer: the device writes, the CPU reads through the direct map. */
	kaddr_t cpu = dma_alloc_coherent(m, nic, 4096, &h, GFP_KERNEL);
	ASSERT_EQ(dma_device_write(m, nic, h, "coherent", 8), 0);
	ASSERT_EQ(kernel_access(m, cpu, buf, 8, MMU_READ), 0);
	ASSERT_TRUE(!memcmp(buf, "coherent", 8));
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* A process's page: the device reads what the program wrote, and the program reads what the device wrote. */
static bool test_process_page(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 6144, 2);
	ASSERT_TRUE(m);
	int pid = mmsim_spawn(m, "app");
	ASSERT_TRUE(pid > 0);
	int64_t addr = mmsim_mmap(m, pid, 0, 8192, MMSIM_PROT_READ | MMSIM_PROT_WRITE,
				  MMSIM_MAP_PRIVATE | MMSIM_MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(addr > 0);
	struct mmsim_siginfo si;
	ASSERT_EQ(mmsim_user_write(m, pid, (uint64_t)addr + 100, "written by the program", 22, &si), 0);
	phys_addr_t pa;
	struct task_struct *t = find_task_by_pid(m, pid);
	ASSERT_EQ(get_user_page_remote(m, t->mm, (uint64_t)addr, true, &pa), 0);
	struct page *page = pfn_to_page(m, PFN_DOWN(pa));
	/* A 32-bit device and a user page above 4 GiB: through swiotlb, both ways. */
	struct device *nic = new_device(m, "nic", 32);
	dma_addr_t h = dma_map_page(m, nic, page, 0, 4096, DMA_BIDIRECTIONAL);
	ASSERT_TRUE(h != DMA_MAPPING_ERROR);
	ASSERT_TRUE((pa < (4ULL << 30)) == (h == (pa & ~4095ULL)));	/* bounced iff out of reach */
	char buf[32];
	ASSERT_EQ(dma_device_read(m, nic, h + 100, buf, 22), 0);
	ASSERT_TRUE(!memcmp(buf, "written by the program", 22));
	ASSERT_EQ(dma_device_write(m, nic, h + 200, "written by the device", 21), 0);
	dma_unmap_page(m, nic, h, 4096, DMA_BIDIRECTIONAL);
	ASSERT_EQ(mmsim_user_read(m, pid, (uint64_t)addr + 200, buf, 21, &si), 0);
	ASSERT_TRUE(!memcmp(buf, "written by the device", 21));
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* dma_pool_create's rules, block layout, boundaries, reuse and the destroy-time leak report. */
static bool test_dma_pool(void)
{
	struct machine *m = boot(MMSIM_ARCH_I386, 512, 2);
	ASSERT_TRUE(m);
	struct device *dev = new_device(m, "ehci", 32);
	ASSERT_TRUE(!dma_pool_create(m, "bad", dev, 32, 3, 0));		/* align not a power of 2 */
	ASSERT_TRUE(!dma_pool_create(m, "bad", dev, 0, 8, 0));		/* size 0 */
	ASSERT_TRUE(!dma_pool_create(m, "bad", dev, 64, 8, 32));	/* boundary < size */
	ASSERT_TRUE(!dma_pool_create(m, "bad", dev, 32, 8, 96));	/* boundary not a power of 2 */

	/* size 1 becomes 4: consecutive blocks 4 bytes apart. */
	struct dma_pool *tiny = dma_pool_create(m, "tiny", dev, 1, 0, 0);
	ASSERT_TRUE(tiny);
	dma_addr_t h1, h2;
	kaddr_t b1 = dma_pool_alloc(m, tiny, GFP_KERNEL, &h1), b2 = dma_pool_alloc(m, tiny, GFP_KERNEL, &h2);
	ASSERT_EQ(b2 - b1, 4);
	ASSERT_EQ(h2 - h1, 4);

	/* 48-byte blocks that never cross 64 bytes: one block per 64. */
	struct dma_pool *td = dma_pool_create(m, "td", dev, 40, 16, 64);
	ASSERT_TRUE(td);
	dma_addr_t h[200];
	kaddr_t v[200];
	for (int i = 0; i < 200; i++) {
		v[i] = dma_pool_alloc(m, td, GFP_KERNEL | __GFP_ZERO, &h[i]);
		ASSERT_TRUE(v[i]);
		ASSERT_EQ(h[i] % 16, 0);
		ASSERT_EQ(h[i] / 64, (h[i] + 47) / 64);
	}
	/* 64 blocks a page: 200 blocks take 4 pages (the total column is pages * 4096 / 48, as 6.1 prints it). */
	char *shown = NULL;
	CAPTURE(shown, dma_pools_show(m, dev, _f));
	ASSERT_STR_CONTAINS(shown, "td                200  340   48  4");
	free(shown);
	ASSERT_TRUE(verify_passes(m));
	/*
	 * The newest page is searched first (list_add), and its free list is
	 * LIFO: a block freed there is the next one handed out; one freed on
	 * an older page waits while the newest still has room.
	 */
	dma_pool_free(m, td, v[70], h[70]);
	dma_pool_free(m, td, v[195], h[195]);
	dma_addr_t again;
	ASSERT_EQ(dma_pool_alloc(m, td, GFP_KERNEL, &again), v[195]);
	ASSERT_EQ(again, h[195]);
	ASSERT_TRUE(dma_pool_alloc(m, td, GFP_KERNEL, &again) != v[70]);
	/* A double free is caught, and changes nothing. */
	dma_pool_free(m, td, v[3], h[3]);
	dma_pool_free(m, td, v[3], h[3]);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "ehci 0000:01:00.0: dma_pool_free td, dma 0x");
	ASSERT_STR_CONTAINS(log, " already free");
	free(log);
	ASSERT_TRUE(verify_passes(m));
	/* The device writes a block, the CPU reads it at the block's address. */
	ASSERT_EQ(dma_device_write(m, dev, h[5], "descriptor", 10), 0);
	char buf[10];
	ASSERT_EQ(kernel_access(m, v[5], buf, 10, MMU_READ), 0);
	ASSERT_TRUE(!memcmp(buf, "descriptor", 10));

	/* Destroyed with blocks in use: each busy page is reported and leaked. */
	long long before = field(m, "/proc/meminfo", "MemFree:");
	dma_pool_destroy(m, td);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "ehci 0000:01:00.0: dma_pool_destroy td, ");
	ASSERT_STR_CONTAINS(log, " busy\n");
	free(log);
	ASSERT_EQ(field(m, "/proc/meminfo", "MemFree:"), before);	/* nothing came back */
	ASSERT_TRUE(verify_passes(m));
	dma_pool_free(m, tiny, b1, h1);
	dma_pool_free(m, tiny, b2, h2);
	ASSERT_EQ(dev->nr_entries, 5);		/* td's 4 leaked pages, tiny's one */
	dma_pool_destroy(m, tiny);
	ASSERT_EQ(dev->nr_entries, 4);		/* an idle pool gives its pages back */
	ASSERT_TRUE(verify_passes(m));
	mmsim_destroy(m);
	return true;
}

/* memmap=64M$256M: 64 MiB gone from MemTotal, and a device's coherent pool made of it. */
static bool test_boot_pool(void)
{
	for (int arch = 0; arch < 2; arch++) {
		enum mmsim_arch a = arch ? MMSIM_ARCH_X86_64 : MMSIM_ARCH_I386;
		struct machine *plain = boot(a, 1024, 2);
		struct machine *m = boot_cmdline(a, 1024, "memmap=64M$0x10000000");
		ASSERT_TRUE(plain && m);
		ASSERT_EQ(field(plain, "/proc/meminfo", "MemTotal:") - field(m, "/proc/meminfo", "MemTotal:"),
			  65536);
		char *log = dmesg(m);
		ASSERT_STR_CONTAINS(log, "user-defined physical RAM map:\n");
		ASSERT_STR_CONTAINS(log, "] user: [mem 0x0000000010000000-0x0000000013ffffff] reserved\n");
		ASSERT_STR_CONTAINS(log, "] user: [mem 0x0000000014000000-");
		free(log);
		mmsim_destroy(plain);

		struct device *fb = new_device(m, "fb", 32);
		ASSERT_TRUE(fb);
		/* RAM the kernel owns cannot be a pool. */
		ASSERT_EQ(dma_declare_coherent_memory(m, fb, 0x20000000, 0x20000000, 1 << 20), -MMSIM_EINVAL);
		log = dmesg(m);
		ASSERT_STR_CONTAINS(log, arch ? "memremap attempted on ram 0x0000000020000000 size: 0x100000"
					      : "memremap attempted on ram 0x20000000 size: 0x100000");
		free(log);
		ASSERT_EQ(dma_declare_coherent_memory(m, fb, 0x10000000, 0x10000000, 64 << 20), 0);
		ASSERT_EQ(dma_declare_coherent_memory(m, fb, 0x10000000, 0x10000000, 64 << 20), -MMSIM_EBUSY);
		long long free_before = field(m, "/proc/meminfo", "MemFree:");
		dma_addr_t h1, h2;
		kaddr_t a1 = dma_alloc_coherent(m, fb, 16 << 20, &h1, GFP_KERNEL);
		kaddr_t a2 = dma_alloc_coherent(m, fb, 100 << 10, &h2, GFP_KERNEL);	/* 32 pages, aligned */
		ASSERT_TRUE(a1 && a2);
		ASSERT_EQ(h1, 0x10000000);
		ASSERT_EQ(h2, 0x11000000);
		ASSERT_EQ(field(m, "/proc/meminfo", "MemFree:"), free_before);	/* the buddy gave nothing */
		ASSERT_EQ(dma_device_write(m, fb, h2 + 4096, "framebuffer", 11), 0);
		char buf[11];
		ASSERT_EQ(kernel_access(m, a2 + 4096, buf, 11, MMU_READ), 0);
		ASSERT_TRUE(!memcmp(buf, "framebuffer", 11));
		ASSERT_TRUE(verify_passes(m));
		/* The pool answers alone: too big for what is left is a failure, not the buddy allocator. */
		dma_addr_t h3;
		ASSERT_TRUE(!dma_alloc_coherent(m, fb, 48 << 20, &h3, GFP_KERNEL));
		/* Nobody else gets those pages: the buddy allocator never hands out the range. */
		for (int i = 0; i < 64; i++) {
			struct page *p = alloc_pages(m, GFP_KERNEL, 10);
			ASSERT_TRUE(p);
			phys_addr_t pp = PFN_PHYS(page_to_pfn(m, p));
			ASSERT_TRUE(pp + (4 << 20) <= 0x10000000 || pp >= 0x14000000);
		}
		dma_free_coherent(m, fb, 16 << 20, a1, h1);
		ASSERT_TRUE(dma_alloc_coherent(m, fb, 16 << 20, &h3, GFP_KERNEL));
		ASSERT_EQ(h3, 0x10000000);
		ASSERT_TRUE(verify_passes(m));
		mmsim_destroy(m);
	}
	return true;
}

/* The validators find what is wrong: slot counts, a scribbled pool free list, a mapping of free memory. */
static bool test_validators_catch(void)
{
	struct machine *m = boot(MMSIM_ARCH_X86_64, 6144, 2);
	ASSERT_TRUE(m);
	struct device *nic = new_device(m, "nic", 32);
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	dma_addr_t h = dma_map_page(m, nic, page, 0, 4096, DMA_TO_DEVICE);
	ASSERT_TRUE(h != DMA_MAPPING_ERROR);
	ASSERT_TRUE(verify_passes(m));
	m->dma->io_tlb->areas[0].used++;
	m->dma->io_tlb->areas[1].used++;
	char *out = NULL;
	unsigned long bad;
	CAPTURE(out, bad = mmsim_verify(m, _f));
	ASSERT_EQ(bad, 3);	/* each area's count, and the total against the live mappings */
	ASSERT_STR_CONTAINS(out, "swiotlb: area 0 counts");
	free(out);
	m->dma->io_tlb->areas[0].used--;
	m->dma->io_tlb->areas[1].used--;
	ASSERT_TRUE(verify_passes(m));
	dma_unmap_page(m, nic, h, 4096, DMA_TO_DEVICE);

	/* A driver writes into a block it freed: the block's free-list link is gone. */
	struct dma_pool *pool = dma_pool_create(m, "desc", nic, 64, 64, 0);
	dma_addr_t b1, b2;
	kaddr_t v1 = dma_pool_alloc(m, pool, GFP_KERNEL, &b1);
	kaddr_t v2 = dma_pool_alloc(m, pool, GFP_KERNEL, &b2);
	ASSERT_TRUE(v1 && v2);
	dma_pool_free(m, pool, v2, b2);
	ASSERT_TRUE(verify_passes(m));
	ASSERT_EQ(kernel_access(m, v2, "\x40\x00\x00\x00", 4, MMU_WRITE), 0);	/* points at v2 itself */
	CAPTURE(out, bad = mmsim_verify(m, _f));
	ASSERT_TRUE(bad >= 1);
	ASSERT_STR_CONTAINS(out, "dma_pool desc: page");
	free(out);

	/* A mapping whose page went back to the allocator while still mapped. */
	struct page *p2 = alloc_pages(m, GFP_KERNEL, 0);
	struct device *wide = new_device(m, "wide", 64);
	dma_addr_t h2 = dma_map_page(m, wide, p2, 0, 4096, DMA_FROM_DEVICE);
	__free_pages(m, p2, 0);
	drain_all_pages(m);
	CAPTURE(out, bad = mmsim_verify(m, _f));
	ASSERT_STR_CONTAINS(out, "which is free in the buddy allocator");
	free(out);
	(void)h2;
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(
	TEST(test_zone_per_mask),
	TEST(test_retry_lower_zone),
	TEST(test_mask_rules),
	TEST(test_swiotlb_bounce),
	TEST(test_swiotlb_overflow_and_full),
	TEST(test_swiotlb_random),
	TEST(test_no_swiotlb),
	TEST(test_device_reach_and_cpu_views),
	TEST(test_process_page),
	TEST(test_dma_pool),
	TEST(test_boot_pool),
	TEST(test_validators_catch),
)
