/* mail.c: one plain-text UTF-8 email through SMTP with libcurl; headers and quoted-printable */
#include "mail/mail.h"

#include "base/buf.h"
#include "base/utf8.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum {
	QP_LINE_MAX = 76,
	ENCODED_WORD_BYTES = 45, /* raw bytes per encoded word: 60 base64 chars, under 75 */
	MESSAGE_MAX = MAIL_BODY_MAX * 3 + 8192,
};

bool mail_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

bool mail_address_valid(const char *s)
{
	if (s == NULL)
		return false;
	size_t n = strlen(s);
	if (n < 3 || n > MAIL_ADDRESS_MAX)
		return false;
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch <= ' ' || ch >= 127 || strchr("<>,\";\\()[]", ch) != NULL)
			return false;
	}
	return true;
}

static bool is_ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s > '~')
			return false;
	return true;
}

/* Length of the UTF-8 sequence led by byte c (1 for a continuation byte, never 0). */
static size_t seq_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* "=?UTF-8?B?...?=" words of at most ENCODED_WORD_BYTES raw bytes each, never splitting a
 * character, folded onto continuation lines. */
static void encoded_words(struct buf *b, const char *s)
{
	size_t n = strlen(s), i = 0;
	bool first = true;
	while (i < n) {
		size_t j = i;
		while (j < n && j + seq_len((unsigned char)s[j]) - i <= ENCODED_WORD_BYTES)
			j += seq_len((unsigned char)s[j]);
		char b64[ENCODED_WORD_BYTES * 2];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + i, j - i,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(b, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", b64);
		first = false;
		i = j;
	}
}

enum status mail_headers(struct buf *b, const char *from, const char *to, const char *subject,
			 int64_t now)
{
	if (!mail_address_valid(from) || !mail_address_valid(to) || subject == NULL)
		return STATUS_INVALID;
	size_t ns = strlen(subject);
	if (ns > MAIL_SUBJECT_MAX || !utf8_valid(subject, ns) || utf8_has_controls(subject, ns) ||
	    strpbrk(subject, "\r\n\t") != NULL)
		return STATUS_INVALID;
	time_t local = (time_t)(now + 7 * 3600);
	struct tm tm;
	gmtime_r(&local, &tm);
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0700\r\n", days[tm.tm_wday],
		   tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		   tm.tm_sec);
	unsigned char id[16];
	char id_hex[2 * sizeof id + 1];
	randombytes_buf(id, sizeof id);
	sodium_bin2hex(id_hex, sizeof id_hex, id, sizeof id);
	buf_printf(b, "Message-ID: <%s%s>\r\n", id_hex, strchr(from, '@'));
	buf_printf(b, "From: <%s>\r\nTo: <%s>\r\nSubject: ", from, to);
	if (is_ascii_printable(subject) && ns <= 900)
		buf_puts(b, subject);
	else
		encoded_words(b, subject);
	buf_lit(b, "\r\nMIME-Version: 1.0\r\n"
		   "Content-Type: text/plain; charset=UTF-8\r\n"
		   "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	return b->failed ? STATUS_TOO_LARGE : STATUS_OK;
}

/* One line (no line end) in quoted-printable, soft breaks keeping lines under 76. */
static void qp_line(struct buf *b, const char *s, size_t n)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool last = i + 1 == n;
		char enc[4];
		size_t w;
		if ((ch >= 33 && ch <= 126 && ch != '=') || ((ch == ' ' || ch == '\t') && !last)) {
			enc[0] = (char)ch;
			w = 1;
		} else {
			snprintf(enc, sizeof enc, "=%02X", ch);
			w = 3;
		}
		if (col + w > QP_LINE_MAX - 1) {
			buf_lit(b, "=\r\n");
			col = 0;
		}
		buf_append(b, enc, w);
		col += w;
	}
	buf_lit(b, "\r\n");
}

enum status mail_body_qp(struct buf *b, const char *body)
{
	size_t n = strlen(body);
	if (n > MAIL_BODY_MAX || !utf8_valid(body, n))
		return STATUS_INVALID;
	const char *p = body, *end = body + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl != NULL ? nl : end;
		size_t len = (size_t)(stop - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		qp_line(b, p, len);
		p = nl != NULL ? nl + 1 : end;
	}
	return b->failed ? STATUS_TOO_LARGE : STATUS_OK;
}

struct upload {
	const char *data;
	size_t left;
};

static size_t read_message(char *out, size_t size, size_t count, void *ctx)
{
	struct upload *u = ctx;
	size_t n = size * count < u->left ? size * count : u->left;
	memcpy(out, u->data, n);
	u->data += n;
	u->left -= n;
	return n;
}

static void set_error(char *error, size_t n, const char *what)
{
	if (error != NULL && n > 0)
		snprintf(error, n, "%s", what);
}

enum status mail_send(const struct mail_settings *s, const char *to, const char *subject,
		      const char *body, char *error, size_t n)
{
	set_error(error, n, "");
	if (s->smtp_url == NULL ||
	    (strncmp(s->smtp_url, "smtp://", 7) != 0 && strncmp(s->smtp_url, "smtps://", 8) != 0) ||
	    strpbrk(s->smtp_url, "\r\n") != NULL) {
		set_error(error, n, "smtp_url must start with smtp:// or smtps://");
		return STATUS_INVALID;
	}
	struct buf msg;
	buf_init(&msg, NULL, MESSAGE_MAX);
	enum status st = mail_headers(&msg, s->from, to, subject, (int64_t)time(NULL));
	if (st == STATUS_OK)
		st = mail_body_qp(&msg, body);
	if (st) {
		set_error(error, n, "bad address, subject or body");
		buf_release(&msg);
		return st;
	}
	CURL *curl = curl_easy_init();
	if (curl == NULL) {
		buf_release(&msg);
		return STATUS_INTERNAL;
	}
	char from_path[MAIL_ADDRESS_MAX + 3], to_path[MAIL_ADDRESS_MAX + 3];
	snprintf(from_path, sizeof from_path, "<%s>", s->from);
	snprintf(to_path, sizeof to_path, "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, to_path);
	struct upload u = { buf_str(&msg), msg.len };
	long timeout = s->timeout_s > 0 && s->timeout_s <= MAIL_TIMEOUT_MAX_S ? s->timeout_s
									       : MAIL_TIMEOUT_MAX_S;
	char curl_error[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, s->smtp_url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from_path);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeout < 5 ? timeout : 5L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
	if (s->user != NULL && s->user[0] != '\0') {
		curl_easy_setopt(curl, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, s->password != NULL ? s->password : "");
		/* Never send a password in clear: smtp:// must upgrade with STARTTLS. */
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	} else {
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	}
	CURLcode rc = rcpt != NULL ? curl_easy_perform(curl) : CURLE_OUT_OF_MEMORY;
	if (rc != CURLE_OK)
		set_error(error, n, curl_error[0] != '\0' ? curl_error : curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	sodium_memzero(msg.data, msg.len);
	buf_release(&msg);
	return rc == CURLE_OK ? STATUS_OK : STATUS_UNAVAILABLE;
}
