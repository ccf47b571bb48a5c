/* lunar.h: the Vietnamese lunar calendar (âm lịch), computed from the astronomical rules */
#ifndef WORKTIME_LUNAR_H
#define WORKTIME_LUNAR_H

#include <stdbool.h>
#include <stddef.h>

/* Gregorian years the conversions accept (lunar years one less at the start). */
enum { LUNAR_FIRST_YEAR = 1900, LUNAR_LAST_YEAR = 2199 };

/* The UTC offset of the Vietnamese calendar: the 105°E meridian, UTC+7. */
enum { LUNAR_VN_OFFSET_MINUTES = 7 * 60 };

struct lunar_date {
	int year;     /* the lunar year; 2026 for Bính Ngọ, whose Tết is 2026-02-17 */
	int month;    /* 1..12 */
	int day;      /* 1..30 */
	bool is_leap; /* the leap month (tháng nhuận), which follows the regular month of its number */
};

/* The Vietnamese lunar date of a Gregorian date. False outside 1900-01-01..2199-12-31 or
 * for a date that does not exist. */
bool lunar_from_solar(int year, int month, int day, struct lunar_date *out);

/* The Gregorian date of a Vietnamese lunar date. False if that lunar date does not exist
 * (day 30 of a 29-day month, a leap flag on a month that is not leap) or is out of range. */
bool lunar_to_solar(const struct lunar_date *ld, int *year, int *month, int *day);

/* The same two conversions for a calendar kept at another UTC offset, in minutes (480
 * gives the Chinese calendar since 1929); the Vietnamese ones above use 420. */
bool lunar_from_solar_at(int year, int month, int day, int offset_minutes,
			 struct lunar_date *out);
bool lunar_to_solar_at(const struct lunar_date *ld, int offset_minutes, int *year, int *month,
		       int *day);

/* The leap month of a lunar year (1..12), 0 if the year has 12 months, -1 out of range. */
int lunar_leap_month(int lunar_year);

/* Number of days (29 or 30) of a lunar month, 0 if it does not exist. */
int lunar_month_length(int lunar_year, int month, bool is_leap);

/* The sexagenary name of a lunar year, "Bính Ngọ" for 2026, into out (at least 24 bytes).
 * Returns out. */
const char *lunar_year_name(int lunar_year, char *out, size_t n);

#endif
