/* dossier_pages.h: dossier pages: intake at the counter, receipt (Mẫu 01), queues, the flow,
 * control sheet (Mẫu 06), public lookup (handlers for the route table) */
#ifndef ONESTOP_DOSSIER_PAGES_H
#define ONESTOP_DOSSIER_PAGES_H

#include "base/status.h"

struct request;

/* back office: these need r->calendar (the dispatcher sets it under /quan-tri/ho-so) */
enum status dossier_admin_queue(struct request *r);
enum status dossier_admin_intake_form(struct request *r);   /* ?thu-tuc=CODE */
enum status dossier_admin_intake(struct request *r);
enum status dossier_admin_show(struct request *r);          /* {code} */
enum status dossier_admin_receipt(struct request *r);       /* {code}: Mẫu 01 */
/* {code}: the receipt's QR (SVG): code, procedure, appointment, signed by the unit's key */
enum status dossier_admin_receipt_qr(struct request *r);
enum status dossier_admin_control(struct request *r);       /* {code}: Mẫu 06 */
enum status dossier_admin_transfer(struct request *r);      /* {code} */
enum status dossier_admin_take(struct request *r);          /* {code} */
enum status dossier_admin_submit(struct request *r);        /* {code} */
enum status dossier_admin_sign(struct request *r);          /* {code} */
enum status dossier_admin_return(struct request *r);        /* {code} */
enum status dossier_admin_withdraw(struct request *r);      /* {code} */
enum status dossier_admin_refuse(struct request *r);        /* {code}: Mẫu 03 */
enum status dossier_admin_spam(struct request *r);          /* {code}: marks a submission spam */
enum status dossier_admin_refusal_print(struct request *r); /* {code}: Mẫu 03 printed */
enum status dossier_admin_extend(struct request *r);        /* {code}: Mẫu 04 */
enum status dossier_admin_apology_print(struct request *r); /* {code}: Mẫu 04 printed */
enum status dossier_admin_supplement_request(struct request *r); /* {code}: Mẫu 02 asked */
enum status dossier_admin_supplement_receive(struct request *r); /* {code}: supplement in */
enum status dossier_admin_supplement_print(struct request *r);   /* {code}: Mẫu 02 */
enum status dossier_admin_stop(struct request *r);          /* {code}: Mẫu 05 */
enum status dossier_admin_stop_print(struct request *r);    /* {code}: Mẫu 05 printed */
enum status dossier_admin_book(struct request *r);          /* ?tu=&den=: Mẫu 07 */
enum status dossier_admin_file(struct request *r);          /* {code}/{id}: an attachment */
/* {code}: who read the dossier and when, for its leader and the admin. */
enum status dossier_admin_access(struct request *r);

/* public */
enum status dossier_page_online_form(struct request *r);    /* {procedure code} */
enum status dossier_page_online_submit(struct request *r);  /* {procedure code} */
enum status dossier_page_lookup(struct request *r);         /* ?ma=CODE&sdt=LAST4 */

#endif
