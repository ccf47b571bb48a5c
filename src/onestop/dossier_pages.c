/* dossier_pages.c: dossiers at the counter and in the back office, and the public lookup */
#include "onestop/dossier_pages.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "base/log.h"
#include "base/num.h"
#include "http/request.h"
#include "mail/mail.h"
#include "onestop/dossier.h"
#include "onestop/dossier_access.h"
#include "onestop/onestop.h"
#include "onestop/rating_pages.h"
#include "onestop/receipt.h"
#include "text/text.h"
#include "worktime/clock.h"
#include "worktime/due.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What an online submission over a limit, and a clerk marking spam, are told. */
#define SUBMIT_TOO_MANY "Địa chỉ mạng của bạn đã gửi nhiều hồ sơ trực tuyến trong một giờ qua. " \
	"Hồ sơ này chưa được gửi. Vui lòng thử lại sau một giờ, hoặc đến nộp trực tiếp tại Bộ " \
	"phận một cửa."
#define SUBMIT_TOO_MUCH "Hệ thống đang nhận quá nhiều tệp đính kèm trực tuyến. Hồ sơ này chưa " \
	"được gửi. Vui lòng thử lại sau một giờ, hoặc đến nộp trực tiếp tại Bộ phận một cửa."
#define SUBMIT_RETRY_AFTER "3600"
#define SPAM_DONE "Đã đánh dấu hồ sơ là thư rác: hồ sơ đã rời hàng chờ, tệp đính kèm đã xóa."

static struct audit_actor actor_of(const struct request *r)
{
	return (struct audit_actor){ .user_id = r->user->id, .name = r->user->username };
}

static const char *form_value(const struct request *r, const char *name)
{
	const char *v = request_form(r, name);
	return v != NULL ? v : "";
}

static bool is_dossier_staff(const struct request *r)
{
	return auth_allows(r->user, PERM_DOSSIER_INTAKE) ||
	       auth_allows(r->user, PERM_DOSSIER_PROCESS) || auth_allows(r->user, PERM_DOSSIER_SIGN);
}

static const char *short_time(struct request *r, int64_t t)
{
	char buf[32];
	clock_format_vi_short(t, buf, sizeof buf);
	return arena_strdup(r->arena, buf);
}

static const char *dossier_url(struct request *r, const char *code)
{
	return arena_printf(r->arena, "/quan-tri/ho-so/%s", code);
}

/* "3 giờ 20 phút" of working time left, or of lateness. */
static const char *duration_words(struct request *r, int64_t seconds)
{
	if (seconds < 0)
		seconds = -seconds;
	int64_t h = seconds / 3600, m = seconds % 3600 / 60;
	return arena_printf(r->arena, "%lld giờ %lld phút làm việc", (long long)h, (long long)m);
}

/* Time left, due-soon and overdue marks of a dossier due at `due`. */
static void add_time_left(struct request *r, json_t *o, int64_t due)
{
	int64_t left = due_working_time_between(r->calendar, r->now, due);
	bool overdue = r->now > due;
	json_object_set_new(o, "time_left", json_string(overdue
		? arena_printf(r->arena, "Quá hạn %s", duration_words(r, left))
		: arena_printf(r->arena, "Còn %s", duration_words(r, left))));
	json_object_set_new(o, "is_overdue", json_boolean(overdue));
	json_object_set_new(o, "is_due_soon", json_boolean(!overdue && left < DOSSIER_DUE_SOON));
	json_object_set_new(o, "seconds_left", json_integer(overdue ? -(json_int_t)(r->now - due)
							   : (json_int_t)left));
}

/* A plain Vietnamese email to the applicant of dossier code, when they gave an address and
 * mail is configured; sent after the commit, a failure only logged. */
static void notify(struct request *r, const char *code, const char *subject, const char *body)
{
	struct dossier d;
	if (r->mail == NULL || dossier_get(r->db, r->arena, r->unit_id, code, &d) != STATUS_OK ||
	    !mail_address_valid(d.applicant.email))
		return;
	char error[256] = "";
	const char *text = arena_printf(r->arena, "Kính gửi %s,\n\n%s\n\nMã hồ sơ: %s\n\n"
					"(Thư gửi tự động, xin không trả lời thư này.)\n",
					d.applicant.name, body, code);
	if (text == NULL || subject == NULL)
		return;
	enum status st = mail_send(r->mail, d.applicant.email, subject, text, error, sizeof error);
	if (st)
		log_error("dossier %s: cannot send the notice: %s (%s)", code, error, status_name(st));
}

/* ---- queues ---- */

struct queue_entry {
	json_t *dossier;
	json_int_t left;
	size_t index; /* in the order of the queries: ties keep it */
};

static int compare_time_left(const void *a, const void *b)
{
	const struct queue_entry *x = a, *y = b;
	if (x->left != y->left)
		return x->left < y->left ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Replaces *rows by its dossiers sorted by seconds_left. A thousand rows: an insertion
 * sort through jansson took most of the queue page's time. false if out of memory. */
static bool sort_by_time_left(struct request *r, json_t **rows)
{
	size_t n = json_array_size(*rows);
	struct queue_entry *e = n > 0 ? arena_alloc(r->arena, n * sizeof *e) : NULL;
	if (n > 0 && e == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_array_get(*rows, i);
		e[i] = (struct queue_entry){ d, json_integer_value(json_object_get(d,
			"seconds_left")), i };
	}
	if (n > 1)
		qsort(e, n, sizeof *e, compare_time_left);
	json_t *sorted = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(sorted, e[i].dossier);
	json_decref(*rows);
	*rows = sorted;
	return true;
}

enum status dossier_admin_queue(struct request *r)
{
	if (!is_dossier_staff(r))
		return STATUS_FORBIDDEN;
	static const char *const intake[] = { "result_ready", "received", NULL };
	static const char *const process[] = { "received", "transferred", "processing", NULL };
	static const char *const sign[] = { "awaiting_signature", NULL };
	struct {
		enum permission perm;
		const char *title;
		const char *const *statuses;
	} queues[] = {
		{ PERM_DOSSIER_PROCESS, "Hồ sơ chờ xử lý", process },
		{ PERM_DOSSIER_SIGN, "Hồ sơ chờ ký duyệt", sign },
		{ PERM_DOSSIER_INTAKE, "Hồ sơ chờ trả kết quả và mới tiếp nhận", intake },
	};
	json_t *lists = json_array();
	for (size_t q = 0; q < sizeof queues / sizeof queues[0]; q++) {
		if (!auth_allows(r->user, queues[q].perm))
			continue;
		json_t *rows;
		enum status st = dossier_queue(r->db, r->unit_id, queues[q].statuses, &rows);
		if (st) {
			json_decref(lists);
			return st;
		}
		size_t i;
		json_t *d;
		json_array_foreach(rows, i, d) {
			const char *code = json_string_value(json_object_get(d, "code"));
			int64_t due = json_integer_value(json_object_get(d, "due_at"));
			json_object_set_new(d, "url", json_string(dossier_url(r, code)));
			json_object_set_new(d, "status_label", json_string(dossier_status_label(
				json_string_value(json_object_get(d, "status")))));
			json_object_set_new(d, "received", json_string(short_time(r,
				json_integer_value(json_object_get(d, "received_at")))));
			json_object_set_new(d, "due", json_string(short_time(r, due)));
			add_time_left(r, d, due);
		}
		/* Sorted by time left: the queries sort by due time, the lists are merged. */
		size_t n = json_array_size(rows);
		if (!sort_by_time_left(r, &rows)) {
			json_decref(lists);
			return STATUS_TOO_LARGE;
		}
		json_array_append_new(lists, json_pack("{s:s, s:o, s:I}", "title", queues[q].title,
			"dossiers", rows, "count", (json_int_t)n));
	}
	struct clock_local today = clock_to_local(r->now);
	request_view(r, "onestop/dossier_queue", json_pack("{s:s, s:o, s:b, s:s, s:s, s:s?}",
		"page_title", "Hồ sơ thủ tục hành chính", "queues", lists,
		"can_intake", auth_allows(r->user, PERM_DOSSIER_INTAKE),
		"book_from", arena_printf(r->arena, "%04d-%02d-01", today.year, today.month),
		"book_to", arena_printf(r->arena, "%04d-%02d-%02d", today.year, today.month,
					today.day),
		"notice", request_query(r, "da-danh-dau-rac") != NULL ? SPAM_DONE : NULL));
	return STATUS_OK;
}

/* ---- intake ---- */

static json_t *kind_options(const char *selected)
{
	static const char *const kinds[][2] = {
		{ "", "Không nộp" }, { "original", "Bản chính" },
		{ "certified_copy", "Bản sao có chứng thực" }, { "copy", "Bản sao" },
	};
	json_t *arr = json_array();
	for (size_t i = 0; i < 4; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", kinds[i][0], "label",
			kinds[i][1], "selected", strcmp(kinds[i][0], selected) == 0));
	return arr;
}

