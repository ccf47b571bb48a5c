/* fuzz_receipt.c: libFuzzer harness: the receipt QR payload check (/kiem-tra-bien-nhan, 'phuong receipt')
 *
 * The input is a payload as a citizen's scanner or paste gives it. Beyond "no crash": a
 * payload whose format is right is signed again with the harness's key from the fields the
 * check read, and that payload must check as genuine with the same fields (what the check
 * reads is exactly what a receipt says); the input itself can only check as genuine if it is
 * that very payload. The input is also read as a hex key (unitkey_hex_decode), and its first
 * eight bytes as a time for receipt_appointment_text, whose text must then be accepted by
 * receipt_sign.
 */
#include "base/arena.h"
#include "onestop/receipt.h"
#include "unitkey/unitkey.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char public_key[RECEIPT_PUBLIC_KEY_BYTES];
static unsigned char secret_key[RECEIPT_SECRET_KEY_BYTES];

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_receipt: %s\n", what);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	/* A fixed key, so that a crash reproduces. */
	unsigned char seed[crypto_sign_SEEDBYTES] = { 9 };
	crypto_sign_seed_keypair(public_key, secret_key, seed);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *payload = malloc(size + 1);
	if (payload == NULL)
		return 0;
	memcpy(payload, data, size);
	payload[size] = '\0';
	struct arena *a = arena_new(1024 * 1024);
	if (a == NULL) {
		free(payload);
		return 0;
	}

	struct receipt_fields f;
	memset(&f, 0x55, sizeof f);
	enum receipt_check c = receipt_verify(payload, public_key, &f);
	check(receipt_check_words(c)[0] != '\0' && receipt_check_name(c)[0] != '\0',
	      "a check outcome without words");
	if (c != RECEIPT_BAD_FORMAT) {
		check(memchr(f.dossier_code, '\0', sizeof f.dossier_code) != NULL &&
		      memchr(f.procedure_code, '\0', sizeof f.procedure_code) != NULL &&
		      memchr(f.appointment, '\0', sizeof f.appointment) != NULL,
		      "a field read without its NUL");
		const char *again = NULL;
		check(receipt_sign(a, &f, secret_key, &again) == STATUS_OK,
		      "the fields of a well-formed payload cannot be signed");
		struct receipt_fields g;
		check(receipt_verify(again, public_key, &g) == RECEIPT_GENUINE,
		      "a payload just signed does not check");
		check(strcmp(f.dossier_code, g.dossier_code) == 0 &&
		      strcmp(f.procedure_code, g.procedure_code) == 0 &&
		      strcmp(f.appointment, g.appointment) == 0, "signing changed the fields");
		if (c == RECEIPT_GENUINE)
			check(strcmp(again, payload) == 0, "a payload checks as genuine but is not ours");
	}

	unsigned char key[RECEIPT_PUBLIC_KEY_BYTES];
	(void)unitkey_hex_decode(payload, key, sizeof key);

	if (size >= 8) {
		int64_t t;
		memcpy(&t, data, sizeof t);
		/* Times a receipt can hold: years 1970..9999 (Vietnam's time). */
		if (t >= 0 && t < INT64_C(253402300800) - 7 * 3600) {
			struct receipt_fields h = { "HS-1", "1.001", "" };
			receipt_appointment_text(t, h.appointment);
			const char *p;
			check(receipt_sign(a, &h, secret_key, &p) == STATUS_OK,
			      "receipt_appointment_text gave a time receipt_sign refuses");
		}
	}
	arena_free(a);
	free(payload);
	return 0;
}
