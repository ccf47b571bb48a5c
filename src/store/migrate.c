/* migrate.c: applies the migrations/ENGINE/ files built into the binary, once each, by name */
#include "store/engine.h"

#include "base/log.h"
#include "store/migrations.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int by_name(const void *a, const void *b)
{
	const struct migration *const *x = a;
	const struct migration *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

/* Applies m in a transaction of its own, unless schema_migrations has it already.
 * The check is inside the transaction, so two processes starting together are safe. */
static enum status migrate_one(struct db_conn *c, const struct migration *m)
{
	if (strlen(m->sql) != m->len) {
		log_error("migration '%s' holds a NUL byte", m->name);
		return STATUS_INTERNAL;
	}
	enum status s = db_begin(c);
	if (s != STATUS_OK)
		return s;
	struct db_stmt *st;
	bool applied = false;
	s = db_prepare(c, "SELECT 1 FROM schema_migrations WHERE name = ?1", &st);
	if (s == STATUS_OK) {
		db_bind_text(st, 1, m->name);
		s = db_step(st, &applied);
	}
	/* Migration text is built into the binary: the one place SQL runs as a script. */
	if (s == STATUS_OK && !applied)
		s = db_exec_script(c, m->sql);
	if (s == STATUS_OK && !applied)
		s = db_prepare(c, "INSERT INTO schema_migrations (name, applied_at) VALUES (?1, ?2)", &st);
	if (s == STATUS_OK && !applied) {
		db_bind_text(st, 1, m->name);
		db_bind_int64(st, 2, (int64_t)time(NULL));
		s = db_exec(st);
	}
	if (s == STATUS_OK)
		s = db_commit(c);
	if (s != STATUS_OK) {
		log_error("migration '%s' failed: %s", m->name, status_name(s));
		db_rollback(c);
	} else if (!applied) {
		log_info("applied migration '%s'", m->name);
	}
	return s;
}

/* Makes the table of applied migrations. Inside a write transaction: on PostgreSQL
 * begin takes the writers' lock, so two nodes starting together take turns instead of
 * racing on CREATE TABLE IF NOT EXISTS (which can fail with a duplicate key there). */
static enum status create_migrations_table(struct db_conn *c)
{
	enum status s = db_begin(c);
	if (s != STATUS_OK)
		return s;
	/* Seconds since 1970 need 64 bits on PostgreSQL, where INTEGER is 32. */
	s = db_exec_script(c, strcmp(c->engine->name, "sqlite") == 0
		? "CREATE TABLE IF NOT EXISTS schema_migrations ("
		  " name TEXT PRIMARY KEY,"
		  " applied_at INTEGER NOT NULL)"
		: "CREATE TABLE IF NOT EXISTS schema_migrations ("
		  " name TEXT PRIMARY KEY,"
		  " applied_at BIGINT NOT NULL)");
	if (s == STATUS_OK)
		s = db_commit(c);
	if (s != STATUS_OK)
		db_rollback(c);
	return s;
}

enum status migrate_run(struct db_conn *c)
{
	enum status s = create_migrations_table(c);
	if (s != STATUS_OK || migrations_count == 0)
		return s;
	/* Only the migrations written for this engine, in name order. */
	const struct migration **order = malloc(migrations_count * sizeof *order);
	if (order == NULL)
		return STATUS_INTERNAL;
	size_t n = 0;
	for (size_t i = 0; i < migrations_count; i++) {
		if (strcmp(migrations[i].engine, c->engine->name) == 0)
			order[n++] = &migrations[i];
	}
	qsort(order, n, sizeof *order, by_name);
	for (size_t i = 0; i < n && s == STATUS_OK; i++)
		s = migrate_one(c, order[i]);
	free(order);
	/* Leaves no statement part-way (the SELECT above), which would hold a snapshot. */
	db_rollback(c);
	return s;
}
