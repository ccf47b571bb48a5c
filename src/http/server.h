/* server.h: the libmicrohttpd server: request lifecycle, parsing with limits, responses */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include <stdbool.h>

struct request;

/* Called once per request when its input is complete. It must leave the final
 * response in r: status, content_type and body (has_raw_body), or a redirect. */
typedef void (*http_dispatch_fn)(struct request *r, void *app);

struct http_server_options {
	const char *host; /* "127.0.0.1" */
	int port;
	int threads;      /* size of the thread pool */
	int connection_timeout_s;
	int connection_limit;
	bool access_log;
	http_dispatch_fn dispatch;
	void *app;
};

struct http_server;

/* Starts listening and serving; NULL and a logged error on failure. */
struct http_server *http_server_start(const struct http_server_options *opt);
/* Stops accepting, lets requests in flight finish, then stops the threads. */
void http_server_stop(struct http_server *s);

#endif
