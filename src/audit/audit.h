/* audit.h: the append-only, hash-chained audit log of staff writes */
#ifndef AUDIT_AUDIT_H
#define AUDIT_AUDIT_H

#include "base/status.h"

#include <jansson.h>
#include <stdbool.h>
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

/* ---- checkpoints (audit_checkpoint.c): the head anchored outside the table ----
 *
 * Rows deleted from the end of the log leave a shorter chain that still links: only a
 * record of the head kept elsewhere shows them missing. A checkpoint is one line,
 *
 *	PHUONG-AUDIT1|<unit code>|<chain>|<last id>|<its hash>|<UTC seconds>|<signature>
 *
 * the signature being Ed25519 by the unit's key (unitkey/unitkey.h) over every byte before
 * the last '|', base64url. The chain is "all" while the log is one chain for the whole
 * database, signed by unit AUDIT_CHAIN_ALL_SIGNER; when each unit gets a chain of its own,
 * the chain field names the unit (its code) and each unit signs its own. The server appends
 * checkpoints to DATA/audit-checkpoints; an admin prints one to file on paper. */
#define AUDIT_CHECKPOINT_FILE "audit-checkpoints"
#define AUDIT_CHAIN_ALL "all"

enum {
	AUDIT_CHAIN_ALL_SIGNER = 1,  /* the unit whose key signs the chain "all" */
	AUDIT_CODE_MAX = 64,         /* a unit code or chain name, in bytes */
	AUDIT_CHECKPOINT_MAX = 320,  /* a checkpoint line, in bytes */
	AUDIT_TIME_TEXT_MAX = 80,    /* audit_time_text, with room for any int */
};

struct audit_checkpoint {
	char unit[AUDIT_CODE_MAX + 1];  /* the unit whose key signed it */
	char chain[AUDIT_CODE_MAX + 1]; /* the chain it covers: AUDIT_CHAIN_ALL */
	int64_t id;                     /* the head: the last row's id (0: an empty log) */
	char hash[65];                  /* and that row's hash */
	int64_t at;                     /* when it was made, UTC seconds */
	char text[AUDIT_CHECKPOINT_MAX + 1]; /* the signed line */
};

/* What a checkpoint says of the log. */
enum audit_checkpoint_state {
	AUDIT_CHECKPOINT_HOLDS = 0,   /* its row is in the log with its hash */
	AUDIT_CHECKPOINT_BAD_FORMAT,  /* not a checkpoint line */
	AUDIT_CHECKPOINT_NO_KEY,      /* no unit of its code, or the unit has no key */
	AUDIT_CHECKPOINT_FORGED,      /* the signature does not verify with the unit's key */
	AUDIT_CHECKPOINT_TAIL_MISSING, /* its row is gone: rows were deleted from the end */
	AUDIT_CHECKPOINT_REWRITTEN,   /* its row is there with another hash */
};

/* The head of the chain: the last row's id and hash (0 and AUDIT_GENESIS when empty). */
enum status audit_head(struct db_conn *c, int64_t *id, char hash[65]);

/* A checkpoint of the head now, signed with unit_id's key (made on first use). */
enum status audit_checkpoint_make(struct db_conn *c, int64_t unit_id, int64_t now,
				  struct audit_checkpoint *out);

/* Parses a checkpoint line, checks its signature and whether the log still holds its head.
 * *out is filled as far as the line could be read. */
enum status audit_checkpoint_check(struct db_conn *c, const char *text,
				   struct audit_checkpoint *out,
				   enum audit_checkpoint_state *state);

/* Appends the checkpoint's line to DIR/AUDIT_CHECKPOINT_FILE (made mode 0640), and syncs
 * it to disk. false and a logged reason when it cannot. */
bool audit_checkpoint_save(const char *dir, const struct audit_checkpoint *cp);

/* A checkpoint's time as "2026-12-06 11:30:05 (UTC+7)". */
void audit_time_text(int64_t utc, char out[AUDIT_TIME_TEXT_MAX]);

#endif
