/* template.c: the auto-escaping template language: compiler, loader and renderer */
#include "html/template.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "html/html.h"
#include "html/i18n.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum {
	MAX_SECTION_DEPTH = 64,     /* nesting of sections inside one template */
	MAX_PARTIAL_DEPTH = 16,     /* nesting of partials while rendering */
	MAX_DIR_DEPTH = 16,         /* subfolders of the template folder */
	MAX_FILE_SIZE = 4 << 20,
	MAX_RENDER_STEPS = 4 << 20, /* nodes visited by one render: stops runaway loops */
	TEMPLATE_ARENA_LIMIT = 256 << 20,
};

enum node_kind {
	NODE_TEXT,      /* literal bytes */
	NODE_VAR,       /* {{path}} */
	NODE_SECTION,   /* {{#path}}..{{/path}} */
	NODE_INVERTED,  /* {{^path}}..{{/path}} */
	NODE_PARTIAL,   /* {{>name}} */
	NODE_TRANS,     /* {{_ text}} */
	NODE_TRANS_VAR, /* {{~path}} */
};

enum path_kind { PATH_NAMED, PATH_DOT, PATH_INDEX, PATH_NUMBER, PATH_FIRST, PATH_LAST };

struct path {
	enum path_kind kind;
	const char **segs; /* PATH_NAMED: nsegs names */
	size_t nsegs;
};

struct node {
	enum node_kind kind;
	const char *text; /* NODE_TEXT bytes, NODE_TRANS msgid, NODE_PARTIAL name */
	size_t len;
	struct path path;
	bool in_url;        /* inside an href/src/action/formaction/poster value */
	int line;
	struct node *child; /* section body */
	struct node *next;
};

struct tmpl {
	char *name;  /* "news/article" */
	char *file;  /* full path; NULL when compiled from a string */
	struct arena *arena;
	struct node *root;
	struct timespec mtime;
	off_t size;
};

struct tmpl_set {
	char *dir;            /* NULL for tmpl_compile_string */
	bool reload;
	struct tmpl **items;  /* sorted by name (outside a rescan) */
	size_t n, cap;
	pthread_rwlock_t lock;       /* reload mode: readers render, the writer recompiles */
	_Atomic long long last_check; /* reload mode: time() of the last stat pass */
};

/* ---- compiler ---- */

/* Just enough of the HTML tokenizer to know whether a tag sits in an attribute value. */
enum html_state {
	HS_DATA, HS_TAG_OPEN, HS_TAG_NAME, HS_BEFORE_ATTR, HS_ATTR_NAME, HS_AFTER_ATTR,
	HS_BEFORE_VALUE, HS_VALUE_DQ, HS_VALUE_SQ, HS_VALUE_UQ, HS_MARKUP, HS_COMMENT, HS_BOGUS,
};

struct parser {
	const char *name; /* for messages */
	const char *src;
	size_t n, pos;
	int line;
	struct arena *arena;
	char *err;
	size_t errlen;
	bool failed;
	enum html_state hs;
	char attr[16];
	size_t attr_len;
	int dashes;
};

