/* onestop_store.c: procedures, their immutable versions and the search index (all of onestop's SQL) */
#include "onestop/onestop.h"

#include "audit/audit.h"
#include "base/arena.h"
#include "store/store.h"
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

/* Columns read by read_version(), in order, from procedure_version v. */
#define VERSION_COLUMNS \
	"v.id, v.procedure_id, v.version, v.saved_at, v.saved_by, v.name, v.field," \
	" v.national_code, v.legal_basis, v.basis_document, coalesce(v.basis_effective, '')," \
	" v.documents, v.fee_text, coalesce(v.fee_amount, -1), v.legal_time_kind," \
	" v.legal_time_amount, v.time_note, coalesce(v.promise_kind, '')," \
	" coalesce(v.promise_amount, 0), v.result, v.online_level, v.office, v.note"
/* A procedure and its current version, read by read_procedure(). */
#define PROCEDURE_COLUMNS "p.id, p.code, p.is_active, p.created_at, p.updated_at, " VERSION_COLUMNS
#define PROCEDURE_FROM " FROM procedure p JOIN procedure_version v ON v.id = p.current_version_id"

static char *column_dup(struct arena *a, struct db_stmt *s, int col)
{
	return arena_strndup(a, db_column_text(s, col), db_column_bytes(s, col));
}

static void read_version(struct db_stmt *s, struct arena *a, int col, struct onestop_version *out)
{
	*out = (struct onestop_version){
		.id = db_column_int64(s, col),
		.procedure_id = db_column_int64(s, col + 1),
		.version = db_column_int64(s, col + 2),
		.saved_at = db_column_int64(s, col + 3),
		.saved_by = column_dup(a, s, col + 4),
		.content = {
			.name = column_dup(a, s, col + 5),
			.field = column_dup(a, s, col + 6),
			.national_code = column_dup(a, s, col + 7),
			.legal_basis = column_dup(a, s, col + 8),
			.basis_document = column_dup(a, s, col + 9),
			.basis_effective = column_dup(a, s, col + 10),
			.documents = column_dup(a, s, col + 11),
			.fee_text = column_dup(a, s, col + 12),
			.fee_amount = db_column_int64(s, col + 13),
			.legal = { onestop_time_kind_of(db_column_text(s, col + 14)),
				   db_column_int64(s, col + 15) },
			.time_note = column_dup(a, s, col + 16),
			.promise = { onestop_time_kind_of(db_column_text(s, col + 17)),
				     db_column_int64(s, col + 18) },
			.result = column_dup(a, s, col + 19),
			.online_level = column_dup(a, s, col + 20),
			.office = column_dup(a, s, col + 21),
			.note = column_dup(a, s, col + 22),
		},
	};
}

static void read_procedure(struct db_stmt *s, struct arena *a, struct onestop_procedure *out)
{
	*out = (struct onestop_procedure){
		.id = db_column_int64(s, 0),
		.code = column_dup(a, s, 1),
		.is_active = db_column_int64(s, 2) != 0,
		.created_at = db_column_int64(s, 3),
		.updated_at = db_column_int64(s, 4),
	};
	read_version(s, a, 5, &out->current);
}

/* Reads at most limit rows of s into an arena array. */
static enum status read_procedures(struct db_stmt *s, struct arena *a, int64_t limit,
				   struct onestop_procedure **out, size_t *count)
{
	struct onestop_procedure *list = arena_alloc(a, sizeof *list * (size_t)(limit > 0 ? limit : 1));
	if (list == NULL)
		return STATUS_TOO_LARGE;
	size_t n = 0;
	bool has_row;
	enum status st;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row && n < (size_t)limit)
		read_procedure(s, a, &list[n++]);
	*out = list;
	*count = n;
	return st;
}

/* ---- reading ---- */

struct sort_item {
	const char *field_key, *name_key;
	struct onestop_procedure proc;
};

static int compare_items(const void *x, const void *y)
{
	const struct sort_item *a = x, *b = y;
	int d = strcmp(a->field_key, b->field_key);
	return d != 0 ? d : strcmp(a->name_key, b->name_key);
}

