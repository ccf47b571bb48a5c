-- 0003_files.sql (PostgreSQL): uploaded files, addressed by the SHA-256 of their bytes
CREATE TABLE file (
	hash TEXT PRIMARY KEY,
	unit_id BIGINT NOT NULL REFERENCES unit(id),
	mime TEXT NOT NULL,
	bytes BYTEA NOT NULL,
	width BIGINT,
	height BIGINT,
	created_at BIGINT NOT NULL
);
CREATE INDEX file_unit ON file (unit_id);
