/* fuzz_text.c: libFuzzer harness: Vietnamese normalisation, folding, slugs, snippets, text_clean
 *
 * The first byte sets the limits (slug length, field length, snippet width), the rest is the
 * text; its first line folded is also the snippet's query. Beyond "no crash", each result is
 * checked against what text.h promises: valid UTF-8, a fold without upper-case ASCII, double
 * or edge spaces, a slug within its length that never ends with '-', a cleaned field within
 * its length and without control characters.
 */
#include "base/arena.h"
#include "base/utf8.h"
#include "text/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_text: %s\n", what);
		abort();
	}
}

static void check_fold(const char *f)
{
	size_t n = strlen(f);
	check(utf8_valid(f, n), "fold is not valid UTF-8");
	check(n == 0 || (f[0] != ' ' && f[n - 1] != ' '), "fold starts or ends with a space");
	check(strstr(f, "  ") == NULL, "fold has two spaces in a row");
	for (size_t i = 0; i < n; i++)
		check(!(f[i] >= 'A' && f[i] <= 'Z'), "fold keeps an upper-case letter");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t limit = data[0];
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	struct arena *a = arena_new(16 * 1024 * 1024);
	if (a == NULL)
		return 0;
	char *text = arena_strndup(a, s, n);

	char *nfc = text_nfc(a, s, n);
	check(nfc == NULL || utf8_valid(nfc, strlen(nfc)), "NFC is not valid UTF-8");

	char *fold = text_fold(a, s, n);
	char *fold_heap = text_fold_alloc(s, n);
	check((fold == NULL) == (fold_heap == NULL), "text_fold and text_fold_alloc disagree");
	if (fold != NULL) {
		check(strcmp(fold, fold_heap) == 0, "text_fold and text_fold_alloc differ");
		check_fold(fold);
		char *words = text_first_words(a, fold, (int)(limit % 8));
		check(words != NULL && strncmp(words, fold, strlen(words)) == 0,
		      "first words are not a prefix of the fold");
	}
	free(fold_heap);

	char *slug = text_slug(a, s, n, limit);
	if (slug != NULL) {
		size_t len = strlen(slug);
		check(len <= limit, "slug longer than its limit");
		check(utf8_valid(slug, len), "slug is not valid UTF-8");
		check(len == 0 || (slug[0] != '-' && slug[len - 1] != '-'), "slug starts or ends with '-'");
		check(strchr(slug, ' ') == NULL && strchr(slug, '/') == NULL, "slug has a space or '/'");
		check(strstr(slug, "--") == NULL, "slug has '--'");
	}

	for (int multiline = 0; multiline < 2; multiline++) {
		const char *clean = text_clean(a, text, limit, multiline != 0);
		if (clean == NULL)
			continue;
		size_t len = strlen(clean);
		check(utf8_valid(clean, len), "clean text is not valid UTF-8");
		check(utf8_length(clean, len) <= limit, "clean text longer than max_chars");
		check(!utf8_has_controls(clean, len), "clean text has a control character");
		check(multiline || strpbrk(clean, "\r\n\t") == NULL, "one-line text has a line break");
	}

	const char *line_end = memchr(s, '\n', n);
	size_t qn = line_end != NULL ? (size_t)(line_end - s) : n;
	char *query = text_fold(a, s, qn);
	struct text_span *spans;
	size_t count = text_snippet(a, text, query, limit, &spans);
	for (size_t i = 0; i < count; i++)
		check(utf8_valid(spans[i].text, strlen(spans[i].text)), "snippet span is not UTF-8");

	arena_free(a);
	return 0;
}
