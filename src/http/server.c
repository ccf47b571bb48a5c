/* server.c: libmicrohttpd glue: request lifecycle, form parsing with limits, responses */
#include "http/server.h"

#include "base/arena.h"
#include "base/log.h"
#include "base/num.h"
#include "base/utf8.h"
#include "http/proxy.h"
#include "http/request.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

/* Bytes libmicrohttpd may use per connection for the request line and headers:
 * a request whose headers do not fit is answered 431/413 by libmicrohttpd. */
enum { HTTP_CONNECTION_MEMORY = 64 * 1024, HTTP_POST_BUFFER = 16 * 1024 };
/* The answer to a file whose name is not clean text: the whole request is refused. */
#define HTTP_BAD_FILENAME_TEXT \
	"Tên tệp đính kèm không hợp lệ (có ký tự điều khiển hoặc không phải UTF-8). " \
	"Vui lòng đổi tên tệp rồi gửi lại; hồ sơ chưa được nộp."
/* How often the reaper looks for requests past their time (request_timeout_s). */
enum { HTTP_REAPER_PERIOD_MS = 250 };

/* One open connection, as the reaper sees it (libmicrohttpd's socket_context). */
struct tracked_conn {
	struct tracked_conn *prev, *next;
	int fd;
	int64_t deadline_us; /* its request must be in by then; 0: being answered */
};

struct http_server {
	struct MHD_Daemon *daemons[HTTP_LISTEN_MAX];
	size_t daemon_count;
	struct http_server_options opt;
	struct http_proxies proxies;
	/* Connections open, for the reaper: under lock. */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct tracked_conn conns; /* list head */
	bool stopping, has_reaper;
	pthread_t reaper;
};

/* Per-request state kept behind libmicrohttpd's req_cls pointer. */
struct request_state {
	struct request req;
	struct MHD_PostProcessor *post;
	bool is_urlencoded, is_multipart;
	size_t body_limit, body_seen;
	struct http_param *current_field; /* value being appended to (multi-chunk) */
	struct buf field_value;           /* ... and its bytes */
	const char *last_key;             /* key of the previous iterator call */
	bool last_was_empty;              /* that call brought no bytes */
	struct http_file *current_file;
	bool answered;                    /* the answer is queued (answer_early) */
};

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void set_input_error(struct request *r, enum status st, const char *text)
{
	if (r->input_error == STATUS_OK) {
		r->input_error = st;
		r->input_error_text = text;
	}
}

/* Checks a decoded path: valid UTF-8, starts with '/', no ".." segment, no backslash. */
static bool path_is_clean(const char *path)
{
	size_t n = strlen(path);
	if (n == 0 || path[0] != '/' || !utf8_valid(path, n) || utf8_has_controls(path, n))
		return false;
	if (strchr(path, '\\') != NULL)
		return false;
	for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2) {
		bool starts = p[-1] == '/';
		bool ends = p[2] == '/' || p[2] == '\0';
		if (starts && ends)
			return false;
	}
	return true;
}

/* Takes one query parameter. The sizes come from libmicrohttpd, so a %00 inside a name
 * or value is seen (and refused by utf8_valid) rather than cutting the text short. */
static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
				     size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	struct request *r = cls;
	if (r->query_count == HTTP_MAX_FIELDS) {
		set_input_error(r, STATUS_TOO_LARGE, "Quá nhiều tham số trong địa chỉ.");
		return MHD_NO;
	}
	if (value == NULL) {
		value = "";
		value_size = 0;
	}
	if (!utf8_valid(key, key_size) || !utf8_valid(value, value_size)) {
		set_input_error(r, STATUS_INVALID, "Địa chỉ có ký tự không hợp lệ (không phải UTF-8).");
		return MHD_NO;
	}
	r->query[r->query_count++] = (struct http_param){
		.name = arena_strndup(r->arena, key, key_size),
		.value = arena_strndup(r->arena, value, value_size),
		.len = value_size,
	};
	return MHD_YES;
}

