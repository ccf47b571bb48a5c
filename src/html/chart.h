/* chart.h: an SVG chart of labelled slots, one bar each on a counting scale, with an
 * optional line on a 0..100% scale; made here because it goes out unescaped */
#ifndef HTML_CHART_H
#define HTML_CHART_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum { HTML_CHART_NO_POINT = -1 };
#define HTML_CHART_BAR_MAX ((int64_t)1000000000000000) /* 10^15: the scale stays exact */

struct html_chart_slot {
	const char *label;     /* under the bar */
	int64_t bar;           /* 0..HTML_CHART_BAR_MAX; less is drawn as 0, more as the max */
	int line_permille;     /* the line's point, 0..1000; HTML_CHART_NO_POINT: none */
	const char *line_text; /* written by the point, e.g. "66,7%"; NULL: no text */
};

struct html_chart {
	const char *title, *description;  /* <title> and <desc>, for screen readers */
	const char *bar_name, *line_name; /* the legend */
	const char *bar_axis, *line_axis; /* above the left and right scales */
	const struct html_chart_slot *slots;
	size_t count;
};

/* The chart as trusted SVG (html_trusted_new) 760 by 320 units, class "stats-chart":
 * bars on a left scale with four round steps, the line through the slots with a point
 * (and dots, with their text) on a right scale of 0..100%, and a legend. Every text
 * is escaped; the <title> and <desc> ids are fixed, so one chart a page. NULL when
 * memory runs out. */
json_t *html_chart_bars_and_line(const struct html_chart *c);

#endif
