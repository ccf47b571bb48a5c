/* text.c: Vietnamese text: NFC, search folding (case, tone marks, đ), slugs, snippets */
#include "text/text.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Whether a code point belongs to a word: letters, digits and combining marks. */
static bool is_word_cp(utf8proc_int32_t cp)
{
	utf8proc_category_t cat = utf8proc_category(cp);
	return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

static bool is_mark_cp(utf8proc_int32_t cp)
{
	utf8proc_category_t cat = utf8proc_category(cp);
	return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

/* The fold of valid UTF-8 s, malloc'd; NULL on invalid input or out of memory. */
static char *fold_heap(const char *s, size_t n)
{
	if (s == NULL || !utf8_valid(s, n))
		return NULL;
	if (n == 0)
		return calloc(1, 1);
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
					    &mapped, UTF8PROC_STABLE | UTF8PROC_COMPAT |
					    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
					    UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
	if (len < 0)
		return NULL;
	/* Rewrite in place: the output is never longer than the mapped text. */
	utf8proc_ssize_t in = 0;
	size_t out = 0;
	bool pending_space = false;
	while (in < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t step = utf8proc_iterate(mapped + in, len - in, &cp);
		if (step <= 0) {
			free(mapped);
			return NULL;
		}
		if (cp == 0x0111 || cp == 0x00F0) {
			/* đ (and ð, often typed for it) has no decomposition. */
			if (pending_space && out > 0)
				mapped[out++] = ' ';
			pending_space = false;
			mapped[out++] = 'd';
		} else if (is_mark_cp(cp)) {
			/* A mark left over (no base letter): dropped. */
		} else if (is_word_cp(cp)) {
			if (pending_space && out > 0)
				mapped[out++] = ' ';
			pending_space = false;
			memmove(mapped + out, mapped + in, (size_t)step);
			out += (size_t)step;
		} else {
			pending_space = true;
		}
		in += step;
	}
	mapped[out] = '\0';
	return (char *)mapped;
}

char *text_nfc(struct arena *a, const char *s, size_t n)
{
	if (s == NULL || !utf8_valid(s, n))
		return NULL;
	if (n == 0)
		return arena_strndup(a, "", 0);
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
					    &mapped, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (len < 0)
		return NULL;
	char *r = arena_strndup(a, (const char *)mapped, (size_t)len);
	free(mapped);
	return r;
}

char *text_fold(struct arena *a, const char *s, size_t n)
{
	char *f = fold_heap(s, n);
	if (f == NULL)
		return NULL;
	char *r = arena_strdup(a, f);
	free(f);
	return r;
}

char *text_fold_alloc(const char *s, size_t n)
{
	return fold_heap(s, n);
}

char *text_first_words(struct arena *a, const char *folded, int max_words)
{
	const char *end = folded;
	for (int words = 0; *end != '\0'; end++)
		if (*end == ' ' && ++words == max_words)
			break;
	return arena_strndup(a, folded, (size_t)(end - folded));
}

char *text_slug(struct arena *a, const char *s, size_t n, size_t max_len)
{
	char *f = fold_heap(s, n);
	if (f == NULL)
		return NULL;
	size_t len = strlen(f);
	if (len > max_len) {
		size_t cut = max_len;
		if (f[cut] != ' ') {
			/* Back up to the last word boundary; a first word longer than
			 * max_len is cut at a code point boundary instead. */
			size_t k = cut;
			while (k > 0 && f[k - 1] != ' ')
				k--;
			if (k > 0) {
				cut = k;
			} else {
				while (cut > 0 && ((unsigned char)f[cut] & 0xC0) == 0x80)
					cut--;
			}
		}
		len = cut;
	}
	while (len > 0 && f[len - 1] == ' ')
		len--;
	for (size_t i = 0; i < len; i++)
		if (f[i] == ' ')
			f[i] = '-';
	char *r = arena_strndup(a, f, len);
	free(f);
	return r;
}

/* A word or the text between two words, as byte and code point offsets. */
struct token {
	size_t start, end;       /* bytes */
	size_t cp_start, cp_end; /* code points */
	bool is_word, is_match;
};

/* Splits plain into alternating word and non-word tokens, into tokens when not NULL;
 * returns the count, or (size_t)-1 on invalid UTF-8. */
static size_t tokenize(const char *plain, size_t n, struct token *tokens)
{
	size_t nt = 0, i = 0, cps = 0;
	bool last_word = false;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)plain + i,
							 (utf8proc_ssize_t)(n - i), &cp);
		if (step <= 0)
			return (size_t)-1;
		bool word = is_word_cp(cp);
		if (nt == 0 || last_word != word) {
			if (tokens != NULL)
				tokens[nt] = (struct token){ .start = i, .cp_start = cps,
							     .is_word = word };
			nt++;
			last_word = word;
		}
		i += (size_t)step;
		cps++;
		if (tokens != NULL) {
			tokens[nt - 1].end = i;
			tokens[nt - 1].cp_end = cps;
		}
	}
	return nt;
}

/* Whether the fold of a word equals one of the query words. */
static bool word_matches(const char *word, size_t n, char **qwords, size_t nq)
{
	if (nq == 0)
		return false;
	char *f = fold_heap(word, n);
	if (f == NULL)
		return false;
	bool found = false;
	for (size_t q = 0; q < nq && !found; q++)
		found = strcmp(f, qwords[q]) == 0;
	free(f);
	return found;
}

/* Appends a non-word token with every run of white space made one space. */
static void put_gap(struct buf *b, const char *s, size_t n)
{
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			if (!space)
				buf_putc(b, ' ');
			space = true;
		} else {
			buf_putc(b, (char)c);
			space = false;
		}
	}
}

