/* cmd_swap.c — swapon and swapoff, as util-linux's tools are used.
 *
 *   swapon [-p PRIO] SIZE|FILE...   add swap: SIZE (64M, 1G ...) makes one of
 *                                   mmsim's memory devices of that size, as
 *                                   if mkswap'ed; FILE is a host file made
 *                                   with mkswap (a name that reads as a size
 *                                   needs a path: ./64M)
 *   swapon [--show] | -s            the areas in use (--show's table, or
 *                                   /proc/swaps)
 *   swapoff NAME... | -a            swap everything back in and remove
 *
 * The kernel does the work (mm/swapfile.c); failures read as util-linux
 * reports them: "swapon: NAME: swapon failed: Invalid argument". */
#include <stdlib.h>
#include <string.h>

#include <mmsim/errno.h>

#include "cli/engine.h"
#include "mm/swap.h"

/* util-linux's size_to_human_string(SIZE_SUFFIX_1LETTER): 64M, 1.5G, 0B. */
static void human_size(unsigned long long bytes, char *out, size_t len)
{
	static const char units[] = "BKMGTPE";
	int exp = 0;

	while (exp < 6 && bytes >= (1ULL << (10 * (exp + 1))))
		exp++;
	unsigned long long whole = bytes >> (10 * exp);
	unsigned long long frac = exp ? bytes & ((1ULL << (10 * exp)) - 1) : 0;
	/* One decimal, rounded, as util-linux prints it. */
	unsigned long long tenth = exp ? (frac * 10 + (1ULL << (10 * exp)) / 2) >> (10 * exp) : 0;
	if (tenth == 10) {
		whole++;
		tenth = 0;
	}
	if (tenth)
		snprintf(out, len, "%u.%u%c", (unsigned int)whole, (unsigned int)tenth, units[exp]);
	else
		snprintf(out, len, "%u%c", (unsigned int)whole, units[exp]);
}

/* swapon --show: NAME and TYPE left, SIZE, USED and PRIO right, each column as wide as its widest cell. */
static int swapon_show(struct cli *c)
{
	struct swap_state *s = c->m->swap;
	int w_name = 4, w_type = 4, w_size = 4, w_used = 4, w_prio = 4, n = 0;
	char size[MAX_SWAPFILES_MAX][32], used[MAX_SWAPFILES_MAX][32], prio[MAX_SWAPFILES_MAX][16];
	struct swap_info_struct *rows[MAX_SWAPFILES_MAX];

	for (unsigned int t = 0; t < s->nr_swapfiles; t++) {
		struct swap_info_struct *si = s->info[t];
		if (!(si->flags & SWP_WRITEOK))
			continue;
		rows[n] = si;
		human_size((unsigned long long)si->pages << PAGE_SHIFT, size[n], sizeof(size[n]));
		human_size((unsigned long long)si->inuse_pages << PAGE_SHIFT, used[n], sizeof(used[n]));
		snprintf(prio[n], sizeof(prio[n]), "%d", si->prio);
#define WIDEN(w, str) do { int l_ = (int)strlen(str); if (l_ > (w)) (w) = l_; } while (0)
		WIDEN(w_name, si->name);
		WIDEN(w_type, si->is_file ? "file" : "partition");
		WIDEN(w_size, size[n]);
		WIDEN(w_used, used[n]);
		WIDEN(w_prio, prio[n]);
#undef WIDEN
		n++;
	}
	if (!n)
		return 0;
	fprintf(c->out, "%-*s %-*s %*s %*s %*s\n", w_name, "NAME", w_type, "TYPE", w_size, "SIZE",
		w_used, "USED", w_prio, "PRIO");
	for (int i = 0; i < n; i++)
		fprintf(c->out, "%-*s %-*s %*s %*s %*s\n", w_name, rows[i]->name, w_type,
			rows[i]->is_file ? "file" : "partition", w_size, size[i], w_used, used[i],
			w_prio, prio[i]);
	return 0;
}

static int cmd_swapon(struct cli *c, int argc, char **argv)
{
	int prio = -1, i = 1, rc = 0;

	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "--show")))
		return swapon_show(c);
	if (argc == 2 && !strcmp(argv[1], "-s")) {
		proc_swaps_show(c->m, c->out);
		return 0;
	}
	if (!strcmp(argv[1], "-p")) {
		if (argc < 4)
			return cli_usage(c, argv[0]);
		char *end;
		long p = strtol(argv[2], &end, 10);
		if (*end || end == argv[2] || p < 0 || p > 32767)
			return cli_error(c, "swapon: priority '%s' is not a number from 0 to 32767", argv[2]);
		prio = (int)p;
		i = 3;
	}
	for (; i < argc; i++) {
		uint64_t size;
		bool is_size = argv[i][0] >= '0' && argv[i][0] <= '9' && !parse_size(argv[i], &size);
		int err = is_size ? do_swapon(c->m, NULL, size, prio) : do_swapon(c->m, argv[i], 0, prio);
		if (err == -MMSIM_EINVAL && is_size)
			rc = cli_error(c, "swapon: %s: a memory swap device is 40 KiB to %llu GiB", argv[i],
				       SWAP_MEMORY_MAX >> 30);
		else if (err)
			rc = cli_error(c, "swapon: %s: swapon failed: %s", argv[i], mmsim_strerror(-err));
	}
	return rc;
}

static int cmd_swapoff(struct cli *c, int argc, char **argv)
{
	struct swap_state *s = c->m->swap;
	int rc = 0;

	if (argc == 2 && !strcmp(argv[1], "-a")) {
		for (unsigned int t = 0; t < s->nr_swapfiles; t++) {
			struct swap_info_struct *si = s->info[t];
			if (!(si->flags & SWP_WRITEOK))
				continue;
			char name[sizeof(si->name)];
			snprintf(name, sizeof(name), "%s", si->name);
			int err = do_swapoff(c->m, name);
			if (err)
				rc = cli_error(c, "swapoff: %s: swapoff failed: %s", name, mmsim_strerror(-err));
		}
		return rc;
	}
	for (int i = 1; i < argc; i++) {
		int err = do_swapoff(c->m, argv[i]);
		if (err)
			rc = cli_error(c, "swapoff: %s: swapoff failed: %s", argv[i], mmsim_strerror(-err));
	}
	return rc;
}

static const struct cli_command swap_commands[] = {
	{ "swapon", 0, CLI_ANY, "[-p PRIO] SIZE|FILE... | --show | -s",
	  "add swap: a memory device of SIZE (64M ...) or a host file made with mkswap; alone, "
	  "list the areas", cmd_swapon, 0, "-" },
	{ "swapoff", 1, CLI_ANY, "NAME... | -a",
	  "swap every page of an area back in and stop using it", cmd_swapoff, 0, "-" },
};

CLI_COMMAND_SET(cli_swap_commands, "Memory pressure", "swap", swap_commands);
