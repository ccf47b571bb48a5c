/* auth.c: roles, permissions, password and token rules */
#include "auth/auth.h"

#include "base/utf8.h"
#include "text/text.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

struct role_def {
	const char *name, *label;
	bool province; /* acts across units; not given by a unit's admin */
	bool perms[PERM_COUNT];
};

/* Who may do what. Later parts add their roles here. */
static const struct role_def roles[] = {
	{ "admin", "Quản trị viên", false,
	  { [PERM_PUBLIC] = true, [PERM_STAFF] = true, [PERM_NEWS_EDIT] = true,
	    [PERM_CATEGORIES] = true, [PERM_USERS] = true, [PERM_AUDIT] = true,
	    [PERM_PROCEDURES] = true, [PERM_STATISTICS] = true } },
	{ "editor", "Biên tập viên", false,
	  { [PERM_PUBLIC] = true, [PERM_STAFF] = true, [PERM_NEWS_EDIT] = true } },
	/* The one-stop shop: each step of a dossier belongs to one role. */
	{ "clerk", "Cán bộ tiếp nhận và trả kết quả", false,
	  { [PERM_PUBLIC] = true, [PERM_STAFF] = true, [PERM_DOSSIER_INTAKE] = true,
	    [PERM_STATISTICS] = true } },
	{ "specialist", "Chuyên viên xử lý", false,
	  { [PERM_PUBLIC] = true, [PERM_STAFF] = true, [PERM_DOSSIER_PROCESS] = true } },
	{ "leader", "Lãnh đạo ký duyệt", false,
	  { [PERM_PUBLIC] = true, [PERM_STAFF] = true, [PERM_DOSSIER_SIGN] = true,
	    [PERM_STATISTICS] = true } },
	/* Province accounts belong to the unit made by `phuong init` (the province office's
	 * own) and see other units only through the province pages. */
	{ "province_admin", "Quản trị cấp tỉnh", true,
	  { [PERM_PUBLIC] = true, [PERM_STAFF] = true, [PERM_PROVINCE_UNITS] = true,
	    [PERM_PROVINCE_VIEW] = true } },
	{ "province_viewer", "Theo dõi cấp tỉnh", true,
	  { [PERM_PUBLIC] = true, [PERM_STAFF] = true, [PERM_PROVINCE_VIEW] = true } },
};

static const struct role_def *role_find(const char *role)
{
	if (role == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].name, role) == 0)
			return &roles[i];
	return NULL;
}

bool auth_role_valid(const char *role)
{
	return role_find(role) != NULL;
}

bool auth_role_is_unit(const char *role)
{
	const struct role_def *r = role_find(role);
	return r != NULL && !r->province;
}

const char *auth_role_label(const char *role)
{
	const struct role_def *r = role_find(role);
	return r != NULL ? r->label : "";
}

const char *auth_permission_name(enum permission p)
{
	static const char *const names[PERM_COUNT] = {
		[PERM_PUBLIC] = "public", [PERM_STAFF] = "staff", [PERM_NEWS_EDIT] = "news_edit",
		[PERM_CATEGORIES] = "categories", [PERM_USERS] = "users", [PERM_AUDIT] = "audit",
		[PERM_PROVINCE_UNITS] = "province_units", [PERM_PROVINCE_VIEW] = "province_view",
		[PERM_PROCEDURES] = "procedures", [PERM_DOSSIER_INTAKE] = "dossier_intake",
		[PERM_DOSSIER_PROCESS] = "dossier_process", [PERM_DOSSIER_SIGN] = "dossier_sign",
		[PERM_STATISTICS] = "statistics",
	};
	return p > PERM_UNSET && p < PERM_COUNT && names[p] != NULL ? names[p] : "";
}

bool auth_allows(const struct auth_user *user, enum permission p)
{
	if (p == PERM_PUBLIC)
		return true;
	if (user == NULL || p <= PERM_UNSET || p >= PERM_COUNT)
		return false;
	const struct role_def *r = role_find(user->role);
	return r != NULL && r->perms[p];
}

bool auth_username_valid(const char *username)
{
	size_t n = username != NULL ? strlen(username) : 0;
	if (n < 3 || n > AUTH_USERNAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = username[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

const char *auth_display_name_clean(struct arena *a, const char *name)
{
	return text_clean(a, name, AUTH_DISPLAY_NAME_MAX, false);
}

const char *auth_password_problem(const char *password)
{
	size_t n = password != NULL ? strlen(password) : 0;
	if (n > AUTH_PASSWORD_MAX)
		return "Mật khẩu quá dài (tối đa 128 byte).";
	if (!utf8_valid(password, n) || utf8_length(password, n) < AUTH_PASSWORD_MIN)
		return "Mật khẩu phải có ít nhất 10 ký tự.";
	return NULL;
}

/* The hashing slots of AUTH_HASHES_AT_ONCE: a thread takes one for each Argon2id run. */
static pthread_mutex_t hash_slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_slot_freed = PTHREAD_COND_INITIALIZER;
static int hash_slots_taken;

/* Takes a slot, waiting up to AUTH_HASH_WAIT_S; false when none came free. */
static bool hash_slot_take(void)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += AUTH_HASH_WAIT_S;
	pthread_mutex_lock(&hash_slots_lock);
	int rc = 0;
	while (hash_slots_taken >= AUTH_HASHES_AT_ONCE && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&hash_slot_freed, &hash_slots_lock, &deadline);
	bool taken = hash_slots_taken < AUTH_HASHES_AT_ONCE;
	if (taken)
		hash_slots_taken++;
	pthread_mutex_unlock(&hash_slots_lock);
	return taken;
}

static void hash_slot_give(void)
{
	pthread_mutex_lock(&hash_slots_lock);
	hash_slots_taken--;
	pthread_cond_signal(&hash_slot_freed);
	pthread_mutex_unlock(&hash_slots_lock);
}

enum status auth_hash_password(const char *password, char *out)
{
	if (!hash_slot_take())
		return STATUS_UNAVAILABLE;
	int rc = crypto_pwhash_str(out, password, strlen(password),
				   crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	hash_slot_give();
	return rc == 0 ? STATUS_OK : STATUS_INTERNAL;
}

enum status auth_check_password(const char *stored, const char *password, bool *good)
{
	*good = false;
	if (!hash_slot_take())
		return STATUS_UNAVAILABLE;
	*good = crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
	hash_slot_give();
	return STATUS_OK;
}

void auth_one_time_password(char out[17])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 16; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[16] = '\0';
}

void auth_random_token(char out[65])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, 65, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

bool auth_token_valid(const char *s)
{
	if (s == NULL || strlen(s) != 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

void auth_token_hash(const char *token, char out[65])
{
	unsigned char digest[32];
	crypto_generichash(digest, sizeof digest, (const unsigned char *)token, strlen(token), NULL,
			   0);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

bool auth_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return false;
	size_t na = strlen(a), nb = strlen(b);
	if (na != nb)
		return false;
	return sodium_memcmp(a, b, na) == 0;
}
