/* args.c — the one argument grammar of the scenario language and the
 * command line: numbers, sizes, GFP expressions, addresses, caches.
 *
 * A number is decimal or 0x hexadecimal, nothing else: "010" is ten, as a
 * reader expects, not C's octal eight. A size may end in K, M, G or T
 * (powers of 1024, either case, optionally followed by "B" or "iB").
 * Every value is checked against the limit the caller names; nothing is
 * truncated or wraps. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/slab.h>

#include "cli/cli.h"
#include "machine.h"
#include "mm.h"

/* Digits of @base from *p on, into *v; -1 on overflow or no digit. */
static int parse_digits(const char **p, unsigned int base, uint64_t *v)
{
	const char *s = *p;
	uint64_t n = 0;

	for (; *s; s++) {
		unsigned int d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = (unsigned int)(tolower((unsigned char)*s) - 'a' + 10);
		else
			break;
		if (n > (UINT64_MAX - d) / base)
			return -1;
		n = n * base + d;
	}
	if (s == *p)
		return -1;
	*p = s;
	*v = n;
	return 0;
}

/* A number's digits with its base prefix; the end is left in *end. */
static int parse_unsigned(const char *text, uint64_t *v, const char **end)
{
	const char *p = text;
	unsigned int base = 10;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (parse_digits(&p, base, v))
		return -1;
	*end = p;
	return 0;
}

int parse_number(const char *text, uint64_t *v)
{
	const char *end;

	return parse_unsigned(text, v, &end) || *end ? -1 : 0;
}

int parse_size(const char *text, uint64_t *v)
{
	const char *end;
	unsigned int shift = 0;
	uint64_t n;

	if (parse_unsigned(text, &n, &end))
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	}
	if (shift) {
		end++;
		if (!strcmp(end, "B") || !strcmp(end, "iB"))
			end += strlen(end);
	}
	if (*end || (shift && n > (UINT64_MAX >> shift)))
		return -1;
	*v = n << shift;
	return 0;
}

int cli_number(struct cli *c, const char *text, const char *what, uint64_t max, uint64_t *v)
{
	if (parse_number(text, v))
		return cli_error(c, "%s: '%s' is not a number (decimal, or hex with 0x)", what, text);
	if (*v > max)
		return cli_error(c, "%s: %s is out of range (at most %" PRIu64 ")", what, text, max);
	return 0;
}

int cli_size(struct cli *c, const char *text, const char *what, uint64_t max, uint64_t *v)
{
	if (parse_size(text, v))
		return cli_error(c, "%s: '%s' is not a size (a number, optionally with K, M or G)",
				 what, text);
	if (*v > max)
		return cli_error(c, "%s: %s is out of range (at most %" PRIu64 ")", what, text, max);
	return 0;
}

int cli_signed(struct cli *c, const char *text, const char *what, int64_t min, int64_t max,
	       int64_t *v)
{
	bool negative = *text == '-';
	uint64_t n;

	if (parse_number(text + negative, &n) || n > (uint64_t)INT64_MAX + negative)
		return cli_error(c, "%s: '%s' is not a number", what, text);
	*v = negative ? (int64_t)(0 - n) : (int64_t)n;
	if (*v < min || *v > max)
		return cli_error(c, "%s: %s is out of range (%" PRId64 "..%" PRId64 ")", what, text,
				 min, max);
	return 0;
}

int cli_gfp(struct cli *c, const char *text, gfp_t *gfp)
{
	const char *bad = text;
	size_t len = strlen(text);

	if (mmsim_gfp_parse(text, gfp, &bad, &len))
		return cli_error(c, "unknown GFP flag '%.*s' (e.g. GFP_KERNEL, GFP_HIGHUSER_MOVABLE, "
				 "GFP_DMA, __GFP_ZERO; combine with '|')", (int)len, bad);
	if (gfp_zone(c->m, *gfp) < 0)
		return cli_error(c, "'%s' asks for two zones at once (GFP_ZONE_BAD)", text);
	return 0;
}

/* The kernel address a name holds; 0 and an error when it has none. */
static int name_address(struct cli *c, const char *name, const struct cli_name *n, kaddr_t *addr)
{
	switch (n->kind) {
	case NAME_PAGES:
		if (n->empty)
			return cli_error(c, "'%s' holds no block (its allocation failed)", name);
		*addr = page_address(c->m, pfn_to_page(c->m, n->pfn));
		if (!*addr)
			return cli_error(c, "'%s' is a HighMem page with no kernel mapping: kmap it first",
					 name);
		return 0;
	case NAME_COMPLETION:
		return cli_error(c, "'%s' is %s, not an address", name, cli_name_kind_str(n->kind));
	default:
		if (!n->addr)
			return cli_error(c, "'%s' holds no address (its allocation failed)", name);
		*addr = n->addr;
		return 0;
	}
}

int cli_addr(struct cli *c, const char *text, kaddr_t *addr)
{
	char base[128];
	const char *plus = strchr(text, '+');
	size_t len = plus ? (size_t)(plus - text) : strlen(text);
	uint64_t off = 0;
	int rc;

	if (!len || len >= sizeof(base))
		return cli_error(c, "'%s' is not an address", text);
	memcpy(base, text, len);
	base[len] = '\0';
	if (plus && parse_number(plus + 1, &off))
		return cli_error(c, "'%s': '%s' is not an offset", text, plus + 1);
	if (isdigit((unsigned char)base[0])) {
		if (parse_number(base, addr))
			return cli_error(c, "'%s' is not an address", text);
	} else {
		const struct cli_name *n = cli_name_find(c, base);
		if (!n)
			return cli_error(c, "'%s' is neither an address nor a name", base);
		if ((rc = name_address(c, base, n, addr)))
			return rc;
	}
	uint64_t limit = c->m->is_32bit ? 0xffffffffULL : UINT64_MAX;
	if (*addr > limit || off > limit - *addr)
		return cli_error(c, "'%s' is beyond the %s address space", text,
				 c->m->is_32bit ? "32-bit" : "64-bit");
	*addr += off;
	return 0;
}

int cli_cache(struct cli *c, const char *text, struct kmem_cache **cache)
{
	*cache = mmsim_kmem_cache_find(c->m, text);
	if (!*cache)
		return cli_error(c, "no cache named '%s' (see cat /proc/slabinfo)", text);
	return 0;
}

int cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, int *opt)
{
	int o = getopt_long(argc, argv, shortopts, longopts, NULL);

	if (o == -1)
		return 1;
	if (o == '?') {
		if (optopt)
			return cli_error(c, "%s: invalid option -- '%c'", argv[0], optopt);
		return cli_error(c, "%s: unrecognized option '%s'", argv[0], argv[optind - 1]);
	}
	if (o == ':') {
		if (optopt)
			return cli_error(c, "%s: option requires an argument -- '%c'", argv[0], optopt);
		return cli_error(c, "%s: option '%s' requires an argument", argv[0], argv[optind - 1]);
	}
	*opt = o;
	return 0;
}

void cli_getopt_start(void)
{
	optind = 0;	/* GNU getopt starts afresh, for a new argv */
	opterr = 0;
}
