/* cli_calendar.c: 'phuong calendar': lunar dates, a month of working days, appointment
 * dates, the official schedule's import and a unit's working hours */
#include "app/cli_calendar.h"

#include "app/app.h"
#include "app/calendar_store.h"
#include "app/config.h"
#include "audit/audit.h"
#include "base/num.h"
#include "base/utf8.h"
#include "store/store.h"
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
#include <sys/stat.h>
#include <time.h>

/* Largest schedule file read. */
enum { SCHEDULE_FILE_MAX = 1 << 20 };

static const char usage_calendar[] =
	"usage: phuong calendar lunar YYYY-MM-DD\n"
	"       phuong calendar show YYYY-MM [--data DIR | --database URL] [--unit CODE]\n"
	"                                    [--schedule FILE] [--swapped FILE]\n"
	"       phuong calendar due --from \"YYYY-MM-DD HH:MM\"\n"
	"                           (--working-days N | --working-hours N | --same-day)\n"
	"                           [--data DIR | --database URL] [--unit CODE]\n"
	"                           [--schedule FILE] [--swapped FILE]\n"
	"       phuong calendar import FILE [--swapped FILE2] [--year YYYY] [--force]\n"
	"                                   [--data DIR | --database URL]\n"
	"       phuong calendar hours [--unit CODE] [--set \"07:30-11:30,13:00-17:00\"]\n"
	"                             [--days mon-fri] [--data DIR | --database URL]\n"
	"\n"
	"Working time of the ward office: by default Monday to Friday, 07:30-11:30 and\n"
	"13:00-17:00, local time (UTC+7); each unit may set its own ('hours').\n"
	"The official yearly schedule (days off, Saturdays worked in exchange) is imported\n"
	"into the database by the admin ('import'); a year with no imported schedule gets the\n"
	"days off computed from the Labour Code (Art. 112, weekend compensation of Art. 111)\n"
	"as a proposal.\n"
	"'show' and 'due' read the database's schedule and the unit's hours when --data,\n"
	"--database, --config or --unit is given; with --schedule/--swapped they read those\n"
	"files instead (default hours); with neither, only the computed days off.\n"
	"  --schedule FILE  official days off, TSV 'date<TAB>name<TAB>source' with a header\n"
	"                   line (as data/calendar/holidays-vn.tsv)\n"
	"  --swapped FILE   Saturdays worked in exchange for a day off, same format\n"
	"                   (as data/calendar/workdays-swapped-vn.tsv)\n"
	"'phuong calendar SUBCOMMAND --help' tells more.\n";

static const char usage_lunar[] =
	"usage: phuong calendar lunar YYYY-MM-DD\n"
	"Prints the Vietnamese lunar date (UTC+7) of a Gregorian date, 1900-2199, on two lines:\n"
	"  2026-02-17: ngày 1 tháng 1 năm Bính Ngọ (âm lịch)\n"
	"  lunar 2026-01-01 leap=0\n"
	"The second line is for programs: lunar year-month-day, leap=1 for a leap month\n"
	"(tháng nhuận, printed 'tháng 4 nhuận' on the first line).\n";

static const char usage_show[] =
	"usage: phuong calendar show YYYY-MM [--data DIR | --database URL] [--unit CODE]\n"
	"                                    [--schedule FILE] [--swapped FILE]\n"
	"Prints the month as a grid, Monday first. After each day number:\n"
	"  (nothing)  working day\n"
	"  .          weekly rest day\n"
	"  *          day off (holiday, compensatory day, swapped day off)\n"
	"  +          rest day worked in exchange for a day off (làm bù)\n"
	"The days off and worked rest days are listed with their names below the grid.\n"
	"With --data/--database the schedule is the one imported into the database and the\n"
	"week is the unit's (--unit CODE, unit 1 by default).\n";

static const char usage_due[] =
	"usage: phuong calendar due --from \"YYYY-MM-DD HH:MM\"\n"
	"                           (--working-days N | --working-hours N | --same-day)\n"
	"                           [--data DIR | --database URL] [--unit CODE]\n"
	"                           [--schedule FILE] [--swapped FILE]\n"
	"Prints the appointment (hẹn trả) of a dossier received at --from (local time):\n"
	"  --working-days N   end of the N-th working day after the day of receipt\n"
	"  --working-hours N  after N hours of working time (nights, lunch, days off skipped)\n"
	"  --same-day         the same working day if received by 15:00, else the next one\n"
	"With --data/--database the schedule and the unit's hours come from the database.\n"
	"The last line is for programs: 'due 2026-02-26T17:00:00+07:00'.\n";

