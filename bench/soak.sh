#!/usr/bin/env bash
# bench/soak.sh: a bounded mixed read/write load (bench/soak.py) against a fresh demo
# server, its resident memory (RSS) sampled every few seconds; prints a Markdown section
# for BENCHMARKS.md and fails when there was an error or RSS grew past the bound.
#
#   PHUONG_BIN=build-release/phuong bench/soak.sh [SECONDS] >> BENCHMARKS.md
#
# SECONDS (default 240) of load with SOAK_THREADS clients (default 8); RSS every
# SOAK_SAMPLE seconds (default 5). The bound: the lowest RSS of the last minute may be
# at most SOAK_GROWTH_MB (default 16) MiB above the lowest of the second minute (after
# the caches and the database's pages warmed up); passing peaks (a sign-in's Argon2id
# takes 64 MiB for a moment) are reported, not bounded.
# Run by hand, not in CI. PHUONG_TEST_PG: run on that PostgreSQL server instead of SQLite;
# SOAK_KEEP=1 keeps the data folder and the server log (printed path) for a look after.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
root=$(cd "$here/.." && pwd)
bin=${PHUONG_BIN:-$root/build/phuong}
seconds=${1:-240}
threads=${SOAK_THREADS:-8}
every=${SOAK_SAMPLE:-5}
bound=${SOAK_GROWTH_MB:-16}
py=/usr/bin/python3
[[ -x $bin ]] || die "no binary at $bin (set PHUONG_BIN)"

tmp=$(mktemp -d /tmp/phuong-soak.XXXXXX)
pid=
cleanup() { stop "$pid" phuong; rm -rf "$tmp"; }
trap cleanup EXIT
[[ -n ${SOAK_KEEP:-} ]] && trap "stop \"\$pid\" phuong; log \"kept \$tmp\"" EXIT
db=()
if [[ -n ${PHUONG_TEST_PG:-} ]]; then
  name=soak_$$
  createdb --maintenance-db "${PHUONG_TEST_PG%/}/postgres" "$name" || die "createdb failed"
  db=(--database "${PHUONG_TEST_PG%/}/$name")
fi
editor_pw="Biên tập viên thử tải #1"
clerk_pw="Cán bộ một cửa thử tải #1"
"$bin" user add editor --role editor --data "$tmp" "${db[@]}" --password-stdin <<<"$editor_pw" >/dev/null
"$bin" user add canbo --role clerk --data "$tmp" "${db[@]}" --password-stdin <<<"$clerk_pw" >/dev/null
port=$(free_port)
"$bin" serve --listen "127.0.0.1:$port" --data "$tmp" "${db[@]}" --demo --lookup-limit 0 --submit-limit 0 --submit-upload-mb 0 \
  --no-access-log >"$tmp/server.log" 2>&1 &
pid=$!
wait_http "http://127.0.0.1:$port/robots.txt" "$pid" phuong

rss() { awk '/^VmRSS:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0; }
log "load for ${seconds}s, $threads clients, RSS every ${every}s"
BASE="http://127.0.0.1:$port" SECONDS_=$seconds THREADS=$threads EDITOR_PW=$editor_pw \
  CLERK_PW=$clerk_pw "$py" "$here/soak.py" >"$tmp/load.json" &
load=$!
samples=()
start=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
  samples+=("$(($(date +%s) - start)) $(rss)")
  sleep "$every"
done
wait "$load" || die "the load generator failed"
kill -0 "$pid" 2>/dev/null || die "the server died: $(tail -5 "$tmp/server.log")"
errors_log=$(grep -c -E ' 5[0-9][0-9] |error' "$tmp/server.log" || true)

printf '%s\n' "${samples[@]}" >"$tmp/rss.txt"
# Growth: the lowest RSS of the last minute less the lowest of the minute after warm-up
# (60 to 120 s). Each sign-in hashes with Argon2id in 64 MiB that are given back at once:
# a leak raises the floor, a sign-in only a passing peak.
read -r first warm peak last < <(awk -v end="$seconds" '
  NR == 1 { first = $2 } $2 > peak { peak = $2 }
  $1 >= 60 && $1 < 120 && (w == "" || $2 < w) { w = $2 }
  $1 >= end - 60 && (l == "" || $2 < l) { l = $2 }
  END { if (w == "") w = first; if (l == "") l = first; print first, w, peak, l }' "$tmp/rss.txt")
growth_kb=$((last - warm))
rss_line=$(awk '{ printf "%s%d:%.0f", (NR > 1 ? " " : ""), $1, $2 / 1024 }' "$tmp/rss.txt")
"$py" - "$tmp/load.json" "$first" "$warm" "$peak" "$last" "$growth_kb" "$bound" "$seconds" \
  "$threads" "$every" "$errors_log" "$rss_line" "${PHUONG_TEST_PG:+postgresql}" <<'PY'
import json, subprocess, sys
(path, first, warm, peak, last, growth, bound, seconds, threads, every, log_errors,
 rss_line, store) = sys.argv[1:]
c = json.load(open(path))
mib = lambda kb: "%.1f" % (int(kb) / 1024)
ok = c["errors"] == 0 and int(growth) <= int(bound) * 1024
print("\n## Soak (bench/soak.sh), %s\n" % subprocess.run(["date", "-u", "+%Y-%m-%d %H:%M UTC"],
      capture_output=True, text=True).stdout.strip())
print("`bench/soak.sh %s` on %s, %s clients, RSS every %s s:\n" % (seconds, store or "sqlite",
      threads, every))
print("| requests | writes | errors | refused (429) | RSS start | RSS 60-120 s (lowest) | RSS peak | RSS last minute (lowest) | growth | bound |")
print("|---|---|---|---|---|---|---|---|---|---|")
print("| %d | %d | %d | %d | %s MiB | %s MiB | %s MiB | %s MiB | %s MiB | %s MiB |" % (
    c["requests"], c["writes"], c["errors"], c["refused"], mib(first), mib(warm), mib(peak),
    mib(last), mib(growth), bound))
print("\nRSS samples (seconds:MiB): %s\n" % rss_line)
print("Server log lines with an error or a 5xx: %s. Result: %s." % (
    log_errors, "pass" if ok else "FAIL"))
if c["first_errors"]:
    print("\nFirst errors: %s" % "; ".join(c["first_errors"][:5]))
sys.exit(0 if ok else 1)
PY
