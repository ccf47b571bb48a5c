/* rating_pages.c: the citizen rates a returned dossier (proved by its code and the last four
 * digits of the phone number, as for the lookup); the unit's staff read the ratings */
#include "onestop/rating_pages.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "http/request.h"
#include "onestop/dossier.h"
#include "onestop/onestop.h"
#include "onestop/rating.h"
#include "worktime/clock.h"

#include <stdio.h>
#include <string.h>

#define RATING_FORM "onestop/rating_form"
/* The lookup's own answers, so that the form tells no more than the lookup does. */
#define NOT_FOUND_TEXT "Không tìm thấy hồ sơ với mã và số điện thoại này. " \
	"Vui lòng kiểm tra lại giấy hẹn."
#define TOO_MANY_TEXT "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."
#define RATED_TEXT "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần."
#define NOT_RETURNED_TEXT "Hồ sơ chưa trả kết quả nên chưa thể đánh giá. Ông/bà vui lòng " \
	"đánh giá sau khi nhận kết quả."
#define STAFF_TEXT "Cán bộ, công chức không được đánh giá thay công dân. Việc đánh giá do " \
	"người nộp hồ sơ tự thực hiện trên thiết bị của mình (không đăng nhập tài khoản cán bộ)."

static const char *form_value(const struct request *r, const char *name)
{
	const char *v = request_form(r, name);
	return v != NULL ? v : "";
}

static const char *short_time(struct request *r, int64_t t)
{
	char buf[32];
	clock_format_vi_short(t, buf, sizeof buf);
	return arena_strdup(r->arena, buf);
}

/* The three levels as radio choices, best first; checked: the level chosen (0 none). */
static json_t *level_choices(int64_t checked)
{
	json_t *arr = json_array();
	for (int64_t level = RATING_LEVELS; level >= 1; level--)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:b, s:b}", "value",
			(json_int_t)level, "label", rating_level_label(level), "checked",
			level == checked, "is_unsatisfied", level == RATING_UNSATISFIED));
	return arr;
}

/* The page of the form: `dossier` (code, procedure) once proved, else the fields to prove
 * it; `typed` the rating typed so far (NULL: none); message and status for a refusal. */
static void show_form(struct request *r, int status, json_t *dossier, const char *code,
		      const char *last4, const struct rating *typed, const char *error,
		      bool show_form_fields)
{
	json_t *criteria = json_array();
	for (int n = 1; n <= RATING_CRITERIA; n++)
		json_array_append_new(criteria, json_pack("{s:i, s:s, s:s, s:o}", "number", n,
			"label", rating_criterion_label(n),
			"name", arena_printf(r->arena, "c%d", n),
			"choices", level_choices(typed != NULL ? typed->answers[n] : 0)));
	json_t *model = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s?, s:b}",
		"page_title", "Đánh giá mức độ hài lòng", "ma", code != NULL ? code : "",
		"sdt", last4 != NULL ? last4 : "",
		"levels", level_choices(typed != NULL ? typed->overall : 0),
		"criteria", criteria, "comment", typed != NULL && typed->comment != NULL
			? typed->comment : "",
		"error", error, "show_form", show_form_fields);
	if (dossier != NULL)
		json_object_set_new(model, "dossier", dossier);
	if (status != 0)
		r->status = status;
	request_view(r, RATING_FORM, model);
}

/* A refusal that ends the page: message, no form. */
static enum status refuse(struct request *r, int status, const char *message)
{
	show_form(r, status, NULL, NULL, NULL, NULL, message, false);
	return STATUS_OK;
}

/* The unit's dossier of code whose phone ends in last4, counted against the lookup's
 * limit: STATUS_NOT_FOUND for a wrong code or a wrong phone alike, STATUS_TOO_MANY past
 * the limit. */
