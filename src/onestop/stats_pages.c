/* stats_pages.c: the one-stop statistics for staff (page, CSV, XLSX) and the public
 * promise board */
#include "onestop/stats_pages.h"

#include "auth/auth.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "html/chart.h"
#include "html/i18n.h"
#include "http/request.h"
#include "onestop/rating.h"
#include "onestop/stats.h"
#include "worktime/clock.h"

#include <xlsxwriter.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { STATS_XLSX_MAX = 16 * 1024 * 1024 };

/* The month asked for by ?thang=YYYY-MM (this month when absent); false after answering
 * 400 with the reason. */
static bool month_of_request(struct request *r, struct stats_period *p)
{
	const char *s = request_query(r, "thang");
	if (s == NULL || s[0] == '\0') {
		*p = stats_period_of(r->now);
		return true;
	}
	if (strlen(s) <= 7 && stats_period_parse(s, p))
		return true;
	r->status = 400;
	request_view(r, "error", json_pack("{s:s, s:i, s:s, s:s}", "page_title",
		"Không thực hiện được", "status", 400, "message",
		"Tháng không hợp lệ.", "detail",
		"Hãy chọn tháng theo dạng NĂM-THÁNG, ví dụ 2026-11 (từ năm 2000 đến 2099)."));
	return false;
}

static json_t *counts_json(const struct stats_counts *c)
{
	char rate[16];
	int64_t finished = stats_finished(c);
	stats_rate_text(c->on_time, finished, rate);
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s}",
		"received", (json_int_t)c->received,
		"counter", (json_int_t)(c->received - c->received_online),
		"online", (json_int_t)c->received_online, "finished", (json_int_t)finished,
		"on_time", (json_int_t)c->on_time, "late", (json_int_t)c->late,
		"open", (json_int_t)(c->open_in_time + c->open_overdue),
		"open_in_time", (json_int_t)c->open_in_time,
		"open_overdue", (json_int_t)c->open_overdue,
		"closed_other", (json_int_t)c->closed_other, "rate", rate);
}

static json_t *table_json(const struct request *r, const char *id, const char *title,
			  const char *column, const struct stats_row *rows, size_t n,
			  const struct stats_counts *total)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *row = counts_json(&rows[i].c);
		/* Names are the unit's data; only the words the program puts in are translated. */
		const char *name = rows[i].name;
		if (name == stats_no_officer)
			name = i18n_get(r->i18n, name);
		else if (name[0] == '\0')
			name = i18n_get(r->i18n, "(không tên)");
		json_object_set_new(row, "name", json_string(name));
		json_array_append_new(list, row);
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", id, "title", i18n_get(r->i18n, title),
			 "column", i18n_get(r->i18n, column), "rows", list, "total", counts_json(total));
}

static const struct {
	const char *id, *title, *column, *sheet;
} tables[] = {
	{ "theo-thu-tuc", "Theo thủ tục", "Thủ tục", "Theo thủ tục" },
	{ "theo-linh-vuc", "Theo lĩnh vực", "Lĩnh vực", "Theo lĩnh vực" },
	{ "theo-can-bo", "Theo cán bộ xử lý", "Cán bộ xử lý", "Theo cán bộ" },
};

static void table_rows(const struct stats_report *rep, size_t t, const struct stats_row **rows,
		       size_t *n)
{
	if (t == 0) {
		*rows = rep->by_procedure;
		*n = rep->procedure_count;
	} else if (t == 1) {
		*rows = rep->by_field;
		*n = rep->field_count;
	} else {
		*rows = rep->by_officer;
		*n = rep->officer_count;
	}
}

static enum status load_report(struct request *r, struct stats_report *rep)
{
	struct stats_period p;
	if (!month_of_request(r, &p))
		return STATUS_OK;
	enum status st = stats_report_load(r->db, r->arena, r->unit_id, &p, r->now, rep);
	if (st == STATUS_OK)
		rep->period = p;
	return st;
}

/* "Tháng 11/2026" in the request's language, into out[48]. */
static void month_words(const struct request *r, const struct stats_period *p, char out[48])
{
	snprintf(out, 48, "%s %d/%04d", i18n_get(r->i18n, "Tháng"), p->month, p->year);
}

/* The trend as a chart in the request's language: dossiers received (bars) and the
 * on-time rate (the line; no point for a month that finished nothing). */