__attribute__((format(printf, 3, 4)))
static void parse_error(struct parser *p, int line, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (p->err != NULL && p->errlen > 0)
		snprintf(p->err, p->errlen, "%s:%d: %s", p->name, line, what);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void attr_start(struct parser *p)
{
	p->attr_len = 0;
	p->attr[0] = '\0';
}

static void attr_add(struct parser *p, char c)
{
	if (c >= 'A' && c <= 'Z')
		c = (char)(c - 'A' + 'a');
	/* Longer names are no URL attribute: mark them with a byte no name has. */
	if (p->attr_len + 1 < sizeof(p->attr)) {
		p->attr[p->attr_len++] = c;
		p->attr[p->attr_len] = '\0';
	} else {
		p->attr[0] = '\1';
	}
}

/* Advances the HTML state over literal template text. */
static void html_feed(struct parser *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		switch (p->hs) {
		case HS_DATA:
			if (c == '<')
				p->hs = HS_TAG_OPEN;
			break;
		case HS_TAG_OPEN:
			if (is_alpha(c) || c == '/') {
				p->hs = HS_TAG_NAME;
			} else if (c == '!') {
				p->hs = HS_MARKUP;
				p->dashes = 0;
			} else if (c == '?') {
				p->hs = HS_BOGUS;
			} else if (c != '<') {
				p->hs = HS_DATA;
			}
			break;
		case HS_TAG_NAME:
			if (is_space(c) || c == '/')
				p->hs = HS_BEFORE_ATTR;
			else if (c == '>')
				p->hs = HS_DATA;
			break;
		case HS_BEFORE_ATTR:
		case HS_AFTER_ATTR:
			if (c == '>') {
				p->hs = HS_DATA;
			} else if (c == '/') {
				p->hs = HS_BEFORE_ATTR;
			} else if (c == '=' && p->hs == HS_AFTER_ATTR) {
				p->hs = HS_BEFORE_VALUE;
			} else if (!is_space(c)) {
				attr_start(p);
				attr_add(p, c);
				p->hs = HS_ATTR_NAME;
			}
			break;
		case HS_ATTR_NAME:
			if (is_space(c))
				p->hs = HS_AFTER_ATTR;
			else if (c == '=')
				p->hs = HS_BEFORE_VALUE;
			else if (c == '>')
				p->hs = HS_DATA;
			else if (c == '/')
				p->hs = HS_BEFORE_ATTR;
			else
				attr_add(p, c);
			break;
		case HS_BEFORE_VALUE:
			if (c == '"')
				p->hs = HS_VALUE_DQ;
			else if (c == '\'')
				p->hs = HS_VALUE_SQ;
			else if (c == '>')
				p->hs = HS_DATA;
			else if (!is_space(c))
				p->hs = HS_VALUE_UQ;
			break;
		case HS_VALUE_DQ:
			if (c == '"')
				p->hs = HS_BEFORE_ATTR;
			break;
		case HS_VALUE_SQ:
			if (c == '\'')
				p->hs = HS_BEFORE_ATTR;
			break;
		case HS_VALUE_UQ:
			if (is_space(c))
				p->hs = HS_BEFORE_ATTR;
			else if (c == '>')
				p->hs = HS_DATA;
			break;
		case HS_MARKUP:
			/* "<!--" opens a comment; any other "<!" runs to '>'. */
			if (c == '-' && ++p->dashes == 2) {
				p->hs = HS_COMMENT;
				p->dashes = 0;
			} else if (c == '>') {
				p->hs = HS_DATA;
			} else if (c != '-') {
				p->hs = HS_BOGUS;
			}
			break;
		case HS_COMMENT:
			if (c == '>' && p->dashes >= 2)
				p->hs = HS_DATA;
			p->dashes = c == '-' ? p->dashes + 1 : 0;
			break;
		case HS_BOGUS:
			if (c == '>')
				p->hs = HS_DATA;
			break;
		}
	}
}

/* Whether a value written now lands in a URL attribute; a tag right after "=" starts
 * an unquoted value. */
static bool html_in_url(struct parser *p)
{
	if (p->hs == HS_BEFORE_VALUE)
		p->hs = HS_VALUE_UQ;
	if (p->hs != HS_VALUE_DQ && p->hs != HS_VALUE_SQ && p->hs != HS_VALUE_UQ)
		return false;
	static const char *const url_attrs[] = { "href", "src", "action", "formaction", "poster" };
	for (size_t i = 0; i < sizeof(url_attrs) / sizeof(url_attrs[0]); i++)
		if (strcmp(p->attr, url_attrs[i]) == 0)
			return true;
	return false;
}

