/* calendar.c: working days: weekends, computed public holidays, official schedules, TSV import
 *
 * Computed holidays (the proposal for a year the admin has not imported) follow the Labour
 * Code 2019, Art. 112(1), as the domain notes give it (11 days):
 *   - Tết Dương lịch 1/1, 1 day;
 *   - Tết Âm lịch (Tết Nguyên đán), 5 days. The law leaves their placement to the Prime
 *     Minister (Art. 112(3)). The proposal takes the last day of the old lunar year and
 *     mùng 1..4, as the 2026 schedule did (16/02-20/02 around Tết on 17/02) and as the
 *     2024 one did before its compensation (Tết on Saturday 10/02); 2025 took two days
 *     before Tết instead;
 *   - Giỗ Tổ Hùng Vương, 10 of the regular third lunar month, 1 day;
 *   - Ngày Chiến thắng 30/4 and Quốc tế Lao động 1/5, 1 day each;
 *   - Quốc khánh 2/9 and one adjacent day, before or after, also fixed by the Prime
 *     Minister: see adjacent_day(). [UNCONFIRMED, from memory] the adjacent day came with
 *     the 2019 Code, in force 1/1/2021; it is not proposed before 2021.
 * Weekend compensation (Art. 111(3)): a holiday that falls on a weekly rest day gives a day
 * off on the next working day that is not a holiday itself, holidays taken in date order.
 * The domain notes show it applied to civil servants (Tết 2024: two Tết days on Sat/Sun,
 * two compensatory days; Giỗ Tổ on Sunday 26/4/2026, compensatory Monday 27/4). Where the
 * government placed a compensatory day before Tết (8/2/2024) the proposal differs, and the
 * imported schedule is what counts. Swaps (a weekday off repaid by a Saturday worked)
 * exist only in imported schedules.
 * Not included: 24/11 "Ngày Văn hóa Việt Nam". As of the domain notes (Feb 2026) it is
 * policy, not law: Art. 112(1) has not been amended and no effective date is known. When
 * it is, add a fixed_holidays row with its first year; until then an imported schedule can
 * carry it. */
#include "worktime/calendar.h"

#include "base/utf8.h"
#include "worktime/clock.h"
#include "worktime/lunar.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void calendar_settings_default(struct calendar_settings *s)
{
	*s = (struct calendar_settings){
		.working_weekdays = 0x3e, /* Monday..Friday */
		.morning_start = 7 * 60 + 30,
		.morning_end = 11 * 60 + 30,
		.afternoon_start = 13 * 60,
		.afternoon_end = 17 * 60,
		.same_day_cutoff = 15 * 60,
	};
}

bool calendar_settings_valid(const struct calendar_settings *s)
{
	return s != NULL && (s->working_weekdays & 0x7f) != 0 && (s->working_weekdays & ~0x7fu) == 0 &&
	       s->morning_start >= 0 && s->morning_start <= s->morning_end &&
	       s->morning_end <= s->afternoon_start && s->afternoon_start <= s->afternoon_end &&
	       s->afternoon_end <= 1440 &&
	       s->morning_end - s->morning_start + s->afternoon_end - s->afternoon_start > 0 &&
	       s->same_day_cutoff >= 0 && s->same_day_cutoff <= 1440;
}

void calendar_init(struct calendar *cal, const struct calendar_settings *s)
{
	memset(cal, 0, sizeof *cal);
	if (s != NULL)
		cal->settings = *s;
	else
		calendar_settings_default(&cal->settings);
}

void calendar_release(struct calendar *cal)
{
	for (size_t i = 0; i < cal->count; i++) {
		free(cal->entries[i].name);
		free(cal->entries[i].source);
	}
	free(cal->entries);
	cal->entries = NULL;
	cal->count = cal->capacity = 0;
}

static int date_key(int year, int month, int day)
{
	return year * 10000 + month * 100 + day;
}

