/* test_http.c: the http module alone, over real sockets
 *
 * Starts http_server_start() on 127.0.0.1 (a free port, 2 threads) with a test
 * dispatch function that copies what it was given (method, path, query, form,
 * files, cookie, input error) into a global record and answers 200, or 400/413
 * for an input error, as the application does. Each test sends raw HTTP/1.1
 * bytes over a plain TCP socket and checks the status line and the record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/status.h"
#include "http/proxy.h"
#include "http/request.h"
#include "http/server.h"
#include "http/url.h"

enum { REPLY_TIMEOUT_MS = 10000 };

/* ---- what the dispatch function saw ---- */

struct seen_param {
	char *name, *value;
	size_t len;
};

struct seen_file {
	char *field, *filename;
	size_t size;
	uint64_t sum;
};

struct seen {
	int requests;
	char *method, *path;
	struct seen_param query[HTTP_MAX_FIELDS], form[HTTP_MAX_FIELDS];
	size_t query_count, form_count;
	struct seen_file files[HTTP_MAX_FILES];
	size_t file_count;
	char *cookie;
	enum status input_error;
	char *input_error_text;
};

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static struct seen seen;

static struct http_server *server;
static int server_port;

/* FNV-1a, to compare uploaded bytes. */
static uint64_t checksum(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211u;
	}
	return h;
}

static char *dup_bytes(const char *s, size_t n)
{
	if (s == NULL)
		return NULL;
	char *d = malloc(n + 1);
	if (d == NULL)
		abort(); /* server thread: no cmocka assertions here */
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static char *dup_str(const char *s)
{
	return s == NULL ? NULL : dup_bytes(s, strlen(s));
}

static void seen_clear_locked(void)
{
	free(seen.method);
	free(seen.path);
	for (size_t i = 0; i < seen.query_count; i++) {
		free(seen.query[i].name);
		free(seen.query[i].value);
	}
	for (size_t i = 0; i < seen.form_count; i++) {
		free(seen.form[i].name);
		free(seen.form[i].value);
	}
	for (size_t i = 0; i < seen.file_count; i++) {
		free(seen.files[i].field);
		free(seen.files[i].filename);
	}
	free(seen.cookie);
	free(seen.input_error_text);
	memset(&seen, 0, sizeof seen);
}

static void seen_reset(void)
{
	pthread_mutex_lock(&seen_lock);
	seen_clear_locked();
	pthread_mutex_unlock(&seen_lock);
}

/* The record, once the answer has been read (the lock orders it after dispatch). */
static const struct seen *seen_get(void)
{
	pthread_mutex_lock(&seen_lock);
	pthread_mutex_unlock(&seen_lock);
	return &seen;
}

static const struct seen_param *seen_param(const struct seen_param *p, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].name, name) == 0)
			return &p[i];
	return NULL;
}

static const char *seen_query(const char *name)
{
	const struct seen *s = seen_get();
	const struct seen_param *p = seen_param(s->query, s->query_count, name);
	return p ? p->value : NULL;
}

static const char *seen_form(const char *name)
{
	const struct seen *s = seen_get();
	const struct seen_param *p = seen_param(s->form, s->form_count, name);
	return p ? p->value : NULL;
}

static void copy_params(struct seen_param *to, const struct http_param *from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		to[i] = (struct seen_param){ dup_str(from[i].name),
					     dup_bytes(from[i].value, from[i].len), from[i].len };
}

