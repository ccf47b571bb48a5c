/* test_calendar.c: working days, computed holidays, official schedules, appointments, pauses
 *
 * Every expected value is worked out by hand from a calendar; the reasoning is in the
 * comment above each case. Weekdays used below: 1/1/2026 is a Thursday, so 1/2/2026 and
 * 1/3/2026 are Sundays, 1/4/2026 a Wednesday, 1/5/2026 a Friday, 1/8/2026 a Saturday and
 * 2/9/2026 a Wednesday; 1/1/2027 is a Friday and 1/2/2027 a Monday. The office works
 * Monday to Friday, 07:30-11:30 and 13:00-17:00 (8 hours a day). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "worktime/calendar.h"
#include "worktime/clock.h"
#include "worktime/due.h"

/* The 2026 rows of holidays-vn.tsv and workdays-swapped-vn.tsv (shared/domain), sources
 * shortened: the official schedule of 2026. */
static const char holidays_2026[] =
	"date\tname\tsource\n"
	"2026-01-01\tTết Dương lịch\t12729/VPCP-KGVX\n"
	"2026-01-02\tNghỉ hoán đổi (làm bù Thứ Bảy 10/01/2026)\t12729/VPCP-KGVX\n"
	"2026-01-03\tĐợt nghỉ Tết Dương lịch (trùng Thứ Bảy/Chủ nhật)\t12729/VPCP-KGVX\n"
	"2026-01-04\tĐợt nghỉ Tết Dương lịch (trùng Thứ Bảy/Chủ nhật)\t12729/VPCP-KGVX\n"
	"2026-02-14\tTết Nguyên đán Bính Ngọ (trùng Thứ Bảy/Chủ nhật)\t9441/TB-BNV\n"
	"2026-02-15\tTết Nguyên đán Bính Ngọ (trùng Thứ Bảy/Chủ nhật)\t9441/TB-BNV\n"
	"2026-02-16\tTết Nguyên đán Bính Ngọ\t9441/TB-BNV\n"
	"2026-02-17\tTết Nguyên đán Bính Ngọ\t9441/TB-BNV\n"
	"2026-02-18\tTết Nguyên đán Bính Ngọ\t9441/TB-BNV\n"
	"2026-02-19\tTết Nguyên đán Bính Ngọ\t9441/TB-BNV\n"
	"2026-02-20\tTết Nguyên đán Bính Ngọ\t9441/TB-BNV\n"
	"2026-02-21\tTết Nguyên đán Bính Ngọ (trùng Thứ Bảy/Chủ nhật)\t9441/TB-BNV\n"
	"2026-02-22\tTết Nguyên đán Bính Ngọ (trùng Thứ Bảy/Chủ nhật)\t9441/TB-BNV\n"
	"2026-04-26\tGiỗ Tổ Hùng Vương (10/3 âm lịch) (trùng Thứ Bảy/Chủ nhật)\tthanhnien.vn\n"
	"2026-04-27\tNghỉ bù Giỗ Tổ Hùng Vương (lễ trùng Chủ nhật)\tthanhnien.vn\n"
	"2026-04-30\tNgày Chiến thắng 30/4\tthanhnien.vn\n"
	"2026-05-01\tNgày Quốc tế Lao động 1/5\tthanhnien.vn\n"
	"2026-08-29\tĐợt nghỉ Quốc khánh (trùng Thứ Bảy/Chủ nhật)\t9441/TB-BNV\n"
	"2026-08-30\tĐợt nghỉ Quốc khánh (trùng Thứ Bảy/Chủ nhật)\t9441/TB-BNV\n"
	"2026-08-31\tNghỉ hoán đổi (làm bù Thứ Bảy 22/08/2026)\t9441/TB-BNV\n"
	"2026-09-01\tQuốc khánh (ngày liền kề)\t9441/TB-BNV\n"
	"2026-09-02\tQuốc khánh 2/9\t9441/TB-BNV\n";

static const char swapped_2026[] =
	"date\tname\tsource\n"
	"2026-01-10\tLàm bù cho Thứ Sáu 02/01/2026\t12729/VPCP-KGVX\n"
	"2026-08-22\tLàm bù cho Thứ Hai 31/08/2026\t9441/TB-BNV\n";

/* A calendar with the default week and the official 2026 schedule. */
static void official_2026(struct calendar *cal)
{
	char err[300];
	calendar_init(cal, NULL);
	assert_int_equal(calendar_parse_tsv(cal, holidays_2026, strlen(holidays_2026),
					    CALENDAR_ENTRY_DAY_OFF, err, sizeof err),
			 STATUS_OK);
	assert_int_equal(calendar_parse_tsv(cal, swapped_2026, strlen(swapped_2026),
					    CALENDAR_ENTRY_WORKDAY, err, sizeof err),
			 STATUS_OK);
	assert_int_equal(cal->count, 24);
}

/* UTC seconds of a local (UTC+7) date and time. */
static int64_t at(int y, int mo, int d, int h, int mi)
{
	int64_t t;
	assert_true(clock_from_local(y, mo, d, h, mi, &t));
	return t;
}

static void expect_kind(const struct calendar *cal, int y, int m, int d,
			enum calendar_day_kind kind, const char *name)
{
	const char *got = NULL;
	assert_int_equal(calendar_day_kind(cal, y, m, d, &got), kind);
	if (name == NULL)
		assert_null(got);
	else
		assert_string_equal(got, name);
}

