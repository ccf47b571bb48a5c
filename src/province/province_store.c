/* province_store.c: all SQL of units and their host names */
#include "province/province.h"

#include "base/arena.h"
#include "store/store.h"

#include <stdio.h>

static enum status add_hosts(struct db_conn *c, int64_t unit_id, const struct province_unit_input *in)
{
	for (size_t i = 0; i < in->host_count; i++) {
		struct db_stmt *s;
		enum status st = db_prepare(c, "INSERT INTO unit_host (host, unit_id, position)"
					       " VALUES (?1, ?2, ?3)", &s);
		if (st)
			return st;
		db_bind_text(s, 1, in->hosts[i]);
		db_bind_int64(s, 2, unit_id);
		db_bind_int64(s, 3, (int64_t)i);
		st = db_exec(s);
		if (st)
			return st;
	}
	return STATUS_OK;
}

enum status province_unit_create(struct db_conn *c, const struct province_unit_input *in,
				 int64_t now, int64_t *id_out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "INSERT INTO unit (code, name, created_at) VALUES (?1, ?2, ?3)",
				    &s);
	if (st)
		return st;
	db_bind_text(s, 1, in->code);
	db_bind_text(s, 2, in->name);
	db_bind_int64(s, 3, now);
	st = db_exec(s);
	if (st)
		return st;
	*id_out = db_last_insert_id(c);
	return add_hosts(c, *id_out, in);
}

enum status province_unit_update(struct db_conn *c, int64_t unit_id,
				 const struct province_unit_input *in)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "UPDATE unit SET name = ?2 WHERE id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, in->name);
	st = db_exec(s);
	if (st)
		return st;
	if (db_changes(c) == 0)
		return STATUS_NOT_FOUND;
	st = db_prepare(c, "DELETE FROM unit_host WHERE unit_id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	st = db_exec(s);
	return st ? st : add_hosts(c, unit_id, in);
}

enum status province_units(struct db_conn *c, json_t **out)
{
	*out = json_array();
	struct db_stmt *s;
	/* Host names joined in the program: string_agg and group_concat differ. */
	enum status st = db_prepare(c, "SELECT u.id, u.code, u.name, u.created_at, coalesce(h.host, '')"
				       " FROM unit u LEFT JOIN unit_host h ON h.unit_id = u.id"
				       " ORDER BY u.id, h.position, h.host", &s);
	bool has_row = false;
	json_t *unit = NULL;
	while (st == STATUS_OK && (st = db_step(s, &has_row)) == STATUS_OK && has_row) {
		json_int_t id = (json_int_t)db_column_int64(s, 0);
		if (unit == NULL || json_integer_value(json_object_get(unit, "id")) != id) {
			unit = json_pack("{s:I, s:s, s:s, s:I, s:s, s:o}", "id", id,
					 "code", db_column_text(s, 1), "name", db_column_text(s, 2),
					 "created_at", (json_int_t)db_column_int64(s, 3), "hosts", "",
					 "host_list", json_array());
			json_array_append_new(*out, unit);
		}
		const char *host = db_column_text(s, 4);
		if (*host == '\0')
			continue;
		const char *had = json_string_value(json_object_get(unit, "hosts"));
		char joined[(PROVINCE_HOST_MAX + 1) * PROVINCE_HOSTS_MAX + 1];
		snprintf(joined, sizeof joined, "%s%s%s", had, *had ? " " : "", host);
		json_object_set_new(unit, "hosts", json_string(joined));
		json_array_append_new(json_object_get(unit, "host_list"), json_string(host));
	}
	if (st) {
		json_decref(*out);
		*out = NULL;
	}
	return st;
}
