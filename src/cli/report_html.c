/* report_html.c — the report document drawn as one self-contained HTML
 * file: inline SVG drawn here (svg.c), the stylesheet and the script of
 * src/cli/report/ built in, the data the hover cards need embedded as
 * JSON. Nothing is fetched: the file opens offline in any browser.
 *
 * The panels: physical memory frame by frame (one SVG unit a frame, rows
 * of a power of two), the kernel's virtual layout to scale, each process's
 * VMAs, pages and page tables, time series of the samples with the events
 * marked, and the /proc files the snapshot read. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

#include "cli/report.h"
#include "cli/svg.h"

extern const char report_css[], report_js[];

#define CHART_W 900.0
#define CHART_H 180.0
#define CHART_L 70.0	/* room for the y axis' labels */

static uint64_t hexval(const json_t *v)
{
	const char *s = json_string_value(v);
	return s ? strtoull(s, NULL, 16) : 0;
}

static long long ival(const json_t *obj, const char *key)
{
	return (long long)json_integer_value(json_object_get(obj, key));
}

static const char *sval(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

static void human_bytes(char *buf, size_t n, double bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	int u = 0;

	while (bytes >= 1024 && u < 6) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, n, bytes < 10 && u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

/* ---- physical memory ------------------------------------------------------------------ */

/*
 * The map is a picture of one pixel a frame (a PNG, inside the SVG, drawn
 * pixelated at every zoom): a rectangle a run would make a fragmented
 * machine's file tens of megabytes. Its colours are these, by owner
 * (mmsim_frame_owner's order) and, for free blocks, by order.
 */
#define PALETTE_FREE	16	/* free blocks of order k: PALETTE_FREE + k */
#define PALETTE_NONE	31	/* past the last frame */
#define PALETTE_SWAPCACHE 14	/* anonymous memory that is also in the swap cache */
static const unsigned char palette[32][3] = {
	[0] = { 0x55, 0x55, 0x55 },	/* hole */
	[1] = { 0xb0, 0x89, 0x68 },	/* reserved */
	[2] = { 0x6d, 0x4c, 0x41 },	/* kernel image */
	[3] = { 0xff, 0xeb, 0x3b },	/* zero page */
	[4] = { 0x1b, 0x5e, 0x20 },	/* free (its orders below) */
	[5] = { 0x26, 0xa6, 0x9a },	/* per-CPU lists */
	[6] = { 0x80, 0xde, 0xea },	/* isolated */
	[7] = { 0xef, 0x6c, 0x00 },	/* slab */
	[8] = { 0x8e, 0x24, 0xaa },	/* page tables */
	[9] = { 0xd8, 0x1b, 0x60 },	/* vmalloc */
	[10] = { 0x1e, 0x88, 0xe5 },	/* anonymous */
	[11] = { 0x43, 0xa0, 0x47 },	/* page cache */
	[12] = { 0xe5, 0x39, 0x35 },	/* kernel */
	[13] = { 0x00, 0x00, 0x00 },	/* not drawn */
	[PALETTE_SWAPCACHE] = { 0xff, 0x70, 0x43 },	/* anonymous, in the swap cache */
	[PALETTE_FREE + 0] = { 0xe8, 0xf5, 0xe9 }, [PALETTE_FREE + 1] = { 0xdc, 0xed, 0xc8 },
	[PALETTE_FREE + 2] = { 0xc5, 0xe1, 0xa5 }, [PALETTE_FREE + 3] = { 0xae, 0xd5, 0x81 },
	[PALETTE_FREE + 4] = { 0x9c, 0xcc, 0x65 }, [PALETTE_FREE + 5] = { 0x8b, 0xc3, 0x4a },
	[PALETTE_FREE + 6] = { 0x7c, 0xb3, 0x42 }, [PALETTE_FREE + 7] = { 0x68, 0x9f, 0x38 },
	[PALETTE_FREE + 8] = { 0x55, 0x8b, 0x2f }, [PALETTE_FREE + 9] = { 0x33, 0x69, 0x1e },
	[PALETTE_FREE + 10] = { 0x1b, 0x5e, 0x20 }, [PALETTE_FREE + 11] = { 0x0d, 0x3d, 0x12 },
	[PALETTE_FREE + 12] = { 0x08, 0x2a, 0x0c }, [PALETTE_FREE + 13] = { 0x04, 0x1a, 0x06 },
	[PALETTE_NONE] = { 0xff, 0xff, 0xff },
};

/* The frames a row: about twice as wide as tall, a power of two. */
static unsigned long map_columns(unsigned long pixels)
{
	unsigned long cols = 64;

	while (cols * cols < 2 * pixels && cols < (1UL << 15))
		cols *= 2;
	return cols;
}

static unsigned char run_colour(const json_t *detail)
{
	long long owner = ival(detail, "owner");

	if (owner == 4)
		return (unsigned char)(PALETTE_FREE + (ival(detail, "order") > 13 ? 13 : ival(detail, "order")));
	if (owner == 10 && json_is_true(json_object_get(detail, "swapcache")))
		return PALETTE_SWAPCACHE;
	return owner >= 0 && owner < 14 ? (unsigned char)owner : 13;
}

struct png_buffer {
	unsigned char *data;
	size_t len, cap;
	bool failed;
};

static void png_write_to_buffer(png_structp png, png_bytep data, png_size_t n)
{
	struct png_buffer *b = png_get_io_ptr(png);

	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + n)
			cap *= 2;
		unsigned char *more = realloc(b->data, cap);
		if (!more) {
			b->failed = true;
			return;
		}
		b->data = more;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
}

static void png_flush_nothing(png_structp png)
{
	(void)png;
}

/* @rows of @cols palette indices as an 8-bit palette PNG, with libpng. 0, or -1. */
static int encode_png(const unsigned char *pixels, unsigned long cols, unsigned long rows,
		      struct png_buffer *b)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	png_color colours[32];

	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	for (int i = 0; i < 32; i++)
		colours[i] = (png_color){ palette[i][0], palette[i][1], palette[i][2] };
	png_set_write_fn(png, b, png_write_to_buffer, png_flush_nothing);
	png_set_IHDR(png, info, (png_uint_32)cols, (png_uint_32)rows, 8, PNG_COLOR_TYPE_PALETTE,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_PLTE(png, info, colours, 32);
	png_write_info(png, info);
	for (unsigned long y = 0; y < rows; y++)
		png_write_row(png, (png_const_bytep)(pixels + y * cols));
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return b->failed ? -1 : 0;
}

static void put_base64(FILE *out, const unsigned char *data, size_t n)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)data[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)data[i + 1] << 8;
		if (i + 2 < n)
			v |= data[i + 2];
		fputc(digits[(v >> 18) & 63], out);
		fputc(digits[(v >> 12) & 63], out);
		fputc(i + 1 < n ? digits[(v >> 6) & 63] : '=', out);
		fputc(i + 2 < n ? digits[v & 63] : '=', out);
	}
}

/*
 * The picture: each pixel the colour of the run that covers most of it
 * (one frame a pixel up to MAP_MAX_PIXELS frames; bigger machines are
 * drawn at a power of two frames a pixel).
 */
#define MAP_MAX_PIXELS (1UL << 24)

