/* metrics.h: Prometheus text exposition (format 0.0.4): counters and histograms kept with
 * relaxed atomics, their text, and a small listener of its own that serves them
 *
 * Nothing here knows what is counted: the caller names its series and gives a collect
 * function that writes them when a scraper asks. Updates are one or two relaxed atomic
 * additions, so the hot path of the main server pays no lock. */
#ifndef HTTP_METRICS_H
#define HTTP_METRICS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct buf;

enum {
	METRICS_MAX_BUCKETS = 16,             /* upper bounds of one histogram */
	METRICS_MAX_BYTES = 1024 * 1024,      /* one scrape's text; past it the scrape is a 500 */
	METRICS_CONNECTION_LIMIT = 16,        /* scrapers at once */
	METRICS_CONNECTION_TIMEOUT_S = 10,
};

/* A counter: add with metrics_count, read with atomic_load. */
typedef _Atomic uint64_t metrics_counter;

/* A histogram over integer observations (e.g. microseconds). bounds are the buckets'
 * inclusive upper limits, ascending, in the same unit; scale divides them (and the sum)
 * for the text, so 1e6 writes microseconds as seconds. counts[i] holds the observations
 * of bucket i only (made cumulative when written); counts[nbounds] those above all. */
struct metrics_histogram {
	const uint64_t *bounds;
	size_t nbounds; /* at most METRICS_MAX_BUCKETS */
	double scale;
	metrics_counter counts[METRICS_MAX_BUCKETS + 1];
	metrics_counter sum;
};

/* One label of a series: name="value" (the value is escaped when written). */
struct metrics_label {
	const char *name, *value;
};

/* Adds n to a counter (relaxed: a scrape may see it a moment late). */
static inline void metrics_count(metrics_counter *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

/* Prepares h with its bounds (kept by pointer: they must outlive h) and all counts 0.
 * false if there are more than METRICS_MAX_BUCKETS bounds or they do not ascend. */
bool metrics_histogram_init(struct metrics_histogram *h, const uint64_t *bounds,
			    size_t nbounds, double scale);
/* Counts one observation of value in h. */
void metrics_observe(struct metrics_histogram *h, uint64_t value);

/* Writes the "# HELP" and "# TYPE" lines of a metric family (type "counter", "gauge",
 * "histogram"). help may hold any text: backslashes and line breaks are escaped. */
void metrics_write_header(struct buf *b, const char *name, const char *type, const char *help);
/* Writes one sample line: name{labels} value (integers without a fraction). */
void metrics_write_value(struct buf *b, const char *name, const struct metrics_label *labels,
			 size_t nlabels, double value);
/* Writes the series of histogram h under name with labels: a cumulative _bucket line for
 * each bound and for +Inf, then _sum and _count (= the +Inf bucket). */
void metrics_write_histogram(struct buf *b, const char *name, const struct metrics_label *labels,
			     size_t nlabels, const struct metrics_histogram *h);

/* Writes every series into b when a scraper asks; called on the listener's thread. */
typedef void (*metrics_collect_fn)(struct buf *b, void *ctx);

struct metrics_server;

/* Listens on address (HOST:PORT as http_listen_parse reads it, port not 0) in a thread of its own and answers GET
 * /metrics with what collect writes; any other path is a 404. NULL and a logged error
 * if the address is invalid or taken. */
struct metrics_server *metrics_server_start(const char *address, metrics_collect_fn collect,
					    void *ctx);
/* Stops the listener (NULL is allowed). */
void metrics_server_stop(struct metrics_server *s);

#endif
