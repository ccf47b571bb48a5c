/* app_store.c: units and their host names (all of app's SQL) */
#include "app/app.h"

#include "store/store.h"

enum status app_unit_for_host(struct db_conn *c, const char *host, int64_t *unit_id)
{
	*unit_id = 1;
	if (host == NULL)
		return STATUS_OK;
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT unit_id FROM unit_host WHERE host = ?1", &s);
	if (st)
		return st;
	db_bind_text(s, 1, host);
	bool has_row;
	st = db_step(s, &has_row);
	if (st == STATUS_OK && has_row)
		*unit_id = db_column_int64(s, 0);
	return st;
}

enum status app_ensure_unit(struct db_conn *c, const char *code, const char *name, int64_t now)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "INSERT INTO unit (id, code, name, created_at)"
				       " VALUES (1, ?1, ?2, ?3) ON CONFLICT DO NOTHING", &s);
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
