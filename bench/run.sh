#!/usr/bin/env bash
# bench/run.sh — phuong vs. nginx serving the very same bytes, measured with wrk.
#
# Builds nothing. Recommended: a release build
#     meson setup build-release --buildtype=release && meson compile -C build-release
#     PHUONG_BIN=build-release/phuong bench/run.sh >> BENCHMARKS.md
#
# What it does:
#   1. starts `$PHUONG_BIN serve --listen 127.0.0.1:P1 --data TMP/data --demo`;
#   2. fetches the sample article (found via /tim-kiem?q=tam+guong, else /index.json)
#      and the home page, and saves their exact bytes under TMP/www;
#   3. starts nginx (temp config, `daemon off;` in the background, worker_processes
#      auto, access_log off) on 127.0.0.1:P2 serving those bytes with the same
#      Content-Type;
#   4. runs wrk -t$THREADS -c$CONNS -d${SECONDS}s --latency against phuong article,
#      nginx article, phuong home, nginx home;
#   5. prints a Markdown section (table, phuong RSS, date, nproc, commands) on
#      stdout; progress goes to stderr. Raw wrk output is kept in bench/out/.
#
# Environment:
#   PHUONG_BIN        server binary (default build/phuong; relative: cwd, then repo root)
#   BENCH_SECONDS     wrk duration per run (default 10)
#   BENCH_THREADS     wrk threads (default 2)
#   BENCH_CONNECTIONS wrk connections (default 50)
#   ARTICLE_PATH      skip discovery and bench this path (e.g. /bai-viet/12-slug)
#   NGINX_BIN, WRK_BIN  (default: nginx, wrk from PATH; apt-get install nginx-light wrk)
#
# Only loopback addresses are used; every run is bounded by BENCH_SECONDS.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
SECS=${BENCH_SECONDS:-10}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-50}
NGINX_BIN=${NGINX_BIN:-nginx}
WRK_BIN=${WRK_BIN:-wrk}


BIN=${PHUONG_BIN:-build/phuong}
if [[ $BIN != /* ]]; then
  if [[ -e $PWD/$BIN ]]; then BIN=$PWD/$BIN; else BIN=$REPO/$BIN; fi
fi
[[ -x $BIN ]] || die "server binary not found or not executable: $BIN (build it, or set PHUONG_BIN)"
command -v "$NGINX_BIN" >/dev/null || die "nginx not found (apt-get install nginx-light)"
command -v "$WRK_BIN" >/dev/null || die "wrk not found (apt-get install wrk)"
command -v curl >/dev/null || die "curl not found (apt-get install curl)"
[[ $SECS =~ ^[0-9]+$ && $SECS -ge 1 && $SECS -le 600 ]] || die "BENCH_SECONDS must be 1..600"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/phuong-bench.XXXXXX")
PHUONG_PID=''
NGINX_PID=''

cleanup() {
  local rc=$?
  stop "$NGINX_PID" nginx   # nginx: SIGTERM = fast shutdown (master stops its workers)
  stop "$PHUONG_PID" phuong
  if [[ $rc -ne 0 ]]; then
    [[ -s $TMP/phuong.log ]] && { log "phuong log (tail):"; tail -n 20 "$TMP/phuong.log" >&2; }
    [[ -s $TMP/nginx-error.log ]] && { log "nginx error log (tail):"; tail -n 20 "$TMP/nginx-error.log" >&2; }
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM



# ---------------------------------------------------------------- phuong
P1=$(free_port)
P2=$(free_port)
PHUONG_URL="http://127.0.0.1:$P1"
NGINX_URL="http://127.0.0.1:$P2"
mkdir -p "$TMP/data" "$TMP/www" "$TMP/nginx-tmp"
PHUONG_CMD=("$BIN" serve --listen "127.0.0.1:$P1" --data "$TMP/data" --demo)
log "starting ${PHUONG_CMD[*]}"
"${PHUONG_CMD[@]}" >"$TMP/phuong.log" 2>&1 &
PHUONG_PID=$!
wait_http "$PHUONG_URL/robots.txt" "$PHUONG_PID" phuong

# ---------------------------------------------------------------- find the sample article
pick_article() { # reads hrefs/urls on stdin, prefers the "tam-guong" slug
  local all
  all=$(grep -oE '/bai-viet/[0-9]+-[A-Za-z0-9._~%-]+' | awk '!seen[$0]++' || true)
  [[ -n $all ]] || return 1
  grep -m1 -- 'tam-guong' <<<"$all" || head -n1 <<<"$all"
}
ARTICLE=${ARTICLE_PATH:-}
if [[ -z $ARTICLE ]]; then
  ARTICLE=$(curl -fsS --max-time 5 "$PHUONG_URL/tim-kiem?q=tam+guong" | pick_article) ||
  ARTICLE=$(curl -fsS --max-time 5 "$PHUONG_URL/index.json" | sed 's#\\/#/#g' | pick_article) ||
  die "could not find the sample article via /tim-kiem?q=tam+guong or /index.json (set ARTICLE_PATH)"
fi
log "article: $ARTICLE"

# ---------------------------------------------------------------- snapshot bytes
declare -A CTYPE SIZE
snapshot() { # name path
  local name=$1 path=$2 code
  code=$(curl -sS --max-time 5 -o "$TMP/www/$name" -D "$TMP/$name.headers" -w '%{http_code}' "$PHUONG_URL$path")
  [[ $code == 200 ]] || die "GET $path -> HTTP $code"
  CTYPE[$name]=$(tr -d '\r' <"$TMP/$name.headers" | awk 'tolower($1)=="content-type:"{sub(/^[^:]*:[ \t]*/,""); print; exit}')
  [[ -n ${CTYPE[$name]} ]] || CTYPE[$name]='text/html; charset=utf-8'
  [[ ${CTYPE[$name]} != *'"'* ]] || die "unexpected Content-Type for $path: ${CTYPE[$name]}"
  SIZE[$name]=$(stat -c %s "$TMP/www/$name")
  log "$path: ${SIZE[$name]} bytes, ${CTYPE[$name]}"
}
snapshot article "$ARTICLE"
snapshot home /
chmod 0755 "$TMP" "$TMP/www"; chmod 0644 "$TMP/www/"*   # nginx workers may run as nobody

