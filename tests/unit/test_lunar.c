/* test_lunar.c: the Vietnamese lunar calendar against published dates and the calendar rules */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "worktime/clock.h"
#include "worktime/lunar.h"

/* lunar-dates.tsv (shared/domain), every row: the Gregorian dates of Tết (1/1) and of Giỗ Tổ
 * Hùng Vương (10/3, regular month 3) of each lunar year 2015-2035. Rows 2024-2026 and the
 * Giỗ Tổ of 2021 are confirmed by news sources; the rest by two independent computations. */
static const struct {
	int year;
	int tet_month, tet_day;
	int hung_month, hung_day;
} published[] = {
	{ 2015, 2, 19, 4, 28 }, { 2016, 2, 8, 4, 16 },  { 2017, 1, 28, 4, 6 },
	{ 2018, 2, 16, 4, 25 }, { 2019, 2, 5, 4, 14 },  { 2020, 1, 25, 4, 2 },
	{ 2021, 2, 12, 4, 21 }, { 2022, 2, 1, 4, 10 },  { 2023, 1, 22, 4, 29 },
	{ 2024, 2, 10, 4, 18 }, { 2025, 1, 29, 4, 7 },  { 2026, 2, 17, 4, 26 },
	{ 2027, 2, 6, 4, 16 },  { 2028, 1, 26, 4, 4 },  { 2029, 2, 13, 4, 23 },
	{ 2030, 2, 2, 4, 12 },  { 2031, 1, 23, 4, 1 },  { 2032, 2, 11, 4, 19 },
	{ 2033, 1, 31, 4, 9 },  { 2034, 2, 19, 4, 28 }, { 2035, 2, 8, 4, 17 },
};

static void expect_lunar(int y, int m, int d, int ly, int lm, int ld, bool leap)
{
	struct lunar_date l;
	assert_true(lunar_from_solar(y, m, d, &l));
	assert_int_equal(l.year, ly);
	assert_int_equal(l.month, lm);
	assert_int_equal(l.day, ld);
	assert_int_equal(l.is_leap, leap);
	int gy, gm, gd;
	assert_true(lunar_to_solar(&l, &gy, &gm, &gd));
	assert_int_equal(gy, y);
	assert_int_equal(gm, m);
	assert_int_equal(gd, d);
}

static void tet_and_hung_kings_2015_2035(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
		int y = published[i].year;
		expect_lunar(y, published[i].tet_month, published[i].tet_day, y, 1, 1, false);
		expect_lunar(y, published[i].hung_month, published[i].hung_day, y, 3, 10, false);
		/* The day before Tết is the last day (29 or 30) of month 12 of the year before. */
		int64_t eve = clock_days_from_civil(y, published[i].tet_month, published[i].tet_day) - 1;
		int ey, em, ed;
		clock_civil_from_days(eve, &ey, &em, &ed);
		struct lunar_date l;
		assert_true(lunar_from_solar(ey, em, ed, &l));
		assert_int_equal(l.year, y - 1);
		assert_int_equal(l.month, 12);
		assert_int_equal(l.day, lunar_month_length(y - 1, 12, false));
	}
}

static void leap_months(void **state)
{
	(void)state;
	/* The leap months the brief and the domain notes name. */
	assert_int_equal(lunar_leap_month(2020), 4);
	assert_int_equal(lunar_leap_month(2023), 2);
	assert_int_equal(lunar_leap_month(2025), 6);
	assert_int_equal(lunar_leap_month(2031), 3);
	assert_int_equal(lunar_leap_month(2033), 11);
	/* 2024 and 2026 have 12 months: Tết 2024 (10/2/2024) to Tết 2025 (29/1/2025) is 354
	 * days, Tết 2026 (17/2/2026) to Tết 2027 (6/2/2027) is 354 days; a 13-month year
	 * would be about 384. */
	assert_int_equal(lunar_leap_month(2024), 0);
	assert_int_equal(lunar_leap_month(2026), 0);
	assert_int_equal(lunar_leap_month(1850), -1);

	/* The leap month 4 of 2020 begins at the new moon of 22/5/2020 17:39 UT, 00:39 on
	 * 23/5 at UTC+7; the regular month 4 began a lunation earlier (23/4/2020). */
	expect_lunar(2020, 5, 23, 2020, 4, 1, true);
	expect_lunar(2020, 5, 22, 2020, 4, 30, false);
	/* Leap month 2 of 2023: new moon 21/3/2023 17:23 UT = 00:23 on 22/3 at UTC+7. */
	expect_lunar(2023, 3, 22, 2023, 2, 1, true);
	/* Leap month 6 of 2025: new moon 24/7/2025 19:11 UT = 02:11 on 25/7 at UTC+7. */
	expect_lunar(2025, 7, 25, 2025, 6, 1, true);
	/* 2031: Giỗ Tổ is 10 of the regular month 3 (1/4/2031, lunar-dates.tsv), so that month
	 * began 23/3; the leap month 3 follows it 29 or 30 days later (21/4 or 22/4), and its
	 * day 10 is 30/4 or 1/5. */
	struct lunar_date l = { 2031, 3, 10, true };
	int y, m, d;
	assert_true(lunar_to_solar(&l, &y, &m, &d));
	assert_int_equal(y, 2031);
	assert_true((m == 4 && d == 30) || (m == 5 && d == 1));
	expect_lunar(2031, 3, 23, 2031, 3, 1, false);
	/* A leap flag on a month that is not leap does not exist. */
	l = (struct lunar_date){ 2026, 3, 10, true };
	assert_false(lunar_to_solar(&l, &y, &m, &d));
}

