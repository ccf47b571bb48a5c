/* statics.c: the files of static/ (styles, icons), loaded once and served from memory */
#include "app/app.h"

#include "auth/auth.h"
#include "base/arena.h"
#include "base/log.h"
#include "http/request.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STATICS_MAX = 64, STATIC_FILE_MAX = 2 * 1024 * 1024 };

static const char *content_type_of(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot != NULL && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *data = malloc(STATIC_FILE_MAX);
	size_t n = data != NULL ? fread(data, 1, STATIC_FILE_MAX, f) : 0;
	bool too_big = n == STATIC_FILE_MAX;
	fclose(f);
	if (data == NULL || too_big) {
		free(data);
		return NULL;
	}
	*len = n;
	return data;
}

bool statics_load(struct app *app)
{
	char dir_path[600];
	snprintf(dir_path, sizeof dir_path, "%s/static", app->cfg.share_dir);
	DIR *dir = opendir(dir_path);
	if (dir == NULL) {
		log_error("cannot open static folder '%s'", dir_path);
		return false;
	}
	app->statics = calloc(STATICS_MAX, sizeof *app->statics);
	struct dirent *e;
	while (app->statics != NULL && (e = readdir(dir)) != NULL) {
		const char *type = content_type_of(e->d_name);
		if (e->d_name[0] == '.' || type == NULL)
			continue;
		if (app->statics_count == STATICS_MAX) {
			log_error("more than %d static files", STATICS_MAX);
			break;
		}
		char path[900];
		snprintf(path, sizeof path, "%s/%s", dir_path, e->d_name);
		struct static_file *f = &app->statics[app->statics_count];
		f->data = read_file(path, &f->len);
		if (f->data == NULL) {
			log_error("cannot read static file '%s'", path);
			continue;
		}
		unsigned char digest[16];
		crypto_generichash(digest, sizeof digest, (unsigned char *)f->data, f->len, NULL, 0);
		char hex[33], etag[40];
		sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
		snprintf(etag, sizeof etag, "\"%s\"", hex);
		f->name = strdup(e->d_name);
		f->etag = strdup(etag);
		f->content_type = type;
		app->statics_count++;
	}
	closedir(dir);
	return app->statics != NULL;
}

void statics_free(struct app *app)
{
	for (size_t i = 0; i < app->statics_count; i++) {
		free(app->statics[i].data);
		free((char *)app->statics[i].name);
		free((char *)app->statics[i].etag);
	}
	free(app->statics);
	app->statics = NULL;
	app->statics_count = 0;
}

enum status statics_serve(struct request *r)
{
	const struct app *app = r->app;
	const char *name = r->path_params[0];
	for (size_t i = 0; i < app->statics_count; i++) {
		const struct static_file *f = &app->statics[i];
		if (strcmp(f->name, name) != 0)
			continue;
		request_add_header(r, "Cache-Control", "public, max-age=86400");
		request_add_header(r, "ETag", f->etag);
		r->has_raw_body = true;
		const char *if_none = request_header(r, "If-None-Match");
		if (if_none != NULL && strcmp(if_none, f->etag) == 0) {
			r->status = 304;
			return STATUS_OK;
		}
		r->content_type = f->content_type;
		buf_append(&r->body, f->data, f->len);
		return STATUS_OK;
	}
	return STATUS_NOT_FOUND;
}
