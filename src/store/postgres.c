/* postgres.c: the PostgreSQL engine (libpq): ?N placeholders, lazy prepare, rows, transactions
 *
 * The SQL of the program is written once, for SQLite, with numbered placeholders ?1 ?2 ...;
 * here each ?N becomes $N. A statement is prepared on the server at its first run, with
 * parameter types taken from the values bound for that run (int64 as int8, blobs as
 * bytea, text and NULL left for the server to infer), and again under a new name when a
 * later run binds a value its types do not fit. Rows come back whole, in text format, so
 * another statement can run while a loop reads them. */
#include "store/engine.h"

#include "base/log.h"
#include "store/stmt_cache.h"

#include <libpq-fe.h>

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	MAX_PARAMS = 65535, /* the protocol's limit on the parameters of one statement */
	NAME_SIZE = 24,     /* "p" and a 64-bit counter */
};

/* Type OIDs of the server's catalog (pg_type_d.h is not among libpq's headers). */
enum {
	OID_UNKNOWN = 0, /* let the server infer the type from the SQL */
	OID_BOOL = 16,
	OID_BYTEA = 17,
	OID_INT8 = 20,
	OID_TEXT = 25,
};

/* Writers take turns on this advisory lock: the bytes of "phuong w" as a 64-bit key
 * (0x7068756f6e672077). Advisory locks belong to one database, so other databases of the
 * same server are not held up. */
#define BEGIN_WRITE "BEGIN; SELECT pg_advisory_xact_lock(8099853051279908983)"
#define BEGIN_READ "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"

/* Settings of every session. The timeouts turn a stuck lock or query into a 503 instead
 * of a thread that waits for ever; idle_in_transaction_session_timeout ends a session
 * whose transaction a bug left open. JIT off: compiling a query that the planner costs
 * high (the statistics' grouped counts) took 0.9 s of a 1.1 s page, for queries that run
 * in milliseconds. Custom plans always: statements are prepared once per connection, and
 * after five runs PostgreSQL may keep a generic plan made without the values, which for a
 * range of times guesses a third of the table and scans it (the statistics' month: 160 ms
 * instead of 56); planning our short queries again costs far less. */
#define SESSION_SETTINGS \
	"SET client_encoding = 'UTF8';" \
	"SET TIME ZONE 'UTC';" \
	"SET lock_timeout = '10s';" \
	"SET statement_timeout = '30s';" \
	"SET idle_in_transaction_session_timeout = '60s';" \
	"SET jit = off;" \
	"SET plan_cache_mode = force_custom_plan"

enum bind_kind { BIND_NULL, BIND_INT, BIND_TEXT, BIND_BLOB };

/* One placeholder ?N of a statement. */
struct param {
	enum bind_kind kind; /* what is bound now; BIND_NULL when nothing is */
	bool is_named;       /* the SQL holds ?N: a placeholder it skips gets type text */
	size_t offset;       /* of the value in the statement's data buffer */
	size_t len;
};

/* A bytea column of the current row, decoded on first use. */
struct blob {
	unsigned char *bytes; /* from PQunescapeBytea: PQfreemem */
	size_t len;
	bool is_decoded;
};

/* A cached statement. Lives as long as its connection. */
struct pg_stmt {
	struct db_stmt base;
	const char *text; /* the SQL as written, owned by the cache: for logs */
	char *sql;        /* the SQL sent to the server: ?N turned into $N */
	int nparams;      /* the highest N */
	char name[NAME_SIZE]; /* of the server-side statement; "" when not prepared */
	Oid *types;       /* nparams: the types the server-side statement has */
	struct param *params;    /* nparams */
	const char **values;     /* nparams: arguments of PQexecPrepared */
	int *lengths;
	int *formats;
	char *data;       /* bound values back to back: text NUL-terminated, ints as decimal */
	size_t data_len;
	size_t data_cap;
	enum status bind_status; /* first bind failure since prepare, STATUS_OK if none */
	int bind_index;          /* its placeholder */
	PGresult *result; /* rows of the current run; NULL when not running */
	int row;          /* the current one */
	int rows;
	struct blob *blobs; /* one a column of result, when it has a bytea column */
	bool has_blobs;     /* some of them decoded */
};

struct pg_conn {
	struct db_conn base;
	PGconn *pg;
	struct stmt_cache cache;
	uint64_t names_given; /* server-side statement names are "p1", "p2" ... */
	int64_t changes;      /* rows changed by the last INSERT, UPDATE, DELETE or MERGE */
	int held;             /* statements holding a result */
	bool in_tx;           /* between a successful begin and commit or rollback */
};

static struct pg_conn *conn_of(struct db_conn *c)
{
	return (struct pg_conn *)c;
}

