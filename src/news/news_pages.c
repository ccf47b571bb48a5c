/* news_pages.c: the public news pages: home, category, article, print, archive, search, feeds */
#include "news/news_pages.h"

#include "base/arena.h"
#include "base/num.h"
#include "base/utf8.h"
#include "html/html.h"
#include "http/request.h"
#include "news/news.h"
#include "text/text.h"
#include "upload/upload.h"
#include "worktime/clock.h"

#include <stdlib.h>
#include <string.h>

enum {
	HOME_LATEST = 7,        /* newest articles on the home page */
	HOME_PER_CATEGORY = 4,  /* articles in each category block */
	LEAD_CHARS = 220,       /* code points of a lead under a title */
	SNIPPET_CHARS = 240,
	SEARCH_QUERY_MAX = 200, /* code points a reader may type */
	FEED_ITEMS = 20,
	SITEMAP_MAX = 50000,
};

/* ---- view model pieces ---- */

static const char *article_url(struct request *r, const struct news_article *art)
{
	return arena_printf(r->arena, "/bai-viet/%lld-%s", (long long)art->id, art->slug);
}

static const char *category_url(struct request *r, const char *slug)
{
	return arena_printf(r->arena, "/chuyen-muc/%s", slug);
}

static const char *file_url(struct request *r, const char *hash)
{
	return hash != NULL ? arena_printf(r->arena, "/tep/%s", hash) : NULL;
}

/* The first max code points of the plain text of Markdown, cut at a word, with "…". */
static const char *plain_lead(struct request *r, const char *markdown, size_t max)
{
	char *plain = html_markdown_plain(markdown, strlen(markdown));
	if (plain == NULL)
		return "";
	for (char *p = plain; *p; p++)
		if (*p == '\n')
			*p = ' ';
	size_t n = strlen(plain);
	size_t cut = utf8_prefix(plain, n, max);
	const char *out;
	if (cut < n) {
		size_t space = cut;
		while (space > 0 && plain[space] != ' ')
			space--;
		out = arena_printf(r->arena, "%.*s…", (int)(space > 0 ? space : cut), plain);
	} else {
		out = arena_strdup(r->arena, plain);
	}
	free(plain);
	return out != NULL ? out : "";
}

static void add_dates(json_t *obj, int64_t t)
{
	char line[64], iso[40], brief[32];
	clock_format_vi_line(t, line, sizeof line);
	clock_format_rfc3339(t, iso, sizeof iso);
	clock_format_vi_short(t, brief, sizeof brief);
	json_object_set_new(obj, "date_line", json_string(line));
	json_object_set_new(obj, "date_iso", json_string(iso));
	json_object_set_new(obj, "date_short", json_string(brief));
}

static json_t *article_summary(struct request *r, const struct news_article *art)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:{s:s, s:s}}", "id", (json_int_t)art->id,
			      "url", article_url(r, art), "title", art->title, "author", art->author,
			      "category", "name", art->category_name, "url",
			      category_url(r, art->category_slug));
	add_dates(o, art->published_at);
	json_object_set_new(o, "lead", json_string(plain_lead(r, art->body, LEAD_CHARS)));
	if (art->thumb_hash != NULL)
		json_object_set_new(o, "thumb_url", json_string(file_url(r, art->thumb_hash)));
	return o;
}

static json_t *article_list(struct request *r, const struct news_article *list, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, article_summary(r, &list[i]));
	return arr;
}

/* The "trang" query parameter: 1 when absent, STATUS_INVALID when not a page number. */
static enum status page_number(struct request *r, int64_t *page)
{
	const char *text = request_query(r, "trang");
	*page = 1;
	if (text == NULL)
		return STATUS_OK;
	return num_parse_int64(text, 1, NEWS_MAX_PAGE, page) ? STATUS_OK : STATUS_INVALID;
}

/* Links to the previous and next pages; base already holds any other query. */
static json_t *pager(struct request *r, const char *base, int64_t page, int64_t total)
{
	int64_t pages = (total + NEWS_PAGE_SIZE - 1) / NEWS_PAGE_SIZE;
	const char *sep = strchr(base, '?') != NULL ? "&" : "?";
	json_t *p = json_pack("{s:I, s:I, s:b}", "page", (json_int_t)page, "pages",
			      (json_int_t)(pages > 0 ? pages : 1), "has_pages", pages > 1);
	if (page > 1)
		json_object_set_new(p, "prev_url",
				    json_string(page == 2 ? base
							  : arena_printf(r->arena, "%s%strang=%lld",
									 base, sep, (long long)page - 1)));
	if (page < pages)
		json_object_set_new(p, "next_url", json_string(arena_printf(r->arena,
			"%s%strang=%lld", base, sep, (long long)page + 1)));
	return p;
}

