/* test_slab.c — SLUB (mm/slub.c): geometry against the real kernel and an
 * independent rendering of its formulas, the kmalloc family, the lists,
 * shrink/destroy giving every page back, slub_debug reports and /proc
 * output (the commands are test_cli.c's). */
#include <libgen.h>

#include "test.h"
#include "helpers.h"
#include "mm/slab.h"

/* Boot and make sure the slab allocator is up (whether or not boot wires it). */
static struct machine *slab_boot(enum mmsim_arch arch, uint64_t mib, unsigned int cpus)
{
	struct machine *m = boot(arch, mib, cpus);

	if (m && !m->slab && kmem_cache_init(m)) {
		mmsim_destroy(m);
		return NULL;
	}
	return m;
}

static void slab_done(struct machine *m)
{
	kmem_cache_release(m);
	mmsim_destroy(m);
}

static unsigned long free_pages_now(struct machine *m)
{
	drain_all_pages(m);
	return global_zone_page_state(m, NR_FREE_PAGES);
}

static unsigned long check(struct machine *m)
{
	return slab_verify(m, stderr) + verify(m);
}

/* ---- fixtures ------------------------------------------------------------ */

struct row { char name[64]; unsigned long active, total; unsigned int size, per, pages; };

/* The ===SLABINFO_FULL rows of a fixture file (or of a captured /proc/slabinfo). */
static int parse_slabinfo(const char *text, struct row *rows, int max)
{
	int n = 0;
	const char *p = text;

	while (p && *p && n < max) {
		const char *eol = strchr(p, '\n');
		struct row r;
		if (sscanf(p, "%63s %lu %lu %u %u %u : tunables", r.name, &r.active, &r.total, &r.size,
			   &r.per, &r.pages) == 6 && strcmp(r.name, "#"))
			rows[n++] = r;
		p = eol ? eol + 1 : NULL;
	}
	return n;
}

static char *fixture_section(const char *file, const char *section)
{
	char path[1024], dir[1024];

	snprintf(dir, sizeof(dir), "%s", __FILE__);
	snprintf(path, sizeof(path), "%s/fixtures/oracle/%s", dirname(dir), file);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = NULL, line[512];
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);
	bool in = false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "===", 3)) {
			in = !strncmp(line + 3, section, strlen(section)) &&
			     line[3 + strlen(section)] == '\n';
			continue;
		}
		if (in)
			fputs(line, o);
	}
	fclose(o);
	fclose(f);
	return buf;
}

static const char *const fixture_files[] = {
	"linux-6.1-i386-64M.txt", "linux-6.1-i386-1024M.txt", "linux-6.1-i386-2048M.txt",
	"linux-6.1-i386-4096M.txt", "linux-6.1-x86_64-1024M.txt", "linux-6.1-x86_64-8192M.txt",
	"linux-6.1-x86_64-16384M.txt",
};

/*
 * Every cache the real kernels show: from its stride (objsize), SLUB's
 * calculate_order() with one CPU (min_objects 8) gives the same objects
 * per slab and pages per slab — 150-odd caches of every size.
 */
static bool test_order_matches_every_fixture_cache(void)
{
	static struct row rows[400];
	int checked = 0;

	for (size_t f = 0; f < ARRAY_SIZE(fixture_files); f++) {
		char *text = fixture_section(fixture_files[f], "SLABINFO_FULL");
		ASSERT_TRUE(text);
		int n = parse_slabinfo(text, rows, 400);
		free(text);
		ASSERT_TRUE(n > 100);
		for (int i = 0; i < n; i++) {
			int order = slub_calculate_order(rows[i].size, 8);
			if ((1u << order) != rows[i].pages ||
			    slub_order_objects((unsigned)order, rows[i].size) != rows[i].per) {
				fprintf(stderr, "%s: %s size %u: got %u/%u, kernel %u/%u\n",
					fixture_files[f], rows[i].name, rows[i].size,
					slub_order_objects((unsigned)order, rows[i].size), 1u << order,
					rows[i].per, rows[i].pages);
				return false;
			}
			checked++;
		}
	}
	ASSERT_TRUE(checked > 700);
	return true;
}

