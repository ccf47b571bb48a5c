/* rating_store.c: satisfaction ratings in the database: saved once with their answers, read,
 * counted and listed for the unit's staff */
#include "onestop/rating.h"

#include "audit/audit.h"
#include "base/arena.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

enum status rating_save(struct db_conn *c, int64_t unit_id, int64_t dossier_id,
			const struct rating *in, const struct audit_actor *actor, int64_t now)
{
	enum status st = db_begin(c);
	if (st)
		return st;
	struct db_stmt *s;
	st = db_prepare(c, "SELECT d.status, d.procedure_id, d.code,"
			   " (SELECT count(*) FROM dossier_rating r WHERE r.dossier_id = d.id)"
			   " FROM dossier d WHERE d.unit_id = ?1 AND d.id = ?2", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, dossier_id);
	bool row;
	if ((st = db_step(s, &row)) != STATUS_OK)
		goto fail;
	if (!row) {
		st = STATUS_NOT_FOUND;
		goto fail;
	}
	bool returned = strcmp(db_column_text(s, 0), "returned") == 0;
	int64_t procedure_id = db_column_int64(s, 1);
	char code[96];
	snprintf(code, sizeof code, "%s", db_column_text(s, 2));
	int64_t rated = db_column_int64(s, 3);
	if (rated > 0) {
		st = STATUS_CONFLICT;
		goto fail;
	}
	if (!returned) {
		st = STATUS_INVALID;
		goto fail;
	}
	st = db_prepare(c, "INSERT INTO dossier_rating (unit_id, dossier_id, procedure_id, rated_at,"
			   " overall, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &s);
	if (st)
		goto fail;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, dossier_id);
	db_bind_int64(s, 3, procedure_id);
	db_bind_int64(s, 4, now);
	db_bind_int64(s, 5, in->overall);
	db_bind_text(s, 6, in->comment != NULL ? in->comment : "");
	if ((st = db_exec(s)) != STATUS_OK)
		goto fail;
	int64_t rating_id = db_last_insert_id(c);
	int64_t answered = 0;
	for (int n = 1; n <= RATING_CRITERIA; n++) {
		if (in->answers[n] == 0)
			continue;
		st = db_prepare(c, "INSERT INTO dossier_rating_answer (rating_id, criterion, level)"
				   " VALUES (?1, ?2, ?3)", &s);
		if (st)
			goto fail;
		db_bind_int64(s, 1, rating_id);
		db_bind_int64(s, 2, n);
		db_bind_int64(s, 3, in->answers[n]);
		if ((st = db_exec(s)) != STATUS_OK)
			goto fail;
		answered++;
	}
	/* As for an online submission, the citizen's write is in the audit log too. */
	json_t *after = json_pack("{s:s, s:I, s:I}", "code", code, "overall",
				  (json_int_t)in->overall, "criteria", (json_int_t)answered);
	st = audit_append(c, unit_id, actor, now, "dossier.rate", "dossier", dossier_id, NULL,
			  after);
	json_decref(after);
	if (st)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return st;
}

enum status rating_get(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t dossier_id,
		       struct rating *out)
{
	*out = (struct rating){ 0 };
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT id, overall, comment, rated_at FROM dossier_rating"
				       " WHERE unit_id = ?1 AND dossier_id = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, dossier_id);
	bool row;
	if ((st = db_step(s, &row)) != STATUS_OK)
		return st;
	if (!row)
		return STATUS_NOT_FOUND;
	int64_t rating_id = db_column_int64(s, 0);
	out->overall = db_column_int64(s, 1);
	out->comment = arena_strdup(a, db_column_text(s, 2));
	out->rated_at = db_column_int64(s, 3);
	if (out->comment == NULL)
		return STATUS_TOO_LARGE;
	st = db_prepare(c, "SELECT a.criterion, a.level FROM dossier_rating_answer a"
			   " JOIN dossier_rating r ON r.id = a.rating_id"
			   " WHERE r.unit_id = ?1 AND a.rating_id = ?2", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, rating_id);
	for (;;) {
		if ((st = db_step(s, &row)) != STATUS_OK)
			return st;
		if (!row)
			break;
		int64_t n = db_column_int64(s, 0), level = db_column_int64(s, 1);
		if (n >= 1 && n <= RATING_CRITERIA && level >= 1 && level <= RATING_LEVELS)
			out->answers[n] = level;
	}
	return STATUS_OK;
}

