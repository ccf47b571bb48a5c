/* test_onestop.c: the procedure catalogue's rules (times in words, promises, documents, input
 * checks, search words) and its store, and the record of dossier readings, on SQLite and,
 * when PHUONG_TEST_PG names a server, on PostgreSQL */
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
#include "onestop/dossier_access.h"
#include "onestop/onestop.h"
#include "store/store.h"

static const char *words(struct arena *a, enum onestop_time_kind kind, int64_t amount)
{
	struct onestop_time t = { kind, amount };
	return onestop_time_words(a, &t);
}

static void times_in_words(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	assert_string_equal(words(a, ONESTOP_WORKING_DAYS, 3), "3 ngày làm việc");
	assert_string_equal(words(a, ONESTOP_WORKING_HOURS, 24), "24 giờ làm việc");
	assert_string_equal(words(a, ONESTOP_SAME_DAY, 0), "Trong ngày (nhận trước 15 giờ)");
	assert_string_equal(words(a, ONESTOP_TIME_NONE, 0), "");
	assert_string_equal(onestop_time_kind_name(ONESTOP_WORKING_HOURS), "working_hours");
	assert_int_equal(onestop_time_kind_of("same_day"), ONESTOP_SAME_DAY);
	assert_int_equal(onestop_time_kind_of("weeks"), ONESTOP_TIME_NONE);
	assert_int_equal(onestop_time_kind_of(NULL), ONESTOP_TIME_NONE);
	arena_free(a);
}

