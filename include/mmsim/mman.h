/* mman.h — the constants of mmap, mprotect, madvise, mremap, mlock and msync,
 * with the values of Linux on x86 (include/uapi/asm-generic/mman-common.h,
 * arch/x86/include/uapi/asm/mman.h), for library users and the scenario
 * language alike. The same numbers on i386 and x86_64. The MMSIM_ prefix
 * keeps them apart from the host's <sys/mman.h>; inside the library the
 * kernel's own names are used (src/uapi_mman.h). */
#ifndef MMSIM_MMAN_H
#define MMSIM_MMAN_H

#define MMSIM_PROT_NONE	0x0
#define MMSIM_PROT_READ	0x1
#define MMSIM_PROT_WRITE	0x2
#define MMSIM_PROT_EXEC	0x4
#define MMSIM_PROT_SEM	0x8
#define MMSIM_PROT_GROWSDOWN	0x01000000	/* mprotect: extend down to the start of a stack */
#define MMSIM_PROT_GROWSUP	0x02000000

#define MMSIM_MAP_SHARED		0x01
#define MMSIM_MAP_PRIVATE		0x02
#define MMSIM_MAP_SHARED_VALIDATE	0x03	/* MMSIM_MAP_SHARED, refusing unknown flags */
#define MMSIM_MAP_TYPE		0x0f
#define MMSIM_MAP_FIXED		0x10
#define MMSIM_MAP_ANONYMOUS		0x20
#define MMSIM_MAP_32BIT		0x40	/* x86_64: in the first 2 GiB */
#define MMSIM_MAP_GROWSDOWN		0x0100
#define MMSIM_MAP_DENYWRITE		0x0800
#define MMSIM_MAP_EXECUTABLE		0x1000
#define MMSIM_MAP_LOCKED		0x2000
#define MMSIM_MAP_NORESERVE		0x4000	/* not charged to the overcommit policy */
#define MMSIM_MAP_POPULATE		0x8000	/* fault the pages in now */
#define MMSIM_MAP_NONBLOCK		0x10000
#define MMSIM_MAP_STACK		0x20000
#define MMSIM_MAP_HUGETLB		0x40000
#define MMSIM_MAP_SYNC		0x80000
#define MMSIM_MAP_FIXED_NOREPLACE	0x100000	/* MMSIM_MAP_FIXED, but -EEXIST over a mapping */
#define MMSIM_MAP_UNINITIALIZED	0x4000000
/* The flags MMSIM_MAP_SHARED (not MMSIM_MAP_SHARED_VALIDATE) passes through. */
#define MMSIM_LEGACY_MAP_MASK (MMSIM_MAP_SHARED | MMSIM_MAP_PRIVATE | MMSIM_MAP_FIXED | MMSIM_MAP_ANONYMOUS | MMSIM_MAP_DENYWRITE | \
			 MMSIM_MAP_EXECUTABLE | MMSIM_MAP_UNINITIALIZED | MMSIM_MAP_GROWSDOWN | MMSIM_MAP_LOCKED | \
			 MMSIM_MAP_NORESERVE | MMSIM_MAP_POPULATE | MMSIM_MAP_NONBLOCK | MMSIM_MAP_STACK | MMSIM_MAP_HUGETLB)

#define MMSIM_MREMAP_MAYMOVE		1
#define MMSIM_MREMAP_FIXED		2
#define MMSIM_MREMAP_DONTUNMAP	4

#define MMSIM_MADV_NORMAL		0
#define MMSIM_MADV_RANDOM		1
#define MMSIM_MADV_SEQUENTIAL		2
#define MMSIM_MADV_WILLNEED		3
#define MMSIM_MADV_DONTNEED		4
#define MMSIM_MADV_FREE		8
#define MMSIM_MADV_REMOVE		9
#define MMSIM_MADV_DONTFORK		10
#define MMSIM_MADV_DOFORK		11
#define MMSIM_MADV_MERGEABLE		12
#define MMSIM_MADV_UNMERGEABLE	13
#define MMSIM_MADV_HUGEPAGE		14
#define MMSIM_MADV_NOHUGEPAGE		15
#define MMSIM_MADV_DONTDUMP		16
#define MMSIM_MADV_DODUMP		17
#define MMSIM_MADV_WIPEONFORK		18
#define MMSIM_MADV_KEEPONFORK		19
#define MMSIM_MADV_COLD		20
#define MMSIM_MADV_PAGEOUT		21
#define MMSIM_MADV_POPULATE_READ	22
#define MMSIM_MADV_POPULATE_WRITE	23
#define MMSIM_MADV_DONTNEED_LOCKED	24

#define MMSIM_MCL_CURRENT	1
#define MMSIM_MCL_FUTURE	2
#define MMSIM_MCL_ONFAULT	4
#define MMSIM_MLOCK_ONFAULT	0x01

#define MMSIM_MS_ASYNC	1
#define MMSIM_MS_INVALIDATE	2
#define MMSIM_MS_SYNC		4

#endif /* MMSIM_MMAN_H */
