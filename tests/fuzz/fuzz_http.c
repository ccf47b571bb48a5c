/* fuzz_http.c: libFuzzer harness: raw HTTP bytes through the real server.c and libmicrohttpd
 *
 * The input is what a client sends on one connection (request line, headers, body; several
 * pipelined requests if it holds them). server.c is compiled into this file, so its own
 * access_handler, request_begin (path check, query), post_iterator (urlencoded and multipart
 * bodies, field joining, limits), check_form_text and send_response run as in the server.
 * The daemon differs from http_server_start's only in how connections arrive: no listening
 * socket and no thread; each input is one end of a socketpair given to MHD_add_connection,
 * and MHD_run is turned here until libmicrohttpd closes the connection. That keeps a run
 * deterministic and fast (no TCP, no thread hand-off). The stub dispatcher reads every field
 * the parsing produced (so ASan sees any bad byte), matches the path against the real route
 * table as app_dispatch does, and answers with a body echoing the fields.
 */

/* server.c's two public functions are not used (they start a listening daemon); renamed
 * so that the copy of server.c in libphuong could never clash with this one. */
#define http_server_start fuzz_unused_http_server_start
#define http_server_stop fuzz_unused_http_server_stop
#include "http/server.c"
#undef http_server_start
#undef http_server_stop

#include "app/app.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

/* MHD_run rounds one input may take before it counts as a hang (a connection libmicrohttpd
 * neither answers nor closes after the client has half-closed). */
enum { FUZZ_HTTP_MAX_ROUNDS = 100000 };

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct MHD_Daemon *daemon_;
static struct http_server server;
static volatile size_t sink;
static bool echo; /* FUZZ_HTTP_ECHO set: the answers go to stderr (to read a reproducer) */

/* Reads every byte of s[0..n) and checks the NUL the parsers promise after them. */
static void touch(const char *s, size_t n)
{
	size_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (unsigned char)s[i];
	if (s[n] != '\0')
		abort();
	sink += sum;
}

static void touch_str(const char *s)
{
	if (s != NULL)
		touch(s, strlen(s));
}

static enum MHD_Result touch_value(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	(void)cls;
	(void)kind;
	touch_str(key);
	touch_str(value);
	return MHD_YES;
}

static void touch_params(const struct http_param *p, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		touch_str(p[i].name);
		touch(p[i].value, p[i].len);
	}
}

