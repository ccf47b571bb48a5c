/* page_cache.c: a fixed table of rendered pages, one mutex; a slot per key hash */
#include "app/page_cache.h"

#include "base/arena.h"
#include "base/buf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct page {
	char *key;          /* NULL: the slot is free */
	int64_t generation, made_at;
	char *content_type;
	char *body;
	size_t len;
};

struct page_cache {
	pthread_mutex_t lock;
	struct page pages[PAGE_CACHE_SLOTS];
	_Atomic uint64_t hits, misses; /* relaxed: counters, outside the lock */
};

/* FNV-1a */
static size_t slot_of(const char *key)
{
	uint64_t h = 14695981039346656037u;
	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211u;
	}
	return (size_t)(h % PAGE_CACHE_SLOTS);
}

static void page_clear(struct page *p)
{
	free(p->key);
	free(p->content_type);
	free(p->body);
	*p = (struct page){ 0 };
}

struct page_cache *page_cache_new(void)
{
	struct page_cache *pc = calloc(1, sizeof *pc);
	if (pc != NULL)
		pthread_mutex_init(&pc->lock, NULL);
	return pc;
}

void page_cache_free(struct page_cache *pc)
{
	if (pc == NULL)
		return;
	for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++)
		page_clear(&pc->pages[i]);
	pthread_mutex_destroy(&pc->lock);
	free(pc);
}

bool page_cache_get(struct page_cache *pc, const char *key, int64_t generation, int64_t now,
		    struct buf *body, struct arena *a, const char **content_type)
{
	bool hit = false;
	pthread_mutex_lock(&pc->lock);
	struct page *p = &pc->pages[slot_of(key)];
	if (p->key != NULL && strcmp(p->key, key) == 0 && p->generation == generation &&
	    now >= p->made_at && now - p->made_at < PAGE_CACHE_TTL_S) {
		buf_append(body, p->body, p->len);
		*content_type = arena_strdup(a, p->content_type);
		hit = !body->failed && *content_type != NULL;
	}
	pthread_mutex_unlock(&pc->lock);
	atomic_fetch_add_explicit(hit ? &pc->hits : &pc->misses, 1, memory_order_relaxed);
	if (!hit)
		buf_clear(body);
	return hit;
}

void page_cache_counts(struct page_cache *pc, uint64_t *hits, uint64_t *misses)
{
	*hits = atomic_load_explicit(&pc->hits, memory_order_relaxed);
	*misses = atomic_load_explicit(&pc->misses, memory_order_relaxed);
}

void page_cache_put(struct page_cache *pc, const char *key, int64_t generation, int64_t now,
		    const char *content_type, const void *body, size_t len)
{
	if (len > PAGE_CACHE_MAX_BODY)
		return;
	/* Copies are made outside the lock; a failed allocation keeps nothing. */
	struct page fresh = { strdup(key), generation, now, strdup(content_type), malloc(len + 1),
			      len };
	if (fresh.key == NULL || fresh.content_type == NULL || fresh.body == NULL) {
		page_clear(&fresh);
		return;
	}
	memcpy(fresh.body, body, len);
	pthread_mutex_lock(&pc->lock);
	struct page *p = &pc->pages[slot_of(key)];
	struct page old = *p;
	*p = fresh;
	pthread_mutex_unlock(&pc->lock);
	page_clear(&old);
}
