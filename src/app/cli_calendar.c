/* cli_calendar.c: 'phuong calendar': lunar dates, a month of working days, appointment dates */
#include "app/cli_calendar.h"

#include "base/num.h"
#include "base/utf8.h"
#include "worktime/calendar.h"
#include "worktime/clock.h"
#include "worktime/due.h"
#include "worktime/lunar.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest schedule file read. */
enum { SCHEDULE_FILE_MAX = 1 << 20 };

static const char usage_calendar[] =
	"usage: phuong calendar lunar YYYY-MM-DD\n"
	"       phuong calendar show YYYY-MM [--schedule FILE] [--swapped FILE]\n"
	"       phuong calendar due --from \"YYYY-MM-DD HH:MM\"\n"
	"                           (--working-days N | --working-hours N | --same-day)\n"
	"                           [--schedule FILE] [--swapped FILE]\n"
	"\n"
	"Working time of the ward office: Monday to Friday, 07:30-11:30 and 13:00-17:00,\n"
	"local time (UTC+7). Without --schedule the days off are computed from the Labour\n"
	"Code (Art. 112, weekend compensation of Art. 111); with it, every year the file\n"
	"names is taken exactly as the file says.\n"
	"  --schedule FILE  official days off, TSV 'date<TAB>name<TAB>source' with a header\n"
	"                   line (as holidays-vn.tsv)\n"
	"  --swapped FILE   Saturdays worked in exchange for a day off, same format\n"
	"'phuong calendar SUBCOMMAND --help' tells more.\n";

static const char usage_lunar[] =
	"usage: phuong calendar lunar YYYY-MM-DD\n"
	"Prints the Vietnamese lunar date (UTC+7) of a Gregorian date, 1900-2199, on two lines:\n"
	"  2026-02-17: ngày 1 tháng 1 năm Bính Ngọ (âm lịch)\n"
	"  lunar 2026-01-01 leap=0\n"
	"The second line is for programs: lunar year-month-day, leap=1 for a leap month\n"
	"(tháng nhuận, printed 'tháng 4 nhuận' on the first line).\n";

static const char usage_show[] =
	"usage: phuong calendar show YYYY-MM [--schedule FILE] [--swapped FILE]\n"
	"Prints the month as a grid, Monday first. After each day number:\n"
	"  (nothing)  working day\n"
	"  .          weekly rest day\n"
	"  *          day off (holiday, compensatory day, swapped day off)\n"
	"  +          rest day worked in exchange for a day off (làm bù)\n"
	"The days off and worked rest days are listed with their names below the grid.\n";

static const char usage_due[] =
	"usage: phuong calendar due --from \"YYYY-MM-DD HH:MM\"\n"
	"                           (--working-days N | --working-hours N | --same-day)\n"
	"                           [--schedule FILE] [--swapped FILE]\n"
	"Prints the appointment (hẹn trả) of a dossier received at --from (local time):\n"
	"  --working-days N   end (17:00) of the N-th working day after the day of receipt\n"
	"  --working-hours N  after N hours of working time (nights, lunch, days off skipped)\n"
	"  --same-day         the same working day if received by 15:00, else the next one\n"
	"The last line is for programs: 'due 2026-02-26T17:00:00+07:00'.\n";

