/* page_cache.h: rendered public pages kept in memory for visitors
 *
 * A page is kept with the content generation of its unit, a number in the database that
 * every successful staff write bumps (app_store.c). A kept page is served only while the
 * generation read at the request is still the same, so a write through any node is seen
 * on the next request to every node; and for PAGE_CACHE_TTL_S at most, so a scheduled
 * article appears on time within that. */
#ifndef APP_PAGE_CACHE_H
#define APP_PAGE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

enum {
	PAGE_CACHE_SLOTS = 1024,            /* pages kept; a new one takes its slot's place */
	PAGE_CACHE_TTL_S = 10,
	PAGE_CACHE_MAX_BODY = 1024 * 1024,  /* bigger pages are not kept */
};

struct page_cache;

struct page_cache *page_cache_new(void);
void page_cache_free(struct page_cache *pc);

/* Copies the page kept under key into body and its content type into the arena, if it
 * was made at this generation less than PAGE_CACHE_TTL_S before now. */
bool page_cache_get(struct page_cache *pc, const char *key, int64_t generation, int64_t now,
		    struct buf *body, struct arena *a, const char **content_type);
/* The page_cache_get calls that found their page (hits) and that did not (misses),
 * since page_cache_new: for the metrics. */
void page_cache_counts(struct page_cache *pc, uint64_t *hits, uint64_t *misses);
/* Keeps a copy of the page. */
void page_cache_put(struct page_cache *pc, const char *key, int64_t generation, int64_t now,
		    const char *content_type, const void *body, size_t len);

#endif
