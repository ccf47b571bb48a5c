/* app.c: opening and closing the application; the background flusher of view counts */
#include "app/app.h"

#include "app/page_cache.h"

#include "base/log.h"
#include "html/html.h"
#include "html/i18n.h"
#include "html/template.h"
#include "news/news.h"
#include "onestop/dossier.h"
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
		pthread_mutex_lock(&app->stop_lock);
	}
	pthread_mutex_unlock(&app->stop_lock);
	return NULL;
}

void app_start_background(struct app *app)
{
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
		db_release(c);
	}
	db_close(app->db);
	tmpl_free(app->templates);
	i18n_free(app->english);
	statics_free(app);
	page_cache_free(app->pages);
	pthread_mutex_destroy(&app->stop_lock);
	pthread_cond_destroy(&app->stop_cond);
}