/* The caches processes come from (kernel/fork.c, mm/rmap.c, kernel/cred.c, kernel/pid.c, fs). */
static bool process_cache(const char *name)
{
	static const char *const names[] = {
		"task_struct", "mm_struct", "vm_area_struct", "anon_vma", "anon_vma_chain",
		"files_cache", "signal_cache", "sighand_cache", "cred_jar", "pid", "filp",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/*
 * kmalloc-*, dma-kmalloc-*, kmalloc-rcl-*, kmalloc-cg-*, kmem_cache(_node)
 * and the process caches: the real rows, in the real order.
 */
static bool check_boot_caches(enum mmsim_arch arch, uint64_t mib, const char *file)
{
	static struct row want[400], got[400];
	struct machine *m = slab_boot(arch, mib, 1);
	ASSERT_TRUE(m);
	char *text = fixture_section(file, "SLABINFO_FULL");
	ASSERT_TRUE(text);
	int nw = parse_slabinfo(text, want, 400);
	free(text);
	char *mine = NULL;
	CAPTURE(mine, proc_slabinfo_show(m, _f));
	int ng = parse_slabinfo(mine, got, 400);
	ASSERT_STR_CONTAINS(mine, "slabinfo - version: 2.1\n# name            <active_objs> "
			    "<num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> "
			    "<batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> "
			    "<sharedavail>\n");
	free(mine);
	int matched = 0, pos_w = -1;
	for (int i = 0; i < nw; i++) {
		if (!strstr(want[i].name, "kmalloc") && strncmp(want[i].name, "kmem_cache", 10) &&
		    !process_cache(want[i].name))
			continue;
		bool found = false;
		for (int j = 0; j < ng; j++)
			if (!strcmp(got[j].name, want[i].name)) {
				ASSERT_EQ(got[j].size, want[i].size);
				ASSERT_EQ(got[j].per, want[i].per);
				ASSERT_EQ(got[j].pages, want[i].pages);
				/* Same relative order as the kernel lists them. */
				ASSERT_TRUE(j > pos_w);
				pos_w = j;
				found = true;
			}
		if (!found) {
			fprintf(stderr, "%s: no cache %s\n", file, want[i].name);
			return false;
		}
		matched++;
	}
	ASSERT_EQ(matched, 2 + 4 * 13 + 11);
	ASSERT_EQ(ng, 2 + 4 * 13 + 11);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, arch == MMSIM_ARCH_I386
			    ? "SLUB: HWalign=32, Order=0-3, MinObjects=0, CPUs=1, Nodes=1\n"
			    : "SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=1, Nodes=1\n");
	free(log);
	ASSERT_EQ(check(m), 0);
	slab_done(m);
	return true;
}

static bool test_boot_caches_i386(void)
{
	return check_boot_caches(MMSIM_ARCH_I386, 2048, "linux-6.1-i386-2048M.txt") &&
	       check_boot_caches(MMSIM_ARCH_I386, 64, "linux-6.1-i386-64M.txt");
}

static bool test_boot_caches_x86_64(void)
{
	return check_boot_caches(MMSIM_ARCH_X86_64, 8192, "linux-6.1-x86_64-8192M.txt") &&
	       check_boot_caches(MMSIM_ARCH_X86_64, 1024, "linux-6.1-x86_64-1024M.txt");
}

static void noop_ctor(void *obj)
{
	(void)obj;
}

/*
 * The process caches exist from boot with the real kernel's geometry
 * (objsize, objperslab, pagesperslab of Debian's slabinfo).
 */
static bool test_mm_caches_match_fixture(void)
{
	static const struct { const char *name; unsigned int s32, p32, g32, s64, p64, g64; } real[] = {
		{ "task_struct", 2944, 11, 8, 6208, 5, 8 },
		{ "mm_struct", 576, 14, 2, 1152, 14, 4 },
		{ "vm_area_struct", 72, 56, 1, 152, 26, 1 },
		{ "anon_vma", 56, 73, 1, 104, 39, 1 },
		{ "anon_vma_chain", 32, 128, 1, 64, 64, 1 },
		{ "files_cache", 256, 16, 1, 704, 11, 2 },
		{ "signal_cache", 736, 11, 2, 1152, 14, 4 },
		{ "sighand_cache", 1312, 12, 4, 2112, 15, 8 },
		{ "cred_jar", 128, 32, 1, 192, 21, 1 },
		{ "pid", 64, 64, 1, 128, 32, 1 },
		{ "filp", 160, 25, 1, 256, 16, 1 },
	};

	for (int a = 0; a < 2; a++) {
		bool is32 = a == 0;
		struct machine *m = slab_boot(is32 ? MMSIM_ARCH_I386 : MMSIM_ARCH_X86_64,
					      is32 ? 2048 : 8192, 1);
		ASSERT_TRUE(m);
		for (unsigned int i = 0; i < ARRAY_SIZE(real); i++) {
			struct kmem_cache *s = mmsim_kmem_cache_find(m, real[i].name);
			ASSERT_TRUE(s);
			ASSERT_EQ(s->size, is32 ? real[i].s32 : real[i].s64);
			ASSERT_EQ(s->oo_objects, is32 ? real[i].p32 : real[i].p64);
			ASSERT_EQ(1u << s->oo_order, is32 ? real[i].g32 : real[i].g64);
		}
		ASSERT_EQ(check(m), 0);
		slab_done(m);
	}
	return true;
}

/*
 * The layout formula, written out again independently: word-rounded size,
 * free pointer outside the object for ctor / RCU, HWCACHE alignment halved
 * while the object fits in half a line, minimum alignment 8, and the order
 * search (waste 1/16, 1/8, 1/4, then fewer objects).
 */
static unsigned int ref_align(unsigned int line, unsigned int size, unsigned int align, bool hw)
{
	if (hw) {
		unsigned int r = line;
		while (size <= r / 2)
			r /= 2;
		if (r > align)
			align = r;
	}
	return align < 8 ? 8 : align;
}

static void ref_geometry_exact(unsigned int ptr, unsigned int line, unsigned int cpus,
			       unsigned int size, unsigned int align, bool hw, bool ctor,
			       unsigned int *stride, unsigned int *objs, unsigned int *pages)
{
	/*
	 * calc_slab_order() loops from get_order(min_objects * size) upward
	 * while the waste is too big; written here as that loop.
	 */
	unsigned int a = ref_align(line, size, align, hw);
	unsigned int s = (size + ptr - 1) / ptr * ptr;
	if (ctor)
		s += ptr;
	s = (s + a - 1) / a * a;
	unsigned int fls_cpus = 0;
	while ((1u << fls_cpus) <= cpus)
		fls_cpus++;
	unsigned int min_objects = 4 * (fls_cpus + 1);
	unsigned int max_objects = (4096u << 3) / s;
	if (min_objects > max_objects)
		min_objects = max_objects;
	*stride = s;
	for (; min_objects > 1; min_objects--)
		for (unsigned int frac = 16; frac >= 4; frac /= 2) {
			unsigned int order = 0;
			while ((4096u << order) < min_objects * s)
				order++;
			for (; order <= 3; order++)
				if ((4096u << order) % s <= (4096u << order) / frac)
					break;
			if (order <= 3) {
				*objs = (4096u << order) / s;
				*pages = 1u << order;
				return;
			}
		}
	unsigned int order = 0;
	while ((4096u << order) < s)
		order++;
	*objs = (4096u << order) / s;
	*pages = 1u << order;
}

static bool test_geometry_table(void)
{
	static const unsigned int aligns[] = { 0, 8, 16, 32, 64, 128 };
	char name[64];

	for (int a = 0; a < 2; a++)
		for (unsigned int cpus = 1; cpus <= 4; cpus++) {
			bool is32 = a == 0;
			struct machine *m = slab_boot(is32 ? MMSIM_ARCH_I386 : MMSIM_ARCH_X86_64, 256,
						      cpus);
			ASSERT_TRUE(m);
			unsigned int n = 0;
			for (unsigned int size = 8; size <= 8192; size += size < 256 ? 4 : size < 2048 ? 24 : 136)
				for (size_t ai = 0; ai < ARRAY_SIZE(aligns); ai++)
					for (int variant = 0; variant < 3; variant++) {
						bool hw = variant == 1, ctor = variant == 2;
						snprintf(name, sizeof(name), "t%u-%zu-%d", size, ai, variant);
						struct kmem_cache *s = kmem_cache_create(m, name, size, aligns[ai],
								hw ? SLAB_HWCACHE_ALIGN : 0,
								ctor ? noop_ctor : NULL);
						ASSERT_TRUE(s);
						unsigned int stride, objs, pages;
						ref_geometry_exact(is32 ? 4 : 8, is32 ? 32 : 64, cpus, size,
								   aligns[ai], hw, ctor, &stride, &objs, &pages);
						if (s->size != stride || s->oo_objects != objs ||
						    (1u << s->oo_order) != pages) {
							fprintf(stderr, "%s cpus %u: got %u %u/%u want %u %u/%u\n",
								name, cpus, s->size, s->oo_objects,
								1u << s->oo_order, stride, objs, pages);
							return false;
						}
						kmem_cache_destroy(m, s);
						n++;
					}
			ASSERT_TRUE(n > 1000);
			if (cpus == 2) {
				/* Two CPUs: min_objects 12, so kmalloc-1k takes order 2. */
				struct kmem_cache *k = kmalloc_slab(m, 1000, GFP_KERNEL);
				ASSERT_EQ(k->oo_order, 2);
				ASSERT_EQ(k->oo_objects, 16);
			}
			ASSERT_EQ(check(m), 0);
			slab_done(m);
		}
	return true;
}

/* ---- kmalloc -------------------------------------------------------------- */

static bool test_kmalloc_index(void)
{
	struct machine *m = slab_boot(MMSIM_ARCH_I386, 256, 2);
	ASSERT_TRUE(m);
	for (size_t size = 1; size <= 8192; size++) {
		unsigned int want = size <= 8 ? 8 : size <= 16 ? 16 : size <= 32 ? 32 : size <= 64 ? 64
			: size <= 96 ? 96 : size <= 128 ? 128 : size <= 192 ? 192 : 256;
		while (want < size)
			want *= 2;
		struct kmem_cache *s = kmalloc_slab(m, size, GFP_KERNEL);
		ASSERT_TRUE(s);
		ASSERT_EQ(s->object_size, want);
		unsigned long x = kmalloc(m, size, GFP_KERNEL);
		ASSERT_TRUE(x);
		ASSERT_TRUE(virt_to_cache(m, x) == s);
		ASSERT_EQ(ksize(m, x), want);
		kfree(m, x);
	}
	ASSERT_EQ(kmalloc_index(96), 1);
	ASSERT_EQ(kmalloc_index(192), 2);
	ASSERT_EQ(kmalloc_index(193), 8);
	ASSERT_TRUE(!strcmp(mmsim_kmem_cache_name(kmalloc_slab(m, 40, GFP_DMA)), "dma-kmalloc-64"));
	ASSERT_TRUE(!strcmp(mmsim_kmem_cache_name(kmalloc_slab(m, 40, GFP_KERNEL | __GFP_RECLAIMABLE)),
			    "kmalloc-rcl-64"));
	ASSERT_TRUE(!strcmp(mmsim_kmem_cache_name(kmalloc_slab(m, 40, GFP_KERNEL_ACCOUNT)), "kmalloc-cg-64"));
	ASSERT_TRUE(!strcmp(mmsim_kmem_cache_name(kmalloc_slab(m, 5000, GFP_KERNEL)), "kmalloc-8k"));
	ASSERT_TRUE(!kmalloc_slab(m, 8193, GFP_KERNEL));
	ASSERT_EQ(check(m), 0);
	slab_done(m);
	return true;
}

static bool test_kmalloc_family(void)
{
	struct machine *m = slab_boot(MMSIM_ARCH_I386, 2048, 2);
	ASSERT_TRUE(m);
	unsigned long before = free_pages_now(m);

	ASSERT_EQ(kmalloc(m, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(m, ZERO_SIZE_PTR);
	kfree(m, 0);

	/* Objects are direct-map addresses whose bytes are real. */
	unsigned long x = kmalloc(m, 40, GFP_KERNEL);
	ASSERT_TRUE(x >= m->page_offset && x < m->page_offset + ((uint64_t)m->max_low_pfn << 12));
	memset(mmsim_kaddr(m, x), 0x11, 40);
	ASSERT_EQ(ksize(m, x), 64);

	unsigned long z = kzalloc(m, 100, GFP_KERNEL);
	for (int i = 0; i < 128; i++)
		ASSERT_EQ(((unsigned char *)mmsim_kaddr(m, z))[i], 0);
	unsigned long c = kcalloc(m, 10, 30, GFP_KERNEL);
	ASSERT_EQ(ksize(m, c), 512);
	ASSERT_EQ(kcalloc(m, (size_t)1 << 40, (size_t)1 << 40, GFP_KERNEL), 0);

	unsigned long s = kstrdup(m, "hello, slab", GFP_KERNEL);
	ASSERT_TRUE(!strcmp(mmsim_kaddr(m, s), "hello, slab"));
	ASSERT_EQ(ksize(m, s), 16);
	unsigned long d = kmemdup(m, "abcdefgh", 8, GFP_KERNEL);
	ASSERT_TRUE(!memcmp(mmsim_kaddr(m, d), "abcdefgh", 8));

	/* krealloc keeps the bytes; in place while it fits. */
	ASSERT_EQ(krealloc(m, x, 60, GFP_KERNEL), x);
	unsigned long y = krealloc(m, x, 300, GFP_KERNEL);
	ASSERT_TRUE(y != x);
	ASSERT_EQ(((unsigned char *)mmsim_kaddr(m, y))[39], 0x11);
	ASSERT_EQ(ksize(m, y), 512);
	ASSERT_EQ(krealloc(m, y, 0, GFP_KERNEL), ZERO_SIZE_PTR);

	/* GFP_DMA: ZONE_DMA pages. */
	unsigned long dma = kmalloc(m, 200, GFP_KERNEL | GFP_DMA);
	ASSERT_TRUE(__pa(m, dma) < SZ_16M);
	ASSERT_TRUE(!strcmp(mmsim_kmem_cache_name(virt_to_cache(m, dma)), "dma-kmalloc-256"));

	/* Large: straight from the page allocator, counted as SUnreclaim. */
	unsigned long slab_pages, rec, unrec, unrec2;
	meminfo_slab_values(m, &slab_pages, &rec, &unrec);
	unsigned long big = kmalloc(m, 100000, GFP_KERNEL);
	ASSERT_TRUE(big && !(big & 4095));
	ASSERT_TRUE(!virt_to_cache(m, big));
	ASSERT_EQ(ksize(m, big), 131072);
	meminfo_slab_values(m, NULL, NULL, &unrec2);
	ASSERT_EQ(unrec2, unrec + 32);
	ASSERT_EQ(check(m), 0);
	kfree(m, big);
	unsigned long max = kmalloc(m, KMALLOC_MAX_SIZE, GFP_KERNEL);
	ASSERT_TRUE(max);
	kfree(m, max);
	ASSERT_EQ(kmalloc(m, KMALLOC_MAX_SIZE + 1, GFP_KERNEL), 0);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c __alloc_pages");
	free(log);

	/* __GFP_HIGHMEM is not for slab memory: fixed up, with the kernel's words. */
	unsigned long h = kmalloc(m, 3000, GFP_KERNEL | __GFP_HIGHMEM);
	ASSERT_TRUE(h);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "Unexpected gfp: 0x2 (__GFP_HIGHMEM). Fixing up to gfp: 0xcc0 "
			    "(GFP_KERNEL). Fix your code!");
	free(log);

	kfree(m, h);
	kfree(m, z);
	kfree(m, c);
	kfree(m, s);
	kfree(m, d);
	kfree(m, dma);
	ASSERT_EQ(check(m), 0);
	for (struct list_head *l = m->slab->slab_caches.next; l != &m->slab->slab_caches; l = l->next)
		kmem_cache_shrink(m, list_entry(l, struct kmem_cache, list));
	ASSERT_EQ(free_pages_now(m), before);
	slab_done(m);
	return true;
}

/* ---- lists, cache-hot reuse, shrink, destroy ------------------------------ */

static bool test_lifo_cache_hot(void)
{
	struct machine *m = slab_boot(MMSIM_ARCH_X86_64, 1024, 2);
	ASSERT_TRUE(m);
	struct kmem_cache *s = kmem_cache_create(m, "hot", 40, 0, 0, NULL);
	ASSERT_TRUE(s);
	unsigned long a = kmem_cache_alloc(m, s, GFP_KERNEL);
	unsigned long b = kmem_cache_alloc(m, s, GFP_KERNEL);
	ASSERT_EQ(b, a + s->size);	/* a fresh slab hands objects out in order */
	kmem_cache_free(m, s, a);
	kmem_cache_free(m, s, b);
	ASSERT_EQ(kmem_cache_alloc(m, s, GFP_KERNEL), b);	/* last freed, first reused */
	ASSERT_EQ(kmem_cache_alloc(m, s, GFP_KERNEL), a);
	/* The free pointer sits in the middle of a free object: ALIGN_DOWN(40 / 2, 8). */
	ASSERT_EQ(s->offset, 16);
	/* Another CPU's slab is its own. */
	m->cur_cpu = 1;
	unsigned long c = kmem_cache_alloc(m, s, GFP_KERNEL);
	ASSERT_TRUE((c & ~4095UL) != (a & ~4095UL));
	kmem_cache_free(m, s, a);	/* a remote free onto cpu 0's slab */
	m->cur_cpu = 0;
	ASSERT_EQ(check(m), 0);
	kmem_cache_free(m, s, b);
	kmem_cache_free(m, s, c);
	ASSERT_EQ(check(m), 0);
	kmem_cache_destroy(m, s);
	ASSERT_EQ(check(m), 0);
	slab_done(m);
	return true;
}

/*
 * The per-CPU object array in front of SLUB's freelists: frees fill it
 * without touching a slab, a full array gives its oldest batchcount objects
 * back to the slabs, allocations take the newest first, slabinfo counts its
 * objects as active, shrink drains every CPU's, and mmsim_slab_tune() sizes
 * it or turns it off (6.1's SLUB unchanged).
 */
static bool test_cpu_array(void)
{
	struct machine *m = slab_boot(MMSIM_ARCH_X86_64, 1024, 2);
	ASSERT_TRUE(m);
	unsigned long before = free_pages_now(m);
	struct kmem_cache *s = kmem_cache_create(m, "arr", 200, 0, 0, NULL);
	ASSERT_TRUE(s);
	ASSERT_EQ(s->array_limit, 120);		/* SLAB's size for objects up to 256 bytes */
	ASSERT_EQ(s->batchcount, 60);
	enum { N = 400 };
	static unsigned long obj[N];
	for (int i = 0; i < N; i++)
		ASSERT_TRUE(obj[i] = kmem_cache_alloc(m, s, GFP_KERNEL));
	struct kmem_cache_cpu *c = &s->cpu_slab[0];
	ASSERT_EQ(c->avail, 0);
	unsigned long active, total, slabs;

	/* 120 frees: all in the array; no slab saw one, so none is partial. */
	for (int i = 0; i < 120; i++)
		kmem_cache_free(m, s, obj[i]);
	ASSERT_EQ(c->avail, 120);
	ASSERT_TRUE(!c->partial);
	ASSERT_EQ(s->node.nr_partial, 0);
	slab_cache_counts(s, &active, &total, &slabs);
	ASSERT_EQ(active, total);		/* as 6.1 counts a CPU freelist's objects */
	ASSERT_EQ(check(m), 0);

	/* The 121st: the oldest 60 go back to their slabs, then it is pushed. */
	kmem_cache_free(m, s, obj[120]);
	ASSERT_EQ(c->avail, 61);
	ASSERT_EQ(c->array[0], obj[60]);
	ASSERT_EQ(c->array[60], obj[120]);
	ASSERT_TRUE(c->partial || s->node.nr_partial);
	ASSERT_EQ(check(m), 0);
	/* Newest first. */
	ASSERT_EQ(kmem_cache_alloc(m, s, GFP_KERNEL), obj[120]);
	ASSERT_EQ(kmem_cache_alloc(m, s, GFP_KERNEL), obj[119]);
	ASSERT_EQ(c->avail, 59);

	/* Another CPU's frees stay in that CPU's array. */
	m->cur_cpu = 1;
	kmem_cache_free(m, s, obj[200]);
	kfree(m, obj[201]);
	ASSERT_EQ(s->cpu_slab[1].avail, 2);
	ASSERT_EQ(kmem_cache_alloc(m, s, GFP_KERNEL), obj[201]);
	m->cur_cpu = 0;
	ASSERT_EQ(check(m), 0);

	/* shrink drains every CPU's array: each object is free in its slab again. */
	kmem_cache_shrink(m, s);
	ASSERT_EQ(c->avail, 0);
	ASSERT_EQ(s->cpu_slab[1].avail, 0);
	ASSERT_EQ(check(m), 0);

	/* Tunables: bad ones are refused; limit 0 is 6.1's SLUB. */
	ASSERT_EQ(mmsim_slab_tune(m, s, 10, 11), -22);
	ASSERT_EQ(mmsim_slab_tune(m, s, 10, 0), -22);
	ASSERT_EQ(mmsim_slab_tune(m, s, SLAB_ARRAY_MAX_LIMIT + 1, 1), -22);
	ASSERT_EQ(mmsim_slab_tune(m, s, 0, 0), 0);
	ASSERT_EQ(c->limit, 0);
	kmem_cache_free(m, s, obj[300]);	/* straight to its (full) slab: a CPU partial */
	ASSERT_EQ(c->avail, 0);
	ASSERT_TRUE(c->partial && c->partial->freelist == obj[300]);
	ASSERT_EQ(mmsim_slab_tune(m, s, 16, 4), 0);
	for (int i = 301; i < 318; i++)
		kmem_cache_free(m, s, obj[i]);
	ASSERT_EQ(c->avail, 13);		/* 16, less 4 given back, plus one */
	ASSERT_EQ(check(m), 0);

	/* Globally: off for every cache and for new ones; then the defaults again. */
	ASSERT_EQ(mmsim_slab_tune(m, NULL, 0, 0), 0);
	struct kmem_cache *k64 = mmsim_kmem_cache_find(m, "kmalloc-64");
	ASSERT_EQ(k64->cpu_slab[0].limit, 0);
	struct kmem_cache *t = kmem_cache_create(m, "arr-off", 64, 0, 0, NULL);
	ASSERT_EQ(t->array_limit, 0);
	ASSERT_EQ(mmsim_slab_tune(m, NULL, 1, 1), 0);
	ASSERT_EQ(k64->cpu_slab[0].limit, 120);
	ASSERT_EQ(mmsim_kmem_cache_find(m, "kmalloc-2k")->array_limit, 24);
	ASSERT_EQ(t->array_limit, 120);
	kmem_cache_destroy(m, t);

	/* A debug cache has no array: its frees are checked at once. */
	for (int i = 119; i < N; i++)	/* all but the ones still free (200, 300..317) */
		if (i != 200 && (i < 300 || i >= 318))
			kmem_cache_free(m, s, obj[i]);
	ASSERT_EQ(mmsim_slub_debug(m, s, SLAB_DEBUG_FLAGS), 0);
	ASSERT_EQ(c->limit, 0);
	unsigned long d = kmem_cache_alloc(m, s, GFP_KERNEL);
	kmem_cache_free(m, s, d);
	kmem_cache_free(m, s, d);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "BUG arr (Not tainted): Object already free");
	free(log);
	ASSERT_EQ(check(m), 0);
	kmem_cache_destroy(m, s);
	ASSERT_EQ(free_pages_now(m), before);
	ASSERT_EQ(check(m), 0);
	slab_done(m);
	return true;
}

static unsigned long cache_slabs(struct kmem_cache *s)
{
	unsigned long a, t, n;

	slab_cache_counts(s, &a, &t, &n);
	return n;
}

static bool test_partial_lists_shrink_destroy(void)
{
	for (int arch = 0; arch < 2; arch++) {
		struct machine *m = slab_boot(arch ? MMSIM_ARCH_X86_64 : MMSIM_ARCH_I386, 512, 2);
		ASSERT_TRUE(m);
		unsigned long before = free_pages_now(m);
		unsigned long sl0, rec0, un0;
		meminfo_slab_values(m, &sl0, &rec0, &un0);
		struct kmem_cache *s = kmem_cache_create(m, "dentryish", 192, 0,
							 SLAB_RECLAIM_ACCOUNT | SLAB_HWCACHE_ALIGN, NULL);
		ASSERT_TRUE(s);
		enum { N = 5000 };
		static unsigned long obj[N];
		for (int i = 0; i < N; i++)
			ASSERT_TRUE(obj[i] = kmem_cache_alloc(m, s, GFP_KERNEL));
		unsigned long slabs = cache_slabs(s);
		ASSERT_EQ(slabs, DIV_ROUND_UP(N, s->oo_objects));
		unsigned long sl, rec, un;
		meminfo_slab_values(m, &sl, &rec, &un);
		ASSERT_EQ(rec - rec0, slabs << s->oo_order);
		ASSERT_EQ(un, un0);
		/* Free every other object: every slab becomes partial. */
		for (int i = 0; i < N; i += 2)
			kmem_cache_free(m, s, obj[i]);
		ASSERT_EQ(check(m), 0);
		ASSERT_EQ(cache_slabs(s), slabs);
		ASSERT_TRUE(s->node.nr_partial > 0);
		/* Slabs beyond the per-CPU limit went to the node list. */
		unsigned int chain = s->cpu_slab[0].partial ? s->cpu_slab[0].partial->slabs : 0;
		ASSERT_TRUE(chain <= s->cpu_partial_slabs);
		/* Free the rest: slabs empty out; the node keeps min_partial of them. */
		for (int i = 1; i < N; i += 2)
			kmem_cache_free(m, s, obj[i]);
		ASSERT_EQ(check(m), 0);
		ASSERT_TRUE(cache_slabs(s) < slabs);
		kmem_cache_shrink(m, s);
		ASSERT_EQ(cache_slabs(s), 0);
		ASSERT_EQ(check(m), 0);
		kmem_cache_destroy(m, s);
		ASSERT_TRUE(!mmsim_kmem_cache_find(m, "dentryish"));
		ASSERT_EQ(free_pages_now(m), before);
		meminfo_slab_values(m, &sl, &rec, &un);
		ASSERT_EQ(sl, sl0);
		ASSERT_EQ(check(m), 0);
		slab_done(m);
	}
	return true;
}

static bool test_destroy_busy_cache_reports(void)
{
	struct machine *m = slab_boot(MMSIM_ARCH_I386, 256, 1);
	ASSERT_TRUE(m);
	struct kmem_cache *s = kmem_cache_create(m, "leaky", 100, 0, 0, NULL);
	unsigned long x = kmem_cache_alloc(m, s, GFP_KERNEL);
	kmem_cache_destroy(m, s);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "BUG leaky (Not tainted): Objects remaining in leaky on "
			    "__kmem_cache_shutdown()");
	ASSERT_STR_CONTAINS(log, "kmem_cache_destroy leaky: Slab cache still has objects");
	free(log);
	ASSERT_TRUE(mmsim_kmem_cache_find(m, "leaky") == s);
	kmem_cache_free(m, s, x);
	kmem_cache_destroy(m, s);
	ASSERT_TRUE(!mmsim_kmem_cache_find(m, "leaky"));
	ASSERT_EQ(check(m), 0);
	slab_done(m);
	return true;
}