static unsigned char *map_pixels(const json_t *runs, const json_t *details, unsigned long pixels,
				 unsigned long scale, size_t size)
{
	unsigned char *px = malloc(size);
	unsigned long cur = ~0UL, best_len = 0;
	unsigned char best = PALETTE_NONE;

	if (!px)
		return NULL;
	memset(px, PALETTE_NONE, size);
	for (size_t i = 0; i + 4 < json_array_size(runs); i += 5) {
		unsigned long pfn = (unsigned long)json_integer_value(json_array_get(runs, i));
		unsigned long nr = (unsigned long)json_integer_value(json_array_get(runs, i + 1));
		unsigned char colour = run_colour(json_array_get(details,
			(size_t)json_integer_value(json_array_get(runs, i + 2))));
		while (nr) {
			unsigned long p = pfn / scale, in = scale - pfn % scale;
			unsigned long take = in < nr ? in : nr;
			if (p != cur) {
				cur = p;
				best_len = 0;
			}
			if (take > best_len && p < pixels) {
				best_len = take;
				best = colour;
				px[p] = best;
			}
			/* Whole pixels of this run at once. */
			pfn += take;
			nr -= take;
			if (nr >= scale && pfn % scale == 0) {
				unsigned long whole = nr / scale;
				unsigned long from = pfn / scale;
				if (from < pixels)
					memset(px + from, colour, (from + whole <= pixels ? whole : pixels - from));
				pfn += whole * scale;
				nr -= whole * scale;
				cur = pfn / scale - 1;
			}
		}
	}
	return px;
}

static void put_varint(unsigned char **p, uint64_t v)
{
	while (v >= 0x80) {
		*(*p)++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*(*p)++ = (unsigned char)v;
}

/*
 * The runs for the hover card, packed: five varints a run (the gap since
 * the last run's end, frames, detail, mapping pid, its address in pages),
 * deflated with zlib, in base64. The script inflates them with the
 * browser's DecompressionStream.
 */
static int put_packed_runs(FILE *out, const json_t *runs)
{
	size_t n = json_array_size(runs) / 5;
	unsigned char *raw = malloc(n * 5 * 10 + 1), *p = raw;
	uint64_t end = 0;

	if (!raw)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t pfn = (uint64_t)json_integer_value(json_array_get(runs, 5 * i));
		uint64_t nr = (uint64_t)json_integer_value(json_array_get(runs, 5 * i + 1));
		put_varint(&p, pfn - end);
		put_varint(&p, nr);
		put_varint(&p, (uint64_t)json_integer_value(json_array_get(runs, 5 * i + 2)));
		put_varint(&p, (uint64_t)json_integer_value(json_array_get(runs, 5 * i + 3)));
		put_varint(&p, (uint64_t)json_integer_value(json_array_get(runs, 5 * i + 4)) >> 12);
		end = pfn + nr;
	}
	uLongf zlen = compressBound((uLong)(p - raw));
	unsigned char *z = malloc(zlen);
	int rc = z && compress2(z, &zlen, raw, (uLong)(p - raw), 9) == Z_OK ? 0 : -1;
	if (!rc) {
		fprintf(out, "<script type=\"application/octet-stream\" id=\"mmsim-runs\" "
			"data-runs=\"%zu\">", n);
		put_base64(out, z, zlen);
		fputs("</script>\n", out);
	}
	free(raw);
	free(z);
	return rc;
}

static void legend_swatch(FILE *out, unsigned int colour)
{
	fprintf(out, "<i style=\"background:#%02x%02x%02x\"></i>", palette[colour][0],
		palette[colour][1], palette[colour][2]);
}

static int physical_panel(FILE *out, const json_t *snap, const json_t *machine)
{
	const json_t *frames = json_object_get(snap, "frames");
	const json_t *runs = json_object_get(frames, "runs"), *details = json_object_get(frames, "details");
	const json_t *owners = json_object_get(frames, "owners");
	unsigned long max_pfn = (unsigned long)ival(frames, "max_pfn"), scale = 1;
	while (max_pfn / scale > MAP_MAX_PIXELS)
		scale *= 2;
	unsigned long pixels = (max_pfn + scale - 1) / scale;
	unsigned long cols = map_columns(pixels), rows = (pixels + cols - 1) / cols;
	double band = cols / 16.0, width = cols + band * 1.25;
	size_t nowners = json_array_size(owners);
	unsigned long long count[32] = { 0 };
	char buf[64];
	struct png_buffer png = { 0 };

	unsigned char *px = map_pixels(runs, details, pixels, scale, rows * cols);
	if (!px || encode_png(px, cols, rows, &png)) {
		free(px);
		free(png.data);
		return -1;
	}
	free(px);
	for (size_t i = 0; i + 4 < json_array_size(runs); i += 5) {
		const json_t *d = json_array_get(details, (size_t)json_integer_value(json_array_get(runs, i + 2)));
		count[run_colour(d)] += (unsigned long long)json_integer_value(json_array_get(runs, i + 1));
	}
	fputs("<section id=\"physical\"><h2>Physical memory</h2>\n<p class=\"note\">Every frame of "
	      "the machine, ", out);
	if (scale == 1)
		fprintf(out, "one pixel a 4 KiB page, %lu to a row", cols);
	else
		fprintf(out, "one pixel %lu frames (the colour of the run that covers most of them), "
			"%lu pixels to a row", scale, cols);
	fputs("; the band on the right marks the zones. Scroll to zoom (down to one frame), drag "
	      "to pan, hover for the frame's struct page. <button id=\"zoom-reset\">whole "
	      "machine</button> go to pfn <input id=\"zoom-pfn\" size=\"10\"></p>\n", out);
	char attrs[256];
	snprintf(attrs, sizeof(attrs), "id=\"physmap\" data-cols=\"%lu\" data-rows=\"%lu\" "
		 "data-width=\"%.4g\" data-scale=\"%lu\" preserveAspectRatio=\"xMinYMin meet\"",
		 cols, rows, width, scale);
	svg_open(out, width, (double)rows, attrs);
	fprintf(out, "<image id=\"framemap\" x=\"0\" y=\"0\" width=\"%lu\" height=\"%lu\" "
		"preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" "
		"href=\"data:image/png;base64,", cols, rows);
	put_base64(out, png.data, png.len);
	fputs("\"/>\n", out);
	free(png.data);
	/* CMA's pageblocks, whatever holds them now: outlined, row by row. */
	unsigned long long cma_frames = 0;
	for (size_t i = 0; i + 4 < json_array_size(runs);) {
		const json_t *d = json_array_get(details, (size_t)json_integer_value(json_array_get(runs, i + 2)));
		if (strcmp(sval(d, "migratetype"), "CMA")) {
			i += 5;
			continue;
		}
		unsigned long from = (unsigned long)json_integer_value(json_array_get(runs, i)), to = from;
		for (; i + 4 < json_array_size(runs); i += 5) {
			d = json_array_get(details, (size_t)json_integer_value(json_array_get(runs, i + 2)));
			unsigned long pfn = (unsigned long)json_integer_value(json_array_get(runs, i));
			if (strcmp(sval(d, "migratetype"), "CMA") || pfn != to)
				break;
			to = pfn + (unsigned long)json_integer_value(json_array_get(runs, i + 1));
		}
		cma_frames += to - from;
		for (unsigned long p = from / scale; p < (to + scale - 1) / scale;) {
			unsigned long x = p % cols, w = cols - x, left = (to + scale - 1) / scale - p;
			w = w < left ? w : left;
			svg_rect(out, (double)x, (double)(p / cols), (double)w, 1, "cma", NULL);
			p += w;
		}
	}
	/* The zones: a band beside the rows they span, with the name. */
	size_t zi;
	const json_t *z;
	json_array_foreach(json_object_get(snap, "zones"), zi, z) {
		double y0 = (double)ival(z, "start_pfn") / scale / (double)cols;
		double h = (double)ival(z, "spanned") / scale / (double)cols;
		char cls[32], title[160];
		snprintf(cls, sizeof(cls), "zoneband z%zu", zi % 6);
		snprintf(title, sizeof(title), "zone %s: pfn %lld .. %lld, %lld present, %lld managed",
			 sval(z, "zone"), ival(z, "start_pfn"), ival(z, "start_pfn") + ival(z, "spanned"),
			 ival(z, "present"), ival(z, "managed"));
		svg_rect(out, cols + band * 0.25, y0, band, h > 0.5 ? h : 0.5, cls, title);
		fprintf(out, "<text x=\"%.4g\" y=\"%.4g\" font-size=\"%.3g\" text-anchor=\"middle\">",
			cols + band * 0.75, y0 + h / 2 + band * 0.12, band * 0.35);
		xml_escape(out, sval(z, "zone"));
		fputs("</text>\n", out);
	}
	svg_close(out);
	fputs("<div class=\"legend\">", out);
	for (size_t i = 0; i < nowners && i < 14; i++) {
		unsigned long long frames_of = count[i];
		if (i == 4)
			for (int o = 0; o < 14; o++)
				frames_of += count[PALETTE_FREE + o];
		if (!frames_of)
			continue;
		human_bytes(buf, sizeof(buf), (double)frames_of * (double)ival(machine, "page_size"));
		fputs("<span>", out);
		legend_swatch(out, (unsigned int)i);
		xml_escape(out, json_string_value(json_array_get(owners, i)));
		fprintf(out, ": %llu frames (%s)</span>", frames_of, buf);
	}
	if (count[PALETTE_SWAPCACHE]) {
		fputs("<span>", out);
		legend_swatch(out, PALETTE_SWAPCACHE);
		fprintf(out, "anonymous, in the swap cache: %llu frames</span>", count[PALETTE_SWAPCACHE]);
	}
	if (cma_frames)
		fprintf(out, "<span><i style=\"border:2px solid #f0f\"></i>outlined: CMA pageblocks, "
			"%llu frames</span>", cma_frames);
	fputs("</div>\n<div class=\"legend\">free blocks by order: ", out);
	for (int o = 0; o < 14; o++)
		if (count[PALETTE_FREE + o]) {
			fputs("<span>", out);
			legend_swatch(out, PALETTE_FREE + (unsigned int)o);
			fprintf(out, "order %d: %llu frames</span>", o, count[PALETTE_FREE + o]);
		}
	fputs("</div>\n", out);
	if (json_is_true(json_object_get(frames, "coarse")))
		fputs("<p class=\"note\">More runs than the report keeps one by one: past the first "
		      "ones, neighbouring runs of one owner are kept as one.</p>\n", out);
	int rc = put_packed_runs(out, runs);
	fputs("</section>\n", out);
	return rc;
}

