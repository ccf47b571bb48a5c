/* news.h: the ward's news: categories, articles, photos, revisions, search, view counts */
#ifndef NEWS_NEWS_H
#define NEWS_NEWS_H

#include "base/status.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct audit_actor;
struct db_conn;

/* Limits of what an editor may enter. */
enum {
	NEWS_TITLE_MAX = 300,        /* code points */
	NEWS_AUTHOR_MAX = 120,
	NEWS_CAPTION_MAX = 500,
	NEWS_CATEGORY_MAX = 120,
	NEWS_BODY_MAX = 200 * 1024,  /* bytes of Markdown */
	NEWS_SLUG_MAX = 80,
	NEWS_PAGE_SIZE = 10,
	NEWS_SEARCH_MAX_WORDS = 12,
	NEWS_MAX_PAGE = 10000,
	NEWS_YEAR_MIN = 1990,        /* the earliest publication date an editor may type */
	NEWS_SCHEDULE_MAX = 5 * 366 * 86400, /* and the latest, ahead of now (publish, take down) */
};

struct news_category {
	int64_t id;
	const char *slug, *name;
	int64_t position;
};

struct news_article {
	int64_t id, category_id;
	const char *slug, *title, *author, *body, *status; /* status "draft" | "published" */
	int64_t published_at, unpublish_at;                /* unpublish_at 0: never */
	int64_t views, revision, updated_at;
	const char *category_slug, *category_name;
	const char *thumb_hash;                            /* first photo's thumbnail, or NULL */
};

struct news_photo {
	int64_t id;
	const char *large_hash, *thumb_hash, *caption;
	int64_t width, height;
};

struct news_revision {
	int64_t revision, category_id, published_at, unpublish_at, saved_at;
	const char *title, *author, *body, *saved_by;
};

/* Which public articles a list shows. */
struct news_filter {
	int64_t category_id; /* 0: every category */
	int64_t from, to;    /* published_at in [from, to); 0: no bound */
};

/* An editor's input, checked and normalised by news_input_check. */
struct news_input {
	const char *title, *author, *body;
	int64_t category_id, published_at, unpublish_at;
};

/* ---- rules (news.c) ---- */

/* Checks and normalises (NFC, trimmed) an article's fields in place, with strings
 * moved into the arena. NULL when acceptable, else a Vietnamese message. */
const char *news_input_check(struct arena *a, struct news_input *in);
/* Whether the article is on the public site at time now. */
bool news_is_public(const struct news_article *art, int64_t now);
/* The search words for what a reader typed: folded, space-separated, at most
 * NEWS_SEARCH_MAX_WORDS, all required by news_search.
 * NULL when nothing searchable remains. In the arena; *folded_out is the folded text. */
const char *news_search_query(struct arena *a, const char *typed, const char **folded_out);

/* Views are counted in memory and written in batches, not one write per request. */
void news_views_add(int64_t article_id);
/* Views counted but not yet written, for the page that shows the count. */
int64_t news_views_pending(int64_t article_id);
/* Writes counted views to the database; call now and then and at shutdown. */
enum status news_views_flush(struct db_conn *c);

/* ---- storage (news_store.c) ---- */

enum status news_category_list(struct db_conn *c, struct arena *a, int64_t unit_id,
			       struct news_category **out, size_t *count);
enum status news_category_find(struct db_conn *c, struct arena *a, int64_t unit_id,
			       const char *slug, struct news_category *out);
enum status news_category_save(struct db_conn *c, struct arena *a, int64_t unit_id,
			       int64_t id, const char *name, const struct audit_actor *actor,
			       int64_t now, int64_t *id_out);

/* One article; with only_public, STATUS_NOT_FOUND unless it is public at now. */
enum status news_article_get(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t id,
			     bool only_public, int64_t now, struct news_article *out);
enum status news_article_photos(struct db_conn *c, struct arena *a, int64_t unit_id,
				int64_t article_id, struct news_photo **out, size_t *count);
/* Public articles, newest first, with the total that match. */
enum status news_list_public(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t now,
			     const struct news_filter *f, int64_t limit, int64_t offset,
			     struct news_article **out, size_t *count, int64_t *total);
/* Every article of the unit for the back office (drafts too), newest change first. */
enum status news_list_all(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t limit,
			  int64_t offset, struct news_article **out, size_t *count, int64_t *total);
/* A unit's news at a glance, for the province's side-by-side view. */
struct news_unit_figures {
	int64_t published;          /* articles on the public site now */
	int64_t published_30_days;  /* of which published in the last 30 days */
	int64_t last_published_at;  /* 0 when none */
};
enum status news_unit_figures(struct db_conn *c, int64_t unit_id, int64_t now,
			      struct news_unit_figures *out);

/* Public articles matching an FTS query (news_search_query), best first. */
enum status news_search(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t now,
			const char *fts_query, int64_t limit, int64_t offset,
			struct news_article **out, size_t *count, int64_t *total);

/* Creates an article (as a draft, or published when publish) with revision 1. */
enum status news_article_create(struct db_conn *c, struct arena *a, int64_t unit_id,
				const struct news_input *in, bool publish,
				const struct audit_actor *actor, int64_t now, int64_t *id_out);
/* Saves new content as a new revision; publish changes the status too when set
 * (1 publish, -1 unpublish, 0 keep). */
enum status news_article_update(struct db_conn *c, struct arena *a, int64_t unit_id, int64_t id,
				const struct news_input *in, int publish,
				const struct audit_actor *actor, int64_t now);
/* Publishes (at published_at; when 0, keeps a past date and brings a future one to
 * now) or takes down an article. */
enum status news_article_set_status(struct db_conn *c, struct arena *a, int64_t unit_id,
				    int64_t id, bool publish, int64_t published_at,
				    const struct audit_actor *actor, int64_t now);
enum status news_revision_list(struct db_conn *c, struct arena *a, int64_t unit_id,
			       int64_t article_id, struct news_revision **out, size_t *count);
enum status news_revision_get(struct db_conn *c, struct arena *a, int64_t unit_id,
			      int64_t article_id, int64_t revision, struct news_revision *out);
/* Adds a photo (files already saved) at the end of the article's photos. */
enum status news_photo_add(struct db_conn *c, int64_t unit_id, int64_t article_id,
			   const char *large_hash, const char *thumb_hash, int64_t width,
			   int64_t height, const char *caption, const struct audit_actor *actor,
			   int64_t now);
enum status news_photo_delete(struct db_conn *c, int64_t unit_id, int64_t article_id,
			      int64_t photo_id, const struct audit_actor *actor, int64_t now);
/* Adds delta views to an article (used by news_views_flush). */
enum status news_views_store(struct db_conn *c, int64_t article_id, int64_t delta);
/* Sets the stored view count (demo content). */
enum status news_views_set(struct db_conn *c, int64_t article_id, int64_t views);
/* Number of articles of the unit (any status). */
enum status news_article_count(struct db_conn *c, int64_t unit_id, int64_t *out);

#endif
