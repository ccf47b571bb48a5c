/* arena.c: bump allocator in a chain of blocks, with a hard limit */
#include "base/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_BLOCK_SIZE = 16 * 1024, ARENA_ALIGN = 16 };

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct arena_block *head;
	size_t limit, handed_out;
	bool failed;
};

struct arena *arena_new(size_t limit)
{
	struct arena *a = calloc(1, sizeof *a);
	if (a == NULL)
		return NULL;
	a->limit = limit;
	return a;
}

void arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	struct arena_block *b = a->head;
	while (b != NULL) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	if (a->failed)
		return NULL;
	if (n == 0)
		n = 1;
	size_t rounded = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (rounded < n || a->handed_out + rounded > a->limit) {
		a->failed = true;
		return NULL;
	}
	struct arena_block *b = a->head;
	if (b == NULL || b->size - b->used < rounded) {
		size_t size = rounded > ARENA_BLOCK_SIZE ? rounded : ARENA_BLOCK_SIZE;
		struct arena_block *nb = malloc(sizeof *nb + size);
		if (nb == NULL) {
			a->failed = true;
			return NULL;
		}
		nb->size = size;
		nb->used = 0;
		/* A big one-off block goes behind the head so the head keeps its room. */
		if (b != NULL && rounded > ARENA_BLOCK_SIZE) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += rounded;
	a->handed_out += rounded;
	return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	if (p != NULL)
		memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

bool arena_failed(const struct arena *a)
{
	return a->failed;
}

size_t arena_used(const struct arena *a)
{
	return a->handed_out;
}
