/* onestop_admin.c: the back office of the procedure catalogue: list, new, edit (a new version), stop, versions */
#include "onestop/onestop_pages.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "base/num.h"
#include "http/request.h"
#include "onestop/onestop.h"
#include "worktime/clock.h"

#include <string.h>

/* The editor's fields as typed, kept to show them again next to a message. */
struct procedure_form {
	const char *code, *documents, *fee_amount, *legal_kind, *legal_amount;
	const char *promise_kind, *promise_amount;
	struct onestop_content content; /* the text fields; documents as typed */
};

static struct audit_actor actor_of(const struct request *r)
{
	return (struct audit_actor){ .user_id = r->user->id, .name = r->user->username };
}

static const char *form_value(const struct request *r, const char *name)
{
	const char *v = request_form(r, name);
	return v != NULL ? v : "";
}

static const char *admin_url(struct request *r, const char *code)
{
	return arena_printf(r->arena, "/quan-tri/thu-tuc/%s", code);
}

/* ---- the editor ---- */

static json_t *options(const char *const (*choices)[2], size_t n, const char *selected)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", choices[i][0],
			"label", choices[i][1], "selected", strcmp(choices[i][0], selected) == 0));
	return arr;
}

static json_t *time_options(const char *selected, bool with_none)
{
	static const char *const kinds[][2] = {
		{ "", "Không có cam kết riêng" },
		{ "working_days", "Ngày làm việc" },
		{ "working_hours", "Giờ làm việc" },
		{ "same_day", "Trong ngày (nhận sau 15 giờ trả ngày làm việc tiếp theo)" },
	};
	return with_none ? options(kinds, 4, selected) : options(kinds + 1, 3, selected);
}

static json_t *online_options(const char *selected)
{
	static const char *const levels[][2] = {
		{ "toan_trinh", "Toàn trình" },
		{ "mot_phan", "Một phần" },
		{ "truc_tiep", "Trực tiếp (chưa có dịch vụ trực tuyến)" },
	};
	return options(levels, 3, selected);
}

/* The editor's form values of a stored version. */
static struct procedure_form form_of(struct request *r, const char *code,
				     const struct onestop_content *c)
{
	struct procedure_form f = {
		.code = code, .documents = onestop_documents_lines(r->arena, c->documents),
		.fee_amount = c->fee_amount >= 0
			? arena_printf(r->arena, "%lld", (long long)c->fee_amount) : "",
		.legal_kind = onestop_time_kind_name(c->legal.kind),
		.legal_amount = c->legal.amount > 0
			? arena_printf(r->arena, "%lld", (long long)c->legal.amount) : "",
		.promise_kind = c->promise.kind != ONESTOP_TIME_NONE
			? onestop_time_kind_name(c->promise.kind) : "",
		.promise_amount = c->promise.amount > 0
			? arena_printf(r->arena, "%lld", (long long)c->promise.amount) : "",
		.content = *c,
	};
	return f;
}

/* Shows the editor; p is NULL for a new procedure. */
static enum status show_editor(struct request *r, const struct onestop_procedure *p,
			       const struct procedure_form *f, const char *error)
{
	const struct onestop_content *c = &f->content;
	json_t *form = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
				 " s:s, s:s, s:s, s:s}",
		"code", f->code ? f->code : "", "name", c->name, "field", c->field,
		"national_code", c->national_code, "legal_basis", c->legal_basis,
		"basis_document", c->basis_document, "basis_effective", c->basis_effective,
		"documents", f->documents, "fee_text", c->fee_text, "fee_amount", f->fee_amount,
		"legal_amount", f->legal_amount, "promise_amount", f->promise_amount,
		"time_note", c->time_note, "result", c->result, "office", c->office, "note", c->note);
	if (form == NULL)
		return STATUS_INTERNAL;
	json_object_set_new(form, "legal_kinds", time_options(f->legal_kind, false));
	json_object_set_new(form, "promise_kinds", time_options(f->promise_kind, true));
	json_object_set_new(form, "online_levels", online_options(c->online_level));
	json_t *model = json_pack("{s:s, s:o, s:s?}", "page_title",
				  p != NULL ? "Sửa thủ tục" : "Thêm thủ tục", "form", form,
				  "error", error);
	if (p != NULL) {
		char saved[32];
		clock_format_vi_short(p->current.saved_at, saved, sizeof saved);
		json_object_set_new(model, "procedure", json_pack("{s:s, s:s, s:I, s:s, s:s, s:b, s:s}",
			"code", p->code, "name", p->current.content.name,
			"version", (json_int_t)p->current.version, "saved_at", saved,
			"saved_by", p->current.saved_by, "is_active", p->is_active,
			"public_url", arena_printf(r->arena, "/thu-tuc/%s", p->code)));
	}
	if (error != NULL)
		r->status = 422;
	request_view(r, "onestop/edit", model);
	return STATUS_OK;
}

