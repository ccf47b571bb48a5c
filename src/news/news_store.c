/* news_store.c: categories, articles, photos, revisions and the search index (all of news' SQL) */
#include "news/news.h"

#include "audit/audit.h"
#include "base/arena.h"
#include "store/store.h"
#include "text/text.h"

#include <string.h>

/* Columns read by read_article(), in order. Lists read the first 600 bytes of the
 * body only (enough for a lead); a single article reads all of it. */
#define ARTICLE_COLUMNS(body) \
	"a.id, a.category_id, a.slug, a.title, a.author, " body ", a.status, a.published_at," \
	" coalesce(a.unpublish_at, 0), a.views, a.revision, a.updated_at, c.slug, c.name," \
	" (SELECT p.thumb_hash FROM article_photo p WHERE p.article_id = a.id" \
	"  ORDER BY p.position, p.id LIMIT 1)"
#define ARTICLE_FROM " FROM article a JOIN category c ON c.id = a.category_id"
#define ARTICLE_IS_PUBLIC \
	" a.status = 'published' AND a.published_at <= ?2" \
	" AND (a.unpublish_at IS NULL OR a.unpublish_at > ?2)"

static char *column_dup(struct arena *a, struct db_stmt *s, int col)
{
	return arena_strndup(a, db_column_text(s, col), db_column_bytes(s, col));
}

static void read_article(struct db_stmt *s, struct arena *a, struct news_article *out)
{
	*out = (struct news_article){
		.id = db_column_int64(s, 0),
		.category_id = db_column_int64(s, 1),
		.slug = column_dup(a, s, 2),
		.title = column_dup(a, s, 3),
		.author = column_dup(a, s, 4),
		.body = column_dup(a, s, 5),
		.status = column_dup(a, s, 6),
		.published_at = db_column_int64(s, 7),
		.unpublish_at = db_column_int64(s, 8),
		.views = db_column_int64(s, 9),
		.revision = db_column_int64(s, 10),
		.updated_at = db_column_int64(s, 11),
		.category_slug = column_dup(a, s, 12),
		.category_name = column_dup(a, s, 13),
		.thumb_hash = db_column_is_null(s, 14) ? NULL : column_dup(a, s, 14),
	};
}

/* Reads every row of s into an arena array (at most limit rows). */
static enum status read_articles(struct db_stmt *s, struct arena *a, int64_t limit,
				 struct news_article **out, size_t *count)
{
	struct news_article *list = arena_alloc(a, sizeof *list * (size_t)(limit > 0 ? limit : 1));
	if (list == NULL)
		return STATUS_TOO_LARGE;
	size_t n = 0;
	bool has_row;
	enum status st;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row && n < (size_t)limit)
		read_article(s, a, &list[n++]);
	*out = list;
	*count = n;
	return st;
}

/* ---- categories ---- */

enum status news_category_list(struct db_conn *c, struct arena *a, int64_t unit_id,
			       struct news_category **out, size_t *count)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT count(*) FROM category WHERE unit_id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	int64_t total;
	st = db_query_int64(s, &total);
	if (st)
		return st;
	st = db_prepare(c, "SELECT id, slug, name, position FROM category WHERE unit_id = ?1"
			   " ORDER BY position, id", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	struct news_category *list = arena_alloc(a, sizeof *list * (size_t)(total + 1));
	if (list == NULL)
		return STATUS_TOO_LARGE;
	size_t n = 0;
	bool has_row;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row && n < (size_t)total) {
		list[n++] = (struct news_category){
			.id = db_column_int64(s, 0),
			.slug = column_dup(a, s, 1),
			.name = column_dup(a, s, 2),
			.position = db_column_int64(s, 3),
		};
	}
	*out = list;
	*count = n;
	return st;
}

