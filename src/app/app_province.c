/* app_province.c: the province viewer's page: every unit side by side, with the figures
 * of each part. It lives in app because it reads several parts (parts never include
 * each other); each part gives its figures of one unit. */
#include "app/app.h"

#include "http/request.h"
#include "news/news.h"
#include "onestop/stats.h"
#include "province/province.h"
#include "worktime/clock.h"

#include <stdio.h>

enum status app_province_overview(struct request *r)
{
	json_t *units;
	enum status st = province_units(r->db, &units);
	if (st)
		return st;
	json_t *on_time;
	if ((st = stats_units_on_time(r->db, r->now, &on_time)) != STATUS_OK) {
		json_decref(units);
		return st;
	}
	int64_t total_published = 0;
	size_t i;
	json_t *unit;
	json_array_foreach(units, i, unit) {
		char key[24], rate[16], previous[16];
		snprintf(key, sizeof key, "%lld",
			 (long long)json_integer_value(json_object_get(unit, "id")));
		json_t *f = json_object_get(on_time, key);
		stats_rate_text(json_integer_value(json_object_get(f, "on_time")),
				json_integer_value(json_object_get(f, "finished")), rate);
		stats_rate_text(json_integer_value(json_object_get(f, "previous_on_time")),
				json_integer_value(json_object_get(f, "previous_finished")), previous);
		json_object_set_new(unit, "onestop", json_pack("{s:s, s:s, s:I, s:I}", "rate", rate,
			"previous_rate", previous,
			"finished", (json_int_t)json_integer_value(json_object_get(f, "finished")),
			"previous_finished",
			(json_int_t)json_integer_value(json_object_get(f, "previous_finished"))));
		struct news_unit_figures news;
		st = news_unit_figures(r->db, json_integer_value(json_object_get(unit, "id")), r->now,
				       &news);
		if (st) {
			json_decref(units);
			json_decref(on_time);
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
	json_decref(on_time);
	struct stats_period current = stats_period_of(r->now);
	struct stats_period previous = stats_period_shift(&current, -1);
	char current_label[24], previous_label[24];
	stats_period_label(&current, current_label);
	stats_period_label(&previous, previous_label);
	request_view(r, "province/overview", json_pack("{s:s, s:o, s:I, s:I}",
		"page_title", "Tổng hợp các đơn vị", "units", units,
		"unit_count", (json_int_t)json_array_size(units),
		"total_published", (json_int_t)total_published, "current_month", current_label,
		"previous_month", previous_label));
	return STATUS_OK;
}
