/* audit_checkpoint.c: signed checkpoints of the audit log's head, kept outside the table */
#include "audit/audit_internal.h"

#include "base/log.h"
#include "base/num.h"
#include "store/store.h"
#include "unitkey/unitkey.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PREFIX "PHUONG-AUDIT1|"
enum { FIELDS = 7 }; /* the prefix's version and the six fields after it */

/* A unit code or chain name: 1 to AUDIT_CODE_MAX of [A-Za-z0-9._-]. */
static bool code_valid(const char *s, size_t n)
{
	if (n == 0 || n > AUDIT_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static bool hash_valid(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Reads a field of at most cap bytes into out (cap + 1 bytes); false if longer. */
static bool field_copy(const char *s, size_t n, char *out, size_t cap)
{
	if (n > cap)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* Splits a line into its fields after the prefix; false when it is not one. */
static bool parse(const char *text, struct audit_checkpoint *cp, const char **sig,
		  size_t *sig_len)
{
	size_t len = strnlen(text, AUDIT_CHECKPOINT_MAX + 1);
	if (len > AUDIT_CHECKPOINT_MAX || strncmp(text, PREFIX, strlen(PREFIX)) != 0)
		return false;
	memcpy(cp->text, text, len + 1);
	const char *field[FIELDS - 1];
	size_t flen[FIELDS - 1];
	const char *p = cp->text + strlen(PREFIX);
	for (int i = 0; i < FIELDS - 1; i++) {
		const char *bar = strchr(p, '|');
		if ((bar != NULL) != (i < FIELDS - 2))
			return false;
		field[i] = p;
		flen[i] = bar != NULL ? (size_t)(bar - p) : strlen(p);
		p = bar != NULL ? bar + 1 : p + flen[i];
	}
	char id[24], at[24];
	if (!code_valid(field[0], flen[0]) || !code_valid(field[1], flen[1]) ||
	    !hash_valid(field[3], flen[3]) || !field_copy(field[2], flen[2], id, sizeof id - 1) ||
	    !field_copy(field[4], flen[4], at, sizeof at - 1) ||
	    !num_parse_int64(id, 0, INT64_MAX, &cp->id) ||
	    !num_parse_int64(at, 0, INT64_MAX, &cp->at))
		return false;
	field_copy(field[0], flen[0], cp->unit, AUDIT_CODE_MAX);
	field_copy(field[1], flen[1], cp->chain, AUDIT_CODE_MAX);
	field_copy(field[3], flen[3], cp->hash, 64);
	*sig = field[5];
	*sig_len = flen[5];
	return true;
}

enum status audit_checkpoint_make(struct db_conn *c, int64_t unit_id, int64_t now,
				  struct audit_checkpoint *out)
{
	memset(out, 0, sizeof *out);
	unsigned char pk[UNITKEY_PUBLIC_BYTES], sk[UNITKEY_SECRET_BYTES];
	/* One write transaction: the key may be made on first use, and on SQLite a write must
	 * not meet the read snapshot of a statement left open before. */
	enum status st = db_begin(c);
	if (st)
		return st;
	st = audit_store_unit_code(c, unit_id, out->unit);
	if (st == STATUS_OK)
		st = audit_head(c, &out->id, out->hash);
	if (st == STATUS_OK)
		st = unitkey_get(c, unit_id, now, pk, sk);
	if (st == STATUS_OK)
		st = db_commit(c);
	else
		db_rollback(c);
	if (st)
		return st;
	snprintf(out->chain, sizeof out->chain, "%s", AUDIT_CHAIN_ALL);
	out->at = now;
	int n = snprintf(out->text, sizeof out->text, PREFIX "%s|%s|%lld|%s|%lld|", out->unit,
			 out->chain, (long long)out->id, out->hash, (long long)now);
	char sig[UNITKEY_SIGNATURE_B64_LEN + 1];
	if (n > 0 && (size_t)n + sizeof sig <= sizeof out->text) {
		unitkey_sign(out->text, (size_t)n - 1, sk, sig); /* all before the last '|' */
		memcpy(out->text + n, sig, sizeof sig);
	} else {
		st = STATUS_INVALID; /* a unit code too long for a line */
	}
	sodium_memzero(sk, sizeof sk);
	return st;
}

enum status audit_checkpoint_check(struct db_conn *c, const char *text,
				   struct audit_checkpoint *out,
				   enum audit_checkpoint_state *state)
{
	memset(out, 0, sizeof *out);
	const char *sig;
	size_t sig_len;
	/* Only the one chain of the whole log exists yet: a line naming another is not one of
	 * this version's checkpoints. */
	if (!parse(text, out, &sig, &sig_len) || strcmp(out->chain, AUDIT_CHAIN_ALL) != 0) {
		*state = AUDIT_CHECKPOINT_BAD_FORMAT;
		return STATUS_OK;
	}
	int64_t unit_id;
	unsigned char pk[UNITKEY_PUBLIC_BYTES];
	enum status st = audit_store_unit_id(c, out->unit, &unit_id);
	if (st == STATUS_OK)
		st = unitkey_public(c, unit_id, pk);
	if (st == STATUS_NOT_FOUND) {
		*state = AUDIT_CHECKPOINT_NO_KEY;
		return STATUS_OK;
	}
	if (st)
		return st;
	if (unitkey_verify(out->text, (size_t)(sig - 1 - out->text), sig, sig_len, pk) !=
	    UNITKEY_GENUINE) {
		*state = AUDIT_CHECKPOINT_FORGED;
		return STATUS_OK;
	}
	if (out->id == 0) { /* the empty log: a row or more since is no loss */
		*state = strcmp(out->hash, AUDIT_GENESIS) == 0 ? AUDIT_CHECKPOINT_HOLDS
							       : AUDIT_CHECKPOINT_REWRITTEN;
		return STATUS_OK;
	}
	char hash[65];
	bool found;
	st = audit_store_row_hash(c, out->id, hash, &found);
	if (st)
		return st;
	*state = !found ? AUDIT_CHECKPOINT_TAIL_MISSING
	       : strcmp(hash, out->hash) != 0 ? AUDIT_CHECKPOINT_REWRITTEN
					      : AUDIT_CHECKPOINT_HOLDS;
	return STATUS_OK;
}

bool audit_checkpoint_save(const char *dir, const struct audit_checkpoint *cp)
{
	char path[700], line[AUDIT_CHECKPOINT_MAX + 2];
	snprintf(path, sizeof path, "%s/" AUDIT_CHECKPOINT_FILE, dir);
	int n = snprintf(line, sizeof line, "%s\n", cp->text);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	/* One write of a short line with O_APPEND: the server and the command line may both
	 * append at once without mixing their lines. */
	bool ok = fd >= 0 && write(fd, line, (size_t)n) == n && fsync(fd) == 0;
	if (!ok)
		log_error("cannot append to '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return ok;
}

void audit_time_text(int64_t utc, char out[AUDIT_TIME_TEXT_MAX])
{
	time_t t = (time_t)(utc + 7 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, AUDIT_TIME_TEXT_MAX, "%04d-%02d-%02d %02d:%02d:%02d (UTC+7)", (tm.tm_year + 1900) % 10000,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
