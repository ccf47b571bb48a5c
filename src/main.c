/* main.c: the command line: serve, init, user, backup, restore, audit, calendar, receipt, mail */
#include "app/app.h"
#include "app/cli_calendar.h"
#include "app/metrics.h"
#include "app/sandbox.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "base/log.h"
#include "base/utf8.h"
#include "html/html.h"
#include "http/metrics.h"
#include "http/server.h"
#include "mail/mail.h"
#include "news/news.h"
#include "news/news_pages.h"
#include "onestop/onestop.h"
#include "onestop/receipt.h"
#include "store/store.h"
#include "text/text.h"
#include "unitkey/unitkey.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
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
	"  audit verify|checkpoint   check the audit log's hash chain and its signed\n"
	"                 checkpoints; sign (and print) a checkpoint of its head\n"
	"  routes         list what the server serves: method, path, permission\n"
	"  calendar lunar|show|due|import|hours   lunar dates, working days, appointment\n"
	"                 dates; import the official yearly schedule; a unit's working hours\n"
	"  receipt key|verify   a unit's receipt signing key; check a receipt's QR payload\n"
	"  mail test ADDRESS    send a test email with the smtp_* settings\n"
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
	"                    [--lookup-limit N] [--submit-limit N] [--submit-upload-mb N]\n"
	"                    [--trusted-proxies LIST] [--per-ip-limit N] [--request-timeout S]\n"
	"                    [--metrics-listen HOST:PORT] [--no-seccomp]\n"
	"\n"
	"  --listen HOST:PORT  address to serve on (default 127.0.0.1:8080); [IPV6]:PORT for\n"
	"                      IPv6 ([::]:8080 takes IPv4 clients too); give it several times\n"
	"                      to serve on several addresses\n"
	"  --demo              load the demo content into a new, empty data folder\n"
	"  --threads N         server threads (default: the number of cores)\n"
	"  --pool N            database connections (default: threads + 1)\n"
	"  --dev               reload templates when they change\n"
	"  --share DIR         folder holding templates/, static/, po/ and data/\n"
	"  --https             the site is served over TLS (by a proxy): Secure cookies\n"
	"  --lookup-limit N    public dossier lookups one address may make in 10 minutes\n"
	"                      (default 30; 0: no limit, e.g. behind a carrier's NAT)\n"
	"  --trusted-proxies LIST  addresses and CIDRs of reverse proxies (e.g. 127.0.0.1,::1):\n"
	"                      from them, X-Forwarded-For (or X-Real-IP) names the client\n"
	"  --per-ip-limit N    connections one address may hold (default 64; 0 with\n"
	"                      --trusted-proxies, whose proxy limits its clients)\n"
	"  --request-timeout S a whole request must arrive within S seconds (default 120)\n"
	"  --submit-limit N    online submissions one address may send a unit in an hour\n"
	"                      (default 10; 0: no limit)\n"
	"  --submit-upload-mb N  megabytes of attachments a unit takes online in an hour\n"
	"                      (default 100; 0: no limit)\n"
	"  --metrics-listen HOST:PORT  serve Prometheus metrics at /metrics on this separate\n"
	"                      address (e.g. 127.0.0.1:9108; default: off)\n"
	"  --no-seccomp        no system call filter once serving (for debugging; the same as\n"
	"                      --seccomp off; --seccomp log lets the kernel log unlisted calls)\n"
	"A new database gets an admin account 'admin' whose password is printed once.\n";

static const char usage_init[] =
	"usage: phuong init [--data DIR] [--demo] [--config FILE]\n"
	"Creates and migrates the database, the unit, and an admin account whose password is\n"
	"printed once. --demo also loads the demo content.\n";

static const char usage_user[] =
	"usage: phuong user add USERNAME --role admin|editor|clerk|specialist|leader [--name \"FULL NAME\"] [--password-stdin]\n"
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
	"count: a ward joining its province. The SQLite file is only read. Refused while a\n"
	"server holds DIR/phuong.lock.\n";