/* ---- home and categories ---- */

enum status news_nav(struct request *r, json_t **out)
{
	struct news_category *cats;
	size_t n;
	enum status st = news_category_list(r->db, r->arena, r->unit_id, &cats, &n);
	if (st)
		return st;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "name", cats[i].name, "slug",
						     cats[i].slug, "url",
						     category_url(r, cats[i].slug)));
	*out = arr;
	return STATUS_OK;
}

enum status news_page_home(struct request *r)
{
	struct news_article *list;
	size_t n;
	int64_t total;
	struct news_filter all = { 0 };
	enum status st = news_list_public(r->db, r->arena, r->unit_id, r->now, &all, HOME_LATEST, 0,
					  &list, &n, &total);
	if (st)
		return st;
	json_t *model = json_pack("{s:s, s:o}", "page_title", "Trang chủ", "latest",
				  article_list(r, list, n));
	if (n > 0)
		json_object_set(model, "featured", json_array_get(json_object_get(model, "latest"), 0));
	struct news_category *cats;
	size_t ncats;
	st = news_category_list(r->db, r->arena, r->unit_id, &cats, &ncats);
	if (st)
		goto fail;
	json_t *blocks = json_array();
	json_object_set_new(model, "categories", blocks);
	for (size_t i = 0; i < ncats; i++) {
		struct news_filter f = { .category_id = cats[i].id };
		st = news_list_public(r->db, r->arena, r->unit_id, r->now, &f, HOME_PER_CATEGORY, 0,
				      &list, &n, &total);
		if (st)
			goto fail;
		if (n == 0)
			continue;
		json_array_append_new(blocks, json_pack("{s:s, s:s, s:I, s:o}", "name", cats[i].name,
			"url", category_url(r, cats[i].slug), "total", (json_int_t)total,
			"articles", article_list(r, list, n)));
	}
	request_view(r, "news/home", model);
	return STATUS_OK;
fail:
	json_decref(model);
	return st;
}

enum status news_page_category(struct request *r)
{
	struct news_category cat;
	enum status st = news_category_find(r->db, r->arena, r->unit_id, r->path_params[0], &cat);
	if (st)
		return st;
	int64_t page;
	st = page_number(r, &page);
	if (st)
		return st;
	struct news_article *list;
	size_t n;
	int64_t total;
	struct news_filter f = { .category_id = cat.id };
	st = news_list_public(r->db, r->arena, r->unit_id, r->now, &f, NEWS_PAGE_SIZE,
			      (page - 1) * NEWS_PAGE_SIZE, &list, &n, &total);
	if (st)
		return st;
	if (page > 1 && n == 0)
		return STATUS_NOT_FOUND;
	const char *url = category_url(r, cat.slug);
	json_t *model = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:I}, s:o, s:o}",
		"page_title", cat.name,
		"category", "name", cat.name, "url", url,
		"rss_url", arena_printf(r->arena, "%s/rss.xml", url),
		"atom_url", arena_printf(r->arena, "%s/atom.xml", url), "total", (json_int_t)total,
		"articles", article_list(r, list, n), "pager", pager(r, url, page, total));
	request_view(r, "news/category", model);
	return STATUS_OK;
}

/* ---- one article ---- */

/* The article of "{id}" or "{id}-{slug}"; *slug_matches tells whether the slug part is
 * the article's own (else the page redirects to its canonical address). */
static enum status find_article(struct request *r, struct news_article *art, bool *slug_matches)
{
	const char *param = r->path_params[0];
	const char *dash = strchr(param, '-');
	size_t id_len = dash != NULL ? (size_t)(dash - param) : strlen(param);
	char id_text[21];
	if (id_len == 0 || id_len >= sizeof id_text)
		return STATUS_NOT_FOUND;
	memcpy(id_text, param, id_len);
	id_text[id_len] = '\0';
	int64_t id;
	if (!num_parse_int64(id_text, 1, INT64_MAX, &id))
		return STATUS_NOT_FOUND;
	enum status st = news_article_get(r->db, r->arena, r->unit_id, id, true, r->now, art);
	if (st)
		return st;
	*slug_matches = dash != NULL && strcmp(dash + 1, art->slug) == 0;
	return STATUS_OK;
}

