/* due.c: appointment dates in working days and hours, the 15:00 rule, pauses, elapsed working time
 *
 * How the law is read here (domain notes, law-and-practice.md 1.6):
 * - The clock starts at the receipt of a complete dossier. For a time in working days the
 *   day of receipt is not counted: day 1 is the first working day after it (the rule for
 *   periods in days, first day excluded). The notes give no special rule for a dossier
 *   received after hours or on a day off for such procedures; counting from the day
 *   after the calendar day of receipt is the reading that favours the citizen (a dossier
 *   received on Saturday is due one working day earlier than if it were treated as
 *   received on Monday), so that is the rule, and the 15:00 rule does not apply to it.
 * - The appointment is the end of the n-th working day (17:00 by default): the whole of
 *   the last day belongs to the period.
 * - Same-day procedures (chứng thực, some hộ tịch): the same working day if received by
 *   15:00, the next working day if received after 15:00. "After" is strict: a request
 *   stamped 15:00:00 is in time (favours the citizen). The result is due by the end of
 *   that day, as for the same-day case; a request made on a day off is due the next
 *   working day.
 * - Supplements: [PRACTICE] the clock stops from the request to the complete supplement and
 *   then resumes with the working time that was left (the notes leave open whether NĐ
 *   118/2025 resumes or restarts; resuming is what the brief of this module asks for).
 *
 * Days are walked one at a time with the kinds of the current year cached, so a call
 * builds a year's table (with its lunar holidays) once, not once a day. */
#include "worktime/due.h"

#include "worktime/clock.h"

/* How far a search for working days goes before it gives up (a calendar with no working
 * day at all, or absurd input). */
enum { HORIZON_DAYS = 3660 };

