/* html.h: escaping and trusted HTML; html/ is the only place that emits unescaped bytes */
#ifndef HTML_HTML_H
#define HTML_HTML_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct buf;

/* Makes the process key that seals trusted HTML. Call once before any thread starts;
 * false if libsodium cannot start. */
bool html_init(void);

/* Appends s with & < > " ' escaped: safe in text and in quoted attributes. */
void html_escape(struct buf *b, const char *s, size_t n);
/* Whether url may go into href/src/action: relative ("/x", "x", "#x", "?x") or
 * http:, https:, mailto: (case-insensitive, after skipping no whitespace). */
bool html_url_allowed(const char *url);

/* Trusted HTML in a view model is a JSON object {"html": "...", "seal": "..."}
 * whose seal is a keyed hash only html/ can make; the template engine emits it
 * raw only when the seal checks. Anything else is escaped. */
json_t *html_trusted_new(const char *html, size_t n);
/* The HTML of a trusted value, or NULL if v is not trusted (missing/bad seal). */
const char *html_trusted_get(const json_t *v, size_t *len);

/* Markdown (CommonMark + GFM tables, strikethrough, autolinks; raw HTML off, unsafe
 * URLs dropped, tagfilter on) rendered to trusted HTML. NULL on failure. */
json_t *html_markdown(const char *md, size_t n);
/* Plain text of Markdown (for snippets, feeds and meta descriptions), malloc'd. */
char *html_markdown_plain(const char *md, size_t n);

#endif
