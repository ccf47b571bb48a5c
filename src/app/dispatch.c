/* dispatch.c: from a parsed request to a response: unit, session, CSRF, permission, handler, view */
#include "app/app.h"

#include "admin/admin_pages.h"
#include "app/calendar_store.h"
#include "app/metrics.h"
#include "app/page_cache.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "base/log.h"
#include "html/i18n.h"
#include "html/template.h"
#include "http/request.h"
#include "http/url.h"
#include "news/news_pages.h"
#include "store/store.h"
#include "worktime/clock.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Cookie a visitor's forms are checked against (double submit), before any session. */
#define VISITOR_CSRF_COOKIE "phuong_csrf"
#define LANG_COOKIE "lang"

/* Every HTML page forbids inline script, framing and foreign form targets. */
static const char content_security_policy[] =
	"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

static void add_html_headers(struct request *r)
{
	request_add_header(r, "Content-Security-Policy", content_security_policy);
	request_add_header(r, "X-Frame-Options", "DENY");
}

static int http_status_of(enum status st)
{
	switch (st) {
	case STATUS_OK: return 200;
	case STATUS_INVALID: return 400;
	case STATUS_NOT_FOUND: return 404;
	case STATUS_FORBIDDEN: return 403;
	case STATUS_CONFLICT: return 409;
	case STATUS_TOO_LARGE: return 413;
	case STATUS_TOO_MANY: return 429;
	case STATUS_UNAVAILABLE: return 503;
	case STATUS_INTERNAL: return 500;
	}
	return 500;
}

static const char *message_of(int code)
{
	switch (code) {
	case 400: return "Yêu cầu không hợp lệ.";
	case 401: return "Vui lòng đăng nhập để tiếp tục.";
	case 403: return "Bạn không có quyền thực hiện thao tác này.";
	case 404: return "Không tìm thấy trang bạn yêu cầu. Có thể trang đã bị gỡ hoặc địa chỉ chưa đúng.";
	case 405: return "Trang này không nhận loại yêu cầu đó.";
	case 409: return "Dữ liệu vừa bị thay đổi hoặc trùng lặp. Vui lòng tải lại trang và thử lại.";
	case 413: return "Nội dung gửi lên quá lớn.";
	case 415: return "Loại tệp không được chấp nhận.";
	case 422: return "Dữ liệu chưa hợp lệ.";
	case 429: return "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau.";
	case 503: return "Hệ thống đang bận. Vui lòng thử lại sau ít phút.";
	default: return "Đã có lỗi xảy ra. Chúng tôi sẽ khắc phục sớm. Vui lòng thử lại sau.";
	}
}

/* Puts the error page (or JSON error) for code into r, with an optional detail. */
static void set_error(struct request *r, int code, const char *detail)
{
	r->status = code;
	r->redirect = NULL;
	r->has_raw_body = false;
	buf_clear(&r->body);
	request_view(r, "error", json_pack("{s:s, s:i, s:s, s:s?}", "page_title",
		code == 404 ? "Không tìm thấy trang" : "Không thực hiện được", "status", code,
		"message", message_of(code), "detail", detail));
	if (code == 503)
		request_add_header(r, "Retry-After", "30");
}

/* Whether a state-changing request comes from our own pages: Origin (when sent)
 * is this unit's (app_origin_ours), and the form's token matches the session's or the
 * visitor's. */
static bool csrf_ok(struct request *r, const char *expected)
{
	const char *origin = request_header(r, "Origin");
	if (origin != NULL && strcmp(origin, "null") != 0 && !app_origin_ours(r, origin))
		return false;
	return expected != NULL && auth_equal(request_form(r, "csrf"), expected);
}

/* The visitor's CSRF token: from their cookie, or a new one set now. */
static const char *visitor_csrf(struct request *r)
{
	const char *cookie = request_cookie(r, VISITOR_CSRF_COOKIE);
	if (auth_token_valid(cookie))
		return cookie;
	char token[65];
	auth_random_token(token);
	request_add_header(r, "Set-Cookie", arena_printf(r->arena,
		VISITOR_CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s", token,
		r->is_https ? "; Secure" : ""));
	return arena_strdup(r->arena, token);
}

