/* test_dossier.c: the pure rules of dossiers: the code, the step outcome, applicant checks,
 * the last four digits of a phone number, the flow table, same-day appointments */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "onestop/dossier.h"
#include "worktime/calendar.h"
#include "worktime/clock.h"
#include "worktime/due.h"

static int64_t local(int y, int mo, int d, int h, int mi)
{
	int64_t t;
	assert_true(clock_from_local(y, mo, d, h, mi, &t));
	return t;
}

static void code_format(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	/* 23:30 UTC on 2 November is 06:30 on 3 November in Vietnam. */
	int64_t t = local(2025, 11, 3, 6, 30);
	assert_string_equal(dossier_code_format(a, "000.01.23.H29", t, 7), "000.01.23.H29-251103-0007");
	assert_string_equal(dossier_code_format(a, "27001", t, 9999), "27001-251103-9999");
	assert_string_equal(dossier_code_format(a, "27001", t, 10000), "27001-251103-10000");
	assert_null(dossier_code_format(a, "27001", t, 0));
	assert_null(dossier_code_format(a, "", t, 1));
	assert_null(dossier_code_format(a, "có dấu", t, 1));
	assert_null(dossier_code_format(a, "A-B", t, 1));
	assert_true(dossier_code_valid("000.01.23.H29-251103-0007"));
	assert_true(dossier_code_valid("27001-251103-10000"));
	assert_false(dossier_code_valid("27001-251103-007"));
	assert_false(dossier_code_valid("27001-2511-0007"));
	assert_false(dossier_code_valid("-251103-0007"));
	assert_false(dossier_code_valid("tiep-nhan"));
	assert_false(dossier_code_valid("27001-251103-00x7"));
	assert_false(dossier_code_valid(NULL));
	char day[7];
	dossier_day(local(2026, 1, 1, 0, 0), day);
	assert_string_equal(day, "260101");
	arena_free(a);
}

static void step_outcome(void **state)
{
	(void)state;
	int64_t due = local(2026, 11, 20, 17, 0);
	assert_int_equal(dossier_step_outcome(local(2026, 11, 19, 16, 0), due), DOSSIER_EARLY);
	assert_int_equal(dossier_step_outcome(local(2026, 11, 20, 8, 0), due), DOSSIER_ON_TIME);
	assert_int_equal(dossier_step_outcome(due, due), DOSSIER_ON_TIME);
	assert_int_equal(dossier_step_outcome(due + 1, due), DOSSIER_LATE);
	assert_string_equal(dossier_outcome_name(DOSSIER_LATE), "late");
	assert_string_equal(dossier_outcome_label("on_time"), "Đúng hạn");
}