static void test_dispatch(struct request *r, void *app)
{
	(void)app;
	pthread_mutex_lock(&seen_lock);
	int requests = seen.requests;
	seen_clear_locked();
	seen.requests = requests + 1;
	seen.method = dup_str(r->method);
	seen.path = dup_str(r->path);
	copy_params(seen.query, r->query, r->query_count);
	seen.query_count = r->query_count;
	copy_params(seen.form, r->form, r->form_count);
	seen.form_count = r->form_count;
	for (size_t i = 0; i < r->file_count; i++) {
		const struct http_file *f = &r->files[i];
		seen.files[i] = (struct seen_file){ dup_str(f->field), dup_str(f->filename),
						    f->data.len, checksum(f->data.data, f->data.len) };
	}
	seen.file_count = r->file_count;
	seen.cookie = dup_str(request_cookie(r, "phuong_session"));
	seen.input_error = r->input_error;
	seen.input_error_text = dup_str(r->input_error_text);
	pthread_mutex_unlock(&seen_lock);

	switch (r->input_error) {
	case STATUS_OK:
		r->status = 200;
		break;
	case STATUS_INVALID:
		r->status = 400;
		break;
	case STATUS_TOO_LARGE:
		r->status = 413;
		break;
	default:
		r->status = 500;
		break;
	}
	r->content_type = "text/plain; charset=utf-8";
	buf_puts(&r->body, r->status == 200 ? "ok" : status_name(r->input_error));
	r->has_raw_body = true;
}

/* ---- a tiny HTTP client ---- */

struct reply {
	int status; /* 0: no answer */
	char *raw;  /* the whole response, NUL-terminated */
	size_t len;
};

static void reply_free(struct reply *rep)
{
	free(rep->raw);
	*rep = (struct reply){ 0 };
}

static int connect_server(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)server_port) };
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* False if the server closed the connection before taking everything. */
static bool send_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Length of the header block (through the blank line), or 0 if not complete. */
static size_t header_length(const char *raw, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i++)
		if (memcmp(raw + i, "\r\n\r\n", 4) == 0)
			return i + 4;
	return 0;
}

/* Content-Length of a response, or -1. */
static long content_length(const char *raw, size_t head_len)
{
	static const char name[] = "\r\ncontent-length:";
	for (size_t i = 0; i + sizeof name - 1 < head_len; i++)
		if (strncasecmp(raw + i, name, sizeof name - 1) == 0)
			return strtol(raw + i + sizeof name - 1, NULL, 10);
	return -1;
}

/* Reads one response: its headers and Content-Length bytes of body (or up to EOF). */
static struct reply read_reply(int fd)
{
	struct reply rep = { 0 };
	size_t cap = 4096;
	rep.raw = malloc(cap);
	assert_non_null(rep.raw);
	for (;;) {
		size_t head = header_length(rep.raw, rep.len);
		if (head > 0) {
			long body = content_length(rep.raw, head);
			if (body >= 0 && rep.len >= head + (size_t)body)
				break;
		}
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, REPLY_TIMEOUT_MS) <= 0)
			break;
		if (cap - rep.len < 2048) {
			cap *= 2;
			rep.raw = realloc(rep.raw, cap);
			assert_non_null(rep.raw);
		}
		ssize_t got = recv(fd, rep.raw + rep.len, cap - rep.len - 1, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		rep.len += (size_t)got;
	}
	rep.raw[rep.len] = '\0';
	if (rep.len > 12 && strncmp(rep.raw, "HTTP/1.", 7) == 0)
		rep.status = atoi(rep.raw + 9);
	return rep;
}

/* Reads one response and gives its status. */
static int read_status(int fd)
{
	struct reply rep = read_reply(fd);
	int status = rep.status;
	reply_free(&rep);
	return status;
}

/* Sends head and body on a fresh connection and reads the answer. */
static struct reply exchange(const char *head, const void *body, size_t body_len)
{
	int fd = connect_server();
	if (send_all(fd, head, strlen(head)) && body_len > 0)
		send_all(fd, body, body_len); /* the server may answer and close early */
	struct reply rep = read_reply(fd);
	close(fd);
	return rep;
}

static int get_status(const char *target)
{
	char head[1024];
	snprintf(head, sizeof head,
		 "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", target);
	struct reply rep = exchange(head, NULL, 0);
	int status = rep.status;
	reply_free(&rep);
	return status;
}

/* POSTs body with the given Content-Type; returns the status. */
static int post_status(const char *type, const void *body, size_t len)
{
	char head[512];
	snprintf(head, sizeof head,
		 "POST /form HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
		 "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
		 type, len);
	struct reply rep = exchange(head, body, len);
	int status = rep.status;
	reply_free(&rep);
	return status;
}

