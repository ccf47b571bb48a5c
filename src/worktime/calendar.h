/* calendar.h: working days: weekly rest days, public holidays (computed, or an official
 * yearly schedule imported by the admin), swapped working Saturdays, working hours */
#ifndef WORKTIME_CALENDAR_H
#define WORKTIME_CALENDAR_H

#include "base/status.h"

#include <stdbool.h>
#include <stddef.h>

/* Longest name of a day off or swapped day, in bytes. */
enum { CALENDAR_NAME_MAX = 400 };
/* Longest source of an entry (the document that announced it, an address), in bytes. */
enum { CALENDAR_SOURCE_MAX = 1000 };
/* Most entries one calendar holds (about 50 years of schedules). */
enum { CALENDAR_ENTRIES_MAX = 5000 };

/* What a day is. */
enum calendar_day_kind {
	CALENDAR_WORKING,         /* an ordinary working day */
	CALENDAR_WEEKEND,         /* a weekly rest day (Saturday, Sunday by default) */
	CALENDAR_HOLIDAY,         /* a day off: holiday, compensatory day, swapped day off */
	CALENDAR_SWAPPED_WORKDAY, /* a rest day worked in exchange for a day off (làm bù) */
};

/* What an entry of an official schedule says about its date. */
enum calendar_entry_kind {
	CALENDAR_ENTRY_DAY_OFF, /* no work that day (holidays-vn.tsv) */
	CALENDAR_ENTRY_WORKDAY, /* work that day although it is a rest day (workdays-swapped-vn.tsv) */
};

/* The office's week. Times are minutes after local midnight (UTC+7). */
struct calendar_settings {
	unsigned working_weekdays; /* bit w set: weekday w (0 = Sunday .. 6 = Saturday) is worked */
	int morning_start, morning_end;     /* 07:30-11:30 by default */
	int afternoon_start, afternoon_end; /* 13:00-17:00 by default */
	int same_day_cutoff;                /* 15:00: a same-day request after it is due the next
					       working day */
};

/* One dated line of an official schedule. */
struct calendar_entry {
	int year, month, day;
	enum calendar_entry_kind kind;
	char *name;   /* owned by the calendar */
	char *source; /* owned by the calendar; NULL when the schedule names none */
};

/* Settings plus the official entries, kept sorted by date, at most one a date. Built at
 * start-up (from the database, or TSV files) and then only read, so threads may share it. */
struct calendar {
	struct calendar_settings settings;
	struct calendar_entry *entries;
	size_t count, capacity;
};

/* The kind of every day of one year, for code that looks at many days in a row. */
struct calendar_year {
	int year;
	unsigned char kind[366];  /* enum calendar_day_kind, by day of the year (0 = 1 January) */
	const char *name[366];    /* holiday or swap name, NULL for plain days; static strings
				     or the calendar's own, valid while the calendar lives */
	bool is_official;         /* the days off come from an imported schedule */
};

/* Mon-Fri, 07:30-11:30 and 13:00-17:00, same-day cutoff 15:00. */
void calendar_settings_default(struct calendar_settings *s);
/* Whether the settings make sense: 0 <= morning_start <= morning_end <= afternoon_start <=
 * afternoon_end <= 1440, some working time in a day, at least one working weekday. */
bool calendar_settings_valid(const struct calendar_settings *s);

/* Starts an empty calendar with settings s (NULL: the defaults). */
void calendar_init(struct calendar *cal, const struct calendar_settings *s);
/* Frees the entries; the calendar may be initialised again. */
void calendar_release(struct calendar *cal);

/* Adds an official entry (name copied). STATUS_INVALID for a date that does not exist,
 * an empty, too long or non-UTF-8 name; STATUS_CONFLICT if the date has an entry already;
 * STATUS_TOO_LARGE past CALENDAR_ENTRIES_MAX. */
enum status calendar_add_entry(struct calendar *cal, int year, int month, int day,
			       enum calendar_entry_kind kind, const char *name);
/* The same with the entry's source (copied; NULL or "" for none). STATUS_INVALID also for
 * a source longer than CALENDAR_SOURCE_MAX, not UTF-8 or with control characters. */
