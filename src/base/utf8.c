/* utf8.c: UTF-8 validity checks */
#include "base/utf8.h"

bool utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned cp, min;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2; cp = c & 0x1F; min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3; cp = c & 0x0F; min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}

bool utf8_has_controls(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < n; i++) {
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') || s[i] == 0x7F)
			return true;
		/* U+FFFE and U+FFFF: no XML document (a feed, a spreadsheet) may hold them. */
		if (s[i] == 0xEF && i + 2 < n && s[i + 1] == 0xBF && (s[i + 2] & 0xFE) == 0xBE)
			return true;
	}
	return false;
}

size_t utf8_length(const char *str, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)str[i] & 0xC0) != 0x80)
			count++;
	return count;
}

size_t utf8_prefix(const char *str, size_t n, size_t max)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if (((unsigned char)str[i] & 0xC0) != 0x80) {
			if (count == max)
				return i;
			count++;
		}
	}
	return n;
}