static json_t *delivery_options(const char *selected)
{
	static const char *const ways[] = { "counter", "post", "online" };
	json_t *arr = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", ways[i], "label",
			dossier_delivery_label(ways[i]), "selected", strcmp(ways[i], selected) == 0));
	return arr;
}

/* The intake form: the procedure list, and for a chosen procedure its documents. */
static enum status show_intake(struct request *r, const char *code, const char *error)
{
	struct onestop_procedure *list;
	size_t n;
	enum status st = onestop_list(r->db, r->arena, r->unit_id, true, &list, &n);
	if (st)
		return st;
	json_t *procedures = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(procedures, json_pack("{s:s, s:s, s:b}", "code", list[i].code,
			"name", list[i].current.content.name,
			"selected", code != NULL && strcmp(code, list[i].code) == 0));
	json_t *model = json_pack("{s:s, s:o, s:s?}", "page_title", "Tiếp nhận hồ sơ",
				  "procedures", procedures, "error", error);
	struct onestop_procedure p;
	if (code != NULL && *code != '\0') {
		st = onestop_get(r->db, r->arena, r->unit_id, code, true, &p);
		if (st == STATUS_NOT_FOUND && error == NULL) {
			json_object_set_new(model, "error", json_string(
				"Không tìm thấy thủ tục đang áp dụng có mã này."));
			r->status = 422;
		} else if (st == STATUS_NOT_FOUND) {
			r->status = 422;
		} else if (st) {
			json_decref(model);
			return st;
		} else {
			json_t *docs = onestop_documents_array(p.current.content.documents);
			size_t i;
			json_t *d;
			json_array_foreach(docs, i, d) {
				char field[40];
				snprintf(field, sizeof field, "doc_%zu", i);
				const char *kind = error != NULL ? form_value(r, field) : "original";
				snprintf(field, sizeof field, "copies_%zu", i);
				const char *copies = error != NULL ? form_value(r, field) : "";
				json_object_set_new(d, "index", json_integer((json_int_t)i));
				json_object_set_new(d, "kinds", kind_options(kind));
				if (*copies != '\0')
					json_object_set_new(d, "copies", json_string(copies));
			}
			const struct onestop_content *c = &p.current.content;
			json_t *proc = json_pack("{s:s, s:s, s:I, s:s, s:o}", "code", p.code,
				"name", c->name, "version_id", (json_int_t)p.current.id,
				"legal_time", onestop_time_words(r->arena, &c->legal), "documents", docs);
			if (c->promise.kind != ONESTOP_TIME_NONE)
				json_object_set_new(proc, "promise", json_string(
					onestop_time_words(r->arena, &c->promise)));
			json_object_set_new(model, "procedure", proc);
		}
	}
	bool again = error != NULL;
	json_object_set_new(model, "form", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		"name", again ? form_value(r, "name") : "",
		"id_number", again ? form_value(r, "id_number") : "",
		"address", again ? form_value(r, "address") : "",
		"phone", again ? form_value(r, "phone") : "",
		"email", again ? form_value(r, "email") : "",
		"sets", again ? form_value(r, "sets") : "1",
		"received_at", again ? form_value(r, "received_at") : ""));
	json_object_set_new(model, "deliveries",
			    delivery_options(again ? form_value(r, "delivery") : "counter"));
	if (error != NULL)
		r->status = 422;
	request_view(r, "onestop/dossier_intake", model);
	return STATUS_OK;
}

enum status dossier_admin_intake_form(struct request *r)
{
	return show_intake(r, request_query(r, "thu-tuc"), NULL);
}

/* The documents ticked on the form as the stored JSON; NULL and *error on a fault. */
static const char *documents_received(struct request *r, const char *documents_json,
				      const char **error)
{
	json_t *docs = onestop_documents_array(documents_json);
	json_t *out = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d) {
		char field[40];
		snprintf(field, sizeof field, "doc_%zu", i);
		const char *kind = form_value(r, field);
		if (*kind == '\0')
			continue;
		if (!dossier_doc_kind_valid(kind)) {
			*error = "Loại giấy tờ không hợp lệ.";
			break;
		}
		snprintf(field, sizeof field, "copies_%zu", i);
		const char *typed = form_value(r, field);
		int64_t copies = json_integer_value(json_object_get(d, "copies"));
		if (*typed != '\0' && !num_parse_int64(typed, 1, ONESTOP_DOC_COPIES_MAX, &copies)) {
			*error = "Số bản của mỗi giấy tờ từ 1 đến 20.";
			break;
		}
		if (copies < 1)
			copies = 1;
		json_array_append_new(out, json_pack("{s:O, s:s, s:I}", "name",
			json_object_get(d, "name"), "kind", kind, "copies", (json_int_t)copies));
	}
	json_decref(docs);
	if (*error == NULL && json_array_size(out) == 0)
		*error = "Vui lòng đánh dấu các giấy tờ đã nhận.";
	char *text = *error == NULL ? json_dumps(out, JSON_COMPACT) : NULL;
	json_decref(out);
	if (text == NULL)
		return NULL;
	const char *copy = arena_strdup(r->arena, text);
	free(text);
	return copy;
}

enum status dossier_admin_intake(struct request *r)
{
	const char *code = form_value(r, "procedure");
	struct onestop_procedure p;
	enum status st = onestop_get(r->db, r->arena, r->unit_id, code, true, &p);
	if (st == STATUS_NOT_FOUND)
		return show_intake(r, NULL, "Vui lòng chọn một thủ tục đang áp dụng.");
	if (st)
		return st;
	int64_t version_id;
	if (!num_parse_int64(form_value(r, "version"), 1, INT64_MAX, &version_id) ||
	    version_id != p.current.id)
		return show_intake(r, NULL, "Thủ tục vừa được cập nhật phiên bản mới. "
					    "Vui lòng chọn lại thủ tục và kiểm tra giấy tờ.");
	struct dossier_applicant who = { form_value(r, "name"), form_value(r, "id_number"),
		form_value(r, "address"), form_value(r, "phone"), form_value(r, "email") };
	const char *error = dossier_applicant_check(r->arena, &who);
	int64_t sets = 0;
	if (error == NULL && !num_parse_int64(form_value(r, "sets"), 1, DOSSIER_SETS_MAX, &sets))
		error = "Số bộ hồ sơ từ 1 đến 20.";
	const char *delivery = form_value(r, "delivery");
	if (error == NULL && !dossier_delivery_valid(delivery))
		error = "Vui lòng chọn nơi nhận kết quả.";
	int64_t received = r->now;
	const char *typed = form_value(r, "received_at");
	if (error == NULL && *typed != '\0') {
		enum clock_input in = clock_parse_input(typed, true, r->now - DOSSIER_BACKDATE_MAX,
							r->now + 60, &received);
		if (in == CLOCK_INPUT_INVALID)
			error = "Thời điểm nhận hồ sơ không hợp lệ.";
		else if (in == CLOCK_INPUT_OUT_OF_RANGE)
			error = "Chỉ nhập bổ sung hồ sơ đã nhận trong 30 ngày qua, không nhận trước giờ.";
	}
	const char *documents = NULL;
	if (error == NULL)
		documents = documents_received(r, p.current.content.documents, &error);
	if (error != NULL)
		return show_intake(r, code, error);
	const struct onestop_content *c = &p.current.content;
	int64_t due, promise = 0;
	if (dossier_due(r->calendar, &c->legal, received, &due) != STATUS_OK ||
	    (c->promise.kind != ONESTOP_TIME_NONE &&
	     dossier_due(r->calendar, &c->promise, received, &promise) != STATUS_OK))
		return show_intake(r, code, "Không tính được ngày hẹn trả: lịch làm việc chưa có "
					    "ngày làm việc phù hợp.");
	struct dossier_new in = {
		.procedure_id = p.id, .procedure_version_id = p.current.id, .channel = "counter",
		.applicant = who, .documents = documents, .sets = sets, .received_at = received,
		.due_at = due, .promise_due_at = promise, .delivery = delivery,
		.role = r->user->role,
	};
	struct audit_actor actor = actor_of(r);
	const char *dossier_code;
	st = dossier_create(r->db, r->arena, r->unit_id, &in, &actor, r->now, &dossier_code);
	if (st)
		return st;
	request_redirect(r, 303, arena_printf(r->arena, "/quan-tri/ho-so/%s/bien-nhan",
					      dossier_code));
	return STATUS_OK;
}