/* ---- the kernel's virtual layout ------------------------------------------------------------- */

static const char *region_class(const char *name)
{
	static const struct { const char *word, *cls; } classes[] = {
		{ "user", "r-user" }, { "lowmem", "r-direct" }, { "direct", "r-direct" },
		{ "vmalloc", "r-vmalloc" }, { "pkmap", "r-pkmap" }, { "fixmap", "r-fixmap" },
		{ "text", "r-text" }, { ".init", "r-text" }, { ".data", "r-text" },
		{ "modules", "r-modules" }, { "vmemmap", "r-vmemmap" }, { "hole", "r-hole" },
	};

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strstr(name, classes[i].word))
			return classes[i].cls;
	return "r-other";
}

/*
 * One bar, [lo, hi) to scale across CHART_W: the layout's regions that fall
 * in it (the kernel image's sections, inside lowmem, on a second line),
 * and the gaps between them.
 */
static void layout_bar(FILE *out, const json_t *regions, uint64_t lo, uint64_t hi, const char *caption,
		       const json_t *areas)
{
	/*
	 * [lo, hi), hi 0 for the top of the 64-bit space: offsets from lo, up to
	 * span; hi == lo is the whole of it (a span of 2^64).
	 */
	uint64_t span = hi - lo;
	bool whole = hi == lo;
	double scale = CHART_W / (whole ? 18446744073709551616.0 : (double)span);
	double h = areas ? 120 : 76;
	size_t i;
	const json_t *r;
	char title[256], len[32];
	uint64_t prev_end = 0;		/* offset where the last big region ended */
	const char *prev_name = NULL;

	fputs("<h3>", out);
	xml_escape(out, caption);
	fputs("</h3>\n", out);
	svg_open(out, CHART_W + 20, h, "width=\"100%\" style=\"max-width:1000px\"");
	svg_rect(out, 10, 18, CHART_W, 30, "r-gap", "not mapped");
	json_array_foreach(regions, i, r) {
		uint64_t s = hexval(json_object_get(r, "start")), e = hexval(json_object_get(r, "end"));
		const char *name = sval(r, "name");
		bool section = name[0] == '.';
		uint64_t so = s > lo ? s - lo : 0, eo = e > lo ? e - lo : 0;
		if (eo == 0 || (!whole && so >= span))
			continue;
		eo = !whole && eo > span ? span : eo;
		s = lo + so;
		e = lo + eo;
		/* The gap before a region: named where the kernel leaves one on purpose. */
		if (!section && prev_name && so > prev_end) {
			char gap[48];
			human_bytes(gap, sizeof(gap), (double)(so - prev_end));
			bool offset_gap = !strcmp(prev_name, "lowmem") && strstr(name, "vmalloc");
			snprintf(title, sizeof(title), "%s: 0x%" PRIx64 " - 0x%" PRIx64 " (%s) between %s "
				 "and %s, not mapped", offset_gap ? "VMALLOC_OFFSET gap" : "gap",
				 lo + prev_end, s, gap, prev_name, name);
			svg_rect(out, 10 + (double)prev_end * scale, 18, (double)(so - prev_end) * scale,
				 30, "region r-gap", title);
		}
		if (!section) {
			prev_end = eo;
			prev_name = name;
		}
		human_bytes(len, sizeof(len), (double)(e - s));
		snprintf(title, sizeof(title), "%s: 0x%" PRIx64 " - 0x%" PRIx64 " (%s)", name, s, e, len);
		double x = 10 + (double)so * scale, w = (double)(eo - so) * scale;
		char cls[32];
		snprintf(cls, sizeof(cls), "region %s", region_class(name));
		svg_rect(out, x, section ? 50 : 18, w > 0.5 ? w : 0.5, section ? 8 : 30, cls, title);
		if (w > 40 && !section)
			svg_text(out, x + w / 2, 37, "middle", NULL, name);
	}
	/* vmalloc's areas, each with its guard page after it. */
	if (areas)
		json_array_foreach(areas, i, r) {
			uint64_t s = hexval(json_object_get(r, "start")), e = hexval(json_object_get(r, "end"));
			if (e <= lo || (!whole && s - lo >= span))
				continue;
			const json_t *flags = json_object_get(r, "flags");
			const char *kind = json_string_value(json_array_get(flags, 0));
			char cls[24];
			snprintf(cls, sizeof(cls), kind && !strcmp(kind, "ioremap") ? "area-ioremap" :
				 kind && !strcmp(kind, "vmap") ? "area-vmap" : "area");
			human_bytes(len, sizeof(len), (double)(e - s));
			snprintf(title, sizeof(title), "%s 0x%" PRIx64 "-0x%" PRIx64 " (%s with its guard page) %s",
				 sval(r, "caller"), s, e, len, kind ? kind : "");
			double x = 10 + (double)(s - lo) * scale, w = (double)(e - s) * scale;
			double g = 4096.0 * scale;
			svg_rect(out, x, 64, w - g > 0.4 ? w - g : 0.4, 20, cls, title);
			svg_rect(out, x + w - g, 64, g > 0.4 ? g : 0.4, 20, "guard", "guard page");
		}
	snprintf(title, sizeof(title), "0x%" PRIx64, lo);
	svg_text(out, 10, 12, "start", "small", title);
	snprintf(title, sizeof(title), hi ? "0x%" PRIx64 : "0x1%016" PRIx64, hi);
	svg_text(out, 10 + CHART_W, 12, "end", "small", title);
	human_bytes(len, sizeof(len), whole ? 18446744073709551616.0 : (double)span);
	snprintf(title, sizeof(title), "%s to scale", len);
	svg_text(out, 10 + CHART_W / 2, 12, "middle", "small", title);
	if (areas)
		svg_text(out, 10, 100, "start", "small", "vmalloc areas (orange), ioremaps (brown), "
			 "vmaps (violet), each with its guard page (red)");
	svg_close(out);
}