static bool is_name_char(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Parses a value path ("a.b", ".", "@index"); false (and an error) if malformed. */
static bool parse_path(struct parser *p, const char *s, size_t n, int line, struct path *out)
{
	static const struct { const char *name; enum path_kind kind; } specials[] = {
		{ ".", PATH_DOT }, { "@index", PATH_INDEX }, { "@number", PATH_NUMBER },
		{ "@first", PATH_FIRST }, { "@last", PATH_LAST },
	};
	*out = (struct path){ .kind = PATH_NAMED };
	for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
		if (strlen(specials[i].name) == n && memcmp(s, specials[i].name, n) == 0) {
			out->kind = specials[i].kind;
			return true;
		}
	}
	size_t nsegs = 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			nsegs++;
		} else if (!is_name_char(s[i])) {
			parse_error(p, line, "bad name '%.*s'", (int)n, s);
			return false;
		}
	}
	out->segs = arena_alloc(p->arena, nsegs * sizeof(*out->segs));
	if (out->segs == NULL) {
		parse_error(p, line, "out of memory");
		return false;
	}
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (i == start) {
			parse_error(p, line, "bad name '%.*s'", (int)n, s);
			return false;
		}
		out->segs[out->nsegs++] = arena_strndup(p->arena, s + start, i - start);
		start = i + 1;
	}
	return true;
}

static struct node *new_node(struct parser *p, enum node_kind kind, int line)
{
	struct node *node = arena_zalloc(p->arena, sizeof(*node));
	if (node == NULL) {
		parse_error(p, line, "out of memory");
		return NULL;
	}
	node->kind = kind;
	node->line = line;
	return node;
}

static int count_lines(const char *s, size_t n)
{
	int lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

/* Parses nodes up to the end, or up to {{/close}} when close is not NULL. */
static struct node *parse_nodes(struct parser *p, const char *close, size_t close_len,
				int open_line, int depth)
{
	struct node *head = NULL, **tail = &head;
	for (;;) {
		const char *rest = p->src + p->pos;
		size_t left = p->n - p->pos;
		const char *open = memmem(rest, left, "{{", 2);
		size_t text_len = open != NULL ? (size_t)(open - rest) : left;
		if (text_len > 0) {
			struct node *t = new_node(p, NODE_TEXT, p->line);
			if (t == NULL)
				return NULL;
			t->text = arena_strndup(p->arena, rest, text_len);
			t->len = text_len;
			if (t->text == NULL) {
				parse_error(p, p->line, "out of memory");
				return NULL;
			}
			html_feed(p, rest, text_len);
			p->line += count_lines(rest, text_len);
			*tail = t;
			tail = &t->next;
		}
		p->pos += text_len;
		if (open == NULL) {
			if (close != NULL)
				parse_error(p, open_line, "unclosed section '%.*s'", (int)close_len,
					    close);
			return head;
		}

		int line = p->line;
		const char *body = open + 2;
		const char *end = memmem(body, p->n - (p->pos + 2), "}}", 2);
		if (end == NULL) {
			parse_error(p, line, "unclosed tag");
			return NULL;
		}
		size_t tag_len = (size_t)(end - open) + 2;
		p->line += count_lines(open, tag_len);
		p->pos += tag_len;
		size_t blen = (size_t)(end - body);
		while (blen > 0 && is_space(body[0]))
			body++, blen--;
		while (blen > 0 && is_space(body[blen - 1]))
			blen--;
		if (blen == 0) {
			parse_error(p, line, "empty tag");
			return NULL;
		}
		char sigil = body[0];
		const char *arg = body + 1;
		size_t alen = blen - 1;
		if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '_' ||
		    sigil == '~' || sigil == '!') {
			while (alen > 0 && is_space(arg[0]))
				arg++, alen--;
		} else {
			sigil = 0;
			arg = body;
			alen = blen;
		}
		if (sigil == '!')
			continue;
		if (alen == 0) {
			parse_error(p, line, "empty tag");
			return NULL;
		}
		if (sigil == '/') {
			if (close == NULL) {
				parse_error(p, line, "'{{/%.*s}}' closes no section", (int)alen, arg);
				return NULL;
			}
			if (alen != close_len || memcmp(arg, close, alen) != 0) {
				parse_error(p, line, "section '%.*s' (line %d) closed by '%.*s'",
					    (int)close_len, close, open_line, (int)alen, arg);
				return NULL;
			}
			return head;
		}

		struct node *node;
		switch (sigil) {
		case '#':
		case '^':
			if (depth >= MAX_SECTION_DEPTH) {
				parse_error(p, line, "sections nested too deep");
				return NULL;
			}
			node = new_node(p, sigil == '#' ? NODE_SECTION : NODE_INVERTED, line);
			if (node == NULL || !parse_path(p, arg, alen, line, &node->path))
				return NULL;
			node->child = parse_nodes(p, arg, alen, line, depth + 1);
			if (p->failed)
				return NULL;
			break;
		case '>':
			for (size_t i = 0; i < alen; i++) {
				if (!is_name_char(arg[i]) && arg[i] != '/') {
					parse_error(p, line, "bad partial name '%.*s'", (int)alen, arg);
					return NULL;
				}
			}
			node = new_node(p, NODE_PARTIAL, line);
			if (node == NULL)
				return NULL;
			node->text = arena_strndup(p->arena, arg, alen);
			node->len = alen;
			break;
		case '_':
			node = new_node(p, NODE_TRANS, line);
			if (node == NULL)
				return NULL;
			node->text = arena_strndup(p->arena, arg, alen);
			node->len = alen;
			break;
		default: /* a value, plain or translated */
			if (arg[0] == '{') {
				parse_error(p, line, "no raw output: '{{{' is not template syntax");
				return NULL;
			}
			node = new_node(p, sigil == '~' ? NODE_TRANS_VAR : NODE_VAR, line);
			if (node == NULL || !parse_path(p, arg, alen, line, &node->path))
				return NULL;
			node->in_url = html_in_url(p);
			break;
		}
		if (node->kind != NODE_SECTION && node->kind != NODE_INVERTED &&
		    node->kind != NODE_VAR && node->kind != NODE_TRANS_VAR && node->text == NULL) {
			parse_error(p, line, "out of memory");
			return NULL;
		}
		*tail = node;
		tail = &node->next;
	}
}

