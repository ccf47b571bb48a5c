/* dossier_access.h: staff reading a dossier, written down (table dossier_access, migration
 * 0019): who opened its page, a file the citizen attached, a printed form, and when */
#ifndef ONESTOP_DOSSIER_ACCESS_H
#define ONESTOP_DOSSIER_ACCESS_H

#include "audit/audit.h"
#include "base/status.h"

#include <jansson.h>
#include <stdint.h>

struct db_conn;

enum {
	DOSSIER_ACCESS_SHOWN = 20,      /* readings the dossier page shows its leader */
	DOSSIER_ACCESS_LIST_MAX = 1000, /* readings the history page lists */
};

/* What was read: the dossier's page, one of its files, one of its printed forms. */
#define DOSSIER_ACCESS_PAGE "page"
#define DOSSIER_ACCESS_FILE "file"
#define DOSSIER_ACCESS_FORM "form"

/* Writes down that actor read the dossier of code in the unit at now: kind one of the
 * above, detail the file's name or the form's title ("" for the page). One INSERT of its
 * own, outside any transaction; nothing when the unit has no dossier of that code. */
enum status dossier_access_note(struct db_conn *c, int64_t unit_id, const char *code,
				const struct audit_actor *actor, const char *kind,
				const char *detail, int64_t now);

/* The dossier's readings, newest first, at most limit, as a JSON array of {at, username,
 * display_name, kind, detail, is_page, is_file, is_form}; *more tells that there were more. */
enum status dossier_access_list(struct db_conn *c, int64_t unit_id, const char *code,
				int64_t limit, json_t **out, bool *more);

#endif