static json_t *trend_chart(const struct request *r, const struct stats_report *rep)
{
	const struct i18n *t = r->i18n;
	struct html_chart_slot slots[STATS_TREND_MONTHS];
	char labels[STATS_TREND_MONTHS][8], rates[STATS_TREND_MONTHS][16], month[48];
	struct buf desc;
	buf_init(&desc, r->arena, 16 * 1024);
	for (int i = 0; i < STATS_TREND_MONTHS; i++) {
		const struct stats_month_point *pt = &rep->trend[i];
		int rate = stats_rate(pt->on_time, pt->finished);
		stats_period_short(&pt->period, labels[i]);
		stats_rate_text(pt->on_time, pt->finished, rates[i]);
		slots[i] = (struct html_chart_slot){ .label = labels[i], .bar = pt->received,
			.line_permille = rate == STATS_RATE_NONE ? HTML_CHART_NO_POINT : rate,
			.line_text = rates[i] };
		month_words(r, &pt->period, month);
		buf_printf(&desc, "%s: %lld %s, %s %s. ", month, (long long)pt->received,
			   i18n_get(t, "hồ sơ tiếp nhận"), i18n_get(t, "tỷ lệ đúng hạn"), rates[i]);
	}
	month_words(r, &rep->period, month);
	struct html_chart chart = {
		.title = arena_printf(r->arena, "%s %s", i18n_get(t, "Hồ sơ tiếp nhận và tỷ lệ"
			" giải quyết đúng hạn, 12 tháng đến"), month),
		.description = buf_str(&desc),
		.bar_name = i18n_get(t, "Hồ sơ tiếp nhận"),
		.line_name = i18n_get(t, "Tỷ lệ giải quyết đúng hạn"),
		.bar_axis = i18n_get(t, "Hồ sơ tiếp nhận"),
		.line_axis = i18n_get(t, "Tỷ lệ đúng hạn"),
		.slots = slots,
		.count = STATS_TREND_MONTHS,
	};
	if (chart.title == NULL || desc.failed)
		return NULL;
	return html_chart_bars_and_line(&chart);
}

enum status stats_admin_page(struct request *r)
{
	struct stats_report rep = { 0 };
	enum status st = load_report(r, &rep);
	if (st || r->status == 400)
		return st;
	char key[8], label[48], prev[8], next[8];
	stats_period_key(&rep.period, key);
	month_words(r, &rep.period, label);
	struct stats_period before = stats_period_shift(&rep.period, -1);
	struct stats_period after = stats_period_shift(&rep.period, 1);
	stats_period_key(&before, prev);
	stats_period_key(&after, next);
	json_t *list = json_array();
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		const struct stats_row *rows;
		size_t n;
		table_rows(&rep, t, &rows, &n);
		json_array_append_new(list, table_json(r, tables[t].id, tables[t].title,
						       tables[t].column, rows, n, &rep.total));
	}
	json_t *trend = json_array();
	for (int i = 0; i < STATS_TREND_MONTHS; i++) {
		const struct stats_month_point *pt = &rep.trend[i];
		char month[48], rate[16];
		month_words(r, &pt->period, month);
		stats_rate_text(pt->on_time, pt->finished, rate);
		json_array_append_new(trend, json_pack("{s:s, s:I, s:I, s:I, s:s}", "label", month,
			"received", (json_int_t)pt->received, "finished", (json_int_t)pt->finished,
			"on_time", (json_int_t)pt->on_time, "rate", rate));
	}
	json_t *chart = trend_chart(r, &rep);
	if (chart == NULL) {
		json_decref(list);
		json_decref(trend);
		return STATUS_TOO_LARGE;
	}
	int64_t rated = rep.ratings[1] + rep.ratings[2] + rep.ratings[3];
	request_view(r, "onestop/stats", json_pack(
		"{s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I}}",
		"page_title", arena_printf(r->arena, "%s %s", i18n_get(r->i18n, "Thống kê hồ sơ"),
					   label),
		"month", key, "month_label", label, "prev", prev,
		"next", after.start <= r->now ? next : NULL,
		"tables", list, "total", counts_json(&rep.total), "trend", trend,
		"chart", chart,
		"ratings", "very_satisfied", (json_int_t)rep.ratings[3],
		"satisfied", (json_int_t)rep.ratings[2], "unsatisfied", (json_int_t)rep.ratings[1],
		"total", (json_int_t)rated));
	return STATUS_OK;
}

/* ---- CSV ---- */

static void csv_counts(struct buf *b, const char *group, const char *name,
		       const struct stats_counts *c)
{
	char rate[16];
	int64_t finished = stats_finished(c);
	stats_rate_text(c->on_time, finished, rate);
	stats_csv_cell(b, group);
	buf_putc(b, ',');
	stats_csv_cell(b, name);
	buf_printf(b, ",%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,", (long long)c->received,
		   (long long)(c->received - c->received_online), (long long)c->received_online,
		   (long long)finished, (long long)c->on_time, (long long)c->late,
		   (long long)c->open_in_time, (long long)c->open_overdue,
		   (long long)c->closed_other);
	stats_csv_cell(b, rate);
	buf_lit(b, "\r\n");
}

