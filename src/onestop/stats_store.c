/* stats_store.c: the SQL of the one-stop statistics. Every count is grouped in the
 * database over index ranges: dossier_received (unit_id, received_at) and dossier_finished
 * (unit_id, finished_at, received_at, due_at, status), so a month reads the dossiers it is
 * about, not the unit's history. */
#include "onestop/stats.h"

#include "base/arena.h"
#include "onestop/dossier.h"
#include "onestop/rating.h"
#include "store/store.h"
#include "worktime/clock.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { STATS_GROUPS_MAX = 20000, STATS_NAMES_MAX = 5000 };

static const char *dup(struct arena *a, struct db_stmt *s, int col)
{
	return arena_strdup(a, db_column_text(s, col));
}

/* The procedures of the unit with the name and field of their current version. */
static enum status load_procedures(struct db_conn *c, struct arena *a, int64_t unit_id,
				   struct stats_name **out, size_t *count)
{
	int64_t n;
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT count(*) FROM procedure WHERE unit_id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	if ((st = db_query_int64(s, &n)) != STATUS_OK)
		return st;
	if (n > STATS_NAMES_MAX)
		n = STATS_NAMES_MAX;
	*out = arena_zalloc(a, (size_t)(n + 1) * sizeof **out);
	*count = 0;
	if (*out == NULL)
		return STATUS_TOO_LARGE;
	st = db_prepare(c, "SELECT p.id, v.name, v.field FROM procedure p"
			   " JOIN procedure_version v ON v.id = p.current_version_id"
			   " AND v.unit_id = p.unit_id WHERE p.unit_id = ?1 ORDER BY p.id", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	bool row;
	while ((st = db_step(s, &row)) == STATUS_OK && row && *count < (size_t)n) {
		(*out)[*count] = (struct stats_name){ db_column_int64(s, 0), dup(a, s, 1),
						      dup(a, s, 2) };
		(*count)++;
	}
	return st;
}

/* The staff of the unit, by the name they are shown with. */
static enum status load_officers(struct db_conn *c, struct arena *a, int64_t unit_id,
				 struct stats_name **out, size_t *count)
{
	int64_t n;
	struct db_stmt *s;
	enum status st = db_prepare(c, "SELECT count(*) FROM app_user WHERE unit_id = ?1", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	if ((st = db_query_int64(s, &n)) != STATUS_OK)
		return st;
	if (n > STATS_NAMES_MAX)
		n = STATS_NAMES_MAX;
	*out = arena_zalloc(a, (size_t)(n + 1) * sizeof **out);
	*count = 0;
	if (*out == NULL)
		return STATUS_TOO_LARGE;
	st = db_prepare(c, "SELECT id, display_name FROM app_user WHERE unit_id = ?1 ORDER BY id",
			&s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	bool row;
	while ((st = db_step(s, &row)) == STATUS_OK && row && *count < (size_t)n) {
		(*out)[*count] = (struct stats_name){ db_column_int64(s, 0), dup(a, s, 1), NULL };
		(*count)++;
	}
	return st;
}

/* The month's counts grouped by procedure and officer, over the dossiers a month is about:
 * those received in it, finished in it, or open at its end, each branch of the UNION one
 * index range. The officer is the actor of the latest "take" (index dossier_event_take).
 * The engines differ in how they read the branches best: SQLite takes the ids from its
 * covering indexes and reads each dossier once by rowid (26 ms for a month of 200,000
 * dossiers, against 190 ms when the branches bring the columns, since it then scans
 * dossier_received for the open ones); PostgreSQL has the branches bring the columns (56 ms,
 * against 122 ms for the ids, which it hash-joins with a scan of every dossier). */
#define STATS_GROUP_COUNTS \
	"SELECT procedure_id, officer," \
	" SUM(CASE WHEN received_at >= ?2 AND received_at < ?3 THEN 1 ELSE 0 END)," \
	" SUM(CASE WHEN received_at >= ?2 AND received_at < ?3 AND channel = 'online'" \
	"  THEN 1 ELSE 0 END)," \
	" SUM(CASE WHEN status IN ('result_ready', 'returned') AND finished_at >= ?2" \
	"  AND finished_at < ?3 AND finished_at <= due_at THEN 1 ELSE 0 END)," \
	" SUM(CASE WHEN status IN ('result_ready', 'returned') AND finished_at >= ?2" \
	"  AND finished_at < ?3 AND finished_at > due_at THEN 1 ELSE 0 END)," \
	" SUM(CASE WHEN received_at < ?3 AND (finished_at IS NULL OR finished_at >= ?3)" \
	"  AND due_at >= ?4 THEN 1 ELSE 0 END)," \
	" SUM(CASE WHEN received_at < ?3 AND (finished_at IS NULL OR finished_at >= ?3)" \
	"  AND due_at < ?4 THEN 1 ELSE 0 END)," \
	" SUM(CASE WHEN status IN ('refused', 'withdrawn', 'stopped') AND finished_at >= ?2" \
	"  AND finished_at < ?3 THEN 1 ELSE 0 END)" \
	" FROM (SELECT d.procedure_id, d.received_at, d.channel, d.status, d.finished_at," \
	"  d.due_at, COALESCE((SELECT e.actor_id FROM dossier_event e" \
	"   WHERE e.dossier_id = d.id AND e.unit_id = ?1 AND e.action = 'take'" \
	"   ORDER BY e.at DESC, e.id DESC LIMIT 1), 0) AS officer FROM "
#define STATS_GROUP_ORDER " GROUP BY procedure_id, officer ORDER BY procedure_id, officer"
#define STATS_MONTH_COLUMNS "id, procedure_id, received_at, channel, status, finished_at, due_at"

static enum status load_groups(struct db_conn *c, struct arena *a, int64_t unit_id,
			       const struct stats_period *p, int64_t now,
			       struct stats_group **out, size_t *count)
{
	struct db_stmt *s;
	enum status st = db_prepare_each(c,
		STATS_GROUP_COUNTS "dossier d WHERE d.unit_id = ?1 AND d.id IN ("
		"   SELECT id FROM dossier WHERE unit_id = ?1 AND received_at >= ?2 AND received_at < ?3"
		"   UNION SELECT id FROM dossier WHERE unit_id = ?1 AND finished_at >= ?2"
		"    AND finished_at < ?3"
		"   UNION SELECT id FROM dossier WHERE unit_id = ?1 AND finished_at IS NULL"
		"    AND received_at < ?3"
		"   UNION SELECT id FROM dossier WHERE unit_id = ?1 AND finished_at >= ?3"
		"    AND received_at + 0 < ?3)) x" STATS_GROUP_ORDER,
		STATS_GROUP_COUNTS "(SELECT " STATS_MONTH_COLUMNS
		"    FROM dossier WHERE unit_id = ?1 AND received_at >= ?2 AND received_at < ?3"
		"   UNION SELECT " STATS_MONTH_COLUMNS
		"    FROM dossier WHERE unit_id = ?1 AND finished_at >= ?2 AND finished_at < ?3"
		"   UNION SELECT " STATS_MONTH_COLUMNS
		"    FROM dossier WHERE unit_id = ?1 AND finished_at IS NULL AND received_at < ?3"
		"   UNION SELECT " STATS_MONTH_COLUMNS
		"    FROM dossier WHERE unit_id = ?1 AND finished_at >= ?3 AND received_at + 0 < ?3) d) x"
		STATS_GROUP_ORDER, &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, p->start);
	db_bind_int64(s, 3, p->end);
	db_bind_int64(s, 4, now < p->end ? now : p->end);
	size_t cap = 64;
	*out = arena_alloc(a, cap * sizeof **out);
	*count = 0;
	bool row;
	while (*out != NULL && (st = db_step(s, &row)) == STATUS_OK && row) {
		if (*count == cap) {
			if (cap >= STATS_GROUPS_MAX)
				return STATUS_TOO_LARGE;
			struct stats_group *more = arena_alloc(a, 2 * cap * sizeof *more);
			if (more == NULL)
				return STATUS_TOO_LARGE;
			memcpy(more, *out, cap * sizeof *more);
			*out = more;
			cap *= 2;
		}
		(*out)[(*count)++] = (struct stats_group){
			db_column_int64(s, 0), db_column_int64(s, 1),
			{ db_column_int64(s, 2), db_column_int64(s, 3), db_column_int64(s, 4),
			  db_column_int64(s, 5), db_column_int64(s, 6), db_column_int64(s, 7),
			  db_column_int64(s, 8) } };
	}
	return *out == NULL ? STATUS_TOO_LARGE : st;
}

/* A month's trend figures stop changing once it ended more than DOSSIER_BACKDATE_MAX
 * ago: nothing can be received into it any more, and results are stamped with the time
 * they are made. Those months are kept here, per process, so the trend reads the database
 * only for the last month or two. (A month's rows changed by hand in the database show in
 * its trend after a restart.) */
enum { TREND_CACHE_SLOTS = 4096, TREND_SETTLED_AFTER = DOSSIER_BACKDATE_MAX + 86400 };

static struct {
	int64_t unit_id, start;
	int64_t received, finished, on_time;
	bool used;
} trend_cache[TREND_CACHE_SLOTS];
static pthread_mutex_t trend_cache_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t trend_slot(int64_t unit_id, int64_t start)
{
	uint64_t h = (uint64_t)unit_id * 1000003u ^ (uint64_t)start;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 32;
	return (size_t)(h % TREND_CACHE_SLOTS);
}

static bool trend_cached(int64_t unit_id, struct stats_month_point *pt)
{
	size_t i = trend_slot(unit_id, pt->period.start);
	pthread_mutex_lock(&trend_cache_lock);
	bool hit = trend_cache[i].used && trend_cache[i].unit_id == unit_id &&
		   trend_cache[i].start == pt->period.start;
	if (hit) {
		pt->received = trend_cache[i].received;
		pt->finished = trend_cache[i].finished;
		pt->on_time = trend_cache[i].on_time;
	}
	pthread_mutex_unlock(&trend_cache_lock);
	return hit;
}

static void trend_keep(int64_t unit_id, const struct stats_month_point *pt)
{
	size_t i = trend_slot(unit_id, pt->period.start);
	pthread_mutex_lock(&trend_cache_lock);
	trend_cache[i].unit_id = unit_id;
	trend_cache[i].start = pt->period.start;
	trend_cache[i].received = pt->received;
	trend_cache[i].finished = pt->finished;
	trend_cache[i].on_time = pt->on_time;
	trend_cache[i].used = true;
	pthread_mutex_unlock(&trend_cache_lock);
}

/* Received, finished and finished on time in a month, for the trend. */
static enum status load_month_point(struct db_conn *c, int64_t unit_id, int64_t now,
				    struct stats_month_point *pt)
{
	bool settled = pt->period.end + TREND_SETTLED_AFTER < now;
	if (settled && trend_cached(unit_id, pt))
		return STATUS_OK;
	struct db_stmt *s;
	enum status st = db_prepare(c,
		"SELECT (SELECT count(*) FROM dossier WHERE unit_id = ?1 AND received_at >= ?2"
		"  AND received_at < ?3),"
		" (SELECT count(*) FROM dossier WHERE unit_id = ?1 AND finished_at >= ?2"
		"  AND finished_at < ?3 AND status IN ('result_ready', 'returned')),"
		" (SELECT count(*) FROM dossier WHERE unit_id = ?1 AND finished_at >= ?2"
		"  AND finished_at < ?3 AND status IN ('result_ready', 'returned')"
		"  AND finished_at <= due_at)", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, pt->period.start);
	db_bind_int64(s, 3, pt->period.end);
	bool row;
	if ((st = db_step(s, &row)) != STATUS_OK)
		return st;
	if (row) {
		pt->received = db_column_int64(s, 0);
		pt->finished = db_column_int64(s, 1);
		pt->on_time = db_column_int64(s, 2);
	}
	if (settled)
		trend_keep(unit_id, pt);
	return STATUS_OK;
}

/* Ratings given in [start, end) by overall level ([1..3]). */
static enum status load_ratings(struct db_conn *c, int64_t unit_id, int64_t start, int64_t end,
				int64_t levels[4])
{
	struct rating_level_counts counts;
	enum status st = rating_overall_counts(c, unit_id, start, end, 0, &counts);
	for (int level = 0; level <= 3; level++)
		levels[level] = st == STATUS_OK && level > 0 ? counts.level[level] : 0;
	return st;
}

enum status stats_report_load(struct db_conn *c, struct arena *a, int64_t unit_id,
			      const struct stats_period *period, int64_t now,
			      struct stats_report *out)
{
	*out = (struct stats_report){ .period = *period };
	enum status st = db_begin_read(c);
	if (st)
		return st;
	struct stats_name *procedures, *officers;
	size_t procedure_count, officer_count, group_count;
	struct stats_group *groups;
	if ((st = load_procedures(c, a, unit_id, &procedures, &procedure_count)) != STATUS_OK ||
	    (st = load_officers(c, a, unit_id, &officers, &officer_count)) != STATUS_OK ||
	    (st = load_groups(c, a, unit_id, period, now, &groups, &group_count)) != STATUS_OK)
		goto done;
	for (int i = 0; i < STATS_TREND_MONTHS; i++) {
		struct stats_month_point *pt = &out->trend[i];
		*pt = (struct stats_month_point){
			.period = stats_period_shift(period, i - (STATS_TREND_MONTHS - 1)) };
		if ((st = load_month_point(c, unit_id, now, pt)) != STATUS_OK)
			goto done;
	}
	if ((st = load_ratings(c, unit_id, period->start, period->end, out->ratings)) != STATUS_OK)
		goto done;
	st = stats_fold(a, groups, group_count, procedures, procedure_count, officers,
			officer_count, out);
done:
	if (st == STATUS_OK)
		st = db_commit(c);
	else
		db_rollback(c);
	return st;
}

/* ---- the promise board ---- */

/* Finished and on-time dossiers per procedure and month of the board, in one query: the
 * month is the index of the boundary the result falls under. */
static enum status board_rates(struct db_conn *c, struct arena *a, int64_t unit_id,
			       const struct stats_period *months, json_t *procedures_out)
{
	struct stats_name *procedures;
	size_t procedure_count;
	enum status st = load_procedures(c, a, unit_id, &procedures, &procedure_count);
	if (st)
		return st;
	struct db_stmt *s;
	st = db_prepare(c,
		"SELECT procedure_id, CASE WHEN finished_at < ?3 THEN 0 WHEN finished_at < ?4 THEN 1"
		"  WHEN finished_at < ?5 THEN 2 WHEN finished_at < ?6 THEN 3"
		"  WHEN finished_at < ?7 THEN 4 ELSE 5 END AS month,"
		" count(*), SUM(CASE WHEN finished_at <= due_at THEN 1 ELSE 0 END)"
		" FROM dossier WHERE unit_id = ?1 AND finished_at >= ?2 AND finished_at < ?8"
		" AND status IN ('result_ready', 'returned')"
		" GROUP BY procedure_id, month ORDER BY procedure_id, month", &s);
	if (st)
		return st;
	_Static_assert(STATS_BOARD_MONTHS == 6, "the query has six months");
	db_bind_int64(s, 1, unit_id);
	for (int i = 0; i < STATS_BOARD_MONTHS; i++)
		db_bind_int64(s, 2 + i, months[i].start);
	db_bind_int64(s, 8, months[STATS_BOARD_MONTHS - 1].end);
	bool row;
	json_t *by_id = json_object();
	while ((st = db_step(s, &row)) == STATUS_OK && row) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)db_column_int64(s, 0));
		json_t *counts = json_object_get(by_id, key);
		if (counts == NULL) {
			counts = json_array();
			for (int i = 0; i < STATS_BOARD_MONTHS; i++)
				json_array_append_new(counts, json_pack("{s:I, s:I}", "finished",
					(json_int_t)0, "on_time", (json_int_t)0));
			json_object_set_new(by_id, key, counts);
		}
		int64_t month = db_column_int64(s, 1);
		if (month >= 0 && month < STATS_BOARD_MONTHS)
			json_array_set_new(counts, (size_t)month, json_pack("{s:I, s:I}", "finished",
				(json_int_t)db_column_int64(s, 2), "on_time",
				(json_int_t)db_column_int64(s, 3)));
	}
	if (st) {
		json_decref(by_id);
		return st;
	}
	/* In the catalogue's order of names. */
	for (size_t i = 0; i < procedure_count; i++) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)procedures[i].id);
		json_t *counts = json_object_get(by_id, key);
		if (counts == NULL)
			continue;
		size_t k;
		json_t *m;
		json_array_foreach(counts, k, m) {
			char rate[16];
			stats_rate_text(json_integer_value(json_object_get(m, "on_time")),
					json_integer_value(json_object_get(m, "finished")), rate);
			json_object_set_new(m, "rate", json_string(rate));
		}
		json_array_append_new(procedures_out, json_pack("{s:s, s:O}", "name",
			procedures[i].name, "months", counts));
	}
	json_decref(by_id);
	return STATUS_OK;
}