static const char usage_restore[] =
	"usage: phuong restore FILE [--data DIR]\n"
	"Checks FILE and puts it in place of the database. Stop the server first: a server\n"
	"holds DIR/phuong.lock while it runs, and restore refuses to start while it does.\n";

static const char usage_audit[] =
	"usage: phuong audit verify [--checkpoint TEXT] [--data DIR]\n"
	"       phuong audit checkpoint [--print] [--data DIR]\n"
	"'verify' checks every row of the audit log against the hash chain, then every signed\n"
	"checkpoint of DIR/audit-checkpoints (and TEXT, a checkpoint kept on paper): each must\n"
	"be signed by its unit's key and its row still in the log with its hash, so rows\n"
	"deleted from the end are found. Prints what is broken and exits 1, or exits 0.\n"
	"'checkpoint' signs the log's head (last row, its hash, the time), appends it to\n"
	"DIR/audit-checkpoints, and prints it; --print adds a short text to file on paper or\n"
	"send upward. The server writes one every audit_checkpoint_minutes and at shutdown.\n";

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
	enum { OPT_CONFIG = 1000, OPT_NO_ACCESS_LOG, OPT_PASSWORD_STDIN, OPT_SET, OPT_NO_SECCOMP };
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
		{ "lookup-limit", required_argument, NULL, 'L' },
		{ "trusted-proxies", required_argument, NULL, 'T' },
		{ "per-ip-limit", required_argument, NULL, 'I' },
		{ "request-timeout", required_argument, NULL, 'R' },
		{ "submit-limit", required_argument, NULL, 'S' },
		{ "submit-upload-mb", required_argument, NULL, 'U' },
		{ "metrics-listen", required_argument, NULL, 'M' },
		{ "seccomp", required_argument, NULL, 'Z' },
		{ "no-seccomp", no_argument, NULL, OPT_NO_SECCOMP },
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
		['L'] = "lookup_limit", ['T'] = "trusted_proxies", ['I'] = "per_ip_limit",
		['R'] = "request_timeout", ['S'] = "submit_limit", ['U'] = "submit_upload_mb",
		['M'] = "metrics_listen", ['Z'] = "seccomp",
	};
	/* --listen may be given several times: together they replace the config file's list. */
	char listens[HTTP_LISTEN_MAX * (HTTP_HOST_TEXT + 8) + 1] = "";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (c == 'l') {
			size_t used = strlen(listens);
			if (strlen(optarg) + 2 > sizeof listens - used) {
				fprintf(stderr, "phuong: too many --listen\n");
				exit(2);
			}
			snprintf(listens + used, sizeof listens - used, "%s%s", used ? "," : "", optarg);
			continue;
		}
		if (c > 0 && c < 256 && names[c] != NULL) {
			if (!config_set(&cli->cfg, names[c], optarg)) {
				char flag[32];
				snprintf(flag, sizeof flag, "%s", names[c]);
				for (char *p = flag; *p != '\0'; p++)
					*p = *p == '_' ? '-' : *p; /* the flag as typed: --site-name */
				fprintf(stderr, "phuong: bad value '%s' for --%s\n", optarg, flag);
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
		case OPT_NO_SECCOMP: cli->cfg.seccomp = SANDBOX_OFF; break;
		case 'r': cli->role = optarg; break;
		case 'N': cli->name = optarg; break;
		case OPT_PASSWORD_STDIN: cli->password_stdin = true; break;
		case 'H': fputs(usage, stdout); exit(0);
		default: fputs(usage, stderr); exit(2);
		}
	}
	if (listens[0] != '\0' && !config_set(&cli->cfg, "listen", listens)) {
		fprintf(stderr, "phuong: bad value '%s' for --listen\n", listens);
		exit(2);
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

/* Prints s; a name stored before names were cleaned that holds control characters or
 * bidirectional overrides is printed with every byte outside printable ASCII as \xNN, so
 * that it cannot drive the terminal. */
static void print_visible(const char *s)
{
	s = s != NULL ? s : "";
	if (!utf8_has_controls(s, strlen(s)) && !text_has_hidden_controls(s)) {
		fputs(s, stdout);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p >= 0x7F || *p == '\\')
			printf("\\x%02X", *p);
		else
			putchar(*p);
	}
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

/* The data folder's lock file: a server holds it shared for its lifetime; restore and
 * migrate-to take it exclusive without waiting, so neither runs under a live server. */
#define DATA_LOCK_FILE "phuong.lock"

/* Locks DIR/phuong.lock (shared or exclusive), never waiting: the open descriptor (kept
 * until exit: the lock goes with the process), or -1 after printing why. */
static int data_lock(const char *dir, bool exclusive)
{
	char path[700];
	snprintf(path, sizeof path, "%s/" DATA_LOCK_FILE, dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		fprintf(stderr, "phuong: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
		return fd;
	if (errno == EWOULDBLOCK && exclusive)
		fprintf(stderr, "phuong: máy chủ đang chạy trên thư mục dữ liệu '%s' (%s bị khóa):"
			" hãy dừng máy chủ trước / a server is running on this data folder: stop it"
			" first\n", dir, path);
	else if (errno == EWOULDBLOCK)
		fprintf(stderr, "phuong: thư mục dữ liệu '%s' đang được khôi phục hoặc chuyển"
			" (%s bị khóa) / a restore or migrate-to is running on it\n", dir, path);
	else
		fprintf(stderr, "phuong: cannot lock '%s': %s\n", path, strerror(errno));
	close(fd);
	return -1;
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
	if (mkdir_data(cli.cfg.data_dir) != 0 || data_lock(cli.cfg.data_dir, false) < 0)
		return 1;
	static struct app app;
	if (!app_open(&app, &cli.cfg))
		die("cannot start");
	prepare_database(&cli, app.db);
	app_start_background(&app);
	app_metrics_init();
	struct http_server_options opt = {
		.listen = cli.cfg.listen,
		.listen_count = (size_t)cli.cfg.listen_count,
		.threads = cli.cfg.threads,
		.connection_timeout_s = cli.cfg.connection_timeout_s,
		.connection_limit = cli.cfg.connection_limit,
		.per_ip_limit = cli.cfg.per_ip_limit,
		.request_timeout_s = cli.cfg.request_timeout_s,
		.access_log = cli.cfg.access_log,
		.trusted_proxies = cli.cfg.trusted_proxies,
		.dispatch = app_dispatch,
		.completed = app_metrics_completed,
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
		die("cannot serve on the listen addresses (the reason is above)");
	}
	for (int i = 0; i < cli.cfg.listen_count; i++) {
		const struct http_listen *l = &cli.cfg.listen[i];
		bool is_v6 = strchr(l->host, ':') != NULL;
		printf("Cổng thông tin đang chạy / serving: http://%s%s%s:%d/\n"
		       "Đăng nhập quản trị / sign in: http://%s%s%s:%d/quan-tri/dang-nhap\n",
		       is_v6 ? "[" : "", l->host, is_v6 ? "]" : "", l->port, is_v6 ? "[" : "",
		       l->host, is_v6 ? "]" : "", l->port);
	}
	struct metrics_server *metrics = NULL;
	if (cli.cfg.metrics_listen[0] != '\0') {
		metrics = metrics_server_start(cli.cfg.metrics_listen, app_metrics_collect, &app);
		if (metrics == NULL) {
			http_server_stop(server);
			app_close(&app);
			die("cannot serve metrics on %s", cli.cfg.metrics_listen);
		}
		log_info("metrics: http://%s/metrics", cli.cfg.metrics_listen);
	}
	/* Ready: from here on only the system calls of serving (app/sandbox.h). */
	if (!sandbox_enter(cli.cfg.seccomp)) {
		metrics_server_stop(metrics);
		http_server_stop(server);
		app_close(&app);
		die("cannot install the seccomp filter (--no-seccomp runs without it)");
	}
	fflush(stdout);
	while (!got_signal)
		pause();
	log_info("signal %d: finishing requests in flight and stopping", (int)got_signal);
	http_server_stop(server);
	metrics_server_stop(metrics);
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
		json_array_foreach(users, i, u) {
			printf("%-20s %-8s %-6s ", json_string_value(json_object_get(u, "username")),
			       json_string_value(json_object_get(u, "role")),
			       json_is_true(json_object_get(u, "is_active")) ? "active" : "locked");
			print_visible(json_string_value(json_object_get(u, "display_name")));
			putchar('\n');
		}
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
			struct arena *a = arena_new(AUTH_DISPLAY_NAME_MAX * 16);
			const char *name = a != NULL ? auth_display_name_clean(a, cli.name) : NULL;
			if (!auth_role_valid(cli.role) || !auth_username_valid(cli.args[1])) {
				fputs("phuong: user add needs a valid USERNAME (a-z 0-9 . _ -) and --role "
				      "admin|editor\n", stderr);
				rc = 2;
			} else if (name == NULL) {
				fprintf(stderr, "phuong: --name: họ tên gồm tối đa %d ký tự, không có ký tự "
					"điều khiển hay ký tự đảo chiều văn bản\n", AUTH_DISPLAY_NAME_MAX);
				rc = 2;
			} else {
				enum status st = auth_user_create(c, 1, cli.args[1], name, password,
								  cli.role, time(NULL), NULL);
				if (st == STATUS_CONFLICT)
					fprintf(stderr, "phuong: user '%s' exists already\n", cli.args[1]);
				rc = st ? 1 : 0;
			}
			arena_free(a);
		} else {
			enum status st = auth_user_set_password(c, 1, cli.args[1], password);
			if (st == STATUS_NOT_FOUND)
				fprintf(stderr, "phuong: no user '%s'\n", cli.args[1]);
			rc = st ? 1 : 0;
		}
		/* A password printed on the terminal is one-time, as one typed by a unit's admin. */
		if (rc == 0 && generated && auth_user_require_new_password(c, 1, cli.args[1]))
			rc = 1;
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
	if (mkdir_data(cli.cfg.data_dir) != 0 || data_lock(cli.cfg.data_dir, true) < 0)
		return 1;
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
	if (mkdir_data(cli.cfg.data_dir) != 0 || data_lock(cli.cfg.data_dir, true) < 0)
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

/* Removes "--name VALUE" from argv (the first one) and returns VALUE, or NULL. */
static const char *take_option(int *argc, char **argv, const char *name)
{
	for (int i = 1; i + 1 < *argc; i++) {
		if (strcmp(argv[i], name) != 0)
			continue;
		const char *value = argv[i + 1];
		memmove(argv + i, argv + i + 2, (size_t)(*argc - i - 2 + 1) * sizeof *argv);
		*argc -= 2;
		return value;
	}
	return NULL;
}

/* Removes "--name" from argv (the first one); whether it was there. */
static bool take_flag(int *argc, char **argv, const char *name)
{
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], name) != 0)
			continue;
		memmove(argv + i, argv + i + 1, (size_t)(*argc - i) * sizeof *argv);
		(*argc)--;
		return true;
	}
	return false;
}

