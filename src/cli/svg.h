/* svg.h — a small SVG (and HTML text) writer for the report: elements
 * with their attributes, text escaped, numbers printed short and exact
 * enough for a picture (%g with 7 digits). */
#ifndef MMSIM_CLI_SVG_H
#define MMSIM_CLI_SVG_H

#include <stdio.h>

/* @s with &, <, >, " and ' as entities: safe in element text and in quoted attributes. */
void xml_escape(FILE *out, const char *s);

/* <svg viewBox="0 0 W H" ...> with @attrs (already escaped; may be NULL) inside the tag. */
void svg_open(FILE *out, double width, double height, const char *attrs);
void svg_close(FILE *out);
/* <g class="CLASS"> ... </g>; @cls may be NULL. */
void svg_group(FILE *out, const char *cls);
void svg_group_end(FILE *out);
/* A rectangle of class @cls (NULL: none); @title (NULL: none) is the hover tooltip. */
void svg_rect(FILE *out, double x, double y, double w, double h, const char *cls,
	      const char *title);
void svg_line(FILE *out, double x1, double y1, double x2, double y2, const char *cls);
/* Text at (x, y); @anchor "start", "middle" or "end". */
void svg_text(FILE *out, double x, double y, const char *anchor, const char *cls,
	      const char *text);
/* A polyline through @n points (xs[i], ys[i]). */
void svg_polyline(FILE *out, const double *xs, const double *ys, size_t n, const char *cls,
		  const char *title);

#endif /* MMSIM_CLI_SVG_H */
