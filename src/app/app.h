/* app.h: the application: what the server holds while it serves, the route table, the dispatcher */
#ifndef APP_APP_H
#define APP_APP_H

#include "app/config.h"
#include "auth/auth.h"
#include "base/status.h"
#include "mail/mail.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_conn;
struct i18n;
struct request;
struct tmpl_set;

typedef enum status (*route_handler)(struct request *r);

enum route_method { ROUTE_GET, ROUTE_POST };

/* One line of the route table (routes.c). */
struct route {
	enum route_method method;
	const char *pattern;     /* "/bai-viet/{}": {} matches one path segment */
	route_handler handler;
	enum permission permission;
	bool changes_state;      /* CSRF token and same origin required */
	bool shows_form;         /* a visitor gets a CSRF cookie for the form on this page */
	bool cached;             /* a public page the same for every visitor: kept rendered
				  * (page_cache.h) while the unit's content is unchanged */
};

extern const struct route routes[];
extern const size_t routes_count;

/* The route for method and path; params receive the {} segments (in the arena of
 * the caller's choosing: pointers into a copy of path). *method_mismatch tells
 * that the path exists for another method. NULL if none. */
const struct route *route_match(enum route_method method, char *path,
				const char *params[], size_t max_params, bool *method_mismatch);
/* Checks the table at start: every route names a permission, every state change
 * is a POST with CSRF, no two routes take the same method and pattern. Logs and
 * returns false on the first fault. */
bool routes_check(void);
/* Whether the handler of route counts working time (the one-stop dossiers): the dispatcher
 * then gives it the unit's calendar in r->calendar. */
bool route_needs_calendar(const struct route *route);

struct static_file {
	const char *name, *content_type, *etag;
	char *data;
	size_t len;
};

struct app {
	struct config cfg;
	struct mail_settings mail; /* from cfg; smtp_url NULL when mail is not configured */
	struct db *db;
	struct tmpl_set *templates;
	struct i18n *english;
	struct page_cache *pages;
	struct static_file *statics;
	size_t statics_count;
	pthread_t flusher;
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_cond;
	bool stopping;
	int64_t checkpoint_id;   /* the audit row the last checkpoint written vouches for */
	int64_t next_checkpoint; /* when the flusher looks at the audit log's head again */
};

/* Opens the database, loads templates, translations and static files. false and a
 * logged reason if anything is missing or broken. */
bool app_open(struct app *app, const struct config *cfg);
/* Starts the background work (view counts and dossier readings flushed, audit log
 * checkpoints). */
void app_start_background(struct app *app);
/* Stops background work, flushes counters, checkpoints the audit log, closes everything. */
void app_close(struct app *app);
/* The http_dispatch_fn of the server. */
void app_dispatch(struct request *r, void *app);

/* Static files: loaded once from share/static at start. */
bool statics_load(struct app *app);
void statics_free(struct app *app);
enum status statics_serve(struct request *r);

/* The language switch /ngon-ngu/{code}. */
enum status app_language(struct request *r);
/* robots.txt */
enum status app_robots(struct request *r);

/* ---- app_host.c ---- */

/* Sets r's unit and base_url from its Host (checked with http_host_valid): a unit's own
 * name selects it, and its absolute URLs begin with its first name; unit 1 is also
 * reached on base_url's name, a loopback name or no Host, and on any name while it is the
 * only unit; its URLs begin with base_url, else its first name, else the Host asked
 * (base_url_from_host). STATUS_NOT_FOUND for a name nobody configured in a province
 * (more than one unit), STATUS_INVALID for a Host that is no host name. */
enum status app_host_resolve(struct request *r, const struct config *cfg);
/* Whether an Origin header ("https://a.vn") is r's own: its unit's base_url, or the Host
 * r was asked with (resolved by app_host_resolve). */
bool app_origin_ours(const struct request *r, const char *origin);

/* ---- app_store.c ---- */

/* GET /quan-tri/tinh: every unit side by side (province viewer). */
enum status app_province_overview(struct request *r);

/* What the database says of a host name (lower case, no port; "" for none). */
struct app_host {
	int64_t unit_id;        /* the unit that claims the name; 0 when none does */
	const char *unit_name;  /* its name, in the arena */
	const char *first_host; /* the first name of that unit (of unit 1 when none claims the
				   name), in the arena; NULL when it has no name */
	bool province;          /* the database holds a unit besides unit 1 */
};
/* Fills out for host name name, in one query. */
enum status app_host_lookup(struct db_conn *c, struct arena *a, const char *name,
			    struct app_host *out);
/* The content generation of a unit (0 before its first write); see page_cache.h. */
enum status app_page_generation(struct db_conn *c, int64_t unit_id, int64_t *out);
/* Moves the unit's content generation on, after a staff write. */
enum status app_page_generation_bump(struct db_conn *c, int64_t unit_id);
/* The unit with a code (NULL: unit 1) and its name (copied into name, n bytes; n may be
 * 0). STATUS_NOT_FOUND if there is none. For the command line's --unit CODE. */
enum status app_unit_by_code(struct db_conn *c, const char *code, int64_t *unit_id,
			     char *name, size_t n);
/* Makes unit 1 if the database has no unit yet. */
enum status app_ensure_unit(struct db_conn *c, const char *code, const char *name, int64_t now);
/* Whether the unit has an active admin account. */
enum status app_has_admin(struct db_conn *c, int64_t unit_id, bool *out);

#endif
