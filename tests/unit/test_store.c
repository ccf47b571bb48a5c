/* test_store.c: the SQLite store: migrations, binds and columns, statement cache, errors, transactions, pool, backup */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/migrations.h"
#include "store/store.h"

static char folder[] = "/tmp/phuong-test-store-XXXXXX";

/* A fresh database path in the test folder. */
static const char *new_path(void)
{
	static char path[256];
	static int n;
	snprintf(path, sizeof path, "%s/db%d.sqlite", folder, ++n);
	return path;
}

static struct db *open_scratch(const char *path, int pool_size)
{
	struct db *db = db_open(path, pool_size);
	assert_non_null(db);
	struct db_conn *c = db_acquire(db);
	assert_int_equal(db_exec_script(c,
		"CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, i INTEGER, s TEXT, b BLOB,"
		" code TEXT UNIQUE, must TEXT NOT NULL DEFAULT '');"
		"CREATE TABLE IF NOT EXISTS child (id INTEGER PRIMARY KEY,"
		" item_id INTEGER NOT NULL REFERENCES item(id))"), STATUS_OK);
	db_release(c);
	return db;
}

static int64_t count_rows(struct db_stmt *st)
{
	bool has_row = false;
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_true(has_row);
	return db_column_int64(st, 0);
}

static int64_t count_items(struct db_conn *c)
{
	struct db_stmt *st;
	assert_int_equal(db_prepare(c, "SELECT count(*) FROM item", &st), STATUS_OK);
	return count_rows(st);
}

static int64_t count_migrations(struct db_conn *c)
{
	struct db_stmt *st;
	assert_int_equal(db_prepare(c, "SELECT count(*) FROM schema_migrations", &st), STATUS_OK);
	return count_rows(st);
}

static enum status insert_code(struct db_conn *c, const char *code)
{
	struct db_stmt *st;
	enum status s = db_prepare(c, "INSERT INTO item (code) VALUES (?1)", &st);
	if (s != STATUS_OK)
		return s;
	db_bind_text(st, 1, code);
	return db_exec(st);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(folder) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	DIR *d = opendir(folder);
	if (d == NULL)
		return -1;
	char path[512];
	for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(folder);
}

static void migrations_apply_once(void **state)
{
	(void)state;
	const char *path = new_path();
	char url[300];
	snprintf(url, sizeof url, "sqlite:%s", path);
	struct db *db = db_open(url, 2);
	assert_non_null(db);
	assert_string_equal(db_engine(db), "sqlite");
	struct db_conn *c = db_acquire(db);
	assert_int_equal(count_migrations(c), (int64_t)migrations_count);
	struct db_stmt *st;
	bool has_row;
	assert_int_equal(db_prepare(c, "SELECT name, applied_at FROM schema_migrations ORDER BY name",
		&st), STATUS_OK);
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_true(has_row);
	assert_string_equal(db_column_text(st, 0), "0001_base.sql");
	int64_t first_applied = db_column_int64(st, 1);
	assert_true(first_applied > 0);
	/* A row that a re-run of the migrations would not survive. */
	assert_int_equal(db_prepare(c, "UPDATE schema_migrations SET applied_at = 7 WHERE name = ?1",
		&st), STATUS_OK);
	db_bind_text(st, 1, "0001_base.sql");
	assert_int_equal(db_exec(st), STATUS_OK);
	assert_int_equal(db_changes(c), 1);
	db_release(c);
	db_close(db);

	db = db_open(path, 1); /* a bare path */
	assert_non_null(db);
	c = db_acquire(db);
	assert_int_equal(count_migrations(c), (int64_t)migrations_count);
	assert_int_equal(db_prepare(c, "SELECT applied_at FROM schema_migrations WHERE name = ?1", &st),
		STATUS_OK);
	db_bind_text(st, 1, "0001_base.sql");
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_true(has_row);
	assert_int_equal(db_column_int64(st, 0), 7);
	db_release(c);
	db_close(db);
}

static void bad_urls_fail(void **state)
{
	(void)state;
	assert_null(db_open("sqlite:", 1));
	assert_null(db_open("", 1));
	assert_null(db_open("postgresql://localhost/phuong", 1));
	assert_null(db_open(new_path(), 0));
	assert_null(db_open("/no/such/folder/x.sqlite", 1));
	db_close(NULL);
	db_release(NULL);
}

