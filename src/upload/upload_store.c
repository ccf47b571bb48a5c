/* upload_store.c: all SQL of uploads: files stored and read back by the SHA-256 of their bytes */
#include "upload/upload.h"

#include "base/arena.h"
#include "store/store.h"

#include <string.h>
#include <time.h>

enum status upload_save(struct db_conn *c, int64_t unit_id, const struct upload_image *img,
	char hash_out[65])
{
	if (img == NULL || img->data == NULL || img->len == 0 || img->mime == NULL)
		return STATUS_INVALID;
	upload_sha256_hex(img->data, img->len, hash_out);
	struct db_stmt *st;
	enum status rc = db_prepare(c,
		"INSERT INTO file (hash, unit_id, mime, bytes, width, height, created_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
		"ON CONFLICT (hash) DO NOTHING", &st);
	if (rc != STATUS_OK)
		return rc;
	db_bind_text(st, 1, hash_out);
	db_bind_int64(st, 2, unit_id);
	db_bind_text(st, 3, img->mime);
	db_bind_blob(st, 4, img->data, img->len);
	if (img->width > 0 && img->height > 0) {
		db_bind_int64(st, 5, img->width);
		db_bind_int64(st, 6, img->height);
	} else {
		db_bind_null(st, 5);
		db_bind_null(st, 6);
	}
	int64_t now = (int64_t)time(NULL);
	db_bind_int64(st, 7, now);
	rc = db_exec(st);
	if (rc != STATUS_OK)
		return rc;
	rc = db_prepare(c, "INSERT INTO file_use (unit_id, hash, created_at) VALUES (?1, ?2, ?3)"
			   " ON CONFLICT (unit_id, hash) DO NOTHING", &st);
	if (rc != STATUS_OK)
		return rc;
	db_bind_int64(st, 1, unit_id);
	db_bind_text(st, 2, hash_out);
	db_bind_int64(st, 3, now);
	return db_exec(st);
}

enum status upload_load(struct db_conn *c, int64_t unit_id, const char *hash, struct arena *a,
	struct upload_file *out)
{
	*out = (struct upload_file){ 0 };
	if (!upload_hash_is_valid(hash))
		return STATUS_NOT_FOUND;
	struct db_stmt *st;
	enum status rc = db_prepare(c,
		"SELECT f.unit_id, f.mime, f.bytes, f.width, f.height, f.created_at"
		" FROM file_use u JOIN file f ON f.hash = u.hash WHERE u.unit_id = ?1 AND u.hash = ?2",
		&st);
	if (rc != STATUS_OK)
		return rc;
	db_bind_int64(st, 1, unit_id);
	db_bind_text(st, 2, hash);
	bool has_row;
	rc = db_step(st, &has_row);
	if (rc != STATUS_OK)
		return rc;
	if (!has_row)
		return STATUS_NOT_FOUND;
	size_t len = db_column_bytes(st, 2);
	const char *mime = arena_strdup(a, db_column_text(st, 1));
	unsigned char *bytes = arena_alloc(a, len > 0 ? len : 1);
	if (mime == NULL || bytes == NULL)
		return STATUS_TOO_LARGE;
	if (len > 0)
		memcpy(bytes, db_column_blob(st, 2), len);
	memcpy(out->hash, hash, 65);
	out->unit_id = db_column_int64(st, 0);
	out->mime = mime;
	out->bytes = bytes;
	out->len = len;
	out->width = db_column_is_null(st, 3) ? 0 : (int)db_column_int64(st, 3);
	out->height = db_column_is_null(st, 4) ? 0 : (int)db_column_int64(st, 4);
	out->created_at = db_column_int64(st, 5);
	return STATUS_OK;
}