static const char usage_import[] =
	"usage: phuong calendar import FILE [--swapped FILE2] [--year YYYY] [--force]\n"
	"                                   [--data DIR | --database URL]\n"
	"Imports the official schedule: FILE lists the days off, FILE2 the rest days worked in\n"
	"exchange (TSV 'date<TAB>name<TAB>source' with a header line, as the files in\n"
	"data/calendar/). Both files are checked whole first: on an error nothing is written.\n"
	"Every year the files name is replaced whole, in one transaction, and becomes\n"
	"official (its days off are exactly the file's).\n"
	"  --year YYYY  import only that year's lines\n"
	"  --force      import a year even if its days off hold no Tết Nguyên đán day\n"
	"A year without Tết is refused: its schedule has not been announced yet (the files\n"
	"may carry the statutory days of the next year alone). Import each December, once\n"
	"the government has announced the coming year.\n"
	"Prints one line a year, and for programs 'imported YYYY day_off=N working_day=N\n"
	"replaced=N'.\n";

static const char usage_hours[] =
	"usage: phuong calendar hours [--unit CODE] [--set \"07:30-11:30,13:00-17:00\"]\n"
	"                             [--days mon-fri] [--data DIR | --database URL]\n"
	"Prints, or with --set/--days changes, the working hours of a unit (unit 1 by\n"
	"default; --unit takes the code given when the unit was created).\n"
	"  --set \"HH:MM-HH:MM,HH:MM-HH:MM\"  the morning and the afternoon period\n"
	"  --days DAYS  the working weekdays: mon tue wed thu fri sat sun, ranges and\n"
	"               commas, e.g. mon-fri or mon-fri,sat\n"
	"The last two lines are for programs: 'days mon-fri', 'hours 07:30-11:30,13:00-17:00'.\n";

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

/* The options, as bits, so that each subcommand says which it takes. */
enum {
	OPT_BIT_FILES = 1 << 0,  /* --schedule */
	OPT_BIT_SWAPPED = 1 << 1, /* --swapped */
	OPT_BIT_DUE = 1 << 2,    /* --from, --working-days, --working-hours, --same-day */
	OPT_BIT_STORE = 1 << 3,  /* --data, --database, --config */
	OPT_BIT_UNIT = 1 << 4,   /* --unit */
	OPT_BIT_IMPORT = 1 << 5, /* --year, --force */
	OPT_BIT_HOURS = 1 << 6,  /* --set, --days */
};

struct calendar_cli {
	const char *from, *schedule, *swapped, *unit, *hours, *days;
	int64_t working_days, working_hours, year;
	bool same_day, force;
	bool uses_store; /* --data, --database, --config or --unit was given */
	struct config cfg;
	const char *args[3];
	int nargs;
};