static json_t *photo_list(struct request *r, const struct news_photo *photos, size_t n,
			  const char *title)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *alt = *photos[i].caption ? photos[i].caption : title;
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I}",
			"id", (json_int_t)photos[i].id, "url", file_url(r, photos[i].large_hash),
			"thumb_url", file_url(r, photos[i].thumb_hash), "caption", photos[i].caption,
			"alt", alt, "width", (json_int_t)photos[i].width,
			"height", (json_int_t)photos[i].height));
	}
	return arr;
}

/* The full view model of an article, shared by the page, the print version and the
 * editor's preview. */
enum status news_article_model(struct request *r, const struct news_article *art,
				 int64_t views_shown, json_t **out)
{
	struct news_photo *photos;
	size_t nphotos;
	enum status st = news_article_photos(r->db, r->arena, r->unit_id, art->id, &photos,
					     &nphotos);
	if (st)
		return st;
	json_t *body = html_markdown(art->body, strlen(art->body));
	if (body == NULL)
		return STATUS_INTERNAL;
	json_t *o = article_summary(r, art);
	json_object_set_new(o, "body", body);
	json_object_set_new(o, "views", json_integer(views_shown));
	json_object_set_new(o, "photos", photo_list(r, photos, nphotos, art->title));
	json_object_set_new(o, "print_url",
			    json_string(arena_printf(r->arena, "/bai-viet/%lld/ban-in",
						     (long long)art->id)));
	struct clock_local day = clock_to_local(art->published_at);
	json_object_set_new(o, "day", json_string(arena_printf(r->arena, "%04d-%02d-%02d",
							       day.year, day.month, day.day)));
	json_t *model = json_pack("{s:s, s:o, s:s}", "page_title", art->title, "article", o,
				  "back_url", category_url(r, art->category_slug));
	json_object_set_new(model, "og", json_pack("{s:s, s:s, s:s, s:s}", "type", "article",
		"title", art->title, "description", json_string_value(json_object_get(o, "lead")),
		"url", json_string_value(json_object_get(o, "url"))));
	if (nphotos > 0)
		json_object_set_new(json_object_get(model, "og"), "image",
				    json_string(file_url(r, photos[0].large_hash)));
	*out = model;
	return STATUS_OK;
}

enum status news_page_article(struct request *r)
{
	struct news_article art;
	bool slug_matches;
	enum status st = find_article(r, &art, &slug_matches);
	if (st)
		return st;
	if (!slug_matches) {
		const char *url = article_url(r, &art);
		request_redirect(r, 301, r->want_json ? arena_printf(r->arena, "%s.json", url) : url);
		return STATUS_OK;
	}
	/* The page shows the count before this visit, as the ward's old site did. */
	int64_t views_before = art.views + news_views_pending(art.id);
	news_views_add(art.id);
	json_t *model;
	st = news_article_model(r, &art, views_before, &model);
	if (st)
		return st;
	request_view(r, "news/article", model);
	return STATUS_OK;
}

enum status news_page_print(struct request *r)
{
	struct news_article art;
	bool slug_matches;
	enum status st = find_article(r, &art, &slug_matches);
	if (st)
		return st;
	json_t *model;
	st = news_article_model(r, &art, art.views + news_views_pending(art.id), &model);
	if (st)
		return st;
	request_view(r, "news/print", model);
	return STATUS_OK;
}

/* ---- archive ---- */

enum status news_page_archive_pick(struct request *r)
{
	int y, m, d;
	const char *day = request_query(r, "ngay");
	if (!clock_parse_date(day, &y, &m, &d))
		return STATUS_INVALID;
	request_redirect(r, 303, arena_printf(r->arena, "/luu-tru/%04d-%02d-%02d", y, m, d));
	return STATUS_OK;
}

