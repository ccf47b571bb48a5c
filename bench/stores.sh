#!/usr/bin/env bash
# bench/stores.sh — SQLite against PostgreSQL, and two nodes against one, in one run.
#
#     meson setup build-release --buildtype=release && meson compile -C build-release
#     PHUONG_BIN=build-release/phuong bench/stores.sh >> BENCHMARKS.md
#
# What it does:
#   1. starts a throwaway PostgreSQL cluster (tools/pg-cluster; fsync and
#      synchronous_commit on, as in production) and three phuong servers with the demo
#      content: S on SQLite, G1 and G2 on the same PostgreSQL database;
#   2. starts nginx as the load balancer a province puts in front: port ONE proxies to
#      G1 only, port TWO to G1 and G2 (least_conn, keepalive), so one node and two nodes
#      are compared through the same proxy;
#   3. runs wrk against: the article page on S and on G1; the home page on S and on G1
#      (served from the page cache after the first request); a write — an editor saving
#      an article (revision, search index, audit row, one durable commit) — on S and on
#      G1 with BENCH_WRITE_CONNECTIONS connections; the article page through ONE and TWO;
#   4. prints a Markdown section on stdout. Raw wrk output stays in bench/out/.
#
# Environment: PHUONG_BIN (default build/phuong), BENCH_SECONDS (10), BENCH_THREADS (2),
# BENCH_CONNECTIONS (50), BENCH_WRITE_CONNECTIONS (8), NGINX_BIN, WRK_BIN.
# Only loopback addresses are used; every run is bounded by BENCH_SECONDS.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
SECS=${BENCH_SECONDS:-10}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-50}
WRITE_CONNS=${BENCH_WRITE_CONNECTIONS:-8}
NGINX_BIN=${NGINX_BIN:-nginx}
WRK_BIN=${WRK_BIN:-wrk}
PY=/usr/bin/python3

