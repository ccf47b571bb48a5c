/* stmt_cache.h: a connection's statements by SQL text, for the engines; internal to store/
 *
 * The cache has two keys. by_pointer maps the address of the caller's literal to its
 * statement, the fast path. A literal used from several files may have several
 * addresses, so a miss there looks the text up in by_text, which owns a copy of each
 * text; a statement is prepared only once per text. The statements themselves belong to
 * the engine: the cache only holds pointers to them. */
#ifndef STORE_STMT_CACHE_H
#define STORE_STMT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db_stmt;

/* Open addressing, linear probing, at most half full; key NULL marks a free slot. */
struct stmt_slot {
	const char *key;  /* the text (by_text) or the caller's address (by_pointer) */
	const char *text; /* the cache's copy of the text */
	uint64_t hash;    /* of key */
	struct db_stmt *stmt;
};

struct stmt_table {
	struct stmt_slot *slots;
	size_t cap; /* a power of two, or 0 before init */
	size_t used;
};

struct stmt_cache {
	struct stmt_table by_pointer;
	struct stmt_table by_text;
};

/* Makes an empty cache. False when out of memory; stmt_cache_release is still safe then. */
bool stmt_cache_init(struct stmt_cache *cache);
/* Frees the texts and the tables, not the statements (free them first with stmt_cache_each). */
void stmt_cache_release(struct stmt_cache *cache);

/* The statement cached for sql, or NULL. A hit by text remembers the address of sql. */
struct db_stmt *stmt_cache_find(struct stmt_cache *cache, const char *sql);
/* Caches st under a copy of sql, which must not be cached yet. Returns the cache's copy
 * (valid until stmt_cache_release), or NULL when out of memory: then nothing is cached. */
const char *stmt_cache_add(struct stmt_cache *cache, const char *sql, struct db_stmt *st);

/* Calls fn(st, arg) once for every cached statement. */
void stmt_cache_each(const struct stmt_cache *cache, void (*fn)(struct db_stmt *st, void *arg),
	void *arg);

#endif
