/* main.c: the command line: serve, init, user, backup, restore, audit, calendar */
#include "app/app.h"
#include "app/cli_calendar.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/log.h"
#include "html/html.h"
#include "http/server.h"
#include "news/news.h"
#include "news/news_pages.h"
#include "onestop/onestop.h"
#include "store/store.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_main[] =
	"phuong: the portal and front office of a ward or commune People's Committee\n"
	"\n"
	"usage: phuong COMMAND [OPTIONS]\n"
	"\n"
	"commands:\n"
	"  serve          run the web server\n"
	"  init           create and migrate the database (and the first admin account)\n"
	"  user add|passwd|list   manage staff accounts\n"
	"  backup FILE    write an online, consistent copy of the database\n"
	"  restore FILE   replace the database with a backup (server stopped)\n"
	"  migrate-to URL copy the SQLite database into an empty PostgreSQL database\n"
	"  audit verify   check the hash chain of the audit log\n"
	"  routes         list what the server serves: method, path, permission\n"
	"  calendar lunar|show|due|import|hours   lunar dates, working days, appointment\n"
	"                 dates; import the official yearly schedule; a unit's working hours\n"
	"\n"
	"common options (also settings of the --config INI file):\n"
	"  --config FILE  read settings from FILE first\n"
	"  --data DIR     folder of the database and of what the server writes (default var)\n"
	"  --database URL store URL: sqlite:FILE (default sqlite:DIR/phuong.db) or\n"
	"                 postgresql://USER@HOST:PORT/DB (a province's shared database)\n"
	"\n"
	"'phuong COMMAND --help' tells more.\n";

static const char usage_serve[] =
	"usage: phuong serve [--listen HOST:PORT] [--data DIR] [--demo] [--config FILE]\n"
	"                    [--threads N] [--pool N] [--dev] [--share DIR] [--no-access-log] [--https]\n"
	"                    [--site-name NAME] [--unit-name NAME] [--base-url URL]\n"
	"\n"
	"  --listen HOST:PORT  address to serve on (default 127.0.0.1:8080)\n"
	"  --demo              load the demo content into a new, empty data folder\n"
	"  --threads N         server threads (default: the number of cores)\n"
	"  --pool N            database connections (default: threads + 1)\n"
	"  --dev               reload templates when they change\n"
	"  --share DIR         folder holding templates/, static/, po/ and data/\n"
	"  --https             the site is served over TLS (by a proxy): Secure cookies\n"
	"A new database gets an admin account 'admin' whose password is printed once.\n";

static const char usage_init[] =
	"usage: phuong init [--data DIR] [--demo] [--config FILE]\n"
	"Creates and migrates the database, the unit, and an admin account whose password is\n"
	"printed once. --demo also loads the demo content.\n";

static const char usage_user[] =
	"usage: phuong user add USERNAME --role admin|editor [--name \"FULL NAME\"] [--password-stdin]\n"
	"       phuong user passwd USERNAME [--password-stdin]\n"
	"       phuong user list\n"
	"  (with --data DIR / --config FILE as for every command)\n"
	"Without --password-stdin a random password is made and printed once.\n";

static const char usage_backup[] =
	"usage: phuong backup FILE [--data DIR]\n"
	"Writes a consistent copy of the database to FILE while the server runs.\n";

static const char usage_migrate_to[] =
	"usage: phuong migrate-to postgresql://USER@HOST:PORT/NAME [--data DIR | --database URL]\n"
	"Copies every row and file of this ward's SQLite database (stop the server first)\n"
	"into an empty PostgreSQL database, in one transaction, and checks each table's row\n"
	"count: a ward joining its province. The SQLite file is only read.\n";

static const char usage_restore[] =
	"usage: phuong restore FILE [--data DIR]\n"
	"Checks FILE and puts it in place of the database. Stop the server first.\n";

