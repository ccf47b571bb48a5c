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

/* audit_store.c, for the checkpoints: a unit's code (NULL-terminated in code) by its id, a
 * unit's id by its code (STATUS_NOT_FOUND for neither), and the stored hash of row id
 * (*found false when there is no such row). */
enum status audit_store_unit_code(struct db_conn *c, int64_t unit_id, char code[AUDIT_CODE_MAX + 1]);
enum status audit_store_unit_id(struct db_conn *c, const char *code, int64_t *unit_id);
enum status audit_store_row_hash(struct db_conn *c, int64_t id, char hash[65], bool *found);

#endif
