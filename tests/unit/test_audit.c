/* test_audit.c: unit keys; the audit chain and its signed checkpoints on a temporary database */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "store/store.h"
#include "unitkey/unitkey.h"

static void unitkey_signatures(void **state)
{
	(void)state;
	unsigned char pk[UNITKEY_PUBLIC_BYTES], sk[UNITKEY_SECRET_BYTES];
	unsigned char pk2[UNITKEY_PUBLIC_BYTES], sk2[UNITKEY_SECRET_BYTES];
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	char sig[UNITKEY_SIGNATURE_B64_LEN + 1];
	unitkey_sign("abc", 3, sk, sig);
	assert_int_equal(strlen(sig), UNITKEY_SIGNATURE_B64_LEN);
	assert_int_equal(unitkey_verify("abc", 3, sig, strlen(sig), pk), UNITKEY_GENUINE);
	assert_int_equal(unitkey_verify("abd", 3, sig, strlen(sig), pk), UNITKEY_MISMATCH);
	assert_int_equal(unitkey_verify("abc", 3, sig, strlen(sig), pk2), UNITKEY_MISMATCH);
	assert_int_equal(unitkey_verify("abc", 3, sig, strlen(sig) - 1, pk), UNITKEY_BAD_SIGNATURE);
	assert_int_equal(unitkey_verify("abc", 3, "!!", 2, pk), UNITKEY_BAD_SIGNATURE);
	unsigned char four[4];
	assert_true(unitkey_hex_decode("0aFf1b00", four, 4));
	assert_int_equal(four[1], 0xff);
	assert_false(unitkey_hex_decode("0aFf1b0", four, 4));
	assert_false(unitkey_hex_decode("0aFf1bzz", four, 4));
}

static enum audit_checkpoint_state state_of(struct db_conn *c, const char *text)
{
	struct audit_checkpoint cp;
	enum audit_checkpoint_state state;
	assert_int_equal(audit_checkpoint_check(c, text, &cp, &state), STATUS_OK);
	return state;
}

static void append(struct db_conn *c, int n)
{
	struct audit_actor actor = { 0, "cli" };
	for (int i = 0; i < n; i++)
		assert_int_equal(audit_append(c, 1, &actor, 1000 + i, "test.write", "test", i, NULL,
					      NULL), STATUS_OK);
}