static int post_form(const char *body)
{
	return post_status("application/x-www-form-urlencoded", body, strlen(body));
}

/* ---- setup ---- */

/* A port nobody listens on now: bind to port 0, read it, give it back. */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in addr = { .sin_family = AF_INET };
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
	socklen_t len = sizeof addr;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
	close(fd);
	return ntohs(addr.sin_port);
}

static int start_server(void **state)
{
	(void)state;
	for (int attempt = 0; attempt < 5 && server == NULL; attempt++) {
		server_port = free_port();
		struct http_listen listen = { .host = "127.0.0.1", .port = server_port };
		struct http_server_options opt = {
			.listen = &listen,
			.listen_count = 1,
			.threads = 2,
			.connection_timeout_s = 10,
			.connection_limit = 64,
			.dispatch = test_dispatch,
		};
		server = http_server_start(&opt);
	}
	return server == NULL ? -1 : 0;
}

static int stop_server(void **state)
{
	(void)state;
	http_server_stop(server);
	server = NULL;
	seen_reset();
	return 0;
}

static int before_each(void **state)
{
	(void)state;
	seen_reset();
	return 0;
}

/* ---- tests ---- */

static void query_is_percent_decoded(void **state)
{
	(void)state;
	assert_int_equal(get_status("/tim?q=t%E1%BA%A5m%20g%C6%B0%C6%A1ng&trang=2"), 200);
	const struct seen *s = seen_get();
	assert_int_equal(s->requests, 1);
	assert_string_equal(s->method, "GET");
	assert_string_equal(s->path, "/tim");
	assert_int_equal(s->input_error, STATUS_OK);
	assert_int_equal(s->query_count, 2);
	assert_string_equal(seen_query("q"), "tấm gương");
	assert_string_equal(seen_query("trang"), "2");
}

static void query_with_invalid_utf8_is_400(void **state)
{
	(void)state;
	assert_int_equal(get_status("/tim?q=%C3%28"), 400);
	const struct seen *s = seen_get();
	assert_int_equal(s->input_error, STATUS_INVALID);
	assert_non_null(s->input_error_text);
}

/* A %00 in a query name or value would cut it short where a handler reads it as a C
 * string: refused, like invalid UTF-8. */
static void query_with_nul_is_400(void **state)
{
	(void)state;
	assert_int_equal(get_status("/tim?q=ho%00so"), 400);
	assert_int_equal(seen_get()->input_error, STATUS_INVALID);
	assert_int_equal(get_status("/tim?q%00x=1"), 400);
	assert_int_equal(get_status("/tim?q=ho+so&trang=2"), 200);
}

static void path_traversal_is_400(void **state)
{
	(void)state;
	const char *bad[] = { "/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
			      "/a/.." };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		seen_reset();
		assert_int_equal(get_status(bad[i]), 400);
		assert_int_equal(seen_get()->requests, 1);
		assert_int_equal(seen_get()->input_error, STATUS_INVALID);
	}
}

static void dots_inside_a_segment_are_fine(void **state)
{
	(void)state;
	assert_int_equal(get_status("/a..b/c"), 200);
	assert_int_equal(seen_get()->input_error, STATUS_OK);
	assert_string_equal(seen_get()->path, "/a..b/c");
}

static void urlencoded_form_is_decoded(void **state)
{
	(void)state;
	assert_int_equal(post_form("ho_ten=Nguy%E1%BB%85n+V%C4%83n+A"
				   "&dia_chi=Ph%C6%B0%E1%BB%9Dng+9%2C+Qu%E1%BA%ADn+3"
				   "&ghi_chu=a%2Bb%26c%3Dd&rong=&so=42"),
			 200);
	const struct seen *s = seen_get();
	assert_string_equal(s->method, "POST");
	assert_int_equal(s->input_error, STATUS_OK);
	assert_int_equal(s->form_count, 5);
	assert_string_equal(seen_form("ho_ten"), "Nguyễn Văn A");
	assert_string_equal(seen_form("dia_chi"), "Phường 9, Quận 3");
	assert_string_equal(seen_form("ghi_chu"), "a+b&c=d");
	assert_string_equal(seen_form("rong"), "");
	assert_string_equal(seen_form("so"), "42");
}

