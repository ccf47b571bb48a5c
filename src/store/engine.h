/* engine.h: what a database engine (sqlite.c, postgres.c) gives store.c; internal to store/ */
#ifndef STORE_ENGINE_H
#define STORE_ENGINE_H

#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct engine;

/* The engine's connection embeds this as its first member. */
struct db_conn {
	const struct engine *engine;
	struct db *pool; /* set by store.c; NULL for a connection outside a pool */
	bool in_use;     /* handed out by db_acquire */
};

/* The engine's statement embeds this as its first member. */
struct db_stmt {
	struct db_conn *conn;
};

/* One engine. Every function gets connections and statements of its own engine.
 * Functions returning enum status log their failures (except STATUS_CONFLICT). */
struct engine {
	const char *name; /* "sqlite", "postgresql" */

	/* Opens one connection to target (a path, a conninfo string), ready for use:
	 * settings applied, no transaction open. */
	enum status (*open)(const char *target, struct db_conn **out);
	/* Closes a connection and everything it cached. */
	void (*close)(struct db_conn *c);

	/* The cached statement for sql (see db_prepare_literal), reset and unbound. */
	enum status (*prepare)(struct db_conn *c, const char *sql, struct db_stmt **out);
	/* Bind failures are remembered by the statement and reported by step. */
	void (*bind_int64)(struct db_stmt *st, int index, int64_t v);
	void (*bind_text)(struct db_stmt *st, int index, const char *s, size_t n);
	void (*bind_blob)(struct db_stmt *st, int index, const void *p, size_t n);
	void (*bind_null)(struct db_stmt *st, int index);
	enum status (*step)(struct db_stmt *st, bool *has_row);
	int64_t (*column_int64)(struct db_stmt *st, int col);
	const char *(*column_text)(struct db_stmt *st, int col);
	size_t (*column_bytes)(struct db_stmt *st, int col);
	const void *(*column_blob)(struct db_stmt *st, int col);
	bool (*column_is_null)(struct db_stmt *st, int col);
	int64_t (*last_insert_id)(struct db_conn *c);
	int64_t (*changes)(struct db_conn *c);

	/* Runs built-in text of one or more statements (migrations, tests). */
	enum status (*exec_script)(struct db_conn *c, const char *sql);

	/* Transactions; begin takes the write lock at once when write is true. */
	enum status (*begin)(struct db_conn *c, bool write);
	enum status (*commit)(struct db_conn *c);
	/* Rolls back if a transaction is open; resets statements left mid-way. */
	void (*rollback)(struct db_conn *c);

	/* Writes a consistent copy of the database of c to path, replacing it atomically. */
	enum status (*backup)(struct db_conn *c, const char *path);
	/* Checks the copy at path and writes it over the database at target. */
	enum status (*restore)(const char *target, const char *path);
};

extern const struct engine sqlite_engine;
extern const struct engine postgres_engine;

/* The engine for a database URL and, in *target, what it opens (a path, a conninfo).
 * NULL and a logged error for a URL of no engine (store.c). */
const struct engine *store_engine_for(const char *url, const char **target);

/* Runs the migrations built into the binary that c has not seen yet (migrate.c). */
enum status migrate_run(struct db_conn *c);

#endif
