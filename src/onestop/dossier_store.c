/* dossier_store.c: dossiers in the database: intake with the day's number, the flow, events, queues */
#include "onestop/dossier.h"

#include "audit/audit.h"
#include "base/arena.h"
#include "store/store.h"
#include "upload/upload.h"
#include "worktime/due.h"

#include <stdio.h>
#include <string.h>

enum status dossier_unit(struct db_conn *c, struct arena *a, int64_t unit_id, const char **code,
			 const char **name)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT code, name FROM unit WHERE id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	bool row;
	st = db_step(s, &row);
	if (st)
		return st;
	if (!row)
		return STATUS_NOT_FOUND;
	*code = arena_strdup(a, db_column_text(s, 0));
	*name = arena_strdup(a, db_column_text(s, 1));
	return *code != NULL && *name != NULL ? STATUS_OK : STATUS_TOO_LARGE;
}

/* The next number of the unit's day, inside the caller's transaction (db_begin holds the
 * writers' lock, so reading then writing is safe on every node). */
static enum status next_number(struct db_conn *c, int64_t unit_id, const char *day, int64_t *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT last_number FROM dossier_sequence"
				       " WHERE unit_id = ?1 AND day = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, day);
	int64_t last;
	if ((st = db_query_int64(s, &last)) != STATUS_OK)
		return st;
	if (last == 0) {
		st = db_prepare(c, "INSERT INTO dossier_sequence (unit_id, day, last_number)"
				   " VALUES (?1, ?2, 1)", &s);
	} else {
		st = db_prepare(c, "UPDATE dossier_sequence SET last_number = last_number + 1"
				   " WHERE unit_id = ?1 AND day = ?2", &s);
	}
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, day);
	if ((st = db_exec(s)) != STATUS_OK)
		return st;
	*out = last + 1;
	return STATUS_OK;
}

