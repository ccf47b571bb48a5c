-- 0002_audit.sql: the append-only, hash-chained audit log of staff writes.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL,
	at INTEGER NOT NULL,
	user_id INTEGER,                    -- NULL for the command line
	actor TEXT NOT NULL,                -- username at the time, or "cli"
	action TEXT NOT NULL,               -- "article.update", "user.create", ...
	object_type TEXT NOT NULL,
	object_id INTEGER,
	before_json TEXT,
	after_json TEXT,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