static void applicant_checks(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct dossier_applicant ok = { "  Nguyễn Văn A ", "079123456789", "1 Lê Lợi",
					"0912 345 678", "a@example.vn" };
	assert_null(dossier_applicant_check(a, &ok));
	assert_string_equal(ok.name, "Nguyễn Văn A");
	struct dossier_applicant bad[] = {
		{ "", "", "", "0912345678", "" },
		{ "A", "12345", "", "0912345678", "" },
		{ "A", "", "", "12", "" },
		{ "A", "", "", "0912abc678", "" },
		{ "A", "", "", "0912345678", "a@b" },
		{ "A\x01", "", "", "0912345678", "" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_non_null(dossier_applicant_check(a, &bad[i]));
	assert_true(dossier_phone_matches("0912 345 678", "5678"));
	assert_true(dossier_phone_matches("+84-912-345-678", "5678"));
	assert_false(dossier_phone_matches("0912 345 678", "1234"));
	assert_false(dossier_phone_matches("0912 345 678", "678"));
	assert_false(dossier_phone_matches("0912 345 678", "56a8"));
	assert_false(dossier_phone_matches("123", "0123"));
	arena_free(a);
}

static void flow_table(void **state)
{
	(void)state;
	const struct dossier_step *take = dossier_step_of("take");
	assert_non_null(take);
	assert_ptr_equal(dossier_step_of("nhan-xu-ly"), take);
	assert_true(dossier_step_allowed(take, "received"));
	assert_false(dossier_step_allowed(take, "processing"));
	assert_int_equal(dossier_step_of("sign")->permission, PERM_DOSSIER_SIGN);
	assert_int_equal(dossier_step_of("return")->permission, PERM_DOSSIER_INTAKE);
	assert_false(dossier_step_allowed(dossier_step_of("withdraw"), "result_ready"));
	assert_null(dossier_step_of("delete"));
	assert_int_equal(dossier_national_status("returned"), 10);
	assert_int_equal(dossier_national_status("withdrawn"), 7);
	assert_int_equal(dossier_national_status("nonsense"), 0);
}

static void same_day_due(void **state)
{
	(void)state;
	struct calendar cal;
	calendar_init(&cal, NULL);
	struct onestop_time same = { ONESTOP_SAME_DAY, 0 };
	int64_t due;
	/* Wednesday 18 November 2026. */
	assert_int_equal(dossier_due(&cal, &same, local(2026, 11, 18, 15, 30), &due), STATUS_OK);
	assert_int_equal(due, local(2026, 11, 19, 17, 0));
	assert_int_equal(dossier_due(&cal, &same, local(2026, 11, 18, 15, 0), &due), STATUS_OK);
	assert_int_equal(due, local(2026, 11, 18, 17, 0));
	struct onestop_time none = { ONESTOP_TIME_NONE, 0 };
	assert_int_equal(dossier_due(&cal, &none, local(2026, 11, 18, 9, 0), &due), STATUS_INVALID);
	calendar_release(&cal);
}

static void step_dues_share_the_working_time(void **state)
{
	(void)state;
	struct calendar cal;
	calendar_init(&cal, NULL);
	/* Received Monday 16 November 2026 at 07:30, due Thursday at 17:00: 32 working hours. */
	int64_t received = local(2026, 11, 16, 7, 30), due = local(2026, 11, 19, 17, 0), at;
	assert_int_equal(dossier_step_due(&cal, dossier_step_of("take"), received, due, NULL, 0,
					  &at), STATUS_OK);
	assert_int_equal(at, local(2026, 11, 16, 10, 42)); /* a tenth: 3 h 12 min */
	assert_int_equal(dossier_step_due(&cal, dossier_step_of("submit"), received, due, NULL, 0,
					  &at), STATUS_OK);
	assert_int_equal(at, local(2026, 11, 19, 13, 48)); /* nine tenths: 28 h 48 min */
	for (const char *const *a = (const char *const[]){ "sign", "return", "refuse", NULL }; *a;
	     a++) {
		assert_int_equal(dossier_step_due(&cal, dossier_step_of(*a), received, due, NULL, 0,
						  &at), STATUS_OK);
		assert_int_equal(at, due);
	}
	/* A supplement awaited from Monday 09:00 to Wednesday 09:00 (16 working hours) moved
	 * the appointment to Monday 23 at 17:00; the steps move the same way. */
	struct dossier_pause pause = { local(2026, 11, 16, 9, 0), local(2026, 11, 18, 9, 0) };
	int64_t moved = local(2026, 11, 23, 17, 0);
	assert_int_equal(due_after_pause(&cal, due, pause.start, pause.end, &at), STATUS_OK);
	assert_int_equal(at, moved);
	assert_int_equal(dossier_step_due(&cal, dossier_step_of("take"), received, moved, &pause,
					  1, &at), STATUS_OK);
	assert_int_equal(at, local(2026, 11, 18, 10, 42));
	assert_int_equal(dossier_step_due(&cal, dossier_step_of("submit"), received, moved, &pause,
					  1, &at), STATUS_OK);
	assert_int_equal(at, local(2026, 11, 23, 13, 48));
	/* An appointment at or before receipt leaves every step due then. */
	assert_int_equal(dossier_step_due(&cal, dossier_step_of("take"), due, due, NULL, 0, &at),
			 STATUS_OK);
	assert_int_equal(at, due);
	calendar_release(&cal);
}

static void attachments_by_content(void **state)
{
	(void)state;
	static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n";
	const char *mime = NULL;
	assert_int_equal(dossier_file_check(pdf, sizeof pdf - 1, &mime), STATUS_OK);
	assert_string_equal(mime, "application/pdf");
	assert_int_equal(dossier_file_check(pdf, 12, &mime), STATUS_INVALID); /* cut short */
	assert_int_equal(dossier_file_check("hello, world", 12, &mime), STATUS_INVALID);
	assert_int_equal(dossier_file_check(pdf, 0, &mime), STATUS_INVALID);
	assert_int_equal(dossier_file_check(pdf, (size_t)DOSSIER_FILE_MAX + 1, &mime),
			 STATUS_TOO_LARGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(code_format),
		cmocka_unit_test(step_outcome),
		cmocka_unit_test(step_dues_share_the_working_time),
		cmocka_unit_test(applicant_checks),
		cmocka_unit_test(flow_table),
		cmocka_unit_test(same_day_due),
		cmocka_unit_test(attachments_by_content),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
