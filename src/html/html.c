/* html.c: HTML escaping, URL allowlist, sealed trusted HTML, Markdown via cmark-gfm */
#include "html/html.h"

#include "base/buf.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SEAL_BYTES crypto_generichash_BYTES /* 32: BLAKE2b-256 */
#define SEAL_HEX (SEAL_BYTES * 2)

static unsigned char seal_key[crypto_generichash_KEYBYTES];
static bool initialized;

bool html_init(void)
{
	if (initialized)
		return true;
	if (sodium_init() < 0)
		return false;
	randombytes_buf(seal_key, sizeof(seal_key));
	cmark_gfm_core_extensions_ensure_registered();
	initialized = true;
	return true;
}

void html_escape(struct buf *b, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(b, s + run, i - run);
		buf_puts(b, rep);
		run = i + 1;
	}
	buf_append(b, s + run, n - run);
}

bool html_url_allowed(const char *url)
{
	if (url == NULL)
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7F)
			return false;
	/* A scheme is whatever comes before a ':' that precedes any '/', '?' or '#'. */
	size_t k = strcspn(url, ":/?#");
	if (url[k] != ':')
		return true;
	return (k == 4 && strncasecmp(url, "http", 4) == 0) ||
	       (k == 5 && strncasecmp(url, "https", 5) == 0) ||
	       (k == 6 && strncasecmp(url, "mailto", 6) == 0);
}

/* Hex seal of html under the process key; out has SEAL_HEX + 1 bytes. */
static void seal_of(const char *html, size_t n, char *out)
{
	unsigned char hash[SEAL_BYTES];
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)html, n,
			   seal_key, sizeof(seal_key));
	sodium_bin2hex(out, SEAL_HEX + 1, hash, sizeof(hash));
}

json_t *html_trusted_new(const char *html, size_t n)
{
	if (!initialized || html == NULL)
		return NULL;
	char seal[SEAL_HEX + 1];
	seal_of(html, n, seal);
	json_t *v = json_object();
	if (v == NULL)
		return NULL;
	if (json_object_set_new(v, "html", json_stringn(html, n)) != 0 ||
	    json_object_set_new(v, "seal", json_string(seal)) != 0) {
		json_decref(v);
		return NULL;
	}
	return v;
}

const char *html_trusted_get(const json_t *v, size_t *len)
{
	if (!initialized || !json_is_object(v) || json_object_size(v) != 2)
		return NULL;
	const json_t *h = json_object_get(v, "html");
	const json_t *s = json_object_get(v, "seal");
	if (!json_is_string(h) || !json_is_string(s) || json_string_length(s) != SEAL_HEX)
		return NULL;
	const char *html = json_string_value(h);
	size_t n = json_string_length(h);
	char seal[SEAL_HEX + 1];
	seal_of(html, n, seal);
	if (sodium_memcmp(seal, json_string_value(s), SEAL_HEX) != 0)
		return NULL;
	if (len != NULL)
		*len = n;
	return html;
}

/* A parser with the GFM extensions we allow; NULL on failure. */
static cmark_parser *markdown_parser(void)
{
	if (!initialized)
		return NULL;
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (p == NULL)
		return NULL;
	static const char *const names[] = { "table", "strikethrough", "autolink", "tagfilter" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(names[i]);
		if (ext == NULL || !cmark_parser_attach_syntax_extension(p, ext)) {
			cmark_parser_free(p);
			return NULL;
		}
	}
	return p;
}

json_t *html_markdown(const char *md, size_t n)
{
	if (md == NULL)
		return NULL;
	cmark_parser *p = markdown_parser();
	if (p == NULL)
		return NULL;
	cmark_parser_feed(p, md, n);
	cmark_node *doc = cmark_parser_finish(p);
	json_t *v = NULL;
	if (doc != NULL) {
		char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT,
					       cmark_parser_get_syntax_extensions(p));
		if (html != NULL)
			v = html_trusted_new(html, strlen(html));
		free(html);
		cmark_node_free(doc);
	}
	cmark_parser_free(p);
	return v;
}

/* Separator owed before the next text of html_markdown_plain. */
enum gap { GAP_NONE, GAP_SPACE, GAP_LINE, GAP_PARA };

static void plain_put(struct buf *b, enum gap *gap, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (b->len > 0) {
		switch (*gap) {
		case GAP_SPACE: buf_putc(b, ' '); break;
		case GAP_LINE: buf_putc(b, '\n'); break;
		case GAP_PARA: buf_lit(b, "\n\n"); break;
		case GAP_NONE: break;
		}
	}
	*gap = GAP_NONE;
	buf_append(b, s, n);
}

static void plain_gap(enum gap *gap, enum gap g)
{
	if (g > *gap)
		*gap = g;
}

char *html_markdown_plain(const char *md, size_t n)
{
	if (md == NULL)
		return NULL;
	cmark_parser *p = markdown_parser();
	if (p == NULL)
		return NULL;
	cmark_parser_feed(p, md, n);
	cmark_node *doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	if (doc == NULL)
		return NULL;

	struct buf b;
	buf_init(&b, NULL, (size_t)1 << 30);
	enum gap gap = GAP_NONE;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		const char *tname = cmark_node_get_type_string(node);
		if (ev == CMARK_EVENT_ENTER) {
			if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
				const char *s = cmark_node_get_literal(node);
				if (s != NULL)
					plain_put(&b, &gap, s, strlen(s));
			} else if (type == CMARK_NODE_CODE_BLOCK) {
				const char *s = cmark_node_get_literal(node);
				size_t len = s != NULL ? strlen(s) : 0;
				while (len > 0 && s[len - 1] == '\n')
					len--;
				plain_gap(&gap, GAP_PARA);
				plain_put(&b, &gap, s, len);
				plain_gap(&gap, GAP_PARA);
			} else if (type == CMARK_NODE_SOFTBREAK) {
				plain_gap(&gap, GAP_SPACE);
			} else if (type == CMARK_NODE_LINEBREAK) {
				plain_gap(&gap, GAP_LINE);
			} else if (type == CMARK_NODE_THEMATIC_BREAK) {
				plain_gap(&gap, GAP_PARA);
			}
		} else if (ev == CMARK_EVENT_EXIT) {
			if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING ||
			    type == CMARK_NODE_ITEM || type == CMARK_NODE_BLOCK_QUOTE ||
			    type == CMARK_NODE_LIST || strcmp(tname, "table") == 0)
				plain_gap(&gap, GAP_PARA);
			else if (strcmp(tname, "table_row") == 0 || strcmp(tname, "table_header") == 0)
				plain_gap(&gap, GAP_LINE);
			else if (strcmp(tname, "table_cell") == 0)
				plain_gap(&gap, GAP_SPACE);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	char *r = strdup(buf_str(&b));
	buf_release(&b);
	return r;
}
