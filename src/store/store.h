/* store.h: the one database API of the program (SQLite or PostgreSQL behind the same calls)
 *
 * SQL text is always a string literal written with numbered placeholders ?1, ?2 ...;
 * values go in through typed binds only. Use the macro db_prepare(), which refuses a
 * variable at compile time. Statements are prepared once per connection and cached. */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include "base/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;      /* the database: a pool of connections, shared by threads */
struct db_conn; /* one connection, used by one thread at a time */
struct db_stmt; /* a prepared statement of a connection */

/* Opens the database named by url ("sqlite:PATH", a bare path, or a PostgreSQL URL
 * "postgresql://USER@HOST:PORT/NAME?..." also spelt "postgres://") with up to
 * pool_size connections, and applies the migrations built into the binary.
 * NULL and a logged error on failure. */
struct db *db_open(const char *url, int pool_size);
/* Closes every connection (each must have been released). NULL is allowed. */
void db_close(struct db *db);

/* A connection for this thread's work; waits if all are busy. Never NULL. */
struct db_conn *db_acquire(struct db *db);
/* Gives the connection back; rolls back a transaction left open. */
void db_release(struct db_conn *c);
/* Like db_acquire, but waits at most timeout_ms for a free connection: NULL when none
 * came free in time (a health check that must answer quickly). */
struct db_conn *db_acquire_within(struct db *db, int timeout_ms);
/* Runs one trivial read on c (a row of the migrations' table): STATUS_OK when the
 * database answers, else the failure (logged by the engine). Writes nothing. */
enum status db_ping(struct db_conn *c);

/* The pool's counters since db_open, for monitoring: waits are the db_acquire calls that
 * found no idle connection, wait_us the time they spent waiting. */
struct db_pool_stats {
	int size, in_use;
	uint64_t acquires, waits, wait_us;
};
/* Copies the counters of db's pool into out (under the pool's lock: a scrape, not a
 * request, should call it). */
void db_pool_stats(struct db *db, struct db_pool_stats *out);

/* The prepared (cached) statement for literal SQL text, reset and with bindings
 * cleared. STATUS_INTERNAL (logged with the SQL) if it does not compile or holds more
 * than one statement. Preparing the same text again resets the earlier use, so a loop
 * over rows must not prepare its own SQL inside. */
enum status db_prepare_literal(struct db_conn *c, const char *sql, struct db_stmt **out);
#define db_prepare(c, sql, out) db_prepare_literal((c), "" sql "", (out))

/* The same, for the few statements whose SQL differs between the engines (full-text
 * search): the engine picks its own text. Both must be literals. */
enum status db_prepare_literal_each(struct db_conn *c, const char *sqlite_sql, const char *pg_sql,
	struct db_stmt **out);
#define db_prepare_each(c, sqlite_sql, postgresql_sql, out) \
	db_prepare_literal_each((c), "" sqlite_sql "", "" postgresql_sql "", (out))

/* Binds a value to placeholder ?index (1-based). On PostgreSQL an int64 is sent as int8
 * and a blob as bytea, and text holding a NUL byte fails at the step (STATUS_INVALID). */
void db_bind_int64(struct db_stmt *st, int index, int64_t v);
void db_bind_text(struct db_stmt *st, int index, const char *s); /* NULL binds NULL */
void db_bind_textn(struct db_stmt *st, int index, const char *s, size_t n);
void db_bind_blob(struct db_stmt *st, int index, const void *p, size_t n);
void db_bind_null(struct db_stmt *st, int index);

/* Runs one step: STATUS_OK with *has_row true for a row, false when done;
 * STATUS_CONFLICT on a constraint violation; STATUS_UNAVAILABLE when busy. */
enum status db_step(struct db_stmt *st, bool *has_row);
/* Steps a statement that returns no rows to completion. */
enum status db_exec(struct db_stmt *st);

/* Steps once and reads the first column as an integer (a count, an id): 0 when the
 * statement gives no row. */
enum status db_query_int64(struct db_stmt *st, int64_t *out);

/* Column values of the current row (0-based). Text and blobs stay valid until the
 * next step or prepare on this connection: copy what must live longer. On PostgreSQL
 * read a bytea column with db_column_blob (db_column_text gives its "\x..." hex form). */
int64_t db_column_int64(struct db_stmt *st, int col);
const char *db_column_text(struct db_stmt *st, int col); /* "" for NULL */
size_t db_column_bytes(struct db_stmt *st, int col);
const void *db_column_blob(struct db_stmt *st, int col);
bool db_column_is_null(struct db_stmt *st, int col);

/* Runs text holding one or more statements, without binds. Only for SQL built into
 * the binary that is not a single literal statement: migrations and tests. */
enum status db_exec_script(struct db_conn *c, const char *sql);

/* Row id of the last insert on this connection. On PostgreSQL, the last value a sequence
 * gave in this session (lastval()): right only just after an INSERT that took its id from
 * an identity column; 0 before any. */
int64_t db_last_insert_id(struct db_conn *c);
/* Rows changed by the last statement on this connection. */
int64_t db_changes(struct db_conn *c);

/* Transactions. db_begin takes the write lock at once (SQLite BEGIN IMMEDIATE; an
 * advisory lock on PostgreSQL), so two writers never deadlock half-way; db_begin_read is
 * a read snapshot (read only on PostgreSQL). On PostgreSQL any failed statement, even a
 * STATUS_CONFLICT, ends the transaction: roll back, the rest would fail. */
enum status db_begin(struct db_conn *c);
enum status db_begin_read(struct db_conn *c);
enum status db_commit(struct db_conn *c);
void db_rollback(struct db_conn *c);

/* Writes an online, consistent copy of the database to path (SQLite backup API).
 * STATUS_INVALID on PostgreSQL, whose copies pg_dump makes. */
enum status db_backup(struct db *db, const char *path);
/* Replaces the database at url with the copy at path (server must be stopped).
 * STATUS_INVALID on PostgreSQL (pg_restore). */
enum status db_restore(const char *url, const char *path);

/* Called by db_copy for each table copied, with its number of rows. */
typedef void db_copy_report(const char *table, int64_t rows, void *ctx);
/* Copies every row of the SQLite database at sqlite_url (stopped, migrated to this
 * binary's schema) into `to`, which must hold no data yet (STATUS_CONFLICT otherwise),
 * in one transaction: all or nothing. Identity sequences are moved past the copied ids,
 * and each table's row count is checked after the copy. For a ward joining its
 * province's PostgreSQL (phuong migrate-to). */
enum status db_copy(const char *sqlite_url, struct db *to, db_copy_report *report, void *ctx);

/* The name of the engine ("sqlite" or "postgresql"), for the few places that care. */
const char *db_engine(const struct db *db);

#endif