/* Takes ".json" off the path, or reads Accept, to decide on a JSON answer. */
static char *strip_json(struct request *r)
{
	char *path = arena_strdup(r->arena, r->path);
	size_t n = strlen(path);
	if (n > 5 && strcmp(path + n - 5, ".json") == 0) {
		path[n - 5] = '\0';
		r->want_json = true;
	}
	const char *accept = request_header(r, "Accept");
	if (accept != NULL && strncmp(accept, "application/json", 16) == 0)
		r->want_json = true;
	return path;
}

/* The data every page layout needs, beside the handler's own model. */
static json_t *layout_model(struct request *r, struct app *app)
{
	json_t *nav = NULL;
	if (news_nav(r, &nav) != STATUS_OK)
		nav = json_array();
	struct clock_local now = clock_to_local(r->now);
	json_t *layout = json_pack("{s:s, s:s, s:s, s:o, s:s?, s:b, s:s, s:i, s:s, s:s}",
		"site_name", r->unit_name != NULL ? arena_printf(r->arena, "Ủy ban nhân dân %s",
			r->unit_name) : app->cfg.site_name,
		"unit_name", r->unit_name != NULL ? r->unit_name : app->cfg.unit_name,
		"base_url", r->base_url != NULL ? r->base_url : "", "nav", nav, "csrf", r->csrf_token,
		"is_english", strcmp(r->lang, "en") == 0, "lang", r->lang, "year", now.year,
		"path", r->path, "lang_next", http_url_encode(r->arena, r->path));
	if (r->user != NULL)
		json_object_set_new(layout, "user", json_pack("{s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}",
			"name", r->user->display_name, "username", r->user->username,
			"can_news", auth_allows(r->user, PERM_NEWS_EDIT),
			"can_categories", auth_allows(r->user, PERM_CATEGORIES),
			"can_users", auth_allows(r->user, PERM_USERS),
			"can_audit", auth_allows(r->user, PERM_AUDIT),
			"can_province_units", auth_allows(r->user, PERM_PROVINCE_UNITS),
			"can_province_view", auth_allows(r->user, PERM_PROVINCE_VIEW),
			"can_procedures", auth_allows(r->user, PERM_PROCEDURES),
			"can_statistics", auth_allows(r->user, PERM_STATISTICS),
			"can_dossiers", auth_allows(r->user, PERM_DOSSIER_INTAKE) ||
				auth_allows(r->user, PERM_DOSSIER_PROCESS) ||
				auth_allows(r->user, PERM_DOSSIER_SIGN)));
	return layout;
}

/* Renders r->view into r->body: JSON, or the template in the page layout. */
static void render(struct request *r, struct app *app)
{
	if (r->want_json && r->content_type == NULL) {
		char *text = json_dumps(r->view, JSON_COMPACT);
		if (text != NULL) {
			buf_puts(&r->body, text);
			free(text);
		}
		r->content_type = "application/json; charset=utf-8";
		r->has_raw_body = true;
		return;
	}
	json_object_set_new(r->view, "layout", layout_model(r, app));
	enum status st = tmpl_render(app->templates, r->template_name, r->view, r->i18n, &r->body);
	if (st) {
		log_error("cannot render template '%s': %s", r->template_name, status_name(st));
		buf_clear(&r->body);
		r->body.failed = false;
		if (strcmp(r->template_name, "error") != 0) {
			set_error(r, 500, NULL);
			render(r, app);
			return;
		}
		buf_lit(&r->body, "<!doctype html><title>Lỗi</title><p>Đã có lỗi xảy ra.</p>");
	}
	if (r->content_type == NULL) {
		r->content_type = "text/html; charset=utf-8";
		add_html_headers(r);
	}
	r->has_raw_body = true;
}

