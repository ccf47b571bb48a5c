/* dossier.h: dossiers (hồ sơ) of the one-stop shop: codes, intake, the flow between roles,
 * step outcomes, queues and the public lookup */
#ifndef ONESTOP_DOSSIER_H
#define ONESTOP_DOSSIER_H

#include "auth/auth.h"
#include "base/status.h"
#include "onestop/onestop.h"
#include "worktime/calendar.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct audit_actor;
struct db_conn;

enum {
	DOSSIER_NAME_MAX = 200,            /* code points */
	DOSSIER_ID_NUMBER_MAX = 12,        /* số định danh cá nhân: 12 digits (9 for old cards) */
	DOSSIER_ADDRESS_MAX = 400,
	DOSSIER_PHONE_MAX = 20,
	DOSSIER_EMAIL_MAX = 200,
	DOSSIER_NOTE_MAX = 1000,
	DOSSIER_SETS_MAX = 20,
	DOSSIER_CODE_MAX = 80,             /* bytes of a whole code */
	DOSSIER_UNIT_CODE_MAX = 40,
	/* A clerk may enter a dossier received on paper while the system was down, up to this
	 * long ago (the receipt shows the real time of receipt; the audit log the entry). */
	DOSSIER_BACKDATE_MAX = 30 * 86400,
	DOSSIER_EXTEND_MAX = 366 * 86400,  /* Mẫu 04's new appointment: at most a year ahead */
	DOSSIER_DUE_SOON = 4 * 3600,       /* working seconds left under which a dossier is "due soon" */
	DOSSIER_QUEUE_MAX = 500,           /* dossiers one queue page lists */
	DOSSIER_EVENTS_MAX = 200,
	DOSSIER_LOOKUP_WINDOW = 600,       /* seconds */
	DOSSIER_LOOKUPS_PER_WINDOW = 30,   /* default of the lookup_limit setting */
	DOSSIER_SUBMIT_WINDOW = 3600,      /* seconds over which online submissions are counted */
	DOSSIER_SUBMITS_PER_WINDOW = 10,   /* default of the submit_limit setting (per address) */
	DOSSIER_UPLOAD_MB_PER_WINDOW = 100, /* default of submit_upload_mb (per unit) */
	DOSSIER_FILE_MAX = 5 * 1024 * 1024, /* bytes of one attachment */
	DOSSIER_FILES_MAX = 5,             /* attachments to one online submission */
	DOSSIER_FILE_NAME_MAX = 200,
};

/* A file attached to an online submission, checked by dossier_file_check. */
struct dossier_attachment {
	const char *name, *mime;
	const void *data;
	size_t len;
};

/* How a step ended against the time it was due. */
enum dossier_outcome {
	DOSSIER_EARLY,   /* before the day it was due */
	DOSSIER_ON_TIME, /* on the day it was due, not after the due time */
	DOSSIER_LATE,    /* after the due time */
};

/* One step of the flow: who may take it, from which statuses, to which status. */
struct dossier_step {
	const char *action;        /* "take", "submit", "sign", "return", "withdraw", "refuse" */
	const char *slug;          /* the last segment of its address: "nhan-xu-ly" */
	const char *label;         /* the button: "Nhận xử lý" */
	enum permission permission;
	const char *from[6];       /* NULL-terminated */
	const char *to;
	int due_share;             /* per mille of the dossier's working time by which it is due */
};

/* A supplement pause of the clock: from the request to the complete supplement. */
struct dossier_pause {
	int64_t start, end;
};

/* The applicant as typed at the counter or online. */
struct dossier_applicant {
	const char *name, *id_number, *address, *phone, *email;
};

/* ---- rules (dossier.c) ---- */

/* The code "UNITCODE-YYMMDD-NNNN" of the number-th dossier received at `received` (its day
 * in UTC+7); more than 9999 in a day gives 5 digits. NULL for a number < 1, a unit code
 * that is empty, too long or not of A-Z a-z 0-9 '.', or a full arena. */