enum status news_page_archive(struct request *r)
{
	const char *when = r->path_params[0];
	int y, m, d = 0;
	struct news_filter f = { 0 };
	const char *title, *base = arena_printf(r->arena, "/luu-tru/%s", when);
	json_t *nav = json_object();
	if (clock_parse_date(when, &y, &m, &d)) {
		clock_from_local(y, m, d, 0, 0, &f.from);
		f.to = f.from + 86400;
		title = arena_printf(r->arena, "Tin ngày %02d/%02d/%04d", d, m, y);
		struct clock_local prev = clock_to_local(f.from - 86400), next = clock_to_local(f.to);
		json_object_set_new(nav, "prev_url", json_string(arena_printf(r->arena,
			"/luu-tru/%04d-%02d-%02d", prev.year, prev.month, prev.day)));
		json_object_set_new(nav, "next_url", json_string(arena_printf(r->arena,
			"/luu-tru/%04d-%02d-%02d", next.year, next.month, next.day)));
		json_object_set_new(nav, "month_url", json_string(arena_printf(r->arena,
			"/luu-tru/%04d-%02d", y, m)));
	} else if (clock_parse_month(when, &y, &m)) {
		clock_from_local(y, m, 1, 0, 0, &f.from);
		f.to = f.from + (int64_t)clock_days_in_month(y, m) * 86400;
		title = arena_printf(r->arena, "Tin tháng %02d/%04d", m, y);
		int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
		int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
		json_object_set_new(nav, "prev_url", json_string(arena_printf(r->arena,
			"/luu-tru/%04d-%02d", py, pm)));
		json_object_set_new(nav, "next_url", json_string(arena_printf(r->arena,
			"/luu-tru/%04d-%02d", ny, nm)));
	} else {
		json_decref(nav);
		return STATUS_INVALID;
	}
	int64_t page;
	enum status st = page_number(r, &page);
	if (st) {
		json_decref(nav);
		return st;
	}
	struct news_article *list;
	size_t n;
	int64_t total;
	st = news_list_public(r->db, r->arena, r->unit_id, r->now, &f, NEWS_PAGE_SIZE,
			      (page - 1) * NEWS_PAGE_SIZE, &list, &n, &total);
	if (st) {
		json_decref(nav);
		return st;
	}
	json_t *model = json_pack("{s:s, s:{s:s, s:s, s:I, s:o}, s:o, s:o}", "page_title", title,
		"archive", "title", title, "date", d ? when : arena_printf(r->arena, "%s-01", when),
		"total", (json_int_t)total, "nav", nav,
		"articles", article_list(r, list, n), "pager", pager(r, base, page, total));
	request_view(r, "news/archive", model);
	return STATUS_OK;
}

/* ---- search ---- */

static json_t *span_list(const struct text_span *spans, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:b}", "text", spans[i].text, "match",
						     spans[i].is_match));
	return arr;
}

enum status news_page_search(struct request *r)
{
	const char *typed = request_query(r, "q");
	json_t *model = json_pack("{s:s, s:s}", "page_title", "Tìm kiếm", "q",
				  typed != NULL ? typed : "");
	if (typed == NULL || *typed == '\0') {
		request_view(r, "news/search", model);
		return STATUS_OK;
	}
	if (utf8_length(typed, strlen(typed)) > SEARCH_QUERY_MAX) {
		json_decref(model);
		return STATUS_INVALID;
	}
	int64_t page;
	enum status st = page_number(r, &page);
	if (st)
		goto fail;
	const char *folded = NULL;
	const char *query = news_search_query(r->arena, typed, &folded);
	struct news_article *list = NULL;
	size_t n = 0;
	int64_t total = 0;
	if (query != NULL) {
		st = news_search(r->db, r->arena, r->unit_id, r->now, query, NEWS_PAGE_SIZE,
				 (page - 1) * NEWS_PAGE_SIZE, &list, &n, &total);
		if (st)
			goto fail;
	}
	json_t *results = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = article_summary(r, &list[i]);
		char *plain = html_markdown_plain(list[i].body, strlen(list[i].body));
		struct text_span *spans;
		size_t count = text_snippet(r->arena, plain != NULL ? plain : "", folded,
					    SNIPPET_CHARS, &spans);
		free(plain);
		json_object_set_new(o, "snippet", span_list(spans, count));
		count = text_snippet(r->arena, list[i].title, folded, NEWS_TITLE_MAX, &spans);
		json_object_set_new(o, "title_spans", span_list(spans, count));
		json_array_append_new(results, o);
	}
	const char *base = arena_printf(r->arena, "/tim-kiem?q=%s", http_url_encode(r->arena, typed));
	json_object_set_new(model, "searched", json_true());
	json_object_set_new(model, "total", json_integer(total));
	json_object_set_new(model, "results", results);
	json_object_set_new(model, "pager", pager(r, base, page, total));
	request_view(r, "news/search", model);
	return STATUS_OK;
fail:
	json_decref(model);
	return st;
}

