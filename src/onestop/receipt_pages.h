/* receipt_pages.h: the public page that checks a receipt's QR payload (route table handler) */
#ifndef ONESTOP_RECEIPT_PAGES_H
#define ONESTOP_RECEIPT_PAGES_H

#include "base/status.h"

struct request;

/* GET /kiem-tra-bien-nhan?p=PAYLOAD: whether the payload is genuine for this unit, its
 * fields, and the unit's public key for offline checks. Reads only. */
enum status receipt_page_check(struct request *r);

#endif
