/* metrics.c: the portal's Prometheus series (requests, latency, cache, pool, dossiers, process) and /healthz */
#include "app/metrics.h"

#include "app/app.h"
#include "app/page_cache.h"
#include "base/buf.h"
#include "base/log.h"
#include "http/metrics.h"
#include "http/request.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What a request was, for counting: the classes an operator tells apart. */
enum route_class {
	CLASS_STATIC,  /* /static/: styles, scripts, icons from memory */
	CLASS_CACHED,  /* a public page answered from the page cache */
	CLASS_PUBLIC,  /* a public page rendered */
	CLASS_STAFF,   /* /quan-tri pages */
	CLASS_API,     /* JSON (a .json suffix or Accept) */
	CLASS_HEALTH,  /* /healthz */
	CLASS_COUNT
};

static const char *const class_names[CLASS_COUNT] = {
	"static", "cached", "public", "staff", "api", "health",
};

/* Status classes: 1xx..5xx, and "none" for a request dropped before its answer. */
enum { CODE_CLASSES = 6 };
static const char *const code_names[CODE_CLASSES] = { "none", "1xx", "2xx", "3xx", "4xx", "5xx" };

/* Request durations in microseconds: 0.5 ms to 10 s. */
static const uint64_t latency_bounds_us[] = {
	500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
	5000000, 10000000,
};

static struct {
	metrics_counter requests[CLASS_COUNT][CODE_CLASSES];
	struct metrics_histogram latency[CLASS_COUNT];
	time_t started;         /* wall clock, for process_start_time_seconds */
	struct timespec since;  /* monotonic, for the uptime */
} counters;

void app_metrics_init(void)
{
	for (size_t c = 0; c < CLASS_COUNT; c++) {
		for (size_t k = 0; k < CODE_CLASSES; k++)
			atomic_init(&counters.requests[c][k], 0);
		metrics_histogram_init(&counters.latency[c], latency_bounds_us,
				       sizeof latency_bounds_us / sizeof latency_bounds_us[0], 1e6);
	}
	counters.started = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &counters.since);
}

static bool has_cache_hit(const struct request *r)
{
	for (size_t i = 0; i < r->headers_out_count; i++)
		if (strcmp(r->headers_out[i].name, "X-Cache") == 0 &&
		    strcmp(r->headers_out[i].value, "HIT") == 0)
			return true;
	return false;
}

static enum route_class class_of(const struct request *r)
{
	if (r->path == NULL)
		return CLASS_PUBLIC;
	if (strncmp(r->path, "/static/", 8) == 0)
		return CLASS_STATIC;
	if (strcmp(r->path, "/healthz") == 0)
		return CLASS_HEALTH;
	if (has_cache_hit(r))
		return CLASS_CACHED;
	if (r->want_json)
		return CLASS_API;
	if (strncmp(r->path, "/quan-tri", 9) == 0)
		return CLASS_STAFF;
	return CLASS_PUBLIC;
}

void app_metrics_completed(const struct request *r, int64_t duration_us, void *app)
{
	(void)app;
	enum route_class c = class_of(r);
	int code = r->status >= 100 && r->status < 600 ? r->status / 100 : 0;
	metrics_count(&counters.requests[c][code], 1);
	metrics_observe(&counters.latency[c], duration_us > 0 ? (uint64_t)duration_us : 0);
}

static void write_requests(struct buf *b)
{
	metrics_write_header(b, "phuong_http_requests_total", "counter",
			     "Requests answered, by route class and status class.");
	for (size_t c = 0; c < CLASS_COUNT; c++) {
		for (size_t k = 0; k < CODE_CLASSES; k++) {
			uint64_t n = atomic_load_explicit(&counters.requests[c][k],
							  memory_order_relaxed);
			struct metrics_label labels[] = { { "class", class_names[c] },
							  { "code", code_names[k] } };
			if (n > 0 || k == 2) /* 2xx always: every class has a series */
				metrics_write_value(b, "phuong_http_requests_total", labels, 2,
						    (double)n);
		}
	}
	metrics_write_header(b, "phuong_http_request_duration_seconds", "histogram",
			     "Time from a request's headers to the end of its answer, by route class.");
	for (size_t c = 0; c < CLASS_COUNT; c++) {
		struct metrics_label label = { "class", class_names[c] };
		metrics_write_histogram(b, "phuong_http_request_duration_seconds", &label, 1,
					&counters.latency[c]);
	}
}