static struct pg_stmt *stmt_of(struct db_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* ---- SQL text: ?N to $N ---- */

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static bool is_ident_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'
		|| (unsigned char)ch >= 0x80;
}

static bool is_ident_char(char ch)
{
	return is_ident_start(ch) || is_digit(ch) || ch == '$';
}

/* The end of the quoted text at p ('...' or "..."): just after the closing quote, a
 * doubled quote being part of the text; with backslash, \ escapes a character (E'...').
 * At the NUL when it is not closed: the server will say so. */
static const char *end_of_quoted(const char *p, bool backslash)
{
	char quote = *p++;
	for (; *p != '\0'; p++) {
		if (backslash && *p == '\\' && p[1] != '\0') {
			p++;
		} else if (*p == quote) {
			if (p[1] != quote)
				return p + 1;
			p++;
		}
	}
	return p;
}

/* The end of the comment at p: "--" to the end of the line, or a nested slash-star one. */
static const char *end_of_comment(const char *p)
{
	if (p[0] == '-')
		return p + strcspn(p, "\n");
	int depth = 0;
	while (*p != '\0') {
		if (p[0] == '/' && p[1] == '*') {
			depth++;
			p += 2;
		} else if (p[0] == '*' && p[1] == '/') {
			p += 2;
			if (--depth == 0)
				return p;
		} else {
			p++;
		}
	}
	return p;
}

/* The length of the dollar-quote tag at p ("$$", "$body$"), 0 when p starts none. */
static size_t dollar_tag(const char *p)
{
	size_t n = 1;
	if (p[1] != '$') {
		if (!is_ident_start(p[1]))
			return 0;
		for (n = 2; is_ident_start(p[n]) || is_digit(p[n]); n++)
			;
		if (p[n] != '$')
			return 0;
	}
	return n + 1;
}

/* The end of the dollar-quoted body at p, opened by a tag of n bytes: after the closing tag. */
static const char *end_of_dollar(const char *p, size_t n)
{
	for (const char *q = p + n; *q != '\0'; q++) {
		if (*q == '$' && strncmp(q, p, n) == 0)
			return q + n;
	}
	return p + strlen(p);
}

/* Whether the ' at p opens an E'...' string, where backslash escapes. */
static bool is_escape_string(const char *sql, const char *p)
{
	if (p == sql || (p[-1] != 'E' && p[-1] != 'e'))
		return false;
	return p - 1 == sql || !is_ident_char(p[-2]);
}

/* Reads the ?N at p: writes $N to *o and returns the end of it, or NULL when not ?1..?65535. */
static const char *placeholder(const char *p, char **o, int *count, struct param *params)
{
	const char *d = p + 1;
	long n = 0;
	for (; is_digit(*d) && n <= MAX_PARAMS; d++)
		n = n * 10 + (*d - '0');
	if (d == p + 1 || n < 1 || n > MAX_PARAMS)
		return NULL;
	/* "$N" is never longer than the "?N" it replaces ("?007" gives "$7"). */
	*o += snprintf(*o, (size_t)(d - p) + 1, "$%ld", n);
	if (n > *count)
		*count = (int)n;
	if (params != NULL)
		params[n - 1].is_named = true;
	return d;
}

/* The end of the token at p, which is not a space, comment or ;, copied to *o with a ?N
 * turned into $N. NULL (logged) for a ? that is not ?N, and for $N. */
static const char *token(const char *sql, const char *p, char **o, int *count,
	struct param *params)
{
	const char *next = p + 1;
	size_t tag;
	bool is_word_start = p == sql || !is_ident_char(p[-1]);
	if (*p == '?') {
		next = placeholder(p, o, count, params);
		if (next == NULL)
			log_error("placeholder '?' is not ?1 .. ?%d in '%.200s'", MAX_PARAMS, sql);
		return next;
	}
	if (*p == '\'') {
		next = end_of_quoted(p, is_escape_string(sql, p));
	} else if (*p == '"') {
		next = end_of_quoted(p, false);
	} else if (*p == '$' && is_word_start && is_digit(p[1])) {
		log_error("write ?N, not $N, in '%.200s'", sql);
		return NULL;
	} else if (*p == '$' && is_word_start && (tag = dollar_tag(p)) > 0) {
		next = end_of_dollar(p, tag);
	} else if (is_ident_char(*p)) {
		/* A whole word, so that a $ inside it starts no dollar quote. */
		while (is_ident_char(*next))
			next++;
	}
	memcpy(*o, p, (size_t)(next - p));
	*o += next - p;
	return next;
}

/* Writes sql to out (room for strlen(sql) + 1 bytes) with each ?N turned into $N, leaving
 * quoted strings, quoted identifiers, comments and dollar-quoted bodies alone. Sets *count
 * to the highest N and, when params is not NULL (count entries), marks the ones named.
 * False (logged) when a ? is not ?N, for $N, and when sql is not exactly one statement. */
