/* utf8.h: UTF-8 validity checks */
#ifndef BASE_UTF8_H
#define BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the n bytes at s are well-formed UTF-8 (no overlongs, no surrogates,
 * nothing past U+10FFFF). NUL bytes make it false too: no text field holds one. */
bool utf8_valid(const char *s, size_t n);
/* Whether s has a control character other than tab, LF and CR, or U+FFFE or U+FFFF
 * (which XML does not allow). */
bool utf8_has_controls(const char *s, size_t n);
/* Number of code points in valid UTF-8 s. */
size_t utf8_length(const char *s, size_t n);
/* Length in bytes of the longest prefix of valid UTF-8 s holding at most max code points. */
size_t utf8_prefix(const char *s, size_t n, size_t max);

#endif