const char *dossier_code_format(struct arena *a, const char *unit_code, int64_t received,
				int64_t number);
/* Whether s has the shape of a dossier code. */
bool dossier_code_valid(const char *s);
/* "YYMMDD" of the local day of t into out (7 bytes). */
void dossier_day(int64_t t, char out[7]);

/* The outcome of a step done at `at` that was due at `due` (days in UTC+7). */
enum dossier_outcome dossier_step_outcome(int64_t at, int64_t due);
/* "early" | "on_time" | "late", and the Vietnamese words. */
const char *dossier_outcome_name(enum dossier_outcome o);
const char *dossier_outcome_label(const char *name);

/* Checks and normalises the applicant in place (NFC, trimmed, one line); the name is
 * required, and a phone number (digits, spaces, '+', '.', '-', at least 8 digits) too, since
 * the lookup needs its last digits. NULL when acceptable, else a Vietnamese message. */
const char *dossier_applicant_check(struct arena *a, struct dossier_applicant *in);
/* Whether the last four digits of phone are last4 (exactly four digits). */
bool dossier_phone_matches(const char *phone, const char *last4);

/* The Vietnamese words of a status ("Đang xử lý"), and its national code (1..10). */
const char *dossier_status_label(const char *status);
int dossier_national_status(const char *status);
/* Whether kind is a document kind (original | certified_copy | copy), and its words. */
bool dossier_doc_kind_valid(const char *kind);
const char *dossier_doc_kind_label(const char *kind);
/* "counter" | "post" | "online" and its words. */
bool dossier_delivery_valid(const char *delivery);
const char *dossier_delivery_label(const char *delivery);

/* The steps of the flow, and the one of an action or slug (NULL if none). */
extern const struct dossier_step dossier_steps[];
extern const size_t dossier_steps_count;
const struct dossier_step *dossier_step_of(const char *action);
/* Whether a dossier in status may take step. */
bool dossier_step_allowed(const struct dossier_step *step, const char *status);

/* When step is due in a dossier received at `received` and due at `due` (moved by the
 * finished supplement pauses, oldest first): the clerk hands over in the first tenth of the
 * working time, processing ends by nine tenths, the signature and the result by the
 * appointment. The share counts the working time without the pauses; a pause that began
 * before the step's time moves it as it moved the appointment. Never after due. */
enum status dossier_step_due(const struct calendar *cal, const struct dossier_step *step,
			     int64_t received, int64_t due, const struct dossier_pause *pauses,
			     size_t pause_count, int64_t *out);

/* The appointment of a time t for a dossier received at `received`. */
enum status dossier_due(const struct calendar *cal, const struct onestop_time *t,
			int64_t received, int64_t *out);

/* Checks an attachment by content: a PDF (starts with "%PDF-", ends with "%%EOF" in its
 * last 1024 bytes), a JPEG or a PNG (upload_sniff_image); sets *mime. STATUS_TOO_LARGE past
 * DOSSIER_FILE_MAX, STATUS_INVALID for anything else or an empty file. */
enum status dossier_file_check(const void *data, size_t n, const char **mime);

/* "15 giờ 30 phút, ngày 18 tháng 11 năm 2026", in the arena. */
const char *dossier_time_words(struct arena *a, int64_t t);

/* ---- storage (dossier_store.c) ---- */

/* What an intake writes. */
struct dossier_new {
	int64_t procedure_id, procedure_version_id;
	const char *channel;       /* "counter" | "online" */
	struct dossier_applicant applicant;
	const char *documents;     /* JSON [{"name", "kind", "copies"}] */
	int64_t sets;
	int64_t received_at, due_at, promise_due_at; /* promise 0: none */
	const char *delivery;
	const char *idempotency_key; /* NULL at the counter */
	const char *role;            /* of the actor, for the control sheet */
	const struct dossier_attachment *files; /* checked; stored with the dossier */
	size_t file_count;
};

/* Creates the dossier with the next number of its day, its first event and an audit
 * record, in one transaction. *code_out in the arena. */
