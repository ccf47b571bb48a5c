/* app_host.c: the unit a request's Host names, and where that unit's absolute URLs begin:
 * from its configured names only (base_url, the province's host names), from the Host
 * asked only when it has none (then pages are kept per Host, see app_dispatch) */
#include "app/app.h"

#include "base/arena.h"
#include "http/request.h"
#include "http/url.h"

#include <string.h>
#include <strings.h>

/* Bytes of url's "scheme://authority" ("https://a.vn" of "https://a.vn/x"); 0 if none. */
static size_t origin_length(const char *url)
{
	const char *p = strstr(url, "://");
	if (p == NULL)
		return 0;
	p += 3;
	return (size_t)(p - url) + strcspn(p, "/?#");
}

/* The host name of base_url ("https://Phuong9.vn:443/" gives "phuong9.vn"), into out. */
static bool base_url_name(const char *base_url, char *out, size_t n)
{
	size_t end = origin_length(base_url);
	if (end == 0)
		return false;
	const char *start = strstr(base_url, "://") + 3;
	char host[HTTP_MAX_HOST + 1];
	size_t len = (size_t)(base_url + end - start);
	if (len == 0 || len > HTTP_MAX_HOST)
		return false;
	memcpy(host, start, len);
	host[len] = '\0';
	return http_host_valid(host) && http_host_name(host, out, n);
}

enum status app_host_resolve(struct request *r, const struct config *cfg)
{
	const char *header = request_header(r, "Host");
	char name[HTTP_MAX_HOST + 1] = "";
	if (header != NULL && (!http_host_valid(header) || !http_host_name(header, name, sizeof name)))
		return STATUS_INVALID;
	struct app_host found;
	enum status st = app_host_lookup(r->db, r->arena, name, &found);
	if (st)
		return st;
	const char *scheme = cfg->https ? "https" : "http";
	r->base_url_from_host = false;
	if (found.unit_id > 1) {
		r->unit_id = found.unit_id;
		r->unit_name = found.unit_name;
		r->base_url = arena_printf(r->arena, "%s://%s", scheme, found.first_host);
		return r->base_url != NULL ? STATUS_OK : STATUS_TOO_LARGE;
	}
	/* Unit 1's names: its own host names, base_url's, the loopback; any name at all while
	 * the database holds no other unit (a single ward). */
	char configured[HTTP_MAX_HOST + 1];
	bool ours = found.unit_id == 1 || !found.province || name[0] == '\0' ||
		    http_host_is_loopback(name) ||
		    (base_url_name(cfg->base_url, configured, sizeof configured) &&
		     strcmp(configured, name) == 0);
	if (!ours)
		return STATUS_NOT_FOUND;
	r->unit_id = 1;
	r->unit_name = NULL;
	if (cfg->base_url[0] != '\0') {
		r->base_url = cfg->base_url;
	} else if (found.first_host != NULL) {
		r->base_url = arena_printf(r->arena, "%s://%s", scheme, found.first_host);
	} else {
		r->base_url = arena_printf(r->arena, "%s://%s", scheme,
					   header != NULL ? header : "localhost");
		r->base_url_from_host = true;
	}
	return r->base_url != NULL ? STATUS_OK : STATUS_TOO_LARGE;
}

bool app_origin_ours(const struct request *r, const char *origin)
{
	size_t n = r->base_url != NULL ? origin_length(r->base_url) : 0;
	if (n > 0 && strlen(origin) == n && strncasecmp(origin, r->base_url, n) == 0)
		return true;
	const char *host = request_header(r, "Host");
	const char *authority = strstr(origin, "://");
	return host != NULL && authority != NULL && strcasecmp(authority + 3, host) == 0;
}
