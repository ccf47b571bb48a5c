/* request.c: accessors of a request and helpers that fill its response */
#include "http/request.h"

#include "base/arena.h"
#include "http/proxy.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *param_value(const struct http_param *params, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(params[i].name, name) == 0)
			return params[i].value;
	return NULL;
}

const char *request_query(const struct request *r, const char *name)
{
	return param_value(r->query, r->query_count, name);
}

const char *request_form(const struct request *r, const char *name)
{
	return param_value(r->form, r->form_count, name);
}

const struct http_file *request_file(const struct request *r, const char *name)
{
	for (size_t i = 0; i < r->file_count; i++)
		if (strcmp(r->files[i].field, name) == 0)
			return &r->files[i];
	return NULL;
}

const char *request_header(const struct request *r, const char *name)
{
	if (r->connection == NULL)
		return NULL;
	return MHD_lookup_connection_value(r->connection, MHD_HEADER_KIND, name);
}

const char *request_cookie(const struct request *r, const char *name)
{
	if (r->connection == NULL)
		return NULL;
	return MHD_lookup_connection_value(r->connection, MHD_COOKIE_KIND, name);
}

/* The socket's peer address as text, or "?". */
static void peer_address(const struct request *r, char text[INET6_ADDRSTRLEN])
{
	snprintf(text, INET6_ADDRSTRLEN, "?");
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(r->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (info == NULL || info->client_addr == NULL)
		return;
	const struct sockaddr *sa = info->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, text,
			  INET6_ADDRSTRLEN);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
			  INET6_ADDRSTRLEN);
}

/* Joins the values of every X-Forwarded-For header with commas, in the order received. */
static enum MHD_Result join_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	(void)kind;
	struct buf *b = cls;
	if (strcasecmp(key, "X-Forwarded-For") != 0 || value == NULL)
		return MHD_YES;
	if (b->len > 0)
		buf_puts(b, ",");
	buf_puts(b, value);
	return MHD_YES;
}

void request_find_client(struct request *r, const struct http_proxies *proxies)
{
	char peer[INET6_ADDRSTRLEN], client[HTTP_ADDRESS_TEXT];
	peer_address(r, peer);
	const char *xff = NULL;
	if (proxies->count > 0 && http_proxies_match(proxies, peer)) {
		struct buf forwarded;
		buf_init(&forwarded, r->arena, HTTP_FORWARDED_BYTES);
		MHD_get_connection_values(r->connection, MHD_HEADER_KIND, join_forwarded, &forwarded);
		xff = forwarded.len > 0 ? buf_str(&forwarded) : NULL;
		/* Longer than the headers can be: unreadable, so the proxy itself is the client. */
		if (forwarded.failed)
			xff = "?";
	}
	http_proxies_client(proxies, peer, xff, request_header(r, "X-Real-IP"), client);
	r->client_ip = arena_strdup(r->arena, client);
}

const char *request_client_ip(const struct request *r)
{
	if (r->client_ip != NULL)
		return r->client_ip;
	if (r->connection == NULL)
		return "127.0.0.1";
	char text[INET6_ADDRSTRLEN];
	peer_address(r, text);
	return arena_strdup(r->arena, text);
}

void request_add_header(struct request *r, const char *name, const char *value)
{
	if (r->headers_out_count < HTTP_MAX_HEADERS_OUT)
		r->headers_out[r->headers_out_count++] = (struct http_header){ name, value };
}

void request_set_header(struct request *r, const char *name, const char *value)
{
	for (size_t i = 0; i < r->headers_out_count; i++) {
		if (strcasecmp(r->headers_out[i].name, name) == 0) {
			r->headers_out[i].value = value;
			return;
		}
	}
	request_add_header(r, name, value);
}

void request_redirect(struct request *r, int status, const char *location)
{
	r->status = status;
	r->redirect = location;
}

void request_view(struct request *r, const char *template_name, json_t *model)
{
	if (r->view != NULL)
		json_decref(r->view);
	r->template_name = template_name;
	r->view = model;
}

const char *http_url_encode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = arena_alloc(a, n * 3 + 1);
	if (out == NULL)
		return "";
	char *p = out;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    *c == '-' || *c == '_' || *c == '.' || *c == '~') {
			*p++ = (char)*c;
		} else {
			*p++ = '%';
			*p++ = hex[*c >> 4];
			*p++ = hex[*c & 15];
		}
	}
	*p = '\0';
	return out;
}