static void connection_settings(void **state)
{
	(void)state;
	struct db *db = db_open(new_path(), 1);
	assert_non_null(db);
	struct db_conn *c = db_acquire(db);
	struct db_stmt *st;
	bool has_row;
	assert_int_equal(db_prepare(c, "PRAGMA journal_mode", &st), STATUS_OK);
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_string_equal(db_column_text(st, 0), "wal");
	assert_int_equal(db_prepare(c, "PRAGMA foreign_keys", &st), STATUS_OK);
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_int_equal(db_column_int64(st, 0), 1);
	assert_int_equal(db_prepare(c, "PRAGMA synchronous", &st), STATUS_OK);
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_int_equal(db_column_int64(st, 0), 2); /* FULL */
	/* Double quotes name identifiers only, as in PostgreSQL. */
	assert_int_equal(db_prepare(c, "SELECT \"no such column\"", &st), STATUS_INTERNAL);
	db_release(c);
	db_close(db);
}

static void binds_and_columns_round_trip(void **state)
{
	(void)state;
	struct db *db = open_scratch(new_path(), 1);
	struct db_conn *c = db_acquire(db);
	const char viet[] = "Phường Bến Nghé: Đảng ủy, UBND — hồ sơ số 9";
	const char blob[] = { 'a', '\0', 'b', '\0', '\xff', '\0' };
	struct db_stmt *st;
	bool has_row;

	assert_int_equal(db_prepare(c, "INSERT INTO item (i, s, b) VALUES (?1, ?2, ?3)", &st), STATUS_OK);
	db_bind_int64(st, 1, INT64_MAX);
	db_bind_text(st, 2, viet);
	db_bind_blob(st, 3, blob, sizeof blob);
	assert_int_equal(db_exec(st), STATUS_OK);
	int64_t first = db_last_insert_id(c);

	assert_int_equal(db_prepare(c, "INSERT INTO item (i, s, b) VALUES (?1, ?2, ?3)", &st), STATUS_OK);
	db_bind_int64(st, 1, INT64_MIN);
	db_bind_textn(st, 2, "Hà Nội, Việt Nam", strlen("Hà Nội")); /* a prefix only */
	db_bind_blob(st, 3, NULL, 0);                               /* empty, not NULL */
	assert_int_equal(db_exec(st), STATUS_OK);
	int64_t second = db_last_insert_id(c);
	assert_true(second > first);

	assert_int_equal(db_prepare(c, "INSERT INTO item (i, s, b) VALUES (?1, ?2, ?3)", &st), STATUS_OK);
	db_bind_null(st, 1);
	db_bind_text(st, 2, NULL);
	db_bind_textn(st, 3, NULL, 5);
	assert_int_equal(db_exec(st), STATUS_OK);
	assert_int_equal(db_changes(c), 1);

	assert_int_equal(db_prepare(c, "SELECT i, s, b FROM item ORDER BY id", &st), STATUS_OK);
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_true(has_row);
	assert_int_equal(db_column_int64(st, 0), INT64_MAX);
	assert_string_equal(db_column_text(st, 1), viet);
	assert_int_equal(db_column_bytes(st, 1), strlen(viet));
	assert_int_equal(db_column_bytes(st, 2), sizeof blob);
	assert_memory_equal(db_column_blob(st, 2), blob, sizeof blob);
	assert_false(db_column_is_null(st, 2));

	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_true(has_row);
	assert_int_equal(db_column_int64(st, 0), INT64_MIN);
	assert_string_equal(db_column_text(st, 1), "Hà Nội");
	assert_false(db_column_is_null(st, 2));
	assert_int_equal(db_column_bytes(st, 2), 0);
	assert_non_null(db_column_blob(st, 2));

	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_true(has_row);
	for (int col = 0; col < 3; col++)
		assert_true(db_column_is_null(st, col));
	assert_string_equal(db_column_text(st, 1), "");
	assert_int_equal(db_column_int64(st, 0), 0);
	assert_int_equal(db_column_bytes(st, 2), 0);

	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_false(has_row);
	db_release(c);
	db_close(db);
}

