#!/bin/bash
# checksrc.sh: fails (exit 1, printing file:line) when src/ breaks a rule a script can check:
# banned libc calls, database calls or SQL outside their homes, includes pointing up.
# Run from the project root, or give the root as the first argument.
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2

failed=0

# report RULE < lines: prints grep's file:line:text lines with the rule, and records a failure.
# (Fed by process substitution, not a pipe, so that failed is set in this shell.)
report() {
	local line
	while IFS= read -r line; do
		echo "$line  <- $1"
		failed=1
	done
}

# C files under src/ whose path does not match the extended regex $1 ("" keeps all).
sources_except() {
	find src -name '*.[ch]' | sort | { if [ -n "$1" ]; then grep -Ev "$1"; else cat; fi; }
}

# 1. Unbounded or thread-unsafe libc calls (curl's checksrc list).
report "banned call: use snprintf, buf_*, arena_* or strtok_r" < <(sources_except '' \
	| xargs -r grep -HnE '\b(sprintf|vsprintf|strcpy|strcat|strncat|gets|strtok)[[:space:]]*\(')

# 2. The database libraries only in src/store/.
report "database library call outside src/store/" < <(sources_except '^src/store/' \
	| xargs -r grep -HnE '\b(sqlite3_[A-Za-z0-9_]+|PQ[A-Za-z]+)[[:space:]]*\(|#[[:space:]]*include[[:space:]]*<(sqlite3|libpq-fe)\.h>')

# 3. SQL text only in src/store/ and the src/*/*_store.c files.
report "SQL outside src/store/ and *_store.c" < <(sources_except '^src/store/|^src/[^/]+/[^/]+_store\.c$' \
	| xargs -r grep -HnE '\b(db_prepare|db_prepare_literal|db_prepare_each|db_prepare_literal_each|db_exec_script)[[:space:]]*\(')

# 4. Nothing points up: the low modules (base, http, html, json, qr, mail) never include
#    a part or a middle module (html may use text, for folding and slugs).
domains='news|onestop|province|admin|auth|audit|unitkey|upload|app|store|text|worktime|qr|mail'
for folder in base http html json qr mail; do
	pattern=${domains//|$folder/}
	[ "$folder" = html ] && pattern=${pattern//|text/}
	[ -d "src/$folder" ] || continue
	report "src/$folder may not include a domain folder" < <(find "src/$folder" -name '*.[ch]' \
		| sort | xargs -r grep -HnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"($pattern)/")
done

if [ "$failed" -ne 0 ]; then
	echo "checksrc: failed" >&2
	exit 1
fi
echo "checksrc: ok"