static void count_in(struct rating_level_counts *c, int64_t level, int64_t n)
{
	if (level < 1 || level > RATING_LEVELS)
		return;
	c->level[level] += n;
	c->total += n;
}

enum status rating_overall_counts(struct db_conn *c, int64_t unit_id, int64_t from, int64_t to,
				  int64_t procedure_id, struct rating_level_counts *out)
{
	*out = (struct rating_level_counts){ 0 };
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT overall, count(*) FROM dossier_rating"
				       " WHERE unit_id = ?1 AND rated_at >= ?2 AND rated_at < ?3"
				       " AND (?4 = 0 OR procedure_id = ?4) GROUP BY overall", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, from);
	db_bind_int64(s, 3, to);
	db_bind_int64(s, 4, procedure_id > 0 ? procedure_id : 0);
	bool row;
	for (;;) {
		if ((st = db_step(s, &row)) != STATUS_OK)
			return st;
		if (!row)
			break;
		count_in(out, db_column_int64(s, 0), db_column_int64(s, 1));
	}
	return STATUS_OK;
}

enum status rating_counts(struct db_conn *c, int64_t unit_id, int64_t from, int64_t to,
			  int64_t procedure_id, struct rating_counts *out)
{
	*out = (struct rating_counts){ 0 };
	enum status st = rating_overall_counts(c, unit_id, from, to, procedure_id, &out->overall);
	if (st)
		return st;
	struct db_stmt *s;
	bool row;
	st = db_prepare(c, "SELECT a.criterion, a.level, count(*) FROM dossier_rating_answer a"
			   " JOIN dossier_rating r ON r.id = a.rating_id"
			   " WHERE r.unit_id = ?1 AND r.rated_at >= ?2 AND r.rated_at < ?3"
			   " AND (?4 = 0 OR r.procedure_id = ?4)"
			   " GROUP BY a.criterion, a.level", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, from);
	db_bind_int64(s, 3, to);
	db_bind_int64(s, 4, procedure_id > 0 ? procedure_id : 0);
	for (;;) {
		if ((st = db_step(s, &row)) != STATUS_OK)
			return st;
		if (!row)
			break;
		int64_t n = db_column_int64(s, 0);
		if (n >= 1 && n <= RATING_CRITERIA)
			count_in(&out->criteria[n], db_column_int64(s, 1), db_column_int64(s, 2));
	}
	return STATUS_OK;
}

enum status rating_list(struct db_conn *c, int64_t unit_id, int64_t from, int64_t to,
			json_t **out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c,
		"SELECT d.code, v.name, r.rated_at, r.overall, r.comment FROM dossier_rating r"
		" JOIN dossier d ON d.id = r.dossier_id AND d.unit_id = r.unit_id"
		" JOIN procedure_version v ON v.id = d.procedure_version_id"
		" WHERE r.unit_id = ?1 AND r.rated_at >= ?2 AND r.rated_at < ?3"
		" ORDER BY r.rated_at DESC, r.id DESC LIMIT ?4", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, from);
	db_bind_int64(s, 3, to);
	db_bind_int64(s, 4, RATING_LIST_MAX);
	json_t *arr = json_array();
	for (;;) {
		bool row;
		if ((st = db_step(s, &row)) != STATUS_OK) {
			json_decref(arr);
			return st;
		}
		if (!row)
			break;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:I, s:s}",
			"code", db_column_text(s, 0), "procedure", db_column_text(s, 1),
			"rated_at", (json_int_t)db_column_int64(s, 2),
			"overall", (json_int_t)db_column_int64(s, 3), "comment", db_column_text(s, 4)));
	}
	*out = arr;
	return STATUS_OK;
}