/* ---- one dossier ---- */

/* The dossier of the path and the version it was received under. */
static enum status load(struct request *r, struct dossier *d, struct onestop_version *v)
{
	if (!dossier_code_valid(r->path_params[0]))
		return STATUS_NOT_FOUND;
	enum status st = dossier_get(r->db, r->arena, r->unit_id, r->path_params[0], d);
	if (st)
		return st;
	return onestop_version_by_id(r->db, r->arena, r->unit_id, d->procedure_version_id, v);
}

static json_t *documents_model(const char *json)
{
	json_t *docs = json_loads(json, 0, NULL);
	if (!json_is_array(docs)) {
		json_decref(docs);
		return json_array();
	}
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d) {
		json_object_set_new(d, "number", json_integer((json_int_t)i + 1));
		json_object_set_new(d, "kind_label", json_string(dossier_doc_kind_label(
			json_string_value(json_object_get(d, "kind")))));
	}
	return docs;
}

static json_t *dossier_model(struct request *r, const struct dossier *d,
			     const struct onestop_version *v)
{
	const struct onestop_content *c = &v->content;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:s, s:s,"
			      " s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
		"code", d->code, "url", dossier_url(r, d->code), "status", d->status,
		"status_label", dossier_status_label(d->status), "name", d->applicant.name,
		"id_number", d->applicant.id_number, "address", d->applicant.address,
		"phone", d->applicant.phone, "email", d->applicant.email,
		"documents", documents_model(d->documents), "sets", (json_int_t)d->sets,
		"procedure", c->name, "legal_time", onestop_time_words(r->arena, &c->legal),
		"received_words", dossier_time_words(r->arena, d->received_at),
		"due_words", dossier_time_words(r->arena, d->due_at),
		"received", short_time(r, d->received_at), "due", short_time(r, d->due_at),
		"national_status", (json_int_t)d->national_status,
		"delivery_label", dossier_delivery_label(d->delivery),
		"office", c->office);
	if (d->promise_due_at > 0) {
		json_object_set_new(o, "promise_words", json_string(dossier_time_words(r->arena,
									      d->promise_due_at)));
		json_object_set_new(o, "promise_time", json_string(onestop_time_words(r->arena,
										    &c->promise)));
	}
	if (d->extended_due_at > 0) {
		json_object_set_new(o, "extended", json_string(short_time(r, d->extended_due_at)));
		json_object_set_new(o, "extended_words", json_string(dossier_time_words(r->arena,
									       d->extended_due_at)));
	}
	if (d->book_volume > 0)
		json_object_set_new(o, "book", json_pack("{s:I, s:I}", "volume",
			(json_int_t)d->book_volume, "line", (json_int_t)d->book_line));
	return o;
}

static json_t *events_model(struct request *r, json_t *events, bool with_people)
{
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e) {
		int64_t at = json_integer_value(json_object_get(e, "at"));
		int64_t due = json_integer_value(json_object_get(e, "step_due_at"));
		json_object_set_new(e, "number", json_integer((json_int_t)i + 1));
		json_object_set_new(e, "when", json_string(short_time(r, at)));
		json_object_set_new(e, "to_label", json_string(dossier_status_label(
			json_string_value(json_object_get(e, "to")))));
		json_object_set_new(e, "from_label", json_string(dossier_status_label(
			json_string_value(json_object_get(e, "from")))));
		json_object_set_new(e, "role_label", json_string(auth_role_label(
			json_string_value(json_object_get(e, "role")))));
		json_object_set_new(e, "outcome_label", json_string(dossier_outcome_label(
			json_string_value(json_object_get(e, "outcome")))));
		if (due > 0)
			json_object_set_new(e, "due", json_string(short_time(r, due)));
		if (!with_people) {
			json_object_del(e, "actor");
			json_object_del(e, "role");
			json_object_del(e, "role_label");
			json_object_del(e, "note");
		}
	}
	return events;
}

static bool may_request_supplement(const struct request *r)
{
	return auth_allows(r->user, PERM_DOSSIER_INTAKE) ||
	       auth_allows(r->user, PERM_DOSSIER_PROCESS);
}

/* ---- who read the dossier (dossier_access.h) ---- */

/* Writes down that the signed-in staff member read the dossier of code: its page, a file
 * (detail: its name), a printed form (its title). A reading that cannot be noted is
 * refused, so that none goes unrecorded. */
static enum status note_reading(struct request *r, const char *code, const char *kind,
				const char *detail)
{
	struct audit_actor actor = actor_of(r);
	return dossier_access_note(r->db, r->unit_id, code, &actor, kind, detail, r->now);
}

/* Who may read a dossier's reading history: a leader on the dossier's page, the admin on
 * the history's own page (which shows none of the dossier's contents). */
static bool may_read_history(const struct request *r)
{
	return auth_allows(r->user, PERM_DOSSIER_SIGN) || auth_allows(r->user, PERM_AUDIT);
}

/* The newest readings of the dossier (at most limit) as {lines, more, url}. */
static enum status history_model(struct request *r, const char *code, int64_t limit,
				 json_t **out)
{
	json_t *lines, *e;
	bool more;
	enum status st = dossier_access_flush(r->db); /* the readings still in memory too */
	if (st == STATUS_OK)
		st = dossier_access_list(r->db, r->unit_id, code, limit, &lines, &more);
	if (st)
		return st;
	size_t i;
	json_array_foreach(lines, i, e)
		json_object_set_new(e, "when", json_string(short_time(r,
			json_integer_value(json_object_get(e, "at")))));
	*out = json_pack("{s:o, s:b, s:s}", "lines", lines, "more", more,
			 "url", arena_printf(r->arena, "/quan-tri/ho-so/%s/truy-cap", code));
	return STATUS_OK;
}

enum status dossier_admin_access(struct request *r)
{
	if (!may_read_history(r))
		return STATUS_FORBIDDEN;
	if (!dossier_code_valid(r->path_params[0]))
		return STATUS_NOT_FOUND;
	struct dossier d;
	json_t *history;
	enum status st = dossier_get(r->db, r->arena, r->unit_id, r->path_params[0], &d);
	if (st == STATUS_OK)
		st = history_model(r, d.code, DOSSIER_ACCESS_LIST_MAX, &history);
	if (st)
		return st;
	request_view(r, "onestop/dossier_access", json_pack("{s:s, s:s, s:s, s:o, s:b}",
		"page_title", "Lịch sử truy cập hồ sơ", "code", d.code, "url", dossier_url(r, d.code),
		"access", history, "can_open", is_dossier_staff(r)));
	return STATUS_OK;
}