static void statements_are_cached(void **state)
{
	(void)state;
	struct db *db = open_scratch(new_path(), 1);
	struct db_conn *c = db_acquire(db);
	struct db_stmt *a, *b, *other;
	bool has_row;

	assert_int_equal(db_prepare(c, "SELECT ?1", &a), STATUS_OK);
	db_bind_int64(a, 1, 42);
	assert_int_equal(db_step(a, &has_row), STATUS_OK);
	assert_int_equal(db_column_int64(a, 0), 42);

	/* The same literal again: the same statement, reset and with bindings cleared. */
	assert_int_equal(db_prepare(c, "SELECT ?1", &b), STATUS_OK);
	assert_ptr_equal(a, b);
	assert_int_equal(db_step(b, &has_row), STATUS_OK);
	assert_true(has_row);
	assert_true(db_column_is_null(b, 0));

	/* The same text at another address. */
	char copy[] = "SELECT ?1";
	assert_int_equal(db_prepare_literal(c, copy, &b), STATUS_OK);
	assert_ptr_equal(a, b);

	/* Another text at an address used before must not find the old statement. */
	memcpy(copy, "SELECT 2", sizeof "SELECT 2");
	assert_int_equal(db_prepare_literal(c, copy, &other), STATUS_OK);
	assert_ptr_not_equal(a, other);
	assert_int_equal(db_step(other, &has_row), STATUS_OK);
	assert_int_equal(db_column_int64(other, 0), 2);

	/* Enough statements to make both tables grow. */
	char sql[64];
	struct db_stmt *first[100];
	for (int i = 0; i < 100; i++) {
		snprintf(sql, sizeof sql, "SELECT %d", i);
		assert_int_equal(db_prepare_literal(c, sql, &first[i]), STATUS_OK);
	}
	for (int i = 0; i < 100; i++) {
		snprintf(sql, sizeof sql, "SELECT %d", i);
		assert_int_equal(db_prepare_literal(c, sql, &b), STATUS_OK);
		assert_ptr_equal(b, first[i]);
		assert_int_equal(db_step(b, &has_row), STATUS_OK);
		assert_int_equal(db_column_int64(b, 0), i);
	}
	assert_int_equal(db_prepare(c, "SELECT ?1", &b), STATUS_OK);
	assert_ptr_equal(a, b);
	db_release(c);
	db_close(db);
}

static void constraints_are_conflicts(void **state)
{
	(void)state;
	struct db *db = open_scratch(new_path(), 1);
	struct db_conn *c = db_acquire(db);
	struct db_stmt *st;

	assert_int_equal(insert_code(c, "P9"), STATUS_OK);
	assert_int_equal(insert_code(c, "P9"), STATUS_CONFLICT); /* UNIQUE */
	assert_int_equal(db_prepare(c, "INSERT INTO item (must) VALUES (?1)", &st), STATUS_OK);
	db_bind_null(st, 1);
	assert_int_equal(db_exec(st), STATUS_CONFLICT); /* NOT NULL */
	assert_int_equal(db_prepare(c, "INSERT INTO child (item_id) VALUES (?1)", &st), STATUS_OK);
	db_bind_int64(st, 1, 999);
	assert_int_equal(db_exec(st), STATUS_CONFLICT); /* foreign key */
	/* The statement works again after the failure. */
	assert_int_equal(insert_code(c, "P10"), STATUS_OK);
	assert_int_equal(count_items(c), 2);
	db_release(c);
	db_close(db);
}

static void errors_are_internal(void **state)
{
	(void)state;
	struct db *db = open_scratch(new_path(), 1);
	struct db_conn *c = db_acquire(db);
	struct db_stmt *st = NULL;
	assert_int_equal(db_prepare(c, "SELEC nothing", &st), STATUS_INTERNAL);
	assert_int_equal(db_prepare(c, "SELECT * FROM no_such_table", &st), STATUS_INTERNAL);
	assert_int_equal(db_prepare(c, "SELECT 1; SELECT 2", &st), STATUS_INTERNAL);
	assert_int_equal(db_prepare(c, "-- nothing", &st), STATUS_INTERNAL);
	assert_int_equal(db_exec_script(c, "CREATE TABLE item (x)"), STATUS_INTERNAL);
	/* A bind to a placeholder that does not exist is reported by the step. */
	assert_int_equal(db_prepare(c, "SELECT ?1", &st), STATUS_OK);
	db_bind_int64(st, 2, 1);
	bool has_row = true;
	assert_int_equal(db_step(st, &has_row), STATUS_INTERNAL);
	assert_false(has_row);
	/* A transaction inside a transaction is a bug. */
	assert_int_equal(db_begin(c), STATUS_OK);
	assert_int_equal(db_begin(c), STATUS_INTERNAL);
	db_rollback(c);
	/* The connection is still good. */
	assert_int_equal(db_prepare(c, "SELECT ?1", &st), STATUS_OK);
	db_bind_int64(st, 1, 1);
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_true(has_row);
	db_release(c);
	db_close(db);
}

