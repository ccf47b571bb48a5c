/* audit_store.c: the audit log table (all of audit's SQL) */
#include "audit/audit_internal.h"

#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dump_or_null(const json_t *v)
{
	return v != NULL ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

enum status audit_head(struct db_conn *c, int64_t *id, char hash[65])
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", &s);
	if (st)
		return st;
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		return st;
	*id = has_row ? db_column_int64(s, 0) : 0;
	snprintf(hash, 65, "%s", has_row ? db_column_text(s, 1) : AUDIT_GENESIS);
	return STATUS_OK;
}

enum status audit_append(struct db_conn *c, int64_t unit_id, const struct audit_actor *actor,
			 int64_t now, const char *action, const char *object_type,
			 int64_t object_id, const json_t *before, const json_t *after)
{
	char prev[65];
	int64_t id;
	enum status st = audit_head(c, &id, prev);
	if (st)
		return st;
	id++;
	struct db_stmt *s;
	char *before_json = dump_or_null(before), *after_json = dump_or_null(after);
	struct audit_row row = {
		.id = id, .unit_id = unit_id, .at = now, .user_id = actor->user_id,
		.object_id = object_id, .actor = actor->name, .action = action,
		.object_type = object_type, .before_json = before_json, .after_json = after_json,
		.prev_hash = prev,
	};
	char hash[65];
	audit_row_hash(&row, hash);
	st = db_prepare(c, "INSERT INTO audit_log (id, unit_id, at, user_id, actor, action,"
			   " object_type, object_id, before_json, after_json, prev_hash, hash)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", &s);
	if (st == STATUS_OK) {
		db_bind_int64(s, 1, id);
		db_bind_int64(s, 2, unit_id);
		db_bind_int64(s, 3, now);
		if (actor->user_id > 0)
			db_bind_int64(s, 4, actor->user_id);
		else
			db_bind_null(s, 4);
		db_bind_text(s, 5, actor->name);
		db_bind_text(s, 6, action);
		db_bind_text(s, 7, object_type);
		db_bind_int64(s, 8, object_id);
		db_bind_text(s, 9, before_json);
		db_bind_text(s, 10, after_json);
		db_bind_text(s, 11, prev);
		db_bind_text(s, 12, hash);
		st = db_exec(s);
	}
	free(before_json);
	free(after_json);
	return st;
}

enum status audit_verify(struct db_conn *c, int64_t *rows, int64_t *first_bad)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT id, unit_id, at, user_id, actor, action, object_type,"
				       " object_id, before_json, after_json, prev_hash, hash"
				       " FROM audit_log ORDER BY id", &s);
	if (st)
		return st;
	char expected_prev[65] = AUDIT_GENESIS;
	*rows = 0;
	*first_bad = 0;
	bool has_row;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row) {
		struct audit_row row = {
			.id = db_column_int64(s, 0),
			.unit_id = db_column_int64(s, 1),
			.at = db_column_int64(s, 2),
			.user_id = db_column_int64(s, 3),
			.actor = db_column_text(s, 4),
			.action = db_column_text(s, 5),
			.object_type = db_column_text(s, 6),
			.object_id = db_column_int64(s, 7),
			.before_json = db_column_is_null(s, 8) ? NULL : db_column_text(s, 8),
			.after_json = db_column_is_null(s, 9) ? NULL : db_column_text(s, 9),
			.prev_hash = db_column_text(s, 10),
		};
		char hash[65];
		audit_row_hash(&row, hash);
		(*rows)++;
		if (strcmp(row.prev_hash, expected_prev) != 0 ||
		    strcmp(hash, db_column_text(s, 11)) != 0) {
			*first_bad = row.id;
			return STATUS_OK;
		}
		memcpy(expected_prev, hash, sizeof expected_prev);
	}
	return st;
}

enum status audit_recent(struct db_conn *c, int64_t unit_id, int64_t limit, int64_t offset,
			 json_t **out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT id, at, actor, action, object_type, object_id,"
				       " before_json, after_json FROM audit_log WHERE unit_id = ?1"
				       " ORDER BY id DESC LIMIT ?2 OFFSET ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, limit);
	db_bind_int64(s, 3, offset);
	json_t *list = json_array();
	bool has_row;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row) {
		json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s}",
			"id", (json_int_t)db_column_int64(s, 0), "at", (json_int_t)db_column_int64(s, 1),
			"actor", db_column_text(s, 2), "action", db_column_text(s, 3),
			"object_type", db_column_text(s, 4), "object_id", (json_int_t)db_column_int64(s, 5),
			"before", db_column_text(s, 6), "after", db_column_text(s, 7)));
	}
	if (st) {
		json_decref(list);
		return st;
	}
	*out = list;
	return STATUS_OK;
}

enum status audit_store_unit_code(struct db_conn *c, int64_t unit_id, char code[AUDIT_CODE_MAX + 1])
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT code FROM unit WHERE id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		return st;
	if (!has_row)
		return STATUS_NOT_FOUND;
	snprintf(code, AUDIT_CODE_MAX + 1, "%s", db_column_text(s, 0));
	return STATUS_OK;
}

enum status audit_store_unit_id(struct db_conn *c, const char *code, int64_t *unit_id)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT id FROM unit WHERE code = ?1", &s);
	if (st)
		return st;
	db_bind_text(s, 1, code);
	st = db_query_int64(s, unit_id);
	return st == STATUS_OK && *unit_id == 0 ? STATUS_NOT_FOUND : st;
}

enum status audit_store_row_hash(struct db_conn *c, int64_t id, char hash[65], bool *found)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT hash FROM audit_log WHERE id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, id);
	st = db_step(s, found);
	if (st == STATUS_OK && *found)
		snprintf(hash, 65, "%s", db_column_text(s, 0));
	return st;
}
