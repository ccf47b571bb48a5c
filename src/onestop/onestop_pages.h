/* onestop_pages.h: the public procedure catalogue and its back-office pages (handlers for the route table) */
#ifndef ONESTOP_ONESTOP_PAGES_H
#define ONESTOP_ONESTOP_PAGES_H

#include "base/status.h"

#include <jansson.h>

struct onestop_version;
struct request;

/* public (onestop_pages.c) */
enum status onestop_page_list(struct request *r);          /* ?q= &linh-vuc= */
enum status onestop_page_show(struct request *r);          /* {code} */

/* back office (onestop_admin.c) */
enum status onestop_admin_list(struct request *r);
enum status onestop_admin_new(struct request *r);
enum status onestop_admin_create(struct request *r);
enum status onestop_admin_edit(struct request *r);         /* {code} */
enum status onestop_admin_save(struct request *r);         /* {code}: adds a version */
enum status onestop_admin_deactivate(struct request *r);   /* {code} */
enum status onestop_admin_activate(struct request *r);     /* {code} */
enum status onestop_admin_versions(struct request *r);     /* {code} */
enum status onestop_admin_version(struct request *r);      /* {code} {version} */

/* The view model of one version of a procedure, as a citizen reads it (the public page
 * shows the current version; the back office any earlier one). NULL if out of memory. */
json_t *onestop_version_model(struct request *r, const char *code, const struct onestop_version *v);

#endif
