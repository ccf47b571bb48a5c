/* news_demo.c: the demo content: categories and articles read from Markdown files with front matter */
#include "news/news_pages.h"

#include "audit/audit.h"
#include "base/arena.h"
#include "base/log.h"
#include "base/num.h"
#include "news/news.h"
#include "upload/upload.h"
#include "worktime/clock.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	DEMO_MAX_FILES = 200,
	DEMO_FILE_MAX = 512 * 1024,
	DEMO_PICTURES = 8, /* distinct pictures drawn; articles share them (stored once) */
};

/* A picture already drawn and stored during this load. */
struct demo_picture {
	bool is_drawn;
	char large[65], thumb[65];
	int width, height;
};

struct demo_article {
	const char *title, *category, *published, *author, *views, *caption, *body;
};

static char *read_whole(struct arena *a, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *data = arena_alloc(a, DEMO_FILE_MAX + 1);
	size_t n = data != NULL ? fread(data, 1, DEMO_FILE_MAX, f) : 0;
	fclose(f);
	if (data == NULL || n == DEMO_FILE_MAX)
		return NULL;
	data[n] = '\0';
	return data;
}

/* Splits "key: value" front matter (values may be in double quotes) from the body. */
static bool parse_front_matter(char *text, struct demo_article *out)
{
	*out = (struct demo_article){ 0 };
	if (strncmp(text, "---\n", 4) != 0)
		return false;
	char *line = text + 4;
	while (*line != '\0') {
		char *end = strchr(line, '\n');
		if (end == NULL)
			return false;
		*end = '\0';
		if (strcmp(line, "---") == 0) {
			out->body = end + 1;
			return out->title != NULL && out->category != NULL && out->published != NULL;
		}
		char *colon = strchr(line, ':');
		if (colon != NULL) {
			*colon = '\0';
			char *value = colon + 1;
			while (*value == ' ')
				value++;
			size_t n = strlen(value);
			if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
				value[n - 1] = '\0';
				value++;
			}
			if (strcmp(line, "title") == 0) out->title = value;
			else if (strcmp(line, "category") == 0) out->category = value;
			else if (strcmp(line, "published") == 0) out->published = value;
			else if (strcmp(line, "author") == 0) out->author = value;
			else if (strcmp(line, "views") == 0) out->views = value;
			else if (strcmp(line, "photo_caption") == 0) out->caption = value;
		}
		line = end + 1;
	}
	return false;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Draws (once per seed), resizes and stores a demo photo; both sizes named by their hashes. */
static enum status demo_photo(struct db_conn *c, int64_t unit_id, unsigned seed,
			      struct demo_picture *p)
{
	if (p->is_drawn)
		return STATUS_OK;
	struct upload_image picture = { 0 }, small = { 0 };
	enum status st = upload_demo_picture(960, 540, seed, &picture);
	if (st == STATUS_OK)
		st = upload_save(c, unit_id, &picture, p->large);
	if (st == STATUS_OK)
		st = upload_image_variant(picture.data, picture.len, 360, 240, &small);
	if (st == STATUS_OK)
		st = upload_save(c, unit_id, &small, p->thumb);
	p->width = picture.width;
	p->height = picture.height;
	p->is_drawn = st == STATUS_OK;
	upload_image_release(&picture);
	upload_image_release(&small);
	return st;
}

static enum status load_categories(struct db_conn *c, struct arena *a, int64_t unit_id,
				   const char *dir, const struct audit_actor *actor, int64_t now)
{
	char path[700];
	snprintf(path, sizeof path, "%s/categories.txt", dir);
	char *text = read_whole(a, path);
	if (text == NULL) {
		log_error("cannot read '%s'", path);
		return STATUS_NOT_FOUND;
	}
	for (char *line = text; *line != '\0';) {
		char *end = strchr(line, '\n');
		if (end != NULL)
			*end = '\0';
		if (*line != '\0') {
			enum status st = news_category_save(c, a, unit_id, 0, line, actor, now, NULL);
			if (st)
				return st;
		}
		if (end == NULL)
			break;
		line = end + 1;
	}
	return STATUS_OK;
}

/* Loads one article file; seed chooses its picture among pictures[]. */
static enum status load_article(struct db_conn *c, struct arena *a, int64_t unit_id,
				const char *path, unsigned seed, struct demo_picture *pictures,
				const struct audit_actor *actor, int64_t now)
{
	char *text = read_whole(a, path);
	struct demo_article d;
	if (text == NULL || !parse_front_matter(text, &d)) {
		log_error("demo article '%s' has no valid front matter", path);
		return STATUS_INVALID;
	}
	/* "2015-07-07T08:10:00+07:00": the local time is what counts. */
	char local[17];
	snprintf(local, sizeof local, "%s", d.published);
	struct news_input in = { .title = d.title, .author = d.author ? d.author : "", .body = d.body };
	if (!clock_parse_local_datetime(local, &in.published_at)) {
		log_error("demo article '%s': bad date '%s'", path, d.published);
		return STATUS_INVALID;
	}
	struct news_category *cats;
	size_t n;
	enum status st = news_category_list(c, a, unit_id, &cats, &n);
	if (st)
		return st;
	for (size_t i = 0; i < n; i++)
		if (strcmp(cats[i].name, d.category) == 0)
			in.category_id = cats[i].id;
	const char *problem = news_input_check(a, &in);
	if (problem != NULL) {
		log_error("demo article '%s': %s", path, problem);
		return STATUS_INVALID;
	}
	int64_t id;
	st = news_article_create(c, a, unit_id, &in, true, actor, now, &id);
	if (st)
		return st;
	int64_t views;
	if (d.views != NULL && num_parse_int64(d.views, 0, INT64_MAX, &views)) {
		st = news_views_set(c, id, views);
		if (st)
			return st;
	}
	if (d.caption == NULL)
		return STATUS_OK;
	struct demo_picture *p = &pictures[seed % DEMO_PICTURES];
	st = demo_photo(c, unit_id, seed % DEMO_PICTURES + 1, p);
	if (st)
		return st;
	return news_photo_add(c, unit_id, id, p->large, p->thumb, p->width, p->height, d.caption,
			      actor, now);
}

enum status news_demo_load(struct db_conn *c, int64_t unit_id, const char *dir, int64_t now)
{
	struct arena *a = arena_new((size_t)64 * 1024 * 1024);
	if (a == NULL)
		return STATUS_INTERNAL;
	struct audit_actor actor = { .user_id = 0, .name = "demo" };
	enum status st = load_categories(c, a, unit_id, dir, &actor, now);
	DIR *d = st == STATUS_OK ? opendir(dir) : NULL;
	if (st == STATUS_OK && d == NULL)
		st = STATUS_NOT_FOUND;
	char *names[DEMO_MAX_FILES];
	size_t count = 0;
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL && count < DEMO_MAX_FILES) {
		size_t len = strlen(e->d_name);
		if (len > 3 && strcmp(e->d_name + len - 3, ".md") == 0)
			names[count++] = arena_strdup(a, e->d_name);
	}
	if (d != NULL)
		closedir(d);
	qsort(names, count, sizeof names[0], compare_names);
	struct demo_picture pictures[DEMO_PICTURES] = { 0 };
	for (size_t i = 0; st == STATUS_OK && i < count; i++) {
		char path[900];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		st = load_article(c, a, unit_id, path, (unsigned)i, pictures, &actor, now);
	}
	arena_free(a);
	return st;
}