static void settings(void **state)
{
	(void)state;
	struct calendar_settings s;
	calendar_settings_default(&s);
	assert_true(calendar_settings_valid(&s));
	assert_int_equal(s.working_weekdays, 0x3e);
	assert_int_equal(s.morning_start, 450);
	assert_int_equal(s.afternoon_end, 1020);
	assert_int_equal(s.same_day_cutoff, 900);
	struct calendar_settings bad = s;
	bad.working_weekdays = 0;
	assert_false(calendar_settings_valid(&bad));
	bad = s;
	bad.morning_end = 14 * 60; /* past the afternoon start */
	assert_false(calendar_settings_valid(&bad));
	bad = s;
	bad.afternoon_end = 1500;
	assert_false(calendar_settings_valid(&bad));
}

static void computed_2026(void **state)
{
	(void)state;
	struct calendar cal;
	calendar_init(&cal, NULL);
	assert_false(calendar_year_has_schedule(&cal, 2026));
	/* 1/1 (Thursday) is Tết Dương lịch; 2/1 has no swap without the official schedule. */
	expect_kind(&cal, 2026, 1, 1, CALENDAR_HOLIDAY, "Tết Dương lịch");
	expect_kind(&cal, 2026, 1, 2, CALENDAR_WORKING, NULL);
	expect_kind(&cal, 2026, 1, 3, CALENDAR_WEEKEND, NULL);
	/* Tết is Tuesday 17/2: the last day of the old year (Monday 16/2, 29 Chạp) and mùng
	 * 1-4 (17-20/2), all weekdays, so no compensation; Saturday 21/2 is a plain weekend
	 * and Monday 23/2 a working day. 13/2 (Friday) is worked. */
	expect_kind(&cal, 2026, 2, 13, CALENDAR_WORKING, NULL);
	for (int d = 16; d <= 20; d++)
		expect_kind(&cal, 2026, 2, d, CALENDAR_HOLIDAY, "Tết Nguyên đán");
	expect_kind(&cal, 2026, 2, 21, CALENDAR_WEEKEND, NULL);
	expect_kind(&cal, 2026, 2, 23, CALENDAR_WORKING, NULL);
	/* Giỗ Tổ is Sunday 26/4 (10/3 lunar): compensated on Monday 27/4, as the government
	 * announced. 30/4 (Thursday) and 1/5 (Friday) are holidays. */
	expect_kind(&cal, 2026, 4, 26, CALENDAR_HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	expect_kind(&cal, 2026, 4, 27, CALENDAR_HOLIDAY, "Nghỉ bù Giỗ Tổ Hùng Vương");
	expect_kind(&cal, 2026, 4, 28, CALENDAR_WORKING, NULL);
	expect_kind(&cal, 2026, 4, 30, CALENDAR_HOLIDAY, "Ngày Chiến thắng 30/4");
	expect_kind(&cal, 2026, 5, 1, CALENDAR_HOLIDAY, "Ngày Quốc tế Lao động 1/5");
	/* 2/9 is a Wednesday: the adjacent day is Tuesday 1/9 (as announced); Monday 31/8 is
	 * a working day in the proposal (the government swapped it for Saturday 22/8). */
	expect_kind(&cal, 2026, 9, 1, CALENDAR_HOLIDAY, "Quốc khánh (ngày liền kề)");
	expect_kind(&cal, 2026, 9, 2, CALENDAR_HOLIDAY, "Quốc khánh 2/9");
	expect_kind(&cal, 2026, 8, 31, CALENDAR_WORKING, NULL);
	expect_kind(&cal, 2026, 9, 3, CALENDAR_WORKING, NULL);
	/* An ordinary weekday and weekend. */
	expect_kind(&cal, 2026, 3, 10, CALENDAR_WORKING, NULL);
	expect_kind(&cal, 2026, 3, 8, CALENDAR_WEEKEND, NULL);
	/* A date that does not exist. */
	expect_kind(&cal, 2026, 2, 30, CALENDAR_HOLIDAY, NULL);
	calendar_release(&cal);
}

static void computed_2027_and_2023(void **state)
{
	(void)state;
	struct calendar cal;
	calendar_init(&cal, NULL);
	/* Tết 2027 is Saturday 6/2 (lunar-dates.tsv). Five days: Friday 5/2 (the last day of
	 * Bính Ngọ) and 6-9/2. Saturday 6/2 and Sunday 7/2 are rest days, so two
	 * compensatory days follow on the next working days: Wednesday 10/2, Thursday 11/2.
	 * Friday 12/2 is worked. */
	expect_kind(&cal, 2027, 2, 4, CALENDAR_WORKING, NULL);
	expect_kind(&cal, 2027, 2, 5, CALENDAR_HOLIDAY, "Tết Nguyên đán");
	expect_kind(&cal, 2027, 2, 6, CALENDAR_HOLIDAY, "Tết Nguyên đán");
	expect_kind(&cal, 2027, 2, 7, CALENDAR_HOLIDAY, "Tết Nguyên đán");
	expect_kind(&cal, 2027, 2, 9, CALENDAR_HOLIDAY, "Tết Nguyên đán");
	expect_kind(&cal, 2027, 2, 10, CALENDAR_HOLIDAY, "Nghỉ bù Tết Nguyên đán");
	expect_kind(&cal, 2027, 2, 11, CALENDAR_HOLIDAY, "Nghỉ bù Tết Nguyên đán");
	expect_kind(&cal, 2027, 2, 12, CALENDAR_WORKING, NULL);
	/* Giỗ Tổ 2027 is Friday 16/4. 30/4 is a Friday; 1/5 a Saturday, compensated on the
	 * next working day that is not a holiday: Monday 3/5. */
	expect_kind(&cal, 2027, 4, 16, CALENDAR_HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	expect_kind(&cal, 2027, 5, 1, CALENDAR_HOLIDAY, "Ngày Quốc tế Lao động 1/5");
	expect_kind(&cal, 2027, 5, 3, CALENDAR_HOLIDAY, "Nghỉ bù Ngày Quốc tế Lao động");
	expect_kind(&cal, 2027, 5, 4, CALENDAR_WORKING, NULL);
	/* 2/9/2027 is a Thursday: the adjacent day proposed is Friday 3/9. */
	expect_kind(&cal, 2027, 9, 2, CALENDAR_HOLIDAY, "Quốc khánh 2/9");
	expect_kind(&cal, 2027, 9, 3, CALENDAR_HOLIDAY, "Quốc khánh (ngày liền kề)");
	expect_kind(&cal, 2027, 9, 1, CALENDAR_WORKING, NULL);
	/* 2023: Giỗ Tổ Saturday 29/4, 30/4 Sunday, 1/5 Monday. Compensation in date order:
	 * for 29/4 the first working non-holiday day is Tuesday 2/5, for 30/4 Wednesday 3/5,
	 * which is the 29/4-3/5 break the government announced. */
	expect_kind(&cal, 2023, 4, 29, CALENDAR_HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	expect_kind(&cal, 2023, 5, 1, CALENDAR_HOLIDAY, "Ngày Quốc tế Lao động 1/5");
	expect_kind(&cal, 2023, 5, 2, CALENDAR_HOLIDAY, "Nghỉ bù Giỗ Tổ Hùng Vương");
	expect_kind(&cal, 2023, 5, 3, CALENDAR_HOLIDAY, "Nghỉ bù Ngày Chiến thắng");
	expect_kind(&cal, 2023, 5, 4, CALENDAR_WORKING, NULL);
	calendar_release(&cal);
}

static void official_schedule_overrides(void **state)
{
	(void)state;
	struct calendar cal;
	official_2026(&cal);
	assert_true(calendar_year_has_schedule(&cal, 2026));
	assert_false(calendar_year_has_schedule(&cal, 2027));
	/* The swap of the New Year: Friday 2/1 off, Saturday 10/1 worked. */
	expect_kind(&cal, 2026, 1, 2, CALENDAR_HOLIDAY, "Nghỉ hoán đổi (làm bù Thứ Bảy 10/01/2026)");
	expect_kind(&cal, 2026, 1, 10, CALENDAR_SWAPPED_WORKDAY, "Làm bù cho Thứ Sáu 02/01/2026");
	assert_true(calendar_kind_is_working(CALENDAR_SWAPPED_WORKDAY));
	/* Tết: the whole 14-22/2 break, weekends included, is named as the file names it. */
	expect_kind(&cal, 2026, 2, 14, CALENDAR_HOLIDAY,
		    "Tết Nguyên đán Bính Ngọ (trùng Thứ Bảy/Chủ nhật)");
	expect_kind(&cal, 2026, 2, 23, CALENDAR_WORKING, NULL);
	/* Quốc khánh: Saturday 22/8 worked, Monday 31/8 off. */
	expect_kind(&cal, 2026, 8, 22, CALENDAR_SWAPPED_WORKDAY, "Làm bù cho Thứ Hai 31/08/2026");
	expect_kind(&cal, 2026, 8, 31, CALENDAR_HOLIDAY, "Nghỉ hoán đổi (làm bù Thứ Bảy 22/08/2026)");
	/* 2027 has no schedule here: computed (Tết on Monday 8/2/2027). */
	expect_kind(&cal, 2027, 2, 8, CALENDAR_HOLIDAY, "Tết Nguyên đán");
	calendar_release(&cal);

	/* A year with a schedule gets nothing computed: a (made-up) 2027 schedule with only
	 * 1/1 leaves the Tết days of 2027 as working days and 6/2 a plain weekend. */
	calendar_init(&cal, NULL);
	assert_int_equal(calendar_add_entry(&cal, 2027, 1, 1, CALENDAR_ENTRY_DAY_OFF, "Tết Dương lịch"),
			 STATUS_OK);
	assert_true(calendar_year_has_schedule(&cal, 2027));
	expect_kind(&cal, 2027, 2, 8, CALENDAR_WORKING, NULL);
	expect_kind(&cal, 2027, 2, 6, CALENDAR_WEEKEND, NULL);
	/* Only working-day entries do not make a schedule: holidays stay computed. */
	assert_int_equal(calendar_add_entry(&cal, 2028, 1, 8, CALENDAR_ENTRY_WORKDAY, "Làm bù"),
			 STATUS_OK);
	assert_false(calendar_year_has_schedule(&cal, 2028));
	expect_kind(&cal, 2028, 1, 8, CALENDAR_SWAPPED_WORKDAY, "Làm bù"); /* a Saturday */
	expect_kind(&cal, 2028, 1, 1, CALENDAR_HOLIDAY, "Tết Dương lịch");
	/* Entries: one a date, a real date, a sensible name. */
	assert_int_equal(calendar_add_entry(&cal, 2027, 1, 1, CALENDAR_ENTRY_DAY_OFF, "x"),
			 STATUS_CONFLICT);
	assert_int_equal(calendar_add_entry(&cal, 2027, 2, 29, CALENDAR_ENTRY_DAY_OFF, "x"),
			 STATUS_INVALID);
	assert_int_equal(calendar_add_entry(&cal, 2027, 3, 1, CALENDAR_ENTRY_DAY_OFF, ""),
			 STATUS_INVALID);
	assert_int_equal(calendar_add_entry(&cal, 2027, 3, 1, CALENDAR_ENTRY_DAY_OFF, "\xC3\x28"),
			 STATUS_INVALID);
	calendar_release(&cal);
}

static void tsv_errors(void **state)
{
	(void)state;
	struct calendar cal;
	char err[300];
	calendar_init(&cal, NULL);
	static const struct {
		const char *text;
		enum status st;
		const char *message;
	} cases[] = {
		{ "", STATUS_INVALID, "tệp rỗng: cần dòng tiêu đề date<TAB>name<TAB>source" },
		{ "2026-01-01\tTết\n", STATUS_INVALID,
		  "dòng 1: dòng đầu phải là tiêu đề date<TAB>name<TAB>source" },
		{ "date\tname\tsource\n2026-01-01\tTết\tx\n2026-02-30\tSai\tx\n", STATUS_INVALID,
		  "dòng 3: ngày '2026-02-30' không hợp lệ (cần dạng YYYY-MM-DD)" },
		{ "date\tname\tsource\n2026-01-01 Tết\n", STATUS_INVALID,
		  "dòng 2: thiếu cột tên (các cột date, name, source cách nhau bằng dấu TAB)" },
		{ "date\tname\tsource\n\n2026-01-01\t \tx\n", STATUS_INVALID,
		  "dòng 3: tên ngày 2026-01-01 bị trống" },
		{ "date\tname\tsource\n2026-01-01\tA\tx\ty\n", STATUS_INVALID,
		  "dòng 2: quá nhiều cột (chỉ có date, name, source)" },
		{ "date\tname\tsource\n2026-01-01\tA\n2026-01-01\tB\n", STATUS_CONFLICT,
		  "dòng 3: ngày 2026-01-01 có hai lần trong tệp" },
		{ "date\tname\n2026-01-01\t\xC3\x28\n", STATUS_INVALID,
		  "dòng 2: không phải văn bản UTF-8 hợp lệ" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(calendar_parse_tsv(&cal, cases[i].text, strlen(cases[i].text),
						    CALENDAR_ENTRY_DAY_OFF, err, sizeof err),
				 cases[i].st);
		assert_string_equal(err, cases[i].message);
		assert_int_equal(cal.count, 0); /* all or nothing */
	}
	/* CRLF, a byte order mark, comments and blank lines are fine; two columns suffice. */
	static const char ok[] = "\xEF\xBB\xBF" "date\tname\r\n# lịch thử\r\n\r\n2026-01-01\tTết Dương lịch\r\n";
	assert_int_equal(calendar_parse_tsv(&cal, ok, strlen(ok), CALENDAR_ENTRY_DAY_OFF, err,
					    sizeof err),
			 STATUS_OK);
	assert_int_equal(cal.count, 1);
	expect_kind(&cal, 2026, 1, 1, CALENDAR_HOLIDAY, "Tết Dương lịch");
	/* A date the calendar holds already, from another file. */
	static const char again[] = "date\tname\tsource\n2026-01-10\tLàm bù\tx\n2026-01-01\tLàm\tx\n";
	assert_int_equal(calendar_parse_tsv(&cal, again, strlen(again), CALENDAR_ENTRY_WORKDAY, err,
					    sizeof err),
			 STATUS_CONFLICT);
	assert_string_equal(err, "dòng 3: ngày 2026-01-01 đã có trong lịch (Tết Dương lịch)");
	assert_int_equal(cal.count, 1);
	calendar_release(&cal);
}

/* The TSV's third column is kept as the entry's source; a line without one has none. */
static void tsv_sources(void **state)
{
	(void)state;
	struct calendar cal;
	char err[300];
	official_2026(&cal);
	assert_string_equal(cal.entries[0].source, "12729/VPCP-KGVX"); /* 2026-01-01 */
	calendar_release(&cal);
	calendar_init(&cal, NULL);
	static const char two_columns[] = "date\tname\tsource\n2026-01-01\tTết Dương lịch\n"
					  "2026-04-30\tNgày Chiến thắng\t  \n"
					  "2026-05-01\tQuốc tế Lao động\t Thông báo 1 \n";
	assert_int_equal(calendar_parse_tsv(&cal, two_columns, strlen(two_columns),
					    CALENDAR_ENTRY_DAY_OFF, err, sizeof err),
			 STATUS_OK);
	assert_null(cal.entries[0].source);
	assert_null(cal.entries[1].source); /* spaces only: none */
	assert_string_equal(cal.entries[2].source, "Thông báo 1");
	static const char control[] = "date\tname\tsource\n2026-09-02\tQuốc khánh\tx\x01y\n";
	assert_int_equal(calendar_parse_tsv(&cal, control, strlen(control), CALENDAR_ENTRY_DAY_OFF,
					    err, sizeof err),
			 STATUS_INVALID);
	assert_string_equal(err, "dòng 2: nguồn của ngày 2026-09-02 có ký tự điều khiển");
	char longer[CALENDAR_SOURCE_MAX + 2];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(calendar_add_entry_source(&cal, 2026, 9, 2, CALENDAR_ENTRY_DAY_OFF, "Quốc khánh",
						   longer),
			 STATUS_INVALID);
	longer[CALENDAR_SOURCE_MAX] = '\0';
	assert_int_equal(calendar_add_entry_source(&cal, 2026, 9, 2, CALENDAR_ENTRY_DAY_OFF, "Quốc khánh",
						   longer),
			 STATUS_OK);
	assert_int_equal(cal.count, 4);
	calendar_release(&cal);
}

/* Tết dates from lunar-dates.tsv (shared/domain); the check that keeps a year whose
 * schedule is only the statutory days (holidays-vn.tsv's 2027) from becoming official. */
static void tet_in_schedule(void **state)
{
	(void)state;
	int m, d;
	assert_true(calendar_lunar_new_year(2026, &m, &d));
	assert_int_equal(m * 100 + d, 217);
	assert_true(calendar_lunar_new_year(2027, &m, &d));
	assert_int_equal(m * 100 + d, 206);
	assert_true(calendar_lunar_new_year(2030, &m, &d)); /* 3/2 in China, 2/2 in Vietnam */
	assert_int_equal(m * 100 + d, 202);
	assert_false(calendar_lunar_new_year(2200, &m, &d));

	struct calendar cal;
	official_2026(&cal);
	assert_true(calendar_year_has_tet(&cal, 2026));
	assert_false(calendar_year_has_tet(&cal, 2025)); /* no entries at all */
	calendar_release(&cal);

	/* 2027 as holidays-vn.tsv has it: the statutory days, no Tết. */
	calendar_init(&cal, NULL);
	static const int statutory_2027[][2] = { { 1, 1 }, { 4, 16 }, { 4, 30 }, { 5, 1 }, { 9, 2 } };
	for (size_t i = 0; i < sizeof statutory_2027 / sizeof statutory_2027[0]; i++)
		assert_int_equal(calendar_add_entry(&cal, 2027, statutory_2027[i][0],
						    statutory_2027[i][1], CALENDAR_ENTRY_DAY_OFF, "Lễ"),
				 STATUS_OK);
	assert_false(calendar_year_has_tet(&cal, 2027));
	/* A worked day near Tết is not a day off; 8 days before mùng 1 (Friday 29/1) is
	 * outside the window, 7 days after (Saturday 13/2) inside. */
	assert_int_equal(calendar_add_entry(&cal, 2027, 2, 6, CALENDAR_ENTRY_WORKDAY, "Làm"),
			 STATUS_OK);
	assert_int_equal(calendar_add_entry(&cal, 2027, 1, 29, CALENDAR_ENTRY_DAY_OFF, "Nghỉ"),
			 STATUS_OK);
	assert_false(calendar_year_has_tet(&cal, 2027));
	assert_int_equal(calendar_add_entry(&cal, 2027, 2, 13, CALENDAR_ENTRY_DAY_OFF, "Tết"),
			 STATUS_OK);
	assert_true(calendar_year_has_tet(&cal, 2027));
	calendar_release(&cal);
}

static void hours_as_text(void **state)
{
	(void)state;
	struct calendar_settings s, before;
	calendar_settings_default(&s);
	char out[CALENDAR_HOURS_TEXT_MAX];
	calendar_format_hours(&s, out, sizeof out);
	assert_string_equal(out, "07:30-11:30,13:00-17:00");
	assert_true(calendar_parse_hours("7:00-11:00, 13:30 - 17:30", &s));
	assert_int_equal(s.morning_start, 420);
	assert_int_equal(s.morning_end, 660);
	assert_int_equal(s.afternoon_start, 810);
	assert_int_equal(s.afternoon_end, 1050);
	assert_int_equal(s.working_weekdays, 0x3e); /* untouched */
	assert_int_equal(s.same_day_cutoff, 900);
	calendar_format_hours(&s, out, sizeof out);
	assert_string_equal(out, "07:00-11:00,13:30-17:30");
	/* The morning may end when the afternoon starts; 24:00 is the latest end. */
	assert_true(calendar_parse_hours("00:00-12:00,12:00-24:00", &s));
	assert_int_equal(s.afternoon_end, 1440);
	assert_true(calendar_settings_valid(&s));
	before = s;
	static const char *const bad[] = {
		"", "07:30-11:30", "07:30-11:30,13:00-17:00,18:00-19:00", "11:30-07:30,13:00-17:00",
		"07:30-07:30,13:00-17:00", "07:30-12:00,11:00-17:00", "07:30-11:30,13:00-24:30",
		"25:00-26:00,13:00-17:00", "07:60-11:30,13:00-17:00", "7h30-11h30,13h-17h",
		"07:30-11:30,13:00-17:00x", "07:30-11:30;13:00-17:00", "-07:30-11:30,13:00-17:00",
		"123:00-11:30,13:00-17:00", "07:3-11:30,13:00-17:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(calendar_parse_hours(bad[i], &s));
		assert_memory_equal(&s, &before, sizeof s); /* left alone */
	}
	assert_false(calendar_parse_hours(NULL, &s));
}

static void weekdays_as_text(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		unsigned mask;
		const char *canonical;
	} good[] = {
		{ "mon-fri", 0x3e, "mon-fri" },
		{ "MON-Fri", 0x3e, "mon-fri" },
		{ "mon-fri,sat", 0x7e, "mon-sat" },
		{ "mon, tue,wed , thu,fri", 0x3e, "mon-fri" },
		{ "sat-sun", 0x41, "sat-sun" },
		{ "mon,wed,fri", 0x2a, "mon,wed,fri" },
		{ "sun", 0x01, "sun" },
		{ "mon,sun", 0x03, "mon,sun" },
		{ "mon-sun", 0x7f, "mon-sun" },
		{ "mon-tue,thu-fri", 0x36, "mon-tue,thu-fri" },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		unsigned mask = 0;
		char out[CALENDAR_HOURS_TEXT_MAX];
		assert_true(calendar_parse_weekdays(good[i].text, &mask));
		assert_int_equal(mask, good[i].mask);
		calendar_format_weekdays(mask, out, sizeof out);
		assert_string_equal(out, good[i].canonical);
	}
	static const char *const bad[] = { "", "fri-mon", "sun-mon", "mon-", "monday", "mon,,tue",
					   "mon fri", "t2-t6", "mon-fri,", NULL };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		unsigned mask = 0x55;
		assert_false(calendar_parse_weekdays(bad[i], &mask));
		assert_int_equal(mask, 0x55);
	}
	char out[8];
	calendar_format_weekdays(0, out, sizeof out);
	assert_string_equal(out, "");
	calendar_format_weekdays(0x2a, out, 8); /* "mon,wed,fri" does not fit: what fits */
	assert_string_equal(out, "mon,wed");
}

/* One appointment case: a local receipt time, a rule, the expected local appointment. */
enum rule { DAYS, HOURS, SAME_DAY };

struct due_case {
	int y, mo, d, h, mi;
	enum rule rule;
	int n;
	int ey, emo, ed, eh, emi;
};

static void check_cases(const struct calendar *cal, const struct due_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct due_case *c = &cases[i];
		int64_t received = at(c->y, c->mo, c->d, c->h, c->mi), due = 0;
		enum status st = c->rule == DAYS    ? due_working_days(cal, received, c->n, &due)
				 : c->rule == HOURS ? due_working_hours(cal, received, c->n, &due)
						    : due_same_day(cal, received, &due);
		char got[32], want[32];
		clock_format_input(due, got, sizeof got);
		snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d", c->ey, c->emo, c->ed, c->eh,
			 c->emi);
		if (st != STATUS_OK || strcmp(got, want) != 0)
			fail_msg("case %zu: received %04d-%02d-%02d %02d:%02d: got %s, want %s", i,
				 c->y, c->mo, c->d, c->h, c->mi, got, want);
	}
}