static enum status add_event(struct db_conn *c, int64_t unit_id, int64_t dossier_id,
			     const struct audit_actor *actor, const char *role, int64_t now,
			     const char *action, const char *from, const char *to,
			     const char *note, int64_t step_due, const char *outcome)
{
	struct db_stmt *s;
	enum status st = db_prepare(c,
		"INSERT INTO dossier_event (dossier_id, unit_id, at, actor_id, actor_name, role,"
		" action, from_status, to_status, note, step_due_at, outcome)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, dossier_id);
	db_bind_int64(s, 2, unit_id);
	db_bind_int64(s, 3, now);
	if (actor != NULL && actor->user_id > 0)
		db_bind_int64(s, 4, actor->user_id);
	else
		db_bind_null(s, 4);
	db_bind_text(s, 5, actor != NULL && actor->name != NULL ? actor->name : "");
	db_bind_text(s, 6, role != NULL ? role : "");
	db_bind_text(s, 7, action);
	db_bind_text(s, 8, from);
	db_bind_text(s, 9, to);
	db_bind_text(s, 10, note != NULL ? note : "");
	if (step_due > 0)
		db_bind_int64(s, 11, step_due);
	else
		db_bind_null(s, 11);
	db_bind_text(s, 12, outcome);
	return db_exec(s);
}

enum status dossier_create(struct db_conn *c, struct arena *a, int64_t unit_id,
			   const struct dossier_new *in, const struct audit_actor *actor,
			   int64_t now, const char **code_out)
{
	const char *unit_code, *unit_name;
	enum status st = dossier_unit(c, a, unit_id, &unit_code, &unit_name);
	if (st)
		return st;
	char day[7];
	dossier_day(in->received_at, day);
	if ((st = db_begin(c)) != STATUS_OK)
		return st;
	int64_t number;
	if ((st = next_number(c, unit_id, day, &number)) != STATUS_OK)
		goto fail;
	const char *code = dossier_code_format(a, unit_code, in->received_at, number);
	if (code == NULL) {
		st = STATUS_INVALID;
		goto fail;
	}
	struct db_stmt *s;
	st = db_prepare(c,
		"INSERT INTO dossier (unit_id, code, procedure_id, procedure_version_id, channel,"
		" applicant_name, applicant_id_number, applicant_address, applicant_phone,"
		" applicant_email, documents, sets, received_at, due_at, promise_due_at, status,"
		" national_status, delivery, idempotency_key, created_by)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
		" 'received', 2, ?16, ?17, ?18)", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, in->procedure_id);
	db_bind_int64(s, 4, in->procedure_version_id);
	db_bind_text(s, 5, in->channel);
	db_bind_text(s, 6, in->applicant.name);
	db_bind_text(s, 7, in->applicant.id_number);
	db_bind_text(s, 8, in->applicant.address);
	db_bind_text(s, 9, in->applicant.phone);
	db_bind_text(s, 10, in->applicant.email);
	db_bind_text(s, 11, in->documents);
	db_bind_int64(s, 12, in->sets);
	db_bind_int64(s, 13, in->received_at);
	db_bind_int64(s, 14, in->due_at);
	if (in->promise_due_at > 0)
		db_bind_int64(s, 15, in->promise_due_at);
	else
		db_bind_null(s, 15);
	db_bind_text(s, 16, in->delivery);
	db_bind_text(s, 17, in->idempotency_key);
	if (actor != NULL && actor->user_id > 0)
		db_bind_int64(s, 18, actor->user_id);
	else
		db_bind_null(s, 18);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	int64_t id = db_last_insert_id(c);
	for (size_t i = 0; i < in->file_count; i++) {
		const struct dossier_attachment *f = &in->files[i];
		char hash[65];
		upload_sha256_hex(f->data, f->len, hash);
		st = db_prepare(c, "INSERT INTO dossier_file (unit_id, dossier_id, name, mime, hash,"
				   " size, bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &s);
		if (st)
			goto fail;
		db_bind_int64(s, 1, unit_id);
		db_bind_int64(s, 2, id);
		db_bind_text(s, 3, f->name);
		db_bind_text(s, 4, f->mime);
		db_bind_text(s, 5, hash);
		db_bind_int64(s, 6, (int64_t)f->len);
		db_bind_blob(s, 7, f->data, f->len);
		db_bind_int64(s, 8, now);
		if ((st = db_exec(s)) != STATUS_OK)
			goto fail;
	}
	st = add_event(c, unit_id, id, actor, in->role, now, "receive", NULL, "received", "",
		       in->received_at, dossier_outcome_name(DOSSIER_ON_TIME));
	if (st)
		goto fail;
	json_t *after = json_pack("{s:s, s:I, s:I, s:s, s:I, s:I, s:I}", "code", code,
		"procedure_version_id", (json_int_t)in->procedure_version_id,
		"received_at", (json_int_t)in->received_at, "channel", in->channel,
		"due_at", (json_int_t)in->due_at, "promise_due_at", (json_int_t)in->promise_due_at,
		"sets", (json_int_t)in->sets);
	json_object_set_new(after, "files", json_integer((json_int_t)in->file_count));
	st = audit_append(c, unit_id, actor, now, "dossier.receive", "dossier", id, NULL, after);
	json_decref(after);
	if (st)
		goto fail;
	if ((st = db_commit(c)) != STATUS_OK)
		return st;
	*code_out = code;
	return STATUS_OK;
fail:
	db_rollback(c);
	return st;
}

static const char *dup(struct arena *a, struct db_stmt *s, int col)
{
	const char *v = arena_strdup(a, db_column_text(s, col));
	return v != NULL ? v : "";
}

enum status dossier_get(struct db_conn *c, struct arena *a, int64_t unit_id, const char *code,
			struct dossier *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c,
		"SELECT id, procedure_id, procedure_version_id, code, channel, status, documents,"
		" delivery, applicant_name, applicant_id_number, applicant_address, applicant_phone,"
		" applicant_email, sets, received_at, due_at, COALESCE(promise_due_at, 0),"
		" national_status, COALESCE(finished_at, 0), COALESCE(returned_at, 0),"
		" COALESCE(book_volume, 0), COALESCE(book_line, 0), COALESCE(extended_due_at, 0)"
		" FROM dossier WHERE unit_id = ?1 AND code = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, code);
	bool row;
	if ((st = db_step(s, &row)) != STATUS_OK)
		return st;
	if (!row)
		return STATUS_NOT_FOUND;
	*out = (struct dossier){
		.id = db_column_int64(s, 0), .procedure_id = db_column_int64(s, 1),
		.procedure_version_id = db_column_int64(s, 2), .code = dup(a, s, 3),
		.channel = dup(a, s, 4), .status = dup(a, s, 5), .documents = dup(a, s, 6),
		.delivery = dup(a, s, 7),
		.applicant = { dup(a, s, 8), dup(a, s, 9), dup(a, s, 10), dup(a, s, 11),
			       dup(a, s, 12) },
		.sets = db_column_int64(s, 13), .received_at = db_column_int64(s, 14),
		.due_at = db_column_int64(s, 15), .promise_due_at = db_column_int64(s, 16),
		.national_status = db_column_int64(s, 17), .finished_at = db_column_int64(s, 18),
		.returned_at = db_column_int64(s, 19), .book_volume = db_column_int64(s, 20),
		.book_line = db_column_int64(s, 21), .extended_due_at = db_column_int64(s, 22),
	};
	return STATUS_OK;
}

/* What a change of a dossier reads first, inside its write transaction. */
struct dossier_row {
	int64_t id;
	char status[32];
	int64_t due;          /* the legal appointment */
	int64_t paused_left;  /* working seconds left when a supplement was requested; 0 none */
	int64_t extended_due; /* the Mẫu 04 appointment; 0 none */
	int64_t promise_due;  /* the unit's promise; 0 none */
	int64_t received;
	int64_t paused_promise_left; /* as paused_left, until the promise */
};

static enum status fetch_for_change(struct db_conn *c, int64_t unit_id, const char *code,
				    struct dossier_row *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT id, status, due_at, COALESCE(paused_left, 0),"
				       " COALESCE(extended_due_at, 0), COALESCE(promise_due_at, 0),"
				       " COALESCE(paused_promise_left, 0), received_at"
				       " FROM dossier WHERE unit_id = ?1 AND code = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, code);
	bool row;
	if ((st = db_step(s, &row)) != STATUS_OK)
		return st;
	if (!row)
		return STATUS_NOT_FOUND;
	out->id = db_column_int64(s, 0);
	snprintf(out->status, sizeof out->status, "%s", db_column_text(s, 1));
	out->due = db_column_int64(s, 2);
	out->paused_left = db_column_int64(s, 3);
	out->extended_due = db_column_int64(s, 4);
	out->promise_due = db_column_int64(s, 5);
	out->paused_promise_left = db_column_int64(s, 6);
	out->received = db_column_int64(s, 7);
	return STATUS_OK;
}

enum { DOSSIER_PAUSES_MAX = 20 };

/* The finished supplement pauses of a dossier, oldest first, from its events. */
static enum status finished_pauses(struct db_conn *c, int64_t unit_id, int64_t dossier_id,
				   struct dossier_pause *out, size_t *count)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT action, at FROM dossier_event WHERE unit_id = ?1"
				       " AND dossier_id = ?2 AND action IN ('supplement_request',"
				       " 'supplement_receive') ORDER BY at, id LIMIT ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, dossier_id);
	db_bind_int64(s, 3, DOSSIER_PAUSES_MAX * 2);
	*count = 0;
	int64_t start = 0;
	for (;;) {
		bool row;
		if ((st = db_step(s, &row)) != STATUS_OK)
			return st;
		if (!row)
			break;
		int64_t at = db_column_int64(s, 1);
		if (strcmp(db_column_text(s, 0), "supplement_request") == 0) {
			start = at;
		} else if (start > 0 && *count < DOSSIER_PAUSES_MAX) {
			out[(*count)++] = (struct dossier_pause){ start, at };
			start = 0;
		}
	}
	return STATUS_OK;
}

enum status dossier_advance(struct db_conn *c, const struct calendar *cal, int64_t unit_id,
			    const char *code, const struct dossier_step *step, const char *role,
			    const char *note, const struct audit_actor *actor, int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct dossier_row d;
	if ((st = fetch_for_change(c, unit_id, code, &d)) != STATUS_OK)
		goto fail;
	int64_t id = d.id, due = d.due;
	const char *from = d.status;
	if (!dossier_step_allowed(step, from)) {
		st = STATUS_CONFLICT;
		goto fail;
	}
	struct dossier_pause pauses[DOSSIER_PAUSES_MAX];
	size_t pause_count;
	if ((st = finished_pauses(c, unit_id, id, pauses, &pause_count)) != STATUS_OK)
		goto fail;
	int64_t step_due;
	st = dossier_step_due(cal, step, d.received, due, pauses, pause_count, &step_due);
	if (st)
		goto fail;
	struct db_stmt *s;
	st = db_prepare(c,
		"UPDATE dossier SET status = ?3, national_status = ?4,"
		" finished_at = CASE WHEN ?3 IN ('result_ready', 'refused') THEN ?5"
		" ELSE finished_at END,"
		" returned_at = CASE WHEN ?3 = 'returned' THEN ?5 ELSE returned_at END"
		" WHERE unit_id = ?1 AND id = ?2", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, id);
	db_bind_text(s, 3, step->to);
	db_bind_int64(s, 4, dossier_national_status(step->to));
	db_bind_int64(s, 5, now);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	const char *outcome = dossier_outcome_name(dossier_step_outcome(now, step_due));
	st = add_event(c, unit_id, id, actor, role, now, step->action, from, step->to, note,
		       step_due, outcome);
	if (st)
		goto fail;
	json_t *before = json_pack("{s:s, s:s}", "code", code, "status", from);
	json_t *after = json_pack("{s:s, s:s, s:s}", "code", code, "status", step->to,
				  "outcome", outcome);
	char action[48];
	snprintf(action, sizeof action, "dossier.%s", step->action);
	st = audit_append(c, unit_id, actor, now, action, "dossier", id, before, after);
	json_decref(before);
	json_decref(after);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status dossier_events(struct db_conn *c, int64_t unit_id, int64_t dossier_id, json_t **out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c,
		"SELECT at, actor_name, role, action, COALESCE(from_status, ''), to_status, note,"
		" COALESCE(step_due_at, 0), COALESCE(outcome, '') FROM dossier_event"
		" WHERE unit_id = ?1 AND dossier_id = ?2 ORDER BY at, id LIMIT ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, dossier_id);
	db_bind_int64(s, 3, DOSSIER_EVENTS_MAX);
	json_t *arr = json_array();
	for (;;) {
		bool row;
		if ((st = db_step(s, &row)) != STATUS_OK) {
			json_decref(arr);
			return st;
		}
		if (!row)
			break;
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
			"at", (json_int_t)db_column_int64(s, 0), "actor", db_column_text(s, 1),
			"role", db_column_text(s, 2), "action", db_column_text(s, 3),
			"from", db_column_text(s, 4), "to", db_column_text(s, 5),
			"note", db_column_text(s, 6), "step_due_at", (json_int_t)db_column_int64(s, 7),
			"outcome", db_column_text(s, 8)));
	}
	*out = arr;
	return STATUS_OK;
}