/* What the checkpoints said, for audit verify's summary. */
struct checkpoint_tally {
	int64_t head, holding;
	struct audit_checkpoint last; /* the newest that holds (last.text empty: none) */
	bool broken;
};

/* Checks one checkpoint line (from where: "FILE:LINE" or "--checkpoint") and prints what
 * is wrong with it. */
static enum status check_checkpoint(struct db_conn *c, const char *text, const char *where,
				    struct checkpoint_tally *t)
{
	struct audit_checkpoint cp;
	enum audit_checkpoint_state state;
	enum status st = audit_checkpoint_check(c, text, &cp, &state);
	if (st)
		return st;
	char when[AUDIT_TIME_TEXT_MAX];
	audit_time_text(cp.at, when);
	t->broken |= state != AUDIT_CHECKPOINT_HOLDS;
	switch (state) {
	case AUDIT_CHECKPOINT_HOLDS:
		t->holding++;
		if (t->last.text[0] == '\0' || cp.id > t->last.id ||
		    (cp.id == t->last.id && cp.at > t->last.at))
			t->last = cp;
		break;
	case AUDIT_CHECKPOINT_BAD_FORMAT:
		printf("BROKEN: %s: không phải điểm neo nhật ký / not a checkpoint line\n", where);
		break;
	case AUDIT_CHECKPOINT_NO_KEY:
		printf("BROKEN: %s: đơn vị '%s' không có khóa ký ở đây, không kiểm tra được chữ ký /"
		       " unit '%s' has no signing key here\n", where, cp.unit, cp.unit);
		break;
	case AUDIT_CHECKPOINT_FORGED:
		printf("FORGED: %s: chữ ký không hợp lệ với khóa của đơn vị '%s', điểm neo bị từ chối /"
		       " the signature does not verify: checkpoint refused (row %lld, %s)\n",
		       where, cp.unit, (long long)cp.id, when);
		break;
	case AUDIT_CHECKPOINT_TAIL_MISSING:
		printf("BROKEN: %s: nhật ký chỉ còn đến dòng %lld nhưng điểm neo lúc %s xác nhận dòng"
		       " %lld / the log ends at row %lld but the checkpoint of %s vouches for row"
		       " %lld: rows %lld-%lld are missing (the tail was deleted)\n",
		       where, (long long)t->head, when, (long long)cp.id, (long long)t->head, when,
		       (long long)cp.id, (long long)t->head + 1, (long long)cp.id);
		break;
	case AUDIT_CHECKPOINT_REWRITTEN:
		printf("BROKEN: %s: dòng %lld khác với điểm neo lúc %s / row %lld is not the one the"
		       " checkpoint of %s vouches for: the log was rewritten from there\n",
		       where, (long long)cp.id, when, (long long)cp.id, when);
		break;
	}
	return STATUS_OK;
}

