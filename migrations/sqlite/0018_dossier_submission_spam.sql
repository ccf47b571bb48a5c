-- 0018_dossier_submission_spam.sql (sqlite): the throttle of online submissions, counted in
-- the database so that every node sees the same counts (per unit and client address, and the
-- bytes a unit received from anonymous citizens in the last hour), and the record left by a
-- submission a clerk marked as spam (its dossier, events and files are deleted; its code,
-- kept here and in the day's sequence, is never given again).
CREATE TABLE dossier_submission (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	client_ip TEXT NOT NULL,
	at INTEGER NOT NULL,
	bytes INTEGER NOT NULL                -- of the attached files
);
CREATE INDEX dossier_submission_address ON dossier_submission(unit_id, client_ip, at);
CREATE INDEX dossier_submission_at ON dossier_submission(unit_id, at);

CREATE TABLE dossier_spam (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	dossier_id INTEGER NOT NULL,          -- the id the dossier had (the audit log's entity id)
	code TEXT NOT NULL UNIQUE,
	procedure_id INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	marked_at INTEGER NOT NULL,
	marked_by INTEGER NOT NULL,           -- app_user.id of the clerk
	files INTEGER NOT NULL,               -- attachments deleted
	bytes INTEGER NOT NULL                -- and their size
);
CREATE INDEX dossier_spam_unit ON dossier_spam(unit_id, marked_at);