static void vietnam_differs_from_china_in_2030(void **state)
{
	(void)state;
	/* The new moon of 2/2/2030 is at 16:07 UT: 23:07 on 2/2 in Vietnam (UTC+7), 00:07 on
	 * 3/2 in China (UTC+8). Tết is 2/2 in Vietnam, the Chinese New Year 3/2. */
	expect_lunar(2030, 2, 2, 2030, 1, 1, false);
	struct lunar_date l;
	assert_true(lunar_from_solar_at(2030, 2, 2, 480, &l));
	assert_int_equal(l.year, 2029);
	assert_int_equal(l.month, 12);
	assert_true(lunar_from_solar_at(2030, 2, 3, 480, &l));
	assert_int_equal(l.year, 2030);
	assert_int_equal(l.month, 1);
	assert_int_equal(l.day, 1);
	/* Tết 2026 is the same in both: the new moon of 17/2/2026 is at 12:01 UT. */
	assert_true(lunar_from_solar_at(2026, 2, 17, 480, &l));
	assert_int_equal(l.month, 1);
	assert_int_equal(l.day, 1);
}

static void month_lengths_from_the_notes(void **state)
{
	(void)state;
	/* The notes: 16/2/2026 was 29 Chạp and Tết was 17/2, so month 12 of lunar 2025 (Ất Tỵ)
	 * had 29 days and has no day 30. */
	assert_int_equal(lunar_month_length(2025, 12, false), 29);
	struct lunar_date l = { 2025, 12, 30, false };
	int y, m, d;
	assert_false(lunar_to_solar(&l, &y, &m, &d));
	/* 8/2/2024 was 29 Chạp and Tết 10/2, so month 12 of 2023 (Quý Mão) had 30 days. */
	assert_int_equal(lunar_month_length(2023, 12, false), 30);
	expect_lunar(2024, 2, 9, 2023, 12, 30, false);
	/* 25/1/2025 was 26 Chạp (notes), and 2/2/2025 mùng 5. */
	expect_lunar(2025, 1, 25, 2024, 12, 26, false);
	expect_lunar(2025, 2, 2, 2025, 1, 5, false);
	/* 20/2/2026 was mùng 4 (notes). */
	expect_lunar(2026, 2, 20, 2026, 1, 4, false);
	assert_int_equal(lunar_month_length(2026, 13, false), 0);
}

static void every_day_round_trips(void **state)
{
	(void)state;
	/* Each day of 2015-2035 maps to a lunar date that maps back to it, days follow one
	 * another, and a month never has more than 30 days. */
	struct lunar_date prev = { 0 };
	for (int64_t day = clock_days_from_civil(2015, 1, 1); day <= clock_days_from_civil(2035, 12, 31);
	     day++) {
		int y, m, d, gy, gm, gd;
		clock_civil_from_days(day, &y, &m, &d);
		struct lunar_date l;
		assert_true(lunar_from_solar(y, m, d, &l));
		assert_true(l.day >= 1 && l.day <= 30);
		assert_true(lunar_to_solar(&l, &gy, &gm, &gd));
		assert_int_equal(gy * 10000 + gm * 100 + gd, y * 10000 + m * 100 + d);
		if (prev.day != 0 && l.day != 1)
			assert_int_equal(l.day, prev.day + 1);
		if (l.day == 1 && prev.day != 0)
			assert_true(prev.day == 29 || prev.day == 30);
		prev = l;
	}
}

static void range_and_names(void **state)
{
	(void)state;
	struct lunar_date l;
	assert_false(lunar_from_solar(1899, 12, 31, &l));
	assert_false(lunar_from_solar(2200, 1, 1, &l));
	assert_false(lunar_from_solar(2026, 2, 29, &l));
	/* Tết always falls between 21/1 and 20/2, so 1/1/1900 is still in lunar 1899 and
	 * 31/12/2199 in lunar 2199. */
	assert_true(lunar_from_solar(1900, 1, 1, &l));
	assert_int_equal(l.year, 1899);
	assert_true(lunar_from_solar(2199, 12, 31, &l));
	assert_int_equal(l.year, 2199);

	char name[32];
	assert_string_equal(lunar_year_name(2026, name, sizeof name), "Bính Ngọ");
	assert_string_equal(lunar_year_name(2024, name, sizeof name), "Giáp Thìn");
	assert_string_equal(lunar_year_name(2025, name, sizeof name), "Ất Tỵ");
	assert_string_equal(lunar_year_name(1984, name, sizeof name), "Giáp Tý");
	assert_string_equal(lunar_year_name(1968, name, sizeof name), "Mậu Thân");
	assert_string_equal(lunar_year_name(2030, name, sizeof name), "Canh Tuất");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tet_and_hung_kings_2015_2035),
		cmocka_unit_test(leap_months),
		cmocka_unit_test(vietnam_differs_from_china_in_2030),
		cmocka_unit_test(month_lengths_from_the_notes),
		cmocka_unit_test(every_day_round_trips),
		cmocka_unit_test(range_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
