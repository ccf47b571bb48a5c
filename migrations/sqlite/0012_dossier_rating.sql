-- 0012_dossier_rating.sql (sqlite): the citizen's satisfaction rating of a returned dossier.
-- One per dossier, given by the citizen through the public lookup (code and the last digits of
-- the phone number on the receipt); staff read it and never write it, so the rows cannot be
-- changed or deleted once given.
CREATE TABLE dossier_rating (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	dossier_id INTEGER NOT NULL UNIQUE REFERENCES dossier(id),
	procedure_id INTEGER NOT NULL REFERENCES procedure(id), -- copied, for statistics
	rated_at INTEGER NOT NULL,
	overall INTEGER NOT NULL CHECK (overall BETWEEN 1 AND 3), -- 3 rất hài lòng, 2 hài lòng, 1 không hài lòng
	comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dossier_rating_unit ON dossier_rating(unit_id, rated_at);

-- The answer to each official criterion the citizen chose to rate (1..12, same scale).
CREATE TABLE dossier_rating_answer (
	rating_id INTEGER NOT NULL REFERENCES dossier_rating(id),
	criterion INTEGER NOT NULL CHECK (criterion BETWEEN 1 AND 12),
	level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
	PRIMARY KEY (rating_id, criterion)
);

CREATE TRIGGER dossier_rating_no_update BEFORE UPDATE ON dossier_rating
BEGIN
	SELECT RAISE(ABORT, 'a rating is never changed');
END;
CREATE TRIGGER dossier_rating_no_delete BEFORE DELETE ON dossier_rating
BEGIN
	SELECT RAISE(ABORT, 'a rating is never changed');
END;
CREATE TRIGGER dossier_rating_answer_no_update BEFORE UPDATE ON dossier_rating_answer
BEGIN
	SELECT RAISE(ABORT, 'a rating is never changed');
END;
CREATE TRIGGER dossier_rating_answer_no_delete BEFORE DELETE ON dossier_rating_answer
BEGIN
	SELECT RAISE(ABORT, 'a rating is never changed');
END;
