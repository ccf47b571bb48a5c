/* unitkey.h: each unit's Ed25519 key pair (table unit_key), and detached signatures in
 * base64url, for what a unit signs: its receipts' QR codes, its audit log checkpoints
 *
 * Whoever can read the table can sign in the unit's name: keep the database and its
 * backups as private as the passwords (migration 0010_unit_key). */
#ifndef UNITKEY_UNITKEY_H
#define UNITKEY_UNITKEY_H

#include "base/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db_conn;

enum {
	UNITKEY_PUBLIC_BYTES = 32,
	UNITKEY_SECRET_BYTES = 64,
	UNITKEY_SIGNATURE_B64_LEN = 86, /* 64 bytes in base64url without padding */
	UNITKEY_SIGNATURE_B64_MAX = 100,
};

/* The outcome of a signature check. */
enum unitkey_check {
	UNITKEY_GENUINE = 0,
	UNITKEY_BAD_SIGNATURE, /* not base64url of 64 bytes */
	UNITKEY_MISMATCH,      /* the text was changed, or another key signed it */
};

/* The detached signature of msg (len bytes) by secret_key, base64url without padding,
 * in out (UNITKEY_SIGNATURE_B64_LEN + 1 bytes). */
void unitkey_sign(const char *msg, size_t len, const unsigned char secret_key[UNITKEY_SECRET_BYTES],
		  char out[UNITKEY_SIGNATURE_B64_LEN + 1]);

/* Checks a base64url signature (sig_len bytes, not terminated) of msg against public_key. */
enum unitkey_check unitkey_verify(const char *msg, size_t len, const char *sig, size_t sig_len,
				  const unsigned char public_key[UNITKEY_PUBLIC_BYTES]);

/* Reads exactly n bytes from hex (2n hex digits, any case); false otherwise. */
bool unitkey_hex_decode(const char *hex, unsigned char *out, size_t n);

/* unitkey_store.c */

/* The unit's key pair, made (and stored) on first use at time now. */
enum status unitkey_get(struct db_conn *c, int64_t unit_id, int64_t now,
			unsigned char public_key[UNITKEY_PUBLIC_BYTES],
			unsigned char secret_key[UNITKEY_SECRET_BYTES]);
/* The unit's public key, without making one: STATUS_NOT_FOUND when the unit has none yet. */
enum status unitkey_public(struct db_conn *c, int64_t unit_id,
			   unsigned char public_key[UNITKEY_PUBLIC_BYTES]);

#endif