static void legal_times_are_checked(void **state)
{
	(void)state;
	const struct { enum onestop_time_kind kind; int64_t amount; bool ok; } cases[] = {
		{ ONESTOP_WORKING_DAYS, 1, true }, { ONESTOP_WORKING_DAYS, 1000, true },
		{ ONESTOP_WORKING_DAYS, 0, false }, { ONESTOP_WORKING_DAYS, 1001, false },
		{ ONESTOP_WORKING_HOURS, 8000, true }, { ONESTOP_WORKING_HOURS, 8001, false },
		{ ONESTOP_WORKING_HOURS, -1, false }, { ONESTOP_SAME_DAY, 0, true },
		{ ONESTOP_SAME_DAY, 1, false }, { ONESTOP_TIME_NONE, 0, false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct onestop_time t = { cases[i].kind, cases[i].amount };
		if (cases[i].ok)
			assert_null(onestop_time_problem(&t));
		else
			assert_non_null(onestop_time_problem(&t));
	}
}

static bool promise_ok(enum onestop_time_kind lk, int64_t la, enum onestop_time_kind pk, int64_t pa)
{
	struct onestop_time legal = { lk, la }, promise = { pk, pa };
	return onestop_promise_problem(&legal, &promise) == NULL;
}

static void promise_must_be_shorter(void **state)
{
	(void)state;
	const enum onestop_time_kind D = ONESTOP_WORKING_DAYS, H = ONESTOP_WORKING_HOURS,
				     S = ONESTOP_SAME_DAY, N = ONESTOP_TIME_NONE;
	/* No promise is always fine; an amount without a kind is not. */
	assert_true(promise_ok(D, 3, N, 0));
	assert_false(promise_ok(D, 3, N, 5));
	/* 3 working days after the day of receipt: "24 giờ" from receipt is never later. */
	assert_true(promise_ok(D, 3, H, 24));
	assert_false(promise_ok(D, 3, H, 25));
	assert_true(promise_ok(D, 3, D, 2));
	assert_false(promise_ok(D, 3, D, 3));
	assert_false(promise_ok(D, 3, D, 4));
	assert_true(promise_ok(D, 1, S, 0));
	/* Nothing is surely shorter than the same day (15:00 rule). */
	assert_false(promise_ok(S, 0, S, 0));
	assert_false(promise_ok(S, 0, H, 1));
	assert_false(promise_ok(S, 0, D, 1));
	/* Legal times in hours. */
	assert_true(promise_ok(H, 40, H, 39));
	assert_false(promise_ok(H, 40, H, 40));
	assert_true(promise_ok(H, 16, D, 1));
	assert_false(promise_ok(H, 15, D, 1));
	assert_true(promise_ok(H, 16, S, 0));
	assert_false(promise_ok(H, 12, S, 0));
	/* A promise out of range is refused before it is compared. */
	assert_false(promise_ok(D, 3, H, 0));
	assert_false(promise_ok(D, 3, D, 0));
}

static void fees_in_words(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	assert_string_equal(onestop_fee_words(a, "", 0), "Không thu phí");
	assert_string_equal(onestop_fee_words(a, NULL, 8000), "8.000 đồng");
	assert_string_equal(onestop_fee_words(a, "", 200000), "200.000 đồng");
	assert_string_equal(onestop_fee_words(a, "", 1234567), "1.234.567 đồng");
	assert_string_equal(onestop_fee_words(a, "", 999), "999 đồng");
	assert_string_equal(onestop_fee_words(a, "2.000 đồng/trang", 2000), "2.000 đồng/trang");
	assert_string_equal(onestop_fee_words(a, "", -1), "");
	assert_true(onestop_online_level_valid("toan_trinh"));
	assert_false(onestop_online_level_valid("muc_4"));
	assert_false(onestop_online_level_valid(NULL));
	assert_string_equal(onestop_online_label("mot_phan"), "Dịch vụ công trực tuyến một phần");
	arena_free(a);
}

/* times copies of line in out (of size bytes). */
static const char *repeat(char *out, size_t size, const char *line, int times)
{
	size_t len = strlen(line), used = 0;
	for (int i = 0; i < times && used + len < size; i++, used += len)
		memcpy(out + used, line, len);
	out[used] = '\0';
	return out;
}

static void documents_are_parsed(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 22);
	const char *json = NULL;
	assert_null(onestop_documents_parse(a, "  Tờ khai theo mẫu | 2 | bản chính \r\n\n"
					       "Giấy tờ tùy thân\nẢnh 4x6|3", &json));
	assert_string_equal(json, "[{\"name\":\"Tờ khai theo mẫu\",\"copies\":2,\"note\":\"bản chính\"},"
				  "{\"name\":\"Giấy tờ tùy thân\",\"copies\":1,\"note\":\"\"},"
				  "{\"name\":\"Ảnh 4x6\",\"copies\":3,\"note\":\"\"}]");
	/* The editor gets lines back that parse to the same list. */
	const char *lines = onestop_documents_lines(a, json);
	assert_string_equal(lines, "Tờ khai theo mẫu | 2 | bản chính\nGiấy tờ tùy thân | 1\n"
				   "Ảnh 4x6 | 3\n");
	const char *again = NULL;
	assert_null(onestop_documents_parse(a, lines, &again));
	assert_string_equal(again, json);
	/* JSON in, copies 1 when left out; NFD input comes out NFC. */
	assert_null(onestop_documents_parse(a, " [{\"name\": \"To\xcc\x9b\xcc\x80 khai\"},"
					       " {\"name\": \"Đơn\", \"copies\": 2, \"note\": \"x\"}]",
					       &json));
	assert_string_equal(json, "[{\"name\":\"Tờ khai\",\"copies\":1,\"note\":\"\"},"
				  "{\"name\":\"Đơn\",\"copies\":2,\"note\":\"x\"}]");
	const char *bad[] = {
		"", "   \n  ", "Tờ khai | 0", "Tờ khai | 21", "Tờ khai | hai", "a | 1 | b | c",
		" | 1 | chỉ có ghi chú", "[{\"name\": \"x\", \"copies\": \"1\"}]",
		"[{\"name\": \"x\", \"kind\": \"bản sao\"}]", "[\"x\"]", "{\"name\": \"x\"}",
		"[{\"name\": \"x\"}", "[{\"name\": \"x\", \"name\": \"y\"}]", "Tờ khai \xff", "[]",
		"Tờ \x01 khai",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json = NULL;
		assert_non_null(onestop_documents_parse(a, bad[i], &json));
		assert_null(json);
	}
	/* Limits: 30 documents, 400 code points a name, 48 KB in all. */
	char many[4096];
	assert_non_null(onestop_documents_parse(a, repeat(many, sizeof many, "Giấy tờ\n", 31), &json));
	assert_null(onestop_documents_parse(a, repeat(many, sizeof many, "Giấy tờ\n", 30), &json));
	char *long_name = calloc(1, 2000);
	memset(long_name, 'x', 401);
	assert_non_null(onestop_documents_parse(a, long_name, &json));
	long_name[400] = '\0';
	assert_null(onestop_documents_parse(a, long_name, &json));
	free(long_name);
	char *huge = calloc(1, ONESTOP_DOCS_BYTES_MAX + 2);
	memset(huge, 'x', ONESTOP_DOCS_BYTES_MAX + 1);
	assert_non_null(onestop_documents_parse(a, huge, &json));
	free(huge);
	/* A broken stored list gives no lines and an empty array, never a crash. */
	assert_string_equal(onestop_documents_lines(a, "not json"), "");
	json_t *arr = onestop_documents_array(NULL);
	assert_int_equal(json_array_size(arr), 0);
	json_decref(arr);
	arena_free(a);
}

