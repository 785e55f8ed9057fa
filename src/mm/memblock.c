/* memblock.c — boot-time memory: which physical ranges exist and which are taken.
 *
 * Before the buddy allocator exists, the kernel records RAM ("memory") and
 * what early boot has claimed ("reserved"): page 0 and the BIOS area, the
 * kernel image, the initrd, mem_map, hash tables, percpu areas. memblock_alloc
 * hands out ranges from the top of the allowed window down, which is why
 * mem_map and the hash tables land in the highest lowmem zone. At the end of
 * boot every page that is memory and not reserved is freed into the buddy
 * allocator; what stays reserved is the difference between a zone's present
 * and managed pages. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mm/memblock.h"

static int type_grow(struct memblock_type *type)
{
	unsigned int max = type->max ? type->max * 2 : 16;
	struct memblock_region *r = realloc(type->regions, max * sizeof(*r));

	if (!r)
		return -MMSIM_ENOMEM;
	type->regions = r;
	type->max = max;
	return 0;
}

int memblock_init(struct machine *m)
{
	struct memblock *mb = &m->memblock;

	memset(mb, 0, sizeof(*mb));
	mb->memory.name = "memory";
	mb->reserved.name = "reserved";
	mb->current_limit = ~(phys_addr_t)0;
	if (type_grow(&mb->memory) || type_grow(&mb->reserved))
		return -MMSIM_ENOMEM;
	return 0;
}

void memblock_release(struct machine *m)
{
	free(m->memblock.memory.regions);
	free(m->memblock.reserved.regions);
	memset(&m->memblock, 0, sizeof(m->memblock));
}

/* Insert [base, base+size) and merge overlapping or touching neighbours. */
static int type_add(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;
	unsigned int i = 0;

	if (!size)
		return 0;
	while (i < type->cnt && type->regions[i].base + type->regions[i].size < base)
		i++;
	/* Regions i.. that touch [base, end) are absorbed into one. */
	unsigned int j = i;
	while (j < type->cnt && type->regions[j].base <= end) {
		struct memblock_region *r = &type->regions[j];
		if (r->base < base)
			base = r->base;
		if (r->base + r->size > end)
			end = r->base + r->size;
		j++;
	}
	if (j == i) {
		if (type->cnt == type->max && type_grow(type))
			return -MMSIM_ENOMEM;
		memmove(&type->regions[i + 1], &type->regions[i],
			(type->cnt - i) * sizeof(type->regions[0]));
		type->cnt++;
	} else if (j > i + 1) {
		memmove(&type->regions[i + 1], &type->regions[j],
			(type->cnt - j) * sizeof(type->regions[0]));
		type->cnt -= j - i - 1;
	}
	type->regions[i].base = base;
	type->regions[i].size = end - base;
	return 0;
}

/* Remove [base, base+size), splitting a region if needed. */
static int type_remove(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;

	for (unsigned int i = 0; i < type->cnt; i++) {
		struct memblock_region *r = &type->regions[i];
		phys_addr_t r_end = r->base + r->size;
		if (r_end <= base || r->base >= end)
			continue;
		if (r->base < base && r_end > end) {
			/* Split: keep the head here, insert the tail after it. */
			if (type->cnt == type->max && type_grow(type))
				return -MMSIM_ENOMEM;
			r = &type->regions[i];
			memmove(&type->regions[i + 2], &type->regions[i + 1],
				(type->cnt - i - 1) * sizeof(type->regions[0]));
			type->cnt++;
			type->regions[i + 1].base = end;
			type->regions[i + 1].size = r_end - end;
			r->size = base - r->base;
			return 0;
		}
		if (r->base < base) {
			r->size = base - r->base;
		} else if (r_end > end) {
			r->size = r_end - end;
			r->base = end;
		} else {
			memmove(r, r + 1, (type->cnt - i - 1) * sizeof(*r));
			type->cnt--;
			i--;
		}
	}
	return 0;
}

int memblock_add(struct machine *m, phys_addr_t base, phys_addr_t size)
{
	return type_add(&m->memblock.memory, base, size);
}

int memblock_reserve(struct machine *m, phys_addr_t base, phys_addr_t size)
{
	return type_add(&m->memblock.reserved, base, size);
}

void memblock_phys_free(struct machine *m, phys_addr_t base, phys_addr_t size)
{
	type_remove(&m->memblock.reserved, base, size);
}

void memblock_trim_memory(struct machine *m, phys_addr_t align)
{
	struct memblock_type *mem = &m->memblock.memory;

	for (unsigned int i = 0; i < mem->cnt; i++) {
		struct memblock_region *r = &mem->regions[i];
		phys_addr_t start = ALIGN_UP(r->base, align);
		phys_addr_t end = ALIGN_DOWN(r->base + r->size, align);
		if (start >= end) {
			memmove(r, r + 1, (mem->cnt - i - 1) * sizeof(*r));
			mem->cnt--;
			i--;
			continue;
		}
		r->base = start;
		r->size = end - start;
	}
}

/*
 * Free ranges = memory minus reserved. Walk them from the highest down and
 * take the topmost aligned fit inside [start, end).
 */