static enum status show_dossier(struct request *r, const char *error)
{
	if (!is_dossier_staff(r))
		return STATUS_FORBIDDEN;
	struct dossier d;
	struct onestop_version v;
	enum status st = load(r, &d, &v);
	if (st)
		return st;
	if (error == NULL && (st = note_reading(r, d.code, DOSSIER_ACCESS_PAGE, "")) != STATUS_OK)
		return st;
	json_t *events;
	if ((st = dossier_events(r->db, r->unit_id, d.id, &events)) != STATUS_OK)
		return st;
	json_t *model = dossier_model(r, &d, &v);
	json_object_set_new(model, "events", events_model(r, events, true));
	json_t *actions = json_array();
	for (size_t i = 0; i < dossier_steps_count; i++) {
		const struct dossier_step *s = &dossier_steps[i];
		if (auth_allows(r->user, s->permission) && dossier_step_allowed(s, d.status))
			json_array_append_new(actions, json_pack("{s:s, s:s, s:b, s:b}", "label",
				s->label, "url", arena_printf(r->arena, "/quan-tri/ho-so/%s/%s", d.code,
							     s->slug),
				"is_withdraw", strcmp(s->action, "withdraw") == 0 ||
					       strcmp(s->action, "refuse") == 0,
				"is_refuse", strcmp(s->action, "refuse") == 0));
	}
	json_object_set_new(model, "actions", actions);
	bool paused = strcmp(d.status, "supplement_requested") == 0;
	json_object_set_new(model, "can_request_supplement", json_boolean(
		may_request_supplement(r) && dossier_supplement_allowed(d.status)));
	json_object_set_new(model, "can_receive_supplement", json_boolean(
		paused && auth_allows(r->user, PERM_DOSSIER_INTAKE)));
	json_object_set_new(model, "is_paused", json_boolean(paused));
	int64_t appointment = d.extended_due_at > 0 ? d.extended_due_at : d.due_at;
	json_object_set_new(model, "can_extend", json_boolean(
		auth_allows(r->user, PERM_DOSSIER_SIGN) && dossier_is_open(d.status) &&
		r->now <= appointment));
	if (error != NULL)
		json_object_set_new(model, "extend_form", json_pack("{s:s, s:s}",
			"new_due", form_value(r, "new_due"), "reason", form_value(r, "reason")));
	json_object_set_new(model, "is_refused", json_boolean(strcmp(d.status, "refused") == 0));
	json_object_set_new(model, "can_stop", json_boolean(
		auth_allows(r->user, PERM_DOSSIER_SIGN) && dossier_is_open(d.status)));
	if (error != NULL)
		json_object_set_new(model, "stop_form", json_pack("{s:s, s:s}",
			"reason", form_value(r, "reason"), "basis", form_value(r, "basis")));
	json_object_set_new(model, "is_stopped", json_boolean(strcmp(d.status, "stopped") == 0));
	json_object_set_new(model, "can_mark_spam", json_boolean(
		auth_allows(r->user, PERM_DOSSIER_INTAKE) && dossier_spam_allowed(d.channel, d.status)));
	json_t *files;
	if ((st = dossier_files(r->db, r->unit_id, d.id, &files)) != STATUS_OK) {
		json_decref(model);
		return st;
	}
	size_t fi;
	json_t *f;
	json_array_foreach(files, fi, f) {
		json_object_set_new(f, "url", json_string(arena_printf(r->arena,
			"/quan-tri/ho-so/%s/tep/%lld", d.code,
			(long long)json_integer_value(json_object_get(f, "id")))));
		json_object_set_new(f, "kb", json_integer(
			(json_integer_value(json_object_get(f, "size")) + 1023) / 1024));
	}
	json_object_set_new(model, "has_files", json_boolean(json_array_size(files) > 0));
	json_object_set_new(model, "files", files);
	if (error != NULL)
		json_object_set_new(model, "supplement_form", json_pack("{s:s, s:s}",
			"items", form_value(r, "items"), "reason", form_value(r, "reason")));
	if (strcmp(d.status, "returned") != 0 && strcmp(d.status, "withdrawn") != 0 &&
	    strcmp(d.status, "refused") != 0 && strcmp(d.status, "stopped") != 0 && !paused)
		add_time_left(r, model, d.due_at);
	if ((st = rating_add_to_dossier(r, model, d.id)) != STATUS_OK) {
		json_decref(model);
		return st;
	}
	json_t *history;
	if (auth_allows(r->user, PERM_DOSSIER_SIGN)) {
		if ((st = history_model(r, d.code, DOSSIER_ACCESS_SHOWN, &history)) != STATUS_OK) {
			json_decref(model);
			return st;
		}
		json_object_set_new(model, "access", history);
	}
	if (error != NULL)
		r->status = 422;
	request_view(r, "onestop/dossier_show", json_pack("{s:s, s:o, s:b, s:s?, s:s?}",
		"page_title", "Hồ sơ", "dossier", model,
		"can_intake", auth_allows(r->user, PERM_DOSSIER_INTAKE),
		"notice", request_query(r, "da-chuyen") != NULL ? "Đã chuyển bước hồ sơ." : NULL,
		"error", error));
	return STATUS_OK;
}

enum status dossier_admin_show(struct request *r)
{
	return show_dossier(r, NULL);
}

/* The header of the printed forms: the unit's name. */
static enum status print_model(struct request *r, const char *title, json_t *dossier,
			       const char *template_name)
{
	const char *unit_code, *unit_name;
	enum status st = dossier_unit(r->db, r->arena, r->unit_id, &unit_code, &unit_name);
	if (st == STATUS_OK)
		st = note_reading(r, json_string_value(json_object_get(dossier, "code")),
				  DOSSIER_ACCESS_FORM, title);
	if (st) {
		json_decref(dossier);
		return st;
	}
	struct clock_local now = clock_to_local(r->now);
	request_view(r, template_name, json_pack("{s:s, s:s, s:s, s:o}", "page_title", title,
		"unit_name", unit_name, "today", arena_printf(r->arena,
			"ngày %02d tháng %02d năm %d", now.day, now.month, now.year),
		"dossier", dossier));
	return STATUS_OK;
}

enum status dossier_admin_receipt(struct request *r)
{
	struct dossier d;
	struct onestop_version v;
	enum status st = load(r, &d, &v);
	if (st)
		return st;
	return print_model(r, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", dossier_model(r, &d, &v),
			   "onestop/dossier_receipt");
}

enum status dossier_admin_receipt_qr(struct request *r)
{
	struct dossier d;
	struct onestop_version v;
	enum status st = load(r, &d, &v);
	if (st)
		return st;
	unsigned char pk[RECEIPT_PUBLIC_KEY_BYTES], sk[RECEIPT_SECRET_KEY_BYTES];
	st = unitkey_get(r->db, r->unit_id, r->now, pk, sk);
	if (st)
		return st;
	/* The procedure as the national portal codes it, else as this unit numbers it. */
	struct receipt_fields f = { 0 };
	snprintf(f.dossier_code, sizeof f.dossier_code, "%s", d.code);
	if (v.content.national_code != NULL && v.content.national_code[0] != '\0')
		snprintf(f.procedure_code, sizeof f.procedure_code, "%s", v.content.national_code);
	else
		snprintf(f.procedure_code, sizeof f.procedure_code, "P%lld", (long long)d.procedure_id);
	receipt_appointment_text(d.due_at, f.appointment);
	const char *payload = NULL, *svg = NULL;
	st = receipt_sign(r->arena, &f, sk, &payload);
	sodium_memzero(sk, sizeof sk);
	if (st == STATUS_OK)
		st = receipt_qr_svg(r->arena, payload, "40mm", &svg);
	if (st)
		return st;
	r->content_type = "image/svg+xml";
	r->has_raw_body = true;
	buf_puts(&r->body, svg);
	return r->body.failed ? STATUS_TOO_LARGE : STATUS_OK;
}

enum status dossier_admin_control(struct request *r)
{
	if (!is_dossier_staff(r))
		return STATUS_FORBIDDEN;
	struct dossier d;
	struct onestop_version v;
	enum status st = load(r, &d, &v);
	if (st)
		return st;
	json_t *events;
	if ((st = dossier_events(r->db, r->unit_id, d.id, &events)) != STATUS_OK)
		return st;
	json_t *model = dossier_model(r, &d, &v);
	json_object_set_new(model, "events", events_model(r, events, true));
	return print_model(r, "Phiếu kiểm soát quá trình giải quyết hồ sơ", model,
			   "onestop/dossier_control");
}

/* ---- the flow ---- */

