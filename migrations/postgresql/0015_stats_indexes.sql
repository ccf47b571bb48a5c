-- 0015_stats_indexes.sql: the indexes the one-stop statistics read by.
-- Dossiers finished in a month (the month's results, on time or late) and the ones still
-- open at its end (finished_at NULL or after it, received before it), with the columns
-- those counts need, so a month never reads the unit's whole history.
CREATE INDEX dossier_finished ON dossier(unit_id, finished_at, received_at, due_at, status);
-- The latest "take" of a dossier names its officer: found without reading its other events.
CREATE INDEX dossier_event_take ON dossier_event(dossier_id, at, id, unit_id, actor_id)
	WHERE action = 'take';
