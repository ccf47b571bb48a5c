/* i18n.h: interface translations from gettext .po files (msgid = Vietnamese source text) */
#ifndef HTML_I18N_H
#define HTML_I18N_H

struct i18n;

/* Loads a .po file (msgid/msgstr pairs, multi-line strings, escapes; fuzzy and
 * empty translations skipped). NULL and a logged error on a syntax error. */
struct i18n *i18n_load(const char *po_path);
void i18n_free(struct i18n *t);
/* The translation of msgid, or msgid itself when t is NULL or has none. */
const char *i18n_get(const struct i18n *t, const char *msgid);

#endif