/* ---- feeds, sitemap, files ---- */

static enum status feed(struct request *r, const char *slug, bool atom)
{
	struct news_filter f = { 0 };
	struct news_category cat = { .name = NULL };
	if (slug != NULL) {
		enum status st = news_category_find(r->db, r->arena, r->unit_id, slug, &cat);
		if (st)
			return st;
		f.category_id = cat.id;
	}
	struct news_article *list;
	size_t n;
	int64_t total;
	enum status st = news_list_public(r->db, r->arena, r->unit_id, r->now, &f, FEED_ITEMS, 0,
					  &list, &n, &total);
	if (st)
		return st;
	json_t *items = json_array();
	int64_t updated = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *o = article_summary(r, &list[i]);
		char rfc822[48];
		clock_format_rfc822(list[i].published_at, rfc822, sizeof rfc822);
		json_object_set_new(o, "date_rfc822", json_string(rfc822));
		json_array_append_new(items, o);
		if (list[i].published_at > updated)
			updated = list[i].published_at;
	}
	char updated_iso[40], updated_rfc822[48];
	clock_format_rfc3339(updated ? updated : r->now, updated_iso, sizeof updated_iso);
	clock_format_rfc822(updated ? updated : r->now, updated_rfc822, sizeof updated_rfc822);
	const char *self = slug != NULL ? arena_printf(r->arena, "/chuyen-muc/%s/%s", slug,
						       atom ? "atom.xml" : "rss.xml")
					: atom ? "/atom.xml" : "/rss.xml";
	json_t *model = json_pack("{s:s?, s:s, s:s, s:s, s:s, s:o}", "category", cat.name,
		"link", slug != NULL ? category_url(r, slug) : "/", "self", self,
		"updated_iso", updated_iso, "updated_rfc822", updated_rfc822, "items", items);
	request_view(r, atom ? "feeds/atom" : "feeds/rss", model);
	r->content_type = atom ? "application/atom+xml; charset=utf-8"
			       : "application/rss+xml; charset=utf-8";
	return STATUS_OK;
}

enum status news_page_feed_rss(struct request *r)
{
	return feed(r, NULL, false);
}

enum status news_page_feed_atom(struct request *r)
{
	return feed(r, NULL, true);
}

enum status news_page_category_rss(struct request *r)
{
	return feed(r, r->path_params[0], false);
}

enum status news_page_category_atom(struct request *r)
{
	return feed(r, r->path_params[0], true);
}

enum status news_page_sitemap(struct request *r)
{
	struct news_article *list;
	size_t n;
	int64_t total;
	struct news_filter all = { 0 };
	enum status st = news_list_public(r->db, r->arena, r->unit_id, r->now, &all, SITEMAP_MAX, 0,
					  &list, &n, &total);
	if (st)
		return st;
	json_t *urls = json_array();
	for (size_t i = 0; i < n; i++) {
		char iso[40];
		clock_format_rfc3339(list[i].updated_at, iso, sizeof iso);
		json_array_append_new(urls, json_pack("{s:s, s:s}", "loc", article_url(r, &list[i]),
						      "lastmod", iso));
	}
	json_t *cats;
	st = news_nav(r, &cats);
	if (st) {
		json_decref(urls);
		return st;
	}
	request_view(r, "feeds/sitemap", json_pack("{s:o, s:o}", "articles", urls, "categories",
						   cats));
	r->content_type = "application/xml; charset=utf-8";
	return STATUS_OK;
}

enum status news_page_file(struct request *r)
{
	const char *hash = r->path_params[0];
	if (!upload_hash_is_valid(hash))
		return STATUS_NOT_FOUND;
	const char *etag = arena_printf(r->arena, "\"%s\"", hash);
	const char *if_none = request_header(r, "If-None-Match");
	request_add_header(r, "Cache-Control", "public, max-age=31536000, immutable");
	request_add_header(r, "ETag", etag);
	if (if_none != NULL && strcmp(if_none, etag) == 0) {
		r->status = 304;
		r->has_raw_body = true;
		return STATUS_OK;
	}
	struct upload_file file;
	enum status st = upload_load(r->db, r->unit_id, hash, r->arena, &file);
	if (st)
		return st;
	r->content_type = file.mime;
	r->has_raw_body = true;
	buf_append(&r->body, file.bytes, file.len);
	return r->body.failed ? STATUS_TOO_LARGE : STATUS_OK;
}