static void slots_grid(FILE *out, const json_t *counts, const char *caption)
{
	size_t n = json_array_size(counts), per_row = 64;
	double cell = CHART_W / (double)per_row;
	size_t used = 0;

	for (size_t i = 0; i < n; i++)
		used += json_integer_value(json_array_get(counts, i)) > 1;
	fprintf(out, "<h3>%s: %zu of %zu in use</h3>\n", caption, used, n);
	svg_open(out, CHART_W + 20, (double)((n + per_row - 1) / per_row) * cell + 4,
		 "width=\"100%\" style=\"max-width:1000px\"");
	for (size_t i = 0; i < n; i++) {
		long long c = json_integer_value(json_array_get(counts, i));
		char title[96];
		snprintf(title, sizeof(title), "slot %zu: %s", i,
			 c == 0 ? "free" : c == 1 ? "unused, mapping not yet flushed" : "mapped");
		if (c > 1)
			snprintf(title, sizeof(title), "slot %zu: mapped, %lld user(s)", i, c - 1);
		svg_rect(out, 10 + (double)(i % per_row) * cell, 2 + (double)(i / per_row) * cell,
			 cell * 0.9, cell * 0.9, c == 0 ? "slot0" : c == 1 ? "slot1" : "slot2", title);
	}
	svg_close(out);
}

static int by_start(const void *a, const void *b)
{
	uint64_t x = hexval(json_object_get(*(json_t *const *)a, "start"));
	uint64_t y = hexval(json_object_get(*(json_t *const *)b, "start"));
	return x < y ? -1 : x > y;
}

static void layout_panel(FILE *out, const json_t *snap, const json_t *machine)
{
	const json_t *layout = json_object_get(snap, "layout"), *areas = json_object_get(snap, "vmalloc");
	const json_t *kmaps = json_object_get(snap, "kmaps");
	bool i386 = !strcmp(sval(machine, "arch"), "i386");
	uint64_t page_offset = hexval(json_object_get(machine, "page_offset"));
	json_t *regions = json_array();
	size_t i;
	const json_t *r;

	fputs("<section id=\"layout\"><h2>The kernel's virtual memory</h2>\n<p class=\"note\">The "
	      "regions the kernel's layout table names (the <code>layout</code> command), drawn to "
	      "scale; hover for addresses.</p>\n", out);
	if (i386)
		json_array_append_new(regions, json_pack("{s:s,s:s,s:o}", "name", "user space",
							 "start", "0x0", "end",
							 json_incref(json_object_get(machine, "page_offset"))));
	json_array_foreach(layout, i, r)
		json_array_append(regions, (json_t *)r);
	/* By address (i386's table lists them from the top down), for the gaps between them. */
	size_t nr = json_array_size(regions);
	json_t **sorted = calloc(nr ? nr : 1, sizeof(*sorted));
	for (i = 0; sorted && i < nr; i++)
		sorted[i] = json_array_get(regions, i);
	if (sorted)
		qsort(sorted, nr, sizeof(*sorted), by_start);
	json_t *ordered = json_array();
	for (i = 0; sorted && i < nr; i++)
		json_array_append(ordered, sorted[i]);
	free(sorted);
	json_decref(regions);
	regions = ordered;
	if (i386) {
		layout_bar(out, regions, 0, 1ULL << 32, "The 4 GiB virtual address space: 3 GiB for the "
			   "process, 1 GiB for the kernel", NULL);
		uint64_t top = hexval(json_object_get(machine, "high_memory"));
		layout_bar(out, regions, top - (top - page_offset) / 16, 1ULL << 32, "Above the direct "
			   "map: the gap, vmalloc with its areas, pkmap and fixmap", areas);
	} else {
		layout_bar(out, regions, 0, 0, "The 16 EiB of 64-bit addresses to scale: the canonical "
			   "halves, 128 TiB each, are the hairlines at the two ends", NULL);
		layout_bar(out, regions, 0, 0x800000000000ULL, "The lower canonical half: user space "
			   "(128 TiB)", NULL);
		layout_bar(out, regions, 0xffff800000000000ULL, 0, "The upper canonical half: the "
			   "kernel's 128 TiB (between them, 16 EiB less 256 TiB are not canonical)", NULL);
		layout_bar(out, regions, 0xffffffff80000000ULL, 0, "Its top 2 GiB: kernel text, "
			   "modules, fixmap", NULL);
		uint64_t lo = 0, hi = 0;
		json_array_foreach(areas, i, r) {
			uint64_t s = hexval(json_object_get(r, "start")), e = hexval(json_object_get(r, "end"));
			lo = !lo || s < lo ? s : lo;
			hi = e > hi ? e : hi;
		}
		if (hi > lo)
			layout_bar(out, regions, lo & ~0xfffffULL, (hi + 0xfffff) & ~0xfffffULL,
				   "vmalloc's areas so far", areas);
	}
	json_decref(regions);
	if (json_array_size(json_object_get(kmaps, "pkmap")))
		slots_grid(out, json_object_get(kmaps, "pkmap"), "pkmap: the persistent kmap slots");
	const json_t *local = json_object_get(kmaps, "kmap_local");
	if (json_array_size(json_object_get(kmaps, "pkmap"))) {
		fprintf(out, "<h3>fixmap: kmap_atomic / kmap_local slots mapped now: %zu</h3>\n",
			json_array_size(local));
		/* KM_MAX_IDX (16) slots a CPU, a row each. */
		long long cpus = ival(machine, "cpus");
		double cell = CHART_W / 64.0;
		svg_open(out, CHART_W + 20, (double)cpus * cell + 4, "width=\"100%\" style=\"max-width:1000px\"");
		for (long long cpu = 0; cpu < cpus; cpu++) {
			char label[48];
			snprintf(label, sizeof(label), "CPU %lld", cpu);
			svg_text(out, 60, 2 + (double)cpu * cell + cell * 0.7, "end", "small", label);
			for (int slot = 0; slot < 16; slot++) {
				const json_t *hit = NULL;
				size_t k;
				const json_t *l;
				json_array_foreach(local, k, l)
					if (ival(l, "cpu") == cpu && ival(l, "slot") == slot)
						hit = l;
				char title[96];
				if (hit)
					snprintf(title, sizeof(title), "CPU %lld slot %d: %s maps pfn %lld", cpu,
						 slot, sval(hit, "vaddr"), ival(hit, "pfn"));
				else
					snprintf(title, sizeof(title), "CPU %lld slot %d: free", cpu, slot);
				svg_rect(out, 70 + slot * cell, 2 + (double)cpu * cell, cell * 0.9, cell * 0.9,
					 hit ? "slot2" : "slot0", title);
			}
		}
		svg_close(out);
		if (json_array_size(local)) {
			fputs("<table><tr><th>CPU</th><th>slot</th><th>address</th><th>pfn</th></tr>\n", out);
			json_array_foreach(local, i, r)
				fprintf(out, "<tr><td>%lld</td><td>%lld</td><td>%s</td><td>%lld</td></tr>\n",
					ival(r, "cpu"), ival(r, "slot"), sval(r, "vaddr"), ival(r, "pfn"));
			fputs("</table>\n", out);
		}
	}
	fputs("</section>\n", out);
}

