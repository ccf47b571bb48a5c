-- 0004_news.sql: news categories, articles, their photos and revisions, search index.
CREATE TABLE category (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	slug TEXT NOT NULL,
	name TEXT NOT NULL,
	position INTEGER NOT NULL DEFAULT 0,
	UNIQUE (unit_id, slug)
);

CREATE TABLE article (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	category_id INTEGER NOT NULL REFERENCES category(id),
	slug TEXT NOT NULL,
	title TEXT NOT NULL,
	author TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,                  -- Markdown, NFC
	status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
	published_at INTEGER NOT NULL,       -- the date shown; in the future = scheduled
	unpublish_at INTEGER,                -- taken down from then on, if set
	views INTEGER NOT NULL DEFAULT 0,
	revision INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	created_by INTEGER,
	updated_by INTEGER
);
CREATE INDEX article_public ON article(unit_id, status, published_at DESC);
CREATE INDEX article_by_category ON article(unit_id, category_id, status, published_at DESC);

CREATE TABLE article_photo (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
	position INTEGER NOT NULL DEFAULT 0,
	large_hash TEXT NOT NULL REFERENCES file(hash),   -- page size
	thumb_hash TEXT NOT NULL REFERENCES file(hash),   -- thumbnail
	width INTEGER NOT NULL,
	height INTEGER NOT NULL,
	caption TEXT NOT NULL DEFAULT ''
);
CREATE INDEX article_photo_article ON article_photo(article_id, position);

CREATE TABLE article_revision (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES unit(id),
	article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
	revision INTEGER NOT NULL,
	category_id INTEGER NOT NULL,
	title TEXT NOT NULL,
	author TEXT NOT NULL,
	body TEXT NOT NULL,
	published_at INTEGER NOT NULL,
	unpublish_at INTEGER,
	saved_at INTEGER NOT NULL,
	saved_by TEXT NOT NULL,
	UNIQUE (article_id, revision)
);

-- Folded text (tone marks, case and đ removed in the program, see text_fold), rowid = article.id.
CREATE VIRTUAL TABLE article_search USING fts5(title, body, tokenize = 'unicode61');
