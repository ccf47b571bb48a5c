/* test_html.c: escaping, URL allowlist, sealed trusted HTML, Markdown, .po files, the SVG
 * chart */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "html/chart.h"
#include "html/html.h"
#include "html/i18n.h"

static int setup(void **state)
{
	(void)state;
	return html_init() ? 0 : -1;
}

static void escape_hostile_input(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" },
		{ "' onmouseover='x", "&#39; onmouseover=&#39;x" },
		{ "a & b &amp;", "a &amp; b &amp;amp;" },
		{ "Phường 9 — “Đảng”", "Phường 9 — “Đảng”" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b;
		buf_init(&b, NULL, 1 << 16);
		html_escape(&b, cases[i].in, strlen(cases[i].in));
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_release(&b);
	}
}

static void url_allowlist(void **state)
{
	(void)state;
	static const char *const good[] = {
		"/tin-tuc/1", "tin-tuc", "#top", "?page=2", "https://phuong9.gov.vn/",
		"HTTP://x.vn", "mailto:ubnd@phuong9.vn", "/a:b", "a/b:c", "", "//cdn.vn/x.js",
	};
	static const char *const bad[] = {
		"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
		"java\tscript:alert(1)", "\njavascript:alert(1)", "data:text/html,<script>",
		"vbscript:x", "file:///etc/passwd", ":x", "https\x01://x",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(html_url_allowed(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(html_url_allowed(bad[i]));
	assert_false(html_url_allowed(NULL));
}

static void trusted_seal(void **state)
{
	(void)state;
	json_t *t = html_trusted_new("<b>x</b>", 8);
	size_t len = 0;
	assert_string_equal(html_trusted_get(t, &len), "<b>x</b>");
	assert_int_equal(len, 8);

	/* Changing the html breaks the seal. */
	json_t *copy = json_deep_copy(t);
	json_object_set_new(copy, "html", json_string("<script>"));
	assert_null(html_trusted_get(copy, NULL));
	json_decref(copy);

	json_t *forged = json_pack("{s:s, s:s}", "html", "<b>", "seal", "00");
	assert_null(html_trusted_get(forged, NULL));
	json_decref(forged);
	json_t *extra = json_deep_copy(t);
	json_object_set_new(extra, "more", json_true());
	assert_null(html_trusted_get(extra, NULL));
	json_decref(extra);
	json_t *str = json_string("<b>");
	assert_null(html_trusted_get(str, NULL));
	json_decref(str);
	json_decref(t);
}

static const char *markdown(const char *md, json_t **keep)
{
	*keep = html_markdown(md, strlen(md));
	assert_non_null(*keep);
	const char *html = html_trusted_get(*keep, NULL);
	assert_non_null(html);
	return html;
}

static void markdown_is_safe(void **state)
{
	(void)state;
	json_t *v;
	const char *html = markdown("# Tin\n\n**đậm** ~~gạch~~ https://phuong9.vn\n\n"
				    "| a | b |\n|---|---|\n| 1 | 2 |\n", &v);
	assert_non_null(strstr(html, "<h1>Tin</h1>"));
	assert_non_null(strstr(html, "<strong>đậm</strong>"));
	assert_non_null(strstr(html, "<del>gạch</del>"));
	assert_non_null(strstr(html, "<a href=\"https://phuong9.vn\">"));
	assert_non_null(strstr(html, "<table>"));
	json_decref(v);

	html = markdown("<script>alert(1)</script>\n\nx <img src=x onerror=alert(1)> y\n", &v);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "onerror"));
	json_decref(v);

	html = markdown("[bấm](javascript:alert(1)) [b](JAVASCRIPT:x) "
			"![i](data:text/html;base64,PHNjcmlwdD4=)\n", &v);
	assert_null(strstr(html, "javascript:"));
	assert_null(strstr(html, "JAVASCRIPT:"));
	assert_null(strstr(html, "data:text/html"));
	assert_non_null(strstr(html, "bấm"));
	json_decref(v);
}

static void markdown_plain_text(void **state)
{
	(void)state;
	const char *md = "# Thông báo\n\nLịch **tiếp dân**\nthứ <b>Hai</b>.\n\n"
			 "<div>\nhidden\n</div>\n\n- một\n- `hai`\n";
	char *plain = html_markdown_plain(md, strlen(md));
	assert_string_equal(plain, "Thông báo\n\nLịch tiếp dân thứ Hai.\n\nmột\n\nhai");
	free(plain);
}

static void po_file(void **state)
{
	(void)state;
	char path[] = "/tmp/phuong-test-po-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("# header\nmsgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	      "msgid \"Trang chủ\"\nmsgstr \"Home\"\n\n"
	      "#, fuzzy\nmsgid \"Tin tức\"\nmsgstr \"News\"\n\n"
	      "msgid \"Trống\"\nmsgstr \"\"\n\n"
	      "msgctxt \"menu\"\nmsgid \"Liên hệ\"\nmsgstr \"\"\n\"Con\"\n\"tact\"\n\n"
	      "msgid \"a\\\"b\\\\c\\td\\n\"\nmsgstr \"ok \\\"quoted\\\"\"\n\n"
	      "msgid \"%d hồ sơ\"\nmsgid_plural \"%d hồ sơ\"\nmsgstr[0] \"%d files\"\n"
	      "msgstr[1] \"%d files!\"\n", f);
	fclose(f);
	struct i18n *t = i18n_load(path);
	assert_non_null(t);
	assert_string_equal(i18n_get(t, "Trang chủ"), "Home");
	assert_string_equal(i18n_get(t, "Tin tức"), "Tin tức");
	assert_string_equal(i18n_get(t, "Trống"), "Trống");
	assert_string_equal(i18n_get(t, "Liên hệ"), "Contact");
	assert_string_equal(i18n_get(t, "a\"b\\c\td\n"), "ok \"quoted\"");
	assert_string_equal(i18n_get(t, "%d hồ sơ"), "%d files");
	assert_string_equal(i18n_get(t, "Không có"), "Không có");
	assert_string_equal(i18n_get(NULL, "x"), "x");
	i18n_free(t);

	f = fopen(path, "w");
	fputs("msgid \"x\"\nmsgstr \"unterminated\n", f);
	fclose(f);
	assert_null(i18n_load(path));
	unlink(path);
}