BIN=${PHUONG_BIN:-build/phuong}
if [[ $BIN != /* ]]; then
  if [[ -e $PWD/$BIN ]]; then BIN=$PWD/$BIN; else BIN=$REPO/$BIN; fi
fi
[[ -x $BIN ]] || die "server binary not found: $BIN (build it, or set PHUONG_BIN)"
command -v "$NGINX_BIN" >/dev/null || die "nginx not found (apt-get install nginx-light)"
command -v "$WRK_BIN" >/dev/null || die "wrk not found (apt-get install wrk)"
[[ $SECS =~ ^[0-9]+$ && $SECS -ge 1 && $SECS -le 600 ]] || die "BENCH_SECONDS must be 1..600"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/phuong-stores.XXXXXX")
chmod 0755 "$TMP"
PG_DIR=$(mktemp -d -u /tmp/phuong-bench-pg.XXXXXX)
declare -A PID
NGINX_PID=''
cleanup() {
  local rc=$? name
  stop "$NGINX_PID" nginx
  for name in "${!PID[@]}"; do stop "${PID[$name]}" "$name"; done
  "$REPO/tools/pg-cluster" stop "$PG_DIR" >/dev/null 2>&1 || true
  if [[ $rc -ne 0 ]]; then
    for name in "${!PID[@]}"; do [[ -s $TMP/$name.log ]] && { log "$name log:"; tail -n 15 "$TMP/$name.log" >&2; }; done
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- stores and servers
log "starting PostgreSQL"
PG=$("$REPO/tools/pg-cluster" start "$PG_DIR")
createdb --maintenance-db "$PG/postgres" bench
EDITOR_PW='Biên tập viên đo tốc độ 2026'
declare -A DB=([S]="sqlite:$TMP/S/phuong.db" [G1]="$PG/bench" [G2]="$PG/bench")
declare -A PORT URL CMD
for name in S G1 G2; do
  mkdir -p "$TMP/$name"
  PORT[$name]=$(free_port)
  URL[$name]="http://127.0.0.1:${PORT[$name]}"
  demo=(--demo)
  [[ $name == G2 ]] && demo=()   # G1 made the database and its demo content
  if [[ $name != G2 ]]; then
    printf '%s\n' "$EDITOR_PW" | "$BIN" user add bench --role editor --data "$TMP/$name" \
      --database "${DB[$name]}" --password-stdin >/dev/null
  fi
  CMD[$name]="$BIN serve --listen 127.0.0.1:${PORT[$name]} --data $TMP/$name --database ${DB[$name]} ${demo[*]}"
  log "starting ${CMD[$name]}"
  # shellcheck disable=SC2086 # CMD holds no spaces inside its words
  ${CMD[$name]} >"$TMP/$name.log" 2>&1 &
  PID[$name]=$!
  wait_http "${URL[$name]}/robots.txt" "${PID[$name]}" "$name"
done

ARTICLE=$(curl -fsS --max-time 5 "${URL[S]}/tim-kiem?q=tam+guong" |
  grep -oE '/bai-viet/[0-9]+-[A-Za-z0-9-]*tam-guong[A-Za-z0-9-]*' | head -n1)
[[ -n $ARTICLE ]] || die "sample article not found"
for name in G1 G2; do
  curl -fsS -o /dev/null --max-time 5 "${URL[$name]}$ARTICLE" || die "$name does not serve $ARTICLE"
done

# ---------------------------------------------------------------- nginx in front
ONE=$(free_port)
TWO=$(free_port)
mkdir -p "$TMP/nginx-tmp"
cat >"$TMP/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx-tmp/client_body;
    proxy_temp_path       $TMP/nginx-tmp/proxy;
    fastcgi_temp_path     $TMP/nginx-tmp/fastcgi;
    uwsgi_temp_path       $TMP/nginx-tmp/uwsgi;
    scgi_temp_path        $TMP/nginx-tmp/scgi;
    upstream one { server 127.0.0.1:${PORT[G1]}; keepalive 64; }
    upstream two { least_conn; server 127.0.0.1:${PORT[G1]}; server 127.0.0.1:${PORT[G2]}; keepalive 64; }
    server { listen 127.0.0.1:$ONE; location / { proxy_pass http://one; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host \$host; } }
    server { listen 127.0.0.1:$TWO; location / { proxy_pass http://two; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host \$host; } }
}
EOF
"$NGINX_BIN" -p "$TMP" -e "$TMP/nginx-error.log" -c "$TMP/nginx.conf" >>"$TMP/nginx-error.log" 2>&1 &
NGINX_PID=$!
wait_http "http://127.0.0.1:$TWO/robots.txt" "$NGINX_PID" nginx

# ---------------------------------------------------------------- runs
OUTDIR=$REPO/bench/out
mkdir -p "$OUTDIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WRK_ARGS=(-t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency)
run_wrk S-article "${URL[S]}$ARTICLE"
run_wrk G1-article "${URL[G1]}$ARTICLE"
run_wrk S-home "${URL[S]}/"
run_wrk G1-home "${URL[G1]}/"
run_wrk one-article "http://127.0.0.1:$ONE$ARTICLE"
run_wrk two-article "http://127.0.0.1:$TWO$ARTICLE"

WRK_ARGS=(-t"$THREADS" -c"$WRITE_CONNS" -d"${SECS}s" --latency)
declare -A ANSWERS
for name in S G1; do
  mapfile -t form < <("$PY" "$REPO/bench/edit_form.py" "${URL[$name]}" bench "$EDITOR_PW")
  [[ ${#form[@]} == 3 ]] || die "could not read the edit form on $name"
  BENCH_COOKIE=${form[1]} BENCH_BODY=${form[2]} \
    run_wrk "$name-write" "${URL[$name]}${form[0]}" -s "$REPO/bench/post.lua"
  WRITE_PATH=${form[0]}
  ANSWERS[$name]=$(grep '^answers:' "$OUTDIR/wrk-$STAMP-$name-write.txt" | sed 's/^answers: //')
  [[ ${ANSWERS[$name]} == *' 0 other' ]] || die "$name refused writes: ${ANSWERS[$name]}"
done

declare -A RSS
for name in S G1 G2; do
  kill -0 "${PID[$name]}" 2>/dev/null || die "$name died during the runs"
  RSS[$name]=$(awk '/^VmRSS:/{print $2" "$3}' "/proc/${PID[$name]}/status")
done
REVISIONS=$(psql -X -A -t -d "$PG/bench" -c "SELECT max(revision) FROM article")

# ---------------------------------------------------------------- report
row() { # what store key base
  printf '| %s | %s | %.0f | %s ms | %s |\n' "$1" "$2" "${RPS[$3]}" "${P99[$3]}" "$(ratio "${RPS[$3]}" "${RPS[$4]}")"
}
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$REPO" diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT (dirty tree)"
echo
echo "## Stores and nodes, run $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo
echo "- host: \`nproc\` = $(nproc); phuong \`${BIN#"$REPO"/}\` at commit $COMMIT; $(psql --version | head -n1); SQLite $(sqlite3 --version | cut -d' ' -f1)"
echo "- wrk -t$THREADS -c$CONNS -d${SECS}s for reads, -c$WRITE_CONNS for writes; wrk, nginx, PostgreSQL and every node share the same $(nproc) cores"
echo "- write: an editor saves \`$WRITE_PATH\` (new revision, search index, audit row, one durable commit; answered 303, which wrk counts as non-2xx)"
echo
echo "| what | store / nodes | req/s | p99 | ratio to the first row of its group |"
echo "|---|---|---:|---:|---:|"
row "article \`$ARTICLE\`" "SQLite, 1 node" S-article S-article
row "article" "PostgreSQL, 1 node" G1-article S-article
row "home \`/\` (page cache)" "SQLite, 1 node" S-home S-home
row "home (page cache)" "PostgreSQL, 1 node" G1-home S-home
row "write (save an article)" "SQLite, 1 node" S-write S-write
row "write" "PostgreSQL, 1 node" G1-write S-write
row "article through nginx" "PostgreSQL, 1 node" one-article one-article
row "article through nginx" "PostgreSQL, 2 nodes" two-article one-article
echo
echo "Writes answered: SQLite ${ANSWERS[S]}; PostgreSQL ${ANSWERS[G1]} (revision $REVISIONS reached). RSS after the runs: S ${RSS[S]}, G1 ${RSS[G1]}, G2 ${RSS[G2]}."
echo
echo "Commands:"
echo
echo '```'
for name in S G1 G2; do echo "${CMD[$name]}" | sed "s#$TMP#\$TMP#g; s#$REPO/##g; s#$PG#\$PG#g"; done
echo "tools/pg-cluster start \$DIR   # prints \$PG"
echo "$WRK_BIN -t$THREADS -c$CONNS -d${SECS}s --latency URL   # article, home, through nginx one/two"
echo "BENCH_COOKIE=... BENCH_BODY=... $WRK_BIN -t$THREADS -c$WRITE_CONNS -d${SECS}s --latency -s bench/post.lua URL$WRITE_PATH"
echo '```'
log "done; raw wrk output in ${OUTDIR#"$REPO"/}/wrk-$STAMP-*.txt"
