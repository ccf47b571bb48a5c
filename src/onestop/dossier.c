/* dossier.c: rules of dossiers: codes, step outcomes, applicant checks, statuses, the flow */
#include "onestop/dossier.h"

#include "base/arena.h"
#include "base/utf8.h"
#include "text/text.h"
#include "upload/upload.h"
#include "worktime/clock.h"
#include "worktime/due.h"

#include <stdio.h>
#include <string.h>

/* ---- codes ---- */

static bool unit_code_valid(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n == 0 || n > DOSSIER_UNIT_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.'))
			return false;
	}
	return true;
}

void dossier_day(int64_t t, char out[7])
{
	struct clock_local l = clock_to_local(t);
	unsigned y = (unsigned)((l.year % 100 + 100) % 100), m = (unsigned)l.month % 100u,
		 d = (unsigned)l.day % 100u;
	out[0] = (char)('0' + y / 10);
	out[1] = (char)('0' + y % 10);
	out[2] = (char)('0' + m / 10);
	out[3] = (char)('0' + m % 10);
	out[4] = (char)('0' + d / 10);
	out[5] = (char)('0' + d % 10);
	out[6] = '\0';
}

const char *dossier_code_format(struct arena *a, const char *unit_code, int64_t received,
				int64_t number)
{
	if (number < 1 || number > 9999999 || !unit_code_valid(unit_code))
		return NULL;
	char day[7];
	dossier_day(received, day);
	return arena_printf(a, "%s-%s-%04lld", unit_code, day, (long long)number);
}

bool dossier_code_valid(const char *s)
{
	if (s == NULL || strlen(s) > DOSSIER_CODE_MAX)
		return false;
	const char *dash2 = strrchr(s, '-');
	if (dash2 == NULL || dash2 - s < 8)
		return false;
	const char *dash1 = dash2 - 7;
	if (*dash1 != '-')
		return false;
	char unit[DOSSIER_UNIT_CODE_MAX + 1];
	size_t un = (size_t)(dash1 - s);
	if (un == 0 || un > DOSSIER_UNIT_CODE_MAX)
		return false;
	memcpy(unit, s, un);
	unit[un] = '\0';
	if (!unit_code_valid(unit))
		return false;
	for (const char *p = dash1 + 1; p < dash2; p++)
		if (*p < '0' || *p > '9')
			return false;
	size_t digits = strlen(dash2 + 1);
	if (digits < 4 || digits > 7)
		return false;
	for (const char *p = dash2 + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* ---- outcomes ---- */

enum dossier_outcome dossier_step_outcome(int64_t at, int64_t due)
{
	if (at > due)
		return DOSSIER_LATE;
	struct clock_local la = clock_to_local(at), ld = clock_to_local(due);
	if (la.year == ld.year && la.month == ld.month && la.day == ld.day)
		return DOSSIER_ON_TIME;
	return DOSSIER_EARLY;
}

const char *dossier_outcome_name(enum dossier_outcome o)
{
	switch (o) {
	case DOSSIER_EARLY: return "early";
	case DOSSIER_ON_TIME: return "on_time";
	case DOSSIER_LATE: return "late";
	}
	return "";
}

const char *dossier_outcome_label(const char *name)
{
	if (name == NULL)
		return "";
	if (strcmp(name, "early") == 0)
		return "Trước hạn";
	if (strcmp(name, "on_time") == 0)
		return "Đúng hạn";
	if (strcmp(name, "late") == 0)
		return "Quá hạn";
	return "";
}

/* ---- applicant ---- */

static bool phone_valid(const char *s)
{
	size_t digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != ' ' && *p != '+' && *p != '.' && *p != '-')
			return false;
	}
	return digits >= 8 && digits <= 15;
}

static bool email_valid(const char *s)
{
	if (*s == '\0')
		return true;
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL || strchr(at, '.') == NULL ||
	    at[1] == '.' || s[strlen(s) - 1] == '.')
		return false;
	for (const char *p = s; *p; p++)
		if (*p == ' ' || *p == '<' || *p == '>' || *p == '"')
			return false;
	return true;
}

static bool id_number_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return true;
	if (n != 9 && n != 12)
		return false;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