/* Parses the options of a subcommand; returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, const char *usage, unsigned allowed,
			 struct calendar_cli *cli)
{
	enum { OPT_FROM = 1000, OPT_DAYS, OPT_HOURS, OPT_SAME_DAY, OPT_SCHEDULE, OPT_SWAPPED,
	       OPT_DATA, OPT_DATABASE, OPT_CONFIG, OPT_UNIT, OPT_YEAR, OPT_FORCE, OPT_SET,
	       OPT_WEEKDAYS, OPT_HELP };
	static const struct option options[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "working-days", required_argument, NULL, OPT_DAYS },
		{ "working-hours", required_argument, NULL, OPT_HOURS },
		{ "same-day", no_argument, NULL, OPT_SAME_DAY },
		{ "schedule", required_argument, NULL, OPT_SCHEDULE },
		{ "swapped", required_argument, NULL, OPT_SWAPPED },
		{ "data", required_argument, NULL, OPT_DATA },
		{ "database", required_argument, NULL, OPT_DATABASE },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "set", required_argument, NULL, OPT_SET },
		{ "days", required_argument, NULL, OPT_WEEKDAYS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	config_defaults(&cli->cfg);
	/* A config file is read before the flags, whatever their order (as in main.c). */
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--config") != 0 || !(allowed & OPT_BIT_STORE))
			continue;
		if (!config_load(&cli->cfg, argv[i + 1]))
			return 2;
	}
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		unsigned bit = c == OPT_SCHEDULE ? OPT_BIT_FILES
			       : c == OPT_SWAPPED ? OPT_BIT_SWAPPED
			       : c == OPT_FROM || c == OPT_DAYS || c == OPT_HOURS || c == OPT_SAME_DAY
				       ? OPT_BIT_DUE
			       : c == OPT_DATA || c == OPT_DATABASE || c == OPT_CONFIG ? OPT_BIT_STORE
			       : c == OPT_UNIT ? OPT_BIT_UNIT
			       : c == OPT_YEAR || c == OPT_FORCE ? OPT_BIT_IMPORT
			       : c == OPT_SET || c == OPT_WEEKDAYS ? OPT_BIT_HOURS
							       : 0;
		if (bit != 0 && !(allowed & bit)) {
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
		case OPT_DATA:
		case OPT_DATABASE:
			if (!config_set(&cli->cfg, c == OPT_DATA ? "data" : "database", optarg))
				return bad_input("giá trị '%s' quá dài", optarg);
			cli->uses_store = true;
			break;
		case OPT_CONFIG: cli->uses_store = true; break;
		case OPT_UNIT:
			cli->unit = optarg;
			cli->uses_store = true;
			break;
		case OPT_YEAR:
			if (!num_parse_int64(optarg, LUNAR_FIRST_YEAR, 9999, &cli->year))
				return bad_input("năm '%s' không hợp lệ (cần dạng YYYY)", optarg);
			break;
		case OPT_FORCE: cli->force = true; break;
		case OPT_SET: cli->hours = optarg; break;
		case OPT_WEEKDAYS: cli->days = optarg; break;
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
	config_finish(&cli->cfg, "phuong");
	return -1;
}

/* Opens the database of --data/--database (making the data folder if missing, as every
 * command does). NULL, with a message, on failure. */
static struct db *open_store(const struct config *cfg)
{
	if (mkdir(cfg->data_dir, 0750) != 0 && errno != EEXIST) {
		fprintf(stderr, "phuong calendar: không tạo được thư mục '%s': %s\n", cfg->data_dir,
			strerror(errno));
		return NULL;
	}
	struct db *db = db_open(cfg->database, 1);
	if (db == NULL)
		fprintf(stderr, "phuong calendar: không mở được cơ sở dữ liệu '%s'\n", cfg->database);
	return db;
}

/* The unit of --unit CODE (unit 1 without it); returns 0 or an exit status. */
static int find_unit(struct db_conn *c, const char *code, int64_t *unit_id, char *name,
		     size_t n)
{
	enum status st = app_unit_by_code(c, code, unit_id, name, n);
	if (st == STATUS_NOT_FOUND && code != NULL)
		return bad_input("không có đơn vị mã '%s'", code);
	if (st == STATUS_NOT_FOUND) { /* a database no unit has used yet: unit 1, unnamed */
		*unit_id = 1;
		if (n > 0)
			name[0] = '\0';
		return 0;
	}
	if (st != STATUS_OK) {
		fprintf(stderr, "phuong calendar: không đọc được đơn vị: %s\n", status_name(st));
		return 1;
	}
	return 0;
}

/* Loads the database's schedule and the unit's hours into cal; returns 0 or an exit
 * status (cal is then released). */
static int load_from_store(const struct calendar_cli *cli, struct calendar *cal)
{
	struct db *db = open_store(&cli->cfg);
	if (db == NULL)
		return 1;
	struct db_conn *c = db_acquire(db);
	int64_t unit_id;
	char name[200];
	int rc = find_unit(c, cli->unit, &unit_id, name, sizeof name);
	if (rc == 0) {
		enum status st = calendar_store_load(c, unit_id, cal);
		if (st != STATUS_OK) {
			fprintf(stderr, "phuong calendar: không đọc được lịch trong cơ sở dữ liệu: %s\n",
				status_name(st));
			rc = 1;
		}
	}
	db_release(c);
	db_close(db);
	if (rc != 0)
		calendar_init(cal, NULL); /* nothing to release */
	return rc;
}

/* Builds the calendar: the schedule files if named, else the database's schedule and
 * the unit's hours if a store was named, else the default week alone. */