static bool translate(const char *sql, char *out, int *count, struct param *params)
{
	const char *p = sql;
	char *o = out;
	bool has_token = false; /* something besides spaces and comments */
	bool has_end = false;   /* a ; outside quotes */
	*count = 0;
	while (*p != '\0') {
		const char *next = p + 1;
		if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) {
			next = end_of_comment(p);
		} else if (is_space(*p)) {
			/* copied as it is */
		} else if (has_end || (*p == ';' && !has_token)) {
			break;
		} else if (*p == ';') {
			has_end = true;
		} else {
			has_token = true;
			next = token(sql, p, &o, count, params);
			if (next == NULL)
				return false;
			p = next;
			continue;
		}
		memcpy(o, p, (size_t)(next - p));
		o += next - p;
		p = next;
	}
	*o = '\0';
	if (*p != '\0' || !has_token) {
		log_error("not exactly one statement in '%.200s'", sql);
		return false;
	}
	return true;
}

/* ---- errors and the connection ---- */

/* The length of the first line of msg: libpq adds details and hints on further lines. */
static int first_line(const char *msg)
{
	return (int)strcspn(msg, "\n");
}

/* The server's message of res, or libpq's of the connection. */
static const char *message_of(struct pg_conn *c, const PGresult *res)
{
	const char *msg = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	return msg != NULL ? msg : PQerrorMessage(c->pg);
}

static void on_notice(void *arg, const PGresult *res)
{
	(void)arg;
	const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (msg == NULL)
		return;
	if (severity != NULL && strcmp(severity, "WARNING") == 0)
		log_warn("postgresql: %s", msg);
	else
		log_debug("postgresql: %s", msg);
}

/* Settings of every session, also after a reconnect. */
static bool configure(struct pg_conn *c)
{
	PQsetNoticeReceiver(c->pg, on_notice, NULL);
	PGresult *res = PQexec(c->pg, SESSION_SETTINGS);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok) {
		const char *msg = message_of(c, res);
		log_error("cannot configure the postgresql session: %.*s", first_line(msg), msg);
	}
	PQclear(res);
	return ok;
}

static void unprepare(struct db_stmt *st, void *arg)
{
	(void)arg;
	stmt_of(st)->name[0] = '\0';
}

/* Opens a new session after the connection was lost. The server forgot every prepared
 * statement, so each will be prepared again at its next run. */
static bool reconnect(struct pg_conn *c)
{
	stmt_cache_each(&c->cache, unprepare, NULL);
	PQreset(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		const char *msg = PQerrorMessage(c->pg);
		log_error("cannot reconnect to postgresql: %.*s", first_line(msg), msg);
		return false;
	}
	if (!configure(c))
		return false;
	log_info("reconnected to postgresql");
	return true;
}

/* STATUS_OK when c can run a command. A connection lost earlier is opened again, but not
 * inside a transaction: statements after a silent reconnect would each commit on their
 * own, so the caller must roll back (and fail) first. */
static enum status usable(struct pg_conn *c)
{
	if (PQstatus(c->pg) == CONNECTION_OK)
		return STATUS_OK;
	if (c->in_tx)
		return STATUS_UNAVAILABLE;
	return reconnect(c) ? STATUS_OK : STATUS_UNAVAILABLE;
}

static bool is_state(const char *state, const char *one)
{
	return strcmp(state, one) == 0;
}

/* Maps a failed command (res may be NULL) to a status and logs what is not routine. A
 * lost connection is reset at once outside a transaction; either way this call fails. */
static enum status failure(struct pg_conn *c, const PGresult *res, const char *what,
	const char *sql)
{
	const char *msg = message_of(c, res);
	if (PQstatus(c->pg) == CONNECTION_BAD) {
		log_warn("postgresql connection lost, cannot %s '%.200s': %.*s", what, sql,
			first_line(msg), msg);
		if (!c->in_tx)
			reconnect(c);
		else
			stmt_cache_each(&c->cache, unprepare, NULL);
		return STATUS_UNAVAILABLE;
	}
	const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (state == NULL)
		state = "";
	if (strncmp(state, "23", 2) == 0) {
		/* A duplicate key is a normal outcome; any other violation hints at a bug. */
		if (!is_state(state, "23505"))
			log_warn("constraint failed in '%.200s': %s", sql, msg);
		return STATUS_CONFLICT;
	}
	/* serialization failure, deadlock, lock timeout, statement timeout */
	if (is_state(state, "40001") || is_state(state, "40P01") || is_state(state, "55P03")
		|| is_state(state, "57014")) {
		log_warn("database busy, cannot %s '%.200s': %s", what, sql, msg);
		return STATUS_UNAVAILABLE;
	}
	/* string too long for its column, or a value past a server limit */
	if (is_state(state, "22001") || is_state(state, "54000")) {
		log_warn("value too big for '%.200s': %s", sql, msg);
		return STATUS_TOO_LARGE;
	}
	log_error("postgresql cannot %s '%.200s': %.*s (%s)", what, sql, first_line(msg), msg,
		state);
	return STATUS_INTERNAL;
}

