/* auth_store.c: accounts, sessions and login failures in the database (all of auth's SQL) */
#include "auth/auth.h"

#include "base/arena.h"
#include "store/store.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

enum status auth_user_create(struct db_conn *c, int64_t unit_id, const char *username,
			     const char *display_name, const char *password, const char *role,
			     int64_t now, int64_t *id_out)
{
	if (!auth_username_valid(username) || !auth_role_valid(role) ||
	    auth_password_problem(password) != NULL)
		return STATUS_INVALID;
	char hash[crypto_pwhash_STRBYTES];
	enum status st = auth_hash_password(password, hash);
	if (st)
		return st;
	struct db_stmt *s;
	st = db_prepare(c, "INSERT INTO app_user (unit_id, username, display_name, password_hash,"
			   " role, is_active, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, username);
	db_bind_text(s, 3, display_name != NULL && *display_name ? display_name : username);
	db_bind_text(s, 4, hash);
	db_bind_text(s, 5, role);
	db_bind_int64(s, 6, now);
	st = db_exec(s);
	if (st == STATUS_OK && id_out != NULL)
		*id_out = db_last_insert_id(c);
	return st;
}

static enum status end_sessions_of(struct db_conn *c, int64_t user_id)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "DELETE FROM session WHERE user_id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, user_id);
	return db_exec(s);
}

enum status auth_user_set_password(struct db_conn *c, int64_t unit_id, const char *username,
				   const char *password)
{
	if (auth_password_problem(password) != NULL)
		return STATUS_INVALID;
	char hash[crypto_pwhash_STRBYTES];
	enum status st = auth_hash_password(password, hash);
	if (st)
		return st;
	struct db_stmt *s;
	st = db_prepare(c, "SELECT id FROM app_user WHERE unit_id = ?1 AND username = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, username);
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		return st;
	if (!has_row)
		return STATUS_NOT_FOUND;
	int64_t user_id = db_column_int64(s, 0);
	st = db_prepare(c, "UPDATE app_user SET password_hash = ?2, must_change_password = 0"
			   " WHERE id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, user_id);
	db_bind_text(s, 2, hash);
	st = db_exec(s);
	if (st)
		return st;
	return end_sessions_of(c, user_id);
}

enum status auth_user_require_new_password(struct db_conn *c, int64_t unit_id,
					   const char *username)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "UPDATE app_user SET must_change_password = 1"
				       " WHERE unit_id = ?1 AND username = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, username);
	st = db_exec(s);
	return st == STATUS_OK && db_changes(c) == 0 ? STATUS_NOT_FOUND : st;
}

enum status auth_change_own_password(struct db_conn *c, int64_t unit_id, int64_t user_id,
				     const char *current, const char *password,
				     const char *keep_token)
{
	if (current == NULL || strlen(current) > AUTH_PASSWORD_MAX)
		return STATUS_FORBIDDEN;
	if (auth_password_problem(password) != NULL)
		return STATUS_INVALID;
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT password_hash FROM app_user WHERE id = ?1"
				       " AND unit_id = ?2 AND is_active = 1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, user_id);
	db_bind_int64(s, 2, unit_id);
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		return st;
	bool good = false;
	if (has_row && (st = auth_check_password(db_column_text(s, 0), current, &good)) != STATUS_OK)
		return st;
	if (!good)
		return STATUS_FORBIDDEN;
	char hash[crypto_pwhash_STRBYTES], keep_hash[65];
	st = auth_hash_password(password, hash);
	if (st)
		return st;
	auth_token_hash(keep_token != NULL ? keep_token : "", keep_hash);
	st = db_begin(c);
	if (st)
		return st;
	st = db_prepare(c, "UPDATE app_user SET password_hash = ?2, must_change_password = 0"
			   " WHERE id = ?1", &s);
	if (st == STATUS_OK) {
		db_bind_int64(s, 1, user_id);
		db_bind_text(s, 2, hash);
		st = db_exec(s);
	}
	if (st == STATUS_OK)
		st = db_prepare(c, "DELETE FROM session WHERE user_id = ?1 AND token_hash <> ?2", &s);
	if (st == STATUS_OK) {
		db_bind_int64(s, 1, user_id);
		db_bind_text(s, 2, keep_hash);
		st = db_exec(s);
	}
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st)
		db_rollback(c);
	return st;
}

