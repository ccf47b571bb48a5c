/* fuzz_calendar.c: libFuzzer harness: the official yearly schedule files 'phuong calendar import' reads
 *
 * The input is the days-off file (holidays-vn.tsv form), then, after the first NUL byte if
 * any, the swapped-workdays file, read into one calendar as cli_calendar.c does; its first
 * line also goes through the working hours and weekdays parsers of --hours/--days. Beyond
 * "no crash": a refused file leaves the calendar as it was (all or nothing) and says why;
 * every year a file brought builds, and a deadline counted through it lies after its start.
 */
#include "base/log.h"
#include "worktime/calendar.h"
#include "worktime/clock.h"
#include "worktime/due.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_ERROR);
	return 0;
}

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_calendar: %s\n", what);
		abort();
	}
}

static void load(struct calendar *cal, const char *text, size_t len, enum calendar_entry_kind kind)
{
	size_t before = cal->count;
	char err[512];
	enum status st = calendar_parse_tsv(cal, text, len, kind, err, sizeof err);
	if (st != STATUS_OK) {
		check(cal->count == before, "a refused file changed the calendar");
		check(err[0] != '\0', "a refused file without a message");
	}
	for (size_t i = 1; i < cal->count; i++) {
		const struct calendar_entry *p = &cal->entries[i - 1], *e = &cal->entries[i];
		check(p->year < e->year || (p->year == e->year && (p->month < e->month ||
		      (p->month == e->month && p->day < e->day))), "entries not sorted, or a date twice");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t first = nul != NULL ? (size_t)(nul - text) : size;

	/* The first line as the --hours and --days values. */
	const char *nl = memchr(text, '\n', first);
	size_t line_len = nl != NULL ? (size_t)(nl - text) : first;
	char line[128];
	if (line_len < sizeof line) {
		memcpy(line, text, line_len);
		line[line_len] = '\0';
		struct calendar_settings s;
		calendar_settings_default(&s);
		if (calendar_parse_hours(line, &s)) {
			check(calendar_settings_valid(&s), "parsed hours are not valid settings");
			char out[CALENDAR_HOURS_TEXT_MAX];
			calendar_format_hours(&s, out, sizeof out);
			struct calendar_settings t;
			calendar_settings_default(&t);
			check(calendar_parse_hours(out, &t) && t.morning_start == s.morning_start &&
			      t.afternoon_end == s.afternoon_end, "hours do not read back");
		}
		unsigned mask;
		if (calendar_parse_weekdays(line, &mask)) {
			char out[CALENDAR_HOURS_TEXT_MAX];
			calendar_format_weekdays(mask, out, sizeof out);
			unsigned again = 0;
			check(mask == 0 || (calendar_parse_weekdays(out, &again) && again == mask),
			      "weekdays do not read back");
		}
	}

	struct calendar cal;
	calendar_init(&cal, NULL);
	load(&cal, text, first, CALENDAR_ENTRY_DAY_OFF);
	if (nul != NULL)
		load(&cal, nul + 1, size - first - 1, CALENDAR_ENTRY_WORKDAY);

	/* The first three years the files name, as the import and a deadline see them. */
	int years[3], nyears = 0;
	for (size_t i = 0; i < cal.count && nyears < 3; i++) {
		int y = cal.entries[i].year;
		if (y >= 1900 && y <= 9999 && (nyears == 0 || years[nyears - 1] != y))
			years[nyears++] = y;
	}
	for (int i = 0; i < nyears; i++) {
		static struct calendar_year cy;
		calendar_year_build(&cal, years[i], &cy);
		(void)calendar_year_has_tet(&cal, years[i]);
		(void)calendar_year_has_schedule(&cal, years[i]);
		int64_t received, due;
		if (years[i] > 9990 || !clock_from_local(years[i], 1, 2, 9, 0, &received))
			continue;
		int n = 1 + (int)(size % 60);
		if (due_working_days(&cal, received, n, &due) == STATUS_OK)
			check(due > received &&
			      due_working_time_between(&cal, received, due) > 0,
			      "a deadline before its start");
	}
	calendar_release(&cal);
	return 0;
}