/* Rows changed, counted as SQLite does: only INSERT, UPDATE, DELETE and MERGE count. */
static void note_changes(struct pg_conn *c, PGresult *res)
{
	const char *tag = PQcmdStatus(res);
	if (strncmp(tag, "INSERT ", 7) == 0 || strncmp(tag, "UPDATE ", 7) == 0
		|| strncmp(tag, "DELETE ", 7) == 0 || strncmp(tag, "MERGE ", 6) == 0)
		c->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* Runs built-in SQL without parameters (one or more statements). */
static enum status command(struct pg_conn *c, const char *sql, const char *what)
{
	PGresult *res = PQexec(c->pg, sql);
	ExecStatusType rs = PQresultStatus(res);
	enum status st = STATUS_OK;
	if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK || rs == PGRES_EMPTY_QUERY)
		note_changes(c, res);
	else
		st = failure(c, res, what, sql);
	PQclear(res);
	return st;
}

/* ---- statements ---- */

static void forget_blobs(struct pg_stmt *s)
{
	if (!s->has_blobs)
		return;
	int cols = PQnfields(s->result);
	for (int i = 0; i < cols; i++) {
		if (s->blobs[i].is_decoded)
			PQfreemem(s->blobs[i].bytes);
		s->blobs[i] = (struct blob){ NULL, 0, false };
	}
	s->has_blobs = false;
}

static void drop_result(struct pg_stmt *s)
{
	if (s->result == NULL)
		return;
	forget_blobs(s);
	free(s->blobs);
	s->blobs = NULL;
	PQclear(s->result);
	s->result = NULL;
	conn_of(s->base.conn)->held--;
}

static void drop_result_of(struct db_stmt *st, void *arg)
{
	(void)arg;
	drop_result(stmt_of(st));
}

static void stmt_free(struct db_stmt *st, void *arg)
{
	(void)arg;
	struct pg_stmt *s = stmt_of(st);
	if (s == NULL)
		return;
	drop_result(s);
	free(s->sql);
	free(s->types);
	free(s->params);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s->data);
	free(s);
}

/* Allocates the arrays of a statement with n placeholders (at least one entry each). */
static bool stmt_alloc(struct pg_stmt *s, size_t n)
{
	s->types = calloc(n, sizeof *s->types);
	s->params = calloc(n, sizeof *s->params);
	s->values = calloc(n, sizeof *s->values);
	s->lengths = calloc(n, sizeof *s->lengths);
	s->formats = calloc(n, sizeof *s->formats);
	return s->types != NULL && s->params != NULL && s->values != NULL && s->lengths != NULL
		&& s->formats != NULL;
}

/* A statement for sql, not prepared on the server yet, and added to the cache. */
static enum status stmt_new(struct pg_conn *c, const char *sql, struct pg_stmt **out)
{
	struct pg_stmt *s = calloc(1, sizeof *s);
	char *translated = malloc(strlen(sql) + 1);
	if (s == NULL || translated == NULL) {
		free(s);
		free(translated);
		log_error("out of memory preparing '%.200s'", sql);
		return STATUS_INTERNAL;
	}
	s->base.conn = &c->base;
	s->sql = translated;
	if (!translate(sql, s->sql, &s->nparams, NULL)) {
		stmt_free(&s->base, NULL);
		return STATUS_INTERNAL;
	}
	if (stmt_alloc(s, s->nparams > 0 ? (size_t)s->nparams : 1)) {
		/* Once more, now that there is room to mark the placeholders named. */
		translate(sql, s->sql, &s->nparams, s->params);
		s->text = stmt_cache_add(&c->cache, sql, &s->base);
	}
	if (s->text == NULL) {
		log_error("out of memory preparing '%.200s'", sql);
		stmt_free(&s->base, NULL);
		return STATUS_INTERNAL;
	}
	*out = s;
	return STATUS_OK;
}

/* Back to the state after prepare: no rows, nothing bound. */
static void stmt_reset(struct pg_stmt *s)
{
	drop_result(s);
	for (int i = 0; i < s->nparams; i++)
		s->params[i].kind = BIND_NULL;
	s->data_len = 0;
	s->bind_status = STATUS_OK;
	s->bind_index = 0;
}

static enum status pg_prepare(struct db_conn *base, const char *sql, struct db_stmt **out)
{
	struct pg_conn *c = conn_of(base);
	struct db_stmt *found = stmt_cache_find(&c->cache, sql);
	struct pg_stmt *s = found != NULL ? stmt_of(found) : NULL;
	if (s == NULL) {
		enum status st = stmt_new(c, sql, &s);
		if (st != STATUS_OK)
			return st;
	}
	stmt_reset(s);
	*out = &s->base;
	return STATUS_OK;
}

