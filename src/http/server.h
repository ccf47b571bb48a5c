/* server.h: the libmicrohttpd server: request lifecycle, parsing with limits, responses */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include <stdbool.h>
#include <stdint.h>

struct request;

/* Called once per request when its input is complete. It must leave the final
 * response in r: status, content_type and body (has_raw_body), or a redirect. */
typedef void (*http_dispatch_fn)(struct request *r, void *app);
/* Called once per request when it is over (answered, or the connection dropped), before
 * its memory goes, with the time since it began: for counters, so it must be quick. */
typedef void (*http_completed_fn)(const struct request *r, int64_t duration_us, void *app);

struct http_server_options {
	const char *host; /* "127.0.0.1" */
	int port;
	int threads;      /* size of the thread pool */
	int connection_timeout_s;
	int connection_limit;
	bool access_log;
	http_dispatch_fn dispatch;
	http_completed_fn completed; /* NULL: none */
	void *app;
};

struct http_server;

/* Starts listening and serving; NULL and a logged error on failure. */
struct http_server *http_server_start(const struct http_server_options *opt);
/* Stops accepting, lets requests in flight finish, then stops the threads. */
void http_server_stop(struct http_server *s);

#endif