/* 750 times "ấ " (3000 bytes once decoded), sent one byte per write. */
static void form_value_in_many_writes_is_whole(void **state)
{
	(void)state;
	static char body[16 * 1024], want[4096];
	size_t n = (size_t)sprintf(body, "truoc=1&dai=");
	want[0] = '\0';
	for (int i = 0; i < 750; i++) {
		n += (size_t)sprintf(body + n, "%%E1%%BA%%A5+");
		strcat(want, "ấ ");
	}
	n += (size_t)sprintf(body + n, "&sau=2");
	assert_int_equal(strlen(want), 3000);

	char head[512];
	snprintf(head, sizeof head,
		 "POST /form HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
		 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n",
		 n);
	int fd = connect_server();
	assert_true(send_all(fd, head, strlen(head)));
	for (size_t i = 0; i < n; i++) {
		assert_true(send_all(fd, body + i, 1));
		/* a pause, so that the server reads small pieces too */
		nanosleep(&(struct timespec){ .tv_nsec = 50000 }, NULL);
	}
	int status = read_status(fd);
	close(fd);
	assert_int_equal(status, 200);

	/* seen_form, like request_form, gives the first field of the name */
	assert_string_equal(seen_form("truoc"), "1");
	const char *dai = seen_form("dai");
	assert_non_null(dai);
	assert_int_equal(strlen(dai), 3000);
	assert_true(strcmp(dai, want) == 0);
	assert_string_equal(seen_form("sau"), "2");
	assert_int_equal(seen_get()->form_count, 3);
}

static void multipart_file_arrives_intact(void **state)
{
	(void)state;
	enum { FILE_BYTES = 100 * 1024 };
	static const char boundary[] = "----phuongTestBoundary7MA4YWxkTrZu0gW";
	static unsigned char file[FILE_BYTES];
	uint32_t x = 12345;
	for (size_t i = 0; i < FILE_BYTES; i++) {
		x = x * 1103515245u + 12345u;
		file[i] = (unsigned char)(x >> 16);
		if (i % 97 == 0)
			file[i] = 0; /* plenty of NULs */
	}
	const char *filename = "bảng kê 2024.bin";

	struct buf body;
	buf_init(&body, NULL, 1024 * 1024);
	buf_printf(&body,
		   "--%s\r\nContent-Disposition: form-data; name=\"tieu_de\"\r\n\r\n"
		   "Báo cáo tháng\r\n"
		   "--%s\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"%s\"\r\n"
		   "Content-Type: application/octet-stream\r\n\r\n",
		   boundary, boundary, filename);
	buf_append(&body, file, FILE_BYTES);
	buf_printf(&body, "\r\n--%s--\r\n", boundary);
	bool built = !body.failed;
	char type[128];
	snprintf(type, sizeof type, "multipart/form-data; boundary=%s", boundary);
	int status = built ? post_status(type, body.data, body.len) : 0;
	buf_release(&body);
	assert_true(built);
	assert_int_equal(status, 200);

	const struct seen *s = seen_get();
	assert_int_equal(s->input_error, STATUS_OK);
	assert_string_equal(seen_form("tieu_de"), "Báo cáo tháng");
	assert_int_equal(s->file_count, 1);
	assert_string_equal(s->files[0].field, "tep");
	assert_string_equal(s->files[0].filename, filename);
	assert_int_equal(s->files[0].size, FILE_BYTES);
	assert_true(s->files[0].sum == checksum(file, FILE_BYTES));
}