static void checkpoints_anchor_the_head(void **state)
{
	(void)state;
	char dir[] = "/tmp/phuong-audit-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char url[128];
	snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	struct db *db = db_open(url, 1);
	assert_non_null(db);
	struct db_conn *c = db_acquire(db);
	struct db_stmt *s;
	assert_int_equal(db_prepare(c, "INSERT INTO unit (id, code, name, created_at)"
				       " VALUES (1, 'P9', 'P', 0), (2, 'X2', 'Q', 0)", &s), STATUS_OK);
	assert_int_equal(db_exec(s), STATUS_OK);

	/* The empty log's checkpoint holds, and still does once rows follow. */
	struct audit_checkpoint empty, cp, other;
	assert_int_equal(audit_checkpoint_make(c, 1, 500, &empty), STATUS_OK);
	assert_int_equal(empty.id, 0);
	assert_string_equal(empty.unit, "P9");
	assert_string_equal(empty.chain, AUDIT_CHAIN_ALL);
	assert_int_equal(state_of(c, empty.text), AUDIT_CHECKPOINT_HOLDS);
	append(c, 5);
	assert_int_equal(audit_checkpoint_make(c, 1, 2000, &cp), STATUS_OK);
	assert_int_equal(cp.id, 5);
	assert_int_equal(cp.at, 2000);
	assert_int_equal(state_of(c, cp.text), AUDIT_CHECKPOINT_HOLDS);
	assert_int_equal(state_of(c, empty.text), AUDIT_CHECKPOINT_HOLDS);

	/* A changed field, a garbled signature, another unit's key, no such unit, not a line. */
	char forged[AUDIT_CHECKPOINT_MAX + 1];
	snprintf(forged, sizeof forged, "%s", cp.text);
	char *at = strstr(forged, "|2000|");
	assert_non_null(at);
	at[1] = '3';
	assert_int_equal(state_of(c, forged), AUDIT_CHECKPOINT_FORGED);
	snprintf(forged, sizeof forged, "%s", cp.text);
	forged[strlen(forged) - 3] = forged[strlen(forged) - 3] == 'A' ? 'B' : 'A';
	assert_int_equal(state_of(c, forged), AUDIT_CHECKPOINT_FORGED);
	assert_int_equal(audit_checkpoint_make(c, 2, 2000, &other), STATUS_OK);
	snprintf(forged, sizeof forged, "PHUONG-AUDIT1|P9%s", strchr(other.text + 14, '|'));
	assert_int_equal(state_of(c, forged), AUDIT_CHECKPOINT_FORGED);
	snprintf(forged, sizeof forged, "PHUONG-AUDIT1|ZZ%s", strchr(cp.text + 14, '|'));
	assert_int_equal(state_of(c, forged), AUDIT_CHECKPOINT_NO_KEY);
	static const char *const garbage[] = {
		"", "PHUONG-AUDIT1|", "PHUONG-AUDIT1|P9|all|5|abc|2000|x",
		"PHUONG-AUDIT1|P9|all|-5|0000000000000000000000000000000000000000000000000000000000000000|1|x",
		"PHUONG-AUDIT1|P 9|all|5|0000000000000000000000000000000000000000000000000000000000000000|1|x",
		"PHUONG-AUDIT1|P9|all|5|0000000000000000000000000000000000000000000000000000000000000000|1",
		"PHUONG-AUDIT1|P9|all|5|0000000000000000000000000000000000000000000000000000000000000000|1|x|y",
		"PHUONG-AUDIT1|P9|P9|5|0000000000000000000000000000000000000000000000000000000000000000|1|x",
	};
	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
		assert_int_equal(state_of(c, garbage[i]), AUDIT_CHECKPOINT_BAD_FORMAT);

	/* Rows cut from the end (triggers dropped, as an attacker would): the chain still
	 * verifies, the checkpoint does not hold; rows put back with other content neither. */
	int64_t rows, first_bad;
	assert_int_equal(db_prepare(c, "DROP TRIGGER audit_log_no_delete", &s), STATUS_OK);
	assert_int_equal(db_exec(s), STATUS_OK);
	assert_int_equal(db_prepare(c, "DELETE FROM audit_log WHERE id > 3", &s), STATUS_OK);
	assert_int_equal(db_exec(s), STATUS_OK);
	assert_int_equal(audit_verify(c, &rows, &first_bad), STATUS_OK);
	assert_int_equal(first_bad, 0);
	assert_int_equal(rows, 3);
	assert_int_equal(state_of(c, cp.text), AUDIT_CHECKPOINT_TAIL_MISSING);
	append(c, 2);
	assert_int_equal(state_of(c, cp.text), AUDIT_CHECKPOINT_REWRITTEN);
	assert_int_equal(state_of(c, empty.text), AUDIT_CHECKPOINT_HOLDS);

	/* The file: one line a checkpoint, appended. */
	assert_true(audit_checkpoint_save(dir, &empty));
	assert_true(audit_checkpoint_save(dir, &cp));
	char path[160], line[AUDIT_CHECKPOINT_MAX + 2];
	snprintf(path, sizeof path, "%s/" AUDIT_CHECKPOINT_FILE, dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	assert_int_equal(strcspn(line, "\n"), strlen(empty.text));
	assert_non_null(fgets(line, sizeof line, f));
	line[strcspn(line, "\n")] = '\0';
	assert_string_equal(line, cp.text);
	assert_null(fgets(line, sizeof line, f));
	fclose(f);
	char when[AUDIT_TIME_TEXT_MAX];
	audit_time_text(0, when);
	assert_string_equal(when, "1970-01-01 07:00:00 (UTC+7)");

	db_release(c);
	db_close(db);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unitkey_signatures),
		cmocka_unit_test(checkpoints_anchor_the_head),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
