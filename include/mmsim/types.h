/* types.h — basic kernel types and page-size constants shared by every mm header.
 *
 * Physical addresses are 64-bit even on the simulated i386 (the e820 map can
 * describe RAM above 4 GiB that a non-PAE kernel must ignore). */
#ifndef MMSIM_TYPES_H
#define MMSIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mmsim/errno.h>
#include <mmsim/export.h>

MMSIM_BEGIN_DECLS

typedef uint64_t phys_addr_t;
/*
 * A virtual address of the simulated kernel (the kernel's unsigned long or
 * void *): 32 significant bits on i386, 64 on x86_64. 0 is NULL. Read and
 * write through it with the MMU, or for the direct map with mmsim_kaddr().
 */
typedef uint64_t kaddr_t;
typedef unsigned int gfp_t;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)

#define SZ_1K	0x400UL
#define SZ_64K	0x10000UL
#define SZ_1M	0x100000UL
#define SZ_2M	0x200000UL
#define SZ_16M	0x1000000UL
#define SZ_1G	0x40000000UL

#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)		(((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

MMSIM_END_DECLS

#endif /* MMSIM_TYPES_H */
