/* svg.c — the report's SVG writer (svg.h). Every number goes through
 * put_number() so that the file stays small: integers without a decimal
 * point, others with at most seven significant digits. */
#include <math.h>

#include "cli/svg.h"

void xml_escape(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

static void put_number(FILE *out, double v)
{
	if (!isfinite(v))
		v = 0;
	if (v == floor(v) && fabs(v) < 1e15)
		fprintf(out, "%.0f", v);
	else
		fprintf(out, "%.7g", v);
}

void svg_open(FILE *out, double width, double height, const char *attrs)
{
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", out);
	put_number(out, width);
	fputc(' ', out);
	put_number(out, height);
	fprintf(out, "\"%s%s>\n", attrs ? " " : "", attrs ? attrs : "");
}

void svg_close(FILE *out)
{
	fputs("</svg>\n", out);
}

void svg_group(FILE *out, const char *cls)
{
	fputs("<g", out);
	if (cls) {
		fputs(" class=\"", out);
		xml_escape(out, cls);
		fputc('"', out);
	}
	fputs(">\n", out);
}

void svg_group_end(FILE *out)
{
	fputs("</g>\n", out);
}

static void put_class(FILE *out, const char *cls)
{
	if (!cls)
		return;
	fputs(" class=\"", out);
	xml_escape(out, cls);
	fputc('"', out);
}

static void put_title_end(FILE *out, const char *element, const char *title)
{
	if (!title) {
		fputs("/>\n", out);
		return;
	}
	fputs("><title>", out);
	xml_escape(out, title);
	fprintf(out, "</title></%s>\n", element);
}

void svg_rect(FILE *out, double x, double y, double w, double h, const char *cls,
	      const char *title)
{
	fputs("<rect x=\"", out);
	put_number(out, x);
	fputs("\" y=\"", out);
	put_number(out, y);
	fputs("\" width=\"", out);
	put_number(out, w);
	fputs("\" height=\"", out);
	put_number(out, h);
	fputc('"', out);
	put_class(out, cls);
	put_title_end(out, "rect", title);
}

void svg_line(FILE *out, double x1, double y1, double x2, double y2, const char *cls)
{
	fputs("<line x1=\"", out);
	put_number(out, x1);
	fputs("\" y1=\"", out);
	put_number(out, y1);
	fputs("\" x2=\"", out);
	put_number(out, x2);
	fputs("\" y2=\"", out);
	put_number(out, y2);
	fputc('"', out);
	put_class(out, cls);
	fputs("/>\n", out);
}

void svg_text(FILE *out, double x, double y, const char *anchor, const char *cls,
	      const char *text)
{
	fputs("<text x=\"", out);
	put_number(out, x);
	fputs("\" y=\"", out);
	put_number(out, y);
	fprintf(out, "\" text-anchor=\"%s\"", anchor ? anchor : "start");
	put_class(out, cls);
	fputc('>', out);
	xml_escape(out, text);
	fputs("</text>\n", out);
}

void svg_polyline(FILE *out, const double *xs, const double *ys, size_t n, const char *cls,
		  const char *title)
{
	fputs("<polyline points=\"", out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(' ', out);
		put_number(out, xs[i]);
		fputc(',', out);
		put_number(out, ys[i]);
	}
	fputc('"', out);
	put_class(out, cls);
	put_title_end(out, "polyline", title);
}
