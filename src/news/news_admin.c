/* news_admin.c: the editors' pages: article list, editor, preview, publishing, revisions, photos, categories */
#include "news/news_pages.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "base/num.h"
#include "http/request.h"
#include "news/news.h"
#include "text/text.h"
#include "upload/upload.h"
#include "worktime/clock.h"

#include <string.h>

enum {
	ADMIN_PAGE_SIZE = 30,
	PHOTO_PAGE_WIDTH = 960,   /* the photo on the article page */
	PHOTO_PAGE_HEIGHT = 1280,
	PHOTO_THUMB_WIDTH = 360,  /* lists and the home page */
	PHOTO_THUMB_HEIGHT = 240,
};

static struct audit_actor actor_of(const struct request *r)
{
	return (struct audit_actor){ .user_id = r->user->id, .name = r->user->username };
}

/* The {n}-th path parameter as a positive id, or 0. */
static int64_t path_id(const struct request *r, int n)
{
	int64_t id;
	return num_parse_int64(r->path_params[n], 1, INT64_MAX, &id) ? id : 0;
}

static const char *input_time(struct request *r, int64_t t)
{
	if (t == 0)
		return "";
	char text[24];
	clock_format_input(t, text, sizeof text);
	return arena_strdup(r->arena, text);
}

/* The editor's fields as an article holds them now. */
static struct news_input input_of(const struct news_article *art)
{
	return (struct news_input){
		.title = art->title, .author = art->author, .body = art->body,
		.category_id = art->category_id, .published_at = art->published_at,
		.unpublish_at = art->unpublish_at,
	};
}

/* After a change, back to the article's editor (303, so a reload does not repeat it). */
static enum status back_to_editor(struct request *r, int64_t id)
{
	request_redirect(r, 303, arena_printf(r->arena, "/quan-tri/bai-viet/%lld", (long long)id));
	return STATUS_OK;
}

/* Reads the editor's form into *in. NULL when it parses, else a Vietnamese message. */
static const char *read_form(struct request *r, struct news_input *in)
{
	*in = (struct news_input){
		.title = request_form(r, "title"),
		.author = request_form(r, "author"),
		.body = request_form(r, "body"),
		.published_at = r->now,
	};
	const char *category = request_form(r, "category_id");
	if (category == NULL || !num_parse_int64(category, 1, INT64_MAX, &in->category_id))
		in->category_id = 0;
	const char *published = request_form(r, "published_at");
	if (published != NULL && *published != '\0' &&
	    !clock_parse_local_datetime(published, &in->published_at))
		return "Ngày đăng không hợp lệ (dạng ngày/tháng/năm giờ:phút).";
	const char *unpublish = request_form(r, "unpublish_at");
	if (unpublish != NULL && *unpublish != '\0' &&
	    !clock_parse_local_datetime(unpublish, &in->unpublish_at))
		return "Ngày gỡ bài không hợp lệ.";
	return news_input_check(r->arena, in);
}

static enum status category_options(struct request *r, int64_t selected, json_t **out)
{
	struct news_category *cats;
	size_t n;
	enum status st = news_category_list(r->db, r->arena, r->unit_id, &cats, &n);
	if (st)
		return st;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)cats[i].id,
						     "name", cats[i].name, "selected",
						     cats[i].id == selected));
	*out = arr;
	return STATUS_OK;
}

/* Shows the editor with the given values; art is NULL for a new article. */
static enum status show_editor(struct request *r, const struct news_article *art,
			       const struct news_input *in, const char *error)
{
	json_t *options;
	enum status st = category_options(r, in->category_id, &options);
	if (st)
		return st;
	json_t *model = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s}, s:o, s:s?}",
		"page_title", art != NULL ? "Sửa bài viết" : "Viết bài mới",
		"form", "title", in->title ? in->title : "", "author", in->author ? in->author : "",
		"body", in->body ? in->body : "", "published_at", input_time(r, in->published_at),
		"unpublish_at", input_time(r, in->unpublish_at),
		"categories", options, "error", error);
	if (art != NULL) {
		struct news_photo *photos;
		size_t n;
		st = news_article_photos(r->db, r->arena, r->unit_id, art->id, &photos, &n);
		if (st) {
			json_decref(model);
			return st;
		}
		json_t *plist = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(plist, json_pack("{s:I, s:s, s:s}", "id",
				(json_int_t)photos[i].id, "thumb_url",
				arena_printf(r->arena, "/tep/%s", photos[i].thumb_hash),
				"caption", photos[i].caption));
		bool is_public = news_is_public(art, r->now);
		json_object_set_new(model, "article", json_pack("{s:I, s:s, s:b, s:b, s:b, s:I, s:s, s:o}",
			"id", (json_int_t)art->id, "status", art->status,
			"is_published", strcmp(art->status, "published") == 0,
			"is_public", is_public,
			"is_scheduled", strcmp(art->status, "published") == 0 && art->published_at > r->now,
			"revision", (json_int_t)art->revision,
			"url", arena_printf(r->arena, "/bai-viet/%lld-%s", (long long)art->id, art->slug),
			"photos", plist));
	}
	if (error != NULL)
		r->status = 422;
	request_view(r, "admin/article_edit", model);
	return STATUS_OK;
}

