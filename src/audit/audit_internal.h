/* audit_internal.h: one audit row and its hash, shared by audit.c and audit_store.c */
#ifndef AUDIT_AUDIT_INTERNAL_H
#define AUDIT_AUDIT_INTERNAL_H

#include "audit/audit.h"

/* The chain starts from this hash. */
#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

struct audit_row {
	int64_t id, unit_id, at, user_id, object_id;
	const char *actor, *action, *object_type, *before_json, *after_json, *prev_hash;
};

/* Hex SHA-256 over the row's fields (each length-prefixed) and prev_hash. */
void audit_row_hash(const struct audit_row *row, char out[65]);

#endif
