/* fuzz_template.c: libFuzzer harness: compile the input as a template, render it with a small model
 *
 * Built by meson with -Dfuzz=true (tools/fuzz). The template is named "f", so {{>f}}
 * exercises the partial depth limit.
 */
#include "base/buf.h"
#include "base/log.h"
#include "html/html.h"
#include "html/template.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static json_t *model;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Silent: a broken template logs an error each render, thousands a second. */
	log_set_level((enum log_level)(LOG_ERROR + 1));
	if (!html_init())
		abort();
	json_error_t err;
	model = json_loads("{\"title\": \"<b>Phường 9</b> & 'x'\", \"n\": 42, \"r\": 0.25,"
			   " \"yes\": true, \"no\": false, \"none\": null, \"empty\": [],"
			   " \"url\": \"javascript:alert(1)\", \"ok\": \"/tin-tuc?a=1&b=2\","
			   " \"items\": [{\"name\": \"a\", \"items\": []}, {\"name\": \"<i>\"}, 3, \"s\"],"
			   " \"user\": {\"name\": \"Lan\", \"roles\": [\"admin\", \"editor\"]},"
			   " \"forged\": {\"html\": \"<script>\", \"seal\": \"00\"}}", 0, &err);
	if (model == NULL)
		abort();
	json_object_set_new(model, "body", html_markdown("**x** <script>y</script>", 24));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct tmpl_set *set = tmpl_compile_string("f", (const char *)data, size, err, sizeof(err));
	if (set == NULL)
		return 0;
	struct buf out;
	buf_init(&out, NULL, 1 << 20);
	(void)tmpl_render(set, "f", model, NULL, &out);
	buf_release(&out);
	tmpl_free(set);
	return 0;
}