/* ---- binds ---- */

static void bind_failed(struct pg_stmt *s, int index, enum status st)
{
	if (s->bind_status == STATUS_OK) {
		s->bind_status = st;
		s->bind_index = index;
	}
}

/* The placeholder ?index, or NULL (remembered for step) when the SQL has none such. */
static struct param *param_at(struct pg_stmt *s, int index)
{
	if (index < 1 || index > s->nparams) {
		bind_failed(s, index, STATUS_INTERNAL);
		return NULL;
	}
	return &s->params[index - 1];
}

/* Binds n bytes at p (and a NUL after them) as the value of ?index. */
static void bind_bytes(struct pg_stmt *s, int index, enum bind_kind kind, const void *p, size_t n)
{
	struct param *param = param_at(s, index);
	if (param == NULL)
		return;
	if (n > INT_MAX - 1 || s->data_len > (size_t)INT_MAX - 1 - n) {
		bind_failed(s, index, STATUS_TOO_LARGE);
		return;
	}
	if (s->data_len + n + 1 > s->data_cap) {
		size_t cap = s->data_cap > 0 ? s->data_cap : 256;
		while (cap < s->data_len + n + 1)
			cap *= 2;
		char *data = realloc(s->data, cap);
		if (data == NULL) {
			bind_failed(s, index, STATUS_INTERNAL);
			return;
		}
		s->data = data;
		s->data_cap = cap;
	}
	if (n > 0)
		memcpy(s->data + s->data_len, p, n);
	s->data[s->data_len + n] = '\0';
	*param = (struct param){ kind, param->is_named, s->data_len, n };
	s->data_len += n + 1;
}

static void pg_bind_int64(struct db_stmt *st, int index, int64_t v)
{
	char text[24];
	int n = snprintf(text, sizeof text, "%" PRId64, v);
	bind_bytes(stmt_of(st), index, BIND_INT, text, (size_t)n);
}

static void pg_bind_text(struct db_stmt *st, int index, const char *text, size_t n)
{
	struct pg_stmt *s = stmt_of(st);
	/* Text goes in text format, which ends at a NUL; PostgreSQL text cannot hold one. */
	if (memchr(text, '\0', n) != NULL) {
		bind_failed(s, index, STATUS_INVALID);
		return;
	}
	bind_bytes(s, index, BIND_TEXT, text, n);
}

static void pg_bind_blob(struct db_stmt *st, int index, const void *p, size_t n)
{
	bind_bytes(stmt_of(st), index, BIND_BLOB, p, n);
}

static void pg_bind_null(struct db_stmt *st, int index)
{
	struct param *param = param_at(stmt_of(st), index);
	if (param != NULL)
		param->kind = BIND_NULL;
}

/* ---- running ---- */

/* The type a server-side statement needs for the value of p. */
static Oid type_for(const struct param *p)
{
	switch (p->kind) {
	case BIND_INT:
		return OID_INT8;
	case BIND_BLOB:
		return OID_BYTEA;
	default:
		/* The server infers the type of a named placeholder from the SQL; one the SQL
		 * skips (?1 and ?3 only) has nothing to infer from. */
		return p->is_named ? OID_UNKNOWN : OID_TEXT;
	}
}

/* Whether the value of p can go to a server-side statement prepared with type. Ints and
 * blobs need the type chosen for them; text needs a type the server chose (or text): the
 * server would read text given for a bytea as escapes, and refuse "abc" for an int8 that
 * an earlier run bound. NULL fits any type. */
static bool fits(const struct param *p, Oid type)
{
	switch (p->kind) {
	case BIND_INT:
		return type == OID_INT8;
	case BIND_BLOB:
		return type == OID_BYTEA;
	case BIND_TEXT:
		return type == OID_UNKNOWN || type == OID_TEXT;
	default:
		return true;
	}
}

/* DEALLOCATE of a statement replaced by a newer one. On failure the old statement just
 * stays on the server until the session ends. The one SQL built at run time: the name is
 * ours ("p" and digits), and libpq 15 has no call to close a statement. */
static void deallocate(struct pg_conn *c, const char *name)
{
	char sql[NAME_SIZE + 16];
	snprintf(sql, sizeof sql, "DEALLOCATE %s", name);
	PGresult *res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		log_warn("cannot deallocate statement %s: %s", name, message_of(c, res));
	PQclear(res);
}

