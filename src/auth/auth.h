/* auth.h: staff accounts, roles and permissions, passwords, sessions, CSRF tokens */
#ifndef AUTH_AUTH_H
#define AUTH_AUTH_H

#include "base/status.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db_conn;

/* What a route needs. PERM_UNSET is zero on purpose: a route that names no
 * permission is refused when the route table is checked at start. */
enum permission {
	PERM_UNSET = 0,
	PERM_PUBLIC,      /* anyone */
	PERM_STAFF,       /* any signed-in staff member */
	PERM_NEWS_EDIT,   /* write and publish articles */
	PERM_CATEGORIES,  /* manage news categories */
	PERM_USERS,       /* manage staff accounts */
	PERM_AUDIT,       /* read the audit log */
	PERM_PROVINCE_UNITS, /* province: create units, their host names and first admin */
	PERM_PROVINCE_VIEW,  /* province: see every unit's figures side by side */
	PERM_PROCEDURES,  /* manage the catalogue of administrative procedures */
	PERM_DOSSIER_INTAKE,  /* one-stop counter: receive dossiers, hand results back */
	PERM_DOSSIER_PROCESS, /* examine dossiers and submit them for signature */
	PERM_DOSSIER_SIGN,    /* sign the results of dossiers */
	PERM_STATISTICS,      /* read and export the one-stop statistics of the unit */
	PERM_COUNT
};

struct auth_user {
	int64_t id, unit_id;
	const char *username, *display_name, *role;
	bool must_change_password; /* signed in with a one-time password */
};

struct auth_session {
	const char *token; /* the cookie value; only its hash is stored */
	const char *csrf;  /* the form token tied to this session */
	struct auth_user user;
};

/* Limits and timings of accounts and sessions. */
enum {
	AUTH_PASSWORD_MIN = 10,          /* code points */
	AUTH_PASSWORD_MAX = 128,         /* bytes */
	AUTH_USERNAME_MAX = 64,
	AUTH_DISPLAY_NAME_MAX = 100,     /* code points */
	AUTH_SESSION_IDLE_S = 2 * 3600,  /* signed out after two idle hours */
	AUTH_SESSION_MAX_S = 12 * 3600,  /* and after twelve hours in any case */
	AUTH_THROTTLE_WINDOW_S = 15 * 60,
	AUTH_THROTTLE_PER_USER = 5,      /* failures per name in the window before refusal */
	AUTH_THROTTLE_PER_IP = 20,
	/* Argon2id holds 64 MiB while it runs: at most this many hashes or checks at once, so
	 * a burst of sign-ins costs bounded memory; the others wait up to AUTH_HASH_WAIT_S. */
	AUTH_HASHES_AT_ONCE = 2,
	AUTH_HASH_WAIT_S = 10,
};

/* Whether role is one the program knows ("admin", "editor", "province_admin", ...). */
bool auth_role_valid(const char *role);
/* Whether role is a role within one unit, which the unit's admin may give; province
 * roles are given only by the command line or a province admin. */
bool auth_role_is_unit(const char *role);
/* Vietnamese name of a role, for pages. */
const char *auth_role_label(const char *role);
/* The name of a permission ("news_edit"), for listings; "" for none. */
const char *auth_permission_name(enum permission p);
/* Whether user (NULL for a visitor) holds permission p. */
bool auth_allows(const struct auth_user *user, enum permission p);
/* Whether a username is acceptable: 3..64 of a-z 0-9 . _ - */
bool auth_username_valid(const char *username);
/* A display name as stored (text_clean, one line, at most AUTH_DISPLAY_NAME_MAX code points;
 * NULL is ""), in the arena; NULL when it holds control characters or bidirectional
 * overrides, is too long, or the arena is full. */
const char *auth_display_name_clean(struct arena *a, const char *name);
/* NULL if the password is acceptable, else a Vietnamese reason. */
const char *auth_password_problem(const char *password);

/* Argon2id hash (libsodium string form) of password into out (crypto_pwhash_STRBYTES).
 * STATUS_UNAVAILABLE when AUTH_HASHES_AT_ONCE others kept it waiting AUTH_HASH_WAIT_S. */
enum status auth_hash_password(const char *password, char *out);
/* Whether password matches the stored Argon2id hash, into *good; STATUS_UNAVAILABLE as
 * auth_hash_password when no hashing slot came free in time. */
enum status auth_check_password(const char *stored, const char *password, bool *good);
/* A random one-time password of 16 letters and digits without look-alikes (0/O, 1/l),
 * easy to read out and type, into out[17]. */
void auth_one_time_password(char out[17]);
/* Random token as 64 hex characters into out[65]. */
void auth_random_token(char out[65]);
/* Whether s has the shape auth_random_token gives (64 lower-case hex characters). */
bool auth_token_valid(const char *s);
/* Hex BLAKE2b-256 of a token, as stored, into out[65]. */
void auth_token_hash(const char *token, char out[65]);
/* Whether two strings are equal, in time independent of where they differ. */
bool auth_equal(const char *a, const char *b);

/* Creates an account; STATUS_CONFLICT if the username is taken in the unit. */
enum status auth_user_create(struct db_conn *c, int64_t unit_id, const char *username,
			     const char *display_name, const char *password, const char *role,
			     int64_t now, int64_t *id_out);
/* Sets a new password (and ends the user's sessions). STATUS_NOT_FOUND if no such user. */
enum status auth_user_set_password(struct db_conn *c, int64_t unit_id, const char *username,
				   const char *password);
/* Marks the password of an account as one-time: the user must choose a new one
 * before anything else. */
enum status auth_user_require_new_password(struct db_conn *c, int64_t unit_id,
					   const char *username);
/* A signed-in user changes their own password: checks the current one (STATUS_FORBIDDEN
 * if wrong, STATUS_INVALID if the new one is not acceptable), stores the new one, lifts
 * the one-time mark and ends the user's other sessions (keep_token's stays). */
enum status auth_change_own_password(struct db_conn *c, int64_t unit_id, int64_t user_id,
				     const char *current, const char *password,
				     const char *keep_token);
/* The unit's accounts as a JSON array of {id, username, display_name, role, role_label,
 * is_active}, ordered by username. */
enum status auth_user_list(struct db_conn *c, int64_t unit_id, json_t **out);
/* Changes role and active flag of an account (ends its sessions when deactivated). */
enum status auth_user_update(struct db_conn *c, int64_t unit_id, int64_t user_id, const char *role,
			     bool is_active);

/* Checks a password and opens a session. STATUS_FORBIDDEN for a wrong name or
 * password, STATUS_TOO_MANY while throttled (failures are recorded). The session's
 * strings are in the arena. */
enum status auth_login(struct db_conn *c, struct arena *a, int64_t unit_id, const char *username,
		       const char *password, const char *client_ip, int64_t now,
		       struct auth_session *out);
/* The live session of a cookie token; STATUS_NOT_FOUND if unknown or expired. */
enum status auth_session_find(struct db_conn *c, struct arena *a, int64_t unit_id,
			      const char *token, int64_t now, struct auth_session *out);
/* Ends the session of a token (nothing if it is unknown). */
enum status auth_logout(struct db_conn *c, const char *token);

#endif
