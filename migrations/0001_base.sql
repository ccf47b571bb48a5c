-- 0001_base.sql: units
CREATE TABLE unit (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
);
