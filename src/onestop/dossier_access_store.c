/* dossier_access_store.c: the record of staff reading dossiers, all of its SQL */
#include "onestop/dossier_access.h"

#include "store/store.h"

#include <string.h>

enum status dossier_access_store(struct db_conn *c, int64_t unit_id, const char *code,
				 int64_t user_id, const char *actor, const char *kind,
				 const char *detail, int64_t at)
{
	struct db_stmt *s;
	/* The casts tell PostgreSQL the types of parameters that stand in a select list. */
	enum status st = db_prepare(c, "INSERT INTO dossier_access (unit_id, dossier_id, user_id,"
				       " actor, kind, detail, at) SELECT unit_id, id,"
				       " CAST(?3 AS BIGINT), CAST(?4 AS TEXT), CAST(?5 AS TEXT),"
				       " CAST(?6 AS TEXT), CAST(?7 AS BIGINT) FROM dossier"
				       " WHERE unit_id = ?1 AND code = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, user_id);
	db_bind_text(s, 4, actor);
	db_bind_text(s, 5, kind);
	db_bind_text(s, 6, detail);
	db_bind_int64(s, 7, at);
	return db_exec(s);
}

enum status dossier_access_list(struct db_conn *c, int64_t unit_id, const char *code,
				int64_t limit, json_t **out, bool *more)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT a.at, a.actor, COALESCE(u.display_name, a.actor),"
				       " a.kind, a.detail FROM dossier_access a"
				       " JOIN dossier d ON d.id = a.dossier_id AND d.unit_id = a.unit_id"
				       " LEFT JOIN app_user u ON u.id = a.user_id"
				       " WHERE a.unit_id = ?1 AND d.code = ?2"
				       " ORDER BY a.id DESC LIMIT ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, limit + 1);
	json_t *list = json_array();
	bool has_row;
	*more = false;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row) {
		if ((int64_t)json_array_size(list) == limit) {
			*more = true; /* the one row past the limit; stepping on ends the statement */
			continue;
		}
		const char *kind = db_column_text(s, 3);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:b}",
			"at", (json_int_t)db_column_int64(s, 0), "username", db_column_text(s, 1),
			"display_name", db_column_text(s, 2), "kind", kind,
			"detail", db_column_text(s, 4),
			"is_page", strcmp(kind, DOSSIER_ACCESS_PAGE) == 0,
			"is_file", strcmp(kind, DOSSIER_ACCESS_FILE) == 0,
			"is_form", strcmp(kind, DOSSIER_ACCESS_FORM) == 0));
	}
	if (st) {
		json_decref(list);
		return st;
	}
	*out = list;
	return STATUS_OK;
}
