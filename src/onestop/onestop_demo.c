/* onestop_demo.c: the demo catalogue: common commune procedures read from data/demo/procedures.json */
#include "onestop/onestop.h"

#include "audit/audit.h"
#include "base/arena.h"
#include "base/log.h"

#include <stdlib.h>
#include <string.h>

enum { DEMO_PROCEDURES_MAX = 500 };

static const char *string_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s != NULL ? s : "";
}

/* {"kind": "working_days", "amount": 3}; null or absent is no time. */
static struct onestop_time time_of(json_t *o)
{
	return (struct onestop_time){
		onestop_time_kind_of(json_string_value(json_object_get(o, "kind"))),
		json_integer_value(json_object_get(o, "amount")),
	};
}

/* The content of one item; documents as JSON text in the arena (checked later). */
static bool content_of(struct arena *a, json_t *item, struct onestop_content *out)
{
	json_t *fee = json_object_get(item, "fee_amount");
	char *docs = json_dumps(json_object_get(item, "documents"), JSON_COMPACT);
	*out = (struct onestop_content){
		.name = string_of(item, "name"), .field = string_of(item, "field"),
		.national_code = string_of(item, "national_code"),
		.legal_basis = string_of(item, "legal_basis"),
		.basis_document = string_of(item, "basis_document"),
		.basis_effective = string_of(item, "basis_effective"),
		.documents = docs != NULL ? arena_strdup(a, docs) : NULL,
		.fee_text = string_of(item, "fee_text"),
		.fee_amount = json_is_integer(fee) ? json_integer_value(fee) : -1,
		.legal = time_of(json_object_get(item, "legal_time")),
		.promise = time_of(json_object_get(item, "promise")),
		.time_note = string_of(item, "time_note"), .result = string_of(item, "result"),
		.online_level = string_of(item, "online_level"), .office = string_of(item, "office"),
		.note = string_of(item, "note"),
	};
	free(docs);
	return out->documents != NULL;
}

static enum status load_one(struct db_conn *c, struct arena *a, int64_t unit_id, json_t *item,
			    const struct audit_actor *actor, int64_t now)
{
	struct onestop_content in;
	const char *code = NULL;
	const char *problem = content_of(a, item, &in) ? NULL : "no documents";
	if (problem == NULL)
		problem = onestop_content_check(a, &in);
	if (problem == NULL)
		problem = onestop_code_check(a, string_of(item, "code"), in.name, &code);
	if (problem != NULL) {
		log_error("demo procedure '%s': %s", string_of(item, "code"), problem);
		return STATUS_INVALID;
	}
	return onestop_create(c, a, unit_id, code, &in, actor, now, NULL);
}

enum status onestop_demo_load(struct db_conn *c, int64_t unit_id, const char *path, int64_t now)
{
	json_error_t error;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
	json_t *items = json_object_get(root, "procedures");
	if (!json_is_array(items) || json_array_size(items) > DEMO_PROCEDURES_MAX) {
		if (root == NULL)
			log_error("cannot read the demo procedures '%s': %s (line %d)", path, error.text,
				  error.line);
		else
			log_error("demo procedures '%s': no \"procedures\" list", path);
		json_decref(root);
		return STATUS_INVALID;
	}
	struct arena *a = arena_new((size_t)16 * 1024 * 1024);
	if (a == NULL) {
		json_decref(root);
		return STATUS_INTERNAL;
	}
	struct audit_actor actor = { .user_id = 0, .name = "demo" };
	enum status st = STATUS_OK;
	for (size_t i = 0; st == STATUS_OK && i < json_array_size(items); i++)
		st = load_one(c, a, unit_id, json_array_get(items, i), &actor, now);
	arena_free(a);
	json_decref(root);
	return st;
}