static void codes_are_checked(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	const char *code = NULL;
	assert_null(onestop_code_check(a, "", "Đăng ký khai sinh", &code));
	assert_string_equal(code, "dang-ky-khai-sinh");
	assert_null(onestop_code_check(a, "  HT-01 ", "x", &code));
	assert_string_equal(code, "ht-01");
	const char *bad[] = { "moi", "json", "a", "a--b", "-ab", "ab-", "có-dấu", "a b", "a.b",
			      "a/b", "x1234567890123456789012345678901234567890" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_non_null(onestop_code_check(a, bad[i], "Tên", &code));
	assert_non_null(onestop_code_check(a, "", "??", &code)); /* nothing to make a code of */
	assert_true(onestop_code_valid("2-000815"));
	assert_false(onestop_code_valid(NULL));
	arena_free(a);
}

static struct onestop_content sample(void)
{
	return (struct onestop_content){
		.name = "  Xác nhận  thông tin hộ tịch ", .field = "Hộ tịch", .national_code = "",
		.legal_basis = "Luật Hộ tịch 2014.\nNghị định 123/2015/NĐ-CP.",
		.basis_document = "Luật Hộ tịch 60/2014/QH13", .basis_effective = "2016-01-01",
		.documents = "Tờ khai | 1\nGiấy tờ tùy thân | 1 | xuất trình", .fee_text = "",
		.fee_amount = 8000, .legal = { ONESTOP_WORKING_DAYS, 3 },
		.promise = { ONESTOP_WORKING_HOURS, 24 }, .time_note = "", .result = "Văn bản xác nhận",
		.online_level = "mot_phan", .office = "Ủy ban nhân dân cấp xã", .note = "",
	};
}

static void content_is_checked(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 22);
	struct onestop_content in = sample();
	assert_null(onestop_content_check(a, &in));
	assert_string_equal(in.name, "Xác nhận  thông tin hộ tịch");
	assert_string_equal(in.documents, "[{\"name\":\"Tờ khai\",\"copies\":1,\"note\":\"\"},"
					  "{\"name\":\"Giấy tờ tùy thân\",\"copies\":1,"
					  "\"note\":\"xuất trình\"}]");
	struct {
		const char *what;
		struct onestop_content in;
	} bad[] = {
		{ "name", sample() }, { "field", sample() }, { "basis", sample() },
		{ "date", sample() }, { "fee", sample() }, { "promise", sample() },
		{ "online", sample() }, { "office", sample() }, { "result", sample() },
		{ "national", sample() }, { "legal", sample() }, { "documents", sample() },
	};
	bad[0].in.name = " ";
	bad[1].in.field = NULL;
	bad[2].in.legal_basis = "";
	bad[3].in.basis_effective = "2015-02-30";
	bad[4].in.fee_amount = -1;
	bad[5].in.promise = (struct onestop_time){ ONESTOP_WORKING_DAYS, 3 };
	bad[6].in.online_level = "muc_do_4";
	bad[7].in.office = "";
	bad[8].in.result = "\n";
	bad[9].in.national_code = "1.001193; DROP";
	bad[10].in.legal = (struct onestop_time){ ONESTOP_WORKING_DAYS, 0 };
	bad[11].in.documents = "";
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *problem = onestop_content_check(a, &bad[i].in);
		if (problem == NULL)
			fail_msg("%s: accepted", bad[i].what);
	}
	/* A fee without one amount is fine when the words say it. */
	in = sample();
	in.fee_amount = -1;
	in.fee_text = "Theo mức do Hội đồng nhân dân tỉnh quy định";
	assert_null(onestop_content_check(a, &in));
	arena_free(a);
}