enum status dossier_queue(struct db_conn *c, int64_t unit_id, const char *const *statuses,
			  json_t **out)
{
	json_t *arr = json_array();
	for (size_t k = 0; statuses[k] != NULL; k++) {
		struct db_stmt *s;
		enum status st = db_prepare(c,
			"SELECT d.code, d.status, d.applicant_name, v.name, d.received_at, d.due_at,"
			" COALESCE(d.promise_due_at, 0)"
			" FROM dossier d JOIN procedure_version v ON v.id = d.procedure_version_id"
			" WHERE d.unit_id = ?1 AND d.status = ?2 ORDER BY d.due_at, d.id LIMIT ?3", &s);
		if (st) {
			json_decref(arr);
			return st;
		}
		db_bind_int64(s, 1, unit_id);
		db_bind_text(s, 2, statuses[k]);
		db_bind_int64(s, 3, DOSSIER_QUEUE_MAX);
		for (;;) {
			bool row;
			if ((st = db_step(s, &row)) != STATUS_OK) {
				json_decref(arr);
				return st;
			}
			if (!row)
				break;
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
				"code", db_column_text(s, 0), "status", db_column_text(s, 1),
				"applicant", db_column_text(s, 2), "procedure", db_column_text(s, 3),
				"received_at", (json_int_t)db_column_int64(s, 4),
				"due_at", (json_int_t)db_column_int64(s, 5),
				"promise_due_at", (json_int_t)db_column_int64(s, 6)));
		}
	}
	*out = arr;
	return STATUS_OK;
}

