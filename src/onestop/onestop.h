/* onestop.h: the one-stop shop's catalogue of administrative procedures: codes, versions, rules, search */
#ifndef ONESTOP_ONESTOP_H
#define ONESTOP_ONESTOP_H

#include "base/status.h"
#include "worktime/due.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct audit_actor;
struct db_conn;

/* Limits of what an admin may enter (code points unless said otherwise). */
enum {
	ONESTOP_CODE_MAX = 40,             /* bytes of a-z 0-9 - */
	ONESTOP_NAME_MAX = 400,
	ONESTOP_FIELD_MAX = 120,
	ONESTOP_NATIONAL_CODE_MAX = 40,
	ONESTOP_BASIS_MAX = 3000,
	ONESTOP_BASIS_DOCUMENT_MAX = 300,
	ONESTOP_BASIS_YEAR_MIN = 1945,     /* the dates a legal basis may take effect on */
	ONESTOP_BASIS_YEAR_MAX = 2100,
	ONESTOP_FEE_TEXT_MAX = 1000,
	ONESTOP_FEE_MAX = 1000000000,      /* đồng */
	ONESTOP_TIME_NOTE_MAX = 600,
	ONESTOP_RESULT_MAX = 600,
	ONESTOP_OFFICE_MAX = 400,
	ONESTOP_NOTE_MAX = 2000,
	ONESTOP_DOCS_MAX = 30,             /* documents in one dossier */
	ONESTOP_DOC_NAME_MAX = 400,
	ONESTOP_DOC_NOTE_MAX = 600,
	ONESTOP_DOC_COPIES_MAX = 20,
	ONESTOP_DOCS_BYTES_MAX = 48 * 1024, /* the documents field as typed or as JSON */
	ONESTOP_LIST_MAX = 2000,           /* procedures a unit's catalogue shows */
	ONESTOP_VERSIONS_MAX = 500,        /* versions listed */
	ONESTOP_SEARCH_MAX_WORDS = 12,
	ONESTOP_SEARCH_QUERY_MAX = 200,    /* what a reader may type */
	/* Working hours in a working day: 40 hours over 5 days (QĐ 188/1999/QĐ-TTg). */
	ONESTOP_HOURS_PER_DAY = 8,
};

/* How a processing time is counted (as the worktime deadlines count it). */
enum onestop_time_kind {
	ONESTOP_TIME_NONE = 0,   /* no time (only for "no promise") */
	ONESTOP_WORKING_DAYS,    /* n working days after the day of receipt (due_working_days) */
	ONESTOP_WORKING_HOURS,   /* n working hours from receipt (due_working_hours) */
	ONESTOP_SAME_DAY,        /* the same day; after 15:00 the next working day (due_same_day) */
};

struct onestop_time {
	enum onestop_time_kind kind;
	int64_t amount;          /* days or hours; 0 for same day and none */
};

/* The content of one version of a procedure: what the citizen must bring, pay and wait. */
struct onestop_content {
	const char *name, *field, *national_code;
	const char *legal_basis, *basis_document;
	const char *basis_effective;   /* "YYYY-MM-DD", or "" when unknown */
	const char *documents;         /* JSON [{"name", "copies", "note"}] once checked */
	const char *fee_text;
	int64_t fee_amount;            /* đồng; 0 free; -1 no single amount (fee_text says) */
	struct onestop_time legal;     /* the time the law gives */
	struct onestop_time promise;   /* the unit's own, shorter; kind NONE when there is none */
	const char *time_note, *result;
	const char *online_level;      /* "toan_trinh" | "mot_phan" | "truc_tiep" */
	const char *office, *note;
};

/* One immutable version. */
struct onestop_version {
	int64_t id, procedure_id, version, saved_at;
	const char *saved_by;
	struct onestop_content content;
};

/* A procedure of a unit with the version in force now. */
struct onestop_procedure {
	int64_t id;
	const char *code;
	bool is_active;
	int64_t created_at, updated_at;
	struct onestop_version current;
};

/* ---- rules (onestop.c) ---- */

/* Checks and normalises (NFC, trimmed, one line where a line is meant) every field of
 * content in place, strings moved into the arena; documents may come as typed lines
 * (onestop_documents_parse) and leave as canonical JSON. NULL when acceptable, else a
 * Vietnamese message. */
const char *onestop_content_check(struct arena *a, struct onestop_content *in);
/* The code of a new procedure: typed (ASCII letters lower-cased) or, when empty, made
 * from the name. NULL when acceptable (*code_out set, in the arena), else a message. */
const char *onestop_code_check(struct arena *a, const char *typed, const char *name,
			       const char **code_out);
/* Whether s is a well-formed code (a-z 0-9 -, 2..ONESTOP_CODE_MAX bytes, no leading,
 * trailing or double '-', not a reserved word of the addresses). */
bool onestop_code_valid(const char *s);

/* NULL when t is a valid legal time, else a message. */
const char *onestop_time_problem(const struct onestop_time *t);
/* NULL when promise is none or a valid promise that never ends later than the legal time,
 * whatever the hour of receipt, and is not the same; else a message. */
