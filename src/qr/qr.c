/* qr.c: QR codes drawn as SVG with libqrencode */
#include "qr/qr.h"

#include "base/arena.h"
#include "base/buf.h"

#include <qrencode.h>
#include <string.h>

/* Whether a width/height attribute value is plain: digits, '.', letters of a unit, '%'. */
static bool size_valid(const char *s)
{
	if (s == NULL)
		return true;
	size_t n = strlen(s);
	if (n == 0 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '%' ||
		      (s[i] >= 'a' && s[i] <= 'z')))
			return false;
	return true;
}

enum status qr_svg(struct arena *a, const char *text, const char *size, const char **out,
		   int *modules)
{
	if (text == NULL || text[0] == '\0' || strlen(text) > QR_TEXT_MAX || !size_valid(size))
		return STATUS_INVALID;
	QRcode *code = QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0,
					 QR_ECLEVEL_M);
	if (code == NULL)
		return STATUS_INTERNAL;
	int w = code->width, total = w + 2 * QR_QUIET_ZONE;
	struct buf b;
	buf_init(&b, a, (size_t)w * (size_t)w * 16 + 1024);
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\"", total,
		   total);
	if (size != NULL)
		buf_printf(&b, " width=\"%s\" height=\"%s\"", size, size);
	buf_lit(&b, " shape-rendering=\"crispEdges\" role=\"img\">"
		    "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
	/* One horizontal run of dark modules becomes one "M x y h n v1 h -n z" shape. */
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			if (!(code->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int start = x;
			while (x < w && (code->data[y * w + x] & 1))
				x++;
			buf_printf(&b, "M%d %dh%dv1h-%dz", start + QR_QUIET_ZONE, y + QR_QUIET_ZONE,
				   x - start, x - start);
		}
	}
	buf_lit(&b, "\"/></svg>");
	QRcode_free(code);
	if (b.failed || arena_failed(a))
		return STATUS_TOO_LARGE;
	*out = buf_str(&b);
	if (modules != NULL)
		*modules = w;
	return STATUS_OK;
}