/* What app_dispatch reads before a handler runs, and an echo of every parsed field. */
static void stub_dispatch(struct request *r, void *app)
{
	(void)app;
	touch_str(r->method);
	touch_str(r->path);
	touch_params(r->query, r->query_count);
	touch_params(r->form, r->form_count);
	for (size_t i = 0; i < r->file_count; i++) {
		touch_str(r->files[i].field);
		touch_str(r->files[i].filename);
		touch(buf_str(&r->files[i].data), r->files[i].data.len);
	}
	touch(buf_str(&r->raw_body), r->raw_body.len);
	MHD_get_connection_values(r->connection, MHD_HEADER_KIND, touch_value, NULL);
	MHD_get_connection_values(r->connection, MHD_COOKIE_KIND, touch_value, NULL);
	MHD_get_connection_values(r->connection, MHD_GET_ARGUMENT_KIND, touch_value, NULL);
	static const char *const headers[] = { "Host", "Origin", "Accept", "Content-Type",
					       "X-Forwarded-For", "X-Real-IP", "If-None-Match",
					       "Accept-Encoding", "Referer" };
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
		touch_str(request_header(r, headers[i]));
	static const char *const cookies[] = { "phuong_session", "phuong_csrf", "lang" };
	for (size_t i = 0; i < sizeof cookies / sizeof cookies[0]; i++)
		touch_str(request_cookie(r, cookies[i]));
	touch_str(request_client_ip(r));
	touch_str(request_query(r, "next"));
	touch_str(request_form(r, "csrf"));
	(void)request_file(r, "tep");

	/* What request.h promises a handler of a request that broke no rule. */
	if (r->input_error == STATUS_OK) {
		if (r->path[0] != '/' || !utf8_valid(r->path, strlen(r->path)))
			abort();
		for (size_t i = 0; i < r->query_count; i++)
			if (!utf8_valid(r->query[i].value, r->query[i].len))
				abort();
		for (size_t i = 0; i < r->form_count; i++)
			if (!utf8_valid(r->form[i].name, strlen(r->form[i].name)) ||
			    !utf8_valid(r->form[i].value, r->form[i].len))
				abort();
	}

	request_add_header(r, "X-Content-Type-Options", "nosniff");
	r->content_type = "text/plain; charset=utf-8";
	r->has_raw_body = true;
	if (r->input_error != STATUS_OK) {
		r->status = r->input_error == STATUS_TOO_LARGE ? 413 : 400;
		buf_puts(&r->body, r->input_error_text);
		return;
	}
	/* The route, as app_dispatch finds it (on a copy: route_match cuts the path). */
	enum route_method method = strcmp(r->method, "POST") == 0 ? ROUTE_POST : ROUTE_GET;
	bool mismatch = false;
	const struct route *route = route_match(method, arena_strdup(r->arena, r->path),
						r->path_params, HTTP_MAX_PATH_PARAMS, &mismatch);
	buf_printf(&r->body, "%s\n", route != NULL ? route->pattern : mismatch ? "405" : "404");
	if (route != NULL)
		for (size_t i = 0; i < HTTP_MAX_PATH_PARAMS && r->path_params[i] != NULL; i++)
			buf_printf(&r->body, "{%s}\n", r->path_params[i]);
	for (size_t i = 0; i < r->query_count; i++)
		buf_printf(&r->body, "q %s=%s\n", r->query[i].name,
			   http_url_encode(r->arena, r->query[i].value));
	for (size_t i = 0; i < r->form_count; i++)
		buf_printf(&r->body, "f %s=%zu\n", r->form[i].name, r->form[i].len);
	for (size_t i = 0; i < r->file_count; i++)
		buf_printf(&r->body, "file %s %s %zu\n", r->files[i].field, r->files[i].filename,
			   r->files[i].data.len);
	/* A redirect and a header built from client bytes: libmicrohttpd must refuse the
	 * ones with line breaks, never send them. */
	const char *next = request_query(r, "next");
	if (next != NULL)
		request_redirect(r, 303, next);
	const char *lang = request_cookie(r, "lang");
	if (lang != NULL)
		request_set_header(r, "Content-Language", lang);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_ERROR);
	signal(SIGPIPE, SIG_IGN);
	echo = getenv("FUZZ_HTTP_ECHO") != NULL;
	server.opt.dispatch = stub_dispatch;
	/* The options of http_server_start that shape parsing, minus the listening ones. */
	daemon_ = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				   access_handler, &server,
				   MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY,
				   MHD_OPTION_CONNECTION_LIMIT, 4u,
				   MHD_OPTION_CONNECTION_TIMEOUT, 0u,
				   MHD_OPTION_NOTIFY_COMPLETED, request_completed, &server,
				   MHD_OPTION_END);
	if (daemon_ == NULL)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		abort();
	if (fcntl(sv[1], F_SETFL, O_NONBLOCK) != 0)
		abort();
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(40000) };
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (MHD_add_connection(daemon_, sv[0], (const struct sockaddr *)&peer, sizeof peer) !=
	    MHD_YES)
		abort();
	size_t sent = 0;
	bool half_closed = false;
	for (int round = 0;; round++) {
		if (sent < size) {
			ssize_t n = send(sv[1], data + sent, size - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
				sent = size; /* the server closed early: the rest is not read */
		}
		if (sent == size && !half_closed) {
			shutdown(sv[1], SHUT_WR);
			half_closed = true;
		}
		if (MHD_run(daemon_) != MHD_YES)
			abort();
		char reply[16384];
		ssize_t n;
		while ((n = recv(sv[1], reply, sizeof reply, 0)) > 0)
			if (echo)
				fwrite(reply, 1, (size_t)n, stderr);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			break; /* libmicrohttpd closed the connection */
		if (round == FUZZ_HTTP_MAX_ROUNDS) {
			fprintf(stderr, "fuzz_http: the connection is neither answered nor closed\n");
			abort();
		}
	}
	close(sv[1]);
	/* Let libmicrohttpd clean the closed connection up (request_completed runs). */
	MHD_run(daemon_);
	return 0;
}
