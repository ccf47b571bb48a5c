#!/usr/bin/env bash
# bench/dossiers.sh [--store sqlite|postgresql] — the one-stop shop with 1,000,000 dossiers.
#
#     bench/dossiers.sh --store sqlite >> BENCHMARKS.md
#     bench/dossiers.sh --store postgresql >> BENCHMARKS.md
#
# What it does:
#   1. builds the release binary (meson setup build-release --buildtype=release, once; then
#      meson compile), unless PHUONG_BIN names one;
#   2. makes a data folder with the demo content (14 procedures) and the staff (2 clerks,
#      3 specialists, 1 leader, an admin), on SQLite or on a throwaway PostgreSQL cluster
#      (tools/pg-cluster: fsync and synchronous_commit on);
#   3. loads BENCH_DOSSIERS dossiers of unit 1 over BENCH_MONTHS months of working days in
#      the database itself (bench/dossiers.sql after a preamble of the engine: a recursive
#      CTE on SQLite, generate_series on PostgreSQL), with their day numbers and events,
#      then ANALYZE; reports the time and the size of the database;
#   4. starts phuong with --lookup-limit 0 and runs wrk against: the public lookup by code
#      over 10,000 random existing codes (bench/lookup.lua); the monthly statistics page
#      /quan-tri/thong-ke?thang=LAST-MONTH as the admin on one connection, if the route
#      answers 200 (else skipped, said so); a clerk's queue /quan-tri/ho-so; online intake
#      with a fresh idempotency token per request (bench/intake.lua), each one durable
#      commit; then
#      reads the server's VmRSS and VmHWM;
#   5. starts phuong again with --lookup-limit 1000000 (never reached: every lookup counts
#      its address, one INSERT and one DELETE) and runs the lookup again: the difference is
#      the cost of the throttle;
#   6. prints a Markdown section on stdout; progress on stderr; raw wrk output in bench/out/.
#
# Environment: PHUONG_BIN (default: the release build made here), BENCH_DOSSIERS (1000000),
# BENCH_MONTHS (24), BENCH_SECONDS (12), BENCH_THREADS (2), BENCH_CONNECTIONS (50, reads),
# BENCH_STATS_CONNECTIONS (1), BENCH_STAFF_CONNECTIONS (8: the queue),
# BENCH_WRITE_CONNECTIONS (8), WRK_BIN,
# BENCH_KEEP (set: keep the SQLite data folder to look at afterwards).
# Only loopback addresses are used; every wrk run is bounded by BENCH_SECONDS.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
STORE=sqlite
while (($#)); do
  case $1 in
    --store) STORE=${2:-}; shift 2 ;;
    --store=*) STORE=${1#--store=}; shift ;;
    -h|--help) sed -n '2,34s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (usage: bench/dossiers.sh [--store sqlite|postgresql])" ;;
  esac
done
[[ $STORE == sqlite || $STORE == postgresql ]] || die "--store must be sqlite or postgresql"
N=${BENCH_DOSSIERS:-1000000}
MONTHS=${BENCH_MONTHS:-24}
SECS=${BENCH_SECONDS:-12}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-50}
STAFF_CONNS=${BENCH_STAFF_CONNECTIONS:-8}
STATS_CONNS=${BENCH_STATS_CONNECTIONS:-1}
WRITE_CONNS=${BENCH_WRITE_CONNECTIONS:-8}
WRK_BIN=${WRK_BIN:-wrk}
PY=/usr/bin/python3
[[ $N =~ ^[0-9]+$ && $N -ge 1000 && $N -le 20000000 ]] || die "BENCH_DOSSIERS must be 1000..20000000"
[[ $MONTHS =~ ^[0-9]+$ && $MONTHS -ge 1 && $MONTHS -le 120 ]] || die "BENCH_MONTHS must be 1..120"
[[ $SECS =~ ^[0-9]+$ && $SECS -ge 1 && $SECS -le 600 ]] || die "BENCH_SECONDS must be 1..600"
command -v "$WRK_BIN" >/dev/null || die "wrk not found (apt-get install wrk)"
command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install sqlite3)"

