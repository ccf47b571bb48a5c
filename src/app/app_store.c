/* app_store.c: units and their host names (all of app's SQL) */
#include "app/app.h"

#include "base/arena.h"
#include "store/store.h"

#include <stdio.h>

enum status app_host_lookup(struct db_conn *c, struct arena *a, const char *name,
			   struct app_host *out)
{
	*out = (struct app_host){ 0 };
	struct db_stmt *s;
	/* One row whatever the name: the unit claiming it (NULL if none), the first name of that
	 * unit or of unit 1, and whether there is a unit besides unit 1. */
	enum status st = db_prepare(c, "SELECT h.unit_id, u.name,"
		" (SELECT f.host FROM unit_host f WHERE f.unit_id = coalesce(h.unit_id, 1)"
		"  ORDER BY f.position, f.host LIMIT 1),"
		" CASE WHEN EXISTS (SELECT 1 FROM unit WHERE id > 1) THEN 1 ELSE 0 END"
		" FROM (SELECT 1 AS one) o LEFT JOIN unit_host h ON h.host = ?1"
		" LEFT JOIN unit u ON u.id = h.unit_id", &s);
	if (st)
		return st;
	db_bind_text(s, 1, name);
	bool has_row;
	st = db_step(s, &has_row);
	if (st != STATUS_OK || !has_row)
		return st;
	if (!db_column_is_null(s, 0)) {
		out->unit_id = db_column_int64(s, 0);
		out->unit_name = arena_strdup(a, db_column_text(s, 1));
	}
	if (!db_column_is_null(s, 2))
		out->first_host = arena_strdup(a, db_column_text(s, 2));
	out->province = db_column_int64(s, 3) != 0;
	if ((out->unit_id != 0 && out->unit_name == NULL) ||
	    (!db_column_is_null(s, 2) && out->first_host == NULL))
		return STATUS_TOO_LARGE;
	return STATUS_OK;
}

enum status app_ensure_unit(struct db_conn *c, const char *code, const char *name, int64_t now)
{
	struct db_stmt *s;
	/* The first unit gets id 1 on both stores; nodes starting together may both try. */
	enum status st = db_prepare(c, "INSERT INTO unit (code, name, created_at)"
				       " SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM unit)"
				       " ON CONFLICT DO NOTHING", &s);
	if (st)
		return st;
	db_bind_text(s, 1, code);
	db_bind_text(s, 2, name);
	db_bind_int64(s, 3, now);
	return db_exec(s);
}

enum status app_has_admin(struct db_conn *c, int64_t unit_id, bool *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT count(*) FROM app_user WHERE unit_id = ?1"
				       " AND role = 'admin' AND is_active = 1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	int64_t admins;
	st = db_query_int64(s, &admins);
	*out = admins > 0;
	return st;
}

enum status app_page_generation(struct db_conn *c, int64_t unit_id, int64_t *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT generation FROM page_generation WHERE unit_id = ?1",
				    &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	return db_query_int64(s, out);
}

enum status app_page_generation_bump(struct db_conn *c, int64_t unit_id)
{
	/* Its own write transaction, not an autocommit write: the handler's last read (the
	 * page it answered with, e.g. dossier_get) may still hold a read snapshot that other
	 * writers have passed, and SQLite then refuses the upgrade at once ("database is
	 * locked") instead of waiting; db_begin ends such reads and queues for the lock. */
	enum status st = db_begin(c);
	if (st)
		return st;
	struct db_stmt *s;
	st = db_prepare(c, "INSERT INTO page_generation (unit_id, generation)"
			   " VALUES (?1, 1) ON CONFLICT (unit_id)"
			   " DO UPDATE SET generation = page_generation.generation + 1", &s);
	if (st == STATUS_OK) {
		db_bind_int64(s, 1, unit_id);
		st = db_exec(s);
	}
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st)
		db_rollback(c);
	return st;
}

enum status app_unit_by_code(struct db_conn *c, const char *code, int64_t *unit_id,
			     char *name, size_t n)
{
	struct db_stmt *q;
	enum status st = code == NULL
				 ? db_prepare(c, "SELECT id, name FROM unit WHERE id = 1", &q)
				 : db_prepare(c, "SELECT id, name FROM unit WHERE code = ?1", &q);
	if (st)
		return st;
	if (code != NULL)
		db_bind_text(q, 1, code);
	bool has_row;
	st = db_step(q, &has_row);
	if (st)
		return st;
	if (!has_row)
		return STATUS_NOT_FOUND;
	*unit_id = db_column_int64(q, 0);
	if (n > 0)
		snprintf(name, n, "%s", db_column_text(q, 1));
	return STATUS_OK;
}