/* A page app_dispatch keeps once rendered (page_cache.h). */
struct cache_ticket {
	const char *key; /* NULL: nothing to keep */
	int64_t generation;
};

/* Answers a visitor's request for a cached route from the page cache when it can;
 * otherwise fills ticket so that the rendered page is kept. */
static bool serve_cached(struct request *r, struct app *app, struct cache_ticket *ticket)
{
	int64_t generation;
	if (app_page_generation(r->db, r->unit_id, &generation) != STATUS_OK)
		return false;
	/* The base URL is the unit's configured one, or the Host asked when it has none: a
	 * page made for one Host is then never served to another. */
	const char *key = arena_printf(r->arena, "%lld %s %s %d %s", (long long)r->unit_id,
				       r->base_url, r->lang, r->want_json, r->path);
	if (key == NULL)
		return false;
	if (page_cache_get(app->pages, key, generation, r->now, &r->body, r->arena,
			   &r->content_type)) {
		r->has_raw_body = true;
		if (strncmp(r->content_type, "text/html", 9) == 0)
			add_html_headers(r);
		request_add_header(r, "X-Cache", "HIT");
		return true;
	}
	request_add_header(r, "X-Cache", "MISS");
	*ticket = (struct cache_ticket){ key, generation };
	return false;
}

/* The units' working-time calendars, shared by the threads: each is loaded from the
 * database (calendar_store_load) at most every CALENDAR_CACHE_SECONDS, so an imported
 * schedule or new working hours count within a minute on every node. A request gets a
 * copy in its arena, so a reload never frees what a handler reads. Beyond
 * CALENDAR_CACHE_UNITS units the oldest slot is reused. */
enum { CALENDAR_CACHE_UNITS = 64, CALENDAR_CACHE_SECONDS = 60 };

static struct {
	int64_t unit_id, loaded_at;
	struct calendar cal;
	bool used;
} calendar_cache[CALENDAR_CACHE_UNITS];
static pthread_mutex_t calendar_cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* A copy of cal in the arena (entry names copied; sources left out: counting time never
 * reads them). NULL when the arena is full. */
static struct calendar *calendar_copy(struct arena *a, const struct calendar *cal)
{
	struct calendar *out = arena_zalloc(a, sizeof *out);
	if (out == NULL)
		return NULL;
	out->settings = cal->settings;
	out->count = out->capacity = cal->count;
	if (cal->count == 0)
		return out;
	out->entries = arena_alloc(a, cal->count * sizeof *out->entries);
	if (out->entries == NULL)
		return NULL;
	for (size_t i = 0; i < cal->count; i++) {
		out->entries[i] = cal->entries[i];
		out->entries[i].source = NULL;
		if (cal->entries[i].name != NULL &&
		    (out->entries[i].name = arena_strdup(a, cal->entries[i].name)) == NULL)
			return NULL;
	}
	return out;
}

/* The unit's calendar for r, from the cache or the database. */
static enum status unit_calendar(struct request *r)
{
	pthread_mutex_lock(&calendar_cache_lock);
	size_t slot = 0;
	bool found = false;
	for (size_t i = 0; i < CALENDAR_CACHE_UNITS; i++) {
		if (calendar_cache[i].used && calendar_cache[i].unit_id == r->unit_id) {
			slot = i;
			found = true;
			break;
		}
		if (!calendar_cache[i].used ||
		    (calendar_cache[slot].used &&
		     calendar_cache[i].loaded_at < calendar_cache[slot].loaded_at))
			slot = i;
	}
	enum status st = STATUS_OK;
	if (!found || r->now - calendar_cache[slot].loaded_at >= CALENDAR_CACHE_SECONDS ||
	    r->now < calendar_cache[slot].loaded_at) {
		struct calendar fresh;
		st = calendar_store_load(r->db, r->unit_id, &fresh);
		if (st == STATUS_OK) {
			if (calendar_cache[slot].used)
				calendar_release(&calendar_cache[slot].cal);
			calendar_cache[slot].cal = fresh;
			calendar_cache[slot].unit_id = r->unit_id;
			calendar_cache[slot].loaded_at = r->now;
			calendar_cache[slot].used = true;
		}
	}
	if (st == STATUS_OK) {
		r->calendar = calendar_copy(r->arena, &calendar_cache[slot].cal);
		if (r->calendar == NULL)
			st = STATUS_TOO_LARGE;
	}
	pthread_mutex_unlock(&calendar_cache_lock);
	return st;
}

