/* log.c: one-line log messages to stderr */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;

void log_set_level(enum log_level level)
{
	min_level = level;
}

static void log_write(const char *tag, const char *fmt, va_list ap)
{
	char line[2048], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(line, sizeof line, fmt, ap);
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
