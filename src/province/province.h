/* province.h: the units (wards, communes) of one deployment and the host names that
 * select them, managed by a province admin */
#ifndef PROVINCE_PROVINCE_H
#define PROVINCE_PROVINCE_H

#include "base/status.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db_conn;

enum {
	PROVINCE_HOSTS_MAX = 8,   /* host names of one unit */
	PROVINCE_HOST_MAX = 253,  /* bytes of one host name (DNS) */
	PROVINCE_CODE_MAX = 40,   /* the unit code used in dossier codes */
	PROVINCE_NAME_MAX = 200,  /* bytes of "Phường Bến Thành" */
};

/* A unit as a province admin enters it. */
struct province_unit_input {
	const char *code;       /* "26734": letters, digits, dot, dash, underscore */
	const char *name;       /* "Phường 9", NFC */
	const char *admin;      /* username of its first admin (create only) */
	const char *hosts[PROVINCE_HOSTS_MAX]; /* lower case, no port; the first makes the
						  unit's absolute URLs */
	size_t host_count;
};

/* Checks and normalises what the form gave (hosts: separated by spaces, commas or new
 * lines); admin may be NULL when not asked. NULL when acceptable, else a Vietnamese
 * message. Strings of *out are in the arena. */
const char *province_unit_check(struct arena *a, const char *code, const char *name,
				const char *hosts, const char *admin,
				struct province_unit_input *out);

/* Creates the unit and its host names. STATUS_CONFLICT when the code or a host name is
 * taken already. */
enum status province_unit_create(struct db_conn *c, const struct province_unit_input *in,
				 int64_t now, int64_t *id_out);
/* Renames the unit and replaces its host names. STATUS_NOT_FOUND for no such unit,
 * STATUS_CONFLICT when a host name belongs to another unit. */
enum status province_unit_update(struct db_conn *c, int64_t unit_id,
				 const struct province_unit_input *in);
/* Every unit, in id order: [{id, code, name, hosts: "a.vn b.vn", created_at}], each
 * unit's host names in the order given (the first first). */
enum status province_units(struct db_conn *c, json_t **out);

#endif