enum status news_category_find(struct db_conn *c, struct arena *a, int64_t unit_id,
			       const char *slug, struct news_category *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT id, slug, name, position FROM category"
				       " WHERE unit_id = ?1 AND slug = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, slug);
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		return st;
	if (!has_row)
		return STATUS_NOT_FOUND;
	*out = (struct news_category){
		.id = db_column_int64(s, 0),
		.slug = column_dup(a, s, 1),
		.name = column_dup(a, s, 2),
		.position = db_column_int64(s, 3),
	};
	return STATUS_OK;
}

enum status news_category_save(struct db_conn *c, struct arena *a, int64_t unit_id,
			       int64_t id, const char *name, const struct audit_actor *actor,
			       int64_t now, int64_t *id_out)
{
	const char *slug = text_slug(a, name, strlen(name), NEWS_SLUG_MAX);
	if (slug == NULL || *slug == '\0')
		return STATUS_INVALID;
	enum status st = db_begin(c);
	if (st)
		return st;
	const char *action = id == 0 ? "category.create" : "category.update";
	struct db_stmt *s;
	if (id == 0) {
		st = db_prepare(c, "INSERT INTO category (unit_id, slug, name, position)"
				   " VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1"
				   " FROM category WHERE unit_id = ?1))", &s);
		if (st)
			goto fail;
		db_bind_int64(s, 1, unit_id);
		db_bind_text(s, 2, slug);
		db_bind_text(s, 3, name);
		st = db_exec(s);
		id = db_last_insert_id(c);
	} else {
		st = db_prepare(c, "UPDATE category SET name = ?3, slug = ?4"
				   " WHERE id = ?1 AND unit_id = ?2", &s);
		if (st)
			goto fail;
		db_bind_int64(s, 1, id);
		db_bind_int64(s, 2, unit_id);
		db_bind_text(s, 3, name);
		db_bind_text(s, 4, slug);
		st = db_exec(s);
		if (st == STATUS_OK && db_changes(c) == 0)
			st = STATUS_NOT_FOUND;
	}
	if (st)
		goto fail;
	json_t *after = json_pack("{s:s, s:s}", "name", name, "slug", slug);
	st = audit_append(c, unit_id, actor, now, action, "category", id, NULL, after);
	json_decref(after);
	if (st)
		goto fail;
	if (id_out != NULL)
		*id_out = id;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

/* ---- reading articles ---- */

enum status news_article_get(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t id,
			     bool only_public, int64_t now, struct news_article *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT " ARTICLE_COLUMNS("a.body") ARTICLE_FROM
				       " WHERE a.id = ?1 AND a.unit_id = ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 3, unit_id);
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		return st;
	if (!has_row)
		return STATUS_NOT_FOUND;
	read_article(s, a, out);
	if (only_public && !news_is_public(out, now))
		return STATUS_NOT_FOUND;
	return STATUS_OK;
}

enum status news_article_photos(struct db_conn *c, struct arena *a, int64_t unit_id,
				int64_t article_id, struct news_photo **out, size_t *count)
{
	enum { MAX_PHOTOS = 50 };
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT id, large_hash, thumb_hash, caption, width, height"
				       " FROM article_photo WHERE article_id = ?1 AND unit_id = ?2"
				       " ORDER BY position, id LIMIT 50", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, article_id);
	db_bind_int64(s, 2, unit_id);
	struct news_photo *list = arena_alloc(a, sizeof *list * MAX_PHOTOS);
	if (list == NULL)
		return STATUS_TOO_LARGE;
	size_t n = 0;
	bool has_row;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row && n < MAX_PHOTOS) {
		list[n++] = (struct news_photo){
			.id = db_column_int64(s, 0),
			.large_hash = column_dup(a, s, 1),
			.thumb_hash = column_dup(a, s, 2),
			.caption = column_dup(a, s, 3),
			.width = db_column_int64(s, 4),
			.height = db_column_int64(s, 5),
		};
	}
	*out = list;
	*count = n;
	return st;
}

