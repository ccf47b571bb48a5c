/* onestop_pages.c: the public catalogue of administrative procedures: list by field, search, one procedure */
#include "onestop/onestop_pages.h"

#include "base/arena.h"
#include "base/utf8.h"
#include "http/request.h"
#include "onestop/onestop.h"
#include "text/text.h"
#include "worktime/clock.h"

#include <string.h>

enum {
	FIELD_SLUG_MAX = 80,
};

static const char *procedure_url(struct request *r, const char *code)
{
	return arena_printf(r->arena, "/thu-tuc/%s", code);
}

static const char *field_slug(struct request *r, const char *field)
{
	const char *slug = text_slug(r->arena, field, strlen(field), FIELD_SLUG_MAX);
	return slug != NULL ? slug : "";
}

static const char *field_url(struct request *r, const char *field)
{
	return arena_printf(r->arena, "/thu-tuc?linh-vuc=%s", field_slug(r, field));
}

/* "2015-04-10" as Vietnamese readers write it, "10/04/2015"; "" stays "". */
static const char *date_vi(struct request *r, const char *iso)
{
	int y, m, d;
	if (iso == NULL || !clock_parse_date(iso, &y, &m, &d))
		return "";
	return arena_printf(r->arena, "%02d/%02d/%04d", d, m, y);
}

static json_t *time_model(struct request *r, const struct onestop_time *t)
{
	return json_pack("{s:s, s:s, s:I, s:b}", "words", onestop_time_words(r->arena, t),
			 "kind", onestop_time_kind_name(t->kind), "amount", (json_int_t)t->amount,
			 "is_same_day", t->kind == ONESTOP_SAME_DAY);
}

/* What a list row shows of a procedure. */
static json_t *summary_model(struct request *r, const struct onestop_procedure *p)
{
	const struct onestop_content *c = &p->current.content;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s}",
		"code", p->code, "url", procedure_url(r, p->code), "name", c->name,
		"field", c->field, "national_code", c->national_code,
		"legal_time", time_model(r, &c->legal),
		"fee", onestop_fee_words(r->arena, c->fee_text, c->fee_amount),
		"online_level", c->online_level, "online_label", onestop_online_label(c->online_level));
	if (c->promise.kind != ONESTOP_TIME_NONE)
		json_object_set_new(o, "promise", time_model(r, &c->promise));
	return o;
}

json_t *onestop_version_model(struct request *r, const char *code, const struct onestop_version *v)
{
	const struct onestop_content *c = &v->content;
	char saved[32];
	clock_format_vi_short(v->saved_at, saved, sizeof saved);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:s, s:o}",
		"code", code, "url", procedure_url(r, code), "name", c->name, "field", c->field,
		"field_url", field_url(r, c->field), "national_code", c->national_code,
		"version", (json_int_t)v->version, "saved_at", saved,
		"legal_time", time_model(r, &c->legal), "time_note", c->time_note,
		"documents", onestop_documents_array(c->documents));
	if (o == NULL)
		return NULL;
	if (c->promise.kind != ONESTOP_TIME_NONE)
		json_object_set_new(o, "promise", time_model(r, &c->promise));
	json_object_set_new(o, "fee", json_string(onestop_fee_words(r->arena, c->fee_text,
								    c->fee_amount)));
	json_object_set_new(o, "fee_amount", c->fee_amount >= 0 ? json_integer(c->fee_amount)
								: json_null());
	json_t *more = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		"result", c->result, "online_level", c->online_level,
		"online_label", onestop_online_label(c->online_level), "office", c->office,
		"legal_basis", c->legal_basis, "basis_document", c->basis_document,
		"basis_effective", c->basis_effective,
		"basis_effective_vi", date_vi(r, c->basis_effective), "note", c->note);
	json_object_update(o, more);
	json_decref(more);
	if (strcmp(c->online_level, "toan_trinh") == 0 || strcmp(c->online_level, "mot_phan") == 0)
		json_object_set_new(o, "online_url", json_string(arena_printf(r->arena,
			"/thu-tuc/%s/nop-truc-tuyen", code)));
	return o;
}

/* ---- the catalogue ---- */

