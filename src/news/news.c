/* news.c: rules of the news part: input checks, visibility, search queries, view batching */
#include "news/news.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "store/store.h"
#include "text/text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const char *news_input_check(struct arena *a, struct news_input *in)
{
	const char *title = text_clean(a, in->title, NEWS_TITLE_MAX, false);
	if (title == NULL)
		return "Tiêu đề không hợp lệ hoặc quá dài (tối đa 300 ký tự).";
	if (*title == '\0')
		return "Vui lòng nhập tiêu đề.";
	const char *author = text_clean(a, in->author, NEWS_AUTHOR_MAX, false);
	if (author == NULL)
		return "Tên tác giả không hợp lệ hoặc quá dài (tối đa 120 ký tự).";
	if (in->body != NULL && strlen(in->body) > NEWS_BODY_MAX)
		return "Nội dung quá dài (tối đa 200 KB).";
	const char *body = text_clean(a, in->body, NEWS_BODY_MAX, true);
	if (body == NULL)
		return "Nội dung có ký tự không hợp lệ.";
	if (*body == '\0')
		return "Vui lòng nhập nội dung.";
	if (in->category_id <= 0)
		return "Vui lòng chọn chuyên mục.";
	if (in->published_at <= 0)
		return "Ngày đăng không hợp lệ.";
	if (in->unpublish_at != 0 && in->unpublish_at <= in->published_at)
		return "Ngày gỡ bài phải sau ngày đăng.";
	in->title = title;
	in->author = author;
	in->body = body;
	return NULL;
}

bool news_is_public(const struct news_article *art, int64_t now)
{
	return strcmp(art->status, "published") == 0 && art->published_at <= now &&
	       (art->unpublish_at == 0 || art->unpublish_at > now);
}

const char *news_search_query(struct arena *a, const char *typed, const char **folded_out)
{
	if (typed == NULL)
		return NULL;
	char *folded = text_fold(a, typed, strlen(typed));
	if (folded == NULL || *folded == '\0')
		return NULL;
	*folded_out = folded;
	/* Folded text holds only lower-case letters, digits and single spaces, which both
	 * stores read as plain words, all required (FTS5's operators are upper case; the
	 * PostgreSQL side uses plainto_tsquery). No prefix matching: a Vietnamese word is a
	 * short syllable, and "hoa*" would find "hoat", "hoan"... */
	return text_first_words(a, folded, NEWS_SEARCH_MAX_WORDS);
}

/* ---- view counts ---- */

enum { VIEWS_SLOTS = 1024 };

struct views_slot {
	int64_t article_id, count;
};

/* A small open-addressing table of pending counts, under one mutex: a view is a
 * few nanoseconds of work instead of a database write. */
static struct {
	pthread_mutex_t lock;
	struct views_slot slots[VIEWS_SLOTS];
	size_t used;
} views = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct views_slot *views_slot(int64_t article_id, bool create)
{
	size_t i = (size_t)((uint64_t)article_id * 11400714819323198485ull >> 54) % VIEWS_SLOTS;
	for (size_t probe = 0; probe < VIEWS_SLOTS; probe++, i = (i + 1) % VIEWS_SLOTS) {
		if (views.slots[i].article_id == article_id)
			return &views.slots[i];
		if (views.slots[i].article_id == 0) {
			if (!create || views.used >= VIEWS_SLOTS * 3 / 4)
				return NULL;
			views.slots[i].article_id = article_id;
			views.used++;
			return &views.slots[i];
		}
	}
	return NULL;
}

/* Rebuilds the table without the emptied slots, so it never fills with old
 * articles. Called with the lock held. */
static void views_compact(void)
{
	static struct views_slot keep[VIEWS_SLOTS];
	size_t n = 0;
	for (size_t i = 0; i < VIEWS_SLOTS; i++)
		if (views.slots[i].article_id != 0 && views.slots[i].count > 0)
			keep[n++] = views.slots[i];
	memset(views.slots, 0, sizeof views.slots);
	views.used = 0;
	for (size_t i = 0; i < n; i++)
		views_slot(keep[i].article_id, true)->count = keep[i].count;
}

void news_views_add(int64_t article_id)
{
	pthread_mutex_lock(&views.lock);
	struct views_slot *slot = views_slot(article_id, true);
	if (slot != NULL)
		slot->count++;
	/* A full table drops the view: the flusher empties it within seconds. */
	pthread_mutex_unlock(&views.lock);
}

int64_t news_views_pending(int64_t article_id)
{
	pthread_mutex_lock(&views.lock);
	struct views_slot *slot = views_slot(article_id, false);
	int64_t count = slot != NULL ? slot->count : 0;
	pthread_mutex_unlock(&views.lock);
	return count;
}

enum status news_views_flush(struct db_conn *c)
{
	struct views_slot taken[VIEWS_SLOTS];
	size_t n = 0;
	pthread_mutex_lock(&views.lock);
	for (size_t i = 0; i < VIEWS_SLOTS; i++)
		if (views.slots[i].article_id != 0 && views.slots[i].count > 0)
			taken[n++] = views.slots[i];
	pthread_mutex_unlock(&views.lock);
	if (n == 0)
		return STATUS_OK;
	enum status st = db_begin(c);
	if (st)
		return st;
	for (size_t i = 0; i < n && st == STATUS_OK; i++)
		st = news_views_store(c, taken[i].article_id, taken[i].count);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st) {
		db_rollback(c);
		return st; /* the counts stay pending for the next flush */
	}
	/* Only now take the written counts off; views added meanwhile stay pending. A
	 * reader may see a count one batch high for an instant, never a lost view. */
	pthread_mutex_lock(&views.lock);
	for (size_t i = 0; i < n; i++) {
		struct views_slot *slot = views_slot(taken[i].article_id, false);
		if (slot != NULL)
			slot->count -= taken[i].count;
	}
	views_compact();
	pthread_mutex_unlock(&views.lock);
	return STATUS_OK;
}
