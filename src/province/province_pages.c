/* province_pages.c: the province admin's pages: the list of units, a new unit with its
 * host names and first admin (whose one-time password is shown once), renaming */
#include "province/province_pages.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/num.h"
#include "http/request.h"
#include "province/province.h"
#include "store/store.h"

#include <sodium.h>
#include <string.h>

static enum status show_units(struct request *r, const char *error, const char *notice)
{
	json_t *units;
	enum status st = province_units(r->db, &units);
	if (st)
		return st;
	if (error != NULL)
		r->status = 422;
	request_view(r, "province/units", json_pack("{s:s, s:o, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
		"page_title", "Đơn vị hành chính", "units", units, "error", error, "notice", notice,
		"code", request_form(r, "code"), "name", request_form(r, "name"),
		"hosts", request_form(r, "hosts"), "admin", request_form(r, "admin")));
	return STATUS_OK;
}

enum status province_units_page(struct request *r)
{
	return show_units(r, NULL, request_query(r, "da-cap-nhat") != NULL
		? "Đã cập nhật đơn vị." : NULL);
}

static json_t *unit_json(const struct province_unit_input *in)
{
	json_t *hosts = json_array();
	for (size_t i = 0; i < in->host_count; i++)
		json_array_append_new(hosts, json_string(in->hosts[i]));
	return json_pack("{s:s, s:s, s:o}", "code", in->code, "name", in->name, "hosts", hosts);
}

enum status province_unit_create_post(struct request *r)
{
	struct province_unit_input in;
	const char *admin = request_form(r, "admin");
	const char *problem = province_unit_check(r->arena, request_form(r, "code"),
		request_form(r, "name"), request_form(r, "hosts"), admin, &in);
	if (problem == NULL && !auth_username_valid(admin))
		problem = "Tên đăng nhập của quản trị viên gồm 3 đến 64 ký tự a-z, 0-9, dấu chấm, "
			  "gạch dưới hoặc gạch ngang.";
	if (problem != NULL)
		return show_units(r, problem, NULL);

	char password[17];
	auth_one_time_password(password);
	struct audit_actor actor = { r->user->id, r->user->username };
	int64_t unit_id = 0, user_id = 0;
	enum status st = db_begin(r->db);
	if (st == STATUS_OK)
		st = province_unit_create(r->db, &in, r->now, &unit_id);
	if (st == STATUS_OK)
		st = auth_user_create(r->db, unit_id, admin, "Quản trị viên", password, "admin", r->now,
				      &user_id);
	if (st == STATUS_OK)
		st = auth_user_require_new_password(r->db, unit_id, admin);
	if (st == STATUS_OK) {
		json_t *after = unit_json(&in);
		json_object_set_new(after, "admin", json_string(admin));
		/* In the province's log (who did it) and in the new unit's (its first entry). */
		st = audit_append(r->db, r->unit_id, &actor, r->now, "unit.create", "unit", unit_id,
				  NULL, after);
		if (st == STATUS_OK)
			st = audit_append(r->db, unit_id, &actor, r->now, "user.create", "user", user_id,
					  NULL, after);
		json_decref(after);
	}
	if (st == STATUS_OK)
		st = db_commit(r->db);
	if (st) {
		db_rollback(r->db);
		sodium_memzero(password, sizeof password);
		if (st == STATUS_CONFLICT)
			return show_units(r, "Mã đơn vị hoặc tên miền đã thuộc một đơn vị khác.", NULL);
		return st;
	}
	/* The one time the password is shown: in this answer, never in a redirect (staff
	 * pages are all sent with Cache-Control: no-store). */
	r->status = 201;
	request_view(r, "province/created", json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}",
		"page_title", "Đã tạo đơn vị", "id", (json_int_t)unit_id, "name", in.name,
		"host", in.hosts[0], "admin", admin, "password", password));
	sodium_memzero(password, sizeof password);
	return STATUS_OK;
}

enum status province_unit_update_post(struct request *r)
{
	int64_t id;
	if (!num_parse_int64(r->path_params[0], 1, INT64_MAX, &id))
		return STATUS_NOT_FOUND;
	struct province_unit_input in;
	const char *problem = province_unit_check(r->arena, "-", request_form(r, "name"),
		request_form(r, "hosts"), NULL, &in);
	if (problem != NULL)
		return show_units(r, problem, NULL);
	struct audit_actor actor = { r->user->id, r->user->username };
	enum status st = db_begin(r->db);
	if (st == STATUS_OK)
		st = province_unit_update(r->db, id, &in);
	if (st == STATUS_OK) {
		json_t *after = unit_json(&in);
		json_object_del(after, "code");
		st = audit_append(r->db, r->unit_id, &actor, r->now, "unit.update", "unit", id, NULL,
				  after);
		json_decref(after);
	}
	if (st == STATUS_OK)
		st = db_commit(r->db);
	if (st) {
		db_rollback(r->db);
		if (st == STATUS_CONFLICT)
			return show_units(r, "Tên miền đã thuộc một đơn vị khác.", NULL);
		return st;
	}
	request_redirect(r, 303, "/quan-tri/tinh/don-vi?da-cap-nhat=1");
	return STATUS_OK;
}