/* audit verify: the chain, then the checkpoints of the data folder and of --checkpoint. */
static int audit_verify_all(struct db_conn *c, const char *dir, const char *given)
{
	int64_t rows, first_bad;
	struct checkpoint_tally t = { 0 };
	char head_hash[65];
	enum status st = audit_verify(c, &rows, &first_bad);
	if (st == STATUS_OK)
		st = audit_head(c, &t.head, head_hash);
	if (st == STATUS_OK && first_bad != 0)
		printf("BROKEN: audit row %lld does not match the chain (%lld rows read)\n",
		       (long long)first_bad, (long long)rows);
	char path[700], line[AUDIT_CHECKPOINT_MAX + 2], where[760];
	snprintf(path, sizeof path, "%s/" AUDIT_CHECKPOINT_FILE, dir);
	FILE *f = st == STATUS_OK ? fopen(path, "r") : NULL;
	for (int n = 1; f != NULL && st == STATUS_OK && fgets(line, sizeof line, f) != NULL; n++) {
		line[strcspn(line, "\r\n")] = '\0';
		snprintf(where, sizeof where, "%s:%d", path, n);
		if (line[0] != '\0' && line[0] != '#')
			st = check_checkpoint(c, line, where, &t);
	}
	if (f != NULL)
		fclose(f);
	if (st == STATUS_OK && given != NULL)
		st = check_checkpoint(c, given, "--checkpoint", &t);
	if (st) {
		fprintf(stderr, "phuong: cannot read the audit log: %s\n", status_name(st));
		return 1;
	}
	char when[AUDIT_TIME_TEXT_MAX];
	audit_time_text(t.last.at, when);
	if (t.broken || first_bad != 0) {
		if (t.holding > 0)
			printf("The last checkpoint that holds vouches for the log up to row %lld (made %s) /"
			       " điểm neo cuối còn đúng: dòng %lld\n", (long long)t.last.id, when,
			       (long long)t.last.id);
		else
			puts("No checkpoint holds / không điểm neo nào còn đúng");
		return 1;
	}
	if (t.holding == 0)
		printf("OK: %lld audit rows, chain intact; no checkpoint yet to vouch for its end"
		       " (run 'phuong audit checkpoint')\n", (long long)rows);
	else
		printf("OK: %lld audit rows, chain intact; %lld checkpoints hold, the last vouches"
		       " for the log up to row %lld (made %s)\n", (long long)rows, (long long)t.holding,
		       (long long)t.last.id, when);
	return 0;
}

