/* layout.c — the kernel's virtual address layout, as a table.
 *
 * 2.6 to 4.x i386 kernels printed "virtual kernel memory layout" at the end
 * of mem_init(); the classic profile does so in its boot log. The `layout`
 * command prints the same table for any profile (6.1 prints none, so its
 * dmesg does not either). On x86_64 the table lists the regions of
 * Documentation/x86/x86_64/mm.rst as 6.1 lays them out without KASLR. */
#include <inttypes.h>

#include "arch/x86/layout.h"
#include "mm.h"

/*
 * VMALLOC_START: high_memory plus the VMALLOC_OFFSET guard gap (i386); the
 * 2.6 kernels rounded it to the next 8 MiB boundary past one full gap.
 */
uint64_t arch_vmalloc_start(const struct machine *m)
{
	uint64_t off = m->profile->vmalloc_offset;

	if (!m->is_32bit)
		return X86_64_VMALLOC_START;
	if (m->profile->log_style == BOOT_LOG_CLASSIC)
		return (m->high_memory + 2 * off - 1) & ~(off - 1);
	return m->high_memory + off;
}

/* VMALLOC_END: i386 below the pkmap area; x86_64 32 TiB on (inclusive). */
uint64_t arch_vmalloc_end(const struct machine *m)
{
	if (!m->is_32bit)
		return X86_64_VMALLOC_START + (X86_64_VMALLOC_SIZE_TB << 40) - 1;
	return m->vmalloc_end;
}

static void line32(FILE *out, struct machine *m, bool log, const char *name, uint64_t start,
		   uint64_t end, bool mb)
{
	uint64_t size = (end - start) >> (mb ? 20 : 10);
	char buf[96];

	snprintf(buf, sizeof(buf), "    %-8s: 0x%08" PRIx64 " - 0x%08" PRIx64 "   (%4" PRIu64 " %s)\n",
		 name, start, end, size, mb ? "MB" : "kB");
	/* Each line of the kernel's one printk gets its own timestamp. */
	if (log)
		printk(m, KERN_INFO "%s", buf);
	else
		fputs(buf, out);
}

void show_virtual_layout(struct machine *m, FILE *out, bool log)
{
	const struct mm_profile *p = m->profile;

	if (!m->is_32bit) {
		static const struct { const char *name; uint64_t start, end; } r[] = {
			{ "user space", 0, 0x00007fffffffffffULL },
			{ "non-canonical hole", 0x0000800000000000ULL, 0xffff7fffffffffffULL },
			{ "direct map (page_offset_base)", 0xffff888000000000ULL, 0xffffc87fffffffffULL },
			{ "vmalloc/ioremap (vmalloc_base)", X86_64_VMALLOC_START,
			  X86_64_VMALLOC_START + (X86_64_VMALLOC_SIZE_TB << 40) - 1 },
			{ "vmemmap (struct pages)", 0xffffea0000000000ULL, 0xffffeaffffffffffULL },
			{ "kernel text (__START_KERNEL_map)", 0xffffffff80000000ULL, 0xffffffff9fffffffULL },
			{ "modules", 0xffffffffa0000000ULL, 0xfffffffffeffffffULL },
			{ "fixmap", 0xffffffffff000000ULL, 0xffffffffff7ff000ULL },
		};
		fprintf(out, "virtual memory layout (x86_64, 4-level):\n");
		for (size_t i = 0; i < ARRAY_SIZE(r); i++)
			fprintf(out, "    %-34s: 0x%016" PRIx64 " - 0x%016" PRIx64 "\n", r[i].name,
				r[i].start, r[i].end);
		return;
	}
	uint64_t fix_top = p->fixaddr_top;
	uint64_t fix_start = fix_top - (uint64_t)p->fixmap_permanent_pages * PAGE_SIZE;
	uint64_t text = __va(m, m->boot.kernel_start);
	uint64_t etext = text + ALIGN_UP((uint64_t)p->image.text * 1024, PAGE_SIZE);
	uint64_t edata = __va(m, m->boot.init_start);
	if (log)
		printk(m, KERN_INFO "virtual kernel memory layout:\n");
	else
		fprintf(out, "virtual kernel memory layout:\n");
	line32(out, m, log, "fixmap", fix_start, fix_top, false);
	line32(out, m, log, "pkmap", m->pkmap_base,
	       m->pkmap_base + (uint64_t)p->last_pkmap * PAGE_SIZE, false);
	line32(out, m, log, "vmalloc", arch_vmalloc_start(m), arch_vmalloc_end(m), true);
	line32(out, m, log, "lowmem", m->page_offset, m->high_memory, true);
	line32(out, m, log, "  .init", __va(m, m->boot.init_start), __va(m, m->boot.init_end), false);
	line32(out, m, log, "  .data", etext, edata, false);
	line32(out, m, log, "  .text", text, etext, false);
}
