/* sqlite.c: the SQLite engine: connection settings, statement cache, transactions, backup, restore */
#include "store/engine.h"

#include "base/log.h"
#include "store/stmt_cache.h"

#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	BUSY_TIMEOUT_MS = 5000, /* how long a writer waits for the write lock */
	BACKUP_TRIES = 50,      /* backup steps retried while busy, 100 ms apart */
};

/* A cached statement. Lives as long as its connection. */
struct sqlite_stmt {
	struct db_stmt base;
	sqlite3_stmt *stmt;
	const char *text; /* the SQL, owned by the cache */
	int bind_rc;      /* first bind failure since prepare, SQLITE_OK if none */
};

struct sqlite_conn {
	struct db_conn base;
	sqlite3 *db;
	struct stmt_cache cache;
	bool holds_writer_lock; /* between db_begin and the end of its transaction */
};

/* The writers of this process queue here before BEGIN IMMEDIATE. SQLite's busy handler
 * polls the write lock with sleeps growing to 100 ms, so under a few concurrent writers
 * some waited over a second while others came and went (bench/dossiers.sh, online intake
 * at 8 connections: p50 9 ms, p99 1.45 s); a mutex hands the lock to the next writer as
 * soon as it is free. Other processes (the command line) still meet the busy handler. */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;

static bool writer_lock_take(struct sqlite_conn *c)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += BUSY_TIMEOUT_MS / 1000;
	if (pthread_mutex_timedlock(&writer_lock, &until) != 0)
		return false;
	c->holds_writer_lock = true;
	return true;
}

/* Gives the writers' mutex back once the connection's transaction is over. */
static void writer_lock_release(struct sqlite_conn *c)
{
	if (c->holds_writer_lock && sqlite3_get_autocommit(c->db)) {
		c->holds_writer_lock = false;
		pthread_mutex_unlock(&writer_lock);
	}
}

static struct sqlite_conn *conn_of(struct db_conn *c)
{
	return (struct sqlite_conn *)c;
}

static struct sqlite_stmt *stmt_of(struct db_stmt *st)
{
	return (struct sqlite_stmt *)st;
}

/* Maps an SQLite result code to a status and logs what is not routine. */
static enum status sqlite_status(sqlite3 *db, int rc, const char *what, const char *sql)
{
	const char *msg = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		log_warn("database busy, cannot %s '%.200s': %s", what, sql, msg);
		return STATUS_UNAVAILABLE;
	case SQLITE_CONSTRAINT:
		/* A duplicate key is a normal outcome; any other violation hints at a bug. */
		if (rc != SQLITE_CONSTRAINT_UNIQUE && rc != SQLITE_CONSTRAINT_PRIMARYKEY)
			log_warn("constraint failed in '%.200s': %s", sql, msg);
		return STATUS_CONFLICT;
	case SQLITE_TOOBIG:
		log_warn("value too big for '%.200s'", sql);
		return STATUS_TOO_LARGE;
	default:
		log_error("sqlite cannot %s '%.200s': %s (%d)", what, sql, msg, rc);
		return STATUS_INTERNAL;
	}
}