enum status news_admin_list(struct request *r)
{
	int64_t page = 1;
	const char *text = request_query(r, "trang");
	if (text != NULL && !num_parse_int64(text, 1, NEWS_MAX_PAGE, &page))
		return STATUS_INVALID;
	struct news_article *list;
	size_t n;
	int64_t total;
	enum status st = news_list_all(r->db, r->arena, r->unit_id, ADMIN_PAGE_SIZE,
				       (page - 1) * ADMIN_PAGE_SIZE, &list, &n, &total);
	if (st)
		return st;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		char when[32];
		clock_format_vi_short(list[i].published_at, when, sizeof when);
		const char *state = strcmp(list[i].status, "draft") == 0 ? "Bản nháp"
				    : list[i].published_at > r->now        ? "Hẹn giờ đăng"
				    : news_is_public(&list[i], r->now)     ? "Đã đăng"
									   : "Đã gỡ";
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}",
			"id", (json_int_t)list[i].id, "title", list[i].title,
			"category", list[i].category_name, "state", state, "date", when,
			"views", (json_int_t)(list[i].views + news_views_pending(list[i].id))));
	}
	int64_t pages = (total + ADMIN_PAGE_SIZE - 1) / ADMIN_PAGE_SIZE;
	json_t *model = json_pack("{s:s, s:o, s:I, s:I, s:I}", "page_title", "Bài viết",
				  "articles", rows, "total", (json_int_t)total, "page", (json_int_t)page,
				  "pages", (json_int_t)(pages ? pages : 1));
	if (page > 1)
		json_object_set_new(model, "prev_url", json_string(arena_printf(r->arena,
			"/quan-tri/bai-viet?trang=%lld", (long long)page - 1)));
	if (page < pages)
		json_object_set_new(model, "next_url", json_string(arena_printf(r->arena,
			"/quan-tri/bai-viet?trang=%lld", (long long)page + 1)));
	request_view(r, "admin/articles", model);
	return STATUS_OK;
}

enum status news_admin_new(struct request *r)
{
	struct news_input in = { .author = r->user->display_name, .published_at = r->now };
	return show_editor(r, NULL, &in, NULL);
}

enum status news_admin_create(struct request *r)
{
	struct news_input in;
	const char *error = read_form(r, &in);
	if (error != NULL)
		return show_editor(r, NULL, &in, error);
	const char *action = request_form(r, "action");
	bool publish = action != NULL && strcmp(action, "publish") == 0;
	struct audit_actor actor = actor_of(r);
	int64_t id;
	enum status st = news_article_create(r->db, r->arena, r->unit_id, &in, publish, &actor,
					     r->now, &id);
	if (st == STATUS_INVALID)
		return show_editor(r, NULL, &in, "Chuyên mục không tồn tại.");
	if (st)
		return st;
	return back_to_editor(r, id);
}

enum status news_admin_edit(struct request *r)
{
	struct news_article art;
	enum status st = news_article_get(r->db, r->arena, r->unit_id, path_id(r, 0), false, r->now,
					  &art);
	if (st)
		return st;
	struct news_input in = input_of(&art);
	return show_editor(r, &art, &in, NULL);
}

enum status news_admin_save(struct request *r)
{
	struct news_article art;
	int64_t id = path_id(r, 0);
	enum status st = news_article_get(r->db, r->arena, r->unit_id, id, false, r->now, &art);
	if (st)
		return st;
	struct news_input in;
	const char *error = read_form(r, &in);
	if (error != NULL)
		return show_editor(r, &art, &in, error);
	const char *action = request_form(r, "action");
	int publish = action == NULL ? 0 : strcmp(action, "publish") == 0 ? 1
				       : strcmp(action, "unpublish") == 0 ? -1 : 0;
	struct audit_actor actor = actor_of(r);
	st = news_article_update(r->db, r->arena, r->unit_id, id, &in, publish, &actor, r->now);
	if (st == STATUS_INVALID)
		return show_editor(r, &art, &in, "Chuyên mục không tồn tại.");
	if (st)
		return st;
	return back_to_editor(r, id);
}