# ---------------------------------------------------------------- binary
if [[ -n ${PHUONG_BIN:-} ]]; then
  BIN=$PHUONG_BIN
  [[ $BIN == /* ]] || BIN=$PWD/$BIN
else
  if [[ ! -d $REPO/build-release ]]; then
    log "meson setup build-release --buildtype=release"
    meson setup "$REPO/build-release" "$REPO" --buildtype=release >&2
  fi
  log "meson compile -C build-release"
  meson compile -C "$REPO/build-release" >&2
  BIN=$REPO/build-release/phuong
fi
[[ -x $BIN ]] || die "server binary not found: $BIN"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/phuong-dossiers.XXXXXX")
chmod 0755 "$TMP"
PG_DIR=$(mktemp -d -u /tmp/phuong-bench-pg.XXXXXX)
PHUONG_PID=''
cleanup() {
  local rc=$?
  stop "$PHUONG_PID" phuong
  [[ $STORE == postgresql ]] && { "$REPO/tools/pg-cluster" stop "$PG_DIR" >/dev/null 2>&1 || true; }
  if [[ $rc -ne 0 && -s $TMP/phuong.log ]]; then log "phuong log:"; tail -n 15 "$TMP/phuong.log" >&2; fi
  if [[ -n ${BENCH_KEEP:-} && $STORE == sqlite ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- store, demo, staff
DATA=$TMP/data
if [[ $STORE == postgresql ]]; then
  log "starting PostgreSQL"
  PG=$("$REPO/tools/pg-cluster" start "$PG_DIR")
  createdb --maintenance-db "$PG/postgres" bench
  DATABASE=$PG/bench
  sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE" "$@"; }
  sql_value() { psql -X -A -t -v ON_ERROR_STOP=1 -d "$DATABASE" -c "$1"; }
else
  DATABASE=sqlite:$DATA/phuong.db
  sql() { sqlite3 -bail "$DATA/phuong.db" "$@"; }
  sql_value() { sqlite3 -bail "$DATA/phuong.db" "$1"; }
fi
"$BIN" init --data "$DATA" --database "$DATABASE" --demo >/dev/null
ADMIN_PW='Quản trị đo tốc độ 2026'
CLERK_PW='Cán bộ một cửa đo tốc độ 2026'
add_user() { # username role "display name" password
  printf '%s\n' "$4" | "$BIN" user add "$1" --role "$2" --name "$3" --data "$DATA" \
    --database "$DATABASE" --password-stdin >/dev/null
}
add_user quantri admin 'Quản trị viên' "$ADMIN_PW"
add_user canbo1 clerk 'Nguyễn Thị Lan' "$CLERK_PW"
add_user canbo2 clerk 'Trần Văn Minh' "$CLERK_PW"
add_user chuyenvien1 specialist 'Lê Thị Ngọc' "$CLERK_PW"
add_user chuyenvien2 specialist 'Phạm Văn Quang' "$CLERK_PW"
add_user chuyenvien3 specialist 'Võ Thị Sương' "$CLERK_PW"
add_user lanhdao leader 'Đỗ Văn Tâm' "$CLERK_PW"

# ---------------------------------------------------------------- load
NOW=$(date +%s)
# Working days (Monday to Friday) going back from the one before today, oldest first.
WORKDAYS=$(( (MONTHS * 522 + 23) / 24 ))
PER_DAY=$(( (N + WORKDAYS - 1) / WORKDAYS ))
(( PER_DAY < 10000 )) || die "more than 9999 dossiers a day: raise BENCH_MONTHS"
DAYS_USED=$(( (N + PER_DAY - 1) / PER_DAY ))
day_rows() {
  "$PY" - "$NOW" "$DAYS_USED" <<'EOF'
import datetime, sys
now, count = int(sys.argv[1]), int(sys.argv[2])
vn = datetime.timezone(datetime.timedelta(hours=7))
day = datetime.datetime.fromtimestamp(now, vn).date()
days = []
while len(days) < count:
    day -= datetime.timedelta(days=1)
    if day.weekday() < 5:
        days.append(day)
days.reverse()
rows = []
for d, day in enumerate(days):
    midnight = int(datetime.datetime(day.year, day.month, day.day, tzinfo=vn).timestamp())
    rows.append("(%d, '%s', %d)" % (d, day.strftime("%y%m%d"), midnight))
print(",\n".join(rows))
EOF
}
{
  if [[ $STORE == sqlite ]]; then
    echo "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -400000; PRAGMA synchronous = OFF;"
    echo "BEGIN;"
    echo "CREATE TEMP TABLE bench_n AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N) SELECT i FROM n;"
  else
    echo "BEGIN;"
    echo "SET LOCAL work_mem = '256MB';"
    echo "CREATE TEMP TABLE bench_n AS SELECT generate_series(1, $N) AS i;"
  fi
  echo "CREATE TEMP TABLE bench_param AS SELECT CAST($NOW AS BIGINT) AS now_s, $PER_DAY AS per_day,"
  echo "  (SELECT COALESCE(max(id), 0) FROM dossier) AS base_id, (SELECT code FROM unit WHERE id = 1) AS unit_code, 0 AS nproc;"
  echo "CREATE TEMP TABLE bench_day (d INTEGER PRIMARY KEY, day TEXT NOT NULL, midnight BIGINT NOT NULL);"
  echo "INSERT INTO bench_day VALUES"
  day_rows
  echo ";"
  cat "$REPO/bench/dossiers.sql"
  if [[ $STORE == postgresql ]]; then
    echo "SELECT setval(pg_get_serial_sequence('dossier', 'id'), (SELECT max(id) FROM dossier));"
  fi
  echo "COMMIT;"
} >"$TMP/load.sql"
log "loading $N dossiers ($PER_DAY a working day over $DAYS_USED working days) into $STORE"
T0=$(date +%s.%N)
if [[ $STORE == sqlite ]]; then
  sql <"$TMP/load.sql"
  T1=$(date +%s.%N)
  sql "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  DB_BYTES=$(( $(stat -c %s "$DATA/phuong.db") + $(stat -c %s "$DATA/phuong.db-wal" 2>/dev/null || echo 0) ))
else
  sql -f "$TMP/load.sql" >/dev/null
  T1=$(date +%s.%N)
  sql -c "VACUUM ANALYZE dossier" -c "VACUUM ANALYZE dossier_event" -c "ANALYZE" >/dev/null
  DB_BYTES=$(sql_value "SELECT pg_database_size(current_database())")
fi
T2=$(date +%s.%N)
LOAD_S=$(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.0f", b - a}')
ANALYZE_S=$(awk -v a="$T1" -v b="$T2" 'BEGIN{printf "%.0f", b - a}')
DOSSIERS=$(sql_value "SELECT count(*) FROM dossier")
EVENTS=$(sql_value "SELECT count(*) FROM dossier_event")
MIX=$(sql_value "SELECT status || ' ' || count(*) FROM dossier GROUP BY status ORDER BY count(*) DESC" | paste -sd, - | sed 's/,/, /g')
OVERDUE=$(sql_value "SELECT count(*) FROM dossier WHERE status IN ('received', 'processing', 'awaiting_signature') AND due_at < $NOW")
LATE=$(sql_value "SELECT count(*) FROM dossier WHERE finished_at > due_at")
DB_MB=$(awk -v b="$DB_BYTES" 'BEGIN{printf "%.0f", b / 1048576}')
log "loaded $DOSSIERS dossiers, $EVENTS events in ${LOAD_S} s (+${ANALYZE_S} s ANALYZE); database $DB_MB MB"
[[ $DOSSIERS -ge $N ]] || die "only $DOSSIERS dossiers loaded"
# Codes to look up: about 10,000 spread over the whole range, with the phone's last digits.
sql_value "SELECT code || ' ' || substr(applicant_phone, 7, 4) FROM dossier WHERE id % $(( N / 10000 > 1 ? N / 10000 : 1 )) = 0" >"$TMP/codes.txt"
LAST_MONTH=$("$PY" -c 'import datetime as d; t = d.date.today().replace(day=1) - d.timedelta(days=1); print(t.strftime("%Y-%m"))')

# ---------------------------------------------------------------- server
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
start_phuong() { # lookup limit
  SERVE_CMD=("$BIN" serve --listen "127.0.0.1:$PORT" --data "$DATA" --database "$DATABASE" --lookup-limit "$1")
  log "starting ${SERVE_CMD[*]}"
  "${SERVE_CMD[@]}" >"$TMP/phuong.log" 2>&1 &
  PHUONG_PID=$!
  wait_http "$URL/robots.txt" "$PHUONG_PID" phuong
}
answers() { grep '^answers:' "$OUTDIR/wrk-$STAMP-$1.txt" | sed 's/^answers: //'; }

OUTDIR=$REPO/bench/out
mkdir -p "$OUTDIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
start_phuong 0
SERVE_FREE=("${SERVE_CMD[@]}")
CODE1=$(head -n1 "$TMP/codes.txt")
curl -fsS -o /dev/null --max-time 10 "$URL/tra-cuu-ho-so?ma=${CODE1% *}&sdt=${CODE1#* }" ||
  die "the lookup of ${CODE1% *} did not answer 200"

WRK_ARGS=(-t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency)
BENCH_CODES=$TMP/codes.txt run_wrk lookup "$URL/tra-cuu-ho-so" -s "$REPO/bench/lookup.lua"
[[ $(answers lookup) == *' 0 other' ]] || die "lookups not found: $(answers lookup)"

WRK_ARGS=(-t"$THREADS" -c"$STAFF_CONNS" -d"${SECS}s" --latency --timeout 10s)
ADMIN_COOKIE=$("$PY" "$REPO/bench/dossier_forms.py" login "$URL" quantri "$ADMIN_PW")
CLERK_COOKIE=$("$PY" "$REPO/bench/dossier_forms.py" login "$URL" canbo1 "$CLERK_PW")
STATS_PATH="/quan-tri/thong-ke?thang=$LAST_MONTH"
STATS_CODE=$(curl -sS -o "$TMP/stats.html" -w '%{http_code}' --max-time 120 -H "Cookie: $ADMIN_COOKIE" "$URL$STATS_PATH")
if [[ $STATS_CODE == 200 ]]; then
  # One leader at a time reads the month: one connection, and wrk's timeout raised so
  # that a slow page is measured, not dropped.
  WRK_ARGS=(-t1 -c"$STATS_CONNS" -d"${SECS}s" --latency --timeout 10s)
  run_wrk stats "$URL$STATS_PATH" -H "Cookie: $ADMIN_COOKIE"
  WRK_ARGS=(-t"$THREADS" -c"$STAFF_CONNS" -d"${SECS}s" --latency --timeout 10s)
else
  log "$STATS_PATH answered $STATS_CODE: the statistics page is not there, skipped"
fi
QUEUE_CODE=$(curl -sS -o "$TMP/queue.html" -w '%{http_code}' --max-time 60 -H "Cookie: $CLERK_COOKIE" "$URL/quan-tri/ho-so")
[[ $QUEUE_CODE == 200 ]] || die "/quan-tri/ho-so answered $QUEUE_CODE to the clerk"
QUEUE_ROWS=$(grep -c '<tr' "$TMP/queue.html" || true)
run_wrk queue "$URL/quan-tri/ho-so" -H "Cookie: $CLERK_COOKIE"

WRK_ARGS=(-t"$THREADS" -c"$WRITE_CONNS" -d"${SECS}s" --latency)
mapfile -t form < <("$PY" "$REPO/bench/dossier_forms.py" online "$URL" dang-ky-khai-sinh)
[[ ${#form[@]} == 3 ]] || die "could not read the online submission form"
BEFORE=$(sql_value "SELECT count(*) FROM dossier")
BENCH_COOKIE=${form[1]} BENCH_BODY=${form[2]} run_wrk intake "$URL${form[0]}" -s "$REPO/bench/intake.lua"
AFTER=$(sql_value "SELECT count(*) FROM dossier")
[[ $(answers intake) == *' 0 repeat (200), 0 other' ]] || die "online submissions refused: $(answers intake)"
DUPLICATE_CODES=$(sql_value "SELECT count(*) FROM (SELECT code FROM dossier GROUP BY code HAVING count(*) > 1) x")

kill -0 "$PHUONG_PID" 2>/dev/null || die "phuong died during the runs"
RSS=$(awk '/^VmRSS:/{print $2" "$3}' "/proc/$PHUONG_PID/status")
HWM=$(awk '/^VmHWM:/{print $2" "$3}' "/proc/$PHUONG_PID/status")
stop "$PHUONG_PID" phuong
PHUONG_PID=''

start_phuong 1000000
SERVE_THROTTLED=("${SERVE_CMD[@]}")
WRK_ARGS=(-t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency)
BENCH_CODES=$TMP/codes.txt run_wrk lookup-throttled "$URL/tra-cuu-ho-so" -s "$REPO/bench/lookup.lua"
[[ $(answers lookup-throttled) == *' 0 other' ]] || die "throttled lookups refused: $(answers lookup-throttled)"
THROTTLE_ROWS=$(sql_value "SELECT count(*) FROM dossier_lookup")
stop "$PHUONG_PID" phuong
PHUONG_PID=''

# ---------------------------------------------------------------- report
p50() { to_ms "$(awk '$1=="50%"{print $2}' "$OUTDIR/wrk-$STAMP-$1.txt")"; }
row() { # what key answers
  printf '| %s | %.0f | %s ms | %s ms | %s |\n' "$1" "${RPS[$2]}" "$(p50 "$2")" "${P99[$2]}" "$3"
}
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$REPO" diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT (dirty tree)"
CPU=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
if [[ $STORE == sqlite ]]; then
  ENGINE="SQLite $(sqlite3 --version | cut -d' ' -f1) (WAL, synchronous=FULL: each commit is fsynced)"
  STORE_NAME=SQLite
else
  ENGINE="$(psql --version | head -n1) (tools/pg-cluster: fsync on, synchronous_commit on)"
  STORE_NAME=PostgreSQL
fi
echo
echo "### $STORE_NAME, run $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo
echo "- host: \`nproc\` = $(nproc)${CPU:+, $CPU}; kernel $(uname -r); wrk, phuong and the database share these cores (other work ran on the machine too)"
echo "- phuong \`${BIN#"$REPO"/}\` at commit $COMMIT; $ENGINE"
echo "- data: $DOSSIERS dossiers of unit 1 ($PER_DAY a working day over $DAYS_USED working days), $EVENTS events; $MIX; $OVERDUE open past their due time, $LATE finished late"
echo "- load: ${LOAD_S} s in the database (bench/dossiers.sql), ANALYZE ${ANALYZE_S} s; database $DB_MB MB"
echo "- wrk -t$THREADS -d${SECS}s --latency; -c$CONNS for the lookup, -t1 -c$STATS_CONNS for the statistics (one leader), -c$STAFF_CONNS for the queue (--timeout 10s for both), -c$WRITE_CONNS for intake"
echo
echo "| what | req/s | p50 | p99 | answers |"
echo "|---|---:|---:|---:|---|"
row "lookup by code \`/tra-cuu-ho-so?ma=CODE&sdt=LAST4\`, lookup_limit 0 (no throttle)" lookup "$(answers lookup)"
row "lookup by code, throttle counting (lookup_limit 1000000: an INSERT and a DELETE each)" lookup-throttled "$(answers lookup-throttled)"
if [[ -n ${RPS[stats]:-} ]]; then
  row "monthly statistics \`$STATS_PATH\` (admin)" stats "200"
else
  echo "| monthly statistics \`$STATS_PATH\` | – | – | – | skipped: the route answered $STATS_CODE (not merged yet) |"
fi
row "clerk's queue \`/quan-tri/ho-so\` ($QUEUE_ROWS table rows)" queue "200"
row "online intake \`${form[0]}\` (one durable commit each)" intake "$(answers intake)"
echo
echo "Dossiers made by the intake run: $((AFTER - BEFORE)); codes given twice: $DUPLICATE_CODES. Throttle rows after the throttled run: $THROTTLE_ROWS. phuong RSS after the runs (first server): VmRSS $RSS, VmHWM (peak) $HWM."
for k in lookup lookup-throttled stats queue intake; do
  [[ -z ${ERRS[$k]:-} ]] || echo "- note, $k: ${ERRS[$k]}"
done
echo
echo "Commands:"
echo
echo '```'
echo "bench/dossiers.sh --store $STORE"
echo "${SERVE_FREE[*]}" | sed "s#$TMP#\$TMP#g; s#$REPO/##g; s#${PG:-@@}#\$PG#g"
echo "BENCH_CODES=\$TMP/codes.txt $WRK_BIN -t$THREADS -c$CONNS -d${SECS}s --latency -s bench/lookup.lua $URL/tra-cuu-ho-so"
[[ -n ${RPS[stats]:-} ]] && echo "$WRK_BIN -t1 -c$STATS_CONNS -d${SECS}s --latency --timeout 10s -H 'Cookie: (admin)' '$URL$STATS_PATH'"
echo "$WRK_BIN -t$THREADS -c$STAFF_CONNS -d${SECS}s --latency --timeout 10s -H 'Cookie: (clerk)' $URL/quan-tri/ho-so"
echo "BENCH_COOKIE=... BENCH_BODY=... $WRK_BIN -t$THREADS -c$WRITE_CONNS -d${SECS}s --latency -s bench/intake.lua $URL${form[0]}"
echo "${SERVE_THROTTLED[*]}" | sed "s#$TMP#\$TMP#g; s#$REPO/##g; s#${PG:-@@}#\$PG#g"
echo "BENCH_CODES=\$TMP/codes.txt $WRK_BIN -t$THREADS -c$CONNS -d${SECS}s --latency -s bench/lookup.lua $URL/tra-cuu-ho-so"
echo '```'
log "done; raw wrk output in ${OUTDIR#"$REPO"/}/wrk-$STAMP-*.txt"