/* Prepares sql and adds it to the cache. */
static enum status stmt_new(struct sqlite_conn *c, const char *sql, struct sqlite_stmt **out)
{
	sqlite3_stmt *stmt = NULL;
	const char *tail = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
	if (rc != SQLITE_OK)
		return sqlite_status(c->db, rc, "prepare", sql);
	while (tail != NULL && (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r'))
		tail++;
	if (stmt == NULL || (tail != NULL && *tail != '\0')) {
		log_error("not exactly one statement in '%.200s'", sql);
		sqlite3_finalize(stmt);
		return STATUS_INTERNAL;
	}

	struct sqlite_stmt *e = calloc(1, sizeof *e);
	const char *text = e != NULL ? stmt_cache_add(&c->cache, sql, &e->base) : NULL;
	if (text == NULL) {
		log_error("out of memory caching '%.200s'", sql);
		free(e);
		sqlite3_finalize(stmt);
		return STATUS_INTERNAL;
	}
	*e = (struct sqlite_stmt){ .base = { &c->base }, .stmt = stmt, .text = text };
	*out = e;
	return STATUS_OK;
}

static enum status sqlite_prepare(struct db_conn *base, const char *sql, struct db_stmt **out)
{
	struct sqlite_conn *c = conn_of(base);
	struct db_stmt *found = stmt_cache_find(&c->cache, sql);
	struct sqlite_stmt *e = found != NULL ? stmt_of(found) : NULL;
	if (e == NULL) {
		enum status st = stmt_new(c, sql, &e);
		if (st != STATUS_OK)
			return st;
	}
	sqlite3_reset(e->stmt);
	sqlite3_clear_bindings(e->stmt);
	e->bind_rc = SQLITE_OK;
	*out = &e->base;
	return STATUS_OK;
}

static void bind_result(struct sqlite_stmt *s, int rc)
{
	if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK)
		s->bind_rc = rc;
}

static void sqlite_bind_int64(struct db_stmt *st, int index, int64_t v)
{
	struct sqlite_stmt *s = stmt_of(st);
	bind_result(s, sqlite3_bind_int64(s->stmt, index, v));
}

static void sqlite_bind_text(struct db_stmt *st, int index, const char *text, size_t n)
{
	struct sqlite_stmt *s = stmt_of(st);
	bind_result(s, sqlite3_bind_text64(s->stmt, index, text, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static void sqlite_bind_blob(struct db_stmt *st, int index, const void *p, size_t n)
{
	struct sqlite_stmt *s = stmt_of(st);
	/* sqlite3_bind_blob with a NULL pointer binds NULL: an empty blob is not NULL. */
	if (n == 0)
		bind_result(s, sqlite3_bind_zeroblob(s->stmt, index, 0));
	else
		bind_result(s, sqlite3_bind_blob64(s->stmt, index, p, n, SQLITE_TRANSIENT));
}

static void sqlite_bind_null(struct db_stmt *st, int index)
{
	struct sqlite_stmt *s = stmt_of(st);
	bind_result(s, sqlite3_bind_null(s->stmt, index));
}

static enum status sqlite_step(struct db_stmt *st, bool *has_row)
{
	struct sqlite_stmt *s = stmt_of(st);
	sqlite3 *db = conn_of(st->conn)->db;
	*has_row = false;
	if (s->bind_rc != SQLITE_OK) {
		log_error("cannot bind a value for '%.200s': %s", s->text, sqlite3_errstr(s->bind_rc));
		return s->bind_rc == SQLITE_TOOBIG ? STATUS_TOO_LARGE : STATUS_INTERNAL;
	}
	int rc = sqlite3_step(s->stmt);
	if (rc == SQLITE_ROW) {
		*has_row = true;
		return STATUS_OK;
	}
	if (rc == SQLITE_DONE)
		return STATUS_OK;
	enum status status = sqlite_status(db, rc, "run", s->text);
	sqlite3_reset(s->stmt);
	return status;
}

static int64_t sqlite_column_int64(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(stmt_of(st)->stmt, col);
}

static const char *sqlite_column_text(struct db_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt_of(st)->stmt, col);
	return t != NULL ? (const char *)t : "";
}

static size_t sqlite_column_bytes(struct db_stmt *st, int col)
{
	return (size_t)sqlite3_column_bytes(stmt_of(st)->stmt, col);
}

static const void *sqlite_column_blob(struct db_stmt *st, int col)
{
	/* Never NULL, so memcpy(dst, blob, 0) stays defined. */
	const void *p = sqlite3_column_blob(stmt_of(st)->stmt, col);
	return p != NULL ? p : "";
}

static bool sqlite_column_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(stmt_of(st)->stmt, col) == SQLITE_NULL;
}

static int64_t sqlite_last_insert_id(struct db_conn *c)
{
	return sqlite3_last_insert_rowid(conn_of(c)->db);
}

static int64_t sqlite_changes(struct db_conn *c)
{
	return sqlite3_changes64(conn_of(c)->db);
}

static enum status sqlite_exec_script(struct db_conn *c, const char *sql)
{
	sqlite3 *db = conn_of(c)->db;
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? STATUS_OK : sqlite_status(db, rc, "run script", sql);
}

/* Runs one cached literal statement that returns no rows. */
static enum status run_literal(struct db_conn *c, const char *sql)
{
	struct db_stmt *st;
	enum status s = sqlite_prepare(c, sql, &st);
	bool has_row = true;
	while (s == STATUS_OK && has_row)
		s = sqlite_step(st, &has_row);
	return s;
}

static enum status sqlite_begin(struct db_conn *c, bool write)
{
	/* A statement stopped before its last row (a single-row read earlier in the request)
	 * keeps a read snapshot open: BEGIN IMMEDIATE on a snapshot another writer has since
	 * passed fails at once with SQLITE_BUSY instead of waiting. Outside a transaction
	 * nothing may rely on such a statement across a begin, so end them first. */
	sqlite3 *db = conn_of(c)->db;
	if (sqlite3_get_autocommit(db)) {
		for (sqlite3_stmt *s = sqlite3_next_stmt(db, NULL); s != NULL;
		     s = sqlite3_next_stmt(db, s)) {
			if (sqlite3_stmt_busy(s))
				sqlite3_reset(s);
		}
	}
	if (!write)
		return run_literal(c, "BEGIN");
	struct sqlite_conn *sc = conn_of(c);
	if (!sc->holds_writer_lock && !writer_lock_take(sc)) {
		log_warn("database busy: no write lock within %d ms", BUSY_TIMEOUT_MS);
		return STATUS_UNAVAILABLE;
	}
	/* IMMEDIATE takes the write lock now, waiting up to the busy timeout, so a
	 * writer never fails half-way when it upgrades from reading. */
	enum status st = run_literal(c, "BEGIN IMMEDIATE");
	writer_lock_release(sc); /* only if the BEGIN failed */
	return st;
}

static enum status sqlite_commit(struct db_conn *c)
{
	enum status st = run_literal(c, "COMMIT");
	writer_lock_release(conn_of(c)); /* a failed COMMIT leaves it to the rollback */
	return st;
}

static void sqlite_rollback(struct db_conn *base)
{
	sqlite3 *db = conn_of(base)->db;
	/* A statement stopped before its last row keeps a read snapshot open. */
	for (sqlite3_stmt *s = sqlite3_next_stmt(db, NULL); s != NULL; s = sqlite3_next_stmt(db, s)) {
		if (sqlite3_stmt_busy(s))
			sqlite3_reset(s);
	}
	if (!sqlite3_get_autocommit(db))
		run_literal(base, "ROLLBACK");
	writer_lock_release(conn_of(base));
}

/* Runs a PRAGMA; if want is not NULL, its one result must equal want. */
static bool pragma(sqlite3 *db, const char *sql, const char *want)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	bool ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
	if (ok && want != NULL) {
		const unsigned char *got = rc == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : NULL;
		ok = got != NULL && sqlite3_stricmp((const char *)got, want) == 0;
		if (!ok)
			log_error("'%s' gave '%s', not '%s'", sql, got != NULL ? (const char *)got : "",
				want);
	} else if (!ok) {
		log_error("'%s' failed: %s", sql, sqlite3_errmsg(db));
	}
	sqlite3_finalize(stmt);
	return ok;
}

/* Settings of every connection. */
static bool configure(sqlite3 *db)
{
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	/* "text" is an identifier only, as in PostgreSQL; and no SQL can corrupt the file. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	/* synchronous=FULL: in WAL mode NORMAL may lose the last commits on power loss
	 * (they are synced only at checkpoint). A citizen who got a receipt number must
	 * find the dossier after a power cut, and one WAL fsync a commit is cheap at a
	 * ward's write rate. */
	return pragma(db, "PRAGMA journal_mode = WAL", "wal")
		&& pragma(db, "PRAGMA synchronous = FULL", NULL)
		&& pragma(db, "PRAGMA foreign_keys = ON", NULL)
		&& pragma(db, "PRAGMA foreign_keys", "1");
}

static void stmt_free(struct db_stmt *st, void *arg)
{
	(void)arg;
	sqlite3_finalize(stmt_of(st)->stmt);
	free(st);
}

static void sqlite_close(struct db_conn *base)
{
	struct sqlite_conn *c = conn_of(base);
	stmt_cache_each(&c->cache, stmt_free, NULL);
	stmt_cache_release(&c->cache);
	if (sqlite3_close(c->db) != SQLITE_OK)
		log_error("cannot close database: %s", sqlite3_errmsg(c->db));
	free(c);
}

static enum status sqlite_open(const char *target, struct db_conn **out)
{
	struct sqlite_conn *c = calloc(1, sizeof *c);
	if (c == NULL)
		return STATUS_INTERNAL;
	c->base.engine = &sqlite_engine;
	int rc = sqlite3_open_v2(target, &c->db,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK || !stmt_cache_init(&c->cache)) {
		log_error("cannot open database '%s': %s", target,
			c->db != NULL ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		sqlite_close(&c->base);
		return STATUS_INTERNAL;
	}
	if (!configure(c->db)) {
		log_error("cannot configure database '%s'", target);
		sqlite_close(&c->base);
		return STATUS_INTERNAL;
	}
	*out = &c->base;
	return STATUS_OK;
}

/* Whether both paths name the same existing file. */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (a == NULL || b == NULL || stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Makes a rename in the folder of path survive a power cut. */
static void sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char folder[4096];
	if (slash == NULL)
		snprintf(folder, sizeof folder, ".");
	else if (slash == path)
		snprintf(folder, sizeof folder, "/");
	else
		snprintf(folder, sizeof folder, "%.*s", (int)(slash - path), path);
	int fd = open(folder, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return;
	fsync(fd);
	close(fd);
}

/* Copies the main database of from over the one of to, in one consistent step. */
static enum status copy_database(sqlite3 *to, sqlite3 *from, const char *to_name)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	if (b == NULL)
		return sqlite_status(to, sqlite3_errcode(to), "start backup to", to_name);
	int rc;
	int tries = 0;
	for (;;) {
		rc = sqlite3_backup_step(b, -1);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || ++tries >= BACKUP_TRIES)
			break;
		sqlite3_sleep(100);
	}
	sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		return STATUS_OK;
	return sqlite_status(to, rc, "copy database to", to_name);
}

static sqlite3 *open_plain(const char *path, int flags)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_error("cannot open '%s': %s", path, db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	return db;
}

static enum status sqlite_backup(struct db_conn *base, const char *path)
{
	sqlite3 *db = conn_of(base)->db;
	if (same_file(sqlite3_db_filename(db, "main"), path)) {
		log_error("will not back up the database onto itself '%s'", path);
		return STATUS_INVALID;
	}
	size_t n = strlen(path) + sizeof ".tmp";
	char *tmp = malloc(n);
	if (tmp == NULL)
		return STATUS_INTERNAL;
	snprintf(tmp, n, "%s.tmp", path);
	if (unlink(tmp) != 0 && errno != ENOENT)
		log_warn("cannot remove '%s'", tmp);

