/* cmd_mmu.c — scenario commands of kernel virtual memory: reading and
 * writing through the software MMU, translations and page walks, changing
 * kernel PTEs, TLB flushes, and the kernel's virtual layout. */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "arch/x86/fault.h"
#include "arch/x86/layout.h"
#include "arch/x86/mmu.h"
#include "cli/cli.h"
#include "mm.h"

#define PEEK_MAX 4096

static int cmd_peek(struct cli *c, int argc, char **argv)
{
	kaddr_t addr;
	uint64_t len = 16;
	unsigned char buf[PEEK_MAX];
	int rc;

	if ((rc = cli_addr(c, argv[1], &addr)) ||
	    (argc > 2 && (rc = cli_number(c, argv[2], "length", PEEK_MAX, &len))))
		return rc;
	if (kernel_access(c->m, addr, buf, len, MMU_READ)) {
		const struct cpu_mmu *cpu = &c->m->cpu_mmu[c->m->cur_cpu];
		fprintf(c->out, "page fault at %#" PRIx64 " (error_code 0x%x): see dmesg\n", cpu->cr2,
			cpu->error_code);
		return 0;
	}
	int width = c->m->is_32bit ? 8 : 16;
	for (uint64_t i = 0; i < len; i += 16) {
		fprintf(c->out, "%0*" PRIx64 " ", width, addr + i);
		for (uint64_t j = i; j < i + 16 && j < len; j++)
			fprintf(c->out, " %02x", buf[j]);
		fprintf(c->out, "  |");
		for (uint64_t j = i; j < i + 16 && j < len; j++)
			fputc(isprint(buf[j]) ? buf[j] : '.', c->out);
		fprintf(c->out, "|\n");
	}
	return 0;
}

/* poke ADDR TEXT...: write the text (its bytes, no terminator) through the MMU. */
static int cmd_poke(struct cli *c, int argc, char **argv)
{
	char text[512] = "";
	size_t len = 0;
	kaddr_t addr;
	int rc;

	if ((rc = cli_addr(c, argv[1], &addr)))
		return rc;
	for (int i = 2; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (len + n + (i > 2) >= sizeof(text))
			return cli_error(c, "poke: text longer than %zu bytes", sizeof(text) - 1);
		if (i > 2)
			text[len++] = ' ';
		memcpy(text + len, argv[i], n);
		len += n;
	}
	if (kernel_access(c->m, addr, text, len, MMU_WRITE)) {
		const struct cpu_mmu *cpu = &c->m->cpu_mmu[c->m->cur_cpu];
		fprintf(c->out, "page fault at %#" PRIx64 " (error_code 0x%x): see dmesg\n", cpu->cr2,
			cpu->error_code);
	}
	return 0;
}

static int cmd_translate(struct cli *c, int argc, char **argv)
{
	unsigned int access = MMU_READ;
	kaddr_t addr;
	int rc;

	if ((rc = cli_addr(c, argv[1], &addr)))
		return rc;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "write"))
			access |= MMU_WRITE;
		else if (!strcmp(argv[i], "user"))
			access |= MMU_USER;
		else if (!strcmp(argv[i], "exec"))
			access |= MMU_EXEC;
		else
			return cli_error(c, "translate: '%s' is not write, user or exec", argv[i]);
	}
	phys_addr_t pa;
	struct cpu_mmu *cpu = &c->m->cpu_mmu[c->m->cur_cpu];
	unsigned long hits = cpu->stats.hits;
	if (mmu_translate(c->m, c->m->cur_cpu, addr, access, &pa))
		fprintf(c->out, "%#" PRIx64 ": page fault, error_code 0x%x (%s%s%s%s)\n", addr,
			cpu->error_code, (cpu->error_code & X86_PF_PROT) ? "protection" : "not present",
			(cpu->error_code & X86_PF_WRITE) ? ", write" : ", read",
			(cpu->error_code & X86_PF_USER) ? ", user" : ", kernel",
			(cpu->error_code & X86_PF_INSTR) ? ", instruction fetch" : "");
	else
		fprintf(c->out, "%#" PRIx64 " -> phys %#" PRIx64 " (tlb %s)\n", addr, (uint64_t)pa,
			cpu->stats.hits > hits ? "hit" : "miss");
	return 0;
}

static int cmd_walk(struct cli *c, int argc, char **argv)
{
	kaddr_t addr;
	int rc;

	(void)argc;
	if ((rc = cli_addr(c, argv[1], &addr)))
		return rc;
	mmu_walk_show(c->m, c->m->cur_cpu, addr, c->out);
	return 0;
}

static bool kernel_address(const struct machine *m, kaddr_t addr)
{
	if (addr < m->page_offset)
		return false;
	/* x86_64: canonical, i.e. bits 63..47 all one in the kernel half. */
	return m->is_32bit ? addr <= 0xffffffffULL : addr >> 47 == 0x1ffff;
}

