/* qr.h: QR codes drawn as SVG (libqrencode): one path of dark modules, crisp edges */
#ifndef QR_QR_H
#define QR_QR_H

#include "base/status.h"

#include <stddef.h>

struct arena;

/* Longest text qr_svg accepts, in bytes (fits a version-13 code at level M in 8-bit mode). */
enum { QR_TEXT_MAX = 400 };
/* Quiet zone around the code, in modules (ISO/IEC 18004 asks for 4). */
enum { QR_QUIET_ZONE = 4 };

/* Draws text (8-bit mode, error correction M) as an SVG document whose viewBox counts
 * modules, quiet zone included, and whose width and height attributes are the caller's
 * (e.g. "160" or "40mm"; NULL: none, the SVG then fills its box). Sets *out to the SVG
 * (in the arena) and, if modules is not NULL, *modules to the code's width in modules
 * without the quiet zone. STATUS_INVALID for empty text, text longer than QR_TEXT_MAX or
 * a size holding anything but [0-9.a-z%]; STATUS_TOO_LARGE when the arena runs out;
 * STATUS_INTERNAL if libqrencode fails. Deterministic: the same text gives the same bytes. */
enum status qr_svg(struct arena *a, const char *text, const char *size, const char **out,
		   int *modules);

#endif
