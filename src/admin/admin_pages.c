/* admin_pages.c: the back office: sign-in and out, dashboard, staff accounts, audit log */
#include "admin/admin_pages.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "base/num.h"
#include "http/request.h"
#include "http/url.h"
#include "store/store.h"
#include "worktime/clock.h"

#include <string.h>

enum { AUDIT_PAGE_SIZE = 50 };

/* Only a path of this site may follow a sign-in: never another host. */
static const char *safe_next(const char *next)
{
	return http_path_is_local(next) ? next : "/quan-tri";
}

static void show_login(struct request *r, const char *username, const char *error)
{
	const char *next = request_form(r, "next");
	if (next == NULL)
		next = request_query(r, "next");
	request_view(r, "admin/login", json_pack("{s:s, s:s, s:s, s:s?}", "page_title",
		"Đăng nhập", "username", username != NULL ? username : "", "next", safe_next(next),
		"error", error));
}

enum status admin_login_form(struct request *r)
{
	if (r->user != NULL) {
		request_redirect(r, 303, "/quan-tri");
		return STATUS_OK;
	}
	show_login(r, NULL, NULL);
	return STATUS_OK;
}

enum status admin_login(struct request *r)
{
	const char *username = request_form(r, "username");
	const char *password = request_form(r, "password");
	struct auth_session session;
	enum status st = auth_login(r->db, r->arena, r->unit_id, username, password,
				    request_client_ip(r), r->now, &session);
	if (st == STATUS_FORBIDDEN) {
		r->status = 401;
		show_login(r, username, "Tên đăng nhập hoặc mật khẩu không đúng.");
		return STATUS_OK;
	}
	if (st == STATUS_TOO_MANY) {
		r->status = 429;
		request_add_header(r, "Retry-After", "900");
		show_login(r, username, "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.");
		return STATUS_OK;
	}
	if (st)
		return st;
	request_add_header(r, "Set-Cookie", arena_printf(r->arena,
		ADMIN_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
		session.token, AUTH_SESSION_MAX_S, r->is_https ? "; Secure" : ""));
	request_redirect(r, 303, safe_next(request_form(r, "next")));
	return STATUS_OK;
}

enum status admin_logout(struct request *r)
{
	enum status st = auth_logout(r->db, request_cookie(r, ADMIN_SESSION_COOKIE));
	if (st)
		return st;
	request_add_header(r, "Set-Cookie", ADMIN_SESSION_COOKIE
			   "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
	request_redirect(r, 303, "/quan-tri/dang-nhap");
	return STATUS_OK;
}

enum status admin_dashboard(struct request *r)
{
	json_t *model = json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b}",
				  "page_title", "Quản trị",
				  "display_name", r->user->display_name,
				  "role_label", auth_role_label(r->user->role),
				  "can_news", auth_allows(r->user, PERM_NEWS_EDIT),
				  "can_categories", auth_allows(r->user, PERM_CATEGORIES),
				  "can_users", auth_allows(r->user, PERM_USERS),
				  "can_audit", auth_allows(r->user, PERM_AUDIT),
				  "can_procedures", auth_allows(r->user, PERM_PROCEDURES),
				  /* links in feeds and receipts follow whatever Host was asked */
				  "base_url_notice", r->base_url_from_host &&
					  auth_allows(r->user, PERM_USERS));
	request_view(r, "admin/dashboard", model);
	return STATUS_OK;
}

/* The roles a unit's admin may give, as options with `selected` on the user's own. */
static json_t *role_options(const char *selected)
{
	static const char *const unit_roles[] = { "editor", "admin", "clerk", "specialist", "leader" };
	json_t *arr = json_array();
	for (size_t i = 0; i < sizeof unit_roles / sizeof unit_roles[0]; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", unit_roles[i],
			"label", auth_role_label(unit_roles[i]),
			"selected", selected != NULL && strcmp(selected, unit_roles[i]) == 0));
	return arr;
}