static enum status advance(struct request *r, const char *action)
{
	const struct dossier_step *step = dossier_step_of(action);
	if (step == NULL)
		return STATUS_INTERNAL;
	if (!auth_allows(r->user, step->permission))
		return STATUS_FORBIDDEN;
	if (!dossier_code_valid(r->path_params[0]))
		return STATUS_NOT_FOUND;
	const char *note = text_clean(r->arena, form_value(r, "note"), DOSSIER_NOTE_MAX, false);
	if (note == NULL && strcmp(step->action, "refuse") != 0)
		return show_dossier(r, "Ghi chú tối đa 1000 ký tự, không có ký tự điều khiển hay ký "
				       "tự đảo chiều văn bản.");
	if (strcmp(step->action, "refuse") == 0) {
		/* Mẫu 03 states the reason: required, on one line. */
		struct dossier d;
		struct onestop_version v;
		enum status st = load(r, &d, &v);
		if (st)
			return st;
		if (note == NULL || *note == '\0')
			return show_dossier(r, "Vui lòng ghi rõ lý do từ chối tiếp nhận hồ sơ "
					       "(tối đa 1000 ký tự).");
	}
	struct audit_actor actor = actor_of(r);
	enum status st = dossier_advance(r->db, r->calendar, r->unit_id, r->path_params[0], step,
					 r->user->role, note, &actor, r->now);
	if (st)
		return st;
	if (strcmp(step->to, "result_ready") == 0)
		notify(r, r->path_params[0], arena_printf(r->arena, "Hồ sơ %s đã có kết quả",
							   r->path_params[0]),
		       "Hồ sơ của ông/bà đã có kết quả. Mời ông/bà đến Bộ phận tiếp nhận và trả "
		       "kết quả để nhận, mang theo giấy tiếp nhận hồ sơ và hẹn trả kết quả.");
	if (strcmp(step->to, "refused") == 0)
		notify(r, r->path_params[0], arena_printf(r->arena, "Hồ sơ %s không được tiếp "
							   "nhận giải quyết", r->path_params[0]),
		       arena_printf(r->arena, "Bộ phận tiếp nhận và trả kết quả từ chối tiếp nhận "
				    "giải quyết hồ sơ của ông/bà (Phiếu từ chối tiếp nhận giải quyết "
				    "hồ sơ, Mẫu số 03).\n\nLý do: %s", note));
	request_redirect(r, 303, arena_printf(r->arena, "/quan-tri/ho-so/%s?da-chuyen=1",
					      r->path_params[0]));
	return STATUS_OK;
}

enum status dossier_admin_transfer(struct request *r) { return advance(r, "transfer"); }
enum status dossier_admin_take(struct request *r) { return advance(r, "take"); }
enum status dossier_admin_submit(struct request *r) { return advance(r, "submit"); }
enum status dossier_admin_sign(struct request *r) { return advance(r, "sign"); }
enum status dossier_admin_return(struct request *r) { return advance(r, "return"); }
enum status dossier_admin_withdraw(struct request *r) { return advance(r, "withdraw"); }
enum status dossier_admin_refuse(struct request *r) { return advance(r, "refuse"); }

enum status dossier_admin_spam(struct request *r)
{
	if (!dossier_code_valid(r->path_params[0]))
		return STATUS_NOT_FOUND;
	/* Deleting a citizen's dossier and files cannot be undone: the form's box must be ticked. */
	const char *confirm = request_form(r, "confirm");
	if (confirm == NULL || strcmp(confirm, "1") != 0)
		return show_dossier(r, "Hãy đánh dấu ô xác nhận đây là hồ sơ rác trước khi xóa.");
	struct audit_actor actor = actor_of(r);
	enum status st = dossier_mark_spam(r->db, r->unit_id, r->path_params[0], &actor, r->now);
	if (st == STATUS_CONFLICT)
		return show_dossier(r, "Chỉ đánh dấu thư rác được hồ sơ nộp trực tuyến chưa chuyển "
				       "xử lý.");
	if (st)
		return st;
	request_redirect(r, 303, "/quan-tri/ho-so?da-danh-dau-rac=1");
	return STATUS_OK;
}

/* ---- apology and extension (Mẫu 04) ---- */

enum status dossier_admin_extend(struct request *r)
{
	if (!auth_allows(r->user, PERM_DOSSIER_SIGN))
		return STATUS_FORBIDDEN;
	struct dossier d;
	struct onestop_version v;
	enum status st = load(r, &d, &v);
	if (st)
		return st;
	if (!dossier_is_open(d.status))
		return STATUS_CONFLICT;
	int64_t appointment = d.extended_due_at > 0 ? d.extended_due_at : d.due_at;
	if (r->now > appointment)
		return show_dossier(r, "Đã quá ngày hẹn trả: văn bản xin lỗi và hẹn lại phải gửi "
				       "trước ngày hẹn trả.");
	const char *reason = text_clean(r->arena, form_value(r, "reason"),
						DOSSIER_NOTE_MAX, false);
	if (reason == NULL || *reason == '\0')
		return show_dossier(r, "Vui lòng ghi rõ lý do chậm trễ (tối đa 1000 ký tự).");
	int64_t new_due;
	enum clock_input in = clock_parse_input(form_value(r, "new_due"), true, r->now,
						r->now + DOSSIER_EXTEND_MAX, &new_due);
	if (in == CLOCK_INPUT_INVALID)
		return show_dossier(r, "Vui lòng nhập ngày hẹn trả mới hợp lệ.");
	if (in == CLOCK_INPUT_OUT_OF_RANGE) {
		char range[64];
		clock_range_words(r->now, r->now + DOSSIER_EXTEND_MAX, range, sizeof range);
		return show_dossier(r, arena_printf(r->arena, "Ngày hẹn trả mới phải trong khoảng "
						    "%s.", range));
	}
	if (new_due <= appointment)
		return show_dossier(r, "Ngày hẹn trả mới phải sau ngày hẹn hiện tại.");
	struct audit_actor actor = actor_of(r);
	st = dossier_extend(r->db, r->unit_id, d.code, r->user->role, reason, new_due, &actor,
			    r->now);
	if (st)
		return st;
	/* Delivered through the channel the applicant used: by email when they gave one. */
	notify(r, d.code, arena_printf(r->arena, "Xin lỗi và hẹn lại ngày trả kết quả hồ sơ %s",
					d.code),
	       arena_printf(r->arena, "Hồ sơ của ông/bà chưa giải quyết xong đúng hẹn. Lý do: %s"
			    "\n\nChúng tôi xin lỗi ông/bà và đề nghị gia hạn thời gian giải quyết, "
			    "hẹn trả kết quả vào: %s.", reason,
			    dossier_time_words(r->arena, new_due)));
	request_redirect(r, 303, arena_printf(r->arena, "/quan-tri/ho-so/%s/van-ban-xin-loi",
					      d.code));
	return STATUS_OK;
}

/* A printed form made from the dossier and its last event of one action: the event's
 * note is the reason, its time when the form was written. */
/* What every printed form of a step starts from: the dossier's model, and the note and time
 * of its latest event of action (the reason given when the step was taken). */
static enum status event_form_model(struct request *r, const char *action, json_t **model,
				    const char **note, int64_t *at)
{
	if (!is_dossier_staff(r))
		return STATUS_FORBIDDEN;
	struct dossier d;
	struct onestop_version v;
	enum status st = load(r, &d, &v);
	if (st)
		return st;
	st = dossier_last_event(r->db, r->arena, r->unit_id, d.id, action, note, at);
	if (st)
		return st;
	*model = dossier_model(r, &d, &v);
	return STATUS_OK;
}

/* The first line of a note (in the arena); *rest: what follows it, NULL for one line. */
static const char *first_line(struct request *r, const char *note, const char **rest)
{
	const char *nl = strchr(note, '\n');
	*rest = nl != NULL ? nl + 1 : NULL;
	const char *line = nl != NULL ? arena_strndup(r->arena, note, (size_t)(nl - note)) : note;
	return line != NULL ? line : "";
}

static enum status print_event_form(struct request *r, const char *action, const char *key,
				    const char *time_key, const char *title,
				    const char *template_name)
{
	json_t *model;
	const char *note;
	int64_t at;
	enum status st = event_form_model(r, action, &model, &note, &at);
	if (st)
		return st;
	json_object_set_new(model, key, json_pack("{s:s, s:s}", "reason", note,
		time_key, dossier_time_words(r->arena, at)));
	return print_model(r, title, model, template_name);
}

enum status dossier_admin_apology_print(struct request *r)
{
	return print_event_form(r, "extend", "apology", "written_words",
				"Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
				"onestop/dossier_apology");
}