static void tmpl_destroy(struct tmpl *t)
{
	if (t == NULL)
		return;
	arena_free(t->arena);
	free(t->name);
	free(t->file);
	free(t);
}

/* Compiles one template; label names it in error messages ("file:line: what"). */
static struct tmpl *tmpl_compile(const char *name, const char *label, const char *text,
				 size_t n, char *err, size_t errlen)
{
	struct tmpl *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->name = strdup(name);
	t->arena = arena_new(TEMPLATE_ARENA_LIMIT);
	if (t->name == NULL || t->arena == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: out of memory", label);
		tmpl_destroy(t);
		return NULL;
	}
	struct parser p = { .name = label, .src = text, .n = n, .line = 1, .arena = t->arena,
			    .err = err, .errlen = errlen, .hs = HS_DATA };
	t->root = parse_nodes(&p, NULL, 0, 0, 0);
	if (p.failed) {
		tmpl_destroy(t);
		return NULL;
	}
	return t;
}

/* ---- the set ---- */

static int tmpl_cmp(const void *x, const void *y)
{
	const struct tmpl *const *a = x, *const *b = y;
	return strcmp((*a)->name, (*b)->name);
}

static struct tmpl *set_find(const struct tmpl_set *set, const char *name)
{
	struct tmpl key = { .name = (char *)name };
	struct tmpl *kp = &key;
	struct tmpl **found = bsearch(&kp, set->items, set->n, sizeof(*set->items), tmpl_cmp);
	return found != NULL ? *found : NULL;
}

static struct tmpl *set_find_linear(const struct tmpl_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->items[i]->name, name) == 0)
			return set->items[i];
	return NULL;
}

static bool set_add(struct tmpl_set *set, struct tmpl *t)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 32;
		struct tmpl **items = realloc(set->items, cap * sizeof(*items));
		if (items == NULL)
			return false;
		set->items = items;
		set->cap = cap;
	}
	set->items[set->n++] = t;
	return true;
}