static enum status show_users(struct request *r, const char *error, const char *notice)
{
	json_t *users;
	enum status st = auth_user_list(r->db, r->unit_id, &users);
	if (st)
		return st;
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u) {
		json_object_set_new(u, "role_options", role_options(json_string_value(
			json_object_get(u, "role"))));
		json_object_set_new(u, "is_province", json_boolean(!auth_role_is_unit(
			json_string_value(json_object_get(u, "role")))));
		json_object_set_new(u, "is_self", json_boolean(json_integer_value(
			json_object_get(u, "id")) == r->user->id));
	}
	if (error != NULL)
		r->status = 422;
	request_view(r, "admin/users", json_pack("{s:s, s:o, s:o, s:s?, s:s?}", "page_title",
		"Tài khoản cán bộ", "users", users, "new_role_options", role_options("editor"),
		"error", error, "notice", notice));
	return STATUS_OK;
}

enum status admin_users(struct request *r)
{
	const char *notice = NULL;
	if (request_query(r, "da-tao") != NULL)
		notice = "Đã tạo tài khoản. Mật khẩu vừa đặt chỉ dùng được một lần: cán bộ phải "
			 "đổi mật khẩu ở lần đăng nhập đầu.";
	else if (request_query(r, "da-cap-nhat") != NULL)
		notice = "Đã cập nhật tài khoản.";
	return show_users(r, NULL, notice);
}

enum status admin_user_create(struct request *r)
{
	const char *username = request_form(r, "username");
	const char *password = request_form(r, "password");
	const char *role = request_form(r, "role");
	const char *name = auth_display_name_clean(r->arena, request_form(r, "display_name"));
	if (!auth_username_valid(username))
		return show_users(r, "Tên đăng nhập gồm 3 đến 64 ký tự a-z, 0-9, dấu chấm, gạch "
				     "dưới hoặc gạch ngang.", NULL);
	if (!auth_role_is_unit(role))
		return show_users(r, "Vai trò không hợp lệ.", NULL);
	const char *problem = auth_password_problem(password);
	if (problem != NULL)
		return show_users(r, problem, NULL);
	if (name == NULL)
		return show_users(r, "Họ tên gồm tối đa 100 ký tự, không có ký tự điều khiển hay "
				     "ký tự đảo chiều văn bản.", NULL);
	struct audit_actor actor = { r->user->id, r->user->username };
	enum status st = db_begin(r->db);
	if (st)
		return st;
	int64_t id;
	st = auth_user_create(r->db, r->unit_id, username, name, password, role, r->now, &id);
	/* The admin knows the password typed here: the account replaces it at first sign-in,
	 * as an account made on the command line does. */
	if (st == STATUS_OK)
		st = auth_user_require_new_password(r->db, r->unit_id, username);
	if (st == STATUS_OK) {
		json_t *after = json_pack("{s:s, s:s, s:s, s:b}", "username", username,
					  "display_name", *name ? name : username, "role", role,
					  "one_time_password", true);
		st = audit_append(r->db, r->unit_id, &actor, r->now, "user.create", "user", id, NULL,
				  after);
		json_decref(after);
	}
	if (st == STATUS_OK)
		st = db_commit(r->db);
	if (st) {
		db_rollback(r->db);
		if (st == STATUS_CONFLICT)
			return show_users(r, "Tên đăng nhập đã có người dùng.", NULL);
		return st;
	}
	request_redirect(r, 303, "/quan-tri/nguoi-dung?da-tao=1");
	return STATUS_OK;
}