enum status news_admin_preview(struct request *r)
{
	struct news_article art;
	int64_t id = path_id(r, 0);
	enum status st = news_article_get(r->db, r->arena, r->unit_id, id, false, r->now, &art);
	if (st)
		return st;
	struct news_input in;
	const char *error = read_form(r, &in);
	if (error != NULL)
		return show_editor(r, &art, &in, error);
	struct news_category cat = { .name = art.category_name, .slug = art.category_slug };
	struct news_category *cats;
	size_t n;
	st = news_category_list(r->db, r->arena, r->unit_id, &cats, &n);
	if (st)
		return st;
	for (size_t i = 0; i < n; i++)
		if (cats[i].id == in.category_id)
			cat = cats[i];
	art.title = in.title;
	art.author = in.author;
	art.body = in.body;
	art.published_at = in.published_at;
	art.category_name = cat.name;
	art.category_slug = cat.slug;
	json_t *model;
	st = news_article_model(r, &art, art.views, &model);
	if (st)
		return st;
	json_object_set_new(model, "preview", json_true());
	request_view(r, "news/article", model);
	return STATUS_OK;
}

static enum status set_status(struct request *r, bool publish)
{
	int64_t id = path_id(r, 0), published_at = 0;
	const char *when = request_form(r, "published_at");
	if (publish && when != NULL && *when != '\0' &&
	    !clock_parse_local_datetime(when, &published_at))
		return STATUS_INVALID;
	struct audit_actor actor = actor_of(r);
	enum status st = news_article_set_status(r->db, r->arena, r->unit_id, id, publish,
						 published_at, &actor, r->now);
	if (st)
		return st;
	return back_to_editor(r, id);
}

enum status news_admin_publish(struct request *r)
{
	return set_status(r, true);
}

enum status news_admin_unpublish(struct request *r)
{
	return set_status(r, false);
}

enum status news_admin_revisions(struct request *r)
{
	struct news_article art;
	int64_t id = path_id(r, 0);
	enum status st = news_article_get(r->db, r->arena, r->unit_id, id, false, r->now, &art);
	if (st)
		return st;
	struct news_revision *revs;
	size_t n;
	st = news_revision_list(r->db, r->arena, r->unit_id, id, &revs, &n);
	if (st)
		return st;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		char when[32];
		clock_format_vi_short(revs[i].saved_at, when, sizeof when);
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:b, s:s}",
			"revision", (json_int_t)revs[i].revision, "title", revs[i].title,
			"saved_at", when, "saved_by", revs[i].saved_by,
			"is_current", revs[i].revision == art.revision,
			"url", arena_printf(r->arena, "/quan-tri/bai-viet/%lld/phien-ban/%lld",
					    (long long)id, (long long)revs[i].revision)));
	}
	request_view(r, "admin/revisions", json_pack("{s:s, s:{s:I, s:s}, s:o}",
		"page_title", "Các phiên bản", "article", "id", (json_int_t)id, "title", art.title,
		"revisions", rows));
	return STATUS_OK;
}

enum status news_admin_revision(struct request *r)
{
	int64_t id = path_id(r, 0), rev = path_id(r, 1);
	struct news_revision v;
	enum status st = news_revision_get(r->db, r->arena, r->unit_id, id, rev, &v);
	if (st)
		return st;
	char when[32];
	clock_format_vi_short(v.saved_at, when, sizeof when);
	request_view(r, "admin/revision", json_pack("{s:s, s:{s:I, s:I, s:s, s:s, s:s, s:s, s:s}}",
		"page_title", "Phiên bản cũ", "revision", "article_id", (json_int_t)id,
		"revision", (json_int_t)v.revision, "title", v.title, "author", v.author,
		"body", v.body, "saved_at", when, "saved_by", v.saved_by));
	return STATUS_OK;
}

enum status news_admin_restore(struct request *r)
{
	int64_t id = path_id(r, 0), rev = path_id(r, 1);
	struct news_revision v;
	enum status st = news_revision_get(r->db, r->arena, r->unit_id, id, rev, &v);
	if (st)
		return st;
	struct news_input in = {
		.title = v.title, .author = v.author, .body = v.body, .category_id = v.category_id,
		.published_at = v.published_at, .unpublish_at = v.unpublish_at,
	};
	struct audit_actor actor = actor_of(r);
	st = news_article_update(r->db, r->arena, r->unit_id, id, &in, 0, &actor, r->now);
	if (st)
		return st;
	return back_to_editor(r, id);
}

