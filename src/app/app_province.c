/* app_province.c: the province viewer's page: every unit side by side, with the figures
 * of each part. It lives in app because it reads several parts (parts never include
 * each other); each part gives its figures of one unit. */
#include "app/app.h"

#include "http/request.h"
#include "news/news.h"
#include "province/province.h"
#include "worktime/clock.h"

enum status app_province_overview(struct request *r)
{
	json_t *units;
	enum status st = province_units(r->db, &units);
	if (st)
		return st;
	int64_t total_published = 0;
	size_t i;
	json_t *unit;
	json_array_foreach(units, i, unit) {
		struct news_unit_figures news;
		st = news_unit_figures(r->db, json_integer_value(json_object_get(unit, "id")), r->now,
				       &news);
		if (st) {
			json_decref(units);
			return st;
		}
		char last[32] = "";
		if (news.last_published_at > 0)
			clock_format_vi_short(news.last_published_at, last, sizeof last);
		json_object_set_new(unit, "news", json_pack("{s:I, s:I, s:s}",
			"published", (json_int_t)news.published,
			"published_30_days", (json_int_t)news.published_30_days, "last_published", last));
		total_published += news.published;
	}
	request_view(r, "province/overview", json_pack("{s:s, s:o, s:I, s:I}",
		"page_title", "Tổng hợp các đơn vị", "units", units,
		"unit_count", (json_int_t)json_array_size(units),
		"total_published", (json_int_t)total_published));
	return STATUS_OK;
}