static void write_store(struct buf *b, struct app *app)
{
	uint64_t hits, misses;
	page_cache_counts(app->pages, &hits, &misses);
	metrics_write_header(b, "phuong_page_cache_hits_total", "counter",
			     "Public pages answered from the page cache.");
	metrics_write_value(b, "phuong_page_cache_hits_total", NULL, 0, (double)hits);
	metrics_write_header(b, "phuong_page_cache_misses_total", "counter",
			     "Cacheable public pages that had to be rendered.");
	metrics_write_value(b, "phuong_page_cache_misses_total", NULL, 0, (double)misses);

	struct db_pool_stats pool;
	db_pool_stats(app->db, &pool);
	metrics_write_header(b, "phuong_db_pool_connections", "gauge",
			     "Database connections of the pool.");
	metrics_write_value(b, "phuong_db_pool_connections", NULL, 0, pool.size);
	metrics_write_header(b, "phuong_db_pool_in_use", "gauge",
			     "Database connections handed out now.");
	metrics_write_value(b, "phuong_db_pool_in_use", NULL, 0, pool.in_use);
	metrics_write_header(b, "phuong_db_pool_acquires_total", "counter",
			     "Times a connection was taken from the pool.");
	metrics_write_value(b, "phuong_db_pool_acquires_total", NULL, 0, (double)pool.acquires);
	metrics_write_header(b, "phuong_db_pool_waits_total", "counter",
			     "Times a thread found no idle connection and waited.");
	metrics_write_value(b, "phuong_db_pool_waits_total", NULL, 0, (double)pool.waits);
	metrics_write_header(b, "phuong_db_pool_wait_seconds_total", "counter",
			     "Time spent waiting for a database connection.");
	metrics_write_value(b, "phuong_db_pool_wait_seconds_total", NULL, 0,
			    (double)pool.wait_us / 1e6);
}

static void write_dossier_count(const char *unit, const char *status, int64_t count, void *ctx)
{
	struct metrics_label labels[] = { { "unit", unit }, { "status", status } };
	metrics_write_value(ctx, "phuong_dossiers", labels, 2, (double)count);
}

static void write_dossiers(struct buf *b, struct app *app)
{
	metrics_write_header(b, "phuong_dossiers", "gauge",
			     "One-stop dossiers by unit code and status (one query a scrape).");
	struct db_conn *c = db_acquire_within(app->db, METRICS_DB_WAIT_MS);
	enum status st = c != NULL ? app_dossier_counts(c, METRICS_DOSSIER_ROWS, write_dossier_count,
							b)
				   : STATUS_UNAVAILABLE;
	db_release(c);
	if (st != STATUS_OK)
		log_warn("metrics: cannot count the dossiers: %s", status_name(st));
	metrics_write_header(b, "phuong_dossiers_scrape_ok", "gauge",
			     "1 when phuong_dossiers could be read at this scrape, else 0.");
	metrics_write_value(b, "phuong_dossiers_scrape_ok", NULL, 0, st == STATUS_OK);
}

/* Resident memory from /proc/self/statm (its second field, in pages); 0 if unreadable. */
static double resident_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "re");
	unsigned long long size, resident = 0;
	if (f == NULL)
		return 0;
	if (fscanf(f, "%llu %llu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

static void write_process(struct buf *b)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double uptime = (double)(now.tv_sec - counters.since.tv_sec) +
			(double)(now.tv_nsec - counters.since.tv_nsec) / 1e9;
	metrics_write_header(b, "process_resident_memory_bytes", "gauge",
			     "Resident memory size in bytes.");
	metrics_write_value(b, "process_resident_memory_bytes", NULL, 0, resident_bytes());
	metrics_write_header(b, "process_start_time_seconds", "gauge",
			     "Start time of the process since unix epoch in seconds.");
	metrics_write_value(b, "process_start_time_seconds", NULL, 0, (double)counters.started);
	metrics_write_header(b, "phuong_uptime_seconds", "gauge",
			     "Seconds since the server started.");
	metrics_write_value(b, "phuong_uptime_seconds", NULL, 0, uptime);
}

void app_metrics_collect(struct buf *b, void *opaque)
{
	struct app *app = opaque;
	write_requests(b);
	write_store(b, app);
	write_dossiers(b, app);
	write_process(b);
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum status app_healthz(struct request *r)
{
	const struct app *app = r->app;
	int64_t start = monotonic_ms();
	struct db_conn *c = db_acquire_within(app->db, HEALTH_WAIT_MS);
	enum status st = c != NULL ? db_ping(c) : STATUS_UNAVAILABLE;
	db_release(c);
	int64_t took = monotonic_ms() - start;
	bool ok = st == STATUS_OK && took <= HEALTH_BOUND_MS;
	if (!ok)
		log_warn("healthz: the database did not answer (%s, %lld ms)", status_name(st),
			 (long long)took);
	r->status = ok ? 200 : 503;
	r->content_type = "text/plain; charset=utf-8";
	buf_puts(&r->body, ok ? "ok\n" : "unavailable\n");
	r->has_raw_body = true;
	request_add_header(r, "Cache-Control", "no-store");
	return STATUS_OK;
}