/* Re-shows the editor of article id with a message about the photo. */
static enum status photo_refused(struct request *r, int64_t id, int status, const char *error)
{
	struct news_article art;
	enum status st = news_article_get(r->db, r->arena, r->unit_id, id, false, r->now, &art);
	if (st)
		return st;
	struct news_input in = input_of(&art);
	st = show_editor(r, &art, &in, error);
	r->status = status;
	return st;
}

/* Saves one size of the uploaded picture; the hash names the stored file. */
static enum status save_variant(struct request *r, const struct http_file *f, int w, int h,
				char hash[65], int *width, int *height)
{
	struct upload_image img = { 0 };
	enum status st = upload_image_variant(f->data.data, f->data.len, w, h, &img);
	if (st == STATUS_OK)
		st = upload_save(r->db, r->unit_id, &img, hash);
	*width = img.width;
	*height = img.height;
	upload_image_release(&img);
	return st;
}

enum status news_admin_photo_add(struct request *r)
{
	int64_t id = path_id(r, 0);
	const struct http_file *f = request_file(r, "file");
	if (f == NULL || f->data.len == 0)
		return photo_refused(r, id, 422, "Vui lòng chọn một tệp ảnh.");
	const char *caption = text_clean(r->arena, request_form(r, "caption"), NEWS_CAPTION_MAX,
					 false);
	if (caption == NULL)
		return photo_refused(r, id, 422, "Chú thích ảnh không hợp lệ hoặc quá dài.");
	const char *mime;
	enum status st = upload_sniff_image(f->data.data, f->data.len, &mime);
	if (st == STATUS_TOO_LARGE)
		return photo_refused(r, id, 413, "Ảnh quá lớn (tối đa 10 MB, 40 megapixel).");
	if (st == STATUS_INVALID)
		return photo_refused(r, id, 415,
				     "Tệp không phải là ảnh JPEG, PNG, GIF hoặc WebP hợp lệ.");
	if (st)
		return st;
	char large[65], thumb[65];
	int width, height, tw, th;
	st = save_variant(r, f, PHOTO_PAGE_WIDTH, PHOTO_PAGE_HEIGHT, large, &width, &height);
	if (st == STATUS_OK)
		st = save_variant(r, f, PHOTO_THUMB_WIDTH, PHOTO_THUMB_HEIGHT, thumb, &tw, &th);
	if (st == STATUS_INVALID)
		return photo_refused(r, id, 415, "Không đọc được ảnh này.");
	if (st)
		return st;
	struct audit_actor actor = actor_of(r);
	st = news_photo_add(r->db, r->unit_id, id, large, thumb, width, height, caption, &actor,
			    r->now);
	if (st)
		return st;
	return back_to_editor(r, id);
}

enum status news_admin_photo_delete(struct request *r)
{
	int64_t id = path_id(r, 0);
	struct audit_actor actor = actor_of(r);
	enum status st = news_photo_delete(r->db, r->unit_id, id, path_id(r, 1), &actor, r->now);
	if (st)
		return st;
	return back_to_editor(r, id);
}

static enum status show_categories(struct request *r, const char *error)
{
	struct news_category *cats;
	size_t n;
	enum status st = news_category_list(r->db, r->arena, r->unit_id, &cats, &n);
	if (st)
		return st;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)cats[i].id,
						      "name", cats[i].name, "slug", cats[i].slug));
	if (error != NULL)
		r->status = 422;
	request_view(r, "admin/categories", json_pack("{s:s, s:o, s:s?}", "page_title",
						      "Chuyên mục", "categories", rows, "error",
						      error));
	return STATUS_OK;
}

enum status news_admin_categories(struct request *r)
{
	return show_categories(r, NULL);
}

enum status news_admin_category_save(struct request *r)
{
	const char *name = request_form(r, "name");
	int64_t id = r->path_params[0] != NULL ? path_id(r, 0) : 0;
	if (r->path_params[0] != NULL && id == 0)
		return STATUS_NOT_FOUND;
	const char *clean = name != NULL && strchr(name, '\n') == NULL ?
		text_clean(r->arena, name, NEWS_CATEGORY_MAX, false) : NULL;
	if (clean == NULL || *clean == '\0')
		return show_categories(r, "Tên chuyên mục không hợp lệ (1 đến 120 ký tự, một dòng).");
	struct audit_actor actor = actor_of(r);
	enum status st = news_category_save(r->db, r->arena, r->unit_id, id, clean, &actor, r->now,
					    NULL);
	if (st == STATUS_CONFLICT)
		return show_categories(r, "Đã có chuyên mục trùng tên.");
	if (st == STATUS_INVALID)
		return show_categories(r, "Tên chuyên mục phải có chữ hoặc số.");
	if (st)
		return st;
	request_redirect(r, 303, "/quan-tri/chuyen-muc");
	return STATUS_OK;
}
