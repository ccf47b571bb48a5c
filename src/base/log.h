/* log.h: one-line log messages to stderr (English, lower case, no full stop) */
#ifndef BASE_LOG_H
#define BASE_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Longest line written, escapes included (a longer message is cut). */
enum { LOG_LINE_MAX = 4096 };

/* Messages below level are dropped. Default LOG_INFO. */
void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* Copies in to out (size bytes, NUL included) with every control byte (below 0x20, 0x7F)
 * and C1 control (U+0080..U+009F), and the backslash itself, written as \xNN: ESC, CR and LF
 * can't reach the log raw, and a literal "\x0a" can't pass for an escaped one.
 * Cuts at a whole escape when out is full; returns the length written. */
size_t log_escape(char *out, size_t size, const char *in);

/* Prints the message and exits 1: only before serving starts. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
