/* i18n.c: gettext .po parser and msgid lookup (sorted array, binary search) */
#include "html/i18n.h"

#include "base/buf.h"
#include "base/log.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct i18n_entry {
	char *msgid, *msgstr;
};

struct i18n {
	struct i18n_entry *entries;
	size_t n, cap;
};

/* Which string the continuation lines of the .po file append to. */
enum po_field { FIELD_NONE, FIELD_CTXT, FIELD_ID, FIELD_PLURAL, FIELD_STR, FIELD_STR_OTHER };

struct po_parser {
	const char *path;
	int line;
	struct buf ctxt, id, str;
	bool has_id, has_str, fuzzy, next_fuzzy;
	enum po_field field;
	struct i18n *t;
};

void i18n_free(struct i18n *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->entries[i].msgid);
		free(t->entries[i].msgstr);
	}
	free(t->entries);
	free(t);
}

/* Adds the entry being parsed (unless empty, fuzzy or a header) and starts a new one. */
static bool po_finish_entry(struct po_parser *p)
{
	bool keep = p->has_id && p->has_str && !p->fuzzy && p->id.len > 0 && p->str.len > 0;
	if (keep) {
		struct i18n *t = p->t;
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 64;
			struct i18n_entry *e = realloc(t->entries, cap * sizeof(*e));
			if (e == NULL)
				return false;
			t->entries = e;
			t->cap = cap;
		}
		char *id = strdup(buf_str(&p->id));
		char *str = strdup(buf_str(&p->str));
		if (id == NULL || str == NULL) {
			free(id);
			free(str);
			return false;
		}
		t->entries[t->n++] = (struct i18n_entry){ .msgid = id, .msgstr = str };
	}
	buf_clear(&p->ctxt);
	buf_clear(&p->id);
	buf_clear(&p->str);
	p->has_id = p->has_str = false;
	p->fuzzy = false;
	p->field = FIELD_NONE;
	return true;
}

/* Appends the C-style quoted string at s (after blanks) to b; false on a syntax error. */
static bool po_string(struct po_parser *p, const char *s, struct buf *b)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '"') {
		log_error("%s:%d: expected a quoted string", p->path, p->line);
		return false;
	}
	s++;
	for (;;) {
		char c = *s++;
		if (c == '\0' || c == '\n') {
			log_error("%s:%d: unterminated string", p->path, p->line);
			return false;
		}
		if (c == '"')
			break;
		if (c == '\\') {
			char e = *s++;
			switch (e) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'v': c = '\v'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			default:
				log_error("%s:%d: unknown escape '\\%c'", p->path, p->line,
					  e != '\0' ? e : '0');
				return false;
			}
		}
		if (b != NULL)
			buf_putc(b, c);
	}
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (*s != '\0') {
		log_error("%s:%d: text after the string", p->path, p->line);
		return false;
	}
	return true;
}

/* Whether line starts with keyword followed by a blank; *rest points after it. */
static bool po_keyword(const char *line, const char *keyword, const char **rest)
{
	size_t n = strlen(keyword);
	if (strncmp(line, keyword, n) != 0 || (line[n] != ' ' && line[n] != '\t'))
		return false;
	*rest = line + n;
	return true;
}