/* Sorts by field, then name, on their folded text: SQL would put "Đ" after "Z". */
static enum status sort_by_field(struct arena *a, struct onestop_procedure *list, size_t n)
{
	struct sort_item *items = arena_alloc(a, sizeof *items * (n > 0 ? n : 1));
	if (items == NULL)
		return STATUS_TOO_LARGE;
	for (size_t i = 0; i < n; i++) {
		const struct onestop_content *c = &list[i].current.content;
		items[i] = (struct sort_item){ text_fold(a, c->field, strlen(c->field)),
					       text_fold(a, c->name, strlen(c->name)), list[i] };
		if (items[i].field_key == NULL || items[i].name_key == NULL)
			return STATUS_TOO_LARGE;
	}
	qsort(items, n, sizeof *items, compare_items);
	for (size_t i = 0; i < n; i++)
		list[i] = items[i].proc;
	return STATUS_OK;
}

enum status onestop_list(struct db_conn *c, struct arena *a, int64_t unit_id, bool only_active,
			 struct onestop_procedure **out, size_t *count)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT count(*) FROM procedure WHERE unit_id = ?1"
				       " AND (?2 = 0 OR is_active = 1)", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, only_active);
	int64_t total;
	st = db_query_int64(s, &total);
	if (st)
		return st;
	int64_t limit = total < ONESTOP_LIST_MAX ? total : ONESTOP_LIST_MAX;
	st = db_prepare(c, "SELECT " PROCEDURE_COLUMNS PROCEDURE_FROM
			   " WHERE p.unit_id = ?1 AND (?2 = 0 OR p.is_active = 1)"
			   " ORDER BY p.id LIMIT ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, only_active);
	db_bind_int64(s, 3, limit);
	st = read_procedures(s, a, limit, out, count);
	return st ? st : sort_by_field(a, *out, *count);
}

