/* config.h: settings from an INI file (inih), each overridable by a command-line flag */
#ifndef APP_CONFIG_H
#define APP_CONFIG_H

#include "http/server.h"
#include "app/sandbox.h"

#include <stdbool.h>

/* Defaults: connections one address may hold (a household or an office behind one NAT
 * address opens a few each), and seconds a whole request may take to arrive (a 12 MiB
 * upload at 1 Mbit/s takes about 100). */
enum { CONFIG_PER_IP_LIMIT = 64, CONFIG_REQUEST_TIMEOUT_S = 120 };

struct config {
	struct http_listen listen[HTTP_LISTEN_MAX]; /* addresses to serve on */
	int listen_count;
	char metrics_listen[80]; /* "127.0.0.1:9108" for the Prometheus listener; empty: off */
	char data_dir[512];    /* database, keys, anything the server writes */
	char database[600];    /* store URL; default sqlite:DATA_DIR/phuong.db */
	char share_dir[512];   /* templates/, static/, po/, data/ */
	char site_name[200];   /* "Ủy ban nhân dân Phường 9" */
	char unit_name[200];   /* "Phường 9" */
	char base_url[200];    /* "https://phuong9.example.vn"; empty: from the Host header */
	int threads;
	int pool;              /* database connections; default threads + 1 */
	int connection_timeout_s;
	int connection_limit;
	int per_ip_limit;      /* connections per socket address; -1: 64, or 0 with trusted_proxies */
	int request_timeout_s; /* a whole request must arrive within this; 0: no bound */
	char trusted_proxies[1024]; /* addresses/CIDRs whose X-Forwarded-For names the client */
	int lookup_limit;      /* public dossier lookups per address per 10 minutes; 0: no limit */
	int submit_limit;      /* online submissions per address and unit per hour; 0: no limit */
	int submit_upload_mb;  /* MB a unit takes in online attachments per hour; 0: no limit */
	int audit_checkpoint_minutes; /* sign the audit log's head this often; 0: never */
	bool access_log;
	bool dev;              /* reload templates on change */
	bool https;            /* behind TLS: Secure cookies */
	enum sandbox_mode seccomp; /* serve's system call filter: on (default), off, log */
	char smtp_url[300];    /* "smtp://127.0.0.1:25", "smtps://mail.example.vn"; empty: no mail */
	char mail_from[254];   /* sender address of notifications */
	char smtp_user[200];   /* empty: no SMTP authentication */
	char smtp_password[200];
};

/* Defaults for everything. */
void config_defaults(struct config *cfg);
/* Reads an INI file over cfg. false and a logged "file:line" on error. */
bool config_load(struct config *cfg, const char *path);
/* Sets one setting by its INI name ("listen", "data", "threads", ...). false if the
 * name is unknown or the value is not valid for it. */
bool config_set(struct config *cfg, const char *name, const char *value);
/* Fills what is derived (database from data_dir, share_dir found) after loading. */
void config_finish(struct config *cfg, const char *argv0);

#endif