/* POSTs a body that arrives in pieces, a short pause between them; returns the status. */
static int post_in_pieces(const char *type, const char *const *pieces, size_t count)
{
	size_t total = 0;
	for (size_t i = 0; i < count; i++)
		total += strlen(pieces[i]);
	char head[512];
	snprintf(head, sizeof head,
		 "POST /form HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
		 "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
		 type, total);
	int fd = connect_server();
	assert_true(send_all(fd, head, strlen(head)));
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000 * 1000 }, NULL);
		assert_true(send_all(fd, pieces[i], strlen(pieces[i])));
	}
	int status = read_status(fd);
	close(fd);
	return status;
}

/* A text value and a file whose bytes straddle two reads are still one field, one file. */
static void multipart_split_across_reads(void **state)
{
	(void)state;
	const char *pieces[] = {
		"--XyZ\r\nContent-Disposition: form-data; name=\"tieu_de\"\r\n\r\nThông",
		" báo\r\n--XyZ\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"a.txt\"\r\n"
		"\r\nABC",
		"DEF\r\n--XyZ--\r\n",
	};
	assert_int_equal(post_in_pieces("multipart/form-data; boundary=XyZ", pieces, 3), 200);
	const struct seen *s = seen_get();
	assert_string_equal(seen_form("tieu_de"), "Thông báo");
	assert_int_equal(s->form_count, 1);
	assert_int_equal(s->file_count, 1);
	assert_int_equal(s->files[0].size, 6);
	assert_true(s->files[0].sum == checksum("ABCDEF", 6));
}

/* A field left empty at the end of a form ("...&b=") is there, with "". */
static void empty_last_field_is_kept(void **state)
{
	(void)state;
	assert_int_equal(post_form("a=1&b="), 200);
	assert_string_equal(seen_form("a"), "1");
	assert_non_null(seen_form("b"));
	assert_string_equal(seen_form("b"), "");
}

static void content_length_over_form_limit_is_413(void **state)
{
	(void)state;
	static char body[HTTP_MAX_FORM_BYTES + 1];
	size_t n = sizeof body;
	memcpy(body, "a=", 2);
	memset(body + 2, 'x', n - 2);
	assert_int_equal(post_status("application/x-www-form-urlencoded", body, n), 413);
	assert_int_equal(seen_get()->input_error, STATUS_TOO_LARGE);
}

static void field_over_field_limit_is_413(void **state)
{
	(void)state;
	static char body[2 + HTTP_MAX_FIELD_BYTES + 1000]; /* well under HTTP_MAX_FORM_BYTES */
	size_t n = sizeof body;
	memcpy(body, "a=", 2);
	memset(body + 2, 'x', n - 2);
	assert_int_equal(post_status("application/x-www-form-urlencoded", body, n), 413);
	assert_int_equal(seen_get()->input_error, STATUS_TOO_LARGE);
}

static void too_many_fields_is_413(void **state)
{
	(void)state;
	struct buf body;
	buf_init(&body, NULL, 64 * 1024);
	for (int i = 0; i <= HTTP_MAX_FIELDS; i++)
		buf_printf(&body, "%sf%d=%d", i ? "&" : "", i, i);
	int status = post_form(buf_str(&body));
	buf_release(&body);
	assert_int_equal(status, 413);
	assert_int_equal(seen_get()->input_error, STATUS_TOO_LARGE);

	/* exactly the limit is fine */
	seen_reset();
	buf_init(&body, NULL, 64 * 1024);
	for (int i = 0; i < HTTP_MAX_FIELDS; i++)
		buf_printf(&body, "%sf%d=%d", i ? "&" : "", i, i);
	status = post_form(buf_str(&body));
	buf_release(&body);
	assert_int_equal(status, 200);
	assert_int_equal(seen_get()->form_count, HTTP_MAX_FIELDS);
}

static void form_with_invalid_utf8_is_400(void **state)
{
	(void)state;
	assert_int_equal(post_form("a=%FF"), 400);
	assert_int_equal(seen_get()->input_error, STATUS_INVALID);
}

static void session_cookie_is_read(void **state)
{
	(void)state;
	struct reply rep = exchange("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
				    "Cookie: lang=en; phuong_session=abc\r\n\r\n",
				    NULL, 0);
	int status = rep.status;
	reply_free(&rep);
	assert_int_equal(status, 200);
	assert_non_null(seen_get()->cookie);
	assert_string_equal(seen_get()->cookie, "abc");
}

