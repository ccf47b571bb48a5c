/* buf.h: growable byte buffer with a hard maximum, in an arena or on the heap */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;

/* data is always NUL-terminated (when not NULL); len excludes the NUL. */
struct buf {
	char *data;
	size_t len, cap, max;
	struct arena *arena; /* NULL: heap, released with buf_release */
	bool failed;         /* sticky: an append went past max or out of memory */
};

/* Empty buffer that may grow to max bytes; memory from arena, or the heap if NULL. */
void buf_init(struct buf *b, struct arena *arena, size_t max);
/* Frees heap memory (does nothing for an arena buffer) and empties b. */
void buf_release(struct buf *b);
/* Appends n bytes; false (and b->failed) if that would pass max. */
bool buf_append(struct buf *b, const void *data, size_t n);
bool buf_puts(struct buf *b, const char *s);
bool buf_putc(struct buf *b, char c);
bool buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Empties b, keeping its memory. */
void buf_clear(struct buf *b);
/* The contents as a C string ("" when empty). */
const char *buf_str(const struct buf *b);

/* Appends a string literal: a variable won't compile. */
#define buf_lit(b, s) buf_append((b), "" s "", sizeof(s) - 1)

#endif