/*
 * Slab pages come from lowmem, never HighMem, even when the caller's GFP
 * allows HighMem: 20,000 objects of 2 KiB (40 MB, far less than the 875 MB
 * of lowmem) all succeed, each in a lowmem zone's page; freed, every one
 * of their slabs can go back.
 */
static bool test_never_highmem(void)
{
	enum { N = 20000 };
	struct machine *m = slab_boot(MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	struct kmem_cache *s = kmem_cache_create(m, "bulk", 2048, 0, 0, NULL);
	ASSERT_TRUE(s);
	unsigned long *objs = calloc(N, sizeof(*objs));
	ASSERT_TRUE(objs);
	for (int i = 0; i < N; i++) {
		objs[i] = kmem_cache_alloc(m, s, GFP_HIGHUSER);
		ASSERT_TRUE(objs[i]);
		ASSERT_TRUE(objs[i] - m->page_offset < ((uint64_t)m->max_low_pfn << 12));
	}
	ASSERT_EQ(check(m), 0);
	for (int i = 0; i < N; i++)
		kmem_cache_free(m, s, objs[i]);
	free(objs);
	kmem_cache_shrink(m, s);
	ASSERT_EQ(check(m), 0);
	kmem_cache_destroy(m, s);
	slab_done(m);
	return true;
}

/* ---- slub_debug ----------------------------------------------------------- */

static bool test_debug_reports(void)
{
	struct machine *m = slab_boot(MMSIM_ARCH_X86_64, 1024, 2);
	ASSERT_TRUE(m);
	ASSERT_EQ(mmsim_slub_debug(m, NULL, SLAB_DEBUG_FLAGS), 0);
	struct kmem_cache *k64 = kmalloc_slab(m, 64, GFP_KERNEL);
	ASSERT_TRUE(k64->flags & SLAB_RED_ZONE);
	ASSERT_TRUE(k64->size > 64);

	/* Double free. */
	unsigned long a = kmalloc(m, 64, GFP_KERNEL);
	ASSERT_EQ(((unsigned char *)mmsim_kaddr(m, a))[-1], SLUB_RED_ACTIVE);
	kfree(m, a);
	ASSERT_EQ(((unsigned char *)mmsim_kaddr(m, a))[0], POISON_FREE);
	ASSERT_EQ(((unsigned char *)mmsim_kaddr(m, a))[63], POISON_END);
	kfree(m, a);
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "BUG kmalloc-64 (Not tainted): Object already free");
	ASSERT_STR_CONTAINS(log, "FIX kmalloc-64: Object at 0x");
	free(log);
	ASSERT_EQ(check(m), 0);

	/* Use after free: the poison is found overwritten on the next allocation. */
	unsigned long b = kmalloc(m, 64, GFP_KERNEL);
	ASSERT_EQ(b, a);
	kfree(m, b);
	((unsigned char *)mmsim_kaddr(m, b))[10] = 0x42;
	FILE *devnull = fopen("/dev/null", "w");
	ASSERT_TRUE(slab_verify(m, devnull) > 0);
	fclose(devnull);
	unsigned long c = kmalloc(m, 64, GFP_KERNEL);
	ASSERT_EQ(c, b);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "BUG kmalloc-64 (Tainted: G    B             ): Poison overwritten");
	ASSERT_STR_CONTAINS(log, "First byte 0x42 instead of 0x6b");
	ASSERT_STR_CONTAINS(log, "Object   ");
	free(log);
	ASSERT_EQ(check(m), 0);

	/* Red zone overwritten: found when the object is freed. */
	((unsigned char *)mmsim_kaddr(m, c))[64] = 0;
	kfree(m, c);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "Right Redzone overwritten");
	free(log);
	ASSERT_EQ(check(m), 0);

	/* Freeing an address no slab owns; and one inside an object. */
	unsigned long page = __get_free_pages(m, GFP_KERNEL, 0);
	kfree(m, page + 8);
	unsigned long d = kmalloc(m, 64, GFP_KERNEL);
	kfree(m, d + 8);
	log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "is not owned by any slab (not freed)");
	ASSERT_STR_CONTAINS(log, "BUG kmalloc-64 (Tainted: G    B             ): Invalid object pointer 0x");
	free(log);
	kfree(m, d);
	free_pages(m, page, 0);
	ASSERT_EQ(check(m), 0);

	/* Off again for the caches that are empty; kmalloc-64 keeps the leaked object. */
	ASSERT_EQ(mmsim_slub_debug(m, NULL, 0), 0);
	ASSERT_EQ(kmalloc_slab(m, 128, GFP_KERNEL)->size, 128);
	ASSERT_TRUE(kmalloc_slab(m, 64, GFP_KERNEL)->flags & SLAB_RED_ZONE);
	ASSERT_EQ(mmsim_slub_debug(m, kmalloc_slab(m, 64, GFP_KERNEL), 0), -16);
	ASSERT_EQ(check(m), 0);
	slab_done(m);
	return true;
}