static struct tmpl_set *set_new(const char *dir, bool reload)
{
	struct tmpl_set *set = calloc(1, sizeof(*set));
	if (set == NULL)
		return NULL;
	set->reload = reload;
	atomic_init(&set->last_check, (long long)time(NULL));
	if (pthread_rwlock_init(&set->lock, NULL) != 0) {
		free(set);
		return NULL;
	}
	if (dir != NULL) {
		set->dir = strdup(dir);
		if (set->dir == NULL) {
			tmpl_free(set);
			return NULL;
		}
	}
	return set;
}

void tmpl_free(struct tmpl_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_destroy(set->items[i]);
	free(set->items);
	free(set->dir);
	pthread_rwlock_destroy(&set->lock);
	free(set);
}

struct tmpl_set *tmpl_compile_string(const char *name, const char *text, size_t n,
				     char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (name == NULL || text == NULL)
		return NULL;
	struct tmpl_set *set = set_new(NULL, false);
	if (set == NULL)
		return NULL;
	struct tmpl *t = tmpl_compile(name, name, text, n, err, errlen);
	if (t == NULL || !set_add(set, t)) {
		tmpl_destroy(t);
		tmpl_free(set);
		return NULL;
	}
	return set;
}

/* Reads a whole file; NULL (and a log line) on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		log_error("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	struct buf b;
	buf_init(&b, NULL, MAX_FILE_SIZE);
	char chunk[8192];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (!buf_append(&b, chunk, got))
			break;
	bool bad = ferror(f) || b.failed;
	fclose(f);
	if (bad) {
		log_error("cannot read '%s'", path);
		buf_release(&b);
		return NULL;
	}
	*len = b.len;
	if (b.data == NULL)
		return calloc(1, 1);
	return b.data;
}

/* The template name of a file name, or false if it is not a template. */
static bool template_name(const char *rel, const char *file, char *name, size_t cap)
{
	static const char *const exts[] = { ".html", ".xml", ".txt" };
	size_t n = strlen(file);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t e = strlen(exts[i]);
		if (n > e && strcmp(file + n - e, exts[i]) == 0) {
			int w = snprintf(name, cap, "%s%.*s", rel, (int)(n - e), file);
			return w > 0 && (size_t)w < cap;
		}
	}
	return false;
}

static bool same_mtime(const struct tmpl *t, const struct stat *st)
{
	return t->mtime.tv_sec == st->st_mtim.tv_sec && t->mtime.tv_nsec == st->st_mtim.tv_nsec &&
	       t->size == st->st_size;
}

/* Compiles the templates of dir/rel (rel is "" or ends with '/'), recursively. When
 * reloading, only new or changed files are compiled and errors keep the old version. */