const char *onestop_promise_problem(const struct onestop_time *legal,
				    const struct onestop_time *promise);
/* The time in words, as the catalogue shows it: "3 ngày làm việc", "24 giờ làm việc",
 * "Trong ngày (nhận trước 15 giờ)"; "" for none. In the arena. */
const char *onestop_time_words(struct arena *a, const struct onestop_time *t);
/* "working_days" | "working_hours" | "same_day" and back (NONE / NULL for anything else). */
const char *onestop_time_kind_name(enum onestop_time_kind kind);
enum onestop_time_kind onestop_time_kind_of(const char *name);

/* The fee in words: fee_text when given, else "8.000 đồng", or "Không thu phí" for 0. */
const char *onestop_fee_words(struct arena *a, const char *fee_text, int64_t amount);
/* Whether level is one of the online levels; its Vietnamese label ("" if not). */
bool onestop_online_level_valid(const char *level);
const char *onestop_online_label(const char *level);

/* The documents list from what an admin typed: a JSON array of {"name", "copies",
 * "note"}, or one document a line as "name | copies | note" (copies and note optional,
 * copies 1 by default). On success *json_out is the canonical JSON (in the arena) and
 * NULL is returned; else a Vietnamese message naming the line or item. */
const char *onestop_documents_parse(struct arena *a, const char *typed, const char **json_out);
/* The canonical JSON back as the lines the editor shows ("" on a broken list). */
const char *onestop_documents_lines(struct arena *a, const char *json);
/* The canonical JSON as a new JSON array (an empty one if broken); caller owns it. */
json_t *onestop_documents_array(const char *json);

/* The search words for what a reader typed: folded, space-separated, at most
 * ONESTOP_SEARCH_MAX_WORDS, all required by onestop_search. NULL when nothing searchable
 * remains. In the arena. */
const char *onestop_search_query(struct arena *a, const char *typed);
/* The folded text a procedure is found by (all but the name: field, codes, documents,
 * result, office, basis). In the arena; NULL when the arena is full. */
const char *onestop_search_body(struct arena *a, const char *code, const struct onestop_content *c);

/* ---- storage (onestop_store.c) ---- */

/* Every procedure of the unit with its current version (only the active ones when
 * only_active), sorted by field then name as Vietnamese readers sort (folded). */
enum status onestop_list(struct db_conn *c, struct arena *a, int64_t unit_id, bool only_active,
			 struct onestop_procedure **out, size_t *count);
/* Active procedures matching the words of onestop_search_query, best first. */
enum status onestop_search(struct db_conn *c, struct arena *a, int64_t unit_id,
			   const char *query, struct onestop_procedure **out, size_t *count);
/* The procedure of a code; with only_active, STATUS_NOT_FOUND for an inactive one. */
enum status onestop_get(struct db_conn *c, struct arena *a, int64_t unit_id, const char *code,
			bool only_active, struct onestop_procedure *out);
/* Creates a procedure with version 1 (content checked by onestop_content_check).
 * STATUS_CONFLICT when the code is taken in the unit. */
enum status onestop_create(struct db_conn *c, struct arena *a, int64_t unit_id,
			   const char *code, const struct onestop_content *in,
			   const struct audit_actor *actor, int64_t now, int64_t *id_out);
/* Adds a version with new content (the old ones stay as they were). When the content
 * is the same as the current version's nothing is written and *added is false. */
enum status onestop_update(struct db_conn *c, struct arena *a, int64_t unit_id, const char *code,
			   const struct onestop_content *in, const struct audit_actor *actor,
			   int64_t now, bool *added);
/* Stops (or resumes) offering a procedure; its versions stay. */
enum status onestop_set_active(struct db_conn *c, struct arena *a, int64_t unit_id,
			       const char *code, bool is_active, const struct audit_actor *actor,
			       int64_t now);
/* The versions of a procedure, newest first (at most ONESTOP_VERSIONS_MAX);
 * STATUS_NOT_FOUND when the unit has no procedure of that code. */
enum status onestop_versions(struct db_conn *c, struct arena *a, int64_t unit_id,
			     const char *code, struct onestop_version **out, size_t *count);
/* One version of a procedure by its number. */
enum status onestop_version_get(struct db_conn *c, struct arena *a, int64_t unit_id,
				const char *code, int64_t version, struct onestop_version *out);
/* One version by its id, as a dossier records it. */
enum status onestop_version_by_id(struct db_conn *c, struct arena *a, int64_t unit_id,
				  int64_t version_id, struct onestop_version *out);
/* Number of procedures of the unit (any state). */
enum status onestop_count(struct db_conn *c, int64_t unit_id, int64_t *out);

/* ---- demo (onestop_demo.c) ---- */

/* Loads the demo catalogue (data/demo/procedures.json) into a unit without procedures. */
enum status onestop_demo_load(struct db_conn *c, int64_t unit_id, const char *path, int64_t now);

#endif
