-- 0002_audit.sql (PostgreSQL): the append-only, hash-chained audit log of staff writes.
-- Ids are given by the program (the chain's order), not by a sequence.
CREATE TABLE audit_log (
	id BIGINT PRIMARY KEY,
	unit_id BIGINT NOT NULL,
	at BIGINT NOT NULL,
	user_id BIGINT,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id BIGINT,
	before_json TEXT,
	after_json TEXT,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only';
END
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