const char *dossier_applicant_check(struct arena *a, struct dossier_applicant *in)
{
	const char *name = text_clean(a, in->name, DOSSIER_NAME_MAX, false);
	if (name == NULL)
		return "Họ tên người nộp quá dài hoặc có ký tự không hợp lệ.";
	if (*name == '\0')
		return "Vui lòng nhập họ tên người nộp hồ sơ.";
	const char *id = text_clean(a, in->id_number, DOSSIER_ID_NUMBER_MAX * 2, false);
	if (id == NULL || !id_number_valid(id))
		return "Số định danh cá nhân gồm 12 chữ số (hoặc 9 chữ số của chứng minh nhân dân cũ).";
	const char *address = text_clean(a, in->address, DOSSIER_ADDRESS_MAX, false);
	if (address == NULL)
		return "Địa chỉ quá dài hoặc có ký tự không hợp lệ.";
	const char *phone = text_clean(a, in->phone, DOSSIER_PHONE_MAX, false);
	if (phone == NULL || !phone_valid(phone))
		return "Số điện thoại gồm 8 đến 15 chữ số (để tra cứu hồ sơ bằng 4 số cuối).";
	const char *email = text_clean(a, in->email, DOSSIER_EMAIL_MAX, false);
	if (email == NULL || !email_valid(email))
		return "Địa chỉ thư điện tử không hợp lệ.";
	*in = (struct dossier_applicant){ name, id, address, phone, email };
	return NULL;
}

bool dossier_phone_matches(const char *phone, const char *last4)
{
	if (phone == NULL || last4 == NULL || strlen(last4) != 4)
		return false;
	for (size_t i = 0; i < 4; i++)
		if (last4[i] < '0' || last4[i] > '9')
			return false;
	char digits[4];
	size_t found = 0;
	for (size_t n = strlen(phone); n > 0 && found < 4; n--) {
		char c = phone[n - 1];
		if (c >= '0' && c <= '9')
			digits[3 - found++] = c;
	}
	return found == 4 && memcmp(digits, last4, 4) == 0;
}

/* ---- statuses and words ---- */

static const struct {
	const char *status, *label;
	int national;
} statuses[] = {
	{ "received", "Đã tiếp nhận", 2 },
	{ "transferred", "Đã chuyển bộ phận chuyên môn", 4 },
	{ "processing", "Đang xử lý", 4 },
	{ "awaiting_signature", "Chờ lãnh đạo ký duyệt", 4 },
	{ "result_ready", "Đã có kết quả, chờ trả", 9 },
	{ "returned", "Đã trả kết quả", 10 },
	{ "withdrawn", "Công dân rút hồ sơ", 7 },
	{ "supplement_requested", "Chờ bổ sung hồ sơ", 5 },
	{ "refused", "Không được tiếp nhận", 3 },
	{ "stopped", "Dừng xử lý", 8 },
};

const char *dossier_status_label(const char *status)
{
	for (size_t i = 0; status != NULL && i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(statuses[i].status, status) == 0)
			return statuses[i].label;
	return "";
}

int dossier_national_status(const char *status)
{
	for (size_t i = 0; status != NULL && i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(statuses[i].status, status) == 0)
			return statuses[i].national;
	return 0;
}

bool dossier_doc_kind_valid(const char *kind)
{
	return *dossier_doc_kind_label(kind) != '\0';
}

const char *dossier_doc_kind_label(const char *kind)
{
	if (kind == NULL)
		return "";
	if (strcmp(kind, "original") == 0)
		return "Bản chính";
	if (strcmp(kind, "certified_copy") == 0)
		return "Bản sao có chứng thực";
	if (strcmp(kind, "copy") == 0)
		return "Bản sao";
	return "";
}

bool dossier_delivery_valid(const char *delivery)
{
	return *dossier_delivery_label(delivery) != '\0';
}

const char *dossier_delivery_label(const char *delivery)
{
	if (delivery == NULL)
		return "";
	if (strcmp(delivery, "counter") == 0)
		return "Tại Bộ phận tiếp nhận và trả kết quả";
	if (strcmp(delivery, "post") == 0)
		return "Qua dịch vụ bưu chính công ích";
	if (strcmp(delivery, "online") == 0)
		return "Trực tuyến (bản điện tử)";
	return "";
}

/* ---- the flow ---- */

const struct dossier_step dossier_steps[] = {
	/* The counter hands a paper dossier to the specialists' office; a specialist may also
	 * take one straight from the counter (an online dossier, a one-person office). */
	{ "transfer", "chuyen-xu-ly", "Chuyển bộ phận chuyên môn", PERM_DOSSIER_INTAKE,
	  { "received", NULL }, "transferred", 100 },
	{ "take", "nhan-xu-ly", "Nhận xử lý", PERM_DOSSIER_PROCESS,
	  { "received", "transferred", NULL }, "processing", 100 },
	{ "submit", "trinh-ky", "Trình ký", PERM_DOSSIER_PROCESS,
	  { "processing", NULL }, "awaiting_signature", 900 },
	{ "sign", "ky-duyet", "Ký duyệt", PERM_DOSSIER_SIGN,
	  { "awaiting_signature", NULL }, "result_ready", 1000 },
	{ "return", "tra-ket-qua", "Trả kết quả", PERM_DOSSIER_INTAKE,
	  { "result_ready", NULL }, "returned", 1000 },
	{ "withdraw", "rut-ho-so", "Rút hồ sơ theo yêu cầu công dân", PERM_DOSSIER_INTAKE,
	  { "received", "transferred", "processing", "awaiting_signature", NULL }, "withdrawn", 1000 },
	{ "refuse", "tu-choi", "Từ chối tiếp nhận (Mẫu 03)", PERM_DOSSIER_INTAKE,
	  { "received", NULL }, "refused", 1000 },
};
const size_t dossier_steps_count = sizeof dossier_steps / sizeof dossier_steps[0];