/* ---- processes ----------------------------------------------------------------------------------- */

static const char *page_class(const char *state)
{
	switch (state[0]) {
	case 'p': return "pg-p";
	case 'c': return "pg-c";
	case 'f': return "pg-f";
	case 'z': return "pg-z";
	case 's': return "pg-s";
	case '.': return "pg-dot";
	default: return "pg-q";
	}
}

/*
 * A VMA's pages as a strip of at most STRIP_BINS bins, each the state most
 * of its pages are in; neighbouring bins alike are one rectangle.
 */
#define STRIP_BINS 600
static void page_strip(FILE *out, const json_t *pages, double x0, double y, double w, double h,
		       const char *title)
{
	static const char states[] = "pcfzs.?";
	double total = 0;
	size_t j;
	const json_t *run;

	json_array_foreach(pages, j, run)
		total += (double)json_integer_value(json_array_get(run, 1));
	if (total <= 0)
		return;
	size_t bins = total < STRIP_BINS ? (size_t)total : STRIP_BINS;
	double per_bin = total / (double)bins, pos = 0;
	char *bin_state = calloc(bins, 1);
	double cover[7] = { 0 };
	size_t bin = 0, r = 0;
	double left = 0;	/* pages of run r not yet given to a bin */
	const char *st = NULL;

	if (!bin_state)
		return;
	while (bin < bins) {
		if (left <= 0) {
			if (r >= json_array_size(pages))
				break;
			run = json_array_get(pages, r++);
			left = (double)json_integer_value(json_array_get(run, 1));
			st = json_string_value(json_array_get(run, 0));
			continue;
		}
		double bin_end = (double)(bin + 1) * per_bin, take = fmin(left, bin_end - pos);
		const char *at = st ? strchr(states, st[0]) : NULL;
		cover[at ? at - states : 6] += take;
		pos += take;
		left -= take;
		if (pos >= bin_end - 1e-9) {
			int best = 0;
			for (int k = 1; k < 7; k++)
				best = cover[k] > cover[best] ? k : best;
			bin_state[bin++] = states[best];
			memset(cover, 0, sizeof(cover));
		}
	}
	double bw = w / (double)bins;
	for (size_t b = 0; b < bins;) {
		size_t e = b + 1;
		while (e < bins && bin_state[e] == bin_state[b])
			e++;
		char s[2] = { bin_state[b] ? bin_state[b] : '?', 0 };
		svg_rect(out, x0 + bw * (double)b, y, bw * (double)(e - b), h, page_class(s), title);
		b = e;
	}
	free(bin_state);
}

static void pagetable_tree(FILE *out, const json_t *tables)
{
	size_t n = json_array_size(tables), i;
	const json_t *t;
	int max_depth = 0;
	size_t per_level[4] = { 0 };

	json_array_foreach(tables, i, t) {
		int d = (int)ival(t, "depth") & 3;
		max_depth = d > max_depth ? d : max_depth;
		per_level[d]++;
	}
	if (!n)
		return;
	/* Levels top down; a level's tables left to right by address, wrapped at 48 a row. */
	const size_t per_row = 48;
	double box = CHART_W / (double)per_row, y = 4;
	double ys[4] = { 0 }, heights[4] = { 0 };
	for (int d = max_depth; d >= 0; d--) {
		size_t lines = (per_level[d] + per_row - 1) / per_row;
		if (!per_level[d])
			continue;	/* a level this format folds away (i386: PUD, PMD) */
		ys[d] = y + 14;
		heights[d] = (double)(lines ? lines : 1) * box;
		y = ys[d] + heights[d] + 18;
	}
	svg_open(out, CHART_W + 20, y, "width=\"100%\" style=\"max-width:1000px\"");
	size_t seen[4] = { 0 };
	double *cx = calloc(n, sizeof(double)), *cy = calloc(n, sizeof(double));
	json_array_foreach(tables, i, t) {
		int d = (int)ival(t, "depth") & 3;
		size_t k = seen[d]++;
		cx[i] = 10 + (double)(k % per_row) * box + box * 0.45;
		cy[i] = ys[d] + (double)(k / per_row) * box + box * 0.45;
	}
	/* An edge from each table to the one on the level above whose span holds it. */
	int above[4] = { -1, -1, -1, -1 };
	for (int d = 0; d < 4; d++)
		for (int u = d + 1; u < 4 && above[d] < 0; u++)
			if (per_level[u])
				above[d] = u;
	/*
	 * The walk lists a table before those below it, so a table's parent is
	 * the last one listed before it on the level above: one pass, keeping
	 * the last table seen on each level.
	 */
	size_t last[4] = { SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX };
	json_array_foreach(tables, i, t) {
		int d = (int)ival(t, "depth") & 3;
		size_t j = above[d] >= 0 ? last[above[d]] : SIZE_MAX;
		if (j != SIZE_MAX)
			svg_line(out, cx[j], cy[j], cx[i], cy[i], "pt-edge");
		last[d] = i;
	}
	json_array_foreach(tables, i, t) {
		char title[200];
		snprintf(title, sizeof(title), "%s table at pfn %lld: %s + %s, %lld entries present%s",
			 sval(t, "level"), ival(t, "pfn"), sval(t, "vaddr"), sval(t, "span"),
			 ival(t, "present"), ival(t, "large") ? " (some map large pages)" : "");
		svg_rect(out, cx[i] - box * 0.45, cy[i] - box * 0.45, box * 0.9, box * 0.9, "pt", title);
	}
	for (int d = max_depth; d >= 0; d--) {
		const char *name = "";
		if (!per_level[d])
			continue;
		json_array_foreach(tables, i, t)
			if (ival(t, "depth") == d) {
				name = sval(t, "level");
				break;
			}
		char label[64];
		snprintf(label, sizeof(label), "%s: %zu table%s", name, per_level[d],
			 per_level[d] == 1 ? "" : "s");
		svg_text(out, 10, ys[d] - 3, "start", "small", label);
	}
	svg_close(out);
	free(cx);
	free(cy);
}

/* An address as maps prints it: hex without 0x. */
static uint64_t hexval_maps(const json_t *v)
{
	const char *s = json_string_value(v);
	return s ? strtoull(s, NULL, 16) : 0;
}

