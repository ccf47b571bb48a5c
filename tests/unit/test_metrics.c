/* test_metrics.c: the Prometheus text of http/metrics: HELP/TYPE lines, escaping, cumulative
 * buckets up to +Inf with _sum and _count, counts from several threads, listen addresses */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "http/metrics.h"
#include "http/server.h"

static const uint64_t bounds_us[] = { 1000, 10000, 100000 };

/* Checks text as a Prometheus scraper would: every sample's family was announced by a
 * HELP then a TYPE line; a histogram's buckets rise, end at +Inf, and _count equals the
 * +Inf bucket. Returns the number of sample lines. */
static int check_exposition(const char *text)
{
	char family[128] = "", type[32] = "";
	bool has_help = false;
	double last_bucket = -1, inf_bucket = -1;
	int samples = 0;
	const char *line = text;
	assert_true(text[0] != '\0' && text[strlen(text) - 1] == '\n');
	while (*line != '\0') {
		const char *end = strchr(line, '\n');
		assert_non_null(end);
		char l[512];
		size_t n = (size_t)(end - line);
		assert_true(n < sizeof l);
		memcpy(l, line, n);
		l[n] = '\0';
		line = end + 1;
		char name[128];
		if (strncmp(l, "# HELP ", 7) == 0) {
			assert_int_equal(sscanf(l + 7, "%127s", family), 1);
			has_help = true;
			type[0] = '\0';
			last_bucket = inf_bucket = -1;
			continue;
		}
		if (strncmp(l, "# TYPE ", 7) == 0) {
			assert_true(has_help);
			assert_int_equal(sscanf(l + 7, "%127s %31s", name, type), 2);
			assert_string_equal(name, family);
			assert_true(strcmp(type, "counter") == 0 || strcmp(type, "gauge") == 0 ||
				    strcmp(type, "histogram") == 0);
			continue;
		}
		assert_true(l[0] != '#');
		assert_true(type[0] != '\0'); /* a sample before its TYPE line */
		size_t name_len = strcspn(l, "{ ");
		assert_true(strncmp(l, family, strlen(family)) == 0);
		const char *value = strrchr(l, ' ');
		assert_non_null(value);
		double v = strcmp(value + 1, "+Inf") == 0 ? 1e300 : strtod(value + 1, NULL);
		if (strcmp(type, "histogram") == 0) {
			const char *suffix = l + strlen(family);
			if (strncmp(suffix, "_bucket", 7) == 0) {
				assert_true(v >= last_bucket);
				last_bucket = v;
				if (strstr(l, "le=\"+Inf\"") != NULL)
					inf_bucket = v;
			} else if (strncmp(suffix, "_count", 6) == 0) {
				assert_true(inf_bucket >= 0); /* +Inf came before _count */
				assert_true(v == inf_bucket);
				last_bucket = inf_bucket = -1;
			} else {
				assert_true(strncmp(suffix, "_sum", 4) == 0);
			}
		} else {
			assert_int_equal(name_len, strlen(family));
		}
		samples++;
	}
	return samples;
}

static void histogram_text_is_cumulative_with_inf_sum_and_count(void **state)
{
	(void)state;
	struct metrics_histogram h;
	assert_true(metrics_histogram_init(&h, bounds_us, 3, 1e6));
	metrics_observe(&h, 500);     /* <= 1 ms */
	metrics_observe(&h, 1000);    /* a bound is inclusive */
	metrics_observe(&h, 5000);    /* <= 10 ms */
	metrics_observe(&h, 2000000); /* above every bound */
	struct buf b;
	buf_init(&b, NULL, 4096);
	metrics_write_header(&b, "t_seconds", "histogram", "A test.");
	struct metrics_label label = { "class", "static" };
	metrics_write_histogram(&b, "t_seconds", &label, 1, &h);
	assert_string_equal(buf_str(&b),
		"# HELP t_seconds A test.\n"
		"# TYPE t_seconds histogram\n"
		"t_seconds_bucket{class=\"static\",le=\"0.001\"} 2\n"
		"t_seconds_bucket{class=\"static\",le=\"0.01\"} 3\n"
		"t_seconds_bucket{class=\"static\",le=\"0.1\"} 3\n"
		"t_seconds_bucket{class=\"static\",le=\"+Inf\"} 4\n"
		"t_seconds_sum{class=\"static\"} 2.0065\n"
		"t_seconds_count{class=\"static\"} 4\n");
	assert_int_equal(check_exposition(buf_str(&b)), 6);
	buf_release(&b);
}

