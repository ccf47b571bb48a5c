-- 0009_dossiers.sql: dossiers (hồ sơ) of the one-stop shop, their history and control
-- sheet (Mẫu 06), the daily numbers of their codes, and the throttle of the public lookup.
-- Designed for the whole of the one-stop flow: supplement (Mẫu 02), refusal (Mẫu 03),
-- stop (Mẫu 04), apology (Mẫu 05), the tracking book, ratings and statistics use these
-- columns later.
CREATE TABLE dossier (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	code TEXT NOT NULL UNIQUE,            -- "UNITCODE-YYMMDD-NNNN", never reused
	procedure_id INTEGER NOT NULL REFERENCES procedure(id),
	procedure_version_id INTEGER NOT NULL REFERENCES procedure_version(id), -- rules in force at receipt
	channel TEXT NOT NULL,                -- 'counter' | 'online'
	applicant_name TEXT NOT NULL,
	applicant_id_number TEXT NOT NULL DEFAULT '', -- số định danh cá nhân
	applicant_address TEXT NOT NULL DEFAULT '',
	applicant_phone TEXT NOT NULL DEFAULT '',
	applicant_email TEXT NOT NULL DEFAULT '',
	documents TEXT NOT NULL DEFAULT '[]', -- JSON [{"name", "kind": original|certified_copy|copy, "copies"}]
	sets INTEGER NOT NULL DEFAULT 1,      -- số bộ hồ sơ
	received_at INTEGER NOT NULL,
	due_at INTEGER NOT NULL,              -- legal appointment (ngày hẹn trả)
	promise_due_at INTEGER,               -- the unit's shorter promise, NULL if none
	status TEXT NOT NULL,                 -- received | processing | awaiting_signature |
	                                      -- result_ready | returned | withdrawn | supplement |
	                                      -- refused | stopped
	national_status INTEGER NOT NULL,     -- 1..10 of the national one-stop system
	delivery TEXT NOT NULL DEFAULT 'counter', -- 'counter' | 'post' | 'online'
	idempotency_key TEXT,                 -- online submission token: one dossier per token
	paused_at INTEGER,                    -- supplement awaited since
	paused_left INTEGER,                  -- working seconds left when paused
	finished_at INTEGER,                  -- result ready (or refused / stopped)
	returned_at INTEGER,                  -- handed to the citizen
	book_volume INTEGER,                  -- sổ theo dõi: quyển số
	book_line INTEGER,                    -- số thứ tự trong sổ
	created_by INTEGER,                   -- app_user.id; NULL for an online submission
	UNIQUE (unit_id, idempotency_key)
);
CREATE INDEX dossier_queue ON dossier(unit_id, status, due_at);
CREATE INDEX dossier_received ON dossier(unit_id, received_at);

CREATE TABLE dossier_event (
	id INTEGER PRIMARY KEY,
	dossier_id INTEGER NOT NULL REFERENCES dossier(id),
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	at INTEGER NOT NULL,
	actor_id INTEGER,                     -- app_user.id; NULL for the citizen or the system
	actor_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,                 -- receive | take | submit | sign | return | withdraw ...
	from_status TEXT,
	to_status TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	step_due_at INTEGER,                  -- when the step that ends here was due
	outcome TEXT                          -- 'early' | 'on_time' | 'late', NULL when not timed
);
CREATE INDEX dossier_event_dossier ON dossier_event(dossier_id, at);

-- The last number given each day (local date) per unit. Incremented inside the intake
-- transaction: a rolled-back intake gives its number back before anyone saw it.
CREATE TABLE dossier_sequence (
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	day TEXT NOT NULL,                    -- "YYMMDD"
	last_number INTEGER NOT NULL,
	PRIMARY KEY (unit_id, day)
);

-- Public lookups by address, to slow down guessing codes and phone numbers.
CREATE TABLE dossier_lookup (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL,
	client_ip TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX dossier_lookup_ip ON dossier_lookup(client_ip, at);

-- Files a citizen attached to an online submission (PDF, JPEG, PNG, checked by content).
-- Kept apart from the table of public files: never served at a public address.
CREATE TABLE dossier_file (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	dossier_id INTEGER NOT NULL REFERENCES dossier(id),
	name TEXT NOT NULL,                   -- as the citizen named it, cleaned
	mime TEXT NOT NULL,                   -- application/pdf | image/jpeg | image/png
	hash TEXT NOT NULL,                   -- SHA-256 of the bytes, hex
	size INTEGER NOT NULL,
	bytes BLOB NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX dossier_file_dossier ON dossier_file(dossier_id);
