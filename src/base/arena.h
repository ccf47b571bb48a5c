/* arena.h: bump allocator freed all at once; one per request, not thread-safe */
#ifndef BASE_ARENA_H
#define BASE_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;

/* A new arena that hands out at most limit bytes in all. NULL if malloc fails. */
struct arena *arena_new(size_t limit);
/* Frees every block of the arena and the arena itself. NULL is allowed. */
void arena_free(struct arena *a);
/* n bytes aligned for any type, or NULL past the limit; failure is sticky. */
void *arena_alloc(struct arena *a, size_t n);
/* Like arena_alloc, zero-filled. */
void *arena_zalloc(struct arena *a, size_t n);
/* A NUL-terminated copy of s (s may be NULL: returns NULL). */
char *arena_strdup(struct arena *a, const char *s);
/* A NUL-terminated copy of the first n bytes of s. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into the arena. NULL on failure. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Whether an allocation has ever failed in this arena. */
bool arena_failed(const struct arena *a);
/* Bytes handed out so far. */
size_t arena_used(const struct arena *a);

#endif