static void working_days(void **state)
{
	(void)state;
	struct calendar cal;
	official_2026(&cal);
	static const struct due_case cases[] = {
		/* Thursday 5/3, 3 days: day 1 Friday 6/3, day 2 Monday 9/3, day 3 Tuesday 10/3;
		 * due at the end of that day. */
		{ 2026, 3, 5, 10, 0, DAYS, 3, 2026, 3, 10, 17, 0 },
		/* After hours the same Thursday: counting still starts the next day (Friday). */
		{ 2026, 3, 5, 18, 30, DAYS, 1, 2026, 3, 6, 17, 0 },
		/* After 15:00 changes nothing for working days either. */
		{ 2026, 3, 5, 16, 0, DAYS, 1, 2026, 3, 6, 17, 0 },
		/* Online on Saturday 7/3: day 1 is Monday 9/3. */
		{ 2026, 3, 7, 9, 0, DAYS, 1, 2026, 3, 9, 17, 0 },
		/* Friday 13/2, before Tết: 14-22/2 are off, day 1 Monday 23/2, day 2 Tuesday 24/2. */
		{ 2026, 2, 13, 10, 0, DAYS, 2, 2026, 2, 24, 17, 0 },
		/* Friday 24/4, 2 days: Monday 27/4 is the compensatory day for Giỗ Tổ, so day 1 is
		 * Tuesday 28/4 and day 2 Wednesday 29/4. */
		{ 2026, 4, 24, 10, 0, DAYS, 2, 2026, 4, 29, 17, 0 },
		/* Wednesday 29/4, 2 days: 30/4 and 1/5 off, 2-3/5 weekend; day 1 Monday 4/5,
		 * day 2 Tuesday 5/5. */
		{ 2026, 4, 29, 14, 0, DAYS, 2, 2026, 5, 5, 17, 0 },
		/* Friday 9/1, 1 day: Saturday 10/1 is a swapped working day. */
		{ 2026, 1, 9, 10, 0, DAYS, 1, 2026, 1, 10, 17, 0 },
		/* Friday 21/8, 1 day: Saturday 22/8 is worked (swap for 31/8). */
		{ 2026, 8, 21, 16, 0, DAYS, 1, 2026, 8, 22, 17, 0 },
		/* Friday 28/8, 2 days: 29/8-2/9 off (31/8 swapped, 1/9 and 2/9 Quốc khánh); day 1
		 * Thursday 3/9, day 2 Friday 4/9. */
		{ 2026, 8, 28, 9, 0, DAYS, 2, 2026, 9, 4, 17, 0 },
		/* Wednesday 31/12/2025 (no 2025 schedule loaded: computed, 1/1/2026 is in the
		 * official one), 2 days: Thursday 1/1 and Friday 2/1 off, weekend, then Monday
		 * 5/1 and Tuesday 6/1. */
		{ 2025, 12, 31, 9, 0, DAYS, 2, 2026, 1, 6, 17, 0 },
	};
	check_cases(&cal, cases, sizeof cases / sizeof cases[0]);
	int64_t out;
	assert_int_equal(due_working_days(&cal, at(2026, 3, 5, 10, 0), 0, &out), STATUS_INVALID);
	assert_int_equal(due_working_days(&cal, at(2026, 3, 5, 10, 0), DUE_MAX_WORKING_DAYS + 1, &out),
			 STATUS_INVALID);
	calendar_release(&cal);

	/* Tết 2027, computed (no schedule for 2027): Thursday 4/2 received, 3 days. Off: 5/2,
	 * 6-7/2 weekend, 8-9/2 Tết, 10-11/2 compensation; day 1 Friday 12/2, day 2 Monday
	 * 15/2, day 3 Tuesday 16/2. */
	calendar_init(&cal, NULL);
	static const struct due_case tet_2027[] = {
		{ 2027, 2, 4, 9, 0, DAYS, 3, 2027, 2, 16, 17, 0 },
	};
	check_cases(&cal, tet_2027, 1);
	calendar_release(&cal);
}

