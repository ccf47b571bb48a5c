-- 0010_unit_key.sql (sqlite): each unit's Ed25519 key pair that signs the QR code of its
-- dossier receipts (src/onestop/receipt.h), made on first use. Hex text, so both stores
-- read it back the same.
--
-- Whoever can read this table can sign receipts in the unit's name: keep the database
-- (and its backups) as private as the passwords. One key per unit for now; to rotate, a
-- DBA replaces the row (receipts signed with the old key then stop checking as genuine),
-- and a later migration can keep old public keys as versions.
CREATE TABLE unit_key (
	unit_id INTEGER PRIMARY KEY REFERENCES unit(id),
	public_key TEXT NOT NULL CHECK (length(public_key) = 64),
	secret_key TEXT NOT NULL CHECK (length(secret_key) = 128),
	created_at INTEGER NOT NULL
);