enum status auth_user_list(struct db_conn *c, int64_t unit_id, json_t **out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT id, username, display_name, role, is_active"
				       " FROM app_user WHERE unit_id = ?1 ORDER BY username", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	json_t *list = json_array();
	bool has_row;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row) {
		const char *role = db_column_text(s, 3);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}",
			"id", (json_int_t)db_column_int64(s, 0), "username", db_column_text(s, 1),
			"display_name", db_column_text(s, 2), "role", role,
			"role_label", auth_role_label(role), "is_active", db_column_int64(s, 4) != 0));
	}
	if (st) {
		json_decref(list);
		return st;
	}
	*out = list;
	return STATUS_OK;
}

enum status auth_user_update(struct db_conn *c, int64_t unit_id, int64_t user_id, const char *role,
			     bool is_active)
{
	if (!auth_role_is_unit(role))
		return STATUS_INVALID;
	/* A unit's admin changes the unit's own staff, never a province account. */
	struct db_stmt *s;
	enum status st = db_prepare(c, "UPDATE app_user SET role = ?3, is_active = ?4"
				       " WHERE id = ?1 AND unit_id = ?2"
				       " AND role NOT IN ('province_admin', 'province_viewer')", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, user_id);
	db_bind_int64(s, 2, unit_id);
	db_bind_text(s, 3, role);
	db_bind_int64(s, 4, is_active);
	st = db_exec(s);
	if (st)
		return st;
	if (db_changes(c) == 0)
		return STATUS_NOT_FOUND;
	return is_active ? STATUS_OK : end_sessions_of(c, user_id);
}

/* Whether recent failures for this name or this address pass the limits, both counted
 * in the unit: one unit's failures never lock another's staff out. */
static enum status login_throttled(struct db_conn *c, int64_t unit_id, const char *username,
				   const char *client_ip, int64_t now, bool *throttled)
{
	struct db_stmt *s;
	enum status st = db_prepare(c,
		"SELECT (SELECT count(*) FROM login_failure WHERE unit_id = ?1 AND username = ?2"
		"        AND at > ?4),"
		"       (SELECT count(*) FROM login_failure WHERE unit_id = ?1 AND client_ip = ?3"
		"        AND at > ?4)", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, username);
	db_bind_text(s, 3, client_ip);
	db_bind_int64(s, 4, now - AUTH_THROTTLE_WINDOW_S);
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		return st;
	*throttled = has_row && (db_column_int64(s, 0) >= AUTH_THROTTLE_PER_USER ||
				 db_column_int64(s, 1) >= AUTH_THROTTLE_PER_IP);
	return STATUS_OK;
}

static enum status login_failed(struct db_conn *c, int64_t unit_id, const char *username,
				const char *client_ip, int64_t now)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "INSERT INTO login_failure (unit_id, username, client_ip, at)"
				       " VALUES (?1, ?2, ?3, ?4)", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, username);
	db_bind_text(s, 3, client_ip);
	db_bind_int64(s, 4, now);
	st = db_exec(s);
	if (st)
		return st;
	/* Old failures are of no use: keep the table small. */
	st = db_prepare(c, "DELETE FROM login_failure WHERE at < ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, now - 24 * 3600);
	return db_exec(s);
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	char password[65];
	auth_random_token(password);
	if (auth_hash_password(password, dummy_hash) != STATUS_OK)
		dummy_hash[0] = '\0';
}

static enum status session_open(struct db_conn *c, struct arena *a, int64_t now,
				struct auth_session *out)
{
	char token[65], token_hash[65], csrf[65];
	auth_random_token(token);
	auth_random_token(csrf);
	auth_token_hash(token, token_hash);
	struct db_stmt *s;
	enum status st = db_prepare(c, "INSERT INTO session (token_hash, unit_id, user_id, csrf,"
				       " created_at, last_seen_at, expires_at)"
				       " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)", &s);
	if (st)
		return st;
	db_bind_text(s, 1, token_hash);
	db_bind_int64(s, 2, out->user.unit_id);
	db_bind_int64(s, 3, out->user.id);
	db_bind_text(s, 4, csrf);
	db_bind_int64(s, 5, now);
	db_bind_int64(s, 6, now + AUTH_SESSION_MAX_S);
	st = db_exec(s);
	out->token = arena_strdup(a, token);
	out->csrf = arena_strdup(a, csrf);
	sodium_memzero(token, sizeof token);
	return st;
}

