/* status.c: names of statuses for logs */
#include "base/status.h"

const char *status_name(enum status st)
{
	switch (st) {
	case STATUS_OK: return "ok";
	case STATUS_INVALID: return "invalid";
	case STATUS_NOT_FOUND: return "not found";
	case STATUS_FORBIDDEN: return "forbidden";
	case STATUS_CONFLICT: return "conflict";
	case STATUS_TOO_LARGE: return "too large";
	case STATUS_TOO_MANY: return "too many";
	case STATUS_UNAVAILABLE: return "unavailable";
	case STATUS_INTERNAL: return "internal";
	}
	return "unknown";
}
