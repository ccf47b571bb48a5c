/* dossier_access.h: staff reading a dossier, written down (table dossier_access, migration
 * 0019): who opened its page, a file the citizen attached, a printed form, and when */
#ifndef ONESTOP_DOSSIER_ACCESS_H
#define ONESTOP_DOSSIER_ACCESS_H

#include "audit/audit.h"
#include "base/status.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db_conn;

enum {
	DOSSIER_ACCESS_SHOWN = 20,        /* readings the dossier page shows its leader */
	DOSSIER_ACCESS_LIST_MAX = 1000,   /* readings the history page lists */
	DOSSIER_ACCESS_QUEUE_MAX = 2048,  /* readings kept in memory until the next flush */
	DOSSIER_ACCESS_DETAIL_CHARS = 100, /* a file name or form title is cut to this */
};

/* What was read: the dossier's page, one of its files, one of its printed forms. */
#define DOSSIER_ACCESS_PAGE "page"
#define DOSSIER_ACCESS_FILE "file"
#define DOSSIER_ACCESS_FORM "form"

/* Writes down that actor read the dossier of code in the unit at now: kind one of the
 * above, detail the file's name or the form's title ("" for the page). The line is kept in
 * memory (a mutex and a copy: no database write on the read's path) and written by
 * dossier_access_flush; when the queue is full this call flushes it first. Only a
 * database that takes nothing makes it fail (STATUS_UNAVAILABLE): refuse the reading then. */
enum status dossier_access_note(struct db_conn *c, int64_t unit_id, const char *code,
				const struct audit_actor *actor, const char *kind,
				const char *detail, int64_t now);

/* Writes the readings kept in memory, in one transaction (the server's flusher every
 * 2 s and at shutdown; before a history is read). Lines noted meanwhile stay queued; on
 * failure all stay for the next flush. */
enum status dossier_access_flush(struct db_conn *c);

/* dossier_access_store.c */

/* Inserts one reading (inside the caller's transaction); nothing when the unit has no
 * dossier of that code. */
enum status dossier_access_store(struct db_conn *c, int64_t unit_id, const char *code,
				 int64_t user_id, const char *actor, const char *kind,
				 const char *detail, int64_t at);

/* The dossier's readings, newest first, at most limit, as a JSON array of {at, username,
 * display_name, kind, detail, is_page, is_file, is_form}; *more tells that there were more.
 * Flush first to include the readings still in memory. */
enum status dossier_access_list(struct db_conn *c, int64_t unit_id, const char *code,
				int64_t limit, json_t **out, bool *more);

#endif