/* Adds the pending non-matching text as a span. */
static bool flush_span(struct arena *a, struct buf *b, struct text_span *spans, size_t *ns)
{
	if (b->len == 0)
		return true;
	if (b->failed)
		return false;
	spans[*ns] = (struct text_span){ .text = arena_strndup(a, b->data, b->len) };
	if (spans[*ns].text == NULL)
		return false;
	(*ns)++;
	buf_clear(b);
	return true;
}

size_t text_snippet(struct arena *a, const char *plain, const char *folded_query,
		    size_t max_chars, struct text_span **out)
{
	*out = NULL;
	if (plain == NULL || max_chars == 0)
		return 0;
	size_t n = strlen(plain);
	if (!utf8_valid(plain, n))
		return 0;

	/* Query words. */
	char *query = arena_strdup(a, folded_query != NULL ? folded_query : "");
	if (query == NULL)
		return 0;
	size_t qlen = strlen(query);
	char **qwords = arena_alloc(a, (qlen / 2 + 2) * sizeof(*qwords));
	if (qwords == NULL)
		return 0;
	size_t nq = 0;
	for (char *p = query; *p != '\0';) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		qwords[nq++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
	}

	size_t nt = tokenize(plain, n, NULL);
	if (nt == 0 || nt == (size_t)-1)
		return 0;
	struct token *tok = arena_alloc(a, nt * sizeof(*tok));
	if (tok == NULL)
		return 0;
	tokenize(plain, n, tok);
	size_t first = nt;
	for (size_t k = 0; k < nt; k++) {
		if (!tok[k].is_word)
			continue;
		tok[k].is_match = word_matches(plain + tok[k].start, tok[k].end - tok[k].start,
					       qwords, nq);
		if (tok[k].is_match && first == nt)
			first = k;
	}
	size_t total = tok[nt - 1].cp_end;

	/* Window start: a quarter of the snippet before the match, pulled back so a
	 * match near the end still gets a full snippet; always at a word start. */
	size_t begin = 0;
	if (first < nt && total > max_chars) {
		size_t want = tok[first].cp_start > max_chars / 4 ?
			      tok[first].cp_start - max_chars / 4 : 0;
		if (want > total - max_chars)
			want = total - max_chars;
		while (begin < first && (tok[begin].cp_start < want || !tok[begin].is_word))
			begin++;
	}
	while (begin < nt && !tok[begin].is_word)
		begin++;
	if (begin == nt)
		begin = 0;

	/* Window end: whole tokens while they fit, at least one. */
	size_t end = begin;
	while (end < nt && (end == begin || tok[end].cp_end - tok[begin].cp_start <= max_chars))
		end++;
	bool cut_start = false, cut_end = false;
	for (size_t k = 0; k < begin; k++)
		cut_start |= tok[k].is_word;
	for (size_t k = end; k < nt; k++)
		cut_end |= tok[k].is_word;
	/* Punctuation before a cut gives way to the "…"; at the real end it stays. */
	while (cut_end && end > begin + 1 && !tok[end - 1].is_word)
		end--;

	struct text_span *spans = arena_alloc(a, (end - begin + 3) * sizeof(*spans));
	if (spans == NULL)
		return 0;
	size_t ns = 0;
	struct buf b;
	buf_init(&b, a, n + 16);
	if (cut_start)
		buf_puts(&b, "…");
	for (size_t k = begin; k < end; k++) {
		const char *s = plain + tok[k].start;
		size_t len = tok[k].end - tok[k].start;
		if (tok[k].cp_end - tok[k].cp_start > max_chars) {
			len = utf8_prefix(s, len, max_chars);
			cut_end = true;
		}
		if (tok[k].is_match) {
			if (!flush_span(a, &b, spans, &ns))
				return 0;
			spans[ns] = (struct text_span){ .text = arena_strndup(a, s, len),
							.is_match = true };
			if (spans[ns].text == NULL)
				return 0;
			ns++;
		} else if (tok[k].is_word) {
			buf_append(&b, s, len);
		} else {
			put_gap(&b, s, len);
		}
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.len--;
	if (cut_end)
		buf_puts(&b, "…");
	if (!flush_span(a, &b, spans, &ns) || ns == 0)
		return 0;
	*out = spans;
	return ns;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool text_has_hidden_controls(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p != '\0'; p++) {
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return true;
		if (p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
				     (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)))
			return true;
	}
	return false;
}

/* Line breaks as LF only, in place: a browser sends CRLF, and a lone CR would move a
 * terminal's cursor back over what was printed before it. */
static void unify_line_breaks(char *s)
{
	char *out = s;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\r') {
			*out++ = '\n';
			if (p[1] == '\n')
				p++;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
}

const char *text_clean(struct arena *a, const char *s, size_t max_chars, bool multiline)
{
	if (s == NULL)
		s = "";
	size_t n = strlen(s);
	/* More bytes than four a code point is too long whatever they hold. */
	if (n > max_chars * 4 || !utf8_valid(s, n))
		return NULL;
	while (n > 0 && is_space(*s))
		s++, n--;
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (utf8_length(s, n) > max_chars)
		return NULL;
	char *nfc = text_nfc(a, s, n);
	/* NFC makes a few code points two or three (U+0F73, U+1D160): the limit is the
	 * stored text's. */
	if (nfc == NULL || utf8_length(nfc, strlen(nfc)) > max_chars)
		return NULL;
	if (!multiline) {
		for (char *p = nfc; *p; p++)
			if (*p == '\r' || *p == '\n' || *p == '\t')
				*p = ' ';
	} else {
		unify_line_breaks(nfc);
	}
	return utf8_has_controls(nfc, strlen(nfc)) || text_has_hidden_controls(nfc) ? NULL : nfc;
}