/* Whether a chunk belongs to the entry being read. libmicrohttpd may call with no
 * bytes when a read ends inside a value, then again with off 0 for the same value:
 * that second call continues the entry. (So "a=&a=x" reads as one field "a" = "x";
 * our forms never repeat a name.) */
static bool continues(const struct request_state *st, const char *key, uint64_t off)
{
	if (off > 0)
		return true;
	return st->last_was_empty && st->last_key != NULL && strcmp(st->last_key, key) == 0;
}

/* Appends a chunk of a form field, joining the chunks libmicrohttpd splits a value
 * into. The value grows in a buffer (doubling), so a long value costs at most twice
 * its size, however small the chunks. */
static bool append_field(struct request_state *st, const char *key, const char *data, size_t size,
			 uint64_t off)
{
	struct request *r = &st->req;
	struct http_param *p = continues(st, key, off) ? st->current_field : NULL;
	if (p == NULL) {
		if (r->form_count == HTTP_MAX_FIELDS) {
			set_input_error(r, STATUS_TOO_LARGE, "Biểu mẫu có quá nhiều trường.");
			return false;
		}
		p = &r->form[r->form_count++];
		*p = (struct http_param){ .name = arena_strdup(r->arena, key), .value = "" };
		st->current_field = p;
		buf_init(&st->field_value, r->arena, HTTP_MAX_FIELD_BYTES);
	}
	if (!buf_append(&st->field_value, data, size)) {
		set_input_error(r, STATUS_TOO_LARGE, "Nội dung một trường quá dài.");
		return false;
	}
	p->value = buf_str(&st->field_value);
	p->len = st->field_value.len;
	return true;
}

/* Whether a part's file name is one line of clean text: valid UTF-8, no control byte
 * (tab, CR and LF included). Empty is fine: a browser's file input left empty. */
static bool filename_is_clean(const char *name)
{
	size_t n = strlen(name);
	return utf8_valid(name, n) && !utf8_has_controls(name, n) &&
	       strpbrk(name, "\t\r\n") == NULL;
}

/* Whether a multipart part without a file name is a file all the same: libmicrohttpd
 * gives no name when it can't read one (a NUL or a stray byte in filename="..."), and the
 * file would then pass for a text field and silently vanish. A text field has no
 * Content-Type, or text/plain. */
static bool is_nameless_file(const char *filename, const char *content_type)
{
	return filename == NULL && content_type != NULL &&
	       strncasecmp(content_type, "text/plain", 10) != 0;
}

static bool append_file(struct request_state *st, const char *key, const char *filename,
			const char *data, size_t size, uint64_t off)
{
	struct request *r = &st->req;
	struct http_file *f = continues(st, key, off) ? st->current_file : NULL;
	if (f == NULL) {
		if (!filename_is_clean(filename)) {
			set_input_error(r, STATUS_INVALID, HTTP_BAD_FILENAME_TEXT);
			return false;
		}
		if (r->file_count == HTTP_MAX_FILES) {
			set_input_error(r, STATUS_TOO_LARGE, "Quá nhiều tệp đính kèm.");
			return false;
		}
		f = &r->files[r->file_count++];
		f->field = arena_strdup(r->arena, key);
		f->filename = arena_strdup(r->arena, filename);
		buf_init(&f->data, r->arena, HTTP_MAX_UPLOAD_BYTES);
		st->current_file = f;
	}
	if (!buf_append(&f->data, data, size)) {
		set_input_error(r, STATUS_TOO_LARGE, "Tệp tải lên quá lớn.");
		return false;
	}
	return true;
}

static enum MHD_Result post_iterator(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *filename, const char *content_type,
				     const char *transfer_encoding, const char *data, uint64_t off,
				     size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	struct request_state *st = cls;
	if (st->req.input_error != STATUS_OK)
		return MHD_NO;
	if (key == NULL)
		return MHD_YES;
	if (is_nameless_file(filename, content_type)) {
		set_input_error(&st->req, STATUS_INVALID, HTTP_BAD_FILENAME_TEXT);
		return MHD_NO;
	}
	bool ok = filename != NULL ? append_file(st, key, filename, data, size, off)
				   : append_field(st, key, data, size, off);
	if (!ok)
		return MHD_NO;
	st->last_key = filename != NULL ? st->current_file->field : st->current_field->name;
	st->last_was_empty = size == 0;
	return MHD_YES;
}

