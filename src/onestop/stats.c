/* stats.c: the pure parts of the one-stop statistics: months in UTC+7, rates, folding
 * the database's groups into tables and CSV cells */
#include "onestop/stats.h"

#include "base/arena.h"
#include "base/buf.h"
#include "text/text.h"
#include "worktime/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- months ---- */

static struct stats_period period_make(int year, int month)
{
	struct stats_period p = { year, month, 0, 0 };
	/* Always a real month: parsed as 2000..2099, or now, or one of those shifted by a year. */
	(void)clock_month_bounds(year, month, &p.start, &p.end);
	return p;
}

bool stats_period_parse(const char *s, struct stats_period *out)
{
	int year, month;
	if (s == NULL || !clock_parse_month(s, &year, &month) || year < 2000 || year > 2099)
		return false;
	*out = period_make(year, month);
	return true;
}

struct stats_period stats_period_of(int64_t t)
{
	struct clock_local l = clock_to_local(t);
	return period_make(l.year, l.month);
}

struct stats_period stats_period_shift(const struct stats_period *p, int delta)
{
	int index = p->year * 12 + (p->month - 1) + delta;
	return period_make(index / 12, index % 12 + 1);
}

void stats_period_key(const struct stats_period *p, char out[8])
{
	snprintf(out, 8, "%04u-%02u", (unsigned)p->year % 10000u, (unsigned)p->month % 100u);
}

void stats_period_label(const struct stats_period *p, char out[24])
{
	snprintf(out, 24, "Tháng %u/%04u", (unsigned)p->month % 100u, (unsigned)p->year % 10000u);
}

void stats_period_short(const struct stats_period *p, char out[8])
{
	snprintf(out, 8, "%02u/%02u", (unsigned)p->month % 100u, (unsigned)p->year % 100u);
}

/* ---- rates ---- */

int stats_rate(int64_t on_time, int64_t finished)
{
	if (finished <= 0 || on_time < 0 || on_time > finished)
		return STATS_RATE_NONE;
	return (int)((on_time * 1000 + finished / 2) / finished);
}

void stats_rate_text(int64_t on_time, int64_t finished, char out[16])
{
	int rate = stats_rate(on_time, finished);
	if (rate == STATS_RATE_NONE)
		snprintf(out, 16, "—");
	else if (rate % 10 == 0)
		snprintf(out, 16, "%d%%", rate / 10);
	else
		snprintf(out, 16, "%d,%d%%", rate / 10, rate % 10);
}

int64_t stats_finished(const struct stats_counts *c)
{
	return c->on_time + c->late;
}

void stats_counts_add(struct stats_counts *to, const struct stats_counts *c)
{
	to->received += c->received;
	to->received_online += c->received_online;
	to->on_time += c->on_time;
	to->late += c->late;
	to->open_in_time += c->open_in_time;
	to->open_overdue += c->open_overdue;
	to->closed_other += c->closed_other;
}

/* ---- tables ---- */

const char stats_no_officer[] = "Chưa có người xử lý";

/* The row of id (and name, for fields) in rows, added when missing. */
static struct stats_row *row_for(struct stats_row *rows, size_t *count, int64_t id,
				 const char *name)
{
	for (size_t i = 0; i < *count; i++)
		if (rows[i].id == id && strcmp(rows[i].name, name) == 0)
			return &rows[i];
	rows[*count] = (struct stats_row){ .id = id, .name = name };
	return &rows[(*count)++];
}

static const struct stats_name *name_of(const struct stats_name *names, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (names[i].id == id)
			return &names[i];
	return NULL;
}

static int row_compare(const void *x, const void *y)
{
	const struct stats_row *a = x, *b = y;
	/* "No officer" last; else by the folded name, then the name itself. */
	bool a_none = a->name == stats_no_officer, b_none = b->name == stats_no_officer;
	if (a_none != b_none)
		return a_none ? 1 : -1;
	int c = strcmp(a->sort_key, b->sort_key);
	if (c == 0)
		c = strcmp(a->name, b->name);
	if (c != 0)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

enum status stats_fold(struct arena *a, const struct stats_group *groups, size_t group_count,
		       const struct stats_name *procedures, size_t procedure_count,
		       const struct stats_name *officers, size_t officer_count,
		       struct stats_report *out)
{
	size_t cap = group_count > 0 ? group_count : 1;
	out->by_procedure = arena_zalloc(a, cap * sizeof *out->by_procedure);
	out->by_field = arena_zalloc(a, cap * sizeof *out->by_field);
	out->by_officer = arena_zalloc(a, cap * sizeof *out->by_officer);
	if (out->by_procedure == NULL || out->by_field == NULL || out->by_officer == NULL)
		return STATUS_TOO_LARGE;
	out->procedure_count = out->field_count = out->officer_count = 0;
	out->total = (struct stats_counts){ 0 };
	for (size_t i = 0; i < group_count; i++) {
		const struct stats_group *g = &groups[i];
		const struct stats_name *p = name_of(procedures, procedure_count, g->procedure_id);
		const char *procedure = p != NULL ? p->name : "";
		const char *field = p != NULL && p->field != NULL ? p->field : "";
		const struct stats_name *o = g->officer_id != 0
			? name_of(officers, officer_count, g->officer_id) : NULL;
		stats_counts_add(&row_for(out->by_procedure, &out->procedure_count, g->procedure_id,
					  procedure)->c, &g->c);
		stats_counts_add(&row_for(out->by_field, &out->field_count, 0, field)->c, &g->c);
		stats_counts_add(&row_for(out->by_officer, &out->officer_count,
					  o != NULL ? o->id : 0, o != NULL ? o->name : stats_no_officer)->c,
				 &g->c);
		stats_counts_add(&out->total, &g->c);
	}
	struct {
		struct stats_row *rows;
		size_t n;
	} tables[] = { { out->by_procedure, out->procedure_count },
		       { out->by_field, out->field_count },
		       { out->by_officer, out->officer_count } };
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		for (size_t i = 0; i < tables[t].n; i++) {
			struct stats_row *row = &tables[t].rows[i];
			row->sort_key = text_fold(a, row->name, strlen(row->name));
			if (row->sort_key == NULL && arena_failed(a))
				return STATUS_TOO_LARGE;
			if (row->sort_key == NULL)
				row->sort_key = row->name; /* not UTF-8: its bytes */
		}
	}
	qsort(out->by_procedure, out->procedure_count, sizeof *out->by_procedure, row_compare);
	qsort(out->by_field, out->field_count, sizeof *out->by_field, row_compare);
	qsort(out->by_officer, out->officer_count, sizeof *out->by_officer, row_compare);
	return STATUS_OK;
}

/* ---- CSV ---- */

void stats_csv_cell(struct buf *b, const char *s)
{
	if (s == NULL)
		s = "";
	bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		       s[0] == '\r';
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	if (quote)
		buf_putc(b, '"');
}