static bool scan_dir(struct tmpl_set *set, const char *rel, int depth, bool reloading)
{
	if (depth > MAX_DIR_DEPTH) {
		log_error("template folders nested too deep at '%s%s'", set->dir, rel);
		return false;
	}
	/* On the heap: this may run on a server thread with a small stack. */
	char *file = malloc(PATH_MAX), *name = malloc(PATH_MAX);
	DIR *d = NULL;
	int w = file != NULL ? snprintf(file, PATH_MAX, "%s/%s", set->dir, rel) : -1;
	if (w > 0 && w < PATH_MAX)
		d = opendir(file);
	if (d == NULL || name == NULL) {
		log_error("cannot open template folder '%s/%s': %s", set->dir, rel,
			  strerror(errno));
		if (d != NULL)
			closedir(d);
		free(file);
		free(name);
		return false;
	}
	bool ok = true;
	struct dirent *de;
	while (ok && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		w = snprintf(file, PATH_MAX, "%s/%s%s", set->dir, rel, de->d_name);
		if (w < 0 || w >= PATH_MAX)
			continue;
		struct stat st;
		if (stat(file, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			w = snprintf(name, PATH_MAX, "%s%s/", rel, de->d_name);
			if (w > 0 && w < PATH_MAX)
				ok = scan_dir(set, name, depth + 1, reloading);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !template_name(rel, de->d_name, name, PATH_MAX))
			continue;
		struct tmpl *old = set_find_linear(set, name);
		if (old != NULL && strcmp(old->file, file) != 0) {
			if (!reloading) {
				log_error("%s: template name '%s' also used by '%s'", file, name,
					  old->file);
				ok = false;
			}
			continue;
		}
		if (old != NULL && same_mtime(old, &st))
			continue;
		size_t len;
		char *text = read_file(file, &len);
		char err[512];
		struct tmpl *t = text != NULL ?
				 tmpl_compile(name, file, text, len, err, sizeof(err)) : NULL;
		free(text);
		if (t == NULL) {
			if (text != NULL)
				log_error("%s", err);
			if (!reloading)
				ok = false;
			continue;
		}
		t->file = strdup(file);
		t->mtime = st.st_mtim;
		t->size = st.st_size;
		if (t->file == NULL) {
			tmpl_destroy(t);
			ok = false;
			continue;
		}
		if (old != NULL) {
			for (size_t i = 0; i < set->n; i++)
				if (set->items[i] == old)
					set->items[i] = t;
			tmpl_destroy(old);
			if (reloading)
				log_info("template '%s' reloaded", name);
		} else if (!set_add(set, t)) {
			tmpl_destroy(t);
			ok = false;
		}
	}
	closedir(d);
	free(file);
	free(name);
	return ok;
}

/* Whether every partial the nodes include exists; logs each that does not. */
static bool check_partials(const struct tmpl_set *set, const struct tmpl *t,
			   const struct node *node)
{
	bool ok = true;
	for (; node != NULL; node = node->next) {
		if (node->kind == NODE_PARTIAL && set_find(set, node->text) == NULL) {
			log_error("%s:%d: unknown partial '%s'", t->file, node->line, node->text);
			ok = false;
		}
		if (node->child != NULL && !check_partials(set, t, node->child))
			ok = false;
	}
	return ok;
}

struct tmpl_set *tmpl_load(const char *dir, bool reload)
{
	struct tmpl_set *set = set_new(dir, reload);
	if (set == NULL)
		return NULL;
	bool ok = scan_dir(set, "", 0, false);
	if (ok) {
		qsort(set->items, set->n, sizeof(*set->items), tmpl_cmp);
		for (size_t i = 0; i < set->n; i++)
			if (!check_partials(set, set->items[i], set->items[i]->root))
				ok = false;
	}
	if (!ok) {
		tmpl_free(set);
		return NULL;
	}
	return set;
}

/* Reload mode: at most once a second, recompiles changed and new files. */
static void maybe_reload(struct tmpl_set *set)
{
	long long now = (long long)time(NULL);
	long long last = atomic_load(&set->last_check);
	if (now == last || !atomic_compare_exchange_strong(&set->last_check, &last, now))
		return;
	pthread_rwlock_wrlock(&set->lock);
	scan_dir(set, "", 0, true);
	qsort(set->items, set->n, sizeof(*set->items), tmpl_cmp);
	pthread_rwlock_unlock(&set->lock);
}

bool tmpl_exists(struct tmpl_set *set, const char *name)
{
	if (set == NULL || name == NULL)
		return false;
	if (set->reload) {
		maybe_reload(set);
		pthread_rwlock_rdlock(&set->lock);
	}
	bool found = set_find(set, name) != NULL;
	if (set->reload)
		pthread_rwlock_unlock(&set->lock);
	return found;
}

/* ---- renderer ---- */

/* One level of the context stack; it lives on the C stack of the render. */
struct frame {
	const json_t *value;
	const struct frame *parent;
	size_t index, count;
	bool is_item; /* an element of an array section: @index and friends apply */
};

/* A looked-up value: JSON from the model, or a loop counter or flag. */
struct val {
	enum { VAL_NONE, VAL_JSON, VAL_INT, VAL_BOOL } kind;
	const json_t *json;
	long long num;
};

struct render {
	const struct tmpl_set *set;
	const struct i18n *lang;
	struct buf *out;
	int partial_depth;
	size_t steps;
	enum status st;
};

static struct val lookup(const struct path *path, const struct frame *f)
{
	struct val v = { .kind = VAL_NONE };
	if (path->kind == PATH_DOT) {
		if (f != NULL && f->value != NULL)
			v = (struct val){ .kind = VAL_JSON, .json = f->value };
		return v;
	}
	if (path->kind != PATH_NAMED) {
		while (f != NULL && !f->is_item)
			f = f->parent;
		if (f == NULL)
			return v;
		switch (path->kind) {
		case PATH_INDEX: return (struct val){ .kind = VAL_INT, .num = (long long)f->index };
		case PATH_NUMBER: return (struct val){ .kind = VAL_INT, .num = (long long)f->index + 1 };
		case PATH_FIRST: return (struct val){ .kind = VAL_BOOL, .num = f->index == 0 };
		default: return (struct val){ .kind = VAL_BOOL, .num = f->index + 1 == f->count };
		}
	}
	const json_t *j = NULL;
	for (; f != NULL && j == NULL; f = f->parent)
		if (json_is_object(f->value))
			j = json_object_get(f->value, path->segs[0]);
	for (size_t i = 1; i < path->nsegs && j != NULL; i++)
		j = json_is_object(j) ? json_object_get(j, path->segs[i]) : NULL;
	if (j != NULL)
		v = (struct val){ .kind = VAL_JSON, .json = j };
	return v;
}

static bool truthy(struct val v)
{
	switch (v.kind) {
	case VAL_NONE: return false;
	case VAL_INT: case VAL_BOOL: return v.num != 0;
	case VAL_JSON: break;
	}
	const json_t *j = v.json;
	switch (json_typeof(j)) {
	case JSON_OBJECT: return true;
	case JSON_ARRAY: return json_array_size(j) > 0;
	case JSON_STRING: return json_string_length(j) > 0;
	case JSON_INTEGER: return json_integer_value(j) != 0;
	case JSON_REAL: return json_real_value(j) != 0.0;
	case JSON_TRUE: return true;
	default: return false;
	}
}

/* Shortest fixed-point decimal that reads back as x (%.17g if none does). */
static void format_real(double x, char *out, size_t cap)
{
	for (int prec = 0; prec <= 17; prec++) {
		snprintf(out, cap, "%.*f", prec, x);
		if (strtod(out, NULL) == x)
			return;
	}
	snprintf(out, cap, "%.17g", x);
}

/* The text of a scalar value; NULL for null/false/objects/arrays/none. */
static const char *val_text(struct val v, char *num, size_t cap, size_t *len)
{
	const char *s = NULL;
	switch (v.kind) {
	case VAL_NONE:
		return NULL;
	case VAL_INT:
		snprintf(num, cap, "%lld", v.num);
		s = num;
		break;
	case VAL_BOOL:
		s = v.num ? "true" : NULL;
		break;
	case VAL_JSON:
		switch (json_typeof(v.json)) {
		case JSON_STRING:
			*len = json_string_length(v.json);
			return json_string_value(v.json);
		case JSON_INTEGER:
			snprintf(num, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v.json));
			s = num;
			break;
		case JSON_REAL:
			format_real(json_real_value(v.json), num, cap);
			s = num;
			break;
		case JSON_TRUE:
			s = "true";
			break;
		default:
			return NULL;
		}
		break;
	}
	if (s != NULL)
		*len = strlen(s);
	return s;
}