/* Open dossiers past their legal appointment with a letter of apology (Mẫu 04). A
 * dossier awaiting a supplement is not counted: its clock is paused. */
static enum status board_overdue(struct db_conn *c, int64_t unit_id, int64_t now, json_t *out)
{
	struct db_stmt *s;
	enum status st = db_prepare(c,
		"SELECT d.code, v.name, d.due_at, d.extended_due_at FROM dossier d"
		" JOIN procedure p ON p.id = d.procedure_id AND p.unit_id = ?1"
		" JOIN procedure_version v ON v.id = p.current_version_id"
		" WHERE d.unit_id = ?1 AND d.finished_at IS NULL AND d.status <> 'supplement_requested'"
		" AND d.extended_due_at IS NOT NULL AND d.due_at < ?2"
		" ORDER BY d.due_at, d.id LIMIT ?3", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, unit_id);
	db_bind_int64(s, 2, now);
	db_bind_int64(s, 3, STATS_BOARD_OVERDUE_MAX);
	bool row;
	while ((st = db_step(s, &row)) == STATUS_OK && row)
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I}",
			"code", db_column_text(s, 0), "procedure", db_column_text(s, 1),
			"due_at", (json_int_t)db_column_int64(s, 2),
			"extended_due_at", (json_int_t)db_column_int64(s, 3)));
	return st;
}

