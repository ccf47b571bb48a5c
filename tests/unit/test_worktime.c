/* test_worktime.c: the clock: Vietnamese local time, weekday lines, strict parsing */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "worktime/clock.h"

static void sample_article_line(void **state)
{
	(void)state;
	int64_t t;
	assert_true(clock_from_local(2015, 7, 7, 8, 10, &t));
	assert_int_equal(t, 1436231400); /* 2015-07-07T01:10:00Z */
	char line[64];
	clock_format_vi_line(t, line, sizeof line);
	assert_string_equal(line, "Thứ 3, Ngày 07/07/2015, 08:10");
	clock_format_rfc3339(t, line, sizeof line);
	assert_string_equal(line, "2015-07-07T08:10:00+07:00");
	clock_format_rfc822(t, line, sizeof line);
	assert_string_equal(line, "Tue, 07 Jul 2015 01:10:00 GMT");
}

static void weekdays_and_midnight(void **state)
{
	(void)state;
	int64_t t;
	/* 2026-11-29 is a Sunday; 00:30 local is still the previous day in UTC. */
	assert_true(clock_from_local(2026, 11, 29, 0, 30, &t));
	struct clock_local l = clock_to_local(t);
	assert_int_equal(l.weekday, 0);
	assert_int_equal(l.day, 29);
	assert_string_equal(clock_weekday_vi(l.weekday), "Chủ nhật");
	assert_true(clock_from_local(2024, 2, 29, 23, 59, &t));
	l = clock_to_local(t);
	assert_int_equal(l.month, 2);
	assert_int_equal(l.day, 29);
	assert_string_equal(clock_weekday_vi(l.weekday), "Thứ 5");
	assert_true(clock_from_local(1969, 12, 31, 12, 0, &t)); /* before the epoch */
	l = clock_to_local(t);
	assert_int_equal(l.year, 1969);
	assert_int_equal(l.weekday, 3);
}

static void strict_parsing(void **state)
{
	(void)state;
	int y, m, d;
	int64_t t;
	assert_true(clock_parse_date("2015-07-07", &y, &m, &d));
	assert_false(clock_parse_date("2015-02-30", &y, &m, &d));
	assert_false(clock_parse_date("2015-7-7", &y, &m, &d));
	assert_false(clock_parse_date("2015-07-07x", &y, &m, &d));
	assert_true(clock_parse_month("2015-07", &y, &m));
	assert_false(clock_parse_month("2015-13", &y, &m));
	assert_true(clock_parse_local_datetime("2015-07-07T08:10", &t));
	assert_int_equal(t, 1436231400);
	assert_false(clock_parse_local_datetime("2015-07-07T24:10", &t));
	assert_false(clock_parse_local_datetime("", &t));
	/* December 2026 in UTC+7: 2026-11-30T17:00Z to 2026-12-31T17:00Z. */
	int64_t start, end;
	assert_true(clock_month_bounds(2026, 12, &start, &end));
	assert_int_equal(start, 1796058000);
	assert_int_equal(end, 1798736400);
	assert_false(clock_month_bounds(2026, 13, &start, &end));
	/* A form's date: strict shape, a real date, and within the field's range. */
	int64_t lo = 1436202000, hi = 1436202000 + 366 * 86400; /* 2015-07-07 .. 2016-07-07 */
	assert_int_equal(clock_parse_input("2015-07-07T08:10", true, lo, hi, &t), CLOCK_INPUT_OK);
	assert_int_equal(t, 1436231400);
	assert_int_equal(clock_parse_input("2015-07-07", false, lo, hi, &t), CLOCK_INPUT_OK);
	assert_int_equal(t, lo);
	assert_int_equal(clock_parse_input("9999-12-31T23:59", true, lo, hi, &t),
			 CLOCK_INPUT_OUT_OF_RANGE);
	assert_int_equal(clock_parse_input("2015-07-06", false, lo, hi, &t),
			 CLOCK_INPUT_OUT_OF_RANGE);
	assert_int_equal(clock_parse_input("2015-07-07", true, lo, hi, &t), CLOCK_INPUT_INVALID);
	assert_int_equal(clock_parse_input("2015-02-30", false, lo, hi, &t), CLOCK_INPUT_INVALID);
	assert_int_equal(clock_parse_input(NULL, false, lo, hi, &t), CLOCK_INPUT_INVALID);
	char words[64];
	clock_range_words(lo, hi, words, sizeof words);
	assert_string_equal(words, "từ 07/07/2015 đến 07/07/2016");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sample_article_line),
		cmocka_unit_test(weekdays_and_midnight),
		cmocka_unit_test(strict_parsing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