static void same_day_rule(void **state)
{
	(void)state;
	struct calendar cal;
	official_2026(&cal);
	static const struct due_case cases[] = {
		/* Monday 9/3 before 15:00: the same day. */
		{ 2026, 3, 9, 14, 59, SAME_DAY, 0, 2026, 3, 9, 17, 0 },
		/* 15:00 sharp is not "after 15:00". */
		{ 2026, 3, 9, 15, 0, SAME_DAY, 0, 2026, 3, 9, 17, 0 },
		/* 15:01: the next working day, Tuesday 10/3. */
		{ 2026, 3, 9, 15, 1, SAME_DAY, 0, 2026, 3, 10, 17, 0 },
		/* Friday 6/3 at 15:30: the next working day is Monday 9/3. */
		{ 2026, 3, 6, 15, 30, SAME_DAY, 0, 2026, 3, 9, 17, 0 },
		/* Saturday 7/3 (a day off), even in the morning: Monday 9/3. */
		{ 2026, 3, 7, 9, 0, SAME_DAY, 0, 2026, 3, 9, 17, 0 },
		/* Before opening on a working day: the same day. */
		{ 2026, 3, 10, 6, 45, SAME_DAY, 0, 2026, 3, 10, 17, 0 },
		/* Friday 13/2 in the morning: that day, before the Tết break. */
		{ 2026, 2, 13, 10, 0, SAME_DAY, 0, 2026, 2, 13, 17, 0 },
		/* Friday 13/2 at 15:30: after the break, Monday 23/2. */
		{ 2026, 2, 13, 15, 30, SAME_DAY, 0, 2026, 2, 23, 17, 0 },
		/* Friday 9/1 at 16:00: Saturday 10/1 is worked. */
		{ 2026, 1, 9, 16, 0, SAME_DAY, 0, 2026, 1, 10, 17, 0 },
		/* On the swapped Saturday 22/8 itself, before 15:00: that day. */
		{ 2026, 8, 22, 10, 0, SAME_DAY, 0, 2026, 8, 22, 17, 0 },
	};
	check_cases(&cal, cases, sizeof cases / sizeof cases[0]);
	calendar_release(&cal);
}