static bool test_nodebug_bad_frees_are_refused(void)
{
	struct machine *m = slab_boot(MMSIM_ARCH_I386, 512, 1);
	ASSERT_TRUE(m);
	unsigned long a = kmalloc(m, 100, GFP_KERNEL);
	kfree(m, a);
	kfree(m, a);		/* the hardened freelist's naive check */
	unsigned long b = kmalloc(m, 100, GFP_KERNEL);
	kfree(m, b + 4);
	kfree(m, m->page_offset + 0x1000);	/* a reserved page */
	kmem_cache_free(m, kmalloc_slab(m, 32, GFP_KERNEL), b);	/* wrong cache */
	char *log = dmesg(m);
	ASSERT_STR_CONTAINS(log, "BUG kmalloc-128 (Not tainted): Object already free");
	ASSERT_STR_CONTAINS(log, "Invalid object pointer");
	ASSERT_STR_CONTAINS(log, "is not owned by any slab");
	ASSERT_STR_CONTAINS(log, "Wrong slab cache. kmalloc-32 but object is from kmalloc-128");
	free(log);
	ASSERT_EQ(kmalloc(m, 100, GFP_KERNEL), b);
	ASSERT_EQ(check(m), 0);
	slab_done(m);
	return true;
}

/* A constructor runs once per object when its slab is made. */
static int ctor_calls;
static void count_ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0x77, 24);
}