/* audit checkpoint [--print]: signs the head, appends it to the data folder's file. */
static int audit_checkpoint_cli(struct cli *cli, struct db_conn *c, bool print)
{
	int64_t now = time(NULL);
	struct audit_checkpoint cp;
	unsigned char pk[UNITKEY_PUBLIC_BYTES];
	enum status st = app_ensure_unit(c, "1", cli->cfg.unit_name, now);
	if (st == STATUS_OK)
		st = audit_checkpoint_make(c, AUDIT_CHAIN_ALL_SIGNER, now, &cp);
	if (st == STATUS_OK)
		st = unitkey_public(c, AUDIT_CHAIN_ALL_SIGNER, pk);
	if (st) {
		fprintf(stderr, "phuong: cannot make a checkpoint: %s\n", status_name(st));
		return 1;
	}
	if (!audit_checkpoint_save(cli->cfg.data_dir, &cp))
		return 1;
	if (print) {
		char when[AUDIT_TIME_TEXT_MAX], pk_hex[2 * sizeof pk + 1];
		audit_time_text(cp.at, when);
		sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
		printf("ĐIỂM NEO NHẬT KÝ KIỂM TOÁN / AUDIT LOG CHECKPOINT\n"
		       "Đơn vị / unit:             %s\n"
		       "Chuỗi / chain:             %s\n"
		       "Dòng cuối / last row:      %lld\n"
		       "Mã băm / hash:             %s\n"
		       "Thời điểm / time:          %s\n"
		       "Khóa công khai / key:      %s\n"
		       "Chữ ký / signature:        phần cuối của dòng dưới / the last field below\n"
		       "Kiểm tra / check:          phuong audit verify --checkpoint 'DÒNG DƯỚI'\n",
		       cp.unit, cp.chain, (long long)cp.id, cp.hash, when, pk_hex);
	} else {
		printf("checkpoint of row %lld appended to %s/" AUDIT_CHECKPOINT_FILE "\n",
		       (long long)cp.id, cli->cfg.data_dir);
	}
	printf("%s\n", cp.text);
	return 0;
}

