/* copy.c: db_copy: every row of a SQLite database into another database, table by table
 * in the order the migrations made them (parents before children), in one transaction.
 * The tables and columns are read from the SQLite schema, so a table a later migration
 * adds is copied without a change here. */
#include "store/engine.h"

#include "base/log.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	COPY_MAX_TABLES = 256,
	COPY_MAX_COLUMNS = 64,
	COPY_NAME_MAX = 64,
	COPY_SQL_MAX = 8192,
};

struct copy_table {
	char name[COPY_NAME_MAX];
	bool is_virtual;    /* an FTS5 table: its rowid is copied as a column "rowid" */
	int ncols;
	char cols[COPY_MAX_COLUMNS][COPY_NAME_MAX];
};

/* Names come from our own schema; anything outside [a-z0-9_] is refused rather than
 * quoted, so no name can change the SQL built from it. */
static bool plain_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= COPY_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static enum status sqlite_fail(sqlite3 *db, const char *what)
{
	log_error("migrate: cannot %s: %s", what, sqlite3_errmsg(db));
	return STATUS_INTERNAL;
}

static enum status read_columns(sqlite3 *src, struct copy_table *t)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(src, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", -1, &st,
			       NULL) != SQLITE_OK)
		return sqlite_fail(src, "read the columns");
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	t->ncols = 0;
	if (t->is_virtual)
		snprintf(t->cols[t->ncols++], COPY_NAME_MAX, "rowid");
	enum status s = STATUS_OK;
	while (s == STATUS_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(st, 0);
		if (col == NULL || !plain_name(col) || t->ncols == COPY_MAX_COLUMNS) {
			log_error("migrate: table '%s' has a column this copy cannot name", t->name);
			s = STATUS_INVALID;
			break;
		}
		snprintf(t->cols[t->ncols++], COPY_NAME_MAX, "%s", col);
	}
	sqlite3_finalize(st);
	return s;
}

/* The tables to copy, in creation order: not SQLite's own, not schema_migrations (the
 * target has its own), not the shadow tables of a virtual table. */
static enum status list_tables(sqlite3 *src, struct copy_table *tables, size_t *count)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(src,
		"SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_schema WHERE type = 'table'"
		" AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY rowid",
		-1, &st, NULL) != SQLITE_OK)
		return sqlite_fail(src, "read the schema");
	*count = 0;
	enum status s = STATUS_OK;
	while (s == STATUS_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (name == NULL || !plain_name(name) || *count == COPY_MAX_TABLES) {
			log_error("migrate: a table name this copy cannot use: '%s'", name ? name : "");
			s = STATUS_INVALID;
			break;
		}
		bool shadow = false;
		for (size_t i = 0; i < *count; i++) {
			size_t n = strlen(tables[i].name);
			if (tables[i].is_virtual && strncmp(name, tables[i].name, n) == 0 && name[n] == '_')
				shadow = true;
		}
		if (shadow)
			continue;
		struct copy_table *t = &tables[(*count)++];
		snprintf(t->name, sizeof t->name, "%s", name);
		t->is_virtual = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; s == STATUS_OK && i < *count; i++)
		s = read_columns(src, &tables[i]);
	return s;
}

/* "a, b, c" (with prefix before each name) or "?1, ?2, ?3" into out. */
static void column_list(const struct copy_table *t, char *out, size_t size, bool placeholders)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < t->ncols && used < size; i++) {
		int w = placeholders ? snprintf(out + used, size - used, "%s?%d", i ? ", " : "", i + 1)
				     : snprintf(out + used, size - used, "%s%s", i ? ", " : "", t->cols[i]);
		used += w > 0 ? (size_t)w : 0;
	}
}

static enum status count_rows(struct db_conn *c, const char *table, int64_t *out)
{
	char sql[COPY_SQL_MAX];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	struct db_stmt *st;
	/* Built from a name checked by plain_name, inside store/. */
	enum status s = db_prepare_literal(c, sql, &st);
	return s ? s : db_query_int64(st, out);
}