/* Prepares s on the server unless it is already, with types that fit the values bound. */
static enum status ensure_prepared(struct pg_stmt *s)
{
	struct pg_conn *c = conn_of(s->base.conn);
	bool is_prepared = s->name[0] != '\0';
	bool is_fit = is_prepared;
	for (int i = 0; i < s->nparams && is_fit; i++)
		is_fit = fits(&s->params[i], s->types[i]);
	if (is_fit)
		return STATUS_OK;

	/* Slots whose type still fits keep it, so that a statement run alternately with a NULL
	 * and an int64 in one slot settles on int8 instead of being prepared at every run. */
	size_t n = s->nparams > 0 ? (size_t)s->nparams : 1;
	Oid *types = malloc(n * sizeof *types);
	if (types == NULL) {
		log_error("out of memory preparing '%.200s'", s->text);
		return STATUS_INTERNAL;
	}
	for (int i = 0; i < s->nparams; i++) {
		bool keep = is_prepared && fits(&s->params[i], s->types[i]);
		types[i] = keep ? s->types[i] : type_for(&s->params[i]);
	}
	char name[NAME_SIZE];
	snprintf(name, sizeof name, "p%" PRIu64, ++c->names_given);
	PGresult *res = PQprepare(c->pg, name, s->sql, s->nparams, types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		enum status st = failure(c, res, "prepare", s->text);
		PQclear(res);
		free(types);
		return st;
	}
	PQclear(res);
	if (is_prepared)
		deallocate(c, s->name);
	memcpy(s->name, name, sizeof name);
	free(s->types);
	s->types = types;
	return STATUS_OK;
}

/* Keeps res, which holds at least one row, as the rows of s. */
static enum status keep_rows(struct pg_stmt *s, PGresult *res)
{
	int cols = PQnfields(res);
	bool has_bytea = false;
	for (int i = 0; i < cols && !has_bytea; i++)
		has_bytea = PQftype(res, i) == OID_BYTEA;
	if (has_bytea) {
		s->blobs = calloc((size_t)cols, sizeof *s->blobs);
		if (s->blobs == NULL) {
			log_error("out of memory reading rows of '%.200s'", s->text);
			PQclear(res);
			return STATUS_INTERNAL;
		}
	}
	s->result = res;
	s->row = 0;
	s->rows = PQntuples(res);
	conn_of(s->base.conn)->held++;
	return STATUS_OK;
}

/* The first step: runs s on the server and fetches all its rows. */
static enum status run(struct pg_stmt *s, bool *has_row)
{
	struct pg_conn *c = conn_of(s->base.conn);
	if (s->bind_status != STATUS_OK) {
		log_error("cannot bind a value to ?%d of '%.200s': %s", s->bind_index, s->text,
			s->bind_status == STATUS_INVALID ? "text holding a NUL byte"
			: s->bind_status == STATUS_TOO_LARGE ? "too big" : "no such placeholder");
		return s->bind_status;
	}
	enum status st = usable(c);
	if (st == STATUS_OK)
		st = ensure_prepared(s);
	if (st != STATUS_OK)
		return st;
	for (int i = 0; i < s->nparams; i++) {
		const struct param *p = &s->params[i];
		s->values[i] = p->kind == BIND_NULL ? NULL : s->data + p->offset;
		s->lengths[i] = (int)p->len;
		s->formats[i] = p->kind == BIND_BLOB; /* binary: the bytes as they are */
	}
	PGresult *res = PQexecPrepared(c->pg, s->name, s->nparams, s->values, s->lengths,
		s->formats, 0);
	ExecStatusType rs = PQresultStatus(res);
	if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
		st = failure(c, res, "run", s->text);
		PQclear(res);
		return st;
	}
	note_changes(c, res);
	if (rs == PGRES_TUPLES_OK && PQntuples(res) > 0) {
		st = keep_rows(s, res);
		*has_row = st == STATUS_OK;
		return st;
	}
	PQclear(res);
	return STATUS_OK;
}

static enum status pg_step(struct db_stmt *st, bool *has_row)
{
	struct pg_stmt *s = stmt_of(st);
	*has_row = false;
	if (s->result == NULL)
		return run(s, has_row);
	forget_blobs(s);
	if (++s->row < s->rows) {
		*has_row = true;
		return STATUS_OK;
	}
	/* Done. As in SQLite, a step after this runs the statement again. */
	drop_result(s);
	return STATUS_OK;
}

/* ---- columns ---- */

static bool has_value(const struct pg_stmt *s, int col)
{
	return s->result != NULL && col >= 0 && col < PQnfields(s->result)
		&& !PQgetisnull(s->result, s->row, col);
}

