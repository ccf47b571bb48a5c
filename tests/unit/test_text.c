/* test_text.c: NFC, search folding, slugs and snippets of Vietnamese text */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/utf8.h"
#include "text/text.h"

static char *fold(struct arena *a, const char *s)
{
	return text_fold(a, s, strlen(s));
}

static void fold_headline(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	assert_string_equal(fold(a, "PHƯỜNG 9 ĐẨY MẠNH HỌC TẬP VÀ LÀM THEO TẤM GƯƠNG ĐẠO ĐỨC"),
			    "phuong 9 day manh hoc tap va lam theo tam guong dao duc");
	assert_string_equal(fold(a, "  Đảng ủy -- phường, (Quận 3)!  "), "dang uy phuong quan 3");
	assert_string_equal(fold(a, "...!!!"), "");
	assert_string_equal(fold(a, ""), "");
	assert_null(text_fold(a, "\xc0\xaf", 2));
	char *heap = text_fold_alloc("Đường Lê Lợi", strlen("Đường Lê Lợi"));
	assert_string_equal(heap, "duong le loi");
	free(heap);
	arena_free(a);
}

static void fold_nfd_and_tone_placement(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	/* "Tấm gương" decomposed: a + circumflex + acute, u + horn, o + horn. */
	const char *nfd = "Ta\xcc\x82\xcc\x81m gu\xcc\x9bo\xcc\x9bng";
	assert_string_equal(fold(a, nfd), fold(a, "Tấm gương"));
	assert_string_equal(fold(a, nfd), "tam guong");
	/* Old and new tone placement, and case. */
	assert_string_equal(fold(a, "hoà"), fold(a, "hòa"));
	assert_string_equal(fold(a, "Hòa"), "hoa");
	assert_string_equal(fold(a, "HOÀ"), "hoa");
	assert_string_equal(fold(a, "thuý"), fold(a, "thúy"));
	/* NFC of NFD input is the composed form. */
	assert_string_equal(text_nfc(a, nfd, strlen(nfd)), "Tấm gương");
	assert_null(text_nfc(a, "a\xff", 2));
	arena_free(a);
}

static void slug_cut_at_word(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const char *t = "Phường 9 đẩy mạnh học tập";
	assert_string_equal(text_slug(a, t, strlen(t), 100), "phuong-9-day-manh-hoc-tap");
	assert_string_equal(text_slug(a, t, strlen(t), 17), "phuong-9-day-manh");
	assert_string_equal(text_slug(a, t, strlen(t), 16), "phuong-9-day");
	assert_string_equal(text_slug(a, t, strlen(t), 18), "phuong-9-day-manh");
	assert_string_equal(text_slug(a, t, strlen(t), 3), "phu");
	assert_string_equal(text_slug(a, "!!", 2, 10), "");
	assert_string_equal(text_slug(a, "Thông báo!", strlen("Thông báo!"), 100), "thong-bao");
	arena_free(a);
}

static void first_words_of_a_query(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	assert_string_equal(text_first_words(a, "dang ky khai sinh", 2), "dang ky");
	assert_string_equal(text_first_words(a, "dang ky khai sinh", 4), "dang ky khai sinh");
	assert_string_equal(text_first_words(a, "dang ky khai sinh", 9), "dang ky khai sinh");
	assert_string_equal(text_first_words(a, "sinh", 1), "sinh");
	assert_string_equal(text_first_words(a, "", 3), "");
	arena_free(a);
}

/* The spans joined, with matches in [brackets]. */
static char *joined(struct arena *a, struct text_span *spans, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(spans[i].text) + 2;
	char *s = arena_alloc(a, len), *p = s;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(spans[i].text);
		if (spans[i].is_match)
			*p++ = '[';
		memcpy(p, spans[i].text, k);
		p += k;
		if (spans[i].is_match)
			*p++ = ']';
	}
	*p = '\0';
	return s;
}

