/* audit.c: the hash of an audit record */
#include "audit/audit_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Feeds one field to the hash as its length then its bytes, so no two different
 * rows can hash the same by moving text from one field to the next. */
static void hash_field(crypto_hash_sha256_state *h, const char *s)
{
	char len[24];
	size_t n = s != NULL ? strlen(s) : 0;
	int k = snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
	if (n > 0)
		crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void hash_int(crypto_hash_sha256_state *h, int64_t v)
{
	char text[24];
	snprintf(text, sizeof text, "%lld", (long long)v);
	hash_field(h, text);
}

void audit_row_hash(const struct audit_row *row, char out[65])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	hash_field(&h, row->prev_hash);
	hash_int(&h, row->id);
	hash_int(&h, row->unit_id);
	hash_int(&h, row->at);
	hash_int(&h, row->user_id);
	hash_field(&h, row->actor);
	hash_field(&h, row->action);
	hash_field(&h, row->object_type);
	hash_int(&h, row->object_id);
	hash_field(&h, row->before_json);
	hash_field(&h, row->after_json);
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}
