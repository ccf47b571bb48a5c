-- 0005_file_use.sql: which units stored which file. The bytes are kept once (content
-- addressing), but a unit reads only the files it stored itself, so one commune can
-- never fetch another's upload by its hash.
CREATE TABLE file_use (
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	hash TEXT NOT NULL REFERENCES file(hash),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (unit_id, hash)
);
INSERT INTO file_use (unit_id, hash, created_at) SELECT unit_id, hash, created_at FROM file;
