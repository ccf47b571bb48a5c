/* test_mail.c: mail headers (no injection, RFC 2047 subjects), quoted-printable bodies */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "base/buf.h"
#include "mail/mail.h"

static const int64_t NOW = 1796117400; /* Tue, 01 Dec 2026 09:30 UTC */

static void addresses(void **state)
{
	(void)state;
	assert_true(mail_address_valid("mot-cua@phuong9.example.vn"));
	assert_false(mail_address_valid("a@b.vn\r\nBcc: x@y.vn"));
	assert_false(mail_address_valid("a@b.vn\n"));
	assert_false(mail_address_valid("Ông A <a@b.vn>"));
	assert_false(mail_address_valid("a@b.vn, c@d.vn"));
	assert_false(mail_address_valid("no-at-sign"));
	assert_false(mail_address_valid("a@b@c"));
	assert_false(mail_address_valid("@b.vn"));
	assert_false(mail_address_valid(NULL));
}

static void injection_refused(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL, 1 << 16);
	assert_int_equal(mail_headers(&b, "a@b.vn", "c@d.vn", "Hi\r\nBcc: e@f.vn", NOW),
			 STATUS_INVALID);
	assert_int_equal(mail_headers(&b, "a@b.vn", "c@d.vn", "Hi\nBcc: e@f.vn", NOW),
			 STATUS_INVALID);
	assert_int_equal(mail_headers(&b, "a@b.vn", "c@d.vn\r\nBcc: e@f.vn", "Hi", NOW),
			 STATUS_INVALID);
	assert_int_equal(mail_headers(&b, "a@b.vn\n", "c@d.vn", "Hi", NOW), STATUS_INVALID);
	assert_int_equal(mail_headers(&b, "a@b.vn", "c@d.vn", "\xc3\x28", NOW), STATUS_INVALID);
	assert_int_equal(b.len, 0u);
	buf_release(&b);
}

static void ascii_headers(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL, 1 << 16);
	assert_int_equal(mail_headers(&b, "a@b.vn", "c@d.vn", "Hello", NOW), STATUS_OK);
	const char *h = buf_str(&b);
	assert_true(strncmp(h, "Date: Tue, 01 Dec 2026 16:30:00 +0700\r\nMessage-ID: <", 52) == 0);
	assert_non_null(strstr(h, "@b.vn>\r\nFrom: <a@b.vn>\r\nTo: <c@d.vn>\r\nSubject: Hello\r\n"));
	assert_non_null(strstr(h, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(h, "Content-Transfer-Encoding: quoted-printable\r\n\r\n"));
	assert_true(strcmp(h + b.len - 4, "\r\n\r\n") == 0);
	buf_release(&b);
}

static void vietnamese_subject_encoded(void **state)
{
	(void)state;
	const char *subject = "Thông báo: hồ sơ đã có kết quả, mời ông/bà đến nhận tại Bộ phận một cửa";
	struct buf b;
	buf_init(&b, NULL, 1 << 16);
	assert_int_equal(mail_headers(&b, "a@b.vn", "c@d.vn", subject, NOW), STATUS_OK);
	const char *h = strstr(buf_str(&b), "Subject: ");
	assert_non_null(h);
	h += strlen("Subject: ");
	/* Decode every encoded word and join them: the subject comes back. */
	char joined[512] = "";
	size_t nj = 0;
	int words = 0;
	while (strncmp(h, "=?UTF-8?B?", 10) == 0) {
		const char *start = h + 10, *end = strstr(start, "?=");
		assert_non_null(end);
		assert_true(end + 2 - h <= 75); /* RFC 2047 word length */
		unsigned char raw[100];
		size_t nraw;
		assert_int_equal(sodium_base642bin(raw, sizeof raw, start, (size_t)(end - start), NULL,
						   &nraw, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
		memcpy(joined + nj, raw, nraw);
		nj += nraw;
		words++;
		h = end + 2;
		if (strncmp(h, "\r\n ", 3) == 0)
			h += 3;
	}
	joined[nj] = '\0';
	assert_true(words > 1);
	assert_string_equal(joined, subject);
	assert_true(strncmp(h, "\r\nMIME-Version: 1.0", 19) == 0);
	buf_release(&b);
}

static void body_quoted_printable(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL, 1 << 16);
	assert_int_equal(mail_body_qp(&b, "Xin chào\n.a=b \n"), STATUS_OK);
	assert_string_equal(buf_str(&b), "Xin ch=C3=A0o\r\n.a=3Db=20\r\n");
	buf_clear(&b);
	char line[200];
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	assert_int_equal(mail_body_qp(&b, line), STATUS_OK);
	for (const char *p = buf_str(&b); *p;) {
		const char *nl = strstr(p, "\r\n");
		assert_non_null(nl);
		assert_true(nl - p <= 76);
		p = nl + 2;
	}
	assert_int_equal(mail_body_qp(&b, "\xff"), STATUS_INVALID);
	buf_release(&b);
}

static void unreachable_server_fails_fast(void **state)
{
	(void)state;
	struct mail_settings s = { .smtp_url = "smtp://127.0.0.1:1", .from = "a@b.vn",
				   .timeout_s = 2 };
	char error[256];
	assert_int_equal(mail_send(&s, "c@d.vn", "x", "y", error, sizeof error), STATUS_UNAVAILABLE);
	assert_true(error[0] != '\0');
	s.smtp_url = "http://127.0.0.1:1";
	assert_int_equal(mail_send(&s, "c@d.vn", "x", "y", error, sizeof error), STATUS_INVALID);
	s.smtp_url = "smtp://127.0.0.1:1";
	assert_int_equal(mail_send(&s, "c@d.vn\r\n", "x", "y", error, sizeof error), STATUS_INVALID);
}

int main(void)
{
	if (sodium_init() < 0 || !mail_global_init())
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addresses),
		cmocka_unit_test(injection_refused),
		cmocka_unit_test(ascii_headers),
		cmocka_unit_test(vietnamese_subject_encoded),
		cmocka_unit_test(body_quoted_printable),
		cmocka_unit_test(unreachable_server_fails_fast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
