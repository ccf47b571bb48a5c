-- 0007_procedures.sql: the catalogue of administrative procedures (thủ tục hành chính)
-- of the one-stop shop. A procedure is a code of its unit; what it requires (documents,
-- fee, times, legal basis) lives in versions. Editing adds a version and never changes
-- one: a dossier keeps the version in force when it was received.
CREATE TABLE procedure (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	code TEXT NOT NULL,                  -- "dang-ky-khai-sinh": a-z 0-9 -, the page's address
	current_version_id INTEGER,          -- procedure_version.id in force now (no FK: the two
	                                     -- tables point at each other; set in the same transaction)
	is_active INTEGER NOT NULL DEFAULT 1, -- 0: no longer offered (kept for old dossiers)
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (unit_id, code)
);

CREATE TABLE procedure_version (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	procedure_id INTEGER NOT NULL REFERENCES procedure(id),
	version INTEGER NOT NULL,            -- 1, 2, ... per procedure
	name TEXT NOT NULL,
	field TEXT NOT NULL,                 -- lĩnh vực: "Hộ tịch", "Chứng thực", ...
	national_code TEXT NOT NULL DEFAULT '', -- mã TTHC of the national database, "1.001193"
	legal_basis TEXT NOT NULL,           -- căn cứ pháp lý, as the catalogue states it
	basis_document TEXT NOT NULL DEFAULT '', -- number and version: "Nghị định 23/2015/NĐ-CP"
	basis_effective TEXT,                -- "YYYY-MM-DD" the basis took effect, NULL if unknown
	documents TEXT NOT NULL,             -- JSON [{"name": ..., "copies": N, "note": ...}]
	fee_text TEXT NOT NULL DEFAULT '',   -- fees vary by province and case: the words count
	fee_amount INTEGER,                  -- đồng; 0 free; NULL no single amount (see fee_text)
	legal_time_kind TEXT NOT NULL
		CHECK (legal_time_kind IN ('working_days', 'working_hours', 'same_day')),
	legal_time_amount INTEGER NOT NULL,  -- days or hours; 0 for same_day (15:00 rule)
	time_note TEXT NOT NULL DEFAULT '',  -- "Trường hợp cần xác minh: không quá 5 ngày làm việc"
	promise_kind TEXT                    -- the unit's own promise ("24 giờ"), shorter; NULL none
		CHECK (promise_kind IN ('working_days', 'working_hours', 'same_day')),
	promise_amount INTEGER,
	result TEXT NOT NULL,                -- kết quả: "Giấy khai sinh"
	online_level TEXT NOT NULL CHECK (online_level IN ('toan_trinh', 'mot_phan', 'truc_tiep')),
	office TEXT NOT NULL,                -- cơ quan thực hiện
	note TEXT NOT NULL DEFAULT '',       -- ghi chú, e.g. what is not yet confirmed
	saved_at INTEGER NOT NULL,
	saved_by TEXT NOT NULL,
	UNIQUE (procedure_id, version)
);
CREATE INDEX procedure_version_unit ON procedure_version(unit_id, procedure_id);

CREATE TRIGGER procedure_version_no_update BEFORE UPDATE ON procedure_version
BEGIN
	SELECT RAISE(ABORT, 'procedure_version rows are never changed: add a version');
END;

CREATE TRIGGER procedure_version_no_delete BEFORE DELETE ON procedure_version
BEGIN
	SELECT RAISE(ABORT, 'procedure_version rows are kept for the dossiers received under them');
END;

-- Folded text of the current version (text_fold, as article_search), rowid = procedure.id.
CREATE VIRTUAL TABLE procedure_search USING fts5(name, body, tokenize = 'unicode61');