static const char usage_audit[] =
	"usage: phuong audit verify [--data DIR]\n"
	"Checks every row of the audit log against the hash chain; prints the first broken\n"
	"row and exits 1 if there is one.\n";

struct cli {
	struct config cfg;
	bool demo, password_stdin, help;
	const char *role, *name;
	const char *args[4];
	int nargs;
};

/* Parses the options every command shares, and positional arguments. */
static void parse_cli(int argc, char **argv, struct cli *cli, const char *usage)
{
	enum { OPT_CONFIG = 1000, OPT_NO_ACCESS_LOG, OPT_PASSWORD_STDIN, OPT_SET };
	static const struct option options[] = {
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "listen", required_argument, NULL, 'l' },
		{ "data", required_argument, NULL, 'd' },
		{ "database", required_argument, NULL, 'D' },
		{ "threads", required_argument, NULL, 't' },
		{ "pool", required_argument, NULL, 'p' },
		{ "share", required_argument, NULL, 's' },
		{ "site-name", required_argument, NULL, 'n' },
		{ "unit-name", required_argument, NULL, 'u' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "dev", no_argument, NULL, 'v' },
		{ "https", no_argument, NULL, 'h' + 256 },
		{ "demo", no_argument, NULL, 'm' },
		{ "no-access-log", no_argument, NULL, OPT_NO_ACCESS_LOG },
		{ "role", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'N' },
		{ "password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	config_defaults(&cli->cfg);
	/* A config file is read before the flags, whatever their order. */
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--config") == 0 && !config_load(&cli->cfg, argv[i + 1]))
			exit(2);
	static const char *const names[256] = {
		['l'] = "listen", ['d'] = "data", ['D'] = "database", ['t'] = "threads", ['p'] = "pool",
		['s'] = "share", ['n'] = "site_name", ['u'] = "unit_name", ['b'] = "base_url",
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (c > 0 && c < 256 && names[c] != NULL) {
			if (!config_set(&cli->cfg, names[c], optarg)) {
				fprintf(stderr, "phuong: bad value '%s' for --%s\n", optarg, names[c]);
				exit(2);
			}
			continue;
		}
		switch (c) {
		case OPT_CONFIG: break;
		case 'v': cli->cfg.dev = true; break;
		case 'h' + 256: cli->cfg.https = true; break;
		case 'm': cli->demo = true; break;
		case OPT_NO_ACCESS_LOG: cli->cfg.access_log = false; break;
		case 'r': cli->role = optarg; break;
		case 'N': cli->name = optarg; break;
		case OPT_PASSWORD_STDIN: cli->password_stdin = true; break;
		case 'H': fputs(usage, stdout); exit(0);
		default: fputs(usage, stderr); exit(2);
		}
	}
	for (int i = optind; i < argc && cli->nargs < 4; i++)
		cli->args[cli->nargs++] = argv[i];
	config_finish(&cli->cfg, argv[0]);
}

static int mkdir_data(const char *dir);

static struct db *open_db(const struct config *cfg)
{
	if (mkdir_data(cfg->data_dir) != 0)
		exit(1);
	struct db *db = db_open(cfg->database, 2);
	if (db == NULL)
		die("cannot open the database '%s'", cfg->database);
	return db;
}

static bool read_password(char *out, size_t n)
{
	if (fgets(out, (int)n, stdin) == NULL)
		return false;
	out[strcspn(out, "\r\n")] = '\0';
	return true;
}

/* Makes the unit, an admin account if none, and the demo content if asked. */
static void prepare_database(struct cli *cli, struct db *db)
{
	int64_t now = time(NULL);
	struct db_conn *c = db_acquire(db);
	if (app_ensure_unit(c, "1", cli->cfg.unit_name, now) != STATUS_OK)
		die("cannot create the unit");
	bool has_admin;
	if (app_has_admin(c, 1, &has_admin) != STATUS_OK)
		die("cannot read the accounts");
	if (!has_admin) {
		char password[17];
		auth_one_time_password(password);
		if (auth_user_create(c, 1, "admin", "Quản trị viên", password, "admin", now, NULL) !=
			    STATUS_OK ||
		    auth_user_require_new_password(c, 1, "admin") != STATUS_OK)
			die("cannot create the admin account");
		printf("Tài khoản quản trị / admin account: admin\n"
		       "Mật khẩu ban đầu / initial password: %s\n"
		       "(mật khẩu dùng một lần: đăng nhập xong phải đặt mật khẩu mới;"
		       " one-time: a new one is asked at the first sign-in)\n", password);
		sodium_memzero(password, sizeof password);
	}
	if (cli->demo) {
		int64_t count;
		if (news_article_count(c, 1, &count) != STATUS_OK)
			die("cannot read the articles");
		if (count == 0) {
			char dir[700];
			snprintf(dir, sizeof dir, "%s/data/demo", cli->cfg.share_dir);
			if (news_demo_load(c, 1, dir, now) != STATUS_OK)
				die("cannot load the demo content from '%s'", dir);
			log_info("demo content loaded from '%s'", dir);
		}
		if (onestop_count(c, 1, &count) != STATUS_OK)
			die("cannot read the procedures");
		if (count == 0) {
			char path[700];
			snprintf(path, sizeof path, "%s/data/demo/procedures.json", cli->cfg.share_dir);
			if (onestop_demo_load(c, 1, path, now) != STATUS_OK)
				die("cannot load the demo procedures from '%s'", path);
			log_info("demo procedures loaded from '%s'", path);
		}
	}
	db_release(c);
	fflush(stdout);
}

/* Makes the data folder if it is missing. */
static int mkdir_data(const char *dir)
{
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		fprintf(stderr, "phuong: cannot create '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static int cmd_serve(int argc, char **argv)
{
	struct cli cli = { 0 };
	parse_cli(argc, argv, &cli, usage_serve);
	static struct app app;
	if (!app_open(&app, &cli.cfg))
		die("cannot start");
	prepare_database(&cli, app.db);
	app_start_background(&app);
	struct http_server_options opt = {
		.host = cli.cfg.listen_host,
		.port = cli.cfg.listen_port,
		.threads = cli.cfg.threads,
		.connection_timeout_s = cli.cfg.connection_timeout_s,
		.connection_limit = cli.cfg.connection_limit,
		.access_log = cli.cfg.access_log,
		.dispatch = app_dispatch,
		.app = &app,
	};
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct http_server *server = http_server_start(&opt);
	if (server == NULL) {
		app_close(&app);
		die("cannot serve on %s:%d", opt.host, opt.port);
	}
	printf("Cổng thông tin đang chạy / serving: http://%s:%d/\n"
	       "Đăng nhập quản trị / sign in: http://%s:%d/quan-tri/dang-nhap\n",
	       opt.host, opt.port, opt.host, opt.port);
	fflush(stdout);
	while (!got_signal)
		pause();
	log_info("signal %d: finishing requests in flight and stopping", (int)got_signal);
	http_server_stop(server);
	app_close(&app);
	log_info("stopped cleanly");
	return 0;
}

static int cmd_init(int argc, char **argv)
{
	struct cli cli = { 0 };
	parse_cli(argc, argv, &cli, usage_init);
	struct db *db = open_db(&cli.cfg);
	prepare_database(&cli, db);
	db_close(db);
	return 0;
}

static int cmd_user(int argc, char **argv)
{
	struct cli cli = { 0 };
	parse_cli(argc, argv, &cli, usage_user);
	if (cli.nargs < 1) {
		fputs(usage_user, stderr);
		return 2;
	}
	const char *verb = cli.args[0];
	struct db *db = open_db(&cli.cfg);
	struct db_conn *c = db_acquire(db);
	if (app_ensure_unit(c, "1", cli.cfg.unit_name, time(NULL)) != STATUS_OK)
		die("cannot create the unit");
	int rc = 0;
	if (strcmp(verb, "list") == 0) {
		json_t *users;
		if (auth_user_list(c, 1, &users) != STATUS_OK)
			die("cannot list the accounts");
		size_t i;
		json_t *u;
		json_array_foreach(users, i, u)
			printf("%-20s %-8s %-6s %s\n", json_string_value(json_object_get(u, "username")),
			       json_string_value(json_object_get(u, "role")),
			       json_is_true(json_object_get(u, "is_active")) ? "active" : "locked",
			       json_string_value(json_object_get(u, "display_name")));
		json_decref(users);
	} else if ((strcmp(verb, "add") == 0 || strcmp(verb, "passwd") == 0) && cli.nargs == 2) {
		char password[AUTH_PASSWORD_MAX + 2];
		bool generated = !cli.password_stdin;
		if (generated)
			auth_one_time_password(password);
		else if (!read_password(password, sizeof password))
			die("no password on standard input");
		const char *problem = auth_password_problem(password);
		if (problem != NULL) {
			fprintf(stderr, "phuong: %s\n", problem);
			rc = 1;
		} else if (strcmp(verb, "add") == 0) {
			if (!auth_role_valid(cli.role) || !auth_username_valid(cli.args[1])) {
				fputs("phuong: user add needs a valid USERNAME (a-z 0-9 . _ -) and --role "
				      "admin|editor\n", stderr);
				rc = 2;
			} else {
				enum status st = auth_user_create(c, 1, cli.args[1], cli.name, password,
								  cli.role, time(NULL), NULL);
				if (st == STATUS_CONFLICT)
					fprintf(stderr, "phuong: user '%s' exists already\n", cli.args[1]);
				rc = st ? 1 : 0;
			}
		} else {
			enum status st = auth_user_set_password(c, 1, cli.args[1], password);
			if (st == STATUS_NOT_FOUND)
				fprintf(stderr, "phuong: no user '%s'\n", cli.args[1]);
			rc = st ? 1 : 0;
		}
		if (rc == 0 && generated)
			printf("Mật khẩu / password of %s: %s\n", cli.args[1], password);
		sodium_memzero(password, sizeof password);
	} else {
		fputs(usage_user, stderr);
		rc = 2;
	}
	db_release(c);
	db_close(db);
	return rc;
}

static int cmd_backup(int argc, char **argv)
{
	struct cli cli = { 0 };
	parse_cli(argc, argv, &cli, usage_backup);
	if (cli.nargs != 1) {
		fputs(usage_backup, stderr);
		return 2;
	}
	struct db *db = open_db(&cli.cfg);
	enum status st = db_backup(db, cli.args[0]);
	db_close(db);
	if (st) {
		fprintf(stderr, "phuong: backup to '%s' failed: %s\n", cli.args[0], status_name(st));
		return 1;
	}
	printf("backup written to %s\n", cli.args[0]);
	return 0;
}

static void report_table(const char *table, int64_t rows, void *ctx)
{
	(void)ctx;
	printf("  %-24s %lld\n", table, (long long)rows);
}

static int cmd_migrate_to(int argc, char **argv)
{
	struct cli cli = { 0 };
	parse_cli(argc, argv, &cli, usage_migrate_to);
	if (cli.nargs != 1) {
		fputs(usage_migrate_to, stderr);
		return 2;
	}
	const char *target = cli.args[0];
	if (strncmp(target, "postgresql://", 13) != 0 && strncmp(target, "postgres://", 11) != 0) {
		fputs("phuong: migrate-to needs a postgresql:// URL\n", stderr);
		return 2;
	}
	if (strncmp(cli.cfg.database, "postgres", 8) == 0) {
		fputs("phuong: the source (--data or --database) must be a SQLite database\n", stderr);
		return 2;
	}
	/* Brings the ward's file to this binary's schema first, as the target gets. */
	struct db *source = db_open(cli.cfg.database, 1);
	if (source == NULL) {
		fprintf(stderr, "phuong: cannot open '%s'\n", cli.cfg.database);
		return 1;
	}
	db_close(source);
	struct db *to = db_open(target, 1);
	if (to == NULL) {
		fputs("phuong: cannot open the PostgreSQL database\n", stderr);
		return 1;
	}
	printf("copying %s\n", cli.cfg.database);
	enum status st = db_copy(cli.cfg.database, to, report_table, NULL);
	db_close(to);
	if (st) {
		fprintf(stderr, "phuong: migrate-to failed (%s); nothing was written\n",
			st == STATUS_CONFLICT ? "the target database holds data already"
					      : status_name(st));
		return 1;
	}
	puts("done: every table copied and its row count checked");
	return 0;
}

static int cmd_restore(int argc, char **argv)
{
	struct cli cli = { 0 };
	parse_cli(argc, argv, &cli, usage_restore);
	if (cli.nargs != 1) {
		fputs(usage_restore, stderr);
		return 2;
	}
	if (mkdir_data(cli.cfg.data_dir) != 0)
		return 1;
	enum status st = db_restore(cli.cfg.database, cli.args[0]);
	if (st) {
		fprintf(stderr, "phuong: restore from '%s' failed: %s\n", cli.args[0],
			status_name(st));
		return 1;
	}
	printf("database restored from %s\n", cli.args[0]);
	return 0;
}

static int cmd_audit(int argc, char **argv)
{
	struct cli cli = { 0 };
	parse_cli(argc, argv, &cli, usage_audit);
	if (cli.nargs != 1 || strcmp(cli.args[0], "verify") != 0) {
		fputs(usage_audit, stderr);
		return 2;
	}
	struct db *db = open_db(&cli.cfg);
	struct db_conn *c = db_acquire(db);
	int64_t rows, first_bad;
	enum status st = audit_verify(c, &rows, &first_bad);
	db_release(c);
	db_close(db);
	if (st) {
		fprintf(stderr, "phuong: cannot read the audit log: %s\n", status_name(st));
		return 1;
	}
	if (first_bad != 0) {
		printf("BROKEN: audit row %lld does not match the chain (%lld rows read)\n",
		       (long long)first_bad, (long long)rows);
		return 1;
	}
	printf("OK: %lld audit rows, chain intact\n", (long long)rows);
	return 0;
}

/* The route table, one route a line: METHOD<TAB>PATTERN<TAB>PERMISSION<TAB>WRITES
 * (tests walk it to prove every route keeps units apart). */
static int cmd_routes(int argc, char **argv)
{
	if (argc > 1) {
		fputs("usage: phuong routes\nLists the routes: method, path pattern ({} is one path "
		      "segment), permission, and 'writes' for a route that changes state.\n",
		      strcmp(argv[1], "--help") == 0 ? stdout : stderr);
		return strcmp(argv[1], "--help") == 0 ? 0 : 2;
	}
	for (size_t i = 0; i < routes_count; i++)
		printf("%s\t%s\t%s\t%s\n", routes[i].method == ROUTE_POST ? "POST" : "GET",
		       routes[i].pattern, auth_permission_name(routes[i].permission),
		       routes[i].changes_state ? "writes" : "reads");
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		die("cannot start libsodium");
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(usage_main, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} commands[] = {
		{ "serve", cmd_serve }, { "init", cmd_init }, { "user", cmd_user },
		{ "backup", cmd_backup }, { "restore", cmd_restore }, { "audit", cmd_audit },
		{ "routes", cmd_routes },
		{ "migrate-to", cmd_migrate_to }, { "calendar", cli_calendar },
	};
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "phuong: unknown command '%s'\n\n%s", argv[1], usage_main);
	return 2;
}
