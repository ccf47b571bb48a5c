/* request.c: accessors of a request and helpers that fill its response */
#include "http/request.h"

#include "base/arena.h"

#include <arpa/inet.h>
#include <microhttpd.h>
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

const char *request_client_ip(const struct request *r)
{
	if (r->connection == NULL)
		return "127.0.0.1";
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(r->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (info == NULL || info->client_addr == NULL)
		return "?";
	char text[INET6_ADDRSTRLEN] = "?";
	const struct sockaddr *sa = info->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, text,
			  sizeof text);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
			  sizeof text);
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
