/* test_qr.c: QR codes as SVG: structure, size by version, determinism, the input limit */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "qr/qr.h"

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void svg_has_one_path_and_crisp_edges(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const char *svg;
	int modules;
	assert_int_equal(qr_svg(a, "hello", "160", &svg, &modules), STATUS_OK);
	assert_int_equal(modules, 21); /* 5 bytes at level M: version 1 */
	assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_non_null(strstr(svg, "viewBox=\"0 0 29 29\"")); /* 21 + 2 * 4 */
	assert_non_null(strstr(svg, "width=\"160\" height=\"160\""));
	assert_non_null(strstr(svg, "shape-rendering=\"crispEdges\""));
	assert_int_equal(count(svg, "<path"), 1);
	assert_true(strcmp(svg + strlen(svg) - 6, "</svg>") == 0);
	/* the finder pattern's top row starts at the quiet zone: seven dark modules */
	assert_non_null(strstr(svg, "d=\"M4 4h7v1h-7z"));
	arena_free(a);
}

static void size_follows_version(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const char *svg;
	int modules;
	assert_int_equal(qr_svg(a, "abcdefghijklmn", NULL, &svg, &modules), STATUS_OK);
	assert_int_equal(modules, 21); /* 14 bytes: the most version 1-M holds */
	assert_null(strstr(svg, "\" width="));
	assert_int_equal(qr_svg(a, "abcdefghijklmno", NULL, &svg, &modules), STATUS_OK);
	assert_int_equal(modules, 25); /* 15 bytes: version 2 */
	arena_free(a);
}

static void same_text_same_bytes(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const char *one, *two, *other;
	const char *text = "PHUONG1|P9-2026-000001|dang-ky-khai-sinh|2026-12-01T16:30+07:00|x";
	assert_int_equal(qr_svg(a, text, "40mm", &one, NULL), STATUS_OK);
	assert_int_equal(qr_svg(a, text, "40mm", &two, NULL), STATUS_OK);
	assert_string_equal(one, two);
	assert_int_equal(qr_svg(a, "Phường 9", "40mm", &other, NULL), STATUS_OK);
	assert_string_not_equal(one, other);
	arena_free(a);
}

static void limits_are_refused(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const char *svg = NULL;
	char text[QR_TEXT_MAX + 2];
	memset(text, 'a', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	assert_int_equal(qr_svg(a, text, NULL, &svg, NULL), STATUS_INVALID);
	text[QR_TEXT_MAX] = '\0';
	assert_int_equal(qr_svg(a, text, NULL, &svg, NULL), STATUS_OK);
	assert_int_equal(qr_svg(a, "", NULL, &svg, NULL), STATUS_INVALID);
	assert_int_equal(qr_svg(a, "x", "1\" onload=\"x", &svg, NULL), STATUS_INVALID);
	arena_free(a);
	struct arena *small = arena_new(256);
	assert_int_equal(qr_svg(small, "hello", NULL, &svg, NULL), STATUS_TOO_LARGE);
	arena_free(small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(svg_has_one_path_and_crisp_edges),
		cmocka_unit_test(size_follows_version),
		cmocka_unit_test(same_text_same_bytes),
		cmocka_unit_test(limits_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
