# shellcheck shell=bash
# bench/lib.sh: what the benchmark scripts share (sourced): logging, ports, waiting for a
# server, stopping it, running wrk and reading its figures.
#
# run_wrk needs WRK_BIN, WRK_ARGS (array), OUTDIR and STAMP set by the script; it fills
# RPS[key], P99[key] (ms) and ERRS[key]. Extra arguments after the URL go to wrk
# (e.g. -s script.lua).

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

stop() { # pid name
  local pid=$1 name=$2 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "$name did not stop on SIGTERM, killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}

used_ports=' '
free_port() {
  local p i
  for i in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    [[ $used_ports == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then used_ports+="$p "; echo "$p"; return 0; fi
  done
  die "no free port found"
}

wait_http() { # url pid name
  local url=$1 pid=$2 name=$3 i
  for i in $(seq 200); do
    kill -0 "$pid" 2>/dev/null || die "$name exited during startup"
    curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  die "$name did not answer $url within 20 s"
}

to_ms() { # wrk duration (e.g. 812.00us, 1.23ms, 2.01s, 1.5m) -> ms
  awk -v v="$1" 'BEGIN{
    if (match(v, /^[0-9.]+/)) { n = substr(v, 1, RLENGTH); u = substr(v, RLENGTH + 1) } else { print "?"; exit }
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
    if (f < 0) print "?"; else printf "%.2f", n * f }'
}

declare -A RPS P99 ERRS
run_wrk() { # key url [wrk args...]
  local key=$1 url=$2 out="$OUTDIR/wrk-$STAMP-$1.txt"
  shift 2
  log "wrk ${WRK_ARGS[*]} $* $url"
  "$WRK_BIN" "${WRK_ARGS[@]}" "$@" "$url" >"$out" 2>&1 || die "wrk failed for $url (see $out)"
  RPS[$key]=$(awk '/^Requests\/sec:/{print $2}' "$out")
  P99[$key]=$(to_ms "$(awk '$1=="99%"{print $2}' "$out")")
  ERRS[$key]=$(grep -E 'Non-2xx|Socket errors' "$out" | sed 's/^ *//' | paste -sd';' - || true)
  [[ -n ${RPS[$key]} ]] || die "could not parse wrk output (see $out)"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "?" }'; }