/* The procedures of list in groups by field, in the order they come. */
static json_t *group_by_field(struct request *r, const struct onestop_procedure *list, size_t n)
{
	json_t *groups = json_array(), *group = NULL;
	const char *current = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *field = list[i].current.content.field;
		if (current == NULL || strcmp(current, field) != 0) {
			/* A search ranks by relevance, so a field may come back: find its group. */
			group = NULL;
			size_t k;
			json_t *g;
			json_array_foreach(groups, k, g)
				if (strcmp(json_string_value(json_object_get(g, "name")), field) == 0)
					group = g;
			if (group == NULL) {
				group = json_pack("{s:s, s:s, s:[]}", "name", field, "slug",
						  field_slug(r, field), "procedures");
				json_array_append_new(groups, group);
			}
			current = field;
		}
		json_array_append_new(json_object_get(group, "procedures"), summary_model(r, &list[i]));
	}
	return groups;
}

/* The fields of the catalogue for the filter, with how many procedures each has. */
static json_t *field_options(struct request *r, const struct onestop_procedure *list, size_t n,
			     const char *selected)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *field = list[i].current.content.field;
		if (i > 0 && strcmp(list[i - 1].current.content.field, field) == 0) {
			json_t *last = json_array_get(fields, json_array_size(fields) - 1);
			json_object_set_new(last, "count", json_integer(
				json_integer_value(json_object_get(last, "count")) + 1));
			continue;
		}
		const char *slug = field_slug(r, field);
		json_array_append_new(fields, json_pack("{s:s, s:s, s:i, s:b}", "name", field,
			"slug", slug, "count", 1, "selected", strcmp(slug, selected) == 0));
	}
	return fields;
}

/* Keeps in list only the procedures of the field whose slug is wanted; returns the count. */
static size_t keep_field(struct request *r, struct onestop_procedure *list, size_t n,
			 const char *wanted)
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(field_slug(r, list[i].current.content.field), wanted) == 0)
			list[kept++] = list[i];
	return kept;
}

enum status onestop_page_list(struct request *r)
{
	const char *typed = request_query(r, "q"), *wanted = request_query(r, "linh-vuc");
	typed = typed != NULL ? typed : "";
	wanted = wanted != NULL ? wanted : "";
	if (utf8_length(typed, strlen(typed)) > ONESTOP_SEARCH_QUERY_MAX ||
	    strlen(wanted) > FIELD_SLUG_MAX)
		return STATUS_INVALID;
	struct onestop_procedure *all;
	size_t nall;
	enum status st = onestop_list(r->db, r->arena, r->unit_id, true, &all, &nall);
	if (st)
		return st;
	struct onestop_procedure *list = all;
	size_t n = nall;
	const char *query = onestop_search_query(r->arena, typed);
	if (query != NULL) {
		st = onestop_search(r->db, r->arena, r->unit_id, query, &list, &n);
		if (st)
			return st;
	} else if (*typed != '\0') {
		n = 0; /* only signs typed: nothing to find */
	}
	if (*wanted != '\0') {
		if (list == all) { /* filter a copy: the field options come from the whole list */
			list = arena_alloc(r->arena, sizeof *list * (n > 0 ? n : 1));
			if (list == NULL)
				return STATUS_TOO_LARGE;
			memcpy(list, all, sizeof *list * n);
		}
		n = keep_field(r, list, n, wanted);
	}
	json_t *model = json_pack("{s:s, s:s, s:s, s:b, s:I, s:o, s:o}",
		"page_title", "Thủ tục hành chính", "q", typed, "field", wanted,
		"searched", *typed != '\0' || *wanted != '\0', "total", (json_int_t)n,
		"fields", field_options(r, all, nall, wanted), "groups", group_by_field(r, list, n));
	request_view(r, "onestop/list", model);
	return STATUS_OK;
}

enum status onestop_page_show(struct request *r)
{
	const char *code = r->path_params[0];
	if (!onestop_code_valid(code))
		return STATUS_NOT_FOUND;
	struct onestop_procedure p;
	enum status st = onestop_get(r->db, r->arena, r->unit_id, code, true, &p);
	if (st)
		return st;
	json_t *procedure = onestop_version_model(r, p.code, &p.current);
	if (procedure == NULL)
		return STATUS_INTERNAL;
	const struct onestop_content *c = &p.current.content;
	const char *description = arena_printf(r->arena, "%s. Thời hạn giải quyết: %s. Phí, lệ phí: %s.",
		c->field, onestop_time_words(r->arena, &c->legal),
		onestop_fee_words(r->arena, c->fee_text, c->fee_amount));
	json_t *model = json_pack("{s:s, s:o, s:s, s:{s:s, s:s, s:s, s:s}}",
		"page_title", c->name, "procedure", procedure, "back_url", "/thu-tuc",
		"og", "type", "website", "title", c->name, "description",
		description != NULL ? description : c->name, "url", procedure_url(r, p.code));
	request_view(r, "onestop/show", model);
	return STATUS_OK;
}