enum status dossier_admin_refusal_print(struct request *r)
{
	return print_event_form(r, "refuse", "refusal", "refused_words",
				"Phiếu từ chối tiếp nhận giải quyết hồ sơ", "onestop/dossier_refusal");
}

/* ---- stop (Mẫu 05) ---- */

enum status dossier_admin_stop(struct request *r)
{
	if (!auth_allows(r->user, PERM_DOSSIER_SIGN))
		return STATUS_FORBIDDEN;
	struct dossier d;
	struct onestop_version v;
	enum status st = load(r, &d, &v);
	if (st)
		return st;
	if (!dossier_is_open(d.status))
		return STATUS_CONFLICT;
	const char *reason = text_clean(r->arena, form_value(r, "reason"), DOSSIER_NOTE_MAX,
					false);
	if (reason == NULL || *reason == '\0')
		return show_dossier(r, "Vui lòng ghi rõ lý do dừng giải quyết hồ sơ "
				       "(tối đa 1000 ký tự).");
	const char *basis = text_clean(r->arena, form_value(r, "basis"), DOSSIER_NOTE_MAX, false);
	if (basis == NULL)
		return show_dossier(r, "Căn cứ pháp lý tối đa 1000 ký tự, trên một dòng.");
	/* The reason, then the legal ground on a second line. */
	const char *note = *basis != '\0' ? arena_printf(r->arena, "%s\n%s", reason, basis)
					  : reason;
	if (note == NULL)
		return STATUS_TOO_LARGE;
	struct audit_actor actor = actor_of(r);
	st = dossier_stop(r->db, r->unit_id, d.code, r->user->role, note, &actor, r->now);
	if (st)
		return st;
	notify(r, d.code, arena_printf(r->arena, "Thông báo dừng giải quyết hồ sơ %s", d.code),
	       arena_printf(r->arena, "Cơ quan giải quyết thông báo dừng giải quyết hồ sơ của "
			    "ông/bà (Thông báo dừng giải quyết hồ sơ, Mẫu số 05).\n\nLý do: %s%s%s",
			    reason, *basis != '\0' ? "\nCăn cứ: " : "", basis));
	request_redirect(r, 303, arena_printf(r->arena, "/quan-tri/ho-so/%s/thong-bao-dung",
					      d.code));
	return STATUS_OK;
}

enum status dossier_admin_stop_print(struct request *r)
{
	json_t *model;
	const char *note, *basis;
	int64_t at;
	enum status st = event_form_model(r, "stop", &model, &note, &at);
	if (st)
		return st;
	const char *reason = first_line(r, note, &basis);
	json_object_set_new(model, "stop", json_pack("{s:s, s:s?, s:s}", "reason", reason,
		"basis", basis, "stopped_words", dossier_time_words(r->arena, at)));
	return print_model(r, "Thông báo dừng giải quyết hồ sơ", model, "onestop/dossier_stop");
}

/* ---- the tracking book (Mẫu 07) ---- */

enum {
	DOSSIER_BOOK_MAX = 2000,  /* rows one printed book lists */
	DOSSIER_BOOK_DAYS = 366,  /* the longest period, in days */
	DOSSIER_BOOK_YEAR_MIN = 2000,
};

/* The local day of "YYYY-MM-DD" as days since the epoch, from 2000 to a year ahead. */
static bool book_day(const struct request *r, const char *s, int64_t *days)
{
	int64_t first, t;
	if (!clock_from_local(DOSSIER_BOOK_YEAR_MIN, 1, 1, 0, 0, &first) ||
	    clock_parse_input(s, false, first, r->now + DOSSIER_BOOK_DAYS * 86400, &t) !=
		    CLOCK_INPUT_OK)
		return false;
	struct clock_local l = clock_to_local(t);
	*days = clock_days_from_civil(l.year, l.month, l.day);
	return true;
}

static int64_t book_midnight(int64_t days)
{
	int y, m, d;
	clock_civil_from_days(days, &y, &m, &d);
	int64_t t = 0;
	clock_from_local(y, m, d, 0, 0, &t);
	return t;
}

static const char *book_date(struct request *r, int64_t t)
{
	if (t <= 0)
		return "";
	struct clock_local l = clock_to_local(t);
	return arena_printf(r->arena, "%02d/%02d/%04d", l.day, l.month, l.year);
}

static const char *iso_day(struct request *r, int64_t days)
{
	int y, m, d;
	clock_civil_from_days(days, &y, &m, &d);
	return arena_printf(r->arena, "%04d-%02d-%02d", y, m, d);
}

enum status dossier_admin_book(struct request *r)
{
	if (!is_dossier_staff(r))
		return STATUS_FORBIDDEN;
	const char *tu = request_query(r, "tu"), *den = request_query(r, "den");
	struct clock_local today = clock_to_local(r->now);
	int64_t to_day = clock_days_from_civil(today.year, today.month, today.day);
	int64_t from_day = clock_days_from_civil(today.year, today.month, 1);
	const char *error = NULL;
	if (tu != NULL || den != NULL) {
		if (!book_day(r, tu, &from_day) || !book_day(r, den, &to_day))
			error = "Vui lòng chọn ngày bắt đầu và ngày kết thúc hợp lệ (năm-tháng-ngày), "
				"từ năm 2000 đến một năm tới.";
		else if (to_day < from_day)
			error = "Ngày kết thúc phải từ ngày bắt đầu trở đi.";
		else if (to_day - from_day >= DOSSIER_BOOK_DAYS)
			error = "Mỗi sổ in tối đa một năm (366 ngày). Vui lòng chọn kỳ ngắn hơn.";
	}
	const char *unit_code, *unit_name;
	enum status st = dossier_unit(r->db, r->arena, r->unit_id, &unit_code, &unit_name);
	if (st)
		return st;
	json_t *model = json_pack("{s:s, s:s, s:s, s:s}", "page_title", "Sổ theo dõi hồ sơ",
		"unit_name", unit_name,
		"tu", error != NULL ? (tu != NULL ? tu : "") : iso_day(r, from_day),
		"den", error != NULL ? (den != NULL ? den : "") : iso_day(r, to_day));
	if (error != NULL) {
		json_object_set_new(model, "error", json_string(error));
		r->status = 422;
		request_view(r, "onestop/dossier_book", model);
		return STATUS_OK;
	}
	json_t *rows;
	int64_t total;
	st = dossier_book(r->db, r->unit_id, book_midnight(from_day), book_midnight(to_day + 1),
			  DOSSIER_BOOK_MAX, &rows, &total);
	if (st) {
		json_decref(model);
		return st;
	}
	size_t i;
	json_t *o;
	json_array_foreach(rows, i, o) {
		const char *status = json_string_value(json_object_get(o, "status"));
		json_object_set_new(o, "number", json_integer((json_int_t)i + 1));
		static const char *const times[][2] = {
			{ "received_at", "received" }, { "due_at", "due" },
			{ "extended_due_at", "extended" }, { "taken_at", "taken" },
			{ "signed_at", "signed" }, { "returned_at", "returned" },
		};
		for (size_t k = 0; k < sizeof times / sizeof times[0]; k++)
			json_object_set_new(o, times[k][1], json_string(book_date(r,
				json_integer_value(json_object_get(o, times[k][0])))));
		/* A dossier that ended without a result says how it ended. */
		if (strcmp(status, "refused") == 0 || strcmp(status, "stopped") == 0 ||
		    strcmp(status, "withdrawn") == 0)
			json_object_set_new(o, "note", json_string(dossier_status_label(status)));
	}
	struct clock_local f = clock_to_local(book_midnight(from_day));
	struct clock_local t = clock_to_local(book_midnight(to_day));
	json_object_set_new(model, "period", json_string(arena_printf(r->arena,
		"Từ ngày %02d/%02d/%04d đến ngày %02d/%02d/%04d", f.day, f.month, f.year, t.day,
		t.month, t.year)));
	json_object_set_new(model, "rows", rows);
	json_object_set_new(model, "total", json_integer((json_int_t)total));
	if (total > (int64_t)json_array_size(rows))
		json_object_set_new(model, "capped", json_string(arena_printf(r->arena,
			"Kỳ này có %lld hồ sơ; sổ chỉ in %d hồ sơ đầu tiên. Vui lòng chọn kỳ ngắn hơn "
			"để in đủ.", (long long)total, DOSSIER_BOOK_MAX)));
	request_view(r, "onestop/dossier_book", model);
	return STATUS_OK;
}