enum status dossier_by_key(struct db_conn *c, struct arena *a, int64_t unit_id, const char *key,
			   const char **code_out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT code FROM dossier WHERE unit_id = ?1"
				       " AND idempotency_key = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, key);
	bool row;
	if ((st = db_step(s, &row)) != STATUS_OK)
		return st;
	if (!row)
		return STATUS_NOT_FOUND;
	*code_out = arena_strdup(a, db_column_text(s, 0));
	return *code_out != NULL ? STATUS_OK : STATUS_TOO_LARGE;
}

/* Set at startup, then only read. */
static int lookup_limit = DOSSIER_LOOKUPS_PER_WINDOW;

void dossier_lookup_limit_set(int limit)
{
	lookup_limit = limit;
}

enum status dossier_lookup_allowed(struct db_conn *c, int64_t unit_id, const char *ip,
				   int64_t now, bool *allowed)
{
	*allowed = true;
	int limit = lookup_limit;
	if (limit == 0)
		return STATUS_OK;
	/* One write transaction: the count and the new row agree under concurrent lookups,
	 * one commit instead of two, and on SQLite the write waits for the lock instead of
	 * failing at once on a read snapshot another writer has passed. */
	enum status st = db_begin(c);
	if (st)
		return st;
	struct db_stmt *s;
	/* Counted in the unit: one unit's lookups never block another's citizens. */
	if ((st = db_prepare(c, "SELECT count(*) FROM dossier_lookup"
				" WHERE unit_id = ?3 AND client_ip = ?1 AND at > ?2", &s)) != STATUS_OK)
		goto fail;
	db_bind_text(s, 1, ip);
	db_bind_int64(s, 2, now - DOSSIER_LOOKUP_WINDOW);
	db_bind_int64(s, 3, unit_id);
	int64_t n;
	if ((st = db_query_int64(s, &n)) != STATUS_OK)
		goto fail;
	*allowed = n < limit;
	if (!*allowed) {
		db_rollback(c);
		return STATUS_OK;
	}
	if ((st = db_prepare(c, "INSERT INTO dossier_lookup (unit_id, client_ip, at)"
				" VALUES (?1, ?2, ?3)", &s)) != STATUS_OK)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, ip);
	db_bind_int64(s, 3, now);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	if ((st = db_prepare(c, "DELETE FROM dossier_lookup WHERE at < ?1", &s)) != STATUS_OK)
		goto fail;
	db_bind_int64(s, 1, now - DOSSIER_LOOKUP_WINDOW);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

/* ---- online submissions: throttle and spam ---- */

/* Set at startup, then only read. */
static int submit_limit = DOSSIER_SUBMITS_PER_WINDOW;
static int64_t submit_bytes_limit = (int64_t)DOSSIER_UPLOAD_MB_PER_WINDOW * 1024 * 1024;

void dossier_submit_limits_set(int per_address, int64_t unit_bytes)
{
	submit_limit = per_address;
	submit_bytes_limit = unit_bytes;
}

/* Whether the unit's submissions of the window (and from ip) leave room for one more of
 * bytes; *quota says which limit is hit. Inside the caller's write transaction. */