static void transactions_commit_and_roll_back(void **state)
{
	(void)state;
	struct db *db = open_scratch(new_path(), 1);
	struct db_conn *c = db_acquire(db);

	assert_int_equal(db_begin(c), STATUS_OK);
	assert_int_equal(insert_code(c, "a"), STATUS_OK);
	assert_int_equal(insert_code(c, "b"), STATUS_OK);
	db_rollback(c);
	assert_int_equal(count_items(c), 0);

	assert_int_equal(db_begin(c), STATUS_OK);
	assert_int_equal(insert_code(c, "a"), STATUS_OK);
	assert_int_equal(db_commit(c), STATUS_OK);
	assert_int_equal(db_begin_read(c), STATUS_OK);
	assert_int_equal(count_items(c), 1);
	assert_int_equal(db_commit(c), STATUS_OK);
	db_rollback(c); /* nothing open: harmless */

	/* A conflict inside a transaction leaves the transaction usable. */
	assert_int_equal(db_begin(c), STATUS_OK);
	assert_int_equal(insert_code(c, "a"), STATUS_CONFLICT);
	assert_int_equal(insert_code(c, "c"), STATUS_OK);
	assert_int_equal(db_commit(c), STATUS_OK);
	assert_int_equal(count_items(c), 2);
	db_release(c);
	db_close(db);
}

static void release_rolls_back(void **state)
{
	(void)state;
	struct db *db = open_scratch(new_path(), 1);
	struct db_conn *c = db_acquire(db);
	assert_int_equal(db_begin(c), STATUS_OK);
	assert_int_equal(insert_code(c, "lost"), STATUS_OK);
	db_release(c);

	c = db_acquire(db); /* the pool has one connection: the same one */
	assert_int_equal(count_items(c), 0);
	assert_int_equal(db_begin(c), STATUS_OK); /* no transaction was left open */
	db_rollback(c);

	/* A statement stopped after its first row is reset on release: its snapshot
	 * would keep the WAL from being checkpointed. */
	assert_int_equal(insert_code(c, "x"), STATUS_OK);
	assert_int_equal(insert_code(c, "y"), STATUS_OK);
	struct db_stmt *st;
	bool has_row;
	assert_int_equal(db_prepare(c, "SELECT code FROM item", &st), STATUS_OK);
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_true(has_row);
	db_release(c);
	c = db_acquire(db);
	assert_int_equal(db_prepare(c, "PRAGMA wal_checkpoint(TRUNCATE)", &st), STATUS_OK);
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_int_equal(db_column_int64(st, 0), 0); /* not blocked */
	db_release(c);
	db_close(db);
}

struct worker {
	struct db *db;
	int id;
	int inserts;
	int failures;
};

static void *insert_many(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < w->inserts; i++) {
		struct db_conn *c = db_acquire(w->db);
		struct db_stmt *st;
		enum status s = db_begin(c);
		if (s == STATUS_OK)
			s = db_prepare(c, "INSERT INTO item (i, s) VALUES (?1, ?2)", &st);
		if (s == STATUS_OK) {
			db_bind_int64(st, 1, w->id * 1000 + i);
			db_bind_text(st, 2, "hồ sơ");
			s = db_exec(st);
		}
		if (s == STATUS_OK)
			s = db_commit(c);
		if (s != STATUS_OK)
			w->failures++;
		db_release(c);
	}
	return NULL;
}

