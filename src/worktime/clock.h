/* clock.h: time as Vietnam reads it: UTC seconds shown in Asia/Ho_Chi_Minh (UTC+7, no DST) */
#ifndef WORKTIME_CLOCK_H
#define WORKTIME_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CLOCK_VN_OFFSET = 7 * 3600 };

struct clock_local {
	int year, month, day;  /* 2015, 7, 7 */
	int hour, minute, second;
	int weekday;           /* 0 = Sunday ... 6 = Saturday */
};

/* The local date and time of UTC seconds t. */
struct clock_local clock_to_local(int64_t t);
/* UTC seconds of a local date and time; false if the fields are not a real date/time. */
bool clock_from_local(int year, int month, int day, int hour, int minute, int64_t *out);
/* [start, end) in UTC seconds of the local month year-month; false if it is not a real
 * month (1900-01 .. 9999-11). */
bool clock_month_bounds(int year, int month, int64_t *start, int64_t *end);
/* Whether year-month-day is a real calendar date (1900..9999). */
bool clock_valid_date(int year, int month, int day);
/* Days in a month of a year. */
int clock_days_in_month(int year, int month);
/* Days from 1970-01-01 to a proleptic Gregorian date (negative before). */
int64_t clock_days_from_civil(int year, int month, int day);
/* The Gregorian date of a day number counted as clock_days_from_civil counts. */
void clock_civil_from_days(int64_t days, int *year, int *month, int *day);
/* Weekday of a day number: 0 = Sunday ... 6 = Saturday. */
int clock_weekday_of_days(int64_t days);

/* Parses "YYYY-MM-DD" into a real date; false otherwise (strict). */
bool clock_parse_date(const char *s, int *year, int *month, int *day);
/* Parses "YYYY-MM" (strict). */
bool clock_parse_month(const char *s, int *year, int *month);
/* Parses a local "YYYY-MM-DDTHH:MM" (an HTML datetime-local; a space may replace the
 * T) into UTC seconds; false if it is not a real date and time. */
bool clock_parse_local_datetime(const char *s, int64_t *out);

/* What clock_parse_input found. */
enum clock_input {
	CLOCK_INPUT_OK,
	CLOCK_INPUT_INVALID,      /* not a real date (and time) of the expected shape */
	CLOCK_INPUT_OUT_OF_RANGE, /* a real one outside the range the field allows */
};

/* The one parser of dates typed into a form: "YYYY-MM-DD" (its local midnight) when
 * with_time is false, else a local "YYYY-MM-DDTHH:MM" (a space may replace the T), strictly,
 * into UTC seconds *out, accepted only in [min, max]: every date field states its range. */
enum clock_input clock_parse_input(const char *s, bool with_time, int64_t min, int64_t max,
				   int64_t *out);
/* "từ 07/07/2015 đến 31/12/2036": the local days of [min, max], for the message of a date
 * out of its range, into out (at least 40 bytes). */
void clock_range_words(int64_t min, int64_t max, char *out, size_t n);

/* Writes the weekday as Vietnamese sites write it: "Thứ 2".."Thứ 7", "Chủ nhật". */
const char *clock_weekday_vi(int weekday);
/* "Thứ 3, Ngày 07/07/2015, 08:10" for UTC seconds t, into out (at least 48 bytes). */
void clock_format_vi_line(int64_t t, char *out, size_t n);
/* "07/07/2015 08:10" */
void clock_format_vi_short(int64_t t, char *out, size_t n);
/* "2015-07-07T08:10:00+07:00" (RFC 3339, local offset) */
void clock_format_rfc3339(int64_t t, char *out, size_t n);
/* "Tue, 07 Jul 2015 01:10:00 GMT" (RFC 822/1123, for RSS and HTTP) */
void clock_format_rfc822(int64_t t, char *out, size_t n);
/* "2015-07-07T08:10" local, for a datetime-local input */
void clock_format_input(int64_t t, char *out, size_t n);

#endif