static enum status copy_rows(sqlite3 *src, struct db_conn *to, const struct copy_table *t,
			     int64_t *rows)
{
	char cols[COPY_SQL_MAX / 2], marks[COPY_SQL_MAX / 4], sql[COPY_SQL_MAX];
	column_list(t, cols, sizeof cols, false);
	column_list(t, marks, sizeof marks, true);
	snprintf(sql, sizeof sql, "SELECT %s FROM %s", cols, t->name);
	sqlite3_stmt *read;
	if (sqlite3_prepare_v2(src, sql, -1, &read, NULL) != SQLITE_OK)
		return sqlite_fail(src, "read a table");
	snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (%s)", t->name, cols, marks);
	*rows = 0;
	enum status s = STATUS_OK;
	int rc;
	while (s == STATUS_OK && (rc = sqlite3_step(read)) == SQLITE_ROW) {
		struct db_stmt *w;
		s = db_prepare_literal(to, sql, &w);
		for (int i = 0; s == STATUS_OK && i < t->ncols; i++) {
			switch (sqlite3_column_type(read, i)) {
			case SQLITE_INTEGER:
				db_bind_int64(w, i + 1, sqlite3_column_int64(read, i));
				break;
			case SQLITE_BLOB:
				db_bind_blob(w, i + 1, sqlite3_column_blob(read, i),
					     (size_t)sqlite3_column_bytes(read, i));
				break;
			case SQLITE_NULL:
				db_bind_null(w, i + 1);
				break;
			default: /* text, and a real as its text */
				db_bind_textn(w, i + 1, (const char *)sqlite3_column_text(read, i),
					      (size_t)sqlite3_column_bytes(read, i));
			}
		}
		if (s == STATUS_OK)
			s = db_exec(w);
		if (s == STATUS_OK)
			(*rows)++;
	}
	if (s == STATUS_OK && rc != SQLITE_DONE)
		s = sqlite_fail(src, "read a row");
	sqlite3_finalize(read);
	if (s != STATUS_OK)
		log_error("migrate: copying table '%s' stopped at row %lld", t->name,
			  (long long)*rows + 1);
	return s;
}

/* On PostgreSQL, moves each identity column's sequence past the largest id copied, so
 * the next row made there does not collide with a copied one. */
static enum status move_sequences(struct db_conn *to)
{
	if (strcmp(to->engine->name, "postgresql") != 0)
		return STATUS_OK;
	return db_exec_script(to,
		"DO $$ DECLARE r record; BEGIN"
		" FOR r IN SELECT table_name, column_name FROM information_schema.columns"
		"  WHERE table_schema = current_schema() AND is_identity = 'YES' LOOP"
		"  EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L),"
		"   coalesce((SELECT max(%I) FROM %I), 0) + 1, false)',"
		"   r.table_name, r.column_name, r.column_name, r.table_name);"
		" END LOOP; END $$");
}

static enum status copy_all(sqlite3 *src, struct db_conn *to, const struct copy_table *tables,
			    size_t count, db_copy_report *report, void *ctx)
{
	for (size_t i = 0; i < count; i++) {
		int64_t rows;
		enum status s = count_rows(to, tables[i].name, &rows);
		if (s)
			return s;
		if (rows != 0) {
			log_error("migrate: the target database holds data already (table '%s'):"
				  " copy into an empty database", tables[i].name);
			return STATUS_CONFLICT;
		}
	}
	for (size_t i = 0; i < count; i++) {
		int64_t copied, found;
		enum status s = copy_rows(src, to, &tables[i], &copied);
		if (s == STATUS_OK)
			s = count_rows(to, tables[i].name, &found);
		if (s)
			return s;
		if (found != copied) {
			log_error("migrate: table '%s': %lld rows copied, %lld found", tables[i].name,
				  (long long)copied, (long long)found);
			return STATUS_INTERNAL;
		}
		if (report != NULL)
			report(tables[i].name, copied, ctx);
	}
	return move_sequences(to);
}

enum status db_copy(const char *sqlite_url, struct db *to, db_copy_report *report, void *ctx)
{
	const char *path = NULL;
	const struct engine *engine = store_engine_for(sqlite_url, &path);
	if (engine == NULL)
		return STATUS_INVALID;
	if (engine != &sqlite_engine) {
		log_error("migrate: the source must be a SQLite database (sqlite:FILE)");
		return STATUS_INVALID;
	}
	sqlite3 *src = NULL;
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		log_error("migrate: cannot open '%s': %s", path, src ? sqlite3_errmsg(src) : "");
		sqlite3_close(src);
		return STATUS_NOT_FOUND;
	}
	struct copy_table *tables = calloc(COPY_MAX_TABLES, sizeof *tables);
	size_t count = 0;
	enum status s = tables != NULL ? list_tables(src, tables, &count) : STATUS_INTERNAL;
	/* One read snapshot of the source, one transaction on the target: all or nothing. */
	if (s == STATUS_OK && sqlite3_exec(src, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		s = sqlite_fail(src, "start reading");
	if (s == STATUS_OK) {
		struct db_conn *c = db_acquire(to);
		s = db_begin(c);
		if (s == STATUS_OK)
			s = copy_all(src, c, tables, count, report, ctx);
		if (s == STATUS_OK)
			s = db_commit(c);
		if (s != STATUS_OK)
			db_rollback(c);
		db_release(c);
		sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	}
	free(tables);
	sqlite3_close(src);
	return s;
}
