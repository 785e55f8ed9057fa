/* mmsim.h — the whole public interface of libmmsim, in one include.
 *
 *   #include <mmsim/mmsim.h>
 *   cc prog.c $(pkg-config --cflags --libs mmsim)
 *
 * machine.h boots and inspects machines; gfp.h is the page allocator,
 * slab.h SLUB and kmalloc, vmalloc.h vmalloc/vmap/ioremap, highmem.h the
 * kmaps, page.h struct page and frame contents; the rest are the types
 * they share. Usable from C and C++. */
#ifndef MMSIM_MMSIM_H
#define MMSIM_MMSIM_H

#include <mmsim/types.h>
#include <mmsim/errno.h>
#include <mmsim/export.h>
#include <mmsim/list.h>
#include <mmsim/mm_types.h>
#include <mmsim/mmzone.h>
#include <mmsim/machine.h>
#include <mmsim/gfp.h>
#include <mmsim/mman.h>
#include <mmsim/page.h>
#include <mmsim/process.h>
#include <mmsim/slab.h>
#include <mmsim/swap.h>
#include <mmsim/trace.h>
#include <mmsim/dma.h>
#include <mmsim/vmalloc.h>
#include <mmsim/highmem.h>

#endif /* MMSIM_MMSIM_H */
