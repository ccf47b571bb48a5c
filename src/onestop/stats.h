/* stats.h: statistics of the one-stop shop: what was received, finished on time or late,
 * and is still open, per month, procedure, field and officer; the 12-month trend; the
 * public promise board (cam kết phục vụ)
 *
 * Definitions (the usual shape of the ward's monthly report), for a month in UTC+7:
 *  - tiếp nhận: received in the month (counter or online);
 *  - đã giải quyết: a result made (result_ready or returned) in the month, on time when
 *    finished_at <= due_at (the legal appointment; a Mẫu 04 new date does not count), late
 *    otherwise;
 *  - đang giải quyết: received before the end of the month and not finished by then,
 *    within time when due_at >= the end (or now, for the current month), overdue otherwise;
 *  - refused, withdrawn and stopped dossiers ended in the month are counted apart;
 *  - tỷ lệ đúng hạn: on time / finished, none when nothing was finished;
 *  - the officer of a dossier: the specialist who last took it for processing. */
#ifndef ONESTOP_STATS_H
#define ONESTOP_STATS_H

#include "base/status.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct db_conn;

enum {
	STATS_TREND_MONTHS = 12,
	STATS_BOARD_MONTHS = 6,
	STATS_BOARD_OVERDUE_MAX = 200, /* overdue dossiers the promise board lists */
	STATS_RATE_NONE = -1,
};

/* A month as local time reads it: [start, end) in UTC seconds. */
struct stats_period {
	int year, month;
	int64_t start, end;
};

/* What one row of a table counts. Finished = on_time + late. */
struct stats_counts {
	int64_t received, received_online;
	int64_t on_time, late;
	int64_t open_in_time, open_overdue;
	int64_t closed_other; /* refused, withdrawn or stopped in the month */
};

/* The counts of one procedure and officer, as the database groups them. */
struct stats_group {
	int64_t procedure_id, officer_id; /* officer 0: not taken for processing */
	struct stats_counts c;
};

/* A named thing counts are kept for: a procedure, a field, an officer. */
struct stats_name {
	int64_t id;
	const char *name, *field; /* field: of a procedure; NULL otherwise */
};

/* One row of a table of the report. */
struct stats_row {
	int64_t id;        /* procedure or officer id; 0 for a field, or no officer */
	const char *name;
	const char *sort_key; /* the name folded (text_fold), for Vietnamese order */
	struct stats_counts c;
};

/* A month of the trend. */
struct stats_month_point {
	struct stats_period period;
	int64_t received, finished, on_time;
};

/* A month's report. */
struct stats_report {
	struct stats_period period;
	struct stats_row *by_procedure, *by_field, *by_officer;
	size_t procedure_count, field_count, officer_count;
	struct stats_counts total;
	struct stats_month_point trend[STATS_TREND_MONTHS]; /* oldest first, ending with period */
	int64_t ratings[4]; /* [level] for levels 1..3 rated in the month */
};

/* ---- pure computations (stats.c) ---- */

/* The name of the row of dossiers nobody has taken yet (compare by address: a unit's
 * officer may carry any name). */
extern const char stats_no_officer[];

/* The month of "YYYY-MM" (years 2000..2099); false for anything else. */
bool stats_period_parse(const char *s, struct stats_period *out);
/* The month holding t, and the month delta months after p (negative: before). */
struct stats_period stats_period_of(int64_t t);
struct stats_period stats_period_shift(const struct stats_period *p, int delta);
/* "2026-11" into out[8]; "Tháng 11/2026" into out[24]; "11/2026" into out[8]. */
void stats_period_key(const struct stats_period *p, char out[8]);
void stats_period_label(const struct stats_period *p, char out[24]);
void stats_period_short(const struct stats_period *p, char out[8]);

/* The on-time rate in tenths of a percent (0..1000), STATS_RATE_NONE when nothing was
 * finished; its text "66,7%" or "—" into out[16]. */
int stats_rate(int64_t on_time, int64_t finished);
void stats_rate_text(int64_t on_time, int64_t finished, char out[16]);
int64_t stats_finished(const struct stats_counts *c);
void stats_counts_add(struct stats_counts *to, const struct stats_counts *c);

/* Folds the groups of the database into the report's tables by procedure, by field (of
 * the procedure's name in procedures) and by officer (officers; id 0 or unknown: "Chưa có
 * người xử lý", last), each in the order of the names without their marks ("Đăng ký" among
 * the D), and the total. Rows live in the arena. */
enum status stats_fold(struct arena *a, const struct stats_group *groups, size_t group_count,
		       const struct stats_name *procedures, size_t procedure_count,
		       const struct stats_name *officers, size_t officer_count,
		       struct stats_report *out);

/* Appends one CSV cell (RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes
 * doubled), with a leading ' when it starts with = + - @ (or a tab or CR), so a
 * spreadsheet never reads it as a formula. */
void stats_csv_cell(struct buf *b, const char *s);

/* ---- storage (stats_store.c) ---- */

/* The unit's report of a period: counts grouped in the database, the trend of the
 * STATS_TREND_MONTHS months ending with it, and the month's ratings. now: for the open
 * dossiers of the current month. */
enum status stats_report_load(struct db_conn *c, struct arena *a, int64_t unit_id,
			      const struct stats_period *period, int64_t now,
			      struct stats_report *out);

/* The promise board of the unit, as a JSON object:
 * {months: [{key, label}], procedures: [{name, months: [{finished, on_time, rate}]}],
 *  overdue: [{code, procedure, due_at, extended_due_at}], ratings: {"1": n, "2": n, "3": n},
 *  ratings_total}, over the STATS_BOARD_MONTHS months ending with the current one.
 * Codes only: no applicant's data. */
enum status stats_board_load(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t now,
			     json_t **out);

/* On-time figures of every unit for the month of now and the one before, in one query:
 * a JSON object keyed by unit id ("3") of {finished, on_time, previous_finished,
 * previous_on_time}; units without a finished dossier are absent. */
enum status stats_units_on_time(struct db_conn *c, int64_t now, json_t **out);

#endif
