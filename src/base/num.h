/* num.h: strict number parsing: the whole string, in range, or nothing */
#ifndef BASE_NUM_H
#define BASE_NUM_H

#include <stdbool.h>
#include <stdint.h>

/* Parses decimal s (optional leading '-', digits only, no spaces) into *out.
 * False if s is NULL, empty, has other characters, or is outside [min, max]. */
bool num_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