enum status news_list_public(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t now,
			     const struct news_filter *f, int64_t limit, int64_t offset,
			     struct news_article **out, size_t *count, int64_t *total)
{
	struct db_stmt *s;
	/* ?3 = 0 means every category; ?4/?5 = 0 mean no date bound. */
	enum status st = db_prepare(c, "SELECT count(*)" ARTICLE_FROM " WHERE a.unit_id = ?1 AND"
				       ARTICLE_IS_PUBLIC " AND (?3 = 0 OR a.category_id = ?3)"
				       " AND (?4 = 0 OR a.published_at >= ?4)"
				       " AND (?5 = 0 OR a.published_at < ?5)", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, now);
	db_bind_int64(s, 3, f->category_id);
	db_bind_int64(s, 4, f->from);
	db_bind_int64(s, 5, f->to);
	st = db_query_int64(s, total);
	if (st)
		return st;
	st = db_prepare(c, "SELECT " ARTICLE_COLUMNS("substr(a.body, 1, 600)") ARTICLE_FROM
			   " WHERE a.unit_id = ?1 AND" ARTICLE_IS_PUBLIC
			   " AND (?3 = 0 OR a.category_id = ?3)"
			   " AND (?4 = 0 OR a.published_at >= ?4)"
			   " AND (?5 = 0 OR a.published_at < ?5)"
			   " ORDER BY a.published_at DESC, a.id DESC LIMIT ?6 OFFSET ?7", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, now);
	db_bind_int64(s, 3, f->category_id);
	db_bind_int64(s, 4, f->from);
	db_bind_int64(s, 5, f->to);
	db_bind_int64(s, 6, limit);
	db_bind_int64(s, 7, offset);
	return read_articles(s, a, limit, out, count);
}

enum status news_list_all(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t limit,
			  int64_t offset, struct news_article **out, size_t *count, int64_t *total)
{
	enum status st = news_article_count(c, unit_id, total);
	if (st)
		return st;
	struct db_stmt *s;
	st = db_prepare(c, "SELECT " ARTICLE_COLUMNS("''") ARTICLE_FROM " WHERE a.unit_id = ?1"
			   " ORDER BY a.updated_at DESC, a.id DESC LIMIT ?2 OFFSET ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, limit);
	db_bind_int64(s, 3, offset);
	return read_articles(s, a, limit, out, count);
}

enum status news_search(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t now,
			const char *fts_query, int64_t limit, int64_t offset,
			struct news_article **out, size_t *count, int64_t *total)
{
	struct db_stmt *s;
	/* ?3 holds plain folded words (news_search_query): FTS5 reads them as all required,
	 * and so does plainto_tsquery on the 'simple' configuration. */
	enum status st = db_prepare_each(c,
		"SELECT count(*) FROM article_search JOIN article a ON a.id = article_search.rowid"
		" WHERE article_search MATCH ?3 AND a.unit_id = ?1 AND" ARTICLE_IS_PUBLIC,
		"SELECT count(*) FROM article_search JOIN article a ON a.id = article_search.rowid"
		" WHERE article_search.doc @@ plainto_tsquery('simple', ?3) AND a.unit_id = ?1 AND"
		ARTICLE_IS_PUBLIC, &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, now);
	db_bind_text(s, 3, fts_query);
	st = db_query_int64(s, total);
	if (st)
		return st;
	/* Title words weigh more than body words: five times in bm25, weight A against D
	 * (1.0 against 0.1) in ts_rank. */
	st = db_prepare_each(c,
		"SELECT " ARTICLE_COLUMNS("a.body")
		" FROM article_search JOIN article a ON a.id = article_search.rowid"
		" JOIN category c ON c.id = a.category_id"
		" WHERE article_search MATCH ?3 AND a.unit_id = ?1 AND" ARTICLE_IS_PUBLIC
		" ORDER BY bm25(article_search, 5.0, 1.0), a.published_at DESC, a.id DESC"
		" LIMIT ?4 OFFSET ?5",
		"SELECT " ARTICLE_COLUMNS("a.body")
		" FROM article_search JOIN article a ON a.id = article_search.rowid"
		" JOIN category c ON c.id = a.category_id"
		" WHERE article_search.doc @@ plainto_tsquery('simple', ?3) AND a.unit_id = ?1 AND"
		ARTICLE_IS_PUBLIC
		" ORDER BY ts_rank(article_search.doc, plainto_tsquery('simple', ?3)) DESC,"
		" a.published_at DESC, a.id DESC LIMIT ?4 OFFSET ?5", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, now);
	db_bind_text(s, 3, fts_query);
	db_bind_int64(s, 4, limit);
	db_bind_int64(s, 5, offset);
	return read_articles(s, a, limit, out, count);
}

enum status news_article_count(struct db_conn *c, int64_t unit_id, int64_t *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT count(*) FROM article WHERE unit_id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	return db_query_int64(s, out);
}

/* ---- writing articles ---- */

/* The state of an article as the audit log records it. */
static json_t *article_snapshot(const struct news_article *art)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:I}", "title", art->title,
			 "author", art->author, "body", art->body,
			 "category_id", (json_int_t)art->category_id, "status", art->status,
			 "published_at", (json_int_t)art->published_at,
			 "unpublish_at", (json_int_t)art->unpublish_at,
			 "revision", (json_int_t)art->revision);
}