# ---------------------------------------------------------------- nginx
cat >"$TMP/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    server_tokens off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    client_body_temp_path $TMP/nginx-tmp/client_body;
    proxy_temp_path       $TMP/nginx-tmp/proxy;
    fastcgi_temp_path     $TMP/nginx-tmp/fastcgi;
    uwsgi_temp_path       $TMP/nginx-tmp/uwsgi;
    scgi_temp_path        $TMP/nginx-tmp/scgi;
    server {
        listen 127.0.0.1:$P2;
        root $TMP/www;
        location = /article { types { } default_type "${CTYPE[article]}"; }
        location = /home    { types { } default_type "${CTYPE[home]}"; }
        location / { return 404; }
    }
}
EOF
NGINX_CMD=("$NGINX_BIN" -p "$TMP" -e "$TMP/nginx-error.log" -c "$TMP/nginx.conf")
log "starting ${NGINX_CMD[*]}"
"${NGINX_CMD[@]}" >>"$TMP/nginx-error.log" 2>&1 &
NGINX_PID=$!
wait_http "$NGINX_URL/home" "$NGINX_PID" nginx
for n in article home; do
  curl -fsS --max-time 5 -o "$TMP/check-$n" "$NGINX_URL/$n"
  cmp -s "$TMP/check-$n" "$TMP/www/$n" || die "nginx /$n bytes differ from phuong's"
done

# ---------------------------------------------------------------- wrk
OUTDIR=$REPO/bench/out
mkdir -p "$OUTDIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WRK_ARGS=(-t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency)

run_wrk phuong-article "$PHUONG_URL$ARTICLE"
run_wrk nginx-article "$NGINX_URL/article"
run_wrk phuong-home "$PHUONG_URL/"
run_wrk nginx-home "$NGINX_URL/home"

kill -0 "$PHUONG_PID" 2>/dev/null || die "phuong died during the runs"
RSS=$(awk '/^VmRSS:/{print $2" "$3}' "/proc/$PHUONG_PID/status")
HWM=$(awk '/^VmHWM:/{print $2" "$3}' "/proc/$PHUONG_PID/status")

# ---------------------------------------------------------------- report (stdout)
row() { # page server key nginxkey
  printf '| %s | %s | %s | %s ms | %s |\n' "$1" "$2" "$(printf '%.0f' "${RPS[$3]}")" "${P99[$3]}" "$(ratio "${RPS[$3]}" "${RPS[$4]}")"
}
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$REPO" diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT (dirty tree)"
CPU=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
BIN_SHOWN=${BIN#"$REPO"/}

echo
echo "## Run $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo
echo "- host: \`nproc\` = $(nproc)${CPU:+, $CPU}; kernel $(uname -r)"
echo "- phuong: \`$BIN_SHOWN\` at commit $COMMIT; $("$NGINX_BIN" -v 2>&1 | sed 's/^nginx version: //'); $("$WRK_BIN" -v 2>&1 | head -n1 | awk '{print $1, $2}')"
echo "- load: wrk ${WRK_ARGS[*]} (wrk, nginx and phuong share the same $(nproc) cores, loopback)"
echo "- pages: article \`$ARTICLE\` (${SIZE[article]} bytes), home \`/\` (${SIZE[home]} bytes); nginx serves phuong's exact bytes as static files"
echo
echo "| page | server | req/s | p99 | ratio to nginx (req/s) |"
echo "|---|---|---:|---:|---:|"
row article phuong phuong-article nginx-article
row article nginx nginx-article nginx-article
row home phuong phuong-home nginx-home
row home nginx nginx-home nginx-home
echo
echo "phuong RSS after the runs: VmRSS $RSS, VmHWM (peak) $HWM"
for k in phuong-article nginx-article phuong-home nginx-home; do
  [[ -z ${ERRS[$k]} ]] || echo "- warning, $k: ${ERRS[$k]}"
done
echo
echo "Commands:"
echo
echo '```'
echo "${PHUONG_CMD[*]}" | sed "s#$TMP#\$TMP#g; s#$REPO/##g"
echo "${NGINX_CMD[*]}   # nginx.conf: worker_processes auto; access_log off; keepalive_requests 1000000; sendfile on" | sed "s#$TMP#\$TMP#g"
echo "$WRK_BIN ${WRK_ARGS[*]} $PHUONG_URL$ARTICLE"
echo "$WRK_BIN ${WRK_ARGS[*]} $NGINX_URL/article"
echo "$WRK_BIN ${WRK_ARGS[*]} $PHUONG_URL/"
echo "$WRK_BIN ${WRK_ARGS[*]} $NGINX_URL/home"
echo '```'
log "done; raw wrk output in ${OUTDIR#"$REPO"/}/wrk-$STAMP-*.txt"
