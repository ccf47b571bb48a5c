/* app_store.c: units and their host names (all of app's SQL) */
#include "app/app.h"

#include "base/arena.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>

enum status app_unit_for_host(struct db_conn *c, struct arena *a, const char *host,
			      int64_t *unit_id, const char **unit_name)
{
	*unit_id = 1;
	*unit_name = NULL;
	/* Host names are stored lower case and without a port. */
	char name[256];
	size_t n = 0;
	for (; host != NULL && host[n] != '\0' && host[n] != ':' && n < sizeof name - 1; n++)
		name[n] = (char)tolower((unsigned char)host[n]);
	name[n] = '\0';
	if (n == 0)
		return STATUS_OK;
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT h.unit_id, u.name FROM unit_host h"
				       " JOIN unit u ON u.id = h.unit_id WHERE h.host = ?1", &s);
	if (st)
		return st;
	db_bind_text(s, 1, name);
	bool has_row;
	st = db_step(s, &has_row);
	if (st == STATUS_OK && has_row && db_column_int64(s, 0) != 1) {
		*unit_id = db_column_int64(s, 0);
		*unit_name = arena_strdup(a, db_column_text(s, 1));
		if (*unit_name == NULL)
			return STATUS_TOO_LARGE;
	}
	return st;
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
	/* In a write transaction of its own: db_begin waits its turn for the write lock and
	 * first ends any single-row read of the request still open on the connection, whose
	 * old snapshot made a bare INSERT fail at once with "database is locked". */
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