enum status calendar_add_entry_source(struct calendar *cal, int year, int month, int day,
				      enum calendar_entry_kind kind, const char *name,
				      const char *source);

/* Whether the year has an official schedule: at least one imported day off. Such a year's
 * days off are exactly its entries; a year without one gets the computed proposal
 * (calendar_year_build). Imported working days apply in either case. */
bool calendar_year_has_schedule(const struct calendar *cal, int year);

/* Fills out with the kind of each day of year (1900..9999). Computed holidays, for a
 * year without a schedule (Labour Code 2019 Art. 112, weekend compensation of Art.
 * 111(3); see calendar.c for the placement rules), need the lunar calendar and so exist
 * for 1900..2199 only. */
void calendar_year_build(const struct calendar *cal, int year, struct calendar_year *out);

/* The kind of one day; *name (if name is not NULL) gets the holiday or swap name or NULL.
 * A date that does not exist is CALENDAR_HOLIDAY with a NULL name. */
enum calendar_day_kind calendar_day_kind(const struct calendar *cal, int year, int month, int day,
					 const char **name);

/* Whether a kind is worked. */
bool calendar_kind_is_working(enum calendar_day_kind kind);

/* How many days either side of mùng 1 (the first day of the lunar year) a day off of a
 * schedule counts as part of the Tết break. The announced breaks ran from 3 days before
 * to 5 days after it (2019: 2-10/2 around 5/2); mùng 1 is 21/1 at the earliest, so the
 * window never reaches the New Year break of early January. */
enum { CALENDAR_TET_WINDOW_DAYS = 7 };

/* The Gregorian date of Tết Nguyên đán (mùng 1 tháng Giêng) of a year, Vietnamese
 * calendar. False outside the years of the lunar module (1900..2199). */
bool calendar_lunar_new_year(int year, int *month, int *day);

/* Whether the schedule of year has a day off within CALENDAR_TET_WINDOW_DAYS of the
 * year's Tết: a year whose schedule lacks one has not been announced whole (the statutory
 * days alone), and must not become official. False outside 1900..2199. */
bool calendar_year_has_tet(const struct calendar *cal, int year);

/* Working hours as text, "07:30-11:30,13:00-17:00": a morning and an afternoon period,
 * each HH:MM-HH:MM (H:MM accepted, 24:00 the latest), start before end, the morning
 * ending no later than the afternoon starts. On success sets the four times of s and
 * returns true; otherwise leaves s alone. */
bool calendar_parse_hours(const char *text, struct calendar_settings *s);
/* Longest text calendar_format_hours and calendar_format_weekdays write, NUL included. */
enum { CALENDAR_HOURS_TEXT_MAX = 32 };
/* Writes s's periods as calendar_parse_hours reads them, into out (n bytes). */
void calendar_format_hours(const struct calendar_settings *s, char *out, size_t n);

/* Working weekdays as text: comma-separated days or ranges of days, Monday first, each
 * day mon tue wed thu fri sat sun (any case): "mon-fri", "mon-fri,sat", "mon,wed,fri".
 * A range goes forward within the week ("sat-sun", not "fri-mon"). On success sets *mask
 * (bit w for weekday w, 0 = Sunday) and returns true. */
bool calendar_parse_weekdays(const char *text, unsigned *mask);
/* Writes mask in the shortest form calendar_parse_weekdays reads ("mon-fri"); "" for 0. */
void calendar_format_weekdays(unsigned mask, char *out, size_t n);

/* Reads a schedule in the TSV form of holidays-vn.tsv / workdays-swapped-vn.tsv: a header
 * "date<TAB>name<TAB>source", then one "YYYY-MM-DD<TAB>name[<TAB>source]" a line (empty
 * lines and lines starting with '#' are skipped, CRLF accepted). Every entry gets kind and
 * the line's source, if any.
 * All or nothing: on error nothing is added and err gets a Vietnamese message with the line
 * number ("dòng 3: ..."); the status is STATUS_INVALID, STATUS_CONFLICT (a date already in
 * the calendar or twice in the file) or STATUS_TOO_LARGE. */
enum status calendar_parse_tsv(struct calendar *cal, const char *text, size_t len,
			       enum calendar_entry_kind kind, char *err, size_t errlen);

#endif
