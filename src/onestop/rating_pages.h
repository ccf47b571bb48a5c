/* rating_pages.h: the citizen's satisfaction rating of a returned dossier (public form) and
 * the staff's reading of ratings (handlers for the route table, and two pieces the dossier
 * pages add to their models) */
#ifndef ONESTOP_RATING_PAGES_H
#define ONESTOP_RATING_PAGES_H

#include "base/status.h"

#include <jansson.h>
#include <stdint.h>

struct dossier;
struct request;

/* public: ?ma=CODE&sdt=LAST4 (both optional): the form; a staff session is refused */
enum status rating_page_form(struct request *r);
/* public POST: ma, sdt, overall, c1..c12, comment; a staff session is refused (403) */
enum status rating_page_submit(struct request *r);
/* staff: ?thang=YYYY-MM (default the current month): counts and the list of ratings */
enum status rating_admin_list(struct request *r);

/* Sets "rate_url" in the lookup's dossier model `found` when d was returned and is not yet
 * rated (last4: the digits the visitor proved, carried to the form). */
enum status rating_add_offer(struct request *r, json_t *found, const struct dossier *d,
			     const char *last4);
/* Sets "rating" in the staff's dossier model when the dossier has been rated: read only. */
enum status rating_add_to_dossier(struct request *r, json_t *model, int64_t dossier_id);

#endif
