-- 0020_unit_host_position.sql (postgresql): a unit's host names keep the order the province
-- admin gave them: the first is the name its absolute URLs (feeds, sitemap, canonical links,
-- receipts) are made with, whichever of its names a visitor used. The index finds a unit's
-- first name for every request.
ALTER TABLE unit_host ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
CREATE INDEX unit_host_unit ON unit_host(unit_id, position, host);
