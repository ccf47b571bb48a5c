/* dossier_access.c: readings of dossiers kept in memory and written in batches */
#include "onestop/dossier_access.h"

#include "auth/auth.h"
#include "base/log.h"
#include "base/utf8.h"
#include "onestop/dossier.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* One reading waiting to be written. */
struct reading {
	int64_t unit_id, user_id, at;
	char code[DOSSIER_CODE_MAX + 1];
	char actor[AUTH_USERNAME_MAX + 1];
	char kind[8];
	char detail[4 * DOSSIER_ACCESS_DETAIL_CHARS + 1];
};

/* The queue, under one mutex; flush_lock lets one flush run at a time, with its own copy
 * of the batch (taken) so that noting never waits for the database. */
static struct {
	pthread_mutex_t lock, flush_lock;
	struct reading queue[DOSSIER_ACCESS_QUEUE_MAX], taken[DOSSIER_ACCESS_QUEUE_MAX];
	size_t count;
} pending = { .lock = PTHREAD_MUTEX_INITIALIZER, .flush_lock = PTHREAD_MUTEX_INITIALIZER };

/* Copies s into out (cap bytes with the NUL), cut at a character boundary. */
static void copy_text(char *out, size_t cap, const char *s, size_t max_chars)
{
	size_t n = s != NULL ? strlen(s) : 0;
	n = n > 0 ? utf8_prefix(s, n, max_chars) : 0;
	if (n >= cap)
		n = cap - 1;
	if (n > 0)
		memcpy(out, s, n);
	out[n] = '\0';
}

/* Appends a reading; false when the queue is full. */
static bool enqueue(const struct reading *r)
{
	pthread_mutex_lock(&pending.lock);
	bool room = pending.count < DOSSIER_ACCESS_QUEUE_MAX;
	if (room)
		pending.queue[pending.count++] = *r;
	pthread_mutex_unlock(&pending.lock);
	return room;
}

enum status dossier_access_note(struct db_conn *c, int64_t unit_id, const char *code,
				const struct audit_actor *actor, const char *kind,
				const char *detail, int64_t now)
{
	struct reading r = { .unit_id = unit_id, .user_id = actor->user_id, .at = now };
	copy_text(r.code, sizeof r.code, code, sizeof r.code);
	copy_text(r.actor, sizeof r.actor, actor->name, sizeof r.actor);
	copy_text(r.kind, sizeof r.kind, kind, sizeof r.kind);
	copy_text(r.detail, sizeof r.detail, detail, DOSSIER_ACCESS_DETAIL_CHARS);
	if (enqueue(&r))
		return STATUS_OK;
	enum status st = dossier_access_flush(c); /* full: this reader writes the batch */
	if (st)
		log_error("readings of dossiers cannot be written (%s): reading refused",
			  status_name(st));
	return st == STATUS_OK && enqueue(&r) ? STATUS_OK : STATUS_UNAVAILABLE;
}

enum status dossier_access_flush(struct db_conn *c)
{
	pthread_mutex_lock(&pending.flush_lock);
	pthread_mutex_lock(&pending.lock);
	size_t n = pending.count;
	memcpy(pending.taken, pending.queue, n * sizeof pending.queue[0]);
	pthread_mutex_unlock(&pending.lock);
	enum status st = n > 0 ? db_begin(c) : STATUS_OK;
	for (size_t i = 0; i < n && st == STATUS_OK; i++) {
		const struct reading *r = &pending.taken[i];
		st = dossier_access_store(c, r->unit_id, r->code, r->user_id, r->actor, r->kind,
					  r->detail, r->at);
	}
	if (n > 0 && st == STATUS_OK)
		st = db_commit(c);
	if (st) {
		db_rollback(c); /* every reading stays queued for the next flush */
	} else if (n > 0) {
		/* Only the written ones go; those noted meanwhile stay, in order. */
		pthread_mutex_lock(&pending.lock);
		memmove(pending.queue, pending.queue + n, (pending.count - n) * sizeof pending.queue[0]);
		pending.count -= n;
		pthread_mutex_unlock(&pending.lock);
	}
	pthread_mutex_unlock(&pending.flush_lock);
	return st;
}
