/* unitkey_store.c: each unit's signing key pair (table unit_key), all of its SQL */
#include "unitkey/unitkey.h"

#include "base/log.h"
#include "store/store.h"

#include <sodium.h>
#include <string.h>

/* Reads the unit's key row; STATUS_NOT_FOUND when it has none. */
static enum status read_key(struct db_conn *c, int64_t unit_id,
			    unsigned char public_key[UNITKEY_PUBLIC_BYTES],
			    unsigned char *secret_key)
{
	struct db_stmt *q;
	enum status st = db_prepare(c, "SELECT public_key, secret_key FROM unit_key WHERE unit_id = ?1", &q);
	if (st)
		return st;
	db_bind_int64(q, 1, unit_id);
	bool has_row;
	st = db_step(q, &has_row);
	if (st)
		return st;
	if (!has_row)
		return STATUS_NOT_FOUND;
	if (!unitkey_hex_decode(db_column_text(q, 0), public_key, UNITKEY_PUBLIC_BYTES) ||
	    (secret_key != NULL &&
	     !unitkey_hex_decode(db_column_text(q, 1), secret_key, UNITKEY_SECRET_BYTES))) {
		log_error("unit_key of unit %lld is not hex of the right length", (long long)unit_id);
		return STATUS_INTERNAL;
	}
	return STATUS_OK;
}

enum status unitkey_get(struct db_conn *c, int64_t unit_id, int64_t now,
			unsigned char public_key[UNITKEY_PUBLIC_BYTES],
			unsigned char secret_key[UNITKEY_SECRET_BYTES])
{
	enum status st = read_key(c, unit_id, public_key, secret_key);
	if (st != STATUS_NOT_FOUND)
		return st;
	unsigned char pk[UNITKEY_PUBLIC_BYTES], sk[UNITKEY_SECRET_BYTES];
	char pk_hex[2 * sizeof pk + 1], sk_hex[2 * sizeof sk + 1];
	crypto_sign_keypair(pk, sk);
	sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
	sodium_bin2hex(sk_hex, sizeof sk_hex, sk, sizeof sk);
	sodium_memzero(sk, sizeof sk);
	struct db_stmt *q;
	/* Two callers at once: the first row wins, both read it back. */
	st = db_prepare(c, "INSERT INTO unit_key (unit_id, public_key, secret_key, created_at) "
			   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (unit_id) DO NOTHING", &q);
	if (st == STATUS_OK) {
		db_bind_int64(q, 1, unit_id);
		db_bind_text(q, 2, pk_hex);
		db_bind_text(q, 3, sk_hex);
		db_bind_int64(q, 4, now);
		st = db_exec(q);
	}
	sodium_memzero(sk_hex, sizeof sk_hex);
	if (st)
		return st;
	return read_key(c, unit_id, public_key, secret_key);
}

enum status unitkey_public(struct db_conn *c, int64_t unit_id,
			   unsigned char public_key[UNITKEY_PUBLIC_BYTES])
{
	return read_key(c, unit_id, public_key, NULL);
}
