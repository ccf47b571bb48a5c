/* stmt_cache.c: the two-key statement cache of the engines (by literal address, by text) */
#include "store/stmt_cache.h"

#include <stdlib.h>
#include <string.h>

enum { CACHE_START = 32 }; /* first size of each table */

/* FNV-1a */
static uint64_t hash_text(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return h;
}

static uint64_t hash_pointer(const char *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15u;
	return h ^ (h >> 29);
}

/* The slot holding key, or the free slot where it would go. */
static struct stmt_slot *table_slot(const struct stmt_table *t, const char *key, uint64_t hash,
	bool by_text)
{
	size_t mask = t->cap - 1;
	for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
		struct stmt_slot *s = &t->slots[i];
		if (s->key == NULL)
			return s;
		if (s->hash == hash && (by_text ? strcmp(s->key, key) == 0 : s->key == key))
			return s;
	}
}

static bool table_init(struct stmt_table *t)
{
	t->slots = calloc(CACHE_START, sizeof *t->slots);
	t->cap = t->slots != NULL ? CACHE_START : 0;
	t->used = 0;
	return t->slots != NULL;
}

/* Makes room for one more key. */
static bool table_reserve(struct stmt_table *t)
{
	if ((t->used + 1) * 2 <= t->cap)
		return true;
	struct stmt_table bigger = { calloc(t->cap * 2, sizeof *t->slots), t->cap * 2, t->used };
	if (bigger.slots == NULL)
		return false;
	for (size_t i = 0; i < t->cap; i++) {
		struct stmt_slot *s = &t->slots[i];
		if (s->key == NULL)
			continue;
		/* Keys are distinct, so comparing by address finds the free slot. */
		*table_slot(&bigger, s->key, s->hash, false) = *s;
	}
	free(t->slots);
	*t = bigger;
	return true;
}

/* Remembers that the literal at sql holds text. Without room the address is just not
 * remembered: the text path still works. */
static void remember_pointer(struct stmt_cache *cache, const char *sql, const char *text,
	struct db_stmt *st)
{
	if (!table_reserve(&cache->by_pointer))
		return;
	uint64_t hash = hash_pointer(sql);
	struct stmt_slot *s = table_slot(&cache->by_pointer, sql, hash, false);
	if (s->key == NULL)
		cache->by_pointer.used++;
	*s = (struct stmt_slot){ sql, text, hash, st };
}

bool stmt_cache_init(struct stmt_cache *cache)
{
	*cache = (struct stmt_cache){ { NULL, 0, 0 }, { NULL, 0, 0 } };
	return table_init(&cache->by_pointer) && table_init(&cache->by_text);
}

void stmt_cache_release(struct stmt_cache *cache)
{
	for (size_t i = 0; i < cache->by_text.cap; i++)
		free((char *)cache->by_text.slots[i].key);
	free(cache->by_text.slots);
	free(cache->by_pointer.slots);
	*cache = (struct stmt_cache){ { NULL, 0, 0 }, { NULL, 0, 0 } };
}

struct db_stmt *stmt_cache_find(struct stmt_cache *cache, const char *sql)
{
	struct stmt_slot *s = table_slot(&cache->by_pointer, sql, hash_pointer(sql), false);
	/* The text is compared too: a caller going around the db_prepare macro could pass a
	 * buffer whose address was used before for other SQL. */
	if (s->key != NULL && strcmp(s->text, sql) == 0)
		return s->stmt;
	s = table_slot(&cache->by_text, sql, hash_text(sql), true);
	if (s->key == NULL)
		return NULL;
	remember_pointer(cache, sql, s->text, s->stmt);
	return s->stmt;
}

const char *stmt_cache_add(struct stmt_cache *cache, const char *sql, struct db_stmt *st)
{
	size_t len = strlen(sql);
	char *text = malloc(len + 1);
	if (text == NULL || !table_reserve(&cache->by_text)) {
		free(text);
		return NULL;
	}
	memcpy(text, sql, len + 1);
	uint64_t hash = hash_text(text);
	*table_slot(&cache->by_text, text, hash, true) = (struct stmt_slot){ text, text, hash, st };
	cache->by_text.used++;
	remember_pointer(cache, sql, text, st);
	return text;
}

void stmt_cache_each(const struct stmt_cache *cache, void (*fn)(struct db_stmt *st, void *arg),
	void *arg)
{
	for (size_t i = 0; i < cache->by_text.cap; i++) {
		if (cache->by_text.slots[i].key != NULL)
			fn(cache->by_text.slots[i].stmt, arg);
	}
}
