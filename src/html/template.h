/* template.h: the auto-escaping template language
 *
 * Syntax (in templates/ *.html, compiled once at start):
 *   {{path}}            value at path (a.b.c; "." is the current value), HTML-escaped;
 *                       a trusted HTML object (html.h) goes out raw. Inside an attribute
 *                       named href, src, action, formaction or poster the value must also
 *                       pass html_url_allowed(), else "#" is written.
 *   {{#path}}..{{/path}}  section: once per element of an array (the element becomes
 *                       the current value), once for a true/non-empty value (an object
 *                       becomes the current value); skipped for false, null, "", 0, [].
 *   {{^path}}..{{/path}}  inverted section: only when the value is falsy as above.
 *   {{>name}}           includes template name (without .html).
 *   {{_ literal text}}  translated interface text (msgid = the Vietnamese text), escaped.
 *   {{~path}}           the string at path, translated, escaped.
 *   {{! comment}}
 * Lookup walks from the innermost context outwards (as mustache does); within a
 * section, "@index" is the 0-based and "@number" the 1-based position, and "@first"/
 * "@last" are booleans. */
#ifndef HTML_TEMPLATE_H
#define HTML_TEMPLATE_H

#include "base/status.h"

#include <jansson.h>
#include <stdbool.h>

struct buf;
struct i18n;
struct tmpl_set;

/* Compiles every *.html (and *.xml, *.txt) file of dir; a broken template logs
 * "file:line: what" and returns NULL. With reload, a render first recompiles
 * any file whose mtime changed (dev mode; keeps the old version on error). */
struct tmpl_set *tmpl_load(const char *dir, bool reload);
/* Frees the set and every template in it. NULL is allowed. */
void tmpl_free(struct tmpl_set *set);
/* Compiles text (n bytes) as a set holding one template called name (its partials
 * can only name itself), for tests and fuzzing. NULL on a syntax error, with
 * "name:line: what" written to err (errlen bytes, may be 0). Free with tmpl_free. */
struct tmpl_set *tmpl_compile_string(const char *name, const char *text, size_t n,
				     char *err, size_t errlen);
/* Whether the set has a template of that name. */
bool tmpl_exists(struct tmpl_set *set, const char *name);
/* Renders template name ("news/article") with model into out; lang translates {{_ }}
 * and {{~ }} (NULL: the Vietnamese source text). STATUS_NOT_FOUND for an unknown name,
 * STATUS_TOO_LARGE if out fills up. Thread-safe. */
enum status tmpl_render(struct tmpl_set *set, const char *name, const json_t *model,
			const struct i18n *lang, struct buf *out);

#endif