/* A number field: "" is `empty`; dots, commas and spaces between digits are allowed
 * ("8.000"). False when it is not a number in [min, max]. */
static bool parse_amount(struct request *r, const char *text, int64_t empty, int64_t max,
			 int64_t *out)
{
	char *digits = arena_strdup(r->arena, text);
	if (digits == NULL || strlen(digits) > 32)
		return false;
	size_t n = 0;
	for (const char *p = text; *p; p++)
		if (*p != '.' && *p != ',' && *p != ' ')
			digits[n++] = *p;
	digits[n] = '\0';
	if (n == 0) {
		*out = empty;
		return true;
	}
	return num_parse_int64(digits, 0, max, out);
}

/* Reads the editor's form into *f and a checked copy into *in. NULL when acceptable,
 * else a Vietnamese message. */
static const char *read_form(struct request *r, struct procedure_form *f,
			     struct onestop_content *in)
{
	*f = (struct procedure_form){
		.code = form_value(r, "code"), .documents = form_value(r, "documents"),
		.fee_amount = form_value(r, "fee_amount"), .legal_kind = form_value(r, "legal_kind"),
		.legal_amount = form_value(r, "legal_amount"),
		.promise_kind = form_value(r, "promise_kind"),
		.promise_amount = form_value(r, "promise_amount"),
		.content = {
			.name = form_value(r, "name"), .field = form_value(r, "field"),
			.national_code = form_value(r, "national_code"),
			.legal_basis = form_value(r, "legal_basis"),
			.basis_document = form_value(r, "basis_document"),
			.basis_effective = form_value(r, "basis_effective"),
			.documents = form_value(r, "documents"), .fee_text = form_value(r, "fee_text"),
			.time_note = form_value(r, "time_note"), .result = form_value(r, "result"),
			.online_level = form_value(r, "online_level"), .office = form_value(r, "office"),
			.note = form_value(r, "note"),
		},
	};
	*in = f->content;
	in->legal.kind = onestop_time_kind_of(f->legal_kind);
	in->promise.kind = onestop_time_kind_of(f->promise_kind);
	if (!parse_amount(r, f->fee_amount, -1, ONESTOP_FEE_MAX, &in->fee_amount))
		return "Mức phí, lệ phí phải là số tiền (đồng), ví dụ 8000; để trống nếu không có "
		       "một mức cố định.";
	if (!parse_amount(r, f->legal_amount, 0, DUE_MAX_WORKING_HOURS, &in->legal.amount))
		return "Thời hạn giải quyết phải là một số.";
	if (!parse_amount(r, f->promise_amount, 0, DUE_MAX_WORKING_HOURS, &in->promise.amount))
		return "Thời hạn cam kết phải là một số.";
	return onestop_content_check(r->arena, in);
}

/* After a change, back to the procedure's editor (303: a reload does not repeat it). */
static enum status back_to_editor(struct request *r, const char *code)
{
	request_redirect(r, 303, admin_url(r, code));
	return STATUS_OK;
}

/* ---- pages ---- */

enum status onestop_admin_list(struct request *r)
{
	struct onestop_procedure *list;
	size_t n;
	enum status st = onestop_list(r->db, r->arena, r->unit_id, false, &list, &n);
	if (st)
		return st;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		char updated[32];
		clock_format_vi_short(list[i].updated_at, updated, sizeof updated);
		const struct onestop_content *c = &list[i].current.content;
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:s, s:s}",
			"code", list[i].code, "url", admin_url(r, list[i].code), "name", c->name,
			"field", c->field, "version", (json_int_t)list[i].current.version,
			"is_active", list[i].is_active,
			"legal_time", onestop_time_words(r->arena, &c->legal), "updated_at", updated));
	}
	request_view(r, "onestop/admin_list", json_pack("{s:s, s:o, s:I}", "page_title",
		"Thủ tục hành chính", "procedures", rows, "total", (json_int_t)n));
	return STATUS_OK;
}

enum status onestop_admin_new(struct request *r)
{
	struct procedure_form f = {
		.code = "", .documents = "", .fee_amount = "0", .legal_kind = "working_days",
		.legal_amount = "", .promise_kind = "", .promise_amount = "",
		.content = { .name = "", .field = "", .national_code = "", .legal_basis = "",
			     .basis_document = "", .basis_effective = "", .fee_text = "",
			     .time_note = "", .result = "", .online_level = "mot_phan",
			     .office = "Ủy ban nhân dân cấp xã", .note = "" },
	};
	return show_editor(r, NULL, &f, NULL);
}