/* ---- attachments of an online submission ---- */

/* An ASCII file name for Content-Disposition: letters, digits, '.', '-', '_' kept, any
 * other byte '_'; never empty nor starting with a dot. */
static const char *ascii_file_name(struct request *r, const char *name)
{
	size_t n = strlen(name);
	char *out = arena_alloc(r->arena, n + 2);
	if (out == NULL)
		return "tep-dinh-kem";
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		unsigned char c = *p;
		bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
		if (c >= 0x80 && (c & 0xC0) == 0x80)
			continue; /* one '_' per UTF-8 character */
		out[k++] = keep ? (char)c : '_';
	}
	out[k] = '\0';
	while (*out == '.')
		out++;
	return *out != '\0' ? out : "tep-dinh-kem";
}

enum status dossier_admin_file(struct request *r)
{
	if (!is_dossier_staff(r))
		return STATUS_FORBIDDEN;
	struct dossier d;
	struct onestop_version v;
	enum status st = load(r, &d, &v);
	if (st)
		return st;
	int64_t file_id;
	if (!num_parse_int64(r->path_params[1], 1, INT64_MAX, &file_id))
		return STATUS_NOT_FOUND;
	struct dossier_attachment f;
	st = dossier_file_get(r->db, r->arena, r->unit_id, d.id, file_id, &f);
	if (st == STATUS_OK)
		st = note_reading(r, d.code, DOSSIER_ACCESS_FILE, f.name);
	if (st)
		return st;
	r->content_type = f.mime;
	r->has_raw_body = true;
	request_set_header(r, "Content-Disposition", arena_printf(r->arena,
		"attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii_file_name(r, f.name),
		http_url_encode(r->arena, f.name)));
	request_set_header(r, "Cache-Control", "private, no-store");
	request_set_header(r, "X-Content-Type-Options", "nosniff");
	buf_append(&r->body, f.data, f.len);
	return r->body.failed ? STATUS_TOO_LARGE : STATUS_OK;
}

/* ---- supplement (Mẫu 02) ---- */

enum { SUPPLEMENT_ITEMS_MAX = 30, SUPPLEMENT_ITEM_MAX = 300, SUPPLEMENT_REASON_MAX = 500 };

/* The reason then the items, one a line, as stored in the event's note; NULL and *error
 * when the form is not acceptable. */
static const char *supplement_note(struct request *r, const char **error)
{
	const char *reason = text_clean(r->arena, form_value(r, "reason"),
						SUPPLEMENT_REASON_MAX, false);
	if (reason == NULL || *reason == '\0') {
		*error = "Vui lòng ghi lý do yêu cầu bổ sung (tối đa 500 ký tự).";
		return NULL;
	}
	const char *items = form_value(r, "items");
	if (strlen(items) > SUPPLEMENT_ITEMS_MAX * SUPPLEMENT_ITEM_MAX * 4) {
		*error = "Danh sách giấy tờ cần bổ sung quá dài.";
		return NULL;
	}
	const char *note = reason;
	size_t count = 0;
	const char *p = items;
	while (*p != '\0') {
		const char *end = strchr(p, '\n');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		char *line = arena_strndup(r->arena, p, n);
		if (line == NULL)
			return NULL;
		const char *clean = text_clean(r->arena, line, SUPPLEMENT_ITEM_MAX, false);
		if (clean == NULL) {
			*error = "Mỗi giấy tờ cần bổ sung ghi trên một dòng, tối đa 300 ký tự.";
			return NULL;
		}
		if (*clean != '\0') {
			if (++count > SUPPLEMENT_ITEMS_MAX) {
				*error = "Tối đa 30 giấy tờ cần bổ sung.";
				return NULL;
			}
			note = arena_printf(r->arena, "%s\n%s", note, clean);
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	if (count == 0) {
		*error = "Vui lòng ghi các giấy tờ cần bổ sung, hoàn thiện (mỗi giấy tờ một dòng).";
		return NULL;
	}
	return note;
}

enum status dossier_admin_supplement_request(struct request *r)
{
	if (!may_request_supplement(r))
		return STATUS_FORBIDDEN;
	struct dossier d;
	struct onestop_version v;
	enum status st = load(r, &d, &v);
	if (st)
		return st;
	const char *error = NULL;
	const char *note = supplement_note(r, &error);
	if (note == NULL)
		return error != NULL ? show_dossier(r, error) : STATUS_TOO_LARGE;
	struct audit_actor actor = actor_of(r);
	st = dossier_request_supplement(r->db, r->calendar, r->unit_id, d.code, r->user->role,
					note, &actor, r->now);
	if (st)
		return st;
	/* The note is the reason, then the items one a line. */
	const char *nl = strchr(note, '\n');
	const char *list = "";
	for (const char *p = nl; p != NULL; ) {
		const char *next = strchr(p + 1, '\n');
		size_t n = next != NULL ? (size_t)(next - p - 1) : strlen(p + 1);
		list = arena_printf(r->arena, "%s\n- %.*s", list, (int)n, p + 1);
		p = next;
		if (list == NULL)
			break;
	}
	if (nl != NULL && list != NULL)
		notify(r, d.code, arena_printf(r->arena, "Hồ sơ %s cần bổ sung, hoàn thiện",
						d.code),
		       arena_printf(r->arena, "Hồ sơ của ông/bà cần bổ sung, hoàn thiện các giấy "
				    "tờ sau:%s\n\nLý do: %.*s\n\nThời hạn giải quyết tạm dừng cho "
				    "đến khi nhận đủ hồ sơ bổ sung.", list, (int)(nl - note), note));
	request_redirect(r, 303, arena_printf(r->arena, "/quan-tri/ho-so/%s/phieu-bo-sung",
					      d.code));
	return STATUS_OK;
}

enum status dossier_admin_supplement_receive(struct request *r)
{
	if (!auth_allows(r->user, PERM_DOSSIER_INTAKE))
		return STATUS_FORBIDDEN;
	if (!dossier_code_valid(r->path_params[0]))
		return STATUS_NOT_FOUND;
	struct audit_actor actor = actor_of(r);
	enum status st = dossier_receive_supplement(r->db, r->calendar, r->unit_id,
						    r->path_params[0], r->user->role, &actor, r->now);
	if (st)
		return st;
	request_redirect(r, 303, arena_printf(r->arena, "/quan-tri/ho-so/%s/bien-nhan",
					      r->path_params[0]));
	return STATUS_OK;
}

enum status dossier_admin_supplement_print(struct request *r)
{
	json_t *model;
	const char *note, *p;
	int64_t at;
	enum status st = event_form_model(r, "supplement_request", &model, &note, &at);
	if (st)
		return st;
	/* The reason, then the items one a line (dossier_request_supplement). */
	const char *reason = first_line(r, note, &p);
	json_t *items = json_array();
	for (size_t number = 1; p != NULL; number++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		json_array_append_new(items, json_pack("{s:I, s:s%}", "number", (json_int_t)number,
						       "text", p, n));
		p = nl != NULL ? nl + 1 : NULL;
	}
	json_object_set_new(model, "supplement", json_pack("{s:s, s:o, s:s}",
		"reason", reason, "items", items,
		"requested_words", dossier_time_words(r->arena, at)));
	return print_model(r, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", model,
			   "onestop/dossier_supplement");
}

/* ---- online submission ---- */

/* The active procedure of the path when its online level lets a citizen submit. */
static enum status online_procedure(struct request *r, struct onestop_procedure *p)
{
	enum status st = onestop_get(r->db, r->arena, r->unit_id, r->path_params[0], true, p);
	if (st)
		return st;
	const char *level = p->current.content.online_level;
	return strcmp(level, "toan_trinh") == 0 || strcmp(level, "mot_phan") == 0
		? STATUS_OK : STATUS_NOT_FOUND;
}

static enum status show_online(struct request *r, const struct onestop_procedure *p,
			       const char *error)
{
	char token[65];
	auth_random_token(token);
	bool again = error != NULL;
	const char *typed = form_value(r, "token");
	request_view(r, "onestop/dossier_online", json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:s, s:s?, s:{s:s, s:s, s:s, s:s, s:s}, s:o}",
		"page_title", "Nộp hồ sơ trực tuyến", "procedure", "code", p->code,
		"name", p->current.content.name,
		"legal_time", onestop_time_words(r->arena, &p->current.content.legal),
		"token", again && auth_token_valid(typed) ? typed : token, "error", error,
		"form", "name", again ? form_value(r, "name") : "",
		"id_number", again ? form_value(r, "id_number") : "",
		"address", again ? form_value(r, "address") : "",
		"phone", again ? form_value(r, "phone") : "",
		"email", again ? form_value(r, "email") : "",
		"deliveries", delivery_options(again ? form_value(r, "delivery") : "online")));
	if (again)
		r->status = 422;
	return STATUS_OK;
}

