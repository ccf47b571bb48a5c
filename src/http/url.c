/* url.c: checks of what a client names: a redirect target on this site, a Host header */
#include "http/url.h"

#include "base/utf8.h"

#include <string.h>

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The rules every form of a target must keep: one leading '/', no '\\' (a browser reads
 * it as '/'), no "//" (a host follows), no control byte (a browser drops tab, CR and LF,
 * so "/\t/x" is "//x"). */
static bool path_form_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] != '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F || c == '\\' || (c == '/' && i + 1 < n && s[i + 1] == '/'))
			return false;
	}
	return true;
}

/* Decodes %XX sequences of s (n bytes) into out; a '%' without two hex digits stays.
 * Returns the new length; *changed tells whether anything was decoded. */
static size_t percent_decode(const char *s, size_t n, char *out, bool *changed)
{
	size_t o = 0;
	*changed = false;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hex_value(s[i + 1])) >= 0 &&
		    (lo = hex_value(s[i + 2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
			*changed = true;
		} else {
			out[o++] = s[i];
		}
	}
	return o;
}

bool http_path_is_local(const char *target)
{
	if (target == NULL)
		return false;
	size_t n = strlen(target);
	if (n > HTTP_MAX_LOCAL_PATH)
		return false;
	/* As sent: printable ASCII only, so the Location header carries it as it is. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)target[i] <= 0x20 || (unsigned char)target[i] >= 0x7F)
			return false;
	char forms[2][HTTP_MAX_LOCAL_PATH];
	const char *s = target;
	for (int round = 0; round <= HTTP_PERCENT_ROUNDS; round++) {
		if (!path_form_ok(s, n))
			return false;
		bool changed;
		char *out = forms[round % 2];
		n = percent_decode(s, n, out, &changed);
		if (!changed)
			return true;
		s = out;
	}
	return false; /* still encoded after that many rounds: nobody's link */
}

/* Whether s (n bytes) is ":" and 1-5 digits, or nothing. */
static bool port_ok(const char *s, size_t n)
{
	if (n == 0)
		return true;
	if (s[0] != ':' || n < 2 || n > 6)
		return false;
	for (size_t i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Length of the name part of a host header (an IPv6 address with its brackets), or 0 when
 * it is not a name. */
static size_t name_length(const char *host, size_t n)
{
	if (host[0] == '[') {
		size_t i = 1;
		while (i < n && (hex_value(host[i]) >= 0 || host[i] == ':' || host[i] == '.'))
			i++;
		return i < n && host[i] == ']' && i > 1 ? i + 1 : 0;
	}
	size_t i = 0;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)host[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_' || c >= 0x80))
			break;
	}
	return i;
}

bool http_host_valid(const char *host)
{
	if (host == NULL)
		return false;
	size_t n = strlen(host);
	if (n == 0 || n > HTTP_MAX_HOST || !utf8_valid(host, n))
		return false;
	size_t name = name_length(host, n);
	return name > 0 && port_ok(host + name, n - name);
}

bool http_host_name(const char *host, char *out, size_t n)
{
	size_t len = name_length(host, strlen(host));
	if (len >= n)
		return false;
	for (size_t i = 0; i < len; i++)
		out[i] = host[i] >= 'A' && host[i] <= 'Z' ? (char)(host[i] - 'A' + 'a') : host[i];
	out[len] = '\0';
	return true;
}

bool http_host_is_loopback(const char *name)
{
	if (strcmp(name, "localhost") == 0 || strcmp(name, "[::1]") == 0)
		return true;
	/* 127.a.b.c: four numbers 0-255 */
	if (strncmp(name, "127.", 4) != 0)
		return false;
	int parts = 1, value = 0, digits = 0;
	for (const char *p = name + 4;; p++) {
		if (*p >= '0' && *p <= '9') {
			value = value * 10 + (*p - '0');
			if (++digits > 3 || value > 255)
				return false;
		} else if ((*p == '.' || *p == '\0') && digits > 0) {
			parts++;
			value = digits = 0;
			if (*p == '\0')
				return parts == 4;
		} else {
			return false;
		}
	}
}