static int cmd_audit(int argc, char **argv)
{
	const char *given = take_option(&argc, argv, "--checkpoint");
	bool print = take_flag(&argc, argv, "--print");
	struct cli cli = { 0 };
	parse_cli(argc, argv, &cli, usage_audit);
	bool verify = cli.nargs == 1 && strcmp(cli.args[0], "verify") == 0 && !print;
	bool checkpoint = cli.nargs == 1 && strcmp(cli.args[0], "checkpoint") == 0 && given == NULL;
	if (!verify && !checkpoint) {
		fputs(usage_audit, stderr);
		return 2;
	}
	struct db *db = open_db(&cli.cfg);
	struct db_conn *c = db_acquire(db);
	int rc = verify ? audit_verify_all(c, cli.cfg.data_dir, given)
			: audit_checkpoint_cli(&cli, c, print);
	db_release(c);
	db_close(db);
	return rc;
}

static const char usage_receipt[] =
	"usage: phuong receipt key [--unit CODE] [--data DIR | --database URL]\n"
	"       phuong receipt verify PAYLOAD --public-key HEX\n"
	"'key' prints the unit's public key (hex), making the key pair on first use (unit 1\n"
	"without --unit). 'verify' checks the text of a receipt's QR code against a public\n"
	"key, with no database: exit 0 and its fields, or exit 1 and why.\n";

