/* log.c: one-line log messages to stderr */
#include "base/log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;

void log_set_level(enum log_level level)
{
	min_level = level;
}

/* Whether the bytes at s (n left) start a C1 control (U+0080..U+009F, "\xc2\x80".."\xc2\x9f"):
 * some terminals take U+009B as CSI. */
static bool is_c1(const unsigned char *s, size_t n)
{
	return n >= 2 && s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f;
}

size_t log_escape(char *out, size_t size, const char *in)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)in;
	size_t n = strlen(in), o = 0;
	if (size == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		bool c1 = is_c1(p + i, n - i);
		if (p[i] >= 0x20 && p[i] != 0x7f && p[i] != '\\' && !c1) {
			if (o + 1 >= size)
				break;
			out[o++] = (char)p[i];
			continue;
		}
		unsigned char byte = c1 ? p[++i] : p[i]; /* a C1 control is written as its code point */
		if (o + 4 >= size)
			break;
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[byte >> 4];
		out[o++] = hex[byte & 15];
	}
	out[o] = '\0';
	return o;
}

static void log_write(const char *tag, const char *fmt, va_list ap)
{
	char raw[2048], line[LOG_LINE_MAX], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(raw, sizeof raw, fmt, ap);
	/* Whatever a message holds (a path with %0a, an ESC from a header), it stays one line
	 * that forges no other and sends no escape sequence to the terminal reading it. */
	log_escape(line, sizeof line, raw);
	/* One fprintf call keeps lines from threads whole. */
	fprintf(stderr, "%s %s %s\n", stamp, tag, line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const tags[] = { "debug", "info", "warn", "error" };
	if (level < min_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_write(tags[level], fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_write("fatal", fmt, ap);
	va_end(ap);
	exit(1);
}
