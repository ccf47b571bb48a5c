/* test_template.c: the template language: escaping, sections, partials, i18n, URLs, threads */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "html/html.h"
#include "html/i18n.h"
#include "html/template.h"

static int setup(void **state)
{
	(void)state;
	return html_init() ? 0 : -1;
}

/* Renders name of set with the model given as JSON text; the result is malloc'd. */
static char *render(struct tmpl_set *set, const char *name, const char *model_json,
		    const struct i18n *lang)
{
	json_error_t jerr;
	json_t *model = json_loads(model_json, 0, &jerr);
	assert_non_null(model);
	struct buf b;
	buf_init(&b, NULL, 1 << 20);
	assert_int_equal(tmpl_render(set, name, model, lang, &b), STATUS_OK);
	json_decref(model);
	char *s = strdup(buf_str(&b));
	buf_release(&b);
	return s;
}

/* Compiles text and checks that rendering it with model_json gives want. */
static void check(const char *text, const char *model_json, const char *want)
{
	char err[256];
	struct tmpl_set *set = tmpl_compile_string("t", text, strlen(text), err, sizeof(err));
	if (set == NULL)
		fail_msg("compile failed: %s", err);
	char *got = render(set, "t", model_json, NULL);
	assert_string_equal(got, want);
	free(got);
	tmpl_free(set);
}

static void escapes_by_default(void **state)
{
	(void)state;
	check("<p title=\"{{x}}\">{{x}}</p>", "{\"x\": \"<script>&'\\\"\"}",
	      "<p title=\"&lt;script&gt;&amp;&#39;&quot;\">&lt;script&gt;&amp;&#39;&quot;</p>");
	check("{{a.b.c}}|{{missing}}|{{a.missing.c}}", "{\"a\": {\"b\": {\"c\": \"<i>\"}}}",
	      "&lt;i&gt;||");
	check("{{n}} {{r}} {{r2}} {{big}} {{t}} [{{f}}] [{{z}}] [{{o}}] [{{arr}}]",
	      "{\"n\": -42, \"r\": 3.5, \"r2\": 0.1, \"big\": 1e20, \"t\": true, \"f\": false,"
	      " \"z\": null, \"o\": {\"a\": 1}, \"arr\": [1]}",
	      "-42 3.5 0.1 100000000000000000000 true [] [] [] []");
	check("{{! a comment }}x{{ x }}", "{\"x\": 1}", "x1");
}

static void trusted_html_raw_forged_escaped(void **state)
{
	(void)state;
	char err[256];
	const char *text = "<div>{{body}}</div><a href=\"{{body}}\">";
	struct tmpl_set *set = tmpl_compile_string("t", text, strlen(text), err, sizeof(err));
	assert_non_null(set);
	json_t *model = json_object();
	json_object_set_new(model, "body", html_markdown("**x** <script>", 14));
	struct buf b;
	buf_init(&b, NULL, 1 << 16);
	assert_int_equal(tmpl_render(set, "t", model, NULL, &b), STATUS_OK);
	assert_string_equal(buf_str(&b),
			    "<div><p><strong>x</strong> <!-- raw HTML omitted --></p>\n</div>"
			    "<a href=\"#\">");
	buf_release(&b);
	json_decref(model);
	tmpl_free(set);

	/* A model object that merely looks trusted is not output at all: no raw path. */
	check("{{x}}|{{x.html}}", "{\"x\": {\"html\": \"<b>\", \"seal\": \"00\"}}", "|&lt;b&gt;");
}