/* Not inlined: keeps its number buffer off the recursion of render_nodes. */
__attribute__((noinline))
static void render_value(struct render *r, const struct node *node, struct val v)
{
	if (v.kind == VAL_JSON && json_is_object(v.json)) {
		size_t len;
		const char *html = html_trusted_get(v.json, &len);
		if (html != NULL) {
			if (node->in_url)
				buf_putc(r->out, '#');
			else
				buf_append(r->out, html, len);
		}
		return;
	}
	char num[512];
	size_t len = 0;
	const char *s = val_text(v, num, sizeof(num), &len);
	if (s == NULL)
		return;
	if (node->kind == NODE_TRANS_VAR && v.kind == VAL_JSON && json_is_string(v.json)) {
		s = i18n_get(r->lang, s);
		len = strlen(s);
	}
	if (node->in_url && (memchr(s, '\0', len) != NULL || !html_url_allowed(s))) {
		buf_putc(r->out, '#');
		return;
	}
	html_escape(r->out, s, len);
}

static void render_nodes(struct render *r, const struct node *node, const struct frame *f);

static void render_section(struct render *r, const struct node *node, const struct frame *f)
{
	struct val v = lookup(&node->path, f);
	if (node->kind == NODE_INVERTED) {
		if (!truthy(v))
			render_nodes(r, node->child, f);
		return;
	}
	if (!truthy(v))
		return;
	if (v.kind != VAL_JSON || json_is_true(v.json)) {
		render_nodes(r, node->child, f);
	} else if (json_is_array(v.json)) {
		size_t n = json_array_size(v.json);
		for (size_t i = 0; i < n && r->st == STATUS_OK && !r->out->failed; i++) {
			struct frame item = { .value = json_array_get(v.json, i), .parent = f,
					      .index = i, .count = n, .is_item = true };
			render_nodes(r, node->child, &item);
		}
	} else {
		struct frame inner = { .value = v.json, .parent = f };
		render_nodes(r, node->child, &inner);
	}
}

