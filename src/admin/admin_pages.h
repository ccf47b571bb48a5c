/* admin_pages.h: the back office: sign-in, dashboard, staff accounts, audit log */
#ifndef ADMIN_ADMIN_PAGES_H
#define ADMIN_ADMIN_PAGES_H

#include "base/status.h"

struct request;

/* Name of the session cookie. */
#define ADMIN_SESSION_COOKIE "phuong_session"

enum status admin_login_form(struct request *r);
enum status admin_login(struct request *r);
enum status admin_logout(struct request *r);
enum status admin_dashboard(struct request *r);
enum status admin_users(struct request *r);
enum status admin_user_create(struct request *r);
enum status admin_user_update(struct request *r);  /* {id} */
enum status admin_audit(struct request *r);
enum status admin_password_form(struct request *r);
enum status admin_password_change(struct request *r);

#endif