enum status stats_board_load(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t now,
			     json_t **out)
{
	struct stats_period current = stats_period_of(now), months[STATS_BOARD_MONTHS];
	json_t *month_list = json_array();
	for (int i = 0; i < STATS_BOARD_MONTHS; i++) {
		months[i] = stats_period_shift(&current, i - (STATS_BOARD_MONTHS - 1));
		char key[8], label[24];
		stats_period_key(&months[i], key);
		stats_period_label(&months[i], label);
		json_array_append_new(month_list, json_pack("{s:s, s:s}", "key", key, "label",
							    label));
	}
	*out = json_pack("{s:o, s:[], s:[]}", "months", month_list, "procedures", "overdue");
	enum status st = db_begin_read(c);
	if (st)
		goto fail;
	int64_t levels[4];
	if ((st = board_rates(c, a, unit_id, months, json_object_get(*out, "procedures"))) ||
	    (st = board_overdue(c, unit_id, now, json_object_get(*out, "overdue"))) ||
	    (st = load_ratings(c, unit_id, months[0].start, current.end, levels))) {
		db_rollback(c);
		goto fail;
	}
	if ((st = db_commit(c)) != STATUS_OK)
		goto fail;
	json_object_set_new(*out, "ratings", json_pack("{s:I, s:I, s:I}",
		"1", (json_int_t)levels[1], "2", (json_int_t)levels[2], "3", (json_int_t)levels[3]));
	json_object_set_new(*out, "ratings_total",
			    json_integer(levels[1] + levels[2] + levels[3]));
	return STATUS_OK;
fail:
	json_decref(*out);
	*out = NULL;
	return st;
}