static enum status prove(struct request *r, const char *code, const char *last4,
			 struct dossier *d)
{
	bool allowed;
	enum status st = dossier_lookup_allowed(r->db, r->unit_id, request_client_ip(r), r->now,
						&allowed);
	if (st)
		return st;
	if (!allowed)
		return STATUS_TOO_MANY;
	if (code == NULL || !dossier_code_valid(code))
		return STATUS_NOT_FOUND;
	st = dossier_get(r->db, r->arena, r->unit_id, code, d);
	if (st == STATUS_OK && !dossier_phone_matches(d->applicant.phone, last4))
		st = STATUS_NOT_FOUND;
	return st;
}

/* Answers what prove found wrong, as the lookup answers it; STATUS_OK once answered. */
static enum status answer_unproved(struct request *r, enum status st, const char *code,
				   const char *last4)
{
	if (st == STATUS_TOO_MANY) {
		request_add_header(r, "Retry-After", "600");
		return refuse(r, 429, TOO_MANY_TEXT);
	}
	if (st == STATUS_NOT_FOUND) {
		show_form(r, 404, NULL, code, last4, NULL, NULL, true);
		json_object_set_new(r->view, "not_found", json_string(NOT_FOUND_TEXT));
		return STATUS_OK;
	}
	return st;
}

/* Whether the dossier may be rated now: STATUS_OK, or the refusal already answered
 * (*answered true). */
static enum status check_rateable(struct request *r, const struct dossier *d, bool *answered)
{
	*answered = false;
	struct rating existing;
	enum status st = rating_get(r->db, r->arena, r->unit_id, d->id, &existing);
	if (st == STATUS_OK) {
		*answered = true;
		return refuse(r, 409, RATED_TEXT);
	}
	if (st != STATUS_NOT_FOUND)
		return st;
	if (strcmp(d->status, "returned") != 0) {
		*answered = true;
		return refuse(r, 409, NOT_RETURNED_TEXT);
	}
	return STATUS_OK;
}

static enum status dossier_summary(struct request *r, const struct dossier *d, json_t **out)
{
	struct onestop_version v;
	enum status st = onestop_version_by_id(r->db, r->arena, r->unit_id,
					       d->procedure_version_id, &v);
	if (st)
		return st;
	*out = json_pack("{s:s, s:s, s:s}", "code", d->code, "procedure", v.content.name,
			 "returned", d->returned_at > 0 ? short_time(r, d->returned_at) : "");
	return STATUS_OK;
}

enum status rating_page_form(struct request *r)
{
	if (r->user != NULL)
		return refuse(r, 403, STAFF_TEXT);
	const char *code = request_query(r, "ma"), *last4 = request_query(r, "sdt");
	if (code == NULL && last4 == NULL) {
		show_form(r, 0, NULL, "", "", NULL, NULL, true);
		return STATUS_OK;
	}
	struct dossier d;
	enum status st = prove(r, code, last4, &d);
	if (st)
		return answer_unproved(r, st, code, last4);
	bool answered;
	if ((st = check_rateable(r, &d, &answered)) != STATUS_OK || answered)
		return st;
	json_t *summary;
	if ((st = dossier_summary(r, &d, &summary)) != STATUS_OK)
		return st;
	show_form(r, 0, summary, d.code, last4, NULL, NULL, true);
	return STATUS_OK;
}