enum status dossier_create(struct db_conn *c, struct arena *a, int64_t unit_id,
			   const struct dossier_new *in, const struct audit_actor *actor,
			   int64_t now, const char **code_out);

/* A dossier as pages show it. */
struct dossier {
	int64_t id, procedure_id, procedure_version_id;
	const char *code, *channel, *status, *documents, *delivery;
	struct dossier_applicant applicant;
	int64_t sets, received_at, due_at, promise_due_at; /* promise 0: none */
	int64_t national_status, finished_at, returned_at;
	int64_t book_volume, book_line; /* 0: not entered */
	int64_t extended_due_at;        /* Mẫu 04's new appointment; 0: none */
};

/* The dossier of a code in the unit. */
enum status dossier_get(struct db_conn *c, struct arena *a, int64_t unit_id, const char *code,
			struct dossier *out);

/* Takes a step of the flow: STATUS_CONFLICT when the dossier is not in a status the step
 * starts from. Writes the status, an event with the step's outcome against the time the
 * step was due (dossier_step_due), and an audit record, in one transaction. */
enum status dossier_advance(struct db_conn *c, const struct calendar *cal, int64_t unit_id,
			    const char *code,
			    const struct dossier_step *step, const char *role, const char *note,
			    const struct audit_actor *actor, int64_t now);

/* Mẫu 02: asks for a supplement of a dossier received or in processing (else
 * STATUS_CONFLICT): status supplement_requested, the clock paused with the working time left
 * until the appointment (by cal) kept, an event with note (the reason, then the items one a
 * line) and an audit record, in one transaction. */
enum status dossier_request_supplement(struct db_conn *c, const struct calendar *cal,
				       int64_t unit_id, const char *code, const char *role,
				       const char *note, const struct audit_actor *actor,
				       int64_t now);
/* The complete supplement received: back to the status the request was made from, the
 * appointment the working time left after now (unchanged when the request came after it).
 * STATUS_CONFLICT when no supplement is awaited. */
enum status dossier_receive_supplement(struct db_conn *c, const struct calendar *cal,
				       int64_t unit_id, const char *code, const char *role,
				       const struct audit_actor *actor, int64_t now);
/* The note and time of the latest event of action; STATUS_NOT_FOUND when none. */
enum status dossier_last_event(struct db_conn *c, struct arena *a, int64_t unit_id,
			       int64_t dossier_id, const char *action, const char **note,
			       int64_t *at);

/* Whether a supplement (Mẫu 02) may be asked of a dossier in status: before the result,
 * while the counter or the specialists have it, not while it awaits the signature. */
bool dossier_supplement_allowed(const char *status);
/* Whether a dossier in status is not yet finished (a result, refusal or withdrawal). */
bool dossier_is_open(const char *status);
/* Mẫu 04: a letter of apology with a new appointment new_due, stored on the dossier
 * (extended_due_at; due_at stays the legal one, for statistics) with an event holding the
 * reason and an audit record, in one transaction. STATUS_CONFLICT when the dossier is
 * finished; STATUS_INVALID when the current appointment has passed or new_due is not
 * after it. */
enum status dossier_extend(struct db_conn *c, int64_t unit_id, const char *code, const char *role,
			   const char *reason, int64_t new_due, const struct audit_actor *actor,
			   int64_t now);

/* Mẫu 05: stops the processing of an open dossier (else STATUS_CONFLICT): status stopped
 * (national 8), finished_at now, an event with note (the reason, then the legal ground on a
 * second line when given) and an audit record, in one transaction. */
enum status dossier_stop(struct db_conn *c, int64_t unit_id, const char *code, const char *role,
			 const char *note, const struct audit_actor *actor, int64_t now);

/* Mẫu 07, the tracking book: the unit's dossiers received in [from, to), oldest first, at
 * most max, as a JSON array of {code, procedure, sets, name, address, phone, office,
 * received_at, due_at, extended_due_at, taken_at, signed_at, returned_at, status} (times as
 * integers, 0 for none); *total counts all of the period. */
