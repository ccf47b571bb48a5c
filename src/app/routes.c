/* routes.c: the one place that says what the portal serves, to whom, and which requests change state */
#include "app/app.h"

#include "admin/admin_pages.h"
#include "app/metrics.h"
#include "base/log.h"
#include "news/news_pages.h"
#include "onestop/dossier_pages.h"
#include "onestop/onestop_pages.h"
#include "onestop/rating_pages.h"
#include "onestop/receipt_pages.h"
#include "onestop/stats_pages.h"
#include "province/province_pages.h"

#include <string.h>

#define GET ROUTE_GET
#define POST ROUTE_POST

const struct route routes[] = {
	/* method pattern                                   handler                  permission       state  form   cache */
	{ GET,  "/",                                        news_page_home,          PERM_PUBLIC,     false, false, true  },
	{ GET,  "/index",                                   news_page_home,          PERM_PUBLIC,     false, false, true  },
	{ GET,  "/chuyen-muc/{}",                           news_page_category,      PERM_PUBLIC,     false, false, true  },
	{ GET,  "/chuyen-muc/{}/rss.xml",                   news_page_category_rss,  PERM_PUBLIC,     false, false, true  },
	{ GET,  "/chuyen-muc/{}/atom.xml",                  news_page_category_atom, PERM_PUBLIC,     false, false, true  },
	{ GET,  "/bai-viet/{}",                             news_page_article,       PERM_PUBLIC,     false, false, false },
	{ GET,  "/bai-viet/{}/ban-in",                      news_page_print,         PERM_PUBLIC,     false, false, false },
	{ GET,  "/luu-tru",                                 news_page_archive_pick,  PERM_PUBLIC,     false, false, true  },
	{ GET,  "/luu-tru/{}",                              news_page_archive,       PERM_PUBLIC,     false, false, true  },
	{ GET,  "/tim-kiem",                                news_page_search,        PERM_PUBLIC,     false, false, false },
	{ GET,  "/rss.xml",                                 news_page_feed_rss,      PERM_PUBLIC,     false, false, true  },
	{ GET,  "/atom.xml",                                news_page_feed_atom,     PERM_PUBLIC,     false, false, true  },
	{ GET,  "/sitemap.xml",                             news_page_sitemap,       PERM_PUBLIC,     false, false, true  },
	{ GET,  "/robots.txt",                              app_robots,              PERM_PUBLIC,     false, false, false },
	{ GET,  "/healthz",                                 app_healthz,             PERM_PUBLIC,     false, false, false },
	{ GET,  "/tep/{}",                                  news_page_file,          PERM_PUBLIC,     false, false, false },
	{ GET,  "/static/{}",                               statics_serve,           PERM_PUBLIC,     false, false, false },
	{ GET,  "/ngon-ngu/{}",                             app_language,            PERM_PUBLIC,     false, false, false },
	{ GET,  "/thu-tuc",                                 onestop_page_list,       PERM_PUBLIC,     false, false, true  },
	{ GET,  "/thu-tuc/{}",                              onestop_page_show,       PERM_PUBLIC,     false, false, true  },
	{ GET,  "/thu-tuc/{}/nop-truc-tuyen",               dossier_page_online_form, PERM_PUBLIC,    false, true,  false },
	{ POST, "/thu-tuc/{}/nop-truc-tuyen",               dossier_page_online_submit, PERM_PUBLIC,  true,  false, false },
	{ GET,  "/tra-cuu-ho-so",                           dossier_page_lookup,     PERM_PUBLIC,     false, false, false },
	{ GET,  "/cam-ket-phuc-vu",                         stats_page_board,        PERM_PUBLIC,     false, false, true  },
	{ GET,  "/kiem-tra-bien-nhan",                      receipt_page_check,      PERM_PUBLIC,     false, false, false },
	{ GET,  "/danh-gia-ho-so",                          rating_page_form,        PERM_PUBLIC,     false, true,  false },
	{ POST, "/danh-gia-ho-so",                          rating_page_submit,      PERM_PUBLIC,     true,  false, false },

	{ GET,  "/quan-tri/dang-nhap",                      admin_login_form,        PERM_PUBLIC,     false, true,  false },
	{ POST, "/quan-tri/dang-nhap",                      admin_login,             PERM_PUBLIC,     true,  false, false },
	{ POST, "/quan-tri/dang-xuat",                      admin_logout,            PERM_STAFF,      true,  false, false },
	{ GET,  "/quan-tri",                                admin_dashboard,         PERM_STAFF,      false, false, false },
	{ GET,  "/quan-tri/nguoi-dung",                     admin_users,             PERM_USERS,      false, false, false },
	{ POST, "/quan-tri/nguoi-dung",                     admin_user_create,       PERM_USERS,      true,  false, false },
	{ POST, "/quan-tri/nguoi-dung/{}",                  admin_user_update,       PERM_USERS,      true,  false, false },
	{ GET,  "/quan-tri/nhat-ky",                        admin_audit,             PERM_AUDIT,      false, false, false },
	{ GET,  "/quan-tri/mat-khau",                       admin_password_form,     PERM_STAFF,      false, false, false },
	{ POST, "/quan-tri/mat-khau",                       admin_password_change,   PERM_STAFF,      true,  false, false },

	{ GET,  "/quan-tri/tinh",                           app_province_overview,   PERM_PROVINCE_VIEW, false, false, false },
	{ GET,  "/quan-tri/tinh/don-vi",                    province_units_page,     PERM_PROVINCE_UNITS, false, false, false },
	{ POST, "/quan-tri/tinh/don-vi",                    province_unit_create_post, PERM_PROVINCE_UNITS, true, false, false },
	{ POST, "/quan-tri/tinh/don-vi/{}",                 province_unit_update_post, PERM_PROVINCE_UNITS, true, false, false },

	{ GET,  "/quan-tri/bai-viet",                       news_admin_list,         PERM_NEWS_EDIT,  false, false, false },
	{ GET,  "/quan-tri/bai-viet/moi",                   news_admin_new,          PERM_NEWS_EDIT,  false, false, false },
	{ POST, "/quan-tri/bai-viet",                       news_admin_create,       PERM_NEWS_EDIT,  true,  false, false },
	{ GET,  "/quan-tri/bai-viet/{}",                    news_admin_edit,         PERM_NEWS_EDIT,  false, false, false },
	{ POST, "/quan-tri/bai-viet/{}",                    news_admin_save,         PERM_NEWS_EDIT,  true,  false, false },
	{ POST, "/quan-tri/bai-viet/{}/xem-truoc",          news_admin_preview,      PERM_NEWS_EDIT,  true,  false, false },
	{ POST, "/quan-tri/bai-viet/{}/xuat-ban",           news_admin_publish,      PERM_NEWS_EDIT,  true,  false, false },
	{ POST, "/quan-tri/bai-viet/{}/go-xuong",           news_admin_unpublish,    PERM_NEWS_EDIT,  true,  false, false },
	{ GET,  "/quan-tri/bai-viet/{}/phien-ban",          news_admin_revisions,    PERM_NEWS_EDIT,  false, false, false },
	{ GET,  "/quan-tri/bai-viet/{}/phien-ban/{}",       news_admin_revision,     PERM_NEWS_EDIT,  false, false, false },
	{ POST, "/quan-tri/bai-viet/{}/phien-ban/{}/khoi-phuc", news_admin_restore,  PERM_NEWS_EDIT,  true,  false, false },
	{ POST, "/quan-tri/bai-viet/{}/anh",                news_admin_photo_add,    PERM_NEWS_EDIT,  true,  false, false },
	{ POST, "/quan-tri/bai-viet/{}/anh/{}/xoa",         news_admin_photo_delete, PERM_NEWS_EDIT,  true,  false, false },
	{ GET,  "/quan-tri/chuyen-muc",                     news_admin_categories,   PERM_CATEGORIES, false, false, false },
	{ POST, "/quan-tri/chuyen-muc",                     news_admin_category_save, PERM_CATEGORIES, true, false, false },
	{ POST, "/quan-tri/chuyen-muc/{}",                  news_admin_category_save, PERM_CATEGORIES, true, false, false },

	{ GET,  "/quan-tri/thu-tuc",                        onestop_admin_list,      PERM_PROCEDURES, false, false, false },
	{ GET,  "/quan-tri/thu-tuc/moi",                    onestop_admin_new,       PERM_PROCEDURES, false, false, false },
	{ POST, "/quan-tri/thu-tuc",                        onestop_admin_create,    PERM_PROCEDURES, true,  false, false },
	{ GET,  "/quan-tri/thu-tuc/{}",                     onestop_admin_edit,      PERM_PROCEDURES, false, false, false },
	{ POST, "/quan-tri/thu-tuc/{}",                     onestop_admin_save,      PERM_PROCEDURES, true,  false, false },
	{ POST, "/quan-tri/thu-tuc/{}/ngung-ap-dung",       onestop_admin_deactivate, PERM_PROCEDURES, true, false, false },
	{ POST, "/quan-tri/thu-tuc/{}/ap-dung-lai",         onestop_admin_activate,  PERM_PROCEDURES, true,  false, false },
	{ GET,  "/quan-tri/thu-tuc/{}/phien-ban",           onestop_admin_versions,  PERM_PROCEDURES, false, false, false },
	{ GET,  "/quan-tri/thu-tuc/{}/phien-ban/{}",        onestop_admin_version,   PERM_PROCEDURES, false, false, false },

	{ GET,  "/quan-tri/thong-ke",                       stats_admin_page,        PERM_STATISTICS, false, false, false },
	{ GET,  "/quan-tri/thong-ke.csv",                   stats_admin_csv,         PERM_STATISTICS, false, false, false },
	{ GET,  "/quan-tri/thong-ke.xlsx",                  stats_admin_xlsx,        PERM_STATISTICS, false, false, false },

	{ GET,  "/quan-tri/ho-so",                          dossier_admin_queue,     PERM_STAFF,      false, false, false },
	{ GET,  "/quan-tri/ho-so/tiep-nhan",                dossier_admin_intake_form, PERM_DOSSIER_INTAKE, false, false, false },
	{ POST, "/quan-tri/ho-so/tiep-nhan",                dossier_admin_intake,    PERM_DOSSIER_INTAKE, true, false, false },
	{ GET,  "/quan-tri/ho-so/so-theo-doi",              dossier_admin_book,      PERM_STAFF,      false, false, false },
	{ GET,  "/quan-tri/ho-so/{}",                       dossier_admin_show,      PERM_STAFF,      false, false, false },
	{ GET,  "/quan-tri/ho-so/{}/bien-nhan",             dossier_admin_receipt,   PERM_DOSSIER_INTAKE, false, false, false },
	{ GET,  "/quan-tri/ho-so/{}/qr.svg",                dossier_admin_receipt_qr, PERM_DOSSIER_INTAKE, false, false, false },
	{ GET,  "/quan-tri/ho-so/{}/phieu-kiem-soat",       dossier_admin_control,   PERM_STAFF,      false, false, false },
	{ POST, "/quan-tri/ho-so/{}/chuyen-xu-ly",          dossier_admin_transfer,  PERM_DOSSIER_INTAKE, true, false, false },
	{ POST, "/quan-tri/ho-so/{}/nhan-xu-ly",            dossier_admin_take,      PERM_DOSSIER_PROCESS, true, false, false },
	{ POST, "/quan-tri/ho-so/{}/trinh-ky",              dossier_admin_submit,    PERM_DOSSIER_PROCESS, true, false, false },
	{ POST, "/quan-tri/ho-so/{}/ky-duyet",              dossier_admin_sign,      PERM_DOSSIER_SIGN, true,  false, false },
	{ POST, "/quan-tri/ho-so/{}/tra-ket-qua",           dossier_admin_return,    PERM_DOSSIER_INTAKE, true, false, false },
	{ POST, "/quan-tri/ho-so/{}/rut-ho-so",             dossier_admin_withdraw,  PERM_DOSSIER_INTAKE, true, false, false },
	{ POST, "/quan-tri/ho-so/{}/yeu-cau-bo-sung",       dossier_admin_supplement_request, PERM_STAFF, true, false, false },
	{ POST, "/quan-tri/ho-so/{}/nhan-bo-sung",          dossier_admin_supplement_receive, PERM_DOSSIER_INTAKE, true, false, false },
	{ GET,  "/quan-tri/ho-so/{}/phieu-bo-sung",         dossier_admin_supplement_print, PERM_STAFF, false, false, false },
	{ POST, "/quan-tri/ho-so/{}/tu-choi",               dossier_admin_refuse,    PERM_DOSSIER_INTAKE, true, false, false },
	{ POST, "/quan-tri/ho-so/{}/thu-rac",               dossier_admin_spam,      PERM_DOSSIER_INTAKE, true, false, false },
	{ GET,  "/quan-tri/ho-so/{}/phieu-tu-choi",         dossier_admin_refusal_print, PERM_STAFF, false, false, false },
	{ POST, "/quan-tri/ho-so/{}/xin-loi-hen-lai",       dossier_admin_extend,    PERM_DOSSIER_SIGN, true, false, false },
	{ GET,  "/quan-tri/ho-so/{}/van-ban-xin-loi",       dossier_admin_apology_print, PERM_STAFF, false, false, false },
	{ POST, "/quan-tri/ho-so/{}/dung-giai-quyet",       dossier_admin_stop,      PERM_DOSSIER_SIGN, true,  false, false },
	{ GET,  "/quan-tri/ho-so/{}/thong-bao-dung",        dossier_admin_stop_print, PERM_STAFF,     false, false, false },
	{ GET,  "/quan-tri/ho-so/{}/tep/{}",                dossier_admin_file,      PERM_STAFF,      false, false, false },
	{ GET,  "/quan-tri/ho-so/{}/truy-cap",              dossier_admin_access,    PERM_STAFF,      false, false, false },
	{ GET,  "/quan-tri/danh-gia",                       rating_admin_list,       PERM_STAFF,      false, false, false },
};