static const char *const COLUMNS[] = {
	"Tiếp nhận", "Trực tiếp", "Trực tuyến", "Đã giải quyết", "Đúng hạn", "Quá hạn",
	"Đang giải quyết trong hạn", "Đang giải quyết quá hạn", "Từ chối, rút, dừng",
	"Tỷ lệ đúng hạn",
};

enum status stats_admin_csv(struct request *r)
{
	struct stats_report rep = { 0 };
	enum status st = load_report(r, &rep);
	if (st || r->status == 400)
		return st;
	char key[8];
	stats_period_key(&rep.period, key);
	struct buf *b = &r->body;
	buf_lit(b, "\xEF\xBB\xBF" "Nhóm,Tên");
	for (size_t i = 0; i < sizeof COLUMNS / sizeof COLUMNS[0]; i++) {
		buf_putc(b, ',');
		stats_csv_cell(b, COLUMNS[i]);
	}
	buf_lit(b, "\r\n");
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		const struct stats_row *rows;
		size_t n;
		table_rows(&rep, t, &rows, &n);
		for (size_t i = 0; i < n; i++)
			csv_counts(b, tables[t].column, rows[i].name, &rows[i].c);
	}
	csv_counts(b, "Tổng cộng", key, &rep.total);
	for (int i = 0; i < STATS_TREND_MONTHS; i++) {
		const struct stats_month_point *pt = &rep.trend[i];
		char month[8], rate[16];
		stats_period_key(&pt->period, month);
		stats_rate_text(pt->on_time, pt->finished, rate);
		buf_printf(b, "Xu hướng,%s,%lld,,,%lld,%lld,%lld,,,,", month, (long long)pt->received,
			   (long long)pt->finished, (long long)pt->on_time,
			   (long long)(pt->finished - pt->on_time));
		stats_csv_cell(b, rate);
		buf_lit(b, "\r\n");
	}
	r->content_type = "text/csv; charset=utf-8";
	r->has_raw_body = true;
	request_add_header(r, "Content-Disposition", arena_printf(r->arena,
		"attachment; filename=\"thong-ke-%s.csv\"", key));
	return b->failed ? STATUS_TOO_LARGE : STATUS_OK;
}

/* ---- XLSX ---- */

static void sheet_header(lxw_worksheet *ws, const char *first, lxw_format *bold)
{
	worksheet_write_string(ws, 0, 0, first, bold);
	for (size_t i = 0; i < sizeof COLUMNS / sizeof COLUMNS[0]; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)(i + 1), COLUMNS[i], bold);
	worksheet_set_column(ws, 0, 0, 40, NULL);
	worksheet_set_column(ws, 1, (lxw_col_t)(sizeof COLUMNS / sizeof COLUMNS[0]), 14, NULL);
	worksheet_freeze_panes(ws, 1, 1);
}

static void sheet_row(lxw_worksheet *ws, lxw_row_t row, const char *name,
		      const struct stats_counts *c, lxw_format *percent, lxw_format *style)
{
	int64_t finished = stats_finished(c);
	const int64_t values[] = { c->received, c->received - c->received_online,
				   c->received_online, finished, c->on_time, c->late,
				   c->open_in_time, c->open_overdue, c->closed_other };
	worksheet_write_string(ws, row, 0, name, style);
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		worksheet_write_number(ws, row, (lxw_col_t)(i + 1), (double)values[i], style);
	int rate = stats_rate(c->on_time, finished);
	if (rate != STATS_RATE_NONE)
		worksheet_write_number(ws, row, 10, (double)c->on_time / (double)finished, percent);
	else
		worksheet_write_string(ws, row, 10, "—", style);
}