static void working_hours(void **state)
{
	(void)state;
	struct calendar cal;
	official_2026(&cal);
	static const struct due_case cases[] = {
		/* Monday 9/3 09:00 + 8 h: 2.5 h to 11:30, 4 h 13:00-17:00, 1.5 h on Tuesday from
		 * 07:30: Tuesday 09:00. */
		{ 2026, 3, 9, 9, 0, HOURS, 8, 2026, 3, 10, 9, 0 },
		/* 10:30 + 2 h: 1 h to 11:30, lunch, 1 h from 13:00: 14:00. */
		{ 2026, 3, 9, 10, 30, HOURS, 2, 2026, 3, 9, 14, 0 },
		/* 10:30 + 1 h ends with the morning: 11:30, not 13:00. */
		{ 2026, 3, 9, 10, 30, HOURS, 1, 2026, 3, 9, 11, 30 },
		/* Received at lunch (12:00) + 1 h: 13:00-14:00. */
		{ 2026, 3, 9, 12, 0, HOURS, 1, 2026, 3, 9, 14, 0 },
		/* Received in the evening (19:00) + 1 h: Tuesday 07:30-08:30. */
		{ 2026, 3, 9, 19, 0, HOURS, 1, 2026, 3, 10, 8, 30 },
		/* Friday 6/3 16:00 + 4 h: 1 h on Friday, the weekend, 3 h on Monday from 07:30:
		 * Monday 9/3 10:30. */
		{ 2026, 3, 6, 16, 0, HOURS, 4, 2026, 3, 9, 10, 30 },
		/* Friday 13/2 16:30 + 2 h: 0.5 h on Friday, the Tết break 14-22/2, 1.5 h on
		 * Monday 23/2 from 07:30: 09:00. */
		{ 2026, 2, 13, 16, 30, HOURS, 2, 2026, 2, 23, 9, 0 },
		/* Monday 9/3 07:30 + 24 h: three full days, Wednesday 11/3 17:00. */
		{ 2026, 3, 9, 7, 30, HOURS, 24, 2026, 3, 11, 17, 0 },
		/* Friday 9/1 16:00 + 2 h: 1 h on Friday, 1 h on the worked Saturday 10/1: 08:30. */
		{ 2026, 1, 9, 16, 0, HOURS, 2, 2026, 1, 10, 8, 30 },
	};
	check_cases(&cal, cases, sizeof cases / sizeof cases[0]);
	int64_t out;
	assert_int_equal(due_working_hours(&cal, at(2026, 3, 9, 9, 0), 0, &out), STATUS_INVALID);
	assert_int_equal(due_add_working_time(&cal, at(2026, 3, 9, 9, 0), -1, &out), STATUS_INVALID);
	calendar_release(&cal);
}