static bool po_line(struct po_parser *p, const char *line)
{
	const char *rest;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0' || *line == '\n' || (*line == '\r' && line[1] == '\n')) {
		return true;
	}
	if (*line == '#') {
		if (p->has_str && !po_finish_entry(p))
			return false;
		if (line[1] == ',' && strstr(line, "fuzzy") != NULL)
			p->next_fuzzy = true;
		return true;
	}
	if (*line == '"') {
		struct buf *b;
		switch (p->field) {
		case FIELD_CTXT: b = &p->ctxt; break;
		case FIELD_ID: b = &p->id; break;
		case FIELD_STR: b = &p->str; break;
		case FIELD_PLURAL: case FIELD_STR_OTHER: b = NULL; break;
		default:
			log_error("%s:%d: string outside an entry", p->path, p->line);
			return false;
		}
		return po_string(p, line, b);
	}
	if (po_keyword(line, "msgctxt", &rest) || po_keyword(line, "msgid", &rest)) {
		bool is_ctxt = line[3] == 'c';
		if ((p->has_str || (p->has_id && !is_ctxt)) && !po_finish_entry(p))
			return false;
		if (p->has_id) {
			log_error("%s:%d: msgctxt after msgid", p->path, p->line);
			return false;
		}
		p->fuzzy |= p->next_fuzzy;
		p->next_fuzzy = false;
		if (!is_ctxt)
			p->has_id = true;
		p->field = is_ctxt ? FIELD_CTXT : FIELD_ID;
		return po_string(p, rest, is_ctxt ? &p->ctxt : &p->id);
	}
	if (po_keyword(line, "msgid_plural", &rest)) {
		if (!p->has_id) {
			log_error("%s:%d: msgid_plural without msgid", p->path, p->line);
			return false;
		}
		p->field = FIELD_PLURAL;
		return po_string(p, rest, NULL);
	}
	if (po_keyword(line, "msgstr", &rest) || po_keyword(line, "msgstr[0]", &rest)) {
		if (!p->has_id || p->has_str) {
			log_error("%s:%d: msgstr without msgid", p->path, p->line);
			return false;
		}
		p->has_str = true;
		p->field = FIELD_STR;
		return po_string(p, rest, &p->str);
	}
	if (strncmp(line, "msgstr[", 7) == 0) {
		/* Other plural forms are not used. */
		const char *close = strchr(line, ']');
		if (!p->has_str || close == NULL) {
			log_error("%s:%d: bad plural msgstr", p->path, p->line);
			return false;
		}
		p->field = FIELD_STR_OTHER;
		return po_string(p, close + 1, NULL);
	}
	log_error("%s:%d: unknown keyword", p->path, p->line);
	return false;
}

static int entry_cmp(const void *x, const void *y)
{
	const struct i18n_entry *a = x, *b = y;
	return strcmp(a->msgid, b->msgid);
}

struct i18n *i18n_load(const char *po_path)
{
	FILE *f = fopen(po_path, "r");
	if (f == NULL) {
		log_error("cannot open '%s'", po_path);
		return NULL;
	}
	struct po_parser p = { .path = po_path };
	buf_init(&p.ctxt, NULL, 1 << 20);
	buf_init(&p.id, NULL, 1 << 20);
	buf_init(&p.str, NULL, 1 << 20);
	p.t = calloc(1, sizeof(*p.t));
	bool ok = p.t != NULL;
	char *line = NULL;
	size_t cap = 0;
	while (ok && getline(&line, &cap, f) >= 0) {
		p.line++;
		ok = po_line(&p, line);
	}
	if (ok && (p.has_id || p.has_str)) {
		if (!p.has_str) {
			log_error("%s:%d: msgid without msgstr", po_path, p.line);
			ok = false;
		} else {
			ok = po_finish_entry(&p);
		}
	}
	if (ok && (p.ctxt.failed || p.id.failed || p.str.failed)) {
		log_error("%s:%d: string too long", po_path, p.line);
		ok = false;
	}
	free(line);
	fclose(f);
	buf_release(&p.ctxt);
	buf_release(&p.id);
	buf_release(&p.str);
	if (!ok) {
		i18n_free(p.t);
		return NULL;
	}
	struct i18n *t = p.t;
	if (t->n > 0) {
		qsort(t->entries, t->n, sizeof(*t->entries), entry_cmp);
		/* Equal msgids (from different contexts): keep one. */
		size_t w = 1;
		for (size_t r = 1; r < t->n; r++) {
			if (strcmp(t->entries[r].msgid, t->entries[w - 1].msgid) == 0) {
				free(t->entries[r].msgid);
				free(t->entries[r].msgstr);
			} else {
				t->entries[w++] = t->entries[r];
			}
		}
		t->n = w;
	}
	return t;
}

const char *i18n_get(const struct i18n *t, const char *msgid)
{
	if (t == NULL || msgid == NULL || t->n == 0)
		return msgid;
	struct i18n_entry key = { .msgid = (char *)msgid };
	const struct i18n_entry *e = bsearch(&key, t->entries, t->n, sizeof(*t->entries),
					     entry_cmp);
	return e != NULL ? e->msgstr : msgid;
}
