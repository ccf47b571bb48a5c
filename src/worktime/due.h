/* due.h: appointments (ngày hẹn trả) and elapsed working time, all in UTC seconds */
#ifndef WORKTIME_DUE_H
#define WORKTIME_DUE_H

#include "base/status.h"
#include "worktime/calendar.h"

#include <stdint.h>

/* Largest processing times accepted. */
enum { DUE_MAX_WORKING_DAYS = 1000, DUE_MAX_WORKING_HOURS = 8000 };

/* Appointment of a procedure of n working days (1..DUE_MAX_WORKING_DAYS) received at
 * `received`: the end of the n-th working day counted from the first working day after
 * the day of receipt, whatever the hour of receipt. STATUS_INVALID for a bad n or when
 * the calendar has no working day within ten years. */
enum status due_working_days(const struct calendar *cal, int64_t received, int n, int64_t *out);

/* Appointment of a procedure of n working hours (1..DUE_MAX_WORKING_HOURS): the instant
 * when n hours of working periods have passed since `received` (nights, lunch break, rest
 * days and holidays do not count). */
enum status due_working_hours(const struct calendar *cal, int64_t received, int n, int64_t *out);

/* Appointment of a same-day procedure (15:00 rule): the end of the day of receipt if that
 * is a working day and the request came no later than the cutoff (15:00:00 counts as in
 * time); otherwise the end of the next working day. */
enum status due_same_day(const struct calendar *cal, int64_t received, int64_t *out);

/* The instant `seconds` of working time after `from` (seconds >= 0). A result that ends a
 * working period is the end of that period (11:30, not 13:00). */
enum status due_add_working_time(const struct calendar *cal, int64_t from, int64_t seconds,
				 int64_t *out);

/* Working time, in seconds, from `from` to `to`; negative when `to` is earlier. */
int64_t due_working_time_between(const struct calendar *cal, int64_t from, int64_t to);

/* The appointment after the clock stopped while a supplement was awaited, from
 * pause_start (the request) to pause_end (the complete supplement): the working time that
 * was left at pause_start runs again from pause_end. A pause that starts at or after the
 * appointment changes nothing (the dossier was already late). STATUS_INVALID if
 * pause_end < pause_start. Several pauses: apply them in order, each to the last result. */
enum status due_after_pause(const struct calendar *cal, int64_t due, int64_t pause_start,
			    int64_t pause_end, int64_t *out);

#endif
