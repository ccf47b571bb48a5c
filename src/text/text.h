/* text.h: Vietnamese text: normalisation, search folding, slugs, snippets */
#ifndef TEXT_TEXT_H
#define TEXT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* NFC form of valid UTF-8 s, in the arena. NULL if s is not valid UTF-8 or the
 * arena is full. Every text input is stored in NFC. */
char *text_nfc(struct arena *a, const char *s, size_t n);

/* A form field as stored: spaces trimmed at both ends, valid UTF-8 of at most max_chars
 * code points, in NFC, without control characters (C0 but tab and line breaks, DEL, C1) or
 * bidirectional overrides and isolates; a one-line field (multiline false) gets its line
 * breaks and tabs turned into spaces, a multi-line one its CRLF and lone CR into LF. s NULL
 * is "". NULL when it is not acceptable or the arena is full. */
const char *text_clean(struct arena *a, const char *s, size_t max_chars, bool multiline);

/* Whether UTF-8 s holds a C1 control (U+0080..U+009F) or a bidirectional embedding,
 * override or isolate (U+202A..U+202E, U+2066..U+2069): invisible, they reorder or hide what
 * a page, a printed form or a terminal shows around them. */
bool text_has_hidden_controls(const char *s);

/* Search key of s: NFC, case folded, every combining mark removed (tone and vowel
 * marks: "Hòa", "hoà", "HOA" and NFD input all give "hoa"), đ/Đ -> d, every run of
 * characters that are not letters or digits turned into one space, trimmed.
 * In the arena; NULL on invalid UTF-8 or a full arena. */
char *text_fold(struct arena *a, const char *s, size_t n);
/* The same on the heap (malloc), for code outside a request. */
char *text_fold_alloc(const char *s, size_t n);
/* The first max_words words of folded text (words separated by single spaces, as
 * text_fold gives), in the arena: the query a search runs with. NULL on a full arena. */
char *text_first_words(struct arena *a, const char *folded, int max_words);

/* URL slug: the fold with spaces as '-', at most max_len bytes, cut at a word
 * boundary, never ending with '-'. "" for text with no letters or digits. */
char *text_slug(struct arena *a, const char *s, size_t n, size_t max_len);

/* A piece of a snippet: matched pieces are the words that fold to a query word. */
struct text_span {
	const char *text; /* NUL-terminated, in the arena */
	bool is_match;
};

/* Snippet of plain text around its first word matching one of the folded query
 * words (or the start if none does), about max_chars code points long, with "…"
 * at a cut end, split into spans with every matching word marked. Returns the
 * number of spans in *out (arena), 0 on failure. */
size_t text_snippet(struct arena *a, const char *plain, const char *folded_query,
		    size_t max_chars, struct text_span **out);

#endif
