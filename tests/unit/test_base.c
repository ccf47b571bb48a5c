/* test_base.c: arena, buffers, strict numbers, UTF-8 checks */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/num.h"
#include "base/utf8.h"

static void arena_limit_is_sticky(void **state)
{
	(void)state;
	struct arena *a = arena_new(1000);
	assert_non_null(arena_alloc(a, 500));
	assert_null(arena_alloc(a, 600));
	assert_true(arena_failed(a));
	assert_null(arena_alloc(a, 1)); /* sticky even when it would fit */
	arena_free(a);
}

static void arena_big_blocks_and_strings(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	char *big = arena_alloc(a, 100000);
	assert_non_null(big);
	memset(big, 'x', 100000);
	assert_string_equal(arena_printf(a, "%s-%d", "phường", 9), "phường-9");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	assert_false(arena_failed(a));
	arena_free(a);
}

static void buf_grows_until_max(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	struct buf b;
	buf_init(&b, a, 10);
	assert_true(buf_lit(&b, "12345"));
	assert_true(buf_printf(&b, "%d", 6789));
	assert_string_equal(buf_str(&b), "123456789");
	assert_false(buf_lit(&b, "ab"));
	assert_true(b.failed);
	arena_free(a);

	buf_init(&b, NULL, 1 << 20);
	for (int i = 0; i < 1000; i++)
		assert_true(buf_lit(&b, "0123456789"));
	assert_int_equal(b.len, 10000);
	buf_release(&b);
}

static void num_is_strict(void **state)
{
	(void)state;
	int64_t v;
	assert_true(num_parse_int64("42", 0, 100, &v));
	assert_int_equal(v, 42);
	assert_true(num_parse_int64("-5", -10, 10, &v));
	assert_false(num_parse_int64("", 0, 100, &v));
	assert_false(num_parse_int64(" 4", 0, 100, &v));
	assert_false(num_parse_int64("4 ", 0, 100, &v));
	assert_false(num_parse_int64("0x10", 0, 100, &v));
	assert_false(num_parse_int64("101", 0, 100, &v));
	assert_false(num_parse_int64("99999999999999999999", 0, INT64_MAX, &v));
	assert_false(num_parse_int64("-", -1, 1, &v));
	assert_false(num_parse_int64(NULL, 0, 1, &v));
}

static void utf8_checks(void **state)
{
	(void)state;
	const char *ok = "Phường 9, Đảng ủy";
	assert_true(utf8_valid(ok, strlen(ok)));
	assert_false(utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
	assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	assert_false(utf8_valid("abc\xe1\xbb", 5));      /* cut short */
	assert_false(utf8_valid("a\0b", 3));
	assert_true(utf8_has_controls("a\x01", 2));
	assert_false(utf8_has_controls("a\tb\r\n", 5));
	assert_true(utf8_has_controls("a\xef\xbf\xbe", 4));  /* U+FFFE */
	assert_true(utf8_has_controls("\xef\xbf\xbf" "b", 4)); /* U+FFFF */
	assert_false(utf8_has_controls("\xef\xbf\xbd", 3)); /* U+FFFD is text */
	assert_int_equal(utf8_length("Đảng", strlen("Đảng")), 4);
	assert_int_equal(utf8_prefix("Đảng", strlen("Đảng"), 2), strlen("Đả"));
}

/* A line carrying CR, LF, ESC, DEL, a C1 CSI or a backslash comes out as one line of
 * printable text; UTF-8 letters pass; a full buffer cuts at a whole escape. */
static void log_escape_controls(void **state)
{
	(void)state;
	char out[64];
	log_escape(out, sizeof out, "GET /a\n2026 info forged\r\x1b[31mred\x7f");
	assert_string_equal(out, "GET /a\\x0a2026 info forged\\x0d\\x1b[31mred\\x7f");
	log_escape(out, sizeof out, "phường \xc2\x9b" "2J \\x0a \t");
	assert_string_equal(out, "phường \\x9b2J \\x5cx0a \\x09");
	char small[8];
	assert_int_equal(log_escape(small, sizeof small, "ab\ncd"), 7);
	assert_string_equal(small, "ab\\x0ac");
	assert_int_equal(log_escape(small, sizeof small, "abcd\n"), 4);
	assert_string_equal(small, "abcd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_limit_is_sticky),
		cmocka_unit_test(arena_big_blocks_and_strings),
		cmocka_unit_test(buf_grows_until_max),
		cmocka_unit_test(num_is_strict),
		cmocka_unit_test(utf8_checks),
		cmocka_unit_test(log_escape_controls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