enum status onestop_search(struct db_conn *c, struct arena *a, int64_t unit_id,
			   const char *query, struct onestop_procedure **out, size_t *count)
{
	struct db_stmt *s;
	/* ?2 holds plain folded words (onestop_search_query), all required by FTS5 and by
	 * plainto_tsquery alike. */
	enum status st = db_prepare_each(c,
		"SELECT count(*) FROM procedure_search JOIN procedure p ON p.id = procedure_search.rowid"
		" WHERE procedure_search MATCH ?2 AND p.unit_id = ?1 AND p.is_active = 1",
		"SELECT count(*) FROM procedure_search JOIN procedure p ON p.id = procedure_search.rowid"
		" WHERE procedure_search.doc @@ plainto_tsquery('simple', ?2) AND p.unit_id = ?1"
		" AND p.is_active = 1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, query);
	int64_t total;
	st = db_query_int64(s, &total);
	if (st)
		return st;
	int64_t limit = total < ONESTOP_LIST_MAX ? total : ONESTOP_LIST_MAX;
	/* Name words weigh five times the rest (bm25), A against D (ts_rank). */
	st = db_prepare_each(c,
		"SELECT " PROCEDURE_COLUMNS
		" FROM procedure_search JOIN procedure p ON p.id = procedure_search.rowid"
		" JOIN procedure_version v ON v.id = p.current_version_id"
		" WHERE procedure_search MATCH ?2 AND p.unit_id = ?1 AND p.is_active = 1"
		" ORDER BY bm25(procedure_search, 5.0, 1.0), p.id LIMIT ?3",
		"SELECT " PROCEDURE_COLUMNS
		" FROM procedure_search JOIN procedure p ON p.id = procedure_search.rowid"
		" JOIN procedure_version v ON v.id = p.current_version_id"
		" WHERE procedure_search.doc @@ plainto_tsquery('simple', ?2) AND p.unit_id = ?1"
		" AND p.is_active = 1"
		" ORDER BY ts_rank(procedure_search.doc, plainto_tsquery('simple', ?2)) DESC, p.id"
		" LIMIT ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, query);
	db_bind_int64(s, 3, limit);
	return read_procedures(s, a, limit, out, count);
}

enum status onestop_get(struct db_conn *c, struct arena *a, int64_t unit_id, const char *code,
			bool only_active, struct onestop_procedure *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT " PROCEDURE_COLUMNS PROCEDURE_FROM
				       " WHERE p.unit_id = ?1 AND p.code = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, code);
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		return st;
	if (!has_row)
		return STATUS_NOT_FOUND;
	read_procedure(s, a, out);
	return only_active && !out->is_active ? STATUS_NOT_FOUND : STATUS_OK;
}

enum status onestop_count(struct db_conn *c, int64_t unit_id, int64_t *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT count(*) FROM procedure WHERE unit_id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	return db_query_int64(s, out);
}

enum status onestop_versions(struct db_conn *c, struct arena *a, int64_t unit_id,
			     const char *code, struct onestop_version **out, size_t *count)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT " VERSION_COLUMNS " FROM procedure_version v"
				       " JOIN procedure p ON p.id = v.procedure_id"
				       " WHERE p.unit_id = ?1 AND p.code = ?2"
				       " ORDER BY v.version DESC LIMIT ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, ONESTOP_VERSIONS_MAX);
	struct onestop_version *list = arena_alloc(a, sizeof *list * ONESTOP_VERSIONS_MAX);
	if (list == NULL)
		return STATUS_TOO_LARGE;
	size_t n = 0;
	bool has_row;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row && n < ONESTOP_VERSIONS_MAX)
		read_version(s, a, 0, &list[n++]);
	*out = list;
	*count = n;
	return st ? st : n == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

/* Steps s for one version row. */
static enum status one_version(struct db_stmt *s, struct arena *a, struct onestop_version *out)
{
	bool has_row;
	enum status st = db_step(s, &has_row);
	if (st)
		return st;
	if (!has_row)
		return STATUS_NOT_FOUND;
	read_version(s, a, 0, out);
	return STATUS_OK;
}

enum status onestop_version_get(struct db_conn *c, struct arena *a, int64_t unit_id,
				const char *code, int64_t version, struct onestop_version *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT " VERSION_COLUMNS " FROM procedure_version v"
				       " JOIN procedure p ON p.id = v.procedure_id"
				       " WHERE p.unit_id = ?1 AND p.code = ?2 AND v.version = ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, version);
	return one_version(s, a, out);
}

enum status onestop_version_by_id(struct db_conn *c, struct arena *a, int64_t unit_id,
				  int64_t version_id, struct onestop_version *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT " VERSION_COLUMNS " FROM procedure_version v"
				       " WHERE v.id = ?1 AND v.unit_id = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, version_id);
	db_bind_int64(s, 2, unit_id);
	return one_version(s, a, out);
}

/* ---- writing ---- */

/* The content as the audit log records it, and as two versions are compared. */
static json_t *content_json(const struct onestop_content *in)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s?, s:I, s:s?, s:I,"
			      " s:s, s:s, s:s, s:s, s:s}",
		"name", in->name, "field", in->field, "national_code", in->national_code,
		"legal_basis", in->legal_basis, "basis_document", in->basis_document,
		"basis_effective", in->basis_effective, "documents", in->documents,
		"fee_text", in->fee_text, "fee_amount", (json_int_t)in->fee_amount,
		"legal_time_kind", onestop_time_kind_name(in->legal.kind),
		"legal_time_amount", (json_int_t)in->legal.amount,
		"promise_kind", onestop_time_kind_name(in->promise.kind),
		"promise_amount", (json_int_t)in->promise.amount, "time_note", in->time_note,
		"result", in->result, "online_level", in->online_level, "office", in->office,
		"note", in->note);
	return o != NULL ? o : json_object();
}

static void bind_text_or_null(struct db_stmt *s, int index, const char *text)
{
	if (text != NULL && *text != '\0')
		db_bind_text(s, index, text);
	else
		db_bind_null(s, index);
}