static enum status submission_quota(struct db_conn *c, int64_t unit_id, const char *ip,
				    int64_t bytes, int64_t now, enum dossier_quota *quota)
{
	struct db_stmt *s;
	enum status st;
	if (submit_limit > 0) {
		if ((st = db_prepare(c, "SELECT count(*) FROM dossier_submission WHERE unit_id = ?1"
					" AND client_ip = ?2 AND at > ?3", &s)) != STATUS_OK)
			return st;
		db_bind_int64(s, 1, unit_id);
		db_bind_text(s, 2, ip);
		db_bind_int64(s, 3, now - DOSSIER_SUBMIT_WINDOW);
		int64_t n;
		if ((st = db_query_int64(s, &n)) != STATUS_OK)
			return st;
		if (n >= submit_limit) {
			*quota = DOSSIER_QUOTA_ADDRESS;
			return STATUS_OK;
		}
	}
	if (submit_bytes_limit > 0 && bytes > 0) {
		if ((st = db_prepare(c, "SELECT COALESCE(sum(bytes), 0) FROM dossier_submission"
					" WHERE unit_id = ?1 AND at > ?2", &s)) != STATUS_OK)
			return st;
		db_bind_int64(s, 1, unit_id);
		db_bind_int64(s, 2, now - DOSSIER_SUBMIT_WINDOW);
		int64_t used;
		if ((st = db_query_int64(s, &used)) != STATUS_OK)
			return st;
		if (used + bytes > submit_bytes_limit) {
			*quota = DOSSIER_QUOTA_UNIT_BYTES;
			return STATUS_OK;
		}
	}
	*quota = DOSSIER_QUOTA_OK;
	return STATUS_OK;
}

enum status dossier_submission_allowed(struct db_conn *c, int64_t unit_id, const char *ip,
				       int64_t bytes, int64_t now, enum dossier_quota *quota)
{
	*quota = DOSSIER_QUOTA_OK;
	if (submit_limit == 0 && submit_bytes_limit == 0)
		return STATUS_OK;
	/* One write transaction, as for lookups: concurrent submissions are counted one after
	 * the other, so none slips past a limit another has just reached. */
	enum status st = db_begin(c);
	if (st)
		return st;
	struct db_stmt *s;
	if ((st = submission_quota(c, unit_id, ip, bytes, now, quota)) != STATUS_OK)
		goto fail;
	if (*quota != DOSSIER_QUOTA_OK) {
		db_rollback(c);
		return STATUS_OK;
	}
	if ((st = db_prepare(c, "INSERT INTO dossier_submission (unit_id, client_ip, at, bytes)"
				" VALUES (?1, ?2, ?3, ?4)", &s)) != STATUS_OK)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, ip);
	db_bind_int64(s, 3, now);
	db_bind_int64(s, 4, bytes);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	if ((st = db_prepare(c, "DELETE FROM dossier_submission WHERE unit_id = ?1 AND at < ?2",
			     &s)) != STATUS_OK)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, now - DOSSIER_SUBMIT_WINDOW);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

/* Runs a DELETE of one dossier's rows: ?1 the unit, ?2 the dossier. */
static enum status delete_of(struct db_stmt *s, int64_t unit_id, int64_t dossier_id)
{
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, dossier_id);
	return db_exec(s);
}

