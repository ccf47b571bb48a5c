-- 0006_page_generation.sql: a number per unit that every successful staff
-- write bumps. Each node keeps rendered public pages with the number they were made at
-- and serves one only while the number is unchanged (src/app/page_cache.h), so a write
-- through any node is seen on the next request to every node.
CREATE TABLE page_generation (
	unit_id INTEGER PRIMARY KEY REFERENCES unit(id),
	generation INTEGER NOT NULL
);
