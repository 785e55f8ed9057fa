/* test_public_api.c — the library as an outside program uses it: only the
 * public headers, no internals. */
#include <string.h>

#include <mmsim/gfp.h>
#include <mmsim/machine.h>
#include <mmsim/page.h>

#include "test.h"

static bool test_boot_allocate_write_read(void)
{
	struct machine_desc d;
	char err[256];

	mmsim_desc_init(&d);
	d.mem_bytes = 256ULL << 20;
	struct machine *m = mmsim_boot(&d, err, sizeof(err));
	ASSERT_TRUE(m);
	struct page *p = alloc_pages(m, GFP_KERNEL, 2);
	ASSERT_TRUE(p);
	unsigned long pfn = mmsim_page_to_pfn(m, p);
	ASSERT_TRUE(mmsim_pfn_to_page(m, pfn) == p);
	ASSERT_EQ(mmsim_page_address(m, p), 0xc0000000ULL + ((uint64_t)pfn << 12));
	ASSERT_TRUE(!strcmp(mmsim_page_zone_name(m, p), "Normal"));
	char *bytes = mmsim_page_data(m, p);
	strcpy(bytes + 3 * 4096, "written through the library");
	/* The last page of the block is the frame pfn + 3. */
	ASSERT_TRUE(!strcmp(mmsim_page_data(m, mmsim_pfn_to_page(m, pfn + 3)),
			    "written through the library"));
	__free_pages(m, p, 2);
	ASSERT_TRUE(mmsim_pfn_to_page(m, 1UL << 30) == NULL);
	ASSERT_EQ(mmsim_verify(m, stderr), 0);
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(TEST(test_boot_allocate_write_read))
