/* calendar_store.c: the official calendar and the units' working hours (all of its SQL) */
#include "app/calendar_store.h"

#include "audit/audit.h"
#include "base/log.h"
#include "store/store.h"
#include "worktime/clock.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The names of a unit's working-time rows in `setting` (see migrations 0008). */
#define SETTING_DAYS "worktime.days"
#define SETTING_HOURS "worktime.hours"

static const char *kind_name(enum calendar_entry_kind kind)
{
	return kind == CALENDAR_ENTRY_DAY_OFF ? "day_off" : "working_day";
}

static bool kind_from_name(const char *name, enum calendar_entry_kind *kind)
{
	if (strcmp(name, "day_off") == 0)
		*kind = CALENDAR_ENTRY_DAY_OFF;
	else if (strcmp(name, "working_day") == 0)
		*kind = CALENDAR_ENTRY_WORKDAY;
	else
		return false;
	return true;
}

enum status calendar_store_hours(struct db_conn *c, int64_t unit_id, struct calendar_settings *s,
				 bool *is_set)
{
	struct calendar_settings defaults;
	calendar_settings_default(&defaults);
	s->working_weekdays = defaults.working_weekdays;
	s->morning_start = defaults.morning_start;
	s->morning_end = defaults.morning_end;
	s->afternoon_start = defaults.afternoon_start;
	s->afternoon_end = defaults.afternoon_end;
	if (is_set != NULL)
		*is_set = false;
	struct db_stmt *q;
	enum status st = db_prepare(c, "SELECT name, value FROM setting WHERE unit_id = ?1"
				       " AND name IN ('" SETTING_DAYS "', '" SETTING_HOURS "')", &q);
	if (st)
		return st;
	db_bind_int64(q, 1, unit_id);
	bool has_row;
	while ((st = db_step(q, &has_row)) == STATUS_OK && has_row) {
		const char *name = db_column_text(q, 0), *value = db_column_text(q, 1);
		bool ok = strcmp(name, SETTING_DAYS) == 0
				  ? calendar_parse_weekdays(value, &s->working_weekdays) &&
					    s->working_weekdays != 0
				  : calendar_parse_hours(value, s);
		if (!ok) {
			log_error("calendar: unit %lld has a bad setting '%s' = '%s'",
				  (long long)unit_id, name, value);
			return STATUS_INTERNAL;
		}
		if (is_set != NULL)
			*is_set = true;
	}
	return st;
}

/* Writes one working-time setting of a unit. */
static enum status put_setting(struct db_conn *c, int64_t unit_id, const char *name,
			       const char *value)
{
	struct db_stmt *q;
	enum status st = db_prepare(c, "INSERT INTO setting (unit_id, name, value) VALUES (?1, ?2, ?3)"
				       " ON CONFLICT (unit_id, name) DO UPDATE SET value = excluded.value",
				    &q);
	if (st)
		return st;
	db_bind_int64(q, 1, unit_id);
	db_bind_text(q, 2, name);
	db_bind_text(q, 3, value);
	return db_exec(q);
}

/* {"days": "mon-fri", "hours": "07:30-11:30,13:00-17:00"} for the audit log. */
static json_t *hours_json(const struct calendar_settings *s)
{
	char days[CALENDAR_HOURS_TEXT_MAX], hours[CALENDAR_HOURS_TEXT_MAX];
	calendar_format_weekdays(s->working_weekdays, days, sizeof days);
	calendar_format_hours(s, hours, sizeof hours);
	return json_pack("{s:s, s:s}", "days", days, "hours", hours);
}

enum status calendar_store_set_hours(struct db_conn *c, int64_t unit_id,
				     const struct calendar_settings *s, int64_t now,
				     const struct audit_actor *actor)
{
	if (!calendar_settings_valid(s))
		return STATUS_INVALID;
	char days[CALENDAR_HOURS_TEXT_MAX], hours[CALENDAR_HOURS_TEXT_MAX];
	calendar_format_weekdays(s->working_weekdays, days, sizeof days);
	calendar_format_hours(s, hours, sizeof hours);
	enum status st = db_begin(c);
	if (st)
		return st;
	struct calendar_settings before = *s;
	st = calendar_store_hours(c, unit_id, &before, NULL);
	if (st == STATUS_OK)
		st = put_setting(c, unit_id, SETTING_DAYS, days);
	if (st == STATUS_OK)
		st = put_setting(c, unit_id, SETTING_HOURS, hours);
	json_t *was = st == STATUS_OK ? hours_json(&before) : NULL;
	json_t *now_is = st == STATUS_OK ? hours_json(s) : NULL;
	if (st == STATUS_OK && (was == NULL || now_is == NULL))
		st = STATUS_INTERNAL;
	if (st == STATUS_OK)
		st = audit_append(c, unit_id, actor, now, "calendar.hours", "unit", unit_id, was,
				  now_is);
	json_decref(was);
	json_decref(now_is);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st)
		db_rollback(c);
	return st;
}

