/* status.h: the one result type of the program's functions */
#ifndef BASE_STATUS_H
#define BASE_STATUS_H

enum status {
	STATUS_OK = 0,
	STATUS_INVALID,     /* input failed validation: 422 (or 400) */
	STATUS_NOT_FOUND,   /* 404 */
	STATUS_FORBIDDEN,   /* 403 */
	STATUS_CONFLICT,    /* 409 */
	STATUS_TOO_LARGE,   /* a limit was reached: 413 */
	STATUS_TOO_MANY,    /* throttled: 429 */
	STATUS_UNAVAILABLE, /* database busy or down: 503 */
	STATUS_INTERNAL,    /* a bug or a system failure: 500 */
};

/* Short English name of a status, for logs. */
const char *status_name(enum status st);

#endif