static void sections(void **state)
{
	(void)state;
	const char *model = "{\"items\": [{\"name\": \"a<\"}, {\"name\": \"b\"}, {\"name\": \"c\"}],"
			    " \"empty\": [], \"yes\": true, \"no\": false, \"zero\": 0, \"s\": \"\","
			    " \"user\": {\"name\": \"Lan\"}, \"title\": \"T\", \"n\": 5}";
	check("{{#items}}{{@number}}.{{name}}{{#@first}}(first){{/@first}}"
	      "{{#@last}}(last){{/@last}}{{^@last}}, {{/@last}}{{/items}}",
	      model, "1.a&lt;(first), 2.b, 3.c(last)");
	check("{{#items}}{{@index}}{{/items}}", model, "012");
	check("{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", model, "none");
	check("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}{{^yes}}!Y{{/yes}}", model, "Y!N");
	check("{{#zero}}Z{{/zero}}{{^zero}}0{{/zero}}{{#s}}S{{/s}}{{^s}}e{{/s}}"
	      "{{^missing}}m{{/missing}}", model, "0em");
	check("{{#user}}{{name}} {{title}}{{/user}}", model, "Lan T");
	check("{{#n}}[{{.}}]{{/n}}{{#title}}<{{.}}>{{/title}}", model, "[5]<T>");
	/* Lookup falls back to outer contexts, innermost first. */
	check("{{#items}}{{name}}-{{title}}{{#user}}/{{name}}{{/user}};{{/items}}", model,
	      "a&lt;-T/Lan;b-T/Lan;c-T/Lan;");
	check("{{#outer}}{{#inner}}{{@number}}{{x}}{{/inner}}{{/outer}}",
	      "{\"x\": \"top\", \"outer\": [{\"x\": \"o\", \"inner\": [{}, {\"x\": \"i\"}]}]}",
	      "1o2i");
	check("{{@number}}{{.}}", "{}", "");
}

static void url_attributes(void **state)
{
	(void)state;
	const char *model = "{\"bad\": \"javascript:alert(1)\", \"mixed\": \"JaVaScRiPt:x\","
			    " \"sp\": \" javascript:x\", \"good\": \"/tin-tuc?id=1&x=2\","
			    " \"abs\": \"https://x.vn/\", \"data\": \"data:text/html,x\", \"id\": 7}";
	check("<a href=\"{{bad}}\">{{bad}}</a>", model,
	      "<a href=\"#\">javascript:alert(1)</a>");
	check("<a class=x HREF='{{mixed}}' title=\"{{bad}}\">", model,
	      "<a class=x HREF='#' title=\"javascript:alert(1)\">");
	check("<a href=\"/x/{{sp}}\"><img src=\"{{data}}\" alt=\"{{data}}\">", model,
	      "<a href=\"/x/#\"><img src=\"#\" alt=\"data:text/html,x\">");
	check("<form action={{bad}}><button formaction=\"{{abs}}\"><video poster=\"{{mixed}}\">",
	      model, "<form action=#><button formaction=\"https://x.vn/\"><video poster=\"#\">");
	check("<a href=\"{{good}}\">{{#id}}<a href=\"/t/{{id}}\">{{/id}}", model,
	      "<a href=\"/tin-tuc?id=1&amp;x=2\"><a href=\"/t/7\">");
	/* Outside an attribute value, and after it closed, nothing is checked. */
	check("<a href=\"/\">{{bad}}<!-- href=\"{{bad}} -->", model,
	      "<a href=\"/\">javascript:alert(1)<!-- href=\"javascript:alert(1) -->");
}

