/* metrics.h: what the portal tells its operators: the Prometheus series of the metrics
 * listener (requests, latency, page cache, database pool, dossiers, process) and /healthz */
#ifndef APP_METRICS_H
#define APP_METRICS_H

#include "base/status.h"

#include <stdint.h>

struct buf;
struct db_conn;
struct request;

enum {
	HEALTH_WAIT_MS = 500,          /* /healthz: longest wait for a database connection */
	HEALTH_BOUND_MS = 1000,        /* ... and for the whole check, past which it is a 503 */
	METRICS_DB_WAIT_MS = 2000,     /* a scrape's wait for a connection (dossier counts) */
	METRICS_DOSSIER_ROWS = 5000,   /* (unit, status) pairs written at most */
};

/* Zeroes the counters and notes the start time: once, before the server starts. */
void app_metrics_init(void);
/* The http_completed_fn of the server: counts r by route class and status class, and its
 * duration in its class's histogram. Lock-free (relaxed atomics). */
void app_metrics_completed(const struct request *r, int64_t duration_us, void *app);
/* The metrics_collect_fn of the metrics listener (ctx: the struct app): writes every
 * series, reading the pool's counters and the dossier counts (one bounded query). */
void app_metrics_collect(struct buf *b, void *app);

/* GET /healthz: 200 "ok" when a database connection comes within HEALTH_WAIT_MS and
 * answers a trivial read, all within HEALTH_BOUND_MS; 503 otherwise. Writes nothing,
 * reads no session, is never cached. */
enum status app_healthz(struct request *r);

/* Called by app_dossier_counts for each (unit code, status) with its dossiers. */
typedef void app_dossier_count_fn(const char *unit, const char *status, int64_t count,
				  void *ctx);
/* The dossiers of every unit by status, at most max_rows pairs (metrics_store.c). */
enum status app_dossier_counts(struct db_conn *c, int max_rows, app_dossier_count_fn *each,
			       void *ctx);

#endif
