/* upload.c: image uploads: type by content, header limits against decompression bombs, resized copies without metadata */
#include "upload/upload.h"

#include "base/log.h"
#include "upload/upload_internal.h"

#include <limits.h>
#include <magic.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Why our own header walk on top of libmagic: libmagic only reads the first bytes, so it
 * calls a cut-off PNG "image/png" and knows nothing of pixel sizes. The walk below reads
 * the declared width and height (PNG IHDR, JPEG SOFn, GIF screen and frame descriptors,
 * WebP VP8/VP8L/VP8X) so a 20000x20000 bomb of a few kilobytes is refused before gd
 * allocates anything, and it follows the chunk/segment/block structure to the end, so a
 * truncated file is refused too. It costs one linear pass over at most 10 MiB and no
 * allocation.
 */

static const char MIME_JPEG[] = "image/jpeg";
static const char MIME_PNG[] = "image/png";
static const char MIME_GIF[] = "image/gif";
static const char MIME_WEBP[] = "image/webp";

/* Real progressive JPEGs have about ten scans; thousands of tiny ones make libjpeg spin
 * (the "progressive scan" denial of service), so more than this is refused. */
#define JPEG_MAX_SCANS 100

enum image_kind { KIND_JPEG, KIND_PNG, KIND_GIF, KIND_WEBP };

struct image_info {
	enum image_kind kind;
	const char *mime;
	int width, height; /* as declared by the header */
	int orientation;   /* EXIF orientation 1..8; 1 when absent */
};

/* One libmagic handle for the process: magic_buffer is not thread-safe on a handle,
 * and loading the database per thread would cost more than the lock. */
static pthread_once_t magic_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_handle;

static pthread_once_t gd_once = PTHREAD_ONCE_INIT;

__attribute__((format(printf, 2, 0)))
static void gd_log(int priority, const char *fmt, va_list ap)
{
	(void)priority;
	char msg[256];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	/* gd complains about every broken upload: that is the uploader's problem, not ours. */
	log_debug("gd: %s", msg);
}

static void gd_setup(void)
{
	gdSetErrorMethod(gd_log);
}

void upload_gd_init(void)
{
	pthread_once(&gd_once, gd_setup);
}

static void magic_setup(void)
{
	int flags = MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR |
		MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_CDF;
	magic_t m = magic_open(flags);
	if (m == NULL) {
		log_error("cannot open libmagic");
		return;
	}
	if (magic_load(m, NULL) != 0) {
		log_error("cannot load the libmagic database: %s", magic_error(m));
		magic_close(m);
		return;
	}
	magic_handle = m;
}

