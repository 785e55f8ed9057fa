/* dma_device.c — simulated bus-mastering devices (the DMA half of
 * drivers/base/ and drivers/pci/): a bounded registry of struct device,
 * and what the hardware itself does with the bus addresses it is given.
 *
 * A device is registered as a PCI function would be: bus 1 on, one slot
 * each, dma_mask and coherent_dma_mask 32 bits (pci_setup_device), a
 * 64 KiB maximum segment and a 4 GiB segment boundary (pci_device_add).
 *
 * dma_device_read/write are the device's bus-master cycles. Behind the
 * IOMMU each page of the access is translated through the device's domain
 * (drivers/iommu/), and an address with no translation is a DMAR fault.
 * Without one, the address goes on the bus as it is: a device whose mask
 * is narrower than the address simply has no lines for the upper bits, so
 * mmsim refuses the access (-EFAULT) rather than silently truncating it —
 * a driver that hands such an address to its device has a bug, and the
 * simulation shows it. The bytes go straight to physical memory, where
 * every CPU mapping of the page sees them (x86 DMA is cache coherent). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>

#include "kernel/dma/dma.h"
#include "mm.h"

const char *dev_name(const struct device *dev)
{
	return dev->bus_id;
}

struct device *mmsim_device_find(struct machine *m, const char *name)
{
	struct dma_state *ds = dma_state(m);

	for (unsigned int i = 0; ds && name && i < MMSIM_MAX_DMA_DEVICES; i++)
		if (ds->devices[i] && !strcmp(ds->devices[i]->name, name))
			return ds->devices[i];
	return NULL;
}

struct device *mmsim_device_register(struct machine *m, const char *name)
{
	struct dma_state *ds = dma_state(m);
	size_t len = name ? strlen(name) : 0;

	if (!ds || !len || len >= sizeof(((struct device *)0)->name) || mmsim_device_find(m, name))
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (!isgraph((unsigned char)name[i]))
			return NULL;
	unsigned int slot = 0;
	while (slot < MMSIM_MAX_DMA_DEVICES && ds->devices[slot])
		slot++;
	if (slot == MMSIM_MAX_DMA_DEVICES)
		return NULL;
	struct device *dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	memcpy(dev->name, name, len + 1);
	/* One function per slot, 32 slots a bus, from bus 1 (bus 0 is the host bridge's). */
	unsigned int bus = 1 + ds->next_slot / 32, devfn = (ds->next_slot % 32) << 3;
	ds->next_slot = (ds->next_slot + 1) % (32 * 200);
	dev->source_id = bus << 8 | devfn;
	snprintf(dev->bus_id, sizeof(dev->bus_id), "0000:%02x:%02x.%u", bus, devfn >> 3, devfn & 7);
	dev->dma_mask = DMA_BIT_MASK(32);
	dev->coherent_dma_mask = DMA_BIT_MASK(32);
	dev->max_segment_size = 65536;
	dev->segment_boundary_mask = 0xffffffffULL;
	ds->devices[slot] = dev;
	return dev;
}

int mmsim_device_unregister(struct machine *m, struct device *dev)
{
	struct dma_state *ds = dma_state(m);

	if (!ds)
		return -MMSIM_EINVAL;
	if (dev->nr_entries || dev->nr_pools || dev->domain)
		return -MMSIM_EBUSY;
	for (unsigned int i = 0; i < MMSIM_MAX_DMA_DEVICES; i++)
		if (ds->devices[i] == dev) {
			ds->devices[i] = NULL;
			free(dev->entries);
			dma_coherent_release(m, dev->dma_mem);
			free(dev);
			return 0;
		}
	return -MMSIM_EINVAL;
}

/*
 * One bus-master access of @len bytes: page by page, each page's bus
 * address made physical (through the IOMMU, or as it is), checked to be
 * RAM, then copied. -EFAULT at the first page that fails; the pages
 * before it are done, as a real transfer that faults midway leaves them.
 */
static int device_access(struct machine *m, struct device *dev, dma_addr_t addr, void *buf,
			 size_t len, bool write)
{
	unsigned char *p = buf;

	if (!dma_state(m))
		return -MMSIM_ENOMEM;
	if (addr + len < addr)
		return -MMSIM_EFAULT;
	while (len) {
		size_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		phys_addr_t phys;
		if (dev->domain) {
			if (!iommu_translate(m, dev, addr, write, &phys))
				return -MMSIM_EFAULT;
		} else {
			/* The device drives only the address lines its mask says it has. */
			if (addr + chunk - 1 > dma_reach(dev->dma_mask, dev->bus_dma_limit))
				return -MMSIM_EFAULT;
			phys = addr;
		}
		if (phys + chunk > m->ram_bytes || !pfn_valid(m, PFN_DOWN(phys)))
			return -MMSIM_EFAULT;
		if (write)
			memcpy(m->ram + phys, p, chunk);
		else
			memcpy(p, m->ram + phys, chunk);
		addr += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

int dma_device_read(struct machine *m, struct device *dev, dma_addr_t addr, void *buf, size_t len)
{
	return device_access(m, dev, addr, buf, len, false);
}

int dma_device_write(struct machine *m, struct device *dev, dma_addr_t addr, const void *buf,
		     size_t len)
{
	return device_access(m, dev, addr, (void *)buf, len, true);
}
