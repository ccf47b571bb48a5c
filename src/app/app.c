/* app.c: opening and closing the application; the background flusher of view counts,
 * readings of dossiers and audit log checkpoints */
#include "app/app.h"

#include "app/page_cache.h"

#include "audit/audit.h"
#include "base/log.h"
#include "html/html.h"
#include "html/i18n.h"
#include "html/template.h"
#include "news/news.h"
#include "onestop/dossier.h"
#include "onestop/dossier_access.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { VIEWS_FLUSH_INTERVAL_S = 2 };

bool app_open(struct app *app, const struct config *cfg)
{
	memset(app, 0, sizeof *app);
	app->cfg = *cfg;
	if (app->cfg.smtp_url[0] != '\0' && mail_address_valid(app->cfg.mail_from))
		app->mail = (struct mail_settings){ .smtp_url = app->cfg.smtp_url,
			.from = app->cfg.mail_from, .user = app->cfg.smtp_user,
			.password = app->cfg.smtp_password, .timeout_s = MAIL_TIMEOUT_MAX_S };
	dossier_lookup_limit_set(cfg->lookup_limit);
	dossier_submit_limits_set(cfg->submit_limit, (int64_t)cfg->submit_upload_mb * 1024 * 1024);
	pthread_mutex_init(&app->stop_lock, NULL);
	pthread_cond_init(&app->stop_cond, NULL);
	if (!routes_check() || !html_init())
		return false;
	if (mkdir(cfg->data_dir, 0750) != 0 && errno != EEXIST) {
		log_error("cannot create data folder '%s': %s", cfg->data_dir, strerror(errno));
		return false;
	}
	char path[700];
	snprintf(path, sizeof path, "%s/templates", cfg->share_dir);
	app->templates = tmpl_load(path, cfg->dev);
	if (app->templates == NULL)
		return false;
	snprintf(path, sizeof path, "%s/po/en.po", cfg->share_dir);
	app->english = i18n_load(path);
	if (app->english == NULL)
		return false;
	if (!statics_load(app))
		return false;
	app->pages = page_cache_new();
	if (app->pages == NULL)
		return false;
	/* One connection per server thread, and one for the background flusher. */
	app->db = db_open(cfg->database, cfg->pool);
	return app->db != NULL;
}

/* Signs the audit log's head into the data folder's checkpoint file when it moved since
 * the last checkpoint this process wrote (each node of a province writes its own). */
static void audit_checkpoint_tick(struct app *app)
{
	struct db_conn *c = db_acquire(app->db);
	int64_t head;
	char hash[65];
	struct audit_checkpoint cp;
	enum status st = audit_head(c, &head, hash);
	if (st == STATUS_OK && head != 0 && head != app->checkpoint_id) {
		st = audit_checkpoint_make(c, AUDIT_CHAIN_ALL_SIGNER, time(NULL), &cp);
		if (st == STATUS_OK && audit_checkpoint_save(app->cfg.data_dir, &cp))
			app->checkpoint_id = cp.id;
	}
	db_release(c);
	if (st)
		log_warn("cannot checkpoint the audit log: %s (tried again later)", status_name(st));
}

static void *flusher_main(void *opaque)
{
	struct app *app = opaque;
	pthread_mutex_lock(&app->stop_lock);
	while (!app->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += VIEWS_FLUSH_INTERVAL_S;
		pthread_cond_timedwait(&app->stop_cond, &app->stop_lock, &until);
		pthread_mutex_unlock(&app->stop_lock);
		struct db_conn *c = db_acquire(app->db);
		enum status st = news_views_flush(c);
		db_release(c);
		if (st)
			log_warn("cannot write view counts: %s (kept for the next try)", status_name(st));
		c = db_acquire(app->db);
		st = dossier_access_flush(c);
		db_release(c);
		if (st)
			log_warn("cannot write readings of dossiers: %s (kept for the next try)",
				 status_name(st));
		int64_t now = time(NULL);
		if (app->cfg.audit_checkpoint_minutes > 0 && now >= app->next_checkpoint) {
			audit_checkpoint_tick(app);
			app->next_checkpoint = now + 60 * (int64_t)app->cfg.audit_checkpoint_minutes;
		}
		pthread_mutex_lock(&app->stop_lock);
	}
	pthread_mutex_unlock(&app->stop_lock);
	return NULL;
}

void app_start_background(struct app *app)
{
	app->next_checkpoint = time(NULL) + 60 * (int64_t)app->cfg.audit_checkpoint_minutes;
	if (pthread_create(&app->flusher, NULL, flusher_main, app) != 0)
		die("cannot start the view counter thread");
}

void app_close(struct app *app)
{
	if (app->flusher) {
		pthread_mutex_lock(&app->stop_lock);
		app->stopping = true;
		pthread_cond_signal(&app->stop_cond);
		pthread_mutex_unlock(&app->stop_lock);
		pthread_join(app->flusher, NULL); /* its last round writes what is pending */
	}
	if (app->db != NULL) {
		struct db_conn *c = db_acquire(app->db);
		if (news_views_flush(c) != STATUS_OK)
			log_error("view counts of the last seconds were not written");
		if (dossier_access_flush(c) != STATUS_OK)
			log_error("readings of dossiers of the last seconds were not written");
		db_release(c);
		if (app->flusher && app->cfg.audit_checkpoint_minutes > 0)
			audit_checkpoint_tick(app);
	}
	db_close(app->db);
	tmpl_free(app->templates);
	i18n_free(app->english);
	statics_free(app);
	page_cache_free(app->pages);
	pthread_mutex_destroy(&app->stop_lock);
	pthread_cond_destroy(&app->stop_cond);
}
