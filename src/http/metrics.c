/* metrics.c: Prometheus text exposition: atomic counters and histograms, their text, the listener */
#include "http/metrics.h"
#include "http/server.h"

#include "base/buf.h"
#include "base/log.h"

#include <arpa/inet.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

bool metrics_histogram_init(struct metrics_histogram *h, const uint64_t *bounds,
			    size_t nbounds, double scale)
{
	if (nbounds > METRICS_MAX_BUCKETS || !(scale > 0))
		return false;
	for (size_t i = 1; i < nbounds; i++)
		if (bounds[i] <= bounds[i - 1])
			return false;
	h->bounds = bounds;
	h->nbounds = nbounds;
	h->scale = scale;
	for (size_t i = 0; i <= METRICS_MAX_BUCKETS; i++)
		atomic_init(&h->counts[i], 0);
	atomic_init(&h->sum, 0);
	return true;
}

void metrics_observe(struct metrics_histogram *h, uint64_t value)
{
	size_t i = 0;
	while (i < h->nbounds && value > h->bounds[i])
		i++;
	metrics_count(&h->counts[i], 1);
	metrics_count(&h->sum, value);
}

/* Appends s with backslash and line feed escaped, and the double quote too when in_label
 * (the exposition format's two escaping rules: HELP text and label values). */
static void put_escaped(struct buf *b, const char *s, bool in_label)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			buf_lit(b, "\\\\");
		else if (*s == '\n')
			buf_lit(b, "\\n");
		else if (*s == '"' && in_label)
			buf_lit(b, "\\\"");
		else
			buf_putc(b, *s);
	}
}

static void put_number(struct buf *b, double v)
{
	if (isnan(v))
		buf_lit(b, "NaN");
	else if (isinf(v))
		buf_puts(b, v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(b, "%.0f", v);
	else
		buf_printf(b, "%.9g", v);
}

/* name{a="x",b="y",extra="value"} with extra left out when extra_name is NULL. */
static void put_series(struct buf *b, const char *name, const char *suffix,
		       const struct metrics_label *labels, size_t nlabels, const char *extra_name,
		       const char *extra_value)
{
	buf_puts(b, name);
	buf_puts(b, suffix);
	if (nlabels == 0 && extra_name == NULL)
		return;
	buf_putc(b, '{');
	for (size_t i = 0; i < nlabels; i++) {
		if (i > 0)
			buf_putc(b, ',');
		buf_puts(b, labels[i].name);
		buf_lit(b, "=\"");
		put_escaped(b, labels[i].value, true);
		buf_putc(b, '"');
	}
	if (extra_name != NULL) {
		if (nlabels > 0)
			buf_putc(b, ',');
		buf_puts(b, extra_name);
		buf_lit(b, "=\"");
		buf_puts(b, extra_value);
		buf_putc(b, '"');
	}
	buf_putc(b, '}');
}

void metrics_write_header(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_lit(b, "# HELP ");
	buf_puts(b, name);
	buf_putc(b, ' ');
	put_escaped(b, help, false);
	buf_lit(b, "\n# TYPE ");
	buf_puts(b, name);
	buf_putc(b, ' ');
	buf_puts(b, type);
	buf_putc(b, '\n');
}

void metrics_write_value(struct buf *b, const char *name, const struct metrics_label *labels,
			 size_t nlabels, double value)
{
	put_series(b, name, "", labels, nlabels, NULL, NULL);
	buf_putc(b, ' ');
	put_number(b, value);
	buf_putc(b, '\n');
}

void metrics_write_histogram(struct buf *b, const char *name, const struct metrics_label *labels,
			     size_t nlabels, const struct metrics_histogram *h)
{
	/* One snapshot of the counts, so the buckets rise and _count is the +Inf bucket even
	 * while requests go on being counted. */
	uint64_t cumulative = 0;
	for (size_t i = 0; i <= h->nbounds; i++) {
		cumulative += atomic_load_explicit(&h->counts[i], memory_order_relaxed);
		char le[32];
		if (i < h->nbounds)
			snprintf(le, sizeof le, "%.9g", (double)h->bounds[i] / h->scale);
		else
			snprintf(le, sizeof le, "+Inf");
		put_series(b, name, "_bucket", labels, nlabels, "le", le);
		buf_putc(b, ' ');
		put_number(b, (double)cumulative);
		buf_putc(b, '\n');
	}
	put_series(b, name, "_sum", labels, nlabels, NULL, NULL);
	buf_putc(b, ' ');
	put_number(b, (double)atomic_load_explicit(&h->sum, memory_order_relaxed) / h->scale);
	buf_putc(b, '\n');
	put_series(b, name, "_count", labels, nlabels, NULL, NULL);
	buf_putc(b, ' ');
	put_number(b, (double)cumulative);
	buf_putc(b, '\n');
}

struct metrics_server {
	struct MHD_Daemon *daemon;
	metrics_collect_fn collect;
	void *ctx;
};

static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status, const char *type,
			      const char *body, size_t len)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	enum MHD_Result ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result metrics_handler(void *cls, struct MHD_Connection *conn, const char *url,
				       const char *method, const char *version,
				       const char *upload_data, size_t *upload_data_size,
				       void **req_cls)
{
	(void)version;
	(void)upload_data;
	static int started; /* any non-NULL marker: the first call only notes the request */
	if (*req_cls == NULL) {
		*req_cls = &started;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		*upload_data_size = 0; /* a body is not wanted: read and dropped */
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return answer(conn, 405, "text/plain; charset=utf-8", "method not allowed\n", 19);
	if (strcmp(url, "/metrics") != 0)
		return answer(conn, 404, "text/plain; charset=utf-8", "not found: try /metrics\n", 24);
	struct metrics_server *s = cls;
	struct buf b;
	buf_init(&b, NULL, METRICS_MAX_BYTES);
	s->collect(&b, s->ctx);
	enum MHD_Result ret = b.failed
		? answer(conn, 500, "text/plain; charset=utf-8", "metrics too large\n", 18)
		: answer(conn, 200, METRICS_CONTENT_TYPE, buf_str(&b), b.len);
	buf_release(&b);
	return ret;
}

static void metrics_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("metrics listener: %s", line);
}

struct metrics_server *metrics_server_start(const char *address, metrics_collect_fn collect,
					    void *ctx)
{
	struct http_listen listen;
	struct sockaddr_storage addr;
	if (!http_listen_parse(address, &listen) || listen.port == 0 ||
	    !http_listen_sockaddr(&listen, &addr)) {
		log_error("cannot listen for metrics on '%s': not HOST:PORT with a numeric address",
			  address);
		return NULL;
	}
	struct metrics_server *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->collect = collect;
	s->ctx = ctx;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, metrics_handler, s,
		MHD_OPTION_EXTERNAL_LOGGER, metrics_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)METRICS_CONNECTION_LIMIT,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)METRICS_CONNECTION_TIMEOUT_S,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
		MHD_OPTION_END);
	if (s->daemon == NULL) {
		log_error("cannot listen for metrics on %s", address);
		free(s);
		return NULL;
	}
	return s;
}

void metrics_server_stop(struct metrics_server *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->daemon);
	free(s);
}