const size_t routes_count = sizeof routes / sizeof routes[0];

/* Matches pattern against path segment by segment; {} takes one non-empty segment. */
static bool pattern_match(const char *pattern, char *path, const char *params[], size_t max,
			  size_t *count)
{
	*count = 0;
	const char *p = pattern;
	char *s = path;
	while (*p != '\0') {
		if (p[0] == '{' && p[1] == '}') {
			char *end = strchr(s, '/');
			size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
			if (len == 0 || *count == max)
				return false;
			params[(*count)++] = s;
			s += len;
			p += 2;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *s == '\0';
}

const struct route *route_match(enum route_method method, char *path, const char *params[],
				size_t max_params, bool *method_mismatch)
{
	*method_mismatch = false;
	for (size_t i = 0; i < routes_count; i++) {
		size_t count;
		if (!pattern_match(routes[i].pattern, path, params, max_params, &count))
			continue;
		if (routes[i].method != method) {
			*method_mismatch = true;
			continue;
		}
		/* Cut the segments out of path now that they are final. */
		for (size_t k = 0; k < count; k++) {
			char *end = strchr(params[k], '/');
			if (end != NULL)
				*end = '\0';
		}
		return &routes[i];
	}
	return NULL;
}

bool route_needs_calendar(const struct route *route)
{
	return strncmp(route->pattern, "/quan-tri/ho-so", 15) == 0 ||
	       strstr(route->pattern, "/nop-truc-tuyen") != NULL;
}

bool routes_check(void)
{
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *r = &routes[i];
		if (r->permission == PERM_UNSET || r->permission >= PERM_COUNT) {
			log_error("route '%s' names no permission", r->pattern);
			return false;
		}
		if (r->handler == NULL) {
			log_error("route '%s' has no handler", r->pattern);
			return false;
		}
		if ((r->method == ROUTE_POST) != r->changes_state) {
			log_error("route '%s': a POST must change state and be CSRF-checked, a GET not",
				  r->pattern);
			return false;
		}
		if (r->cached && (r->method != ROUTE_GET || r->permission != PERM_PUBLIC ||
				  r->shows_form)) {
			log_error("route '%s': only a public GET page without a form may be cached",
				  r->pattern);
			return false;
		}
		for (size_t k = 0; k < i; k++) {
			if (routes[k].method == r->method && strcmp(routes[k].pattern, r->pattern) == 0) {
				log_error("route '%s' is in the table twice", r->pattern);
				return false;
			}
		}
	}
	return true;
}