/* Inserts version `version` of a procedure; *id_out is its row id. */
static enum status insert_version(struct db_conn *c, int64_t unit_id, int64_t procedure_id,
				  int64_t version, const struct onestop_content *in,
				  const struct audit_actor *actor, int64_t now, int64_t *id_out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "INSERT INTO procedure_version (unit_id, procedure_id, version,"
		" name, field, national_code, legal_basis, basis_document, basis_effective, documents,"
		" fee_text, fee_amount, legal_time_kind, legal_time_amount, time_note, promise_kind,"
		" promise_amount, result, online_level, office, note, saved_at, saved_by)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
		" ?18, ?19, ?20, ?21, ?22, ?23)", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, procedure_id);
	db_bind_int64(s, 3, version);
	db_bind_text(s, 4, in->name);
	db_bind_text(s, 5, in->field);
	db_bind_text(s, 6, in->national_code);
	db_bind_text(s, 7, in->legal_basis);
	db_bind_text(s, 8, in->basis_document);
	bind_text_or_null(s, 9, in->basis_effective);
	db_bind_text(s, 10, in->documents);
	db_bind_text(s, 11, in->fee_text);
	if (in->fee_amount >= 0)
		db_bind_int64(s, 12, in->fee_amount);
	else
		db_bind_null(s, 12);
	db_bind_text(s, 13, onestop_time_kind_name(in->legal.kind));
	db_bind_int64(s, 14, in->legal.amount);
	db_bind_text(s, 15, in->time_note);
	if (in->promise.kind != ONESTOP_TIME_NONE) {
		db_bind_text(s, 16, onestop_time_kind_name(in->promise.kind));
		db_bind_int64(s, 17, in->promise.amount);
	} else {
		db_bind_null(s, 16);
		db_bind_null(s, 17);
	}
	db_bind_text(s, 18, in->result);
	db_bind_text(s, 19, in->online_level);
	db_bind_text(s, 20, in->office);
	db_bind_text(s, 21, in->note);
	db_bind_int64(s, 22, now);
	db_bind_text(s, 23, actor->name);
	st = db_exec(s);
	if (st == STATUS_OK)
		*id_out = db_last_insert_id(c);
	return st;
}

/* Points the procedure at its new current version. */
static enum status set_current(struct db_conn *c, int64_t unit_id, int64_t procedure_id,
			       int64_t version_id, int64_t now)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "UPDATE procedure SET current_version_id = ?3, updated_at = ?4"
				       " WHERE id = ?1 AND unit_id = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, procedure_id);
	db_bind_int64(s, 2, unit_id);
	db_bind_int64(s, 3, version_id);
	db_bind_int64(s, 4, now);
	st = db_exec(s);
	return st == STATUS_OK && db_changes(c) == 0 ? STATUS_NOT_FOUND : st;
}

