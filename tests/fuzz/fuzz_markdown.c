/* fuzz_markdown.c: libFuzzer harness: a news body's Markdown to trusted HTML and to plain text
 *
 * Beyond "no crash": for valid UTF-8 (what a stored body always is: forms and JSON are
 * checked, text_clean stores NFC) the HTML comes back sealed, and holds no script element
 * and no javascript:/vbscript: link, whatever the input (raw HTML is off, unsafe URLs
 * dropped, tagfilter on). Other bytes must not crash; html_markdown may refuse them.
 */
#include "base/log.h"
#include "base/utf8.h"
#include "html/html.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_ERROR);
	if (!html_init())
		abort();
	return 0;
}

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_markdown: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *md = (const char *)data;
	json_t *v = html_markdown(md, size);
	if (v == NULL) {
		check(!utf8_valid(md, size), "html_markdown failed on valid UTF-8");
		free(html_markdown_plain(md, size));
		return 0;
	}
	size_t len;
	const char *html = html_trusted_get(v, &len);
	check(html != NULL, "the rendered HTML is not sealed");
	check(strcasestr(html, "<script") == NULL, "a script element got through");
	check(strcasestr(html, "href=\"javascript:") == NULL &&
	      strcasestr(html, "src=\"javascript:") == NULL &&
	      strcasestr(html, "href=\"vbscript:") == NULL, "a script URL got through");
	json_decref(v);
	char *plain = html_markdown_plain(md, size);
	check(plain != NULL, "html_markdown_plain failed");
	free(plain);
	return 0;
}
