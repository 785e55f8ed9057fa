/* demo.c — the built-in demo: the story of the source documents, told with
 * what the simulator can do so far. It is an ordinary scenario (see
 * docs/scenario.md), so every line of it can be typed by hand too. */
#include "cli/demo.h"

static const char demo_i386[] =
	"echo === A 32-bit PC with 2 GiB of RAM boots. The kernel owns only 1 GiB of\n"
	"echo === virtual addresses (3G/1G split), and maps RAM linearly at PAGE_OFFSET\n"
	"echo === 0xc0000000 only as far as that 1 GiB allows: the rest is HIGHMEM.\n"
	"dmesg\n"
	"echo\n"
	"echo === The zones, as /proc/zoneinfo shows them: spanned, present, managed,\n"
	"echo === and the watermarks the allocator keeps free.\n"
	"cat /proc/zoneinfo\n"
	"echo\n"
	"echo === Free memory is kept in power-of-two blocks per zone (/proc/buddyinfo:\n"
	"echo === columns are orders 0..10, i.e. 4 KiB..4 MiB blocks).\n"
	"cat /proc/buddyinfo\n"
	"echo\n"
	"echo === An order-3 request (8 pages) from Normal splits one big block:\n"
	"echo === the unused halves appear in the lower orders.\n"
	"alloc_pages a GFP_KERNEL 3\n"
	"show a\n"
	"cat /proc/buddyinfo\n"
	"echo\n"
	"echo === Freeing it merges every half back with its buddy.\n"
	"free_pages a\n"
	"drain\n"
	"cat /proc/buddyinfo\n"
	"echo\n"
	"echo === GFP flags choose the zone: user pages may live in HighMem and have no\n"
	"echo === permanent kernel address. GFP_DMA is served below 16 MiB.\n"
	"alloc_pages user GFP_HIGHUSER_MOVABLE 0\n"
	"alloc_pages dma GFP_DMA 0\n"
	"alloc_pages kern GFP_KERNEL 0\n"
	"show user\n"
	"show dma\n"
	"show kern\n"
	"free_pages user; free_pages dma; free_pages kern\n"
	"echo\n"
	"echo\n"
	"echo === Freeing a page twice is caught and reported the way a kernel with\n"
	"echo === CONFIG_DEBUG_VM reports it, and the free lists stay intact:\n"
	"alloc_pages twice GFP_KERNEL 0\n"
	"free_pages twice\n"
	"free_pages twice\n"
	"dmesg\n"
	"verify\n";

static const char demo_x86_64[] =
	"echo === A 64-bit PC: the kernel maps all RAM. The zones are DMA (16 MiB),\n"
	"echo === DMA32 (the first 4 GiB, for 32-bit devices) and Normal.\n"
	"dmesg\n"
	"cat /proc/zoneinfo\n"
	"cat /proc/buddyinfo\n"
	"alloc_pages a GFP_KERNEL 3\n"
	"show a\n"
	"alloc_pages b GFP_DMA32 0\n"
	"show b\n"
	"free_pages a; free_pages b\n"
	"verify\n";

const char *demo_scenario(enum mmsim_arch arch)
{
	return arch == MMSIM_ARCH_X86_64 ? demo_x86_64 : demo_i386;
}
