/* test_news.c: news rules (input checks, search queries, visibility) and its store on a temporary database */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "news/news.h"
#include "store/store.h"

static void search_query_is_plain_folded_words(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const char *folded;
	assert_string_equal(news_search_query(a, "TẤM GƯƠNG", &folded), "tam guong");
	assert_string_equal(folded, "tam guong");
	/* FTS5 syntax typed by a reader is only words. */
	assert_string_equal(news_search_query(a, "hoà OR\" NEAR(x*", &folded),
			    "hoa or near x");
	assert_string_equal(news_search_query(a, "1 2 3 4 5 6 7 8 9 10 11 12 13 14", &folded),
			    "1 2 3 4 5 6 7 8 9 10 11 12");
	assert_null(news_search_query(a, "  ?!* ", &folded));
	arena_free(a);
}

static void input_is_checked(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	struct news_input in = { .title = "  Tin mới  ", .author = "A", .body = "Nội dung",
				 .category_id = 1, .published_at = 100 };
	assert_null(news_input_check(a, &in));
	assert_string_equal(in.title, "Tin mới");
	in = (struct news_input){ .title = "", .body = "x", .category_id = 1, .published_at = 1 };
	assert_non_null(news_input_check(a, &in));
	in = (struct news_input){ .title = "T", .body = "x", .category_id = 0, .published_at = 1 };
	assert_non_null(news_input_check(a, &in));
	in = (struct news_input){ .title = "T\xff", .body = "x", .category_id = 1, .published_at = 1 };
	assert_non_null(news_input_check(a, &in));
	in = (struct news_input){ .title = "T", .body = "x", .category_id = 1, .published_at = 10,
				  .unpublish_at = 5 };
	assert_non_null(news_input_check(a, &in));
	arena_free(a);
}

static void visibility_over_time(void **state)
{
	(void)state;
	struct news_article art = { .status = "published", .published_at = 100, .unpublish_at = 200 };
	assert_false(news_is_public(&art, 99));
	assert_true(news_is_public(&art, 100));
	assert_false(news_is_public(&art, 200));
	art.status = "draft";
	assert_false(news_is_public(&art, 150));
}

static void store_round_trip(void **state)
{
	(void)state;
	char dir[] = "/tmp/phuong-news-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char url[128];
	snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	struct db *db = db_open(url, 1);
	assert_non_null(db);
	struct db_conn *c = db_acquire(db);
	struct db_stmt *s;
	assert_int_equal(db_prepare(c, "INSERT INTO unit (id, code, name, created_at)"
				       " VALUES (1, '1', 'P', 0), (2, '2', 'Q', 0)", &s), STATUS_OK);
	assert_int_equal(db_exec(s), STATUS_OK);
	struct arena *a = arena_new(1 << 22);
	struct audit_actor actor = { 0, "test" };
	int64_t cat, other_cat, id;
	assert_int_equal(news_category_save(c, a, 1, 0, "Hoạt động Đảng - Đoàn thể", &actor, 1, &cat),
			 STATUS_OK);
	assert_int_equal(news_category_save(c, a, 2, 0, "Khác", &actor, 1, &other_cat), STATUS_OK);
	struct news_input in = { .title = "Tổ hòa giải", .author = "B", .body = "Hòa giải ở cơ sở",
				 .category_id = cat, .published_at = 1000 };
	assert_int_equal(news_article_create(c, a, 1, &in, true, &actor, 1, &id), STATUS_OK);
	/* A category of another unit is refused, and nothing is half-written. */
	struct news_input foreign = in;
	foreign.category_id = other_cat;
	int64_t id2;
	assert_int_equal(news_article_create(c, a, 1, &foreign, true, &actor, 1, &id2), STATUS_INVALID);
	int64_t count;
	assert_int_equal(news_article_count(c, 1, &count), STATUS_OK);
	assert_int_equal(count, 1);

	struct news_article *list;
	size_t n;
	int64_t total;
	const char *folded;
	const char *q = news_search_query(a, "HOA GIAI", &folded);
	assert_int_equal(news_search(c, a, 1, 2000, q, 10, 0, &list, &n, &total), STATUS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(news_search(c, a, 2, 2000, q, 10, 0, &list, &n, &total), STATUS_OK);
	assert_int_equal(n, 0); /* another unit sees nothing */
	assert_int_equal(news_search(c, a, 1, 999, q, 10, 0, &list, &n, &total), STATUS_OK);
	assert_int_equal(n, 0); /* not yet published at 999 */

	in.title = "Tổ hòa giải (sửa)";
	assert_int_equal(news_article_update(c, a, 1, id, &in, 0, &actor, 2), STATUS_OK);
	struct news_revision *revs;
	assert_int_equal(news_revision_list(c, a, 1, id, &revs, &n), STATUS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(revs[0].revision, 2);

	news_views_add(id);
	news_views_add(id);
	assert_int_equal(news_views_pending(id), 2);
	assert_int_equal(news_views_flush(c), STATUS_OK);
	assert_int_equal(news_views_pending(id), 0);
	struct news_article art;
	assert_int_equal(news_article_get(c, a, 1, id, true, 2000, &art), STATUS_OK);
	assert_int_equal(art.views, 2);
	assert_int_equal(news_article_get(c, a, 2, id, false, 2000, &art), STATUS_NOT_FOUND);

	int64_t rows, bad;
	assert_int_equal(audit_verify(c, &rows, &bad), STATUS_OK);
	assert_int_equal(bad, 0);
	assert_true(rows >= 3);

	arena_free(a);
	db_release(c);
	db_close(db);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(search_query_is_plain_folded_words),
		cmocka_unit_test(input_is_checked),
		cmocka_unit_test(visibility_over_time),
		cmocka_unit_test(store_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