static void keep_alive_serves_two_requests(void **state)
{
	(void)state;
	const char *first = "GET /mot HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n";
	const char *second = "GET /hai?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
	int fd = connect_server();
	assert_true(send_all(fd, first, strlen(first)));
	assert_int_equal(read_status(fd), 200);
	assert_string_equal(seen_get()->path, "/mot");

	assert_true(send_all(fd, second, strlen(second))); /* same connection */
	int status = read_status(fd);
	close(fd);
	assert_int_equal(status, 200);
	assert_int_equal(seen_get()->requests, 2);
	assert_string_equal(seen_get()->path, "/hai");
	assert_string_equal(seen_query("x"), "1");
}

/* ---- trusted proxies (no server needed) ---- */

static void proxies_parse_addresses_and_cidrs(void **state)
{
	(void)state;
	struct http_proxies p;
	const char *why;
	assert_true(http_proxies_parse("", &p, &why));
	assert_int_equal(p.count, 0);
	assert_true(http_proxies_parse(" 127.0.0.1, 10.0.0.0/8 ::1,fd00::/8\t192.168.1.0/24 ", &p,
				       &why));
	assert_int_equal(p.count, 5);
	assert_true(http_proxies_match(&p, "127.0.0.1"));
	assert_false(http_proxies_match(&p, "127.0.0.2"));
	assert_true(http_proxies_match(&p, "10.255.1.2"));
	assert_false(http_proxies_match(&p, "11.0.0.1"));
	assert_true(http_proxies_match(&p, "192.168.1.77"));
	assert_false(http_proxies_match(&p, "192.168.2.1"));
	assert_true(http_proxies_match(&p, "::1"));
	assert_true(http_proxies_match(&p, "fd12:3456::9"));
	assert_false(http_proxies_match(&p, "fe80::1"));
	assert_true(http_proxies_match(&p, "::ffff:10.1.2.3")); /* a dual-stack peer */
	assert_false(http_proxies_match(&p, "not-an-address"));
	assert_true(http_proxies_parse("2001:db8::/33 172.16.0.0/12 0.0.0.0/0", &p, &why));
	assert_true(http_proxies_match(&p, "2001:db8:7fff::1"));
	assert_false(http_proxies_match(&p, "2001:db8:8000::1"));
	assert_true(http_proxies_match(&p, "172.31.255.255"));
	assert_true(http_proxies_match(&p, "8.8.8.8"));

	const char *bad[] = { "localhost", "127.0.0.1/33", "::1/129", "10.0.0.0/", "10.0.0.0/x",
			      "10.0.0.0/8/8", "1.2.3", "127.0.0.1;10.0.0.1", "fd00::/-1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		assert_false(http_proxies_parse(bad[i], &p, &why));
		assert_non_null(why);
	}
	char many[40 * 12] = "";
	for (int i = 0; i < 33; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), "10.0.0.%d ", i);
	assert_false(http_proxies_parse(many, &p, &why));
}

static const char *client_of(const char *proxies, const char *peer, const char *xff,
			     const char *real_ip)
{
	static char out[HTTP_ADDRESS_TEXT];
	struct http_proxies p;
	const char *why;
	assert_true(http_proxies_parse(proxies, &p, &why));
	http_proxies_client(&p, peer, xff, real_ip, out);
	return out;
}