static size_t count_of(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = strstr(s, what); p != NULL; p = strstr(p + 1, what))
		n++;
	return n;
}

static void chart_texts_are_escaped(void **state)
{
	(void)state;
	const struct html_chart_slot slots[] = {
		{ "<b>&\"1\"", 10, 750, "75<%>" },
		{ "02", 0, HTML_CHART_NO_POINT, "unused" },
		{ "03", 25, 1000, "100%" },
	};
	const struct html_chart c = { "Title <x> & \"y\"", "Desc <script>alert(1)</script>",
				      "Bars & co", "Line <i>", "<left>", "\"right\"", slots, 3 };
	json_t *v = html_chart_bars_and_line(&c);
	assert_non_null(v);
	const char *svg = html_trusted_get(v, NULL);
	assert_non_null(svg);
	const char prefix[] = "<svg class=\"stats-chart\" ";
	assert_true(strncmp(svg, prefix, sizeof prefix - 1) == 0);
	assert_non_null(strstr(svg, "role=\"img\" aria-labelledby=\"chart-title chart-desc\""));
	assert_non_null(strstr(svg, "<title id=\"chart-title\">Title &lt;x&gt; &amp; &quot;y&quot;</title>"));
	assert_non_null(strstr(svg, "<desc id=\"chart-desc\">Desc &lt;script&gt;alert(1)&lt;/script&gt;</desc>"));
	assert_non_null(strstr(svg, ">&lt;b&gt;&amp;&quot;1&quot;</text>"));
	assert_non_null(strstr(svg, ">75&lt;%&gt;</text>"));
	assert_non_null(strstr(svg, ">Bars &amp; co</text>"));
	assert_non_null(strstr(svg, ">Line &lt;i&gt;</text>"));
	assert_non_null(strstr(svg, ">&lt;left&gt;</text>"));
	assert_non_null(strstr(svg, ">&quot;right&quot;</text>"));
	assert_null(strstr(svg, "<b>"));
	assert_null(strstr(svg, "<i>"));
	assert_null(strstr(svg, "<script"));
	/* A slot without a point has no dot, and its text is not drawn. */
	assert_int_equal(count_of(svg, "<circle"), 2);
	assert_null(strstr(svg, "unused"));
	assert_true(strcmp(svg + strlen(svg) - 6, "</svg>") == 0);
	json_decref(v);
}

