/* server.h: the libmicrohttpd server: request lifecycle, parsing with limits, responses */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <stdint.h>

struct request;

enum { HTTP_LISTEN_MAX = 8, HTTP_HOST_TEXT = 64 };

/* One address to serve on. host is numeric: IPv4, or IPv6 without brackets ("::" also
 * takes IPv4 clients, as ::ffff:a.b.c.d: dual stack). */
struct http_listen {
	char host[HTTP_HOST_TEXT];
	int port;
};

/* Called once per request when its input is complete. It must leave the final
 * response in r: status, content_type and body (has_raw_body), or a redirect. */
typedef void (*http_dispatch_fn)(struct request *r, void *app);
/* Called once per request when it is over (answered, or the connection dropped), before
 * its memory goes, with the time since it began: for counters, so it must be quick. */
typedef void (*http_completed_fn)(const struct request *r, int64_t duration_us, void *app);

struct http_server_options {
	const struct http_listen *listen; /* one daemon each */
	size_t listen_count;
	int threads;      /* size of the thread pool */
	int connection_timeout_s;
	int connection_limit;
	int per_ip_limit;      /* connections one socket address may hold; 0: no limit */
	int request_timeout_s; /* a whole request (headers and body) must arrive within this,
				  counted from the connection's opening or its previous answer;
				  0: only the idle timeout */
	bool access_log;
	const char *trusted_proxies; /* addresses/CIDRs whose X-Forwarded-For is believed; NULL: none */
	http_dispatch_fn dispatch;
	http_completed_fn completed; /* NULL: none */
	void *app;
};

struct http_server;

/* Parses "HOST:PORT" (IPv4) or "[IPV6]:PORT" into out: false unless host is a numeric
 * address and port 0..65535. */
bool http_listen_parse(const char *text, struct http_listen *out);
/* Fills out with l's socket address (IPv4 or IPv6); false if l->host is not an address. */
bool http_listen_sockaddr(const struct http_listen *l, struct sockaddr_storage *out);

/* Starts listening and serving; NULL and a logged error on failure. */
struct http_server *http_server_start(const struct http_server_options *opt);
/* Stops accepting, lets requests in flight finish, then stops the threads. */
void http_server_stop(struct http_server *s);

#endif