static void snippet_marks_matches(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const char *text = "Phường 9 đẩy mạnh học tập và làm theo tấm gương đạo đức, "
			   "phong cách Hồ Chí Minh. TẤM GƯƠNG sáng.";
	struct text_span *spans;
	size_t n = text_snippet(a, text, "tam guong", 200, &spans);
	assert_true(n > 0);
	assert_string_equal(joined(a, spans, n),
			    "Phường 9 đẩy mạnh học tập và làm theo [tấm] [gương] đạo đức, "
			    "phong cách Hồ Chí Minh. [TẤM] [GƯƠNG] sáng.");

	/* A short window around the first match, with cut marks. */
	n = text_snippet(a, text, "guong", 24, &spans);
	assert_true(n > 0);
	char *s = joined(a, spans, n);
	assert_non_null(strstr(s, "[gương]"));
	assert_true(strncmp(s, "…", strlen("…")) == 0);
	assert_true(strlen(s) > strlen("…") &&
		    strcmp(s + strlen(s) - strlen("…"), "…") == 0);

	/* No match: the start of the text, nothing marked. */
	n = text_snippet(a, "Một hai ba bốn năm sáu bảy", "muoi", 10, &spans);
	assert_true(n > 0);
	assert_string_equal(joined(a, spans, n), "Một hai ba…");

	/* NFD text matches too; white space is collapsed. */
	n = text_snippet(a, "Ta\xcc\x82\xcc\x81m\n\n  gu\xcc\x9bo\xcc\x9bng", "tam", 50, &spans);
	assert_int_equal(n, 2);
	assert_true(spans[0].is_match);
	assert_string_equal(spans[1].text, " gu\xcc\x9bo\xcc\x9bng");
	arena_free(a);
}

static void clean_trims_normalises_and_limits(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	/* NFD "Hòa" (o + combining grave) comes back NFC, trimmed. */
	assert_string_equal(text_clean(a, "  Ho\xcc\x80" "a\t\n", 10, false), "H\xc3\xb2" "a");
	assert_string_equal(text_clean(a, "m\u1ed9t\tdòng\nhai", 20, false), "một dòng hai");
	assert_string_equal(text_clean(a, "một\ndòng", 20, true), "một\ndòng");
	assert_string_equal(text_clean(a, NULL, 5, false), "");
	assert_string_equal(text_clean(a, "đúng năm", 8, false), "đúng năm"); /* 8 code points */
	assert_null(text_clean(a, "đúng chín", 8, false));
	assert_null(text_clean(a, "\xff\xfe", 10, false));            /* not UTF-8 */
	assert_null(text_clean(a, "a\x01" "b", 10, false));               /* a control */
	assert_null(text_clean(a, "Ti\x1b[31mến", 20, false));           /* ESC */
	assert_null(text_clean(a, "chuông\a", 20, true));                /* BEL */
	assert_null(text_clean(a, "a\xc2\x9b" "b", 20, false));           /* C1 CSI */
	assert_null(text_clean(a, "An \xe2\x80\xae" "nahT", 20, false)); /* right-to-left override */
	assert_null(text_clean(a, "An \xe2\x81\xa6" "x", 20, true));      /* left-to-right isolate */
	assert_string_equal(text_clean(a, "a\rb", 10, false), "a b");      /* a lone CR */
	assert_string_equal(text_clean(a, "một\r\nhai\rba", 20, true), "một\nhai\nba");
	arena_free(a);
}

/* Found by tests/fuzz/fuzz_text: NFC turns some single code points into two or three
 * (U+0F73, U+2ADC, U+1D160), so the limit holds for the text as stored, after NFC. */
static void clean_limits_after_nfc(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const char *three = "\xe0\xbd\xb3" "\xf0\x9d\x85\xa0" "\xe2\xab\x9c"; /* 7 after NFC */
	assert_null(text_clean(a, three, 5, false));
	const char *stored = text_clean(a, three, 7, false);
	assert_non_null(stored);
	assert_int_equal(utf8_length(stored, strlen(stored)), 7);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold_headline),
		cmocka_unit_test(fold_nfd_and_tone_placement),
		cmocka_unit_test(slug_cut_at_word),
		cmocka_unit_test(first_words_of_a_query),
		cmocka_unit_test(snippet_marks_matches),
		cmocka_unit_test(clean_trims_normalises_and_limits),
		cmocka_unit_test(clean_limits_after_nfc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