static void parse_errors(void **state)
{
	(void)state;
	static const struct { const char *text, *err; } cases[] = {
		{ "a\nb\n{{#items}}\nx\n", "t:3: unclosed section 'items'" },
		{ "{{#a}}\n{{/b}}", "t:2: section 'a' (line 1) closed by 'b'" },
		{ "x\n{{/a}}", "t:2: '{{/a}}' closes no section" },
		{ "\n\n\n{{x", "t:4: unclosed tag" },
		{ "{{{x}}}", "t:1: no raw output: '{{{' is not template syntax" },
		{ "{{a..b}}", "t:1: bad name 'a..b'" },
		{ "{{}}", "t:1: empty tag" },
		{ "{{> ../x}}", "t:1: bad partial name '../x'" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		struct tmpl_set *set = tmpl_compile_string("t", cases[i].text, strlen(cases[i].text),
							   err, sizeof(err));
		assert_null(set);
		assert_string_equal(err, cases[i].err);
	}
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_tree(const char *dir)
{
	static const char *const files[] = {
		"page.html", "layout/header.html", "layout/footer.html", "feeds/rss.xml",
		"tree.html", "loop.html", "vi.po", "layout", "feeds",
	};
	char path[512];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		remove(path);
	}
	rmdir(dir);
}

static void partials_and_translation(void **state)
{
	(void)state;
	char dir[] = "/tmp/phuong-test-tmpl-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[600];
	snprintf(sub, sizeof(sub), "%s/layout", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/feeds", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(dir, "page.html", "{{>layout/header}}<main>{{body}}</main>{{> layout/footer }}");
	write_file(dir, "layout/header.html", "<h1>{{_ Trang chủ}}: {{~section}}</h1>");
	write_file(dir, "layout/footer.html", "<footer>{{_ Phường <9>}}</footer>");
	write_file(dir, "feeds/rss.xml", "<rss>{{#items}}<item>{{.}}</item>{{/items}}</rss>");
	write_file(dir, "tree.html", "<li>{{name}}{{#children}}<ul>{{>tree}}</ul>{{/children}}</li>");
	write_file(dir, "loop.html", "{{>loop}}");
	write_file(dir, "vi.po", "msgid \"Trang chủ\"\nmsgstr \"Home\"\n\n"
		   "msgid \"Tin tức\"\nmsgstr \"News\"\n\nmsgid \"Phường <9>\"\nmsgstr \"Ward <9>\"\n");

	struct tmpl_set *set = tmpl_load(dir, false);
	assert_non_null(set);
	assert_true(tmpl_exists(set, "page"));
	assert_true(tmpl_exists(set, "layout/header"));
	assert_true(tmpl_exists(set, "feeds/rss"));
	assert_false(tmpl_exists(set, "feeds/rss.xml"));

	const char *model = "{\"section\": \"Tin tức\", \"body\": \"<b>\", \"items\": [\"a&b\"]}";
	char *s = render(set, "page", model, NULL);
	assert_string_equal(s, "<h1>Trang chủ: Tin tức</h1><main>&lt;b&gt;</main>"
			       "<footer>Phường &lt;9&gt;</footer>");
	free(s);

	char po[600];
	snprintf(po, sizeof(po), "%s/vi.po", dir);
	struct i18n *en = i18n_load(po);
	assert_non_null(en);
	s = render(set, "page", model, en);
	assert_string_equal(s, "<h1>Home: News</h1><main>&lt;b&gt;</main>"
			       "<footer>Ward &lt;9&gt;</footer>");
	free(s);
	i18n_free(en);

	s = render(set, "feeds/rss", model, NULL);
	assert_string_equal(s, "<rss><item>a&amp;b</item></rss>");
	free(s);

	/* Recursion driven by data works (a leaf needs its own empty "children", or the
	 * lookup finds its parent's); endless recursion stops at the depth limit. */
	s = render(set, "tree", "{\"name\": \"a\", \"children\": [{\"name\": \"b\","
		   " \"children\": [{\"name\": \"c\", \"children\": []}]}]}", NULL);
	assert_string_equal(s, "<li>a<ul><li>b<ul><li>c</li></ul></li></ul></li>");
	free(s);
	struct buf b;
	buf_init(&b, NULL, 1 << 16);
	assert_int_equal(tmpl_render(set, "loop", json_null(), NULL, &b), STATUS_INTERNAL);
	buf_clear(&b);
	assert_int_equal(tmpl_render(set, "nope", json_null(), NULL, &b), STATUS_NOT_FOUND);
	buf_release(&b);

	/* A full buffer. */
	buf_init(&b, NULL, 10);
	json_t *m = json_loads(model, 0, NULL);
	assert_int_equal(tmpl_render(set, "page", m, NULL, &b), STATUS_TOO_LARGE);
	json_decref(m);
	buf_release(&b);
	tmpl_free(set);

	/* An unknown partial or a broken file stops loading. */
	write_file(dir, "layout/footer.html", "{{>layout/nope}}");
	assert_null(tmpl_load(dir, false));
	write_file(dir, "layout/footer.html", "{{#a}}");
	assert_null(tmpl_load(dir, false));
	remove_tree(dir);
}

static void reload_mode(void **state)
{
	(void)state;
	char dir[] = "/tmp/phuong-test-tmpl-XXXXXX";
	assert_non_null(mkdtemp(dir));
	write_file(dir, "page.html", "one {{x}}");
	struct tmpl_set *set = tmpl_load(dir, true);
	assert_non_null(set);
	char *s = render(set, "page", "{\"x\": 1}", NULL);
	assert_string_equal(s, "one 1");
	free(s);

	write_file(dir, "page.html", "two {{x}}!");
	sleep(1);
	s = render(set, "page", "{\"x\": 2}", NULL);
	assert_string_equal(s, "two 2!");
	free(s);

	/* A broken edit keeps the old version. */
	write_file(dir, "page.html", "three {{#x}}");
	sleep(1);
	s = render(set, "page", "{\"x\": 3}", NULL);
	assert_string_equal(s, "two 3!");
	free(s);
	tmpl_free(set);
	remove_tree(dir);
}

static void runaway_render_stops(void **state)
{
	(void)state;
	/* 4^12 iterations that write nothing: stopped by the step limit. */
	const char *text = "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
			   "{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}";
	struct tmpl_set *set = tmpl_compile_string("t", text, strlen(text), NULL, 0);
	assert_non_null(set);
	json_t *model = json_pack("{s:[i,i,i,i]}", "a", 1, 2, 3, 4);
	struct buf b;
	buf_init(&b, NULL, 1 << 16);
	assert_int_equal(tmpl_render(set, "t", model, NULL, &b), STATUS_TOO_LARGE);
	buf_release(&b);
	json_decref(model);
	tmpl_free(set);
}

struct thread_job {
	struct tmpl_set *set;
	const json_t *model;
	const char *want;
	int mismatches;
};

static void *render_many(void *arg)
{
	struct thread_job *job = arg;
	for (int i = 0; i < 200; i++) {
		struct buf b;
		buf_init(&b, NULL, 1 << 20);
		if (tmpl_render(job->set, "t", job->model, NULL, &b) != STATUS_OK ||
		    strcmp(buf_str(&b), job->want) != 0)
			job->mismatches++;
		buf_release(&b);
	}
	return NULL;
}

static void threads_render_the_same(void **state)
{
	(void)state;
	const char *text = "<ul>{{#items}}<li class=\"{{#@first}}first{{/@first}}\">"
			   "<a href=\"/n/{{id}}\">{{@number}}. {{title}}</a> {{body}}</li>"
			   "{{/items}}</ul>{{^items}}none{{/items}}";
	char err[256];
	struct tmpl_set *set = tmpl_compile_string("t", text, strlen(text), err, sizeof(err));
	assert_non_null(set);
	json_t *model = json_object(), *items = json_array();
	for (int i = 0; i < 50; i++) {
		char title[64];
		snprintf(title, sizeof(title), "Tin <%d> “Phường”", i);
		json_t *it = json_pack("{s:i, s:s}", "id", i, "title", title);
		json_object_set_new(it, "body", html_markdown("*x* & y", 7));
		json_array_append_new(items, it);
	}
	json_object_set_new(model, "items", items);

	struct buf b;
	buf_init(&b, NULL, 1 << 20);
	assert_int_equal(tmpl_render(set, "t", model, NULL, &b), STATUS_OK);
	enum { NTHREADS = 8 };
	pthread_t th[NTHREADS];
	struct thread_job jobs[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) {
		jobs[i] = (struct thread_job){ .set = set, .model = model, .want = buf_str(&b) };
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(jobs[i].mismatches, 0);
	}
	assert_non_null(strstr(buf_str(&b), "<li class=\"first\"><a href=\"/n/0\">1. Tin &lt;0&gt;"));
	buf_release(&b);
	json_decref(model);
	tmpl_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_by_default),
		cmocka_unit_test(trusted_html_raw_forged_escaped),
		cmocka_unit_test(sections),
		cmocka_unit_test(url_attributes),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(partials_and_translation),
		cmocka_unit_test(reload_mode),
		cmocka_unit_test(runaway_render_stops),
		cmocka_unit_test(threads_render_the_same),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