static int make_calendar(const struct calendar_cli *cli, struct calendar *cal)
{
	if (cli->schedule == NULL && cli->swapped == NULL && cli->uses_store)
		return load_from_store(cli, cal);
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

/* "Thứ 2 đến Thứ 6", "Thứ 2 đến Thứ 6, Thứ 7": a unit's working weekdays, Monday first. */
static void describe_weekdays(unsigned mask, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < 7;) {
		if (!(mask & (1u << ((i + 1) % 7)))) {
			i++;
			continue;
		}
		int j = i;
		while (j + 1 < 7 && (mask & (1u << ((j + 2) % 7))))
			j++;
		const char *sep = used > 0 ? ", " : "";
		int w = j > i ? snprintf(out + used, n - used, "%s%s %s %s", sep,
					 clock_weekday_vi((i + 1) % 7), j > i + 1 ? "đến" : "và",
					 clock_weekday_vi((j + 1) % 7))
			      : snprintf(out + used, n - used, "%s%s", sep, clock_weekday_vi((i + 1) % 7));
		if (w < 0 || (size_t)w >= n - used)
			return;
		used += (size_t)w;
		i = j + 1;
	}
}

/* Prints the working week of s: "Giờ làm việc: Thứ 2 đến Thứ 6, 07:30-11:30 và 13:00-17:00". */
static void print_hours_line(const struct calendar_settings *s)
{
	char days[160];
	describe_weekdays(s->working_weekdays, days, sizeof days);
	printf("Giờ làm việc: %s, %02d:%02d-%02d:%02d và %02d:%02d-%02d:%02d\n", days,
	       s->morning_start / 60, s->morning_start % 60, s->morning_end / 60,
	       s->morning_end % 60, s->afternoon_start / 60, s->afternoon_start % 60,
	       s->afternoon_end / 60, s->afternoon_end % 60);
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
	if (cli->schedule == NULL && cli->swapped == NULL && cli->uses_store)
		print_hours_line(&cal.settings);
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

/* What the files hold for one year. */
struct import_year {
	int year;
	int days_off, working_days;
	bool has_tet;
};

/* The years of cal's entries (only `only` when not 0), ascending, with their counts. */
static size_t import_years(const struct calendar *cal, int only, struct import_year *out,
			   size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < cal->count; i++) {
		const struct calendar_entry *e = &cal->entries[i];
		if (only != 0 && e->year != only)
			continue;
		if (n == 0 || out[n - 1].year != e->year) {
			if (n == max)
				return max + 1;
			out[n++] = (struct import_year){ .year = e->year,
							  .has_tet = calendar_year_has_tet(cal, e->year) };
		}
		if (e->kind == CALENDAR_ENTRY_DAY_OFF)
			out[n - 1].days_off++;
		else
			out[n - 1].working_days++;
	}
	return n;
}

/* Refuses the import of years without a Tết day off; returns the exit status 2. */
static int refuse_without_tet(const struct import_year *years, size_t n)
{
	fputs("phuong calendar: không nhập gì: ", stderr);
	for (size_t i = 0, shown = 0; i < n; i++) {
		if (years[i].has_tet)
			continue;
		int month, day;
		if (shown++ > 0)
			fputs("; ", stderr);
		if (calendar_lunar_new_year(years[i].year, &month, &day))
			fprintf(stderr, "năm %d không có ngày nghỉ Tết Nguyên đán nào (Tết năm %d là "
					"%02d/%02d/%d theo âm lịch)", years[i].year, years[i].year, day,
				month, years[i].year);
		else
			fprintf(stderr, "năm %d không tính được ngày Tết Nguyên đán", years[i].year);
	}
	fputs(".\nLịch nghỉ của năm đó có lẽ chưa được công bố (tệp chỉ có các ngày lễ theo luật);"
	      " nhập vào sẽ làm năm đó thành lịch chính thức không có Tết.\n", stderr);
	int announced = 0;
	for (size_t i = 0; i < n; i++)
		if (years[i].has_tet)
			announced = years[i].year;
	if (announced != 0) {
		fputs("Chỉ nhập các năm đã công bố, mỗi lần một năm, bằng --year; các năm trong tệp có"
		      " Tết:", stderr);
		for (size_t i = 0; i < n; i++)
			if (years[i].has_tet)
				fprintf(stderr, " %d", years[i].year);
		fprintf(stderr, " (ví dụ: --year %d).\n", announced);
	}
	fputs("Nếu vẫn muốn nhập như vậy, thêm --force.\n", stderr);
	return 2;
}