/* set_pte ADDR PFN|NAME | clear_pte ADDR: change a kernel 4K mapping with no TLB flush. */
static int set_pte(struct cli *c, const char *where, const char *frame)
{
	struct machine *m = c->m;
	uint64_t pfn = 0;
	kaddr_t addr;
	int rc;

	if ((rc = cli_addr(c, where, &addr)))
		return rc;
	if (frame && !isdigit((unsigned char)frame[0])) {
		/* A block's name stands for its first frame. */
		struct cli_name *n = cli_name_get(c, frame, NAME_PAGES);
		if (!n)
			return 2;
		if (n->freed || n->empty)
			return cli_error(c, "'%s' holds no block any more", frame);
		pfn = n->pfn;
	} else if (frame && (rc = cli_number(c, frame, "pfn", UINT64_MAX, &pfn))) {
		return rc;
	}
	if (!kernel_address(m, addr))
		return cli_error(c, "%#" PRIx64 " is not a kernel address", addr);
	if (frame && (pfn >= m->max_pfn || !pfn_valid(m, (unsigned long)pfn)))
		return cli_error(c, "pfn %#" PRIx64 " is not memory on this machine", pfn);
	enum pt_level level;
	phys_addr_t table;
	unsigned int idx;
	if (pt_lookup(m, m->swapper_pg_dir, addr, &level, &table, &idx) && level != PT_PTE)
		return cli_error(c, "%#" PRIx64 " is mapped by a large page; set_pte changes 4K "
				 "mappings", addr);
	uint64_t pte = frame ? PFN_PHYS(pfn) | _PAGE_PRESENT | _PAGE_RW : 0;
	if (pt_set_pte(m, m->swapper_pg_dir, addr, pte, NULL))
		fprintf(c->out, "set_pte: no memory for a page table\n");
	return 0;
}

static int cmd_set_pte(struct cli *c, int argc, char **argv)
{
	(void)argc;
	return set_pte(c, argv[1], argv[2]);
}

static int cmd_clear_pte(struct cli *c, int argc, char **argv)
{
	(void)argc;
	return set_pte(c, argv[1], NULL);
}

static int cmd_flush_tlb_one(struct cli *c, int argc, char **argv)
{
	kaddr_t a;
	int rc;

	(void)argc;
	if ((rc = cli_addr(c, argv[1], &a)))
		return rc;
	flush_tlb_one_kernel(c->m, c->m->cur_cpu, a);
	return 0;
}

static int cmd_flush_tlb_kernel_range(struct cli *c, int argc, char **argv)
{
	kaddr_t a, b;
	int rc;

	(void)argc;
	if ((rc = cli_addr(c, argv[1], &a)) || (rc = cli_addr(c, argv[2], &b)))
		return rc;
	if (b < a)
		return cli_error(c, "flush_tlb_kernel_range: END is below START");
	flush_tlb_kernel_range(c->m, a, b);
	return 0;
}

static int cmd_flush_tlb_all(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	flush_tlb_all(c->m);
	return 0;
}

static int cmd_tlb(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mmu_stats_show(c->m, c->out);
	return 0;
}

static int cmd_layout(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	show_virtual_layout(c->m, c->out, false);
	return 0;
}

static const struct cli_command mmu_commands[] = {
	{ "peek", 1, 2, "ADDR [LEN]",
	  "read through the current CPU's MMU (kernel mode); a fault oopses in dmesg",
	  cmd_peek, 0, "n-" },
	{ "poke", 2, CLI_ANY, "ADDR TEXT...", "write TEXT's bytes through the MMU",
	  cmd_poke, 0, "n-" },
	{ "translate", 1, 4, "ADDR [write] [user] [exec]",
	  "one translation: the physical address and TLB hit or miss, or the fault's error code",
	  cmd_translate, 0, "n-" },
	{ "walk", 1, 1, "ADDR",
	  "the page-table walk: each level's entry and flags, the frame and its struct page",
	  cmd_walk, 0, "n" },
	{ "set_pte", 2, 2, "ADDR PFN|NAME", "map a kernel 4K page to a frame without flushing the TLB",
	  cmd_set_pte, 0, "nn" },
	{ "clear_pte", 1, 1, "ADDR", "unmap a kernel 4K page without flushing the TLB",
	  cmd_clear_pte, 0, "n" },
	{ "flush_tlb_one", 1, 1, "ADDR", "invlpg on the current CPU",
	  cmd_flush_tlb_one, 0, "n" },
	{ "flush_tlb_kernel_range", 2, 2, "START END",
	  "flush a range on every CPU (everything above 33 pages)",
	  cmd_flush_tlb_kernel_range, 0, "n" },
	{ "flush_tlb_all", 0, 0, "", "flush every CPU's TLB, global entries too",
	  cmd_flush_tlb_all, 0, "-" },
	{ "tlb", 0, 0, "", "per-CPU TLB hits, misses, walks, flushes, faults, CR2, error code",
	  cmd_tlb, 0, "-" },
	{ "layout", 0, 0, "", "the kernel's virtual address layout",
	  cmd_layout, 0, "-" },
};

CLI_COMMAND_SET(cli_mmu_commands, "Kernel virtual memory: addresses, page tables, TLBs", "mmu",
		mmu_commands);