/* Fields must be valid UTF-8 once whole (a chunk may split a character). */
static void check_form_text(struct request *r)
{
	for (size_t i = 0; i < r->form_count; i++) {
		if (!utf8_valid(r->form[i].name, strlen(r->form[i].name)) ||
		    !utf8_valid(r->form[i].value, r->form[i].len)) {
			set_input_error(r, STATUS_INVALID,
					"Dữ liệu gửi lên có ký tự không hợp lệ (không phải UTF-8).");
			return;
		}
	}
}

static struct request_state *request_begin(struct http_server *s, struct MHD_Connection *conn,
					   const char *url, const char *method)
{
	struct arena *a = arena_new(HTTP_ARENA_LIMIT);
	if (a == NULL)
		return NULL;
	/* The state itself is on the heap: the arena may be swapped (drop_input). */
	struct request_state *st = calloc(1, sizeof *st);
	if (st == NULL) {
		arena_free(a);
		return NULL;
	}
	struct request *r = &st->req;
	r->arena = a;
	r->connection = conn;
	r->started_us = now_us();
	r->now = r->started_us / 1000000;
	r->method = arena_strdup(a, method);
	r->path = arena_strdup(a, url);
	buf_init(&r->body, a, HTTP_MAX_BODY_OUT);
	buf_init(&r->raw_body, a, HTTP_MAX_FORM_BYTES);
	request_find_client(r, &s->proxies);
	if (!path_is_clean(url))
		set_input_error(r, STATUS_INVALID, "Địa chỉ không hợp lệ.");
	MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_query, r);

	const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	st->is_urlencoded = type != NULL &&
			    strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0;
	st->is_multipart = type != NULL && strncasecmp(type, "multipart/form-data", 19) == 0;
	st->body_limit = st->is_multipart ? HTTP_MAX_UPLOAD_BYTES : HTTP_MAX_FORM_BYTES;
	const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	if (length != NULL && strtoull(length, NULL, 10) > st->body_limit)
		set_input_error(r, STATUS_TOO_LARGE, "Nội dung gửi lên quá lớn.");
	if (st->is_urlencoded || st->is_multipart) {
		st->post = MHD_create_post_processor(conn, HTTP_POST_BUFFER, post_iterator, st);
		if (st->post == NULL)
			set_input_error(r, STATUS_INVALID, "Biểu mẫu gửi lên không đọc được.");
	}
	return st;
}

static void request_feed(struct request_state *st, const char *data, size_t size)
{
	struct request *r = &st->req;
	st->body_seen += size;
	if (st->body_seen > st->body_limit && r->input_error != STATUS_TOO_LARGE) {
		/* Too large is the answer, whatever else was wrong with the first bytes. */
		r->input_error = STATUS_TOO_LARGE;
		r->input_error_text = "Nội dung gửi lên quá lớn.";
	}
	if (r->input_error != STATUS_OK)
		return; /* keep reading (and dropping) so the answer can be sent */
	if (st->post != NULL) {
		if (MHD_post_process(st->post, data, size) != MHD_YES)
			set_input_error(r, STATUS_INVALID, "Biểu mẫu gửi lên không đọc được.");
	} else if (!buf_append(&r->raw_body, data, size)) {
		set_input_error(r, STATUS_TOO_LARGE, "Nội dung gửi lên quá lớn.");
	}
}

