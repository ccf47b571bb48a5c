/* config.h: settings from an INI file (inih), each overridable by a command-line flag */
#ifndef APP_CONFIG_H
#define APP_CONFIG_H

#include "app/sandbox.h"

#include <stdbool.h>

struct config {
	char listen_host[64];
	int listen_port;
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
	int lookup_limit;      /* public dossier lookups per address per 10 minutes; 0: no limit */
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
