/* clock.c: UTC seconds and Vietnamese local time (UTC+7, no daylight saving) */
#include "worktime/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

bool clock_valid_date(int year, int month, int day)
{
	return year >= 1900 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
	       day <= clock_days_in_month(year, month);
}

int clock_days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[(month - 1) % 12];
}

/* Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm, proleptic Gregorian). */
int64_t clock_days_from_civil(int year, int m, int d)
{
	int64_t y = year;
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void clock_civil_from_days(int64_t days, int *year, int *month, int *day)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = m;
	*day = d;
}

int clock_weekday_of_days(int64_t days)
{
	return (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday (4) */
}

struct clock_local clock_to_local(int64_t t)
{
	int64_t local = t + CLOCK_VN_OFFSET;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t secs = local - days * 86400;
	struct clock_local l = {
		.hour = (int)(secs / 3600), .minute = (int)(secs / 60 % 60), .second = (int)(secs % 60),
		.weekday = clock_weekday_of_days(days),
	};
	clock_civil_from_days(days, &l.year, &l.month, &l.day);
	return l;
}

bool clock_from_local(int year, int month, int day, int hour, int minute, int64_t *out)
{
	if (!clock_valid_date(year, month, day) || hour < 0 || hour > 23 || minute < 0 ||
	    minute > 59)
		return false;
	*out = clock_days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 -
	       CLOCK_VN_OFFSET;
	return true;
}

bool clock_month_bounds(int year, int month, int64_t *start, int64_t *end)
{
	int next_year = month == 12 ? year + 1 : year, next_month = month == 12 ? 1 : month + 1;
	return clock_from_local(year, month, 1, 0, 0, start) &&
	       clock_from_local(next_year, next_month, 1, 0, 0, end);
}

/* Reads exactly n digits at s. */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool clock_parse_date(const char *s, int *year, int *month, int *day)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	return digits(s, 4, year) && digits(s + 5, 2, month) && digits(s + 8, 2, day) &&
	       clock_valid_date(*year, *month, *day);
}

bool clock_parse_month(const char *s, int *year, int *month)
{
	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return false;
	return digits(s, 4, year) && digits(s + 5, 2, month) && clock_valid_date(*year, *month, 1);
}

bool clock_parse_local_datetime(const char *s, int64_t *out)
{
	int y, mo, d, h, mi;
	if (s == NULL || strlen(s) != 16 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
		return false;
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
	    !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi))
		return false;
	return clock_from_local(y, mo, d, h, mi, out);
}

enum clock_input clock_parse_input(const char *s, bool with_time, int64_t min, int64_t max,
				   int64_t *out)
{
	int64_t t;
	int y, m, d;
	if (with_time ? !clock_parse_local_datetime(s, &t)
		      : !clock_parse_date(s, &y, &m, &d) || !clock_from_local(y, m, d, 0, 0, &t))
		return CLOCK_INPUT_INVALID;
	if (t < min || t > max)
		return CLOCK_INPUT_OUT_OF_RANGE;
	*out = t;
	return CLOCK_INPUT_OK;
}

void clock_range_words(int64_t min, int64_t max, char *out, size_t n)
{
	struct clock_local a = clock_to_local(min), b = clock_to_local(max);
	snprintf(out, n, "từ %02d/%02d/%04d đến %02d/%02d/%04d", a.day, a.month, a.year, b.day,
		 b.month, b.year);
}

const char *clock_weekday_vi(int weekday)
{
	static const char *const names[] = { "Chủ nhật", "Thứ 2", "Thứ 3", "Thứ 4",
					     "Thứ 5",    "Thứ 6", "Thứ 7" };
	return names[weekday % 7];
}

void clock_format_vi_line(int64_t t, char *out, size_t n)
{
	struct clock_local l = clock_to_local(t);
	snprintf(out, n, "%s, Ngày %02d/%02d/%04d, %02d:%02d", clock_weekday_vi(l.weekday), l.day,
		 l.month, l.year, l.hour, l.minute);
}

void clock_format_vi_short(int64_t t, char *out, size_t n)
{
	struct clock_local l = clock_to_local(t);
	snprintf(out, n, "%02d/%02d/%04d %02d:%02d", l.day, l.month, l.year, l.hour, l.minute);
}

void clock_format_rfc3339(int64_t t, char *out, size_t n)
{
	struct clock_local l = clock_to_local(t);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", l.year, l.month, l.day, l.hour,
		 l.minute, l.second);
}

void clock_format_rfc822(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void clock_format_input(int64_t t, char *out, size_t n)
{
	struct clock_local l = clock_to_local(t);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d", l.year, l.month, l.day, l.hour, l.minute);
}
