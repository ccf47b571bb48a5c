-- 0013_dossier_promise_pause.sql (sqlite): a supplement request (Mẫu 02) pauses the unit's
-- promise as it pauses the legal appointment: the working seconds left until promise_due_at
-- when the request was made, so the promise moves on by the same rule when the complete
-- supplement is received.
ALTER TABLE dossier ADD COLUMN paused_promise_left INTEGER;