phys_addr_t memblock_phys_alloc_range(struct machine *m, phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end)
{
	const struct memblock_type *mem = &m->memblock.memory;
	const struct memblock_type *res = &m->memblock.reserved;

	if (!size)
		return 0;
	if (end == MEMBLOCK_ALLOC_ACCESSIBLE || end > m->memblock.current_limit)
		end = m->memblock.current_limit;
	if (start < PAGE_SIZE)
		start = PAGE_SIZE;
	for (int i = (int)mem->cnt - 1; i >= 0; i--) {
		phys_addr_t m_start = mem->regions[i].base;
		phys_addr_t m_end = m_start + mem->regions[i].size;
		/* Gaps between reserved regions inside this memory region, top first. */
		int j = (int)res->cnt - 1;
		phys_addr_t hi = m_end;
		for (;;) {
			while (j >= 0 && res->regions[j].base >= hi)
				j--;
			phys_addr_t lo = m_start;
			if (j >= 0 && res->regions[j].base + res->regions[j].size > lo)
				lo = res->regions[j].base + res->regions[j].size;
			if (lo < hi) {
				phys_addr_t top = hi < end ? hi : end;
				phys_addr_t bottom = lo > start ? lo : start;
				if (top >= size && top - size >= bottom) {
					phys_addr_t cand = ALIGN_DOWN(top - size, align);
					if (cand >= bottom) {
						if (memblock_reserve(m, cand, size))
							return 0;
						return cand;
					}
				}
			}
			if (j < 0 || res->regions[j].base <= m_start)
				break;
			hi = res->regions[j].base;
			j--;
		}
	}
	return 0;
}

phys_addr_t memblock_alloc(struct machine *m, phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(m, size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE);
}

phys_addr_t memblock_start_of_DRAM(const struct machine *m)
{
	return m->memblock.memory.cnt ? m->memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(const struct machine *m)
{
	const struct memblock_type *mem = &m->memblock.memory;

	if (!mem->cnt)
		return 0;
	return mem->regions[mem->cnt - 1].base + mem->regions[mem->cnt - 1].size;
}

/*
 * The iterator index encodes (memory region, reserved region) positions.
 * A page partly reserved is not free: free ranges are rounded inwards.
 */
bool memblock_next_free_pfn_range(const struct machine *m, unsigned long *idx,
				  unsigned long *start_pfn, unsigned long *end_pfn)
{
	const struct memblock_type *mem = &m->memblock.memory;
	const struct memblock_type *res = &m->memblock.reserved;

	for (;;) {
		unsigned long mi = *idx >> 32, ri = *idx & 0xffffffffUL;
		if (mi >= mem->cnt)
			return false;
		phys_addr_t m_start = mem->regions[mi].base;
		phys_addr_t m_end = m_start + mem->regions[mi].size;
		/* The free gap ri is the one before reserved region ri. */
		phys_addr_t lo = ri == 0 ? 0 : res->regions[ri - 1].base + res->regions[ri - 1].size;
		phys_addr_t hi = ri < res->cnt ? res->regions[ri].base : ~(phys_addr_t)0;
		if (ri > res->cnt || lo >= m_end) {
			*idx = (mi + 1) << 32;
			continue;
		}
		*idx = (mi << 32) | (ri + 1);
		if (hi <= m_start)
			continue;
		if (lo < m_start)
			lo = m_start;
		if (hi > m_end)
			hi = m_end;
		unsigned long s = (unsigned long)PFN_UP(lo), e = (unsigned long)PFN_DOWN(hi);
		if (s < e) {
			*start_pfn = s;
			*end_pfn = e;
			return true;
		}
	}
}

bool memblock_next_free_pfn_range_in(const struct machine *m, unsigned long *idx,
				     unsigned long lo, unsigned long hi,
				     unsigned long *start_pfn, unsigned long *end_pfn)
{
	unsigned long s, e;

	while (memblock_next_free_pfn_range(m, idx, &s, &e)) {
		s = s < lo ? lo : s;
		e = e > hi ? hi : e;
		if (s < e) {
			*start_pfn = s;
			*end_pfn = e;
			return true;
		}
	}
	return false;
}

unsigned long memblock_free_pages_in(const struct machine *m, unsigned long lo, unsigned long hi)
{
	unsigned long idx = 0, s, e, n = 0;

	while (memblock_next_free_pfn_range_in(m, &idx, lo, hi, &s, &e))
		n += e - s;
	return n;
}

static unsigned long type_verify(const struct memblock_type *type, FILE *out)
{
	unsigned long bad = 0;

	for (unsigned int i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];
		if (!r->size) {
			fprintf(out, "memblock.%s[%u]: empty region at %#" PRIx64 "\n",
				type->name, i, (uint64_t)r->base);
			bad++;
		}
		if (i && r->base <= type->regions[i - 1].base + type->regions[i - 1].size) {
			fprintf(out, "memblock.%s[%u]: %#" PRIx64 " overlaps or touches region %u\n",
				type->name, i, (uint64_t)r->base, i - 1);
			bad++;
		}
	}
	return bad;
}

unsigned long memblock_verify(struct machine *m, FILE *out)
{
	return type_verify(&m->memblock.memory, out) + type_verify(&m->memblock.reserved, out);
}