static int64_t pg_column_int64(struct db_stmt *st, int col)
{
	struct pg_stmt *s = stmt_of(st);
	if (!has_value(s, col))
		return 0;
	const char *v = PQgetvalue(s->result, s->row, col);
	if (PQftype(s->result, col) == OID_BOOL)
		return v[0] == 't';
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end != '.' && *end != 'e' && *end != 'E')
		return n;
	/* numeric or floating point (an avg(), a sum() of bigint): truncated like SQLite's
	 * cast, and held within int64. */
	double d = strtod(v, NULL);
	if (!(d > (double)INT64_MIN))
		return d < 0 ? INT64_MIN : 0;
	if (d >= (double)INT64_MAX)
		return INT64_MAX;
	return (int64_t)d;
}

static const char *pg_column_text(struct db_stmt *st, int col)
{
	struct pg_stmt *s = stmt_of(st);
	/* PQgetvalue gives "" for NULL. */
	return has_value(s, col) ? PQgetvalue(s->result, s->row, col) : "";
}

/* The bytes of a bytea column of the current row, decoded once. NULL if not bytea. */
static const struct blob *bytea_of(struct pg_stmt *s, int col)
{
	if (PQftype(s->result, col) != OID_BYTEA)
		return NULL;
	struct blob *b = &s->blobs[col];
	if (!b->is_decoded) {
		size_t n = 0;
		b->bytes = PQunescapeBytea((const unsigned char *)PQgetvalue(s->result, s->row, col), &n);
		if (b->bytes == NULL)
			log_error("cannot decode a bytea value of '%.200s'", s->text);
		b->len = b->bytes != NULL ? n : 0;
		b->is_decoded = true;
		s->has_blobs = true;
	}
	return b;
}

static size_t pg_column_bytes(struct db_stmt *st, int col)
{
	struct pg_stmt *s = stmt_of(st);
	if (!has_value(s, col))
		return 0;
	const struct blob *b = bytea_of(s, col);
	return b != NULL ? b->len : (size_t)PQgetlength(s->result, s->row, col);
}

static const void *pg_column_blob(struct db_stmt *st, int col)
{
	struct pg_stmt *s = stmt_of(st);
	/* Never NULL, so memcpy(dst, blob, 0) stays defined. */
	if (!has_value(s, col))
		return "";
	const struct blob *b = bytea_of(s, col);
	if (b == NULL)
		return PQgetvalue(s->result, s->row, col);
	return b->bytes != NULL ? (const void *)b->bytes : "";
}

static bool pg_column_is_null(struct db_stmt *st, int col)
{
	struct pg_stmt *s = stmt_of(st);
	if (s->result == NULL || col < 0 || col >= PQnfields(s->result))
		return true;
	return PQgetisnull(s->result, s->row, col);
}

/* ---- connection-wide calls ---- */

/* lastval() is the value nextval() last gave in this session: for an INSERT that took its
 * id from an identity (or serial) column, the new row's id. Before any sequence was used
 * in the session it fails with 55000, which means 0 here, as in SQLite before an insert.
 * A failing statement aborts the transaction it is in, so inside one the call runs under
 * a savepoint, sent in the same round trip and released after; only when lastval() fails
 * does a second round trip roll back to the savepoint. */
static int64_t pg_last_insert_id(struct db_conn *base)
{
	struct pg_conn *c = conn_of(base);
	PGTransactionStatusType ts = PQtransactionStatus(c->pg);
	if (ts != PQTRANS_IDLE && ts != PQTRANS_INTRANS)
		return 0; /* lost, or in a failed transaction: nothing can run */
	bool in_tx = ts == PQTRANS_INTRANS;
	const char *sql = in_tx
		? "SAVEPOINT phuong_lastval; SELECT lastval(); RELEASE SAVEPOINT phuong_lastval"
		: "SELECT lastval()";
	if (!PQsendQuery(c->pg, sql)) {
		failure(c, NULL, "run", sql);
		return 0;
	}
	int64_t id = 0;
	PGresult *error = NULL;
	for (PGresult *res = PQgetResult(c->pg); res != NULL; res = PQgetResult(c->pg)) {
		ExecStatusType rs = PQresultStatus(res);
		if (rs == PGRES_TUPLES_OK && PQntuples(res) == 1)
			id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK && error == NULL)
			error = res;
		else
			PQclear(res);
	}
	if (error == NULL)
		return id;
	const char *state = PQresultErrorField(error, PG_DIAG_SQLSTATE);
	if (state == NULL || !is_state(state, "55000"))
		failure(c, error, "run", sql);
	PQclear(error);
	if (in_tx && PQstatus(c->pg) == CONNECTION_OK)
		command(c, "ROLLBACK TO SAVEPOINT phuong_lastval; RELEASE SAVEPOINT phuong_lastval",
			"run");
	return 0;
}

static int64_t pg_changes(struct db_conn *c)
{
	return conn_of(c)->changes;
}

static enum status pg_exec_script(struct db_conn *base, const char *sql)
{
	struct pg_conn *c = conn_of(base);
	enum status st = usable(c);
	return st == STATUS_OK ? command(c, sql, "run script") : st;
}

