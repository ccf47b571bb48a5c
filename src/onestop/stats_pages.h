/* stats_pages.h: the one-stop statistics for staff (page, CSV, XLSX) and the public promise
 * board (route table handlers) */
#ifndef ONESTOP_STATS_PAGES_H
#define ONESTOP_STATS_PAGES_H

#include "base/status.h"

struct request;

/* GET /quan-tri/thong-ke?thang=YYYY-MM (default: this month): the month's tables by
 * procedure, field and officer, the total and the 12-month trend chart. */
enum status stats_admin_page(struct request *r);
/* GET /quan-tri/thong-ke.csv?thang=...: the same tables as one CSV (UTF-8 with BOM). */
enum status stats_admin_csv(struct request *r);
/* GET /quan-tri/thong-ke.xlsx?thang=...: a workbook, one sheet per table and the trend. */
enum status stats_admin_xlsx(struct request *r);
/* GET /cam-ket-phuc-vu: the public promise board: on-time rates per procedure for six
 * months, the overdue dossiers with a letter of apology (codes only), satisfaction. */
enum status stats_page_board(struct request *r);

#endif