/* Writes the workbook to path; STATUS_INTERNAL when libxlsxwriter fails. */
static enum status write_workbook(const char *path, const struct stats_report *rep,
				  const char *title)
{
	lxw_workbook *wb = workbook_new(path);
	if (wb == NULL)
		return STATUS_INTERNAL;
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_text_wrap(bold);
	lxw_format *percent = workbook_add_format(wb);
	format_set_num_format(percent, "0.0%");
	lxw_format *total_percent = workbook_add_format(wb);
	format_set_num_format(total_percent, "0.0%");
	format_set_bold(total_percent);
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, tables[t].sheet);
		if (ws == NULL)
			break;
		sheet_header(ws, tables[t].column, bold);
		const struct stats_row *rows;
		size_t n;
		table_rows(rep, t, &rows, &n);
		for (size_t i = 0; i < n; i++)
			sheet_row(ws, (lxw_row_t)(i + 1), rows[i].name, &rows[i].c, percent, NULL);
		sheet_row(ws, (lxw_row_t)(n + 1), "Tổng cộng", &rep->total, total_percent, bold);
		worksheet_write_string(ws, (lxw_row_t)(n + 3), 0, title, NULL);
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Xu hướng 12 tháng");
	if (ws != NULL) {
		static const char *const heads[] = { "Tháng", "Tiếp nhận", "Đã giải quyết",
						     "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn" };
		for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
			worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], bold);
		worksheet_set_column(ws, 0, 5, 16, NULL);
		for (int i = 0; i < STATS_TREND_MONTHS; i++) {
			const struct stats_month_point *pt = &rep->trend[i];
			char month[8];
			stats_period_key(&pt->period, month);
			lxw_row_t row = (lxw_row_t)(i + 1);
			worksheet_write_string(ws, row, 0, month, NULL);
			worksheet_write_number(ws, row, 1, (double)pt->received, NULL);
			worksheet_write_number(ws, row, 2, (double)pt->finished, NULL);
			worksheet_write_number(ws, row, 3, (double)pt->on_time, NULL);
			worksheet_write_number(ws, row, 4, (double)(pt->finished - pt->on_time), NULL);
			if (pt->finished > 0)
				worksheet_write_number(ws, row, 5,
						       (double)pt->on_time / (double)pt->finished,
						       percent);
			else
				worksheet_write_string(ws, row, 5, "—", NULL);
		}
	}
	return workbook_close(wb) == LXW_NO_ERROR ? STATUS_OK : STATUS_INTERNAL;
}

/* Reads the file at path into b. */
static enum status read_file_into(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return STATUS_INTERNAL;
	char chunk[16384];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (!buf_append(b, chunk, n))
			break;
	bool error = ferror(f) != 0;
	fclose(f);
	if (b->failed)
		return STATUS_TOO_LARGE;
	return error ? STATUS_INTERNAL : STATUS_OK;
}

enum status stats_admin_xlsx(struct request *r)
{
	struct stats_report rep = { 0 };
	enum status st = load_report(r, &rep);
	if (st || r->status == 400)
		return st;
	char key[8], label[24];
	stats_period_key(&rep.period, key);
	stats_period_label(&rep.period, label);
	/* libxlsxwriter 1.1.4 writes only to a file: a private temporary one, removed at once. */
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/phuong-thong-ke-XXXXXX",
		 dir != NULL && dir[0] != '\0' ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		log_error("cannot make a temporary file for a workbook: %s", strerror(errno));
		return STATUS_INTERNAL;
	}
	close(fd);
	st = write_workbook(path, &rep, arena_printf(r->arena, "Thống kê hồ sơ %s", label));
	if (st == STATUS_OK)
		st = read_file_into(path, &r->body);
	unlink(path);
	if (st) {
		log_error("cannot write the statistics workbook: %s", status_name(st));
		buf_clear(&r->body);
		return st;
	}
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	r->has_raw_body = true;
	request_add_header(r, "Content-Disposition", arena_printf(r->arena,
		"attachment; filename=\"thong-ke-%s.xlsx\"", key));
	return STATUS_OK;
}

/* ---- the promise board ---- */

enum status stats_page_board(struct request *r)
{
	json_t *board;
	enum status st = stats_board_load(r->db, r->arena, r->unit_id, r->now, &board);
	if (st)
		return st;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(board, "overdue"), i, d) {
		char due[32], extended[32];
		clock_format_vi_short(json_integer_value(json_object_get(d, "due_at")), due,
				      sizeof due);
		clock_format_vi_short(json_integer_value(json_object_get(d, "extended_due_at")),
				      extended, sizeof extended);
		json_object_set_new(d, "due", json_string(due));
		json_object_set_new(d, "extended_due", json_string(extended));
	}
	json_t *ratings = json_object_get(board, "ratings");
	int64_t total = json_integer_value(json_object_get(board, "ratings_total"));
	json_t *rating_rows = json_array();
	for (int64_t level = RATING_VERY_SATISFIED; level >= RATING_UNSATISFIED; level--) {
		char key[2] = { (char)('0' + level), '\0' };
		int64_t n = json_integer_value(json_object_get(ratings, key));
		char share[16];
		stats_rate_text(n, total, share);
		json_array_append_new(rating_rows, json_pack("{s:s, s:I, s:s}", "label",
			i18n_get(r->i18n, rating_level_label(level)), "count", (json_int_t)n,
			"share", share));
	}
	json_object_set_new(board, "rating_rows", rating_rows);
	json_object_set_new(board, "has_procedures", json_boolean(json_array_size(
		json_object_get(board, "procedures")) > 0));
	json_object_set_new(board, "has_overdue", json_boolean(json_array_size(
		json_object_get(board, "overdue")) > 0));
	json_object_set_new(board, "page_title", json_string(i18n_get(r->i18n,
		"Cam kết phục vụ: kết quả giải quyết hồ sơ")));
	request_view(r, "onestop/stats_board", board);
	return STATUS_OK;
}
