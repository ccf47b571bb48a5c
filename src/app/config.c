/* config.c: settings from an INI file and flags */
#include "app/config.h"

#include "base/log.h"
#include "base/num.h"
#include "http/proxy.h"

#include <ini.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void config_defaults(struct config *cfg)
{
	*cfg = (struct config){
		.listen = { { .host = "127.0.0.1", .port = 8080 } },
		.listen_count = 1,
		.data_dir = "var",
		.site_name = "Ủy ban nhân dân Phường 9",
		.unit_name = "Phường 9",
		.threads = 0,
		.connection_timeout_s = 30,
		.connection_limit = 2000,
		.per_ip_limit = -1,
		.request_timeout_s = CONFIG_REQUEST_TIMEOUT_S,
		.lookup_limit = 30,
		.submit_limit = 10,
		.submit_upload_mb = 100,
		.audit_checkpoint_minutes = 10,
		.access_log = true,
		.seccomp = SANDBOX_ENFORCE,
	};
}

static bool copy(char *dst, size_t n, const char *value)
{
	size_t len = strlen(value);
	if (len >= n)
		return false;
	memcpy(dst, value, len + 1);
	return true;
}

static bool parse_bool(const char *value, bool *out)
{
	if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "1") == 0 ||
	    strcmp(value, "on") == 0)
		*out = true;
	else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0 ||
		 strcmp(value, "0") == 0 || strcmp(value, "off") == 0)
		*out = false;
	else
		return false;
	return true;
}

static bool parse_int(const char *value, int min, int max, int *out)
{
	int64_t v;
	if (!num_parse_int64(value, min, max, &v))
		return false;
	*out = (int)v;
	return true;
}

/* "HOST:PORT" or "[IPV6]:PORT", several separated by commas or spaces: replaces the list. */
static bool parse_listen(struct config *cfg, const char *value)
{
	static const char separators[] = ", \t";
	struct http_listen list[HTTP_LISTEN_MAX];
	int count = 0;
	for (const char *p = value + strspn(value, separators); *p != '\0';
	     p += strspn(p, separators)) {
		char one[HTTP_HOST_TEXT + 8];
		size_t len = strcspn(p, separators);
		if (count == HTTP_LISTEN_MAX || len >= sizeof one) {
			log_error("listen: at most %d addresses of at most %d characters",
				  HTTP_LISTEN_MAX, HTTP_HOST_TEXT);
			return false;
		}
		memcpy(one, p, len);
		one[len] = '\0';
		if (!http_listen_parse(one, &list[count++])) {
			log_error("listen: '%s' is not IPV4:PORT or [IPV6]:PORT (e.g. 127.0.0.1:8080,"
				  " [::]:8080)", one);
			return false;
		}
		p += len;
	}
	if (count == 0)
		return false;
	memcpy(cfg->listen, list, sizeof list);
	cfg->listen_count = count;
	return true;
}

static bool parse_proxies(struct config *cfg, const char *value)
{
	struct http_proxies proxies;
	const char *why;
	if (!http_proxies_parse(value, &proxies, &why)) {
		log_error("trusted_proxies '%s': %s", value, why);
		return false;
	}
	return copy(cfg->trusted_proxies, sizeof cfg->trusted_proxies, value);
}