static void counters_gauges_and_escaping(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL, 4096);
	metrics_write_header(&b, "t_total", "counter", "Back\\slash and\nnew line.");
	struct metrics_label labels[] = { { "unit", "P\"9\\\n" }, { "status", "received" } };
	metrics_write_value(&b, "t_total", labels, 2, 42);
	metrics_write_header(&b, "t_gauge", "gauge", "A gauge.");
	metrics_write_value(&b, "t_gauge", NULL, 0, 0.25);
	assert_string_equal(buf_str(&b),
		"# HELP t_total Back\\\\slash and\\nnew line.\n"
		"# TYPE t_total counter\n"
		"t_total{unit=\"P\\\"9\\\\\\n\",status=\"received\"} 42\n"
		"# HELP t_gauge A gauge.\n"
		"# TYPE t_gauge gauge\n"
		"t_gauge 0.25\n");
	assert_int_equal(check_exposition(buf_str(&b)), 2);
	buf_release(&b);
}

static void bad_bounds_are_refused(void **state)
{
	(void)state;
	static const uint64_t down[] = { 10, 5 };
	struct metrics_histogram h;
	assert_false(metrics_histogram_init(&h, down, 2, 1));
	assert_false(metrics_histogram_init(&h, bounds_us, METRICS_MAX_BUCKETS + 1, 1));
	assert_false(metrics_histogram_init(&h, bounds_us, 3, 0));
}

enum { OBSERVERS = 4, OBSERVATIONS = 100000 };

static void *observe_many(void *h)
{
	for (int i = 0; i < OBSERVATIONS; i++)
		metrics_observe(h, (uint64_t)(i % 3) * 5000);
	return NULL;
}

static void threads_lose_no_count(void **state)
{
	(void)state;
	struct metrics_histogram h;
	assert_true(metrics_histogram_init(&h, bounds_us, 3, 1e6));
	pthread_t t[OBSERVERS];
	for (int i = 0; i < OBSERVERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, observe_many, &h), 0);
	for (int i = 0; i < OBSERVERS; i++)
		pthread_join(t[i], NULL);
	uint64_t total = 0;
	for (size_t i = 0; i <= h.nbounds; i++)
		total += atomic_load(&h.counts[i]);
	assert_int_equal(total, OBSERVERS * OBSERVATIONS);
}

/* The listener's address is read as the server's (http_listen_parse) and becomes a socket
 * address with http_listen_sockaddr. */
static void listen_addresses(void **state)
{
	(void)state;
	struct http_listen l;
	struct sockaddr_storage a;
	assert_true(http_listen_parse("127.0.0.1:9108", &l));
	assert_true(http_listen_sockaddr(&l, &a));
	assert_int_equal(a.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&a)->sin_port), 9108);
	assert_true(http_listen_parse("[::1]:9108", &l));
	assert_true(http_listen_sockaddr(&l, &a));
	assert_int_equal(a.ss_family, AF_INET6);
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&a)->sin6_port), 9108);
	const char *bad[] = { "::1:9108", "localhost:9108", "127.0.0.1", "127.0.0.1:70000",
			      "127.0.0.1:91x", ":9108", "[]:9108" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (http_listen_parse(bad[i], &l))
			fail_msg("accepted %s", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(histogram_text_is_cumulative_with_inf_sum_and_count),
		cmocka_unit_test(counters_gauges_and_escaping),
		cmocka_unit_test(bad_bounds_are_refused),
		cmocka_unit_test(threads_lose_no_count),
		cmocka_unit_test(listen_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