static enum status index_article(struct db_conn *c, struct arena *a, int64_t id, const char *title,
				 const char *body)
{
	const char *folded_title = text_fold(a, title, strlen(title));
	const char *folded_body = text_fold(a, body, strlen(body));
	if (folded_title == NULL || folded_body == NULL)
		return STATUS_TOO_LARGE;
	struct db_stmt *s;
	enum status st = db_prepare(c, "DELETE FROM article_search WHERE rowid = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, id);
	st = db_exec(s);
	if (st)
		return st;
	st = db_prepare(c, "INSERT INTO article_search (rowid, title, body) VALUES (?1, ?2, ?3)", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, id);
	db_bind_text(s, 2, folded_title);
	db_bind_text(s, 3, folded_body);
	return db_exec(s);
}

static enum status save_revision(struct db_conn *c, int64_t unit_id, int64_t article_id,
				 int64_t revision, const struct news_input *in,
				 const struct audit_actor *actor, int64_t now)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "INSERT INTO article_revision (unit_id, article_id, revision,"
				       " category_id, title, author, body, published_at, unpublish_at,"
				       " saved_at, saved_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
				       " ?10, ?11)", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, article_id);
	db_bind_int64(s, 3, revision);
	db_bind_int64(s, 4, in->category_id);
	db_bind_text(s, 5, in->title);
	db_bind_text(s, 6, in->author);
	db_bind_text(s, 7, in->body);
	db_bind_int64(s, 8, in->published_at);
	if (in->unpublish_at)
		db_bind_int64(s, 9, in->unpublish_at);
	else
		db_bind_null(s, 9);
	db_bind_int64(s, 10, now);
	db_bind_text(s, 11, actor->name);
	return db_exec(s);
}

/* Whether the category belongs to the unit: an editor cannot file into another unit. */
static enum status check_category(struct db_conn *c, int64_t unit_id, int64_t category_id)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT count(*) FROM category WHERE id = ?1 AND unit_id = ?2",
				    &s);
	if (st)
		return st;
	db_bind_int64(s, 1, category_id);
	db_bind_int64(s, 2, unit_id);
	int64_t n;
	st = db_query_int64(s, &n);
	return st ? st : n == 1 ? STATUS_OK : STATUS_INVALID;
}

