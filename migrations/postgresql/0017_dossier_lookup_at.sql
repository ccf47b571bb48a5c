-- 0017_dossier_lookup_at.sql (postgresql): every counted public lookup deletes the rows older than
-- the throttle's window (at < now - 600) from all addresses and units; without this index
-- that DELETE read the whole table, which holds every lookup of the last 10 minutes (of a
-- whole province on a shared database).
CREATE INDEX dossier_lookup_at ON dossier_lookup(at);