/* Runs the route for r with a database connection held. */
static void run_route(struct request *r, struct app *app, const struct route *route,
		      struct cache_ticket *ticket)
{
	enum status st = app_host_resolve(r, &app->cfg);
	if (st) {
		set_error(r, http_status_of(st), st == STATUS_NOT_FOUND
			  ? "Tên miền này không thuộc đơn vị nào trên hệ thống." : NULL);
		return;
	}
	struct auth_session *session = arena_zalloc(r->arena, sizeof *session);
	const char *token = request_cookie(r, ADMIN_SESSION_COOKIE);
	if (session != NULL && token != NULL &&
	    auth_session_find(r->db, r->arena, r->unit_id, token, r->now, session) == STATUS_OK) {
		r->user = &session->user;
		r->csrf_token = session->csrf;
		request_add_header(r, "Cache-Control", "no-store");
	} else if (route->shows_form || route->changes_state) {
		r->csrf_token = visitor_csrf(r);
		request_add_header(r, "Cache-Control", "no-store");
	}
	/* Cached pages are the same for every visitor: no session, no query string. */
	if (route->cached && r->user == NULL && r->query_count == 0 &&
	    serve_cached(r, app, ticket))
		return;
	if (!auth_allows(r->user, route->permission)) {
		if (r->user == NULL && !r->want_json && route->method == ROUTE_GET) {
			request_redirect(r, 303, arena_printf(r->arena, "/quan-tri/dang-nhap?next=%s",
							      http_url_encode(r->arena, r->path)));
			return;
		}
		set_error(r, r->user == NULL ? 401 : 403, NULL);
		return;
	}
	/* A one-time password opens only the page that replaces it (and sign-out). */
	if (r->user != NULL && r->user->must_change_password &&
	    route->handler != admin_password_form && route->handler != admin_password_change &&
	    route->handler != admin_logout && route->permission != PERM_PUBLIC) {
		if (route->method == ROUTE_GET && !r->want_json)
			request_redirect(r, 303, "/quan-tri/mat-khau");
		else
			set_error(r, 403, "Vui lòng đặt mật khẩu mới trước.");
		return;
	}
	if (route->changes_state && !csrf_ok(r, r->csrf_token)) {
		set_error(r, 403, "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. "
				  "Vui lòng tải lại trang và thử lại.");
		return;
	}
	if (route_needs_calendar(route) && (st = unit_calendar(r)) != STATUS_OK) {
		log_error("cannot load the calendar of unit %lld", (long long)r->unit_id);
		set_error(r, http_status_of(st), NULL);
		return;
	}
	st = route->handler(r);
	if (st) {
		if (st == STATUS_INTERNAL)
			log_error("%s %s failed: %s", r->method, r->path, status_name(st));
		set_error(r, http_status_of(st), NULL);
	} else if (route->changes_state && r->status < 400) {
		/* After the handler's commit: a page made from the old content now carries an
		 * old generation, on every node. */
		if (app_page_generation_bump(r->db, r->unit_id) != STATUS_OK)
			log_error("cannot move the page generation of unit %lld on",
				  (long long)r->unit_id);
	}
}