/* The unit of --unit CODE and its key pair; exit status or 0. */
static int receipt_unit_key(struct cli *cli, const char *unit, unsigned char *pk,
			    unsigned char *sk)
{
	struct db *db = open_db(&cli->cfg);
	struct db_conn *c = db_acquire(db);
	int64_t unit_id = 1;
	enum status st = app_unit_by_code(c, unit, &unit_id, NULL, 0);
	if (st == STATUS_NOT_FOUND && unit == NULL) {
		unit_id = 1; /* a database no unit has used yet */
		st = app_ensure_unit(c, "1", cli->cfg.unit_name, time(NULL));
	}
	if (st == STATUS_OK)
		st = unitkey_get(c, unit_id, time(NULL), pk, sk);
	db_release(c);
	db_close(db);
	if (st == STATUS_NOT_FOUND) {
		fprintf(stderr, "phuong receipt: không có đơn vị mã '%s'\n", unit);
		return 2;
	}
	if (st) {
		fprintf(stderr, "phuong receipt: không đọc được khóa: %s\n", status_name(st));
		return 1;
	}
	return 0;
}

static int cmd_receipt(int argc, char **argv)
{
	const char *unit = take_option(&argc, argv, "--unit");
	const char *public_key = take_option(&argc, argv, "--public-key");
	const char *code = take_option(&argc, argv, "--code");
	const char *procedure = take_option(&argc, argv, "--procedure");
	const char *due = take_option(&argc, argv, "--due");
	struct cli cli = { 0 };
	parse_cli(argc, argv, &cli, usage_receipt);
	unsigned char pk[RECEIPT_PUBLIC_KEY_BYTES], sk[RECEIPT_SECRET_KEY_BYTES];
	if (cli.nargs == 1 && strcmp(cli.args[0], "key") == 0) {
		int rc = receipt_unit_key(&cli, unit, pk, sk);
		sodium_memzero(sk, sizeof sk);
		if (rc)
			return rc;
		char hex[2 * sizeof pk + 1];
		sodium_bin2hex(hex, sizeof hex, pk, sizeof pk);
		printf("%s\n", hex);
		return 0;
	}
	if (cli.nargs == 2 && strcmp(cli.args[0], "verify") == 0 && public_key != NULL) {
		if (!unitkey_hex_decode(public_key, pk, sizeof pk)) {
			fputs("phuong receipt: --public-key phải là 64 chữ số hex\n", stderr);
			return 2;
		}
		struct receipt_fields f;
		enum receipt_check rc = receipt_verify(cli.args[1], pk, &f);
		if (rc != RECEIPT_GENUINE) {
			printf("not genuine: %s\n%s\n", receipt_check_name(rc), receipt_check_words(rc));
			return 1;
		}
		printf("genuine\ndossier: %s\nprocedure: %s\nappointment: %s\n", f.dossier_code,
		       f.procedure_code, f.appointment);
		return 0;
	}
	/* Hidden, for tests and admins: signs a payload with the unit's key. */
	if (cli.nargs == 1 && strcmp(cli.args[0], "sign") == 0 && code != NULL &&
	    procedure != NULL && due != NULL) {
		struct receipt_fields f;
		if (snprintf(f.dossier_code, sizeof f.dossier_code, "%s", code) >=
			    (int)sizeof f.dossier_code ||
		    snprintf(f.procedure_code, sizeof f.procedure_code, "%s", procedure) >=
			    (int)sizeof f.procedure_code ||
		    snprintf(f.appointment, sizeof f.appointment, "%s", due) >=
			    (int)sizeof f.appointment) {
			fputs("phuong receipt: mã hoặc ngày hẹn quá dài\n", stderr);
			return 2;
		}
		int rc = receipt_unit_key(&cli, unit, pk, sk);
		if (rc)
			return rc;
		struct arena *a = arena_new(1 << 16);
		const char *payload = NULL;
		enum status st = a != NULL ? receipt_sign(a, &f, sk, &payload) : STATUS_INTERNAL;
		sodium_memzero(sk, sizeof sk);
		if (st == STATUS_OK)
			printf("%s\n", payload);
		else
			fputs("phuong receipt: mã hồ sơ, mã thủ tục hoặc ngày hẹn "
			      "(YYYY-MM-DDTHH:MM+07:00) không hợp lệ\n", stderr);
		arena_free(a);
		return st == STATUS_OK ? 0 : 2;
	}
	/* Hidden, for tests: the QR code of a payload as SVG. */
	if (cli.nargs == 2 && strcmp(cli.args[0], "qr") == 0) {
		struct arena *a = arena_new(1 << 20);
		const char *svg = NULL;
		enum status st = a != NULL ? receipt_qr_svg(a, cli.args[1], NULL, &svg) : STATUS_INTERNAL;
		if (st == STATUS_OK)
			printf("%s\n", svg);
		else
			fprintf(stderr, "phuong receipt: không vẽ được mã QR: %s\n", status_name(st));
		arena_free(a);
		return st == STATUS_OK ? 0 : 2;
	}
	fputs(usage_receipt, stderr);
	return 2;
}

