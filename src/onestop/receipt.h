/* receipt.h: signed dossier receipts: the QR payload, its Ed25519 signature, its check
 *
 * The payload a receipt's QR code holds, one line of text:
 *
 *	PHUONG1|<dossier code>|<procedure code>|<appointment YYYY-MM-DDTHH:MM+07:00>|<signature>
 *
 * where the signature is Ed25519 (libsodium) by the unit's key over every byte before the
 * last '|', in base64url without padding. Anyone holding the unit's public key (shown on
 * /kiem-tra-bien-nhan) can check a receipt offline. */
#ifndef ONESTOP_RECEIPT_H
#define ONESTOP_RECEIPT_H

#include "base/status.h"
#include "unitkey/unitkey.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db_conn;

enum {
	RECEIPT_PUBLIC_KEY_BYTES = UNITKEY_PUBLIC_BYTES,
	RECEIPT_SECRET_KEY_BYTES = UNITKEY_SECRET_BYTES,
	RECEIPT_CODE_MAX = 64,        /* dossier and procedure codes, in bytes */
	RECEIPT_APPOINTMENT_LEN = 22, /* "2026-12-01T16:30+07:00" */
	RECEIPT_PAYLOAD_MAX = 300,
};

/* What a receipt says. Codes hold [A-Za-z0-9._/-] only. */
struct receipt_fields {
	char dossier_code[RECEIPT_CODE_MAX + 1];
	char procedure_code[RECEIPT_CODE_MAX + 1];
	char appointment[RECEIPT_APPOINTMENT_LEN + 1];
};

/* The outcome of a check. */
enum receipt_check {
	RECEIPT_GENUINE = 0,
	RECEIPT_BAD_FORMAT,    /* not PHUONG1|...|...|...|..., or a field of the wrong shape */
	RECEIPT_BAD_SIGNATURE, /* the signature is not base64url of 64 bytes */
	RECEIPT_TAMPERED,      /* the signature does not match: a field was changed, or another
				* key signed it */
};

/* The appointment text of a time in UTC seconds, in Vietnam's time (UTC+7):
 * "2026-12-01T16:30+07:00". out holds RECEIPT_APPOINTMENT_LEN + 1 bytes. */
void receipt_appointment_text(int64_t utc, char out[RECEIPT_APPOINTMENT_LEN + 1]);

/* Signs the fields with the unit's secret key; *payload (in the arena) is the QR text.
 * STATUS_INVALID when a field has the wrong shape (empty, too long, a character outside
 * the allowed ones, an appointment not of the form above); STATUS_TOO_LARGE when the
 * arena runs out. */
enum status receipt_sign(struct arena *a, const struct receipt_fields *f,
			 const unsigned char secret_key[RECEIPT_SECRET_KEY_BYTES],
			 const char **payload);

/* Checks a payload against a unit's public key; fills out (may be NULL) with its fields
 * whenever the format is right, even when the signature fails, so a page can show what
 * the receipt claims. */
enum receipt_check receipt_verify(const char *payload,
				  const unsigned char public_key[RECEIPT_PUBLIC_KEY_BYTES],
				  struct receipt_fields *out);

/* A sentence in Vietnamese saying what the check found. */
const char *receipt_check_words(enum receipt_check c);
/* A short English name of the outcome ("genuine", "bad format", ...), for the CLI and JSON. */
const char *receipt_check_name(enum receipt_check c);

/* The QR code of a payload as SVG (in the arena), width and height the caller's ("160",
 * "40mm"; NULL for none), for the printed receipt. Errors as qr_svg. */
enum status receipt_qr_svg(struct arena *a, const char *payload, const char *size,
			   const char **svg);

/* The unit's key pair: unitkey_get and unitkey_public (unitkey/unitkey.h). */

#endif