static void pauses_and_elapsed_time(void **state)
{
	(void)state;
	struct calendar cal;
	official_2026(&cal);
	int64_t due, out;

	/* Received Monday 9/3 08:00, 5 working days: Tuesday 10/3 to Monday 16/3, due Monday
	 * 16/3 17:00. */
	assert_int_equal(due_working_days(&cal, at(2026, 3, 9, 8, 0), 5, &due), STATUS_OK);
	assert_int_equal(due, at(2026, 3, 16, 17, 0));
	/* Supplement asked Wednesday 11/3 10:00. Left: Wednesday 1.5 + 4 = 5.5 h, Thursday,
	 * Friday and Monday 8 h each: 29.5 h. */
	assert_int_equal(due_working_time_between(&cal, at(2026, 3, 11, 10, 0), due), 29 * 3600 + 1800);
	/* Complete supplement Tuesday 17/3 14:00: 3 h on Tuesday (26.5 h left), Wednesday,
	 * Thursday, Friday 8 h each (2.5 h left), Monday 23/3 07:30-10:00. */
	assert_int_equal(due_after_pause(&cal, due, at(2026, 3, 11, 10, 0), at(2026, 3, 17, 14, 0), &out),
			 STATUS_OK);
	assert_int_equal(out, at(2026, 3, 23, 10, 0));

	/* A pause over Tết: due Friday 13/2 17:00, paused 15:00-16:00 that Friday. Left at the
	 * pause: 2 h; from 16:00, 1 h on Friday, then Monday 23/2 07:30-08:30. */
	assert_int_equal(due_after_pause(&cal, at(2026, 2, 13, 17, 0), at(2026, 2, 13, 15, 0),
					 at(2026, 2, 13, 16, 0), &out),
			 STATUS_OK);
	assert_int_equal(out, at(2026, 2, 23, 8, 30));

	/* A pause entirely in non-working time (Saturday 10:00 to Sunday 20:00) before a due
	 * time of Monday 9/3 17:00 leaves it as it was: 8 h left, 8 h from Monday 07:30. */
	assert_int_equal(due_after_pause(&cal, at(2026, 3, 9, 17, 0), at(2026, 3, 7, 10, 0),
					 at(2026, 3, 8, 20, 0), &out),
			 STATUS_OK);
	assert_int_equal(out, at(2026, 3, 9, 17, 0));

	/* A pause that starts after the due time does not give more time. */
	assert_int_equal(due_after_pause(&cal, due, at(2026, 3, 17, 9, 0), at(2026, 3, 18, 9, 0), &out),
			 STATUS_OK);
	assert_int_equal(out, due);
	/* The end before the start. */
	assert_int_equal(due_after_pause(&cal, due, at(2026, 3, 12, 9, 0), at(2026, 3, 11, 9, 0), &out),
			 STATUS_INVALID);

	/* Elapsed working time. Monday 08:00-17:00: 3.5 h + 4 h. */
	assert_int_equal(due_working_time_between(&cal, at(2026, 3, 9, 8, 0), at(2026, 3, 9, 17, 0)),
			 7 * 3600 + 1800);
	/* Friday 16:00 to Monday 09:00: 1 h + 1.5 h; backwards, negative. */
	assert_int_equal(due_working_time_between(&cal, at(2026, 3, 6, 16, 0), at(2026, 3, 9, 9, 0)),
			 9000);
	assert_int_equal(due_working_time_between(&cal, at(2026, 3, 9, 9, 0), at(2026, 3, 6, 16, 0)),
			 -9000);
	/* Late by 1.5 h: due Monday 16/3 17:00, done Tuesday 17/3 09:00. */
	assert_int_equal(due_working_time_between(&cal, due, at(2026, 3, 17, 9, 0)), 5400);
	/* Over the whole Tết break (Friday 13/2 17:00 to Monday 23/2 07:30): none. */
	assert_int_equal(due_working_time_between(&cal, at(2026, 2, 13, 17, 0), at(2026, 2, 23, 7, 30)),
			 0);
	calendar_release(&cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(settings),
		cmocka_unit_test(computed_2026),
		cmocka_unit_test(computed_2027_and_2023),
		cmocka_unit_test(official_schedule_overrides),
		cmocka_unit_test(tsv_errors),
		cmocka_unit_test(tsv_sources),
		cmocka_unit_test(tet_in_schedule),
		cmocka_unit_test(hours_as_text),
		cmocka_unit_test(weekdays_as_text),
		cmocka_unit_test(working_days),
		cmocka_unit_test(same_day_rule),
		cmocka_unit_test(working_hours),
		cmocka_unit_test(pauses_and_elapsed_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