enum status rating_page_submit(struct request *r)
{
	/* A clerk at the counter must not rate on the citizen's behalf. */
	if (r->user != NULL)
		return refuse(r, 403, STAFF_TEXT);
	const char *code = form_value(r, "ma"), *last4 = form_value(r, "sdt");
	struct dossier d;
	enum status st = prove(r, code, last4, &d);
	if (st)
		return answer_unproved(r, st, code, last4);
	bool answered;
	if ((st = check_rateable(r, &d, &answered)) != STATUS_OK || answered)
		return st;
	const char *answers[RATING_CRITERIA + 1] = { NULL };
	for (int n = 1; n <= RATING_CRITERIA; n++)
		answers[n] = request_form(r, arena_printf(r->arena, "c%d", n));
	struct rating rating;
	const char *error = rating_check(r->arena, request_form(r, "overall"), answers,
					 form_value(r, "comment"), &rating);
	if (error != NULL) {
		json_t *summary;
		if ((st = dossier_summary(r, &d, &summary)) != STATUS_OK)
			return st;
		/* The comment as typed, cut to what the field allows, so nothing is lost. */
		if (rating.comment == NULL)
			rating.comment = "";
		show_form(r, 422, summary, d.code, last4, &rating, error, true);
		return STATUS_OK;
	}
	/* The citizen has no account: the audit log names the channel, as for an online
	 * submission. */
	struct audit_actor actor = { .user_id = 0, .name = "online" };
	st = rating_save(r->db, r->unit_id, d.id, &rating, &actor, r->now);
	if (st == STATUS_CONFLICT)
		return refuse(r, 409, RATED_TEXT);
	if (st == STATUS_INVALID)
		return refuse(r, 409, NOT_RETURNED_TEXT);
	if (st)
		return st;
	r->status = 201;
	request_view(r, "onestop/rating_done", json_pack("{s:s, s:s, s:s}", "page_title",
		"Cảm ơn ông/bà đã đánh giá", "code", d.code,
		"overall_label", rating_level_label(rating.overall)));
	return STATUS_OK;
}

/* ---- pieces of the dossier pages ---- */

enum status rating_add_offer(struct request *r, json_t *found, const struct dossier *d,
			     const char *last4)
{
	if (strcmp(d->status, "returned") != 0)
		return STATUS_OK;
	struct rating existing;
	enum status st = rating_get(r->db, r->arena, r->unit_id, d->id, &existing);
	if (st == STATUS_OK) {
		json_object_set_new(found, "is_rated", json_true());
		return STATUS_OK;
	}
	if (st != STATUS_NOT_FOUND)
		return st;
	json_object_set_new(found, "rate_url", json_string(arena_printf(r->arena,
		"/danh-gia-ho-so?ma=%s&sdt=%s", http_url_encode(r->arena, d->code),
		http_url_encode(r->arena, last4 != NULL ? last4 : ""))));
	return STATUS_OK;
}

/* The answers of a rating, criterion by criterion, with the criteria left unrated. */
static json_t *answers_model(const struct rating *rating)
{
	json_t *arr = json_array();
	for (int n = 1; n <= RATING_CRITERIA; n++)
		json_array_append_new(arr, json_pack("{s:i, s:s, s:s}", "number", n, "label",
			rating_criterion_label(n), "level_label", rating->answers[n] > 0
				? rating_level_label(rating->answers[n]) : "Không đánh giá"));
	return arr;
}

enum status rating_add_to_dossier(struct request *r, json_t *model, int64_t dossier_id)
{
	struct rating rating;
	enum status st = rating_get(r->db, r->arena, r->unit_id, dossier_id, &rating);
	if (st == STATUS_NOT_FOUND)
		return STATUS_OK;
	if (st)
		return st;
	json_object_set_new(model, "rating", json_pack("{s:s, s:I, s:s, s:s, s:o}",
		"when", short_time(r, rating.rated_at), "overall", (json_int_t)rating.overall,
		"overall_label", rating_level_label(rating.overall), "comment", rating.comment,
		"answers", answers_model(&rating)));
	return STATUS_OK;
}

/* ---- the staff's ratings page ---- */

static bool may_read_ratings(const struct request *r)
{
	return auth_allows(r->user, PERM_DOSSIER_INTAKE) ||
	       auth_allows(r->user, PERM_DOSSIER_PROCESS) || auth_allows(r->user, PERM_DOSSIER_SIGN);
}

