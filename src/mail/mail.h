/* mail.h: one plain-text UTF-8 email sent through SMTP (libcurl), headers built safely */
#ifndef MAIL_MAIL_H
#define MAIL_MAIL_H

#include "base/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

enum {
	MAIL_ADDRESS_MAX = 254,  /* RFC 5321 path limit */
	MAIL_SUBJECT_MAX = 400,  /* bytes of UTF-8 */
	MAIL_BODY_MAX = 256 * 1024,
	MAIL_TIMEOUT_MAX_S = 10, /* a send never takes longer than this */
};

/* Where and how to send. Strings are borrowed; user NULL or "" means no authentication.
 * timeout_s <= 0 or above MAIL_TIMEOUT_MAX_S is taken as MAIL_TIMEOUT_MAX_S. */
struct mail_settings {
	const char *smtp_url; /* "smtp://HOST:PORT" or "smtps://HOST:PORT" */
	const char *from;     /* "mot-cua@phuong9.example.vn" */
	const char *user, *password;
	int timeout_s;
};

/* Initialises libcurl once for the process; call from main before threads start.
 * false if it fails. */
bool mail_global_init(void);

/* Whether s is a bare address we send to or from: local@domain, printable ASCII without
 * blanks, CR, LF, '<', '>', ',', '"', ';' or '\', one '@', at most MAIL_ADDRESS_MAX bytes. */
bool mail_address_valid(const char *s);

/* Appends the header block (ending with the empty line) of a message: Date (in +0700,
 * from `now`, UTC seconds), Message-ID (random, at the sender's domain), From, To,
 * Subject (RFC 2047 base64 encoded words when not plain ASCII), MIME-Version,
 * Content-Type text/plain; charset=UTF-8, Content-Transfer-Encoding quoted-printable.
 * STATUS_INVALID when an address is not valid, or the subject holds CR, LF or another
 * control character, is not UTF-8, or is longer than MAIL_SUBJECT_MAX; STATUS_TOO_LARGE
 * when b is full. */
enum status mail_headers(struct buf *b, const char *from, const char *to, const char *subject,
			 int64_t now);

/* Appends body (UTF-8; LF or CRLF line ends) in quoted-printable with CRLF line ends.
 * STATUS_INVALID if it is not UTF-8 or is longer than MAIL_BODY_MAX. */
enum status mail_body_qp(struct buf *b, const char *body);

/* Sends one message. STATUS_INVALID for bad settings, addresses, subject or body (nothing
 * sent); STATUS_UNAVAILABLE when the server can't be reached, refuses the message or
 * times out (libcurl's reason in error, when not NULL, of n bytes); STATUS_OK once the
 * server has accepted it. Blocks at most the settings' timeout. */
enum status mail_send(const struct mail_settings *s, const char *to, const char *subject,
		      const char *body, char *error, size_t n);

#endif