static enum status index_procedure(struct db_conn *c, struct arena *a, int64_t id,
				   const char *code, const struct onestop_content *in)
{
	const char *name = text_fold(a, in->name, strlen(in->name));
	const char *body = onestop_search_body(a, code, in);
	if (name == NULL || body == NULL)
		return STATUS_TOO_LARGE;
	struct db_stmt *s;
	enum status st = db_prepare(c, "DELETE FROM procedure_search WHERE rowid = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, id);
	st = db_exec(s);
	if (st)
		return st;
	st = db_prepare(c, "INSERT INTO procedure_search (rowid, name, body) VALUES (?1, ?2, ?3)",
			&s);
	if (st)
		return st;
	db_bind_int64(s, 1, id);
	db_bind_text(s, 2, name);
	db_bind_text(s, 3, body);
	return db_exec(s);
}

/* Adds version `version` of content, makes it current, indexes it: one transaction's steps. */
static enum status add_version(struct db_conn *c, struct arena *a, int64_t unit_id,
			       int64_t procedure_id, const char *code, int64_t version,
			       const struct onestop_content *in, const struct audit_actor *actor,
			       int64_t now)
{
	int64_t version_id;
	enum status st = insert_version(c, unit_id, procedure_id, version, in, actor, now,
					&version_id);
	if (st == STATUS_OK)
		st = set_current(c, unit_id, procedure_id, version_id, now);
	if (st == STATUS_OK)
		st = index_procedure(c, a, procedure_id, code, in);
	return st;
}

/* Appends the audit record of a version's content. */
static enum status audit_content(struct db_conn *c, int64_t unit_id,
				 const struct audit_actor *actor, int64_t now, const char *action,
				 int64_t id, const char *code, const struct onestop_version *before,
				 const struct onestop_content *after, int64_t version)
{
	json_t *old = NULL;
	if (before != NULL) {
		old = content_json(&before->content);
		json_object_set_new(old, "code", json_string(code));
		json_object_set_new(old, "version", json_integer(before->version));
	}
	json_t *new = content_json(after);
	json_object_set_new(new, "code", json_string(code));
	json_object_set_new(new, "version", json_integer(version));
	enum status st = audit_append(c, unit_id, actor, now, action, "procedure", id, old, new);
	json_decref(old);
	json_decref(new);
	return st;
}

enum status onestop_create(struct db_conn *c, struct arena *a, int64_t unit_id,
			   const char *code, const struct onestop_content *in,
			   const struct audit_actor *actor, int64_t now, int64_t *id_out)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct db_stmt *s;
	st = db_prepare(c, "INSERT INTO procedure (unit_id, code, is_active, created_at, updated_at)"
			   " VALUES (?1, ?2, 1, ?3, ?3)", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, now);
	st = db_exec(s); /* STATUS_CONFLICT: the code is the unit's already */
	if (st)
		goto fail;
	int64_t id = db_last_insert_id(c);
	st = add_version(c, a, unit_id, id, code, 1, in, actor, now);
	if (st)
		goto fail;
	st = audit_content(c, unit_id, actor, now, "procedure.create", id, code, NULL, in, 1);
	if (st)
		goto fail;
	if (id_out != NULL)
		*id_out = id;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status onestop_update(struct db_conn *c, struct arena *a, int64_t unit_id, const char *code,
			   const struct onestop_content *in, const struct audit_actor *actor,
			   int64_t now, bool *added)
{
	*added = false;
	enum status st = db_begin(c);
	if (st)
		return st;
	struct onestop_procedure before;
	st = onestop_get(c, a, unit_id, code, false, &before);
	if (st)
		goto fail;
	json_t *old = content_json(&before.current.content), *new = content_json(in);
	bool same = json_equal(old, new);
	json_decref(old);
	json_decref(new);
	if (same) {
		db_rollback(c); /* nothing to write: no version that repeats the last one */
		return STATUS_OK;
	}
	int64_t version = before.current.version + 1;
	st = add_version(c, a, unit_id, before.id, code, version, in, actor, now);
	if (st)
		goto fail;
	st = audit_content(c, unit_id, actor, now, "procedure.update", before.id, code,
			   &before.current, in, version);
	if (st)
		goto fail;
	*added = true;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status onestop_set_active(struct db_conn *c, struct arena *a, int64_t unit_id,
			       const char *code, bool is_active, const struct audit_actor *actor,
			       int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct onestop_procedure before;
	st = onestop_get(c, a, unit_id, code, false, &before);
	if (st)
		goto fail;
	struct db_stmt *s;
	st = db_prepare(c, "UPDATE procedure SET is_active = ?3, updated_at = ?4"
			   " WHERE id = ?1 AND unit_id = ?2", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, before.id);
	db_bind_int64(s, 2, unit_id);
	db_bind_int64(s, 3, is_active);
	db_bind_int64(s, 4, now);
	st = db_exec(s);
	if (st)
		goto fail;
	json_t *old = json_pack("{s:s, s:b}", "code", code, "is_active", before.is_active);
	json_t *new = json_pack("{s:s, s:b}", "code", code, "is_active", is_active);
	st = audit_append(c, unit_id, actor, now,
			  is_active ? "procedure.activate" : "procedure.deactivate", "procedure",
			  before.id, old, new);
	json_decref(old);
	json_decref(new);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}
