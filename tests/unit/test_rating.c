/* test_rating.c: the rules of satisfaction ratings: the criteria and levels, checking a
 * submitted rating, the share of satisfied answers */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "onestop/rating.h"

static void criteria_and_levels(void **state)
{
	(void)state;
	for (int n = 1; n <= RATING_CRITERIA; n++) {
		const char *label = rating_criterion_label(n);
		assert_non_null(label);
		assert_true(strlen(label) > 10);
		for (int k = 1; k < n; k++)
			assert_string_not_equal(label, rating_criterion_label(k));
	}
	assert_null(rating_criterion_label(0));
	assert_null(rating_criterion_label(13));
	assert_string_equal(rating_level_label(3), "Rất hài lòng");
	assert_string_equal(rating_level_label(2), "Hài lòng");
	assert_string_equal(rating_level_label(1), "Không hài lòng");
	assert_string_equal(rating_level_label(0), "");
	assert_string_equal(rating_level_label(4), "");
}

static void check_accepts(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	const char *answers[RATING_CRITERIA + 1] = { NULL };
	answers[1] = "3";
	answers[4] = "1";
	answers[12] = "2";
	answers[7] = "";
	struct rating out;
	assert_null(rating_check(a, "2", answers, "  Tốt\r\nlắm  ", &out));
	assert_int_equal(out.overall, 2);
	assert_int_equal(out.answers[1], 3);
	assert_int_equal(out.answers[4], 1);
	assert_int_equal(out.answers[12], 2);
	assert_int_equal(out.answers[7], 0);
	assert_int_equal(out.answers[2], 0);
	assert_non_null(strstr(out.comment, "Tốt"));
	assert_non_null(strchr(out.comment, '\n')); /* a comment keeps its lines */
	assert_int_equal(out.comment[0], 'T');
	/* No criterion and no comment is a whole rating too. */
	const char *none[RATING_CRITERIA + 1] = { NULL };
	assert_null(rating_check(a, "1", none, NULL, &out));
	assert_int_equal(out.overall, 1);
	assert_string_equal(out.comment, "");
	arena_free(a);
}

static void check_refuses(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const char *none[RATING_CRITERIA + 1] = { NULL };
	struct rating out;
	const char *msg = rating_check(a, NULL, none, "", &out);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "mức độ hài lòng chung"));
	assert_non_null(rating_check(a, "", none, "", &out));
	static const char *const bad_levels[] = { "0", "4", "-1", "2 ", " 2", "02x", "3.0", "abc",
						  "99999999999999999999" };
	for (size_t i = 0; i < sizeof bad_levels / sizeof bad_levels[0]; i++) {
		assert_non_null(rating_check(a, bad_levels[i], none, "", &out));
		const char *answers[RATING_CRITERIA + 1] = { NULL };
		answers[5] = bad_levels[i];
		msg = rating_check(a, "3", answers, "", &out);
		assert_non_null(msg);
		assert_non_null(strstr(msg, "tiêu chí"));
	}
	/* 1000 code points (2 bytes each) pass, 1001 do not; invalid UTF-8 never. */
	char comment[2 * 1001 + 1];
	for (size_t i = 0; i < 1001; i++)
		memcpy(comment + 2 * i, "\xc3\xbd", 2); /* ý */
	comment[2 * 1001] = '\0';
	assert_non_null(rating_check(a, "3", none, comment, &out));
	comment[2 * 1000] = '\0';
	assert_null(rating_check(a, "3", none, comment, &out));
	assert_non_null(rating_check(a, "3", none, "\xff\xfe", &out));
	arena_free(a);
}

static void satisfied_share(void **state)
{
	(void)state;
	struct rating_level_counts c = { 0 };
	assert_int_equal(rating_satisfied_percent(&c), 0);
	c = (struct rating_level_counts){ .total = 3, .level = { 0, 1, 1, 1 } };
	assert_int_equal(rating_satisfied_percent(&c), 66);
	c = (struct rating_level_counts){ .total = 4, .level = { 0, 0, 0, 4 } };
	assert_int_equal(rating_satisfied_percent(&c), 100);
	c = (struct rating_level_counts){ .total = 2, .level = { 0, 2, 0, 0 } };
	assert_int_equal(rating_satisfied_percent(&c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(criteria_and_levels),
		cmocka_unit_test(check_accepts),
		cmocka_unit_test(check_refuses),
		cmocka_unit_test(satisfied_share),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