enum status auth_login(struct db_conn *c, struct arena *a, int64_t unit_id, const char *username,
		       const char *password, const char *client_ip, int64_t now,
		       struct auth_session *out)
{
	if (username == NULL || password == NULL || strlen(username) > AUTH_USERNAME_MAX ||
	    strlen(password) > AUTH_PASSWORD_MAX)
		return STATUS_FORBIDDEN;
	enum status st = db_begin(c);
	if (st)
		return st;
	bool throttled;
	st = login_throttled(c, unit_id, username, client_ip, now, &throttled);
	if (st)
		goto fail;
	if (throttled) {
		st = STATUS_TOO_MANY;
		goto fail;
	}
	struct db_stmt *s;
	st = db_prepare(c, "SELECT id, username, display_name, role, password_hash FROM app_user"
			   " WHERE unit_id = ?1 AND username = ?2 AND is_active = 1", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, username);
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		goto fail;
	/* An unknown name costs the same work as a wrong password. */
	pthread_once(&dummy_once, make_dummy_hash);
	const char *stored = has_row ? db_column_text(s, 4) : dummy_hash;
	bool good;
	st = auth_check_password(stored, password, &good);
	if (st)
		goto fail;
	good = good && has_row;
	if (!good) {
		st = login_failed(c, unit_id, username, client_ip, now);
		if (st)
			goto fail;
		st = db_commit(c);
		return st ? st : STATUS_FORBIDDEN;
	}
	out->user = (struct auth_user){
		.id = db_column_int64(s, 0),
		.unit_id = unit_id,
		.username = arena_strdup(a, db_column_text(s, 1)),
		.display_name = arena_strdup(a, db_column_text(s, 2)),
		.role = arena_strdup(a, db_column_text(s, 3)),
	};
	st = session_open(c, a, now, out);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status auth_session_find(struct db_conn *c, struct arena *a, int64_t unit_id,
			      const char *token, int64_t now, struct auth_session *out)
{
	if (token == NULL || strlen(token) != 64)
		return STATUS_NOT_FOUND;
	char token_hash[65];
	auth_token_hash(token, token_hash);
	struct db_stmt *s;
	enum status st = db_prepare(c,
		"SELECT u.id, u.username, u.display_name, u.role, s.csrf, s.last_seen_at,"
		" u.must_change_password"
		" FROM session s JOIN app_user u ON u.id = s.user_id"
		" WHERE s.token_hash = ?1 AND s.unit_id = ?2 AND u.is_active = 1"
		" AND s.expires_at > ?3 AND s.last_seen_at > ?4", &s);
	if (st)
		return st;
	db_bind_text(s, 1, token_hash);
	db_bind_int64(s, 2, unit_id);
	db_bind_int64(s, 3, now);
	db_bind_int64(s, 4, now - AUTH_SESSION_IDLE_S);
	bool has_row;
	st = db_step(s, &has_row);
	if (st)
		return st;
	if (!has_row)
		return STATUS_NOT_FOUND;
	out->token = arena_strdup(a, token);
	out->csrf = arena_strdup(a, db_column_text(s, 4));
	out->user = (struct auth_user){
		.id = db_column_int64(s, 0),
		.unit_id = unit_id,
		.username = arena_strdup(a, db_column_text(s, 1)),
		.display_name = arena_strdup(a, db_column_text(s, 2)),
		.role = arena_strdup(a, db_column_text(s, 3)),
		.must_change_password = db_column_int64(s, 6) != 0,
	};
	/* Keep the session alive, writing at most once a minute per session. */
	if (db_column_int64(s, 5) < now - 60) {
		st = db_prepare(c, "UPDATE session SET last_seen_at = ?2 WHERE token_hash = ?1", &s);
		if (st)
			return st;
		db_bind_text(s, 1, token_hash);
		db_bind_int64(s, 2, now);
		st = db_exec(s);
		if (st == STATUS_UNAVAILABLE)
			st = STATUS_OK; /* busy: the next request will do it */
	}
	return st;
}

enum status auth_logout(struct db_conn *c, const char *token)
{
	if (token == NULL)
		return STATUS_OK;
	char token_hash[65];
	auth_token_hash(token, token_hash);
	struct db_stmt *s;
	enum status st = db_prepare(c, "DELETE FROM session WHERE token_hash = ?1", &s);
	if (st)
		return st;
	db_bind_text(s, 1, token_hash);
	return db_exec(s);
}