static void search_words(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	assert_string_equal(onestop_search_query(a, "CHỨNG THỰC"), "chung thuc");
	assert_string_equal(onestop_search_query(a, "hoà\" OR NEAR(x*"), "hoa or near x");
	assert_string_equal(onestop_search_query(a, "1 2 3 4 5 6 7 8 9 10 11 12 13 14"),
			    "1 2 3 4 5 6 7 8 9 10 11 12");
	assert_null(onestop_search_query(a, " ?! "));
	assert_null(onestop_search_query(a, NULL));
	struct onestop_content in = sample();
	assert_null(onestop_content_check(a, &in));
	const char *body = onestop_search_body(a, "xac-nhan", &in);
	assert_non_null(strstr(body, "giay to tuy than"));
	assert_non_null(strstr(body, "ho tich"));
	assert_non_null(strstr(body, "xac nhan"));
	arena_free(a);
}

/* ---- the store, on each engine ---- */

/* Readings of a dossier: more than the memory queue holds are all written (the reader past
 * the limit writes the batch), in order, and listed newest first. */
static void access_scenario(struct db_conn *c)
{
	struct db_stmt *s;
	assert_int_equal(db_prepare(c, "INSERT INTO dossier (unit_id, code, procedure_id,"
				       " procedure_version_id, channel, applicant_name, received_at, due_at,"
				       " status, national_status) SELECT 1, 'P1-260101-0001', procedure_id, id,"
				       " 'counter', 'A', 1, 2, 'received', 1 FROM procedure_version"
				       " ORDER BY id LIMIT 1", &s), STATUS_OK);
	assert_int_equal(db_exec(s), STATUS_OK);
	struct audit_actor clerk = { 7, "canbo" }, stranger = { 8, "khac" };
	int64_t total = 2 * DOSSIER_ACCESS_QUEUE_MAX + 5;
	for (int64_t i = 0; i < total; i++)
		assert_int_equal(dossier_access_note(c, 1, "P1-260101-0001", &clerk,
						     DOSSIER_ACCESS_FORM, "Phiếu kiểm soát", 1000 + i),
				 STATUS_OK);
	/* Another unit's code, or none: noted, never written. */
	assert_int_equal(dossier_access_note(c, 2, "P1-260101-0001", &stranger,
					     DOSSIER_ACCESS_PAGE, "", 1), STATUS_OK);
	assert_int_equal(dossier_access_flush(c), STATUS_OK);
	assert_int_equal(db_prepare(c, "SELECT count(*), min(at), max(at) FROM dossier_access", &s),
			 STATUS_OK);
	bool has_row;
	assert_int_equal(db_step(s, &has_row), STATUS_OK);
	assert_int_equal(db_column_int64(s, 0), total);
	assert_int_equal(db_column_int64(s, 1), 1000);
	assert_int_equal(db_column_int64(s, 2), 1000 + total - 1);
	json_t *list;
	bool more;
	assert_int_equal(dossier_access_list(c, 1, "P1-260101-0001", 3, &list, &more), STATUS_OK);
	assert_true(more);
	assert_int_equal(json_array_size(list), 3);
	json_t *first = json_array_get(list, 0);
	assert_int_equal(json_integer_value(json_object_get(first, "at")), 1000 + total - 1);
	assert_string_equal(json_string_value(json_object_get(first, "username")), "canbo");
	assert_true(json_is_true(json_object_get(first, "is_form")));
	json_decref(list);
	assert_int_equal(dossier_access_list(c, 2, "P1-260101-0001", 3, &list, &more), STATUS_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
}

static void store_scenario(const char *url)
{
	struct db *db = db_open(url, 1);
	assert_non_null(db);
	struct db_conn *c = db_acquire(db);
	struct db_stmt *s;
	assert_int_equal(db_prepare(c, "INSERT INTO unit (id, code, name, created_at)"
				       " VALUES (1, '1', 'P', 0), (2, '2', 'Q', 0)", &s), STATUS_OK);
	assert_int_equal(db_exec(s), STATUS_OK);
	struct arena *a = arena_new(1 << 24);
	struct audit_actor actor = { 0, "test" };

	struct onestop_content in = sample();
	assert_null(onestop_content_check(a, &in));
	int64_t id;
	assert_int_equal(onestop_create(c, a, 1, "xac-nhan", &in, &actor, 100, &id), STATUS_OK);
	assert_int_equal(onestop_create(c, a, 1, "xac-nhan", &in, &actor, 100, NULL), STATUS_CONFLICT);
	assert_int_equal(onestop_create(c, a, 2, "xac-nhan", &in, &actor, 100, NULL), STATUS_OK);
	int64_t count;
	assert_int_equal(onestop_count(c, 1, &count), STATUS_OK);
	assert_int_equal(count, 1);

	struct onestop_procedure p;
	assert_int_equal(onestop_get(c, a, 1, "xac-nhan", true, &p), STATUS_OK);
	assert_int_equal(p.id, id);
	assert_int_equal(p.current.version, 1);
	assert_int_equal(p.current.content.promise.kind, ONESTOP_WORKING_HOURS);
	assert_int_equal(p.current.content.promise.amount, 24);
	assert_int_equal(p.current.content.fee_amount, 8000);
	assert_string_equal(p.current.content.basis_effective, "2016-01-01");
	int64_t first_version_id = p.current.id;

	/* Saving the same content writes nothing; new content is a new version. */
	bool added;
	assert_int_equal(onestop_update(c, a, 1, "xac-nhan", &in, &actor, 200, &added), STATUS_OK);
	assert_false(added);
	struct onestop_content changed = sample();
	changed.fee_amount = -1;
	changed.fee_text = "Theo mức do Hội đồng nhân dân tỉnh quy định";
	changed.promise = (struct onestop_time){ ONESTOP_TIME_NONE, 0 };
	changed.basis_effective = "";
	assert_null(onestop_content_check(a, &changed));
	assert_int_equal(onestop_update(c, a, 1, "xac-nhan", &changed, &actor, 300, &added), STATUS_OK);
	assert_true(added);
	assert_int_equal(onestop_get(c, a, 1, "xac-nhan", true, &p), STATUS_OK);
	assert_int_equal(p.current.version, 2);
	assert_int_equal(p.current.content.fee_amount, -1);
	assert_int_equal(p.current.content.promise.kind, ONESTOP_TIME_NONE);
	assert_string_equal(p.current.content.basis_effective, "");
	assert_int_equal(onestop_update(c, a, 1, "khong-co", &changed, &actor, 300, &added),
			 STATUS_NOT_FOUND);

	/* The old version is kept as it was, by number and by id; other units see neither. */
	struct onestop_version v;
	assert_int_equal(onestop_version_get(c, a, 1, "xac-nhan", 1, &v), STATUS_OK);
	assert_int_equal(v.content.fee_amount, 8000);
	assert_int_equal(v.id, first_version_id);
	assert_int_equal(onestop_version_by_id(c, a, 1, first_version_id, &v), STATUS_OK);
	assert_int_equal(v.version, 1);
	assert_int_equal(onestop_version_by_id(c, a, 2, first_version_id, &v), STATUS_NOT_FOUND);
	assert_int_equal(onestop_version_get(c, a, 1, "xac-nhan", 3, &v), STATUS_NOT_FOUND);
	struct onestop_version *versions;
	size_t n;
	assert_int_equal(onestop_versions(c, a, 1, "xac-nhan", &versions, &n), STATUS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(versions[0].version, 2);
	assert_int_equal(onestop_versions(c, a, 1, "khong-co", &versions, &n), STATUS_NOT_FOUND);

	/* Versions never change, whoever tries. */
	assert_int_not_equal(db_exec_script(c, "UPDATE procedure_version SET name = 'x'"), STATUS_OK);
	assert_int_not_equal(db_exec_script(c, "DELETE FROM procedure_version"), STATUS_OK);

	/* Search: folded words, this unit's active procedures only. */
	struct onestop_procedure *list;
	const char *q = onestop_search_query(a, "XÁC NHẬN hộ tịch");
	assert_int_equal(onestop_search(c, a, 1, q, &list, &n), STATUS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, id);
	assert_int_equal(onestop_search(c, a, 1, onestop_search_query(a, "tùy thân"), &list, &n),
			 STATUS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(onestop_search(c, a, 1, onestop_search_query(a, "khai sinh"), &list, &n),
			 STATUS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(onestop_set_active(c, a, 1, "xac-nhan", false, &actor, 400), STATUS_OK);
	assert_int_equal(onestop_search(c, a, 1, q, &list, &n), STATUS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(onestop_get(c, a, 1, "xac-nhan", true, &p), STATUS_NOT_FOUND);
	assert_int_equal(onestop_list(c, a, 1, true, &list, &n), STATUS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(onestop_list(c, a, 1, false, &list, &n), STATUS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(onestop_set_active(c, a, 2, "khong-co", false, &actor, 400),
			 STATUS_NOT_FOUND);

	int64_t rows, bad;
	assert_int_equal(audit_verify(c, &rows, &bad), STATUS_OK);
	assert_int_equal(bad, 0);
	assert_int_equal(rows, 4); /* two creations, one update, one deactivation */
	access_scenario(c);

	arena_free(a);
	db_release(c);
	db_close(db);
}

static void store_on_sqlite(void **state)
{
	(void)state;
	char dir[] = "/tmp/phuong-onestop-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char url[128], cmd[200];
	snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	store_scenario(url);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void store_on_postgresql(void **state)
{
	(void)state;
	const char *base = getenv("PHUONG_TEST_PG");
	if (base == NULL || *base == '\0')
		skip();
	char name[64], cmd[700], url[600], server[400];
	snprintf(server, sizeof server, "%s", base);
	for (size_t n = strlen(server); n > 0 && server[n - 1] == '/';)
		server[--n] = '\0';
	base = server;
	snprintf(name, sizeof name, "onestop_%ld", (long)getpid());
	snprintf(cmd, sizeof cmd, "createdb --maintenance-db '%s/postgres' %s", base, name);
	assert_int_equal(system(cmd), 0);
	snprintf(url, sizeof url, "%s/%s", base, name);
	store_scenario(url);
	snprintf(cmd, sizeof cmd, "dropdb --force --maintenance-db '%s/postgres' %s", base, name);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times_in_words),
		cmocka_unit_test(legal_times_are_checked),
		cmocka_unit_test(promise_must_be_shorter),
		cmocka_unit_test(fees_in_words),
		cmocka_unit_test(documents_are_parsed),
		cmocka_unit_test(codes_are_checked),
		cmocka_unit_test(content_is_checked),
		cmocka_unit_test(search_words),
		cmocka_unit_test(store_on_sqlite),
		cmocka_unit_test(store_on_postgresql),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