static bool test_ctor(void)
{
	struct machine *m = slab_boot(MMSIM_ARCH_X86_64, 512, 1);
	ASSERT_TRUE(m);
	struct kmem_cache *s = kmem_cache_create(m, "withctor", 24, 0, 0, count_ctor);
	ASSERT_EQ(s->offset, 24);	/* the free pointer follows the object */
	unsigned long x = kmem_cache_alloc(m, s, GFP_KERNEL);
	ASSERT_EQ(ctor_calls, (int)s->oo_objects);
	ASSERT_EQ(((unsigned char *)mmsim_kaddr(m, x))[23], 0x77);
	kmem_cache_free(m, s, x);
	ASSERT_EQ(((unsigned char *)mmsim_kaddr(m, x))[0], 0x77);
	kmem_cache_destroy(m, s);
	ASSERT_EQ(check(m), 0);
	slab_done(m);
	return true;
}

/* ---- /proc ---------------------------------------------------------------------- */

/* classic: the documents' kmalloc_sizes.h, 32 B .. 4 MiB, served by caches. */
static bool test_classic_kmalloc_sizes(void)
{
	struct machine *m = boot_profile("classic", MMSIM_ARCH_I386, 2048, 1);
	ASSERT_TRUE(m);
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	proc_slabinfo_show(m, f);
	fclose(f);
	ASSERT_STR_CONTAINS(text, "\nsize-4194304(DMA)  ");
	ASSERT_STR_CONTAINS(text, "\nsize-32            ");
	ASSERT_STR_CONTAINS(text, "\nsize-192           ");
	ASSERT_STR_LACKS(text, "kmalloc-");
	ASSERT_STR_LACKS(text, "size-96");	/* L1_CACHE_BYTES is 64 */
	free(text);
	unsigned long a = kmalloc(m, 40, GFP_KERNEL);
	ASSERT_EQ(ksize(m, a), 64);			/* the documents' example */
	unsigned long b = kmalloc(m, 10, GFP_KERNEL);
	ASSERT_EQ(ksize(m, b), 32);			/* nothing below size-32 */
	unsigned long c = kmalloc(m, 100000, GFP_KERNEL);
	ASSERT_EQ(ksize(m, c), 131072);			/* a cache, not whole pages */
	unsigned long d_ = kmalloc(m, 4194304, GFP_DMA);
	ASSERT_TRUE(d_);
	ASSERT_EQ(strcmp(mmsim_kmem_cache_name(virt_to_cache(m, d_)), "size-4194304(DMA)"), 0);
	ASSERT_EQ(kmalloc(m, 4194305, GFP_KERNEL), 0);	/* beyond the largest cache */
	kfree(m, a);
	kfree(m, b);
	kfree(m, c);
	kfree(m, d_);
	ASSERT_EQ(mmsim_verify(m, stderr), 0);
	mmsim_destroy(m);
	return true;
}

TEST_MAIN(TEST(test_order_matches_every_fixture_cache), TEST(test_boot_caches_i386),
	  TEST(test_boot_caches_x86_64), TEST(test_mm_caches_match_fixture),
	  TEST(test_geometry_table), TEST(test_kmalloc_index), TEST(test_kmalloc_family),
	  TEST(test_lifo_cache_hot), TEST(test_cpu_array), TEST(test_partial_lists_shrink_destroy),
	  TEST(test_destroy_busy_cache_reports), TEST(test_never_highmem),
	  TEST(test_debug_reports), TEST(test_nodebug_bad_frees_are_refused), TEST(test_ctor),
	  TEST(test_classic_kmalloc_sizes))