enum status admin_user_update(struct request *r)
{
	int64_t id;
	if (!num_parse_int64(r->path_params[0], 1, INT64_MAX, &id))
		return STATUS_NOT_FOUND;
	const char *role = request_form(r, "role");
	const char *active = request_form(r, "is_active");
	bool is_active = active != NULL && strcmp(active, "1") == 0;
	if (!auth_role_is_unit(role))
		return show_users(r, "Vai trò không hợp lệ.", NULL);
	/* An admin who demotes or locks out themselves could leave the unit with none. */
	if (id == r->user->id && (!is_active || strcmp(role, "admin") != 0))
		return show_users(r, "Không thể tự khóa hoặc tự bỏ quyền quản trị của mình.", NULL);
	struct audit_actor actor = { r->user->id, r->user->username };
	enum status st = db_begin(r->db);
	if (st)
		return st;
	st = auth_user_update(r->db, r->unit_id, id, role, is_active);
	if (st == STATUS_NOT_FOUND) {
		db_rollback(r->db);
		return show_users(r, "Không có tài khoản này trong đơn vị, hoặc đây là tài khoản "
				     "cấp tỉnh.", NULL);
	}
	if (st == STATUS_OK) {
		json_t *after = json_pack("{s:s, s:b}", "role", role, "is_active", is_active);
		st = audit_append(r->db, r->unit_id, &actor, r->now, "user.update", "user", id, NULL,
				  after);
		json_decref(after);
	}
	if (st == STATUS_OK)
		st = db_commit(r->db);
	if (st) {
		db_rollback(r->db);
		return st;
	}
	request_redirect(r, 303, "/quan-tri/nguoi-dung?da-cap-nhat=1");
	return STATUS_OK;
}

enum status admin_audit(struct request *r)
{
	int64_t page = 1;
	const char *text = request_query(r, "trang");
	if (text != NULL && !num_parse_int64(text, 1, 100000, &page))
		return STATUS_INVALID;
	json_t *rows;
	enum status st = audit_recent(r->db, r->unit_id, AUDIT_PAGE_SIZE,
				      (page - 1) * AUDIT_PAGE_SIZE, &rows);
	if (st)
		return st;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		char when[32];
		clock_format_vi_short(json_integer_value(json_object_get(row, "at")), when,
				      sizeof when);
		json_object_set_new(row, "when", json_string(when));
	}
	json_t *model = json_pack("{s:s, s:o, s:I}", "page_title", "Nhật ký thao tác", "entries",
				  rows, "page", (json_int_t)page);
	if (page > 1)
		json_object_set_new(model, "prev_url", json_string(arena_printf(r->arena,
			"/quan-tri/nhat-ky?trang=%lld", (long long)page - 1)));
	if (json_array_size(rows) == AUDIT_PAGE_SIZE)
		json_object_set_new(model, "next_url", json_string(arena_printf(r->arena,
			"/quan-tri/nhat-ky?trang=%lld", (long long)page + 1)));
	request_view(r, "admin/audit", model);
	return STATUS_OK;
}

static void show_password_form(struct request *r, const char *error)
{
	if (error != NULL)
		r->status = 422;
	request_view(r, "admin/password", json_pack("{s:s, s:b, s:s?}", "page_title",
		"Đổi mật khẩu", "is_required", r->user->must_change_password, "error", error));
}

enum status admin_password_form(struct request *r)
{
	show_password_form(r, NULL);
	return STATUS_OK;
}

enum status admin_password_change(struct request *r)
{
	const char *password = request_form(r, "password");
	const char *again = request_form(r, "password_again");
	if (password == NULL || again == NULL || strcmp(password, again) != 0) {
		show_password_form(r, "Hai lần nhập mật khẩu mới không giống nhau.");
		return STATUS_OK;
	}
	const char *problem = auth_password_problem(password);
	if (problem != NULL) {
		show_password_form(r, problem);
		return STATUS_OK;
	}
	const char *current = request_form(r, "current_password");
	if (current != NULL && strcmp(current, password) == 0) {
		show_password_form(r, "Mật khẩu mới phải khác mật khẩu hiện tại.");
		return STATUS_OK;
	}
	enum status st = auth_change_own_password(r->db, r->unit_id, r->user->id, current,
						  password, request_cookie(r, ADMIN_SESSION_COOKIE));
	if (st == STATUS_FORBIDDEN) {
		show_password_form(r, "Mật khẩu hiện tại không đúng.");
		return STATUS_OK;
	}
	if (st)
		return st;
	struct audit_actor actor = { r->user->id, r->user->username };
	st = audit_append(r->db, r->unit_id, &actor, r->now, "user.password", "user", r->user->id,
			  NULL, NULL);
	if (st)
		return st;
	request_redirect(r, 303, "/quan-tri?da-doi-mat-khau=1");
	return STATUS_OK;
}
