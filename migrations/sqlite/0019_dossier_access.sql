-- 0019_dossier_access.sql (sqlite): staff reading a dossier, written down (the personal data
-- protection law makes the unit answer for who read a citizen's data): its page, a file the
-- citizen attached, a printed form. One row per reading; the server keeps readings in
-- memory and writes them in one transaction every 2 s (src/onestop/dossier_access.h).
--
-- Not the hash-chained audit_log: a chain row reads the head and hashes it under the
-- writers' lock, so every staff read would queue behind every write; readings change
-- nothing, so an append-only table (the triggers below) scoped by unit is enough. No
-- foreign key to dossier: the record outlives a dossier removed as spam. Kept as long as
-- the dossiers are (README, "Who read a dossier").
CREATE TABLE dossier_access (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	dossier_id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	actor TEXT NOT NULL,                  -- the username at the time
	kind TEXT NOT NULL CHECK (kind IN ('page', 'file', 'form')),
	detail TEXT NOT NULL,                 -- the file's name, the form's title; '' for the page
	at INTEGER NOT NULL
);
CREATE INDEX dossier_access_dossier ON dossier_access (unit_id, dossier_id, id);

CREATE TRIGGER dossier_access_no_update BEFORE UPDATE ON dossier_access
BEGIN
	SELECT RAISE(ABORT, 'dossier_access is append-only');
END;

CREATE TRIGGER dossier_access_no_delete BEFORE DELETE ON dossier_access
BEGIN
	SELECT RAISE(ABORT, 'dossier_access is append-only');
END;