static void process_panel(FILE *out, const json_t *snap, const json_t *machine)
{
	const json_t *procs = json_object_get(snap, "processes");
	size_t i;
	const json_t *p;

	fputs("<section id=\"processes\"><h2>Processes</h2>\n", out);
	if (!json_array_size(procs))
		fputs("<p class=\"note\">No process has an address space.</p>\n", out);
	if (ival(snap, "processes_not_shown"))
		fprintf(out, "<p class=\"note\">The first %d processes (by pid) are drawn; %lld more "
			"are not.</p>\n", REPORT_MAX_PROCESSES, ival(snap, "processes_not_shown"));
	fputs("<p class=\"note\">Each VMA's pages from pagemap: <span class=\"legend\">"
	      "<span><i style=\"background:#1e88e5\"></i>private</span>"
	      "<span><i style=\"background:#8e24aa\"></i>shared (copy-on-write after fork, or shared "
	      "memory)</span><span><i style=\"background:#43a047\"></i>file</span>"
	      "<span><i style=\"background:#fdd835\"></i>the zero page</span>"
	      "<span><i style=\"background:#e53935\"></i>in swap</span>"
	      "<span><i style=\"background:#f0f0f0\"></i>not present</span></span></p>\n", out);
	json_array_foreach(procs, i, p) {
		char rss[32];
		const json_t *vmas = json_object_get(p, "vmas");
		human_bytes(rss, sizeof(rss), (double)ival(p, "rss_kB") * 1024);
		fprintf(out, "<h3>pid %lld (", ival(p, "pid"));
		xml_escape(out, sval(p, "comm"));
		fprintf(out, "): %zu VMAs, RSS %s, swap %lld kB, page tables %lld kB</h3>\n",
			json_array_size(vmas), rss, ival(p, "swap_kB"), ival(p, "pte_kB"));
		/* The address space to scale: each VMA where it is (at least a hair wide). */
		uint64_t top = hexval(json_object_get(machine, "task_size"));
		svg_open(out, CHART_W + 80, 40, "width=\"100%\" style=\"max-width:1100px\"");
		svg_rect(out, 10, 14, CHART_W + 60, 16, "r-gap", "not mapped");
		size_t k;
		const json_t *v;
		json_array_foreach(vmas, k, v) {
			uint64_t s = hexval_maps(json_object_get(v, "start"));
			uint64_t e = hexval_maps(json_object_get(v, "end"));
			double x = 10 + (double)s / (double)top * (CHART_W + 60);
			double w = (double)(e - s) / (double)top * (CHART_W + 60);
			const char *perms = sval(v, "perms");
			char title[320];
			snprintf(title, sizeof(title), "%s-%s %s %s", sval(v, "start"), sval(v, "end"), perms,
				 sval(v, "path"));
			svg_rect(out, x, 14, w > 0.6 ? w : 0.6, 16,
				 !strcmp(sval(v, "path"), "[stack]") ? "vma-stack" :
				 perms[2] == 'x' ? "vma-x" : "vma", title);
		}
		char ends[64];
		svg_text(out, 10, 10, "start", "small", "0x0");
		snprintf(ends, sizeof(ends), "TASK_SIZE 0x%" PRIx64 ", to scale", top);
		svg_text(out, 70 + CHART_W, 10, "end", "small", ends);
		svg_close(out);
		double row = 16, label_w = 420, strip_w = CHART_W - label_w + 60;
		size_t rows = json_array_size(vmas) < REPORT_MAX_VMAS_DRAWN ? json_array_size(vmas)
									     : REPORT_MAX_VMAS_DRAWN;
		svg_open(out, CHART_W + 80, 30 + row * (double)rows,
			 "width=\"100%\" style=\"max-width:1100px\"");
		json_array_foreach(vmas, k, v) {
			if (k == REPORT_MAX_VMAS_DRAWN)
				break;
			double y = 8 + row * (double)k;
			char label[320], title[400];
			snprintf(label, sizeof(label), "%s-%s %s %s", sval(v, "start"), sval(v, "end"),
				 sval(v, "perms"), sval(v, "path"));
			snprintf(title, sizeof(title), "%s: Rss %lld kB, Anonymous %lld kB, Shared %lld kB, "
				 "Swap %lld kB, Locked %lld kB", label, ival(v, "rss_kB"), ival(v, "anon_kB"),
				 ival(v, "shared_kB"), ival(v, "swap_kB"), ival(v, "locked_kB"));
			svg_text(out, 4, y + 11, "start", "small", label);
			page_strip(out, json_object_get(v, "pages"), label_w, y + 2, strip_w, row - 4,
				   title);
		}
		svg_close(out);
		if (json_array_size(vmas) > REPORT_MAX_VMAS_DRAWN)
			fprintf(out, "<p class=\"note\">The first %d VMAs are drawn; %zu more are in "
				"its maps (the /proc panel) and in the document.</p>\n",
				REPORT_MAX_VMAS_DRAWN, json_array_size(vmas) - REPORT_MAX_VMAS_DRAWN);
		fprintf(out, "<p class=\"note\">Its page tables (the user half; the kernel's entries "
			"are shared by every process): %zu tables%s. Hover for each one's range.</p>\n",
			json_array_size(json_object_get(p, "page_tables")),
			ival(p, "page_tables_not_listed") ? ", more not listed" : "");
		pagetable_tree(out, json_object_get(p, "page_tables"));
	}
	fputs("</section>\n", out);
}

/* ---- time series ------------------------------------------------------------------------------------ */

struct chart {
	FILE *out;
	const json_t *t;	/* the samples' times */
	double t0, t1, ymax;
	double top;		/* the plot's top in the SVG */
};

static double chart_x(const struct chart *c, double t)
{
	return CHART_L + (c->t1 > c->t0 ? (t - c->t0) / (c->t1 - c->t0) : 0) * (CHART_W - CHART_L);
}

static double chart_y(const struct chart *c, double v)
{
	return c->top + CHART_H - (c->ymax > 0 ? v / c->ymax : 0) * CHART_H;
}

/* What kind of event, for its colour: an index into event_classes. */
static const char *const event_classes[] = { "ev ev-kswapd", "ev ev-compaction", "ev ev-oom",
					     "ev ev-fail", "ev" };
#define NR_EVENT_KINDS 5

static int event_kind(const char *name)
{
	return strstr(name, "kswapd") ? 0 : strstr(name, "compaction") ? 1 : strstr(name, "oom") ? 2 :
	       strstr(name, "failure") ? 3 : 4;
}

/*
 * The events as vertical lines: one a pixel column and kind at most (a
 * hundred thousand events would otherwise be a hundred thousand lines a
 * chart), its tooltip the number of them and the first one's words.
 */