/* A write transaction takes the writers' advisory lock at once, so the write transactions
 * of all nodes take turns, as with SQLite's BEGIN IMMEDIATE: two writers never deadlock
 * half-way. It also keeps READ COMMITTED safe for a read-then-write inside the transaction
 * (the next number of a counter, "is this name free"): each statement sees every commit
 * made before it started, and no other write transaction can commit while the lock is
 * held. A single statement run outside a transaction takes no lock (unlike in SQLite): it
 * is atomic by itself, but a read-then-write that must not interleave with it belongs in a
 * transaction on both sides. Read transactions take no lock. */
static enum status pg_begin(struct db_conn *base, bool write)
{
	struct pg_conn *c = conn_of(base);
	enum status st = usable(c);
	if (st != STATUS_OK)
		return st;
	if (PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
		log_error("cannot begin a transaction: one is open already");
		return STATUS_INTERNAL;
	}
	st = command(c, write ? BEGIN_WRITE : BEGIN_READ, "begin");
	if (st == STATUS_OK) {
		c->in_tx = true;
		return STATUS_OK;
	}
	/* The lock was not taken (a timeout): leave no transaction open. */
	if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		command(c, "ROLLBACK", "roll back");
	return st;
}

static enum status pg_commit(struct db_conn *base)
{
	struct pg_conn *c = conn_of(base);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		log_warn("cannot commit: the postgresql connection was lost");
		c->in_tx = false;
		return STATUS_UNAVAILABLE;
	}
	if (PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
		log_error("cannot commit: no transaction is open");
		return STATUS_INTERNAL;
	}
	/* The transaction ends here whatever happens: no reset is held back any more. */
	c->in_tx = false;
	PGresult *res = PQexec(c->pg, "COMMIT");
	enum status st = STATUS_OK;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		st = failure(c, res, "run", "COMMIT");
	} else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		/* The server's answer to COMMIT of a transaction where a statement failed. */
		log_error("cannot commit: a statement of the transaction failed, it was rolled back");
		st = STATUS_INTERNAL;
	}
	PQclear(res);
	return st;
}

static void pg_rollback(struct db_conn *base)
{
	struct pg_conn *c = conn_of(base);
	if (c->held > 0)
		stmt_cache_each(&c->cache, drop_result_of, NULL);
	c->in_tx = false;
	if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		command(c, "ROLLBACK", "roll back");
}

static enum status pg_backup(struct db_conn *c, const char *path)
{
	(void)c;
	log_error("cannot back up to '%s': on postgresql use pg_dump (see deploy/README)", path);
	return STATUS_INVALID;
}

static enum status pg_restore(const char *target, const char *path)
{
	(void)target;
	log_error("cannot restore '%s': on postgresql use pg_restore (see deploy/README)", path);
	return STATUS_INVALID;
}

static void pg_close(struct db_conn *base)
{
	struct pg_conn *c = conn_of(base);
	stmt_cache_each(&c->cache, stmt_free, NULL);
	stmt_cache_release(&c->cache);
	PQfinish(c->pg);
	free(c);
}

static enum status pg_open(const char *target, struct db_conn **out)
{
	struct pg_conn *c = calloc(1, sizeof *c);
	if (c == NULL)
		return STATUS_INTERNAL;
	c->base.engine = &postgres_engine;
	/* The URL (expanded from dbname) comes last, so its own settings win. */
	const char *const keys[] = { "fallback_application_name", "connect_timeout", "dbname", NULL };
	const char *const values[] = { "phuong", "10", target, NULL };
	c->pg = PQconnectdbParams(keys, values, 1);
	if (c->pg == NULL || !stmt_cache_init(&c->cache)) {
		log_error("out of memory connecting to postgresql");
		pg_close(&c->base);
		return STATUS_INTERNAL;
	}
	if (PQstatus(c->pg) != CONNECTION_OK) {
		/* libpq's message names the host and port, never the password. */
		const char *msg = PQerrorMessage(c->pg);
		const char *db = PQdb(c->pg);
		log_error("cannot connect to postgresql database '%s': %.*s", db != NULL ? db : "",
			first_line(msg), msg);
		pg_close(&c->base);
		return STATUS_UNAVAILABLE;
	}
	if (!configure(c)) {
		pg_close(&c->base);
		return STATUS_INTERNAL;
	}
	*out = &c->base;
	return STATUS_OK;
}

const struct engine postgres_engine = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.column_int64 = pg_column_int64,
	.column_text = pg_column_text,
	.column_bytes = pg_column_bytes,
	.column_blob = pg_column_blob,
	.column_is_null = pg_column_is_null,
	.last_insert_id = pg_last_insert_id,
	.changes = pg_changes,
	.exec_script = pg_exec_script,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.backup = pg_backup,
	.restore = pg_restore,
};