static const char usage_mail[] =
	"usage: phuong mail test ADDRESS [--config FILE]\n"
	"Sends a test email to ADDRESS with the settings smtp_url, mail_from, smtp_user and\n"
	"smtp_password (of the [mail] section of the --config file); exit 0 once the SMTP\n"
	"server has accepted it, 1 and libcurl's reason otherwise.\n";

static int cmd_mail(int argc, char **argv)
{
	struct cli cli = { 0 };
	parse_cli(argc, argv, &cli, usage_mail);
	if (cli.nargs != 2 || strcmp(cli.args[0], "test") != 0) {
		fputs(usage_mail, stderr);
		return 2;
	}
	if (cli.cfg.smtp_url[0] == '\0' || !mail_address_valid(cli.cfg.mail_from)) {
		fputs("phuong mail: cần đặt smtp_url và mail_from (địa chỉ hợp lệ) trong tệp cấu hình\n",
		      stderr);
		return 2;
	}
	if (!mail_address_valid(cli.args[1])) {
		fprintf(stderr, "phuong mail: địa chỉ '%s' không hợp lệ\n", cli.args[1]);
		return 2;
	}
	struct mail_settings s = { .smtp_url = cli.cfg.smtp_url, .from = cli.cfg.mail_from,
				   .user = cli.cfg.smtp_user, .password = cli.cfg.smtp_password,
				   .timeout_s = MAIL_TIMEOUT_MAX_S };
	char subject[300], body[1200], error[256];
	snprintf(subject, sizeof subject, "Thư thử nghiệm từ cổng thông tin %s", cli.cfg.site_name);
	snprintf(body, sizeof body,
		 "Xin chào,\n\nĐây là thư thử nghiệm do lệnh \"phuong mail test\" gửi qua %s.\n"
		 "Nếu nhận được thư này, cấu hình gửi thư của %s đã đúng.\n\n"
		 "(This is a test message: the portal's mail settings work.)\n",
		 cli.cfg.smtp_url, cli.cfg.site_name);
	enum status st = mail_send(&s, cli.args[1], subject, body, error, sizeof error);
	if (st) {
		fprintf(stderr, "phuong mail: không gửi được: %s (%s)\n", error, status_name(st));
		return 1;
	}
	printf("Đã gửi thư thử nghiệm tới %s / test message sent\n", cli.args[1]);
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
	if (!mail_global_init())
		die("cannot start libcurl");
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
		{ "receipt", cmd_receipt }, { "mail", cmd_mail },
	};
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "phuong: unknown command '%s'\n\n%s", argv[1], usage_main);
	return 2;
}