/* Prints the years that have an official schedule in the database now. */
static void print_official_years(struct db_conn *c)
{
	struct calendar cal;
	if (calendar_store_load(c, 1, &cal) != STATUS_OK)
		return;
	fputs("Các năm đã có lịch chính thức:", stdout);
	int last = 0, shown = 0;
	for (size_t i = 0; i < cal.count; i++) {
		int y = cal.entries[i].year;
		if (y != last && calendar_year_has_schedule(&cal, y)) {
			printf(" %d", y);
			shown++;
		}
		last = y;
	}
	fputs(shown ? "\n" : " (chưa có)\n", stdout);
	calendar_release(&cal);
}

static int run_import(const struct calendar_cli *cli)
{
	if (cli->nargs != 1) {
		fputs(usage_import, stderr);
		return 2;
	}
	struct calendar cal;
	calendar_init(&cal, NULL);
	int rc = load_schedule(&cal, cli->args[0], CALENDAR_ENTRY_DAY_OFF);
	if (rc == 0 && cli->swapped != NULL)
		rc = load_schedule(&cal, cli->swapped, CALENDAR_ENTRY_WORKDAY);
	if (rc != 0) {
		calendar_release(&cal);
		fputs("phuong calendar: không nhập gì.\n", stderr);
		return rc;
	}
	static struct import_year years[CALENDAR_STORE_YEARS_MAX];
	size_t n = import_years(&cal, (int)cli->year, years, CALENDAR_STORE_YEARS_MAX);
	if (n == 0 || n > CALENDAR_STORE_YEARS_MAX) {
		calendar_release(&cal);
		if (n > 0)
			return bad_input("tệp có quá nhiều năm (tối đa %d mỗi lần nhập)",
					 CALENDAR_STORE_YEARS_MAX);
		if (cli->year != 0)
			return bad_input("tệp không có ngày nào của năm %lld: không nhập gì",
					 (long long)cli->year);
		return bad_input("tệp không có ngày nào: không nhập gì");
	}
	bool all_have_tet = true;
	for (size_t i = 0; i < n; i++)
		all_have_tet = all_have_tet && years[i].has_tet;
	if (!all_have_tet && !cli->force) {
		calendar_release(&cal);
		return refuse_without_tet(years, n);
	}
	struct db *db = open_store(&cli->cfg);
	if (db == NULL) {
		calendar_release(&cal);
		return 1;
	}
	struct db_conn *c = db_acquire(db);
	int list[CALENDAR_STORE_YEARS_MAX];
	int64_t replaced[CALENDAR_STORE_YEARS_MAX];
	for (size_t i = 0; i < n; i++)
		list[i] = years[i].year;
	struct audit_actor actor = { 0, "cli" };
	enum status st = calendar_store_import(c, &cal, list, n, (int64_t)time(NULL), &actor,
					       replaced);
	calendar_release(&cal);
	if (st != STATUS_OK) {
		fprintf(stderr, "phuong calendar: không ghi được vào cơ sở dữ liệu (%s): không nhập gì\n",
			status_name(st));
		db_release(c);
		db_close(db);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct import_year *y = &years[i];
		printf("Năm %d: đã nhập %d ngày nghỉ, %d ngày làm bù", y->year, y->days_off,
		       y->working_days);
		if (replaced[i] > 0)
			printf(", thay cho %lld ngày đã nhập trước", (long long)replaced[i]);
		if (y->days_off == 0)
			fputs(". Năm này không có ngày nghỉ nào nên chưa là lịch chính thức: ngày nghỉ"
			      " vẫn do chương trình đề xuất", stdout);
		else if (!y->has_tet)
			fputs(". Cảnh báo: không có ngày nghỉ Tết Nguyên đán (--force)", stdout);
		fputs(".\n", stdout);
	}
	print_official_years(c);
	for (size_t i = 0; i < n; i++)
		printf("imported %d day_off=%d working_day=%d replaced=%lld\n", years[i].year,
		       years[i].days_off, years[i].working_days, (long long)replaced[i]);
	db_release(c);
	db_close(db);
	return 0;
}

