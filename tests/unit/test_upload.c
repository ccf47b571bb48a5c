/* test_upload.c: image sniffing, bomb limits, resized copies without metadata, demo pictures, file storage */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <gd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "store/store.h"
#include "upload/upload.h"

/* Encoded bytes owned by the test (copied out of gd's allocation). */
struct bytes {
	unsigned char *data;
	size_t len;
};

static struct bytes take(void *gd_data, int size)
{
	assert_non_null(gd_data);
	assert_true(size > 0);
	struct bytes b = { malloc((size_t)size), (size_t)size };
	assert_non_null(b.data);
	memcpy(b.data, gd_data, (size_t)size);
	gdFree(gd_data);
	return b;
}

/* A true-colour image: left half red, right half blue, with a few lines for texture. */
static gdImagePtr two_colour_image(int w, int h)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	assert_non_null(im);
	gdImageFilledRectangle(im, 0, 0, w / 2 - 1, h - 1, gdTrueColor(220, 20, 20));
	gdImageFilledRectangle(im, w / 2, 0, w - 1, h - 1, gdTrueColor(20, 20, 220));
	return im;
}

enum format { PNG, JPEG, GIF, WEBP };

static struct bytes encode(gdImagePtr im, enum format f)
{
	int size = 0;
	void *p = NULL;
	switch (f) {
	case PNG: p = gdImagePngPtr(im, &size); break;
	case JPEG: p = gdImageJpegPtr(im, &size, 90); break;
	case GIF: p = gdImageGifPtr(im, &size); break;
	case WEBP: p = gdImageWebpPtr(im, &size); break;
	}
	return take(p, size);
}

static struct bytes make_image(int w, int h, enum format f)
{
	gdImagePtr im = two_colour_image(w, h);
	struct bytes b = encode(im, f);
	gdImageDestroy(im);
	return b;
}

static gdImagePtr decode_any(const struct upload_image *img)
{
	if (strcmp(img->mime, "image/jpeg") == 0)
		return gdImageCreateFromJpegPtr((int)img->len, img->data);
	if (strcmp(img->mime, "image/png") == 0)
		return gdImageCreateFromPngPtr((int)img->len, img->data);
	fail_msg("unexpected mime %s", img->mime);
	return NULL;
}

/* JPEG bytes with an APP1 segment inserted right after SOI. */
static struct bytes insert_after_soi(struct bytes jpeg, const unsigned char *seg, size_t n)
{
	struct bytes b = { malloc(jpeg.len + n), jpeg.len + n };
	assert_non_null(b.data);
	memcpy(b.data, jpeg.data, 2);
	memcpy(b.data + 2, seg, n);
	memcpy(b.data + 2 + n, jpeg.data + 2, jpeg.len - 2);
	return b;
}

/* An APP1 Exif segment (big-endian TIFF) with an Orientation tag and a fake GPS note. */
static size_t exif_segment(unsigned char *out, int orientation)
{
	static const char note[] = "GPS 21.0285N 105.8542E";
	unsigned char tiff[] = {
		'M', 'M', 0, 42, 0, 0, 0, 8, /* header, IFD0 at 8 */
		0, 1,                        /* one entry */
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (unsigned char)orientation, 0, 0,
		0, 0, 0, 0,                  /* no next IFD */
	};
	size_t body = 6 + sizeof tiff + sizeof note;
	size_t len = body + 2;
	out[0] = 0xFF;
	out[1] = 0xE1;
	out[2] = (unsigned char)(len >> 8);
	out[3] = (unsigned char)len;
	memcpy(out + 4, "Exif\0\0", 6);
	memcpy(out + 10, tiff, sizeof tiff);
	memcpy(out + 10 + sizeof tiff, note, sizeof note);
	return 2 + len;
}

