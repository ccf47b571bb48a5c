/* url.h: checks of what a client names: a redirect target on this site, a Host header */
#ifndef HTTP_URL_H
#define HTTP_URL_H

#include <stdbool.h>
#include <stddef.h>

enum {
	HTTP_MAX_LOCAL_PATH = 2048, /* bytes of a redirect target a client may give */
	HTTP_MAX_HOST = 260,        /* bytes of a Host header: a 253-byte DNS name and a port */
	HTTP_PERCENT_ROUNDS = 4,    /* decodings of a redirect target checked (%2F, %252F, ...) */
};

/* Whether target (a `next` a client gave) is a path of this site as a browser reads it:
 * printable ASCII only, one leading '/', no '\\', no "//", and the same once percent-decoded
 * (up to HTTP_PERCENT_ROUNDS times) with no control byte either. NULL is not. */
bool http_path_is_local(const char *target);

/* Whether a Host header is well formed: 1..HTTP_MAX_HOST bytes of valid UTF-8, a name of
 * letters, digits, '-', '.', '_' and non-ASCII characters, or a bracketed IPv6 address,
 * then an optional ":port" of 1-5 digits. */
bool http_host_valid(const char *host);

/* The name of a valid Host header, lower case (ASCII), without its port, into out (n bytes).
 * false when it does not fit. */
bool http_host_name(const char *host, char *out, size_t n);

/* Whether a host name (as http_host_name gives it) is this machine's loopback:
 * "localhost", an address of 127.0.0.0/8, or "[::1]". */
bool http_host_is_loopback(const char *name);

#endif