enum status news_article_create(struct db_conn *c, struct arena *a, int64_t unit_id,
				const struct news_input *in, bool publish,
				const struct audit_actor *actor, int64_t now, int64_t *id_out)
{
	const char *slug = text_slug(a, in->title, strlen(in->title), NEWS_SLUG_MAX);
	if (slug == NULL)
		return STATUS_TOO_LARGE;
	enum status st = db_begin(c);
	if (st)
		return st;
	st = check_category(c, unit_id, in->category_id);
	if (st)
		goto fail;
	struct db_stmt *s;
	st = db_prepare(c, "INSERT INTO article (unit_id, category_id, slug, title, author, body,"
			   " status, published_at, unpublish_at, views, revision, created_at,"
			   " updated_at, created_by, updated_by)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 1, ?10, ?10, ?11, ?11)", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, in->category_id);
	db_bind_text(s, 3, slug);
	db_bind_text(s, 4, in->title);
	db_bind_text(s, 5, in->author);
	db_bind_text(s, 6, in->body);
	db_bind_text(s, 7, publish ? "published" : "draft");
	db_bind_int64(s, 8, in->published_at);
	if (in->unpublish_at)
		db_bind_int64(s, 9, in->unpublish_at);
	else
		db_bind_null(s, 9);
	db_bind_int64(s, 10, now);
	if (actor->user_id > 0)
		db_bind_int64(s, 11, actor->user_id);
	else
		db_bind_null(s, 11);
	st = db_exec(s);
	if (st)
		goto fail;
	int64_t id = db_last_insert_id(c);
	st = save_revision(c, unit_id, id, 1, in, actor, now);
	if (st)
		goto fail;
	st = index_article(c, a, id, in->title, in->body);
	if (st)
		goto fail;
	struct news_article after = {
		.title = in->title, .author = in->author, .body = in->body,
		.category_id = in->category_id, .status = publish ? "published" : "draft",
		.published_at = in->published_at, .unpublish_at = in->unpublish_at, .revision = 1,
	};
	json_t *snapshot = article_snapshot(&after);
	st = audit_append(c, unit_id, actor, now, "article.create", "article", id, NULL, snapshot);
	json_decref(snapshot);
	if (st)
		goto fail;
	*id_out = id;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status news_article_update(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t id,
				const struct news_input *in, int publish,
				const struct audit_actor *actor, int64_t now)
{
	const char *slug = text_slug(a, in->title, strlen(in->title), NEWS_SLUG_MAX);
	if (slug == NULL)
		return STATUS_TOO_LARGE;
	enum status st = db_begin(c);
	if (st)
		return st;
	struct news_article before;
	st = news_article_get(c, a, unit_id, id, false, now, &before);
	if (st)
		goto fail;
	st = check_category(c, unit_id, in->category_id);
	if (st)
		goto fail;
	const char *status = publish > 0 ? "published" : publish < 0 ? "draft" : before.status;
	int64_t revision = before.revision + 1;
	struct db_stmt *s;
	st = db_prepare(c, "UPDATE article SET category_id = ?3, slug = ?4, title = ?5, author = ?6,"
			   " body = ?7, status = ?8, published_at = ?9, unpublish_at = ?10,"
			   " revision = ?11, updated_at = ?12, updated_by = ?13"
			   " WHERE id = ?1 AND unit_id = ?2", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, unit_id);
	db_bind_int64(s, 3, in->category_id);
	db_bind_text(s, 4, slug);
	db_bind_text(s, 5, in->title);
	db_bind_text(s, 6, in->author);
	db_bind_text(s, 7, in->body);
	db_bind_text(s, 8, status);
	db_bind_int64(s, 9, in->published_at);
	if (in->unpublish_at)
		db_bind_int64(s, 10, in->unpublish_at);
	else
		db_bind_null(s, 10);
	db_bind_int64(s, 11, revision);
	db_bind_int64(s, 12, now);
	if (actor->user_id > 0)
		db_bind_int64(s, 13, actor->user_id);
	else
		db_bind_null(s, 13);
	st = db_exec(s);
	if (st)
		goto fail;
	st = save_revision(c, unit_id, id, revision, in, actor, now);
	if (st)
		goto fail;
	st = index_article(c, a, id, in->title, in->body);
	if (st)
		goto fail;
	struct news_article after = {
		.title = in->title, .author = in->author, .body = in->body,
		.category_id = in->category_id, .status = status, .published_at = in->published_at,
		.unpublish_at = in->unpublish_at, .revision = revision,
	};
	json_t *old = article_snapshot(&before), *new = article_snapshot(&after);
	st = audit_append(c, unit_id, actor, now, "article.update", "article", id, old, new);
	json_decref(old);
	json_decref(new);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status news_article_set_status(struct db_conn *c, struct arena *a, int64_t unit_id,
				    int64_t id, bool publish, int64_t published_at,
				    const struct audit_actor *actor, int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct news_article before;
	st = news_article_get(c, a, unit_id, id, false, now, &before);
	if (st)
		goto fail;
	struct news_article after = before;
	after.status = publish ? "published" : "draft";
	if (publish && published_at > 0)
		after.published_at = published_at;
	else if (publish && after.published_at > now)
		after.published_at = now; /* "publish" without a date on a scheduled article: now */
	if (publish && after.unpublish_at != 0 && after.unpublish_at <= after.published_at)
		after.unpublish_at = 0; /* a republished article is not taken down at once */
	struct db_stmt *s;
	st = db_prepare(c, "UPDATE article SET status = ?3, published_at = ?4, unpublish_at = ?5,"
			   " updated_at = ?6, updated_by = ?7 WHERE id = ?1 AND unit_id = ?2", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, unit_id);
	db_bind_text(s, 3, after.status);
	db_bind_int64(s, 4, after.published_at);
	if (after.unpublish_at)
		db_bind_int64(s, 5, after.unpublish_at);
	else
		db_bind_null(s, 5);
	db_bind_int64(s, 6, now);
	if (actor->user_id > 0)
		db_bind_int64(s, 7, actor->user_id);
	else
		db_bind_null(s, 7);
	st = db_exec(s);
	if (st)
		goto fail;
	json_t *old = article_snapshot(&before), *new = article_snapshot(&after);
	st = audit_append(c, unit_id, actor, now, publish ? "article.publish" : "article.unpublish",
			  "article", id, old, new);
	json_decref(old);
	json_decref(new);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

static void read_revision(struct db_stmt *s, struct arena *a, struct news_revision *out)
{
	*out = (struct news_revision){
		.revision = db_column_int64(s, 0),
		.category_id = db_column_int64(s, 1),
		.title = column_dup(a, s, 2),
		.author = column_dup(a, s, 3),
		.body = column_dup(a, s, 4),
		.published_at = db_column_int64(s, 5),
		.unpublish_at = db_column_int64(s, 6),
		.saved_at = db_column_int64(s, 7),
		.saved_by = column_dup(a, s, 8),
	};
}

enum status news_revision_list(struct db_conn *c, struct arena *a, int64_t unit_id,
			       int64_t article_id, struct news_revision **out, size_t *count)
{
	enum { MAX_REVISIONS = 200 };
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT revision, category_id, title, author, '',"
				       " published_at, coalesce(unpublish_at, 0), saved_at, saved_by"
				       " FROM article_revision WHERE article_id = ?1 AND unit_id = ?2"
				       " ORDER BY revision DESC LIMIT 200", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, article_id);
	db_bind_int64(s, 2, unit_id);
	struct news_revision *list = arena_alloc(a, sizeof *list * MAX_REVISIONS);
	if (list == NULL)
		return STATUS_TOO_LARGE;
	size_t n = 0;
	bool has_row;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row && n < MAX_REVISIONS)
		read_revision(s, a, &list[n++]);
	*out = list;
	*count = n;
	return st;
}

enum status news_revision_get(struct db_conn *c, struct arena *a, int64_t unit_id,
			      int64_t article_id, int64_t revision, struct news_revision *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT revision, category_id, title, author, body,"
				       " published_at, coalesce(unpublish_at, 0), saved_at, saved_by"
				       " FROM article_revision WHERE article_id = ?1 AND unit_id = ?2"
				       " AND revision = ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, article_id);
	db_bind_int64(s, 2, unit_id);
	db_bind_int64(s, 3, revision);
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		return st;
	if (!has_row)
		return STATUS_NOT_FOUND;
	read_revision(s, a, out);
	return STATUS_OK;
}

enum status news_photo_add(struct db_conn *c, int64_t unit_id, int64_t article_id,
			   const char *large_hash, const char *thumb_hash, int64_t width,
			   int64_t height, const char *caption, const struct audit_actor *actor,
			   int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct db_stmt *s;
	st = db_prepare(c, "INSERT INTO article_photo (unit_id, article_id, position, large_hash,"
			   " thumb_hash, width, height, caption)"
			   " SELECT ?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM article_photo"
			   "  WHERE article_id = ?2), ?3, ?4, ?5, ?6, ?7"
			   " WHERE EXISTS (SELECT 1 FROM article WHERE id = ?2 AND unit_id = ?1)", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, article_id);
	db_bind_text(s, 3, large_hash);
	db_bind_text(s, 4, thumb_hash);
	db_bind_int64(s, 5, width);
	db_bind_int64(s, 6, height);
	db_bind_text(s, 7, caption);
	st = db_exec(s);
	if (st == STATUS_OK && db_changes(c) == 0)
		st = STATUS_NOT_FOUND;
	if (st)
		goto fail;
	int64_t photo_id = db_last_insert_id(c);
	json_t *after = json_pack("{s:I, s:s, s:s}", "article_id", (json_int_t)article_id,
				  "file", large_hash, "caption", caption);
	st = audit_append(c, unit_id, actor, now, "article.photo.add", "article_photo", photo_id,
			  NULL, after);
	json_decref(after);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status news_photo_delete(struct db_conn *c, int64_t unit_id, int64_t article_id,
			      int64_t photo_id, const struct audit_actor *actor, int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct db_stmt *s;
	st = db_prepare(c, "DELETE FROM article_photo WHERE id = ?1 AND article_id = ?2"
			   " AND unit_id = ?3", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, photo_id);
	db_bind_int64(s, 2, article_id);
	db_bind_int64(s, 3, unit_id);
	st = db_exec(s);
	if (st == STATUS_OK && db_changes(c) == 0)
		st = STATUS_NOT_FOUND;
	if (st)
		goto fail;
	json_t *before = json_pack("{s:I}", "article_id", (json_int_t)article_id);
	st = audit_append(c, unit_id, actor, now, "article.photo.delete", "article_photo",
			  photo_id, before, NULL);
	json_decref(before);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status news_views_store(struct db_conn *c, int64_t article_id, int64_t delta)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "UPDATE article SET views = views + ?2 WHERE id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, article_id);
	db_bind_int64(s, 2, delta);
	return db_exec(s);
}

enum status news_views_set(struct db_conn *c, int64_t article_id, int64_t views_count)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "UPDATE article SET views = ?2 WHERE id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, article_id);
	db_bind_int64(s, 2, views_count);
	return db_exec(s);
}

enum status news_unit_figures(struct db_conn *c, int64_t unit_id, int64_t now,
			      struct news_unit_figures *out)
{
	*out = (struct news_unit_figures){ 0 };
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT count(*), coalesce(max(a.published_at), 0),"
				       " count(CASE WHEN a.published_at > ?3 THEN 1 END)"
				       " FROM article a WHERE a.unit_id = ?1 AND" ARTICLE_IS_PUBLIC, &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, now);
	db_bind_int64(s, 3, now - 30 * 86400);
	bool has_row;
	st = db_step(s, &has_row);
	if (st == STATUS_OK && has_row) {
		out->published = db_column_int64(s, 0);
		out->last_published_at = db_column_int64(s, 1);
		out->published_30_days = db_column_int64(s, 2);
	}
	return st;
}
