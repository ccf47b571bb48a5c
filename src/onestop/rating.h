/* rating.h: the citizen's satisfaction rating of a returned dossier: the official criteria,
 * the three levels, checking a submitted rating, storing it once and counting ratings */
#ifndef ONESTOP_RATING_H
#define ONESTOP_RATING_H

#include "base/status.h"

#include <jansson.h>
#include <stdint.h>

struct arena;
struct audit_actor;
struct db_conn;

enum {
	RATING_CRITERIA = 12,       /* criteria numbered 1..12 */
	RATING_LEVELS = 3,          /* levels numbered 1..3 */
	RATING_COMMENT_MAX = 1000,  /* code points */
	RATING_LIST_MAX = 500,      /* ratings the staff page lists */
};

/* The levels, as stored (dossier_rating.overall, dossier_rating_answer.level). */
enum rating_level {
	RATING_UNSATISFIED = 1,    /* Không hài lòng */
	RATING_SATISFIED = 2,      /* Hài lòng */
	RATING_VERY_SATISFIED = 3, /* Rất hài lòng */
};

/* A rating as the citizen gave it. */
struct rating {
	int64_t overall;                     /* 1..3 */
	int64_t answers[RATING_CRITERIA + 1]; /* answers[1..12]: 1..3, or 0 when not rated */
	const char *comment;                 /* "" for none */
	int64_t rated_at;                    /* set by the store when read */
};

/* Per-level counts: level[1..3]; level[0] unused. */
struct rating_level_counts {
	int64_t total;
	int64_t level[RATING_LEVELS + 1];
};

/* Counts of a set of ratings: the overall level, and each criterion's answers. */
struct rating_counts {
	struct rating_level_counts overall;
	struct rating_level_counts criteria[RATING_CRITERIA + 1]; /* [1..12] */
};

/* ---- rules (rating.c) ---- */

/* The Vietnamese wording of criterion n (1..12); NULL outside. */
const char *rating_criterion_label(int n);
/* "Rất hài lòng" | "Hài lòng" | "Không hài lòng" of a level; "" outside 1..3. */
const char *rating_level_label(int64_t level);

/* Checks a rating as typed on the form: overall "1".."3" (required), answers[1..12] each
 * "" / NULL (not rated) or "1".."3", a comment of at most RATING_COMMENT_MAX code points
 * (cleaned: NFC, trimmed, line breaks kept). Fills out (comment in the arena). NULL when
 * acceptable, else a Vietnamese message. */
const char *rating_check(struct arena *a, const char *overall,
			 const char *const answers[RATING_CRITERIA + 1], const char *comment,
			 struct rating *out);

/* The share of satisfied answers (levels 2 and 3) in percent, rounded down; 0 for none. */
int64_t rating_satisfied_percent(const struct rating_level_counts *c);

/* ---- storage (rating_store.c) ---- */

/* Stores the rating of the unit's dossier with its answers, and an audit record by actor,
 * in one transaction. STATUS_NOT_FOUND when the unit has no such dossier, STATUS_INVALID
 * when the dossier has not been returned, STATUS_CONFLICT when it is already rated (then
 * nothing is written). */
enum status rating_save(struct db_conn *c, int64_t unit_id, int64_t dossier_id,
			const struct rating *in, const struct audit_actor *actor, int64_t now);

/* The rating of the unit's dossier (comment in the arena); STATUS_NOT_FOUND when none. */
enum status rating_get(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t dossier_id,
		       struct rating *out);

/* Per-level counts of the unit's ratings given in [from, to) (UTC seconds), of one
 * procedure when procedure_id > 0, else of all: overall and per criterion. For the
 * ratings page, the statistics and the public promise board. */
enum status rating_counts(struct db_conn *c, int64_t unit_id, int64_t from, int64_t to,
			  int64_t procedure_id, struct rating_counts *out);
/* The same, overall levels only (one query). */
enum status rating_overall_counts(struct db_conn *c, int64_t unit_id, int64_t from, int64_t to,
				  int64_t procedure_id, struct rating_level_counts *out);

/* The unit's ratings given in [from, to), newest first, at most RATING_LIST_MAX, as a JSON
 * array of {code, procedure, rated_at, overall, comment}: no data of the applicant. */
enum status rating_list(struct db_conn *c, int64_t unit_id, int64_t from, int64_t to,
			json_t **out);

#endif