static void proxies_pick_the_client(void **state)
{
	(void)state;
	/* No trusted proxy, or an untrusted peer: the socket, whatever the headers say. */
	assert_string_equal(client_of("", "203.0.113.5", "1.2.3.4", "5.6.7.8"), "203.0.113.5");
	assert_string_equal(client_of("127.0.0.1", "203.0.113.5", "1.2.3.4", NULL), "203.0.113.5");
	/* Behind one proxy: the right-most entry; the left-most ones are the client's words. */
	assert_string_equal(client_of("127.0.0.1", "127.0.0.1", "198.51.100.7", NULL),
			    "198.51.100.7");
	assert_string_equal(client_of("127.0.0.1", "127.0.0.1", "1.1.1.1, 198.51.100.7", NULL),
			    "198.51.100.7");
	/* A chain of trusted proxies is skipped from the right. */
	assert_string_equal(client_of("127.0.0.1 10.0.0.0/8", "127.0.0.1",
				      "6.6.6.6,198.51.100.7 , 10.0.0.3,10.1.1.1", NULL),
			    "198.51.100.7");
	/* All trusted: the left-most. */
	assert_string_equal(client_of("127.0.0.1 10.0.0.0/8", "127.0.0.1", "10.0.0.3, 10.0.0.4",
				      NULL),
			    "10.0.0.3");
	/* Not an address: the proxy that added it is the client. */
	assert_string_equal(client_of("127.0.0.1 10.0.0.0/8", "127.0.0.1", "1.2.3.4, junk, 10.0.0.4",
				      NULL),
			    "10.0.0.4");
	assert_string_equal(client_of("127.0.0.1", "127.0.0.1", "unknown", NULL), "127.0.0.1");
	assert_string_equal(client_of("127.0.0.1", "127.0.0.1", "", "198.51.100.9"),
			    "198.51.100.9");
	/* X-Real-IP only without X-Forwarded-For, and only when it is an address. */
	assert_string_equal(client_of("127.0.0.1", "127.0.0.1", NULL, "198.51.100.9"),
			    "198.51.100.9");
	assert_string_equal(client_of("127.0.0.1", "127.0.0.1", "198.51.100.7", "198.51.100.9"),
			    "198.51.100.7");
	assert_string_equal(client_of("127.0.0.1", "127.0.0.1", NULL, "x\n"), "127.0.0.1");
	/* IPv6, and the canonical text (one client, one spelling). */
	assert_string_equal(client_of("::1", "::1", "2001:DB8:0:0::7", NULL), "2001:db8::7");
	assert_string_equal(client_of("127.0.0.1", "::ffff:127.0.0.1", "198.51.100.7", NULL),
			    "198.51.100.7");
	assert_string_equal(client_of("", "::ffff:203.0.113.5", NULL, NULL), "203.0.113.5");
}

/* ---- http_path_is_local, http_host_* (no server needed) ---- */

static void local_paths_are_accepted(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"/", "/quan-tri", "/quan-tri/ho-so/P9-2026-000001", "/bai-viet/1-tin.json",
		"/tim-kiem?q=h%E1%BB%93+s%C6%A1", "/a/b/", "/chuyen-muc/tin-tuc#dau", "/a%20b",
		"/%", "/100%25", "/.well-known/x",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!http_path_is_local(ok[i]))
			fail_msg("refused %s", ok[i]);
}

static void foreign_targets_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "quan-tri", "//evil.example", "///evil.example", "/\\evil.example",
		"\\/evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example",
		"/\r/evil.example", "\t//evil.example", " /x", "/x y", "/a//b",
		"/%2F/evil.example", "/%2f/evil.example", "%2F%2Fevil.example", "/%5Cevil.example",
		"/%5cevil.example", "/%09/evil.example", "/%0A/evil.example", "/%0d/evil.example",
		"/%00", "/%7F", "/%252F/evil.example", "/%25252F%25252Fevil.example",
		"/%2525252525252F/evil.example", "https://evil.example", "http:/evil.example",
		"javascript:alert(1)", "/\x7F", "/\x01", "/\xEF\xBC\x8F\xEF\xBC\x8F" "evil.example",
		"\xEF\xBC\x8F\xEF\xBC\x8F" "evil.example", "/\xE2\x88\x95" "evil.example",
		"/\xC0\xAF/evil.example", "./x", "?next=/",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (http_path_is_local(bad[i]))
			fail_msg("accepted %s", bad[i]);
	assert_false(http_path_is_local(NULL));
	static char long_path[HTTP_MAX_LOCAL_PATH + 2];
	memset(long_path, 'a', sizeof long_path - 1);
	long_path[0] = '/';
	assert_false(http_path_is_local(long_path));
	long_path[HTTP_MAX_LOCAL_PATH] = '\0';
	assert_true(http_path_is_local(long_path));
}