enum status onestop_admin_create(struct request *r)
{
	struct procedure_form f;
	struct onestop_content in;
	const char *error = read_form(r, &f, &in);
	const char *code = NULL;
	if (error == NULL)
		error = onestop_code_check(r->arena, f.code, in.name, &code);
	if (error != NULL)
		return show_editor(r, NULL, &f, error);
	struct audit_actor actor = actor_of(r);
	enum status st = onestop_create(r->db, r->arena, r->unit_id, code, &in, &actor, r->now,
					NULL);
	if (st == STATUS_CONFLICT)
		return show_editor(r, NULL, &f, "Mã thủ tục này đã có; hãy chọn mã khác.");
	if (st)
		return st;
	return back_to_editor(r, code);
}

enum status onestop_admin_edit(struct request *r)
{
	struct onestop_procedure p;
	enum status st = onestop_get(r->db, r->arena, r->unit_id, r->path_params[0], false, &p);
	if (st)
		return st;
	struct procedure_form f = form_of(r, p.code, &p.current.content);
	return show_editor(r, &p, &f, NULL);
}

enum status onestop_admin_save(struct request *r)
{
	struct onestop_procedure p;
	enum status st = onestop_get(r->db, r->arena, r->unit_id, r->path_params[0], false, &p);
	if (st)
		return st;
	struct procedure_form f;
	struct onestop_content in;
	const char *error = read_form(r, &f, &in);
	f.code = p.code; /* a code is for good: dossiers and links use it */
	if (error != NULL)
		return show_editor(r, &p, &f, error);
	struct audit_actor actor = actor_of(r);
	bool added;
	st = onestop_update(r->db, r->arena, r->unit_id, p.code, &in, &actor, r->now, &added);
	if (st)
		return st;
	return back_to_editor(r, p.code);
}

static enum status set_active(struct request *r, bool is_active)
{
	const char *code = r->path_params[0];
	struct audit_actor actor = actor_of(r);
	enum status st = onestop_set_active(r->db, r->arena, r->unit_id, code, is_active, &actor,
					    r->now);
	if (st)
		return st;
	return back_to_editor(r, code);
}

enum status onestop_admin_deactivate(struct request *r)
{
	return set_active(r, false);
}

enum status onestop_admin_activate(struct request *r)
{
	return set_active(r, true);
}

enum status onestop_admin_versions(struct request *r)
{
	struct onestop_procedure p;
	enum status st = onestop_get(r->db, r->arena, r->unit_id, r->path_params[0], false, &p);
	if (st)
		return st;
	struct onestop_version *list;
	size_t n;
	st = onestop_versions(r->db, r->arena, r->unit_id, p.code, &list, &n);
	if (st)
		return st;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		char saved[32];
		clock_format_vi_short(list[i].saved_at, saved, sizeof saved);
		const struct onestop_content *c = &list[i].content;
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
			"version", (json_int_t)list[i].version, "name", c->name, "saved_at", saved,
			"saved_by", list[i].saved_by,
			"legal_time", onestop_time_words(r->arena, &c->legal),
			"fee", onestop_fee_words(r->arena, c->fee_text, c->fee_amount),
			"is_current", list[i].id == p.current.id,
			"url", arena_printf(r->arena, "/quan-tri/thu-tuc/%s/phien-ban/%lld", p.code,
					    (long long)list[i].version)));
	}
	request_view(r, "onestop/versions", json_pack("{s:s, s:{s:s, s:s, s:s}, s:o}",
		"page_title", "Các phiên bản của thủ tục", "procedure", "code", p.code,
		"name", p.current.content.name, "url", admin_url(r, p.code), "versions", rows));
	return STATUS_OK;
}

enum status onestop_admin_version(struct request *r)
{
	int64_t number;
	if (!num_parse_int64(r->path_params[1], 1, INT64_MAX, &number))
		return STATUS_NOT_FOUND;
	struct onestop_procedure p;
	enum status st = onestop_get(r->db, r->arena, r->unit_id, r->path_params[0], false, &p);
	if (st)
		return st;
	struct onestop_version v;
	st = onestop_version_get(r->db, r->arena, r->unit_id, p.code, number, &v);
	if (st)
		return st;
	json_t *procedure = onestop_version_model(r, p.code, &v);
	if (procedure == NULL)
		return STATUS_INTERNAL;
	/* Staff only: the public model names no account. */
	json_object_set_new(procedure, "saved_by", json_string(v.saved_by));
	json_object_set_new(procedure, "is_current", json_boolean(v.id == p.current.id));
	json_object_set_new(procedure, "admin_url", json_string(admin_url(r, p.code)));
	request_view(r, "onestop/version", json_pack("{s:s, s:o}", "page_title",
						     "Phiên bản của thủ tục", "procedure", procedure));
	return STATUS_OK;
}
