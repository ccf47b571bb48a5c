-- 0011_dossier_extension.sql (postgresql): the new appointment a leader gives with a letter
-- of apology (Mẫu 04). due_at keeps the legal appointment, so statistics still count the
-- dossier late; this is only what the citizen is told.
ALTER TABLE dossier ADD COLUMN extended_due_at BIGINT;
