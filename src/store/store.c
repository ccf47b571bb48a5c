/* store.c: the database API of store.h: URL parsing, the connection pool, dispatch to the engine */
#include "store/store.h"

#include "base/log.h"
#include "store/engine.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { DB_POOL_MAX = 256 };

struct db {
	const struct engine *engine;
	pthread_mutex_t lock;
	pthread_cond_t freed; /* signalled when a connection goes back to idle */
	int size;
	int idle_count;
	struct db_conn **conns; /* all of them, size entries */
	struct db_conn **idle;  /* a stack of idle_count free ones */
	uint64_t acquires, waits, wait_us; /* db_pool_stats; under lock */
};

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* url as it may be logged: a password in it ("postgresql://user:secret@host", or
 * "?password=secret") is replaced by "***", and the rest of a query string is cut. */
static const char *url_for_log(const char *url, char *buf, size_t size)
{
	const char *scheme_end = strstr(url, "://");
	if (scheme_end == NULL)
		return url;
	const char *host = scheme_end + 3;
	size_t authority = strcspn(host, "/?#");
	const char *at = memchr(host, '@', authority);
	const char *colon = at != NULL ? memchr(host, ':', (size_t)(at - host)) : NULL;
	const char *query = strchr(host, '?');
	int keep = query != NULL ? (int)(query - url) : (int)strlen(url);
	if (colon != NULL)
		snprintf(buf, size, "%.*s:***%.*s%s", (int)(colon - url), url, keep - (int)(at - url),
			at, query != NULL ? "?..." : "");
	else
		snprintf(buf, size, "%.*s%s", keep, url, query != NULL ? "?..." : "");
	return buf;
}

static void log_cannot_open(const char *url)
{
	char shown[512];
	log_error("cannot open database '%s'", url_for_log(url, shown, sizeof shown));
}

/* The engine for url and, in *target, what it opens: "sqlite:PATH" or a bare PATH, or the
 * whole URL as a PostgreSQL conninfo. */
const struct engine *store_engine_for(const char *url, const char **target)
{
	if (url == NULL || url[0] == '\0') {
		log_error("no database url");
		return NULL;
	}
	if (has_prefix(url, "postgres://") || has_prefix(url, "postgresql://")) {
		*target = url;
		return &postgres_engine;
	}
	if (has_prefix(url, "postgres:") || has_prefix(url, "postgresql:")) {
		char shown[512];
		log_error("'%s' is not a postgresql url: write postgresql://USER@HOST:PORT/NAME",
			url_for_log(url, shown, sizeof shown));
		return NULL;
	}
	*target = has_prefix(url, "sqlite:") ? url + strlen("sqlite:") : url;
	if ((*target)[0] == '\0') {
		log_error("no path in database url '%s'", url);
		return NULL;
	}
	return &sqlite_engine;
}

struct db *db_open(const char *url, int pool_size)
{
	const char *target = NULL;
	const struct engine *engine = store_engine_for(url, &target);
	if (engine == NULL)
		return NULL;
	if (pool_size < 1 || pool_size > DB_POOL_MAX) {
		log_error("database pool size %d is not within 1..%d", pool_size, DB_POOL_MAX);
		return NULL;
	}
	struct db *db = calloc(1, sizeof *db);
	if (db == NULL)
		return NULL;
	db->engine = engine;
	db->conns = calloc((size_t)pool_size, sizeof *db->conns);
	db->idle = calloc((size_t)pool_size, sizeof *db->idle);
	if (db->conns == NULL || db->idle == NULL) {
		free(db->conns);
		free(db->idle);
		free(db);
		return NULL;
	}
	pthread_mutex_init(&db->lock, NULL);
	/* A monotonic clock for db_acquire_within's bound: a clock step must not stretch it. */
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&db->freed, &attr);
	pthread_condattr_destroy(&attr);

	for (int i = 0; i < pool_size; i++) {
		struct db_conn *c;
		if (engine->open(target, &c) != STATUS_OK)
			goto fail;
		c->pool = db;
		db->conns[db->size++] = c;
		db->idle[db->idle_count++] = c;
		/* Migrate on the first connection, before the others see the schema. */
		if (i == 0 && migrate_run(c) != STATUS_OK)
			goto fail;
	}
	return db;

fail:
	log_cannot_open(url);
	db_close(db);
	return NULL;
}

void db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < db->size; i++) {
		if (db->conns[i]->in_use)
			log_error("closing a database connection that is still in use");
		db->engine->close(db->conns[i]);
	}
	pthread_cond_destroy(&db->freed);
	pthread_mutex_destroy(&db->lock);
	free(db->conns);
	free(db->idle);
	free(db);
}

static uint64_t monotonic_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Takes an idle connection, waiting until deadline (a CLOCK_MONOTONIC time; NULL: for
 * ever). Counts the call, and a wait with its time. NULL when the deadline passed. */
static struct db_conn *take_idle(struct db *db, const struct timespec *deadline)
{
	pthread_mutex_lock(&db->lock);
	db->acquires++;
	uint64_t wait_start = db->idle_count == 0 ? monotonic_us() : 0;
	bool timed_out = false;
	while (db->idle_count == 0 && !timed_out) {
		if (deadline == NULL)
			pthread_cond_wait(&db->freed, &db->lock);
		else
			timed_out = pthread_cond_timedwait(&db->freed, &db->lock, deadline) != 0 &&
				    db->idle_count == 0;
	}
	if (wait_start != 0) {
		db->waits++;
		db->wait_us += monotonic_us() - wait_start;
	}
	struct db_conn *c = NULL;
	if (db->idle_count > 0) {
		c = db->idle[--db->idle_count];
		c->in_use = true;
	}
	pthread_mutex_unlock(&db->lock);
	return c;
}