static void host_headers_are_checked(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"phuong9.example.gov.vn", "PHUONG9.Example.VN:8443", "127.0.0.1:8080", "localhost",
		"[::1]:8080", "[2001:db8::1]", "xã-bình-an.vn", "a_b.test", "x:1",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!http_host_valid(ok[i]))
			fail_msg("refused host %s", ok[i]);
	static const char *const bad[] = {
		"", ":80", "a b", "evil.example/x", "evil.example\\x", "a@b", "a\tb", "a\r\nb",
		"x\x7F", "\xFF\xFE", "x\xC3", "\xC0\xAF", "a:", "a:123456", "a:8o", "[::1", "[]",
		"[::g]", "a\"b", "<a>", "a;b", "a?b", "a#b",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (http_host_valid(bad[i]))
			fail_msg("accepted host %s", bad[i]);
	assert_false(http_host_valid(NULL));
	static char long_host[HTTP_MAX_HOST + 2];
	memset(long_host, 'a', sizeof long_host - 1);
	assert_false(http_host_valid(long_host));
	long_host[HTTP_MAX_HOST] = '\0';
	assert_true(http_host_valid(long_host));

	char name[64];
	assert_true(http_host_name("WWW.Xa-Binh-An.TEST:8080", name, sizeof name));
	assert_string_equal(name, "www.xa-binh-an.test");
	assert_true(http_host_name("[::1]:8080", name, sizeof name));
	assert_string_equal(name, "[::1]");
	assert_false(http_host_name("a-name-longer-than-the-sixty-four-bytes-given-to-it.phuong-9.example.vn",
				    name, sizeof name));
	static const char *const loopback[] = { "localhost", "127.0.0.1", "127.1.2.254", "[::1]" };
	for (size_t i = 0; i < sizeof loopback / sizeof loopback[0]; i++)
		assert_true(http_host_is_loopback(loopback[i]));
	static const char *const other[] = { "localhost.evil.example", "127.0.0.1.evil.example",
		"127.0.0", "127.0.0.256", "127.0.0.1.", "128.0.0.1", "[::2]", "10.0.0.1", "" };
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (http_host_is_loopback(other[i]))
			fail_msg("loopback %s", other[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(query_is_percent_decoded, before_each),
		cmocka_unit_test_setup(query_with_invalid_utf8_is_400, before_each),
		cmocka_unit_test_setup(query_with_nul_is_400, before_each),
		cmocka_unit_test_setup(path_traversal_is_400, before_each),
		cmocka_unit_test_setup(dots_inside_a_segment_are_fine, before_each),
		cmocka_unit_test_setup(urlencoded_form_is_decoded, before_each),
		cmocka_unit_test_setup(form_value_in_many_writes_is_whole, before_each),
		cmocka_unit_test_setup(multipart_file_arrives_intact, before_each),
		cmocka_unit_test_setup(multipart_split_across_reads, before_each),
		cmocka_unit_test_setup(empty_last_field_is_kept, before_each),
		cmocka_unit_test_setup(content_length_over_form_limit_is_413, before_each),
		cmocka_unit_test_setup(field_over_field_limit_is_413, before_each),
		cmocka_unit_test_setup(too_many_fields_is_413, before_each),
		cmocka_unit_test_setup(form_with_invalid_utf8_is_400, before_each),
		cmocka_unit_test_setup(session_cookie_is_read, before_each),
		cmocka_unit_test_setup(keep_alive_serves_two_requests, before_each),
		cmocka_unit_test(proxies_parse_addresses_and_cidrs),
		cmocka_unit_test(proxies_pick_the_client),
		cmocka_unit_test(local_paths_are_accepted),
		cmocka_unit_test(foreign_targets_are_refused),
		cmocka_unit_test(host_headers_are_checked),
	};
	return cmocka_run_group_tests(tests, start_server, stop_server);
}
