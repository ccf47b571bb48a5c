/* migrations.h: the numbered SQL files of migrations/ENGINE/, built into the binary */
#ifndef STORE_MIGRATIONS_H
#define STORE_MIGRATIONS_H

#include <stddef.h>

struct migration {
	const char *engine; /* "sqlite" or "postgresql": the folder it came from */
	const char *name;   /* "0001_base.sql": the number orders them */
	const char *sql;    /* one or more statements */
	size_t len;
};

extern const struct migration migrations[];
extern const size_t migrations_count;

#endif