/* The input filled the request's arena: forget it, and give the answer a fresh arena. */
static void drop_input(struct request_state *st)
{
	struct request *r = &st->req;
	struct arena *fresh = arena_new(HTTP_ARENA_LIMIT);
	if (fresh == NULL)
		return;
	const char *method = arena_strdup(fresh, r->method), *path = arena_strdup(fresh, r->path);
	const char *client_ip = r->client_ip != NULL ? arena_strdup(fresh, r->client_ip) : NULL;
	arena_free(r->arena);
	r->arena = fresh;
	r->method = method;
	r->path = path;
	r->client_ip = client_ip;
	r->form_count = r->query_count = r->file_count = 0;
	st->current_field = NULL;
	st->current_file = NULL;
	buf_init(&r->body, fresh, HTTP_MAX_BODY_OUT);
	buf_init(&r->raw_body, fresh, HTTP_MAX_FORM_BYTES);
	r->input_error = STATUS_TOO_LARGE;
	r->input_error_text = "Yêu cầu quá lớn.";
}

/* The connection's entry for the reaper (NULL when it is not tracked). */
static struct tracked_conn *tracked(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info != NULL ? info->socket_context : NULL;
}

/* Sets when the connection's next request must be in (0: none, being answered). */
static void set_deadline(struct http_server *s, struct MHD_Connection *conn, bool answering)
{
	struct tracked_conn *t = tracked(conn);
	if (t == NULL || s->opt.request_timeout_s <= 0)
		return;
	pthread_mutex_lock(&s->lock);
	t->deadline_us = answering ? 0 : now_us() + (int64_t)s->opt.request_timeout_s * 1000000;
	pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct request *r)
{
	const char *body = r->has_raw_body ? buf_str(&r->body) : "";
	size_t len = r->has_raw_body ? r->body.len : 0;
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	if (r->content_type != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	if (r->redirect != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->redirect);
	for (size_t i = 0; i < r->headers_out_count; i++)
		MHD_add_response_header(resp, r->headers_out[i].name, r->headers_out[i].value);
	int status = r->status ? r->status : 200;
	r->status = status;
	if (r->must_close) /* the body was not read: the connection can't carry another request */
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	r->bytes_sent = (int64_t)len;
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Answers a body that is too large at once, without reading it (nor sending "100
 * Continue"), and closes the connection after the answer. */
static enum MHD_Result answer_early(struct http_server *s, struct MHD_Connection *conn,
				    struct request_state *st)
{
	if (st->answered)
		return MHD_YES;
	st->answered = true;
	set_deadline(s, conn, true);
	if (st->post != NULL) {
		MHD_destroy_post_processor(st->post);
		st->post = NULL;
	}
	st->req.must_close = true;
	s->opt.dispatch(&st->req, s->opt.app);
	return send_response(conn, &st->req);
}

/* Answers a chunked body past the limit at once and closes the connection. libmicrohttpd
 * 0.9.75 queues no response while a body is arriving, so the answer is written to the
 * socket here (nothing else has been written on it for this request: its "100 Continue"
 * at most), and MHD_NO then makes libmicrohttpd close the connection. */
static enum MHD_Result answer_on_socket(struct http_server *s, struct MHD_Connection *conn,
					struct request_state *st)
{
	struct request *r = &st->req;
	if (st->post != NULL) {
		MHD_destroy_post_processor(st->post);
		st->post = NULL;
	}
	s->opt.dispatch(r, s->opt.app);
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (info == NULL)
		return MHD_NO;
	struct buf head;
	buf_init(&head, r->arena, HTTP_CONNECTION_MEMORY);
	size_t len = r->has_raw_body ? r->body.len : 0;
	r->status = 413;
	buf_printf(&head, "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\n"
			  "Content-Length: %zu\r\n", len);
	if (r->content_type != NULL)
		buf_printf(&head, "Content-Type: %s\r\n", r->content_type);
	for (size_t i = 0; i < r->headers_out_count; i++)
		buf_printf(&head, "%s: %s\r\n", r->headers_out[i].name, r->headers_out[i].value);
	buf_puts(&head, "\r\n");
	if (len > 0)
		buf_append(&head, buf_str(&r->body), len);
	if (!head.failed && send(info->connect_fd, head.data, head.len, MSG_NOSIGNAL) > 0)
		r->bytes_sent = (int64_t)len;
	return MHD_NO;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_data_size,
				      void **req_cls)
{
	(void)version;
	struct http_server *s = cls;
	struct request_state *st = *req_cls;
	if (st == NULL) {
		st = request_begin(s, conn, url, method);
		if (st == NULL)
			return MHD_NO;
		*req_cls = st;
		if (st->req.input_error == STATUS_TOO_LARGE)
			return answer_early(s, conn, st); /* Content-Length too large */
		return MHD_YES; /* called again with the body, if any */
	}
	if (*upload_data_size > 0) {
		request_feed(st, upload_data, *upload_data_size);
		*upload_data_size = 0;
		if (st->body_seen > st->body_limit)
			return answer_on_socket(s, conn, st); /* a chunked body past the limit */
		return MHD_YES;
	}
	if (st->answered)
		return MHD_YES;
	set_deadline(s, conn, true);
	/* Destroying the post processor hands over a value still pending in it (an
	 * empty last field, "a=1&b="), so it is done before the handler runs. */
	if (st->post != NULL) {
		MHD_destroy_post_processor(st->post);
		st->post = NULL;
	}
	if (st->req.input_error == STATUS_OK)
		check_form_text(&st->req);
	if (arena_failed(st->req.arena))
		drop_input(st);
	s->opt.dispatch(&st->req, s->opt.app);
	return send_response(conn, &st->req);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			      enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	set_deadline(s, conn, false); /* the next request on this connection */
	struct request_state *st = *req_cls;
	if (st == NULL)
		return;
	struct request *r = &st->req;
	if (s->opt.completed != NULL)
		s->opt.completed(r, now_us() - r->started_us, s->opt.app);
	if (s->opt.access_log)
		log_info("%s %s %d %lld %.1fms%s", r->method, r->path, r->status,
			 (long long)r->bytes_sent, (double)(now_us() - r->started_us) / 1000.0,
			 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	if (st->post != NULL)
		MHD_destroy_post_processor(st->post);
	if (r->view != NULL)
		json_decref(r->view);
	arena_free(r->arena);
	free(st);
	*req_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn("libmicrohttpd: %s", line);
}

/* Tracks each connection for the reaper from its opening to its closing. libmicrohttpd
 * calls CLOSED before it closes the socket, so the reaper (under the lock) never shuts
 * down a descriptor that has been reused. */
static void notify_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			      enum MHD_ConnectionNotificationCode code)
{
	struct http_server *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct tracked_conn *t = calloc(1, sizeof *t);
		if (t == NULL || info == NULL) {
			free(t);
			return;
		}
		t->fd = info->connect_fd;
		if (s->opt.request_timeout_s > 0)
			t->deadline_us = now_us() + (int64_t)s->opt.request_timeout_s * 1000000;
		pthread_mutex_lock(&s->lock);
		t->next = s->conns.next;
		t->prev = &s->conns;
		s->conns.next->prev = t;
		s->conns.next = t;
		pthread_mutex_unlock(&s->lock);
		*socket_context = t;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context != NULL) {
		struct tracked_conn *t = *socket_context;
		pthread_mutex_lock(&s->lock);
		t->prev->next = t->next;
		t->next->prev = t->prev;
		pthread_mutex_unlock(&s->lock);
		free(t);
		*socket_context = NULL;
	}
}

/* Shuts down the socket of every connection whose request is not in by its deadline
 * (slow clients dribbling a header byte at a time): libmicrohttpd then sees the end of
 * the stream and closes the connection. The idle timeout alone never fires for them. */
static void *reaper_main(void *arg)
{
	struct http_server *s = arg;
	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += HTTP_REAPER_PERIOD_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&s->wake, &s->lock, &until);
		int64_t now = now_us();
		for (struct tracked_conn *t = s->conns.next; t != &s->conns; t = t->next) {
			if (t->deadline_us != 0 && now > t->deadline_us) {
				shutdown(t->fd, SHUT_RDWR);
				t->deadline_us = 0;
			}
		}
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

bool http_listen_parse(const char *text, struct http_listen *out)
{
	const char *colon = strrchr(text, ':');
	if (colon == NULL)
		return false;
	const char *host = text;
	size_t len = (size_t)(colon - text);
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host++;
		len -= 2;
	} else if (memchr(text, ':', len) != NULL) {
		return false; /* an IPv6 address needs brackets: [::1]:8080 */
	}
	if (len == 0 || len >= sizeof out->host)
		return false;
	char addr[HTTP_HOST_TEXT];
	memcpy(addr, host, len);
	addr[len] = '\0';
	unsigned char bytes[16];
	bool is_v6 = host != text;
	if (inet_pton(is_v6 ? AF_INET6 : AF_INET, addr, bytes) != 1)
		return false;
	int64_t port;
	if (!num_parse_int64(colon + 1, 0, 65535, &port))
		return false;
	memcpy(out->host, addr, len + 1);
	out->port = (int)port;
	return true;
}

bool http_listen_sockaddr(const struct http_listen *l, struct sockaddr_storage *out)
{
	memset(out, 0, sizeof *out);
	struct sockaddr_in *v4 = (struct sockaddr_in *)out;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
	if (inet_pton(AF_INET, l->host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)l->port);
		return true;
	}
	if (inet_pton(AF_INET6, l->host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)l->port);
		return true;
	}
	return false;
}

