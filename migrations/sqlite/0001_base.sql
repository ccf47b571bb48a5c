-- 0001_base.sql: units (wards/communes), staff accounts, sessions, login throttling, settings.
-- Every table that holds a unit's data has unit_id.
CREATE TABLE unit (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,          -- the unit code used in dossier codes later
	name TEXT NOT NULL,                 -- "Phường 9"
	created_at INTEGER NOT NULL
);

CREATE TABLE unit_host (
	host TEXT PRIMARY KEY,              -- a host name that selects this unit
	unit_id INTEGER NOT NULL REFERENCES unit(id)
);

CREATE TABLE app_user (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	username TEXT NOT NULL,
	display_name TEXT NOT NULL,
	password_hash TEXT NOT NULL,        -- argon2id, libsodium's string form
	role TEXT NOT NULL,                 -- admin, editor (later parts add roles)
	is_active INTEGER NOT NULL DEFAULT 1,
	must_change_password INTEGER NOT NULL DEFAULT 0, -- set for a printed one-time password
	created_at INTEGER NOT NULL,
	UNIQUE (unit_id, username)
);

CREATE TABLE session (
	token_hash TEXT PRIMARY KEY,        -- hex BLAKE2b of the cookie token: a leaked table opens no session
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX session_user ON session(user_id);

CREATE TABLE login_failure (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL,
	username TEXT NOT NULL,
	client_ip TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX login_failure_lookup ON login_failure(unit_id, username, at);
CREATE INDEX login_failure_ip ON login_failure(client_ip, at);

CREATE TABLE setting (
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (unit_id, name)
);
