/* proxy.h: trusted proxies (addresses and CIDRs) and the client address they forward */
#ifndef HTTP_PROXY_H
#define HTTP_PROXY_H

#include <stdbool.h>
#include <stddef.h>

/* Limits: entries in a trusted_proxies list, entries of X-Forwarded-For looked at. */
enum { HTTP_PROXIES_MAX = 32, HTTP_FORWARDED_MAX = 32, HTTP_ADDRESS_TEXT = 46 };

/* One network: an IPv4 address is kept as its IPv4-mapped IPv6 form (::ffff:a.b.c.d). */
struct http_net {
	unsigned char addr[16];
	int prefix; /* bits of addr that must match, 0..128 */
};

struct http_proxies {
	struct http_net nets[HTTP_PROXIES_MAX];
	size_t count;
};

/* Parses a list of addresses and CIDRs ("127.0.0.1, 10.0.0.0/8 ::1 fd00::/8"; commas
 * and/or spaces between entries; empty: no proxy) into out. false when an entry is not
 * an address or CIDR, or there are too many: then why (a static English text) says so. */
bool http_proxies_parse(const char *text, struct http_proxies *out, const char **why);
/* Whether address (text, IPv4 or IPv6) is in one of the networks of p. */
bool http_proxies_match(const struct http_proxies *p, const char *address);
/* Writes the client's address to out (HTTP_ADDRESS_TEXT bytes): peer unless it is trusted;
 * then xff's (X-Forwarded-For values joined by commas) right-most untrusted entry, or real_ip
 * without xff. An entry that is not an address makes the proxy that added it the client. */
void http_proxies_client(const struct http_proxies *p, const char *peer, const char *xff,
			 const char *real_ip, char *out);

#endif
