/* news_pages.h: the public news pages and the editors' pages (handlers for the route table) */
#ifndef NEWS_NEWS_PAGES_H
#define NEWS_NEWS_PAGES_H

#include "base/status.h"

#include <jansson.h>
#include <stdint.h>

struct db_conn;
struct news_article;
struct request;

/* public (news_pages.c) */
enum status news_page_home(struct request *r);
enum status news_page_category(struct request *r);        /* {slug} */
enum status news_page_article(struct request *r);         /* {id-slug} */
enum status news_page_print(struct request *r);           /* {id} */
enum status news_page_archive_pick(struct request *r);    /* ?ngay= */
enum status news_page_archive(struct request *r);         /* {YYYY-MM-DD | YYYY-MM} */
enum status news_page_search(struct request *r);          /* ?q= */
enum status news_page_feed_rss(struct request *r);
enum status news_page_feed_atom(struct request *r);
enum status news_page_category_rss(struct request *r);    /* {slug} */
enum status news_page_category_atom(struct request *r);   /* {slug} */
enum status news_page_sitemap(struct request *r);
enum status news_page_file(struct request *r);            /* {hash} */

/* back office (news_admin.c) */
enum status news_admin_list(struct request *r);
enum status news_admin_new(struct request *r);
enum status news_admin_create(struct request *r);
enum status news_admin_edit(struct request *r);           /* {id} */
enum status news_admin_save(struct request *r);           /* {id} */
enum status news_admin_preview(struct request *r);        /* {id} */
enum status news_admin_publish(struct request *r);        /* {id} */
enum status news_admin_unpublish(struct request *r);      /* {id} */
enum status news_admin_revisions(struct request *r);      /* {id} */
enum status news_admin_revision(struct request *r);       /* {id} {rev} */
enum status news_admin_restore(struct request *r);        /* {id} {rev} */
enum status news_admin_photo_add(struct request *r);      /* {id} */
enum status news_admin_photo_delete(struct request *r);   /* {id} {photo} */
enum status news_admin_categories(struct request *r);
enum status news_admin_category_save(struct request *r);  /* new, or {id} */

/* The full view model of an article (page, print version, editor's preview). */
enum status news_article_model(struct request *r, const struct news_article *art,
			       int64_t views_shown, json_t **out);

/* The categories for the site's menu, as a JSON array of {name, url}. */
enum status news_nav(struct request *r, json_t **out);

/* Loads the demo content (categories, the sample article, more articles, photos)
 * into an empty unit from the Markdown files of dir. */
enum status news_demo_load(struct db_conn *c, int64_t unit_id, const char *dir, int64_t now);

#endif
