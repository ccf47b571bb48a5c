/* province_pages.h: the province admin's pages: units, their host names, first admins */
#ifndef PROVINCE_PROVINCE_PAGES_H
#define PROVINCE_PROVINCE_PAGES_H

#include "base/status.h"

struct request;

enum status province_units_page(struct request *r);
enum status province_unit_create_post(struct request *r);
enum status province_unit_update_post(struct request *r); /* {unit id} */

#endif
