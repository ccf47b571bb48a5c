/* unitkey.c: Ed25519 detached signatures in base64url, hex keys */
#include "unitkey/unitkey.h"

#include <sodium.h>
#include <string.h>

void unitkey_sign(const char *msg, size_t len, const unsigned char secret_key[UNITKEY_SECRET_BYTES],
		  char out[UNITKEY_SIGNATURE_B64_LEN + 1])
{
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)msg, len, secret_key);
	sodium_bin2base64(out, UNITKEY_SIGNATURE_B64_LEN + 1, sig, sizeof sig,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
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

enum unitkey_check unitkey_verify(const char *msg, size_t len, const char *sig, size_t sig_len,
				  const unsigned char public_key[UNITKEY_PUBLIC_BYTES])
{
	unsigned char bin[crypto_sign_BYTES];
	size_t nsig = 0;
	const char *end = NULL;
	if (sig_len > UNITKEY_SIGNATURE_B64_MAX || !base64url_text(sig, sig_len) ||
	    sodium_base642bin(bin, sizeof bin, sig, sig_len, NULL, &nsig, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    nsig != sizeof bin || end != sig + sig_len)
		return UNITKEY_BAD_SIGNATURE;
	if (crypto_sign_verify_detached(bin, (const unsigned char *)msg, len, public_key) != 0)
		return UNITKEY_MISMATCH;
	return UNITKEY_GENUINE;
}

bool unitkey_hex_decode(const char *hex, unsigned char *out, size_t n)
{
	size_t got = 0;
	const char *end = NULL;
	if (hex == NULL || strlen(hex) != 2 * n)
		return false;
	return sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, &end) == 0 && got == n &&
	       end == hex + 2 * n;
}