	enum status s = STATUS_INTERNAL;
	sqlite3 *to = open_plain(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (to != NULL) {
		s = copy_database(to, db, tmp);
		/* A single self-contained file, whatever the live database uses. */
		if (s == STATUS_OK && !pragma(to, "PRAGMA journal_mode = DELETE", "delete"))
			s = STATUS_INTERNAL;
		if (sqlite3_close(to) != SQLITE_OK)
			s = STATUS_INTERNAL;
	}
	if (s == STATUS_OK && rename(tmp, path) != 0) {
		log_error("cannot rename '%s' to '%s'", tmp, path);
		s = STATUS_INTERNAL;
	}
	if (s == STATUS_OK)
		sync_folder(path);
	else
		unlink(tmp);
	free(tmp);
	return s;
}

/* Whether db is a sound SQLite database of ours. */
static bool is_our_database(sqlite3 *db, const char *path)
{
	sqlite3_stmt *stmt = NULL;
	bool ok = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK
		&& sqlite3_step(stmt) == SQLITE_ROW
		&& strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") == 0;
	sqlite3_finalize(stmt);
	if (!ok) {
		log_error("'%s' is not a sound sqlite database: %s", path, sqlite3_errmsg(db));
		return false;
	}
	stmt = NULL;
	ok = sqlite3_prepare_v2(db,
		"SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'",
		-1, &stmt, NULL) == SQLITE_OK
		&& sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_finalize(stmt);
	if (!ok)
		log_error("'%s' has no schema_migrations table: not a database of this program", path);
	return ok;
}

static enum status sqlite_restore(const char *target, const char *path)
{
	if (access(path, R_OK) != 0) {
		log_error("cannot read backup '%s'", path);
		return STATUS_NOT_FOUND;
	}
	if (same_file(target, path)) {
		log_error("will not restore '%s' onto itself", path);
		return STATUS_INVALID;
	}
	sqlite3 *from = open_plain(path, SQLITE_OPEN_READONLY);
	if (from == NULL)
		return STATUS_INVALID;
	enum status s = STATUS_INVALID;
	if (is_our_database(from, path)) {
		sqlite3 *to = open_plain(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
		s = to != NULL ? copy_database(to, from, target) : STATUS_INTERNAL;
		if (to != NULL && sqlite3_close(to) != SQLITE_OK)
			s = STATUS_INTERNAL;
	}
	sqlite3_close(from);
	if (s == STATUS_OK)
		log_info("restored '%s' from '%s'", target, path);
	return s;
}

const struct engine sqlite_engine = {
	.name = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.prepare = sqlite_prepare,
	.bind_int64 = sqlite_bind_int64,
	.bind_text = sqlite_bind_text,
	.bind_blob = sqlite_bind_blob,
	.bind_null = sqlite_bind_null,
	.step = sqlite_step,
	.column_int64 = sqlite_column_int64,
	.column_text = sqlite_column_text,
	.column_bytes = sqlite_column_bytes,
	.column_blob = sqlite_column_blob,
	.column_is_null = sqlite_column_is_null,
	.last_insert_id = sqlite_last_insert_id,
	.changes = sqlite_changes,
	.exec_script = sqlite_exec_script,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.backup = sqlite_backup,
	.restore = sqlite_restore,
};
