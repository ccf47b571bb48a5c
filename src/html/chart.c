/* chart.c: an SVG chart of bars with a percentage line, every text escaped */
#include "html/chart.h"

#include "base/buf.h"
#include "html/html.h"

#include <stdbool.h>
#include <string.h>

enum { CHART_BYTES_MAX = 4 * 1024 * 1024 };

static void svg_text(struct buf *b, const char *s)
{
	if (s != NULL)
		html_escape(b, s, strlen(s));
}

/* The smallest of 1, 2, 2.5, 5 times a power of ten at or above v / 4, times 4: a scale
 * top with four round steps. */
static int64_t scale_top(int64_t v)
{
	static const int tenths[] = { 10, 20, 25, 50 };
	if (v <= 4)
		return 4;
	for (int64_t power = 1;; power *= 10) {
		for (size_t i = 0; i < sizeof tenths / sizeof tenths[0]; i++) {
			int64_t step = power * tenths[i] / 10;
			if (step > 0 && power * tenths[i] % 10 == 0 && step * 4 >= v)
				return step * 4;
		}
	}
}

static int64_t bar_of(const struct html_chart_slot *s)
{
	return s->bar < 0 ? 0 : s->bar > HTML_CHART_BAR_MAX ? HTML_CHART_BAR_MAX : s->bar;
}

/* The slot's point on the line, 0..1000, or HTML_CHART_NO_POINT. */
static int point_of(const struct html_chart_slot *s)
{
	if (s->line_permille < 0)
		return HTML_CHART_NO_POINT;
	return s->line_permille > 1000 ? 1000 : s->line_permille;
}

enum { W = 760, H = 320, LEFT = 56, RIGHT = 56, TOP = 28, BOTTOM = 48,
       PLOT_W = W - LEFT - RIGHT, PLOT_H = H - TOP - BOTTOM };

/* Grid and both scales: the bars' (up to top) on the left, the line's on the right. */
static void draw_scales(struct buf *b, const struct html_chart *c, int64_t top)
{
	for (int k = 0; k <= 4; k++) {
		int y = TOP + PLOT_H - PLOT_H * k / 4;
		buf_printf(b, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, y,
			   LEFT + PLOT_W, y);
		buf_printf(b, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%lld</text>",
			   LEFT - 6, y + 4, (long long)(top * k / 4));
		buf_printf(b, "<text class=\"axis rate\" x=\"%d\" y=\"%d\">%d%%</text>",
			   LEFT + PLOT_W + 6, y + 4, 25 * k);
	}
	buf_printf(b, "<text class=\"axis-title\" x=\"%d\" y=\"%d\">", LEFT, TOP - 12);
	svg_text(b, c->bar_axis);
	buf_printf(b, "</text><text class=\"axis-title rate\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		   LEFT + PLOT_W, TOP - 12);
	svg_text(b, c->line_axis);
	buf_lit(b, "</text>");
}

/* The bars with their values and labels, the line with its dots, and the legend. */
static void draw_slots(struct buf *b, const struct html_chart *c, int64_t top)
{
	const struct html_chart_slot *slots = c->slots;
	size_t n = c->count;
	int slot = n > (size_t)PLOT_W ? 0 : PLOT_W / (int)n, bar = slot * 3 / 5;
	for (size_t i = 0; i < n; i++) {
		int64_t value = bar_of(&slots[i]);
		int x = LEFT + slot * (int)i + (slot - bar) / 2;
		int h = (int)(value * PLOT_H / top);
		int y = TOP + PLOT_H - h;
		buf_printf(b, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", x, y,
			   bar, h);
		/* The value inside the bar's foot, clear of the line's texts; above a bar too
		 * short to hold it. */
		bool inside = h >= 20;
		buf_printf(b, "<text class=\"value%s\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%lld</text>",
			   inside ? " inside" : "", x + bar / 2, inside ? TOP + PLOT_H - 6 : y - 4,
			   (long long)value);
		buf_printf(b, "<text class=\"month\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
			   x + bar / 2, TOP + PLOT_H + 18);
		svg_text(b, slots[i].label);
		buf_lit(b, "</text>");
	}
	/* The line: through the slots that have a point. */
	buf_lit(b, "<polyline class=\"rate-line\" points=\"");
	for (size_t i = 0; i < n; i++) {
		int point = point_of(&slots[i]);
		if (point == HTML_CHART_NO_POINT)
			continue;
		buf_printf(b, "%d,%d ", LEFT + slot * (int)i + slot / 2,
			   TOP + PLOT_H - PLOT_H * point / 1000);
	}
	buf_lit(b, "\"/>");
	for (size_t i = 0; i < n; i++) {
		int point = point_of(&slots[i]);
		if (point == HTML_CHART_NO_POINT)
			continue;
		int x = LEFT + slot * (int)i + slot / 2, y = TOP + PLOT_H - PLOT_H * point / 1000;
		buf_printf(b, "<circle class=\"rate-dot\" cx=\"%d\" cy=\"%d\" r=\"4\"/>", x, y);
		if (slots[i].line_text == NULL)
			continue;
		buf_printf(b, "<text class=\"rate-value\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
			   x, y + (point > 900 ? 16 : -8));
		svg_text(b, slots[i].line_text);
		buf_lit(b, "</text>");
	}
	buf_printf(b, "<g class=\"legend\"><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"12\" height=\"12\"/>"
		   "<text x=\"%d\" y=\"%d\">", LEFT, H - 16, LEFT + 18, H - 6);
	svg_text(b, c->bar_name);
	buf_printf(b, "</text><line class=\"rate-line\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		   "<text x=\"%d\" y=\"%d\">", LEFT + 160, H - 10, LEFT + 184, H - 10, LEFT + 190,
		   H - 6);
	svg_text(b, c->line_name);
	buf_lit(b, "</text></g>");
}

json_t *html_chart_bars_and_line(const struct html_chart *c)
{
	int64_t most = 0;
	for (size_t i = 0; i < c->count; i++)
		if (bar_of(&c->slots[i]) > most)
			most = bar_of(&c->slots[i]);
	int64_t top = scale_top(most);
	struct buf b;
	buf_init(&b, NULL, CHART_BYTES_MAX);
	buf_printf(&b, "<svg class=\"stats-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
		   " role=\"img\" aria-labelledby=\"chart-title chart-desc\">", W, H);
	buf_lit(&b, "<title id=\"chart-title\">");
	svg_text(&b, c->title);
	buf_lit(&b, "</title><desc id=\"chart-desc\">");
	svg_text(&b, c->description);
	buf_lit(&b, "</desc>");
	draw_scales(&b, c, top);
	if (c->count > 0)
		draw_slots(&b, c, top);
	buf_lit(&b, "</svg>");
	json_t *svg = b.failed ? NULL : html_trusted_new(b.data, b.len);
	buf_release(&b);
	return svg;
}