bool config_set(struct config *cfg, const char *name, const char *value)
{
	if (strcmp(name, "listen") == 0)
		return parse_listen(cfg, value);
	if (strcmp(name, "metrics_listen") == 0) {
		struct http_listen addr;
		return (value[0] == '\0' || (http_listen_parse(value, &addr) && addr.port != 0)) &&
		       copy(cfg->metrics_listen, sizeof cfg->metrics_listen, value);
	}
	if (strcmp(name, "seccomp") == 0)
		return sandbox_mode_parse(value, &cfg->seccomp);
	if (strcmp(name, "data") == 0)
		return copy(cfg->data_dir, sizeof cfg->data_dir, value);
	if (strcmp(name, "database") == 0)
		return copy(cfg->database, sizeof cfg->database, value);
	if (strcmp(name, "share") == 0)
		return copy(cfg->share_dir, sizeof cfg->share_dir, value);
	if (strcmp(name, "site_name") == 0)
		return copy(cfg->site_name, sizeof cfg->site_name, value);
	if (strcmp(name, "unit_name") == 0)
		return copy(cfg->unit_name, sizeof cfg->unit_name, value);
	if (strcmp(name, "base_url") == 0)
		return copy(cfg->base_url, sizeof cfg->base_url, value);
	if (strcmp(name, "smtp_url") == 0)
		return copy(cfg->smtp_url, sizeof cfg->smtp_url, value);
	if (strcmp(name, "mail_from") == 0)
		return copy(cfg->mail_from, sizeof cfg->mail_from, value);
	if (strcmp(name, "smtp_user") == 0)
		return copy(cfg->smtp_user, sizeof cfg->smtp_user, value);
	if (strcmp(name, "smtp_password") == 0)
		return copy(cfg->smtp_password, sizeof cfg->smtp_password, value);
	if (strcmp(name, "threads") == 0)
		return parse_int(value, 1, 256, &cfg->threads);
	if (strcmp(name, "pool") == 0)
		return parse_int(value, 1, 256, &cfg->pool);
	if (strcmp(name, "connection_timeout") == 0)
		return parse_int(value, 1, 3600, &cfg->connection_timeout_s);
	if (strcmp(name, "connection_limit") == 0)
		return parse_int(value, 1, 100000, &cfg->connection_limit);
	if (strcmp(name, "per_ip_limit") == 0)
		return parse_int(value, 0, 100000, &cfg->per_ip_limit);
	if (strcmp(name, "request_timeout") == 0)
		return parse_int(value, 0, 3600, &cfg->request_timeout_s);
	if (strcmp(name, "trusted_proxies") == 0)
		return parse_proxies(cfg, value);
	if (strcmp(name, "lookup_limit") == 0)
		return parse_int(value, 0, 1000000, &cfg->lookup_limit);
	if (strcmp(name, "submit_limit") == 0)
		return parse_int(value, 0, 1000000, &cfg->submit_limit);
	if (strcmp(name, "submit_upload_mb") == 0)
		return parse_int(value, 0, 1000000, &cfg->submit_upload_mb);
	if (strcmp(name, "audit_checkpoint_minutes") == 0)
		return parse_int(value, 0, 24 * 60, &cfg->audit_checkpoint_minutes);
	if (strcmp(name, "access_log") == 0)
		return parse_bool(value, &cfg->access_log);
	if (strcmp(name, "dev") == 0)
		return parse_bool(value, &cfg->dev);
	if (strcmp(name, "https") == 0)
		return parse_bool(value, &cfg->https);
	return false;
}

static int config_ini_line(void *user, const char *section, const char *name, const char *value)
{
	(void)section; /* names are unique across sections: [server], [storage], [site] */
	if (!config_set(user, name, value)) {
		log_error("config: bad setting '%s' = '%s'", name, value);
		return 0;
	}
	return 1;
}

bool config_load(struct config *cfg, const char *path)
{
	int line = ini_parse(path, config_ini_line, cfg);
	if (line < 0) {
		log_error("cannot read config file '%s'", path);
		return false;
	}
	if (line > 0) {
		log_error("config file '%s': error at line %d", path, line);
		return false;
	}
	return true;
}

static bool has_templates(const char *dir)
{
	char path[600];
	struct stat sb;
	snprintf(path, sizeof path, "%s/templates", dir);
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

void config_finish(struct config *cfg, const char *argv0)
{
	if (cfg->database[0] == '\0')
		snprintf(cfg->database, sizeof cfg->database, "sqlite:%s/phuong.db", cfg->data_dir);
	if (cfg->threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		cfg->threads = n < 2 ? 2 : n > 32 ? 32 : (int)n;
	}
	/* One connection per server thread and one for the background writer: no request
	 * waits for a connection. Fewer saves PostgreSQL connections across many nodes. */
	if (cfg->pool == 0)
		cfg->pool = cfg->threads + 1;
	/* Behind a proxy every connection comes from it: a per-address limit would cap the
	 * proxy, not a client (the proxy limits its clients: deploy/nginx-phuong.conf). */
	if (cfg->per_ip_limit < 0)
		cfg->per_ip_limit = cfg->trusted_proxies[0] != '\0' ? 0 : CONFIG_PER_IP_LIMIT;
	if (cfg->share_dir[0] != '\0')
		return;
	/* The source tree (run from it, or from build/ in it), else the installed copy. */
	char exe[512], dir[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	if (n <= 0)
		snprintf(exe, sizeof exe, "%s", argv0);
	snprintf(dir, sizeof dir, "%s/..", dirname(exe));
	if (has_templates("."))
		copy(cfg->share_dir, sizeof cfg->share_dir, ".");
	else if (has_templates(dir))
		copy(cfg->share_dir, sizeof cfg->share_dir, dir);
	else
		copy(cfg->share_dir, sizeof cfg->share_dir, "/usr/share/phuong");
}