static uint32_t be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le24(const unsigned char *p)
{
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int clamp_side(uint32_t v)
{
	return v > INT_MAX ? INT_MAX : (int)v;
}

/* PNG: signature, IHDR first, then chunks until IEND, all inside the data. */
static bool walk_png(const unsigned char *p, size_t n, struct image_info *info)
{
	static const unsigned char signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	if (n < sizeof signature || memcmp(p, signature, sizeof signature) != 0)
		return false;
	size_t pos = sizeof signature;
	bool first = true;
	for (;;) {
		if (n - pos < 12)
			return false;
		uint32_t len = be32(p + pos);
		const unsigned char *type = p + pos + 4;
		if (len > n - pos - 12)
			return false;
		if (first) {
			if (memcmp(type, "IHDR", 4) != 0 || len != 13)
				return false;
			info->width = clamp_side(be32(p + pos + 8));
			info->height = clamp_side(be32(p + pos + 12));
			first = false;
		} else if (memcmp(type, "IEND", 4) == 0) {
			return true;
		}
		pos += 12 + (size_t)len;
	}
}

static uint32_t tiff16(const unsigned char *p, bool big_endian)
{
	return big_endian ? be16(p) : le16(p);
}

static uint32_t tiff32(const unsigned char *p, bool big_endian)
{
	return big_endian ? be32(p) : le32(p);
}

/* The Orientation tag (0x0112) of IFD0 in an APP1 "Exif" segment; 1 when absent or odd. */
static int exif_orientation(const unsigned char *s, size_t n)
{
	if (n < 14 || memcmp(s, "Exif\0\0", 6) != 0)
		return 1;
	const unsigned char *tiff = s + 6;
	size_t tn = n - 6;
	bool big_endian;
	if (tiff[0] == 'M' && tiff[1] == 'M')
		big_endian = true;
	else if (tiff[0] == 'I' && tiff[1] == 'I')
		big_endian = false;
	else
		return 1;
	if (tiff16(tiff + 2, big_endian) != 42)
		return 1;
	uint32_t ifd = tiff32(tiff + 4, big_endian);
	if (ifd > tn - 2)
		return 1;
	uint32_t count = tiff16(tiff + ifd, big_endian);
	size_t pos = (size_t)ifd + 2;
	for (uint32_t i = 0; i < count; i++, pos += 12) {
		if (tn - pos < 12)
			return 1;
		if (tiff16(tiff + pos, big_endian) == 0x0112 && tiff16(tiff + pos + 2, big_endian) == 3) {
			uint32_t v = tiff16(tiff + pos + 8, big_endian);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
	return 1;
}

static bool is_jpeg_frame_marker(unsigned m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* From the start of entropy-coded data, the position of the next real marker (its 0xFF),
 * or n when the data ends first. Inside a scan 0xFF is followed by 0x00 (a stuffed byte),
 * a restart marker, or more 0xFF fill. */
static size_t skip_entropy(const unsigned char *p, size_t n, size_t pos)
{
	while (pos + 1 < n) {
		if (p[pos] != 0xFF) {
			pos++;
			continue;
		}
		unsigned next = p[pos + 1];
		if (next == 0x00 || (next >= 0xD0 && next <= 0xD7))
			pos += 2;
		else if (next == 0xFF)
			pos++;
		else
			return pos;
	}
	return n;
}

/* JPEG: SOI, segments, at most JPEG_MAX_SCANS scans, up to EOI; the first frame header
 * gives the size. */
static bool walk_jpeg(const unsigned char *p, size_t n, struct image_info *info)
{
	if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
		return false;
	size_t pos = 2;
	bool have_frame = false, have_exif = false;
	int scans = 0;
	info->orientation = 1;
	while (pos < n) {
		if (p[pos] != 0xFF)
			return false;
		while (pos < n && p[pos] == 0xFF)
			pos++;
		if (pos >= n)
			return false;
		unsigned marker = p[pos++];
		if (marker == 0xD9)
			return have_frame;
		if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
			continue;
		if (marker == 0x00 || marker == 0xD8 || n - pos < 2)
			return false;
		size_t len = be16(p + pos);
		if (len < 2 || len > n - pos)
			return false;
		const unsigned char *seg = p + pos + 2;
		size_t seg_len = len - 2;
		if (is_jpeg_frame_marker(marker)) {
			if (seg_len < 5)
				return false;
			if (!have_frame) {
				info->height = (int)be16(seg + 1);
				info->width = (int)be16(seg + 3);
				have_frame = true;
			}
		} else if (marker == 0xE1 && !have_exif && seg_len >= 6 &&
			   memcmp(seg, "Exif\0\0", 6) == 0) {
			info->orientation = exif_orientation(seg, seg_len);
			have_exif = true;
		}
		pos += len;
		if (marker == 0xDA) {
			if (!have_frame || ++scans > JPEG_MAX_SCANS)
				return false;
			pos = skip_entropy(p, n, pos);
		}
	}
	return false;
}

/* GIF data sub-blocks: sizes then bytes, ended by a zero size. */
static bool skip_gif_sub_blocks(const unsigned char *p, size_t n, size_t *pos)
{
	for (;;) {
		if (*pos >= n)
			return false;
		size_t size = p[(*pos)++];
		if (size == 0)
			return true;
		if (size > n - *pos)
			return false;
		*pos += size;
	}
}

/* GIF: header, screen descriptor, blocks up to the trailer. The size checked is the
 * larger of the screen and every frame. */
static bool walk_gif(const unsigned char *p, size_t n, struct image_info *info)
{
	if (n < 13 || (memcmp(p, "GIF87a", 6) != 0 && memcmp(p, "GIF89a", 6) != 0))
		return false;
	info->width = (int)le16(p + 6);
	info->height = (int)le16(p + 8);
	size_t pos = 13;
	if (p[10] & 0x80) {
		size_t table = (size_t)3 << ((p[10] & 7) + 1);
		if (table > n - pos)
			return false;
		pos += table;
	}
	bool have_image = false;
	while (pos < n) {
		unsigned block = p[pos++];
		if (block == 0x3B)
			return have_image;
		if (block == 0x21) {
			if (pos >= n)
				return false;
			pos++; /* extension label */
			if (!skip_gif_sub_blocks(p, n, &pos))
				return false;
		} else if (block == 0x2C) {
			if (n - pos < 9)
				return false;
			int frame_width = (int)le16(p + pos + 4);
			int frame_height = (int)le16(p + pos + 6);
			unsigned flags = p[pos + 8];
			if (frame_width > info->width)
				info->width = frame_width;
			if (frame_height > info->height)
				info->height = frame_height;
			pos += 9;
			if (flags & 0x80) {
				size_t table = (size_t)3 << ((flags & 7) + 1);
				if (table > n - pos)
					return false;
				pos += table;
			}
			if (pos >= n)
				return false;
			pos++; /* LZW minimum code size */
			if (!skip_gif_sub_blocks(p, n, &pos))
				return false;
			have_image = true;
		} else {
			return false;
		}
	}
	return false;
}

/* WebP: RIFF container no longer than the data, first chunk VP8, VP8L or VP8X. */
static bool walk_webp(const unsigned char *p, size_t n, struct image_info *info)
{
	if (n < 20 || memcmp(p, "RIFF", 4) != 0 || memcmp(p + 8, "WEBP", 4) != 0)
		return false;
	uint32_t riff_size = le32(p + 4);
	if (riff_size < 12 || riff_size > n - 8)
		return false;
	size_t end = (size_t)riff_size + 8;
	uint32_t chunk_size = le32(p + 16);
	if (chunk_size > end - 20)
		return false;
	const unsigned char *c = p + 20;
	if (memcmp(p + 12, "VP8 ", 4) == 0) {
		if (chunk_size < 10 || c[3] != 0x9d || c[4] != 0x01 || c[5] != 0x2a)
			return false;
		info->width = (int)(le16(c + 6) & 0x3fff);
		info->height = (int)(le16(c + 8) & 0x3fff);
	} else if (memcmp(p + 12, "VP8L", 4) == 0) {
		if (chunk_size < 5 || c[0] != 0x2f)
			return false;
		uint32_t bits = le32(c + 1);
		info->width = (int)(bits & 0x3fff) + 1;
		info->height = (int)((bits >> 14) & 0x3fff) + 1;
	} else if (memcmp(p + 12, "VP8X", 4) == 0) {
		if (chunk_size < 10)
			return false;
		if (c[0] & 0x02)
			return false; /* animated: gd cannot decode it */
		info->width = (int)le24(c + 4) + 1;
		info->height = (int)le24(c + 7) + 1;
	} else {
		return false;
	}
	return true;
}

/* The mime type libmagic sees in the data, matched against the ones we accept. */
static enum status magic_kind(const unsigned char *p, size_t n, enum image_kind *kind)
{
	pthread_once(&magic_once, magic_setup);
	if (magic_handle == NULL)
		return STATUS_INTERNAL;
	enum status st = STATUS_INVALID;
	pthread_mutex_lock(&magic_lock);
	const char *type = magic_buffer(magic_handle, p, n);
	if (type == NULL) {
		log_warn("libmagic cannot type an upload: %s", magic_error(magic_handle));
	} else if (strcmp(type, MIME_JPEG) == 0) {
		*kind = KIND_JPEG;
		st = STATUS_OK;
	} else if (strcmp(type, MIME_PNG) == 0) {
		*kind = KIND_PNG;
		st = STATUS_OK;
	} else if (strcmp(type, MIME_GIF) == 0) {
		*kind = KIND_GIF;
		st = STATUS_OK;
	} else if (strcmp(type, MIME_WEBP) == 0) {
		*kind = KIND_WEBP;
		st = STATUS_OK;
	}
	pthread_mutex_unlock(&magic_lock);
	return st;
}

static bool size_is_allowed(int64_t width, int64_t height)
{
	return width <= UPLOAD_IMAGE_MAX_SIDE && height <= UPLOAD_IMAGE_MAX_SIDE &&
		width * height <= UPLOAD_IMAGE_MAX_PIXELS;
}

static enum status sniff(const void *data, size_t n, struct image_info *info)
{
	if (n > UPLOAD_IMAGE_MAX_BYTES)
		return STATUS_TOO_LARGE;
	if (data == NULL || n == 0)
		return STATUS_INVALID;
	const unsigned char *p = data;
	*info = (struct image_info){ .orientation = 1 };
	enum status st = magic_kind(p, n, &info->kind);
	if (st != STATUS_OK)
		return st;
	bool ok = false;
	switch (info->kind) {
	case KIND_JPEG:
		info->mime = MIME_JPEG;
		ok = walk_jpeg(p, n, info);
		break;
	case KIND_PNG:
		info->mime = MIME_PNG;
		ok = walk_png(p, n, info);
		break;
	case KIND_GIF:
		info->mime = MIME_GIF;
		ok = walk_gif(p, n, info);
		break;
	case KIND_WEBP:
		info->mime = MIME_WEBP;
		ok = walk_webp(p, n, info);
		break;
	}
	/* Refuse a bomb even when the rest of the file is broken: say why. */
	if (info->width > 0 && info->height > 0 && !size_is_allowed(info->width, info->height))
		return STATUS_TOO_LARGE;
	if (!ok || info->width < 1 || info->height < 1)
		return STATUS_INVALID;
	return STATUS_OK;
}

enum status upload_sniff_image_size(const void *data, size_t n, const char **mime,
	int *width, int *height)
{
	struct image_info info;
	enum status st = sniff(data, n, &info);
	if (st != STATUS_OK)
		return st;
	*mime = info.mime;
	*width = info.width;
	*height = info.height;
	return STATUS_OK;
}

enum status upload_sniff_image(const void *data, size_t n, const char **mime)
{
	int width, height;
	return upload_sniff_image_size(data, n, mime, &width, &height);
}

static gdImagePtr decode(const struct image_info *info, const void *data, size_t n)
{
	/* gd's readers take a non-const pointer but only read; n <= 10 MiB fits an int. */
	void *p = (void *)(uintptr_t)data;
	int size = (int)n;
	switch (info->kind) {
	case KIND_JPEG:
		/* Tolerant of libjpeg warnings (some cameras write odd files); truncation
		 * was already refused by walk_jpeg. */
		return gdImageCreateFromJpegPtrEx(size, p, 1);
	case KIND_PNG:
		return gdImageCreateFromPngPtr(size, p);
	case KIND_GIF:
		return gdImageCreateFromGifPtr(size, p);
	case KIND_WEBP:
		return gdImageCreateFromWebpPtr(size, p);
	}
	return NULL;
}

/* Largest size no bigger than max_width x max_height with the aspect ratio of
 * width x height; the same size when it already fits. */
static void fit_within(int width, int height, int max_width, int max_height,
	int *out_width, int *out_height)
{
	if (width <= max_width && height <= max_height) {
		*out_width = width;
		*out_height = height;
		return;
	}
	int64_t w = width, h = height;
	if (w * max_height > h * max_width) {
		*out_width = max_width;
		*out_height = (int)((h * max_width + w / 2) / w);
	} else {
		*out_height = max_height;
		*out_width = (int)((w * max_height + h / 2) / h);
	}
	if (*out_width < 1)
		*out_width = 1;
	if (*out_height < 1)
		*out_height = 1;
}

/* A new true-colour image showing src as EXIF orientation 2..8 says it should be seen. */
static gdImagePtr orient(gdImagePtr src, int orientation)
{
	int w = gdImageSX(src), h = gdImageSY(src);
	bool swap = orientation >= 5;
	gdImagePtr dst = gdImageCreateTrueColor(swap ? h : w, swap ? w : h);
	if (dst == NULL)
		return NULL;
	gdImageAlphaBlending(dst, 0);
	int dw = gdImageSX(dst), dh = gdImageSY(dst);
	for (int y = 0; y < dh; y++) {
		for (int x = 0; x < dw; x++) {
			int sx, sy;
			switch (orientation) {
			case 2: sx = w - 1 - x; sy = y; break;
			case 3: sx = w - 1 - x; sy = h - 1 - y; break;
			case 4: sx = x; sy = h - 1 - y; break;
			case 5: sx = y; sy = x; break;
			case 6: sx = y; sy = h - 1 - x; break;
			case 7: sx = w - 1 - y; sy = h - 1 - x; break;
			case 8: sx = w - 1 - y; sy = x; break;
			default: sx = x; sy = y; break;
			}
			dst->tpixels[y][x] = src->tpixels[sy][sx];
		}
	}
	return dst;
}

static bool has_transparency(gdImagePtr im)
{
	for (int y = 0; y < gdImageSY(im); y++)
		for (int x = 0; x < gdImageSX(im); x++)
			if (gdTrueColorGetAlpha(im->tpixels[y][x]) != gdAlphaOpaque)
				return true;
	return false;
}

enum status upload_encode(gdImagePtr im, bool png, struct upload_image *out)
{
	int size = 0;
	void *encoded;
	if (png) {
		gdImageSaveAlpha(im, 1);
		encoded = gdImagePngPtrEx(im, &size, -1);
	} else {
		encoded = gdImageJpegPtr(im, &size, UPLOAD_JPEG_QUALITY);
	}
	if (encoded == NULL || size <= 0) {
		gdFree(encoded);
		log_error("cannot encode a %dx%d image as %s", gdImageSX(im), gdImageSY(im),
			png ? "png" : "jpeg");
		return STATUS_INTERNAL;
	}
	/* Copied so that the caller frees with plain free(), not gdFree(). */
	unsigned char *copy = malloc((size_t)size);
	if (copy == NULL) {
		gdFree(encoded);
		log_error("out of memory for a %d byte image", size);
		return STATUS_INTERNAL;
	}
	memcpy(copy, encoded, (size_t)size);
	gdFree(encoded);
	*out = (struct upload_image){
		.data = copy,
		.len = (size_t)size,
		.mime = png ? MIME_PNG : MIME_JPEG,
		.width = gdImageSX(im),
		.height = gdImageSY(im),
	};
	return STATUS_OK;
}

enum status upload_image_variant(const void *data, size_t n, int max_width, int max_height,
	struct upload_image *out)
{
	*out = (struct upload_image){ 0 };
	struct image_info info;
	enum status st = sniff(data, n, &info);
	if (st != STATUS_OK)
		return st;
	if (max_width < 1 || max_height < 1)
		return STATUS_INVALID;
	upload_gd_init();
	gdImagePtr src = decode(&info, data, n);
	if (src == NULL)
		return STATUS_INVALID;
	gdImagePtr scaled = NULL, upright = NULL;
	st = STATUS_INTERNAL;
	if (!gdImageTrueColor(src) && !gdImagePaletteToTrueColor(src))
		goto out;
	int sw = gdImageSX(src), sh = gdImageSY(src);
	if (!size_is_allowed(sw, sh)) {
		st = STATUS_TOO_LARGE; /* gd decoded more than the header said */
		goto out;
	}
	bool swap = info.orientation >= 5;
	int dw, dh;
	fit_within(swap ? sh : sw, swap ? sw : sh, max_width, max_height, &dw, &dh);
	/* Scale first, then turn: turning pixel by pixel is cheap on the small image. */
	int tw = swap ? dh : dw, th = swap ? dw : dh;
	gdImagePtr im = src;
	if (tw != sw || th != sh) {
		scaled = gdImageCreateTrueColor(tw, th);
		if (scaled == NULL)
			goto out;
		gdImageAlphaBlending(scaled, 0);
		gdImageCopyResampled(scaled, src, 0, 0, 0, 0, tw, th, sw, sh);
		im = scaled;
	}
	if (info.orientation != 1) {
		upright = orient(im, info.orientation);
		if (upright == NULL)
			goto out;
		im = upright;
	}
	st = upload_encode(im, has_transparency(im), out);
out:
	if (upright != NULL)
		gdImageDestroy(upright);
	if (scaled != NULL)
		gdImageDestroy(scaled);
	gdImageDestroy(src);
	return st;
}

void upload_image_release(struct upload_image *img)
{
	if (img == NULL)
		return;
	free(img->data);
	*img = (struct upload_image){ 0 };
}

void upload_sha256_hex(const void *data, size_t n, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char hash[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(hash, n > 0 ? data : (const void *)"", n);
	for (size_t i = 0; i < sizeof hash; i++) {
		out[2 * i] = hex[hash[i] >> 4];
		out[2 * i + 1] = hex[hash[i] & 0x0f];
	}
	out[64] = '\0';
}

bool upload_hash_is_valid(const char *s)
{
	if (s == NULL)
		return false;
	for (int i = 0; i < 64; i++) {
		bool digit = s[i] >= '0' && s[i] <= '9';
		bool letter = s[i] >= 'a' && s[i] <= 'f';
		if (!digit && !letter)
			return false;
	}
	return s[64] == '\0';
}