enum status calendar_store_load(struct db_conn *c, int64_t unit_id, struct calendar *cal)
{
	struct calendar_settings s;
	calendar_settings_default(&s);
	enum status st = calendar_store_hours(c, unit_id, &s, NULL);
	if (st)
		return st;
	calendar_init(cal, &s);
	struct db_stmt *q;
	st = db_prepare(c, "SELECT day, kind, name, source FROM calendar_entry ORDER BY day", &q);
	bool has_row = false;
	while (st == STATUS_OK && (st = db_step(q, &has_row)) == STATUS_OK && has_row) {
		const char *day = db_column_text(q, 0), *kind_text = db_column_text(q, 1);
		int y, m, d;
		enum calendar_entry_kind kind;
		if (!clock_parse_date(day, &y, &m, &d) || !kind_from_name(kind_text, &kind)) {
			log_error("calendar: bad calendar_entry row '%s' '%s'", day, kind_text);
			st = STATUS_INTERNAL;
			break;
		}
		st = calendar_add_entry_source(cal, y, m, d, kind, db_column_text(q, 2),
					       db_column_text(q, 3));
		if (st == STATUS_INVALID || st == STATUS_CONFLICT) {
			log_error("calendar: calendar_entry row '%s' cannot be read", day);
			st = STATUS_INTERNAL;
		}
	}
	if (st)
		calendar_release(cal);
	return st;
}

/* Deletes a year's rows (counted into *replaced) and writes cal's entries of the year,
 * counting them into *days_off and *working_days. */
static enum status replace_year(struct db_conn *c, const struct calendar *cal, int year,
				int64_t now, int64_t *replaced, int64_t *days_off,
				int64_t *working_days)
{
	char first[16], last[16];
	snprintf(first, sizeof first, "%04d-01-01", year);
	snprintf(last, sizeof last, "%04d-12-31", year);
	struct db_stmt *q;
	enum status st = db_prepare(c, "SELECT count(*) FROM calendar_entry"
				       " WHERE day >= ?1 AND day <= ?2", &q);
	if (st)
		return st;
	db_bind_text(q, 1, first);
	db_bind_text(q, 2, last);
	st = db_query_int64(q, replaced);
	if (st)
		return st;
	st = db_prepare(c, "DELETE FROM calendar_entry WHERE day >= ?1 AND day <= ?2", &q);
	if (st)
		return st;
	db_bind_text(q, 1, first);
	db_bind_text(q, 2, last);
	st = db_exec(q);
	for (size_t i = 0; st == STATUS_OK && i < cal->count; i++) {
		const struct calendar_entry *e = &cal->entries[i];
		if (e->year != year)
			continue;
		char day[16];
		snprintf(day, sizeof day, "%04d-%02d-%02d", e->year, e->month, e->day);
		st = db_prepare(c, "INSERT INTO calendar_entry (day, kind, name, source, imported_at)"
				   " VALUES (?1, ?2, ?3, ?4, ?5)", &q);
		if (st)
			break;
		db_bind_text(q, 1, day);
		db_bind_text(q, 2, kind_name(e->kind));
		db_bind_text(q, 3, e->name);
		db_bind_text(q, 4, e->source != NULL ? e->source : "");
		db_bind_int64(q, 5, now);
		st = db_exec(q);
		if (e->kind == CALENDAR_ENTRY_DAY_OFF)
			(*days_off)++;
		else
			(*working_days)++;
	}
	return st;
}

enum status calendar_store_import(struct db_conn *c, const struct calendar *cal, const int *years,
				  size_t nyears, int64_t now, const struct audit_actor *actor,
				  int64_t *replaced)
{
	if (nyears == 0 || nyears > CALENDAR_STORE_YEARS_MAX)
		return STATUS_INVALID;
	for (size_t i = 0; i < nyears; i++)
		if (!clock_valid_date(years[i], 1, 1))
			return STATUS_INVALID;
	json_t *after = json_pack("{s:[], s:I, s:I, s:I}", "years", "day_off", (json_int_t)0,
				  "working_day", (json_int_t)0, "replaced", (json_int_t)0);
	if (after == NULL)
		return STATUS_INTERNAL;
	enum status st = db_begin(c);
	int64_t days_off = 0, working_days = 0, replaced_all = 0;
	for (size_t i = 0; st == STATUS_OK && i < nyears; i++) {
		int64_t was = 0;
		st = replace_year(c, cal, years[i], now, &was, &days_off, &working_days);
		if (replaced != NULL)
			replaced[i] = was;
		replaced_all += was;
		json_array_append_new(json_object_get(after, "years"), json_integer(years[i]));
	}
	if (st == STATUS_OK) {
		json_object_set_new(after, "day_off", json_integer(days_off));
		json_object_set_new(after, "working_day", json_integer(working_days));
		json_object_set_new(after, "replaced", json_integer(replaced_all));
		/* The schedule is the deployment's; the record goes to the first unit's log. */
		st = audit_append(c, 1, actor, now, "calendar.import", "calendar_year", years[0],
				  NULL, after);
	}
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st)
		db_rollback(c);
	json_decref(after);
	return st;
}