static void render_partial(struct render *r, const struct node *node, const struct frame *f)
{
	if (r->partial_depth >= MAX_PARTIAL_DEPTH) {
		log_error("template partials nested too deep at '%s'", node->text);
		r->st = STATUS_INTERNAL;
		return;
	}
	const struct tmpl *t = set_find(r->set, node->text);
	if (t == NULL) {
		log_error("unknown template partial '%s'", node->text);
		r->st = STATUS_INTERNAL;
		return;
	}
	r->partial_depth++;
	render_nodes(r, t->root, f);
	r->partial_depth--;
}

static void render_nodes(struct render *r, const struct node *node, const struct frame *f)
{
	for (; node != NULL && r->st == STATUS_OK && !r->out->failed; node = node->next) {
		if (++r->steps > MAX_RENDER_STEPS) {
			log_error("template render stopped after %d steps", MAX_RENDER_STEPS);
			r->st = STATUS_TOO_LARGE;
			return;
		}
		switch (node->kind) {
		case NODE_TEXT:
			buf_append(r->out, node->text, node->len);
			break;
		case NODE_VAR:
		case NODE_TRANS_VAR:
			render_value(r, node, lookup(&node->path, f));
			break;
		case NODE_SECTION:
		case NODE_INVERTED:
			render_section(r, node, f);
			break;
		case NODE_PARTIAL:
			render_partial(r, node, f);
			break;
		case NODE_TRANS: {
			const char *s = i18n_get(r->lang, node->text);
			html_escape(r->out, s, strlen(s));
			break;
		}
		}
	}
}

enum status tmpl_render(struct tmpl_set *set, const char *name, const json_t *model,
			const struct i18n *lang, struct buf *out)
{
	if (set == NULL || name == NULL)
		return STATUS_NOT_FOUND;
	if (set->reload) {
		maybe_reload(set);
		pthread_rwlock_rdlock(&set->lock);
	}
	struct render r = { .set = set, .lang = lang, .out = out, .st = STATUS_OK };
	const struct tmpl *t = set_find(set, name);
	if (t == NULL) {
		r.st = STATUS_NOT_FOUND;
	} else {
		struct frame root = { .value = model };
		render_nodes(&r, t->root, &root);
	}
	if (set->reload)
		pthread_rwlock_unlock(&set->lock);
	if (r.st == STATUS_OK && out->failed)
		r.st = STATUS_TOO_LARGE;
	return r.st;
}
