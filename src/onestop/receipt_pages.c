/* receipt_pages.c: the public receipt check (/kiem-tra-bien-nhan): genuine or not, and why */
#include "onestop/receipt_pages.h"

#include "base/arena.h"
#include "http/request.h"
#include "onestop/receipt.h"

#include <sodium.h>
#include <string.h>

/* The payload as pasted, without the blanks a scanner or a copy may add around it. */
static const char *trimmed(struct request *r, const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(r->arena, s, n);
}

/* "16:30 ngày 01/12/2026" from "2026-12-01T16:30+07:00" (already checked). */
static const char *appointment_words(struct request *r, const char *a)
{
	return arena_printf(r->arena, "%.5s ngày %.2s/%.2s/%.4s", a + 11, a + 8, a + 5, a);
}

enum status receipt_page_check(struct request *r)
{
	unsigned char pk[RECEIPT_PUBLIC_KEY_BYTES] = { 0 };
	enum status st = unitkey_public(r->db, r->unit_id, pk);
	if (st != STATUS_OK && st != STATUS_NOT_FOUND)
		return st;
	bool has_key = st == STATUS_OK;
	char pk_hex[2 * RECEIPT_PUBLIC_KEY_BYTES + 1] = "";
	if (has_key)
		sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
	json_t *model = json_pack("{s:s, s:b, s:s}", "page_title", "Kiểm tra biên nhận hồ sơ",
				  "has_key", has_key, "public_key", pk_hex);
	if (model == NULL)
		return STATUS_INTERNAL;
	const char *typed = request_query(r, "p");
	if (typed != NULL && typed[0] != '\0') {
		const char *payload = trimmed(r, typed);
		if (payload == NULL) {
			json_decref(model);
			return STATUS_TOO_LARGE;
		}
		struct receipt_fields f;
		enum receipt_check c = has_key ? receipt_verify(payload, pk, &f) : RECEIPT_TAMPERED;
		if (!has_key && receipt_verify(payload, pk, &f) == RECEIPT_BAD_FORMAT)
			c = RECEIPT_BAD_FORMAT;
		json_t *check = json_pack("{s:b, s:s, s:s}", "genuine", c == RECEIPT_GENUINE,
					  "result", receipt_check_name(c), "words",
					  has_key || c == RECEIPT_BAD_FORMAT
						  ? receipt_check_words(c)
						  : "Đơn vị chưa cấp biên nhận có chữ ký số nào.");
		if (check != NULL && c != RECEIPT_BAD_FORMAT && c != RECEIPT_BAD_SIGNATURE)
			json_object_set_new(check, "fields",
				json_pack("{s:s, s:s, s:s, s:s}", "dossier_code", f.dossier_code,
					  "procedure_code", f.procedure_code, "appointment",
					  f.appointment, "appointment_words",
					  appointment_words(r, f.appointment)));
		json_object_set_new(model, "p", json_string(payload));
		json_object_set_new(model, "check", check);
	}
	request_view(r, "onestop/receipt_check", model);
	return STATUS_OK;
}