static void event_marks(struct chart *c, const json_t *events)
{
	size_t cols = (size_t)(CHART_W - CHART_L) + 1, i;
	unsigned int *count = calloc(cols * NR_EVENT_KINDS, sizeof(*count));
	const json_t **first = calloc(cols * NR_EVENT_KINDS, sizeof(*first));
	const json_t *e;

	if (!count || !first) {
		free(count);
		free(first);
		return;
	}
	json_array_foreach(events, i, e) {
		double x = chart_x(c, (double)ival(e, "t_ns")) - CHART_L;
		size_t col = x < 0 ? 0 : x >= (double)cols ? cols - 1 : (size_t)x;
		size_t k = col * NR_EVENT_KINDS + (size_t)event_kind(sval(e, "event"));
		if (!count[k]++)
			first[k] = e;
	}
	for (size_t k = 0; k < cols * NR_EVENT_KINDS; k++) {
		if (!count[k])
			continue;
		double x = CHART_L + (double)(k / NR_EVENT_KINDS) + 0.5;
		char title[240];
		snprintf(title, sizeof(title), "%.6f s %s %s%s", (double)ival(first[k], "t_ns") / 1e9,
			 sval(first[k], "event"), sval(first[k], "detail"), count[k] > 1 ? " ..." : "");
		if (count[k] > 1)
			snprintf(title + strlen(title), sizeof(title) - strlen(title), " (%u events here)",
				 count[k]);
		fprintf(c->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\">"
			"<title>", x, c->top, x, c->top + CHART_H, event_classes[k % NR_EVENT_KINDS]);
		xml_escape(c->out, title);
		fputs("</title></line>\n", c->out);
	}
	free(count);
	free(first);
}

static void chart_open(struct chart *c, const char *caption, const char *unit, double ymax,
		       const json_t *events)
{
	char label[64];

	c->ymax = ymax > 0 ? ymax * 1.05 : 1;
	c->top = 8;
	fputs("<h3>", c->out);
	xml_escape(c->out, caption);
	fputs("</h3>\n", c->out);
	svg_open(c->out, CHART_W + 10, CHART_H + 34, "width=\"100%\" style=\"max-width:1000px\"");
	for (int g = 0; g <= 4; g++) {
		double y = c->top + CHART_H * g / 4.0;
		svg_line(c->out, CHART_L, y, CHART_W, y, "grid");
		double v = c->ymax * (4 - g) / 4.0;
		snprintf(label, sizeof(label), v >= 100 ? "%.0f %s" : "%.3g %s", v, unit);
		svg_text(c->out, CHART_L - 4, y + 4, "end", "small", label);
	}
	svg_line(c->out, CHART_L, c->top + CHART_H, CHART_W, c->top + CHART_H, "axis");
	for (int g = 0; g <= 4; g++) {
		double t = c->t0 + (c->t1 - c->t0) * g / 4.0;
		snprintf(label, sizeof(label), "%.4g s", t / 1e9);
		svg_text(c->out, chart_x(c, t), c->top + CHART_H + 14, "middle", "small", label);
	}
	event_marks(c, events);
}

static void chart_line(struct chart *c, const json_t *values, const char *cls, const char *title,
		       double scale)
{
	size_t n = json_array_size(values);
	double *xs = malloc((n ? n : 1) * sizeof(double)), *ys = malloc((n ? n : 1) * sizeof(double));

	for (size_t i = 0; i < n && xs && ys; i++) {
		xs[i] = chart_x(c, (double)json_integer_value(json_array_get(c->t, i)));
		ys[i] = chart_y(c, (double)json_integer_value(json_array_get(values, i)) * scale);
	}
	if (xs && ys && n)
		svg_polyline(c->out, xs, ys, n, cls, title);
	free(xs);
	free(ys);
}

static double max_of(const json_t *values, double scale)
{
	double m = 0;
	size_t i;
	const json_t *v;

	json_array_foreach(values, i, v)
		m = fmax(m, (double)json_integer_value(v) * scale);
	return m;
}

static void chart_legend(FILE *out, const char *const *names, const char *const *classes, size_t n)
{
	fputs("<div class=\"legend\">", out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "<span><svg width=\"22\" height=\"10\" style=\"display:inline;border:0\">"
			"<line x1=\"0\" y1=\"5\" x2=\"22\" y2=\"5\" class=\"%s\"/></svg> ", classes[i]);
		xml_escape(out, names[i]);
		fputs("</span>", out);
	}
	fputs("</div>\n", out);
}

/* A set of named series (slab caches, processes, meminfo fields): the @limit largest. */
static void chart_set(struct chart *c, const char *caption, const char *unit, const json_t *set,
		      double scale, size_t limit, const json_t *events)
{
	const char *names[8], *classes[8] = { "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7" };
	const json_t *picked[8];
	double peak[8];
	size_t n = 0;
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)set, key, v) {
		double m = max_of(v, scale);
		size_t at = n < limit ? n++ : limit;
		if (at == limit && (!limit || m <= peak[limit - 1]))
			continue;
		if (at == limit)
			at = limit - 1;
		while (at > 0 && peak[at - 1] < m) {
			names[at] = names[at - 1];
			picked[at] = picked[at - 1];
			peak[at] = peak[at - 1];
			at--;
		}
		names[at] = key;
		picked[at] = v;
		peak[at] = m;
	}
	if (!n)
		return;
	chart_open(c, caption, unit, peak[0], events);
	for (size_t i = 0; i < n; i++)
		chart_line(c, picked[i], classes[i], names[i], scale);
	svg_close(c->out);
	chart_legend(c->out, names, classes, n);
}

static void buddy_heat(FILE *out, const json_t *t, const json_t *buddy, const char *zone)
{
	size_t n = json_array_size(buddy), orders = json_array_size(json_array_get(buddy, 0));
	double cw = (CHART_W - CHART_L) / (double)(n ? n : 1), ch = 12, peak = 1;
	char caption[96];

	(void)t;
	for (size_t i = 0; i < n; i++)
		for (size_t o = 0; o < orders; o++)
			peak = fmax(peak, (double)json_integer_value(json_array_get(json_array_get(buddy, i), o)));
	snprintf(caption, sizeof(caption), "%s: free blocks by order over time (buddyinfo)", zone);
	fprintf(out, "<h3>%s</h3>\n", caption);
	svg_open(out, CHART_W + 10, ch * (double)orders + 10, "width=\"100%\" style=\"max-width:1000px\" class=\"heat\"");
	for (size_t o = 0; o < orders; o++) {
		char label[32];
		snprintf(label, sizeof(label), "order %zu", o);
		svg_text(out, CHART_L - 4, 4 + ch * (double)(orders - o) - 2, "end", "small", label);
		/* A sample a column; samples alike side by side are one rectangle. */
		for (size_t i = 0; i < n;) {
			double v = (double)json_integer_value(json_array_get(json_array_get(buddy, i), o));
			size_t e = i + 1;
			while (e < n && (double)json_integer_value(json_array_get(json_array_get(buddy, e), o)) == v)
				e++;
			/* log scale: 0 white, the peak the darkest green */
			double k = v > 0 ? log1p(v) / log1p(peak) : 0;
			if (v > 0)
				fprintf(out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.3f\" height=\"%.1f\" "
					"fill=\"rgb(%d,%d,%d)\"><title>order %zu: %.0f blocks</title></rect>\n",
					CHART_L + cw * (double)i, 4 + ch * (double)(orders - 1 - o),
					cw * (double)(e - i) + 0.05, ch, (int)(255 - 230 * k),
					(int)(255 - 130 * k), (int)(255 - 220 * k), o, v);
			i = e;
		}
	}
	svg_close(out);
}

