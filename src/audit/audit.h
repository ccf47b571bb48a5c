/* audit.h: the append-only, hash-chained audit log of staff writes */
#ifndef AUDIT_AUDIT_H
#define AUDIT_AUDIT_H

#include "base/status.h"

#include <jansson.h>
#include <stdint.h>

struct db_conn;

/* Who did it: a signed-in user, or the command line (user_id 0, actor "cli"). */
struct audit_actor {
	int64_t user_id;
	const char *name;
};

/* Appends one record: action ("article.update"), the object, and its state
 * before and after (either may be NULL). Call inside the transaction of the
 * write itself, so the record and the change land together. The row's hash
 * covers its fields and the previous row's hash. */
enum status audit_append(struct db_conn *c, int64_t unit_id, const struct audit_actor *actor,
			 int64_t now, const char *action, const char *object_type,
			 int64_t object_id, const json_t *before, const json_t *after);

/* Checks the whole chain. *first_bad is 0 when every row is intact, else the id
 * of the first row whose hash or link is wrong; *rows is the number of rows read. */
enum status audit_verify(struct db_conn *c, int64_t *rows, int64_t *first_bad);

/* The latest records of a unit, newest first, as a JSON array (for the log page). */
enum status audit_recent(struct db_conn *c, int64_t unit_id, int64_t limit, int64_t offset,
			 json_t **out);

#endif
