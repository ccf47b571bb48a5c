-- 0008_calendar.sql (PostgreSQL): the official yearly schedule of days off and swapped
-- working days, imported by the admin; deployment-wide (the schedule is national), one row
-- a date. The same table as migrations/sqlite/0008_calendar.sql, whose comment tells how a
-- year becomes official and why a unit's working hours live in `setting` ('worktime.days',
-- 'worktime.hours') rather than in a table of their own. The date stays text, not DATE,
-- so that both stores read it back the same whatever DateStyle says.
CREATE TABLE calendar_entry (
	day TEXT PRIMARY KEY CHECK (day ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'),
	kind TEXT NOT NULL CHECK (kind IN ('day_off', 'working_day')),
	name TEXT NOT NULL,
	source TEXT NOT NULL DEFAULT '',
	imported_at BIGINT NOT NULL
);
