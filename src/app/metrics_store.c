/* metrics_store.c: the SQL of the metrics: dossiers by unit and status */
#include "app/metrics.h"

#include "store/store.h"

enum status app_dossier_counts(struct db_conn *c, int max_rows, app_dossier_count_fn *each,
			       void *ctx)
{
	struct db_stmt *s;
	/* dossier_queue (unit_id, status, due_at) covers the grouping. */
	enum status st = db_prepare(c, "SELECT u.code, d.status, count(*) FROM dossier d"
				       " JOIN unit u ON u.id = d.unit_id"
				       " GROUP BY u.code, d.status ORDER BY u.code, d.status LIMIT ?1",
				    &s);
	if (st)
		return st;
	db_bind_int64(s, 1, max_rows);
	bool has_row;
	while ((st = db_step(s, &has_row)) == STATUS_OK && has_row)
		each(db_column_text(s, 0), db_column_text(s, 1), db_column_int64(s, 2), ctx);
	return st;
}