static json_t *counts_model(const struct rating_level_counts *c)
{
	json_t *levels = json_array();
	for (int64_t level = RATING_LEVELS; level >= 1; level--)
		json_array_append_new(levels, json_pack("{s:s, s:I}", "label",
			rating_level_label(level), "count", (json_int_t)c->level[level]));
	return json_pack("{s:I, s:o, s:I, s:b}", "total", (json_int_t)c->total, "levels", levels,
			 "satisfied_percent", (json_int_t)rating_satisfied_percent(c),
			 "has_any", c->total > 0);
}

enum status rating_admin_list(struct request *r)
{
	if (!may_read_ratings(r))
		return STATUS_FORBIDDEN;
	struct clock_local now = clock_to_local(r->now);
	int year = now.year, month = now.month;
	const char *error = NULL;
	const char *typed = request_query(r, "thang");
	if (typed != NULL && *typed != '\0' && !clock_parse_month(typed, &year, &month)) {
		error = "Tháng không hợp lệ (dạng NNNN-TT, ví dụ 2026-11): đang xem tháng này.";
		year = now.year;
		month = now.month;
	}
	int64_t from, to;
	if (!clock_month_bounds(year, month, &from, &to)) {
		error = "Tháng không hợp lệ: đang xem tháng này.";
		year = now.year;
		month = now.month;
		if (!clock_month_bounds(year, month, &from, &to))
			return STATUS_INTERNAL;
	}
	struct rating_counts counts;
	enum status st = rating_counts(r->db, r->unit_id, from, to, 0, &counts);
	if (st)
		return st;
	json_t *list;
	if ((st = rating_list(r->db, r->unit_id, from, to, &list)) != STATUS_OK)
		return st;
	size_t i;
	json_t *row;
	json_array_foreach(list, i, row) {
		const char *code = json_string_value(json_object_get(row, "code"));
		json_int_t overall = json_integer_value(json_object_get(row, "overall"));
		json_object_set_new(row, "url", json_string(arena_printf(r->arena,
			"/quan-tri/ho-so/%s", code)));
		json_object_set_new(row, "when", json_string(short_time(r,
			json_integer_value(json_object_get(row, "rated_at")))));
		json_object_set_new(row, "overall_label", json_string(rating_level_label(overall)));
		json_object_set_new(row, "is_unsatisfied", json_boolean(overall == RATING_UNSATISFIED));
	}
	json_t *criteria = json_array();
	for (int n = 1; n <= RATING_CRITERIA; n++) {
		json_t *c = counts_model(&counts.criteria[n]);
		json_object_set_new(c, "number", json_integer(n));
		json_object_set_new(c, "label", json_string(rating_criterion_label(n)));
		json_array_append_new(criteria, c);
	}
	int prev_year = month == 1 ? year - 1 : year, prev_month = month == 1 ? 12 : month - 1;
	int next_year = month == 12 ? year + 1 : year, next_month = month == 12 ? 1 : month + 1;
	json_t *model = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:I, s:s?}",
		"page_title", "Đánh giá mức độ hài lòng",
		"month", arena_printf(r->arena, "%04d-%02d", year, month),
		"month_label", arena_printf(r->arena, "tháng %02d/%04d", month, year),
		"prev", arena_printf(r->arena, "/quan-tri/danh-gia?thang=%04d-%02d", prev_year,
				     prev_month),
		"next", arena_printf(r->arena, "/quan-tri/danh-gia?thang=%04d-%02d", next_year,
				     next_month),
		"overall", counts_model(&counts.overall), "criteria", criteria, "ratings", list,
		"listed_max", (json_int_t)RATING_LIST_MAX, "error", error);
	json_object_set_new(model, "has_ratings", json_boolean(json_array_size(list) > 0));
	json_object_set_new(model, "is_list_cut", json_boolean(json_array_size(list) >=
							       RATING_LIST_MAX));
	if (error != NULL)
		r->status = 422;
	request_view(r, "onestop/rating_admin", model);
	return STATUS_OK;
}