static int run_hours(const struct calendar_cli *cli)
{
	if (cli->nargs != 0)
		return bad_input("thừa tham số '%s'", cli->args[0]);
	/* Checked before the database is opened: bad input writes nothing. */
	struct calendar_settings wanted;
	calendar_settings_default(&wanted);
	if (cli->hours != NULL && !calendar_parse_hours(cli->hours, &wanted))
		return bad_input("giờ làm việc '%s' không hợp lệ (cần buổi sáng và buổi chiều dạng "
				 "\"07:30-11:30,13:00-17:00\", buổi sáng kết thúc trước buổi chiều)",
				 cli->hours);
	if (cli->days != NULL && !calendar_parse_weekdays(cli->days, &wanted.working_weekdays))
		return bad_input("ngày làm việc '%s' không hợp lệ (cần dạng mon-fri hoặc mon-fri,sat;"
				 " các ngày mon tue wed thu fri sat sun)", cli->days);
	struct db *db = open_store(&cli->cfg);
	if (db == NULL)
		return 1;
	struct db_conn *c = db_acquire(db);
	int64_t now = time(NULL);
	int rc = 0;
	if (app_ensure_unit(c, "1", cli->cfg.unit_name, now) != STATUS_OK) {
		fputs("phuong calendar: không tạo được đơn vị 1\n", stderr);
		rc = 1;
	}
	int64_t unit_id = 1;
	char name[200] = "";
	if (rc == 0)
		rc = find_unit(c, cli->unit, &unit_id, name, sizeof name);
	struct calendar_settings s;
	calendar_settings_default(&s);
	bool is_set = false;
	enum status st = STATUS_OK;
	if (rc == 0)
		st = calendar_store_hours(c, unit_id, &s, &is_set);
	if (rc == 0 && st == STATUS_OK && (cli->hours != NULL || cli->days != NULL)) {
		if (cli->hours != NULL) {
			s.morning_start = wanted.morning_start;
			s.morning_end = wanted.morning_end;
			s.afternoon_start = wanted.afternoon_start;
			s.afternoon_end = wanted.afternoon_end;
		}
		if (cli->days != NULL)
			s.working_weekdays = wanted.working_weekdays;
		struct audit_actor actor = { 0, "cli" };
		st = calendar_store_set_hours(c, unit_id, &s, now, &actor);
		if (st == STATUS_OK) {
			is_set = true;
			printf("Đã lưu giờ làm việc mới của %s.\n", name);
		}
	}
	if (rc == 0 && st != STATUS_OK) {
		fprintf(stderr, "phuong calendar: không đọc hoặc ghi được giờ làm việc: %s\n",
			status_name(st));
		rc = 1;
	}
	if (rc == 0) {
		char days[CALENDAR_HOURS_TEXT_MAX], hours[CALENDAR_HOURS_TEXT_MAX];
		calendar_format_weekdays(s.working_weekdays, days, sizeof days);
		calendar_format_hours(&s, hours, sizeof hours);
		printf("Đơn vị: %s%s\n", name, is_set ? "" : " (giờ mặc định, chưa đặt riêng)");
		print_hours_line(&s);
		printf("days %s\nhours %s\n", days, hours);
	}
	db_release(c);
	db_close(db);
	return rc;
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
		unsigned options;
	} subcommands[] = {
		{ "lunar", usage_lunar, run_lunar, 0 },
		{ "show", usage_show, run_show,
		  OPT_BIT_FILES | OPT_BIT_SWAPPED | OPT_BIT_STORE | OPT_BIT_UNIT },
		{ "due", usage_due, run_due,
		  OPT_BIT_FILES | OPT_BIT_SWAPPED | OPT_BIT_STORE | OPT_BIT_UNIT | OPT_BIT_DUE },
		{ "import", usage_import, run_import, OPT_BIT_SWAPPED | OPT_BIT_STORE | OPT_BIT_IMPORT },
		{ "hours", usage_hours, run_hours, OPT_BIT_STORE | OPT_BIT_UNIT | OPT_BIT_HOURS },
	};
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
		if (strcmp(argv[1], subcommands[i].name) != 0)
			continue;
		struct calendar_cli cli = { 0 };
		int rc = parse_options(argc - 1, argv + 1, subcommands[i].usage,
				       subcommands[i].options, &cli);
		return rc >= 0 ? rc : subcommands[i].run(&cli);
	}
	fprintf(stderr, "phuong calendar: không có lệnh con '%s'\n\n%s", argv[1], usage_calendar);
	return 2;
}