static void series_panel(FILE *out, const json_t *doc)
{
	const json_t *series = json_object_get(doc, "series"), *events = json_object_get(doc, "events");
	const json_t *t = json_object_get(series, "t_ns");
	size_t n = json_array_size(t), i;
	const json_t *z;
	struct chart c = { .out = out, .t = t };

	fputs("<section id=\"series\"><h2>Over time</h2>\n", out);
	fprintf(out, "<p class=\"note\">%zu samples on the machine's clock, taken after commands", n);
	fprintf(out, " (at most one every %.3g ms: a longer scenario keeps an even spread of "
		"them, fewer to a second)", (double)ival(series, "step_ns") / 1e6);
	fputs("; vertical lines mark events: kswapd woken (blue), compaction (green), allocation "
	      "failures (red), OOM kills (black). Hover over a line for what it was.</p>\n", out);
	c.t0 = (double)json_integer_value(json_array_get(t, 0));
	c.t1 = (double)json_integer_value(json_array_get(t, n ? n - 1 : 0));
	if (c.t1 <= c.t0)
		c.t1 = c.t0 + 1;
	json_array_foreach(json_object_get(series, "zones"), i, z) {
		char caption[96];
		static const char *const names[] = { "free", "min", "low", "high", "boost" };
		static const char *const classes[] = { "s-free", "s-min", "s-low", "s-high", "s-boost" };
		double peak = 0;
		for (size_t k = 0; k < 5; k++)
			peak = fmax(peak, max_of(json_object_get(z, names[k]), 1));
		snprintf(caption, sizeof(caption), "%s: free pages and the watermarks", sval(z, "zone"));
		chart_open(&c, caption, "pages", peak, events);
		for (size_t k = 0; k < 5; k++)
			chart_line(&c, json_object_get(z, names[k]), classes[k], names[k], 1);
		svg_close(out);
		chart_legend(out, names, classes, 5);
		buddy_heat(out, t, json_object_get(z, "buddy"), sval(z, "zone"));
	}
	chart_set(&c, "Memory (meminfo)", "MiB", json_object_get(series, "meminfo"), 1.0 / 1024, 8, events);
	chart_set(&c, "Slab caches, the largest eight (slabinfo)", "KiB",
		  json_object_get(series, "slab_bytes"), 1.0 / 1024, 8, events);
	chart_set(&c, "Resident memory of each process (status: VmRSS)", "MiB",
		  json_object_get(series, "rss_kB"), 1.0 / 1024, 8, events);
	/* The events, counted by kind, and the first ones listed. */
	json_t *kinds = json_object();
	const json_t *e;
	json_array_foreach(events, i, e) {
		const char *name = sval(e, "event");
		json_object_set_new(kinds, name, json_integer(ival(kinds, name) + 1));
	}
	fprintf(out, "<h3>Events: %zu", json_array_size(events));
	if (ival(doc, "events_dropped"))
		fprintf(out, " (and %lld more not kept)", ival(doc, "events_dropped"));
	fputs("</h3>\n<table><tr><th>event</th><th>count</th></tr>\n", out);
	const char *key;
	json_t *v;
	json_object_foreach(kinds, key, v) {
		fputs("<tr><td>", out);
		xml_escape(out, key);
		fprintf(out, "</td><td>%lld</td></tr>\n", (long long)json_integer_value(v));
	}
	fputs("</table>\n", out);
	json_decref(kinds);
	if (json_array_size(events)) {
		fputs("<details><summary>the first 200</summary><pre>", out);
		json_array_foreach(events, i, e) {
			char line[256];
			if (i == 200)
				break;
			snprintf(line, sizeof(line), "%14.6f  %s  %s\n", (double)ival(e, "t_ns") / 1e9,
				 sval(e, "event"), sval(e, "detail"));
			xml_escape(out, line);
		}
		fputs("</pre></details>\n", out);
	}
	fputs("</section>\n", out);
}

/* ---- the /proc files ------------------------------------------------------------------------------------ */

static void proc_panel(FILE *out, const json_t *snap)
{
	const char *key;
	json_t *text;

	fputs("<section id=\"proc\"><h2>What the kernel says: the /proc files of this "
	      "snapshot</h2>\n", out);
	json_object_foreach(json_object_get(snap, "proc"), key, text) {
		fputs("<details><summary>", out);
		xml_escape(out, strcmp(key, "dmesg") ? key : "dmesg (the kernel log)");
		fputs("</summary><pre>", out);
		xml_escape(out, json_string_value(text));
		fputs("</pre></details>\n", out);
	}
	fputs("</section>\n", out);
}

/* ---- the file ----------------------------------------------------------------------------------------------- */

/*
 * JSON inside <script>: no "</script>" or "<!--" may appear in it, so every
 * '<' (only ever inside a JSON string) is written as \u003c.
 */
static int put_script_json(FILE *out, const json_t *data)
{
	char *text = json_dumps(data, JSON_COMPACT);

	if (!text)
		return -1;
	for (const char *p = text; *p; p++) {
		if (*p == '<')
			fputs("\\u003c", out);
		else
			fputc(*p, out);
	}
	free(text);
	return 0;
}

int report_write_html(const json_t *doc, FILE *out)
{
	const json_t *snap = json_object_get(doc, "snapshot"), *machine = json_object_get(doc, "machine");
	char mem[32];

	human_bytes(mem, sizeof(mem), (double)ival(machine, "mem_total_kB") * 1024);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>mmsim "
	      "report", out);
	if (*sval(doc, "label")) {
		fputs(": ", out);
		xml_escape(out, sval(doc, "label"));
	}
	fprintf(out, "</title>\n<style>\n%s</style></head><body>\n<h1>mmsim report", report_css);
	if (*sval(doc, "label")) {
		fputs(": ", out);
		xml_escape(out, sval(doc, "label"));
	}
	fprintf(out, "</h1>\n<p class=\"machine\">%s, Linux %s, %lld CPUs, MemTotal %s, at %.6f s; "
		"command line: <code>", sval(machine, "arch"), sval(machine, "kernel"),
		ival(machine, "cpus"), mem, (double)ival(snap, "t_ns") / 1e9);
	xml_escape(out, *sval(machine, "cmdline") ? sval(machine, "cmdline") : "(empty)");
	fputs("</code></p>\n<div id=\"card\"></div>\n", out);
	if (physical_panel(out, snap, machine))
		return -1;
	layout_panel(out, snap, machine);
	process_panel(out, snap, machine);
	series_panel(out, doc);
	proc_panel(out, snap);
	fputs("<pre id=\"selftest\" hidden></pre>\n<script type=\"application/json\" "
	      "id=\"mmsim-data\">", out);
	/* What the script needs: the frames and who the pids are. */
	json_t *procs = json_array();
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(snap, "processes"), i, p)
		json_array_append_new(procs, json_pack("{s:I,s:s}", "pid", (json_int_t)ival(p, "pid"),
						       "comm", sval(p, "comm")));
	const json_t *frames = json_object_get(snap, "frames");
	json_t *colours = json_array();
	for (int k = 0; k < 32; k++)
		json_array_append_new(colours, json_pack("[i,i,i]", palette[k][0], palette[k][1],
							 palette[k][2]));
	json_t *data = json_pack("{s:O,s:{s:O,s:O,s:O},s:o,s:o,s:i}", "machine", machine, "frames",
				 "max_pfn", json_object_get(frames, "max_pfn"), "owners",
				 json_object_get(frames, "owners"), "details",
				 json_object_get(frames, "details"), "processes", procs, "palette",
				 colours, "palette_free", PALETTE_FREE);
	json_object_set_new(data, "palette_swapcache", json_integer(PALETTE_SWAPCACHE));
	int rc = data ? put_script_json(out, data) : -1;
	json_decref(data);
	fprintf(out, "</script>\n<script>\n%s</script>\n</body></html>\n", report_js);
	return rc || ferror(out) ? -1 : 0;
}