enum status dossier_page_online_form(struct request *r)
{
	struct onestop_procedure p;
	enum status st = online_procedure(r, &p);
	return st ? st : show_online(r, &p, NULL);
}

/* The answer to a submission: the code and the appointment (the same for a repeat). */
static enum status show_submitted(struct request *r, const char *code)
{
	struct dossier d;
	enum status st = dossier_get(r->db, r->arena, r->unit_id, code, &d);
	if (st)
		return st;
	request_view(r, "onestop/dossier_submitted", json_pack("{s:s, s:s, s:s, s:s}",
		"page_title", "Đã nhận hồ sơ trực tuyến", "code", d.code,
		"due_words", dossier_time_words(r->arena, d.due_at),
		"received_words", dossier_time_words(r->arena, d.received_at)));
	return STATUS_OK;
}

enum status dossier_page_online_submit(struct request *r)
{
	struct onestop_procedure p;
	enum status st = online_procedure(r, &p);
	if (st)
		return st;
	const char *token = form_value(r, "token");
	if (!auth_token_valid(token))
		return show_online(r, &p, "Biểu mẫu đã cũ. Vui lòng nhập lại và gửi.");
	const char *code;
	/* A repeat (double click, retry after a timeout) answers with the first dossier. */
	st = dossier_by_key(r->db, r->arena, r->unit_id, token, &code);
	if (st == STATUS_OK)
		return show_submitted(r, code);
	if (st != STATUS_NOT_FOUND)
		return st;
	struct dossier_applicant who = { form_value(r, "name"), form_value(r, "id_number"),
		form_value(r, "address"), form_value(r, "phone"), form_value(r, "email") };
	const char *error = dossier_applicant_check(r->arena, &who);
	const char *delivery = form_value(r, "delivery");
	if (error == NULL && !dossier_delivery_valid(delivery))
		error = "Vui lòng chọn cách nhận kết quả.";
	struct dossier_attachment files[HTTP_MAX_FILES];
	size_t nfiles = 0;
	for (size_t i = 0; error == NULL && i < r->file_count; i++) {
		const struct http_file *f = &r->files[i];
		if (f->data.len == 0)
			continue; /* a file field left empty */
		if (strcmp(f->field, "tep") != 0 || nfiles == DOSSIER_FILES_MAX) {
			error = "Mỗi hồ sơ gửi kèm tối đa 5 tệp.";
			break;
		}
		const char *mime;
		enum status fst = dossier_file_check(f->data.data, f->data.len, &mime);
		if (fst == STATUS_TOO_LARGE) {
			error = "Mỗi tệp đính kèm không quá 5 MB.";
		} else if (fst) {
			error = "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp).";
		} else {
			const char *name = text_clean(r->arena, f->filename,
							      DOSSIER_FILE_NAME_MAX, false);
			if (name == NULL || *name == '\0')
				name = "tep-dinh-kem";
			files[nfiles++] = (struct dossier_attachment){ name, mime, f->data.data,
								       f->data.len };
		}
	}
	if (error != NULL)
		return show_online(r, &p, error);
	int64_t bytes = 0;
	for (size_t i = 0; i < nfiles; i++)
		bytes += (int64_t)files[i].len;
	enum dossier_quota quota;
	st = dossier_submission_allowed(r->db, r->unit_id, request_client_ip(r), bytes, r->now,
					&quota);
	if (st)
		return st;
	if (quota != DOSSIER_QUOTA_OK) {
		/* Nothing is stored: the citizen tries later or comes to the counter. */
		show_online(r, &p, quota == DOSSIER_QUOTA_ADDRESS ? SUBMIT_TOO_MANY : SUBMIT_TOO_MUCH);
		r->status = 429;
		request_add_header(r, "Retry-After", SUBMIT_RETRY_AFTER);
		return STATUS_OK;
	}
	const struct onestop_content *c = &p.current.content;
	int64_t due, promise = 0;
	if (dossier_due(r->calendar, &c->legal, r->now, &due) != STATUS_OK ||
	    (c->promise.kind != ONESTOP_TIME_NONE &&
	     dossier_due(r->calendar, &c->promise, r->now, &promise) != STATUS_OK))
		return STATUS_INTERNAL;
	struct dossier_new in = {
		.procedure_id = p.id, .procedure_version_id = p.current.id, .channel = "online",
		.applicant = who, .documents = "[]", .sets = 1, .received_at = r->now,
		.due_at = due, .promise_due_at = promise, .delivery = delivery,
		.idempotency_key = token, .role = "", .files = files, .file_count = nfiles,
	};
	struct audit_actor actor = { .user_id = 0, .name = "online" };
	st = dossier_create(r->db, r->arena, r->unit_id, &in, &actor, r->now, &code);
	if (st == STATUS_CONFLICT) {
		/* The same token committed by a concurrent request: answer with its dossier. */
		st = dossier_by_key(r->db, r->arena, r->unit_id, token, &code);
	}
	if (st)
		return st;
	r->status = 201;
	return show_submitted(r, code);
}

/* ---- public lookup ---- */

enum status dossier_page_lookup(struct request *r)
{
	const char *code = request_query(r, "ma"), *last4 = request_query(r, "sdt");
	json_t *model = json_pack("{s:s, s:s, s:s}", "page_title", "Tra cứu hồ sơ",
				  "ma", code != NULL ? code : "", "sdt", last4 != NULL ? last4 : "");
	if (code == NULL && last4 == NULL) {
		request_view(r, "onestop/dossier_lookup", model);
		return STATUS_OK;
	}
	bool allowed;
	enum status st = dossier_lookup_allowed(r->db, r->unit_id, request_client_ip(r), r->now,
						&allowed);
	if (st) {
		json_decref(model);
		return st;
	}
	if (!allowed) {
		json_decref(model);
		r->status = 429;
		request_add_header(r, "Retry-After", "600");
		request_view(r, "onestop/dossier_lookup", json_pack("{s:s, s:s}", "page_title",
			"Tra cứu hồ sơ", "error", "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau "
			"ít phút."));
		return STATUS_OK;
	}
	struct dossier d;
	struct onestop_version v;
	st = STATUS_NOT_FOUND;
	if (code != NULL && dossier_code_valid(code)) {
		r->path_params[0] = code;
		st = load(r, &d, &v);
		if (st == STATUS_OK && !dossier_phone_matches(d.applicant.phone, last4))
			st = STATUS_NOT_FOUND;
	}
	if (st == STATUS_NOT_FOUND) {
		r->status = 404;
		json_object_set_new(model, "not_found", json_true());
		request_view(r, "onestop/dossier_lookup", model);
		return STATUS_OK;
	}
	if (st) {
		json_decref(model);
		return st;
	}
	json_t *events;
	if ((st = dossier_events(r->db, r->unit_id, d.id, &events)) != STATUS_OK) {
		json_decref(model);
		return st;
	}
	json_t *found = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "code", d.code,
		"status_label", dossier_status_label(d.status), "procedure", v.content.name,
		"received", short_time(r, d.received_at), "due", short_time(r, d.due_at),
		"history", events_model(r, events, false));
	if (d.promise_due_at > 0)
		json_object_set_new(found, "promise", json_string(short_time(r, d.promise_due_at)));
	if (d.extended_due_at > 0)
		json_object_set_new(found, "extended", json_string(short_time(r, d.extended_due_at)));
	json_object_set_new(model, "dossier", found);
	if ((st = rating_add_offer(r, found, &d, last4)) != STATUS_OK) {
		json_decref(model);
		return st;
	}
	request_view(r, "onestop/dossier_lookup", model);
	return STATUS_OK;
}