/* Local day numbers (days since 1970-01-01, UTC+7) of instants. */
static int64_t local_day(int64_t t)
{
	int64_t local = t + CLOCK_VN_OFFSET;
	return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

static int64_t day_start(int64_t day)
{
	return day * 86400 - CLOCK_VN_OFFSET;
}

/* Whether t lies in years the calendar handles, with room for the horizon. */
static bool instant_valid(int64_t t)
{
	int64_t day = local_day(t);
	return day >= clock_days_from_civil(1900, 1, 1) && day <= clock_days_from_civil(9980, 1, 1);
}

struct days_view {
	const struct calendar *cal;
	struct calendar_year year;
	bool loaded;
};

static bool is_working(struct days_view *v, int64_t day)
{
	int y, m, d;
	clock_civil_from_days(day, &y, &m, &d);
	if (!v->loaded || v->year.year != y) {
		calendar_year_build(v->cal, y, &v->year);
		v->loaded = true;
	}
	int doy = (int)(day - clock_days_from_civil(y, 1, 1));
	return calendar_kind_is_working((enum calendar_day_kind)v->year.kind[doy]);
}

/* The working periods of a day as [start, end) offsets in seconds from local midnight. */
static int periods(const struct calendar_settings *s, int64_t out[2][2])
{
	int n = 0;
	if (s->morning_end > s->morning_start) {
		out[n][0] = s->morning_start * 60;
		out[n][1] = s->morning_end * 60;
		n++;
	}
	if (s->afternoon_end > s->afternoon_start) {
		out[n][0] = s->afternoon_start * 60;
		out[n][1] = s->afternoon_end * 60;
		n++;
	}
	return n;
}

static int64_t end_of_working_day(const struct calendar_settings *s, int64_t day)
{
	int minutes = s->afternoon_end > s->afternoon_start ? s->afternoon_end : s->morning_end;
	return day_start(day) + minutes * 60;
}

/* The first working day after `day`; false past the horizon. */
static bool next_working_day(struct days_view *v, int64_t day, int64_t *out)
{
	for (int i = 1; i <= HORIZON_DAYS; i++)
		if (is_working(v, day + i)) {
			*out = day + i;
			return true;
		}
	return false;
}

enum status due_working_days(const struct calendar *cal, int64_t received, int n, int64_t *out)
{
	if (n < 1 || n > DUE_MAX_WORKING_DAYS || !instant_valid(received) ||
	    !calendar_settings_valid(&cal->settings))
		return STATUS_INVALID;
	struct days_view v = { .cal = cal };
	int64_t day = local_day(received);
	for (int counted = 0; counted < n; counted++)
		if (!next_working_day(&v, day, &day))
			return STATUS_INVALID;
	*out = end_of_working_day(&cal->settings, day);
	return STATUS_OK;
}

enum status due_same_day(const struct calendar *cal, int64_t received, int64_t *out)
{
	if (!instant_valid(received) || !calendar_settings_valid(&cal->settings))
		return STATUS_INVALID;
	struct days_view v = { .cal = cal };
	int64_t day = local_day(received);
	bool in_time = received - day_start(day) <= (int64_t)cal->settings.same_day_cutoff * 60;
	if (!(is_working(&v, day) && in_time) && !next_working_day(&v, day, &day))
		return STATUS_INVALID;
	*out = end_of_working_day(&cal->settings, day);
	return STATUS_OK;
}

enum status due_add_working_time(const struct calendar *cal, int64_t from, int64_t seconds,
				 int64_t *out)
{
	if (seconds < 0 || !instant_valid(from) || !calendar_settings_valid(&cal->settings))
		return STATUS_INVALID;
	struct days_view v = { .cal = cal };
	int64_t p[2][2];
	int np = periods(&cal->settings, p);
	int64_t first = local_day(from);
	for (int64_t day = first; day <= first + HORIZON_DAYS; day++) {
		if (!is_working(&v, day))
			continue;
		int64_t base = day_start(day);
		for (int i = 0; i < np; i++) {
			int64_t start = base + p[i][0], end = base + p[i][1];
			int64_t s = from > start ? from : start;
			if (s >= end)
				continue;
			if (seconds <= end - s) {
				*out = s + seconds;
				return STATUS_OK;
			}
			seconds -= end - s;
		}
	}
	return STATUS_INVALID;
}

enum status due_working_hours(const struct calendar *cal, int64_t received, int n, int64_t *out)
{
	if (n < 1 || n > DUE_MAX_WORKING_HOURS)
		return STATUS_INVALID;
	return due_add_working_time(cal, received, (int64_t)n * 3600, out);
}

int64_t due_working_time_between(const struct calendar *cal, int64_t from, int64_t to)
{
	if (to < from)
		return -due_working_time_between(cal, to, from);
	if (!instant_valid(from) || !instant_valid(to) || !calendar_settings_valid(&cal->settings))
		return 0;
	struct days_view v = { .cal = cal };
	int64_t p[2][2];
	int np = periods(&cal->settings, p);
	int64_t total = 0;
	for (int64_t day = local_day(from); day <= local_day(to); day++) {
		if (!is_working(&v, day))
			continue;
		int64_t base = day_start(day);
		for (int i = 0; i < np; i++) {
			int64_t s = base + p[i][0] > from ? base + p[i][0] : from;
			int64_t e = base + p[i][1] < to ? base + p[i][1] : to;
			if (e > s)
				total += e - s;
		}
	}
	return total;
}

enum status due_after_pause(const struct calendar *cal, int64_t due, int64_t pause_start,
			    int64_t pause_end, int64_t *out)
{
	if (pause_end < pause_start || !instant_valid(due) || !instant_valid(pause_start) ||
	    !instant_valid(pause_end))
		return STATUS_INVALID;
	if (pause_start >= due) {
		*out = due;
		return STATUS_OK;
	}
	int64_t left = due_working_time_between(cal, pause_start, due);
	if (left == 0) {
		*out = due;
		return STATUS_OK;
	}
	return due_add_working_time(cal, pause_end, left, out);
}