struct db_conn *db_acquire(struct db *db)
{
	return take_idle(db, NULL);
}

struct db_conn *db_acquire_within(struct db *db, int timeout_ms)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	return take_idle(db, &deadline);
}

enum status db_ping(struct db_conn *c)
{
	struct db_stmt *st;
	enum status s = db_prepare(c, "SELECT 1 FROM schema_migrations LIMIT 1", &st);
	return s == STATUS_OK ? db_exec(st) : s; /* to the end: no snapshot left held */
}

void db_pool_stats(struct db *db, struct db_pool_stats *out)
{
	pthread_mutex_lock(&db->lock);
	*out = (struct db_pool_stats){ .size = db->size, .in_use = db->size - db->idle_count,
		.acquires = db->acquires, .waits = db->waits, .wait_us = db->wait_us };
	pthread_mutex_unlock(&db->lock);
}

void db_release(struct db_conn *c)
{
	if (c == NULL)
		return;
	/* Nothing half-done goes back to the pool: no open transaction, no statement
	 * part-way through its rows (which would hold a read snapshot). */
	c->engine->rollback(c);
	struct db *db = c->pool;
	if (db == NULL)
		return;
	pthread_mutex_lock(&db->lock);
	c->in_use = false;
	db->idle[db->idle_count++] = c;
	pthread_cond_signal(&db->freed);
	pthread_mutex_unlock(&db->lock);
}

enum status db_prepare_literal(struct db_conn *c, const char *sql, struct db_stmt **out)
{
	return c->engine->prepare(c, sql, out);
}

enum status db_prepare_literal_each(struct db_conn *c, const char *sqlite_sql, const char *pg_sql,
	struct db_stmt **out)
{
	const char *sql = strcmp(c->engine->name, "postgresql") == 0 ? pg_sql : sqlite_sql;
	return c->engine->prepare(c, sql, out);
}

void db_bind_int64(struct db_stmt *st, int index, int64_t v)
{
	st->conn->engine->bind_int64(st, index, v);
}

void db_bind_text(struct db_stmt *st, int index, const char *s)
{
	if (s == NULL)
		st->conn->engine->bind_null(st, index);
	else
		st->conn->engine->bind_text(st, index, s, strlen(s));
}

void db_bind_textn(struct db_stmt *st, int index, const char *s, size_t n)
{
	if (s == NULL)
		st->conn->engine->bind_null(st, index);
	else
		st->conn->engine->bind_text(st, index, s, n);
}

void db_bind_blob(struct db_stmt *st, int index, const void *p, size_t n)
{
	st->conn->engine->bind_blob(st, index, p, n);
}

void db_bind_null(struct db_stmt *st, int index)
{
	st->conn->engine->bind_null(st, index);
}

enum status db_step(struct db_stmt *st, bool *has_row)
{
	return st->conn->engine->step(st, has_row);
}

enum status db_exec(struct db_stmt *st)
{
	bool has_row = true;
	enum status s = STATUS_OK;
	while (s == STATUS_OK && has_row)
		s = db_step(st, &has_row);
	return s;
}

enum status db_query_int64(struct db_stmt *st, int64_t *out)
{
	bool has_row;
	enum status s = db_step(st, &has_row);
	*out = s == STATUS_OK && has_row ? db_column_int64(st, 0) : 0;
	return s;
}

int64_t db_column_int64(struct db_stmt *st, int col)
{
	return st->conn->engine->column_int64(st, col);
}

const char *db_column_text(struct db_stmt *st, int col)
{
	return st->conn->engine->column_text(st, col);
}

size_t db_column_bytes(struct db_stmt *st, int col)
{
	return st->conn->engine->column_bytes(st, col);
}

const void *db_column_blob(struct db_stmt *st, int col)
{
	return st->conn->engine->column_blob(st, col);
}

bool db_column_is_null(struct db_stmt *st, int col)
{
	return st->conn->engine->column_is_null(st, col);
}

enum status db_exec_script(struct db_conn *c, const char *sql)
{
	return c->engine->exec_script(c, sql);
}

int64_t db_last_insert_id(struct db_conn *c)
{
	return c->engine->last_insert_id(c);
}

int64_t db_changes(struct db_conn *c)
{
	return c->engine->changes(c);
}

enum status db_begin(struct db_conn *c)
{
	return c->engine->begin(c, true);
}

enum status db_begin_read(struct db_conn *c)
{
	return c->engine->begin(c, false);
}

enum status db_commit(struct db_conn *c)
{
	return c->engine->commit(c);
}

void db_rollback(struct db_conn *c)
{
	c->engine->rollback(c);
}

enum status db_backup(struct db *db, const char *path)
{
	struct db_conn *c = db_acquire(db);
	enum status s = db->engine->backup(c, path);
	db_release(c);
	return s;
}

enum status db_restore(const char *url, const char *path)
{
	const char *target = NULL;
	const struct engine *engine = store_engine_for(url, &target);
	if (engine == NULL)
		return STATUS_INVALID;
	return engine->restore(target, path);
}

const char *db_engine(const struct db *db)
{
	return db->engine->name;
}