static int bad_input(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a message about bad input and returns exit status 2. */
static int bad_input(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("phuong calendar: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

/* Reads a whole (small) file into a malloc'd buffer. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *data = malloc(SCHEDULE_FILE_MAX + 1);
	size_t n = data ? fread(data, 1, SCHEDULE_FILE_MAX + 1, f) : 0;
	bool failed = data == NULL || ferror(f) || n > SCHEDULE_FILE_MAX;
	fclose(f);
	if (failed) {
		free(data);
		errno = EFBIG;
		return NULL;
	}
	*len = n;
	return data;
}

/* Loads a TSV schedule into cal; returns 0 or an exit status. */
static int load_schedule(struct calendar *cal, const char *path, enum calendar_entry_kind kind)
{
	size_t len;
	char *text = read_file(path, &len);
	if (text == NULL) {
		fprintf(stderr, "phuong calendar: không đọc được tệp '%s': %s\n", path,
			strerror(errno));
		return 1;
	}
	char err[600];
	enum status st = calendar_parse_tsv(cal, text, len, kind, err, sizeof err);
	free(text);
	if (st != STATUS_OK) {
		fprintf(stderr, "phuong calendar: %s: %s\n", path, err);
		return 2;
	}
	return 0;
}

struct calendar_cli {
	const char *from, *schedule, *swapped;
	int64_t working_days, working_hours;
	bool same_day;
	const char *args[3];
	int nargs;
};

/* Parses the options of a subcommand; returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, const char *usage, bool due_options,
			 struct calendar_cli *cli)
{
	enum { OPT_FROM = 1000, OPT_DAYS, OPT_HOURS, OPT_SAME_DAY, OPT_SCHEDULE, OPT_SWAPPED,
	       OPT_HELP };
	static const struct option options[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "working-days", required_argument, NULL, OPT_DAYS },
		{ "working-hours", required_argument, NULL, OPT_HOURS },
		{ "same-day", no_argument, NULL, OPT_SAME_DAY },
		{ "schedule", required_argument, NULL, OPT_SCHEDULE },
		{ "swapped", required_argument, NULL, OPT_SWAPPED },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		bool due_only = c == OPT_FROM || c == OPT_DAYS || c == OPT_HOURS || c == OPT_SAME_DAY;
		if (due_only && !due_options) {
			fprintf(stderr, "phuong calendar: tùy chọn '%s' không dùng ở đây\n%s",
				argv[optind - 1], usage);
			return 2;
		}
		switch (c) {
		case OPT_FROM: cli->from = optarg; break;
		case OPT_DAYS:
			if (!num_parse_int64(optarg, 1, DUE_MAX_WORKING_DAYS, &cli->working_days))
				return bad_input("số ngày làm việc '%s' không hợp lệ (cần số nguyên 1..1000)",
						 optarg);
			break;
		case OPT_HOURS:
			if (!num_parse_int64(optarg, 1, DUE_MAX_WORKING_HOURS, &cli->working_hours))
				return bad_input("số giờ làm việc '%s' không hợp lệ (cần số nguyên 1..8000)",
						 optarg);
			break;
		case OPT_SAME_DAY: cli->same_day = true; break;
		case OPT_SCHEDULE: cli->schedule = optarg; break;
		case OPT_SWAPPED: cli->swapped = optarg; break;
		case OPT_HELP: fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "phuong calendar: tùy chọn '%s' không hợp lệ hoặc thiếu giá trị\n%s",
				argv[optind - 1], usage);
			return 2;
		}
	}
	for (int i = optind; i < argc; i++) {
		if (cli->nargs == 3)
			return bad_input("thừa tham số '%s'", argv[i]);
		cli->args[cli->nargs++] = argv[i];
	}
	return -1;
}

/* Builds the calendar with the default week and the schedule files, if any. */
static int make_calendar(const struct calendar_cli *cli, struct calendar *cal)
{
	calendar_init(cal, NULL);
	int rc = 0;
	if (cli->schedule != NULL)
		rc = load_schedule(cal, cli->schedule, CALENDAR_ENTRY_DAY_OFF);
	if (rc == 0 && cli->swapped != NULL)
		rc = load_schedule(cal, cli->swapped, CALENDAR_ENTRY_WORKDAY);
	if (rc != 0)
		calendar_release(cal);
	return rc;
}

static int run_lunar(const struct calendar_cli *cli)
{
	if (cli->nargs != 1) {
		fputs(usage_lunar, stderr);
		return 2;
	}
	int y, m, d;
	if (!clock_parse_date(cli->args[0], &y, &m, &d))
		return bad_input("ngày '%s' không hợp lệ (cần dạng YYYY-MM-DD, năm 1900..2199)",
				 cli->args[0]);
	struct lunar_date ld;
	if (!lunar_from_solar(y, m, d, &ld))
		return bad_input("ngày '%s' nằm ngoài khoảng 1900-01-01..2199-12-31", cli->args[0]);
	char name[32];
	printf("%04d-%02d-%02d: ngày %d tháng %d%s năm %s (âm lịch)\n", y, m, d, ld.day, ld.month,
	       ld.is_leap ? " nhuận" : "", lunar_year_name(ld.year, name, sizeof name));
	printf("lunar %04d-%02d-%02d leap=%d\n", ld.year, ld.month, ld.day, ld.is_leap ? 1 : 0);
	return 0;
}

static int run_show(const struct calendar_cli *cli)
{
	if (cli->nargs != 1) {
		fputs(usage_show, stderr);
		return 2;
	}
	int year, month;
	if (!clock_parse_month(cli->args[0], &year, &month))
		return bad_input("tháng '%s' không hợp lệ (cần dạng YYYY-MM)", cli->args[0]);
	if (year < LUNAR_FIRST_YEAR || year > LUNAR_LAST_YEAR)
		return bad_input("tháng '%s' nằm ngoài các năm 1900..2199", cli->args[0]);
	struct calendar cal;
	int rc = make_calendar(cli, &cal);
	if (rc != 0)
		return rc;
	static struct calendar_year y;
	calendar_year_build(&cal, year, &y);
	int first = (int)(clock_days_from_civil(year, month, 1) - clock_days_from_civil(year, 1, 1));
	int days = clock_days_in_month(year, month);
	int weekday = clock_weekday_of_days(clock_days_from_civil(year, month, 1));
	printf("Tháng %d/%d\n", month, year);
	printf("%s\n", y.is_official
			       ? "Ngày nghỉ theo lịch chính thức đã nhập."
			       : "Ngày nghỉ do chương trình đề xuất theo Bộ luật Lao động (chưa nhập lịch chính thức của năm).");
	printf("  T2   T3   T4   T5   T6   T7   CN\n");
	int column = (weekday + 6) % 7; /* Monday first */
	for (int i = 0; i < column; i++)
		fputs("     ", stdout);
	int working = 0;
	for (int d = 1; d <= days; d++) {
		enum calendar_day_kind k = (enum calendar_day_kind)y.kind[first + d - 1];
		static const char marks[] = { ' ', '.', '*', '+' };
		printf("%4d%c", d, marks[k]);
		working += calendar_kind_is_working(k);
		if (++column == 7 && d < days) {
			column = 0;
			fputc('\n', stdout);
		}
	}
	fputs("\n(. nghỉ hằng tuần, * ngày nghỉ lễ/nghỉ bù/hoán đổi, + làm bù)\n", stdout);
	bool any = false;
	for (int d = 1; d <= days; d++) {
		int doy = first + d - 1;
		if (y.name[doy] == NULL)
			continue;
		if (!any)
			fputs("\n", stdout);
		any = true;
		int wd = clock_weekday_of_days(clock_days_from_civil(year, month, d));
		const char *weekday_name = clock_weekday_vi(wd);
		/* Pad by letters, not bytes, so that the names line up. */
		int pad = 9 - (int)utf8_length(weekday_name, strlen(weekday_name));
		printf("%02d/%02d %s%*s%s %s\n", d, month, weekday_name, pad, "",
		       y.kind[doy] == CALENDAR_SWAPPED_WORKDAY ? "làm bù:" : "nghỉ:  ", y.name[doy]);
	}
	printf("\nSố ngày làm việc: %d\n", working);
	calendar_release(&cal);
	return 0;
}

static int run_due(const struct calendar_cli *cli)
{
	if (cli->nargs != 0)
		return bad_input("thừa tham số '%s'", cli->args[0]);
	int modes = (cli->working_days > 0) + (cli->working_hours > 0) + cli->same_day;
	if (cli->from == NULL || modes != 1) {
		fputs("phuong calendar: cần --from và đúng một trong --working-days, "
		      "--working-hours, --same-day\n", stderr);
		fputs(usage_due, stderr);
		return 2;
	}
	int64_t received;
	if (!clock_parse_local_datetime(cli->from, &received))
		return bad_input("thời điểm '%s' không hợp lệ (cần dạng \"YYYY-MM-DD HH:MM\")",
				 cli->from);
	struct clock_local l = clock_to_local(received);
	if (l.year < LUNAR_FIRST_YEAR || l.year > LUNAR_LAST_YEAR - 5)
		return bad_input("thời điểm '%s' nằm ngoài các năm 1900..2194", cli->from);
	struct calendar cal;
	int rc = make_calendar(cli, &cal);
	if (rc != 0)
		return rc;
	int64_t due;
	enum status st;
	char what[64];
	if (cli->working_days > 0) {
		st = due_working_days(&cal, received, (int)cli->working_days, &due);
		snprintf(what, sizeof what, "%lld ngày làm việc", (long long)cli->working_days);
	} else if (cli->working_hours > 0) {
		st = due_working_hours(&cal, received, (int)cli->working_hours, &due);
		snprintf(what, sizeof what, "%lld giờ làm việc", (long long)cli->working_hours);
	} else {
		st = due_same_day(&cal, received, &due);
		snprintf(what, sizeof what, "trong ngày (quy tắc 15 giờ)");
	}
	calendar_release(&cal);
	if (st != STATUS_OK)
		return bad_input("không tính được ngày hẹn cho '%s'", cli->from);
	char line[64], iso[40];
	clock_format_vi_line(received, line, sizeof line);
	printf("Tiếp nhận: %s\n", line);
	printf("Thời hạn:  %s\n", what);
	clock_format_vi_line(due, line, sizeof line);
	printf("Hẹn trả:   %s\n", line);
	clock_format_rfc3339(due, iso, sizeof iso);
	printf("due %s\n", iso);
	return 0;
}

int cli_calendar(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(usage_calendar, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	static const struct {
		const char *name, *usage;
		int (*run)(const struct calendar_cli *cli);
		bool due_options;
	} subcommands[] = {
		{ "lunar", usage_lunar, run_lunar, false },
		{ "show", usage_show, run_show, false },
		{ "due", usage_due, run_due, true },
	};
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
		if (strcmp(argv[1], subcommands[i].name) != 0)
			continue;
		struct calendar_cli cli = { 0 };
		int rc = parse_options(argc - 1, argv + 1, subcommands[i].usage,
				       subcommands[i].due_options, &cli);
		return rc >= 0 ? rc : subcommands[i].run(&cli);
	}
	fprintf(stderr, "phuong calendar: không có lệnh con '%s'\n\n%s", argv[1], usage_calendar);
	return 2;
}
