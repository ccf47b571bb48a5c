/* receipt.c: signed dossier receipts: payload text, Ed25519 signature, check */
#include "onestop/receipt.h"

#include "base/arena.h"
#include "qr/qr.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#define PREFIX "PHUONG1|"
enum { SIGNATURE_B64_MAX = 100 };

void receipt_appointment_text(int64_t utc, char out[RECEIPT_APPOINTMENT_LEN + 1])
{
	time_t t = (time_t)(utc + 7 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	char text[64];
	snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d+07:00", (tm.tm_year + 1900) % 10000,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	snprintf(out, RECEIPT_APPOINTMENT_LEN + 1, "%.*s", RECEIPT_APPOINTMENT_LEN, text);
}

static bool code_valid(const char *s, size_t n)
{
	if (n == 0 || n > RECEIPT_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '.' || ch == '_' || ch == '/' || ch == '-'))
			return false;
	}
	return true;
}

/* Whether s[0..n) is base64url text: libsodium 1.0.18's decoder alone reads some bytes
 * above 0x7F as '-' or '_', which would let another text than the issued one check. */
static bool base64url_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_'))
			return false;
	}
	return true;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "YYYY-MM-DDTHH:MM+07:00" with a month, day, hour and minute in range. */
static bool appointment_valid(const char *s, size_t n)
{
	if (n != RECEIPT_APPOINTMENT_LEN || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2) || s[10] != 'T' || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || memcmp(s + 16, "+07:00", 6) != 0)
		return false;
	int month = (s[5] - '0') * 10 + s[6] - '0', day = (s[8] - '0') * 10 + s[9] - '0';
	int hour = (s[11] - '0') * 10 + s[12] - '0', minute = (s[14] - '0') * 10 + s[15] - '0';
	return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59;
}

enum status receipt_sign(struct arena *a, const struct receipt_fields *f,
			 const unsigned char secret_key[RECEIPT_SECRET_KEY_BYTES],
			 const char **payload)
{
	size_t nd = strnlen(f->dossier_code, sizeof f->dossier_code),
	       np = strnlen(f->procedure_code, sizeof f->procedure_code),
	       na = strnlen(f->appointment, sizeof f->appointment);
	if (!code_valid(f->dossier_code, nd) || !code_valid(f->procedure_code, np) ||
	    !appointment_valid(f->appointment, na))
		return STATUS_INVALID;
	const char *signed_part = arena_printf(a, PREFIX "%s|%s|%s", f->dossier_code,
					       f->procedure_code, f->appointment);
	if (signed_part == NULL)
		return STATUS_TOO_LARGE;
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)signed_part, strlen(signed_part),
			     secret_key);
	char b64[SIGNATURE_B64_MAX];
	sodium_bin2base64(b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*payload = arena_printf(a, "%s|%s", signed_part, b64);
	return *payload == NULL ? STATUS_TOO_LARGE : STATUS_OK;
}

enum receipt_check receipt_verify(const char *payload,
				  const unsigned char public_key[RECEIPT_PUBLIC_KEY_BYTES],
				  struct receipt_fields *out)
{
	if (payload == NULL)
		return RECEIPT_BAD_FORMAT;
	size_t len = strnlen(payload, RECEIPT_PAYLOAD_MAX + 1);
	if (len > RECEIPT_PAYLOAD_MAX || strncmp(payload, PREFIX, strlen(PREFIX)) != 0)
		return RECEIPT_BAD_FORMAT;
	/* Four '|' after the prefix's: dossier | procedure | appointment | signature. */
	const char *field[4];
	size_t flen[4];
	const char *p = payload + strlen(PREFIX);
	for (int i = 0; i < 4; i++) {
		const char *bar = strchr(p, '|');
		if ((bar != NULL) != (i < 3))
			return RECEIPT_BAD_FORMAT;
		field[i] = p;
		flen[i] = bar != NULL ? (size_t)(bar - p) : strlen(p);
		p = bar != NULL ? bar + 1 : p + flen[i];
	}
	if (!code_valid(field[0], flen[0]) || !code_valid(field[1], flen[1]) ||
	    !appointment_valid(field[2], flen[2]))
		return RECEIPT_BAD_FORMAT;
	if (out != NULL) {
		memcpy(out->dossier_code, field[0], flen[0]);
		out->dossier_code[flen[0]] = '\0';
		memcpy(out->procedure_code, field[1], flen[1]);
		out->procedure_code[flen[1]] = '\0';
		memcpy(out->appointment, field[2], flen[2]);
		out->appointment[flen[2]] = '\0';
	}
	unsigned char sig[crypto_sign_BYTES];
	size_t nsig = 0;
	const char *end = NULL;
	if (flen[3] > SIGNATURE_B64_MAX || !base64url_text(field[3], flen[3]) ||
	    sodium_base642bin(sig, sizeof sig, field[3], flen[3], NULL, &nsig, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    nsig != sizeof sig || end != field[3] + flen[3])
		return RECEIPT_BAD_SIGNATURE;
	size_t signed_len = (size_t)(field[3] - 1 - payload);
	if (crypto_sign_verify_detached(sig, (const unsigned char *)payload, signed_len,
					public_key) != 0)
		return RECEIPT_TAMPERED;
	return RECEIPT_GENUINE;
}

const char *receipt_check_words(enum receipt_check c)
{
	switch (c) {
	case RECEIPT_GENUINE:
		return "Biên nhận hợp lệ: do đơn vị này cấp và không bị sửa đổi.";
	case RECEIPT_BAD_FORMAT:
		return "Không phải mã biên nhận: nội dung không đúng định dạng.";
	case RECEIPT_BAD_SIGNATURE:
		return "Chữ ký số của biên nhận bị hỏng hoặc thiếu.";
	case RECEIPT_TAMPERED:
		return "Biên nhận KHÔNG hợp lệ: chữ ký không khớp (nội dung đã bị sửa, hoặc không do "
		       "đơn vị này cấp).";
	}
	return "";
}

const char *receipt_check_name(enum receipt_check c)
{
	switch (c) {
	case RECEIPT_GENUINE: return "genuine";
	case RECEIPT_BAD_FORMAT: return "bad format";
	case RECEIPT_BAD_SIGNATURE: return "bad signature";
	case RECEIPT_TAMPERED: return "tampered or signed by another key";
	}
	return "";
}

bool receipt_hex_decode(const char *hex, unsigned char *out, size_t n)
{
	size_t got = 0;
	const char *end = NULL;
	if (hex == NULL || strlen(hex) != 2 * n)
		return false;
	return sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, &end) == 0 && got == n &&
	       end == hex + 2 * n;
}

enum status receipt_qr_svg(struct arena *a, const char *payload, const char *size,
			   const char **svg)
{
	return qr_svg(a, payload, size, svg, NULL);
}
