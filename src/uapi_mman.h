/* uapi_mman.h (internal) — the kernel's names for the mmap family's
 * constants (PROT_READ, MAP_PRIVATE, MADV_DONTNEED ...), with the values of
 * the simulated x86 kernel from <mmsim/mman.h>. No file that includes this
 * may include the host's <sys/mman.h> (only kernel/host.c does). */
#ifndef MMSIM_UAPI_MMAN_H
#define MMSIM_UAPI_MMAN_H

#include <mmsim/mman.h>

#define PROT_NONE                MMSIM_PROT_NONE
#define PROT_READ                MMSIM_PROT_READ
#define PROT_WRITE               MMSIM_PROT_WRITE
#define PROT_EXEC                MMSIM_PROT_EXEC
#define PROT_SEM                 MMSIM_PROT_SEM
#define PROT_GROWSDOWN           MMSIM_PROT_GROWSDOWN
#define PROT_GROWSUP             MMSIM_PROT_GROWSUP
#define MAP_SHARED               MMSIM_MAP_SHARED
#define MAP_PRIVATE              MMSIM_MAP_PRIVATE
#define MAP_SHARED_VALIDATE      MMSIM_MAP_SHARED_VALIDATE
#define MAP_TYPE                 MMSIM_MAP_TYPE
#define MAP_FIXED                MMSIM_MAP_FIXED
#define MAP_ANONYMOUS            MMSIM_MAP_ANONYMOUS
#define MAP_32BIT                MMSIM_MAP_32BIT
#define MAP_GROWSDOWN            MMSIM_MAP_GROWSDOWN
#define MAP_DENYWRITE            MMSIM_MAP_DENYWRITE
#define MAP_EXECUTABLE           MMSIM_MAP_EXECUTABLE
#define MAP_LOCKED               MMSIM_MAP_LOCKED
#define MAP_NORESERVE            MMSIM_MAP_NORESERVE
#define MAP_POPULATE             MMSIM_MAP_POPULATE
#define MAP_NONBLOCK             MMSIM_MAP_NONBLOCK
#define MAP_STACK                MMSIM_MAP_STACK
#define MAP_HUGETLB              MMSIM_MAP_HUGETLB
#define MAP_SYNC                 MMSIM_MAP_SYNC
#define MAP_FIXED_NOREPLACE      MMSIM_MAP_FIXED_NOREPLACE
#define MAP_UNINITIALIZED        MMSIM_MAP_UNINITIALIZED
#define LEGACY_MAP_MASK          MMSIM_LEGACY_MAP_MASK
#define MREMAP_MAYMOVE           MMSIM_MREMAP_MAYMOVE
#define MREMAP_FIXED             MMSIM_MREMAP_FIXED
#define MREMAP_DONTUNMAP         MMSIM_MREMAP_DONTUNMAP
#define MADV_NORMAL              MMSIM_MADV_NORMAL
#define MADV_RANDOM              MMSIM_MADV_RANDOM
#define MADV_SEQUENTIAL          MMSIM_MADV_SEQUENTIAL
#define MADV_WILLNEED            MMSIM_MADV_WILLNEED
#define MADV_DONTNEED            MMSIM_MADV_DONTNEED
#define MADV_FREE                MMSIM_MADV_FREE
#define MADV_REMOVE              MMSIM_MADV_REMOVE
#define MADV_DONTFORK            MMSIM_MADV_DONTFORK
#define MADV_DOFORK              MMSIM_MADV_DOFORK
#define MADV_MERGEABLE           MMSIM_MADV_MERGEABLE
#define MADV_UNMERGEABLE         MMSIM_MADV_UNMERGEABLE
#define MADV_HUGEPAGE            MMSIM_MADV_HUGEPAGE
#define MADV_NOHUGEPAGE          MMSIM_MADV_NOHUGEPAGE
#define MADV_DONTDUMP            MMSIM_MADV_DONTDUMP
#define MADV_DODUMP              MMSIM_MADV_DODUMP
#define MADV_WIPEONFORK          MMSIM_MADV_WIPEONFORK
#define MADV_KEEPONFORK          MMSIM_MADV_KEEPONFORK
#define MADV_COLD                MMSIM_MADV_COLD
#define MADV_PAGEOUT             MMSIM_MADV_PAGEOUT
#define MADV_POPULATE_READ       MMSIM_MADV_POPULATE_READ
#define MADV_POPULATE_WRITE      MMSIM_MADV_POPULATE_WRITE
#define MADV_DONTNEED_LOCKED     MMSIM_MADV_DONTNEED_LOCKED
#define MCL_CURRENT              MMSIM_MCL_CURRENT
#define MCL_FUTURE               MMSIM_MCL_FUTURE
#define MCL_ONFAULT              MMSIM_MCL_ONFAULT
#define MLOCK_ONFAULT            MMSIM_MLOCK_ONFAULT
#define MS_ASYNC                 MMSIM_MS_ASYNC
#define MS_INVALIDATE            MMSIM_MS_INVALIDATE
#define MS_SYNC                  MMSIM_MS_SYNC

#endif /* MMSIM_UAPI_MMAN_H */