enum status dossier_book(struct db_conn *c, int64_t unit_id, int64_t from, int64_t to,
			 size_t max, json_t **out, int64_t *total);

/* The attachments of a dossier as a JSON array of {id, name, mime, size}. */
enum status dossier_files(struct db_conn *c, int64_t unit_id, int64_t dossier_id, json_t **out);
/* One attachment of the dossier, its bytes in the arena; STATUS_NOT_FOUND when the dossier
 * has no such file. */
enum status dossier_file_get(struct db_conn *c, struct arena *a, int64_t unit_id,
			     int64_t dossier_id, int64_t file_id, struct dossier_attachment *out);

/* The events of a dossier, oldest first, as a JSON array of {at, actor, role, action,
 * from, to, note, step_due_at, outcome} (times as integers; actor "" for none). */
enum status dossier_events(struct db_conn *c, int64_t unit_id, int64_t dossier_id, json_t **out);

/* Open dossiers of the unit in one of statuses (NULL-terminated), soonest due first, as
 * a JSON array of {code, status, applicant, procedure, received_at, due_at}. */
enum status dossier_queue(struct db_conn *c, int64_t unit_id, const char *const *statuses,
			  json_t **out);

/* Sets how many public lookups one address may make in DOSSIER_LOOKUP_WINDOW (the
 * lookup_limit setting; 0: no limit). Called once at startup, before serving. */
void dossier_lookup_limit_set(int limit);

/* Counts a public lookup from ip and tells whether it is within the limit. With no limit
 * every lookup is allowed and nothing is written. */
enum status dossier_lookup_allowed(struct db_conn *c, int64_t unit_id, const char *ip,
				   int64_t now, bool *allowed);

/* Which limit an online submission would pass (dossier_submission_allowed). */
enum dossier_quota {
	DOSSIER_QUOTA_OK,
	DOSSIER_QUOTA_ADDRESS,    /* submit_limit submissions from the address in the window */
	DOSSIER_QUOTA_UNIT_BYTES, /* the unit's anonymous upload volume of the window */
};

/* Sets how many online submissions one address may make to a unit in DOSSIER_SUBMIT_WINDOW
 * (submit_limit) and how many bytes of attachments a unit takes from anonymous citizens in
 * that window (submit_upload_mb in bytes); 0: no limit. Called once at startup. */
void dossier_submit_limits_set(int per_address, int64_t unit_bytes);

/* Counts an online submission from ip with bytes of attachments when it is within both
 * limits (*quota DOSSIER_QUOTA_OK); otherwise writes nothing and says which limit it hit.
 * Counted in the database, per unit: every node sees the same counts. */
enum status dossier_submission_allowed(struct db_conn *c, int64_t unit_id, const char *ip,
				       int64_t bytes, int64_t now, enum dossier_quota *quota);

/* Whether a dossier of channel in status may be marked as spam: an online submission the
 * counter has not yet taken further. */
bool dossier_spam_allowed(const char *channel, const char *status);

/* Marks the unit's dossier of code as spam (STATUS_CONFLICT unless dossier_spam_allowed):
 * keeps a record (dossier_spam: code, times, who, files freed) and an audit entry, and
 * deletes the dossier, its events and its files, in one transaction. The code stays used:
 * the lookup then answers as for an unknown code. */
enum status dossier_mark_spam(struct db_conn *c, int64_t unit_id, const char *code,
			      const struct audit_actor *actor, int64_t now);

/* The code of the unit's dossier submitted online with idempotency key (in the arena);
 * STATUS_NOT_FOUND when there is none. */
enum status dossier_by_key(struct db_conn *c, struct arena *a, int64_t unit_id, const char *key,
			   const char **code_out);

/* The unit's code and name (in the arena). */
enum status dossier_unit(struct db_conn *c, struct arena *a, int64_t unit_id, const char **code,
			 const char **name);

#endif
