/* proxy.c: trusted proxies (addresses and CIDRs) and the client address they forward */
#include "http/proxy.h"

#include "base/num.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char list_separators[] = ", \t";

/* Parses len bytes of text as an IPv4 or IPv6 address into addr (IPv4 as ::ffff:a.b.c.d). */
static bool address_parse(const char *text, size_t len, unsigned char addr[16], bool *is_v4)
{
	char copy[HTTP_ADDRESS_TEXT];
	if (len == 0 || len >= sizeof copy)
		return false;
	memcpy(copy, text, len);
	copy[len] = '\0';
	struct in_addr v4;
	if (inet_pton(AF_INET, copy, &v4) == 1) {
		memset(addr, 0, 10);
		addr[10] = addr[11] = 0xff;
		memcpy(addr + 12, &v4, 4);
		*is_v4 = true;
		return true;
	}
	*is_v4 = false;
	return inet_pton(AF_INET6, copy, addr) == 1;
}

/* addr as text, IPv4-mapped addresses in dotted form (so a dual-stack peer counts as IPv4). */
static void address_format(const unsigned char addr[16], char out[HTTP_ADDRESS_TEXT])
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (memcmp(addr, mapped, sizeof mapped) == 0)
		inet_ntop(AF_INET, addr + 12, out, HTTP_ADDRESS_TEXT);
	else
		inet_ntop(AF_INET6, addr, out, HTTP_ADDRESS_TEXT);
}

/* One entry "ADDRESS" or "ADDRESS/BITS" of len bytes. */
static bool net_parse(const char *text, size_t len, struct http_net *net)
{
	const char *slash = memchr(text, '/', len);
	size_t address_len = slash != NULL ? (size_t)(slash - text) : len;
	bool is_v4;
	if (!address_parse(text, address_len, net->addr, &is_v4))
		return false;
	int max = is_v4 ? 32 : 128;
	int64_t bits = max;
	if (slash != NULL) {
		char number[8];
		size_t n = len - address_len - 1;
		if (n == 0 || n >= sizeof number)
			return false;
		memcpy(number, slash + 1, n);
		number[n] = '\0';
		if (!num_parse_int64(number, 0, max, &bits))
			return false;
	}
	net->prefix = (int)bits + (is_v4 ? 96 : 0);
	return true;
}

bool http_proxies_parse(const char *text, struct http_proxies *out, const char **why)
{
	out->count = 0;
	*why = NULL;
	for (const char *p = text;;) {
		p += strspn(p, list_separators);
		if (*p == '\0')
			return true;
		size_t len = strcspn(p, list_separators);
		if (out->count == HTTP_PROXIES_MAX) {
			*why = "too many entries (at most 32)";
			return false;
		}
		if (!net_parse(p, len, &out->nets[out->count])) {
			*why = "an entry is not an IPv4 or IPv6 address or CIDR (e.g. 127.0.0.1, "
			       "10.0.0.0/8, ::1, fd00::/8)";
			return false;
		}
		out->count++;
		p += len;
	}
}

static bool net_contains(const struct http_net *net, const unsigned char addr[16])
{
	int whole = net->prefix / 8, rest = net->prefix % 8;
	if (memcmp(net->addr, addr, (size_t)whole) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (net->addr[whole] & mask) == (addr[whole] & mask);
}

static bool address_trusted(const struct http_proxies *p, const unsigned char addr[16])
{
	for (size_t i = 0; i < p->count; i++)
		if (net_contains(&p->nets[i], addr))
			return true;
	return false;
}

bool http_proxies_match(const struct http_proxies *p, const char *address)
{
	unsigned char addr[16];
	bool is_v4;
	return address_parse(address, strlen(address), addr, &is_v4) && address_trusted(p, addr);
}

/* Trims spaces and tabs around the len bytes at *s. */
static void trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

void http_proxies_client(const struct http_proxies *p, const char *peer, const char *xff,
			 const char *real_ip, char *out)
{
	unsigned char hop[16], addr[16];
	bool is_v4;
	if (!address_parse(peer, strlen(peer), hop, &is_v4)) {
		snprintf(out, HTTP_ADDRESS_TEXT, "%s", peer); /* "?": no socket address */
		return;
	}
	if (address_trusted(p, hop) && xff != NULL && xff[strspn(xff, list_separators)] != '\0') {
		/* From the right: each entry was added by the hop after it; the first one that
		 * is not a trusted proxy is the client. Entries further left are the client's
		 * own words, spoofable, and never looked at. */
		size_t end = strlen(xff);
		for (int seen = 0; end > 0 && seen < HTTP_FORWARDED_MAX; seen++) {
			size_t start = end;
			while (start > 0 && xff[start - 1] != ',')
				start--;
			const char *entry = xff + start;
			size_t len = end - start;
			trim(&entry, &len);
			end = start > 0 ? start - 1 : 0;
			if (len == 0 && start > 0)
				continue; /* "a,,b" */
			if (!address_parse(entry, len, addr, &is_v4))
				break;
			memcpy(hop, addr, sizeof hop);
			if (!address_trusted(p, addr))
				break;
		}
	} else if (address_trusted(p, hop) && real_ip != NULL &&
		   address_parse(real_ip, strlen(real_ip), addr, &is_v4)) {
		memcpy(hop, addr, sizeof hop);
	}
	address_format(hop, out);
}
