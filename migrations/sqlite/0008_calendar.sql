-- 0008_calendar.sql: the official yearly schedule of days off and swapped working days
-- (làm bù), imported by the admin with `phuong calendar import`. Deployment-wide, with no
-- unit_id: the schedule is national (the Prime Minister's and the Ministry of Home
-- Affairs' announcements), so every unit of a province reads the same rows. One row a
-- date. A year with at least one 'day_off' row is official: its days off are exactly its
-- rows; a year without one gets the computed proposal (src/worktime/calendar.h), plus any
-- 'working_day' rows. An import replaces whole years in one transaction.
--
-- Working hours are per unit and are not a table here: they are two rows of the unit's
-- `setting` table (0001), 'worktime.days' ('mon-fri') and 'worktime.hours'
-- ('07:30-11:30,13:00-17:00'), in the text form `phuong calendar hours` takes, checked by
-- the program (src/app/calendar_store.c) on write and on read. They are two values read
-- and changed together, `setting` is already keyed by unit and carried by migrate-to, and
-- a unit without rows gets the defaults, so a table of their own would add nothing.
CREATE TABLE calendar_entry (
	day TEXT PRIMARY KEY              -- 'YYYY-MM-DD', local date
		CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	kind TEXT NOT NULL CHECK (kind IN ('day_off', 'working_day')),
	name TEXT NOT NULL,                -- "Tết Nguyên đán Bính Ngọ", "Làm bù cho Thứ Sáu 02/01/2026"
	source TEXT NOT NULL DEFAULT '',   -- the announcing document or its address, from the file
	imported_at INTEGER NOT NULL       -- UTC seconds of the import that wrote the row
);