bool dossier_spam_allowed(const char *channel, const char *status)
{
	return channel != NULL && status != NULL && strcmp(channel, "online") == 0 &&
	       strcmp(status, "received") == 0;
}

bool dossier_supplement_allowed(const char *status)
{
	return status != NULL && (strcmp(status, "received") == 0 ||
				  strcmp(status, "transferred") == 0 ||
				  strcmp(status, "processing") == 0);
}

const struct dossier_step *dossier_step_of(const char *action)
{
	for (size_t i = 0; action != NULL && i < dossier_steps_count; i++)
		if (strcmp(dossier_steps[i].action, action) == 0 ||
		    strcmp(dossier_steps[i].slug, action) == 0)
			return &dossier_steps[i];
	return NULL;
}

bool dossier_step_allowed(const struct dossier_step *step, const char *status)
{
	for (size_t i = 0; step != NULL && status != NULL && step->from[i] != NULL; i++)
		if (strcmp(step->from[i], status) == 0)
			return true;
	return false;
}

enum status dossier_step_due(const struct calendar *cal, const struct dossier_step *step,
			     int64_t received, int64_t due, const struct dossier_pause *pauses,
			     size_t pause_count, int64_t *out)
{
	*out = due;
	if (step->due_share >= 1000 || due <= received)
		return STATUS_OK;
	int64_t total = due_working_time_between(cal, received, due);
	for (size_t i = 0; i < pause_count; i++)
		if (pauses[i].start < due && pauses[i].end > pauses[i].start)
			total -= due_working_time_between(cal, pauses[i].start, pauses[i].end);
	if (total <= 0)
		return STATUS_OK;
	int64_t at;
	enum status st = due_add_working_time(cal, received, total * step->due_share / 1000, &at);
	for (size_t i = 0; st == STATUS_OK && i < pause_count; i++)
		if (pauses[i].start < at && pauses[i].end > pauses[i].start)
			st = due_after_pause(cal, at, pauses[i].start, pauses[i].end, &at);
	if (st)
		return st;
	if (at < due)
		*out = at;
	return STATUS_OK;
}

enum status dossier_due(const struct calendar *cal, const struct onestop_time *t,
			int64_t received, int64_t *out)
{
	switch (t->kind) {
	case ONESTOP_WORKING_DAYS:
		return due_working_days(cal, received, (int)t->amount, out);
	case ONESTOP_WORKING_HOURS:
		return due_working_hours(cal, received, (int)t->amount, out);
	case ONESTOP_SAME_DAY:
		return due_same_day(cal, received, out);
	case ONESTOP_TIME_NONE:
		break;
	}
	return STATUS_INVALID;
}

enum status dossier_file_check(const void *data, size_t n, const char **mime)
{
	if (n > DOSSIER_FILE_MAX)
		return STATUS_TOO_LARGE;
	if (n == 0)
		return STATUS_INVALID;
	const char *p = data;
	if (n >= 8 && memcmp(p, "%PDF-", 5) == 0) {
		size_t from = n > 1024 ? n - 1024 : 0;
		for (size_t i = from; i + 5 <= n; i++) {
			if (memcmp(p + i, "%%EOF", 5) == 0) {
				*mime = "application/pdf";
				return STATUS_OK;
			}
		}
		return STATUS_INVALID;
	}
	const char *image;
	enum status st = upload_sniff_image(data, n, &image);
	if (st)
		return st == STATUS_TOO_LARGE ? STATUS_TOO_LARGE : STATUS_INVALID;
	if (strcmp(image, "image/jpeg") != 0 && strcmp(image, "image/png") != 0)
		return STATUS_INVALID;
	*mime = image;
	return STATUS_OK;
}

const char *dossier_time_words(struct arena *a, int64_t t)
{
	struct clock_local l = clock_to_local(t);
	return arena_printf(a, "%02d giờ %02d phút, ngày %02d tháng %02d năm %d", l.hour, l.minute,
			    l.day, l.month, l.year);
}
