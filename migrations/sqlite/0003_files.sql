-- 0003_files.sql: uploaded files, addressed by the SHA-256 of their bytes
CREATE TABLE file (
	hash TEXT PRIMARY KEY,      -- sha256 of bytes, 64 lowercase hex digits
	unit_id INTEGER NOT NULL REFERENCES unit(id), -- the unit that stored these bytes first
	mime TEXT NOT NULL,
	bytes BLOB NOT NULL,
	width INTEGER,              -- pixels, NULL when not an image
	height INTEGER,
	created_at INTEGER NOT NULL -- UTC seconds
);
CREATE INDEX file_unit ON file (unit_id);