static void run_threads(int pool_size, int inserts)
{
	enum { THREADS = 4 };
	struct db *db = open_scratch(new_path(), pool_size);
	pthread_t threads[THREADS];
	struct worker workers[THREADS];
	for (int i = 0; i < THREADS; i++) {
		workers[i] = (struct worker){ .db = db, .id = i, .inserts = inserts };
		assert_int_equal(pthread_create(&threads[i], NULL, insert_many, &workers[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(workers[i].failures, 0);
	}
	struct db_conn *c = db_acquire(db);
	assert_int_equal(count_items(c), THREADS * inserts);
	struct db_stmt *st;
	bool has_row;
	assert_int_equal(db_prepare(c, "SELECT count(DISTINCT i) FROM item", &st), STATUS_OK);
	assert_int_equal(db_step(st, &has_row), STATUS_OK);
	assert_int_equal(db_column_int64(st, 0), THREADS * inserts);
	db_release(c);
	db_close(db);
}

static void threads_share_the_pool(void **state)
{
	(void)state;
	run_threads(4, 200);
	run_threads(2, 50); /* threads wait for a free connection */
}

static void backup_and_restore(void **state)
{
	(void)state;
	char live[256], copy[256], tmp[300];
	snprintf(live, sizeof live, "%s", new_path());
	snprintf(copy, sizeof copy, "%s", new_path());
	snprintf(tmp, sizeof tmp, "%s.tmp", copy);

	struct db *db = open_scratch(live, 2);
	struct db_conn *c = db_acquire(db);
	assert_int_equal(insert_code(c, "old"), STATUS_OK);
	db_release(c);
	assert_int_equal(db_backup(db, copy), STATUS_OK);
	c = db_acquire(db);
	assert_int_equal(insert_code(c, "kept"), STATUS_OK);
	db_release(c);
	/* A second backup replaces the first; no temporary file is left. */
	assert_int_equal(db_backup(db, copy), STATUS_OK);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(db_backup(db, live), STATUS_INVALID); /* onto itself */
	/* One self-contained file: rollback journal mode (header bytes 18 and 19 are 1, not 2 for WAL). */
	unsigned char header[100];
	FILE *f = fopen(copy, "rb");
	assert_non_null(f);
	assert_int_equal(fread(header, 1, sizeof header, f), sizeof header);
	fclose(f);
	assert_memory_equal(header, "SQLite format 3", 16);
	assert_int_equal(header[18], 1);
	assert_int_equal(header[19], 1);

	struct db *b = db_open(copy, 1);
	assert_non_null(b);
	c = db_acquire(b);
	assert_int_equal(count_items(c), 2);
	assert_int_equal(count_migrations(c), (int64_t)migrations_count);
	db_release(c);
	db_close(b);

	/* Changes after the backup are undone by a restore. */
	c = db_acquire(db);
	assert_int_equal(insert_code(c, "after"), STATUS_OK);
	db_release(c);
	db_close(db);
	assert_int_equal(db_restore(live, copy), STATUS_OK);
	db = db_open(live, 1);
	assert_non_null(db);
	c = db_acquire(db);
	assert_int_equal(count_items(c), 2);
	db_release(c);
	db_close(db);

	/* Only a sound database of this program is restored. */
	assert_int_equal(db_restore(live, "/no/such/backup"), STATUS_NOT_FOUND);
	assert_int_equal(db_restore(live, live), STATUS_INVALID);
	const char *junk = new_path();
	f = fopen(junk, "w");
	assert_non_null(f);
	fputs("not a database, just text that is long enough to look like a header", f);
	fclose(f);
	assert_int_equal(db_restore(live, junk), STATUS_INVALID);
	struct db *other = db_open(new_path(), 1);
	c = db_acquire(other);
	assert_int_equal(db_exec_script(c, "DROP TABLE schema_migrations"), STATUS_OK);
	db_release(c);
	snprintf(tmp, sizeof tmp, "%s", new_path());
	assert_int_equal(db_backup(other, tmp), STATUS_OK);
	db_close(other);
	assert_int_equal(db_restore(live, tmp), STATUS_INVALID);

	db = db_open(live, 1); /* still the restored data */
	c = db_acquire(db);
	assert_int_equal(count_items(c), 2);
	db_release(c);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrations_apply_once),
		cmocka_unit_test(bad_urls_fail),
		cmocka_unit_test(connection_settings),
		cmocka_unit_test(binds_and_columns_round_trip),
		cmocka_unit_test(statements_are_cached),
		cmocka_unit_test(constraints_are_conflicts),
		cmocka_unit_test(errors_are_internal),
		cmocka_unit_test(transactions_commit_and_roll_back),
		cmocka_unit_test(release_rolls_back),
		cmocka_unit_test(threads_share_the_pool),
		cmocka_unit_test(backup_and_restore),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