static void chart_geometry(void **state)
{
	(void)state;
	const struct html_chart_slot slots[] = {
		{ "a", 10, 750, "75%" },
		{ "b", 0, HTML_CHART_NO_POINT, NULL },
		{ "c", 25, 1000, NULL },
	};
	const struct html_chart c = { "t", "d", "bars", "line", "left", "right", slots, 3 };
	json_t *v = html_chart_bars_and_line(&c);
	const char *svg = html_trusted_get(v, NULL);
	assert_non_null(svg);
	assert_non_null(strstr(svg, "viewBox=\"0 0 760 320\""));
	/* Three bars and the legend's; the left scale reaches 25 in round steps: 0..40. */
	assert_int_equal(count_of(svg, "<rect class=\"bar\""), 3 + 1);
	assert_non_null(strstr(svg, "text-anchor=\"end\">40</text>"));
	assert_non_null(strstr(svg, "text-anchor=\"end\">30</text>"));
	assert_non_null(strstr(svg, ">100%</text>"));
	/* 648 wide in 3 slots of 216, bars 129 wide; 25 of 40 is 152 of the 244 high plot. */
	assert_non_null(strstr(svg, "<rect class=\"bar\" x=\"99\" y=\"211\" width=\"129\" height=\"61\"/>"));
	assert_non_null(strstr(svg, "<rect class=\"bar\" x=\"315\" y=\"272\" width=\"129\" height=\"0\"/>"));
	assert_non_null(strstr(svg, "<rect class=\"bar\" x=\"531\" y=\"120\" width=\"129\" height=\"152\"/>"));
	/* A value inside a tall bar's foot, above a short one. */
	assert_non_null(strstr(svg, "<text class=\"value inside\" x=\"595\" y=\"266\" text-anchor=\"middle\">25</text>"));
	assert_non_null(strstr(svg, "<text class=\"value\" x=\"379\" y=\"268\" text-anchor=\"middle\">0</text>"));
	/* The line skips b; its text sits above a point, below one near the top. */
	assert_non_null(strstr(svg, "<polyline class=\"rate-line\" points=\"164,89 596,28 \"/>"));
	assert_non_null(strstr(svg, "<circle class=\"rate-dot\" cx=\"164\" cy=\"89\" r=\"4\"/>"));
	assert_non_null(strstr(svg, "<text class=\"rate-value\" x=\"164\" y=\"81\" text-anchor=\"middle\">75%</text>"));
	assert_int_equal(count_of(svg, "rate-value"), 1); /* c's point has no text */
	json_decref(v);

	/* A point past 100% stays on the plot; a negative bar is drawn as 0. */
	const struct html_chart_slot odd[] = { { "x", -5, 1500, "150%" } };
	const struct html_chart one = { "t", "d", "bars", "line", "left", "right", odd, 1 };
	v = html_chart_bars_and_line(&one);
	svg = html_trusted_get(v, NULL);
	assert_non_null(strstr(svg, "<circle class=\"rate-dot\" cx=\"380\" cy=\"28\" r=\"4\"/>"));
	assert_non_null(strstr(svg, "height=\"0\"/>"));
	assert_non_null(strstr(svg, "text-anchor=\"end\">4</text>"));
	json_decref(v);

	/* No slots: the frame, scales and titles only. */
	const struct html_chart none = { "t", "d", "bars", "line", "left", "right", NULL, 0 };
	v = html_chart_bars_and_line(&none);
	svg = html_trusted_get(v, NULL);
	assert_non_null(svg);
	assert_null(strstr(svg, "<rect"));
	assert_null(strstr(svg, "<polyline"));
	assert_non_null(strstr(svg, ">left</text>"));
	assert_non_null(strstr(svg, "</svg>"));
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_hostile_input),
		cmocka_unit_test(url_allowlist),
		cmocka_unit_test(trusted_seal),
		cmocka_unit_test(markdown_is_safe),
		cmocka_unit_test(markdown_plain_text),
		cmocka_unit_test(po_file),
		cmocka_unit_test(chart_texts_are_escaped),
		cmocka_unit_test(chart_geometry),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