enum status dossier_mark_spam(struct db_conn *c, int64_t unit_id, const char *code,
			      const struct audit_actor *actor, int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct db_stmt *s;
	if ((st = db_prepare(c, "SELECT id, channel, status, procedure_id, received_at,"
				" (SELECT count(*) FROM dossier_file f WHERE f.dossier_id = d.id),"
				" (SELECT COALESCE(sum(size), 0) FROM dossier_file f"
				"  WHERE f.dossier_id = d.id)"
				" FROM dossier d WHERE unit_id = ?1 AND code = ?2", &s)) != STATUS_OK)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_text(s, 2, code);
	bool row;
	if ((st = db_step(s, &row)) != STATUS_OK)
		goto fail;
	if (!row) {
		st = STATUS_NOT_FOUND;
		goto fail;
	}
	int64_t id = db_column_int64(s, 0), procedure_id = db_column_int64(s, 3);
	int64_t received = db_column_int64(s, 4), files = db_column_int64(s, 5);
	int64_t bytes = db_column_int64(s, 6);
	if (!dossier_spam_allowed(db_column_text(s, 1), db_column_text(s, 2))) {
		st = STATUS_CONFLICT;
		goto fail;
	}
	if ((st = db_prepare(c, "INSERT INTO dossier_spam (unit_id, dossier_id, code, procedure_id,"
				" received_at, marked_at, marked_by, files, bytes)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &s)) != STATUS_OK)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, id);
	db_bind_text(s, 3, code);
	db_bind_int64(s, 4, procedure_id);
	db_bind_int64(s, 5, received);
	db_bind_int64(s, 6, now);
	db_bind_int64(s, 7, actor != NULL ? actor->user_id : 0);
	db_bind_int64(s, 8, files);
	db_bind_int64(s, 9, bytes);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	/* The dossier leaves every queue, list and statistic with its rows; its files (each
	 * row of dossier_file belongs to this dossier alone) are freed. */
	if ((st = db_prepare(c, "DELETE FROM dossier_file WHERE unit_id = ?1 AND dossier_id = ?2",
			     &s)) != STATUS_OK || (st = delete_of(s, unit_id, id)) != STATUS_OK)
		goto fail;
	if ((st = db_prepare(c, "DELETE FROM dossier_event WHERE unit_id = ?1 AND dossier_id = ?2",
			     &s)) != STATUS_OK || (st = delete_of(s, unit_id, id)) != STATUS_OK)
		goto fail;
	if ((st = db_prepare(c, "DELETE FROM dossier WHERE unit_id = ?1 AND id = ?2",
			     &s)) != STATUS_OK || (st = delete_of(s, unit_id, id)) != STATUS_OK)
		goto fail;
	json_t *before = json_pack("{s:s, s:I, s:I, s:I}", "code", code,
		"received_at", (json_int_t)received, "files", (json_int_t)files,
		"bytes", (json_int_t)bytes);
	st = audit_append(c, unit_id, actor, now, "dossier.spam", "dossier", id, before, NULL);
	json_decref(before);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

/* ---- supplement (Mẫu 02) ---- */

enum status dossier_request_supplement(struct db_conn *c, const struct calendar *cal,
				       int64_t unit_id, const char *code, const char *role,
				       const char *note, const struct audit_actor *actor,
				       int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct dossier_row d;
	if ((st = fetch_for_change(c, unit_id, code, &d)) != STATUS_OK)
		goto fail;
	int64_t id = d.id, due = d.due;
	const char *from = d.status;
	if (!dossier_supplement_allowed(from)) {
		st = STATUS_CONFLICT;
		goto fail;
	}
	int64_t left = due_working_time_between(cal, now, due);
	if (left < 0)
		left = 0;
	int64_t promise_left = 0;
	if (d.promise_due > now)
		promise_left = due_working_time_between(cal, now, d.promise_due);
	if (promise_left < 0)
		promise_left = 0;
	struct db_stmt *s;
	st = db_prepare(c, "UPDATE dossier SET status = ?3, national_status = ?4, paused_at = ?5,"
			   " paused_left = ?6, paused_promise_left = ?7"
			   " WHERE unit_id = ?1 AND id = ?2", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, id);
	db_bind_text(s, 3, "supplement_requested");
	db_bind_int64(s, 4, dossier_national_status("supplement_requested"));
	db_bind_int64(s, 5, now);
	db_bind_int64(s, 6, left);
	if (d.promise_due > 0)
		db_bind_int64(s, 7, promise_left);
	else
		db_bind_null(s, 7);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	const char *outcome = dossier_outcome_name(dossier_step_outcome(now, due));
	st = add_event(c, unit_id, id, actor, role, now, "supplement_request", from,
		       "supplement_requested", note, due, outcome);
	if (st)
		goto fail;
	json_t *before = json_pack("{s:s, s:s}", "code", code, "status", from);
	json_t *after = json_pack("{s:s, s:s, s:I, s:I}", "code", code, "status",
				  "supplement_requested", "paused_left", (json_int_t)left,
				  "paused_promise_left", (json_int_t)promise_left);
	st = audit_append(c, unit_id, actor, now, "dossier.supplement_request", "dossier", id,
			  before, after);
	json_decref(before);
	json_decref(after);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status dossier_receive_supplement(struct db_conn *c, const struct calendar *cal,
				       int64_t unit_id, const char *code, const char *role,
				       const struct audit_actor *actor, int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct dossier_row d;
	if ((st = fetch_for_change(c, unit_id, code, &d)) != STATUS_OK)
		goto fail;
	int64_t id = d.id, due = d.due, left = d.paused_left;
	const char *from = d.status;
	if (strcmp(from, "supplement_requested") != 0) {
		st = STATUS_CONFLICT;
		goto fail;
	}
	/* Back to the status the request was made from. */
	struct db_stmt *s;
	st = db_prepare(c, "SELECT COALESCE(from_status, 'received'), at FROM dossier_event"
			   " WHERE unit_id = ?1 AND dossier_id = ?2 AND action = 'supplement_request'"
			   " ORDER BY at DESC, id DESC LIMIT 1", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, id);
	bool row;
	if ((st = db_step(s, &row)) != STATUS_OK)
		goto fail;
	char to[32];
	snprintf(to, sizeof to, "%s", row ? db_column_text(s, 0) : "received");
	int64_t paused_at = row ? db_column_int64(s, 1) : now;
	/* A request made once the appointment had passed leaves it where it was. */
	int64_t new_due = due;
	if (paused_at < due) {
		if ((st = due_add_working_time(cal, now, left, &new_due)) != STATUS_OK)
			goto fail;
		if (new_due < due)
			new_due = due;
	}
	/* The promise by the same rule, from its own time left. */
	int64_t promise = d.promise_due, new_promise = promise;
	if (promise > 0 && paused_at < promise) {
		if ((st = due_add_working_time(cal, now, d.paused_promise_left, &new_promise)) !=
		    STATUS_OK)
			goto fail;
		if (new_promise < promise)
			new_promise = promise;
	}
	st = db_prepare(c, "UPDATE dossier SET status = ?3, national_status = ?4, due_at = ?5,"
			   " promise_due_at = CASE WHEN promise_due_at IS NULL THEN NULL ELSE ?6 END,"
			   " paused_at = NULL, paused_left = NULL, paused_promise_left = NULL"
			   " WHERE unit_id = ?1 AND id = ?2", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, id);
	db_bind_text(s, 3, to);
	db_bind_int64(s, 4, dossier_national_status(to));
	db_bind_int64(s, 5, new_due);
	db_bind_int64(s, 6, new_promise);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	st = add_event(c, unit_id, id, actor, role, now, "supplement_receive", from, to,
		       "", 0, NULL);
	if (st)
		goto fail;
	json_t *before = json_pack("{s:s, s:s, s:I, s:I}", "code", code, "status", from,
				   "due_at", (json_int_t)due, "promise_due_at", (json_int_t)promise);
	json_t *after = json_pack("{s:s, s:s, s:I, s:I}", "code", code, "status", to,
				  "due_at", (json_int_t)new_due,
				  "promise_due_at", (json_int_t)new_promise);
	st = audit_append(c, unit_id, actor, now, "dossier.supplement_receive", "dossier", id,
			  before, after);
	json_decref(before);
	json_decref(after);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status dossier_last_event(struct db_conn *c, struct arena *a, int64_t unit_id,
			       int64_t dossier_id, const char *action, const char **note,
			       int64_t *at)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT note, at FROM dossier_event WHERE unit_id = ?1"
				       " AND dossier_id = ?2 AND action = ?3"
				       " ORDER BY at DESC, id DESC LIMIT 1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, dossier_id);
	db_bind_text(s, 3, action);
	bool row;
	if ((st = db_step(s, &row)) != STATUS_OK)
		return st;
	if (!row)
		return STATUS_NOT_FOUND;
	*note = dup(a, s, 0);
	*at = db_column_int64(s, 1);
	return STATUS_OK;
}

/* ---- apology and extension (Mẫu 04) ---- */

bool dossier_is_open(const char *status)
{
	return strcmp(status, "received") == 0 || strcmp(status, "transferred") == 0 ||
	       strcmp(status, "processing") == 0 ||
	       strcmp(status, "awaiting_signature") == 0 ||
	       strcmp(status, "supplement_requested") == 0;
}

enum status dossier_extend(struct db_conn *c, int64_t unit_id, const char *code, const char *role,
			   const char *reason, int64_t new_due, const struct audit_actor *actor,
			   int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct dossier_row d;
	if ((st = fetch_for_change(c, unit_id, code, &d)) != STATUS_OK)
		goto fail;
	int64_t id = d.id, due = d.due;
	int64_t current = d.extended_due > 0 ? d.extended_due : due;
	const char *status = d.status;
	if (!dossier_is_open(status)) {
		st = STATUS_CONFLICT;
		goto fail;
	}
	if (now > current || new_due <= current) {
		st = STATUS_INVALID;
		goto fail;
	}
	struct db_stmt *s;
	st = db_prepare(c, "UPDATE dossier SET extended_due_at = ?3 WHERE unit_id = ?1 AND id = ?2",
			&s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, id);
	db_bind_int64(s, 3, new_due);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	st = add_event(c, unit_id, id, actor, role, now, "extend", status, status, reason, current,
		       NULL);
	if (st)
		goto fail;
	json_t *before = json_pack("{s:s, s:I, s:I}", "code", code, "due_at", (json_int_t)due,
				   "appointment", (json_int_t)current);
	json_t *after = json_pack("{s:s, s:I, s:I}", "code", code, "due_at", (json_int_t)due,
				  "appointment", (json_int_t)new_due);
	st = audit_append(c, unit_id, actor, now, "dossier.extend", "dossier", id, before, after);
	json_decref(before);
	json_decref(after);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

/* ---- stop (Mẫu 05) ---- */

enum status dossier_stop(struct db_conn *c, int64_t unit_id, const char *code, const char *role,
			 const char *note, const struct audit_actor *actor, int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct dossier_row d;
	if ((st = fetch_for_change(c, unit_id, code, &d)) != STATUS_OK)
		goto fail;
	const char *from = d.status;
	if (!dossier_is_open(from)) {
		st = STATUS_CONFLICT;
		goto fail;
	}
	struct db_stmt *s;
	st = db_prepare(c, "UPDATE dossier SET status = 'stopped', national_status = ?3,"
			   " finished_at = ?4, paused_at = NULL, paused_left = NULL,"
			   " paused_promise_left = NULL WHERE unit_id = ?1 AND id = ?2", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, d.id);
	db_bind_int64(s, 3, dossier_national_status("stopped"));
	db_bind_int64(s, 4, now);
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	int64_t appointment = d.extended_due > 0 ? d.extended_due : d.due;
	st = add_event(c, unit_id, d.id, actor, role, now, "stop", from, "stopped", note,
		       appointment, dossier_outcome_name(dossier_step_outcome(now, appointment)));
	if (st)
		goto fail;
	json_t *before = json_pack("{s:s, s:s}", "code", code, "status", from);
	json_t *after = json_pack("{s:s, s:s, s:s}", "code", code, "status", "stopped",
				  "note", note);
	st = audit_append(c, unit_id, actor, now, "dossier.stop", "dossier", d.id, before, after);
	json_decref(before);
	json_decref(after);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

/* ---- the tracking book (Mẫu 07) ---- */

enum status dossier_book(struct db_conn *c, int64_t unit_id, int64_t from, int64_t to,
			 size_t max, json_t **out, int64_t *total)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT count(*) FROM dossier WHERE unit_id = ?1"
				       " AND received_at >= ?2 AND received_at < ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, from);
	db_bind_int64(s, 3, to);
	if ((st = db_query_int64(s, total)) != STATUS_OK)
		return st;
	/* Handed to processing: the first transfer or take; result received: the leader's
	 * signature. */
	st = db_prepare(c,
		"SELECT d.code, v.name, d.sets, d.applicant_name, d.applicant_address,"
		" d.applicant_phone, v.office, d.received_at, d.due_at,"
		" COALESCE(d.extended_due_at, 0),"
		" COALESCE((SELECT min(e.at) FROM dossier_event e WHERE e.dossier_id = d.id"
		"  AND e.unit_id = d.unit_id AND e.action IN ('transfer', 'take')), 0),"
		" COALESCE((SELECT min(e.at) FROM dossier_event e WHERE e.dossier_id = d.id"
		"  AND e.unit_id = d.unit_id AND e.action = 'sign'), 0),"
		" COALESCE(d.returned_at, 0), d.status"
		" FROM dossier d JOIN procedure_version v ON v.id = d.procedure_version_id"
		" AND v.unit_id = d.unit_id"
		" WHERE d.unit_id = ?1 AND d.received_at >= ?2 AND d.received_at < ?3"
		" ORDER BY d.received_at, d.id LIMIT ?4", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, from);
	db_bind_int64(s, 3, to);
	db_bind_int64(s, 4, (int64_t)max);
	json_t *arr = json_array();
	for (;;) {
		bool row;
		if ((st = db_step(s, &row)) != STATUS_OK) {
			json_decref(arr);
			return st;
		}
		if (!row)
			break;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:I,"
						     " s:I, s:I, s:I, s:I, s:s}",
			"code", db_column_text(s, 0), "procedure", db_column_text(s, 1),
			"sets", (json_int_t)db_column_int64(s, 2), "name", db_column_text(s, 3),
			"address", db_column_text(s, 4), "phone", db_column_text(s, 5),
			"office", db_column_text(s, 6),
			"received_at", (json_int_t)db_column_int64(s, 7),
			"due_at", (json_int_t)db_column_int64(s, 8),
			"extended_due_at", (json_int_t)db_column_int64(s, 9),
			"taken_at", (json_int_t)db_column_int64(s, 10),
			"signed_at", (json_int_t)db_column_int64(s, 11),
			"returned_at", (json_int_t)db_column_int64(s, 12),
			"status", db_column_text(s, 13)));
	}
	*out = arr;
	return STATUS_OK;
}

/* ---- attachments of an online submission ---- */

enum status dossier_files(struct db_conn *c, int64_t unit_id, int64_t dossier_id, json_t **out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT id, name, mime, size FROM dossier_file"
				       " WHERE unit_id = ?1 AND dossier_id = ?2 ORDER BY id LIMIT ?3",
				    &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, dossier_id);
	db_bind_int64(s, 3, DOSSIER_FILES_MAX * 4);
	json_t *arr = json_array();
	for (;;) {
		bool row;
		if ((st = db_step(s, &row)) != STATUS_OK) {
			json_decref(arr);
			return st;
		}
		if (!row)
			break;
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:I}",
			"id", (json_int_t)db_column_int64(s, 0), "name", db_column_text(s, 1),
			"mime", db_column_text(s, 2), "size", (json_int_t)db_column_int64(s, 3)));
	}
	*out = arr;
	return STATUS_OK;
}

enum status dossier_file_get(struct db_conn *c, struct arena *a, int64_t unit_id,
			     int64_t dossier_id, int64_t file_id, struct dossier_attachment *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT name, mime, bytes FROM dossier_file"
				       " WHERE unit_id = ?1 AND dossier_id = ?2 AND id = ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, dossier_id);
	db_bind_int64(s, 3, file_id);
	bool row;
	if ((st = db_step(s, &row)) != STATUS_OK)
		return st;
	if (!row)
		return STATUS_NOT_FOUND;
	const void *bytes = db_column_blob(s, 2);
	size_t n = db_column_bytes(s, 2);
	void *data = arena_alloc(a, n > 0 ? n : 1);
	out->name = arena_strdup(a, db_column_text(s, 0));
	out->mime = arena_strdup(a, db_column_text(s, 1));
	if (data == NULL || out->name == NULL || out->mime == NULL)
		return STATUS_TOO_LARGE;
	if (n > 0)
		memcpy(data, bytes, n);
	out->data = data;
	out->len = n;
	return STATUS_OK;
}
