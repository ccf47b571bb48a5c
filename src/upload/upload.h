/* upload.h: attachments: size limits, image type by content, resized copies without metadata, storage by SHA-256 */
#ifndef UPLOAD_UPLOAD_H
#define UPLOAD_UPLOAD_H

#include "base/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db_conn;

/* Largest image file accepted, in bytes. */
#define UPLOAD_IMAGE_MAX_BYTES ((size_t)10 * 1024 * 1024)
/* Largest width or height, in pixels, of an accepted image. */
#define UPLOAD_IMAGE_MAX_SIDE 12000
/* Largest width * height of an accepted image (a decoded pixel takes 4 bytes in gd). */
#define UPLOAD_IMAGE_MAX_PIXELS ((int64_t)40000000)
/* JPEG quality of the copies the program writes. */
#define UPLOAD_JPEG_QUALITY 82

/* An image the program encoded itself. data is malloc'd and owned by the struct;
 * mime is a static string ("image/jpeg" or "image/png"). */
struct upload_image {
	unsigned char *data;
	size_t len;
	const char *mime;
	int width, height;
};

/* A stored file read back from the database; every pointer lives in the arena
 * given to upload_load. width and height are 0 when unknown. */
struct upload_file {
	char hash[65];
	int64_t unit_id;
	const char *mime;
	const unsigned char *bytes;
	size_t len;
	int width, height;
	int64_t created_at; /* UTC seconds */
};

/* Decides whether data is an image we accept, by content (libmagic, then our own walk of
 * the file's structure), never by name. Accepted: image/jpeg, image/png, image/gif,
 * image/webp; *mime is then set to a static string. STATUS_TOO_LARGE when n passes
 * UPLOAD_IMAGE_MAX_BYTES or the header declares more than UPLOAD_IMAGE_MAX_SIDE per side
 * or UPLOAD_IMAGE_MAX_PIXELS in all (read from the header, before any decoding, so a
 * small decompression bomb costs nothing); STATUS_INVALID for anything else, including
 * truncated files (PNG without IEND, JPEG without EOI, GIF without trailer, WebP shorter
 * than its RIFF size), JPEGs of more than 100 progressive scans (a CPU bomb) and animated
 * WebP; STATUS_INTERNAL if libmagic cannot load its
 * database. Thread-safe (one libmagic handle behind a mutex). */
enum status upload_sniff_image(const void *data, size_t n, const char **mime);

/* Like upload_sniff_image, and also gives the pixel size the header declares
 * (before any EXIF rotation). */
enum status upload_sniff_image_size(const void *data, size_t n, const char **mime,
	int *width, int *height);

/* Makes the copy of an uploaded image that the site serves: checks it with
 * upload_sniff_image, decodes it with gd, turns it upright by its EXIF orientation (JPEG),
 * scales it down to fit max_width x max_height keeping the aspect ratio (never enlarges),
 * and encodes it again: JPEG quality UPLOAD_JPEG_QUALITY, or PNG when some pixel is not
 * opaque. Nothing of the original's metadata (EXIF, GPS, comments, ICC) survives.
 * Fills *out, which the caller frees with upload_image_release. Failure leaves *out empty:
 * the sniff statuses, STATUS_INVALID when max_width or max_height is below 1 or the data
 * does not decode, STATUS_INTERNAL when gd fails to allocate or encode. */
enum status upload_image_variant(const void *data, size_t n, int max_width, int max_height,
	struct upload_image *out);

/* Draws the picture used for demo articles (sky, sun, clouds, a ward People's Committee
 * building with columns and a red flag with a yellow star, trees), colours and layout
 * varied by seed, as a JPEG of exactly width x height. Fills *out (free with
 * upload_image_release). STATUS_INVALID unless both sides are 16..4000; STATUS_INTERNAL
 * if gd fails. */
enum status upload_demo_picture(int width, int height, unsigned seed, struct upload_image *out);

/* Frees the bytes of img and empties it. NULL and an empty struct are allowed. */
void upload_image_release(struct upload_image *img);

/* Writes the SHA-256 of data as 64 lowercase hex digits and a NUL into out. */
void upload_sha256_hex(const void *data, size_t n, char out[65]);

/* Whether s is exactly 64 lowercase hex digits (the form of a stored file's name). */
bool upload_hash_is_valid(const char *s);

/* Stores img for unit_id under the SHA-256 of its bytes, written to hash_out; storing the
 * same bytes again is not an error and keeps the first row (content addressing; its
 * unit_id stays the first uploader's), and records that unit_id uses it (file_use). STATUS_INVALID for an empty image; otherwise the
 * store's status (STATUS_UNAVAILABLE when busy, STATUS_INTERNAL). */
enum status upload_save(struct db_conn *c, int64_t unit_id, const struct upload_image *img,
	char hash_out[65]);

/* Reads the file stored under hash by unit_id into *out, copying its bytes and mime into
 * arena a. STATUS_NOT_FOUND when hash is not 64 lowercase hex digits or unit_id stored no
 * such file (another unit's file is not found);
 * STATUS_TOO_LARGE when the arena is full; otherwise the store's status. */
enum status upload_load(struct db_conn *c, int64_t unit_id, const char *hash, struct arena *a,
	struct upload_file *out);

#endif
