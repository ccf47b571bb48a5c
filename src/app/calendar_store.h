/* calendar_store.h: the official calendar (days off, swapped working days) and each unit's
 * working hours, in the database */
#ifndef APP_CALENDAR_STORE_H
#define APP_CALENDAR_STORE_H

#include "base/status.h"
#include "worktime/calendar.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audit_actor;
struct db_conn;

/* Most years one import may replace. */
enum { CALENDAR_STORE_YEARS_MAX = 300 };

/* Fills cal (not initialised by the caller) with the unit's working hours (the defaults
 * for what the unit has not set) and every entry of the official schedule. The caller
 * releases cal with calendar_release, on success only. STATUS_INTERNAL (logged) for a row
 * or setting the program did not write; STATUS_TOO_LARGE past CALENDAR_ENTRIES_MAX. */
enum status calendar_store_load(struct db_conn *c, int64_t unit_id, struct calendar *cal);

/* Replaces, in one transaction, the entries of each of the years (1..CALENDAR_STORE_YEARS_MAX
 * of them) with cal's entries of that year, stamped `now`, and appends one audit record
 * (unit 1, "calendar.import"): all or nothing. replaced (NULL, or one slot a year) gets
 * the number of rows each year had before. STATUS_INVALID for no years or too many. */
enum status calendar_store_import(struct db_conn *c, const struct calendar *cal, const int *years,
				  size_t nyears, int64_t now, const struct audit_actor *actor,
				  int64_t *replaced);

/* The unit's working weekdays and hours into s (its other fields untouched); the defaults
 * of calendar_settings_default for a value the unit has not set. *is_set (may be NULL)
 * tells whether the unit has set either. */
enum status calendar_store_hours(struct db_conn *c, int64_t unit_id, struct calendar_settings *s,
				 bool *is_set);

/* Stores the unit's working weekdays and hours (s must be valid: STATUS_INVALID otherwise)
 * with an audit record "calendar.hours", in one transaction. */
enum status calendar_store_set_hours(struct db_conn *c, int64_t unit_id,
				     const struct calendar_settings *s, int64_t now,
				     const struct audit_actor *actor);

#endif
