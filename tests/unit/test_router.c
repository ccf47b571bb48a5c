/* test_router.c: the route table: every route guarded, matching of patterns and methods */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app/app.h"
#include "auth/auth.h"

static void table_is_sound(void **state)
{
	(void)state;
	assert_true(routes_check());
	for (size_t i = 0; i < routes_count; i++) {
		assert_int_not_equal(routes[i].permission, PERM_UNSET);
		/* Every state change is a POST with CSRF, and every admin page needs staff. */
		assert_int_equal(routes[i].method == ROUTE_POST, routes[i].changes_state);
		if (strncmp(routes[i].pattern, "/quan-tri", 9) == 0 &&
		    strcmp(routes[i].pattern, "/quan-tri/dang-nhap") != 0)
			assert_int_not_equal(routes[i].permission, PERM_PUBLIC);
	}
}

static void matches_segments(void **state)
{
	(void)state;
	const char *params[4] = { 0 };
	bool mismatch;
	char path1[] = "/bai-viet/12-phuong-9";
	const struct route *r = route_match(ROUTE_GET, path1, params, 4, &mismatch);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/bai-viet/{}");
	assert_string_equal(params[0], "12-phuong-9");

	char path2[] = "/quan-tri/bai-viet/7/phien-ban/3/khoi-phuc";
	r = route_match(ROUTE_POST, path2, params, 4, &mismatch);
	assert_non_null(r);
	assert_string_equal(params[0], "7");
	assert_string_equal(params[1], "3");

	char path3[] = "/quan-tri/bai-viet/moi";
	r = route_match(ROUTE_GET, path3, params, 4, &mismatch);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/quan-tri/bai-viet/moi");
}

static void refuses_what_is_not_there(void **state)
{
	(void)state;
	const char *params[4] = { 0 };
	bool mismatch;
	char empty_segment[] = "/bai-viet/";
	assert_null(route_match(ROUTE_GET, empty_segment, params, 4, &mismatch));
	char extra[] = "/bai-viet/1/ban-in/x";
	assert_null(route_match(ROUTE_GET, extra, params, 4, &mismatch));
	char post_only[] = "/quan-tri/bai-viet/1/xuat-ban";
	assert_null(route_match(ROUTE_GET, post_only, params, 4, &mismatch));
	assert_true(mismatch);
	char unknown[] = "/khong-co";
	assert_null(route_match(ROUTE_GET, unknown, params, 4, &mismatch));
	assert_false(mismatch);
}

static void permissions_by_role(void **state)
{
	(void)state;
	struct auth_user editor = { .id = 1, .role = "editor" }, admin = { .id = 2, .role = "admin" };
	struct auth_user stranger = { .id = 3, .role = "hacker" };
	assert_true(auth_allows(NULL, PERM_PUBLIC));
	assert_false(auth_allows(NULL, PERM_STAFF));
	assert_true(auth_allows(&editor, PERM_NEWS_EDIT));
	assert_false(auth_allows(&editor, PERM_USERS));
	assert_false(auth_allows(&editor, PERM_CATEGORIES));
	assert_true(auth_allows(&admin, PERM_USERS));
	assert_false(auth_allows(&stranger, PERM_STAFF));
	assert_false(auth_allows(&admin, PERM_UNSET));
	assert_false(auth_allows(&admin, PERM_COUNT));
}

static void names_and_passwords(void **state)
{
	(void)state;
	assert_true(auth_username_valid("nguyen.van-a_1"));
	assert_false(auth_username_valid("ab"));
	assert_false(auth_username_valid("Admin"));
	assert_false(auth_username_valid("a b c"));
	assert_non_null(auth_password_problem("ngắn"));
	assert_null(auth_password_problem("mật khẩu đủ dài"));
	assert_true(auth_equal("abc", "abc"));
	assert_false(auth_equal("abc", "abd"));
	assert_false(auth_equal("abc", NULL));
	char t1[65], t2[65], h[65];
	auth_random_token(t1);
	auth_random_token(t2);
	assert_int_equal(strlen(t1), 64);
	assert_string_not_equal(t1, t2);
	assert_true(auth_token_valid(t1));
	t2[63] = 'G';
	assert_false(auth_token_valid(t2));
	t2[63] = '\0';
	assert_false(auth_token_valid(t2));
	assert_false(auth_token_valid(NULL));
	auth_token_hash(t1, h);
	assert_string_not_equal(h, t1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_is_sound),
		cmocka_unit_test(matches_segments),
		cmocka_unit_test(refuses_what_is_not_there),
		cmocka_unit_test(permissions_by_role),
		cmocka_unit_test(names_and_passwords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
