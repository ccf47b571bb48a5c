/* test_auth.c: the password hashing gate (at most AUTH_HASHES_AT_ONCE Argon2id runs) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"

enum { BURST = 8 };

/* The process's peak resident memory so far (VmHWM), in KiB. */
static long peak_rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return kib;
}

static void *hash_and_check(void *arg)
{
	bool *ok = arg;
	char hash[crypto_pwhash_STRBYTES];
	bool good = false;
	*ok = auth_hash_password("mật khẩu đủ dài 2026", hash) == STATUS_OK &&
	      auth_check_password(hash, "mật khẩu đủ dài 2026", &good) == STATUS_OK && good;
	return NULL;
}

/* Argon2id holds 64 MiB while it runs: BURST threads hashing at once must not hold
 * BURST × 64 MiB, only AUTH_HASHES_AT_ONCE × 64 MiB (and some slack). */
static void a_burst_of_hashes_costs_bounded_memory(void **state)
{
	(void)state;
	long before = peak_rss_kib();
	assert_true(before > 0);
	pthread_t threads[BURST];
	bool ok[BURST] = { false };
	for (int i = 0; i < BURST; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, hash_and_check, &ok[i]), 0);
	for (int i = 0; i < BURST; i++) {
		pthread_join(threads[i], NULL);
		assert_true(ok[i]);
	}
	long grown_mib = (peak_rss_kib() - before) / 1024;
	long bound_mib = AUTH_HASHES_AT_ONCE * 64 + 48;
	if (grown_mib > bound_mib)
		fail_msg("peak memory grew %ld MiB for %d hashes at once (bound %ld)", grown_mib,
			 BURST, bound_mib);
}

static void a_wrong_password_does_not_check(void **state)
{
	(void)state;
	char hash[crypto_pwhash_STRBYTES];
	bool good = true;
	assert_int_equal(auth_hash_password("mật khẩu đủ dài 2026", hash), STATUS_OK);
	assert_int_equal(auth_check_password(hash, "mật khẩu khác hẳn", &good), STATUS_OK);
	assert_false(good);
	assert_int_equal(auth_check_password("không phải mã băm", "x", &good), STATUS_OK);
	assert_false(good);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_burst_of_hashes_costs_bounded_memory),
		cmocka_unit_test(a_wrong_password_does_not_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