static void sniff_accepts_images(void **state)
{
	(void)state;
	static const struct {
		enum format f;
		const char *mime;
	} cases[] = {
		{ PNG, "image/png" }, { JPEG, "image/jpeg" }, { GIF, "image/gif" }, { WEBP, "image/webp" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bytes b = make_image(64, 48, cases[i].f);
		const char *mime = NULL;
		int w = 0, h = 0;
		assert_int_equal(upload_sniff_image(b.data, b.len, &mime), STATUS_OK);
		assert_string_equal(mime, cases[i].mime);
		assert_int_equal(upload_sniff_image_size(b.data, b.len, &mime, &w, &h), STATUS_OK);
		assert_int_equal(w, 64);
		assert_int_equal(h, 48);
		free(b.data);
	}
}

static void sniff_refuses_non_images(void **state)
{
	(void)state;
	static const char *texts[] = {
		"hello, this is plain text\n",
		"<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(1)</script></body></html>\n",
		"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
		"<script>alert(1)</script><rect width=\"10\" height=\"10\"/></svg>\n",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>",
		"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n",
	};
	const char *mime = NULL;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		assert_int_equal(upload_sniff_image(texts[i], strlen(texts[i]), &mime), STATUS_INVALID);
	assert_int_equal(upload_sniff_image("", 0, &mime), STATUS_INVALID);
	assert_int_equal(upload_sniff_image(NULL, 0, &mime), STATUS_INVALID);
}

static void sniff_refuses_truncated(void **state)
{
	(void)state;
	const char *mime;
	for (enum format f = PNG; f <= WEBP; f++) {
		struct bytes b = make_image(120, 80, f);
		assert_int_equal(upload_sniff_image(b.data, b.len, &mime), STATUS_OK);
		assert_int_equal(upload_sniff_image(b.data, b.len - 1, &mime), STATUS_INVALID);
		assert_int_equal(upload_sniff_image(b.data, b.len / 2, &mime), STATUS_INVALID);
		assert_int_equal(upload_sniff_image(b.data, 20, &mime), STATUS_INVALID);
		free(b.data);
	}
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG that only declares its size: signature, IHDR, IEND (CRCs left zero). */
static size_t png_header_only(unsigned char *out, uint32_t w, uint32_t h)
{
	static const unsigned char signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	memcpy(out, signature, 8);
	put_be32(out + 8, 13);
	memcpy(out + 12, "IHDR", 4);
	put_be32(out + 16, w);
	put_be32(out + 20, h);
	memcpy(out + 24, "\x08\x02\x00\x00\x00", 5);
	memset(out + 29, 0, 4);
	put_be32(out + 33, 0);
	memcpy(out + 37, "IEND", 4);
	memset(out + 41, 0, 4);
	return 45;
}

static void sniff_refuses_bombs(void **state)
{
	(void)state;
	const char *mime;
	unsigned char png[64];
	size_t n = png_header_only(png, 20000, 20000);
	assert_int_equal(upload_sniff_image(png, n, &mime), STATUS_TOO_LARGE);
	n = png_header_only(png, 8000, 8000); /* both sides fine, 64 megapixels too many */
	assert_int_equal(upload_sniff_image(png, n, &mime), STATUS_TOO_LARGE);
	n = png_header_only(png, 0xFFFFFFFFu, 1);
	assert_int_equal(upload_sniff_image(png, n, &mime), STATUS_TOO_LARGE);
	n = png_header_only(png, 6000, 6000); /* 36 megapixels: allowed by the header */
	assert_int_equal(upload_sniff_image(png, n, &mime), STATUS_OK);

	/* A real JPEG whose frame header claims 12001 pixels of width. */
	struct bytes jpeg = make_image(100, 100, JPEG);
	unsigned char *sof = NULL;
	for (size_t i = 2; i + 9 < jpeg.len; i++)
		if (jpeg.data[i] == 0xFF && jpeg.data[i + 1] == 0xC0) {
			sof = jpeg.data + i;
			break;
		}
	assert_non_null(sof);
	sof[7] = 12001 >> 8;
	sof[8] = 12001 & 0xFF;
	assert_int_equal(upload_sniff_image(jpeg.data, jpeg.len, &mime), STATUS_TOO_LARGE);
	struct upload_image out;
	assert_int_equal(upload_image_variant(jpeg.data, jpeg.len, 800, 800, &out),
		STATUS_TOO_LARGE);
	assert_null(out.data);
	free(jpeg.data);

	/* A progressive JPEG is fine; one with 101 scans is a CPU bomb. */
	gdImagePtr im = two_colour_image(200, 100);
	gdImageInterlace(im, 1);
	struct bytes progressive = encode(im, JPEG);
	gdImageDestroy(im);
	assert_int_equal(upload_sniff_image(progressive.data, progressive.len, &mime), STATUS_OK);
	assert_int_equal(upload_image_variant(progressive.data, progressive.len, 800, 800, &out),
		STATUS_OK);
	upload_image_release(&out);
	free(progressive.data);
	/* Copies of the one scan of a baseline JPEG, up to its EOI. */
	struct bytes baseline = make_image(64, 64, JPEG);
	size_t sos = 0;
	for (size_t i = 2; i + 1 < baseline.len && sos == 0; i++)
		if (baseline.data[i] == 0xFF && baseline.data[i + 1] == 0xDA)
			sos = i;
	assert_true(sos > 0);
	size_t scan_len = baseline.len - 2 - sos;
	size_t many_len = sos + 101 * scan_len + 2;
	unsigned char *many = malloc(many_len);
	assert_non_null(many);
	memcpy(many, baseline.data, sos);
	for (size_t i = 0; i < 101; i++)
		memcpy(many + sos + i * scan_len, baseline.data + sos, scan_len);
	memcpy(many + many_len - 2, "\xFF\xD9", 2);
	assert_int_equal(upload_sniff_image(many, many_len, &mime), STATUS_INVALID);
	memcpy(many + sos + 100 * scan_len, "\xFF\xD9", 2);
	assert_int_equal(upload_sniff_image(many, sos + 100 * scan_len + 2, &mime), STATUS_OK);
	free(many);
	free(baseline.data);

	/* Over the byte limit: refused before anything reads the content. */
	unsigned char *big = calloc(1, UPLOAD_IMAGE_MAX_BYTES + 1);
	assert_non_null(big);
	assert_int_equal(upload_sniff_image(big, UPLOAD_IMAGE_MAX_BYTES + 1, &mime),
		STATUS_TOO_LARGE);
	free(big);
}

static void variant_scales_down(void **state)
{
	(void)state;
	struct bytes b = make_image(2000, 1000, PNG);
	struct upload_image out;
	assert_int_equal(upload_image_variant(b.data, b.len, 800, 800, &out), STATUS_OK);
	assert_string_equal(out.mime, "image/jpeg"); /* opaque PNG becomes JPEG */
	assert_int_equal(out.width, 800);
	assert_int_equal(out.height, 400);
	gdImagePtr im = decode_any(&out);
	assert_non_null(im);
	assert_int_equal(gdImageSX(im), 800);
	assert_int_equal(gdImageSY(im), 400);
	gdImageDestroy(im);
	upload_image_release(&out);
	assert_null(out.data);

	/* Height-limited the other way round. */
	assert_int_equal(upload_image_variant(b.data, b.len, 1500, 300, &out), STATUS_OK);
	assert_int_equal(out.width, 600);
	assert_int_equal(out.height, 300);
	upload_image_release(&out);
	free(b.data);
}

static void variant_never_enlarges(void **state)
{
	(void)state;
	struct bytes b = make_image(300, 200, JPEG);
	struct upload_image out;
	assert_int_equal(upload_image_variant(b.data, b.len, 800, 800, &out), STATUS_OK);
	assert_int_equal(out.width, 300);
	assert_int_equal(out.height, 200);
	gdImagePtr im = decode_any(&out);
	assert_int_equal(gdImageSX(im), 300);
	assert_int_equal(gdImageSY(im), 200);
	gdImageDestroy(im);
	upload_image_release(&out);
	free(b.data);
}

static void variant_strips_exif(void **state)
{
	(void)state;
	struct bytes plain = make_image(400, 300, JPEG);
	unsigned char seg[128];
	size_t n = exif_segment(seg, 1);
	struct bytes b = insert_after_soi(plain, seg, n);
	assert_non_null(memmem(b.data, b.len, "Exif", 4));
	const char *mime;
	assert_int_equal(upload_sniff_image(b.data, b.len, &mime), STATUS_OK);
	assert_string_equal(mime, "image/jpeg");

	struct upload_image out;
	assert_int_equal(upload_image_variant(b.data, b.len, 1000, 1000, &out), STATUS_OK);
	assert_string_equal(out.mime, "image/jpeg");
	assert_int_equal(out.width, 400);
	assert_int_equal(out.height, 300);
	assert_null(memmem(out.data, out.len, "Exif", 4));
	assert_null(memmem(out.data, out.len, "GPS", 3));
	upload_image_release(&out);
	free(b.data);
	free(plain.data);
}

static int red_of(gdImagePtr im, int x, int y)
{
	return gdTrueColorGetRed(gdImageGetTrueColorPixel(im, x, y));
}

static int blue_of(gdImagePtr im, int x, int y)
{
	return gdTrueColorGetBlue(gdImageGetTrueColorPixel(im, x, y));
}

static void variant_applies_orientation(void **state)
{
	(void)state;
	/* Stored 200x100, left red, right blue. Orientation 6 means "turn 90 degrees
	 * clockwise to view": 100x200, red on top. Orientation 8 turns the other way. */
	struct bytes plain = make_image(200, 100, JPEG);
	unsigned char seg[128];
	for (int orientation = 6; orientation <= 8; orientation += 2) {
		size_t n = exif_segment(seg, orientation);
		struct bytes b = insert_after_soi(plain, seg, n);
		struct upload_image out;
		assert_int_equal(upload_image_variant(b.data, b.len, 1000, 1000, &out), STATUS_OK);
		assert_int_equal(out.width, 100);
		assert_int_equal(out.height, 200);
		gdImagePtr im = decode_any(&out);
		assert_non_null(im);
		bool red_on_top = orientation == 6;
		assert_true((red_of(im, 50, 40) > 150) == red_on_top);
		assert_true((blue_of(im, 50, 160) > 150) == red_on_top);
		gdImageDestroy(im);
		upload_image_release(&out);

		/* Scaling and turning together: fits 50x50 as 25x50. */
		assert_int_equal(upload_image_variant(b.data, b.len, 50, 50, &out), STATUS_OK);
		assert_int_equal(out.width, 25);
		assert_int_equal(out.height, 50);
		upload_image_release(&out);
		free(b.data);
	}
	free(plain.data);
}

static void variant_keeps_transparency_as_png(void **state)
{
	(void)state;
	gdImagePtr im = gdImageCreateTrueColor(300, 300);
	gdImageAlphaBlending(im, 0);
	gdImageSaveAlpha(im, 1);
	gdImageFilledRectangle(im, 0, 0, 299, 299, gdTrueColorAlpha(0, 0, 0, gdAlphaTransparent));
	gdImageFilledEllipse(im, 150, 150, 200, 200, gdTrueColor(0, 160, 0));
	struct bytes b = encode(im, PNG);
	gdImageDestroy(im);
	struct upload_image out;
	assert_int_equal(upload_image_variant(b.data, b.len, 100, 100, &out), STATUS_OK);
	assert_string_equal(out.mime, "image/png");
	assert_int_equal(out.width, 100);
	gdImagePtr back = decode_any(&out);
	assert_int_equal(gdTrueColorGetAlpha(gdImageGetTrueColorPixel(back, 1, 1)), gdAlphaTransparent);
	assert_int_equal(gdTrueColorGetAlpha(gdImageGetTrueColorPixel(back, 50, 50)), gdAlphaOpaque);
	gdImageDestroy(back);
	upload_image_release(&out);
	free(b.data);

	/* A palette GIF with a transparent colour. */
	gdImagePtr pal = gdImageCreate(40, 40);
	int bg = gdImageColorAllocate(pal, 255, 255, 255);
	int fg = gdImageColorAllocate(pal, 200, 0, 0);
	gdImageColorTransparent(pal, bg);
	gdImageFilledRectangle(pal, 10, 10, 29, 29, fg);
	b = encode(pal, GIF);
	gdImageDestroy(pal);
	assert_int_equal(upload_image_variant(b.data, b.len, 100, 100, &out), STATUS_OK);
	assert_string_equal(out.mime, "image/png");
	upload_image_release(&out);
	free(b.data);
}

static void variant_refuses_bad_input(void **state)
{
	(void)state;
	struct bytes b = make_image(50, 50, PNG);
	struct upload_image out;
	assert_int_equal(upload_image_variant(b.data, b.len, 0, 100, &out), STATUS_INVALID);
	assert_null(out.data);
	assert_int_equal(upload_image_variant("not an image", 12, 100, 100, &out), STATUS_INVALID);
	/* Structure intact but the pixel data scrambled: decoding fails. */
	for (size_t i = 60; i < b.len - 20; i++)
		b.data[i] ^= 0x5a;
	assert_int_equal(upload_image_variant(b.data, b.len, 100, 100, &out), STATUS_INVALID);
	assert_null(out.data);
	free(b.data);
	upload_image_release(NULL);
}

static void demo_picture_has_asked_size(void **state)
{
	(void)state;
	struct upload_image a, b;
	assert_int_equal(upload_demo_picture(1200, 675, 1, &a), STATUS_OK);
	assert_string_equal(a.mime, "image/jpeg");
	assert_int_equal(a.width, 1200);
	assert_int_equal(a.height, 675);
	gdImagePtr im = decode_any(&a);
	assert_non_null(im);
	assert_int_equal(gdImageSX(im), 1200);
	assert_int_equal(gdImageSY(im), 675);
	gdImageDestroy(im);
	const char *mime;
	assert_int_equal(upload_sniff_image(a.data, a.len, &mime), STATUS_OK);

	assert_int_equal(upload_demo_picture(1200, 675, 2, &b), STATUS_OK);
	assert_false(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	upload_image_release(&b);
	assert_int_equal(upload_demo_picture(1200, 675, 1, &b), STATUS_OK); /* deterministic */
	assert_true(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	upload_image_release(&b);
	upload_image_release(&a);

	assert_int_equal(upload_demo_picture(16, 4000, 7, &a), STATUS_OK);
	upload_image_release(&a);
	assert_int_equal(upload_demo_picture(15, 100, 1, &a), STATUS_INVALID);
	assert_int_equal(upload_demo_picture(100, 4001, 1, &a), STATUS_INVALID);
	assert_null(a.data);
}

static void sha256_known_values(void **state)
{
	(void)state;
	char hex[65];
	upload_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	upload_sha256_hex(NULL, 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_true(upload_hash_is_valid(hex));
	hex[10] = 'A';
	assert_false(upload_hash_is_valid(hex));
	assert_false(upload_hash_is_valid("abc"));
	assert_false(upload_hash_is_valid(NULL));
	assert_false(upload_hash_is_valid(
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550"));
}

static void store_saves_and_loads(void **state)
{
	(void)state;
	char dir[] = "/tmp/phuong-test-upload-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/db.sqlite", dir);
	struct db *db = db_open(path, 1);
	assert_non_null(db);
	struct db_conn *c = db_acquire(db);
	assert_int_equal(db_exec_script(c,
		"INSERT INTO unit (id, code, name, created_at) VALUES (1, 'P9', 'Phường 9', 0),"
		" (2, 'P10', 'Phường 10', 0)"),
		STATUS_OK);

	struct upload_image img;
	assert_int_equal(upload_demo_picture(320, 180, 3, &img), STATUS_OK);
	char hash[65], again[65], expected[65];
	upload_sha256_hex(img.data, img.len, expected);
	assert_int_equal(upload_save(c, 1, &img, hash), STATUS_OK);
	assert_string_equal(hash, expected);
	assert_int_equal(upload_save(c, 1, &img, again), STATUS_OK); /* same bytes: no error */
	assert_string_equal(again, hash);

	struct arena *a = arena_new(1 << 20);
	struct upload_file f;
	assert_int_equal(upload_load(c, 1, hash, a, &f), STATUS_OK);
	assert_string_equal(f.hash, hash);
	assert_int_equal(f.unit_id, 1);
	assert_string_equal(f.mime, "image/jpeg");
	assert_int_equal(f.len, img.len);
	assert_memory_equal(f.bytes, img.data, img.len);
	assert_int_equal(f.width, 320);
	assert_int_equal(f.height, 180);
	assert_true(f.created_at > 0);

	char missing[65];
	upload_sha256_hex("nothing", 7, missing);
	assert_int_equal(upload_load(c, 1, missing, a, &f), STATUS_NOT_FOUND);
	assert_int_equal(upload_load(c, 1, "../../etc/passwd", a, &f), STATUS_NOT_FOUND);
	/* Another unit cannot read the file by its hash until it stores the same bytes. */
	assert_int_equal(upload_load(c, 2, hash, a, &f), STATUS_NOT_FOUND);
	assert_int_equal(upload_save(c, 2, &img, again), STATUS_OK);
	assert_int_equal(upload_load(c, 2, hash, a, &f), STATUS_OK);
	assert_int_equal(f.unit_id, 1); /* the bytes stay the first uploader's row */
	hash[0] = hash[0] == 'a' ? 'B' : 'A'; /* upper case is not a stored name */
	assert_int_equal(upload_load(c, 1, hash, a, &f), STATUS_NOT_FOUND);
	arena_free(a);

	struct arena *tiny = arena_new(64);
	assert_int_equal(upload_load(c, 1, expected, tiny, &f), STATUS_TOO_LARGE);
	arena_free(tiny);

	upload_image_release(&img);
	db_release(c);
	db_close(db);
	unlink(path);
	char side[160];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sniff_accepts_images),
		cmocka_unit_test(sniff_refuses_non_images),
		cmocka_unit_test(sniff_refuses_truncated),
		cmocka_unit_test(sniff_refuses_bombs),
		cmocka_unit_test(variant_scales_down),
		cmocka_unit_test(variant_never_enlarges),
		cmocka_unit_test(variant_strips_exif),
		cmocka_unit_test(variant_applies_orientation),
		cmocka_unit_test(variant_keeps_transparency_as_png),
		cmocka_unit_test(variant_refuses_bad_input),
		cmocka_unit_test(demo_picture_has_asked_size),
		cmocka_unit_test(sha256_known_values),
		cmocka_unit_test(store_saves_and_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
