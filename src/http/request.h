/* request.h: one HTTP request and its response, as handlers see them
 *
 * Everything here lives in the request's arena, freed in one step when the
 * response has been sent. The dispatcher fills the "context" fields before a
 * handler runs; the handler fills the "response" fields. */
#ifndef HTTP_REQUEST_H
#define HTTP_REQUEST_H

#include "base/buf.h"
#include "base/status.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mail_settings;
struct http_proxies;

struct arena;
struct db_conn;
struct auth_user;
struct i18n;
struct calendar;

/* Limits of what a request may carry. */
enum {
	HTTP_MAX_FIELDS = 64,           /* form fields and query parameters, each */
	HTTP_MAX_FIELD_BYTES = 256 * 1024, /* one text field */
	HTTP_MAX_FORM_BYTES = 1024 * 1024, /* a whole urlencoded form (413 past it) */
	HTTP_MAX_UPLOAD_BYTES = 12 * 1024 * 1024, /* a multipart body with files */
	HTTP_MAX_FILES = 8,
	HTTP_MAX_PATH_PARAMS = 4,
	HTTP_MAX_HEADERS_OUT = 16,
	HTTP_ARENA_LIMIT = 64 * 1024 * 1024,
	HTTP_MAX_BODY_OUT = 32 * 1024 * 1024,
	HTTP_FORWARDED_BYTES = 128 * 1024, /* X-Forwarded-For values joined: more than headers hold */
};

struct http_param {
	const char *name;
	const char *value; /* NUL-terminated; len excludes the NUL */
	size_t len;
};

struct http_file {
	const char *field;    /* form field name */
	const char *filename; /* as the client named it, untrusted */
	struct buf data;
};

struct http_header {
	const char *name, *value;
};

struct request {
	struct arena *arena;
	void *connection; /* the libmicrohttpd connection, for header lookups */
	int64_t started_us;

	/* what the client sent */
	const char *method;      /* "GET", "HEAD", "POST", ... */
	const char *path;        /* percent-decoded, checked: valid UTF-8, no "..", no NUL */
	struct http_param query[HTTP_MAX_FIELDS];
	size_t query_count;
	struct http_param form[HTTP_MAX_FIELDS];
	size_t form_count;
	struct http_file files[HTTP_MAX_FILES];
	size_t file_count;
	struct buf raw_body;     /* a body that is neither urlencoded nor multipart */
	enum status input_error; /* set when the input broke a rule: the dispatcher answers it */
	const char *input_error_text;
	const char *client_ip;   /* the client's address (request_find_client), in the arena */

	/* context, filled by the dispatcher */
	const char *path_params[HTTP_MAX_PATH_PARAMS];
	struct db_conn *db;
	int64_t unit_id;
	const char *unit_name;  /* "Phường 9"; NULL for the unit of the configuration */
	const char *base_url;   /* "https://phuong9.example.vn": the unit's absolute URLs begin
				   so; from its configured names, from Host only when it has none */
	bool base_url_from_host; /* ... and then true: a page is kept for that Host only */
	const struct auth_user *user; /* NULL for a visitor */
	const char *csrf_token;       /* to put in the forms of the page */
	const char *lang;             /* "vi" or "en" */
	const struct i18n *i18n;
	bool want_json;
	bool is_https;                /* cookies get the Secure flag */
	int64_t now;                  /* UTC seconds at the start of the request */
	void *app;                    /* the application, opaque to parts */
	const struct mail_settings *mail; /* how to send notifications; NULL: not configured */
	const struct calendar *calendar; /* the unit's working-time calendar, set by the dispatcher
					    for routes that need it (app_route_needs_calendar):
					    a copy in the arena, at most 60 s older than the
					    database */

	/* response, filled by the handler */
	int status;                   /* 0 means 200 */
	json_t *view;                 /* view model: rendered by template, or sent as JSON */
	const char *template_name;    /* template for the view */
	const char *redirect;         /* Location for a 3xx */
	const char *content_type;     /* for a raw body */
	struct buf body;              /* raw body (files, feeds rendered by the handler) */
	bool has_raw_body;
	bool must_close;              /* close the connection after the answer (body not read) */
	struct http_header headers_out[HTTP_MAX_HEADERS_OUT];
	size_t headers_out_count;
	int64_t bytes_sent;
};

/* Value of query parameter name, or NULL. */
const char *request_query(const struct request *r, const char *name);
/* Value of form field name, or NULL. */
const char *request_form(const struct request *r, const char *name);
/* The uploaded file of form field name, or NULL. */
const struct http_file *request_file(const struct request *r, const char *name);
/* Value of request header name (case-insensitive), or NULL. */
const char *request_header(const struct request *r, const char *name);
/* Value of cookie name, or NULL. */
const char *request_cookie(const struct request *r, const char *name);
/* Address of the client as text ("127.0.0.1"), in the arena: the socket's, or the one a
 * trusted proxy forwarded (request_find_client). */
const char *request_client_ip(const struct request *r);
/* Called once by the server when the headers are in: sets r->client_ip from the socket
 * and, when the socket is one of proxies, X-Forwarded-For or X-Real-IP (http/proxy.h). */
void request_find_client(struct request *r, const struct http_proxies *proxies);

/* Adds a response header (name and value must live as long as the request). */
void request_add_header(struct request *r, const char *name, const char *value);
/* Like request_add_header, replacing the value of a header already added under name. */
void request_set_header(struct request *r, const char *name, const char *value);
/* Answers with a redirect: 303 after a POST, or the given status (301/302/303). */
void request_redirect(struct request *r, int status, const char *location);
/* Sets a view to render: template (for HTML) and model (owned by the request from now). */
void request_view(struct request *r, const char *template_name, json_t *model);



/* s percent-encoded for a query value (unreserved characters kept), in the arena. */
const char *http_url_encode(struct arena *a, const char *s);
#endif