/* Index of the first entry on or after the date. */
static size_t entry_lower_bound(const struct calendar *cal, int key)
{
	size_t lo = 0, hi = cal->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct calendar_entry *e = &cal->entries[mid];
		if (date_key(e->year, e->month, e->day) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool name_valid(const char *name)
{
	if (name == NULL)
		return false;
	size_t n = strlen(name);
	return n > 0 && n <= CALENDAR_NAME_MAX && utf8_valid(name, n) && !utf8_has_controls(name, n);
}

/* A source is optional: NULL and "" mean none. */
static bool source_valid(const char *source)
{
	if (source == NULL)
		return true;
	size_t n = strlen(source);
	return n <= CALENDAR_SOURCE_MAX && utf8_valid(source, n) && !utf8_has_controls(source, n);
}

enum status calendar_add_entry(struct calendar *cal, int year, int month, int day,
			       enum calendar_entry_kind kind, const char *name)
{
	return calendar_add_entry_source(cal, year, month, day, kind, name, NULL);
}

enum status calendar_add_entry_source(struct calendar *cal, int year, int month, int day,
				      enum calendar_entry_kind kind, const char *name,
				      const char *source)
{
	if (!clock_valid_date(year, month, day) || !name_valid(name) || !source_valid(source) ||
	    (kind != CALENDAR_ENTRY_DAY_OFF && kind != CALENDAR_ENTRY_WORKDAY))
		return STATUS_INVALID;
	int key = date_key(year, month, day);
	size_t at = entry_lower_bound(cal, key);
	if (at < cal->count) {
		const struct calendar_entry *e = &cal->entries[at];
		if (date_key(e->year, e->month, e->day) == key)
			return STATUS_CONFLICT;
	}
	if (cal->count >= CALENDAR_ENTRIES_MAX)
		return STATUS_TOO_LARGE;
	if (cal->count == cal->capacity) {
		size_t cap = cal->capacity ? cal->capacity * 2 : 32;
		struct calendar_entry *grown = realloc(cal->entries, cap * sizeof *grown);
		if (grown == NULL)
			return STATUS_INTERNAL;
		cal->entries = grown;
		cal->capacity = cap;
	}
	char *name_copy = strdup(name);
	char *source_copy = source != NULL && source[0] != '\0' ? strdup(source) : NULL;
	if (name_copy == NULL || (source_copy == NULL && source != NULL && source[0] != '\0')) {
		free(name_copy);
		free(source_copy);
		return STATUS_INTERNAL;
	}
	memmove(&cal->entries[at + 1], &cal->entries[at], (cal->count - at) * sizeof *cal->entries);
	cal->entries[at] = (struct calendar_entry){ year, month, day, kind, name_copy, source_copy };
	cal->count++;
	return STATUS_OK;
}

bool calendar_year_has_schedule(const struct calendar *cal, int year)
{
	for (size_t i = entry_lower_bound(cal, date_key(year, 1, 1));
	     i < cal->count && cal->entries[i].year == year; i++)
		if (cal->entries[i].kind == CALENDAR_ENTRY_DAY_OFF)
			return true;
	return false;
}

bool calendar_kind_is_working(enum calendar_day_kind kind)
{
	return kind == CALENDAR_WORKING || kind == CALENDAR_SWAPPED_WORKDAY;
}

/* ---- computed holidays ---- */

struct holiday_names {
	const char *name, *compensation;
};

static const struct holiday_names new_year = { "Tết Dương lịch", "Nghỉ bù Tết Dương lịch" };
static const struct holiday_names lunar_new_year = { "Tết Nguyên đán", "Nghỉ bù Tết Nguyên đán" };
static const struct holiday_names hung_kings = { "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
						 "Nghỉ bù Giỗ Tổ Hùng Vương" };
static const struct holiday_names victory = { "Ngày Chiến thắng 30/4", "Nghỉ bù Ngày Chiến thắng" };
static const struct holiday_names labour = { "Ngày Quốc tế Lao động 1/5",
					     "Nghỉ bù Ngày Quốc tế Lao động" };
static const struct holiday_names national = { "Quốc khánh 2/9", "Nghỉ bù Quốc khánh" };
static const struct holiday_names national_adjacent = { "Quốc khánh (ngày liền kề)",
							"Nghỉ bù Quốc khánh" };

/* Fixed-date holidays with the first year the proposal includes them (today's law is
 * applied to past years too: for the record of a past year, import its schedule). */
static const struct {
	int month, day, since;
	const struct holiday_names *names;
} fixed_holidays[] = {
	{ 1, 1, 1900, &new_year },
	{ 4, 30, 1900, &victory },
	{ 5, 1, 1900, &labour },
	{ 9, 2, 1900, &national },
};

/* The day of September that is Quốc khánh's adjacent day, by the weekday of 2/9: the
 * announced years were Monday → Tuesday 3/9 (2024), Tuesday → Monday 1/9 (2025),
 * Wednesday → Tuesday 1/9 (2026). For the other weekdays the proposal takes the day that
 * joins 2/9 to the weekend: Thursday → Friday 3/9, Friday → Thursday 1/9 (Friday 3/9 is
 * a Saturday), Saturday → Friday 1/9, Sunday → Monday 3/9 (then 2/9 itself is compensated
 * on Tuesday). The Prime Minister decides; this is a proposal only. */
static int adjacent_day(int year)
{
	static const int day_by_weekday[7] = {
		3, /* Sunday */ 3, /* Monday */ 1, /* Tuesday */ 1, /* Wednesday */
		3, /* Thursday */ 1, /* Friday */ 1, /* Saturday */
	};
	return day_by_weekday[clock_weekday_of_days(clock_days_from_civil(year, 9, 2))];
}

/* Day of the year (0-based) of a date. */
static int day_of_year(int year, int month, int day)
{
	return (int)(clock_days_from_civil(year, month, day) - clock_days_from_civil(year, 1, 1));
}

static int days_in_year(int year)
{
	return clock_valid_date(year, 2, 29) ? 366 : 365;
}

/* A holiday being placed: its day of the year and names. */
struct placed {
	int doy;
	const struct holiday_names *names;
};

static void place(struct placed *list, int *n, int doy, const struct holiday_names *names)
{
	if (doy >= 0 && *n < 16)
		list[(*n)++] = (struct placed){ doy, names };
}

static int compare_placed(const void *a, const void *b)
{
	return ((const struct placed *)a)->doy - ((const struct placed *)b)->doy;
}

/* Tết and the Hùng Kings' day of each year of the lunar module, as days of the year (-1:
 * none that year). Pure functions of the year, but computing them from the moon's phases
 * was most of the cost of building a year, and a queue of a thousand dossiers builds one
 * per row: made once, on first use, then only read. */
static struct {
	short tet, hung;
} lunar_days[LUNAR_LAST_YEAR - LUNAR_FIRST_YEAR + 1];
static pthread_once_t lunar_days_once = PTHREAD_ONCE_INIT;

static void lunar_days_make(void)
{
	for (int year = LUNAR_FIRST_YEAR; year <= LUNAR_LAST_YEAR; year++) {
		int gy, gm, gd;
		struct lunar_date tet = { .year = year, .month = 1, .day = 1 };
		struct lunar_date hung = { .year = year, .month = 3, .day = 10 };
		lunar_days[year - LUNAR_FIRST_YEAR].tet = (short)(lunar_to_solar(&tet, &gy, &gm, &gd)
			&& gy == year ? day_of_year(gy, gm, gd) : -1);
		lunar_days[year - LUNAR_FIRST_YEAR].hung = (short)(lunar_to_solar(&hung, &gy, &gm, &gd)
			&& gy == year ? day_of_year(gy, gm, gd) : -1);
	}
}

/* Marks the computed holidays of a year and their compensatory days. */
static void add_computed_holidays(const struct calendar *cal, struct calendar_year *y)
{
	struct placed list[16];
	int n = 0;
	int year = y->year;
	for (size_t i = 0; i < sizeof fixed_holidays / sizeof fixed_holidays[0]; i++)
		if (year >= fixed_holidays[i].since)
			place(list, &n, day_of_year(year, fixed_holidays[i].month, fixed_holidays[i].day),
			      fixed_holidays[i].names);
	if (year >= 2021)
		place(list, &n, day_of_year(year, 9, adjacent_day(year)), &national_adjacent);

	if (year >= LUNAR_FIRST_YEAR && year <= LUNAR_LAST_YEAR) {
		pthread_once(&lunar_days_once, lunar_days_make);
		int tet = lunar_days[year - LUNAR_FIRST_YEAR].tet;
		int hung = lunar_days[year - LUNAR_FIRST_YEAR].hung;
		for (int i = -1; tet >= 0 && i < 4; i++) /* the last day of the old year, mùng 1..4 */
			place(list, &n, tet + i, &lunar_new_year);
		if (hung >= 0)
			place(list, &n, hung, &hung_kings);
	}

	qsort(list, (size_t)n, sizeof list[0], compare_placed);
	int total = days_in_year(year);
	for (int i = 0; i < n; i++) {
		y->kind[list[i].doy] = CALENDAR_HOLIDAY;
		y->name[list[i].doy] = list[i].names->name;
	}
	int64_t jan1 = clock_days_from_civil(year, 1, 1);
	for (int i = 0; i < n; i++) {
		int wd = clock_weekday_of_days(jan1 + list[i].doy);
		if (cal->settings.working_weekdays & (1u << wd))
			continue;
		for (int d = list[i].doy + 1; d < total; d++) {
			int w = clock_weekday_of_days(jan1 + d);
			if ((cal->settings.working_weekdays & (1u << w)) && y->kind[d] == CALENDAR_WORKING) {
				y->kind[d] = CALENDAR_HOLIDAY;
				y->name[d] = list[i].names->compensation;
				break;
			}
		}
	}
}

void calendar_year_build(const struct calendar *cal, int year, struct calendar_year *out)
{
	memset(out, 0, sizeof *out);
	out->year = year;
	if (year < 1900 || year > 9999) {
		memset(out->kind, CALENDAR_HOLIDAY, sizeof out->kind); /* no work outside the range */
		return;
	}
	int64_t jan1 = clock_days_from_civil(year, 1, 1);
	int total = days_in_year(year);
	for (int d = 0; d < total; d++) {
		int wd = clock_weekday_of_days(jan1 + d);
		out->kind[d] = (cal->settings.working_weekdays & (1u << wd)) ? CALENDAR_WORKING
									      : CALENDAR_WEEKEND;
	}
	out->is_official = calendar_year_has_schedule(cal, year);
	if (!out->is_official)
		add_computed_holidays(cal, out);
	for (size_t i = entry_lower_bound(cal, date_key(year, 1, 1));
	     i < cal->count && cal->entries[i].year == year; i++) {
		const struct calendar_entry *e = &cal->entries[i];
		int d = day_of_year(year, e->month, e->day);
		if (e->kind == CALENDAR_ENTRY_DAY_OFF) {
			out->kind[d] = CALENDAR_HOLIDAY;
		} else {
			int wd = clock_weekday_of_days(jan1 + d);
			out->kind[d] = (cal->settings.working_weekdays & (1u << wd))
					       ? CALENDAR_WORKING
					       : CALENDAR_SWAPPED_WORKDAY;
		}
		out->name[d] = e->name;
	}
}

enum calendar_day_kind calendar_day_kind(const struct calendar *cal, int year, int month, int day,
					 const char **name)
{
	if (name != NULL)
		*name = NULL;
	if (!clock_valid_date(year, month, day))
		return CALENDAR_HOLIDAY;
	struct calendar_year y;
	calendar_year_build(cal, year, &y);
	int d = day_of_year(year, month, day);
	if (name != NULL)
		*name = y.name[d];
	return (enum calendar_day_kind)y.kind[d];
}

/* ---- Tết in a schedule; hours and weekdays as text ---- */

bool calendar_lunar_new_year(int year, int *month, int *day)
{
	struct lunar_date tet = { .year = year, .month = 1, .day = 1 };
	int gy;
	return lunar_to_solar(&tet, &gy, month, day) && gy == year;
}

bool calendar_year_has_tet(const struct calendar *cal, int year)
{
	int month, day;
	if (!calendar_lunar_new_year(year, &month, &day))
		return false;
	int64_t tet = clock_days_from_civil(year, month, day);
	for (size_t i = entry_lower_bound(cal, date_key(year, 1, 1));
	     i < cal->count && cal->entries[i].year == year; i++) {
		const struct calendar_entry *e = &cal->entries[i];
		int64_t d = clock_days_from_civil(e->year, e->month, e->day) - tet;
		if (e->kind == CALENDAR_ENTRY_DAY_OFF && d >= -CALENDAR_TET_WINDOW_DAYS &&
		    d <= CALENDAR_TET_WINDOW_DAYS)
			return true;
	}
	return false;
}

/* Reads "H:MM" or "HH:MM" (00:00..24:00) at *p into minutes; moves *p past it. */
static bool parse_clock_time(const char **p, int *minutes)
{
	const char *s = *p;
	int hour = 0, digits = 0;
	while (digits < 2 && s[digits] >= '0' && s[digits] <= '9')
		hour = hour * 10 + (s[digits++] - '0');
	if (digits == 0 || s[digits] != ':')
		return false;
	s += digits + 1;
	if (s[0] < '0' || s[0] > '5' || s[1] < '0' || s[1] > '9')
		return false;
	int minute = (s[0] - '0') * 10 + (s[1] - '0');
	if (hour > 24 || (hour == 24 && minute != 0))
		return false;
	*minutes = hour * 60 + minute;
	*p = s + 2;
	return true;
}

/* Reads a period "HH:MM-HH:MM" (spaces around the parts allowed) with start < end. */
static bool parse_period(const char **p, int *start, int *end)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	if (!parse_clock_time(&s, start))
		return false;
	while (*s == ' ')
		s++;
	if (*s++ != '-')
		return false;
	while (*s == ' ')
		s++;
	if (!parse_clock_time(&s, end) || *start >= *end)
		return false;
	while (*s == ' ')
		s++;
	*p = s;
	return true;
}

bool calendar_parse_hours(const char *text, struct calendar_settings *s)
{
	if (text == NULL)
		return false;
	struct calendar_settings next = *s;
	const char *p = text;
	if (!parse_period(&p, &next.morning_start, &next.morning_end) || *p++ != ',' ||
	    !parse_period(&p, &next.afternoon_start, &next.afternoon_end) || *p != '\0' ||
	    next.morning_end > next.afternoon_start)
		return false;
	*s = next;
	return true;
}

void calendar_format_hours(const struct calendar_settings *s, char *out, size_t n)
{
	snprintf(out, n, "%02d:%02d-%02d:%02d,%02d:%02d-%02d:%02d", s->morning_start / 60,
		 s->morning_start % 60, s->morning_end / 60, s->morning_end % 60,
		 s->afternoon_start / 60, s->afternoon_start % 60, s->afternoon_end / 60,
		 s->afternoon_end % 60);
}

/* Day names in the order of the week as the office reads it, Monday first; the weekday
 * number (0 = Sunday) of position i is (i + 1) % 7. */
static const char weekday_names[7][4] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* Reads a day name at *p (any case) into its Monday-first position; moves *p past it. */
static bool parse_weekday_name(const char **p, int *position)
{
	for (int i = 0; i < 7; i++) {
		if (strncasecmp(*p, weekday_names[i], 3) == 0) {
			*position = i;
			*p += 3;
			return true;
		}
	}
	return false;
}

bool calendar_parse_weekdays(const char *text, unsigned *mask)
{
	if (text == NULL)
		return false;
	unsigned result = 0;
	const char *p = text;
	for (;;) {
		while (*p == ' ')
			p++;
		int first, last;
		if (!parse_weekday_name(&p, &first))
			return false;
		last = first;
		while (*p == ' ')
			p++;
		if (*p == '-') {
			p++;
			while (*p == ' ')
				p++;
			if (!parse_weekday_name(&p, &last) || last < first)
				return false;
			while (*p == ' ')
				p++;
		}
		for (int i = first; i <= last; i++)
			result |= 1u << ((i + 1) % 7);
		if (*p == '\0')
			break;
		if (*p++ != ',')
			return false;
	}
	*mask = result;
	return true;
}

void calendar_format_weekdays(unsigned mask, char *out, size_t n)
{
	if (n == 0)
		return;
	out[0] = '\0';
	size_t used = 0;
	for (int i = 0; i < 7;) {
		if (!(mask & (1u << ((i + 1) % 7)))) {
			i++;
			continue;
		}
		int j = i; /* the run of worked days i..j, Monday first */
		while (j + 1 < 7 && (mask & (1u << ((j + 2) % 7))))
			j++;
		const char *comma = used > 0 ? "," : "";
		int w = j > i ? snprintf(out + used, n - used, "%s%s-%s", comma, weekday_names[i],
					 weekday_names[j])
			      : snprintf(out + used, n - used, "%s%s", comma, weekday_names[i]);
		if (w < 0 || (size_t)w >= n - used)
			return; /* truncated: out holds what fitted */
		used += (size_t)w;
		i = j + 1;
	}
}

/* ---- TSV schedules ---- */

/* Removes the entry on a date, if any. */
static void remove_entry(struct calendar *cal, int key)
{
	size_t at = entry_lower_bound(cal, key);
	if (at >= cal->count)
		return;
	struct calendar_entry *e = &cal->entries[at];
	if (date_key(e->year, e->month, e->day) != key)
		return;
	free(e->name);
	free(e->source);
	memmove(e, e + 1, (cal->count - at - 1) * sizeof *e);
	cal->count--;
}

static void set_error(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_error(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Copies a field (at most 63 bytes shown) for an error message. */
static void quote_field(char *out, size_t n, const char *s, size_t len)
{
	size_t show = len < n - 1 ? len : n - 1;
	if (!utf8_valid(s, show))
		show = 0;
	memcpy(out, s, show);
	out[show] = '\0';
}

/* Parses one data line into tmp; the line is not NUL-terminated. */
static enum status parse_line(struct calendar *tmp, const struct calendar *cal, const char *line,
			      size_t len, size_t lineno, enum calendar_entry_kind kind, char *err,
			      size_t errlen)
{
	if (!utf8_valid(line, len)) {
		set_error(err, errlen, "dòng %zu: không phải văn bản UTF-8 hợp lệ", lineno);
		return STATUS_INVALID;
	}
	const char *tab1 = memchr(line, '\t', len);
	if (tab1 == NULL) {
		set_error(err, errlen,
			  "dòng %zu: thiếu cột tên (các cột date, name, source cách nhau bằng dấu TAB)",
			  lineno);
		return STATUS_INVALID;
	}
	size_t date_len = (size_t)(tab1 - line);
	const char *name = tab1 + 1;
	const char *tab2 = memchr(name, '\t', len - date_len - 1);
	size_t name_len = tab2 ? (size_t)(tab2 - name) : len - date_len - 1;
	if (tab2 != NULL && memchr(tab2 + 1, '\t', len - date_len - 1 - name_len - 1) != NULL) {
		set_error(err, errlen, "dòng %zu: quá nhiều cột (chỉ có date, name, source)", lineno);
		return STATUS_INVALID;
	}
	char date[64], shown[64];
	int y, m, d;
	quote_field(shown, sizeof shown, line, date_len);
	if (date_len >= sizeof date) {
		set_error(err, errlen, "dòng %zu: ngày '%s' không hợp lệ (cần dạng YYYY-MM-DD)",
			  lineno, shown);
		return STATUS_INVALID;
	}
	memcpy(date, line, date_len);
	date[date_len] = '\0';
	if (!clock_parse_date(date, &y, &m, &d)) {
		set_error(err, errlen, "dòng %zu: ngày '%s' không hợp lệ (cần dạng YYYY-MM-DD)",
			  lineno, shown);
		return STATUS_INVALID;
	}
	while (name_len > 0 && name[name_len - 1] == ' ')
		name_len--;
	while (name_len > 0 && name[0] == ' ') {
		name++;
		name_len--;
	}
	if (name_len == 0) {
		set_error(err, errlen, "dòng %zu: tên ngày %s bị trống", lineno, date);
		return STATUS_INVALID;
	}
	if (name_len > CALENDAR_NAME_MAX) {
		set_error(err, errlen, "dòng %zu: tên ngày %s dài quá %d byte", lineno, date,
			  CALENDAR_NAME_MAX);
		return STATUS_INVALID;
	}
	if (utf8_has_controls(name, name_len)) {
		set_error(err, errlen, "dòng %zu: tên ngày %s có ký tự điều khiển", lineno, date);
		return STATUS_INVALID;
	}
	char name_copy[CALENDAR_NAME_MAX + 1];
	memcpy(name_copy, name, name_len);
	name_copy[name_len] = '\0';
	const char *source = tab2 ? tab2 + 1 : NULL;
	size_t source_len = tab2 ? len - (size_t)(source - line) : 0;
	while (source_len > 0 && source[source_len - 1] == ' ')
		source_len--;
	while (source_len > 0 && source[0] == ' ') {
		source++;
		source_len--;
	}
	if (source_len > CALENDAR_SOURCE_MAX) {
		set_error(err, errlen, "dòng %zu: nguồn của ngày %s dài quá %d byte", lineno, date,
			  CALENDAR_SOURCE_MAX);
		return STATUS_INVALID;
	}
	if (utf8_has_controls(source, source_len)) {
		set_error(err, errlen, "dòng %zu: nguồn của ngày %s có ký tự điều khiển", lineno,
			  date);
		return STATUS_INVALID;
	}
	char source_copy[CALENDAR_SOURCE_MAX + 1];
	if (source_len > 0)
		memcpy(source_copy, source, source_len);
	source_copy[source_len] = '\0';
	size_t at = entry_lower_bound(cal, date_key(y, m, d));
	if (at < cal->count && cal->entries[at].year == y && cal->entries[at].month == m &&
	    cal->entries[at].day == d) {
		set_error(err, errlen, "dòng %zu: ngày %s đã có trong lịch (%s)", lineno, date,
			  cal->entries[at].name);
		return STATUS_CONFLICT;
	}
	enum status st = calendar_add_entry_source(tmp, y, m, d, kind, name_copy, source_copy);
	if (st == STATUS_CONFLICT)
		set_error(err, errlen, "dòng %zu: ngày %s có hai lần trong tệp", lineno, date);
	else if (st == STATUS_TOO_LARGE)
		set_error(err, errlen, "dòng %zu: quá nhiều ngày (tối đa %d)", lineno,
			  CALENDAR_ENTRIES_MAX);
	else if (st != STATUS_OK)
		set_error(err, errlen, "dòng %zu: không thêm được ngày %s", lineno, date);
	return st;
}

enum status calendar_parse_tsv(struct calendar *cal, const char *text, size_t len,
			       enum calendar_entry_kind kind, char *err, size_t errlen)
{
	set_error(err, errlen, "%s", "");
	struct calendar tmp;
	calendar_init(&tmp, &cal->settings);
	enum status st = STATUS_OK;
	bool header_seen = false;
	size_t lineno = 0, pos = 0;
	/* A UTF-8 byte order mark, as some spreadsheets write, is not part of the header. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len && st == STATUS_OK) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (!header_seen) {
			static const char header[] = "date\tname";
			if (n < sizeof header - 1 || memcmp(line, header, sizeof header - 1) != 0 ||
			    (n > sizeof header - 1 && line[sizeof header - 1] != '\t')) {
				set_error(err, errlen,
					  "dòng %zu: dòng đầu phải là tiêu đề date<TAB>name<TAB>source",
					  lineno);
				st = STATUS_INVALID;
			}
			header_seen = true;
			continue;
		}
		if (n == 0 || line[0] == '#')
			continue;
		st = parse_line(&tmp, cal, line, n, lineno, kind, err, errlen);
	}
	if (st == STATUS_OK && !header_seen) {
		set_error(err, errlen, "tệp rỗng: cần dòng tiêu đề date<TAB>name<TAB>source");
		st = STATUS_INVALID;
	}
	if (st == STATUS_OK && cal->count + tmp.count > CALENDAR_ENTRIES_MAX) {
		set_error(err, errlen, "quá nhiều ngày trong lịch (tối đa %d)", CALENDAR_ENTRIES_MAX);
		st = STATUS_TOO_LARGE;
	}
	size_t added = 0;
	for (; st == STATUS_OK && added < tmp.count; added++) {
		const struct calendar_entry *e = &tmp.entries[added];
		st = calendar_add_entry_source(cal, e->year, e->month, e->day, e->kind, e->name,
					       e->source);
	}
	if (st != STATUS_OK && added > 0) { /* out of memory while merging: undo */
		for (size_t i = 0; i + 1 < added; i++) {
			const struct calendar_entry *e = &tmp.entries[i];
			remove_entry(cal, date_key(e->year, e->month, e->day));
		}
		set_error(err, errlen, "không thêm được các ngày vào lịch");
	}
	calendar_release(&tmp);
	return st;
}