/* ---- the province ---- */

enum status stats_units_on_time(struct db_conn *c, int64_t now, json_t **out)
{
	struct stats_period current = stats_period_of(now);
	struct stats_period previous = stats_period_shift(&current, -1);
	struct db_stmt *s;
	enum status st = db_prepare(c,
		"SELECT u.id,"
		" SUM(CASE WHEN d.finished_at >= ?2 THEN 1 ELSE 0 END),"
		" SUM(CASE WHEN d.finished_at >= ?2 AND d.finished_at <= d.due_at THEN 1 ELSE 0 END),"
		" SUM(CASE WHEN d.finished_at < ?2 THEN 1 ELSE 0 END),"
		" SUM(CASE WHEN d.finished_at < ?2 AND d.finished_at <= d.due_at THEN 1 ELSE 0 END)"
		" FROM unit u JOIN dossier d ON d.unit_id = u.id AND d.finished_at >= ?1"
		"  AND d.finished_at < ?3 AND d.status IN ('result_ready', 'returned')"
		" GROUP BY u.id ORDER BY u.id", &s);
	if (st)
		return st;
	db_bind_int64(s, 1, previous.start);
	db_bind_int64(s, 2, current.start);
	db_bind_int64(s, 3, current.end);
	*out = json_object();
	bool row;
	while ((st = db_step(s, &row)) == STATUS_OK && row) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)db_column_int64(s, 0));
		json_object_set_new(*out, key, json_pack("{s:I, s:I, s:I, s:I}",
			"finished", (json_int_t)db_column_int64(s, 1),
			"on_time", (json_int_t)db_column_int64(s, 2),
			"previous_finished", (json_int_t)db_column_int64(s, 3),
			"previous_on_time", (json_int_t)db_column_int64(s, 4)));
	}
	if (st) {
		json_decref(*out);
		*out = NULL;
	}
	return st;
}
