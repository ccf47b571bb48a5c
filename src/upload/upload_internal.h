/* upload_internal.h: what the files of upload/ share among themselves; not for other modules */
#ifndef UPLOAD_UPLOAD_INTERNAL_H
#define UPLOAD_UPLOAD_INTERNAL_H

#include "upload/upload.h"

#include <gd.h>
#include <stdbool.h>

/* Sets up gd's error reporting (to our log) once per process. Thread-safe. */
void upload_gd_init(void);

/* Encodes im as PNG (keeping alpha) when png is true, else as JPEG of quality
 * UPLOAD_JPEG_QUALITY, into *out (malloc'd bytes, see upload_image_release).
 * im stays the caller's. STATUS_INTERNAL (logged) if gd or malloc fails. */
enum status upload_encode(gdImagePtr im, bool png, struct upload_image *out);

#endif
