/* test_stats.c: the pure parts of the one-stop statistics: months in UTC+7, rates,
 * folding groups into tables and CSV cells */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "onestop/stats.h"
#include "worktime/clock.h"

static int64_t local(int y, int mo, int d, int h, int mi)
{
	int64_t t;
	assert_true(clock_from_local(y, mo, d, h, mi, &t));
	return t;
}

static void periods(void **state)
{
	(void)state;
	struct stats_period p;
	assert_true(stats_period_parse("2026-11", &p));
	assert_int_equal(p.year, 2026);
	assert_int_equal(p.month, 11);
	/* 00:00 on 1 November in Vietnam is 17:00 UTC on 31 October. */
	assert_int_equal(p.start, local(2026, 11, 1, 0, 0));
	assert_int_equal(p.start % 86400, 17 * 3600);
	assert_int_equal(p.end, local(2026, 12, 1, 0, 0));
	assert_true(stats_period_parse("2026-12", &p));
	assert_int_equal(p.end, local(2027, 1, 1, 0, 0));
	const char *bad[] = { "2026-13", "2026-00", "2026-1", "26-11", "1999-12", "2100-01",
			      "2026-11-01", "", "abcd-ef", "2026_11" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(stats_period_parse(bad[i], &p));
	assert_false(stats_period_parse(NULL, &p));
	/* 23:30 on 31 December in Vietnam is still December; 00:10 on 1 January is not. */
	p = stats_period_of(local(2026, 12, 31, 23, 30));
	assert_int_equal(p.month, 12);
	p = stats_period_of(local(2027, 1, 1, 0, 10));
	assert_int_equal(p.year, 2027);
	assert_int_equal(p.month, 1);
	struct stats_period q = stats_period_shift(&p, -1);
	assert_int_equal(q.year, 2026);
	assert_int_equal(q.month, 12);
	assert_int_equal(q.end, p.start);
	q = stats_period_shift(&p, -13);
	assert_int_equal(q.year, 2025);
	assert_int_equal(q.month, 12);
	q = stats_period_shift(&p, 11);
	assert_int_equal(q.month, 12);
	char key[8], label[24], shortl[8];
	stats_period_key(&q, key);
	stats_period_label(&q, label);
	stats_period_short(&q, shortl);
	assert_string_equal(key, "2027-12");
	assert_string_equal(label, "Tháng 12/2027");
	assert_string_equal(shortl, "12/27");
}

static void rates(void **state)
{
	(void)state;
	char t[16];
	assert_int_equal(stats_rate(0, 0), STATS_RATE_NONE);
	stats_rate_text(0, 0, t);
	assert_string_equal(t, "—");
	assert_int_equal(stats_rate(2, 3), 667);
	stats_rate_text(2, 3, t);
	assert_string_equal(t, "66,7%");
	stats_rate_text(3, 3, t);
	assert_string_equal(t, "100%");
	stats_rate_text(0, 5, t);
	assert_string_equal(t, "0%");
	stats_rate_text(1, 8, t);
	assert_string_equal(t, "12,5%");
	assert_int_equal(stats_rate(4, 3), STATS_RATE_NONE);
}

static void fold(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const struct stats_name procedures[] = {
		{ 1, "Đăng ký khai sinh", "Hộ tịch" },
		{ 2, "Chứng thực bản sao", "Chứng thực" },
		{ 3, "Đăng ký kết hôn", "Hộ tịch" },
	};
	const struct stats_name officers[] = { { 10, "Bình", NULL }, { 11, "An", NULL } };
	const struct stats_group groups[] = {
		{ 1, 10, { .received = 3, .received_online = 1, .on_time = 2, .late = 1 } },
		{ 1, 0, { .received = 1, .open_in_time = 1 } },
		{ 2, 11, { .received = 2, .on_time = 2, .closed_other = 1 } },
		{ 3, 10, { .received = 1, .late = 1, .open_overdue = 2 } },
	};
	struct stats_report rep = { 0 };
	assert_int_equal(stats_fold(a, groups, 4, procedures, 3, officers, 2, &rep), STATUS_OK);
	assert_int_equal(rep.total.received, 7);
	assert_int_equal(rep.total.on_time, 4);
	assert_int_equal(rep.total.late, 2);
	assert_int_equal(rep.total.open_overdue, 2);
	assert_int_equal(rep.total.closed_other, 1);
	assert_int_equal(rep.procedure_count, 3);
	/* In the order of the names without marks: "Chứng..." < "Đăng ký kết hôn" <
	 * "Đăng ký khai sinh" (by bytes "Đ" would come after every plain letter). */
	assert_string_equal(rep.by_procedure[0].name, "Chứng thực bản sao");
	assert_string_equal(rep.by_procedure[1].name, "Đăng ký kết hôn");
	assert_int_equal(rep.by_procedure[1].c.open_overdue, 2);
	assert_string_equal(rep.by_procedure[2].name, "Đăng ký khai sinh");
	assert_int_equal(rep.by_procedure[2].c.received, 4);
	assert_int_equal(rep.by_procedure[2].c.open_in_time, 1);
	assert_int_equal(rep.field_count, 2);
	assert_string_equal(rep.by_field[1].name, "Hộ tịch");
	assert_int_equal(rep.by_field[1].c.received, 5);
	assert_int_equal(rep.by_field[1].c.late, 2);
	assert_int_equal(rep.officer_count, 3);
	assert_string_equal(rep.by_officer[0].name, "An");
	assert_string_equal(rep.by_officer[1].name, "Bình");
	assert_int_equal(rep.by_officer[1].c.received, 4);
	assert_string_equal(rep.by_officer[2].name, "Chưa có người xử lý");
	assert_int_equal(rep.by_officer[2].c.received, 1);
	assert_int_equal(stats_finished(&rep.by_officer[1].c), 4);
	/* No groups: empty tables and a zero total. */
	struct stats_report empty = { 0 };
	assert_int_equal(stats_fold(a, NULL, 0, procedures, 3, officers, 2, &empty), STATUS_OK);
	assert_int_equal(empty.procedure_count, 0);
	assert_int_equal(empty.total.received, 0);
	arena_free(a);
}

static void csv(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct buf b;
	buf_init(&b, a, 1 << 16);
	const char *cells[] = { "Hộ tịch", "a,b", "say \"hi\"", "=1+2", "+84", "-3", "@SUM(A1)",
				"line\nbreak", "" };
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		stats_csv_cell(&b, cells[i]);
		buf_putc(&b, '|');
	}
	assert_string_equal(buf_str(&b), "Hộ tịch|\"a,b\"|\"say \"\"hi\"\"\"|'=1+2|'+84|'-3|'@SUM(A1)|"
					 "\"line\nbreak\"||");
	buf_clear(&b);
	stats_csv_cell(&b, "=HYPERLINK(\"x\",\"y\")");
	assert_string_equal(buf_str(&b), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(periods),
		cmocka_unit_test(rates),
		cmocka_unit_test(fold),
		cmocka_unit_test(csv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
