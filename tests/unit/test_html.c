/* test_html.c: escaping, URL allowlist, sealed trusted HTML, Markdown, .po files */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_hostile_input),
		cmocka_unit_test(url_allowlist),
		cmocka_unit_test(trusted_seal),
		cmocka_unit_test(markdown_is_safe),
		cmocka_unit_test(markdown_plain_text),
		cmocka_unit_test(po_file),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