void app_dispatch(struct request *r, void *opaque)
{
	struct app *app = opaque;
	r->app = app;
	r->mail = app->mail.smtp_url != NULL ? &app->mail : NULL;
	r->is_https = app->cfg.https;
	const char *lang = request_cookie(r, LANG_COOKIE);
	r->lang = lang != NULL && strcmp(lang, "en") == 0 ? "en" : "vi";
	r->i18n = strcmp(r->lang, "en") == 0 ? app->english : NULL;
	request_add_header(r, "X-Content-Type-Options", "nosniff");
	request_add_header(r, "Referrer-Policy", "same-origin");
	request_add_header(r, "Vary", "Accept, Cookie");

	struct db_conn *conn = NULL;
	struct cache_ticket ticket = { NULL, 0 };
	const char *host = request_header(r, "Host");
	if (r->input_error != STATUS_OK) {
		log_info("refused %s %s: %s (%s)", r->method, r->path, status_name(r->input_error),
			 r->input_error_text);
		set_error(r, http_status_of(r->input_error), r->input_error_text);
	} else if (host != NULL && !http_host_valid(host)) {
		log_info("refused %s %s: a Host that is no host name", r->method, r->path);
		set_error(r, 400, "Tên miền trong yêu cầu không hợp lệ.");
	} else {
		char *path = strip_json(r);
		enum route_method method = strcmp(r->method, "POST") == 0 ? ROUTE_POST : ROUTE_GET;
		bool known_method = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0 ||
				    method == ROUTE_POST;
		bool mismatch = false;
		const struct route *route =
			known_method ? route_match(method, path, r->path_params,
						   HTTP_MAX_PATH_PARAMS, &mismatch)
				     : NULL;
		if (route == NULL) {
			set_error(r, mismatch || !known_method ? 405 : 404, NULL);
			if (mismatch || !known_method)
				request_add_header(r, "Allow", "GET, HEAD, POST");
		} else if (route->handler == statics_serve || route->handler == app_healthz) {
			/* Styles and icons need no database, session or unit; the health check
			 * takes its own connection, with a bounded wait. */
			if (route->handler(r) != STATUS_OK)
				set_error(r, 404, NULL);
		} else {
			conn = db_acquire(app->db);
			r->db = conn;
			run_route(r, app, route, &ticket);
		}
	}
	if (r->view != NULL && !r->has_raw_body && r->redirect == NULL) {
		if (conn == NULL && r->template_name != NULL && !r->want_json) {
			conn = db_acquire(app->db); /* the layout's menu reads categories */
			r->db = conn;
		}
		render(r, app);
	}
	if (ticket.key != NULL && (r->status == 0 || r->status == 200) && r->redirect == NULL &&
	    !r->body.failed && r->content_type != NULL)
		page_cache_put(app->pages, ticket.key, ticket.generation, r->now, r->content_type,
			       r->body.data, r->body.len);
	if (arena_failed(r->arena) || r->body.failed) {
		log_error("%s %s: request arena or body full", r->method, r->path);
		buf_clear(&r->body);
		r->body.failed = false;
		r->status = 500;
		r->content_type = "text/plain; charset=utf-8";
		buf_lit(&r->body, "Đã có lỗi xảy ra.\n");
		r->has_raw_body = true;
	}
	if (conn != NULL)
		db_release(conn);
	r->db = NULL;
}

enum status app_language(struct request *r)
{
	const char *code = r->path_params[0];
	if (strcmp(code, "vi") != 0 && strcmp(code, "en") != 0)
		return STATUS_NOT_FOUND;
	const char *next = request_query(r, "next");
	if (!http_path_is_local(next))
		next = "/";
	request_add_header(r, "Set-Cookie", arena_printf(r->arena,
		LANG_COOKIE "=%s; Path=/; Max-Age=31536000; SameSite=Lax", code));
	request_redirect(r, 303, arena_strdup(r->arena, next));
	return STATUS_OK;
}

enum status app_robots(struct request *r)
{
	request_view(r, "feeds/robots", json_object());
	r->content_type = "text/plain; charset=utf-8";
	return STATUS_OK;
}