/* Starts one daemon on l; NULL and a logged error on failure. */
static struct MHD_Daemon *daemon_start(struct http_server *s, const struct http_listen *l)
{
	const struct http_server_options *opt = &s->opt;
	struct sockaddr_storage storage;
	if (!http_listen_sockaddr(l, &storage)) {
		log_error("cannot listen on '%s': not an IPv4 or IPv6 address", l->host);
		return NULL;
	}
	struct sockaddr *addr = (struct sockaddr *)&storage;
	bool is_v6 = storage.ss_family == AF_INET6;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 MHD_USE_ITC;
	/* "::" is every address: IPv4 clients too (dual stack). */
	if (is_v6)
		flags |= IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&storage)->sin6_addr)
				 ? MHD_USE_DUAL_STACK : MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, access_handler, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)opt->threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)opt->connection_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)opt->per_ip_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)opt->connection_timeout_s,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
		MHD_OPTION_NOTIFY_COMPLETED, request_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, notify_connection, s,
		MHD_OPTION_END);
	if (d == NULL)
		log_error("cannot listen on %s%s%s:%d", is_v6 ? "[" : "", l->host, is_v6 ? "]" : "",
			  l->port);
	return d;
}

struct http_server *http_server_start(const struct http_server_options *opt)
{
	struct http_server *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->opt = *opt;
	const char *why;
	if (!http_proxies_parse(opt->trusted_proxies != NULL ? opt->trusted_proxies : "", &s->proxies,
				&why)) {
		log_error("trusted_proxies '%s': %s", opt->trusted_proxies, why);
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	s->conns.next = s->conns.prev = &s->conns;
	for (size_t i = 0; i < opt->listen_count && i < HTTP_LISTEN_MAX; i++) {
		struct MHD_Daemon *d = daemon_start(s, &opt->listen[i]);
		if (d == NULL) {
			http_server_stop(s);
			return NULL;
		}
		s->daemons[s->daemon_count++] = d;
	}
	if (opt->request_timeout_s > 0) {
		if (pthread_create(&s->reaper, NULL, reaper_main, s) != 0) {
			log_error("cannot start the slow-request reaper");
			http_server_stop(s);
			return NULL;
		}
		s->has_reaper = true;
	}
	return s;
}

void http_server_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	/* Stop accepting first; MHD_stop_daemon then waits for the pool's threads,
	 * which finish the requests they are serving. */
	for (size_t i = 0; i < s->daemon_count; i++)
		MHD_quiesce_daemon(s->daemons[i]);
	for (size_t i = 0; i < s->daemon_count; i++)
		MHD_stop_daemon(s->daemons[i]);
	if (s->has_reaper) {
		pthread_mutex_lock(&s->lock);
		s->stopping = true;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->reaper, NULL);
	}
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
